/**
 * The error classes of the SDK, one per kind of failure, with the same names
 * as in the Python SDK. Every error thrown by a client is a {@link LassoError}.
 *
 * The native addon reports a failure as an `Error` whose message is
 * {@link MARKER} followed by a JSON object with the core error's fields;
 * {@link fromNative} turns it into the class chosen by the core's stable code
 * (one table, {@link ERROR_CLASSES}).
 *
 * @module
 */

import type { Table } from "./types";

/** Prefix of an error message coming from the native addon (see `bindings/napi/src/error.rs`). */
export const MARKER = "\u0001lasso:";

/** The fields an error carries besides its message. */
export interface LassoErrorFields {
  /** HTTP status of the response, when there was one. */
  statusCode?: number | null;
  /** The body's `error_type` as sent (documented or not). */
  errorType?: string | null;
  /** The request id: quote it to Lasso support. */
  requestId?: string | null;
  /** Newer API: the body's detail code, e.g. `stale_write`. */
  code?: string | null;
  /** Newer API: whether the same payload may be retried. */
  retryable?: boolean | null;
  /** Newer API: free-form details. */
  details?: unknown;
  /** The response body as received (capped at 4 KiB). */
  rawBody?: string | null;
  /** The whole response body when it was JSON. */
  body?: unknown;
  /** The server's `Retry-After`, in seconds. */
  retryAfter?: number | null;
}

/**
 * Base class of every error the SDK throws. Branch on the subclass
 * (`err instanceof NotFoundError`) rather than on the message.
 */
export class LassoError extends Error {
  /** HTTP status of the response, or `null` when there was none (connection, configuration…). */
  readonly statusCode: number | null;
  /** The body's `error_type` as sent, e.g. `not_found`; `null` when absent. */
  readonly errorType: string | null;
  /** The request id (body `request_id`, else the `x-request-id` header): quote it to support. */
  readonly requestId: string | null;
  /** The body's detail code of newer API versions (e.g. `stale_write`), else `null`. */
  readonly code: string | null;
  /** Newer API: whether the same payload may be retried, else `null`. */
  readonly retryable: boolean | null;
  /** Newer API: free-form details, else `null`. */
  readonly details: unknown;
  /** The response body as received, capped at 4 KiB; `null` when there was no response. */
  readonly rawBody: string | null;
  /** The whole response body when it was JSON, else `null`. */
  readonly body: unknown;
  /** Seconds the server asked to wait (`Retry-After`), else `null`. */
  readonly retryAfter: number | null;

  /**
   * @param message What went wrong (never contains the API key).
   * @param fields The response's details, when there was a response.
   */
  constructor(message: string, fields: LassoErrorFields = {}) {
    super(message);
    Object.defineProperty(this, "name", {
      value: new.target.name,
      enumerable: false,
      writable: true,
      configurable: true,
    });
    this.statusCode = fields.statusCode ?? null;
    this.errorType = fields.errorType ?? null;
    this.requestId = fields.requestId ?? null;
    this.code = fields.code ?? null;
    this.retryable = fields.retryable ?? null;
    this.details = fields.details ?? null;
    this.rawBody = fields.rawBody ?? null;
    this.body = fields.body ?? null;
    this.retryAfter = fields.retryAfter ?? null;
  }
}

/** 400 `invalid_request`: the request is malformed. */
export class InvalidRequestError extends LassoError {}
/** 401 `unauthenticated`: the key is unknown, revoked or deactivated. */
export class AuthenticationError extends LassoError {}
/** 402 `insufficient_credits`: the company has not enough credits. */
export class InsufficientCreditsError extends LassoError {}
/** 403 `forbidden`: the key may not do this. */
export class PermissionDeniedError extends LassoError {}
/** 404 `not_found`: no such resource (for this company). */
export class NotFoundError extends LassoError {}
/** 409 `conflict`: the resource's state does not allow this (see `code`, e.g. `stale_write`). */
export class ConflictError extends LassoError {}
/** 422 `validation_error`: a field is invalid. */
export class UnprocessableEntityError extends LassoError {}
/** 429 `rate_limited`: too many requests; `retryAfter` says how long to wait. */
export class RateLimitError extends LassoError {}
/** 500 `internal_error` (and any other 5xx but 503): the server failed. */
export class InternalServerError extends LassoError {}
/** 503 `service_unavailable`: the service is temporarily unavailable. */
export class ServiceUnavailableError extends InternalServerError {}
/** The connection could not be made or broke before a complete response. */
export class APIConnectionError extends LassoError {}
/** The request did not complete within its timeout. */
export class APITimeoutError extends APIConnectionError {}
/** The API key is missing or malformed; thrown by the constructor, before any request. */
export class InvalidApiKeyError extends LassoError {}
/** Another client or request option is invalid (base URL, header, timeout…). */
export class ConfigurationError extends LassoError {}
/** A successful response whose body is not what the operation returns. */
export class ResponseDecodeError extends LassoError {}

/**
 * The call was cancelled through its `signal` option: the request in flight
 * was dropped. Like the error `fetch` rejects with, its `name` is
 * `"AbortError"`; unlike it, it is a {@link LassoError}, so one
 * `instanceof LassoError` check covers every failure of the SDK. `cause` is
 * the signal's `reason` (e.g. the `TimeoutError` of `AbortSignal.timeout()`).
 * Also exported as `APIUserAbortError` (the name other API SDKs use).
 *
 * ```ts
 * try {
 *   await client.tables.get(id, { signal: AbortSignal.timeout(1_000) });
 * } catch (err) {
 *   if (err instanceof AbortError) console.log("cancelled:", err.cause);
 *   else throw err;
 * }
 * ```
 */
