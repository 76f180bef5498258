//! Quick start: reads LASSO_API_KEY (and LASSO_BASE_URL, e.g. a lasso-mock URL).
//!
//! cargo run -p lasso-ai --example quickstart

use lasso_ai::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    println!("client: {client:?}");

    let balance = client.credits().balance().await?;
    println!(
        "balance: {} {}",
        balance.balance,
        balance.currency.as_deref().unwrap_or("credits")
    );

    // Errors are typed: branch on the stable code, quote the request id to support.
    match client.tables().get("tbl_does_not_exist").await {
        Err(e) if e.code() == "not_found" => {
            let request_id = e.as_api().and_then(|a| a.request_id.clone()).unwrap_or_default();
            println!("not found, as expected (request_id {request_id})");
        }
        other => println!("unexpected: {other:?}"),
    }

    // A malformed key is refused before any request is sent.
    match Client::new("lasso_not-a-real-key") {
        Err(e) => println!("bad key -> {}: {e}", e.code()),
        Ok(_) => println!("unexpected: the bad key was accepted"),
    }
    Ok(())
}
