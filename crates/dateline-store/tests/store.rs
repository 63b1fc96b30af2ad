//! The store on documents with every layer (tests/fixtures/store/events-v1.jsonl,
//! text written for the tests).

use dateline_core::json::DocV1;
use dateline_store::{DocFilter, Error, EventFilter, SearchQuery, Store, TimelineGroup, DB_FILE};
use std::time::Duration;

const FIXTURE: &str = include_str!("../../../tests/fixtures/store/events-v1.jsonl");

fn fixture() -> Vec<DocV1> {
    FIXTURE
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("fixture line is DocV1"))
        .collect()
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = Store::open(dir.path()).expect("open store");
    let stats = s.insert_batch(&fixture()).expect("insert");
    assert_eq!(stats.inserted, 3);
    (dir, s)
}

fn search(s: &Store, q: &str) -> Vec<String> {
    s.search(&SearchQuery {
        q: q.to_string(),
        limit: 10,
        ..SearchQuery::default()
    })
    .expect("search")
    .hits
    .into_iter()
    .map(|h| h.title)
    .collect()
}

fn events(s: &Store, f: EventFilter) -> Vec<String> {
    s.events(&f, 100, 0)
        .expect("events")
        .into_iter()
        .map(|e| e.trigger)
        .collect()
}

#[test]
fn counts_and_idempotence() {
    let (_dir, mut s) = store();
    let c = s.counts().expect("counts");
    assert_eq!(c.documents, 3);
    assert_eq!(c.indexed, 3);
    assert_eq!(c.events, 10);
    assert_eq!(c.timexes, 7);
    assert_eq!(c.quantities, 2);
    // Putin, Kim, Kremlin appear in several documents but are one entity each
    assert_eq!(c.doc_entities, 14);
    // "South Korea" and "Corea del Sur" share a QID: one entity
    assert_eq!(c.entities, 9);
    assert_eq!(c.mentions, 18);
    let again = s.insert_batch(&fixture()).expect("re-insert");
    assert_eq!(again.inserted, 0);
    assert_eq!(again.skipped, 3);
    assert_eq!(again.events, 0);
    assert_eq!(s.counts().expect("counts"), c);
}

#[test]
fn documents_come_back_whole() {
    let (_dir, s) = store();
    for d in fixture() {
        let back = s.document(&d.id).expect("read").expect("present");
        assert_eq!(back, d);
    }
    assert!(s.document("nope").expect("read").is_none());
    let list = s.documents(&DocFilter::default(), 10, 0).expect("list");
    assert_eq!(list.len(), 3);
    assert_eq!(list[0].date.as_deref(), Some("2025-08-20"), "newest first");
    let es = s
        .documents(
            &DocFilter {
                lang: Some("es".into()),
                ..DocFilter::default()
            },
            10,
            0,
        )
        .expect("list");
    assert_eq!(es.len(), 2);
}

#[test]
fn search_is_accent_and_case_insensitive() {
    let (_dir, s) = store();
    assert_eq!(search(&s, "Putin").len(), 3);
    assert_eq!(search(&s, "PUTÍN").len(), 3);
    assert_eq!(
        search(&s, "volodimir"),
        vec!["Zelenski pide más ayuda militar a la Unión Europea"]
    );
    assert_eq!(search(&s, "union europea").len(), 1);
    assert_eq!(search(&s, "\"defence pact\"").len(), 1);
    assert_eq!(search(&s, "Putin -Zelenski").len(), 2);
    assert_eq!(search(&s, "Zelenski OR Pyongyang").len(), 2);
    assert_eq!(search(&s, "sanc*").len(), 1);
    assert!(search(&s, "Ouagadougou").is_empty());
    // the title weighs more than the body
    assert_eq!(
        search(&s, "Kim")[0],
        "Kim Jong Un advierte a Corea del Sur tras las maniobras"
    );
    let page = s
        .search(&SearchQuery {
            q: "Putin".into(),
            filter: DocFilter {
                lang: Some("es".into()),
                from: Some("2025-08-16".into()),
                ..DocFilter::default()
            },
            limit: 10,
            offset: 0,
        })
        .expect("search");
    assert_eq!(page.total, 1);
    assert!(page.hits[0].snippet.contains("\u{E000}Putin\u{E001}"));
    for bad in ["", "  \"\" ", "*", "OR", "-"] {
        let r = s.search(&SearchQuery {
            q: bad.into(),
            limit: 10,
            ..SearchQuery::default()
        });
        assert!(matches!(r, Err(Error::BadQuery(_))), "{bad:?}");
    }
    // syntax FTS5 would reject is quoted, never an error
    assert!(search(&s, "NEAR( AND \"x").is_empty());
}

