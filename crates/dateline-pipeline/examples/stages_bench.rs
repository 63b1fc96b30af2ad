//! CPU time of the `clean`, `language` and `time` stages on a folder of
//! dateline-format articles (` date YYYY-MM-DD title` + body), one thread,
//! measured as this thread's time on the CPU (`/proc/thread-self/schedstat`,
//! so a loaded machine does not stretch it), repeated; plus a checksum of
//! what the three stages wrote (text, alignment, segments, removals,
//! languages, diagnostics, timexes), to check that a speed-up changed no
//! output.
//!
//! usage: cargo run --release -p dateline-pipeline --example stages_bench -- DIR [RUNS]

use dateline_core::{Doc, Stage};
use dateline_pipeline::{clean::Clean, lang::Language, time::Time};
use std::hash::Hasher;

mod common;
use common::{cpu_ns, dir_and_runs, median, read_articles};

fn main() {
    let (dir, runs) = dir_and_runs("stages_bench");
    let (clean, time) = match (Clean::new(), Time::new()) {
        (Ok(c), Ok(t)) => (c, t),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("loading: {e}");
            std::process::exit(1);
        }
    };
    let raws = read_articles(&dir);
    let (mut clean_ms, mut lang_ms, mut time_ms) = (Vec::new(), Vec::new(), Vec::new());
    let mut sum = 0u64;
    for run in 0..runs {
        let mut ds: Vec<Doc> = raws.iter().cloned().map(Doc::from_raw).collect();
        let t0 = cpu_ns();
        for d in ds.iter_mut() {
            clean.process(d);
        }
        let t1 = cpu_ns();
        for d in ds.iter_mut() {
            Language.process(d);
        }
        let t2 = cpu_ns();
        for d in ds.iter_mut() {
            time.process(d);
        }
        let t3 = cpu_ns();
        clean_ms.push((t1 - t0) as f64 / 1e6);
        lang_ms.push((t2 - t1) as f64 / 1e6);
        time_ms.push((t3 - t2) as f64 / 1e6);
        if run == 0 {
            let mut h = rustc_hash::FxHasher::default();
            let mut n = 0usize;
            for d in &ds {
                h.write(d.text.as_bytes());
                h.write(format!("{:?}", d.alignment).as_bytes());
                h.write(format!("{:?}", d.segments).as_bytes());
                h.write(format!("{:?}", d.removed).as_bytes());
                h.write(format!("{:?}", d.lang).as_bytes());
                h.write(format!("{:?}", d.title).as_bytes());
                h.write(format!("{:?}", d.diagnostics).as_bytes());
                h.write(format!("{:?}", d.timexes).as_bytes());
                n += d.timexes.len();
            }
            sum = h.finish();
            eprintln!("{} docs, {n} timexes, checksum {sum:016x}", ds.len());
        }
    }
    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "CPU ms (median/min of {runs}): clean {:.1}/{:.1} | language {:.1}/{:.1} | time {:.1}/{:.1} | checksum {sum:016x}",
        median(clean_ms.clone()),
        min(&clean_ms),
        median(lang_ms.clone()),
        min(&lang_ms),
        median(time_ms.clone()),
        min(&time_ms),
    );
}
