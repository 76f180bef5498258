//! Proxies and TLS, for real: a CONNECT proxy and an HTTPS server with a CA
//! generated for the test, all on loopback. The key never travels in clear
//! to another process: a proxy only ever tunnels TLS.
//!
//! The proxy variables are process-wide, so these tests take turns.

mod common;
#[path = "common/tls.rs"]
mod tls;

use std::time::Duration;

use common::*;
use lasso_ai::{CaBundle, Client, ClientBuilder, Error};
use lasso_spec::environment::PROXY_VARIABLES;
use tls::{ConnectProxy, TestCa, TlsServer};

static ENV: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Sets the proxy variables (all others cleared) for one test.
fn proxy_env(vars: &[(&str, &str)]) {
    for name in PROXY_VARIABLES {
        std::env::remove_var(name);
    }
    for (name, value) in vars {
        std::env::set_var(name, value);
    }
}

fn https_client(server: &TlsServer, ca: &TestCa) -> ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .ca_bundle(CaBundle::Pem(ca.pem.clone()))
        .timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(2))
}

/// Whether `bytes` hold the key, or any 8 characters of its secret part, in clear.
fn holds_the_key(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
    let secret = KEY["lasso_".len()..].to_ascii_lowercase();
    text.contains("bearer") || (0..=secret.len() - 8).any(|i| text.contains(&secret[i..i + 8]))
}

#[tokio::test]
async fn an_environment_proxy_is_never_used_for_a_loopback_http_base_url() {
    let _turn = ENV.lock().await;
    let trap = ConnectProxy::start(None).await;
    let url = trap.url();
    proxy_env(&[
        ("HTTP_PROXY", &url),
        ("http_proxy", &url),
        ("HTTPS_PROXY", &url),
        ("ALL_PROXY", &url),
    ]);
    let server = TestServer::start([balance_ok()]).await;
    expect_ok(client(&server).credits().balance().await);
    assert_eq!(server.single().all("authorization"), [format!("Bearer {KEY}")]);
    let log = trap.log.lock().unwrap();
    assert!(log.lines.is_empty(), "the proxy saw {:?}", log.lines);
    assert!(!holds_the_key(&log.tunnelled));
}

#[tokio::test]
async fn an_environment_https_proxy_tunnels_tls_end_to_end() {
    let _turn = ENV.lock().await;
    let ca = TestCa::new();
    let server = TlsServer::start(&ca).await;
    for var in ["HTTPS_PROXY", "https_proxy", "ALL_PROXY"] {
        let proxy = ConnectProxy::start(None).await;
        proxy_env(&[(var, &proxy.url())]);
        let balance = expect_ok(
            https_client(&server, &ca)
                .build()
                .unwrap()
                .credits()
                .balance()
                .await,
        );
        assert_eq!(balance.balance, 42.5);
        let log = proxy.log.lock().unwrap();
        assert_eq!(
            log.lines,
            [format!("CONNECT localhost:{} HTTP/1.1", server.addr.port())],
            "{var}"
        );
        assert!(
            !holds_the_key(&log.tunnelled),
            "{var}: the proxy saw the key in clear"
        );
    }
    let requests = server.requests.lock().unwrap().clone();
    assert_eq!(requests, vec!["GET /api/v1/credits/balance true"; 3]);
}

