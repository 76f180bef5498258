//! What every request carries: authentication, content negotiation, the
//! User-Agent and the caller's extra headers.

mod common;

use common::*;
use http::Method;
use lasso_ai::__bindings::ClientExt;
use lasso_ai::RequestOptions;
use serde_json::json;

#[tokio::test]
async fn every_request_carries_authorization_accept_and_user_agent() {
    let server = TestServer::start([
        balance_ok(),
        Behaviour::json(
            200,
            json!({"id": "t1", "name": "Spring catalog", "status": "queued"}),
        ),
    ])
    .await;
    let client = client(&server);

    expect_ok(client.credits().balance().await);
    expect_ok(client.tables().get("t1").await);

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let targets: Vec<_> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.target.as_str()))
        .collect();
    assert_eq!(
        targets,
        [("GET", "/api/v1/credits/balance"), ("GET", "/api/v1/tables/t1")]
    );
    for r in &requests {
        assert_eq!(r.all("authorization"), [format!("Bearer {KEY}")], "{r:#?}");
        assert_eq!(r.all("accept"), ["application/json"], "{r:#?}");
        let ua = r.all("user-agent");
        assert_eq!(ua, ["lasso-ai-rust/0.1.0"], "{r:#?}");
        assert!(ua[0].starts_with(&format!("lasso-ai-rust/{}", lasso_ai::VERSION)));
        assert!(r.body.is_empty(), "a GET has no body");
        assert_eq!(r.header("content-type"), None);
    }
}

#[tokio::test]
async fn user_agent_suffix_is_appended_and_extra_headers_are_sent() {
    let server = TestServer::start([balance_ok()]).await;
    let client = builder(&server)
        .user_agent_suffix("  inventory-sync/2.3  ")
        .header("X-Trace-Id", "trace-123")
        .header("X-Team", "catalog")
        .build()
        .unwrap();

    expect_ok(client.credits().balance().await);

    let r = server.single();
    assert_eq!(r.all("user-agent"), ["lasso-ai-rust/0.1.0 inventory-sync/2.3"]);
    assert_eq!(r.all("x-trace-id"), ["trace-123"]);
    assert_eq!(r.all("x-team"), ["catalog"]);
    assert_eq!(r.all("authorization"), [format!("Bearer {KEY}")]);
    assert_eq!(r.all("accept"), ["application/json"]);
}

#[tokio::test]
async fn blank_user_agent_suffix_is_ignored() {
    let server = TestServer::start([balance_ok()]).await;
    let client = builder(&server).user_agent_suffix("   ").build().unwrap();
    expect_ok(client.credits().balance().await);
    assert_eq!(server.single().all("user-agent"), ["lasso-ai-rust/0.1.0"]);
}

#[tokio::test]
async fn per_request_headers_are_sent_with_the_client_ones() {
    let server = TestServer::start([balance_ok(), balance_ok()]).await;
    let client = builder(&server).header("X-Team", "catalog").build().unwrap();
    let options = RequestOptions::new().header("x-request-tag", "nightly");

    // Through a derived client (typed call) and through `call`.
    let derived = client.with_options(options.clone());
    expect_ok(derived.credits().balance().await);
    expect_ok(
        client
            .call("credits.balance", serde_json::Value::Null, &options)
            .await,
    );

    for r in server.requests() {
        assert_eq!(r.all("x-request-tag"), ["nightly"], "{r:#?}");
        assert_eq!(r.all("x-team"), ["catalog"], "{r:#?}");
        assert_eq!(r.all("authorization"), [format!("Bearer {KEY}")], "{r:#?}");
    }
}

#[tokio::test]
async fn a_body_is_sent_as_json() {
    let server = TestServer::start([Behaviour::json(201, json!({"ok": true}))]).await;
    let client = client(&server);
    let body = json!({"query": "running shoes", "limit": 3, "flag": false});

    let response = expect_ok(
        client
            .raw_request(
                Method::POST,
                "/search",
                Some(body.clone()),
                &RequestOptions::new(),
            )
            .await,
    );
    assert_eq!(response.status.as_u16(), 201);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&response.body).unwrap(),
        json!({"ok": true})
    );

    let r = server.single();
    assert_eq!((r.method.as_str(), r.target.as_str()), ("POST", "/api/v1/search"));
    assert_eq!(r.all("content-type"), ["application/json"]);
    assert_eq!(r.json(), body);
    assert_eq!(r.all("authorization"), [format!("Bearer {KEY}")]);
}

#[tokio::test]
async fn raw_request_refuses_a_relative_path() {
    let server = TestServer::start([]).await;
    let e = expect_err(
        client(&server)
            .raw_request(Method::GET, "credits", None, &RequestOptions::new())
            .await,
    );
    assert_eq!(e.code(), "configuration");
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn path_parameters_are_percent_encoded_on_the_wire() {
    let server = TestServer::start([Behaviour::json(
        200,
        json!({"id": "a/b c?", "name": "Spring catalog", "status": "queued"}),
    )])
    .await;
    let table = expect_ok(client(&server).tables().get("a/b c?").await);
    assert_eq!(table.id, "a/b c?");
    assert_eq!(server.single().target, "/api/v1/tables/a%2Fb%20c%3F");
}

#[tokio::test]
async fn per_call_headers_extra_query_and_extra_body_are_sent_apart_from_the_parameters() {
    let server = TestServer::always(Behaviour::json(
        200,
        serde_json::json!({"id": "tbl_1", "name": "n"}),
    ))
    .await;
    let client = client(&server);
    let options = lasso_ai::RequestOptions::new()
        .header("X-Trace", "t-1")
        .extra_query("preview", "true")
        .extra_body("brand_new_flag", serde_json::json!(true));
    expect_ok(
        client
            .call(
                "tables.update",
                serde_json::json!({"table_id": "tbl_1", "name": "n"}),
                &options,
            )
            .await,
    );
    let r = server.single();
    assert_eq!(r.header("x-trace"), Some("t-1"));
    assert_eq!(r.target, "/api/v1/tables/tbl_1?preview=true");
    assert_eq!(r.json(), serde_json::json!({"name": "n", "brand_new_flag": true}));
    // Options of a derived client apply too, the call's own win.
    let derived = client.with_options(
        lasso_ai::RequestOptions::new()
            .header("X-Trace", "t-0")
            .extra_query("a", "1"),
    );
    expect_ok(
        derived
            .call(
                "tables.get",
                serde_json::json!({"table_id": "t"}),
                &Default::default(),
            )
            .await,
    );
    let r = server.requests().pop().unwrap();
    assert_eq!(
        (r.header("x-trace"), r.target.as_str()),
        (Some("t-0"), "/api/v1/tables/t?a=1")
    );
    // A GET has no body for extra fields; Authorization cannot be given per call.
    let e = expect_err(
        client
            .call(
                "tables.get",
                serde_json::json!({"table_id": "t"}),
                &lasso_ai::RequestOptions::new().extra_body("x", serde_json::json!(1)),
            )
            .await,
    );
    assert_eq!(e.code(), "configuration");
    let e = expect_err(
        client
            .call(
                "tables.get",
                serde_json::json!({"table_id": "t"}),
                &lasso_ai::RequestOptions::new().header("Authorization", "Bearer x"),
            )
            .await,
    );
    assert!(e.to_string().contains("a per-request header"), "{e}");
    assert_eq!(server.count(), 2);
}
