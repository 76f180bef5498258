//! `/catalog/webhooks`: endpoints, signed deliveries to a loopback receiver, the
//! delivery history, test sends and redelivery.

mod common;

use std::time::{Duration, Instant};

use common::{start_api, Api, Receiver};
use serde_json::{json, Value};

/// Polls the delivery history until it has `count` records.
async fn deliveries(api: &Api, endpoint: &str, count: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let body = api
            .get(&format!("/catalog/webhooks/{endpoint}?limit=100"))
            .await
            .expect(200);
        let list = body["deliveries"].as_array().unwrap().clone();
        if list.len() >= count || Instant::now() > deadline {
            assert_eq!(list.len(), count, "{body}");
            return list;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn endpoint_crud_and_validation() {
    let (server, api) = start_api().await;
    let created = api
        .post(
            "/catalog/webhooks",
            json!({"url": "https://erp.example.com/webhooks/lasso", "events": ["product.created", "product.updated"],
                   "description": "ERP sync"}),
        )
        .await
        .expect(201);
    let secret = created["secret"].as_str().unwrap();
    assert!(secret.starts_with("whsec_") && secret.len() >= 38, "{secret}");
    assert!(secret[6..].bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(created["enabled"], true);
    assert_eq!(
        created["name"], "erp.example.com",
        "name defaults to the hostname"
    );
    assert_eq!(created["description"], "ERP sync");
    assert!(uuid::Uuid::parse_str(created["company_id"].as_str().unwrap()).is_ok());
    let id = created["id"].as_str().unwrap().to_owned();

    let local = api
        .post(
            "/catalog/webhooks",
            json!({"url": "http://localhost:9/x", "events": ["attribute.deleted"], "name": "Local"}),
        )
        .await
        .expect(201);
    assert_eq!(local["name"], "Local");
    assert_ne!(local["secret"], created["secret"]);

    let list = api.get("/catalog/webhooks").await.expect(200);
    let hooks = list["webhooks"].as_array().unwrap();
    assert_eq!(hooks.len(), 2);
    assert!(hooks.iter().all(|h| h.get("secret").is_none()), "{list}");

    let updated = api
        .patch(
            &format!("/catalog/webhooks/{id}"),
            json!({"enabled": false, "events": ["product.deleted"]}),
        )
        .await
        .expect(200);
    assert_eq!(updated["enabled"], false);
    assert_eq!(updated["events"], json!(["product.deleted"]));
    assert_eq!(updated["description"], "ERP sync");
    assert!(updated.get("secret").is_none());

    let cases = [
        (json!({"events": ["product.created"]}), "url"),
        (
            json!({"url": "http://erp.example.com/hook", "events": ["product.created"]}),
            "url",
        ),
        (
            json!({"url": "ftp://127.0.0.1/hook", "events": ["product.created"]}),
            "url",
        ),
        (json!({"url": "not a url", "events": ["product.created"]}), "url"),
        (json!({"url": "https://a.example/h"}), "events"),
        (json!({"url": "https://a.example/h", "events": []}), "events"),
        (
            json!({"url": "https://a.example/h", "events": ["product.created", "product.created"]}),
            "events",
        ),
        (
            json!({"url": "https://a.example/h", "events": ["table.completed"]}),
            "events[0]",
        ),
        (
            json!({"url": "https://a.example/h", "events": ["product.created"], "name": ""}),
            "name",
        ),
        (
            json!({"url": "https://a.example/h", "events": ["product.created"], "description": "x".repeat(501)}),
            "description",
        ),
    ];
    for (body, field) in cases {
        let error = api
            .post("/catalog/webhooks", body.clone())
            .await
            .error(422, "validation_error");
        assert!(
            error["message"].as_str().unwrap().contains(field),
            "{body}: {error}"
        );
    }
    api.patch(&format!("/catalog/webhooks/{id}"), json!({}))
        .await
        .error(422, "validation_error");
    api.patch(&format!("/catalog/webhooks/{id}"), json!({"enabled": "yes"}))
        .await
        .error(422, "validation_error");
    api.get(&format!("/catalog/webhooks/{id}?limit=0"))
        .await
        .error(400, "invalid_request");
    api.get(&format!("/catalog/webhooks/{id}?offset=-1"))
        .await
        .error(400, "invalid_request");

    // Another company sees none of it.
    let other = api.as_company(9);
    assert_eq!(
        other.get("/catalog/webhooks").await.expect(200)["webhooks"],
        json!([])
    );
    other
        .patch(&format!("/catalog/webhooks/{id}"), json!({"enabled": true}))
        .await
        .error(404, "not_found");
    other
        .get(&format!("/catalog/webhooks/{id}"))
        .await
        .error(404, "not_found");
    other
        .post(&format!("/catalog/webhooks/{id}"), json!({"action": "test"}))
        .await
        .error(404, "not_found");
    other
        .delete(&format!("/catalog/webhooks/{id}"))
        .await
        .error(404, "not_found");

    assert_eq!(api.delete(&format!("/catalog/webhooks/{id}")).await.status, 204);
    api.delete(&format!("/catalog/webhooks/{id}"))
        .await
        .error(404, "not_found");
    api.get(&format!("/catalog/webhooks/{id}"))
        .await
        .error(404, "not_found");
    assert_eq!(
        api.get("/catalog/webhooks").await.expect(200)["webhooks"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    server.shutdown().await;
}

#[tokio::test]
async fn events_are_delivered_signed() {
    let (server, api) = start_api().await;
    let mut receiver = Receiver::start(vec![], Duration::ZERO).await;
    let endpoint = api
        .post(
            "/catalog/webhooks",
            json!({"url": receiver.url, "events": ["product.created", "product.updated", "product.deleted", "attribute.created"]}),
        )
        .await
        .expect(201);
    let secret = endpoint["secret"].as_str().unwrap().to_owned();
    let endpoint_id = endpoint["id"].as_str().unwrap().to_owned();
    // A disabled endpoint gets nothing.
    let mut silent = Receiver::start(vec![], Duration::ZERO).await;
    let disabled = api
        .post(
            "/catalog/webhooks",
            json!({"url": silent.url, "events": ["product.created"]}),
        )
        .await
        .expect(201);
    api.patch(
        &format!("/catalog/webhooks/{}", disabled["id"].as_str().unwrap()),
        json!({"enabled": false}),
    )
    .await
    .expect(200);

    let product = api
        .post(
            "/catalog",
            json!({"schema_id": "s", "attributes": {"sku": "A-100"}}),
        )
        .await
        .expect(201);
    let captured = receiver.next().await;
    let payload = captured.verify(&secret, "product.created");
    assert_eq!(payload["data"]["product_id"], product["id"]);
    assert_eq!(payload["data"]["product"], product);
    let first_delivery_id = captured.header("x-lasso-delivery-id").to_owned();

    let path = format!("/catalog/{}", product["id"].as_str().unwrap());
    api.patch(&path, json!({"attributes": {"sku": "A-101"}}))
        .await
        .expect(200);
    let payload = receiver.next().await.verify(&secret, "product.updated");
    assert_eq!(payload["data"]["product"]["attributes"]["sku"], "A-101");

    let attribute = api
        .post(
            "/attributes",
            json!({"key": "sku", "label": "SKU", "type": "text"}),
        )
        .await
        .expect(201);
    let payload = receiver.next().await.verify(&secret, "attribute.created");
    assert_eq!(payload["data"]["attribute_id"], attribute["id"]);
    assert_eq!(payload["data"]["attribute"], attribute);
    // Not subscribed: attribute.updated.
    api.put("/attributes/sku", json!({"label": "Stock unit"}))
        .await
        .expect(200);

    api.delete(&path).await.expect(200);
    let captured = receiver.next().await;
    let payload = captured.verify(&secret, "product.deleted");
    assert!(payload["data"]["product"]["deleted_at"].is_string());
    assert_ne!(captured.header("x-lasso-delivery-id"), first_delivery_id);
    receiver.nothing_more(Duration::from_millis(300)).await;
    silent.nothing_more(Duration::from_millis(300)).await;

    // The history, newest first, metadata only.
    let history = deliveries(&api, &endpoint_id, 4).await;
    let events: Vec<&str> = history.iter().map(|d| d["event"].as_str().unwrap()).collect();
    assert_eq!(
        events,
        [
            "product.deleted",
            "attribute.created",
            "product.updated",
            "product.created"
        ]
    );
    let last = &history[3];
    assert_eq!(last["delivery_id"], first_delivery_id.as_str());
    assert_eq!(last["endpoint_id"], endpoint_id.as_str());
    assert_eq!(last["attempt_number"], 1);
    assert_eq!(last["status_code"], 204);
    assert_eq!(last["error"], Value::Null);
    assert_eq!(last["is_test"], false);
    assert_eq!(last["redelivered_from"], Value::Null);
    assert!(last["duration_ms"].is_u64());
    assert!(last.get("payload").is_none() && last.get("secret").is_none());
    let page = api
        .get(&format!("/catalog/webhooks/{endpoint_id}?limit=2&offset=1"))
        .await
        .expect(200);
    let page: Vec<&str> = page["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["event"].as_str().unwrap())
        .collect();
    assert_eq!(page, ["attribute.created", "product.updated"]);
    server.shutdown().await;
}

#[tokio::test]
async fn test_and_redeliver_actions() {
    let (server, api) = start_api().await;
    // The receiver fails the first request: the test send.
    let mut receiver = Receiver::start(vec![500], Duration::ZERO).await;
    let endpoint = api
        .post(
            "/catalog/webhooks",
            json!({"url": receiver.url, "events": ["attribute.updated"]}),
        )
        .await
        .expect(201);
    let secret = endpoint["secret"].as_str().unwrap().to_owned();
    let path = format!("/catalog/webhooks/{}", endpoint["id"].as_str().unwrap());

    let failed = api.post(&path, json!({"action": "test"})).await.expect(200)["delivery"].clone();
    assert_eq!(failed["event"], "webhook.test");
    assert_eq!(failed["is_test"], true);
    assert_eq!(failed["status_code"], 500);
    assert!(failed["error"].as_str().unwrap().contains("500"));
    assert_eq!(failed["attempt_number"], 1);
    let first = receiver.next().await;
    let payload = first.verify(&secret, "webhook.test");
    assert_eq!(payload["data"]["endpoint_id"], endpoint["id"]);
    assert_eq!(
        first.header("x-lasso-delivery-id"),
        failed["delivery_id"].as_str().unwrap()
    );

    // Redelivery: same logical delivery id and body, next attempt number.
    let retried = api
        .post(
            &path,
            json!({"action": "redeliver", "delivery_record_id": failed["id"]}),
        )
        .await
        .expect(200)["delivery"]
        .clone();
    assert_eq!(retried["delivery_id"], failed["delivery_id"]);
    assert_eq!(retried["attempt_number"], 2);
    assert_eq!(retried["redelivered_from"], failed["id"]);
    assert_eq!(retried["status_code"], 204);
    assert_eq!(retried["error"], Value::Null);
    assert_ne!(retried["id"], failed["id"]);
    let second = receiver.next().await;
    assert_eq!(
        second.header("x-lasso-delivery-id"),
        first.header("x-lasso-delivery-id")
    );
    assert_eq!(second.body, first.body);
    second.verify(&secret, "webhook.test");

    // Only failed attempts can be redelivered; unknown records are 404.
    api.post(
        &path,
        json!({"action": "redeliver", "delivery_record_id": retried["id"]}),
    )
    .await
    .error(409, "conflict");
    api.post(
        &path,
        json!({"action": "redeliver", "delivery_record_id": "00000000-0000-4000-8000-000000000000"}),
    )
    .await
    .error(404, "not_found");
    api.post(&path, json!({"action": "redeliver"}))
        .await
        .error(422, "validation_error");
    api.post(&path, json!({"action": "explode"}))
        .await
        .error(422, "validation_error");
    api.post(&path, json!({})).await.error(422, "validation_error");
    api.post(
        "/catalog/webhooks/00000000-0000-4000-8000-000000000000",
        json!({"action": "test"}),
    )
    .await
    .error(404, "not_found");

    let history = deliveries(&api, endpoint["id"].as_str().unwrap(), 2).await;
    assert_eq!(history[0]["id"], retried["id"]);
    assert_eq!(history[1]["id"], failed["id"]);
    server.shutdown().await;
}

#[tokio::test]
async fn only_loopback_targets_are_contacted() {
    let (server, api) = start_api().await;
    let endpoint = api
        .post(
            "/catalog/webhooks",
            json!({"url": "https://hooks.example.com/lasso", "events": ["attribute.created"]}),
        )
        .await
        .expect(201);
    api.post(
        "/attributes",
        json!({"key": "brand", "label": "Brand", "type": "text"}),
    )
    .await
    .expect(201);
    let history = deliveries(&api, endpoint["id"].as_str().unwrap(), 1).await;
    assert_eq!(history[0]["event"], "attribute.created");
    assert_eq!(history[0]["status_code"], Value::Null);
    assert!(
        history[0]["error"].as_str().unwrap().contains("loopback"),
        "{}",
        history[0]
    );
    server.shutdown().await;
}

#[tokio::test]
async fn deliveries_do_not_block_the_response() {
    let (server, api) = start_api().await;
    let mut slow = Receiver::start(vec![], Duration::from_millis(1500)).await;
    api.post(
        "/catalog/webhooks",
        json!({"url": slow.url, "events": ["product.created"]}),
    )
    .await
    .expect(201);
    let started = Instant::now();
    api.post("/catalog", json!({"schema_id": "s", "attributes": {}}))
        .await
        .expect(201);
    assert!(
        started.elapsed() < Duration::from_millis(1000),
        "{:?}",
        started.elapsed()
    );
    slow.next().await;
    server.shutdown().await;
}
