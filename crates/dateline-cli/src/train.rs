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
        /// Lexicon (Brown clusters + lemmas, models/lexicon-<lang>.tsv.gz).
        #[arg(long)]
        lexicon: Option<PathBuf>,
        /// Auxiliary CoNLL-U treebanks with other conventions, learnt with
        /// feature augmentation (their multiword tokens are not used).
        #[arg(long, num_args = 1..)]
        aux: Vec<PathBuf>,
        /// Perceptrons trained on different shuffles, averaged into one.
        #[arg(long, default_value_t = 1)]
        ensemble: usize,
    },
    /// Morphological features (UD FEATS, one classifier per UPOS) from
    /// CoNLL-U treebanks.
    Feats {
        /// Training CoNLL-U files.
        #[arg(long, required = true, num_args = 1..)]
        train: Vec<PathBuf>,
        /// Development CoNLL-U file (UFeats accuracy on gold words printed
        /// after training, with gold UPOS and, given --tagger, predicted UPOS).
        #[arg(long)]
        dev: Option<PathBuf>,
        /// Where to write the model.
        #[arg(long)]
        out: PathBuf,
        /// Passes over the training data.
        #[arg(long, default_value_t = 10)]
        epochs: usize,
        /// A (form, UPOS) pair seen at least this often, always with the
        /// same features, is answered from a dictionary (0 = none).
        #[arg(long, default_value_t = 2)]
        dict_min_count: usize,
        /// Tagger model, for the dev figure with predicted UPOS.
        #[arg(long)]
        tagger: Option<PathBuf>,
        /// The lexicon the tagger was trained with.
        #[arg(long)]
        lexicon: Option<PathBuf>,
        /// Lemmatiser model, for the dev figure with predicted lemmas
        /// (gold lemmas otherwise).
        #[arg(long)]
        lemmatizer: Option<PathBuf>,
    },
    /// Dependency parser (arc-hybrid, dynamic oracle) from CoNLL-U treebanks.
    Parser(crate::train_parser::Args),
    /// Named-entity recogniser (PER/ORG/LOC/MISC) from CoNLL column files.
    Ner(crate::train_ner::Args),
    /// Lemmatiser (dictionary + edit rules) from CoNLL-U treebanks.
    Lemmatizer {
        /// Training CoNLL-U files.
        #[arg(long, required = true, num_args = 1..)]
        train: Vec<PathBuf>,
        /// Development CoNLL-U file (lemma accuracy on gold words and tags).
        #[arg(long)]
        dev: Option<PathBuf>,
        /// Where to write the model.
        #[arg(long)]
        out: PathBuf,
        /// Passes over the training data.
        #[arg(long, default_value_t = 5)]
        epochs: usize,
        /// Lexicon with lookup lemmas (models/lexicon-<lang>.tsv.gz).
        #[arg(long)]
        lexicon: Option<PathBuf>,
    },
}

