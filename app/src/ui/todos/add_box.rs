//! The add box with quick add: on every keystroke the line is read (the shared words
//! layer, run here in wasm: no round-trip) as a title, a trailing due date and Todoist's
//! marks anywhere in it (`#list`, `@label`, `p1`–`p4`), a repeat rule and a time of day,
//! each shown as a chip beside the title it leaves ("call mom friday 5pm @phone p2" →
//! "call mom" · Fri, Nov 27 · 17:00 · @phone · P2). Enter adds exactly what the chips show,
//! however fast it comes; a `#list` that does not exist yet is made first (its chip says
//! so). Reminders ("!30m", "!tomorrow 9am", "remind me an hour before") are a chip each
//! ("🔔 30 min before"); one that counts from a due date the line does not give gets a
//! sentence on Enter instead of a todo. Backspace on a chip (or its ×) keeps
//! its words literal; so does quoting them. A line longer than a todo can be gets a sentence
//! instead of a request.

use leptos::{ev::KeyboardEvent, prelude::*, task::spawn_local};

use super::state::TodoState;
use crate::{
    todo_views::ListRoute,
    ui::{
        browser::{local_rfc3339, now_local, today},
        lists::state::ListsState,
    },
    wire::{NewTodo, Reminder, RepeatInput},
    words::{
        dates::to_iso,
        quick_add::{LINE_MAX_CHARS, QuickAdd},
        reminders::{Resolved, When},
        tags::{TagKind, without_tags},
        times::to_hhmm,
    },
};

