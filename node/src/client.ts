import { abortError, callSite, onAbort, raceSignal, withSignal } from "./abort";
import { APIPromise, headerRecord } from "./api-promise";
import { AbortError, ConfigurationError, fromNative, InvalidApiKeyError } from "./errors";
import {
  native,
  type NativeCallOptions,
  type NativeClient,
  type NativeClientOptions,
  type NativeSavedFile,
} from "./native";
import { CLIENT_OPTION_TYPES, type ClientOptions } from "./client-options";
import { ClientMethods } from "./generated";
import { Enhance, Export, Files, Tables } from "./generated-helpers";
import {
  type ExportedFile,
  type ExportFormat,
  type HelperCaller,
  type NodeBuffer,
  type ProgressCallback,
  type SavedExport,
} from "./helpers";
import type { FileObject } from "./types";
import type { AbortSignalLike, RequestOptions } from "./resources/base";
import { VERSION } from "./version";

/** A log level of {@link ClientOptions.logLevel} and `LASSO_LOG`. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** A logger of {@link ClientOptions.logger}: `console.error`-like, or your logging library's. */
export type LogFn = (level: LogLevel, line: string) => void;

/** The `logger` and `logLevel` a client gets: the given ones, else stderr with `LASSO_LOG`. */
function logging(options: Partial<ClientOptions>): Pick<NativeClientOptions, "logger" | "logLevel"> {
  const fromEnv = (process.env.LASSO_LOG ?? "").trim().toLowerCase();
  const envLevel = ["debug", "info", "warn", "error"].includes(fromEnv) ? (fromEnv as LogLevel) : undefined;
  const logLevel = options.logLevel ?? envLevel;
  if (options.logger !== undefined) return { logger: options.logger, logLevel: logLevel ?? "warn" };
  if (logLevel === undefined) return {};
  return { logger: (level, line) => process.stderr.write(`lasso ${level}: ${line}\n`), logLevel };
}

export type { AbortSignalLike, ClientOptions, RequestOptions };

/** `util.inspect.custom`, without making the typings depend on `@types/node`. */
const inspectCustom: unique symbol = Symbol.for("nodejs.util.inspect.custom");

/** The `User-Agent` product of this front door. */
export const FRONT_DOOR = `lasso-node/${VERSION} node/${process.versions.node}`;

const REQUEST_OPTION_TYPES: Readonly<Record<keyof RequestOptions, string>> = {
  timeout: "number",
  maxRetries: "number",
  headers: "object",
  extraQuery: "object",
  extraBody: "object",
  allowEnrichWithoutWebhook: "boolean",
  signal: "object",
};

/** The options of {@link LassoClient.withOptions}: a call's options but its `signal`. */
export type ClientDefaults = Omit<RequestOptions, "signal">;

/** Marks the constructor's argument of a client derived by `withOptions`. */
const DERIVED: unique symbol = Symbol("lasso.derived");
type Derived = { [DERIVED]: NativeClient };

/** Checked request options, split into what the native side takes and the signal. */
interface CheckedRequestOptions {
  callOptions: NativeCallOptions;
  signal: AbortSignalLike | undefined;
}

/**
 * Checks per-request options (see {@link checkOptions}) and the signal's
 * shape.
 *
 * @internal
 */
export function checkRequestOptions(options: RequestOptions | undefined): CheckedRequestOptions {
  const { signal, ...callOptions } = checkOptions<RequestOptions>("request option", options, REQUEST_OPTION_TYPES);
  if (signal !== undefined && signal !== null) {
    if (
      typeof signal.aborted !== "boolean" ||
      typeof signal.addEventListener !== "function" ||
      typeof signal.removeEventListener !== "function"
    ) {
      throw new ConfigurationError(
        "request option `signal` must be an AbortSignal (e.g. `new AbortController().signal`)",
      );
    }
  }
  return { callOptions, signal: signal ?? undefined };
}

/**
 * Checks the JS types of an options object (the core checks the values) and
 * drops `undefined`/`null` entries. Never echoes the values: one may be the key.
 */
