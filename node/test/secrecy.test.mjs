// The key never shows: inspect, console.log, JSON, String, errors.
import assert from "node:assert/strict";
import { Console } from "node:console";
import { Writable } from "node:stream";
import { test } from "node:test";
import * as util from "node:util";

import LassoClient from "@lasso-ai/sdk";
import { KEY } from "./helpers/mock.mjs";

const BASE = "http://127.0.0.1:9/api/v1";
const MASKED = `lasso_…${KEY.slice(-4)}`;

function consoleLog(value) {
  let out = "";
  const sink = new Writable({
    write(chunk, _enc, done) {
      out += chunk;
      done();
    },
  });
  new Console({ stdout: sink, stderr: sink }).log(value);
  return out;
}

function assertSafe(text, label) {
  assert.ok(!text.includes(KEY), `${label} shows the key: ${text}`);
  assert.ok(!text.includes(KEY.slice(6, 66)), `${label} shows the key's secret part: ${text}`);
  assert.ok(text.includes(MASKED), `${label} lacks the masked key: ${text}`);
  assert.ok(text.includes(BASE), `${label} lacks the base URL: ${text}`);
}

test("util.inspect, console.log, JSON.stringify and String show only the masked key", () => {
  const client = new LassoClient({ apiKey: KEY, baseUrl: BASE });
  assertSafe(util.inspect(client), "util.inspect");
  assertSafe(util.inspect(client, { showHidden: true, depth: Infinity }), "util.inspect(showHidden)");
  assertSafe(consoleLog(client), "console.log");
  assertSafe(consoleLog({ nested: { client } }), "console.log(nested)");
  assertSafe(JSON.stringify(client), "JSON.stringify");
  assertSafe(JSON.stringify({ client }), "JSON.stringify(nested)");
  assertSafe(String(client), "String");
  assertSafe(`${client}`, "template literal");
  assert.deepEqual(JSON.parse(JSON.stringify(client)), { baseUrl: BASE, apiKey: MASKED });
  assert.equal(client.maskedKey, MASKED);
});

test("the resources and the client's own properties hold no key", () => {
  const client = new LassoClient({ apiKey: KEY, baseUrl: BASE });
  for (const value of [client.credits, client.tables, Object.getOwnPropertyNames(client)]) {
    assert.ok(!util.inspect(value, { showHidden: true, depth: 5 }).includes(KEY));
  }
  for (const name of Object.getOwnPropertyNames(client)) {
    const value = client[name];
    assert.ok(typeof value !== "string" || !value.includes(KEY.slice(6)), `property ${name}`);
  }
});

test("a key from the environment does not show either", () => {
  const saved = process.env.LASSO_API_KEY;
  process.env.LASSO_API_KEY = KEY;
  try {
    const client = new LassoClient({ baseUrl: BASE });
    assertSafe(util.inspect(client), "util.inspect");
  } finally {
    if (saved === undefined) delete process.env.LASSO_API_KEY;
    else process.env.LASSO_API_KEY = saved;
  }
});
