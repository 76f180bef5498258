//! Benchmark driver for the Rust front door of the Lasso SDK and for plain
//! reqwest (the floor every front door is compared with). Run by
//! `bench/run.py` (`just bench`); prints one JSON object on stdout.
//!
//! ```text
//! lasso-bench latency    sdk|reqwest  [--n 2000] [--warmup 200]
//! lasso-bench throughput sdk|reqwest  --concurrency C [--seconds 3] [--warmup 0.5]
//! lasso-bench paginate   --table ID [--typed 1]
//! lasso-bench page       sdk|reqwest  --table ID [--page 1] [--n 200]
//! lasso-bench export     --table ID --path FILE
//! lasso-bench upload     --path FILE
//! lasso-bench handoff
//! ```
//!
//! `LASSO_BASE_URL` and `LASSO_API_KEY` say where to send the requests; the
//! harness only ever points them at a `lasso-mock` on 127.0.0.1.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION};
use serde_json::{json, Value};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// `--name value` flags after the positional arguments.
struct Args {
    positional: Vec<String>,
    flags: HashMap<String, String>,
}

impl Args {
    fn parse() -> Result<Args, BoxError> {
        let mut positional = Vec::new();
        let mut flags = HashMap::new();
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            if let Some(name) = arg.strip_prefix("--") {
                let value = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
                flags.insert(name.to_owned(), value);
            } else {
                positional.push(arg);
            }
        }
        Ok(Args { positional, flags })
    }

    fn get<T: std::str::FromStr>(&self, name: &str, default: Option<T>) -> Result<T, BoxError> {
        match self.flags.get(name) {
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name}: cannot parse {v:?}").into()),
            None => default.ok_or_else(|| format!("--{name} is required").into()),
        }
    }

    fn text(&self, name: &str) -> Result<String, BoxError> {
        self.get::<String>(name, None)
    }

    fn implementation(&self) -> Result<Impl, BoxError> {
        match self.positional.get(1).map(String::as_str) {
            Some("sdk") => Ok(Impl::Sdk),
            Some("reqwest") => Ok(Impl::Reqwest),
            other => Err(format!("expected `sdk` or `reqwest`, got {other:?}").into()),
        }
    }
}

#[derive(Clone, Copy)]
enum Impl {
    Sdk,
    Reqwest,
}

/// One way of calling `GET /credits/balance` and decoding its JSON.
#[derive(Clone)]
enum Caller {
    Sdk(lasso_ai::Client),
    Reqwest(Arc<Plain>),
}

/// A hand-written client on reqwest: the Bearer header, `GET`, decode the JSON.
struct Plain {
    http: reqwest::Client,
    url: String,
    auth: HeaderValue,
}

impl Caller {
    fn new(which: Impl) -> Result<Caller, BoxError> {
        let base = std::env::var("LASSO_BASE_URL")?;
        let key = std::env::var("LASSO_API_KEY")?;
        Ok(match which {
            Impl::Sdk => Caller::Sdk(lasso_ai::Client::builder().api_key(key).base_url(base).build()?),
            Impl::Reqwest => {
                // reqwest is built with `rustls-no-provider`: give it a TLS
                // config even though only plain HTTP on loopback is used.
                let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
                    rustls::crypto::ring::default_provider(),
                ))
                .with_safe_default_protocol_versions()?
                .with_root_certificates(rustls::RootCertStore::empty())
                .with_no_client_auth();
                let http = reqwest::Client::builder()
                    .tls_backend_preconfigured(tls)
                    .tcp_nodelay(true)
                    .build()?;
                Caller::Reqwest(Arc::new(Plain {
                    http,
                    url: format!("{}/credits/balance", base.trim_end_matches('/')),
                    auth: HeaderValue::from_str(&format!("Bearer {key}"))?,
                }))
            }
        })
    }

    /// One call; returns the balance so the decoded value is used.
    async fn balance(&self) -> Result<f64, BoxError> {
        match self {
            Caller::Sdk(client) => Ok(client.credits().balance().await?.balance),
            Caller::Reqwest(plain) => {
                let response = plain
                    .http
                    .get(&plain.url)
                    .header(AUTHORIZATION, plain.auth.clone())
                    .header(ACCEPT, "application/json")
                    .send()
                    .await?;
                let status = response.status();
                let body: Value = response.json().await?;
                if !status.is_success() {
                    return Err(format!("HTTP {status}: {body}").into());
                }
                body.get("balance")
                    .and_then(Value::as_f64)
                    .ok_or_else(|| "no balance in the answer".into())
            }
        }
    }
}

/// Peak and current resident set size of this process, in bytes (Linux).
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kb| kb.parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

