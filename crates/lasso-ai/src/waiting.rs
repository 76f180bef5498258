//! Waiting for a job to finish: a table's extraction (`tables.get` until its
//! status is terminal) or an enhancement run (`enhance.status` until every
//! cell of the columns waited for is completed or failed).
//!
//! The wait's deadline bounds everything it does, each status request
//! included. A status request that fails for a transient reason (a reset, a
//! timeout, 429, 5xx) is tried again with backoff until that deadline: only
//! the deadline, a terminal status, a failure that repeating cannot fix
//! (404, 401, …) or the progress callback ends a wait.

use std::ops::ControlFlow;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::time::Instant;

use crate::error::Error;
use crate::options::RequestOptions;
use crate::retry;
use crate::transport::human;
use crate::types::TableStatus;
use crate::Client;

/// How often the table is polled unless told otherwise (the spec's, which
/// every language's generated helpers show).
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_millis(lasso_spec::helpers::WAIT_INTERVAL_MS);
/// How long to wait unless told otherwise (the spec's).
pub const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_millis(lasso_spec::helpers::WAIT_TIMEOUT_MS);

/// A progress report: the table's status and progress (0–100) when either changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// The table's status as the API reports it.
    pub status: String,
    /// 0–100, when the API reports it.
    pub progress: Option<f64>,
}

/// A job a wait polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job<'a> {
    /// A table's extraction (`GET /tables/{table_id}`).
    Extraction {
        /// The table.
        table_id: &'a str,
    },
    /// A table's enhancement (`GET /tables/{table_id}/enhance/status`): every
    /// column, or one.
    Enhancement {
        /// The table.
        table_id: &'a str,
        /// Only this column's cells; `None` for every column being enhanced.
        column_key: Option<&'a str>,
    },
}

/// Where a job stands after one poll.
enum Stage {
    Running,
    Done,
    Failed(Error),
}

