//! Waiting for a table's extraction to finish.

use std::time::Duration;

use serde_json::{json, Value};
use tokio::time::Instant;

use crate::error::Error;
use crate::options::RequestOptions;
use crate::types::TableStatus;
use crate::Client;

/// How often the table is polled unless told otherwise.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(3);
/// How long to wait unless told otherwise.
pub const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(300);

/// A progress report: the table's status and progress (0–100) when either changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// The table's status as the API reports it.
    pub status: String,
    /// 0–100, when the API reports it.
    pub progress: Option<f64>,
}

impl TableStatus {
    /// Whether extraction has finished, successfully or not.
    ///
    /// ```
    /// use lasso_ai::TableStatus;
    /// assert!(TableStatus::from("cancelled").is_terminal());
    /// assert!(!TableStatus::from("processing_by_worker").is_terminal());
    /// ```
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Self::Completed | Self::Failed | Self::Error | Self::Cancelled
        )
    }
}

impl Client {
    /// Polls `GET /tables/{table_id}` every `interval` until the table is
    /// `completed` (returns it), ends `failed`, `error` or `cancelled`
    /// ([`Error::JobFailed`] carrying the table), or `timeout` passes
    /// ([`Error::Timeout`] naming the last status and progress). Unknown
    /// statuses keep waiting. `on_progress` hears each new status or progress.
    ///
    /// ```no_run
    /// # async fn run(client: lasso_ai::Client) -> Result<(), lasso_ai::Error> {
    /// use std::time::Duration;
    /// let table = client
    ///     .wait_for_table("tbl_1", Duration::from_secs(2), Duration::from_secs(120), |p| {
    ///         println!("{} {:?}%", p.status, p.progress)
    ///     })
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn wait_for_table(
        &self,
        table_id: &str,
        interval: Duration,
        timeout: Duration,
        mut on_progress: impl FnMut(&Progress) + Send,
    ) -> Result<Value, Error> {
        if interval.is_zero() {
            return Err(Error::config("the polling interval must be greater than zero"));
        }
        let deadline = Instant::now() + timeout;
        let mut last: Option<Progress> = None;
        loop {
            // Each poll may take at most the time left, so the deadline holds.
            let left = deadline
                .saturating_duration_since(Instant::now())
                .max(Duration::from_millis(1));
            let options = RequestOptions::new().timeout(left.min(self.attempt_timeout()));
            let table = match self
                .call("tables.get", json!({ "table_id": table_id }), &options)
                .await
            {
                Err(Error::Timeout { .. }) if Instant::now() >= deadline => {
                    return Err(timed_out(table_id, timeout, &last))
                }
                other => other?,
            };
            let status = table
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or("unknown")
                .to_owned();
            let now = Progress {
                status,
                progress: table.get("progress").and_then(Value::as_f64),
            };
            if last.as_ref() != Some(&now) {
                on_progress(&now);
            }
            match TableStatus::from(now.status.as_str()) {
                TableStatus::Completed => return Ok(table),
                s if s.is_terminal() => {
                    let why = table
                        .get("error_message")
                        .and_then(Value::as_str)
                        .filter(|m| !m.is_empty());
                    let message = match why {
                        Some(why) => format!("table {table_id} ended with status `{}`: {why}", now.status),
                        None => format!("table {table_id} ended with status `{}`", now.status),
                    };
                    return Err(Error::JobFailed {
                        status: now.status,
                        message,
                        job: table,
                    });
                }
                _ => {}
            }
            last = Some(now);
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(timed_out(table_id, timeout, &last));
            }
            tokio::time::sleep(interval.min(left)).await;
        }
    }
}

fn timed_out(table_id: &str, timeout: Duration, last: &Option<Progress>) -> Error {
    let state = match last {
        Some(Progress {
            status,
            progress: Some(p),
        }) => format!("last status `{status}`, progress {p}%"),
        Some(Progress {
            status,
            progress: None,
        }) => format!("last status `{status}`"),
        None => "no status read yet".to_owned(),
    };
    Error::Timeout {
        message: format!(
            "table {table_id} did not finish within {:.1} s ({state}); wait longer with a larger timeout",
            timeout.as_secs_f64()
        ),
    }
}
