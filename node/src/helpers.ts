/**
 * The hand-written helpers that are not plain calls: waiting for a table
 * (`client.tables.waitForCompletion`), uploading (`client.files.upload`) and
 * exporting (`client.export`). The core does the work (polling, streaming
 * from and to disk, temp file + rename); this module shapes arguments and
 * results for JavaScript. Auto-pagination (`iter`, `iterRows`, …) is
 * generated with the other methods.
 *
 * @module
 */
import { abortError, callSite } from "./abort";
import { native } from "./native";
import { ConfigurationError, ResponseDecodeError } from "./errors";
import {
  Enhance as GeneratedEnhance,
  Files as GeneratedFiles,
  Tables as GeneratedTables,
  type JsonObject,
} from "./generated";
import { APIResource, type AbortSignalLike, type Caller, type RequestOptions } from "./resources/base";
import type { EnhanceStatus, FileObject, Table, TableStatus } from "./types";

/**
 * A Node `Buffer` when `@types/node` is loaded, else a `Uint8Array` (which
 * a `Buffer` is), so the typings need no `@types/node`.
 */
export type NodeBuffer = typeof globalThis extends { Buffer: { alloc(size: number): infer B } } ? B : Uint8Array;

/** Hears each change of a table's status or progress (0–100, `null` until the API reports one). */
export type ProgressCallback = (status: TableStatus, progress: number | null) => void | Promise<void>;

/** Options of {@link Tables.waitForCompletion}. Durations are in milliseconds. */
export interface WaitForCompletionOptions {
  /** Time between two polls (default 3 000 ms, the core's default). */
  intervalMs?: number;
  /** Time allowed in all before an `APITimeoutError` naming the last status and progress (default 300 000 ms). */
  timeoutMs?: number;
  /**
   * Called with `(status, progress)` each time either changes. An async callback
   * is awaited before the wait goes on. If it throws (or rejects), the wait
   * stops and rejects with that error.
   */
  onProgress?: ProgressCallback;
  /** Draw a one-line progress bar on stderr, only when stderr is a terminal (default `false`). */
  progress?: boolean;
  /**
   * Stops waiting when it fires: the poll in flight is dropped and the
   * Promise rejects at once with an `AbortError`. The same as the `signal`
   * of the last argument (give it in one place only).
   */
  signal?: AbortSignalLike | null;
}

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
 * What {@link Files.upload} accepts: a path (streamed from disk by the core,
 * never read into memory whole), a `Buffer` / `Uint8Array` / `ArrayBuffer`,
 * or a `Blob` / `File` (read into memory first).
 */
export type UploadInput = string | Uint8Array | ArrayBuffer | ArrayBufferView | BlobLike;

/** Options of {@link Files.upload}. */
export interface UploadParams {
  /** The part's content type; default: from the file name's extension, or the `Blob`'s `type`. */
  contentType?: string;
}

/** The export formats. */
export type ExportFormat = "csv" | "xlsx" | "json" | "images";

/** Options of the {@link Export} methods. */
export interface ExportParams {
  /** Column keys to export (default: all), as an array or a comma-separated string. */
  columns?: readonly string[] | string;
  /**
   * Write the export to this file instead of returning it: streamed to a
   * temporary file beside it and renamed into place once complete, so a
   * failure never leaves a partial file.
   */
  path?: string;
}

/** {@link ExportParams} with a `path`: the export is written to that file. */
export interface ExportToPathParams extends ExportParams {
  path: string;
}

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

/** `client.tables`: tables and rows, plus {@link Tables.waitForCompletion} and the iterators. */
export class Tables extends GeneratedTables {
  readonly #helpers: HelperCaller;

  /** @param client The owning client. */
  constructor(client: HelperCaller) {
    super(client);
    this.#helpers = client;
  }

