//! `dateline search`, `dateline events`, `dateline entities`: queries on the
//! store, as tables on a terminal or JSON (`--json`) for scripts.

use crate::ingest::DEFAULT_DATA;
use anyhow::{Context, Result};
use dateline_store::{DocFilter, EventFilter, SearchQuery, Store, MARK_END, MARK_START};
use std::path::PathBuf;
use std::process::ExitCode;

/// Filters on events, shared by `events`, `export` and the HTTP API.
#[derive(clap::Args, Clone, Default)]
pub struct EventFilterArgs {
    /// Actor: entity name (any part, accents ignored), Wikidata QID or start of a CAMEO code.
    #[arg(long)]
    pub actor: Option<String>,
    /// Recipient, as for --actor.
    #[arg(long)]
    pub recipient: Option<String>,
    /// Actor or recipient, as for --actor.
    #[arg(long)]
    pub either: Option<String>,
    /// PLOVER event type (CONSULT, AGREE ...) or the start of a CAMEO code (04).
    #[arg(long = "type")]
    pub etype: Option<String>,
    /// Quad class: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub quad: Option<u8>,
    /// asserted, future, hypothetical, negated or historical.
    #[arg(long)]
    pub modality: Option<String>,
    /// First day (YYYY, YYYY-MM or YYYY-MM-DD), inclusive.
    #[arg(long)]
    pub from: Option<String>,
    /// Last day (YYYY, YYYY-MM or YYYY-MM-DD), inclusive.
    #[arg(long)]
    pub to: Option<String>,
    /// A part of the source URL or path.
    #[arg(long)]
    pub source: Option<String>,
    /// Language (ISO 639-1).
    #[arg(long)]
    pub lang: Option<String>,
    /// Only the events of this document id.
    #[arg(long)]
    pub doc: Option<String>,
}

impl EventFilterArgs {
    pub fn filter(&self) -> EventFilter {
        EventFilter {
            actor: self.actor.clone(),
            recipient: self.recipient.clone(),
            either: self.either.clone(),
            etype: self.etype.clone(),
            quad: self.quad,
            modality: self.modality.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            source: self.source.clone(),
            lang: self.lang.clone(),
            doc: self.doc.clone(),
        }
    }
}

#[derive(clap::Args)]
pub struct SearchArgs {
    /// Words (all required), "quoted phrases", OR, prefix*, -excluded.
    query: String,
    #[arg(long, default_value = DEFAULT_DATA)]
    data: PathBuf,
    #[arg(long)]
    lang: Option<String>,
    /// A part of the source URL or path.
    #[arg(long)]
    source: Option<String>,
    /// First publication day (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Last publication day.
    #[arg(long)]
    to: Option<String>,
    #[arg(long, default_value_t = 20)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// JSON output: {"total": N, "hits": [...]}.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct EventsArgs {
    #[command(flatten)]
    filter: EventFilterArgs,
    #[arg(long, default_value = DEFAULT_DATA)]
    data: PathBuf,
    #[arg(long, default_value_t = 50)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// JSON output: an array of events.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct EntitiesArgs {
    /// A part of the name (accents and case ignored), a Wikidata QID or a code.
    name: String,
    #[arg(long, default_value = DEFAULT_DATA)]
    data: PathBuf,
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// JSON output: an array of entities.
    #[arg(long)]
    json: bool,
}

fn open(data: &std::path::Path) -> Result<Store> {
    Store::open_read_only(data).with_context(|| format!("opening the store in {}", data.display()))
}

/// A store error that is the user's doing (bad query) exits with 2.
fn query_error(e: dateline_store::Error) -> Result<ExitCode> {
    match e {
        dateline_store::Error::BadQuery(m) => {
            eprintln!("dateline: error: {m}");
            Ok(ExitCode::from(2))
        }
        e => Err(e.into()),
    }
}

