//! Output conventions (as uv, ruff and `gh` do):
//!
//! - results go to stdout; messages, warnings, errors and progress bars to stderr;
//! - on a terminal, JSON is pretty-printed and coloured; piped, it is compact
//!   (one document), and lists followed with `--all` are NDJSON, one item per
//!   line as the pages arrive;
//! - `--output table` shows lists (and objects) as a table;
//! - `--jq PATH` keeps only part of each result (`.data[].id`);
//! - colour only on a terminal, never with `NO_COLOR` or `--color never`;
//!   progress bars only when stderr is a terminal and not `--quiet`.

use std::io::{IsTerminal, Write};

use comfy_table::{presets, ContentArrangement, Table};
use serde_json::Value;

use crate::select::Selector;

/// `--output`: how results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// Pretty JSON on a terminal, compact JSON (NDJSON for streams) when piped.
    Auto,
    /// Compact JSON, one document per result (one line per item when streaming).
    Json,
    /// One JSON value per line; lists are split into their items.
    Ndjson,
    /// Indented JSON.
    Pretty,
    /// A table of a list's items (or an object's fields).
    Table,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Where and how output goes.
#[derive(Debug, Clone)]
pub struct Out {
    /// `--output`.
    pub mode: Mode,
    /// Whether stdout is coloured.
    pub color: bool,
    /// Whether stderr is coloured.
    pub color_err: bool,
    /// Whether stdout is a terminal.
    pub stdout_tty: bool,
    /// Whether stderr is a terminal.
    pub stderr_tty: bool,
    /// `--quiet`: no messages or progress bars (errors still print).
    pub quiet: bool,
    /// `--verbose`: full error details.
    pub verbose: bool,
    /// `--jq`.
    pub select: Option<Selector>,
}

/// Output stopped because the reader went away (`lasso … | head`): not an error.
#[derive(Debug)]
pub struct Closed;

