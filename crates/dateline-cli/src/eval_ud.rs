//! `dateline eval tokenize`: tokens and sentences against a UD treebank,
//! with the CoNLL 2018 shared-task metrics (the scorer is ported in
//! `dateline-eval`). The system reads the raw text rebuilt from the
//! treebank (`# text` lines, paragraphs separated by blank lines), exactly as
//! the shared task's systems did. With `--system FILE`, another system's
//! CoNLL-U output is scored instead (same metrics, same JSON keys).

use anyhow::{Context, Result};
use dateline_eval::conllu::{self, Sentence, Token};
use dateline_eval::ud;
use dateline_pipeline::tagger::contraction_words;
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

/// Reads a system CoNLL-U file and scores it against the gold sentences.
pub fn score_system_file(gold: &[Sentence], system: &Path) -> Result<ud::UdScores> {
    let sys = conllu::read_file(system).with_context(|| format!("reading {}", system.display()))?;
    ud::evaluate_sentences(gold, &sys).with_context(|| format!("scoring {}", system.display()))
}

pub fn tokenize(
    gold: &Path,
    system_file: Option<&Path>,
    lang: Option<&str>,
    as_json: bool,
) -> Result<ExitCode> {
    let sents = conllu::read_file(gold).with_context(|| format!("reading {}", gold.display()))?;
    let raw = conllu::raw_text(&sents);
    let lang = language(&raw, lang);
    if let Some(sys) = system_file {
        let scores = score_system_file(&sents, sys)?;
        if as_json {
            let mut out = scores.to_json();
            out["eval"] = json!("tokenize");
            out["gold"] = json!(gold.display().to_string());
            out["lang"] = json!(lang);
            out["tokens_per_s"] = serde_json::Value::Null;
            out["system"] = json!(sys.display().to_string());
            println!("{out}");
        } else {
            println!("{}", scores.to_table());
            println!("lang {lang}; system {}", sys.display());
        }
        return Ok(ExitCode::SUCCESS);
    }
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

/// `dateline eval tagger`: UPOS (and lemmas, UFeats) from raw text (our
/// tokens, multiword expansion and tags, scored with the CoNLL 2018
/// alignment), and UPOS (UFeats) accuracy on the gold words.
#[allow(clippy::too_many_arguments)]
pub fn tagger(
    gold: &Path,
    model: &Path,
    lexicon: Option<&Path>,
    lemmatizer: Option<&Path>,
    feats: Option<&Path>,
    lang: Option<&str>,
    as_json: bool,
) -> Result<ExitCode> {
    let lexicon = crate::train::load_lexicon(lexicon)?;
    let lemmatizer = lemmatizer
        .map(|p| {
            crate::train::load_model(p, |b| {
                // the lexicon as the tagging stage gives it: the fallback
                // of forms no edit rule fits
                dateline_pipeline::lemma::Lemmatizer::from_bytes(b, lexicon.clone())
            })
        })
        .transpose()?;
    let feats = feats
        .map(|p| crate::train::load_model(p, dateline_pipeline::feats::FeatsTagger::from_bytes))
        .transpose()?;
    use dateline_pipeline::tagger::Tagger;
    let bytes = std::fs::read(model).with_context(|| format!("reading {}", model.display()))?;
    let t0 = Instant::now();
    let tagger = Tagger::from_bytes(&bytes, lexicon)
        .with_context(|| format!("loading {}", model.display()))?;
    let load_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let sents = conllu::read_file(gold).with_context(|| format!("reading {}", gold.display()))?;
    let raw = conllu::raw_text(&sents);
    let lang = language(&raw, lang);
    let t = Instant::now();
    let mut system = system_from_raw(&raw, &lang, &tagger);
    let mut n_words = 0usize;
    for s in system.iter_mut() {
        let mut wi = 0;
        for row in s.tokens.iter_mut() {
            if let conllu::TokenId::Word(_) = row.id {
                if let Some(lm) = &lemmatizer {
                    row.lemma = lm.lemma(&row.form, &row.upos);
                }
                // a flat tree: the first word is the root (tags and lemmas
                // are measured here)
                row.head = Some(if wi == 0 { 0 } else { 1 });
                row.deprel = if wi == 0 { "root".into() } else { "dep".into() };
                wi += 1;
            }
        }
        n_words += wi;
        if let Some(fm) = &feats {
            let rows: Vec<&mut Token> = s.tokens.iter_mut().filter(|r| r.is_word()).collect();
            let forms: Vec<&str> = rows.iter().map(|r| r.form.as_str()).collect();
            let upos: Vec<&str> = rows.iter().map(|r| r.upos.as_str()).collect();
            let lemmas: Vec<String> = rows.iter().map(|r| r.lemma.to_lowercase()).collect();
            let lemmas: Vec<&str> = lemmas.iter().map(|l| l.as_str()).collect();
            let predicted: Vec<String> = fm
                .predict(&forms, &upos, &lemmas)
                .into_iter()
                .map(|f| {
                    if f.is_empty() {
                        "_".into()
                    } else {
                        f.to_string()
                    }
                })
                .collect();
            for (row, f) in rows.into_iter().zip(predicted) {
                row.feats = f;
            }
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let scores = ud::evaluate_sentences(&sents, &system).context("scoring")?;
    let (gold_words, _) = crate::train::words_and_tags(&sents);
    let gold_acc = crate::train::accuracy(&tagger, &gold_words);
    let words_per_s = n_words as f64 / secs.max(1e-9);
    let mut out = scores.to_json();
    out["eval"] = json!("tagger");
    out["gold"] = json!(gold.display().to_string());
    out["lang"] = json!(lang);
    out["upos_gold_words"] = json!((gold_acc * 100.0).round() / 100.0);
    let feats_acc = match (&feats, &lemmatizer) {
        (Some(fm), Some(lm)) => {
            let fsents = crate::train::feats_sentences(&sents);
            Some(crate::train::feats_accuracy(
                fm,
                &fsents,
                Some(&tagger),
                Some(lm),
            ))
        }
        _ => None,
    };
    if let Some(a) = feats_acc {
        out["ufeats_gold_words"] = json!((a * 100.0).round() / 100.0);
    }
    out["words_per_s"] = json!(words_per_s.round());
    out["model_load_ms"] = json!((load_ms * 10.0).round() / 10.0);
    if as_json {
        println!("{out}");
    } else {
        println!("{}", scores.to_table());
        println!("UPOS on gold words: {gold_acc:.2}; {words_per_s:.0} words/s (tokenise + tag); model loaded in {load_ms:.1} ms");
        if let Some(a) = feats_acc {
            println!("UFeats on gold words (predicted UPOS and lemmas): {a:.2}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Splits the words at `split` (each "its" or "your", a word of its own
/// row) into the multiword token it + s or you + r, renumbering the rows.
fn split_its(rows: &mut Vec<Token>, forms: &mut Vec<String>, split: &[usize]) {
    let (mut new_rows, mut new_forms) = (Vec::with_capacity(rows.len() + 2), Vec::new());
    let mut wi = 0;
    for row in rows.drain(..) {
        let id = new_forms.len() as u32 + 1;
        match row.id {
            conllu::TokenId::Word(_) if split.contains(&wi) => {
                let [first, second] = contraction_words(&row.form)
                    .unwrap_or_else(|| [row.form.clone(), String::new()]);
                let mut range = Token::word(id, &row.form);
                range.id = conllu::TokenId::Range(id, id + 1);
                range.misc = row.misc.clone();
                new_rows.push(range);
                new_rows.push(Token::word(id, &first));
                new_rows.push(Token::word(id + 1, &second));
                new_forms.push(first);
                new_forms.push(second);
                wi += 1;
            }
            conllu::TokenId::Word(_) => {
                let mut r = row;
                r.id = conllu::TokenId::Word(id);
                new_forms.push(forms.get(wi).cloned().unwrap_or_default());
                new_rows.push(r);
                wi += 1;
            }
            conllu::TokenId::Range(a, b) => {
                let mut r = row;
                r.id = conllu::TokenId::Range(id, id + (b - a));
                new_rows.push(r);
            }
            _ => new_rows.push(row),
        }
    }
    *rows = new_rows;
    *forms = new_forms;
}

/// The system sentences from raw text: our tokens and sentences, multiword
/// expansion and UPOS tags, as CoNLL-U rows (lemmas and heads not set).
/// Shared by `eval tagger` and `eval parser`.
pub fn system_from_raw(
    raw: &str,
    lang: &str,
    tagger: &dateline_pipeline::tagger::Tagger,
) -> Vec<Sentence> {
    let splitter = Sentences::new();
    let (toks, starts) = splitter.split(raw, Lang::from_code(lang));
    let mut system = Vec::with_capacity(starts.len());
    for (k, &first) in starts.iter().enumerate() {
        let last = starts.get(k + 1).copied().unwrap_or(toks.len());
        let mut forms: Vec<String> = Vec::new();
        let mut rows: Vec<Token> = Vec::new();
        for i in first..last {
            let Some(tok) = toks.get(i) else { continue };
            let surface = raw.get(tok.start..tok.end).unwrap_or("");
            let parts = tagger.expand(surface);
            let id = forms.len() as u32 + 1;
            let space = if toks.get(i + 1).is_some_and(|nx| nx.start == tok.end) {
                "SpaceAfter=No"
            } else {
                "_"
            };
            if parts.len() > 1 {
                let mut range = Token::word(id, surface);
                range.id = conllu::TokenId::Range(id, id + parts.len() as u32 - 1);
                range.misc = space.into();
                rows.push(range);
                for p in parts {
                    rows.push(Token::word(forms.len() as u32 + 1, p.as_str()));
                    forms.push(p);
                }
            } else {
                let mut w = Token::word(id, surface);
                w.misc = space.into();
                rows.push(w);
                forms.push(surface.to_string());
            }
        }
        let refs: Vec<&str> = forms.iter().map(|f| f.as_str()).collect();
        let mut tags = tagger.tag(&refs);
        // "its" for "it's": split and tag again
        let split = tagger.its_contractions(&refs, &tags);
        if !split.is_empty() {
            split_its(&mut rows, &mut forms, &split);
            let refs: Vec<&str> = forms.iter().map(|f| f.as_str()).collect();
            tags = tagger.tag(&refs);
        }
        let mut wi = 0;
        for row in rows.iter_mut() {
            if let conllu::TokenId::Word(_) = row.id {
                row.upos = tags.get(wi).copied().unwrap_or("X").to_string();
                wi += 1;
            }
        }
        system.push(Sentence {
            tokens: rows,
            ..Sentence::default()
        });
    }
    system
}
