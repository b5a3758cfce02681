//! A plan card in an assistant message: the proposed changes with a checkbox each (all
//! ticked) and, for those that set a date, a date field; Apply (n) sends the ticked ones
//! with the changed dates (`POST /api/chat/plan`), Discard sends none. Once answered it
//! says what was applied and refused, with Undo for the whole set (`POST /api/chat/undo`).
//! [`LinkedPlan`]: a card no chat shows (an MCP client's plan), opened by `?plan=<id>`.

use std::collections::BTreeMap;

use leptos::{prelude::*, task::spawn_local};

use crate::{
    ui::{api, auth::session::Auth, markdown::to_safe_html, todos::state::TodoState},
    wire::plan::{PlanApplied, PlanCard, PlanEdit, PlanItem, PlanRequest},
};

#[derive(Clone, PartialEq)]
enum CardState {
    Open,
    Sending,
    Answered(PlanApplied),
    Failed(String),
}

#[derive(Clone, PartialEq)]
enum UndoState {
    Ready,
    Working,
    Done,
    Refused(String),
}

/// An item's text without markdown marks, for a field's label.
fn plain(text: &str) -> String {
    text.replace(['*', '\\'], "")
}

#[component]
fn ItemRow(
    item: PlanItem,
    ticked: RwSignal<Vec<String>>,
    dates: RwSignal<BTreeMap<String, String>>,
    open: Signal<bool>,
) -> impl IntoView {
    let id = StoredValue::new(item.item_id.clone());
    let checked = move || ticked.with(|t| t.contains(&id.get_value()));
    let toggle = move |_| {
        let id = id.get_value();
        ticked.update(|t| {
            if let Some(at) = t.iter().position(|x| *x == id) {
                t.remove(at);
            } else {
                t.push(id);
            }
        });
    };
    let date = item.date_due().map(str::to_owned).filter(|d| d.len() == 10);
    let label = format!("Date of “{}”", plain(&item.text));
    let date_field = date.map(|date| {
        view! {
            <input
                type="date"
                class="plan-date"
                aria-label=label
                value=date
                disabled=move || !open.get() || !checked()
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    dates
                        .update(|d| {
                            d.insert(id.get_value(), value);
                        });
                }
            />
        }
    });
    view! {
        <li>
            <label>
                <input
                    type="checkbox"
                    prop:checked=checked
                    disabled=move || !open.get()
                    on:change=toggle
                />
                <span class="md" inner_html=move || to_safe_html(&item.text)></span>
            </label>
            {date_field}
        </li>
    }
}

#[component]
fn UndoPlan(change_id: String, undone: bool) -> impl IntoView {
    let auth = expect_context::<Auth>();
    let todos = expect_context::<TodoState>();
    let state = RwSignal::new(if undone {
        UndoState::Done
    } else {
        UndoState::Ready
    });
    let id = StoredValue::new(change_id);
    let run = move |_| {
        state.set(UndoState::Working);
        spawn_local(async move {
            match api::plan_undo(auth, &id.get_value()).await {
                Ok(()) => {
                    state.set(UndoState::Done);
                    todos.changed_elsewhere();
                }
                Err(e) => state.set(UndoState::Refused(e.to_string())),
            }
        });
    };
    move || match state.get() {
        UndoState::Ready => view! {
            <button type="button" class="link undo" on:click=run>
                "Undo"
            </button>
        }
        .into_any(),
        UndoState::Working => view! { <span class="undone">"Undoing…"</span> }.into_any(),
        UndoState::Done => view! { <span class="undone">"Undone"</span> }.into_any(),
        UndoState::Refused(why) => view! {
            <span class="undo-refused" role="alert">
                {why}
            </span>
        }
        .into_any(),
    }
}

/// What an answer did, in words, naming the refused items by their text.
fn answered_view(card: &PlanCard, result: PlanApplied) -> impl IntoView + use<> {
    let text_of = |id: &str| {
        card.items
            .iter()
            .find(|i| i.item_id == id)
            .map(|i| plain(&i.text))
            .unwrap_or_default()
    };
    let applied = result.applied.len();
    let headline = if applied == 0 && result.refused.is_empty() {
        "Discarded: nothing was changed.".to_owned()
    } else {
        format!("Applied {applied} of {} changes.", card.items.len())
    };
    let refused: Vec<_> = result
        .refused
        .iter()
        .map(|r| {
            let line = format!("Not applied: {}: {}", text_of(&r.item_id), r.reason);
            view! { <li>{line}</li> }
        })
        .collect();
    let undo = result
        .change_id
        .clone()
        .map(|id| view! { <UndoPlan change_id=id undone=result.undone /> });
    view! {
        <div class="plan-result" role="status">
            <span>{headline}</span>
            {undo}
            <ul class="plan-refused">{refused}</ul>
        </div>
    }
}

