// The TypeScript usage documented for `@lasso-ai/sdk` (shared/lasso-api.md §3.1): the
// constructor and one call per entry of the method map, written as the docs write them
// (snake_case option bags, `lasso.catalog.*`, `page_size: '25'` as a string).
// documented.test.mjs type-checks this file with `tsc --strict` and runs the output
// against lasso-mock (LASSO_API_KEY and LASSO_BASE_URL come from the environment).
import LassoClient, { LassoError } from "@lasso-ai/sdk"; // default export + named LassoError

const client = new LassoClient({ apiKey: process.env.LASSO_API_KEY });

/** What each step returned, printed as JSON at the end for the test to check. */
const seen: Record<string, unknown> = {};

// Search, enrich: client.search(opts), client.enrich(opts)
const search = await client.search({ query: "running shoes under $100", max_results: 3 });
seen.search = search.results?.length;
const enrich = await client.enrich({ items: [{ data: { name: "Air Max 90" } }], context: "sneakers" });
seen.enrich = Object.keys(enrich.items?.[0]?.data ?? {}).length > 1;

// Schemas: list(opts), create(opts), get(id), update(id, opts), delete(id), generate({sample_data, name})
const schemas = await client.schemas.list({ page: 1, limit: 10 });
seen.schemasListed = schemas.data.length;
const schema = await client.schemas.create({
  name: "Running shoes",
  description: "Shoes for the spring catalog",
  columns: [
    { key: "name", label: "Name", type: "text", required: true },
    { key: "price", label: "Price", type: "number" },
    { key: "description", label: "Description", type: "text" },
  ],
});
seen.schemaGot = (await client.schemas.get(schema.id)).name;
seen.schemaUpdated = (await client.schemas.update(schema.id, { description: "Trail and road" })).description;
const generated = await client.schemas.generate({ sample_data: "name,price\nTrail runner,120", name: "Generated" });
seen.generatedColumns = generated.columns?.map((c) => c.key);
await client.schemas.delete(generated.id);

// Files: list(opts), upload(file: File | Blob, filename), delete(id)
const blob = new Blob(["Trail runner, $120\nRoad racer, $90\n"], { type: "text/plain" });
const file = await client.files.upload(blob, "shoes.txt");
const asFile = await client.files.upload(new File(["Hill climber, $140\n"], "more.txt"), "more-shoes.txt");
seen.uploaded = [file.filename, asFile.filename];
seen.filesListed = (await client.files.list({ page: 1, limit: 10 })).data.length;

// Tables: list(opts), create(opts), get(id), update(id, opts), delete(id), columns(id),
// waitForCompletion(id, {intervalMs, timeoutMs})
const table = await client.tables.create({ name: "Shoes", schema_id: schema.id, file_ids: [file.id] });
const done = await client.tables.waitForCompletion(table.id, { intervalMs: 100, timeoutMs: 60_000 });
seen.table = [done.status, done.total_rows];
seen.tablesListed = (await client.tables.list({ page: 1, limit: 10, status: "completed" })).data.length;
seen.tableGot = (await client.tables.get(table.id)).name;
seen.tableUpdated = (await client.tables.update(table.id, { name: "Shoes (spring)" })).name;
seen.columns = Object.keys(await client.tables.columns(table.id)).length > 0;

// Rows: rows(id, opts), createRows(id, {rows}), getRow(t, r), updateRow(t, r, data),
// deleteRow(t, r), bulkUpdate(t, {row_ids, column_key, value}), bulkDelete(t, {row_ids})
const rows = await client.tables.rows(table.id, { page: 1, limit: 50, sort_by: "name" });
seen.rows = rows.pagination.total;
const created = await client.tables.createRows(table.id, { rows: [{ name: "Hill climber", price: 140 }] });
const rowId = created.data[0].id;
seen.rowGot = (await client.tables.getRow(table.id, rowId)).data.name;
seen.rowUpdated = (await client.tables.updateRow(table.id, rowId, { price: 135 })).data.price;
await client.tables.bulkUpdate(table.id, { row_ids: [rowId], column_key: "price", value: 130 });
seen.bulkUpdated = (await client.tables.getRow(table.id, rowId)).data.price;

