// Issue 16 in Node, over HTTP against lasso-mock: strict parameters (an unknown key is
// refused naming the close match, request options never reach the query), the response
// behind a result (`.withResponse()`), local file errors in Node's fs shape, messages in
// Node's option names, `timeout: Infinity`, and the enrich guard's opt-in.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import LassoClient, {
  APIPromise,
  ConfigurationError,
  InvalidApiKeyError,
  LocalFileNotFoundError,
  LocalFilePermissionError,
} from "@lasso-ai/sdk";
import { KEY, startMock } from "./helpers/mock.mjs";

let mock;
let client;
let dir;

before(async () => {
  mock = await startMock({ args: ["--time-scale", "0"] });
  client = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl });
  dir = mkdtempSync(join(tmpdir(), "lasso-node-hatches-"));
});
after(async () => {
  client?.close();
  await mock?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The query of the last request that reached the mock, as an object. */
async function lastRequest() {
  const requests = await mock.requests();
  const last = requests.at(-1);
  return { count: requests.length, ...last, query: Object.fromEntries(new URLSearchParams(last?.query ?? "")) };
}

/** Asserts `promise` rejects with a ConfigurationError whose message matches every pattern, and that nothing was sent. */
async function refusedBeforeSending(promise, ...patterns) {
  const before = (await mock.requests()).length;
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof ConfigurationError, `${err?.name}: ${err?.message}`);
    for (const p of patterns) assert.match(err.message, p);
    return true;
  });
  assert.equal((await mock.requests()).length, before, "a request was sent");
}

describe("strict parameters", () => {
  test("request options among the parameters are refused and never reach the query", async () => {
    await refusedBeforeSending(
      client.tables.list({ limit: 5, maxRetries: 0 }),
      /`maxRetries` is a request option/,
      /in the call's options/,
    );
    await refusedBeforeSending(client.tables.list({ timeout: 5 }), /`timeout` is a request option/);
    // Given where they belong, they shape the call and the query holds the parameters alone.
    await client.tables.list({ limit: 5 }, { maxRetries: 0, timeout: 30_000, headers: { "X-Trace": "t1" } });
    const sent = await lastRequest();
    assert.deepEqual(sent.query, { limit: "5" });
    // Iterators too.
    await assert.rejects(client.tables.iter({ limit: 5, maxRetries: 0 }).next(), /`maxRetries` is a request option/);
  });

  test("a misspelt parameter is refused, naming the close match and the escape hatch", async () => {
    await refusedBeforeSending(
      client.search({ query: "bottle", max_result: 3 }),
      /unknown argument `max_result`; did you mean `max_results`\?/,
      /`extraBody`/,
    );
    await refusedBeforeSending(client.search({ query: "bottle", maxResults: 3 }), /did you mean `max_results`\?/);
    await refusedBeforeSending(client.tables.list({ limt: 5 }), /did you mean `limit`\?/, /`extraQuery`/);
    await refusedBeforeSending(client.tables.rows("tbl_sample", { verbose: true }), /unknown argument `verbose`/);
    // An unknown request option is refused too.
    await refusedBeforeSending(client.tables.get("tbl_sample", { verbose: true }), /unknown request option `verbose`/);
  });

  test("fields newer than the SDK go through extraQuery / extraBody", async () => {
    await client.tables.list({ limit: 5 }, { extraQuery: { future_filter: "x" } });
    assert.deepEqual((await lastRequest()).query, { limit: "5", future_filter: "x" });
    // The emulator refuses a body field it does not know: proof that it arrived.
    await assert.rejects(
      client.attributes.create({ key: "color", label: "Colour", type: "text" }, { extraBody: { future_flag: true } }),
      (err) => err.statusCode === 422 && /Unknown field: future_flag/.test(err.message),
    );
  });
});

