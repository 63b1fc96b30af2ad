//! Sentences and tokens.
//!
//! Design choice: rule-based, data-driven tokenisation (abbreviation and
//! word lists under `data/text/`) that follows the UD conventions of
//! UD_Spanish-GSD and UD_English-EWT, so that the taggers and parsers trained
//! on UD see the tokens they were trained on. Each story segment is
//! tokenised with its own language's conventions.

pub mod tokenize;

use dateline_core::{Doc, Layer, Span, Stage, Token};
use std::collections::HashSet;
use tokenize::{sentences, tokenize, word_set, Abbrevs, Lang, SentenceRules, Tok, COMMON_ES};

const STARTERS_ES: &[&str] = &["El", "La", "Los", "Las", "Al", "Un", "Una"];
const STARTERS_EN: &[&str] = &["The"];
const CLOSERS_ES: &[&str] = &[
    "de", "del", "en", "el", "la", "los", "las", "y", "a", "al", "con", "por", "para", "que", "un",
    "una", "su", "sus",
];
const CLOSERS_EN: &[&str] = &[
    "the", "a", "an", "of", "and", "or", "to", "in", "on", "for", "with", "by", "at",
];

/// The sentence + token stage.
pub struct Sentences {
    abbrevs: Abbrevs,
    common_es: HashSet<String>,
}

impl Sentences {
    pub fn new() -> Sentences {
        Sentences {
            abbrevs: Abbrevs::builtin(),
            common_es: word_set(COMMON_ES),
        }
    }

    /// Tokens and sentence starts (token indices) of `text` in `lang`.
    pub fn split(&self, text: &str, lang: Lang) -> (Vec<Tok>, Vec<usize>) {
        // news run about one token per 5-6 bytes: room for most texts at once
        let mut toks = Vec::with_capacity(text.len() / 5 + 16);
        tokenize(text, lang, &self.abbrevs, &mut toks);
        let rules = match lang {
            Lang::Es => SentenceRules {
                starters: STARTERS_ES,
                common: Some(&self.common_es),
                closers: CLOSERS_ES,
            },
            Lang::En => SentenceRules {
                starters: STARTERS_EN,
                common: None,
                closers: CLOSERS_EN,
            },
        };
        let starts = sentences(text, &toks, &self.abbrevs, &rules);
        if lang == Lang::En {
            return final_periods(text, toks, starts);
        }
        (toks, starts)
    }
}

/// English (EWT): an abbreviation that ends a sentence gives its period to
/// the sentence ("... books, etc." = etc + .; "in the U.S." = U.S + .), as
/// in the Penn Treebank. Returns the new tokens and sentence starts.
fn final_periods(text: &str, toks: Vec<Tok>, starts: Vec<usize>) -> (Vec<Tok>, Vec<usize>) {
    let mut last = vec![false; toks.len()];
    for &s in starts.iter().skip(1) {
        if let Some(l) = s.checked_sub(1).and_then(|i| last.get_mut(i)) {
            *l = true;
        }
    }
    if let Some(l) = last.last_mut() {
        *l = true;
    }
    let mut out = Vec::with_capacity(toks.len() + 8);
    // new index of every old token
    let mut index = Vec::with_capacity(toks.len());
    for (t, &end) in toks.iter().zip(&last) {
        index.push(out.len());
        let w = &text[t.start..t.end];
        if end
            && w.len() > 1
            && w.ends_with('.')
            && !w.ends_with("..")
            && w.chars().any(char::is_alphanumeric)
        {
            out.push(Tok {
                start: t.start,
                end: t.end - 1,
            });
            out.push(Tok {
                start: t.end - 1,
                end: t.end,
            });
        } else {
            out.push(*t);
        }
    }
    let starts = starts
        .iter()
        .filter_map(|&s| index.get(s).copied())
        .collect();
    (out, starts)
}

impl Default for Sentences {
    fn default() -> Self {
        Sentences::new()
    }
}

impl Stage for Sentences {
    fn name(&self) -> &'static str {
        "sentences"
    }
    fn requires(&self) -> &'static [Layer] {
        &[Layer::Text, Layer::Segments, Layer::Language]
    }
    fn provides(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens]
    }

    fn process(&self, doc: &mut Doc) {
        let doc_lang = doc.lang.clone().unwrap_or_default();
        let mut pieces: Vec<(usize, usize, Lang)> = doc
            .segments
            .iter()
            .map(|s| {
                let lang = s.lang.as_deref().unwrap_or(&doc_lang);
                (s.span.start(), s.span.end(), Lang::from_code(lang))
            })
            .collect();
        if pieces.is_empty() {
            pieces.push((0, doc.text.len(), Lang::from_code(&doc_lang)));
        }
        let text = &doc.text;
        let mut sents = Vec::new();
        let mut tokens = Vec::with_capacity(text.len() / 5 + 16);
        for (start, end, lang) in pieces {
            let Some(piece) = text.get(start..end) else {
                continue;
            };
            let (toks, starts) = self.split(piece, lang);
            for (k, &first) in starts.iter().enumerate() {
                let last = starts.get(k + 1).copied().unwrap_or(toks.len());
                let (Some(a), Some(b)) = (
                    toks.get(first),
                    last.checked_sub(1).and_then(|l| toks.get(l)),
                ) else {
                    continue;
                };
                let Ok(span) = Span::new(text, start + a.start, start + b.end) else {
                    continue;
                };
                let sent = sents.len() as u32;
                sents.push(span);
                for t in &toks[first..last] {
                    if let Ok(span) = Span::new(text, start + t.start, start + t.end) {
                        tokens.push(Token { span, sent });
                    }
                }
            }
        }
        doc.sentences = sents;
        doc.tokens = tokens;
    }
}
