/* The addon's declarations, written by napi-rs from bindings/napi: do not edit (run `./just codegen`). */

/** A Node `Buffer` is a `Uint8Array`: named so, these types need no `@types/node`. */
type Buffer = Uint8Array;

/** A one-shot cancellation flag shared by JS and the calls it was given to. */
export declare class CancelToken {
  /** A token that is not cancelled yet. */
  constructor()
  /** Cancels every call holding this token. Safe to call more than once. */
  cancel(): void
  /** Whether `cancel()` was called. */
  get cancelled(): boolean
}

/** Stops a running `runCli` as Ctrl-C would. */
export declare class CliStop {
  /** A stop that was not triggered yet. */
  constructor()
  /** Stops the command (safe to call more than once). */
  trigger(): void
}

/** The native client held (privately) by the TypeScript `LassoClient`. */
export declare class NativeClient {
  /**
   * Builds a client from `LASSO_API_KEY` / `LASSO_BASE_URL` overridden by
   * the given options. Validates everything; makes no network call.
   */
  constructor(options?: ClientOptions | undefined | null)
  /**
   * A client sharing this one's connection pool whose calls default to
   * these options (unset ones keep this client's; a call's own still win).
   */
  withOptions(options: CallOptions): NativeClient
  /**
   * Calls the operation `operation` (e.g. `tables.get`) with JSON
   * arguments; resolves to the response as JSON text (for `JSON.parse`,
   * much faster than building the objects through N-API), rejects with a
   * marked error. An argument the operation does not declare is refused
   * before anything is sent. Cancelling `cancel` drops the request (and
   * any retry wait) at once.
   */
  call(operation: string, args?: any | undefined | null, options?: CallOptions | undefined | null, cancel?: CancelToken | undefined | null): Promise<string>
  /**
   * [`call`](NativeClient::call), resolving to the body's JSON text with
   * the response's status, request id and headers (`withResponse()`).
   */
  callWithResponse(operation: string, args?: any | undefined | null, options?: CallOptions | undefined | null, cancel?: CancelToken | undefined | null): Promise<NativeResponse>
  /**
   * Releases the client: later calls fail with a `configuration` error;
   * calls in flight finish, then the connection pool is freed. Safe to
   * call more than once.
   */
  close(): void
  /** Whether `close()` was called. */
  get closed(): boolean
  /** The base URL, without a trailing slash. */
  get baseUrl(): string
  /** The key as `lasso_…` plus its last four characters. */
  get maskedKey(): string
}

/**
 * A pager over one list operation, one page ahead of the caller (the core
 * prefetches the next page as soon as the current one arrives).
 */
export declare class NativePager {
  /**
   * The items of the next page as the text of a JSON array (for
   * `JSON.parse`), or `null` when the list is exhausted (or the pager was
   * closed, even while this call was waiting). Calls are served one after
   * the other.
   */
  nextPage(): Promise<string | null>
  /**
   * Stops paging: the page being fetched or prefetched is abandoned (its
   * request dropped) and `nextPage` resolves to `null` from now on, a
   * pending one included. Safe to call more than once.
   */
  close(): void
}

/**
 * Test hook (not part of the TS API): the core's operation table, so the
 * Node tests can check that every operation has a method. Each entry:
 * `{ id, method, path, paging, custom, params: [{ name, positional, required, fixed }] }`.
 */
export declare function __operations(): any[]

/**
 * Test hook (not part of the TS API): panics on purpose inside a guarded
 * entry point, `"sync"` or `"async"`, so the tests can prove a panic becomes
 * a rejected Promise / thrown error rather than an abort.
 */
export declare function __testPanic(mode: string): Promise<void>

/** Per-call options; durations in milliseconds. */
export interface CallOptions {
  /** Per-attempt timeout in milliseconds (`Infinity`: none). */
  timeout?: number
  /** Retries after the first attempt. */
  maxRetries?: number
  /** Sends an `enrich` of more than 5 records without a `webhook_url`. */
  allowEnrichWithoutWebhook?: boolean
  /** Headers for this call (replacing the client's of the same name). */
  headers?: Record<string, string>
  /** Extra query parameters: a value or a list of values per name. */
  extraQuery?: Record<string, string | number | boolean | ReadonlyArray<string | number | boolean>>
  /** Extra fields merged into the JSON body. */
  extraBody?: Record<string, unknown>
}

/** Options of `new NativeClient(...)`; durations in milliseconds. */
export interface ClientOptions {
  /** `lasso_` + 64 hex characters; `LASSO_API_KEY` when omitted. */
  apiKey?: string
  /** `LASSO_BASE_URL`, else the published URL, when omitted. */
  baseUrl?: string
  /** Per-attempt timeout in milliseconds (`Infinity`: none). */
  timeout?: number
  /** Connect timeout in milliseconds (`Infinity`: none). */
  connectTimeout?: number
  /** Retries after the first attempt. */
  maxRetries?: number
  /** Extra headers sent with every request. */
  headers?: Record<string, string>
  /** Appended to the `User-Agent`. */
  userAgentSuffix?: string
  /** Accept keys of a format newer than this SDK. */
  allowNonstandardKey?: boolean
  /** The `User-Agent` product of the front door (`lasso-node/x.y.z node/v20`). */
  frontDoor?: string
  /**
   * An `http://host:port` proxy for https requests, or `false` for none;
   * `HTTPS_PROXY` / `ALL_PROXY` when omitted.
   */
  proxy?: string | boolean
  /** Extra certificate authorities: a PEM file path or PEM text. */
  caBundle?: string
  /** Requests in flight at once. */
  maxConnections?: number
  /** The largest body read into memory, in bytes. */
  maxResponseBytes?: number
  /** Hears the client's log lines: `(level, line)`. */
  logger?: (level: "debug" | "info" | "warn" | "error", line: string) => void
  /** The lowest level the logger hears: `debug`, `info`, `warn` or `error`. */
  logLevel?: string
}

