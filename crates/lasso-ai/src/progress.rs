//! The one-line progress bar the front doors draw on a terminal while they
//! wait (`progress=True`, `progress: true`, the command line): rendered here
//! once; each language writes it to its own stderr.

/// Erases the bar's line, so that other output (a progress callback's
/// `print`) starts on a clean line; the bar is then drawn again below it.
pub const CLEAR_LINE: &str = "\r\x1b[2K";

/// Cells of the bar: one per 5 %.
const CELLS: usize = 20;

/// The bar for a status and a progress (0–100, clamped; none counts as 0),
/// to be written after a carriage return: `[#####---------------]  25% processing`,
/// the status padded to 24 characters.
///
/// ```
/// assert_eq!(
///     lasso_ai::__bindings::progress::bar_line("processing", Some(25.0)).trim_end(),
///     "[#####---------------]  25% processing"
/// );
/// ```
pub fn bar_line(status: &str, progress: Option<f64>) -> String {
    let done = progress
        .filter(|p| p.is_finite())
        .unwrap_or(0.0)
        .clamp(0.0, 100.0) as usize;
    let filled = done * CELLS / 100;
    // Status text from a server is shown without control characters.
    let status: String = status.chars().filter(|c| !c.is_control()).take(40).collect();
    // Padded so that a shorter status drawn over a longer one leaves nothing behind.
    format!(
        "[{}{}] {done:>3}% {status:<24}",
        "#".repeat(filled),
        "-".repeat(CELLS - filled)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars() {
        let bar = |s: &str, p: Option<f64>| bar_line(s, p).trim_end().to_owned();
        assert_eq!(bar("queued", None), "[--------------------]   0% queued");
        assert_eq!(bar("done", Some(100.0)), "[####################] 100% done");
        assert_eq!(bar("x", Some(250.0)), "[####################] 100% x");
        assert_eq!(bar("x", Some(-3.0)), "[--------------------]   0% x");
        assert_eq!(bar("x", Some(f64::NAN)), "[--------------------]   0% x");
        assert_eq!(
            bar("a\u{1b}[31mb\n", Some(5.0)),
            "[#-------------------]   5% a[31mb"
        );
        // Every line is as long, so one drawn over another leaves nothing behind.
        assert_eq!(
            bar_line("queued_for_processing", None).len(),
            bar_line("done", None).len()
        );
    }
}