#[component]
pub fn PlanCardView(card: PlanCard) -> impl IntoView {
    let auth = expect_context::<Auth>();
    let todos = expect_context::<TodoState>();
    let state = RwSignal::new(match card.result.clone() {
        Some(result) => CardState::Answered(result),
        None => CardState::Open,
    });
    let ticked = RwSignal::new(
        card.items
            .iter()
            .map(|i| i.item_id.clone())
            .collect::<Vec<_>>(),
    );
    let dates = RwSignal::new(BTreeMap::<String, String>::new());
    let open =
        Signal::derive(move || matches!(state.get(), CardState::Open | CardState::Failed(_)));
    let stored = StoredValue::new(card.clone());
    let send = move |apply: bool| {
        let card = stored.get_value();
        let chosen: Vec<String> = if apply {
            ticked.get_untracked()
        } else {
            vec![]
        };
        let edits = dates
            .get_untracked()
            .into_iter()
            .filter(|(id, date)| {
                let item = card.items.iter().find(|i| &i.item_id == id);
                chosen.contains(id) && item.and_then(PlanItem::date_due) != Some(date.as_str())
            })
            .map(|(id, date_due)| (id, PlanEdit { date_due }))
            .collect();
        let request = PlanRequest {
            plan_id: card.plan_id.clone(),
            apply: card
                .items
                .iter()
                .map(|i| i.item_id.clone())
                .filter(|id| chosen.contains(id))
                .collect(),
            edits,
        };
        state.set(CardState::Sending);
        spawn_local(async move {
            match api::plan_answer(auth, &request).await {
                Ok(result) => {
                    state.set(CardState::Answered(result));
                    todos.changed_elsewhere();
                }
                Err(e) => state.set(CardState::Failed(e.to_string())),
            }
        });
    };
    let count = move || ticked.with(Vec::len);
    let items = card
        .items
        .iter()
        .cloned()
        .map(|item| view! { <ItemRow item ticked dates open /> })
        .collect_view();
    let summary = card.summary.clone();
    let notes: Vec<_> = card
        .notes
        .iter()
        .map(|n| view! { <li>{n.clone()}</li> })
        .collect();
    view! {
        <div class="plan-card" role="group" aria-label="Plan">
            <div class="md" inner_html=move || to_safe_html(&summary)></div>
            <ul class="plan-items">{items}</ul>
            <ul class="plan-notes">{notes}</ul>
            {move || match state.get() {
                CardState::Open | CardState::Failed(_) | CardState::Sending => {
                    let failure = match state.get() {
                        CardState::Failed(why) => {
                            Some(
                                view! {
                                    <p class="undo-refused" role="alert">
                                        {why}
                                    </p>
                                },
                            )
                        }
                        _ => None,
                    };
                    let busy = move || state.get() == CardState::Sending;
                    view! {
                        <div class="actions">
                            <button
                                type="button"
                                class="primary"
                                disabled=move || busy() || count() == 0
                                on:click=move |_| send(true)
                            >
                                {move || format!("Apply ({})", count())}
                            </button>
                            <button type="button" disabled=busy on:click=move |_| send(false)>
                                "Discard"
                            </button>
                        </div>
                        {failure}
                    }
                        .into_any()
                }
                CardState::Answered(result) => answered_view(&stored.get_value(), result).into_any(),
            }}
        </div>
    }
}

/// A plan opened by its link (`?plan=<id>`: an MCP client's `proposePlan` gives the user
/// one), shown above the conversation with the same card; the user closes it when done.
#[component]
pub fn LinkedPlan(plan_id: String) -> impl IntoView {
    let auth = expect_context::<Auth>();
    let loaded = RwSignal::new(None::<Result<PlanCard, String>>);
    let shown = RwSignal::new(true);
    spawn_local(async move {
        let found = api::plan_card(auth, &plan_id).await;
        loaded.set(Some(found.map_err(|e| e.to_string())));
    });
    move || {
        shown.get().then(|| {
            view! {
                <section class="linked-plan" aria-label="Proposed plan">
                    <div class="linked-plan-head">
                        <p>"A connected assistant proposes these changes:"</p>
                        <button
                            type="button"
                            class="link"
                            aria-label="Close the proposed plan"
                            on:click=move |_| shown.set(false)
                        >
                            "Close"
                        </button>
                    </div>
                    {move || match loaded.get() {
                        None => view! { <p class="muted">"Loading the plan…"</p> }.into_any(),
                        Some(Ok(card)) => view! { <PlanCardView card /> }.into_any(),
                        Some(Err(why)) => {
                            view! {
                                <p class="undo-refused" role="alert">
                                    {why}
                                </p>
                            }
                                .into_any()
                        }
                    }}
                </section>
            }
        })
    }
}