/**
 * The option among `names` that `given` most likely meant (the core's rule,
 * the same as for API arguments).
 */
export declare function closestName(given: string, names: Array<string>): string | null

/** Verifies like `verifyWebhook`, then returns the parsed event. */
export declare function constructWebhookEvent(payload: unknown, signature: string | null | undefined, secrets: string | string[] | null | undefined, toleranceMs?: number | null): any

/** The core crate's version, for diagnostics. */
export declare function coreVersion(): string

/** An export held in memory. */
export interface ExportedData {
  /** The body. */
  data: Buffer
  /** The `Content-Type` the server sent. */
  contentType?: string
  /** The file name from `Content-Disposition`, when sent. */
  filename?: string
}

/**
 * `GET /tables/{table_id}/export`: `format` is `csv`, `xlsx`, `json` or
 * `images`; `columns` comma-separated column keys. Without `path` the body
 * comes back in memory; with one it is streamed to a temporary file beside
 * `path` and renamed into place once complete (no partial file on failure
 * or cancellation).
 */
export declare function exportTable(client: NativeClient, tableId: string, format: string, columns?: string | null, path?: string | null, options?: CallOptions | null, cancel?: CancelToken | null): Promise<ExportedData | SavedFile>

/** A successful answer with what the response said besides its body. */
export interface NativeResponse {
  /** The body as JSON text (`null` when empty). */
  text: string
  /** The HTTP status. */
  status: number
  /** The `x-request-id` header, when sent. */
  requestId?: string
  /** Every header as `[name, value]`, names lower-cased, in the order received. */
  headers: Array<Array<string>>
}

/**
 * Opens a pager over `operation` (a list operation such as `tables.rows`)
 * with these arguments; `limit` / `page_size` is 100 unless `args` sets one.
 * The first page starts downloading at once.
 */
export declare function openPager(client: NativeClient, operation: string, args?: Record<string, unknown> | null, options?: CallOptions | null): NativePager

/** Erases the progress bar's line before other output. */
export declare const PROGRESS_CLEAR_LINE: string

/** The progress bar's line for a status and a progress (the core's renderer). */
export declare function progressLine(status: string, progress?: number | undefined | null): string

/**
 * Runs `lasso` with `argv` (the first item is the program name); resolves
 * to its exit code.
 */
export declare function runCli(argv: Array<string>, stop: CliStop): Promise<number>

/** An export written to disk. */
export interface SavedFile {
  /** Where it was written. */
  path: string
  /** Bytes written. */
  size: number
  /** The `Content-Type` the server sent. */
  contentType?: string
  /** The file name from `Content-Disposition`, when sent. */
  filename?: string
}

/** The `X-Lasso-Signature` value for `payload` signed with `secret`. */
export declare function signWebhook(payload: unknown, secret: string | null | undefined): string

/**
 * The table's rows, typed by its column definitions, as the bytes of an
 * Arrow IPC stream (schema first, then the record batches).
 */
export declare function tableArrowIpc(client: NativeClient, tableId: string, options?: CallOptions | null, cancel?: CancelToken | null): Promise<Buffer>

/**
 * `POST /files`: uploads a file streamed from disk (`source` is a path) or
 * a Buffer (copied once; `filename` is then required). The filename and
 * content type are inferred unless given. Resolves to the File object.
 */
export declare function uploadFile(client: NativeClient, source: string | Buffer, filename?: string | null, contentType?: string | null, options?: CallOptions | null, cancel?: CancelToken | null): Promise<any>

/**
 * Verifies the `X-Lasso-Signature` value against the raw body; throws a
 * marked `webhook_verification` error on failure.
 */
export declare function verifyWebhook(payload: unknown, signature: string | null | undefined, secrets: string | string[] | null | undefined, toleranceMs?: number | null): void

/**
 * Polls a job every `intervalMs` until it is done: `"extraction"` of a table
 * (resolves to the completed table; failed / error / cancelled is
 * `job_failed` carrying `status` and the `table`) or `"enhancement"`
 * of its cells, every column's or `columnKey`'s (resolves to the last
 * enhancement status); `timeoutMs` passing is `timeout`, naming the last
 * status and progress. `onProgress(status, progress)` hears each change on
 * the JS thread; the core awaits each report (so they arrive in order and
 * none after the Promise settles) and stops when it resolves `true`.
 * `options` apply to each poll; cancelling `cancel` stops the wait (and the
 * poll in flight) at once.
 */
export declare function waitForJob(client: NativeClient, job: "extraction" | "enhancement", tableId: string, columnKey: string | null, intervalMs: number, timeoutMs: number, onProgress?: ((status: string, progress: number | null) => Promise<boolean>) | null, options?: CallOptions | null, cancel?: CancelToken | null): Promise<any>
