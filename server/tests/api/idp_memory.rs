//! Unauthenticated sign-in bursts cannot make the server grow: the real binary takes 200
//! concurrent sign-in attempts (each one an argon2 hash of 19 MiB, for known and unknown
//! users alike) and its peak resident memory stays under a stated bound, because at most
//! one hash per core runs at once and the rest wait in a bounded queue or are refused.

use serde_json::json;

use crate::helpers::{CLIENT_ID, free_port, spawn_binary, wait_ready};

/// The bound this test states: peak RSS of the whole server process, debug build.
const PEAK_RSS_BOUND_KIB: u64 = 128 * 1024;

fn status_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("{field} not in /proc/{pid}/status"))
}

#[tokio::test]
async fn two_hundred_concurrent_sign_ins_keep_memory_bounded() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join(server::idp::KEY_FILE),
        crate::helpers::test_key_pem(),
    )
    .unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    // The per-address limit would refuse most of the burst; lift it to load the hasher.
    let mut child = spawn_binary(data.path(), port, &[("IDP_ATTEMPTS_PER_MINUTE", "100000")]);
    let client = reqwest::Client::new();
    wait_ready(&client, &base).await;
    let before = status_kib(child.id(), "VmRSS:");

    let attempts: Vec<_> = (0..200)
        .map(|i| {
            let body = json!({
                "AuthFlow": "USER_PASSWORD_AUTH",
                "ClientId": CLIENT_ID,
                "AuthParameters": {"USERNAME": format!("nobody-{i}@example.com"), "PASSWORD": "Wr0ng-Pass!"},
            });
            client
                .post(format!("{base}/idp"))
                .header("content-type", "application/x-amz-json-1.1")
                .header("x-amz-target", "AWSCognitoIdentityProviderService.InitiateAuth")
                .body(body.to_string())
                .send()
        })
        .collect();
    let answers = futures_util::future::join_all(attempts).await;
    let mut refused_busy = 0;
    for answer in answers {
        let answer = answer.unwrap();
        assert_eq!(answer.status(), 400);
        let body: serde_json::Value = answer.json().await.unwrap();
        match body["__type"].as_str() {
            Some("NotAuthorizedException") => {}
            Some("TooManyRequestsException") => refused_busy += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    let peak = status_kib(child.id(), "VmHWM:");
    let after = status_kib(child.id(), "VmRSS:");
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "RSS before {before} KiB, peak {peak} KiB, after {after} KiB; {refused_busy} of 200 refused as busy"
    );
    assert!(
        peak < PEAK_RSS_BOUND_KIB,
        "peak RSS {peak} KiB over the bound of {PEAK_RSS_BOUND_KIB} KiB (before the burst: {before} KiB)"
    );
    assert!(refused_busy > 0, "a burst this size overflows the queue");
}
