//! Each backend trusts the system's store, which `SSL_CERT_FILE` replaces on
//! Linux: a client without a CA bundle trusts a server whose CA is only
//! there. Its own test binary, because the store is read once per process
//! and the variable must be set before any client reads it.

mod common;
#[path = "common/tls.rs"]
mod tls;

use common::*;
use lasso_ai::{Client, TlsBackend};
use tls::{compiled_backends, TestCa, TlsServer};

#[tokio::test]
async fn every_backend_trusts_the_certificates_ssl_cert_file_names() {
    let ca = TestCa::new();
    let server = TlsServer::start(&ca).await;
    let file = std::env::temp_dir().join(format!("lasso-system-trust-{}.pem", server.addr.port()));
    std::fs::write(&file, &ca.pem).unwrap();
    std::env::set_var("SSL_CERT_FILE", &file);
    std::env::remove_var("SSL_CERT_DIR");

    let backends = compiled_backends();
    for backend in &backends {
        let c = Client::builder()
            .api_key(KEY)
            .base_url(server.url())
            .no_proxy()
            .tls_backend(*backend)
            .build()
            .unwrap();
        expect_ok(c.credits().balance().await);
    }
    let expected: Vec<bool> = backends.iter().map(|b| *b == TlsBackend::NativeTls).collect();
    assert_eq!(*server.offered_cbc.lock().unwrap(), expected);
    std::fs::remove_file(file).unwrap();
}
