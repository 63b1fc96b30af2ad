//! Measures how long the built-in knowledge base takes to load and index,
//! and how fast `find_all` runs over the seed article.
//!
//!     cargo run --release -p dateline-pipeline --example kb_load [article.txt]

use dateline_pipeline::kb::Kb;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut best = f64::MAX;
    let mut kb = None;
    for _ in 0..5 {
        let t = Instant::now();
        let k = Kb::builtin()?;
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
        kb = Some(k);
    }
    let kb = kb.ok_or("no kb")?;
    println!(
        "kb load: best of 5 = {best:.1} ms ({} entries, {} aliases, {} people, {} countries)",
        kb.entries().len(),
        kb.alias_count(),
        kb.people().len(),
        kb.countries().len()
    );
    if let Some(path) = std::env::args().nth(1) {
        let text = std::fs::read_to_string(path)?;
        let t = Instant::now();
        let ms = kb.find_all(&text);
        let us = t.elapsed().as_secs_f64() * 1e6;
        println!(
            "find_all: {} matches in {us:.0} µs over {} bytes",
            ms.len(),
            text.len()
        );
        for m in &ms {
            let names: Vec<String> = m
                .entries
                .iter()
                .filter_map(|&i| kb.entry(i))
                .map(|e| format!("{:?}:{}", e.kind, e.id))
                .collect();
            println!("  {:?} -> {}", &text[m.start..m.end], names.join(", "));
        }
    }
    Ok(())
}
