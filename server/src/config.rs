//! Typed configuration, read once from environment variables (README has the table).
//! Parsed here so the rest of the server only sees valid values.

use std::{net::IpAddr, path::PathBuf};

use crate::domain::Quotas;

#[derive(Debug, Clone)]
pub struct Settings {
    pub host: IpAddr,
    /// 0 asks the OS for a free port (tests).
    pub port: u16,
    pub data_dir: PathBuf,
    /// Built frontend (Trunk's output); served with an SPA fallback when it exists.
    pub dist_dir: PathBuf,
    /// `tracing_subscriber` filter, e.g. `info` or `server=debug,tower_http=info`.
    pub log: String,
    /// The origin browsers use; the local IdP's issuer is derived from it. `None`: the
    /// address the server actually bound.
    pub public_url: Option<String>,
    pub auth: AuthSettings,
    pub chat: ChatSettings,
    pub store: StoreSettings,
    pub files: FileSettings,
    /// What one account may hold.
    pub quotas: Quotas,
    /// `ACTION_GROUP_SECRET`: enables `POST /action-group` (the Bedrock action-group contract
    /// over HTTP) for callers presenting it; unset, the route does not exist.
    pub action_group_secret: Option<Secret>,
    /// `ORIGIN_SECRET`: when set, requests without it in `X-Tasko-Origin-Secret` get 403
    /// (the Function URL behind CloudFront, which adds it).
    pub origin_secret: Option<Secret>,
    /// `REMINDER_SWEEP_SECS` (default 5, at most 60): how often the server sweeps due
    /// reminders; `0` turns the loop off (tests that move the clock sweep by hand; on Lambda
    /// the scheduled event sweeps instead).
    pub reminder_sweep: Option<std::time::Duration>,
    /// Web Push: where the VAPID key comes from, the contact it names, the test-only flag.
    pub push: PushSettings,
}

/// Web Push delivery (reminders).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushSettings {
    /// `VAPID_PRIVATE_KEY_PARAMETER`: the SSM SecureString holding the VAPID private key
    /// (PKCS#8 PEM), read at start. Unset: `DATA_DIR/vapid-private.pem`, made at first start.
    pub private_key_parameter: Option<String>,
    /// `VAPID_SUBJECT`: the contact push services see in every VAPID token (`mailto:` or
    /// `https:`). Unset: `PUBLIC_URL` when it is https, else `mailto:tasko@localhost`.
    pub subject: Option<String>,
    /// `PUSH_ALLOW_LOOPBACK=1`, for tests and local stand-ins only: push endpoints on
    /// loopback addresses are accepted too (http or https); nothing else is.
    pub allow_loopback: bool,
}

/// The assistant: the embedded LocalAgent, a Bedrock agent (by id and alias), or a model
/// behind an OpenAI-compatible Chat Completions endpoint.
#[derive(Debug, Clone, PartialEq)]
pub enum AgentSettings {
    Local,
    Bedrock {
        agent_id: String,
        alias_id: String,
    },
    OpenAi(OpenAiSettings),
    /// The benchmark's agent: `STAMP_CHUNKS` timestamped chunks, `STAMP_GAP_MS` apart.
    Stamp {
        chunks: usize,
        gap_ms: u64,
    },
}

/// `AGENT=openai`: Ollama, llama.cpp's server, vLLM, LM Studio, OpenAI...
#[derive(Debug, Clone, PartialEq)]
pub struct OpenAiSettings {
    /// `OPENAI_BASE_URL`, without the trailing `/chat/completions`.
    pub base_url: String,
    /// `OPENAI_API_KEY`: sent as a bearer token when set; never logged.
    pub api_key: Option<Secret>,
    /// `OPENAI_MODEL`.
    pub model: String,
    /// `OPENAI_MAX_TOOL_ROUNDS`: model calls one turn may make (default 5).
    pub max_tool_rounds: usize,
    /// `OPENAI_TEMPERATURE`: unset, the server's default.
    pub temperature: Option<f32>,
    /// `OPENAI_MEMORY_CHARS`: how much of the conversation (messages, tool calls and results)
    /// is sent back to the model each turn, oldest dropped first (default 24,000).
    pub memory_chars: usize,
}

