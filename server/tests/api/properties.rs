//! Property tests: every parser of untrusted input, fed generated input, never panics and
//! only ever returns values that keep their rules. `make test` runs each property for
//! proptest's default 256 cases; `make fuzz` runs them with `PROPTEST_CASES` in the tens of
//! thousands. (The markdown pipeline's properties live with it, in `app`.)

use std::collections::{BTreeMap, HashMap};

use app::words::{
    repeat::{self, Frequency, Rule},
    times,
};
use jiff::civil::Date;
use proptest::prelude::*;
use server::{
    action_group::tool_call,
    agent::local::{dates, parse},
    auth::{TokenVerifier, VerifierConfig, keys_from_jwks},
    config::Settings,
    domain::{
        BoundedText, DueDate, DueTime, FileId, Label, Labels, ListColor, ListName, ParsedRepeat,
        RepeatRule, TodoId, TodoTitle,
        file_values::{ALLOWED_TYPES, ContentType, FileName},
        text::{is_format, is_line_separator},
        todo::{FIRST_YEAR, LAST_YEAR},
    },
    tools::{Tool, ToolCall},
};

/// Pieces attackers and typos are made of, joined at random, and plain random text.
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\u{202E}",
        "\u{200B}",
        "\u{FEFF}",
        "\u{2028}",
        "\u{2029}",
        "\u{200D}",
        "\u{0}",
        "\n",
        "\t",
        "\r",
        " ",
        "..",
        "/",
        "\\",
        "<script>",
        "**",
        "[x](javascript:alert(1))",
        "é",
        "😀",
        "2026-03-05",
        "-0001-01-01",
        "tomorrow",
        "next friday",
        "in 3 days",
        "the 31st",
        "on March 5",
        "todo",
        "delete",
        "add",
        "it",
        "the second one",
        "move it to",
        "my list",
        "#",
        "@",
        "p1",
        "every",
        "monday",
        "step",
        "the first step of",
        "urgent",
        "stop repeating",
        "label",
        "at 5pm",
        "İ",
        "\"",
        "'",
        "“",
        "”",
        "%",
        "{",
        "}",
        "::",
        "=",
        "a",
        "Z",
        "9",
    ]);
    prop_oneof![
        any::<String>(),
        prop::collection::vec(pieces, 0..16).prop_map(|p| p.concat()),
    ]
}

/// Characters a stored value must never contain: controls (but `keep`), format characters
/// other than the joiners, line and paragraph separators.
fn forbidden(c: char, keep: &[char]) -> bool {
    (c.is_control() && !keep.contains(&c))
        || (is_format(c) && !matches!(c, '\u{200C}' | '\u{200D}'))
        || is_line_separator(c)
}

fn a_date() -> impl Strategy<Value = Date> {
    (1900i16..=2999, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).unwrap())
}

/// Quick-add lines with marks among hostile pieces.
fn marked_line() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        hostile_text(),
        prop::sample::select(vec![
            "#home", "@Garden", "p1", "P4", "#", "@", "“", "\"", "#1", "p5"
        ])
        .prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|parts| parts.join(" "))
}

