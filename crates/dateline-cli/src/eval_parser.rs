//! `dateline eval parser`: dependency parsing against a UD treebank with the
//! CoNLL 2018 metrics. From raw text, the system CoNLL-U is built exactly as
//! `dateline eval tagger` builds it (our tokens and sentences, multiword
//! expansion, tags) and then parsed; with `--gold-words`, the gold words are
//! parsed with predicted tags (gold tags when no tagger is given). With
//! `--system FILE`, another system's CoNLL-U output is scored instead (no
//! model needed; `--gold-words` then only labels the output's `input`).

use crate::train_parser::{load_parser, load_tagger};
use anyhow::{bail, Context, Result};
use dateline_eval::conllu::{self, Sentence, Token};
use dateline_eval::ud;
use dateline_pipeline::parser::Parser;

use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `dateline eval parser`.
#[derive(clap::Args)]
pub struct Args {
    /// Gold CoNLL-U file.
    #[arg(long)]
    pub gold: PathBuf,
    /// Parser model (from `dateline train parser`); required unless
    /// `--system` is given.
    #[arg(long, required_unless_present = "system")]
    pub model: Option<PathBuf>,
    /// Score this system CoNLL-U file (another parser's output on the
    /// same text, e.g. scripts/peer_ud.py) instead of running ours.
    #[arg(long, conflicts_with_all = ["model", "tagger", "lexicon"])]
    pub system: Option<PathBuf>,
    /// Tagger model (tokens' multiword expansion and UPOS); required from
    /// raw text.
    #[arg(long)]
    pub tagger: Option<PathBuf>,
    /// Lexicon the tagger was trained with, if any.
    #[arg(long)]
    pub lexicon: Option<PathBuf>,
    /// Parse the gold words (with predicted tags) instead of raw text.
    #[arg(long)]
    pub gold_words: bool,
    /// Also write our output as CoNLL-U to this file (for error analysis).
    #[arg(long, conflicts_with = "system")]
    pub write: Option<PathBuf>,
    /// Language conventions (es, en); detected when absent.
    #[arg(long)]
    pub lang: Option<String>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

fn language(raw: &str, lang: Option<&str>) -> String {
    match lang {
        Some(l) => l.to_string(),
        None => dateline_pipeline::lang::detect(raw)
            .map(|(code, _)| code.to_string())
            .unwrap_or_else(|| "es".to_string()),
    }
}

/// Writes the parse of `rows`' words (tags already set) into the rows.
fn parse_rows(parser: &Parser, rows: &mut [Token]) -> usize {
    let idx: Vec<usize> = (0..rows.len())
        .filter(|&i| matches!(rows[i].id, conllu::TokenId::Word(_)))
        .collect();
    let forms: Vec<&str> = idx.iter().map(|&i| rows[i].form.as_str()).collect();
    let tags: Vec<&str> = idx.iter().map(|&i| rows[i].upos.as_str()).collect();
    let p = parser.parse(&forms, &tags);
    let (heads, deprels): (Vec<usize>, Vec<String>) =
        (p.heads, p.deprels.iter().map(|d| d.to_string()).collect());
    for (k, &i) in idx.iter().enumerate() {
        rows[i].head = Some(heads.get(k).copied().unwrap_or(0) as u32);
        rows[i].deprel = deprels.get(k).cloned().unwrap_or_else(|| "dep".into());
    }
    idx.len()
}

fn input_label(gold_words: bool) -> &'static str {
    if gold_words {
        "gold words"
    } else {
        "raw text"
    }
}

