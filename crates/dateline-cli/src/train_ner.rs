//! `dateline train ner`: the named-entity recogniser from CoNLL-2002/2003
//! column files. The training tokens are expanded and tagged by the shipped
//! tagger (as the pipeline does before the recogniser runs), and the
//! features use the shipped lexicon and KB, so a model trained here is
//! the one `Ner::load` can ship. Deterministic: the same command twice
//! gives byte-identical models.

use crate::eval_ner::{print_table, read_conll, score_model, tagger_for};
use anyhow::{Context, Result};
use dateline_pipeline::ner::conll;
use dateline_pipeline::ner::{words_of, Ner, TrainOptions, TrainSentence};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `dateline train ner`.
#[derive(clap::Args)]
pub struct Args {
    /// Language (es|en): chooses the tagger, lexicon and KB conventions.
    #[arg(long)]
    pub lang: String,
    /// Training file in the CoNLL column format.
    #[arg(long)]
    pub train: PathBuf,
    /// Development file (conlleval figures printed after training).
    #[arg(long)]
    pub dev: Option<PathBuf>,
    /// Where to write the model.
    #[arg(long)]
    pub out: PathBuf,
    /// Passes over the training data.
    #[arg(long, default_value_t = 10)]
    pub epochs: usize,
    /// Weights whose magnitude is below this are dropped from the saved
    /// model (size/accuracy trade-off).
    #[arg(long, default_value_t = 0.0)]
    pub min_weight: f32,
    /// Mantissa bits kept per saved weight (23 = exact).
    #[arg(long, default_value_t = 23)]
    pub weight_bits: u32,
    /// Train without the KB gazetteer features (for ablations).
    #[arg(long)]
    pub no_kb: bool,
    /// Train without the lexicon's cluster features (for ablations).
    #[arg(long)]
    pub no_lexicon: bool,
    /// Optional feature groups (bit set, see ner::features::F_*).
    #[arg(long, default_value_t = 0)]
    pub flags: u32,
    /// Preceding sentences seen by the non-local features.
    #[arg(long, default_value_t = 30)]
    pub window: usize,
    /// Jackknife folds labelling the training history.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Drop features seen fewer times than this in training.
    #[arg(long, default_value_t = 1)]
    pub min_count: u32,
    /// Percentage of training sentences trained without non-local
    /// features (so that single sentences tag well too).
    #[arg(long, default_value_t = 0)]
    pub alone: u32,
    /// Models trained on different shuffles and averaged into one.
    #[arg(long, default_value_t = 1)]
    pub mix: usize,
    /// Seed of the shuffling between epochs (0: the default seed).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Also write the features in CRFsuite's text format into this folder
    /// (`train.crfsuite`; with `--dev`, `dev.crfsuite` and `dev.owner`,
    /// the gold token of each word), to train a CRF on the same features
    /// (`scripts/crfsuite_baseline.sh`).
    #[arg(long)]
    pub dump_crfsuite: Option<PathBuf>,
}

/// Writes sentences of hashed features in CRFsuite's format: one word a
/// line, `LABEL<TAB>feature...`, a blank line after each sentence.
fn write_crfsuite(
    path: &std::path::Path,
    classes: &[String],
    feats: &[Vec<Vec<u64>>],
    labels: &[Vec<usize>],
) -> Result<()> {
    use std::io::Write;
    let file =
        std::fs::File::create(path).with_context(|| format!("writing {}", path.display()))?;
    let mut w = std::io::BufWriter::new(file);
    for (fs, ls) in feats.iter().zip(labels) {
        for (f, l) in fs.iter().zip(ls) {
            write!(w, "{}", classes.get(*l).map(|c| c.as_str()).unwrap_or("O"))?;
            for x in f {
                write!(w, "\t{x:016x}")?;
            }
            writeln!(w)?;
        }
        writeln!(w)?;
    }
    w.flush()?;
    Ok(())
}

pub fn run(args: Args) -> Result<ExitCode> {
    let tagger = tagger_for(&args.lang)?;
    let lexicon = if args.no_lexicon {
        None
    } else {
        Some(Ner::builtin_lexicon(&args.lang)?)
    };
    let kb = if args.no_kb {
        None
    } else {
        Some(dateline_pipeline::kb::Kb::shared()?)
    };
    let gold = read_conll(&args.train)?;
    let t = Instant::now();
    let data: Vec<TrainSentence> = gold
        .iter()
        .map(|s| {
            let w = words_of(&tagger, &s.words);
            let chunks = w.chunks_to_words(&conll::chunks(&s.tags));
            TrainSentence {
                words: w.words,
                upos: w.upos,
                chunks,
            }
        })
        .collect();
    eprintln!(
        "tagged {} sentences in {:.1}s",
        data.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let opts = TrainOptions {
        epochs: args.epochs,
        flags: args.flags,
        window: args.window,
        folds: args.folds,
        min_count: args.min_count,
        alone: args.alone,
        mix: args.mix,
        ..TrainOptions::default()
    };
    let opts = if args.seed != 0 {
        TrainOptions {
            seed: args.seed,
            ..opts
        }
    } else {
        opts
    };
    let mut ner = Ner::train(&data, &opts, lexicon.clone(), kb);
    eprintln!(
        "trained {} epochs in {:.1}s",
        args.epochs,
        t.elapsed().as_secs_f64()
    );
    if args.min_weight > 0.0 || args.weight_bits < 23 {
        let (kept, before) = ner.compact(args.min_weight, args.weight_bits);
        eprintln!("compacted: {kept} of {before} feature rows kept");
    }
    let bytes = ner.to_bytes()?;
    std::fs::write(&args.out, &bytes).with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!("wrote {} ({} bytes)", args.out.display(), bytes.len());
    if let Some(dir) = &args.dump_crfsuite {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let (classes, feats, golds) = Ner::training_features(&data, &opts, lexicon.as_deref(), kb);
        write_crfsuite(&dir.join("train.crfsuite"), &classes, &feats, &golds)?;
        if let Some(d) = &args.dev {
            let back = Ner::from_bytes(&bytes, lexicon.clone(), kb)?;
            let dev = read_conll(d)?;
            let words: Vec<_> = dev.iter().map(|s| words_of(&tagger, &s.words)).collect();
            let sents: Vec<(Vec<&str>, Vec<&str>)> = words.iter().map(|w| w.refs()).collect();
            let feats = back.document_features(&sents);
            let mut labels = Vec::with_capacity(dev.len());
            let mut owners = String::new();
            for (s, w) in dev.iter().zip(&words) {
                let chunks = w.chunks_to_words(&conll::chunks(&s.tags));
                labels.push(
                    conll::bilou(&chunks, w.words.len())
                        .iter()
                        .map(|g| classes.iter().position(|c| c == g).unwrap_or(0))
                        .collect::<Vec<usize>>(),
                );
                let o: Vec<String> = w.owner.iter().map(|k| k.to_string()).collect();
                owners.push_str(&o.join(" "));
                owners.push('\n');
            }
            write_crfsuite(&dir.join("dev.crfsuite"), &classes, &feats, &labels)?;
            std::fs::write(dir.join("dev.owner"), owners)?;
        }
        eprintln!("wrote CRFsuite features to {}", dir.display());
    }
    if let Some(d) = &args.dev {
        // score the model as written (after compaction and a round trip)
        let back = Ner::from_bytes(&bytes, lexicon, kb)?;
        let dev = read_conll(d)?;
        print_table(&score_model(&back, &tagger, &dev, None, false));
    }
    Ok(ExitCode::SUCCESS)
}
