//! Charts of the connectivity matrix, drawn with `plotters` (its SVG backend only) for slides:
//! a heatmap of the networks (rows: source networks, columns: destination networks; each block
//! coloured by its share of connected pairs and labelled with the share and the counts) and a bar
//! chart of the blocked pairs by blocking rule. Pure Rust with no web dependency of its own, so
//! native tests reach the drawing.
//!
//! Text is measured by a [`Measure`] the caller gives: the app measures with a canvas's
//! `measureText` (plotters' own measuring on wasm32 writes a `style` attribute, which the
//! Content-Security-Policy refuses, so no font feature is compiled in); [`Estimate`] guesses from
//! the number of characters. Every label is placed here, never by plotters. Colours are a
//! [`Palette`] (the app reads it from the stylesheet for the current theme); every colour comes
//! with a number or a mark.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use spacetrace_canvas::RegionKind;
use spacetrace_canvas::connectivity::{Summary, blocks};
use spacetrace_engine::matrix::Matrix;
use spacetrace_engine::model::Model;

pub use plotters::style::RGBColor;

/// The app's font stack (`--font` in `style/main.css`), without quotes.
pub const FONT: &str = "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, DejaVu Sans, sans-serif";
/// Plotters' SVG backend writes `font-size` as the requested size divided by 1.24.
const FONT_SCALE: f64 = 1.24;

/// How wide a text is drawn, in pixels, at `px` (bold or not) in [`FONT`].
pub trait Measure {
    fn width(&self, px: f64, bold: bool, text: &str) -> f64;
}

/// A measure from the number of characters, where nothing can measure text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Estimate;

impl Measure for Estimate {
    fn width(&self, px: f64, bold: bool, text: &str) -> f64 {
        text.chars().count() as f64 * px * if bold { 0.66 } else { 0.6 }
    }
}

/// The concrete colours of the current theme.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Palette {
    pub surface: RGBColor,
    pub surface_2: RGBColor,
    pub text: RGBColor,
    pub muted: RGBColor,
    pub border: RGBColor,
    pub ok: RGBColor,
    pub warn: RGBColor,
    pub bad: RGBColor,
    pub internet: RGBColor,
    pub cr: RGBColor,
    pub cedar: RGBColor,
    pub fir: RGBColor,
    pub vpc: RGBColor,
    pub remote: RGBColor,
}

impl Palette {
    /// The light theme's values in `style/main.css`, used where the page cannot be asked.
    pub const LIGHT: Palette = Palette {
        surface: RGBColor(0xff, 0xff, 0xff),
        surface_2: RGBColor(0xee, 0xf0, 0xf6),
        text: RGBColor(0x16, 0x1a, 0x23),
        muted: RGBColor(0x4a, 0x53, 0x66),
        border: RGBColor(0xcb, 0xd2, 0xe0),
        ok: RGBColor(0x17, 0x6b, 0x3c),
        warn: RGBColor(0x7a, 0x50, 0x00),
        bad: RGBColor(0xb3, 0x26, 0x1e),
        internet: RGBColor(0x1f, 0x6f, 0xd1),
        cr: RGBColor(0x6b, 0x72, 0x80),
        cedar: RGBColor(0x6a, 0x4f, 0xd0),
        fir: RGBColor(0x0f, 0x8a, 0x80),
        vpc: RGBColor(0xd9, 0x73, 0x0d),
        remote: RGBColor(0x8a, 0x5a, 0x3c),
    };

    /// The colour of a kind of network, as on the canvas.
    pub fn network(&self, kind: RegionKind) -> RGBColor {
        match kind {
            RegionKind::Internet => self.internet,
            RegionKind::CommonRuntime => self.cr,
            RegionKind::Cedar | RegionKind::CedarShield => self.cedar,
            RegionKind::Fir => self.fir,
            RegionKind::Vpc => self.vpc,
            RegionKind::Remote => self.remote,
        }
    }

