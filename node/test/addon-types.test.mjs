// The addon's TypeScript declarations (src/addon.ts) are what napi-rs writes
// from the Rust code when the addon is built (scripts/build-native.mjs keeps
// the fresh copy in target/napi-<profile>/addon.ts): nothing types the addon
// by hand, and a stale copy fails here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { NODE_DIR, REPO } from "./helpers/mock.mjs";

test("src/addon.ts is the declarations of the addon as built", () => {
  const profile = process.env.LASSO_NATIVE_PROFILE || "debug";
  const fresh = join(process.env.CARGO_TARGET_DIR || join(REPO, "target"), `napi-${profile}`, "addon.ts");
  assert.ok(existsSync(fresh), `${fresh} is missing: build the addon with \`./just build\``);
  const committed = readFileSync(join(NODE_DIR, "src", "addon.ts"), "utf8");
  assert.ok(
    committed === readFileSync(fresh, "utf8"),
    "node/src/addon.ts is stale: run `./just codegen` (or `node node/scripts/build-native.mjs --write-types`) and commit it",
  );
});