proptest! {
    #[test]
    fn quick_add_marks_are_valid_and_leave_the_rest(line in marked_line()) {
        use app::words::tags::{TagKind, find_tags, is_label, without_tags};
        let tags = find_tags(&line, &[]);
        for tag in &tags {
            prop_assert_eq!(&line[tag.start..tag.end], tag.source.as_str());
            match tag.kind {
                TagKind::Label => prop_assert!(is_label(&tag.value)),
                TagKind::Priority => prop_assert!(["1", "2", "3", "4"].contains(&tag.value.as_str())),
                TagKind::List => prop_assert!(tag.value.chars().any(char::is_alphabetic)),
            }
        }
        let rest = without_tags(&line, &tags);
        prop_assert!(rest.len() <= line.len());
        // Every mark found is gone from the rest; words outside marks all stay.
        let kept: usize = tags.iter().map(|t| t.end - t.start).sum();
        prop_assert!(rest.split_whitespace().map(str::len).sum::<usize>() + kept
            == line.split_whitespace().map(str::len).sum::<usize>());
    }

    #[test]
    fn a_parsed_title_is_one_visible_line_of_1_to_200_characters(raw in hostile_text()) {
        if let Ok(title) = TodoTitle::parse(&raw) {
            let title = title.as_str();
            prop_assert!((1..=200).contains(&title.chars().count()));
            prop_assert!(!title.chars().any(|c| forbidden(c, &[])), "{title:?}");
            prop_assert!(title.chars().any(|c| !c.is_whitespace() && !is_format(c)));
            prop_assert_eq!(title.trim(), title);
        }
    }

    #[test]
    fn a_parsed_list_name_is_one_visible_line_of_1_to_60_characters_and_reparses(
        raw in hostile_text(),
    ) {
        if let Ok(name) = ListName::parse(&raw) {
            let text = name.as_str();
            prop_assert!((1..=60).contains(&text.chars().count()));
            prop_assert!(!text.chars().any(|c| forbidden(c, &[])), "{text:?}");
            prop_assert_eq!(text.trim(), text);
            prop_assert_eq!(ListName::parse(text).map(|n| n.key()), Ok(name.key()));
        }
        if let Ok(color) = ListColor::parse(&raw) {
            prop_assert_eq!(ListColor::parse(color.name()), Ok(color));
        }
    }

    #[test]
    fn parsed_free_text_keeps_its_bounds(raw in hostile_text(), max in 0usize..64) {
        if let Ok(text) = BoundedText::parse(&raw, "notes", max) {
            prop_assert!(text.as_str().chars().count() <= max);
            prop_assert!(!text.as_str().chars().any(|c| forbidden(c, &['\n', '\t', '\r'])));
        }
    }

    #[test]
    fn a_parsed_due_date_is_iso_in_range_and_round_trips(
        raw in prop_oneof![hostile_text(), "[-+]?[0-9]{1,6}-[0-9]{1,3}-[0-9]{1,3}"],
    ) {
        if let Ok(date) = DueDate::parse(&raw) {
            let iso = date.to_iso();
            prop_assert_eq!(iso.len(), 10);
            prop_assert!((FIRST_YEAR..=LAST_YEAR).contains(&date.date().year()));
            prop_assert_eq!(DueDate::parse(&iso), Ok(date));
        }
    }

    #[test]
    fn a_parsed_label_is_a_lower_case_word_that_parses_to_itself(
        raw in prop_oneof![hostile_text(), "[A-Za-zÄäİß0-9 _#@.-]{0,45}"],
    ) {
        if let Ok(label) = Label::parse(&raw) {
            let text = label.as_str();
            prop_assert!((1..=40).contains(&text.chars().count()), "{text:?}");
            prop_assert!(
                text.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_'),
                "{text:?}"
            );
            prop_assert_eq!(text.to_lowercase(), text);
            prop_assert_eq!(Label::parse(text), Ok(label.clone()));
            if text.is_ascii() {
                // Case and surrounding blanks do not make another label.
                prop_assert_eq!(Label::parse(&format!(" {} ", text.to_uppercase())), Ok(label));
            }
        } else {
            prop_assert!(Label::parse(&raw).unwrap_err().0.contains("is not a label"));
        }
    }

    #[test]
    fn parsed_labels_are_distinct_at_most_twenty_and_keep_their_order(
        raw in prop::collection::vec(prop_oneof![hostile_text(), "[a-cA-C]{1,2}"], 0..30),
    ) {
        match Labels::parse(&raw) {
            Ok(labels) => {
                let names = labels.to_strings();
                prop_assert!(names.len() <= 20);
                let firsts: Vec<String> = raw.iter().map(|r| Label::parse(r).unwrap().as_str().to_owned())
                    .fold(Vec::new(), |mut seen, l| { if !seen.contains(&l) { seen.push(l) } seen });
                prop_assert_eq!(names, firsts);
            }
            Err(e) => prop_assert!(e.0.starts_with("labels: "), "{}", e.0),
        }
    }

    #[test]
    fn ids_parse_only_as_what_they_print(raw in prop_oneof![hostile_text(), "[0-9a-f-]{30,40}"]) {
        if let Ok(id) = TodoId::parse(&raw) {
            prop_assert_eq!(TodoId::parse(&id.to_string()), Ok(id));
        }
        if let Ok(id) = FileId::parse(&raw) {
            prop_assert_eq!(FileId::parse(&id.to_string()), Ok(id));
        }
    }

    #[test]
    fn a_sanitized_file_name_always_passes_the_rules(raw in hostile_text()) {
        let name = FileName::sanitize(&raw);
        let name = name.as_str();
        prop_assert!((1..=200).contains(&name.chars().count()), "{name:?}");
        prop_assert!(!name.starts_with('.'));
        prop_assert!(!name.chars().any(|c| "/\\<>:\"|?*".contains(c)), "{name:?}");
        prop_assert!(!name.chars().any(|c| forbidden(c, &[])), "{name:?}");
        let again = FileName::sanitize(name);
        prop_assert_eq!(again.as_str(), name, "sanitizing is stable");
    }

    #[test]
    fn only_allow_listed_content_types_parse(raw in prop_oneof![
        hostile_text(),
        prop::sample::select(ALLOWED_TYPES.to_vec()).prop_map(|t| format!(" {} ; charset=x", t.to_uppercase())),
    ]) {
        if let Ok(kind) = ContentType::parse(&raw) {
            prop_assert!(ALLOWED_TYPES.contains(&kind.as_str()));
        }
    }

    #[test]
    fn natural_dates_never_panic(phrase in hostile_text(), today in a_date()) {
        let _ = dates::parse(&phrase, today);
        let _ = dates::parse(&phrase.to_lowercase(), today);
    }

    /// Reminder words read or decline any text; what they read is within the bounds the
    /// server keeps, and reads back from its quick-add mark.
    #[test]
    fn reminder_words_read_only_valid_reminders(phrase in hostile_text(), today in a_date()) {
        use app::words::reminders::{self, MAX_BEFORE_MINUTES, When};
        for found in [
            reminders::parse(&phrase, today),
            reminders::parse_when(&phrase, today),
            reminders::parse(&format!("!{phrase}"), today),
        ]
        .into_iter()
        .flatten()
        {
            if let When::Before(m) | When::In(m) = found {
                prop_assert!(m <= MAX_BEFORE_MINUTES);
            }
            prop_assert_eq!(reminders::parse_mark(&found.to_mark(), today), Some(found));
        }
    }

    #[test]
    fn the_intent_parser_understands_or_declines_any_text(
        message in hostile_text(),
        today in a_date(),
        awaiting in any::<bool>(),
    ) {
        let understood = parse::parse(&message, today, awaiting);
        // A command waits for "which one?" in the stored memory, as JSON, and is read back.
        if let parse::Said::Command(command) = understood {
            let json = serde_json::to_value(&command).unwrap();
            prop_assert_eq!(serde_json::from_value::<server::domain::dialogue::Command>(json).unwrap(), command);
        }
    }

    #[test]
    fn tool_calls_from_a_model_parse_or_are_refused_with_a_sentence(
        name in prop_oneof![
            prop::sample::select(Tool::ALL.map(|t| t.name()).to_vec()).prop_map(str::to_owned),
            hostile_text(),
        ],
        params in prop::collection::btree_map(
            prop_oneof![
                prop::sample::select(vec!["todoId", "fileId", "title", "dateDue", "status",
                    "dueFrom", "dueTo", "text", "notes", "description", "userID", "owner",
                    "priority", "labels", "dueTime", "repeat", "details", "list", "reminders"])
                    .prop_map(str::to_owned),
                hostile_text(),
            ],
            prop_oneof![hostile_text(), Just(TodoId::new().to_string()), Just("2026-03-05".to_owned())],
            0..6,
        ),
    ) {
        let pairs = params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        match tool_call(&name, pairs) {
            Ok(call) => prop_assert_eq!(Some(call.tool()), Tool::from_name(&name)),
            Err(refusal) => prop_assert!(!refusal.0.is_empty()),
        }
        let raw: BTreeMap<String, String> = params;
        let _ = ToolCall::parse(&name, &raw);
    }

    #[test]
    fn configuration_parses_or_says_what_is_wrong(
        values in prop::collection::hash_map(
            prop::sample::select(vec![
                "PORT", "HOST", "AUTH", "AGENT", "STORE", "FILES", "PUBLIC_URL",
                "FILES_MAX_BYTES", "CHAT_TURNS_PER_MINUTE", "IDP_TOKEN_LIFETIME_SECONDS",
                "ACTION_GROUP_SECRET", "MAX_TODOS_PER_USER", "COGNITO_REGION",
                "COGNITO_USER_POOL_ID", "COGNITO_CLIENT_ID", "FILES_S3_BUCKET",
                "BEDROCK_AGENT_ID", "IDP_ATTEMPTS_PER_MINUTE", "LOCAL_AGENT_CHUNK_DELAY_MS",
            ]),
            prop_oneof![hostile_text(), "[0-9]{1,25}", Just("cognito".to_owned()), Just("s3".to_owned())],
            0..8,
        ),
    ) {
        let env: HashMap<&str, String> = values;
        match Settings::from_lookup(|k| env.get(k).cloned()) {
            Ok(settings) => prop_assert!(settings.quotas.todos >= 1),
            Err(e) => prop_assert!(e.to_string().starts_with("configuration: ")),
        }
    }

    #[test]
    fn any_jwks_document_gives_keys_or_a_clear_error(body in prop_oneof![
        any::<Vec<u8>>(),
        hostile_text().prop_map(String::into_bytes),
        (hostile_text(), hostile_text(), hostile_text()).prop_map(|(kid, n, e)| {
            serde_json::json!({"keys": [{"kty": "RSA", "kid": kid, "n": n, "e": e, "alg": "RS256"}]})
                .to_string()
                .into_bytes()
        }),
    ]) {
        let _ = keys_from_jwks(&body);
    }
}

