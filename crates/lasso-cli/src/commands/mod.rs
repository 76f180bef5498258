//! The commands, each a thin use of the core (`lasso_ai::Client`).

use std::io::{IsTerminal, Read, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::ArgMatches;
use futures_util::{StreamExt, TryStreamExt};
use lasso_ai::__bindings::{ClientExt, ErrorExt, Job};
use lasso_ai::{Client, RequestOptions, UploadSource};
use serde_json::{json, Map, Value};
use tokio::io::AsyncReadExt;

use crate::cli::{
    AuthCmd, Cmd, Ctx, EnrichArgs, ExportArgs, ExtractArgs, Fail, FilesCmd, Format, ListArgs, LoginArgs,
    SchemaCreateArgs, SchemaGenerateArgs, SchemasCmd, SearchArgs, TablesCmd, VerifyArgs, WebhooksCmd,
};
use crate::exit;
use crate::output::Mode;
use crate::progress::Bars;

pub mod mock;

/// Runs a command (all but `mock`, which `cli::main` runs itself).
pub async fn dispatch(ctx: &Ctx, cmd: &Cmd, matches: &ArgMatches) -> Result<(), Fail> {
    match cmd {
        Cmd::Auth(AuthCmd::Status) => auth_status(ctx).await,
        Cmd::Auth(AuthCmd::Login(args)) => auth_login(ctx, args).await,
        Cmd::Auth(AuthCmd::Logout) => auth_logout(ctx),
        Cmd::Api(args) => {
            let m = matches.subcommand_matches("api").expect("the api command");
            crate::api::run(ctx, m, args.list).await
        }
        Cmd::Search(args) => search(ctx, args).await,
        Cmd::Enrich(args) => enrich(ctx, args).await,
        Cmd::Tables(TablesCmd::List(list)) => {
            let client = ctx.client()?;
            let mut args = list_args(list);
            put(&mut args, "search", list.search.clone());
            put(&mut args, "status", list.status.clone());
            list_command(ctx, &client, "tables.list", args, list.all).await
        }
        Cmd::Tables(TablesCmd::Get { table_id }) => {
            let client = ctx.client()?;
            let table = client
                .call("tables.get", json!({ "table_id": table_id }), &Default::default())
                .await?;
            Ok(ctx.out.value(&table)?)
        }
        Cmd::Tables(TablesCmd::Rows { table_id, list }) => {
            let client = ctx.client()?;
            let mut args = list_args(list);
            args.insert("table_id".into(), json!(table_id));
            list_command(ctx, &client, "tables.rows", args, list.all).await
        }
        Cmd::Schemas(SchemasCmd::Create(args)) => schema_create(ctx, args).await,
        Cmd::Schemas(SchemasCmd::Generate(args)) => schema_generate(ctx, args).await,
        Cmd::Files(FilesCmd::Upload { paths }) => {
            let client = ctx.client()?;
            upload_files(ctx, &client, paths).await
        }
        Cmd::Files(FilesCmd::List(list)) => {
            let client = ctx.client()?;
            list_command(ctx, &client, "files.list", list_args(list), list.all).await
        }
        Cmd::Extract(args) => extract(ctx, args).await,
        Cmd::Export(args) => export(ctx, args).await,
        Cmd::Webhooks(WebhooksCmd::Verify(args)) => verify(ctx, args),
        Cmd::Mock(args) => mock::run(ctx, args).await,
        Cmd::Completion(args) => {
            let mut cmd = crate::cli::command();
            let mut buf = Vec::new();
            clap_complete::generate(args.shell, &mut cmd, "lasso", &mut buf);
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&buf).map_err(|_| Fail::Closed)
        }
    }
}

fn put(args: &mut Map<String, Value>, key: &str, value: Option<impl Into<Value>>) {
    if let Some(v) = value {
        args.insert(key.to_owned(), v.into());
    }
}

fn list_args(list: &ListArgs) -> Map<String, Value> {
    let mut args = Map::new();
    put(&mut args, "page", list.page);
    put(&mut args, "limit", list.limit);
    args
}

/// One page of a list, or with `all` every item as it arrives.
async fn list_command(
    ctx: &Ctx,
    client: &Client,
    op: &str,
    args: Map<String, Value>,
    all: bool,
) -> Result<(), Fail> {
    if all {
        return follow(ctx, client, op, Value::Object(args)).await;
    }
    let page = client.call(op, Value::Object(args), &Default::default()).await?;
    Ok(ctx.out.value(&page)?)
}

