//! Operation ids: the names stats and the request journal use for each emulated
//! endpoint. They are the core SDK's operation ids (`crates/lasso-ai/src/operation.rs`),
//! so a test can compare what the SDK called with what the emulator executed.

/// One emulated API operation (the 54 published and 5 newer ones). The
/// discriminant indexes the stats counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Search,
    Enrich,
    TablesList,
    TablesCreate,
    TablesGet,
    TablesUpdate,
    TablesDelete,
    TablesColumns,
    TablesExport,
    RowsList,
    RowsCreate,
    RowsGet,
    RowsUpdate,
    RowsDelete,
    RowsBulkUpdate,
    RowsBulkDelete,
    RowsTraces,
    EnhanceCells,
    EnhanceBulk,
    EnhanceStatus,
    EnhanceCancel,
    SchemasList,
    SchemasCreate,
    SchemasGet,
    SchemasUpdate,
    SchemasDelete,
    SchemasGenerate,
    AttributesList,
    AttributesCreate,
    AttributesGet,
    AttributesUpdate,
    AttributesDelete,
    AttributesRename,
    FilesList,
    FilesUpload,
    FilesDelete,
    GlossaryList,
    GlossaryCreate,
    GlossaryUpdate,
    GlossaryDelete,
    CreditsBalance,
    CreditsUsage,
    CreditsStats,
    CatalogList,
    CatalogCreate,
    CatalogGet,
    CatalogUpdate,
    CatalogDelete,
    CatalogLookup,
    CatalogChanges,
    WebhooksList,
    WebhooksCreate,
    WebhooksUpdate,
    WebhooksDelete,
    WebhooksDeliveries,
    WebhooksAction,
    AnalyticsSummary,
    AnalyticsLeaderboard,
    AnalyticsActivity,
    /// Authenticated requests that matched no operation (unknown path or method).
    Unknown,
}

impl Op {
    pub const COUNT: usize = 60;
    pub const ALL: [Op; Op::COUNT] = [
        Op::Search,
        Op::Enrich,
        Op::TablesList,
        Op::TablesCreate,
        Op::TablesGet,
        Op::TablesUpdate,
        Op::TablesDelete,
        Op::TablesColumns,
        Op::TablesExport,
        Op::RowsList,
        Op::RowsCreate,
        Op::RowsGet,
        Op::RowsUpdate,
        Op::RowsDelete,
        Op::RowsBulkUpdate,
        Op::RowsBulkDelete,
        Op::RowsTraces,
        Op::EnhanceCells,
        Op::EnhanceBulk,
        Op::EnhanceStatus,
        Op::EnhanceCancel,
        Op::SchemasList,
        Op::SchemasCreate,
        Op::SchemasGet,
        Op::SchemasUpdate,
        Op::SchemasDelete,
        Op::SchemasGenerate,
        Op::AttributesList,
        Op::AttributesCreate,
        Op::AttributesGet,
        Op::AttributesUpdate,
        Op::AttributesDelete,
        Op::AttributesRename,
        Op::FilesList,
        Op::FilesUpload,
        Op::FilesDelete,
        Op::GlossaryList,
        Op::GlossaryCreate,
        Op::GlossaryUpdate,
        Op::GlossaryDelete,
        Op::CreditsBalance,
        Op::CreditsUsage,
        Op::CreditsStats,
        Op::CatalogList,
        Op::CatalogCreate,
        Op::CatalogGet,
        Op::CatalogUpdate,
        Op::CatalogDelete,
        Op::CatalogLookup,
        Op::CatalogChanges,
        Op::WebhooksList,
        Op::WebhooksCreate,
        Op::WebhooksUpdate,
        Op::WebhooksDelete,
        Op::WebhooksDeliveries,
        Op::WebhooksAction,
        Op::AnalyticsSummary,
        Op::AnalyticsLeaderboard,
        Op::AnalyticsActivity,
        Op::Unknown,
    ];

    /// The id shown in `/__mock/stats`.
    pub const fn id(self) -> &'static str {
        match self {
            Op::Search => "search",
            Op::Enrich => "enrich",
            Op::TablesList => "tables.list",
            Op::TablesCreate => "tables.create",
            Op::TablesGet => "tables.get",
            Op::TablesUpdate => "tables.update",
            Op::TablesDelete => "tables.delete",
            Op::TablesColumns => "tables.columns",
            Op::TablesExport => "tables.export",
            Op::RowsList => "tables.rows",
            Op::RowsCreate => "tables.create_rows",
            Op::RowsGet => "tables.get_row",
            Op::RowsUpdate => "tables.update_row",
            Op::RowsDelete => "tables.delete_row",
            Op::RowsBulkUpdate => "tables.bulk_update",
            Op::RowsBulkDelete => "tables.bulk_delete",
            Op::RowsTraces => "enhance.traces",
            Op::EnhanceCells => "enhance.cells",
            Op::EnhanceBulk => "enhance.bulk",
            Op::EnhanceStatus => "enhance.status",
            Op::EnhanceCancel => "enhance.cancel",
            Op::SchemasList => "schemas.list",
            Op::SchemasCreate => "schemas.create",
            Op::SchemasGet => "schemas.get",
            Op::SchemasUpdate => "schemas.update",
            Op::SchemasDelete => "schemas.delete",
            Op::SchemasGenerate => "schemas.generate",
            Op::AttributesList => "attributes.list",
            Op::AttributesCreate => "attributes.create",
            Op::AttributesGet => "attributes.get",
            Op::AttributesUpdate => "attributes.update",
            Op::AttributesDelete => "attributes.delete",
            Op::AttributesRename => "attributes.rename",
            Op::FilesList => "files.list",
            Op::FilesUpload => "files.upload",
            Op::FilesDelete => "files.delete",
            Op::GlossaryList => "glossary.list",
            Op::GlossaryCreate => "glossary.create",
            Op::GlossaryUpdate => "glossary.update",
            Op::GlossaryDelete => "glossary.delete",
            Op::CreditsBalance => "credits.balance",
            Op::CreditsUsage => "credits.usage",
            Op::CreditsStats => "credits.stats",
            Op::CatalogList => "catalog.list",
            Op::CatalogCreate => "catalog.create",
            Op::CatalogGet => "catalog.get",
            Op::CatalogUpdate => "catalog.update",
            Op::CatalogDelete => "catalog.delete",
            Op::CatalogLookup => "catalog.lookup",
            Op::CatalogChanges => "catalog.changes",
            Op::WebhooksList => "catalog.webhooks.list",
            Op::WebhooksCreate => "catalog.webhooks.create",
            Op::WebhooksUpdate => "catalog.webhooks.update",
            Op::WebhooksDelete => "catalog.webhooks.delete",
            Op::WebhooksDeliveries => "catalog.webhooks.deliveries",
            Op::WebhooksAction => "catalog.webhooks.action",
            Op::AnalyticsSummary => "analytics.summary",
            Op::AnalyticsLeaderboard => "analytics.leaderboard",
            Op::AnalyticsActivity => "analytics.activity",
            Op::Unknown => "unknown",
        }
    }

    pub const fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_index_order() {
        for (i, op) in Op::ALL.iter().enumerate() {
            assert_eq!(op.index(), i);
        }
    }

    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<_> = Op::ALL.iter().map(|o| o.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Op::COUNT);
    }
}