async fn latency(args: &Args) -> Result<Value, BoxError> {
    let caller = Caller::new(args.implementation()?)?;
    let n: usize = args.get("n", Some(2000))?;
    let warmup: usize = args.get("warmup", Some(200))?;
    for _ in 0..warmup {
        caller.balance().await?;
    }
    let mut micros = Vec::with_capacity(n);
    let start = Instant::now();
    for _ in 0..n {
        let t = Instant::now();
        std::hint::black_box(caller.balance().await?);
        micros.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let seconds = start.elapsed().as_secs_f64();
    Ok(json!({ "n": n, "seconds": seconds, "micros": micros }))
}

/// `n` sequential requests of one 100-row page, decoded as JSON: the cost of a
/// page without any pagination machinery.
async fn page(args: &Args) -> Result<Value, BoxError> {
    let table = args.text("table")?;
    let number: i64 = args.get("page", Some(1))?;
    let n: usize = args.get("n", Some(200))?;
    let caller = Caller::new(args.implementation()?)?;
    let fetch = || async {
        match &caller {
            Caller::Sdk(client) => {
                let params = lasso_ai::TablesRowsParams::new().page(number).limit(100);
                Ok::<usize, BoxError>(client.tables().rows(&table, params).await?.data.len())
            }
            Caller::Reqwest(plain) => {
                let rows = format!("/tables/{table}/rows?page={number}&limit=100");
                let response = plain
                    .http
                    .get(plain.url.replace("/credits/balance", &rows))
                    .header(AUTHORIZATION, plain.auth.clone())
                    .send()
                    .await?
                    .error_for_status()?;
                let page = response.json::<Value>().await?;
                Ok(page["data"].as_array().map_or(0, Vec::len))
            }
        }
    };
    for _ in 0..n / 10 {
        fetch().await?;
    }
    let mut micros = Vec::with_capacity(n);
    let start = Instant::now();
    for _ in 0..n {
        let t = Instant::now();
        let rows = fetch().await?;
        micros.push(t.elapsed().as_secs_f64() * 1e6);
        if rows != 100 {
            return Err("expected a page of 100 rows".into());
        }
    }
    Ok(json!({ "n": n, "seconds": start.elapsed().as_secs_f64(), "micros": micros }))
}

/// `concurrency` tasks call in a loop until the deadline; returns (calls, errors).
async fn run_for(caller: &Caller, concurrency: usize, duration: Duration) -> (u64, u64) {
    let deadline = Instant::now() + duration;
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let caller = caller.clone();
            tokio::spawn(async move {
                let (mut calls, mut errors) = (0u64, 0u64);
                while Instant::now() < deadline {
                    match caller.balance().await {
                        Ok(b) => {
                            std::hint::black_box(b);
                            calls += 1;
                        }
                        Err(_) => errors += 1,
                    }
                }
                (calls, errors)
            })
        })
        .collect();
    let mut total = (0, 0);
    for task in tasks {
        let (c, e) = task.await.unwrap_or((0, 1));
        total.0 += c;
        total.1 += e;
    }
    total
}

async fn throughput(args: &Args) -> Result<Value, BoxError> {
    let caller = Caller::new(args.implementation()?)?;
    let concurrency: usize = args.get("concurrency", None)?;
    let seconds: f64 = args.get("seconds", Some(3.0))?;
    let warmup: f64 = args.get("warmup", Some(0.5))?;
    run_for(&caller, concurrency, Duration::from_secs_f64(warmup)).await;
    let start = Instant::now();
    let (calls, errors) = run_for(&caller, concurrency, Duration::from_secs_f64(seconds)).await;
    let elapsed = start.elapsed().as_secs_f64();
    Ok(json!({ "concurrency": concurrency, "calls": calls, "errors": errors, "seconds": elapsed }))
}

fn sdk_client() -> Result<lasso_ai::Client, BoxError> {
    let builder = lasso_ai::Client::builder()
        .api_key(std::env::var("LASSO_API_KEY")?)
        .base_url(std::env::var("LASSO_BASE_URL")?)
        .timeout(Duration::from_secs(600));
    Ok(builder.build()?)
}

