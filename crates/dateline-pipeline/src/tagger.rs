//! Part-of-speech tagging (UPOS) with the averaged perceptron, and the
//! expansion of multiword tokens into syntactic words ("del" = de + el).
//!
//! Design choice: a greedy left-to-right tagger with the classic feature set
//! (word, affixes, shape, neighbouring words, the two previous tags), as in
//! Collins (2002) and Honnibal's tagger: small, fast, and accurate enough to
//! feed the time and event stages. Multiword tokens are expanded with a
//! table learnt from the training treebank (the most frequent expansion of
//! each token form), stored in the same model file.
//!
//! Gold data is scarce for Spanish, so training can read two more kinds of
//! knowledge into the same single linear model, at no cost when tagging:
//! - auxiliary treebanks with other conventions (UD_Spanish-PUD), through
//!   feature augmentation (Daumé 2007): every feature also has a copy per
//!   domain, the shared weights learn what the treebanks agree on and the
//!   copies their differences; the main domain's copies are then folded
//!   into the shared weights, so the saved model has one row per feature;
//! - an ensemble of perceptrons trained on different shuffles, whose
//!   weights are averaged into that same model (a linear model, so the
//!   average scores as the mean of the members' scores).
//!
//! Per sentence the word-level inputs (lower-cased form, shape, lexicon
//! entry) are computed once and shared by the neighbours' features.
//!
//! Model file: gzip of `DLTG` + version + the MWT table + a perceptron model.

use crate::error::{Error, Result};
use crate::lexicon::{Entry, Lexicon};
use crate::ml::artifact;
use crate::ml::perceptron::{
    feature, feature2_h, feature_h, hash_str, prefetch, Model, Row, Trainer,
};
use crate::ml::word::{lowercase, prefix, push_lowercase, shape_into, suffix, Hashes};
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

const MAGIC: &[u8; 4] = b"DLTG";
/// 2: features of the lower-cased form's lexicon entry for words with
/// upper-case letters (version 1 models would be read with wrong features).
const VERSION: u32 = 2;

/// Saved weights with a magnitude below this are dropped (on a split of GSD
/// dev: a quarter fewer rows, same accuracy).
const MIN_WEIGHT: f32 = 0.5;

/// A sentence for training: word forms and their UPOS tags.
pub struct TrainSentence {
    pub words: Vec<String>,
    pub tags: Vec<String>,
}

/// How to train.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    /// Passes over the training data.
    pub epochs: usize,
    /// Perceptrons trained on different shuffles and averaged (1 = one).
    pub ensemble: usize,
}

/// Distinct forms a clitic written after an apostrophe must close in the
/// treebank to split any form ("'s", "n't", "'ll").
const CLITIC_MIN_FORMS: usize = 5;
/// Possessives that English web text also writes for a contraction, with
/// the contraction's words (see [`Tagger::its_contractions`]).
/// ("your" for "you're" split plain possessives 10 times in EWT train for
/// few gains, and is left out.)
pub const POSSESSIVE_CONTRACTIONS: [(&str, [&str; 2]); 1] = [("its", ["it", "s"])];
/// The words of `word` read as the contraction it stands for ("Its" =
/// It + s), case of the first letter kept; `None` when it is none of
/// [`POSSESSIVE_CONTRACTIONS`].
pub fn contraction_words(word: &str) -> Option<[String; 2]> {
    let (_, [a, b]) = POSSESSIVE_CONTRACTIONS
        .iter()
        .find(|(f, _)| word.eq_ignore_ascii_case(f))?;
    let first = if word.starts_with(char::is_uppercase) {
        let mut c = a.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    } else {
        a.to_string()
    };
    Some([first, b.to_string()])
}
/// Table key of a clitic rule: the marker, then the clitic ("*'s").
const CLITIC_KEY: char = '*';
/// The Spanish pronouns written attached to a verb (a closed class),
/// longest first so that "-nos" is tried before "-os".
const ENCLITICS: [&str; 11] = [
    "los", "las", "les", "nos", "me", "te", "se", "os", "lo", "la", "le",
];
/// The enclitic rule is on when the table splits at least this many of
/// [`ENCLITICS`] off infinitives ("hacerlo" = hacer + lo): the treebank
/// writes them as words of their own (UD Spanish does).
const ENCLITICS_MIN: usize = 4;
/// A lemma with at least this many forms in the lexicon is a verb's (a
/// noun such as "par" has one or two), so "parte" is no "par" + "te".
const VERB_MIN_FORMS: u32 = 8;

/// `w` with the acute accents taken off its vowels ("dár" → "dar",
/// "Basándo" → "Basando"): a verb carries the accent only while a pronoun
/// is attached to it.
fn strip_acute(w: &str) -> Cow<'_, str> {
    if !w.chars().any(|c| "áéíóúÁÉÍÓÚ".contains(c)) {
        return Cow::Borrowed(w);
    }
    Cow::Owned(
        w.chars()
            .map(|c| match c {
                'á' => 'a',
                'é' => 'e',
                'í' => 'i',
                'ó' => 'o',
                'ú' => 'u',
                'Á' => 'A',
                'É' => 'E',
                'Í' => 'I',
                'Ó' => 'O',
                'Ú' => 'U',
                c => c,
            })
            .collect(),
    )
}

/// A trained tagger with its multiword-token table.
pub struct Tagger {
    model: Model,
    /// [`hash_str`] of each class name.
    class_hashes: Vec<u64>,
    /// The tags as shared strings, by tag number ([`Tagged::tag_ids`]: the
    /// classes, then "<s>", then "X"): every word gets a clone
    /// ([`Tagger::shared_tag`]), found by number without hashing.
    tag_strs: Vec<Arc<str>>,
    /// Lower-cased token → lower-cased words.
    mwt: FxHashMap<String, Vec<String>>,
    /// Clitics split off any token that ends with them, longest first:
    /// "Russia's" = Russia + 's, "wouldn't" = would + n't (learnt from the
    /// treebank's multiword tokens, stored in the table as `*'s`).
    clitics: Vec<String>,
    /// Stems whose negation is in the table as stem + n't ("have" for
    /// "haven't"), so that "havent" splits the same way.
    neg_stems: FxHashSet<String>,
    /// Whether the table splits [`ENCLITICS`] off verbs ("hacerlo" =
    /// hacer + lo); then any verb form the lexicon knows splits the same
    /// way, seen in training or not.
    enclitics: bool,
    /// Brown clusters and lookup lemmas (the model must be used with the
    /// lexicon it was trained with).
    lexicon: Option<Arc<Lexicon>>,
    consts: Consts,
    /// Unique per tagger, keys its form caches.
    id: u64,
    /// The rows of the sentence boundaries as neighbours.
    bos: Near,
    eos: Near,
    /// The rows of template 18 for the first word and the others.
    first: Row,
    not_first: Row,
    /// The rows of template 15 (previous tag) and 16 (previous two tags)
    /// for every tag: the classes, then "<s>", then "X" (16: row-major,
    /// previous tag first).
    tag15: Vec<Row>,
    tag16: Vec<Row>,
}

fn prefix_bits(bits: &str, n: usize) -> &str {
    bits.get(..n.min(bits.len())).unwrap_or(bits)
}

