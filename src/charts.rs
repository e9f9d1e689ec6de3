//! Charts of the connectivity matrix in the app, for slides: a heatmap of the networks and a bar
//! chart of the blocked pairs by blocking rule, side by side, each downloadable as SVG or PNG.
//!
//! The drawing is `spacetrace-charts`'s (pure Rust, tested natively); here the browser measures
//! text with a canvas's `measureText` (no element is styled, so the Content-Security-Policy allows
//! it), the palette is read from the stylesheet for the current theme, so the charts match the
//! page and stay legible in the dark theme, and a download is the picture as shown.

use leptos::prelude::*;
use spacetrace_canvas::connectivity::summary;
use spacetrace_charts::{Chart, Estimate, Measure, Palette, RGBColor, heatmap, parse_rgb, rule_bars};
use spacetrace_engine::matrix::Matrix;
use wasm_bindgen::JsCast;

use crate::store::{Notice, Shared, Theme, use_store};

/// PNGs are drawn at twice the SVG's size, for slides.
const PNG_SCALE: f64 = 2.0;
/// The font stack measured, as the charts draw it.
const FONT: &str = spacetrace_charts::FONT;

/// The stylesheet's colours for `theme`: each custom property resolved by the browser on a
/// hidden probe that carries the theme's `color-scheme` itself (so the answer does not wait
/// for the page to restyle).
pub fn palette_of(theme: Theme) -> Palette {
    let scheme = match theme {
        Theme::System => "light dark",
        Theme::Light => "light",
        Theme::Dark => "dark",
    };
    let fallback = Palette::LIGHT;
    let Some((window, document)) = web_sys::window().and_then(|w| Some((w.clone(), w.document()?))) else {
        return fallback;
    };
    let Some(body) = document.body() else { return fallback };
    let Ok(probe) = document.create_element("span") else { return fallback };
    let _ = body.append_child(&probe);
    let read = |var: &str, or: RGBColor| -> RGBColor {
        crate::export::set_style(
            &probe,
            &format!("position:absolute;visibility:hidden;color-scheme:{scheme};color:var({var})"),
        );
        window
            .get_computed_style(&probe)
            .ok()
            .flatten()
            .and_then(|s| s.get_property_value("color").ok())
            .and_then(|c| parse_rgb(&c))
            .unwrap_or(or)
    };
    let p = Palette {
        surface: read("--surface", fallback.surface),
        surface_2: read("--surface-2", fallback.surface_2),
        text: read("--text", fallback.text),
        muted: read("--muted", fallback.muted),
        border: read("--border", fallback.border),
        ok: read("--ok", fallback.ok),
        warn: read("--warn", fallback.warn),
        bad: read("--bad", fallback.bad),
        internet: read("--internet", fallback.internet),
        cr: read("--cr", fallback.cr),
        cedar: read("--cedar", fallback.cedar),
        fir: read("--fir", fallback.fir),
        vpc: read("--vpc", fallback.vpc),
        remote: read("--remote", fallback.remote),
    };
    probe.remove();
    p
}

thread_local! {
    /// A 2D context kept for measuring text (it is never drawn on or attached to the page).
    static MEASURE: Option<web_sys::CanvasRenderingContext2d> = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("canvas").ok())
        .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        .and_then(|c| c.get_context("2d").ok().flatten())
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok());
}

/// Text measured by the browser with a canvas's `measureText` (no element is laid out or styled,
/// so the Content-Security-Policy allows it, as it would not allow plotters' own measuring, which
/// writes a `style` attribute); estimated where there is no canvas.
struct CanvasText;

impl Measure for CanvasText {
    fn width(&self, px: f64, bold: bool, text: &str) -> f64 {
        let measured = MEASURE.with(|m| {
            let m = m.as_ref()?;
            m.set_font(&format!("{}{px}px {FONT}", if bold { "bold " } else { "" }));
            m.measure_text(text).ok().map(|t| t.width())
        });
        measured.unwrap_or_else(|| Estimate.width(px, bold, text))
    }
}

/// Download a chart as `<stem>-<suffix>.svg`.
fn download_svg(chart: &Chart, name: &str) -> Result<(), String> {
    crate::files::download_text(&chart.file(), "image/svg+xml", &format!("{name}.svg"))
}

/// Download a chart as `<stem>-<suffix>.png`, at twice its size.
async fn download_png(chart: Chart, name: String) -> Result<(), String> {
    let (w, h) = (f64::from(chart.width) * PNG_SCALE, f64::from(chart.height) * PNG_SCALE);
    let blob = crate::export::png_from_svg(&chart.standalone(PNG_SCALE), w, h).await?;
    crate::files::download_blob(&blob, &format!("{name}.png"))
}

/// Both charts of the current matrix, side by side, each with its downloads.
#[component]
pub fn Charts(matrix: Memo<Option<Shared<Matrix>>>) -> impl IntoView {
    let store = use_store();
    let drawn = Memo::new(move |_| {
        let p = palette_of(store.theme.get());
        let m = matrix.get()?;
        Some(
            store
                .checked
                .with(|c| (heatmap(&c.model, &m, &p, &CanvasText), rule_bars(&c.model, &summary(&m), &p, &CanvasText))),
        )
    });
    let stem = move || store.checked.with_untracked(|c| crate::files::file_stem(&c.model.name));
    let figure = move |which: &'static str, heading: &'static str, pick: fn(&(Chart, Chart)) -> &Chart| {
        let chart = move || drawn.with(|d| d.as_ref().map(|d| pick(d).clone()));
        let svg_id = format!("chart-{which}-svg");
        let png_id = format!("chart-{which}-png");
        // A figure asks for its chart's width (two share a row only when both fit) and for most of
        // its height, so a large network's chart scrolls rather than shrinking out of legibility.
        // (Set through the CSSOM, which the Content-Security-Policy allows, not as a style attribute.)
        let basis = move || drawn.with(|d| d.as_ref().map(|d| format!("{}px", pick(d).width)));
        let height = move || {
            drawn.with(|d| d.as_ref().map(|d| format!("max(100%, {:.0}px)", f64::from(pick(d).height) * 0.85 + 40.0)))
        };
        view! {
            <figure class="chart" style:flex-basis=basis style:height=height aria-labelledby=format!("chart-{which}-title")>
                <figcaption class="chart-head">
                    <h3 id=format!("chart-{which}-title")>{heading}</h3>
                    <button type="button" class="chart-download" data-testid=svg_id
                        title="Download this chart as SVG (a vector picture for slides)"
                        on:click=move |_| {
                            let Some(c) = chart() else { return };
                            if let Err(e) = download_svg(&c, &format!("{}-{which}", stem())) {
                                store.notice.set(Some(Notice::Info(e)));
                            }
                        }>"\u{2913} SVG"</button>
                    <button type="button" class="chart-download" data-testid=png_id
                        title="Download this chart as PNG (at twice its size)"
                        on:click=move |_| {
                            let Some(c) = chart() else { return };
                            let name = format!("{}-{which}", stem());
                            leptos::task::spawn_local(async move {
                                if let Err(e) = download_png(c, name).await {
                                    store.notice.set(Some(Notice::Info(e)));
                                }
                            });
                        }>"\u{2913} PNG"</button>
                </figcaption>
                <div class="chart-svg" data-testid=format!("chart-{which}")
                    inner_html=move || chart().map(|c| c.standalone(1.0)).unwrap_or_default()></div>
            </figure>
        }
    };
    view! {
        <div class="charts" data-testid="charts">
            {figure("heatmap", "By network", |d| &d.0)}
            {figure("rules", "Blocked pairs by rule", |d| &d.1)}
        </div>
    }
}
