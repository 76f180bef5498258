// The package as users load it: ESM import, CommonJS require, typings, metadata.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";

import LassoClient, * as esm from "@lasso-ai/sdk";
import { KEY, NODE_DIR, REPO, startMock } from "./helpers/mock.mjs";

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const CLASSES = JSON.parse(readFileSync(join(REPO, "tests", "conformance", "error_classes.json"), "utf8")).classes;
const pkg = JSON.parse(readFileSync(join(NODE_DIR, "package.json"), "utf8"));

let mock;
before(async () => {
  mock = await startMock();
});
after(() => mock?.stop());

async function runNode(args) {
  const env = { ...process.env, LASSO_API_KEY: KEY, LASSO_BASE_URL: mock.baseUrl };
  const { stdout } = await run(process.execPath, args, { cwd: NODE_DIR, env, timeout: 30_000 });
  return JSON.parse(stdout.trim().split("\n").at(-1));
}

function assertWorked(result) {
  assert.equal(result.defaultIsNamed, true);
  assert.equal(result.balance, 1000);
  assert.equal(result.notFound, true);
  assert.match(result.requestId, /^[0-9a-f-]{36}$/);
}

test("ESM: default and named imports", async () => {
  assertWorked(await runNode([join(NODE_DIR, "test", "fixtures", "esm-import.mjs")]));
  assertWorked(
    await runNode([
      "--input-type=module",
      "-e",
      'import L, { LassoClient, NotFoundError } from "@lasso-ai/sdk";\n' +
        "const c = new L();\n" +
        'const e = await c.tables.get("x").catch((e) => e);\n' +
        "console.log(JSON.stringify({ defaultIsNamed: L === LassoClient, balance: (await c.credits.balance()).balance," +
        " notFound: e instanceof NotFoundError, requestId: e.requestId }));",
    ]),
  );
});

test("CommonJS: require, named and .default", async () => {
  assertWorked(await runNode([join(NODE_DIR, "test", "fixtures", "cjs-require.cjs")]));
  assertWorked(
    await runNode([
      "-e",
      'const { LassoClient, NotFoundError } = require("@lasso-ai/sdk");\n' +
        'const Default = require("@lasso-ai/sdk").default;\n' +
        "const c = new LassoClient();\n" +
        "(async () => {\n" +
        '  const e = await c.tables.get("x").catch((e) => e);\n' +
        "  console.log(JSON.stringify({ defaultIsNamed: Default === LassoClient, balance: (await c.credits.balance()).balance," +
        " notFound: e instanceof NotFoundError, requestId: e.requestId }));\n" +
        "})();",
    ]),
  );
});

test("examples/quickstart.mjs runs against the emulator", async () => {
  const env = { ...process.env, LASSO_API_KEY: KEY, LASSO_BASE_URL: mock.baseUrl };
  const { stdout } = await run(process.execPath, [join(NODE_DIR, "examples", "quickstart.mjs")], {
    cwd: NODE_DIR,
    env,
    timeout: 30_000,
  });
  assert.match(stdout, /^balance: \d+$/m);
  assert.match(stdout, /not found, as expected/);
  assert.ok(!stdout.includes(KEY), "the quick start printed the key");
});

test("ESM and CommonJS share the same classes", () => {
  const cjs = require("@lasso-ai/sdk");
  assert.equal(esm.LassoClient, cjs.LassoClient);
  assert.equal(esm.NotFoundError, cjs.NotFoundError);
  assert.equal(LassoClient, cjs.default);
  const esmNames = Object.keys(esm).filter((n) => n !== "default").sort();
  const cjsNames = Object.keys(cjs).filter((n) => n !== "default" && n !== "__esModule").sort();
  assert.deepEqual(esmNames, cjsNames);
});

