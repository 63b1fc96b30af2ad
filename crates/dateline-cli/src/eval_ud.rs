//! `dateline eval tokenize`: tokens and sentences against a UD treebank,
//! with the CoNLL 2018 shared-task metrics (the scorer is ported in
//! `dateline-eval`). The system reads the raw text rebuilt from the
//! treebank (`# text` lines, paragraphs separated by blank lines), exactly as
//! the shared task's systems did.

use anyhow::{Context, Result};
use dateline_eval::conllu::{self, Sentence, Token};
use dateline_eval::ud;
use dateline_pipeline::text::{tokenize::Lang, Sentences};
use serde_json::json;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Language of a treebank: given, or detected from its text.
fn language(raw: &str, lang: Option<&str>) -> String {
    match lang {
        Some(l) => l.to_string(),
        None => dateline_pipeline::lang::detect(raw)
            .map(|(code, _)| code.to_string())
            .unwrap_or_else(|| "es".to_string()),
    }
}

pub fn tokenize(gold: &Path, lang: Option<&str>, as_json: bool) -> Result<ExitCode> {
    let sents = conllu::read_file(gold).with_context(|| format!("reading {}", gold.display()))?;
    let raw = conllu::raw_text(&sents);
    let lang = language(&raw, lang);
    let splitter = Sentences::new();
    let t = Instant::now();
    let (toks, starts) = splitter.split(&raw, Lang::from_code(&lang));
    let secs = t.elapsed().as_secs_f64();
    let mut system = Vec::with_capacity(starts.len());
    for (k, &first) in starts.iter().enumerate() {
        let last = starts.get(k + 1).copied().unwrap_or(toks.len());
        let mut s = Sentence::default();
        for (n, i) in (first..last).enumerate() {
            let tok = toks[i];
            let mut w = Token::word(n as u32 + 1, &raw[tok.start..tok.end]);
            // a flat tree: the first word is the root (only tokens and
            // sentences are measured here)
            w.head = Some(if n == 0 { 0 } else { 1 });
            w.deprel = if n == 0 { "root".into() } else { "dep".into() };
            if toks.get(i + 1).is_some_and(|nx| nx.start == tok.end) {
                w.misc = "SpaceAfter=No".into();
            }
            s.tokens.push(w);
        }
        system.push(s);
    }
    let scores = ud::evaluate_sentences(&sents, &system).context("scoring")?;
    let tokens_per_s = toks.len() as f64 / secs.max(1e-9);
    if as_json {
        let mut out = scores.to_json();
        out["eval"] = json!("tokenize");
        out["gold"] = json!(gold.display().to_string());
        out["lang"] = json!(lang);
        out["tokens_per_s"] = json!(tokens_per_s.round());
        println!("{out}");
    } else {
        println!("{}", scores.to_table());
        println!("lang {lang}; {tokens_per_s:.0} tokens/s (tokenise + split, one thread)");
    }
    Ok(ExitCode::SUCCESS)
}
