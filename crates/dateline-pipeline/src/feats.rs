//! Morphological features (UD `FEATS`: "Mood=Ind|Number=Sing|Person=3|
//! Tense=Fut|VerbForm=Fin") predicted from the words and their UPOS.
//!
//! Design choice: the whole `FEATS` string is one class, predicted by one
//! small averaged perceptron per UPOS, whose classes are the strings seen
//! with that UPOS in training (so a NOUN never gets `Tense`, and each model
//! scores 2-60 classes, not the 130-170 of the whole treebank). Before the
//! model, a dictionary answers for (form, UPOS) pairs whose features never
//! varied in training ("el", "ha", "was"), and a UPOS seen with one value
//! only (ADP, CCONJ) gets it without a model: the frequent function words
//! never reach a classifier, which keeps the stage cheap. Measured against
//! one classifier per feature (Tense, Mood, ...), see models/README.md.
//! Only the universal features of UD v2 are kept (those the CoNLL 2018
//! scorer compares): `PunctType`, `NumForm`, `Typo` and other
//! treebank-specific ones are dropped when training.
//!
//! Features per word: the word, its suffixes (1-5 characters), shape, the
//! two previous words, the UPOS of the neighbours, the inflection (what the
//! form adds to its lemma: "represente" / "representar" -> "e" for "ar", a
//! subjunctive), and conjunctions that carry agreement and periphrasis ("ha"
//! before a participle, "will" before an infinitive, a determiner before a
//! plural noun).
//! Templates were kept by ablation on a split of GSD dev and on EWT dev
//! (the next word and the UPOS two words away did not help).
//!
//! Model file: gzip of `DLFT` + version + the dictionary lines + one
//! perceptron model per UPOS.

use crate::error::{Error, Result};
use crate::ml::perceptron::{feature2_h, feature_h, hash_str, prefetch, Model, Row, Trainer};
use crate::ml::word::{shape_into, suffix, Hashes};
use crate::shared::SharedStrs;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::sync::Arc;

const MAGIC: &[u8; 4] = b"DLFT";
const VERSION: u32 = 1;

/// The universal features of UD v2 compared by the CoNLL 2018 scorer.
pub const UNIVERSAL: [&str; 21] = [
    "PronType", "NumType", "Poss", "Reflex", "Foreign", "Abbr", "Gender", "Animacy", "Number",
    "Case", "Definite", "Degree", "VerbForm", "Mood", "Tense", "Aspect", "Voice", "Evident",
    "Polarity", "Person", "Polite",
];

/// The universal features of a CoNLL-U `FEATS` column, sorted, joined by
/// `|` (`""` for `_` or when none is universal).
pub fn universal(feats: &str) -> String {
    if feats == "_" {
        return String::new();
    }
    let mut kept: Vec<&str> = feats
        .split('|')
        .filter(|f| {
            let name = f.split_once('=').map_or(*f, |(n, _)| n);
            UNIVERSAL.contains(&name)
        })
        .collect();
    kept.sort_unstable_by_key(|f| f.to_ascii_lowercase());
    kept.join("|")
}

/// A sentence for training: words, their UPOS and their `FEATS` (already
/// reduced with [`universal`]).
pub struct FeatsSentence {
    pub words: Vec<String>,
    pub upos: Vec<String>,
    /// Lower-cased lemmas.
    pub lemmas: Vec<String>,
    pub feats: Vec<String>,
}

/// Training options.
#[derive(Debug, Clone, Copy)]
pub struct FeatsOptions {
    pub epochs: usize,
    /// A (form, UPOS) pair enters the dictionary when seen at least this
    /// many times, always with the same features (0 = no dictionary).
    pub dict_min_count: usize,
}

impl Default for FeatsOptions {
    fn default() -> Self {
        FeatsOptions {
            epochs: 10,
            dict_min_count: 2,
        }
    }
}

