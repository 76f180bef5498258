use serde_json::json;

use crate::operation::by_id;
use crate::types::Table;
use crate::{Client, Error};

/// Tables: extraction jobs and their rows.
#[derive(Debug, Clone, Copy)]
pub struct Tables<'c> {
    pub(crate) client: &'c Client,
}

impl Tables<'_> {
    /// `GET /tables/{table_id}`: one table with its status and progress.
    ///
    /// ```no_run
    /// # async fn run(client: lasso_ai::Client) -> Result<(), lasso_ai::Error> {
    /// let table = client.tables().get("tbl_123").await?;
    /// println!("{}: {} ({:?}%)", table.id, table.status, table.progress);
    /// # Ok(()) }
    /// ```
    pub async fn get(self, table_id: &str) -> Result<Table, Error> {
        self.client
            .call_typed(by_id("tables.get"), json!({ "table_id": table_id }))
            .await
    }
}
