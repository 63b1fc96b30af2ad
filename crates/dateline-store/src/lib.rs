//! The embedded store of dateline.
//!
//! Design choice: one SQLite file (bundled SQLite, WAL mode) holds every
//! layer of the `dateline.doc/v1` contract in plain relational tables
//! (documents, entities, per-document entities, mentions, timexes,
//! quantities, events), with an FTS5 index over titles and texts. SQLite is
//! embedded, needs no server, survives `kill -9` (a committed transaction is
//! in the WAL before `COMMIT` returns) and is read by every tool a researcher
//! already has. Documents are keyed by their content id, so ingesting is
//! idempotent: a document already present is skipped whole, and a batch is
//! one transaction, so an interrupted run leaves whole documents or none.
//!
//! The store takes and gives back [`DocV1`] values (the wire form); the text
//! is stored once, in `docs.text`, and the other layers as JSON beside it,
//! so a document comes back exactly as it went in.
//!
//! Schema changes are numbered migrations recorded in `PRAGMA user_version`.

mod insert;
mod meta;
mod query;
mod schema;
mod snippet;
mod text;

pub use insert::BatchStats;
pub use query::{
    Counts, DocFilter, DocSummary, EntityRow, EventFilter, EventRow, Graph, GraphEdge, GraphNode,
    SearchHit, SearchPage, SearchQuery, TimelineGroup, TimelineRow, MARK_END, MARK_START,
    MAX_LIMIT,
};
pub use text::{day_of, fts_query, normalize};

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The database file inside a data folder.
pub const DB_FILE: &str = "dateline.sqlite";

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the store has schema version {found}, this program knows up to {known}: upgrade dateline"
    )]
    SchemaTooNew { found: i64, known: i64 },
    #[error("no store at {0} (run `dateline ingest` first)")]
    NoStore(PathBuf),
    #[error("the query took longer than its time limit and was stopped")]
    Timeout,
    #[error("bad query: {0}")]
    BadQuery(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// A handle on the store: one SQLite connection. Open one per thread.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    deadline: Option<Instant>,
    /// Day and language of every document, for filtered searches: the
    /// table shared with other connections, and the version this one reads.
    meta: DocTable,
    current: meta::CurrentMeta,
    /// Documents stored through this handle since the last checkpoint.
    inserted: usize,
}

/// See [`Store::checkpoint`].
pub const OPTIMIZE_AFTER: usize = 1000;

/// The in-memory table of document days and languages that filtered
/// searches use, shared by the connections opened with it
/// ([`Store::open_read_only_with`]) so that it is loaded once per process.
#[derive(Clone, Default)]
pub struct DocTable(meta::SharedMeta);

impl Store {
    /// Opens (creating it if needed) the store in data folder `dir`, for
    /// reading and writing, and brings its schema up to date.
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(DB_FILE);
        let conn = Connection::open(&path)?;
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // In WAL mode NORMAL never corrupts and never loses a committed
        // transaction when the process dies; only an OS crash or power cut
        // may drop the last commits.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "cache_size", -65536)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        let mut store = Store {
            conn,
            path,
            deadline: None,
            meta: DocTable::default(),
            current: Default::default(),
            inserted: 0,
        };
        schema::migrate(&mut store.conn)?;
        meta::register(&store.conn, &store.current)?;
        Ok(store)
    }

    /// Opens an existing store read-only (queries, the HTTP server).
    pub fn open_read_only(dir: &Path) -> Result<Store> {
        Store::open_read_only_with(dir, &DocTable::default())
    }

    /// Opens an existing store read-only, sharing `table` with the other
    /// connections opened with it (a pool of readers).
    pub fn open_read_only_with(dir: &Path, table: &DocTable) -> Result<Store> {
        let path = dir.join(DB_FILE);
        if !path.is_file() {
            return Err(Error::NoStore(dir.to_path_buf()));
        }
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(5))?;
        // participant filters put entity ids in the SQL text: keep more
        // statements prepared
        conn.set_prepared_statement_cache_capacity(64);
        conn.pragma_update(None, "query_only", true)?;
        conn.pragma_update(None, "cache_size", -16384)?;
        conn.pragma_update(None, "mmap_size", 4_294_967_296i64)?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let known = schema::version();
        if version > known {
            return Err(Error::SchemaTooNew {
                found: version,
                known,
            });
        }
        if version == 0 {
            // created but not yet set up by its writer
            return Err(Error::NoStore(dir.to_path_buf()));
        }
        if version < known {
            // an older store: let a writer migrate it once
            drop(conn);
            drop(Store::open(dir)?);
            return Store::open_read_only_with(dir, table);
        }
        let current = meta::CurrentMeta::default();
        meta::register(&conn, &current)?;
        Ok(Store {
            conn,
            path,
            deadline: None,
            meta: table.clone(),
            current,
            inserted: 0,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Bytes on disk: the database, its WAL and shared-memory files.
    pub fn size_bytes(&self) -> u64 {
        let mut total = 0;
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.path.clone().into_os_string();
            p.push(suffix);
            if let Ok(m) = std::fs::metadata(PathBuf::from(p)) {
                total += m.len();
            }
        }
        total
    }

    /// Limits how long each following query may run (`None`: no limit).
    /// A query past its limit fails with [`Error::Timeout`].
    pub fn set_time_limit(&mut self, limit: Option<Duration>) {
        match limit {
            Some(d) => {
                let deadline = Instant::now() + d;
                self.deadline = Some(deadline);
                self.conn
                    .progress_handler(2000, Some(move || Instant::now() > deadline));
            }
            None => {
                self.deadline = None;
                self.conn.progress_handler(0, None::<fn() -> bool>);
            }
        }
    }

    /// Turns an interrupted query into [`Error::Timeout`].
    fn classify(&self, e: rusqlite::Error) -> Error {
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            if f.code == rusqlite::ErrorCode::OperationInterrupted {
                return Error::Timeout;
            }
        }
        Error::Sqlite(e)
    }

    /// Writes the WAL back into the database file and lets SQLite refresh
    /// its planner statistics; called at the end of an ingest. When this
    /// handle stored at least [`OPTIMIZE_AFTER`] documents and a tenth of the
    /// store, the full-text index is first merged into one segment
    /// ([`Store::optimize_index`]; 100,000 documents: 3 s, searches then
    /// read one segment per term instead of several).
    pub fn checkpoint(&mut self) -> Result<()> {
        if self.inserted >= OPTIMIZE_AFTER {
            let docs: i64 = self
                .conn
                .query_row("SELECT count(*) FROM docs", [], |r| r.get(0))?;
            if self.inserted as i64 * 10 >= docs {
                self.optimize_index()?;
            }
            self.inserted = 0;
        }
        self.conn.execute_batch("PRAGMA optimize;")?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Loads what filtered searches need (the table of document days and
    /// languages, see [`DocTable`]) now rather than at the first of them.
    pub fn warm_up(&self) -> Result<()> {
        let _snapshot = self.conn.unchecked_transaction()?;
        meta::refresh(&self.conn, &self.meta.0, &self.current)
    }

    /// Merges the full-text index into one segment (faster searches after a
    /// large ingest).
    pub fn optimize_index(&self) -> Result<()> {
        self.conn
            .execute("INSERT INTO docs_fts(docs_fts) VALUES('optimize')", [])?;
        Ok(())
    }
}
