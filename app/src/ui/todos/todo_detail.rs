//! The detail view of one todo: title, list, due date (date picker) and time, repeat rule
//! (common ones picked, or words, with what was understood shown as it is typed), priority,
//! labels (completed from the labels in use), description, notes, the checklist and the
//! reminders (`reminders::reminders_editor`). Saving
//! sends only what changed, against the version the form was opened with, so an edit made
//! elsewhere in the meantime is reported (409) instead of overwritten.

use leptos::{
    ev::{KeyboardEvent, SubmitEvent},
    prelude::*,
};

use super::checklist::Checklist;
use crate::{
    ui::{
        files::TodoFiles, lists::state::ListsState, reminders::reminders_editor::RemindersEditor,
        todos::state::TodoState,
    },
    wire::{RepeatInput, SubtaskInput, TodoPatch},
    words::repeat,
};

/// The rules offered in the picker (any other is typed).
const COMMON_RULES: [&str; 6] = [
    "every day",
    "every weekday",
    "every week",
    "every 2 weeks",
    "every month",
    "every year",
];

/// Labels as typed in the field ("errands, @phone calls") → the label words, each once.
fn typed_labels(text: &str) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    for word in text
        .split([',', ' '])
        .map(|w| w.trim().trim_start_matches('@').to_lowercase())
    {
        if !word.is_empty() && !labels.contains(&word) {
            labels.push(word);
        }
    }
    labels
}

