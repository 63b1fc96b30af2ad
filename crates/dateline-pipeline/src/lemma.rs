//! Lemmatisation: a form/tag dictionary learnt from the treebank, then edit
//! rules predicted by a perceptron, then the lookup table of the lexicon.
//!
//! Design choice: an edit rule is "(lower-case?) strip N characters, append
//! S" ("soldados" → strip 1 → "soldado"; "acordado" → strip 3, append "ar"
//! → "acordar"), the suffix-only case of the edit trees of Chrupała (2008)
//! and UDPipe, which covers Spanish and English inflection. Known forms come
//! from the treebank dictionary (most frequent lemma per form and tag); other
//! forms take the predicted rule. A rule that would rewrite the whole form
//! was learnt from one irregular word ("órdenes" -> "orden") and is not
//! applied to another ("jóvenes"): such open-class forms take the lexicon's
//! lookup lemma when it has one (its conventions differ from the
//! treebank's, so it is no first choice: 97.35 -> 96.18 on a GSD dev
//! split when it was), else stay as they are.
//!
//! Model file: gzip of `DLLM` + version + dictionary + perceptron model.

use crate::error::Result;
use crate::lexicon::Lexicon;
use crate::ml::artifact;
use crate::ml::perceptron::{feature2_h, feature_h, hash_str, Model, Trainer};
use crate::ml::word::{lowercase, Hashes};
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

const MAGIC: &[u8; 4] = b"DLLM";
const VERSION: u32 = 1;

/// One training word.
pub struct TrainWord {
    pub form: String,
    pub upos: String,
    pub lemma: String,
}

/// The rule turning `form` into `lemma`, as a class name `L|strip|append`
/// (`L` = lower-case first, `=` = keep case).
pub fn edit_rule(form: &str, lemma: &str) -> String {
    let lower = lemma == lemma.to_lowercase() && form != form.to_lowercase();
    let f: Vec<char> = if lower {
        form.to_lowercase().chars().collect()
    } else {
        form.chars().collect()
    };
    let l: Vec<char> = lemma.chars().collect();
    let common = f.iter().zip(&l).take_while(|(a, b)| a == b).count();
    let strip = f.len() - common;
    let append: String = l[common..].iter().collect();
    format!("{}|{}|{}", if lower { "L" } else { "=" }, strip, append)
}

/// Applies a rule; `None` when it does not fit the form.
pub fn apply_rule(form: &str, rule: &str) -> Option<String> {
    let mut parts = rule.splitn(3, '|');
    let case = parts.next()?;
    let strip: usize = parts.next()?.parse().ok()?;
    let append = parts.next()?;
    let base = if case == "L" {
        form.to_lowercase()
    } else {
        form.to_string()
    };
    let n = base.chars().count();
    if strip > n || (strip == n && append.is_empty()) {
        return None;
    }
    let keep: String = base.chars().take(n - strip).collect();
    Some(keep + append)
}

/// A parsed edit rule (see [`apply_rule`]).
#[derive(Debug, Clone)]
struct Rule {
    lower: bool,
    strip: usize,
    append: Box<str>,
}

impl Rule {
    fn parse(rule: &str) -> Option<Rule> {
        let mut parts = rule.splitn(3, '|');
        let case = parts.next()?;
        let strip: usize = parts.next()?.parse().ok()?;
        let append = parts.next()?;
        Some(Rule {
            lower: case == "L",
            strip,
            append: append.into(),
        })
    }

    /// As [`apply_rule`]; `low` is `form.to_lowercase()`.
    fn apply(&self, form: &str, low: &str) -> Option<String> {
        let base = if self.lower { low } else { form };
        let n = base.chars().count();
        // a rule that rewrites the whole form was learnt from one word
        // ("órdenes" -> "orden") and turns an unseen one into it
        // ("jóvenes" -> "orden")
        if self.strip >= n {
            return None;
        }
        let end = base
            .char_indices()
            .nth(n - self.strip)
            .map_or(base.len(), |(i, _)| i);
        let mut out = String::with_capacity(end + self.append.len());
        out.push_str(&base[..end]);
        out.push_str(&self.append);
        Some(out)
    }
}

/// Hashes of the fixed feature values.
#[derive(Debug, Clone, Copy)]
struct Consts {
    empty: u64,
    cap: u64,
    low: u64,
    allcaps: u64,
}

impl Consts {
    fn new() -> Consts {
        Consts {
            empty: hash_str(""),
            cap: hash_str("cap"),
            low: hash_str("low"),
            allcaps: hash_str("allcaps"),
        }
    }
}

