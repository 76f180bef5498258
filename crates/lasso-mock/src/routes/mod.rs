//! The emulated `/api/v1` endpoints. Every route goes through [`gated`], which binds
//! it to its operation id and puts authentication, stats and faults in front of it.

pub mod credits;
pub mod fallback;
pub mod tables;

use axum::routing::get;
use axum::Router;

use crate::app::AppState;
use crate::gate::gated;
use crate::operation::Op;

/// Routes relative to the API prefix.
pub fn api() -> Router<AppState> {
    Router::new()
        .route(
            "/credits/balance",
            get(gated(Op::CreditsBalance, credits::balance)),
        )
        .route("/tables/{table_id}", get(gated(Op::TablesGet, tables::get)))
        // Both fallbacks are gated too: auth comes first, then 400/404.
        .method_not_allowed_fallback(gated(Op::Unknown, fallback::wrong_method))
        .fallback(gated(Op::Unknown, fallback::unknown_route))
}
