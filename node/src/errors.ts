/**
 * The error classes of the SDK, one per kind of failure, with the same names
 * as in the Python SDK. Every error thrown by a client is a {@link LassoError}.
 * The base class is in `lasso-error.ts`; the subclasses and the table from the
 * core's stable codes to them are generated from crates/lasso-spec into
 * `error-classes.ts` (`./just codegen`); {@link AbortError} is Node's own.
 *
 * The native addon reports a failure as an `Error` whose message is
 * {@link MARKER} followed by a JSON object with the core error's fields;
 * {@link fromNative} turns it into the class chosen by the core's stable code
 * (one table, {@link ERROR_CLASSES}).
 *
 * @module
 */

import BY_CODE from "./error-classes";
import { LassoError, type LassoErrorFields } from "./lasso-error";

export * from "./lasso-error";
export * from "./error-classes";

/** Prefix of an error message coming from the native addon (see `bindings/napi/src/errors.rs`). */
export const MARKER = "\u0001lasso:";

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
      Object.defineProperty(this, "cause", {
        value: fields.cause,
        enumerable: false,
        writable: true,
        configurable: true,
      });
    }
  }
}

/**
 * The core's stable error code → the class thrown: the generated table, plus
 * `aborted` (reported by the napi binding when a call's `signal` fires). Codes not
 * listed give a plain {@link LassoError}.
 */
export const ERROR_CLASSES: Readonly<Record<string, new (message: string, fields?: LassoErrorFields) => LassoError>> =
  Object.freeze({ ...BY_CODE, aborted: AbortError });

/**
 * The JSON payload of a marked native error (snake_case, as the binding writes it):
 * the common fields, and the fields of some kinds (`reason`, `status`, `table`…).
 */
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
  [field: string]: unknown;
}

/** `delivery_id` → `deliveryId`. */
function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
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
  const {
    kind,
    message,
    status_code,
    error_type,
    request_id,
    code,
    retryable,
    details,
    raw_body,
    body,
    retry_after,
    ...own
  } = p;
  const Class =
    (kind !== undefined && Object.hasOwn(ERROR_CLASSES, kind) ? ERROR_CLASSES[kind] : undefined) ?? LassoError;
  const fields: LassoErrorFields & Record<string, unknown> = {
    statusCode: status_code,
    errorType: error_type,
    requestId: request_id,
    code,
    retryable,
    details,
    rawBody: raw_body,
    body,
    // The core says seconds; every duration of this SDK is in milliseconds.
    retryAfter: typeof retry_after === "number" ? Math.round(retry_after * 1000) : retry_after,
  };
  // The fields of the kind's own class (`reason`, `status`, `table`…), as its constructor names them.
  for (const [name, value] of Object.entries(own)) fields[camel(name)] = value;
  // Node's fs convention: a local file error's `code` is its POSIX name (`ENOENT`).
  if (typeof own.os_code === "string") fields.code = own.os_code;
  const mapped = new Class(message ?? "unknown error", fields);
  Error.captureStackTrace?.(mapped, fromNative);
  return mapped;
}