/// Every item of a list, page after page, printed as it arrives (collected
/// into one table with `--output table`).
pub async fn follow(ctx: &Ctx, client: &Client, op: &str, args: Value) -> Result<(), Fail> {
    let mut pager = client.pager(op, args, RequestOptions::default())?;
    let table = ctx.out.mode == Mode::Table;
    let mut collected = Vec::new();
    while let Some(items) = pager.next_page().await? {
        for item in items {
            if table {
                collected.push(item);
            } else {
                ctx.out.item(&item)?;
            }
        }
    }
    if table {
        ctx.out.table_of(collected)?;
    }
    Ok(())
}

// ---- auth -------------------------------------------------------------------

async fn auth_status(ctx: &Ctx) -> Result<(), Fail> {
    let settings = crate::config::resolve(&ctx.flags, &ctx.out, ctx.via.clone()).map_err(Fail::Usage)?;
    let base_url = settings
        .base_url
        .clone()
        .unwrap_or_else(|| lasso_ai::DEFAULT_BASE_URL.to_owned());
    let client = settings.client();
    let (masked, result) = match &client {
        Ok(client) => (
            Some(client.masked_key()),
            client.credits().balance().await.map(|b| b.balance),
        ),
        Err(e) => (None, Err(clone_error(e))),
    };
    let mut status = json!({
        "api_key": masked,
        "source": settings.key_source,
        "base_url": client.as_ref().map(|c| c.base_url().to_owned()).unwrap_or(base_url),
        "valid": result.is_ok(),
    });
    match &result {
        Ok(balance) => status["balance"] = json!(balance),
        Err(e) => status["error"] = json!(e.code()),
    }
    let human = ctx.out.mode == Mode::Auto && ctx.out.stdout_tty && ctx.out.select.is_none();
    if human {
        let key = masked.as_deref().unwrap_or("(none)");
        let verdict = if result.is_ok() {
            ctx.out.paint("✓ the key works", "32")
        } else {
            ctx.out.paint("✗ the key does not work", "31")
        };
        println!("{verdict}");
        println!(
            "  key       {key}  (from {})",
            status["source"].as_str().unwrap_or("")
        );
        println!("  base URL  {}", status["base_url"].as_str().unwrap_or(""));
        if let Ok(balance) = &result {
            println!("  credits   {balance}");
        }
    } else {
        ctx.out.value(&status)?;
    }
    match result {
        Ok(_) => Ok(()),
        Err(e) => Err(Fail::Sdk(e)),
    }
}

/// A copy of an error (errors are not `Clone`), through the fields every front door uses.
fn clone_error(e: &lasso_ai::Error) -> lasso_ai::Error {
    match e {
        lasso_ai::Error::InvalidApiKey { rule, message, .. } => {
            lasso_ai::Error::invalid_api_key_error(rule, message.clone())
        }
        other => lasso_ai::Error::configuration_error(other.message()),
    }
}

async fn auth_login(ctx: &Ctx, args: &LoginArgs) -> Result<(), Fail> {
    let key = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Paste your Lasso API key (input hidden): ")
            .map_err(|e| Fail::Usage(format!("cannot read the key: {e}")))?
    } else {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Fail::Usage(format!("cannot read the key from standard input: {e}")))?;
        text
    };
    let key = key.trim().to_owned();
    let mut settings = crate::config::resolve(&ctx.flags, &ctx.out, ctx.via.clone()).map_err(Fail::Usage)?;
    settings.api_key = Some(key.clone());
    if let Some(url) = &args.store_base_url {
        settings.base_url = Some(url.clone());
    }
    let client = settings.client()?;
    if !args.no_check {
        client.credits().balance().await?;
    }
    let path = crate::config::config_path()
        .ok_or_else(|| Fail::Usage("no config directory on this system: set LASSO_CONFIG".into()))?;
    let profile = crate::config::profile_name(&ctx.flags);
    crate::config::store(&path, &profile, Some(&key), args.store_base_url.as_deref())
        .map_err(|e| Fail::Other(e, exit::FAILURE))?;
    ctx.out.note(&format!(
        "stored the key {} in {} [{profile}] (owner-only)",
        client.masked_key(),
        path.display()
    ));
    Ok(ctx.out.value(&json!({
        "api_key": client.masked_key(),
        "config": path.display().to_string(),
        "profile": profile,
    }))?)
}

