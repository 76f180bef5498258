// Secrets never show in Node: every kind of error is triggered while console.*
// and stderr are captured (the SDK logs nothing itself), and neither the key nor
// any 8 characters of its hidden part appear in a message, String(), stack,
// util.inspect, JSON.stringify or anything printed; the webhook secret appears
// in no webhook error. Also: no Authorization across an origin-changing redirect,
// and http:// to a host that is not loopback is refused before any request.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import * as util from "node:util";

import LassoClient, * as sdk from "@lasso-ai/sdk";
import { REPO, startMock } from "./helpers/mock.mjs";

const { LassoError, constructWebhookEvent, signWebhook } = sdk;
const KEY = `lasso_${randomBytes(32).toString("hex")}`;
const WEBHOOK_SECRET = `whsec_${randomBytes(20).toString("hex")}`;
const CLASSES = JSON.parse(readFileSync(join(REPO, "tests", "conformance", "error_classes.json"), "utf8")).classes;

function hiddenWindows(secret) {
  let body = secret.startsWith("lasso_") ? secret.slice(6, -4) : secret;
  if (body.startsWith("whsec_")) body = body.slice(6);
  const out = [];
  for (let i = 0; i + 8 <= body.length; i++) out.push(body.slice(i, i + 8));
  return out;
}

function assertSafe(text, ...extra) {
  for (const s of [KEY, ...extra]) {
    assert.ok(!text.includes(s), `shows a secret: ${text.slice(0, 500)}`);
    for (const w of hiddenWindows(s)) assert.ok(!text.includes(w), `shows part of a secret (${w}): ${text.slice(0, 500)}`);
  }
}

/** Everything a user, a logger or a crash reporter could print of the error. */
function everyView(e) {
  return [
    String(e),
    e.message,
    e.stack,
    util.inspect(e),
    util.inspect(e, { showHidden: true, depth: Infinity }),
    JSON.stringify(e),
    JSON.stringify(Object.fromEntries(Object.entries(e))),
    util.inspect(e.cause, { depth: Infinity }),
  ].join("\n");
}

let mock;
let printed = "";
const restore = [];

before(async () => {
  mock = await startMock({ args: ["--time-scale", "0"] });
  // Capture anything printed while the tests run (the SDK prints nothing itself).
  for (const name of ["log", "info", "warn", "error", "debug", "trace"]) {
    const original = console[name];
    console[name] = (...args) => {
      printed += util.format(...args) + "\n";
    };
    restore.push(() => (console[name] = original));
  }
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (chunk, ...rest) => {
    printed += String(chunk);
    return write(chunk, ...rest);
  };
  restore.push(() => (process.stderr.write = write));
});

after(async () => {
  for (const undo of restore) undo();
  await mock?.stop();
});

