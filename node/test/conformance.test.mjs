// Cross-language conformance: runs every scenario of tests/conformance/*.json
// against lasso-mock. The Rust (crates/lasso-ai/tests/conformance.rs) and Python
// (python/tests/test_conformance.py) runners mirror this file; the format is
// described in tests/conformance/README.md. Results go to
// target/conformance/node.json for `just conformance`.
import { after, before, test } from "node:test";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import LassoClient from "../dist/index.mjs";
import { native } from "../dist/native.js";
import { KEY, REPO, startMock } from "./helpers/mock.mjs";

const SCENARIOS = join(REPO, "tests", "conformance");
const CLASSES = JSON.parse(readFileSync(join(SCENARIOS, "error_classes.json"), "utf8")).classes;
const ALL = readdirSync(SCENARIOS)
  .filter((f) => f.endsWith(".json") && f !== "error_classes.json")
  .sort()
  .flatMap((f) => JSON.parse(readFileSync(join(SCENARIOS, f), "utf8")).scenarios);
const RESULTS = new Map();

class Failed extends Error {}

// --- the interpretation: identical in every runner ------------------------------------

const VAR = /\$\{([^}]+)\}/g;

function lookup(value, path) {
  for (const part of path ? path.split(".") : []) {
    if (Array.isArray(value) && /^\d+$/.test(part) && Number(part) < value.length) value = value[Number(part)];
    else if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.hasOwn(value, part)) value = value[part];
    else throw new Failed(`nothing at \`${path}\``);
  }
  return value;
}

/** `${name.path}` in strings: a whole-string reference keeps the saved value's type. */
function substitute(value, env) {
  if (Array.isArray(value)) return value.map((v) => substitute(v, env));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, env)]));
  }
  if (typeof value !== "string") return value;
  const resolve = (ref) => {
    const dot = ref.indexOf(".");
    const [name, path] = dot < 0 ? [ref, ""] : [ref.slice(0, dot), ref.slice(dot + 1)];
    if (!Object.hasOwn(env, name)) throw new Failed(`unknown variable \`${name}\``);
    return lookup(env[name], path);
  };
  const whole = /^\$\{([^}]+)\}$/.exec(value);
  if (whole) return resolve(whole[1]);
  return value.replace(VAR, (_, ref) => {
    const v = resolve(ref);
    return typeof v === "string" ? v : JSON.stringify(v);
  });
}

const kindOf = (v) =>
  v === null || v === undefined ? "null" : Array.isArray(v) ? "array" : typeof v === "boolean" ? "bool" : typeof v;
const show = (v) => (JSON.stringify(v) ?? "null").slice(0, 200);

/** Subset match: objects may have more keys, `null` means null or absent,
 * arrays must have the same length, numbers compare by value. */
