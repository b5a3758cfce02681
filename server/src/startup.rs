//! `Application::build(settings)`: opens the stores, binds the listener (port 0 picks a free
//! one, which tests use), and wires the router. `run_until_stopped` serves until Ctrl-C or
//! SIGTERM, finishing in-flight requests, and sweeps due reminders beside it
//! (`REMINDER_SWEEP_SECS`). On Lambda, `run_on_lambda` serves the same router and the
//! reminder schedule's event (`startup/lambda_events.rs`).

mod lambda_events;

use std::{future::Future, net::SocketAddr, sync::Arc};

use app::wire::{CognitoConfig, RuntimeConfig};
use axum::Router;
use tokio::net::TcpListener;

use crate::{
    agent::{
        Agent, bedrock::BedrockAgent, local::LocalAgent, openai::OpenAiAgent, stamp::StampAgent,
    },
    auth::{TokenVerifier, VerifierConfig, access_tokens::AccessTokens},
    chat::{ChatLimits, ChatService},
    config::{AgentSettings, AuthProvider, FileBackend, Settings, StoreSettings},
    domain::{Clock, SystemClock},
    files::{
        Files,
        blob::{BlobStore, LocalBlobStore},
        s3::S3BlobStore,
        service::direct_upload_url,
    },
    http::Site,
    idp::{IdpSettings, LocalIdp},
    oauth::{OAuthServer, OAuthSite},
    push::PushService,
    reminders::{PushDelivery, Reminders},
    state::AppState,
    store::{Store, dynamodb::DynamoStore, embedded::EmbeddedStore},
};

pub type BuildError = Box<dyn std::error::Error + Send + Sync>;

/// Parts that tests and benchmarks replace.
pub struct Overrides {
    pub clock: Arc<dyn Clock>,
    /// `None`: the agent the settings choose.
    pub agent: Option<Arc<dyn Agent>>,
    /// Where reminders are pushed (tests record them); `None`: Web Push (`PushService`).
    pub push: Option<Arc<dyn PushDelivery>>,
}

impl Default for Overrides {
    fn default() -> Self {
        Self {
            clock: Arc::new(SystemClock),
            agent: None,
            push: None,
        }
    }
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    address: SocketAddr,
    verifier: Arc<TokenVerifier>,
    store: Arc<dyn Store>,
    reminders: Arc<Reminders>,
    /// How often `run_until` sweeps due reminders (`None`: never).
    reminder_sweep: Option<std::time::Duration>,
    push: Arc<PushService>,
}

/// The store the settings choose (also used by the action-group Lambda).
pub async fn open_store(settings: &Settings) -> Result<Arc<dyn Store>, BuildError> {
    Ok(match &settings.store {
        StoreSettings::Embedded => Arc::new(EmbeddedStore::open(&settings.data_dir)?),
        StoreSettings::DynamoDb {
            table_prefix,
            create_tables,
        } => {
            let store = DynamoStore::connect(table_prefix).await;
            if *create_tables {
                store.create_tables().await?;
            }
            Arc::new(store)
        }
    })
}

/// The blob store the settings choose (also used by the action-group Lambda). A bucket
/// created here lets `app_origin` upload and download directly.
pub async fn open_blob_store(
    settings: &Settings,
    app_origin: Option<&str>,
) -> Result<Arc<dyn BlobStore>, BuildError> {
    Ok(match &settings.files.backend {
        FileBackend::Local => Arc::new(LocalBlobStore::open(&settings.data_dir)?),
        FileBackend::S3 {
            bucket,
            create_bucket,
        } => {
            let blobs = S3BlobStore::connect(bucket).await;
            if *create_bucket {
                blobs.create_bucket(app_origin).await?;
            }
            Arc::new(blobs)
        }
    })
}

/// Files on the store and blob store the settings choose.
pub async fn open_files(
    settings: &Settings,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    app_origin: Option<&str>,
) -> Result<Arc<Files>, BuildError> {
    let blobs = open_blob_store(settings, app_origin).await?;
    let files = Files::new(store, blobs, settings.files.max_bytes, clock)
        .with_quotas(settings.quotas)
        .with_restore_window(settings.files.restore_window);
    Ok(Arc::new(files))
}

/// Who issues tokens and how they are checked: the embedded IdP (served by this process),
/// or a Cognito pool.
struct Identity {
    idp: Option<Arc<LocalIdp>>,
    verifier: VerifierConfig,
    /// What browsers read from /config.json to sign in.
    runtime_config: RuntimeConfig,
}

