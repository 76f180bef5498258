//! What the typed methods return: a [`Call`], sent when awaited, and a
//! [`ListStream`], which pages through a list once polled. Both take per-call
//! options the same way, through `.with_options(…)`.

use std::future::IntoFuture;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use futures_util::{Stream, StreamExt, TryFutureExt};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::ResponseMeta;
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
    /// Whether it is one request of one operation, whose response
    /// [`Call::with_response`] can show (a helper may make several).
    one_response: bool,
}

/// Sends a call with its client and options; asked to (the flag), it keeps
/// the response's status and headers.
type Send<T> = Box<
    dyn FnOnce(Client, RequestOptions, bool) -> BoxFuture<'static, Result<(T, Option<ResponseMeta>), Error>>
        + std::marker::Send,
>;

/// A call's result with the response behind it, from [`Call::with_response`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct WithResponse<T> {
    /// What the call returns without `with_response`.
    pub data: T,
    /// The response's status, request id and headers.
    pub response: ResponseMeta,
}

impl<T: DeserializeOwned + std::marker::Send + 'static> Call<T> {
    /// A call of `op` with these arguments, its answer decoded as `T`.
    pub(crate) fn new(client: &Client, op: &'static Operation, args: Result<Value, Error>) -> Self {
        let send: Send<T> = Box::new(move |client: Client, options: RequestOptions, with_meta| {
            Box::pin(async move {
                let args = args.map_err(|e| client.redact(e))?;
                if op.response == ResponseKind::Empty {
                    let meta = client.call_empty(op, args, &options, with_meta).await?;
                    let none = T::deserialize(Value::Null).map_err(|e| Error::internal(e.to_string()))?;
                    return Ok((none, meta));
                }
                client.call_typed(op, args, &options, with_meta).await
            })
        });
        Call {
            client: client.clone(),
            what: op.id,
            send,
            options: RequestOptions::default(),
            one_response: true,
        }
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
    ) -> Self
    where
        T: 'static,
    {
        Call {
            client: client.clone(),
            what,
            send: Box::new(move |client, options, _| Box::pin(send(client, options).map_ok(|t| (t, None)))),
            options: RequestOptions::default(),
            one_response: false,
        }
    }

    /// Options for this call only (timeout, retries, headers, extra query or body
    /// fields); what they leave unset comes from the client.
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options.merged_over(&self.options);
        self
    }

    /// The result together with the response behind it: its status, headers and
    /// request id, to quote to support about a call that worked.
    ///
    /// ```no_run
    /// # async fn run(client: lasso_ai::Client) -> Result<(), lasso_ai::Error> {
    /// let balance = client.credits().balance().with_response().await?;
    /// println!("{} credits (request {:?})", balance.data.balance, balance.response.request_id);
    /// # Ok(()) }
    /// ```
    ///
    /// For a call of one API operation. A helper (an upload, an export, a wait)
    /// gives a [`Configuration`](crate::ErrorKind::Configuration) error when
    /// awaited, before anything is sent.
    pub fn with_response(self) -> Call<WithResponse<T>>
    where
        T: 'static,
    {
        let Call {
            client,
            what,
            send,
            options,
            one_response,
        } = self;
        let send: Send<WithResponse<T>> = Box::new(move |client, options, _| {
            Box::pin(async move {
                if !one_response {
                    return Err(Error::config(format!(
                        "`{what}` is a helper, not one API operation, so it has no one response to \
                         show: `with_response()` is for the calls of API operations"
                    )));
                }
                let (data, response) = send(client, options, true).await?;
                let response =
                    response.ok_or_else(|| Error::internal(format!("`{what}` kept no response")))?;
                Ok((WithResponse { data, response }, None))
            })
        });
        Call {
            client,
            what,
            send,
            options,
            one_response,
        }
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
        Box::pin(crate::runtime::guarded(
            send(client, options, false).map_ok(|(t, _)| t),
        ))
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
