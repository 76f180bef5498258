/**
 * {@link APIPromise}: what every API method returns. It is the call's
 * Promise, plus {@link APIPromise.withResponse} for the response behind the
 * result (status, headers, request id), as openai-node and the other
 * Stainless SDKs offer it.
 *
 * @module
 */
import { ConfigurationError } from "./errors";

/** What a successful response said besides its body. */
export interface ResponseInfo {
  /** The HTTP status (2xx). */
  status: number;
  /** The `x-request-id` header, or `null`: quote it to Lasso support about a call that worked. */
  requestId: string | null;
  /** Every header, names lower-cased; a name sent more than once has its values joined by `, `. */
  headers: Record<string, string>;
}

/** The result of {@link APIPromise.withResponse}. */
export interface WithResponse<T> {
  /** What the call resolves to. */
  data: T;
  /** The response it came from. */
  response: ResponseInfo;
}

/** The call's outcome: its data, and its response when it was asked for. */
interface Outcome<T> {
  data: T;
  response: ResponseInfo | null;
}

/**
 * Starts the call; `withResponse` says whether the response's status and
 * headers are wanted too (they cost a little, so they are fetched only then).
 *
 * @internal
 */
export type Starter<T> = (withResponse: boolean) => Promise<Outcome<T>>;

/**
 * The Promise of an API call, with {@link APIPromise.withResponse}.
 *
 * ```ts
 * const table = await client.tables.get(id);                              // the data
 * const { data, response } = await client.tables.get(id).withResponse(); // and the response
 * console.log(response.status, response.requestId, response.headers["content-type"]);
 * ```
 *
 * The request goes out whether or not the Promise is awaited (on the next
 * microtask, so that a `.withResponse()` chained at once is seen first).
 */
export class APIPromise<T> extends Promise<T> {
  readonly #start: Starter<T>;
  #outcome: Promise<Outcome<T>> | undefined;
  #wantsResponse = false;

  /** `then` and friends return plain Promises. */
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  /** @internal */
  constructor(start: Starter<T>) {
    // The base Promise is never observed: `then` is the outcome's.
    super((resolve) => resolve(undefined as T));
    this.#start = start;
    queueMicrotask(() => void this.#started().catch(() => undefined));
  }

  #started(): Promise<Outcome<T>> {
    this.#outcome ??= this.#start(this.#wantsResponse);
    return this.#outcome;
  }

  /**
   * The data together with the response's `status`, `headers` and
   * `requestId`. Chain it to the call itself
   * (`client.tables.get(id).withResponse()`): once the call is under way
   * without it, the response is gone and this rejects with a
   * `ConfigurationError`.
   */
  withResponse(): Promise<WithResponse<T>> {
    if (this.#outcome === undefined) this.#wantsResponse = true;
    return this.#started().then(({ data, response }) => {
      if (response === null) {
        throw new ConfigurationError(
          "withResponse() must be chained to the call (e.g. `await client.tables.get(id).withResponse()`): " +
            "this call was already sent without keeping its response",
        );
      }
      return { data, response };
    });
  }

  /** Settles with the call's data (or its error), as any Promise. */
  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    // `any`, as the standard library types a rejection reason.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#started()
      .then((outcome) => outcome.data)
      .then(onfulfilled, onrejected);
  }

  /** Handles the call's error, as any Promise. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override catch<R = never>(onrejected?: ((reason: any) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onrejected);
  }

  /** Runs once the call settles, as any Promise. */
  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.then().finally(onfinally);
  }
}

/** The native layer's headers (`[name, value]` pairs) as one record. */
export function headerRecord(pairs: ReadonlyArray<ReadonlyArray<string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of pairs) out[name] = Object.hasOwn(out, name) ? `${out[name]}, ${value}` : value;
  return out;
}
