//! The conversation a model sees: the session's own messages in Chat Completions form
//! (user, assistant with its tool calls, tool results), kept in the agent's memory so "that
//! one" can refer to what an earlier tool returned, and bounded by characters: the oldest
//! go first, a whole exchange at a time, so the history always starts at a user message and
//! a tool result never loses the call it answers.

use serde_json::Value;

fn size(message: &Value) -> usize {
    message.to_string().len()
}

fn is_user(message: &Value) -> bool {
    message["role"] == "user"
}

/// Drops the oldest messages until the rest fit in `max_chars` (the newest user message and
/// what follows it are always kept).
pub fn bound(messages: &mut Vec<Value>, max_chars: usize) {
    let mut total: usize = messages.iter().map(size).sum();
    while total > max_chars {
        // The next place the history can start: the second user message.
        let Some(next_start) = messages.iter().skip(1).position(is_user).map(|p| p + 1) else {
            break;
        };
        total -= messages
            .drain(..next_start)
            .map(|m| size(&m))
            .sum::<usize>();
    }
    // Never start inside an exchange (after a restart from older memory, for instance).
    let first_user = messages.iter().position(is_user).unwrap_or(messages.len());
    messages.drain(..first_user);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn exchange(n: usize) -> Vec<Value> {
        vec![
            json!({"role": "user", "content": format!("question {n}")}),
            json!({"role": "assistant", "content": null, "tool_calls": [
                {"id": format!("c{n}"), "type": "function",
                 "function": {"name": "getTodos", "arguments": "{}"}}]}),
            json!({"role": "tool", "tool_call_id": format!("c{n}"), "content": "x".repeat(200)}),
            json!({"role": "assistant", "content": format!("answer {n}")}),
        ]
    }

    #[test]
    fn the_oldest_exchanges_go_first_and_whole() {
        let mut messages: Vec<Value> = (0..10).flat_map(exchange).collect();
        let one: usize = exchange(0).iter().map(size).sum();
        bound(&mut messages, one * 3 + 10);
        assert_eq!(messages.len(), 12);
        assert_eq!(messages[0]["content"], "question 7");
        assert_eq!(messages.last().unwrap()["content"], "answer 9");
    }

    #[test]
    fn the_latest_question_stays_even_when_alone_it_is_too_long() {
        let mut messages = exchange(0);
        messages.push(json!({"role": "user", "content": "y".repeat(5_000)}));
        bound(&mut messages, 100);
        assert_eq!(messages.len(), 1);
        assert!(is_user(&messages[0]));
    }

    #[test]
    fn a_history_never_starts_with_a_tool_result() {
        let mut messages = exchange(0)[2..].to_vec();
        messages.extend(exchange(1));
        bound(&mut messages, 1_000_000);
        assert_eq!(messages[0]["content"], "question 1");
    }
}
