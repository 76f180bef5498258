//! The command tree (clap), and the run of one command: the runtime, Ctrl-C,
//! and the report of an error as one line with its exit code.

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::config::Flags;
use crate::exit;
use crate::output::{ColorChoice, Mode, Out};
use crate::select::Selector;
use crate::{Host, Interrupt};

/// The exit codes, for `lasso --help`.
fn exit_codes_help() -> String {
    let mut text = String::from("Exit codes:\n");
    for (code, name) in exit::TABLE {
        text.push_str(&format!("  {code:>3}  {name}\n"));
    }
    text.push_str(
        "\nEnvironment: LASSO_API_KEY, LASSO_BASE_URL, LASSO_PROFILE, LASSO_CONFIG, NO_COLOR.\n\
         Quick start: lasso extract catalog.pdf --schema schema.json --export rows.csv",
    );
    text
}

/// The command line of the Lasso product-data API.
#[derive(Debug, Parser)]
#[command(
    name = "lasso",
    version,
    about = "The command line of the Lasso product-data API: every operation, one-command extraction with progress bars, exports, webhook checks and a local emulator.",
    after_help = exit_codes_help(),
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Cmd,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// The API key (visible to other users in the process list: prefer LASSO_API_KEY or --api-key-file).
    #[arg(long, global = true, value_name = "KEY", help_heading = "Global options")]
    pub api_key: Option<String>,
    /// Read the API key from this file (`-`: standard input); warns if others can read it.
    #[arg(long, global = true, value_name = "PATH", help_heading = "Global options")]
    pub api_key_file: Option<PathBuf>,
    /// The API's base URL [env: LASSO_BASE_URL].
    #[arg(long, global = true, value_name = "URL", help_heading = "Global options")]
    pub base_url: Option<String>,
    /// The profile of the config file to use [env: LASSO_PROFILE; default: default].
    #[arg(long, global = true, value_name = "NAME", help_heading = "Global options")]
    pub profile: Option<String>,
    /// How to print results.
    #[arg(long, global = true, value_enum, default_value_t = Mode::Auto, help_heading = "Global options")]
    pub output: Mode,
    /// Keep only these fields of each result (jq paths: `.data[].id`, `.id, .name`).
    #[arg(long, global = true, value_name = "PATH", help_heading = "Global options")]
    pub jq: Option<String>,
    /// When to colour output (NO_COLOR is honoured).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, help_heading = "Global options")]
    pub color: ColorChoice,
    /// No messages or progress bars (results and errors still print).
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub quiet: bool,
    /// Full details of errors.
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub verbose: bool,
    /// Seconds each request may take (default 60).
    #[arg(long, global = true, value_name = "SECS", help_heading = "Global options")]
    pub timeout: Option<f64>,
    /// Retries of a failed request, within the billing-safe policy (default 2).
    #[arg(long, global = true, value_name = "N", help_heading = "Global options")]
    pub max_retries: Option<u32>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Check or store the API key.
    #[command(subcommand)]
    Auth(AuthCmd),
    /// Call any operation of the API (`lasso api --list`; `lasso api OPERATION --help`).
    Api(ApiArgs),
    /// Search products in natural language (billed: 5 credits).
    Search(SearchArgs),
    /// Complete partial product records (billed per item).
    Enrich(EnrichArgs),
    /// Tables (extraction jobs): list, get, rows.
    #[command(subcommand)]
    Tables(TablesCmd),
    /// Schemas: create, generate.
    #[command(subcommand)]
    Schemas(SchemasCmd),
    /// Files: upload, list.
    #[command(subcommand)]
    Files(FilesCmd),
    /// Upload files, create a table from them, wait for the extraction and export it: the quick start in one command.
    Extract(ExtractArgs),
    /// Export a table to a file (csv, xlsx, json or a zip of images).
    Export(ExportArgs),
    /// Webhooks: verify a delivery.
    #[command(subcommand)]
    Webhooks(WebhooksCmd),
    /// Run the bundled emulator of the Lasso API on 127.0.0.1 for your own tests.
    Mock(MockArgs),
    /// Print a shell completion script (bash, zsh, fish, …).
    Completion(CompletionArgs),
}

