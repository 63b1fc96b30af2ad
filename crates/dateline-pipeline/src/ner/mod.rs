//! Named-entity recognition (PER, ORG, LOC, MISC) for Spanish and English.
//!
//! Design choice: a structured averaged perceptron (Collins 2002) over BILOU
//! tags with first-order Viterbi decoding: the emission weights are the
//! shared [`crate::ml::perceptron`] engine (hashed features, lazy averaging,
//! deterministic files), and the transition scores are a small dense
//! matrix trained beside it on the same clock. It is the model behind the
//! CoNLL-2002/2003 systems of its era plus the features that made them good
//! (clusters, gazetteers, affixes), small enough to ship and fast enough to
//! run on every sentence; see `models/README.md` for what it measures
//! against the peers. Words are the syntactic words of the tagging stage
//! ("del" → "de el"), at training and at prediction time, and the UPOS
//! features come from our own tagger at both times so that they agree.
//!
//! Model file: gzip of `DLNE` + version + text lines (the transition
//! matrix as exact f32 bit patterns, and which resources the features
//! used) + the perceptron model. The shipped models are embedded with
//! `include_bytes!`.

pub mod conll;
pub mod decode;
pub mod features;

use crate::error::{Error, Result};
use crate::kb::Kb;
use crate::lexicon::Lexicon;
use crate::ml::artifact;
use crate::ml::perceptron::{Model, Trainer};
use crate::tagger::Tagger;
use conll::Chunk;
use decode::{Lattice, Tag, TYPES};
use features::Resources;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const MAGIC: &[u8; 4] = b"DLNE";
const VERSION: u32 = 1;

const NER_ES: &[u8] = include_bytes!("../../../../models/ner-es.bin.gz");
const NER_EN: &[u8] = include_bytes!("../../../../models/ner-en.bin.gz");

/// A named entity over word indices `[start, end)`.
#[derive(Debug, Clone, PartialEq)]
pub struct NerSpan {
    pub start: usize,
    /// Exclusive.
    pub end: usize,
    /// PER, ORG, LOC or MISC.
    pub label: &'static str,
    /// Mean posterior probability of the span's tags (0-1).
    pub score: f32,
}

/// A sentence for training: syntactic words, their UPOS (from the tagger
/// the model will run behind) and the gold entities over word indices.
#[derive(Debug, Clone, Default)]
pub struct TrainSentence {
    pub words: Vec<String>,
    pub upos: Vec<String>,
    pub chunks: Vec<Chunk>,
}

/// Class names, features of each word of each sentence, and the gold
/// class of each word (see [`Ner::training_features`]).
pub type TrainingFeatures = (Vec<String>, Vec<Vec<Vec<u64>>>, Vec<Vec<usize>>);

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub epochs: usize,
    /// Seed of the shuffling between epochs (training is deterministic).
    pub seed: u64,
    /// Optional feature groups (`features::F_*`).
    pub flags: u32,
    /// With `F_HIST`: how many preceding sentences the history covers.
    pub window: usize,
    /// With `F_HIST`: folds of the jackknife that labels the training
    /// sentences' history.
    pub folds: usize,
    /// Features seen fewer times than this in training are dropped.
    pub min_count: u32,
    /// Models (different shuffles) averaged into the final one.
    pub mix: usize,
    /// Percentage of training sentences that get no non-local features, so
    /// that the model also learns to tag a sentence on its own
    /// ([`Ner::tag`], as the entities stage calls it).
    pub alone: u32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 10,
            seed: 0x9e37_79b9_7f4a_7c15,
            flags: 0,
            window: 30,
            folds: 5,
            min_count: 1,
            alone: 0,
            mix: 1,
        }
    }
}

/// A trained recogniser.
pub struct Ner {
    model: Model,
    tags: Vec<Tag>,
    /// `(tags + 1) * tags` transition scores, the last row for the start.
    trans: Vec<f32>,
    /// The tags' legal transitions and potentials, for decoding.
    lattice: Lattice,
    lexicon: Option<Arc<Lexicon>>,
    kb: Option<&'static Kb>,
    flags: u32,
    window: usize,
    /// With `F_NAMES`: the names of the training data.
    names: Option<features::NameList>,
    /// Form-feature caches, one taken by each sentence being tagged (so
    /// that threads do not wait on each other).
    form_caches: Mutex<Vec<features::FormCache>>,
}

fn builtin_lexicon(lang: &str) -> Result<Arc<Lexicon>> {
    Lexicon::builtin(lang)
}

