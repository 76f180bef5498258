//! The helpers: methods of the SDKs that are not one API operation (waiting
//! for a job, uploading a file, exporting a table, a DataFrame of its rows),
//! described once so that every language's surface and API reference are
//! generated from the same names, parameters, defaults and results. The core
//! (`lasso-ai`) does their work; the front doors only convert.

/// How often a wait polls unless told otherwise, in milliseconds (the core's
/// `DEFAULT_POLL_INTERVAL`).
pub const WAIT_INTERVAL_MS: u64 = 3_000;
/// How long a wait lasts unless told otherwise, in milliseconds (the core's
/// `DEFAULT_WAIT_TIMEOUT`).
pub const WAIT_TIMEOUT_MS: u64 = 300_000;

/// One helper method.
#[derive(Debug)]
pub struct Helper {
    /// `resource.method`, like an operation's id: `tables.wait_for_completion`.
    pub id: &'static str,
    /// What it does, which decides how each language implements it.
    pub kind: HelperKind,
    /// Its parameters, in order (the per-call options every method takes come after).
    pub params: &'static [HelperParam],
    /// What it returns.
    pub returns: HelperReturn,
    /// One line for generated docs.
    pub summary: &'static str,
    /// More for generated docs: behaviour, errors (a paragraph, may be empty).
    pub doc: &'static str,
    /// The operations it sends, by id (for the API reference: method, path, billing).
    pub sends: &'static [&'static str],
    /// The SDKs that have it (a DataFrame is Python's; Arrow is not in Kotlin yet).
    pub sdks: &'static [Sdk],
}

/// A language's SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sdk {
    /// The `lasso-ai` crate.
    Rust,
    /// The `lasso` package.
    Python,
    /// The `@lasso-ai/sdk` package.
    Node,
    /// The `ai.lasso:lasso-sdk` package.
    Kotlin,
}

/// Every SDK.
pub const EVERY_SDK: &[Sdk] = &[Sdk::Rust, Sdk::Python, Sdk::Node, Sdk::Kotlin];

impl Helper {
    /// Whether `sdk` has this helper.
    pub fn is_in(&self, sdk: Sdk) -> bool {
        self.sdks.contains(&sdk)
    }
}

/// What a helper does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelperKind {
    /// Polls until a job ends (the core's `wait_for_job`).
    Wait(WaitJob),
    /// Uploads a file (`POST /files`, multipart, streamed).
    Upload,
    /// Exports a table (`GET /tables/{table_id}/export`) in one format, or in
    /// the format given as a parameter (`None`).
    Export(Option<ExportFormat>),
    /// Every row's `data` as a data frame (Python: pandas), the schema's
    /// columns kept for an empty table.
    DataFrame,
    /// The table's rows decoded by the core into Arrow record batches typed by
    /// its column definitions, handed over in this form.
    Arrow(ArrowForm),
}

/// What a table's Arrow record batches are handed over as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrowForm {
    /// The batches themselves (Python: the Arrow PyCapsule stream; Node: an
    /// `apache-arrow` Table read from the core's IPC bytes).
    Batches,
    /// A pandas DataFrame built from them.
    Pandas,
    /// A polars DataFrame built from them.
    Polars,
}

/// The job a wait polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitJob {
    /// A table's extraction: `tables.get` until its status is terminal.
    Extraction,
    /// An enhancement: `enhance.status` until every cell is completed or failed.
    Enhancement,
}

impl WaitJob {
    /// The name the bindings take (`"extraction"`, `"enhancement"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            WaitJob::Extraction => "extraction",
            WaitJob::Enhancement => "enhancement",
        }
    }
}

/// An export format of `GET /tables/{table_id}/export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Semicolon-delimited CSV text.
    Csv,
    /// An Excel workbook.
    Xlsx,
    /// The rows as JSON objects keyed by column.
    Json,
    /// A ZIP of the images of image columns.
    Images,
}

impl ExportFormat {
    /// Its name on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Json => "json",
            ExportFormat::Images => "images",
        }
    }
}

/// The type of a helper's parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelperTy {
    /// A string.
    Str,
    /// A duration (seconds in Python, milliseconds in Node, `Duration` in Rust and Kotlin).
    Duration,
    /// A boolean.
    Bool,
    /// Hears `(status, progress)` at each change; may stop the wait.
    ProgressCallback,
    /// What an upload reads: a path, bytes, or a stream of bytes.
    FileSource,
    /// Column keys: a list, or one comma-separated string.
    Columns,
    /// A local file path to write.
    Path,
    /// A string enumeration of [`crate::models::ENUMS`], by name.
    Enum(&'static str),
}

