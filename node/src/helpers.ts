/**
 * The Node runtime of the helper methods that are not plain calls (waits,
 * uploads, exports, Arrow tables). The methods themselves (names, overloads,
 * TSDoc, defaults) and their option interfaces are generated into
 * `generated-helpers.ts` from the helper descriptors of crates/lasso-spec;
 * the methods call the functions below. The core
 * does the work (polling, streaming from and to disk, temp file + rename);
 * this module checks JavaScript arguments and shapes results for JavaScript.
 *
 * @module
 */
import { abortError, callSite } from "./abort";
import { native } from "./native";
import { ConfigurationError, ResponseDecodeError } from "./errors";
import type { JsonObject } from "./generated";
import type { ExportParams, UploadParams, WaitForCompletionOptions } from "./generated-helpers";
import type { Caller, RequestOptions } from "./resources/base";
import type { FileObject, TableStatus } from "./types";

/**
 * A Node `Buffer` when `@types/node` is loaded, else a `Uint8Array` (which
 * a `Buffer` is), so the typings need no `@types/node`.
 */
export type NodeBuffer = typeof globalThis extends { Buffer: { alloc(size: number): infer B } } ? B : Uint8Array;

/** Hears each change of a table's status or progress (0–100, `null` until the API reports one). */
export type ProgressCallback = (status: TableStatus, progress: number | null) => void | Promise<void>;

