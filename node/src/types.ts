/**
 * Response types. Every object may carry fields newer than this SDK, and
 * enumerations accept values newer than this SDK.
 *
 * @module
 */

/** `GET /credits/balance`. */
export interface Balance {
  /** Credits left; may be fractional. */
  balance: number;
  /** Always `credits` today. */
  currency?: string | null;
  /** Fields newer than this SDK. */
  [field: string]: unknown;
}

/** Status of a table's extraction; values newer than this SDK are passed through. */
export type TableStatus =
  | "queued"
  | "queued_for_processing"
  | "processing"
  | "processing_by_worker"
  | "completed"
  | "failed"
  | "error"
  | "cancelled"
  | (string & {});

/** A table: one extraction job and its rows. */
export interface Table {
  /** Opaque id (`tbl_…` or a UUID). */
  id: string;
  /** Display name. */
  name?: string | null;
  /** The schema the table was created with. */
  schema_id?: string | null;
  /** Extraction status. */
  status: TableStatus;
  /** 0–100. */
  progress?: number | null;
  /** Rows extracted so far. */
  total_rows?: number | null;
  /** `files` or `text`. */
  source_type?: string | null;
  /** Extraction guidance given at creation. */
  additional_context?: string | null;
  /** Default context for enhancements. */
  enhancement_context?: string | null;
  /** Why extraction failed, when it did. */
  error_message?: string | null;
  /** Source files: `{ name, path, size }`. */
  files?: unknown[];
  /** ISO 8601. */
  created_at?: string | null;
  /** ISO 8601. */
  updated_at?: string | null;
  /** Fields newer than this SDK (`locked`, `locked_at`, …). */
  [field: string]: unknown;
}
