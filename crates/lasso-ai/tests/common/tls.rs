//! A certificate authority generated for the test, an HTTPS server on
//! loopback with a certificate it signed, and an HTTP CONNECT proxy that
//! records what passes through it.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_rustls::rustls;

/// The TLS backends this build has, rustls first.
pub fn compiled_backends() -> Vec<lasso_ai::TlsBackend> {
    let backends: Vec<_> = [
        (lasso_ai::TlsBackend::Rustls, cfg!(feature = "rustls")),
        (lasso_ai::TlsBackend::NativeTls, cfg!(feature = "native-tls")),
    ]
    .into_iter()
    .filter_map(|(backend, compiled)| compiled.then_some(backend))
    .collect();
    assert!(
        !backends.is_empty(),
        "the test crate declares no TLS backend feature"
    );
    backends
}

/// A CA for `localhost` and `127.0.0.1`, and the server certificate it signed.
pub struct TestCa {
    /// The CA certificate, PEM.
    pub pem: String,
    server: Arc<rustls::ServerConfig>,
}

impl TestCa {
    pub fn new() -> TestCa {
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "Lasso SDK test CA");
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::DigitalSignature];
        let issuer = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();

        let leaf_key = KeyPair::generate().unwrap();
        let mut leaf = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
        leaf.distinguished_name.push(DnType::CommonName, "localhost");
        let leaf_cert = leaf.signed_by(&leaf_key, &issuer).unwrap();

        let key = rustls::pki_types::PrivateKeyDer::try_from(leaf_key.serialize_der()).unwrap();
        let server =
            rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(vec![leaf_cert.der().clone(), issuer.der().clone()], key)
                .unwrap();
        TestCa {
            pem: issuer.pem(),
            server: Arc::new(server),
        }
    }
}

/// An HTTPS server answering every request with the credit balance, and
/// counting TLS handshakes and requests (with their `Authorization`).
pub struct TlsServer {
    pub addr: SocketAddr,
    pub handshakes: Arc<Mutex<usize>>,
    /// Per ClientHello, whether it offered CBC cipher suites: OpenSSL's
    /// defaults do, rustls supports none, so it tells the backends apart.
    pub offered_cbc: Arc<Mutex<Vec<bool>>>,
    /// `METHOD target authorization-present` per request.
    pub requests: Arc<Mutex<Vec<String>>>,
    task: JoinHandle<()>,
}

impl TlsServer {
    pub async fn start(ca: &TestCa) -> TlsServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let config = ca.server.clone();
        let handshakes = Arc::new(Mutex::new(0));
        let offered_cbc = Arc::new(Mutex::new(Vec::new()));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (h, c, r) = (handshakes.clone(), offered_cbc.clone(), requests.clone());
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (config, h, c, r) = (config.clone(), h.clone(), c.clone(), r.clone());
                tokio::spawn(async move {
                    *h.lock().unwrap() += 1;
                    let acceptor = rustls::server::Acceptor::default();
                    let Ok(start) = tokio_rustls::LazyConfigAcceptor::new(acceptor, tcp).await else {
                        return;
                    };
                    let cbc = start
                        .client_hello()
                        .cipher_suites()
                        .iter()
                        .any(|s| format!("{s:?}").contains("CBC"));
                    c.lock().unwrap().push(cbc);
                    if let Ok(tls) = start.into_stream(config).await {
                        answer_balance(tls, &r).await;
                    }
                });
            }
        });
        TlsServer {
            addr,
            handshakes,
            offered_cbc,
            requests,
            task,
        }
    }

    /// `https://localhost:PORT/api/v1`
    pub fn url(&self) -> String {
        format!("https://localhost:{}/api/v1", self.addr.port())
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn answer_balance<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S, requests: &Mutex<Vec<String>>) {
    let Some(head) = read_head(&mut stream).await else {
        return;
    };
    let text = String::from_utf8_lossy(&head).into_owned();
    let line = text.lines().next().unwrap_or("").to_owned();
    let authorized = text
        .lines()
        .any(|l| l.to_ascii_lowercase().starts_with("authorization: bearer lasso_"));
    let mut parts = line.split(' ');
    requests.lock().unwrap().push(format!(
        "{} {} {authorized}",
        parts.next().unwrap_or(""),
        parts.next().unwrap_or("")
    ));
    let body = br#"{"balance": 42.5, "currency": "credits"}"#;
    let answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(answer.as_bytes()).await;
    let _ = stream.write_all(body).await;
    let _ = stream.shutdown().await;
}

/// Reads up to the end of a request or response head.
async fn read_head<S: AsyncRead + Unpin>(stream: &mut S) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    Some(head)
}

/// What a [`ConnectProxy`] saw.
#[derive(Default)]
pub struct ProxyLog {
    /// Each request head's first line (`CONNECT localhost:443 HTTP/1.1`, or a
    /// plain request's line if a client sent one).
    pub lines: Vec<String>,
    /// Their `Proxy-Authorization` values.
    pub auth: Vec<Option<String>>,
    /// Every byte a client sent through a tunnel.
    pub tunnelled: Vec<u8>,
}

/// An HTTP proxy that only tunnels (CONNECT); anything else gets `502`.
/// With `require_auth`, a CONNECT without that `Proxy-Authorization` gets `407`.
pub struct ConnectProxy {
    pub addr: SocketAddr,
    pub log: Arc<Mutex<ProxyLog>>,
    task: JoinHandle<()>,
}

impl ConnectProxy {
    pub async fn start(require_auth: Option<&str>) -> ConnectProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let log = Arc::new(Mutex::new(ProxyLog::default()));
        let (l, required) = (log.clone(), require_auth.map(str::to_owned));
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(tunnel(client, l.clone(), required.clone()));
            }
        });
        ConnectProxy { addr, log, task }
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for ConnectProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn tunnel(mut client: TcpStream, log: Arc<Mutex<ProxyLog>>, required: Option<String>) {
    let Some(head) = read_head(&mut client).await else {
        return;
    };
    let text = String::from_utf8_lossy(&head).into_owned();
    let line = text.lines().next().unwrap_or("").to_owned();
    let auth = text
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(n, _)| n.eq_ignore_ascii_case("proxy-authorization"))
        })
        .map(|(_, v)| v.trim().to_owned());
    {
        let mut log = log.lock().unwrap();
        log.lines.push(line.clone());
        log.auth.push(auth.clone());
        log.tunnelled.extend_from_slice(&head);
    }
    let target = match line
        .strip_prefix("CONNECT ")
        .and_then(|rest| rest.split(' ').next())
    {
        Some(target) => target.replace("localhost", "127.0.0.1"),
        None => {
            let _ = client
                .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                .await;
            return;
        }
    };
    if required.is_some() && auth != required {
        let _ = client
            .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\nContent-Length: 0\r\n\r\n")
            .await;
        return;
    }
    let Ok(mut upstream) = TcpStream::connect(&target).await else {
        let _ = client
            .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            .await;
        return;
    };
    let _ = client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .await;
    let (mut cr, mut cw) = client.split();
    let (mut ur, mut uw) = upstream.split();
    let upload = async {
        let mut buf = [0u8; 16 * 1024];
        loop {
            match cr.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    log.lock().unwrap().tunnelled.extend_from_slice(&buf[..n]);
                    if uw.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            }
        }
        let _ = uw.shutdown().await;
    };
    let download = async {
        let _ = tokio::io::copy(&mut ur, &mut cw).await;
        let _ = cw.shutdown().await;
    };
    tokio::join!(upload, download);
}
