//! Auto-pagination over every list operation.
//!
//! Page/limit lists (`{data, pagination: {page, limit, total}}`) stop when
//! `page × limit ≥ total` or on a short page; cursor lists follow
//! `next_cursor` (and stop on `has_more: false`). The next page is requested
//! as soon as the current one arrives, so it downloads while the caller works
//! through the current one.

use std::ops::Range;

use futures_util::Stream;
use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use tokio::task::JoinHandle;

use crate::client::JsonBody;
use crate::error::Error;
use crate::operation::{self, Operation, Paging};
use crate::options::RequestOptions;
use crate::Client;

/// Page size used unless the caller sets one.
pub const DEFAULT_PAGE_SIZE: u64 = 100;

/// What follows a page.
enum Next {
    Done,
    /// Page/limit lists: the next page's number.
    Page(u64),
    /// Cursor lists: `self.args` carries the next cursor.
    Cursor,
}

/// Fetches the pages of one list operation, one step ahead of the caller: the
/// first page when it is first asked for, each next one as soon as the one
/// before arrives.
pub struct Pager {
    client: Client,
    op: &'static Operation,
    args: Map<String, Value>,
    options: RequestOptions,
    /// The page being downloaded.
    next: Option<JoinHandle<Result<JsonBody, Error>>>,
    /// Whether the first page was asked for (nothing is sent before).
    started: bool,
    /// What the pages so far said, to stop a list that does not advance.
    progress: Progress,
}

/// The evidence that a list advances: cursors seen, empty pages in a row,
/// and a fingerprint of the last page's items.
#[derive(Default)]
pub(crate) struct Progress {
    cursors: std::collections::HashSet<String>,
    empty_in_a_row: u32,
    last_items: Option<u64>,
    pub(crate) pages: u64,
}

impl Progress {
    /// Counts the next page (in list order) and refuses one whose items are
    /// those of the page before: a server that ignores the page asked for.
    pub(crate) fn next_page(&mut self, body: &[u8], items: &[Range<usize>]) -> Result<(), String> {
        self.pages += 1;
        let fingerprint = fingerprint(body, items);
        if !items.is_empty() && self.last_items == Some(fingerprint) {
            return Err("the server sent the same page twice in a row".into());
        }
        self.last_items = (!items.is_empty()).then_some(fingerprint);
        Ok(())
    }
}

/// The error that stops a list which does not advance.
pub(crate) fn stuck(what: &str, pages: u64, why: &str) -> Error {
    Error::Pagination {
        message: format!(
            "{what}: the list does not advance ({why}) after {pages} page(s); stopped rather than loop \
             forever. The items already returned are valid; this is a server-side problem"
        ),
    }
}

