//! The features of each word for the NER model.
//!
//! Design choice: the classic CoNLL feature set (Florian et al. 2003,
//! Ratinov & Roth 2009) over hashed strings: the word and its lower case,
//! shape, prefixes and suffixes, a ±2 window, the UPOS of our tagger (the
//! same tagger at training and prediction time, so the model learns its
//! errors), Brown clusters from the lexicon (unlabelled-text knowledge: names
//! the training data never saw fall in the clusters of names it did), and
//! gazetteer flags from the KB (kind and BILU position of the longest alias
//! match over the word). Features do not depend on the tags, so they are
//! computed once per sentence and the decoder only adds transitions.

use crate::kb::{norm, Kb, Kind};
use crate::lexicon::Lexicon;
use crate::ml::perceptron::{
    feature, feature2, feature2_h, feature_h, hash_str, prefetch, Model, Row,
};
use crate::ml::word::{prefix, suffix};

/// What the feature extractor may consult.
#[derive(Clone, Copy, Default)]
pub struct Resources<'a> {
    pub lexicon: Option<&'a Lexicon>,
    pub kb: Option<&'a Kb>,
    /// Optional feature groups (`F_*`) the model was trained with.
    pub flags: u32,
}

/// Previous word × capitalisation conjunctions.
pub const F_PREVCAP: u32 = 1;
/// Inside-parentheses features.
pub const F_PARENS: u32 = 2;
/// Non-local features: labels given to the same word in preceding sentences.
pub const F_HIST: u32 = 4;
/// All-caps words also read as their title-case form (word, cluster).
pub const F_CAPSNORM: u32 = 8;
/// More cluster prefixes for the window.
pub const F_MORECLU: u32 = 16;
/// Context aggregation: the neighbours of the same capitalised form in the
/// surrounding sentences, and whether it also occurs in lower case.
pub const F_CTX: u32 = 32;

/// Gazetteer of the names of the training data.
pub const F_NAMES: u32 = 64;

/// The names of the training data with their types, stored as hashes of
/// their lower-cased words (no text of the data is kept).
///
/// The keys are hashes already, so the map hashes them with the cheap Fx
/// hash rather than the default SipHash (every capitalised word of a tagged
/// sentence looks up several lengths); nothing depends on its order
/// ([`NameList::entries`] sorts).
#[derive(Default, Clone, Debug, PartialEq)]
pub struct NameList {
    map: rustc_hash::FxHashMap<u64, u8>,
    max_len: usize,
}

const NAME_MAX: usize = 8;

fn name_hasher() -> rustc_hash::FxHasher {
    rustc_hash::FxHasher::default()
}

