//! `dateline extract`: read, analyse, print JSON Lines.

use anyhow::{Context, Result};
use dateline_core::{Diagnostic, Doc, Pipeline, RawDoc};
use dateline_read::{expand_inputs, read_input, Format, ReadOptions};
use rayon::prelude::*;
use std::io::{BufWriter, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Files, directories (read recursively), globs, or `-` for stdin.
    #[arg(required = true)]
    paths: Vec<String>,
    /// Extra knowledge-base rows (TSV files in the formats of
    /// crates/dateline-pipeline/data/kb/, see its README); repeatable.
    #[arg(long = "kb-extra", value_name = "FILE")]
    kb_extra: Vec<PathBuf>,
    /// Write to this file instead of stdout.
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Pretty-print each document (multi-line JSON, one object after another).
    #[arg(long)]
    pretty: bool,
    /// Publication date (YYYY-MM-DD) for inputs that carry none.
    #[arg(long)]
    date: Option<String>,
    /// Force the input format instead of detecting it.
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Largest input file accepted, in bytes.
    #[arg(long, default_value_t = ReadOptions::default().max_input_bytes)]
    max_input_bytes: u64,
    /// Largest decompressed size of one input, in bytes.
    #[arg(long, default_value_t = ReadOptions::default().max_decompressed_bytes)]
    max_decompressed_bytes: u64,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    threads: Option<usize>,
    /// Print the time spent in each stage (summed over documents) on stderr.
    #[arg(long)]
    profile: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Dateline,
    Text,
    Jsonl,
    Html,
    Feed,
    Warc,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Dateline => Format::Dateline,
            FormatArg::Text => Format::Text,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Html => Format::Html,
            FormatArg::Feed => Format::Feed,
            FormatArg::Warc => Format::Warc,
        }
    }
}

/// Documents processed together; output order is kept within and across batches.
const BATCH: usize = 256;
/// Runs of a batch per worker thread (more runs balance the threads'
/// loads; longer runs keep a stage's models in cache for more documents).
const CHUNKS_PER_THREAD: usize = 2;

/// Runs the pipeline on a batch of documents stage by stage (every
/// document through the first stage, then through the second...), which
/// keeps each stage's models in the CPU caches across the batch; the
/// documents come back in order, each as [`analyse`] gives it. A panic in
/// a stage (a bug) turns that document alone into an error diagnostic; the
/// others go on. With `times`, each stage's time is added to its slot and
/// the models loaded on first use to the last slot.
pub fn analyse_batch(
    pipeline: &Pipeline,
    raws: Vec<RawDoc>,
    times: Option<&std::sync::Mutex<Vec<std::time::Duration>>>,
) -> Vec<Doc> {
    let n = pipeline.len();
    let mut local = vec![std::time::Duration::ZERO; n + 1];
    let mut docs: Vec<Option<Doc>> = raws.into_iter().map(|r| Some(Doc::from_raw(r))).collect();
    let mut out: Vec<Option<Doc>> = (0..docs.len()).map(|_| None).collect();
    for k in 0..n {
        for (slot, failed) in docs.iter_mut().zip(out.iter_mut()) {
            let Some(doc) = slot.as_mut() else {
                continue;
            };
            let (t, rest) = local.split_at_mut(n);
            let timed = match (times.is_some(), t.get_mut(k), rest.first_mut()) {
                (true, Some(t), Some(load)) => Some((t, load)),
                _ => None,
            };
            let ok = catch_unwind(AssertUnwindSafe(|| pipeline.run_stage(k, doc, timed))).is_ok();
            if !ok {
                *failed = slot.take().map(|d| internal_error(&d));
            }
        }
    }
    if let Some(t) = times {
        if let Ok(mut g) = t.lock() {
            for (a, b) in g.iter_mut().zip(local) {
                *a += b;
            }
        }
    }
    docs.into_iter()
        .zip(out)
        .filter_map(|(d, failed)| d.or(failed))
        .collect()
}

/// The document left of one a stage panicked on: its identity and an
/// error diagnostic.
fn internal_error(doc: &Doc) -> Doc {
    let mut d = Doc {
        id: doc.id.clone(),
        source: doc.source.clone(),
        date: doc.date.clone(),
        title: doc.title.clone(),
        ..Doc::default()
    };
    d.diag(Diagnostic::error(
        "pipeline",
        "internal error while analysing this document; it was skipped",
    ));
    d
}

/// Runs the pipeline on one document; a panic in a stage (a bug) becomes an
/// error diagnostic instead of taking the batch down.
pub fn analyse(pipeline: &Pipeline, raw: RawDoc) -> Doc {
    analyse_batch(pipeline, vec![raw], None)
        .into_iter()
        .next()
        .unwrap_or_default()
}