#[derive(Debug, Subcommand)]
pub enum AuthCmd {
    /// Show the key in use (masked), its source, the base URL and the credit balance; exits 0 only if the key works.
    Status,
    /// Store a key (read from standard input) in the config file, owner-only (0600).
    Login(LoginArgs),
    /// Remove the key of the profile from the config file.
    Logout,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Also store this base URL in the profile.
    #[arg(long = "store-base-url", value_name = "URL")]
    pub store_base_url: Option<String>,
    /// Store the key without checking it against the API first.
    #[arg(long)]
    pub no_check: bool,
}

#[derive(Debug, Args)]
#[command(
    subcommand_value_name = "OPERATION",
    subcommand_help_heading = "Operations",
    after_help = "Every operation of the API, generated from its description (lasso-spec). Arguments: path parameters by position, the others as --flags (see `lasso api OPERATION --help`), or -F key=value, -f key=value and --json BODY."
)]
pub struct ApiArgs {
    /// List every operation (id, method and path, billed, paging, summary).
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for; put filters in the text ("… under $200").
    pub query: String,
    /// 1–7 results (default 7).
    #[arg(long, value_name = "N")]
    pub max_results: Option<u32>,
    /// Shape the results by this schema.
    #[arg(long, value_name = "ID")]
    pub schema_id: Option<String>,
}

#[derive(Debug, Args)]
pub struct EnrichArgs {
    /// The records: a JSON file (`-`: standard input) holding a list of records, of `{data: …}` items, or `{items: […]}`.
    #[arg(long, value_name = "FILE")]
    pub json: String,
    /// Shape the results by this schema.
    #[arg(long, value_name = "ID")]
    pub schema_id: Option<String>,
    /// `hard` (4 credits/item), `medium` (2) or `low` (1).
    #[arg(long, value_name = "LEVEL")]
    pub thinking: Option<String>,
    /// Guidance applied to every item.
    #[arg(long)]
    pub context: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TablesCmd {
    /// List tables.
    List(ListArgs),
    /// Get a table.
    Get {
        /// The table's id.
        table_id: String,
    },
    /// List a table's rows.
    Rows {
        /// The table's id.
        table_id: String,
        #[command(flatten)]
        list: ListArgs,
    },
}

#[derive(Debug, Args, Clone, Default)]
pub struct ListArgs {
    /// Follow every page, printing items as they arrive (NDJSON when piped).
    #[arg(long)]
    pub all: bool,
    /// Page number, from 1.
    #[arg(long, value_name = "N")]
    pub page: Option<u64>,
    /// Items per page (1–100).
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
    /// Only tables whose name contains this (tables list).
    #[arg(long)]
    pub search: Option<String>,
    /// Only tables with this status (tables list).
    #[arg(long)]
    pub status: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum SchemasCmd {
    /// Create a schema from a JSON file, or from --name and --column.
    Create(SchemaCreateArgs),
    /// Generate and save a schema from sample data with AI.
    Generate(SchemaGenerateArgs),
}

#[derive(Debug, Args)]
pub struct SchemaCreateArgs {
    /// The schema as JSON (`{name, columns: [...]}`), a file or `-` for standard input.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["name", "column"])]
    pub json: Option<String>,
    /// The schema's name.
    #[arg(long, required_unless_present = "json")]
    pub name: Option<String>,
    /// A column, `key[:type[:label]]` (type: text, number, richtext, …); repeat for each.
    #[arg(long, value_name = "KEY[:TYPE[:LABEL]]", required_unless_present = "json")]
    pub column: Vec<String>,
    /// A description.
    #[arg(long)]
    pub description: Option<String>,
}

#[derive(Debug, Args)]
pub struct SchemaGenerateArgs {
    /// Sample data (raw text, CSV rows or a description): a file, or `-` for standard input.
    #[arg(long, value_name = "FILE", required_unless_present = "text")]
    pub sample: Option<String>,
    /// Sample data given inline.
    #[arg(long, conflicts_with = "sample")]
    pub text: Option<String>,
    /// The schema's name (generated when omitted).
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum FilesCmd {
    /// Upload files (a progress bar per file); prints each File object.
    Upload {
        /// The files.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// List uploaded files.
    List(ListArgs),
}

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated values.
    Csv,
    /// An Excel workbook.
    Xlsx,
    /// JSON.
    Json,
    /// A zip of the rows' images.
    Images,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
            Format::Images => "images",
        }
    }

