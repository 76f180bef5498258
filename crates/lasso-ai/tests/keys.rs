//! The API key end to end: validation before any network call, trimming,
//! the non-standard key option, and that no output ever reveals a key.

mod common;

use common::*;
use lasso_ai::{Client, Error, RequestOptions};

/// Builds a client of `server` with `key` (or none) and returns the error,
/// checking that no request reached the server.
async fn refused(server: &TestServer, key: Option<&str>, lenient: bool) -> (&'static str, Error) {
    let mut b = Client::builder()
        .base_url(server.url())
        .allow_nonstandard_key(lenient);
    if let Some(key) = key {
        b = b.api_key(key);
    }
    let e = match b.build() {
        Ok(client) => panic!("key {key:?} accepted: {client:?}"),
        Err(e) => checked(e),
    };
    assert_eq!(e.code(), "invalid_api_key", "{e:?}");
    assert_eq!(e.status(), None);
    let rule = match &e {
        Error::InvalidApiKey { rule, .. } => *rule,
        other => panic!("{other:?}"),
    };
    assert_eq!(server.count(), 0, "no request may reach the server");
    (rule, e)
}

#[tokio::test]
async fn surrounding_white_space_and_a_trailing_newline_are_trimmed() {
    let server = TestServer::start([balance_ok(), balance_ok()]).await;
    for raw in [format!("{KEY}\n"), format!("  {KEY}\r\n")] {
        let client = Client::builder()
            .api_key(raw)
            .base_url(server.url())
            .build()
            .unwrap();
        expect_ok(client.credits().balance().await);
    }
    for r in server.requests() {
        assert_eq!(r.all("authorization"), [format!("Bearer {KEY}")]);
    }
}

#[tokio::test]
async fn malformed_keys_are_refused_before_any_request() {
    let server = TestServer::start([]).await;
    let hex = &KEY[6..];
    let short = secret(&KEY[..40]);
    let no_prefix = secret(&format!("sk_{hex}"));
    let non_ascii = secret(&format!("{}é", &KEY[..69]));
    let non_hex = secret(&format!("{}zz", &KEY[..68]));
    let inner_space = secret(&format!("{} {}", &KEY[..30], &KEY[31..]));

    let cases: [(Option<&str>, &str); 8] = [
        (Some(&short), "length"),
        (Some(&no_prefix), "prefix"),
        (Some(&non_ascii), "characters"),
        (Some(&non_hex), "characters"),
        (Some(&inner_space), "characters"),
        (Some(""), "empty"),
        (Some(" \n\t"), "empty"),
        (None, "missing"),
    ];
    for (key, expected) in cases {
        let (rule, e) = refused(&server, key, false).await;
        assert_eq!(rule, expected, "{key:?}: {e}");
    }
    let (_, e) = refused(&server, Some(&short), false).await;
    assert!(e.message().contains("40 characters long"), "{e}");
    assert!(e.message().contains("non-standard key option"), "{e}");
    let (_, e) = refused(&server, None, false).await;
    assert!(e.message().contains("LASSO_API_KEY"), "{e}");

    // Client::new applies the same rules.
    let e = checked(Client::new(short.as_str()).unwrap_err());
    assert_eq!(e.code(), "invalid_api_key");
}

#[tokio::test]
async fn nonstandard_keys_are_accepted_on_request_only() {
    let server = TestServer::start([balance_ok()]).await;
    let short = secret("lasso_Zx9-newFormat_2027");

    let (rule, _) = refused(&server, Some(&short), false).await;
    assert_eq!(rule, "length");

    let client = Client::builder()
        .api_key(&short)
        .base_url(server.url())
        .allow_nonstandard_key(true)
        .build()
        .unwrap();
    assert_secret_free(&format!("{client:?}"));
    expect_ok(client.credits().balance().await);
    assert_eq!(server.single().all("authorization"), [format!("Bearer {short}")]);

    // Still refused with the option: empty, control characters, no prefix.
    let server = TestServer::start([]).await;
    let bell = secret(&format!("{}\u{7}{}", &KEY[..30], &KEY[31..]));
    let newline_inside = secret(&format!("{}\n{}", &KEY[..30], &KEY[31..]));
    for (key, expected) in [
        ("", "empty"),
        ("  ", "empty"),
        (bell.as_str(), "characters"),
        (newline_inside.as_str(), "characters"),
        ("lasso_ café", "characters"),
        ("nope_abcdef0123456789", "prefix"),
    ] {
        let (rule, e) = refused(&server, Some(key), true).await;
        assert_eq!(rule, expected, "{key:?}: {e}");
    }
}

#[tokio::test]
async fn the_client_and_its_builder_never_show_the_key() {
    let server = TestServer::start([]).await;
    let b = builder(&server);
    let shown = format!("{b:?}");
    assert_secret_free(&shown);
    assert!(shown.contains("<set>"), "{shown}");

    let client = b.build().unwrap();
    let tail = &KEY[KEY.len() - 4..];
    for shown in [format!("{client:?}"), format!("{client:#?}"), client.masked_key()] {
        assert_secret_free(&shown);
        assert!(shown.contains(&format!("lasso_…{tail}")), "{shown}");
    }
    let derived = client.with_options(RequestOptions::new().max_retries(7));
    let shown = format!("{derived:?}");
    assert_secret_free(&shown);
    assert!(shown.contains("max_retries: 7"), "{shown}");
}

#[tokio::test]
async fn an_authentication_error_does_not_show_the_key() {
    // Every test's errors go through `checked`; this is the error a wrong
    // key gets, the likeliest one to be logged next to it.
    let server = TestServer::start([Behaviour::envelope(
        401,
        "unauthenticated",
        "Invalid API key",
        "req_k",
    )])
    .await;
    let client = builder(&server).max_retries(0).build().unwrap();
    let e = expect_err(client.credits().balance().await);
    assert_eq!(e.code(), "unauthenticated");
    assert_eq!(e.message(), "Invalid API key");
    assert_eq!(server.single().all("authorization"), [format!("Bearer {KEY}")]);
}