/// `--system`: scores a system CoNLL-U file with the same metrics and keys.
fn run_system(a: &Args, system: &std::path::Path) -> Result<ExitCode> {
    let sents =
        conllu::read_file(&a.gold).with_context(|| format!("reading {}", a.gold.display()))?;
    let raw = conllu::raw_text(&sents);
    let lang = language(&raw, a.lang.as_deref());
    let scores = crate::eval_ud::score_system_file(&sents, system)?;
    let mut out = scores.to_json();
    out["eval"] = json!("parser");
    out["gold"] = json!(a.gold.display().to_string());
    out["lang"] = json!(lang);
    out["input"] = json!(input_label(a.gold_words));
    out["tags"] = json!("system");
    out["parse_words_per_s"] = Value::Null;
    out["pipeline_words_per_s"] = Value::Null;
    out["model_load_ms"] = Value::Null;
    out["system"] = json!(system.display().to_string());
    if a.json {
        println!("{out}");
    } else {
        println!("{}", scores.to_table());
        println!(
            "input {}; system {}",
            input_label(a.gold_words),
            system.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(a: Args) -> Result<ExitCode> {
    if let Some(system) = &a.system {
        return run_system(&a, system);
    }
    let Some(model) = &a.model else {
        bail!("--model is required (or score a file with --system)");
    };
    let t0 = Instant::now();
    let parser = load_parser(model)?;
    let load_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let tagger = match &a.tagger {
        Some(p) => Some(load_tagger(p, a.lexicon.as_deref())?),
        None => None,
    };
    let sents =
        conllu::read_file(&a.gold).with_context(|| format!("reading {}", a.gold.display()))?;
    let raw = conllu::raw_text(&sents);
    let lang = language(&raw, a.lang.as_deref());
    let t_pre = Instant::now();
    let mut system: Vec<Sentence> = if a.gold_words {
        sents
            .iter()
            .map(|s| {
                let mut out = s.clone();
                out.tokens.retain(|t| !t.is_empty_node());
                if let Some(t) = &tagger {
                    let forms: Vec<&str> = out
                        .tokens
                        .iter()
                        .filter(|t| t.is_word())
                        .map(|t| t.form.as_str())
                        .collect();
                    let tags: Vec<String> = t.tag(&forms).iter().map(|s| s.to_string()).collect();
                    for (k, row) in out.tokens.iter_mut().filter(|t| t.is_word()).enumerate() {
                        row.upos = tags.get(k).cloned().unwrap_or_else(|| "X".into());
                    }
                }
                for row in out.tokens.iter_mut() {
                    row.head = None;
                    row.deprel = "_".into();
                    row.deps = "_".into();
                    row.lemma = "_".into();
                    row.feats = "_".into();
                }
                out
            })
            .collect()
    } else {
        let Some(t) = &tagger else {
            bail!("parsing from raw text needs --tagger (or use --gold-words)");
        };
        crate::eval_ud::system_from_raw(&raw, &lang, t)
    };
    let pre_secs = t_pre.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut n_words = 0usize;
    for s in system.iter_mut() {
        n_words += parse_rows(&parser, &mut s.tokens);
    }
    let secs = t.elapsed().as_secs_f64();
    if let Some(path) = &a.write {
        let text = conllu::to_string(&system).context("writing CoNLL-U")?;
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    let scores = ud::evaluate_sentences(&sents, &system).context("scoring")?;
    let words_per_s = n_words as f64 / secs.max(1e-9);
    let mut out = scores.to_json();
    out["eval"] = json!("parser");
    out["gold"] = json!(a.gold.display().to_string());
    out["lang"] = json!(lang);
    out["input"] = json!(input_label(a.gold_words));
    out["tags"] = json!(if a.tagger.is_some() {
        "predicted"
    } else {
        "gold"
    });
    out["parse_words_per_s"] = json!(words_per_s.round());
    out["pipeline_words_per_s"] = json!((n_words as f64 / (secs + pre_secs).max(1e-9)).round());
    out["model_load_ms"] = json!((load_ms * 10.0).round() / 10.0);
    if a.json {
        println!("{out}");
    } else {
        println!("{}", scores.to_table());
        println!(
            "input {}; {words_per_s:.0} words/s (parse only, one thread); model loaded in {load_ms:.1} ms",
            out["input"]
        );
    }
    Ok(ExitCode::SUCCESS)
}