/// Empty pages that say more follow, in a row, before the list is taken as stuck.
const MAX_EMPTY_PAGES: u32 = 3;

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
            return Err(Error::config(crate::runtime::NEEDS_RUNTIME));
        }
        Ok(Pager {
            client,
            op,
            args,
            options,
            next: None,
            started: false,
            progress: Progress::default(),
        })
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
            client.json_call(op, Value::Object(args), &options).await
        }));
    }

    /// The items of the next page, or `None` when the list is exhausted.
    ///
    /// Cancel-safe: if this future is dropped before it completes, the page
    /// keeps downloading inside the pager, and dropping the pager aborts it.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Value>>, Error> {
        self.next_page_as().await
    }

    /// The items of the next page decoded as `T` (e.g. [`crate::Row`]),
    /// straight from the JSON text, or `None` when the list is exhausted.
    /// Cancel-safe, like [`next_page`](Pager::next_page).
    pub async fn next_page_as<T: DeserializeOwned>(&mut self) -> Result<Option<Vec<T>>, Error> {
        let Some(page) = self.next_raw_page().await? else {
            return Ok(None);
        };
        page.items()
            .map(|item| serde_json::from_slice(item).map_err(|e| page.decode_error(&e.to_string())))
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// Like [`next_page`](Pager::next_page), with the items left as JSON
    /// text, for front doors that decode them into their own objects.
    #[doc(hidden)]
    pub async fn next_raw_page(&mut self) -> Result<Option<RawPage>, Error> {
        if !self.started {
            self.started = true;
            self.prefetch();
        }
        let Some(handle) = self.next.as_mut() else {
            return Ok(None);
        };
        let joined = handle.await;
        self.next = None;
        let body = match joined {
            Ok(result) => result?,
            Err(e) if e.is_panic() => return Err(crate::runtime::from_panic(&*e.into_panic())),
            Err(_) => {
                return Err(Error::Internal {
                    message: format!(
                        "{}: the page download was cancelled (is the runtime shutting down?)",
                        self.op.id
                    ),
                })
            }
        };
        let (page, next) = self.advance(body)?;
        match next {
            Next::Done => {}
            Next::Page(number) => {
                self.args.insert("page".into(), Value::from(number));
                self.prefetch();
            }
            Next::Cursor => self.prefetch(),
        }
        Ok(Some(page))
    }

    /// Reads a page: its items, and what follows it. Only the envelope is
    /// decoded here; the items stay JSON text until the caller wants them.
    fn advance(&mut self, body: JsonBody) -> Result<(RawPage, Next), Error> {
        let key = match self.op.paging {
            Paging::Page => "data",
            Paging::Cursor { items, .. } => items,
            Paging::None => unreachable!("checked in Pager::new"),
        };
        let envelope = Envelope::read(body.bytes(), key).map_err(|why| {
            let why = why.unwrap_or_else(|| format!("a page of the list has no `{key}` array"));
            body.decode_error(&format!("{}: {why}", self.op.id))
        })?;
        let count = envelope.items.len() as u64;
        if let Err(why) = self.progress.next_page(body.bytes(), &envelope.items) {
            return Err(self.stuck(&why));
        }
        let next = if self.op.paging == Paging::Page {
            let number = |key: &str| {
                envelope
                    .pagination
                    .as_ref()
                    .and_then(|p| p.get(key))
                    .and_then(Value::as_u64)
            };
            let asked = self.args.get("page").and_then(Value::as_u64).unwrap_or(1);
            let current = number("page").unwrap_or(asked);
            if current != asked {
                return Err(self.stuck(&format!(
                    "page {asked} was asked for and the server answered with page {current}"
                )));
            }
            let limit = number("limit")
                .or_else(|| self.args.get("limit").and_then(Value::as_u64))
                .unwrap_or(1);
            let total = number("total");
            let short = count < limit || count == 0;
            let seen = current.checked_mul(limit);
            let reached = total.is_some_and(|total| seen.is_none_or(|seen| seen >= total));
            match current.checked_add(1) {
                Some(next) if !short && !reached => Next::Page(next),
                _ => Next::Done,
            }
        } else {
            let cursor = envelope
                .next_cursor
                .as_ref()
                .and_then(Value::as_str)
                .filter(|c| !c.is_empty());
            let has_more = envelope
                .has_more
                .as_ref()
                .and_then(Value::as_bool)
                .unwrap_or(true);
            match cursor {
                Some(cursor) if has_more => {
                    if !self.progress.cursors.insert(cursor.to_owned()) {
                        return Err(self.stuck(&format!("the cursor {cursor:?} came back a second time")));
                    }
                    self.progress.empty_in_a_row = if count == 0 {
                        self.progress.empty_in_a_row + 1
                    } else {
                        0
                    };
                    if self.progress.empty_in_a_row >= MAX_EMPTY_PAGES {
                        return Err(self.stuck(&format!(
                            "{MAX_EMPTY_PAGES} empty pages in a row each said more items follow"
                        )));
                    }
                    self.args
                        .insert("cursor".into(), Value::String(cursor.to_owned()));
                    Next::Cursor
                }
                _ => Next::Done,
            }
        };
        Ok((
            RawPage {
                body,
                items: envelope.items,
            },
            next,
        ))
    }

    /// The error that stops a list which does not advance.
    fn stuck(&self, why: &str) -> Error {
        stuck(self.op.id, self.progress.pages, why)
    }

    /// Every item of every page, as a stream.
    pub fn into_stream(self) -> impl Stream<Item = Result<Value, Error>> + Send {
        self.into_stream_of()
    }

    /// Every item of every page, decoded as `T`, as a stream.
    pub fn into_stream_of<T: DeserializeOwned + Send + 'static>(
        self,
    ) -> impl Stream<Item = Result<T, Error>> + Send {
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
                    match pager.next_page_as().await {
                        Ok(Some(page)) => items = page.into_iter(),
                        Ok(None) => return None,
                        Err(e) => return Some((Err(e), (pager, Vec::new().into_iter(), true))),
                    }
                }
            },
        )
    }
}

