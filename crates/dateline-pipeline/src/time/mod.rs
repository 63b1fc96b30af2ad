//! Time expressions: a TIMEX3 tagger and normaliser for Spanish and English.
//!
//! Design choice: rules, not a model. The gold sets are small (a few
//! thousand timexes) and the hard part is normalisation, which is
//! arithmetic on the document date that a model does not learn from so
//! little data. The `duckling` crate (a Rust port of Duckling) was measured
//! first and left aside (see ARCHITECTURE.md: relaxed F1 30-70, value F1
//! 17-30, no TIMEX3 types or mods). Word lists live in reviewed TSV files
//! (`data/time/`); the grammar is code ([`grammar`]), so each pattern is
//! typed and tested. Weekday and month names without a year are anchored on
//! the tense of the nearest verb ([`tense_near`]): a verb-ending heuristic
//! today, the tagger's Tense/Mood features once they exist.

pub mod calendar;
pub mod grammar;
pub mod lex;

use crate::Result;
use calendar::Ymd;
use dateline_core::{Doc, Layer, Span, Stage, Timex};
use grammar::{resolve, Anchor, Grammar, Sem};
use lex::{tokenize, Tok, TokKind};
pub use lex::{Lang, Lexicon, Tense};

/// A time expression found in a text: byte range, TIMEX3 type, value, mod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub ttype: String,
    pub value: String,
    pub mod_: Option<String>,
}

/// The tagger: lexicons loaded once, shared across threads.
pub struct TimeTagger {
    lx: Lexicon,
}

/// Sentence number of each token (a new sentence after . ? ! or a line break).
fn sentence_ids(text: &str, toks: &[Tok]) -> Vec<usize> {
    let mut ids = Vec::with_capacity(toks.len());
    let mut s = 0;
    for (i, t) in toks.iter().enumerate() {
        if i > 0 {
            let prev = &toks[i - 1];
            let gap = text.get(prev.end..t.start).unwrap_or("");
            if gap.contains('\n') || matches!(prev.low.as_str(), "." | "?" | "!" | ";") {
                s += 1;
            }
        }
        ids.push(s);
    }
    ids
}

/// The tense of the verb nearest to tokens `[start, end)` in the same
/// sentence (left first on ties). This is the one place to switch to the
/// tagger's morphology (Tense/Mood features) when it lands.
pub fn tense_near(
    lx: &Lexicon,
    lang: Lang,
    toks: &[Tok],
    sent: &[usize],
    start: usize,
    end: usize,
) -> Option<Tense> {
    let sid = *sent.get(start)?;
    let cue = |k: usize| -> Option<Tense> {
        let t = toks.get(k)?;
        if t.kind != TokKind::Word
            || t.cap && k > 0 && !matches!(toks[k - 1].low.as_str(), "." | "\"" | "“")
        {
            // capitalised words inside a sentence are names, not verbs
            if t.cap {
                return None;
            }
        }
        let tense = lx.tense(lang, &t.low)?;
        Some(tense)
    };
    let mut dist = 1;
    loop {
        let left = start
            .checked_sub(dist)
            .filter(|&k| sent.get(k) == Some(&sid));
        let right = Some(end + dist - 1).filter(|&k| k < toks.len() && sent.get(k) == Some(&sid));
        if left.is_none() && right.is_none() {
            return None;
        }
        if let Some(t) = left.and_then(cue) {
            if t != Tense::Conditional {
                return Some(t);
            }
        }
        if let Some(t) = right.and_then(cue) {
            if t != Tense::Conditional {
                return Some(t);
            }
        }
        dist += 1;
        if dist > 40 {
            return None;
        }
    }
}

fn needs_tense(s: &Sem) -> bool {
    match s {
        Sem::Weekday { dir: 0, .. }
        | Sem::MonthOnly { dir: 0, .. }
        | Sem::MonthDay { dir: 0, .. } => true,
        Sem::DayOfMonth(_) => true,
        Sem::Time { base: Some(b), .. } | Sem::Pod { base: b, .. } => needs_tense(b),
        _ => false,
    }
}

impl TimeTagger {
    pub fn new() -> Result<TimeTagger> {
        Ok(TimeTagger {
            lx: Lexicon::load()?,
        })
    }

    /// The lexicons (shared with the quantity tagger).
    pub fn lexicon(&self) -> &Lexicon {
        &self.lx
    }

