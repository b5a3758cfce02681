//! The Bedrock agent (`AGENT=bedrock`): InvokeAgent with our session id, the verified user and
//! dates in session attributes, traces on, and the final answer streamed. Chunks are relayed
//! as they arrive; traces of action-group calls become tool events; `returnControl` rounds are
//! executed through the same tool layer (for the signed-in user only: parameters naming a
//! user are dropped) and sent back with the invocation id, for at most five rounds.
//! `deleteTodo` and `deleteTodoFile` wait for our structured confirmation, like the LocalAgent.

use app::wire::chat::{ChatEvent, ToolStatus, Usage};
use async_trait::async_trait;
use aws_sdk_bedrockagentruntime::{
    Client,
    error::{DisplayErrorContext, ProvideErrorMetadata, SdkError},
    types::{
        ContentBody, FunctionResult, InvocationInputMember, InvocationResultMember,
        OrchestrationTrace, ResponseState, ResponseStream, SessionState, StreamingConfigurations,
        Trace,
    },
};

use super::{
    Agent, AgentError, EventSink, TurnContext, TurnInput, bedrock_memory, delete_confirmation,
    run_tool,
};
use crate::{
    action_group::{TODAY_ATTRIBUTE, USER_ATTRIBUTE, tool_call},
    domain::{
        ErrorKind, FileRecord,
        model_memory::{BedrockInvocation, PendingToolConfirmation},
    },
};

const MAX_RETURN_CONTROL_ROUNDS: usize = 5;

pub struct BedrockAgent {
    client: Client,
    agent_id: String,
    alias_id: String,
}

/// A return-control request: the functions the agent asked us to run, answered with its
/// invocation id.
struct ReturnControl {
    invocation_id: String,
    invocations: Vec<BedrockInvocation>,
}

fn classify<E: ProvideErrorMetadata + std::error::Error + 'static, R: std::fmt::Debug>(
    err: SdkError<E, R>,
) -> AgentError {
    let code = err
        .as_service_error()
        .and_then(|e| e.code())
        .map(str::to_owned);
    tracing::warn!(error = %DisplayErrorContext(&err), "Bedrock agent error");
    match code.as_deref() {
        Some("AccessDeniedException") => AgentError::new(
            ErrorKind::AssistantDenied,
            "The assistant is not allowed to run (access denied).",
        ),
        Some("ValidationException" | "ResourceNotFoundException") => AgentError::new(
            ErrorKind::Invalid,
            "The assistant could not process this request.",
        ),
        Some("ThrottlingException" | "ServiceQuotaExceededException") => AgentError::new(
            ErrorKind::UpstreamBusy,
            "The assistant is busy right now; please try again in a moment.",
        ),
        Some(other) => AgentError::new(
            ErrorKind::UpstreamFailed,
            format!("The assistant failed ({other}); please try again."),
        ),
        None => AgentError::new(
            ErrorKind::UpstreamUnreachable,
            "The assistant could not be reached; please try again.",
        ),
    }
}

impl BedrockAgent {
    pub async fn connect(agent_id: String, alias_id: String) -> Self {
        let config = aws_config::load_from_env().await;
        Self {
            client: Client::new(&config),
            agent_id,
            alias_id,
        }
    }

    fn session_state(
        ctx: &TurnContext,
    ) -> aws_sdk_bedrockagentruntime::types::builders::SessionStateBuilder {
        SessionState::builder()
            .session_attributes(USER_ATTRIBUTE, ctx.user.as_str())
            .session_attributes(TODAY_ATTRIBUTE, ctx.today.to_string())
            .prompt_session_attributes("today", ctx.today.to_string())
            .prompt_session_attributes("timeZone", ctx.time_zone.clone())
    }