/** A `Blob` or `File` (web or `node:buffer`), as far as an upload needs one. */
export interface BlobLike {
  /** Bytes in the blob. */
  readonly size: number;
  /** Its MIME type, or `""`. */
  readonly type: string;
  /** A `File`'s name. */
  readonly name?: string;
  /** The whole content. */
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * What `client.files.upload` accepts: a path (streamed from disk by the core,
 * never read into memory whole), a `Buffer` / `Uint8Array` / `ArrayBuffer`,
 * or a `Blob` / `File` (read into memory first).
 */
export type UploadInput = string | Uint8Array | ArrayBuffer | ArrayBufferView | BlobLike;

/** The export formats. */
export type ExportFormat = "csv" | "xlsx" | "json" | "images";

/** An export written to disk. */
export interface SavedExport {
  /** Where it was written. */
  path: string;
  /** Bytes written. */
  size: number;
  /** The `Content-Type` the server sent. */
  contentType: string | null;
  /** The server's file name (`Content-Disposition`), when sent. */
  filename: string | null;
}

/** An export held in memory, with what the server said about it. */
export interface ExportedFile {
  /** The body. */
  data: NodeBuffer;
  /** The `Content-Type` the server sent. */
  contentType: string | null;
  /** The server's file name (`Content-Disposition`), when sent, e.g. `Products.xlsx`. */
  filename: string | null;
}

/**
 * What the helpers call on the client (implemented by `LassoClient`).
 *
 * @internal
 */
export interface HelperCaller extends Caller {
  /** @internal */
  _waitForJob(
    job: "extraction" | "enhancement",
    tableId: string,
    columnKey: string | null,
    intervalMs: number,
    timeoutMs: number,
    onProgress: ProgressCallback | null,
    options?: RequestOptions,
  ): Promise<unknown>;
  /** @internal */
  _uploadFile(
    source: string | Uint8Array,
    filename: string | null,
    contentType: string | null,
    options?: RequestOptions,
  ): Promise<FileObject>;
  /** @internal */
  _tableArrowIpc(tableId: string, options?: RequestOptions): Promise<Uint8Array>;
  /** @internal */
  _exportTable(
    tableId: string,
    format: ExportFormat,
    columns: string | null,
    path: string | null,
    options?: RequestOptions,
  ): Promise<ExportedFile | SavedExport>;
}

/** The defaults of a wait's options, from the helper descriptors (generated into each call). */
export interface WaitDefaults {
  /** Time between two polls, in milliseconds. */
  intervalMs: number;
  /** Time allowed in all, in milliseconds. */
  timeoutMs: number;
  /** Whether a progress bar is drawn. */
  progress: boolean;
}

/**
 * The one wait behind both `waitForCompletion`s: checks the options, draws the bar, calls the core.
 *
 * @internal
 */
export async function waitFor(
  helpers: HelperCaller,
  job: "extraction" | "enhancement",
  tableId: string,
  columnKey: string | null,
  options: WaitForCompletionOptions,
  defaults: WaitDefaults,
  requestOptions?: RequestOptions,
): Promise<unknown> {
  if (typeof tableId !== "string") throw new ConfigurationError(`tableId must be a string, got ${kind(tableId)}`);
  if (options === null || typeof options !== "object") {
    throw new ConfigurationError(`waitForCompletion options must be an object, got ${kind(options)}`);
  }
  const {
    intervalMs = defaults.intervalMs,
    timeoutMs = defaults.timeoutMs,
    onProgress,
    progress = defaults.progress,
    signal,
  } = options;
  let perPoll = requestOptions;
  if (signal !== undefined && signal !== null) {
    if (requestOptions?.signal && requestOptions.signal !== signal) {
      throw new ConfigurationError(
        "give waitForCompletion one signal: in its options or in the request options, not both",
      );
    }
    perPoll = { ...requestOptions, signal };
  }
  for (const [name, value] of [
    ["intervalMs", intervalMs],
    ["timeoutMs", timeoutMs],
  ] as const) {
    if (typeof value !== "number")
      throw new ConfigurationError(`${name} must be a number of milliseconds, got ${kind(value)}`);
  }
  if (onProgress !== undefined && onProgress !== null && typeof onProgress !== "function") {
    throw new ConfigurationError(`onProgress must be a function, got ${kind(onProgress)}`);
  }
  const bar = progress ? ProgressBar.onStderr() : null;
  const report: ProgressCallback | null =
    bar === null && !onProgress
      ? null
      : async (status, value) => {
          // The callback's own output starts on a clean line, below which the bar is drawn again.
          bar?.clear();
          try {
            await onProgress?.(status, value);
          } finally {
            bar?.update(status, value);
          }
        };
  try {
    return await helpers._waitForJob(job, tableId, columnKey, intervalMs, timeoutMs, report, perPoll);
  } finally {
    bar?.end();
  }
}

/**
 * A string option that may be left out: the string, or `null`.
 *
 * @internal
 */
export function optionalString(name: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw new ConfigurationError(`${name} must be a string, got ${kind(value)}`);
  return value;
}

/**
 * The table's rows as an apache-arrow `Table`, from the Arrow IPC stream the core writes.
 *
 * @internal
 */
export async function arrowTable(
  helpers: HelperCaller,
  tableId: string,
  options?: RequestOptions,
): Promise<ArrowTable> {
  const arrow = loadApacheArrow();
  const bytes = await helpers._tableArrowIpc(tableId, options);
  return arrow.tableFromIPC(bytes);
}

/**
 * An `apache-arrow` `Table`, as far as these typings know it (import `Table`
 * from `apache-arrow` for the full type).
 */
export interface ArrowTable {
  /** Rows in the table. */
  readonly numRows: number;
  /** Its schema: `schema.fields[i].name`, `.type`. */
  readonly schema: { readonly fields: ReadonlyArray<{ readonly name: string; readonly type: unknown }> };
  /** A column by name (an apache-arrow `Vector`), or `null`. */
  getChild(name: string): { get(index: number): unknown; readonly length: number } | null;
  /** The rows as plain objects. */
  toArray(): unknown[];
}

/** apache-arrow, the optional peer dependency of `tables.toArrow`. */
function loadApacheArrow(): { tableFromIPC(bytes: Uint8Array): ArrowTable } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("apache-arrow") as { tableFromIPC(bytes: Uint8Array): ArrowTable };
  } catch (err) {
    throw new ConfigurationError(
      "tables.toArrow needs the optional peer dependency apache-arrow: npm install apache-arrow" +
        (err instanceof Error && (err as { code?: string }).code !== "MODULE_NOT_FOUND" ? ` (${err.message})` : ""),
    );
  }
}

/**
 * Uploads a path, bytes or a `Blob` / `File`: a path goes to the core as is
 * (streamed from disk), the rest as bytes.
 *
 * @internal
 */
export async function uploadFile(
  helpers: HelperCaller,
  file: UploadInput,
  filename: string | null | undefined,
  params: UploadParams | undefined,
  options: RequestOptions | undefined,
): Promise<FileObject> {
  const site = callSite("files.upload", options);
  if (filename !== undefined && filename !== null && typeof filename !== "string") {
    throw new ConfigurationError(`filename must be a string, got ${kind(filename)}`);
  }
  let contentType = params?.contentType ?? null;
  if (contentType !== null && typeof contentType !== "string") {
    throw new ConfigurationError(`contentType must be a string, got ${kind(contentType)}`);
  }
  let name = filename ?? null;
  let source: string | Uint8Array;
  if (typeof file === "string") {
    source = file;
  } else if (file instanceof ArrayBuffer) {
    source = Buffer.from(file);
  } else if (ArrayBuffer.isView(file)) {
    source = Buffer.isBuffer(file) ? file : Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  } else if (isBlobLike(file)) {
    const signal = options?.signal;
    if (signal?.aborted) throw abortError(signal, site);
    source = Buffer.from(await file.arrayBuffer());
    if (name === null && typeof file.name === "string" && file.name !== "") name = file.name;
    if (contentType === null && typeof file.type === "string" && file.type !== "") contentType = file.type;
  } else {
    throw new ConfigurationError(
      `files.upload takes a path, a Buffer / Uint8Array / ArrayBuffer or a Blob / File, got ${kind(file)}`,
    );
  }
  return helpers._uploadFile(source, name, contentType, options);
}

