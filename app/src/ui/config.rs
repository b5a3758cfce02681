//! Runtime configuration: /config.json next to the static files.

use gloo_net::http::Request;

use crate::wire::RuntimeConfig;

pub async fn load() -> Result<RuntimeConfig, String> {
    let response = Request::get("/config.json")
        .send()
        .await
        .map_err(|e| format!("the configuration could not be loaded ({e})."))?;
    if !response.ok() {
        return Err(format!(
            "the configuration could not be loaded (HTTP {}).",
            response.status()
        ));
    }
    response
        .json()
        .await
        .map_err(|e| format!("the configuration is invalid ({e})."))
}