#[tokio::test]
async fn no_proxy_and_the_no_proxy_option_send_requests_direct() {
    let _turn = ENV.lock().await;
    let ca = TestCa::new();
    let server = TlsServer::start(&ca).await;
    let proxy = ConnectProxy::start(None).await;
    proxy_env(&[
        ("HTTPS_PROXY", &proxy.url()),
        ("NO_PROXY", "example.com, localhost"),
    ]);
    expect_ok(
        https_client(&server, &ca)
            .build()
            .unwrap()
            .credits()
            .balance()
            .await,
    );
    proxy_env(&[("HTTPS_PROXY", &proxy.url())]);
    expect_ok(
        https_client(&server, &ca)
            .no_proxy()
            .build()
            .unwrap()
            .credits()
            .balance()
            .await,
    );
    assert!(proxy.log.lock().unwrap().lines.is_empty());
    assert_eq!(server.requests.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn an_explicit_proxy_carries_its_credentials_and_a_407_is_not_retried() {
    let _turn = ENV.lock().await;
    proxy_env(&[]);
    let ca = TestCa::new();
    let server = TlsServer::start(&ca).await;
    // "user:pw" in Basic form.
    let proxy = ConnectProxy::start(Some("Basic dXNlcjpwdw==")).await;
    let with_auth = format!("http://user:pw@{}", proxy.addr);
    expect_ok(
        https_client(&server, &ca)
            .proxy(&with_auth)
            .build()
            .unwrap()
            .credits()
            .balance()
            .await,
    );
    assert_eq!(
        proxy.log.lock().unwrap().auth,
        [Some("Basic dXNlcjpwdw==".to_owned())]
    );

    let e = expect_err(
        https_client(&server, &ca)
            .proxy(proxy.url())
            .build()
            .unwrap()
            .credits()
            .balance()
            .await,
    );
    assert_eq!(e.code(), "connection", "{e}");
    assert!(e.to_string().contains("407"), "{e}");
    assert_eq!(proxy.log.lock().unwrap().lines.len(), 2, "a 407 is not retried");
    let shown = format!("{e} {e:?} {:?}", https_client(&server, &ca).proxy(&with_auth));
    assert!(!shown.contains(":pw@"), "the proxy password is shown: {shown}");
}

#[tokio::test]
async fn a_proxy_for_a_plain_http_base_url_is_refused() {
    let _turn = ENV.lock().await;
    proxy_env(&[]);
    let server = TestServer::start([]).await;
    let e = builder(&server)
        .proxy("http://127.0.0.1:3128")
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::Configuration { .. }), "{e:?}");
    assert!(e.to_string().contains("in clear"), "{e}");
    for bad in [
        "socks5://127.0.0.1:1080",
        "https://proxy:443",
        "http://proxy:3128/path",
    ] {
        let e = Client::builder().api_key(KEY).proxy(bad).build().unwrap_err();
        assert!(matches!(e, Error::Configuration { .. }), "{bad}: {e:?}");
    }
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_clear_error_that_is_not_retried() {
    let _turn = ENV.lock().await;
    proxy_env(&[]);
    let ca = TestCa::new();
    let server = TlsServer::start(&ca).await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let e = expect_err(client.credits().balance().await);
    assert_eq!(e.code(), "connection", "{e}");
    let text = e.to_string();
    assert!(
        text.contains("certificate") && text.contains("ca_bundle"),
        "{text}"
    );
    assert_eq!(
        *server.handshakes.lock().unwrap(),
        1,
        "a certificate error is not retried"
    );
    assert!(server.requests.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_ca_bundle_is_a_pem_file_or_pem_text() {
    let _turn = ENV.lock().await;
    proxy_env(&[]);
    let ca = TestCa::new();
    let server = TlsServer::start(&ca).await;
    let file = std::env::temp_dir().join(format!("lasso-test-ca-{}.pem", server.addr.port()));
    std::fs::write(&file, &ca.pem).unwrap();
    for bundle in [
        CaBundle::from_text_or_path(file.to_str().unwrap()),
        CaBundle::from_text_or_path(&ca.pem),
    ] {
        let client = Client::builder()
            .api_key(KEY)
            .base_url(server.url())
            .ca_bundle(bundle)
            .build()
            .unwrap();
        expect_ok(client.credits().balance().await);
    }
    // Unreadable or empty bundles fail when the client is built.
    for bad in [
        CaBundle::Path(std::env::temp_dir().join("no-such-lasso-bundle.pem")),
        CaBundle::Pem("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n".into()),
        CaBundle::Pem("no certificate here".into()),
    ] {
        let e = Client::builder()
            .api_key(KEY)
            .ca_bundle(bad.clone())
            .build()
            .unwrap_err();
        assert!(matches!(e, Error::Configuration { .. }), "{bad:?}: {e:?}");
        assert!(e.to_string().contains("ca_bundle"), "{e}");
    }
    std::fs::remove_file(file).unwrap();
}
