//! A raw, scripted HTTP/1.1 test server on 127.0.0.1 and the helpers shared
//! by the integration tests.
//!
//! The server answers each request (one per connection: every reply carries
//! `Connection: close`) with the next [`Behaviour`] of its script, records
//! every request it reads, and is shut down, with any connection it still
//! holds, when the [`TestServer`] is dropped. Nothing here touches the network
//! beyond loopback.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lasso_ai::{Client, ClientBuilder, Error};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// The documented key format with random hex: every test uses it unless it
/// tests another key, and no error or `Debug` output may ever contain it.
pub const KEY: &str = "lasso_a0c83d01dc9ecd4733b07172ccd71e332b223ac62a2af3beecba7ea63bba6d8e";

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Behaviour {
    /// Answer with this status, these headers and this body.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Read the request, then reset the connection (RST) without answering.
    Reset,
    /// Read the request, then close the connection (FIN) without answering.
    Close,
    /// Wait, then do the inner behaviour.
    Delay(Duration, Box<Behaviour>),
    /// Send the status line and headers announcing `content_length` bytes,
    /// send `sent` (fewer bytes), then hold the connection without sending more.
    StallBody {
        status: u16,
        content_length: usize,
        sent: Vec<u8>,
    },
    /// Like `StallBody`, but reset the connection (RST) after `sent`.
    ResetBody {
        status: u16,
        content_length: usize,
        sent: Vec<u8>,
    },
}

impl Behaviour {
    /// `status` with a JSON body.
    pub fn json(status: u16, body: Value) -> Self {
        Behaviour::Respond {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: serde_json::to_vec(&body).unwrap(),
        }
    }

    /// `status` with an HTML body.
    pub fn html(status: u16, body: &str) -> Self {
        Behaviour::Respond {
            status,
            headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// `status` with an empty body.
    pub fn empty(status: u16) -> Self {
        Behaviour::Respond {
            status,
            headers: vec![],
            body: vec![],
        }
    }

    /// The documented error envelope.
    pub fn envelope(status: u16, error_type: &str, message: &str, request_id: &str) -> Self {
        Self::json(
            status,
            serde_json::json!({
                "status_code": status,
                "error_type": error_type,
                "message": message,
                "request_id": request_id,
            }),
        )
    }

    /// A redirect (`302`, `307`, …) to `location`.
    pub fn redirect(status: u16, location: &str) -> Self {
        Self::empty(status).with_header("Location", location)
    }

    /// `Delay(d)` then this behaviour.
    pub fn after(self, d: Duration) -> Self {
        Behaviour::Delay(d, Box::new(self))
    }

    /// Adds a response header (to `Respond`, or to the behaviour a `Delay` wraps).
    pub fn with_header(self, name: &str, value: &str) -> Self {
        match self {
            Behaviour::Respond {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.into(), value.into()));
                Behaviour::Respond {
                    status,
                    headers,
                    body,
                }
            }
            Behaviour::Delay(d, inner) => Behaviour::Delay(d, Box::new(inner.with_header(name, value))),
            other => panic!("with_header on {other:?}"),
        }
    }
}

/// `GET /credits/balance`'s answer.
pub fn balance_ok() -> Behaviour {
    Behaviour::json(200, serde_json::json!({"balance": 42.5, "currency": "credits"}))
}

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query, as sent on the request line.
    pub target: String,
    /// In order, names lower-cased, values as sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// When the whole request had been read.
    pub at: Instant,
}

impl Recorded {
    /// The first value of this header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.all(name).into_iter().next()
    }

    /// Every value of this header.
    pub fn all(&self, name: &str) -> Vec<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }
}

struct State {
    /// Connections being served now, and the most at once.
    active: std::sync::atomic::AtomicUsize,
    peak: std::sync::atomic::AtomicUsize,
    script: Mutex<VecDeque<Behaviour>>,
    /// Used once the script is exhausted.
    fallback: Mutex<Behaviour>,
    requests: Mutex<Vec<Recorded>>,
}

/// The scripted server. Dropping it stops it and closes every connection it holds.
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

impl TestServer {
    /// A server answering with `script`, one behaviour per request, then with
    /// `418 script exhausted` (which no test expects, so extra requests fail loudly).
    pub async fn start(script: impl IntoIterator<Item = Behaviour>) -> TestServer {
        let exhausted = Behaviour::json(
            418,
            serde_json::json!({"error_type": "script_exhausted", "message": "the test server's script is exhausted"}),
        );
        Self::with_fallback(script, exhausted).await
    }