test("no error or printed line shows the key", async () => {
  const client = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl, maxRetries: 0 });
  assertSafe(util.inspect(client, { showHidden: true, depth: Infinity }) + JSON.stringify(client) + String(client));
  const seen = new Set();
  async function expect(cls, fn) {
    let error = null;
    try {
      await fn();
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof cls, `expected ${cls.name}, got ${error?.name}: ${error?.message}`);
    assert.ok(error instanceof LassoError);
    assertSafe(everyView(error));
    seen.add(error.constructor.name);
    return error;
  }

  // API errors of every documented status and others, JSON, HTML and empty bodies.
  for (const status of [400, 401, 402, 403, 404, 409, 422, 429, 500, 502, 503, 504, 418]) {
    for (const body_kind of ["json", "html", "empty"]) {
      await mock.fault({ route: "GET /credits/balance", status, body_kind, headers: { "Retry-After": "120" } });
      const e = await expect(LassoError, () => client.credits.balance());
      assert.equal(e.statusCode, status);
    }
  }
  await expect(sdk.NotFoundError, () => client.tables.get("tbl_missing"));
  await expect(sdk.ConfigurationError, () => client._call("search", {}, {}));
  const revoked = new LassoClient({ apiKey: `lasso_${"0".repeat(64)}`, baseUrl: mock.baseUrl });
  await expect(sdk.AuthenticationError, () => revoked.credits.balance());
  // Connection, timeout, decode.
  const nowhere = new LassoClient({ apiKey: KEY, baseUrl: "http://127.0.0.1:9/api/v1", maxRetries: 0 });
  await expect(sdk.APIConnectionError, () => nowhere.credits.balance());
  await mock.fault({ route: "GET /credits/balance", kind: "slow_headers", delay_ms: 1000 });
  await expect(sdk.APITimeoutError, () => client.credits.balance({ timeout: 200 }));
  await mock.fault({ route: "GET /credits/balance", kind: "wrong_content_type" });
  await expect(sdk.ResponseDecodeError, () => client.credits.balance());
  // A body over maxResponseBytes, and a list that does not advance, each echoing the key.
  await mock.fault({ route: "GET /credits/balance", status: 200, body: { echo: KEY, pad: "x".repeat(4096) } });
  const small = new sdk.LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl, maxResponseBytes: 1024 });
  await expect(sdk.ResponseTooLargeError, () => small.credits.balance());
  const stuck = { products: [{ id: "p", note: KEY }], next_cursor: `c-${KEY}`, has_more: true };
  await mock.fault({ route: "GET /catalog", status: 200, times: 3, body: stuck });
  await expect(sdk.PaginationError, async () => {
    for await (const _ of client.catalog.iter()) {
      // drain
    }
  });
  // Local files: missing, a directory, and a destination nobody may write (even root: /sys).
  await expect(sdk.LocalFileNotFoundError, () => client.files.upload("/nonexistent/catalog.pdf"));
  await expect(sdk.LocalFileError, () => client.files.upload("/tmp"));
  await expect(sdk.LocalFilePermissionError, () => client.export.csv("tbl_sample", { path: "/sys/lasso-export.csv" }));
  // A job that fails while being waited for.
  await mock.fault({
    route: "GET /tables/tbl_sample",
    status: 200,
    times: 5,
    body: { id: "tbl_sample", status: "failed", progress: 40, error_message: "worker crashed" },
  });
  await expect(sdk.JobFailedError, () => client.tables.waitForCompletion("tbl_sample", { intervalMs: 10, timeoutMs: 5000 }));
  // Local files: an upload that is missing or a directory, an export the process may not write.
  await expect(sdk.LocalFileNotFoundError, () => client.files.upload("/no/such/catalog.pdf"));
  await expect(sdk.LocalFileError, () => client.files.upload("/"));
  await expect(sdk.LocalFilePermissionError, () => client.export.csv("tbl_sample", { path: "/sys/lasso-export.csv" }));
  // Invalid keys, each variant a secret of its own.
  for (const raw of [
    KEY.slice(0, 40),
    `${KEY}00`,
    `sk_${KEY.slice(6)}`,
    `${KEY.slice(0, 30)}é${KEY.slice(31)}`,
    `${KEY.slice(0, 30)} ${KEY.slice(31)}`,
    `${KEY.slice(0, 68)}zz`,
    `"${KEY}"`,
  ]) {
    let error = null;
    try {
      new LassoClient({ apiKey: raw, baseUrl: mock.baseUrl });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof sdk.InvalidApiKeyError, `${raw}: ${error}`);
    assertSafe(everyView(error), raw);
    seen.add(error.constructor.name);
  }
  // Configuration errors where the key ended up in the wrong option.
  for (const baseUrl of [KEY, `https://user:${KEY}@hub.example/api/v1`, `https://hub.example/api/v1?api_key=${KEY}`]) {
    await expect(sdk.ConfigurationError, () => new LassoClient({ apiKey: KEY, baseUrl }));
  }
  for (const headers of [{ Authorization: `Bearer ${KEY}` }, { "X-Debug": `${KEY}\n` }]) {
    const e = await expect(sdk.ConfigurationError, () => new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl, headers }));
    assert.match(e.message, /Authorization|x-debug/i);
  }
  // Webhook errors: neither the secret nor a computed signature.
  const body = Buffer.from('{"event":"webhook.test","data":{}}');
  const right = signWebhook(body, WEBHOOK_SECRET);
  const other = signWebhook(body, "whsec_someone_else_entirely");
  for (const [header, secret] of [
    [undefined, WEBHOOK_SECRET],
    ["sha256=nothex", WEBHOOK_SECRET],
    [other, WEBHOOK_SECRET],
    [other, ["whsec_old_secret_number_one", WEBHOOK_SECRET]],
    [right, ""],
    [right, []],
  ]) {
    let error = null;
    try {
      constructWebhookEvent(Buffer.from('{"tampered":true}'), header, secret);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof sdk.WebhookVerificationError, String(error));
    const text = everyView(error);
    assertSafe(text, WEBHOOK_SECRET);
    assert.ok(!text.includes(right.slice(7)) && !text.includes(other.slice(7)), text);
    assert.ok(!text.includes("someone_else") && !text.includes("number_one"), text);
    seen.add(error.constructor.name);
  }
  // A panic caught at the boundary (the native test hook).
  const { native } = await import("../dist/native.js");
  const { fromNative } = await import("../dist/errors.js");
  try {
    await native().__testPanic("async");
  } catch (e) {
    const mapped = fromNative(e);
    assertSafe(everyView(mapped));
    seen.add(`${mapped.constructor.name}(internal)`);
  }

  const expected = new Set(Object.values(CLASSES).filter((c) => c !== "LassoError"));
  const missing = [...expected].filter((c) => !seen.has(c));
  assert.deepEqual(missing, [], `error classes never triggered: ${missing}`);
  assert.ok(seen.has("LassoError(internal)"), [...seen].join(", "));
  assertSafe(printed);
});