impl Job<'_> {
    fn poll(&self) -> (&'static str, Value) {
        match self {
            Job::Extraction { table_id } => ("tables.get", json!({ "table_id": table_id })),
            Job::Enhancement { table_id, .. } => ("enhance.status", json!({ "table_id": table_id })),
        }
    }

    /// What it is, for messages: `table tbl_1`, `the enhancement of table tbl_1 (column c)`.
    fn name(&self) -> String {
        match self {
            Job::Extraction { table_id } => format!("table {table_id}"),
            Job::Enhancement {
                table_id,
                column_key: None,
            } => format!("the enhancement of table {table_id}"),
            Job::Enhancement {
                table_id,
                column_key: Some(c),
            } => format!("the enhancement of column {c} of table {table_id}"),
        }
    }

    /// The progress a poll's answer shows, and its stage.
    fn read(&self, body: &Value) -> (Progress, Stage) {
        match self {
            Job::Extraction { table_id } => {
                let status = body
                    .get("status")
                    .and_then(Value::as_str)
                    .unwrap_or("unknown")
                    .to_owned();
                let progress = Progress {
                    status: status.clone(),
                    progress: body.get("progress").and_then(Value::as_f64),
                };
                let stage = match TableStatus::from(status.as_str()) {
                    TableStatus::Completed => Stage::Done,
                    s if s.is_terminal() => Stage::Failed(job_failed(table_id, status, body.clone())),
                    _ => Stage::Running,
                };
                (progress, stage)
            }
            Job::Enhancement { column_key, .. } => {
                let columns = body.get("columns").and_then(Value::as_object);
                let count = |c: &Value, k: &str| c.get(k).and_then(Value::as_f64).unwrap_or(0.0);
                let (mut total, mut finished, mut failed) = (0.0, 0.0, 0.0);
                for (key, c) in columns.into_iter().flatten() {
                    if column_key.is_some_and(|wanted| wanted != key) {
                        continue;
                    }
                    total += count(c, "total");
                    finished += count(c, "completed") + count(c, "failed");
                    failed += count(c, "failed");
                }
                let done = finished >= total;
                let progress = Progress {
                    status: if done { "completed" } else { "processing" }.to_owned(),
                    progress: Some(if total > 0.0 {
                        (finished / total * 100.0).floor()
                    } else {
                        100.0
                    }),
                };
                let stage = match (done, total > 0.0 && failed >= total) {
                    (true, true) => Stage::Failed(Error::JobFailed {
                        status: "failed".into(),
                        message: format!("{}: every one of its {total} cells failed", self.name()),
                        job: body.clone(),
                    }),
                    (true, false) => Stage::Done,
                    (false, _) => Stage::Running,
                };
                (progress, stage)
            }
        }
    }
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
    /// statuses keep waiting, and so do status requests that fail for a
    /// transient reason. `on_progress` hears each new status or progress.
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
        let waited = self
            .wait_for_table_or_stop(table_id, interval, timeout, |p| {
                on_progress(p);
                ControlFlow::<std::convert::Infallible>::Continue(())
            })
            .await?;
        match waited {
            Ok(table) => Ok(table),
            Err(never) => match never {},
        }
    }

    /// [`wait_for_table`](Client::wait_for_table) whose `on_progress` may
    /// stop the wait by returning [`ControlFlow::Break`]: the wait then ends
    /// at once with `Ok(Err(reason))` (nothing is cancelled on the server).
    pub async fn wait_for_table_or_stop<B: Send>(
        &self,
        table_id: &str,
        interval: Duration,
        timeout: Duration,
        mut on_progress: impl FnMut(&Progress) -> ControlFlow<B> + Send,
    ) -> Result<Result<Value, B>, Error> {
        self.wait_for_table_with(table_id, interval, timeout, |p| {
            std::future::ready(on_progress(&p))
        })
        .await
    }

    /// The wait of [`wait_for_table_or_stop`](Client::wait_for_table_or_stop)
    /// with an asynchronous `on_progress`: each report is awaited before the
    /// wait goes on, so reports arrive one at a time, in order, and none after
    /// the wait ends (what a callback run on another thread or event loop,
    /// as in Python and Node, needs).
    pub async fn wait_for_table_with<B: Send, F, Fut>(
        &self,
        table_id: &str,
        interval: Duration,
        timeout: Duration,
        on_progress: F,
    ) -> Result<Result<Value, B>, Error>
    where
        F: FnMut(Progress) -> Fut + Send,
        Fut: std::future::Future<Output = ControlFlow<B>> + Send,
    {
        self.wait_for_job(Job::Extraction { table_id }, interval, timeout, on_progress)
            .await
    }

    /// Polls `GET /tables/{table_id}/enhance/status` every `interval` until
    /// every cell of the enhancement (of `column_key` only, when given) is
    /// completed or failed, and returns that last status: done even when
    /// some cells failed (their counts say how many); [`Error::JobFailed`]
    /// when every cell failed; [`Error::Timeout`] when `timeout` passes.
    /// Progress reports say `processing` / `completed` and the share of cells
    /// finished. Transient failures of a poll are retried as in
    /// [`wait_for_table`](Client::wait_for_table).
    pub async fn wait_for_enhancement(
        &self,
        table_id: &str,
        column_key: Option<&str>,
        interval: Duration,
        timeout: Duration,
        mut on_progress: impl FnMut(&Progress) + Send,
    ) -> Result<Value, Error> {
        let job = Job::Enhancement { table_id, column_key };
        let waited = self
            .wait_for_job(job, interval, timeout, |p| {
                on_progress(&p);
                std::future::ready(ControlFlow::<std::convert::Infallible>::Continue(()))
            })
            .await?;
        match waited {
            Ok(status) => Ok(status),
            Err(never) => match never {},
        }
    }

    /// Waits for any [`Job`], with an asynchronous `on_progress` that may stop
    /// the wait (see [`wait_for_table_with`](Client::wait_for_table_with)):
    /// the one wait behind every language's helpers.
    pub async fn wait_for_job<B: Send, F, Fut>(
        &self,
        job: Job<'_>,
        interval: Duration,
        timeout: Duration,
        on_progress: F,
    ) -> Result<Result<Value, B>, Error>
    where
        F: FnMut(Progress) -> Fut + Send,
        Fut: std::future::Future<Output = ControlFlow<B>> + Send,
    {
        self.wait_inner(job, interval, timeout, on_progress)
            .await
            .map_err(|e| self.redact(e))
    }

    async fn wait_inner<B: Send, F, Fut>(
        &self,
        job: Job<'_>,
        interval: Duration,
        timeout: Duration,
        mut on_progress: F,
    ) -> Result<Result<Value, B>, Error>
    where
        F: FnMut(Progress) -> Fut + Send,
        Fut: std::future::Future<Output = ControlFlow<B>> + Send,
    {
        if interval.is_zero() {
            return Err(Error::config("the polling interval must be greater than zero"));
        }
        let deadline = Instant::now() + timeout;
        let mut last: Option<Progress> = None;
        let mut failures = 0u32;
        let mut last_failure: Option<Error> = None;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(timed_out(&job, timeout, &last, last_failure.as_ref()));
            }
            // Transient failures are retried by this loop, within the deadline.
            let options = RequestOptions::new()
                .timeout(left.min(self.attempt_timeout()))
                .max_retries(0);
            let (operation, args) = job.poll();
            let poll = self.call(operation, args, &options);
            let body = match tokio::time::timeout_at(deadline, poll).await {
                Err(_) => return Err(timed_out(&job, timeout, &last, last_failure.as_ref())),
                Ok(Err(e)) if e.is_retryable() => {
                    let delay = retry::backoff(failures, e.retry_after());
                    log::debug!(target: "lasso", "waiting for {}: status request failed ({}), trying again in {} ms", job.name(), e.code(), delay.as_millis());
                    failures += 1;
                    last_failure = Some(e);
                    sleep_until_or(deadline, delay).await;
                    continue;
                }
                Ok(Err(e)) => return Err(e),
                Ok(Ok(body)) => body,
            };
            failures = 0;
            last_failure = None;
            let (now, stage) = job.read(&body);
            if last.as_ref() != Some(&now) {
                if let ControlFlow::Break(reason) = on_progress(now.clone()).await {
                    return Ok(Err(reason));
                }
            }
            match stage {
                Stage::Done => return Ok(Ok(body)),
                Stage::Failed(e) => return Err(e),
                Stage::Running => {}
            }
            last = Some(now);
            sleep_until_or(deadline, interval).await;
        }
    }
}

/// Sleeps `delay`, or until `deadline` if that comes first.
async fn sleep_until_or(deadline: Instant, delay: Duration) {
    tokio::time::sleep_until(deadline.min(Instant::now() + delay)).await;
}

fn job_failed(table_id: &str, status: String, table: Value) -> Error {
    let why = table
        .get("error_message")
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty());
    let message = match why {
        Some(why) => format!("table {table_id} ended with status `{status}`: {why}"),
        None => format!("table {table_id} ended with status `{status}`"),
    };
    Error::JobFailed {
        status,
        message,
        job: table,
    }
}

fn timed_out(job: &Job<'_>, timeout: Duration, last: &Option<Progress>, failure: Option<&Error>) -> Error {
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
    let failing = failure
        .map(|e| format!("; the last status request failed: {e}"))
        .unwrap_or_default();
    Error::Timeout {
        message: format!(
            "{} did not finish within {} ({state}{failing}); wait longer with a larger timeout",
            job.name(),
            human(timeout)
        ),
    }
}
