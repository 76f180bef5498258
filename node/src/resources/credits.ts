import type { Balance } from "../types";
import { APIResource, type RequestOptions } from "./base";

/** Credits: the balance of the company that owns the key. */
export class Credits extends APIResource {
  /**
   * `GET /credits/balance`: the current credit balance.
   *
   * @param options Per-request `timeout` (ms) and `maxRetries`.
   * @returns The balance, e.g. `{ balance: 1000, currency: "credits" }`.
   * @throws {AuthenticationError} When the key is revoked or unknown.
   */
  balance(options?: RequestOptions): Promise<Balance> {
    return this._client._call<Balance>("credits.balance", {}, options);
  }
}
