//! Per-table state beyond the public Table object: the column snapshot, rows, the
//! extraction job and enhancement jobs. Jobs advance lazily: every read computes the
//! state from the elapsed time, which keeps the emulator deterministic and free of
//! background work.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::catalogue::{value_for, Catalogue};
use super::schema::Column;
use crate::clock;
use crate::hash::fnv;
use crate::model::Table;

/// One row (lasso-api.md §2.4). `validation_status` and `validation_errors` are
/// always present (the newer spec types them as non-null).
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub id: String,
    pub row_index: u64,
    pub data: Map<String, Value>,
    pub validation_status: &'static str,
    pub validation_errors: Vec<Value>,
    pub enhancement_status: Map<String, Value>,
    pub is_edited: bool,
    pub created_at: String,
}

impl Row {
    pub fn new(
        id: String,
        row_index: u64,
        data: Map<String, Value>,
        created_at: String,
        columns: &[Column],
    ) -> Row {
        let mut row = Row {
            id,
            row_index,
            data,
            validation_status: "valid",
            validation_errors: Vec::new(),
            enhancement_status: Map::new(),
            is_edited: false,
            created_at,
        };
        row.validate(columns);
        row
    }

    /// Checks values against the column types: a missing required value is an
    /// `error`, a value of the wrong shape a `warning`.
    pub fn validate(&mut self, columns: &[Column]) {
        let mut errors = Vec::new();
        let mut status = "valid";
        for column in columns {
            let value = self.data.get(&column.key).filter(|v| !v.is_null() && *v != "");
            match value {
                None if column.required => {
                    status = "error";
                    errors.push(
                        json!({"column_key": column.key, "message": format!("{} is required", column.label)}),
                    );
                }
                Some(value) if !fits(value, column) => {
                    if status == "valid" {
                        status = "warning";
                    }
                    errors.push(json!({
                        "column_key": column.key,
                        "message": format!("Expected a value of type {}", column.ty),
                    }));
                }
                _ => {}
            }
        }
        self.validation_status = status;
        self.validation_errors = errors;
    }
}

fn fits(value: &Value, column: &Column) -> bool {
    match column.ty.as_str() {
        "number" => value.is_number() || value.as_str().is_some_and(|s| s.trim().parse::<f64>().is_ok()),
        "boolean" => value.is_boolean(),
        "tags" | "images" | "files" => value.is_array(),
        "url" | "image" => value
            .as_str()
            .is_some_and(|s| s.starts_with("http://") || s.starts_with("https://")),
        "email" => value.as_str().is_some_and(|s| s.contains('@')),
        "enum" => match (&column.enum_values, value.as_str()) {
            (Some(options), Some(s)) if !options.is_empty() => options.iter().any(|o| o == s),
            (_, s) => s.is_some(),
        },
        "json" | "relation" => true,
        _ => value.is_string() || value.is_number(),
    }
}

/// Rows of a `MOCK_ROWS=N` table: generated on demand from a few hundred base rows
/// (one per catalogue product), so that huge tables cost no memory.
pub struct Synthetic {
    pub count: u64,
    /// Row data by `index % base.len()`.
    pub base: Arc<Vec<Map<String, Value>>>,
    pub created_at: String,
    /// Part of the row ids: `row_<tag>_<index>`.
    pub tag: String,
}

/// Synthetic tables up to this size turn into ordinary rows on the first write; larger
/// ones are read-only.
pub const MATERIALIZE_LIMIT: u64 = 100_000;

impl Synthetic {
    pub fn row_id(&self, index: u64) -> String {
        format!("row_{}_{index}", self.tag)
    }

    pub fn index_of(&self, row_id: &str) -> Option<u64> {
        let index: u64 = row_id
            .strip_prefix("row_")?
            .strip_prefix(self.tag.as_str())?
            .strip_prefix('_')?
            .parse()
            .ok()?;
        (index < self.count).then_some(index)
    }

    pub fn data(&self, index: u64) -> &Map<String, Value> {
        &self.base[(index % self.base.len() as u64) as usize]
    }

