//! Lexicons (reviewed TSV files under `data/time/`, embedded at build time),
//! the tokenizer the time and quantity taggers share, and number reading.

use crate::{Error, Result};
use rustc_hash::FxHashMap;

const WORDS: &str = include_str!("../../data/time/words.tsv");
const PHRASES: &str = include_str!("../../data/time/phrases.tsv");
const MODIFIERS: &str = include_str!("../../data/time/modifiers.tsv");
const TENSE: &str = include_str!("../../data/time/tense.tsv");

/// The two languages the rules cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Es,
    En,
}

impl Lang {
    /// `es` → Spanish, `en` → English, anything else → `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "es" => Some(Lang::Es),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
    fn idx(self) -> usize {
        match self {
            Lang::Es => 0,
            Lang::En => 1,
        }
    }
}

/// A token: byte range into the text and its lower-cased form.
#[derive(Debug, Clone)]
pub struct Tok {
    pub start: usize,
    pub end: usize,
    pub low: String,
    pub kind: TokKind,
    /// First character upper case.
    pub cap: bool,
    /// White space (or the text start) right before the token.
    pub space_before: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    Word,
    /// Digits only.
    Digits,
    /// Digits with inner separators (15.000, 1,5, 15:00, 12/10/2005).
    Number,
    Punct,
}

/// Splits text into words, numbers and punctuation. Letter runs keep inner
/// apostrophes and single-letter dotted abbreviations (`p.m.`, `EE.UU.`).
pub fn tokenize(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let pos = |k: usize| chars.get(k).map(|c| c.0).unwrap_or(text.len());
    let mut k = 0;
    let mut space = true;
    while k < n {
        let c = chars[k].1;
        if c.is_whitespace() {
            space = true;
            k += 1;
            continue;
        }
        let s = k;
        let kind;
        if c.is_ascii_digit() {
            let mut e = k + 1;
            let mut sep = false;
            while e < n {
                let ch = chars[e].1;
                if ch.is_ascii_digit() {
                    e += 1;
                } else if matches!(ch, '.' | ',' | ':' | '/' | '-')
                    && chars.get(e + 1).is_some_and(|x| x.1.is_ascii_digit())
                {
                    sep = true;
                    e += 2;
                } else {
                    break;
                }
            }
            k = e;
            kind = if sep {
                TokKind::Number
            } else {
                TokKind::Digits
            };
        } else if c.is_alphabetic() {
            let mut e = k + 1;
            while e < n {
                let ch = chars[e].1;
                if ch.is_alphabetic() {
                    e += 1;
                } else if matches!(ch, '\'' | '’')
                    && chars.get(e + 1).is_some_and(|x| x.1.is_alphabetic())
                    && (!matches!(chars.get(e + 1).map(|x| x.1), Some('s' | 'S'))
                        || chars.get(e + 2).is_some_and(|x| x.1.is_alphabetic()))
                {
                    e += 2;
                } else {
                    break;
                }
            }
            // dotted single letters: p.m. a.m. EE.UU.
            if e - k <= 2 && chars.get(e).is_some_and(|x| x.1 == '.') {
                let mut f = e;
                let mut ok = false;
                while f < n && chars[f].1 == '.' {
                    f += 1;
                    let mut g = f;
                    while g < n && chars[g].1.is_alphabetic() && g - f < 2 {
                        g += 1;
                    }
                    if g > f && !(g < n && chars[g].1.is_alphabetic()) {
                        ok = true;
                        f = g;
                    } else {
                        break;
                    }
                }
                if ok {
                    e = if f < n && chars[f].1 == '.' { f + 1 } else { f };
                }
            }
            k = e;
            kind = TokKind::Word;
        } else {
            k += 1;
            kind = TokKind::Punct;
        }
        let start = pos(s);
        let end = pos(k);
        let piece = &text[start..end];
        out.push(Tok {
            start,
            end,
            low: piece.to_lowercase(),
            kind,
            cap: piece.chars().next().is_some_and(|c| c.is_uppercase()),
            space_before: space,
        });
        space = false;
    }
    out
}

/// One entry of the phrase table.
#[derive(Debug, Clone)]
pub struct Phrase {
    pub toks: Vec<String>,
    pub ttype: String,
    pub value: String,
}

/// Verb tense cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    Past,
    Present,
    Future,
    Conditional,
}

/// A modifier: its tokens and its TIMEX3 mod.
type ModEntry = (Vec<String>, String);

/// Everything the word, phrase and modifier lexicons hold about one word
/// form in one language, found with one hash look-up (the grammar looks a
/// token up once per document, not once per rule).
#[derive(Debug, Default)]
pub struct Entry {
    /// (class, value, value read as an integer).
    words: Vec<(String, String, Option<i64>)>,
    /// Phrases starting with the word, longest first.
    phrases: Vec<Phrase>,
    /// Modifiers starting with the word, longest first.
    mods: Vec<ModEntry>,
}

