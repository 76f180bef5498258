//! Auto-pagination over every list operation.
//!
//! Page/limit lists (`{data, pagination: {page, limit, total}}`) stop when
//! `page × limit ≥ total` or on a short page; cursor lists follow
//! `next_cursor` (and stop on `has_more: false`). The next page is requested
//! as soon as the current one arrives, so it downloads while the caller works
//! through the current one.

use futures_util::Stream;
use serde_json::{Map, Value};
use tokio::task::JoinHandle;

use crate::error::Error;
use crate::operation::{self, Operation, Paging};
use crate::options::RequestOptions;
use crate::Client;

/// Page size used unless the caller sets one.
pub const DEFAULT_PAGE_SIZE: u64 = 100;

/// Fetches the pages of one list operation, one step ahead of the caller.
///
/// ```no_run
/// # async fn run(client: lasso_ai::Client) -> Result<(), lasso_ai::Error> {
/// let mut pager = client.pager("tables.rows", serde_json::json!({"table_id": "tbl_1"}), Default::default())?;
/// while let Some(rows) = pager.next_page().await? {
///     println!("{} rows", rows.len());
/// }
/// # Ok(()) }
/// ```
pub struct Pager {
    client: Client,
    op: &'static Operation,
    args: Map<String, Value>,
    options: RequestOptions,
    next: Option<JoinHandle<Result<Value, Error>>>,
}

impl std::fmt::Debug for Pager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pager")
            .field("operation", &self.op.id)
            .finish_non_exhaustive()
    }
}

impl Pager {
    pub(crate) fn new(
        client: Client,
        operation: &str,
        args: Value,
        options: RequestOptions,
    ) -> Result<Pager, Error> {
        let op = operation::find(operation)
            .ok_or_else(|| Error::config(format!("unknown operation `{operation}`")))?;
        let mut args = match args {
            Value::Object(map) => map,
            Value::Null => Map::new(),
            _ => return Err(Error::config(format!("{}: arguments must be an object", op.id))),
        };
        let size = match op.paging {
            Paging::None => {
                return Err(Error::config(format!(
                    "`{}` is not a paginated list operation",
                    op.id
                )))
            }
            Paging::Page => "limit",
            Paging::Cursor { size, .. } => size,
        };
        if args.get(size).is_none_or(Value::is_null) {
            args.insert(size.to_owned(), Value::from(DEFAULT_PAGE_SIZE));
        }
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Error::config("pagination must run inside a tokio runtime"));
        }
        let mut pager = Pager {
            client,
            op,
            args,
            options,
            next: None,
        };
        pager.prefetch();
        Ok(pager)
    }

    /// Starts downloading the page described by `self.args`.
    fn prefetch(&mut self) {
        let (client, op, args, options) = (
            self.client.clone(),
            self.op.id,
            self.args.clone(),
            self.options.clone(),
        );
        self.next = Some(tokio::spawn(async move {
            client.call(op, Value::Object(args), &options).await
        }));
    }

    /// The items of the next page, or `None` when the list is exhausted.
    ///
    /// Cancel-safe: if this future is dropped before it completes, the page
    /// keeps downloading inside the pager, and dropping the pager aborts it.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Value>>, Error> {
        let Some(handle) = self.next.as_mut() else {
            return Ok(None);
        };
        let joined = handle.await;
        self.next = None;
        let page = match joined {
            Ok(result) => result?,
            Err(e) => return Err(Error::from_panic(&*e.into_panic())),
        };
        let (items, more) = self.advance(page)?;
        if more {
            self.prefetch();
        }
        Ok(Some(items))
    }

    /// Reads a page: its items, and whether another page follows (in which
    /// case `self.args` now describe it).
    fn advance(&mut self, mut page: Value) -> Result<(Vec<Value>, bool), Error> {
        let key = match self.op.paging {
            Paging::Page => "data",
            Paging::Cursor { items, .. } => items,
            Paging::None => unreachable!("checked in Pager::new"),
        };
        // The items are moved out of the page, not copied.
        let items = match page.get_mut(key).map(Value::take) {
            Some(Value::Array(items)) => items,
            _ => {
                return Err(Error::Decode {
                    status: 200,
                    message: format!("{}: a page of the list has no `{key}` array", self.op.id),
                    raw_body: crate::error::capped_text(page.to_string().as_bytes(), crate::RAW_BODY_LIMIT),
                })
            }
        };
        let more = if self.op.paging == Paging::Page {
            let pagination = page.get("pagination");
            let number = |key: &str| pagination.and_then(|p| p.get(key)).and_then(Value::as_u64);
            let current = number("page")
                .or_else(|| self.args.get("page").and_then(Value::as_u64))
                .unwrap_or(1);
            let limit = number("limit")
                .or_else(|| self.args.get("limit").and_then(Value::as_u64))
                .unwrap_or(1);
            let short = (items.len() as u64) < limit || items.is_empty();
            self.args.insert("page".into(), Value::from(current + 1));
            !short && number("total").is_none_or(|total| current * limit < total)
        } else {
            let cursor = page
                .get("next_cursor")
                .and_then(Value::as_str)
                .filter(|c| !c.is_empty());
            let has_more = page.get("has_more").and_then(Value::as_bool).unwrap_or(true);
            let more = has_more && cursor.is_some() && !items.is_empty();
            if let Some(cursor) = cursor {
                self.args
                    .insert("cursor".into(), Value::String(cursor.to_owned()));
            }
            more
        };
        Ok((items, more))
    }

    /// Every item of every page, as a stream.
    pub fn into_stream(self) -> impl Stream<Item = Result<Value, Error>> + Send {
        futures_util::stream::unfold(
            (self, Vec::new().into_iter(), false),
            |(mut pager, mut items, done)| async move {
                loop {
                    if let Some(item) = items.next() {
                        return Some((Ok(item), (pager, items, done)));
                    }
                    if done {
                        return None;
                    }
                    match pager.next_page().await {
                        Ok(Some(page)) => items = page.into_iter(),
                        Ok(None) => return None,
                        Err(e) => return Some((Err(e), (pager, Vec::new().into_iter(), true))),
                    }
                }
            },
        )
    }
}

impl Drop for Pager {
    fn drop(&mut self) {
        if let Some(handle) = self.next.take() {
            handle.abort();
        }
    }
}

impl Client {
    /// A pager over a list operation (`tables.rows`, `catalog.list`, …),
    /// with `limit`/`page_size` 100 unless `args` sets one. Must be called
    /// within a tokio runtime.
    pub fn pager(&self, operation: &str, args: Value, options: RequestOptions) -> Result<Pager, Error> {
        Pager::new(self.clone(), operation, args, options)
    }

    /// Every item of a list operation, page after page.
    ///
    /// ```no_run
    /// # async fn run(client: lasso_ai::Client) -> Result<(), lasso_ai::Error> {
    /// use futures_util::TryStreamExt;
    /// let rows: Vec<_> = client
    ///     .paginate("tables.rows", serde_json::json!({"table_id": "tbl_1"}))?
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn paginate(
        &self,
        operation: &str,
        args: Value,
    ) -> Result<impl Stream<Item = Result<Value, Error>> + Send, Error> {
        Ok(self
            .pager(operation, args, RequestOptions::default())?
            .into_stream())
    }
}