/// The copy of feature `f` specific to `domain` (1 = the main treebank,
/// 2 = auxiliary ones).
fn domain_copy(f: u64, domain: u64) -> u64 {
    (f ^ domain.wrapping_mul(0x9e37_79b9_7f4a_7c15)).wrapping_mul(0xff51_afd7_ed55_8ccd)
}

/// Hashes of the fixed feature values.
#[derive(Debug, Clone, Copy)]
struct Consts {
    /// "<s>", also its own 3-character suffix.
    bos: u64,
    eos: u64,
    /// "/s>": the 3-character suffix of "</s>".
    eos3: u64,
    empty: u64,
    dash: u64,
    first: u64,
    oov: u64,
    same: u64,
    diff: u64,
    own: [u64; 2],
    low: [u64; 2],
}

impl Consts {
    fn new() -> Consts {
        Consts {
            bos: hash_str("<s>"),
            eos: hash_str("</s>"),
            eos3: hash_str(suffix("</s>", 3)),
            empty: hash_str(""),
            dash: hash_str("-"),
            first: hash_str("first"),
            oov: hash_str("oov"),
            same: hash_str("same"),
            diff: hash_str("diff"),
            own: [hash_str("e"), hash_str("E")],
            low: [hash_str("l"), hash_str("L")],
        }
    }
}

/// What the features read of one sentence, computed once per word: the
/// lower-cased forms, the hashes of their affixes and shapes, and the
/// lexicon entries.
struct Sent<'a> {
    words: &'a [&'a str],
    /// Every lower-cased form, one after the other (`at` gives the ranges).
    lower: String,
    at: Vec<(usize, usize)>,
    /// Of the lower-cased form.
    hashes: Vec<Hashes>,
    /// Of the lower-cased form's first 1 and 3 characters.
    prefix: Vec<(u64, u64)>,
    /// Of the shape (12 characters) of the form as written.
    shape: Vec<u64>,
    /// Lexicon entry of the form as written, else of its lower-case form.
    entry: Vec<Option<Entry>>,
    /// Of the first 6 bits of the entry's cluster, "-" without an entry.
    cluster6: Vec<u64>,
    /// For words with upper-case letters: the lower-cased form's entry, and
    /// whether the form as written has an entry of its own.
    cased: Vec<Option<(Option<Entry>, bool)>>,
    c: Consts,
}

impl<'a> Sent<'a> {
    fn new(words: &'a [&'a str], lex: Option<&Lexicon>, c: Consts) -> Sent<'a> {
        let n = words.len();
        let mut s = Sent {
            words,
            lower: String::with_capacity(words.iter().map(|w| w.len()).sum::<usize>() + 8),
            at: Vec::with_capacity(n),
            hashes: Vec::with_capacity(n),
            prefix: Vec::with_capacity(n),
            shape: Vec::with_capacity(n),
            entry: Vec::with_capacity(n),
            cluster6: Vec::with_capacity(n),
            cased: Vec::with_capacity(n),
            c,
        };
        let mut shape = String::new();
        for w in words {
            let start = s.lower.len();
            push_lowercase(w, &mut s.lower);
            s.at.push((start, s.lower.len()));
            let l = &s.lower[start..];
            s.hashes.push(Hashes::new(l));
            s.prefix
                .push((hash_str(prefix(l, 1)), hash_str(prefix(l, 3))));
            shape_into(w, 12, &mut shape);
            s.shape.push(hash_str(&shape));
            let Some(lx) = lex else {
                s.entry.push(None);
                s.cluster6.push(c.dash);
                s.cased.push(None);
                continue;
            };
            // as `Lexicon::get` (the form, else its lower-case form) with
            // one look-up per distinct string
            let as_written = lx.get_exact(w);
            let (e, cased) = if *w == l {
                (as_written, None)
            } else {
                let lowered = lx.get_exact(l);
                let e = as_written.or(lowered);
                let le = match lowered {
                    Some(x) => Some(x),
                    None => match lowercase(l) {
                        std::borrow::Cow::Owned(ll) => lx.get_exact(&ll),
                        std::borrow::Cow::Borrowed(_) => None,
                    },
                };
                // `get` falls back to the lower-case form: the same entry
                // means the form as written has none of its own
                let own = match (e, le) {
                    (Some(a), Some(b)) => !std::ptr::eq(a, b),
                    (a, _) => a.is_some(),
                };
                (e, Some((le.copied(), own)))
            };
            s.entry.push(e.copied());
            s.cluster6.push(match e {
                Some(e) => hash_str(prefix_bits(e.cluster, 6)),
                None => c.dash,
            });
            s.cased.push(cased);
        }
        s
    }

    fn len(&self) -> usize {
        self.at.len()
    }

    /// Word `i + k`, or `None` outside the sentence (`Err(true)` before).
    fn at(&self, i: usize, k: isize) -> std::result::Result<usize, bool> {
        let j = i as isize + k;
        if j < 0 {
            Err(true)
        } else if (j as usize) < self.len() {
            Ok(j as usize)
        } else {
            Err(false)
        }
    }

    /// Hash of the lower-cased word `i + k` ("<s>" / "</s>" outside).
    fn low(&self, i: usize, k: isize) -> u64 {
        match self.at(i, k) {
            Ok(j) => self.hashes[j].word,
            Err(true) => self.c.bos,
            Err(false) => self.c.eos,
        }
    }

    /// Hash of the last 3 characters of `low(i, k)`.
    fn low3(&self, i: usize, k: isize) -> u64 {
        match self.at(i, k) {
            Ok(j) => self.hashes[j].suffix[2],
            Err(true) => self.c.bos,
            Err(false) => self.c.eos3,
        }
    }

    fn shape_at(&self, i: usize, k: isize) -> u64 {
        match self.at(i, k) {
            Ok(j) => self.shape[j],
            Err(true) => self.c.bos,
            Err(false) => self.c.eos,
        }
    }

    /// Hash of the first 6 bits of the Brown cluster of word `i + k`.
    fn cluster6(&self, i: usize, k: isize) -> u64 {
        match self.at(i, k) {
            Ok(j) => self.cluster6[j],
            Err(true) => self.c.bos,
            Err(false) => self.c.eos,
        }
    }
}