impl Entry {
    /// The value of the word in `class`, if any.
    #[inline]
    pub fn get(&self, class: &str) -> Option<&str> {
        self.words
            .iter()
            .find(|(c, _, _)| c == class)
            .map(|(_, v, _)| v.as_str())
    }

    /// Integer value of the word in `class`.
    #[inline]
    pub fn int(&self, class: &str) -> Option<i64> {
        self.words
            .iter()
            .find(|(c, _, _)| c == class)
            .and_then(|(_, _, n)| *n)
    }

    /// The longest phrase starting with this word at token `i`: (phrase,
    /// tokens used).
    pub fn phrase(&self, toks: &[Tok], i: usize) -> Option<(&Phrase, usize)> {
        self.phrases
            .iter()
            .find(|p| {
                p.toks
                    .iter()
                    .enumerate()
                    .all(|(k, w)| toks.get(i + k).is_some_and(|t| &t.low == w))
            })
            .map(|p| (p, p.toks.len()))
    }

    /// The longest modifier starting with this word at token `i`: (mod,
    /// tokens used).
    pub fn modifier(&self, toks: &[Tok], i: usize) -> Option<(&str, usize)> {
        self.mods
            .iter()
            .find(|(p, _)| {
                p.iter()
                    .enumerate()
                    .all(|(k, w)| toks.get(i + k).is_some_and(|t| &t.low == w))
            })
            .map(|(p, m)| (m.as_str(), p.len()))
    }
}

/// All lexicons, per language.
#[derive(Debug, Default)]
pub struct Lexicon {
    entries: [FxHashMap<String, Entry>; 2],
    tense_words: [FxHashMap<String, Tense>; 2],
    tense_suffixes: [Vec<(String, Tense)>; 2],
}

fn rows(
    src: &'static str,
    file: &'static str,
    cols: usize,
) -> Result<Vec<(usize, Vec<&'static str>)>> {
    let mut out = Vec::new();
    for (i, line) in src.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < cols {
            return Err(Error::Rules {
                file,
                line: i + 1,
                message: format!("expected {cols} tab-separated columns"),
            });
        }
        out.push((i + 1, f));
    }
    Ok(out)
}

fn langs(code: &str, file: &'static str, line: usize) -> Result<Vec<usize>> {
    match code {
        "es" => Ok(vec![0]),
        "en" => Ok(vec![1]),
        "*" => Ok(vec![0, 1]),
        _ => Err(Error::Rules {
            file,
            line,
            message: format!("unknown language {code:?}"),
        }),
    }
}

impl Lexicon {
    /// Loads the embedded lexicons.
    pub fn load() -> Result<Lexicon> {
        let mut lx = Lexicon::default();
        for (line, f) in rows(WORDS, "data/time/words.tsv", 3)? {
            for l in langs(f[0], "data/time/words.tsv", line)? {
                let value = f.get(3).copied().unwrap_or("");
                lx.entries[l]
                    .entry(f[1].to_string())
                    .or_default()
                    .words
                    .push((
                        f[2].to_string(),
                        value.to_string(),
                        value.trim_start_matches('+').parse().ok(),
                    ));
            }
        }
        for (line, f) in rows(PHRASES, "data/time/phrases.tsv", 4)? {
            let toks: Vec<String> = f[1].split(' ').map(str::to_string).collect();
            if !matches!(f[2], "DATE" | "TIME" | "DURATION" | "SET") {
                return Err(Error::Rules {
                    file: "data/time/phrases.tsv",
                    line,
                    message: format!("unknown type {:?}", f[2]),
                });
            }
            for l in langs(f[0], "data/time/phrases.tsv", line)? {
                lx.entries[l]
                    .entry(toks[0].clone())
                    .or_default()
                    .phrases
                    .push(Phrase {
                        toks: toks.clone(),
                        ttype: f[2].to_string(),
                        value: f[3].to_string(),
                    });
            }
        }
        for (line, f) in rows(MODIFIERS, "data/time/modifiers.tsv", 3)? {
            let toks: Vec<String> = f[1].split(' ').map(str::to_string).collect();
            for l in langs(f[0], "data/time/modifiers.tsv", line)? {
                lx.entries[l]
                    .entry(toks[0].clone())
                    .or_default()
                    .mods
                    .push((toks.clone(), f[2].to_string()));
            }
        }
        for (line, f) in rows(TENSE, "data/time/tense.tsv", 4)? {
            let t = match f[3] {
                "PAST" => Tense::Past,
                "PRES" => Tense::Present,
                "FUT" => Tense::Future,
                "COND" => Tense::Conditional,
                other => {
                    return Err(Error::Rules {
                        file: "data/time/tense.tsv",
                        line,
                        message: format!("unknown tense {other:?}"),
                    })
                }
            };
            for l in langs(f[0], "data/time/tense.tsv", line)? {
                match f[1] {
                    "word" => {
                        lx.tense_words[l].insert(f[2].to_string(), t);
                    }
                    "suffix" => lx.tense_suffixes[l].push((f[2].to_string(), t)),
                    other => {
                        return Err(Error::Rules {
                            file: "data/time/tense.tsv",
                            line,
                            message: format!("unknown kind {other:?}"),
                        })
                    }
                }
            }
        }
        for l in 0..2 {
            for e in lx.entries[l].values_mut() {
                e.phrases.sort_by_key(|p| std::cmp::Reverse(p.toks.len()));
                e.mods.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
            }
            lx.tense_suffixes[l].sort_by_key(|p| std::cmp::Reverse(p.0.chars().count()));
        }
        Ok(lx)
    }

