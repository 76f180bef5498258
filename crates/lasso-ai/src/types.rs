//! Typed responses. Every struct keeps the fields this SDK does not know yet
//! in `extra`, and enums accept values newer than this SDK.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// `GET /credits/balance`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Balance {
    /// Credits left; may be fractional.
    pub balance: f64,
    /// Always `credits` today.
    #[serde(default)]
    pub currency: Option<String>,
    /// Fields newer than this SDK.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A table: one extraction job and its rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Table {
    /// Opaque id (`tbl_…` or a UUID).
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// The schema the table was created with.
    #[serde(default)]
    pub schema_id: Option<String>,
    /// Extraction status.
    pub status: TableStatus,
    /// 0–100.
    #[serde(default)]
    pub progress: Option<f64>,
    /// Rows extracted so far.
    #[serde(default)]
    pub total_rows: Option<u64>,
    /// `files` or `text`.
    #[serde(default)]
    pub source_type: Option<String>,
    /// Extraction guidance given at creation.
    #[serde(default)]
    pub additional_context: Option<String>,
    /// Default context for enhancements.
    #[serde(default)]
    pub enhancement_context: Option<String>,
    /// Why extraction failed, when it did.
    #[serde(default)]
    pub error_message: Option<String>,
    /// Source files: `{ name, path, size }`.
    #[serde(default)]
    pub files: Vec<Value>,
    /// ISO 8601.
    #[serde(default)]
    pub created_at: Option<String>,
    /// ISO 8601.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Fields newer than this SDK (`locked`, `locked_at`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Status of a table's extraction. Unknown values are kept in `Other`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TableStatus {
    /// `queued`
    Queued,
    /// `queued_for_processing` (newer API)
    QueuedForProcessing,
    /// `processing`
    Processing,
    /// `processing_by_worker` (newer API)
    ProcessingByWorker,
    /// `completed`
    Completed,
    /// `failed`
    Failed,
    /// `error` (newer API)
    Error,
    /// `cancelled` (newer API)
    Cancelled,
    /// A value newer than this SDK.
    Other(String),
}

impl TableStatus {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Queued => "queued",
            Self::QueuedForProcessing => "queued_for_processing",
            Self::Processing => "processing",
            Self::ProcessingByWorker => "processing_by_worker",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Error => "error",
            Self::Cancelled => "cancelled",
            Self::Other(s) => s,
        }
    }

    /// Whether extraction has finished, successfully or not.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Self::Completed | Self::Failed | Self::Error | Self::Cancelled
        )
    }

    fn parse(s: &str) -> Self {
        match s {
            "queued" => Self::Queued,
            "queued_for_processing" => Self::QueuedForProcessing,
            "processing" => Self::Processing,
            "processing_by_worker" => Self::ProcessingByWorker,
            "completed" => Self::Completed,
            "failed" => Self::Failed,
            "error" => Self::Error,
            "cancelled" => Self::Cancelled,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl From<&str> for TableStatus {
    fn from(s: &str) -> Self {
        Self::parse(s)
    }
}

impl std::fmt::Display for TableStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for TableStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TableStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        Ok(Self::parse(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_and_statuses_are_kept() {
        let t: Table =
            serde_json::from_str(r#"{"id":"t1","status":"archived_by_robot","locked":true,"progress":50}"#)
                .unwrap();
        assert_eq!(t.status, TableStatus::Other("archived_by_robot".into()));
        assert_eq!(t.extra["locked"], Value::Bool(true));
        let back = serde_json::to_value(&t).unwrap();
        assert_eq!(back["status"], "archived_by_robot");
        assert_eq!(back["locked"], true);
    }
}
