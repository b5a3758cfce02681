//! Bedrock keeps a conversation's memory on its side, keyed by the session id we send. When a
//! turn is replaced (edit and resend, regenerate) that memory still holds the replaced turn, so
//! the conversation moves to a new Bedrock session (`tasko-<id>-e<epoch>`) that is given the
//! transcript without it (`sessionState.conversationHistory`) once, on its first turn.

use app::wire::chat::{ChatMessage, ChatRole};
use aws_sdk_bedrockagentruntime::types::{
    ContentBlock, ConversationHistory, ConversationRole, Message,
};

use super::TurnContext;

/// The Bedrock session that holds this conversation's memory now.
pub fn session_id(ctx: &TurnContext) -> String {
    match ctx.agent_epoch {
        0 => format!("tasko-{}", ctx.session_id),
        epoch => format!("tasko-{}-e{epoch}", ctx.session_id),
    }
}

/// The transcript to seed a new Bedrock session with, once per epoch (recorded in memory).
pub fn history_to_seed(ctx: &mut TurnContext) -> Option<ConversationHistory> {
    if ctx.agent_epoch == 0 || ctx.memory.model.seeded_epoch == ctx.agent_epoch {
        return None;
    }
    ctx.memory.model.seeded_epoch = ctx.agent_epoch;
    let messages = ctx
        .transcript
        .iter()
        .filter(|m| !m.text.trim().is_empty())
        .filter_map(message)
        .collect();
    Some(
        ConversationHistory::builder()
            .set_messages(Some(messages))
            .build(),
    )
}

fn message(stored: &ChatMessage) -> Option<Message> {
    let role = match stored.role {
        ChatRole::User => ConversationRole::User,
        ChatRole::Assistant => ConversationRole::Assistant,
    };
    Message::builder()
        .role(role)
        .content(ContentBlock::Text(stored.text.clone()))
        .build()
        .ok()
}
