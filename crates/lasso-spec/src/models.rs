//! Every response shape, defined once (`shared/lasso-api.md` §2, checked against `lasso-mock`).
//!
//! This is data, like the operation table: `lasso-codegen` turns it into the Rust
//! structs of `lasso_ai::types`, the Python `TypedDict`s of `lasso.types` and the
//! TypeScript interfaces of `node/src/types.ts`, and each operation names the model
//! it returns ([`crate::operation::Operation::returns`]). Every generated model
//! keeps fields newer than this SDK, and every enumeration accepts values newer than
//! this SDK, so only the fields marked required can make a response fail to decode.

/// The type of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// A string.
    Str,
    /// An integer.
    Int,
    /// A number, possibly fractional.
    Num,
    /// A boolean.
    Bool,
    /// Any JSON value.
    Json,
    /// A JSON object with free-form keys and values.
    Object,
    /// A string enumeration of [`ENUMS`], by name.
    Enum(&'static str),
    /// A model of [`MODELS`], by name.
    Model(&'static str),
    /// A list.
    List(&'static FieldType),
    /// An object keyed by free-form strings with values of one type.
    Map(&'static FieldType),
    /// The item type of a generic model (the `T` of `Page<T>`).
    Item,
}

use FieldType::{Bool, Enum, Int, Item, Json, List, Map, Model as M, Num, Object, Str};

/// One field of a model.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Name on the wire.
    pub name: &'static str,
    /// Its type.
    pub ty: FieldType,
    /// Always present: a response without it fails to decode in Rust.
    pub required: bool,
    /// May be `null`.
    pub nullable: bool,
    /// One line for generated docs.
    pub doc: &'static str,
}

const fn field(name: &'static str, ty: FieldType, required: bool, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        required,
        nullable: false,
        doc,
    }
}

/// A field every response carries.
const fn req(name: &'static str, ty: FieldType, doc: &'static str) -> Field {
    field(name, ty, true, doc)
}

/// A field a response may leave out.
const fn opt(name: &'static str, ty: FieldType, doc: &'static str) -> Field {
    field(name, ty, false, doc)
}

/// A field a response may leave out or set to `null`.
const fn null(name: &'static str, ty: FieldType, doc: &'static str) -> Field {
    Field {
        nullable: true,
        ..field(name, ty, false, doc)
    }
}

impl Field {
    /// The same field, also `null` when present.
    const fn or_null(self) -> Field {
        Field {
            nullable: true,
            ..self
        }
    }
}

/// A response object.
#[derive(Debug, Clone, Copy)]
pub struct Model {
    /// Type name in every language.
    pub name: &'static str,
    /// One line for generated docs.
    pub doc: &'static str,
    /// A model whose fields come first (`Page` for `UsagePage`).
    pub base: Option<&'static str>,
    /// The item type filling the base's [`FieldType::Item`] (`UsageEntry`).
    pub item: Option<&'static str>,
    /// Its own fields, after the base's.
    pub fields: &'static [Field],
}

const fn model(name: &'static str, doc: &'static str, fields: &'static [Field]) -> Model {
    Model {
        name,
        doc,
        base: None,
        item: None,
        fields,
    }
}

/// `{data: [item], pagination}`: a page of a page/limit list.
const fn page_of(name: &'static str, item: &'static str, doc: &'static str) -> Model {
    Model {
        base: Some("Page"),
        item: Some(item),
        ..model(name, doc, &[])
    }
}

impl Model {
    /// Whether it has a type parameter (its fields use [`FieldType::Item`]).
    pub fn is_generic(&self) -> bool {
        fn uses_item(ty: &FieldType) -> bool {
            match ty {
                Item => true,
                List(inner) | Map(inner) => uses_item(inner),
                _ => false,
            }
        }
        self.fields.iter().any(|f| uses_item(&f.ty))
    }

    /// Every field, the base's first, with the item type the base's `Item` stands for.
    pub fn all_fields(&self) -> (Vec<Field>, Option<&'static str>) {
        let mut fields = Vec::new();
        if let Some(base) = self.base.and_then(model_named) {
            fields.extend(base.all_fields().0);
        }
        fields.extend(self.fields.iter().copied());
        (fields, self.item)
    }

    /// The type of the items of a list response: the base's item, or the element
    /// type of the list field `key` (`products` of a catalog page).
    pub fn items_of(&self, key: &str) -> Option<&'static str> {
        if self.item.is_some() {
            return self.item;
        }
        match self.all_fields().0.iter().find(|f| f.name == key)?.ty {
            List(M(name)) => Some(name),
            _ => None,
        }
    }
}

/// A string enumeration; values newer than this SDK are kept as they came.
#[derive(Debug, Clone, Copy)]
pub struct StringEnum {
    /// Type name in every language.
    pub name: &'static str,
    /// One line for generated docs.
    pub doc: &'static str,
    /// Known values on the wire, each with one line of docs.
    pub values: &'static [(&'static str, &'static str)],
}

/// The model with this name, among the responses ([`MODELS`]) and the objects of
/// requests ([`INPUT_MODELS`]).
pub fn model_named(name: &str) -> Option<&'static Model> {
    MODELS.iter().chain(INPUT_MODELS).find(|m| m.name == name)
}

/// Objects inside a request that are no response model: the items of a list
/// parameter with a [`crate::operation::Param::shape`]. Languages with types
/// generate them beside [`MODELS`] (Rust does); the others take plain objects.
pub static INPUT_MODELS: &[Model] = &[
    model(
        "EnrichItem",
        "A record for `enrich`: the values already known.",
        &[req(
            "data",
            Object,
            "Known values by column key (e.g. `name`, `brand`).",
        )],
    ),
    model(
        "EnhanceColumn",
        "A column for `enhance.bulk`: its key and what to generate.",
        &[
            req("key", Str, "The column to fill."),
            req(
                "prompt",
                Str,
                "Instruction; may reference other columns as {{column_key}}.",
            ),
            opt("model", Str, "Deprecated and ignored by the newer API."),
            opt("web_search", Bool, "Use web search (default true)."),
            opt(
                "target_language",
                Str,
                "ISO language code of the output, e.g. `de`.",
            ),
        ],
    ),
];

