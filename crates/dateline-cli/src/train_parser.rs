//! `dateline train parser`: the dependency parser from CoNLL-U treebanks,
//! on gold UPOS or on the UPOS a tagger predicts for the training words.

use anyhow::{Context, Result};
use dateline_eval::conllu::{self, Sentence};
use dateline_pipeline::parser::{Parser, TrainOptions, TrainSentence};
use dateline_pipeline::tagger::Tagger;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `dateline train parser`.
#[derive(clap::Args)]
pub struct Args {
    /// Training CoNLL-U files.
    #[arg(long, required = true, num_args = 1..)]
    pub train: Vec<PathBuf>,
    /// Development CoNLL-U file (UAS/LAS on its gold words printed after
    /// training, with the tagger's tags when `--tagger` is given).
    #[arg(long)]
    pub dev: Option<PathBuf>,
    /// Where to write the model.
    #[arg(long)]
    pub out: PathBuf,
    /// Passes over the training data.
    #[arg(long, default_value_t = 15)]
    pub epochs: usize,
    /// Tag the training (and dev) words with this tagger instead of using
    /// the gold UPOS.
    #[arg(long)]
    pub tagger: Option<PathBuf>,
    /// Lexicon the tagger was trained with, if any.
    #[arg(long)]
    pub lexicon: Option<PathBuf>,
    /// Probability of following a wrong prediction during training.
    #[arg(long, default_value_t = 0.9)]
    pub explore: f64,
    /// Labeller weights whose magnitude is below this are dropped from the
    /// saved model (size/accuracy trade-off).
    #[arg(long, default_value_t = 0.0)]
    pub min_weight: f32,
    /// The same for the transition model's weights (default: --min-weight).
    #[arg(long)]
    pub min_weight_trans: Option<f32>,
    /// Mantissa bits kept per saved weight (23 = exact).
    #[arg(long, default_value_t = 23)]
    pub weight_bits: u32,
    /// Relabel training relations FROM to TO (repeatable), to harmonise
    /// treebanks with different conventions.
    #[arg(long, value_name = "FROM=TO")]
    pub map_deprel: Vec<String>,
    /// Start from this model instead of training (to try --min-weight and
    /// --weight-bits on an existing model).
    #[arg(long, hide = true)]
    pub from_model: Option<PathBuf>,
    /// Parse the dev words this many more times and print the CPU time
    /// (a speed benchmark; Linux only).
    #[arg(long, hide = true, default_value_t = 0)]
    pub bench: usize,
}

/// CPU time of the calling thread so far, in nanoseconds (0 when unknown).
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|x| x.parse().ok()))
        .unwrap_or(0)
}

/// Loads a tagger model (with its lexicon, if any).
pub fn load_tagger(path: &Path, lexicon: Option<&Path>) -> Result<Tagger> {
    let lexicon = crate::train::load_lexicon(lexicon)?;
    crate::train::load_model(path, |b| Tagger::from_bytes(b, lexicon))
}

/// Loads a parser model.
pub fn load_parser(path: &Path) -> Result<Parser> {
    crate::train::load_model(path, Parser::from_bytes)
}

/// The words, tags (gold, or predicted by `tagger`) and gold tree of each
/// sentence. Sentences without a complete tree are left out.
pub fn parse_sentences(sents: &[Sentence], tagger: Option<&Tagger>) -> Vec<TrainSentence> {
    let mut out = Vec::with_capacity(sents.len());
    for s in sents {
        let words: Vec<&conllu::Token> = s.words().collect();
        if words.is_empty() || words.iter().any(|w| w.head.is_none()) {
            continue;
        }
        let forms: Vec<String> = words.iter().map(|w| w.form.clone()).collect();
        let tags: Vec<String> = match tagger {
            Some(t) => {
                let refs: Vec<&str> = forms.iter().map(String::as_str).collect();
                t.tag(&refs).iter().map(|s| s.to_string()).collect()
            }
            None => words.iter().map(|w| w.upos.clone()).collect(),
        };
        out.push(TrainSentence {
            words: forms,
            tags,
            heads: words.iter().map(|w| w.head.unwrap_or(0) as usize).collect(),
            deprels: words.iter().map(|w| w.deprel.clone()).collect(),
        });
    }
    out
}