#[test]
fn event_filters() {
    let (_dir, s) = store();
    let all = events(&s, EventFilter::default());
    assert_eq!(all.len(), 10);
    let f = |build: fn(&mut EventFilter)| {
        let mut f = EventFilter::default();
        build(&mut f);
        events(&s, f)
    };
    assert_eq!(f(|f| f.actor = Some("putin".into())).len(), 4);
    assert_eq!(f(|f| f.actor = Some("Vladímir".into())).len(), 4);
    assert_eq!(f(|f| f.actor = Some("Q7747".into())).len(), 4);
    assert_eq!(f(|f| f.actor = Some("RUS".into())).len(), 4, "code prefix");
    assert_eq!(f(|f| f.recipient = Some("putin".into())).len(), 2);
    assert_eq!(f(|f| f.either = Some("putin".into())).len(), 6);
    assert_eq!(
        f(|f| {
            f.actor = Some("putin".into());
            f.recipient = Some("kim".into())
        }),
        vec!["signed", "met"]
    );
    assert_eq!(f(|f| f.etype = Some("consult".into())).len(), 3);
    assert_eq!(f(|f| f.etype = Some("04".into())).len(), 3, "CAMEO prefix");
    assert_eq!(f(|f| f.quad = Some(4)), vec!["lance", "aprobará"]);
    assert_eq!(
        f(|f| f.modality = Some("negated".into())),
        vec!["no se reunió"]
    );
    assert_eq!(f(|f| f.lang = Some("en".into())).len(), 4);
    assert_eq!(f(|f| f.source = Some("kim-advierte".into())).len(), 3);
    assert_eq!(
        f(|f| {
            f.from = Some("2025-08-15".into());
            f.to = Some("2025-08-15".into())
        })
        .len(),
        4
    );
    assert_eq!(
        f(|f| f.to = Some("2025-08".into())).len(),
        10,
        "month prefix"
    );
    // the event's own month-only date falls back to the document's day
    let neg = s
        .events(
            &EventFilter {
                modality: Some("negated".into()),
                ..EventFilter::default()
            },
            10,
            0,
        )
        .expect("events");
    assert_eq!(neg[0].day.as_deref(), Some("2025-08-20"));
    assert_eq!(neg[0].date.as_deref(), Some("2025-08"));
    assert_eq!(neg[0].actor.as_deref(), Some("Kim Jong Un"));
    assert_eq!(neg[0].recipient.as_deref(), Some("Vladimir Putin"));
    assert_eq!(
        neg[0].sentence,
        "Kim no se reunió con Vladimir Putin en agosto."
    );
    let attributed = s
        .events(
            &EventFilter {
                modality: Some("hypothetical".into()),
                ..EventFilter::default()
            },
            10,
            0,
        )
        .expect("events");
    assert_eq!(
        attributed[0].attributed_to.as_deref(),
        Some("Ministerio de Defensa de Ucrania")
    );
    assert_eq!(attributed[0].recipient, None);
    // nothing matches an unknown actor; nothing breaks on odd input
    assert!(f(|f| f.actor = Some("%_*?[".into())).is_empty());
}

#[test]
fn entities_timeline_graph() {
    let (_dir, s) = store();
    let putin = s.entities("putin", 10).expect("entities");
    assert_eq!(putin.len(), 1);
    assert_eq!(putin[0].documents, 3);
    assert_eq!(putin[0].mentions, 4);
    assert_eq!(putin[0].events, 6);
    assert_eq!(putin[0].qid.as_deref(), Some("Q7747"));
    assert_eq!(s.entities("Q884", 10).expect("by qid").len(), 1);
    assert_eq!(
        s.entities("corea", 10).expect("by alias")[0].qid.as_deref(),
        Some("Q884")
    );

    let tl = s
        .timeline(&EventFilter::default(), TimelineGroup::Type)
        .expect("timeline");
    let total: i64 = tl.iter().map(|r| r.count).sum();
    assert_eq!(total, 10);
    assert!(tl
        .iter()
        .any(|r| r.day == "2025-08-14" && r.key == "CONSULT" && r.count == 2));
    let dy = s
        .timeline(&EventFilter::default(), TimelineGroup::Dyad)
        .expect("timeline");
    assert!(dy
        .iter()
        .any(|r| r.key == "Vladimir Putin → Kim Jong Un" && r.count == 2));

    let g = s.graph(&EventFilter::default(), 100).expect("graph");
    let top = &g.edges[0];
    assert_eq!(
        (top.source.as_str(), top.target.as_str(), top.count),
        ("Vladimir Putin", "Kim Jong Un", 2)
    );
    assert_eq!(top.types, vec!["AGREE", "CONSULT"]);
    // the event without a recipient is no edge
    assert_eq!(g.edges.iter().map(|e| e.count).sum::<i64>(), 9);
    assert!(g.nodes.iter().any(|n| n.id == "Unión Europea"));
}

