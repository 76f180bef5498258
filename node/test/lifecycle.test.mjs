// The process lifecycle: child processes exit within 1 s of their last await, with or
// without client.close() (no lingering handle from the native runtime, a pager's
// prefetch, an aborted call or a helper); clients in worker_threads; 1,000 concurrent
// calls; and no unhandled rejection from any helper, under --unhandled-rejections=strict.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";

import LassoClient from "@lasso-ai/sdk";
import { KEY, NODE_DIR, startMock } from "./helpers/mock.mjs";

const FIXTURES = join(NODE_DIR, "test", "fixtures");
/** How soon after its last await a process must be gone. */
const EXIT_MS = 1000;

let mock;
before(async () => {
  mock = await startMock({ args: ["--time-scale", "0.1"] });
});
after(() => mock?.stop());

/** Runs a fixture; resolves to its stdout, exit code and when it exited (epoch ms). */
function runNode(args) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, LASSO_API_KEY: KEY, LASSO_BASE_URL: mock.baseUrl };
    const child = spawn(process.execPath, args, { cwd: NODE_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      const exitedAt = Date.now();
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr, exitedAt });
    });
  });
}

async function assertExitsPromptly(scenario) {
  await mock.reset();
  const { code, signal, stdout, stderr, exitedAt } = await runNode([join(FIXTURES, "lifecycle.mjs"), scenario]);
  assert.equal(code, 0, `${scenario} exited with ${code ?? signal}:\n${stdout}\n${stderr}`);
  const match = /LAST_AWAIT (\d+)/.exec(stdout);
  assert.ok(match, `${scenario} printed no LAST_AWAIT:\n${stdout}\n${stderr}`);
  const lingered = exitedAt - Number(match[1]);
  assert.ok(lingered < EXIT_MS, `${scenario}: the process exited ${lingered} ms after its last await`);
  return { stdout, lingered };
}

test("the process exits promptly after plain calls, without close()", async (t) => {
  const { lingered } = await assertExitsPromptly("calls");
  t.diagnostic(`exited ${lingered} ms after the last await`);
});

test("the process exits promptly after close(); a closed client refuses calls", async () => {
  await assertExitsPromptly("calls-close");
});

test("the process exits promptly after an iterator broken off while prefetching", async () => {
  await assertExitsPromptly("iterator-break");
});

test("the process exits promptly with an iterator left suspended (never finished or returned)", async () => {
  await assertExitsPromptly("iterator-abandoned");
});

test("the process exits promptly after an aborted call whose server never answered", async () => {
  await assertExitsPromptly("aborted");
});

test("the process exits promptly after waitForCompletion, an upload and exports", async () => {
  await assertExitsPromptly("helpers");
});

test("worker_threads: two workers each with a client, a terminated worker, then the main thread", async (t) => {
  const { stdout } = await assertExitsPromptly("workers");
  t.diagnostic(stdout.split("\n").find((l) => l.startsWith("WORKERS")) ?? "");
});

test("1,000 concurrent calls complete without error", async () => {
  await mock.reset();
  const client = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl });
  const controller = new AbortController(); // shared by all, never fired
  const calls = Array.from({ length: 1000 }, (_, i) => {
    switch (i % 4) {
      case 0:
        return client.credits.balance();
      case 1:
        return client.tables.get("tbl_sample", { signal: controller.signal });
      case 2:
        return client.tables.rows("tbl_sample", { limit: 2 });
      default:
        return client.schemas.get("schema_sample", { signal: controller.signal });
    }
  });
  const results = await Promise.allSettled(calls);
  const failures = results.filter((r) => r.status === "rejected");
  assert.deepEqual(failures.map((f) => `${f.reason?.name}: ${f.reason?.message}`).slice(0, 5), []);
  assert.equal(results.length, 1000);
  const stats = await mock.stats();
  const sent = ["credits.balance", "tables.get", "tables.rows", "schemas.get"].map((op) => stats.received[op]);
  assert.deepEqual(sent, [250, 250, 250, 250]);
  client.close();
});

test("no helper ever causes an unhandled rejection (--unhandled-rejections=strict)", async (t) => {
  await mock.reset();
  const { code, signal, stdout, stderr } = await runNode(["--unhandled-rejections=strict", join(FIXTURES, "unhandled.mjs")]);
  assert.equal(code, 0, `exited with ${code ?? signal}:\n${stdout}\n${stderr}`);
  assert.match(stdout, /NO_UNHANDLED_REJECTION/);
  assert.ok(!/unhandled/i.test(stderr), stderr);
  const outcomes = JSON.parse(stdout.split("\n").find((l) => l.startsWith("[")));
  assert.ok(outcomes.length >= 23, `${outcomes.length} outcomes`);
  t.diagnostic(outcomes.join("; "));
});
