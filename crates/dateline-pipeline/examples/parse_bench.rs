//! CPU time of the `parse` stage on a folder of dateline-format articles
//! (` date YYYY-MM-DD title` + body), one thread, measured as this thread's
//! time on the CPU (`/proc/thread-self/schedstat`, so a loaded machine does
//! not stretch it), repeated; plus a checksum of what the stage wrote
//! (heads, relations, diagnostics), to check that a speed-up changed no
//! output.
//!
//! The stages before it (clean, language, sentences, tags) run once per
//! document outside the timed part, and the parser models are loaded
//! before timing, so only `Parse::process` is measured.
//!
//! usage: cargo run --release -p dateline-pipeline --example parse_bench -- DIR [RUNS]

use dateline_core::{Doc, Stage};
use dateline_pipeline::{clean::Clean, lang::Language, parse::Parse, tags::Tags, text::Sentences};
use std::hash::Hasher;

mod common;
use common::{cpu_ns, dir_and_runs, median, read_articles};

fn main() {
    let (dir, runs) = dir_and_runs("parse_bench");
    let (clean, tags) = match (Clean::new(), Tags::new()) {
        (Ok(c), Ok(t)) => (c, t),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("loading: {e}");
            std::process::exit(1);
        }
    };
    let sentences = Sentences::new();
    let parse = Parse::new();
    // load the models up front: the first document of a language would
    // otherwise pay for it in the first run
    for lang in ["es", "en"] {
        if let Some(Err(e)) = parse.parser(lang) {
            eprintln!("loading the {lang} parser: {e}");
            std::process::exit(1);
        }
    }
    // the documents as the parse stage receives them
    let mut docs: Vec<Doc> = Vec::new();
    for raw in read_articles(&dir) {
        let mut doc = Doc::from_raw(raw);
        clean.process(&mut doc);
        Language.process(&mut doc);
        sentences.process(&mut doc);
        tags.process(&mut doc);
        docs.push(doc);
    }
    let mut parse_ms = Vec::new();
    let mut sum = 0u64;
    for run in 0..runs {
        let mut ds = docs.clone();
        let t0 = cpu_ns();
        for d in ds.iter_mut() {
            parse.process(d);
        }
        let t1 = cpu_ns();
        parse_ms.push((t1 - t0) as f64 / 1e6);
        if run == 0 {
            let mut h = rustc_hash::FxHasher::default();
            let mut n = 0usize;
            for d in &ds {
                for dg in &d.diagnostics {
                    h.write(format!("{dg:?}").as_bytes());
                }
                for w in &d.words {
                    h.write_u32(w.head);
                    h.write(w.deprel.as_bytes());
                    h.write_u8(0);
                    n += 1;
                }
            }
            sum = h.finish();
            eprintln!("{} docs, {n} words, checksum {sum:016x}", ds.len());
        }
    }
    println!(
        "parse CPU ms: median {:.1} min {:.1} | runs {runs} | checksum {sum:016x}",
        median(parse_ms.clone()),
        parse_ms.iter().copied().fold(f64::INFINITY, f64::min),
    );
}