#[test]
fn time_limit_stops_long_queries() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = Store::open(dir.path()).expect("open");
    let base = fixture();
    let mut many = Vec::new();
    for i in 0..300 {
        for d in &base {
            let mut d = d.clone();
            d.id = format!("{}-{i}", d.id);
            many.push(d);
        }
    }
    s.insert_batch(&many).expect("insert");
    s.set_time_limit(Some(Duration::ZERO));
    let r = s.events(
        &EventFilter {
            source: Some("example".into()),
            ..EventFilter::default()
        },
        1000,
        0,
    );
    assert!(matches!(r, Err(Error::Timeout)), "{r:?}");
    s.set_time_limit(None);
    assert_eq!(s.counts().expect("counts").events, 3000);
}

#[test]
fn schema_versions() {
    let dir = tempfile::tempdir().expect("temp dir");
    drop(Store::open(dir.path()).expect("open"));
    let conn = rusqlite_version(dir.path());
    assert_eq!(conn, 1);
    // a store written by a newer program is refused, not damaged
    let db = dir.path().join(DB_FILE);
    let c = rusqlite::Connection::open(&db).expect("raw open");
    c.pragma_update(None, "user_version", 99).expect("bump");
    drop(c);
    assert!(matches!(
        Store::open(dir.path()),
        Err(Error::SchemaTooNew { found: 99, .. })
    ));
    assert!(matches!(
        Store::open_read_only(dir.path()),
        Err(Error::SchemaTooNew { found: 99, .. })
    ));
    let missing = dir.path().join("nothing-here");
    assert!(matches!(
        Store::open_read_only(&missing),
        Err(Error::NoStore(_))
    ));
}

fn rusqlite_version(dir: &std::path::Path) -> i64 {
    let c = rusqlite::Connection::open(dir.join(DB_FILE)).expect("raw open");
    c.pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version")
}

#[test]
fn large_result_sets_take_the_bounded_paths() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = Store::open(dir.path()).expect("open");
    let base = fixture();
    let mut many = Vec::new();
    for i in 0..800 {
        for d in &base {
            let mut d = d.clone();
            d.id = format!("{}-{i}", d.id);
            d.date = Some(format!("2024-{:02}-{:02}", 1 + i % 12, 1 + i % 28));
            for e in &mut d.events {
                e.date = None; // the day comes from the varied document date
            }
            many.push(d);
        }
    }
    s.insert_batch(&many).expect("insert");
    // 3,200 events with Putin as actor: walked along the day index
    let evs = s
        .events(
            &EventFilter {
                actor: Some("putin".into()),
                ..EventFilter::default()
            },
            1000,
            0,
        )
        .expect("events");
    assert_eq!(evs.len(), 1000);
    assert!(evs
        .iter()
        .all(|e| e.actor.as_deref() == Some("Vladimir Putin")));
    assert!(evs.windows(2).all(|w| w[0].day >= w[1].day), "newest first");
    assert_eq!(evs[0].day.as_deref(), Some("2024-12-28"));
    // a selective filter goes through the participant index, same answer shape
    let few = s
        .events(
            &EventFilter {
                actor: Some("zelenski".into()),
                from: Some("2024-12".into()),
                ..EventFilter::default()
            },
            1000,
            0,
        )
        .expect("events");
    assert_eq!(few.len(), 66);
    assert!(few.iter().all(|e| e.etype == "REQUEST"));

    // search: ranked within a window, totals exact without filters
    let page = s
        .search(&SearchQuery {
            q: "Putin".into(),
            limit: 20,
            ..SearchQuery::default()
        })
        .expect("search");
    assert_eq!(page.total, 2400);
    assert!(page.total_exact);
    assert_eq!(page.hits.len(), 20);
    assert!(page.hits.iter().all(|h| h.snippet.contains("Putin")));
    let page = s
        .search(&SearchQuery {
            q: "Putin".into(),
            filter: DocFilter {
                lang: Some("es".into()),
                ..DocFilter::default()
            },
            limit: 20,
            offset: 1500,
        })
        .expect("search");
    assert_eq!(page.total, 1000);
    assert!(!page.total_exact, "counted up to the cap");
    assert_eq!(page.hits.len(), 20, "pages past the window still fill");
}