/// The features of word `i` that do not depend on tags (appended to `out`).
/// The order is that of the training: the scores are sums in this order.
fn static_features(s: &Sent, lexicon: bool, i: usize, out: &mut Vec<u64>) {
    let c = &s.c;
    let h = &s.hashes[i];
    let w = h.word;
    out.push(feature_h(0, c.empty));
    out.push(feature_h(1, w));
    out.push(feature_h(2, h.suffix[0]));
    out.push(feature_h(3, h.suffix[1]));
    out.push(feature_h(4, h.suffix[2]));
    out.push(feature_h(5, h.suffix[3]));
    out.push(feature_h(6, s.prefix[i].0));
    out.push(feature_h(7, s.prefix[i].1));
    out.push(feature_h(8, s.shape[i]));
    out.push(feature_h(9, s.low(i, -1)));
    out.push(feature_h(10, s.low(i, 1)));
    out.push(feature_h(11, s.low(i, -2)));
    out.push(feature_h(12, s.low(i, 2)));
    out.push(feature_h(13, s.low3(i, -1)));
    out.push(feature_h(14, s.low3(i, 1)));
    out.push(feature_h(18, if i == 0 { c.first } else { c.empty }));
    out.push(feature2_h(19, w, s.low(i, 1)));
    out.push(feature2_h(20, s.low(i, -1), w));
    out.push(feature_h(22, h.suffix[4]));
    out.push(feature_h(23, s.shape_at(i, 1)));
    out.push(feature_h(24, s.shape_at(i, -1)));
    if !lexicon {
        return;
    }
    match &s.entry[i] {
        Some(e) => {
            let cl = e.cluster;
            out.push(feature(30, prefix_bits(cl, 4)));
            out.push(feature_h(31, s.cluster6[i]));
            out.push(feature(32, prefix_bits(cl, 10)));
            out.push(feature(33, cl));
            if !e.lemma.is_empty() {
                out.push(feature(34, suffix(e.lemma, 2)));
                out.push(feature_h(
                    35,
                    if e.lemma.eq_ignore_ascii_case(s.words[i]) {
                        c.same
                    } else {
                        c.diff
                    },
                ));
            }
        }
        None => out.push(feature_h(36, c.oov)),
    }
    out.push(feature_h(37, s.cluster6(i, -1)));
    out.push(feature_h(38, s.cluster6(i, 1)));
    // a capitalised word: is it known lower-cased (a common word at the
    // start of a sentence or in a title) and how, and known as written?
    if let Some((le, own)) = &s.cased[i] {
        out.push(match le {
            Some(e) => feature(53, prefix_bits(e.cluster, 6)),
            None => feature_h(53, c.dash),
        });
        out.push(feature2_h(
            54,
            c.own[usize::from(*own)],
            c.low[usize::from(le.is_some())],
        ));
    }
}

/// The features of word `i` that depend on the two previous tags (hashes
/// of their names; appended to `out`).
fn tag_features(s: &Sent, i: usize, p1: u64, p2: u64, out: &mut Vec<u64>) {
    let w = s.hashes[i].word;
    out.push(feature_h(15, p1));
    out.push(feature2_h(16, p1, p2));
    out.push(feature2_h(17, p1, w));
    out.push(feature2_h(21, p1, s.low(i, 1)));
}

/// Number of features [`static_features`] writes before the lexicon ones.
const STATIC_HEAD: usize = 21;

/// The rows of a word form's features as a neighbour: of the word before
/// (templates 9, 13, 24, 37), after (10, 14, 23, 38), two before (11) and
/// two after (12).
#[derive(Debug, Clone, Copy, Default)]
struct Near {
    prev: [Row; 4],
    next: [Row; 4],
    prev2: Row,
    next2: Row,
}

impl Near {
    /// The rows of the sentence boundaries ("<s>" before, "</s>" after).
    fn boundaries(m: &Model, c: &Consts) -> (Near, Near) {
        let bos = Near {
            prev: [
                m.row(feature_h(9, c.bos)),
                m.row(feature_h(13, c.bos)),
                m.row(feature_h(24, c.bos)),
                m.row(feature_h(37, c.bos)),
            ],
            prev2: m.row(feature_h(11, c.bos)),
            ..Near::default()
        };
        let eos = Near {
            next: [
                m.row(feature_h(10, c.eos)),
                m.row(feature_h(14, c.eos3)),
                m.row(feature_h(23, c.eos)),
                m.row(feature_h(38, c.eos)),
            ],
            next2: m.row(feature_h(12, c.eos)),
            ..Near::default()
        };
        (bos, eos)
    }
}

/// What the tagger knows of one word form: its lower-cased form and
/// hashes, and the rows of the features that depend on it alone.
#[derive(Debug, Clone)]
struct FormRows {
    lower: Box<str>,
    hashes: Hashes,
    /// The sum of the rows of templates 0-8 (bias, word, suffixes 1-4,
    /// prefixes 1 and 3, shape), which come first: every score of the
    /// form starts from it.
    head: Box<[f32]>,
    /// Template 22 (suffix 5).
    suffix5: Row,
    /// The lexicon entry's templates (30-36).
    lex: [Row; 6],
    n_lex: u8,
    /// A capitalised word's templates (53, 54).
    cased: [Row; 2],
    n_cased: u8,
    near: Near,
}

/// Hints to load form `f`'s rows (every cache line of the struct, and the
/// first of its head sum) before they are read.
#[inline]
fn prefetch_form(f: &FormRows) {
    let p: *const u8 = (f as *const FormRows).cast();
    let size = std::mem::size_of::<FormRows>();
    // the struct need not start a line: its last byte may be on one more
    for off in (0..size).step_by(64).chain([size.saturating_sub(1)]) {
        prefetch(p.wrapping_add(off));
    }
    prefetch(f.head.as_ptr());
}

/// Forms looked up by one thread for one tagger.
#[derive(Default)]
struct FormCache {
    index: FxHashMap<Box<str>, usize>,
    forms: Vec<FormRows>,
    /// Counts the times the cache was emptied.
    generation: u64,
}

/// At most this many forms per cache (about 300 bytes each); emptied when
/// full.
const FORM_CACHE_MAX: usize = 1 << 17;

thread_local! {
    /// Per tagger (by [`Tagger::id`]).
    static FORM_CACHES: std::cell::RefCell<Vec<(u64, FormCache)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Identifies taggers for their caches.
static NEXT_TAGGER_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A tagged sentence, with what the tagger computed of its words for the
/// lemmatiser and the feature tagger to reuse.
pub struct Tagged<'t> {
    pub tags: Vec<&'t str>,
    /// [`hash_str`] of each tag.
    pub tag_hashes: Vec<u64>,
    /// Of each lower-cased word.
    pub hashes: Vec<Hashes>,
    lower: String,
    at: Vec<(usize, usize)>,
    /// Each word's form as a number: the same number is the same form (as
    /// written) for every sentence tagged with the same `forms_key`, in
    /// the same thread. Callers can key their own per-form memories on it.
    pub form_ids: Vec<usize>,
    pub forms_key: (u64, u64),
    /// Each tag as a number (the same number is the same tag).
    pub tag_ids: Vec<usize>,
}

impl Tagged<'_> {
    /// Word `i` lower-cased (`str::to_lowercase`).
    pub fn lower(&self, i: usize) -> &str {
        self.at
            .get(i)
            .and_then(|&(a, b)| self.lower.get(a..b))
            .unwrap_or("")
    }
}

/// One model with, for each of `general` (the features without domain),
/// the mean over `models` of its weights, plus those of its main-domain
/// copy when `augmented`.
fn fold(models: &[Model], general: &[u64], augmented: bool) -> Result<Model> {
    let Some(first) = models.first() else {
        return Err(Error::Model("tagger: no model to fold".into()));
    };
    let n = first.n_classes();
    let mut a = vec![0f32; n];
    let mut rows: Vec<(u64, Vec<f32>)> = Vec::new();
    for &f in general {
        let mut sum = vec![0f32; n];
        for m in models {
            m.scores(&[f], &mut a);
            sum.iter_mut().zip(&a).for_each(|(s, x)| *s += x);
            if augmented {
                m.scores(&[domain_copy(f, 1)], &mut a);
                sum.iter_mut().zip(&a).for_each(|(s, x)| *s += x);
            }
        }
        if sum.iter().all(|x| *x == 0.0) {
            continue;
        }
        sum.iter_mut().for_each(|x| *x /= models.len() as f32);
        rows.push((f, sum));
    }
    Model::from_rows(first.classes.clone(), rows)
}