#[component]
pub fn TodoDetail(id: String, selected: RwSignal<Option<String>>) -> impl IntoView {
    let state = expect_context::<TodoState>();
    let lists = expect_context::<ListsState>();
    let Some(todo) = state.find(&id) else {
        selected.set(None);
        return None;
    };
    let original = StoredValue::new(todo.clone());
    let title = RwSignal::new(todo.title.clone());
    let due = RwSignal::new(todo.date_due.clone().unwrap_or_default());
    let description = RwSignal::new(todo.description.clone());
    let notes = RwSignal::new(todo.notes.clone());
    let priority = RwSignal::new(todo.priority.to_string());
    let list = RwSignal::new(todo.list_id.clone());
    let time = RwSignal::new(todo.due_time.clone().unwrap_or_default());
    let repeat_words = RwSignal::new(
        todo.repeat
            .as_ref()
            .map(|r| r.text.clone())
            .unwrap_or_default(),
    );
    let understood = move || {
        let words = repeat_words.get();
        if words.trim().is_empty() {
            return "Does not repeat.".to_owned();
        }
        match repeat::parse(&words) {
            Some(rule) => format!("Repeats {}.", rule.describe()),
            None => "Not understood yet: try “every monday” or “every 2 weeks”.".to_owned(),
        }
    };
    // A repeating todo's past: "Done Dec 3, Dec 10" (the last ten, oldest first).
    let history = (!todo.completions.is_empty()).then(|| {
        let today = crate::ui::browser::today_iso();
        let skip = todo.completions.len().saturating_sub(10);
        let days: Vec<String> = todo.completions[skip..]
            .iter()
            .map(|day| super::due_badge::short_date(day, &today))
            .collect();
        view! { <p class="muted history">{format!("Done {}", days.join(", "))}</p> }
    });
    let labels = RwSignal::new(todo.labels.join(", "));
    let as_inputs = |todo: &crate::wire::Todo| -> Vec<SubtaskInput> {
        todo.subtasks
            .iter()
            .map(|s| SubtaskInput {
                id: Some(s.id.clone()),
                title: s.title.clone(),
                done: s.done,
            })
            .collect()
    };
    let steps = RwSignal::new(as_inputs(&todo));
    let reminders = RwSignal::new(todo.reminders.clone());
    // Every label in use, for the field's completion.
    let known_labels = move || {
        let mut all: Vec<String> = state
            .todos
            .with(|l| l.iter().flat_map(|t| t.labels.clone()).collect());
        all.sort();
        all.dedup();
        all
    };
    let problem = RwSignal::new(None::<String>);
    let close = move || selected.set(None);
    // Live updates change the list, not this form: say when what it edits changed.
    let stale = move || {
        let shown = original.with_value(|t| (t.id.clone(), t.version));
        state.todos.with(|list| {
            match list.iter().find(|t| t.id == shown.0) {
                Some(now) if now.version != shown.1 => Some(
                    "This todo was changed elsewhere since you opened it; saving will be refused. Cancel and open it again to see the new version.",
                ),
                Some(_) => None,
                None => Some("This todo was deleted elsewhere."),
            }
        })
    };

    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        let before = original.get_value();
        let new_title = title.get_untracked().trim().to_owned();
        if new_title.is_empty() {
            problem.set(Some("The title must not be empty.".into()));
            return;
        }
        let new_due = due.get_untracked();
        let patch = TodoPatch {
            version: before.version,
            title: (new_title != before.title).then_some(new_title),
            description: Some(description.get_untracked()).filter(|d| *d != before.description),
            notes: Some(notes.get_untracked()).filter(|n| *n != before.notes),
            date_due: (Some(&new_due) != before.date_due.as_ref()
                && !(new_due.is_empty() && before.date_due.is_none()))
            .then(|| Some(new_due).filter(|d| !d.is_empty())),
            list_id: Some(list.get_untracked()).filter(|l| !l.is_empty() && *l != before.list_id),
            due_time: {
                let new_time = time.get_untracked();
                (new_time != before.due_time.clone().unwrap_or_default())
                    .then(|| Some(new_time).filter(|t| !t.is_empty()))
            },
            repeat: {
                let words = repeat_words.get_untracked().trim().to_owned();
                let before_words = before
                    .repeat
                    .as_ref()
                    .map(|r| r.text.clone())
                    .unwrap_or_default();
                (words != before_words).then(|| {
                    Some(RepeatInput::Text(words))
                        .filter(|r| r != &RepeatInput::Text(String::new()))
                })
            },
            completed: None,
            priority: priority
                .get_untracked()
                .parse::<i64>()
                .ok()
                .filter(|p| *p != i64::from(before.priority)),
            labels: Some(typed_labels(&labels.get_untracked())).filter(|l| *l != before.labels),
            subtasks: Some(steps.get_untracked())
                .map(|s| {
                    s.into_iter()
                        .filter(|step| !step.title.trim().is_empty())
                        .collect::<Vec<_>>()
                })
                .filter(|s| *s != as_inputs(&before)),
            reminders: Some(reminders.get_untracked()).filter(|r| *r != before.reminders),
        };
        if patch
            != (TodoPatch {
                version: before.version,
                ..Default::default()
            })
        {
            state.update_seen(before.id.clone(), before.version, patch);
        }
        close();
    };
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            close();
        }
    };

    Some(view! {
        <section class="detail" aria-labelledby="detail-heading" on:keydown=on_key>
            <form on:submit=save>
                <h3 id="detail-heading">"Details"</h3>
                <label for="detail-title">"Title"</label>
                <input id="detail-title" maxlength="200" bind:value=title />
                <label for="detail-due">"Due date"</label>
                <div class="row">
                    <input id="detail-due" type="date" bind:value=due />
                    <button type="button" class="link" on:click=move |_| due.set(String::new())>
                        "No due date"
                    </button>
                </div>
                <label for="detail-list">"List"</label>
                <select id="detail-list" bind:value=list>
                    {move || {
                        lists
                            .lists
                            .get()
                            .into_iter()
                            .map(|l| view! { <option value=l.id.clone()>{l.name.clone()}</option> })
                            .collect_view()
                    }}
                </select>
                <label for="detail-time">"Time"</label>
                <div class="row">
                    <input id="detail-time" type="time" bind:value=time />
                    <button type="button" class="link" on:click=move |_| time.set(String::new())>
                        "No time"
                    </button>
                </div>
                <label for="detail-repeat">"Repeat"</label>
                <div class="row">
                    <input
                        id="detail-repeat"
                        list="common-rules"
                        placeholder="every monday"
                        maxlength="120"
                        bind:value=repeat_words
                    />
                    <datalist id="common-rules">
                        {COMMON_RULES.map(|r| view! { <option value=r></option> }).collect_view()}
                    </datalist>
                    <button
                        type="button"
                        class="link"
                        on:click=move |_| repeat_words.set(String::new())
                    >
                        "Stop repeating"
                    </button>
                </div>
                <p class="muted understood" aria-live="polite">
                    {understood}
                </p>
                {history}
                <div class="row">
                    <label for="detail-priority">"Priority"</label>
                    <select id="detail-priority" bind:value=priority>
                        <option value="1">"P1 (highest)"</option>
                        <option value="2">"P2"</option>
                        <option value="3">"P3"</option>
                        <option value="4">"P4 (none)"</option>
                    </select>
                </div>
                <label for="detail-labels">"Labels"</label>
                <input
                    id="detail-labels"
                    list="known-labels"
                    placeholder="errands, phone"
                    maxlength="900"
                    bind:value=labels
                />
                <datalist id="known-labels">
                    {move || {
                        known_labels()
                            .into_iter()
                            .map(|l| view! { <option value=l.clone()></option> })
                            .collect_view()
                    }}
                </datalist>
                <label for="detail-description">"Description"</label>
                <textarea
                    id="detail-description"
                    rows="3"
                    maxlength="2000"
                    bind:value=description
                ></textarea>
                <label for="detail-notes">"Notes"</label>
                <textarea id="detail-notes" rows="5" maxlength="10000" bind:value=notes></textarea>
                <Checklist steps />
                <RemindersEditor reminders due />
                {move || {
                    stale()
                        .map(|note| {
                            view! {
                                <p class="stale" role="status">
                                    {note}
                                </p>
                            }
                        })
                }}
                {move || {
                    problem
                        .get()
                        .map(|p| {
                            view! {
                                <p class="error" role="alert">
                                    {p}
                                </p>
                            }
                        })
                }}
                <div class="actions">
                    <button type="submit" class="primary">
                        "Save"
                    </button>
                    <button type="button" on:click=move |_| close()>
                        "Cancel"
                    </button>
                </div>
            </form>
            <TodoFiles todo_id=todo.id.clone() />
        </section>
    })
}