impl Out {
    /// Decides colours and terminals from the flags and the environment.
    pub fn new(mode: Mode, color: ColorChoice, quiet: bool, verbose: bool, select: Option<Selector>) -> Out {
        let stdout_tty = std::io::stdout().is_terminal();
        let stderr_tty = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let decide = |tty: bool| match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color && std::env::var("TERM").map_or(true, |t| t != "dumb"),
        };
        Out {
            mode,
            color: decide(stdout_tty),
            color_err: decide(stderr_tty),
            stdout_tty,
            stderr_tty,
            quiet,
            verbose,
            select,
        }
    }

    /// Whether progress bars are drawn.
    pub fn bars(&self) -> bool {
        self.stderr_tty && !self.quiet
    }

    /// Prints one result.
    pub fn value(&self, value: &Value) -> Result<(), Closed> {
        let selected = self.selected(value);
        match self.mode {
            Mode::Table => match selected.as_slice() {
                [one] => self.write(&table(one)),
                // `--jq .data[]` picks several values: one table of them.
                many => self.write(&table(&Value::Array(many.to_vec()))),
            },
            Mode::Ndjson => {
                for v in selected {
                    match list_items(&v) {
                        Some(items) => {
                            for item in items {
                                self.line(item)?;
                            }
                        }
                        None => self.line(&v)?,
                    }
                }
                Ok(())
            }
            _ => selected.iter().try_for_each(|v| self.document(v)),
        }
    }

    /// Prints one item of a stream (a list followed with `--all`): a line of
    /// NDJSON, or pretty JSON with `--output pretty`. Table output collects
    /// items first (see [`Out::table_of`]).
    pub fn item(&self, value: &Value) -> Result<(), Closed> {
        for v in self.selected(value) {
            match self.mode {
                Mode::Pretty => self.document(&v)?,
                _ => self.line(&v)?,
            }
        }
        Ok(())
    }

    /// Prints collected items as one table.
    pub fn table_of(&self, items: Vec<Value>) -> Result<(), Closed> {
        let items: Vec<Value> = items.iter().flat_map(|v| self.selected(v)).collect();
        self.write(&table(&Value::Array(items)))
    }

    /// A message for people on stderr (not with `--quiet`).
    pub fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    /// A warning on stderr (even with `--quiet`).
    pub fn warn(&self, text: &str) {
        eprintln!("{} {text}", self.paint_err("warning:", "33"));
    }

    /// `text` in an ANSI colour (`"32"`) when stdout is coloured.
    pub fn paint(&self, text: &str, sgr: &str) -> String {
        if self.color {
            format!("\x1b[{sgr}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// `text` in an ANSI colour (`"31"`) when stderr is coloured.
    pub fn paint_err(&self, text: &str, sgr: &str) -> String {
        if self.color_err {
            format!("\x1b[{sgr}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn selected(&self, value: &Value) -> Vec<Value> {
        match &self.select {
            Some(s) => s.apply(value),
            None => vec![value.clone()],
        }
    }

    /// One JSON document: pretty (and coloured) on a terminal, compact when piped.
    fn document(&self, value: &Value) -> Result<(), Closed> {
        let pretty = match self.mode {
            Mode::Pretty => true,
            Mode::Auto => self.stdout_tty,
            _ => false,
        };
        if let (Some(text), true) = (value.as_str(), self.select.is_some()) {
            // `--jq .id` prints bare strings, as `gh --jq` does.
            return self.write(text);
        }
        if pretty {
            let text = if self.color {
                colored_json::to_colored_json(value, colored_json::ColorMode::On)
                    .unwrap_or_else(|_| value.to_string())
            } else {
                serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
            };
            self.write(&text)
        } else {
            self.line(value)
        }
    }

    fn line(&self, value: &Value) -> Result<(), Closed> {
        if let (Some(text), true) = (value.as_str(), self.select.is_some()) {
            return self.write(text);
        }
        self.write(&value.to_string())
    }

    fn write(&self, text: &str) -> Result<(), Closed> {
        let mut out = std::io::stdout().lock();
        let mut bytes = Vec::with_capacity(text.len() + 1);
        bytes.extend_from_slice(text.as_bytes());
        bytes.push(b'\n');
        write_blocking(&mut out, &bytes).map_err(|_| Closed)
    }
}

/// Writes all of `bytes`, also to a descriptor a host left non-blocking
/// (a pipe Node or Python set up): `WouldBlock` waits and tries again.
fn write_blocking(out: &mut impl Write, mut bytes: &[u8]) -> std::io::Result<()> {
    while !bytes.is_empty() {
        match out.write(bytes) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(std::time::Duration::from_millis(1))
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    loop {
        match out.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(std::time::Duration::from_millis(1))
            }
            other => return other,
        }
    }
}

/// The items of a list answer: an array, or the array under `data`, `items`,
/// `results`, `rows` or `files`.
pub fn list_items(value: &Value) -> Option<&Vec<Value>> {
    match value {
        Value::Array(items) => Some(items),
        Value::Object(map) => ["data", "items", "results", "rows", "files"]
            .iter()
            .find_map(|k| map.get(*k).and_then(Value::as_array)),
        _ => None,
    }
}

/// A table: a list's items as rows (their scalar fields as columns, in the
/// order they first appear), or an object's fields as `field | value` rows.
pub fn table(value: &Value) -> String {
    let mut table = new_table(presets::UTF8_FULL_CONDENSED);
    match list_items(value) {
        Some(items) => {
            // Nested objects (a row's `data`) are spread into `data.name`, `data.price`, ….
            let flat: Vec<Option<Vec<(String, &Value)>>> = items.iter().map(flatten).collect();
            let mut columns: Vec<String> = Vec::new();
            for fields in flat.iter().take(200).flatten() {
                for (key, _) in fields {
                    if !columns.contains(key) {
                        columns.push(key.clone());
                    }
                }
            }
            if columns.is_empty() {
                table.set_header(vec!["value"]);
                for item in items {
                    table.add_row(vec![cell(item)]);
                }
            } else {
                table.set_header(columns.clone());
                for fields in &flat {
                    let fields = fields.as_deref().unwrap_or_default();
                    table.add_row(columns.iter().map(|c| {
                        cell(
                            fields
                                .iter()
                                .find(|(k, _)| k == c)
                                .map_or(&Value::Null, |(_, v)| v),
                        )
                    }));
                }
            }
        }
        None => match value {
            Value::Object(map) => {
                table.set_header(vec!["field", "value"]);
                for (k, v) in map {
                    table.add_row(vec![k.clone(), cell(v)]);
                }
            }
            other => {
                table.set_header(vec!["value"]);
                table.add_row(vec![cell(other)]);
            }
        },
    }
    table.to_string()
}

/// An object's fields, nested objects spread one level (`data.name`).
fn flatten(item: &Value) -> Option<Vec<(String, &Value)>> {
    let map = item.as_object()?;
    let mut out = Vec::new();
    for (key, value) in map {
        match value {
            Value::Object(inner) if !inner.is_empty() => {
                out.extend(inner.iter().map(|(k, v)| (format!("{key}.{k}"), v)));
            }
            _ => out.push((key.clone(), value)),
        }
    }
    Some(out)
}

/// A table that fits the terminal's width when stdout is one (else as wide as its content).
pub fn new_table(preset: &str) -> Table {
    let mut table = Table::new();
    table.load_preset(preset);
    let term = console::Term::stdout();
    if term.is_term() {
        let (_, width) = term.size();
        table
            .set_width(width)
            .set_content_arrangement(ContentArrangement::Dynamic);
    }
    table
}

/// A cell: strings as they are, nested values as compact JSON, cut at 60 characters.
fn cell(value: &Value) -> String {
    let text = match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let text = crate::exit::one_line(&text);
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(59).collect();
        format!("{cut}…")
    } else {
        text
    }
}