test("every error class is exported, named after itself and extends LassoError", () => {
  // Every class an error code raises (generated from crates/lasso-spec), and Node's AbortError.
  const names = [...new Set(Object.values(CLASSES)), "AbortError"];
  const manifest = JSON.parse(readFileSync(join(REPO, "tests", "manifest.json"), "utf8"));
  assert.equal(names.length, manifest.error_classes + 1, names.join(", "));
  for (const name of names) {
    const Class = esm[name];
    assert.equal(typeof Class, "function", name);
    const err = new Class("m", { statusCode: 418, requestId: "r" });
    assert.ok(err instanceof esm.LassoError && err instanceof Error, name);
    assert.equal(err.name, name);
    assert.equal(err.message, "m");
    assert.equal(err.statusCode, 418);
    assert.equal(err.requestId, "r");
    assert.equal(err.code, null);
    assert.ok(String(err).startsWith(`${name}: m`));
  }
  assert.ok(new esm.ServiceUnavailableError("x") instanceof esm.InternalServerError);
  assert.ok(new esm.APITimeoutError("x") instanceof esm.APIConnectionError);
  assert.equal(esm.APIUserAbortError, esm.AbortError, "APIUserAbortError is another name of AbortError");
});

test("every error the native side reports maps to its class, instanceof in ESM and CommonJS alike", () => {
  const cjs = require("@lasso-ai/sdk");
  const { ERROR_CLASSES, fromNative, MARKER } = require("../dist/errors.js");
  const codes = Object.keys(ERROR_CLASSES);
  // The generated table, plus `aborted` (the napi binding's own code for a fired `signal`).
  assert.deepEqual([...codes].sort(), [...Object.keys(CLASSES), "aborted"].sort());
  for (const code of [...codes, "some_future_code"]) {
    const payload = { kind: code, message: `a ${code}`, status_code: 400, request_id: "req-1" };
    const err = fromNative(new Error(`${MARKER}${JSON.stringify(payload)}`));
    const name = ERROR_CLASSES[code]?.name ?? "LassoError";
    assert.equal(err.name, name, code);
    assert.equal(err.constructor.name, name, code);
    assert.ok(err instanceof esm[name] && err instanceof cjs[name], `${code}: instanceof ${name}`);
    assert.ok(err instanceof esm.LassoError && err instanceof cjs.LassoError && err instanceof Error, code);
    assert.equal(err.message, `a ${code}`);
    assert.equal(err.requestId, "req-1");
    assert.equal(Object.prototype.toString.call(err), "[object Error]");
    assert.ok(err.stack.startsWith(`${name}: a ${code}`), err.stack.split("\n")[0]);
  }
});

test("the version matches package.json and the User-Agent product is lasso-node", () => {
  assert.equal(pkg.name, "@lasso-ai/sdk");
  assert.equal(esm.VERSION, pkg.version);
  assert.equal(esm.FRONT_DOOR, `lasso-node/${pkg.version} node/${process.versions.node}`);
});

test("requests carry the SDK's User-Agent, Accept and extra headers", async () => {
  await mock.reset();
  const client = new LassoClient({
    apiKey: KEY,
    baseUrl: mock.baseUrl,
    userAgentSuffix: "my-app/1.0",
    headers: { "X-Trace": "t1" },
  });
  await client.credits.balance();
  const [sent] = await mock.requests();
  assert.equal(sent.headers["user-agent"], `${esm.FRONT_DOOR} my-app/1.0`);
  assert.equal(sent.headers.accept, "application/json");
  assert.equal(sent.headers["x-trace"], "t1");
  assert.equal(sent.headers.authorization, `Bearer lasso_…${KEY.slice(-4)}`);
});

test("the typings resolve for ESM and CommonJS consumers, with or without @types/node", async () => {
  const tsc = join(NODE_DIR, "node_modules", "typescript", "bin", "tsc");
  const check = async (config) => {
    try {
      await run(process.execPath, [tsc, "-p", join(NODE_DIR, "test", "types", config)], {
        cwd: NODE_DIR,
        timeout: 120_000,
      });
    } catch (err) {
      assert.fail(`tsc -p ${config} failed:\n${err.stdout}${err.stderr}`);
    }
  };
  await Promise.all([check("tsconfig.json"), check("tsconfig.no-node.json")]);
});
