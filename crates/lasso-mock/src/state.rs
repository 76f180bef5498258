//! Per-company in-memory state.
//!
//! A sharded map of companies, each behind its own mutex: different companies never
//! contend, and a lock is only ever held for a synchronous closure (never across an
//! `.await`).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock};

use crate::auth::CompanyId;
use crate::catalog_state::CatalogState;
use crate::extraction::Extraction;
use crate::model::Table;

const SHARDS: usize = 16;

/// Everything one company (one API key) owns.
pub struct Company {
    pub balance: f64,
    pub tables: HashMap<String, Table>,
    /// Attributes, glossary, catalog products and catalog webhooks.
    pub catalog: CatalogState,
    /// Schemas, files, table rows and jobs, credit ledger.
    pub extraction: Extraction,
}

impl Company {
    fn seeded(initial_balance: f64) -> Company {
        let sample = Table::sample();
        Company {
            balance: initial_balance,
            tables: HashMap::from([(sample.id.clone(), sample)]),
            catalog: CatalogState::default(),
            extraction: Extraction::seeded(),
        }
    }
}

pub struct CompanyStore {
    shards: [RwLock<HashMap<CompanyId, Mutex<Company>>>; SHARDS],
    initial_balance: f64,
}

impl CompanyStore {
    pub fn new(initial_balance: f64) -> CompanyStore {
        CompanyStore {
            shards: std::array::from_fn(|_| RwLock::default()),
            initial_balance,
        }
    }

    /// Runs `f` on the company's state, seeding it on first use.
    pub fn with<R>(&self, id: CompanyId, f: impl FnOnce(&mut Company) -> R) -> R {
        let shard = &self.shards[id.shard(SHARDS)];
        // Fast path: the company exists, so a shared lock on the shard is enough.
        {
            let companies = shard.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(company) = companies.get(&id) {
                return f(&mut lock(company));
            }
        }
        let mut companies = shard.write().unwrap_or_else(PoisonError::into_inner);
        let company = companies
            .entry(id)
            .or_insert_with(|| Mutex::new(Company::seeded(self.initial_balance)));
        let result = f(&mut lock(company));
        result
    }

    /// Forgets every company; the next request of each starts from the seed again.
    pub fn clear(&self) {
        for shard in &self.shards {
            shard.write().unwrap_or_else(PoisonError::into_inner).clear();
        }
    }
}

/// A panic in one handler must not brick the emulator for the rest of a test run.
fn lock(company: &Mutex<Company>) -> MutexGuard<'_, Company> {
    company.lock().unwrap_or_else(PoisonError::into_inner)
}
