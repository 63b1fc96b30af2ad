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
use crate::ml::perceptron::{feature, feature2, Model, Trainer};
use crate::ml::word::{prefix, suffix};
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
/// Table key of a clitic rule: the marker, then the clitic ("*'s").
const CLITIC_KEY: char = '*';

/// A trained tagger with its multiword-token table.
pub struct Tagger {
    model: Model,
    /// Lower-cased token → lower-cased words.
    mwt: HashMap<String, Vec<String>>,
    /// Clitics split off any token that ends with them, longest first:
    /// "Russia's" = Russia + 's, "wouldn't" = would + n't (learnt from the
    /// treebank's multiword tokens, stored in the table as `*'s`).
    clitics: Vec<String>,
    /// Brown clusters and lookup lemmas (the model must be used with the
    /// lexicon it was trained with).
    lexicon: Option<Arc<Lexicon>>,
}

fn prefix_bits(bits: &str, n: usize) -> &str {
    bits.get(..n.min(bits.len())).unwrap_or(bits)
}

/// The copy of feature `f` specific to `domain` (1 = the main treebank,
/// 2 = auxiliary ones).
fn domain_copy(f: u64, domain: u64) -> u64 {
    (f ^ domain.wrapping_mul(0x9e37_79b9_7f4a_7c15)).wrapping_mul(0xff51_afd7_ed55_8ccd)
}

/// The tagger's word shape (12 characters, as its models were trained).
fn shape12(w: &str) -> String {
    crate::ml::word::shape(w, 12)
}

/// What the features read of one sentence, computed once per word.
struct Sent<'a> {
    words: &'a [&'a str],
    lower: Vec<String>,
    shape: Vec<String>,
    /// Lexicon entry of the form as written, else of its lower-case form.
    entry: Vec<Option<Entry>>,
    /// For words with upper-case letters: the lower-cased form's entry, and
    /// whether the form as written has an entry of its own.
    cased: Vec<Option<(Option<Entry>, bool)>>,
}

impl<'a> Sent<'a> {
    fn new(words: &'a [&'a str], lex: Option<&Lexicon>) -> Sent<'a> {
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let shape = words.iter().map(|w| shape12(w)).collect();
        let mut entry = Vec::with_capacity(words.len());
        let mut cased = Vec::with_capacity(words.len());
        for (w, l) in words.iter().zip(&lower) {
            let Some(lx) = lex else {
                entry.push(None);
                cased.push(None);
                continue;
            };
            let e = lx.get(w);
            entry.push(e.copied());
            cased.push(if w != l {
                let le = lx.get(l);
                // `get` falls back to the lower-case form: the same entry
                // means the form as written has none of its own
                let own = match (e, le) {
                    (Some(a), Some(b)) => !std::ptr::eq(a, b),
                    (a, _) => a.is_some(),
                };
                Some((le.copied(), own))
            } else {
                None
            });
        }
        Sent {
            words,
            lower,
            shape,
            entry,
            cased,
        }
    }

    fn low(&self, i: usize, k: isize) -> &str {
        let j = i as isize + k;
        if j < 0 {
            "<s>"
        } else {
            self.lower
                .get(j as usize)
                .map(|s| s.as_str())
                .unwrap_or("</s>")
        }
    }

    fn shape_at(&self, i: usize, k: isize) -> &str {
        let j = i as isize + k;
        if j < 0 {
            "<s>"
        } else {
            self.shape
                .get(j as usize)
                .map(|s| s.as_str())
                .unwrap_or("</s>")
        }
    }

    /// The first `bits` bits of the Brown cluster of word `i + k`.
    fn cluster(&self, i: usize, k: isize, bits: usize) -> &str {
        let j = i as isize + k;
        if j < 0 {
            return "<s>";
        }
        match self.entry.get(j as usize) {
            Some(Some(e)) => prefix_bits(e.cluster, bits),
            Some(None) => "-",
            None => "</s>",
        }
    }
}

/// The features of word `i` that do not depend on tags (appended to `out`).
fn static_features(s: &Sent, lexicon: bool, i: usize, out: &mut Vec<u64>) {
    let w = s.lower[i].as_str();
    out.push(feature(0, ""));
    out.push(feature(1, w));
    out.push(feature(2, suffix(w, 1)));
    out.push(feature(3, suffix(w, 2)));
    out.push(feature(4, suffix(w, 3)));
    out.push(feature(5, suffix(w, 4)));
    out.push(feature(6, prefix(w, 1)));
    out.push(feature(7, prefix(w, 3)));
    out.push(feature(8, &s.shape[i]));
    out.push(feature(9, s.low(i, -1)));
    out.push(feature(10, s.low(i, 1)));
    out.push(feature(11, s.low(i, -2)));
    out.push(feature(12, s.low(i, 2)));
    out.push(feature(13, suffix(s.low(i, -1), 3)));
    out.push(feature(14, suffix(s.low(i, 1), 3)));
    out.push(feature(18, if i == 0 { "first" } else { "" }));
    out.push(feature2(19, w, s.low(i, 1)));
    out.push(feature2(20, s.low(i, -1), w));
    out.push(feature(22, suffix(w, 5)));
    out.push(feature(23, s.shape_at(i, 1)));
    out.push(feature(24, s.shape_at(i, -1)));
    if !lexicon {
        return;
    }
    match &s.entry[i] {
        Some(e) => {
            let c = e.cluster;
            out.push(feature(30, prefix_bits(c, 4)));
            out.push(feature(31, prefix_bits(c, 6)));
            out.push(feature(32, prefix_bits(c, 10)));
            out.push(feature(33, c));
            if !e.lemma.is_empty() {
                out.push(feature(34, suffix(e.lemma, 2)));
                out.push(feature(
                    35,
                    if e.lemma.eq_ignore_ascii_case(s.words[i]) {
                        "same"
                    } else {
                        "diff"
                    },
                ));
            }
        }
        None => out.push(feature(36, "oov")),
    }
    out.push(feature(37, s.cluster(i, -1, 6)));
    out.push(feature(38, s.cluster(i, 1, 6)));
    // a capitalised word: is it known lower-cased (a common word at the
    // start of a sentence or in a title) and how, and known as written?
    if let Some((le, own)) = &s.cased[i] {
        out.push(feature(
            53,
            le.map(|e| prefix_bits(e.cluster, 6)).unwrap_or("-"),
        ));
        out.push(feature2(
            54,
            if *own { "E" } else { "e" },
            if le.is_some() { "L" } else { "l" },
        ));
    }
}

