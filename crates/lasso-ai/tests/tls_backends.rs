//! Both TLS backends over real handshakes on loopback. A client connects with
//! the library it was built with (told apart by its ClientHello: OpenSSL
//! offers CBC suites, rustls has none), trusts a CA bundle, refuses an
//! unknown CA once with a clear error, and tunnels through a CONNECT proxy.
//! `./just test` runs this file with both backends compiled, and `./just
//! dependents` with native-tls alone (tests/dependents/native-tls, which runs
//! `proxies.rs` on it too).

mod common;
#[path = "common/tls.rs"]
mod tls;

use std::time::Duration;

use common::*;
use lasso_ai::{CaBundle, Client, ClientBuilder, Error, TlsBackend};
use tls::{compiled_backends, ConnectProxy, TestCa, TlsServer};

fn client(server: &TlsServer) -> ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .no_proxy()
        .timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(2))
}

#[tokio::test]
async fn each_backend_connects_with_its_own_library_and_trusts_a_ca_bundle() {
    for backend in compiled_backends() {
        let ca = TestCa::new();
        let server = TlsServer::start(&ca).await;
        let c = client(&server)
            .tls_backend(backend)
            .ca_bundle(CaBundle::Pem(ca.pem.clone()))
            .build()
            .unwrap();
        assert_eq!(
            expect_ok(c.credits().balance().await).balance,
            42.5,
            "{backend:?}"
        );
        assert_eq!(
            *server.offered_cbc.lock().unwrap(),
            [backend == TlsBackend::NativeTls],
            "{backend:?} made the handshake"
        );
        assert_eq!(
            *server.requests.lock().unwrap(),
            ["GET /api/v1/credits/balance true"],
            "{backend:?}"
        );
    }
}

#[tokio::test]
async fn the_default_backend_is_rustls_when_compiled_else_native_tls() {
    let ca = TestCa::new();
    let server = TlsServer::start(&ca).await;
    let c = client(&server)
        .ca_bundle(CaBundle::Pem(ca.pem.clone()))
        .build()
        .unwrap();
    expect_ok(c.credits().balance().await);
    assert_eq!(*server.offered_cbc.lock().unwrap(), [!cfg!(feature = "rustls")]);
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused_once_with_a_clear_error() {
    for backend in compiled_backends() {
        let ca = TestCa::new();
        let server = TlsServer::start(&ca).await;
        let c = client(&server).tls_backend(backend).build().unwrap();
        let e = expect_err(c.credits().balance().await);
        let text = e.to_string();
        assert_eq!(e.code(), "connection", "{backend:?}: {text}");
        assert!(text.contains("TLS failed"), "{backend:?}: {text}");
        assert!(text.contains("certificate"), "{backend:?}: {text}");
        assert!(text.contains("ca_bundle"), "{backend:?}: {text}");
        assert_eq!(*server.handshakes.lock().unwrap(), 1, "{backend:?}: not retried");
        assert!(server.requests.lock().unwrap().is_empty(), "{backend:?}");
    }
}

#[tokio::test]
async fn each_backend_tunnels_tls_end_to_end_through_a_proxy() {
    for backend in compiled_backends() {
        let ca = TestCa::new();
        let server = TlsServer::start(&ca).await;
        let proxy = ConnectProxy::start(None).await;
        let c = client(&server)
            .tls_backend(backend)
            .ca_bundle(CaBundle::Pem(ca.pem.clone()))
            .proxy(proxy.url())
            .build()
            .unwrap();
        expect_ok(c.credits().balance().await);
        let log = proxy.log.lock().unwrap();
        assert_eq!(
            log.lines,
            [format!("CONNECT localhost:{} HTTP/1.1", server.addr.port())],
            "{backend:?}"
        );
        let tunnelled = String::from_utf8_lossy(&log.tunnelled).to_ascii_lowercase();
        assert!(
            !tunnelled.contains("bearer"),
            "{backend:?}: the proxy saw the key"
        );
        assert_eq!(
            *server.offered_cbc.lock().unwrap(),
            [backend == TlsBackend::NativeTls],
            "{backend:?}"
        );
    }
}

#[tokio::test]
async fn a_bad_ca_bundle_fails_when_the_client_is_built_on_every_backend() {
    for backend in compiled_backends() {
        for bad in [
            CaBundle::Pem("no certificate here".into()),
            CaBundle::Path(std::env::temp_dir().join("no-such-lasso-bundle.pem")),
        ] {
            let e = Client::builder()
                .api_key(KEY)
                .tls_backend(backend)
                .ca_bundle(bad.clone())
                .build()
                .unwrap_err();
            assert!(
                matches!(e, Error::Configuration { .. }),
                "{backend:?} {bad:?}: {e:?}"
            );
            assert!(e.to_string().contains("ca_bundle"), "{e}");
        }
    }
}

#[cfg(not(all(feature = "rustls", feature = "native-tls")))]
#[test]
fn a_backend_that_is_not_compiled_is_a_configuration_error_naming_its_feature() {
    let (missing, feature) = if cfg!(feature = "rustls") {
        (TlsBackend::NativeTls, "`native-tls`")
    } else {
        (TlsBackend::Rustls, "`rustls`")
    };
    let e = Client::builder()
        .api_key(KEY)
        .tls_backend(missing)
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::Configuration { .. }), "{e:?}");
    assert!(e.to_string().contains(feature), "{e}");
}
