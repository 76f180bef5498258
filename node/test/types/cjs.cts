// Type-checked by package.test.mjs (never run): the CommonJS typings.
import sdk = require("@lasso-ai/sdk");

const client: sdk.LassoClient = new sdk.LassoClient("lasso_x");
const Default: typeof sdk.LassoClient = sdk.default;
const table: Promise<sdk.Table> = client.tables.get("tbl_1");
const isTimeout = (e: unknown): boolean => e instanceof sdk.APITimeoutError && e instanceof sdk.APIConnectionError;
void [Default, table, isTimeout];

// Helpers through the CommonJS typings.
const iterator: AsyncIterableIterator<sdk.JsonObject> = client.catalog.iter();
const waited: Promise<sdk.Table> = client.tables.waitForCompletion("tbl_1", { timeoutMs: 1000 });
const exported: Promise<sdk.JsonObject[]> = client.export.json("tbl_1");
const isJobFailure = (e: unknown): boolean => e instanceof sdk.JobFailedError && e instanceof sdk.LassoError;
void [iterator, waited, exported, isJobFailure];

// Cancellation through the CommonJS typings.
const controller = new AbortController();
const cancelled: Promise<sdk.Balance> = client.credits.balance({ signal: controller.signal });
const isAbort = (e: unknown): boolean => e instanceof sdk.AbortError && e instanceof sdk.LassoError;
void [cancelled, isAbort];