    /// Everything the lexicons hold about `word`.
    pub fn entry(&self, lang: Lang, word: &str) -> Option<&Entry> {
        self.entries[lang.idx()].get(word)
    }

    /// The entry of each token (by its lower-case form).
    pub fn entries(&self, lang: Lang, toks: &[Tok]) -> Vec<Option<&Entry>> {
        toks.iter().map(|t| self.entry(lang, &t.low)).collect()
    }

    /// The value of `word` in `class`, if any.
    pub fn get(&self, lang: Lang, word: &str, class: &str) -> Option<&str> {
        self.entry(lang, word)?.get(class)
    }

    /// Is `word` in `class`?
    pub fn is(&self, lang: Lang, word: &str, class: &str) -> bool {
        self.get(lang, word, class).is_some()
    }

    /// Integer value of `word` in `class`.
    pub fn int(&self, lang: Lang, word: &str, class: &str) -> Option<i64> {
        self.entry(lang, word)?.int(class)
    }

    /// The longest phrase starting at token `i`: (phrase, tokens used).
    pub fn phrase(&self, lang: Lang, toks: &[Tok], i: usize) -> Option<(&Phrase, usize)> {
        self.entry(lang, &toks.get(i)?.low)?.phrase(toks, i)
    }

    /// The longest modifier starting at token `i`: (mod, tokens used).
    pub fn modifier(&self, lang: Lang, toks: &[Tok], i: usize) -> Option<(&str, usize)> {
        self.entry(lang, &toks.get(i)?.low)?.modifier(toks, i)
    }

    /// The tense cue a word carries, if any.
    pub fn tense(&self, lang: Lang, word: &str) -> Option<Tense> {
        if let Some(t) = self.tense_words[lang.idx()].get(word) {
            return Some(*t);
        }
        if word.chars().count() < 5 || !word.chars().all(char::is_alphabetic) {
            return None;
        }
        self.tense_suffixes[lang.idx()]
            .iter()
            .find(|(s, _)| word.ends_with(s.as_str()))
            .map(|(_, t)| *t)
    }
}

/// Reads a number written in digits: `15.000`, `15,000`, `1,5`, `2.5`, `300`.
pub fn digits_value(s: &str, lang: Lang) -> Option<f64> {
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let groups: Vec<&str> = s.split(['.', ',']).collect();
    if groups.len() == 1 {
        return s.parse().ok();
    }
    let seps: Vec<char> = s.chars().filter(|c| *c == '.' || *c == ',').collect();
    let same = seps.iter().all(|c| *c == seps[0]);
    let thousands = same
        && groups[0].len() <= 3
        && !groups[0].is_empty()
        && groups[1..].iter().all(|g| g.len() == 3);
    if thousands {
        return groups.concat().parse().ok();
    }
    // one decimal separator, possibly after thousands groups of the other kind
    let last = *seps.last()?;
    let dec = match lang {
        Lang::Es => ',',
        Lang::En => '.',
    };
    let (int_part, frac) = s.rsplit_once(last)?;
    if seps.len() > 1 && seps[..seps.len() - 1].contains(&last) {
        return None;
    }
    if last != dec && seps.len() == 1 && frac.len() == 3 {
        return groups.concat().parse().ok();
    }
    let int_clean: String = int_part.chars().filter(|c| c.is_ascii_digit()).collect();
    format!("{int_clean}.{frac}").parse().ok()
}

/// Reads a cardinal at token `i` (digits, words or both: "15.000", "dos mil",
/// "1,5 millones", "twenty-four", "a dozen"): (value, tokens used).
pub fn number_at(lx: &Lexicon, lang: Lang, toks: &[Tok], i: usize) -> Option<(f64, usize)> {
    number_with(lang, toks, i, |k| {
        toks.get(k).and_then(|t| lx.entry(lang, &t.low))
    })
}

