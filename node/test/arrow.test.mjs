// Tables as Arrow (client.tables.toArrow) against lasso-mock: types per column type,
// nulls and missing keys, unknown types, an empty table, many pages, a failing page,
// and the missing optional peer dependency.
import assert from "node:assert/strict";
import Module, { createRequire } from "node:module";
import { after, before, test } from "node:test";

import LassoClient, { ConfigurationError, InternalServerError } from "@lasso-ai/sdk";
import { KEY, startMock } from "./helpers/mock.mjs";

const require = createRequire(import.meta.url);
const arrow = require("apache-arrow");

const TYPES = ["text", "number", "url", "email", "date", "boolean", "richtext", "runnable", "format", "enum", "tags",
  "image", "images", "file", "files", "json", "relation"];

let mock;
let client;

before(async () => {
  mock = await startMock({ args: ["--time-scale", "0"] });
  client = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl, maxRetries: 0 });
});
after(async () => {
  client?.close();
  await mock?.stop();
});

async function completed(schemaId, source) {
  const table = await client.tables.create({ schema_id: schemaId, name: "t", source_text: source });
  return (await client.tables.waitForCompletion(table.id, { intervalMs: 20, timeoutMs: 30_000 })).id;
}

/** A table with one column per type (key = the type) holding exactly `rows`. */
async function typedTable(rows) {
  const columns = TYPES.map((t) => ({ key: t, label: t, type: t, ...(t === "enum" ? { enum_values: ["red"] } : {}) }));
  const schema = await client.schemas.create({ name: "all", columns });
  const id = await completed(schema.id, "Steel mug, EUR 12.99");
  const ids = [];
  for await (const row of client.tables.iterRows(id)) ids.push(row.id);
  if (ids.length) await client.tables.bulkDelete(id, { row_ids: ids });
  if (rows.length) await client.tables.createRows(id, { rows });
  return id;
}

// First: once the SDK has loaded apache-arrow, Node's cache would answer for it.
test("without apache-arrow, toArrow says how to install it", async () => {
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    if (request === "apache-arrow") {
      throw Object.assign(new Error("Cannot find module 'apache-arrow'"), { code: "MODULE_NOT_FOUND" });
    }
    return resolve.call(this, request, ...rest);
  };
  try {
    await assert.rejects(client.tables.toArrow("tbl_any"), (err) =>
      err instanceof ConfigurationError && /npm install apache-arrow/.test(err.message));
  } finally {
    Module._resolveFilename = resolve;
  }
});

test("each column type has its Arrow type; nulls and missing keys are nulls", async () => {
  const full = { text: "Mug", number: 12.5, boolean: true, tags: ["a", "b"], json: { a: [1, null] }, relation: ["p1"],
    date: "2026-05-01", url: "https://x.example" };
  const nulls = Object.fromEntries(TYPES.map((t) => [t, null]));
  const id = await typedTable([full, nulls, { number: 3, text: 42 }]);
  const table = await client.tables.toArrow(id);
  assert.equal(table.numRows, 3);
  const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
  assert.deepEqual(Object.keys(types), TYPES);
  for (const t of TYPES) {
    const expected = t === "number" ? "Float64" : t === "boolean" ? "Bool" : ["tags", "images", "files"].includes(t)
      ? "List<Utf8>" : "Utf8";
    assert.equal(types[t], expected, t);
  }
  const col = (name) => [...table.getChild(name)];
  assert.deepEqual(col("number"), [12.5, null, 3]);
  assert.deepEqual(col("text"), ["Mug", null, "42"]);
  assert.deepEqual(col("boolean"), [true, null, null]);
  assert.deepEqual(col("json"), ['{"a":[1,null]}', null, null]);
  assert.deepEqual(col("relation"), ['["p1"]', null, null]);
  assert.deepEqual([...table.getChild("tags").get(0)], ["a", "b"]);
  assert.equal(table.getChild("tags").get(1), null);
  assert.deepEqual(col("url"), ["https://x.example", null, null]);
});

test("an unknown column type falls back to Utf8", async () => {
  const id = await typedTable([{ text: "Mug", tags: ["a"], number: 2 }]);
  const columns = { data: [{ key: "text", type: "gallery" }, { key: "tags", type: "hologram" }, { key: "number" }] };
  await mock.fault({ route: "GET /tables/{table_id}/columns", status: 200, body: JSON.stringify(columns) });
  const table = await client.tables.toArrow(id);
  assert.deepEqual(table.schema.fields.map((f) => String(f.type)), ["Utf8", "Utf8", "Utf8"]);
  assert.deepEqual(table.toArray().map((r) => ({ ...r })), [{ text: "Mug", tags: '["a"]', number: "2" }]);
});

test("an empty table has its columns and no rows", async () => {
  const table = await client.tables.toArrow(await typedTable([]));
  assert.equal(table.numRows, 0);
  assert.deepEqual(table.schema.fields.map((f) => f.name), TYPES);
});

test("a table of many pages comes whole and in order", async () => {
  const id = await completed("schema_sample", "MOCK_ROWS=12345");
  const table = await client.tables.toArrow(id);
  assert.equal(table.numRows, 12_345);
  assert.deepEqual(table.batches.map((b) => b.numRows), [10_000, 2_345]);
  const names = [];
  for await (const row of client.tables.iterRows(id)) names.push(row.data.name);
  assert.deepEqual([...table.getChild("name")], names);
  assert.ok(table instanceof arrow.Table);
});

test("a failing page rejects with its typed error", async () => {
  const id = await completed("schema_sample", "MOCK_ROWS=500");
  await mock.fault({ route: "GET /tables/{table_id}/rows", status: 500, times: 1000 });
  await assert.rejects(client.tables.toArrow(id), (err) => err instanceof InternalServerError && err.statusCode === 500);
  await mock.reset();
});
