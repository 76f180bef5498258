//! Shared state and the top-level router: `/api/v1` (authenticated API), `/__mock`
//! (control API) and a 404 for everything else.

use std::ops::Deref;
use std::sync::Arc;

use axum::Router;

use crate::faults::FaultQueue;
use crate::journal::Journal;
use crate::state::CompanyStore;
use crate::stats::Stats;
use crate::{control, routes, MockConfig, API_PREFIX};

/// Everything a request may touch. Each part does its own fine-grained locking, so
/// there is no global lock at all.
pub struct Shared {
    pub companies: CompanyStore,
    pub faults: FaultQueue,
    pub stats: Stats,
    pub journal: Journal,
    /// The keys pinned by `--keys`, if any.
    pub keys: Option<crate::auth::KeyTable>,
    /// Seed, time scale, product catalogue and webhook log of the extraction half.
    pub extraction: crate::extraction::Global,
}

/// Cheap-to-clone handle that axum passes to every handler.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(config: MockConfig) -> AppState {
        AppState(Arc::new(Shared {
            companies: CompanyStore::new(config.initial_balance),
            faults: FaultQueue::new(config.seed),
            stats: Stats::default(),
            journal: Journal::default(),
            keys: config
                .keys
                .as_ref()
                .map(|k| crate::auth::key_table(k).expect("checked by MockServer::start")),
            extraction: crate::extraction::Global::new(&config),
        }))
    }
}

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .nest(API_PREFIX, routes::api())
        .nest("/__mock", control::router())
        .fallback(routes::fallback::unknown_route)
        .with_state(state)
}
