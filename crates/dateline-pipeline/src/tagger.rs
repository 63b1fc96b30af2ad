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
//! Model file: gzip of `DLTG` + version + the MWT table + a perceptron model.

use crate::error::Result;
use crate::lexicon::Lexicon;
use crate::ml::artifact;
use crate::ml::perceptron::{feature, feature2, Model, Trainer};
use crate::ml::word::{prefix, suffix};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

const MAGIC: &[u8; 4] = b"DLTG";
const VERSION: u32 = 1;

/// A sentence for training: word forms and their UPOS tags.
pub struct TrainSentence {
    pub words: Vec<String>,
    pub tags: Vec<String>,
}

/// A trained tagger with its multiword-token table.
pub struct Tagger {
    model: Model,
    /// Lower-cased token → lower-cased words.
    mwt: HashMap<String, Vec<String>>,
    /// Brown clusters and lookup lemmas (the model must be used with the
    /// lexicon it was trained with).
    lexicon: Option<Arc<Lexicon>>,
}

fn prefix_bits(bits: &str, n: usize) -> &str {
    bits.get(..n.min(bits.len())).unwrap_or(bits)
}

/// Lexicon features of word `i`.
fn lexicon_features(lex: &Lexicon, words: &[&str], i: usize, out: &mut Vec<u64>) {
    let at = |k: isize| -> Option<&str> {
        let j = i as isize + k;
        if j < 0 {
            None
        } else {
            words.get(j as usize).copied()
        }
    };
    if let Some(e) = at(0).and_then(|w| lex.get(w)) {
        let c = e.cluster;
        out.push(feature(30, prefix_bits(c, 4)));
        out.push(feature(31, prefix_bits(c, 6)));
        out.push(feature(32, prefix_bits(c, 10)));
        out.push(feature(33, c));
        if !e.lemma.is_empty() {
            out.push(feature(34, suffix(e.lemma, 2)));
            out.push(feature(
                35,
                if e.lemma.eq_ignore_ascii_case(at(0).unwrap_or("")) {
                    "same"
                } else {
                    "diff"
                },
            ));
        }
    } else {
        out.push(feature(36, "oov"));
    }
    for (t, k) in [(37u8, -1isize), (38, 1)] {
        let c = at(k)
            .and_then(|w| lex.get(w))
            .map(|e| prefix_bits(e.cluster, 6))
            .unwrap_or("-");
        out.push(feature(t, c));
    }
}

/// The tagger's word shape (12 characters, as its models were trained).
fn shape12(w: &str) -> String {
    crate::ml::word::shape(w, 12)
}

/// Features of word `i` given the two previous tags.
fn features(lower: &[String], words: &[&str], i: usize, p1: &str, p2: &str, out: &mut Vec<u64>) {
    out.clear();
    let w = lower[i].as_str();
    let get = |k: isize| -> &str {
        let j = i as isize + k;
        if j < 0 {
            "<s>"
        } else {
            lower.get(j as usize).map(|s| s.as_str()).unwrap_or("</s>")
        }
    };
    out.push(feature(0, ""));
    out.push(feature(1, w));
    out.push(feature(2, suffix(w, 1)));
    out.push(feature(3, suffix(w, 2)));
    out.push(feature(4, suffix(w, 3)));
    out.push(feature(5, suffix(w, 4)));
    out.push(feature(6, prefix(w, 1)));
    out.push(feature(7, prefix(w, 3)));
    out.push(feature(8, &shape12(words[i])));
    out.push(feature(9, get(-1)));
    out.push(feature(10, get(1)));
    out.push(feature(11, get(-2)));
    out.push(feature(12, get(2)));
    out.push(feature(13, suffix(get(-1), 3)));
    out.push(feature(14, suffix(get(1), 3)));
    out.push(feature(15, p1));
    out.push(feature2(16, p1, p2));
    out.push(feature2(17, p1, w));
    out.push(feature(18, if i == 0 { "first" } else { "" }));
    out.push(feature2(19, w, get(1)));
    out.push(feature2(20, get(-1), w));
    out.push(feature2(21, p1, get(1)));
    out.push(feature(22, suffix(w, 5)));
    out.push(feature(
        23,
        &shape12(words.get(i + 1).copied().unwrap_or("</s>")),
    ));
    out.push(feature(
        24,
        &shape12(if i > 0 { words[i - 1] } else { "<s>" }),
    ));
}

