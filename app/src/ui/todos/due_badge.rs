//! Due date at a glance: overdue, today, or the day it is due.

use leptos::prelude::*;

use crate::ui::browser::today_iso;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `2026-03-05` -> `Mar 5` (with the year when it is not this year's).
pub fn short_date(iso: &str, today: &str) -> String {
    let mut parts = iso.split('-');
    let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next()) else {
        return iso.to_owned();
    };
    let month = month
        .parse::<usize>()
        .ok()
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)));
    let day = day.trim_start_matches('0');
    match month {
        Some(month) if today.starts_with(year) => format!("{month} {day}"),
        Some(month) => format!("{month} {day}, {year}"),
        None => iso.to_owned(),
    }
}

#[component]
pub fn DueBadge(date: Option<String>, completed: bool) -> impl IntoView {
    let date = date?;
    let today = today_iso();
    // ISO dates compare correctly as strings.
    let (class, text) = if completed {
        ("due", format!("Due {}", short_date(&date, &today)))
    } else if date < today {
        (
            "due overdue",
            format!("Overdue · {}", short_date(&date, &today)),
        )
    } else if date == today {
        ("due today", "Due today".to_owned())
    } else {
        ("due upcoming", format!("Due {}", short_date(&date, &today)))
    };
    Some(view! { <span class=class>{text}</span> })
}
