//! `AGENT=openai`: a model behind an OpenAI-compatible Chat Completions endpoint (Ollama,
//! llama.cpp's server, vLLM, LM Studio, OpenAI). Each turn sends the system prompt
//! (`system_prompt.md`: today's date and the user's time zone, no identity), the bounded
//! conversation from the agent's memory and the tools (JSON Schema from `tools::schema`),
//! streams the answer (text relayed as it arrives), runs the tool calls it asks for through
//! our tool layer for the verified user (parameters naming a user are dropped), and sends the
//! results back, for at most `OPENAI_MAX_TOOL_ROUNDS` model calls. Deletes wait for our
//! structured confirmation, as with the other agents. The HTTP and SSE client is ours (see
//! ARCHITECTURE.md for why not a client crate): `upstream.rs`, `sse.rs`.

mod memory;
mod sse;
mod upstream;

use std::time::{Duration, Instant};

use app::wire::chat::{ChatEvent, Usage};
use async_trait::async_trait;
use serde_json::{Value, json};

use super::{
    Agent, AgentError, EventSink, TurnContext, TurnInput, bedrock::with_attachments,
    delete_confirmation, run_tool,
};
use crate::{
    action_group::tool_call,
    config::OpenAiSettings,
    domain::{
        ErrorKind, InvalidInput,
        model_memory::{ModelMessage, ModelToolCall, PendingToolConfirmation},
    },
    tools::Tool,
};
use upstream::Clock;

const SYSTEM_PROMPT: &str = include_str!("system_prompt.md");

pub struct OpenAiAgent {
    http: reqwest::Client,
    settings: OpenAiSettings,
    tools: Value,
}

/// The tools as Chat Completions function definitions, from the one schema.
pub fn tool_definitions() -> Value {
    let tools: Vec<Value> = Tool::ALL
        .iter()
        .map(|tool| {
            let spec = tool.spec();
            json!({
                "type": "function",
                "function": {
                    "name": spec.name,
                    "description": spec.description,
                    "parameters": spec.input_schema(),
                },
            })
        })
        .collect();
    Value::Array(tools)
}

/// The system prompt for this turn.
pub fn system_prompt(ctx: &TurnContext) -> String {
    SYSTEM_PROMPT
        .replace("{today}", &ctx.today.to_string())
        .replace("{weekday}", &format!("{:?}", ctx.today.weekday()))
        .replace("{time_zone}", &ctx.time_zone)
}

/// A tool call's JSON arguments as name/value pairs (numbers and booleans as text, as the
/// typed parser expects); anything but a JSON object is refused with a sentence.
fn arguments(raw: &str) -> Result<Vec<(String, String)>, InvalidInput> {
    let raw = if raw.trim().is_empty() { "{}" } else { raw };
    let value: Value = serde_json::from_str(raw).map_err(|e| {
        InvalidInput(format!(
            "The arguments were not valid JSON ({e}); send a JSON object."
        ))
    })?;
    let Value::Object(map) = value else {
        return Err(InvalidInput("The arguments must be a JSON object.".into()));
    };
    Ok(map
        .into_iter()
        .filter_map(|(name, value)| match value {
            Value::Null => None,
            Value::String(s) => Some((name, s)),
            other => Some((name, other.to_string())),
        })
        .collect())
}

impl OpenAiAgent {
    pub fn new(settings: OpenAiSettings) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            // Between two pieces of the stream; a model may think for a while first.
            .read_timeout(Duration::from_secs(120))
            .build()
            .expect("a reqwest client with timeouts always builds");
        Self {
            http,
            settings,
            tools: tool_definitions(),
        }
    }

    /// Runs the calls (or, not approved, answers each that the user cancelled), appending
    /// each result to the conversation for the model.
    async fn run_calls(
        &self,
        ctx: &mut TurnContext,
        events: &EventSink,
        usage: &mut Usage,
        calls: &[ModelToolCall],
        approved: bool,
    ) -> Result<(), AgentError> {
        for call in calls {
            let content = if approved {
                let function = &call.function;
                let parsed = arguments(&function.arguments).and_then(|pairs| {
                    tool_call(
                        &function.name,
                        pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())),
                    )
                });
                let outcome = run_tool(ctx, events, usage, &function.name, parsed).await?;
                if let Some(id) = &outcome.change_id {
                    ctx.memory.remember_change(*id);
                }
                if outcome.ok {
                    outcome.text
                } else {
                    format!("Error: {}", outcome.text)
                }
            } else {
                "The user cancelled this action; nothing was changed.".to_owned()
            };
            ctx.memory.model.messages.push(ModelMessage::Tool {
                tool_call_id: call.id.clone(),
                content,
            });
        }
        Ok(())
    }
}