function checkOptions<T extends object>(
  what: string,
  given: unknown,
  types: Readonly<Record<string, string>>,
): Partial<T> {
  if (given === undefined || given === null) return {};
  if (typeof given !== "object" || Array.isArray(given)) {
    throw new ConfigurationError(`${what} must be an object, got ${describe(given)}`);
  }
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(given)) {
    if (!Object.hasOwn(types, name)) {
      const names = Object.keys(types);
      const meant = native().closestName(name, names);
      const hint = meant ? ` (did you mean \`${meant}\`?)` : "";
      throw new ConfigurationError(`unknown ${what} \`${name}\`${hint}; expected one of: ${names.join(", ")}`);
    }
    if (value === undefined || value === null) continue;
    const expected = types[name];
    const fits = expected
      .split("|")
      .some((t) => (t === "false" ? value === false : typeof value === t && !(t === "object" && Array.isArray(value))));
    if (!fits) {
      const shown = expected.replace("|", " or ");
      const message = `${what} \`${name}\` must be ${expected === "object" ? "an" : "a"} ${shown}, got ${describe(value)}`;
      throw name === "apiKey" ? new InvalidApiKeyError(message) : new ConfigurationError(message);
    }
    if (name === "headers") {
      for (const [header, v] of Object.entries(value as object)) {
        if (typeof v !== "string") {
          throw new ConfigurationError(`header \`${header}\` must have a string value, got ${describe(v)}`);
        }
      }
    }
    out[name] = value;
  }
  return out as Partial<T>;
}

function describe(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
}

/**
 * A client of the Lasso API.
 *
 * ```ts
 * import LassoClient, { NotFoundError } from "@lasso-ai/sdk";
 *
 * const client = new LassoClient(); // LASSO_API_KEY
 * const { balance } = await client.credits.balance();
 * try {
 *   await client.tables.get("tbl_missing");
 * } catch (err) {
 *   if (err instanceof NotFoundError) console.log("no such table", err.requestId);
 *   else throw err;
 * }
 * ```
 *
 * The API key is checked when the client is built (an {@link InvalidApiKeyError}
 * is thrown before any request) and never shown: logging the client prints
 * only the base URL and `lasso_…` plus the key's last four characters.
 */
export class LassoClient extends ClientMethods implements HelperCaller {
  readonly #native: NativeClient;

  /** `tables` operations, plus `waitForCompletion` and `iterRows`. */
  declare readonly tables: Tables;
  /** `files` operations, plus `upload`. */
  declare readonly files: Files;
  /** `enhance` operations, plus `waitForCompletion`. */
  declare readonly enhance: Enhance;
  /** Exports of a table: `json`, `csv`, `xlsx`, `images` (in memory or to a file). */
  readonly export: Export;

  /**
   * @param options The API key, or the client's settings. Omitted settings
   *   come from `LASSO_API_KEY` / `LASSO_BASE_URL`, then from the defaults.
   * @throws {InvalidApiKeyError} When the key is missing or malformed.
   * @throws {ConfigurationError} When another setting is invalid.
   */
  constructor(options?: string | ClientOptions) {
    super();
    const derived = (options as Partial<Derived> | undefined)?.[DERIVED];
    if (derived !== undefined) {
      this.#native = derived;
      this.tables = new Tables(this);
      this.files = new Files(this);
      this.enhance = new Enhance(this);
      this.enhance = new Enhance(this);
      this.export = new Export(this);
      return;
    }
    const settings: NativeClientOptions =
      typeof options === "string"
        ? { apiKey: options }
        : checkOptions<ClientOptions>("client option", options, CLIENT_OPTION_TYPES);
    settings.frontDoor = FRONT_DOOR;
    Object.assign(settings, logging(settings as Partial<ClientOptions>));
    // Node's own https trusts NODE_EXTRA_CA_CERTS besides the system's store; so does this client.
    const extraCa = process.env.NODE_EXTRA_CA_CERTS;
    if (settings.caBundle === undefined && extraCa) settings.caBundle = extraCa;
    const { NativeClient } = native();
    try {
      this.#native = new NativeClient(settings);
    } catch (err) {
      throw fromNative(err);
    }
    this.tables = new Tables(this);
    this.files = new Files(this);
    this.enhance = new Enhance(this);
    this.export = new Export(this);
  }

