#!/usr/bin/env node
// Copies the addon built by `cargo build -p lasso-napi` to node/lasso.node.
//
//   node scripts/build-native.mjs            # debug build (default)
//   node scripts/build-native.mjs --release  # release build
//   LASSO_NATIVE_PROFILE=release node scripts/build-native.mjs
//   node scripts/build-native.mjs --keep-existing  # no cargo build found: keep node/lasso.node (npm prepack)
//
// Looks in $CARGO_TARGET_DIR (default <repo>/target), first under
// $CARGO_BUILD_TARGET (default x86_64-unknown-linux-gnu), then without a triple.
import { copyFileSync, existsSync, renameSync, rmSync } from "node:fs";
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

const libName = {
  linux: "liblasso_napi.so",
  darwin: "liblasso_napi.dylib",
  win32: "lasso_napi.dll",
}[process.platform] ?? "liblasso_napi.so";

const targetDir = resolve(repo, process.env.CARGO_TARGET_DIR || "target");
const triple = process.env.CARGO_BUILD_TARGET || "x86_64-unknown-linux-gnu";
const candidates = [join(targetDir, triple, profile, libName), join(targetDir, profile, libName)];
const source = candidates.find((p) => existsSync(p));
const dest = join(nodeDir, "lasso.node");
if (!source && args.includes("--keep-existing") && existsSync(dest)) {
  console.log(`build-native: no ${profile} cargo build found; keeping ${dest}`);
  process.exit(0);
}
if (!source) {
  const flag = profile === "release" ? " --release" : "";
  console.error(
    `build-native: no ${profile} addon found; looked at:\n  ${candidates.join("\n  ")}\n` +
      `Build it first: CARGO_BUILD_TARGET=${triple} cargo build -p lasso-napi${flag}`,
  );
  process.exit(1);
}

// Copy next to the destination, then rename: a process that has the old
// addon loaded keeps its mapping intact.
const tmp = `${dest}.${process.pid}.tmp`;
try {
  copyFileSync(source, tmp);
  renameSync(tmp, dest);
} finally {
  rmSync(tmp, { force: true });
}
console.log(`build-native: ${source} -> ${dest} (${profile})`);
