//! The file API over HTTP: declare, upload, complete, list, attach, download, delete; the
//! limits; isolation between users; cascade on todo delete; and the S3 flow with presigned
//! requests against moto.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server::domain::UserId;

use crate::{
    chat_api::{chat, parse_sse},
    helpers::{TestApp, spawn_app, spawn_app_with},
};

pub const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

pub async fn user_of(app: &TestApp, token: &str) -> UserId {
    UserId::from_verified_sub(app.sub_of(token).await)
}

async fn declare(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.api(Method::POST, "/api/files", token, Some(body)).await
}

/// What a browser does: declare, send the bytes where told, complete. Returns the file.
/// What a browser does, against any server at `base`: declare `declared`, send `bytes` where
/// told (with the listed headers, and the token only when asked), complete. The completed
/// `FileInfo`, or why a step failed.
pub async fn upload_to(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    declared: Value,
    bytes: Vec<u8>,
) -> Result<Value, String> {
    let step = |what: &str, e: reqwest::Error| format!("{what}: {e}");
    let started = client
        .post(format!("{base}/api/files"))
        .bearer_auth(token)
        .json(&declared)
        .send()
        .await
        .map_err(|e| step("declare", e))?;
    if started.status() != 201 {
        return Err(format!("declare answered {}", started.status()));
    }
    let started: Value = started.json().await.map_err(|e| step("declare", e))?;
    let target = &started["upload"];
    let url = target["url"].as_str().unwrap_or_default();
    let url = if url.starts_with('/') {
        format!("{base}{url}")
    } else {
        url.to_owned()
    };
    let mut put = client.put(&url).body(bytes);
    for header in target["headers"].as_array().into_iter().flatten() {
        put = put.header(
            header[0].as_str().unwrap_or_default(),
            header[1].as_str().unwrap_or_default(),
        );
    }
    if target["needsAuth"] == true {
        put = put.bearer_auth(token);
    }
    let sent = put.send().await.map_err(|e| step("send", e))?;
    if !sent.status().is_success() {
        return Err(format!("sending the bytes answered {}", sent.status()));
    }
    let id = started["file"]["fileId"].as_str().unwrap_or_default();
    let completed = client
        .post(format!("{base}/api/files/{id}/complete"))
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| step("complete", e))?;
    if completed.status() != 200 {
        return Err(format!("complete answered {}", completed.status()));
    }
    completed.json().await.map_err(|e| step("complete", e))
}

/// A PDF upload to `app` that must succeed.
pub async fn upload(
    app: &TestApp,
    token: &str,
    name: &str,
    bytes: &[u8],
    todo_id: Option<&str>,
) -> Value {
    let mut body = json!({"name": name, "size": bytes.len(), "contentType": "application/pdf"});
    if let Some(id) = todo_id {
        body["todoId"] = json!(id);
    }
    upload_to(&app.client, &app.address, token, body, bytes.to_vec())
        .await
        .unwrap_or_else(|e| panic!("uploading {name}: {e}"))
}

