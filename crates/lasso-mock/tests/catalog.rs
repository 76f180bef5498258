//! `/catalog`: products, cursor pagination, optimistic locking, soft delete, lookup
//! and the changes feed.

mod common;

use std::collections::HashSet;

use common::{start_api, Api};
use serde_json::{json, Value};

async fn create(api: &Api, attributes: Value) -> Value {
    api.post(
        "/catalog",
        json!({"schema_id": "schema_custom", "attributes": attributes}),
    )
    .await
    .expect(201)
}

fn ids(page: &Value) -> Vec<String> {
    page["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn create_get_update_delete() {
    let (server, api) = start_api().await;
    let product = api
        .post(
            "/catalog",
            json!({"schema_id": "schema_sample", "attributes": {"name": "Alpine bottle", "price": 24.9}}),
        )
        .await
        .expect(201);
    assert_eq!(product["source"], "manual");
    assert_eq!(product["status"], "draft");
    assert_eq!(product["schema_id"], "schema_sample");
    assert_eq!(
        product["attributes"],
        json!({"name": "Alpine bottle", "price": 24.9})
    );
    assert_eq!(product["external_id"], Value::Null);
    assert_eq!(product["deleted_at"], Value::Null);
    assert_eq!(product["attribute_extensions"], json!([]));
    assert_eq!(product["created_at"], product["updated_at"]);
    assert!(uuid::Uuid::parse_str(product["company_id"].as_str().unwrap()).is_ok());
    let id = product["id"].as_str().unwrap().to_owned();
    let path = format!("/catalog/{id}");

    let got = api.get(&path).await.expect(200);
    assert_eq!(got["relations"], json!({}));
    assert_eq!(got["attributes"], product["attributes"]);

    // Sparse merge; `null` removes a key; `status` sets the product status.
    let updated = api
        .patch(
            &path,
            json!({"attributes": {"price": 22.9, "brand": "Alp", "name": null, "status": "active"},
                   "expected_updated_at": product["updated_at"]}),
        )
        .await
        .expect(200);
    assert_eq!(updated["attributes"], json!({"price": 22.9, "brand": "Alp"}));
    assert_eq!(updated["status"], "active");
    assert_ne!(updated["updated_at"], product["updated_at"]);
    assert_eq!(updated["created_at"], product["created_at"]);

    // The old revision is stale.
    let error = api
        .patch(
            &path,
            json!({"attributes": {"price": 1}, "expected_updated_at": product["updated_at"]}),
        )
        .await
        .error(409, "conflict");
    assert_eq!(error["code"], "stale_write");
    assert_eq!(error["current_updated_at"], updated["updated_at"]);
    assert_eq!(api.get(&path).await.expect(200)["attributes"]["price"], 22.9);

    let deleted = api.delete(&path).await.expect(200);
    assert_eq!(deleted, json!({"deleted": true, "id": id}));
    api.get(&path).await.error(404, "not_found");
    api.patch(&path, json!({"attributes": {}}))
        .await
        .error(404, "not_found");
    api.delete(&path).await.error(404, "not_found");
    assert_eq!(api.get("/catalog").await.expect(200)["products"], json!([]));
    server.shutdown().await;
}

#[tokio::test]
async fn validation() {
    let (server, api) = start_api().await;
    api.post("/catalog", json!({"attributes": {}}))
        .await
        .error(422, "validation_error");
    let error = api
        .post("/catalog", json!({"schema_id": "s"}))
        .await
        .error(422, "validation_error");
    assert!(error["message"].as_str().unwrap().contains("attributes"));
    api.post("/catalog", json!({"schema_id": "s", "attributes": [1]}))
        .await
        .error(422, "validation_error");
    api.post("/catalog", json!({"schema_id": 5, "attributes": {}}))
        .await
        .error(422, "validation_error");
    api.post(
        "/catalog",
        json!({"schema_id": "s", "attributes": {}, "colour": "red"}),
    )
    .await
    .error(422, "validation_error");

    // Keys are checked against a schema the company has.
    let error = api
        .post(
            "/catalog",
            json!({"schema_id": "schema_sample", "attributes": {"name": "Mug", "colour": "red", "weight": 3}}),
        )
        .await
        .error(422, "validation_error");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("colour") && message.contains("weight"),
        "{message}"
    );
    assert_eq!(error["details"]["unknown_keys"], json!(["colour", "weight"]));

    // Product-only extensions allow extra keys; unknown extension ids are refused.
    let note = api
        .post(
            "/attributes",
            json!({"key": "supplier_note", "label": "Note", "type": "text"}),
        )
        .await
        .expect(201);
    let product = api
        .post(
            "/catalog",
            json!({"schema_id": "schema_sample", "attributes": {"name": "Mug", "supplier_note": "fragile"},
                   "attribute_extension_ids": [note["id"]]}),
        )
        .await
        .expect(201);
    assert_eq!(
        product["attribute_extensions"],
        json!([{"attribute_id": note["id"], "key": "supplier_note"}])
    );
    api.post(
        "/catalog",
        json!({"schema_id": "s", "attributes": {}, "attribute_extension_ids": ["00000000-0000-4000-8000-000000000000"]}),
    )
    .await
    .error(422, "validation_error");

    // Detaching removes the value too.
    let path = format!("/catalog/{}", product["id"].as_str().unwrap());
    let updated = api
        .patch(
            &path,
            json!({"attributes": {}, "remove_attribute_extension_ids": [note["id"]]}),
        )
        .await
        .expect(200);
    assert_eq!(updated["attribute_extensions"], json!([]));
    assert_eq!(updated["attributes"], json!({"name": "Mug"}));
    api.patch(&path, json!({"attributes": {"supplier_note": "x"}}))
        .await
        .error(422, "validation_error");
    api.patch(&path, json!({})).await.error(422, "validation_error");
    api.patch(&path, json!({"attributes": {"status": "gone"}}))
        .await
        .error(422, "validation_error");
    api.patch(
        &path,
        json!({"attributes": {}, "expected_updated_at": "yesterday"}),
    )
    .await
    .error(422, "validation_error");

    for query in [
        "page_size=0",
        "page_size=201",
        "status=live",
        "source=web",
        "cursor=zz",
        "sort_dir=up",
        "sort_field=price",
        "attribute_filters=nope",
    ] {
        let error = api
            .get(&format!("/catalog?{query}"))
            .await
            .error(400, "invalid_request");
        let name = query.split('=').next().unwrap();
        assert!(
            error["message"].as_str().unwrap().contains(name),
            "{query}: {error}"
        );
    }
    server.shutdown().await;
}

