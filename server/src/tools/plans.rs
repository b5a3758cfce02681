//! Answering a plan card (`POST /api/chat/plan`): the chosen items, checked again (parsed
//! from their `tool` and `arguments`, the todo's version compared with the one proposed:
//! a todo changed since is refused alone, the rest applied), applied as one change
//! (`Change::Set`), which the card's Undo, "undo that" and the activity log take back
//! whole or not at all. The answer claims the proposal with a conditional write first, so
//! a plan is applied once however many instances receive it; `{"apply": []}` discards it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use app::wire::plan::{PlanApplied, PlanCard, PlanRefusal, PlanRequest};

use super::{
    call::ToolCall,
    changes::{self, Change},
    execute::execute,
    outcome::ToolScope,
    proposals::{DATE_DUE, PLAN_WINDOW, Proposal, Proposed, backend, key},
};
use crate::{
    domain::{ConversationId, DueDate, PlanId, Todo, TodoId, UserId},
    files::Files,
    store::StoreError,
};

/// Why an answer changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The request names items the plan does not have, or a date that is not one.
    #[error("{0}")]
    Invalid(String),
    /// No such plan for this user.
    #[error("{0}")]
    NotFound(String),
    /// Answered already.
    #[error("{0}")]
    Conflict(String),
    /// Its deadline passed.
    #[error("{0}")]
    Expired(String),
    #[error(transparent)]
    Backend(#[from] StoreError),
}

/// A chosen item with its arguments as edited.
type Chosen = (Proposed, BTreeMap<String, String>);

/// The chosen items with their edited arguments, in the plan's order; checked whole
/// before anything is written.
fn chosen(proposal: &Proposal, request: &PlanRequest) -> Result<Vec<Chosen>, PlanError> {
    let invalid = |m: String| Err(PlanError::Invalid(m));
    let known = |id: &str| proposal.items.iter().any(|p| p.item.item_id == id);
    let mut seen = BTreeSet::new();
    for id in &request.apply {
        if !known(id) {
            return invalid(format!("apply: this plan has no item '{id}'."));
        }
        if !seen.insert(id.as_str()) {
            return invalid(format!("apply: item '{id}' is named twice."));
        }
    }
    for (id, edit) in &request.edits {
        let Some(proposed) = proposal.items.iter().find(|p| &p.item.item_id == id) else {
            return invalid(format!("edits: this plan has no item '{id}'."));
        };
        if !seen.contains(id.as_str()) {
            return invalid(format!(
                "edits: item '{id}' is not among the items to apply."
            ));
        }
        if !proposed.item.arguments.contains_key(DATE_DUE) {
            return invalid(format!("edits: item '{id}' sets no date to change."));
        }
        if let Err(e) = DueDate::parse(&edit.date_due) {
            return invalid(format!("edits: {}", e.0));
        }
    }
    Ok(proposal
        .items
        .iter()
        .filter(|p| seen.contains(p.item.item_id.as_str()))
        .map(|p| {
            let mut arguments = p.item.arguments.clone();
            if let Some(edit) = request.edits.get(&p.item.item_id) {
                arguments.insert(DATE_DUE.to_owned(), edit.date_due.trim().to_owned());
            }
            (p.clone(), arguments)
        })
        .collect())
}

/// The card of a plan as it is now (`GET /api/chat/plan/{planId}`): a plan proposed where
/// no chat shows it (an MCP client's `proposePlan`) is opened by its link. Answered, it
/// carries its answer; unanswered past its deadline, it is expired.
pub async fn card(files: &Files, owner: &UserId, plan_id: &str) -> Result<PlanCard, PlanError> {
    let plan_id = PlanId::parse(plan_id).map_err(|e| PlanError::Invalid(e.0))?;
    let now = files.now();
    let entry = files
        .store()
        .get_entry(&key(owner, plan_id), now)
        .await?
        .ok_or_else(|| PlanError::NotFound("No such plan (or it is too old).".into()))?;
    let proposal: Proposal = serde_json::from_value(entry.body).map_err(backend)?;
    if proposal.answer.is_none() && now > proposal.deadline {
        return Err(expired());
    }
    Ok(PlanCard {
        plan_id: plan_id.to_string(),
        summary: proposal.summary,
        items: proposal.items.into_iter().map(|p| p.item).collect(),
        notes: vec![],
        result: proposal.answer,
    })
}

fn expired() -> PlanError {
    let minutes = PLAN_WINDOW.as_mins();
    PlanError::Expired(format!(
        "That plan expired: a plan can be applied for {minutes} minutes after it is \
         proposed, and nothing was changed. Ask the assistant again for a fresh one."
    ))
}

/// What an answer did, with the todos it changed (for the caller to refresh).
pub struct Answered {
    pub result: PlanApplied,
    pub changed: Vec<TodoId>,
}

