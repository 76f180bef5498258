#!/usr/bin/env node
// Builds the addon (`bindings/napi`) with napi-rs's CLI and puts it at
// node/lasso.node; the CLI also writes the addon's TypeScript declarations,
// which `src/native.ts` types the addon with.
//
//   node scripts/build-native.mjs                # debug build (default)
//   node scripts/build-native.mjs --release      # release build
//   LASSO_NATIVE_PROFILE=release node scripts/build-native.mjs
//   node scripts/build-native.mjs --write-types  # also update the committed src/addon.ts (`./just codegen`)
//   node scripts/build-native.mjs --keep-existing  # no Rust toolchain: keep node/lasso.node (npm prepack)
//
// The build shares the workspace's target directory ($CARGO_TARGET_DIR, default
// <repo>/target) and $CARGO_BUILD_TARGET (default x86_64-unknown-linux-gnu),
// which napi passes as --target anyway (shared/TOOLCHAIN.md, trap 1). The fresh
// declarations stay in target/napi-<profile>/addon.ts, where
// test/addon-types.test.mjs compares them with the committed src/addon.ts.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const nodeDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repo = resolve(nodeDir, "..");

const args = process.argv.slice(2);
const profile = args.includes("--release")
  ? "release"
  : args.includes("--debug")
    ? "debug"
    : (process.env.LASSO_NATIVE_PROFILE || "debug");
if (!["debug", "release"].includes(profile)) {
  console.error(`build-native: unknown profile ${JSON.stringify(profile)} (use debug or release)`);
  process.exit(2);
}
const dest = join(nodeDir, "lasso.node");
if (args.includes("--keep-existing") && existsSync(dest) && spawnSync("cargo", ["--version"]).status !== 0) {
  console.log(`build-native: no Rust toolchain; keeping ${dest}`);
  process.exit(0);
}

const targetDir = resolve(repo, process.env.CARGO_TARGET_DIR || "target");
const outDir = join(targetDir, `napi-${profile}`);
const env = { ...process.env, CARGO_BUILD_TARGET: process.env.CARGO_BUILD_TARGET || "x86_64-unknown-linux-gnu" };
const napi = [
  "napi",
  "build",
  "--manifest-path",
  join(repo, "bindings", "napi", "Cargo.toml"),
  "--package-json-path",
  join(nodeDir, "package.json"),
  "--output-dir",
  outDir,
  "--dts",
  "addon.ts",
  "--dts-header",
  [
    "/* The addon's declarations, written by napi-rs from bindings/napi: do not edit (run `./just codegen`). */",
    "",
    "/** A Node `Buffer` is a `Uint8Array`: named so, these types need no `@types/node`. */",
    "type Buffer = Uint8Array;",
  ].join("\n"),
  ...(profile === "release" ? ["--release"] : []),
];
const built = spawnSync("npx", ["--no-install", ...napi], { cwd: nodeDir, env, stdio: "inherit" });
if (built.status !== 0) {
  console.error("build-native: the addon did not build (see above)");
  process.exit(built.status || 1);
}

// Copy next to the destination, then rename: a process that has the old
// addon loaded keeps its mapping intact.
const tmp = `${dest}.${process.pid}.tmp`;
try {
  copyFileSync(join(outDir, "index.node"), tmp);
  renameSync(tmp, dest);
} finally {
  rmSync(tmp, { force: true });
}
console.log(`build-native: ${join(outDir, "index.node")} -> ${dest} (${profile})`);

if (args.includes("--write-types")) {
  const committed = join(nodeDir, "src", "addon.ts");
  const fresh = readFileSync(join(outDir, "addon.ts"), "utf8");
  if (!existsSync(committed) || readFileSync(committed, "utf8") !== fresh) {
    writeFileSync(committed, fresh);
    console.log(`build-native: wrote ${committed}`);
  }
}
