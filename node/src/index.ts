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
export type { AbortSignalLike, ClientDefaults, ClientOptions, LogFn, LogLevel, RequestOptions } from "./client";
export { APIPromise } from "./api-promise";
export type { ResponseInfo, WithResponse } from "./api-promise";
export { LassoError, AbortError, AbortError as APIUserAbortError } from "./errors";
export type { LassoErrorFields } from "./errors";
// Every other error class (`NotFoundError`, …), generated from crates/lasso-spec (./just codegen).
export * from "./error-classes";
export { webhooks, verifyWebhook, constructWebhookEvent, signWebhook, WEBHOOK_SIGNATURE_HEADER } from "./webhooks";
export type {
  WebhookEvent,
  WebhookPayload,
  WebhookSecrets,
  WebhookSignatureHeader,
  WebhookVerifyOptions,
} from "./webhooks";
export { APIResource } from "./resources/base";
export * from "./generated";
// The resources with helper methods, generated from the helper descriptors of crates/lasso-spec.
export { Tables, Files, Enhance, Export } from "./generated-helpers";
export type { ExportParams, ExportToPathParams, UploadParams, WaitForCompletionOptions } from "./generated-helpers";
export type {
  ArrowTable,
  BlobLike,
  ExportedFile,
  ExportFormat,
  NodeBuffer,
  ProgressCallback,
  SavedExport,
  UploadInput,
} from "./helpers";
// Every response type, generated from the models of crates/lasso-spec (./just codegen).
export type * from "./types";
export { VERSION } from "./version";

export default LassoClient;
