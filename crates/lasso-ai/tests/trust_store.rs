//! The system's trust store is read once per process, on the first `https`
//! handshake, and a failure to read it says why. Its own test binary: the
//! store is process-wide, and `SSL_CERT_FILE` / `SSL_CERT_DIR` steer it.

mod common;
#[path = "common/tls.rs"]
mod tls;

use common::*;
use lasso_ai::Client;
use tls::{TestCa, TlsServer};

#[tokio::test]
async fn the_trust_store_is_read_once_on_first_https_use_and_its_errors_are_reported() {
    let missing = std::env::temp_dir().join("lasso-no-such-dir/ca.pem");
    std::env::set_var("SSL_CERT_FILE", &missing);
    std::env::set_var("SSL_CERT_DIR", std::env::temp_dir().join("lasso-no-such-dir"));

    // A loopback http:// client never touches the store: building and using
    // it works although the store cannot be read.
    let server = TestServer::start([balance_ok()]).await;
    expect_ok(client(&server).credits().balance().await);

    // The first https request reads it, and says why it failed.
    let ca = TestCa::new();
    let tls_server = TlsServer::start(&ca).await;
    let https = Client::builder()
        .api_key(KEY)
        .base_url(tls_server.url())
        .build()
        .unwrap();
    let e = expect_err(https.credits().balance().await);
    let text = e.to_string();
    assert_eq!(e.code(), "connection", "{text}");
    assert!(
        text.contains("cannot load the system's trusted certificates"),
        "{text}"
    );
    assert!(
        text.contains("lasso-no-such-dir") || text.contains("No such file"),
        "{text}"
    );
    assert_eq!(*tls_server.handshakes.lock().unwrap(), 1, "not retried");

    // Read once per process: pointing SSL_CERT_FILE at the test CA now
    // changes nothing for new clients...
    let file = std::env::temp_dir().join(format!("lasso-trust-{}.pem", tls_server.addr.port()));
    std::fs::write(&file, &ca.pem).unwrap();
    std::env::set_var("SSL_CERT_FILE", &file);
    for _ in 0..20 {
        let https = Client::builder()
            .api_key(KEY)
            .base_url(tls_server.url())
            .build()
            .unwrap();
        let e = expect_err(https.credits().balance().await);
        assert!(
            e.to_string()
                .contains("cannot load the system's trusted certificates"),
            "{e}"
        );
    }
    // ...while a client's own ca_bundle is added to what the process loaded.
    let https = Client::builder()
        .api_key(KEY)
        .base_url(tls_server.url())
        .ca_bundle(lasso_ai::CaBundle::Path(file.clone()))
        .build()
        .unwrap();
    expect_ok(https.credits().balance().await);
    std::fs::remove_file(file).unwrap();
}
