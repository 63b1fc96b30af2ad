//! Quantities: cardinals in digits and words ("15.000", "1,5 millones",
//! "dos mil", "a dozen"), approximations ("cerca de", "unos", "más de",
//! "at least"), vague amounts ("miles de", "hundreds of"), ranges ("entre 10
//! y 20"), and the counted noun as unit (normalised through
//! `data/time/units.tsv`: "soldados" → soldiers, "dólares" → USD).
//!
//! Design choice: the same tokenizer, number reader and modifier list as the
//! time tagger (one set of lexicons), and numbers inside time expressions are
//! left to the time stage (the stage runs after it).

use crate::time::lex::{number_at, tokenize, Lang, Lexicon, Tok, TokKind};
use crate::{Error, Result};
use dateline_core::{Doc, Layer, Quantity, Span, Stage};
use std::collections::HashMap;

const UNITS: &str = include_str!("../../data/time/units.tsv");

/// A quantity found in a text (byte offsets).
#[derive(Debug, Clone, PartialEq)]
pub struct FoundQuantity {
    pub start: usize,
    pub end: usize,
    pub value: Option<f64>,
    pub approx: bool,
    pub unit: Option<String>,
}

/// The quantity tagger.
pub struct QuantityTagger {
    lx: Lexicon,
    units: [HashMap<String, String>; 2],
}

const STOP_ES: &[&str] = &[
    "de", "del", "la", "el", "los", "las", "y", "e", "o", "u", "en", "a", "al", "que", "por",
    "con", "para", "se", "su", "sus", "sin", "sobre", "entre", "hasta", "desde", "más", "menos",
    "como", "lo", "le", "les", "un", "una", "unos", "unas", "es", "son", "fue", "ha", "han", "no",
    "ya",
];
const STOP_EN: &[&str] = &[
    "of", "the", "a", "an", "and", "or", "in", "on", "at", "to", "for", "by", "with", "from", "as",
    "is", "are", "was", "were", "be", "has", "have", "had", "that", "which", "than", "more",
    "less", "per", "it", "its", "their", "his", "her", "not", "no",
];

/// Vague amounts: "miles de", "hundreds of".
fn vague(lang: Lang, w: &str) -> Option<f64> {
    Some(match (lang, w) {
        (Lang::Es, "decenas") => 10.0,
        (Lang::Es, "docenas") => 12.0,
        (Lang::Es, "cientos") | (Lang::Es, "centenares") => 100.0,
        (Lang::Es, "miles") | (Lang::Es, "millares") => 1000.0,
        (Lang::Es, "millones") => 1e6,
        (Lang::En, "tens") => 10.0,
        (Lang::En, "dozens") => 12.0,
        (Lang::En, "hundreds") => 100.0,
        (Lang::En, "thousands") => 1000.0,
        (Lang::En, "millions") => 1e6,
        (Lang::En, "billions") => 1e9,
        _ => return None,
    })
}

