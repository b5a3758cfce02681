//! Tidy tests: rules about the source itself, checked by reading it (in the spirit of
//! rust-analyzer's tidy tests), so they hold without anyone remembering them.
//!
//! Arrows point down: a module of the server may use modules of its own layer or of the
//! layers below, never above; services only the services below them (`SERVICE_ORDER`); the
//! modules never depend on each other in a circle, and no two files (modules) of one folder
//! import each other. Error codes are written only in `ErrorKind`.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

/// The server's layers, bottom first. Every top-level module of `server/src` is in one.
const LAYERS: &[(&str, &[&str])] = &[
    ("domain: values, ids, records", &["domain"]),
    ("store", &["store"]),
    (
        "services",
        &[
            "config",
            "tickets",
            "todos",
            "auth",
            "idp",
            "oauth",
            "files",
            "push",
            "tools",
            "action_group",
            "agent",
            "chat",
            "reminders",
        ],
    ),
    ("http", &["error", "state", "http", "serve"]),
    ("startup", &["startup"]),
];

/// The entry points use everything; they are not part of a layer.
const ENTRY_POINTS: &[&str] = &["lib", "main", "bin"];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The top-level modules a file names through `crate::` paths, including grouped imports
/// (`use crate::{a, b::{c, d}}`). Comments are skipped.
fn crate_modules_used(source: &str) -> BTreeSet<String> {
    let code: String = source
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let mut used = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The names at the top level of the group.
            let (mut depth, mut name, mut end) = (0, String::new(), group.len());
            for (i, ch) in group.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        end = i;
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        used.insert(first_segment(&name));
                        name.clear();
                        continue;
                    }
                    _ => {}
                }
                name.push(ch);
            }
            used.insert(first_segment(&name));
            rest = &group[end..];
        } else {
            used.insert(first_segment(rest));
        }
    }
    used.remove("");
    used
}

fn first_segment(path: &str) -> String {
    path.trim()
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Top-level module -> the other top-level modules it uses.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(src).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let module = first.to_string_lossy().trim_end_matches(".rs").to_owned();
        let source = std::fs::read_to_string(&file).unwrap();
        let used = graph.entry(module.clone()).or_default();
        used.extend(crate_modules_used(&source));
        used.remove(&module);
    }
    graph
}

fn upward_imports(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut problems = Vec::new();
    for (module, used) in graph {
        if ENTRY_POINTS.contains(&module.as_str()) {
            continue;
        }
        let Some(layer) = layer_of(module) else {
            problems.push(format!(
                "{module} is in no layer: add it to LAYERS in tidy.rs"
            ));
            continue;
        };
        for other in used {
            match layer_of(other) {
                Some(other_layer) if other_layer > layer => problems.push(format!(
                    "{module} ({}) uses {other} ({}): arrows must point down",
                    LAYERS[layer].0, LAYERS[other_layer].0
                )),
                Some(_) => {}
                None => problems.push(format!("{module} uses {other}, which is in no layer")),
            }
        }
    }
    problems
}

/// A circle of modules, if there is one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut circle = path[start..].to_vec();
            circle.push(node.to_owned());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

