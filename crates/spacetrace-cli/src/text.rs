//! Layout helpers: quoting, padding by displayed characters, and wrapping lists.

/// A value in curly quotes, as the engine's messages quote values.
pub fn quoted(s: &str) -> String {
    format!("\u{201c}{s}\u{201d}")
}

/// How many columns a string takes (one per character: labels here are not wide scripts).
pub fn width(s: &str) -> usize {
    s.chars().count()
}

/// `s` padded with spaces on the right to `w` columns.
pub fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_owned();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(width(s))));
    out
}

/// `s` padded with spaces on the left to `w` columns.
pub fn pad_left(s: &str, w: usize) -> String {
    let mut out: String = std::iter::repeat_n(' ', w.saturating_sub(width(s))).collect();
    out.push_str(s);
    out
}

/// Items joined by `", "`, wrapped to `max` columns; continuation lines start with `indent`.
/// The first line starts with `first` (already counted against `max`).
pub fn wrap_list(first: &str, items: &[String], indent: &str, max: usize) -> String {
    let mut out = first.to_owned();
    let mut line = width(first);
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 < items.len() { format!("{item},") } else { item.clone() };
        let needed = width(&piece) + usize::from(i > 0);
        if i > 0 && line + needed > max {
            out.push('\n');
            out.push_str(indent);
            out.push_str(&piece);
            line = width(indent) + width(&piece);
        } else {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&piece);
            line += needed;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_counts_characters() {
        assert_eq!(pad("\u{2714}", 3), "\u{2714}  ");
        assert_eq!(pad_left("7", 3), "  7");
        assert_eq!(pad("toolong", 3), "toolong");
    }

    #[test]
    fn lists_wrap_at_the_limit() {
        let items: Vec<String> = ["alpha", "beta", "gamma", "delta"].iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(wrap_list("  x ", &items, "    ", 20), "  x alpha, beta,\n    gamma, delta");
        assert_eq!(wrap_list("", &items, "", 200), "alpha, beta, gamma, delta");
    }
}
