//! The conversation a model sees: the session's own messages in Chat Completions form
//! (user, assistant with its tool calls, tool results), kept in the agent's memory so "that
//! one" can refer to what an earlier tool returned, and bounded by characters: the oldest
//! go first, a whole exchange at a time, so the history always starts at a user message and
//! a tool result never loses the call it answers.

use crate::domain::model_memory::ModelMessage;

/// A message's size as it is sent (its JSON).
fn size(message: &ModelMessage) -> usize {
    serde_json::to_string(message).map_or(0, |json| json.len())
}

/// Drops the oldest messages until the rest fit in `max_chars` (the newest user message and
/// what follows it are always kept).
pub fn bound(messages: &mut Vec<ModelMessage>, max_chars: usize) {
    let mut total: usize = messages.iter().map(size).sum();
    while total > max_chars {
        // The next place the history can start: the second user message.
        let Some(next_start) = messages
            .iter()
            .skip(1)
            .position(ModelMessage::is_user)
            .map(|p| p + 1)
        else {
            break;
        };
        total -= messages
            .drain(..next_start)
            .map(|m| size(&m))
            .sum::<usize>();
    }
    // Never start inside an exchange (after a restart from older memory, for instance).
    let first_user = messages
        .iter()
        .position(ModelMessage::is_user)
        .unwrap_or(messages.len());
    messages.drain(..first_user);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model_memory::ModelToolCall;

    fn user(content: String) -> ModelMessage {
        ModelMessage::User { content }
    }

    fn answer(content: String) -> ModelMessage {
        ModelMessage::Assistant {
            content: Some(content),
            tool_calls: Vec::new(),
        }
    }

    fn text(message: &ModelMessage) -> &str {
        match message {
            ModelMessage::User { content } | ModelMessage::Tool { content, .. } => content,
            ModelMessage::Assistant { content, .. } => content.as_deref().unwrap_or_default(),
        }
    }

    fn exchange(n: usize) -> Vec<ModelMessage> {
        vec![
            user(format!("question {n}")),
            ModelMessage::Assistant {
                content: None,
                tool_calls: vec![ModelToolCall::new(
                    format!("c{n}"),
                    "getTodos".into(),
                    "{}".into(),
                )],
            },
            ModelMessage::Tool {
                tool_call_id: format!("c{n}"),
                content: "x".repeat(200),
            },
            answer(format!("answer {n}")),
        ]
    }

    #[test]
    fn the_oldest_exchanges_go_first_and_whole() {
        let mut messages: Vec<ModelMessage> = (0..10).flat_map(exchange).collect();
        let one: usize = exchange(0).iter().map(size).sum();
        bound(&mut messages, one * 3 + 10);
        assert_eq!(messages.len(), 12);
        assert_eq!(text(&messages[0]), "question 7");
        assert_eq!(text(messages.last().unwrap()), "answer 9");
    }

    #[test]
    fn the_latest_question_stays_even_when_alone_it_is_too_long() {
        let mut messages = exchange(0);
        messages.push(user("y".repeat(5_000)));
        bound(&mut messages, 100);
        assert_eq!(messages.len(), 1);
        assert!(messages[0].is_user());
    }

    #[test]
    fn a_history_never_starts_with_a_tool_result() {
        let mut messages = exchange(0)[2..].to_vec();
        messages.extend(exchange(1));
        bound(&mut messages, 1_000_000);
        assert_eq!(text(&messages[0]), "question 1");
    }
}
