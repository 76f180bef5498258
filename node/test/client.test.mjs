// End-to-end calls through the native core against lasso-mock.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";

import LassoClient, {
  APITimeoutError,
  AuthenticationError,
  ConfigurationError,
  ConflictError,
  InternalServerError,
  LassoError,
  NotFoundError,
  RateLimitError,
  ServiceUnavailableError,
} from "@lasso-ai/sdk";
import { isUuid, KEY, REVOKED_KEY, startMock } from "./helpers/mock.mjs";

let mock;
let client;

before(async () => {
  mock = await startMock();
  client = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl });
});
after(async () => {
  client?.close();
  await mock?.stop();
});
beforeEach(() => mock.reset());

describe("successful calls", () => {
  test("credits.balance", async () => {
    const balance = await client.credits.balance();
    assert.equal(typeof balance.balance, "number");
    assert.equal(balance.balance, 1000);
    assert.equal(balance.currency, "credits");
  });

  test("tables.get", async () => {
    const table = await client.tables.get("tbl_sample");
    assert.equal(table.id, "tbl_sample");
    assert.equal(typeof table.status, "string");
    assert.ok(Array.isArray(table.files));
  });

  test("per-request options are accepted", async () => {
    const balance = await client.credits.balance({ timeout: 5_000, maxRetries: 0 });
    assert.equal(balance.balance, 1000);
  });

  test("the key and base URL can come from the environment", async () => {
    const saved = { key: process.env.LASSO_API_KEY, url: process.env.LASSO_BASE_URL };
    process.env.LASSO_API_KEY = KEY;
    process.env.LASSO_BASE_URL = mock.baseUrl;
    try {
      const fromEnv = new LassoClient();
      assert.equal(fromEnv.baseUrl, mock.baseUrl);
      assert.equal((await fromEnv.credits.balance()).balance, 1000);
      const keyOnly = new LassoClient(KEY);
      assert.equal(keyOnly.baseUrl, mock.baseUrl);
    } finally {
      for (const [name, value] of [
        ["LASSO_API_KEY", saved.key],
        ["LASSO_BASE_URL", saved.url],
      ]) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  test("close() is safe to call twice", () => {
    const c = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl });
    c.close();
    c.close();
  });

  test("a closed client refuses every kind of call with a ConfigurationError and sends nothing", async () => {
    const c = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl });
    assert.equal((await c.credits.balance()).balance, 1000);
    c.close();
    const refused = (e) => e instanceof ConfigurationError && /closed/.test(e.message);
    await assert.rejects(c.credits.balance(), refused);
    await assert.rejects(c.tables.iterRows("tbl_sample").next(), refused);
    await assert.rejects(c.tables.waitForCompletion("tbl_sample"), refused);
    await assert.rejects(c.files.upload(new Uint8Array(1), "a.txt"), refused);
    await assert.rejects(c.export.csv("tbl_sample"), refused);
    assert.equal((await mock.stats()).received["credits.balance"], 1);
    // Still printable, still masked.
    assert.match(String(c), /lasso_…cdef/);
  });

  test("close() lets a call already in flight finish", async () => {
    await mock.fault({ route: "GET /credits/balance", status: 200, body: { balance: 7 }, delay_ms: 200 });
    const c = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl });
    const pending = c.credits.balance();
    await new Promise((resolve) => setTimeout(resolve, 50));
    c.close();
    assert.equal((await pending).balance, 7);
  });
});

