//! Lemmatisation: a form/tag dictionary learnt from the treebank, then the
//! lookup table of the lexicon, then edit rules predicted by a perceptron.
//!
//! Design choice: an edit rule is "(lower-case?) strip N characters, append
//! S" ("soldados" → strip 1 → "soldado"; "acordado" → strip 3, append "ar"
//! → "acordar"), the suffix-only case of the edit trees of Chrupała (2008)
//! and UDPipe, which covers Spanish and English inflection. Known forms come
//! from the treebank dictionary (most frequent lemma per form and tag); other
//! forms use the lexicon's lookup lemma when it has one for open-class
//! words, and the predicted rule otherwise.
//!
//! Model file: gzip of `DLLM` + version + dictionary + perceptron model.

use crate::error::Result;
use crate::lexicon::Lexicon;
use crate::ml::artifact;
use crate::ml::perceptron::{feature, feature2, Model, Trainer};
use crate::ml::word::suffix;
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

fn features(form: &str, upos: &str, out: &mut Vec<u64>) {
    out.clear();
    let low = form.to_lowercase();
    out.push(feature(0, ""));
    out.push(feature(1, upos));
    for (t, n) in [(2u8, 1usize), (3, 2), (4, 3), (5, 4), (6, 5)] {
        out.push(feature2(t, upos, suffix(&low, n)));
        out.push(feature(t + 10, suffix(&low, n)));
    }
    let cap = form.chars().next().is_some_and(char::is_uppercase);
    out.push(feature2(20, upos, if cap { "cap" } else { "low" }));
    out.push(feature(
        21,
        if form.chars().all(|c| c.is_uppercase() || !c.is_alphabetic()) {
            "allcaps"
        } else {
            ""
        },
    ));
}

/// Open-class tags, for which the lexicon's lookup lemma is trusted.
fn open_class(upos: &str) -> bool {
    matches!(upos, "NOUN" | "VERB" | "ADJ" | "ADV")
}

/// A trained lemmatiser.
pub struct Lemmatizer {
    /// (lower-cased form, UPOS) → lemma.
    dict: HashMap<(String, String), String>,
    model: Model,
    lexicon: Option<Arc<Lexicon>>,
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
        for _ in 0..epochs {
            for (w, r) in words.iter().zip(&rules) {
                features(&w.form, &w.upos, &mut feats);
                let guess = trainer.predict(&feats, &mut buf);
                trainer.update(&feats, id.get(r.as_str()).copied().unwrap_or(0), guess);
            }
        }
        let dict = counts
            .into_iter()
            .filter_map(|(k, lemmas)| {
                let best = lemmas
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
                Some((k, best.0))
            })
            .collect();
        Lemmatizer {
            dict,
            model: trainer.average(),
            lexicon,
        }
    }

    /// The lemma of `form` tagged `upos`.
    pub fn lemma(&self, form: &str, upos: &str) -> String {
        let low = form.to_lowercase();
        if let Some(l) = self.dict.get(&(low.clone(), upos.to_string())) {
            return l.clone();
        }
        if upos == "PUNCT" || upos == "SYM" || upos == "NUM" {
            return form.to_string();
        }
        if open_class(upos) {
            if let Some(e) = self.lexicon.as_ref().and_then(|lx| lx.get(&low)) {
                if !e.lemma.is_empty() {
                    return e.lemma.to_string();
                }
            }
        }
        let mut feats = Vec::new();
        let mut buf = Vec::new();
        features(form, upos, &mut feats);
        let c = self.model.predict(&feats, &mut buf);
        self.model
            .classes
            .get(c)
            .and_then(|r| apply_rule(form, r))
            .unwrap_or(low)
    }

    /// Serialises (gzip-compressed, deterministic).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let dict: BTreeMap<&(String, String), &String> = self.dict.iter().collect();
        let lines: Vec<String> = dict
            .into_iter()
            .map(|((form, upos), lemma)| format!("{form}\t{upos}\t{lemma}"))
            .collect();
        artifact::write(MAGIC, VERSION, &lines, &self.model)
    }

    /// Reads a model written by [`Lemmatizer::to_bytes`].
    pub fn from_bytes(gz: &[u8], lexicon: Option<Arc<Lexicon>>) -> Result<Lemmatizer> {
        let (lines, model) = artifact::read(gz, MAGIC, VERSION, "lemmatizer")?;
        let mut dict = HashMap::with_capacity(lines.len());
        for line in &lines {
            let mut cols = line.splitn(3, '\t');
            if let (Some(f), Some(u), Some(l)) = (cols.next(), cols.next(), cols.next()) {
                dict.insert((f.to_string(), u.to_string()), l.to_string());
            }
        }
        Ok(Lemmatizer {
            dict,
            model,
            lexicon,
        })
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
