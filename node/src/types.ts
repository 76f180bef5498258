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

/** `pagination` of a page/limit list. */
export interface Pagination {
  /** This page's number, from 1. */
  page: number;
  /** Items per page. */
  limit: number;
  /** Items in the whole list. */
  total: number;
  /** Fields newer than this SDK. */
  [field: string]: unknown;
}

/** One page of a page/limit list (`tables.list`, `tables.rows`, `schemas.list`, …). */
export interface Page<T> {
  /** The items of this page. */
  data: T[];
  /** Where this page is in the list. */
  pagination: Pagination;
  /** Fields newer than this SDK. */
  [field: string]: unknown;
}

/** A column of a schema or table: `{ key, label, type, … }`. */
export interface Column {
  /** snake_case key; row data is keyed by it. */
  key: string;
  /** Display name. */
  label?: string;
  /** `text`, `number`, `enum`, `tags`, `image`, … (values newer than this SDK are passed through). */
  type?: string;
  /** Whether extraction must fill it. */
  required?: boolean | null;
  /** Guidance for extraction. */
  description?: string | null;
  /** The allowed values of an `enum` column. */
  enum_values?: string[] | null;
  /** Fields newer than this SDK (`id`, `kind`, `attribute_id`, …). */
  [field: string]: unknown;
}

/** A schema: the columns an extraction fills. */
export interface Schema {
  /** Opaque id (`schema_…` or a UUID). */
  id: string;
  /** Display name. */
  name?: string;
  /** Description, or `null`. */
  description?: string | null;
  /** Whether it is the company's default schema. */
  is_default?: boolean;
  /** Its columns (not in list items, which carry `columns_count`). */
  columns?: Column[];
  /** Number of columns (list items). */
  columns_count?: number;
  /** ISO 8601. */
  created_at?: string | null;
  /** ISO 8601. */
  updated_at?: string | null;
  /** Fields newer than this SDK. */
  [field: string]: unknown;
}

/** A row of a table. */
export interface Row {
  /** Opaque id (`row_…` or a UUID). */
  id: string;
  /** Position in the table, from 0. */
  row_index?: number;
  /** Values by column key. */
  data: Record<string, unknown>;
  /** `valid`, `warning` or `error`, when validated. */
  validation_status?: string | null;
  /** Per-column validation messages. */
  validation_errors?: unknown;
  /** Per-column enhancement state. */
  enhancement_status?: Record<string, unknown> | null;
  /** Whether a user edited it. */
  is_edited?: boolean;
  /** ISO 8601. */
  created_at?: string | null;
  /** Fields newer than this SDK. */
  [field: string]: unknown;
}

/** `tables.createRows`: the rows inserted. */
export interface CreatedRows {
  /** The new rows (`id`, `row_index`, `data`, `created_at`). */
  data: Row[];
  /** How many were inserted. */
  inserted_count?: number;
  /** Fields newer than this SDK. */
  [field: string]: unknown;
}

/** An uploaded file (`files.upload`, `files.list`). */
export interface FileObject {
  /** Opaque id, for `tables.create({ file_ids })`. */
  id: string;
  /** The stored name. */
  filename?: string;
  /** Bytes. */
  size?: number;
  /** The MIME type. */
  content_type?: string | null;
  /** ISO 8601. */
  created_at?: string | null;
  /** Fields newer than this SDK. */
  [field: string]: unknown;
}

/** A glossary term. */
export interface GlossaryTerm {
  /** Opaque id. */
  id: string;
  /** The term. */
  term: string;
  /** `do_not_translate`, `specific_translation` or `context_dependent`. */
  type?: string;
  /** Whether matching is case-sensitive. */
  case_sensitive?: boolean;
  /** Category, e.g. `brand` (default `custom`). */
  category?: string | null;
  /** Language code → translation. */
  translations?: Record<string, string>;
  /** ISO 8601. */
  created_at?: string | null;
  /** Fields newer than this SDK. */
  [field: string]: unknown;
}

/** An attribute of the company dictionary. */
export interface Attribute {
  /** Opaque id (UUID). */
  id: string;
  /** The key products and columns use. */
  key: string;
  /** Display name. */
  label?: string;
  /** One of the attribute types (values newer than this SDK are passed through). */
  type?: string;
  /** Allowed values of an `enum` attribute. */
  enum_values?: string[] | null;
  /** Suggested values of a `tags` attribute. */
  tags_values?: string[] | null;
  /** Description, or `null`. */
  description?: string | null;
  /** Whether a person reviewed it. */
  is_reviewed?: boolean;
  /** `active` or `archived`. */
  status?: string;
  /** ISO 8601. */
  created_at?: string | null;
  /** ISO 8601. */
  updated_at?: string | null;
  /** Fields newer than this SDK. */
  [field: string]: unknown;
}

