// client.tables.waitForCompletion against lasso-mock: progress reports, failed
// extractions (JobFailedError), timeouts (APITimeoutError) and the stderr progress bar.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";

import LassoClient, {
  APITimeoutError,
  ConfigurationError,
  JobFailedError,
  LassoError,
  NotFoundError,
} from "@lasso-ai/sdk";
import { KEY, NODE_DIR, startMock } from "./helpers/mock.mjs";

const run = promisify(execFile);

let mock;
let client;

before(async () => {
  mock = await startMock(); // time scale 1: an extraction takes ~1.2 s
  client = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl });
});
after(async () => {
  client?.close();
  await mock?.stop();
});

const create = (source_text, name = "wait") => client.tables.create({ name, schema_id: "schema_sample", source_text });

describe("waitForCompletion", () => {
  test("resolves to the completed table; onProgress hears each change, in order", async () => {
    const table = await create("Red shoe, $20\nBlue hat, $10");
    const reports = [];
    const done = await client.tables.waitForCompletion(table.id, {
      intervalMs: 50,
      onProgress: (status, progress) => reports.push({ status, progress }),
    });
    assert.equal(done.id, table.id);
    assert.equal(done.status, "completed");
    assert.equal(done.progress, 100);

    assert.ok(reports.length >= 3, JSON.stringify(reports));
    assert.deepEqual(reports.at(-1), { status: "completed", progress: 100 });
    assert.ok(
      reports.some((r) => r.status === "processing"),
      JSON.stringify(reports),
    );
    for (let i = 1; i < reports.length; i++) {
      assert.notDeepEqual(reports[i], reports[i - 1], "a report repeated an unchanged state");
      assert.ok(reports[i].progress >= reports[i - 1].progress, "progress went backwards");
    }
    for (const r of reports) {
      assert.equal(typeof r.status, "string");
      assert.ok(r.progress === null || (typeof r.progress === "number" && r.progress >= 0 && r.progress <= 100));
    }
  });

  test("an extraction that ends in `error` rejects with JobFailedError carrying status and table", async () => {
    const table = await create("this FAIL_EXTRACTION cannot be parsed");
    const statuses = [];
    const err = await client.tables
      .waitForCompletion(table.id, { intervalMs: 50, onProgress: (status) => statuses.push(status) })
      .catch((e) => e);
    assert.ok(err instanceof JobFailedError, `got ${err}`);
    assert.ok(err instanceof LassoError);
    assert.equal(err.name, "JobFailedError");
    assert.equal(err.status, "error");
    assert.equal(err.table.id, table.id);
    assert.equal(err.table.status, "error");
    assert.equal(err.enhancement, null);
    assert.match(err.message, new RegExp(`${table.id}.*error`));
    assert.match(err.message, /FAIL_EXTRACTION/); // the server's error_message
    assert.equal(statuses.at(-1), "error");
  });

  test("an enhancement whose every cell failed rejects with JobFailedError carrying its status, not a table", async () => {
    const status = { columns: { desc: { total: 2, completed: 0, failed: 2 } } };
    await mock.fault({ route: "GET /tables/{table_id}/enhance/status", status: 200, body: JSON.stringify(status) });
    const err = await client.enhance.waitForCompletion("tbl_1", { intervalMs: 10 }).catch((e) => e);
    assert.ok(err instanceof JobFailedError, `got ${err}`);
    assert.match(err.message, /every one of its 2 cells failed/);
    assert.equal(err.status, "failed");
    assert.equal(err.table, null);
    assert.deepEqual(err.enhancement, status);
  });

  test("running out of time rejects with APITimeoutError naming the last status and progress", async () => {
    const table = await create("Slow shoe, $20");
    const started = Date.now();
    const err = await client.tables.waitForCompletion(table.id, { intervalMs: 50, timeoutMs: 200 }).catch((e) => e);
    const elapsed = Date.now() - started;
    assert.ok(err instanceof APITimeoutError, `got ${err}`);
    assert.match(err.message, /last status `(queued_for_processing|processing)`/);
    assert.match(err.message, new RegExp(table.id));
    assert.ok(elapsed < 2000, `took ${elapsed} ms`);
  });

  test("a throwing onProgress stops the wait and rejects with that error", async () => {
    const table = await create("Green sock, $5");
    const boom = new Error("boom");
    let calls = 0;
    const err = await client.tables
      .waitForCompletion(table.id, {
        intervalMs: 50,
        onProgress: () => {
          calls += 1;
          throw boom;
        },
      })
      .catch((e) => e);
    assert.equal(err, boom);
    assert.equal(calls, 1, "the callback was called again after it threw");
  });

  test("an async onProgress that rejects stops the wait too, without an unhandled rejection", async () => {
    const table = await create("Yellow cap, $8");
    const boom = new Error("async boom");
    let calls = 0;
    const err = await client.tables
      .waitForCompletion(table.id, {
        intervalMs: 50,
        onProgress: async () => {
          calls += 1;
          throw boom;
        },
      })
      .catch((e) => e);
    assert.equal(err, boom);
    assert.ok(calls <= 2, `called ${calls} times`);
  });

  test("a missing table rejects with NotFoundError", async () => {
    await assert.rejects(client.tables.waitForCompletion("tbl_missing", { intervalMs: 50 }), NotFoundError);
  });

  test("invalid options are refused before any request", async () => {
    await assert.rejects(client.tables.waitForCompletion("tbl_x", { intervalMs: 0 }), ConfigurationError);
    await assert.rejects(client.tables.waitForCompletion("tbl_x", { timeoutMs: -1 }), ConfigurationError);
    await assert.rejects(client.tables.waitForCompletion("tbl_x", { intervalMs: "3s" }), ConfigurationError);
    await assert.rejects(client.tables.waitForCompletion("tbl_x", { onProgress: 42 }), ConfigurationError);
  });
});

