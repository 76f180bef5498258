//! The emulated `/api/v1` endpoints, one module per resource. Every route goes
//! through [`gated`], which binds it to its operation id and puts authentication,
//! stats and faults in front of it.

pub mod analytics;
pub mod attributes;
pub mod catalog;
pub mod credits;
pub mod enhance;
pub mod enrich;
pub mod export;
pub mod fallback;
pub mod files;
pub mod glossary;
pub mod rows;
pub mod schemas;
pub mod search;
pub mod tables;
pub mod webhooks;

use axum::routing::{delete, get, patch, post, put};
use axum::Router;

use crate::app::AppState;
use crate::gate::gated;
use crate::operation::Op;

/// Routes relative to the API prefix.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/search", post(gated(Op::Search, search::search)))
        .route("/enrich", post(gated(Op::Enrich, enrich::enrich)))
        .route(
            "/tables",
            get(gated(Op::TablesList, tables::list)).post(gated(Op::TablesCreate, tables::create)),
        )
        .route(
            "/tables/{table_id}",
            get(gated(Op::TablesGet, tables::get))
                .patch(gated(Op::TablesUpdate, tables::update))
                .delete(gated(Op::TablesDelete, tables::delete)),
        )
        .route(
            "/tables/{table_id}/columns",
            get(gated(Op::TablesColumns, tables::columns)),
        )
        .route(
            "/tables/{table_id}/export",
            get(gated(Op::TablesExport, export::export)),
        )
        .route(
            "/tables/{table_id}/rows",
            get(gated(Op::TablesRows, rows::list)).post(gated(Op::TablesCreateRows, rows::create)),
        )
        .route(
            "/tables/{table_id}/rows/{row_id}",
            get(gated(Op::TablesGetRow, rows::get))
                .put(gated(Op::TablesUpdateRow, rows::update))
                .delete(gated(Op::TablesDeleteRow, rows::delete)),
        )
        .route(
            "/tables/{table_id}/rows/bulk-update",
            post(gated(Op::TablesBulkUpdate, rows::bulk_update)),
        )
        .route(
            "/tables/{table_id}/rows/bulk-delete",
            post(gated(Op::TablesBulkDelete, rows::bulk_delete)),
        )
        .route(
            "/tables/{table_id}/rows/{row_id}/traces",
            get(gated(Op::EnhanceTraces, enhance::traces)),
        )
        .route(
            "/tables/{table_id}/enhance",
            post(gated(Op::EnhanceCells, enhance::cells)),
        )
        .route(
            "/tables/{table_id}/enhance/bulk",
            post(gated(Op::EnhanceBulk, enhance::bulk)),
        )
        .route(
            "/tables/{table_id}/enhance/status",
            get(gated(Op::EnhanceStatus, enhance::status)),
        )
        .route(
            "/tables/{table_id}/enhance/cancel",
            post(gated(Op::EnhanceCancel, enhance::cancel)),
        )
        .route(
            "/schemas",
            get(gated(Op::SchemasList, schemas::list)).post(gated(Op::SchemasCreate, schemas::create)),
        )
        .route(
            "/schemas/{schema_id}",
            get(gated(Op::SchemasGet, schemas::get))
                .put(gated(Op::SchemasUpdate, schemas::update))
                .delete(gated(Op::SchemasDelete, schemas::delete)),
        )
        .route(
            "/schemas/generate",
            post(gated(Op::SchemasGenerate, schemas::generate)),
        )
        .route(
            "/attributes",
            get(gated(Op::AttributesList, attributes::list))
                .post(gated(Op::AttributesCreate, attributes::create)),
        )
        .route(
            "/attributes/{key}",
            get(gated(Op::AttributesGet, attributes::get))
                .put(gated(Op::AttributesUpdate, attributes::update))
                .delete(gated(Op::AttributesDelete, attributes::delete)),
        )
        .route(
            "/attributes/{key}/rename",
            post(gated(Op::AttributesRename, attributes::rename)),
        )
        .route(
            "/files",
            get(gated(Op::FilesList, files::list))
                .post(gated(Op::FilesUpload, files::upload))
                // Uploads go up to 1 GB; files::upload enforces that while streaming.
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/files/{file_id}", delete(gated(Op::FilesDelete, files::delete)))
        .route(
            "/glossary",
            get(gated(Op::GlossaryList, glossary::list)).post(gated(Op::GlossaryCreate, glossary::create)),
        )
        .route(
            "/glossary/{term_id}",
            put(gated(Op::GlossaryUpdate, glossary::update))
                .delete(gated(Op::GlossaryDelete, glossary::delete)),
        )
        .route(
            "/credits/balance",
            get(gated(Op::CreditsBalance, credits::balance)),
        )
        .route("/credits/usage", get(gated(Op::CreditsUsage, credits::usage)))
        .route("/credits/stats", get(gated(Op::CreditsStats, credits::stats)))
        .route(
            "/catalog",
            get(gated(Op::CatalogList, catalog::list)).post(gated(Op::CatalogCreate, catalog::create)),
        )
        .route(
            "/catalog/{id}",
            get(gated(Op::CatalogGet, catalog::get))
                .patch(gated(Op::CatalogUpdate, catalog::update))
                .delete(gated(Op::CatalogDelete, catalog::delete)),
        )
        .route("/catalog/lookup", get(gated(Op::CatalogLookup, catalog::lookup)))
        .route(
            "/catalog/changes",
            get(gated(Op::CatalogChanges, catalog::changes)),
        )
        .route(
            "/catalog/webhooks",
            get(gated(Op::CatalogWebhooksList, webhooks::list))
                .post(gated(Op::CatalogWebhooksCreate, webhooks::create)),
        )
        .route(
            "/catalog/webhooks/{id}",
            patch(gated(Op::CatalogWebhooksUpdate, webhooks::update))
                .delete(gated(Op::CatalogWebhooksDelete, webhooks::delete))
                .get(gated(Op::CatalogWebhooksDeliveries, webhooks::deliveries))
                .post(gated(Op::CatalogWebhooksAction, webhooks::action)),
        )
        .route(
            "/analytics/products/summary",
            get(gated(Op::AnalyticsSummary, analytics::summary)),
        )
        .route(
            "/analytics/products/leaderboard",
            get(gated(Op::AnalyticsLeaderboard, analytics::leaderboard)),
        )
        .route(
            "/analytics/products/activity",
            get(gated(Op::AnalyticsActivity, analytics::activity)),
        )
        // Both fallbacks are gated too: auth comes first, then 400/404.
        .method_not_allowed_fallback(gated(Op::Unknown, fallback::wrong_method))
        .fallback(gated(Op::Unknown, fallback::unknown_route))
}