impl NameList {
    /// Adds a name of type `ty` (index into [`super::decode::TYPES`]).
    pub fn add(&mut self, words: &[&str], ty: usize) {
        if words.is_empty() || words.len() > NAME_MAX || ty > 7 {
            return;
        }
        use std::hash::Hasher;
        let mut h = name_hasher();
        for w in words {
            h.write(w.to_lowercase().as_bytes());
            h.write_u8(0xff);
        }
        *self.map.entry(h.finish()).or_insert(0) |= 1 << ty;
        self.max_len = self.max_len.max(words.len());
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// `(hash, type mask)` sorted, for saving.
    pub fn entries(&self) -> Vec<(u64, u8)> {
        let mut v: Vec<(u64, u8)> = self.map.iter().map(|(k, m)| (*k, *m)).collect();
        v.sort_unstable();
        v
    }

    /// Restores a saved entry of a name of `len` words.
    pub fn insert(&mut self, key: u64, mask: u8, len: usize) {
        self.map.insert(key, mask);
        self.max_len = self.max_len.max(len.min(NAME_MAX));
    }

    pub fn max_len(&self) -> usize {
        self.max_len
    }

    /// Longest leftmost matches starting on a word that is not lower
    /// case: per word, (type mask, position B/I/L/U).
    /// `lower`: the lower-cased forms.
    fn matches<S: AsRef<str>>(&self, forms: &[&str], lower: &[S]) -> Vec<Option<(u8, char)>> {
        use std::hash::Hasher;
        let n = forms.len().min(lower.len());
        let mut out = vec![None; forms.len()];
        let mut i = 0;
        while i < n {
            if forms[i].chars().next().is_none_or(char::is_lowercase) {
                i += 1;
                continue;
            }
            let mut h = name_hasher();
            let mut best = None;
            for len in 1..=self.max_len.min(n - i) {
                h.write(lower[i + len - 1].as_ref().as_bytes());
                h.write_u8(0xff);
                if let Some(m) = self.map.get(&h.finish()) {
                    best = Some((len, *m));
                }
            }
            match best {
                Some((len, m)) => {
                    for k in 0..len {
                        let pos = if len == 1 {
                            'U'
                        } else if k == 0 {
                            'B'
                        } else if k + 1 == len {
                            'L'
                        } else {
                            'I'
                        };
                        out[i + k] = Some((m, pos));
                    }
                    i += len;
                }
                None => i += 1,
            }
        }
        out
    }
}

/// Appends the training-name gazetteer features of every word.
pub fn name_features(names: &NameList, forms: &[&str], out: &mut [Vec<u64>]) {
    let lower: Vec<String> = forms.iter().map(|w| w.to_lowercase()).collect();
    name_features_lower(names, forms, &lower, out);
}

/// [`name_features`] with the lower-cased forms already made.
pub(crate) fn name_features_lower<S: AsRef<str>>(
    names: &NameList,
    forms: &[&str],
    lower: &[S],
    out: &mut [Vec<u64>],
) {
    const TY: [&str; 8] = ["PER", "ORG", "LOC", "MISC", "T4", "T5", "T6", "T7"];
    let m = names.matches(forms, lower);
    let at = |j: isize| -> Option<(u8, char)> {
        usize::try_from(j)
            .ok()
            .and_then(|j| m.get(j).copied().flatten())
    };
    for (i, f) in out.iter_mut().enumerate() {
        let k = i as isize;
        match at(k) {
            Some((mask, pos)) => {
                let mut buf = [0u8; 4];
                let p: &str = pos.encode_utf8(&mut buf);
                for (t, name) in TY.iter().enumerate() {
                    if mask & (1 << t) != 0 {
                        f.push(feature2(95, name, p));
                        f.push(feature(96, name));
                    }
                }
                if mask.count_ones() > 1 {
                    f.push(feature(97, "ambiguous"));
                }
            }
            None => f.push(feature(97, "none")),
        }
        for (t, j) in [(98u8, k - 1), (99u8, k + 1)] {
            if let Some((mask, pos)) = at(j) {
                let mut buf = [0u8; 4];
                let p: &str = pos.encode_utf8(&mut buf);
                for (ty, name) in TY.iter().enumerate() {
                    if mask & (1 << ty) != 0 {
                        f.push(feature2(t, name, p));
                    }
                }
            }
        }
    }
}

#[derive(Default, Clone, Debug)]
struct CtxEntry {
    prev: Vec<String>,
    next: Vec<String>,
    lower: bool,
    cap_inner: bool,
}

/// The contexts of word forms in the sentences around the one being
/// tagged (no labels needed, so they may follow it too).
#[derive(Default, Clone, Debug)]
pub struct Contexts {
    map: std::collections::HashMap<String, CtxEntry>,
}

const CTX_MAX: usize = 8;

impl Contexts {
    /// Adds one sentence.
    pub fn add(&mut self, forms: &[&str]) {
        for (i, w) in forms.iter().enumerate() {
            let Some(c) = w.chars().next() else { continue };
            if c.is_lowercase() {
                if let Some(e) = self.map.get_mut(&w.to_lowercase()) {
                    e.lower = true;
                } else {
                    self.map.insert(
                        w.to_lowercase(),
                        CtxEntry {
                            lower: true,
                            ..CtxEntry::default()
                        },
                    );
                }
                continue;
            }
            if !c.is_uppercase() {
                continue;
            }
            let e = self.map.entry(w.to_lowercase()).or_default();
            if i > 0 {
                e.cap_inner = true;
            }
            let p = i
                .checked_sub(1)
                .and_then(|j| forms.get(j))
                .map(|x| x.to_lowercase())
                .unwrap_or_else(|| "<s>".to_string());
            let n = forms
                .get(i + 1)
                .map(|x| x.to_lowercase())
                .unwrap_or_else(|| "</s>".to_string());
            if e.prev.len() < CTX_MAX && !e.prev.contains(&p) {
                e.prev.push(p);
            }
            if e.next.len() < CTX_MAX && !e.next.contains(&n) {
                e.next.push(n);
            }
        }
    }
}

/// Appends the context-aggregation features of the capitalised words.
pub fn context_features(ctx: &Contexts, forms: &[&str], out: &mut [Vec<u64>]) {
    for (i, f) in out.iter_mut().enumerate() {
        let Some(w) = forms.get(i) else { continue };
        if !w.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        match ctx.map.get(&w.to_lowercase()) {
            Some(e) => {
                for p in &e.prev {
                    f.push(feature(90, p));
                }
                for n in &e.next {
                    f.push(feature(91, n));
                }
                if e.lower {
                    f.push(feature(92, "lower"));
                }
                if e.cap_inner {
                    f.push(feature(93, "cap-inner"));
                }
            }
            None => f.push(feature(94, "unseen")),
        }
    }
}

/// What earlier sentences said about word forms: per lower-cased form,
/// how often it was labelled PER, ORG, LOC, MISC, or left out of a name
/// while capitalised (index 4).
#[derive(Default, Clone, Debug)]
pub struct History {
    counts: std::collections::HashMap<String, [u16; 5]>,
}

impl History {
    /// Adds one sentence's labels: `spans` (start, end, type index) over
    /// `forms`.
    pub fn add(&mut self, forms: &[&str], spans: &[(usize, usize, usize)]) {
        let mut in_span = vec![None; forms.len()];
        for &(s, e, ty) in spans {
            for slot in in_span.iter_mut().take(e).skip(s) {
                *slot = Some(ty);
            }
        }
        for (i, (w, ty)) in forms.iter().zip(in_span).enumerate() {
            let k = match ty {
                Some(t) => t.min(3),
                None if i > 0 && w.chars().next().is_some_and(char::is_uppercase) => 4,
                None => continue,
            };
            let c = self.counts.entry(w.to_lowercase()).or_insert([0; 5]);
            c[k] = c[k].saturating_add(1);
        }
    }

