//! The function's events on AWS Lambda. Two kinds arrive: HTTP requests from the Function
//! URL, served by the router with streamed responses (lambda_http's adapter), and the
//! EventBridge Scheduler schedule's event (the template's target `Input`,
//! `{"tasko": "sweep-reminders"}`, every minute), which sweeps due reminders and returns.
//! The schedule's event can only come from an `Invoke` (its role may do nothing else); a
//! Function URL request is always an HTTP event, whatever its body says.

use std::{pin::Pin, sync::Arc};

use axum::{
    Router,
    http::{HeaderMap, HeaderValue, StatusCode, header},
};
use bytes::Bytes;
use futures_util::{Stream, StreamExt, stream};
use lambda_http::{
    LambdaEvent, StreamAdapter,
    lambda_runtime::{self, MetadataPrelude, StreamResponse},
    request::LambdaRequest,
    tower::ServiceExt,
};
use serde_json::{Value, json};

use crate::reminders::Reminders;

type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, lambda_runtime::Error>> + Send>>;

/// The scheduled event's marker (infra/template.yaml's schedule target `Input`).
pub const SWEEP_EVENT: &str = "sweep-reminders";

/// Whether `event` is the reminder schedule's.
pub fn is_sweep_event(event: &Value) -> bool {
    event.get("tasko").and_then(Value::as_str) == Some(SWEEP_EVENT)
}

fn json_response(body: Value) -> StreamResponse<Chunks> {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let bytes = Bytes::from(body.to_string());
    StreamResponse {
        metadata_prelude: MetadataPrelude {
            status_code: StatusCode::OK,
            headers,
            cookies: Vec::new(),
        },
        stream: Box::pin(stream::once(async move { Ok(bytes) })),
    }
}

/// Serves the function's events until the runtime stops it.
pub async fn run(router: Router, reminders: Arc<Reminders>) -> Result<(), lambda_runtime::Error> {
    let http = StreamAdapter::from(router);
    let handler = lambda_runtime::service_fn(move |event: LambdaEvent<Value>| {
        let (http, reminders) = (http.clone(), reminders.clone());
        async move {
            let LambdaEvent { payload, context } = event;
            if is_sweep_event(&payload) {
                // A failed sweep fails the invocation, so it is logged and counted by
                // Lambda; what it did not take is still due for the next minute's.
                let report = reminders.sweep(reminders.now()).await?;
                tracing::info!(?report, "scheduled reminder sweep");
                return Ok::<_, lambda_runtime::Error>(json_response(json!({
                    "due": report.due,
                    "sent": report.sent,
                    "skipped": report.skipped,
                    "failed": report.failed,
                })));
            }
            let request: LambdaRequest = serde_json::from_value(payload)?;
            let response = http.oneshot(LambdaEvent::new(request, context)).await?;
            let chunks: Chunks = Box::pin(
                response
                    .stream
                    .map(|piece| piece.map_err(lambda_runtime::Error::from)),
            );
            Ok(StreamResponse {
                metadata_prelude: response.metadata_prelude,
                stream: chunks,
            })
        }
    });
    lambda_runtime::run(handler).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_schedules_marker_is_a_sweep() {
        assert!(is_sweep_event(&json!({"tasko": "sweep-reminders"})));
        assert!(!is_sweep_event(&json!({"tasko": "other"})));
        assert!(!is_sweep_event(
            &json!({"version": "2.0", "body": "{\"tasko\":\"sweep-reminders\"}"})
        ));
    }
}
