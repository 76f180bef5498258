//! Operation ids: the names stats and the request journal use for each emulated
//! endpoint. They are the SDK's operation ids (`crates/lasso-spec/src/operations.rs`),
//! so a test can compare what the SDK called with what the emulator executed.
//!
//! [`Op`], one variant per distinct method and path of that table, is generated
//! into `operation_generated.rs` (`./just codegen`); the routes in `routes/` bind
//! each handler to its variant.

#[path = "operation_generated.rs"]
mod generated;

pub use generated::Op;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_index_order() {
        for (i, op) in Op::ALL.iter().enumerate() {
            assert_eq!(op.index(), i);
        }
    }

    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<_> = Op::ALL.iter().map(|o| o.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Op::COUNT);
    }

    #[test]
    fn the_endpoints_are_the_manifests() {
        // tests/manifest.json is generated from the same table (`./just codegen`).
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/manifest.json");
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(
            manifest["endpoints"],
            Op::COUNT - 1,
            "every endpoint, and Unknown"
        );
    }

    /// Every endpoint's method and path reach the handler bound to its variant: a
    /// request to each is counted under its own id.
    #[tokio::test]
    async fn every_route_is_bound_to_its_endpoint() {
        let server = crate::MockServer::start(crate::MockConfig {
            time_scale: 0.0,
            ..crate::MockConfig::default()
        })
        .await
        .unwrap();
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        let key = format!("lasso_{}", "ab".repeat(32));
        for op in Op::ALL.into_iter().filter(|op| *op != Op::Unknown) {
            let mut path = String::new();
            for (i, part) in op.path().split('{').enumerate() {
                // `{name}rest` → `x-rest`: every placeholder gets a value.
                match part.split_once('}') {
                    Some((_, rest)) if i > 0 => path.push_str(&format!("x{rest}")),
                    _ => path.push_str(part),
                }
            }
            let method = reqwest::Method::from_bytes(op.method().as_bytes()).unwrap();
            let mut request = http
                .request(method, format!("{}{path}", server.url()))
                .bearer_auth(&key);
            if matches!(op.method(), "POST" | "PUT" | "PATCH") {
                request = request.header("content-type", "application/json").body("{}");
            }
            request.send().await.unwrap();
        }
        let stats: serde_json::Value = http
            .get(format!("{}/__mock/stats", server.base()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for op in Op::ALL {
            let expected = if op == Op::Unknown { 0 } else { 1 };
            assert_eq!(
                stats["received"][op.id()],
                expected,
                "{}: {} {}",
                op.id(),
                op.method(),
                op.path()
            );
        }
        server.shutdown().await;
    }
}
