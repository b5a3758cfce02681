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
        other => panic!("unknown mode {other}: relay or idle"),
    }
}