    /// Runs the invocations for the turn's user; `approved = false` refuses them all.
    async fn run_invocations(
        &self,
        ctx: &TurnContext,
        events: &EventSink,
        usage: &mut Usage,
        invocations: &[BedrockInvocation],
        approved: bool,
    ) -> Result<Vec<InvocationResultMember>, AgentError> {
        let mut results = Vec::new();
        for invocation in invocations {
            let parameters = invocation
                .parameters
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str()));
            let call = tool_call(&invocation.function, parameters);
            let (body, state) = if approved {
                let outcome = run_tool(ctx, events, usage, &invocation.function, call).await?;
                (
                    outcome.text,
                    (!outcome.ok).then_some(ResponseState::Reprompt),
                )
            } else {
                (
                    "The user cancelled this action.".to_owned(),
                    Some(ResponseState::Reprompt),
                )
            };
            let result = FunctionResult::builder()
                .action_group(&invocation.action_group)
                .function(&invocation.function)
                .response_body("TEXT", ContentBody::builder().body(body).build())
                .set_response_state(state)
                .build()
                .map_err(AgentError::internal)?;
            results.push(InvocationResultMember::FunctionResult(result));
        }
        Ok(results)
    }

    /// One InvokeAgent call, relayed; returns the return-control request it ended with, if any.
    #[allow(clippy::too_many_arguments)]
    async fn invoke(
        &self,
        first_chunk: &mut Option<std::time::Duration>,
        started: std::time::Instant,
        session_id: &str,
        input_text: Option<String>,
        state: SessionState,
        events: &EventSink,
        usage: &mut Usage,
    ) -> Result<Option<ReturnControl>, AgentError> {
        let output = self
            .client
            .invoke_agent()
            .agent_id(&self.agent_id)
            .agent_alias_id(&self.alias_id)
            .session_id(session_id)
            .set_input_text(input_text)
            .session_state(state)
            .enable_trace(true)
            .streaming_configurations(
                StreamingConfigurations::builder()
                    .stream_final_response(true)
                    .build(),
            )
            .send()
            .await
            .map_err(classify)?;
        let mut stream = output.completion;
        let mut requested = None;
        // A stream cut mid-message surfaces as an error from `recv`.
        loop {
            match stream.recv().await {
                Ok(Some(ResponseStream::Chunk(part))) => {
                    if let Some(bytes) = part.bytes() {
                        let text = String::from_utf8_lossy(bytes.as_ref()).into_owned();
                        first_chunk.get_or_insert_with(|| started.elapsed());
                        usage.output_tokens += text.split_whitespace().count() as u64;
                        events.send(ChatEvent::Chunk { text }).await;
                    }
                }
                Ok(Some(ResponseStream::Trace(part))) => {
                    self.relay_trace(part.trace(), events, usage).await
                }
                Ok(Some(ResponseStream::ReturnControl(payload))) => {
                    let invocations = payload
                        .invocation_inputs()
                        .iter()
                        .filter_map(|member| match member {
                            InvocationInputMember::FunctionInvocationInput(f) => {
                                Some(BedrockInvocation {
                                    action_group: f.action_group.clone(),
                                    function: f.function.clone().unwrap_or_default(),
                                    parameters: f
                                        .parameters()
                                        .iter()
                                        .map(|p| {
                                            (
                                                p.name.clone().unwrap_or_default(),
                                                p.value.clone().unwrap_or_default(),
                                            )
                                        })
                                        .collect(),
                                })
                            }
                            _ => None,
                        })
                        .collect();
                    requested = Some(ReturnControl {
                        invocation_id: payload.invocation_id().unwrap_or_default().to_owned(),
                        invocations,
                    });
                }
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) => return Err(classify(e)),
            }
        }
        Ok(requested)
    }

    async fn relay_trace(&self, trace: Option<&Trace>, events: &EventSink, usage: &mut Usage) {
        let Some(Trace::OrchestrationTrace(orchestration)) = trace else {
            return;
        };
        match orchestration {
            OrchestrationTrace::InvocationInput(input) => {
                if let Some(call) = input.action_group_invocation_input()
                    && let Some(function) = call.function()
                    && call
                        .execution_type()
                        .is_none_or(|t| t.as_str() != "RETURN_CONTROL")
                {
                    events
                        .send(ChatEvent::Tool {
                            name: function.to_owned(),
                            status: ToolStatus::Started,
                            summary: String::new(),
                            deleted_todo_id: None,
                            change_id: None,
                        })
                        .await;
                }
            }
            OrchestrationTrace::ModelInvocationOutput(output) => {
                if let Some(model_usage) = output.metadata().and_then(|m| m.usage()) {
                    usage.input_tokens +=
                        model_usage.input_tokens().unwrap_or_default().max(0) as u64;
                    usage.output_tokens +=
                        model_usage.output_tokens().unwrap_or_default().max(0) as u64;
                }
            }
            _ => {}
        }
    }
}