/// Where state lives: `STORE=embedded` (redb in DATA_DIR) or `STORE=dynamodb`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreSettings {
    Embedded,
    DynamoDb {
        /// Table names are `<prefix>todos`, `<prefix>chat_conversations`, `<prefix>connections`, ...
        table_prefix: String,
        /// Create missing tables at start (local use and tests).
        create_tables: bool,
    },
}

/// Where file contents live (`FILES=local`: DATA_DIR/blobs, or `FILES=s3`) and how big one
/// may be (`FILES_MAX_BYTES`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSettings {
    pub backend: FileBackend,
    pub max_bytes: u64,
    /// How long a deleted todo can be restored (`RESTORE_WINDOW_SECS`, default 600).
    pub restore_window: std::time::Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileBackend {
    Local,
    S3 {
        bucket: String,
        /// Create the bucket at start if missing (local use and tests).
        create_bucket: bool,
    },
}

/// The assistant (`AGENT`) and the limits of the chat.
#[derive(Debug, Clone)]
pub struct ChatSettings {
    pub agent: AgentSettings,
    /// Pause between the LocalAgent's streamed chunks.
    pub local_agent_chunk_delay_ms: u64,
    /// Chat turns a user may start per minute (429 beyond).
    pub turns_per_minute: usize,
    /// How long a running turn's lease lives without renewal.
    pub turn_lease: std::time::Duration,
}

/// Which identity provider issues the tokens: the embedded one (AUTH=local) or a Cognito
/// user pool (AUTH=cognito). Both are checked by the same verifier.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    pub provider: AuthProvider,
    pub region: String,
    pub user_pool_id: String,
    pub client_id: String,
    /// Lifetime of ID and access tokens the local IdP issues (Cognito's default: 1 hour).
    pub local_token_lifetime_seconds: i64,
    /// Sign-ups and sign-ins one client address may make per minute at the local IdP.
    pub local_attempts_per_minute: u32,
    /// `IDP_REQUIRE_CONFIRMATION=1`: the local IdP makes sign-ups confirm an emailed code.
    pub local_require_confirmation: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthProvider {
    Local,
    Cognito {
        /// `https://cognito-idp.<region>.amazonaws.com/<pool id>`: the expected `iss`.
        issuer: String,
        /// `COGNITO_JWKS_URL`; defaults to the issuer's JWKS. Local stand-ins serve the keys
        /// elsewhere than the issuer says, hence a separate setting.
        jwks_url: String,
        /// `COGNITO_ENDPOINT`: where browsers send the user-pool protocol (config.json).
        endpoint: String,
    },
}

#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(String);