    /// The heatmap's colour for a share of connected pairs: the blocked colour at none, the
    /// warning colour at half, the connected colour at all.
    pub fn share(&self, share: f64) -> RGBColor {
        let s = share.clamp(0.0, 1.0);
        if s < 0.5 { mix(self.bad, self.warn, s * 2.0) } else { mix(self.warn, self.ok, (s - 0.5) * 2.0) }
    }
}

/// `rgb(r, g, b)` or `rgba(r, g, b, a)` as the browser computes a colour.
pub fn parse_rgb(text: &str) -> Option<RGBColor> {
    let inner = text.trim().strip_prefix("rgba(").or_else(|| text.trim().strip_prefix("rgb("))?.strip_suffix(')')?;
    let mut parts = inner.split([',', ' ', '/']).filter(|p| !p.is_empty()).map(|p| p.trim().parse::<f64>());
    let mut next = || -> Option<u8> { Some(parts.next()?.ok()?.round().clamp(0.0, 255.0) as u8) };
    Some(RGBColor(next()?, next()?, next()?))
}

pub fn mix(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let c = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    RGBColor(c(a.0, b.0), c(a.1, b.1), c(a.2, b.2))
}

/// Text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// One chart: plotters' SVG, its size, and a sentence that says what it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    svg: String,
    /// Its size in pixels.
    pub width: u32,
    pub height: u32,
    /// The chart's title (also its file name's suffix is chosen by the caller).
    pub title: String,
    /// The whole chart in words, for screen readers.
    pub description: String,
}

impl Chart {
    /// A standalone SVG document at `scale` times its size (the drawing keeps its coordinates),
    /// with its title and description.
    pub fn standalone(&self, scale: f64) -> String {
        // Plotters' output is `<svg width=… height=… viewBox=… xmlns=…>` then the drawing.
        let body = self.svg.find('>').map(|i| &self.svg[i + 1..]).unwrap_or("</svg>");
        let (w, h) = (f64::from(self.width), f64::from(self.height));
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" preserveAspectRatio=\"xMidYMin meet\" role=\"img\" aria-label=\"{}\">\n<title>{}</title>\n<desc>{}</desc>\n{}",
            (w * scale).round(),
            (h * scale).round(),
            self.width,
            self.height,
            escape(&self.title),
            escape(&self.title),
            escape(&self.description),
            body.trim_start()
        )
    }

    /// The file a person downloads.
    pub fn file(&self) -> String {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}", self.standalone(1.0))
    }
}

/// A text style: `px` is the size drawn in the SVG.
fn style(px: f64, bold: bool, color: &RGBColor) -> TextStyle<'static> {
    let font =
        if bold { (FONT, px * FONT_SCALE, FontStyle::Bold).into_font() } else { (FONT, px * FONT_SCALE).into_font() };
    font.color(color)
}

/// `text` cut to `max` pixels at `px`, with an ellipsis when cut.
pub fn fit(measure: &dyn Measure, px: f64, bold: bool, text: &str, max: f64) -> String {
    if measure.width(px, bold, text) <= max {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "\u{2026}";
        if measure.width(px, bold, &candidate) <= max { lo = mid } else { hi = mid - 1 }
    }
    chars[..lo].iter().collect::<String>().trim_end().to_owned() + "\u{2026}"
}

/// `text` in at most two lines of `max` pixels: broken at a space or hyphen, the rest cut.
pub fn wrap2(measure: &dyn Measure, px: f64, text: &str, max: f64) -> Vec<String> {
    if measure.width(px, false, text) <= max {
        return vec![text.to_owned()];
    }
    let breaks: Vec<usize> = text
        .char_indices()
        .filter(|(_, c)| *c == ' ' || *c == '-' || *c == '_')
        .map(|(i, c)| i + c.len_utf8())
        .collect();
    // The longest first line that fits.
    if let Some(&at) = breaks.iter().rev().find(|&&at| measure.width(px, false, text[..at].trim_end()) <= max) {
        return vec![text[..at].trim_end().to_owned(), fit(measure, px, false, text[at..].trim_start(), max)];
    }
    vec![fit(measure, px, false, text, max)]
}

