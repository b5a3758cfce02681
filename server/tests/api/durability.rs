//! Durability: the real binary is killed with SIGKILL right after a batch of acknowledged
//! writes; after a restart every acknowledged todo is there, and old tokens still verify
//! (the signing key persisted). The same holds for completed file uploads: record and bytes.

use std::process::Child;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{CLIENT_ID, PASSWORD, free_port, spawn_binary, wait_ready};

fn start(data_dir: &std::path::Path, port: u16) -> Child {
    spawn_binary(data_dir, port, &[])
}

/// The real binary on a fresh data dir (with the test signing key), ready for requests.
struct Binary {
    data: tempfile::TempDir,
    port: u16,
    base: String,
    client: reqwest::Client,
    child: Child,
}

impl Binary {
    async fn start() -> Self {
        let data = tempfile::tempdir().unwrap();
        std::fs::write(
            data.path().join(server::idp::KEY_FILE),
            crate::helpers::test_key_pem(),
        )
        .unwrap();
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let child = start(data.path(), port);
        wait_ready(&client, &base).await;
        Self {
            data,
            port,
            base,
            client,
            child,
        }
    }
}

/// A new user's ID token from the binary's local IdP.
async fn sign_up_and_in(client: &reqwest::Client, base: &str, email: &str) -> String {
    let idp = |op: &str, body: Value| {
        client
            .post(format!("{base}/idp"))
            .header("content-type", "application/x-amz-json-1.1")
            .header(
                "x-amz-target",
                format!("AWSCognitoIdentityProviderService.{op}"),
            )
            .body(body.to_string())
            .send()
    };
    idp(
        "SignUp",
        json!({"ClientId": CLIENT_ID, "Username": email, "Password": PASSWORD}),
    )
    .await
    .unwrap();
    let auth: Value = idp(
        "InitiateAuth",
        json!({"ClientId": CLIENT_ID, "AuthFlow": "USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": email, "PASSWORD": PASSWORD}}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    auth["AuthenticationResult"]["IdToken"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill() {
    let Binary {
        data,
        port,
        base,
        client,
        mut child,
    } = Binary::start().await;

    let token = sign_up_and_in(&client, &base, "durable@example.com").await;

    // Concurrent writers, so the kill lands while the store is busy.
    let mut acknowledged = Vec::new();
    let mut writers = Vec::new();
    for i in 0..60 {
        let (client, base, token) = (client.clone(), base.clone(), token.clone());
        writers.push(tokio::spawn(async move {
            let response = client
                .request(Method::POST, format!("{base}/api/todos"))
                .bearer_auth(token)
                .json(&json!({"title": format!("durable {i}")}))
                .send()
                .await
                .ok()?;
            if response.status() != 201 {
                return None;
            }
            let body: Value = response.json().await.ok()?;
            body["id"].as_str().map(str::to_owned)
        }));
    }
    for writer in writers {
        if let Some(id) = writer.await.unwrap() {
            acknowledged.push(id);
        }
    }
    child.kill().unwrap(); // SIGKILL: no graceful shutdown, no flush
    child.wait().unwrap();
    assert_eq!(acknowledged.len(), 60);

    let mut child = start(data.path(), port);
    wait_ready(&client, &base).await;
    let listed: Vec<Value> = client
        .get(format!("{base}/api/todos"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let ids: std::collections::HashSet<&str> =
        listed.iter().map(|t| t["id"].as_str().unwrap()).collect();
    for id in &acknowledged {
        assert!(ids.contains(id.as_str()), "acknowledged todo {id} lost");
    }
}

/// One whole upload; `Some(file id)` once the server acknowledged it.
async fn upload(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    bytes: Vec<u8>,
) -> Option<String> {
    let declared =
        json!({"name": "scan.pdf", "size": bytes.len(), "contentType": "application/pdf"});
    let file = crate::files_api::upload_to(client, base, token, declared, bytes)
        .await
        .ok()?;
    file["fileId"].as_str().map(str::to_owned)
}

#[tokio::test]
async fn acknowledged_uploads_survive_sigkill() {
    let Binary {
        data,
        port,
        base,
        client,
        mut child,
    } = Binary::start().await;
    let token = sign_up_and_in(&client, &base, "durable-files@example.com").await;

    let contents =
        |i: usize| -> Vec<u8> { (0..200_000).map(|b| ((b * 31 + i) % 251) as u8).collect() };
    let mut uploads = Vec::new();
    for i in 0..20 {
        let (client, base, token) = (client.clone(), base.clone(), token.clone());
        uploads.push(tokio::spawn(async move {
            upload(&client, &base, &token, contents(i))
                .await
                .map(|id| (id, i))
        }));
    }
    let mut acknowledged = Vec::new();
    for upload in uploads {
        if let Some(done) = upload.await.unwrap() {
            acknowledged.push(done);
        }
    }
    child.kill().unwrap(); // SIGKILL right after the last acknowledgement
    child.wait().unwrap();
    assert_eq!(acknowledged.len(), 20);

    let mut child = start(data.path(), port);
    wait_ready(&client, &base).await;
    for (id, i) in &acknowledged {
        let link: Value = client
            .post(format!("{base}/api/files/{id}/download"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let bytes = client
            .get(format!(
                "{base}{}",
                link["url"]
                    .as_str()
                    .unwrap_or_else(|| panic!("file {id} lost: {link}"))
            ))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert!(
            bytes.as_ref() == contents(*i).as_slice(),
            "file {id} changed"
        );
    }
    child.kill().unwrap();
    child.wait().unwrap();
}