/// What is known for one UPOS.
///
/// The feature strings (values of `dict`, `default`, `values`) are shared
/// across the tagger, one `Arc` per distinct string ([`SharedStrs`]): the
/// tagging stage hands every word a clone instead of a string of its own.
struct PerUpos {
    /// Lower-cased form → features, for forms that never varied.
    dict: FxHashMap<Box<str>, Arc<str>>,
    /// The classifier, when the UPOS was seen with more than one value.
    model: Option<Model>,
    /// The model's classes, shared (same order as `Model::classes`).
    values: Vec<Arc<str>>,
    /// The most frequent value (the answer without a model).
    default: Arc<str>,
}

impl PerUpos {
    /// Sets the classifier, and the shared copies of its classes.
    fn set_model(&mut self, model: Model, strs: &mut SharedStrs) {
        self.values = model.classes.iter().map(|c| strs.intern(c)).collect();
        self.model = Some(model);
    }
}

/// A trained feature tagger.
pub struct FeatsTagger {
    by_upos: FxHashMap<Box<str>, PerUpos>,
    /// The empty value (words of a UPOS the tagger does not know).
    empty: Arc<str>,
    consts: Consts,
    /// Unique per feature tagger, keys its caches.
    id: u64,
}

/// Hashes of the fixed feature values.
#[derive(Debug, Clone, Copy)]
struct Consts {
    empty: u64,
    bos: u64,
    eos: u64,
    /// "s>": the last two characters of "<s>" and "</s>".
    s2: u64,
}

impl Consts {
    fn new() -> Consts {
        Consts {
            empty: hash_str(""),
            bos: hash_str("<s>"),
            eos: hash_str("</s>"),
            s2: hash_str(suffix("</s>", 2)),
        }
    }
}

/// Numbers of words' (form, UPOS) and the key of the numbering (see
/// [`FeatsInput::ids`]).
pub type WordIds<'s> = (&'s [(usize, usize)], (u64, u64));

/// A sentence as the features read it.
pub struct FeatsInput<'s> {
    /// Lower-cased words (as [`FeatsTagger::predict`] lower-cases them).
    pub lower: &'s [&'s str],
    /// The words as written.
    pub words: &'s [&'s str],
    /// [`Hashes`] of `lower`.
    pub hashes: &'s [Hashes],
    pub upos: &'s [&'s str],
    /// [`hash_str`] of `upos`.
    pub upos_hashes: &'s [u64],
    /// Lower-cased lemmas.
    pub lemmas: &'s [&'s str],
    /// Optional numbers of the words' (form, UPOS), with the key of their
    /// numbering: under one key, words with the same numbers must have the
    /// same form (and lower-cased form), UPOS and lemma (the tagger's form
    /// and tag numbers do, when the lemmas come from the lemmatiser). They
    /// let the per-word memory be looked up without hashing the strings.
    pub ids: Option<WordIds<'s>>,
}

/// Features of word `i` (the order is that of the training: the scores
/// are sums in this order): [`head_features`], [`context_features`],
/// [`tail_features`].
fn features(c: &Consts, s: &FeatsInput, i: usize, shape: &mut String, out: &mut Vec<u64>) {
    out.clear();
    head_features(c, s, i, shape, out);
    context_features(c, s, i, out);
    tail_features(s, i, out);
}

/// The first features of word `i`, which depend on the word alone: bias,
/// word, suffixes, shape.
fn head_features(c: &Consts, s: &FeatsInput, i: usize, shape: &mut String, out: &mut Vec<u64>) {
    let h = s.hashes.get(i).copied().unwrap_or_default();
    out.push(feature_h(0, c.empty));
    out.push(feature_h(1, h.word));
    for (t, n) in [(2u8, 1usize), (3, 2), (4, 3), (5, 4), (6, 5)] {
        out.push(feature_h(t, h.suffix[n - 1]));
    }
    shape_into(s.words.get(i).copied().unwrap_or(""), 6, shape);
    out.push(feature_h(8, hash_str(shape)));
}