/// Applies the items `request` chooses (none: the plan is discarded) for `owner`, as one
/// change; see the module's comment for the checks.
pub async fn answer(
    files: &Files,
    owner: &UserId,
    request: &PlanRequest,
) -> Result<Answered, PlanError> {
    let plan_id = PlanId::parse(&request.plan_id).map_err(|e| PlanError::Invalid(e.0))?;
    let store = files.store();
    let now = files.now();
    let entry = store
        .get_entry(&key(owner, plan_id), now)
        .await?
        .ok_or_else(|| PlanError::NotFound("No such plan (or it is too old).".into()))?;
    let mut proposal: Proposal = serde_json::from_value(entry.body.clone()).map_err(backend)?;
    let items = chosen(&proposal, request)?;
    let answered =
        || PlanError::Conflict("That plan was answered already; nothing more was changed.".into());
    if proposal.claimed {
        return Err(answered());
    }
    if now > proposal.deadline {
        return Err(expired());
    }
    proposal.claimed = true;
    let claimed = entry.next(
        serde_json::to_value(&proposal).map_err(backend)?,
        entry.expires_at,
    );
    match store.put_entry(&claimed, Some(entry.version), now).await {
        Ok(()) => {}
        Err(StoreError::Changed) => return Err(answered()),
        Err(e) => return Err(e.into()),
    }

    let profile = store.get_profile(owner).await?;
    let here = now.to_zoned(profile.zone());
    let scope = ToolScope {
        files,
        user: owner,
        today: DueDate::from_date(here.date()),
        now: profile.time_zone.is_some().then(|| here.time()),
        conversation: proposal.session_id,
        actor: proposal.proposer.clone(),
    };
    let mut result = PlanApplied {
        change_id: None,
        applied: vec![],
        refused: vec![],
        undone: false,
    };
    let mut parts = Vec::new();
    let mut changed = Vec::new();
    // The version each todo should be at: as proposed, then as this plan's own items left it.
    let mut versions: HashMap<TodoId, u64> = HashMap::new();
    for (proposed, arguments) in items {
        let item_id = proposed.item.item_id.clone();
        let refuse = |result: &mut PlanApplied, reason: String| {
            result.refused.push(PlanRefusal {
                item_id: item_id.clone(),
                reason,
            })
        };
        let call = match ToolCall::parse(&proposed.item.tool, &arguments) {
            Ok(call) => call,
            Err(e) => {
                refuse(&mut result, e.0);
                continue;
            }
        };
        if let Some((id, version)) = proposed.todo {
            let expected = versions.get(&id).copied().unwrap_or(version);
            match store.get_todo(owner, id).await {
                Ok(current) if current.version == expected => {}
                Ok(current) => {
                    refuse(&mut result, changed_since(&current));
                    continue;
                }
                Err(StoreError::NotFound) => {
                    refuse(
                        &mut result,
                        "That todo was deleted since the plan was made.".into(),
                    );
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
        }
        let mut outcome = match execute(&scope, &call).await {
            Ok(outcome) => outcome,
            Err(failure) => {
                tracing::error!(cause = %failure.0, "plan item failed");
                refuse(
                    &mut result,
                    "Something went wrong on our side; this item was not applied.".into(),
                );
                continue;
            }
        };
        if !outcome.ok {
            refuse(&mut result, outcome.text);
            continue;
        }
        for todo in &outcome.todos {
            versions.insert(todo.id, todo.version);
        }
        parts.extend(outcome.change.take());
        changed.extend(outcome.changed);
        result.applied.push(item_id);
    }

    if !parts.is_empty() {
        let change = Change::Set {
            summary: proposal.summary.clone(),
            parts,
        };
        // The changes are made; without the record they only cannot be undone as one.
        match changes::record(
            files,
            owner,
            proposal.session_id,
            change,
            proposal.proposer.clone(),
        )
        .await
        {
            Ok(id) => result.change_id = Some(id.to_string()),
            Err(e) => tracing::warn!(error = %e, "plan's change record not written"),
        }
    }
    proposal.answer = Some(result.clone());
    let body = serde_json::to_value(&proposal).map_err(backend)?;
    if let Err(e) = store
        .put_entry(
            &claimed.next(body, claimed.expires_at),
            Some(claimed.version),
            now,
        )
        .await
    {
        tracing::warn!(error = %e, "plan's answer not kept");
    }
    if let Some(session_id) = proposal.session_id
        && let Err(e) = show_answer(files, owner, session_id, plan_id, &result).await
    {
        tracing::warn!(error = %e, "plan card not updated");
    }
    Ok(Answered { result, changed })
}

fn changed_since(todo: &Todo) -> String {
    format!(
        "“{}” changed since the plan was made, so this was left alone.",
        todo.title.as_str()
    )
}

/// Puts the answer on the plan's card in its conversation, and its change where "undo
/// that" finds it.
async fn show_answer(
    files: &Files,
    owner: &UserId,
    session_id: ConversationId,
    plan_id: PlanId,
    result: &PlanApplied,
) -> Result<(), StoreError> {
    let store = files.store();
    let Some(mut session) = store.get_chat_session(owner, session_id).await? else {
        return Ok(());
    };
    let plan_id = plan_id.to_string();
    let Some(card) = session
        .messages
        .iter_mut()
        .filter_map(|m| m.plan.as_mut())
        .find(|card| card.plan_id == plan_id)
    else {
        return Ok(());
    };
    card.result = Some(result.clone());
    if let Some(id) = result
        .change_id
        .as_deref()
        .map(crate::domain::ChangeId::parse)
    {
        session.memory.remember_change(id.map_err(backend)?);
    }
    store.save_chat_session(&session).await
}
