#!/usr/bin/env bash
# Language identification compared on our data: whatlang (what lang.rs
# uses), whichlang and lingua (restricted to es, en, pt, fr, it, de, ca),
# accuracy and speed per set (UD sentences, fakenews_es paragraphs and
# articles, inputs <= 30 characters, a few sentences of other languages,
# es+en mixtures). Builds a throwaway crate under /tmp/langid (lingua is
# heavy to compile, so it stays out of the workspace).
# usage: scripts/bench_langid.sh [DATA_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
D=${1:-$ROOT/../shared/data}
W=/tmp/langid
mkdir -p "$W/src" "$W/data"
SPACY_LANG=$(ls -d /tmp/peers/.venv/lib/python3*/site-packages/spacy/lang 2>/dev/null | head -1 || true)
python3 "$ROOT/scripts/langid_data.py" "$D" "$W/data" $SPACY_LANG
cat > "$W/Cargo.toml" <<'TOML'
[package]
name = "langid-bench"
version = "0.1.0"
edition = "2021"

[dependencies]
whatlang = "0.18"
whichlang = "0.1.1"
lingua = { version = "1", default-features = false, features = ["spanish", "english", "portuguese", "french", "italian", "german", "catalan"] }
TOML
cat > "$W/src/main.rs" <<'RS'
//! Language-ID comparison: whatlang, whichlang, lingua on items.tsv
//! (set \t gold \t text). Prints one JSON line per (detector, set).
use lingua::{Language, LanguageDetectorBuilder};
use std::collections::BTreeMap;
use std::time::Instant;

const SEVEN: [&str; 7] = ["es", "en", "pt", "fr", "it", "de", "ca"];

fn what_code(l: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match l {
        Spa => "es",
        Eng => "en",
        Por => "pt",
        Fra => "fr",
        Ita => "it",
        Deu => "de",
        Cat => "ca",
        _ => "other",
    }
}

fn which_code(l: whichlang::Lang) -> &'static str {
    use whichlang::Lang::*;
    match l {
        Spa => "es",
        Eng => "en",
        Por => "pt",
        Fra => "fr",
        Ita => "it",
        Deu => "de",
        _ => "other",
    }
}

fn lingua_code(l: Language) -> &'static str {
    match l {
        Language::Spanish => "es",
        Language::English => "en",
        Language::Portuguese => "pt",
        Language::French => "fr",
        Language::Italian => "it",
        Language::German => "de",
        Language::Catalan => "ca",
    }
}

/// lang.rs today: at least 12 letters, first 2 KB.
fn cut(text: &str) -> Option<&str> {
    if text.chars().filter(|c| c.is_alphabetic()).take(12).count() < 12 {
        return None;
    }
    let mut end = text.len().min(2048);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Some(&text[..end])
}

