// The Configuration table of the top README, Node column: every name in it is a real
// option of this package (client option, request option, wait option or error field),
// and every duration among them is in milliseconds (the unit of every Node duration).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";

import LassoClient, { APITimeoutError, ConfigurationError, LassoError, RateLimitError } from "@lasso-ai/sdk";
import { KEY, REPO, startMock } from "./helpers/mock.mjs";

let mock;
before(async () => {
  mock = await startMock({ args: ["--time-scale", "0"] });
});
after(async () => {
  await mock?.stop();
});

/** The rows of the README's Configuration table: `{ setting, env, rust, python, node, kotlin, unit }`. */
function table() {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const start = readme.indexOf("## Configuration");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1)); // up to the next section
  const rows = section.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| Setting") && !l.startsWith("|---"));
  return rows.map((line) => {
    const cells = line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) => c.trim());
    assert.equal(cells.length, 7, line);
    const [setting, env, rust, python, node, kotlin, unit] = cells;
    return { setting, env, rust, python, node, kotlin, unit };
  });
}

/** The names an options object of `what` accepts, as its "unknown option" error lists them. */
function accepted(make) {
  try {
    make({ noSuchOption: 1 });
  } catch (err) {
    const list = /expected one of: (.*)$/.exec(err.message)?.[1];
    if (list) return new Set(list.split(", "));
    throw err;
  }
  throw new Error("an unknown option was accepted");
}

test("every Node name of the Configuration table is an option of this package", async () => {
  const rows = table();
  assert.ok(rows.length >= 15, `${rows.length} rows`);
  const client = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl });
  const clientOptions = accepted((o) => new LassoClient({ apiKey: KEY, ...o }));
  const requestOptions = accepted((o) => client.withOptions(o));
  const waitOptions = new Set(["intervalMs", "timeoutMs", "onProgress", "progress", "signal"]);
  const errorFields = new Set(Object.keys(new LassoError("x")));
  for (const row of rows) {
    const names = [...row.node.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    assert.ok(names.length > 0, `${row.setting}: no Node name`);
    for (const name of names) {
      const bare = name.replace(/^client\.|\(.*$|:.*$/g, "");
      const known =
        clientOptions.has(bare) ||
        requestOptions.has(bare) ||
        waitOptions.has(bare) ||
        errorFields.has(bare) ||
        typeof client[bare] === "function" ||
        bare === "false";
      assert.ok(known, `${row.setting}: \`${name}\` is not an option of @lasso-ai/sdk`);
    }
  }
  client.close();
});

test("Node durations are milliseconds, everywhere", async () => {
  const client = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl, maxRetries: 0 });
  // Retry-After: 3 (seconds on the wire) is 3000 here.
  await mock.fault({ route: "GET /credits/balance", status: 429, headers: { "Retry-After": "3" } });
  await assert.rejects(client.credits.balance(), (err) => err instanceof RateLimitError && err.retryAfter === 3000);
  // A client timeout of 50 (ms) gives up on an answer 500 ms late; 60 000 (ms) waits for it.
  const late = { route: "GET /credits/balance", kind: "slow_headers", delay_ms: 500, execute: true };
  await mock.fault(late);
  const short = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl, maxRetries: 0, timeout: 50 });
  await assert.rejects(short.credits.balance(), APITimeoutError);
  await mock.fault(late);
  assert.equal(typeof (await short.credits.balance({ timeout: 60_000 })).balance, "number");
  // waitForCompletion's durations are named in ms, and seconds-looking values are not guessed at.
  await assert.rejects(client.tables.waitForCompletion("tbl_sample", { intervalMs: "3" }), ConfigurationError);
  const rows = table().filter((r) => /timeout|interval|time limit|Retry-After/i.test(r.setting));
  assert.ok(rows.length >= 5);
  for (const row of rows) {
    assert.doesNotMatch(row.node, /seconds|\(s\)/, `${row.setting}: ${row.node}`);
    assert.doesNotMatch(row.kotlin, /seconds|ms\b/, `${row.setting}: ${row.kotlin}`);
  }
  client.close();
  short.close();
});