/// [`number_at`], with the lexicon entry of token `k` given by `entry`.
pub(crate) fn number_with<'e>(
    lang: Lang,
    toks: &[Tok],
    i: usize,
    entry: impl Fn(usize) -> Option<&'e Entry>,
) -> Option<(f64, usize)> {
    let t = toks.get(i)?;
    let mut k = i;
    let mut total = 0f64;
    let mut current = 0f64;
    let mut any = false;
    // the last word value added to `current` (None after digits or a multiplier of 1000+)
    let mut last: Option<f64> = None;
    let mut digits = false;
    if matches!(t.kind, TokKind::Digits | TokKind::Number) {
        current = digits_value(&t.low, lang)?;
        any = true;
        digits = true;
        k += 1;
    }
    let fits = |last: Option<f64>, v: f64, any: bool, digits: bool, current: f64| -> bool {
        match last {
            None => current <= 0.0 || !(digits || any),
            Some(l) => {
                (l >= 100.0 && l % 100.0 == 0.0 && v < 100.0)
                    || (lang == Lang::En
                        && (20.0..100.0).contains(&l)
                        && l % 10.0 == 0.0
                        && v < 10.0)
            }
        }
    };
    while let Some(w) = toks.get(k) {
        let e = entry(k);
        if let Some(v) = e.and_then(|e| e.int("num")) {
            let v = v as f64;
            if !fits(last, v, any, digits, current) {
                break;
            }
            current += v;
            last = Some(v);
            any = true;
            k += 1;
            continue;
        }
        if let Some(m) = e.and_then(|e| e.int("mult")) {
            if !any && w.low != "mil" && w.low != "hundred" {
                break;
            }
            let m = m as f64;
            if current == 0.0 {
                current = 1.0;
            }
            if m >= 1000.0 {
                total += current * m;
                current = 0.0;
                last = None;
                digits = false;
            } else {
                current *= m;
                last = Some(current);
            }
            any = true;
            k += 1;
            continue;
        }
        // "treinta y dos", "twenty-four", "one hundred and five"
        let joiner = (w.low == "y" && lang == Lang::Es)
            || (w.low == "-" && !w.space_before && lang == Lang::En)
            || (w.low == "and" && lang == Lang::En && last.is_some_and(|l| l >= 100.0));
        if any && joiner {
            if let (Some(_), Some(l)) = (toks.get(k + 1), last) {
                if let Some(v) = entry(k + 1).and_then(|e| e.int("num")) {
                    let v = v as f64;
                    let ok = ((20.0..100.0).contains(&l) && l % 10.0 == 0.0 && v < 10.0)
                        || (l >= 100.0 && l % 100.0 == 0.0 && v < 100.0);
                    if ok {
                        current += v;
                        last = Some(v);
                        k += 2;
                        continue;
                    }
                }
            }
        }
        break;
    }
    if !any {
        return None;
    }
    Some((total + current, k - i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(lx: &Lexicon, lang: Lang, s: &str) -> Option<(f64, usize)> {
        let toks = tokenize(s);
        number_at(lx, lang, &toks, 0)
    }

    #[test]
    fn numbers() {
        let lx = Lexicon::load().unwrap_or_default();
        assert_eq!(num(&lx, Lang::Es, "15.000 soldados"), Some((15000.0, 1)));
        assert_eq!(num(&lx, Lang::Es, "1,5 millones"), Some((1_500_000.0, 2)));
        assert_eq!(num(&lx, Lang::Es, "dos mil"), Some((2000.0, 2)));
        assert_eq!(num(&lx, Lang::Es, "cuarenta y un días"), Some((41.0, 3)));
        assert_eq!(num(&lx, Lang::Es, "ciento veinte"), Some((120.0, 2)));
        assert_eq!(num(&lx, Lang::En, "twenty-four hours"), Some((24.0, 3)));
        assert_eq!(num(&lx, Lang::En, "15,000 troops"), Some((15000.0, 1)));
        assert_eq!(num(&lx, Lang::En, "2.5 million"), Some((2_500_000.0, 2)));
        assert_eq!(num(&lx, Lang::En, "two hundred and five"), Some((205.0, 4)));
        assert_eq!(num(&lx, Lang::En, "a dozen"), None);
    }

    #[test]
    fn tokens() {
        let t = tokenize("A las 15:00, el 3 p.m. EDT y 15.000 soldados.");
        let lows: Vec<&str> = t.iter().map(|t| t.low.as_str()).collect();
        assert_eq!(
            lows,
            ["a", "las", "15:00", ",", "el", "3", "p.m.", "edt", "y", "15.000", "soldados", "."]
        );
    }
}
