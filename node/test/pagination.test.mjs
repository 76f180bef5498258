// Auto-pagination (`for await (const row of client.tables.iterRows(id))`) through the
// core's pager, against lasso-mock: page/limit lists and cursor lists.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import LassoClient, { ConfigurationError, LassoError, NotFoundError } from "@lasso-ai/sdk";
import { KEY, startMock } from "./helpers/mock.mjs";

let mock;
let client;

before(async () => {
  // Extractions finish in ~0.1 s.
  mock = await startMock({ args: ["--time-scale", "0.1"] });
  client = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl });
});
after(async () => {
  client?.close();
  await mock?.stop();
});

async function completedTable(name) {
  const table = await client.tables.create({ name, schema_id: "schema_sample", source_text: "Red shoe, $20" });
  return client.tables.waitForCompletion(table.id, { intervalMs: 20, timeoutMs: 30_000 });
}

async function collect(iterator) {
  const items = [];
  for await (const item of iterator) items.push(item);
  return items;
}

describe("page/limit lists", () => {
  let table;
  let extracted;
  const TOTAL = 10_000;

  before(async () => {
    table = await completedTable("ten thousand");
    extracted = (await client.tables.rows(table.id)).pagination.total;
    for (let batch = 0; batch < TOTAL / 1000; batch++) {
      const rows = Array.from({ length: 1000 }, (_, i) => {
        const n = batch * 1000 + i;
        return { name: `item-${n}`, price: n };
      });
      await client.tables.createRows(table.id, { rows });
    }
  });

  test("iterRows over 10,000 rows: exact count, no duplicate, no gap", async () => {
    const before = (await mock.stats()).received["tables.rows"] ?? 0;
    const rows = await collect(client.tables.iterRows(table.id));
    const requests = (await mock.stats()).received["tables.rows"] - before;

    assert.equal(rows.length, TOTAL + extracted);
    const ids = new Set(rows.map((r) => r.id));
    assert.equal(ids.size, rows.length, "a row came twice");
    const names = new Set(rows.map((r) => r.data?.name).filter((n) => typeof n === "string" && n.startsWith("item-")));
    assert.equal(names.size, TOTAL);
    for (let n = 0; n < TOTAL; n++) assert.ok(names.has(`item-${n}`), `item-${n} is missing`);
    // 100 rows a page by default: one request per page, no more.
    assert.equal(requests, Math.ceil((TOTAL + extracted) / 100));
  });

  test("a page size set by the caller is used, and sort parameters pass through", async () => {
    const before = (await mock.stats()).received["tables.rows"] ?? 0;
    const rows = await collect(client.tables.iterRows(table.id, { limit: 50, sort_by: "price", sort_order: "desc" }));
    const requests = (await mock.stats()).received["tables.rows"] - before;
    assert.equal(rows.length, TOTAL + extracted);
    assert.equal(requests, Math.ceil((TOTAL + extracted) / 50));
    assert.equal(rows[0].data.name, `item-${TOTAL - 1}`);
  });

  test("breaking out early stops paging", async () => {
    const seen = [];
    for await (const row of client.tables.iterRows(table.id, { limit: 10 })) {
      seen.push(row.id);
      if (seen.length === 25) break;
    }
    assert.equal(seen.length, 25);
    assert.equal(new Set(seen).size, 25);
  });

  test("iter() over other page/limit lists: tables, files, credits usage", async () => {
    const tables = await collect(client.tables.iter({ limit: 1 }));
    assert.ok(tables.some((t) => t.id === table.id));
    assert.equal(new Set(tables.map((t) => t.id)).size, tables.length);
    const usage = await collect(client.credits.iterUsage());
    assert.ok(usage.length >= 1);
    assert.ok(Array.isArray(await collect(client.files.iter())));
    const schemas = await collect(client.schemas.iter());
    assert.ok(schemas.some((s) => s.id === "schema_sample"));
  });

  test("the iterator is an AsyncIterableIterator", async () => {
    const it = client.tables.iterRows(table.id, { limit: 5 });
    assert.equal(typeof it.next, "function");
    assert.equal(it[Symbol.asyncIterator](), it);
    const first = await it.next();
    assert.equal(first.done, false);
    assert.equal(typeof first.value.id, "string");
    await it.return();
    assert.deepEqual(await it.next(), { done: true, value: undefined });
  });
});

describe("cursor lists", () => {
  const PRODUCTS = 57;
  const created = [];

  before(async () => {
    for (let i = 0; i < PRODUCTS; i++) {
      const p = await client.catalog.create({ schema_id: "schema_sample", attributes: { name: `product-${i}`, price: i } });
      created.push(p.id);
    }
  });

  test("catalog.iter follows next_cursor: every product once", async () => {
    const before = (await mock.stats()).received["catalog.list"] ?? 0;
    const products = await collect(client.catalog.iter({ page_size: 10 }));
    const requests = (await mock.stats()).received["catalog.list"] - before;
    const ids = products.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length, "a product came twice");
    for (const id of created) assert.ok(ids.includes(id), `${id} is missing`);
    assert.equal(products.length, PRODUCTS);
    assert.ok(requests >= Math.ceil(PRODUCTS / 10) && requests <= Math.ceil(PRODUCTS / 10) + 1, `${requests} requests`);
  });

  test("catalog.iter with the default page size, and iterChanges", async () => {
    assert.equal((await collect(client.catalog.iter())).length, PRODUCTS);
    const changes = await collect(client.catalog.iterChanges({ since: "2000-01-01T00:00:00Z", page_size: 20 }));
    assert.equal(new Set(changes.map((p) => p.id)).size, PRODUCTS);
  });
});

describe("errors", () => {
  test("a failing list rejects the first next() with the typed error", async () => {
    const it = client.tables.iterRows("tbl_missing");
    await assert.rejects(it.next(), (err) => err instanceof NotFoundError && err.statusCode === 404);
  });

  test("invalid request options reject with ConfigurationError, lazily", async () => {
    const it = client.tables.iter({}, { maxRetries: -1 });
    await assert.rejects(it.next(), ConfigurationError);
    const it2 = client.tables.iter({}, { nope: 1 });
    await assert.rejects(it2.next(), ConfigurationError);
  });

  test("a server error mid-way surfaces as a LassoError", async () => {
    const table = await completedTable("faulty");
    await client.tables.createRows(table.id, {
      rows: Array.from({ length: 30 }, (_, i) => ({ name: `r${i}`, price: i })),
    });
    const it = client.tables.iterRows(table.id, { limit: 10 }, { maxRetries: 0 });
    assert.equal((await it.next()).done, false); // page 1 is in; page 2 is being prefetched
    await mock.fault({ route: "GET /tables/{table_id}/rows", times: 5, status: 500 });
    let failure;
    try {
      for (;;) {
        const { done } = await it.next();
        if (done) break;
      }
    } catch (err) {
      failure = err;
    }
    await mock.reset();
    // Page 2 may already have been fetched before the fault was queued; page 3 cannot.
    assert.ok(failure instanceof LassoError, `expected a LassoError, got ${failure}`);
  });
});
