//! What a client reports while it works: one DEBUG line per attempt (method,
//! path, outcome, duration, attempt number, request id), an INFO line for a
//! retry about to happen and for a redirect followed, a WARN line for a call
//! that failed for good. Never the key, never a body.
//!
//! Lines go to the `log` crate (target `lasso`: Python's `logging` hears them
//! through the binding) and to the client's own logger when it has one (how
//! Node's `logger` option and `LASSO_LOG` in Rust programs print them).

use std::fmt;
use std::sync::Arc;

pub use log::Level;

/// Environment variable: `debug`, `info`, `warn`, `error` or `off`. In Rust
/// programs without a logger of their own, a client then prints its lines at
/// that level and above to stderr; Python and Node read it too.
pub const ENV_LOG: &str = "LASSO_LOG";

/// A client's own logger: hears each line at or above its level.
pub type Logger = Arc<dyn Fn(Level, &str) + Send + Sync>;

/// `debug`, `info`, `warn`, `error` (any case); `off` and anything else: `None`.
pub fn parse_level(text: &str) -> Option<Level> {
    match text.trim().to_ascii_lowercase().as_str() {
        "trace" | "debug" => Some(Level::Debug),
        "info" => Some(Level::Info),
        "warn" | "warning" => Some(Level::Warn),
        "error" => Some(Level::Error),
        _ => None,
    }
}

/// The level as `LASSO_LOG` and the bindings' loggers spell it: `debug`, `info`,
/// `warn`, `error` (`trace` for [`Level::Trace`], which the client does not emit).
pub fn level_name(level: Level) -> &'static str {
    match level {
        Level::Trace => "trace",
        Level::Debug => "debug",
        Level::Info => "info",
        Level::Warn => "warn",
        Level::Error => "error",
    }
}

/// Where one client's lines go.
#[derive(Clone, Default)]
pub(crate) struct Sink {
    logger: Option<(Logger, Level)>,
}

impl Sink {
    pub(crate) fn new(logger: Option<(Logger, Level)>) -> Sink {
        Sink { logger }
    }

    /// Lines printed to stderr at `level` and above (`LASSO_LOG` in a Rust program).
    pub(crate) fn stderr(level: Level) -> Sink {
        let print: Logger = Arc::new(|level, line| eprintln!("lasso {}: {line}", level_name(level)));
        Sink::new(Some((print, level)))
    }

    /// Whether a line at `level` would go anywhere (so it is only formatted then).
    pub(crate) fn enabled(&self, level: Level) -> bool {
        log::log_enabled!(target: "lasso", level)
            || self.logger.as_ref().is_some_and(|(_, max)| level <= *max)
    }

    pub(crate) fn emit(&self, level: Level, line: fmt::Arguments<'_>) {
        if !self.enabled(level) {
            return;
        }
        let line = line.to_string();
        log::log!(target: "lasso", level, "{line}");
        if let Some((logger, max)) = &self.logger {
            if level <= *max {
                logger(level, &line);
            }
        }
    }
}

impl fmt::Debug for Sink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.logger {
            Some((_, level)) => write!(f, "Sink(logger at {level})"),
            None => f.write_str("Sink(log crate)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(parse_level(" DEBUG "), Some(Level::Debug));
        assert_eq!(parse_level("warning"), Some(Level::Warn));
        assert_eq!(parse_level("off"), None);
        assert_eq!(parse_level("loud"), None);
        // The names round-trip: what a binding's logger hears, LASSO_LOG accepts.
        for level in [Level::Debug, Level::Info, Level::Warn, Level::Error] {
            assert_eq!(parse_level(level_name(level)), Some(level));
        }
    }

    #[test]
    fn a_clients_logger_hears_its_level_and_above() {
        let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
        let h = heard.clone();
        let sink = Sink::new(Some((
            Arc::new(move |level, line: &str| h.lock().unwrap().push(format!("{level} {line}"))),
            Level::Info,
        )));
        sink.emit(Level::Debug, format_args!("an attempt"));
        sink.emit(Level::Info, format_args!("a retry"));
        sink.emit(Level::Warn, format_args!("a failure"));
        assert_eq!(*heard.lock().unwrap(), ["INFO a retry", "WARN a failure"]);
    }
}