/// UAS and LAS (universal relation, as the CoNLL 2018 scorer compares them)
/// of `parser` on the gold words of `sents`, and the words per second.
pub fn attachment(parser: &Parser, sents: &[TrainSentence]) -> (f64, f64, f64) {
    let (mut uas, mut las, mut n) = (0usize, 0usize, 0usize);
    let t = Instant::now();
    for s in sents {
        let w: Vec<&str> = s.words.iter().map(String::as_str).collect();
        let tg: Vec<&str> = s.tags.iter().map(String::as_str).collect();
        let p = parser.parse(&w, &tg);
        for i in 0..w.len() {
            n += 1;
            if p.heads.get(i) == s.heads.get(i) {
                uas += 1;
                let univ = |d: &str| d.split(':').next().unwrap_or("").to_string();
                if p.deprels.get(i).map(|d| univ(d)) == s.deprels.get(i).map(|d| univ(d)) {
                    las += 1;
                }
            }
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let pct = |x: usize| 100.0 * x as f64 / n.max(1) as f64;
    (pct(uas), pct(las), n as f64 / secs.max(1e-9))
}

pub fn run(a: Args) -> Result<ExitCode> {
    let tagger = match &a.tagger {
        Some(p) => Some(load_tagger(p, a.lexicon.as_deref())?),
        None => None,
    };
    let mut sents = Vec::new();
    for f in &a.train {
        sents.extend(conllu::read_file(f).with_context(|| format!("reading {}", f.display()))?);
    }
    let mut data = parse_sentences(&sents, tagger.as_ref());
    let mut map = std::collections::HashMap::new();
    for m in &a.map_deprel {
        let Some((from, to)) = m.split_once('=') else {
            anyhow::bail!("--map-deprel expects FROM=TO, got {m}");
        };
        map.insert(from.to_string(), to.to_string());
    }
    for s in data.iter_mut() {
        for d in s.deprels.iter_mut() {
            if let Some(to) = map.get(d.as_str()) {
                *d = to.clone();
            }
        }
    }
    let opts = TrainOptions {
        epochs: a.epochs,
        explore_p: a.explore,
        ..TrainOptions::default()
    };
    let t = Instant::now();
    let mut parser = match &a.from_model {
        Some(p) => load_parser(p)?,
        None => Parser::train(&data, &opts),
    };
    let secs = t.elapsed().as_secs_f64();
    let min_trans = a.min_weight_trans.unwrap_or(a.min_weight);
    if a.min_weight > 0.0 || min_trans > 0.0 || a.weight_bits < 23 {
        let (kept, before) = parser.compact(min_trans, a.min_weight, a.weight_bits);
        eprintln!(
            "compacted: {kept} of {before} feature rows kept, {} mantissa bits",
            a.weight_bits.min(23)
        );
    }
    let n_words: usize = data.iter().map(|s| s.words.len()).sum();
    eprintln!(
        "trained on {} sentences ({n_words} words, {} tags) in {secs:.1}s; {} labels",
        data.len(),
        if tagger.is_some() {
            "predicted"
        } else {
            "gold"
        },
        parser.labels().len()
    );
    let (trans_rows, label_rows) = parser.rows();
    eprintln!("feature rows: {trans_rows} transition, {label_rows} label");
    if let Some(d) = &a.dev {
        let dsents = conllu::read_file(d).with_context(|| format!("reading {}", d.display()))?;
        let ddata = parse_sentences(&dsents, tagger.as_ref());
        let (uas, las, wps) = attachment(&parser, &ddata);
        eprintln!(
            "dev on gold words ({} tags): UAS {uas:.2} LAS {las:.2}; {wps:.0} words/s",
            if tagger.is_some() {
                "predicted"
            } else {
                "gold"
            }
        );
        if a.bench > 0 {
            let words: usize = ddata.iter().map(|s| s.words.len()).sum::<usize>() * a.bench;
            let t0 = thread_cpu_ns();
            for _ in 0..a.bench {
                for s in &ddata {
                    let w: Vec<&str> = s.words.iter().map(String::as_str).collect();
                    let tg: Vec<&str> = s.tags.iter().map(String::as_str).collect();
                    std::hint::black_box(parser.parse(&w, &tg));
                }
            }
            let ms = thread_cpu_ns().saturating_sub(t0) as f64 / 1e6;
            eprintln!(
                "bench: {words} words in {ms:.0} ms CPU, {:.0} words/s",
                words as f64 / (ms / 1e3).max(1e-9)
            );
        }
    }
    let bytes = parser.to_bytes()?;
    std::fs::write(&a.out, &bytes).with_context(|| format!("writing {}", a.out.display()))?;
    eprintln!("wrote {} ({} bytes)", a.out.display(), bytes.len());
    Ok(ExitCode::SUCCESS)
}
