//! Reading the store: search, events, entities, documents, timeline, graph.

use crate::snippet::Phrases;
use crate::text::{fts_query, normalize};
use crate::{meta, Error, Result, Store};
use dateline_core::json::DocV1;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Marks around matched words in search snippets (private-use characters,
/// so they never clash with text; callers turn them into markup).
pub const MARK_START: char = '\u{E000}';
pub const MARK_END: char = '\u{E001}';

/// Search ranks among this many most recently ingested matches.
pub const RANK_WINDOW: i64 = 1000;

/// With document filters, search counts matches up to this many.
pub const COUNT_CAP: i64 = 1000;

/// How many rows a list query returns at most.
pub const MAX_LIMIT: usize = 1000;

/// Filters on documents (search and document lists).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DocFilter {
    /// ISO 639-1 code.
    pub lang: Option<String>,
    /// A part of the source URL or path.
    pub source: Option<String>,
    /// First day (YYYY, YYYY-MM or YYYY-MM-DD), inclusive.
    pub from: Option<String>,
    /// Last day (YYYY, YYYY-MM or YYYY-MM-DD), inclusive.
    pub to: Option<String>,
}

/// A full-text search.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub q: String,
    pub filter: DocFilter,
    pub limit: usize,
    pub offset: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub id: String,
    pub title: String,
    pub date: Option<String>,
    pub lang: Option<String>,
    pub source: String,
    /// The best passage, matched words between [`MARK_START`] and [`MARK_END`].
    pub snippet: String,
    /// bm25 score (lower is better, as SQLite gives it).
    pub score: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchPage {
    /// Documents matching (all pages), exact or a lower bound.
    pub total: usize,
    /// Whether `total` is exact (with document filters it is counted up to
    /// [`COUNT_CAP`]).
    pub total_exact: bool,
    pub hits: Vec<SearchHit>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocSummary {
    pub id: String,
    pub title: String,
    pub date: Option<String>,
    pub lang: Option<String>,
    pub source: String,
    pub format: String,
    pub entities: i64,
    pub events: i64,
}

/// Filters on events. Participant filters match an entity name (any part,
/// accents and case ignored), a Wikidata QID, or the start of a CAMEO actor
/// code (`RUS` matches `RUSGOV`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EventFilter {
    pub actor: Option<String>,
    pub recipient: Option<String>,
    /// Actor or recipient.
    pub either: Option<String>,
    /// PLOVER event type (e.g. `CONSULT`), or a CAMEO code prefix (`04`).
    #[serde(rename = "type")]
    pub etype: Option<String>,
    pub quad: Option<u8>,
    pub modality: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub source: Option<String>,
    pub lang: Option<String>,
    /// Only the events of this document id.
    pub doc: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventRow {
    pub event_id: i64,
    pub doc_id: String,
    pub doc_title: String,
    pub doc_date: Option<String>,
    pub index: i64,
    #[serde(rename = "type")]
    pub etype: String,
    pub mode: Option<String>,
    pub cameo: Option<String>,
    pub quad: Option<i64>,
    pub actor: Option<String>,
    pub actor_code: Option<String>,
    pub actor_qid: Option<String>,
    pub recipient: Option<String>,
    pub recipient_code: Option<String>,
    pub recipient_qid: Option<String>,
    pub date: Option<String>,
    pub day: Option<String>,
    pub location: Option<String>,
    pub modality: String,
    pub attributed_to: Option<String>,
    pub attribution: serde_json::Value,
    pub sentence: String,
    pub sentence_span: [i64; 2],
    pub span: [i64; 2],
    pub trigger: String,
    pub trigger_span: [i64; 2],
    pub confidence: f64,
    pub lang: Option<String>,
    pub source: String,
    /// Unix seconds the document was ingested.
    pub ingested_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntityRow {
    pub id: i64,
    pub name: String,
    #[serde(rename = "type")]
    pub etype: String,
    pub qid: Option<String>,
    pub code: Option<String>,
    /// Documents that mention it.
    pub documents: i64,
    pub mentions: i64,
    /// Events with it as actor or recipient.
    pub events: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum TimelineGroup {
    #[default]
    Type,
    Dyad,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineRow {
    pub day: String,
    /// Event type, or `actor → recipient`.
    pub key: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct GraphNode {
    pub id: String,
    pub code: Option<String>,
    /// Events it takes part in (in the edges returned).
    pub weight: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct GraphEdge {
    pub source: String,
    pub target: String,
    pub count: i64,
    pub types: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub documents: i64,
    pub entities: i64,
    pub doc_entities: i64,
    pub mentions: i64,
    pub timexes: i64,
    pub quantities: i64,
    pub events: i64,
    /// Rows of the full-text index.
    pub indexed: i64,
}

/// SQL conditions and their parameters, built up together.
#[derive(Default)]
struct Where {
    conds: Vec<String>,
    params: Vec<Value>,
}

impl Where {
    fn push(&mut self, cond: &str, vals: Vec<Value>) {
        // parameters are numbered in order of appearance: rewrite `?` to `?N`
        let mut out = String::new();
        let mut n = self.params.len();
        for c in cond.chars() {
            if c == '?' {
                n += 1;
                out.push_str(&format!("?{n}"));
            } else {
                out.push(c);
            }
        }
        self.conds.push(out);
        self.params.extend(vals);
    }
    fn sql(&self) -> String {
        if self.conds.is_empty() {
            "1".to_string()
        } else {
            self.conds.join(" AND ")
        }
    }
    fn next(&self) -> usize {
        self.params.len() + 1
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

/// The upper bound for an inclusive `to` given as a prefix of a day.
fn day_upper(to: &str) -> String {
    format!("{to}~")
}

fn some(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn doc_where(f: &DocFilter, alias: &str, w: &mut Where) {
    if let Some(l) = some(&f.lang) {
        w.push(&format!("{alias}.lang = ?"), vec![text(l)]);
    }
    if let Some(s) = some(&f.source) {
        w.push(&format!("instr({alias}.source, ?) > 0"), vec![text(s)]);
    }
    if let Some(d) = some(&f.from) {
        w.push(&format!("{alias}.day >= ?"), vec![text(d)]);
    }
    if let Some(d) = some(&f.to) {
        w.push(&format!("{alias}.day <= ?"), vec![text(&day_upper(d))]);
    }
}

/// Characters GLOB treats specially are dropped from a code prefix.
fn code_prefix(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '*' | '?' | '[' | ']'))
        .flat_map(char::to_uppercase)
        .collect()
}

/// Entities a participant filter names: any of their names contains `who`
/// (normalised), or their QID is `who`. At most [`MAX_ENTITY_MATCHES`].
const MAX_ENTITY_MATCHES: i64 = 2000;

/// Above this many matching events, a filtered event list walks the day index.
const DAY_SCAN_ABOVE: i64 = 2000;

fn participant_cond(side: &str, who: &str, ids: &[i64]) -> (String, Vec<Value>) {
    // a participant without an entity is named by its code, which the GLOB
    // matches; an empty IN list would keep SQLite from using the indexes
    let code = vec![text(&format!("{}*", code_prefix(who.trim())))];
    if ids.is_empty() {
        return (format!("{side}_code GLOB ?"), code);
    }
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    (
        format!("({side}_entity IN ({list}) OR {side}_code GLOB ?)"),
        code,
    )
}

fn event_where(f: &EventFilter, ids: &Resolved, w: &mut Where) {
    if let Some(a) = some(&f.actor) {
        let (c, v) = participant_cond("e.actor", a, &ids.actor);
        w.push(&c, v);
    }
    if let Some(r) = some(&f.recipient) {
        let (c, v) = participant_cond("e.recipient", r, &ids.recipient);
        w.push(&c, v);
    }
    if let Some(x) = some(&f.either) {
        let (c1, mut v1) = participant_cond("e.actor", x, &ids.either);
        let (c2, v2) = participant_cond("e.recipient", x, &ids.either);
        v1.extend(v2);
        w.push(&format!("({c1} OR {c2})"), v1);
    }
    if let Some(t) = some(&f.etype) {
        if t.chars().all(|c| c.is_ascii_digit()) {
            w.push("e.cameo GLOB ?", vec![text(&format!("{t}*"))]);
        } else {
            w.push("e.type = ?", vec![text(&t.to_uppercase())]);
        }
    }
    if let Some(q) = f.quad {
        w.push("e.quad = ?", vec![Value::Integer(q as i64)]);
    }
    if let Some(m) = some(&f.modality) {
        w.push("e.modality = ?", vec![text(&m.to_lowercase())]);
    }
    if let Some(d) = some(&f.from) {
        w.push("e.day >= ?", vec![text(d)]);
    }
    if let Some(d) = some(&f.to) {
        w.push("e.day <= ?", vec![text(&day_upper(d))]);
    }
    if let Some(s) = some(&f.source) {
        w.push("instr(e.source, ?) > 0", vec![text(s)]);
    }
    if let Some(l) = some(&f.lang) {
        w.push("e.lang = ?", vec![text(l)]);
    }
    if let Some(id) = some(&f.doc) {
        w.push(
            "e.doc = (SELECT rowid FROM docs WHERE id = ?)",
            vec![text(id)],
        );
    }
}

/// Entity ids of the participant filters, looked up once per query.
#[derive(Default)]
struct Resolved {
    actor: Vec<i64>,
    recipient: Vec<i64>,
    either: Vec<i64>,
}

impl Resolved {
    fn any(&self, f: &EventFilter) -> bool {
        some(&f.actor).is_some() || some(&f.recipient).is_some() || some(&f.either).is_some()
    }
}

const EVENT_COLUMNS: &str =
    "e.rowid, d.id, d.title, d.date, e.idx, e.type, e.mode, e.cameo, e.quad,
    e.actor_name, e.actor_code, e.actor_qid, e.recipient_name, e.recipient_code, e.recipient_qid,
    e.date, e.day, e.location, e.modality, e.attributed_to, e.attribution, e.sentence,
    e.sentence_start, e.sentence_end, e.span_start, e.span_end, e.trigger, e.trigger_start,
    e.trigger_end, e.confidence, e.lang, e.source, d.ingested_at";

fn event_row(r: &Row) -> rusqlite::Result<EventRow> {
    let attribution: String = r.get(20)?;
    Ok(EventRow {
        event_id: r.get(0)?,
        doc_id: r.get(1)?,
        doc_title: r.get(2)?,
        doc_date: r.get(3)?,
        index: r.get(4)?,
        etype: r.get(5)?,
        mode: r.get(6)?,
        cameo: r.get(7)?,
        quad: r.get(8)?,
        actor: r.get(9)?,
        actor_code: r.get(10)?,
        actor_qid: r.get(11)?,
        recipient: r.get(12)?,
        recipient_code: r.get(13)?,
        recipient_qid: r.get(14)?,
        date: r.get(15)?,
        day: r.get(16)?,
        location: r.get(17)?,
        modality: r.get(18)?,
        attributed_to: r.get(19)?,
        attribution: serde_json::from_str(&attribution).unwrap_or(serde_json::Value::Null),
        sentence: r.get(21)?,
        sentence_span: [r.get(22)?, r.get(23)?],
        span: [r.get(24)?, r.get(25)?],
        trigger: r.get(26)?,
        trigger_span: [r.get(27)?, r.get(28)?],
        confidence: r.get(29)?,
        lang: r.get(30)?,
        source: r.get(31)?,
        ingested_at: r.get(32)?,
    })
}

impl Store {
    fn entity_ids(&self, who: Option<&str>) -> Result<Vec<i64>> {
        let Some(who) = who else {
            return Ok(Vec::new());
        };
        let norm = normalize(who);
        let like = format!(
            "%{}%",
            norm.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let ids = self
            .conn
            .prepare_cached(
                "SELECT entity FROM entity_names WHERE norm LIKE ?1 ESCAPE '\\'
                 UNION SELECT rowid FROM entities WHERE qid = ?2 LIMIT ?3",
            )?
            .query_map(
                rusqlite::params![like, who.trim(), MAX_ENTITY_MATCHES],
                |r| r.get(0),
            )?
            .collect::<rusqlite::Result<Vec<i64>>>()
            .map_err(|e| self.classify(e))?;
        Ok(ids)
    }

    fn resolve(&self, f: &EventFilter) -> Result<Resolved> {
        Ok(Resolved {
            actor: self.entity_ids(some(&f.actor))?,
            recipient: self.entity_ids(some(&f.recipient))?,
            either: self.entity_ids(some(&f.either))?,
        })
    }

    /// Row counts of every table.
    pub fn counts(&self) -> Result<Counts> {
        let n = |t: &str| -> Result<i64> {
            Ok(self
                .conn
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?)
        };
        Ok(Counts {
            documents: n("docs")?,
            entities: n("entities")?,
            doc_entities: n("doc_entities")?,
            mentions: n("mentions")?,
            timexes: n("timexes")?,
            quantities: n("quantities")?,
            events: n("events")?,
            indexed: n("docs_fts_docsize")?,
        })
    }

    /// Full-text search, best matches first.
    ///
    /// Bounded work: relevance (bm25) is computed among the
    /// [`RANK_WINDOW`] most recently ingested matching documents (or as many
    /// as the page asks for), so a word found in half the archive costs no
    /// more than a rare one; with document filters the total is counted up
    /// to [`COUNT_CAP`] (`total_exact` says whether it was reached).
    pub fn search(&self, q: &SearchQuery) -> Result<SearchPage> {
        let Some(expr) = fts_query(&q.q) else {
            return Err(Error::BadQuery(
                "the query has no word to search for".to_string(),
            ));
        };
        // one read transaction: every statement below sees the same snapshot
        let _snapshot = self.conn.unchecked_transaction()?;
        let mut w = Where::default();
        w.push("docs_fts MATCH ?", vec![text(&expr)]);
        let f = &q.filter;
        let (lang, from, to) = (some(&f.lang), some(&f.from), some(&f.to));
        if lang.is_some() || from.is_some() || to.is_some() {
            // day and language are tested in memory (see meta.rs), not by
            // reading each match's row in `docs`
            meta::refresh(&self.conn, &self.meta.0, &self.current)?;
            let opt = |s: Option<String>| s.map(Value::Text).unwrap_or(Value::Null);
            w.push(
                &format!("{}(docs_fts.rowid, ?, ?, ?)", meta::DOC_OK),
                vec![
                    opt(lang.map(str::to_string)),
                    opt(from.map(str::to_string)),
                    opt(to.map(day_upper)),
                ],
            );
        }
        let source = some(&f.source);
        if let Some(s) = source {
            w.push("instr(d.source, ?) > 0", vec![text(s)]);
        }
        let filtered = w.conds.len() > 1;
        let from = if source.is_some() {
            "docs_fts JOIN docs d ON d.rowid = docs_fts.rowid"
        } else {
            "docs_fts"
        };
        let (total, total_exact): (i64, bool) = if filtered {
            let n: i64 = self
                .conn
                .prepare_cached(&format!(
                    "SELECT count(*) FROM (SELECT 1 FROM {from} WHERE {} LIMIT {})",
                    w.sql(),
                    COUNT_CAP + 1
                ))?
                .query_row(params_from_iter(w.params.iter()), |r| r.get(0))
                .map_err(|e| self.classify(e))?;
            (n.min(COUNT_CAP), n <= COUNT_CAP)
        } else {
            let n = self
                .conn
                .prepare_cached(&format!("SELECT count(*) FROM {from} WHERE {}", w.sql()))?
                .query_row(params_from_iter(w.params.iter()), |r| r.get(0))
                .map_err(|e| self.classify(e))?;
            (n, true)
        };
        if total == 0 || (total_exact && q.offset as i64 >= total) {
            return Ok(SearchPage {
                total: total.max(0) as usize,
                total_exact,
                hits: Vec::new(),
            });
        }
        let limit = q.limit.clamp(1, MAX_LIMIT);
        let window = (q.offset + limit).max(RANK_WINDOW as usize) as i64;
        if total > window || !total_exact {
            let oldest: Option<i64> = self
                .conn
                .prepare_cached(&format!(
                    "SELECT docs_fts.rowid FROM {from} WHERE {} ORDER BY docs_fts.rowid DESC
                     LIMIT 1 OFFSET {}",
                    w.sql(),
                    window - 1
                ))?
                .query_row(params_from_iter(w.params.iter()), |r| r.get(0))
                .optional()
                .map_err(|e| self.classify(e))?;
            if let Some(o) = oldest {
                w.push("docs_fts.rowid >= ?", vec![Value::Integer(o)]);
            }
        }
        let n = w.next();
        let sql = format!(
            "SELECT docs_fts.rowid, bm25(docs_fts, 4.0, 1.0) AS score
             FROM {from} WHERE {} ORDER BY score LIMIT ?{n} OFFSET ?{}",
            w.sql(),
            n + 1
        );
        let mut params = w.params.clone();
        params.push(Value::Integer(limit as i64));
        params.push(Value::Integer(q.offset as i64));
        let top: Vec<(i64, f64)> = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params_from_iter(params.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.classify(e))?;
        // snippets only for the page shown, made from the text (snippet.rs)
        let phrases = Phrases::of(&q.q);
        let mut get = self.conn.prepare_cached(
            "SELECT id, title, date, lang, source, text FROM docs WHERE rowid = ?1",
        )?;
        let mut hits = Vec::with_capacity(top.len());
        for (rowid, score) in top {
            let hit = get
                .query_row([rowid], |r| {
                    Ok(SearchHit {
                        id: r.get(0)?,
                        title: r.get(1)?,
                        date: r.get(2)?,
                        lang: r.get(3)?,
                        source: r.get(4)?,
                        snippet: phrases.snippet(r.get_ref(5)?.as_str()?),
                        score,
                    })
                })
                .optional()
                .map_err(|e| self.classify(e))?;
            hits.extend(hit);
        }
        Ok(SearchPage {
            total: total.max(0) as usize,
            total_exact,
            hits,
        })
    }

    /// Events matching a filter, most recent day first.
    pub fn events(&self, f: &EventFilter, limit: usize, offset: usize) -> Result<Vec<EventRow>> {
        let _snapshot = self.conn.unchecked_transaction()?;
        let mut w = Where::default();
        let ids = self.resolve(f)?;
        event_where(f, &ids, &mut w);
        let limit = limit.clamp(1, MAX_LIMIT);
        // A participant filter matching many events is cheapest walking the
        // day index newest first until the page is full; one matching few is
        // cheapest through the participant indexes, sorting what it finds.
        // SQLite cannot know which from its statistics, so look (bounded):
        // when fewer than DAY_SCAN_ABOVE match, that look found them all
        // (day and rowid, from the participant indexes), and the page is
        // taken from them.
        let mut by_day = "";
        if ids.any(f) {
            let mut found: Vec<(Option<String>, i64)> = self
                .conn
                .prepare_cached(&format!(
                    "SELECT e.day, e.rowid FROM events e WHERE {} LIMIT {DAY_SCAN_ABOVE}",
                    w.sql()
                ))?
                .query_map(params_from_iter(w.params.iter()), |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect::<rusqlite::Result<_>>()
                .map_err(|e| self.classify(e))?;
            if (found.len() as i64) < DAY_SCAN_ABOVE {
                // ORDER BY e.day DESC, e.rowid DESC (NULL days last)
                found.sort_unstable_by(|a, b| b.cmp(a));
                let page: Vec<i64> = found.iter().skip(offset).take(limit).map(|x| x.1).collect();
                if page.is_empty() {
                    return Ok(Vec::new());
                }
                let list = serde_json::to_string(&page)?;
                let rows = self
                    .conn
                    .prepare_cached(&format!(
                        "SELECT {EVENT_COLUMNS} FROM events e JOIN docs d ON d.rowid = e.doc
                         WHERE e.rowid IN (SELECT value FROM json_each(?1))
                         ORDER BY e.day DESC, e.rowid DESC"
                    ))?
                    .query_map([list], event_row)?
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .map_err(|e| self.classify(e));
                return rows;
            }
            by_day = "INDEXED BY events_day";
        }
        let n = w.next();
        // the page is chosen on the events alone (often from an index
        // only); only its rows are then read whole and joined to their
        // documents
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM (SELECT e.rowid AS id FROM events e {by_day}
                WHERE {} ORDER BY e.day DESC, e.rowid DESC LIMIT ?{n} OFFSET ?{}) AS page
             JOIN events e ON e.rowid = page.id JOIN docs d ON d.rowid = e.doc
             ORDER BY e.day DESC, e.rowid DESC",
            w.sql(),
            n + 1
        );
        let mut params = w.params;
        params.push(Value::Integer(limit as i64));
        params.push(Value::Integer(offset as i64));
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params_from_iter(params.iter()), event_row)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.classify(e));
        rows
    }

    /// Calls `each` on every event matching a filter, in day order (exports).
    pub fn for_each_event(
        &self,
        f: &EventFilter,
        mut each: impl FnMut(EventRow) -> std::result::Result<(), Box<dyn std::error::Error>>,
    ) -> Result<usize> {
        let mut w = Where::default();
        let ids = self.resolve(f)?;
        event_where(f, &ids, &mut w);
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events e JOIN docs d ON d.rowid = e.doc
             WHERE {} ORDER BY e.day, e.rowid",
            w.sql()
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(params_from_iter(w.params.iter()))?;
        let mut n = 0;
        while let Some(r) = rows.next().map_err(|e| self.classify(e))? {
            let row = event_row(r)?;
            each(row).map_err(|e| Error::BadQuery(format!("writing the export: {e}")))?;
            n += 1;
        }
        Ok(n)
    }

    /// Entities whose name contains `name` (accents and case ignored), or
    /// whose QID or code is `name`; most mentioned first.
    pub fn entities(&self, name: &str, limit: usize) -> Result<Vec<EntityRow>> {
        let norm = normalize(name);
        let like = format!(
            "%{}%",
            norm.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let sql = "SELECT x.rowid, x.name, x.type, x.qid, x.code,
                (SELECT count(*) FROM doc_entities de WHERE de.entity = x.rowid),
                (SELECT coalesce(sum(n_mentions), 0) FROM doc_entities de WHERE de.entity = x.rowid),
                (SELECT count(*) FROM events e WHERE e.actor_entity = x.rowid)
                  + (SELECT count(*) FROM events e WHERE e.recipient_entity = x.rowid) AS evs
             FROM entities x
             WHERE x.rowid IN (SELECT entity FROM entity_names WHERE norm LIKE ?1 ESCAPE '\\')
                OR x.qid = ?2 OR x.code = ?3
             ORDER BY 7 DESC, x.name LIMIT ?4";
        let rows = self
            .conn
            .prepare_cached(sql)?
            .query_map(
                rusqlite::params![
                    like,
                    name.trim(),
                    name.trim().to_uppercase(),
                    limit.clamp(1, MAX_LIMIT) as i64
                ],
                |r| {
                    Ok(EntityRow {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        etype: r.get(2)?,
                        qid: r.get(3)?,
                        code: r.get(4)?,
                        documents: r.get(5)?,
                        mentions: r.get(6)?,
                        events: r.get(7)?,
                    })
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.classify(e));
        rows
    }

    /// Documents, most recent first.
    pub fn documents(&self, f: &DocFilter, limit: usize, offset: usize) -> Result<Vec<DocSummary>> {
        let mut w = Where::default();
        doc_where(f, "d", &mut w);
        let n = w.next();
        let sql = format!(
            "SELECT d.id, d.title, d.date, d.lang, d.source, d.format, d.n_entities, d.n_events
             FROM docs d WHERE {} ORDER BY d.day DESC, d.rowid DESC LIMIT ?{n} OFFSET ?{}",
            w.sql(),
            n + 1
        );
        let mut params = w.params;
        params.push(Value::Integer(limit.clamp(1, MAX_LIMIT) as i64));
        params.push(Value::Integer(offset as i64));
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params_from_iter(params.iter()), |r| {
                Ok(DocSummary {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    date: r.get(2)?,
                    lang: r.get(3)?,
                    source: r.get(4)?,
                    format: r.get(5)?,
                    entities: r.get(6)?,
                    events: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.classify(e));
        rows
    }

    /// One document with all its layers, as it was ingested.
    pub fn document(&self, id: &str) -> Result<Option<DocV1>> {
        let row: Option<(String, String)> = self
            .conn
            .prepare_cached("SELECT text, layers FROM docs WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(|e| self.classify(e))?;
        let Some((text, layers)) = row else {
            return Ok(None);
        };
        let mut v: serde_json::Value = serde_json::from_str(&layers)?;
        if let Some(o) = v.as_object_mut() {
            o.insert("text".to_string(), serde_json::Value::String(text));
        }
        Ok(Some(serde_json::from_value(v)?))
    }

    /// Events per day, by type or by dyad (actor → recipient).
    pub fn timeline(&self, f: &EventFilter, group: TimelineGroup) -> Result<Vec<TimelineRow>> {
        let mut w = Where::default();
        let ids = self.resolve(f)?;
        event_where(f, &ids, &mut w);
        w.push("e.day IS NOT NULL", vec![]);
        let key = match group {
            TimelineGroup::Type => "e.type",
            TimelineGroup::Dyad => {
                "coalesce(e.actor_name, '?') || ' → ' || coalesce(e.recipient_name, '?')"
            }
        };
        let sql = format!(
            "SELECT e.day, {key} AS k, count(*) FROM events e WHERE {} GROUP BY e.day, k
             ORDER BY e.day, k LIMIT 100000",
            w.sql()
        );
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params_from_iter(w.params.iter()), |r| {
                Ok(TimelineRow {
                    day: r.get(0)?,
                    key: r.get(1)?,
                    count: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.classify(e));
        rows
    }

    /// The actor network: who acts on whom, the `limit` heaviest edges.
    pub fn graph(&self, f: &EventFilter, limit: usize) -> Result<Graph> {
        let mut w = Where::default();
        let ids = self.resolve(f)?;
        event_where(f, &ids, &mut w);
        w.push(
            "e.actor_name IS NOT NULL AND e.recipient_name IS NOT NULL",
            vec![],
        );
        let n = w.next();
        let sql = format!(
            "SELECT e.actor_name, max(e.actor_code), e.recipient_name, max(e.recipient_code),
                    count(*) AS c, group_concat(DISTINCT e.type)
             FROM events e WHERE {} GROUP BY e.actor_name, e.recipient_name
             ORDER BY c DESC, e.actor_name, e.recipient_name LIMIT ?{n}",
            w.sql()
        );
        let mut params = w.params;
        params.push(Value::Integer(limit.clamp(1, MAX_LIMIT) as i64));
        type EdgeRow = (String, Option<String>, String, Option<String>, i64, String);
        let rows: Vec<EdgeRow> = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params_from_iter(params.iter()), |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.classify(e))?;
        let mut nodes: Vec<GraphNode> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut edges = Vec::with_capacity(rows.len());
        for (a, ac, r, rc, count, types) in rows {
            for (name, code) in [(&a, &ac), (&r, &rc)] {
                let i = *index.entry(name.clone()).or_insert_with(|| {
                    nodes.push(GraphNode {
                        id: name.clone(),
                        code: code.clone(),
                        weight: 0,
                    });
                    nodes.len() - 1
                });
                nodes[i].weight += count;
            }
            let mut types: Vec<String> = types.split(',').map(str::to_string).collect();
            types.sort();
            edges.push(GraphEdge {
                source: a,
                target: r,
                count,
                types,
            });
        }
        Ok(Graph { nodes, edges })
    }
}