/// One parameter of a helper.
#[derive(Debug, Clone, Copy)]
pub struct HelperParam {
    /// Its name (each language spells it its own way: `table_id` / `tableId`).
    pub name: &'static str,
    /// Its type.
    pub ty: HelperTy,
    /// Whether it must be given.
    pub required: bool,
    /// Passed by position.
    pub positional: bool,
    /// Its default when not given, as a number of milliseconds for a
    /// duration, `true`/`false` for a boolean; `None`: not given at all.
    pub default: Option<&'static str>,
    /// Another name the same parameter is accepted under, for code written
    /// for the official Python `lasso-ai` 0.1.2 (`files.upload(file_path=...)`).
    pub legacy_name: Option<&'static str>,
    /// One line for generated docs.
    pub doc: &'static str,
}

const fn param(name: &'static str, ty: HelperTy, doc: &'static str) -> HelperParam {
    HelperParam {
        name,
        ty,
        required: false,
        positional: false,
        default: None,
        legacy_name: None,
        doc,
    }
}

/// A required parameter passed by position.
const fn arg(name: &'static str, ty: HelperTy, doc: &'static str) -> HelperParam {
    HelperParam {
        required: true,
        positional: true,
        ..param(name, ty, doc)
    }
}

impl HelperParam {
    const fn default(self, value: &'static str) -> HelperParam {
        HelperParam {
            default: Some(value),
            ..self
        }
    }

    const fn positional(self) -> HelperParam {
        HelperParam {
            positional: true,
            ..self
        }
    }

    const fn legacy(self, name: &'static str) -> HelperParam {
        HelperParam {
            legacy_name: Some(name),
            ..self
        }
    }
}

/// What a helper returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelperReturn {
    /// A model of [`crate::models::MODELS`], by name.
    Model(&'static str),
    /// The rows of a JSON export: objects keyed by column.
    Rows,
    /// Text (CSV); with a `path` parameter given, written there too.
    Text,
    /// Bytes (XLSX, ZIP); with a `path` parameter given, written there too
    /// (what `lasso-ai` 0.1.2's `export.xlsx(path=...)` returns).
    Bytes,
    /// The content with its content type and file name; with a `path`
    /// given, where it was written with its size, content type and file name.
    Download,
    /// A data frame (Python: `pandas.DataFrame`).
    DataFrame,
    /// A table's Arrow record batches (Python: `TableArrowStream`; Node: an
    /// `apache-arrow` Table).
    ArrowBatches,
    /// A polars `DataFrame`.
    PolarsFrame,
}

use HelperTy::{Bool, Columns, Duration, Enum, FileSource, Path, ProgressCallback, Str};

const TABLE_ID: HelperParam = arg("table_id", Str, "The table.");
const INTERVAL: HelperParam = param("interval", Duration, "Time between two polls.").default("3000");
const TIMEOUT: HelperParam = param(
    "timeout",
    Duration,
    "Time allowed in all before a timeout error naming the last status and progress.",
)
.default("300000");
const ON_PROGRESS: HelperParam = param(
    "on_progress",
    ProgressCallback,
    "Hears `(status, progress)` at each change; an error it raises stops the wait and is raised.",
);
const PROGRESS_BAR: HelperParam = param(
    "progress",
    Bool,
    "Draw a one-line progress bar on stderr, only when stderr is a terminal.",
)
.default("false");
const COLUMNS: HelperParam = param("columns", Columns, "Only these columns (keys), in this order.");
const PATH: HelperParam = param(
    "path",
    Path,
    "Also write the export to this file (streamed through a temporary file renamed at the end).",
);
const DOWNLOAD_PATH: HelperParam = param(
    "path",
    Path,
    "Write the export to this file instead of returning it (streamed through a temporary file renamed at the end).",
);
const TOTAL_TIMEOUT: HelperParam = param(
    "total_timeout",
    Duration,
    "Time allowed for the whole export, retries and a slow trickle of data included (default: none).",
);

const EXPORT_DOC: &str = "Without `path` the body is read into memory (up to the client's \
                          `max_response_bytes`); with it, it is streamed to a temporary file \
                          beside `path`, renamed into place once complete, so a failure leaves \
                          no partial file, and then read back and returned (as `lasso-ai` \
                          0.1.2 does); `export.download` with `path` writes without reading \
                          back, for exports too large for memory. The per-call `timeout` \
                          bounds each attempt (for a file: the time without any data arriving).";

