//! The chat load of `make bench`, run in its own process against a server with `AGENT=stamp`
//! (each chunk holds the time the server's agent sent it). Tokens are minted with the
//! server's own IdP key from its DATA_DIR, so thousands of users cost no sign-ups.
//!
//!   chat_load relay <base url> <data dir> <chats> [spread ms]
//!       that many concurrent streaming chats, started evenly over `spread` (give the agent's
//!       gap); prints the delay from each event's stamp to the kernel's receive time of its
//!       bytes here (the server's part), while all of them stream, then over the whole run
//!       (starts and ends included), then to when this process read them (while all stream):
//!       `relay <chats>` and `<events> <p50 µs> <p99 µs> <max µs>` three times
//!   chat_load idle <base url> <data dir> <sse> <ws>
//!       opens that many idle chats (SSE turns that stay silent, WebSockets without a turn),
//!       prints `open` once all are open, and holds them until stdin closes.
//!   chat_load users <base url> <data dir> <users> <turns>
//!       that many users at once (a server with the LocalAgent), each running that many
//!       chat turns (add, list, complete, delete, confirm) with todo edits through the API
//!       beside them; checks every turn's events and that nothing is left over; prints
//!       `load <users> <seconds> <turns> <409s> <429s> <errors> <p50 ms> <p99 ms>
//!       <API writes> <API 409s> <API errors>`
//!   chat_load soak <base url> <data dir> <users> <seconds>
//!       the same with a pause of 2.5 s after each turn, for that long.
//!   A `429` is counted and its turn retried after `Retry-After`, as the browser does.
//!   chat_load paced <base url> <data dir> <rate> <seconds> <path> [token]
//!       GETs of `path` at a constant rate over 50 connections, latency counted from each
//!       request's scheduled moment: `paced <requests/s> <p50 µs> <p99 µs> <max µs>`

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

/// What one streaming chat saw: when it was open (its `session` event arrived) and when its
/// stream ended, and each stamped chunk as (stamp, received, read): the agent's send time,
/// the kernel's receive time of its bytes (SO_TIMESTAMPNS: the server's part ends there),
/// and when this process read them. All Unix nanoseconds.
struct Chat {
    opened: u128,
    ended: u128,
    chunks: Vec<(u128, u128, u128)>,
}

/// Turns on kernel receive timestamps for a socket.
fn timestamp_receives(socket: &tokio::net::TcpStream) {
    use std::os::fd::AsRawFd;
    let on: libc::c_int = 1;
    // SAFETY: a valid socket descriptor and a c_int option value of the size given.
    let result = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_TIMESTAMPNS,
            (&raw const on).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    assert_eq!(result, 0, "SO_TIMESTAMPNS");
}

/// One `recvmsg`: the bytes read and the kernel's receive time of the last of them.
fn receive(socket: &tokio::net::TcpStream, buffer: &mut [u8]) -> std::io::Result<(usize, u128)> {
    use std::os::fd::AsRawFd;
    let mut control = [0u64; 16];
    let mut iov = libc::iovec {
        iov_base: buffer.as_mut_ptr().cast(),
        iov_len: buffer.len(),
    };
    // SAFETY: zeroed msghdr is valid; every pointer set below outlives the call.
    let mut header: libc::msghdr = unsafe { std::mem::zeroed() };
    header.msg_iov = &raw mut iov;
    header.msg_iovlen = 1;
    header.msg_control = control.as_mut_ptr().cast();
    header.msg_controllen = std::mem::size_of_val(&control) as _;
    // SAFETY: as above; the descriptor is a connected socket.
    let read = unsafe { libc::recvmsg(socket.as_raw_fd(), &raw mut header, 0) };
    if read < 0 {
        return Err(std::io::Error::last_os_error());
    }
    let mut received = 0;
    // SAFETY: walking the control messages the kernel just wrote, with its own macros.
    unsafe {
        let mut message = libc::CMSG_FIRSTHDR(&raw const header);
        while !message.is_null() {
            if (*message).cmsg_level == libc::SOL_SOCKET
                && (*message).cmsg_type == libc::SCM_TIMESTAMPNS
            {
                let time =
                    std::ptr::read_unaligned(libc::CMSG_DATA(message).cast::<libc::timespec>());
                received = time.tv_sec as u128 * 1_000_000_000 + time.tv_nsec as u128;
            }
            message = libc::CMSG_NXTHDR(&raw const header, message);
        }
    }
    Ok((read as usize, received))
}