/// A value that must never be printed: `Debug` shows only that it is set.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether `given` is this secret, in time that does not depend on where they differ
    /// (both are hashed first, then every byte is compared).
    pub fn matches(&self, given: &str) -> bool {
        use sha2::{Digest, Sha256};
        let (a, b) = (
            Sha256::digest(given.as_bytes()),
            Sha256::digest(self.0.as_bytes()),
        );
        a.iter()
            .zip(b.iter())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

/// Shortest `ACTION_GROUP_SECRET` accepted: a guessable secret would open the action group.
const MIN_SECRET_CHARS: usize = 16;

/// Reads variables through a lookup (the environment, or a map in tests). Blank counts as
/// unset everywhere.
struct Env<F> {
    lookup: F,
}

impl<F: Fn(&str) -> Option<String>> Env<F> {
    fn value(&self, key: &str) -> Option<String> {
        (self.lookup)(key)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    fn get(&self, key: &str, default: &str) -> String {
        self.value(key).unwrap_or_else(|| default.to_owned())
    }

    /// A variable that `setting` (e.g. `AUTH=cognito`) needs.
    fn required(&self, key: &str, setting: &str) -> Result<String, ConfigError> {
        self.value(key)
            .ok_or_else(|| ConfigError(format!("{key} is required with {setting}")))
    }

    fn flag(&self, key: &str) -> bool {
        matches!(self.get(key, "0").as_str(), "1" | "true" | "yes")
    }

    fn number(&self, key: &str, default: &str, max: u64) -> Result<u64, ConfigError> {
        self.get(key, default)
            .parse::<u64>()
            .ok()
            .filter(|n| *n <= max)
            .ok_or_else(|| ConfigError(format!("{key} must be a number from 0 to {max}")))
    }

    fn unsupported(&self, key: &str, value: &str, choices: &str) -> ConfigError {
        ConfigError(format!("{key}={value} is not supported ({choices})"))
    }

    fn auth(&self) -> Result<AuthSettings, ConfigError> {
        let provider = match self.get("AUTH", "local").as_str() {
            "local" => AuthProvider::Local,
            "cognito" => {
                let region = self.required("COGNITO_REGION", "AUTH=cognito")?;
                let pool = self.required("COGNITO_USER_POOL_ID", "AUTH=cognito")?;
                self.required("COGNITO_CLIENT_ID", "AUTH=cognito")?;
                let issuer = format!("https://cognito-idp.{region}.amazonaws.com/{pool}");
                let jwks = format!("{issuer}/.well-known/jwks.json");
                let endpoint = format!("https://cognito-idp.{region}.amazonaws.com/");
                AuthProvider::Cognito {
                    jwks_url: self.get("COGNITO_JWKS_URL", &jwks),
                    endpoint: self.get("COGNITO_ENDPOINT", &endpoint),
                    issuer,
                }
            }
            other => return Err(self.unsupported("AUTH", other, "local or cognito")),
        };
        let lifetime = match self.get("IDP_TOKEN_LIFETIME_SECONDS", "3600").parse() {
            Ok(seconds @ 60..=86_400) => seconds,
            _ => {
                return Err(ConfigError(
                    "IDP_TOKEN_LIFETIME_SECONDS must be 60 to 86400".into(),
                ));
            }
        };
        Ok(AuthSettings {
            provider,
            region: self.get("COGNITO_REGION", "local"),
            user_pool_id: self.get("COGNITO_USER_POOL_ID", "local_tasko"),
            client_id: self.get("COGNITO_CLIENT_ID", "tasko-local-client"),
            local_token_lifetime_seconds: lifetime,
            local_attempts_per_minute: self
                .number("IDP_ATTEMPTS_PER_MINUTE", "30", 100_000)?
                .max(1) as u32,
            local_require_confirmation: self.flag("IDP_REQUIRE_CONFIRMATION"),
        })
    }

    fn chat(&self) -> Result<ChatSettings, ConfigError> {
        let agent = match self.get("AGENT", "local").as_str() {
            "local" => AgentSettings::Local,
            "bedrock" => AgentSettings::Bedrock {
                agent_id: self.required("BEDROCK_AGENT_ID", "AGENT=bedrock")?,
                alias_id: self.required("BEDROCK_AGENT_ALIAS_ID", "AGENT=bedrock")?,
            },
            "openai" => AgentSettings::OpenAi(self.openai()?),
            "stamp" => AgentSettings::Stamp {
                chunks: self.number("STAMP_CHUNKS", "40", 100_000)? as usize,
                gap_ms: self.number("STAMP_GAP_MS", "25", 3_600_000)?,
            },
            other => {
                return Err(self.unsupported("AGENT", other, "local, bedrock, openai or stamp"));
            }
        };
        Ok(ChatSettings {
            agent,
            local_agent_chunk_delay_ms: self.number("LOCAL_AGENT_CHUNK_DELAY_MS", "15", 1_000)?,
            turns_per_minute: self.number("CHAT_TURNS_PER_MINUTE", "30", 10_000)?.max(1) as usize,
            turn_lease: std::time::Duration::from_secs(
                self.number("CHAT_TURN_LEASE_SECONDS", "30", 600)?.max(3),
            ),
        })
    }

    fn openai(&self) -> Result<OpenAiSettings, ConfigError> {
        let base_url = self
            .get("OPENAI_BASE_URL", "https://api.openai.com/v1")
            .trim_end_matches('/')
            .to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(ConfigError(
                "OPENAI_BASE_URL must be an http:// or https:// URL".into(),
            ));
        }
        let temperature = match self.value("OPENAI_TEMPERATURE") {
            None => None,
            Some(raw) => match raw.parse::<f32>() {
                Ok(t) if (0.0..=2.0).contains(&t) => Some(t),
                _ => {
                    return Err(ConfigError(
                        "OPENAI_TEMPERATURE must be a number from 0 to 2".into(),
                    ));
                }
            },
        };
        Ok(OpenAiSettings {
            base_url,
            api_key: self.value("OPENAI_API_KEY").map(Secret),
            model: self.required("OPENAI_MODEL", "AGENT=openai")?,
            max_tool_rounds: self.number("OPENAI_MAX_TOOL_ROUNDS", "5", 20)?.max(1) as usize,
            temperature,
            memory_chars: self
                .number("OPENAI_MEMORY_CHARS", "24000", 1_000_000)?
                .max(1_000) as usize,
        })
    }

    fn store(&self) -> Result<StoreSettings, ConfigError> {
        match self.get("STORE", "embedded").as_str() {
            "embedded" => Ok(StoreSettings::Embedded),
            "dynamodb" => Ok(StoreSettings::DynamoDb {
                table_prefix: self.get("DYNAMODB_TABLE_PREFIX", "tasko_"),
                create_tables: self.flag("DYNAMODB_CREATE_TABLES"),
            }),
            other => Err(self.unsupported("STORE", other, "embedded or dynamodb")),
        }
    }

    fn files(&self) -> Result<FileSettings, ConfigError> {
        let backend = match self.get("FILES", "local").as_str() {
            "local" => FileBackend::Local,
            "s3" => FileBackend::S3 {
                bucket: self.required("FILES_S3_BUCKET", "FILES=s3")?,
                create_bucket: self.flag("FILES_S3_CREATE_BUCKET"),
            },
            other => return Err(self.unsupported("FILES", other, "local or s3")),
        };
        let max_bytes = self.number("FILES_MAX_BYTES", "10485760", 5 * 1024 * 1024 * 1024)?;
        let restore_secs = self.number("RESTORE_WINDOW_SECS", "600", 7 * 24 * 60 * 60)?;
        Ok(FileSettings {
            backend,
            max_bytes: max_bytes.max(1),
            restore_window: std::time::Duration::from_secs(restore_secs.max(1)),
        })
    }

    fn quotas(&self) -> Result<Quotas, ConfigError> {
        let default = Quotas::default();
        let count = |key: &str, default: usize| -> Result<usize, ConfigError> {
            let n = self.number(key, &default.to_string(), 100_000_000)?;
            Ok(n.max(1) as usize)
        };
        Ok(Quotas {
            todos: count("MAX_TODOS_PER_USER", default.todos)?,
            files: count("MAX_FILES_PER_USER", default.files)?,
            lists: count("MAX_LISTS_PER_USER", default.lists)?,
            stored_bytes: self
                .number(
                    "MAX_STORED_BYTES_PER_USER",
                    &default.stored_bytes.to_string(),
                    u64::MAX / 2,
                )?
                .max(1),
        })
    }

    fn push(&self) -> Result<PushSettings, ConfigError> {
        let subject = self.value("VAPID_SUBJECT");
        if let Some(subject) = &subject
            && !(subject.starts_with("mailto:") || subject.starts_with("https://"))
        {
            return Err(ConfigError(
                "VAPID_SUBJECT must be a mailto: or https: contact".into(),
            ));
        }
        Ok(PushSettings {
            private_key_parameter: self.value("VAPID_PRIVATE_KEY_PARAMETER"),
            subject,
            allow_loopback: self.flag("PUSH_ALLOW_LOOPBACK"),
        })
    }

    fn public_url(&self) -> Result<Option<String>, ConfigError> {
        let url = self
            .value("PUBLIC_URL")
            .map(|u| u.trim_end_matches('/').to_owned());
        match url {
            Some(url) if !(url.starts_with("http://") || url.starts_with("https://")) => Err(
                ConfigError("PUBLIC_URL must start with http:// or https://".into()),
            ),
            url => Ok(url),
        }
    }

    /// Unset: the route is off. Set: long enough to resist guessing, or start-up stops.
    fn action_group_secret(&self) -> Result<Option<Secret>, ConfigError> {
        self.secret(
            "ACTION_GROUP_SECRET",
            "or unset, to turn POST /action-group off",
        )
    }

    /// A secret: unset, or long enough to resist guessing (start-up stops otherwise).
    fn secret(&self, key: &str, when_set: &str) -> Result<Option<Secret>, ConfigError> {
        match self.value(key) {
            None => Ok(None),
            Some(secret) if secret.chars().count() >= MIN_SECRET_CHARS => Ok(Some(Secret(secret))),
            Some(_) => Err(ConfigError(format!(
                "{key} must be at least {MIN_SECRET_CHARS} characters ({when_set})"
            ))),
        }
    }
}

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads settings through `lookup`, so tests can supply a map instead of the environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Env { lookup };
        let host = env
            .get("HOST", "127.0.0.1")
            .parse()
            .map_err(|_| ConfigError("HOST must be an IP address".into()))?;
        let port = env
            .get("PORT", "3000")
            .parse()
            .map_err(|_| ConfigError("PORT must be a number from 0 to 65535".into()))?;
        Ok(Self {
            host,
            port,
            data_dir: env.get("DATA_DIR", "data").into(),
            dist_dir: env.get("DIST_DIR", "dist").into(),
            log: env.get("LOG", "info"),
            public_url: env.public_url()?,
            auth: env.auth()?,
            chat: env.chat()?,
            store: env.store()?,
            files: env.files()?,
            quotas: env.quotas()?,
            action_group_secret: env.action_group_secret()?,
            origin_secret: env.secret("ORIGIN_SECRET", "every request must then carry it")?,
            reminder_sweep: match env.number("REMINDER_SWEEP_SECS", "5", 60)? {
                0 => None,
                secs => Some(std::time::Duration::from_secs(secs)),
            },
            push: env.push()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_the_embedded_local_setup() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.port, 3000);
        assert_eq!(s.data_dir, PathBuf::from("data"));
        assert_eq!(s.auth.provider, AuthProvider::Local);
        assert_eq!(s.public_url, None);
    }

    #[test]
    fn files_default_to_the_local_folder_and_s3_needs_a_bucket() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.files.backend, FileBackend::Local);
        assert_eq!(s.files.max_bytes, 10 * 1024 * 1024);
        let err = settings(&[("FILES", "s3")]).unwrap_err();
        assert!(err.to_string().contains("FILES_S3_BUCKET"), "{err}");
        let s = settings(&[
            ("FILES", "s3"),
            ("FILES_S3_BUCKET", "tasko-files"),
            ("FILES_MAX_BYTES", "1024"),
        ])
        .unwrap();
        assert_eq!(
            s.files,
            FileSettings {
                backend: FileBackend::S3 {
                    bucket: "tasko-files".into(),
                    create_bucket: false
                },
                max_bytes: 1024,
                restore_window: std::time::Duration::from_secs(600)
            }
        );
        assert!(settings(&[("FILES", "ftp")]).is_err());
    }

    #[test]
    fn a_bad_port_is_a_clear_error() {
        let err = settings(&[("PORT", "http")]).unwrap_err();
        assert!(err.to_string().contains("PORT"));
    }

    #[test]
    fn the_dynamodb_store_takes_its_prefix_and_table_creation_flag() {
        let s = settings(&[
            ("STORE", "dynamodb"),
            ("DYNAMODB_TABLE_PREFIX", "prod_"),
            ("DYNAMODB_CREATE_TABLES", "1"),
        ])
        .unwrap();
        assert_eq!(
            s.store,
            StoreSettings::DynamoDb {
                table_prefix: "prod_".into(),
                create_tables: true
            }
        );
        assert!(settings(&[("STORE", "postgres")]).is_err());
        assert_eq!(settings(&[]).unwrap().store, StoreSettings::Embedded);
    }

    #[test]
    fn cognito_needs_its_pool_and_derives_the_issuer() {
        assert!(
            settings(&[("AUTH", "cognito")])
                .unwrap_err()
                .to_string()
                .contains("COGNITO_REGION")
        );
        let s = settings(&[
            ("AUTH", "cognito"),
            ("COGNITO_REGION", "eu-west-1"),
            ("COGNITO_USER_POOL_ID", "eu-west-1_Abc"),
            ("COGNITO_CLIENT_ID", "client"),
        ])
        .unwrap();
        assert_eq!(
            s.auth.provider,
            AuthProvider::Cognito {
                issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc".into(),
                jwks_url: concat!(
                    "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc",
                    "/.well-known/jwks.json"
                )
                .into(),
                endpoint: "https://cognito-idp.eu-west-1.amazonaws.com/".into(),
            }
        );
    }

    #[test]
    fn an_unknown_auth_provider_is_refused() {
        assert!(settings(&[("AUTH", "ldap")]).is_err());
    }

    #[test]
    fn a_short_action_group_secret_stops_start_up() {
        let err = settings(&[("ACTION_GROUP_SECRET", "short")]).unwrap_err();
        assert!(err.to_string().contains("ACTION_GROUP_SECRET"), "{err}");
        assert!(
            !err.to_string().contains("short"),
            "the value is never echoed: {err}"
        );
        let s = settings(&[("ACTION_GROUP_SECRET", "0123456789abcdef")]).unwrap();
        assert_eq!(s.action_group_secret.unwrap().expose(), "0123456789abcdef");
        assert!(settings(&[]).unwrap().action_group_secret.is_none());
    }

    #[test]
    fn secrets_never_appear_in_debug_output() {
        let s = settings(&[("ACTION_GROUP_SECRET", "do-not-print-this-value")]).unwrap();
        let shown = format!("{s:?}");
        assert!(!shown.contains("do-not-print-this-value"), "{shown}");
        assert!(shown.contains("Secret(redacted)"));
    }

    #[test]
    fn push_reads_its_key_parameter_contact_and_test_flag() {
        let s = settings(&[]).unwrap();
        assert_eq!(
            s.push,
            PushSettings {
                private_key_parameter: None,
                subject: None,
                allow_loopback: false
            }
        );
        let s = settings(&[
            ("VAPID_PRIVATE_KEY_PARAMETER", "/tasko/vapid"),
            ("VAPID_SUBJECT", "mailto:ops@tasko.example"),
            ("PUSH_ALLOW_LOOPBACK", "1"),
        ])
        .unwrap();
        assert_eq!(
            s.push.private_key_parameter.as_deref(),
            Some("/tasko/vapid")
        );
        assert_eq!(s.push.subject.as_deref(), Some("mailto:ops@tasko.example"));
        assert!(s.push.allow_loopback);
        for bad in ["ops@tasko.example", "http://tasko.example"] {
            let err = settings(&[("VAPID_SUBJECT", bad)]).unwrap_err();
            assert!(err.to_string().contains("VAPID_SUBJECT"), "{err}");
        }
    }

    #[test]
    fn public_url_loses_its_trailing_slash() {
        let s = settings(&[("PUBLIC_URL", "https://tasko.example/")]).unwrap();
        assert_eq!(s.public_url.as_deref(), Some("https://tasko.example"));
    }
}
