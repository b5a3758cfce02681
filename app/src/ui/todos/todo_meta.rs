//! What a row shows beside its title: the priority flag (P1–P3; P4 is "none" and shows
//! nothing), the labels as chips (each a link to the list filtered by it), the checklist's
//! progress ("2/5"), the repeat icon with its rule, the time of day, and a small bell when
//! the todo has reminders.

use leptos::prelude::*;

use crate::wire::Todo;

#[component]
pub fn TodoMeta(todo: Todo) -> impl IntoView {
    let flag = (todo.priority < 4).then(|| {
        let p = todo.priority;
        view! {
            <span
                class=format!("flag p{p}")
                title=format!("Priority {p}")
                role="img"
                aria-label=format!("Priority {p}")
            >
                "⚑"
            </span>
        }
    });
    let done = todo.subtasks.iter().filter(|s| s.done).count();
    let total = todo.subtasks.len();
    let progress = (total > 0).then(|| {
        view! {
            <span
                class="progress"
                title="Checklist"
                aria-label=format!("{done} of {total} steps done")
            >
                {format!("{done}/{total}")}
            </span>
        }
    });
    let labels = todo
        .labels
        .iter()
        .map(|label| {
            view! {
                <a
                    class="label-chip"
                    href=format!("#/?q=%40{label}")
                    title=format!("Show todos labelled {label}")
                >
                    {format!("@{label}")}
                </a>
            }
        })
        .collect_view();
    let repeat = todo.repeat.as_ref().map(|rule| {
        let text = rule.text.clone();
        view! {
            <span class="repeat" title=text.clone() role="img" aria-label=format!("Repeats {text}")>
                "↻"
            </span>
        }
    });
    let time = todo.due_time.clone().map(|t| {
        view! {
            <span class="time" aria-label=format!("at {t}")>
                {t.clone()}
            </span>
        }
    });
    let bell = (!todo.reminders.is_empty()).then(|| {
        let n = todo.reminders.len();
        let said = if n == 1 {
            "1 reminder".to_owned()
        } else {
            format!("{n} reminders")
        };
        view! {
            <span class="reminder-mark" title=said.clone() role="img" aria-label=said>
                "🔔"
            </span>
        }
    });
    view! {
        {flag}
        {labels}
        {progress}
        {repeat}
        {time}
        {bell}
    }
}