/// The features of word `i` that read its neighbours.
fn context_features(c: &Consts, s: &FeatsInput, i: usize, out: &mut Vec<u64>) {
    let h = s.hashes.get(i).copied().unwrap_or_default();
    // word i + k: its hashes, or the hash of "<s>" / "</s>" outside
    let word = |k: isize| -> std::result::Result<&Hashes, u64> {
        let j = i as isize + k;
        if j < 0 {
            Err(c.bos)
        } else {
            s.hashes.get(j as usize).ok_or(c.eos)
        }
    };
    let tag = |k: isize| -> u64 {
        let j = i as isize + k;
        if j < 0 {
            c.bos
        } else {
            s.upos_hashes.get(j as usize).copied().unwrap_or(c.eos)
        }
    };
    let (p1, n1) = (word(-1), word(1));
    let p1w = p1.map_or_else(|x| x, |h| h.word);
    out.push(feature_h(9, p1w));
    out.push(feature_h(11, tag(-1)));
    out.push(feature_h(12, tag(1)));
    out.push(feature2_h(15, tag(1), n1.map_or(c.s2, |h| h.suffix[1])));
    out.push(feature2_h(16, tag(-1), p1.map_or(c.s2, |h| h.suffix[1])));
    out.push(feature2_h(17, p1w, h.suffix[2]));
    out.push(feature_h(18, word(-2).map_or_else(|x| x, |h| h.word)));
    out.push(feature2_h(19, tag(-1), tag(-2)));
    out.push(feature2_h(20, h.suffix[2], tag(1)));
}

/// The last features of word `i`, which depend on the word and its lemma.
fn tail_features(s: &FeatsInput, i: usize, out: &mut Vec<u64>) {
    let w = s.lower.get(i).copied().unwrap_or("");
    let h = s.hashes.get(i).copied().unwrap_or_default();
    // the inflection: what the form adds to its lemma ("represente" /
    // "representar" -> "e" for "ar": a subjunctive)
    let lemma = s.lemmas.get(i).copied().unwrap_or("");
    let common = w
        .char_indices()
        .zip(lemma.chars())
        .take_while(|((_, a), b)| a == b)
        .last()
        .map(|((k, a), _)| k + a.len_utf8())
        .unwrap_or(0);
    let lsuf = hash_str(suffix(lemma, 2));
    let lcommon = lemma
        .char_indices()
        .nth(w[..common].chars().count())
        .map(|(k, _)| k)
        .unwrap_or(lemma.len());
    out.push(feature2_h(
        21,
        hash_str(&w[common..]),
        hash_str(&lemma[lcommon..]),
    ));
    out.push(feature_h(22, lsuf));
    out.push(feature2_h(23, h.suffix[2], lsuf));
}

/// What the classifier of a UPOS reads of one (word, lemma): the partial
/// sum of its head features' rows (they come first in every sum) and the
/// rows of its tail features.
struct Own {
    head: Box<[f32]>,
    tail: [Row; 3],
}

/// Per thread and feature tagger: (word, UPOS, lemma) → [`Own`].
#[derive(Default)]
struct OwnCache {
    index: FxHashMap<Box<[u8]>, usize>,
    own: Vec<Own>,
    /// With word numbers: their key, and by form number, (UPOS number,
    /// index in `own`) pairs.
    ids_key: (u64, u64),
    by_id: Vec<Vec<(usize, usize)>>,
}

/// At most this many entries per cache; emptied when full.
const OWN_CACHE_MAX: usize = 1 << 17;

