//! The Bedrock action-group contract (function schema): an event naming a function and its
//! parameters in, a `functionResponse` out. The same tool layer as everywhere else runs it.
//!
//! Identity comes only from the session attributes our server sets when it invokes the agent
//! (`taskoUserId`); parameters that name a user (`userID`, `owner`, `email`, ...) are dropped
//! before the call. User mistakes are answered with `REPROMPT`, internal failures with
//! `FAILURE`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    domain::{Actor, DueDate, ErrorKind, InvalidInput, UserId},
    files::Files,
    tools::{self, Tool, ToolCall, ToolScope, schema},
};

/// Session attribute holding the verified user's sub (set by our server, never by a model).
pub const USER_ATTRIBUTE: &str = "taskoUserId";
/// Session attribute holding today's date in the user's time zone (`YYYY-MM-DD`).
pub const TODAY_ATTRIBUTE: &str = "taskoToday";

const IDENTITY_PARAMETERS: [&str; 7] = [
    "userid", "user_id", "user", "owner", "email", "username", "sub",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionEvent {
    pub message_version: String,
    #[serde(default)]
    pub agent: Value,
    #[serde(default)]
    pub input_text: String,
    #[serde(default)]
    pub session_id: String,
    pub action_group: String,
    pub function: String,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    #[serde(default)]
    pub session_attributes: HashMap<String, String>,
    #[serde(default)]
    pub prompt_session_attributes: HashMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Parameter {
    pub name: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionResponse {
    pub message_version: String,
    pub response: ResponseBody,
    pub session_attributes: HashMap<String, String>,
    pub prompt_session_attributes: HashMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseBody {
    pub action_group: String,
    pub function: String,
    pub function_response: FunctionResult,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionResult {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_state: Option<String>,
    pub response_body: HashMap<String, TextBody>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextBody {
    pub body: String,
}

fn respond(event: &FunctionEvent, state: Option<&str>, body: String) -> FunctionResponse {
    FunctionResponse {
        message_version: "1.0".into(),
        response: ResponseBody {
            action_group: event.action_group.clone(),
            function: event.function.clone(),
            function_response: FunctionResult {
                response_state: state.map(str::to_owned),
                response_body: HashMap::from([("TEXT".to_owned(), TextBody { body })]),
            },
        },
        session_attributes: event.session_attributes.clone(),
        prompt_session_attributes: event.prompt_session_attributes.clone(),
    }
}

/// The tool call an event asks for, with identity-like parameters removed; a call that does
/// not parse is the sentence that tells the model why.
pub fn tool_call<'a>(
    function: &str,
    parameters: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<ToolCall, InvalidInput> {
    let params = parameters
        .into_iter()
        .filter(|(name, _)| !IDENTITY_PARAMETERS.contains(&name.to_lowercase().as_str()))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    ToolCall::parse(function, &params)
}

/// Runs one action-group event for the user our server named in the session attributes.
pub async fn handle(files: &Files, event: FunctionEvent) -> FunctionResponse {
    let Some(user) = event
        .session_attributes
        .get(USER_ATTRIBUTE)
        .filter(|u| !u.is_empty())
    else {
        tracing::warn!(function = %event.function, "action group called without a verified user");
        return respond(
            &event,
            Some("FAILURE"),
            "No signed-in user for this session.".into(),
        );
    };
    if Tool::from_name(&event.function).is_none() {
        return respond(
            &event,
            Some("REPROMPT"),
            format!("There is no function called {}.", event.function),
        );
    }
    let user = UserId::from_verified_sub(user);
    let today = event
        .session_attributes
        .get(TODAY_ATTRIBUTE)
        .and_then(|d| DueDate::parse(d).ok())
        .unwrap_or_else(|| {
            let here = jiff::tz::TimeZone::system();
            DueDate::from_date(files.now().to_zoned(here).date())
        });
    let parameters = event
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.value.as_str()));
    let call = match tool_call(&event.function, parameters) {
        Ok(call) => call,
        Err(refusal) => return respond(&event, Some("REPROMPT"), refusal.0),
    };
    // Bedrock passes the user's day only, not their time: only earlier days are overdue.
    let scope = ToolScope {
        files,
        user: &user,
        today,
        now: None,
        conversation: None,
        actor: Actor::assistant(),
    };
    match tools::execute(&scope, &call).await {
        Ok(outcome) if outcome.ok => respond(&event, None, outcome.text),
        Ok(outcome) => respond(&event, Some("REPROMPT"), outcome.text),
        Err(failure) => {
            tracing::error!(cause = %failure.0, "action group failure");
            let message = ErrorKind::Internal.fixed_message().unwrap_or_default();
            respond(&event, Some("FAILURE"), message.into())
        }
    }
}

/// The action group's FunctionSchema (Bedrock Agents API shape), generated from the one tool
/// definition. `tasko-server function-schema` prints it; infra/function-schema.json is this.
pub fn function_schema() -> Value {
    let functions: Vec<Value> = Tool::ALL.iter().map(|tool| function(*tool)).collect();
    serde_json::json!({ "functions": functions })
}

fn function(tool: Tool) -> Value {
    let spec = tool.spec();
    let parameters: serde_json::Map<String, Value> = spec
        .params
        .iter()
        .map(|p| {
            let kind = match p.kind {
                schema::ParamKind::String => "string",
                schema::ParamKind::Boolean => "boolean",
            };
            let parameter = serde_json::json!({
                "type": kind,
                "description": p.description,
                "required": p.required,
            });
            (p.name.to_owned(), parameter)
        })
        .collect();
    // Bedrock asks before deleteTodo itself; file removals are confirmed by our UI.
    let confirmation = if tool == Tool::DeleteTodo {
        "ENABLED"
    } else {
        "DISABLED"
    };
    serde_json::json!({
        "name": spec.name,
        "description": spec.description,
        "parameters": parameters,
        "requireConfirmation": confirmation,
    })
}