fn auth_logout(ctx: &Ctx) -> Result<(), Fail> {
    let path = crate::config::config_path()
        .ok_or_else(|| Fail::Usage("no config directory on this system: set LASSO_CONFIG".into()))?;
    let profile = crate::config::profile_name(&ctx.flags);
    if crate::config::read_file(&path).map_err(Fail::Usage)?.is_some() {
        crate::config::store(&path, &profile, None, None).map_err(|e| Fail::Other(e, exit::FAILURE))?;
    }
    ctx.out
        .note(&format!("removed the key of [{profile}] from {}", path.display()));
    Ok(())
}

// ---- search, enrich, schemas ------------------------------------------------

/// A billed call: recorded as in flight, so an interruption says it may have run.
async fn billed_call(ctx: &Ctx, client: &Client, op: &str, args: Value) -> Result<Value, Fail> {
    ctx.created
        .in_flight(Some(format!("{op} (billed): the server may have run it")));
    let value = client.call(op, args, &Default::default()).await?;
    ctx.created.in_flight(None);
    Ok(value)
}

async fn search(ctx: &Ctx, args: &SearchArgs) -> Result<(), Fail> {
    let client = ctx.client()?;
    let mut body = Map::new();
    body.insert("query".into(), json!(args.query));
    put(&mut body, "max_results", args.max_results);
    put(&mut body, "schema_id", args.schema_id.clone());
    let found = billed_call(ctx, &client, "search", Value::Object(body)).await?;
    Ok(ctx.out.value(&found)?)
}

async fn enrich(ctx: &Ctx, args: &EnrichArgs) -> Result<(), Fail> {
    let records = crate::api::read_json_file(&args.json)?;
    let mut body = match records {
        Value::Object(map) if map.contains_key("items") => map,
        Value::Array(list) => {
            let items = list
                .into_iter()
                .map(|r| match r {
                    Value::Object(m) if m.contains_key("data") => Value::Object(m),
                    other => json!({ "data": other }),
                })
                .collect();
            let mut map = Map::new();
            map.insert("items".into(), Value::Array(items));
            map
        }
        Value::Object(one) => {
            let mut map = Map::new();
            map.insert("items".into(), json!([{ "data": one }]));
            map
        }
        _ => {
            return Err(Fail::Usage(format!(
                "{}: expected a list of records or {{\"items\": [...]}}",
                args.json
            )))
        }
    };
    put(&mut body, "schema_id", args.schema_id.clone());
    put(&mut body, "thinking", args.thinking.clone());
    put(&mut body, "context", args.context.clone());
    let client = ctx.client()?;
    let enriched = billed_call(ctx, &client, "enrich", Value::Object(body)).await?;
    Ok(ctx.out.value(&enriched)?)
}

/// `key[:type[:label]]` → a column.
fn column(spec: &str) -> Result<Value, Fail> {
    let mut parts = spec.splitn(3, ':');
    let key = parts.next().unwrap_or_default().trim();
    if key.is_empty() {
        return Err(Fail::Usage(format!(
            "--column {spec:?}: expected KEY[:TYPE[:LABEL]]"
        )));
    }
    let ty = parts.next().filter(|t| !t.is_empty()).unwrap_or("text");
    let label = parts.next().map(str::to_owned).unwrap_or_else(|| {
        let mut chars = key.replace('_', " ").chars().collect::<Vec<_>>();
        if let Some(first) = chars.first_mut() {
            *first = first.to_ascii_uppercase();
        }
        chars.into_iter().collect()
    });
    Ok(json!({ "key": key, "label": label, "type": ty }))
}

async fn schema_create(ctx: &Ctx, args: &SchemaCreateArgs) -> Result<(), Fail> {
    let mut body = match &args.json {
        Some(spec) => match crate::api::read_json_file(spec)? {
            Value::Object(map) => map,
            _ => {
                return Err(Fail::Usage(format!(
                    "{spec}: a schema is a JSON object {{name, columns}}"
                )))
            }
        },
        None => {
            let columns = args
                .column
                .iter()
                .map(|c| column(c))
                .collect::<Result<Vec<_>, _>>()?;
            let mut map = Map::new();
            map.insert("name".into(), json!(args.name));
            map.insert("columns".into(), Value::Array(columns));
            map
        }
    };
    put(&mut body, "description", args.description.clone());
    let client = ctx.client()?;
    let schema = client
        .call("schemas.create", Value::Object(body), &Default::default())
        .await?;
    Ok(ctx.out.value(&schema)?)
}