impl Tagger {
    /// The shared copy of `tag` (one of [`Tagged::tags`], numbered
    /// `tag_id` in [`Tagged::tag_ids`]), for a word to hold without a
    /// string of its own. A tag that is not this tagger's number `tag_id`
    /// gets an `Arc` of its own (same value).
    pub fn shared_tag(&self, tag_id: usize, tag: &str) -> Arc<str> {
        match self.tag_strs.get(tag_id) {
            Some(s) if **s == *tag => Arc::clone(s),
            _ => Arc::from(tag),
        }
    }

    /// Tags `words` (syntactic words, already expanded).
    pub fn tag(&self, words: &[&str]) -> Vec<&str> {
        self.analyse(words).tags
    }

    /// Tags `words` and keeps what was computed of them (see [`Tagged`]).
    ///
    /// The features of a word that depend on one word form only (its own
    /// affixes, shape and lexicon entry, and what it gives its neighbours)
    /// are looked up once per form and thread ([`FormRows`]); each word's
    /// scores then add those rows and the few others, in the order of the
    /// training, so the sums are those of [`static_features`] and
    /// [`tag_features`] scored one word at a time.
    pub fn analyse<'t>(&'t self, words: &[&str]) -> Tagged<'t> {
        self.analyse_text(words, false)
    }

    /// [`Tagger::analyse`] for text written without accents
    /// (`accentless`): a word the lexicon knows is then also read as its
    /// accented spelling when web text uses the two alike ("reunion" →
    /// "reunión"; see [`Lexicon::restore_accents`]). Words it does not know
    /// are read so in any text.
    pub fn analyse_text<'t>(&'t self, words: &[&str], accentless: bool) -> Tagged<'t> {
        FORM_CACHES.with(|caches| {
            crate::ml::with_model_cache(caches, self.id, |cache: &mut FormCache| {
                if cache.forms.len() + words.len() > FORM_CACHE_MAX {
                    cache.index.clear();
                    cache.forms.clear();
                    cache.generation += 1;
                }
                let mut idx = Vec::with_capacity(words.len());
                // the forms of accentless text are kept apart (a form may
                // be read otherwise there), behind a prefix no word has
                let mut key = String::new();
                for &form in words {
                    let w: &str = if accentless {
                        key.clear();
                        key.push('\u{1}');
                        key.push_str(form);
                        &key
                    } else {
                        form
                    };
                    let k = match cache.index.get(w) {
                        Some(&k) => k,
                        None => {
                            let k = cache.forms.len();
                            // a word typed without its accents is read
                            // as its accented spelling
                            let restored = self
                                .lexicon
                                .as_ref()
                                .and_then(|l| l.restore_accents(form, accentless));
                            cache
                                .forms
                                .push(self.form_rows(restored.as_deref().unwrap_or(form)));
                            cache.index.insert(w.into(), k);
                            k
                        }
                    };
                    idx.push(k);
                }
                let forms: Vec<&FormRows> =
                    idx.iter().filter_map(|&k| cache.forms.get(k)).collect();
                let mut t = self.tag_forms(&forms);
                t.form_ids = idx;
                t.forms_key = (self.id, cache.generation);
                t
            })
        })
    }

    /// The rows of the features of form `w` that depend on it alone.
    fn form_rows(&self, w: &str) -> FormRows {
        let one = [w];
        let s = Sent::new(&one, self.lexicon.as_deref(), self.consts);
        let c = &self.consts;
        let m = &self.model;
        let h = s.hashes[0];
        let mut f = FormRows {
            lower: s.lower.as_str().into(),
            hashes: h,
            head: {
                // the first features are a prefix of every sum: their
                // partial sum is the same for every occurrence
                let mut sum = vec![0f32; m.n_classes()];
                m.add_scores(
                    &[
                        feature_h(0, c.empty),
                        feature_h(1, h.word),
                        feature_h(2, h.suffix[0]),
                        feature_h(3, h.suffix[1]),
                        feature_h(4, h.suffix[2]),
                        feature_h(5, h.suffix[3]),
                        feature_h(6, s.prefix[0].0),
                        feature_h(7, s.prefix[0].1),
                        feature_h(8, s.shape[0]),
                    ],
                    &mut sum,
                );
                sum.into()
            },
            suffix5: m.row(feature_h(22, h.suffix[4])),
            lex: [Row::default(); 6],
            n_lex: 0,
            cased: [Row::default(); 2],
            n_cased: 0,
            near: Near {
                prev: [
                    m.row(feature_h(9, h.word)),
                    m.row(feature_h(13, h.suffix[2])),
                    m.row(feature_h(24, s.shape[0])),
                    m.row(feature_h(37, s.cluster6[0])),
                ],
                next: [
                    m.row(feature_h(10, h.word)),
                    m.row(feature_h(14, h.suffix[2])),
                    m.row(feature_h(23, s.shape[0])),
                    m.row(feature_h(38, s.cluster6[0])),
                ],
                prev2: m.row(feature_h(11, h.word)),
                next2: m.row(feature_h(12, h.word)),
            },
        };
        if self.lexicon.is_some() {
            // the lexicon features of `static_features` (30-36, 53-54)
            let mut keys = Vec::with_capacity(8);
            static_features(&s, true, 0, &mut keys);
            let mut tail = keys.get(STATIC_HEAD..).unwrap_or(&[]).to_vec();
            // drop the neighbours' clusters (37, 38): from the neighbours
            let cased = usize::from(s.cased[0].is_some()) * 2;
            let lex_len = tail.len().saturating_sub(2 + cased);
            let cased_keys = tail.split_off(lex_len + 2);
            tail.truncate(lex_len);
            for (slot, k) in f.lex.iter_mut().zip(&tail) {
                *slot = m.row(*k);
            }
            f.n_lex = tail.len().min(6) as u8;
            for (slot, k) in f.cased.iter_mut().zip(&cased_keys) {
                *slot = m.row(*k);
            }
            f.n_cased = cased_keys.len().min(2) as u8;
        }
        f
    }

    /// Tags a sentence of looked-up forms.
    fn tag_forms(&self, forms: &[&FormRows]) -> Tagged<'_> {
        let m = &self.model;
        let c = &self.consts;
        let lexicon = self.lexicon.is_some();
        let n = m.n_classes();
        let len = forms.len();
        let mut out = vec![0f32; n];
        let mut feats = Vec::with_capacity(4);
        let mut tags: Vec<&str> = Vec::with_capacity(len);
        let mut tag_hashes: Vec<u64> = Vec::with_capacity(len);
        // the previous tags, as indices into `tag_hashes` (class, then
        // "<s>", then "X")
        let (bos_i, x_i) = (n, n + 1);
        let mut prev_i: Vec<usize> = Vec::with_capacity(len);
        let x = hash_str("X");
        let word = |j: isize| -> Option<&FormRows> {
            usize::try_from(j).ok().and_then(|j| forms.get(j).copied())
        };
        // The words' rows lie scattered in the form cache, and the rows of
        // their word-pair features (19, 20) in the weight table, which is
        // far larger than the caches: ask for all of them before scoring,
        // so that the loads overlap instead of each word waiting for its
        // own in turn (hints only: nothing read or added changes).
        for (i, f) in forms.iter().enumerate() {
            prefetch_form(f);
            let low_prev = i
                .checked_sub(1)
                .and_then(|k| forms.get(k))
                .map_or(c.bos, |p| p.hashes.word);
            let low_next = forms.get(i + 1).map_or(c.eos, |p| p.hashes.word);
            m.prefetch(feature2_h(19, f.hashes.word, low_next));
            m.prefetch(feature2_h(20, low_prev, f.hashes.word));
        }
        for i in 0..len {
            let f = forms[i];
            let j = i as isize;
            let prev = word(j - 1).map_or(&self.bos, |p| &p.near);
            let next = word(j + 1).map_or(&self.eos, |p| &p.near);
            let prev2 = word(j - 2).map_or(&self.bos, |p| &p.near);
            let next2 = word(j + 2).map_or(&self.eos, |p| &p.near);
            let low_prev = word(j - 1).map_or(c.bos, |p| p.hashes.word);
            let low_next = word(j + 1).map_or(c.eos, |p| p.hashes.word);
            let w = f.hashes.word;
            // the features of the previous tag (17, 21) are known from
            // here: their rows load while the others are added
            let p1 = if i >= 1 { tag_hashes[i - 1] } else { c.bos };
            let (f17, f21) = (feature2_h(17, p1, w), feature2_h(21, p1, low_next));
            m.prefetch(f17);
            m.prefetch(f21);
            for (o, h) in out.iter_mut().zip(f.head.iter()) {
                *o = *h;
            }
            m.add(prev.prev[0], &mut out);
            m.add(next.next[0], &mut out);
            m.add(prev2.prev2, &mut out);
            m.add(next2.next2, &mut out);
            m.add(prev.prev[1], &mut out);
            m.add(next.next[1], &mut out);
            m.add(if i == 0 { self.first } else { self.not_first }, &mut out);
            m.add(m.row(feature2_h(19, w, low_next)), &mut out);
            m.add(m.row(feature2_h(20, low_prev, w)), &mut out);
            m.add(f.suffix5, &mut out);
            m.add(next.next[2], &mut out);
            m.add(prev.prev[2], &mut out);
            if lexicon {
                for r in f.lex.iter().take(usize::from(f.n_lex)) {
                    m.add(*r, &mut out);
                }
                m.add(prev.prev[3], &mut out);
                m.add(next.next[3], &mut out);
                for r in f.cased.iter().take(usize::from(f.n_cased)) {
                    m.add(*r, &mut out);
                }
            }
            let p1i = if i >= 1 { prev_i[i - 1] } else { bos_i };
            let p2i = if i >= 2 { prev_i[i - 2] } else { bos_i };
            // templates 15 (p1) and 16 (p1, p2) from the tables
            m.add(self.tag15.get(p1i).copied().unwrap_or_default(), &mut out);
            m.add(
                self.tag16
                    .get(p1i * (n + 2) + p2i)
                    .copied()
                    .unwrap_or_default(),
                &mut out,
            );
            feats.clear();
            feats.push(f17);
            feats.push(f21);
            m.add_scores(&feats, &mut out);
            let k = Model::best(&out);
            match m.classes.get(k) {
                Some(t) => {
                    tags.push(t.as_str());
                    tag_hashes.push(self.class_hashes.get(k).copied().unwrap_or(x));
                    prev_i.push(k);
                }
                None => {
                    tags.push("X");
                    tag_hashes.push(x);
                    prev_i.push(x_i);
                }
            }
        }
        let mut lower = String::with_capacity(forms.iter().map(|f| f.lower.len()).sum());
        let mut at = Vec::with_capacity(len);
        for f in forms {
            let start = lower.len();
            lower.push_str(&f.lower);
            at.push((start, lower.len()));
        }
        Tagged {
            tags,
            tag_hashes,
            hashes: forms.iter().map(|f| f.hashes).collect(),
            lower,
            at,
            form_ids: Vec::new(),
            forms_key: (0, 0),
            tag_ids: prev_i,
        }
    }

    /// The syntactic words of a surface token: itself, or its expansion
    /// when it is a known multiword token (case of the first letter kept).
    pub fn expand(&self, token: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.expand_into(token, &mut out);
        out.into_iter().map(|p| p.into_owned()).collect()
    }

    /// English web text writes "its" for "it's" (EWT: a multiword token,
    /// it + s). Given a first tagging of the sentence's words, the positions
    /// of the words "its" that are no possessive: those not followed by
    /// what a possessive takes (a noun, a number, "own", an adjective
    /// before a noun): "its a shame", "its not", "its been", "its easy."
    /// Empty for a model without the English "'s" clitic.
    pub fn its_contractions(&self, words: &[&str], tags: &[&str]) -> Vec<usize> {
        if !self.clitics.iter().any(|c| c == "'s") {
            return Vec::new();
        }
        let tag = |i: usize| tags.get(i).copied().unwrap_or("PUNCT");
        let nominal = |t: &str| matches!(t, "NOUN" | "PROPN" | "NUM" | "ADJ" | "X" | "SYM");
        (0..words.len())
            .filter(|&i| {
                POSSESSIVE_CONTRACTIONS
                    .iter()
                    .any(|(f, _)| words[i].eq_ignore_ascii_case(f))
            })
            .filter(|&i| {
                let next = words.get(i + 1).copied().unwrap_or("");
                match tag(i + 1) {
                    "DET" | "PART" | "ADV" | "ADP" | "PRON" | "AUX" | "VERB" | "SCONJ" => {
                        !next.eq_ignore_ascii_case("own")
                    }
                    "ADJ" => !nominal(tag(i + 2)) && !next.eq_ignore_ascii_case("own"),
                    _ => false,
                }
            })
            .collect()
    }

    /// [`Tagger::expand`], appending to `out` and borrowing what it can.
    pub fn expand_into<'s>(&'s self, token: &'s str, out: &mut Vec<Cow<'s, str>>) {
        let low = lowercase(token);
        let low = low.as_ref();
        let entry = self.mwt.get(low).filter(|_| !low.starts_with(CLITIC_KEY));
        if entry.is_none() && !low.starts_with(CLITIC_KEY) {
            for c in &self.clitics {
                let tail = token
                    .len()
                    .checked_sub(c.len())
                    .and_then(|k| token.get(k..));
                if token.len() > c.len() && tail.is_some_and(|t| t.eq_ignore_ascii_case(c)) {
                    let (stem, clitic) = token.split_at(token.len() - c.len());
                    // "Russia's", not "80's" (EWT: a decade is one word)
                    if stem.chars().next_back().is_some_and(char::is_alphabetic) {
                        out.push(Cow::Borrowed(stem));
                        out.push(Cow::Borrowed(clitic));
                        return;
                    }
                }
            }
            if self.split_enclitics(token, low, out) {
                return;
            }
            // a negation written without its apostrophe ("havent", "isnt"),
            // split like the table's "haven't" = have + n't
            if let Some(stem) = low.strip_suffix("nt").filter(|s| !s.is_empty()) {
                if self.neg_stems.contains(stem) && token.is_char_boundary(token.len() - 2) {
                    let (stem, neg) = token.split_at(token.len() - 2);
                    out.push(Cow::Borrowed(stem));
                    out.push(Cow::Borrowed(neg));
                    return;
                }
            }
        }
        match entry {
            Some(parts) => {
                let upper = token.chars().next().is_some_and(char::is_uppercase);
                for (k, p) in parts.iter().enumerate() {
                    out.push(if k == 0 && upper {
                        let mut c = p.chars();
                        Cow::Owned(
                            c.next()
                                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                                .unwrap_or_default(),
                        )
                    } else {
                        Cow::Borrowed(p.as_str())
                    });
                }
            }
            None => out.push(Cow::Borrowed(token)),
        }
    }

    /// Splits a verb form with pronouns attached that the table does not
    /// list ("moverse" = mover + se, "integrándolo" = integrando + lo,
    /// "dárselo" = dar + se + lo, "Sálvate" = Salva + te) into `out`: one
    /// or two of the learnt enclitics come off the end, and what remains,
    /// without its acute accents, must be an infinitive or gerund of a verb
    /// the lexicon knows, or a form with a written accent that only the
    /// pronouns explain (imperatives, "únanse"). False when it is none.
    /// `low` is `token` lower-cased (as [`Tagger::expand_into`] has it).
    /// Builds the tables the tagger derives from its lexicon on first use
    /// (the verb-form counts that [`Tagger::split_enclitics`] reads).
    pub fn prepare(&self) {
        if let (Some(lex), true) = (self.lexicon.as_deref(), self.enclitics) {
            let _ = lex.verb_forms("");
        }
    }

    fn split_enclitics<'s>(
        &'s self,
        token: &'s str,
        low: &str,
        out: &mut Vec<Cow<'s, str>>,
    ) -> bool {
        let Some(lex) = self.lexicon.as_deref() else {
            return false;
        };
        if !self.enclitics || !token.chars().all(char::is_alphabetic) {
            return false;
        }
        // where one or two pronouns could come off, keeping only the cuts
        // whose remainder has a verb's shape (an infinitive's -r, a
        // gerund's -ndo, an accent that only the pronouns explain): most
        // words ("otros", "clase") stop here, before any look-up
        let shaped = |base: &str| base.ends_with('r') || base.ends_with("ndo") || !base.is_ascii();
        let cut =
            |w: &str, c: &str| (w.len() > c.len() + 1 && w.ends_with(c)).then(|| w.len() - c.len());
        let mut candidates: Vec<[usize; 2]> = Vec::new();
        for c1 in ENCLITICS {
            let Some((first, rest)) = cut(low, c1).and_then(|k| Some((k, low.get(..k)?))) else {
                continue;
            };
            if shaped(rest) {
                candidates.push([first, first]);
            }
            for c2 in ENCLITICS {
                let second = cut(rest, c2).filter(|&k| rest.get(..k).is_some_and(shaped));
                if let Some(second) = second {
                    candidates.push([second, first]);
                }
            }
        }
        if candidates.is_empty() {
            return false;
        }
        // a form the lexicon lemmatises is an inflected word of its own
        // ("mentirosos" → mentiroso, not mentir + os + os); verb forms with
        // pronouns attached have no lookup lemma
        if lex.get_exact(low).is_some_and(|e| !e.lemma.is_empty()) {
            return false;
        }
        let verb = |cut: usize| -> bool {
            let Some(base) = low.get(..cut) else {
                return false;
            };
            let plain = strip_acute(base);
            let is_verb =
                |lemma: &str| lemma.ends_with('r') && lex.verb_forms(lemma) >= VERB_MIN_FORMS;
            // "mover", "dár" (dar), "reír"
            if ["ar", "er", "ir"].iter().any(|e| plain.ends_with(e))
                && (is_verb(&plain) || is_verb(base))
            {
                return true;
            }
            let lemma = lex.get_exact(&plain).map(|e| e.lemma).unwrap_or("");
            let gerund = ["ando", "iendo", "yendo"]
                .iter()
                .any(|e| plain.ends_with(e));
            // an imperative ends in a vowel or -n ("cómpra-lo", "únan-se");
            // "éste" (es + te?) and "Espínola" (espino + la?) are none
            let imperative =
                plain.len() != base.len() && ["a", "e", "n"].iter().any(|e| plain.ends_with(e));
            (gerund || imperative) && is_verb(lemma)
        };
        // one pronoun before two, as before: the first cut that leaves a verb
        let Some([verb_end, first]) = candidates.into_iter().find(|&[k, _]| verb(k)) else {
            return false;
        };
        let cuts: Vec<usize> = if verb_end == first {
            vec![first]
        } else {
            vec![verb_end, first]
        };
        let Some(&stem_end) = cuts.first() else {
            return false;
        };
        // the cuts were found in the lower-cased token: map them back
        if low.len() != token.len() || !cuts.iter().all(|&c| token.is_char_boundary(c)) {
            return false;
        }
        let Some(stem) = token.get(..stem_end) else {
            return false;
        };
        out.push(strip_acute(stem));
        let mut start = stem_end;
        for &end in cuts.iter().skip(1).chain([&token.len()]) {
            if let Some(p) = token.get(start..end) {
                out.push(Cow::Borrowed(p));
            }
            start = end;
        }
        true
    }

    /// Trains a tagger on `sents` (the main treebank) and `aux` (auxiliary
    /// treebanks, with feature augmentation; may be empty). `mwt` maps token
    /// forms to the word forms seen in the treebank (all occurrences; the
    /// most frequent expansion is kept, for forms that are more often
    /// multiword tokens than plain words of `sents`). Deterministic: the same data and
    /// options give the same model.
    pub fn train(
        sents: &[TrainSentence],
        aux: &[TrainSentence],
        mwt: &[(String, Vec<String>)],
        opts: TrainOptions,
        lexicon: Option<Arc<Lexicon>>,
    ) -> Result<Tagger> {
        let all: Vec<&TrainSentence> = sents.iter().chain(aux).collect();
        let augmented = !aux.is_empty();
        let mut classes: Vec<String> = all.iter().flat_map(|s| s.tags.iter().cloned()).collect();
        classes.sort();
        classes.dedup();
        let class_id: HashMap<&str, usize> = classes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        let words: Vec<Vec<&str>> = all
            .iter()
            .map(|s| s.words.iter().map(|w| w.as_str()).collect())
            .collect();
        let consts = Consts::new();
        let class_hashes: Vec<u64> = classes.iter().map(|c| hash_str(c)).collect();
        let infos: Vec<Sent> = words
            .iter()
            .map(|w| Sent::new(w, lexicon.as_deref(), consts))
            .collect();
        let statics: Vec<Vec<Vec<u64>>> = infos
            .iter()
            .map(|s| {
                (0..s.len())
                    .map(|i| {
                        let mut f = Vec::with_capacity(40);
                        static_features(s, lexicon.is_some(), i, &mut f);
                        f
                    })
                    .collect()
            })
            .collect();
        // every feature seen, without domain: the rows of the folded model
        let mut general: rustc_hash::FxHashSet<u64> =
            statics.iter().flatten().flatten().copied().collect();
        let mut models = Vec::with_capacity(opts.ensemble.max(1));
        let mut feats = Vec::new();
        let mut buf = Vec::new();
        for run in 0..opts.ensemble.max(1) {
            let mut trainer = Trainer::new(classes.clone());
            let mut order: Vec<usize> = (0..all.len()).collect();
            let mut seed: u64 = 0x9e37_79b9_7f4a_7c15 ^ ((run as u64) << 32);
            for _ in 0..opts.epochs {
                crate::ml::shuffle(&mut order, &mut seed);
                for &k in &order {
                    let s = &infos[k];
                    let domain = if k < sents.len() { 1 } else { 2 };
                    let mut prev: Vec<usize> = Vec::with_capacity(s.len());
                    for i in 0..s.len() {
                        let tag = |j: usize| class_hashes[prev[j]];
                        let p1 = if i >= 1 { tag(i - 1) } else { consts.bos };
                        let p2 = if i >= 2 { tag(i - 2) } else { consts.bos };
                        feats.clear();
                        feats.extend_from_slice(&statics[k][i]);
                        tag_features(s, i, p1, p2, &mut feats);
                        general.extend(feats[statics[k][i].len()..].iter().copied());
                        if augmented {
                            let n = feats.len();
                            feats.extend_from_within(..);
                            feats[n..]
                                .iter_mut()
                                .for_each(|f| *f = domain_copy(*f, domain));
                        }
                        let guess = trainer.predict(&feats, &mut buf);
                        let truth = class_id.get(all[k].tags[i].as_str()).copied().unwrap_or(0);
                        trainer.update(&feats, truth, guess);
                        // train on the guessed history, as at prediction time
                        prev.push(guess);
                    }
                }
            }
            models.push(trainer.average());
        }
        let mut general: Vec<u64> = general.into_iter().collect();
        general.sort_unstable();
        let mut model = fold(&models, &general, augmented)?;
        model.compact(MIN_WEIGHT, 23);
        let mut counts: BTreeMap<String, BTreeMap<Vec<String>, usize>> = BTreeMap::new();
        for (tok, parts) in mwt {
            *counts
                .entry(tok.to_lowercase())
                .or_default()
                .entry(parts.iter().map(|p| p.to_lowercase()).collect())
                .or_insert(0) += 1;
        }
        // how often each of those forms is a plain word of the main
        // treebank: "boys", "cars", "its" are written for "boy's", "car's",
        // "it's" a few times in EWT, but expanding them everywhere split
        // hundreds of plain words, so a form is expanded only when most of
        // its occurrences are multiword tokens
        let mut plain: HashMap<String, usize> = HashMap::new();
        for s in sents {
            for w in &s.words {
                let low = w.to_lowercase();
                if let Some(n) = counts.get(&low).map(|_| plain.entry(low).or_insert(0)) {
                    *n += 1;
                }
            }
        }
        // clitics written with an apostrophe that close many different forms, the
        // parts spelling the form exactly ("russia's" = russia + 's)
        let mut clitic_forms: BTreeMap<&str, usize> = BTreeMap::new();
        for (tok, exps) in &counts {
            for parts in exps.keys() {
                if let [.., last] = parts.as_slice() {
                    if last.contains(['\'', '’']) && parts.concat() == *tok && parts.len() == 2 {
                        *clitic_forms.entry(last.as_str()).or_insert(0) += 1;
                    }
                }
            }
        }
        let clitics: Vec<(String, Vec<String>)> = clitic_forms
            .into_iter()
            .filter(|(_, n)| *n >= CLITIC_MIN_FORMS)
            .map(|(c, _)| (format!("{CLITIC_KEY}{c}"), vec![c.to_string()]))
            .collect();
        let mwt = counts
            .into_iter()
            .filter_map(|(tok, exps)| {
                let best = exps
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
                let as_word = plain.get(&tok).copied().unwrap_or(0);
                // "plumbers" = plumber + s once in EWT: the lexicon knows
                // the form as an inflection of the first part, so the split
                // was a missing apostrophe ("hacerlo" = hacer + lo stays)
                // ("dont" = do + nt stays: "nt" is a clitic, not an ending)
                let inflection = lexicon
                    .as_ref()
                    .and_then(|lx| lx.get(&tok))
                    .is_some_and(|e| {
                        best.0.len() == 2
                            && best.0.first().is_some_and(|f| f == e.lemma)
                            && best.0.get(1).is_some_and(|s| s == "s")
                    });
                (best.1 > as_word && !inflection).then_some((tok, best.0))
            })
            .chain(clitics)
            .collect();
        Ok(Tagger::new(model, mwt, lexicon))
    }

    /// A tagger from its parts; the clitic rules are read off the table.
    fn new(
        model: Model,
        mwt: FxHashMap<String, Vec<String>>,
        lexicon: Option<Arc<Lexicon>>,
    ) -> Tagger {
        let mut clitics: Vec<String> = mwt
            .keys()
            .filter_map(|k| k.strip_prefix(CLITIC_KEY))
            .map(str::to_string)
            .collect();
        clitics.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let neg_stems = mwt
            .iter()
            .filter_map(|(k, p)| match p.as_slice() {
                [first, neg] if neg == "n't" && k.strip_suffix("n't") == Some(first.as_str()) => {
                    Some(first.clone())
                }
                _ => None,
            })
            .collect();
        let enclitics = learn_enclitics(&mwt);
        let class_hashes = model.classes.iter().map(|c| hash_str(c)).collect();
        let consts = Consts::new();
        let (bos, eos) = Near::boundaries(&model, &consts);
        let first = model.row(feature_h(18, consts.first));
        let not_first = model.row(feature_h(18, consts.empty));
        let tag_h: Vec<u64> = model
            .classes
            .iter()
            .map(|c| hash_str(c))
            .chain([consts.bos, hash_str("X")])
            .collect();
        let tag15 = tag_h.iter().map(|&p| model.row(feature_h(15, p))).collect();
        let tag16 = tag_h
            .iter()
            .flat_map(|&p1| tag_h.iter().map(move |&p2| (p1, p2)))
            .map(|(p1, p2)| model.row(feature2_h(16, p1, p2)))
            .collect();
        let tag_strs = model
            .classes
            .iter()
            .map(String::as_str)
            .chain(["<s>", "X"])
            .map(Arc::from)
            .collect();
        Tagger {
            model,
            class_hashes,
            tag_strs,
            mwt,
            clitics,
            neg_stems,
            enclitics,
            lexicon,
            consts,
            id: NEXT_TAGGER_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            bos,
            eos,
            first,
            not_first,
            tag15,
            tag16,
        }
    }

    /// Serialises (gzip-compressed, deterministic).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mwt: BTreeMap<&String, &Vec<String>> = self.mwt.iter().collect();
        let lines: Vec<String> = mwt
            .into_iter()
            .map(|(tok, parts)| format!("{tok}\t{}", parts.join(" ")))
            .collect();
        artifact::write(MAGIC, VERSION, &lines, &self.model)
    }

    /// Reads a model written by [`Tagger::to_bytes`].
    pub fn from_bytes(gz: &[u8], lexicon: Option<Arc<Lexicon>>) -> Result<Tagger> {
        let (lines, model) = artifact::read(gz, MAGIC, VERSION, "tagger")?;
        let mwt = lines
            .iter()
            .filter_map(|l| l.split_once('\t'))
            .map(|(tok, parts)| {
                (
                    tok.to_string(),
                    parts.split(' ').map(str::to_string).collect(),
                )
            })
            .collect();
        Ok(Tagger::new(model, mwt, lexicon))
    }
}

