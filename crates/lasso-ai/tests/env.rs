//! `Client::from_env()`: LASSO_API_KEY and LASSO_BASE_URL.
//!
//! Environment variables are process-global, so this binary holds a single
//! test that sets them one step at a time, on a current-thread runtime
//! (no other thread reads the environment meanwhile).

mod common;

use common::*;
use lasso_ai::{Client, ClientBuilder, Error, DEFAULT_BASE_URL, ENV_API_KEY, ENV_BASE_URL};

fn set(name: &str, value: Option<&str>) {
    match value {
        Some(v) => std::env::set_var(name, v),
        None => std::env::remove_var(name),
    }
}

fn key_rule(result: Result<Client, Error>) -> &'static str {
    match result.map_err(checked) {
        Err(Error::InvalidApiKey { rule, .. }) => rule,
        other => panic!("expected an invalid key, got {other:?}"),
    }
}

#[test]
fn from_env_reads_the_key_and_the_base_url() {
    assert_eq!((ENV_API_KEY, ENV_BASE_URL), ("LASSO_API_KEY", "LASSO_BASE_URL"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(TestServer::start([balance_ok()]));

    // Nothing set: the key is missing.
    set(ENV_API_KEY, None);
    set(ENV_BASE_URL, None);
    assert_eq!(key_rule(Client::from_env()), "missing");
    set(ENV_API_KEY, Some(""));
    assert_eq!(key_rule(Client::from_env()), "empty");
    set(ENV_API_KEY, Some("lasso_tooShort"));
    assert_eq!(key_rule(Client::from_env()), "length");

    // The key (with the newline a file often leaves) and the base URL.
    set(ENV_API_KEY, Some(&format!("{KEY}\n")));
    set(ENV_BASE_URL, Some(&server.url()));
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url(), server.url());
    assert_secret_free(&format!("{client:?}"));
    let balance = runtime
        .block_on(std::future::IntoFuture::into_future(client.credits().balance()))
        .map_err(checked)
        .unwrap();
    assert_eq!(balance.balance, 42.5);
    let r = server.single();
    assert_eq!(r.all("authorization"), [format!("Bearer {KEY}")]);
    assert_eq!(r.target, "/api/v1/credits/balance");

    // No base URL, or a blank one: the default.
    set(ENV_BASE_URL, None);
    assert_eq!(Client::from_env().unwrap().base_url(), DEFAULT_BASE_URL);
    set(ENV_BASE_URL, Some("   "));
    assert_eq!(Client::from_env().unwrap().base_url(), DEFAULT_BASE_URL);

    // The base URL rule applies to the environment too.
    set(ENV_BASE_URL, Some("http://example.com/api/v1"));
    let e = checked(Client::from_env().unwrap_err());
    assert_eq!(e.code(), "configuration");
    assert!(e.message().contains("unencrypted"), "{e}");

    // `Client::new(key)` reads LASSO_BASE_URL like every front door (a test
    // pointing it at an emulator never reaches production from Rust).
    set(ENV_BASE_URL, Some(&server.url()));
    assert_eq!(Client::new(KEY).unwrap().base_url(), server.url());
    set(ENV_BASE_URL, None);
    assert_eq!(Client::new(KEY).unwrap().base_url(), DEFAULT_BASE_URL);

    // Explicit settings win over the environment; `builder()` reads nothing.
    let client = ClientBuilder::from_env().base_url(server.url()).build().unwrap();
    assert_eq!(client.base_url(), server.url());
    assert_eq!(key_rule(Client::builder().build()), "missing");

    set(ENV_API_KEY, None);
    set(ENV_BASE_URL, None);
    assert_eq!(server.count(), 1);
}
