//! What the generated doc-example tests (`tests/doc_examples.rs`) run in: a fresh
//! lasso-mock per example, and the resources the examples name (a schema, a file,
//! a glossary term, an attribute, a product with a SKU, a webhook endpoint with one
//! delivery) created in it first. The emulator seeds `tbl_sample` and `row_sample_1`.

use std::future::Future;

use lasso_ai::{
    AttributeType, AttributesCreateParams, CatalogCreateParams, CatalogWebhookEvent,
    CatalogWebhooksCreateParams, Client, Column, ColumnType, GlossaryCreateParams, GlossaryTermType,
    SchemasCreateParams, Upload,
};
use lasso_mock::{MockConfig, MockServer};

const KEY: &str = "lasso_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// Ids of resources that exist in the emulator when an example runs.
pub struct Fixtures {
    pub schema_id: String,
    pub file_id: String,
    pub term_id: String,
    pub attribute_key: String,
    pub product_id: String,
    pub product_sku: String,
    pub webhook_id: String,
    pub delivery_id: String,
}

async fn fixtures(client: &Client) -> Result<Fixtures, lasso_ai::Error> {
    let schema = client
        .schemas()
        .create(SchemasCreateParams::new(
            "Bottles",
            [
                Column::new("name", "Name", ColumnType::Text),
                Column::new("sku", "SKU", ColumnType::Text),
            ],
        ))
        .await?;
    let file = client
        .files()
        .upload(Upload::bytes(&b"Hydro Flask 21 oz, WDG-001\n"[..], "bottles.txt"))
        .await?;
    let term = client
        .glossary()
        .create(GlossaryCreateParams::new(
            "Hydro Flask",
            GlossaryTermType::DoNotTranslate,
        ))
        .await?;
    let attribute = client
        .attributes()
        .create(AttributesCreateParams::new("color", "Color", AttributeType::Text))
        .await?;
    let mut attributes = serde_json::Map::new();
    attributes.insert("name".into(), "Hydro Flask 21 oz".into());
    attributes.insert("sku".into(), "WDG-001".into());
    let product = client
        .catalog()
        .create(CatalogCreateParams::new(schema.id.clone(), attributes))
        .await?;
    let hooks = client.catalog().webhooks();
    let endpoint = hooks
        .create(CatalogWebhooksCreateParams::new(
            "https://example.com/hooks/lasso",
            [CatalogWebhookEvent::ProductCreated],
        ))
        .await?;
    let tested = hooks.test(&endpoint.id).await?;
    Ok(Fixtures {
        schema_id: schema.id,
        file_id: file.id,
        term_id: term.id,
        attribute_key: attribute.key,
        product_id: product.id,
        product_sku: "WDG-001".into(),
        webhook_id: endpoint.id,
        delivery_id: tested.delivery.id,
    })
}

/// Runs one example against a fresh emulator; any error fails the test, naming it.
pub async fn run<F, Fut>(example: F)
where
    F: FnOnce(Client, Fixtures) -> Fut,
    Fut: Future<Output = Result<(), lasso_ai::Error>>,
{
    let config = MockConfig {
        time_scale: 0.0,
        ..MockConfig::default()
    };
    let server = MockServer::start(config).await.expect("lasso-mock starts");
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .build()
        .expect("a client for the emulator");
    let fx = fixtures(&client)
        .await
        .unwrap_or_else(|e| panic!("creating the example's resources: {e}"));
    if let Err(e) = example(client, fx).await {
        panic!("the example failed against lasso-mock: {e}");
    }
    server.shutdown().await;
}
