//! `AppState`: what handlers share. Sub-states are reachable through `FromRef`, so an
//! extractor asks only for what it needs (the auth extractor wants the verifier).

use std::sync::Arc;

use app::wire::RuntimeConfig;
use axum::extract::FromRef;

use crate::{
    auth::{TokenVerifier, access_tokens::AccessTokens},
    chat::ChatService,
    config::Secret,
    files::Files,
    oauth::OAuthServer,
    push::PushService,
    reminders::Reminders,
    store::Store,
};

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub files: Arc<Files>,
    pub verifier: Arc<TokenVerifier>,
    /// Personal access tokens (`/api/tokens`, and the other way into the API).
    pub access_tokens: Arc<AccessTokens>,
    /// The OAuth authorization server (`/oauth/*`), and the check of its access tokens.
    pub oauth: Arc<OAuthServer>,
    pub chat: Arc<ChatService>,
    /// Web Push: the VAPID key and the users' browser subscriptions.
    pub push: Arc<PushService>,
    /// Shared secret of `POST /action-group`; `None` disables it.
    pub action_group_secret: Option<Secret>,
    /// Served as /config.json.
    pub runtime_config: Arc<RuntimeConfig>,
    /// Reminders: the push actions and the bell's list (the sweep runs beside the server).
    pub reminders: Arc<Reminders>,
    /// Serialized todo lists by ETag (a cache; see `todos/list_bodies.rs`).
    pub list_bodies: Arc<crate::todos::list_bodies::ListBodies>,
}

impl FromRef<AppState> for Arc<TokenVerifier> {
    fn from_ref(state: &AppState) -> Self {
        state.verifier.clone()
    }
}

impl FromRef<AppState> for Arc<AccessTokens> {
    fn from_ref(state: &AppState) -> Self {
        state.access_tokens.clone()
    }
}

impl FromRef<AppState> for Arc<OAuthServer> {
    fn from_ref(state: &AppState) -> Self {
        state.oauth.clone()
    }
}