/// Models a caller builds to send (a schema's columns, enrich records): each with the
/// fields its constructor takes, in order; the request needs them even where a
/// response may lack them (a `Column` needs `label` and `type` to be created).
pub static BUILDABLE: &[(&str, &[&str])] = &[
    ("Column", &["key", "label", "type"]),
    ("EnrichItem", &["data"]),
    ("EnhanceColumn", &["key", "prompt"]),
];

/// The enumeration with this name.
pub fn enum_named(name: &str) -> Option<&'static StringEnum> {
    ENUMS.iter().find(|e| e.name == name)
}

/// Every enumeration.
pub static ENUMS: &[StringEnum] = &[
    StringEnum {
        name: "TableStatus",
        doc: "Status of a table's extraction.",
        values: &[
            ("queued", "Waiting to start."),
            ("queued_for_processing", "Waiting to start (newer API)."),
            ("processing", "Extracting."),
            ("processing_by_worker", "Extracting (newer API)."),
            ("completed", "Done; rows can be read."),
            ("failed", "Extraction failed."),
            ("error", "Extraction failed (newer API)."),
            ("cancelled", "Cancelled (newer API)."),
        ],
    },
    StringEnum {
        name: "ColumnType",
        doc: "Type of a column's values.",
        values: &[
            ("text", "A string."),
            ("number", "An integer or a float."),
            ("url", "A URL."),
            ("email", "An email address."),
            ("date", "A date or date-time string."),
            ("boolean", "A boolean."),
            ("richtext", "HTML or Markdown."),
            ("enum", "One of `enum_values`."),
            ("tags", "A list of strings."),
            ("image", "An image URL."),
            ("images", "A list of image URLs."),
            ("json", "Any JSON."),
            ("runnable", "Computed by a runnable (newer API)."),
            ("format", "Formatted from other columns (newer API)."),
            ("file", "A file (newer API)."),
            ("files", "Files (newer API)."),
            ("relation", "A link to other products (newer API)."),
        ],
    },
    StringEnum {
        name: "ColumnKind",
        doc: "Whether a column is backed by a company attribute.",
        values: &[
            ("attribute", "Backed by an attribute; can go to the catalog."),
            ("helper", "Local to the schema or table."),
        ],
    },
    StringEnum {
        name: "AttributeType",
        doc: "Type of an attribute's values.",
        values: &[
            ("text", "A string."),
            ("number", "An integer or a float."),
            ("url", "A URL."),
            ("email", "An email address."),
            ("date", "A date or date-time string."),
            ("boolean", "A boolean."),
            ("richtext", "HTML or Markdown."),
            ("format", "Formatted from other attributes."),
            ("enum", "One of `enum_values`."),
            ("tags", "A list of strings."),
            ("image", "An image URL."),
            ("images", "A list of image URLs."),
            ("file", "A file."),
            ("files", "Files."),
            ("json", "Any JSON."),
            ("relation", "A link to other products."),
        ],
    },
    StringEnum {
        name: "AttributeStatus",
        doc: "Whether an attribute is in use.",
        values: &[("active", "In use."), ("archived", "Archived.")],
    },
    StringEnum {
        name: "ValidationStatus",
        doc: "Outcome of a row's validation.",
        values: &[
            ("valid", "Every value fits its column."),
            ("warning", "Some values look doubtful."),
            ("error", "Some values do not fit their column."),
        ],
    },
    StringEnum {
        name: "CellStatus",
        doc: "State of one enhanced cell.",
        values: &[
            ("not_run", "Never enhanced."),
            ("pending", "Queued."),
            ("processing", "Being generated."),
            ("success", "Generated."),
            ("error", "Failed."),
        ],
    },
    StringEnum {
        name: "JobStatus",
        doc: "State of a search, enrich or enhancement job.",
        values: &[
            ("queued", "Accepted, not started."),
            ("processing", "Running; results go to the webhook."),
            ("completed", "Done; results are in the response."),
        ],
    },
    StringEnum {
        name: "BasisConfidence",
        doc: "How sure enrich is of a field's value.",
        values: &[("high", "High."), ("medium", "Medium."), ("low", "Low.")],
    },
    StringEnum {
        name: "GlossaryTermType",
        doc: "How the glossary treats a term.",
        values: &[
            ("do_not_translate", "Keep the term as it is."),
            ("specific_translation", "Use the given translations."),
            ("context_dependent", "Translate by context."),
        ],
    },
    StringEnum {
        name: "ProductStatus",
        doc: "Publication state of a catalog product.",
        values: &[
            ("draft", "Not published."),
            ("active", "Published."),
            ("archived", "Archived."),
        ],
    },
    StringEnum {
        name: "ProductSource",
        doc: "Where a catalog product came from.",
        values: &[
            ("shopify", "Imported from Shopify."),
            ("product_extraction", "Sent from an extraction table."),
            ("manual", "Created through the API or by hand."),
        ],
    },
    StringEnum {
        name: "CatalogWebhookEvent",
        doc: "An event a catalog webhook endpoint can receive.",
        values: &[
            ("product.created", "A product was created."),
            ("product.updated", "A product changed."),
            ("product.deleted", "A product was deleted."),
            ("attribute.created", "An attribute was created."),
            ("attribute.updated", "An attribute changed or was renamed."),
            ("attribute.deleted", "An attribute was deleted."),
        ],
    },
    StringEnum {
        name: "WebhookDeliveryEvent",
        doc: "The event of a catalog webhook delivery: a subscribed event or a test.",
        values: &[
            ("product.created", "A product was created."),
            ("product.updated", "A product changed."),
            ("product.deleted", "A product was deleted."),
            ("attribute.created", "An attribute was created."),
            ("attribute.updated", "An attribute changed or was renamed."),
            ("attribute.deleted", "An attribute was deleted."),
            ("webhook.test", "A test delivery (`catalog.webhooks.test`)."),
        ],
    },
    StringEnum {
        name: "AnalyticsScope",
        doc: "Which products an analytics report counts.",
        values: &[
            ("catalog", "Catalog products."),
            ("extraction", "Rows of extraction tables."),
        ],
    },
    StringEnum {
        name: "SummaryScope",
        doc: "Which sections `analytics.summary` reports.",
        values: &[
            ("all", "Catalog and extraction (the default)."),
            ("catalog", "Catalog products only."),
            ("extraction", "Rows of extraction tables only."),
        ],
    },
    StringEnum {
        name: "CatalogStatusFilter",
        doc: "Which catalog products an analytics report counts, by status.",
        values: &[
            ("all", "Active and draft products (the default)."),
            ("active", "Active products."),
            ("draft", "Drafts."),
            ("archived", "Archived products."),
        ],
    },
    StringEnum {
        name: "AvatarKind",
        doc: "Where a user's avatar comes from.",
        values: &[("upload", "An uploaded picture."), ("boring", "A generated one.")],
    },
    StringEnum {
        name: "ActivityClassification",
        doc: "Whether a catalog product of the activity feed is new.",
        values: &[
            ("new", "Created in the period."),
            ("updated_existing", "Existed before and changed in the period."),
        ],
    },
    StringEnum {
        name: "PlanCurrency",
        doc: "Currency of the company's plan.",
        values: &[("CZK", "Czech koruna."), ("EUR", "Euro.")],
    },
    StringEnum {
        name: "TableSourceType",
        doc: "What a table was extracted from.",
        values: &[("files", "Uploaded files."), ("text", "Raw text.")],
    },
    StringEnum {
        name: "FormatOutputType",
        doc: "The type of the values a `format` attribute or column stores.",
        values: &[
            ("text", "A string (the default)."),
            ("number", "A number."),
            ("boolean", "A boolean."),
            ("json", "Any JSON."),
            ("richtext", "HTML or Markdown."),
            ("file", "A file."),
            ("image", "An image URL."),
        ],
    },
    StringEnum {
        name: "AttributeResolutionError",
        doc: "Why a column's attribute could not be read.",
        values: &[("missing_attribute", "The attribute no longer exists.")],
    },
    StringEnum {
        name: "RenameCode",
        doc: "How a rename went in one place the key is used.",
        values: &[("ok", "Renamed.")],
    },
    StringEnum {
        name: "EnrichThinking",
        doc: "How hard `enrich` thinks (and what it costs per item).",
        values: &[
            ("hard", "The most capable model (4 credits per item)."),
            ("medium", "Balanced (2 credits per item, the default)."),
            ("low", "The fastest (1 credit per item)."),
        ],
    },
    StringEnum {
        name: "SortOrder",
        doc: "Direction of a sort.",
        values: &[("asc", "Ascending."), ("desc", "Descending.")],
    },
    StringEnum {
        name: "TableExportFormat",
        doc: "Format of a table export.",
        values: &[
            ("csv", "CSV (`text/csv`)."),
            ("xlsx", "An Excel workbook."),
            ("json", "A JSON array of row objects."),
            ("images", "A ZIP of the images in image columns."),
        ],
    },
];

