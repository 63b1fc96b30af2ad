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
        ..TrainOptions::default()
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
    if let Some(d) = &args.dev {
        // score the model as written (after compaction and a round trip)
        let back = Ner::from_bytes(&bytes, lexicon, kb)?;
        let dev = read_conll(d)?;
        print_table(&score_model(&back, &tagger, &dev, None));
    }
    Ok(ExitCode::SUCCESS)
}
