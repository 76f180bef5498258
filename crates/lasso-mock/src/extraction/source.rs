//! Rows extracted from a table's source, deterministically: CSV-like text maps its
//! header onto the schema columns, free text gives one row per non-empty line, and
//! binary files give a few rows per file chosen from the catalogue by the file name.
//! Columns the source does not mention are filled from the best-matching catalogue
//! product, so every row is complete and plausible.

use serde_json::{json, Map, Value};

use super::catalogue::{coerce, field_of, first_number, value_for, Catalogue, Field};
use super::schema::{snake_case, Column};
use crate::hash::fnv;

/// At most this many rows come out of one extraction.
pub const MAX_ROWS: usize = 100_000;

/// The test hook: a source containing this word ends in status `error`.
pub const FAIL_WORD: &str = "FAIL_EXTRACTION";

/// The benchmark hook: a source text whose first line is `MOCK_ROWS=N` makes a table of
/// N generated rows (at most this many).
pub const MAX_SYNTHETIC_ROWS: u64 = 1_000_000_000;

pub fn synthetic_count(text: &str) -> Option<u64> {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let count: u64 = first
        .strip_prefix("MOCK_ROWS=")?
        .trim()
        .replace('_', "")
        .parse()
        .ok()?;
    (1..=MAX_SYNTHETIC_ROWS).contains(&count).then_some(count)
}

/// One base row per catalogue product for a synthetic table.
pub fn synthetic_base(columns: &[Column], catalogue: &Catalogue) -> Vec<Map<String, Value>> {
    catalogue
        .products
        .iter()
        .map(|product| {
            columns
                .iter()
                .map(|c| (c.key.clone(), value_for(product, c, product.index as u64)))
                .collect()
        })
        .collect()
}

pub fn rows_from_text(
    text: &str,
    columns: &[Column],
    catalogue: &Catalogue,
    salt: u64,
) -> Vec<Map<String, Value>> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.ends_with(':'))
        .collect();
    if let Some(rows) = csv_rows(&lines, columns, catalogue, salt) {
        return rows;
    }
    lines
        .iter()
        .take(MAX_ROWS)
        .enumerate()
        .map(|(i, line)| line_row(line, columns, catalogue, salt ^ i as u64))
        .collect()
}

fn line_row(line: &str, columns: &[Column], catalogue: &Catalogue, salt: u64) -> Map<String, Value> {
    let (product, _) = catalogue.best_match(line);
    let mentioned_price = price_in(line);
    columns
        .iter()
        .map(|column| {
            let value = match field_of(&column.key).or_else(|| field_of(&column.label)) {
                Some(Field::Name) => coerce(json!(clean_name(line)), column, product, salt),
                Some(Field::Price) if mentioned_price.is_some() => {
                    coerce(json!(mentioned_price.unwrap_or_default()), column, product, salt)
                }
                _ => value_for(product, column, salt),
            };
            (column.key.clone(), value)
        })
        .collect()
}

/// A price written in a line: a number next to a currency sign or code, or a
/// number with decimals.
fn price_in(line: &str) -> Option<f64> {
    let has_currency = ["$", "€", "£", "eur", "usd", "czk", "kč", "gbp"]
        .iter()
        .any(|c| line.to_lowercase().contains(c));
    let tokens: Vec<&str> = line.split_whitespace().collect();
    tokens.iter().rev().find_map(|token| {
        let decimal = token.contains('.') || token.contains(',');
        if (has_currency || decimal) && token.chars().any(|c| c.is_ascii_digit()) {
            first_number(token)
        } else {
            None
        }
    })
}

/// The line without list markers and trailing prices, at most 200 characters.
fn clean_name(line: &str) -> String {
    let line = line.trim_start_matches(|c: char| c == '-' || c == '*' || c == '•' || c.is_whitespace());
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut end = words.len();
    while end > 1 {
        let w = words[end - 1].to_lowercase();
        let pricey = w.chars().any(|c| c.is_ascii_digit())
            && (w.contains('.') || w.contains(',') || w.contains('$') || w.contains('€'))
            || ["eur", "usd", "czk", "kč", "€", "$", "-", "–"].contains(&w.as_str());
        if pricey {
            end -= 1;
        } else {
            break;
        }
    }
    let name = words[..end].join(" ");
    let name = name.trim_end_matches([',', ';', '-', '–', ':']).trim();
    name.chars().take(200).collect()
}

fn split_line(line: &str, delimiter: char) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == delimiter && !quoted => cells.push(std::mem::take(&mut cell).trim().to_owned()),
            c => cell.push(c),
        }
    }
    cells.push(cell.trim().to_owned());
    cells
}

