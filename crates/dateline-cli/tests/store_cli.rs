//! `dateline ingest`, `search`, `events`, `entities` and `export` on a store
//! built from the seed article and tests/fixtures/store/events-v1.jsonl
//! (documents with entities and events, text written for the tests).

mod common;

use common::{dateline, root};
use std::path::Path;

const FIXTURE: &str = "tests/fixtures/store/events-v1.jsonl";

fn ingest(data: &Path, paths: &[&str]) -> serde_json::Value {
    let mut args = vec!["ingest", "--quiet", "--json", "--data"];
    let d = data.to_string_lossy().to_string();
    args.push(&d);
    args.extend_from_slice(paths);
    let out = dateline(&args);
    assert!(
        out.status.success(),
        "ingest failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("summary is JSON")
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = dateline(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

#[test]
fn ingest_is_idempotent_and_queries_work() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("store");
    let d = data.to_string_lossy().to_string();
    // the fixture's ten events plus what the pipeline finds in the seed article
    let seed = dateline(&["extract", "examples/seed-article.txt"]);
    let seed_events = common::json_lines(&seed)
        .first()
        .and_then(|d| d["events"].as_array().map(Vec::len))
        .unwrap_or(0);
    let events = 10 + seed_events as u64;
    let first = ingest(&data, &["examples/seed-article.txt", FIXTURE]);
    assert_eq!(first["inserted"], 4);
    assert_eq!(first["events"], events);
    assert_eq!(first["store_documents"], 4);
    let again = ingest(&data, &["examples/seed-article.txt", FIXTURE]);
    assert_eq!(again["inserted"], 0);
    assert_eq!(
        again["known"].as_u64().unwrap_or(0) + again["skipped"].as_u64().unwrap_or(0),
        4
    );
    assert_eq!(again["store_documents"], 4);
    assert_eq!(again["store_events"], events);

    // search: accents ignored, the seed article found
    let s = json(&["search", "putín", "--json", "--data", &d]);
    assert_eq!(s["total"], 4);
    let titles: Vec<&str> = s["hits"]
        .as_array()
        .map(|a| a.iter().filter_map(|h| h["title"].as_str()).collect())
        .unwrap_or_default();
    assert!(titles
        .iter()
        .any(|t| t.starts_with("Vladimir Putin y Kim Jong Un")));
    let es = json(&["search", "Putin", "--lang", "en", "--json", "--data", &d]);
    assert_eq!(es["total"], 1);
    // a query with nothing to search is a usage error, not a crash
    let bad = dateline(&["search", "\"\"", "--data", &d]);
    assert_eq!(bad.status.code(), Some(2));

    // events with filters
    // six in the fixture, more from the seed article's own events
    let ev = json(&["events", "--either", "putin", "--json", "--data", &d]);
    let evs = ev.as_array().cloned().unwrap_or_default();
    assert!(evs.len() >= 6, "{ev}");
    for e in &evs {
        let names = format!("{} {}", e["actor"], e["recipient"]);
        assert!(names.contains("Putin"), "{e}");
    }
    let ev = json(&[
        "events",
        "--actor",
        "RUS",
        "--recipient",
        "kim",
        "--type",
        "agree",
        "--json",
        "--data",
        &d,
    ]);
    assert_eq!(ev.as_array().map(Vec::len), Some(1));
    assert_eq!(
        ev[0]["sentence"],
        "The two leaders signed a pact on military cooperation that covers 12 areas."
    );
    let ev = json(&[
        "events",
        "--quad",
        "4",
        "--modality",
        "future",
        "--from",
        "2025-08-15",
        "--to",
        "2025-08-15",
        "--lang",
        "es",
        "--source",
        "zelenski",
        "--json",
        "--data",
        &d,
    ]);
    assert_eq!(ev.as_array().map(Vec::len), Some(1));
    assert_eq!(ev[0]["attributed_to"], "Según fuentes diplomáticas");
    let table = dateline(&[
        "events", "--actor", "kim", "--type", "threaten", "--data", &d,
    ]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("THREATEN") && text.contains("1 event"),
        "{text}"
    );
    assert_eq!(
        dateline(&["events", "--quad", "9", "--data", &d])
            .status
            .code(),
        Some(2)
    );

    // entities
    let en = json(&["entities", "zelenski", "--json", "--data", &d]);
    assert_eq!(en[0]["qid"], "Q3874799");
    // one in the fixture, the seed article's call with Trump besides
    assert!(en[0]["events"].as_i64().is_some_and(|n| n >= 1), "{en}");

    // a missing store is a clear error
    let none = dateline(&[
        "search",
        "x",
        "--data",
        &tmp.path().join("none").to_string_lossy(),
    ]);
    assert!(!none.status.success());
    assert!(String::from_utf8_lossy(&none.stderr).contains("dateline ingest"));
}

#[test]
fn exports() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("store");
    let d = data.to_string_lossy().to_string();
    ingest(&data, &[FIXTURE]);

    let out = dateline(&[
        "export", "--format", "csv", "--data", &d, "--actor", "putin",
    ]);
    assert!(out.status.success());
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let head: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(head[0], "event_id");
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    assert_eq!(rows.len(), 4);
    let ty = head.iter().position(|h| h == "type").expect("type column");
    assert!(rows.iter().any(|row| &row[ty] == "AGREE"));

    let out = dateline(&["export", "--format", "jsonl", "--data", &d]);
    let lines: Vec<serde_json::Value> = common::json_lines(&out);
    assert_eq!(lines.len(), 10);
    assert!(lines
        .windows(2)
        .all(|w| w[0]["day"].as_str() <= w[1]["day"].as_str()));

    let file = tmp.path().join("events.gdelt.tsv");
    let out = dateline(&[
        "export",
        "--format",
        "gdelt",
        "--data",
        &d,
        "--type",
        "consult",
        "--out",
        &file.to_string_lossy(),
    ]);
    assert!(out.status.success());
    let tsv = std::fs::read_to_string(&file).expect("gdelt file");
    let rows: Vec<Vec<&str>> = tsv.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 3);
    for row in &rows {
        assert_eq!(row.len(), 61, "GDELT 2.0 has 61 columns");
    }
    let met = rows
        .iter()
        .find(|r| r[26] == "040" && r[6] == "VLADIMIR PUTIN")
        .expect("the meeting");
    assert_eq!(met[1], "20250814"); // SQLDATE
    assert_eq!(met[2], "202508"); // MonthYear
    assert_eq!(met[5], "RUSGOV"); // Actor1Code
    assert_eq!(met[7], "RUS"); // Actor1CountryCode
    assert_eq!(met[12], "GOV"); // Actor1Type1Code
    assert_eq!(met[15], "PRKGOV"); // Actor2Code
    assert_eq!(met[17], "PRK"); // Actor2CountryCode
    assert_eq!(met[25], "1"); // IsRootEvent
    assert_eq!(met[27], "040"); // EventBaseCode
    assert_eq!(met[28], "04"); // EventRootCode
    assert_eq!(met[29], "1"); // QuadClass
    assert_eq!(met[52], "Pyongyang"); // ActionGeo_FullName
    assert_eq!(met[59].len(), 14); // DATEADDED
    assert_eq!(met[60], "https://example.org/news/putin-kim-pyongyang"); // SOURCEURL

    let pq = dateline(&[
        "export",
        "--format",
        "parquet",
        "--data",
        &d,
        "--out",
        &tmp.path().join("pq").to_string_lossy(),
    ]);
    if cfg!(feature = "parquet") {
        assert!(
            pq.status.success(),
            "{}",
            String::from_utf8_lossy(&pq.stderr)
        );
    } else {
        assert!(!pq.status.success());
        assert!(String::from_utf8_lossy(&pq.stderr).contains("--features parquet"));
    }
    let _ = root();
}

#[cfg(feature = "parquet")]
#[test]
fn parquet_is_partitioned_by_day() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("store");
    let d = data.to_string_lossy().to_string();
    ingest(&data, &[FIXTURE]);
    let dir = tmp.path().join("pq");
    let out = dateline(&[
        "export",
        "--format",
        "parquet",
        "--data",
        &d,
        "--out",
        &dir.to_string_lossy(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut days: Vec<String> = std::fs::read_dir(&dir)
        .expect("out dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    days.sort();
    assert_eq!(days, ["day=2025-08-14", "day=2025-08-15", "day=2025-08-20"]);
    let mut total = 0;
    for day in &days {
        let f = std::fs::File::open(dir.join(day).join("part-0.parquet")).expect("part file");
        let r = SerializedFileReader::new(f).expect("parquet");
        total += r.metadata().file_metadata().num_rows();
        let cols: Vec<String> = r
            .metadata()
            .file_metadata()
            .schema_descr()
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        assert!(cols.contains(&"actor".to_string()) && !cols.contains(&"day".to_string()));
    }
    assert_eq!(total, 10);
}
