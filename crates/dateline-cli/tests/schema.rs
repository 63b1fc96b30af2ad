//! Real output of every bundled example validates against docs/schema/doc-v1.json,
//! and every span slices the text it claims to.

mod common;
use common::*;
use serde_json::Value;

#[test]
fn examples_validate_against_schema() {
    let schema_text =
        std::fs::read_to_string(root().join("docs/schema/doc-v1.json")).unwrap_or_default();
    let schema: Value = match serde_json::from_str(&schema_text) {
        Ok(v) => v,
        Err(e) => panic!("schema is not JSON: {e}"),
    };
    let validator = match jsonschema::validator_for(&schema) {
        Ok(v) => v,
        Err(e) => panic!("schema does not compile: {e}"),
    };
    let out = dateline(&["extract", "examples"]);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = json_lines(&out);
    assert!(
        docs.len() >= 30,
        "only {} documents from examples/",
        docs.len()
    );
    let mut formats = std::collections::BTreeSet::new();
    for d in &docs {
        let errors: Vec<String> = validator
            .iter_errors(d)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", d["source"]["path"]);
        formats.insert(d["source"]["format"].as_str().unwrap_or("").to_string());
        let text = d["text"].as_str().unwrap_or("");
        let n = text.chars().count() as u64;
        for seg in d["segments"].as_array().into_iter().flatten() {
            assert!(seg["span"][1].as_u64().unwrap_or(u64::MAX) <= n);
            if !seg["title_span"].is_null() {
                assert_eq!(
                    cp_slice(text, &seg["title_span"]),
                    seg["title"].as_str().unwrap_or("")
                );
            }
        }
        assert!(
            d["source"]["path"].is_string(),
            "every document carries source.path"
        );
        assert!(
            !text.trim().is_empty(),
            "{}: empty text",
            d["source"]["path"]
        );
    }
    for f in ["dateline", "jsonl", "html", "rss", "atom", "warc"] {
        assert!(
            formats.contains(f),
            "no {f} document among the examples: {formats:?}"
        );
    }
}

#[test]
fn output_keeps_input_order_and_ids_are_stable() {
    let a = json_lines(&dateline(&[
        "extract",
        "examples/en",
        "examples/seed-article.txt",
    ]));
    let b = json_lines(&dateline(&[
        "extract",
        "-j",
        "1",
        "examples/en",
        "examples/seed-article.txt",
    ]));
    let ids = |v: &Vec<Value>| {
        v.iter()
            .map(|d| d["id"].as_str().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&a), ids(&b));
    let paths: Vec<&str> = a
        .iter()
        .map(|d| d["source"]["path"].as_str().unwrap_or(""))
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths.last().copied(), Some("examples/seed-article.txt"));
    assert_eq!(&paths[..paths.len() - 1], &sorted[..paths.len() - 1]);
}
