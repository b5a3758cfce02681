//! Typed configuration, read once from environment variables (README has the table).
//! Parsed here so the rest of the server only sees valid values.

use std::{net::IpAddr, path::PathBuf};

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
    /// `ACTION_GROUP_SECRET`: enables `POST /action-group` (the Bedrock action-group contract
    /// over HTTP) for callers presenting it; unset, the route does not exist.
    pub action_group_secret: Option<String>,
}

/// The assistant: the embedded LocalAgent, or a Bedrock agent (by id and alias).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgentSettings {
    Local,
    Bedrock { agent_id: String, alias_id: String },
}

/// Where state lives: `STORE=embedded` (redb in DATA_DIR) or `STORE=dynamodb`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreSettings {
    Embedded,
    DynamoDb {
        /// Table names are `<prefix>todos`, `<prefix>chat_sessions`, `<prefix>connections`.
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

/// The assistant. Only the embedded LocalAgent exists so far (AGENT=local).
#[derive(Debug, Clone)]
pub struct ChatSettings {
    pub agent: AgentSettings,
    /// Pause between the LocalAgent's streamed chunks.
    pub local_agent_chunk_delay_ms: u64,
    /// Chat turns a user may start per minute (429 beyond).
    pub turns_per_minute: usize,
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

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads settings through `lookup`, so tests can supply a map instead of the environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |key: &str, default: &str| {
            lookup(key)
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| default.to_owned())
        };
        let host = get("HOST", "127.0.0.1")
            .parse()
            .map_err(|_| ConfigError("HOST must be an IP address".into()))?;
        let port = get("PORT", "3000")
            .parse()
            .map_err(|_| ConfigError("PORT must be a number from 0 to 65535".into()))?;
        let required = |key: &str| {
            lookup(key)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .ok_or_else(|| ConfigError(format!("{key} is required with AUTH=cognito")))
        };
        let provider = match get("AUTH", "local").as_str() {
            "local" => AuthProvider::Local,
            "cognito" => {
                let region = required("COGNITO_REGION")?;
                let pool = required("COGNITO_USER_POOL_ID")?;
                required("COGNITO_CLIENT_ID")?;
                let issuer = format!("https://cognito-idp.{region}.amazonaws.com/{pool}");
                AuthProvider::Cognito {
                    jwks_url: get(
                        "COGNITO_JWKS_URL",
                        &format!("{issuer}/.well-known/jwks.json"),
                    ),
                    endpoint: get(
                        "COGNITO_ENDPOINT",
                        &format!("https://cognito-idp.{region}.amazonaws.com/"),
                    ),
                    issuer,
                }
            }
            other => {
                return Err(ConfigError(format!(
                    "AUTH={other} is not supported (local or cognito)"
                )));
            }
        };
        let agent = match get("AGENT", "local").as_str() {
            "local" => AgentSettings::Local,
            "bedrock" => AgentSettings::Bedrock {
                agent_id: lookup("BEDROCK_AGENT_ID")
                    .filter(|v| !v.trim().is_empty())
                    .ok_or_else(|| {
                        ConfigError("BEDROCK_AGENT_ID is required with AGENT=bedrock".into())
                    })?,
                alias_id: lookup("BEDROCK_AGENT_ALIAS_ID")
                    .filter(|v| !v.trim().is_empty())
                    .ok_or_else(|| {
                        ConfigError("BEDROCK_AGENT_ALIAS_ID is required with AGENT=bedrock".into())
                    })?,
            },
            other => {
                return Err(ConfigError(format!(
                    "AGENT={other} is not supported (local or bedrock)"
                )));
            }
        };
        let number = |key: &str, default: &str, max: u64| -> Result<u64, ConfigError> {
            get(key, default)
                .parse::<u64>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| ConfigError(format!("{key} must be a number from 0 to {max}")))
        };
        let chat = ChatSettings {
            agent,
            local_agent_chunk_delay_ms: number("LOCAL_AGENT_CHUNK_DELAY_MS", "15", 1_000)?,
            turns_per_minute: number("CHAT_TURNS_PER_MINUTE", "30", 10_000)?.max(1) as usize,
        };
        let store = match get("STORE", "embedded").as_str() {
            "embedded" => StoreSettings::Embedded,
            "dynamodb" => StoreSettings::DynamoDb {
                table_prefix: get("DYNAMODB_TABLE_PREFIX", "tasko_"),
                create_tables: matches!(
                    get("DYNAMODB_CREATE_TABLES", "0").as_str(),
                    "1" | "true" | "yes"
                ),
            },
            other => {
                return Err(ConfigError(format!(
                    "STORE={other} is not supported (embedded or dynamodb)"
                )));
            }
        };
        let flag = |key: &str| matches!(get(key, "0").as_str(), "1" | "true" | "yes");
        let files = FileSettings {
            backend: match get("FILES", "local").as_str() {
                "local" => FileBackend::Local,
                "s3" => FileBackend::S3 {
                    bucket: lookup("FILES_S3_BUCKET")
                        .map(|b| b.trim().to_owned())
                        .filter(|b| !b.is_empty())
                        .ok_or_else(|| {
                            ConfigError("FILES_S3_BUCKET is required with FILES=s3".into())
                        })?,
                    create_bucket: flag("FILES_S3_CREATE_BUCKET"),
                },
                other => {
                    return Err(ConfigError(format!(
                        "FILES={other} is not supported (local or s3)"
                    )));
                }
            },
            max_bytes: number("FILES_MAX_BYTES", "10485760", 5 * 1024 * 1024 * 1024)?.max(1),
        };
        let public_url = lookup("PUBLIC_URL")
            .map(|u| u.trim().trim_end_matches('/').to_owned())
            .filter(|u| !u.is_empty());
        if let Some(url) = &public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(ConfigError(
                "PUBLIC_URL must start with http:// or https://".into(),
            ));
        }
        Ok(Self {
            host,
            port,
            data_dir: get("DATA_DIR", "data").into(),
            dist_dir: get("DIST_DIR", "dist").into(),
            log: get("LOG", "info"),
            public_url,
            chat,
            store,
            files,
            action_group_secret: lookup("ACTION_GROUP_SECRET").filter(|s| s.len() >= 16),
            auth: AuthSettings {
                provider,
                region: get("COGNITO_REGION", "local"),
                user_pool_id: get("COGNITO_USER_POOL_ID", "local_tasko"),
                client_id: get("COGNITO_CLIENT_ID", "tasko-local-client"),
                local_token_lifetime_seconds: match get("IDP_TOKEN_LIFETIME_SECONDS", "3600")
                    .parse()
                {
                    Ok(s @ 60..=86_400) => s,
                    _ => {
                        return Err(ConfigError(
                            "IDP_TOKEN_LIFETIME_SECONDS must be 60 to 86400".into(),
                        ));
                    }
                },
            },
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
                max_bytes: 1024
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
                jwks_url: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc/.well-known/jwks.json".into(),
                endpoint: "https://cognito-idp.eu-west-1.amazonaws.com/".into(),
            }
        );
    }

    #[test]
    fn an_unknown_auth_provider_is_refused() {
        assert!(settings(&[("AUTH", "ldap")]).is_err());
    }

    #[test]
    fn public_url_loses_its_trailing_slash() {
        let s = settings(&[("PUBLIC_URL", "https://tasko.example/")]).unwrap();
        assert_eq!(s.public_url.as_deref(), Some("https://tasko.example"));
    }
}
