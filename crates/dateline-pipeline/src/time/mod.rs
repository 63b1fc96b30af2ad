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
use dateline_core::{Diagnostic, Doc, Layer, Span, Stage, Timex};
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
        // English: "set to resume Monday", "planned to leave on Thursday",
        // "is to be paid in January": an infinitive after a verb of
        // intention points forward
        if lang == Lang::En
            && k > 1
            && toks[k - 1].low == "to"
            && is_infinitive(&t.low)
            && FORWARD_GOVERNORS.contains(&toks[k - 2].low.as_str())
        {
            return Some(Tense::Future);
        }
        // "will be paid", "to be held": the auxiliary before the participle decides
        if lang == Lang::En && k > 0 && toks[k - 1].low == "be" {
            return None;
        }
        // "los planes anunciados en enero": a participle right before the
        // preposition of the expression reports something done
        if lang == Lang::Es
            && k + 2 == start
            && matches!(toks[k + 1].low.as_str(), "en" | "el" | "a" | "desde")
            && lx.tense(lang, &t.low).is_none()
            && t.low.chars().count() > 5
            && ["ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas"]
                .iter()
                .any(|e| t.low.ends_with(e))
        {
            return Some(Tense::Past);
        }
        // a conditional in news reports what is expected ("debería
        // completarse en octubre"): it looks ahead
        match lx.tense(lang, &t.low) {
            Some(Tense::Conditional) => Some(Tense::Future),
            t => t,
        }
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

/// Words after which "to" + verb is an intention or a schedule.
const FORWARD_GOVERNORS: &[&str] = &[
    "set",
    "plans",
    "planned",
    "planning",
    "plan",
    "is",
    "are",
    "was",
    "were",
    "expected",
    "expects",
    "scheduled",
    "going",
    "hopes",
    "hoped",
    "hope",
    "wants",
    "wanted",
    "want",
    "agreed",
    "decided",
    "intends",
    "intended",
    "ready",
    "likely",
    "due",
    "prepared",
    "preparing",
    "promised",
    "vowed",
    "threatened",
    "seeks",
    "sought",
    "aims",
    "aimed",
    "trying",
    "tried",
    "asked",
    "allowed",
    "able",
    "unable",
    "needs",
    "need",
    "has",
    "have",
    "be",
];

/// Whether a lower-case word after "to" can be an infinitive (not an
/// article, a pronoun or a participle).
fn is_infinitive(w: &str) -> bool {
    w.len() > 1
        && w.chars().all(|c| c.is_ascii_lowercase())
        && !w.ends_with("ed")
        && !w.ends_with("ing")
        && !matches!(
            w,
            "the"
                | "an"
                | "his"
                | "her"
                | "its"
                | "their"
                | "our"
                | "my"
                | "your"
                | "this"
                | "that"
                | "these"
                | "those"
                | "some"
                | "all"
                | "any"
                | "about"
                | "date"
                | "what"
                | "which"
                | "whom"
                | "more"
                | "less"
                | "as"
                | "one"
                | "two"
                | "three"
                | "four"
                | "five"
                | "six"
                | "ten"
                | "him"
                | "them"
                | "us"
                | "me"
                | "it"
                | "last"
                | "next"
                | "early"
                | "late"
                | "mid"
                | "nearly"
                | "almost"
                | "around"
                | "only"
                | "over"
                | "under"
                | "near"
                | "no"
                | "each"
                | "every"
                | "both"
        )
}

