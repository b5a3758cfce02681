//! The service worker and the Push API, through `pwa.js` (a few lines of JavaScript instead
//! of the many web-sys bindings the same calls would need in the wasm).

use wasm_bindgen::{JsValue, prelude::*};
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/ui/reminders/pwa.js")]
extern "C" {
    #[wasm_bindgen(js_name = registerWorker)]
    fn register_worker();
    #[wasm_bindgen(js_name = listen)]
    fn set_listener(handler: &JsValue);
    #[wasm_bindgen(js_name = pushState)]
    fn push_state_promise() -> js_sys::Promise;
    #[wasm_bindgen(js_name = subscribe)]
    fn subscribe_promise(public_key: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = unsubscribe)]
    fn unsubscribe_promise() -> js_sys::Promise;
}

/// Registers `/sw.js` (once, at start: it makes the app installable and shows reminders).
pub fn register() {
    register_worker();
}

/// Hands every message of the service worker (JSON text) to `handler` until [`stop_listening`].
pub fn listen(handler: impl Fn(String) + 'static) {
    let handler = Closure::<dyn Fn(String)>::new(handler).into_js_value();
    set_listener(&handler);
}

pub fn stop_listening() {
    set_listener(&JsValue::NULL);
}

/// Whether this browser can and does receive reminders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PushState {
    /// No service worker or Push API here.
    Unsupported,
    /// The user (or the browser's policy) blocked notifications for this site.
    Denied,
    Off,
    On,
}

pub async fn push_state() -> PushState {
    match JsFuture::from(push_state_promise())
        .await
        .ok()
        .and_then(|s| s.as_string())
        .as_deref()
    {
        Some("on") => PushState::On,
        Some("off") => PushState::Off,
        Some("denied") => PushState::Denied,
        _ => PushState::Unsupported,
    }
}

/// Why subscribing did not happen.
pub enum SubscribeFailure {
    /// The user blocked notifications (now or before).
    Denied,
    Other(String),
}

/// Asks for permission and subscribes; the subscription's `toJSON()` as JSON text.
pub async fn subscribe(public_key: &str) -> Result<String, SubscribeFailure> {
    match JsFuture::from(subscribe_promise(public_key)).await {
        Ok(json) => json
            .as_string()
            .ok_or_else(|| SubscribeFailure::Other("No subscription was made.".into())),
        Err(why) => Err(match why.as_string() {
            Some(text) if text == "denied" => SubscribeFailure::Denied,
            Some(text) => SubscribeFailure::Other(text),
            None => SubscribeFailure::Other("The browser refused the subscription.".into()),
        }),
    }
}

/// Ends this browser's subscription; its endpoint, if there was one.
pub async fn unsubscribe() -> Option<String> {
    JsFuture::from(unsubscribe_promise())
        .await
        .ok()
        .and_then(|e| e.as_string())
}
