//! Credits: charges per lasso-api.md §1.9, the ledger behind `GET /credits/usage`
//! and the aggregates of `GET /credits/stats`.
//!
//! | Operation | Charge | Ledger `service` |
//! |---|---|---|
//! | `POST /search` | 5 | `product_search` |
//! | `POST /enrich` | 4 / 2 / 1 per item (`thinking` hard / medium / low) | `product_enrich` |
//! | table extraction | 1 per extracted row, charged at creation | `product_import` (text) / `pdf_extraction` (files) |
//! | `POST /tables/{id}/enhance` | 2 per queued row | `ai_field` |
//! | `POST /tables/{id}/enhance/bulk` | 0.5 per column | `ai_field_bulk` |
//!
//! A charge the balance does not cover is `402 insufficient_credits` and nothing runs
//! (the published behaviour).

use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::clock;
use crate::errors::ApiError;
use crate::state::Company;

#[derive(Clone, Debug, Serialize)]
pub struct LedgerEntry {
    pub id: String,
    pub service: &'static str,
    pub amount: f64,
    pub table_id: String,
    pub description: String,
    pub created_at: String,
    /// Day of `created_at` (days since the epoch), for date filters.
    #[serde(skip)]
    pub day: i64,
    /// Table (id, name) and product count, for the `lasso.by_table` statistics.
    #[serde(skip)]
    pub table: Option<(String, String)>,
    #[serde(skip)]
    pub products: u64,
}

/// Fails with 402 when `cost` exceeds the balance.
pub fn ensure(balance: f64, cost: f64) -> Result<(), ApiError> {
    if cost > balance + 1e-9 {
        return Err(ApiError::new(
            StatusCode::PAYMENT_REQUIRED,
            format!("Insufficient credits: this request needs {cost} credits, the balance is {balance}"),
        ));
    }
    Ok(())
}

/// What a charge is for.
pub struct Charge {
    pub service: &'static str,
    pub cost: f64,
    pub description: String,
    /// The table (id, name) the charge is for, if any.
    pub table: Option<(String, String)>,
    pub products: u64,
}

/// Bills a job created now: `402` unless the balance covers the charge, else a new
/// job id `{prefix}_…` and its ledger entry.
pub fn bill_new_job(
    company: &mut Company,
    company_key: u64,
    prefix: &str,
    charge: Charge,
) -> Result<String, ApiError> {
    ensure(company.balance, charge.cost)?;
    let id = company.extraction.next_id(company_key, prefix);
    let entry_id = company.extraction.next_id(company_key, "tx");
    record(
        &mut company.balance,
        &mut company.extraction.ledger,
        entry_id,
        &id,
        charge,
    );
    Ok(id)
}

/// Debits the balance and records the ledger entry of job `job_id` (the caller
/// checked [`ensure`]).
pub fn record(
    balance: &mut f64,
    ledger: &mut Vec<LedgerEntry>,
    entry_id: String,
    job_id: &str,
    charge: Charge,
) {
    if charge.cost <= 0.0 {
        return;
    }
    *balance -= charge.cost;
    let now = clock::now_ms();
    ledger.push(LedgerEntry {
        id: entry_id,
        service: charge.service,
        amount: -charge.cost,
        table_id: job_id.to_owned(),
        description: charge.description,
        created_at: clock::format_ms(now),
        day: clock::day_of(now),
        table: charge.table,
        products: charge.products,
    });
}

/// Published service names (`extraction`, `enhancement`, …) as groups of raw ledger
/// values; a raw value matches itself.
pub fn service_matches(filter: &str, service: &str) -> bool {
    filter == service
        || match filter {
            "extraction" => matches!(service, "product_import" | "pdf_extraction"),
            "enhancement" => matches!(service, "ai_field" | "ai_field_bulk"),
            "search" => service == "product_search",
            "enrich" | "enrichment" => service == "product_enrich",
            _ => false,
        }
}

fn module_of(service: &str) -> &'static str {
    match service {
        "product_search" | "product_enrich" => "product_research",
        _ => "lasso",
    }
}