impl Ner {
    /// Loads the shipped model of `lang` ("es" or "en") with the lexicon
    /// and KB its features were trained with.
    pub fn load(lang: &str) -> Result<Ner> {
        let bytes = match lang {
            "es" => NER_ES,
            "en" => NER_EN,
            _ => return Err(Error::Model(format!("no NER model for language {lang:?}"))),
        };
        // the lexicon (the slower part) loads beside the model: half the
        // start-up time on two cores
        let (lexicon, ner) = std::thread::scope(|s| {
            let h = s.spawn(|| builtin_lexicon(lang));
            (h.join(), Ner::from_bytes(bytes, None, None))
        });
        let lexicon = match lexicon {
            Ok(r) => r?,
            Err(_) => builtin_lexicon(lang)?,
        };
        let mut ner = ner?;
        ner.lexicon = Some(lexicon);
        ner.kb = Some(Kb::shared()?);
        Ok(ner)
    }

    /// The clusters shipped for `lang`, as [`Ner::load`] uses them (for
    /// training with the same features).
    pub fn builtin_lexicon(lang: &str) -> Result<Arc<Lexicon>> {
        builtin_lexicon(lang)
    }

    fn resources(&self) -> Resources<'_> {
        Resources {
            lexicon: self.lexicon.as_deref(),
            kb: self.kb,
            flags: self.flags,
        }
    }

    /// Finds the entities of the sentences of one document, in order: with
    /// a model trained with non-local features, each sentence sees the
    /// labels given to its words in the preceding sentences.
    pub fn tag_document(&self, sents: &[(Vec<&str>, Vec<&str>)]) -> Vec<Vec<NerSpan>> {
        self.tag_document_inner(sents, None)
    }

    /// The features of each word of each sentence of a document as
    /// [`Ner::tag_document`] computes them (hashed, for `--dump-crfsuite`).
    pub fn document_features(&self, sents: &[(Vec<&str>, Vec<&str>)]) -> Vec<Vec<Vec<u64>>> {
        let mut sink = Vec::with_capacity(sents.len());
        self.tag_document_inner(sents, Some(&mut sink));
        sink
    }

    fn tag_document_inner(
        &self,
        sents: &[(Vec<&str>, Vec<&str>)],
        mut sink: Option<&mut Vec<Vec<Vec<u64>>>>,
    ) -> Vec<Vec<NerSpan>> {
        let mut out: Vec<Vec<NerSpan>> = Vec::with_capacity(sents.len());
        let hist_on = self.flags & features::F_HIST != 0;
        for (j, (forms, upos)) in sents.iter().enumerate() {
            let hist = if hist_on {
                let mut h = features::History::default();
                for k in j.saturating_sub(self.window)..j {
                    let (f, _) = &sents[k];
                    let spans: Vec<(usize, usize, usize)> = out[k]
                        .iter()
                        .map(|s| {
                            let ty = TYPES.iter().position(|t| *t == s.label).unwrap_or(3);
                            (s.start, s.end, ty)
                        })
                        .collect();
                    h.add(f, &spans);
                }
                Some(h)
            } else {
                None
            };
            let (mut feats, _) =
                self.with_cache(|c| self.features_of(forms, upos, hist.as_ref(), c));
            if self.flags & features::F_CTX != 0 {
                let ctx = contexts_around(
                    sents.len(),
                    |k| sents.get(k).map(|s| s.0.as_slice()).unwrap_or(&[]),
                    j,
                    self.window,
                );
                features::context_features(&ctx, forms, &mut feats);
            }
            out.push(self.decode(forms.len(), &feats));
            if let Some(sink) = sink.as_deref_mut() {
                sink.push(feats);
            }
        }
        out
    }

    /// Runs `f` with one of the form-feature caches.
    fn with_cache<R>(&self, f: impl FnOnce(&mut features::FormCache) -> R) -> R {
        let mut cache = self
            .form_caches
            .lock()
            .ok()
            .and_then(|mut v| v.pop())
            .unwrap_or_default();
        let r = f(&mut cache);
        if let Ok(mut v) = self.form_caches.lock() {
            v.push(cache);
        }
        r
    }

    /// The features of each word of a sentence, and the index of each
    /// word's form in `cache`.
    fn features_of(
        &self,
        forms: &[&str],
        upos: &[&str],
        hist: Option<&features::History>,
        cache: &mut features::FormCache,
    ) -> (Vec<Vec<u64>>, Vec<usize>) {
        let (mut feats, ids) =
            features::sentence_features_cached(self.resources(), forms, upos, Some(cache));
        if let Some(names) = &self.names {
            // the lower-cased forms, as the cache made them
            let lower: Vec<&str> = ids.iter().map(|&k| cache.lower(k)).collect();
            features::name_features_lower(names, forms, &lower, &mut feats);
        }
        if let Some(h) = hist {
            features::history_features(h, forms, &mut feats);
        }
        (feats, ids)
    }

    /// Finds the entities of one sentence. `upos` holds the tagger's UPOS of
    /// each word (missing tags count as `X`). Never panics; empty input
    /// gives no spans.
    ///
    /// The sentence is tagged on its own: no non-local features (the model
    /// learnt to do without them on the sentences that training left
    /// alone, see [`TrainOptions::alone`]).
    pub fn tag(&self, forms: &[&str], upos: &[&str]) -> Vec<NerSpan> {
        self.tag_where(forms, upos, &|_, _| true)
    }

    /// The spans of [`Ner::tag`] for which `keep(start, end)` holds, in
    /// order, with the same scores: the posteriors are computed only as far
    /// as the kept spans need them, and not at all when none is kept.
    pub fn tag_where(
        &self,
        forms: &[&str],
        upos: &[&str],
        keep: &dyn Fn(usize, usize) -> bool,
    ) -> Vec<NerSpan> {
        self.tag_where_min(forms, upos, keep, None)
    }

    /// The spans of [`Ner::tag_where`] whose score reaches `min` (all with
    /// `None`). With `min` a span's score may be a lower bound of its own
    /// (see [`Ner::decode_em`]): a sentence whose best path is that likely
    /// needs no backward pass.
    pub fn tag_where_min(
        &self,
        forms: &[&str],
        upos: &[&str],
        keep: &dyn Fn(usize, usize) -> bool,
        min: Option<f32>,
    ) -> Vec<NerSpan> {
        if forms.is_empty() {
            return Vec::new();
        }
        self.with_cache(|cache| {
            let (feats, ids) = self.features_of(forms, upos, None, cache);
            let t = self.tags.len();
            // the emission scores, each word's form features scored once
            // per form (the same sums as `Model::scores`)
            let mut em = vec![0.0f32; feats.len() * t];
            if t > 0 && ids.len() == feats.len() {
                // every look-up of the sentence hinted first, so that their
                // waits for memory overlap (see `FormCache::prefetch`)
                for (f, &k) in feats.iter().zip(&ids) {
                    cache.prefetch(k, f, &self.model, t);
                }
                for ((f, &k), row) in feats.iter().zip(&ids).zip(em.chunks_exact_mut(t)) {
                    cache.scores(k, f, &self.model, row);
                }
            } else {
                self.emissions(&feats, &mut em);
            }
            let spans = self.decode_em(forms.len(), &em, keep, min);
            cache.recycle(feats);
            spans
        })
    }

    /// The emission scores of each word (`t` per word) into `em`.
    fn emissions(&self, feats: &[Vec<u64>], em: &mut [f32]) {
        let t = self.tags.len();
        if t == 0 {
            return;
        }
        for (f, row) in feats.iter().zip(em.chunks_exact_mut(t)) {
            self.model.scores(f, row);
        }
    }

    fn decode(&self, n: usize, feats: &[Vec<u64>]) -> Vec<NerSpan> {
        let mut em = vec![0.0f32; feats.len() * self.tags.len()];
        self.emissions(feats, &mut em);
        self.decode_em(n, &em, &|_, _| true, None)
    }

    /// The spans of a sentence of `n` words from its emission scores, those
    /// for which `keep(start, end)` holds.
    ///
    /// With `min`, only the spans whose score reaches it are given, and
    /// when the whole best path is at least that likely (each of its tags'
    /// posteriors is then at least as high) the backward pass is skipped
    /// and each span's score is that lower bound, not its own posterior.
    fn decode_em(
        &self,
        n: usize,
        em: &[f32],
        keep: &dyn Fn(usize, usize) -> bool,
        min: Option<f32>,
    ) -> Vec<NerSpan> {
        let t = self.tags.len();
        if n == 0 || t == 0 {
            return Vec::new();
        }
        let path = self.lattice.viterbi(em);
        let mut spans = spans_of(&self.tags, &path);
        spans.retain(|&(s, e, _)| keep(s, e));
        if spans.is_empty() {
            // posteriors only score spans: none, no forward-backward pass
            return Vec::new();
        }
        // only the path's tags of the spans' words are read: the backward
        // pass stops at the first span
        let from = spans.iter().map(|s| s.0).min().unwrap_or(0);
        let Some(fwd) = self.lattice.forward(em) else {
            return Vec::new();
        };
        if let Some(min) = min {
            // a margin far above the rounding of either computation
            let p = self.lattice.path_probability(&fwd, &path);
            if p >= f64::from(min) + 1e-6 {
                return spans
                    .into_iter()
                    .map(|(start, end, ty)| NerSpan {
                        start,
                        end,
                        label: TYPES[ty],
                        score: p as f32,
                    })
                    .collect();
            }
        }
        let post = self.lattice.path_posteriors_after(fwd, &path, from);
        spans
            .into_iter()
            .map(|(start, end, ty)| {
                let score = (start..end)
                    .map(|i| post.get(i).copied().unwrap_or(0.0))
                    .sum::<f32>()
                    / (end - start).max(1) as f32;
                NerSpan {
                    start,
                    end,
                    label: TYPES[ty],
                    score,
                }
            })
            .filter(|s| min.is_none_or(|m| s.score >= m))
            .collect()
    }

    /// Trains a model. Deterministic: the same data, options and resources
    /// give a byte-identical model file.
    pub fn train(
        data: &[TrainSentence],
        opts: &TrainOptions,
        lexicon: Option<Arc<Lexicon>>,
        kb: Option<&'static Kb>,
    ) -> Ner {
        let p = Prepared::new(data, opts, lexicon.as_deref(), kb);
        let all: Vec<usize> = (0..data.len()).collect();
        let (model, trans) = if opts.mix > 1 {
            // parameter mixing: the mean of models trained on different
            // shuffles (lower variance than any one of them)
            let runs: Vec<(Model, Vec<f32>)> = (0..opts.mix as u64)
                .map(|r| {
                    let o = TrainOptions {
                        seed: opts
                            .seed
                            .wrapping_add(r.wrapping_mul(0x2545_f491_4f6c_dd1d)),
                        ..opts.clone()
                    };
                    fit(&p.tags, &p.classes, &p.feats, &p.golds, &all, &o)
                })
                .collect();
            mix(&runs)
        } else {
            fit(&p.tags, &p.classes, &p.feats, &p.golds, &all, opts)
        };
        Ner {
            lattice: Lattice::new(&p.tags, &trans),
            model,
            tags: p.tags,
            trans,
            lexicon,
            kb,
            flags: opts.flags,
            window: opts.window,
            names: p.names,
            form_caches: Mutex::new(Vec::new()),
        }
    }

    /// The classes, features and gold class of every word of the training
    /// sentences, exactly as [`Ner::train`] learns from them.
    pub fn training_features(
        data: &[TrainSentence],
        opts: &TrainOptions,
        lexicon: Option<&Lexicon>,
        kb: Option<&Kb>,
    ) -> TrainingFeatures {
        let p = Prepared::new(data, opts, lexicon, kb);
        (p.classes, p.feats, p.golds)
    }

    /// Shrinks the emission weights for shipping (see
    /// [`Model::compact`]); returns (rows kept, rows before).
    pub fn compact(&mut self, min_abs: f32, mantissa_bits: u32) -> (usize, usize) {
        self.model.compact(min_abs, mantissa_bits)
    }

    /// Serialises (gzip-compressed, deterministic).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut lines = vec![format!(
            "uses\t{}\t{}",
            if self.lexicon.is_some() {
                "lexicon"
            } else {
                "-"
            },
            if self.kb.is_some() { "kb" } else { "-" }
        )];
        if self.flags != 0 {
            lines.push(format!("feats\t{}\t{}", self.flags, self.window));
        }
        if let Some(names) = &self.names {
            lines.push(format!("namelen\t{}", names.max_len()));
            for (k, m) in names.entries() {
                lines.push(format!("name\t{k:016x}\t{m}"));
            }
        }
        let t = self.tags.len();
        for (k, w) in self.trans.iter().enumerate() {
            if *w != 0.0 {
                lines.push(format!(
                    "trans\t{}\t{}\t{:08x}",
                    k / t.max(1),
                    k % t.max(1),
                    w.to_bits()
                ));
            }
        }
        artifact::write(MAGIC, VERSION, &lines, &self.model)
    }

    /// Reads a model written by [`Ner::to_bytes`]; `lexicon` and `kb` must
    /// be those it was trained with.
    pub fn from_bytes(
        gz: &[u8],
        lexicon: Option<Arc<Lexicon>>,
        kb: Option<&'static Kb>,
    ) -> Result<Ner> {
        let (lines, model) = artifact::read(gz, MAGIC, VERSION, "NER")?;
        let tags: Vec<Tag> = model.classes.iter().map(|c| Tag::parse(c)).collect();
        let t = tags.len();
        let mut trans = vec![0.0f32; (t + 1) * t];
        let bad = || Error::Model("NER model: bad transition line".into());
        let (mut flags, mut window) = (0u32, 0usize);
        let mut names: Option<features::NameList> = None;
        let mut name_len = 0usize;
        for line in &lines {
            let cols: Vec<&str> = line.split('\t').collect();
            if let ["namelen", l] = cols.as_slice() {
                name_len = l
                    .parse()
                    .map_err(|_| Error::Model("NER model: bad namelen line".into()))?;
                continue;
            }
            if let ["name", k, m] = cols.as_slice() {
                let bad = || Error::Model("NER model: bad name line".into());
                let k = u64::from_str_radix(k, 16).map_err(|_| bad())?;
                let m: u8 = m.parse().map_err(|_| bad())?;
                names
                    .get_or_insert_with(features::NameList::default)
                    .insert(k, m, name_len);
                continue;
            }
            if let ["feats", f, w] = cols.as_slice() {
                let bad = || Error::Model("NER model: bad feats line".into());
                flags = f.parse().map_err(|_| bad())?;
                window = w.parse().map_err(|_| bad())?;
                continue;
            }
            if cols.first() != Some(&"trans") {
                continue;
            }
            let [_, p, c, w] = cols.as_slice() else {
                return Err(bad());
            };
            let p: usize = p.parse().map_err(|_| bad())?;
            let c: usize = c.parse().map_err(|_| bad())?;
            let w = u32::from_str_radix(w, 16).map_err(|_| bad())?;
            if p > t || c >= t {
                return Err(bad());
            }
            trans[p * t + c] = f32::from_bits(w);
        }
        Ok(Ner {
            lattice: Lattice::new(&tags, &trans),
            model,
            tags,
            trans,
            lexicon,
            kb,
            flags,
            window,
            names,
            form_caches: Mutex::new(Vec::new()),
        })
    }
}

