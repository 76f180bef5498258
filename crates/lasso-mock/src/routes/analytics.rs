//! `/analytics/products/*` endpoints (lasso-api.md §2.13): catalog and extraction
//! activity over an inclusive date range, derived from the company's state.
//!
//! Catalog numbers come from the catalog products' create/update history; extraction
//! numbers from the rows of the company's tables (by row `created_at`). Everything
//! done through the API is attributed to the `system` actor (`user_id=system`); any
//! other `user_id` matches nothing.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::accepted::{CATALOG_STATUS_FILTER, PRODUCT_SOURCE};
use crate::app::AppState;
use crate::auth::CompanyId;
use crate::catalog_state::Product;
use crate::clock::{day_of, format_date, format_ms, parse_ms, Millis, MS_PER_DAY};
use crate::errors::{ApiError, Result};
use crate::input::Query;
use crate::pagination::{bad_cursor, decode_cursor, encode_cursor};
use crate::state::Company;

/// The unattributed-automation actor every API action is credited to.
fn system_actor() -> Value {
    json!({
        "id": null,
        "name": "System",
        "email": null,
        "avatar_url": null,
        "avatar_kind": null,
        "avatar_config": null,
        "avatar_storage_path": null,
        "permission_preset": null,
        "is_former_member": false,
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Scope {
    All,
    Catalog,
    Extraction,
}

impl Scope {
    fn name(self) -> &'static str {
        match self {
            Scope::All => "all",
            Scope::Catalog => "catalog",
            Scope::Extraction => "extraction",
        }
    }
}

/// The shared query parameters, validated (`400 invalid_request` naming the first bad one).
struct Filters {
    from: i64,
    to: i64,
    catalog_status: String,
    user_id: Option<String>,
    schema_id: Option<String>,
    table_id: Option<String>,
    source: Option<String>,
}

fn is_uuid(text: &str) -> bool {
    uuid::Uuid::parse_str(text).is_ok() && text.len() == 36
}

impl Filters {
    fn parse(query: &Query, scope: Scope) -> Result<Filters> {
        let (from, to) = query.date_range()?;
        let catalog_status = query
            .one_of("catalog_status", &CATALOG_STATUS_FILTER)?
            .unwrap_or("all")
            .to_owned();
        let user_id = query.text("user_id");
        if let Some(user) = user_id {
            if user != "system" && !is_uuid(user) {
                return Err(ApiError::invalid_request(format!(
                    "Invalid query parameter 'user_id': must be a user UUID or 'system', got '{user}'"
                )));
            }
        }
        let source = query.one_of("source", &PRODUCT_SOURCE)?;
        if source.is_some() && scope != Scope::Catalog {
            return Err(ApiError::invalid_request(
                "Invalid query parameter 'source': only valid with scope=catalog",
            ));
        }
        let text = |name: &str| query.text(name).map(str::to_owned);
        Ok(Filters {
            from,
            to,
            catalog_status,
            user_id: user_id.map(str::to_owned),
            schema_id: text("schema_id"),
            table_id: text("table_id"),
            source: source.map(str::to_owned),
        })
    }

    fn period(&self) -> Value {
        json!({ "from": format_date(self.from), "to": format_date(self.to) })
    }

    fn to_json(&self) -> Value {
        json!({
            "catalog_status": self.catalog_status,
            "user_id": self.user_id,
            "schema_id": self.schema_id,
            "table_id": self.table_id,
            "source": self.source,
        })
    }

    fn window(&self) -> (Millis, Millis) {
        (self.from * MS_PER_DAY, (self.to + 1) * MS_PER_DAY)
    }

    /// API actions are the `system` actor's.
    fn user_matches(&self) -> bool {
        self.user_id.as_deref().is_none_or(|u| u == "system")
    }

    fn status_matches(&self, product: &Product) -> bool {
        match self.catalog_status.as_str() {
            "all" => product.status == "active" || product.status == "draft",
            status => product.status == status,
        }
    }

    /// Product filters that also apply to the current snapshot.
    fn snapshot_matches(&self, product: &Product) -> bool {
        !product.is_deleted()
            && self.schema_id.as_deref().is_none_or(|s| product.schema_id == s)
            && self.source.as_deref().is_none_or(|s| product.source == s)
    }
}

fn scope_param(query: &Query, required: bool) -> Result<Scope> {
    let allowed: &[&str] = if required {
        &["catalog", "extraction"]
    } else {
        &["all", "catalog", "extraction"]
    };
    match query.one_of("scope", allowed)? {
        None if required => Err(ApiError::invalid_request(
            "Missing required query parameter: scope",
        )),
        None | Some("all") => Ok(Scope::All),
        Some("catalog") => Ok(Scope::Catalog),
        _ => Ok(Scope::Extraction),
    }
}

// ---------------------------------------------------------------------------------
// Catalog

/// One product's activity inside the period.
struct ProductActivity<'a> {
    product: &'a Product,
    is_new: bool,
    first: Millis,
    last: Millis,
    actions: Vec<Millis>,
}

fn catalog_activity<'a>(company: &'a Company, filters: &Filters) -> Vec<ProductActivity<'a>> {
    if !filters.user_matches() {
        return Vec::new();
    }
    let (start, end) = filters.window();
    company
        .catalog
        .products
        .iter()
        .filter(|p| filters.snapshot_matches(p) && filters.status_matches(p))
        .filter_map(|product| {
            let actions: Vec<Millis> = product
                .actions
                .iter()
                .copied()
                .filter(|t| (start..end).contains(t))
                .collect();
            Some(ProductActivity {
                product,
                is_new: (start..end).contains(&product.created_ms),
                first: *actions.first()?,
                last: *actions.last()?,
                actions,
            })
        })
        .collect()
}

