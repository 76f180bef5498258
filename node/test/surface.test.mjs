// The generated surface matches the core's operation table: every operation id has a
// method (and every list operation an async iterator), and every read-only method
// answers against lasso-mock with a result or a typed LassoError, never a TypeError.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, test } from "node:test";

import LassoClient, { LassoError } from "@lasso-ai/sdk";
import { KEY, NODE_DIR, REPO, startMock } from "./helpers/mock.mjs";

const addon = createRequire(import.meta.url)(join(NODE_DIR, "lasso.node"));
/** The core's table: `{ id, method, path, paging, custom, params: [{ name, positional, required, fixed }] }`. */
const OPERATIONS = addon.__operations();
/** What the spec describes, in numbers (generated, see crates/lasso-codegen/src/manifest.rs). */
const MANIFEST = JSON.parse(readFileSync(join(REPO, "tests", "manifest.json"), "utf8"));

const camel = (snake) => snake.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const pascal = (snake) => camel(snake).replace(/^./, (c) => c.toUpperCase());

/** Hand-written helpers serving the operations the generator leaves out. */
const CUSTOM = {
  "tables.export": ["export.json", "export.csv", "export.xlsx", "export.images", "export.download"],
  "files.upload": ["files.upload"],
};

let mock;
let client;

before(async () => {
  mock = await startMock();
  client = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl, maxRetries: 0 });
});
after(async () => {
  client?.close();
  await mock?.stop();
});

/** `tables.create_rows` → [client.tables, "createRows"]. */
function locate(path) {
  const parts = path.split(".");
  let owner = client;
  for (const part of parts.slice(0, -1)) {
    owner = owner?.[camel(part)];
    assert.ok(owner && typeof owner === "object", `client.${path}: no namespace ${part}`);
  }
  return [owner, parts.at(-1)];
}

function method(path, name) {
  const [owner, last] = locate(path);
  const fn = owner[name ?? camel(last)];
  assert.equal(typeof fn, "function", `client.${path} has no method ${name ?? camel(last)}`);
  return [owner, fn];
}

test("the core's table is complete and every id is unique", () => {
  // tests/manifest.json is generated from the same table (`./just codegen`).
  assert.equal(OPERATIONS.length, MANIFEST.operations);
  assert.deepEqual(OPERATIONS.map((op) => op.id), MANIFEST.operation_ids);
  assert.equal(new Set(OPERATIONS.map((op) => op.id)).size, OPERATIONS.length);
  assert.equal(new Set(OPERATIONS.map((op) => `${op.method} ${op.path}`)).size, MANIFEST.endpoints);
});

test("every operation of the core's table has a method", () => {
  for (const op of OPERATIONS) {
    if (op.custom) {
      assert.ok(CUSTOM[op.id], `no hand-written helper is known for ${op.id}`);
      for (const path of CUSTOM[op.id]) method(path);
    } else {
      method(op.id);
    }
  }
  method("tables.waitForCompletion", "waitForCompletion");
});

test("every list operation has an async iterator: list → iter, rows → iterRows", () => {
  const lists = OPERATIONS.filter((op) => op.paging !== null);
  assert.ok(lists.length >= 8);
  for (const op of lists) {
    const last = op.id.split(".").at(-1);
    const [owner, fn] = method(op.id, last === "list" ? "iter" : `iter${pascal(last)}`);
    const it = fn.call(owner, ...op.params.filter((p) => p.positional).map(() => "x"));
    assert.equal(typeof it[Symbol.asyncIterator], "function", op.id);
    it.return();
  }
});

test("every read-only method answers with a result or a typed LassoError", async (t) => {
  const notImplemented = [];
  const gets = OPERATIONS.filter((op) => op.method === "GET" && !op.custom);
  assert.ok(gets.length >= 25);
  for (const op of gets) {
    const [owner, fn] = method(op.id);
    const positional = op.params.filter((p) => p.positional).map((p) => `dummy_${p.name}`);
    const named = op.params.some((p) => !p.positional && p.fixed === null) ? [{}] : [];
    let outcome;
    try {
      outcome = await fn.call(owner, ...positional, ...named, { maxRetries: 0 });
    } catch (err) {
      assert.ok(err instanceof LassoError, `${op.id} threw ${err?.name}: ${err?.message}`);
      assert.ok(!(err instanceof TypeError), op.id);
      if (err.statusCode === 501 || err.errorType === "not_implemented") notImplemented.push(op.id);
      continue;
    }
    assert.notEqual(outcome, undefined, `${op.id} resolved to undefined`);
  }
  // Same for the iterators of read-only lists.
  for (const op of gets.filter((o) => o.paging !== null)) {
    const last = op.id.split(".").at(-1);
    const [owner, fn] = method(op.id, last === "list" ? "iter" : `iter${pascal(last)}`);
    const positional = op.params.filter((p) => p.positional).map((p) => `dummy_${p.name}`);
    const it = fn.call(owner, ...positional, {}, { maxRetries: 0 });
    try {
      await it.next();
    } catch (err) {
      assert.ok(err instanceof LassoError, `${op.id} iterator threw ${err?.name}: ${err?.message}`);
    } finally {
      await it.return();
    }
  }
  t.diagnostic(
    notImplemented.length === 0
      ? "lasso-mock implements every read-only operation"
      : `lasso-mock answers 501 not_implemented for: ${notImplemented.join(", ")}`,
  );
});