async fn schema_generate(ctx: &Ctx, args: &SchemaGenerateArgs) -> Result<(), Fail> {
    let sample = match (&args.text, &args.sample) {
        (Some(text), _) => text.clone(),
        (None, Some(spec)) if spec == "-" => crate::api::read_source("-")?,
        (None, Some(path)) => {
            std::fs::read_to_string(path).map_err(|e| Fail::Usage(format!("cannot read {path}: {e}")))?
        }
        (None, None) => unreachable!("clap requires one"),
    };
    let mut body = Map::new();
    body.insert("sample_data".into(), json!(sample));
    put(&mut body, "name", args.name.clone());
    let client = ctx.client()?;
    let schema = billed_call(ctx, &client, "schemas.generate", Value::Object(body)).await?;
    Ok(ctx.out.value(&schema)?)
}

// ---- files ------------------------------------------------------------------

/// Uploads one file with a bar in bytes; the bar restarts if the request is retried.
async fn upload_one(ctx: &Ctx, client: &Client, bars: &Bars, path: &Path) -> Result<Value, Fail> {
    let meta = tokio::fs::metadata(path)
        .await
        .map_err(|e| lasso_ai::Error::file("upload", path, e))?;
    if meta.is_dir() {
        return Err(lasso_ai::Error::file("upload", path, std::io::ErrorKind::IsADirectory.into()).into());
    }
    if !meta.is_file() {
        return Err(Fail::Usage(format!(
            "cannot upload {}: not a regular file",
            path.display()
        )));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "upload".into());
    let bar = bars.bytes(&name, Some(meta.len()));
    let (reading, counter) = (path.to_path_buf(), bar.clone());
    let open: lasso_ai::OpenStream = Arc::new(move || {
        let file = std::fs::File::open(&reading).map_err(|e| lasso_ai::Error::file("upload", &reading, e))?;
        counter.set_position(0);
        let counter = counter.clone();
        let chunks =
            futures_util::stream::try_unfold(tokio::fs::File::from_std(file), |mut file| async move {
                let mut buf = vec![0u8; 256 * 1024];
                let n = file.read(&mut buf).await?;
                if n == 0 {
                    return Ok(None);
                }
                buf.truncate(n);
                Ok(Some((bytes::Bytes::from(buf), file)))
            })
            .inspect_ok(move |chunk: &bytes::Bytes| counter.inc(chunk.len() as u64));
        Ok(chunks.boxed())
    });
    let source = UploadSource::Stream {
        open,
        length: Some(meta.len()),
    };
    let upload = lasso_ai::__bindings::upload(source, Some(name.clone()), None);
    ctx.created.in_flight(Some(format!(
        "the upload of {name}: the server may have stored it (see `lasso files list`)"
    )));
    let result = client.upload_file(upload, &Default::default()).await;
    ctx.created.in_flight(None);
    match result {
        Ok(file) => {
            let id = file["id"].as_str().unwrap_or("?").to_owned();
            ctx.created.add(format!("file {id} ({name})"));
            bars.done(&bar, &format!("uploaded {} as {id}", human_bytes(meta.len())));
            Ok(file)
        }
        Err(e) => {
            bars.stopped(&bar);
            Err(e.into())
        }
    }
}

/// Uploads files (up to 4 at once, a bar each) and prints each File object.
pub async fn upload_files(ctx: &Ctx, client: &Client, paths: &[PathBuf]) -> Result<(), Fail> {
    let bars = Bars::new(&ctx.out);
    let files = upload_all(ctx, client, &bars, paths).await?;
    for file in &files {
        ctx.out.item(file)?;
    }
    Ok(())
}

async fn upload_all(ctx: &Ctx, client: &Client, bars: &Bars, paths: &[PathBuf]) -> Result<Vec<Value>, Fail> {
    futures_util::stream::iter(paths.iter().map(|p| upload_one(ctx, client, bars, p)))
        .buffered(4)
        .try_collect()
        .await
}