  /**
   * A client sharing this one's connection pool (and key, base URL and
   * headers) whose calls default to these options. Unset options keep this
   * client's; a call's own options still win. Closing either closes both.
   *
   * ```ts
   * const patient = client.withOptions({ timeout: 300_000, maxRetries: 5 });
   * await patient.tables.get(tableId);
   * ```
   */
  withOptions(options: ClientDefaults): LassoClient {
    const { callOptions, signal } = checkRequestOptions(options);
    if (signal !== undefined) throw new ConfigurationError("withOptions takes no `signal`: give it to each call");
    let native: NativeClient;
    try {
      native = this.#native.withOptions(callOptions);
    } catch (err) {
      throw fromNative(err);
    }
    return new LassoClient({ [DERIVED]: native } as unknown as ClientOptions);
  }

  /** The base URL, without a trailing slash. */
  get baseUrl(): string {
    return this.#native.baseUrl;
  }

  /** The API key masked as `lasso_…` plus its last four characters. */
  get maskedKey(): string {
    return this.#native.maskedKey;
  }

  /**
   * Calls an API operation by its id (e.g. `tables.get`) with JSON arguments.
   * The resource methods (`client.tables.get(id)`) are the public way in.
   *
   * @param operation The operation id, `resource.method`.
   * @param args Path, query and body arguments by name, e.g. `{ table_id }`.
   * @param options Per-request `timeout` (ms), `maxRetries` and `signal`.
   * @returns The decoded JSON response, with `withResponse()` for the response behind it.
   * @throws {LassoError} A subclass matching the failure ({@link AbortError} once `signal` fires).
   * @internal
   */
  _call<T = unknown>(operation: string, args: Record<string, unknown> = {}, options?: RequestOptions): APIPromise<T> {
    const site = callSite(operation, options);
    const client = this.#native;
    return new APIPromise<T>(async (withResponse) => {
      const { callOptions, signal } = checkRequestOptions(options);
      try {
        // The core hands back JSON text: V8's parser builds the objects faster than N-API calls could.
        if (!withResponse) {
          const text = await withSignal(signal, (token) => client.call(operation, args, callOptions, token), site);
          return { data: JSON.parse(text) as T, response: null };
        }
        const answer = await withSignal(
          signal,
          (token) => client.callWithResponse(operation, args, callOptions, token),
          site,
        );
        const { status, requestId, headers } = answer;
        return {
          data: JSON.parse(answer.text) as T,
          response: { status, requestId: requestId ?? null, headers: headerRecord(headers) },
        };
      } catch (err) {
        throw fromNative(err);
      }
    });
  }

  /**
   * Every item of a list operation, page after page, through the core's
   * pager (which fetches the next page while this one is consumed). The
   * generated `iter…` methods (`client.tables.iterRows(id)`) are the public way in.
   *
   * @internal
   */
  _iterate<T = unknown>(
    operation: string,
    args: Record<string, unknown> = {},
    options?: RequestOptions,
  ): AsyncIterableIterator<T> {
    const client = this.#native;
    const site = callSite(operation, options);
    return (async function* iterate(): AsyncGenerator<T, void, undefined> {
      const { callOptions, signal } = checkRequestOptions(options);
      if (signal?.aborted) throw abortError(signal, site);
      const { openPager } = native();
      let pager: ReturnType<typeof openPager>;
      try {
        pager = openPager(client, operation, args, callOptions);
      } catch (err) {
        throw fromNative(err);
      }
      // Aborting while the caller works through a page drops the prefetch at once.
      const stopListening = signal === undefined ? undefined : onAbort(signal, () => pager.close());
      try {
        for (;;) {
          let text: string | null;
          try {
            text = await raceSignal(signal, pager.nextPage(), site);
          } catch (err) {
            throw fromNative(err);
          }
          if (signal?.aborted) throw abortError(signal, site);
          if (text === null) return;
          const page = JSON.parse(text) as unknown[];
          for (const item of page) {
            yield item as T;
            if (signal?.aborted) throw abortError(signal, site);
          }
        }
      } finally {
        stopListening?.();
        // On `break` too: abandons the page being prefetched.
        pager.close();
      }
    })();
  }

