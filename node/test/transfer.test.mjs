// Uploads (client.files.upload) and exports (client.export.*) against lasso-mock,
// plus an interrupted export against a local server that breaks the connection.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";

import LassoClient, {
  APIConnectionError,
  ConfigurationError,
  ConflictError,
  LassoError,
  LocalFileError,
  LocalFileNotFoundError,
  NotFoundError,
} from "@lasso-ai/sdk";
import { KEY, NODE_DIR, startMock } from "./helpers/mock.mjs";

const run = promisify(execFile);

let mock;
let client;
let dir;

before(async () => {
  mock = await startMock({ args: ["--time-scale", "0.1"] });
  client = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl });
  dir = mkdtempSync(join(tmpdir(), "lasso-node-transfer-"));
});
after(async () => {
  client?.close();
  await mock?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("files.upload", () => {
  test("from a path: streamed, name and content type inferred", async () => {
    const path = join(dir, "catalog.csv");
    const content = "name;price\nRed shoe;20\n";
    writeFileSync(path, content);
    const file = await client.files.upload(path);
    assert.equal(file.filename, "catalog.csv");
    assert.equal(file.size, Buffer.byteLength(content));
    assert.equal(file.content_type, "text/csv");
    assert.match(file.id, /^file_/);
    const listed = await client.files.list();
    assert.ok(listed.data.some((f) => f.id === file.id));
  });

  test("from a path, with the filename and content type overridden", async () => {
    const path = join(dir, "notes.txt");
    writeFileSync(path, "# notes\n");
    const file = await client.files.upload(path, "notes.md", { contentType: "text/markdown" });
    assert.equal(file.filename, "notes.md");
    assert.equal(file.content_type, "text/markdown");
    assert.equal(file.size, 8);
  });

  test("from a Buffer, a Uint8Array and an ArrayBuffer (a filename is required)", async () => {
    const buffer = await client.files.upload(Buffer.from("hello"), "hello.txt");
    assert.equal(buffer.filename, "hello.txt");
    assert.equal(buffer.size, 5);
    assert.equal(buffer.content_type, "text/plain");
    const bytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]).subarray(2, 6);
    assert.equal((await client.files.upload(bytes, "four.bin")).size, 4);
    assert.equal((await client.files.upload(new ArrayBuffer(3), "three.bin")).size, 3);
    await assert.rejects(client.files.upload(Buffer.from("x")), (err) => err instanceof ConfigurationError && /filename/.test(err.message));
  });

  test("from a Blob and a File: read into memory, name and type taken from them", async () => {
    const blob = new Blob(["a,b\n1,2\n"], { type: "text/csv" });
    const fromBlob = await client.files.upload(blob, "blob.csv");
    assert.equal(fromBlob.filename, "blob.csv");
    assert.equal(fromBlob.size, 8);
    assert.equal(fromBlob.content_type, "text/csv");
    if (typeof File === "function") {
      const file = new File(["<p>hi</p>"], "page.html", { type: "text/html" });
      const fromFile = await client.files.upload(file);
      assert.equal(fromFile.filename, "page.html");
      assert.equal(fromFile.content_type, "text/html");
      assert.equal(fromFile.size, 9);
    }
  });

  test("bad inputs are refused with ConfigurationError", async () => {
    await assert.rejects(client.files.upload(join(dir, "missing.pdf")), LocalFileNotFoundError);
    await assert.rejects(client.files.upload(dir), (err) => err instanceof LocalFileError && err.osCode === "EISDIR"); // a directory
    await assert.rejects(client.files.upload(42), ConfigurationError);
    await assert.rejects(client.files.upload(Buffer.from("x"), 7), ConfigurationError);
    await assert.rejects(client.files.upload(Buffer.from("x"), "x.txt", { contentType: "not a type" }), ConfigurationError);
  });

  test("a 200 MB file is streamed from disk with bounded memory", async (t) => {
    const big = join(dir, "big.bin");
    writeFileSync(big, "");
    truncateSync(big, 200 * 1024 * 1024); // sparse: no disk space used
    const script = `
      import LassoClient from "@lasso-ai/sdk";
      const client = new LassoClient();
      const start = process.memoryUsage().rss;
      let peak = start;
      const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
      const file = await client.files.upload(${JSON.stringify(big)});
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      console.log(JSON.stringify({ size: file.size, growth: peak - start }));
    `;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
      cwd: NODE_DIR,
      env: { ...process.env, LASSO_API_KEY: KEY, LASSO_BASE_URL: mock.baseUrl },
      timeout: 120_000,
    });
    const { size, growth } = JSON.parse(stdout.trim().split("\n").at(-1));
    assert.equal(size, 200 * 1024 * 1024);
    t.diagnostic(`RSS growth while uploading 200 MB: ${(growth / 1048576).toFixed(1)} MB`);
    assert.ok(growth < 64 * 1024 * 1024, `RSS grew by ${(growth / 1048576).toFixed(1)} MB while uploading 200 MB`);
  });
});

