//! Untrusted markdown (assistant replies, anything a user or a model wrote) to HTML that is
//! safe to insert. This is the only source of `inner_html` in the UI.
//!
//! pulldown-cmark parses; its HTML writer escapes all text and attributes. Before writing,
//! an allow-list pass over the events: raw HTML becomes text, images are reduced to their
//! alt text, code blocks lose their info string (it would be a `class`), links survive only
//! with http, https or mailto targets (others become their text), and links open in a new
//! tab without access to this page. Tests check that ammonia,
//! configured with the same policy, would change nothing in the output: the result is what
//! pulldown-cmark + ammonia produce, without shipping html5ever to the browser.

//!
//! Built with the `markdown` feature: the app's page has only [`stable_prefix_len`] and
//! loads the rendering as a wasm module of its own (`frontend/markdown`, `ui::markdown`).

#[cfg(feature = "markdown")]
use pulldown_cmark::{Alignment, CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

#[cfg(feature = "markdown")]
/// http, https and mailto only; ASCII whitespace and control characters are ignored the way
/// browsers ignore them ("java\tscript:").
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect::<String>()
        .to_lowercase();
    if cleaned.starts_with("mailto:") {
        return true;
    }
    ["http://", "https://"]
        .iter()
        .find_map(|scheme| cleaned.strip_prefix(scheme))
        .is_some_and(has_valid_authority)
}

#[cfg(feature = "markdown")]
/// `[user@]host[:port]` as a URL parser accepts it (ammonia drops links whose URL does not
/// parse; the property tests found "https://example.com:text" kept here).
fn has_valid_authority(rest: &str) -> bool {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let (host, port) = if let Some(ipv6) = host_port.strip_prefix('[') {
        match ipv6.split_once(']') {
            Some((address, rest)) => (address, rest.strip_prefix(':')),
            None => return false,
        }
    } else {
        match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || "-._~%:".contains(c));
    let port_ok = port.is_none_or(|p| p.is_empty() || p.parse::<u16>().is_ok());
    host_ok && port_ok
}

#[cfg(feature = "markdown")]
pub fn to_safe_html(markdown: &str) -> String {
    // Whether each open link was kept, so its end matches.
    let mut links: Vec<bool> = Vec::new();
    let options =
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Some(Event::Text(html)),
        // Column alignment would be a `style` attribute: the CSP forbids inline styles
        // and the allow-list has no `style`, so tables are written unaligned.
        Event::Start(Tag::Table(columns)) => Some(Event::Start(Tag::Table(
            columns.iter().map(|_| Alignment::None).collect(),
        ))),
        // A task list's box would be an `<input>`; a ballot box character says the same.
        Event::TaskListMarker(done) => Some(Event::Text(if done { "☑ " } else { "☐ " }.into())),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        // A fence's info string would become a `class` attribute: not on the allow-list
        // (found by the property tests), so code blocks carry none.
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => {
            Some(Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)))
        }
        Event::Start(Tag::Link { ref dest_url, .. }) => {
            let keep = is_safe_url(dest_url);
            links.push(keep);
            keep.then_some(event)
        }
        Event::End(TagEnd::Link) => links.pop().unwrap_or(false).then_some(event),
        other => Some(other),
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    // Every "<a href=" here was written by pulldown-cmark for a kept link: raw HTML is text.
    html.replace(
        "<a href=",
        r#"<a rel="noopener noreferrer nofollow" target="_blank" href="#,
    )
}

/// Where a streamed text may be split so the part before is final: after the last blank
/// line outside a code fence. Blocks before it never change as more text arrives.
pub fn stable_prefix_len(text: &str) -> usize {
    let mut stable = 0;
    let mut in_fence = false;
    let mut offset = 0;
    let mut previous_blank = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        offset += line.len();
        let blank = trimmed.is_empty() && line.ends_with('\n');
        if blank && !in_fence && !previous_blank {
            stable = offset;
        }
        previous_blank = blank;
    }
    stable
}