/// The features of word `i` that depend on the two previous tags
/// (appended to `out`).
fn tag_features(s: &Sent, i: usize, p1: &str, p2: &str, out: &mut Vec<u64>) {
    let w = s.lower[i].as_str();
    out.push(feature(15, p1));
    out.push(feature2(16, p1, p2));
    out.push(feature2(17, p1, w));
    out.push(feature2(21, p1, s.low(i, 1)));
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
    /// Tags `words` (syntactic words, already expanded).
    pub fn tag(&self, words: &[&str]) -> Vec<&str> {
        let s = Sent::new(words, self.lexicon.as_deref());
        let lexicon = self.lexicon.is_some();
        let mut feats = Vec::with_capacity(48);
        let mut buf = Vec::new();
        let mut tags: Vec<&str> = Vec::with_capacity(words.len());
        for i in 0..words.len() {
            let p1 = if i >= 1 { tags[i - 1] } else { "<s>" };
            let p2 = if i >= 2 { tags[i - 2] } else { "<s>" };
            feats.clear();
            static_features(&s, lexicon, i, &mut feats);
            tag_features(&s, i, p1, p2, &mut feats);
            let c = self.model.predict(&feats, &mut buf);
            tags.push(self.model.classes.get(c).map(|s| s.as_str()).unwrap_or("X"));
        }
        tags
    }

    /// The syntactic words of a surface token: itself, or its expansion
    /// when it is a known multiword token (case of the first letter kept).
    pub fn expand(&self, token: &str) -> Vec<String> {
        let low = token.to_lowercase();
        if !self.mwt.contains_key(&low) && !low.starts_with(CLITIC_KEY) {
            for c in &self.clitics {
                if low.len() > c.len()
                    && low.ends_with(c.as_str())
                    && token.is_char_boundary(token.len() - c.len())
                {
                    let (stem, clitic) = token.split_at(token.len() - c.len());
                    if stem.chars().next_back().is_some_and(char::is_alphanumeric) {
                        return vec![stem.to_string(), clitic.to_string()];
                    }
                }
            }
        }
        match self.mwt.get(&low).filter(|_| !low.starts_with(CLITIC_KEY)) {
            Some(parts) => {
                let upper = token.chars().next().is_some_and(char::is_uppercase);
                parts
                    .iter()
                    .enumerate()
                    .map(|(k, p)| {
                        if k == 0 && upper {
                            let mut c = p.chars();
                            c.next()
                                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                                .unwrap_or_default()
                        } else {
                            p.clone()
                        }
                    })
                    .collect()
            }
            None => vec![token.to_string()],
        }
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
        let infos: Vec<Sent> = words
            .iter()
            .map(|w| Sent::new(w, lexicon.as_deref()))
            .collect();
        let statics: Vec<Vec<Vec<u64>>> = infos
            .iter()
            .map(|s| {
                (0..s.words.len())
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
                    let mut prev: Vec<usize> = Vec::with_capacity(s.words.len());
                    for i in 0..s.words.len() {
                        let tag = |j: usize| classes[prev[j]].as_str();
                        let p1 = if i >= 1 { tag(i - 1) } else { "<s>" };
                        let p2 = if i >= 2 { tag(i - 2) } else { "<s>" };
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
                let inflection = lexicon
                    .as_ref()
                    .and_then(|lx| lx.get(&tok))
                    .is_some_and(|e| {
                        best.0.len() == 2 && best.0.first().is_some_and(|f| f == e.lemma)
                    });
                (best.1 > as_word && !inflection).then_some((tok, best.0))
            })
            .chain(clitics)
            .collect();
        Ok(Tagger::with_table(model, mwt, lexicon))
    }

    /// A tagger from its parts; the clitic rules are read off the table.
    fn with_table(
        model: Model,
        mwt: HashMap<String, Vec<String>>,
        lexicon: Option<Arc<Lexicon>>,
    ) -> Tagger {
        let mut clitics: Vec<String> = mwt
            .keys()
            .filter_map(|k| k.strip_prefix(CLITIC_KEY))
            .map(str::to_string)
            .collect();
        clitics.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        Tagger {
            model,
            mwt,
            clitics,
            lexicon,
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
        Ok(Tagger::with_table(model, mwt, lexicon))
    }
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
}