// Enhance: cells(t, opts), bulk(t, {row_id, columns}), status(t), cancel(t, columnKey?),
// traces(t, r, columnKey?)
await client.enhance.cells(table.id, {
  row_ids: [rowId],
  column_key: "description",
  prompt: "One sentence about {{name}}.",
});
await client.enhance.bulk(table.id, { row_id: rowId, columns: [{ key: "description", prompt: "Describe {{name}}." }] });
seen.enhanceStatus = typeof (await client.enhance.status(table.id));
await client.enhance.cancel(table.id, "description");
await client.enhance.cancel(table.id);
await client.enhance.traces(table.id, rowId);
await client.enhance.traces(table.id, rowId, "description");

// Export: json(t, {columns?}), csv(t, {columns?}), xlsx(t), images(t)
const json = await client.export.json(table.id, { columns: ["name", "price"] });
const csv = await client.export.csv(table.id, { columns: ["name"] });
const xlsx = await client.export.xlsx(table.id);
const images = await client.export.images(table.id);
seen.exports = [json.length, csv.split("\n")[0], xlsx.subarray(0, 2).toString(), images.subarray(0, 2).toString()];

await client.tables.deleteRow(table.id, rowId);
await client.tables.bulkDelete(table.id, { row_ids: [rows.data[0].id] });
seen.rowsLeft = (await client.tables.rows(table.id)).pagination.total;

// Glossary: list(opts), create(opts), update(id, opts), delete(id)
const term = await client.glossary.create({ term: "Air Max", type: "do_not_translate", case_sensitive: true, category: "brand" });
seen.glossaryListed = (await client.glossary.list({ page: 1, limit: 25 })).data.length;
seen.termUpdated = (await client.glossary.update(term.id, { type: "specific_translation", translations: { de: "Air Max" } })).type;
await client.glossary.delete(term.id);

// Credits: balance(), usage({from, to, service, page, limit}), stats({from, to})
const { balance } = await client.credits.balance();
seen.balance = balance < 1000;
const usage = await client.credits.usage({ from: "2020-01-01", to: "2030-12-31", service: "extraction", page: 1, limit: 10 });
seen.usage = Array.isArray(usage.data);
seen.stats = typeof (await client.credits.stats({ from: "2026-01-01", to: "2026-01-31" })).period;

// Attributes: bulkUpsert({attributes})
const attributes = await client.attributes.bulkUpsert({
  attributes: [
    { key: "color", label: "Color", type: "text" },
    { key: "size", label: "Size", type: "enum", enum_values: ["S", "M", "L"] },
  ],
});
seen.attributes = attributes.data.map((a) => a.key);

// Catalog: list(opts), create(opts), get(id), update(id, {attributes}), delete(id),
// lookup(key, value), changes({since, cursor})
const lasso = client;
const product = await lasso.catalog.create({ schema_id: "schema_sample", attributes: { name: "Trail runner", price: 120 } });
const products = await lasso.catalog.list({ page_size: '25', status: "draft" });
seen.catalogListed = products.products.length;
seen.productGot = (await lasso.catalog.get(product.id)).attributes.name;
seen.productUpdated = (await lasso.catalog.update(product.id, { attributes: { price: 110, status: "active" } })).status;
seen.lookup = (await lasso.catalog.lookup("name", "Trail runner")).id === product.id;
const changes = await lasso.catalog.changes({ since: "2020-01-01T00:00:00Z" });
if (changes.next_cursor) await lasso.catalog.changes({ since: "2020-01-01T00:00:00Z", cursor: changes.next_cursor });
seen.changes = changes.products.length;
await lasso.catalog.delete(product.id);

// Catalog webhooks: list(), create(opts), update(id, opts), delete(id)
const hook = await lasso.catalog.webhooks.create({ url: "https://example.com/lasso-hook", events: ["product.updated"] });
seen.hookSecret = hook.secret?.startsWith("whsec_");
seen.hooksListed = (await lasso.catalog.webhooks.list()).webhooks.length;
seen.hookUpdated = (await lasso.catalog.webhooks.update(hook.id, { enabled: false })).enabled;
await lasso.catalog.webhooks.delete(hook.id);

// Errors: LassoError has statusCode, errorType, message and requestId.
try {
  await client.tables.get("tbl_does_not_exist");
} catch (err) {
  if (!(err instanceof LassoError)) throw err;
  const { statusCode, errorType, message, requestId } = err;
  seen.error = { statusCode, errorType, hasMessage: message.length > 0, hasRequestId: typeof requestId === "string" };
}

// Clean up: the table first (a schema in use cannot be deleted), then its schema and files.
await client.tables.delete(table.id);
await client.schemas.delete(schema.id);
await client.files.delete(file.id);
await client.files.delete(asFile.id);

console.log(JSON.stringify(seen));
