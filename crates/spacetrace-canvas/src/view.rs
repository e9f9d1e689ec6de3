//! The canvas's view boxes (x, y, width, height in canvas units): one that fits everything, and
//! presentation mode's, large enough to read on a projector, around the packet's stop.

use crate::{FIT_PAD, Layout};

/// Fitting never zooms in further than this view (canvas units), so a lone region keeps its size.
pub const FIT_MIN: (f64, f64) = (640.0, 400.0);

/// The smallest scale (screen pixels per canvas unit) presentation mode shows the canvas at: its
/// smallest text, 13 units, is then at least 20 px.
pub const PRESENT_SCALE: f64 = 1.6;

/// Presentation mode's view of the canvas on a screen of `screen` pixels: everything (as Fit)
/// when that is large enough, else a window at [`PRESENT_SCALE`] around `focus` (the packet's
/// stop, or the path), kept inside the picture. (The app gives the window less its caption.)
pub fn present_view(l: &Layout, focus: Option<(f64, f64)>, screen: (f64, f64)) -> (f64, f64, f64, f64) {
    let (fx, fy, fw, fh) = fit_view(l);
    let (w, h) = (screen.0.max(200.0), screen.1.max(200.0));
    let scale = (w / fw).min(h / fh).max(PRESENT_SCALE);
    let (vw, vh) = (w / scale, h / scale);
    let (cx, cy) = focus.unwrap_or((fx + fw / 2.0, fy + fh / 2.0));
    let left = if fw <= vw { fx + fw / 2.0 - vw / 2.0 } else { (cx - vw / 2.0).clamp(fx, fx + fw - vw) };
    let top = if fh <= vh { fy + fh / 2.0 - vh / 2.0 } else { (cy - vh / 2.0).clamp(fy, fy + fh - vh) };
    (left.floor(), top.floor(), vw, vh)
}

/// A view box around everything, centred, never closer than `FIT_MIN`.
pub fn fit_view(l: &Layout) -> (f64, f64, f64, f64) {
    let (x0, y0, x1, y1) = l.bounds();
    let w = (x1 - x0 + 2.0 * FIT_PAD).max(FIT_MIN.0);
    let h = (y1 - y0 + 2.0 * FIT_PAD).max(FIT_MIN.1);
    let cx = (x0 + x1) / 2.0;
    // Whole units, so pictures exported from the view have whole-pixel sizes.
    ((cx - w / 2.0).floor(), (y0 - FIT_PAD).floor(), w.ceil() + 1.0, h.ceil() + 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use spacetrace_engine::parse_document;

    fn default() -> Layout {
        crate::layout(&parse_document(include_str!("../../../scenarios/default.json")).unwrap(), None)
    }

    #[test]
    fn the_fitted_view_holds_everything_in_whole_units() {
        let l = default();
        let (x0, y0, x1, y1) = l.bounds();
        let (x, y, w, h) = fit_view(&l);
        assert!(x <= x0 - FIT_PAD && y <= y0 - FIT_PAD, "{:?}", (x, y, x0, y0));
        assert!(x + w >= x1 + FIT_PAD && y + h >= y1 + FIT_PAD, "{:?}", (x + w, y + h, x1, y1));
        assert!([x, y, w, h].iter().all(|v| v.fract() == 0.0), "{:?}", (x, y, w, h));
        // Centred across.
        assert!(((x + w / 2.0) - (x0 + x1) / 2.0).abs() <= 1.0);
        // A lone small region is not zoomed in past FIT_MIN.
        let lone = parse_document(r#"{"version": 1, "name": "x", "remote_networks": [{"id": "o", "name": "o", "cidrs": ["192.168.0.0/24"]}]}"#).unwrap();
        let lone = crate::layout(&lone, None);
        let (x0, _, x1, _) = lone.bounds();
        assert!(x1 - x0 + 2.0 * FIT_PAD < FIT_MIN.0, "{:?}", lone.bounds());
        let (_, _, w, h) = fit_view(&lone);
        assert_eq!((w, h), (FIT_MIN.0 + 1.0, FIT_MIN.1 + 1.0));
    }

    #[test]
    fn presentation_shows_everything_on_a_large_screen_and_a_readable_window_on_a_small_one() {
        let l = default();
        let (fx, fy, fw, fh) = fit_view(&l);
        // Large enough: everything, as the fitted view, at no less than PRESENT_SCALE.
        let big = (fw * 3.0, fh * 3.0);
        let (x, y, w, h) = present_view(&l, None, big);
        assert!(x <= fx && y <= fy && x + w >= fx + fw && y + h >= fy + fh);
        assert!((big.0 / w).min(big.1 / h) >= PRESENT_SCALE - 1e-9);
        // Small: a window at PRESENT_SCALE around the focus, kept inside the picture.
        let small = (fw / 2.0, fh / 2.0);
        let (x, y, w, h) = present_view(&l, Some((fx + fw, fy + fh)), small);
        assert!((w - small.0 / PRESENT_SCALE).abs() < 1e-9 && (h - small.1 / PRESENT_SCALE).abs() < 1e-9);
        assert!(x >= fx - 1.0 && y >= fy - 1.0 && x + w <= fx + fw && y + h <= fy + fh, "{:?}", (x, y, w, h));
        // The focus in the far corner: the window sits at that corner.
        assert!((x + w - (fx + fw)).abs() <= 1.0 && (y + h - (fy + fh)).abs() <= 1.0, "{:?}", (x, y, w, h));
    }
}
