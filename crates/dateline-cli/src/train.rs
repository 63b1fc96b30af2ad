//! `dateline train ...`: trains the models of the trainable stages from
//! standard formats. Training is deterministic: the same command twice
//! gives byte-identical models.

use anyhow::{Context, Result};
use dateline_eval::conllu::{self, Sentence};
use dateline_pipeline::tagger::{Tagger, TrainSentence};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Subcommand)]
pub enum TrainCommand {
    /// UPOS tagger (+ multiword-token table) from CoNLL-U treebanks.
    Tagger {
        /// Training CoNLL-U files.
        #[arg(long, required = true, num_args = 1..)]
        train: Vec<PathBuf>,
        /// Development CoNLL-U file (accuracy printed after training).
        #[arg(long)]
        dev: Option<PathBuf>,
        /// Where to write the model.
        #[arg(long)]
        out: PathBuf,
        /// Passes over the training data.
        #[arg(long, default_value_t = 8)]
        epochs: usize,
    },
}

pub fn run(cmd: TrainCommand) -> Result<ExitCode> {
    match cmd {
        TrainCommand::Tagger {
            train,
            dev,
            out,
            epochs,
        } => tagger(&train, dev.as_deref(), &out, epochs),
    }
}

/// Words and UPOS of each sentence, and the multiword tokens seen.
pub fn words_and_tags(sents: &[Sentence]) -> (Vec<TrainSentence>, Vec<(String, Vec<String>)>) {
    let mut out = Vec::with_capacity(sents.len());
    let mut mwt = Vec::new();
    for s in sents {
        let words: Vec<&conllu::Token> = s.words().collect();
        out.push(TrainSentence {
            words: words.iter().map(|w| w.form.clone()).collect(),
            tags: words.iter().map(|w| w.upos.clone()).collect(),
        });
        for m in s.multiword_tokens() {
            if let conllu::TokenId::Range(a, b) = m.id {
                let parts: Vec<String> = words
                    .iter()
                    .filter(|w| matches!(w.id, conllu::TokenId::Word(n) if n >= a && n <= b))
                    .map(|w| w.form.clone())
                    .collect();
                mwt.push((m.form.clone(), parts));
            }
        }
    }
    (out, mwt)
}

/// UPOS accuracy of `tagger` on gold words.
pub fn accuracy(tagger: &Tagger, sents: &[TrainSentence]) -> f64 {
    let (mut ok, mut n) = (0usize, 0usize);
    for s in sents {
        let words: Vec<&str> = s.words.iter().map(|w| w.as_str()).collect();
        for (p, g) in tagger.tag(&words).iter().zip(&s.tags) {
            ok += usize::from(p == g);
            n += 1;
        }
    }
    100.0 * ok as f64 / n.max(1) as f64
}

fn tagger(train: &[PathBuf], dev: Option<&Path>, out: &Path, epochs: usize) -> Result<ExitCode> {
    let mut sents = Vec::new();
    for f in train {
        sents.extend(conllu::read_file(f).with_context(|| format!("reading {}", f.display()))?);
    }
    let (data, mwt) = words_and_tags(&sents);
    let t = Instant::now();
    let tagger = Tagger::train(&data, &mwt, epochs);
    eprintln!(
        "trained on {} sentences in {:.1}s",
        data.len(),
        t.elapsed().as_secs_f64()
    );
    if let Some(d) = dev {
        let dsents = conllu::read_file(d).with_context(|| format!("reading {}", d.display()))?;
        let (ddata, _) = words_and_tags(&dsents);
        eprintln!(
            "dev UPOS accuracy on gold words: {:.2}",
            accuracy(&tagger, &ddata)
        );
    }
    let bytes = tagger.to_bytes()?;
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
    Ok(ExitCode::SUCCESS)
}