/// The message as the model sees it: files dropped into the chat are named with their ids,
/// so the model can pass them to addTodoFile. Names are user text: quoted, on their own line.
pub fn with_attachments(text: String, attachments: &[FileRecord]) -> String {
    if attachments.is_empty() {
        return text;
    }
    let mut out = text;
    out.push_str("\n\n[Files the user attached to this message (use the fileId with addTodoFile):");
    for file in attachments {
        out.push_str(&format!(
            "\n- fileId {}: {:?}, {}, {}",
            file.id,
            file.name,
            file.content_type,
            app::wire::file::human_size(file.size)
        ));
    }
    out.push(']');
    out
}

#[async_trait]
impl Agent for BedrockAgent {
    async fn turn(
        &self,
        ctx: &mut TurnContext,
        input: TurnInput,
        events: &EventSink,
    ) -> Result<Usage, AgentError> {
        let started = std::time::Instant::now();
        let session_id = bedrock_memory::session_id(ctx);
        let mut first_chunk = None;
        let mut usage = Usage::default();
        let (mut input_text, mut state) = match input {
            TurnInput::Message(text) => {
                usage.input_tokens = text.split_whitespace().count() as u64;
                let history = bedrock_memory::history_to_seed(ctx);
                (
                    Some(with_attachments(text, &ctx.attachments)),
                    Self::session_state(ctx)
                        .set_conversation_history(history)
                        .build(),
                )
            }
            TurnInput::Confirm { action_id, approve } => {
                let waiting = match ctx.memory.model.pending_confirmation.take().map(|p| *p) {
                    Some(PendingToolConfirmation::Bedrock {
                        invocation_id,
                        invocations,
                    }) if invocation_id == action_id => Some(ReturnControl {
                        invocation_id,
                        invocations,
                    }),
                    _ => None,
                };
                let Some(waiting) = waiting else {
                    events
                        .send(ChatEvent::Chunk {
                            text: "That confirmation is no longer pending, so nothing was changed."
                                .into(),
                        })
                        .await;
                    return Ok(usage);
                };
                let results = self
                    .run_invocations(ctx, events, &mut usage, &waiting.invocations, approve)
                    .await?;
                let state = Self::session_state(ctx)
                    .invocation_id(waiting.invocation_id)
                    .set_return_control_invocation_results(Some(results))
                    .build();
                (None, state)
            }
        };
        for _ in 0..=MAX_RETURN_CONTROL_ROUNDS {
            let requested = self
                .invoke(
                    &mut first_chunk,
                    started,
                    &session_id,
                    input_text.take(),
                    state,
                    events,
                    &mut usage,
                )
                .await?;
            let Some(request) = requested else {
                tracing::info!(
                    latency_ms = started.elapsed().as_millis() as u64,
                    first_chunk_ms = first_chunk.map(|d| d.as_millis() as u64),
                    tool_calls = usage.tool_calls,
                    input_tokens = usage.input_tokens,
                    output_tokens = usage.output_tokens,
                    "bedrock turn"
                );
                return Ok(usage);
            };
            let names = request.invocations.iter().map(|i| i.function.as_str());
            if let Some(prompt) = delete_confirmation(names, ctx.files.restore_window()) {
                let action_id = request.invocation_id.clone();
                ctx.memory.model.pending_confirmation =
                    Some(Box::new(PendingToolConfirmation::Bedrock {
                        invocation_id: request.invocation_id,
                        invocations: request.invocations,
                    }));
                events.send(ChatEvent::Confirm { action_id, prompt }).await;
                return Ok(usage);
            }
            let results = self
                .run_invocations(ctx, events, &mut usage, &request.invocations, true)
                .await?;
            state = Self::session_state(ctx)
                .invocation_id(request.invocation_id)
                .set_return_control_invocation_results(Some(results))
                .build();
        }
        Err(AgentError::new(
            ErrorKind::TooManyRounds,
            "The assistant needed too many steps for this request.",
        ))
    }
}