describe("export", () => {
  let table;
  let rows;

  before(async () => {
    const created = await client.tables.create({
      name: "Export me",
      schema_id: "schema_sample",
      source_text: "Red shoe, $20\nBlue hat, $10",
    });
    table = await client.tables.waitForCompletion(created.id, { intervalMs: 20 });
    await client.tables.createRows(table.id, {
      rows: [
        { name: "Green sock", price: 5 },
        { name: "Semi;colon \"quoted\"", price: 7.5 },
      ],
    });
    rows = [];
    for await (const row of client.tables.iterRows(table.id)) rows.push(row);
  });

  test("json: the parsed rows", async () => {
    const data = await client.export.json(table.id);
    assert.ok(Array.isArray(data));
    assert.equal(data.length, rows.length);
    assert.ok(data.some((r) => r.name === "Green sock" && r.price === 5));
  });

  test("json with columns as an array or a comma-separated string", async () => {
    const a = await client.export.json(table.id, { columns: ["name", "price"] });
    const b = await client.export.json(table.id, { columns: "name,price" });
    assert.deepEqual(a, b);
    for (const row of a) assert.deepEqual(Object.keys(row).sort(), ["name", "price"]);
    await assert.rejects(client.export.json(table.id, { columns: [1, 2] }), ConfigurationError);
  });

  test("csv: text as sent (semicolon-delimited), never parsed as JSON", async () => {
    const csv = await client.export.csv(table.id, { columns: ["name", "price"] });
    assert.equal(typeof csv, "string");
    const lines = csv.trim().split(/\r?\n/);
    assert.equal(lines[0], "name;price");
    assert.equal(lines.length, rows.length + 1);
    assert.ok(csv.includes("Green sock;5"), csv);
  });

  test("xlsx: a Buffer holding a workbook (a ZIP: `PK`)", async () => {
    const xlsx = await client.export.xlsx(table.id);
    assert.ok(Buffer.isBuffer(xlsx));
    assert.equal(xlsx.subarray(0, 2).toString("latin1"), "PK");
  });

  test("images: a Buffer holding a ZIP", async () => {
    const zip = await client.export.images(table.id);
    assert.ok(Buffer.isBuffer(zip));
    assert.equal(zip.subarray(0, 2).toString("latin1"), "PK");
  });

  test("download: the bytes with the content type and the server's file name", async () => {
    const file = await client.export.download(table.id, "xlsx");
    assert.ok(Buffer.isBuffer(file.data));
    assert.equal(file.contentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert.equal(file.filename, "Export me.xlsx");
  });

  test("to a path: written whole, described, no temporary file left", async () => {
    for (const [format, name] of [
      ["csv", "rows.csv"],
      ["json", "rows.json"],
      ["xlsx", "rows.xlsx"],
      ["images", "images.zip"],
    ]) {
      const path = join(dir, name);
      const saved = await client.export[format](table.id, { path });
      assert.equal(saved.path, path);
      const bytes = readFileSync(path);
      assert.equal(saved.size, bytes.length, format);
      assert.equal(typeof saved.contentType, "string");
      assert.match(saved.filename, /^Export me\./);
      if (format === "csv") assert.equal(bytes.toString("utf8"), await client.export.csv(table.id));
      if (format === "json") assert.deepEqual(JSON.parse(bytes.toString("utf8")), await client.export.json(table.id));
      if (format !== "csv" && format !== "json") assert.equal(bytes.subarray(0, 2).toString("latin1"), "PK");
    }
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith(".part")), []);
  });

  test("a failed export creates no file", async () => {
    const path = join(dir, "missing.csv");
    await assert.rejects(client.export.csv("tbl_missing", { path }), NotFoundError);
    assert.equal(existsSync(path), false);
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith(".part")), []);
  });

  test("a table still extracting cannot be exported (409)", async () => {
    const busy = await client.tables.create({ name: "busy", schema_id: "schema_sample", source_text: "Tea, $3" });
    const err = await client.export.json(busy.id).catch((e) => e);
    // The mock may finish first at time scale 0.1; either way the answer is typed.
    assert.ok(Array.isArray(err) || err instanceof ConflictError, `got ${err}`);
  });

  test("bad arguments are refused with ConfigurationError", async () => {
    await assert.rejects(client.export.download(table.id, "pdf"), ConfigurationError);
    await assert.rejects(client.export.csv(table.id, { path: 42 }), ConfigurationError);
    await assert.rejects(client.export.csv(table.id, "name"), ConfigurationError);
    await assert.rejects(client.export.csv(table.id, {}, { timeout: "1s" }), ConfigurationError);
  });
});

describe("export interrupted mid-download", () => {
  let server;
  let baseUrl;

  before(async () => {
    server = createServer((req, res) => {
      res.writeHead(200, {
        "content-type": "text/csv",
        "content-length": "1000000",
        "content-disposition": 'attachment; filename="broken.csv"',
      });
      res.write("name;price\n".repeat(1000), () => setTimeout(() => res.socket.destroy(), 20));
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${server.address().port}/api/v1`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  test("leaves no file, partial or temporary, and rejects with APIConnectionError", async () => {
    const broken = new LassoClient({ apiKey: KEY, baseUrl, maxRetries: 0 });
    const path = join(dir, "broken.csv");
    const err = await broken.export.csv("tbl_x", { path }).catch((e) => e);
    assert.ok(err instanceof APIConnectionError, `got ${err}`);
    assert.ok(err instanceof LassoError);
    assert.equal(existsSync(path), false);
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes("broken")), []);
    // In memory too: an error, never a truncated body.
    await assert.rejects(broken.export.csv("tbl_x"), APIConnectionError);
  });
});