/** `attributes.bulkUpsert`: the attributes, in request order. */
export interface AttributeList {
  /** The created or updated attributes. */
  data: Attribute[];
  /** Fields newer than this SDK. */
  [field: string]: unknown;
}

/** A catalog product. */
export interface Product {
  /** Opaque id (UUID). */
  id: string;
  /** Its schema. */
  schema_id?: string | null;
  /** `manual`, `shopify`, `product_extraction`, … */
  source?: string;
  /** `draft`, `active` or `archived`. */
  status?: string;
  /** Values by attribute key. */
  attributes: Record<string, unknown>;
  /** The id in the source system, when imported. */
  external_id?: string | null;
  /** ISO 8601. */
  created_at?: string | null;
  /** ISO 8601. */
  updated_at?: string | null;
  /** ISO 8601, for deleted products in the changes feed. */
  deleted_at?: string | null;
  /** Fields newer than this SDK (`attribute_extensions`, `relations`, …). */
  [field: string]: unknown;
}

/** One page of `catalog.list`. */
export interface ProductPage {
  /** The products of this page. */
  products: Product[];
  /** Pass as `cursor` for the next page; `null` on the last one. */
  next_cursor: string | null;
  /** Fields newer than this SDK. */
  [field: string]: unknown;
}

/** One page of `catalog.changes`. */
export interface ProductChanges extends ProductPage {
  /** Whether another page follows. */
  has_more?: boolean;
  /** Pass as the next `since` once every page was read. */
  sync_timestamp?: string;
}

/** A catalog webhook endpoint. */
export interface WebhookEndpoint {
  /** Opaque id. */
  id: string;
  /** Where events are POSTed. */
  url: string;
  /** The events it receives, e.g. `product.updated`. */
  events: string[];
  /** Display name. */
  name?: string;
  /** Whether deliveries are made. */
  enabled?: boolean;
  /** Description, or `null`. */
  description?: string | null;
  /** The signing secret (`whsec_…`): only in the answer of `create`. */
  secret?: string;
  /** ISO 8601. */
  created_at?: string | null;
  /** ISO 8601. */
  updated_at?: string | null;
  /** Fields newer than this SDK. */
  [field: string]: unknown;
}

/** `catalog.webhooks.list`. */
export interface WebhookEndpointList {
  /** The endpoints, in creation order (never with `secret`). */
  webhooks: WebhookEndpoint[];
  /** Fields newer than this SDK. */
  [field: string]: unknown;
}

/** One result of `search`. */
export interface SearchResult {
  /** Values by column key. */
  data: Record<string, unknown>;
  /** Where it was found. */
  source_url?: string | null;
  /** The source page's title. */
  source_title?: string | null;
  /** 0–1. */
  confidence?: number;
  /** Fields newer than this SDK. */
  [field: string]: unknown;
}

/** `search`: the results (or, with `webhook_url`, `status: "processing"`). */
export interface SearchResponse {
  /** `search_…`. */
  id: string;
  /** `completed`, or `processing` with a `webhook_url`. */
  status?: string;
  /** The query as sent. */
  query?: string;
  /** The products found (synchronous calls). */
  results?: SearchResult[];
  /** Number of results. */
  total_results?: number;
  /** Credits spent. */
  credits_used?: number;
  /** Fields newer than this SDK (`estimated_credits`, …). */
  [field: string]: unknown;
}

/** One enriched item. */
export interface EnrichedItem {
  /** The completed values by column key. */
  data: Record<string, unknown>;
  /** Per-field citations, with `web_search`. */
  basis?: Record<string, unknown>[];
  /** Fields newer than this SDK. */
  [field: string]: unknown;
}

/** `enrich`: the completed items (or, when asynchronous, `status: "processing"`). */
export interface EnrichResponse {
  /** `enrich_…`. */
  id: string;
  /** `completed`, or `processing` when asynchronous. */
  status?: string;
  /** The items, in request order (synchronous calls). */
  items?: EnrichedItem[];
  /** Credits spent. */
  credits_used?: number;
  /** Fields newer than this SDK (`estimated_credits`, …). */
  [field: string]: unknown;
}

/** An entry of the credit ledger (`credits.usage`). */
export interface UsageEntry {
  /** `tx_…`. */
  id: string;
  /** The raw service, e.g. `product_search`. */
  service?: string;
  /** Credits (negative for a charge). */
  amount?: number;
  /** The job it paid for, when any. */
  table_id?: string | null;
  /** What it was for. */
  description?: string | null;
  /** ISO 8601. */
  created_at?: string | null;
  /** Fields newer than this SDK. */
  [field: string]: unknown;
}

/** One page of `credits.usage`. */
export interface UsagePage extends Page<UsageEntry> {
  /** Credits used over the whole filtered period. */
  total_used?: number;
}
