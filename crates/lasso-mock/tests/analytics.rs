//! `/analytics/products/*`: summary, leaderboard and activity derived from the
//! company's catalog products and extraction rows.

mod common;

use std::collections::HashSet;
use std::time::{SystemTime, UNIX_EPOCH};

use common::{start_api, Api};
use serde_json::{json, Value};

/// `YYYY-MM-DD` of today (UTC) plus `offset` days.
fn day(offset: i64) -> String {
    let days = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64 / 86_400 + offset;
    // Civil-from-days (H. Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn around_today() -> String {
    format!("from={}&to={}", day(-1), day(1))
}

async fn seed_products(api: &Api, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let p = api
            .post("/catalog", json!({"schema_id": "schema_a", "attributes": {"name": format!("Product {i}"), "sku": format!("S-{i}")}}))
            .await
            .expect(201);
        ids.push(p["id"].as_str().unwrap().to_owned());
    }
    ids
}

#[tokio::test]
async fn query_validation() {
    let (server, api) = start_api().await;
    let range = around_today();
    let bad = [
        "/analytics/products/summary".to_owned(),
        format!("/analytics/products/summary?from={}", day(0)),
        format!("/analytics/products/summary?from=2026-02-30&to={}", day(0)),
        format!("/analytics/products/summary?from={}&to={}", day(0), day(-1)),
        "/analytics/products/summary?from=2020-01-01&to=2025-01-04".to_owned(),
        format!("/analytics/products/summary?{range}&scope=everything"),
        format!("/analytics/products/summary?{range}&source=manual"),
        format!("/analytics/products/summary?{range}&catalog_status=live"),
        format!("/analytics/products/summary?{range}&user_id=bob"),
        format!("/analytics/products/leaderboard?{range}"),
        format!("/analytics/products/leaderboard?{range}&scope=all"),
        format!("/analytics/products/leaderboard?{range}&scope=extraction&source=manual"),
        format!("/analytics/products/activity?{range}"),
        format!("/analytics/products/activity?{range}&scope=catalog&limit=101"),
        format!("/analytics/products/activity?{range}&scope=catalog&cursor=xyz"),
    ];
    for path in &bad {
        api.get(path).await.error(400, "invalid_request");
    }
    // 1830 days inclusive is the maximum.
    api.get("/analytics/products/summary?from=2020-01-01&to=2025-01-03&scope=catalog")
        .await
        .expect(200);
    api.get(&format!(
        "/analytics/products/summary?{range}&scope=catalog&source=manual&user_id=system&catalog_status=draft"
    ))
    .await
    .expect(200);
    server.shutdown().await;
}

#[tokio::test]
async fn catalog_summary_counts_products_and_actions() {
    let (server, api) = start_api().await;
    let ids = seed_products(&api, 3).await;
    api.patch(
        &format!("/catalog/{}", ids[0]),
        json!({"attributes": {"status": "active"}}),
    )
    .await
    .expect(200);
    api.patch(
        &format!("/catalog/{}", ids[0]),
        json!({"attributes": {"price": 5}}),
    )
    .await
    .expect(200);

    let range = around_today();
    let body = api
        .get(&format!("/analytics/products/summary?{range}"))
        .await
        .expect(200);
    assert_eq!(body["period"], json!({"from": day(-1), "to": day(1)}));
    assert_eq!(
        body["filters"],
        json!({"catalog_status": "all", "user_id": null, "schema_id": null, "table_id": null, "source": null})
    );
    let catalog = &body["catalog"];
    assert_eq!(
        catalog["summary"],
        json!({"unique_products": 3, "new_products": 3, "updated_existing": 0, "total_actions": 5})
    );
    assert_eq!(
        catalog["current"],
        json!({"all_live": 3, "active": 1, "draft": 2, "archived": 0})
    );
    let daily = catalog["daily"].as_array().unwrap();
    assert_eq!(daily.len(), 3);
    assert_eq!(daily[1]["date"], day(0));
    assert_eq!(daily[1]["unique_products"], 3);
    assert_eq!(daily[0]["unique_products"], 0);
    let by_user = catalog["by_user"].as_array().unwrap();
    assert_eq!(by_user.len(), 1);
    assert_eq!(by_user[0]["user"]["name"], "System");
    assert_eq!(by_user[0]["user"]["is_former_member"], false);
    assert_eq!(by_user[0]["total_actions"], 5);
    assert!(body["extraction"].is_object());

    // Filters.
    let active = api
        .get(&format!(
            "/analytics/products/summary?{range}&scope=catalog&catalog_status=active"
        ))
        .await
        .expect(200);
    assert_eq!(active["catalog"]["summary"]["unique_products"], 1);
    assert!(active.get("extraction").is_none());
    let nobody = api
        .get(&format!(
            "/analytics/products/summary?{range}&scope=catalog&user_id=11111111-1111-4111-8111-111111111111"
        ))
        .await
        .expect(200);
    assert_eq!(nobody["catalog"]["summary"]["unique_products"], 0);
    assert_eq!(
        nobody["catalog"]["current"]["all_live"], 3,
        "the snapshot ignores the user filter"
    );
    let shopify = api
        .get(&format!(
            "/analytics/products/summary?{range}&scope=catalog&source=shopify"
        ))
        .await
        .expect(200);
    assert_eq!(shopify["catalog"]["current"]["all_live"], 0);
    let other_schema = api
        .get(&format!(
            "/analytics/products/summary?{range}&scope=catalog&schema_id=schema_b"
        ))
        .await
        .expect(200);
    assert_eq!(other_schema["catalog"]["summary"]["unique_products"], 0);
    let past = api
        .get("/analytics/products/summary?from=2024-01-01&to=2024-01-31&scope=catalog")
        .await
        .expect(200);
    assert_eq!(past["catalog"]["summary"]["unique_products"], 0);
    assert_eq!(past["catalog"]["daily"].as_array().unwrap().len(), 31);

    let board = api
        .get(&format!("/analytics/products/leaderboard?{range}&scope=catalog"))
        .await
        .expect(200);
    assert_eq!(board["scope"], "catalog");
    assert_eq!(board["by_user"][0]["unique_products"], 3);
    assert!(board.get("by_table").is_none());

    // Another company has nothing.
    let other = api
        .as_company(5)
        .get(&format!("/analytics/products/summary?{range}&scope=catalog"))
        .await
        .expect(200);
    assert_eq!(other["catalog"]["summary"]["unique_products"], 0);
    assert_eq!(other["catalog"]["by_user"], json!([]));
    server.shutdown().await;
}

