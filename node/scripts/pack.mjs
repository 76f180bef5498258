#!/usr/bin/env node
// Packs @lasso-ai/sdk as a release publishes it, napi-rs's layout: the main
// package (JS, typings, the `lasso` bin, no binary) with one optional dependency
// per platform of src/platforms.ts, and one package per platform carrying that
// platform's addon (`os`, `cpu` and `libc` let npm install only the matching one).
//
//   node scripts/pack.mjs --out DIR [KEY=ADDON ...]
//     KEY=ADDON   a platform package, e.g. linux-x64-gnu=../target/dist/node/linux-x64-gnu.node
//                 (default: this machine's key with node/lasso.node, the checkout's build)
//
// Needs `npm run build` first (dist/). Prints the tarballs' paths, one a line.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const nodeDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const { PACKAGE, PLATFORMS, platformKey } = require(join(nodeDir, "dist", "platforms.js"));
const pkg = JSON.parse(readFileSync(join(nodeDir, "package.json"), "utf8"));

const args = process.argv.slice(2);
const outAt = args.indexOf("--out");
if (outAt < 0 || !args[outAt + 1]) {
  console.error("pack: usage: node scripts/pack.mjs --out DIR [KEY=ADDON ...]");
  process.exit(2);
}
const out = resolve(args[outAt + 1]);
const addons = args.filter((a, i) => i !== outAt && i !== outAt + 1);
if (addons.length === 0) addons.push(`${platformKey()}=${join(nodeDir, "lasso.node")}`);

const stage = join(out, "stage");
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const tarballs = [];
function pack(dir) {
  const json = execFileSync(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", out], {
    cwd: dir,
    encoding: "utf8",
  });
  tarballs.push(join(out, JSON.parse(json)[0].filename));
}

// The main package: as committed, plus the platform packages at the same version.
const main = join(stage, "sdk");
mkdirSync(main);
for (const f of [...pkg.files, "README.md"]) cpSync(join(nodeDir, f), join(main, f), { recursive: true });
const license = readFileSync(join(nodeDir, "..", "LICENSE"));
writeFileSync(join(main, "LICENSE"), license);
const optionalDependencies = Object.fromEntries(Object.keys(PLATFORMS).map((k) => [`${PACKAGE}-${k}`, pkg.version]));
writeFileSync(join(main, "package.json"), JSON.stringify({ ...pkg, optionalDependencies }, null, 2) + "\n");
pack(main);

for (const spec of addons) {
  const [key, addon] = spec.split("=");
  const platform = PLATFORMS[key];
  if (!platform || !addon) {
    console.error(`pack: ${spec}: expected KEY=ADDON with KEY one of ${Object.keys(PLATFORMS).join(", ")}`);
    process.exit(2);
  }
  const dir = join(stage, key);
  mkdirSync(dir);
  cpSync(resolve(addon), join(dir, "lasso.node"));
  writeFileSync(join(dir, "LICENSE"), license);
  const name = `${PACKAGE}-${key}`;
  writeFileSync(
    join(dir, "README.md"),
    `# ${name}\n\nThe native addon of [${PACKAGE}](https://www.npmjs.com/package/${PACKAGE}) for ` +
      `${platform.os} ${platform.cpu} (${platform.libc}), built for \`${platform.rustTarget}\`. ` +
      `Install ${PACKAGE}, not this package: npm picks the right one.\n`,
  );
  const manifest = {
    name,
    version: pkg.version,
    description: `The native addon of ${PACKAGE} for ${key}.`,
    license: pkg.license,
    repository: pkg.repository,
    main: "lasso.node",
    files: ["lasso.node"],
    os: [platform.os],
    cpu: [platform.cpu],
    libc: [platform.libc],
    engines: pkg.engines,
  };
  writeFileSync(join(dir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
  pack(dir);
}
rmSync(stage, { recursive: true, force: true });
console.log(tarballs.join("\n"));