pub async fn files_of(app: &TestApp, token: &str, todo_id: &str) -> Vec<Value> {
    let response = app
        .api(
            Method::GET,
            &format!("/api/todos/{todo_id}/files"),
            token,
            None,
        )
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn download(app: &TestApp, token: &str, file_id: &str) -> reqwest::Response {
    let link = app
        .api(
            Method::POST,
            &format!("/api/files/{file_id}/download"),
            token,
            None,
        )
        .await;
    assert_eq!(link.status(), 200);
    let url = link.json::<Value>().await.unwrap()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let url = if url.starts_with('/') {
        format!("{}{url}", app.address)
    } else {
        url
    };
    app.client.get(url).send().await.unwrap()
}

/// A PUT with a chunked body (no Content-Length), as a streaming client sends it; returns
/// the response status.
async fn chunked_put(app: &TestApp, token: &str, path: &str, chunks: &[&str]) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let mut request = format!(
        "PUT {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    for chunk in chunks {
        request.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
    }
    request.push_str("0\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let text = String::from_utf8_lossy(&response);
    text.split(' ').nth(1).unwrap().parse().unwrap()
}

/// Blob files under DATA_DIR/blobs (temporary files included).
pub fn blobs_on_disk(app: &TestApp) -> usize {
    let root = app.data_dir().join("blobs");
    std::fs::read_dir(&root)
        .map(|dirs| {
            dirs.filter_map(|d| d.ok())
                .filter_map(|d| std::fs::read_dir(d.path()).ok())
                .map(|files| files.count())
                .sum()
        })
        .unwrap_or(0)
}

#[tokio::test]
async fn a_file_is_uploaded_listed_downloaded_and_deleted() {
    let app = spawn_app().await;
    let token = app.token_for("files@example.com").await;
    let todo = app
        .create_todo(&token, json!({"title": "Dentist appointment"}))
        .await;
    let todo_id = todo["id"].as_str().unwrap();

    let file = upload(&app, &token, "x-ray.pdf", PDF, Some(todo_id)).await;
    assert_eq!(file["name"], "x-ray.pdf");
    assert_eq!(file["size"], PDF.len());
    assert_eq!(file["contentType"], "application/pdf");
    assert_eq!(file["todoId"], todo_id);
    let file_id = file["fileId"].as_str().unwrap();
    assert_eq!(files_of(&app, &token, todo_id).await, vec![file.clone()]);

    let response = download(&app, &token, file_id).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"x-ray.pdf\"; filename*=UTF-8''x-ray.pdf"
    );
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with("sandbox"),
        "a download never runs as a page of ours"
    );
    assert_eq!(response.bytes().await.unwrap().as_ref(), PDF);

    let deleted = app
        .api(
            Method::DELETE,
            &format!("/api/files/{file_id}"),
            &token,
            None,
        )
        .await;
    assert_eq!(deleted.status(), 204);
    assert!(files_of(&app, &token, todo_id).await.is_empty());
    assert_eq!(blobs_on_disk(&app), 0);
    let again = app
        .api(Method::GET, &format!("/api/files/{file_id}"), &token, None)
        .await;
    assert_eq!(again.status(), 404);
}