fn open_identity(
    settings: &Settings,
    public_url: &str,
    self_url: &str,
    clock: Arc<dyn Clock>,
) -> Result<Identity, BuildError> {
    let auth = &settings.auth;
    let (idp, verifier) = match &auth.provider {
        AuthProvider::Local => {
            let issuer = format!("{public_url}/idp/{}", auth.user_pool_id);
            let idp = LocalIdp::open(
                &settings.data_dir,
                IdpSettings {
                    issuer: issuer.clone(),
                    user_pool_id: auth.user_pool_id.clone(),
                    client_id: auth.client_id.clone(),
                    token_lifetime_seconds: auth.local_token_lifetime_seconds,
                    attempts_per_minute: auth.local_attempts_per_minute,
                    require_confirmation: auth.local_require_confirmation,
                },
                clock,
            )?;
            let verifier = VerifierConfig {
                issuer,
                client_id: auth.client_id.clone(),
                // Fetched from this process itself, whatever address it is bound to.
                jwks_url: format!("{self_url}/idp/{}/.well-known/jwks.json", auth.user_pool_id),
            };
            (Some(Arc::new(idp)), verifier)
        }
        AuthProvider::Cognito {
            issuer, jwks_url, ..
        } => {
            let verifier = VerifierConfig {
                issuer: issuer.clone(),
                client_id: auth.client_id.clone(),
                jwks_url: jwks_url.clone(),
            };
            (None, verifier)
        }
    };
    Ok(Identity {
        idp,
        verifier,
        runtime_config: runtime_config(settings),
    })
}

/// What browsers read from /config.json: where to sign in. The local IdP is relative (the
/// browser calls it on whatever origin served the page).
fn runtime_config(settings: &Settings) -> RuntimeConfig {
    let auth = &settings.auth;
    let endpoint = match &auth.provider {
        AuthProvider::Local => "/idp".to_owned(),
        AuthProvider::Cognito { endpoint, .. } => endpoint.clone(),
    };
    RuntimeConfig {
        api_base_url: String::new(),
        cognito: CognitoConfig {
            endpoint,
            region: auth.region.clone(),
            user_pool_id: auth.user_pool_id.clone(),
            client_id: auth.client_id.clone(),
        },
    }
}

/// The assistant the settings choose.
async fn open_agent(settings: &Settings) -> Arc<dyn Agent> {
    match &settings.chat.agent {
        AgentSettings::Local => Arc::new(LocalAgent::new(std::time::Duration::from_millis(
            settings.chat.local_agent_chunk_delay_ms,
        ))),
        AgentSettings::Bedrock { agent_id, alias_id } => {
            Arc::new(BedrockAgent::connect(agent_id.clone(), alias_id.clone()).await)
        }
        AgentSettings::OpenAi(openai) => Arc::new(OpenAiAgent::new(openai.clone())),
        AgentSettings::Stamp { chunks, gap_ms } => Arc::new(StampAgent {
            chunks: *chunks,
            gap: std::time::Duration::from_millis(*gap_ms),
        }),
    }
}

/// How requests reach the router: a socket of ours, or AWS Lambda (a Function URL with
/// response streaming), where WebSockets cannot exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Listener,
    Lambda,
}

/// The router and the parts tests look into; the same for both transports.
struct Built {
    router: Router,
    verifier: Arc<TokenVerifier>,
    store: Arc<dyn Store>,
    reminders: Arc<Reminders>,
    push: Arc<PushService>,
}

async fn build_router(
    settings: &Settings,
    overrides: Overrides,
    self_url: &str,
    transport: Transport,
) -> Result<Built, BuildError> {
    let Overrides {
        clock,
        agent,
        push: push_override,
    } = overrides;
    let public_url = settings
        .public_url
        .clone()
        .unwrap_or_else(|| self_url.to_owned());
    let store = open_store(settings).await?;
    let files = open_files(settings, store.clone(), clock.clone(), Some(&public_url)).await?;
    let identity = open_identity(settings, &public_url, self_url, clock.clone())?;
    let verifier = Arc::new(TokenVerifier::new(identity.verifier, clock.clone()));
    let agent = match agent {
        Some(agent) => agent,
        None => open_agent(settings).await,
    };
    let access_tokens = Arc::new(AccessTokens::new(store.clone(), clock.clone()));
    let push = Arc::new(
        PushService::open(
            &settings.push,
            &settings.data_dir,
            &public_url,
            store.clone(),
            clock.clone(),
        )
        .await?,
    );
    // Reminders go out by Web Push (tests may record them instead).
    let delivery: Arc<dyn PushDelivery> = match push_override {
        Some(recorder) => recorder,
        None => push.clone(),
    };
    let reminders = Arc::new(Reminders::new(store.clone(), clock.clone()).with_push(delivery));
    let oauth = Arc::new(OAuthServer::new(
        store.clone(),
        clock.clone(),
        OAuthSite::new(
            &public_url,
            settings.public_url.is_some(),
            transport == Transport::Lambda,
        ),
    ));
    let chat = Arc::new(ChatService::new(
        files.clone(),
        agent,
        clock,
        ChatLimits {
            turns_per_minute: settings.chat.turns_per_minute,
            turn_lease: settings.chat.turn_lease,
        },
    ));
    let state = AppState {
        action_group_secret: settings.action_group_secret.clone(),
        chat,
        push: push.clone(),
        store: store.clone(),
        files: files.clone(),
        verifier: verifier.clone(),
        access_tokens,
        oauth,
        runtime_config: Arc::new(identity.runtime_config),
        list_bodies: Arc::default(),
        reminders: reminders.clone(),
    };
    let direct_origins: Vec<String> = direct_upload_url(files.blobs()).await.into_iter().collect();
    let site = Site {
        dist_dir: &settings.dist_dir,
        direct_origins: &direct_origins,
        https: public_url.starts_with("https://"),
        websockets: transport == Transport::Listener,
        origin_secret: settings.origin_secret.clone(),
        public_url: &public_url,
    };
    let router = crate::http::router(state, identity.idp, site);
    Ok(Built {
        router,
        verifier,
        store,
        reminders,
        push,
    })
}

