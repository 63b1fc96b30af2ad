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
use crate::ml::perceptron::{feature, feature2, Model, Trainer};
use crate::ml::word::suffix;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};

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
struct PerUpos {
    /// Lower-cased form → features, for forms that never varied.
    dict: HashMap<Box<str>, Box<str>>,
    /// The classifier, when the UPOS was seen with more than one value.
    model: Option<Model>,
    /// The most frequent value (the answer without a model).
    default: Box<str>,
}

/// A trained feature tagger.
pub struct FeatsTagger {
    by_upos: HashMap<Box<str>, PerUpos>,
}

/// Features of word `i`.
fn features<S: AsRef<str>>(
    lower: &[S],
    words: &[&str],
    upos: &[&str],
    lemmas: &[&str],
    i: usize,
    out: &mut Vec<u64>,
) {
    out.clear();
    let w = lower[i].as_ref();
    let word = |k: isize| -> &str {
        let j = i as isize + k;
        if j < 0 {
            "<s>"
        } else {
            lower.get(j as usize).map(|s| s.as_ref()).unwrap_or("</s>")
        }
    };
    let tag = |k: isize| -> &str {
        let j = i as isize + k;
        if j < 0 {
            "<s>"
        } else {
            upos.get(j as usize).copied().unwrap_or("</s>")
        }
    };
    out.push(feature(0, ""));
    out.push(feature(1, w));
    for (t, n) in [(2u8, 1usize), (3, 2), (4, 3), (5, 4), (6, 5)] {
        out.push(feature(t, suffix(w, n)));
    }
    out.push(feature(
        8,
        &crate::ml::word::shape(words.get(i).copied().unwrap_or(""), 6),
    ));
    let (p1, n1) = (word(-1), word(1));
    out.push(feature(9, p1));
    out.push(feature(11, tag(-1)));
    out.push(feature(12, tag(1)));
    out.push(feature2(15, tag(1), suffix(n1, 2)));
    out.push(feature2(16, tag(-1), suffix(p1, 2)));
    out.push(feature2(17, p1, suffix(w, 3)));
    out.push(feature(18, word(-2)));
    out.push(feature2(19, tag(-1), tag(-2)));
    out.push(feature2(20, suffix(w, 3), tag(1)));
    // the inflection: what the form adds to its lemma ("represente" /
    // "representar" -> "e" for "ar": a subjunctive)
    let lemma = lemmas.get(i).copied().unwrap_or("");
    let common = w
        .char_indices()
        .zip(lemma.chars())
        .take_while(|((_, a), b)| a == b)
        .last()
        .map(|((k, a), _)| k + a.len_utf8())
        .unwrap_or(0);
    let lsuf = suffix(lemma, 2);
    let lcommon = lemma
        .char_indices()
        .nth(w[..common].chars().count())
        .map(|(k, _)| k)
        .unwrap_or(lemma.len());
    out.push(feature2(21, &w[common..], &lemma[lcommon..]));
    out.push(feature(22, lsuf));
    out.push(feature2(23, suffix(w, 3), lsuf));
}

impl FeatsTagger {
    /// The features of each word, given its UPOS and lemma (lower-cased;
    /// all three slices have the same length).
    pub fn predict<'a>(&'a self, words: &[&str], upos: &[&str], lemmas: &[&str]) -> Vec<&'a str> {
        // most words are lower-case already: no allocation for them
        let lower: Vec<Cow<str>> = words
            .iter()
            .map(|w| {
                if w.chars().any(char::is_uppercase) {
                    Cow::Owned(w.to_lowercase())
                } else {
                    Cow::Borrowed(*w)
                }
            })
            .collect();
        let mut feats = Vec::with_capacity(24);
        let mut buf = Vec::new();
        let mut out = Vec::with_capacity(words.len());
        for i in 0..words.len() {
            let Some(pu) = upos.get(i).and_then(|u| self.by_upos.get(*u)) else {
                out.push("");
                continue;
            };
            if let Some(f) = pu.dict.get(lower[i].as_ref()) {
                out.push(f);
                continue;
            }
            match &pu.model {
                Some(m) => {
                    features(&lower, words, upos, lemmas, i, &mut feats);
                    let c = m.predict(&feats, &mut buf);
                    out.push(m.classes.get(c).map(|s| s.as_str()).unwrap_or(""));
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
        for _ in 0..opts.epochs {
            crate::ml::shuffle(&mut order, &mut seed);
            for &k in &order {
                let s = &sents[k];
                let words: Vec<&str> = s.words.iter().map(|w| w.as_str()).collect();
                let upos: Vec<&str> = s.upos.iter().map(|w| w.as_str()).collect();
                let lemmas: Vec<&str> = s.lemmas.iter().map(|w| w.as_str()).collect();
                let lower: Vec<String> = s.words.iter().map(|w| w.to_lowercase()).collect();
                for i in 0..words.len() {
                    let Some((tr, ids)) = trainers.get_mut(upos[i]) else {
                        continue;
                    };
                    features(&lower, &words, &upos, &lemmas, i, &mut feats);
                    let guess = tr.predict(&feats, &mut buf);
                    let truth = ids.get(s.feats[i].as_str()).copied().unwrap_or(0);
                    tr.update(&feats, truth, guess);
                }
            }
        }
        let mut by_upos: HashMap<Box<str>, PerUpos> = HashMap::new();
        for (u, vals) in &values {
            let default = vals
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(v, _)| *v)
                .unwrap_or("");
            by_upos.insert(
                (*u).into(),
                PerUpos {
                    dict: HashMap::new(),
                    model: None,
                    default: default.into(),
                },
            );
        }
        for (u, (tr, _)) in trainers {
            if let Some(pu) = by_upos.get_mut(u) {
                pu.model = Some(tr.average());
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
                        pu.dict.insert(form.as_str().into(), (*v).into());
                    }
                }
            }
        }
        FeatsTagger { by_upos }
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
        let mut by_upos = HashMap::new();
        for _ in 0..n {
            let u = r.str()?;
            let default = r.str()?;
            let nd = r.u32()?;
            let mut dict = HashMap::with_capacity(nd.min(1 << 20));
            for _ in 0..nd {
                let form = r.str()?;
                let f = r.str()?;
                dict.insert(form.into(), f.into());
            }
            let len = r.u32()?;
            let model = if len == 0 {
                None
            } else {
                Some(Model::from_bytes(r.take(len)?)?)
            };
            by_upos.insert(
                u.into(),
                PerUpos {
                    dict,
                    model,
                    default: default.into(),
                },
            );
        }
        Ok(FeatsTagger { by_upos })
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
}