  /**
   * Polls the table until its extraction finishes and resolves to it.
   *
   * ```ts
   * const table = await client.tables.create({ name: "Shoes", schema_id, source_text });
   * const done = await client.tables.waitForCompletion(table.id, {
   *   onProgress: (status, progress) => console.log(status, progress),
   * });
   * ```
   *
   * Terminal states are `completed` (resolves), `failed`, `error` and
   * `cancelled` (rejects with a {@link JobFailedError} carrying `status` and
   * `table`); unknown statuses keep waiting.
   *
   * @param tableId The table.
   * @param options `intervalMs` (3 000), `timeoutMs` (300 000), `onProgress`, `progress` (a bar on a terminal's stderr), `signal`.
   * @param requestOptions `timeout` (ms) and `maxRetries` for each poll, and `signal` to stop waiting.
   * @returns The completed table.
   * @throws {JobFailedError} The extraction ended `failed`, `error` or `cancelled`.
   * @throws {APITimeoutError} `timeoutMs` passed; the message names the last status and progress.
   * @throws {AbortError} The `signal` fired.
   */
  async waitForCompletion(
    tableId: string,
    options: WaitForCompletionOptions = {},
    requestOptions?: RequestOptions,
  ): Promise<Table> {
    return (await waitFor(this.#helpers, "extraction", tableId, null, options, requestOptions)) as Table;
  }

  /**
   * The table's rows as an `apache-arrow` `Table`, typed by the table's column
   * definitions (`text` → Utf8, `number` → Float64, `boolean` → Bool, `tags` →
   * List<Utf8>, … see "Tables as Arrow" in the README). The Rust core fetches
   * the pages (several at once), decodes them into Arrow record batches and
   * hands them over as one Arrow IPC stream.
   *
   * ```ts
   * const table = await client.tables.toArrow(tableId);
   * console.log(table.numRows, table.schema.fields.map((f) => `${f.name}: ${f.type}`));
   * ```
   *
   * `apache-arrow` is an optional peer dependency: `npm install apache-arrow`.
   *
   * @param tableId The table.
   * @param requestOptions `timeout` (ms) and `maxRetries` for each request, `signal` to stop.
   * @returns An `apache-arrow` `Table` (typed `unknown` here so that the typings need no apache-arrow).
   * @throws {ConfigurationError} `apache-arrow` is not installed.
   */
  async toArrow(tableId: string, requestOptions?: RequestOptions): Promise<ArrowTable> {
    const arrow = loadApacheArrow();
    const bytes = await this.#helpers._tableArrowIpc(tableId, requestOptions);
    return arrow.tableFromIPC(bytes);
  }
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

/** `client.enhance`: AI enhancement of cells, plus {@link Enhance.waitForCompletion}. */
export class Enhance extends GeneratedEnhance {
  readonly #helpers: HelperCaller;

  /** @param client The owning client. */
  constructor(client: HelperCaller) {
    super(client);
    this.#helpers = client;
  }

  /**
   * Polls `enhance.status` until every cell of the enhancement (of
   * `columnKey` only, when given) is completed or failed, and resolves to
   * that last status: done even when some cells failed (their counts say how
   * many). Progress reports say `processing` / `completed` and the share of
   * cells finished. Same options and errors as `tables.waitForCompletion`.
   *
   * ```ts
   * await client.enhance.bulk(table.id, { columns: [{ key: "description", prompt: "…" }] });
   * const status = await client.enhance.waitForCompletion(table.id, { columnKey: "description" });
   * ```
   *
   * @throws {JobFailedError} Every cell failed.
   * @throws {APITimeoutError} `timeoutMs` passed.
   * @throws {AbortError} The `signal` fired.
   */
  async waitForCompletion(
    tableId: string,
    options: WaitForCompletionOptions & { columnKey?: string | null } = {},
    requestOptions?: RequestOptions,
  ): Promise<EnhanceStatus> {
    const columnKey = options?.columnKey ?? null;
    if (columnKey !== null && typeof columnKey !== "string") {
      throw new ConfigurationError(`columnKey must be a string, got ${kind(columnKey)}`);
    }
    const { columnKey: _, ...rest } = options ?? {};
    return (await waitFor(this.#helpers, "enhancement", tableId, columnKey, rest, requestOptions)) as EnhanceStatus;
  }
}

/** The one wait behind both `waitForCompletion`s: checks the options, draws the bar, calls the core. */
async function waitFor(
  helpers: HelperCaller,
  job: "extraction" | "enhancement",
  tableId: string,
  columnKey: string | null,
  options: WaitForCompletionOptions,
  requestOptions?: RequestOptions,
): Promise<unknown> {
  if (typeof tableId !== "string") throw new ConfigurationError(`tableId must be a string, got ${kind(tableId)}`);
  if (options === null || typeof options !== "object") {
    throw new ConfigurationError(`waitForCompletion options must be an object, got ${kind(options)}`);
  }
  const defaults = native().waitDefaults();
  const {
    intervalMs = defaults.intervalMs,
    timeoutMs = defaults.timeoutMs,
    onProgress,
    progress = false,
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

/** `client.files`: the file list, plus {@link Files.upload}. */
export class Files extends GeneratedFiles {
  readonly #helpers: HelperCaller;

  /** @param client The owning client. */
  constructor(client: HelperCaller) {
    super(client);
    this.#helpers = client;
  }

  /**
   * `POST /files`: uploads a file, to pass its id to `tables.create({ file_ids })`.
   *
   * ```ts
   * const a = await client.files.upload("./catalog.pdf");                 // streamed from disk
   * const b = await client.files.upload(buffer, "catalog.pdf");           // bytes need a filename
   * const c = await client.files.upload(new Blob([text]), "notes.txt", { contentType: "text/plain" });
   * ```
   *
   * A path is streamed from disk by the core, so a large file never has to
   * fit in memory. A `Blob` / `File` is read into memory first (its `name`
   * and `type` are used unless `filename` / `contentType` are given). The
   * content type is otherwise inferred from the file name's extension.
   *
   * @param file A path, a `Buffer` / `Uint8Array` / `ArrayBuffer`, or a `Blob` / `File`.
   * @param filename The name the server stores (default: the path's or the `File`'s name; required for bytes).
   * @param params `contentType` to override the inferred one.
   * @param options Per-request `timeout` (ms), `maxRetries` and `signal`.
   * @returns The File object (`id`, `filename`, `size`, …).
   */
  async upload(
    file: UploadInput,
    filename?: string | null,
    params?: UploadParams,
    options?: RequestOptions,
  ): Promise<FileObject> {
    const site = callSite("files.upload");
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
    return this.#helpers._uploadFile(source, name, contentType, options);
  }
}

/** `client.export`: a table's rows as JSON, CSV, an XLSX workbook or a ZIP of images (the table must be completed). */
export class Export extends APIResource {
  readonly #helpers: HelperCaller;

  /** @param client The owning client. */
  constructor(client: HelperCaller) {
    super(client);
    this.#helpers = client;
  }

  /**
   * The rows as parsed JSON: an array of objects (column key → value).
   *
   * @param tableId The table.
   * @param params `columns` to export (array or comma-separated); `path` to write the file instead.
   * @param options Per-request `timeout` (ms), `maxRetries` and `signal`.
   */
  json(tableId: string, params: ExportToPathParams, options?: RequestOptions): Promise<SavedExport>;
  json(tableId: string, params?: ExportParams & { path?: undefined }, options?: RequestOptions): Promise<JsonObject[]>;
  json(tableId: string, params?: ExportParams, options?: RequestOptions): Promise<JsonObject[] | SavedExport>;
  async json(tableId: string, params?: ExportParams, options?: RequestOptions): Promise<JsonObject[] | SavedExport> {
    const result = await this.#export(tableId, "json", params, options);
    if (!isInMemory(result)) return result;
    const text = Buffer.from(result.data.buffer, result.data.byteOffset, result.data.byteLength).toString("utf8");
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
   * The rows as CSV text, exactly as sent (the published API uses `;` as the
   * delimiter); never parsed.
   *
   * @param tableId The table.
   * @param params `columns` to export (array or comma-separated); `path` to write the file instead.
   * @param options Per-request `timeout` (ms), `maxRetries` and `signal`.
   */
  csv(tableId: string, params: ExportToPathParams, options?: RequestOptions): Promise<SavedExport>;
  csv(tableId: string, params?: ExportParams & { path?: undefined }, options?: RequestOptions): Promise<string>;
  csv(tableId: string, params?: ExportParams, options?: RequestOptions): Promise<string | SavedExport>;
  async csv(tableId: string, params?: ExportParams, options?: RequestOptions): Promise<string | SavedExport> {
    const result = await this.#export(tableId, "csv", params, options);
    if (!isInMemory(result)) return result;
    return Buffer.from(result.data.buffer, result.data.byteOffset, result.data.byteLength).toString("utf8");
  }

  /**
   * The rows as an XLSX workbook: its bytes, or the saved file with `path`.
   *
   * @param tableId The table.
   * @param params `columns` to export (array or comma-separated); `path` to write the file instead.
   * @param options Per-request `timeout` (ms), `maxRetries` and `signal`.
   */
  xlsx(tableId: string, params: ExportToPathParams, options?: RequestOptions): Promise<SavedExport>;
  xlsx(tableId: string, params?: ExportParams & { path?: undefined }, options?: RequestOptions): Promise<NodeBuffer>;
  xlsx(tableId: string, params?: ExportParams, options?: RequestOptions): Promise<NodeBuffer | SavedExport>;
  async xlsx(tableId: string, params?: ExportParams, options?: RequestOptions): Promise<NodeBuffer | SavedExport> {
    const result = await this.#export(tableId, "xlsx", params, options);
    return isInMemory(result) ? result.data : result;
  }

  /**
   * The images of the table's image columns as a ZIP archive: its bytes, or
   * the saved file with `path`.
   *
   * @param tableId The table.
   * @param params `columns` to export (array or comma-separated); `path` to write the file instead.
   * @param options Per-request `timeout` (ms), `maxRetries` and `signal`.
   */
  images(tableId: string, params: ExportToPathParams, options?: RequestOptions): Promise<SavedExport>;
  images(tableId: string, params?: ExportParams & { path?: undefined }, options?: RequestOptions): Promise<NodeBuffer>;
  images(tableId: string, params?: ExportParams, options?: RequestOptions): Promise<NodeBuffer | SavedExport>;
  async images(tableId: string, params?: ExportParams, options?: RequestOptions): Promise<NodeBuffer | SavedExport> {
    const result = await this.#export(tableId, "images", params, options);
    return isInMemory(result) ? result.data : result;
  }

  /**
   * Any format with what the server said about it: the bytes with their
   * content type and `Content-Disposition` file name, or the saved file with `path`.
   *
   * @param tableId The table.
   * @param format `csv`, `xlsx`, `json` or `images`.
   * @param params `columns` to export (array or comma-separated); `path` to write the file instead.
   * @param options Per-request `timeout` (ms), `maxRetries` and `signal`.
   */
  download(
    tableId: string,
    format: ExportFormat,
    params: ExportToPathParams,
    options?: RequestOptions,
  ): Promise<SavedExport>;
  download(
    tableId: string,
    format: ExportFormat,
    params?: ExportParams & { path?: undefined },
    options?: RequestOptions,
  ): Promise<ExportedFile>;
  download(
    tableId: string,
    format: ExportFormat,
    params?: ExportParams,
    options?: RequestOptions,
  ): Promise<ExportedFile | SavedExport>;
  download(
    tableId: string,
    format: ExportFormat,
    params?: ExportParams,
    options?: RequestOptions,
  ): Promise<ExportedFile | SavedExport> {
    return this.#export(tableId, format, params, options);
  }

  async #export(
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
    return this.#helpers._exportTable(tableId, format, columnList(params?.columns), path, options);
  }
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
