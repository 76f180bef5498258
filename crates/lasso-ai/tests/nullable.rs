//! Not given vs `null`, through the typed surface against lasso-mock: a parameter the
//! spec marks nullable is a [`Nullable`] in its `…Params` struct. `Nullable::Null`
//! sends `null`, which clears the field; `Nullable::Omitted` (the default) sends
//! nothing and leaves it. Through the untyped `call`, a `null` for any other declared
//! parameter means "not given", as the Python and Node front doors rely on.

use lasso_ai::__bindings::ClientExt;
use lasso_ai::*;
use lasso_mock::{MockConfig, MockServer};
use serde_json::json;

const KEY: &str = "lasso_7d1f0c5e9a3b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d";

async fn start() -> (MockServer, Client) {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .build()
        .unwrap();
    (server, client)
}

#[tokio::test]
async fn null_clears_enhancement_context_and_omitting_it_keeps_it() {
    let (_server, client) = start().await;
    let tables = client.tables();
    let set = TablesUpdateParams::new().enhancement_context("Write in British English");
    tables.update("tbl_sample", set).await.unwrap();
    let rename = TablesUpdateParams::new().name("Renamed");
    let kept = tables.update("tbl_sample", rename).await.unwrap();
    assert_eq!(kept.name.as_deref(), Some("Renamed"));
    assert_eq!(
        kept.enhancement_context.as_deref(),
        Some("Write in British English")
    );
    let clear = TablesUpdateParams::new().enhancement_context(Nullable::Null);
    let cleared = tables.update("tbl_sample", clear).await.unwrap();
    assert_eq!(cleared.enhancement_context, None);
    assert_eq!(cleared.name.as_deref(), Some("Renamed"));
    let table = tables.get("tbl_sample").await.unwrap();
    assert_eq!(table.enhancement_context, None);
    assert_eq!(
        table.extra.get("enhancement_context"),
        None,
        "decoded, not kept as extra"
    );
}

#[tokio::test]
async fn null_for_a_parameter_that_does_not_take_it_is_not_sent() {
    let (_server, client) = start().await;
    let rename = TablesUpdateParams::new().name("Kept");
    client.tables().update("tbl_sample", rename).await.unwrap();
    // `name` is not nullable: `null` means "not given", so the API keeps the name.
    let args = json!({"table_id": "tbl_sample", "name": null, "enhancement_context": "Formal"});
    let table = client
        .call("tables.update", args, &Default::default())
        .await
        .unwrap();
    assert_eq!(table["name"], "Kept");
    assert_eq!(table["enhancement_context"], "Formal");
    // Through `call`, `null` for a nullable parameter is sent as `null`.
    let args = json!({"table_id": "tbl_sample", "enhancement_context": null});
    let table = client
        .call("tables.update", args, &Default::default())
        .await
        .unwrap();
    assert_eq!(table["enhancement_context"], json!(null));
}

#[tokio::test]
async fn attribute_fields_clear_on_null() {
    let (_server, client) = start().await;
    let attributes = client.attributes();
    let create = AttributesCreateParams::new("material", "Material", AttributeType::Text)
        .description("What it is made of")
        .language("en");
    attributes.create(create).await.unwrap();
    let update = AttributesUpdateParams::new()
        .description(Nullable::Null)
        .label("Material (main)");
    let updated = attributes.update("material", update).await.unwrap();
    assert_eq!(updated.description, None);
    assert_eq!(updated.language.as_deref(), Some("en"));
    assert_eq!(updated.label.as_deref(), Some("Material (main)"));
}

#[tokio::test]
async fn a_webhook_description_clears_on_null() {
    let (_server, client) = start().await;
    let hooks = client.catalog().webhooks();
    let create = CatalogWebhooksCreateParams::new(
        "https://example.com/hooks/lasso",
        [CatalogWebhookEvent::ProductCreated],
    )
    .description("ERP sync");
    let endpoint = hooks.create(create).await.unwrap();
    assert_eq!(endpoint.description.as_deref(), Some("ERP sync"));
    let clear = CatalogWebhooksUpdateParams::new().description(Nullable::Null);
    let cleared = hooks.update(&endpoint.id, clear).await.unwrap();
    assert_eq!(cleared.description, None);
    let pause = CatalogWebhooksUpdateParams::new().enabled(false);
    let paused = hooks.update(&endpoint.id, pause).await.unwrap();
    assert_eq!((paused.description, paused.enabled), (None, Some(false)));
}