/// Base64url of arbitrary bytes, as a token segment.
fn segment() -> impl Strategy<Value = String> {
    use base64::Engine;
    prop_oneof![
        any::<Vec<u8>>().prop_map(|b| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)),
        prop::sample::select(vec![
            r#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#,
            r#"{"alg":"none"}"#,
            r#"{"alg":"HS256","kid":"k1"}"#,
            r#"{"alg":"RS256"}"#,
            r#"{"sub":"u","iss":"x","aud":"y","exp":9999999999,"token_use":"id"}"#,
        ])
        .prop_map(|json| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)),
        hostile_text(),
    ]
}

#[test]
fn no_forged_or_malformed_token_verifies() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // Keys live nowhere reachable: a token can only pass by being well signed, and none is.
    let verifier = TokenVerifier::new(
        VerifierConfig {
            issuer: "http://127.0.0.1:9/idp/pool".into(),
            client_id: "client".into(),
            jwks_url: "http://127.0.0.1:9/jwks.json".into(),
        },
        std::sync::Arc::new(server::domain::SystemClock),
    );
    proptest!(|(parts in prop::collection::vec(segment(), 0..5), dots in any::<bool>())| {
        let token = if dots { parts.join(".") } else { parts.concat() };
        prop_assert!(runtime.block_on(verifier.verify(&token)).is_err(), "{token}");
    });
}

