//! Waiting for a job to finish: a table's extraction (`tables.get` until its
//! status is terminal) or an enhancement run (`enhance.status` until every
//! cell of the columns waited for is completed or failed).
//!
//! The wait's deadline bounds everything it does, each status request
//! included. A status request that fails for a transient reason (a reset, a
//! timeout, 429, 5xx) is tried again with backoff until that deadline: only
//! the deadline, a terminal status, a failure that repeating cannot fix
//! (404, 401, …) or the progress callback ends a wait.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::ops::ControlFlow;
use std::pin::Pin;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use tokio::time::Instant;

use crate::error::{Error, JobKind};
use crate::options::RequestOptions;
use crate::retry;
use crate::transport::human;
use crate::types::{EnhanceStatus, Table, TableStatus};
use crate::{Client, Enhance, Tables};

/// How often the table is polled unless told otherwise (the spec's, which
/// every language's generated helpers show).
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_millis(lasso_spec::helpers::WAIT_INTERVAL_MS);
/// How long to wait unless told otherwise (the spec's).
pub const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_millis(lasso_spec::helpers::WAIT_TIMEOUT_MS);

/// A progress report of a wait: the job's status and progress (0–100), sent
/// when either changed.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Progress {
    /// The table's status as the API reports it; for an enhancement,
    /// `processing` until every cell is done, then `completed`.
    pub status: TableStatus,
    /// 0–100, when the API reports it.
    pub progress: Option<f64>,
}

/// A job a wait polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
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
                let status =
                    TableStatus::from(body.get("status").and_then(Value::as_str).unwrap_or("unknown"));
                let progress = Progress {
                    status: status.clone(),
                    progress: body.get("progress").and_then(Value::as_f64),
                };
                let stage = match status {
                    TableStatus::Completed => Stage::Done,
                    s if s.is_terminal() => Stage::Failed(job_failed(table_id, s.to_string(), body.clone())),
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
                    status: if done {
                        TableStatus::Completed
                    } else {
                        TableStatus::Processing
                    },
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
                        kind: JobKind::Enhancement,
                        job: Box::new(body.clone()),
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

/// What [`WaitForCompletion::on_progress`] keeps.
type ProgressCallback = Box<dyn FnMut(&Progress) + Send>;

/// A wait for a job to finish, configured by its setters and run when awaited:
/// [`Tables::wait_for_completion`] (a table's extraction, resolving to the
/// [`Table`]) or [`Enhance::wait_for_completion`] (an enhancement, resolving to
/// its last [`EnhanceStatus`]).
///
/// The status is polled every [`interval`](Self::interval) (default 3 s) until the
/// job is done, fails ([`Error::JobFailed`]) or [`timeout`](Self::timeout) passes
/// (default 300 s; [`Error::Timeout`] naming the last status). The timeout bounds
/// the whole wait, each status request included; a status request that fails for
/// a transient reason is tried again within it. To stop waiting earlier, drop the
/// future (nothing is cancelled on the server).
#[must_use = "a wait does nothing until it is awaited"]
pub struct WaitForCompletion<T> {
    client: Client,
    table_id: String,
    /// `Some` for an enhancement: the column waited for, `None` for all of them.
    enhancement: Option<Option<String>>,
    interval: Duration,
    timeout: Duration,
    options: RequestOptions,
    on_progress: Option<ProgressCallback>,
    _out: PhantomData<fn() -> T>,
}

impl<T> WaitForCompletion<T> {
    fn new(client: &Client, table_id: &str, enhancement: Option<Option<String>>) -> Self {
        WaitForCompletion {
            client: client.clone(),
            table_id: table_id.to_owned(),
            enhancement,
            interval: DEFAULT_POLL_INTERVAL,
            timeout: DEFAULT_WAIT_TIMEOUT,
            options: RequestOptions::default(),
            on_progress: None,
            _out: PhantomData,
        }
    }

    /// How often the status is read (default 3 s; must be above zero).
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// How long the whole wait may take (default 300 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Called with each new status or progress, in order, never after the wait ended.
    pub fn on_progress(mut self, on_progress: impl FnMut(&Progress) + Send + 'static) -> Self {
        self.on_progress = Some(Box::new(on_progress));
        self
    }

    /// Options for the status requests (headers, extra query parameters); each
    /// request's timeout and retries are the wait's own.
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options.merged_over(&self.options);
        self
    }
}

