//! The VAPID private key on AWS: a SecureString parameter in SSM Parameter Store (named by
//! `VAPID_PRIVATE_KEY_PARAMETER`), read once at start. CloudFormation cannot create a
//! SecureString, so `make deploy` puts it there once (`tasko-server vapid-key`); the
//! function's role may read that one parameter and decrypt it through SSM only.

use crate::domain::Cause;

/// The parameter's decrypted value. The error names the parameter, never a value.
pub async fn read_parameter(name: &str) -> Result<String, Cause> {
    let config = aws_config::load_from_env().await;
    let client = aws_sdk_ssm::Client::new(&config);
    let answer = client
        .get_parameter()
        .name(name)
        .with_decryption(true)
        .send()
        .await
        .map_err(|e| Cause::new(ParameterError(name.to_owned(), Some(Cause::new(e)))))?;
    answer
        .parameter()
        .and_then(|p| p.value())
        .map(str::to_owned)
        .ok_or_else(|| Cause::new(ParameterError(name.to_owned(), None)))
}

#[derive(Debug, thiserror::Error)]
#[error("the SSM parameter {0} (VAPID_PRIVATE_KEY_PARAMETER) could not be read")]
struct ParameterError(String, #[source] Option<Cause>);
