//! `cargo run --release -p dateline-eval --example parse_speed -- FILE.conllu`
//!
//! Measures CoNLL-U parsing speed (streaming reader) and UD-scorer loading speed.

use std::fs::File;
use std::io::{BufReader, Cursor};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use dateline_eval::conllu::Reader;
use dateline_eval::ud::{evaluate, UdDocument};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: parse_speed FILE.conllu");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mb = bytes.len() as f64 / 1e6;
    let runs = 5;
    let mut best = f64::MAX;
    let (mut sents, mut rows) = (0usize, 0usize);
    for _ in 0..runs {
        let t = Instant::now();
        sents = 0;
        rows = 0;
        for s in Reader::new(Cursor::new(&bytes)) {
            match s {
                Ok(s) => {
                    sents += 1;
                    rows += s.tokens.len();
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "parse (in memory): {sents} sentences, {rows} rows, {mb:.1} MB in {:.1} ms (best of {runs}): {:.0} MB/s, {:.0} sentences/s",
        best * 1e3,
        mb / best,
        sents as f64 / best
    );
    // Round trip: parse, write back, compare with the input bytes.
    let round_trip = dateline_eval::conllu::parse_str(&String::from_utf8_lossy(&bytes))
        .and_then(|s| dateline_eval::conllu::to_string(&s));
    match round_trip {
        Ok(text) => println!(
            "round trip byte-identical: {}",
            text.as_bytes() == bytes.as_slice()
        ),
        Err(e) => println!("round trip failed: {e}"),
    }
    let t = Instant::now();
    let n = match File::open(&path) {
        Ok(f) => Reader::new(BufReader::new(f)).filter(|s| s.is_ok()).count(),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let dt = t.elapsed().as_secs_f64();
    println!(
        "parse (from file, streaming): {n} sentences in {:.1} ms: {:.0} MB/s",
        dt * 1e3,
        mb / dt
    );
    let t = Instant::now();
    let doc = match UdDocument::read_file(Path::new(&path)) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let load = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let ok = evaluate(&doc, &doc).is_ok();
    let eval = t.elapsed().as_secs_f64();
    println!(
        "ud: load {} words in {:.1} ms; evaluate gold vs gold in {:.1} ms (ok: {ok})",
        doc.num_words(),
        load * 1e3,
        eval * 1e3
    );
    ExitCode::SUCCESS
}