/// Training sentences turned into what the perceptron learns from.
struct Prepared {
    classes: Vec<String>,
    tags: Vec<Tag>,
    feats: Vec<Vec<Vec<u64>>>,
    golds: Vec<Vec<usize>>,
    names: Option<features::NameList>,
}

/// The names of the sentences `idx` (gold chunks).
fn name_list(data: &[TrainSentence], idx: impl Iterator<Item = usize>) -> features::NameList {
    let mut names = features::NameList::default();
    for i in idx {
        let Some(s) = data.get(i) else { continue };
        for c in &s.chunks {
            if let Some(words) = s.words.get(c.start..c.end) {
                let words: Vec<&str> = words.iter().map(|w| w.as_str()).collect();
                let ty = TYPES.iter().position(|t| *t == c.label).unwrap_or(3);
                names.add(&words, ty);
            }
        }
    }
    names
}

impl Prepared {
    fn new(
        data: &[TrainSentence],
        opts: &TrainOptions,
        lexicon: Option<&Lexicon>,
        kb: Option<&Kb>,
    ) -> Prepared {
        let mut types: Vec<&str> = data
            .iter()
            .flat_map(|s| s.chunks.iter().map(|c| c.label.as_str()))
            .collect();
        types.sort_unstable();
        types.dedup();
        let mut classes = vec!["O".to_string()];
        for ty in &types {
            for p in ["B", "I", "L", "U"] {
                classes.push(format!("{p}-{ty}"));
            }
        }
        classes.sort();
        let id: HashMap<&str, usize> = classes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        let tags: Vec<Tag> = classes.iter().map(|c| Tag::parse(c)).collect();
        let t = classes.len();
        let res = Resources {
            lexicon,
            kb,
            flags: opts.flags,
        };
        // features do not depend on tags: compute them once
        let mut feats: Vec<Vec<Vec<u64>>> = Vec::with_capacity(data.len());
        let mut golds: Vec<Vec<usize>> = Vec::with_capacity(data.len());
        for s in data {
            let forms: Vec<&str> = s.words.iter().map(|w| w.as_str()).collect();
            let upos: Vec<&str> = s.upos.iter().map(|w| w.as_str()).collect();
            let f = features::sentence_features(res, &forms, &upos);
            feats.push(f);
            golds.push(
                conll::bilou(&s.chunks, forms.len())
                    .iter()
                    .map(|g| id.get(g.as_str()).copied().unwrap_or(0))
                    .collect(),
            );
        }
        let mut names = None;
        if opts.flags & features::F_NAMES != 0 {
            // each training sentence sees the names of the other folds only,
            // as a test sentence sees names it may never have met
            let folds = opts.folds.max(2).min(data.len().max(1));
            for k in 0..folds {
                let lo = data.len() * k / folds;
                let hi = data.len() * (k + 1) / folds;
                let list = name_list(data, (0..data.len()).filter(|i| *i < lo || *i >= hi));
                for i in lo..hi {
                    let forms: Vec<&str> = data[i].words.iter().map(|w| w.as_str()).collect();
                    features::name_features(&list, &forms, &mut feats[i]);
                }
            }
            names = Some(name_list(data, 0..data.len()));
        }
        if opts.flags & features::F_HIST != 0 {
            // the history of a training sentence comes from a model that
            // did not see it (jackknife over contiguous folds), so that it
            // is as noisy as at prediction time
            let folds = opts.folds.max(2).min(data.len().max(1));
            let mut pred_spans: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new(); data.len()];
            for k in 0..folds {
                let lo = data.len() * k / folds;
                let hi = data.len() * (k + 1) / folds;
                let train_idx: Vec<usize> =
                    (0..data.len()).filter(|i| *i < lo || *i >= hi).collect();
                let (model, trans) = fit(&tags, &classes, &feats, &golds, &train_idx, opts);
                let mut buf = vec![0.0f32; t];
                for i in lo..hi {
                    let mut em = Vec::with_capacity(feats[i].len() * t);
                    for f in &feats[i] {
                        model.scores(f, &mut buf);
                        em.extend_from_slice(&buf);
                    }
                    let path = decode::viterbi(&tags, &em, &trans);
                    pred_spans[i] = spans_of(&tags, &path);
                }
            }
            for j in 0..data.len() {
                if alone(j, opts.alone) {
                    continue;
                }
                let mut h = features::History::default();
                for k in j.saturating_sub(opts.window)..j {
                    let forms: Vec<&str> = data[k].words.iter().map(|w| w.as_str()).collect();
                    h.add(&forms, &pred_spans[k]);
                }
                let forms: Vec<&str> = data[j].words.iter().map(|w| w.as_str()).collect();
                features::history_features(&h, &forms, &mut feats[j]);
            }
        }
        if opts.flags & features::F_CTX != 0 {
            let all: Vec<Vec<&str>> = data
                .iter()
                .map(|s| s.words.iter().map(|w| w.as_str()).collect())
                .collect();
            for (j, f) in feats.iter_mut().enumerate() {
                if alone(j, opts.alone) {
                    continue;
                }
                let ctx = contexts_around(
                    all.len(),
                    |k| all.get(k).map(|s| s.as_slice()).unwrap_or(&[]),
                    j,
                    opts.window,
                );
                features::context_features(&ctx, &all[j], f);
            }
        }
        if opts.min_count > 1 {
            let mut count: HashMap<u64, u32> = HashMap::new();
            for f in feats.iter().flatten().flatten() {
                *count.entry(*f).or_insert(0) += 1;
            }
            for f in feats.iter_mut().flatten() {
                f.retain(|x| count.get(x).copied().unwrap_or(0) >= opts.min_count);
            }
        }
        feats.iter_mut().flatten().for_each(|v| v.shrink_to_fit());
        Prepared {
            classes,
            tags,
            feats,
            golds,
            names,
        }
    }
}