fn server_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn arrows_point_down_from_http_to_services_to_store_to_domain() {
    let problems = upward_imports(&module_graph(&server_src()));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_modules_depend_on_each_other_in_a_circle() {
    let graph = module_graph(&server_src());
    assert_eq!(cycle(&graph), None, "modules used in a circle");
}

#[test]
fn the_domain_imports_nothing_from_the_crate() {
    let graph = module_graph(&server_src());
    assert_eq!(graph["domain"], BTreeSet::new());
}

#[test]
fn the_checks_notice_an_upward_import_and_a_circle() {
    let used = crate_modules_used(
        "use crate::{\n    chat::{ChatSession, x},\n    files::FileRecord,\n};\n// crate::agent\nfn f() { crate::http::router(); }",
    );
    assert_eq!(
        used,
        BTreeSet::from(["chat".to_owned(), "files".to_owned(), "http".to_owned()])
    );
    let graph = BTreeMap::from([
        ("store".to_owned(), BTreeSet::from(["chat".to_owned()])),
        ("chat".to_owned(), BTreeSet::from(["store".to_owned()])),
    ]);
    assert_eq!(upward_imports(&graph).len(), 1, "store -> chat goes up");
    assert!(cycle(&graph).is_some());
}

/// The services, top first (ARCHITECTURE.md's "services" line): a service may use the ones
/// in later rows, never one in its own row or above. Every service of `LAYERS` is here.
const SERVICE_ORDER: &[&[&str]] = &[
    &["chat"],
    &["agent"],
    &["action_group"],
    &["tools"],
    &["reminders"],
    &["files"],
    &["push"],
    &["todos", "tickets"],
    &["config", "auth", "idp", "oauth"],
];

fn service_rank(module: &str) -> Option<usize> {
    SERVICE_ORDER.iter().position(|row| row.contains(&module))
}

/// Services that use a service documented at their level or above.
fn services_out_of_order(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut problems = Vec::new();
    for (module, used) in graph {
        let Some(rank) = service_rank(module) else {
            continue;
        };
        for other in used {
            if let Some(other_rank) = service_rank(other)
                && other_rank <= rank
            {
                problems.push(format!(
                    "{module} uses {other}: in SERVICE_ORDER (tidy.rs, ARCHITECTURE.md) a \
                     service uses only the services below it"
                ));
            }
        }
    }
    problems
}

#[test]
fn services_use_only_the_services_below_them() {
    let services = LAYERS
        .iter()
        .find(|(name, _)| *name == "services")
        .unwrap()
        .1;
    for service in services {
        assert!(
            service_rank(service).is_some(),
            "{service} is missing from SERVICE_ORDER in tidy.rs"
        );
    }
    let problems = services_out_of_order(&module_graph(&server_src()));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every module path a file names from `crate::` or `super::` (grouped imports expanded,
/// `super` resolved against the file's own module path `here`), as absolute segments.
/// Comments are skipped.
fn paths_named(source: &str, here: &[String]) -> Vec<Vec<String>> {
    let code: String = source
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut at = 0;
    while at < code.len() {
        let rest = &code[at..];
        let preceded_by_name =
            at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        let start: Option<Vec<String>> = if preceded_by_name || bytes[at - at.min(2)..at] == *b"::"
        {
            None
        } else if rest.starts_with("crate::") {
            Some(Vec::new())
        } else if rest.starts_with("super::") {
            // From the file's own module (`parse_tree` reads `super` as a step up).
            Some(here.to_vec())
        } else {
            None
        };
        let Some(base) = start else {
            at += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let after = if rest.starts_with("crate::") { 7 } else { 0 };
        let (paths, used) = parse_tree(&rest[after..], base);
        found.extend(paths);
        at += after + used.max(1);
    }
    found
}

/// Parses `a::b::{c, d::e}` (with `super::` segments going up) into full paths; returns
/// them and how many bytes were read.
fn parse_tree(text: &str, mut path: Vec<String>) -> (Vec<Vec<String>>, usize) {
    let mut at = 0;
    loop {
        let rest = &text[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if let Some(group) = trimmed.strip_prefix('{') {
            at += 1;
            let mut paths = Vec::new();
            let mut inner = group;
            loop {
                let (found, used) = parse_tree(inner, path.clone());
                paths.extend(found);
                at += used;
                inner = &inner[used..];
                let skipped = inner.trim_start();
                at += inner.len() - skipped.len();
                inner = skipped;
                if let Some(next) = inner.strip_prefix(',') {
                    at += 1;
                    inner = next;
                } else {
                    if inner.starts_with('}') {
                        at += 1;
                    }
                    break;
                }
            }
            return (paths, at);
        }
        let name: String = trimmed
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            return (vec![path], at);
        }
        at += name.len();
        match name.as_str() {
            "super" => {
                path.pop();
            }
            "self" => {}
            _ => path.push(name),
        }
        if text[at..].starts_with("::") {
            at += 2;
        } else {
            return (vec![path], at);
        }
    }
}

/// A source file's module path: `agent/local/intent.rs` is `[agent, local, intent]`;
/// `agent/local/mod.rs` is `[agent, local]` (a folder's `mod.rs` is its parent, not one of
/// its files' siblings); `lib.rs` and `main.rs` are the crate root.
fn module_path(relative: &Path) -> Vec<String> {
    let mut path: Vec<String> = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if path.last().is_some_and(|l| l == "mod") {
        path.pop();
    }
    if path.len() == 1 && (path[0] == "lib" || path[0] == "main") {
        path.clear();
    }
    path
}

/// Folder -> (module, sibling module it uses, the file that does): for every file, at every
/// folder above it, the folder's module it belongs to and the other modules of that folder
/// (files or subfolders) it names.
fn sibling_uses(
    files: &[(Vec<String>, String, String)],
) -> BTreeSet<(String, String, String, String)> {
    let modules: BTreeSet<Vec<String>> = files.iter().map(|(path, _, _)| path.clone()).collect();
    // A module exists if a file's path starts with it.
    let exists = |candidate: &[String]| {
        modules
            .iter()
            .any(|m| m.len() >= candidate.len() && m[..candidate.len()] == *candidate)
    };
    let mut uses = BTreeSet::new();
    for (here, name, source) in files {
        for named in paths_named(source, here) {
            for level in 0..here.len() {
                let folder = &here[..level];
                if named.len() <= level || named[..level] != *folder || named[level] == here[level]
                {
                    continue;
                }
                if exists(&named[..=level]) {
                    uses.insert((
                        folder.join("/"),
                        here[level].clone(),
                        named[level].clone(),
                        name.clone(),
                    ));
                }
            }
        }
    }
    uses
}

/// Pairs of modules of one folder that use each other, said with the files that do.
fn mutual_siblings(uses: &BTreeSet<(String, String, String, String)>) -> Vec<String> {
    let mut problems = BTreeSet::new();
    for (folder, a, b, file) in uses {
        let back: Vec<&String> = uses
            .iter()
            .filter(|(f, x, y, _)| f == folder && x == b && y == a)
            .map(|(_, _, _, file)| file)
            .collect();
        if !back.is_empty() && a < b {
            let folder = if folder.is_empty() { "src" } else { folder };
            problems.insert(format!(
                "{folder}: {a} and {b} use each other ({file} names {b}; {} names {a})",
                back.iter()
                    .map(|f| f.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    problems.into_iter().collect()
}

fn server_files() -> Vec<(Vec<String>, String, String)> {
    let src = server_src();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .map(|file| {
            let relative = file.strip_prefix(&src).unwrap().to_owned();
            let source = std::fs::read_to_string(&file).unwrap();
            (
                module_path(&relative),
                relative.to_string_lossy().into_owned(),
                source,
            )
        })
        .collect()
}

/// Two files of one folder that import each other are one module cut in two: what both
/// need belongs in a third file (or the folder's `mod.rs`) that both use.
#[test]
fn no_two_files_of_one_folder_import_each_other() {
    let problems = mutual_siblings(&sibling_uses(&server_files()));
    assert!(
        problems.is_empty(),
        "siblings that import each other:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_checks_notice_siblings_that_import_each_other_and_services_out_of_order() {
    let file = |path: &str, source: &str| {
        let relative = Path::new(path);
        (module_path(relative), path.to_owned(), source.to_owned())
    };
    let files = [
        file("idp/mod.rs", "mod a; mod b; use self::a::x;"),
        file("idp/a.rs", "use super::{LocalIdp, b::{self, y}};"),
        file("idp/b.rs", "fn f() { crate::idp::a::x(); }"),
        file("idp/c.rs", "use super::a::x; // super::b::y"),
        file(
            "agent/openai/mod.rs",
            "use super::bedrock::with_attachments;",
        ),
        file("agent/openai/sse.rs", "use super::super::tool_run;"),
        file("agent/bedrock.rs", "use super::{tool_run, openai};"),
        file("agent/tool_run.rs", "use crate::agent::Agent;"),
    ];
    let problems = mutual_siblings(&sibling_uses(&files));
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("agent: bedrock and openai use each other"));
    assert!(problems[1].starts_with("idp: a and b use each other"));
    let graph = BTreeMap::from([("files".to_owned(), BTreeSet::from(["tools".to_owned()]))]);
    assert_eq!(
        services_out_of_order(&graph).len(),
        1,
        "files -> tools goes up"
    );
}

/// The codes `ErrorKind::code` gives, read from its source.
fn error_codes(error_kind: &str) -> BTreeSet<String> {
    let body = &error_kind[error_kind.find("pub fn code(").expect("ErrorKind::code")..];
    let body = &body[..body.find("\n    }\n").expect("the end of code()")];
    body.lines()
        .filter_map(|line| line.split_once("=> \"")?.1.split_once('"'))
        .map(|(code, _)| code.to_owned())
        .collect()
}

/// Error codes written outside `ErrorKind`: `file: "code"` for each string literal that is
/// one of `codes`. The Cognito protocol (`idp/`) answers with AWS's exception names, which
/// are its own.
fn codes_written_outside(
    files: &[(Vec<String>, String, String)],
    codes: &BTreeSet<String>,
) -> Vec<String> {
    let mut found = Vec::new();
    for (_, name, source) in files {
        // The IdP speaks Cognito's protocol and `domain/oauth.rs` names OAuth's codes
        // (`OAuthErrorCode`): protocols' own, not ours.
        if name == "domain/error_kind.rs" || name == "domain/oauth.rs" || name.starts_with("idp/") {
            continue;
        }
        for code in codes {
            if source.contains(&format!("\"{code}\"")) {
                found.push(format!("{name}: \"{code}\""));
            }
        }
    }
    found
}

/// Every code a client reads comes from `ErrorKind`: a new kind of failure is a variant
/// there, not a string minted where it happens.
#[test]
fn error_codes_are_written_only_in_error_kind() {
    let files = server_files();
    let error_kind = &files
        .iter()
        .find(|(_, name, _)| name == "domain/error_kind.rs")
        .expect("domain/error_kind.rs")
        .2;
    let codes = error_codes(error_kind);
    assert!(codes.contains("invalid_request") && codes.contains("too_many_rounds"));
    let found = codes_written_outside(&files, &codes);
    assert!(
        found.is_empty(),
        "error codes outside ErrorKind:\n{}",
        found.join("\n")
    );
}