pub fn run_search(a: SearchArgs) -> Result<ExitCode> {
    let store = open(&a.data)?;
    let page = match store.search(&SearchQuery {
        q: a.query.clone(),
        filter: DocFilter {
            lang: a.lang,
            source: a.source,
            from: a.from,
            to: a.to,
        },
        limit: a.limit,
        offset: a.offset,
    }) {
        Ok(p) => p,
        Err(e) => return query_error(e),
    };
    if a.json {
        let mut v = serde_json::to_value(&page)?;
        if let Some(hits) = v.get_mut("hits").and_then(|h| h.as_array_mut()) {
            for h in hits {
                if let Some(s) = h.get("snippet").and_then(|s| s.as_str()) {
                    let plain: String = s
                        .chars()
                        .filter(|c| *c != MARK_START && *c != MARK_END)
                        .collect();
                    h["snippet"] = serde_json::Value::String(plain);
                }
            }
        }
        println!("{}", serde_json::to_string(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    let (on, off) = ("[", "]");
    let rows: Vec<Vec<String>> = page
        .hits
        .iter()
        .map(|h| {
            let snippet = h
                .snippet
                .replace(MARK_START, on)
                .replace(MARK_END, off)
                .replace('\n', " ");
            vec![
                h.date.clone().unwrap_or_default(),
                h.lang.clone().unwrap_or_default(),
                h.title.clone(),
                snippet,
                h.id.clone(),
            ]
        })
        .collect();
    print_table(
        &["date", "lang", "title", "snippet", "id"],
        &rows,
        &[10, 4, 50, 90, 32],
    );
    println!(
        "{} of {}{} matching documents",
        page.hits.len(),
        page.total,
        if page.total_exact { "" } else { "+" }
    );
    Ok(ExitCode::SUCCESS)
}

pub fn run_events(a: EventsArgs) -> Result<ExitCode> {
    let store = open(&a.data)?;
    let events = match store.events(&a.filter.filter(), a.limit, a.offset) {
        Ok(e) => e,
        Err(e) => return query_error(e),
    };
    if a.json {
        println!("{}", serde_json::to_string(&events)?);
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<Vec<String>> = events
        .iter()
        .map(|e| {
            vec![
                e.day.clone().unwrap_or_default(),
                e.etype.clone(),
                e.cameo.clone().unwrap_or_default(),
                e.quad.map(|q| q.to_string()).unwrap_or_default(),
                e.actor.clone().unwrap_or_default(),
                e.recipient.clone().unwrap_or_default(),
                e.modality.clone(),
                e.attributed_to.clone().unwrap_or_default(),
                e.sentence.replace('\n', " "),
            ]
        })
        .collect();
    print_table(
        &[
            "day",
            "type",
            "cameo",
            "quad",
            "actor",
            "recipient",
            "modality",
            "according to",
            "sentence",
        ],
        &rows,
        &[10, 10, 5, 4, 24, 24, 12, 24, 80],
    );
    println!("{} events", events.len());
    Ok(ExitCode::SUCCESS)
}

pub fn run_entities(a: EntitiesArgs) -> Result<ExitCode> {
    let store = open(&a.data)?;
    let ents = match store.entities(&a.name, a.limit) {
        Ok(e) => e,
        Err(e) => return query_error(e),
    };
    if a.json {
        println!("{}", serde_json::to_string(&ents)?);
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<Vec<String>> = ents
        .iter()
        .map(|e| {
            vec![
                e.name.clone(),
                e.etype.clone(),
                e.qid.clone().unwrap_or_default(),
                e.code.clone().unwrap_or_default(),
                e.documents.to_string(),
                e.mentions.to_string(),
                e.events.to_string(),
            ]
        })
        .collect();
    print_table(
        &[
            "name",
            "type",
            "qid",
            "code",
            "documents",
            "mentions",
            "events",
        ],
        &rows,
        &[40, 5, 12, 12, 9, 8, 6],
    );
    println!("{} entities", ents.len());
    Ok(ExitCode::SUCCESS)
}

/// Prints aligned columns; cells longer than their column's cap are cut with `…`.
fn print_table(head: &[&str], rows: &[Vec<String>], caps: &[usize]) {
    let cut = |s: &str, w: usize| -> String {
        let n = s.chars().count();
        if n <= w {
            s.to_string()
        } else {
            let mut t: String = s.chars().take(w.saturating_sub(1)).collect();
            t.push('…');
            t
        }
    };
    let mut widths: Vec<usize> = head.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                let cap = caps.get(i).copied().unwrap_or(40);
                *w = (*w).max(c.chars().count().min(cap));
            }
        }
    }
    let line = |cells: Vec<String>| {
        let mut out = String::new();
        for (i, c) in cells.iter().enumerate() {
            let w = widths.get(i).copied().unwrap_or(0);
            let c = cut(c, w);
            let pad = w.saturating_sub(c.chars().count());
            out.push_str(&c);
            if i + 1 < cells.len() {
                out.push_str(&" ".repeat(pad + 2));
            }
        }
        println!("{}", out.trim_end());
    };
    line(head.iter().map(|h| h.to_string()).collect());
    line(widths.iter().map(|w| "-".repeat(*w)).collect());
    for r in rows {
        line(r.clone());
    }
}