/// An FNV-1a-style hash over a page's items, eight bytes a step, to notice a
/// page served twice. (A byte a step, each multiply waiting on the one before,
/// cost about 12% of the CPU of reading a table into Arrow.)
fn fingerprint(body: &[u8], items: &[Range<usize>]) -> u64 {
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for item in items {
        let bytes = &body[item.clone()];
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            hash = (hash ^ u64::from_le_bytes(word.try_into().expect("8 bytes"))).wrapping_mul(PRIME);
        }
        for &b in words.remainder() {
            hash = (hash ^ u64::from(b)).wrapping_mul(PRIME);
        }
        // The item's length ends it, so items split differently hash differently.
        hash = (hash ^ bytes.len() as u64).wrapping_mul(PRIME);
    }
    hash
}

/// A page/limit list's page read outside a [`Pager`]: its items and its
/// `pagination` object (the Arrow path fetches several pages at once).
#[cfg(feature = "arrow")]
pub(crate) fn read_page(body: JsonBody, key: &str) -> Result<(RawPage, Option<Value>), Error> {
    let envelope = Envelope::read(body.bytes(), key).map_err(|why| {
        let why = why.unwrap_or_else(|| format!("a page of the list has no `{key}` array"));
        body.decode_error(&why)
    })?;
    let page = RawPage {
        body,
        items: envelope.items,
    };
    Ok((page, envelope.pagination))
}

/// One page of a list, its items still JSON text.
#[derive(Debug)]
pub struct RawPage {
    body: JsonBody,
    /// Where each item lies in `body`.
    items: Vec<Range<usize>>,
}

impl RawPage {
    /// The body and where each item lies in it.
    #[cfg(feature = "arrow")]
    pub(crate) fn parts(&self) -> (&[u8], &[Range<usize>]) {
        (self.body.bytes(), &self.items)
    }

    /// Each item's JSON text, in order.
    pub fn items(&self) -> impl ExactSizeIterator<Item = &[u8]> {
        self.items.iter().map(|r| &self.body.bytes()[r.clone()])
    }

    /// The items as the text of one JSON array (they were checked to be JSON
    /// when the page was read).
    pub fn items_json(&self) -> String {
        let mut text = String::with_capacity(self.body.bytes().len());
        text.push('[');
        for (i, item) in self.items().enumerate() {
            if i > 0 {
                text.push(',');
            }
            text.push_str(std::str::from_utf8(item).expect("items were read as JSON text"));
        }
        text.push(']');
        text
    }

    /// The error to raise when a front door's decoder rejects an item (`why`).
    pub fn decode_error(&self, why: &str) -> Error {
        self.body
            .decode_error(&format!("{}: {why}", self.body.operation().id))
    }
}

/// Visitor methods answering `None` for every JSON scalar.
macro_rules! none_for_scalars {
    () => {
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    };
}

