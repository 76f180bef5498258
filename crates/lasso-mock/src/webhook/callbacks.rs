//! `webhook_url` callbacks (lasso-api.md §1.8 A): the `{event, timestamp, data}`
//! payload signed with the company's secret (`GET /__mock/webhook-secret`). A non-2xx
//! answer, or none within 10 s, is retried after 30 s, 5 min and 30 min (scaled by the
//! time scale), then abandoned, with a new `X-Lasso-Delivery-Id` per attempt. A target
//! that is not plain-HTTP loopback is recorded once as not delivered. Every attempt is
//! listed by `GET /__mock/webhook-deliveries`.

use std::time::Duration;

use serde_json::{json, Value};

use super::send::{payload, Target};
use crate::app::AppState;
use crate::auth::CompanyId;
use crate::bounded::BoundedLog;
use crate::clock::now_iso;

/// Documented retry delays after the first attempt.
pub const RETRY_DELAYS: [Duration; 3] = [
    Duration::from_secs(30),
    Duration::from_secs(300),
    Duration::from_secs(1800),
];
const LOG_CAPACITY: usize = 512;

/// The log of delivery attempts (most recent last).
pub struct DeliveryLog(BoundedLog<Value>);

impl Default for DeliveryLog {
    fn default() -> Self {
        DeliveryLog(BoundedLog::new(LOG_CAPACITY))
    }
}

impl DeliveryLog {
    pub fn to_json(&self) -> Value {
        json!({ "deliveries": self.0.map(Value::clone) })
    }

    pub fn clear(&self) {
        self.0.clear();
    }
}

/// Delivers `event` to `url` after `delay`. `data` is computed when the delay is over
/// (`None` skips the delivery, e.g. when the table was deleted meanwhile).
pub fn spawn<F>(
    app: &AppState,
    company: CompanyId,
    url: String,
    event: &'static str,
    delay: Duration,
    data: F,
) where
    F: FnOnce(&AppState) -> Option<Value> + Send + 'static,
{
    let app = app.clone();
    tokio::spawn(async move {
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        let Some(data) = data(&app) else { return };
        let body = payload(event, &data);
        let secret = app.extraction.webhook_secret(company);
        let target = Target::parse(&url);
        for attempt in 0..=RETRY_DELAYS.len() {
            let delivery_id = uuid::Uuid::new_v4().to_string();
            let (status_code, error, delivered) = match &target {
                Ok(target) => {
                    let outcome = target.post(event, &delivery_id, &secret, &body).await;
                    let delivered = outcome.delivered();
                    (outcome.status_code, outcome.error, delivered)
                }
                Err(reason) => (None, Some(reason.clone()), false),
            };
            app.extraction.deliveries.0.push(json!({
                "event": event,
                "url": url,
                "delivery_id": delivery_id,
                "attempt": attempt + 1,
                "status_code": status_code,
                "error": error,
                "delivered": delivered,
                "at": now_iso(),
            }));
            if delivered || target.is_err() {
                return;
            }
            if let Some(delay) = RETRY_DELAYS.get(attempt) {
                tokio::time::sleep(app.extraction.scaled(*delay)).await;
            }
        }
    });
}
