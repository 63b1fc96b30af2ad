//! The day and language of every document, kept in memory by each
//! connection, so that a filtered search tests each full-text match without
//! reading its row from `docs` (rows of several kilobytes, one page or more
//! each: testing 20,000 matches that way cost tens of milliseconds).
//!
//! The table is shared by the connections of a process that are opened
//! with the same [`crate::DocTable`] (the server's pool loads it once); each
//! connection reads the version it last brought up to date.
//!
//! The filter is the SQL function `dateline_doc_ok(rowid, lang, from, to)`,
//! registered on every connection; it answers exactly as
//! `d.lang = lang AND d.day >= from AND d.day <= to` would (NULL arguments
//! are no condition; a document without a day or language fails a condition
//! on it). The table is brought up to date at the start of every filtered
//! search, in the search's read transaction, so it always covers the
//! snapshot the search reads: documents are only ever added, with growing
//! rowids.

use crate::Result;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The name of the SQL filter function.
pub(crate) const DOC_OK: &str = "dateline_doc_ok";

/// Above this many new documents, the table is reloaded from the `docs_lang`
/// index (small, read in order) rather than from the `docs` rows.
const RELOAD_ABOVE: i64 = 2000;

const NO_DAY: [u8; 10] = [0; 10];

#[derive(Default, Clone)]
pub(crate) struct DocMeta {
    /// Highest rowid loaded (0: none).
    loaded_to: i64,
    /// Day of each rowid (`YYYY-MM-DD`); [`NO_DAY`] when none.
    days: Vec<[u8; 10]>,
    /// Days that are not 10 bytes long (not written by this program).
    odd_days: HashMap<i64, Vec<u8>>,
    /// Language of each rowid: an index into `langs` plus one, 0 for none.
    lang_ids: Vec<u16>,
    langs: Vec<Vec<u8>>,
}

/// The table shared by connections (brought up to date under its lock).
pub(crate) type SharedMeta = Arc<Mutex<Arc<DocMeta>>>;

/// The version one connection reads (its own lock, never contended).
pub(crate) type CurrentMeta = Arc<Mutex<Arc<DocMeta>>>;

fn poisoned<T>(_: T) -> rusqlite::Error {
    rusqlite::Error::UserFunctionError("document table lock".into())
}

impl DocMeta {
    fn day(&self, rowid: i64) -> Option<&[u8]> {
        let i = usize::try_from(rowid).ok()?;
        let d = self.days.get(i)?;
        if *d != NO_DAY {
            return Some(d.as_slice());
        }
        self.odd_days.get(&rowid).map(Vec::as_slice)
    }

    fn lang(&self, rowid: i64) -> Option<&[u8]> {
        let i = usize::try_from(rowid).ok()?;
        let id = *self.lang_ids.get(i)?;
        if id == 0 {
            return None;
        }
        self.langs.get(id as usize - 1).map(Vec::as_slice)
    }

    /// Whether document `rowid` passes the filter (byte-wise comparisons,
    /// as SQLite compares TEXT with the BINARY collation).
    fn ok(&self, rowid: i64, lang: Option<&[u8]>, from: Option<&[u8]>, to: Option<&[u8]>) -> bool {
        if let Some(l) = lang {
            if self.lang(rowid) != Some(l) {
                return false;
            }
        }
        if from.is_some() || to.is_some() {
            let Some(day) = self.day(rowid) else {
                return false;
            };
            if from.is_some_and(|f| day < f) || to.is_some_and(|t| day > t) {
                return false;
            }
        }
        true
    }

