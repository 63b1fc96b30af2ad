//! Writing documents: one transaction per batch, idempotent by document id.

use crate::text::{day_of, normalize, CpIndex};
use crate::{Result, Store};
use dateline_core::json::{DocV1, EntityV1};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use std::collections::HashMap;

/// What one [`Store::insert_batch`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BatchStats {
    /// New documents stored.
    pub inserted: usize,
    /// Documents already in the store (same id), left as they were.
    pub skipped: usize,
    pub entities: usize,
    pub mentions: usize,
    pub timexes: usize,
    pub quantities: usize,
    pub events: usize,
}

impl std::ops::AddAssign for BatchStats {
    fn add_assign(&mut self, o: BatchStats) {
        self.inserted += o.inserted;
        self.skipped += o.skipped;
        self.entities += o.entities;
        self.mentions += o.mentions;
        self.timexes += o.timexes;
        self.quantities += o.quantities;
        self.events += o.events;
    }
}

/// The key that makes one entity of many mentions across documents.
fn entity_key(e: &EntityV1) -> String {
    match e.kb.as_ref().and_then(|k| k.qid.as_deref()) {
        Some(q) if !q.is_empty() => format!("Q:{q}"),
        _ => format!("T:{}|{}", e.etype, normalize(&e.name)),
    }
}

impl Store {
    /// Whether a document with this id is stored.
    pub fn has_doc(&self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM docs WHERE id = ?1")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Stores documents in one transaction: all of them or none. Documents
    /// whose id is already stored are skipped.
    pub fn insert_batch(&mut self, docs: &[DocV1]) -> Result<BatchStats> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let tx = self.conn.transaction()?;
        let mut stats = BatchStats::default();
        for doc in docs {
            insert_doc(&tx, doc, now, &mut stats)?;
        }
        tx.commit()?;
        self.inserted += stats.inserted;
        Ok(stats)
    }
}

