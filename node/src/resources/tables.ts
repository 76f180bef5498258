import type { Table } from "../types";
import { APIResource, type RequestOptions } from "./base";

/** Tables: extraction jobs and their rows. */
export class Tables extends APIResource {
  /**
   * `GET /tables/{table_id}`: one table with its status and progress.
   *
   * @param tableId The table's id (`tbl_…` or a UUID).
   * @param options Per-request `timeout` (ms) and `maxRetries`.
   * @throws {NotFoundError} When the company has no such table.
   */
  get(tableId: string, options?: RequestOptions): Promise<Table> {
    return this._client._call<Table>("tables.get", { table_id: tableId }, options);
  }
}
