//! Exports: CSV (semicolons), JSON, XLSX read back with calamine, a ZIP of PNGs read
//! back with the zip crate, headers and errors.

mod common;

use std::io::{Cursor, Read};

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use common::{start, Api};
use serde_json::{json, Value};

#[tokio::test]
async fn csv_is_semicolon_delimited_and_quoted() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    api.put(
        "/tables/tbl_sample/rows/row_sample_2",
        json!({"data": {"description": "Light; fast \"trail\" shoe"}}),
    )
    .await
    .expect(200);
    let (status, headers, body) = api.bytes("/tables/tbl_sample/export?format=csv").await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "text/csv");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"Sample products.csv\""
    );
    let text = String::from_utf8(body).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "name;brand;price;description;category;image_url;url;features"
    );
    assert_eq!(lines.len(), 4);
    assert!(lines[1].starts_with("Alpine Steel Water Bottle 750 ml;Summit Gear;24.9;"));
    assert!(lines[1].ends_with(";Vacuum insulated, Leak-proof lid, BPA-free"));
    assert!(
        lines[2].contains(";\"Light; fast \"\"trail\"\" shoe\";"),
        "{}",
        lines[2]
    );

    let (_, _, body) = api
        .bytes("/tables/tbl_sample/export?format=csv&columns=price,name")
        .await;
    let text = String::from_utf8(body).unwrap();
    assert_eq!(
        text.lines().take(2).collect::<Vec<_>>(),
        ["price;name", "24.9;Alpine Steel Water Bottle 750 ml"]
    );
}

#[tokio::test]
async fn json_export_is_an_array_of_row_objects() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    let (status, headers, body) = api
        .bytes("/tables/tbl_sample/export?format=json&columns=name,%20price")
        .await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"Sample products.json\""
    );
    let rows: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 3);
    assert_eq!(
        rows[2],
        json!({"name": "Sonora ANC Wireless Headphones", "price": 199.99})
    );

    // Large tables stream in chunks and still parse as one array.
    let rows: Vec<Value> = (0..1000)
        .map(|i| json!({"name": format!("p{i}"), "price": i}))
        .collect();
    api.post("/tables/tbl_sample/rows", json!({"rows": rows}))
        .await
        .expect(201);
    let (_, _, body) = api.bytes("/tables/tbl_sample/export?format=json").await;
    let all: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 1003);
    assert_eq!(all[1002]["name"], "p999");
    let (_, _, csv) = api.bytes("/tables/tbl_sample/export?format=csv").await;
    assert_eq!(String::from_utf8(csv).unwrap().lines().count(), 1004);
}

#[tokio::test]
async fn xlsx_opens_in_a_spreadsheet_library() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    let (status, headers, body) = api.bytes("/tables/tbl_sample/export?format=xlsx").await;
    assert_eq!(status, 200);
    assert_eq!(
        headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"Sample products.xlsx\""
    );
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(body)).expect("valid xlsx");
    assert_eq!(workbook.sheet_names(), ["Sample products"]);
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0][0], Data::String("name".into()));
    assert_eq!(rows[0][7], Data::String("features".into()));
    assert_eq!(
        rows[1][0],
        Data::String("Alpine Steel Water Bottle 750 ml".into())
    );
    assert_eq!(rows[1][2], Data::Float(24.9));
    assert_eq!(rows[3][2], Data::Float(199.99));
    assert_eq!(
        rows[1][7],
        Data::String("Vacuum insulated, Leak-proof lid, BPA-free".into())
    );
}

#[tokio::test]
async fn images_zip_has_one_png_per_image_url() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    let (status, headers, body) = api.bytes("/tables/tbl_sample/export?format=images").await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/zip");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"Sample products.zip\""
    );
    let mut archive = zip::ZipArchive::new(Cursor::new(body)).expect("valid zip");
    let mut names: Vec<String> = (0..archive.len())
        .map(|i| archive.by_index(i).unwrap().name().unwrap().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "00001_alpine-steel-water-bottle-750-ml/image_url_1.png",
            "00002_trail-runner-gtx/image_url_1.png",
            "00003_sonora-anc-wireless-headphones/image_url_1.png",
            "manifest.csv",
        ]
    );
    let mut png = Vec::new();
    archive
        .by_name("00002_trail-runner-gtx/image_url_1.png")
        .unwrap()
        .read_to_end(&mut png)
        .unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let mut manifest = String::new();
    archive
        .by_name("manifest.csv")
        .unwrap()
        .read_to_string(&mut manifest)
        .unwrap();
    assert!(manifest.contains("https://images.example.com/sample/trail-runner.jpg"));
}

