//! Performance measurements (not tests): `cargo bench -p server --bench perf`.
//!
//! 1. LocalAgent time to first chunk, in-process (no HTTP) and end to end over HTTP.
//! 2. Chat relay: the delay between an agent emitting a chunk and the client reading it,
//!    with many concurrent streaming chats. Client and server share the machine (and this
//!    process), so the numbers are upper bounds of what the server adds.
//! 3. Todo API: GET /api/todos with 100 todos under concurrent load.
//! 4. Files (local folder): a 1 MiB upload (declare, stream to disk with fsync, complete) and
//!    its download, end to end over HTTP.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use app::wire::chat::ChatEvent;
use serde_json::json;
use server::{
    agent::{Agent, EventSink, TurnContext, TurnInput, local::LocalAgent, stamp::StampAgent},
    config::Settings,
    domain::AgentMemory,
    domain::UserId,
    startup::{Application, Overrides},
    store::{Store, embedded::EmbeddedStore},
    todos::service,
};

/// Wall-clock Unix nanoseconds, as `AGENT=stamp`'s chunks carry them.
fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{name:<48} n={:<7} p50={:>9.3?} p99={:>9.3?} max={:>9.3?}",
        samples.len(),
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        samples.last().unwrap()
    );
}

struct Bench {
    base: String,
    key: jsonwebtoken::EncodingKey,
    kid: String,
    issuer: String,
    store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
}

impl Bench {
    async fn start(agent: Option<Arc<dyn Agent>>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let pem = server::idp::generate_pem().unwrap();
        std::fs::write(dir.path().join(server::idp::KEY_FILE), &pem).unwrap();
        let env = [
            ("PORT", "0".to_owned()),
            ("DATA_DIR", dir.path().display().to_string()),
            ("DIST_DIR", dir.path().join("none").display().to_string()),
            ("LOG", "error".to_owned()),
            ("LOCAL_AGENT_CHUNK_DELAY_MS", "0".to_owned()),
            ("CHAT_TURNS_PER_MINUTE", "10000".to_owned()),
        ];
        let settings =
            Settings::from_lookup(|k| env.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone()))
                .unwrap();
        let overrides = Overrides {
            agent,
            ..Overrides::default()
        };
        let app = Application::build_with(settings, overrides).await.unwrap();
        let base = format!("http://127.0.0.1:{}", app.port());
        let store = app.store();
        tokio::spawn(app.run_until(std::future::pending()));
        Self {
            issuer: format!("{base}/idp/local_tasko"),
            base,
            key: jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap(),
            kid: server::idp::SigningKey::from_pem(&pem).unwrap().kid,
            store,
            _dir: dir,
        }
    }

    /// An ID token for `sub`, signed with the IdP's key (signing up thousands of users would
    /// measure argon2 instead).
    fn token(&self, sub: &str) -> String {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        let now = jiff::Timestamp::now().as_second();
        let claims = json!({"sub": sub, "email": format!("{sub}@example.com"), "iss": self.issuer,
            "aud": "tasko-local-client", "token_use": "id", "iat": now, "exp": now + 3600});
        jsonwebtoken::encode(&header, &claims, &self.key).unwrap()
    }
}

async fn seed(store: &dyn Store, user: &UserId, count: usize) {
    for i in 0..count {
        let due = format!("2026-12-{:02}", i % 28 + 1);
        let input = app::wire::NewTodo {
            title: format!("Todo number {i}"),
            date_due: Some(due),
            ..Default::default()
        };
        service::create(store, user, input, usize::MAX, jiff::Timestamp::now())
            .await
            .unwrap();
    }
}

async fn local_agent_in_process() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(EmbeddedStore::open(dir.path()).unwrap());
    let user = UserId::from_verified_sub("bench");
    seed(store.as_ref(), &user, 100).await;
    let files = Arc::new(server::files::Files::new(
        store.clone(),
        Arc::new(server::files::blob::LocalBlobStore::open(dir.path()).unwrap()),
        1024 * 1024,
        Arc::new(server::domain::SystemClock),
    ));
    let agent = LocalAgent::new(Duration::ZERO);
    let mut samples = Vec::new();
    for _ in 0..300 {
        let (tx, mut rx) = tokio::sync::mpsc::channel(1024);
        let sink = EventSink::new(tx);
        let mut ctx = TurnContext {
            session_id: server::domain::ConversationId::new(),
            user: user.clone(),
            store: store.clone(),
            files: files.clone(),
            attachments: vec![],
            today: jiff::civil::date(2026, 11, 25),
            time_zone: "UTC".into(),
            memory: AgentMemory::default(),
            agent_epoch: 0,
            transcript: vec![],
        };
        let started = Instant::now();
        let turn = agent.turn(
            &mut ctx,
            TurnInput::Message("list my todos due this week".into()),
            &sink,
        );
        let first = async {
            while let Some(event) = rx.recv().await {
                if matches!(*event, ChatEvent::Chunk { .. }) {
                    return started.elapsed();
                }
            }
            unreachable!("no chunk")
        };
        let (_, elapsed) = tokio::join!(turn, first);
        samples.push(elapsed);
    }
    report("LocalAgent first chunk, in process (100 todos)", samples);
}

async fn local_agent_over_http() {
    let bench = Bench::start(None).await;
    let user = UserId::from_verified_sub("http-bench");
    seed(bench.store.as_ref(), &user, 100).await;
    let token = bench.token("http-bench");
    let client = reqwest::Client::new();
    let mut samples = Vec::new();
    for _ in 0..300 {
        let started = Instant::now();
        let mut response = client
            .post(format!("{}/api/chat", bench.base))
            .bearer_auth(&token)
            .json(&json!({"message": "list my todos due this week"}))
            .send()
            .await
            .unwrap();
        let mut body = String::new();
        let mut first = None;
        while let Some(bytes) = response.chunk().await.unwrap() {
            body.push_str(&String::from_utf8_lossy(&bytes));
            if first.is_none() && body.contains("event: chunk") {
                first = Some(started.elapsed());
            }
        }
        samples.push(first.expect("a chunk"));
    }
    report("LocalAgent first chunk, HTTP round trip", samples);
}