/// Every helper, by resource.
pub static HELPERS: &[Helper] = &[
    Helper {
        id: "tables.wait_for_completion",
        kind: HelperKind::Wait(WaitJob::Extraction),
        params: &[TABLE_ID, INTERVAL, TIMEOUT, ON_PROGRESS, PROGRESS_BAR],
        returns: HelperReturn::Model("Table"),
        summary: "Poll the table until its extraction finishes and return it.",
        doc: "Raises the job-failed error (carrying the table as last read) when it ends `failed`, \
              `error` or `cancelled`, and a timeout error naming the last status and progress \
              when the wait's timeout passes. A status request that fails for a transient reason is \
              tried again until then.",
        sends: &["tables.get"],
        sdks: EVERY_SDK,
    },
    Helper {
        id: "tables.results_as_dataframe",
        kind: HelperKind::DataFrame,
        params: &[TABLE_ID],
        returns: HelperReturn::DataFrame,
        summary: "Every row's `data` as a pandas DataFrame (`pip install \"lasso[pandas]\"`).",
        doc: "Rows are read 100 a page. An empty table gives an empty frame with the table's columns.",
        sends: &["tables.rows", "tables.columns"],
        sdks: &[Sdk::Python],
    },
    Helper {
        id: "tables.to_arrow",
        kind: HelperKind::Arrow(ArrowForm::Batches),
        params: &[TABLE_ID],
        returns: HelperReturn::ArrowBatches,
        summary: "The table's rows in Arrow form, typed by its column definitions.",
        doc: "Pages of 100 rows are decoded by the core straight into Arrow arrays, with up to 4 more \
              pages downloading meanwhile. Column types follow the table's column definitions (\"Tables \
              as Arrow\" in the README); a column of an unknown type is text.",
        sends: &["tables.rows", "tables.columns"],
        sdks: &[Sdk::Python, Sdk::Node],
    },
    Helper {
        id: "tables.to_pandas",
        kind: HelperKind::Arrow(ArrowForm::Pandas),
        params: &[
            TABLE_ID,
            param(
                "dtype_backend",
                Str,
                "As in `pandas.read_csv`: `None` (NumPy dtypes, text as objects), `numpy_nullable` or \
                 `pyarrow` (Arrow-backed columns, nothing converted).",
            ),
        ],
        returns: HelperReturn::DataFrame,
        summary: "The table's rows as a pandas DataFrame, through Arrow (`pip install \"lasso[pandas]\"`).",
        doc: "",
        sends: &["tables.rows", "tables.columns"],
        sdks: &[Sdk::Python],
    },
    Helper {
        id: "tables.to_polars",
        kind: HelperKind::Arrow(ArrowForm::Polars),
        params: &[TABLE_ID],
        returns: HelperReturn::PolarsFrame,
        summary: "The table's rows as a polars DataFrame, through Arrow (`pip install \"lasso[polars]\"`).",
        doc: "",
        sends: &["tables.rows", "tables.columns"],
        sdks: &[Sdk::Python],
    },
    Helper {
        id: "enhance.wait_for_completion",
        kind: HelperKind::Wait(WaitJob::Enhancement),
        params: &[
            TABLE_ID,
            param(
                "column_key",
                Str,
                "Wait for this column's cells only (default: every column).",
            ),
            INTERVAL,
            TIMEOUT,
            ON_PROGRESS,
            PROGRESS_BAR,
        ],
        returns: HelperReturn::Model("EnhanceStatus"),
        summary: "Poll the enhancement status until every cell is completed or failed, and return it.",
        doc: "Done even when some cells failed (the counts say how many); raises the job-failed error \
              when every cell failed, and a timeout error when the wait's timeout passes. Progress reports \
              say `processing` or `completed` and the share of cells finished.",
        sends: &["enhance.status"],
        sdks: EVERY_SDK,
    },
    Helper {
        id: "files.upload",
        kind: HelperKind::Upload,
        params: &[
            arg(
                "file",
                FileSource,
                "A path (streamed from disk), bytes, or a binary stream (read from its current position).",
            )
            .legacy("file_path"),
            param(
                "filename",
                Str,
                "The file name sent (default: the file's own name, when it has one).",
            )
            .positional(),
            param(
                "content_type",
                Str,
                "The part's content type (default: from the file name's extension).",
            ),
        ],
        returns: HelperReturn::Model("FileObject"),
        summary: "Upload a file; `tables.create` takes its id in `file_ids`.",
        doc: "A seekable stream is rewound for a retry; a non-seekable one is sent once.",
        sends: &["files.upload"],
        sdks: EVERY_SDK,
    },
    Helper {
        id: "export.download",
        kind: HelperKind::Export(None),
        params: &[
            TABLE_ID,
            arg(
                "format",
                Enum("TableExportFormat"),
                "`csv`, `xlsx`, `json` or `images`.",
            ),
            COLUMNS,
            DOWNLOAD_PATH,
            TOTAL_TIMEOUT,
        ],
        returns: HelperReturn::Download,
        summary: "Any export format with its content type and file name (from `Content-Disposition`).",
        doc: "Without `path` the body is read into memory (up to the client's `max_response_bytes`); \
              with it, it is streamed to a temporary file beside `path`, renamed into place once \
              complete (a failure leaves no partial file), and never read back: the result says where \
              it was written, for exports too large for memory. The per-call `timeout` bounds each \
              attempt (for a file: the time without any data arriving).",
        sends: &["tables.export"],
        sdks: EVERY_SDK,
    },
    Helper {
        id: "export.json",
        kind: HelperKind::Export(Some(ExportFormat::Json)),
        params: &[TABLE_ID, COLUMNS, TOTAL_TIMEOUT],
        returns: HelperReturn::Rows,
        summary: "The rows as objects keyed by column.",
        doc: "The `{data: [...]}` envelope is unwrapped (a bare array is accepted too); anything else \
              raises the decode error. Parsed by the core; an async client builds the rows on the event \
              loop 1,000 at a time, so its other tasks run in between.",
        sends: &["tables.export"],
        sdks: EVERY_SDK,
    },
    Helper {
        id: "export.csv",
        kind: HelperKind::Export(Some(ExportFormat::Csv)),
        params: &[TABLE_ID, COLUMNS, PATH, TOTAL_TIMEOUT],
        returns: HelperReturn::Text,
        summary: "The CSV text (semicolon-delimited), also written to `path` when given.",
        doc: EXPORT_DOC,
        sends: &["tables.export"],
        sdks: EVERY_SDK,
    },
    Helper {
        id: "export.xlsx",
        kind: HelperKind::Export(Some(ExportFormat::Xlsx)),
        params: &[TABLE_ID, COLUMNS, PATH, TOTAL_TIMEOUT],
        returns: HelperReturn::Bytes,
        summary: "The XLSX workbook's bytes, also written to `path` when given.",
        doc: EXPORT_DOC,
        sends: &["tables.export"],
        sdks: EVERY_SDK,
    },
    Helper {
        id: "export.images",
        kind: HelperKind::Export(Some(ExportFormat::Images)),
        params: &[TABLE_ID, PATH, TOTAL_TIMEOUT],
        returns: HelperReturn::Bytes,
        summary: "A ZIP of the images in image columns: its bytes, also written to `path` when given.",
        doc: EXPORT_DOC,
        sends: &["tables.export"],
        sdks: EVERY_SDK,
    },
];

