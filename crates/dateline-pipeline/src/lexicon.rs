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

    /// The accented spelling of a word written without its accents ("pidio"
    /// → "pidió", "senal" → "señal"; "protesto" and "este" stay: words of
    /// their own): one acute accent, one "ñ", or both; for a word the
    /// lexicon does not know, a variant with a Brown cluster (a frequent
    /// word) first; for one it knows (only when `known_too`: in text
    /// written without any accent, as "solo" and "sólo" share a cluster
    /// too), only a variant with the very same cluster. The case of the first letter, or of the whole word, is
    /// kept. `None` when the word has a non-ASCII letter or no variant
    /// qualifies. Text typed without accents (wires, headlines, social
    /// media) otherwise reaches the taggers as unknown or wrong words.
    pub fn restore_accents(&self, form: &str, known_too: bool) -> Option<String> {
        if form.len() < 3 || !form.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        let low = form.to_ascii_lowercase();
        // a known form is a misspelling when web text uses it exactly as
        // its accented variant (the same Brown cluster: "pidio" and
        // "pidió", "reunion" and "reunión"); "este" and "esté", "de" and
        // "dé" are words of their own
        let same_as = match self.map.get(form).or_else(|| self.map.get(low.as_str())) {
            None => None,
            Some(e) if e.cluster.is_empty() || !known_too => return None,
            Some(e) => Some(e.cluster),
        };
        let chars: Vec<char> = low.chars().collect();
        let acute = |c: char| match c {
            'a' => Some('á'),
            'e' => Some('é'),
            'i' => Some('í'),
            'o' => Some('ó'),
            'u' => Some('ú'),
            _ => None,
        };
        let mut best: Option<(bool, String)> = None;
        let mut consider = |v: Vec<char>| {
            let v: String = v.into_iter().collect();
            if let Some(e) = self.map.get(v.as_str()) {
                if same_as.is_some_and(|c| c != e.cluster) {
                    return;
                }
                let frequent = !e.cluster.is_empty();
                if best.as_ref().is_none_or(|(f, _)| frequent && !f) {
                    best = Some((frequent, v));
                }
            }
        };
        let tildes: Vec<Option<usize>> = std::iter::once(None)
            .chain((0..chars.len()).filter(|&i| chars[i] == 'n').map(Some))
            .collect();
        for t in tildes {
            let mut base = chars.clone();
            if let Some(i) = t {
                base[i] = 'ñ';
                consider(base.clone());
            }
            for i in 0..base.len() {
                if let Some(a) = acute(base[i]) {
                    let mut v = base.clone();
                    v[i] = a;
                    consider(v);
                }
            }
        }
        let (_, v) = best?;
        let upper_all = form.len() > 1 && form.bytes().all(|b| b.is_ascii_uppercase());
        let upper_first = form.bytes().next().is_some_and(|b| b.is_ascii_uppercase());
        Some(if upper_all {
            v.to_uppercase()
        } else if upper_first {
            let mut c = v.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        } else {
            v
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
    fn restores_the_accents_of_unknown_words() {
        let lx = Lexicon::from_tsv(
            "pidió\t01\tpedir\nseñal\t10\t\ncompañía\t11\t\nprotesto\t0\tprotestar\n\
             protestó\t1\tprotestar\nlímite\t\t\nlimité\t1\tlimitar\n\
             reunion\t110\t\nreunión\t110\t\neste\t01\t\nesté\t10\testar\n"
                .to_string(),
        );
        let r = |w: &str| lx.restore_accents(w, true);
        assert_eq!(r("pidio").as_deref(), Some("pidió"));
        assert_eq!(r("Senal").as_deref(), Some("Señal"));
        assert_eq!(r("COMPANIA").as_deref(), Some("COMPAÑÍA"));
        // a known word stays as it is, and so does one with an accent
        assert_eq!(r("protesto"), None);
        assert_eq!(r("pidió"), None);
        assert_eq!(r("perro"), None);
        // the frequent variant (with a cluster) first
        assert_eq!(r("limite").as_deref(), Some("limité"));
        // a known word with the cluster of its accented variant is a
        // misspelling of it; with another cluster, a word of its own
        assert_eq!(r("reunion").as_deref(), Some("reunión"));
        assert_eq!(r("este"), None);
        assert_eq!(lx.restore_accents("reunion", false), None);
        assert_eq!(lx.restore_accents("pidio", false).as_deref(), Some("pidió"));
    }

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