describe("progress bar", () => {
  // In a child process: stderr is a pipe there (not a terminal) unless the script fakes one.
  const script = (fakeTty) => `
    import LassoClient from "@lasso-ai/sdk";
    ${fakeTty ? "process.stderr.isTTY = true;" : ""}
    const client = new LassoClient();
    const t = await client.tables.create({ name: "bar", schema_id: "schema_sample", source_text: "Red shoe, $20" });
    const done = await client.tables.waitForCompletion(t.id, { intervalMs: 50, progress: true });
    console.log(done.status);
  `;
  const runScript = (fakeTty) =>
    run(process.execPath, ["--input-type=module", "-e", script(fakeTty)], {
      cwd: NODE_DIR,
      env: { ...process.env, LASSO_API_KEY: KEY, LASSO_BASE_URL: mock.baseUrl },
      timeout: 30_000,
    });

  test("progress: true draws nothing when stderr is not a terminal", async () => {
    const { stdout, stderr } = await runScript(false);
    assert.equal(stdout.trim(), "completed");
    assert.equal(stderr, "");
  });

  test("progress: true draws a one-line bar on a terminal's stderr", async () => {
    const { stdout, stderr } = await runScript(true);
    assert.equal(stdout.trim(), "completed");
    assert.match(stderr, /\r\[#{20}\] 100% completed/);
    assert.match(stderr, /\r\[[#-]{20}\] +\d+% (queued_for_processing|processing) /);
    assert.ok(stderr.endsWith("\n"));
    assert.equal(stderr.split("\n").length, 2, "the bar took more than one line");
    assert.ok(!stderr.includes(KEY));
  });

  test("with onProgress too, what the callback prints starts on a line of its own", async () => {
    const withCallback = `
      import LassoClient from "@lasso-ai/sdk";
      process.stderr.isTTY = true;
      const client = new LassoClient();
      const t = await client.tables.create({ name: "bar", schema_id: "schema_sample", source_text: "Red shoe, $20" });
      await client.tables.waitForCompletion(t.id, {
        intervalMs: 50,
        progress: true,
        onProgress: (status) => process.stderr.write(\`status=\${status}\n\`),
      });
    `;
    const { stderr } = await run(process.execPath, ["--input-type=module", "-e", withCallback], {
      cwd: NODE_DIR,
      env: { ...process.env, LASSO_API_KEY: KEY, LASSO_BASE_URL: mock.baseUrl },
      timeout: 30_000,
    });
    // Each callback line is preceded by the bar's erasure, never by bar text on the same line.
    const lines = stderr.split("\n").filter((l) => l.includes("status="));
    assert.ok(lines.length >= 2, stderr);
    for (const line of lines) {
      const erased = line.lastIndexOf("\x1b[2K");
      const visible = erased < 0 ? line : line.slice(erased + 4);
      assert.ok(visible.startsWith("status="), JSON.stringify(line));
    }
    assert.match(stderr, /\r\[#{20}\] 100% completed/);
  });
});

describe("enhance.waitForCompletion", () => {
  test("resolves to the status once every cell of the column is done, reporting the share finished", async () => {
    await client.enhance.cells("tbl_sample", {
      row_ids: ["row_sample_1", "row_sample_2"],
      column_key: "description",
      prompt: "Describe {{name}}",
      web_search: false,
    });
    const seen = [];
    const status = await client.enhance.waitForCompletion("tbl_sample", {
      columnKey: "description",
      intervalMs: 20,
      onProgress: (s, p) => seen.push([s, p]),
    });
    const column = status.columns.description;
    assert.equal(column.completed + column.failed, column.total);
    assert.deepEqual(seen.at(-1), ["completed", 100]);
    await assert.rejects(client.enhance.waitForCompletion("tbl_sample", { columnKey: 3 }), ConfigurationError);
    await assert.rejects(client.enhance.waitForCompletion("tbl_missing", { intervalMs: 20 }), NotFoundError);
  });
});
