//! Client configuration refused before any network call: the base URL rule
//! (no key over plain HTTP off loopback), timeouts and extra headers.

mod common;

use lasso_ai::__bindings::ClientExt;
use std::time::Duration;

use common::*;
use lasso_ai::{Client, Error, RequestOptions, DEFAULT_BASE_URL};

fn config_error(result: Result<Client, Error>) -> Error {
    let e = expect_err(result);
    assert_eq!(e.code(), "configuration", "{e:?}");
    assert!(matches!(e, Error::Configuration { .. }));
    e
}

#[tokio::test]
async fn plain_http_off_loopback_is_refused_before_any_network_call() {
    for url in [
        "http://example.com/api/v1",
        "http://10.0.0.1/api/v1",
        "HTTP://Example.com/api/v1",
    ] {
        let e = config_error(Client::builder().api_key(KEY).base_url(url).build());
        assert!(e.message().contains("unencrypted"), "{url}: {e}");
        assert!(
            e.message().to_lowercase().contains("http://example.com") || url.contains("10.0.0.1"),
            "{e}"
        );
    }
    for url in [
        "ftp://files.example.com/",
        "not a url",
        "https://hub.example.com/api?x=1",
        "https://h/api#f",
    ] {
        config_error(Client::builder().api_key(KEY).base_url(url).build());
    }
}

#[tokio::test]
async fn loopback_and_https_base_urls_are_accepted() {
    for (url, kept) in [
        ("https://hub.banditshq.com/api/v1/", DEFAULT_BASE_URL),
        ("  http://127.0.0.1:8080/api/v1  ", "http://127.0.0.1:8080/api/v1"),
        ("http://localhost:3000", "http://localhost:3000"),
        ("http://[::1]:9/api/v1", "http://[::1]:9/api/v1"),
    ] {
        let client = Client::builder().api_key(KEY).base_url(url).build().unwrap();
        assert_eq!(client.base_url(), kept);
    }
    assert_eq!(Client::new(KEY).unwrap().base_url(), DEFAULT_BASE_URL);
}

#[tokio::test]
async fn a_base_url_with_credentials_is_refused_without_echoing_them() {
    let e = config_error(
        Client::builder()
            .api_key(KEY)
            .base_url("https://me:hunter2secret@hub.example.com/api")
            .build(),
    );
    assert!(!e.to_string().contains("hunter2secret"), "{e}");
    assert!(!format!("{e:?}").contains("hunter2secret"), "{e:?}");
    assert!(e.message().contains("https://hub.example.com/api"), "{e}");
}

#[tokio::test]
async fn a_key_given_as_the_base_url_is_not_echoed() {
    // Arguments swapped by mistake (or LASSO_BASE_URL set to the key): the
    // error must say what is wrong without printing the key.
    let e = config_error(Client::builder().api_key(KEY).base_url(KEY).build());
    assert!(e.message().contains("API key"), "{e}");
    let e = config_error(
        Client::builder()
            .api_key(KEY)
            .base_url(format!("{KEY}\n"))
            .build(),
    );
    assert!(e.message().contains("API key"), "{e}");
}

#[tokio::test]
async fn zero_durations_and_bad_headers_are_refused() {
    let server = TestServer::start([]).await;
    let e = config_error(builder(&server).timeout(Duration::ZERO).build());
    assert!(e.message().contains("timeout must be greater than zero"), "{e}");
    let e = config_error(builder(&server).connect_timeout(Duration::ZERO).build());
    assert!(e.message().contains("connect_timeout"), "{e}");

    let e = config_error(builder(&server).header("Authorization", "Bearer other").build());
    assert!(e.message().contains("Authorization"), "{e}");
    config_error(builder(&server).header("bad name", "x").build());
    config_error(builder(&server).header("X-Ok", "line\nbreak").build());
    config_error(builder(&server).user_agent_suffix("app/1\u{7f}").build());

    let e = config_error(Err(
        lasso_ai::__bindings::duration_from_secs("timeout", -1.0).unwrap_err()
    ));
    assert!(e.message().contains("positive"), "{e}");
    assert_eq!(
        lasso_ai::__bindings::duration_from_millis("timeout", 250.0).unwrap(),
        Duration::from_millis(250)
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn a_per_request_authorization_header_is_refused() {
    // The key is the client's; a per-request Authorization would send two.
    let server = TestServer::start([balance_ok()]).await;
    let client = client(&server);
    let options = RequestOptions::new().header("authorization", "Bearer other");

    let e = expect_err(
        client
            .call("credits.balance", serde_json::Value::Null, &options)
            .await,
    );
    assert_eq!(e.code(), "configuration", "{e:?}");
    assert!(e.message().contains("Authorization"), "{e}");
    let e = expect_err(client.with_options(options).credits().balance().await);
    assert_eq!(e.code(), "configuration", "{e:?}");
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn per_request_headers_replace_the_clients_headers_of_the_same_name() {
    let server = TestServer::start([balance_ok(), balance_ok()]).await;
    let client = builder(&server).header("X-Team", "catalog").build().unwrap();
    let options = RequestOptions::new()
        .header("accept", "text/csv")
        .header("x-team", "pricing");

    expect_ok(
        client
            .call("credits.balance", serde_json::Value::Null, &options)
            .await,
    );
    // A derived client's header, overridden again by the call's.
    let call = RequestOptions::new().header("x-team", "search");
    expect_ok(
        client
            .with_options(options)
            .call("credits.balance", serde_json::Value::Null, &call)
            .await,
    );

    let requests = server.requests();
    assert_eq!(requests[0].all("accept"), ["text/csv"]);
    assert_eq!(requests[0].all("x-team"), ["pricing"]);
    assert_eq!(requests[1].all("accept"), ["text/csv"]);
    assert_eq!(requests[1].all("x-team"), ["search"]);
    for r in &requests {
        assert_eq!(r.all("authorization"), [format!("Bearer {KEY}")]);
    }
}
