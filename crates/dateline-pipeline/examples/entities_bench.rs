//! CPU time of the stages of the default pipeline on a folder of
//! dateline-format articles (` date YYYY-MM-DD title` + body), one thread,
//! document after document as `dateline extract -j1` runs them, each stage
//! measured as this thread's time on the CPU (`/proc/thread-self/schedstat`,
//! so a loaded machine does not stretch it); repeated, the entities stage
//! made afresh each run (its NER model loads on the first document, as in
//! `extract`). Prints the median per stage, the entities stage's share of
//! the text stage (language + sentences + tags + parse), and a checksum of
//! the entities found, to check that a speed-up changed no output.
//!
//! usage: cargo run --release -p dateline-pipeline --example entities_bench -- DIR [RUNS]

use dateline_core::{Doc, Stage};
use dateline_pipeline::{
    clean::Clean, entities::Entities, events::Events, lang::Language, parse::Parse,
    quantity::Quantities, tags::Tags, text::Sentences, time::Time,
};
use std::hash::Hasher;

mod common;
use common::{cpu_ns, dir_and_runs, median, read_articles};

fn main() {
    let (dir, runs) = dir_and_runs("entities_bench");
    let (clean, tags, time, quantities, events) = match (
        Clean::new(),
        Tags::new(),
        Time::new(),
        Quantities::new(),
        Events::new(),
    ) {
        (Ok(c), Ok(t), Ok(ti), Ok(q), Ok(e)) => (c, t, ti, q, e),
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), ..) | (.., Err(e), _) | (.., Err(e)) => {
            eprintln!("loading: {e}");
            std::process::exit(1);
        }
    };
    let sentences = Sentences::new();
    let parse = Parse::new();
    let raws = read_articles(&dir);
    const NAMES: [&str; 9] = [
        "clean",
        "language",
        "sentences",
        "tags",
        "parse",
        "entities",
        "time",
        "quantities",
        "events",
    ];
    let mut ms: Vec<Vec<f64>> = vec![Vec::new(); NAMES.len()];
    let mut shares = Vec::new();
    let mut sum = 0u64;
    for run in 0..runs.max(1) {
        let ents = match Entities::new() {
            Ok(e) => e,
            Err(e) => {
                eprintln!("loading: {e}");
                std::process::exit(1);
            }
        };
        let stages: [&dyn Stage; 9] = [
            &clean,
            &Language,
            &sentences,
            &tags,
            &parse,
            &ents,
            &time,
            &quantities,
            &events,
        ];
        let mut ns = [0u64; 9];
        let mut h = rustc_hash::FxHasher::default();
        let mut n = 0usize;
        for raw in &raws {
            let mut d = Doc::from_raw(raw.clone());
            for (k, st) in stages.iter().enumerate() {
                let t0 = cpu_ns();
                st.process(&mut d);
                ns[k] += cpu_ns() - t0;
            }
            h.write(format!("{:?}", d.entities).as_bytes());
            for dg in &d.diagnostics {
                h.write(format!("{dg:?}").as_bytes());
            }
            n += d.entities.len();
        }
        for (v, x) in ms.iter_mut().zip(ns) {
            v.push(x as f64 / 1e6);
        }
        let text: u64 = ns[1..5].iter().sum();
        shares.push(ns[5] as f64 / text.max(1) as f64);
        sum = h.finish();
        let line: Vec<String> = NAMES
            .iter()
            .zip(ns)
            .map(|(s, x)| format!("{s} {:.1}", x as f64 / 1e6))
            .collect();
        eprintln!(
            "run {run}: {} docs, {n} entities, checksum {sum:016x}; CPU ms {}",
            raws.len(),
            line.join(", ")
        );
    }
    let line: Vec<String> = NAMES
        .iter()
        .zip(&ms)
        .map(|(s, v)| format!("{s} {:.1}", median(v.clone())))
        .collect();
    println!(
        "median CPU ms over {runs} runs: {} | entities / text stage: median {:.1}% | checksum {sum:016x}",
        line.join(", "),
        100.0 * median(shares),
    );
}