thread_local! {
    /// Per feature tagger (by `FeatsTagger::id`).
    static OWN_CACHES: std::cell::RefCell<Vec<(u64, OwnCache)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Identifies feature taggers for their caches.
static NEXT_FEATS_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl FeatsTagger {
    /// The features of each word, given its UPOS and lemma (lower-cased;
    /// all three slices have the same length).
    pub fn predict<'a>(&'a self, words: &[&str], upos: &[&str], lemmas: &[&str]) -> Vec<&'a str> {
        let lower: Vec<Cow<str>> = words.iter().map(|w| lower_form(w)).collect();
        let lower: Vec<&str> = lower.iter().map(|l| l.as_ref()).collect();
        let hashes: Vec<Hashes> = lower.iter().map(|l| Hashes::new(l)).collect();
        let upos_hashes: Vec<u64> = upos.iter().map(|u| hash_str(u)).collect();
        self.predict_with(&FeatsInput {
            lower: &lower,
            words,
            hashes: &hashes,
            upos,
            upos_hashes: &upos_hashes,
            lemmas,
            ids: None,
        })
        .into_iter()
        .map(|f| f.as_ref())
        .collect()
    }

    /// [`FeatsTagger::predict`] with the hashes already computed, each
    /// value the tagger's shared copy (a word can hold a clone of it). What
    /// depends on a (word, UPOS, lemma) alone is looked up once per thread
    /// (the scores are the same sums, in the same order).
    pub fn predict_with<'a>(&'a self, s: &FeatsInput) -> Vec<&'a Arc<str>> {
        OWN_CACHES.with(|caches| {
            crate::ml::with_model_cache(caches, self.id, |cache| self.predict_cached(s, cache))
        })
    }

    fn predict_cached<'a>(&'a self, s: &FeatsInput, cache: &mut OwnCache) -> Vec<&'a Arc<str>> {
        if cache.own.len() + s.words.len() > OWN_CACHE_MAX {
            cache.index.clear();
            cache.own.clear();
            cache.by_id.clear();
        }
        if let Some((_, key)) = s.ids {
            if key != cache.ids_key {
                cache.by_id.clear();
                cache.ids_key = key;
            }
        }
        // the per-word memory is scattered (a list per form, an entry and
        // its head sum per word): ask for the sentence's lists, their
        // pairs, the entries they name and the entries' sums, one level per
        // pass, before reading them, so that the loads of each level
        // overlap instead of each word waiting for its own in turn (hints
        // only)
        if let Some((ids, _)) = s.ids {
            for &(f, _) in ids {
                prefetch(cache.by_id.as_ptr().wrapping_add(f));
            }
            for &(f, _) in ids {
                if let Some(pairs) = cache.by_id.get(f) {
                    prefetch(pairs.as_ptr());
                }
            }
            let own_of = |&(f, u): &(usize, usize)| {
                cache
                    .by_id
                    .get(f)
                    .and_then(|pairs| pairs.iter().find(|p| p.0 == u))
                    .and_then(|p| cache.own.get(p.1))
            };
            for id in ids {
                if let Some(own) = own_of(id) {
                    prefetch(own);
                }
            }
            for id in ids {
                if let Some(own) = own_of(id) {
                    prefetch(own.head.as_ptr());
                }
            }
        }
        let mut feats = Vec::with_capacity(24);
        let mut buf: Vec<f32> = Vec::new();
        let mut shape = String::new();
        let mut key: Vec<u8> = Vec::new();
        let mut out = Vec::with_capacity(s.words.len());
        // with tag numbers, each UPOS is looked up once per sentence
        let mut per_tag: Vec<Option<Option<&PerUpos>>> = Vec::new();
        for i in 0..s.words.len() {
            let id = s.ids.and_then(|(ids, _)| ids.get(i).copied());
            let lookup = || s.upos.get(i).and_then(|u| self.by_upos.get(*u));
            let pu = match id {
                Some((_, u)) if u < 64 => {
                    if per_tag.len() <= u {
                        per_tag.resize(u + 1, None);
                    }
                    *per_tag[u].get_or_insert_with(lookup)
                }
                _ => lookup(),
            };
            let Some(pu) = pu else {
                out.push(&self.empty);
                continue;
            };
            // a word whose numbers were scored before went past the
            // dictionary then (only scored words are remembered by number):
            // it is not in it, no need to hash its form again
            let known = id
                .and_then(|(f, u)| cache.by_id.get(f).map(|pairs| (pairs, u)))
                .and_then(|(pairs, u)| pairs.iter().find(|p| p.0 == u))
                .map(|p| p.1);
            if known.is_none() {
                if let Some(f) = s.lower.get(i).and_then(|l| pu.dict.get(*l)) {
                    out.push(f);
                    continue;
                }
            }
            match &pu.model {
                Some(m) => {
                    let upos = s.upos.get(i).copied().unwrap_or("");
                    let found = match known {
                        Some(k) => Some(k),
                        None => {
                            // the parts, each after its length: no two
                            // triples share a key
                            key.clear();
                            for part in [
                                s.words.get(i).copied().unwrap_or(""),
                                upos,
                                s.lemmas.get(i).copied().unwrap_or(""),
                            ] {
                                key.extend_from_slice(&(part.len() as u64).to_le_bytes());
                                key.extend_from_slice(part.as_bytes());
                            }
                            cache.index.get(key.as_slice()).copied()
                        }
                    };
                    let k = match found {
                        Some(k) => k,
                        None => {
                            feats.clear();
                            head_features(&self.consts, s, i, &mut shape, &mut feats);
                            let mut head = vec![0f32; m.n_classes()];
                            m.add_scores(&feats, &mut head);
                            feats.clear();
                            tail_features(s, i, &mut feats);
                            let mut tail = [Row::default(); 3];
                            for (r, f) in tail.iter_mut().zip(&feats) {
                                *r = m.row(*f);
                            }
                            cache.own.push(Own {
                                head: head.into(),
                                tail,
                            });
                            cache
                                .index
                                .insert(key.as_slice().into(), cache.own.len() - 1);
                            cache.own.len() - 1
                        }
                    };
                    if let (None, Some((f, u))) = (known, id) {
                        if cache.by_id.len() <= f {
                            cache.by_id.resize_with(f + 1, Vec::new);
                        }
                        if let Some(pairs) = cache.by_id.get_mut(f) {
                            pairs.push((u, k));
                        }
                    }
                    let Some(own) = cache.own.get(k) else {
                        out.push(&self.empty);
                        continue;
                    };
                    buf.clear();
                    buf.extend_from_slice(&own.head);
                    feats.clear();
                    context_features(&self.consts, s, i, &mut feats);
                    m.add_scores(&feats, &mut buf);
                    for r in own.tail {
                        m.add(r, &mut buf);
                    }
                    let c = Model::best(&buf);
                    out.push(pu.values.get(c).unwrap_or(&self.empty));
                }
                None => out.push(&pu.default),
            }
        }
        out
    }

    /// Trains one classifier per UPOS (and the dictionary). Deterministic:
    /// the same data and options give the same model.
    pub fn train(sents: &[FeatsSentence], opts: FeatsOptions) -> FeatsTagger {
        // counts per UPOS: values, and values per form
        let mut values: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
        let mut forms: BTreeMap<(&str, String), BTreeMap<&str, usize>> = BTreeMap::new();
        for s in sents {
            for ((w, u), f) in s.words.iter().zip(&s.upos).zip(&s.feats) {
                *values.entry(u).or_default().entry(f).or_insert(0) += 1;
                *forms
                    .entry((u.as_str(), w.to_lowercase()))
                    .or_default()
                    .entry(f)
                    .or_insert(0) += 1;
            }
        }
        let mut trainers: BTreeMap<&str, (Trainer, HashMap<&str, usize>)> = BTreeMap::new();
        for (u, vals) in &values {
            if vals.len() > 1 {
                let classes: Vec<String> = vals.keys().map(|v| v.to_string()).collect();
                let ids = vals.keys().enumerate().map(|(i, v)| (*v, i)).collect();
                trainers.insert(u, (Trainer::new(classes), ids));
            }
        }
        let mut order: Vec<usize> = (0..sents.len()).collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut feats = Vec::new();
        let mut buf = Vec::new();
        let mut shape = String::new();
        let consts = Consts::new();
        for _ in 0..opts.epochs {
            crate::ml::shuffle(&mut order, &mut seed);
            for &k in &order {
                let s = &sents[k];
                let words: Vec<&str> = s.words.iter().map(|w| w.as_str()).collect();
                let upos: Vec<&str> = s.upos.iter().map(|w| w.as_str()).collect();
                let lemmas: Vec<&str> = s.lemmas.iter().map(|w| w.as_str()).collect();
                let lower: Vec<String> = s.words.iter().map(|w| w.to_lowercase()).collect();
                let lower: Vec<&str> = lower.iter().map(|w| w.as_str()).collect();
                let hashes: Vec<Hashes> = lower.iter().map(|l| Hashes::new(l)).collect();
                let upos_hashes: Vec<u64> = upos.iter().map(|u| hash_str(u)).collect();
                let input = FeatsInput {
                    lower: &lower,
                    words: &words,
                    hashes: &hashes,
                    upos: &upos,
                    upos_hashes: &upos_hashes,
                    lemmas: &lemmas,
                    ids: None,
                };
                for (i, u) in upos.iter().enumerate().take(words.len()) {
                    let Some((tr, ids)) = trainers.get_mut(u) else {
                        continue;
                    };
                    features(&consts, &input, i, &mut shape, &mut feats);
                    let guess = tr.predict(&feats, &mut buf);
                    let truth = ids.get(s.feats[i].as_str()).copied().unwrap_or(0);
                    tr.update(&feats, truth, guess);
                }
            }
        }
        let mut strs = SharedStrs::default();
        let mut by_upos: FxHashMap<Box<str>, PerUpos> = FxHashMap::default();
        for (u, vals) in &values {
            let default = vals
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(v, _)| *v)
                .unwrap_or("");
            by_upos.insert(
                (*u).into(),
                PerUpos {
                    dict: FxHashMap::default(),
                    model: None,
                    values: Vec::new(),
                    default: strs.intern(default),
                },
            );
        }
        for (u, (tr, _)) in trainers {
            if let Some(pu) = by_upos.get_mut(u) {
                pu.set_model(tr.average(), &mut strs);
            }
        }
        if opts.dict_min_count > 0 {
            for ((u, form), vals) in &forms {
                let n: usize = vals.values().sum();
                if vals.len() != 1 || n < opts.dict_min_count {
                    continue;
                }
                if let (Some(pu), Some(v)) = (by_upos.get_mut(*u), vals.keys().next()) {
                    if pu.model.is_some() {
                        pu.dict.insert(form.as_str().into(), strs.intern(v));
                    }
                }
            }
        }
        FeatsTagger {
            by_upos,
            empty: strs.intern(""),
            consts: Consts::new(),
            id: NEXT_FEATS_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// (dictionary entries, UPOS with a classifier).
    pub fn stats(&self) -> (usize, usize) {
        let dict = self.by_upos.values().map(|p| p.dict.len()).sum();
        let models = self.by_upos.values().filter(|p| p.model.is_some()).count();
        (dict, models)
    }

    /// Serialises (gzip-compressed, deterministic).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        raw.extend_from_slice(&VERSION.to_le_bytes());
        let sorted: BTreeMap<&str, &PerUpos> =
            self.by_upos.iter().map(|(k, v)| (k.as_ref(), v)).collect();
        put_u32(&mut raw, sorted.len());
        for (u, pu) in sorted {
            put_str(&mut raw, u);
            put_str(&mut raw, &pu.default);
            let dict: BTreeMap<&str, &str> = pu
                .dict
                .iter()
                .map(|(k, v)| (k.as_ref(), v.as_ref()))
                .collect();
            put_u32(&mut raw, dict.len());
            for (form, f) in dict {
                put_str(&mut raw, form);
                put_str(&mut raw, f);
            }
            match &pu.model {
                Some(m) => {
                    let b = m.to_bytes();
                    put_u32(&mut raw, b.len());
                    raw.extend_from_slice(&b);
                }
                None => put_u32(&mut raw, 0),
            }
        }
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&raw)
            .map_err(|e| Error::Model(e.to_string()))?;
        enc.finish().map_err(|e| Error::Model(e.to_string()))
    }

    /// Reads a model written by [`FeatsTagger::to_bytes`].
    pub fn from_bytes(gz: &[u8]) -> Result<FeatsTagger> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(gz)
            .take(512 << 20)
            .read_to_end(&mut raw)
            .map_err(|e| Error::Model(format!("feats model: {e}")))?;
        let mut r = Reader { b: &raw, pos: 0 };
        if r.take(4)? != MAGIC {
            return Err(Error::Model("not a dateline feats model".into()));
        }
        if r.u32()? != VERSION as usize {
            return Err(Error::Model("unsupported feats model version".into()));
        }
        let n = r.u32()?;
        let mut strs = SharedStrs::default();
        let mut by_upos = FxHashMap::default();
        for _ in 0..n {
            let u = r.str()?;
            let default = r.str()?;
            let nd = r.u32()?;
            let mut dict = FxHashMap::default();
            dict.reserve(nd.min(1 << 20));
            for _ in 0..nd {
                let form = r.str()?;
                let f = r.str()?;
                dict.insert(form.into(), strs.intern(f));
            }
            let len = r.u32()?;
            let mut pu = PerUpos {
                dict,
                model: None,
                values: Vec::new(),
                default: strs.intern(default),
            };
            if len > 0 {
                pu.set_model(Model::from_bytes(r.take(len)?)?, &mut strs);
            }
            by_upos.insert(u.into(), pu);
        }
        Ok(FeatsTagger {
            by_upos,
            empty: strs.intern(""),
            consts: Consts::new(),
            id: NEXT_FEATS_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }
}