/// The helper with this id.
pub fn helper(id: &str) -> Option<&'static Helper> {
    HELPERS.iter().find(|h| h.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::OPERATIONS;

    #[test]
    fn helpers_are_unique_and_name_what_exists() {
        let mut ids: Vec<&str> = HELPERS.iter().map(|h| h.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), HELPERS.len());
        for h in HELPERS {
            assert!(
                !OPERATIONS.iter().any(|op| op.id == h.id && !op.custom),
                "{}: a generated operation has this name",
                h.id
            );
            for sent in h.sends {
                assert!(
                    OPERATIONS.iter().any(|op| op.id == *sent),
                    "{}: sends {sent}",
                    h.id
                );
            }
            if let HelperReturn::Model(name) = h.returns {
                assert!(crate::models::model_named(name).is_some(), "{}: {name}", h.id);
            }
            for p in h.params {
                if let HelperTy::Enum(name) = p.ty {
                    assert!(crate::models::enum_named(name).is_some(), "{}: {name}", h.id);
                }
                assert!(!(p.required && p.default.is_some()), "{}: {}", h.id, p.name);
            }
            // Positional parameters come first.
            let first_keyword = h
                .params
                .iter()
                .position(|p| !p.positional)
                .unwrap_or(h.params.len());
            assert!(
                h.params[first_keyword..].iter().all(|p| !p.positional),
                "{}",
                h.id
            );
        }
    }

    #[test]
    fn the_wait_defaults_are_the_constants_the_core_uses() {
        // The parameters' defaults are text (for every language's generator); the
        // core's DEFAULT_POLL_INTERVAL / DEFAULT_WAIT_TIMEOUT are the constants.
        assert_eq!(INTERVAL.default, Some(WAIT_INTERVAL_MS.to_string().as_str()));
        assert_eq!(TIMEOUT.default, Some(WAIT_TIMEOUT_MS.to_string().as_str()));
    }
}
