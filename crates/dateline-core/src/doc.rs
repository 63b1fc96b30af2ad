//! The document: one `Doc` flows through every stage, each adding a layer.
//!
//! Text is stored once (`text`, the cleaned text); every layer points into it
//! with byte [`Span`]s. `raw` keeps the decoded input body and `alignment`
//! maps cleaned bytes back to it, so any span can be traced to the input.

use crate::span::Span;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Where a document came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// File path (for stdin: `-`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// URL (canonical URL of a page, link of a feed item, WARC target URI).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Input format: `dateline`, `text`, `jsonl`, `html`, `rss`, `atom`, `warc`.
    pub format: String,
    /// Fields of the input that the contract has no place for (JSONL extras,
    /// feed item ids, WARC record ids ...).
    #[serde(skip_serializing_if = "Map::is_empty", default)]
    pub meta: Map<String, Value>,
}

/// Severity of a diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// A problem met while processing a document. Processing a document never
/// fails: what goes wrong becomes a diagnostic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub level: Level,
    pub stage: String,
    pub message: String,
}

impl Diagnostic {
    pub fn new(level: Level, stage: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level,
            stage: stage.to_string(),
            message: message.into(),
        }
    }
    pub fn info(stage: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Level::Info, stage, message)
    }
    pub fn warning(stage: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Level::Warning, stage, message)
    }
    pub fn error(stage: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Level::Error, stage, message)
    }
}

/// What a reader hands to the pipeline: decoded text and metadata, before
/// any cleaning.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawDoc {
    pub source: Source,
    pub title: Option<String>,
    /// Publication date as found (ISO 8601 date or date-time).
    pub date: Option<String>,
    /// Language declared by the input (HTML `lang`, JSONL `lang`), if any.
    pub lang: Option<String>,
    /// The body, paragraphs separated by blank lines.
    pub body: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// A piece of text removed by cleaning (paywall notice, caption ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Removed {
    /// `paywall`, `caption`, `share`, `newsletter`, `related`, `ad`, `byline`, `boilerplate`.
    pub kind: String,
    pub text: String,
    /// Which rule removed it.
    pub reason: String,
    /// Byte range in `Doc::raw`.
    #[serde(skip)]
    pub raw_span: (usize, usize),
}

/// One story of a document. A second story glued onto the first gets its own
/// segment, titled by its headline.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub kind: String,
    pub title: String,
    pub span: Span,
    /// Where the headline stands in `text`, when it is part of it.
    pub title_span: Option<Span>,
    /// Language of the segment (ISO 639-1), set by the language stage.
    pub lang: Option<String>,
}

/// A run of cleaned text copied from the raw body: `len` bytes at `clean`
/// in `Doc::text` come from `raw` in `Doc::raw`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlignPiece {
    pub clean: usize,
    pub raw: usize,
    pub len: usize,
}

/// A surface token (UD tokenisation: punctuation split off, contractions
/// whole) and the sentence it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    /// Index into `Doc::sentences`.
    pub sent: u32,
}

/// A syntactic word (UD): a token, or one part of a multiword token
/// ("del" = de + el, both with the span of "del").
///
/// Design choice: `upos`, `lemma`, `feats` and `deprel` are shared strings
/// (`Arc<str>`). Their values come from small closed sets (17 UPOS tags,
/// about 40 relations, the feature tagger's values) or from per-form
/// memories (lemmas), so the stages hand every word a clone of one cached
/// string (a reference count increment) instead of a string of its own (an
/// allocation, a copy and a free per word and field). They read, compare
/// and print like `Box<str>` did (`&*w.upos`, `w.lemma.as_ref()`,
/// `"x".into()`).
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// Index into `Doc::tokens`.
    pub token: u32,
    /// The word form when it differs from the token's text (multiword parts).
    pub form: Option<Box<str>>,
    /// Universal part-of-speech tag.
    pub upos: Arc<str>,
    pub lemma: Arc<str>,
    /// Morphological features, the UD FEATS string with the universal
    /// features only ("Mood=Ind|Number=Sing|Person=3|Tense=Fut|VerbForm=Fin"),
    /// empty when the word has none.
    pub feats: Arc<str>,
    /// Head: 1-based index of the head word within the sentence, 0 = root
    /// (0 for every word until a parser runs).
    pub head: u32,
    pub deprel: Arc<str>,
}

/// A knowledge-base reference.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KbRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// A mention of an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub span: Span,
}

/// A role an entity holds (e.g. president of RUS), as read in the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// One real-world actor with all its mentions in the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub id: String,
    pub name: String,
    pub etype: String,
    pub kb: Option<KbRef>,
    pub mentions: Vec<Mention>,
    pub roles: Vec<Role>,
}

/// A time expression with its TIMEX3 value.
#[derive(Debug, Clone, PartialEq)]
pub struct Timex {
    pub span: Span,
    /// DATE, TIME, DURATION or SET.
    pub ttype: String,
    pub value: String,
    pub mod_: Option<String>,
}

/// A number with its unit and vagueness.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub span: Span,
    pub value: Option<f64>,
    pub approx: bool,
    pub unit: Option<String>,
}