/// Whether the table splits at least [`ENCLITICS_MIN`] of [`ENCLITICS`]
/// off infinitives (token = infinitive + pronouns, accents aside).
fn learn_enclitics(mwt: &FxHashMap<String, Vec<String>>) -> bool {
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    for (tok, parts) in mwt {
        let [first, rest @ ..] = parts.as_slice() else {
            continue;
        };
        if rest.is_empty() || !first.ends_with('r') || strip_acute(tok) != parts.concat() {
            continue;
        }
        seen.extend(
            rest.iter()
                .filter(|p| ENCLITICS.contains(&p.as_str()))
                .map(String::as_str),
        );
    }
    seen.len() >= ENCLITICS_MIN
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(words: &str, tags: &str) -> TrainSentence {
        TrainSentence {
            words: words.split(' ').map(String::from).collect(),
            tags: tags.split(' ').map(String::from).collect(),
        }
    }

    #[test]
    fn trains_tags_and_round_trips() {
        let data = vec![
            s("el perro come", "DET NOUN VERB"),
            s("la gata duerme", "DET NOUN VERB"),
            s("el niño corre", "DET NOUN VERB"),
            s("de el perro", "ADP DET NOUN"),
        ];
        let mwt = vec![("del".to_string(), vec!["de".to_string(), "el".to_string()])];
        let opts = TrainOptions {
            epochs: 5,
            ensemble: 2,
        };
        let t = Tagger::train(&data, &[], &mwt, opts, None).expect("trains");
        assert_eq!(t.tag(&["la", "perro", "come"]), ["DET", "NOUN", "VERB"]);
        assert_eq!(t.expand("Del"), ["De", "el"]);
        assert_eq!(t.expand("casa"), ["casa"]);
        let bytes = t.to_bytes().unwrap_or_default();
        let again = Tagger::train(&data, &[], &mwt, opts, None)
            .expect("trains")
            .to_bytes()
            .unwrap_or_default();
        assert_eq!(bytes, again, "training is deterministic");
        let back = Tagger::from_bytes(&bytes, None);
        assert!(back.is_ok());
        assert!(Tagger::from_bytes(&bytes[..10], None).is_err());
    }

    #[test]
    fn multiword_table_skips_plain_words_and_learns_clitics() {
        // "its" is a multiword token once (a missing apostrophe) and a plain
        // word twice; "'s" closes five different forms
        let data = vec![
            s("its tail wags", "PRON NOUN VERB"),
            s("its ear", "PRON NOUN"),
            s("it s here", "PRON AUX ADV"),
            s("do n't go", "AUX PART VERB"),
        ];
        let pair = |t: &str, a: &str, b: &str| (t.to_string(), vec![a.to_string(), b.to_string()]);
        let mut mwt = vec![pair("its", "it", "s"), pair("don't", "do", "n't")];
        for name in ["ana", "bob", "cy", "dee", "eve"] {
            mwt.push(pair(&format!("{name}'s"), name, "'s"));
        }
        let opts = TrainOptions {
            epochs: 2,
            ensemble: 1,
        };
        let t = Tagger::train(&data, &[], &mwt, opts, None).expect("trains");
        assert_eq!(t.expand("its"), ["its"]);
        assert_eq!(t.expand("Don't"), ["Do", "n't"]);
        assert_eq!(t.expand("Russia's"), ["Russia", "'s"]);
        assert_eq!(t.expand("'s"), ["'s"]);
        // a decade stays one word; a negation without its apostrophe splits
        // like the table's form with it
        assert_eq!(t.expand("80's"), ["80's"]);
        assert_eq!(t.expand("Dont"), ["Do", "nt"]);
        assert_eq!(t.expand("want"), ["want"]);
        let back = Tagger::from_bytes(&t.to_bytes().unwrap_or_default(), None).expect("loads");
        assert_eq!(back.expand("Russia's"), ["Russia", "'s"]);
        assert_eq!(back.expand("*'s"), ["*'s"]);
    }

    #[test]
    fn auxiliary_treebank_keeps_the_main_conventions() {
        // the auxiliary treebank tags "come" AUX: its copies learn that,
        // and the saved (folded) model follows the main treebank
        let main = vec![
            s("el perro come", "DET NOUN VERB"),
            s("la gata come", "DET NOUN VERB"),
        ];
        let aux = vec![
            s("el niño come", "DET NOUN AUX"),
            s("un perro come", "DET NOUN AUX"),
            s("la casa come", "DET NOUN AUX"),
        ];
        let opts = TrainOptions {
            epochs: 5,
            ensemble: 1,
        };
        let t = Tagger::train(&main, &aux, &[], opts, None).expect("trains");
        assert_eq!(t.tag(&["el", "niño", "come"]), ["DET", "NOUN", "VERB"]);
        let again = Tagger::train(&main, &aux, &[], opts, None).expect("trains");
        assert_eq!(
            t.to_bytes().unwrap_or_default(),
            again.to_bytes().unwrap_or_default()
        );
    }

    /// The tags of the plain path: every feature hashed and looked up for
    /// every word, as in training.
    fn reference_tags<'t>(t: &'t Tagger, words: &[&str]) -> Vec<&'t str> {
        let s = Sent::new(words, t.lexicon.as_deref(), t.consts);
        let mut feats = Vec::new();
        let mut buf = Vec::new();
        let mut tags: Vec<&str> = Vec::new();
        for i in 0..words.len() {
            let h = |k: usize| hash_str(tags[k]);
            let p1 = if i >= 1 { h(i - 1) } else { t.consts.bos };
            let p2 = if i >= 2 { h(i - 2) } else { t.consts.bos };
            feats.clear();
            static_features(&s, t.lexicon.is_some(), i, &mut feats);
            tag_features(&s, i, p1, p2, &mut feats);
            let c = t.model.predict(&feats, &mut buf);
            tags.push(t.model.classes.get(c).map(|c| c.as_str()).unwrap_or("X"));
        }
        tags
    }

    /// The cached rows give the tags of the plain path (and the same
    /// lower-cased forms), the second time too.
    #[test]
    fn cached_rows_tag_like_the_plain_features() {
        for (lang, text) in [
            (
                "es",
                "Corea del Norte ha enviado cerca de 15.000 soldados a Rusia . \
                 EL PRESIDENTE López Obrador dijo que “ afortunadamente ” se estaban \
                 reduciendo los contagios en todo el país , según la OMS y ÉL . \
                 Ǆemal İstanbul ΣΟΦΟΣ dámelo del al x",
            ),
            (
                "en",
                "The President held a phone call with the North Korean leader on \
                 Tuesday ; IT WAS RAINING in London , isn't it ? McCain 's 3rd",
            ),
        ] {
            let m = match crate::tags::LangModels::builtin(lang) {
                Ok(m) => m,
                Err(e) => panic!("models: {e}"),
            };
            let words: Vec<&str> = text.split_whitespace().collect();
            for n in [0, 1, 2, 3, 7, words.len()] {
                for start in [0, 1, 5] {
                    let ws = &words[start.min(words.len())..(start + n).min(words.len())];
                    let want = reference_tags(&m.tagger, ws);
                    for _ in 0..2 {
                        let got = m.tagger.analyse(ws);
                        assert_eq!(got.tags, want, "{ws:?}");
                        for (i, w) in ws.iter().enumerate() {
                            assert_eq!(got.lower(i), w.to_lowercase());
                            assert_eq!(got.hashes[i], Hashes::new(&w.to_lowercase()));
                        }
                    }
                }
            }
        }
    }
}
