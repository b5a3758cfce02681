//! The first page load: assets precompressed at build time sent as they are to browsers that
//! accept them (`Content-Encoding`, `Vary`), Trunk's hashed files immutable for a year,
//! index.html and config.json revalidated (a 304 when unchanged), an old build's hashed name
//! a 404 (never index.html cached for a year); the service worker and the web app manifest
//! revalidated too, so a new build's worker is found on the next load.

use reqwest::header;

use crate::helpers::spawn_app_with;

const WASM: &str = "frontend-7d3a7d6e0bd115e_bg.wasm";

#[tokio::test]
async fn precompressed_assets_immutable_hashes_and_revalidated_pages() {
    let dist = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dist.path().join(name), bytes).unwrap();
    write("index.html", b"<html><body>Tasko</body></html>");
    write("index.html.br", b"brotli index");
    write(WASM, b"\0asm plain");
    write(&format!("{WASM}.br"), b"brotli wasm");
    write(&format!("{WASM}.gz"), b"gzip wasm");
    let app = spawn_app_with(&[("DIST_DIR", dist.path().to_str().unwrap())]).await;
    // No automatic decompression: the bytes on the wire are what is checked.
    let client = reqwest::Client::builder().build().unwrap();
    let get = |path: String, encoding: Option<&'static str>| {
        let mut request = client.get(format!("{}{path}", app.address));
        if let Some(encoding) = encoding {
            request = request.header(header::ACCEPT_ENCODING, encoding);
        }
        request.send()
    };

    let br = get(format!("/{WASM}"), Some("gzip, deflate, br"))
        .await
        .unwrap();
    assert_eq!(br.status(), 200);
    assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(br.headers()[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(
        br.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert!(
        br.headers()[header::VARY]
            .to_str()
            .unwrap()
            .contains("accept-encoding")
    );
    assert_eq!(br.bytes().await.unwrap().as_ref(), b"brotli wasm");
    let gz = get(format!("/{WASM}"), Some("gzip")).await.unwrap();
    assert_eq!(gz.headers()[header::CONTENT_ENCODING], "gzip");
    assert_eq!(gz.bytes().await.unwrap().as_ref(), b"gzip wasm");
    let plain = get(format!("/{WASM}"), None).await.unwrap();
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    assert_eq!(plain.bytes().await.unwrap().as_ref(), b"\0asm plain");

    // Pages are revalidated.
    for path in ["/", "/index.html", "/some/deep/link"] {
        let page = get(path.into(), Some("br")).await.unwrap();
        assert_eq!(page.status(), 200, "{path}");
        assert_eq!(page.headers()[header::CACHE_CONTROL], "no-cache", "{path}");
        assert_eq!(page.headers()[header::CONTENT_ENCODING], "br", "{path}");
    }
    // A hashed name this build does not have: 404, not index.html for a year.
    let old = get("/frontend-0123456789abcdef_bg.wasm".into(), None)
        .await
        .unwrap();
    assert_eq!(old.status(), 404);
    assert_eq!(old.headers()[header::CACHE_CONTROL], "no-cache");

    // config.json: revalidated, and a 304 while unchanged.
    let config = get("/config.json".into(), None).await.unwrap();
    assert_eq!(config.headers()[header::CACHE_CONTROL], "no-cache");
    let etag = config.headers()[header::ETAG].clone();
    let again = client
        .get(format!("{}/config.json", app.address))
        .header(header::IF_NONE_MATCH, etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_service_worker_and_the_manifest_are_revalidated_never_immutable() {
    let dist = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dist.path().join(name), bytes).unwrap();
    write("index.html", b"<html><body>Tasko</body></html>");
    write("sw.js", b"self.addEventListener('push', () => {});");
    std::fs::create_dir(dist.path().join("public")).unwrap();
    write("public/manifest.webmanifest", br#"{"name": "Tasko"}"#);
    let app = spawn_app_with(&[("DIST_DIR", dist.path().to_str().unwrap())]).await;
    let client = reqwest::Client::new();

    let worker = client
        .get(format!("{}/sw.js", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(worker.status(), 200);
    assert_eq!(worker.headers()[header::CACHE_CONTROL], "no-cache");
    assert!(
        worker.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    // Its scripts and requests are this origin's only (a worker's CSP is its own response's).
    let csp = worker.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert!(worker.text().await.unwrap().contains("push"));

    let manifest = client
        .get(format!("{}/public/manifest.webmanifest", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(manifest.status(), 200);
    assert_eq!(
        manifest.headers()[header::CONTENT_TYPE],
        "application/manifest+json"
    );
    assert_eq!(manifest.headers()[header::CACHE_CONTROL], "no-cache");
}

#[tokio::test]
async fn large_json_answers_are_gzipped_when_accepted_and_the_chat_stream_never_is() {
    use reqwest::Method;
    let app = crate::helpers::spawn_app().await;
    let token = app.token_for("gzip@example.com").await;
    for n in 0..100 {
        app.create_todo(
            &token,
            serde_json::json!({"title": format!("Todo number {n} with some words")}),
        )
        .await;
    }
    let list = |encoding: Option<&'static str>| {
        let mut request = app
            .client
            .get(format!("{}/api/todos", app.address))
            .bearer_auth(&token);
        if let Some(encoding) = encoding {
            request = request.header(header::ACCEPT_ENCODING, encoding);
        }
        request.send()
    };
    let zipped = list(Some("gzip")).await.unwrap();
    assert_eq!(zipped.status(), 200);
    assert_eq!(zipped.headers()[header::CONTENT_ENCODING], "gzip");
    let zipped_len = zipped.bytes().await.unwrap().len();
    let plain = list(None).await.unwrap();
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    let plain_len = plain.bytes().await.unwrap().len();
    assert!(zipped_len * 4 < plain_len, "{zipped_len} vs {plain_len}");
    // Small answers are not worth it.
    let me = app
        .client
        .get(format!("{}/api/me", app.address))
        .bearer_auth(&token)
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert!(me.headers().get(header::CONTENT_ENCODING).is_none());
    // The chat's event stream flushes every event as it is: never compressed.
    let chat = app
        .client
        .request(Method::POST, format!("{}/api/chat", app.address))
        .bearer_auth(&token)
        .header(header::ACCEPT_ENCODING, "gzip")
        .json(&serde_json::json!({"message": "list my todos"}))
        .send()
        .await
        .unwrap();
    assert_eq!(chat.headers()[header::CONTENT_TYPE], "text/event-stream");
    assert!(chat.headers().get(header::CONTENT_ENCODING).is_none());
    assert!(chat.text().await.unwrap().contains("event: done"));
}