async fn relay(concurrent: usize) {
    let agent = Arc::new(StampAgent {
        chunks: 40,
        gap: Duration::from_millis(25),
    });
    let bench = Arc::new(Bench::start(Some(agent)).await);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrent)
        .build()
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..concurrent {
        let (bench, client) = (bench.clone(), client.clone());
        tasks.push(tokio::spawn(async move {
            let token = bench.token(&format!("relay-{i}"));
            let mut response = client
                .post(format!("{}/api/chat", bench.base))
                .bearer_auth(token)
                .json(&json!({"message": "go"}))
                .send()
                .await
                .unwrap();
            let mut buffer = String::new();
            let mut delays = Vec::new();
            while let Some(bytes) = response.chunk().await.unwrap() {
                let received = nanos();
                buffer.push_str(&String::from_utf8_lossy(&bytes));
                while let Some(end) = buffer.find("\n\n") {
                    let block: String = buffer.drain(..end + 2).collect();
                    if let Some(data) = block.lines().find_map(|l| l.strip_prefix("data: "))
                        && let Ok(ChatEvent::Chunk { text }) =
                            serde_json::from_str::<ChatEvent>(data)
                    {
                        let sent: u128 = text.trim().parse().unwrap();
                        delays.push(Duration::from_nanos((received - sent) as u64));
                    }
                }
            }
            delays
        }));
    }
    let mut samples = Vec::new();
    for task in tasks {
        samples.extend(task.await.unwrap());
    }
    report(
        &format!("relay delay, {concurrent} concurrent streaming chats"),
        samples,
    );
}

async fn todo_list_load() {
    let bench = Arc::new(Bench::start(None).await);
    let user = UserId::from_verified_sub("list-bench");
    seed(bench.store.as_ref(), &user, 100).await;
    let token = bench.token("list-bench");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (bench, client, token) = (bench.clone(), client.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            while Instant::now() < deadline {
                let started = Instant::now();
                let todos: Vec<serde_json::Value> = client
                    .get(format!("{}/api/todos", bench.base))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                assert_eq!(todos.len(), 100);
                samples.push(started.elapsed());
            }
            samples
        }));
    }
    let mut samples = Vec::new();
    for task in tasks {
        samples.extend(task.await.unwrap());
    }
    println!(
        "GET /api/todos (100 todos), 16 clients: {:.0} requests/s",
        samples.len() as f64 / 5.0
    );
    report("GET /api/todos latency (client-measured)", samples);
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Idle WebSockets: memory per open chat connection (server and client in this process, so an
/// upper bound for the server alone).
async fn idle_websockets(count: usize) {
    let bench = Bench::start(None).await;
    let client = reqwest::Client::new();
    let ws_base = bench.base.replace("http://", "ws://");
    let before = rss_kib();
    let mut sockets = Vec::with_capacity(count);
    for i in 0..count {
        let token = bench.token(&format!("idle-{}", i % 500));
        let ticket: serde_json::Value = client
            .post(format!("{}/api/chat/ticket", bench.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let url = format!(
            "{ws_base}/api/chat/ws?ticket={}",
            ticket["ticket"].as_str().unwrap()
        );
        // Small client buffers too, so the number is mostly the server's.
        let config = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
            .read_buffer_size(4 * 1024)
            .write_buffer_size(4 * 1024);
        let (socket, _) = tokio_tungstenite::connect_async_with_config(url, Some(config), false)
            .await
            .unwrap();
        sockets.push(socket);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = rss_kib();
    println!(
        "{count} idle WebSocket chats: RSS +{} KiB, {:.1} KiB per connection (client included)",
        after.saturating_sub(before),
        after.saturating_sub(before) as f64 / count as f64
    );
    drop(sockets);
}

async fn files_round_trip() {
    let bench = Bench::start(None).await;
    let token = bench.token("files-bench");
    let client = reqwest::Client::new();
    let body = vec![7u8; 1024 * 1024];
    let (mut uploads, mut downloads) = (Vec::new(), Vec::new());
    for i in 0..100 {
        let started = Instant::now();
        let declared: serde_json::Value = client
            .post(format!("{}/api/files", bench.base))
            .bearer_auth(&token)
            .json(&json!({"name": format!("f{i}.pdf"), "size": body.len(), "contentType": "application/pdf"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = declared["file"]["fileId"].as_str().unwrap().to_owned();
        let put = client
            .put(format!("{}/api/files/{id}/content", bench.base))
            .bearer_auth(&token)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert!(put.status().is_success());
        let done = client
            .post(format!("{}/api/files/{id}/complete", bench.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert!(done.status().is_success());
        uploads.push(started.elapsed());

        let started = Instant::now();
        let link: serde_json::Value = client
            .post(format!("{}/api/files/{id}/download", bench.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let bytes = client
            .get(format!("{}{}", bench.base, link["url"].as_str().unwrap()))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(bytes.len(), body.len());
        downloads.push(started.elapsed());
    }
    report("File upload 1 MiB (declare, PUT, complete)", uploads);
    report("File download 1 MiB (link, GET)", downloads);
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        local_agent_in_process().await;
        local_agent_over_http().await;
        relay(100).await;
        relay(1000).await;
        todo_list_load().await;
        files_round_trip().await;
        idle_websockets(4_000).await;
    });
}