    /// Merges another history in.
    pub fn merge(&mut self, other: &History) {
        for (k, v) in &other.counts {
            let c = self.counts.entry(k.clone()).or_insert([0; 5]);
            for (a, b) in c.iter_mut().zip(v) {
                *a = a.saturating_add(*b);
            }
        }
    }

    fn get(&self, lower: &str) -> Option<&[u16; 5]> {
        self.counts.get(lower)
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

const HIST_NAMES: [&str; 5] = ["PER", "ORG", "LOC", "MISC", "O"];

fn hist_major(c: &[u16; 5]) -> usize {
    let mut best = 0;
    for k in 1..5 {
        if c[k] > c[best] {
            best = k;
        }
    }
    best
}

/// Appends the non-local features of every word (`out[i]` for word i).
pub fn history_features(hist: &History, forms: &[&str], out: &mut [Vec<u64>]) {
    let lower: Vec<String> = forms.iter().map(|w| w.to_lowercase()).collect();
    let major = |j: isize| -> &str {
        if j < 0 {
            return "<s>";
        }
        match lower.get(j as usize) {
            None => "</s>",
            Some(w) => match hist.get(w) {
                Some(c) => HIST_NAMES[hist_major(c)],
                None => "-",
            },
        }
    };
    for (i, f) in out.iter_mut().enumerate() {
        let Some(w) = lower.get(i) else { continue };
        let k = i as isize;
        match hist.get(w) {
            Some(c) => {
                let m = hist_major(c);
                f.push(feature(70, HIST_NAMES[m]));
                for (t, n) in c.iter().enumerate() {
                    if *n > 0 {
                        f.push(feature(71, HIST_NAMES[t]));
                    }
                }
                let cap = cap_class(forms[i]);
                f.push(feature2(72, HIST_NAMES[m], cap));
            }
            None => f.push(feature(70, "-")),
        }
        f.push(feature(73, major(k - 1)));
        f.push(feature(74, major(k + 1)));
    }
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Country => "country",
        Kind::Org => "org",
        Kind::Person => "person",
        Kind::Place => "place",
        Kind::Metonym => "metonym",
        Kind::Demonym => "demonym",
        Kind::RolePhrase => "role",
    }
}

/// Gazetteer flags of each word: (kind, position in the match B/I/L/U).
pub fn gazetteer(kb: &Kb, forms: &[&str]) -> Vec<Vec<(&'static str, char)>> {
    let words: Vec<Vec<norm::Tok>> = forms.iter().map(|f| norm::tokens(f)).collect();
    gazetteer_words(kb, words.iter().map(|w| w.as_slice()))
}

/// [`gazetteer`] from the KB words of each form (`norm::tokens` of it).
///
/// The forms are matched as the text of the forms joined by spaces: the
/// KB's words never cross a space, so that text's words are those of each
/// form in turn, and a match covers the forms whose words it covers.
fn gazetteer_words<'a>(
    kb: &Kb,
    forms: impl Iterator<Item = &'a [norm::Tok]>,
) -> Vec<Vec<(&'static str, char)>> {
    let mut toks: Vec<&norm::Tok> = Vec::new();
    // the form of each word
    let mut owner: Vec<usize> = Vec::new();
    let mut n = 0;
    for (k, words) in forms.enumerate() {
        toks.extend(words);
        owner.extend(std::iter::repeat_n(k, words.len()));
        n = k + 1;
    }
    let mut out = vec![Vec::new(); n];
    for (i, j, entries) in kb.find_spans(&toks) {
        // forms overlapping the match ("EE.UU." ends after the KB word "UU")
        let (Some(&first), Some(&l)) = (owner.get(i), owner.get(j)) else {
            continue;
        };
        let last = l + 1;
        if first >= last {
            continue;
        }
        mark_match(&mut out, first, last, kb, &entries);
    }
    out
}

/// Marks words `first..last` with the kinds of the KB `entries` matched
/// over them, each with its B/I/L/U position.
fn mark_match(
    out: &mut [Vec<(&'static str, char)>],
    first: usize,
    last: usize,
    kb: &Kb,
    entries: &[usize],
) {
    let mut kinds: Vec<&'static str> = entries
        .iter()
        .filter_map(|&e| kb.entry(e))
        .map(|e| kind_name(e.kind))
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    for (k, slot) in out.iter_mut().enumerate().take(last).skip(first) {
        let pos = if last - first == 1 {
            'U'
        } else if k == first {
            'B'
        } else if k + 1 == last {
            'L'
        } else {
            'I'
        };
        for kind in &kinds {
            slot.push((*kind, pos));
        }
    }
}

/// The NER's word shape (16 characters, as its models were trained).
pub fn shape(w: &str) -> String {
    crate::ml::word::shape(w, 16)
}

fn bits(c: &str, n: usize) -> &str {
    c.get(..n.min(c.len())).unwrap_or(c)
}

fn is_quote(w: &str) -> bool {
    matches!(
        w,
        "\"" | "«" | "»" | "“" | "”" | "'" | "``" | "''" | "‘" | "’"
    )
}

fn cap_class(w: &str) -> &'static str {
    let mut chars = w.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() => {
            if w.chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
            {
                "upper"
            } else {
                "cap"
            }
        }
        Some(c) if c.is_lowercase() => "lower",
        Some(c) if c.is_numeric() => "digit",
        Some(_) => "other",
        None => "empty",
    }
}

/// Computes the features of every word of a sentence: `out[i]` for word i.
pub fn sentence_features(res: Resources, forms: &[&str], upos: &[&str]) -> Vec<Vec<u64>> {
    sentence_features_cached(res, forms, upos, None).0
}

/// The number of characters of a word as feature 43 reads it (at most 8).
fn len_str(w: &str) -> &'static str {
    const LENS: [&str; 9] = ["0", "1", "2", "3", "4", "5", "6", "7", "8"];
    LENS[w.chars().take(8).count()]
}

