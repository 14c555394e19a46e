//! Shared by the card tests: writes filled cards to `test-output/cards/`, runs
//! `tests/browser/cards.mjs` on them in headless Chromium, and reads its results.
//! Missing Chromium or npm packages skip the test with a note, except under `CI=true`,
//! where they fail it (`tests/browser/install.sh` installs both).
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const CHROMIUM: &str = "/usr/bin/chromium";

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// A fresh `test-output/cards/<name>` with `in/` (cards to render) and `out/` (results).
pub fn workspace(name: &str) -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("test-output/cards")
        .join(name);
    let _ = std::fs::remove_dir_all(&root);
    let (cards, out) = (root.join("in"), root.join("out"));
    std::fs::create_dir_all(&cards).expect("create test-output/cards");
    std::fs::create_dir_all(&out).expect("create test-output/cards");
    (cards, out)
}

pub fn write_json(path: &Path, value: &Value) {
    std::fs::write(path, serde_json::to_vec_pretty(value).expect("serialise")).expect("write");
}

/// What is missing to run the browser tests here, if anything.
fn missing() -> Option<String> {
    if !Path::new(CHROMIUM).exists() {
        return Some(format!("{CHROMIUM} is not installed"));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is not installed".into());
    }
    for package in ["adaptivecards", "playwright-core", "markdown-it"] {
        if !browser_dir().join("node_modules").join(package).exists() {
            return Some(format!("npm package {package} is not installed"));
        }
    }
    None
}

/// `true` when the browser tests can run; otherwise prints why and returns `false`, or
/// panics when `CI=true` (CI must never skip them).
pub fn browser_available() -> bool {
    let Some(reason) = missing() else {
        return true;
    };
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("card browser tests cannot run in CI: {reason}; run tests/browser/install.sh");
    }
    eprintln!("note: skipping card browser test: {reason} (run tests/browser/install.sh)");
    false
}

/// Runs `cards.mjs` over `cards` and returns its per-card results, by card name.
pub fn render(cards: &Path, out: &Path, validate_only: bool) -> Vec<Value> {
    let mut command = Command::new("node");
    command
        .arg(browser_dir().join("cards.mjs"))
        .arg(cards)
        .arg(out);
    if validate_only {
        command.arg("--validate-only");
    }
    let output = command.output().expect("run node");
    assert!(
        output.status.success(),
        "cards.mjs failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let results = std::fs::read(out.join("results.json")).expect("results.json");
    match serde_json::from_slice(&results).expect("results are JSON") {
        Value::Array(items) => items,
        other => panic!("results.json is not a list: {other}"),
    }
}

pub fn result<'a>(results: &'a [Value], name: &str) -> &'a Value {
    results
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no result for card {name}"))
}