/// An actor or recipient of an event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    /// Id of the entity in `entities`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// CAMEO actor code (RUSGOV, PRKMIL ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Further members of a compound actor on the same side ("líderes
    /// europeos y Zelenski", "X together with Y").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<Participant>,
}

/// Who a claim is attributed to.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    pub entity: Option<String>,
    pub span: Span,
}

/// A coded political event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// PLOVER event type.
    pub etype: String,
    pub mode: Option<String>,
    pub cameo: Option<String>,
    pub quad: Option<u8>,
    /// Goldstein conflict-cooperation score of the CAMEO code (-10..+10).
    pub goldstein: Option<f32>,
    pub actor: Participant,
    pub recipient: Participant,
    pub date: Option<String>,
    /// Where the date comes from: `text` (a time expression of the event)
    /// or `document` (none found: the publication date stands in).
    pub date_source: Option<String>,
    pub location: Option<String>,
    /// asserted | future | hypothetical | negated | historical
    pub modality: String,
    pub attribution: Vec<Attribution>,
    pub sentence: Span,
    pub span: Span,
    pub trigger: Span,
    pub confidence: f32,
}

/// The document and all its layers.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// Stable content hash (hex), from date, title and raw body.
    pub id: String,
    pub source: Source,
    /// Publication date, ISO 8601.
    pub date: Option<String>,
    /// ISO 639-1 code, `und` when unknown.
    pub lang: Option<String>,
    pub title: String,
    /// Decoded input body, before cleaning.
    pub raw: String,
    /// Cleaned text: the headline, a blank line, then the cleaned body.
    pub text: String,
    pub alignment: Vec<AlignPiece>,
    pub removed: Vec<Removed>,
    pub segments: Vec<Segment>,
    pub sentences: Vec<Span>,
    /// Surface tokens, in text order (not part of the JSON contract yet).
    pub tokens: Vec<Token>,
    /// Syntactic words with tags, lemmas and heads (not in the JSON contract yet).
    pub words: Vec<Word>,
    pub entities: Vec<Entity>,
    pub timexes: Vec<Timex>,
    pub quantities: Vec<Quantity>,
    pub events: Vec<Event>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Doc {
    /// The text of word `i` (its own form for multiword parts).
    pub fn word_form(&self, i: usize) -> &str {
        let Some(w) = self.words.get(i) else {
            return "";
        };
        match &w.form {
            Some(f) => f,
            None => self
                .tokens
                .get(w.token as usize)
                .map(|t| t.span.slice(&self.text))
                .unwrap_or(""),
        }
    }

    /// The byte span of word `i`: its token's, narrowed to the word's own
    /// characters when the token's words spell it out in order ("Reagan's"
    /// = "Reagan" + "'s"), so that a name ends before a possessive. A
    /// contraction whose parts are not its letters ("del" = "de" + "el")
    /// keeps the whole token for each part.
    pub fn word_span(&self, i: usize) -> Option<(usize, usize)> {
        let w = self.words.get(i)?;
        let t = self.tokens.get(w.token as usize)?;
        let (start, end) = (t.span.start(), t.span.end());
        if w.form.is_none() {
            return Some((start, end));
        }
        let first = self.words[..i]
            .iter()
            .rposition(|p| p.token != w.token)
            .map_or(0, |p| p + 1);
        let last = self.words[i..]
            .iter()
            .position(|n| n.token != w.token)
            .map_or(self.words.len(), |n| i + n);
        let token = self.text.get(start..end)?;
        let spelt: usize = (first..last).map(|k| self.word_form(k).len()).sum();
        let mut at = start;
        for k in first..last {
            let form = self.word_form(k);
            if spelt != token.len() || !self.text.get(at..)?.starts_with(form) {
                return Some((start, end));
            }
            if k == i {
                return Some((at, at + form.len()));
            }
            at += form.len();
        }
        Some((start, end))
    }

    /// Starts a document from what a reader produced. Until the cleaning
    /// stage runs, `text` is empty.
    pub fn from_raw(raw: RawDoc) -> Doc {
        let title = raw.title.unwrap_or_default();
        let id = content_id(raw.date.as_deref(), &title, &raw.body);
        Doc {
            id,
            source: raw.source,
            date: raw.date,
            lang: raw.lang,
            title,
            raw: raw.body,
            diagnostics: raw.diagnostics,
            ..Doc::default()
        }
    }

    /// Adds a diagnostic.
    pub fn diag(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Maps a byte offset of `text` to the raw body, when that byte was
    /// copied from it (inserted separators map to `None`).
    pub fn raw_offset(&self, clean: usize) -> Option<usize> {
        let i = self.alignment.partition_point(|p| p.clean + p.len <= clean);
        let p = self.alignment.get(i)?;
        if clean >= p.clean && clean < p.clean + p.len {
            Some(p.raw + (clean - p.clean))
        } else {
            None
        }
    }
}

/// The stable id of a document: the first 16 bytes of SHA-256 over its
/// date, title and body, in hex.
pub fn content_id(date: Option<&str>, title: &str, body: &str) -> String {
    let mut h = Sha256::new();
    h.update(date.unwrap_or("").as_bytes());
    h.update([0u8]);
    h.update(title.as_bytes());
    h.update([0u8]);
    h.update(body.as_bytes());
    let digest = h.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}
