//! A todo's reminders in its details: the list (each removable) and a row to add one at the
//! due time, some minutes, hours or days before it, or at a date and time. At most five; a
//! reminder before the due time needs a due date, which the editor says rather than let the
//! save be refused. The form's Save sends them with the rest (`reminders` replaces all).

use leptos::prelude::*;

use super::{moment_ms, short_moment};
use crate::wire::Reminder;

/// What the API allows per todo.
const MAX_REMINDERS: usize = 5;
/// Four weeks, the API's limit for `beforeMinutes`.
const MAX_BEFORE_MINUTES: u32 = 40_320;

/// "At the due time", "30 minutes before", "1 hour before", "2 days before", "At Dec 7, 09:00".
pub fn describe(reminder: &Reminder) -> String {
    let plural = |n: u32, unit: &str| format!("{n} {unit}{} before", if n == 1 { "" } else { "s" });
    match reminder {
        Reminder::BeforeMinutes(0) => "At the due time".to_owned(),
        Reminder::BeforeMinutes(m) if m % 1440 == 0 => plural(m / 1440, "day"),
        Reminder::BeforeMinutes(m) if m % 60 == 0 => plural(m / 60, "hour"),
        Reminder::BeforeMinutes(m) => plural(*m, "minute"),
        Reminder::At(moment) => {
            let ms = moment_ms(moment);
            if ms.is_nan() {
                format!("At {moment}")
            } else {
                format!("At {}", short_moment(ms))
            }
        }
    }
}

/// The reminder the add row describes, or why there is none.
fn new_reminder(kind: &str, amount: &str, unit: &str, moment: &str) -> Result<Reminder, String> {
    match kind {
        "due" => Ok(Reminder::BeforeMinutes(0)),
        "before" => {
            let n: u32 = amount
                .trim()
                .parse()
                .ok()
                .filter(|n| *n > 0)
                .ok_or("Say how long before, as a whole number.")?;
            let minutes = match unit {
                "days" => n.saturating_mul(1440),
                "hours" => n.saturating_mul(60),
                _ => n,
            };
            if minutes > MAX_BEFORE_MINUTES {
                return Err("A reminder can be at most 4 weeks before.".into());
            }
            Ok(Reminder::BeforeMinutes(minutes))
        }
        _ => {
            // `datetime-local` gives the user's local time; the API takes an RFC 3339 moment.
            let ms = moment_ms(moment);
            if moment.is_empty() || ms.is_nan() {
                return Err("Pick the date and time of the reminder.".into());
            }
            let iso = js_sys::Date::new(&ms.into()).to_iso_string();
            Ok(Reminder::At(iso.as_string().unwrap_or_default()))
        }
    }
}

/// `due`: the form's due date (empty: none).
#[component]
pub fn RemindersEditor(reminders: RwSignal<Vec<Reminder>>, due: RwSignal<String>) -> impl IntoView {
    let kind = RwSignal::new("due".to_owned());
    let amount = RwSignal::new("30".to_owned());
    let unit = RwSignal::new("minutes".to_owned());
    let moment = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let full = move || reminders.with(|r| r.len() >= MAX_REMINDERS);
    let needs_date = move || {
        due.with(String::is_empty)
            && reminders.with(|r| r.iter().any(|r| matches!(r, Reminder::BeforeMinutes(_))))
    };
    let add = move |_| {
        let kind = kind.get_untracked();
        if kind != "at" && due.with_untracked(String::is_empty) {
            problem.set(Some(
                "Set a due date first: this reminder counts from the due time.".into(),
            ));
            return;
        }
        match new_reminder(
            &kind,
            &amount.get_untracked(),
            &unit.get_untracked(),
            &moment.get_untracked(),
        ) {
            Ok(reminder) => {
                problem.set(None);
                reminders.update(|list| {
                    if !list.contains(&reminder) {
                        list.push(reminder);
                    }
                });
            }
            Err(why) => problem.set(Some(why)),
        }
    };
    let row = move |reminder: Reminder| {
        let said = describe(&reminder);
        let remove = reminder.clone();
        view! {
            <li>
                <span>{said.clone()}</span>
                <button
                    type="button"
                    class="link"
                    aria-label=format!("Remove reminder {said}")
                    on:click=move |_| reminders.update(|list| list.retain(|r| *r != remove))
                >
                    "Remove"
                </button>
            </li>
        }
    };
    view! {
        <fieldset class="reminders">
            <legend>"Reminders"</legend>
            <ul>{move || reminders.get().into_iter().map(row).collect_view()}</ul>
            {move || {
                needs_date()
                    .then(|| {
                        view! {
                            <p class="error" role="alert">
                                "Reminders before the due time need a due date."
                            </p>
                        }
                    })
            }}
            <Show
                when=move || !full()
                fallback=|| view! { <p class="muted">"At most 5 reminders."</p> }
            >
                <div class="row">
                    <select aria-label="New reminder" bind:value=kind>
                        <option value="due">"At the due time"</option>
                        <option value="before">"Before the due time"</option>
                        <option value="at">"At a date and time"</option>
                    </select>
                    <Show when=move || kind.get() == "before">
                        <input
                            type="number"
                            min="1"
                            max="40320"
                            class="amount"
                            aria-label="How long before"
                            bind:value=amount
                        />
                        <select aria-label="Unit" bind:value=unit>
                            <option value="minutes">"minutes"</option>
                            <option value="hours">"hours"</option>
                            <option value="days">"days"</option>
                        </select>
                    </Show>
                    <Show when=move || kind.get() == "at">
                        <input type="datetime-local" aria-label="Remind at" bind:value=moment />
                    </Show>
                    <button type="button" on:click=add>
                        "Add reminder"
                    </button>
                </div>
            </Show>
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
        </fieldset>
    }
}
