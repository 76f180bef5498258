// Client construction: key checks, configuration errors, nothing sent.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import LassoClient, { ConfigurationError, InvalidApiKeyError, LassoError } from "@lasso-ai/sdk";
import { KEY, startMock } from "./helpers/mock.mjs";

let mock;
before(async () => {
  mock = await startMock();
});
after(() => mock?.stop());

const total = (stats) => Object.values(stats.received).reduce((a, b) => a + b, 0);

const INVALID_KEYS = {
  short: "lasso_0123456789abcdef",
  "wrong prefix": `sk_live_${"0123456789abcdef".repeat(4)}`,
  empty: "",
  blank: "   ",
  "non-ASCII": `lasso_${"0123456789abcdef".repeat(3)}0123456789abcdé`,
  "non-hex": `lasso_${"0123456789abcdef".repeat(3)}0123456789abcdzz`,
  "inner space": `lasso_0123456789 abcdef${"0123456789abcdef".repeat(2)}0123456789abcdef`,
};

for (const [what, key] of Object.entries(INVALID_KEYS)) {
  test(`invalid key (${what}) → InvalidApiKeyError before any request`, async () => {
    const before = total(await mock.stats());
    for (const make of [() => new LassoClient(key), () => new LassoClient({ apiKey: key, baseUrl: mock.baseUrl })]) {
      assert.throws(make, (err) => {
        assert.ok(err instanceof InvalidApiKeyError, String(err));
        assert.ok(err instanceof LassoError);
        assert.equal(err.name, "InvalidApiKeyError");
        if (key.trim().length > 0) {
          assert.ok(!err.message.includes(key.trim()), `message leaks the key: ${err.message}`);
          assert.ok(!err.message.includes(key.trim().slice(6, 20)), `message leaks part of the key: ${err.message}`);
        }
        assert.ok(!err.stack.includes(key.trim()) || key.trim() === "", "stack leaks the key");
        return true;
      });
    }
    assert.equal(total(await mock.stats()), before);
  });
}

test("a non-string key → InvalidApiKeyError", () => {
  assert.throws(() => new LassoClient({ apiKey: 12345 }), InvalidApiKeyError);
});

test("no key at all → InvalidApiKeyError naming LASSO_API_KEY", () => {
  const saved = process.env.LASSO_API_KEY;
  delete process.env.LASSO_API_KEY;
  try {
    assert.throws(() => new LassoClient(), (err) => err instanceof InvalidApiKeyError && /LASSO_API_KEY/.test(err.message));
  } finally {
    if (saved !== undefined) process.env.LASSO_API_KEY = saved;
  }
});

test("allowNonstandardKey accepts a newer key format", () => {
  const key = "lasso_Zx-9_aNewerFormatOfKey";
  assert.throws(() => new LassoClient({ apiKey: key, baseUrl: mock.baseUrl }), InvalidApiKeyError);
  const c = new LassoClient({ apiKey: key, baseUrl: mock.baseUrl, allowNonstandardKey: true });
  assert.equal(c.maskedKey, "lasso_…fKey");
});

test("http:// to a host that is not loopback → ConfigurationError", () => {
  assert.throws(
    () => new LassoClient({ apiKey: KEY, baseUrl: "http://example.com" }),
    (err) => {
      assert.ok(err instanceof ConfigurationError, String(err));
      assert.equal(err.name, "ConfigurationError");
      assert.match(err.message, /example\.com/);
      assert.ok(!err.message.includes(KEY));
      return true;
    },
  );
});

test("other invalid settings → ConfigurationError", () => {
  const bad = [
    { baseUrl: "not a url" },
    { timeout: 0 },
    { timeout: -1 },
    { timeout: Number.NaN },
    { connectTimeout: 0 },
    { maxRetries: -1 },
    { maxRetries: 2.5 },
    { headers: { Authorization: "Bearer x" } },
    { headers: { "bad name": "x" } },
    { headers: { "X-Trace": 5 } },
    { timeout: "60s" },
    { api_key: KEY },
  ];
  for (const settings of bad) {
    assert.throws(
      () => new LassoClient({ apiKey: KEY, ...settings }),
      ConfigurationError,
      JSON.stringify(settings),
    );
  }
  assert.throws(() => new LassoClient(42), ConfigurationError);
});

test("valid settings build a client", () => {
  const c = new LassoClient({
    apiKey: KEY,
    baseUrl: `${mock.baseUrl}/`,
    timeout: 30_000,
    connectTimeout: 2_000,
    maxRetries: 0,
    headers: { "X-Trace": "abc" },
    userAgentSuffix: "my-app/1.0",
    allowNonstandardKey: false,
  });
  assert.equal(c.baseUrl, mock.baseUrl);
  assert.equal(c.maskedKey, `lasso_…${KEY.slice(-4)}`);
});
