//! `dateline ingest`: read, analyse and store documents.
//!
//! Inputs are what `extract` reads, plus files of `dateline.doc/v1` JSON
//! Lines (the output of `extract`, recognised by the `schema` field of
//! their first line), which are stored as they are. Documents go to the store
//! in batches, one transaction each: a run killed at any moment keeps every
//! batch it committed, and a re-run skips the documents already stored (by
//! id) before analysing them, so it completes without duplicates.

use crate::extract::{analyse, valid_iso_date};
use anyhow::{Context, Result};
use dateline_core::{DocV1, Pipeline, RawDoc, SCHEMA};
use dateline_read::{expand_inputs, read_input, Input, ReadOptions};
use dateline_store::{BatchStats, Store};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The data folder used when `--data` is not given.
pub const DEFAULT_DATA: &str = "dateline-data";

#[derive(clap::Args)]
pub struct Args {
    /// Files, directories (read recursively), globs, or `-` for stdin;
    /// `dateline.doc/v1` JSON Lines files are stored as they are.
    #[arg(required = true)]
    paths: Vec<String>,
    /// Extra knowledge-base rows (TSV files in the formats of
    /// crates/dateline-pipeline/data/kb/, see its README); repeatable.
    #[arg(long = "kb-extra", value_name = "FILE")]
    kb_extra: Vec<PathBuf>,
    /// The data folder of the store.
    #[arg(long, default_value = DEFAULT_DATA)]
    data: PathBuf,
    /// Publication date (YYYY-MM-DD) for inputs that carry none.
    #[arg(long)]
    date: Option<String>,
    /// Documents per transaction.
    #[arg(long, default_value_t = 500)]
    batch: usize,
    /// Worker threads for the analysis (default: all cores).
    #[arg(long, short = 'j')]
    threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    json: bool,
}

/// What an ingest run did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Summary {
    pub read: usize,
    #[serde(flatten)]
    pub stats: BatchStats,
    /// Documents whose id was already stored, skipped before analysis.
    pub known: usize,
    pub failed: usize,
    pub seconds: f64,
    pub docs_per_second: f64,
    pub store_documents: i64,
    pub store_events: i64,
    pub store_bytes: u64,
}

pub struct Options {
    pub batch: usize,
    pub read: ReadOptions,
    pub progress: bool,
}

/// Whether a file holds `dateline.doc/v1` lines (its first non-empty line
/// says so).
fn is_v1_file(path: &Path) -> bool {
    let name = path.to_string_lossy().to_ascii_lowercase();
    if !(name.ends_with(".jsonl") || name.ends_with(".ndjson") || name.ends_with(".json")) {
        return false;
    }
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    for line in std::io::BufReader::new(f).lines().take(50) {
        let Ok(line) = line else { return false };
        if line.trim().is_empty() {
            continue;
        }
        return serde_json::from_str::<serde_json::Value>(&line)
            .ok()
            .and_then(|v| {
                v.get("schema")
                    .and_then(|s| s.as_str())
                    .map(|s| s == SCHEMA)
            })
            .unwrap_or(false);
    }
    false
}

/// Collects documents and writes them batch by batch.
struct Writer<'a> {
    store: &'a mut Store,
    pipeline: &'a Pipeline,
    batch: usize,
    raw: Vec<RawDoc>,
    ready: Vec<DocV1>,
    summary: Summary,
    bar: ProgressBar,
    started: Instant,
}

impl Writer<'_> {
    fn message(&self) {
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let done = self.summary.stats.inserted + self.summary.stats.skipped + self.summary.known;
        self.bar.set_message(format!(
            "{done} docs, {:.0} docs/s, {} new",
            done as f64 / secs,
            self.summary.stats.inserted
        ));
    }

    fn push_raw(&mut self, raw: RawDoc) -> Result<()> {
        self.summary.read += 1;
        // cheap: the id is a hash of date, title and body
        let id = dateline_core::Doc::from_raw(raw.clone()).id;
        if self.store.has_doc(&id)? {
            self.summary.known += 1;
            return Ok(());
        }
        self.raw.push(raw);
        if self.raw.len() >= self.batch {
            self.flush()?;
        }
        Ok(())
    }

    fn push_v1(&mut self, doc: DocV1) -> Result<()> {
        self.summary.read += 1;
        self.ready.push(doc);
        if self.ready.len() >= self.batch {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if !self.raw.is_empty() {
            let pipeline = self.pipeline;
            let docs: Vec<DocV1> = std::mem::take(&mut self.raw)
                .into_par_iter()
                .map(|r| analyse(pipeline, r).to_v1())
                .collect();
            self.ready.extend(docs);
        }
        if self.ready.is_empty() {
            return Ok(());
        }
        let docs = std::mem::take(&mut self.ready);
        let stats = self
            .store
            .insert_batch(&docs)
            .context("writing to the store")?;
        self.summary.stats += stats;
        self.message();
        Ok(())
    }
}