/// The structured perceptron over the sentences `idx` of precomputed
/// features: the averaged emission model and transition scores.
fn fit(
    tags: &[Tag],
    classes: &[String],
    feats: &[Vec<Vec<u64>>],
    golds: &[Vec<usize>],
    idx: &[usize],
    opts: &TrainOptions,
) -> (Model, Vec<f32>) {
    let t = tags.len();
    let mut trainer = Trainer::new(classes.to_vec());
    let mut tw = vec![0.0f32; (t + 1) * t];
    let mut total = vec![0.0f64; (t + 1) * t];
    let mut stamp = vec![0u32; (t + 1) * t];
    let mut step: u32 = 0;
    let mut order: Vec<usize> = idx.to_vec();
    let mut seed = opts.seed.max(1);
    let mut em: Vec<f32> = Vec::new();
    let mut buf = Vec::new();
    for _ in 0..opts.epochs {
        crate::ml::shuffle(&mut order, &mut seed);
        for &k in &order {
            let (Some(fs), Some(gold)) = (feats.get(k), golds.get(k)) else {
                continue;
            };
            if fs.is_empty() {
                continue;
            }
            em.clear();
            for f in fs {
                trainer.predict(f, &mut buf);
                em.extend_from_slice(&buf);
            }
            let pred = decode::viterbi(tags, &em, &tw);
            for i in 0..fs.len() {
                let (g, p) = (gold[i], pred.get(i).copied().unwrap_or(0));
                trainer.update(&fs[i], g, p);
                step += 1;
                let gp = if i == 0 { t } else { gold[i - 1] };
                let pp = if i == 0 { t } else { pred[i - 1] };
                if (gp, g) != (pp, p) {
                    for (cell, delta) in [(gp * t + g, 1.0f32), (pp * t + p, -1.0f32)] {
                        total[cell] += f64::from(step - stamp[cell]) * f64::from(tw[cell]);
                        stamp[cell] = step;
                        tw[cell] += delta;
                    }
                }
            }
        }
    }
    let denom = f64::from(step.max(1));
    let trans = (0..tw.len())
        .map(|c| ((total[c] + f64::from(step - stamp[c]) * f64::from(tw[c])) / denom) as f32)
        .collect();
    (trainer.average(), trans)
}