fn needs_tense(s: &Sem) -> bool {
    match s {
        Sem::Weekday { dir: 0, .. }
        | Sem::MonthOnly { dir: 0, .. }
        | Sem::MonthDay { dir: 0, .. } => true,
        Sem::DayOfMonth(_) => true,
        Sem::Quarter { q, y: None } => *q > 0,
        Sem::Time { base: Some(b), .. } | Sem::Pod { base: b, .. } => needs_tense(b),
        Sem::WeekOfMonth { month, .. } => needs_tense(month),
        Sem::TheWeekend => true,
        Sem::Holiday { dir: 0, .. } => true,
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
        let doc_quarterly = toks
            .iter()
            .any(|t| t.low == "quarter" || t.low == "trimestre");
        let ents = self.lx.entries(lang, &toks);
        let g = Grammar {
            lx: &self.lx,
            lang,
            toks: &toks,
            ents: &ents,
            quarterly: doc_quarterly,
        };
        let mut out = Vec::new();
        let mut last: Option<Ymd> = None;
        let mut prev: Option<String> = None;
        let mut i = 0;
        while i < toks.len() {
            let Some(m) = g.parse_at(i) else {
                i += 1;
                continue;
            };
            let end = m.end.max(i + 1).min(toks.len());
            let possessive = lang == Lang::En
                && matches!(m.sem, Sem::Weekday { dir: 0, .. })
                && toks
                    .get(end)
                    .is_some_and(|t| t.low == "'" || t.low == "’" || t.low == "'s")
                && toks
                    .get(end + 1)
                    .is_none_or(|t| t.low == "s" || t.kind != TokKind::Word);
            let deadline = lang == Lang::En
                && m.start > 0
                && matches!(toks[m.start - 1].low.as_str(), "by" | "until" | "till")
                && matches!(
                    m.sem,
                    Sem::MonthDay { dir: 0, .. }
                        | Sem::MonthOnly { dir: 0, .. }
                        | Sem::Weekday { dir: 0, .. }
                );
            let tense = if possessive {
                // "Wednesday's ruling": an event already reported
                Some(Tense::Past)
            } else if deadline {
                // "completed by Dec. 15": a deadline lies ahead
                Some(Tense::Future)
            } else if needs_tense(&m.sem) {
                tense_near(&self.lx, lang, &toks, &sent, m.start, end)
            } else {
                None
            };
            let anchor = Anchor {
                dct,
                last,
                prev: prev.clone(),
                tense,
            };
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
                    if ttype == "DATE" && grammar::value_year(&value).is_some() {
                        prev = Some(value.clone());
                    }
                    out.push(Found {
                        start: s.start,
                        end: e.end,
                        ttype,
                        value,
                        mod_: m.mod_.clone(),
                    });
                    // "del día 3 al 5", "el día 1 y el 2": the next days of
                    // the same month
                    let listable = matches!(m.sem, Sem::DayOfMonth(_))
                        || (lang == Lang::En && matches!(m.sem, Sem::MonthDay { .. }));
                    if let (true, Some(d0)) = (listable, day) {
                        let mut k = end;
                        while let Some((a, b, dd)) = g.next_list_day(k) {
                            let Some(x) = Ymd::new(d0.y, d0.m, dd) else {
                                break;
                            };
                            if let (Some(s), Some(e)) = (toks.get(a), toks.get(b - 1)) {
                                out.push(Found {
                                    start: s.start,
                                    end: e.end,
                                    ttype: "DATE".into(),
                                    value: x.fmt_day(),
                                    mod_: None,
                                });
                            }
                            last = Some(x);
                            k = b;
                        }
                        i = k.max(end);
                        continue;
                    }
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

    /// The date a story gives itself at the head of one of its first lines
    /// ("Bogotá, 12 de septiembre de 2001 (EFE).-", "WASHINGTON, Sept. 12,
    /// 2001 --", "Publicado el 12/09/2001"): a full date (year, month and
    /// day) within the first 100 bytes of a line, after at most eight
    /// words and no sentence end. Read only when the document has no date
    /// of its own (header or metadata), as `date` is "from the dateline,
    /// metadata or text".
    pub fn dateline_date(&self, text: &str, lang: Lang) -> Option<(String, usize, usize)> {
        let mut pos = 0;
        for line in text.split_inclusive('\n').take(6) {
            let start = pos;
            pos += line.len();
            if line.trim().is_empty() {
                continue;
            }
            let mut cut = line.len().min(160);
            while !line.is_char_boundary(cut) {
                cut -= 1;
            }
            let head = &line[..cut];
            for f in self.tagger.tag(head, lang, None) {
                if f.start > 100 {
                    break;
                }
                let before = &head[..f.start];
                let full = f.value.len() == 10 && Ymd::parse(&f.value).is_some();
                let words = before.split_whitespace().count();
                let sentence_end = before.contains(". ") || before.contains(['!', '?', ':']);
                if full && f.ttype == "DATE" && words <= 8 && !sentence_end {
                    return Some((f.value, start + f.start, start + f.end));
                }
            }
            if pos > 600 {
                break;
            }
        }
        None
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
        let doc_lang = doc.lang.as_deref().and_then(Lang::from_code);
        if doc.date.is_none() {
            if let Some((date, s, e)) = doc_lang.and_then(|l| self.dateline_date(&doc.text, l)) {
                let shown = doc.text.get(s..e).unwrap_or("").to_string();
                doc.diag(Diagnostic::info(
                    "time",
                    format!("no date given: {date} read from the text's dateline ({shown:?})"),
                ));
                doc.date = Some(date);
            }
        }
        let dct = doc.date.as_deref().and_then(Ymd::parse);
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
    fn a_story_without_a_date_takes_its_datelines() {
        let t = Time::new().unwrap_or_else(|e| panic!("{e}"));
        let d = |text: &str, lang: Lang| t.dateline_date(text, lang).map(|x| x.0);
        assert_eq!(
            d(
                "Bogotá, 12 de septiembre de 2001 (EFE).- La policía detuvo a 30.",
                Lang::Es
            )
            .as_deref(),
            Some("2001-09-12")
        );
        assert_eq!(
            d(
                "Protestas en Colombia\n\nLIMA, 12 sep 2001 (AFP) - Miles marcharon.",
                Lang::Es
            )
            .as_deref(),
            Some("2001-09-12")
        );
        assert_eq!(
            d(
                "WASHINGTON, Sept. 12, 2001 -- Police arrested 30 protesters.",
                Lang::En
            )
            .as_deref(),
            Some("2001-09-12")
        );
        // a date told in the story is no dateline, nor one without its year
        assert_eq!(
            d(
                "La policía detuvo ayer a 30 manifestantes. El 12 de septiembre de 2001 hubo otra.",
                Lang::Es
            ),
            None
        );
        assert_eq!(
            d("CARACAS, 3 sep (EFE).- La policía detuvo a 30.", Lang::Es),
            None
        );
        // the stage reads it only when the document has no date
        let run = |date: Option<&str>| {
            let mut doc = Doc::from_raw(dateline_core::RawDoc {
                date: date.map(str::to_string),
                body: "Bogotá, 12 de septiembre de 2001 (EFE).- La policía detuvo ayer a 30."
                    .into(),
                ..dateline_core::RawDoc::default()
            });
            doc.text = doc.raw.clone();
            doc.lang = Some("es".into());
            t.process(&mut doc);
            doc
        };
        let doc = run(None);
        assert_eq!(doc.date.as_deref(), Some("2001-09-12"));
        assert!(doc.timexes.iter().any(|x| x.value == "2001-09-11"));
        assert_eq!(run(Some("2001-09-20")).date.as_deref(), Some("2001-09-20"));
    }

    #[test]
    fn spanish_typed_without_accents() {
        let f = tag(
            Lang::Es,
            "2001-09-12",
            "Hace dos anos hubo una huelga. El miercoles pasado hubo otra y pasado manana \
             habra una marcha.",
        );
        assert_eq!(value_of(&f, "Hace dos anos"), "1999");
        assert_eq!(value_of(&f, "El miercoles pasado"), "2001-09-05");
        assert_eq!(value_of(&f, "pasado manana"), "2001-09-14");
    }

    #[test]
    fn day_lists_share_their_month() {
        let f = tag(
            Lang::Es,
            "2023-06-14",
            "La feria abrió el 2, el 3 y el 4 de junio. Habrá talleres los días 5, 6 y 7 de \
             julio de 2024, y ensayos del 10 al 12 de julio. Los turnos son del día 20 al 22.",
        );
        assert_eq!(value_of(&f, "el 2"), "2023-06-02");
        assert_eq!(value_of(&f, "el 3"), "2023-06-03");
        assert_eq!(value_of(&f, "el 4 de junio"), "2023-06-04");
        assert_eq!(value_of(&f, "los días 5"), "2024-07-05");
        assert_eq!(value_of(&f, "6"), "2024-07-06");
        assert_eq!(value_of(&f, "del 10"), "2023-07-10");
        assert_eq!(value_of(&f, "del día 20"), "2023-06-20");
        assert_eq!(value_of(&f, "22"), "2023-06-22");
    }

    #[test]
    fn years_in_words_eras_and_centuries() {
        let f = tag(
            Lang::Es,
            "2023-06-14",
            "La ciudad se fundó en el año mil novecientos doce, sobre ruinas del siglo II \
             a.C. y de el 350 antes de Cristo; el siglo primero dejó monedas.",
        );
        assert_eq!(value_of(&f, "el año mil novecientos doce"), "1912");
        assert_eq!(value_of(&f, "del siglo II a.C."), "BCE01");
        assert_eq!(value_of(&f, "el 350 antes de Cristo"), "BCE0350");
        assert_eq!(value_of(&f, "el siglo primero"), "00");
        let f = tag(
            Lang::En,
            "1999-05-04",
            "Prices last peaked in nineteen eighty-seven and may recover by the year two thousand.",
        );
        assert_eq!(value_of(&f, "nineteen eighty-seven"), "1987");
        assert_eq!(value_of(&f, "the year two thousand"), "2000");
    }

    #[test]
    fn months_and_quarters_in_a_relative_year() {
        let f = tag(
            Lang::Es,
            "2015-05-20",
            "Las ventas del primer trimestre del año pasado cayeron, y en marzo del año que \
             viene se revisarán; abril, mayo y junio de 2013 fueron peores.",
        );
        assert_eq!(
            value_of(&f, "del primer trimestre del año pasado"),
            "2014-Q1"
        );
        assert_eq!(value_of(&f, "marzo del año que viene"), "2016-03");
        assert_eq!(value_of(&f, "abril"), "2013-04");
        assert_eq!(value_of(&f, "mayo"), "2013-05");
        let f = tag(
            Lang::En,
            "2015-05-20",
            "Output fell in July last year and this September it will rise.",
        );
        assert_eq!(value_of(&f, "July last year"), "2014-07");
        assert_eq!(value_of(&f, "this September"), "2015-09");
    }

    #[test]
    fn month_names_lean_on_the_verb_then_the_past() {
        // a past verb: March is this year's, not the next one
        let f = tag(
            Lang::En,
            "2012-11-07",
            "The mill closed in March. A new owner takes over by January.",
        );
        assert_eq!(value_of(&f, "March"), "2012-03");
        assert_eq!(value_of(&f, "January"), "2013-01");
        // no verb: up to nine months back
        let f = tag(Lang::Es, "2012-11-07", "Informe de abril.");
        assert_eq!(value_of(&f, "abril"), "2012-04");
        // "el próximo 8 de noviembre" is tomorrow, not next year
        let f = tag(Lang::Es, "2012-11-07", "Votarán el próximo 8 de noviembre.");
        assert_eq!(value_of(&f, "el próximo 8 de noviembre"), "2012-11-08");
        // a capitalised month inside a sentence is a name
        let f = tag(Lang::Es, "2012-11-07", "Vino con Julio a la cena.");
        assert!(f.iter().all(|x| x.0 != "Julio"), "{f:?}");
    }

    #[test]
    fn english_weekdays_look_ahead_after_an_intention() {
        // 2010-06-09 is a Wednesday
        let f = tag(
            Lang::En,
            "2010-06-09",
            "The board said it planned to vote on Friday. Talks are set to resume Monday. \
             Critics attacked Tuesday's decision.",
        );
        assert_eq!(value_of(&f, "Friday"), "2010-06-11");
        assert_eq!(value_of(&f, "Monday"), "2010-06-14");
        assert_eq!(value_of(&f, "Tuesday"), "2010-06-08");
    }

    #[test]
    fn spanish_durations_with_fractions_ranges_and_sets() {
        let f = tag(
            Lang::Es,
            "2020-02-03",
            "La prueba duró tres horas y cuarto; la otra, unos tres cuartos de hora. Tardará \
             de dos a tres semanas. Ensayan dos días a la semana. Pasaron diez días y un año.",
        );
        assert_eq!(value_of(&f, "tres horas y cuarto"), "PT3.25H");
        assert_eq!(value_of(&f, "unos tres cuartos de hora"), "PT0.75H");
        assert_eq!(value_of(&f, "dos"), "P2W");
        assert_eq!(value_of(&f, "tres semanas"), "P3W");
        assert_eq!(value_of(&f, "dos días a la semana"), "P1W");
        assert_eq!(value_of(&f, "diez días y un año"), "P1Y10D");
    }

    #[test]
    fn spanish_clock_words() {
        let f = tag(
            Lang::Es,
            "2020-02-03",
            "Abren a las diecisiete de la tarde. Llegó a las 12 del mediodía y a las \
             dieciocho personas les gustó. Cierran cada viernes a las 9.",
        );
        assert_eq!(
            value_of(&f, "las diecisiete de la tarde"),
            "2020-02-03T17:00"
        );
        assert_eq!(value_of(&f, "las 12 del mediodía"), "2020-02-03T12:00");
        assert!(f.iter().all(|x| !x.0.contains("dieciocho")), "{f:?}");
        assert_eq!(value_of(&f, "cada viernes a las 9"), "XXXX-WXX-5T09:00");
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
    fn anaphora_count_from_the_last_value_mentioned() {
        let f = tag(
            Lang::Es,
            "2010-03-03",
            "Las ventas subieron un 43 % en febrero comparadas con el mismo período del año \
             anterior. El beneficio de 2008 fue menor que el del año anterior. El índice \
             cerró la jornada en 8.017 puntos, por cuarta semana consecutiva. Fue la peor \
             caída desde 1987: perdió en un mismo día más que en los 70 y 80. Subió hace \
             unas horas. Los planes anunciados en enero se cumplirán en la última semana \
             de marzo.",
        );
        assert_eq!(value_of(&f, "el mismo período del año anterior"), "2009-02");
        assert_eq!(value_of(&f, "del año anterior"), "2007");
        assert_eq!(value_of(&f, "la jornada"), "2010-03-03");
        assert_eq!(value_of(&f, "cuarta semana consecutiva"), "2010-W09");
        assert_eq!(value_of(&f, "1987"), "1987");
        assert_eq!(value_of(&f, "un mismo día"), "P1D");
        assert_eq!(value_of(&f, "70"), "197");
        assert_eq!(value_of(&f, "80"), "198");
        assert_eq!(value_of(&f, "hace unas horas"), "2010-03-03");
        assert_eq!(value_of(&f, "enero"), "2010-01");
        // the last week with most of its days in March (22-28)
        assert_eq!(value_of(&f, "la última semana de marzo"), "2010-W12");
        // "en el momento del cierre" is the time of the closing, not now
        let g = tag(
            Lang::Es,
            "2010-03-03",
            "Cayó 280 puntos en el momento del cierre.",
        );
        assert!(g.iter().all(|x| x.2 != "PRESENT_REF"), "{g:?}");
    }

    #[test]
    fn english_holidays_weekends_zones_and_signals() {
        let f = tag(
            Lang::En,
            "2000-04-03",
            "The boy was found on Thanksgiving Day. Over the weekend, lawyers met. The \
             offer will expire at 5 p.m. EST Nov. 9. A month after the vote, three days later, \
             the case was heard in May. Earnings fell over the past year. Sales rose in the \
             first quarter from a year-earlier loss. Sunday is Easter.",
        );
        assert_eq!(value_of(&f, "Thanksgiving Day"), "1999-11-25");
        // a past verb on a Monday: the weekend just gone (ISO week 13)
        assert_eq!(value_of(&f, "the weekend"), "2000-W13-WE");
        assert_eq!(value_of(&f, "5 p.m. EST Nov. 9"), "2000-11-09T17:00");
        assert_eq!(value_of(&f, "A month"), "P1M");
        assert_eq!(value_of(&f, "three days"), "P3D");
        assert_eq!(value_of(&f, "May"), "2000-05");
        assert_eq!(value_of(&f, "the past year"), "1999");
        assert_eq!(value_of(&f, "year-earlier"), "1999-Q1");
        assert_eq!(value_of(&f, "Easter"), "2000-04-23");
        let g = tag(
            Lang::En,
            "2000-04-17",
            "Protesters prayed as Easter week began.",
        );
        assert_eq!(value_of(&g, "Easter week"), "2000-W16");
        let h = tag(Lang::Es, "2001-12-10", "La campaña durará hasta Navidad.");
        assert_eq!(value_of(&h, "Navidad"), "2001-12-25");
    }

    #[test]
    fn english_parts_of_days() {
        // 1998-02-13 is a Friday
        let f = tag(
            Lang::En,
            "1998-02-13",
            "Talks broke off at noon Thursday. By mid-afternoon yesterday shares were up,              and a guard was shot Wednesday evening. Sales recovered from the early summer.              For the party, high noon comes today.",
        );
        assert_eq!(value_of(&f, "noon Thursday"), "1998-02-12T12:00");
        assert_eq!(value_of(&f, "mid-afternoon yesterday"), "1998-02-12TAF");
        assert_eq!(value_of(&f, "Wednesday evening"), "1998-02-11TEV");
        assert_eq!(value_of(&f, "the early summer"), "1998-SU");
        assert!(f
            .iter()
            .all(|x| !x.0.contains("noon comes") && x.0 != "noon"));
        assert_eq!(value_of(&f, "today"), "1998-02-13");
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
        // local zones keep their clock time (TimeML gold convention); UTC is "Z"
        assert_eq!(value_of(&f, "3 p.m. EDT"), "1999-11-10T15:00");
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
