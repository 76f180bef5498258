//! Helpers for the catalog-side integration tests (attributes, glossary, catalog,
//! catalog webhooks, analytics): a JSON client bound to one company.
#![allow(dead_code)] // each test binary uses a different subset

use lasso_mock::{MockConfig, MockServer};
use reqwest::Method;
use serde_json::Value;

#[path = "../common/mod.rs"]
pub mod common;

/// A started emulator and a client for company 1.
pub async fn start() -> (MockServer, Api) {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let api = Api {
        base: server.url(),
        http: common::client(),
        company: 1,
    };
    (server, api)
}

/// Response status and JSON body (`Null` for an empty body).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    /// Asserts the status and returns the body.
    #[track_caller]
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(self.status, status, "unexpected status, body: {}", self.body);
        self.body
    }

    /// Asserts an error envelope with this status and type; returns the body.
    #[track_caller]
    pub fn error(self, status: u16, error_type: &str) -> Value {
        assert_eq!(self.status, status, "unexpected status, body: {}", self.body);
        assert_eq!(self.body["status_code"], status, "{}", self.body);
        assert_eq!(self.body["error_type"], error_type, "{}", self.body);
        let id = self.body["request_id"].as_str().expect("request_id");
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
        assert!(self.body["message"].is_string());
        self.body
    }
}

#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
    pub company: u8,
}

impl Api {
    /// The same server as another company.
    pub fn as_company(&self, company: u8) -> Api {
        Api {
            company,
            ..self.clone()
        }
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Reply {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("authorization", common::bearer(self.company));
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let bytes = response.bytes().await.expect("body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|err| panic!("body is not JSON ({err}): {}", String::from_utf8_lossy(&bytes)))
        };
        Reply { status, body }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(&body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PUT, path, Some(&body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PATCH, path, Some(&body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None).await
    }
}