fn human_bytes(n: u64) -> String {
    indicatif::HumanBytes(n).to_string()
}

// ---- extract and export -------------------------------------------------------

/// Exports with a bar in bytes; the file appears whole or not at all.
pub async fn export_table(
    ctx: &Ctx,
    client: &Client,
    table_id: &str,
    format: &str,
    columns: Option<&str>,
    path: &Path,
) -> Result<(), Fail> {
    let bars = Bars::new(&ctx.out);
    let saved = export_with_bar(ctx, client, &bars, table_id, format, columns, path).await?;
    Ok(ctx.out.value(&saved)?)
}

async fn export_with_bar(
    ctx: &Ctx,
    client: &Client,
    bars: &Bars,
    table_id: &str,
    format: &str,
    columns: Option<&str>,
    path: &Path,
) -> Result<Value, Fail> {
    let label = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| format!("{table_id}.{format}"));
    let bar = bars.bytes(&label, None);
    ctx.created.local(format!(
        "no partial file was left at {} (exports are written whole or not at all)",
        path.display()
    ));
    let (b, progress_bars) = (bar.clone(), bars.clone());
    let result = client
        .export_table_to_path_with_progress(
            table_id,
            format,
            columns,
            path,
            &Default::default(),
            move |done, total| {
                progress_bars.set_total(&b, total);
                b.set_position(done);
            },
        )
        .await;
    match result {
        Ok(saved) => {
            bars.done(
                &bar,
                &format!("exported {} to {}", human_bytes(saved.size), saved.path.display()),
            );
            Ok(json!({
                "path": saved.path.display().to_string(),
                "format": format,
                "bytes": saved.size,
                "content_type": saved.content_type,
            }))
        }
        Err(e) => {
            bars.stopped(&bar);
            Err(e.into())
        }
    }
}

fn format_of(format: Option<Format>, path: &Path) -> Result<&'static str, Fail> {
    format
        .or_else(|| Format::from_path(path))
        .map(Format::as_str)
        .ok_or_else(|| {
            Fail::Usage(format!(
                "cannot tell the export format from {:?}: give --format csv|xlsx|json|images (or name it .csv, .xlsx, .json, .zip)",
                path.display().to_string()
            ))
        })
}

async fn export(ctx: &Ctx, args: &ExportArgs) -> Result<(), Fail> {
    let format = format_of(args.format, &args.out)?;
    let client = ctx.client()?;
    export_table(
        ctx,
        &client,
        &args.table_id,
        format,
        args.columns.as_deref(),
        &args.out,
    )
    .await
}

