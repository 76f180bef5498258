//! State and logic behind the extraction half of the API: schemas, files, tables,
//! rows, enhancement, exports, search, enrich and credits (ledger and statistics).
//!
//! * [`Global`] is shared by all companies (seed, time scale, product catalogue).
//! * [`Extraction`] is one company's part of the state, inside `state::Company`.

pub mod billing;
pub mod catalogue;
pub mod images;
pub mod schema;
pub mod source;
pub mod table;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::auth::CompanyId;
use crate::errors::ApiError;
use crate::model::Table;
use crate::state::Company;
use crate::MockConfig;
use billing::LedgerEntry;
use catalogue::Catalogue;
use schema::Schema;
use table::TableData;

/// Settings and data shared by every company.
pub struct Global {
    pub seed: u64,
    /// Multiplies every emulated duration (extraction, enhancement, webhook retries).
    pub time_scale: f64,
    pub initial_balance: f64,
    pub catalogue: Catalogue,
    pub deliveries: crate::webhook::callbacks::DeliveryLog,
}

impl Global {
    pub fn new(config: &MockConfig) -> Global {
        Global {
            seed: config.seed,
            time_scale: if config.time_scale.is_finite() {
                config.time_scale.max(0.0)
            } else {
                1.0
            },
            initial_balance: config.initial_balance,
            catalogue: Catalogue::generate(config.seed),
            deliveries: Default::default(),
        }
    }

    /// A stable number for a company, mixed with the seed: the basis of its ids.
    pub fn company_key(&self, company: CompanyId) -> u64 {
        crate::hash::mix(crate::hash::stable_hash(&company) ^ self.seed.rotate_left(17))
    }

    /// `base` multiplied by the time scale.
    pub fn scaled(&self, base: Duration) -> Duration {
        base.mul_f64(self.time_scale)
    }

    /// The company's secret for signing `webhook_url` callbacks, reported by
    /// `GET /__mock/webhook-secret`.
    pub fn webhook_secret(&self, company: CompanyId) -> String {
        let key = self.company_key(company);
        let a = crate::hash::fnv(&[&key.to_le_bytes(), b"webhook-secret-a"]);
        let b = crate::hash::fnv(&[&key.to_le_bytes(), b"webhook-secret-b"]);
        format!("whsec_{a:016x}{b:016x}")
    }
}

/// An uploaded file. Only the first [`FILE_HEAD_BYTES`] bytes are kept (enough to
/// derive rows from text files); `size` is the full uploaded size.
pub struct StoredFile {
    pub id: String,
    pub filename: String,
    pub size: u64,
    pub content_type: String,
    pub created_at: String,
    pub seq: u64,
    pub head: Vec<u8>,
}

pub const FILE_HEAD_BYTES: usize = 4 << 20;

#[derive(Serialize)]
pub struct FileView<'a> {
    pub id: &'a str,
    pub filename: &'a str,
    pub size: u64,
    pub content_type: &'a str,
    pub created_at: &'a str,
}

impl StoredFile {
    pub fn view(&self) -> FileView<'_> {
        FileView {
            id: &self.id,
            filename: &self.filename,
            size: self.size,
            content_type: &self.content_type,
            created_at: &self.created_at,
        }
    }
}

/// One company's extraction-side state.
pub struct Extraction {
    counter: u64,
    pub schemas: HashMap<String, Schema>,
    pub files: HashMap<String, StoredFile>,
    pub tables: HashMap<String, TableData>,
    pub ledger: Vec<LedgerEntry>,
}

/// Id of the sample table seeded in `state::Company` (see `model::Table::sample`).
pub const SAMPLE_TABLE_ID: &str = "tbl_sample";

impl Extraction {
    /// The sample schema and the rows of the sample table.
    pub fn seeded() -> Extraction {
        let schema = schema::sample_schema(0);
        let mut sample = TableData::new(0, schema.columns.clone());
        sample.rows = table::sample_rows(&schema.columns);
        sample.next_row_index = sample.rows.len() as u64;
        Extraction {
            counter: 0,
            schemas: HashMap::from([(schema.id.clone(), schema)]),
            files: HashMap::new(),
            tables: HashMap::from([(SAMPLE_TABLE_ID.to_owned(), sample)]),
            ledger: Vec::new(),
        }
    }

    /// A new id such as `tbl_3f9c…`, deterministic for (seed, company, creation order).
    pub fn next_id(&mut self, company_key: u64, prefix: &str) -> String {
        self.counter += 1;
        let h = crate::hash::fnv(&[
            &company_key.to_le_bytes(),
            prefix.as_bytes(),
            &self.counter.to_le_bytes(),
        ]);
        format!("{prefix}_{h:016x}")
    }

    /// A creation sequence number (orders lists newest first).
    pub fn next_seq(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }
}

/// A table with its public object and its data, brought up to date.
pub struct TableRef<'a> {
    pub table: &'a mut Table,
    pub data: &'a mut TableData,
}

/// Finds a company's table (404 otherwise) and advances its jobs to now.
pub fn table_mut<'a>(
    company: &'a mut Company,
    global: &Global,
    table_id: &str,
) -> Result<TableRef<'a>, ApiError> {
    let Company {
        tables, extraction, ..
    } = company;
    let (Some(table), Some(data)) = (tables.get_mut(table_id), extraction.tables.get_mut(table_id)) else {
        return Err(ApiError::not_found(format!("Table not found: {table_id}")));
    };
    data.advance(table, &global.catalogue, Instant::now());
    Ok(TableRef { table, data })
}

/// Brings every table of the company up to date. Call it before reading
/// `extraction.tables[..].rows` directly: finished jobs only move their rows there
/// when the table is next looked at.
pub fn advance_all(company: &mut Company, global: &Global) {
    let now = Instant::now();
    let Company {
        tables, extraction, ..
    } = company;
    for (id, table) in tables.iter_mut() {
        if let Some(data) = extraction.tables.get_mut(id) {
            data.advance(table, &global.catalogue, now);
        }
    }
}

impl TableRef<'_> {
    /// 409 unless the table finished extraction successfully.
    pub fn require_completed(&self) -> Result<(), ApiError> {
        if self.table.status != "completed" {
            return Err(ApiError::conflict(format!(
                "Table {} is not completed (status: {})",
                self.table.id, self.table.status
            )));
        }
        Ok(())
    }

    /// Writes need a completed, unlocked table; synthetic rows become stored ones.
    pub fn require_writable(&mut self) -> Result<(), ApiError> {
        self.require_completed()?;
        self.require_unlocked()?;
        self.data.materialize()
    }

    /// 409 while the table is locked by a running operation.
    pub fn require_unlocked(&self) -> Result<(), ApiError> {
        if self.table.locked {
            return Err(ApiError::conflict(format!(
                "Table {} is locked by a running operation; retry when it has finished",
                self.table.id
            )));
        }
        Ok(())
    }
}
