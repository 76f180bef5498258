// Node side of the benchmarks (run by bench/run.py, `just bench`). Prints one
// JSON object on stdout.
//
//   node node_bench.mjs latency    --impl ours|fetch [--n 2000] [--warmup 200]
//   node node_bench.mjs throughput --impl ours|fetch --concurrency C [--seconds 3] [--warmup 0.5]
//   node node_bench.mjs paginate   --table ID
//   node node_bench.mjs export     --table ID --path FILE
//   node node_bench.mjs upload     --path FILE
//
// `@lasso-ai/sdk` resolves to bench/node_modules/@lasso-ai/sdk: a copy of the
// package with the release addon, made by bench/run.py. LASSO_BASE_URL and
// LASSO_API_KEY point at the lasso-mock the harness started on 127.0.0.1.
import { statSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const BASE_URL = process.env.LASSO_BASE_URL;
const API_KEY = process.env.LASSO_API_KEY;

function parseArgs(argv) {
  const out = { scenario: argv[0] };
  for (let i = 1; i < argv.length; i += 2) {
    if (!argv[i].startsWith("--") || argv[i + 1] === undefined) throw new Error(`bad argument ${argv[i]}`);
    out[argv[i].slice(2)] = argv[i + 1];
  }
  return out;
}

const rssNow = () => process.memoryUsage.rss();
const rssPeak = () => process.resourceUsage().maxRSS * 1024; // KiB

function ours(options = {}) {
  const { LassoClient } = require("@lasso-ai/sdk");
  return new LassoClient({ apiKey: API_KEY, baseUrl: BASE_URL, ...options });
}

/** One call of GET /credits/balance, JSON decoded. */
function caller(impl) {
  if (impl === "ours") {
    const client = ours();
    return () => client.credits.balance();
  }
  if (impl === "fetch") {
    const url = `${BASE_URL.replace(/\/$/, "")}/credits/balance`;
    const headers = { Authorization: `Bearer ${API_KEY}`, Accept: "application/json" };
    return async () => {
      const response = await fetch(url, { headers });
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
      return response.json();
    };
  }
  throw new Error(`unknown implementation ${impl}`);
}

async function latency(args) {
  const call = caller(args.impl);
  const n = Number(args.n ?? 2000);
  const warmup = Number(args.warmup ?? 200);
  for (let i = 0; i < warmup; i++) await call();
  const micros = new Array(n);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await call();
    micros[i] = Number(process.hrtime.bigint() - t) / 1e3;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { n, seconds, micros };
}

async function runFor(call, concurrency, seconds) {
  const deadline = performance.now() + seconds * 1000;
  let calls = 0;
  let errors = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      try {
        await call();
        calls++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { calls, errors };
}

async function throughput(args) {
  const call = caller(args.impl);
  const concurrency = Number(args.concurrency);
  await runFor(call, concurrency, Number(args.warmup ?? 0.5));
  const start = performance.now();
  const { calls, errors } = await runFor(call, concurrency, Number(args.seconds ?? 3));
  return { concurrency, calls, errors, seconds: (performance.now() - start) / 1000 };
}

async function paginate(args) {
  const client = ours({ timeout: 600_000 });
  const rssBefore = rssNow();
  const start = performance.now();
  const rows = [];
  for await (const row of client.tables.iterRows(args.table)) rows.push(row.data);
  const seconds = (performance.now() - start) / 1000;
  return { rows: rows.length, seconds, peak_rss: rssPeak(), rss_before: rssBefore };
}

async function exportCsv(args) {
  const client = ours({ timeout: 600_000 });
  const rssBefore = rssNow();
  const start = performance.now();
  const saved = await client.export.csv(args.table, { path: args.path });
  const seconds = (performance.now() - start) / 1000;
  return { bytes: saved.size, seconds, peak_rss: rssPeak(), rss_before: rssBefore };
}

async function upload(args) {
  const client = ours({ timeout: 600_000 });
  const bytes = statSync(args.path).size;
  const rssBefore = rssNow();
  const start = performance.now();
  const file = await client.files.upload(args.path);
  const seconds = (performance.now() - start) / 1000;
  if (file.size !== bytes) throw new Error(`the server stored ${file.size} bytes, not ${bytes}`);
  return { bytes, seconds, peak_rss: rssPeak(), rss_before: rssBefore };
}

const scenarios = { latency, throughput, paginate, export: exportCsv, upload };
const args = parseArgs(process.argv.slice(2));
const run = scenarios[args.scenario];
if (!run) {
  console.error(`node_bench: unknown scenario ${args.scenario}`);
  process.exit(2);
}
const result = await run(args);
result.node = process.versions.node;
process.stdout.write(JSON.stringify(result) + "\n");
// The SDK keeps idle connections for reuse; the benchmark is done.
process.exit(0);
