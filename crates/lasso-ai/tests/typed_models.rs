//! Every operation that has a response model, called through the typed surface
//! against lasso-mock: a model that does not fit what the emulator sends fails to
//! decode here. A second test checks that unknown fields and enum values survive.

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

use futures_util::TryStreamExt;
use lasso_ai::*;
use lasso_mock::{MockConfig, MockServer};
use lasso_spec::{ResponseKind, OPERATIONS};
use serde_json::{json, Map};

const KEY: &str = "lasso_7d1f0c5e9a3b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d";

/// Records that `id` was called and hands its typed result on.
fn seen<T>(calls: &mut BTreeSet<&'static str>, id: &'static str, result: Result<T, Error>) -> T {
    calls.insert(id);
    result.unwrap_or_else(|e| panic!("{id}: {e}"))
}

fn text(s: &str) -> String {
    s.to_owned()
}

/// A range of days around now that the analytics and stats endpoints accept.
fn period() -> (String, String) {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let year = 1970 + secs / 31_556_952;
    (format!("{}-01-01", year - 1), format!("{}-12-31", year + 1))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_model_decodes_what_lasso_mock_sends() {
    let config = MockConfig {
        time_scale: 0.0,
        ..MockConfig::default()
    };
    let server = MockServer::start(config).await.unwrap();
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .build()
        .unwrap();
    let c = &client;
    let mut calls = BTreeSet::new();
    let calls = &mut calls;

    // Credits, search and enrich (synchronous and asynchronous answers).
    let balance: Balance = seen(calls, "credits.balance", c.credits().balance().await);
    assert!(balance.balance > 0.0);
    let search = SearchParams::new("steel water bottle");
    let found = seen(calls, "search", c.search(search.clone()).await);
    assert!(!found.results.is_empty());
    let later = search.webhook_url("https://example.com/hook");
    assert_eq!(c.search(later).await.unwrap().status, Some(JobStatus::Processing));
    let mut known = Map::new();
    known.insert(text("name"), json!("Mug"));
    let enrich = EnrichParams::new([EnrichItem::new(known)]);
    let enriched = seen(calls, "enrich", c.enrich(enrich.clone()).await);
    assert!(!enriched.items[0].basis.is_empty());
    let later = enrich.webhook_url("https://example.com/hook");
    c.enrich(later).await.unwrap();

    // Schemas, files, tables, columns and rows.
    let columns = [
        Column::new("name", "Name", ColumnType::Text),
        Column::new("price", "Price", ColumnType::Number),
    ];
    let create = SchemasCreateParams::new("Mugs", columns);
    let schema = seen(calls, "schemas.create", c.schemas().create(create).await);
    seen(calls, "schemas.list", c.schemas().list(Default::default()).await);
    seen(calls, "schemas.get", c.schemas().get(&schema.id).await);
    let update = SchemasUpdateParams::new().description("Mugs and cups");
    seen(
        calls,
        "schemas.update",
        c.schemas().update(&schema.id, update).await,
    );
    let generate = SchemasGenerateParams::new().sample_data("name,price\nMug,3");
    seen(calls, "schemas.generate", c.schemas().generate(generate).await);

    let upload = Upload::bytes(b"Mug, 3 EUR\n".to_vec(), "mugs.txt");
    let file: FileObject = seen(calls, "files.upload", c.files().upload(upload).await);
    seen(calls, "files.list", c.files().list(Default::default()).await);

    let create = TablesCreateParams::new(&schema.id, "Mugs", TableSource::FileIds(vec![file.id.clone()]));
    let table = seen(calls, "tables.create", c.tables().create(create).await);
    let waited: Table = c
        .tables()
        .wait_for_completion(&table.id)
        .interval(Duration::from_millis(20))
        .timeout(Duration::from_secs(20))
        .await
        .unwrap();
    assert_eq!(waited.status, TableStatus::Completed);
    let table = seen(calls, "tables.get", c.tables().get(&table.id).await);
    assert_eq!(table.status, TableStatus::Completed);
    let tid = table.id.as_str();
    seen(calls, "tables.list", c.tables().list(Default::default()).await);
    let update = TablesUpdateParams::new().name("Mugs 2");
    seen(calls, "tables.update", c.tables().update(tid, update).await);
    let cols = seen(calls, "tables.columns", c.tables().columns(tid).await);
    assert_eq!(cols.data[0].r#type, Some(ColumnType::Text));
    let page: RowPage = seen(
        calls,
        "tables.rows",
        c.tables().rows(tid, Default::default()).await,
    );
    assert_eq!(page.pagination.page, 1);
    let rows: Vec<Row> = c
        .tables()
        .iter_rows(tid, Default::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rows.len() as i64, page.pagination.total);
    assert_eq!(rows[0].id, page.data[0].id);
    let create = TablesCreateRowsParams::new([json!({"name": "Cup", "price": 4})]);
    let created = seen(
        calls,
        "tables.create_rows",
        c.tables().create_rows(tid, create).await,
    );
    let rid = created.data[0].id.clone();
    seen(calls, "tables.get_row", c.tables().get_row(tid, &rid).await);
    let mut data = Map::new();
    data.insert(text("price"), json!(5));
    let row = seen(
        calls,
        "tables.update_row",
        c.tables().update_row(tid, &rid, data).await,
    );
    assert_eq!(row.is_edited, Some(true));
    let bulk = TablesBulkUpdateParams::new([rid.clone()], "price", json!(6));
    seen(
        calls,
        "tables.bulk_update",
        c.tables().bulk_update(tid, bulk).await,
    );

    // Enhance.
    let cells = EnhanceCellsParams::new([rid.clone()], "name", "A better name for {{name}}.");
    seen(calls, "enhance.cells", c.enhance().cells(tid, cells).await);
    let bulk = EnhanceBulkParams::new(rid.clone(), [EnhanceColumn::new("name", "Name it.")]);
    seen(calls, "enhance.bulk", c.enhance().bulk(tid, bulk).await);
    for _ in 0..200 {
        let status = seen(calls, "enhance.status", c.enhance().status(tid).await);
        let name = &status.columns.unwrap()["name"];
        if name.completed.unwrap_or(0) + name.failed.unwrap_or(0) == name.total.unwrap_or(0) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let traces = seen(calls, "enhance.traces", c.enhance().traces(tid, &rid, None).await);
    assert!(traces
        .data
        .iter()
        .all(|t| t.column_key.as_deref() == Some("name")));
    let row = c.tables().get_row(tid, &rid).await.unwrap();
    assert!(row.enhancement_status.unwrap().contains_key("name"));
    seen(calls, "enhance.cancel", c.enhance().cancel(tid, None).await);
    let delete = TablesBulkDeleteParams::new([rid.clone()]);
    seen(
        calls,
        "tables.bulk_delete",
        c.tables().bulk_delete(tid, delete).await,
    );

    // Attributes and glossary.
    let create = AttributesCreateParams::new("color", "Color", AttributeType::Text);
    let attribute = seen(calls, "attributes.create", c.attributes().create(create).await);
    assert_eq!(attribute.status, Some(AttributeStatus::Active));
    let bulk = AttributesBulkUpsertParams::new([json!({"key": "size", "label": "Size", "type": "text"})]);
    seen(
        calls,
        "attributes.bulk_upsert",
        c.attributes().bulk_upsert(bulk).await,
    );
    seen(
        calls,
        "attributes.list",
        c.attributes().list(Default::default()).await,
    );
    seen(calls, "attributes.get", c.attributes().get("color").await);
    let update = AttributesUpdateParams::new().label("Colour");
    seen(
        calls,
        "attributes.update",
        c.attributes().update("color", update).await,
    );
    let rename = AttributesRenameParams::new("colour");
    let renamed = seen(
        calls,
        "attributes.rename",
        c.attributes().rename("color", rename).await,
    );
    assert_eq!(renamed.attribute.unwrap().key, "colour");
    let create = GlossaryCreateParams::new("Lasso", GlossaryTermType::DoNotTranslate);
    let term = seen(calls, "glossary.create", c.glossary().create(create).await);
    assert_eq!(term.r#type, Some(GlossaryTermType::DoNotTranslate));
    seen(
        calls,
        "glossary.list",
        c.glossary().list(Default::default()).await,
    );
    let update = GlossaryUpdateParams::new().category("brand");
    seen(
        calls,
        "glossary.update",
        c.glossary().update(&term.id, update).await,
    );

    // Credits ledger and statistics.
    let usage = seen(
        calls,
        "credits.usage",
        c.credits().usage(Default::default()).await,
    );
    assert!(usage.total_used.is_some() && !usage.data.is_empty());
    let (from, to) = period();
    let stats = CreditsStatsParams::new(from.clone(), to.clone());
    seen(calls, "credits.stats", c.credits().stats(stats).await);

    // Catalog and its webhooks.
    let mut attributes = Map::new();
    attributes.insert(text("name"), json!("Mug"));
    let create = CatalogCreateParams::new(schema.id.clone(), attributes.clone());
    let product = seen(calls, "catalog.create", c.catalog().create(create).await);
    assert_eq!(product.status, Some(ProductStatus::Draft));
    seen(calls, "catalog.list", c.catalog().list(Default::default()).await);
    seen(calls, "catalog.get", c.catalog().get(&product.id).await);
    let update = CatalogUpdateParams::new(attributes);
    seen(
        calls,
        "catalog.update",
        c.catalog().update(&product.id, update).await,
    );
    seen(calls, "catalog.lookup", c.catalog().lookup("name", "Mug").await);
    let changes = CatalogChangesParams::new("2000-01-01T00:00:00Z");
    let changes = seen(calls, "catalog.changes", c.catalog().changes(changes).await);
    assert!(changes.sync_timestamp.is_some());
    seen(calls, "catalog.delete", c.catalog().delete(&product.id).await);
    let create =
        CatalogWebhooksCreateParams::new("https://example.com/hook", [CatalogWebhookEvent::ProductCreated]);
    let hooks = c.catalog().webhooks();
    let endpoint = seen(calls, "catalog.webhooks.create", hooks.create(create).await);
    assert!(endpoint.secret.is_some());
    assert_eq!(endpoint.events, vec![CatalogWebhookEvent::ProductCreated]);
    seen(calls, "catalog.webhooks.list", hooks.list().await);
    let update = CatalogWebhooksUpdateParams::new().enabled(true);
    seen(
        calls,
        "catalog.webhooks.update",
        hooks.update(&endpoint.id, update).await,
    );
    let tested = seen(calls, "catalog.webhooks.test", hooks.test(&endpoint.id).await);
    let deliveries = hooks.deliveries(&endpoint.id, Default::default()).await;
    seen(calls, "catalog.webhooks.deliveries", deliveries);
    let redelivery = hooks.redeliver(&endpoint.id, &tested.delivery.id).await;
    seen(calls, "catalog.webhooks.redeliver", redelivery);

    // Product analytics, in every scope.
    let summary = AnalyticsSummaryParams::new(from.clone(), to.clone());
    let summary = seen(calls, "analytics.summary", c.analytics().summary(summary).await);
    assert!(summary.catalog.is_some() && summary.extraction.is_some());
    for scope in [AnalyticsScope::Catalog, AnalyticsScope::Extraction] {
        let board = AnalyticsLeaderboardParams::new(from.clone(), to.clone(), scope.clone());
        seen(
            calls,
            "analytics.leaderboard",
            c.analytics().leaderboard(board).await,
        );
        let activity = AnalyticsActivityParams::new(from.clone(), to.clone(), scope);
        seen(
            calls,
            "analytics.activity",
            c.analytics().activity(activity).await,
        );
    }

    let expected: BTreeSet<&str> = OPERATIONS
        .iter()
        .filter(|op| op.response == ResponseKind::Json)
        .map(|op| op.id)
        .collect();
    let missed: Vec<_> = expected.difference(&*calls).collect();
    assert!(missed.is_empty(), "not called: {missed:?}");
    server.shutdown().await;
}

#[test]
fn unknown_fields_and_enum_values_are_kept_and_sent_back() {
    let t: Table = serde_json::from_str(
        r#"{"id":"t1","name":"Mugs","status":"archived_by_robot","locked":true,"progress":50,"x":[1]}"#,
    )
    .unwrap();
    assert_eq!(t.status, TableStatus::Other("archived_by_robot".into()));
    assert_eq!(t.locked, Some(true));
    assert_eq!(t.extra["x"], json!([1]));
    let back = serde_json::to_value(&t).unwrap();
    assert_eq!(back["status"], "archived_by_robot");
    assert_eq!(back["x"], json!([1]));
    let events: Vec<CatalogWebhookEvent> =
        serde_json::from_str(r#"["product.updated","order.paid"]"#).unwrap();
    assert_eq!(events[0], CatalogWebhookEvent::ProductUpdated);
    assert_eq!(
        serde_json::to_value(&events).unwrap(),
        json!(["product.updated", "order.paid"])
    );
    let page: ProductPage = serde_json::from_str(r#"{"products":[],"next_cursor":null}"#).unwrap();
    assert!(page.next_cursor.is_none() && page.products.is_empty());
}
