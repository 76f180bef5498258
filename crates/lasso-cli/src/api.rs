//! `lasso api OPERATION`: every operation of the API, with its command, help
//! and flags generated at run time from the one description of the API
//! (`lasso_spec::OPERATIONS`), so a new operation needs nothing here.

use std::path::PathBuf;

use clap::{Arg, ArgAction, ArgMatches, Command};
use lasso_ai::__bindings::ClientExt;
use lasso_spec::{Loc, Operation, Paging, ResponseKind, Ty, OPERATIONS};
use serde_json::{Map, Value};

use crate::cli::{Ctx, Fail};

/// Argument ids `lasso api` itself uses on every operation.
const OWN: [&str; 5] = ["field", "raw_field", "json", "all", "out"];

/// The operation's type as shown in help.
fn type_name(ty: Ty) -> &'static str {
    match ty {
        Ty::Str => "string",
        Ty::Int => "integer",
        Ty::Num => "number",
        Ty::Bool => "boolean",
        Ty::StrList => "list of strings",
        Ty::Obj => "JSON object",
        Ty::ObjList => "JSON list of objects",
        Ty::Any => "any JSON",
        Ty::Enum(_) => "string enumeration",
        Ty::EnumList(_) => "list of enumeration values",
    }
}

fn value_name(ty: Ty) -> &'static str {
    match ty {
        Ty::Str => "STRING",
        Ty::Int => "INT",
        Ty::Num => "NUMBER",
        Ty::Bool => "BOOL",
        Ty::StrList => "STRING,…",
        Ty::Enum(_) => "VALUE",
        Ty::EnumList(_) => "VALUE,…",
        Ty::Obj | Ty::ObjList | Ty::Any => "JSON|@FILE",
    }
}

/// " [values: csv, xlsx, …]" for an enumeration; values newer than this
/// build are still sent as given.
fn known_values(ty: Ty) -> String {
    let (Ty::Enum(name) | Ty::EnumList(name)) = ty else {
        return String::new();
    };
    lasso_spec::models::enum_named(name).map_or_else(String::new, |e| {
        let values: Vec<&str> = e.values.iter().map(|(v, _)| *v).collect();
        format!(" [values: {}]", values.join(", "))
    })
}

/// `tables.get` → `GET /tables/{table_id}`.
fn endpoint(op: &Operation) -> String {
    format!("{} {}", op.method, op.path)
}

fn paging(op: &Operation) -> &'static str {
    match op.paging {
        Paging::None => "",
        Paging::Page => "page/limit",
        Paging::Cursor { .. } => "cursor",
    }
}

/// The help text of an operation, from its entry of the spec.
fn long_about(op: &Operation) -> String {
    let mut text = format!("{}\n\n", op.summary);
    text.push_str(&format!("  Endpoint: {}\n", endpoint(op)));
    text.push_str(&format!(
        "  Billed:   {}\n",
        if op.billed { "yes, it spends credits" } else { "no" }
    ));
    if let Some(model) = op.returns {
        text.push_str(&format!("  Returns:  {model}\n"));
    }
    match op.response {
        ResponseKind::Empty => text.push_str("  Returns:  nothing (prints null)\n"),
        ResponseKind::Binary => text.push_str("  Returns:  a file: give --out PATH\n"),
        ResponseKind::Json => {}
    }
    if op.paging != Paging::None {
        text.push_str(&format!(
            "  Paging:   {} (--all follows every page, one item per line)\n",
            paging(op)
        ));
    }
    text.push_str("\nParameters:\n");
    let shown: Vec<_> = op.params.iter().filter(|p| p.fixed.is_none()).collect();
    if shown.is_empty() && op.id != "files.upload" {
        text.push_str("  (none)\n");
    }
    for p in shown {
        let loc = match p.loc {
            Loc::Path => "path",
            Loc::Query => "query",
            Loc::Body => "body",
        };
        text.push_str(&format!(
            "  {:<22} {:<20} {:<5} {}{}\n",
            p.name,
            type_name(p.ty),
            loc,
            if p.required { "required. " } else { "" },
            p.doc
        ));
    }
    if op.id == "files.upload" {
        text.push_str("  PATH                   file                   the file to upload\n");
    }
    text
}

/// One subcommand per operation.
pub fn operation_commands() -> Vec<Command> {
    OPERATIONS.iter().map(operation_command).collect()
}

