//! Requests the API would accept and bill but whose results could never be
//! read: refused before they are sent, unless the caller opts in.

use serde_json::Value;

use crate::operation::{Operation, Prepared};
use crate::{Error, RequestOptions};

/// Most records `enrich` answers synchronously; with more, the API answers
/// `202`, bills the job, and delivers the results only to a `webhook_url`
/// (no endpoint returns them later).
pub const ENRICH_SYNC_LIMIT: usize = 5;

/// Refuses an `enrich` of more than [`ENRICH_SYNC_LIMIT`] records that names
/// no `webhook_url` (in its arguments or the options' extra body), unless
/// [`RequestOptions::allow_enrich_without_webhook`] is set.
pub(crate) fn check(op: &Operation, prepared: &Prepared, options: &RequestOptions) -> Result<(), Error> {
    if op.id != "enrich" || options.allow_enrich_without_webhook {
        return Ok(());
    }
    let Some(Value::Object(body)) = prepared.body.as_ref() else {
        return Ok(());
    };
    let records = body.get("items").and_then(Value::as_array).map_or(0, Vec::len);
    let has_webhook = body.get("webhook_url").is_some_and(|url| !url.is_null());
    if records <= ENRICH_SYNC_LIMIT || has_webhook {
        return Ok(());
    }
    Err(Error::config(format!(
        "enrich: {records} records without a webhook_url would be billed and answered 202, but their \
         results could never be fetched (the API returns them only to a webhook); pass webhook_url, \
         send at most {ENRICH_SYNC_LIMIT} records per call, or opt in with \
         allow_enrich_without_webhook"
    )))
}
