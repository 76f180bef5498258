use serde_json::Value;

use crate::operation::by_id;
use crate::types::Balance;
use crate::{Client, Error};

/// Credits of the company that owns the key.
#[derive(Debug, Clone, Copy)]
pub struct Credits<'c> {
    pub(crate) client: &'c Client,
}

impl Credits<'_> {
    /// `GET /credits/balance`: the current balance.
    ///
    /// ```no_run
    /// # async fn run(client: lasso_ai::Client) -> Result<(), lasso_ai::Error> {
    /// let b = client.credits().balance().await?;
    /// println!("{} {}", b.balance, b.currency.as_deref().unwrap_or("credits"));
    /// # Ok(()) }
    /// ```
    pub async fn balance(self) -> Result<Balance, Error> {
        self.client
            .call_typed(by_id("credits.balance"), Value::Null)
            .await
    }
}