    /// The format a file name implies: `.csv`, `.xlsx`, `.json`, `.zip` (images).
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => Format::Csv,
            "xlsx" => Format::Xlsx,
            "json" => Format::Json,
            "zip" => Format::Images,
            _ => return None,
        })
    }
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The files to extract from.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The schema: an id, or a JSON file (`{name, columns}`) to create one from.
    #[arg(long, value_name = "ID|FILE")]
    pub schema: String,
    /// The table's name (default: the first file's name).
    #[arg(long)]
    pub name: Option<String>,
    /// Wait for the extraction to finish (implied by --export).
    #[arg(long)]
    pub wait: bool,
    /// Export the finished table to this file (out.csv, out.xlsx, out.json, images.zip).
    #[arg(long, value_name = "PATH")]
    pub export: Option<PathBuf>,
    /// The export's format (default: from the file's extension).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Seconds between status checks while waiting.
    #[arg(long, value_name = "SECS", default_value_t = 1.0)]
    pub interval: f64,
    /// Seconds to wait for the extraction at most.
    #[arg(long, value_name = "SECS", default_value_t = 600.0)]
    pub wait_timeout: f64,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The table's id.
    pub table_id: String,
    /// The format (default: from the file's extension).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Where to write it; written whole or not at all.
    #[arg(short = 'o', long = "out", value_name = "PATH")]
    pub out: PathBuf,
    /// Only these columns (comma-separated keys).
    #[arg(long)]
    pub columns: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum WebhooksCmd {
    /// Verify a delivery read from standard input (or --payload); prints the event if it verifies.
    Verify(VerifyArgs),
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The endpoint's signing secret (`whsec_…`); repeat while rotating [env: LASSO_WEBHOOK_SECRET].
    #[arg(long, value_name = "SECRET")]
    pub secret: Vec<String>,
    /// The X-Lasso-Signature header's value (`sha256=…`), or the whole header line.
    #[arg(long, value_name = "VALUE")]
    pub header: Option<String>,
    /// The raw body from this file instead of standard input.
    #[arg(long, value_name = "FILE")]
    pub payload: Option<PathBuf>,
    /// Refuse events whose timestamp is further than this from now.
    #[arg(long, value_name = "SECS")]
    pub tolerance: Option<u64>,
}

#[derive(Debug, Args)]
pub struct MockArgs {
    /// The port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Seed of the deterministic ids.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Credits every company starts with.
    #[arg(long, default_value_t = 1000.0)]
    pub balance: f64,
    /// Multiplies emulated durations (extraction takes 1.2 s at 1); 0 finishes jobs at once.
    #[arg(long, default_value_t = 1.0)]
    pub time_scale: f64,
}

#[derive(Debug, Args)]
pub struct CompletionArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The whole command tree, with the `api` operations generated from lasso-spec.
pub fn command() -> clap::Command {
    Cli::command().mut_subcommand("api", |api| api.subcommands(crate::api::operation_commands()))
}

/// What the server already holds, for the report of an interrupted command.
#[derive(Debug, Default, Clone)]
pub struct Created(Arc<Mutex<CreatedInner>>);

#[derive(Debug, Default)]
struct CreatedInner {
    done: Vec<String>,
    in_flight: Option<String>,
    local: Vec<String>,
}

impl Created {
    /// Records something created (and whether it was billed).
    pub fn add(&self, what: impl Into<String>) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .done
            .push(what.into());
    }

    /// Replaces the last record (e.g. a table whose extraction has since finished).
    pub fn update_last(&self, what: impl Into<String>) {
        let mut inner = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(last) = inner.done.last_mut() {
            *last = what.into();
        }
    }

    /// Records the request in flight, whose effect is unknown if interrupted.
    pub fn in_flight(&self, what: Option<String>) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).in_flight = what;
    }

    /// Records a local promise (e.g. "no partial file at PATH") for the report.
    pub fn local(&self, what: impl Into<String>) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .local
            .push(what.into());
    }

    fn report(&self) -> Vec<String> {
        let inner = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let mut lines = Vec::new();
        if inner.done.is_empty() {
            lines.push("nothing was created on the server".to_owned());
        } else {
            lines.push("already created on the server:".to_owned());
            lines.extend(inner.done.iter().map(|d| format!("  - {d}")));
        }
        if let Some(f) = &inner.in_flight {
            lines.push(format!("in flight when stopped: {f}"));
        }
        lines.extend(inner.local.iter().cloned());
        lines
    }
}

/// Everything a command needs.
pub struct Ctx {
    pub out: Out,
    pub flags: Flags,
    pub via: Option<String>,
    pub created: Created,
    /// Triggered by Ctrl-C; `lasso mock` waits for it.
    #[cfg_attr(not(feature = "mock"), allow(dead_code))]
    pub interrupt: Interrupt,
}

