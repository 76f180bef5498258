//! A table's rows as Arrow record batches (cargo feature `arrow`).
//!
//! The column definitions (`tables.columns`) give the schema; each page of
//! `tables.rows` is handed, as JSON text, to arrow-json's decoder, which writes
//! the values straight into Arrow arrays (no `serde_json::Value` per row).
//! Up to [`PAGES_IN_FLIGHT`] pages download while the current one is decoded.
//!
//! | column type | Arrow type | notes |
//! |---|---|---|
//! | `text`, `url`, `email`, `richtext`, `enum`, `image`, `file`, `format`, `runnable` | `Utf8` | numbers and booleans become their JSON text |
//! | `date` | `Utf8` | kept as sent: the API mixes dates and date-times |
//! | `number` | `Float64` | ints and floats; a numeric string is parsed |
//! | `boolean` | `Boolean` | |
//! | `tags`, `images`, `files` | `List<Utf8>` | |
//! | `json`, `relation` | `Utf8` | the value's JSON text (`json.loads` / `JSON.parse` it) |
//! | any other (newer) type, or none | `Utf8` | a string as is, anything else as its JSON text |
//!
//! Every column is nullable: `null`, and a key missing from a row, are nulls.
//! Keys of a row's `data` that no column defines are not in the batches.

use std::borrow::Cow;
use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::{make_array, Array, ArrayRef, RecordBatch, RecordBatchOptions, StructArray};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use futures_util::Stream;
use serde_json::value::RawValue;
use serde_json::{json, Value};
use tokio::task::JoinHandle;

use crate::client::JsonBody;
use crate::error::Error;
use crate::options::RequestOptions;
use crate::pagination::{read_page, stuck, Progress, RawPage};
use crate::types::{ColumnList, ColumnType};
use crate::Client;

pub use arrow_array::RecordBatch as ArrowRecordBatch;
pub use arrow_schema::SchemaRef as ArrowSchemaRef;

/// Rows per page requested from `tables.rows` (the API's maximum).
pub const PAGE_ROWS: u64 = 100;
/// Pages downloading at once once the table's size is known.
pub const PAGES_IN_FLIGHT: usize = 4;
/// The largest page the decoder takes (the API's pages hold at most [`PAGE_ROWS`]).
const MAX_PAGE_ROWS: usize = 4096;
/// Rows gathered into one record batch (the last one may be shorter).
pub const BATCH_ROWS: usize = 10_000;

/// How a column's values are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// By arrow-json, into this column's Arrow type.
    Decoded,
    /// Kept as JSON text (`json`, `relation`).
    JsonText,
    /// A string as is, anything else as JSON text (types this SDK does not know).
    Fallback,
}

/// The Arrow type of a column type (see the module's table).
pub fn arrow_type(column_type: Option<&ColumnType>) -> DataType {
    match column_type {
        Some(ColumnType::Number) => DataType::Float64,
        Some(ColumnType::Boolean) => DataType::Boolean,
        Some(ColumnType::Tags | ColumnType::Images | ColumnType::Files) => {
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)))
        }
        _ => DataType::Utf8,
    }
}

fn kind(column_type: Option<&ColumnType>) -> Kind {
    match column_type {
        Some(
            ColumnType::Text
            | ColumnType::Url
            | ColumnType::Email
            | ColumnType::Richtext
            | ColumnType::Enum
            | ColumnType::Image
            | ColumnType::File
            | ColumnType::Format
            | ColumnType::Runnable
            | ColumnType::Date
            | ColumnType::Number
            | ColumnType::Boolean
            | ColumnType::Tags
            | ColumnType::Images
            | ColumnType::Files,
        ) => Kind::Decoded,
        Some(ColumnType::Json | ColumnType::Relation) => Kind::JsonText,
        _ => Kind::Fallback,
    }
}

/// The schema of a table with these columns (in their order; a repeated key
/// keeps its first definition).
pub fn table_schema(columns: &ColumnList) -> SchemaRef {
    plan(columns).schema
}