/// The mean of several models over the same classes (weights of a feature
/// a model lacks count as zero) and of their transition scores. Goes
/// through the perceptron's file format, whose rows are sorted by feature.
fn mix(runs: &[(Model, Vec<f32>)]) -> (Model, Vec<f32>) {
    let Some((first, first_trans)) = runs.first() else {
        return (Trainer::new(Vec::new()).average(), Vec::new());
    };
    let k = runs.len() as f32;
    let n = first.classes.len();
    let mut rows: std::collections::BTreeMap<u64, Vec<f32>> = Default::default();
    let mut header: Vec<u8> = Vec::new();
    for (m, _) in runs {
        let bytes = m.to_bytes();
        // header: magic, version, class count, classes; then the row count
        let mut pos = 12;
        for _ in 0..n {
            let len = bytes
                .get(pos..pos + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
                .unwrap_or(0);
            pos += 4 + len;
        }
        if header.is_empty() {
            header = bytes.get(..pos).unwrap_or(&[]).to_vec();
        }
        let row_len = 8 + 4 * n;
        for chunk in bytes.get(pos + 8..).unwrap_or(&[]).chunks_exact(row_len) {
            let mut h = [0u8; 8];
            h.copy_from_slice(&chunk[..8]);
            let row = rows
                .entry(u64::from_le_bytes(h))
                .or_insert_with(|| vec![0.0; n]);
            for (o, b) in row.iter_mut().zip(chunk[8..].chunks_exact(4)) {
                *o += f32::from_le_bytes([b[0], b[1], b[2], b[3]]) / k;
            }
        }
    }
    let mut out = header;
    out.extend_from_slice(&(rows.len() as u64).to_le_bytes());
    for (h, ws) in &rows {
        out.extend_from_slice(&h.to_le_bytes());
        for w in ws {
            out.extend_from_slice(&w.to_le_bytes());
        }
    }
    let model = Model::from_bytes(&out).unwrap_or_else(|_| first.clone());
    let trans = (0..first_trans.len())
        .map(|c| {
            runs.iter()
                .map(|(_, t)| t.get(c).copied().unwrap_or(0.0))
                .sum::<f32>()
                / k
        })
        .collect();
    (model, trans)
}

/// Whether training sentence `j` goes without non-local features (about
/// `pct` percent of them, chosen by a hash of the index).
fn alone(j: usize, pct: u32) -> bool {
    pct > 0 && ((j as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40) % 100 < u64::from(pct)
}

/// The contexts of the `window` sentences before and after sentence `j`
/// of the `n` sentences that `get` gives.
fn contexts_around<'a>(
    n: usize,
    get: impl Fn(usize) -> &'a [&'a str],
    j: usize,
    window: usize,
) -> features::Contexts {
    let mut ctx = features::Contexts::default();
    for k in j.saturating_sub(window)..(j + window + 1).min(n) {
        if k != j {
            ctx.add(get(k));
        }
    }
    ctx
}

