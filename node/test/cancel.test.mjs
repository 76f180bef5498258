// Cancellation with `{ signal }` on every kind of call: plain calls, iterators,
// waitForCompletion, uploads and exports. Aborting rejects at once (< 50 ms) with an
// AbortError (a LassoError named "AbortError") and really drops the request: the
// emulator's counters show no retry, and a silent server sees its connection closed.
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

import LassoClient, { AbortError, APIUserAbortError, ConfigurationError, LassoError } from "@lasso-ai/sdk";
import { KEY, startMock } from "./helpers/mock.mjs";

/** Aborting must settle the call within this many milliseconds. */
const PROMPT_MS = 50;

let mock;
let client;
let tmp;

before(async () => {
  mock = await startMock();
  client = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl });
  tmp = mkdtempSync(join(tmpdir(), "lasso-cancel-"));
});
after(async () => {
  client?.close();
  await mock?.stop();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => mock.reset());

/** Starts `call(signal)`, aborts after `afterMs`, and returns the error and how long the rejection took. */
async function abortAfter(afterMs, call, reason) {
  const controller = new AbortController();
  const pending = call(controller.signal);
  pending.catch(() => {}); // settled below; never an unhandled rejection meanwhile
  await sleep(afterMs);
  const started = performance.now();
  controller.abort(reason);
  const error = await pending.then(
    (value) => assert.fail(`expected an AbortError, got ${JSON.stringify(value)}`),
    (e) => e,
  );
  return { error, ms: performance.now() - started, signal: controller.signal };
}

function assertAbort(error, ms) {
  assert.ok(error instanceof AbortError, `${error?.name}: ${error?.message}`);
  assert.ok(error instanceof APIUserAbortError);
  assert.ok(error instanceof LassoError);
  assert.ok(error instanceof Error);
  assert.equal(error.name, "AbortError");
  assert.match(error.message, /^[\w.]+ was aborted \(its signal fired\)$/);
  assert.equal(error.statusCode, null);
  if (ms !== undefined) assert.ok(ms < PROMPT_MS, `the abort took ${ms.toFixed(1)} ms`);
}

const received = async (operation) => (await mock.stats()).received[operation] ?? 0;
const totalReceived = async () => Object.values((await mock.stats()).received).reduce((a, b) => a + b, 0);
const abortListeners = (signal) => getEventListeners(signal, "abort").length;

describe("plain calls", () => {
  test("aborting a call in flight rejects within 50 ms with AbortError, cause = the reason", async () => {
    await mock.fault({ route: "GET /credits/balance", status: 200, body: { balance: 1 }, delay_ms: 3000 });
    const reason = new Error("user navigated away");
    const { error, ms, signal } = await abortAfter(150, (signal) => client.credits.balance({ signal }), reason);
    assertAbort(error, ms);
    assert.equal(error.cause, reason);
    assert.equal(abortListeners(signal), 0, "a listener was left on the signal");
  });

  test("the request is dropped: a delayed 503 is never retried", async () => {
    // Without the abort, the client would get the 503 after 600 ms and retry.
    await mock.fault({ route: "GET /credits/balance", status: 503, delay_ms: 600, times: 3, headers: { "Retry-After": "0" } });
    const { error, ms } = await abortAfter(100, (signal) => client.credits.balance({ signal, maxRetries: 2 }));
    assertAbort(error, ms);
    await sleep(1200);
    assert.equal(await received("credits.balance"), 1, "the call went on after the abort");
  });

  test("a retry wait ends at once, and the retry is never sent", async () => {
    await mock.fault({ route: "GET /credits/balance", status: 503, times: 1, headers: { "Retry-After": "1" } });
    const { error, ms } = await abortAfter(250, (signal) => client.credits.balance({ signal, maxRetries: 2 }));
    assertAbort(error, ms);
    assert.equal(await received("credits.balance"), 1, "the first attempt was not made before the abort");
    await sleep(1300);
    assert.equal(await received("credits.balance"), 1, "the retry was sent after the abort");
  });

  test("the connection is closed at once (a server that never answers sees it)", async () => {
    const closed = [];
    let connected;
    const accepted = new Promise((resolve) => (connected = resolve));
    const server = createServer((socket) => {
      socket.on("data", () => connected());
      socket.on("close", () => closed.push(performance.now()));
      socket.on("error", () => {});
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const silent = new LassoClient({ apiKey: KEY, baseUrl: `http://127.0.0.1:${server.address().port}/api/v1` });
      const controller = new AbortController();
      const pending = silent.credits.balance({ signal: controller.signal, maxRetries: 0 });
      pending.catch(() => {});
      await accepted; // the request reached the server
      const aborted = performance.now();
      controller.abort();
      assertAbort(await pending.catch((e) => e));
      for (let i = 0; i < 50 && closed.length === 0; i++) await sleep(5);
      assert.equal(closed.length, 1, "the connection stayed open");
      assert.ok(closed[0] - aborted < PROMPT_MS * 2, `closed ${(closed[0] - aborted).toFixed(1)} ms after the abort`);
    } finally {
      server.close();
    }
  });

  test("an already-aborted signal rejects without sending anything, for every kind of call", async () => {
    const signal = AbortSignal.abort(new Error("too late"));
    const source = join(tmp, "never.txt");
    writeFileSync(source, "never sent");
    const calls = {
      "generated method": () => client.tables.get("tbl_sample", { signal }),
      "top-level method": () => client.search({ query: "shoes" }, { signal }),
      "waitForCompletion (request options)": () => client.tables.waitForCompletion("tbl_sample", {}, { signal }),
      "waitForCompletion (its options)": () => client.tables.waitForCompletion("tbl_sample", { signal }),
      "upload of a path": () => client.files.upload(source, null, {}, { signal }),
      "upload of a Blob": () => client.files.upload(new Blob(["x"]), "x.txt", {}, { signal }),
      "export in memory": () => client.export.csv("tbl_sample", {}, { signal }),
      "export to a path": () => client.export.csv("tbl_sample", { path: join(tmp, "never.csv") }, { signal }),
      iterator: () => client.tables.iterRows("tbl_sample", {}, { signal }).next(),
    };
    for (const [name, call] of Object.entries(calls)) {
      const error = await call().then(
        () => assert.fail(`${name} resolved`),
        (e) => e,
      );
      assertAbort(error);
      assert.equal(error.cause, signal.reason, name);
    }
    await sleep(100);
    assert.equal(await totalReceived(), 0, "a request was sent");
    assert.ok(!readdirSync(tmp).includes("never.csv"));
  });

  test("AbortSignal.timeout() cancels too; the cause is its TimeoutError", async () => {
    await mock.fault({ route: "GET /tables/{table_id}", status: 200, body: {}, delay_ms: 3000 });
    const started = performance.now();
    const error = await client.tables.get("tbl_sample", { signal: AbortSignal.timeout(100) }).catch((e) => e);
    assertAbort(error);
    assert.equal(error.cause?.name, "TimeoutError");
    assert.ok(performance.now() - started < 100 + 500, "AbortSignal.timeout fired late");
  });

  test("one signal cancels many calls; the client keeps working afterwards", async () => {
    await mock.fault({ route: "GET /credits/balance", status: 200, body: { balance: 1 }, delay_ms: 3000, times: 20 });
    const controller = new AbortController();
    const calls = Array.from({ length: 20 }, () => client.credits.balance({ signal: controller.signal }));
    await sleep(150);
    // However many calls share it, the signal carries one listener (no MaxListenersExceededWarning).
    assert.equal(abortListeners(controller.signal), 1);
    const started = performance.now();
    controller.abort();
    const results = await Promise.allSettled(calls);
    assert.ok(performance.now() - started < PROMPT_MS * 2);
    for (const r of results) assertAbort(r.reason);
    assert.equal(abortListeners(controller.signal), 0);
    await mock.reset();
    assert.equal((await client.credits.balance()).balance, 1000);
  });

  test("a call that finishes first is not affected by a later abort, and leaves no listener", async () => {
    const controller = new AbortController();
    const balance = await client.credits.balance({ signal: controller.signal });
    assert.equal(balance.balance, 1000);
    assert.equal(abortListeners(controller.signal), 0);
    controller.abort();
    // A failing call keeps its own error.
    const error = await client.tables.get("tbl_nope", { signal: controller.signal }).catch((e) => e);
    assertAbort(error); // already aborted now
    const other = new AbortController();
    const notFound = await client.tables.get("tbl_nope", { signal: other.signal }).catch((e) => e);
    assert.equal(notFound.name, "NotFoundError");
    assert.equal(abortListeners(other.signal), 0);
  });

  test("a signal that is not an AbortSignal is a ConfigurationError; null means none", async () => {
    await assert.rejects(client.credits.balance({ signal: {} }), ConfigurationError);
    await assert.rejects(client.credits.balance({ signal: "stop" }), ConfigurationError);
    await assert.rejects(client.tables.iterRows("tbl_sample", {}, { signal: 1 }).next(), ConfigurationError);
    assert.equal((await client.credits.balance({ signal: null })).balance, 1000);
  });
});

describe("iterators", () => {
  test("aborting while a page is being fetched rejects the pending step within 50 ms and drops the request", async () => {
    await mock.fault({ route: "GET /tables/{table_id}/rows", status: 503, delay_ms: 500, times: 3, headers: { "Retry-After": "0" } });
    let iterator;
    const { error, ms, signal } = await abortAfter(100, (signal) => {
      iterator = client.tables.iterRows("tbl_sample", {}, { signal, maxRetries: 2 });
      return iterator.next();
    });
    assertAbort(error, ms);
    assert.deepEqual(await iterator.next(), { done: true, value: undefined });
    assert.equal(abortListeners(signal), 0);
    await sleep(900);
    assert.equal(await received("tables.rows"), 1, "the page request went on after the abort");
  });

  test("aborting between pages ends the loop with an AbortError at the next step", async () => {
    const controller = new AbortController();
    const seen = [];
    const error = await (async () => {
      for await (const row of client.tables.iterRows("tbl_sample", { limit: 1 }, { signal: controller.signal })) {
        seen.push(row.id);
        if (seen.length === 2) controller.abort();
      }
    })().catch((e) => e);
    assertAbort(error);
    assert.equal(seen.length, 2);
    assert.equal(abortListeners(controller.signal), 0);
  });

  test("an iterator that completes or is broken off leaves no listener", async () => {
    const controller = new AbortController();
    const all = [];
    for await (const row of client.tables.iterRows("tbl_sample", {}, { signal: controller.signal })) all.push(row);
    assert.equal(all.length, 3);
    for await (const row of client.catalog.iter({}, { signal: controller.signal })) {
      void row;
      break;
    }
    assert.equal(abortListeners(controller.signal), 0);
  });
});

describe("waitForCompletion", () => {
  async function processingTable() {
    // Extraction takes 1.2 s at the emulator's default time scale.
    return client.tables.create({ name: "slow", schema_id: "schema_sample", source_text: "Red shoe, $20" });
  }

  test("aborting during the poll interval rejects within 50 ms; no poll follows", async () => {
    const table = await processingTable();
    const reports = [];
    const { error, ms, signal } = await abortAfter(200, (signal) =>
      client.tables.waitForCompletion(table.id, {
        intervalMs: 400,
        signal,
        onProgress: (status) => reports.push(status),
      }),
    );
    assertAbort(error, ms);
    assert.equal(abortListeners(signal), 0);
    const polls = await received("tables.get");
    await sleep(600);
    assert.equal(await received("tables.get"), polls, "polling went on after the abort");
    const count = reports.length;
    await sleep(50);
    assert.equal(reports.length, count, "onProgress was called after the abort");
  });

  test("aborting a slow poll (signal in the request options) drops it within 50 ms", async () => {
    const table = await processingTable();
    await mock.fault({ route: "GET /tables/{table_id}", status: 503, delay_ms: 500, times: 3, headers: { "Retry-After": "0" } });
    const { error, ms } = await abortAfter(100, (signal) =>
      client.tables.waitForCompletion(table.id, { intervalMs: 50 }, { signal, maxRetries: 2 }),
    );
    assertAbort(error, ms);
    await sleep(900);
    assert.equal(await received("tables.get"), 1);
  });

  test("per-poll timeout and maxRetries apply; a poll cut by its timeout is tried again", async () => {
    const table = await processingTable();
    await mock.fault({ route: "GET /tables/{table_id}", status: 200, body: {}, delay_ms: 2000 });
    const started = performance.now();
    const done = await client.tables.waitForCompletion(
      table.id,
      { intervalMs: 50, timeoutMs: 30_000 },
      { timeout: 150, maxRetries: 0 },
    );
    assert.equal(done.status, "completed");
    // The delayed answer (2 s) was never waited for: the poll was cut at 150 ms.
    assert.ok(performance.now() - started < 1900, "the per-poll timeout was not applied");
    assert.ok((await received("tables.get")) >= 2);
  });

  test("two different signals are refused", async () => {
    const a = new AbortController();
    const b = new AbortController();
    await assert.rejects(
      client.tables.waitForCompletion("tbl_sample", { signal: a.signal }, { signal: b.signal }),
      ConfigurationError,
    );
    // The same signal in both places is fine.
    const done = await client.tables.waitForCompletion("tbl_sample", { signal: a.signal }, { signal: a.signal });
    assert.equal(done.status, "completed");
  });
});

describe("uploads and exports", () => {
  test("aborting an upload in flight rejects within 50 ms and drops the request", async () => {
    const source = join(tmp, "upload.txt");
    writeFileSync(source, "Red shoe, $20\n".repeat(1000));
    await mock.fault({ route: "POST /files", status: 503, delay_ms: 500, times: 3, headers: { "Retry-After": "0" } });
    const { error, ms } = await abortAfter(100, (signal) => client.files.upload(source, null, {}, { signal, maxRetries: 2 }));
    assertAbort(error, ms);
    await sleep(900);
    assert.equal(await received("files.upload"), 1);
  });

  test("aborting an export to a path within 50 ms leaves no file, partial or temporary", async () => {
    const dir = mkdtempSync(join(tmp, "export-"));
    await mock.fault({ route: "GET /tables/{table_id}/export", status: 200, body: "a;b\n1;2\n", delay_ms: 3000 });
    const { error, ms } = await abortAfter(150, (signal) =>
      client.export.csv("tbl_sample", { path: join(dir, "rows.csv") }, { signal }),
    );
    assertAbort(error, ms);
    await sleep(100);
    assert.deepEqual(readdirSync(dir), []);
  });

  test("aborting an export while it streams to disk removes the temporary file", async () => {
    const dir = mkdtempSync(join(tmp, "stream-"));
    let streaming;
    const started = new Promise((resolve) => (streaming = resolve));
    // Answers with the headers and a first chunk, then never finishes.
    const server = createServer((socket) => {
      socket.on("error", () => {});
      socket.once("data", () => {
        socket.write("HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ntransfer-encoding: chunked\r\n\r\n");
        socket.write("8\r\na;b\n1;2\n\r\n", () => setTimeout(streaming, 100));
      });
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const stalled = new LassoClient({ apiKey: KEY, baseUrl: `http://127.0.0.1:${server.address().port}/api/v1` });
      const controller = new AbortController();
      const pending = stalled.export.csv("tbl_1", { path: join(dir, "rows.csv") }, { signal: controller.signal });
      pending.catch(() => {});
      await started;
      assert.equal(readdirSync(dir).length, 1, "the temporary file was not created");
      const t0 = performance.now();
      controller.abort();
      assertAbort(await pending.catch((e) => e), performance.now() - t0);
      for (let i = 0; i < 40 && readdirSync(dir).length > 0; i++) await sleep(5);
      assert.deepEqual(readdirSync(dir), [], "the temporary file was left behind");
    } finally {
      server.close();
    }
  });

  test("aborting an export in memory rejects within 50 ms", async () => {
    await mock.fault({ route: "GET /tables/{table_id}/export", status: 200, body: "[]", delay_ms: 3000 });
    const { error, ms, signal } = await abortAfter(150, (signal) => client.export.json("tbl_sample", {}, { signal }));
    assertAbort(error, ms);
    assert.equal(abortListeners(signal), 0);
  });
});

test("an AbortError names the call that was aborted, and its stack holds the caller's frame", async () => {
  const controller = new AbortController();
  async function myHandlerThatFetchesATable() {
    const pending = client.tables.get("tbl_sample", { signal: controller.signal });
    controller.abort();
    return pending;
  }
  const error = await myHandlerThatFetchesATable().catch((e) => e);
  assert.ok(error instanceof AbortError);
  assert.equal(error.message, "tables.get was aborted (its signal fired)");
  assert.match(error.stack, /^AbortError: tables\.get was aborted/);
  assert.match(error.stack, /myHandlerThatFetchesATable/);
});
