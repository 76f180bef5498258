//! Quick start: the SDK's main job end to end.
//!
//! Reads LASSO_API_KEY (and LASSO_BASE_URL, e.g. a lasso-mock URL):
//!     cargo run -p lasso-ai --example quickstart

use std::time::Duration;

use futures_util::TryStreamExt;
use lasso_ai::{
    Client, Column, ColumnType, EnhanceCellsParams, EnrichItem, EnrichParams, EnrichThinking, Error,
    ErrorKind, SchemasCreateParams, SearchParams, TableSource, TablesCreateParams, TablesRowsParams, Upload,
};
use serde::Deserialize;

/// The columns of the quick start's schema, as each row decodes.
#[derive(Debug, Deserialize)]
struct Bottle {
    name: String,
    price: Option<f64>,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    println!("client: {client:?}");

    // 1. Search products (5 credits) and enrich a partial record.
    let found = client
        .search(SearchParams::new("stainless steel water bottle under $40").max_results(3))
        .await?;
    for result in &found.results {
        let name = result
            .data
            .as_ref()
            .and_then(|d| d.get("name"))
            .and_then(|v| v.as_str());
        println!(
            "search: {} ({:.2})",
            name.unwrap_or("?"),
            result.confidence.unwrap_or(0.0)
        );
    }
    let mut known = serde_json::Map::new();
    known.insert("name".into(), "Hydro Flask 32 oz".into());
    let enriched = client
        .enrich(EnrichParams::new([EnrichItem::new(known)]).thinking(EnrichThinking::Low))
        .await?;
    let mut filled: Vec<&String> = enriched
        .items
        .iter()
        .take(1)
        .flat_map(|item| item.data.iter().flat_map(|data| data.keys()))
        .collect();
    filled.sort();
    println!(
        "enrich: filled {}",
        filled.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
    );

    // 2. A schema, and a file to extract from.
    let columns = [
        Column::new("name", "Name", ColumnType::Text).required(true),
        Column::new("price", "Price", ColumnType::Number),
        Column::new("description", "Description", ColumnType::Richtext),
    ];
    let schema = client
        .schemas()
        .create(SchemasCreateParams::new("Quick start bottles", columns))
        .await?;
    let source = "Trail bottle 750 ml, EUR 24.90\nSummit flask 1 l, EUR 34.50\nCity cup 350 ml, EUR 14.00\n";
    let file = client
        .files()
        .upload(Upload::bytes(source.as_bytes().to_vec(), "bottles.txt"))
        .await?;
    println!("uploaded {:?} ({:?} bytes)", file.filename, file.size);

    // 3. Extract a table from it and wait for it, reporting progress.
    let create = TablesCreateParams::new(&schema.id, "Bottles", TableSource::FileIds(vec![file.id]));
    let table = client.tables().create(create).await?;
    let table = client
        .tables()
        .wait_for_completion(&table.id)
        .interval(Duration::from_millis(200))
        .timeout(Duration::from_secs(300))
        .on_progress(|p| println!("  {} {}%", p.status, p.progress.unwrap_or(0.0)))
        .await?;
    println!(
        "table {}: {}, {} rows",
        table.id,
        table.status,
        table.total_rows.unwrap_or(0)
    );

    // 4. Every row, page after page (the next page downloads while you read this one),
    //    each decoded into `Bottle`.
    let rows: Vec<lasso_ai::Row<Bottle>> = client
        .tables()
        .iter_rows_as(&table.id, TablesRowsParams::new())
        .try_collect()
        .await?;
    for row in &rows {
        println!(
            "row {}: {}, {:?}",
            row.row_index.unwrap_or_default(),
            row.data.name,
            row.data.price
        );
    }

    // 5. Enhance a column with AI, then export CSV to a file.
    let row_ids = rows.iter().map(|r| r.id.clone());
    let cells = EnhanceCellsParams::new(row_ids, "description", "One sentence about {{name}}.");
    let job = client.enhance().cells(&table.id, cells).await?;
    println!(
        "enhance: {} rows queued, ~{} credits",
        job.rows_queued.unwrap_or(0),
        job.estimated_credits.unwrap_or(0.0)
    );
    let path = std::env::temp_dir().join(format!("lasso-quickstart-{}.csv", std::process::id()));
    let saved = client.export().csv(&table.id).to_path(&path).await?;
    println!("exported {} bytes of CSV", saved.size);
    let _ = std::fs::remove_file(&path);

    // 6. Errors are typed: branch on the stable code, quote the request id to support.
    match client.tables().get("tbl_does_not_exist").await {
        Err(e) if e.kind() == ErrorKind::NotFound => {
            let request_id = e.as_api().and_then(|a| a.request_id.clone()).unwrap_or_default();
            println!("not found, as expected (request_id {request_id})");
        }
        other => println!("unexpected: {other:?}"),
    }
    println!("balance: {}", client.credits().balance().await?.balance);

    // A malformed key is refused before any request is sent.
    match Client::new("lasso_not-a-real-key") {
        Err(e) => println!("bad key -> {}: {e}", e.code()),
        Ok(_) => println!("unexpected: the bad key was accepted"),
    }

    // A well-formed key the server does not know: a typed error with the request id.
    let unknown = Client::builder().api_key(format!("lasso_{}", "0".repeat(64)));
    let unknown = match std::env::var("LASSO_BASE_URL") {
        Ok(url) => unknown.base_url(url),
        Err(_) => unknown,
    };
    if let Err(e) = unknown.build()?.credits().balance().await {
        let api = e.as_api();
        println!(
            "unknown key -> {} {} (request_id {})",
            e.code(),
            e.status().unwrap_or_default(),
            api.and_then(|a| a.request_id.as_deref()).unwrap_or("-")
        );
    }
    Ok(())
}