/// Spans (start, end, type index) of a legal tag path: the chunks
/// [`conll::chunks`] reads in the path's tag names ("B-PER", "O"...), found
/// on the tags themselves.
fn spans_of(tags: &[Tag], path: &[usize]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    // the open chunk (start, type)
    let mut open: Option<(usize, usize)> = None;
    // the previous tag's prefix and type (`None` for O)
    let mut prev: Option<(char, usize)> = None;
    for (i, &k) in path.iter().enumerate() {
        let cur = match tags.get(k) {
            Some(Tag {
                prefix,
                ty: Some(ty),
            }) if *prefix != 'O' => Some((*prefix, *ty)),
            _ => None,
        };
        let ends_prev = match (prev, cur) {
            (Some(('E' | 'L' | 'S' | 'U', _)), _) => true,
            (Some(('B' | 'I', pty)), Some((p, ty))) => matches!(p, 'B' | 'S' | 'U') || ty != pty,
            (Some((pp, _)), None) => matches!(pp, 'B' | 'I'),
            _ => false,
        };
        if ends_prev {
            if let Some((s, ty)) = open.take() {
                out.push((s, i, ty));
            }
        }
        if let Some((p, ty)) = cur {
            let starts = matches!(p, 'B' | 'S' | 'U')
                || (matches!(p, 'I' | 'E' | 'L')
                    && match prev {
                        None => true,
                        Some((pp, pty)) => matches!(pp, 'E' | 'L' | 'S' | 'U') || ty != pty,
                    });
            if starts || open.is_none() {
                if let Some((s, t)) = open.take() {
                    out.push((s, i, t));
                }
                open = Some((i, ty));
            }
        }
        prev = cur;
    }
    if let Some((s, ty)) = open {
        out.push((s, path.len(), ty));
    }
    out
}

