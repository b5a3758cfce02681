//! An activity summary is markdown with one kind of mark: the todo's title between `*`,
//! backslash-escaped inside. It is split here into plain and emphasized runs, each shown
//! as a text node (never as HTML), so no markdown renderer is needed for it.

/// `(text, emphasized)` runs of `summary`, backslash escapes removed.
pub fn runs(summary: &str) -> Vec<(String, bool)> {
    let (mut runs, mut current, mut emphasized) = (Vec::new(), String::new(), false);
    let mut chars = summary.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.extend(chars.next()),
            '*' => {
                if !current.is_empty() {
                    runs.push((std::mem::take(&mut current), emphasized));
                }
                emphasized = !emphasized;
            }
            other => current.push(other),
        }
    }
    if !current.is_empty() {
        runs.push((current, emphasized));
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_between_stars_is_emphasized_and_unescaped() {
        assert_eq!(
            runs(r"Renamed *a\*b* to *Water the ferns\.*"),
            vec![
                ("Renamed ".to_owned(), false),
                ("a*b".to_owned(), true),
                (" to ".to_owned(), false),
                ("Water the ferns.".to_owned(), true),
            ]
        );
        assert_eq!(
            runs("Deleted a todo"),
            vec![("Deleted a todo".to_owned(), false)]
        );
    }
}
