//! Durability: the real binary is killed with SIGKILL right after a batch of acknowledged
//! writes; after a restart every acknowledged todo is there, and old tokens still verify
//! (the signing key persisted).

use std::process::Child;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{CLIENT_ID, PASSWORD, free_port, spawn_binary, wait_ready};

fn start(data_dir: &std::path::Path, port: u16) -> Child {
    spawn_binary(data_dir, port, &[])
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join(server::idp::KEY_FILE),
        crate::helpers::test_key_pem(),
    )
    .unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut child = start(data.path(), port);
    wait_ready(&client, &base).await;

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
        json!({"ClientId": CLIENT_ID, "Username": "durable@example.com", "Password": PASSWORD}),
    )
    .await
    .unwrap();
    let auth: Value = idp(
        "InitiateAuth",
        json!({"ClientId": CLIENT_ID, "AuthFlow": "USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": "durable@example.com", "PASSWORD": PASSWORD}}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let token = auth["AuthenticationResult"]["IdToken"]
        .as_str()
        .unwrap()
        .to_owned();

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