#[tokio::test]
async fn cursor_pagination_has_no_gaps_or_duplicates() {
    let (server, api) = start_api().await;
    let mut created = Vec::new();
    for i in 0..120 {
        let p = create(&api, json!({"sku": format!("SKU-{i:03}"), "rank": i % 7})).await;
        created.push(p["id"].as_str().unwrap().to_owned());
    }

    // Default: newest first, 50 per page.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/catalog?page_size=50&cursor={c}"),
            None => "/catalog".to_owned(),
        };
        let page = api.get(&path).await.expect(200);
        pages += 1;
        seen.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let mut newest_first = created.clone();
    newest_first.reverse();
    assert_eq!(seen, newest_first);

    // Sorting by an attribute with many ties, ascending, small pages.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = api
            .get(&format!(
                "/catalog?page_size=7&sort_field=attr:rank&sort_dir=asc&cursor={cursor}"
            ))
            .await
            .expect(200);
        let products = page["products"].as_array().unwrap();
        assert!(products.len() <= 7);
        for p in products {
            seen.push((
                p["attributes"]["rank"].as_i64().unwrap(),
                p["id"].as_str().unwrap().to_owned(),
            ));
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 120);
    let unique: HashSet<&String> = seen.iter().map(|(_, id)| id).collect();
    assert_eq!(unique.len(), 120);
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "ascending by rank");

    // A cursor only continues the walk it came from.
    let page = api.get("/catalog?page_size=10").await.expect(200);
    let c = page["next_cursor"].as_str().unwrap();
    api.get(&format!("/catalog?cursor={c}&sort_dir=asc"))
        .await
        .error(400, "invalid_request");

    // created_at ascending is creation order.
    let page = api
        .get("/catalog?page_size=200&sort_field=created_at&sort_dir=asc")
        .await
        .expect(200);
    assert_eq!(ids(&page), created);
    assert_eq!(page["next_cursor"], Value::Null);
    server.shutdown().await;
}