/// What the features of a word take from its form alone: its lower case,
/// cluster, capitalisation and KB words, the hashes of its shape and of
/// the values paired with a neighbour's, and the hashes of the features over them,
/// both as the word's own (`own`, [`O_F1`]...) and as a neighbour's (`nb`,
/// [`N_LOW_M1`]...).
#[derive(Debug, Clone)]
pub(crate) struct FormInfo {
    /// The Brown cluster ("" when none, or without a lexicon).
    cluster: &'static str,
    cap: &'static str,
    own: [u64; 19],
    nb: [u64; 16],
    /// The form lower-cased.
    lower: String,
    /// [`hash_str`] of `lower`, `shape`, `cap` and the 6-bit cluster prefix
    /// as the window reads it, for the features that pair them.
    h_lower: u64,
    h_shape: u64,
    h_cap: u64,
    h_clu6: u64,
    /// The KB's words of the form (with a KB), for the gazetteer.
    words: Vec<norm::Tok>,
}

// `FormInfo::own`: features 1, 2, 3, 5-8, 9-12, 43, then 32-35 (or 38 alone
// for a word without a cluster), 48, 60, 61.
const O_F1: usize = 0;
const O_F2: usize = 1;
const O_F3: usize = 2;
const O_PREFIX: usize = 3;
const O_SUFFIX: usize = 7;
const O_F43: usize = 11;
const O_CLU: usize = 12;
const O_F48: usize = 16;
const O_F60: usize = 17;
const O_F61: usize = 18;
// `FormInfo::nb`: the word as the neighbour at -1, +1, -2, +2 (lower case),
// -1, +1 (shape), -1, +1 (cluster, 6 bits), -1 (4, 10, 64 bits), +1 (4, 10,
// 64 bits), -2, +2 (6 bits); templates in `NB_TEMPLATES`' order.
const NB_TEMPLATES: [u8; 16] = [
    13, 14, 15, 16, 17, 18, 36, 37, 50, 52, 54, 51, 53, 55, 56, 57,
];

