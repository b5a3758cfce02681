//! The tools as MCP describes them, generated from the one schema (`tools::schema`), as the
//! OpenAI tool definitions are: the same input schema (`ToolSpec::input_schema`), a title and the
//! `readOnlyHint` / `destructiveHint` annotations, and one honest output schema shared by
//! every tool (each result is a `ToolOutcome`, the same shape for all: what was refused or
//! done, the todos and files it read or wrote, and the change record that can undo it).

use std::sync::{Arc, LazyLock};

use rmcp::model::{CallToolResult, ContentBlock, JsonObject, Tool as McpTool, ToolAnnotations};
use serde_json::{Value, json};

use crate::{
    domain::Access,
    tools::{Tool, ToolOutcome, proposals::PLAN_WINDOW},
};

/// The tools a caller with `access` sees: read-only credentials see only the reads.
pub fn listed(access: Access) -> Vec<McpTool> {
    Tool::ALL
        .into_iter()
        .filter(|tool| access == Access::Write || tool.reads_only())
        .map(definition)
        .collect()
}

fn definition(tool: Tool) -> McpTool {
    let spec = tool.spec();
    let input = object(spec.input_schema());
    let annotations = ToolAnnotations::with_title(spec.title)
        .read_only(tool.reads_only())
        .destructive(tool.needs_confirmation())
        // Everything here is the user's own todo list, not the open world.
        .open_world(false);
    let mut definition = McpTool::new(spec.name, spec.description, input);
    definition.title = Some(spec.title.to_owned());
    definition.output_schema = Some(OUTPUT_SCHEMA.clone());
    definition.annotations = Some(annotations);
    definition
}

fn object(value: Value) -> Arc<JsonObject> {
    match value {
        Value::Object(map) => Arc::new(map),
        _ => unreachable!("schemas are written as objects"),
    }
}

/// Every tool's result: one schema rather than fifteen, because every tool answers with the
/// same `ToolOutcome` (a tool that reads one todo and one that lists many differ only in
/// how many `todos` there are). The todo and file items name the fields a client can rely
/// on and allow the rest (the REST API's full `Todo` and `FileInfo`).
static OUTPUT_SCHEMA: LazyLock<Arc<JsonObject>> = LazyLock::new(|| {
    object(json!({
        "type": "object",
        "properties": {
            "ok": {"type": "boolean", "description": "False when the call was refused; text says why."},
            "text": {"type": "string", "description": "What happened, in a sentence or a list."},
            "todos": {
                "type": "array",
                "description": "The todos the call read or wrote, as they are now (the REST API's Todo).",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "title": {"type": "string"},
                        "completed": {"type": "boolean"},
                        "dateDue": {"type": ["string", "null"]},
                        "listId": {"type": "string"},
                    },
                    "required": ["id", "title", "completed"],
                },
            },
            "files": {
                "type": "array",
                "description": "The files the call listed, attached or removed (the REST API's FileInfo).",
                "items": {
                    "type": "object",
                    "properties": {
                        "fileId": {"type": "string"},
                        "name": {"type": "string"},
                        "size": {"type": "integer"},
                    },
                    "required": ["fileId", "name"],
                },
            },
            "changeId": {
                "type": "string",
                "description": "The change record of a change: POST /api/activity/undo takes it back.",
            },
            "deletedTodoId": {
                "type": "string",
                "description": "A deleted todo, restorable for a while (POST /api/todos/{id}/restore).",
            },
            "plan": {
                "type": "object",
                "description": "The plan card proposePlan kept: the user opens planUrl in Tasko to choose and apply its items (nothing is changed before).",
                "properties": {
                    "planId": {"type": "string"},
                    "summary": {"type": "string"},
                    "items": {"type": "array"},
                    "notes": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["planId", "summary", "items"],
            },
            "planUrl": {
                "type": "string",
                "description": "Where the user reviews and applies the plan (open for 30 minutes).",
            },
        },
        "required": ["ok", "text", "todos", "files"],
    }))
});

/// A `ToolOutcome` as an MCP result: the short text for clients that show text, the same
/// facts structured; a refusal is a tool error (the model reads why), not a protocol error.
pub fn result(outcome: &ToolOutcome, public_url: &str) -> CallToolResult {
    let mut text = outcome.text.clone();
    let mut structured = json!({
        "ok": outcome.ok,
        "text": outcome.text,
        "todos": outcome.todos.iter().map(|t| t.to_wire()).collect::<Vec<_>>(),
        "files": outcome.files.iter().map(|f| f.to_wire()).collect::<Vec<_>>(),
    });
    if let Some(id) = outcome.change_id {
        structured["changeId"] = json!(id.to_string());
    }
    if let Some(id) = outcome.deleted {
        structured["deletedTodoId"] = json!(id.to_string());
    }
    if let Some(card) = &outcome.plan {
        // No chat of Tasko's shows an MCP client's card: the user opens it by its link.
        let url = plan_url(public_url, &card.plan_id);
        text.push_str(&format!(
            "\nThe user reviews, adjusts and applies it in Tasko at {url} (open for {} \
             minutes); give them this link.",
            PLAN_WINDOW.as_mins()
        ));
        structured["text"] = json!(text);
        structured["plan"] = json!(card);
        structured["planUrl"] = json!(url);
    }
    let mut result = if outcome.ok {
        CallToolResult::success(vec![ContentBlock::text(text)])
    } else {
        CallToolResult::error(vec![ContentBlock::text(text)])
    };
    result.structured_content = Some(structured);
    result
}

/// The app's address that opens a plan's card (`?plan=<id>`, read by the chat panel).
fn plan_url(public_url: &str, plan_id: &str) -> String {
    format!("{}/?plan={plan_id}", public_url.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tool_is_listed_once_with_its_spec_and_read_only_credentials_see_only_reads() {
        let all = listed(Access::Write);
        assert_eq!(all.len(), Tool::ALL.len());
        for (tool, definition) in Tool::ALL.into_iter().zip(&all) {
            assert_eq!(definition.name, tool.name());
            let hints = definition.annotations.as_ref().unwrap();
            assert_eq!(hints.read_only_hint, Some(tool.reads_only()));
            assert_eq!(hints.destructive_hint, Some(tool.needs_confirmation()));
            let mut names: Vec<&str> = tool.spec().params.iter().map(|p| p.name).collect();
            names.sort_unstable();
            let properties = definition.input_schema["properties"].as_object().unwrap();
            let mut keys: Vec<&str> = properties.keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(keys, names);
        }
        let reads: Vec<String> = listed(Access::Read)
            .into_iter()
            .map(|t| t.name.into_owned())
            .collect();
        let expected: Vec<&str> = Tool::ALL
            .into_iter()
            .filter(|t| t.reads_only())
            .map(Tool::name)
            .collect();
        assert_eq!(reads, expected);
        assert_eq!(
            expected.len(),
            4,
            "the reads: todos, one todo, its files, lists"
        );
    }
}
