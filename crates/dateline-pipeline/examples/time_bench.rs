//! Speed of the time and quantity taggers on a folder of dateline-format
//! articles (` date YYYY-MM-DD title` + body), one thread, as the peers are
//! measured (../shared/peers): load time, then documents per second over
//! reading + tagging + writing JSONL.
//!
//! usage: cargo run --release -p dateline-pipeline --example time_bench -- DIR [--lang es|en] [-o OUT.jsonl]

mod common;

use dateline_pipeline::quantity::QuantityTagger;
use dateline_pipeline::time::{calendar::Ymd, Lang, TimeTagger};
use std::io::Write;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: time_bench DIR [--lang es|en] [-o OUT.jsonl]");
        std::process::exit(2);
    };
    let mut lang = Lang::Es;
    let mut out_path: Option<String> = None;
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "--lang" => {
                lang = args
                    .get(i + 1)
                    .and_then(|l| Lang::from_code(l))
                    .unwrap_or(Lang::Es);
                i += 2;
            }
            "-o" => {
                out_path = args.get(i + 1).cloned();
                i += 2;
            }
            _ => i += 1,
        }
    }
    let t0 = Instant::now();
    let (tt, qt) = match (TimeTagger::new(), QuantityTagger::new()) {
        (Ok(t), Ok(q)) => (t, q),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("loading the taggers: {e}");
            std::process::exit(1);
        }
    };
    let load = t0.elapsed().as_secs_f64();
    let files = common::txt_files(dir);
    let mut out: Box<dyn Write> = match &out_path {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Box::new(std::io::BufWriter::new(f)),
            Err(e) => {
                eprintln!("{p}: {e}");
                std::process::exit(1);
            }
        },
        None => Box::new(std::io::sink()),
    };
    let t1 = Instant::now();
    let (mut docs, mut bytes, mut nt, mut nq) = (0usize, 0usize, 0usize, 0usize);
    for f in &files {
        let Ok(content) = std::fs::read_to_string(f) else {
            continue;
        };
        bytes += content.len();
        let first = content.lines().next().unwrap_or("");
        let head = first.trim_start_matches([' ', '\t', '\u{feff}']);
        let (dct, text) = match head.strip_prefix("date") {
            Some(rest) => {
                let rest = rest.trim_start();
                let date = Ymd::parse(rest);
                let skip =
                    content.len() - content.trim_start_matches([' ', '\t', '\u{feff}']).len();
                let title_at = skip + 4 + (head.len() - 4 - rest.len()) + rest.len().min(10);
                (date, content.get(title_at..).unwrap_or(&content))
            }
            None => (None, content.as_str()),
        };
        let timexes = tt.tag(text, lang, dct);
        let skip: Vec<(usize, usize)> = timexes.iter().map(|t| (t.start, t.end)).collect();
        let qs = qt.tag(text, lang, &skip);
        nt += timexes.len();
        nq += qs.len();
        let tj: Vec<String> = timexes
            .iter()
            .map(|t| {
                format!(
                    "{{\"start_byte\":{},\"end_byte\":{},\"type\":\"{}\",\"value\":\"{}\"}}",
                    t.start, t.end, t.ttype, t.value
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "{{\"id\":\"{}\",\"timexes\":[{}],\"quantities\":{}}}",
            f.file_stem().and_then(|s| s.to_str()).unwrap_or(""),
            tj.join(","),
            qs.len()
        );
        docs += 1;
    }
    let _ = out.flush();
    let proc_s = t1.elapsed().as_secs_f64();
    eprintln!(
        "SUMMARY {{\"peer\": \"dateline-time+quantity\", \"docs\": {docs}, \"MB\": {:.4}, \"load_s\": {load:.3}, \"proc_s\": {proc_s:.3}, \"docs_per_s\": {:.2}, \"MB_per_s\": {:.4}, \"timexes_found\": {nt}, \"quantities_found\": {nq}}}",
        bytes as f64 / 1e6,
        docs as f64 / proc_s.max(1e-9),
        bytes as f64 / 1e6 / proc_s.max(1e-9)
    );
}
