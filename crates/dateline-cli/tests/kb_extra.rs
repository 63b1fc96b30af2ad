//! `--kb-extra`: a user's TSV rows extend the knowledge base the linking
//! stage uses (text and names written for this test).

mod common;
use common::*;
use serde_json::Value;

fn extract(args: &[&str]) -> Value {
    let out = dateline(args);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_lines(&out).into_iter().next().unwrap_or(Value::Null)
}

#[test]
fn extra_people_are_linked_with_their_office() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let article = tmp.path().join("a.txt");
    std::fs::write(
        &article,
        " date 2025-03-02 Visita oficial\n\nLa ministra Ana Pérez visitó Lima el lunes. Pérez Gómez se reunió con empresarios.\n",
    )
    .expect("write article");
    let extra = tmp.path().join("people.tsv");
    std::fs::write(
        &extra,
        "id\tname\taliases\tgender\trole\ttitle\tiso3\tstart\tend\n\
         ana_perez\tAna Pérez\tPérez Gómez\tf\tMINISTER\tMINISTER\tESP\t2024-01-01\t\n",
    )
    .expect("write kb");
    let a = article.to_string_lossy().to_string();
    let plain = extract(&["extract", &a]);
    let linked = |d: &Value| {
        d["entities"].as_array().and_then(|v| {
            v.iter()
                .find(|e| e["name"] == "Ana Pérez" && !e["kb"].is_null())
                .cloned()
        })
    };
    assert!(linked(&plain).is_none(), "{}", plain["entities"]);
    let with = extract(&["extract", "--kb-extra", &extra.to_string_lossy(), &a]);
    let e = linked(&with).unwrap_or_else(|| panic!("not linked: {}", with["entities"]));
    assert_eq!(e["type"], "PER");
    let mentions: Vec<&str> = e["mentions"]
        .as_array()
        .map(|v| v.iter().filter_map(|m| m["text"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        mentions.contains(&"Ana Pérez") && mentions.contains(&"Pérez Gómez"),
        "{mentions:?}"
    );
    assert!(
        e["roles"]
            .as_array()
            .is_some_and(|r| r.iter().any(|r| r["country"] == "ESP")),
        "{e}"
    );
    // a file that does not parse is an error naming it
    let bad = tmp.path().join("bad.tsv");
    std::fs::write(&bad, "nonsense\n").expect("write bad");
    let out = dateline(&["extract", "--kb-extra", &bad.to_string_lossy(), &a]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.tsv"));
}