    /// Finds and normalises the time expressions of `text`, anchored on
    /// `dct` (the document date).
    pub fn tag(&self, text: &str, lang: Lang, dct: Option<Ymd>) -> Vec<Found> {
        let toks = tokenize(text);
        let sent = sentence_ids(text, &toks);
        let g = Grammar {
            lx: &self.lx,
            lang,
            toks: &toks,
        };
        let mut out = Vec::new();
        let mut last: Option<Ymd> = None;
        let doc_quarterly = toks
            .iter()
            .any(|t| t.low == "quarter" || t.low == "trimestre");
        let mut i = 0;
        while i < toks.len() {
            let Some(m) = g.parse_at(i) else {
                i += 1;
                continue;
            };
            let end = m.end.max(i + 1).min(toks.len());
            let tense = if needs_tense(&m.sem) {
                tense_near(&self.lx, lang, &toks, &sent, m.start, end)
            } else {
                None
            };
            let anchor = Anchor { dct, last, tense };
            if let Some((ttype, mut value, day)) = resolve(&m.sem, &anchor) {
                // "a year ago/earlier" in a sentence about quarterly results
                // compares with the same quarter a year before (TimeBank)
                if let (
                    Some(d),
                    Sem::Ago {
                        n: Some(n),
                        unit: grammar::Unit::Year,
                        sign: -1,
                        ..
                    },
                ) = (dct, &m.sem)
                {
                    let sid = sent.get(m.start).copied();
                    let in_sentence = |f: &dyn Fn(&str) -> bool| {
                        toks.iter()
                            .zip(&sent)
                            .any(|(t, s)| Some(*s) == sid && f(&t.low))
                    };
                    let quarter_word = |w: &str| w == "quarter" || w == "trimestre";
                    let money = |w: &str| matches!(w, "$" | "cents" | "share" | "%" | "€");
                    let quarterly =
                        in_sentence(&quarter_word) || (doc_quarterly && in_sentence(&money));
                    if quarterly && *n == 1.0 {
                        let cur_q = (d.m - 1) / 3 + 1;
                        let (y, q) = if cur_q == 1 {
                            (d.y - 2, 4)
                        } else {
                            (d.y - 1, cur_q - 1)
                        };
                        value = format!("{y:04}-Q{q}");
                    }
                }
                if let (Some(s), Some(e)) = (toks.get(m.start), toks.get(end - 1)) {
                    if matches!(
                        m.sem,
                        Sem::Day(_)
                            | Sem::MonthDay { .. }
                            | Sem::Weekday { .. }
                            | Sem::DayOfMonth(_)
                    ) {
                        last = day.or(last);
                    }
                    out.push(Found {
                        start: s.start,
                        end: e.end,
                        ttype,
                        value,
                        mod_: m.mod_.clone(),
                    });
                }
            }
            i = end;
        }
        out
    }
}

/// The time stage: tags every story segment (or the whole text) in its
/// language, anchored on the document date.
pub struct Time {
    tagger: TimeTagger,
}

impl Time {
    pub fn new() -> Result<Time> {
        Ok(Time {
            tagger: TimeTagger::new()?,
        })
    }
}

impl Stage for Time {
    fn name(&self) -> &'static str {
        "time"
    }
    fn requires(&self) -> &'static [Layer] {
        &[Layer::Text, Layer::Language]
    }
    fn provides(&self) -> &'static [Layer] {
        &[Layer::Timexes]
    }
    fn process(&self, doc: &mut Doc) {
        let dct = doc.date.as_deref().and_then(Ymd::parse);
        let doc_lang = doc.lang.as_deref().and_then(Lang::from_code);
        // one pass per segment in its language; the text before the first segment with the document's
        let mut pieces: Vec<(usize, usize, Option<Lang>)> = Vec::new();
        let mut pos = 0;
        for seg in &doc.segments {
            if seg.span.start() > pos {
                pieces.push((pos, seg.span.start(), doc_lang));
            }
            let l = seg.lang.as_deref().and_then(Lang::from_code).or(doc_lang);
            pieces.push((seg.span.start(), seg.span.end(), l));
            pos = seg.span.end();
        }
        if pos < doc.text.len() {
            pieces.push((pos, doc.text.len(), doc_lang));
        }
        let mut timexes = Vec::new();
        for (s, e, l) in pieces {
            let Some(lang) = l else { continue };
            let Some(piece) = doc.text.get(s..e) else {
                continue;
            };
            for f in self.tagger.tag(piece, lang, dct) {
                if let Ok(span) = Span::new(&doc.text, s + f.start, s + f.end) {
                    timexes.push(Timex {
                        span,
                        ttype: f.ttype,
                        value: f.value,
                        mod_: f.mod_,
                    });
                }
            }
        }
        doc.timexes = timexes;
    }
}