impl Tagger {
    /// Tags `words` (syntactic words, already expanded).
    pub fn tag(&self, words: &[&str]) -> Vec<&str> {
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let mut feats = Vec::with_capacity(24);
        let mut buf = Vec::new();
        let mut tags: Vec<&str> = Vec::with_capacity(words.len());
        for i in 0..words.len() {
            let p1 = if i >= 1 { tags[i - 1] } else { "<s>" };
            let p2 = if i >= 2 { tags[i - 2] } else { "<s>" };
            features(&lower, words, i, p1, p2, &mut feats);
            if let Some(lx) = &self.lexicon {
                lexicon_features(lx, words, i, &mut feats);
            }
            let c = self.model.predict(&feats, &mut buf);
            tags.push(self.model.classes.get(c).map(|s| s.as_str()).unwrap_or("X"));
        }
        tags
    }

    /// The syntactic words of a surface token: itself, or its expansion
    /// when it is a known multiword token (case of the first letter kept).
    pub fn expand(&self, token: &str) -> Vec<String> {
        match self.mwt.get(&token.to_lowercase()) {
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

    /// Trains a tagger. `mwt` maps token forms to the word forms seen in the
    /// treebank (all occurrences; the most frequent expansion is kept).
    /// Deterministic: the same data and epochs give the same model.
    pub fn train(
        sents: &[TrainSentence],
        mwt: &[(String, Vec<String>)],
        epochs: usize,
        lexicon: Option<Arc<Lexicon>>,
    ) -> Tagger {
        let mut classes: Vec<String> = sents.iter().flat_map(|s| s.tags.iter().cloned()).collect();
        classes.sort();
        classes.dedup();
        let class_id: HashMap<&str, usize> = classes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        let mut trainer = Trainer::new(classes.clone());
        let mut order: Vec<usize> = (0..sents.len()).collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut feats = Vec::new();
        let mut buf = Vec::new();
        for _ in 0..epochs {
            crate::ml::shuffle(&mut order, &mut seed);
            for &k in &order {
                let s = &sents[k];
                let words: Vec<&str> = s.words.iter().map(|w| w.as_str()).collect();
                let lower: Vec<String> = s.words.iter().map(|w| w.to_lowercase()).collect();
                let mut prev: Vec<&str> = Vec::with_capacity(words.len());
                for i in 0..words.len() {
                    let p1 = if i >= 1 { prev[i - 1] } else { "<s>" };
                    let p2 = if i >= 2 { prev[i - 2] } else { "<s>" };
                    features(&lower, &words, i, p1, p2, &mut feats);
                    if let Some(lx) = &lexicon {
                        lexicon_features(lx, &words, i, &mut feats);
                    }
                    let guess = trainer.predict(&feats, &mut buf);
                    let truth = class_id.get(s.tags[i].as_str()).copied().unwrap_or(0);
                    trainer.update(&feats, truth, guess);
                    // train on the guessed history, as at prediction time
                    prev.push(classes[guess].as_str());
                }
            }
        }
        let mut counts: BTreeMap<String, BTreeMap<Vec<String>, usize>> = BTreeMap::new();
        for (tok, parts) in mwt {
            *counts
                .entry(tok.to_lowercase())
                .or_default()
                .entry(parts.iter().map(|p| p.to_lowercase()).collect())
                .or_insert(0) += 1;
        }
        let mwt = counts
            .into_iter()
            .filter_map(|(tok, exps)| {
                let best = exps
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
                Some((tok, best.0))
            })
            .collect();
        Tagger {
            model: trainer.average(),
            mwt,
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
        Ok(Tagger {
            model,
            mwt,
            lexicon,
        })
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
        let t = Tagger::train(&data, &mwt, 5, None);
        assert_eq!(t.tag(&["la", "perro", "come"]), ["DET", "NOUN", "VERB"]);
        assert_eq!(t.expand("Del"), ["De", "el"]);
        assert_eq!(t.expand("casa"), ["casa"]);
        let bytes = t.to_bytes().unwrap_or_default();
        let again = Tagger::train(&data, &mwt, 5, None)
            .to_bytes()
            .unwrap_or_default();
        assert_eq!(bytes, again, "training is deterministic");
        let back = Tagger::from_bytes(&bytes, None);
        assert!(back.is_ok());
        assert!(Tagger::from_bytes(&bytes[..10], None).is_err());
    }
}