fn catalog_summary_counts(activity: &[ProductActivity]) -> Value {
    let new = activity.iter().filter(|a| a.is_new).count();
    json!({
        "unique_products": activity.len(),
        "new_products": new,
        "updated_existing": activity.len() - new,
        "total_actions": activity.iter().map(|a| a.actions.len()).sum::<usize>(),
    })
}

fn catalog_by_user(activity: &[ProductActivity]) -> Vec<Value> {
    if activity.is_empty() {
        return Vec::new();
    }
    let mut row = catalog_summary_counts(activity);
    row["user"] = system_actor();
    vec![row]
}

fn catalog_section(company: &Company, filters: &Filters) -> Value {
    let activity = catalog_activity(company, filters);
    let mut current = BTreeMap::from([("active", 0), ("draft", 0), ("archived", 0)]);
    for product in company
        .catalog
        .products
        .iter()
        .filter(|p| filters.snapshot_matches(p))
    {
        if let Some(count) = current.get_mut(product.status.as_str()) {
            *count += 1;
        }
    }
    let daily: Vec<Value> = (filters.from..=filters.to)
        .map(|day| {
            let mut unique = 0;
            let mut new = 0;
            for a in &activity {
                if a.actions.iter().any(|t| day_of(*t) == day) {
                    unique += 1;
                    if day_of(a.product.created_ms) == day {
                        new += 1;
                    }
                }
            }
            json!({
                "date": format_date(day),
                "unique_products": unique,
                "new_products": new,
                "updated_existing": unique - new,
            })
        })
        .collect();
    json!({
        "summary": catalog_summary_counts(&activity),
        "current": {
            "all_live": current["active"] + current["draft"],
            "active": current["active"],
            "draft": current["draft"],
            "archived": current["archived"],
        },
        "daily": daily,
        "by_user": catalog_by_user(&activity),
    })
}

// ---------------------------------------------------------------------------------
// Extraction

/// A result row prepared inside the period.
struct PreparedRow {
    id: String,
    name: String,
    row_index: u64,
    source_file: String,
    table_id: String,
    table_name: String,
    at: Millis,
}

fn prepared_rows(company: &Company, filters: &Filters) -> Vec<PreparedRow> {
    if !filters.user_matches() {
        return Vec::new();
    }
    let (start, end) = filters.window();
    let mut out = Vec::new();
    for (table_id, table) in &company.tables {
        if filters.table_id.as_deref().is_some_and(|t| t != table_id)
            || filters.schema_id.as_deref().is_some_and(|s| s != table.schema_id)
        {
            continue;
        }
        let Some(data) = company.extraction.tables.get(table_id) else {
            continue;
        };
        let source_file = table
            .files
            .first()
            .map(|f| f.name.clone())
            .unwrap_or_else(|| format!("{}.txt", table.source_type));
        for row in &data.rows {
            let Some(at) = parse_ms(&row.created_at) else {
                continue;
            };
            if !(start..end).contains(&at) {
                continue;
            }
            let name = ["name", "product_name", "title"]
                .iter()
                .find_map(|k| row.data.get(*k).and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_else(|| format!("Row {}", row.row_index + 1));
            out.push(PreparedRow {
                id: row.id.clone(),
                name,
                row_index: row.row_index,
                source_file: source_file.clone(),
                table_id: table_id.clone(),
                table_name: table.name.clone(),
                at,
            });
        }
    }
    // Newest first, then by table and row for a stable order.
    out.sort_by(|a, b| {
        b.at.cmp(&a.at)
            .then_with(|| a.table_id.cmp(&b.table_id))
            .then_with(|| a.row_index.cmp(&b.row_index))
    });
    out
}

fn extraction_by_table(rows: &[PreparedRow]) -> Vec<Value> {
    let mut tables: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for row in rows {
        *tables.entry((&row.table_id, &row.table_name)).or_default() += 1;
    }
    let mut out: Vec<(&str, &str, usize)> = tables.into_iter().map(|((id, name), n)| (id, name, n)).collect();
    out.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(b.0)));
    out.into_iter()
        .map(|(id, name, n)| {
            json!({ "table_id": id, "table_name": name, "initiator": system_actor(), "products_prepared": n })
        })
        .collect()
}