type Drawn = Result<(), DrawingAreaErrorKind<<SVGBackend<'static> as DrawingBackend>::ErrorType>>;

/// Draw with plotters into a string of SVG.
fn draw(
    width: u32,
    height: u32,
    paint: impl FnOnce(&DrawingArea<SVGBackend<'_>, plotters::coord::Shift>) -> Drawn,
) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        // A drawing that fails leaves what was drawn: the caller's text says what the chart is.
        let _ = paint(&root).and_then(|()| root.present());
    }
    svg
}

const PAD: i32 = 16;

/// The heatmap of the matrix by network.
pub fn heatmap(model: &Model, m: &Matrix, p: &Palette, measure: &dyn Measure) -> Chart {
    let (rows, columns, table) = blocks(model, m);
    let title = format!("{}: connected pairs by network", model.name);
    let cell_w: i32 = 96;
    let cell_h: i32 = 44;
    let label_w =
        rows.iter().map(|g| measure.width(13.0, false, &g.network.name)).fold(60.0_f64, f64::max).min(170.0).ceil()
            as i32;
    let head_h: i32 = 40;
    let grid_x = PAD + 20 + label_w + 12;
    let grid_y = PAD + 24 + 16 + head_h;
    let n_rows = rows.len() as i32;
    let n_cols = columns.len() as i32;
    let legend_y = grid_y + n_rows * cell_h + 14;
    let w = (grid_x + n_cols * cell_w + PAD).max(PAD * 2 + 540);
    let h = legend_y + 36 + PAD;
    // The heading, then the scenario's name cut to the chart's width (the file's <title> has it whole).
    let scenario = fit(measure, 12.0, false, &model.name, f64::from(w - 2 * PAD - 230));

    let mut description = format!(
        "Share of connected pairs from each source network (rows) to each destination network (columns) in {}.",
        model.name
    );
    for (rg, line) in rows.iter().zip(&table) {
        for (cg, b) in columns.iter().zip(line) {
            let words = match b.share() {
                Some(s) => format!(
                    " {} to {}: {:.0}% ({} of {} connected).",
                    rg.network.name,
                    cg.network.name,
                    s * 100.0,
                    b.connected,
                    b.connected + b.blocked
                ),
                None => format!(" {} to {}: not modelled.", rg.network.name, cg.network.name),
            };
            description.push_str(&words);
        }
    }

    let svg = draw(w as u32, h as u32, |root| {
        root.fill(&p.surface)?;
        let text = |px, bold| style(px, bold, &p.text);
        let muted = style(12.0, false, &p.muted);
        root.draw(&Text::new(
            "Connected pairs by network",
            (PAD, PAD),
            text(16.0, true).pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
        root.draw(&Text::new(scenario.clone(), (w - PAD, PAD + 3), muted.pos(Pos::new(HPos::Right, VPos::Top))))?;
        if rows.is_empty() || columns.is_empty() {
            root.draw(&Text::new(
                "There is no pair to chart.",
                (PAD, PAD + 40),
                muted.pos(Pos::new(HPos::Left, VPos::Top)),
            ))?;
            return Ok(());
        }
        // Axis titles.
        root.draw(&Text::new(
            "To (destination network) \u{2192}",
            (grid_x, PAD + 24),
            muted.pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
        root.draw(&Text::new(
            "From (source network) \u{2192}",
            (PAD + 6, grid_y + 4),
            muted.transform(FontTransform::Rotate90).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        // Column heads: the network's name in up to two lines over a stripe of its colour.
        for (j, g) in columns.iter().enumerate() {
            let x = grid_x + j as i32 * cell_w;
            let lines = wrap2(measure, 13.0, &g.network.name, f64::from(cell_w - 8));
            let top = grid_y - 6 - 17 * lines.len() as i32;
            for (k, line) in lines.iter().enumerate() {
                root.draw(&Text::new(
                    line.clone(),
                    (x + cell_w / 2, top + 17 * k as i32),
                    text(13.0, false).pos(Pos::new(HPos::Center, VPos::Top)),
                ))?;
            }
            root.draw(&Rectangle::new(
                [(x + 2, grid_y - 5), (x + cell_w - 2, grid_y - 1)],
                p.network(g.network.kind).filled(),
            ))?;
        }
        // Row heads: the name, right-aligned, beside a stripe of its colour.
        for (i, g) in rows.iter().enumerate() {
            let y = grid_y + i as i32 * cell_h;
            root.draw(&Text::new(
                fit(measure, 13.0, false, &g.network.name, f64::from(label_w)),
                (grid_x - 12, y + cell_h / 2),
                text(13.0, false).pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
            root.draw(&Rectangle::new(
                [(grid_x - 5, y + 2), (grid_x - 1, y + cell_h - 2)],
                p.network(g.network.kind).filled(),
            ))?;
        }
        // The blocks: colour, mark, share and counts.
        for (i, line) in table.iter().enumerate() {
            for (j, b) in line.iter().enumerate() {
                let (x, y) = (grid_x + j as i32 * cell_w, grid_y + i as i32 * cell_h);
                let (cx, cy) = (x + cell_w / 2, y + cell_h / 2);
                match b.share() {
                    Some(s) => {
                        root.draw(&Rectangle::new([(x, y), (x + cell_w, y + cell_h)], p.share(s).filled()))?;
                        let mark = if b.blocked == 0 {
                            "\u{2714} "
                        } else if b.connected == 0 {
                            "\u{2716} "
                        } else {
                            ""
                        };
                        let on = style(15.0, true, &p.surface);
                        root.draw(&Text::new(
                            format!("{mark}{:.0}%", s * 100.0),
                            (cx, cy - 9),
                            on.pos(Pos::new(HPos::Center, VPos::Center)),
                        ))?;
                        let counts = style(11.5, false, &p.surface);
                        root.draw(&Text::new(
                            format!("{} of {}", b.connected, b.connected + b.blocked),
                            (cx, cy + 11),
                            counts.pos(Pos::new(HPos::Center, VPos::Center)),
                        ))?;
                    }
                    None => {
                        root.draw(&Rectangle::new([(x, y), (x + cell_w, y + cell_h)], p.surface_2.filled()))?;
                        root.draw(&Text::new(
                            "\u{00b7} not modelled",
                            (cx, cy),
                            style(11.5, false, &p.muted).pos(Pos::new(HPos::Center, VPos::Center)),
                        ))?;
                    }
                }
                root.draw(&Rectangle::new([(x, y), (x + cell_w, y + cell_h)], p.surface.stroke_width(2)))?;
            }
        }
        // The legend: the scale from none to all connected, and the unmodelled block.
        let steps = 20;
        let (lx, lw) = (grid_x, 220);
        root.draw(&Text::new(
            "Connected pairs, of those modelled:",
            (PAD, legend_y + 8),
            muted.pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        let lx = lx.max(PAD + measure.width(12.0, false, "Connected pairs, of those modelled:").ceil() as i32 + 12);
        for k in 0..steps {
            let x0 = lx + lw * k / steps;
            // Each step overlaps the next by a pixel, so no seam shows between them.
            let x1 = (lx + lw * (k + 1) / steps + 1).min(lx + lw);
            let share = (f64::from(k) + 0.5) / f64::from(steps);
            root.draw(&Rectangle::new([(x0, legend_y), (x1, legend_y + 14)], p.share(share).filled()))?;
        }
        root.draw(&Rectangle::new([(lx, legend_y), (lx + lw, legend_y + 14)], p.border.stroke_width(1)))?;
        for (at, label) in [(0, "\u{2716} 0%"), (lw / 2, "50%"), (lw, "\u{2714} 100%")] {
            let anchor = if at == 0 {
                HPos::Left
            } else if at == lw {
                HPos::Right
            } else {
                HPos::Center
            };
            root.draw(&Text::new(label, (lx + at, legend_y + 20), muted.pos(Pos::new(anchor, VPos::Top))))?;
        }
        let nx = lx + lw + 24;
        root.draw(&Rectangle::new([(nx, legend_y), (nx + 22, legend_y + 14)], p.surface_2.filled()))?;
        root.draw(&Rectangle::new([(nx, legend_y), (nx + 22, legend_y + 14)], p.border.stroke_width(1)))?;
        root.draw(&Text::new("not modelled", (nx + 28, legend_y + 7), muted.pos(Pos::new(HPos::Left, VPos::Center))))?;
        Ok(())
    });
    Chart { svg, width: w as u32, height: h as u32, title, description }
}

/// The bar chart of blocked pairs by blocking rule, most first.
pub fn rule_bars(model: &Model, s: &Summary, p: &Palette, measure: &dyn Measure) -> Chart {
    let title = format!("{}: blocked pairs by rule", model.name);
    let n = s.rules.len();
    let bar_h: i32 = 30;
    let label_w =
        s.rules.iter().map(|(r, _)| measure.width(13.0, true, r.as_str())).fold(40.0_f64, f64::max).ceil() as i32 + 14;
    let top = PAD + 30;
    let w = PAD * 2 + 540;
    let h = top + (n.max(1) as i32) * bar_h + 42 + PAD;
    let scenario = fit(measure, 12.0, false, &model.name, f64::from(w - 2 * PAD - 230));
    let description = if n == 0 {
        format!("No pair is blocked in {}.", model.name)
    } else {
        let parts: Vec<String> = s.rules.iter().map(|(r, k)| format!("{} {k}", r.as_str())).collect();
        format!("Blocked pairs by blocking rule in {}, most first: {}.", model.name, parts.join(", "))
    };
    let max = s.rules.first().map(|&(_, k)| k).unwrap_or(0);
    let svg = draw(w as u32, h as u32, |root| {
        root.fill(&p.surface)?;
        root.draw(&Text::new(
            "Blocked pairs by rule",
            (PAD, PAD),
            style(16.0, true, &p.text).pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
        root.draw(&Text::new(
            scenario.clone(),
            (w - PAD, PAD + 3),
            style(12.0, false, &p.muted).pos(Pos::new(HPos::Right, VPos::Top)),
        ))?;
        if n == 0 {
            root.draw(&Text::new(
                "\u{2714} No pair is blocked.",
                (PAD, top + 10),
                style(13.0, false, &p.ok).pos(Pos::new(HPos::Left, VPos::Top)),
            ))?;
            return Ok(());
        }
        // Room after the longest bar for its count.
        let x_max = (max as f64 * 1.12).ceil().max(max as f64 + 1.0) as u32;
        let area = root.margin(top, PAD, PAD, PAD + 8);
        let mut chart = ChartBuilder::on(&area)
            .y_label_area_size(label_w)
            .x_label_area_size(38)
            .build_cartesian_2d(0u32..x_max, 0f64..n as f64)?;
        // The x axis, its grid and its labels, placed here (plotters' mesh would measure text).
        let rule_style = style(12.0, false, &p.muted);
        let step = nice_step(x_max);
        for v in (0..=x_max).step_by(step as usize) {
            let (x, top_y) = chart.backend_coord(&(v, n as f64));
            let (_, bottom_y) = chart.backend_coord(&(v, 0.0));
            root.draw(&PathElement::new(vec![(x, top_y), (x, bottom_y)], p.border.mix(0.6).stroke_width(1)))?;
            root.draw(&Text::new(
                format!("{v}"),
                (x, bottom_y + 6),
                rule_style.pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
        }
        let (x0, axis_y) = chart.backend_coord(&(0, 0.0));
        let (x1, _) = chart.backend_coord(&(x_max, 0.0));
        root.draw(&PathElement::new(vec![(x0, axis_y), (x1, axis_y)], p.border.stroke_width(1)))?;
        root.draw(&Text::new(
            "blocked pairs",
            ((x0 + x1) / 2, axis_y + 22),
            rule_style.pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
        let bar = p.bad;
        for (i, &(rule, k)) in s.rules.iter().enumerate() {
            // The first (most) rule at the top.
            let y0 = (n - i) as f64 - 0.82;
            let y1 = (n - i) as f64 - 0.18;
            chart.draw_series(std::iter::once(Rectangle::new([(0, y0), (k as u32, y1)], bar.filled())))?;
            let (x, y) = chart.backend_coord(&(0, (n - i) as f64 - 0.5));
            root.draw(&Text::new(
                rule.as_str(),
                (x - 10, y),
                style(13.0, true, &p.text).pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
            let (x, y) = chart.backend_coord(&(k as u32, (n - i) as f64 - 0.5));
            root.draw(&Text::new(
                format!("{k}"),
                (x + 6, y),
                style(13.0, true, &p.text).pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        Ok(())
    });
    Chart { svg, width: w as u32, height: h as u32, title, description }
}

/// A step for about five axis labels up to `max`: 1, 2 or 5 times a power of ten.
pub fn nice_step(max: u32) -> u32 {
    let rough = (f64::from(max) / 5.0).max(1.0);
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| *s >= rough).unwrap_or(10.0 * power);
    (step as u32).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use spacetrace_canvas::connectivity::{row_groups, summary};
    use spacetrace_engine::check_text;

    fn default() -> spacetrace_engine::Checked {
        check_text(include_str!("../../../scenarios/default.json"))
    }

    /// A measure that makes every character 10 px wide at any size.
    struct Tens;

    impl Measure for Tens {
        fn width(&self, _px: f64, _bold: bool, text: &str) -> f64 {
            text.chars().count() as f64 * 10.0
        }
    }

    #[test]
    fn colours_parse_and_mix() {
        assert_eq!(parse_rgb("rgb(23, 107, 60)"), Some(RGBColor(23, 107, 60)));
        assert_eq!(parse_rgb("rgba(1, 2, 3, 0.5)"), Some(RGBColor(1, 2, 3)));
        assert_eq!(parse_rgb("rgb(1 2 300 / 50%)"), Some(RGBColor(1, 2, 255)));
        assert_eq!(parse_rgb("color(srgb 1 0 0)"), None);
        assert_eq!(parse_rgb("rgb(1, 2)"), None);
        let p = Palette::LIGHT;
        assert_eq!(p.share(0.0), p.bad);
        assert_eq!(p.share(0.5), p.warn);
        assert_eq!(p.share(1.0), p.ok);
        assert_eq!(p.share(2.0), p.ok, "a share is clamped");
        assert_eq!(mix(RGBColor(0, 0, 0), RGBColor(200, 100, 50), 0.5), RGBColor(100, 50, 25));
        assert_eq!(p.network(RegionKind::CedarShield), p.cedar);
    }

    #[test]
    fn names_are_escaped() {
        assert_eq!(escape("<a & 'b\">"), "&lt;a &amp; &apos;b&quot;&gt;");
        assert_eq!(escape("plain"), "plain");
    }

    #[test]
    fn text_is_cut_and_wrapped_to_fit() {
        assert_eq!(fit(&Tens, 12.0, false, "short", 50.0), "short");
        assert_eq!(fit(&Tens, 12.0, false, "a longer name", 60.0), "a lon\u{2026}");
        // The space before the cut is not kept.
        assert_eq!(fit(&Tens, 12.0, false, "ab cd", 40.0), "ab\u{2026}");
        assert_eq!(wrap2(&Tens, 13.0, "prod", 80.0), vec!["prod".to_owned()]);
        assert_eq!(wrap2(&Tens, 13.0, "acme-prod eu-west", 100.0), vec!["acme-prod".to_owned(), "eu-west".to_owned()]);
        assert_eq!(
            wrap2(&Tens, 13.0, "acme production-network", 100.0),
            vec!["acme".to_owned(), "productio\u{2026}".to_owned()]
        );
        assert_eq!(wrap2(&Tens, 13.0, "unbreakablename", 100.0), vec!["unbreakab\u{2026}".to_owned()]);
        assert_eq!(Estimate.width(10.0, false, "abcd"), 24.0);
        assert!(Estimate.width(10.0, true, "abcd") > Estimate.width(10.0, false, "abcd"));
    }

    #[test]
    fn axis_steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(0), 1);
        assert_eq!(nice_step(4), 1);
        assert_eq!(nice_step(9), 2);
        assert_eq!(nice_step(24), 5);
        assert_eq!(nice_step(40), 10);
        assert_eq!(nice_step(130), 50);
        assert_eq!(nice_step(1000), 200);
    }

    #[test]
    fn the_heatmap_draws_every_network_and_says_every_block_in_words() {
        let c = default();
        let m = Matrix::new(&c.model);
        let chart = heatmap(&c.model, &m, &Palette::LIGHT, &Estimate);
        let svg = chart.standalone(1.0);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{}", &svg[..80]);
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(!svg.contains("style=\""), "no style attribute: the Content-Security-Policy refuses them");
        assert_eq!(chart.title, format!("{}: connected pairs by network", c.model.name));
        assert!(svg.contains(&format!("<title>{}</title>", escape(&chart.title))));
        let rows = row_groups(&c.model, &m);
        assert!(rows.len() > 1);
        for g in &rows {
            assert!(chart.description.contains(&format!(" {} to ", g.network.name)), "{}", chart.description);
        }
        assert!(chart.description.contains("% ("), "{}", chart.description);
        assert!(svg.contains("Connected pairs by network"));
        assert!(svg.contains("not modelled"));
        // Twice the size keeps the drawing's coordinates.
        let big = chart.standalone(2.0);
        assert!(
            big.contains(&format!("width=\"{}\" height=\"{}\"", chart.width * 2, chart.height * 2)),
            "{}",
            &big[..200]
        );
        assert!(big.contains(&format!("viewBox=\"0 0 {} {}\"", chart.width, chart.height)));
        assert!(chart.file().starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg"));
    }

    #[test]
    fn the_bars_rank_the_blocking_rules_and_an_open_network_says_so() {
        let c = default();
        let m = Matrix::new(&c.model);
        let s = summary(&m);
        assert!(!s.rules.is_empty());
        let chart = rule_bars(&c.model, &s, &Palette::LIGHT, &Estimate);
        let svg = chart.standalone(1.0);
        let (first, n) = s.rules[0];
        assert!(chart.description.contains(&format!("most first: {} {n}", first.as_str())), "{}", chart.description);
        for (rule, _) in &s.rules {
            assert!(svg.contains(rule.as_str()), "{}", rule.as_str());
        }
        assert!(svg.contains("blocked pairs"));
        let open = Summary::default();
        let chart = rule_bars(&c.model, &open, &Palette::LIGHT, &Estimate);
        assert_eq!(chart.description, format!("No pair is blocked in {}.", c.model.name));
        assert!(chart.standalone(1.0).contains("No pair is blocked."));
    }

    #[test]
    fn a_scenario_name_is_escaped_in_the_picture() {
        let mut doc = spacetrace_engine::parse_document(include_str!("../../../scenarios/default.json")).unwrap();
        doc.name = "<script>&".into();
        let c = spacetrace_engine::check(&doc);
        let m = Matrix::new(&c.model);
        let svg = heatmap(&c.model, &m, &Palette::LIGHT, &Estimate).file();
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;&amp;"));
    }
}