fn operation_command(op: &'static Operation) -> Command {
    let billed = if op.billed { " [billed]" } else { "" };
    let mut cmd = Command::new(op.id)
        .about(format!("{}{billed}", op.summary))
        .long_about(long_about(op))
        .next_line_help(false);
    for p in op.params.iter().filter(|p| p.fixed.is_none()) {
        if OWN.contains(&p.name) {
            continue; // still settable with -F
        }
        let mut arg = Arg::new(p.name).help(format!(
            "{}{}{}",
            if p.doc.is_empty() { "Path parameter" } else { p.doc },
            if p.required && p.loc != Loc::Path {
                " (required)"
            } else {
                ""
            },
            known_values(p.ty)
        ));
        if p.loc == Loc::Path {
            arg = arg.required(true).value_name(p.name.to_ascii_uppercase());
        } else {
            arg = arg.long(p.name.replace('_', "-")).value_name(value_name(p.ty));
            arg = match p.ty {
                Ty::StrList | Ty::EnumList(_) => arg.action(ArgAction::Append).value_delimiter(','),
                Ty::ObjList => arg.action(ArgAction::Append),
                _ => arg.action(ArgAction::Set),
            };
        }
        cmd = cmd.arg(arg);
    }
    if op.id == "files.upload" {
        cmd = cmd.arg(
            Arg::new("path")
                .value_name("PATH")
                .required(true)
                .value_parser(clap::value_parser!(PathBuf))
                .help("The file to upload"),
        );
    }
    if op.response == ResponseKind::Binary {
        cmd = cmd.arg(
            Arg::new("out")
                .short('o')
                .long("out")
                .value_name("PATH")
                .required(true)
                .value_parser(clap::value_parser!(PathBuf))
                .help("Write the file here (whole or not at all)"),
        );
    }
    cmd = cmd
        .arg(
            Arg::new("field")
                .short('F')
                .long("field")
                .value_name("KEY=VALUE")
                .action(ArgAction::Append)
                .help("An argument, typed: JSON values (numbers, true, null, {…}, […]) as JSON, @FILE as the file's content, anything else as a string"),
        )
        .arg(
            Arg::new("raw_field")
                .short('f')
                .long("raw-field")
                .value_name("KEY=VALUE")
                .action(ArgAction::Append)
                .help("An argument, always a string"),
        )
        .arg(
            Arg::new("json")
                .long("json")
                .value_name("BODY|@FILE|-")
                .help("All arguments as one JSON object: inline, @FILE, or - for standard input; flags override its keys"),
        );
    if op.paging != Paging::None {
        cmd = cmd.arg(
            Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help("Follow every page, printing items as they arrive (NDJSON when piped)"),
        );
    }
    cmd
}

/// `lasso api --list`: a table on a terminal (or with `--output table`), else NDJSON.
pub fn list(ctx: &Ctx) -> Result<(), Fail> {
    let entries: Vec<Value> = OPERATIONS
        .iter()
        .map(|op| {
            serde_json::json!({
                "id": op.id,
                "method": op.method.as_str(),
                "path": op.path,
                "billed": op.billed,
                "paging": if op.paging == Paging::None { Value::Null } else { paging(op).into() },
                "summary": op.summary,
            })
        })
        .collect();
    let out = &ctx.out;
    let human = out.mode == crate::output::Mode::Table
        || (out.mode == crate::output::Mode::Auto && out.stdout_tty && out.select.is_none());
    if human {
        let mut table = crate::output::new_table(comfy_table::presets::NOTHING);
        table.set_header(vec!["OPERATION", "ENDPOINT", "BILLED", "SUMMARY"]);
        for op in OPERATIONS {
            table.add_row(vec![
                op.id.to_owned(),
                endpoint(op),
                if op.billed { "billed".into() } else { String::new() },
                op.summary.to_owned(),
            ]);
        }
        println!("{table}");
        println!(
            "\n{} operations. `lasso api OPERATION --help` shows one's parameters.",
            OPERATIONS.len()
        );
        return Ok(());
    }
    for e in &entries {
        out.item(e)?;
    }
    Ok(())
}

/// Reads `@FILE` / `-` / inline text.
pub fn read_source(spec: &str) -> Result<String, Fail> {
    if spec == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| Fail::Usage(format!("cannot read standard input: {e}")))?;
        return Ok(text);
    }
    if let Some(path) = spec.strip_prefix('@') {
        return std::fs::read_to_string(path).map_err(|e| Fail::Usage(format!("cannot read {path}: {e}")));
    }
    Ok(spec.to_owned())
}

/// A JSON file, `-` (standard input) or `@FILE`.
pub fn read_json_file(spec: &str) -> Result<Value, Fail> {
    let text = if spec == "-" || spec.starts_with('@') {
        read_source(spec)?
    } else {
        std::fs::read_to_string(spec).map_err(|e| Fail::Usage(format!("cannot read {spec}: {e}")))?
    };
    serde_json::from_str(&text).map_err(|e| Fail::Usage(format!("{spec} is not valid JSON: {e}")))
}

/// A typed value: JSON when it parses as JSON, `@FILE` read, else a string.
fn typed(value: &str) -> Result<Value, Fail> {
    if value.starts_with('@') {
        let text = read_source(value)?;
        return Ok(serde_json::from_str(&text).unwrap_or(Value::String(text)));
    }
    Ok(serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_owned())))
}

fn key_value(pair: &str) -> Result<(&str, &str), Fail> {
    pair.split_once('=')
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| Fail::Usage(format!("{pair:?}: expected KEY=VALUE")))
}