fn table_count(rows: &[PreparedRow]) -> usize {
    let mut ids: Vec<&str> = rows.iter().map(|r| r.table_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

fn extraction_by_user(rows: &[PreparedRow]) -> Vec<Value> {
    if rows.is_empty() {
        return Vec::new();
    }
    vec![json!({ "user": system_actor(), "products_prepared": rows.len(), "tables": table_count(rows) })]
}

fn extraction_section(company: &Company, filters: &Filters) -> Value {
    let rows = prepared_rows(company, filters);
    let daily: Vec<Value> = (filters.from..=filters.to)
        .map(|day| {
            let n = rows.iter().filter(|r| day_of(r.at) == day).count();
            json!({ "date": format_date(day), "products_prepared": n })
        })
        .collect();
    json!({
        "summary": { "products_prepared": rows.len(), "tables": table_count(&rows) },
        "daily": daily,
        "by_user": extraction_by_user(&rows),
        "by_table": extraction_by_table(&rows),
    })
}

// ---------------------------------------------------------------------------------
// Handlers

/// `GET /analytics/products/summary` (operation `analytics.summary`): sections outside
/// `scope` are left out.
pub async fn summary(State(app): State<AppState>, company: CompanyId, query: Query) -> Result<Json<Value>> {
    let scope = scope_param(&query, false)?;
    let filters = Filters::parse(&query, scope)?;
    let body = app.companies.with(company, |c| {
        let mut body = json!({ "period": filters.period(), "filters": filters.to_json() });
        if scope != Scope::Extraction {
            body["catalog"] = catalog_section(c, &filters);
        }
        if scope != Scope::Catalog {
            body["extraction"] = extraction_section(c, &filters);
        }
        body
    });
    Ok(Json(body))
}

/// `GET /analytics/products/leaderboard` (operation `analytics.leaderboard`).
pub async fn leaderboard(
    State(app): State<AppState>,
    company: CompanyId,
    query: Query,
) -> Result<Json<Value>> {
    let scope = scope_param(&query, true)?;
    let filters = Filters::parse(&query, scope)?;
    let body = app.companies.with(company, |c| {
        let mut body = json!({
            "period": filters.period(),
            "filters": filters.to_json(),
            "scope": scope.name(),
        });
        if scope == Scope::Catalog {
            body["by_user"] = catalog_by_user(&catalog_activity(c, &filters)).into();
        } else {
            let rows = prepared_rows(c, &filters);
            body["by_user"] = extraction_by_user(&rows).into();
            body["by_table"] = extraction_by_table(&rows).into();
        }
        body
    });
    Ok(Json(body))
}

/// `GET /analytics/products/activity` (operation `analytics.activity`): the products
/// (catalog) or result rows (extraction) behind the metrics, most recent first,
/// `{scope, items, next_cursor}`.
pub async fn activity(State(app): State<AppState>, company: CompanyId, query: Query) -> Result<Json<Value>> {
    let scope = scope_param(&query, true)?;
    let filters = Filters::parse(&query, scope)?;
    let limit = query.int("limit", 25, 1, 100)? as usize;
    // The cursor is the offset of the next item, tied to its scope.
    let offset = match decode_cursor(&query)? {
        None => 0,
        Some(cursor) => {
            if cursor.get("scope").and_then(Value::as_str) != Some(scope.name()) {
                return Err(bad_cursor());
            }
            let offset = cursor
                .get("offset")
                .and_then(Value::as_u64)
                .ok_or_else(bad_cursor)?;
            usize::try_from(offset).unwrap_or(usize::MAX)
        }
    };
    let body = app.companies.with(company, |c| {
        let (items, total): (Vec<Value>, usize) = if scope == Scope::Catalog {
            let mut activity = catalog_activity(c, &filters);
            activity.sort_by(|a, b| b.last.cmp(&a.last).then(b.product.seq.cmp(&a.product.seq)));
            let total = activity.len();
            let items = activity
                .iter()
                .skip(offset)
                .take(limit)
                .map(|a| {
                    let p = a.product;
                    json!({
                        "id": p.id,
                        "name": p.display_name(),
                        "identity": p.identity(),
                        "status": p.status,
                        "source": p.source,
                        "schema_id": p.schema_id,
                        "classification": if a.is_new { "new" } else { "updated_existing" },
                        "first_activity_at": format_ms(a.first),
                        "last_activity_at": format_ms(a.last),
                        "action_count": a.actions.len(),
                        "contributors": [system_actor()],
                    })
                })
                .collect();
            (items, total)
        } else {
            let rows = prepared_rows(c, &filters);
            let total = rows.len();
            let items = rows
                .iter()
                .skip(offset)
                .take(limit)
                .map(|r| {
                    json!({
                        "id": r.id,
                        "name": r.name,
                        "row_index": r.row_index,
                        "source_file": r.source_file,
                        "table_id": r.table_id,
                        "table_name": r.table_name,
                        "last_activity_at": format_ms(r.at),
                        "initiator": system_actor(),
                    })
                })
                .collect();
            (items, total)
        };
        let next = offset.saturating_add(limit);
        let next_cursor =
            (next < total).then(|| encode_cursor(&json!({ "scope": scope.name(), "offset": next })));
        json!({ "scope": scope.name(), "items": items, "next_cursor": next_cursor })
    });
    Ok(Json(body))
}