/// The Content-Security-Policy the server sends for these settings and the built frontend in
/// `DIST_DIR` (its inline bootstrap script's hash changes with every build): what the edge
/// must send for the static files (`tasko-server csp`).
pub async fn content_security_policy(settings: &Settings) -> Result<String, BuildError> {
    // Nothing is opened that a running server holds (the stores lock their files).
    let blobs = open_blob_store(settings, None).await?;
    let direct_origins: Vec<String> = direct_upload_url(blobs.as_ref())
        .await
        .into_iter()
        .collect();
    Ok(crate::http::content_security_policy(
        &settings.dist_dir,
        &runtime_config(settings),
        &direct_origins,
    ))
}

/// Whether this process runs as an AWS Lambda function (the runtime API is announced).
pub fn on_lambda() -> bool {
    std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some()
}

/// Settings that cannot work on Lambda, where no local disk or process outlives a request:
/// every piece of state must be on AWS.
pub fn check_for_lambda(settings: &Settings) -> Result<(), BuildError> {
    let mut refused = Vec::new();
    if settings.store == StoreSettings::Embedded {
        refused.push("STORE=embedded (use STORE=dynamodb)");
    }
    if settings.auth.provider == AuthProvider::Local {
        refused.push("AUTH=local (use AUTH=cognito)");
    }
    if settings.files.backend == FileBackend::Local {
        refused.push("FILES=local (use FILES=s3)");
    }
    if settings.push.private_key_parameter.is_none() {
        refused.push("no VAPID_PRIVATE_KEY_PARAMETER (the VAPID key must outlive the function)");
    }
    if refused.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "on AWS Lambda these settings cannot work: {}",
            refused.join(", ")
        )
        .into())
    }
}

/// Serves the router as a Lambda function with response streaming (SSE arrives chunk by
/// chunk through a Function URL with `InvokeMode: RESPONSE_STREAM`).
pub async fn run_on_lambda(settings: Settings) -> Result<(), BuildError> {
    check_for_lambda(&settings)?;
    let built = build_router(
        &settings,
        Overrides::default(),
        "http://127.0.0.1",
        Transport::Lambda,
    )
    .await?;
    lambda_events::run(built.router, built.reminders).await
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Self, BuildError> {
        Self::build_with(settings, Overrides::default()).await
    }

    /// `build` with a chosen clock for chat sessions and dates (tests move time forward).
    pub async fn build_with_clock(
        settings: Settings,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, BuildError> {
        Self::build_with(
            settings,
            Overrides {
                clock,
                ..Overrides::default()
            },
        )
        .await
    }

    /// `build` with parts chosen by the caller (tests and benchmarks).
    pub async fn build_with(settings: Settings, overrides: Overrides) -> Result<Self, BuildError> {
        let listener = TcpListener::bind((settings.host, settings.port)).await?;
        let address = listener.local_addr()?;
        // Loopback address this process can always reach itself on, even when bound to 0.0.0.0.
        let self_url = format!("http://127.0.0.1:{}", address.port());
        let built = build_router(&settings, overrides, &self_url, Transport::Listener).await?;
        Ok(Self {
            listener,
            router: built.router,
            address,
            verifier: built.verifier,
            store: built.store,
            reminders: built.reminders,
            reminder_sweep: settings.reminder_sweep,
            push: built.push,
        })
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The token verifier, for observing its JWKS fetches.
    pub fn verifier(&self) -> Arc<TokenVerifier> {
        self.verifier.clone()
    }

    /// The store the application uses, for tests that check what it holds.
    pub fn store(&self) -> Arc<dyn Store> {
        self.store.clone()
    }

    /// The reminders service, for tests that sweep by hand on their clock.
    pub fn reminders(&self) -> Arc<Reminders> {
        self.reminders.clone()
    }

    /// Web Push, for tests that deliver without a scheduler.
    pub fn push(&self) -> Arc<PushService> {
        self.push.clone()
    }

    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        tracing::info!(address = %self.address, "listening");
        let sweeping = self
            .reminder_sweep
            .map(|every| tokio::spawn(self.reminders.clone().run_every(every)));
        let served = crate::serve::serve(self.listener, self.router, shutdown).await;
        if let Some(sweeping) = sweeping {
            sweeping.abort();
        }
        served
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut sig) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            sig.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
