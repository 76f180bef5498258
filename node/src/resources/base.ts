import type { LassoClient, RequestOptions } from "../client";

/** Base of the resource namespaces (`client.credits`, `client.tables`, …). */
export abstract class APIResource {
  /** The client whose connection pool and settings the calls use. */
  protected readonly _client: LassoClient;

  /** @param client The owning client. */
  constructor(client: LassoClient) {
    this._client = client;
  }
}

export type { RequestOptions };
