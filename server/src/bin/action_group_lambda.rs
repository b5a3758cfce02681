//! The action group as a Lambda function: Bedrock's function-schema event in, the
//! `functionResponse` out, through the same code as `POST /action-group` and the in-process
//! return-control path. Configuration as for the server (STORE, DYNAMODB_TABLE_PREFIX, ...).

use std::sync::Arc;

use lambda_runtime::{Error, LambdaEvent, service_fn};
use server::{
    action_group::{FunctionEvent, FunctionResponse, handle},
    config::Settings,
    startup::{open_files, open_store},
};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let settings = Settings::from_env()?;
    server::init_tracing(&settings.log);
    let store = open_store(&settings).await?;
    let files = open_files(
        &settings,
        store.clone(),
        Arc::new(server::domain::SystemClock),
        settings.public_url.as_deref(),
    )
    .await?;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<FunctionEvent>| {
        let files = files.clone();
        async move { Ok::<FunctionResponse, Error>(handle(&files, event.payload).await) }
    }))
    .await
}
