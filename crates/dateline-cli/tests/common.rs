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
