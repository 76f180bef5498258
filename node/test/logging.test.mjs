// The client's log lines in Node (issue 16): a `logger` option, and `LASSO_LOG`
// printing to stderr; one debug line per attempt with its request id, info for a
// retry, warn for a final failure; never the key.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

import LassoClient, { NotFoundError } from "../dist/index.mjs";
import { KEY, NODE_DIR, startMock } from "./helpers/mock.mjs";

let mock;
before(async () => {
  mock = await startMock();
});
after(() => mock.stop());

test("a logger hears each attempt, the retry and the failure, at its level and above", async () => {
  await mock.fault({ route: "GET /tables/{table_id}", status: 503, headers: { "Retry-After": "0" } });
  const lines = [];
  const client = new LassoClient({
    apiKey: KEY,
    baseUrl: mock.baseUrl,
    logLevel: "debug",
    logger: (level, line) => lines.push([level, line]),
  });
  await assert.rejects(client.tables.get("tbl_missing"), NotFoundError);
  // The logger is called from the core's threads: let the last line arrive.
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(
    lines.map(([level]) => level),
    ["debug", "info", "debug", "warn"],
  );
  assert.match(
    lines[0][1],
    /^GET \/api\/v1\/tables\/tbl_missing -> 503 in [\d.]+ ms \(attempt 1, request_id [\w-]+\)$/,
  );
  assert.match(lines[2][1], /-> 404 in [\d.]+ ms \(attempt 2, request_id [\w-]+\)$/);
  assert.ok(lines.every(([, line]) => !line.includes(KEY.slice(6, 20))));
  assert.throws(() => new LassoClient({ apiKey: KEY, logger: () => {}, logLevel: "loud" }), /logLevel/);
});

test("LASSO_LOG prints to stderr without a logger, and a logger does not keep the process alive", () => {
  const script = `
    import LassoClient from "@lasso-ai/sdk";
    const client = new LassoClient({ apiKey: "${KEY}", baseUrl: "${mock.baseUrl}" });
    await client.tables.get("tbl_missing").catch(() => {});
    new LassoClient({ apiKey: "${KEY}", logger: () => {} });
  `;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: NODE_DIR,
    env: { ...process.env, LASSO_LOG: "debug" },
    encoding: "utf8",
    timeout: 20_000,
  });
  assert.equal(run.status, 0, run.stderr);
  const ours = run.stderr.split("\n").filter((l) => l.startsWith("lasso "));
  assert.equal(ours.length, 2, run.stderr);
  assert.match(ours[0], /^lasso debug: GET \/api\/v1\/tables\/tbl_missing -> 404 in /);
  assert.match(ours[1], /^lasso warn: GET \/api\/v1\/tables\/tbl_missing failed: /);
});
