//! Tidy tests: rules about the source itself, checked by reading it (in the spirit of
//! rust-analyzer's tidy tests), so they hold without anyone remembering them.
//!
//! Arrows point down: a module of the server may use modules of its own layer or of the
//! layers below, never above; and the modules never depend on each other in a circle.

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
            "files",
            "tools",
            "action_group",
            "agent",
            "chat",
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
