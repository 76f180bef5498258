//! Redirects: the key goes to the origin it was given for and never over
//! plain HTTP off loopback. Only loopback is ever contacted.

mod common;

use common::*;
use http::Method;
use lasso_ai::__bindings::ClientExt;
use lasso_ai::{Error, RequestOptions};
use serde_json::json;

#[tokio::test]
async fn a_cross_origin_redirect_drops_the_authorization_header() {
    for status in [301, 302, 303, 307, 308] {
        let b = TestServer::start([balance_ok()]).await;
        let a = TestServer::start([Behaviour::redirect(
            status,
            &format!("{}/credits/balance", b.url()),
        )])
        .await;
        let client = client(&a);

        let balance = expect_ok(client.credits().balance().await);
        assert_eq!(balance.balance, 42.5);

        let first = a.single();
        assert_eq!(first.all("authorization"), [format!("Bearer {KEY}")]);
        let second = b.single();
        assert_eq!(second.target, "/api/v1/credits/balance");
        assert_eq!(
            second.all("authorization"),
            Vec::<&str>::new(),
            "{status}: B got the key: {second:#?}"
        );
        assert!(
            second.headers.iter().all(|(_, v)| !v.contains(&KEY[6..])),
            "{status}: {second:#?}"
        );
        assert_eq!(second.all("accept"), ["application/json"]);
    }
}

#[tokio::test]
async fn a_cross_origin_307_keeps_the_post_body_but_not_the_key() {
    let b = TestServer::start([Behaviour::json(200, json!({"ok": true}))]).await;
    let a = TestServer::start([Behaviour::redirect(307, &format!("{}/search", b.url()))]).await;
    let body = json!({"query": "boots"});
    expect_ok(
        client(&a)
            .raw_request(
                Method::POST,
                "/search",
                Some(body.clone()),
                &RequestOptions::new(),
            )
            .await,
    );

    let second = b.single();
    assert_eq!(second.method, "POST");
    assert_eq!(second.json(), body);
    assert!(second.header("authorization").is_none(), "{second:#?}");
}

#[tokio::test]
async fn a_same_origin_redirect_keeps_the_authorization_header() {
    let a = TestServer::start([]).await;
    // Relative, then absolute to the same origin.
    a.push(Behaviour::redirect(302, "/api/v1/credits/balance-v2"));
    a.push(Behaviour::redirect(
        307,
        &format!("{}/credits/balance-v3", a.url()),
    ));
    a.push(balance_ok());

    expect_ok(client(&a).credits().balance().await);

    let requests = a.requests();
    let targets: Vec<_> = requests.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "/api/v1/credits/balance",
            "/api/v1/credits/balance-v2",
            "/api/v1/credits/balance-v3"
        ]
    );
    for r in &requests {
        assert_eq!(r.all("authorization"), [format!("Bearer {KEY}")], "{r:#?}");
    }
}

#[tokio::test]
async fn a_redirect_to_plain_http_off_loopback_is_refused_without_following_it() {
    for location in [
        "http://example.invalid/api/v1/credits/balance",
        "http://example.invalid:8080/steal",
    ] {
        let a = TestServer::start([Behaviour::redirect(302, location), balance_ok()]).await;
        let e = expect_err(client(&a).credits().balance().await);

        assert_eq!(e.code(), "connection", "{e:?}");
        assert!(matches!(e, Error::Connection { not_sent: false, .. }), "{e:?}");
        assert!(
            e.message()
                .contains("refused a redirect (302) to http://example.invalid"),
            "{location}: {e}"
        );
        assert!(e.message().contains("plain HTTP"), "{e}");
        assert_eq!(a.count(), 1, "a refused redirect is not retried");
    }
}

#[tokio::test]
async fn redirect_loops_stop_after_five_hops() {
    let a = TestServer::start([]).await;
    for _ in 0..10 {
        a.push(Behaviour::redirect(302, "/api/v1/credits/balance"));
    }
    let e = expect_err(client(&a).credits().balance().await);
    assert_eq!(e.code(), "connection", "{e:?}");
    assert!(e.message().contains("too many redirects"), "{e}");
    assert_eq!(a.count(), 6, "the request and five redirects, then no retry");
}
