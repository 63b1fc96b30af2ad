//! Numbered schema migrations, recorded in `PRAGMA user_version`.
//!
//! Migration `i` (0-based) brings a store from version `i` to `i + 1`. Add
//! new migrations at the end; never edit one that has shipped.

use crate::{Error, Result};
use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    // 1: every layer of dateline.doc/v1
    r#"
CREATE TABLE docs (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,          -- content id of the document
    date TEXT,                        -- publication date as in the document
    day TEXT,                         -- YYYY-MM-DD of `date`, when it has one
    lang TEXT,
    title TEXT NOT NULL,
    source TEXT NOT NULL,             -- URL, else path
    format TEXT NOT NULL,
    text TEXT NOT NULL,               -- cleaned text (spans index it in code points)
    layers TEXT NOT NULL,             -- the rest of the DocV1 object, as JSON
    n_entities INTEGER NOT NULL,
    n_events INTEGER NOT NULL,
    ingested_at INTEGER NOT NULL      -- Unix seconds
);
CREATE INDEX docs_day ON docs(day);
CREATE INDEX docs_lang ON docs(lang, day);

CREATE VIRTUAL TABLE docs_fts USING fts5(
    title, text,
    content='docs', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2'
);

-- One real-world entity across documents: keyed by Wikidata QID when linked,
-- else by type and normalised name.
CREATE TABLE entities (
    rowid INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    norm TEXT NOT NULL,               -- lower case, no accents
    type TEXT NOT NULL,
    qid TEXT,
    code TEXT
);
CREATE INDEX entities_norm ON entities(norm);
CREATE INDEX entities_qid ON entities(qid);

-- Every name an entity goes by in some document ("South Korea", "Corea del Sur").
CREATE TABLE entity_names (
    norm TEXT NOT NULL,
    entity INTEGER NOT NULL,
    PRIMARY KEY (norm, entity)
) WITHOUT ROWID;

-- An entity as it appears in one document (its local id, name and roles there).
CREATE TABLE doc_entities (
    doc INTEGER NOT NULL,
    local_id TEXT NOT NULL,
    entity INTEGER NOT NULL,
    name TEXT NOT NULL,
    roles TEXT NOT NULL,              -- JSON array
    n_mentions INTEGER NOT NULL,
    PRIMARY KEY (doc, local_id)
) WITHOUT ROWID;
CREATE INDEX doc_entities_entity ON doc_entities(entity, doc);

CREATE TABLE mentions (
    doc INTEGER NOT NULL,
    entity INTEGER NOT NULL,
    start INTEGER NOT NULL,           -- code points into docs.text
    end INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX mentions_doc ON mentions(doc);
CREATE INDEX mentions_entity ON mentions(entity);

CREATE TABLE timexes (
    doc INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    type TEXT NOT NULL,
    value TEXT NOT NULL,
    mod TEXT
);
CREATE INDEX timexes_doc ON timexes(doc);
CREATE INDEX timexes_value ON timexes(value);

CREATE TABLE quantities (
    doc INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    value REAL,
    approx INTEGER NOT NULL,
    unit TEXT
);
CREATE INDEX quantities_doc ON quantities(doc);

CREATE TABLE events (
    rowid INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL,
    idx INTEGER NOT NULL,             -- position in the document's events
    type TEXT NOT NULL,               -- PLOVER
    mode TEXT,
    cameo TEXT,
    quad INTEGER,
    actor_entity INTEGER,             -- entities.rowid
    actor_name TEXT,                  -- entity name, else the actor code
    actor_norm TEXT,
    actor_code TEXT,
    actor_qid TEXT,
    recipient_entity INTEGER,
    recipient_name TEXT,
    recipient_norm TEXT,
    recipient_code TEXT,
    recipient_qid TEXT,
    date TEXT,                        -- as in the event
    day TEXT,                         -- YYYY-MM-DD: the event's date, else the document's
    location TEXT,
    modality TEXT NOT NULL,
    attribution TEXT NOT NULL,        -- JSON array
    attributed_to TEXT,               -- first attribution: entity name, else its text
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    sentence TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    trigger_start INTEGER NOT NULL,
    trigger_end INTEGER NOT NULL,
    trigger TEXT NOT NULL,
    confidence REAL NOT NULL,
    lang TEXT,
    source TEXT NOT NULL,
    UNIQUE (doc, idx)
);
CREATE INDEX events_day ON events(day);
CREATE INDEX events_actor_entity ON events(actor_entity, day);
CREATE INDEX events_recipient_entity ON events(recipient_entity, day);
CREATE INDEX events_actor_code ON events(actor_code, recipient_code, day);
CREATE INDEX events_recipient_code ON events(recipient_code, actor_code, day);
CREATE INDEX events_type ON events(type, day);
"#,
];

/// The schema version this program writes.
pub fn version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Applies the migrations the store lacks, each in its own transaction.
/// Each step takes the write lock first and re-reads the version, so two
/// processes opening a new store at once do not both run it.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let known = version();
    for (i, sql) in MIGRATIONS.iter().enumerate() {
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > known {
            return Err(Error::SchemaTooNew { found, known });
        }
        if found > i as i64 {
            continue;
        }
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let found: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found <= i as i64 {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        tx.commit()?;
    }
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > known {
        return Err(Error::SchemaTooNew { found, known });
    }
    Ok(())
}
