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
    files::Files,
    store::Store,
    todos::{UserId, domain::DueDate},
    tools::{self, ToolCall, schema},
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

/// The tool call an event asks for, with identity-like parameters removed.
pub fn tool_call(function: &str, parameters: &[Parameter]) -> ToolCall {
    ToolCall {
        name: function.to_owned(),
        params: parameters
            .iter()
            .filter(|p| !IDENTITY_PARAMETERS.contains(&p.name.to_lowercase().as_str()))
            .map(|p| (p.name.clone(), p.value.clone()))
            .collect(),
    }
}

/// Runs one action-group event; `files` works on the same store as `store`.
pub async fn handle(store: &dyn Store, files: &Files, event: FunctionEvent) -> FunctionResponse {
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
    if schema::find(&event.function).is_none() {
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
            DueDate::parse(&jiff::Zoned::now().date().to_string()).expect("today is a date")
        });
    let call = tool_call(&event.function, &event.parameters);
    match tools::execute(store, files, &user, today, &call).await {
        Ok(outcome) if outcome.ok => respond(&event, None, outcome.text),
        Ok(outcome) => respond(&event, Some("REPROMPT"), outcome.text),
        Err(failure) => {
            tracing::error!(error = %failure, "action group failure");
            respond(
                &event,
                Some("FAILURE"),
                "The operation failed; try again later.".into(),
            )
        }
    }
}

/// The action group's FunctionSchema (Bedrock Agents API shape), generated from the one tool
/// definition. `tasko-server function-schema` prints it; infra/function-schema.json is this.
pub fn function_schema() -> Value {
    let functions: Vec<Value> = schema::TOOLS
        .iter()
        .map(|tool| {
            let parameters: serde_json::Map<String, Value> = tool
                .params
                .iter()
                .map(|p| {
                    let kind = match p.kind {
                        schema::ParamKind::String => "string",
                        schema::ParamKind::Boolean => "boolean",
                    };
                    (p.name.to_owned(), serde_json::json!({"type": kind, "description": p.description, "required": p.required}))
                })
                .collect();
            let confirmation = if tool.name == "deleteTodo" { "ENABLED" } else { "DISABLED" };
            serde_json::json!({
                "name": tool.name,
                "description": tool.description,
                "parameters": parameters,
                "requireConfirmation": confirmation,
            })
        })
        .collect();
    serde_json::json!({ "functions": functions })
}
