// The native layer's guarantees: panics become errors, a missing addon is explained.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";

import { LassoError } from "@lasso-ai/sdk";
import { NODE_DIR } from "./helpers/mock.mjs";

const require = createRequire(import.meta.url);
const { native } = require("../dist/native.js");
const { fromNative, MARKER } = require("../dist/errors.js");

function assertInternal(err) {
  assert.ok(err.message.startsWith(MARKER), err.message);
  const mapped = fromNative(err);
  assert.ok(mapped instanceof LassoError);
  assert.equal(mapped.name, "LassoError");
  assert.match(mapped.message, /internal error in the Lasso SDK.*test panic/);
  return true;
}

test("a panic in a synchronous entry point throws instead of aborting", () => {
  assert.throws(() => native().__testPanic("sync"), assertInternal);
});

test("a panic in an async entry point rejects the Promise", async () => {
  await assert.rejects(native().__testPanic("async"), assertInternal);
  await native().__testPanic("none");
});

test("the core's version is the package's", () => {
  const pkg = require("../package.json");
  assert.equal(native().coreVersion(), pkg.version);
});

test("a missing addon (no checkout build, no platform package) gives a clear error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lasso-node-"));
  try {
    cpSync(join(NODE_DIR, "dist"), join(dir, "dist"), { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "copy", main: "dist/index.js" }));
    const script =
      'const { LassoClient } = require("./dist/index.js");' +
      "try { new LassoClient('lasso_' + 'a'.repeat(64)); } catch (e) { console.log(e.message); }";
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], { cwd: dir });
    assert.match(stdout, /the package @lasso-ai\/sdk-linux-x64-gnu, which is not installed/);
    assert.match(stdout, /--omit=optional/);
    assert.match(stdout, /just build/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