fn insert_doc(tx: &Transaction, doc: &DocV1, now: i64, stats: &mut BatchStats) -> Result<()> {
    let source = doc
        .source
        .url
        .clone()
        .or_else(|| doc.source.path.clone())
        .unwrap_or_default();
    let mut layers = serde_json::to_value(doc)?;
    if let Some(o) = layers.as_object_mut() {
        o.remove("text");
    }
    let day = doc.date.as_deref().and_then(day_of);
    let changed = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO docs (id, date, day, lang, title, source, format, text, layers,
                n_entities, n_events, ingested_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?
        .execute(params![
            doc.id,
            doc.date,
            day,
            doc.lang,
            doc.title,
            source,
            doc.source.format,
            doc.text,
            serde_json::to_string(&layers)?,
            doc.entities.len() as i64,
            doc.events.len() as i64,
            now
        ])?;
    if changed == 0 {
        stats.skipped += 1;
        return Ok(());
    }
    stats.inserted += 1;
    let rowid = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO docs_fts (rowid, title, text) VALUES (?1, ?2, ?3)")?
        .execute(params![rowid, doc.title, doc.text])?;

    // entities: local id -> (global rowid, name, qid)
    let mut local: HashMap<&str, (i64, String, Option<&str>)> = HashMap::new();
    for e in &doc.entities {
        let key = entity_key(e);
        let qid = e.kb.as_ref().and_then(|k| k.qid.as_deref());
        let code = e.kb.as_ref().and_then(|k| k.code.as_deref());
        let added = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO entities (key, name, norm, type, qid, code)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![key, e.name, normalize(&e.name), e.etype, qid, code])?;
        stats.entities += added;
        // the name an entity was first stored under is its name everywhere
        // (events, graph, timeline), whatever the language of later documents
        let (gid, canonical): (i64, String) = tx
            .prepare_cached("SELECT rowid, name FROM entities WHERE key = ?1")?
            .query_row([&key], |r| Ok((r.get(0)?, r.get(1)?)))?;
        tx.prepare_cached("INSERT OR IGNORE INTO entity_names (norm, entity) VALUES (?1, ?2)")?
            .execute(params![normalize(&e.name), gid])?;
        let fresh = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO doc_entities (doc, local_id, entity, name, roles, n_mentions)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                rowid,
                e.id,
                gid,
                e.name,
                serde_json::to_string(&e.roles)?,
                e.mentions.len() as i64
            ])?;
        if fresh == 0 {
            continue; // a duplicate local id in a malformed document
        }
        local.insert(e.id.as_str(), (gid, canonical, qid));
        let mut ins = tx.prepare_cached(
            "INSERT INTO mentions (doc, entity, start, end, text) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for m in &e.mentions {
            ins.execute(params![
                rowid,
                gid,
                m.span[0] as i64,
                m.span[1] as i64,
                m.text
            ])?;
            stats.mentions += 1;
        }
    }
    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO timexes (doc, start, end, text, type, value, mod)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for t in &doc.timexes {
            ins.execute(params![
                rowid,
                t.span[0] as i64,
                t.span[1] as i64,
                t.text,
                t.ttype,
                t.value,
                t.mod_
            ])?;
            stats.timexes += 1;
        }
    }
    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO quantities (doc, start, end, text, value, approx, unit)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for q in &doc.quantities {
            ins.execute(params![
                rowid,
                q.span[0] as i64,
                q.span[1] as i64,
                q.text,
                q.value,
                q.approx,
                q.unit
            ])?;
            stats.quantities += 1;
        }
    }
    if doc.events.is_empty() {
        return Ok(());
    }
    let ix = CpIndex::new(&doc.text);
    let mut ins = tx.prepare_cached(
        "INSERT OR IGNORE INTO events (doc, idx, type, mode, cameo, quad,
            actor_entity, actor_name, actor_norm, actor_code, actor_qid,
            recipient_entity, recipient_name, recipient_norm, recipient_code, recipient_qid,
            date, day, location, modality, attribution, attributed_to,
            sentence_start, sentence_end, sentence, span_start, span_end,
            trigger_start, trigger_end, trigger, confidence, lang, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
            ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33)",
    )?;
    for (i, ev) in doc.events.iter().enumerate() {
        let who = |p: &dateline_core::doc::Participant| {
            let linked = p.entity.as_deref().and_then(|id| local.get(id));
            let name = linked
                .map(|l| l.1.clone())
                .or_else(|| p.code.clone())
                .filter(|s| !s.is_empty());
            (
                linked.map(|l| l.0),
                name.clone(),
                name.as_deref().map(normalize),
                p.code.clone().filter(|s| !s.is_empty()),
                linked.and_then(|l| l.2.map(str::to_string)),
            )
        };
        let a = who(&ev.actor);
        let r = who(&ev.recipient);
        let day = ev.date.as_deref().and_then(day_of).or_else(|| day.clone());
        let attributed_to = ev.attribution.first().map(|at| {
            at.entity
                .as_deref()
                .and_then(|id| local.get(id))
                .map(|l| l.1.clone())
                .unwrap_or_else(|| at.text.clone())
        });
        stats.events += ins.execute(params![
            rowid,
            i as i64,
            ev.etype,
            ev.mode,
            ev.cameo,
            ev.quad,
            a.0,
            a.1,
            a.2,
            a.3,
            a.4,
            r.0,
            r.1,
            r.2,
            r.3,
            r.4,
            ev.date,
            day,
            ev.location,
            ev.modality,
            serde_json::to_string(&ev.attribution)?,
            attributed_to,
            ev.sentence[0] as i64,
            ev.sentence[1] as i64,
            ix.slice(ev.sentence),
            ev.span[0] as i64,
            ev.span[1] as i64,
            ev.trigger[0] as i64,
            ev.trigger[1] as i64,
            ix.slice(ev.trigger),
            ev.confidence as f64,
            doc.lang,
            source
        ])?;
    }
    Ok(())
}
