//! Every API operation, defined once (`shared/lasso-api.md` §2).
//!
//! The Rust, Python and TypeScript methods are generated from this table
//! (`./just codegen`), so a parameter added here shows up in every language;
//! `returns` names the model of [`crate::models`] each one answers with.

use crate::operation::{
    body, body_req, fixed, path, positional, query, query_req, Method, Operation, OptIn, Paging, RequestKind,
    ResponseKind,
    Ty::{Any, Bool, Enum, EnumList, Int, Obj, ObjList, Str, StrList},
};

const PAGE: [crate::operation::Param; 2] = [
    query("page", Int, "Page number, from 1."),
    query("limit", Int, "Items per page, 1–100 (default 25)."),
];

/// The attribute fields `attributes.create` and `attributes.update` share (after
/// `key`, `label` and `type`).
const ATTRIBUTE: [crate::operation::Param; 12] = [
    body(
        "format_output_type",
        Enum("FormatOutputType"),
        "Output type of a `format` attribute; `null` resets it to `text`.",
    )
    .nullable(),
    body("enum_values", StrList, "Allowed values of an `enum`.").nullable(),
    body("tags_values", StrList, "Suggested values of `tags`.").nullable(),
    body(
        "allow_custom_values",
        Bool,
        "Whether editors may add values outside the lists (default true).",
    ),
    body("boolean_config", Obj, "Settings of a `boolean` attribute.").nullable(),
    body(
        "number_config",
        Obj,
        "Unit and formatting of a `number` attribute; `null` clears it.",
    )
    .nullable(),
    body(
        "relation_config",
        Obj,
        "Settings of a `relation` attribute (its kind cannot change).",
    )
    .nullable(),
    body("description", Str, "Description.").nullable(),
    body("validation", Obj, "Validation rules.").nullable(),
    body("language", Str, "Language of its values, e.g. `en`.").nullable(),
    body(
        "image_config",
        Obj,
        "Required format and size of images (`{}` clears them).",
    ),
    body("is_reviewed", Bool, "Mark as reviewed."),
];

/// `GET` → [`Method::Get`]: the table spells methods as HTTP does.
macro_rules! method {
    (GET) => {
        Method::Get
    };
    (POST) => {
        Method::Post
    };
    (PUT) => {
        Method::Put
    };
    (PATCH) => {
        Method::Patch
    };
    (DELETE) => {
        Method::Delete
    };
}

macro_rules! op {
    ($id:literal, $method:ident, $path:literal, $summary:literal, [$($param:expr),* $(,)?] $(, $field:ident = $value:expr)* $(,)?) => {
        Operation {
            id: $id,
            method: method!($method),
            path: $path,
            params: &[$($param),*],
            summary: $summary,
            $($field: $value,)*
            ..Operation::DEFAULT
        }
    };
}

