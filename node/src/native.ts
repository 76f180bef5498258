/**
 * Loads the native addon (`lasso.node`, built from `bindings/napi`) on first use.
 *
 * @internal
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Options of the native constructor (durations in milliseconds). */
export interface NativeClientOptions {
  apiKey?: string;
  baseUrl?: string;
  timeout?: number;
  connectTimeout?: number;
  maxRetries?: number;
  headers?: Record<string, string>;
  userAgentSuffix?: string;
  allowNonstandardKey?: boolean;
  frontDoor?: string;
  proxy?: string | false;
  caBundle?: string;
  maxConnections?: number;
  maxResponseBytes?: number;
}

/** Per-call options of the native `call` (durations in milliseconds). */
export interface NativeCallOptions {
  timeout?: number;
  maxRetries?: number;
}

/** A cancellation flag passed along with a call (`bindings/napi/src/cancel.rs`). */
export interface CancelToken {
  /** Drops every call holding this token; their Promises reject with a marked `aborted` error. */
  cancel(): void;
  readonly cancelled: boolean;
}

/** The native client (`bindings/napi/src/lib.rs`). */
export interface NativeClient {
  /** Calls an operation by id; resolves to the response's JSON text, rejects with a marked error (`aborted` once `cancel` is cancelled). */
  call(operation: string, args: unknown, options?: NativeCallOptions | null, cancel?: CancelToken | null): Promise<string>;
  /** Later calls fail with a `configuration` error; calls in flight finish. */
  close(): void;
  readonly closed: boolean;
  readonly baseUrl: string;
  readonly maskedKey: string;
}

/** A pager over one list operation (`bindings/napi/src/helpers.rs`). */
export interface NativePager {
  /** The next page's items as JSON array text, or `null` once the list is exhausted or the pager closed. */
  nextPage(): Promise<string | null>;
  /** Abandons the page being fetched or prefetched; a pending `nextPage` resolves to `null`. */
  close(): void;
}

/**
 * The progress callback of `waitForTable`: `(status, progress)` on each
 * change; `(null, null)` is a flush marker to ignore. Returning `true` stops
 * the wait (the Promise then rejects).
 */
export type NativeProgressCallback = (status: string | null, progress: number | null) => boolean | void;

/** An export held in memory. */
export interface NativeExportedData {
  data: Uint8Array; // a Buffer
  contentType?: string | null;
  filename?: string | null;
}

/** An export written to disk. */
export interface NativeSavedFile {
  path: string;
  size: number;
  contentType?: string | null;
  filename?: string | null;
}

/** The addon's exports. */
export interface NativeModule {
  NativeClient: new (options?: NativeClientOptions) => NativeClient;
  CancelToken: new () => CancelToken;
  /** A pager over a list operation; the first page starts downloading at once. */
  openPager(
    client: NativeClient,
    operation: string,
    args?: Record<string, unknown> | null,
    options?: NativeCallOptions | null,
  ): NativePager;
  /** Polls a table until it is completed, failed or out of time. */
  waitForTable(
    client: NativeClient,
    tableId: string,
    intervalMs: number,
    timeoutMs: number,
    onProgress?: NativeProgressCallback | null,
    options?: NativeCallOptions | null,
    cancel?: CancelToken | null,
  ): Promise<unknown>;
  /** `POST /files` from a path (streamed) or a Buffer. */
  uploadFile(
    client: NativeClient,
    source: string | Uint8Array, // a path or a Buffer
    filename?: string | null,
    contentType?: string | null,
    options?: NativeCallOptions | null,
    cancel?: CancelToken | null,
  ): Promise<unknown>;
  /** `GET /tables/{table_id}/export`, in memory or streamed to `path`. */
  exportTable(
    client: NativeClient,
    tableId: string,
    format: string,
    columns?: string | null,
    path?: string | null,
    options?: NativeCallOptions | null,
    cancel?: CancelToken | null,
  ): Promise<NativeExportedData | NativeSavedFile>;
  /** The core crate's version. */
  coreVersion(): string;
  /** Test hook: panics inside a guarded entry point (`"sync"` or `"async"`). */
  __testPanic(mode: "sync" | "async"): Promise<void>;
}

/** Where the addon is expected: next to `package.json`. */
export const ADDON_PATH = path.join(__dirname, "..", "lasso.node");

let loaded: NativeModule | undefined;

/** The addon, loaded once; throws a clear error when it has not been built. */
export function native(): NativeModule {
  if (loaded === undefined) {
    if (!fs.existsSync(ADDON_PATH)) {
      throw new Error(
        `The Lasso native addon was not found at ${ADDON_PATH}. ` +
          "Run `just build` (or `cargo build -p lasso-napi && node node/scripts/build-native.mjs`) first.",
      );
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(ADDON_PATH) as NativeModule;
  }
  return loaded;
}
