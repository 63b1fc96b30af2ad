//! `dateline eval timex`: the time tagger (or a peer's output) against TIMEX3
//! gold (xtn BIO+value TSV, TimeML .tml), with the TempEval-3 figures.

use anyhow::{bail, Context, Result};
use dateline_eval::timex::{read_gold, score_doc, GoldDoc, TimexAnn, TimexCounts, TimexError};
use dateline_pipeline::time::{calendar::Ymd, Lang, TimeTagger};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Options of `dateline eval timex`.
pub struct TimexArgs<'a> {
    pub gold: &'a Path,
    pub json: bool,
    pub lang: Option<&'a str>,
    pub dct: Option<&'a str>,
    pub system: Option<&'a Path>,
    pub export_txt: Option<&'a Path>,
    pub errors: bool,
}

fn header(doc: &GoldDoc, default_dct: Option<&str>) -> String {
    let d = doc.dct.as_deref().or(default_dct).unwrap_or("2000-01-01");
    format!("date {}\n", d.get(..10).unwrap_or(d))
}

/// Reads a peer's JSONL (the HeidelTime batch runner's format: one object
/// per document with `id` and `timexes: [{start_byte, end_byte, type, value}]`,
/// byte offsets into the exported file).
fn read_system(path: &Path, docs: &[GoldDoc], dct: Option<&str>) -> Result<Vec<Vec<TimexAnn>>> {
    let src =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut by_id: HashMap<String, Value> = HashMap::new();
    for line in src.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value =
            serde_json::from_str(line).with_context(|| format!("parsing {}", path.display()))?;
        if let Some(id) = v.get("id").and_then(Value::as_str) {
            by_id.insert(id.to_string(), v);
        }
    }
    let mut out = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let off = header(d, dct).len();
        let mut anns = Vec::new();
        if let Some(v) = by_id.get(&format!("{i:05}")) {
            for t in v
                .get("timexes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let s = t.get("start_byte").and_then(Value::as_u64).unwrap_or(0) as usize;
                let e = t.get("end_byte").and_then(Value::as_u64).unwrap_or(0) as usize;
                if s < off || e <= s {
                    continue;
                }
                anns.push(TimexAnn {
                    start: s - off,
                    end: e - off,
                    ttype: t
                        .get("type")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                    value: t
                        .get("value")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                });
            }
        }
        out.push(anns);
    }
    Ok(out)
}

fn lang_of(doc: &GoldDoc, forced: Option<Lang>) -> Lang {
    forced.unwrap_or_else(|| match dateline_pipeline::lang::detect(&doc.text) {
        Some(("en", _)) => Lang::En,
        _ => Lang::Es,
    })
}

fn pct(x: f64) -> f64 {
    (x * 10000.0).round() / 100.0
}