impl FormInfo {
    fn new(res: Resources, form: &str) -> FormInfo {
        let lower = form.to_lowercase();
        let flags = res.flags;
        let shape = shape(form);
        // all-caps words (headlines, sports tables) read as their title case
        let titled: Option<String> = (|| {
            if flags & F_CAPSNORM == 0 || cap_class(form) != "upper" || form.chars().count() < 2 {
                return None;
            }
            let mut cs = form.chars();
            let first = cs.next()?;
            Some(
                first
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect(),
            )
        })();
        let cluster: &'static str = res
            .lexicon
            .and_then(|lx| {
                titled
                    .as_deref()
                    .and_then(|t| lx.cluster(t))
                    .or_else(|| lx.cluster(form))
            })
            .unwrap_or("");
        // the cluster as a word in the window reads it
        let clu = |b: usize| -> &str {
            if cluster.is_empty() {
                "-"
            } else {
                bits(cluster, b)
            }
        };
        let w = lower.as_str();
        let mut own = [0u64; 19];
        own[O_F1] = feature(1, titled.as_deref().unwrap_or(form));
        own[O_F2] = feature(2, w);
        own[O_F3] = feature(3, &shape);
        for (k, (t, len)) in [(5u8, 1usize), (6, 2), (7, 3), (8, 4)]
            .into_iter()
            .enumerate()
        {
            own[O_PREFIX + k] = feature(t, prefix(w, len));
        }
        for (k, (t, len)) in [(9u8, 1usize), (10, 2), (11, 3), (12, 4)]
            .into_iter()
            .enumerate()
        {
            own[O_SUFFIX + k] = feature(t, suffix(w, len));
        }
        own[O_F43] = feature(43, len_str(w));
        if cluster.is_empty() {
            own[O_CLU] = feature(38, "oov");
        } else {
            own[O_CLU] = feature(32, clu(4));
            own[O_CLU + 1] = feature(33, clu(6));
            own[O_CLU + 2] = feature(34, clu(10));
            own[O_CLU + 3] = feature(35, clu(64));
        }
        own[O_F48] = feature2(48, clu(8), &shape);
        own[O_F60] = feature(60, clu(8));
        own[O_F61] = feature(61, clu(12));
        let vals: [&str; 16] = [
            w,
            w,
            w,
            w,
            &shape,
            &shape,
            clu(6),
            clu(6),
            clu(4),
            clu(10),
            clu(64),
            clu(4),
            clu(10),
            clu(64),
            clu(6),
            clu(6),
        ];
        let mut nb = [0u64; 16];
        for ((h, t), v) in nb.iter_mut().zip(NB_TEMPLATES).zip(vals) {
            *h = feature(t, v);
        }
        let cap = cap_class(form);
        FormInfo {
            h_lower: hash_str(w),
            h_shape: hash_str(&shape),
            h_cap: hash_str(cap),
            h_clu6: hash_str(clu(6)),
            words: if res.kb.is_some() {
                norm::tokens(form)
            } else {
                Vec::new()
            },
            cap,
            cluster,
            own,
            nb,
            lower,
        }
    }
}

/// The [`FormInfo`] of the forms a recogniser has met, so that a frequent
/// word's form features are hashed once (a pure cache: the features are
/// those computed afresh). Bounded: emptied when full.
#[derive(Debug, Default)]
pub(crate) struct FormCache {
    index: rustc_hash::FxHashMap<String, u32>,
    infos: Vec<FormInfo>,
    /// Feature vectors given back ([`FormCache::recycle`]), reused empty.
    spare: Vec<Vec<u64>>,
    /// Per form (as `infos`), the scores of its first [`OWN_PREFIX`]
    /// features, `stride` each, once [`FormCache::scores`] has computed
    /// them (`scored`).
    own_scores: Vec<f32>,
    scored: Vec<bool>,
    stride: usize,
    /// The rows of a word's other features (a buffer).
    rows: Vec<Row>,
}

/// Forms a [`FormCache`] holds at most (about 15 MB; news in one language
/// rarely have more distinct words in a run, so it seldom empties).
const FORM_CACHE_MAX: usize = 1 << 15;

/// How many features each word's vector starts with that depend on its
/// form alone: the bias, then `own[O_F1..O_F43]` (word, lower case, shape,
/// prefixes, suffixes). Their scores are a prefix of the word's sum, the
/// same for every word of that form.
const OWN_PREFIX: usize = 12;

impl FormCache {
    /// Takes back the feature vectors of a sentence, for the next ones.
    pub(crate) fn recycle(&mut self, feats: Vec<Vec<u64>>) {
        for v in feats {
            if self.spare.len() >= 256 {
                break;
            }
            self.spare.push(v);
        }
    }

    /// Makes room for the `n` words of a sentence: the indices
    /// [`FormCache::get`] gives stay valid until the next call.
    fn reserve(&mut self, n: usize) {
        if self.infos.len() + n > FORM_CACHE_MAX {
            self.index.clear();
            self.infos.clear();
            self.own_scores.clear();
            self.scored.clear();
        }
    }

    /// The index of `form`'s info, computed when new.
    fn get(&mut self, res: Resources, form: &str) -> usize {
        if let Some(&k) = self.index.get(form) {
            return k as usize;
        }
        self.infos.push(FormInfo::new(res, form));
        let k = self.infos.len() - 1;
        self.index.insert(form.to_string(), k as u32);
        k
    }

    /// The lower-cased form of index `k` ("" for an unknown index).
    pub(crate) fn lower(&self, k: usize) -> &str {
        self.infos.get(k).map(|x| x.lower.as_str()).unwrap_or("")
    }

    /// Hints the loads [`FormCache::scores`] will make for the features
    /// `feats` of a word whose form has index `k`: the table slots of the
    /// features it will look up (those past the form's own prefix, and the
    /// prefix too while the form's sum is not kept) and the form's kept
    /// sum. The weight table is far larger than the CPU caches, so a
    /// sentence's look-ups hinted before any is made overlap their waits for
    /// memory instead of taking them one after another. A hint only: no
    /// effect on any result.
    pub(crate) fn prefetch(&self, k: usize, feats: &[u64], model: &Model, t: usize) {
        let scored = self.stride == t && self.scored.get(k).copied().unwrap_or(false);
        let look = if scored && feats.len() >= OWN_PREFIX {
            if let Some(sum) = self.own_scores.get(k * t) {
                prefetch(sum);
            }
            &feats[OWN_PREFIX..]
        } else {
            feats
        };
        for &f in look {
            model.prefetch(f);
        }
    }