/// What the pager needs from a page: where the items are, and the fields
/// that say whether another page follows. Everything else is skipped
/// unparsed, and so are the items (their extent is all that is kept).
#[derive(Default)]
struct Envelope {
    items: Vec<Range<usize>>,
    pagination: Option<Value>,
    next_cursor: Option<Value>,
    has_more: Option<Value>,
}

impl Envelope {
    /// `Err(None)`: valid JSON without an items array; `Err(Some(why))`: not JSON.
    fn read(body: &[u8], items_key: &str) -> Result<Envelope, Option<String>> {
        let mut de = serde_json::Deserializer::from_slice(body);
        let seed = EnvelopeSeed {
            items_key,
            base: body.as_ptr() as usize,
        };
        let envelope = seed.deserialize(&mut de).map_err(|e| Some(e.to_string()))?;
        de.end().map_err(|e| Some(e.to_string()))?;
        envelope.ok_or(None)
    }
}

struct EnvelopeSeed<'k> {
    items_key: &'k str,
    /// The address of the body, to turn borrowed items into ranges.
    base: usize,
}

impl<'de> DeserializeSeed<'de> for EnvelopeSeed<'_> {
    /// `None` when the page is not an object with an items array.
    type Value = Option<Envelope>;

    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EnvelopeSeed<'_> {
    type Value = Option<Envelope>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a page of a list")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut envelope = Envelope::default();
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == self.items_key {
                // Not an array: as if absent.
                if let Some(items) = map.next_value_seed(ItemsSeed { base: self.base })? {
                    envelope.items = items;
                    found = true;
                }
            } else {
                let slot = match key.as_str() {
                    "pagination" => &mut envelope.pagination,
                    "next_cursor" => &mut envelope.next_cursor,
                    "has_more" => &mut envelope.has_more,
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                        continue;
                    }
                };
                *slot = Some(map.next_value()?);
            }
        }
        Ok(found.then_some(envelope))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    none_for_scalars!();
}

/// The items array: each item's extent in the body, skipped unparsed.
struct ItemsSeed {
    base: usize,
}

impl<'de> DeserializeSeed<'de> for ItemsSeed {
    /// `None` when the value is not an array.
    type Value = Option<Vec<Range<usize>>>;

    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed {
    type Value = Option<Vec<Range<usize>>>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the items of a page")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element::<&'de RawValue>()? {
            let start = item.get().as_ptr() as usize - self.base;
            items.push(start..start + item.get().len());
        }
        Ok(Some(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    none_for_scalars!();
}

impl Drop for Pager {
    fn drop(&mut self) {
        if let Some(handle) = self.next.take() {
            handle.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn a_fingerprint_sees_every_byte_and_where_items_end() {
        let page = br#"{"data":[{"id":"row_1","name":"first item"},{"id":"row_2","n":22}]}"#;
        let text = std::str::from_utf8(page).unwrap();
        let first = text.find(r#"{"id":"row_1""#).unwrap();
        let second = text.find(r#"{"id":"row_2""#).unwrap();
        let end = text.rfind(']').unwrap();
        let items = [first..second - 1, second..end];
        let base = fingerprint(page, &items);
        // The same items elsewhere in another body: the same fingerprint.
        let prefix = br#"{"pagination":{"page":2},"#;
        let moved = [prefix.as_slice(), page.as_slice()].concat();
        let shifted: Vec<_> = items
            .iter()
            .map(|r| r.start + prefix.len()..r.end + prefix.len())
            .collect();
        assert_eq!(fingerprint(&moved, &shifted), base);
        // Any one byte changed (in the 8-byte words or the tail): another fingerprint.
        for at in items.iter().flat_map(|r| r.clone()) {
            let mut changed = page.to_vec();
            changed[at] ^= 1;
            assert_ne!(fingerprint(&changed, &items), base, "byte {at}");
        }
        // The same bytes split into items differently: another fingerprint.
        let whole = std::iter::once(first..end).collect::<Vec<_>>();
        assert_ne!(fingerprint(page, &whole), base);
    }
}