    pub fn row(&self, index: u64) -> Row {
        Row {
            id: self.row_id(index),
            row_index: index,
            data: self.data(index).clone(),
            validation_status: "valid",
            validation_errors: Vec::new(),
            enhancement_status: Map::new(),
            is_edited: false,
            created_at: self.created_at.clone(),
        }
    }

    /// Row `index` as [`Row`] serializes it, borrowing the base row's data:
    /// a page of rows is written without copying them.
    pub fn row_view(&self, index: u64) -> RowView<'_> {
        RowView {
            id: self.row_id(index),
            row_index: index,
            data: self.data(index),
            validation_status: "valid",
            validation_errors: [],
            enhancement_status: Map::new(),
            is_edited: false,
            created_at: &self.created_at,
        }
    }
}

/// The JSON of a synthetic [`Row`], from borrowed parts (same fields, same order).
#[derive(Serialize)]
pub struct RowView<'a> {
    id: String,
    row_index: u64,
    data: &'a Map<String, Value>,
    validation_status: &'static str,
    validation_errors: [Value; 0],
    enhancement_status: Map<String, Value>,
    is_edited: bool,
    created_at: &'a str,
}

pub struct ExtractionJob {
    pub started: Instant,
    pub started_wall: SystemTime,
    /// Time in `queued_for_processing`.
    pub queued: Duration,
    /// Time until the job is done (queued included).
    pub total: Duration,
    /// The rows it will produce.
    pub pending: Vec<Row>,
    /// Set for the `FAIL_EXTRACTION` hook: the error message.
    pub failure: Option<String>,
    /// Set for the `MOCK_ROWS=N` hook instead of `pending`.
    pub synthetic: Option<Synthetic>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellState {
    Pending,
    Done,
    Failed,
    Cancelled,
}

pub struct Cell {
    pub row_id: String,
    pub column_key: String,
    pub prompt: String,
    pub web_search: bool,
    pub target_language: Option<String>,
    pub state: CellState,
}

/// An enhancement job: its cells are processed one after the other, `per_cell` each.
pub struct EnhanceJob {
    pub started: Instant,
    pub per_cell: Duration,
    pub cells: Vec<Cell>,
    /// Cells whose slot has passed (applied, failed or skipped).
    pub applied: usize,
}

impl EnhanceJob {
    fn due(&self, now: Instant) -> usize {
        if self.per_cell.is_zero() {
            return self.cells.len();
        }
        let elapsed = now.saturating_duration_since(self.started);
        ((elapsed.as_nanos() / self.per_cell.as_nanos()) as usize).min(self.cells.len())
    }
}

#[derive(Default, Clone, Copy, Serialize)]
pub struct ColumnCounts {
    pub total: u64,
    pub completed: u64,
    pub failed: u64,
    pub pending: u64,
    pub processing: u64,
}

pub struct TableData {
    pub seq: u64,
    pub columns: Vec<Column>,
    /// Shared so that an export can snapshot the rows cheaply and stream them.
    pub rows: Vec<Arc<Row>>,
    pub job: Option<ExtractionJob>,
    pub enhance: Vec<EnhanceJob>,
    /// Row id → traces of its enhanced cells (one per column, latest wins).
    pub traces: HashMap<String, Vec<Value>>,
    pub next_row_index: u64,
    /// Set once when an extraction job finishes, for the `table.completed` webhook.
    pub finished: bool,
    /// Rows generated on demand (`MOCK_ROWS=N`); `rows` is empty meanwhile.
    pub synthetic: Option<Synthetic>,
}

impl TableData {
    pub fn new(seq: u64, columns: Vec<Column>) -> TableData {
        TableData {
            seq,
            columns,
            rows: Vec::new(),
            job: None,
            enhance: Vec::new(),
            traces: HashMap::new(),
            next_row_index: 0,
            finished: true,
            synthetic: None,
        }
    }

    pub fn row_count(&self) -> u64 {
        self.synthetic
            .as_ref()
            .map_or(self.rows.len() as u64, |s| s.count)
    }

