//! What the typed methods return: a [`Call`], sent when awaited, and a
//! [`ListStream`], which pages through a list once polled. Both take per-call
//! options the same way, through `.with_options(…)`.

use std::future::IntoFuture;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use futures_util::{Stream, StreamExt};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::operation::{Operation, ResponseKind};
use crate::{Client, Error, RequestOptions};

/// One call of an API operation: nothing is sent until it is awaited.
///
/// ```no_run
/// # async fn run(client: lasso_ai::Client) -> Result<(), lasso_ai::Error> {
/// use std::time::Duration;
/// use lasso_ai::RequestOptions;
/// let table = client
///     .tables()
///     .get("tbl_123")
///     .with_options(RequestOptions::new().timeout(Duration::from_secs(5)).header("X-Trace", "abc"))
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a call sends nothing until it is awaited"]
pub struct Call<T> {
    client: Client,
    /// What it calls, for `Debug`: the operation's id.
    what: &'static str,
    send: Send<T>,
    options: RequestOptions,
}

/// Sends a call with its client and options.
type Send<T> =
    Box<dyn FnOnce(Client, RequestOptions) -> BoxFuture<'static, Result<T, Error>> + std::marker::Send>;

impl<T: DeserializeOwned + std::marker::Send + 'static> Call<T> {
    /// A call of `op` with these arguments, its answer decoded as `T`.
    pub(crate) fn new(client: &Client, op: &'static Operation, args: Result<Value, Error>) -> Self {
        Call::custom(client, op.id, move |client, options| {
            Box::pin(async move {
                let args = args.map_err(|e| client.redact(e))?;
                if op.response == ResponseKind::Empty {
                    client.call_empty(op, args, &options).await?;
                    return T::deserialize(Value::Null).map_err(|e| Error::internal(e.to_string()));
                }
                client.call_typed(op, args, &options).await
            })
        })
    }
}

impl<T> Call<T> {
    /// A call that `send` makes (a helper: an upload, an export to a file).
    pub(crate) fn custom(
        client: &Client,
        what: &'static str,
        send: impl FnOnce(Client, RequestOptions) -> BoxFuture<'static, Result<T, Error>>
            + std::marker::Send
            + 'static,
    ) -> Self {
        Call {
            client: client.clone(),
            what,
            send: Box::new(send),
            options: RequestOptions::default(),
        }
    }

    /// Options for this call only (timeout, retries, headers, extra query or body
    /// fields); what they leave unset comes from the client.
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options.merged_over(&self.options);
        self
    }
}

impl<T> std::fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("operation", &self.what)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<T: 'static> IntoFuture for Call<T> {
    type Output = Result<T, Error>;
    type IntoFuture = BoxFuture<'static, Result<T, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        let Call {
            client,
            send,
            options,
            ..
        } = self;
        Box::pin(crate::runtime::guarded(send(client, options)))
    }
}

/// Every item of a list operation, page after page, as a [`Stream`]: the first page
/// is requested when the stream is first polled (creating one costs nothing), and
/// each next page while the caller works through the current one.
///
/// ```no_run
/// # async fn run(client: lasso_ai::Client) -> Result<(), lasso_ai::Error> {
/// use futures_util::TryStreamExt;
/// let mut rows = client.tables().iter_rows("tbl_123", lasso_ai::TablesRowsParams::new().limit(100));
/// while let Some(row) = rows.try_next().await? {
///     println!("{}", row.id);
/// }
/// # Ok(()) }
/// ```
#[must_use = "a stream sends nothing until it is polled"]
pub struct ListStream<T> {
    state: State<T>,
}

// A stream is created once per list, so the size of its unpolled state does not matter.
#[allow(clippy::large_enum_variant)]
enum State<T> {
    Ready {
        client: Client,
        op: &'static Operation,
        args: Result<Value, Error>,
        options: RequestOptions,
    },
    Running(BoxStream<'static, Result<T, Error>>),
    Done,
}

impl<T> ListStream<T> {
    pub(crate) fn new(client: &Client, op: &'static Operation, args: Result<Value, Error>) -> Self {
        ListStream {
            state: State::Ready {
                client: client.clone(),
                op,
                args,
                options: RequestOptions::default(),
            },
        }
    }

    /// Options for every page request of this stream (see [`Call::with_options`]).
    /// Set before the first poll; afterwards it changes nothing.
    pub fn with_options(mut self, more: RequestOptions) -> Self {
        if let State::Ready { options, .. } = &mut self.state {
            *options = more.merged_over(options);
        }
        self
    }
}

impl<T> std::fmt::Debug for ListStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match &self.state {
            State::Ready { op, .. } => op.id,
            State::Running(_) => "running",
            State::Done => "done",
        };
        f.debug_struct("ListStream").field("state", &state).finish()
    }
}

impl<T: DeserializeOwned + std::marker::Send + 'static> Stream for ListStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            match &mut self.state {
                State::Running(stream) => return stream.poll_next_unpin(cx),
                State::Done => return Poll::Ready(None),
                State::Ready { .. } => {
                    let State::Ready {
                        client,
                        op,
                        args,
                        options,
                    } = std::mem::replace(&mut self.state, State::Done)
                    else {
                        unreachable!()
                    };
                    let pager = args
                        .map_err(|e| client.redact(e))
                        .and_then(|args| crate::pagination::Pager::new(client, op.id, args, options));
                    match pager {
                        Ok(pager) => self.state = State::Running(pager.into_stream_of().boxed()),
                        Err(e) => return Poll::Ready(Some(Err(e))),
                    }
                }
            }
        }
    }
}

impl<T> Unpin for ListStream<T> {}