describe("withResponse()", () => {
  test("gives the data with the status, headers and request id of a call that worked", async () => {
    const promise = client.tables.get("tbl_sample");
    assert.ok(promise instanceof APIPromise && promise instanceof Promise);
    const { data, response } = await promise.withResponse();
    assert.equal(data.id, "tbl_sample");
    assert.equal(response.status, 200);
    assert.match(response.headers["content-type"], /application\/json/);
    // The API documents no request id header on success; when one comes, it is the request id.
    assert.equal(response.requestId, null);
    await mock.fault({
      route: "GET /credits/balance",
      status: 200,
      body: { balance: 7, currency: "credits" },
      headers: { "X-Request-Id": "req_0123", "X-Extra": "a" },
    });
    const balance = await client.credits.balance().withResponse();
    assert.equal(balance.data.balance, 7);
    assert.equal(balance.response.requestId, "req_0123");
    assert.equal(balance.response.headers["x-request-id"], "req_0123");
    assert.equal(balance.response.headers["x-extra"], "a");
    // A created resource: its own status.
    const created = await client.glossary.create({ term: "Bottle", type: "do_not_translate" }).withResponse();
    assert.equal(created.data.term, "Bottle");
    assert.equal(created.response.status, 201);
  });

  test("a plain await still gives the data; a failure rejects both ways", async () => {
    const table = await client.tables.get("tbl_sample");
    assert.equal(table.id, "tbl_sample");
    await assert.rejects(client.tables.get("tbl_missing"), { name: "NotFoundError" });
    await assert.rejects(client.tables.get("tbl_missing").withResponse(), { name: "NotFoundError" });
    // then/catch/finally behave as a Promise's.
    const seen = [];
    await client.tables
      .get("tbl_missing")
      .catch((e) => seen.push(e.name))
      .finally(() => seen.push("finally"));
    assert.deepEqual(seen, ["NotFoundError", "finally"]);
  });

  test("a call is sent even when never awaited; withResponse() after it went out is a clear error", async () => {
    const before = (await mock.requests()).length;
    const promise = client.tables.get("tbl_sample");
    await promise;
    assert.equal((await mock.requests()).length, before + 1);
    await assert.rejects(promise.withResponse(), (err) => err instanceof ConfigurationError && /chained to the call/.test(err.message));
    // Not awaited at all: still sent.
    const count = (await mock.requests()).length;
    void client.credits.balance();
    for (let i = 0; i < 200 && (await mock.requests()).length === count; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal((await mock.requests()).length, count + 1);
  });
});

describe("local files", () => {
  test("a missing upload is LocalFileNotFoundError with code ENOENT and the path, like Node's fs", async () => {
    const missing = join(dir, "missing.pdf");
    await assert.rejects(client.files.upload(missing), (err) => {
      assert.ok(err instanceof LocalFileNotFoundError, `${err.name}: ${err.message}`);
      assert.equal(err.code, "ENOENT");
      assert.equal(err.osCode, "ENOENT");
      assert.equal(err.path, missing);
      assert.ok(!("syscall" in err));
      assert.ok(err.message.includes(missing), err.message);
      return true;
    });
  });

  test("an export into a missing directory names the destination, never the temporary file", async () => {
    const target = join(dir, "no-such-dir", "rows.csv");
    await assert.rejects(client.export.csv("tbl_sample", { path: target }), (err) => {
      assert.ok(err instanceof LocalFileNotFoundError, `${err.name}: ${err.message}`);
      assert.equal(err.code, "ENOENT");
      assert.equal(err.path, target);
      assert.ok(!/\.part|\.tmp/.test(err.message + err.path), err.message);
      return true;
    });
    await assert.rejects(client.export.csv("tbl_sample", { path: "/sys/lasso-rows.csv" }), (err) => {
      assert.ok(err instanceof LocalFilePermissionError, `${err.name}: ${err.message}`);
      assert.equal(err.code, "EACCES");
      assert.ok(!/\.part/.test(err.message), err.message);
      return true;
    });
  });
});

describe("messages and values in Node's terms", () => {
  test("options are named as Node spells them", async () => {
    assert.throws(
      () => new LassoClient({ apiKey: KEY, baseUrl: "http://example.com/api/v1" }),
      (err) => err instanceof ConfigurationError && /^baseUrl /.test(err.message) && !/base_url/.test(err.message),
    );
    const saved = process.env.LASSO_API_KEY;
    delete process.env.LASSO_API_KEY;
    try {
      assert.throws(
        () => new LassoClient({ baseUrl: mock.baseUrl }),
        (err) => err instanceof InvalidApiKeyError && /apiKey/.test(err.message) && !/api_key/.test(err.message),
      );
    } finally {
      if (saved !== undefined) process.env.LASSO_API_KEY = saved;
    }
    assert.throws(
      () => new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl, userAgentSuffix: "é" }),
      (err) => /userAgentSuffix/.test(err.message) && !/user_agent_suffix/.test(err.message),
    );
  });

  test("maxRetries: -1 and a timeout that is not a number are clear errors naming the option", async () => {
    for (const maxRetries of [-1, 1.5]) {
      assert.throws(
        () => new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl, maxRetries }),
        (err) => err instanceof ConfigurationError && /^maxRetries must be a whole number from 0/.test(err.message),
      );
      await assert.rejects(client.credits.balance({ maxRetries }), /maxRetries must be a whole number from 0/);
    }
    assert.throws(
      () => new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl, timeout: "5" }),
      /client option `timeout` must be a number, got a string/,
    );
    await assert.rejects(client.credits.balance({ timeout: -1 }), /timeout must be a positive number of milliseconds/);
  });

  test("counts, timeouts, log levels and query values the core checks are named as Node spells them", async () => {
    const refused = [
      [{ maxConnections: 0 }, /^maxConnections must be a whole number of at least 1, got 0$/],
      [{ maxResponseBytes: 2.5 }, /^maxResponseBytes must be a whole number of at least 1, got 2\.5$/],
      [{ connectTimeout: 0 }, /^connectTimeout must be a positive number of milliseconds/],
      [{ logger: () => {}, logLevel: "loud" }, /^logLevel must be "debug", "info", "warn" or "error", got "loud"$/],
    ];
    for (const [options, message] of refused) {
      assert.throws(
        () => new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl, ...options }),
        (err) => err instanceof ConfigurationError && message.test(err.message),
      );
    }
    await assert.rejects(
      client.credits.balance({ extraQuery: { q: { nested: 1 } } }),
      (err) => err instanceof ConfigurationError && /^extraQuery `q` must be a string, number or boolean/.test(err.message),
    );
  });

  test("timeout: Infinity disables the timeout, per client and per call", async () => {
    const patient = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl, timeout: Infinity, connectTimeout: Infinity });
    const late = { route: "GET /credits/balance", kind: "slow_headers", delay_ms: 300, execute: true };
    await mock.fault(late);
    assert.equal(typeof (await patient.credits.balance()).balance, "number");
    await mock.fault(late);
    const short = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl, timeout: 50, maxRetries: 0 });
    assert.equal(typeof (await short.credits.balance({ timeout: Infinity })).balance, "number");
    // withOptions and waitForCompletion's timeoutMs take it too.
    await client.withOptions({ timeout: Infinity }).credits.balance();
    const table = await client.tables.waitForCompletion("tbl_sample", { intervalMs: 10, timeoutMs: Infinity });
    assert.equal(table.id, "tbl_sample");
    patient.close();
    short.close();
  });
});

describe("enrich without a webhook", () => {
  const six = Array.from({ length: 6 }, (_, i) => ({ data: { name: `item ${i}` } }));

  test("is refused before sending, the message naming Node's opt-in", async () => {
    await refusedBeforeSending(client.enrich({ items: six }), /webhook_url/, /allowEnrichWithoutWebhook/);
  });

  test("is sent with allowEnrichWithoutWebhook: true, per call or through withOptions", async () => {
    const before = (await mock.requests()).length;
    // The API takes it, bills it and answers 202.
    const { data, response } = await client.enrich({ items: six }, { allowEnrichWithoutWebhook: true }).withResponse();
    assert.equal(response.status, 202);
    assert.equal(data.status, "processing");
    const sent = await lastRequest();
    assert.equal(sent.count, before + 1);
    assert.equal(sent.path, "/enrich");
    assert.deepEqual(sent.query, {});
    await client.withOptions({ allowEnrichWithoutWebhook: true }).enrich({ items: six });
    assert.equal((await mock.requests()).length, before + 2);
    await assert.rejects(
      client.enrich({ items: six }, { allowEnrichWithoutWebhook: "yes" }),
      /request option `allowEnrichWithoutWebhook` must be a boolean/,
    );
  });
});