/// Every row of the table through the SDK's auto-pagination, keeping each
/// row's `data` (what a DataFrame would be built from): as JSON maps
/// (`iter_rows`), or with `--typed 1` as the struct of the table's columns
/// (`iter_rows_as`, the typed path).
async fn paginate(args: &Args) -> Result<Value, BoxError> {
    let client = sdk_client()?;
    let table = args.text("table")?;
    let typed = args.flags.get("typed").is_some_and(|v| v != "0");
    let rss_before = memory().1;
    let start = Instant::now();
    let rows = if typed {
        keep_data(
            client
                .tables()
                .iter_rows_as::<Product>(&table, Default::default()),
        )
        .await?
    } else {
        keep_data(client.tables().iter_rows(&table, Default::default())).await?
    };
    let seconds = start.elapsed().as_secs_f64();
    let (peak, _) = memory();
    Ok(json!({ "rows": rows, "seconds": seconds, "peak_rss": peak, "rss_before": rss_before }))
}

/// The columns of lasso-mock's sample schema, the shape of the benchmark's table.
#[derive(serde::Deserialize)]
#[allow(dead_code)] // held, never read: the benchmark measures keeping them
struct Product {
    name: Option<String>,
    brand: Option<String>,
    price: Option<f64>,
    description: Option<String>,
    category: Option<String>,
    image_url: Option<String>,
    url: Option<String>,
    features: Option<Vec<String>>,
}

/// Drains a row stream, keeping every row's `data`; returns how many.
async fn keep_data<D>(
    rows: impl futures_util::Stream<Item = Result<lasso_ai::Row<D>, lasso_ai::Error>>,
) -> Result<usize, BoxError> {
    let mut rows = Box::pin(rows);
    let mut kept = Vec::new();
    while let Some(row) = rows.next().await {
        kept.push(row?.data);
    }
    Ok(kept.len())
}

async fn export(args: &Args) -> Result<Value, BoxError> {
    let client = sdk_client()?;
    let (table, path) = (args.text("table")?, args.text("path")?);
    let rss_before = memory().1;
    let start = Instant::now();
    let saved = client.export().csv(&table).to_path(&path).await?;
    let seconds = start.elapsed().as_secs_f64();
    let (peak, _) = memory();
    Ok(json!({ "bytes": saved.size, "seconds": seconds, "peak_rss": peak, "rss_before": rss_before }))
}

async fn upload(args: &Args) -> Result<Value, BoxError> {
    let client = sdk_client()?;
    let path = args.text("path")?;
    let bytes = std::fs::metadata(&path)?.len();
    let rss_before = memory().1;
    let start = Instant::now();
    let file = client.files().upload(lasso_ai::Upload::path(&path)).await?;
    let seconds = start.elapsed().as_secs_f64();
    let (peak, _) = memory();
    if file.size != Some(bytes as i64) {
        return Err(format!("the server stored {:?} bytes, not {bytes}", file.size).into());
    }
    Ok(json!({ "bytes": bytes, "seconds": seconds, "peak_rss": peak, "rss_before": rss_before }))
}

/// The round trip a blocking call makes through an I/O runtime, with no I/O and
/// no SDK: a no-op task spawned on a 2-worker runtime from a plain thread, its
/// result awaited on a std channel (what `bindings/pyo3/src/runtime.rs`'s
/// `block_on` does), and tokio's own `block_on` of a spawned task. p50 µs of
/// 4,000 after 500 warm-ups, per round (3 rounds).
fn handoff() -> Value {
    fn p50(mut f: impl FnMut()) -> f64 {
        (0..500).for_each(|_| f());
        let mut micros: Vec<f64> = (0..4000)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1e6
            })
            .collect();
        micros.sort_by(f64::total_cmp);
        micros[micros.len() / 2]
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let (mut channel, mut own) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        channel.push(p50(|| {
            let (tx, rx) = std::sync::mpsc::sync_channel(1);
            rt.spawn(async move { tx.send(()).ok() });
            rx.recv().expect("the task's result");
        }));
        own.push(p50(|| {
            rt.block_on(async { rt.spawn(async {}).await.expect("no panic") })
        }));
    }
    json!({ "layers": {
        "spawn + std channel (as pyo3's block_on)": channel,
        "tokio block_on of a spawned task": own,
    }})
}

#[tokio::main]
async fn main() -> ExitCode {
    let result = async {
        let args = Args::parse()?;
        match args.positional.first().map(String::as_str) {
            Some("latency") => latency(&args).await,
            Some("throughput") => throughput(&args).await,
            Some("paginate") => paginate(&args).await,
            Some("page") => page(&args).await,
            Some("export") => export(&args).await,
            Some("upload") => upload(&args).await,
            // Its own runtime, driven from a plain thread as a binding's caller is.
            Some("handoff") => std::thread::spawn(handoff)
                .join()
                .map_err(|_| "handoff panicked".into()),
            other => {
                Err(format!("unknown scenario {other:?}; see the header of bench/rust/src/main.rs").into())
            }
        }
    }
    .await;
    match result {
        Ok(value) => {
            println!("{value}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("lasso-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