/// What decoding a table needs: its schema, the schema arrow-json decodes a
/// row with, and the columns kept as text.
struct Plan {
    schema: SchemaRef,
    /// `{data: Struct<the decoded columns>}`: a whole row object goes in.
    row_schema: SchemaRef,
    /// Per output column: its position among the decoded columns, or its text kind.
    sources: Vec<Source>,
    /// Keys of the text columns, in output order.
    text_keys: Vec<(String, Kind)>,
}

#[derive(Clone, Copy)]
enum Source {
    Decoded(usize),
    Text(usize),
}

fn plan(columns: &ColumnList) -> Plan {
    let mut seen = HashSet::new();
    let (mut fields, mut decoded, mut sources, mut text_keys) = (vec![], vec![], vec![], vec![]);
    for column in &columns.data {
        if !seen.insert(column.key.as_str()) {
            continue;
        }
        let ty = column.r#type.as_ref();
        let field = Field::new(&column.key, arrow_type(ty), true);
        match kind(ty) {
            Kind::Decoded => {
                sources.push(Source::Decoded(decoded.len()));
                decoded.push(field.clone());
            }
            text => {
                sources.push(Source::Text(text_keys.len()));
                text_keys.push((column.key.clone(), text));
            }
        }
        fields.push(field);
    }
    let row = Field::new("data", DataType::Struct(decoded.into()), true);
    Plan {
        schema: Arc::new(Schema::new(fields)),
        row_schema: Arc::new(Schema::new(vec![row])),
        sources,
        text_keys,
    }
}

/// A row's raw values of the text columns, by position in `keys`: found in one
/// pass over the row, without building a map of every key (a map per row cost
/// more than the rest of the text path).
fn text_slots<'a>(item: &'a [u8], keys: &[(String, Kind)]) -> serde_json::Result<Vec<Option<&'a RawValue>>> {
    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

    /// The row object: its `data` goes to [`Data`], anything else is skipped.
    struct Row<'k, 'a>(&'k [(String, Kind)], Vec<Option<&'a RawValue>>);
    /// `data`: an object whose values of `keys` are kept, or `null`.
    struct Data<'k, 's, 'a>(&'k [(String, Kind)], &'s mut Vec<Option<&'a RawValue>>);

    impl<'de, 'k> Visitor<'de> for Row<'k, 'de> {
        type Value = Vec<Option<&'de RawValue>>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a row object")
        }
        fn visit_map<M: MapAccess<'de>>(mut self, mut map: M) -> Result<Self::Value, M::Error> {
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                if key == "data" {
                    map.next_value_seed(Data(self.0, &mut self.1))?;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(self.1)
        }
    }

    impl<'de> DeserializeSeed<'de> for Data<'_, '_, 'de> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Data<'_, '_, 'de> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("`data` as an object or null")
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                match self.0.iter().position(|(k, _)| *k == key) {
                    // A repeated key keeps its last value, as a map would.
                    Some(i) => self.1[i] = Some(map.next_value::<&'de RawValue>()?),
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(())
        }
    }

    let mut de = serde_json::Deserializer::from_slice(item);
    let slots = de.deserialize_map(Row(keys, vec![None; keys.len()]))?;
    de.end()?;
    Ok(slots)
}

/// A table's rows as record batches, read page by page.
///
/// ```no_run
/// # async fn run(client: lasso_ai::Client) -> Result<(), lasso_ai::Error> {
/// let mut batches = client.table_batches("tbl_123", Default::default()).await?;
/// println!("{}", batches.schema());
/// while let Some(batch) = batches.next_batch().await? {
///     println!("{} rows", batch.num_rows());
/// }
/// # Ok(()) }
/// ```
pub struct TableBatches {
    plan: Plan,
    pages: PageFetcher,
    decoder: arrow_json::reader::Decoder,
    /// The text columns' values of the rows decoded so far.
    text: Vec<StringBuilder>,
    rows: usize,
    batch_rows: usize,
    failed: bool,
}

