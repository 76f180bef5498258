//! Catalog webhook events (lasso-api.md §1.8 B): one signed POST per enabled,
//! subscribed endpoint, one attempt, each attempt recorded in the endpoint's
//! delivery history.

use std::sync::Arc;

use serde_json::Value;
use uuid::Uuid;

use super::send::{deliver, payload};
use crate::app::AppState;
use crate::auth::CompanyId;
use crate::catalog_state::{CatalogState, DeliveryRecord};
use crate::clock::now_iso;

/// An endpoint an event goes to.
#[derive(Clone, Debug)]
pub struct Target {
    pub endpoint_id: String,
    pub url: String,
    pub secret: String,
}

/// An event to deliver to its targets (computed under the company lock).
#[derive(Debug)]
pub struct Event {
    pub name: &'static str,
    pub data: Value,
    pub targets: Vec<Target>,
}

impl CatalogState {
    /// Enabled endpoints subscribed to `event`.
    pub fn targets(&self, event: &str) -> Vec<Target> {
        self.webhooks
            .iter()
            .filter(|w| w.enabled && w.events.iter().any(|e| e == event))
            .map(|w| Target {
                endpoint_id: w.id.clone(),
                url: w.url.clone(),
                secret: w.secret.clone(),
            })
            .collect()
    }

    /// An event for its current subscribers, or `None` when nobody listens.
    pub fn event(&self, name: &'static str, data: impl FnOnce() -> Value) -> Option<Event> {
        let targets = self.targets(name);
        (!targets.is_empty()).then(|| Event {
            name,
            data: data(),
            targets,
        })
    }
}

/// Delivers events in the background; the API response does not wait. Events of one
/// call are delivered in order.
pub fn dispatch(app: &AppState, company: CompanyId, events: Vec<Event>) {
    if events.is_empty() {
        return;
    }
    let app = app.clone();
    tokio::spawn(async move {
        for event in events {
            let body = payload(event.name, &event.data);
            for target in &event.targets {
                let attempt = Attempt {
                    endpoint_id: target.endpoint_id.clone(),
                    url: target.url.clone(),
                    secret: target.secret.clone(),
                    event: event.name.to_owned(),
                    delivery_id: Uuid::new_v4().to_string(),
                    attempt_number: 1,
                    is_test: false,
                    redelivered_from: None,
                    payload: body.clone(),
                };
                attempt.run(&app, company).await;
            }
        }
    });
}

/// One attempt to deliver one payload to one endpoint.
#[derive(Clone, Debug)]
pub struct Attempt {
    pub endpoint_id: String,
    pub url: String,
    pub secret: String,
    pub event: String,
    pub delivery_id: String,
    pub attempt_number: u32,
    pub is_test: bool,
    pub redelivered_from: Option<String>,
    pub payload: Arc<Vec<u8>>,
}

impl Attempt {
    /// Sends, records the attempt in the company's history and returns the record.
    pub async fn run(self, app: &AppState, company: CompanyId) -> DeliveryRecord {
        let delivered_at = now_iso();
        let outcome = deliver(
            &self.url,
            &self.event,
            &self.delivery_id,
            &self.secret,
            &self.payload,
        )
        .await;
        let record = DeliveryRecord {
            id: Uuid::new_v4().to_string(),
            endpoint_id: self.endpoint_id,
            delivery_id: self.delivery_id,
            attempt_number: self.attempt_number,
            event: self.event,
            status_code: outcome.status_code,
            error: outcome.error,
            duration_ms: outcome.duration_ms,
            delivered_at,
            is_test: self.is_test,
            redelivered_from: self.redelivered_from,
            payload: self.payload,
        };
        let kept = record.clone();
        app.companies.with(company, |c| c.catalog.record_delivery(kept));
        record
    }
}