impl QuantityTagger {
    pub fn new() -> Result<QuantityTagger> {
        let mut units: [HashMap<String, String>; 2] = Default::default();
        for (i, line) in UNITS.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 3 {
                return Err(Error::Rules {
                    file: "data/time/units.tsv",
                    line: i + 1,
                    message: "expected 3 tab-separated columns".into(),
                });
            }
            let ls: &[usize] = match f[0] {
                "es" => &[0],
                "en" => &[1],
                "*" => &[0, 1],
                other => {
                    return Err(Error::Rules {
                        file: "data/time/units.tsv",
                        line: i + 1,
                        message: format!("unknown language {other:?}"),
                    })
                }
            };
            for &l in ls {
                units[l].insert(f[1].to_string(), f[2].to_string());
            }
        }
        Ok(QuantityTagger {
            lx: Lexicon::load()?,
            units,
        })
    }

    fn unit_of(&self, lang: Lang, t: &Tok) -> Option<String> {
        let li = if lang == Lang::Es { 0 } else { 1 };
        if let Some(u) = self.units[li].get(&t.low) {
            return Some(u.clone());
        }
        if t.kind != TokKind::Word || t.cap || t.low.chars().count() < 3 {
            return None;
        }
        let stop = if lang == Lang::Es { STOP_ES } else { STOP_EN };
        if stop.contains(&t.low.as_str())
            || self.lx.tense(lang, &t.low).is_some()
            || self.lx.is(lang, &t.low, "num")
            || self.lx.is(lang, &t.low, "mult")
        {
            return None;
        }
        Some(t.low.clone())
    }

    /// Finds the quantities of `text`; byte ranges in `skip` (time
    /// expressions) are left alone.
    pub fn tag(&self, text: &str, lang: Lang, skip: &[(usize, usize)]) -> Vec<FoundQuantity> {
        let toks = tokenize(text);
        let inside = |t: &Tok| skip.iter().any(|(s, e)| t.start < *e && *s < t.end);
        let li = if lang == Lang::Es { 0 } else { 1 };
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            if inside(&toks[i]) {
                i += 1;
                continue;
            }
            let start = i;
            let mut k = i;
            let mut approx = false;
            if let Some((_, n)) = self.lx.modifier(lang, &toks, k) {
                approx = true;
                k += n;
            }
            let mut range = false;
            if toks
                .get(k)
                .is_some_and(|t| t.low == "entre" || t.low == "between")
            {
                range = true;
                k += 1;
            }
            // currency sign before the number: "$5 million"
            let mut unit: Option<String> = None;
            if let Some(t) = toks.get(k) {
                if t.kind == TokKind::Punct || t.low == "us$" {
                    if let Some(u) = self.units[li].get(&t.low) {
                        if toks
                            .get(k + 1)
                            .is_some_and(|n| matches!(n.kind, TokKind::Digits | TokKind::Number))
                        {
                            unit = Some(u.clone());
                            k += 1;
                        }
                    }
                }
            }
            let Some(t) = toks.get(k) else { break };
            let (value, mut e) = if let Some(v) = vague(lang, &t.low) {
                let of = if lang == Lang::Es { "de" } else { "of" };
                if toks.get(k + 1).is_some_and(|n| n.low == of) {
                    approx = true;
                    (v, k + 2)
                } else {
                    i += 1;
                    continue;
                }
            } else if (t.low == "a" || t.low == "una")
                && toks
                    .get(k + 1)
                    .is_some_and(|n| n.low == "dozen" || n.low == "docena")
            {
                let de = toks
                    .get(k + 2)
                    .is_some_and(|n| n.low == "de" || n.low == "of");
                (12.0, k + 2 + usize::from(de))
            } else {
                // digits glued to letters ("G20") are names, not quantities
                let glued = matches!(t.kind, TokKind::Digits | TokKind::Number)
                    && !t.space_before
                    && k > 0
                    && toks.get(k - 1).is_some_and(|p| p.kind == TokKind::Word);
                if glued {
                    i += 1;
                    continue;
                }
                match number_at(&self.lx, lang, &toks, k) {
                    Some((v, n)) => {
                        // a lone "un"/"one" is an article, not a count
                        if n == 1 && v == 1.0 && t.kind == TokKind::Word {
                            i += 1;
                            continue;
                        }
                        if (0..n).any(|d| toks.get(k + d).is_some_and(&inside)) {
                            i = k + n;
                            continue;
                        }
                        (v, k + n)
                    }
                    None => {
                        i += 1;
                        continue;
                    }
                }
            };
            // range: "entre 10 y 20", "de 10 a 20", "10-20"
            if let Some(j) = toks.get(e) {
                let joins = if range { ["y", "and"] } else { ["a", "to"] };
                let dash = j.low == "-" || j.low == "–";
                if joins.contains(&j.low.as_str()) || dash {
                    if let Some((_, n)) = number_at(&self.lx, lang, &toks, e + 1) {
                        if range || dash || start > 0 {
                            e += 1 + n;
                            approx = true;
                        }
                    }
                }
            }
            // "millones de dólares", "mil de"
            if toks.get(e).is_some_and(|t| t.low == "de" || t.low == "of")
                && toks.get(e - 1).is_some_and(|p| {
                    self.lx.is(lang, &p.low, "mult") || vague(lang, &p.low).is_some()
                })
                && toks
                    .get(e + 1)
                    .is_some_and(|n| self.unit_of(lang, n).is_some())
            {
                e += 1;
            }
            if unit.is_none() {
                if let Some(nt) = toks.get(e) {
                    if !inside(nt) {
                        // "por ciento", "per cent"
                        if (nt.low == "por" || nt.low == "per")
                            && toks
                                .get(e + 1)
                                .is_some_and(|c| c.low == "ciento" || c.low == "cent")
                        {
                            unit = Some("percent".into());
                            e += 2;
                        } else if let Some(u) = self.unit_of(lang, nt) {
                            unit = Some(u);
                            e += 1;
                        }
                    }
                }
            }
            if let (Some(s), Some(l)) = (toks.get(start), toks.get(e.saturating_sub(1))) {
                if e > start {
                    out.push(FoundQuantity {
                        start: s.start,
                        end: l.end,
                        value: Some(value),
                        approx,
                        unit,
                    });
                }
            }
            i = e.max(i + 1);
        }
        out
    }
}

