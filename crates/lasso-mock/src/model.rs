//! Resource shapes as the API returns them (lasso-api.md §2).

use serde::Serialize;

/// An extraction table (lasso-api.md §2.3), including the newer lock fields.
#[derive(Clone, Debug, Serialize)]
pub struct Table {
    pub id: String,
    pub name: String,
    pub schema_id: String,
    pub status: String,
    pub progress: u8,
    pub total_rows: u64,
    pub source_type: String,
    pub additional_context: Option<String>,
    pub enhancement_context: Option<String>,
    pub error_message: Option<String>,
    pub files: Vec<TableFile>,
    pub created_at: String,
    pub updated_at: String,
    pub locked: bool,
    pub locked_at: Option<String>,
    pub locked_by: Option<String>,
}

/// A source file of a table.
#[derive(Clone, Debug, Serialize)]
pub struct TableFile {
    pub name: String,
    pub path: String,
    pub size: u64,
}

impl Table {
    /// The completed table every company starts with. Fixed timestamps keep responses
    /// byte-for-byte reproducible across runs.
    pub fn sample() -> Table {
        Table {
            id: "tbl_sample".into(),
            name: "Sample products".into(),
            schema_id: "schema_sample".into(),
            status: "completed".into(),
            progress: 100,
            total_rows: 3,
            source_type: "text".into(),
            additional_context: None,
            enhancement_context: None,
            error_message: None,
            files: Vec::new(),
            created_at: "2025-03-10T14:30:00.000Z".into(),
            updated_at: "2025-03-10T14:31:12.000Z".into(),
            locked: false,
            locked_at: None,
            locked_by: None,
        }
    }
}
