//! `dateline eval tokenize --system` and `dateline eval parser --system`:
//! another system's CoNLL-U scored against a gold one with the CoNLL 2018
//! metrics. Tiny hand-written files with known figures.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

/// Three sentences, eight words (columns written with single spaces here,
/// turned into tabs).
const GOLD: &str = "\
# text = El perro come.
1 El el DET _ _ 2 det _ _
2 perro perro NOUN _ _ 3 nsubj _ _
3 come comer VERB _ _ 0 root _ SpaceAfter=No
4 . . PUNCT _ _ 3 punct _ _

# text = Ya.
1 Ya ya ADV _ _ 0 root _ SpaceAfter=No
2 . . PUNCT _ _ 1 punct _ _

# text = Bien.
1 Bien bien ADV _ _ 0 root _ SpaceAfter=No
2 . . PUNCT _ _ 1 punct _ _
";

/// Same words and sentences; "El" hangs from "come" (wrong head), the first
/// "." is `dep` (wrong label), "perro" is PROPN (wrong UPOS).
const PARSED: &str = "\
1 El el DET _ _ 3 det _ _
2 perro perro PROPN _ _ 3 nsubj _ _
3 come comer VERB _ _ 0 root _ SpaceAfter=No
4 . . PUNCT _ _ 3 dep _ _

1 Ya ya ADV _ _ 0 root _ SpaceAfter=No
2 . . PUNCT _ _ 1 punct _ _

1 Bien bien ADV _ _ 0 root _ SpaceAfter=No
2 . . PUNCT _ _ 1 punct _ _
";

/// "come." left as one token; "Ya. Bien." one sentence.
const TOKENIZED: &str = "\
1 El _ _ _ _ 0 root _ _
2 perro _ _ _ _ 1 dep _ _
3 come. _ _ _ _ 1 dep _ _

1 Ya _ _ _ _ 0 root _ SpaceAfter=No
2 . _ _ _ _ 1 dep _ _
3 Bien _ _ _ _ 1 dep _ SpaceAfter=No
4 . _ _ _ _ 1 dep _ _
";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let tabbed: String = text
        .lines()
        .map(|l| {
            if l.starts_with('#') {
                l.to_string()
            } else {
                l.replace(' ', "\t")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    let path = dir.join(name);
    if let Err(e) = std::fs::write(&path, tabbed) {
        panic!("writing {}: {e}", path.display());
    }
    path.display().to_string()
}

fn run_json(args: &[&str]) -> Value {
    let out = dateline(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

fn f1(v: &Value, metric: &str) -> f64 {
    v[metric]["f1"].as_f64().unwrap_or(f64::NAN)
}

fn close(got: f64, want: f64) -> bool {
    (got - want).abs() < 1e-9
}

#[test]
fn parser_scores_a_system_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let gold = write(dir.path(), "gold.conllu", GOLD);
    let sys = write(dir.path(), "sys.conllu", PARSED);
    let v = run_json(&[
        "eval",
        "parser",
        "--gold",
        &gold,
        "--system",
        &sys,
        "--gold-words",
        "--lang",
        "es",
        "--json",
    ]);
    assert!(close(f1(&v, "tokens"), 100.0), "{v}");
    assert!(close(f1(&v, "sentences"), 100.0), "{v}");
    assert!(close(f1(&v, "upos"), 87.5), "{v}"); // 7 of 8
    assert!(close(f1(&v, "uas"), 87.5), "{v}"); // one wrong head
    assert!(close(f1(&v, "las"), 75.0), "{v}"); // + one wrong label
    assert_eq!(v["eval"], "parser", "{v}");
    assert_eq!(v["input"], "gold words", "{v}");
    assert_eq!(v["tags"], "system", "{v}");
    assert_eq!(v["system"].as_str(), Some(sys.as_str()), "{v}");
}

#[test]
fn tokenize_scores_a_system_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let gold = write(dir.path(), "gold.conllu", GOLD);
    let sys = write(dir.path(), "sys.conllu", TOKENIZED);
    let v = run_json(&[
        "eval", "tokenize", "--gold", &gold, "--system", &sys, "--lang", "es", "--json",
    ]);
    // tokens: 6 of 7 system tokens right, 6 of 8 gold found
    assert!(
        close(
            v["tokens"]["precision"].as_f64().unwrap_or(0.0),
            600.0 / 7.0
        ),
        "{v}"
    );
    assert!(
        close(v["tokens"]["recall"].as_f64().unwrap_or(0.0), 75.0),
        "{v}"
    );
    assert!(close(f1(&v, "tokens"), 80.0), "{v}");
    // sentences: only the first matches (1 of 2, 1 of 3)
    assert!(close(f1(&v, "sentences"), 40.0), "{v}");
    assert_eq!(v["eval"], "tokenize", "{v}");
    assert_eq!(v["system"].as_str(), Some(sys.as_str()), "{v}");
}

#[test]
fn parser_needs_a_model_or_a_system_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let gold = write(dir.path(), "gold.conllu", GOLD);
    let out = dateline(&["eval", "parser", "--gold", &gold, "--json"]);
    assert!(!out.status.success());
    // a system file whose text differs from the gold is an error, not a score
    let sys = write(dir.path(), "sys.conllu", "1 Otro _ _ _ _ 0 root _ _\n");
    let out = dateline(&["eval", "parser", "--gold", &gold, "--system", &sys]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("sys.conllu"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