    /// Turns synthetic rows into stored ones before a write (`409` when too many).
    pub fn materialize(&mut self) -> Result<(), crate::errors::ApiError> {
        let Some(synthetic) = &self.synthetic else {
            return Ok(());
        };
        if synthetic.count > MATERIALIZE_LIMIT {
            return Err(crate::errors::ApiError::conflict(format!(
                "This synthetic table has {} rows and is read-only (writes need at most {MATERIALIZE_LIMIT})",
                synthetic.count
            )));
        }
        self.rows = (0..synthetic.count).map(|i| Arc::new(synthetic.row(i))).collect();
        self.next_row_index = synthetic.count;
        self.synthetic = None;
        Ok(())
    }

    pub fn column(&self, key: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.key == key)
    }

    pub fn row_position(&self, row_id: &str) -> Option<usize> {
        self.rows.iter().position(|r| r.id == row_id)
    }

    /// Brings the table up to `now`: extraction status and progress, finished
    /// enhancement cells.
    pub fn advance(&mut self, table: &mut Table, catalogue: &Catalogue, now: Instant) {
        if let Some(job) = &self.job {
            let elapsed = now.saturating_duration_since(job.started);
            if elapsed < job.queued {
                table.status = "queued_for_processing".into();
                table.progress = 0;
                table.total_rows = 0;
            } else if elapsed < job.total {
                let span = (job.total - job.queued).as_secs_f64().max(1e-9);
                let fraction = ((elapsed - job.queued).as_secs_f64() / span).clamp(0.0, 1.0);
                table.status = "processing".into();
                table.progress = 1 + (fraction * 98.0) as u8;
                let rows = job
                    .synthetic
                    .as_ref()
                    .map_or(job.pending.len() as u64, |s| s.count);
                table.total_rows = if job.failure.is_some() {
                    0
                } else {
                    (rows as f64 * fraction) as u64
                };
            } else if let Some(job) = self.job.take() {
                table.updated_at = clock::format_ms(clock::ms_of(job.started_wall + job.total));
                table.locked = false;
                table.locked_at = None;
                table.locked_by = None;
                self.finished = true;
                match job.failure {
                    Some(message) => {
                        table.status = "error".into();
                        table.error_message = Some(message);
                        table.total_rows = 0;
                    }
                    None => {
                        self.next_row_index = job.pending.len() as u64;
                        self.rows = job.pending.into_iter().map(Arc::new).collect();
                        self.synthetic = job.synthetic;
                        table.status = "completed".into();
                        table.progress = 100;
                        table.total_rows = self.row_count();
                    }
                }
            }
        }
        if !self.enhance.is_empty() {
            self.advance_enhance(catalogue, now);
        }
    }

    fn advance_enhance(&mut self, catalogue: &Catalogue, now: Instant) {
        let mut jobs = std::mem::take(&mut self.enhance);
        for job in &mut jobs {
            let due = job.due(now);
            for i in job.applied..due {
                let cell = &mut job.cells[i];
                if cell.state == CellState::Pending {
                    cell.state = self.apply_cell(cell, catalogue);
                }
            }
            job.applied = job.applied.max(due);
            if let Some(cell) = job.cells.get(due).filter(|c| c.state == CellState::Pending) {
                if let Some(pos) = self.row_position(&cell.row_id) {
                    let row = Arc::make_mut(&mut self.rows[pos]);
                    row.enhancement_status
                        .insert(cell.column_key.clone(), json!({"status": "processing"}));
                }
            }
        }
        self.enhance = jobs;
    }

