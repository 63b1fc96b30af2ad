//! The parsing stage: a labelled dependency tree (UD relations) over the
//! words of every sentence, with the shipped parser of the document's
//! language (`parser.rs`).
//!
//! Design choice: the models are embedded in the binary (`include_bytes!`)
//! like the tagger's, but loaded lazily, once per language per process, the
//! first time a document in that language arrives (a Spanish archive never
//! pays for the English model; a load takes about 30 ms (es) or 100 ms (en)
//! of CPU; `Stage::prepare` does it, so `--profile` reports it as loading,
//! not as the stage's time). The stage reads the words
//! and UPOS tags the `tags` stage wrote and fills `Word::head` (1-based
//! within the sentence, 0 = root) and `Word::deprel`; every sentence gets a
//! single-rooted tree. Languages without a parser keep head 0 and `dep`,
//! with a diagnostic.

use crate::parser::Parser;
use dateline_core::{Diagnostic, Doc, Layer, Stage};
use std::sync::OnceLock;

const PARSER_ES: &[u8] = include_bytes!("../../../models/parser-es.bin.gz");
const PARSER_EN: &[u8] = include_bytes!("../../../models/parser-en.bin.gz");

/// A lazily loaded model (the error message when it fails to load).
type Slot = OnceLock<std::result::Result<Parser, String>>;

/// Sentences longer than this are left unparsed (with a diagnostic).
pub const MAX_SENTENCE_WORDS: usize = 1000;

/// The parsing stage.
#[derive(Default)]
pub struct Parse {
    es: Slot,
    en: Slot,
}

impl Parse {
    pub fn new() -> Parse {
        Parse::default()
    }

    /// The parser of `lang`, loading it on first use; `None` when there is
    /// no model for the language, `Some(Err)` when it failed to load.
    pub fn parser(&self, lang: &str) -> Option<std::result::Result<&Parser, &str>> {
        let (slot, bytes) = match lang {
            "es" => (&self.es, PARSER_ES),
            "en" => (&self.en, PARSER_EN),
            _ => return None,
        };
        let loaded = slot.get_or_init(|| Parser::from_bytes(bytes).map_err(|e| e.to_string()));
        Some(loaded.as_ref().map_err(String::as_str))
    }
}

