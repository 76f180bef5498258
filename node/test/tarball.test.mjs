// The npm tarball as users get it: `npm pack` of the current build (`just build`, or
// `cargo build -p lasso-napi && node scripts/build-native.mjs && npm run build`; the
// package's `prepack` script does the last two itself), installed into a fresh project.
// There: ESM import and CJS require work against lasso-mock, the typings pass
// `tsc --noEmit --strict` for ESM and CJS consumers, and @arethetypeswrong/cli and
// publint find nothing to report.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";

import { KEY, NODE_DIR, startMock } from "./helpers/mock.mjs";

const run = promisify(execFile);
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const NPX = process.platform === "win32" ? "npx.cmd" : "npx";
const BIN = join(NODE_DIR, "node_modules", ".bin");

let mock;
let tmp;
let tarball;
let packed;
let project;

before(async () => {
  mock = await startMock();
  tmp = mkdtempSync(join(tmpdir(), "lasso-tarball-"));
  // `--ignore-scripts`: pack the build under test as it is (prepack would rebuild dist/
  // while other test files use it).
  const { stdout } = await run(NPM, ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], {
    cwd: NODE_DIR,
    timeout: 300_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  [packed] = JSON.parse(stdout);
  tarball = join(tmp, packed.filename);
  project = join(tmp, "consumer");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  await run(NPM, ["install", tarball, "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], {
    cwd: project,
    timeout: 300_000,
  });
});
after(async () => {
  await mock?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function runNode(file) {
  const env = { ...process.env, LASSO_API_KEY: KEY, LASSO_BASE_URL: mock.baseUrl };
  try {
    const { stdout } = await run(process.execPath, [file], { cwd: project, env, timeout: 60_000 });
    return JSON.parse(stdout.trim().split("\n").at(-1));
  } catch (err) {
    assert.fail(`node ${file} failed:\n${err.stdout ?? ""}${err.stderr ?? err.message}`);
  }
}

test("the tarball holds the built JS, the typings, the addon, the lasso bin, the README, and nothing else", () => {
  const files = packed.files.map((f) => f.path).sort();
  for (const needed of [
    "package.json",
    "README.md",
    "lasso.node",
    "dist/index.js",
    "dist/index.mjs",
    "dist/index.d.ts",
    "dist/index.d.mts",
    "dist/client.d.ts",
    "dist/generated.d.ts",
    "bin/lasso.js",
  ]) {
    assert.ok(files.includes(needed), `${needed} is missing from the tarball`);
  }
  const unexpected = files.filter(
    (f) =>
      !(f === "package.json" || f === "README.md" || f === "lasso.node" || f === "bin/lasso.js" || f.startsWith("dist/")),
  );
  assert.deepEqual(unexpected, []);
  assert.ok(!files.some((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")), "TypeScript sources were packed");
  assert.ok(existsSync(join(project, "node_modules", "@lasso-ai", "sdk", "lasso.node")));
});

test("installed from the tarball: ESM import works", async () => {
  writeFileSync(
    join(project, "esm.mjs"),
    `import LassoClient, { LassoClient as Named, LassoError, NotFoundError, AbortError } from "@lasso-ai/sdk";
const client = new LassoClient();
const balance = await client.credits.balance();
const err = await client.tables.get("tbl_missing").catch((e) => e);
const aborted = await client.credits.balance({ signal: AbortSignal.abort() }).catch((e) => e);
const rows = [];
for await (const row of client.tables.iterRows("tbl_sample")) rows.push(row.id);
console.log(JSON.stringify({
  defaultIsNamed: LassoClient === Named,
  balance: balance.balance,
  notFound: err instanceof NotFoundError && err instanceof LassoError && err.name === "NotFoundError",
  aborted: aborted instanceof AbortError && aborted instanceof LassoError && aborted.name === "AbortError",
  rows: rows.length,
  from: import.meta.resolve("@lasso-ai/sdk"),
}));
`,
  );
  const result = await runNode("esm.mjs");
  assert.deepEqual(
    { ...result, from: undefined },
    { defaultIsNamed: true, balance: 1000, notFound: true, aborted: true, rows: 3, from: undefined },
  );
  assert.match(result.from, /consumer\/node_modules\/@lasso-ai\/sdk\/dist\/index\.mjs$/);
});

test("installed from the tarball: CommonJS require works", async () => {
  writeFileSync(
    join(project, "cjs.cjs"),
    `const sdk = require("@lasso-ai/sdk");
const { LassoClient, LassoError, NotFoundError, AbortError } = sdk;
(async () => {
  const client = new LassoClient();
  const balance = await client.credits.balance();
  const err = await client.tables.get("tbl_missing").catch((e) => e);
  const aborted = await client.credits.balance({ signal: AbortSignal.abort() }).catch((e) => e);
  console.log(JSON.stringify({
    defaultIsNamed: sdk.default === LassoClient,
    balance: balance.balance,
    notFound: err instanceof NotFoundError && err instanceof LassoError && err.name === "NotFoundError",
    aborted: aborted instanceof AbortError && aborted.name === "AbortError",
    from: require.resolve("@lasso-ai/sdk"),
  }));
})().catch((e) => { console.error(e); process.exit(1); });
`,
  );
  const result = await runNode("cjs.cjs");
  assert.deepEqual(
    { ...result, from: undefined },
    { defaultIsNamed: true, balance: 1000, notFound: true, aborted: true, from: undefined },
  );
  assert.match(result.from, /consumer\/node_modules\/@lasso-ai\/sdk\/dist\/index\.js$/);
});

test("installed from the tarball: the lasso command works (node_modules/.bin/lasso, npx)", async () => {
  const env = { ...process.env, LASSO_API_KEY: KEY, LASSO_BASE_URL: mock.baseUrl, LASSO_CONFIG: join(tmp, "none.toml") };
  const bin = join(project, "node_modules", ".bin", "lasso");
  assert.ok(existsSync(bin), "npm links the lasso bin");
  const { stdout } = await run(bin, ["auth", "status"], { cwd: project, env, timeout: 60_000 });
  assert.equal(JSON.parse(stdout).valid, true);
  const npx = await run(NPX, ["--no-install", "lasso", "tables", "rows", "tbl_sample", "--all"], {
    cwd: project,
    env,
    timeout: 60_000,
  });
  assert.equal(npx.stdout.trim().split("\n").length, 3);
  const failed = await run(bin, ["tables", "get", "tbl_missing"], { cwd: project, env }).catch((e) => e);
  assert.equal(failed.code, 4);
});

test("installed from the tarball: tsc --noEmit --strict passes for ESM and CJS consumers", async () => {
  cpSync(join(NODE_DIR, "test", "types", "esm.mts"), join(project, "esm-consumer.mts"));
  cpSync(join(NODE_DIR, "test", "types", "cjs.cts"), join(project, "cjs-consumer.cts"));
  const compilerOptions = {
    module: "nodenext",
    moduleResolution: "nodenext",
    target: "ES2022",
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    typeRoots: [join(NODE_DIR, "node_modules", "@types")],
    types: ["node"],
  };
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({ compilerOptions, files: ["esm-consumer.mts", "cjs-consumer.cts"] }),
  );
  // Without @types/node and without the DOM library: the typings need neither.
  writeFileSync(
    join(project, "bare.mts"),
    `import LassoClient, { AbortError, type AbortSignalLike, type Table } from "@lasso-ai/sdk";
const client = new LassoClient({ apiKey: "lasso_x" });
declare const signal: AbortSignalLike;
const table: Promise<Table> = client.tables.get("tbl_1", { signal, timeout: 1000, maxRetries: 1 });
const isAbort = (e: unknown): boolean => e instanceof AbortError;
void [table, isAbort];
`,
  );
  writeFileSync(
    join(project, "tsconfig.bare.json"),
    JSON.stringify({ compilerOptions: { ...compilerOptions, lib: ["ES2022"], types: [] }, files: ["bare.mts"] }),
  );
  const tsc = join(NODE_DIR, "node_modules", "typescript", "bin", "tsc");
  for (const config of ["tsconfig.json", "tsconfig.bare.json"]) {
    try {
      await run(process.execPath, [tsc, "-p", config], { cwd: project, timeout: 120_000 });
    } catch (err) {
      assert.fail(`tsc -p ${config} failed:\n${err.stdout}${err.stderr}`);
    }
  }
});

test("@arethetypeswrong/cli finds no problem in the tarball", async (t) => {
  const attw = join(BIN, "attw");
  if (!existsSync(attw)) return t.skip("@arethetypeswrong/cli is not installed (npm ci)");
  try {
    const { stdout } = await run(attw, [tarball, "--format", "ascii"], { cwd: tmp, timeout: 300_000, maxBuffer: 1 << 24 });
    assert.match(stdout, /No problems found/);
  } catch (err) {
    assert.fail(`attw reported problems:\n${err.stdout}${err.stderr}`);
  }
});

test("publint --strict finds nothing to report in the installed package", async (t) => {
  const publint = join(BIN, "publint");
  if (!existsSync(publint)) return t.skip("publint is not installed (npm ci)");
  const installed = join(project, "node_modules", "@lasso-ai", "sdk");
  let output;
  try {
    const { stdout, stderr } = await run(publint, [installed, "--strict"], { cwd: tmp, timeout: 120_000 });
    output = stdout + stderr;
  } catch (err) {
    assert.fail(`publint reported problems:\n${err.stdout}${err.stderr}`);
  }
  assert.doesNotMatch(output, /Suggestions|Warnings|Errors/, output);
});