type Det<'a> = Box<dyn Fn(&str) -> (&'static str, f64) + 'a>;

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "data/items.tsv".into());
    let body = std::fs::read_to_string(&path).expect("items");
    let items: Vec<(&str, &str, &str)> = body
        .lines()
        .filter_map(|l| {
            let mut it = l.splitn(3, '\t');
            Some((it.next()?, it.next()?, it.next()?))
        })
        .collect();
    let t = Instant::now();
    let lingua_hi = LanguageDetectorBuilder::from_languages(&[
        Language::Spanish, Language::English, Language::Portuguese, Language::French,
        Language::Italian, Language::German, Language::Catalan,
    ])
    .with_preloaded_language_models()
    .build();
    let lingua_hi_load = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let lingua_lo = LanguageDetectorBuilder::from_languages(&[
        Language::Spanish, Language::English, Language::Portuguese, Language::French,
        Language::Italian, Language::German, Language::Catalan,
    ])
    .with_preloaded_language_models()
    .with_low_accuracy_mode()
    .build();
    let lingua_lo_load = t.elapsed().as_secs_f64();
    let allow = vec![
        whatlang::Lang::Spa, whatlang::Lang::Eng, whatlang::Lang::Por, whatlang::Lang::Fra,
        whatlang::Lang::Ita, whatlang::Lang::Deu, whatlang::Lang::Cat,
    ];
    let what7 = whatlang::Detector::with_allowlist(allow);
    let lingua_conf = |d: &lingua::LanguageDetector, s: &str| -> (&'static str, f64) {
        let v = d.compute_language_confidence_values(s);
        match v.first() {
            Some((l, c)) if *c > 0.0 => (lingua_code(*l), *c),
            _ => ("und", 0.0),
        }
    };
    // whichlang's label, whatlang's opinion as the confidence check
    let hybrid = |s: &str| -> (&'static str, f64) {
        let Some(c) = cut(s) else {
            return ("und", 0.0);
        };
        let l = which_code(whichlang::detect_language(c));
        match whatlang::detect(c) {
            Some(i) => {
                let w = what_code(i.lang());
                let conf = i.confidence();
                // as lang.rs: whatlang's label wins only for languages whichlang lacks
                let which_knows = [
                    "ara", "cmn", "deu", "eng", "fra", "hin", "ita", "jpn", "kor", "nld", "por",
                    "rus", "spa", "swe", "tur", "vie",
                ]
                .contains(&i.lang().code());
                if w == l {
                    (l, 0.5 + conf / 2.0)
                } else if !which_knows && conf >= 0.5 {
                    (w, conf)
                } else {
                    (l, 0.5 * (1.0 - conf))
                }
            }
            None => (l, 0.25),
        }
    };
    // + mixed check: the two halves must agree
    let hybrid_mixed = |s: &str| -> (&'static str, f64) {
        let (l, conf) = hybrid(s);
        let Some(c) = cut(s) else {
            return (l, conf);
        };
        let mut mid = c.len() / 2;
        while !c.is_char_boundary(mid) {
            mid -= 1;
        }
        let mid = c[..mid].rfind(char::is_whitespace).unwrap_or(mid);
        let (a, b) = c.split_at(mid);
        let letters = |t: &str| t.chars().filter(|ch| ch.is_alphabetic()).take(12).count() >= 12;
        if letters(a) && letters(b) {
            let la = whichlang::detect_language(a);
            let lb = whichlang::detect_language(b);
            if la != lb {
                return (l, conf.min(0.25));
            }
        }
        (l, conf)
    };
    let only = std::env::var("ONLY").unwrap_or_default();
    let mut dets: Vec<(&str, f64, Det)> = vec![
        ("hybrid + halves agree", 0.0, Box::new(hybrid_mixed)),
        ("hybrid: whichlang + whatlang check", 0.0, Box::new(hybrid)),
        ("whatlang (all langs, as lang.rs)", 0.0, Box::new(|s: &str| match cut(s).and_then(whatlang::detect) {
            Some(i) => (what_code(i.lang()), i.confidence()),
            None => ("und", 0.0),
        })),
        ("whatlang (7 langs)", 0.0, Box::new(|s: &str| match cut(s).and_then(|c| what7.detect(c)) {
            Some(i) => (what_code(i.lang()), i.confidence()),
            None => ("und", 0.0),
        })),
        ("whichlang (16 langs, no ca)", 0.0, Box::new(|s: &str| (which_code(whichlang::detect_language(s)), 1.0))),
        ("lingua high (7 langs)", lingua_hi_load, Box::new(|s: &str| lingua_conf(&lingua_hi, s))),
        ("lingua low (7 langs)", lingua_lo_load, Box::new(|s: &str| lingua_conf(&lingua_lo, s))),
    ];
    dets.retain(|d| only.is_empty() || d.0.contains(only.as_str()));
    let mut sets: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        sets.entry(it.0).or_default().push(i);
    }
    for (name, load, det) in &dets {
        for (set, idx) in &sets {
            // warm-up pass for lazy state, then the timed pass
            for &i in idx.iter().take(5) {
                let _ = det(items[i].2);
            }
            let bytes: usize = idx.iter().map(|&i| items[i].2.len()).sum();
            let t = Instant::now();
            let preds: Vec<(&'static str, f64)> = idx.iter().map(|&i| det(items[i].2)).collect();
            let secs = t.elapsed().as_secs_f64();
            let n = idx.len() as f64;
            let (mut ok, mut und, mut ok50, mut und50, mut wrong50) = (0, 0, 0, 0, 0);
            let mut confusions: BTreeMap<String, usize> = BTreeMap::new();
            for (&i, &(p, c)) in idx.iter().zip(&preds) {
                let gold = items[i].1;
                ok += usize::from(p == gold);
                und += usize::from(p == "und");
                if p != gold && p != "und" {
                    *confusions.entry(p.to_string()).or_default() += 1;
                }
                // with a confidence threshold of 0.5: low confidence -> und
                if p == "und" || c < 0.5 {
                    und50 += 1;
                } else if p == gold {
                    ok50 += 1;
                } else {
                    wrong50 += 1;
                }
            }
            println!(
                "{{\"detector\":{:?},\"set\":{:?},\"n\":{},\"acc\":{:.4},\"und\":{:.4},\"acc_t50\":{:.4},\"und_t50\":{:.4},\"wrong_t50\":{:.4},\"us_per_item\":{:.2},\"MB_per_s\":{:.2},\"load_s\":{:.3},\"confusions\":{:?}}}",
                name, set, idx.len(), ok as f64 / n, und as f64 / n, ok50 as f64 / n,
                und50 as f64 / n, wrong50 as f64 / n, 1e6 * secs / n, bytes as f64 / 1e6 / secs, load,
                format!("{confusions:?}")
            );
        }
    }
    let _ = SEVEN;
}
RS
(cd "$W" && CARGO_TARGET_DIR="$W/target" cargo build --release -q)
"$W/target/release/langid-bench" "$W/data/items.tsv" > "$W/results.jsonl"
python3 - "$W/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| detector | set | n | acc | und | acc (conf>=0.5) | und | wrong | us/item | MB/s |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    print(f"| {r['detector']} | {r['set']} | {r['n']} | {100*r['acc']:.2f} | {100*r['und']:.2f} | "
          f"{100*r['acc_t50']:.2f} | {100*r['und_t50']:.2f} | {100*r['wrong_t50']:.2f} | "
          f"{r['us_per_item']:.1f} | {r['MB_per_s']:.2f} |")
PY