pub fn eval_timex(a: TimexArgs) -> Result<ExitCode> {
    let docs = read_gold(a.gold).with_context(|| format!("reading {}", a.gold.display()))?;
    if docs.is_empty() {
        bail!("no gold document (.tml or .tsv) under {}", a.gold.display());
    }
    if let Some(dir) = a.export_txt {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        for (i, d) in docs.iter().enumerate() {
            let p = dir.join(format!("{i:05}.txt"));
            std::fs::write(&p, format!("{}{}", header(d, a.dct), d.text))
                .with_context(|| format!("writing {}", p.display()))?;
        }
        eprintln!("wrote {} documents to {}", docs.len(), dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    let forced = match a.lang {
        Some(l) => Some(Lang::from_code(l).with_context(|| format!("unsupported language {l}"))?),
        None => None,
    };
    let default_dct = a.dct.and_then(Ymd::parse);
    let mut counts = TimexCounts::default();
    let mut errors: Vec<(usize, TimexError)> = Vec::new();
    let mut elapsed = 0f64;
    let mut system_name = "dateline";
    if let Some(sys) = a.system {
        system_name = "file";
        let all = read_system(sys, &docs, a.dct)?;
        for (i, (d, s)) in docs.iter().zip(all).enumerate() {
            for e in score_doc(&d.timexes, &s, &mut counts) {
                errors.push((i, e));
            }
        }
    } else {
        let tagger = TimeTagger::new()?;
        for (i, d) in docs.iter().enumerate() {
            let dct = d.dct.as_deref().and_then(Ymd::parse).or(default_dct);
            let lang = lang_of(d, forced);
            let t = Instant::now();
            let found = tagger.tag(&d.text, lang, dct);
            elapsed += t.elapsed().as_secs_f64();
            let sys: Vec<TimexAnn> = found
                .into_iter()
                .map(|f| TimexAnn {
                    start: f.start,
                    end: f.end,
                    ttype: f.ttype,
                    value: f.value,
                })
                .collect();
            for e in score_doc(&d.timexes, &sys, &mut counts) {
                errors.push((i, e));
            }
        }
    }
    let s = counts.scores();
    if a.errors {
        let mut err = std::io::stderr().lock();
        for (i, e) in &errors {
            let d = &docs[*i];
            let txt = |t: &TimexAnn| d.text.get(t.start..t.end).unwrap_or("").replace('\n', " ");
            let ctx = |t: &TimexAnn| {
                let mut s = t.start.saturating_sub(40);
                while !d.text.is_char_boundary(s) {
                    s -= 1;
                }
                let mut e = (t.end + 40).min(d.text.len());
                while !d.text.is_char_boundary(e) {
                    e += 1;
                }
                d.text[s..e].replace('\n', " ")
            };
            let dct = d.dct.as_deref().or(a.dct).unwrap_or("-");
            let _ = match e {
                TimexError::Missed(g) => writeln!(
                    err,
                    "MISS\t{}\t{}\t{}\t{}\t{}",
                    dct,
                    txt(g),
                    g.ttype,
                    g.value,
                    ctx(g)
                ),
                TimexError::Spurious(x) => writeln!(
                    err,
                    "SPUR\t{}\t{}\t{}\t{}\t{}",
                    dct,
                    txt(x),
                    x.ttype,
                    x.value,
                    ctx(x)
                ),
                TimexError::Mismatch { gold, system } => writeln!(
                    err,
                    "DIFF\t{}\t{} | {}\t{} | {}\t{} | {}\t{}",
                    dct,
                    txt(gold),
                    txt(system),
                    gold.ttype,
                    system.ttype,
                    gold.value,
                    system.value,
                    ctx(gold)
                ),
            };
        }
    }
    if a.json {
        let mut out = json!({
            "eval": "timex",
            "system": system_name,
            "gold_path": a.gold.display().to_string(),
            "docs": docs.len(),
            "gold": counts.gold,
            "predicted": counts.system,
            "strict_precision": pct(s.strict.precision),
            "strict_recall": pct(s.strict.recall),
            "strict_f1": pct(s.strict.f1),
            "relaxed_precision": pct(s.relaxed.precision),
            "relaxed_recall": pct(s.relaxed.recall),
            "relaxed_f1": pct(s.relaxed.f1),
            "type_accuracy": pct(s.type_accuracy),
            "type_f1": pct(s.type_.f1),
            "value_precision": pct(s.value.precision),
            "value_recall": pct(s.value.recall),
            "value_f1": pct(s.value.f1),
            "value_accuracy": pct(s.value_accuracy),
        });
        if a.system.is_none() {
            out["docs_per_s"] = json!((docs.len() as f64 / elapsed.max(1e-9)).round());
        }
        println!("{out}");
    } else {
        println!("documents      {}", docs.len());
        println!("gold/system    {} / {}", counts.gold, counts.system);
        println!(
            "strict         P {:.2}  R {:.2}  F1 {:.2}",
            pct(s.strict.precision),
            pct(s.strict.recall),
            pct(s.strict.f1)
        );
        println!(
            "relaxed        P {:.2}  R {:.2}  F1 {:.2}",
            pct(s.relaxed.precision),
            pct(s.relaxed.recall),
            pct(s.relaxed.f1)
        );
        println!(
            "type accuracy  {:.2}  (type F1 {:.2})",
            pct(s.type_accuracy),
            pct(s.type_.f1)
        );
        println!(
            "value          P {:.2}  R {:.2}  F1 {:.2}  (accuracy {:.2})",
            pct(s.value.precision),
            pct(s.value.recall),
            pct(s.value.f1),
            pct(s.value_accuracy)
        );
        if a.system.is_none() {
            println!(
                "docs/s         {:.0}",
                docs.len() as f64 / elapsed.max(1e-9)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