    /// `model.scores(feats, out)`, bit for bit, for the features `feats` of
    /// a word whose form has index `k` (from the same sentence's
    /// [`sentence_features_cached`]): the sum over the features that depend
    /// on the form alone, which come first, is kept per form and the rest
    /// added to it in order.
    pub(crate) fn scores(&mut self, k: usize, feats: &[u64], model: &Model, out: &mut [f32]) {
        let t = out.len();
        if k >= self.infos.len() || feats.len() < OWN_PREFIX || t == 0 {
            model.scores(feats, out);
            return;
        }
        if self.stride != t {
            self.own_scores.clear();
            self.scored.clear();
            self.stride = t;
        }
        if self.scored.len() < self.infos.len() {
            self.scored.resize(self.infos.len(), false);
            self.own_scores.resize(self.infos.len() * t, 0.0);
        }
        let (own, rest) = feats.split_at(OWN_PREFIX);
        // the rows of the other features first, then their sum: the look-ups
        // (independent of each other) overlap
        self.rows.clear();
        self.rows.extend(rest.iter().map(|&f| model.row(f)));
        match self.own_scores.get_mut(k * t..(k + 1) * t) {
            Some(cached) if self.scored[k] => out.copy_from_slice(cached),
            Some(cached) => {
                model.scores(own, out);
                cached.copy_from_slice(out);
                self.scored[k] = true;
            }
            None => model.scores(own, out),
        }
        for &r in &self.rows {
            model.add(r, out);
        }
    }
}

