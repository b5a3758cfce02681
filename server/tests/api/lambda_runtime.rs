//! What the Lambda Runtime API stand-ins share: handing out one invocation with the headers
//! the runtime client needs.

use std::time::Duration;

use axum::{http::HeaderMap, response::IntoResponse};
use serde_json::Value;

/// Waits until `take` yields an event, then answers `/invocation/next` with it.
pub async fn next_invocation(take: impl Fn() -> Option<Value>) -> impl IntoResponse {
    loop {
        if let Some(event) = take() {
            let mut headers = HeaderMap::new();
            headers.insert("lambda-runtime-aws-request-id", "req-1".parse().unwrap());
            headers.insert(
                "lambda-runtime-deadline-ms",
                "9999999999999".parse().unwrap(),
            );
            headers.insert(
                "lambda-runtime-invoked-function-arn",
                "arn:aws:lambda:us-east-1:1:function:tasko".parse().unwrap(),
            );
            headers.insert("lambda-runtime-trace-id", "Root=1-0-0".parse().unwrap());
            return (headers, event.to_string());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
