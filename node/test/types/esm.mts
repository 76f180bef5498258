// Type-checked by package.test.mjs (never run): the ESM typings.
import LassoClient, { LassoError, NotFoundError, type Balance, type ClientOptions, type Table } from "@lasso-ai/sdk";

const options: ClientOptions = { apiKey: "lasso_x", timeout: 1000, maxRetries: 1, headers: { "X-A": "b" } };
const client: LassoClient = new LassoClient(options);
const balance: Promise<Balance> = client.credits.balance({ timeout: 10 });
const table: Promise<Table> = client.tables.get("tbl_1", { maxRetries: 0 });
const e: LassoError = new NotFoundError("x");
const status: number | null = e.statusCode;
const requestId: string | null = e.requestId;
const retryAfter: number | null = e.retryAfter;
void [balance, table, status, requestId, retryAfter];
// @ts-expect-error the key is not an option of a request
client.credits.balance({ apiKey: "x" });

// Helpers: iterators, waiting, uploads, exports.
import {
  JobFailedError,
  type JsonObject,
  type NodeBuffer,
  type SavedExport,
  type WaitForCompletionOptions,
} from "@lasso-ai/sdk";

const rowsIterator: AsyncIterableIterator<JsonObject> = client.tables.iterRows("tbl_1", { limit: 50 });
const waitOptions: WaitForCompletionOptions = { intervalMs: 1000, timeoutMs: 60_000, progress: true };
async function helpers(): Promise<void> {
  for await (const row of client.tables.iterRows("tbl_1")) void row.id;
  for await (const product of client.catalog.iter({ page_size: 50 })) void product;
  for await (const entry of client.credits.iterUsage({ from: "2025-01-01" })) void entry;
  const done: Table = await client.tables.waitForCompletion("tbl_1", {
    ...waitOptions,
    onProgress: (status, progress: number | null) => void [status.toUpperCase(), progress],
  });
  const rows: JsonObject[] = await client.export.json("tbl_1", { columns: ["name", "price"] });
  const csv: string = await client.export.csv("tbl_1", { columns: "name,price" });
  const saved: SavedExport = await client.export.csv("tbl_1", { path: "rows.csv" });
  const xlsx: NodeBuffer = await client.export.xlsx("tbl_1");
  const zip: SavedExport = await client.export.images("tbl_1", { path: "images.zip" });
  const uploaded: JsonObject = await client.files.upload("catalog.pdf");
  await client.files.upload(new Uint8Array(4), "four.bin", { contentType: "application/octet-stream" }, { timeout: 5000 });
  const failure = new JobFailedError("x");
  const failedStatus: string | null = failure.status;
  const failedTable: Table | null = failure.table;
  void [done, rows, csv, saved, xlsx, zip, uploaded, failedStatus, failedTable, rowsIterator];
  // @ts-expect-error with a path, csv resolves to the saved file, not the text
  const notText: string = await client.export.csv("tbl_1", { path: "rows.csv" });
  void notText;
}
void helpers;

// Cancellation: every call, iterator and helper takes `{ signal }`; the error is an AbortError.
import { AbortError, APIUserAbortError, type AbortSignalLike, type RequestOptions } from "@lasso-ai/sdk";

async function cancellation(): Promise<void> {
  const controller = new AbortController();
  const options: RequestOptions = { signal: controller.signal, timeout: 5_000, maxRetries: 1 };
  const fromTimeout: RequestOptions = { signal: AbortSignal.timeout(1_000) };
  const like: AbortSignalLike = controller.signal;
  await client.tables.get("tbl_1", options);
  await client.search({ query: "shoes" }, fromTimeout);
  for await (const row of client.tables.iterRows("tbl_1", {}, { signal: like })) void row;
  await client.tables.waitForCompletion("tbl_1", { intervalMs: 500, signal: controller.signal });
  await client.tables.waitForCompletion("tbl_1", {}, { signal: controller.signal, maxRetries: 0 });
  await client.files.upload("a.pdf", null, {}, { signal: controller.signal });
  await client.export.csv("tbl_1", { columns: ["name"] }, { signal: controller.signal });
  await client.catalog.list({ page_size: "25" }); // numbers in the query string may be strings
  try {
    await client.credits.balance({ signal: controller.signal });
  } catch (err) {
    if (err instanceof AbortError) {
      const asLasso: LassoError = err;
      const cause: unknown = err.cause;
      void [asLasso, cause];
    }
    const sameClass: boolean = AbortError === APIUserAbortError;
    void sameClass;
  }
  // @ts-expect-error a signal must look like an AbortSignal
  await client.credits.balance({ signal: "stop" });
}
void cancellation;

