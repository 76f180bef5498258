// Where a sequential Node call's time goes (issue 18): the same GET /credits/balance
// through each layer, p50 of 4,000 calls after 500 warm-ups, layers interleaved.
//   node bench/node_crossings.mjs [package dir, default bench/node_modules/@lasso-ai/sdk]
// with LASSO_BASE_URL and LASSO_API_KEY set (a release lasso-mock, as `just bench` runs it);
// `just bench` runs it after the latency rounds.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const dir = process.argv[2] ?? fileURLToPath(new URL("node_modules/@lasso-ai/sdk", import.meta.url));
const addon = require(`${dir}/lasso.node`);
const { LassoClient } = require(dir);

async function p50(fn, n = 4000) {
  for (let i = 0; i < 500; i++) await fn();
  const micros = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn();
    micros.push(Number(process.hrtime.bigint() - t) / 1e3);
  }
  return micros.sort((a, b) => a - b)[n >> 1];
}

const options = { apiKey: process.env.LASSO_API_KEY, baseUrl: process.env.LASSO_BASE_URL };
const native = new addon.NativeClient(options);
const client = new LassoClient(options);
const layers = {
  // A Promise from napi's tokio runtime that does nothing: the two thread hand-offs alone.
  "napi round trip, no I/O": () => addon.__testPanic("none"),
  // The addon's call: hand-offs + the core's request + the JSON text back.
  "addon call (NativeClient.call)": () => native.call("credits.balance", {}, null, null),
  // The public method: + APIPromise, option checks, the call site, JSON.parse.
  "client.credits.balance()": () => client.credits.balance(),
};
const rows = Object.fromEntries(Object.keys(layers).map((k) => [k, []]));
for (let round = 0; round < 3; round++) {
  for (const [name, fn] of Object.entries(layers)) rows[name].push(await p50(fn));
}
for (const [name, values] of Object.entries(rows)) {
  console.log(`${name.padEnd(34)} p50 ${values.map((v) => v.toFixed(1)).join(" / ")} µs`);
}
// The last line, for bench/run.py: every layer's p50 per round.
console.log(JSON.stringify({ layers: rows }));
