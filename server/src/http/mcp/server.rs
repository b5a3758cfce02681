//! The MCP handler: `tools/list` and `tools/call` for the caller the auth layer found
//! ([`McpCaller`], in the request's extensions; never an argument). A call runs exactly as
//! the other agents' do: parsed once into a `ToolCall`, run by `tools::execute` for the
//! caller's user with today in their time zone, its change recorded with the caller as the
//! actor (kind `mcp`), so it shows in the activity log and can be undone. A new handler is
//! made for every request: it holds nothing between them.

use std::{collections::BTreeMap, sync::Arc};

use axum::http::request::Parts;
use rmcp::{
    ErrorData as McpError, RoleServer, ServerHandler,
    model::{
        CallToolRequestParams, CallToolResponse, Implementation, JsonObject, ListToolsResult,
        PaginatedRequestParams, ServerCapabilities, ServerConfig,
    },
    service::RequestContext,
};
use serde_json::Value;

use super::tools;
use crate::{
    domain::{Access, Actor, Cause, DueDate, InvalidInput, UserId},
    files::Files,
    tools::{Tool, ToolCall, ToolOutcome, ToolScope, changes},
};

/// Who called `/mcp`: the verified user, what their credential allows, and the name their
/// changes are logged under. Put into the request by the auth layer (`mcp/mod.rs`); an
/// OAuth access token will be one more way to make one.
#[derive(Debug, Clone)]
pub struct McpCaller {
    pub user: UserId,
    pub access: Access,
    pub actor: Actor,
    /// Why a write is refused, for read-only credentials.
    pub read_only_refusal: Option<String>,
}

#[derive(Clone)]
pub struct TaskoMcp {
    files: Arc<Files>,
    /// Where the app is reached: a proposed plan's link points there.
    public_url: Arc<str>,
}

const INSTRUCTIONS: &str = "Tasko is the user's todo list. Read it with getTodos and getTodo; \
     every change you make is shown to the user in Tasko's activity log, where they can undo \
     it. A deleted todo can be restored for a while.";

impl TaskoMcp {
    pub fn new(files: Arc<Files>, public_url: Arc<str>) -> Self {
        Self { files, public_url }
    }

    async fn run(&self, caller: &McpCaller, call: &ToolCall) -> Result<ToolOutcome, McpError> {
        let profile = self
            .files
            .store()
            .get_profile(&caller.user)
            .await
            .map_err(|e| internal(Cause::new(e)))?;
        let here = self.files.now().to_zoned(profile.zone());
        let scope = ToolScope {
            files: &self.files,
            user: &caller.user,
            today: DueDate::from_date(here.date()),
            // Only a zone the user set makes "earlier today" meaningful (as in the chat).
            now: profile.time_zone.is_some().then(|| here.time()),
            conversation: None,
            actor: caller.actor.clone(),
        };
        let mut outcome = crate::tools::execute(&scope, call)
            .await
            .map_err(|failure| internal(failure.0))?;
        if let Some(change) = outcome.change.take() {
            // The change is made; without its record it only cannot be undone.
            match changes::record(
                &self.files,
                &caller.user,
                None,
                change,
                caller.actor.clone(),
            )
            .await
            {
                Ok(id) => outcome.change_id = Some(id),
                Err(e) => tracing::warn!(error = %e, "change record not written"),
            }
        }
        Ok(outcome)
    }
}

impl ServerHandler for TaskoMcp {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("tasko", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        let caller = caller(&context)?;
        Ok(ListToolsResult::with_all_items(tools::listed(
            caller.access,
        )))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        let caller = caller(&context)?;
        let Some(tool) = Tool::from_name(&request.name) else {
            return Err(McpError::invalid_params(
                format!("There is no tool called {}.", request.name),
                None,
            ));
        };
        // Not listed for read-only credentials, so a protocol error, like an unknown tool.
        if !tool.reads_only()
            && let Some(why) = &caller.read_only_refusal
        {
            return Err(McpError::invalid_params(why.clone(), None));
        }
        let outcome = match arguments(tool, request.arguments.unwrap_or_default())
            .and_then(|raw| ToolCall::parse(tool.name(), &raw))
        {
            Ok(call) => self.run(&caller, &call).await?,
            Err(refusal) => ToolOutcome::refused(refusal.0),
        };
        Ok(tools::result(&outcome, &self.public_url).into())
    }
}

/// The caller the auth layer put into the request (always there behind it).
fn caller(context: &RequestContext<RoleServer>) -> Result<McpCaller, McpError> {
    context
        .extensions
        .get::<Parts>()
        .and_then(|parts| parts.extensions.get::<McpCaller>())
        .cloned()
        .ok_or_else(|| McpError::internal_error("no authenticated caller", None))
}

/// A call's JSON arguments as the name/value text the typed parser reads (booleans as
/// `true`/`false`); a name the tool does not have is refused, as the input schema says.
fn arguments(tool: Tool, given: JsonObject) -> Result<BTreeMap<String, String>, InvalidInput> {
    let spec = tool.spec();
    given
        .into_iter()
        .filter(|(_, value)| !value.is_null())
        .map(|(name, value)| {
            if !spec.params.iter().any(|p| p.name == name) {
                return Err(InvalidInput(format!(
                    "{} has no parameter {name}.",
                    spec.name
                )));
            }
            let text = match value {
                Value::String(s) => s,
                other => other.to_string(),
            };
            Ok((name, text))
        })
        .collect()
}

/// A backend failure: logged with its cause; the client learns only that it failed.
fn internal(cause: Cause) -> McpError {
    tracing::error!(error = %cause, "mcp tool call failed");
    McpError::internal_error("The tool failed; try again later.", None)
}