/// Every operation, in documentation order.
pub static OPERATIONS: &[Operation] = &[
    // Search and enrich (billed).
    op!(
        "search",
        POST,
        "/search",
        "Natural-language product search returning rows shaped by a schema (5 credits).",
        [
            body_req(
                "query",
                Str,
                "What to look for; put filters in the text (\"… under $200\")."
            ),
            body(
                "schema_id",
                Str,
                "Shape results by this schema (not with `columns`)."
            ),
            body(
                "columns",
                ObjList,
                "Inline columns `{key, label, type}` (not with `schema_id`)."
            )
            .shape("Column"),
            body("max_results", Int, "1–7 (default 7)."),
            body("model", Str, "Deprecated and ignored by the newer API."),
            body(
                "webhook_url",
                Str,
                "Answer 202 at once and deliver the result to this URL."
            ),
        ],
        billed = true,
        error_in_body = true,
        returns = Some("SearchResponse")
    ),
    op!(
        "enrich",
        POST,
        "/enrich",
        "Complete partial product records, with field-level sources (per-item credits).",
        [
            body_req("items", ObjList, "1–50 items `{data: {...}}` of known values.").shape("EnrichItem"),
            body(
                "schema_id",
                Str,
                "Shape results by this schema (not with `columns`)."
            ),
            body(
                "columns",
                ObjList,
                "Inline columns `{key, label, type}` (not with `schema_id`)."
            )
            .shape("Column"),
            body("context", Str, "Guidance applied to all items."),
            body("model", Str, "Deprecated and ignored by the newer API."),
            body(
                "use_glossary",
                Bool,
                "Apply the company glossary (default false)."
            ),
            body(
                "web_search",
                Bool,
                "Search the web and return `basis` citations (default true)."
            ),
            body(
                "thinking",
                Enum("EnrichThinking"),
                "`hard` (4 credits/item), `medium` (2, default) or `low` (1)."
            ),
            body(
                "webhook_url",
                Str,
                "Answer 202 at once and deliver the result to this URL."
            ),
        ],
        billed = true,
        error_in_body = true,
        returns = Some("EnrichResponse"),
        opt_ins = &[OptIn {
            name: "allow_enrich_without_webhook",
            doc: "Send more than 5 items without a `webhook_url`, which the SDK otherwise refuses: the API \
                  bills such a call and answers 202, and its results can never be fetched.",
        }]
    ),
    // Tables.
    op!(
        "tables.list",
        GET,
        "/tables",
        "List tables (extraction jobs).",
        [
            PAGE[0],
            PAGE[1],
            query("search", Str, "Case-insensitive partial match on the name."),
            query("status", Enum("TableStatus"), "Only tables with this status."),
        ],
        paging = Paging::Page,
        returns = Some("TablePage")
    ),
    op!(
        "tables.create",
        POST,
        "/tables",
        "Create a table and start extraction from files, URLs or text.",
        [
            body_req("schema_id", Str, "Schema whose columns the extraction fills."),
            body_req("name", Str, "Display name."),
            body(
                "file_ids",
                StrList,
                "Ids from `files.upload` (exactly one source)."
            )
            .one_of("TableSource"),
            body("file_urls", StrList, "Public URLs (deprecated by the newer API).").one_of("TableSource"),
            body("source_text", Str, "Raw text to extract from.").one_of("TableSource"),
            body("additional_context", Str, "Extraction guidance."),
            body(
                "enhancement_context",
                Str,
                "Default context for later enhancements."
            ),
            body("webhook_url", Str, "Called when extraction completes."),
        ],
        billed = true,
        returns = Some("Table")
    ),
    op!(
        "tables.get",
        GET,
        "/tables/{table_id}",
        "Get a table with its status and progress.",
        [path("table_id")],
        returns = Some("Table")
    ),
    op!(
        "tables.update",
        PATCH,
        "/tables/{table_id}",
        "Rename a table or change its enhancement context or schema.",
        [
            path("table_id"),
            body("name", Str, "New name."),
            body(
                "enhancement_context",
                Str,
                "Default context for enhancements; `null` clears it."
            )
            .nullable(),
            body(
                "schema_id",
                Str,
                "Schema for later operations (rows are not remapped)."
            ),
        ],
        returns = Some("Table")
    ),
    op!(
        "tables.delete",
        DELETE,
        "/tables/{table_id}",
        "Delete a table, its rows and its job.",
        [path("table_id")],
        response = ResponseKind::Empty
    ),
    op!(
        "tables.columns",
        GET,
        "/tables/{table_id}/columns",
        "Column definitions of a table.",
        [path("table_id")],
        returns = Some("ColumnList")
    ),
    op!(
        "tables.export",
        GET,
        "/tables/{table_id}/export",
        "Export rows as csv, xlsx, json or a zip of images.",
        [
            path("table_id"),
            query_req(
                "format",
                Enum("TableExportFormat"),
                "`csv`, `xlsx`, `json` or `images`."
            ),
            query("columns", Str, "Comma-separated column keys (default: all)."),
        ],
        response = ResponseKind::Binary,
        custom = true
    ),
    // Rows.
    op!(
        "tables.rows",
        GET,
        "/tables/{table_id}/rows",
        "List the rows of a completed table.",
        [
            path("table_id"),
            PAGE[0],
            PAGE[1],
            query("sort_by", Str, "Column key to sort on."),
            query("sort_order", Enum("SortOrder"), "`asc` (default) or `desc`."),
        ],
        paging = Paging::Page,
        returns = Some("RowPage")
    ),
    op!(
        "tables.create_rows",
        POST,
        "/tables/{table_id}/rows",
        "Insert 1–1000 rows (keys must be schema columns).",
        [
            path("table_id"),
            body_req("rows", ObjList, "Objects mapping column keys to values."),
        ],
        returns = Some("CreatedRows")
    ),
    op!(
        "tables.get_row",
        GET,
        "/tables/{table_id}/rows/{row_id}",
        "Get one row.",
        [path("table_id"), path("row_id")],
        returns = Some("Row")
    ),
    op!(
        "tables.update_row",
        PUT,
        "/tables/{table_id}/rows/{row_id}",
        "Merge values into a row (omitted keys are kept).",
        [
            path("table_id"),
            path("row_id"),
            positional("data", Obj, "Column keys to new values."),
        ],
        returns = Some("Row")
    ),
    op!(
        "tables.delete_row",
        DELETE,
        "/tables/{table_id}/rows/{row_id}",
        "Delete a row (idempotent).",
        [path("table_id"), path("row_id")],
        response = ResponseKind::Empty
    ),
    op!(
        "tables.bulk_update",
        POST,
        "/tables/{table_id}/rows/bulk-update",
        "Set one column to one value on many rows.",
        [
            path("table_id"),
            body_req("row_ids", StrList, "Rows to update (unknown ids are ignored)."),
            body_req("column_key", Str, "Column to set."),
            body_req("value", Any, "The value."),
        ],
        returns = Some("BulkUpdateResult")
    ),
    op!(
        "tables.bulk_delete",
        POST,
        "/tables/{table_id}/rows/bulk-delete",
        "Delete many rows.",
        [
            path("table_id"),
            body_req("row_ids", StrList, "Rows to delete (unknown ids are ignored)."),
        ],
        returns = Some("BulkDeleteResult")
    ),
    // Enhance.
    op!(
        "enhance.traces",
        GET,
        "/tables/{table_id}/rows/{row_id}/traces",
        "AI traces of a row's enhanced cells.",
        [
            path("table_id"),
            path("row_id"),
            positional("column_key", Str, "Only this column's traces.")
                .in_query()
                .optional(),
        ],
        returns = Some("TraceList")
    ),
    op!(
        "enhance.cells",
        POST,
        "/tables/{table_id}/enhance",
        "Generate one column's cells over many rows with AI (~2 credits per cell).",
        [
            path("table_id"),
            body_req("row_ids", StrList, "1–1000 rows."),
            body_req("column_key", Str, "Column to fill."),
            body_req(
                "prompt",
                Str,
                "Instruction; may reference other columns as {{column_key}}."
            ),
            body("model", Str, "Deprecated and ignored by the newer API."),
            body("web_search", Bool, "Use web search (default true)."),
            body(
                "target_language",
                Str,
                "ISO language code of the output, e.g. `de`."
            ),
            body(
                "use_glossary",
                Bool,
                "Apply the company glossary (default false)."
            ),
        ],
        billed = true,
        returns = Some("EnhanceJob")
    ),
    op!(
        "enhance.bulk",
        POST,
        "/tables/{table_id}/enhance/bulk",
        "Generate several columns of one row with AI.",
        [
            path("table_id"),
            body_req("row_id", Str, "The row."),
            body_req(
                "columns",
                ObjList,
                "`{key, prompt, model?, web_search?, target_language?}` per column."
            )
            .shape("EnhanceColumn"),
        ],
        billed = true,
        returns = Some("EnhanceJob")
    ),
    op!(
        "enhance.status",
        GET,
        "/tables/{table_id}/enhance/status",
        "Enhancement progress per column.",
        [path("table_id")],
        returns = Some("EnhanceStatus")
    ),
    op!(
        "enhance.cancel",
        POST,
        "/tables/{table_id}/enhance/cancel",
        "Cancel pending and processing enhancement work.",
        [
            path("table_id"),
            positional("column_key", Str, "Only this column.").optional(),
        ],
        returns = Some("CancelResult")
    ),
    // Schemas.
    op!(
        "schemas.list",
        GET,
        "/schemas",
        "List schemas.",
        [PAGE[0], PAGE[1]],
        paging = Paging::Page,
        returns = Some("SchemaPage")
    ),
    op!(
        "schemas.create",
        POST,
        "/schemas",
        "Create a schema.",
        [
            body_req("name", Str, "Display name."),
            body_req(
                "columns",
                ObjList,
                "Column definitions `{key, label, type, required?, description?, enum_values?}`."
            )
            .shape("Column"),
            body("description", Str, "Description."),
            body("is_default", Bool, "Make it the company's default schema."),
        ],
        returns = Some("Schema")
    ),
    op!(
        "schemas.get",
        GET,
        "/schemas/{schema_id}",
        "Get a schema.",
        [path("schema_id")],
        returns = Some("Schema")
    ),
    op!(
        "schemas.update",
        PUT,
        "/schemas/{schema_id}",
        "Update a schema (`columns` replaces the whole list).",
        [
            path("schema_id"),
            body("name", Str, "Display name."),
            body("description", Str, "Description."),
            body("is_default", Bool, "Make it the company's default schema."),
            body("columns", ObjList, "The complete new column list (non-empty).").shape("Column"),
        ],
        returns = Some("Schema")
    ),
    op!(
        "schemas.delete",
        DELETE,
        "/schemas/{schema_id}",
        "Delete a schema.",
        [path("schema_id")],
        response = ResponseKind::Empty
    ),
    op!(
        "schemas.generate",
        POST,
        "/schemas/generate",
        "Generate and save a schema from sample data with AI.",
        [
            body(
                "sample_data",
                Str,
                "Raw text, CSV rows or a description (first 5,000 characters)."
            ),
            body("name", Str, "Name (generated when omitted)."),
        ],
        billed = true,
        returns = Some("Schema")
    ),
    // Attributes.
    op!(
        "attributes.list",
        GET,
        "/attributes",
        "List the company's attribute dictionary.",
        [
            PAGE[0],
            PAGE[1],
            query("search", Str, "Case-insensitive key substring."),
            query("type", Enum("AttributeType"), "Only attributes of this type."),
            query(
                "include_archived",
                Bool,
                "Include archived attributes (sent as `true`)."
            ),
        ],
        paging = Paging::Page,
        returns = Some("AttributePage")
    ),
    op!(
        "attributes.create",
        POST,
        "/attributes",
        "Create an attribute, or update the one with this key.",
        [
            body_req(
                "key",
                Str,
                "Letters, digits, `_` and `/`, starting with a letter or digit."
            ),
            body_req("label", Str, "Display label."),
            body_req("type", Enum("AttributeType"), "Attribute type (immutable)."),
            ATTRIBUTE[0],
            ATTRIBUTE[1],
            ATTRIBUTE[2],
            ATTRIBUTE[3],
            ATTRIBUTE[4],
            ATTRIBUTE[5],
            ATTRIBUTE[6],
            ATTRIBUTE[7],
            ATTRIBUTE[8],
            ATTRIBUTE[9],
            ATTRIBUTE[10],
            ATTRIBUTE[11],
        ],
        returns = Some("Attribute")
    ),
    op!(
        "attributes.bulk_upsert",
        POST,
        "/attributes",
        "Create or update 1–500 attributes atomically.",
        [body_req(
            "attributes",
            ObjList,
            "Attribute definitions, as for `attributes.create`."
        ),],
        returns = Some("AttributeList")
    ),
    op!(
        "attributes.get",
        GET,
        "/attributes/{key}",
        "Get an attribute by key.",
        [path("key")],
        returns = Some("Attribute")
    ),
    op!(
        "attributes.update",
        PUT,
        "/attributes/{key}",
        "Update an attribute (its type cannot change).",
        [
            path("key"),
            body("label", Str, "Display label."),
            ATTRIBUTE[0],
            ATTRIBUTE[1],
            ATTRIBUTE[2],
            ATTRIBUTE[3],
            ATTRIBUTE[4],
            ATTRIBUTE[5],
            ATTRIBUTE[6],
            ATTRIBUTE[7],
            ATTRIBUTE[8],
            ATTRIBUTE[9],
            ATTRIBUTE[10],
            ATTRIBUTE[11],
            body("detach", Bool, "Detach from its sync source."),
            body(
                "expected_updated_at",
                Str,
                "Optimistic lock: 409 `stale_write` when it changed since."
            ),
        ],
        returns = Some("Attribute")
    ),
    op!(
        "attributes.delete",
        DELETE,
        "/attributes/{key}",
        "Delete an attribute.",
        [path("key")],
        response = ResponseKind::Empty
    ),
    op!(
        "attributes.rename",
        POST,
        "/attributes/{key}/rename",
        "Rename an attribute key everywhere it is used.",
        [
            path("key"),
            body_req("new_key", Str, "The new key."),
            body("attribute_id", Str, "Makes a retried rename safe."),
            body(
                "expected_impact_revision",
                Str,
                "Refuse if the impact preview changed."
            ),
        ],
        returns = Some("AttributeRename")
    ),
    // Files.
    op!(
        "files.list",
        GET,
        "/files",
        "List uploaded files.",
        [PAGE[0], PAGE[1]],
        paging = Paging::Page,
        returns = Some("FilePage")
    ),
    op!(
        "files.upload",
        POST,
        "/files",
        "Upload a file (multipart, up to 1 GB).",
        [],
        request = RequestKind::Multipart,
        custom = true,
        returns = Some("FileObject")
    ),
    op!(
        "files.delete",
        DELETE,
        "/files/{file_id}",
        "Delete a file (tables built from it are kept).",
        [path("file_id")],
        response = ResponseKind::Empty
    ),
    // Glossary.
    op!(
        "glossary.list",
        GET,
        "/glossary",
        "List glossary terms.",
        [PAGE[0], PAGE[1]],
        paging = Paging::Page,
        returns = Some("GlossaryPage")
    ),
    op!(
        "glossary.create",
        POST,
        "/glossary",
        "Create a glossary term.",
        [
            body_req("term", Str, "The term."),
            body_req(
                "type",
                Enum("GlossaryTermType"),
                "`do_not_translate`, `specific_translation` or `context_dependent`."
            ),
            body("case_sensitive", Bool, "Match case (default false)."),
            body("category", Str, "Category (default `custom`)."),
            body(
                "translations",
                Obj,
                "Language code → translation (required for `specific_translation`)."
            ),
        ],
        returns = Some("GlossaryTerm")
    ),
    op!(
        "glossary.update",
        PUT,
        "/glossary/{term_id}",
        "Update a glossary term (`translations` replaces all).",
        [
            path("term_id"),
            body("term", Str, "The term."),
            body(
                "type",
                Enum("GlossaryTermType"),
                "`do_not_translate`, `specific_translation` or `context_dependent`."
            ),
            body("case_sensitive", Bool, "Match case."),
            body("category", Str, "Category."),
            body("translations", Obj, "Language code → translation."),
        ],
        returns = Some("GlossaryTerm")
    ),
    op!(
        "glossary.delete",
        DELETE,
        "/glossary/{term_id}",
        "Delete a glossary term.",
        [path("term_id")],
        response = ResponseKind::Empty
    ),
    // Credits.
    op!(
        "credits.balance",
        GET,
        "/credits/balance",
        "Current credit balance.",
        [],
        returns = Some("Balance")
    ),
    op!(
        "credits.usage",
        GET,
        "/credits/usage",
        "Credit ledger: one entry per charge.",
        [
            PAGE[0],
            PAGE[1],
            query("from", Str, "First day, `YYYY-MM-DD`."),
            query("to", Str, "Last day, `YYYY-MM-DD`."),
            query("service", Str, "Only this service (e.g. `product_search`)."),
        ],
        paging = Paging::Page,
        returns = Some("UsagePage")
    ),
    op!(
        "credits.stats",
        GET,
        "/credits/stats",
        "Spending statistics over a period.",
        [
            query_req("from", Str, "First day, `YYYY-MM-DD` (inclusive)."),
            query_req(
                "to",
                Str,
                "Last day, `YYYY-MM-DD` (inclusive, at most 1830 days after `from`)."
            ),
        ],
        returns = Some("CreditStats")
    ),
    // Catalog.
    op!(
        "catalog.list",
        GET,
        "/catalog",
        "List catalog products, newest first.",
        [
            query("page_size", Int, "1–200 (default 50)."),
            query("cursor", Str, "`next_cursor` of the previous page."),
            query(
                "status",
                Enum("ProductStatus"),
                "`draft`, `active` or `archived`."
            ),
            query(
                "source",
                Enum("ProductSource"),
                "`shopify`, `product_extraction` or `manual`."
            ),
            query("search", Str, "Full-text search over text values."),
            query("schema_id", Str, "Only products of this schema."),
            query(
                "sort_field",
                Str,
                "`updated_at` (default), `created_at` or `attr:<key>`."
            ),
            query("sort_dir", Enum("SortOrder"), "`asc` or `desc` (default)."),
            query(
                "attribute_filters",
                Str,
                "JSON-encoded filters, e.g. `{\"color\":\"red\"}`."
            ),
        ],
        paging = Paging::Cursor {
            items: "products",
            size: "page_size"
        },
        returns = Some("ProductPage")
    ),
    op!(
        "catalog.create",
        POST,
        "/catalog",
        "Create a catalog product (a draft).",
        [
            body_req("schema_id", Str, "The product's schema."),
            body_req(
                "attributes",
                Obj,
                "Attribute key → value, validated against the schema."
            ),
            body(
                "attribute_extension_ids",
                StrList,
                "Extra attributes outside the schema."
            ),
        ],
        returns = Some("Product")
    ),
    op!(
        "catalog.get",
        GET,
        "/catalog/{id}",
        "Get a catalog product.",
        [path("id")],
        returns = Some("Product")
    ),
    op!(
        "catalog.update",
        PATCH,
        "/catalog/{id}",
        "Merge attribute values into a product.",
        [
            path("id"),
            body_req("attributes", Obj, "Attribute key → new value (sparse merge)."),
            body(
                "expected_updated_at",
                Str,
                "Optimistic lock: 409 `stale_write` when it changed since."
            ),
            body("attribute_extension_ids", StrList, "Extra attributes to add."),
            body(
                "remove_attribute_extension_ids",
                StrList,
                "Extra attributes to remove."
            ),
        ],
        returns = Some("Product")
    ),
    op!(
        "catalog.delete",
        DELETE,
        "/catalog/{id}",
        "Soft-delete a catalog product.",
        [path("id")],
        returns = Some("DeletedProduct")
    ),
    op!(
        "catalog.lookup",
        GET,
        "/catalog/lookup",
        "Find a product by an exact attribute value.",
        [
            positional("key", Str, "Attribute key, e.g. `sku`.").in_query(),
            positional("value", Str, "Exact value.").in_query(),
        ],
        returns = Some("Product")
    ),
    op!(
        "catalog.changes",
        GET,
        "/catalog/changes",
        "Products changed since a time, oldest first (for sync).",
        [
            query_req(
                "since",
                Str,
                "ISO 8601 time; use the first page's `sync_timestamp` next time."
            ),
            query("page_size", Int, "1–200 (default 100)."),
            query("cursor", Str, "`next_cursor` of the previous page."),
            query("schema_id", Str, "Only products of this schema."),
            query("status", Enum("ProductStatus"), "Only products with this status."),
        ],
        paging = Paging::Cursor {
            items: "products",
            size: "page_size"
        },
        returns = Some("ProductChanges")
    ),
    // Catalog webhooks.
    op!(
        "catalog.webhooks.list",
        GET,
        "/catalog/webhooks",
        "List webhook endpoints (secrets are never listed).",
        [],
        returns = Some("WebhookEndpointList")
    ),
    op!(
        "catalog.webhooks.create",
        POST,
        "/catalog/webhooks",
        "Create a webhook endpoint; the response carries its secret, once.",
        [
            body_req("url", Str, "HTTPS URL receiving the events."),
            body_req(
                "events",
                EnumList("CatalogWebhookEvent"),
                "`product.*` and `attribute.*` events (created, updated, deleted)."
            ),
            body("description", Str, "Description.").nullable(),
            body("name", Str, "Name (default: the URL's host)."),
        ],
        returns = Some("WebhookEndpoint")
    ),
    op!(
        "catalog.webhooks.update",
        PATCH,
        "/catalog/webhooks/{id}",
        "Update a webhook endpoint.",
        [
            path("id"),
            body("url", Str, "HTTPS URL receiving the events."),
            body("events", EnumList("CatalogWebhookEvent"), "Subscribed events."),
            body("enabled", Bool, "Pause or resume deliveries."),
            body("description", Str, "Description; `null` clears it.").nullable(),
            body("name", Str, "Name."),
        ],
        returns = Some("WebhookEndpoint")
    ),
    op!(
        "catalog.webhooks.delete",
        DELETE,
        "/catalog/webhooks/{id}",
        "Delete a webhook endpoint and its history.",
        [path("id")],
        response = ResponseKind::Empty
    ),
    op!(
        "catalog.webhooks.deliveries",
        GET,
        "/catalog/webhooks/{id}",
        "Delivery attempts of an endpoint.",
        [
            path("id"),
            query("limit", Int, "1–100 (default 20)."),
            query("offset", Int, "Attempts to skip (default 0)."),
        ],
        returns = Some("WebhookDeliveryList")
    ),
    op!(
        "catalog.webhooks.test",
        POST,
        "/catalog/webhooks/{id}",
        "Send a `webhook.test` delivery.",
        [path("id"), fixed("action", "test"),],
        returns = Some("WebhookDeliveryResult")
    ),
    op!(
        "catalog.webhooks.redeliver",
        POST,
        "/catalog/webhooks/{id}",
        "Deliver a recorded attempt again.",
        [
            path("id"),
            fixed("action", "redeliver"),
            positional("delivery_record_id", Str, "The attempt's `id` from `deliveries`."),
        ],
        returns = Some("WebhookDeliveryResult")
    ),
    // Product analytics (newer API).
    op!(
        "analytics.summary",
        GET,
        "/analytics/products/summary",
        "Product counts and trends over a period.",
        [
            query_req("from", Str, "First day, `YYYY-MM-DD`."),
            query_req("to", Str, "Last day, `YYYY-MM-DD`."),
            query(
                "scope",
                Enum("SummaryScope"),
                "`all` (default), `catalog` or `extraction`."
            ),
            query(
                "catalog_status",
                Enum("CatalogStatusFilter"),
                "`all` (default), `active`, `draft` or `archived`."
            ),
            query("user_id", Str, "A user's uuid, or `system`."),
            query("schema_id", Str, "Only this schema."),
            query("table_id", Str, "Only this table."),
            query(
                "source",
                Enum("ProductSource"),
                "`manual`, `product_extraction` or `shopify` (scope `catalog` only)."
            ),
        ],
        returns = Some("AnalyticsSummary")
    ),
    op!(
        "analytics.leaderboard",
        GET,
        "/analytics/products/leaderboard",
        "Products per user and table over a period.",
        [
            query_req("from", Str, "First day, `YYYY-MM-DD`."),
            query_req("to", Str, "Last day, `YYYY-MM-DD`."),
            query_req("scope", Enum("AnalyticsScope"), "`catalog` or `extraction`."),
            query(
                "catalog_status",
                Enum("CatalogStatusFilter"),
                "`all` (default), `active`, `draft` or `archived`."
            ),
            query("user_id", Str, "A user's uuid, or `system`."),
            query("schema_id", Str, "Only this schema."),
            query("table_id", Str, "Only this table."),
            query(
                "source",
                Enum("ProductSource"),
                "`manual`, `product_extraction` or `shopify` (scope `catalog` only)."
            ),
        ],
        returns = Some("AnalyticsLeaderboard")
    ),
    op!(
        "analytics.activity",
        GET,
        "/analytics/products/activity",
        "Product activity feed over a period.",
        [
            query_req("from", Str, "First day, `YYYY-MM-DD`."),
            query_req("to", Str, "Last day, `YYYY-MM-DD`."),
            query_req("scope", Enum("AnalyticsScope"), "`catalog` or `extraction`."),
            query("cursor", Str, "`next_cursor` of the previous page."),
            query("limit", Int, "1–100 (default 25)."),
            query(
                "catalog_status",
                Enum("CatalogStatusFilter"),
                "`all` (default), `active`, `draft` or `archived`."
            ),
            query("user_id", Str, "A user's uuid, or `system`."),
            query("schema_id", Str, "Only this schema."),
            query("table_id", Str, "Only this table."),
            query(
                "source",
                Enum("ProductSource"),
                "`manual`, `product_extraction` or `shopify` (scope `catalog` only)."
            ),
        ],
        paging = Paging::Cursor {
            items: "items",
            size: "limit"
        },
        returns = Some("AnalyticsActivity")
    ),
];