pub fn run(args: Args) -> Result<ExitCode> {
    if let Some(d) = &args.date {
        if !valid_iso_date(d) {
            eprintln!("dateline: error: --date must be YYYY-MM-DD, got {d:?}");
            return Ok(ExitCode::from(2));
        }
    }
    if let Some(n) = args.threads {
        // a second call fails harmlessly when the pool exists already
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
    let opts = ReadOptions {
        max_input_bytes: args.max_input_bytes,
        max_decompressed_bytes: args.max_decompressed_bytes,
        default_date: args.date.clone(),
        format: args.format.map(Format::from),
        ..ReadOptions::default()
    };
    let t_build = std::time::Instant::now();
    let pipeline = dateline_pipeline::pipeline_with_kb_extra(&args.kb_extra)
        .context("building the pipeline")?;
    crate::alloc_after_load();
    if args.profile {
        eprintln!(
            "pipeline built in {:.0} ms",
            t_build.elapsed().as_secs_f64() * 1000.0
        );
    }
    let times = std::sync::Mutex::new(vec![
        std::time::Duration::ZERO;
        pipeline.stage_names().len() + 1
    ]);
    let times_ref = args.profile.then_some(&times);
    let inputs = match expand_inputs(&args.paths) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("dateline: error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let sink: Box<dyn Write> = match &args.out {
        Some(p) => {
            Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(sink);
    let mut failed = 0usize;
    let mut written = 0usize;
    let mut batch: Vec<RawDoc> = Vec::with_capacity(BATCH);
    let flush = |batch: &mut Vec<RawDoc>, out: &mut BufWriter<Box<dyn Write>>| -> Result<usize> {
        // one run of documents per thread (a few, for balance), each run
        // stage by stage (see `analyse_batch`)
        let mut raws = std::mem::take(batch);
        let per = raws
            .len()
            .div_ceil(rayon::current_num_threads().max(1) * CHUNKS_PER_THREAD)
            .max(1);
        let mut runs: Vec<Vec<RawDoc>> = Vec::new();
        while !raws.is_empty() {
            let rest = raws.split_off(per.min(raws.len()));
            runs.push(std::mem::replace(&mut raws, rest));
        }
        let docs: Vec<Doc> = runs
            .into_par_iter()
            .map(|run| analyse_batch(&pipeline, run, times_ref))
            .collect::<Vec<Vec<Doc>>>()
            .into_iter()
            .flatten()
            .collect();
        for d in &docs {
            let v1 = d.to_v1();
            if args.pretty {
                serde_json::to_writer_pretty(&mut *out, &v1)?;
            } else {
                serde_json::to_writer(&mut *out, &v1)?;
            }
            out.write_all(b"\n")?;
        }
        Ok(docs.len())
    };
    for input in &inputs {
        let mut yielded = 0usize;
        for item in read_input(input, &opts) {
            yielded += 1;
            match item {
                Ok(raw) => {
                    batch.push(raw);
                    if batch.len() >= BATCH {
                        written += flush(&mut batch, &mut out)?;
                    }
                }
                Err(e) => {
                    failed += 1;
                    eprintln!("dateline: error: {e}");
                }
            }
        }
        if yielded == 0 {
            let name = match input {
                dateline_read::Input::Stdin => "-".to_string(),
                dateline_read::Input::File(p) => p.display().to_string(),
            };
            eprintln!("dateline: warning: {name}: no documents in this input");
        }
    }
    written += flush(&mut batch, &mut out)?;
    out.flush()?;
    if args.profile {
        if let Ok(t) = times.lock() {
            for (name, d) in pipeline.stage_names().iter().zip(t.iter()) {
                eprintln!("{name:>12} {:8.1} ms", d.as_secs_f64() * 1000.0);
            }
            if let Some(load) = t.get(pipeline.stage_names().len()) {
                eprintln!(
                    "models loaded on first use in {:.1} ms (not in the stages' times)",
                    load.as_secs_f64() * 1000.0
                );
            }
        }
    }
    if failed > 0 {
        eprintln!("dateline: {written} documents written, {failed} inputs or documents failed");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// `YYYY-MM-DD` with a real month and day.
pub fn valid_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dateline_core::{Layer, Stage};

    /// Copies the body into the text, then panics on a body "boom".
    struct Fragile;
    impl Stage for Fragile {
        fn name(&self) -> &'static str {
            "fragile"
        }
        fn requires(&self) -> &'static [Layer] {
            &[]
        }
        fn provides(&self) -> &'static [Layer] {
            &[Layer::Text]
        }
        fn process(&self, doc: &mut Doc) {
            assert!(doc.raw != "boom", "a bug");
            doc.text = doc.raw.clone();
        }
    }

    /// Upper-cases the text (runs after `Fragile`).
    struct Shout;
    impl Stage for Shout {
        fn name(&self) -> &'static str {
            "shout"
        }
        fn requires(&self) -> &'static [Layer] {
            &[Layer::Text]
        }
        fn provides(&self) -> &'static [Layer] {
            &[]
        }
        fn process(&self, doc: &mut Doc) {
            doc.text = doc.text.to_uppercase();
        }
    }

    #[test]
    fn a_batch_runs_stage_by_stage_and_a_panic_loses_one_document_only() {
        let pipeline = Pipeline::new(vec![Box::new(Fragile), Box::new(Shout)]).expect("pipeline");
        let raw = |body: &str| RawDoc {
            title: Some(format!("t-{body}")),
            body: body.to_string(),
            ..RawDoc::default()
        };
        let times = std::sync::Mutex::new(vec![std::time::Duration::ZERO; 3]);
        let docs = analyse_batch(
            &pipeline,
            vec![raw("uno"), raw("boom"), raw("tres")],
            Some(&times),
        );
        let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(texts, ["UNO", "", "TRES"]);
        assert_eq!(docs[1].title, "t-boom");
        assert!(docs[1]
            .diagnostics
            .iter()
            .any(|d| d.message.contains("internal error")));
        assert!(docs[0].diagnostics.is_empty());
        // one document alone, as `serve` and `ingest` call it
        assert_eq!(analyse(&pipeline, raw("dos")).text, "DOS");
    }
}
