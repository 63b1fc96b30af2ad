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
        if t.kind != TokKind::Word {
            return None;
        }
        // capitalised words inside a sentence are names, not verbs
        let initial = k == 0 || sent.get(k - 1) != Some(&sid);
        if t.cap && !initial {
            return None;
        }
        lx.tense(lang, &t.low).filter(|t| *t != Tense::Conditional)
    };
    let boundary = |k: usize| -> bool {
        toks.get(k).is_none_or(|t| {
            sent.get(k) != Some(&sid)
                || matches!(
                    t.low.as_str(),
                    "," | ";"
                        | ":"
                        | "("
                        | ")"
                        | "and"
                        | "but"
                        | "while"
                        | "which"
                        | "who"
                        | "y"
                        | "pero"
                        | "mientras"
                        | "que"
                        | "cuando"
                        | "when"
                )
        })
    };
    // the governing verb is usually before the expression in its clause,
    // then after it in the clause, then the nearest in the sentence
    let mut k = start;
    while k > 0 && !boundary(k - 1) {
        k -= 1;
        if let Some(t) = cue(k) {
            return Some(t);
        }
    }
    let mut k = end;
    while k < toks.len() && !boundary(k) {
        if let Some(t) = cue(k) {
            return Some(t);
        }
        k += 1;
    }
    for dist in 1..=40 {
        let left = start
            .checked_sub(dist)
            .filter(|&k| sent.get(k) == Some(&sid));
        let right = Some(end + dist - 1).filter(|&k| k < toks.len() && sent.get(k) == Some(&sid));
        if left.is_none() && right.is_none() {
            return None;
        }
        if let Some(t) = left.and_then(cue).or_else(|| right.and_then(cue)) {
            return Some(t);
        }
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(lang: Lang, dct: &str, text: &str) -> Vec<(String, String, String, Option<String>)> {
        let t = TimeTagger::new().unwrap_or_else(|e| panic!("{e}"));
        t.tag(text, lang, Ymd::parse(dct))
            .into_iter()
            .map(|f| (text[f.start..f.end].to_string(), f.ttype, f.value, f.mod_))
            .collect()
    }

    fn value_of(found: &[(String, String, String, Option<String>)], text: &str) -> String {
        found
            .iter()
            .find(|f| f.0 == text)
            .map(|f| f.2.clone())
            .unwrap_or_else(|| panic!("{text:?} not found in {found:?}"))
    }

    #[test]
    fn spanish_weekdays_follow_the_verb() {
        // 2024-03-06 is a Wednesday
        let f = tag(
            Lang::Es,
            "2024-03-06",
            "Tras la reunión del lunes, el ministro viajó a Lima. Se reunirá el viernes con el \
             alcalde y el próximo martes con la prensa. Este jueves firma el acuerdo.",
        );
        assert_eq!(value_of(&f, "del lunes"), "2024-03-04");
        assert_eq!(value_of(&f, "el viernes"), "2024-03-08");
        assert_eq!(value_of(&f, "el próximo martes"), "2024-03-12");
        assert_eq!(value_of(&f, "Este jueves"), "2024-03-07");
    }

    #[test]
    fn spanish_relative_days_and_spans() {
        let f = tag(
            Lang::Es,
            "2024-03-06",
            "Ayer llovió, anteayer nevó, mañana sale el sol y pasado mañana vuelve el frío. \
             Hace dos semanas cerró la fábrica, que abrirá dentro de un mes. Crece desde \
             finales del año pasado; la semana pasada subió más de un año de golpe.",
        );
        assert_eq!(value_of(&f, "Ayer"), "2024-03-05");
        assert_eq!(value_of(&f, "anteayer"), "2024-03-04");
        assert_eq!(value_of(&f, "mañana"), "2024-03-07");
        assert_eq!(value_of(&f, "pasado mañana"), "2024-03-08");
        assert_eq!(value_of(&f, "Hace dos semanas"), "2024-W08");
        assert_eq!(value_of(&f, "dentro de un mes"), "2024-04");
        let end = f.iter().find(|x| x.0 == "finales del año pasado");
        assert_eq!(
            end.map(|x| (x.2.as_str(), x.3.as_deref())),
            Some(("2023", Some("END")))
        );
        assert_eq!(value_of(&f, "la semana pasada"), "2024-W09");
        let more = f.iter().find(|x| x.0 == "más de un año");
        assert_eq!(
            more.map(|x| (x.1.as_str(), x.2.as_str(), x.3.as_deref())),
            Some(("DURATION", "P1Y", Some("MORE_THAN")))
        );
    }

    #[test]
    fn clock_times_dates_and_sets() {
        let f = tag(
            Lang::Es,
            "2024-03-06",
            "La cita, a las 15:00 en Madrid, y el 19 de mayo de 2023; los jueves hay mercado \
             y cada dos meses una feria. Durante tres días y medio no hubo luz.",
        );
        assert_eq!(value_of(&f, "las 15:00"), "2024-03-06T15:00");
        assert_eq!(value_of(&f, "el 19 de mayo de 2023"), "2023-05-19");
        assert_eq!(value_of(&f, "los jueves"), "XXXX-WXX-4");
        assert_eq!(value_of(&f, "cada dos meses"), "P2M");
        assert_eq!(value_of(&f, "tres días y medio"), "P3.5D");
    }

    #[test]
    fn english_expressions() {
        // 1999-11-10 is a Wednesday
        let f = tag(
            Lang::En,
            "1999-11-10",
            "The minister met the envoy on Monday and will fly to Paris on Friday. Talks \
             resume at 3 p.m. EDT next week, two years ago the deal failed, and last year \
             profits fell in the third quarter. Yesterday's vote came after a few days.",
        );
        assert_eq!(value_of(&f, "Monday"), "1999-11-08");
        assert_eq!(value_of(&f, "Friday"), "1999-11-12");
        assert_eq!(value_of(&f, "3 p.m. EDT"), "1999-11-10T15:00-04");
        assert_eq!(value_of(&f, "next week"), "1999-W46");
        assert_eq!(value_of(&f, "two years ago"), "1997");
        assert_eq!(value_of(&f, "last year"), "1998");
        assert_eq!(value_of(&f, "the third quarter"), "1999-Q3");
        assert_eq!(value_of(&f, "Yesterday"), "1999-11-09");
        assert_eq!(value_of(&f, "a few days"), "PXD");
    }

    #[test]
    fn no_document_date_and_odd_input() {
        let t = TimeTagger::new().unwrap_or_else(|e| panic!("{e}"));
        let f = t.tag(
            "Ayer llegó; el viernes se fue y en 2019 volvió.",
            Lang::Es,
            None,
        );
        assert_eq!(f.len(), 3);
        assert_eq!(f[2].value, "2019");
        for s in [
            "",
            "¡¿",
            "12:99 las 25 horas 31/02/2020",
            "a las",
            "hace",
            "el día",
        ] {
            let _ = t.tag(s, Lang::Es, Ymd::parse("2020-01-01"));
            let _ = t.tag(s, Lang::En, Ymd::parse("2020-01-01"));
        }
    }
}
