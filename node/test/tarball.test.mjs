// The npm tarballs as users get them: scripts/pack.mjs over the current build (`just
// build`, or `node scripts/build-native.mjs && npm run build`) makes the main package and
// this machine's platform package (with node/lasso.node), installed into a fresh project.
// There: ESM import and CJS require work against lasso-mock, the typings pass
// `tsc --noEmit --strict` for ESM and CJS consumers, and @arethetypeswrong/cli and
// publint find nothing to report.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
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
let platformTarball;
let platformPacked;
let project;

async function listTarball(file) {
  const { stdout } = await run("tar", ["-tzf", file]);
  return stdout
    .trim()
    .split("\n")
    .filter((f) => !f.endsWith("/"))
    .map((f) => f.replace(/^package\//, ""));
}

before(async () => {
  mock = await startMock();
  tmp = mkdtempSync(join(tmpdir(), "lasso-tarball-"));
  // The build under test as it is (no prepack: that would rebuild dist/ while other
  // test files use it).
  const { stdout } = await run(process.execPath, [join(NODE_DIR, "scripts", "pack.mjs"), "--out", tmp], {
    cwd: NODE_DIR,
    timeout: 300_000,
  });
  [tarball, platformTarball] = stdout.trim().split("\n");
  packed = await listTarball(tarball);
  platformPacked = await listTarball(platformTarball);
  project = join(tmp, "consumer");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  // Offline: the other platforms' packages are optional and skipped.
  await run(NPM, ["install", tarball, platformTarball, "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], {
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

test("the main tarball holds the built JS, the typings, the lasso bin, the README, no addon, and nothing else", () => {
  const files = [...packed].sort();
  for (const needed of [
    "package.json",
    "README.md",
    "LICENSE",
    "dist/index.js",
    "dist/index.mjs",
    "dist/index.d.ts",
    "dist/index.d.mts",
    "dist/client.d.ts",
    "dist/generated.d.ts",
    "dist/testing.js",
    "dist/testing.mjs",
    "dist/testing.d.ts",
    "dist/testing.d.mts",
    "bin/lasso.js",
  ]) {
    assert.ok(files.includes(needed), `${needed} is missing from the tarball`);
  }
  const unexpected = files.filter(
    (f) =>
      !(
        f === "package.json" ||
        f === "README.md" ||
        f === "LICENSE" ||
        f === "bin/lasso.js" ||
        f === "testing/package.json" ||
        f.startsWith("dist/")
      ),
  );
  assert.deepEqual(unexpected, []);
  assert.ok(!files.some((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")), "TypeScript sources were packed");
});

test("the platform tarball holds the addon and a manifest npm installs only on its platform", async () => {
  assert.deepEqual([...platformPacked].sort(), ["LICENSE", "README.md", "lasso.node", "package.json"]);
  const installed = join(project, "node_modules", "@lasso-ai");
  const main = JSON.parse(readFileSync(join(installed, "sdk", "package.json"), "utf8"));
  const { PLATFORMS, platformKey } = await import(join(NODE_DIR, "dist", "platforms.js"));
  assert.deepEqual(
    Object.keys(main.optionalDependencies).sort(),
    Object.keys(PLATFORMS)
      .map((k) => `@lasso-ai/sdk-${k}`)
      .sort(),
  );
  assert.ok(Object.values(main.optionalDependencies).every((v) => v === main.version));
  const key = platformKey();
  const platform = JSON.parse(readFileSync(join(installed, `sdk-${key}`, "package.json"), "utf8"));
  assert.equal(platform.version, main.version);
  assert.deepEqual(
    [platform.os, platform.cpu, platform.libc],
    [[PLATFORMS[key].os], [PLATFORMS[key].cpu], [PLATFORMS[key].libc]],
  );
  assert.ok(!existsSync(join(installed, "sdk", "lasso.node")));
});

test("installed from the tarball: an unsupported platform or a missing platform package is a clear error", async () => {
  const script = (platform) =>
    `Object.defineProperty(process, "platform", { value: ${JSON.stringify(platform)} });
const { LassoClient } = require("@lasso-ai/sdk");
try { new LassoClient({ apiKey: "${KEY}" }); console.log("loaded"); } catch (e) { console.log(e.message); }`;
  const { stdout: freebsd } = await run(process.execPath, ["-e", script("freebsd")], { cwd: project });
  assert.match(freebsd, /no native addon for this platform \(freebsd-x64\)/);
  assert.match(freebsd, /linux-x64-gnu, linux-arm64-gnu, linux-x64-musl, linux-arm64-musl/);
  assert.match(freebsd, /\.\/just build/);
  // Without the platform package (as after `npm install --omit=optional`).
  const pkgDir = join(project, "node_modules", "@lasso-ai", `sdk-linux-x64-gnu`);
  const aside = join(tmp, "aside");
  renameSync(pkgDir, aside);
  try {
    const { stdout: missing } = await run(process.execPath, ["-e", script("linux")], { cwd: project });
    assert.match(missing, /the package @lasso-ai\/sdk-linux-x64-gnu, which is not installed/);
    assert.match(missing, /--omit=optional/);
    const bin = await run(join(project, "node_modules", ".bin", "lasso"), ["--version"], { cwd: project }).catch(
      (e) => e,
    );
    assert.equal(bin.code, 1);
    assert.match(bin.stderr, /@lasso-ai\/sdk-linux-x64-gnu, which is not installed/);
  } finally {
    renameSync(aside, pkgDir);
  }
});

test("installed from the tarball: @lasso-ai/sdk/testing starts the bundled emulator (ESM and CJS)", async () => {
  writeFileSync(
    join(project, "testing.mjs"),
    `import LassoClient from "@lasso-ai/sdk";
import { startMock } from "@lasso-ai/sdk/testing";
const { startMock: cjsStart } = (await import("node:module")).createRequire(import.meta.url)("@lasso-ai/sdk/testing");
const mock = await startMock({ balance: 25 });
const client = new LassoClient({ apiKey: mock.apiKey, baseUrl: mock.baseUrl });
const before = (await client.credits.balance()).balance;
const initial = (await client.schemas.list()).data.length;
await client.schemas.create({ name: "s", columns: [{ key: "a", label: "A", type: "text" }] });
await mock.reset();
const afterReset = (await client.schemas.list()).data.length - initial;
await mock.stop();
const stopped = await client.credits.balance({ maxRetries: 0 }).then(() => "answered", (e) => e.name);
console.log(JSON.stringify({ before, same: cjsStart === startMock, afterReset, stopped, url: mock.baseUrl }));
`,
  );
  const result = await runNode("testing.mjs");
  assert.equal(result.before, 25);
  assert.equal(result.same, true);
  assert.equal(result.afterReset, 0);
  assert.equal(result.stopped, "APIConnectionError");
  assert.match(result.url, /^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
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
  const env = {
    ...process.env,
    LASSO_API_KEY: KEY,
    LASSO_BASE_URL: mock.baseUrl,
    LASSO_CONFIG: join(tmp, "none.toml"),
  };
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
    const { stdout } = await run(attw, [tarball, "--format", "ascii"], {
      cwd: tmp,
      timeout: 300_000,
      maxBuffer: 1 << 24,
    });
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