#[tokio::test]
async fn extraction_metrics_come_from_table_rows() {
    let (server, api) = start_api().await;
    // The seeded sample table has three rows from 2025-03-10.
    let range = "from=2025-03-01&to=2025-03-31";
    let body = api
        .get(&format!("/analytics/products/summary?{range}&scope=extraction"))
        .await
        .expect(200);
    assert!(body.get("catalog").is_none());
    let extraction = &body["extraction"];
    assert_eq!(
        extraction["summary"],
        json!({"products_prepared": 3, "tables": 1})
    );
    let daily = extraction["daily"].as_array().unwrap();
    assert_eq!(daily.len(), 31);
    assert_eq!(daily[9], json!({"date": "2025-03-10", "products_prepared": 3}));
    assert_eq!(extraction["by_table"][0]["table_id"], "tbl_sample");
    assert_eq!(extraction["by_table"][0]["products_prepared"], 3);
    assert_eq!(extraction["by_user"][0]["tables"], 1);

    let board = api
        .get(&format!(
            "/analytics/products/leaderboard?{range}&scope=extraction"
        ))
        .await
        .expect(200);
    assert_eq!(board["by_table"][0]["table_name"], "Sample products");
    assert_eq!(board["by_user"][0]["products_prepared"], 3);

    let activity = api
        .get(&format!(
            "/analytics/products/activity?{range}&scope=extraction&limit=2"
        ))
        .await
        .expect(200);
    assert_eq!(activity["scope"], "extraction");
    let items = activity["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["table_id"], "tbl_sample");
    assert_eq!(items[0]["row_index"], 0);
    assert_eq!(items[0]["name"], "Alpine Steel Water Bottle 750 ml");
    assert_eq!(items[0]["last_activity_at"], "2025-03-10T14:31:12.000Z");
    let cursor = activity["next_cursor"].as_str().unwrap();
    let rest = api
        .get(&format!(
            "/analytics/products/activity?{range}&scope=extraction&limit=2&cursor={cursor}"
        ))
        .await
        .expect(200);
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert_eq!(rest["next_cursor"], Value::Null);
    // A cursor of the other scope is refused.
    api.get(&format!(
        "/analytics/products/activity?{range}&scope=catalog&cursor={cursor}"
    ))
    .await
    .error(400, "invalid_request");

    let filtered = api
        .get(&format!(
            "/analytics/products/summary?{range}&scope=extraction&table_id=tbl_other"
        ))
        .await
        .expect(200);
    assert_eq!(filtered["extraction"]["summary"]["products_prepared"], 0);
    server.shutdown().await;
}

#[tokio::test]
async fn catalog_activity_pages_without_duplicates() {
    let (server, api) = start_api().await;
    let ids = seed_products(&api, 30).await;
    let range = around_today();
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = api
            .get(&format!(
                "/analytics/products/activity?{range}&scope=catalog&cursor={cursor}"
            ))
            .await
            .expect(200);
        assert_eq!(page["scope"], "catalog");
        for item in page["items"].as_array().unwrap() {
            assert_eq!(item["classification"], "new");
            assert_eq!(item["action_count"], 1);
            assert_eq!(item["source"], "manual");
            assert_eq!(item["status"], "draft");
            assert_eq!(item["contributors"][0]["name"], "System");
            assert!(item["identity"].as_str().unwrap().starts_with("S-"));
            seen.push(item["id"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 30);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 30);
    let mut newest_first = ids;
    newest_first.reverse();
    assert_eq!(seen, newest_first);
    server.shutdown().await;
}