/// One streaming chat over a plain socket (HTTP/1.1; the SSE events are found in the raw
/// chunked body: each event is one chunk, and a stamp is digits only).
async fn one_chat(address: std::net::SocketAddr, token: String) -> Chat {
    use tokio::io::{AsyncWriteExt, Interest};
    let mut socket = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    socket.set_nodelay(true).expect("nodelay");
    timestamp_receives(&socket);
    let body = r#"{"message":"go"}"#;
    let request = format!(
        "POST /api/chat HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    socket
        .write_all(request.as_bytes())
        .await
        .expect("chat request");
    let mut chat = Chat {
        opened: 0,
        ended: 0,
        chunks: Vec::new(),
    };
    let mut pending = Vec::new();
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        let (read, received) = match socket
            .async_io(Interest::READABLE, || receive(&socket, &mut buffer))
            .await
        {
            Ok((0, _)) | Err(_) => break,
            Ok(got) => got,
        };
        let at = unix_nanos();
        pending.extend_from_slice(&buffer[..read]);
        if chat.opened == 0 {
            assert!(
                pending.starts_with(b"HTTP/1.1 200"),
                "chat refused: {}",
                String::from_utf8_lossy(&pending)
            );
        }
        while let Some(end) = find(&pending, b"\n\n") {
            let block = String::from_utf8_lossy(&pending[..end]).into_owned();
            pending.drain(..end + 2);
            if block.contains("event: session") {
                chat.opened = at;
            }
            let Some(data) = block
                .split("event: chunk\ndata: ")
                .nth(1)
                .and_then(|d| serde_json::from_str::<Value>(d).ok())
            else {
                continue;
            };
            if let Some(stamp) = data["text"].as_str().and_then(|t| t.trim().parse().ok()) {
                chat.chunks.push((stamp, received, at));
            }
        }
    }
    chat.ended = unix_nanos();
    chat
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `<events> <p50 µs> <p99 µs> <max µs>` of the delays.
fn summary(mut delays: Vec<u64>) -> String {
    if delays.is_empty() {
        return "0 0 0 0".into();
    }
    delays.sort_unstable();
    let at = |q: f64| delays[((delays.len() as f64 * q) as usize).min(delays.len() - 1)];
    format!(
        "{} {} {} {}",
        delays.len(),
        at(0.50),
        at(0.99),
        delays[delays.len() - 1]
    )
}

async fn relay(base: String, minter: Minter, chats: usize, spread: Duration) {
    let address: std::net::SocketAddr = base
        .trim_start_matches("http://")
        .parse()
        .expect("base is http://<ip>:<port>");
    let minter = Arc::new(minter);
    let tasks: Vec<_> = (0..chats)
        .map(|i| {
            let token = minter.token(&format!("relay-{}-{i}", std::process::id()));
            // Started evenly over `spread` (the agent's gap): chats that began at different
            // moments, not a thousand chunks due in the same microsecond.
            let start = spread.mul_f64(i as f64 / chats as f64);
            tokio::spawn(async move {
                tokio::time::sleep(start).await;
                one_chat(address, token).await
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.push(task.await.expect("chat task"));
    }
    // "With 1,000 concurrent chats": from the moment the last one was open to the moment
    // the first one ended. Before and after, chats start and end in a burst (a sign-in,
    // three durable writes, a final save each), which the whole-run figure includes.
    let from = all.iter().map(|c| c.opened).max().unwrap_or(0);
    let to = all.iter().map(|c| c.ended).min().unwrap_or(0);
    let chunks = || all.iter().flat_map(|c| &c.chunks);
    let micros = |from: u128, to: u128| (to.saturating_sub(from) / 1_000) as u64;
    let steady = || chunks().filter(|c| (from..to).contains(&c.0));
    println!(
        "relay {chats} {} {} {}",
        summary(steady().map(|c| micros(c.0, c.1)).collect()),
        summary(chunks().map(|c| micros(c.0, c.1)).collect()),
        summary(steady().map(|c| micros(c.0, c.2)).collect()),
    );
    if std::env::var_os("CHAT_LOAD_TIMELINE").is_some() {
        // Where in the run the slow events were: per half second of stamps.
        let first = chunks().map(|c| c.0).min().unwrap_or(0);
        let mut slots: std::collections::BTreeMap<u128, Vec<u64>> = Default::default();
        for c in chunks() {
            slots
                .entry((c.0 - first) / 500_000_000)
                .or_default()
                .push(micros(c.0, c.1));
        }
        for (slot, delays) in slots {
            eprintln!("{:>5.1}s {}", slot as f64 / 2.0, summary(delays));
        }
    }
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

/// What a user's chat turn got: its HTTP status, its events, and how long until its last.
struct Turn {
    status: u16,
    events: Vec<(String, Value)>,
    took: Duration,
    retry_after: Option<u64>,
}

/// A turn as a browser runs it: a `429` is counted and retried after its `Retry-After`.
async fn polite_turn(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    body: Value,
    tally: &mut Tally,
) -> Turn {
    loop {
        let turn = chat_turn(client, base, token, body.clone()).await;
        if turn.status != 429 {
            return turn;
        }
        tally.limited += 1;
        let wait = turn.retry_after.unwrap_or(1);
        tokio::time::sleep(Duration::from_secs(wait)).await;
    }
}

async fn chat_turn(client: &reqwest::Client, base: &str, token: &str, body: Value) -> Turn {
    let started = std::time::Instant::now();
    let response = client
        .post(format!("{base}/api/chat"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await;
    let mut response = match response {
        Ok(response) => response,
        Err(e) => {
            return Turn {
                status: 0,
                events: vec![("transport".into(), json!(e.to_string()))],
                took: started.elapsed(),
                retry_after: None,
            };
        }
    };
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok()?.parse().ok());
    let mut events = Vec::new();
    let mut buffer = String::new();
    while let Ok(Some(bytes)) = response.chunk().await {
        buffer.push_str(&String::from_utf8_lossy(&bytes));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let name = block.lines().find_map(|l| l.strip_prefix("event: "));
            let data = block.lines().find_map(|l| l.strip_prefix("data: "));
            if let (Some(name), Some(data)) = (name, data) {
                events.push((
                    name.to_owned(),
                    serde_json::from_str(data).unwrap_or(Value::Null),
                ));
            }
        }
    }
    Turn {
        status,
        events,
        took: started.elapsed(),
        retry_after,
    }
}

/// The first few errors of a run are printed (to stderr), not thousands.
fn say_error(what: &str) {
    static SAID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    if SAID.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < 5 {
        let mut what = what.to_owned();
        what.truncate(600);
        eprintln!("{what}");
    }
}

/// Counts of one load run, summed over users.
#[derive(Default)]
struct Tally {
    turns: u64,
    turn_ms: Vec<f64>,
    conflicts: u64,
    limited: u64,
    errors: u64,
    rest_ok: u64,
    rest_conflicts: u64,
    rest_errors: u64,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.turns += other.turns;
        self.turn_ms.extend(other.turn_ms);
        self.conflicts += other.conflicts;
        self.limited += other.limited;
        self.errors += other.errors;
        self.rest_ok += other.rest_ok;
        self.rest_conflicts += other.rest_conflicts;
        self.rest_errors += other.rest_errors;
    }

    fn error(&mut self, what: String) {
        self.errors += 1;
        say_error(&format!("error: {what}"));
    }

    /// One turn's outcome: `expect` is an event this step must produce.
    fn turn(&mut self, turn: &Turn, step: &str, expect: &str) {
        match turn.status {
            200 => {}
            409 => return self.conflicts += 1,
            429 => return self.limited += 1,
            other => return self.error(format!("{step}: HTTP {other} {:?}", turn.events)),
        }
        self.turns += 1;
        self.turn_ms.push(turn.took.as_secs_f64() * 1000.0);
        let ended = turn.events.last().map(|(name, _)| name.as_str());
        if ended != Some("done") {
            return self.error(format!("{step}: ended with {:?}", turn.events.last()));
        }
        if !turn.events.iter().any(|(name, _)| name == expect) {
            self.error(format!("{step}: no {expect} event in {:?}", turn.events));
        }
    }

    fn rest(&mut self, status: u16, what: &str) {
        match status {
            200..=299 => self.rest_ok += 1,
            409 => self.rest_conflicts += 1,
            other => {
                self.rest_errors += 1;
                say_error(&format!("API error: {what}: HTTP {other}"));
            }
        }
    }

    /// `<turns> <409> <429> <errors> <p50 ms> <p99 ms> <rest ok> <rest 409> <rest errors>`
    fn line(&mut self) -> String {
        self.turn_ms.sort_by(f64::total_cmp);
        let at = |q: f64| {
            let n = self.turn_ms.len();
            if n == 0 {
                0.0
            } else {
                self.turn_ms[((n as f64 * q) as usize).min(n - 1)]
            }
        };
        format!(
            "{} {} {} {} {:.1} {:.1} {} {} {}",
            self.turns,
            self.conflicts,
            self.limited,
            self.errors,
            at(0.50),
            at(0.99),
            self.rest_ok,
            self.rest_conflicts,
            self.rest_errors
        )
    }
}

/// One user's cycle of five turns, as a person would talk to the LocalAgent: add a todo,
/// list, complete it, delete it (the assistant asks), confirm. The todo is gone after it,
/// so a long run keeps the data the same size.
async fn chat_cycle(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    title: &str,
    tally: &mut Tally,
    think: Duration,
) {
    let steps = [
        (format!("add {title} tomorrow"), "todos_changed"),
        ("list my todos".to_owned(), "chunk"),
        (format!("mark {title} as done"), "todos_changed"),
        (format!("delete {title}"), "confirm"),
    ];
    for (message, expect) in steps {
        let turn = polite_turn(client, base, token, json!({"message": message}), tally).await;
        tally.turn(&turn, &message, expect);
        tokio::time::sleep(think).await;
        if expect == "confirm" {
            let Some(action) = turn
                .events
                .iter()
                .find(|(name, _)| name == "confirm")
                .and_then(|(_, data)| data["actionId"].as_str())
            else {
                return;
            };
            let body = json!({"confirm": {"actionId": action, "approve": true}});
            let turn = polite_turn(client, base, token, body, tally).await;
            tally.turn(&turn, "confirm", "todos_changed");
            tokio::time::sleep(think).await;
        }
    }
}

/// Beside the chat, the same user edits todos in the list: create, complete, delete.
async fn rest_cycle(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    title: &str,
    tally: &mut Tally,
) {
    let created = client
        .post(format!("{base}/api/todos"))
        .bearer_auth(token)
        .json(&json!({"title": title, "notes": "written beside the chat"}))
        .send()
        .await;
    let Ok(created) = created else {
        return tally.rest(0, "create");
    };
    tally.rest(created.status().as_u16(), "create");
    let Ok(todo) = created.json::<Value>().await else {
        return;
    };
    let (Some(id), Some(version)) = (todo["id"].as_str(), todo["version"].as_u64()) else {
        return;
    };
    let patched = client
        .patch(format!("{base}/api/todos/{id}"))
        .bearer_auth(token)
        .json(&json!({"version": version, "completed": true}))
        .send()
        .await
        .map_or(0, |r| r.status().as_u16());
    tally.rest(patched, "complete");
    let deleted = client
        .delete(format!("{base}/api/todos/{id}"))
        .bearer_auth(token)
        .send()
        .await
        .map_or(0, |r| r.status().as_u16());
    tally.rest(deleted, "delete");
}

/// `users`: that many users at once, each running `turns` chat turns (in cycles of five)
/// with todo edits beside them; `soak`: the same with a pause between turns until
/// `seconds` have passed. Prints `load <users> <seconds> ` and the tally's line.
async fn users(base: String, minter: Minter, users: usize, turns: usize, soak: Option<Duration>) {
    let client = client(users * 2);
    let started = std::time::Instant::now();
    // The soak's moderate rate: a turn every 2.5 s per user, under the default limit of
    // 30 turns a minute.
    let think = if soak.is_some() {
        Duration::from_millis(2500)
    } else {
        Duration::ZERO
    };
    let tasks: Vec<_> = (0..users)
        .map(|u| {
            let token = minter.token(&format!("load-{}-{u}", std::process::id()));
            let (client, base) = (client.clone(), base.clone());
            tokio::spawn(async move {
                let mut tally = Tally::default();
                let mut rest = Tally::default();
                let mut cycle = 0;
                loop {
                    let done = match soak {
                        Some(length) => started.elapsed() >= length,
                        None => cycle * 5 >= turns,
                    };
                    if done {
                        break;
                    }
                    let title = format!("errand e{u}c{cycle}");
                    let note = format!("ledger l{u}c{cycle}");
                    tokio::join!(
                        chat_cycle(&client, &base, &token, &title, &mut tally, think),
                        rest_cycle(&client, &base, &token, &note, &mut rest)
                    );
                    cycle += 1;
                }
                // Nothing the chat acknowledged is lost, nothing deleted comes back.
                let left: Value = match client
                    .get(format!("{base}/api/todos"))
                    .bearer_auth(&token)
                    .send()
                    .await
                {
                    Ok(r) => r.json().await.unwrap_or(Value::Null),
                    Err(_) => Value::Null,
                };
                match left.as_array() {
                    Some(todos) if todos.is_empty() => {}
                    _ => tally.error(format!("user {u}: todos left over: {left}")),
                }
                tally.add(rest);
                tally
            })
        })
        .collect();
    let mut tally = Tally::default();
    for task in tasks {
        tally.add(task.await.expect("user task"));
    }
    println!(
        "load {users} {:.1} {}",
        started.elapsed().as_secs_f64(),
        tally.line()
    );
}

/// `paced`: GETs at a constant rate over 50 keep-alive connections, each request sent at its
/// scheduled moment (request k at k / rate); its latency counts from that moment to the last
/// byte of the response, so a slow answer that holds up the next request on its connection is
/// counted too (no coordinated omission). Prints `paced <requests/s achieved> <p50 µs>
/// <p99 µs> <max µs>`.
async fn paced(
    address: std::net::SocketAddr,
    path: String,
    token: Option<String>,
    rate: u32,
    length: Duration,
) {
    const CONNECTIONS: u32 = 50;
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\n{auth}\r\n");
    let request: Arc<[u8]> = request.into_bytes().into();
    let total = (f64::from(rate) * length.as_secs_f64()) as u64;
    let start = tokio::time::Instant::now() + Duration::from_millis(100);
    let tasks: Vec<_> = (0..CONNECTIONS)
        .map(|c| {
            let request = request.clone();
            tokio::spawn(async move {
                let mut socket = tokio::net::TcpStream::connect(address)
                    .await
                    .expect("connect");
                socket.set_nodelay(true).expect("nodelay");
                let mut latencies = Vec::new();
                let mut k = u64::from(c);
                while k < total {
                    let due = start + Duration::from_secs_f64(k as f64 / f64::from(rate));
                    // The timer wakes within a millisecond; the last stretch is waited out
                    // here so the request leaves on time.
                    tokio::time::sleep_until(due - Duration::from_millis(1)).await;
                    while tokio::time::Instant::now() < due {
                        tokio::task::yield_now().await;
                    }
                    exchange(&mut socket, &request).await;
                    latencies.push(due.elapsed().as_micros() as u64);
                    k += u64::from(CONNECTIONS);
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("paced connection"));
    }
    let took = start.elapsed().as_secs_f64();
    let count = all.len();
    let figures = summary(all);
    let rest = figures.split_once(' ').map_or("", |(_, rest)| rest);
    println!("paced {:.0} {rest}", count as f64 / took);
}

/// One request and its whole response (`Content-Length` bodies only, as ours are).
async fn exchange(socket: &mut tokio::net::TcpStream, request: &[u8]) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    socket.write_all(request).await.expect("request");
    let mut response = Vec::with_capacity(32 * 1024);
    let mut chunk = [0u8; 16 * 1024];
    let mut expected = None;
    loop {
        let read = socket.read(&mut chunk).await.expect("response");
        assert!(read > 0, "the server closed the connection");
        response.extend_from_slice(&chunk[..read]);
        if expected.is_none()
            && let Some(end) = find(&response, b"\r\n\r\n")
        {
            let head = String::from_utf8_lossy(&response[..end]).to_ascii_lowercase();
            assert!(head.starts_with("http/1.1 200"), "{head}");
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .expect("a Content-Length");
            expected = Some(end + 4 + length);
        }
        if expected.is_some_and(|n| response.len() >= n) {
            return;
        }
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let number = |i: usize| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(0);
    let (base, data_dir) = (args[2].clone(), args[3].clone());
    let minter = Minter::new(&base, &data_dir).await;
    match args[1].as_str() {
        "relay" => {
            let spread = Duration::from_millis(number(5) as u64);
            relay(base, minter, number(4), spread).await
        }
        "idle" => idle(base, minter, number(4), number(5)).await,
        "users" => users(base, minter, number(4), number(5), None).await,
        "soak" => {
            let length = Duration::from_secs(number(5) as u64);
            users(base, minter, number(4), 0, Some(length)).await
        }
        "paced" => {
            let address = base
                .trim_start_matches("http://")
                .parse()
                .expect("http://<ip>:<port>");
            let token = args.get(7).filter(|t| !t.is_empty()).cloned();
            let length = Duration::from_secs(number(5) as u64);
            paced(address, args[6].clone(), token, number(4) as u32, length).await
        }
        other => panic!("unknown mode {other}: relay, idle, users, soak or paced"),
    }
}
