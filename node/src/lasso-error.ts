/**
 * The base class of every error the SDK throws, {@link LassoError}, and the fields
 * every error carries. Its subclasses are generated from crates/lasso-spec into
 * `error-classes.ts` (`./just codegen`).
 *
 * @module
 */

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
  /** Newer API, with `stale_write`: when the resource last changed (refetch, then retry). */
  currentUpdatedAt?: string | null;
  /** Newer API: the attribute an error concerns (its id). */
  attributeId?: string | null;
  /** Newer API: the attribute an error concerns (its key). */
  attributeKey?: string | null;
  /** Newer API: whether the same payload may be retried. */
  retryable?: boolean | null;
  /** Newer API: free-form details. */
  details?: unknown;
  /** The response body as received (capped at 4 KiB). */
  rawBody?: string | null;
  /** The whole response body when it was JSON. */
  body?: unknown;
  /** The server's `Retry-After`, in milliseconds (like every duration in this SDK). */
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
  /** With `stale_write`: when the resource last changed, so it can be fetched again; else `null`. */
  readonly currentUpdatedAt: string | null;
  /** The attribute an error concerns (its id), else `null`. */
  readonly attributeId: string | null;
  /** The attribute an error concerns (its key), else `null`. */
  readonly attributeKey: string | null;
  /** Newer API: whether the same payload may be retried, else `null`. */
  readonly retryable: boolean | null;
  /** Newer API: free-form details, else `null`. */
  readonly details: unknown;
  /** The response body as received, capped at 4 KiB; `null` when there was no response. */
  readonly rawBody: string | null;
  /** The whole response body when it was JSON, else `null`. */
  readonly body: unknown;
  /** Milliseconds the server asked to wait (`Retry-After`), else `null`. */
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
    this.currentUpdatedAt = fields.currentUpdatedAt ?? null;
    this.attributeId = fields.attributeId ?? null;
    this.attributeKey = fields.attributeKey ?? null;
    this.retryable = fields.retryable ?? null;
    this.details = fields.details ?? null;
    this.rawBody = fields.rawBody ?? null;
    this.body = fields.body ?? null;
    this.retryAfter = fields.retryAfter ?? null;
  }

  /** The whole JSON body (`body`): the name the official SDKs give it. */
  get rawPayload(): unknown {
    return this.body;
  }

  /**
   * What `JSON.stringify(err)` (and so most loggers) write: the name and
   * message, which an `Error` keeps out of JSON, and every field (a
   * subclass's own too). Never the key: the core removed it from every text.
   */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) out[key] = value;
    return out;
  }
}