#[tokio::test]
async fn filters_and_search() {
    let (server, api) = start_api().await;
    let a = create(
        &api,
        json!({"name": "Red Mug", "color": "red", "price": 12, "tags": ["kitchen"]}),
    )
    .await;
    let b = create(&api, json!({"name": "Blue Plate", "color": "blue", "price": 30})).await;
    let c = api
        .post(
            "/catalog",
            json!({"schema_id": "schema_other", "attributes": {"name": "Green Bowl", "price": 8}}),
        )
        .await
        .expect(201);
    api.patch(
        &format!("/catalog/{}", b["id"].as_str().unwrap()),
        json!({"attributes": {"status": "active"}}),
    )
    .await
    .expect(200);

    let only = |page: Value| ids(&page);
    assert_eq!(
        only(api.get("/catalog?status=active").await.expect(200)),
        [b["id"].as_str().unwrap()]
    );
    assert_eq!(
        only(
            api.get("/catalog?status=draft&schema_id=schema_other")
                .await
                .expect(200)
        ),
        [c["id"].as_str().unwrap()]
    );
    assert_eq!(
        only(api.get("/catalog?search=mug").await.expect(200)),
        [a["id"].as_str().unwrap()]
    );
    assert_eq!(
        only(api.get("/catalog?search=KITCHEN").await.expect(200)),
        [a["id"].as_str().unwrap()]
    );
    assert_eq!(
        api.get("/catalog?source=shopify").await.expect(200)["products"],
        json!([])
    );
    assert_eq!(
        api.get("/catalog?source=manual").await.expect(200)["products"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    let filter = |f: Value| format!("/catalog?attribute_filters={}", urlencode(&f.to_string()));
    assert_eq!(
        only(api.get(&filter(json!({"color": "red"}))).await.expect(200)),
        [a["id"].as_str().unwrap()]
    );
    let cheap = only(
        api.get(&filter(json!({"price": {"op": "lt", "value": 20}})))
            .await
            .expect(200),
    );
    assert_eq!(cheap.len(), 2);
    let page = api
        .get(&format!(
            "{}&sort_field=attr:price&sort_dir=desc",
            filter(json!({"price": {"op": "gte", "value": 8}}))
        ))
        .await
        .expect(200);
    let prices: Vec<i64> = page["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["attributes"]["price"].as_i64().unwrap())
        .collect();
    assert_eq!(prices, [30, 12, 8]);
    server.shutdown().await;
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn lookup_by_attribute_value() {
    let (server, api) = start_api().await;
    let first = create(&api, json!({"sku": "WDG-001", "ean": 4006381333931_u64})).await;
    create(&api, json!({"sku": "WDG-001"})).await;
    let found = api.get("/catalog/lookup?key=sku&value=WDG-001").await.expect(200);
    assert_eq!(found["id"], first["id"], "the first (oldest) match");
    let found = api
        .get("/catalog/lookup?key=ean&value=4006381333931")
        .await
        .expect(200);
    assert_eq!(found["id"], first["id"], "numbers match their text");
    api.get("/catalog/lookup?key=sku&value=nope")
        .await
        .error(404, "not_found");
    api.get("/catalog/lookup?value=x")
        .await
        .error(400, "invalid_request");
    api.get("/catalog/lookup?key=sku")
        .await
        .error(400, "invalid_request");
    api.get("/catalog/lookup?key=s-k-u&value=x")
        .await
        .error(400, "invalid_request");

    // Deleted products are not found.
    api.delete(&format!("/catalog/{}", first["id"].as_str().unwrap()))
        .await
        .expect(200);
    let found = api.get("/catalog/lookup?key=sku&value=WDG-001").await.expect(200);
    assert_ne!(found["id"], first["id"]);
    server.shutdown().await;
}

#[tokio::test]
async fn changes_feed_syncs_exactly_once() {
    let (server, api) = start_api().await;
    let epoch = "2000-01-01T00:00:00Z";
    api.get("/catalog/changes").await.error(400, "invalid_request");
    let error = api
        .get("/catalog/changes?since=last-tuesday")
        .await
        .error(400, "invalid_request");
    assert!(error["message"].as_str().unwrap().contains("since"));

    let mut created = Vec::new();
    for i in 0..25 {
        created.push(
            create(&api, json!({"n": i})).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }

    // Walk with small pages: oldest first, one sync_timestamp for the whole walk.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    let mut sync = None;
    loop {
        let page = api
            .get(&format!(
                "/catalog/changes?since={epoch}&page_size=10&cursor={cursor}"
            ))
            .await
            .expect(200);
        seen.extend(ids(&page));
        let stamp = page["sync_timestamp"].as_str().unwrap().to_owned();
        assert_eq!(*sync.get_or_insert(stamp.clone()), stamp);
        assert_eq!(page["has_more"], page["next_cursor"].is_string());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen, created);
    let sync = sync.unwrap();

    // Nothing changed since: empty. Then an update and a delete show up, in order.
    let page = api
        .get(&format!("/catalog/changes?since={sync}"))
        .await
        .expect(200);
    assert_eq!(page["products"], json!([]));
    assert_eq!(page["has_more"], false);
    let next_sync = page["sync_timestamp"].as_str().unwrap().to_owned();

    api.patch(
        &format!("/catalog/{}", created[3]),
        json!({"attributes": {"n": 300}}),
    )
    .await
    .expect(200);
    api.delete(&format!("/catalog/{}", created[1])).await.expect(200);
    let page = api
        .get(&format!("/catalog/changes?since={next_sync}"))
        .await
        .expect(200);
    assert_eq!(ids(&page), [created[3].clone(), created[1].clone()]);
    assert_eq!(page["products"][0]["deleted_at"], Value::Null);
    assert!(page["products"][1]["deleted_at"].is_string());

    let drafts = api
        .get(&format!("/catalog/changes?since={epoch}&status=active"))
        .await
        .expect(200);
    assert_eq!(drafts["products"], json!([]));
    api.get(&format!("/catalog/changes?since={epoch}&page_size=500"))
        .await
        .error(400, "invalid_request");
    server.shutdown().await;
}

#[tokio::test]
async fn companies_are_isolated() {
    let (server, api) = start_api().await;
    let product = create(&api, json!({"sku": "A-1"})).await;
    let path = format!("/catalog/{}", product["id"].as_str().unwrap());
    let other = api.as_company(3);
    other.get(&path).await.error(404, "not_found");
    other
        .patch(&path, json!({"attributes": {"sku": "B"}}))
        .await
        .error(404, "not_found");
    other.delete(&path).await.error(404, "not_found");
    other
        .get("/catalog/lookup?key=sku&value=A-1")
        .await
        .error(404, "not_found");
    assert_eq!(other.get("/catalog").await.expect(200)["products"], json!([]));
    let changes = other.get("/catalog/changes?since=2000-01-01").await.expect(200);
    assert_eq!(changes["products"], json!([]));
    api.get(&path).await.expect(200);
    server.shutdown().await;
}