    fn set(&mut self, rowid: i64, lang: Option<&[u8]>, day: Option<&[u8]>) {
        let Ok(i) = usize::try_from(rowid) else {
            return;
        };
        if self.days.len() <= i {
            self.days.resize(i + 1, NO_DAY);
            self.lang_ids.resize(i + 1, 0);
        }
        match day {
            Some(d) if d.len() == 10 && d != NO_DAY => {
                let mut a = NO_DAY;
                a.copy_from_slice(d);
                self.days[i] = a;
            }
            Some(d) => {
                self.odd_days.insert(rowid, d.to_vec());
            }
            None => {}
        }
        self.lang_ids[i] = match lang {
            None => 0,
            Some(l) => match self.langs.iter().position(|x| x == l) {
                Some(p) => p as u16 + 1,
                None if self.langs.len() < u16::MAX as usize - 1 => {
                    self.langs.push(l.to_vec());
                    self.langs.len() as u16
                }
                // more distinct languages than ids: not expected; such a
                // document then fails every language filter
                None => 0,
            },
        };
    }
}

fn text_arg<'a>(v: ValueRef<'a>) -> Option<&'a [u8]> {
    match v {
        ValueRef::Text(t) => Some(t),
        _ => None,
    }
}

/// Registers [`DOC_OK`] on a connection, reading `current`.
pub(crate) fn register(conn: &Connection, current: &CurrentMeta) -> Result<()> {
    let current = current.clone();
    conn.create_scalar_function(
        DOC_OK,
        4,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY,
        move |ctx| {
            let rowid = ctx.get::<i64>(0)?;
            let m = current.lock().map_err(poisoned)?;
            Ok(m.ok(
                rowid,
                text_arg(ctx.get_raw(1)),
                text_arg(ctx.get_raw(2)),
                text_arg(ctx.get_raw(3)),
            ))
        },
    )?;
    Ok(())
}

/// Loads the documents added since the table was last brought up to date
/// (call inside the read transaction of the query that uses it), and makes
/// that version the one `current` reads.
pub(crate) fn refresh(conn: &Connection, shared: &SharedMeta, current: &CurrentMeta) -> Result<()> {
    let max: i64 = conn
        .prepare_cached("SELECT coalesce(max(rowid), 0) FROM docs")?
        .query_row([], |r| r.get(0))?;
    let mut guard = shared.lock().map_err(poisoned)?;
    if max > guard.loaded_to {
        // documents are only added: a connection reading an older snapshot
        // (max below what is loaded) finds all of its documents here too
        let m = Arc::make_mut(&mut guard);
        let sql = if max - m.loaded_to > RELOAD_ABOVE {
            "SELECT rowid, lang, day FROM docs INDEXED BY docs_lang WHERE rowid > ?1"
        } else {
            "SELECT rowid, lang, day FROM docs WHERE rowid > ?1"
        };
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = stmt.query([m.loaded_to])?;
        while let Some(r) = rows.next()? {
            let rowid: i64 = r.get(0)?;
            m.set(rowid, text_arg(r.get_ref(1)?), text_arg(r.get_ref(2)?));
        }
        m.loaded_to = max;
    }
    let latest = guard.clone();
    drop(guard);
    *current.lock().map_err(poisoned)? = latest;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_like_sql() {
        let mut m = DocMeta::default();
        m.set(1, Some(b"es"), Some(b"2025-08-13"));
        m.set(2, Some(b"en"), None);
        m.set(3, None, Some(b"2024-01-01"));
        m.set(5, Some(b"es"), Some(b"2025-8-1"));
        assert!(m.ok(1, Some(b"es"), Some(b"2025-08"), Some(b"2025-08~")));
        assert!(!m.ok(1, Some(b"en"), None, None));
        assert!(!m.ok(1, None, Some(b"2025-09"), None));
        assert!(!m.ok(1, None, None, Some(b"2025-07~")));
        assert!(m.ok(1, None, None, Some(b"2025-08-13")));
        assert!(m.ok(2, Some(b"en"), None, None));
        assert!(!m.ok(2, None, Some(b"2000"), None));
        assert!(!m.ok(3, Some(b"es"), None, None));
        assert!(m.ok(3, None, Some(b"2024"), Some(b"2024~")));
        assert!(!m.ok(4, Some(b"es"), None, None));
        assert!(m.ok(4, None, None, None));
        assert!(m.ok(5, None, Some(b"2025-8"), None));
        assert!(!m.ok(-1, Some(b"es"), None, None));
    }
}