// Response types, generated from the core's models: precise where known, open to newer fields and values.
import type { CatalogWebhookEvent, CreditStats, ProductChanges, Row, RowPage, TableStatus } from "@lasso-ai/sdk";

async function responses(): Promise<void> {
  const page: RowPage = await client.tables.rows("tbl_1", { limit: 10 });
  const total: number = page.pagination.total;
  const first: Row | undefined = page.data[0];
  const price: unknown = first?.data.price;
  const known: TableStatus = "completed";
  const newer: TableStatus = "archived_by_robot";
  const stats: CreditStats = await client.credits.stats({ from: "2026-01-01", to: "2026-01-31" });
  const from: string = stats.period.from;
  const changes: ProductChanges = await client.catalog.changes({ since: "2026-01-01T00:00:00Z" });
  const cursor: string | null = changes.next_cursor;
  const events: CatalogWebhookEvent[] = (await client.catalog.webhooks.list()).webhooks[0]?.events ?? [];
  const rows: AsyncIterableIterator<Row> = client.tables.iterRows("tbl_1");
  void [total, price, known, newer, from, cursor, events, rows];
  // @ts-expect-error `data` of a page is a list of rows, not a number
  const wrong: number = page.data;
  void wrong;
}
void responses;

// Arguments: leaving one out (or `undefined`) sends nothing; `null` is allowed only
// where the API takes it, and clears the field.
async function nullable(): Promise<void> {
  await client.tables.update("tbl_1", { enhancement_context: null });
  await client.catalog.webhooks.update("wh_1", { description: null });
  await client.attributes.update("color", { description: null, language: null, label: "Colour" });
  // @ts-expect-error a table's name cannot be null
  await client.tables.update("tbl_1", { name: null });
}
void nullable;

// Strict parameters: an unknown key is a type error; request options go in the last argument.
// @ts-expect-error request options are not parameters (they would become query parameters)
void client.tables.list({ limit: 5, maxRetries: 0 });
// @ts-expect-error a misspelt parameter
void client.search({ query: "bottle", max_result: 3 });
// @ts-expect-error camelCase is not the wire name
void client.search({ query: "bottle", maxResults: 3 });
// @ts-expect-error iterators take the same strict parameters
void client.tables.iterRows("tbl_1", { limt: 5 });
void client.tables.list({ limit: 5 }, { maxRetries: 0, extraQuery: { future_filter: "x" } });
void client.search({ query: "bottle", max_results: 3 }, { extraBody: { future_flag: true } });
void client.enrich({ items: [] }, { allowEnrichWithoutWebhook: true });

// The response behind a result.
import type { APIPromise, ResponseInfo, WithResponse } from "@lasso-ai/sdk";
async function withResponse(): Promise<void> {
  const pending: APIPromise<Table> = client.tables.get("tbl_1");
  const { data, response }: WithResponse<Table> = await pending.withResponse();
  const info: ResponseInfo = response;
  const status: number = info.status;
  const id: string | null = info.requestId;
  const type: string | undefined = info.headers["content-type"];
  const plain: Table = await client.tables.get("tbl_1");
  void [data, status, id, type, plain];
  // @ts-expect-error the data is a Table, not a string
  const wrong: string = (await client.tables.get("tbl_1").withResponse()).data;
  void wrong;
}
void withResponse;
