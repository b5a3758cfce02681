//! The chat transport in the browser: `POST /api/chat` with the bearer token, the response
//! read as a stream (fetch + ReadableStream) and parsed as Server-Sent Events as bytes arrive.

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, ReadableStreamDefaultReader, RequestInit, TextDecodeOptions, TextDecoder,
};

use crate::ui::{
    auth::session::Auth,
    browser::window,
    http::{Authorized, authorized, error_message},
};
use crate::wire::chat::ChatEvent;

/// Why a turn could not start or finish.
#[derive(Debug, Clone)]
pub struct ChatFailure {
    pub message: String,
    pub retryable: bool,
    /// The network failed (as opposed to the server refusing).
    pub offline: bool,
}

impl ChatFailure {
    fn network(what: &str) -> Self {
        Self {
            message: format!("The connection was lost ({what})."),
            retryable: true,
            offline: true,
        }
    }
}

fn describe(value: JsValue) -> String {
    value
        .as_string()
        .or_else(|| {
            js_sys::JSON::stringify(&value)
                .ok()
                .and_then(|s| s.as_string())
        })
        .unwrap_or_default()
}

/// Splits complete SSE blocks off `buffer` and decodes them.
pub fn take_events(buffer: &mut String) -> Vec<ChatEvent> {
    let mut events = Vec::new();
    while let Some(end) = buffer.find("\n\n") {
        let block: String = buffer.drain(..end + 2).collect();
        let data: String = block
            .lines()
            .filter_map(|line| line.strip_prefix("data:"))
            .map(|d| d.strip_prefix(' ').unwrap_or(d))
            .collect::<Vec<_>>()
            .join("\n");
        if let Ok(event) = serde_json::from_str::<ChatEvent>(&data) {
            events.push(event);
        }
    }
    events
}

/// Sends one chat request and calls `on_event` for each event as it arrives. Returns once the
/// stream ends; `Ok` means it ended with `done` or `error`.
pub async fn run_turn(
    auth: Auth,
    body: String,
    abort: &AbortController,
    mut on_event: impl FnMut(ChatEvent),
) -> Result<(), ChatFailure> {
    let url = auth.absolute_url("/api/chat");
    let request = |bearer: String| {
        let url = url.clone();
        let body = body.clone();
        async move {
            let init = RequestInit::new();
            init.set_method("POST");
            init.set_body(&JsValue::from_str(&body));
            init.set_signal(Some(&abort.signal()));
            let headers = web_sys::Headers::new().map_err(describe)?;
            let _ = headers.set("Content-Type", "application/json");
            let _ = headers.set("Accept", "text/event-stream");
            let _ = headers.set("Authorization", &bearer);
            init.set_headers(&headers);
            let fetched = JsFuture::from(window().fetch_with_str_and_init(&url, &init))
                .await
                .map_err(describe)?;
            fetched.dyn_into::<web_sys::Response>().map_err(describe)
        }
    };
    let response = match authorized(auth, request, web_sys::Response::status).await {
        Authorized::Answered(response) => response,
        Authorized::Failed(what) => return Err(ChatFailure::network(&what)),
        Authorized::SignedOut => {
            return Err(ChatFailure {
                message: "You are signed out.".into(),
                retryable: false,
                offline: false,
            });
        }
    };
    if !response.ok() {
        let status = response.status();
        let text = match response.text() {
            Ok(promise) => JsFuture::from(promise)
                .await
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default(),
            Err(_) => String::new(),
        };
        let message = error_message(&text, || format!("The server answered HTTP {status}."));
        return Err(ChatFailure {
            message,
            retryable: matches!(status, 409 | 429 | 500..=599),
            offline: false,
        });
    }
    let reader: ReadableStreamDefaultReader = response
        .body()
        .ok_or_else(|| ChatFailure::network("empty body"))?
        .get_reader()
        .dyn_into()
        .map_err(|e| ChatFailure::network(&describe(e.into())))?;
    let decoder = TextDecoder::new().map_err(|e| ChatFailure::network(&describe(e)))?;
    let options = TextDecodeOptions::new();
    options.set_stream(true);
    let mut buffer = String::new();
    let mut ended = false;
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| ChatFailure::network(&describe(e)))?;
        if Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true)
        {
            break;
        }
        let bytes: Uint8Array = Reflect::get(&chunk, &"value".into())
            .map_err(|e| ChatFailure::network(&describe(e)))?
            .unchecked_into();
        let text = decoder
            .decode_with_buffer_source_and_options(&bytes, &options)
            .map_err(|e| ChatFailure::network(&describe(e)))?;
        // SSE allows \r\n; normalise so blocks split on \n\n.
        buffer.push_str(&text.replace("\r\n", "\n"));
        for event in take_events(&mut buffer) {
            ended |= event.is_terminal();
            on_event(event);
        }
    }
    if ended {
        Ok(())
    } else {
        Err(ChatFailure::network("the reply stopped before its end"))
    }
}
