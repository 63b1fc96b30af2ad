//! `dateline eval ner`: named entities against CoNLL-2002/2003 column
//! gold, with conlleval's figures (chunk precision, recall and F1, overall
//! and per type, in percent).
//!
//! Our recogniser sees what the pipeline would give it: the gold tokens
//! expanded into syntactic words and tagged by our tagger; its word spans
//! are mapped back onto the gold tokens before scoring. `--system` scores
//! another system's output in the same column format instead (last column
//! = its tag), e.g. spaCy's from `scripts/peer_ner.py`.

use anyhow::{bail, Context, Result};
use dateline_pipeline::ner::conll::{self, Score, Sentence};
use dateline_pipeline::ner::{words_of, Ner};
use dateline_pipeline::tagger::Tagger;
use dateline_pipeline::tags::LangModels;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `dateline eval ner`.
#[derive(clap::Args)]
pub struct Args {
    /// Language of the gold file (es|en).
    #[arg(long)]
    pub lang: String,
    /// Gold file in the CoNLL column format (`WORD [POS] TAG`).
    #[arg(long)]
    pub gold: PathBuf,
    /// Print one JSON object (percentages 0-100).
    #[arg(long)]
    pub json: bool,
    /// Score this system output (same tokens, last column = its tag)
    /// instead of running our recogniser.
    #[arg(long)]
    pub system: Option<PathBuf>,
    /// Model file to evaluate instead of the shipped one.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Also write our predictions in the column format (`WORD GOLD OURS`),
    /// for conlleval or error analysis.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Tag each sentence on its own, as the entities stage does, instead of
    /// the file as one document (no non-local features).
    #[arg(long)]
    pub per_sentence: bool,
}

/// Reads a column file.
pub fn read_conll(path: &Path) -> Result<Vec<Sentence>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(conll::read(&text))
}

/// Runs `ner` over gold sentences (tokens expanded and tagged by `tagger`);
/// with `out`, also writes `WORD GOLD PREDICTED` lines (IOB2).
pub fn score_model(
    ner: &Ner,
    tagger: &Tagger,
    gold: &[Sentence],
    mut out: Option<&mut String>,
    per_sentence: bool,
) -> Score {
    let mut score = Score::default();
    let words: Vec<_> = gold.iter().map(|s| words_of(tagger, &s.words)).collect();
    let sents: Vec<(Vec<&str>, Vec<&str>)> = words.iter().map(|w| w.refs()).collect();
    // the file as one document: the non-local features see the preceding
    // sentences (CoNLL-2002 has no document boundaries)
    let tagged: Vec<_> = if per_sentence {
        sents.iter().map(|(f, u)| ner.tag(f, u)).collect()
    } else {
        ner.tag_document(&sents)
    };
    for ((s, w), spans) in gold.iter().zip(&words).zip(&tagged) {
        let pred = w.spans_to_tokens(spans);
        let gold_chunks = conll::chunks(&s.tags);
        if let Some(o) = out.as_deref_mut() {
            let g = conll::iob2(&gold_chunks, s.words.len());
            let p = conll::iob2(&pred, s.words.len());
            for ((word, g), p) in s.words.iter().zip(g).zip(p) {
                o.push_str(&format!("{word} {g} {p}\n"));
            }
            o.push('\n');
        }
        score.add(&gold_chunks, &pred, s.words.len());
    }
    score
}

/// The shipped tagger of `lang` (the one the tagging stage runs).
pub fn tagger_for(lang: &str) -> Result<Tagger> {
    if lang != "es" && lang != "en" {
        bail!("--lang must be es or en");
    }
    Ok(LangModels::builtin(lang)?.tagger)
}

/// The JSON object of a score.
pub fn score_json(s: &Score) -> Value {
    let (p, r, f) = s.overall.prf();
    let mut types = serde_json::Map::new();
    for (ty, c) in &s.by_type {
        let (p, r, f) = c.prf();
        types.insert(
            ty.clone(),
            json!({"precision": p, "recall": r, "f1": f, "gold": c.gold, "predicted": c.predicted, "correct": c.correct}),
        );
    }
    json!({
        "precision": p, "recall": r, "f1": f, "accuracy": s.accuracy(),
        "sentences": s.sentences, "tokens": s.tokens,
        "gold": s.overall.gold, "predicted": s.overall.predicted, "correct": s.overall.correct,
        "types": types,
    })
}

/// Prints a score as a conlleval-style table on stdout.
pub fn print_table(s: &Score) {
    let (p, r, f) = s.overall.prf();
    println!(
        "processed {} tokens with {} phrases; found: {} phrases; correct: {}.",
        s.tokens, s.overall.gold, s.overall.predicted, s.overall.correct
    );
    println!(
        "accuracy: {:6.2}%; precision: {p:6.2}%; recall: {r:6.2}%; FB1: {f:6.2}",
        s.accuracy()
    );
    for (ty, c) in &s.by_type {
        let (p, r, f) = c.prf();
        println!(
            "{ty:>17}: precision: {p:6.2}%; recall: {r:6.2}%; FB1: {f:6.2}  {}",
            c.predicted
        );
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    let gold = read_conll(&args.gold)?;
    let t = Instant::now();
    let mut load_ms = None;
    let score = match &args.system {
        Some(sys) => {
            let system = read_conll(sys)?;
            if system.len() != gold.len() {
                bail!(
                    "{} has {} sentences, the gold {}",
                    sys.display(),
                    system.len(),
                    gold.len()
                );
            }
            let mut score = Score::default();
            for (k, (g, s)) in gold.iter().zip(&system).enumerate() {
                if g.words != s.words {
                    bail!("sentence {} differs between gold and system tokens", k + 1);
                }
                score.add(
                    &conll::chunks(&g.tags),
                    &conll::chunks(&s.tags),
                    g.words.len(),
                );
            }
            score
        }
        None => {
            let tagger = tagger_for(&args.lang)?;
            let kb = dateline_pipeline::kb::Kb::shared()?;
            let t_load = Instant::now();
            let ner = match &args.model {
                Some(m) => {
                    let bytes =
                        std::fs::read(m).with_context(|| format!("reading {}", m.display()))?;
                    let lexicon = Some(Ner::builtin_lexicon(&args.lang)?);
                    Ner::from_bytes(&bytes, lexicon, Some(kb))
                        .with_context(|| format!("loading {}", m.display()))?
                }
                None => Ner::load(&args.lang)?,
            };
            // model + lexicon (the KB is shared with the linking stage)
            load_ms = Some(t_load.elapsed().as_secs_f64() * 1000.0);
            let mut text = String::new();
            let score = score_model(
                &ner,
                &tagger,
                &gold,
                args.output.as_ref().map(|_| &mut text),
                args.per_sentence,
            );
            if let Some(o) = &args.output {
                std::fs::write(o, text).with_context(|| format!("writing {}", o.display()))?;
            }
            score
        }
    };
    if args.json {
        let mut v = score_json(&score);
        v["seconds"] = json!(t.elapsed().as_secs_f64());
        if let Some(ms) = load_ms {
            v["load_ms"] = json!(ms);
        }
        println!("{v}");
    } else {
        print_table(&score);
    }
    Ok(ExitCode::SUCCESS)
}