#[tokio::test]
async fn a_download_link_works_once() {
    let app = spawn_app().await;
    let token = app.token_for("once@example.com").await;
    let file = upload(&app, &token, "a.pdf", PDF, None).await;
    let link: Value = app
        .api(
            Method::POST,
            &format!("/api/files/{}/download", file["fileId"].as_str().unwrap()),
            &token,
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let url = format!("{}{}", app.address, link["url"].as_str().unwrap());
    // A HEAD (a download manager asking for the size first) does not use the link up.
    let head = app.client.head(&url).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(
        head.headers()["content-length"],
        PDF.len().to_string().as_str()
    );
    assert_eq!(app.client.get(&url).send().await.unwrap().status(), 200);
    assert_eq!(app.client.head(&url).send().await.unwrap().status(), 404);
    let reused = app.client.get(&url).send().await.unwrap();
    assert_eq!(reused.status(), 404);
    let made_up = format!("{}/files/download/not-a-ticket", app.address);
    assert_eq!(app.client.get(made_up).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn oversize_disallowed_and_malformed_uploads_are_refused_with_nothing_stored() {
    let app = spawn_app_with(&[("FILES_MAX_BYTES", "1000")]).await;
    let token = app.token_for("limits@example.com").await;
    let user = user_of(&app, &token).await;
    let todo = app.create_todo(&token, json!({"title": "Taxes"})).await;
    let todo_id = todo["id"].as_str().unwrap();

    let cases = [
        (
            json!({"name": "big.pdf", "size": 1001, "contentType": "application/pdf"}),
            StatusCode::PAYLOAD_TOO_LARGE,
            "limit",
        ),
        (
            json!({"name": "page.html", "size": 10, "contentType": "text/html"}),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "text/html",
        ),
        (
            json!({"name": "logo.svg", "size": 10, "contentType": "image/svg+xml"}),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "cannot be attached",
        ),
        (
            json!({"name": "empty.txt", "size": 0, "contentType": "text/plain"}),
            StatusCode::BAD_REQUEST,
            "empty",
        ),
        (
            json!({"name": "a.pdf", "size": 10, "contentType": "application/pdf", "todoId": "nope"}),
            StatusCode::BAD_REQUEST,
            "not a todo id",
        ),
        (
            json!({"name": "a.pdf", "size": 10, "contentType": "application/pdf", "todoId": uuid::Uuid::now_v7().to_string()}),
            StatusCode::NOT_FOUND,
            "No such todo",
        ),
        (
            json!({"name": "a.pdf", "size": 10, "contentType": "application/pdf", "owner": "someone-else"}),
            StatusCode::BAD_REQUEST,
            "unknown field",
        ),
    ];
    for (body, status, message) in cases {
        let response = declare(&app, &token, body.clone()).await;
        assert_eq!(response.status(), status, "{body}");
        let error: Value = response.json().await.unwrap();
        assert!(
            error["message"].as_str().unwrap().contains(message),
            "{body}: {error}"
        );
    }
    assert!(app.store.list_files(&user).await.unwrap().is_empty());

    // More bytes than declared: refused while streaming, nothing visible, nothing on disk.
    let started: Value = declare(
        &app,
        &token,
        json!({"name": "a.txt", "size": 5, "contentType": "text/plain", "todoId": todo_id}),
    )
    .await
    .json()
    .await
    .unwrap();
    let id = started["file"]["fileId"].as_str().unwrap();
    let url = format!("{}/api/files/{id}/content", app.address);
    assert_eq!(
        chunked_put(
            &app,
            &token,
            &format!("/api/files/{id}/content"),
            &["12345", "67890"]
        )
        .await,
        413,
        "a chunked body is cut off at the declared size"
    );
    let too_long = app
        .client
        .put(&url)
        .bearer_auth(&token)
        .body("1234567890")
        .send()
        .await
        .unwrap();
    assert_eq!(too_long.status(), 413);
    let wrong_length = app
        .client
        .put(&url)
        .bearer_auth(&token)
        .body("1234")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_length.status(), 400);
    assert!(files_of(&app, &token, todo_id).await.is_empty());
    let show = app
        .api(Method::GET, &format!("/api/files/{id}"), &token, None)
        .await;
    assert_eq!(show.status(), 404, "an unfinished upload is not visible");
    let complete = app
        .api(
            Method::POST,
            &format!("/api/files/{id}/complete"),
            &token,
            None,
        )
        .await;
    assert_eq!(complete.status(), 409);
    assert_eq!(blobs_on_disk(&app), 0);
}

#[tokio::test]
async fn file_names_are_sanitized_for_storage() {
    let app = spawn_app().await;
    let token = app.token_for("names@example.com").await;
    let file = upload(
        &app,
        &token,
        "C:\\Users\\me\\<img src=x onerror=alert(1)>\u{7}.pdf",
        PDF,
        None,
    )
    .await;
    assert_eq!(file["name"], "_img src=x onerror=alert(1)__.pdf");
}

#[tokio::test]
async fn another_users_file_or_todo_behaves_like_a_missing_one() {
    let app = spawn_app().await;
    let alice = app.token_for("alice-files@example.com").await;
    let bob = app.token_for("bob-files@example.com").await;
    let todo = app.create_todo(&alice, json!({"title": "Alice's"})).await;
    let alice_todo = todo["id"].as_str().unwrap();
    let file = upload(&app, &alice, "secret.pdf", PDF, Some(alice_todo)).await;
    let alice_file = file["fileId"].as_str().unwrap().to_owned();
    let alice_file = alice_file.as_str();
    let bob_todo = app.create_todo(&bob, json!({"title": "Bob's"})).await;
    let bob_todo = bob_todo["id"].as_str().unwrap();
    let bob_file = upload(&app, &bob, "mine.pdf", PDF, None).await;
    let bob_file = bob_file["fileId"].as_str().unwrap();

    for (method, path, body) in [
        (Method::GET, format!("/api/files/{alice_file}"), None),
        (Method::DELETE, format!("/api/files/{alice_file}"), None),
        (
            Method::POST,
            format!("/api/files/{alice_file}/download"),
            None,
        ),
        (
            Method::POST,
            format!("/api/files/{alice_file}/complete"),
            None,
        ),
        (Method::GET, format!("/api/todos/{alice_todo}/files"), None),
        (
            Method::POST,
            format!("/api/todos/{bob_todo}/files"),
            Some(json!({"fileId": alice_file})),
        ),
        (
            Method::POST,
            format!("/api/todos/{alice_todo}/files"),
            Some(json!({"fileId": bob_file})),
        ),
        (
            Method::POST,
            "/api/files".to_owned(),
            Some(
                json!({"name": "x.pdf", "size": 3, "contentType": "application/pdf", "todoId": alice_todo}),
            ),
        ),
    ] {
        let response = app.api(method.clone(), &path, &bob, body).await;
        assert_eq!(response.status(), 404, "{method} {path}");
    }
    let put = app
        .client
        .put(format!("{}/api/files/{alice_file}/content", app.address))
        .bearer_auth(&bob)
        .body(PDF.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 404);
    // Bob's chat cannot carry Alice's file either.
    let (status, _) = chat(
        &app,
        &bob,
        json!({"message": "attach this to Bob's", "fileIds": [alice_file]}),
    )
    .await;
    assert_eq!(status, 400);
    // Alice's file is untouched.
    assert_eq!(files_of(&app, &alice, alice_todo).await, vec![file]);
    let response = download(&app, &alice, alice_file).await;
    assert_eq!(response.bytes().await.unwrap().as_ref(), PDF);
}

#[tokio::test]
async fn a_file_can_be_attached_to_one_todo() {
    let app = spawn_app().await;
    let token = app.token_for("attach@example.com").await;
    let first = app.create_todo(&token, json!({"title": "First"})).await;
    let second = app.create_todo(&token, json!({"title": "Second"})).await;
    let (first, second) = (
        first["id"].as_str().unwrap(),
        second["id"].as_str().unwrap(),
    );
    let file = upload(&app, &token, "plan.pdf", PDF, None).await;
    assert_eq!(file["todoId"], Value::Null);
    let file_id = file["fileId"].as_str().unwrap();
    let attach = |todo: &str| {
        let path = format!("/api/todos/{todo}/files");
        let app = &app;
        let token = &token;
        async move {
            app.api(Method::POST, &path, token, Some(json!({"fileId": file_id})))
                .await
        }
    };
    let attached = attach(first).await;
    assert_eq!(attached.status(), 200);
    assert_eq!(attached.json::<Value>().await.unwrap()["todoId"], first);
    assert_eq!(
        attach(first).await.status(),
        200,
        "attaching again is a no-op"
    );
    assert_eq!(attach(second).await.status(), 409);
    assert_eq!(files_of(&app, &token, first).await.len(), 1);
    assert!(files_of(&app, &token, second).await.is_empty());
}

#[tokio::test]
async fn of_two_concurrent_attaches_to_different_todos_exactly_one_wins() {
    let app = spawn_app().await;
    let token = app.token_for("race@example.com").await;
    for round in 0..5 {
        let first = app.create_todo(&token, json!({"title": "First"})).await;
        let second = app.create_todo(&token, json!({"title": "Second"})).await;
        let file = upload(&app, &token, &format!("race-{round}.pdf"), PDF, None).await;
        let body = json!({"fileId": file["fileId"]});
        let attach = |todo: &Value| {
            let path = format!("/api/todos/{}/files", todo["id"].as_str().unwrap());
            let (app, token, body) = (&app, &token, body.clone());
            async move { app.api(Method::POST, &path, token, Some(body)).await }
        };
        let (a, b) = tokio::join!(attach(&first), attach(&second));
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "round {round}");
        let listed = files_of(&app, &token, first["id"].as_str().unwrap())
            .await
            .len()
            + files_of(&app, &token, second["id"].as_str().unwrap())
                .await
                .len();
        assert_eq!(listed, 1, "round {round}: the file is on exactly one todo");
    }
}

#[tokio::test]
async fn a_files_bytes_are_written_once() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    let token = app.token_for("once@example.com").await;
    let declared: Value = declare(
        &app,
        &token,
        json!({"name": "once.pdf", "size": 8, "contentType": "application/pdf"}),
    )
    .await
    .json()
    .await
    .unwrap();
    let id = declared["file"]["fileId"].as_str().unwrap().to_owned();
    let path = format!("/api/files/{id}/content");

    // A slow upload starts first and sends half its bytes...
    let host = app.address.trim_start_matches("http://").to_owned();
    let mut slow = tokio::net::TcpStream::connect(&host).await.unwrap();
    let head = format!(
        "PUT {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/pdf\r\nContent-Length: 8\r\nConnection: close\r\n\r\nslow"
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    // ...a fast one sends all of them and the file is completed...
    let fast = app
        .client
        .put(format!("{}{path}", app.address))
        .bearer_auth(&token)
        .header("content-type", "application/pdf")
        .body("fastfast")
        .send()
        .await
        .unwrap();
    assert_eq!(fast.status(), 200);
    let completed = app
        .api(
            Method::POST,
            &format!("/api/files/{id}/complete"),
            &token,
            None,
        )
        .await;
    assert_eq!(completed.status(), 200);
    // ...then the slow one ends: refused, and the bytes stay the fast one's.
    slow.write_all(b"SLOW").await.unwrap();
    let mut answer = Vec::new();
    let _ = slow.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 409"), "{answer}");
    let later = app
        .client
        .put(format!("{}{path}", app.address))
        .bearer_auth(&token)
        .header("content-type", "application/pdf")
        .body("latelate")
        .send()
        .await
        .unwrap();
    assert_eq!(later.status(), 409);
    let kept = download(&app, &token, &id).await;
    assert_eq!(kept.bytes().await.unwrap().as_ref(), b"fastfast");
    assert_eq!(blobs_on_disk(&app), 1, "no temporary file left behind");
}

#[tokio::test]
async fn a_file_dropped_into_the_chat_is_attached_by_talking() {
    let app = spawn_app().await;
    let token = app.token_for("chat-files@example.com").await;
    let todo = app
        .create_todo(&token, json!({"title": "Dentist appointment"}))
        .await;
    let todo_id = todo["id"].as_str().unwrap();
    let file = upload(&app, &token, "x-ray.pdf", PDF, None).await;
    let (status, events) = chat(
        &app,
        &token,
        json!({
            "message": "attach this to my dentist appointment todo",
            "fileIds": [file["fileId"]],
        }),
    )
    .await;
    assert_eq!(status, 200, "{events:?}");
    assert!(
        events
            .iter()
            .any(|(n, d)| n == "tool" && d["name"] == "addTodoFile" && d["status"] == "succeeded"),
        "{events:?}"
    );
    assert!(
        events
            .iter()
            .any(|(n, d)| n == "todos_changed" && d["ids"][0] == todo_id),
        "{events:?}"
    );
    let files = files_of(&app, &token, todo_id).await;
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["name"], "x-ray.pdf");
    let history: Value = app
        .api(Method::GET, "/api/chat/history", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history["messages"][0]["files"], json!(["x-ray.pdf"]));
    let _ = parse_sse;
}