const ID: Field = req("id", Str, "Opaque id.");
const CREATED_AT: Field = opt("created_at", Str, "ISO 8601.");
const UPDATED_AT: Field = opt("updated_at", Str, "ISO 8601.");
const STRINGS: FieldType = List(&Str);
const ACTOR: FieldType = M("AnalyticsActor");

/// Every model, leaves before the models that use them.
pub static MODELS: &[Model] = &[
    // Lists.
    model(
        "Pagination",
        "`pagination` of a page/limit list.",
        &[
            req("page", Int, "This page's number, from 1."),
            req("limit", Int, "Items per page."),
            req("total", Int, "Items in the whole list."),
        ],
    ),
    model(
        "Page",
        "One page of a page/limit list.",
        &[
            req("data", List(&Item), "The items of this page."),
            req("pagination", M("Pagination"), "Where this page is in the list."),
        ],
    ),
    // Credits.
    model(
        "Balance",
        "`credits.balance`: the credits left.",
        &[
            req("balance", Num, "Credits left; may be fractional."),
            null("currency", Str, "Always `credits` today."),
        ],
    ),
    model(
        "UsageEntry",
        "An entry of the credit ledger.",
        &[
            opt("id", Str, "Opaque id."),
            opt("service", Str, "The raw service, e.g. `product_search`."),
            opt("amount", Num, "Credits (negative for a charge)."),
            null("table_id", Str, "The job it paid for, when any."),
            null("description", Str, "What it was for."),
            CREATED_AT,
        ],
    ),
    Model {
        base: Some("Page"),
        item: Some("UsageEntry"),
        ..model(
            "UsagePage",
            "One page of `credits.usage`.",
            &[opt(
                "total_used",
                Num,
                "Credits used over the whole filtered period.",
            )],
        )
    },
    model(
        "Period",
        "A period of days, both inclusive.",
        &[
            req("from", Str, "First day, `YYYY-MM-DD`."),
            req("to", Str, "Last day, `YYYY-MM-DD`."),
        ],
    ),
    model(
        "CostPerCredit",
        "What one credit costs under the company's plan.",
        &[
            opt("amount", Num, "Price of one credit."),
            opt("currency", Enum("PlanCurrency"), "`CZK` or `EUR`."),
            opt("monthly_fee", Num, "Monthly fee."),
            opt("monthly_credits", Num, "Credits included per month."),
        ],
    ),
    model(
        "SpendingSummary",
        "Totals of `credits.stats`.",
        &[
            opt("total_spent", Num, "Credits spent in the period."),
            opt(
                "previous_period_spent",
                Num,
                "Credits spent in the period before.",
            ),
            null(
                "previous_period_change_pct",
                Num,
                "Change against the period before, in %.",
            ),
            opt("monthly_allocation", Num, "Credits allotted per month."),
            null("period_end", Str, "End of the billing period, ISO 8601."),
            null(
                "cost_per_credit",
                M("CostPerCredit"),
                "Price of a credit, when known.",
            ),
        ],
    ),
    model(
        "DailySpending",
        "Credits spent on one day.",
        &[
            req("date", Str, "`YYYY-MM-DD`."),
            opt("total", Num, "Credits spent."),
            opt("by_module", Map(&Num), "Credits by module."),
            opt("by_user", Map(&Num), "Credits by user id."),
        ],
    ),
    model(
        "ModuleSpending",
        "Credits spent by one module.",
        &[
            opt("module_key", Str, "The module."),
            opt("total", Num, "Credits spent."),
        ],
    ),
    model(
        "ServiceSpending",
        "Credits spent on one service.",
        &[
            opt("service_type", Str, "The raw service."),
            opt("total", Num, "Credits spent."),
        ],
    ),
    model(
        "UserSpending",
        "Credits spent by one user.",
        &[
            null("user_id", Str, "The user, when any."),
            opt("total", Num, "Credits spent."),
        ],
    ),
    model(
        "TableSpending",
        "Credits spent on one table.",
        &[
            null("table_id", Str, "The table, when any."),
            null("name", Str, "Its name."),
            opt("total", Num, "Credits spent."),
            opt("products", Num, "Products enhanced."),
        ],
    ),
    model(
        "LassoSpending",
        "Credits spent on Lasso tables.",
        &[
            opt("credits_spent", Num, "Credits spent."),
            opt("products_enhanced", Num, "Products enhanced."),
            null("credits_per_product", Num, "Average per product."),
            opt("by_table", List(&M("TableSpending")), "Spending by table."),
        ],
    ),
    model(
        "CurrencyConfig",
        "The plan's prices.",
        &[
            null("monthly_fee_czk", Num, "Monthly fee in CZK."),
            null("monthly_fee_eur", Num, "Monthly fee in EUR."),
            null("monthly_credits", Num, "Credits included per month."),
            null("auto_eur", Bool, "Whether prices convert to EUR automatically."),
        ],
    ),
    model(
        "CreditStats",
        "`credits.stats`: spending statistics over a period.",
        &[
            req("period", M("Period"), "The period."),
            opt("summary", M("SpendingSummary"), "Totals."),
            opt("daily", List(&M("DailySpending")), "One entry per day."),
            opt("by_module", List(&M("ModuleSpending")), "Spending by module."),
            opt("by_service", List(&M("ServiceSpending")), "Spending by service."),
            opt("by_user", List(&M("UserSpending")), "Spending by user."),
            opt("lasso", M("LassoSpending"), "Spending on Lasso tables."),
            opt("currency_config", M("CurrencyConfig"), "The plan's prices."),
        ],
    ),
    // Tables, columns and rows.
    model(
        "TableFile",
        "A source file of a table.",
        &[
            opt("name", Str, "File name."),
            opt("path", Str, "Stored path, or the submitted URL."),
            opt("size", Int, "Bytes."),
        ],
    ),
    model(
        "Table",
        "A table: one extraction job and its rows (list items carry fewer fields).",
        &[
            req("id", Str, "Opaque id (`tbl_…` or a UUID)."),
            // Present in every answer, `tables.list` items included (lasso-api.md),
            // so typed as present (Python, TypeScript); still decoded leniently
            // (`Option`, default `None`) in Rust and Kotlin as required-and-nullable.
            req("name", Str, "Display name.").or_null(),
            req("schema_id", Str, "The schema the table was created with.").or_null(),
            req("status", Enum("TableStatus"), "Extraction status."),
            null("progress", Num, "0–100."),
            req("total_rows", Int, "Rows extracted so far.").or_null(),
            null("source_type", Enum("TableSourceType"), "`files` or `text`."),
            null(
                "additional_context",
                Str,
                "Extraction guidance given at creation.",
            ),
            null("enhancement_context", Str, "Default context for enhancements."),
            null("error_message", Str, "Why extraction failed, when it did."),
            opt("files", List(&M("TableFile")), "Source files."),
            CREATED_AT.or_null(),
            UPDATED_AT.or_null(),
            opt("locked", Bool, "Whether work in progress locks it (newer API)."),
            null("locked_at", Str, "Since when it is locked, ISO 8601."),
            null("locked_by", Str, "Who locked it."),
            opt(
                "skipped_source_updates",
                Int,
                "Source updates skipped while it was locked (newer API).",
            ),
            null(
                "last_skipped_source_update_at",
                Str,
                "When a source update was last skipped, ISO 8601 (newer API).",
            ),
        ],
    ),
    page_of("TablePage", "Table", "One page of `tables.list`."),
    model(
        "Column",
        "A column of a schema or table.",
        &[
            req("key", Str, "snake_case key; row data is keyed by it."),
            opt("label", Str, "Display name."),
            opt("type", Enum("ColumnType"), "Type of its values."),
            null("required", Bool, "Whether extraction must fill it."),
            null("description", Str, "Guidance for extraction."),
            null("enum_values", STRINGS, "The allowed values of an `enum` column."),
            opt(
                "id",
                Str,
                "Usage id; keep it when sending the columns back (newer API).",
            ),
            null("attribute_id", Str, "The attribute behind it (newer API)."),
            opt("kind", Enum("ColumnKind"), "`attribute` or `helper` (newer API)."),
            opt(
                "attribute_status",
                Enum("AttributeStatus"),
                "Status of the attribute behind it (newer API).",
            ),
            null(
                "attribute_archived_at",
                Str,
                "When that attribute was archived, ISO 8601 (newer API).",
            ),
            opt(
                "attribute_resolution_error",
                Enum("AttributeResolutionError"),
                "Why that attribute could not be read (newer API).",
            ),
            null(
                "format_output_type",
                Enum("FormatOutputType"),
                "Stored type of a `format` column; `text` when `null` (newer API).",
            ),
            null("language", Str, "Language of its values (newer API)."),
            null(
                "tags_values",
                STRINGS,
                "Suggested values of a `tags` column (newer API).",
            ),
            opt(
                "boolean_config",
                Object,
                "Settings of a `boolean` column (newer API).",
            ),
            null(
                "number_config",
                Object,
                "Unit and formatting of a `number` column (newer API).",
            ),
            opt("validation", Json, "Validation rules (newer API)."),
            opt("image_config", Object, "Settings of an image column (newer API)."),
            opt(
                "runnable_config",
                Object,
                "Settings of a `runnable` column (newer API).",
            ),
            opt(
                "format_config",
                Object,
                "Settings of a `format` column (newer API).",
            ),
            opt("enum_config", Object, "Settings of an `enum` column (newer API)."),
            opt("tags_config", Object, "Settings of a `tags` column (newer API)."),
            null(
                "relation_config",
                Object,
                "Settings of a `relation` column (newer API).",
            ),
            opt(
                "zip_export_config",
                Object,
                "How image exports name this column's files (newer API).",
            ),
            opt("fast_photo_config", Object, "Photo settings (newer API)."),
            opt("content_template", Object, "Content template (newer API)."),
            opt("always_export", Bool, "Always included in exports (newer API)."),
            opt("never_export", Bool, "Never included in exports (newer API)."),
            opt(
                "zip_name_column",
                Str,
                "Column naming the files of image exports (newer API).",
            ),
            opt(
                "content_template_id",
                Str,
                "Content template it uses (newer API).",
            ),
            opt("is_title", Bool, "Whether it is the product's title (newer API)."),
            opt(
                "is_thumbnail",
                Bool,
                "Whether it is the catalog product's thumbnail (newer API).",
            ),
        ],
    ),
    model(
        "ColumnList",
        "`tables.columns`: a table's columns.",
        &[req("data", List(&M("Column")), "The columns, in order.")],
    ),
    model(
        "CellEnhancement",
        "State of one enhanced cell of a row.",
        &[
            opt("status", Enum("CellStatus"), "Its state."),
            null("confidence", Num, "0–1."),
            null("error", Str, "Why it failed."),
        ],
    ),
    model(
        "Row",
        "A row of a table.",
        &[
            req("id", Str, "Opaque id (`row_…` or a UUID)."),
            req("row_index", Int, "Position in the table, from 0.").or_null(),
            req("data", Object, "Values by column key."),
            null(
                "validation_status",
                Enum("ValidationStatus"),
                "Outcome of validation.",
            ),
            null(
                "validation_errors",
                Json,
                "Validation messages (`{column_key, message}` items).",
            ),
            null(
                "enhancement_status",
                Map(&M("CellEnhancement")),
                "Enhancement state by column key.",
            ),
            opt("is_edited", Bool, "Whether a user edited it."),
            CREATED_AT.or_null(),
        ],
    ),
    page_of("RowPage", "Row", "One page of `tables.rows`."),
    model(
        "CreatedRows",
        "`tables.create_rows`: the rows inserted.",
        &[
            req("data", List(&M("Row")), "The new rows."),
            opt("inserted_count", Int, "How many were inserted."),
        ],
    ),
    model(
        "BulkUpdateResult",
        "`tables.bulk_update`: how many rows changed.",
        &[opt("updated_count", Int, "Rows updated.")],
    ),
    model(
        "BulkDeleteResult",
        "`tables.bulk_delete`: how many rows went.",
        &[opt("deleted_count", Int, "Rows deleted.")],
    ),
    // Enhance.
    model(
        "EnhanceJob",
        "`enhance.cells` and `enhance.bulk`: the queued work.",
        &[
            req("id", Str, "`enhance_…`."),
            opt("status", Enum("JobStatus"), "`queued` or `processing`."),
            req("estimated_credits", Num, "Credits it is expected to cost.").or_null(),
            opt("rows_queued", Int, "Rows queued."),
        ],
    ),
    model(
        "ColumnProgress",
        "Enhancement progress of one column.",
        &[
            opt("total", Int, "Cells in the run."),
            opt("completed", Int, "Cells generated."),
            opt("failed", Int, "Cells that failed."),
            opt("pending", Int, "Cells waiting."),
            opt("processing", Int, "Cells being generated."),
        ],
    ),
    model(
        "EnhanceStatus",
        "`enhance.status`: progress per column (done when `completed + failed == total`).",
        &[opt(
            "columns",
            Map(&M("ColumnProgress")),
            "Progress by column key.",
        )],
    ),
    model(
        "CancelResult",
        "`enhance.cancel`: how much work was cancelled.",
        &[opt("cancelled_count", Int, "Cells cancelled.")],
    ),
    model(
        "TraceRequest",
        "What the model was asked.",
        &[
            null("system_prompt", Str, "The system prompt."),
            null("user_content", Str, "The user message."),
            opt("tools", STRINGS, "Tools it could use."),
        ],
    ),
    model(
        "ToolCall",
        "One tool call of a trace.",
        &[
            opt("tool", Str, "The tool."),
            null("input", Json, "What it was given."),
            null("output", Json, "What it returned."),
        ],
    ),
    model(
        "TraceSource",
        "A source a trace cites.",
        &[opt("url", Str, "Its URL."), null("title", Str, "Its title.")],
    ),
    model(
        "TraceResponse",
        "What the model answered.",
        &[
            null("text", Str, "The answer."),
            opt("iterations", Int, "Model turns."),
            opt("tool_calls", List(&M("ToolCall")), "Tool calls, in order."),
            null("thought_summary", Str, "Summary of its reasoning."),
            opt("sources", List(&M("TraceSource")), "Sources it used."),
        ],
    ),
    model(
        "Trace",
        "The AI trace of one enhanced cell.",
        &[
            opt("column_key", Str, "The cell's column."),
            null("model", Str, "The model used."),
            null("confidence", Num, "0–1."),
            opt("request", M("TraceRequest"), "What the model was asked."),
            opt("response", M("TraceResponse"), "What it answered."),
        ],
    ),
    model(
        "TraceList",
        "`enhance.traces`: the traces of a row.",
        &[req("data", List(&M("Trace")), "One trace per enhanced cell.")],
    ),
    // Schemas.
    model(
        "Schema",
        "A schema: the columns an extraction fills.",
        &[
            req("id", Str, "Opaque id (`schema_…` or a UUID)."),
            req("name", Str, "Display name."),
            null("description", Str, "Description."),
            opt("is_default", Bool, "Whether it is the company's default schema."),
            opt("columns", List(&M("Column")), "Its columns (not in list items)."),
            opt("columns_count", Int, "Number of columns (list items)."),
            CREATED_AT.or_null(),
            UPDATED_AT.or_null(),
        ],
    ),
    page_of("SchemaPage", "Schema", "One page of `schemas.list`."),
    // Attributes.
    model(
        "Attribute",
        "An attribute of the company dictionary.",
        &[
            req("id", Str, "Opaque id (UUID)."),
            req("key", Str, "The key products and columns use."),
            opt("label", Str, "Display name."),
            opt("type", Enum("AttributeType"), "Type of its values."),
            null(
                "format_output_type",
                Enum("FormatOutputType"),
                "Output type of a `format` attribute.",
            ),
            null("enum_values", STRINGS, "Allowed values of an `enum` attribute."),
            null("tags_values", STRINGS, "Suggested values of a `tags` attribute."),
            opt(
                "allow_custom_values",
                Bool,
                "Whether values outside the lists are allowed.",
            ),
            null("boolean_config", Json, "Settings of a `boolean` attribute."),
            null("number_config", Json, "Settings of a `number` attribute."),
            null("relation_config", Json, "Settings of a `relation` attribute."),
            null("description", Str, "Description."),
            null("validation", Json, "Validation rules."),
            null("language", Str, "Language of its values."),
            null("image_config", Json, "Settings of an image attribute."),
            opt("status", Enum("AttributeStatus"), "`active` or `archived`."),
            null("archived_at", Str, "When it was archived, ISO 8601."),
            opt("is_reviewed", Bool, "Whether a person reviewed it."),
            null("source_id", Str, "The sync source it comes from."),
            null("external_id", Str, "Its id in the sync source."),
            null("source_synced_at", Str, "Last sync, ISO 8601."),
            CREATED_AT.or_null(),
            UPDATED_AT.or_null(),
        ],
    ),
    page_of("AttributePage", "Attribute", "One page of `attributes.list`."),
    model(
        "AttributeList",
        "`attributes.bulk_upsert`: the attributes, in request order.",
        &[req(
            "data",
            List(&M("Attribute")),
            "The created or updated attributes.",
        )],
    ),
    model(
        "RenameStep",
        "How a rename went in one place the key is used.",
        &[
            opt("updated", Int, "Records updated."),
            opt("errors", List(&Json), "Failures."),
            opt("error_count", Int, "Number of failures."),
            opt("code", Enum("RenameCode"), "`ok`, or why it failed."),
        ],
    ),
    model(
        "AttributeRename",
        "`attributes.rename`: the renamed attribute and where the key changed.",
        &[
            opt("success", Bool, "Whether the rename went through."),
            opt(
                "partial",
                Bool,
                "Always false in the newer API (renames are atomic).",
            ),
            opt("old_key", Str, "The key before."),
            opt("new_key", Str, "The key now."),
            opt("updated_count", Int, "Records updated everywhere."),
            opt("error_count", Int, "Failures everywhere."),
            opt("attribute", M("Attribute"), "The attribute as it is now."),
            opt(
                "results",
                Map(&M("RenameStep")),
                "Outcome by place (`schemas`, `catalog_products`, …).",
            ),
        ],
    ),
    // Files and glossary.
    model(
        "FileObject",
        "An uploaded file.",
        &[
            req("id", Str, "Opaque id, for `tables.create(file_ids=…)`."),
            req("filename", Str, "The stored name.").or_null(),
            req("size", Int, "Bytes.").or_null(),
            null("content_type", Str, "The MIME type."),
            CREATED_AT.or_null(),
        ],
    ),
    page_of("FilePage", "FileObject", "One page of `files.list`."),
    model(
        "GlossaryTerm",
        "A glossary term.",
        &[
            ID,
            req("term", Str, "The term."),
            opt("type", Enum("GlossaryTermType"), "How translation treats it."),
            opt("case_sensitive", Bool, "Whether matching is case-sensitive."),
            null("category", Str, "Category, e.g. `brand` (default `custom`)."),
            opt("translations", Map(&Str), "Language code → translation."),
            CREATED_AT.or_null(),
        ],
    ),
    page_of("GlossaryPage", "GlossaryTerm", "One page of `glossary.list`."),
    // Search and enrich.
    model(
        "SearchResult",
        "One result of `search`.",
        &[
            opt("data", Object, "Values by column key."),
            null("source_url", Str, "Where it was found."),
            null("source_title", Str, "The source page's title."),
            opt("confidence", Num, "0–1."),
        ],
    ),
    model(
        "SearchResponse",
        "`search`: the results (or, with `webhook_url`, `status: \"processing\"`).",
        &[
            opt("id", Str, "`search_…` (absent when `error` says why it failed)."),
            opt(
                "status",
                Enum("JobStatus"),
                "`completed`, or `processing` with a `webhook_url`.",
            ),
            opt("query", Str, "The query as sent."),
            opt(
                "results",
                List(&M("SearchResult")),
                "The products found (synchronous calls).",
            ),
            opt("total_results", Int, "Number of results."),
            opt("credits_used", Num, "Credits spent."),
            opt(
                "estimated_credits",
                Num,
                "Credits it will cost (asynchronous calls).",
            ),
            null("error", Str, "A failure reported with HTTP 200 (newer API)."),
        ],
    ),
    model(
        "Citation",
        "A source backing an enriched value.",
        &[
            opt("url", Str, "Its URL."),
            null("title", Str, "Its title."),
            null("excerpt", Str, "The passage used."),
        ],
    ),
    model(
        "FieldBasis",
        "Why enrich chose a field's value.",
        &[
            opt("field", Str, "The field."),
            opt("citations", List(&M("Citation")), "Sources."),
            null("reasoning", Str, "The reasoning."),
            opt(
                "confidence",
                Enum("BasisConfidence"),
                "`high`, `medium` or `low`.",
            ),
        ],
    ),
    model(
        "EnrichedItem",
        "One enriched item.",
        &[
            opt("data", Object, "The completed values by column key."),
            opt(
                "basis",
                List(&M("FieldBasis")),
                "Per-field citations, with `web_search`.",
            ),
        ],
    ),
    model(
        "EnrichResponse",
        "`enrich`: the completed items (or, when asynchronous, `status: \"processing\"`).",
        &[
            opt("id", Str, "`enrich_…` (absent when `error` says why it failed)."),
            opt(
                "status",
                Enum("JobStatus"),
                "`completed`, or `processing` when asynchronous.",
            ),
            opt(
                "items",
                List(&M("EnrichedItem")),
                "The items, in request order (synchronous calls).",
            ),
            opt("credits_used", Num, "Credits spent."),
            opt(
                "estimated_credits",
                Num,
                "Credits it will cost (asynchronous calls).",
            ),
            null("error", Str, "A failure reported with HTTP 200 (newer API)."),
        ],
    ),
    // Catalog.
    model(
        "AttributeExtension",
        "An attribute a product carries outside its schema.",
        &[
            opt("attribute_id", Str, "The attribute."),
            opt("key", Str, "Its key."),
        ],
    ),
    model(
        "Product",
        "A catalog product.",
        &[
            req("id", Str, "Opaque id (UUID)."),
            opt("company_id", Str, "The owning company."),
            null("schema_id", Str, "Its schema."),
            opt("source", Enum("ProductSource"), "Where it came from."),
            opt(
                "status",
                Enum("ProductStatus"),
                "`draft`, `active` or `archived`.",
            ),
            req("attributes", Object, "Values by attribute key."),
            opt(
                "attribute_extensions",
                List(&M("AttributeExtension")),
                "Attributes outside the schema.",
            ),
            null("external_id", Str, "The id in the source system, when imported."),
            null("relations", Json, "Linked products (`catalog.get` only)."),
            CREATED_AT.or_null(),
            UPDATED_AT.or_null(),
            null(
                "deleted_at",
                Str,
                "ISO 8601, for deleted products in the changes feed.",
            ),
        ],
    ),
    model(
        "ProductPage",
        "One page of `catalog.list`.",
        &[
            req("products", List(&M("Product")), "The products of this page."),
            req(
                "next_cursor",
                Str,
                "Pass as `cursor` for the next page; `null` on the last one.",
            )
            .or_null(),
        ],
    ),
    Model {
        base: Some("ProductPage"),
        ..model(
            "ProductChanges",
            "One page of `catalog.changes`.",
            &[
                opt("has_more", Bool, "Whether another page follows."),
                opt(
                    "sync_timestamp",
                    Str,
                    "Pass as the next `since` once every page was read.",
                ),
            ],
        )
    },
    model(
        "DeletedProduct",
        "`catalog.delete`: the product soft-deleted.",
        &[req("deleted", Bool, "Always true."), ID],
    ),
    // Catalog webhooks.
    model(
        "WebhookEndpoint",
        "A catalog webhook endpoint.",
        &[
            ID,
            req("url", Str, "Where events are POSTed."),
            req(
                "events",
                List(&Enum("CatalogWebhookEvent")),
                "The events it receives.",
            ),
            opt("name", Str, "Display name."),
            opt("enabled", Bool, "Whether deliveries are made."),
            null("description", Str, "Description."),
            opt(
                "secret",
                Str,
                "The signing secret (`whsec_…`): only in the answer of `create`.",
            ),
            opt("company_id", Str, "The owning company."),
            CREATED_AT.or_null(),
            UPDATED_AT.or_null(),
        ],
    ),
    model(
        "WebhookEndpointList",
        "`catalog.webhooks.list`.",
        &[req(
            "webhooks",
            List(&M("WebhookEndpoint")),
            "The endpoints (never with `secret`).",
        )],
    ),
    model(
        "WebhookDelivery",
        "One delivery attempt (metadata only).",
        &[
            ID,
            opt("endpoint_id", Str, "The endpoint."),
            opt(
                "delivery_id",
                Str,
                "Logical delivery id, the same across redeliveries.",
            ),
            opt("attempt_number", Int, "1 for the first attempt."),
            opt(
                "event",
                Enum("WebhookDeliveryEvent"),
                "The event, or `webhook.test`.",
            ),
            null(
                "status_code",
                Int,
                "The endpoint's HTTP status, when it answered.",
            ),
            null("error", Str, "Why the attempt failed."),
            null("duration_ms", Int, "How long it took."),
            null("delivered_at", Str, "ISO 8601."),
            opt("is_test", Bool, "Whether it was a `webhook.test` delivery."),
            null("redelivered_from", Str, "The attempt it repeats."),
        ],
    ),
    model(
        "WebhookDeliveryList",
        "`catalog.webhooks.deliveries`.",
        &[req(
            "deliveries",
            List(&M("WebhookDelivery")),
            "Attempts, newest first.",
        )],
    ),
    model(
        "WebhookDeliveryResult",
        "`catalog.webhooks.test` and `redeliver`: the attempt made.",
        &[req("delivery", M("WebhookDelivery"), "The attempt.")],
    ),
    // Product analytics (newer API).
    model(
        "AnalyticsFilters",
        "The filters an analytics report applied.",
        &[
            opt(
                "catalog_status",
                Enum("CatalogStatusFilter"),
                "`all`, `active`, `draft` or `archived`.",
            ),
            null("user_id", Str, "A user's uuid, or `system`."),
            null("schema_id", Str, "Only this schema."),
            null("table_id", Str, "Only this table."),
            null("source", Enum("ProductSource"), "Only this product source."),
        ],
    ),
    model(
        "AnalyticsActor",
        "A user (or the system) in analytics.",
        &[
            null("id", Str, "The user's uuid; `null` for the system."),
            opt("name", Str, "Display name."),
            null("email", Str, "Email."),
            null("avatar_url", Str, "Avatar URL."),
            null("avatar_kind", Enum("AvatarKind"), "`upload` or `boring`."),
            null("avatar_config", Json, "Avatar settings."),
            null("avatar_storage_path", Str, "Stored avatar path."),
            null("permission_preset", Str, "Current permission preset."),
            opt("is_former_member", Bool, "Whether the user left the company."),
        ],
    ),
    model(
        "AnalyticsUserRow",
        "One user's counts (catalog or extraction fields, by scope).",
        &[
            req("user", ACTOR, "The user."),
            opt("unique_products", Int, "Distinct products touched (catalog)."),
            opt("new_products", Int, "Products created (catalog)."),
            opt("updated_existing", Int, "Existing products changed (catalog)."),
            opt("total_actions", Int, "Actions (catalog)."),
            opt("products_prepared", Int, "Rows extracted (extraction)."),
            opt("tables", Int, "Tables (extraction)."),
        ],
    ),
    model(
        "AnalyticsTableRow",
        "One table's counts (extraction).",
        &[
            opt("table_id", Str, "The table."),
            opt("table_name", Str, "Its name."),
            opt("initiator", ACTOR, "Who started it."),
            opt("products_prepared", Int, "Rows extracted."),
        ],
    ),
    model(
        "CatalogCounts",
        "Catalog products by status, now.",
        &[
            opt("all_live", Int, "Not deleted."),
            opt("active", Int, "Active."),
            opt("draft", Int, "Drafts."),
            opt("archived", Int, "Archived."),
        ],
    ),
    model(
        "CatalogActivityCounts",
        "Catalog activity over a period or a day.",
        &[
            opt("date", Str, "`YYYY-MM-DD` (daily entries)."),
            opt("unique_products", Int, "Distinct products touched."),
            opt("new_products", Int, "Products created."),
            opt("updated_existing", Int, "Existing products changed."),
            opt("total_actions", Int, "Actions (period totals)."),
        ],
    ),
    model(
        "CatalogAnalytics",
        "Catalog section of `analytics.summary`.",
        &[
            opt("summary", M("CatalogActivityCounts"), "Totals over the period."),
            opt("current", M("CatalogCounts"), "Products by status, now."),
            opt("daily", List(&M("CatalogActivityCounts")), "One entry per day."),
            opt("by_user", List(&M("AnalyticsUserRow")), "Counts by user."),
        ],
    ),
    model(
        "ExtractionCounts",
        "Extraction activity over a period or a day.",
        &[
            opt("date", Str, "`YYYY-MM-DD` (daily entries)."),
            opt("products_prepared", Int, "Rows extracted."),
            opt("tables", Int, "Tables (period totals)."),
        ],
    ),
    model(
        "ExtractionAnalytics",
        "Extraction section of `analytics.summary`.",
        &[
            opt("summary", M("ExtractionCounts"), "Totals over the period."),
            opt("daily", List(&M("ExtractionCounts")), "One entry per day."),
            opt("by_user", List(&M("AnalyticsUserRow")), "Counts by user."),
            opt("by_table", List(&M("AnalyticsTableRow")), "Counts by table."),
        ],
    ),
    model(
        "AnalyticsSummary",
        "`analytics.summary`: product counts and trends.",
        &[
            req("period", M("Period"), "The period."),
            opt("filters", M("AnalyticsFilters"), "The filters applied."),
            opt(
                "catalog",
                M("CatalogAnalytics"),
                "Catalog figures (scopes `all` and `catalog`).",
            ),
            opt(
                "extraction",
                M("ExtractionAnalytics"),
                "Extraction figures (scopes `all` and `extraction`).",
            ),
        ],
    ),
    model(
        "AnalyticsLeaderboard",
        "`analytics.leaderboard`: products per user and table.",
        &[
            req("period", M("Period"), "The period."),
            opt("filters", M("AnalyticsFilters"), "The filters applied."),
            opt("scope", Enum("AnalyticsScope"), "`catalog` or `extraction`."),
            opt("by_user", List(&M("AnalyticsUserRow")), "Counts by user."),
            opt(
                "by_table",
                List(&M("AnalyticsTableRow")),
                "Counts by table (extraction).",
            ),
        ],
    ),
    model(
        "AnalyticsActivityItem",
        "One product of the activity feed (catalog or extraction fields, by scope).",
        &[
            ID,
            opt("name", Str, "Product name."),
            null("identity", Str, "Identifying value, e.g. a SKU (catalog)."),
            opt("status", Enum("ProductStatus"), "Product status (catalog)."),
            opt("source", Enum("ProductSource"), "Product source (catalog)."),
            null("schema_id", Str, "Its schema (catalog)."),
            opt(
                "classification",
                Enum("ActivityClassification"),
                "`new` or `updated_existing` (catalog).",
            ),
            null("first_activity_at", Str, "ISO 8601 (catalog)."),
            null("last_activity_at", Str, "ISO 8601."),
            opt("action_count", Int, "Actions (catalog)."),
            opt("contributors", List(&ACTOR), "Who acted (catalog)."),
            opt("row_index", Int, "Row position (extraction)."),
            null("source_file", Str, "File it was extracted from (extraction)."),
            opt("table_id", Str, "The table (extraction)."),
            opt("table_name", Str, "Its name (extraction)."),
            opt("initiator", ACTOR, "Who started the extraction (extraction)."),
        ],
    ),
    model(
        "AnalyticsActivity",
        "One page of `analytics.activity`.",
        &[
            opt("scope", Enum("AnalyticsScope"), "`catalog` or `extraction`."),
            req(
                "items",
                List(&M("AnalyticsActivityItem")),
                "The products of this page.",
            ),
            req(
                "next_cursor",
                Str,
                "Pass as `cursor` for the next page; `null` on the last one.",
            )
            .or_null(),
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{Paging, ResponseKind, OPERATIONS};

    fn check_type(owner: &str, ty: &FieldType, generic: bool) {
        match ty {
            Enum(name) => assert!(enum_named(name).is_some(), "{owner}: no enum {name}"),
            M(name) => assert!(model_named(name).is_some(), "{owner}: no model {name}"),
            List(inner) | Map(inner) => check_type(owner, inner, generic),
            Item => assert!(generic, "{owner}: `Item` outside a generic model"),
            _ => {}
        }
    }

    #[test]
    fn names_are_unique_and_every_reference_resolves() {
        let mut names: Vec<_> = MODELS
            .iter()
            .chain(INPUT_MODELS)
            .map(|m| m.name)
            .chain(ENUMS.iter().map(|e| e.name))
            .collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count, "a name is used twice");
        for m in MODELS.iter().chain(INPUT_MODELS) {
            let (fields, item) = m.all_fields();
            if let Some(base) = m.base {
                let base = model_named(base).unwrap_or_else(|| panic!("{}: no base {base}", m.name));
                assert_eq!(
                    base.is_generic(),
                    item.is_some(),
                    "{}: an item needs a generic base",
                    m.name
                );
            }
            for f in &fields {
                check_type(m.name, &f.ty, m.is_generic() || item.is_some());
            }
            let mut keys: Vec<_> = fields.iter().map(|f| f.name).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), fields.len(), "{}: a field is listed twice", m.name);
        }
    }

    #[test]
    fn every_json_operation_returns_a_model_and_every_list_names_its_items() {
        for op in OPERATIONS.iter().filter(|op| op.response == ResponseKind::Json) {
            let returns = op.returns.unwrap_or_else(|| panic!("{} returns no model", op.id));
            let model = model_named(returns).unwrap_or_else(|| panic!("{}: no model {returns}", op.id));
            assert!(!model.is_generic(), "{}: returns a generic model", op.id);
            let items = match op.paging {
                Paging::None => continue,
                Paging::Page => model.items_of("data"),
                Paging::Cursor { items, .. } => model.items_of(items),
            };
            assert!(items.is_some(), "{}: {returns} has no item type", op.id);
        }
    }

    #[test]
    fn shapes_name_a_model_and_builders_name_its_fields() {
        for op in OPERATIONS {
            for p in op.params {
                if let Some(shape) = p.shape {
                    assert!(
                        model_named(shape).is_some(),
                        "{}: {}: no model {shape}",
                        op.id,
                        p.name
                    );
                    assert_eq!(p.ty, crate::operation::Ty::ObjList, "{}: {}", op.id, p.name);
                }
                if p.one_of.is_some() {
                    assert!(
                        !p.required && !p.positional,
                        "{}: {}: a choice is optional and named",
                        op.id,
                        p.name
                    );
                }
            }
        }
        for (name, fields) in BUILDABLE {
            let model = model_named(name).unwrap_or_else(|| panic!("no model {name}"));
            for f in *fields {
                assert!(model.fields.iter().any(|m| m.name == *f), "{name}: no field {f}");
            }
        }
    }
}
