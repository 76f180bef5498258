//! Credits: charges of every billed operation, 402 when the balance runs out (nothing
//! happens), the usage ledger with filters, and the statistics.

mod common;

use common::{start, start_with, Api};
use lasso_mock::MockConfig;
use serde_json::{json, Value};

async fn small(balance: f64) -> lasso_mock::MockServer {
    start_with(MockConfig {
        initial_balance: balance,
        time_scale: 0.0,
        ..MockConfig::default()
    })
    .await
}

#[tokio::test]
async fn insufficient_credits_is_402_and_changes_nothing() {
    let server = small(4.0).await;
    let api = Api::new(&server, 1);
    let message = api
        .post("/search", json!({"query": "bottle"}))
        .await
        .error_message(402, "insufficient_credits");
    assert!(message.contains("5"), "{message}");
    assert_eq!(api.balance().await, 4.0);

    // Two items at medium (2 each) fit exactly.
    let reply = api
        .post(
            "/enrich",
            json!({"items": [{"data": {"name": "a"}}, {"data": {"name": "b"}}]}),
        )
        .await;
    assert_eq!(reply.expect(200)["credits_used"], 4.0);
    assert_eq!(api.balance().await, 0.0);
    api.post(
        "/enrich",
        json!({"items": [{"data": {"name": "a"}}], "thinking": "low"}),
    )
    .await
    .error(402, "insufficient_credits");
    api.post(
        "/tables/tbl_sample/enhance",
        json!({"row_ids": ["row_sample_1"], "column_key": "name", "prompt": "x"}),
    )
    .await
    .error(402, "insufficient_credits");
    api.post(
        "/tables/tbl_sample/enhance/bulk",
        json!({"row_id": "row_sample_1", "columns": [{"key": "name", "prompt": "x"}]}),
    )
    .await
    .error(402, "insufficient_credits");
    assert_eq!(
        api.get("/tables/tbl_sample/enhance/status").await.expect(200),
        json!({"columns": {}})
    );
    api.post(
        "/tables",
        json!({"schema_id": "schema_sample", "name": "x", "source_text": "a\nb\n"}),
    )
    .await
    .error(402, "insufficient_credits");
    assert_eq!(
        api.get("/tables").await.expect(200)["pagination"]["total"],
        1,
        "no table was created"
    );
    let usage = api.get("/credits/usage").await;
    assert_eq!(
        usage.expect(200)["pagination"]["total"],
        1,
        "only the successful enrich is in the ledger"
    );

    // Another company still has its own balance.
    assert_eq!(Api::new(&server, 2).balance().await, 4.0);
}

#[tokio::test]
async fn every_charge_is_a_ledger_entry() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    api.post("/search", json!({"query": "camera"})).await.expect(200);
    api.post(
        "/enrich",
        json!({"items": [{"data": {"name": "Canon camera"}}], "thinking": "hard"}),
    )
    .await
    .expect(200);
    let id = api.create_text_table("Ledger test", "Bottle\nMug\nFlask\n").await;
    api.wait_table(&id).await;
    api.post(
        "/tables/tbl_sample/enhance",
        json!({"row_ids": ["row_sample_1", "row_sample_2"], "column_key": "brand", "prompt": "Brand"}),
    )
    .await
    .expect(202);
    api.post(
        "/tables/tbl_sample/enhance/bulk",
        json!({"row_id": "row_sample_1", "columns": [
        {"key": "name", "prompt": "x"}, {"key": "brand", "prompt": "y"}, {"key": "url", "prompt": "z"}]}),
    )
    .await
    .expect(202);
    let expected_total = 5.0 + 4.0 + 3.0 + 4.0 + 1.5;
    assert_eq!(api.balance().await, 1000.0 - expected_total);

    let usage = api.get("/credits/usage").await;
    let usage = usage.expect(200);
    assert_eq!(usage["pagination"], json!({"page": 1, "limit": 25, "total": 5}));
    assert_eq!(usage["total_used"], expected_total);
    let services: Vec<&str> = usage["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["service"].as_str().unwrap())
        .collect();
    assert_eq!(
        services,
        [
            "ai_field_bulk",
            "ai_field",
            "product_import",
            "product_enrich",
            "product_search"
        ]
    );
    let entry = &usage["data"][2];
    assert_eq!(entry["amount"], -3.0);
    assert_eq!(entry["table_id"], id.as_str());
    assert!(entry["id"].as_str().unwrap().starts_with("tx_"));
    assert!(entry["description"].as_str().unwrap().contains("Ledger test"));
    assert_eq!(usage["data"][4]["amount"], -5.0);
    assert!(usage["data"][4]["table_id"]
        .as_str()
        .unwrap()
        .starts_with("search_"));

    let enhancement = api.get("/credits/usage?service=enhancement").await;
    assert_eq!(enhancement.expect(200)["total_used"], 5.5);
    let raw = api.get("/credits/usage?service=product_search").await;
    assert_eq!(raw.expect(200)["pagination"]["total"], 1);
    let today = &usage["data"][0]["created_at"].as_str().unwrap()[..10];
    let today_only = api
        .get(&format!(
            "/credits/usage?from={today}&to={today}T23:59:59Z&limit=2"
        ))
        .await;
    let today_only = today_only.expect(200);
    assert_eq!(today_only["pagination"]["total"], 5);
    assert_eq!(today_only["data"].as_array().unwrap().len(), 2);
    assert_eq!(
        today_only["total_used"], expected_total,
        "total_used covers the period, not the page"
    );
    let future = api.get("/credits/usage?from=2999-01-01").await;
    assert_eq!(future.expect(200)["total_used"], 0.0);
    api.get("/credits/usage?from=yesterday")
        .await
        .error(400, "invalid_request");
    api.get("/credits/usage?limit=101")
        .await
        .error(400, "invalid_request");

    // Another company's ledger is empty.
    assert_eq!(
        Api::new(&server, 2).get("/credits/usage").await.expect(200)["pagination"]["total"],
        0
    );
}

