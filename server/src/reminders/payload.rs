//! What a reminder says: the push payload and the bell's line, in the user's calendar
//! ("Due today at 09:00", "Due tomorrow", "Due Fri 6 Mar at 17:30").

use app::wire::push::{Notification, PushPayload};
use jiff::{Timestamp, tz::TimeZone};

use crate::domain::{NotificationId, Todo, rfc3339};

/// The due line of `todo` as seen at `now` in `zone`.
pub(super) fn due_line(todo: &Todo, zone: &TimeZone, now: Timestamp) -> String {
    let Some(date) = todo.date_due.map(|d| d.date()) else {
        return "Reminder".to_owned();
    };
    let today = now.to_zoned(zone.clone()).date();
    let day = match (date - today).get_days() {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        -1 => "yesterday".to_owned(),
        _ => date.strftime("%a %-d %b").to_string(),
    };
    let verb = if date < today { "Was due" } else { "Due" };
    match todo.due_time {
        Some(time) => format!("{verb} {day} at {}", time.to_hhmm()),
        None => format!("{verb} {day}"),
    }
}

/// The push message for `todo`, its buttons carrying `action_token`.
pub(super) fn push_payload(todo: &Todo, body: &str, action_token: &str) -> PushPayload {
    PushPayload {
        kind: "reminder".to_owned(),
        todo_id: todo.id.to_string(),
        title: todo.title.as_str().to_owned(),
        body: body.to_owned(),
        url: format!("/?todo={}", todo.id),
        action_token: action_token.to_owned(),
    }
}

/// The bell's record of it, sent at `at`.
pub(super) fn notification(
    id: NotificationId,
    todo: &Todo,
    body: &str,
    at: Timestamp,
) -> Notification {
    Notification {
        id: id.to_string(),
        todo_id: todo.id.to_string(),
        title: todo.title.as_str().to_owned(),
        body: body.to_owned(),
        at: rfc3339(at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DueDate, DueTime};

    #[test]
    fn the_due_line_speaks_of_today_tomorrow_or_the_day() {
        let mut todo: Todo = serde_json::from_value(serde_json::json!({
            "owner": "u", "id": crate::domain::TodoId::new(), "title": "Dentist",
            "description": "", "notes": "", "date_due": "2026-03-05", "completed": false,
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
            "version": 1
        }))
        .unwrap();
        let zone = TimeZone::get("Europe/Berlin").unwrap();
        let morning: Timestamp = "2026-03-05T06:00:00Z".parse().unwrap();
        assert_eq!(due_line(&todo, &zone, morning), "Due today");
        todo.due_time = DueTime::parse("09:00").ok();
        assert_eq!(due_line(&todo, &zone, morning), "Due today at 09:00");
        let day_before: Timestamp = "2026-03-04T06:00:00Z".parse().unwrap();
        assert_eq!(due_line(&todo, &zone, day_before), "Due tomorrow at 09:00");
        todo.date_due = DueDate::parse("2026-03-13").ok();
        assert_eq!(due_line(&todo, &zone, morning), "Due Fri 13 Mar at 09:00");
        todo.date_due = None;
        assert_eq!(due_line(&todo, &zone, morning), "Reminder");
    }
}
