//! (test) The layer rules of `docs/architecture.md`, checked over the source: which module
//! may name which, and that only `http/` handles raw headers.

use std::path::{Path, PathBuf};

/// A layer, the top-level modules it is made of, and the modules it must not name.
struct Rule {
    layer: &'static str,
    dirs: &'static [&'static str],
    forbidden: &'static [&'static str],
}

const RULES: &[Rule] = &[
    Rule {
        layer: "views (pages)",
        dirs: &["pages", "pages.rs", "app.rs"],
        forbidden: &["db", "state::AppState {", "sqlx"],
    },
    Rule {
        layer: "presentation (components, islands)",
        dirs: &["components", "components.rs", "islands", "islands.rs"],
        forbidden: &["db", "services", "http", "state", "sqlx", "pages"],
    },
    Rule {
        layer: "composition root (state)",
        dirs: &["state.rs", "cache", "cache.rs"],
        forbidden: &["http", "pages", "api", "components", "islands"],
    },
    Rule {
        layer: "use cases (services)",
        dirs: &["services", "services.rs"],
        forbidden: &["http", "pages", "api", "components", "islands", "state", "axum", "leptos"],
    },
    Rule {
        layer: "data (db)",
        dirs: &["db", "db.rs"],
        forbidden: &["http", "services", "pages", "api", "components", "islands", "state", "cache", "axum", "leptos"],
    },
    Rule {
        layer: "values (domain)",
        dirs: &["domain", "domain.rs"],
        forbidden: &["db", "http", "services", "pages", "api", "islands", "state", "cache", "axum"],
    },
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(path: &Path, into: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            rust_files(&entry.unwrap().path(), into);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        into.push(path.to_owned());
    }
}

/// The code of a file without comments and without its tests.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// Whether `code` names module `name` of this crate (`crate::name`, `crate::{.., name`) or
/// the external crate `name` (`name::`).
fn names(code: &str, name: &str) -> bool {
    if name.contains(' ') {
        return code.contains(name);
    }
    let own = [format!("crate::{name}::"), format!("crate::{name};"), format!("crate::{name},")];
    if own.iter().any(|p| code.contains(p.as_str())) {
        return true;
    }
    let grouped = code.match_indices("crate::{").any(|(at, _)| {
        let group = &code[at..code[at..].find('}').map_or(code.len(), |end| at + end)];
        group.split(|c: char| !c.is_alphanumeric() && c != '_').any(|word| word == name)
    });
    let external = code
        .match_indices(&format!("{name}::"))
        .any(|(at, _)| at == 0 || !code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':'));
    grouped || external
}

#[test]
fn each_layer_names_only_the_layers_below_it() {
    let mut broken = Vec::new();
    for rule in RULES {
        let mut files = Vec::new();
        for dir in rule.dirs {
            rust_files(&src().join(dir), &mut files);
        }
        assert!(!files.is_empty(), "no files for {}", rule.layer);
        for file in files {
            let code = code(&file);
            for name in rule.forbidden {
                if names(&code, name) {
                    broken.push(format!("{} ({}) names `{name}`", file.display(), rule.layer));
                }
            }
        }
    }
    assert!(broken.is_empty(), "layer rules broken:\n{}", broken.join("\n"));
}

#[test]
fn only_the_request_edge_handles_raw_headers() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let edge = src().join("http");
    let outside: Vec<String> = files
        .iter()
        .filter(|f| !f.starts_with(&edge) && f.file_name().is_some_and(|n| n != "layers.rs"))
        .filter(|f| code(f).contains("HeaderMap"))
        .map(|f| f.display().to_string())
        .collect();
    assert!(outside.is_empty(), "outside http/, these take a HeaderMap: {outside:?}");
}

#[test]
fn the_check_sees_what_it_looks_for() {
    assert!(names("use crate::db::comments;", "db"));
    assert!(names("use crate::{db, domain};", "db"));
    assert!(names("let x = crate::db::now();", "db"));
    assert!(names("use axum::http::HeaderMap;", "axum"));
    assert!(!names("use crate::domain::desk;", "db"));
    assert!(!names("use crate::services::desk::Settings;", "db"));
    assert!(!names("let dbx = 1; mydb::x();", "db"));
}