    /// A server answering every request with `behaviour`.
    pub async fn always(behaviour: Behaviour) -> TestServer {
        Self::with_fallback([], behaviour).await
    }

    async fn with_fallback(script: impl IntoIterator<Item = Behaviour>, fallback: Behaviour) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State {
            active: Default::default(),
            peak: Default::default(),
            script: Mutex::new(script.into_iter().collect()),
            fallback: Mutex::new(fallback),
            requests: Mutex::new(Vec::new()),
        });
        let task = tokio::spawn(accept_loop(listener, state.clone()));
        TestServer { addr, state, task }
    }

    /// Appends to the script.
    pub fn push(&self, behaviour: Behaviour) {
        self.state.script.lock().unwrap().push_back(behaviour);
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `http://127.0.0.1:PORT`
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The base URL to give the client: `http://127.0.0.1:PORT/api/v1`.
    pub fn url(&self) -> String {
        format!("{}/api/v1", self.origin())
    }

    /// The most connections this server held open at once.
    pub fn peak_connections(&self) -> usize {
        self.state.peak.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Requests read so far.
    pub fn count(&self) -> usize {
        self.state.requests.lock().unwrap().len()
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.requests.lock().unwrap().clone()
    }

    /// The only request; panics unless exactly one was received.
    pub fn single(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request, got {requests:#?}"
        );
        requests.into_iter().next().unwrap()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // Dropping the accept loop drops its JoinSet, which aborts every connection task.
        self.task.abort();
    }
}

async fn accept_loop(listener: TcpListener, state: Arc<State>) {
    let mut connections = JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        let Ok((socket, _)) = listener.accept().await else {
            continue;
        };
        connections.spawn(serve(socket, state.clone()));
    }
}

async fn serve(socket: TcpStream, state: Arc<State>) {
    use std::sync::atomic::Ordering;
    let now = state.active.fetch_add(1, Ordering::SeqCst) + 1;
    state.peak.fetch_max(now, Ordering::SeqCst);
    serve_one(socket, &state).await;
    state.active.fetch_sub(1, Ordering::SeqCst);
}

async fn serve_one(mut socket: TcpStream, state: &Arc<State>) {
    let Some(request) = read_request(&mut socket).await else {
        return;
    };
    state.requests.lock().unwrap().push(request);
    let next = state.script.lock().unwrap().pop_front();
    let behaviour = next.unwrap_or_else(|| state.fallback.lock().unwrap().clone());
    act(socket, behaviour).await;
}

