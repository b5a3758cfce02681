//! `spawn_app()`: boots the real application on a free port with its own data dir, plus
//! helpers to sign up, sign in, call the API and forge tokens with the IdP's own key.

use std::{collections::HashMap, sync::OnceLock};

use app::wire::cognito::{AuthenticationResult, InitiateAuthResponse};
use reqwest::{Method, Response};
use serde_json::{Value, json};
use server::{
    config::Settings,
    domain::{Clock, ManualClock},
    idp,
    startup::Application,
};
use tempfile::TempDir;

pub const CLIENT_ID: &str = "tasko-test-client";
pub const POOL_ID: &str = "local_test";
pub const PASSWORD: &str = "Corr3ct-Horse";

/// RSA key generation is slow; every test app shares one signing key, written into its data
/// dir before start (the IdP loads an existing key instead of generating one).
pub fn test_key_pem() -> &'static str {
    static PEM: OnceLock<String> = OnceLock::new();
    PEM.get_or_init(|| idp::generate_pem().expect("generate test key"))
}

/// The app's clock, which the test moves by hand instead of sleeping (restore windows,
/// chat session expiry, rate limits, "today" in a time zone). Every test app has one.
#[derive(Clone)]
pub struct TestClock(std::sync::Arc<ManualClock>);

impl TestClock {
    /// Frozen at `rfc3339` until advanced.
    pub fn at(rfc3339: &str) -> Self {
        Self(std::sync::Arc::new(ManualClock::at(
            rfc3339.parse().unwrap(),
        )))
    }
    /// The real time, plus whatever the test adds.
    pub fn running() -> Self {
        Self(std::sync::Arc::new(ManualClock::running()))
    }
    pub fn advance(&self, seconds: i64) {
        self.0.advance(jiff::SignedDuration::from_secs(seconds));
    }
    pub fn advance_by(&self, by: std::time::Duration) {
        self.0.advance(by);
    }
    pub fn now(&self) -> jiff::Timestamp {
        self.0.now()
    }
}

impl Clock for TestClock {
    fn now(&self) -> jiff::Timestamp {
        self.0.now()
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// Removed when the test ends.
    _data_dir: TempDir,
    pub issuer: String,
    pub app_verifier: std::sync::Arc<server::auth::TokenVerifier>,
    pub store: std::sync::Arc<dyn server::store::Store>,
    /// Its reminders: tests sweep by hand on the test clock (the loop is off).
    pub reminders: std::sync::Arc<server::reminders::Reminders>,
    /// Web Push, to deliver as the reminders' sweep does.
    pub push: std::sync::Arc<server::push::PushService>,
    /// The app's clock: move it instead of sleeping.
    pub clock: TestClock,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

pub fn settings_for(data_dir: &std::path::Path, extra: &[(&str, &str)]) -> Settings {
    let mut env: HashMap<String, String> = HashMap::from([
        ("PORT".into(), "0".into()),
        ("DATA_DIR".into(), data_dir.display().to_string()),
        (
            "DIST_DIR".into(),
            data_dir.join("no-dist").display().to_string(),
        ),
        ("COGNITO_CLIENT_ID".into(), CLIENT_ID.into()),
        ("COGNITO_USER_POOL_ID".into(), POOL_ID.into()),
        // Tests move the clock and sweep by hand.
        ("REMINDER_SWEEP_SECS".into(), "0".into()),
    ]);
    for (k, v) in extra {
        env.insert((*k).into(), (*v).into());
    }
    Settings::from_lookup(|k| env.get(k).cloned()).expect("test settings are valid")
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    spawn_app_with_clock(extra, TestClock::running()).await
}

pub async fn spawn_app_with_clock(extra: &[(&str, &str)], clock: TestClock) -> TestApp {
    spawn_app_pushing(extra, clock, None).await
}

/// `spawn_app_with_clock` with reminders pushed to `push` (a recorder in tests).
pub async fn spawn_app_pushing(
    extra: &[(&str, &str)],
    clock: TestClock,
    push: Option<std::sync::Arc<dyn server::reminders::PushDelivery>>,
) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(data_dir.path().join(idp::KEY_FILE), test_key_pem()).expect("write key");
    let mut extra = extra.to_vec();
    if !extra
        .iter()
        .any(|(k, _)| *k == "LOCAL_AGENT_CHUNK_DELAY_MS")
    {
        extra.push(("LOCAL_AGENT_CHUNK_DELAY_MS", "0"));
    }
    let settings = settings_for(data_dir.path(), &extra);
    let overrides = server::startup::Overrides {
        clock: std::sync::Arc::new(clock.clone()),
        agent: None,
        push,
    };
    let app = Application::build_with(settings, overrides)
        .await
        .expect("app builds");
    let store = app.store();
    let reminders = app.reminders();
    let push = app.push();
    let address = format!("http://127.0.0.1:{}", app.port());
    let app_verifier = app.verifier();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    TestApp {
        issuer: format!("{address}/idp/{POOL_ID}"),
        address,
        client: reqwest::Client::new(),
        _data_dir: data_dir,
        app_verifier,
        store,
        reminders,
        push,
        clock,
        _shutdown: tx,
    }
}

impl TestApp {
    /// The app's DATA_DIR (blobs live in its `blobs` folder).
    pub fn data_dir(&self) -> &std::path::Path {
        self._data_dir.path()
    }

