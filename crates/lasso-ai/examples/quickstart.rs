//! Quick start: the SDK's main job end to end.
//!
//! Reads LASSO_API_KEY (and LASSO_BASE_URL, e.g. a lasso-mock URL):
//!     cargo run -p lasso-ai --example quickstart

use std::time::Duration;

use futures_util::TryStreamExt;
use lasso_ai::{
    Client, EnhanceCellsParams, EnrichParams, Error, Row, SchemasCreateParams, SearchParams,
    TablesCreateParams, TablesRowsParams, Upload,
};
use serde_json::{json, Value};

/// A JSON string field as plain text.
fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    println!("client: {client:?}");

    // 1. Search products (5 credits) and enrich a partial record.
    let query = "stainless steel water bottle under $40".to_owned();
    let found = client
        .search(SearchParams {
            query,
            max_results: Some(3),
            ..Default::default()
        })
        .await?;
    for result in found.results.iter().flatten() {
        println!(
            "search: {} ({:.2})",
            text(result.data.as_ref().map_or(&Value::Null, |data| &data["name"])),
            result.confidence.unwrap_or(0.0)
        );
    }
    let items = vec![json!({"data": {"name": "Hydro Flask 32 oz"}})];
    let enriched = client
        .enrich(EnrichParams {
            items,
            thinking: Some("low".into()),
            ..Default::default()
        })
        .await?;
    let mut filled: Vec<&String> = enriched
        .items
        .iter()
        .flatten()
        .take(1)
        .flat_map(|item| item.data.iter().flat_map(|data| data.keys()))
        .collect();
    filled.sort();
    println!(
        "enrich: filled {}",
        filled.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
    );

    // 2. A schema, and a file to extract from.
    let columns = vec![
        json!({"key": "name", "label": "Name", "type": "text", "required": true}),
        json!({"key": "price", "label": "Price", "type": "number"}),
        json!({"key": "description", "label": "Description", "type": "richtext"}),
    ];
    let schema = client
        .schemas()
        .create(SchemasCreateParams {
            name: "Quick start bottles".into(),
            columns,
            ..Default::default()
        })
        .await?;
    let source = "Trail bottle 750 ml, EUR 24.90\nSummit flask 1 l, EUR 34.50\nCity cup 350 ml, EUR 14.00\n";
    let upload = client
        .upload_file(
            Upload::bytes(source.as_bytes().to_vec(), "bottles.txt"),
            &Default::default(),
        )
        .await?;
    println!(
        "uploaded {} ({} bytes)",
        text(&upload["filename"]),
        upload["size"]
    );

    // 3. Extract a table from it and wait for it, reporting progress.
    let create = TablesCreateParams {
        schema_id: schema.id.clone(),
        name: "Bottles".into(),
        file_ids: Some(vec![text(&upload["id"]).to_owned()]),
        ..Default::default()
    };
    let table = client.tables().create(create).await?;
    let table = client
        .wait_for_table(
            &table.id,
            Duration::from_millis(200),
            Duration::from_secs(300),
            |p| println!("  {} {}%", p.status, p.progress.unwrap_or(0.0)),
        )
        .await?;
    let table_id = text(&table["id"]).to_owned();
    println!(
        "table {table_id}: {}, {} rows",
        text(&table["status"]),
        table["total_rows"]
    );

    // 4. Every row, page after page (the next page downloads while you read this one).
    let rows: Vec<Row> = client
        .tables()
        .iter_rows(&table_id, TablesRowsParams::default())?
        .try_collect()
        .await?;
    for row in &rows {
        let name = row.data.get("name").map_or("?", text);
        let price = row.data.get("price").unwrap_or(&Value::Null);
        println!("row {}: {name}, {price}", row.row_index.unwrap_or_default());
    }

    // 5. Enhance a column with AI, then export CSV to a file.
    let row_ids = rows.iter().map(|r| r.id.clone()).collect();
    let cells = EnhanceCellsParams {
        row_ids,
        column_key: "description".into(),
        prompt: "One sentence about {{name}}.".into(),
        ..Default::default()
    };
    let job = client.enhance().cells(&table_id, cells).await?;
    println!(
        "enhance: {} rows queued, ~{} credits",
        job.rows_queued.unwrap_or(0),
        job.estimated_credits.unwrap_or(0.0)
    );
    let path = std::env::temp_dir().join(format!("lasso-quickstart-{}.csv", std::process::id()));
    let saved = client
        .export_to_path(&table_id, "csv", None, &path, &Default::default())
        .await?;
    println!("exported {} bytes of CSV", saved.size);
    let _ = std::fs::remove_file(&path);

    // 6. Errors are typed: branch on the stable code, quote the request id to support.
    match client.tables().get("tbl_does_not_exist").await {
        Err(e) if e.code() == "not_found" => {
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
