//! The row reading, without the store: dates, line numbers, sub-tasks, sections.

use super::rows::{read, read_date, section_label};
use jiff::civil::{Date, date};

const TODAY: Date = date(2026, 12, 2); // a Wednesday

#[test]
fn dates_times_and_rules_are_read_as_quick_add_reads_them() {
    let when = |t| read_date(t, TODAY);
    assert_eq!(when("tomorrow").unwrap().date, date(2026, 12, 3));
    let dec3 = when("Dec 3 5pm").unwrap();
    assert_eq!(
        (dec3.date, dec3.time.as_deref()),
        (date(2026, 12, 3), Some("17:00"))
    );
    let monday = when("every monday").unwrap();
    assert_eq!(monday.date, date(2026, 12, 7));
    assert_eq!(monday.repeat.as_deref(), Some("every monday"));
    assert_eq!(when("2027-01-15").unwrap().date, date(2027, 1, 15));
    assert_eq!(when("at 9am").unwrap().date, TODAY);
    assert_eq!(when("whenever I feel like it"), None);
    assert_eq!(when("@label"), None);
}

#[test]
fn rows_are_numbered_by_the_line_they_start_on_with_lf_or_crlf() {
    for text in [
        "CONTENT\nA\n\"two\nlines\"\nB\n",
        "CONTENT\r\nA\r\n\"two\r\nlines\"\r\nB\r\n",
    ] {
        let reading = read(text, TODAY).unwrap();
        let lines: Vec<u64> = reading.done.iter().map(|t| t.line).collect();
        assert_eq!(lines, [2, 3, 5], "{text:?}");
    }
}

#[test]
fn sub_tasks_of_a_skipped_task_do_not_join_the_task_before_it() {
    let text = "TYPE,CONTENT,INDENT\ntask,First,1\ntask,,1\ntask,Orphan step,2\n";
    let reading = read(text, TODAY).unwrap();
    let titles: Vec<&str> = reading.done.iter().map(|t| t.todo.title.as_str()).collect();
    assert_eq!(titles, ["First", "Orphan step"]);
    assert!(reading.done[0].todo.subtasks.is_empty());
    let lines: Vec<u64> = reading.skipped.iter().map(|n| n.line).collect();
    assert_eq!(lines, [3]);
    assert_eq!(reading.adjusted[0].line, 4);
}

#[test]
fn sections_become_labels_when_they_can() {
    assert_eq!(section_label("Next week!").as_deref(), Some("next-week"));
    assert_eq!(section_label("Groceries 🛒").as_deref(), Some("groceries"));
    assert_eq!(section_label("🛒"), None);
}
