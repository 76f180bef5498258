// Quick start: reads LASSO_API_KEY (and LASSO_BASE_URL, e.g. a lasso-mock URL).
//
// node node/examples/quickstart.mjs
import LassoClient, { InvalidApiKeyError, NotFoundError } from "@lasso-ai/sdk";

const client = new LassoClient();
console.log("client:", client);

const balance = await client.credits.balance();
console.log(`balance: ${balance.balance} ${balance.currency}`);

// Errors are typed: check the class, quote the request id to support.
try {
  await client.tables.get("tbl_does_not_exist");
} catch (err) {
  if (!(err instanceof NotFoundError)) throw err;
  console.log(`not found, as expected (request_id ${err.requestId})`);
}

// A malformed key is refused before any request is sent.
try {
  new LassoClient({ apiKey: "lasso_not-a-real-key" });
} catch (err) {
  if (!(err instanceof InvalidApiKeyError)) throw err;
  console.log(`bad key -> ${err.name}: ${err.message}`);
}
client.close();