function match(expected, actual, where) {
  if (expected === null) {
    if (actual !== null && actual !== undefined) throw new Failed(`${where}: expected null, got ${show(actual)}`);
  } else if (kindOf(expected) !== kindOf(actual)) {
    throw new Failed(`${where}: expected ${show(expected)}, got ${show(actual)}`);
  } else if (Array.isArray(expected)) {
    if (expected.length !== actual.length) throw new Failed(`${where}: expected ${expected.length} items, got ${actual.length}`);
    expected.forEach((e, i) => match(e, actual[i], `${where}[${i}]`));
  } else if (typeof expected === "object") {
    for (const [key, value] of Object.entries(expected)) match(value, actual[key], `${where}.${key}`);
  } else if (expected !== actual) {
    throw new Failed(`${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

function checkOutcome(expect, result, error) {
  if ("error" in expect) {
    if (error === null) throw new Failed(`expected an error, got ${show(result)}`);
    const { kind, ...wanted } = expect.error;
    wanted.class = CLASSES[kind];
    match(wanted, error, "error");
    return;
  }
  if (error !== null) throw new Failed(`unexpected ${error.class}: ${error.message}`);
  if ("result" in expect) match(expect.result, result, "result");
  if ("count" in expect) match(expect.count, result.length, "count");
}

/** The last request the mock received, with its query string as an object. */
function requestView(entry) {
  if (entry === undefined) return null;
  const query = {};
  for (const [k, v] of new URLSearchParams(entry.query ?? "")) {
    query[k] = !Object.hasOwn(query, k) ? v : [].concat(query[k], v);
  }
  return { ...entry, query };
}

// --- the SDK and the mock, as this language reaches them ---------------------------------

function errorView(e) {
  return {
    class: e?.constructor?.name ?? typeof e,
    status: e?.statusCode,
    error_type: e?.errorType,
    code: e?.code,
    message: e?.message,
    request_id: e?.requestId,
    retryable: e?.retryable,
    retry_after: typeof e?.retryAfter === "number" ? e.retryAfter / 1000 : e?.retryAfter,
    details: e?.details,
    body: e?.body,
    raw_body: e?.rawBody,
  };
}

function makeClient(mock, spec) {
  const options = { apiKey: Object.hasOwn(spec, "api_key") ? spec.api_key : KEY, baseUrl: spec.base_url ?? mock.baseUrl };
  if ("timeout" in spec) options.timeout = spec.timeout * 1000;
  if ("max_retries" in spec) options.maxRetries = spec.max_retries;
  if ("allow_nonstandard_key" in spec) options.allowNonstandardKey = spec.allow_nonstandard_key;
  return new LassoClient(options);
}

/** Each operation's declared argument names and whether it sends a JSON body. */
const DECLARED = new Map(
  native()
    .__operations()
    .map((op) => [op.id, { names: new Set(op.params.map((p) => p.name)), body: ["POST", "PUT", "PATCH"].includes(op.method) }]),
);

/**
 * A scenario's arguments as a Node user passes them: the declared ones as the
 * parameters; a field newer than the SDK through the `extraBody` / `extraQuery`
 * escape hatch (an unknown parameter is refused: Node's parameters are strict).
 */
function split(op, all, options) {
  const declared = DECLARED.get(op);
  if (declared === undefined) return all;
  const args = {};
  for (const [name, value] of Object.entries(all)) {
    if (declared.names.has(name)) args[name] = value;
    else if (declared.body) (options.extraBody ??= {})[name] = value;
    else (options.extraQuery ??= {})[name] = value;
  }
  return args;
}

async function call(client, step) {
  const op = step.call;
  const given = step.options ?? {};
  const options = {};
  const args = step.args ?? {};
  if ("timeout" in given) options.timeout = given.timeout * 1000;
  if ("max_retries" in given) options.maxRetries = given.max_retries;
  if (step.iterate) {
    const items = [];
    for await (const item of client._iterate(op, split(op, args, options), options)) items.push(item);
    return items;
  }
  if (op === "files.upload") {
    return client._uploadFile(Buffer.from(args.content), args.filename, args.content_type ?? null, options);
  }
  if (op === "tables.wait_for_completion") {
    return client.tables.waitForCompletion(args.table_id, { intervalMs: args.interval * 1000, timeoutMs: args.timeout * 1000 });
  }
  if (op === "tables.export") {
    const out = await client._exportTable(args.table_id, args.format, args.columns ?? null, null, options);
    const text = ["csv", "json"].includes(args.format) ? out.data.toString("utf8") : null;
    return { content_type: out.contentType, filename: out.filename, size: out.data.length, text };
  }
  return client._call(op, split(op, args, options), options);
}

async function run(mock, scenario) {
  const env = {};
  const fallback = makeClient(mock, {});
  let n = 0;
  for (const raw of scenario.steps) {
    n += 1;
    const { save = {}, ...rest } = raw;
    try {
      const step = substitute(rest, env);
      if ("fault" in step) {
        await mock.fault(step.fault);
        continue;
      }
      let result = null;
      let error = null;
      try {
        const client = "client" in step ? makeClient(mock, step.client) : fallback;
        result = (await call(client, step)) ?? null;
      } catch (e) {
        error = errorView(e);
      }
      checkOutcome(step.expect ?? {}, result, error);
      for (const [name, path] of Object.entries(save)) env[name] = lookup(result, path);
      if ("request" in step) {
        const requests = await mock.requests();
        match(step.request, requestView(requests.at(-1)), "request");
      }
      if ("stats" in step) match(step.stats, await mock.stats(), "stats");
    } catch (e) {
      if (e instanceof Failed) throw new Failed(`step ${n} (${raw.call ?? "fault"}): ${e.message}`);
      throw e;
    }
  }
}

let mock;
before(async () => {
  mock = await startMock({ args: ["--time-scale", "0"] });
});
after(async () => {
  const out = join(REPO, "target", "conformance");
  mkdirSync(out, { recursive: true });
  const results = ALL.map((s) => {
    const error = RESULTS.has(s.id) ? RESULTS.get(s.id) : "not run";
    return { id: s.id, ok: error === null, error };
  });
  writeFileSync(join(out, "node.json"), JSON.stringify({ language: "node", results }, null, 1));
  await mock?.stop();
});

for (const scenario of ALL) {
  test(scenario.id, async () => {
    await mock.reset();
    try {
      await run(mock, scenario);
      RESULTS.set(scenario.id, null);
    } catch (e) {
      RESULTS.set(scenario.id, e instanceof Failed ? e.message : `${e?.name}: ${e?.message}`);
      throw e;
    }
  });
}

test("scenario ids are unique", () => {
  const ids = ALL.map((s) => s.id);
  const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dup.length) throw new Error(`duplicate ids: ${dup.join(", ")}`);
});
