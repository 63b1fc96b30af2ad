//! Accuracy and speed of `lang::identify` on the items of
//! `scripts/bench_langid.sh` (`set \t gold \t text`, written by
//! `scripts/langid_data.py`), with that script's figures: accuracy, `und`,
//! and with a confidence threshold of 0.5 (low confidence counts as `und`).
//! The same numbers as the script's "hybrid + halves agree" row, computed
//! by the stage's own code, so a change to lang.rs can be measured.
//!
//! usage: cargo run --release -p dateline-pipeline --example langid_bench -- ITEMS.tsv

use dateline_pipeline::lang::identify;
use std::collections::BTreeMap;
use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: langid_bench ITEMS.tsv");
        std::process::exit(2);
    };
    let body = match std::fs::read_to_string(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let items: Vec<(&str, &str, &str)> = body
        .lines()
        .filter_map(|l| {
            let mut it = l.splitn(3, '\t');
            Some((it.next()?, it.next()?, it.next()?))
        })
        .collect();
    let mut sets: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        sets.entry(it.0).or_default().push(i);
    }
    println!("| set | n | acc | und | acc (conf>=0.5) | und | wrong | us/item |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (set, idx) in &sets {
        let t = Instant::now();
        let preds: Vec<(&str, f64)> = idx
            .iter()
            .map(|&i| match identify(items[i].2) {
                Some(d) => (d.code, d.confidence),
                None => ("und", 0.0),
            })
            .collect();
        let secs = t.elapsed().as_secs_f64();
        let n = idx.len() as f64;
        let (mut ok, mut und, mut ok50, mut und50, mut wrong50) = (0, 0, 0, 0, 0);
        for (&i, &(p, c)) in idx.iter().zip(&preds) {
            let gold = items[i].1;
            ok += usize::from(p == gold);
            und += usize::from(p == "und");
            if p == "und" || c < 0.5 {
                und50 += 1;
            } else if p == gold {
                ok50 += 1;
            } else {
                wrong50 += 1;
            }
        }
        let pct = |x: usize| 100.0 * x as f64 / n;
        println!(
            "| {set} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.1} |",
            idx.len(),
            pct(ok),
            pct(und),
            pct(ok50),
            pct(und50),
            pct(wrong50),
            1e6 * secs / n
        );
    }
}
