import type { APIPromise } from "../api-promise";

/**
 * What every `AbortSignal` has, as far as the SDK uses it: the web
 * `AbortSignal` (`new AbortController().signal`, `AbortSignal.timeout(ms)`)
 * fits, and the typings need neither the DOM library nor `@types/node`.
 */
export interface AbortSignalLike {
  /** Whether the signal has fired. */
  readonly aborted: boolean;
  /** Why it fired (`controller.abort(reason)`); becomes the `AbortError`'s `cause`. */
  readonly reason?: unknown;
  /** Listens for the `abort` event. */
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  /** Stops listening for the `abort` event. */
  removeEventListener(type: "abort", listener: () => void): void;
}

/**
 * Per-request options, the last argument of every method. Durations are in
 * milliseconds.
 *
 * ```ts
 * const controller = new AbortController();
 * const table = await client.tables.get(id, { timeout: 5_000, maxRetries: 0, signal: controller.signal });
 * ```
 */
export interface RequestOptions {
  /**
   * Time allowed for each attempt of this call, reading the body included, in
   * milliseconds (default: the client's `timeout`); `Infinity` for none.
   */
  timeout?: number;
  /** Retries after a failed first attempt of this call (default: the client's `maxRetries`). */
  maxRetries?: number;
  /** Headers for this call; each replaces the client's header of the same name (`Authorization` is refused). */
  headers?: Record<string, string>;
  /**
   * Query parameters to send besides the method's own (for API parameters
   * newer than this SDK); a list sends the name once per value.
   */
  extraQuery?: Record<string, string | number | boolean | ReadonlyArray<string | number | boolean>>;
  /** Fields merged into the JSON body (for API fields newer than this SDK). */
  extraBody?: Record<string, unknown>;
  /**
   * Sends an `enrich` of more than 5 records without a `webhook_url`, which
   * the SDK otherwise refuses before sending: the API bills such a call and
   * answers `202`, and its results can never be fetched.
   */
  allowEnrichWithoutWebhook?: boolean;
  /**
   * Cancels the call: when the signal fires, the request in flight is
   * dropped (its connection closed), any retry wait or poll interval ends,
   * and the Promise rejects at once with an `AbortError`. A signal that has
   * already fired rejects without sending anything.
   */
  signal?: AbortSignalLike | null;
}

/** What a resource calls: the client's operation entry point. */
export interface Caller {
  /** @internal */
  _call<T = unknown>(operation: string, args?: Record<string, unknown>, options?: RequestOptions): APIPromise<T>;
  /** @internal */
  _iterate<T = unknown>(
    operation: string,
    args?: Record<string, unknown>,
    options?: RequestOptions,
  ): AsyncIterableIterator<T>;
}

/** Base of the resource namespaces (`client.credits`, `client.catalog.webhooks`, …). */
export abstract class APIResource {
  /** The client whose connection pool and settings the calls use. */
  protected readonly _client: Caller;

  /** @param client The owning client. */
  constructor(client: Caller) {
    this._client = client;
  }
}
