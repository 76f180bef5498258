//! Progress bars (indicatif) on stderr, drawn only when stderr is a terminal
//! and `--quiet` is off; otherwise hidden, so nothing reaches piped output.

use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::output::Out;

/// The bars of one command.
#[derive(Clone)]
pub struct Bars {
    multi: MultiProgress,
    shown: bool,
    color: bool,
    quiet: bool,
}

/// Width of the label column.
const LABEL: usize = 22;

impl Bars {
    pub fn new(out: &Out) -> Bars {
        let shown = out.bars();
        let target = if shown {
            ProgressDrawTarget::stderr_with_hz(10)
        } else {
            ProgressDrawTarget::hidden()
        };
        Bars {
            multi: MultiProgress::with_draw_target(target),
            shown,
            color: out.color_err,
            quiet: out.quiet,
        }
    }

    fn style(&self, template: &str, colored: &str) -> ProgressStyle {
        let template = if self.color { colored } else { template };
        ProgressStyle::with_template(template)
            .expect("the templates are valid")
            .progress_chars("=> ")
    }

    /// A bar in bytes (`total` when known).
    pub fn bytes(&self, label: &str, total: Option<u64>) -> ProgressBar {
        let bar = self.multi.add(ProgressBar::new(total.unwrap_or(0)));
        let style = if total.is_some() {
            self.style(
                "{prefix} [{bar:30}] {bytes:>10} / {total_bytes:<10} {binary_bytes_per_sec:>12}",
                "{prefix} [{bar:30.cyan/blue}] {bytes:>10} / {total_bytes:<10} {binary_bytes_per_sec:>12}",
            )
        } else {
            self.style(
                "{prefix} {spinner} {bytes:>10} {binary_bytes_per_sec:>12}",
                "{prefix} {spinner:.cyan} {bytes:>10} {binary_bytes_per_sec:>12}",
            )
        };
        bar.set_style(style);
        bar.set_prefix(label_of(label));
        if self.shown {
            bar.enable_steady_tick(Duration::from_millis(100));
        }
        bar
    }

    /// Sets a bytes bar's total once the server announced it.
    pub fn set_total(&self, bar: &ProgressBar, total: Option<u64>) {
        if let Some(total) = total {
            if bar.length() != Some(total) {
                bar.set_length(total);
                bar.set_style(self.style(
                    "{prefix} [{bar:30}] {bytes:>10} / {total_bytes:<10} {binary_bytes_per_sec:>12}",
                    "{prefix} [{bar:30.cyan/blue}] {bytes:>10} / {total_bytes:<10} {binary_bytes_per_sec:>12}",
                ));
            }
        }
    }

    /// A bar of a job's percentage, with its status as the message.
    pub fn job(&self, label: &str) -> ProgressBar {
        let bar = self.multi.add(ProgressBar::new(100));
        bar.set_style(self.style(
            "{prefix} [{bar:30}] {pos:>3}% {msg}",
            "{prefix} [{bar:30.green/white}] {pos:>3}% {msg}",
        ));
        bar.set_prefix(label_of(label));
        if self.shown {
            bar.enable_steady_tick(Duration::from_millis(100));
        }
        bar
    }

    /// Ends a bar, replacing it by a line that says what was done
    /// (`✓ label  detail`), printed above the bars still running.
    pub fn done(&self, bar: &ProgressBar, detail: &str) {
        let mark = if self.color { "\x1b[32m✓\x1b[0m" } else { "✓" };
        let line = format!("{mark} {} {detail}", bar.prefix());
        bar.finish_and_clear();
        self.note(&line);
    }

    /// Leaves a bar where it stopped (interrupted or failed).
    pub fn stopped(&self, bar: &ProgressBar) {
        bar.abandon();
    }

    /// A message on stderr, above the bars (not with `--quiet`).
    pub fn note(&self, text: &str) {
        if self.quiet {
            return;
        }
        if self.shown {
            let _ = self.multi.println(text);
        } else {
            eprintln!("{text}");
        }
    }
}

/// The label column: padded, long names cut with `…`.
fn label_of(label: &str) -> String {
    let clean: String = label.chars().filter(|c| !c.is_control()).collect();
    if clean.chars().count() > LABEL {
        let cut: String = clean.chars().take(LABEL - 1).collect();
        format!("{cut}…")
    } else {
        format!("{clean:<LABEL$}")
    }
}
