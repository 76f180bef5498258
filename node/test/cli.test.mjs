// The `lasso` bin of the package: the SDK's Rust command line run through the
// addon (bin/lasso.js → runCli). The full command-line suite runs against this
// bin too (`LASSO_CLI="node node/bin/lasso.js" cargo test -p lasso-cli`, in
// `just test`); here: the bin as npm declares it, JSON out, exit codes, Ctrl-C.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";

import { KEY, NODE_DIR, startMock } from "./helpers/mock.mjs";

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(NODE_DIR, "package.json"), "utf8"));
const BIN = join(NODE_DIR, pkg.bin.lasso);

let mock;
before(async () => {
  mock = await startMock();
});
after(() => mock?.stop());

function lasso(args, env = {}) {
  const full = { ...process.env, LASSO_API_KEY: KEY, LASSO_BASE_URL: mock.baseUrl, LASSO_CONFIG: "/nonexistent/lasso.toml", ...env };
  return run(process.execPath, [BIN, ...args], { env: full, timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

test("package.json declares the lasso bin", () => {
  assert.deepEqual(pkg.bin, { lasso: "bin/lasso.js" });
  assert.ok(pkg.files.includes("bin"));
  assert.match(readFileSync(BIN, "utf8"), /^#!\/usr\/bin\/env node\n/);
});

test("lasso auth status prints JSON when piped and exits 0", async () => {
  const { code, stdout } = await lasso(["auth", "status"]);
  assert.equal(code, 0);
  const status = JSON.parse(stdout);
  assert.equal(status.valid, true);
  assert.equal(status.api_key, `lasso_…${KEY.slice(-4)}`);
  assert.ok(!stdout.includes(KEY));
});

test("errors: one line, and the exit code of their class", async () => {
  const notFound = await lasso(["tables", "get", "tbl_missing"]);
  assert.equal(notFound.code, 4);
  assert.match(notFound.stderr, /^error: NotFoundError: .*request_id/);
  const usage = await lasso(["tables", "frobnicate"]);
  assert.equal(usage.code, 2);
  const auth = await lasso(["auth", "status"], { LASSO_API_KEY: "lasso_nope" });
  assert.equal(auth.code, 3);
});

test("lists followed with --all are NDJSON", async () => {
  const { code, stdout } = await lasso(["tables", "rows", "tbl_sample", "--all", "--limit", "1"]);
  assert.equal(code, 0);
  const rows = stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((r) => r.id), ["row_sample_1", "row_sample_2", "row_sample_3"]);
});

test("Ctrl-C (SIGINT) reaches the command through Node's handler", async () => {
  const child = spawn(process.execPath, [BIN, "mock", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  const line = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      if (out.includes("\n")) resolve(out.split("\n")[0]);
    });
    child.once("exit", (c) => reject(new Error(`exited early: ${c}`)));
  });
  assert.match(line, /^listening on http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
  const exited = new Promise((resolve) => child.once("exit", (c, s) => resolve([c, s])));
  child.kill("SIGINT");
  assert.deepEqual(await exited, [0, null]);
});