describe("API errors", () => {
  test("404 → NotFoundError with a request id", async () => {
    const err = await client.tables.get("tbl_does_not_exist").then(
      () => assert.fail("expected a rejection"),
      (e) => e,
    );
    assert.ok(err instanceof NotFoundError);
    assert.ok(err instanceof LassoError);
    assert.ok(err instanceof Error);
    assert.equal(err.name, "NotFoundError");
    assert.equal(err.statusCode, 404);
    assert.equal(err.errorType, "not_found");
    assert.ok(isUuid(err.requestId), `request id ${err.requestId}`);
    assert.match(err.message, /tbl_does_not_exist/);
    assert.equal(typeof err.rawBody, "string");
    assert.equal(err.body.request_id, err.requestId);
    assert.equal(err.retryAfter, null);
  });

  test("401 with a revoked key → AuthenticationError", async () => {
    const revoked = new LassoClient({ apiKey: REVOKED_KEY, baseUrl: mock.baseUrl });
    const err = await revoked.credits.balance().catch((e) => e);
    assert.ok(err instanceof AuthenticationError, String(err));
    assert.equal(err.name, "AuthenticationError");
    assert.equal(err.statusCode, 401);
    assert.ok(isUuid(err.requestId), `request id ${err.requestId}`);
    assert.ok(!err.message.includes(REVOKED_KEY));
    assert.ok(!JSON.stringify(err).includes(REVOKED_KEY));
  });

  test("a 429 with Retry-After: 0 is retried and succeeds", async () => {
    await mock.fault({ route: "GET /credits/balance", times: 1, status: 429, headers: { "Retry-After": "0" } });
    const balance = await client.credits.balance();
    assert.equal(balance.balance, 1000);
    const stats = await mock.stats();
    assert.equal(stats.received["credits.balance"], 2);
    assert.equal(stats.executed["credits.balance"], 1);
  });

  test("a 429 without retries → RateLimitError with retryAfter in milliseconds", async () => {
    await mock.fault({ route: "GET /credits/balance", status: 429, headers: { "Retry-After": "7" } });
    const err = await client.credits.balance({ maxRetries: 0 }).catch((e) => e);
    assert.ok(err instanceof RateLimitError, String(err));
    assert.equal(err.statusCode, 429);
    assert.equal(err.retryAfter, 7000);
  });

  test("a 503 → ServiceUnavailableError, also an InternalServerError", async () => {
    await mock.fault({ route: "GET /credits/balance", status: 503 });
    const err = await client.credits.balance({ maxRetries: 0 }).catch((e) => e);
    assert.ok(err instanceof ServiceUnavailableError, String(err));
    assert.ok(err instanceof InternalServerError);
    assert.equal(err.name, "ServiceUnavailableError");
    assert.equal(err.statusCode, 503);
  });

  test("the newer envelope's fields reach the error", async () => {
    const body = {
      status_code: 409,
      error_type: "conflict",
      message: "The table changed since you read it",
      request_id: "req-123",
      code: "stale_write",
      retryable: false,
      details: { current_updated_at: "2026-01-01T00:00:00Z" },
    };
    await mock.fault({ route: "GET /tables/{table_id}", status: 409, body });
    const err = await client.tables.get("tbl_sample").catch((e) => e);
    assert.ok(err instanceof ConflictError, String(err));
    assert.equal(err.message, body.message);
    assert.equal(err.requestId, "req-123");
    assert.equal(err.code, "stale_write");
    assert.equal(err.retryable, false);
    assert.deepEqual(err.details, body.details);
    assert.deepEqual(err.body, body);
    assert.deepEqual(JSON.parse(err.rawBody), body);
  });
});

describe("transport errors", () => {
  test("a slow answer past the timeout → APITimeoutError", async () => {
    await mock.fault({ route: "GET /credits/balance", status: 200, body: { balance: 1 }, delay_ms: 2000 });
    const started = Date.now();
    const err = await client.credits.balance({ timeout: 200, maxRetries: 0 }).catch((e) => e);
    assert.ok(err instanceof APITimeoutError, String(err));
    assert.ok(err.constructor.name === "APITimeoutError" && err.name === "APITimeoutError");
    assert.equal(err.statusCode, null);
    assert.ok(Date.now() - started < 1500, "the timeout was not applied");
  });

  test("a client-wide timeout applies too", async () => {
    const impatient = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl, timeout: 200, maxRetries: 0 });
    await mock.fault({ route: "GET /credits/balance", status: 200, body: { balance: 1 }, delay_ms: 2000 });
    await assert.rejects(impatient.credits.balance(), APITimeoutError);
  });

  test("invalid request options → ConfigurationError", async () => {
    await assert.rejects(client.credits.balance({ timeout: 0 }), ConfigurationError);
    await assert.rejects(client.credits.balance({ timeout: -5 }), ConfigurationError);
    await assert.rejects(client.credits.balance({ maxRetries: -1 }), ConfigurationError);
    await assert.rejects(client.credits.balance({ maxRetries: 1.5 }), ConfigurationError);
    await assert.rejects(client.credits.balance({ timeout: "fast" }), ConfigurationError);
    await assert.rejects(client.credits.balance({ max_retries: 1 }), /unknown request option `max_retries`/);
    const stats = await mock.stats();
    assert.equal(stats.received["credits.balance"], 0);
  });

  test("an unknown operation → ConfigurationError", async () => {
    await assert.rejects(client._call("no.such_operation", {}), (e) => {
      assert.ok(e instanceof ConfigurationError);
      assert.match(e.message, /no\.such_operation/);
      return true;
    });
  });
});

test("JSON.stringify of an error keeps its name, message and fields", async () => {
  const error = await new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl }).tables.get("tbl_missing").catch((e) => e);
  const json = JSON.parse(JSON.stringify(error));
  assert.equal(json.name, "NotFoundError");
  assert.equal(json.message, error.message);
  assert.equal(json.statusCode, 404);
  assert.equal(json.errorType, "not_found");
  assert.equal(json.requestId, error.requestId);
  assert.ok(!JSON.stringify(error).includes(KEY));
});

test("a stale write carries when the resource last changed", async () => {
  const body = { code: "stale_write", current_updated_at: "2026-01-02T03:04:05Z", attribute_key: "color" };
  await mock.fault({ route: "GET /credits/balance", status: 409, body });
  const error = await new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl }).credits.balance().catch((e) => e);
  assert.equal(error.name, "ConflictError");
  assert.deepEqual(
    [error.code, error.currentUpdatedAt, error.attributeKey, error.attributeId],
    ["stale_write", "2026-01-02T03:04:05Z", "color", null],
  );
  assert.deepEqual(error.rawPayload, body);
});
