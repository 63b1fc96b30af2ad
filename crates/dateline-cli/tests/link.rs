//! Entity linking on the project's own gold set (tests/link/link-gold.jsonl:
//! sentences written for the project, 57 mentions: role phrases resolved on
//! the document date, titles followed by a name, demonyms, state bodies,
//! metonyms, acronyms, spelling variants).

mod common;
use common::*;
use serde_json::Value;

#[test]
fn link_accuracy_on_the_project_gold_set() {
    let out = dateline(&[
        "eval",
        "link",
        "--gold",
        "tests/link/link-gold.jsonl",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    assert!(v["mentions"].as_u64().is_some_and(|n| n >= 40), "{v}");
    assert!(v["accuracy"].as_f64().is_some_and(|a| a >= 90.0), "{v}");
}