#[tokio::test]
async fn stats_validation_and_shape() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    for query in [
        "",
        "?from=2025-01-01",
        "?to=2025-01-01",
        "?from=2025-1-1&to=2025-01-02",
        "?from=2025-02-30&to=2025-03-01",
        "?from=2025-03-02&to=2025-03-01",
        "?from=2020-01-01&to=2025-01-05",
    ] {
        let message = api
            .get(&format!("/credits/stats{query}"))
            .await
            .error_message(400, "invalid_request");
        assert!(
            message.contains("from") || message.contains("to"),
            "{query}: {message}"
        );
    }
    // 1830 days inclusive is the maximum.
    api.get("/credits/stats?from=2020-01-01&to=2025-01-03")
        .await
        .expect(200);

    api.post("/search", json!({"query": "blender"})).await.expect(200);
    let id = api.create_text_table("Stats table", "Bottle\nMug\n").await;
    api.wait_table(&id).await;
    let rows = api.get(&format!("/tables/{id}/rows")).await.expect(200)["data"].clone();
    let row_id = rows[0]["id"].as_str().unwrap();
    api.post(
        &format!("/tables/{id}/enhance"),
        json!({"row_ids": [row_id], "column_key": "brand", "prompt": "Brand"}),
    )
    .await
    .expect(202);
    let today = api.get("/credits/usage").await.expect(200)["data"][0]["created_at"]
        .as_str()
        .unwrap()[..10]
        .to_owned();
    let stats = api.get(&format!("/credits/stats?from={today}&to={today}")).await;
    let stats = stats.expect(200);
    assert_eq!(stats["period"], json!({"from": today, "to": today}));
    let summary = &stats["summary"];
    assert_eq!(summary["total_spent"], 9.0);
    assert_eq!(summary["previous_period_spent"], 0.0);
    assert_eq!(summary["previous_period_change_pct"], Value::Null);
    assert_eq!(summary["monthly_allocation"], 1000.0);
    assert!(summary["period_end"].is_string());
    assert!(summary.as_object().unwrap().contains_key("cost_per_credit"));
    assert_eq!(stats["daily"].as_array().unwrap().len(), 1);
    assert_eq!(stats["daily"][0]["total"], 9.0);
    assert_eq!(
        stats["daily"][0]["by_module"],
        json!({"lasso": 4.0, "product_research": 5.0})
    );
    let services: Vec<(String, f64)> = stats["by_service"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["service_type"].as_str().unwrap().to_owned(),
                s["total"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        services,
        [
            ("ai_field".to_owned(), 2.0),
            ("product_import".to_owned(), 2.0),
            ("product_search".to_owned(), 5.0)
        ]
    );
    assert_eq!(stats["by_user"], json!([{"user_id": "system", "total": 9.0}]));
    assert_eq!(stats["lasso"]["credits_spent"], 4.0);
    assert_eq!(stats["lasso"]["products_enhanced"], 3);
    assert_eq!(stats["lasso"]["credits_per_product"], 1.33);
    assert_eq!(
        stats["lasso"]["by_table"],
        json!([{"table_id": id, "name": "Stats table", "total": 4.0, "products": 3}])
    );
    assert_eq!(stats["currency_config"]["monthly_credits"], 1000.0);
    for key in ["by_module", "by_service", "by_user", "daily"] {
        assert!(stats[key].is_array(), "{key}");
    }
}
