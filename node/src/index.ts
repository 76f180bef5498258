/**
 * The Node.js SDK of the Lasso product-data API.
 *
 * ```ts
 * import LassoClient from "@lasso-ai/sdk";            // ESM
 * const { LassoClient } = require("@lasso-ai/sdk");   // CommonJS
 * ```
 *
 * @module
 */
import { LassoClient } from "./client";

export { LassoClient, FRONT_DOOR } from "./client";
export type { ClientOptions, RequestOptions } from "./client";
export {
  LassoError,
  InvalidRequestError,
  AuthenticationError,
  InsufficientCreditsError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  ServiceUnavailableError,
  APIConnectionError,
  APITimeoutError,
  InvalidApiKeyError,
  ConfigurationError,
  ResponseDecodeError,
} from "./errors";
export type { LassoErrorFields } from "./errors";
export { APIResource } from "./resources/base";
export * from "./generated";
export type { Balance, Table, TableStatus } from "./types";
export { VERSION } from "./version";

export default LassoClient;
