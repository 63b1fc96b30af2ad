//! Crash safety: an ingest killed with SIGKILL mid-run, then run again,
//! leaves the same store as a clean ingest, without duplicates.

mod common;

use dateline_core::DocV1;
use dateline_store::{Counts, Store};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FIXTURE: &str = include_str!("../../../tests/fixtures/store/events-v1.jsonl");
const DOCS: usize = 6_000;

/// A corpus of distinct documents with entities and events, made from the fixture.
fn corpus(path: &Path) {
    let base: Vec<DocV1> = FIXTURE
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("fixture"))
        .collect();
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("corpus file"));
    for i in 0..DOCS {
        let mut d = base[i % base.len()].clone();
        d.id = format!("{}-{i:06}", d.id);
        d.title = format!("{} ({i})", d.title);
        d.date = Some(format!("2025-{:02}-{:02}", 1 + i % 12, 1 + i % 28));
        serde_json::to_writer(&mut f, &d).expect("write");
        f.write_all(b"\n").expect("write");
    }
    f.flush().expect("flush");
}

fn ingest(data: &Path, corpus: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_dateline"))
        .args(["ingest", "--quiet", "--batch", "100", "--data"])
        .arg(data)
        .arg(corpus)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn dateline ingest")
}

fn counts(data: &Path) -> Option<Counts> {
    Store::open_read_only(data).ok()?.counts().ok()
}

fn wait_ok(mut child: std::process::Child) {
    let status = child.wait().expect("wait");
    assert!(status.success(), "ingest failed: {status}");
}

#[test]
fn sigkill_mid_ingest_then_rerun_equals_clean_ingest() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("corpus.jsonl");
    corpus(&file);

    let clean = tmp.path().join("clean");
    wait_ok(ingest(&clean, &file));
    let want = counts(&clean).expect("clean counts");
    assert_eq!(want.documents, DOCS as i64);

    let crashed = tmp.path().join("crashed");
    let mut child = ingest(&crashed, &file);
    let started = Instant::now();
    let mut at_kill = None;
    while started.elapsed() < Duration::from_secs(120) {
        if let Some(c) = counts(&crashed) {
            if c.documents >= 300 {
                at_kill = Some(c);
                break;
            }
        }
        if child.try_wait().expect("poll").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("SIGKILL"); // Child::kill sends SIGKILL on Unix
    let _ = child.wait();
    let at_kill = at_kill.expect("the ingest stored documents before the kill");
    let after_kill = counts(&crashed).expect("store readable after the kill");
    assert!(
        after_kill.documents < DOCS as i64,
        "the ingest finished before it could be killed; make the corpus larger"
    );
    assert!(
        after_kill.documents >= at_kill.documents,
        "committed batches survive"
    );
    // whole documents or none: each stored document has its index row and events
    assert_eq!(after_kill.indexed, after_kill.documents);
    let per_doc: Vec<i64> = FIXTURE
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str::<DocV1>(l)
                .map(|d| d.events.len() as i64)
                .unwrap_or(0)
        })
        .collect();
    let want_events: i64 = (0..after_kill.documents as usize)
        .map(|i| per_doc[i % per_doc.len()])
        .sum();
    assert_eq!(
        after_kill.events, want_events,
        "every committed document has all its events"
    );

    wait_ok(ingest(&crashed, &file));
    let got = counts(&crashed).expect("counts after re-run");
    assert_eq!(got, want, "re-run after a kill equals a clean ingest");
    // and a third run changes nothing
    wait_ok(ingest(&crashed, &file));
    assert_eq!(counts(&crashed).expect("counts"), want);
}
