//! Helpers shared by the integration tests: run the real binary.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn dateline(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_dateline"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .output();
    match out {
        Ok(o) => o,
        Err(e) => panic!("could not run dateline: {e}"),
    }
}

/// Parses JSON Lines output into values.
pub fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match serde_json::from_str(l) {
            Ok(v) => v,
            Err(e) => panic!("bad JSON line ({e}): {l}"),
        })
        .collect()
}

/// Slices `text` by a code-point span `[a, b]`.
pub fn cp_slice(text: &str, span: &serde_json::Value) -> String {
    let a = span[0].as_u64().unwrap_or(0) as usize;
    let b = span[1].as_u64().unwrap_or(0) as usize;
    text.chars().skip(a).take(b.saturating_sub(a)).collect()
}

/// The seed article as `dateline extract` reads it (the first document).
pub fn seed() -> serde_json::Value {
    let out = dateline(&["extract", "examples/seed-article.txt"]);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_lines(&out)
        .into_iter()
        .next()
        .unwrap_or(serde_json::Value::Null)
}

/// Compares `got` with the golden file `rel` (under the repository root);
/// with DATELINE_BLESS set, writes it first.
pub fn assert_golden(rel: &str, got: &serde_json::Value) {
    let path = root().join(rel);
    let pretty = serde_json::to_string_pretty(got).unwrap_or_default() + "\n";
    if std::env::var_os("DATELINE_BLESS").is_some() {
        if let Err(e) = std::fs::write(&path, &pretty) {
            panic!("writing {}: {e}", path.display());
        }
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        pretty, want,
        "golden file {rel} differs; re-bless with DATELINE_BLESS=1 if the change is intended"
    );
}