/// Ingests `paths` into an open store.
pub fn ingest_paths(
    store: &mut Store,
    pipeline: &Pipeline,
    paths: &[String],
    opts: &Options,
) -> Result<Summary> {
    let inputs = expand_inputs(paths).map_err(|e| anyhow::anyhow!("{e}"))?;
    let total: u64 = inputs
        .iter()
        .map(|i| match i {
            Input::File(p) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
            Input::Stdin => 0,
        })
        .sum();
    let bar = if opts.progress {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg} ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let mut w = Writer {
        store,
        pipeline,
        batch: opts.batch.max(1),
        raw: Vec::new(),
        ready: Vec::new(),
        summary: Summary::default(),
        bar: bar.clone(),
        started: Instant::now(),
    };
    for input in &inputs {
        match input {
            Input::File(p) if is_v1_file(p) => {
                let f =
                    std::fs::File::open(p).with_context(|| format!("opening {}", p.display()))?;
                let mut reader = std::io::BufReader::new(f);
                let mut line = String::new();
                let mut n = 0usize;
                loop {
                    line.clear();
                    let got = match reader.read_line(&mut line) {
                        Ok(g) => g,
                        Err(e) => {
                            w.summary.failed += 1;
                            bar.suspend(|| eprintln!("dateline: error: {}: {e}", p.display()));
                            break;
                        }
                    };
                    if got == 0 {
                        break;
                    }
                    n += 1;
                    bar.inc(got as u64);
                    if line.trim().is_empty() {
                        continue;
                    }
                    match serde_json::from_str::<DocV1>(&line) {
                        Ok(d) => w.push_v1(d)?,
                        Err(e) => {
                            w.summary.failed += 1;
                            bar.suspend(|| {
                                eprintln!(
                                    "dateline: error: {}:{n}: not a document: {e}",
                                    p.display()
                                )
                            });
                        }
                    }
                }
            }
            _ => {
                for item in read_input(input, &opts.read) {
                    match item {
                        Ok(raw) => w.push_raw(raw)?,
                        Err(e) => {
                            w.summary.failed += 1;
                            bar.suspend(|| eprintln!("dateline: error: {e}"));
                        }
                    }
                }
                if let Input::File(p) = input {
                    bar.inc(std::fs::metadata(p).map(|m| m.len()).unwrap_or(0));
                }
            }
        }
    }
    w.flush()?;
    let started = w.started;
    let mut summary = w.summary;
    bar.finish_and_clear();
    store.checkpoint().context("checkpointing the store")?;
    let secs = started.elapsed().as_secs_f64();
    summary.seconds = secs;
    summary.docs_per_second = summary.read as f64 / secs.max(1e-6);
    let counts = store.counts()?;
    summary.store_documents = counts.documents;
    summary.store_events = counts.events;
    summary.store_bytes = store.size_bytes();
    Ok(summary)
}

pub fn print_summary(s: &Summary, dir: &Path) {
    eprintln!(
        "dateline: {} documents read in {:.1}s ({:.0} docs/s): {} new, {} already stored, {} failed; \
         added {} entities, {} mentions, {} timexes, {} events",
        s.read,
        s.seconds,
        s.docs_per_second,
        s.stats.inserted,
        s.stats.skipped + s.known,
        s.failed,
        s.stats.entities,
        s.stats.mentions,
        s.stats.timexes,
        s.stats.events
    );
    eprintln!(
        "dateline: the store at {} holds {} documents and {} events ({:.1} MiB)",
        dir.display(),
        s.store_documents,
        s.store_events,
        s.store_bytes as f64 / (1u64 << 20) as f64
    );
}

pub fn run(args: Args) -> Result<ExitCode> {
    if let Some(d) = &args.date {
        if !valid_iso_date(d) {
            eprintln!("dateline: error: --date must be YYYY-MM-DD, got {d:?}");
            return Ok(ExitCode::from(2));
        }
    }
    if let Some(n) = args.threads {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
    let pipeline = dateline_pipeline::pipeline_with_kb_extra(&args.kb_extra)
        .context("building the pipeline")?;
    let mut store = Store::open(&args.data)
        .with_context(|| format!("opening the store in {}", args.data.display()))?;
    let opts = Options {
        batch: args.batch,
        read: ReadOptions {
            default_date: args.date.clone(),
            ..ReadOptions::default()
        },
        progress: !args.quiet,
    };
    let summary = ingest_paths(&mut store, &pipeline, &args.paths, &opts)?;
    if args.json {
        println!("{}", serde_json::to_string(&summary)?);
    }
    if !args.quiet || !args.json {
        print_summary(&summary, &args.data);
    }
    Ok(if summary.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