#[cfg(all(test, feature = "markdown"))]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const HOSTILE: &[&str] = &[
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        "[a](javascript:alert(1))",
        "[a](JaVaScRiPt:alert(1))",
        "[a](java\tscript:alert(1))",
        "[a](&#106;avascript:alert(1))",
        "[a](data:text/html,<script>alert(1)</script>)",
        "[a](vbscript:msgbox)",
        "<javascript:alert(1)>",
        "![x](https://tracker.example/p.png)",
        "![x](javascript:alert(1))",
        "[ok](https://example.com \"title\" ) and <https://example.org>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<iframe src=https://evil.example></iframe>",
        "**bold** _em_ `code` ~~gone~~\n\n1. one\n2. two\n\n```\n<b>raw</b>\n```",
        "<style>body{display:none}</style>",
        "[x](https://example.com/\"onmouseover=\"alert(1))",
        "<details open ontoggle=alert(1)>",
        "[mail](mailto:a@example.com)",
        "```<script>alert(1)</script>\ncode\n```",
        "| a | b |\n|:--|--:|\n| <b>x</b> | [y](javascript:z) |",
        "| left | centre | right |\n| :--- | :---: | ---: |\n| 1 | ~~2~~ | <img src=x onerror=alert(1)> |",
        "- [x] done\n- [ ] <script>alert(1)</script>\n- plain",
    ];

    fn ammonia_policy() -> ammonia::Builder<'static> {
        let mut b = ammonia::Builder::default();
        b.url_schemes(HashSet::from(["http", "https", "mailto"]))
            .link_rel(Some("noopener noreferrer nofollow"))
            .add_tag_attributes("a", ["target"])
            .rm_tags(["img"]);
        b
    }

    /// Tags with their attributes sorted, so attribute order does not matter.
    fn normalize(html: &str) -> String {
        let tag = regex_lite::Regex::new(r#"<([a-z0-9]+)((?:\s+[a-z-]+="[^"]*")*)\s*>"#).unwrap();
        let attr = regex_lite::Regex::new(r#"([a-z-]+)="([^"]*)""#).unwrap();
        // Entity spellings differ between serializers; the characters do not.
        let html = html
            .replace("&#34;", "&quot;")
            .replace("&nbsp;", "\u{a0}")
            .replace(" />", ">")
            .replace("/>", ">")
            .replace('\n', "");
        tag.replace_all(&html, |c: &regex_lite::Captures| {
            let mut attrs: Vec<String> = attr
                .find_iter(&c[2])
                .map(|m| m.as_str().to_owned())
                .collect();
            attrs.sort();
            format!("<{} {}>", &c[1], attrs.join(" "))
        })
        .into_owned()
    }

    fn tags(html: &str) -> Vec<String> {
        regex_lite::Regex::new(r"<[^>]+>")
            .unwrap()
            .find_iter(html)
            .map(|m| m.as_str().to_lowercase())
            .collect()
    }

    #[test]
    fn ammonia_would_change_nothing_in_the_output() {
        let policy = ammonia_policy();
        for input in HOSTILE {
            let html = to_safe_html(input);
            let cleaned = policy.clean(&html).to_string();
            assert_eq!(
                normalize(&cleaned),
                normalize(&html),
                "ammonia changed the output for {input:?}"
            );
        }
    }

    #[test]
    fn nothing_executable_survives() {
        let handler = regex_lite::Regex::new(r"\son[a-z]+=").unwrap();
        for input in HOSTILE {
            let html = to_safe_html(input);
            for tag in tags(&html) {
                for bad in [
                    "<script",
                    "<img",
                    "<iframe",
                    "<style",
                    "<details",
                    "javascript:",
                    "data:",
                    "vbscript:",
                ] {
                    assert!(!tag.contains(bad), "{input:?} produced {tag}");
                }
                assert!(
                    !handler.is_match(&tag),
                    "{input:?} produced an event handler: {tag}"
                );
            }
        }
    }

    #[test]
    fn markdown_renders() {
        let html = to_safe_html("**Buy milk** — due *today*\n\n1. one\n2. two");
        assert!(html.contains("<strong>Buy milk</strong>"));
        assert!(html.contains("<ol>"));
    }

    #[test]
    fn gfm_tables_task_lists_and_strikethrough_render_without_styles_or_inputs() {
        let html = to_safe_html(
            "| Todo | Due |\n| :--- | ---: |\n| Pay rent | Dec 1 |\n\n- [x] milk\n- [ ] eggs\n\n~~gone~~",
        );
        for expected in [
            "<table>",
            "<th>Todo</th>",
            "<td>Pay rent</td>",
            "<li>☑ milk</li>",
            "<li>☐ eggs</li>",
            "<del>gone</del>",
        ] {
            assert!(html.contains(expected), "{expected} missing from {html}");
        }
        assert!(!html.contains("style="), "{html}");
        assert!(!html.contains("<input"), "{html}");
    }

    #[test]
    fn safe_links_open_in_a_new_tab_without_opener() {
        let html = to_safe_html("[b](https://example.com)");
        assert_eq!(
            html.trim(),
            r#"<p><a rel="noopener noreferrer nofollow" target="_blank" href="https://example.com">b</a></p>"#
        );
        assert!(to_safe_html("[bad](javascript:x)").contains("<p>bad</p>"));
    }

    #[test]
    fn the_stable_prefix_ends_at_the_last_blank_line_outside_fences() {
        assert_eq!(stable_prefix_len("no blank line yet"), 0);
        let text = "Heading line\n\n1. one\n2. tw";
        assert_eq!(&text[..stable_prefix_len(text)], "Heading line\n\n");
        let fenced = "a\n\n```\ncode\n\nmore\n";
        assert_eq!(&fenced[..stable_prefix_len(fenced)], "a\n\n");
    }

    /// Markdown made of the pieces attacks are made of, and plain random text.
    fn hostile_markdown() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let pieces = prop::sample::select(vec![
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[a](",
            "](",
            ")",
            "javascript:",
            "JaVa\tScRiPt:",
            "data:text/html,",
            "vbscript:",
            "mailto:x@y",
            "https://example.com",
            "<",
            ">",
            "&",
            "\"",
            "'",
            "`",
            "```",
            "**",
            "_",
            "~~",
            "\n\n",
            "\n",
            "- ",
            "1. ",
            "# ",
            "> ",
            "![alt](x.png)",
            "<a href=\"",
            "=",
            "onload=",
            "<details open ontoggle=alert(1)>",
            "&#106;avascript:",
            "%0a",
            "|",
            "|:--|--:|\n",
            "| :-: |\n",
            "- [x] ",
            "- [ ] ",
            "[",
            "]",
            "(",
            "<!--",
            "-->",
            "<svg/onload=alert(1)>",
            "\u{202E}",
            "é",
        ]);
        prop_oneof![
            any::<String>(),
            prop::collection::vec(pieces, 0..24).prop_map(|p| p.concat()),
        ]
    }

    proptest::proptest! {
        #[test]
        fn generated_markdown_never_yields_anything_ammonia_would_remove(input in hostile_markdown()) {
            let html = to_safe_html(&input);
            let cleaned = ammonia_policy().clean(&html).to_string();
            proptest::prop_assert_eq!(normalize(&cleaned), normalize(&html), "for {:?}", input);
        }

        #[test]
        fn generated_markdown_never_yields_a_script_a_handler_or_a_bad_scheme(input in hostile_markdown()) {
            let html = to_safe_html(&input);
            let handler = regex_lite::Regex::new(r"\son[a-z]+=").unwrap();
            for tag in tags(&html) {
                for bad in ["<script", "<img", "<iframe", "<style", "<svg", "<details", " src="] {
                    proptest::prop_assert!(!tag.contains(bad), "{:?} produced {}", input, tag);
                }
                proptest::prop_assert!(!handler.is_match(&tag), "{:?} produced {}", input, tag);
            }
            for href in tags(&html).iter().filter_map(|t| t.split("href=\"").nth(1)) {
                let url = href.split('"').next().unwrap_or_default();
                proptest::prop_assert!(is_safe_url(url), "{:?} produced the link {}", input, url);
            }
        }
    }
}
