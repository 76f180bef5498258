/** Per-request options. Durations are in milliseconds. */
export interface RequestOptions {
  /** Time allowed for each attempt of this call. */
  timeout?: number;
  /** Retries after a failed first attempt of this call. */
  maxRetries?: number;
}

/** What a resource calls: the client's operation entry point. */
export interface Caller {
  /** @internal */
  _call<T = unknown>(operation: string, args?: Record<string, unknown>, options?: RequestOptions): Promise<T>;
  /** @internal */
  _iterate<T = unknown>(operation: string, args?: Record<string, unknown>, options?: RequestOptions): AsyncIterableIterator<T>;
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
