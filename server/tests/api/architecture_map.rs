//! The map is true: ARCHITECTURE.md's code map names every source module of the server, the
//! shared `app` crate and the frontend, so a new file cannot slip in unexplained. A module is
//! named when the map mentions its path below `src/` (`agent/local/plan`) or its file name
//! in backticks (`` `plan.rs` ``); the map writes file names in their folder's paragraph.

use std::path::{Path, PathBuf};

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

/// The code map section of ARCHITECTURE.md.
fn code_map(root: &Path) -> String {
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let start = text
        .find("## Code map")
        .expect("ARCHITECTURE.md has a code map");
    let rest = &text[start + 3..];
    let end = rest.find("\n## ").map_or(rest.len(), |i| i);
    rest[..end].to_owned()
}

fn parts_last(module: &str) -> &str {
    module.rsplit('/').next().unwrap_or(module)
}

/// How the map may name `relative` (a path below a crate's `src/`, without `.rs`).
fn names(relative: &str) -> Vec<String> {
    let module = relative.strip_suffix("/mod").unwrap_or(relative);
    let file = parts_last(module);
    let mut names = vec![format!("`{module}"), format!("{module}/")];
    // A file named with as much of its folder as its paragraph needs: `counted.rs`,
    // `dynamodb/counted.rs`.
    let parts: Vec<&str> = module.split('/').collect();
    for start in 0..parts.len() {
        names.push(format!("`{}.rs`", parts[start..].join("/")));
    }
    if relative.ends_with("/mod") || !relative.contains('/') {
        names.push(format!("`{file}/`"));
        names.push(format!("`{file}`"));
    }
    names
}

#[test]
fn the_code_map_names_every_module() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let map = code_map(&root);
    let mut missing = Vec::new();
    for krate in ["server/src", "app/src", "frontend/src"] {
        let src = root.join(krate);
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        for file in files {
            let relative = file
                .strip_prefix(&src)
                .unwrap()
                .with_extension("")
                .to_string_lossy()
                .replace('\\', "/");
            if matches!(relative.as_str(), "lib" | "main") {
                continue;
            }
            if !names(&relative).iter().any(|name| map.contains(name)) {
                missing.push(format!("{krate}/{relative}.rs"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md's code map does not name these modules (add a few words on each):\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_map_check_sees_a_missing_module() {
    // The rule itself: a file the map does not name is reported, one it names is not.
    assert!(
        !names("agent/local/zzz_unlisted")
            .iter()
            .any(|n| "`plan.rs`".contains(n))
    );
    assert!(
        names("agent/local/plan")
            .iter()
            .any(|n| "the `plan.rs` (…)".contains(n))
    );
    let counted = names("store/dynamodb/counted");
    assert!(
        counted
            .iter()
            .any(|n| "`dynamodb/counted.rs`: …".contains(n))
    );
    assert!(!counted.iter().any(|n| "`dynamodb/other.rs`: …".contains(n)));
}