impl Ctx {
    /// The client, from flags, environment and config file.
    pub fn client(&self) -> Result<lasso_ai::Client, Fail> {
        let settings =
            crate::config::resolve(&self.flags, &self.out, self.via.clone()).map_err(Fail::Usage)?;
        settings.client().map_err(Fail::Sdk)
    }
}

/// How a command failed.
#[derive(Debug)]
pub enum Fail {
    /// An error of the SDK.
    Sdk(lasso_ai::Error),
    /// Bad usage found by `lasso` itself.
    Usage(String),
    /// Another failure, with its exit code.
    Other(String, u8),
    /// stdout was closed (`| head`): stop quietly.
    Closed,
}

impl From<lasso_ai::Error> for Fail {
    fn from(e: lasso_ai::Error) -> Self {
        Fail::Sdk(e)
    }
}

impl From<crate::output::Closed> for Fail {
    fn from(_: crate::output::Closed) -> Self {
        Fail::Closed
    }
}

/// Runs one command line; returns the exit code.
pub fn main<I, T>(args: I, host: Host) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = match command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => {
            let code = if e.use_stderr() { exit::USAGE } else { exit::OK };
            let _ = e.print();
            return code;
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return exit::USAGE;
        }
    };
    let g = &cli.global;
    let select = match g.jq.as_deref().map(Selector::parse).transpose() {
        Ok(s) => s,
        Err(why) => {
            eprintln!("error: {why}");
            return exit::USAGE;
        }
    };
    let out = Out::new(g.output, g.color, g.quiet, g.verbose, select);
    let flags = Flags {
        api_key: g.api_key.clone(),
        api_key_file: g.api_key_file.clone(),
        base_url: g.base_url.clone(),
        profile: g.profile.clone(),
        timeout: g.timeout,
        max_retries: g.max_retries,
    };
    let own_signal = host.interrupt.is_none();
    let interrupt = host.interrupt.clone().unwrap_or_default();
    let ctx = Ctx {
        out,
        flags,
        via: host.via.clone(),
        created: Created::default(),
        interrupt: interrupt.clone(),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("lasso-cli")
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return exit::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        if own_signal {
            let trigger = interrupt.clone();
            tokio::spawn(async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    trigger.trigger();
                }
            });
            // SIGTERM stops a command the same way (no partial file left behind).
            #[cfg(unix)]
            if let Ok(mut term) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                let trigger = interrupt.clone();
                tokio::spawn(async move {
                    if term.recv().await.is_some() {
                        trigger.trigger();
                    }
                });
            }
        }
        if let Cmd::Mock(args) = &cli.command {
            // Ctrl-C is how the emulator is meant to stop: not an interruption.
            return Some(crate::commands::mock::run(&ctx, args).await);
        }
        tokio::select! {
            biased;
            () = interrupt.triggered() => None,
            result = crate::commands::dispatch(&ctx, &cli.command, &matches) => Some(result),
        }
    });
    // Whatever is still running (a prefetched page, a request being dropped) is abandoned.
    runtime.shutdown_timeout(Duration::from_millis(200));
    match outcome {
        None => {
            let out = &ctx.out;
            eprintln!("{} stopped by Ctrl-C", out.paint_err("interrupted:", "33"));
            for line in ctx.created.report() {
                eprintln!("{line}");
            }
            exit::INTERRUPTED
        }
        Some(Ok(())) | Some(Err(Fail::Closed)) => exit::OK,
        Some(Err(fail)) => report(&ctx.out, fail),
    }
}

/// Prints a failure as one line on stderr (and its details with `--verbose`); returns its exit code.
fn report(out: &Out, fail: Fail) -> u8 {
    let label = out.paint_err("error:", "1;31");
    match fail {
        Fail::Sdk(e) => {
            eprintln!("{label} {}", exit::error_line(&e));
            if out.verbose {
                let detail = serde_json::to_string_pretty(&exit::error_detail(&e)).unwrap_or_default();
                eprintln!("{detail}");
            }
            exit::code_for(e.code())
        }
        Fail::Usage(message) => {
            eprintln!("{label} {}", exit::one_line(&message));
            exit::USAGE
        }
        Fail::Other(message, code) => {
            eprintln!("{label} {}", exit::one_line(&message));
            code
        }
        Fail::Closed => exit::OK,
    }
}