pub fn run(cmd: TrainCommand) -> Result<ExitCode> {
    match cmd {
        TrainCommand::Tagger {
            train,
            dev,
            out,
            epochs,
            lexicon,
            aux,
            ensemble,
        } => tagger(
            &train,
            &aux,
            dev.as_deref(),
            &out,
            dateline_pipeline::tagger::TrainOptions { epochs, ensemble },
            lexicon.as_deref(),
        ),
        TrainCommand::Feats {
            train,
            dev,
            out,
            epochs,
            dict_min_count,
            tagger,
            lexicon,
            lemmatizer,
        } => feats(
            &train,
            dev.as_deref(),
            &out,
            dateline_pipeline::feats::FeatsOptions {
                epochs,
                dict_min_count,
            },
            tagger.as_deref(),
            lexicon.as_deref(),
            lemmatizer.as_deref(),
        ),
        TrainCommand::Parser(args) => crate::train_parser::run(args),
        TrainCommand::Ner(args) => crate::train_ner::run(args),
        TrainCommand::Lemmatizer {
            train,
            dev,
            out,
            epochs,
            lexicon,
        } => lemmatizer(&train, dev.as_deref(), &out, epochs, lexicon.as_deref()),
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

/// The most frequent (gold, predicted) confusions of `tagger` on gold words.
pub fn confusions(tagger: &Tagger, sents: &[TrainSentence], top: usize) -> Vec<(String, usize)> {
    let mut m: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for s in sents {
        let words: Vec<&str> = s.words.iter().map(|w| w.as_str()).collect();
        for ((p, g), w) in tagger.tag(&words).iter().zip(&s.tags).zip(&words) {
            if p != g {
                *m.entry(format!("{g}->{p}")).or_insert(0) += 1;
                *m.entry(format!("{g}->{p} {}", w.to_lowercase()))
                    .or_insert(0) += 1;
            }
        }
    }
    let mut v: Vec<(String, usize)> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(top);
    v
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

/// Loads a lexicon file.
/// Reads the model file at `path` and builds it with `from` (bytes ->
/// model); errors name the file.
pub fn load_model<T>(
    path: &Path,
    from: impl FnOnce(&[u8]) -> dateline_pipeline::Result<T>,
) -> Result<T> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    from(&bytes).with_context(|| format!("loading {}", path.display()))
}

pub fn load_lexicon(
    path: Option<&Path>,
) -> Result<Option<std::sync::Arc<dateline_pipeline::lexicon::Lexicon>>> {
    let Some(p) = path else { return Ok(None) };
    let bytes = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
    let lx = dateline_pipeline::lexicon::Lexicon::from_gz(&bytes)
        .with_context(|| format!("loading {}", p.display()))?;
    Ok(Some(std::sync::Arc::new(lx)))
}

fn tagger(
    train: &[PathBuf],
    aux: &[PathBuf],
    dev: Option<&Path>,
    out: &Path,
    opts: dateline_pipeline::tagger::TrainOptions,
    lexicon: Option<&Path>,
) -> Result<ExitCode> {
    let lexicon = load_lexicon(lexicon)?;
    let read = |files: &[PathBuf]| -> Result<Vec<Sentence>> {
        let mut sents = Vec::new();
        for f in files {
            sents.extend(conllu::read_file(f).with_context(|| format!("reading {}", f.display()))?);
        }
        Ok(sents)
    };
    let (data, mwt) = words_and_tags(&read(train)?);
    let (aux_data, _) = words_and_tags(&read(aux)?);
    let t = Instant::now();
    let tagger = Tagger::train(&data, &aux_data, &mwt, opts, lexicon)?;
    eprintln!(
        "trained on {} sentences (+ {} auxiliary) in {:.1}s",
        data.len(),
        aux_data.len(),
        t.elapsed().as_secs_f64()
    );
    if let Some(d) = dev {
        let dsents = conllu::read_file(d).with_context(|| format!("reading {}", d.display()))?;
        let (ddata, _) = words_and_tags(&dsents);
        eprintln!(
            "dev UPOS accuracy on gold words: {:.2}",
            accuracy(&tagger, &ddata)
        );
        if std::env::var_os("DATELINE_CONFUSIONS").is_some() {
            for (k, n) in confusions(&tagger, &ddata, 60) {
                eprintln!("  {n:5} {k}");
            }
        }
    }
    let bytes = tagger.to_bytes()?;
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
    Ok(ExitCode::SUCCESS)
}

/// Words with gold UPOS and lemma.
pub fn lemma_words(sents: &[Sentence]) -> Vec<dateline_pipeline::lemma::TrainWord> {
    sents
        .iter()
        .flat_map(|s| s.words())
        .filter(|w| w.lemma != "_" || w.form == "_")
        .map(|w| dateline_pipeline::lemma::TrainWord {
            form: w.form.clone(),
            upos: w.upos.clone(),
            lemma: w.lemma.clone(),
        })
        .collect()
}

fn lemmatizer(
    train: &[PathBuf],
    dev: Option<&Path>,
    out: &Path,
    epochs: usize,
    lexicon: Option<&Path>,
) -> Result<ExitCode> {
    use dateline_pipeline::lemma::Lemmatizer;
    let lexicon = load_lexicon(lexicon)?;
    let mut sents = Vec::new();
    for f in train {
        sents.extend(conllu::read_file(f).with_context(|| format!("reading {}", f.display()))?);
    }
    let words = lemma_words(&sents);
    let t = Instant::now();
    let model = Lemmatizer::train(&words, epochs, lexicon);
    eprintln!(
        "trained on {} words in {:.1}s",
        words.len(),
        t.elapsed().as_secs_f64()
    );
    if let Some(d) = dev {
        let dsents = conllu::read_file(d).with_context(|| format!("reading {}", d.display()))?;
        let dw = lemma_words(&dsents);
        let ok = dw
            .iter()
            .filter(|w| model.lemma(&w.form, &w.upos) == w.lemma)
            .count();
        eprintln!(
            "dev lemma accuracy on gold words and tags: {:.2}",
            100.0 * ok as f64 / dw.len().max(1) as f64
        );
    }
    let bytes = model.to_bytes()?;
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
    Ok(ExitCode::SUCCESS)
}

/// Words, UPOS and universal FEATS of each sentence.
pub fn feats_sentences(sents: &[Sentence]) -> Vec<dateline_pipeline::feats::FeatsSentence> {
    use dateline_pipeline::feats::{universal, FeatsSentence};
    sents
        .iter()
        .map(|s| {
            let words: Vec<&conllu::Token> = s.words().collect();
            FeatsSentence {
                words: words.iter().map(|w| w.form.clone()).collect(),
                upos: words.iter().map(|w| w.upos.clone()).collect(),
                lemmas: words.iter().map(|w| w.lemma.to_lowercase()).collect(),
                feats: words.iter().map(|w| universal(&w.feats)).collect(),
            }
        })
        .collect()
}

/// UFeats accuracy on gold words: with gold UPOS and lemmas, or with the
/// UPOS of `tagger` and the lemmas of `lemmatizer` when given.
pub fn feats_accuracy(
    model: &dateline_pipeline::feats::FeatsTagger,
    sents: &[dateline_pipeline::feats::FeatsSentence],
    tagger: Option<&Tagger>,
    lemmatizer: Option<&dateline_pipeline::lemma::Lemmatizer>,
) -> f64 {
    let (mut ok, mut n) = (0usize, 0usize);
    for s in sents {
        let words: Vec<&str> = s.words.iter().map(|w| w.as_str()).collect();
        let upos: Vec<&str> = match tagger {
            Some(t) => t.tag(&words),
            None => s.upos.iter().map(|u| u.as_str()).collect(),
        };
        let lemmas: Vec<String> = match lemmatizer {
            Some(l) => words
                .iter()
                .zip(&upos)
                .map(|(w, u)| l.lemma(w, u).to_lowercase())
                .collect(),
            None => s.lemmas.clone(),
        };
        let lemmas: Vec<&str> = lemmas.iter().map(|l| l.as_str()).collect();
        for (i, (p, g)) in model
            .predict(&words, &upos, &lemmas)
            .iter()
            .zip(&s.feats)
            .enumerate()
        {
            ok += usize::from(p == g);
            n += 1;
            if p != g && std::env::var_os("DATELINE_CONFUSIONS").is_some() {
                eprintln!("ERR\t{}\t{}\t{}\t{g}\t{p}", words[i], s.upos[i], upos[i]);
            }
        }
    }
    100.0 * ok as f64 / n.max(1) as f64
}

fn feats(
    train: &[PathBuf],
    dev: Option<&Path>,
    out: &Path,
    opts: dateline_pipeline::feats::FeatsOptions,
    tagger: Option<&Path>,
    lexicon: Option<&Path>,
    lemmatizer: Option<&Path>,
) -> Result<ExitCode> {
    use dateline_pipeline::feats::FeatsTagger;
    let mut sents = Vec::new();
    for f in train {
        sents.extend(conllu::read_file(f).with_context(|| format!("reading {}", f.display()))?);
    }
    let data = feats_sentences(&sents);
    let t = Instant::now();
    let model = FeatsTagger::train(&data, opts);
    let (dict, models) = model.stats();
    eprintln!(
        "trained on {} sentences in {:.1}s ({models} UPOS classifiers, {dict} dictionary forms)",
        data.len(),
        t.elapsed().as_secs_f64()
    );
    if let Some(d) = dev {
        let dsents = conllu::read_file(d).with_context(|| format!("reading {}", d.display()))?;
        let ddata = feats_sentences(&dsents);
        let t = Instant::now();
        eprintln!(
            "dev UFeats accuracy on gold words, gold UPOS: {:.2} ({:.0} ms)",
            feats_accuracy(&model, &ddata, None, None),
            t.elapsed().as_secs_f64() * 1000.0
        );
        if let Some(tp) = tagger {
            let tg = crate::train_parser::load_tagger(tp, lexicon)?;
            let t = Instant::now();
            let lm = lemmatizer
                .map(|p| {
                    load_model(p, |b| {
                        dateline_pipeline::lemma::Lemmatizer::from_bytes(b, None)
                    })
                })
                .transpose()?;
            let acc = feats_accuracy(&model, &ddata, Some(&tg), lm.as_ref());
            eprintln!(
                "dev UFeats accuracy on gold words, predicted UPOS: {acc:.2} ({:.0} ms tagging + features)",
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
    let bytes = model.to_bytes()?;
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
    Ok(ExitCode::SUCCESS)
}
