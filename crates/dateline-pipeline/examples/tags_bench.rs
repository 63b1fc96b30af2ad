//! CPU time of the `language` and `tags` stages on a folder of
//! dateline-format articles (` date YYYY-MM-DD title` + body), one thread,
//! measured as this thread's time on the CPU (`/proc/thread-self/schedstat`,
//! so a loaded machine does not stretch it), repeated; plus a checksum of
//! what the stages wrote (languages, words, tags, lemmas, features), to
//! check that a speed-up changed no output.
//!
//! usage: cargo run --release -p dateline-pipeline --example tags_bench -- DIR [RUNS]

use dateline_core::{Doc, Stage};
use dateline_pipeline::{clean::Clean, lang::Language, tags::Tags, text::Sentences};
use std::hash::Hasher;

mod common;
use common::{cpu_ns, dir_and_runs, median, read_articles};

fn main() {
    let (dir, runs) = dir_and_runs("tags_bench");
    let (clean, tags) = match (Clean::new(), Tags::new()) {
        (Ok(c), Ok(t)) => (c, t),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("loading: {e}");
            std::process::exit(1);
        }
    };
    let sentences = Sentences::new();
    // the documents as the language stage receives them
    let mut docs: Vec<Doc> = Vec::new();
    for raw in read_articles(&dir) {
        let mut doc = Doc::from_raw(raw);
        clean.process(&mut doc);
        docs.push(doc);
    }
    let (mut lang_ms, mut tags_ms) = (Vec::new(), Vec::new());
    let mut sum = 0u64;
    for run in 0..runs {
        let mut ds = docs.clone();
        let t0 = cpu_ns();
        for d in ds.iter_mut() {
            Language.process(d);
        }
        let t1 = cpu_ns();
        for d in ds.iter_mut() {
            sentences.process(d);
        }
        let t2 = cpu_ns();
        for d in ds.iter_mut() {
            tags.process(d);
        }
        let t3 = cpu_ns();
        lang_ms.push((t1 - t0) as f64 / 1e6);
        tags_ms.push((t3 - t2) as f64 / 1e6);
        if run == 0 {
            let mut h = rustc_hash::FxHasher::default();
            let mut n = 0usize;
            for d in &ds {
                h.write(d.lang.as_deref().unwrap_or("-").as_bytes());
                for s in &d.segments {
                    h.write(s.lang.as_deref().unwrap_or("-").as_bytes());
                }
                for dg in &d.diagnostics {
                    h.write(format!("{dg:?}").as_bytes());
                }
                for (i, w) in d.words.iter().enumerate() {
                    h.write(d.word_form(i).as_bytes());
                    h.write_u8(0);
                    h.write(w.upos.as_bytes());
                    h.write_u8(0);
                    h.write(w.lemma.as_bytes());
                    h.write_u8(0);
                    h.write(w.feats.as_bytes());
                    h.write_u32(w.token);
                    n += 1;
                }
            }
            sum = h.finish();
            eprintln!("{} docs, {n} words, checksum {sum:016x}", ds.len());
        }
    }
    println!(
        "language CPU ms: median {:.1} min {:.1} | tags CPU ms: median {:.1} min {:.1} | runs {runs} | checksum {sum:016x}",
        median(lang_ms.clone()),
        lang_ms.iter().copied().fold(f64::INFINITY, f64::min),
        median(tags_ms.clone()),
        tags_ms.iter().copied().fold(f64::INFINITY, f64::min),
    );
}
