//! Uploads (multipart, streamed from disk, re-sent on a safe retry) and
//! exports (into memory, or to a path without ever leaving a partial file).

mod common;

use lasso_ai::__bindings::{ClientExt, ErrorExt};
use std::time::Duration;

use common::{builder, client, expect_err, Behaviour, TestServer};
use lasso_ai::{RequestOptions, Upload, UploadSource};
use serde_json::json;

fn file_object() -> Behaviour {
    Behaviour::json(
        201,
        json!({"id": "file_1", "filename": "catalog.pdf", "size": 11, "content_type": "application/pdf"}),
    )
}

fn body_text(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

#[tokio::test]
async fn uploads_bytes_as_a_multipart_file_part() {
    let server = TestServer::start([file_object()]).await;
    let file = client(&server)
        .upload_file(
            Upload::bytes(&b"%PDF-1.7 hi"[..], "catalog.pdf"),
            &Default::default(),
        )
        .await
        .unwrap();
    assert_eq!(file["id"], "file_1");
    let sent = server.single();
    assert_eq!(sent.method, "POST");
    assert!(sent.target.ends_with("/files"));
    assert!(sent
        .header("content-type")
        .unwrap()
        .starts_with("multipart/form-data; boundary="));
    let body = body_text(&sent.body);
    assert!(body.contains("name=\"file\"; filename=\"catalog.pdf\""), "{body}");
    assert!(body.contains("Content-Type: application/pdf"), "{body}");
    assert!(body.contains("%PDF-1.7 hi"));
}

#[tokio::test]
async fn uploads_a_file_from_disk_and_resends_it_whole_after_a_503() {
    let dir = std::env::temp_dir().join(format!("lasso-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.csv");
    let content: Vec<u8> = (0..3_000_000u32)
        .flat_map(|i| format!("{i};\n").into_bytes())
        .take(5 << 20)
        .collect();
    std::fs::write(&path, &content).unwrap();

    let server = TestServer::start([
        Behaviour::envelope(503, "service_unavailable", "busy", "r1"),
        file_object(),
    ])
    .await;
    let c = builder(&server).build().unwrap();
    c.upload_file(Upload::path(&path), &Default::default())
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "POST /files is retried on 503");
    for r in &requests {
        assert!(
            r.body.len() > content.len(),
            "every attempt carries the whole file"
        );
        let text = body_text(&r.body);
        assert!(text.contains("filename=\"big.csv\"") && text.contains("Content-Type: text/csv"));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_failed_upload_post_is_not_retried_after_a_500() {
    let server = TestServer::start([Behaviour::envelope(500, "internal_error", "boom", "r1")]).await;
    let e = expect_err(
        client(&server)
            .upload_file(Upload::bytes(&b"x"[..], "a.txt"), &Default::default())
            .await,
    );
    assert_eq!(e.code(), "internal_error");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_missing_file_or_name_fails_before_any_request() {
    let server = TestServer::start([]).await;
    let c = client(&server);
    let e = expect_err(
        c.upload_file(Upload::path("/definitely/not/here.pdf"), &Default::default())
            .await,
    );
    assert_eq!(e.code(), "local_file_not_found");
    assert_eq!(
        e.to_string(),
        "cannot upload /definitely/not/here.pdf: no such file or directory (ENOENT)"
    );
    let fields = e.to_fields();
    assert_eq!(fields["path"], "/definitely/not/here.pdf");
    assert_eq!(fields["os_code"], "ENOENT");
    let io = std::error::Error::source(&e)
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .expect("the io::Error is the source");
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
    let e = expect_err(
        c.upload_file(Upload::path(std::env::temp_dir()), &Default::default())
            .await,
    );
    assert_eq!(
        (e.code(), e.to_fields()["os_code"].as_str()),
        ("local_file", Some("EISDIR"))
    );
    let e = expect_err(
        c.upload_file(
            lasso_ai::__bindings::upload(UploadSource::Bytes(bytes::Bytes::from_static(b"x")), None, None),
            &Default::default(),
        )
        .await,
    );
    assert!(e.to_string().contains("filename"), "{e}");
    assert_eq!(server.count(), 0);
}

fn csv_export() -> Behaviour {
    Behaviour::Respond {
        status: 200,
        headers: vec![
            ("content-type".into(), "text/csv; charset=utf-8".into()),
            (
                "content-disposition".into(),
                "attachment; filename=\"Products.csv\"".into(),
            ),
        ],
        body: b"name;price\nMug;12.5\n".to_vec(),
    }
}

#[tokio::test]
async fn exports_into_memory_with_the_server_file_name() {
    let server = TestServer::start([csv_export()]).await;
    let d = client(&server)
        .export_table("tbl_1", "csv", Some("name,price"), &Default::default())
        .await
        .unwrap();
    assert_eq!(&d.bytes[..], b"name;price\nMug;12.5\n");
    assert_eq!(d.filename.as_deref(), Some("Products.csv"));
    assert_eq!(d.content_type.as_deref(), Some("text/csv; charset=utf-8"));
    let target = server.single().target;
    assert!(
        target.contains("/tables/tbl_1/export?")
            && target.contains("format=csv")
            && target.contains("columns=name%2Cprice"),
        "{target}"
    );
}

// Both runtime flavours: on a multi-thread runtime the body is read by a task of its own.
#[tokio::test]
async fn exports_to_a_path_and_leaves_no_partial_file_on_failure() {
    exports_to_a_path_and_leaves_no_partial_file_on_failure_in("current").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_to_a_path_and_leaves_no_partial_file_on_failure_on_a_multi_thread_runtime() {
    exports_to_a_path_and_leaves_no_partial_file_on_failure_in("multi").await;
}

async fn exports_to_a_path_and_leaves_no_partial_file_on_failure_in(flavour: &str) {
    let dir = std::env::temp_dir().join(format!("lasso-export-{}-{flavour}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("out.csv");

    let server = TestServer::start([csv_export()]).await;
    let saved = client(&server)
        .export_table_to_path("tbl_1", "csv", None, &path, &Default::default())
        .await
        .unwrap();
    assert_eq!(saved.size, 20);
    assert_eq!(std::fs::read(&path).unwrap(), b"name;price\nMug;12.5\n");
    std::fs::remove_file(&path).unwrap();

    // The body stops half-way: a timeout error, and neither the file nor a temporary one.
    let stalled = Behaviour::StallBody {
        status: 200,
        content_length: 1000,
        sent: b"name;price\n".to_vec(),
    };
    let server = TestServer::start([stalled]).await;
    let opts = RequestOptions::new()
        .timeout(Duration::from_millis(300))
        .max_retries(0);
    let e = expect_err(
        client(&server)
            .export_table_to_path("tbl_1", "csv", None, &path, &opts)
            .await,
    );
    assert_eq!(e.code(), "timeout", "{e}");
    assert!(!path.exists());
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "a temporary file was left behind"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn an_export_into_a_missing_directory_names_the_destination_not_a_temporary_file() {
    let dir = std::env::temp_dir().join(format!("lasso-export-missing-{}", std::process::id()));
    let path = dir.join("out.csv");
    let server = TestServer::start([csv_export()]).await;
    let e = expect_err(
        client(&server)
            .export_table_to_path("tbl_1", "csv", None, &path, &Default::default())
            .await,
    );
    assert_eq!(e.code(), "local_file_not_found", "{e}");
    assert_eq!(
        e.to_string(),
        format!(
            "cannot write the export to {}: no such file or directory (ENOENT)",
            path.display()
        )
    );
    assert_eq!(e.to_fields()["path"], path.to_string_lossy().as_ref());
    assert!(!dir.exists());
}

#[tokio::test]
async fn export_errors_are_typed_and_bad_formats_are_refused_locally() {
    let server = TestServer::start([Behaviour::envelope(
        409,
        "conflict",
        "Table is not completed",
        "r1",
    )])
    .await;
    let c = client(&server);
    let e = expect_err(c.export_table("tbl_1", "csv", None, &Default::default()).await);
    assert_eq!(e.code(), "conflict");
    let e = expect_err(c.export_table("tbl_1", "pdf", None, &Default::default()).await);
    assert_eq!(e.code(), "configuration");
    assert!(e.to_string().contains("csv, xlsx, json, images"), "{e}");
    assert_eq!(server.count(), 1);
}