#[tokio::test]
async fn files_in_s3_with_records_in_dynamodb_go_up_and_down_with_presigned_requests() {
    let bucket = format!(
        "tasko-app-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..10]
    );
    assert!(
        std::env::var("TASKO_TEST_MOTO").is_ok(),
        "needs moto: run through `make unit`"
    );
    // The production combination: records in DynamoDB, bytes in S3.
    let prefix = format!("f{}_", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let app = spawn_app_with(&[
        ("FILES", "s3"),
        ("FILES_S3_BUCKET", &bucket),
        ("FILES_S3_CREATE_BUCKET", "1"),
        ("STORE", "dynamodb"),
        ("DYNAMODB_TABLE_PREFIX", &prefix),
        ("DYNAMODB_CREATE_TABLES", "1"),
    ])
    .await;
    let token = app.token_for("s3@example.com").await;
    let user = user_of(&app, &token).await;
    // Browsers may send bytes to the bucket's origin, and only there.
    let page = app.client.get(&app.address).send().await.unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let endpoint = std::env::var("AWS_ENDPOINT_URL").unwrap();
    let connect = csp
        .split(';')
        .find(|d| d.trim().starts_with("connect-src"))
        .unwrap();
    assert!(
        connect.contains(endpoint.trim_end_matches('/')),
        "{connect} lacks {endpoint}"
    );
    let todo = app.create_todo(&token, json!({"title": "Scans"})).await;
    let todo_id = todo["id"].as_str().unwrap();

    // Declared but not uploaded yet: completing is refused, nothing is visible.
    let pending: Value = declare(
        &app,
        &token,
        json!({"name": "late.pdf", "size": 3, "contentType": "application/pdf", "todoId": todo_id}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(pending["upload"]["needsAuth"], false);
    assert!(
        pending["upload"]["url"]
            .as_str()
            .unwrap()
            .contains("X-Amz-Signature="),
        "{pending}"
    );
    let late = pending["file"]["fileId"].as_str().unwrap();
    let through_us = app
        .client
        .put(format!("{}/api/files/{late}/content", app.address))
        .bearer_auth(&token)
        .body("abc")
        .send()
        .await
        .unwrap();
    assert_eq!(
        through_us.status(),
        409,
        "with S3 the server takes no bytes"
    );
    let complete = app
        .api(
            Method::POST,
            &format!("/api/files/{late}/complete"),
            &token,
            None,
        )
        .await;
    assert_eq!(complete.status(), 409);

    let file = upload(&app, &token, "scan.pdf", PDF, Some(todo_id)).await;
    assert_eq!(files_of(&app, &token, todo_id).await, vec![file.clone()]);
    // A presigned upload URL cannot replace a completed file's bytes while still valid.
    let again: Value = declare(
        &app,
        &token,
        json!({"name": "once.pdf", "size": 4, "contentType": "application/pdf", "todoId": todo_id}),
    )
    .await
    .json()
    .await
    .unwrap();
    let put_once = |bytes: &'static [u8]| {
        let mut put = app
            .client
            .put(again["upload"]["url"].as_str().unwrap())
            .body(bytes);
        for header in again["upload"]["headers"].as_array().unwrap() {
            put = put.header(header[0].as_str().unwrap(), header[1].as_str().unwrap());
        }
        put.send()
    };
    assert_eq!(put_once(b"good").await.unwrap().status(), 200);
    let once = again["file"]["fileId"].as_str().unwrap();
    let completed = app
        .api(
            Method::POST,
            &format!("/api/files/{once}/complete"),
            &token,
            None,
        )
        .await;
    assert_eq!(completed.status(), 200);
    assert_eq!(put_once(b"evil").await.unwrap().status(), 412);
    let kept = download(&app, &token, once).await;
    assert_eq!(kept.bytes().await.unwrap().as_ref(), b"good");

    let response = download(&app, &token, file["fileId"].as_str().unwrap()).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("scan.pdf")
    );
    assert_eq!(response.bytes().await.unwrap().as_ref(), PDF);

    let deleted = app
        .api(
            Method::DELETE,
            &format!("/api/todos/{todo_id}"),
            &token,
            None,
        )
        .await;
    assert_eq!(deleted.status(), 204);
    // Purged with its files once the restore window has closed, by the next listing.
    app.clock.advance_by(server::files::trash::RESTORE_WINDOW);
    let listed = app.api(Method::GET, "/api/todos", &token, None).await;
    assert_eq!(listed.status(), 200);
    let left: Vec<_> = app
        .store
        .list_files(&user)
        .await
        .unwrap()
        .into_iter()
        .filter(|f| f.uploaded)
        .collect();
    assert!(left.is_empty());
    let blobs = server::files::s3::S3BlobStore::connect(&bucket).await;
    let key = server::domain::file::blob_key(
        &user,
        server::domain::FileId::parse(file["fileId"].as_str().unwrap()).unwrap(),
    );
    use server::files::blob::BlobStore;
    assert_eq!(
        blobs.size(&key).await,
        Err(server::files::blob::BlobError::NotFound)
    );
}

#[tokio::test]
async fn what_no_user_can_reach_is_swept_on_the_owners_next_upload() {
    use server::{domain::FileRecord, files::blob::BlobStore};
    let app = spawn_app().await;
    let token = app.token_for("sweep@example.com").await;
    let user = user_of(&app, &token).await;
    let todo = app.create_todo(&token, json!({"title": "Kept"})).await;
    let kept_todo = server::domain::TodoId::parse(todo["id"].as_str().unwrap()).unwrap();
    let blobs = server::files::blob::LocalBlobStore::open(app.data_dir()).unwrap();
    let at = |hours_ago: i64| app.clock.now() - jiff::SignedDuration::from_hours(hours_ago);
    let stored = |name: &str, todo_id, uploaded, created_at| {
        let record = FileRecord {
            owner: user.clone(),
            id: server::domain::FileId::new(),
            todo_id,
            name: name.into(),
            size: 3,
            content_type: "text/plain".into(),
            created_at,
            uploaded,
        };
        let (store, blobs) = (&app.store, &blobs);
        async move {
            server::files::blob::put_bytes(blobs, &record.blob_key(), b"abc".to_vec())
                .await
                .unwrap();
            store.create_file(&record).await.unwrap();
            record
        }
    };
    // Gone: an upload never completed, a chat file never attached, a deleted todo's file.
    let abandoned = stored("abandoned.txt", Some(kept_todo), false, at(1)).await;
    let forgotten = stored("forgotten.txt", None, true, at(25)).await;
    let orphan = stored(
        "orphan.txt",
        Some(server::domain::TodoId::new()),
        true,
        at(0),
    )
    .await;
    // Kept: attached, a fresh chat file, an upload still within its window.
    let attached = stored("attached.txt", Some(kept_todo), true, at(48)).await;
    let fresh = stored("fresh.txt", None, true, at(1)).await;
    let uploading = stored("uploading.txt", None, false, at(0)).await;

    upload(&app, &token, "trigger.pdf", PDF, None).await;
    let mut left: Vec<String> = app
        .store
        .list_files(&user)
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.name)
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["attached.txt", "fresh.txt", "trigger.pdf", "uploading.txt"]
    );
    for gone in [&abandoned, &forgotten, &orphan] {
        assert_eq!(
            blobs.size(&gone.blob_key()).await,
            Err(server::files::blob::BlobError::NotFound),
            "{}",
            gone.name
        );
    }
    for kept in [&attached, &fresh, &uploading] {
        assert_eq!(blobs.size(&kept.blob_key()).await, Ok(3), "{}", kept.name);
    }
}

