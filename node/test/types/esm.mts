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