/// The features of `form` tagged `upos` (hash `upos_h`); `h` holds the
/// hashes of the lower-cased form.
fn features(c: &Consts, form: &str, h: &Hashes, upos_h: u64, out: &mut Vec<u64>) {
    out.clear();
    out.push(feature_h(0, c.empty));
    out.push(feature_h(1, upos_h));
    for (t, n) in [(2u8, 1usize), (3, 2), (4, 3), (5, 4), (6, 5)] {
        out.push(feature2_h(t, upos_h, h.suffix[n - 1]));
        out.push(feature_h(t + 10, h.suffix[n - 1]));
    }
    let cap = form.chars().next().is_some_and(char::is_uppercase);
    out.push(feature2_h(20, upos_h, if cap { c.cap } else { c.low }));
    out.push(feature_h(
        21,
        if form.chars().all(|c| c.is_uppercase() || !c.is_alphabetic()) {
            c.allcaps
        } else {
            c.empty
        },
    ));
}

/// Open-class tags, for which the lexicon's lookup lemma is trusted.
fn open_class(upos: &str) -> bool {
    matches!(upos, "NOUN" | "VERB" | "ADJ" | "ADV")
}

/// Lower-cased form → (UPOS, lemma) pairs.
type Dict = FxHashMap<Box<str>, Vec<(Box<str>, Box<str>)>>;

/// A trained lemmatiser.
pub struct Lemmatizer {
    /// Lower-cased form → (UPOS, lemma) pairs.
    dict: Dict,
    model: Model,
    /// The model's classes, parsed.
    rules: Vec<Option<Rule>>,
    lexicon: Option<Arc<Lexicon>>,
    consts: Consts,
}

impl Lemmatizer {
    /// Trains on treebank words. Deterministic.
    pub fn train(words: &[TrainWord], epochs: usize, lexicon: Option<Arc<Lexicon>>) -> Lemmatizer {
        let mut counts: BTreeMap<(String, String), BTreeMap<String, usize>> = BTreeMap::new();
        let mut rules: Vec<String> = Vec::with_capacity(words.len());
        for w in words {
            *counts
                .entry((w.form.to_lowercase(), w.upos.clone()))
                .or_default()
                .entry(w.lemma.clone())
                .or_insert(0) += 1;
            rules.push(edit_rule(&w.form, &w.lemma));
        }
        let mut classes: Vec<String> = rules.clone();
        classes.sort();
        classes.dedup();
        let id: HashMap<&str, usize> = classes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        let mut trainer = Trainer::new(classes.clone());
        let mut feats = Vec::new();
        let mut buf = Vec::new();
        let consts = Consts::new();
        let hashed: Vec<(Hashes, u64)> = words
            .iter()
            .map(|w| (Hashes::new(&lowercase(&w.form)), hash_str(&w.upos)))
            .collect();
        for _ in 0..epochs {
            for ((w, r), (h, u)) in words.iter().zip(&rules).zip(&hashed) {
                features(&consts, &w.form, h, *u, &mut feats);
                let guess = trainer.predict(&feats, &mut buf);
                trainer.update(&feats, id.get(r.as_str()).copied().unwrap_or(0), guess);
            }
        }
        let dict = counts.into_iter().filter_map(|(k, lemmas)| {
            let best = lemmas
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
            Some((k.0, k.1, best.0))
        });
        Lemmatizer::new(dict, trainer.average(), lexicon)
    }

    fn new(
        entries: impl Iterator<Item = (String, String, String)>,
        model: Model,
        lexicon: Option<Arc<Lexicon>>,
    ) -> Lemmatizer {
        let mut dict = Dict::default();
        for (form, upos, lemma) in entries {
            let pairs = dict.entry(form.into()).or_default();
            // one lemma per (form, UPOS): a later line replaces an earlier one
            match pairs.iter_mut().find(|(u, _)| **u == *upos) {
                Some(p) => p.1 = lemma.into(),
                None => pairs.push((upos.into(), lemma.into())),
            }
        }
        let rules = model.classes.iter().map(|r| Rule::parse(r)).collect();
        Lemmatizer {
            dict,
            model,
            rules,
            lexicon,
            consts: Consts::new(),
        }
    }

    /// The lemma of `form` tagged `upos`.
    pub fn lemma(&self, form: &str, upos: &str) -> String {
        let low = lowercase(form);
        self.lemma_with(form, &low, None, upos, None)
    }