/// Filtered searches (tested in memory) and event pages (chosen from the
/// indexes) give what plain SQL over the same store gives.
#[test]
fn fast_paths_agree_with_plain_sql() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut w = Store::open(dir.path()).expect("open");
    let base = fixture();
    let batch = |from: usize, to: usize| {
        let mut docs = Vec::new();
        for i in from..to {
            for (k, d) in base.iter().enumerate() {
                let mut d = d.clone();
                d.id = format!("{}-{i}", d.id);
                // some documents without a date, some with another language
                d.date = match (i + k) % 7 {
                    0 => None,
                    n => Some(format!(
                        "202{}-{:02}-{:02}",
                        3 + n % 3,
                        1 + i % 12,
                        1 + i % 28
                    )),
                };
                if (i + k) % 5 == 0 {
                    d.lang = Some("fr".into());
                }
                for e in &mut d.events {
                    e.date = None;
                }
                docs.push(d);
            }
        }
        docs
    };
    w.insert_batch(&batch(0, 400)).expect("insert");
    let table = dateline_store::DocTable::default();
    let r = Store::open_read_only_with(dir.path(), &table).expect("reader");
    let r2 = Store::open_read_only_with(dir.path(), &table).expect("second reader");
    let sql = rusqlite::Connection::open(dir.path().join(DB_FILE)).expect("sqlite");
    let check = |s: &Store, q: &str, f: DocFilter| {
        let mut conds = vec!["docs_fts MATCH ?1".to_string()];
        let mut params: Vec<String> = vec![dateline_store::fts_query(q).expect("query")];
        if let Some(l) = &f.lang {
            params.push(l.clone());
            conds.push(format!("d.lang = ?{}", params.len()));
        }
        if let Some(x) = &f.from {
            params.push(x.clone());
            conds.push(format!("d.day >= ?{}", params.len()));
        }
        if let Some(x) = &f.to {
            params.push(format!("{x}~"));
            conds.push(format!("d.day <= ?{}", params.len()));
        }
        let mut want: Vec<String> = sql
            .prepare(&format!(
                "SELECT d.id FROM docs_fts JOIN docs d ON d.rowid = docs_fts.rowid WHERE {}",
                conds.join(" AND ")
            ))
            .expect("prepare")
            .query_map(rusqlite::params_from_iter(params.iter()), |r| r.get(0))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        want.sort();
        let page = s
            .search(&SearchQuery {
                q: q.into(),
                filter: f.clone(),
                limit: 1000,
                offset: 0,
            })
            .expect("search");
        assert!(want.len() <= 1000, "a test set under the count cap");
        assert_eq!(page.total, want.len(), "{q} {f:?}");
        assert!(page.total_exact);
        let mut got: Vec<String> = page.hits.into_iter().map(|h| h.id).collect();
        got.sort();
        assert_eq!(got, want, "{q} {f:?}");
    };
    let f = |lang: Option<&str>, from: Option<&str>, to: Option<&str>| DocFilter {
        lang: lang.map(Into::into),
        from: from.map(Into::into),
        to: to.map(Into::into),
        ..DocFilter::default()
    };
    for (s, q) in [(&r, "Putin"), (&r2, "Corea"), (&r, "Kim -Putin")] {
        check(s, q, f(Some("es"), None, None));
        check(s, q, f(Some("fr"), Some("2024"), None));
        check(s, q, f(None, Some("2024-03"), Some("2024-06")));
        check(s, q, f(None, None, Some("2023-12-31")));
        check(s, q, f(Some("en"), Some("2025-01-15"), Some("2025-02")));
        check(s, q, f(Some("xx"), None, None));
    }
    // documents added later are seen by the readers (and their shared table)
    w.insert_batch(&batch(400, 450)).expect("insert more");
    check(&r, "Putin", f(Some("fr"), None, None));
    check(&r2, "Zelenski", f(None, Some("2025"), None));

    // event pages: the newest-first order of the export path, sliced
    for ef in [
        EventFilter {
            actor: Some("putin".into()),
            ..EventFilter::default()
        },
        EventFilter {
            either: Some("kim".into()),
            from: Some("2024-02".into()),
            ..EventFilter::default()
        },
        EventFilter {
            actor: Some("RUS".into()),
            recipient: Some("PRK".into()),
            ..EventFilter::default()
        },
        EventFilter {
            etype: Some("CONSULT".into()),
            ..EventFilter::default()
        },
    ] {
        let mut all = Vec::new();
        r.for_each_event(&ef, |e| {
            all.push((e.day.clone(), e.event_id));
            Ok(())
        })
        .expect("export");
        all.sort_by(|a, b| b.cmp(a));
        for (limit, offset) in [
            (50, 0),
            (7, 13),
            (1000, 0),
            (10, all.len().saturating_sub(3)),
        ] {
            let got: Vec<(Option<String>, i64)> = r
                .events(&ef, limit, offset)
                .expect("events")
                .into_iter()
                .map(|e| (e.day, e.event_id))
                .collect();
            let want: Vec<_> = all.iter().skip(offset).take(limit).cloned().collect();
            assert_eq!(got, want, "{ef:?} limit {limit} offset {offset}");
        }
    }
}
