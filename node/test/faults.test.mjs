// The fault matrix (tests/faults/matrix.json) through the Node client.
//
// Every operation × fault case runs once in `before`, the four operations
// concurrently (each with its own key, so its own company in the emulator);
// each case is then one test that checks its outcome, elapsed time and the
// emulator's counters. The Rust (crates/lasso-ai/tests/faults.rs) and Python
// (python/tests/test_faults.py) runners read the same table.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";

import LassoClient, { LassoError } from "@lasso-ai/sdk";
import { REPO, startMock } from "./helpers/mock.mjs";

const MATRIX = JSON.parse(readFileSync(join(REPO, "tests", "faults", "matrix.json"), "utf8"));
const CLASSES = JSON.parse(readFileSync(join(REPO, "tests", "conformance", "error_classes.json"), "utf8")).classes;
const { operations: OPERATIONS, faults: FAULTS } = MATRIX;
const COUNTERS = ["received", "executed"];
const FD_ALLOWANCE = 16;
const HARD_LIMIT_MS = 15_000;

const expectation = (fault, op) => fault[op.name] ?? fault[op.billed ? "billed" : "idempotent"];

function faultSpec(fault, op) {
  const spec = { ...fault.fault, ...(expectation(fault, op).fault ?? {}), route: op.route, times: 1 };
  if (spec.headers) {
    spec.headers = Object.fromEntries(
      Object.entries(spec.headers).map(([name, value]) => {
        const m = /^@http-date\+(\d+(?:\.\d+)?)s$/.exec(value);
        return [name, m ? new Date(Date.now() + Number(m[1]) * 1000).toUTCString() : value];
      }),
    );
  }
  return spec;
}

const openFds = () => readdirSync("/proc/self/fd").length;

let mock;
const results = new Map();
let fdsBefore = 0;
let fdsAfter = 0;

async function runOperation(op) {
  const client = new LassoClient({
    apiKey: op.key,
    baseUrl: mock.baseUrl,
    timeout: MATRIX.client.timeout_ms,
    maxRetries: MATRIX.client.max_retries,
  });
  for (const fault of FAULTS) {
    const outcome = { result: null, error: null, elapsed: 0, counts: {} };
    results.set(`${op.name}/${fault.id}`, outcome);
    const statsBefore = await mock.stats();
    await mock.fault(faultSpec(fault, op));
    const started = performance.now();
    let timer;
    try {
      const hang = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`hung for ${HARD_LIMIT_MS} ms`)), HARD_LIMIT_MS);
      });
      outcome.result = (await Promise.race([client._call(op.call, structuredClone(op.args), {}), hang])) ?? null;
    } catch (e) {
      outcome.error = e;
    } finally {
      clearTimeout(timer);
    }
    outcome.elapsed = (performance.now() - started) / 1000;
    const statsAfter = await mock.stats();
    for (const c of COUNTERS) outcome.counts[c] = statsAfter[c][op.call] - statsBefore[c][op.call];
  }
}

before(async () => {
  mock = await startMock({ args: MATRIX.mock_args });
  fdsBefore = openFds();
  await Promise.all(OPERATIONS.map(runOperation));
  fdsAfter = openFds();
});

after(async () => {
  await mock?.stop();
});

for (const fault of FAULTS) {
  for (const op of OPERATIONS) {
    test(`${op.name} × ${fault.id}`, () => {
      const want = expectation(fault, op);
      const got = results.get(`${op.name}/${fault.id}`);
      const where = `${op.call} × ${fault.id}`;
      if (want.ok) {
        assert.equal(got.error, null, `${where}: expected success, got ${got.error?.name}: ${got.error?.message}`);
        if (want.result_null || op.empty) assert.equal(got.result, null, `${where}: expected null`);
        else assert.equal(typeof got.result, "object", `${where}: ${JSON.stringify(got.result)}`);
      } else {
        const e = got.error;
        assert.ok(e !== null, `${where}: expected ${want.error}, got ${JSON.stringify(got.result)?.slice(0, 200)}`);
        assert.ok(e instanceof LassoError, `${where}: not a LassoError: ${e?.stack ?? e}`);
        assert.equal(e.constructor.name, CLASSES[want.error], `${where}: ${e.name}: ${e.message}`);
        if ("status" in want) assert.equal(e.statusCode, want.status, `${where}: status`);
        if ("retry_after" in want) assert.equal(e.retryAfter, want.retry_after * 1000, `${where}: retryAfter (ms)`);
        if ("raw_body_max" in want) {
          assert.ok(Buffer.byteLength(e.rawBody ?? "") <= want.raw_body_max, `${where}: rawBody ${e.rawBody?.length}`);
        }
      }
      assert.ok(got.elapsed <= want.max_s, `${where}: took ${got.elapsed.toFixed(2)} s > ${want.max_s} s`);
      assert.ok(got.elapsed >= (want.min_s ?? 0), `${where}: took ${got.elapsed.toFixed(2)} s < ${want.min_s} s`);
      const expected = Object.fromEntries(COUNTERS.map((c) => [c, want[c]]));
      assert.deepEqual(got.counts, expected, `${where}: mock counters`);
      if (op.billed) assert.ok(got.counts.executed <= 1, `${where}: a billed call ran ${got.counts.executed} times`);
    });
  }
}

test("no connection leaks: open file descriptors stay bounded", () => {
  assert.ok(fdsAfter <= fdsBefore + FD_ALLOWANCE, `open file descriptors grew from ${fdsBefore} to ${fdsAfter}`);
});

test("the matrix covers every method class and fault", () => {
  assert.deepEqual(new Set(OPERATIONS.map((o) => o.route.split(" ")[0])), new Set(["GET", "PUT", "DELETE", "POST"]));
  assert.ok(OPERATIONS.length * FAULTS.length >= 80);
});
