//! Small wrappers over browser APIs used in several places.

use wasm_bindgen::JsCast;

pub fn window() -> web_sys::Window {
    web_sys::window().expect("the app runs in a browser window")
}

pub fn reload() {
    let _ = window().location().reload();
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

pub fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The user's IANA time zone ("Europe/Berlin"), as the browser knows it.
pub fn time_zone() -> Option<String> {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()?
        .as_string()
}

/// Today in the user's own time zone, as `YYYY-MM-DD` (what due dates are compared with).
pub fn today_iso() -> String {
    day_iso(0)
}

/// Today in the user's own time zone, as a date (what quick add reads dates against).
pub fn today() -> jiff::civil::Date {
    let now = js_sys::Date::new_0();
    jiff::civil::Date::new(
        now.get_full_year() as i16,
        now.get_month() as i8 + 1,
        now.get_date() as i8,
    )
    .unwrap_or_default()
}

/// The user's wall-clock time now (what a reminder "at 9am" without a date counts from).
pub fn now_local() -> jiff::civil::DateTime {
    let now = js_sys::Date::new_0();
    today().to_datetime(
        jiff::civil::Time::new(now.get_hours() as i8, now.get_minutes() as i8, 0, 0)
            .unwrap_or_default(),
    )
}

/// A wall-clock moment in the user's own time zone as RFC 3339 (UTC): the browser knows
/// the zone's offset on that day, DST included.
pub fn local_rfc3339(moment: jiff::civil::DateTime) -> String {
    js_sys::Date::new_with_year_month_day_hr_min(
        moment.year() as u32,
        i32::from(moment.month()) - 1,
        i32::from(moment.day()),
        i32::from(moment.hour()),
        i32::from(moment.minute()),
    )
    .to_iso_string()
    .into()
}

/// The time of day in the user's own time zone, as `HH:MM`.
pub fn now_hhmm() -> String {
    let now = js_sys::Date::new_0();
    format!("{:02}:{:02}", now.get_hours(), now.get_minutes())
}

/// The user's calendar now (today, today + 7, the time): what the list's views compare with.
pub fn calendar() -> crate::todo_views::Calendar {
    crate::todo_views::Calendar {
        today: day_iso(0),
        week_end: day_iso(7),
        now: now_hhmm(),
    }
}

/// The day `offset` days from today in the user's own time zone, as `YYYY-MM-DD`.
pub fn day_iso(offset: u32) -> String {
    let now = js_sys::Date::new_0();
    // JavaScript rolls day 35 of a month over into the next one.
    now.set_date(now.get_date() + offset);
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}

/// Replaces the `#/...` part of the URL without a new history entry or a `hashchange`.
pub fn replace_hash(hash: &str) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(hash));
    }
}

/// The id in `?<name>=<id>` (letters, digits and dashes), taken out of the address so a
/// reload does not act on it again; the rest of the query and the `#/...` part stay.
pub fn take_id_from_address(name: &str) -> Option<String> {
    let location = window().location();
    let search = location.search().ok()?;
    let prefix = format!("{name}=");
    let (taken, kept): (Vec<&str>, Vec<&str>) = search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .partition(|pair| pair.starts_with(&prefix));
    let id = taken.first()?.strip_prefix(&prefix)?.to_owned();
    let query = if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    };
    let hash = location.hash().unwrap_or_default();
    if let Ok(history) = window().history() {
        let path = format!("/{query}{hash}");
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')).then_some(id)
}

/// The `#/...` part of the URL without the `#/`.
pub fn hash_route() -> String {
    let hash = window().location().hash().unwrap_or_default();
    hash.trim_start_matches('#')
        .trim_start_matches('/')
        .to_owned()
}

/// Decodes the payload of a JWT without verifying it: only for display and expiry hints.
/// The server verifies every token it receives.
pub fn jwt_claims(token: &str) -> Option<serde_json::Value> {
    let payload = token.split('.').nth(1)?;
    let mut b64: String = payload
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while !b64.len().is_multiple_of(4) {
        b64.push('=');
    }
    let binary = window().atob(&b64).ok()?;
    // atob yields one char per byte; rebuild the bytes, then read them as UTF-8 JSON. Read as
    // a `str` (not `from_slice`): every other JSON read in the browser goes through `from_str`,
    // and a second reader type would link a second copy of serde_json's parser (wasm size).
    let bytes: Vec<u8> = binary.chars().map(|c| c as u32 as u8).collect();
    serde_json::from_str(std::str::from_utf8(&bytes).ok()?).ok()
}

/// Moves the focus to the first element matching `selector` once the page has drawn the
/// change under way (an element shown by it cannot take the focus before).
pub fn focus_soon(selector: &'static str) {
    leptos::prelude::request_animation_frame(move || {
        let found = leptos::prelude::document()
            .query_selector(selector)
            .ok()
            .flatten();
        if let Some(element) = found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = element.focus();
        }
    });
}
