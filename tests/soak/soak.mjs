// The Node driver of `just soak`: run by tests/soak/run.py with LASSO_SOAK_URL,
// LASSO_SOAK_REQUESTS and LASSO_SOAK_CONCURRENCY; prints JSON lines. The request
// mix is the one of crates/lasso-ai/tests/soak.rs (tests/soak/README.md).
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const NODE_DIR = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "node");
const { LassoClient, LassoError } = require(join(NODE_DIR, "dist", "index.js"));

const KEY = `lasso_${"50a4".repeat(16)}`;

function callFor(i) {
  const r = i % 20;
  if (r <= 13) return ["credits.balance", {}];
  if (r <= 15) return ["tables.get", { table_id: "tbl_sample" }];
  if (r <= 17) return ["tables.update_row", { table_id: "tbl_sample", row_id: "row_sample_2", data: { brand: "Acme" } }];
  if (r === 18) return ["tables.delete_row", { table_id: "tbl_sample", row_id: "row_sample_1" }];
  return ["search", { query: "wireless headphones" }];
}

function resources() {
  const status = readFileSync("/proc/self/status", "utf8");
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  let fds = 0;
  let sockets = 0;
  for (const name of readdirSync("/proc/self/fd")) {
    fds += 1;
    try {
      if (readlinkSync(`/proc/self/fd/${name}`).startsWith("socket:")) sockets += 1;
    } catch {
      // closed meanwhile
    }
  }
  return { rss_kb: rss, fds, sockets };
}

const url = process.env.LASSO_SOAK_URL;
const total = Number(process.env.LASSO_SOAK_REQUESTS ?? 100000);
const concurrency = Number(process.env.LASSO_SOAK_CONCURRENCY ?? 64);
const every = Number(process.env.LASSO_SOAK_REPORT_EVERY ?? 5000);
const client = new LassoClient({ apiKey: KEY, baseUrl: url });
const outcomes = {};
let next = 0;
let done = 0;
const started = performance.now();
const seconds = () => (performance.now() - started) / 1000;
console.log(JSON.stringify({ event: "start", done: 0, ...resources() }));

async function worker() {
  for (;;) {
    const i = next++;
    if (i >= total) return;
    const [op, args] = callFor(i);
    let outcome;
    try {
      await client._call(op, args, {});
      outcome = `${op} ok`;
    } catch (e) {
      outcome = e instanceof LassoError ? `${op} ${e.constructor.name}` : `${op} UNEXPECTED ${e?.name}: ${e?.message}`;
    }
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    done += 1;
    if (done % every === 0) console.log(JSON.stringify({ event: "progress", done, ...resources(), seconds: seconds() }));
  }
}

await Promise.all(Array.from({ length: concurrency }, worker));
console.log(JSON.stringify({ event: "end", done, ...resources(), seconds: seconds(), outcomes }));
