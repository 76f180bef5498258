// Per-call options and withOptions (issue 16): headers, extra query parameters
// and extra body fields reach the request apart from the method's own
// parameters; a derived client shares the pool and is closed with it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";

import LassoClient, { ConfigurationError } from "../dist/index.mjs";
import { KEY } from "./helpers/mock.mjs";

let server;
let seen = [];
let baseUrl;
before(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: body ? JSON.parse(body) : null });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ id: "tbl_1", name: "n", status: "completed" }));
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}/api/v1`;
});
after(() => new Promise((resolve) => server.close(resolve)));

test("headers, extraQuery and extraBody go with one call, apart from its parameters", async () => {
  seen = [];
  const client = new LassoClient({ apiKey: KEY, baseUrl });
  await client.tables.update(
    "tbl_1",
    { name: "n" },
    { headers: { "X-Trace": "t-1" }, extraQuery: { preview: true, tag: ["a", "b"] }, extraBody: { brand_new_flag: 1 } },
  );
  const [r] = seen;
  assert.equal(r.headers["x-trace"], "t-1");
  assert.equal(r.url, "/api/v1/tables/tbl_1?preview=true&tag=a&tag=b");
  assert.deepEqual(r.body, { name: "n", brand_new_flag: 1 });
  await assert.rejects(client.tables.get("t", { headers: { Authorization: "Bearer x" } }), ConfigurationError);
  await assert.rejects(client.tables.get("t", { extraBody: { x: 1 } }), /extra body/);
  await assert.rejects(client.tables.get("t", { extraQuery: "a=1" }), ConfigurationError);
});

test("withOptions: defaults for every call of a client sharing the pool; a call's own win", async () => {
  seen = [];
  const client = new LassoClient({ apiKey: KEY, baseUrl });
  const tagged = client.withOptions({ headers: { "X-Team": "pricing" }, extraQuery: { a: "1" }, maxRetries: 0 });
  assert.ok(tagged instanceof LassoClient);
  assert.equal(tagged.baseUrl, client.baseUrl);
  await tagged.tables.get("t");
  await tagged.tables.get("t", { headers: { "X-Team": "search" } });
  await client.tables.get("t");
  assert.deepEqual(
    seen.map((r) => [r.headers["x-team"], r.url]),
    [
      ["pricing", "/api/v1/tables/t?a=1"],
      ["search", "/api/v1/tables/t?a=1"],
      [undefined, "/api/v1/tables/t"],
    ],
  );
  assert.throws(() => client.withOptions({ signal: new AbortController().signal }), ConfigurationError);
  assert.throws(() => client.withOptions({ timeot: 5 }), /unknown request option `timeot` \(did you mean `timeout`\?\)/);
  assert.throws(
    () => new LassoClient({ apiKey: KEY, maxRetry: 3 }),
    /unknown client option `maxRetry` \(did you mean `maxRetries`\?\); expected one of: /,
  );
  client.close();
  await assert.rejects(tagged.tables.get("t"), ConfigurationError, "closing the client closes the derived one");
});