/// A flag's value as the type the spec gives the parameter.
fn parse_typed(op: &Operation, name: &str, ty: Ty, raw: &str) -> Result<Value, Fail> {
    let bad = |what: &str| {
        Fail::Usage(format!(
            "{}: --{} expects {what}, got {raw:?}",
            op.id,
            name.replace('_', "-")
        ))
    };
    Ok(match ty {
        Ty::Str | Ty::Enum(_) => Value::String(raw.to_owned()),
        Ty::Int => Value::from(raw.parse::<i64>().map_err(|_| bad("an integer"))?),
        Ty::Num => serde_json::Number::from_f64(raw.parse::<f64>().map_err(|_| bad("a number"))?)
            .map(Value::Number)
            .ok_or_else(|| bad("a finite number"))?,
        Ty::Bool => Value::Bool(raw.parse::<bool>().map_err(|_| bad("true or false"))?),
        Ty::StrList | Ty::EnumList(_) => Value::String(raw.to_owned()),
        Ty::Obj | Ty::ObjList | Ty::Any => {
            let text = read_source(raw)?;
            serde_json::from_str(&text).map_err(|_| bad("JSON (or @FILE holding JSON)"))?
        }
    })
}

/// The arguments of an operation from its command line: `--json`, then
/// `-F`/`-f`, then the typed flags and path parameters.
pub fn arguments(op: &'static Operation, m: &ArgMatches) -> Result<Map<String, Value>, Fail> {
    let mut args = match m.get_one::<String>("json") {
        Some(spec) => {
            let text = read_source(spec)?;
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(map)) => map,
                Ok(_) => return Err(Fail::Usage("--json must be a JSON object".into())),
                Err(e) => return Err(Fail::Usage(format!("--json is not valid JSON: {e}"))),
            }
        }
        None => Map::new(),
    };
    for pair in m.get_many::<String>("raw_field").into_iter().flatten() {
        let (k, v) = key_value(pair)?;
        args.insert(k.to_owned(), Value::String(v.to_owned()));
    }
    for pair in m.get_many::<String>("field").into_iter().flatten() {
        let (k, v) = key_value(pair)?;
        args.insert(k.to_owned(), typed(v)?);
    }
    for p in op
        .params
        .iter()
        .filter(|p| p.fixed.is_none() && !OWN.contains(&p.name))
    {
        let Some(values) = m.get_many::<String>(p.name) else {
            continue;
        };
        let values: Vec<&String> = values.collect();
        let value = match p.ty {
            Ty::StrList | Ty::EnumList(_) => {
                Value::Array(values.iter().map(|v| Value::String((*v).clone())).collect())
            }
            Ty::ObjList => {
                let mut items = Vec::new();
                for v in values {
                    match parse_typed(op, p.name, p.ty, v)? {
                        Value::Array(list) => items.extend(list),
                        other => items.push(other),
                    }
                }
                Value::Array(items)
            }
            _ => parse_typed(op, p.name, p.ty, values[values.len() - 1])?,
        };
        args.insert(p.name.to_owned(), value);
    }
    Ok(args)
}

/// `lasso api …`.
pub async fn run(ctx: &Ctx, m: &ArgMatches, list_flag: bool) -> Result<(), Fail> {
    let Some((id, sub)) = m.subcommand() else {
        if list_flag {
            return list(ctx);
        }
        return Err(Fail::Usage(
            "name an operation (`lasso api --list` shows them all; `lasso api OPERATION --help` one)".into(),
        ));
    };
    let op = OPERATIONS
        .iter()
        .find(|op| op.id == id)
        .expect("clap only accepts operations of the table");
    let args = arguments(op, sub)?;
    let client = ctx.client()?;
    match (op.id, op.response) {
        ("files.upload", _) => {
            let path = sub.get_one::<PathBuf>("path").expect("required");
            crate::commands::upload_files(ctx, &client, std::slice::from_ref(path)).await
        }
        (_, ResponseKind::Binary) => {
            let out = sub.get_one::<PathBuf>("out").expect("required");
            // Without --format, the file's extension says it (out.csv, images.zip).
            let format = match args.get("format").and_then(Value::as_str) {
                Some(f) => f.to_owned(),
                None => crate::cli::Format::from_path(out)
                    .map(|f| f.as_str().to_owned())
                    .unwrap_or_default(),
            };
            let table_id = args
                .get("table_id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let columns = args.get("columns").and_then(Value::as_str).map(str::to_owned);
            crate::commands::export_table(ctx, &client, &table_id, &format, columns.as_deref(), out).await
        }
        _ => {
            let all = sub
                .try_get_one::<bool>("all")
                .ok()
                .flatten()
                .copied()
                .unwrap_or(false);
            if all {
                return crate::commands::follow(ctx, &client, op.id, Value::Object(args)).await;
            }
            if op.billed {
                ctx.created
                    .in_flight(Some(format!("{} (billed): the server may have run it", op.id)));
            }
            let value = client
                .call(op.id, Value::Object(args), &Default::default())
                .await?;
            ctx.created.in_flight(None);
            ctx.out.value(&value)?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_a_command_that_clap_accepts() {
        let cmd = crate::cli::command();
        cmd.clone().debug_assert();
        let api = cmd.find_subcommand("api").unwrap();
        for op in OPERATIONS {
            assert!(api.find_subcommand(op.id).is_some(), "{}", op.id);
        }
    }
}
