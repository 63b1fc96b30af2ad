//! A word lexicon: Brown clusters and lookup lemmas per word form.
//!
//! Design choice: unlabelled-text knowledge comes in as Brown clusters
//! (the `lexeme_cluster` tables of spacy-lookups-data, MIT) and the Spanish
//! lemma lookup table of the same package; both generalise the perceptron
//! taggers beyond the few thousand sentences of gold data we have. The file
//! is `models/lexicon-<lang>.tsv.gz` (form, cluster bit string, lemma),
//! built by `scripts/make_lexicon.py`.

use crate::error::{Error, Result};
use rustc_hash::FxHashMap;
use std::io::Read;
use std::sync::{Arc, OnceLock};

const LEXICON_ES: &[u8] = include_bytes!("../../../models/lexicon-es.tsv.gz");
const LEXICON_EN: &[u8] = include_bytes!("../../../models/lexicon-en.tsv.gz");

/// What the lexicon knows of one form.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Entry {
    /// Brown cluster path as a bit string ("0110…"), empty when unknown.
    pub cluster: &'static str,
    /// Lookup lemma, empty when unknown.
    pub lemma: &'static str,
}

/// Form → entry.
///
/// The decompressed text is kept for the life of the process (lexicons are
/// loaded once, when a pipeline is built) and the map points into it, so
/// loading allocates nothing per entry: 580,000 Spanish forms load in tens
/// of milliseconds.
#[derive(Debug, Default)]
pub struct Lexicon {
    map: FxHashMap<&'static str, Entry>,
    /// Verb lemma (ending in -r: Spanish infinitives) → how many forms
    /// have it as their lookup lemma (a form whose lemma is itself counts
    /// too), built on first use: 20 to 60 forms for a verb, one or two for
    /// a noun ("par", "pares").
    verb_forms: OnceLock<FxHashMap<&'static str, u32>>,
}

impl Lexicon {
    /// The shipped lexicon of `lang` ("en", anything else reads as "es"),
    /// loaded once per process and shared by every stage that uses it (the
    /// tagger and the NER), since it is the largest model to decompress.
    pub fn builtin(lang: &str) -> Result<Arc<Lexicon>> {
        static ES: OnceLock<std::result::Result<Arc<Lexicon>, String>> = OnceLock::new();
        static EN: OnceLock<std::result::Result<Arc<Lexicon>, String>> = OnceLock::new();
        let (cell, bytes) = if lang == "en" {
            (&EN, LEXICON_EN)
        } else {
            (&ES, LEXICON_ES)
        };
        cell.get_or_init(|| {
            Lexicon::from_gz(bytes)
                .map(Arc::new)
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(Error::Model)
    }

    /// Reads a gzipped TSV lexicon.
    pub fn from_gz(bytes: &[u8]) -> Result<Lexicon> {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes)
            .take(256 << 20)
            .read_to_string(&mut text)
            .map_err(|e| Error::Model(format!("lexicon: {e}")))?;
        Ok(Lexicon::from_tsv(text))
    }

    /// Parses the TSV text (lines starting with `#` are comments).
    pub fn from_tsv(text: String) -> Lexicon {
        let text: &'static str = Box::leak(text.into_boxed_str());
        let mut map = FxHashMap::default();
        map.reserve(text.len() / 24);
        for line in text.lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(form), Some(cluster)) = (cols.next(), cols.next()) else {
                continue;
            };
            let lemma = cols.next().unwrap_or("");
            map.insert(form, Entry { cluster, lemma });
        }
        Lexicon {
            map,
            verb_forms: OnceLock::new(),
        }
    }

    /// How many forms of the lexicon have `lemma`, a word ending in -r (a
    /// Spanish infinitive's shape), as their lookup lemma (itself included,
    /// when it is listed): a verb has dozens, a noun one or two; 0 for a
    /// lemma not ending in -r. Only such lemmas are counted, which halves
    /// the cost of the first call (one pass over the lexicon).
    pub fn verb_forms(&self, lemma: &str) -> u32 {
        let counts = self.verb_forms.get_or_init(|| {
            let mut counts: FxHashMap<&'static str, u32> = FxHashMap::default();
            for (form, e) in &self.map {
                let lemma = if e.lemma.is_empty() { form } else { e.lemma };
                if lemma.ends_with('r') {
                    *counts.entry(lemma).or_default() += 1;
                }
            }
            counts
        });
        counts.get(lemma).copied().unwrap_or(0)
    }

    /// The entry of `form`, trying it as written and then lower-cased.
    pub fn get(&self, form: &str) -> Option<&Entry> {
        self.map.get(form).or_else(|| {
            let low = form.to_lowercase();
            self.map.get(low.as_str())
        })
    }

    /// The entry of `form` exactly as written (no lower-case fall-back).
    pub fn get_exact(&self, form: &str) -> Option<&Entry> {
        self.map.get(form)
    }

    /// The Brown cluster of `form`: that of the form as written when it
    /// has one, else that of the lower-cased form.
    pub fn cluster(&self, form: &str) -> Option<&'static str> {
        let has = |e: &&Entry| !e.cluster.is_empty();
        match self.map.get(form).filter(has) {
            Some(e) => Some(e.cluster),
            None => self
                .map
                .get(form.to_lowercase().as_str())
                .filter(has)
                .map(|e| e.cluster),
        }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_falls_back_to_lower_case() {
        let lx = Lexicon::from_tsv("# header\ncasas\t0110\tcasa\nRusia\t111\t\nroto\n".to_string());
        assert_eq!(lx.len(), 2);
        assert_eq!(lx.get("Casas").map(|e| e.lemma), Some("casa"));
        assert_eq!(lx.get("Rusia").map(|e| e.cluster), Some("111"));
        assert!(lx.get("perro").is_none());
        assert!(Lexicon::from_gz(b"not gzip").is_err());
        let lx = Lexicon::from_tsv("mover\t1\t\nmueve\t1\tmover\npar\t0\t\n".to_string());
        assert_eq!(lx.verb_forms("mover"), 2);
        assert_eq!(lx.verb_forms("par"), 1);
        assert_eq!(lx.verb_forms("comer"), 0);
    }
}