/// The `GET /credits/stats` body for the inclusive day range `from..=to`.
pub fn stats(ledger: &[LedgerEntry], from: i64, to: i64, monthly_credits: f64) -> Value {
    let span = to - from + 1;
    let in_period: Vec<&LedgerEntry> = ledger.iter().filter(|e| e.day >= from && e.day <= to).collect();
    let spent = |entries: &[&LedgerEntry]| entries.iter().map(|e| -e.amount).sum::<f64>();
    let total_spent = spent(&in_period);
    let previous: Vec<&LedgerEntry> = ledger
        .iter()
        .filter(|e| e.day >= from - span && e.day < from)
        .collect();
    let previous_spent = spent(&previous);
    let change =
        (previous_spent > 0.0).then(|| round((total_spent - previous_spent) / previous_spent * 100.0));

    let mut per_day: std::collections::HashMap<i64, Vec<&LedgerEntry>> = std::collections::HashMap::new();
    for entry in &in_period {
        per_day.entry(entry.day).or_default().push(entry);
    }
    let mut daily = Vec::with_capacity(span as usize);
    for day in from..=to {
        let entries: &[&LedgerEntry] = per_day.get(&day).map_or(&[], Vec::as_slice);
        let mut by_module = Map::new();
        for entry in entries {
            add(&mut by_module, module_of(entry.service), -entry.amount);
        }
        let total: f64 = entries.iter().map(|e| -e.amount).sum();
        let mut by_user = Map::new();
        if total > 0.0 {
            by_user.insert("system".into(), json!(round(total)));
        }
        daily.push(json!({
            "date": clock::format_date(day), "total": round(total), "by_module": by_module, "by_user": by_user,
        }));
    }

    let mut by_module = Map::new();
    let mut by_service = Map::new();
    let mut tables: Vec<(String, String, f64, u64)> = Vec::new();
    for entry in &in_period {
        add(&mut by_module, module_of(entry.service), -entry.amount);
        add(&mut by_service, entry.service, -entry.amount);
        if let Some((id, name)) = &entry.table {
            match tables.iter_mut().find(|t| t.0 == *id) {
                Some(t) => {
                    t.2 -= entry.amount;
                    t.3 += entry.products;
                }
                None => tables.push((id.clone(), name.clone(), -entry.amount, entry.products)),
            }
        }
    }
    // Sorted by key, whatever order the map keeps, so the output is stable.
    let pairs = |map: Map<String, Value>, key: &str| -> Vec<Value> {
        let mut entries: Vec<(String, Value)> = map.into_iter().collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries
            .into_iter()
            .map(|(k, v)| json!({ key: k, "total": v }))
            .collect()
    };
    let lasso_spent: f64 = in_period
        .iter()
        .filter(|e| module_of(e.service) == "lasso")
        .map(|e| -e.amount)
        .sum();
    let products: u64 = tables.iter().map(|t| t.3).sum();
    let (year, month, _) = clock::civil_from_days(to);
    let next_month = if month == 12 {
        clock::days_from_civil(year + 1, 1, 1)
    } else {
        clock::days_from_civil(year, month + 1, 1)
    };
    json!({
        "period": {"from": clock::format_date(from), "to": clock::format_date(to)},
        "summary": {
            "total_spent": round(total_spent),
            "previous_period_spent": round(previous_spent),
            "previous_period_change_pct": change,
            "monthly_allocation": monthly_credits,
            "period_end": format!("{}T00:00:00.000Z", clock::format_date(next_month)),
            "cost_per_credit": null,
        },
        "daily": daily,
        "by_module": pairs(by_module, "module_key"),
        "by_service": pairs(by_service, "service_type"),
        "by_user": if total_spent > 0.0 { json!([{"user_id": "system", "total": round(total_spent)}]) } else { json!([]) },
        "lasso": {
            "credits_spent": round(lasso_spent),
            "products_enhanced": products,
            "credits_per_product": (products > 0).then(|| round(lasso_spent / products as f64)),
            "by_table": tables.into_iter().map(|(id, name, total, products)| json!({
                "table_id": id, "name": name, "total": round(total), "products": products,
            })).collect::<Vec<_>>(),
        },
        "currency_config": {
            "monthly_fee_czk": null, "monthly_fee_eur": null, "monthly_credits": monthly_credits, "auto_eur": false,
        },
    })
}

fn add(map: &mut Map<String, Value>, key: &str, amount: f64) {
    let current = map.get(key).and_then(Value::as_f64).unwrap_or(0.0);
    map.insert(key.to_owned(), json!(round(current + amount)));
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