    /// Writes the generated value of one cell into its row and records its trace.
    fn apply_cell(&mut self, cell: &Cell, catalogue: &Catalogue) -> CellState {
        let (Some(pos), Some(column)) = (self.row_position(&cell.row_id), self.column(&cell.column_key))
        else {
            return CellState::Failed;
        };
        let column = column.clone();
        let row = Arc::make_mut(&mut self.rows[pos]);
        let prompt = substitute(&cell.prompt, &row.data, &self.columns);
        let row_text: String = row
            .data
            .values()
            .filter_map(Value::as_str)
            .take(4)
            .collect::<Vec<_>>()
            .join(" ");
        let (product, _) = catalogue.best_match(&format!("{row_text} {prompt}"));
        let salt = fnv(&[row.id.as_bytes(), column.key.as_bytes(), prompt.as_bytes()]);
        let mut value = value_for(product, &column, salt);
        if let (Some(lang), Some(text)) = (&cell.target_language, value.as_str()) {
            if matches!(column.ty.as_str(), "text" | "richtext") {
                let source = referenced_text(&cell.prompt, &row.data).unwrap_or_else(|| text.to_owned());
                value = json!(format!("{source} [{lang}]"));
            }
        }
        let confidence = 0.7 + (salt % 30) as f64 / 100.0;
        row.data.insert(column.key.clone(), value.clone());
        row.enhancement_status.insert(
            column.key.clone(),
            json!({"status": "success", "confidence": confidence}),
        );
        let text = value
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| value.to_string());
        let trace = json!({
            "column_key": column.key,
            "model": "gemini-3.1-flash-lite",
            "confidence": confidence,
            "request": {
                "system_prompt": format!(
                    "You are Lasso's product data assistant. Produce the value of the column \"{}\" (type {}) for one product row. Answer with the value only.",
                    column.label, column.ty
                ),
                "user_content": format!("{prompt}\n\nRow data: {}", Value::Object(row.data.clone())),
                "tools": if cell.web_search { json!(["web_search"]) } else { json!([]) },
            },
            "response": {
                "text": text,
                "iterations": if cell.web_search { 2 } else { 1 },
                "tool_calls": if cell.web_search {
                    json!([{"tool": "web_search", "input": {"query": product.name}, "output": format!("Found the product page of {}", product.name)}])
                } else { json!([]) },
                "thought_summary": format!("Matched the row to {} and derived the {} from it.", product.name, column.label.to_lowercase()),
                "sources": if cell.web_search {
                    json!([{"url": product.url, "title": format!("{} | {}", product.name, product.brand)}])
                } else { json!([]) },
            },
        });
        let traces = self.traces.entry(cell.row_id.clone()).or_default();
        traces.retain(|t| t["column_key"] != column.key.as_str());
        traces.push(trace);
        CellState::Done
    }

    /// `{column_key: counts}` over all enhancement jobs of the table.
    pub fn enhance_status(&self, now: Instant) -> Map<String, Value> {
        let mut counts: Vec<(String, ColumnCounts)> = Vec::new();
        for job in &self.enhance {
            let due = job.due(now);
            for (i, cell) in job.cells.iter().enumerate() {
                let entry = match counts.iter_mut().find(|(k, _)| *k == cell.column_key) {
                    Some((_, entry)) => entry,
                    None => {
                        counts.push((cell.column_key.clone(), ColumnCounts::default()));
                        &mut counts.last_mut().expect("just pushed").1
                    }
                };
                // Cancelled cells leave the counts (they are back to `not_run`).
                if cell.state == CellState::Cancelled {
                    continue;
                }
                entry.total += 1;
                match cell.state {
                    CellState::Done => entry.completed += 1,
                    CellState::Failed => entry.failed += 1,
                    _ if i == due => entry.processing += 1,
                    _ => entry.pending += 1,
                }
            }
        }
        counts
            .into_iter()
            .map(|(key, c)| (key, serde_json::to_value(c).unwrap_or_default()))
            .collect()
    }

    /// Cancels pending and processing cells (of one column, or all).
    pub fn cancel(&mut self, column_key: Option<&str>) -> u64 {
        let mut cancelled = 0;
        let mut touched: Vec<(String, String)> = Vec::new();
        for job in &mut self.enhance {
            for cell in &mut job.cells {
                if cell.state == CellState::Pending && column_key.is_none_or(|key| key == cell.column_key) {
                    cell.state = CellState::Cancelled;
                    cancelled += 1;
                    touched.push((cell.row_id.clone(), cell.column_key.clone()));
                }
            }
        }
        for (row_id, key) in touched {
            if let Some(pos) = self.row_position(&row_id) {
                let row = Arc::make_mut(&mut self.rows[pos]);
                row.enhancement_status.insert(key, json!({"status": "not_run"}));
            }
        }
        cancelled
    }
}