impl<T> std::fmt::Debug for WaitForCompletion<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WaitForCompletion")
            .field("table_id", &self.table_id)
            .field("enhancement", &self.enhancement)
            .field("interval", &self.interval)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for WaitForCompletion<T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(crate::runtime::guarded(async move {
            let WaitForCompletion {
                client,
                table_id,
                enhancement,
                interval,
                timeout,
                options,
                mut on_progress,
                ..
            } = self;
            let job = match &enhancement {
                None => Job::Extraction { table_id: &table_id },
                Some(column) => Job::Enhancement {
                    table_id: &table_id,
                    column_key: column.as_deref(),
                },
            };
            let report = |p: Progress| {
                if let Some(f) = on_progress.as_mut() {
                    f(&p);
                }
                std::future::ready(ControlFlow::<std::convert::Infallible>::Continue(()))
            };
            let body = match client.wait_job(job, interval, timeout, &options, report).await? {
                Ok(body) => body,
                Err(never) => match never {},
            };
            let what = match enhancement {
                None => "the Table object",
                Some(_) => "the enhancement status",
            };
            T::deserialize(&body).map_err(|e| Error::Decode {
                status: 200,
                message: format!("the status of table {table_id} is not {what} ({e})"),
                raw_body: body.to_string(),
                source: Some(Box::new(e)),
            })
        }))
    }
}

impl Tables<'_> {
    /// Waits until the table's extraction is `completed` and returns the table;
    /// an extraction that ends `failed`, `error` or `cancelled` is
    /// [`Error::JobFailed`] (carrying the table). See [`WaitForCompletion`].
    ///
    /// ```no_run
    /// # async fn run(client: lasso_ai::Client) -> Result<(), lasso_ai::Error> {
    /// use std::time::Duration;
    /// let table = client
    ///     .tables()
    ///     .wait_for_completion("tbl_123")
    ///     .interval(Duration::from_secs(2))
    ///     .timeout(Duration::from_secs(120))
    ///     .on_progress(|p| println!("{} {:?}%", p.status, p.progress))
    ///     .await?;
    /// println!("{} rows", table.total_rows.unwrap_or(0));
    /// # Ok(()) }
    /// ```
    pub fn wait_for_completion(self, table_id: &str) -> WaitForCompletion<Table> {
        WaitForCompletion::new(self.client, table_id, None)
    }
}

impl Enhance<'_> {
    /// Waits until every cell of the table's enhancement (of one column, with
    /// [`WaitForCompletion::column`]) is completed or failed, and returns that last
    /// status: done even when some cells failed (their counts say how many);
    /// [`Error::JobFailed`] when every cell failed. Progress reports say
    /// `processing` / `completed` and the share of cells finished.
    pub fn wait_for_completion(self, table_id: &str) -> WaitForCompletion<EnhanceStatus> {
        WaitForCompletion::new(self.client, table_id, Some(None))
    }
}

impl WaitForCompletion<EnhanceStatus> {
    /// Waits for this column's cells only.
    pub fn column(mut self, column_key: impl Into<String>) -> Self {
        self.enhancement = Some(Some(column_key.into()));
        self
    }
}

impl Client {
    /// Waits for any [`Job`], with an asynchronous `on_progress` that may stop
    /// the wait by returning [`ControlFlow::Break`] (the wait then ends at once
    /// with `Ok(Err(reason))`): the one wait behind every language's helpers.
    /// Each report is awaited before the wait goes on, so reports arrive one at
    /// a time, in order, and none after the wait ends.
    pub(crate) async fn wait_job<B: Send, F, Fut>(
        &self,
        job: Job<'_>,
        interval: Duration,
        timeout: Duration,
        options: &RequestOptions,
        on_progress: F,
    ) -> Result<Result<Value, B>, Error>
    where
        F: FnMut(Progress) -> Fut + Send,
        Fut: std::future::Future<Output = ControlFlow<B>> + Send,
    {
        self.wait_inner(job, interval, timeout, options, on_progress)
            .await
            .map_err(|e| self.redact(e))
    }

    async fn wait_inner<B: Send, F, Fut>(
        &self,
        job: Job<'_>,
        interval: Duration,
        timeout: Duration,
        base: &RequestOptions,
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
                .max_retries(0)
                .merged_over(base);
            let (operation, args) = job.poll();
            let poll = self.value_call(operation, args, &options);
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
        kind: JobKind::Table,
        job: Box::new(table),
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