/// A word as the feature tagger lower-cases it: words with an upper-case
/// letter go through `to_lowercase`, the others are read as they are.
pub fn lower_form(w: &str) -> Cow<'_, str> {
    if w.chars().any(char::is_uppercase) {
        Cow::Owned(w.to_lowercase())
    } else {
        Cow::Borrowed(w)
    }
}

fn put_u32(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let s = self
            .b
            .get(self.pos..self.pos.saturating_add(n))
            .ok_or_else(|| Error::Model("feats model is truncated or corrupt".into()))?;
        self.pos += n;
        Ok(s)
    }
    fn u32(&mut self) -> Result<usize> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
    }
    fn str(&mut self) -> Result<&'a str> {
        let n = self.u32()?;
        std::str::from_utf8(self.take(n)?)
            .map_err(|_| Error::Model("feats model is truncated or corrupt".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(words: &str, upos: &str, feats: &str) -> FeatsSentence {
        FeatsSentence {
            words: words.split(' ').map(String::from).collect(),
            lemmas: words.split(' ').map(String::from).collect(),
            upos: upos.split(' ').map(String::from).collect(),
            feats: feats
                .split(' ')
                .map(|f| if f == "_" { String::new() } else { f.into() })
                .collect(),
        }
    }

    #[test]
    fn keeps_universal_features_sorted() {
        assert_eq!(
            universal("VerbForm=Fin|Mood=Ind|PunctType=Peri|Tense=Fut"),
            "Mood=Ind|Tense=Fut|VerbForm=Fin"
        );
        assert_eq!(universal("_"), "");
        assert_eq!(universal("NumForm=Digit"), "");
    }

    #[test]
    fn trains_predicts_and_round_trips() {
        let fut = "Mood=Ind|Number=Sing|Person=3|Tense=Fut|VerbForm=Fin";
        let past = "Mood=Ind|Number=Sing|Person=3|Tense=Past|VerbForm=Fin";
        let data = vec![
            s("él hablará", "PRON VERB", &format!("Person=3 {fut}")),
            s("él cantará", "PRON VERB", &format!("Person=3 {fut}")),
            s("ella bailará", "PRON VERB", &format!("Person=3 {fut}")),
            s("él habló", "PRON VERB", &format!("Person=3 {past}")),
            s("ella cantó", "PRON VERB", &format!("Person=3 {past}")),
            s("de casa", "ADP NOUN", "_ Gender=Fem|Number=Sing"),
            s("de casas", "ADP NOUN", "_ Gender=Fem|Number=Plur"),
        ];
        let opts = FeatsOptions {
            epochs: 5,
            dict_min_count: 1,
        };
        let m = FeatsTagger::train(&data, opts);
        assert_eq!(
            m.predict(&["él", "dialogará"], &["PRON", "VERB"], &["él", "dialogar"]),
            ["Person=3", fut]
        );
        assert_eq!(m.predict(&["de"], &["ADP"], &["de"]), [""]);
        assert_eq!(m.predict(&["x"], &["UNSEEN"], &[]), [""]);
        let bytes = m.to_bytes().unwrap_or_default();
        let again = FeatsTagger::train(&data, opts)
            .to_bytes()
            .unwrap_or_default();
        assert_eq!(bytes, again, "training is deterministic");
        let back = FeatsTagger::from_bytes(&bytes);
        assert!(back.is_ok_and(|b| b.predict(
            &["él", "habló"],
            &["PRON", "VERB"],
            &["él", "hablar"]
        )[1] == past));
        assert!(FeatsTagger::from_bytes(&bytes[..bytes.len() / 2]).is_err());
    }

    /// With the shipped model: the cached path (with and without word
    /// numbers, twice) gives the answers of the plain features.
    #[test]
    fn cached_path_predicts_like_the_plain_features() {
        let m = match crate::tags::LangModels::builtin("es") {
            Ok(m) => m,
            Err(e) => panic!("models: {e}"),
        };
        let text = "Donald Trump dialogará con líderes europeos . Dijo que habría \
                    acordado una tregua y que los soldados rusos representan un riesgo";
        let words: Vec<&str> = text.split_whitespace().collect();
        let tagged = m.tagger.analyse(&words);
        let lemmas: Vec<String> = words
            .iter()
            .zip(&tagged.tags)
            .map(|(w, u)| m.lemmatizer.lemma(w, u).to_lowercase())
            .collect();
        let lemmas: Vec<&str> = lemmas.iter().map(|l| l.as_str()).collect();
        // the plain path
        let lower: Vec<Cow<str>> = words.iter().map(|w| lower_form(w)).collect();
        let lower: Vec<&str> = lower.iter().map(|l| l.as_ref()).collect();
        let hashes: Vec<Hashes> = lower.iter().map(|l| Hashes::new(l)).collect();
        let upos_hashes: Vec<u64> = tagged.tags.iter().map(|u| hash_str(u)).collect();
        let ids: Vec<(usize, usize)> = tagged
            .form_ids
            .iter()
            .zip(&tagged.tag_ids)
            .map(|(f, u)| (*f, *u))
            .collect();
        let mut input = FeatsInput {
            lower: &lower,
            words: &words,
            hashes: &hashes,
            upos: &tagged.tags,
            upos_hashes: &upos_hashes,
            lemmas: &lemmas,
            ids: None,
        };
        let mut want = Vec::new();
        let (mut feats, mut buf, mut shape) = (Vec::new(), Vec::new(), String::new());
        for (i, (l, u)) in lower.iter().zip(&tagged.tags).enumerate() {
            let pu = m.feats.by_upos.get(*u);
            want.push(match pu {
                None => "",
                Some(pu) => match (pu.dict.get(*l), &pu.model) {
                    (Some(f), _) => f,
                    (None, Some(model)) => {
                        features(&m.feats.consts, &input, i, &mut shape, &mut feats);
                        let c = model.predict(&feats, &mut buf);
                        model.classes[c].as_str()
                    }
                    (None, None) => &pu.default,
                },
            });
        }
        assert!(want.iter().any(|f| f.contains("Tense=Fut")), "{want:?}");
        let plain =
            |v: Vec<&Arc<str>>| -> Vec<String> { v.iter().map(|f| f.to_string()).collect() };
        for _ in 0..2 {
            assert_eq!(plain(m.feats.predict_with(&input)), want);
            assert_eq!(m.feats.predict(&words, &tagged.tags, &lemmas), want);
        }
        input.ids = Some((&ids, tagged.forms_key));
        for _ in 0..2 {
            assert_eq!(plain(m.feats.predict_with(&input)), want);
        }
    }
}