#[async_trait]
impl Agent for OpenAiAgent {
    async fn turn(
        &self,
        ctx: &mut TurnContext,
        input: TurnInput,
        events: &EventSink,
    ) -> Result<Usage, AgentError> {
        let mut usage = Usage::default();
        let mut clock = Clock {
            started: Instant::now(),
            first_chunk: None,
        };
        match input {
            TurnInput::Message(text) => {
                let content = with_attachments(text, &ctx.attachments);
                ctx.memory
                    .model
                    .messages
                    .push(ModelMessage::User { content });
            }
            TurnInput::Confirm { action_id, approve } => {
                let calls = match ctx.memory.model.pending_confirmation.take().map(|p| *p) {
                    Some(PendingToolConfirmation::OpenAi {
                        action_id: waiting,
                        calls,
                    }) if waiting == action_id => Some(calls),
                    _ => None,
                };
                let Some(calls) = calls else {
                    events
                        .send(ChatEvent::Chunk {
                            text: "That confirmation is no longer pending, so nothing was changed."
                                .into(),
                        })
                        .await;
                    return Ok(usage);
                };
                self.run_calls(ctx, events, &mut usage, &calls, approve)
                    .await?;
            }
        }
        for _ in 0..self.settings.max_tool_rounds {
            memory::bound(&mut ctx.memory.model.messages, self.settings.memory_chars);
            let mut messages = vec![json!({"role": "system", "content": system_prompt(ctx)})];
            messages.extend(
                ctx.memory
                    .model
                    .messages
                    .iter()
                    .map(|m| serde_json::to_value(m).expect("a model message is plain JSON")),
            );
            let body = upstream::request_body(&self.settings, &messages, &self.tools);
            let round = upstream::complete(
                &self.http,
                &self.settings,
                &body,
                events,
                &mut usage,
                &mut clock,
            )
            .await?;
            if round.calls.is_empty() {
                ctx.memory.model.messages.push(ModelMessage::Assistant {
                    content: Some(round.text),
                    tool_calls: Vec::new(),
                });
                tracing::info!(
                    latency_ms = clock.started.elapsed().as_millis() as u64,
                    first_chunk_ms = clock.first_chunk.map(|d| d.as_millis() as u64),
                    tool_calls = usage.tool_calls,
                    input_tokens = usage.input_tokens,
                    output_tokens = usage.output_tokens,
                    model = %self.settings.model,
                    "openai turn"
                );
                return Ok(usage);
            }
            let calls: Vec<ModelToolCall> = round
                .calls
                .into_iter()
                .map(|c| ModelToolCall::new(c.id, c.name, c.arguments))
                .collect();
            ctx.memory.model.messages.push(ModelMessage::Assistant {
                content: (!round.text.is_empty()).then_some(round.text),
                tool_calls: calls.clone(),
            });
            if let Some(prompt) = delete_confirmation(
                calls.iter().map(|c| c.function.name.as_str()),
                ctx.files.restore_window(),
            ) {
                // Nothing of this batch runs before the user answers.
                let action_id = uuid::Uuid::new_v4().to_string();
                ctx.memory.model.pending_confirmation =
                    Some(Box::new(PendingToolConfirmation::OpenAi {
                        action_id: action_id.clone(),
                        calls,
                    }));
                events.send(ChatEvent::Confirm { action_id, prompt }).await;
                return Ok(usage);
            }
            self.run_calls(ctx, events, &mut usage, &calls, true)
                .await?;
        }
        Err(AgentError::new(
            ErrorKind::TooManyRounds,
            format!(
                "The assistant stopped after {} steps without an answer; try asking for less at once.",
                self.settings.max_tool_rounds
            ),
        ))
    }
}
