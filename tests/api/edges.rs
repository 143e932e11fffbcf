//! The edges of the protocol: content codings, blank parameters, and the client errors that
//! arise outside the handlers, each a problem document like every other refusal.

use crate::support::*;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[actix_web::test]
async fn a_body_in_a_coding_the_service_cannot_undo_is_refused_and_stores_nothing() {
    let app = spawn_app().await;
    for coding in ["br", "zstd", "gzip, br", "compress"] {
        let request = app
            .client
            .post(app.url(EVALUATIONS))
            .insert_header(("content-type", "application/json"))
            .insert_header(("content-encoding", coding));

        let reply = app.send(request, Some(SEED_TEXT.as_bytes())).await;

        assert_problem(&reply, 415, "unsupported-encoding", None);
        assert_eq!(
            reply.header("accept-encoding").as_deref(),
            Some("gzip, deflate, identity"),
            "{coding}"
        );
    }
    assert_nothing_stored(&app, "refused codings").await;
}

#[actix_web::test]
async fn a_gzip_body_is_read_by_the_json_endpoints_and_the_workbook_import_alike() {
    // Arrange: the seed stored, then exported as the workbook to import.
    let app = spawn_app().await;
    let stored = app.create(&seed()).await;
    let workbook = app
        .get(&format!("{}/form.xlsx", evaluation(id_of(&stored))))
        .await
        .body;

    // Act
    let score = app
        .send(
            app.client
                .post(app.url("/api/v1/score"))
                .insert_header(("content-type", "application/json"))
                .insert_header(("content-encoding", "gzip")),
            Some(&gzip(SEED_TEXT.as_bytes())),
        )
        .await;
    let import = app
        .send(
            app.client
                .post(app.url("/api/v1/imports?dry_run=true"))
                .insert_header(("content-type", XLSX))
                .insert_header(("content-encoding", "gzip")),
            Some(&gzip(&workbook)),
        )
        .await;

    // Assert
    assert_eq!(score.status, 200, "{}", body_text(&score));
    assert_eq!(score.json()["total"], stored["result"]["total"]);
    assert_eq!(import.status, 200, "{}", body_text(&import));
    assert_eq!(import.json()["document"], document_of(&stored));
}

#[actix_web::test]
async fn a_gzip_body_that_unpacks_beyond_the_limit_is_refused() {
    let app = spawn_with(|args| args.body_limit = 64 * 1024).await;
    let unpacked = vec![b' '; 256 * 1024];

    let reply = app
        .send(
            app.client
                .post(app.url("/api/v1/imports?dry_run=true"))
                .insert_header(("content-type", XLSX))
                .insert_header(("content-encoding", "gzip")),
            Some(&gzip(&unpacked)),
        )
        .await;

    assert_problem(&reply, 413, "payload-too-large", None);
}

#[actix_web::test]
async fn an_empty_cursor_is_the_first_page() {
    let app = spawn_app().await;
    let stored = app.create(&seed()).await;

    let reply = app.get(&format!("{EVALUATIONS}?cursor=")).await;

    assert_eq!(reply.status, 200, "{}", body_text(&reply));
    assert_eq!(ids_on(&reply.json()), vec![id_of(&stored)]);
}

#[actix_web::test]
async fn client_errors_outside_the_api_are_problems_too() {
    let app = spawn_app().await;

    let reply = app.get("/docs/no-such-asset.js").await;

    assert_problem(&reply, 404, "not-found", None);
}

/// `bytes` as a gzip member of stored (uncompressed) deflate blocks: what any gzip reader
/// reads, built without a compressor.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    let mut chunks = bytes.chunks(65_535).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(chunk) = chunks.next() {
        let last = u8::from(chunks.peek().is_none());
        let len = u16::try_from(chunk.len()).expect("a stored block holds at most 65 535 bytes");
        out.push(last);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&crc32(bytes).to_le_bytes());
    let size = u32::try_from(bytes.len() % (1 << 32)).expect("reduced modulo 2^32");
    out.extend_from_slice(&size.to_le_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
