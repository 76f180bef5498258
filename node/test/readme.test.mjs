// Every code block of node/README.md: the TypeScript ones type-check with `tsc --strict`
// (one compilation), and every TypeScript and JavaScript block runs against lasso-mock
// (reset before each). A block may use a few names the README's prose introduces
// (`client`, `tableId`, `file`, …): each is declared before the block when the block
// uses it without declaring it, and the package's exports it uses are imported.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";

import * as sdk from "@lasso-ai/sdk";
import { KEY, NODE_DIR, startMock } from "./helpers/mock.mjs";

const run = promisify(execFile);

/** The fenced blocks of the README: `{ lang, code, line }`. */
function blocks(markdown) {
  const out = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (const m of markdown.matchAll(fence)) {
    out.push({ lang: m[1], code: m[2], line: markdown.slice(0, m.index).split("\n").length });
  }
  return out;
}

/**
 * Names the prose gives a meaning to, in dependency order: each declared (as TypeScript)
 * before a block that uses it without declaring it. `__client` serves them all.
 */
const GIVEN = [
  ["client", "const client = __client;"],
  ["tableId", 'const tableId: string = "tbl_sample";'],
  ["id", 'const id: string = "tbl_sample";'],
  ["table", 'const table = await __client.tables.get("tbl_sample");'],
  ["schema_id", 'const schema_id = "schema_sample";'],
  ["file", 'const file = await __client.files.upload(Buffer.from("name,price\\nShoe,20\\n"), "shoes.csv");'],
  ["text", 'const text = "Trail runner, $120\\nRoad racer, $90\\n";'],
  ["items", 'const items = [{ data: { name: "Air Max 90" } }];'],
  ["buffer", 'const buffer = Buffer.from("%PDF-1.4\\n");'],
  ["blob", 'const blob = new Blob(["notes\\n"]);'],
  ["fileFromAForm", 'const fileFromAForm = new File(["name,price\\n"], "form.csv", { type: "text/csv" });'],
  ["signal", "const signal = new AbortController().signal;"],
];

/** Identifiers a block declares itself (variables, functions, imports). */
function declared(code) {
  const names = new Set();
  for (const m of code.matchAll(/\b(?:const|let|var|function|class)\s+([A-Za-z_$][\w$]*)/g)) names.add(m[1]);
  for (const m of code.matchAll(/\b(?:const|let|var)\s+\{([^}]*)\}/g)) {
    for (const part of m[1].split(",")) {
      const name = part.split(":").at(-1).trim();
      if (name) names.add(name);
    }
  }
  for (const m of code.matchAll(/^import\s+(.*?)\s+from\s/gm)) {
    for (const name of m[1].replace(/[{}]/g, ",").split(",")) {
      const alias = name.trim().split(/\s+as\s+/).at(-1).replace(/^type\s+/, "");
      if (alias) names.add(alias);
    }
  }
  return names;
}

