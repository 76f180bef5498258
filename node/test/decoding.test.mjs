// Responses reach JavaScript as JSON text, checked by the core and parsed by
// V8: the objects must be what JSON.parse makes of the body, and a body that
// is not JSON must be the typed decode error, as in Rust and Python.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import LassoClient, { ResponseDecodeError } from "@lasso-ai/sdk";
import { KEY, startMock } from "./helpers/mock.mjs";

let mock;
let client;
before(async () => {
  mock = await startMock();
  client = new LassoClient({ apiKey: KEY, baseUrl: mock.baseUrl, maxRetries: 0 });
});
after(async () => {
  client.close();
  await mock.stop();
});

const DOCUMENTS = {
  unicode: '{"name": "caf\\u00e9 \\ud83d\\ude00 日本", "plain": "é😀", "empty": ""}',
  escapes: '{"q\\"uote": "a\\\\b\\/c\\n\\t", "k\\u00e9y": 1}',
  numbers: '{"zero": 0, "neg": -17, "big": 9007199254740993, "float": 1.5e-7, "neg_zero": -0.0}',
  literals: '{"t": true, "f": false, "n": null, "list": [], "obj": {}}',
  nested: '{"a": [1, [2, [3, {"b": [{"c": null}]}]]], "rows": [{"x": 1}, {"y": 2}]}',
  whitespace: ' \n\t{ "spaced" : [ 1 , 2 ] } \n',
};

const balanceAnswers = (body) =>
  mock.fault({ route: "GET /credits/balance", status: 200, body, headers: { "content-type": "application/json" } });

for (const [name, text] of Object.entries(DOCUMENTS)) {
  test(`a response decodes as JSON.parse would: ${name}`, async () => {
    await balanceAnswers(text);
    assert.deepEqual(await client.credits.balance(), JSON.parse(text));
  });
}

for (const text of ['{"a": 1', '{"a": 1} trailing', "{'a': 1}", '{"a": NaN}', '[1,]', '"unterminated']) {
  test(`a body that is not JSON is a ResponseDecodeError: ${text}`, async () => {
    await balanceAnswers(text);
    await assert.rejects(client.credits.balance(), (err) => {
      assert.ok(err instanceof ResponseDecodeError, String(err));
      assert.equal(err.statusCode, 200);
      assert.match(err.message, /GET \/credits\/balance/);
      return true;
    });
  });
}

test("the rows of a page are independent objects, in order", async () => {
  const rows = [];
  for await (const row of client.tables.iterRows("tbl_sample", { limit: 2 })) rows.push(row);
  const first = await client.tables.rows("tbl_sample", { page: 1, limit: 2 });
  assert.ok(rows.length > 2);
  assert.deepEqual(rows.slice(0, 2), first.data);
  rows[0].data.mutated = true;
  assert.equal(rows[1].data.mutated, undefined);
});
