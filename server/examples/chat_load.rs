//! The chat load of `make bench`, run in its own process against a server with `AGENT=stamp`
//! (each chunk holds the time the server's agent sent it). Tokens are minted with the
//! server's own IdP key from its DATA_DIR, so thousands of users cost no sign-ups.
//!
//!   chat_load relay <base url> <data dir> <chats>
//!       that many concurrent streaming chats; prints the delay from each event's stamp to
//!       its arrival here: `relay <chats> <events> <p50 µs> <p99 µs> <max µs>`
//!   chat_load idle <base url> <data dir> <sse> <ws>
//!       opens that many idle chats (SSE turns that stay silent, WebSockets without a turn),
//!       prints `open` once all are open, and holds them until stdin closes.

use std::{sync::Arc, time::Duration};

use serde_json::{Value, json};

struct Minter {
    key: server::idp::SigningKey,
    issuer: String,
    client_id: String,
}

impl Minter {
    async fn new(base: &str, data_dir: &str) -> Self {
        let key = server::idp::SigningKey::load_or_create(std::path::Path::new(data_dir))
            .expect("the server's signing key");
        let config: Value = reqwest::get(format!("{base}/config.json"))
            .await
            .expect("config.json")
            .json()
            .await
            .expect("config.json is JSON");
        let pool = config["cognito"]["userPoolId"].as_str().unwrap_or_default();
        Self {
            key,
            issuer: format!("{base}/idp/{pool}"),
            client_id: config["cognito"]["clientId"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        }
    }

    fn token(&self, sub: &str) -> String {
        let now = jiff::Timestamp::now().as_second();
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = Some(self.key.kid.clone());
        let claims = json!({
            "sub": sub, "email": format!("{sub}@example.com"), "iss": self.issuer,
            "aud": self.client_id, "token_use": "id", "iat": now, "exp": now + 3600,
        });
        jsonwebtoken::encode(&header, &claims, &self.key.encoding).expect("token")
    }
}

fn unix_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

fn client(connections: usize) -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()
        .expect("client")
}

/// One streaming chat; the delays of its stamped chunks, in microseconds.
async fn one_chat(client: reqwest::Client, base: String, token: String) -> Vec<u64> {
    let response = client
        .post(format!("{base}/api/chat"))
        .bearer_auth(token)
        .json(&json!({"message": "go"}))
        .send()
        .await
        .expect("chat request");
    assert_eq!(response.status(), 200, "chat refused");
    let mut response = response;
    let mut buffer = String::new();
    let mut delays = Vec::new();
    while let Ok(Some(bytes)) = response.chunk().await {
        let arrived = unix_nanos();
        buffer.push_str(&String::from_utf8_lossy(&bytes));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            if !block.starts_with("event: chunk") {
                continue;
            }
            let data = block.lines().find_map(|l| l.strip_prefix("data: "));
            let stamp = data
                .and_then(|d| serde_json::from_str::<Value>(d).ok())
                .and_then(|v| v["text"].as_str()?.trim().parse::<u128>().ok());
            if let Some(stamp) = stamp {
                delays.push((arrived.saturating_sub(stamp) / 1_000) as u64);
            }
        }
    }
    delays
}

async fn relay(base: String, minter: Minter, chats: usize) {
    let client = client(chats);
    let minter = Arc::new(minter);
    let tasks: Vec<_> = (0..chats)
        .map(|i| {
            let sub = format!("relay-{}-{i}", std::process::id());
            let (client, base, token) = (client.clone(), base.clone(), minter.token(&sub));
            tokio::spawn(one_chat(client, base, token))
        })
        .collect();
    let mut delays = Vec::new();
    for task in tasks {
        delays.extend(task.await.expect("chat task"));
    }
    delays.sort_unstable();
    let at = |q: f64| delays[((delays.len() as f64 * q) as usize).min(delays.len() - 1)];
    println!(
        "relay {chats} {} {} {} {}",
        delays.len(),
        at(0.50),
        at(0.99),
        delays.last().copied().unwrap_or_default()
    );
}

async fn idle(base: String, minter: Minter, sse: usize, ws: usize) {
    let client = client(sse);
    let mut held = Vec::new();
    for i in 0..sse {
        let response = client
            .post(format!("{base}/api/chat"))
            .bearer_auth(minter.token(&format!("idle-sse-{}-{i}", std::process::id())))
            .json(&json!({"message": "go"}))
            .send()
            .await
            .expect("chat request");
        assert_eq!(response.status(), 200);
        let mut response = response;
        // Open once the `session` event arrived.
        let _ = response.chunk().await;
        held.push(response);
    }
    let mut sockets = Vec::new();
    let ws_base = base.replacen("http", "ws", 1);
    for i in 0..ws {
        let ticket: Value = client
            .post(format!("{base}/api/chat/ticket"))
            .bearer_auth(minter.token(&format!("idle-ws-{}-{i}", std::process::id())))
            .send()
            .await
            .expect("ticket")
            .json()
            .await
            .expect("ticket JSON");
        let url = format!(
            "{ws_base}/api/chat/ws?ticket={}",
            ticket["ticket"].as_str().unwrap()
        );
        let (socket, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("websocket");
        sockets.push(socket);
    }
    println!("open {} {}", held.len(), sockets.len());
    // Held until the benchmark is done with them (it closes our stdin).
    let _ = tokio::task::spawn_blocking(|| {
        let mut rest = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut rest)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(10)).await;
    drop(held);
    drop(sockets);
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let number = |i: usize| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(0);
    let (base, data_dir) = (args[2].clone(), args[3].clone());
    let minter = Minter::new(&base, &data_dir).await;
    match args[1].as_str() {
        "relay" => relay(base, minter, number(4)).await,
        "idle" => idle(base, minter, number(4), number(5)).await,
        other => panic!("unknown mode {other}: relay or idle"),
    }
}