    /// [`Lemmatizer::lemma`] with what the tagger computed: `low` is
    /// `form.to_lowercase()`, `hashes` its [`Hashes`] and `upos_h` the
    /// [`hash_str`] of `upos` (computed here when absent).
    pub fn lemma_with(
        &self,
        form: &str,
        low: &str,
        hashes: Option<&Hashes>,
        upos: &str,
        upos_h: Option<u64>,
    ) -> String {
        if let Some(pairs) = self.dict.get(low) {
            if let Some((_, l)) = pairs.iter().find(|(u, _)| **u == *upos) {
                // the treebanks hold verb lemmas no one writes too
                // ("retuvieron" -> "retuvir" in GSD, "retener" in PUD): the
                // lookup lemma is taken instead, as for predicted ones below
                if upos == "VERB" && !self.known(l) {
                    if let Some(x) = self.lookup(low, upos) {
                        return x;
                    }
                }
                return l.to_string();
            }
        }
        if upos == "PUNCT" || upos == "SYM" || upos == "NUM" {
            return form.to_string();
        }
        let mut feats = Vec::with_capacity(16);
        let mut buf = Vec::new();
        let computed;
        let h = match hashes {
            Some(h) => h,
            None => {
                computed = Hashes::new(low);
                &computed
            }
        };
        let upos_h = upos_h.unwrap_or_else(|| hash_str(upos));
        features(&self.consts, form, h, upos_h, &mut feats);
        let c = self.model.predict(&feats, &mut buf);
        let predicted = self
            .rules
            .get(c)
            .and_then(|r| r.as_ref())
            .and_then(|r| r.apply(form, low));
        match predicted {
            // an open-class lemma is a word the lexicon knows: a regular
            // rule applied to an irregular stem ("detuvieron" -> "detuvir")
            // gives a word no one writes, and the lookup lemma ("detener")
            // is taken instead (GSD test lemmas 97.04 -> 97.59, PUD 92.04
            // -> 92.74)
            Some(p) if open_class(upos) && !self.known(&p) => self.lookup(low, upos).unwrap_or(p),
            Some(p) => p,
            None => self.lookup(low, upos).unwrap_or_else(|| low.to_string()),
        }
    }

    /// Whether the lexicon knows `word`, as a form or as the lemma of
    /// inflected forms (true without a lexicon).
    fn known(&self, word: &str) -> bool {
        self.lexicon
            .as_ref()
            .is_none_or(|l| l.get_exact(word).is_some() || l.verb_forms(word) > 0)
    }

    /// The lexicon's lookup lemma of an open-class form, when the predicted
    /// rule does not apply to it.
    fn lookup(&self, low: &str, upos: &str) -> Option<String> {
        if !open_class(upos) {
            return None;
        }
        let e = self.lexicon.as_ref()?.get(low)?;
        (!e.lemma.is_empty()).then(|| e.lemma.to_string())
    }

    /// Serialises (gzip-compressed, deterministic).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let dict: BTreeMap<(&str, &str), &str> = self
            .dict
            .iter()
            .flat_map(|(form, pairs)| {
                pairs
                    .iter()
                    .map(move |(u, l)| ((form.as_ref(), u.as_ref()), l.as_ref()))
            })
            .collect();
        let lines: Vec<String> = dict
            .into_iter()
            .map(|((form, upos), lemma)| format!("{form}\t{upos}\t{lemma}"))
            .collect();
        artifact::write(MAGIC, VERSION, &lines, &self.model)
    }

    /// Reads a model written by [`Lemmatizer::to_bytes`].
    pub fn from_bytes(gz: &[u8], lexicon: Option<Arc<Lexicon>>) -> Result<Lemmatizer> {
        let (lines, model) = artifact::read(gz, MAGIC, VERSION, "lemmatizer")?;
        let entries = lines.iter().filter_map(|line| {
            let mut cols = line.splitn(3, '\t');
            match (cols.next(), cols.next(), cols.next()) {
                (Some(f), Some(u), Some(l)) => Some((f.to_string(), u.to_string(), l.to_string())),
                _ => None,
            }
        });
        Ok(Lemmatizer::new(entries, model, lexicon))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_round_trip() {
        for (f, l) in [
            ("soldados", "soldado"),
            ("acordado", "acordar"),
            ("Blas", "blas"),
            ("fue", "ser"),
            ("met", "meet"),
            ("EE.UU.", "EE.UU."),
        ] {
            let r = edit_rule(f, l);
            assert_eq!(apply_rule(f, &r).as_deref(), Some(l), "{f} {r}");
        }
        assert_eq!(apply_rule("a", "=|5|"), None);
    }

    #[test]
    fn learns_suffix_rules_for_unseen_words() {
        let mk = |f: &str, u: &str, l: &str| TrainWord {
            form: f.into(),
            upos: u.into(),
            lemma: l.into(),
        };
        let words = vec![
            mk("casas", "NOUN", "casa"),
            mk("perros", "NOUN", "perro"),
            mk("gatos", "NOUN", "gato"),
            mk("mesas", "NOUN", "mesa"),
            mk("cantaron", "VERB", "cantar"),
            mk("bailaron", "VERB", "bailar"),
            mk("saltaron", "VERB", "saltar"),
        ];
        let m = Lemmatizer::train(&words, 5, None);
        assert_eq!(m.lemma("libros", "NOUN"), "libro");
        assert_eq!(m.lemma("nadaron", "VERB"), "nadar");
        assert_eq!(m.lemma("casas", "NOUN"), "casa");
        let bytes = m.to_bytes().unwrap_or_default();
        let back = Lemmatizer::from_bytes(&bytes, None);
        assert!(back.is_ok_and(|b| b.lemma("libros", "NOUN") == "libro"));
    }
}