/// Replaces `{{column_key}}` (or `{{Column Label}}`) with the row's values.
pub fn substitute(prompt: &str, data: &Map<String, Value>, columns: &[Column]) -> String {
    let mut out = String::with_capacity(prompt.len());
    let mut rest = prompt;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = after[..end].trim();
        let key = columns
            .iter()
            .find(|c| c.key == name || c.label.eq_ignore_ascii_case(name))
            .map_or(name, |c| c.key.as_str());
        match data.get(key) {
            Some(Value::String(s)) => out.push_str(s),
            Some(Value::Null) | None => {}
            Some(other) => out.push_str(&other.to_string()),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The text of the first `{{column}}` a prompt refers to, e.g. the source of a translation.
fn referenced_text(prompt: &str, data: &Map<String, Value>) -> Option<String> {
    let start = prompt.find("{{")? + 2;
    let end = prompt[start..].find("}}")? + start;
    data.get(prompt[start..end].trim())?.as_str().map(str::to_owned)
}

/// The three rows of the seeded `tbl_sample` (fixed, independent of the seed).
pub fn sample_rows(columns: &[Column]) -> Vec<Arc<Row>> {
    let rows = [
        json!({
            "name": "Alpine Steel Water Bottle 750 ml", "brand": "Summit Gear", "price": 24.9,
            "description": "Double-wall insulated stainless steel bottle that keeps drinks cold for 24 hours.",
            "category": "Water Bottles", "image_url": "https://images.example.com/sample/alpine-bottle.jpg",
            "url": "https://shop.example.com/sample/alpine-bottle", "features": ["Vacuum insulated", "Leak-proof lid", "BPA-free"],
        }),
        json!({
            "name": "Trail Runner GTX", "brand": "Northpeak", "price": 139.0,
            "description": "Waterproof trail running shoe with a grippy outsole and a rock plate.",
            "category": "Running Shoes", "image_url": "https://images.example.com/sample/trail-runner.jpg",
            "url": "https://shop.example.com/sample/trail-runner", "features": ["Waterproof membrane", "Rock plate", "Reflective details"],
        }),
        json!({
            "name": "Sonora ANC Wireless Headphones", "brand": "Sonora", "price": 199.99,
            "description": "Over-ear headphones with active noise cancellation and 30 hours of battery life.",
            "category": "Headphones", "image_url": "https://images.example.com/sample/sonora-anc.jpg",
            "url": "https://shop.example.com/sample/sonora-anc", "features": ["Active noise cancellation", "30-hour battery", "USB-C charging"],
        }),
    ];
    rows.into_iter()
        .enumerate()
        .map(|(i, data)| {
            let Value::Object(data) = data else {
                unreachable!("object literal")
            };
            Arc::new(Row::new(
                format!("row_sample_{}", i + 1),
                i as u64,
                data,
                "2025-03-10T14:31:12.000Z".into(),
                columns,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::{json, Map};

    use super::Synthetic;

    #[test]
    fn a_synthetic_row_view_is_the_row_as_json() {
        let base: Vec<Map<String, serde_json::Value>> = vec![
            json!({"name": "Mug", "price": 4.5}).as_object().unwrap().clone(),
            json!({"name": "Cup", "tags": ["a", "b"]})
                .as_object()
                .unwrap()
                .clone(),
        ];
        let synthetic = Synthetic {
            count: 5,
            base: Arc::new(base),
            created_at: "2026-01-01T00:00:00Z".into(),
            tag: "t1".into(),
        };
        for i in 0..5 {
            assert_eq!(
                serde_json::to_string(&synthetic.row_view(i)).unwrap(),
                serde_json::to_string(&synthetic.row(i)).unwrap()
            );
        }
    }
}