/// [`sentence_features`], with the form features from `cache` (which must
/// always be used with the same resources); also each word's index in the
/// cache (in a fresh one without `cache`).
pub(crate) fn sentence_features_cached(
    res: Resources,
    forms: &[&str],
    upos: &[&str],
    cache: Option<&mut FormCache>,
) -> (Vec<Vec<u64>>, Vec<usize>) {
    let n = forms.len();
    let mut fresh = FormCache::default();
    let cache = cache.unwrap_or(&mut fresh);
    cache.reserve(n);
    let mut spare = std::mem::take(&mut cache.spare);
    let ids: Vec<usize> = forms.iter().map(|f| cache.get(res, f)).collect();
    let infos: Vec<&FormInfo> = ids.iter().filter_map(|&k| cache.infos.get(k)).collect();
    if infos.len() != n {
        return (Vec::new(), Vec::new());
    }
    let gaz = match res.kb {
        Some(kb) => gazetteer_words(kb, infos.iter().map(|x| x.words.as_slice())),
        None => vec![Vec::new(); n],
    };
    let flags = res.flags;
    // inside parentheses, and the word before the opening one
    let mut paren: Vec<Option<usize>> = Vec::with_capacity(n);
    let mut open_at: Option<usize> = None;
    for (i, w) in forms.iter().enumerate() {
        match *w {
            "(" => {
                open_at = Some(i);
                paren.push(None);
            }
            ")" => {
                open_at = None;
                paren.push(None);
            }
            _ => paren.push(open_at),
        }
    }
    // inside a quotation: after an odd number of quote marks
    let mut quoted = Vec::with_capacity(n);
    let mut open = false;
    for w in forms {
        if is_quote(w) {
            open = !open;
            quoted.push(false);
        } else {
            quoted.push(open);
        }
    }
    // the hashes of the values the features pair, with the sentence
    // boundaries as the string features read them
    let (h_start, h_end) = (hash_str("<s>"), hash_str("</s>"));
    let edge_h = |j: isize, get: &dyn Fn(&FormInfo) -> u64| -> u64 {
        if j < 0 {
            h_start
        } else {
            infos.get(j as usize).map(|x| get(x)).unwrap_or(h_end)
        }
    };
    let low_h = |j: isize| edge_h(j, &|x| x.h_lower);
    let shp_h = |j: isize| edge_h(j, &|x| x.h_shape);
    let clu6_h = |j: isize| edge_h(j, &|x| x.h_clu6);
    let low = |j: isize| -> &str {
        if j < 0 {
            "<s>"
        } else {
            infos
                .get(j as usize)
                .map(|x| x.lower.as_str())
                .unwrap_or("</s>")
        }
    };
    let pos = |j: isize| -> &str {
        if j < 0 {
            "<s>"
        } else if j as usize >= n {
            "</s>"
        } else {
            upos.get(j as usize).copied().unwrap_or("X")
        }
    };
    // the UPOS hashes of the words, two boundary slots on each side
    let pos_hashes: Vec<u64> = (-2..n as isize + 2).map(|j| hash_str(pos(j))).collect();
    let pos_h = |j: isize| -> u64 {
        usize::try_from(j + 2)
            .ok()
            .and_then(|k| pos_hashes.get(k))
            .copied()
            .unwrap_or_else(|| hash_str(pos(j)))
    };
    let clu = |j: isize, b: usize| -> &str {
        if j < 0 {
            "<s>"
        } else {
            infos
                .get(j as usize)
                .map(|x| {
                    if x.cluster.is_empty() {
                        "-"
                    } else {
                        bits(x.cluster, b)
                    }
                })
                .unwrap_or("</s>")
        }
    };
    // the neighbour features of the sentence boundaries
    let edge = |v: &str| -> [u64; 16] {
        let mut out = [0u64; 16];
        for (h, t) in out.iter_mut().zip(NB_TEMPLATES) {
            *h = feature(t, v);
        }
        out
    };
    let (before, after) = (edge("<s>"), edge("</s>"));
    // the hash of neighbour feature `slot` of word `j`
    let nb = |j: isize, slot: usize| -> u64 {
        if j < 0 {
            before[slot]
        } else {
            infos
                .get(j as usize)
                .map(|x| x.nb[slot])
                .unwrap_or(after[slot])
        }
    };
    let bias = feature(0, "");
    let gaz_none = feature(31, "none");
    let (h_first, h_inner, h_quoted) = (hash_str("first"), hash_str("inner"), hash_str("quoted"));
    let mut all = Vec::with_capacity(n);
    for (i, info) in infos.iter().enumerate() {
        let k = i as isize;
        let own = &info.own;
        let (h_w, h_shape_i) = (info.h_lower, info.h_shape);
        let mut f = match spare.pop() {
            Some(mut v) => {
                v.clear();
                v
            }
            None => Vec::with_capacity(64),
        };
        // the first OWN_PREFIX features depend on the form alone
        f.push(bias);
        f.push(own[O_F1]);
        f.push(own[O_F2]);
        f.push(own[O_F3]);
        f.extend_from_slice(&own[O_PREFIX..O_PREFIX + 4]);
        f.extend_from_slice(&own[O_SUFFIX..O_SUFFIX + 4]);
        f.push(nb(k - 1, 0));
        f.push(nb(k + 1, 1));
        f.push(nb(k - 2, 2));
        f.push(nb(k + 2, 3));
        f.push(nb(k - 1, 4));
        f.push(nb(k + 1, 5));
        f.push(feature2_h(19, low_h(k - 1), h_w));
        f.push(feature2_h(20, h_w, low_h(k + 1)));
        f.push(feature2_h(45, shp_h(k - 1), h_shape_i));
        f.push(feature2_h(46, h_shape_i, shp_h(k + 1)));
        f.push(feature_h(21, pos_h(k)));
        f.push(feature_h(22, pos_h(k - 1)));
        f.push(feature_h(23, pos_h(k + 1)));
        f.push(feature2_h(24, pos_h(k - 1), pos_h(k)));
        f.push(feature2_h(25, pos_h(k), pos_h(k + 1)));
        f.push(feature_h(26, pos_h(k - 2)));
        f.push(feature_h(27, pos_h(k + 2)));
        f.push(feature2_h(44, pos_h(k), h_shape_i));
        if gaz[i].is_empty() {
            f.push(gaz_none);
        }
        for (kind, p) in &gaz[i] {
            f.push(feature2(28, kind, p.encode_utf8(&mut [0u8; 4])));
            f.push(feature(47, kind));
        }
        for (t, j) in [(29u8, k - 1), (30u8, k + 1)] {
            if let Some(g) = usize::try_from(j).ok().and_then(|j| gaz.get(j)) {
                for (kind, p) in g {
                    f.push(feature2(t, kind, p.encode_utf8(&mut [0u8; 4])));
                }
            }
        }
        if res.lexicon.is_some() {
            if info.cluster.is_empty() {
                f.push(own[O_CLU]);
            } else {
                f.extend_from_slice(&own[O_CLU..O_CLU + 4]);
            }
            f.push(nb(k - 1, 6));
            f.push(nb(k + 1, 7));
            f.push(own[O_F48]);
        }
        let cap = info.cap;
        let first = i == 0 || (i == 1 && is_quote(forms[0]));
        f.push(feature2_h(
            39,
            if first { h_first } else { h_inner },
            info.h_cap,
        ));
        if quoted[i] {
            f.push(feature2_h(42, h_quoted, info.h_cap));
        }
        f.push(own[O_F43]);
        if res.lexicon.is_some() {
            // the clusters of the window at several depths: +2.1 F1 on GUM
            // dev, +0.2 on CoNLL-2002 testa
            for slot in 8..11 {
                f.push(nb(k - 1, slot));
            }
            for slot in 11..14 {
                f.push(nb(k + 1, slot));
            }
            f.push(nb(k - 2, 14));
            f.push(nb(k + 2, 15));
            f.push(feature2_h(58, clu6_h(k - 1), info.h_clu6));
            f.push(feature2_h(59, info.h_clu6, clu6_h(k + 1)));
            f.push(own[O_F60]);
            f.push(own[O_F61]);
            if flags & F_MORECLU != 0 {
                f.push(feature(75, clu(k, 20)));
                for (t, j) in [(76u8, k - 2), (77, k + 2)] {
                    f.push(feature(t, clu(j, 4)));
                    f.push(feature(t + 2, clu(j, 10)));
                }
                f.push(feature(80, clu(k - 1, 20)));
                f.push(feature(81, clu(k + 1, 20)));
            }
        }
        if flags & F_PREVCAP != 0 {
            f.push(feature2(82, low(k - 1), cap));
            f.push(feature2(83, &format!("{}|{}", low(k - 2), low(k - 1)), cap));
            f.push(feature2(84, cap, low(k + 1)));
        }
        if flags & F_PARENS != 0 {
            if let Some(o) = paren[i] {
                let before = o
                    .checked_sub(1)
                    .map(|b| cap_class(forms[b]))
                    .unwrap_or("<s>");
                f.push(feature2(85, before, cap));
                f.push(feature2(
                    86,
                    if o + 1 == i { "first" } else { "inner" },
                    cap,
                ));
            }
        }
        all.push(f);
    }
    cache.spare = spare;
    (all, ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_affixes() {
        assert_eq!(shape("McCain"), "XxXx");
        assert_eq!(shape("15.000"), "d.d");
        assert_eq!(shape(""), "");
        assert_eq!(suffix("años", 2), "os");
        assert_eq!(prefix("Ñu", 1), "Ñ");
        assert_eq!(cap_class("ONU"), "upper");
        assert_eq!(cap_class("Ana"), "cap");
    }

    #[test]
    fn cached_form_features_equal_fresh_ones() {
        // more forms than the cache holds, so that it empties on the way
        let words: Vec<String> = (0..FORM_CACHE_MAX + 3000)
            .map(|k| match k % 4 {
                0 => format!("Palabra{k}"),
                1 => format!("x{k}"),
                2 => format!("ONU{k}"),
                _ => "de".to_string(),
            })
            .collect();
        let res = Resources {
            flags: F_CAPSNORM | F_MORECLU | F_PREVCAP | F_PARENS,
            ..Resources::default()
        };
        let mut cache = FormCache::default();
        for (j, sent) in words.chunks(37).enumerate() {
            let forms: Vec<&str> = sent.iter().map(|w| w.as_str()).collect();
            let upos = vec!["PROPN"; forms.len()];
            let fresh = sentence_features(res, &forms, &upos);
            let (cached, _) = sentence_features_cached(res, &forms, &upos, Some(&mut cache));
            assert_eq!(fresh, cached, "sentence {j}");
        }
    }

    /// The gazetteer as it was first written: the forms joined by spaces
    /// and matched as one text, kept as the reference.
    fn gazetteer_of_text(kb: &Kb, forms: &[&str]) -> Vec<Vec<(&'static str, char)>> {
        let mut text = String::new();
        let mut offs = Vec::with_capacity(forms.len());
        for (i, f) in forms.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            let s = text.len();
            text.push_str(f);
            offs.push((s, text.len()));
        }
        let mut out = vec![Vec::new(); forms.len()];
        for m in kb.find_all(&text) {
            let first = offs.partition_point(|(_, e)| *e <= m.start);
            let last = offs.partition_point(|(s, _)| *s < m.end);
            if first >= last {
                continue;
            }
            mark_match(&mut out, first, last, kb, &m.entries);
        }
        out
    }

    #[test]
    fn gazetteer_of_forms_equals_that_of_their_text() {
        let Ok(kb) = Kb::shared() else {
            panic!("kb loads")
        };
        for s in [
            "Tropas de Corea de el Norte en Rusia",
            "EE.UU. y la Unión Europea , con el presidente ruso Vladímir Putin",
            "la Unión Europea",
            " , Kim Jong-un  (ONU) - la ONU y AP ",
            "El Salvador , la  Casa Blanca y el Kremlin",
            "",
        ] {
            let forms: Vec<&str> = s.split(' ').collect();
            assert_eq!(
                gazetteer(kb, &forms),
                gazetteer_of_text(kb, &forms),
                "{s:?}"
            );
        }
    }

    #[test]
    fn gazetteer_marks_words_of_a_match() {
        let Ok(kb) = Kb::shared() else {
            panic!("kb loads")
        };
        let forms = ["Tropas", "de", "Corea", "del", "Norte", "en", "Rusia"];
        let g = gazetteer(kb, &forms);
        assert!(g[2].iter().any(|(k, p)| *k == "country" && *p == 'B'));
        assert!(g[4].iter().any(|(k, p)| *k == "country" && *p == 'L'));
        assert!(g[6].iter().any(|(k, p)| *k == "country" && *p == 'U'));
        assert!(g[1].is_empty());
        let f = sentence_features(Resources::default(), &forms, &["NOUN"]);
        assert_eq!(f.len(), forms.len(), "missing UPOS is not an error");
        assert!(sentence_features(Resources::default(), &[], &[]).is_empty());
    }
}