export class AbortError extends LassoError {
  /**
   * @param message Default: `This operation was aborted`.
   * @param fields The common fields, plus `cause` (the signal's reason).
   */
  constructor(message = "This operation was aborted", fields: LassoErrorFields & { cause?: unknown } = {}) {
    super(message, fields);
    if (fields.cause !== undefined) {
      Object.defineProperty(this, "cause", { value: fields.cause, enumerable: false, writable: true, configurable: true });
    }
  }
}

/** Why a webhook failed verification (see {@link WebhookVerificationError}). */
export type WebhookVerificationReason =
  | "missing_header"
  | "malformed_header"
  | "no_matching_signature"
  | "payload_not_raw"
  | "no_secret";

/**
 * A webhook delivery failed signature verification (`webhooks.verify`).
 * Answer the request with a 4xx. The message never contains a secret.
 */
export class WebhookVerificationError extends LassoError {
  /**
   * Why: `missing_header`, `malformed_header`, `no_matching_signature`,
   * `payload_not_raw` (a parsed object was passed instead of the raw body)
   * or `no_secret`.
   */
  readonly reason: WebhookVerificationReason | null;

  /**
   * @param message What is wrong and how to fix it.
   * @param fields The common fields, plus `reason`.
   */
  constructor(message: string, fields: LassoErrorFields & { reason?: WebhookVerificationReason | null } = {}) {
    super(message, fields);
    this.reason = fields.reason ?? null;
  }
}

/**
 * A table's extraction ended in `failed`, `error` or `cancelled` while
 * `tables.waitForCompletion` was waiting for it.
 */
export class JobFailedError extends LassoError {
  /** The terminal status: `failed`, `error`, `cancelled`, … */
  readonly status: string | null;
  /** The table as last read (its `error_message` says why, when the API gave a reason). */
  readonly table: Table | null;

  /**
   * @param message What failed, with the server's `error_message` when it gave one.
   * @param fields The common fields, plus `status` and the table as `job`.
   */
  constructor(message: string, fields: LassoErrorFields & { status?: string | null; job?: unknown } = {}) {
    super(message, fields);
    this.status = fields.status ?? null;
    const job = fields.job;
    this.table = job !== null && typeof job === "object" && !Array.isArray(job) ? (job as Table) : null;
  }
}

/** The core's stable error code → the class thrown. Codes not listed give a plain {@link LassoError}. */
export const ERROR_CLASSES: Readonly<Record<string, new (message: string, fields?: LassoErrorFields) => LassoError>> =
  Object.freeze({
    invalid_request: InvalidRequestError,
    unauthenticated: AuthenticationError,
    insufficient_credits: InsufficientCreditsError,
    forbidden: PermissionDeniedError,
    not_found: NotFoundError,
    conflict: ConflictError,
    validation_error: UnprocessableEntityError,
    rate_limited: RateLimitError,
    internal_error: InternalServerError,
    service_unavailable: ServiceUnavailableError,
    connection: APIConnectionError,
    timeout: APITimeoutError,
    invalid_api_key: InvalidApiKeyError,
    configuration: ConfigurationError,
    decode: ResponseDecodeError,
    webhook_verification: WebhookVerificationError,
    job_failed: JobFailedError,
    aborted: AbortError,
  });

/** The JSON payload of a marked native error (snake_case, as the binding writes it). */
interface NativePayload {
  kind?: string;
  message?: string;
  status_code?: number | null;
  error_type?: string | null;
  request_id?: string | null;
  code?: string | null;
  retryable?: boolean | null;
  details?: unknown;
  raw_body?: string | null;
  body?: unknown;
  retry_after?: number | null;
  reason?: WebhookVerificationReason | null;
  status?: string | null;
  job?: unknown;
}

/**
 * Turns an error thrown by the native addon into the matching SDK error.
 * Errors that do not come from the core (argument conversion by napi) are
 * returned unchanged.
 *
 * @internal
 */
export function fromNative(err: unknown): unknown {
  if (!(err instanceof Error) || typeof err.message !== "string" || !err.message.startsWith(MARKER)) {
    return err;
  }
  let p: NativePayload;
  try {
    p = JSON.parse(err.message.slice(MARKER.length)) as NativePayload;
  } catch {
    return new LassoError("internal error in the Lasso SDK: unreadable error from the native addon");
  }
  const Class = (p.kind !== undefined && Object.hasOwn(ERROR_CLASSES, p.kind) ? ERROR_CLASSES[p.kind] : undefined) ?? LassoError;
  const fields: LassoErrorFields & { reason?: WebhookVerificationReason | null; status?: string | null; job?: unknown } = {
    statusCode: p.status_code,
    errorType: p.error_type,
    requestId: p.request_id,
    code: p.code,
    retryable: p.retryable,
    details: p.details,
    rawBody: p.raw_body,
    body: p.body,
    retryAfter: p.retry_after,
    reason: p.reason,
    status: p.status,
    job: p.job,
  };
  const mapped = new Class(p.message ?? "unknown error", fields);
  Error.captureStackTrace?.(mapped, fromNative);
  return mapped;
}
