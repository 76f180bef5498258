//! `/glossary`: translation rules.

mod common;

use common::start_api;
use serde_json::json;

#[tokio::test]
async fn create_list_update_delete() {
    let (server, api) = start_api().await;

    let term = api
        .post("/glossary", json!({"term": "Lasso", "type": "do_not_translate"}))
        .await
        .expect(201);
    assert_eq!(term["term"], "Lasso");
    assert_eq!(term["type"], "do_not_translate");
    assert_eq!(term["case_sensitive"], false);
    assert_eq!(term["category"], "custom");
    assert_eq!(term["translations"], json!({}));
    assert!(term["created_at"].as_str().unwrap().ends_with('Z'));
    let id = term["id"].as_str().unwrap().to_owned();

    let screen = api
        .post(
            "/glossary",
            json!({"term": "screen", "type": "specific_translation", "case_sensitive": true,
                   "category": "brand", "translations": {"de": "Bildschirm", "fr": "Écran"}}),
        )
        .await
        .expect(201);
    assert_eq!(screen["translations"]["fr"], "Écran");
    assert_eq!(screen["case_sensitive"], true);
    assert_eq!(screen["category"], "brand");

    let list = api.get("/glossary").await.expect(200);
    assert_eq!(list["pagination"], json!({"page": 1, "limit": 25, "total": 2}));
    assert_eq!(list["data"][0]["id"], id.as_str(), "oldest first");
    let page = api.get("/glossary?page=2&limit=1").await.expect(200);
    assert_eq!(page["data"][0]["term"], "screen");

    // translations replace, other fields stay.
    let sid = screen["id"].as_str().unwrap();
    let updated = api
        .put(
            &format!("/glossary/{sid}"),
            json!({"translations": {"es": "pantalla"}}),
        )
        .await
        .expect(200);
    assert_eq!(updated["translations"], json!({"es": "pantalla"}));
    assert_eq!(updated["category"], "brand");
    assert_eq!(updated["created_at"], screen["created_at"]);

    let updated = api
        .put(
            &format!("/glossary/{id}"),
            json!({"type": "context_dependent", "term": "LASSO"}),
        )
        .await
        .expect(200);
    assert_eq!(updated["type"], "context_dependent");
    assert_eq!(updated["term"], "LASSO");

    assert_eq!(api.delete(&format!("/glossary/{id}")).await.status, 204);
    api.delete(&format!("/glossary/{id}"))
        .await
        .error(404, "not_found");
    api.put(&format!("/glossary/{id}"), json!({"term": "x"}))
        .await
        .error(404, "not_found");
    assert_eq!(api.get("/glossary").await.expect(200)["pagination"]["total"], 1);
    server.shutdown().await;
}

#[tokio::test]
async fn validation() {
    let (server, api) = start_api().await;
    let cases = [
        (json!({"type": "do_not_translate"}), "term"),
        (json!({"term": "", "type": "do_not_translate"}), "term"),
        (json!({"term": "x"}), "type"),
        (json!({"term": "x", "type": "translate"}), "type"),
        (
            json!({"term": "x", "type": "specific_translation"}),
            "translations",
        ),
        (
            json!({"term": "x", "type": "specific_translation", "translations": {}}),
            "translations",
        ),
        (
            json!({"term": "x", "type": "context_dependent", "translations": {"de": 3}}),
            "translations.de",
        ),
        (
            json!({"term": "x", "type": "context_dependent", "case_sensitive": "yes"}),
            "case_sensitive",
        ),
        (
            json!({"term": "x", "type": "context_dependent", "category": 7}),
            "category",
        ),
    ];
    for (body, field) in cases {
        let error = api
            .post("/glossary", body.clone())
            .await
            .error(422, "validation_error");
        assert!(
            error["message"].as_str().unwrap().contains(field),
            "{body}: {error}"
        );
    }
    let term = api
        .post(
            "/glossary",
            json!({"term": "x", "type": "specific_translation", "translations": {"de": "y"}}),
        )
        .await
        .expect(201);
    let id = term["id"].as_str().unwrap();
    // Clearing translations of a specific_translation term is refused.
    api.put(&format!("/glossary/{id}"), json!({"translations": {}}))
        .await
        .error(422, "validation_error");
    api.put(&format!("/glossary/{id}"), json!({"type": "nope"}))
        .await
        .error(422, "validation_error");
    api.get("/glossary?limit=0").await.error(400, "invalid_request");
    server.shutdown().await;
}

#[tokio::test]
async fn companies_are_isolated() {
    let (server, api) = start_api().await;
    let term = api
        .post("/glossary", json!({"term": "Lasso", "type": "do_not_translate"}))
        .await
        .expect(201);
    let id = term["id"].as_str().unwrap();
    let other = api.as_company(7);
    assert_eq!(other.get("/glossary").await.expect(200)["pagination"]["total"], 0);
    other
        .put(&format!("/glossary/{id}"), json!({"term": "x"}))
        .await
        .error(404, "not_found");
    other
        .delete(&format!("/glossary/{id}"))
        .await
        .error(404, "not_found");
    assert_eq!(api.get("/glossary").await.expect(200)["pagination"]["total"], 1);
    server.shutdown().await;
}