async fn act(mut socket: TcpStream, mut behaviour: Behaviour) {
    while let Behaviour::Delay(d, inner) = behaviour {
        tokio::time::sleep(d).await;
        behaviour = *inner;
    }
    match behaviour {
        Behaviour::Respond {
            status,
            headers,
            body,
        } => {
            let mut out = head(status, &headers, body.len());
            out.extend_from_slice(&body);
            let _ = socket.write_all(&out).await;
            let _ = socket.shutdown().await;
        }
        Behaviour::Reset => {
            let _ = socket.set_zero_linger();
            drop(socket);
        }
        Behaviour::Close => drop(socket),
        Behaviour::StallBody {
            status,
            content_length,
            sent,
        } => {
            assert!(
                sent.len() < content_length,
                "StallBody must send less than it announces"
            );
            let headers = [("Content-Type".to_owned(), "application/json".to_owned())];
            let mut out = head(status, &headers, content_length);
            out.extend_from_slice(&sent);
            let _ = socket.write_all(&out).await;
            let _ = socket.flush().await;
            // Hold the connection open; the task is aborted when the server is dropped.
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
        Behaviour::ResetBody {
            status,
            content_length,
            sent,
        } => {
            assert!(
                sent.len() < content_length,
                "ResetBody must send less than it announces"
            );
            let headers = [("Content-Type".to_owned(), "application/json".to_owned())];
            let mut out = head(status, &headers, content_length);
            out.extend_from_slice(&sent);
            let _ = socket.write_all(&out).await;
            let _ = socket.flush().await;
            tokio::time::sleep(Duration::from_millis(50)).await;
            let _ = socket.set_zero_linger();
            drop(socket);
        }
        Behaviour::Delay(..) => unreachable!(),
    }
}

fn head(status: u16, headers: &[(String, String)], content_length: usize) -> Vec<u8> {
    let reason = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Whatever");
    let mut out =
        format!("HTTP/1.1 {status} {reason}\r\nContent-Length: {content_length}\r\nConnection: close\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.into_bytes()
}

/// Reads one request (head, then a `Content-Length` or chunked body).
/// `None` when the peer closes before a whole request arrived.
async fn read_request(socket: &mut TcpStream) -> Option<Recorded> {
    let mut buf = Vec::with_capacity(4096);
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        if buf.len() > 1 << 20 || socket.read_buf(&mut buf).await.ok()? == 0 {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut rest = buf[head_end + 4..].to_vec();
    let value = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let body = if let Some(len) = value("content-length") {
        let len: usize = len.parse().ok()?;
        while rest.len() < len {
            if socket.read_buf(&mut rest).await.ok()? == 0 {
                return None;
            }
        }
        rest.truncate(len);
        rest
    } else if value("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        read_chunked(socket, rest).await?
    } else {
        Vec::new()
    };
    Some(Recorded {
        method,
        target,
        headers,
        body,
        at: Instant::now(),
    })
}

async fn read_chunked(socket: &mut TcpStream, mut raw: Vec<u8>) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    let mut pos = 0;
    loop {
        let line_end = loop {
            if let Some(i) = find(&raw[pos..], b"\r\n") {
                break pos + i;
            }
            if socket.read_buf(&mut raw).await.ok()? == 0 {
                return None;
            }
        };
        let size_text = String::from_utf8_lossy(&raw[pos..line_end]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        let data_start = line_end + 2;
        while raw.len() < data_start + size + 2 {
            if socket.read_buf(&mut raw).await.ok()? == 0 {
                return None;
            }
        }
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(&raw[data_start..data_start + size]);
        pos = data_start + size + 2;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A loopback port with nothing listening (bound, then released).
pub async fn refused_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}

/// A loopback listener that never accepts and whose accept queue is full,
/// so that a new connection attempt hangs (Linux drops its SYN): the way to
/// test the connect timeout without leaving loopback. `None` if the kernel
/// does not behave that way here. Keep the returned value alive.
pub async fn full_backlog() -> Option<(SocketAddr, TcpListener, Vec<TcpStream>)> {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..16 {
        match tokio::time::timeout(Duration::from_millis(300), TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => fillers.push(stream),
            Ok(Err(_)) => return None,
            Err(_) => return Some((addr, listener, fillers)),
        }
    }
    None
}

/// A builder for a client of `server` with the test key and short timeouts.
pub fn builder(server: &TestServer) -> ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(2))
}

pub fn client(server: &TestServer) -> Client {
    builder(server).build().expect("a valid client")
}

/// Other secrets the tests use (keys given to clients), checked like [`KEY`].
static SECRETS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Registers another key that no output may reveal.
pub fn secret(key: &str) -> String {
    SECRETS.lock().unwrap().push(key.to_owned());
    key.to_owned()
}

/// Panics if `text` contains a key, or any 8 consecutive characters of a
/// key's hidden part (what its masked form `lasso_…abcd` does not show).
pub fn assert_secret_free(text: &str) {
    let mut secrets = vec![KEY.to_owned()];
    secrets.extend(SECRETS.lock().unwrap().iter().cloned());
    for key in secrets {
        let key = key.trim();
        assert!(!text.contains(key), "output contains a key: {text}");
        // Case-insensitively: a proxy may have upper-cased what it echoes.
        let folded = text.to_lowercase();
        let chars: Vec<char> = key
            .strip_prefix("lasso_")
            .unwrap_or(key)
            .to_lowercase()
            .chars()
            .collect();
        let hidden = &chars[..chars.len().saturating_sub(4)];
        if hidden.len() >= 8 {
            for window in hidden.windows(8) {
                let window: String = window.iter().collect();
                assert!(
                    !folded.contains(&window),
                    "output contains part of a key ({window}): {text}"
                );
            }
        }
    }
}

/// Checks that the error's `Display` and `Debug` never reveal a key, and returns it.
pub fn checked(error: Error) -> Error {
    assert_secret_free(&error.to_string());
    assert_secret_free(&format!("{error:?}"));
    assert_secret_free(&format!("{error:#?}"));
    error
}

/// The error of a call that must fail, checked with [`checked`].
#[track_caller]
pub fn expect_err<T: std::fmt::Debug>(result: Result<T, Error>) -> Error {
    match result {
        Ok(v) => panic!("expected an error, got Ok({v:?})"),
        Err(e) => checked(e),
    }
}

/// Unwraps a result, checking the error (if any) before panicking with it.
#[track_caller]
pub fn expect_ok<T>(result: Result<T, Error>) -> T {
    match result {
        Ok(v) => v,
        Err(e) => panic!("expected success, got {:?}", checked(e)),
    }
}