#[tokio::test]
async fn export_errors() {
    let server = start(1.0).await;
    let api = Api::new(&server, 1);
    let message = api
        .get("/tables/tbl_sample/export")
        .await
        .error_message(400, "invalid_request");
    assert!(message.contains("format"));
    api.get("/tables/tbl_sample/export?format=pdf")
        .await
        .error(400, "invalid_request");
    let message = api
        .get("/tables/tbl_sample/export?format=csv&columns=name,nope")
        .await
        .error_message(400, "invalid_request");
    assert!(message.contains("nope"));
    api.get("/tables/tbl_nope/export?format=csv")
        .await
        .error(404, "not_found");
    let id = api.create_text_table("Not yet", "Bottle\n").await;
    let message = api
        .get(&format!("/tables/{id}/export?format=xlsx"))
        .await
        .error_message(409, "conflict");
    assert!(message.contains("not completed"), "{message}");
}

#[tokio::test]
async fn unicode_table_names_get_an_rfc5987_filename() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    api.patch("/tables/tbl_sample", json!({"name": "Čaje/2025"}))
        .await
        .expect(200);
    let (_, headers, _) = api.bytes("/tables/tbl_sample/export?format=csv").await;
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"_aje_2025.csv\"; filename*=UTF-8''%C4%8Caje%2F2025.csv"
    );
}

#[tokio::test]
async fn synthetic_tables_stream_large_exports() {
    let server = start(0.0).await;
    let api = Api::new(&server, 1);
    let before = api.balance().await;
    let id = api.create_text_table("Big", "MOCK_ROWS=250000").await;
    let table = api.wait_table(&id).await;
    assert_eq!(table["status"], "completed");
    assert_eq!(table["total_rows"], 250_000);
    assert_eq!(api.balance().await, before, "synthetic rows are free");

    let page = api.get(&format!("/tables/{id}/rows?page=3&limit=2")).await;
    let page = page.expect(200);
    assert_eq!(
        page["pagination"],
        json!({"page": 3, "limit": 2, "total": 250000})
    );
    assert_eq!(page["data"][0]["row_index"], 4);
    let row_id = page["data"][0]["id"].as_str().unwrap().to_owned();
    let row = api.get(&format!("/tables/{id}/rows/{row_id}")).await.expect(200);
    assert_eq!(row, page["data"][0]);
    assert_eq!(row["data"].as_object().unwrap().len(), 8);

    let (status, _, body) = api.bytes(&format!("/tables/{id}/export?format=csv")).await;
    assert_eq!(status, 200);
    let text = String::from_utf8(body).unwrap();
    assert_eq!(text.lines().count(), 250_001);
    assert!(text.starts_with("name;brand;price;"));
    let (_, _, body) = api
        .bytes(&format!("/tables/{id}/export?format=json&columns=name,price"))
        .await;
    let all: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 250_000);
    assert_eq!(all[4]["name"], row["data"]["name"]);

    // Too big to write to.
    api.put(
        &format!("/tables/{id}/rows/{row_id}"),
        json!({"data": {"price": 1}}),
    )
    .await
    .error(409, "conflict");

    // Small synthetic tables become ordinary rows on the first write.
    let small = api.create_text_table("Small", "MOCK_ROWS=40").await;
    api.wait_table(&small).await;
    let rows = api.get(&format!("/tables/{small}/rows?limit=1")).await;
    let first = rows.expect(200)["data"][0]["id"].as_str().unwrap().to_owned();
    let updated = api
        .put(
            &format!("/tables/{small}/rows/{first}"),
            json!({"data": {"price": 1}}),
        )
        .await
        .expect(200);
    assert_eq!(updated["data"]["price"], 1);
    assert_eq!(updated["is_edited"], true);
    assert_eq!(
        api.get(&format!("/tables/{small}")).await.expect(200)["total_rows"],
        40
    );
    let xlsx = api.bytes(&format!("/tables/{small}/export?format=xlsx")).await;
    assert_eq!(xlsx.0, 200);
}
