// The documented TypeScript usage (shared/lasso-api.md §3.1, transcribed in
// test/docs/usage.mts): it type-checks with `tsc --strict` as an ESM consumer of the
// package, and the compiled file runs against lasso-mock with the expected results.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";

import { KEY, NODE_DIR, startMock } from "./helpers/mock.mjs";

const run = promisify(execFile);
const DOCS = join(NODE_DIR, "test", "docs");

let mock;
let out;

before(async () => {
  mock = await startMock({ args: ["--time-scale", "0.1"] });
  out = mkdtempSync(join(tmpdir(), "lasso-docs-"));
  // The compiled file imports "@lasso-ai/sdk" from outside the package: link it in.
  mkdirSync(join(out, "node_modules", "@lasso-ai"), { recursive: true });
  symlinkSync(NODE_DIR, join(out, "node_modules", "@lasso-ai", "sdk"), "dir");
});
after(async () => {
  await mock?.stop();
  if (out) rmSync(out, { recursive: true, force: true });
});

async function compile() {
  const tsconfig = join(out, "tsconfig.json");
  writeFileSync(
    tsconfig,
    JSON.stringify({
      compilerOptions: {
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "ES2022",
        strict: true,
        noUncheckedIndexedAccess: false,
        skipLibCheck: false,
        types: ["node"],
        typeRoots: [join(NODE_DIR, "node_modules", "@types")],
        rootDir: DOCS,
        outDir: out,
      },
      files: [join(DOCS, "usage.mts")],
    }),
  );
  const tsc = join(NODE_DIR, "node_modules", "typescript", "bin", "tsc");
  try {
    await run(process.execPath, [tsc, "-p", tsconfig], { cwd: NODE_DIR, timeout: 120_000 });
  } catch (err) {
    assert.fail(`the documented usage does not type-check:\n${err.stdout}${err.stderr}`);
  }
}

test("the documented TypeScript usage type-checks (tsc --strict) and runs against lasso-mock", async () => {
  await compile();
  const env = { ...process.env, LASSO_API_KEY: KEY, LASSO_BASE_URL: mock.baseUrl };
  let stdout;
  try {
    ({ stdout } = await run(process.execPath, [join(out, "usage.mjs")], { cwd: out, env, timeout: 120_000 }));
  } catch (err) {
    assert.fail(`the documented usage failed against lasso-mock:\n${err.stdout}${err.stderr}`);
  }
  const seen = JSON.parse(stdout.trim().split("\n").at(-1));
  assert.equal(seen.search, 3);
  assert.equal(seen.enrich, true);
  assert.ok(seen.schemasListed >= 1);
  assert.equal(seen.schemaGot, "Running shoes");
  assert.equal(seen.schemaUpdated, "Trail and road");
  assert.deepEqual(seen.generatedColumns, ["name", "price"]);
  assert.deepEqual(seen.uploaded, ["shoes.txt", "more-shoes.txt"]);
  assert.equal(seen.filesListed, 2);
  const [status, extracted] = seen.table;
  assert.equal(status, "completed");
  assert.ok(extracted >= 1, `${extracted} rows extracted`);
  assert.ok(seen.tablesListed >= 2);
  assert.equal(seen.tableGot, "Shoes");
  assert.equal(seen.tableUpdated, "Shoes (spring)");
  assert.equal(seen.columns, true);
  assert.equal(seen.rows, extracted);
  assert.equal(seen.rowGot, "Hill climber");
  assert.equal(seen.rowUpdated, 135);
  assert.equal(seen.bulkUpdated, 130);
  assert.equal(seen.enhanceStatus, "object");
  assert.equal(seen.exports[0], extracted + 1);
  assert.equal(seen.exports[1], "name");
  assert.deepEqual(seen.exports.slice(2), ["PK", "PK"], "xlsx and the images ZIP are ZIP files");
  assert.equal(seen.rowsLeft, extracted - 1);
  assert.equal(seen.glossaryListed, 1);
  assert.equal(seen.termUpdated, "specific_translation");
  assert.equal(seen.balance, true);
  assert.equal(seen.usage, true);
  assert.equal(seen.stats, "object");
  assert.deepEqual(seen.attributes, ["color", "size"]);
  assert.equal(seen.catalogListed, 1);
  assert.equal(seen.productGot, "Trail runner");
  assert.equal(seen.productUpdated, "active");
  assert.equal(seen.lookup, true);
  assert.ok(seen.changes >= 1);
  assert.equal(seen.hookSecret, true);
  assert.equal(seen.hooksListed, 1);
  assert.equal(seen.hookUpdated, false);
  assert.deepEqual(seen.error, { statusCode: 404, errorType: "not_found", hasMessage: true, hasRequestId: true });
  const stats = await mock.stats();
  assert.ok(stats.received["catalog.list"] >= 1 && stats.received["catalog.webhooks.update"] === 1);
});

test("the documented page size given as a string is sent as is", async () => {
  await mock.reset();
  const { default: LassoClient } = await import("@lasso-ai/sdk");
  const lasso = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl });
  await lasso.catalog.list({ page_size: "25", status: "active" });
  const [sent] = await mock.requests();
  assert.equal(sent.path, "/catalog");
  assert.match(sent.query, /(^|&)page_size=25(&|$)/);
});