/// Words and RRULE parts repeat rules are made of, joined at random.
fn rule_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "every",
        "each",
        "every!",
        "other",
        "2",
        "3",
        "365",
        "366",
        "0",
        "-1",
        "day",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "on",
        "the",
        "last",
        "of",
        "and",
        "monday",
        "mon",
        "wed",
        "sun",
        "weekday",
        "weekend",
        "1st",
        "15th",
        "31st",
        "32nd",
        "feb",
        "march",
        "29",
        "after",
        "completion",
        "daily",
        "monthly",
        "RRULE:",
        "FREQ=",
        "DAILY",
        "WEEKLY",
        "MONTHLY",
        "YEARLY",
        "HOURLY",
        ";",
        ",",
        "INTERVAL=",
        "BYDAY=",
        "MO",
        "TH",
        "BYMONTHDAY=",
        "28",
        "30",
        "BYSETPOS=",
        "BYMONTH=",
        "2",
        "COUNT=",
        "WKST=",
        " ",
        "at",
        "5pm",
        "9:30",
        "17:00",
        "noon",
        "tonight",
        "am",
        "pm",
        "12",
        ":",
        ".",
    ]);
    prop_oneof![
        hostile_text(),
        prop::collection::vec(pieces.clone(), 0..12).prop_map(|p| p.join(" ")),
        prop::collection::vec(pieces, 0..12).prop_map(|p| p.concat()),
    ]
}

