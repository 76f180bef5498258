//! Schemas and their columns (lasso-api.md §2.6): validation of column definitions,
//! the default product schema and the seeded sample schema.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::accepted::COLUMN_TYPE;
use crate::errors::ApiError;
use crate::hash::{fnv, uuid_from};
use crate::input::{invalid, str_list, Fields};

/// Fields of a column definition the emulator interprets; any other field is kept
/// as sent (configs such as `image_config`) and returned unchanged.
const CORE_FIELDS: [&str; 9] = [
    "id",
    "attribute_id",
    "kind",
    "key",
    "label",
    "type",
    "required",
    "description",
    "enum_values",
];

#[derive(Clone, Debug, Serialize)]
pub struct Column {
    pub id: String,
    pub attribute_id: Option<String>,
    pub kind: String,
    pub key: String,
    pub label: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<Vec<String>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Column {
    /// A plain attribute column (used for built-in schemas).
    pub fn simple(company_key: u64, key: &str, label: &str, ty: &str) -> Column {
        Column {
            id: column_id(company_key, key),
            attribute_id: Some(attribute_id(company_key, key)),
            kind: "attribute".into(),
            key: key.into(),
            label: label.into(),
            ty: ty.into(),
            required: false,
            description: None,
            enum_values: None,
            extra: Map::new(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Schema {
    pub id: String,
    pub name: String,
    /// Left out when unset: the newer spec types it as a plain string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub is_default: bool,
    pub columns: Vec<Column>,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip)]
    pub seq: u64,
}

#[derive(Serialize)]
pub struct SchemaListItem<'a> {
    pub id: &'a str,
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    pub is_default: bool,
    pub columns_count: usize,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

impl Schema {
    pub fn list_item(&self) -> SchemaListItem<'_> {
        SchemaListItem {
            id: &self.id,
            name: &self.name,
            description: self.description.as_deref(),
            is_default: self.is_default,
            columns_count: self.columns.len(),
            created_at: &self.created_at,
            updated_at: &self.updated_at,
        }
    }
}

/// Id of the seeded sample schema that `tbl_sample` refers to.
pub const SAMPLE_SCHEMA_ID: &str = "schema_sample";

/// `name, brand, price, description, category, image_url, url, features`: the shape
/// search and enrich use when neither `schema_id` nor `columns` is sent.
pub fn default_columns(company_key: u64) -> Vec<Column> {
    [
        ("name", "Name", "text"),
        ("brand", "Brand", "text"),
        ("price", "Price", "number"),
        ("description", "Description", "text"),
        ("category", "Category", "text"),
        ("image_url", "Image URL", "image"),
        ("url", "URL", "url"),
        ("features", "Features", "tags"),
    ]
    .into_iter()
    .map(|(key, label, ty)| Column::simple(company_key, key, label, ty))
    .collect()
}

pub fn sample_schema(company_key: u64) -> Schema {
    let mut columns = default_columns(company_key);
    columns[0].required = true;
    Schema {
        id: SAMPLE_SCHEMA_ID.into(),
        name: "Sample product schema".into(),
        description: Some("Default product fields, used by the sample table".into()),
        is_default: true,
        columns,
        created_at: "2025-03-10T14:00:00.000Z".into(),
        updated_at: "2025-03-10T14:00:00.000Z".into(),
        seq: 0,
    }
}

pub fn column_id(company_key: u64, key: &str) -> String {
    format!(
        "col_{:016x}",
        fnv(&[&company_key.to_le_bytes(), b"column", key.as_bytes()])
    )
}

/// Schema columns attach the company attribute of the same key (legacy behaviour);
/// the emulator derives a stable UUID for it rather than creating the attribute.
pub fn attribute_id(company_key: u64, key: &str) -> String {
    uuid_from(&[&company_key.to_le_bytes(), b"attribute", key.as_bytes()])
}

pub fn is_snake_case(key: &str) -> bool {
    let mut bytes = key.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Whether a list of columns is for a stored schema (strict keys, ids) or inline
/// (search/enrich output shape only).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Schema,
    Inline,
}

/// Validates a `columns` array: non-empty, each `{key, label, type}` valid, keys unique.
pub fn parse_columns(
    field: &str,
    value: &Value,
    mode: Mode,
    company_key: u64,
) -> Result<Vec<Column>, ApiError> {
    let Value::Array(items) = value else {
        return Err(invalid(field, "must be an array of column definitions"));
    };
    if items.is_empty() {
        return Err(invalid(field, "must contain at least one column"));
    }
    let mut columns: Vec<Column> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = format!("{field}[{i}]");
        let column = parse_column(&path, item, mode, company_key)?;
        if columns.iter().any(|c| c.key == column.key) {
            return Err(ApiError::validation(format!(
                "Invalid field '{path}.key': duplicate column key '{}'",
                column.key
            )));
        }
        columns.push(column);
    }
    Ok(columns)
}

fn parse_column(path: &str, value: &Value, mode: Mode, company_key: u64) -> Result<Column, ApiError> {
    let Value::Object(map) = value else {
        return Err(invalid(path, "must be an object with key, label and type"));
    };
    let fields = Fields::nested(map, path);
    let key = fields.req_text("key")?.to_owned();
    if mode == Mode::Schema && !is_snake_case(&key) {
        return Err(fields.invalid(
            "key",
            "must be snake_case (lowercase letters, digits and underscores, starting with a letter)",
        ));
    }
    let label = fields.req_text("label")?.to_owned();
    let ty = fields.req_one_of("type", &COLUMN_TYPE)?.to_owned();
    let required = fields.opt_bool("required")?.unwrap_or(false);
    let description = fields.opt_str("description")?.map(str::to_owned);
    let enum_values = match fields.opt_array("enum_values")? {
        None => None,
        Some(values) => Some(
            str_list(&fields.name("enum_values"), values, 0, usize::MAX)?
                .into_iter()
                .map(str::to_owned)
                .collect(),
        ),
    };
    let kind = fields
        .opt_one_of("kind", &["attribute", "helper"])?
        .unwrap_or("attribute");
    let attribute_id = match (kind, fields.opt_str("attribute_id")?) {
        ("helper", _) => None,
        (_, Some(id)) => Some(id.to_owned()),
        (_, None) => Some(attribute_id(company_key, &key)),
    };
    let id = fields
        .opt_str("id")?
        .map_or_else(|| column_id(company_key, &key), str::to_owned);
    let extra = map
        .iter()
        .filter(|(name, _)| !CORE_FIELDS.contains(&name.as_str()))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    Ok(Column {
        id,
        attribute_id,
        kind: kind.into(),
        key,
        label,
        ty,
        required,
        description,
        enum_values,
        extra,
    })
}

/// `Product Name` → `product_name`.
pub fn snake_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.trim().chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() || !out.as_bytes()[0].is_ascii_lowercase() {
        out.insert_str(0, "col_");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn validates_columns() {
        let ok = json!([{"key": "name", "label": "Name", "type": "text", "image_config": {"a": 1}}]);
        let cols = parse_columns("columns", &ok, Mode::Schema, 1).unwrap();
        assert_eq!(cols[0].extra["image_config"], json!({"a": 1}));
        let cases = [
            (json!([]), "columns"),
            (json!([{"label": "Name", "type": "text"}]), "columns[0].key"),
            (
                json!([{"key": "Name", "label": "Name", "type": "text"}]),
                "columns[0].key",
            ),
            (json!([{"key": "name", "type": "text"}]), "columns[0].label"),
            (
                json!([{"key": "name", "label": "N", "type": "string"}]),
                "columns[0].type",
            ),
            (
                json!([{"key": "a", "label": "A", "type": "text"}, {"key": "a", "label": "A", "type": "text"}]),
                "columns[1].key",
            ),
        ];
        for (value, field) in cases {
            let err = parse_columns("columns", &value, Mode::Schema, 1).unwrap_err();
            assert_eq!(err.status.as_u16(), 422);
            assert!(err.message.contains(field), "{field}: {}", err.message);
        }
    }

    #[test]
    fn snake() {
        assert_eq!(snake_case("Product Name"), "product_name");
        assert_eq!(snake_case(" Price (EUR) "), "price_eur");
        assert_eq!(snake_case("1st"), "col_1st");
    }
}