/// The quick start in one command: schema, uploads, table, wait, export.
async fn extract(ctx: &Ctx, args: &ExtractArgs) -> Result<(), Fail> {
    let export_format = match &args.export {
        Some(path) => Some(format_of(args.format, path)?),
        None => None,
    };
    for f in &args.files {
        // Before anything is created (or billed): every file must be there.
        match std::fs::metadata(f) {
            Ok(meta) if meta.is_file() => {}
            Ok(meta) if meta.is_dir() => {
                return Err(
                    lasso_ai::Error::file("upload", f, std::io::ErrorKind::IsADirectory.into()).into(),
                )
            }
            Ok(_) => {
                return Err(Fail::Usage(format!(
                    "cannot upload {}: not a regular file",
                    f.display()
                )))
            }
            Err(e) => return Err(lasso_ai::Error::file("upload", f, e).into()),
        }
    }
    let interval = lasso_ai::__bindings::duration_from_secs("--interval", args.interval)?;
    let wait_timeout = lasso_ai::__bindings::duration_from_secs("--wait-timeout", args.wait_timeout)?;
    let client = ctx.client()?;
    let bars = Bars::new(&ctx.out);

    // 1. The schema: an id, or a file to create one from.
    let schema_path = Path::new(&args.schema);
    let schema_id = if schema_path.is_file() {
        let body = crate::api::read_json_file(&args.schema)?;
        let schema = client.call("schemas.create", body, &Default::default()).await?;
        let id = schema["id"].as_str().unwrap_or_default().to_owned();
        ctx.created.add(format!("schema {id} (from {})", args.schema));
        bars.note(&format!("✓ created schema {id} from {}", args.schema));
        id
    } else if args.schema.ends_with(".json") {
        return Err(Fail::Usage(format!("--schema {}: no such file", args.schema)));
    } else {
        args.schema.clone()
    };

    // 2. The files, a bar each.
    let files = upload_all(ctx, &client, &bars, &args.files).await?;
    let file_ids: Vec<&str> = files.iter().filter_map(|f| f["id"].as_str()).collect();

    // 3. The table: extraction starts (and is billed) on the server.
    let name = args.name.clone().unwrap_or_else(|| {
        args.files[0]
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Extraction".into())
    });
    ctx.created.in_flight(Some(
        "creating the table (billed): the server may have started the extraction (see `lasso tables list`)"
            .into(),
    ));
    let mut table = client
        .call(
            "tables.create",
            json!({ "schema_id": schema_id, "name": name, "file_ids": file_ids }),
            &Default::default(),
        )
        .await?;
    ctx.created.in_flight(None);
    let table_id = table["id"].as_str().unwrap_or_default().to_owned();
    ctx.created.add(format!(
        "table {table_id} ({name}): its extraction was started and is billed; it goes on without lasso (`lasso tables get {table_id}`)"
    ));
    bars.note(&format!(
        "✓ created table {table_id} ({name}); extraction started"
    ));

    // 4. Wait, with the job's percentage and status.
    if args.wait || args.export.is_some() {
        let bar = bars.job("extraction");
        let shown = bar.clone();
        let waited = client
            .wait_for_job(
                Job::Extraction { table_id: &table_id },
                interval,
                wait_timeout,
                move |p| {
                    shown.set_position(p.progress.unwrap_or(0.0).clamp(0.0, 100.0) as u64);
                    shown.set_message(crate::exit::one_line(p.status.as_str()));
                    std::future::ready(ControlFlow::<()>::Continue(()))
                },
            )
            .await;
        match waited {
            Ok(Ok(done)) => {
                bar.set_position(100);
                ctx.created
                    .update_last(format!("table {table_id} ({name}): extracted (billed)"));
                let rows = match done["total_rows"].as_u64() {
                    Some(1) => ", 1 row".to_owned(),
                    Some(n) => format!(", {n} rows"),
                    None => String::new(),
                };
                bars.done(&bar, &format!("{table_id} completed{rows}"));
                table = done;
            }
            Ok(Err(())) => unreachable!("the progress callback never stops the wait"),
            Err(e) => {
                bars.stopped(&bar);
                return Err(e.into());
            }
        }
    }

    // 5. Export.
    let mut exported = Value::Null;
    if let (Some(path), Some(format)) = (&args.export, export_format) {
        exported = export_with_bar(ctx, &client, &bars, &table_id, format, None, path).await?;
    }
    let summary = json!({
        "schema_id": schema_id,
        "files": files.iter().map(|f| json!({"id": f["id"], "filename": f["filename"]})).collect::<Vec<_>>(),
        "table": table,
        "export": exported,
    });
    Ok(ctx.out.value(&summary)?)
}

// ---- webhooks ---------------------------------------------------------------

fn verify(ctx: &Ctx, args: &VerifyArgs) -> Result<(), Fail> {
    let mut secrets = args.secret.clone();
    if secrets.is_empty() {
        if let Ok(env) = std::env::var("LASSO_WEBHOOK_SECRET") {
            secrets.extend(env.split(',').map(str::to_owned));
        }
    }
    let mut payload = Vec::new();
    match &args.payload {
        Some(path) => {
            payload = std::fs::read(path)
                .map_err(|e| Fail::Usage(format!("cannot read {}: {e}", path.display())))?
        }
        None => {
            std::io::stdin()
                .read_to_end(&mut payload)
                .map_err(|e| Fail::Usage(format!("cannot read standard input: {e}")))?;
        }
    }
    // `X-Lasso-Signature: sha256=…` as copied from a log works too.
    let header = args.header.as_deref().map(|h| match h.split_once(':') {
        Some((name, value))
            if name
                .trim()
                .eq_ignore_ascii_case(lasso_ai::webhook::SIGNATURE_HEADER) =>
        {
            value.trim()
        }
        _ => h.trim(),
    });
    let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let tolerance = args.tolerance.map(Duration::from_secs);
    let event = lasso_ai::webhook::construct_event_within(&payload, header, &refs, tolerance)?;
    ctx.out.note("✓ the signature verifies");
    Ok(ctx.out.value(&event)?)
}