impl std::fmt::Debug for TableBatches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableBatches")
            .field("table_id", &self.pages.table_id)
            .field("schema", &self.plan.schema)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A table's rows as Arrow record batches, typed by its column definitions
    /// (cargo feature `arrow`). The columns and the first page are requested at
    /// once; an empty table gives the schema and no batch.
    pub async fn table_batches(
        &self,
        table_id: &str,
        options: RequestOptions,
    ) -> Result<TableBatches, Error> {
        let pages = PageFetcher::new(self.clone(), table_id, options.clone());
        let columns: ColumnList = self
            .json_call("tables.columns", json!({ "table_id": table_id }), &options)
            .await?
            .decode()?;
        TableBatches::new(&columns, pages, BATCH_ROWS)
    }
}

impl TableBatches {
    fn new(columns: &ColumnList, pages: PageFetcher, batch_rows: usize) -> Result<TableBatches, Error> {
        let plan = plan(columns);
        let decoder = arrow_json::ReaderBuilder::new(plan.row_schema.clone())
            // Room for one more page past `batch_rows` (pages hold at most
            // 100 rows); the decoder preallocates a few words per row.
            .with_batch_size(batch_rows.max(1) + MAX_PAGE_ROWS)
            .with_coerce_primitive(true)
            .build_decoder()
            .map_err(|e| Error::Internal {
                message: format!("tables.rows: the Arrow decoder could not be built: {e}"),
            })?;
        let text = plan.text_keys.iter().map(|_| StringBuilder::new()).collect();
        Ok(TableBatches {
            plan,
            pages,
            decoder,
            text,
            rows: 0,
            batch_rows: batch_rows.max(1),
            failed: false,
        })
    }

    /// The table's schema: one nullable field per column.
    pub fn schema(&self) -> SchemaRef {
        self.plan.schema.clone()
    }

    /// The next batch of rows (up to [`BATCH_ROWS`]), or `None` after the last.
    /// After an error the stream ends.
    pub async fn next_batch(&mut self) -> Result<Option<RecordBatch>, Error> {
        if self.failed {
            return Ok(None);
        }
        let result = self.fill().await;
        if result.is_err() {
            self.failed = true;
            self.pages.stop();
        }
        result
    }

    async fn fill(&mut self) -> Result<Option<RecordBatch>, Error> {
        while self.rows < self.batch_rows {
            let Some(page) = self.pages.next().await? else {
                break;
            };
            self.decode_page(&page)?;
        }
        if self.rows == 0 {
            return Ok(None);
        }
        self.flush().map(Some)
    }

    fn decode_page(&mut self, page: &RawPage) -> Result<(), Error> {
        for item in page.items() {
            let used = self
                .decoder
                .decode(item)
                .map_err(|e| page.decode_error(&e.to_string()))?;
            if used != item.len() {
                return Err(page.decode_error(&format!(
                    "a page of more than {MAX_PAGE_ROWS} rows (the API sends at most {PAGE_ROWS})"
                )));
            }
            if !self.text.is_empty() {
                self.text_values(item).map_err(|why| page.decode_error(&why))?;
            }
            self.rows += 1;
        }
        Ok(())
    }