/** Whether `code` uses `name` as a variable (not as a property or an object key). */
function uses(code, name) {
  return new RegExp(`(?<![.\\w$])${name.replace("$", "\\$")}(?![\\w$])(?!\\s*:(?!:))`).test(
    code.replace(/\/\/.*$/gm, "").replace(/"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '""'),
  );
}

/** The block as a module: the imports and names it uses but does not declare, then the block. */
function module(block, typescript) {
  const own = declared(block.code);
  const exported = Object.keys(sdk).filter((n) => n !== "default" && !own.has(n) && uses(block.code, n));
  const head = [`import __Lasso, { ${["signWebhook as __sign", ...exported].join(", ")} } from "@lasso-ai/sdk";`];
  const body = ["const __client = new __Lasso();"];
  for (const [name, declaration] of GIVEN) {
    if (!own.has(name) && uses(block.code, name)) {
      body.push(typescript ? declaration : declaration.replace(/: string =/, " ="));
    }
  }
  // Imports first (ESM hoists them anyway); `void` keeps unused names quiet.
  const imports = block.code.match(/^import[^;]*;$/gm) ?? [];
  const rest = block.code.replace(/^import[^;]*;$/gm, "");
  let epilogue = "";
  if (/\bserver\.listen\(/.test(block.code)) {
    // A server block: one signed delivery and one forged one, then the server closes.
    epilogue = `
await new Promise<void>((resolve) => (server.listening ? resolve() : server.once("listening", () => resolve())));
const __port = (server.address() as { port: number }).port;
const __body = JSON.stringify({ event: "webhook.test", data: { ok: true } });
const __good = await fetch(\`http://127.0.0.1:\${__port}/\`, { method: "POST", body: __body, headers: { "x-lasso-signature": __sign(__body, process.env.LASSO_WEBHOOK_SECRET ?? "") } });
const __bad = await fetch(\`http://127.0.0.1:\${__port}/\`, { method: "POST", body: __body, headers: { "x-lasso-signature": "sha256=00" } });
console.log("statuses", __good.status, __bad.status);
server.close();
`;
  }
  const text = [...head, ...imports, ...body, rest, epilogue, "__client.close();", "export {};"].join("\n");
  return typescript ? text : text.replace(/<void>|\(server\.address\(\) as \{ port: number \}\)/g, (m) => (m === "<void>" ? "" : "server.address()"));
}

let mock;
let dir;

before(async () => {
  mock = await startMock({ args: ["--time-scale", "0"] });
  dir = mkdtempSync(join(tmpdir(), "lasso-node-readme-"));
  mkdirSync(join(dir, "node_modules", "@lasso-ai"), { recursive: true });
  symlinkSync(NODE_DIR, join(dir, "node_modules", "@lasso-ai", "sdk"), "dir");
  // Files the blocks name by relative path.
  writeFileSync(join(dir, "catalog.pdf"), "%PDF-1.4\n");
  writeFileSync(join(dir, "big.pdf"), "%PDF-1.4\n");
});
after(async () => {
  await mock?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("every TypeScript and JavaScript block of node/README.md type-checks and runs against lasso-mock", async (t) => {
  const all = blocks(readFileSync(join(NODE_DIR, "README.md"), "utf8"));
  const code = all.filter((b) => ["ts", "js"].includes(b.lang));
  assert.ok(code.length >= 20, `only ${code.length} blocks found`);
  const files = code.map((b, i) => {
    const typescript = b.lang === "ts";
    // A block with `require` is CommonJS; the others are ES modules (top-level await).
    const commonjs = /\brequire\(/.test(b.code);
    const name = `block${String(i).padStart(2, "0")}-line${b.line}.${typescript ? "mts" : commonjs ? "cjs" : "mjs"}`;
    writeFileSync(join(dir, name), commonjs ? b.code : module(b, typescript));
    return { ...b, name, typescript };
  });
  const ts = files.filter((f) => f.typescript);
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "ES2022",
        strict: true,
        skipLibCheck: true,
        types: ["node"],
        typeRoots: [join(NODE_DIR, "node_modules", "@types")],
        outDir: dir,
      },
      files: ts.map((f) => f.name),
    }),
  );
  const tsc = join(NODE_DIR, "node_modules", "typescript", "bin", "tsc");
  try {
    await run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { cwd: dir, timeout: 180_000 });
  } catch (err) {
    assert.fail(`README blocks do not type-check:\n${err.stdout}${err.stderr}`);
  }
  const root = new URL(mock.baseUrl).origin;
  const env = {
    ...process.env,
    LASSO_API_KEY: KEY,
    LASSO_BASE_URL: mock.baseUrl,
    LASSO_MOCK_ROOT: root,
    LASSO_WEBHOOK_SECRET: "whsec_readme",
    LASSO_LOG: "",
    PORT: "0",
  };
  for (const f of files) {
    await mock.reset();
    const script = f.typescript ? f.name.replace(/\.mts$/, ".mjs") : f.name;
    let output;
    try {
      output = await run(process.execPath, [script], { cwd: dir, env, timeout: 60_000 });
    } catch (err) {
      assert.fail(`README block at line ${f.line} failed:\n${err.stdout}${err.stderr}\n--- the block as run:\n${readFileSync(join(dir, f.name), "utf8")}`);
    }
    if (/server\.listen\(/.test(f.code)) assert.match(output.stdout, /statuses 204 400/, `line ${f.line}`);
    t.diagnostic(`line ${f.line}: ok`);
  }
});