/**
 * The export core of every `client.export` method: checks the options and
 * has the core fetch the export, in memory or to `params.path`.
 *
 * @internal
 */
export async function exportTable(
  helpers: HelperCaller,
  tableId: string,
  format: ExportFormat,
  params: ExportParams | undefined,
  options: RequestOptions | undefined,
): Promise<ExportedFile | SavedExport> {
  if (typeof tableId !== "string") throw new ConfigurationError(`tableId must be a string, got ${kind(tableId)}`);
  if (params !== undefined && params !== null && (typeof params !== "object" || Array.isArray(params))) {
    throw new ConfigurationError(`export options must be an object such as { columns, path }, got ${kind(params)}`);
  }
  const path = params?.path ?? null;
  if (path !== null && typeof path !== "string")
    throw new ConfigurationError(`path must be a string, got ${kind(path)}`);
  return helpers._exportTable(tableId, format, columnList(params?.columns), path, options);
}

/**
 * A JSON export as its rows (the `{data: [...]}` envelope unwrapped), or the saved file.
 *
 * @internal
 */
export function exportedRows(result: ExportedFile | SavedExport, tableId: string): JsonObject[] | SavedExport {
  if (!isInMemory(result)) return result;
  const text = utf8(result.data);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ResponseDecodeError(`the JSON export of table ${tableId} is not valid JSON`, {
      statusCode: 200,
      rawBody: text.slice(0, 4096),
    });
  }
  if (Array.isArray(parsed)) return parsed as JsonObject[];
  const data = (parsed as { data?: unknown } | null)?.data;
  if (Array.isArray(data)) return data as JsonObject[];
  throw new ResponseDecodeError(`the JSON export of table ${tableId} is not an array of rows`, {
    statusCode: 200,
    rawBody: text.slice(0, 4096),
  });
}

/**
 * A text export (CSV) exactly as sent, or the saved file.
 *
 * @internal
 */
export function exportedText(result: ExportedFile | SavedExport): string | SavedExport {
  return isInMemory(result) ? utf8(result.data) : result;
}

/**
 * A binary export (XLSX, ZIP) as its bytes, or the saved file.
 *
 * @internal
 */
export function exportedBytes(result: ExportedFile | SavedExport): NodeBuffer | SavedExport {
  return isInMemory(result) ? result.data : result;
}

function utf8(data: NodeBuffer): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8");
}

/** `["sku", "name"]` or `"sku,name"` → `"sku,name"`; `null` for all columns. */
function columnList(columns: ExportParams["columns"] | null): string | null {
  if (columns === undefined || columns === null) return null;
  if (typeof columns === "string") return columns;
  if (Array.isArray(columns) && columns.every((c) => typeof c === "string")) return columns.join(",");
  throw new ConfigurationError(
    `columns must be an array of column keys or a comma-separated string, got ${kind(columns)}`,
  );
}

function isInMemory(result: ExportedFile | SavedExport): result is ExportedFile {
  return "data" in result;
}

function isBlobLike(value: unknown): value is BlobLike {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as BlobLike).arrayBuffer === "function" &&
    typeof (value as BlobLike).size === "number"
  );
}

function kind(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
}

/** A one-line progress bar on stderr, drawn only when stderr is a terminal. */
class ProgressBar {
  #drawn = false;

  private constructor(private readonly stream: { write(text: string): unknown }) {}

  /** A bar on `process.stderr`, or `null` when stderr is not a terminal. */
  static onStderr(): ProgressBar | null {
    return process.stderr.isTTY ? new ProgressBar(process.stderr) : null;
  }

  /** Draws the bar (rendered by the core) over the current line. */
  update(status: string, progress: number | null): void {
    this.stream.write(`\r${native().progressLine(status, progress)}`);
    this.#drawn = true;
  }

  /** Erases the bar's line, so that other output starts on a clean line. */
  clear(): void {
    if (this.#drawn) this.stream.write(native().PROGRESS_CLEAR_LINE);
  }

  end(): void {
    if (this.#drawn) this.stream.write("\n");
  }
}