    /// Appends one row's values of the text columns.
    fn text_values(&mut self, item: &[u8]) -> Result<(), String> {
        let values = text_slots(item, &self.plan.text_keys).map_err(|e| e.to_string())?;
        for ((_, kind), (value, out)) in self
            .plan
            .text_keys
            .iter()
            .zip(values.into_iter().zip(&mut self.text))
        {
            match value.map(RawValue::get) {
                None | Some("null") => out.append_null(),
                Some(text) if *kind == Kind::Fallback && text.starts_with('"') => {
                    let s: String = serde_json::from_str(text).map_err(|e| e.to_string())?;
                    out.append_value(s);
                }
                Some(text) => out.append_value(text),
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<RecordBatch, Error> {
        let internal = |e: arrow_schema::ArrowError| Error::Decode {
            status: 200,
            message: format!("tables.rows: the rows do not fit the table's column types: {e}"),
            raw_body: String::new(),
            source: Some(Box::new(e)),
        };
        let rows = std::mem::take(&mut self.rows);
        let decoded = self
            .decoder
            .flush()
            .map_err(internal)?
            .map(|batch| batch.column(0).clone());
        let decoded = decoded
            .as_ref()
            .and_then(|a| a.as_any().downcast_ref::<StructArray>());
        let text: Vec<ArrayRef> = self
            .text
            .iter_mut()
            .map(|b| Arc::new(b.finish()) as ArrayRef)
            .collect();
        let columns = self
            .plan
            .sources
            .iter()
            .map(|source| match (source, decoded) {
                (Source::Text(i), _) => Ok(text[*i].clone()),
                (Source::Decoded(i), Some(rows)) => Ok(with_parent_nulls(rows.column(*i), rows.nulls())),
                (Source::Decoded(_), None) => Err(Error::Internal {
                    message: "tables.rows: the decoder returned no rows".into(),
                }),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let options = RecordBatchOptions::new().with_row_count(Some(rows));
        RecordBatch::try_new_with_options(self.plan.schema.clone(), columns, &options).map_err(internal)
    }

    /// Every remaining batch, as a stream.
    pub fn into_stream(self) -> impl Stream<Item = Result<RecordBatch, Error>> + Send {
        futures_util::stream::unfold(self, |mut batches| async move {
            match batches.next_batch().await {
                Ok(Some(batch)) => Some((Ok(batch), batches)),
                Ok(None) => None,
                Err(e) => Some((Err(e), batches)),
            }
        })
    }

    /// Every remaining batch.
    pub async fn collect(mut self) -> Result<Vec<RecordBatch>, Error> {
        let mut out = Vec::new();
        while let Some(batch) = self.next_batch().await? {
            out.push(batch);
        }
        Ok(out)
    }

    /// Every remaining batch as the bytes of an Arrow IPC stream (schema first;
    /// cargo feature `arrow-ipc`).
    #[cfg(feature = "arrow-ipc")]
    pub async fn to_ipc(mut self) -> Result<Vec<u8>, Error> {
        let ipc = |e: arrow_schema::ArrowError| Error::Internal {
            message: format!("Arrow IPC: {e}"),
        };
        let schema = self.schema();
        let mut writer = arrow_ipc::writer::StreamWriter::try_new(Vec::new(), &schema).map_err(ipc)?;
        while let Some(batch) = self.next_batch().await? {
            writer.write(&batch).map_err(ipc)?;
        }
        writer.into_inner().map_err(ipc)
    }
}

/// A column of the decoded `data` struct, null wherever the row had no `data`.
fn with_parent_nulls(column: &ArrayRef, parent: Option<&NullBuffer>) -> ArrayRef {
    let Some(parent) = parent.filter(|p| p.null_count() > 0) else {
        return column.clone();
    };
    let nulls = NullBuffer::union(Some(parent), column.nulls());
    let data = column.to_data().into_builder().nulls(nulls);
    // The union only adds nulls, which every Arrow layout allows.
    make_array(data.build().expect("adding nulls keeps the array valid"))
}

/// The pages of `tables.rows`, in order: the first alone, then, once it gave
/// the total, up to [`PAGES_IN_FLIGHT`] at once.
struct PageFetcher {
    client: Client,
    table_id: String,
    options: RequestOptions,
    in_flight: VecDeque<(u64, JoinHandle<Result<JsonBody, Error>>)>,
    next_page: u64,
    /// From the first page's `pagination.total`.
    last_page: Option<u64>,
    done: bool,
    /// What the pages so far said, to stop a list that does not advance.
    progress: Progress,
}

impl PageFetcher {
    fn new(client: Client, table_id: &str, options: RequestOptions) -> PageFetcher {
        let mut fetcher = PageFetcher {
            client,
            table_id: table_id.to_owned(),
            options,
            in_flight: VecDeque::new(),
            next_page: 1,
            last_page: None,
            done: false,
            progress: Progress::default(),
        };
        fetcher.request_next();
        fetcher
    }

    fn request_next(&mut self) {
        let (client, options, page) = (self.client.clone(), self.options.clone(), self.next_page);
        let args = json!({ "table_id": self.table_id, "page": page, "limit": PAGE_ROWS });
        let handle = tokio::spawn(async move { client.json_call("tables.rows", args, &options).await });
        self.in_flight.push_back((page, handle));
        self.next_page += 1;
    }

    /// Keeps the window full: one page ahead until the total is known, then
    /// up to [`PAGES_IN_FLIGHT`].
    fn refill(&mut self) {
        while !self.done {
            let more = match self.last_page {
                Some(last) => self.next_page <= last && self.in_flight.len() < PAGES_IN_FLIGHT,
                None => self.in_flight.is_empty(),
            };
            if !more {
                break;
            }
            self.request_next();
        }
    }

    fn stop(&mut self) {
        self.done = true;
        for (_, handle) in self.in_flight.drain(..) {
            handle.abort();
        }
    }

    async fn next(&mut self) -> Result<Option<RawPage>, Error> {
        let Some((number, handle)) = self.in_flight.pop_front() else {
            return Ok(None);
        };
        let body = match handle.await {
            Ok(result) => result?,
            Err(e) if e.is_panic() => return Err(crate::runtime::from_panic(&*e.into_panic())),
            Err(_) => {
                return Err(Error::Internal {
                    message: "tables.rows: the page download was cancelled (is the runtime shutting down?)"
                        .into(),
                })
            }
        };
        let (page, pagination) = read_page(body, "data")?;
        let field = |key: &str| {
            pagination
                .as_ref()
                .and_then(|p| p.get(key))
                .and_then(Value::as_u64)
        };
        let (body, items) = page.parts();
        if let Err(why) = self.progress.next_page(body, items) {
            return Err(stuck("tables.rows", self.progress.pages, &why));
        }
        if let Some(answered) = field("page") {
            if answered != number {
                let why = format!("page {number} was asked for and the server answered with page {answered}");
                return Err(stuck("tables.rows", self.progress.pages, &why));
            }
        }
        let count = page.items().len() as u64;
        let limit = field("limit").unwrap_or(PAGE_ROWS).max(1);
        if self.last_page.is_none() {
            if let Some(total) = field("total") {
                self.last_page = Some(total.div_ceil(limit).max(1));
            }
        }
        if count < limit || self.last_page.is_some_and(|last| number >= last) {
            self.stop();
        }
        self.refill();
        Ok(Some(page))
    }
}

impl Drop for PageFetcher {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::{text_slots, Kind};

    #[test]
    fn text_slots_keep_the_raw_values_of_the_keys_asked_for() {
        let keys = [
            ("name".to_owned(), Kind::Fallback),
            ("spec\"s".to_owned(), Kind::JsonText),
        ];
        let row =
            br#"{"id":"r1","data":{"skip":[1,{"a":2}],"spec\"s":{"w":1},"name":"a","name":"b"},"x":null}"#;
        let got: Vec<Option<&str>> = text_slots(row, &keys)
            .unwrap()
            .into_iter()
            .map(|v| v.map(|v| v.get()))
            .collect();
        // An escaped key is matched; a repeated key keeps its last value, as a map would.
        assert_eq!(got, [Some(r#""b""#), Some(r#"{"w":1}"#)]);
        for row in [br#"{"id":"r2","data":null}"#.as_slice(), br#"{"id":"r3"}"#] {
            assert!(text_slots(row, &keys).unwrap().iter().all(Option::is_none));
        }
        assert!(text_slots(br#"{"data":"text"}"#, &keys).is_err());
        assert!(text_slots(br#"[1]"#, &keys).is_err());
    }
}