impl Stage for Parse {
    fn name(&self) -> &'static str {
        "parse"
    }
    fn requires(&self) -> &'static [Layer] {
        &[Layer::Tags]
    }
    fn provides(&self) -> &'static [Layer] {
        &[Layer::Parse]
    }

    fn prepare(&self, lang: &str) {
        let _ = self.parser(lang);
    }

    fn process(&self, doc: &mut Doc) {
        if doc.words.is_empty() {
            return;
        }
        let lang = doc.lang.clone().unwrap_or_default();
        let parser = match self.parser(&lang) {
            Some(Ok(p)) => p,
            Some(Err(e)) => {
                doc.diag(Diagnostic::warning(
                    "parse",
                    format!("parser model for {lang:?} failed to load: {e}"),
                ));
                return;
            }
            None => {
                doc.diag(Diagnostic::info(
                    "parse",
                    format!("no parser for language {lang:?}; words are not parsed"),
                ));
                return;
            }
        };
        let sent_of = |doc: &Doc, i: usize| {
            doc.words
                .get(i)
                .and_then(|w| doc.tokens.get(w.token as usize))
                .map(|t| t.sent)
        };
        let mut start = 0;
        let mut skipped = 0usize;
        let n = doc.words.len();
        while start < n {
            let sent = sent_of(doc, start);
            let mut end = start + 1;
            while end < n && sent_of(doc, end) == sent {
                end += 1;
            }
            if end - start > MAX_SENTENCE_WORDS {
                // no real sentence is this long (an unpunctuated dump, a
                // table): parsing it costs much and tells nothing
                skipped += 1;
                start = end;
                continue;
            }
            let forms: Vec<&str> = (start..end).map(|i| doc.word_form(i)).collect();
            let tags: Vec<&str> = doc.words[start..end].iter().map(|w| &*w.upos).collect();
            let tree = parser.parse(&forms, &tags);
            // the tree borrows the parser, not the document: written
            // straight into the words, each relation a clone of the
            // parser's shared copy (no string per word)
            let arcs = tree.heads.iter().zip(&tree.deprels);
            for (w, (&h, &d)) in doc.words[start..end].iter_mut().zip(arcs) {
                w.head = h as u32;
                w.deprel = parser.shared_label(d);
            }
            start = end;
        }
        if skipped > 0 {
            doc.diag(Diagnostic::info(
                "parse",
                format!(
                    "{skipped} sentence(s) longer than {MAX_SENTENCE_WORDS} words left unparsed"
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dateline_core::RawDoc;

    fn parsed(text: &str, lang: &str) -> Doc {
        let tags = match crate::tags::Tags::new() {
            Ok(t) => t,
            Err(e) => panic!("models: {e}"),
        };
        let mut doc = Doc::from_raw(RawDoc {
            body: text.into(),
            ..RawDoc::default()
        });
        doc.text = doc.raw.clone();
        doc.lang = Some(lang.into());
        crate::text::Sentences::new().process(&mut doc);
        tags.process(&mut doc);
        Parse::new().process(&mut doc);
        doc
    }

    /// (form, head form or "ROOT", deprel) of every word.
    fn arcs(doc: &Doc) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        let mut sent_start = 0;
        for i in 0..doc.words.len() {
            let s = doc.tokens[doc.words[i].token as usize].sent;
            if i > 0 && doc.tokens[doc.words[i - 1].token as usize].sent != s {
                sent_start = i;
            }
            let w = &doc.words[i];
            let head = if w.head == 0 {
                "ROOT".to_string()
            } else {
                doc.word_form(sent_start + w.head as usize - 1).to_string()
            };
            out.push((doc.word_form(i).to_string(), head, w.deprel.to_string()));
        }
        out
    }

    #[test]
    fn overlong_sentences_are_left_unparsed_with_a_diagnostic() {
        let text = "palabra ".repeat(MAX_SENTENCE_WORDS + 5);
        let doc = parsed(&text, "es");
        assert!(doc.words.len() > MAX_SENTENCE_WORDS);
        assert!(doc.words.iter().all(|w| w.head == 0));
        assert!(doc
            .diagnostics
            .iter()
            .any(|d| d.stage == "parse" && d.message.contains("left unparsed")));
    }

    #[test]
    fn parses_spanish_and_english_into_trees() {
        let doc = parsed(
            "Corea del Norte ha enviado cerca de 15.000 soldados a Rusia. El presidente lo confirmó.",
            "es",
        );
        let a = arcs(&doc);
        let find = |f: &str| a.iter().find(|x| x.0 == f).cloned();
        assert_eq!(
            find("enviado").map(|x| (x.1, x.2)),
            Some(("ROOT".to_string(), "root".to_string()))
        );
        assert_eq!(
            find("Corea").map(|x| (x.1, x.2)),
            Some(("enviado".to_string(), "nsubj".to_string()))
        );
        assert_eq!(find("soldados").map(|x| x.1), Some("enviado".to_string()));
        // one root per sentence
        assert_eq!(doc.words.iter().filter(|w| w.head == 0).count(), 2);
        let doc = parsed("The president held a phone call with the leader.", "en");
        let a = arcs(&doc);
        let find = |f: &str| a.iter().find(|x| x.0 == f).cloned();
        assert_eq!(
            find("held").map(|x| (x.1, x.2)),
            Some(("ROOT".to_string(), "root".to_string()))
        );
        assert_eq!(
            find("president").map(|x| (x.1, x.2)),
            Some(("held".to_string(), "nsubj".to_string()))
        );
        assert_eq!(
            find("call").map(|x| (x.1, x.2)),
            Some(("held".to_string(), "obj".to_string()))
        );
    }

    #[test]
    fn other_languages_and_empty_documents_are_left_alone() {
        let doc = parsed("Das ist ein kurzer Satz auf Deutsch.", "de");
        assert!(doc.words.iter().all(|w| w.head == 0 && &*w.deprel == "dep"));
        assert!(doc.diagnostics.iter().any(|d| d.stage == "parse"));
        let doc = parsed("", "es");
        assert!(doc.words.is_empty());
    }

    #[test]
    fn embedded_models_load_fast_enough() {
        let p = Parse::new();
        for lang in ["es", "en"] {
            let t = std::time::Instant::now();
            assert!(matches!(p.parser(lang), Some(Ok(_))), "{lang}");
            // generous bound for debug builds on a loaded machine; release
            // loads in tens of milliseconds
            assert!(t.elapsed().as_secs() < 30, "{lang} model load");
        }
    }
}