  /** @internal */
  async _waitForJob(
    job: "extraction" | "enhancement",
    tableId: string,
    columnKey: string | null,
    intervalMs: number,
    timeoutMs: number,
    onProgress: ProgressCallback | null,
    options?: RequestOptions,
  ): Promise<unknown> {
    const site = callSite(job === "extraction" ? "tables.waitForCompletion" : "enhance.waitForCompletion", options);
    const { callOptions, signal } = checkRequestOptions(options);
    // A throw (or rejection) in the user's callback must not become an
    // uncaught exception: it is kept, the wait stops (the core stops when a
    // report resolves `true`), and the Promise rejects with it. The core
    // awaits each report, so an async callback finishes before the next.
    let failure: { error: unknown } | undefined;
    const report =
      onProgress === null
        ? null
        : async (status: string, progress: number | null): Promise<boolean> => {
            // Nothing is reported once the call was aborted.
            if (signal?.aborted) return true;
            try {
              await onProgress(status, progress);
              return false;
            } catch (error) {
              failure ??= { error };
              return true;
            }
          };
    let table: unknown;
    const client = this.#native;
    try {
      table = await withSignal(
        signal,
        (token) =>
          native().waitForJob(client, job, tableId, columnKey, intervalMs, timeoutMs, report, callOptions, token),
        site,
      );
    } catch (err) {
      if (err instanceof AbortError) throw err;
      if (failure !== undefined) throw failure.error;
      throw fromNative(err);
    }
    if (failure !== undefined) throw failure.error;
    return table;
  }

  /** @internal */
  async _uploadFile(
    source: string | Uint8Array,
    filename: string | null,
    contentType: string | null,
    options?: RequestOptions,
  ): Promise<FileObject> {
    const site = callSite("files.upload", options);
    const { callOptions, signal } = checkRequestOptions(options);
    const client = this.#native;
    try {
      return (await withSignal(
        signal,
        (token) =>
          native().uploadFile(
            client,
            typeof source === "string" ? source : asBuffer(source),
            filename,
            contentType,
            callOptions,
            token,
          ),
        site,
      )) as FileObject;
    } catch (err) {
      throw fromNative(err);
    }
  }

  /** @internal */
  async _tableArrowIpc(tableId: string, options?: RequestOptions): Promise<Uint8Array> {
    const site = callSite("tables.toArrow", options);
    const { callOptions, signal } = checkRequestOptions(options);
    const client = this.#native;
    try {
      return await withSignal(signal, (token) => native().tableArrowIpc(client, tableId, callOptions, token), site);
    } catch (err) {
      throw fromNative(err);
    }
  }

  /** @internal */
  async _exportTable(
    tableId: string,
    format: ExportFormat,
    columns: string | null,
    path: string | null,
    options?: RequestOptions,
  ): Promise<ExportedFile | SavedExport> {
    const site = callSite(`export.${format}`, options);
    const { callOptions, signal } = checkRequestOptions(options);
    const client = this.#native;
    let result;
    try {
      result = await withSignal(
        signal,
        (token) => native().exportTable(client, tableId, format, columns, path, callOptions, token),
        site,
      );
    } catch (err) {
      throw fromNative(err);
    }
    const contentType = result.contentType ?? null;
    const filename = result.filename ?? null;
    if ("data" in result) return { data: result.data as NodeBuffer, contentType, filename };
    const saved: NativeSavedFile = result;
    return { path: saved.path, size: saved.size, contentType, filename };
  }

  /**
   * Releases the client: its idle connections are closed once the calls in
   * flight have finished, and later calls reject with a
   * {@link ConfigurationError}. Safe to call more than once. Optional: the
   * process exits on its own after the last call whether or not the client
   * was closed.
   */
  close(): void {
    this.#native.close();
  }

  /** `{ baseUrl, apiKey }` with the key masked: what `JSON.stringify(client)` shows. */
  toJSON(): { baseUrl: string; apiKey: string } {
    return { baseUrl: this.baseUrl, apiKey: this.maskedKey };
  }

  /** `LassoClient { baseUrl: "…", apiKey: "lasso_…abcd" }`. */
  toString(): string {
    return `LassoClient { baseUrl: ${JSON.stringify(this.baseUrl)}, apiKey: ${JSON.stringify(this.maskedKey)} }`;
  }

  /** What `console.log(client)` and `util.inspect(client)` show: the base URL and the masked key. */
  [inspectCustom](_depth: number, options: object, inspect: (value: unknown, options?: object) => string): string {
    return `LassoClient ${inspect(this.toJSON(), options)}`;
  }
}

/** A byte view as a Buffer over the same memory (the addon takes Buffers). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