/// Every rule Tasko keeps: what [`Rule::check`] accepts.
fn a_rule() -> impl Strategy<Value = Rule> {
    use jiff::civil::Weekday;
    let weekdays = prop::sample::subsequence(
        vec![
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
            Weekday::Saturday,
            Weekday::Sunday,
        ],
        0..=7,
    );
    let day = prop_oneof![Just(None), Just(Some(-1i8)), (1i8..=31).prop_map(Some)];
    (0usize..4, 1u16..=365, weekdays, day, 1i8..=12)
        .prop_map(|(frequency, interval, weekdays, month_day, month)| {
            let frequency = [
                Frequency::Daily,
                Frequency::Weekly,
                Frequency::Monthly,
                Frequency::Yearly,
            ][frequency];
            Rule {
                frequency,
                interval,
                weekdays: if frequency == Frequency::Weekly {
                    weekdays
                } else {
                    Vec::new()
                },
                month_day: if matches!(frequency, Frequency::Monthly | Frequency::Yearly) {
                    month_day
                } else {
                    None
                },
                month: (frequency == Frequency::Yearly && month_day.is_some()).then_some(month),
            }
        })
        .prop_filter("a rule Tasko keeps", |rule| rule.check().is_ok())
}

proptest! {
    #[test]
    fn repeat_rules_parse_or_are_refused_naming_repeat(raw in rule_text()) {
        match ParsedRepeat::parse(&raw) {
            Ok(parsed) => {
                prop_assert!(parsed.rule.rule().check().is_ok());
                let rrule = parsed.rule.rrule();
                prop_assert_eq!(RepeatRule::from_rrule(&rrule).map(|r| r.rrule()), Ok(rrule));
            }
            Err(e) => prop_assert!(e.0.starts_with("repeat: "), "{e}"),
        }
        if let Some(words) = repeat::parse(&raw) {
            prop_assert!(words.rule.check().is_ok());
            prop_assert_eq!(repeat::parse(&words.describe()), Some(words));
        }
    }

    #[test]
    fn a_kept_rule_round_trips_through_its_rrule_and_its_words(rule in a_rule()) {
        let kept = RepeatRule::from_rrule(&repeat_rrule(&rule)).unwrap();
        prop_assert_eq!(kept.rule(), &rule);
        prop_assert_eq!(RepeatRule::from_rrule(&kept.rrule()), Ok(kept.clone()));
        let words = repeat::parse(&kept.describe(false)).unwrap();
        prop_assert_eq!(&words.rule, &rule);
    }

    #[test]
    fn the_next_date_is_later_and_on_the_rule(rule in a_rule(), from in a_date()) {
        let kept = RepeatRule::from_rrule(&repeat_rrule(&rule)).unwrap();
        if let Some(next) = kept.next_after(from) {
            prop_assert!(next > from);
            if !rule.weekdays.is_empty() {
                prop_assert!(rule.weekdays.contains(&next.weekday()), "{next}");
            }
            if let Some(day) = rule.month_day {
                let last = next.last_of_month().day();
                let want = if day == -1 { last } else { day.min(last) };
                prop_assert_eq!(next.day(), want);
            }
        } else {
            prop_assert!(from.year() > 2999 - i16::try_from(rule.interval).unwrap());
        }
    }

    #[test]
    fn times_of_day_never_panic_and_hhmm_round_trips(raw in rule_text(), h in 0i8..24, m in 0i8..60) {
        let _ = times::parse(&raw);
        if let Ok(time) = DueTime::parse(&raw) {
            prop_assert_eq!(DueTime::parse(&time.to_hhmm()), Ok(time));
        }
        let time = jiff::civil::Time::new(h, m, 0, 0).unwrap();
        let hhmm = times::to_hhmm(time);
        prop_assert_eq!(times::from_hhmm(&hhmm), Some(time));
        prop_assert_eq!(times::parse(&hhmm), Some(time));
    }
}

/// The RRULE of a rule, written here independently of the server's printer (a day 29–31 as
/// a plain BYMONTHDAY, which the server reads as "that day or the month's last").
fn repeat_rrule(rule: &Rule) -> String {
    let frequency = match rule.frequency {
        Frequency::Daily => "DAILY",
        Frequency::Weekly => "WEEKLY",
        Frequency::Monthly => "MONTHLY",
        Frequency::Yearly => "YEARLY",
    };
    let mut text = format!("FREQ={frequency};INTERVAL={}", rule.interval);
    if !rule.weekdays.is_empty() {
        let days: Vec<String> = rule
            .weekdays
            .iter()
            .map(|d| format!("{d:?}")[..2].to_uppercase())
            .collect();
        text.push_str(&format!(";BYDAY={}", days.join(",")));
    }
    if let Some(day) = rule.month_day {
        text.push_str(&format!(";BYMONTHDAY={day}"));
    }
    if let Some(month) = rule.month {
        text.push_str(&format!(";BYMONTH={month}"));
    }
    text
}
