// Not given vs `null`: a parameter the API takes as `null` (the spec marks it nullable)
// is sent as `null` when given `null`, which clears the field; `undefined`, or leaving
// it out, sends nothing and leaves the field as it is. Against lasso-mock.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";

import LassoClient from "@lasso-ai/sdk";
import { KEY, startMock } from "./helpers/mock.mjs";

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

test("tables.update: null clears enhancement_context, leaving it out keeps it", async () => {
  await client.tables.update("tbl_sample", { enhancement_context: "Write in British English" });
  const kept = await client.tables.update("tbl_sample", { name: "Renamed", enhancement_context: undefined });
  assert.equal(kept.name, "Renamed");
  assert.equal(kept.enhancement_context, "Write in British English");
  const cleared = await client.tables.update("tbl_sample", { enhancement_context: null });
  assert.equal(cleared.enhancement_context, null);
  assert.equal(cleared.name, "Renamed");
  assert.equal((await client.tables.get("tbl_sample")).enhancement_context, null);
});

test("null for a parameter that does not take it is not sent", async () => {
  await client.tables.update("tbl_sample", { name: "Kept" });
  // `name` is not nullable (the types refuse it); given anyway, it means "not given".
  const table = await client.tables.update("tbl_sample", { name: null, enhancement_context: "Formal" });
  assert.equal(table.name, "Kept");
  assert.equal(table.enhancement_context, "Formal");
});

test("catalog.webhooks.update: null clears the description", async () => {
  const hooks = client.catalog.webhooks;
  const endpoint = await hooks.create({
    url: "https://example.com/hooks/lasso",
    events: ["product.created"],
    description: "ERP sync",
  });
  assert.equal(endpoint.description, "ERP sync");
  const paused = await hooks.update(endpoint.id, { enabled: false });
  assert.equal(paused.description, "ERP sync");
  const cleared = await hooks.update(endpoint.id, { description: null });
  assert.equal(cleared.description, null);
  assert.equal(cleared.enabled, false);
});