test("http:// to a host that is not loopback is refused", () => {
  for (const baseUrl of [
    "http://hub.banditshq.com/api/v1",
    "http://10.0.0.1/api/v1",
    "http://[2001:db8::1]/api/v1",
    "http://127.0.0.1.nip.io/api/v1",
    "http://localhost.example.com/api/v1",
  ]) {
    assert.throws(
      () => new LassoClient({ apiKey: KEY, baseUrl }),
      (e) => e instanceof sdk.ConfigurationError && /plain http:\/\//.test(e.message) && (assertSafe(everyView(e)), true),
      baseUrl,
    );
  }
  for (const baseUrl of ["http://127.0.0.1:9/api/v1", "http://[::1]:9/api/v1", "http://localhost:9/api/v1"]) {
    new LassoClient({ apiKey: KEY, baseUrl });
  }
});

// --- redirects: two local servers on different ports are different origins ---------------

async function serve(reply) {
  const seen = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers });
    const [status, headers, body] = reply(req.url);
    res.writeHead(status, { ...headers, "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, seen, origin: `http://127.0.0.1:${server.address().port}` };
}

for (const status of [301, 302, 303, 307, 308]) {
  test(`Authorization is not sent across an origin-changing ${status} redirect`, async () => {
    const b = await serve(() => [200, { "content-type": "application/json" }, '{"balance":5,"currency":"credits"}']);
    const a = await serve(() => [status, { location: `${b.origin}/api/v1/credits/balance` }, ""]);
    try {
      const client = new LassoClient({ apiKey: KEY, baseUrl: `${a.origin}/api/v1` });
      assert.equal((await client.credits.balance()).balance, 5);
      assert.deepEqual(a.seen.map((r) => r.headers.authorization), [`Bearer ${KEY}`]);
      assert.equal(b.seen.length, 1);
      assert.equal(b.seen[0].url, "/api/v1/credits/balance");
      assert.equal(b.seen[0].headers.authorization, undefined, JSON.stringify(b.seen[0].headers));
      assertSafe(JSON.stringify(b.seen[0].headers));
    } finally {
      a.server.close();
      b.server.close();
    }
  });
}

test("a same-origin redirect keeps the key; one to plain http off loopback is refused", async () => {
  const a = await serve((url) =>
    url.endsWith("/v2")
      ? [200, { "content-type": "application/json" }, '{"balance":7,"currency":"credits"}']
      : url.includes("/away/")
        ? [302, { location: "http://example.invalid/api/v1/credits/balance" }, ""]
        : [307, { location: "/api/v1/credits/balance/v2" }, ""],
  );
  try {
    const client = new LassoClient({ apiKey: KEY, baseUrl: `${a.origin}/api/v1` });
    assert.equal((await client.credits.balance()).balance, 7);
    assert.deepEqual(a.seen.map((r) => r.headers.authorization), [`Bearer ${KEY}`, `Bearer ${KEY}`]);
    const away = new LassoClient({ apiKey: KEY, baseUrl: `${a.origin}/api/v1/away`, maxRetries: 0 });
    await assert.rejects(away.credits.balance(), (e) => {
      assert.ok(e instanceof sdk.APIConnectionError, String(e));
      assert.match(e.message, /refused a redirect/);
      assertSafe(everyView(e));
      return true;
    });
  } finally {
    a.server.close();
  }
});

// --- keys echoed back: scrubbed by the core (Error::redacted) ---

test("a key echoed by the server is not shown", async () => {
  await mock.fault({
    route: "GET /credits/balance",
    status: 401,
    body: { error_type: "unauthenticated", message: `Invalid API key: Bearer ${KEY}` },
  });
  const client = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl, maxRetries: 0 });
  await assert.rejects(client.credits.balance(), (e) => (assertSafe(everyView(e)), true));
});