    /// One Cognito protocol call to the local IdP.
    pub async fn idp(&self, operation: &str, body: Value) -> Response {
        self.client
            .post(format!("{}/idp", self.address))
            .header("content-type", "application/x-amz-json-1.1")
            .header(
                "x-amz-target",
                format!("AWSCognitoIdentityProviderService.{operation}"),
            )
            .body(body.to_string())
            .send()
            .await
            .expect("idp request")
    }

    pub async fn sign_up(&self, email: &str, password: &str) -> Response {
        self.idp(
            "SignUp",
            json!({"ClientId": CLIENT_ID, "Username": email, "Password": password}),
        )
        .await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Response {
        self.idp(
            "InitiateAuth",
            json!({"ClientId": CLIENT_ID, "AuthFlow": "USER_PASSWORD_AUTH",
                   "AuthParameters": {"USERNAME": email, "PASSWORD": password}}),
        )
        .await
    }

    /// Signs up and in; returns the tokens.
    pub async fn new_user(&self, email: &str) -> AuthenticationResult {
        assert_eq!(self.sign_up(email, PASSWORD).await.status(), 200);
        let response = self.sign_in(email, PASSWORD).await;
        assert_eq!(response.status(), 200);
        response
            .json::<InitiateAuthResponse>()
            .await
            .unwrap()
            .authentication_result
    }

    /// A new ID token for a signed-up user (the one before expired on the app's clock).
    pub async fn sign_in_again(&self, email: &str) -> String {
        let response = self.sign_in(email, PASSWORD).await;
        assert_eq!(response.status(), 200);
        let signed_in: InitiateAuthResponse = response.json().await.unwrap();
        signed_in.authentication_result.id_token
    }

    /// The `sub` the server verified from `token` (via `/api/me`).
    pub async fn sub_of(&self, token: &str) -> String {
        let me: Value = self
            .api(Method::GET, "/api/me", token, None)
            .await
            .json()
            .await
            .unwrap();
        me["sub"].as_str().unwrap().to_owned()
    }

    /// A signed-up user's ID token.
    pub async fn token_for(&self, email: &str) -> String {
        self.new_user(email).await.id_token
    }

    pub async fn api(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> Response {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.address))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("api request")
    }

    /// `api`'s status and JSON body (`null` when the body is not JSON).
    pub async fn api_json(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let response = self.api(method, path, token, body).await;
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub async fn create_todo(&self, token: &str, body: Value) -> Value {
        let response = self
            .api(Method::POST, "/api/todos", token, Some(body))
            .await;
        assert_eq!(response.status(), 201);
        response.json().await.unwrap()
    }

    /// A token signed with the IdP's real key (so only the claims make it bad).
    pub fn forge(&self, claims: Value) -> String {
        sign_with_test_key(&claims)
    }

    pub fn kid(&self) -> String {
        idp::SigningKey::from_pem(test_key_pem()).unwrap().kid
    }

    /// Valid ID-token claims for `sub`, to be spoiled one at a time.
    pub fn good_claims(&self, sub: &str) -> Value {
        let now = jiff::Timestamp::now().as_second();
        json!({
            "sub": sub, "email": "forged@example.com", "iss": self.issuer, "aud": CLIENT_ID,
            "token_use": "id", "iat": now, "exp": now + 600, "auth_time": now,
        })
    }
}

/// A free local port (for the binaries tests start themselves).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts the real `tasko-server` binary on `port` with its data in `data_dir` (the test
/// signing key already there) and `extra` settings; the environment is otherwise clean.
pub fn spawn_binary(
    data_dir: &std::path::Path,
    port: u16,
    extra: &[(&str, &str)],
) -> std::process::Child {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tasko-server"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("PORT", port.to_string())
        .env("DATA_DIR", data_dir)
        .env("DIST_DIR", data_dir.join("no-dist"))
        .env("COGNITO_CLIENT_ID", CLIENT_ID)
        .env("COGNITO_USER_POOL_ID", POOL_ID)
        .env("LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit());
    for (key, value) in extra {
        command.env(key, value);
    }
    command.spawn().expect("server binary starts")
}

/// Waits until the server at `base` answers (up to 20 s).
pub async fn wait_ready(client: &reqwest::Client, base: &str) {
    for _ in 0..400 {
        if client
            .get(format!("{base}/config.json"))
            .send()
            .await
            .is_ok()
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("server at {base} never became ready");
}

/// Claims signed with the test IdP key under its `kid`: tokens only the claims can spoil.
pub fn sign_with_test_key(claims: &Value) -> String {
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(test_key_pem().as_bytes()).unwrap();
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some(idp::SigningKey::from_pem(test_key_pem()).unwrap().kid);
    jsonwebtoken::encode(&header, claims, &key).unwrap()
}

/// A valid ID token for `sub` from the local IdP of the server at `base`.
pub fn id_token_for(base: &str, sub: &str) -> String {
    let now = jiff::Timestamp::now().as_second();
    sign_with_test_key(&json!({
        "sub": sub, "email": format!("{sub}@example.com"), "iss": format!("{base}/idp/{POOL_ID}"),
        "aud": CLIENT_ID, "token_use": "id", "iat": now, "exp": now + 600,
    }))
}
