// Quick start: the SDK's main job end to end.
// Reads LASSO_API_KEY (and LASSO_BASE_URL, e.g. a lasso-mock URL):
//   node node/examples/quickstart.mjs
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import LassoClient, { AuthenticationError, InvalidApiKeyError, NotFoundError } from "@lasso-ai/sdk";

const client = new LassoClient();
console.log("client:", client);
const tmp = mkdtempSync(join(tmpdir(), "lasso-quickstart-"));
try {
  // 1. Search products (5 credits) and enrich a partial record.
  const found = await client.search({ query: "stainless steel water bottle under $40", max_results: 3 });
  for (const result of found.results) console.log(`search: ${result.data.name} (${result.confidence.toFixed(2)})`);
  const enriched = await client.enrich({ items: [{ data: { name: "Hydro Flask 32 oz" } }], thinking: "low" });
  console.log("enrich: filled", Object.keys(enriched.items[0].data).sort().join(", "));

  // 2. A schema, and a file to extract from.
  const schema = await client.schemas.create({
    name: "Quick start bottles",
    columns: [
      { key: "name", label: "Name", type: "text", required: true },
      { key: "price", label: "Price", type: "number" },
      { key: "description", label: "Description", type: "richtext" },
    ],
  });
  const source = join(tmp, "bottles.txt");
  writeFileSync(source, "Trail bottle 750 ml, EUR 24.90\nSummit flask 1 l, EUR 34.50\nCity cup 350 ml, EUR 14.00\n");
  const upload = await client.files.upload(source);
  console.log(`uploaded ${upload.filename} (${upload.size} bytes)`);

  // 3. Extract a table from it and wait, with a progress bar on a terminal.
  let table = await client.tables.create({ schema_id: schema.id, name: "Bottles", file_ids: [upload.id] });
  table = await client.tables.waitForCompletion(table.id, { intervalMs: 200, progress: true });
  console.log(`table ${table.id}: ${table.status}, ${table.total_rows} rows`);

  // 4. Every row, page after page (the next page downloads while you read this one).
  const rows = [];
  for await (const row of client.tables.iterRows(table.id)) rows.push(row);
  for (const row of rows) console.log(`row ${row.row_index}: ${row.data.name}, ${row.data.price}`);

  // 5. Enhance a column with AI, then export CSV to a file.
  const job = await client.enhance.cells(table.id, {
    row_ids: rows.map((r) => r.id),
    column_key: "description",
    prompt: "One sentence about {{name}}.",
  });
  console.log(`enhance: ${job.rows_queued} rows queued, ~${job.estimated_credits} credits`);
  const saved = await client.export.csv(table.id, { path: join(tmp, "bottles.csv") });
  console.log(`exported ${statSync(saved.path).size} bytes of CSV`);

  // 6. Errors are typed: check the class, quote the request id to support.
  try {
    await client.tables.get("tbl_does_not_exist");
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    console.log(`not found, as expected (request_id ${err.requestId})`);
  }
  console.log("balance:", (await client.credits.balance()).balance);
} finally {
  rmSync(tmp, { recursive: true, force: true });
  client.close();
}

// A malformed key is refused before any request is sent.
try {
  new LassoClient({ apiKey: "lasso_not-a-real-key" });
} catch (err) {
  if (!(err instanceof InvalidApiKeyError)) throw err;
  console.log(`bad key -> ${err.name}: ${err.message}`);
}

// A well-formed key the server does not know: a typed error with the request id.
try {
  await new LassoClient({ apiKey: `lasso_${"0".repeat(64)}` }).credits.balance();
} catch (err) {
  if (!(err instanceof AuthenticationError)) throw err;
  console.log(`unknown key -> ${err.name} ${err.statusCode} ${err.errorType} (request_id ${err.requestId})`);
}