/// The syntactic words of surface tokens, as the tagging stage makes them
/// (multiword tokens expanded), each word's token, and the tagger's UPOS.
pub struct Words {
    pub words: Vec<String>,
    pub owner: Vec<usize>,
    pub upos: Vec<String>,
}

/// Expands and tags surface tokens with `tagger` (what the tagging stage
/// does to a sentence), so training and evaluation see the words and tags
/// the pipeline will give the recogniser.
pub fn words_of(tagger: &Tagger, tokens: &[String]) -> Words {
    let mut words = Vec::with_capacity(tokens.len());
    let mut owner = Vec::with_capacity(tokens.len());
    for (k, tok) in tokens.iter().enumerate() {
        for w in tagger.expand(tok) {
            words.push(w);
            owner.push(k);
        }
    }
    let refs: Vec<&str> = words.iter().map(|w| w.as_str()).collect();
    let upos = tagger.tag(&refs).into_iter().map(str::to_string).collect();
    Words { words, owner, upos }
}

impl Words {
    /// The words and their UPOS as string slices, the input of
    /// [`Ner::tag`] and [`Ner::document_features`].
    pub fn refs(&self) -> (Vec<&str>, Vec<&str>) {
        (
            self.words.iter().map(|x| x.as_str()).collect(),
            self.upos.iter().map(|x| x.as_str()).collect(),
        )
    }

    /// Token chunks mapped onto words.
    pub fn chunks_to_words(&self, chunks: &[Chunk]) -> Vec<Chunk> {
        chunks
            .iter()
            .filter_map(|c| {
                let s = self.owner.iter().position(|&o| o == c.start)?;
                let e = self.owner.iter().rposition(|&o| o + 1 == c.end)? + 1;
                Some(Chunk {
                    start: s,
                    end: e,
                    label: c.label.clone(),
                })
            })
            .collect()
    }

    /// Word spans mapped back onto tokens.
    pub fn spans_to_tokens(&self, spans: &[NerSpan]) -> Vec<Chunk> {
        let mut out: Vec<Chunk> = spans
            .iter()
            .filter_map(|s| {
                Some(Chunk {
                    start: *self.owner.get(s.start)?,
                    end: *self.owner.get(s.end.checked_sub(1)?)? + 1,
                    label: s.label.to_string(),
                })
            })
            .collect();
        out.dedup_by(|b, a| a.start == b.start);
        out
    }
}

#[cfg(test)]
mod tests;