/// `route`: a todo added while one list is shown goes into that list (unless the line names
/// another with `#list`).
#[component]
pub fn AddBox(route: RwSignal<ListRoute>) -> impl IntoView {
    let state = expect_context::<TodoState>();
    let lists = expect_context::<ListsState>();
    let text = RwSignal::new(String::new());
    let hint = RwSignal::new(None::<String>);
    // The line whose date the user asked to keep literal.
    let literal = RwSignal::new(None::<String>);
    // Marks whose chips were dismissed ("#1", "p2" kept as typed).
    let kept = RwSignal::new(Vec::<String>::new());
    // What the line means now: read synchronously, so the chips and Enter never lag the keys.
    let reading =
        Memo::new(move |_| text.with(|t| kept.with(|k| QuickAdd::read_keeping(t, today(), k))));
    // The reading as the chips show it: without the date when its chip was dismissed.
    let understood = move || -> Option<QuickAdd> {
        let current = text.get();
        let mut found = reading.get().ok()?;
        if literal.with(|l| l.as_deref() == Some(current.as_str())) {
            found.title = without_tags(current.trim(), &found.tags);
            found.date_due = None;
            found.label = None;
        }
        (found.date_due.is_some()
            || !found.tags.is_empty()
            || found.repeat.is_some()
            || found.time.is_some()
            || !found.reminders.is_empty())
        .then_some(found)
    };
    let add = move || {
        let typed_text = text.get_untracked().trim().to_owned();
        if typed_text.is_empty() {
            hint.set(Some("Type what needs to be done, then press Enter.".into()));
            return;
        }
        if let Err(too_long) = reading.get_untracked() {
            hint.set(Some(too_long.0));
            return;
        }
        let mut new_list = None;
        let input = match untrack(understood) {
            Some(found) if !found.title.trim().is_empty() => {
                if let Some(sentence) = found.undated_reminder() {
                    hint.set(Some(sentence));
                    return;
                }
                let list = found
                    .list()
                    .map(|name| (name.to_owned(), lists.named(name)));
                let list_id = match list {
                    Some((_, Some(known))) => Some(known.id),
                    Some((name, None)) => {
                        new_list = Some(name);
                        None
                    }
                    None => route.with_untracked(|r| r.list.clone()),
                };
                // A time alone means today (a rule without a date starts on its first day).
                let due = found
                    .date_due
                    .or_else(|| (found.time.is_some() && found.repeat.is_none()).then(today));
                let date_due = due.map(to_iso);
                NewTodo {
                    labels: Some(found.labels()).filter(|l| !l.is_empty()),
                    priority: found.priority().map(i64::from),
                    date_due,
                    due_time: found.time.as_ref().map(|(t, _)| to_hhmm(*t)),
                    reminders: wire_reminders(&found.reminders, due),
                    repeat: found
                        .repeat
                        .as_ref()
                        .map(|(rule, _)| RepeatInput::Text(rule.describe())),
                    list_id,
                    title: found.title,
                    ..Default::default()
                }
            }
            _ => NewTodo {
                title: typed_text,
                list_id: route.with_untracked(|r| r.list.clone()),
                ..Default::default()
            },
        };
        hint.set(None);
        text.set(String::new());
        literal.set(None);
        kept.set(Vec::new());
        match new_list {
            None => state.create(input),
            Some(name) => spawn_local(async move {
                match lists.create(&name).await {
                    Ok(list) => state.create(NewTodo {
                        list_id: Some(list.id),
                        ..input
                    }),
                    Err(e) => hint.set(Some(e.to_string())),
                }
            }),
        }
    };
    let on_input = move |value: String| {
        text.set(value);
        // A refusal stays visible while the line is still too long; it goes as it fits.
        if reading.with_untracked(Result::is_ok) {
            hint.set(None);
        }
    };
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Enter" {
            add();
        }
    };
    // Dismissing a chip: `None` is the date's, `Some(source)` a mark's.
    let dismiss = move |which: Option<String>| {
        match which {
            None => literal.set(Some(text.get_untracked())),
            Some(source) => kept.update(|k| k.push(source)),
        }
        focus_add_box();
    };
    let chip = move |class: &'static str, shown: String, spoken: String, which: Option<String>| {
        let on_key = {
            let which = which.clone();
            move |ev: KeyboardEvent| {
                if matches!(ev.key().as_str(), "Backspace" | "Delete") {
                    ev.prevent_default();
                    dismiss(which.clone());
                }
            }
        };
        view! {
            <button
                type="button"
                class=format!("chip {class}")
                aria-label=format!("{spoken}: press Backspace to keep the words as typed")
                on:keydown=on_key
                on:click=move |_| dismiss(which.clone())
            >
                {shown}
                " ×"
            </button>
        }
    };

    view! {
        <div class="add-box">
            <input
                class="new-todo"
                aria-label="New todo"
                placeholder="What needs to be done? (try “call mom friday @phone p2”)"
                maxlength=LINE_MAX_CHARS.to_string()
                autofocus
                prop:value=move || text.get()
                on:input=move |ev| on_input(event_target_value(&ev))
                on:keydown=on_key
            />
            {move || {
                understood()
                    .map(|found| {
                        let date = found
                            .label
                            .clone()
                            .map(|label| chip(
                                "due-chip",
                                label.clone(),
                                format!("Due {label}"),
                                None,
                            ));
                        let time = found
                            .time
                            .clone()
                            .map(|(t, source)| {
                                let hhmm = to_hhmm(t);
                                chip("time-chip", hhmm.clone(), format!("At {hhmm}"), Some(source))
                            });
                        let repeat = found
                            .repeat
                            .clone()
                            .map(|(rule, source)| {
                                let words = rule.describe();
                                chip(
                                    "repeat-chip",
                                    format!("↻ {words}"),
                                    format!("Repeats {words}"),
                                    Some(source),
                                )
                            });
                        let reminders = found
                            .reminders
                            .iter()
                            .map(|(when, source)| {
                                let words = when.describe(today());
                                chip(
                                    "reminder-chip",
                                    format!("🔔 {words}"),
                                    format!("Reminder {words}"),
                                    Some(source.clone()),
                                )
                            })
                            .collect_view();
                        let marks = found
                            .tags
                            .iter()
                            .map(|t| {
                                let (class, shown, spoken) = match t.kind {
                                    TagKind::Priority => {
                                        (
                                            "priority-chip",
                                            format!("P{}", t.value),
                                            format!("Priority {}", t.value),
                                        )
                                    }
                                    TagKind::Label => {
                                        (
                                            "label-chip",
                                            format!("@{}", t.value),
                                            format!("Label {}", t.value),
                                        )
                                    }
                                    TagKind::List => {
                                        match lists.named(&t.value) {
                                            Some(known) => {
                                                (
                                                    "list-chip",
                                                    format!("#{}", known.name),
                                                    format!("List {}", known.name),
                                                )
                                            }
                                            None => {
                                                (
                                                    "list-chip",
                                                    format!("#{} (new list)", t.value),
                                                    format!("New list {}", t.value),
                                                )
                                            }
                                        }
                                    }
                                };
                                chip(class, shown, spoken, Some(t.source.clone()))
                            })
                            .collect_view();
                        view! {
                            <div class="quick-add" role="status">
                                <span class="quick-title">{found.title.clone()}</span>
                                {date}
                                {time}
                                {repeat}
                                {reminders}
                                {marks}
                            </div>
                        }
                    })
            }}
            {move || {
                hint.get()
                    .map(|h| {
                        view! {
                            <p class="hint" role="status">
                                {h}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// The reminders as the API takes them: an `at` moment in the browser's zone (on the due
/// date the line gives, for a time alone), or minutes before the due time. `None` for none.
fn wire_reminders(
    found: &[(When, String)],
    due: Option<jiff::civil::Date>,
) -> Option<Vec<Reminder>> {
    let now = now_local();
    let wire: Vec<Reminder> = found
        .iter()
        .filter_map(|(when, _)| when.resolve(due, now))
        .map(|resolved| match resolved {
            Resolved::Before(minutes) => Reminder::BeforeMinutes(minutes),
            Resolved::At(moment) => Reminder::At(local_rfc3339(moment)),
        })
        .collect();
    (!wire.is_empty()).then_some(wire)
}

fn focus_add_box() {
    use wasm_bindgen::JsCast;
    if let Some(input) = document()
        .query_selector("input.new-todo")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = input.focus();
    }
}