/// The quantity stage.
pub struct Quantities {
    tagger: QuantityTagger,
}

impl Quantities {
    pub fn new() -> Result<Quantities> {
        Ok(Quantities {
            tagger: QuantityTagger::new()?,
        })
    }
}

impl Stage for Quantities {
    fn name(&self) -> &'static str {
        "quantities"
    }
    fn requires(&self) -> &'static [Layer] {
        &[Layer::Text, Layer::Language, Layer::Timexes]
    }
    fn provides(&self) -> &'static [Layer] {
        &[Layer::Quantities]
    }
    fn process(&self, doc: &mut Doc) {
        let Some(lang) = doc.lang.as_deref().and_then(Lang::from_code) else {
            return;
        };
        let skip: Vec<(usize, usize)> = doc
            .timexes
            .iter()
            .map(|t| (t.span.start(), t.span.end()))
            .collect();
        let mut qs = Vec::new();
        for f in self.tagger.tag(&doc.text, lang, &skip) {
            if let Ok(span) = Span::new(&doc.text, f.start, f.end) {
                qs.push(Quantity {
                    span,
                    value: f.value,
                    approx: f.approx,
                    unit: f.unit,
                });
            }
        }
        doc.quantities = qs;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(lang: Lang, text: &str) -> Vec<(String, Option<f64>, bool, Option<String>)> {
        let t = QuantityTagger::new().unwrap_or_else(|e| panic!("{e}"));
        t.tag(text, lang, &[])
            .into_iter()
            .map(|f| (text[f.start..f.end].to_string(), f.value, f.approx, f.unit))
            .collect()
    }

    #[test]
    fn spanish_quantities() {
        let r = q(
            Lang::Es,
            "El país envió cerca de 15.000 soldados y miles de trabajadores.",
        );
        assert_eq!(
            r[0],
            (
                "cerca de 15.000 soldados".into(),
                Some(15000.0),
                true,
                Some("soldiers".into())
            )
        );
        assert_eq!(
            r[1],
            (
                "miles de trabajadores".into(),
                Some(1000.0),
                true,
                Some("workers".into())
            )
        );
        let r = q(
            Lang::Es,
            "Hubo dos mil muertos y 1,5 millones de dólares en daños.",
        );
        assert_eq!(
            r[0],
            (
                "dos mil muertos".into(),
                Some(2000.0),
                false,
                Some("dead".into())
            )
        );
        assert_eq!(
            r[1],
            (
                "1,5 millones de dólares".into(),
                Some(1_500_000.0),
                false,
                Some("USD".into())
            )
        );
        let r = q(
            Lang::Es,
            "Murieron entre 10 y 20 personas, al menos 300 heridos.",
        );
        assert_eq!(
            r[0],
            (
                "entre 10 y 20 personas".into(),
                Some(10.0),
                true,
                Some("people".into())
            )
        );
        assert_eq!(
            r[1],
            (
                "al menos 300 heridos".into(),
                Some(300.0),
                true,
                Some("injured".into())
            )
        );
    }

    #[test]
    fn english_quantities() {
        let r = q(
            Lang::En,
            "About 2,000 troops and a dozen tanks; hundreds of people fled. The G20 met.",
        );
        assert_eq!(
            r[0],
            (
                "About 2,000 troops".into(),
                Some(2000.0),
                true,
                Some("troops".into())
            )
        );
        assert_eq!(
            r[1],
            (
                "a dozen tanks".into(),
                Some(12.0),
                false,
                Some("tanks".into())
            )
        );
        assert_eq!(
            r[2],
            (
                "hundreds of people".into(),
                Some(100.0),
                true,
                Some("people".into())
            )
        );
        assert_eq!(r.len(), 3);
        let r = q(Lang::En, "at least 40 people and $5 million");
        assert_eq!(
            r[0],
            (
                "at least 40 people".into(),
                Some(40.0),
                true,
                Some("people".into())
            )
        );
        assert_eq!(
            r[1],
            (
                "$5 million".into(),
                Some(5_000_000.0),
                false,
                Some("USD".into())
            )
        );
    }
}