#[tokio::test]
async fn an_account_holds_at_most_its_quota_of_files_and_bytes() {
    let app = spawn_app_with(&[
        ("MAX_FILES_PER_USER", "2"),
        ("MAX_STORED_BYTES_PER_USER", "100"),
    ])
    .await;
    let token = app.token_for("quota@example.com").await;
    upload(&app, &token, "a.pdf", b"0123456789", None).await;
    let too_big = declare(
        &app,
        &token,
        json!({"name": "big.pdf", "size": 95, "contentType": "application/pdf"}),
    )
    .await;
    assert_eq!(too_big.status(), 403);
    let body: Value = too_big.json().await.unwrap();
    assert_eq!(body["error"], "quota_exceeded");
    assert!(
        body["message"].as_str().unwrap().contains("100 B"),
        "{body}"
    );
    upload(&app, &token, "b.pdf", b"0123456789", None).await;
    let third = declare(
        &app,
        &token,
        json!({"name": "c.pdf", "size": 1, "contentType": "application/pdf"}),
    )
    .await;
    assert_eq!(third.status(), 403);
    assert!(
        third.json::<Value>().await.unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("2 files")
    );
    assert_eq!(
        blobs_on_disk(&app),
        2,
        "nothing was stored for the refused ones"
    );
}