fn csv_rows(
    lines: &[&str],
    columns: &[Column],
    catalogue: &Catalogue,
    salt: u64,
) -> Option<Vec<Map<String, Value>>> {
    if lines.len() < 2 {
        return None;
    }
    let (delimiter, header) = [',', ';', '\t', '|']
        .into_iter()
        .filter_map(|d| {
            let header = split_line(lines[0], d);
            let width = header.len();
            let consistent = lines[1..]
                .iter()
                .filter(|l| split_line(l, d).len() == width)
                .count();
            (width >= 2 && consistent * 5 >= (lines.len() - 1) * 4).then_some((d, header))
        })
        .max_by_key(|(_, header)| header.len())?;
    let mapping: Vec<Option<usize>> = columns
        .iter()
        .map(|column| {
            header
                .iter()
                .position(|h| snake_case(h) == column.key)
                .or_else(|| {
                    header
                        .iter()
                        .position(|h| h.eq_ignore_ascii_case(&column.label))
                        .or_else(|| {
                            let wanted = field_of(&column.key).or_else(|| field_of(&column.label))?;
                            header.iter().position(|h| field_of(h) == Some(wanted))
                        })
                })
        })
        .collect();
    let rows = lines[1..]
        .iter()
        .take(MAX_ROWS)
        .enumerate()
        .map(|(i, line)| {
            let cells = split_line(line, delimiter);
            let (product, _) = catalogue.best_match(&cells.join(" "));
            let salt = salt ^ i as u64;
            columns
                .iter()
                .zip(&mapping)
                .map(|(column, index)| {
                    let cell = index.and_then(|i| cells.get(i)).filter(|c| !c.is_empty());
                    let value = match cell {
                        Some(cell) => coerce(json!(cell), column, product, salt),
                        None => value_for(product, column, salt),
                    };
                    (column.key.clone(), value)
                })
                .collect()
        })
        .collect();
    Some(rows)
}

/// Whether stored file bytes are text worth parsing line by line.
pub fn is_text(filename: &str, content_type: &str, head: &[u8]) -> bool {
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default();
    let texty = content_type.starts_with("text/")
        || matches!(
            ext.as_str(),
            "csv" | "txt" | "tsv" | "md" | "json" | "xml" | "html" | "htm"
        );
    texty && !head.iter().take(8192).any(|&b| b == 0)
}

/// Text of a stored file for extraction: markup tags removed.
pub fn file_text(head: &[u8]) -> String {
    let text = String::from_utf8_lossy(head);
    if !text.contains('<') {
        return text.into_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for ch in text.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Rows for a file the emulator does not parse (PDF, spreadsheets, images, URLs):
/// 2–10 consecutive catalogue products, chosen by the file name and size.
pub fn rows_from_name(
    name: &str,
    size: u64,
    columns: &[Column],
    catalogue: &Catalogue,
    salt: u64,
) -> Vec<Map<String, Value>> {
    let h = fnv(&[name.as_bytes(), &size.to_le_bytes()]);
    let count = 2 + (h % 9) as usize;
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let (first, score) = catalogue.best_match(&stem.replace(['-', '_'], " "));
    let base = if score > 0 { first.index } else { (h >> 8) as usize };
    let len = catalogue.products.len();
    (0..count)
        .map(|i| {
            let product = &catalogue.products[(base + i) % len];
            columns
                .iter()
                .map(|c| (c.key.clone(), value_for(product, c, salt ^ i as u64)))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extraction::schema::default_columns;

    #[test]
    fn csv_maps_headers() {
        let cat = Catalogue::generate(42);
        let cols = default_columns(1);
        let rows = rows_from_text(
            "SKU;Name;Price\nA-100;Alpine bottle;24,90\nA-101;Trail mug;18.50\n",
            &cols,
            &cat,
            0,
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["name"], "Alpine bottle");
        assert_eq!(rows[0]["price"], 24.9);
        assert_eq!(rows[1]["price"], 18.5);
        assert!(rows[0]["features"].is_array());
    }

    #[test]
    fn one_row_per_line() {
        let cat = Catalogue::generate(42);
        let cols = default_columns(1);
        let text = "Products:\n- Sony wireless headphones 199.99 EUR\n\n- Hydro Flask bottle $35\nGarmin GPS watch\n";
        let rows = rows_from_text(text, &cols, &cat, 0);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0]["name"], "Sony wireless headphones");
        assert_eq!(rows[0]["price"], 199.99);
        assert_eq!(rows[1]["price"], 35.0);
        assert_eq!(rows, rows_from_text(text, &cols, &cat, 0));
    }
}
