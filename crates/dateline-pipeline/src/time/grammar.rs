//! The TIMEX3 grammar: token patterns → a small semantic form ([`Sem`]) →
//! a TIMEX3 type and value, anchored on the document date and, for weekday
//! and month names without a year, on the tense of the nearest verb.
//!
//! Matching is greedy and longest-first at each token: every rule is tried
//! and the longest match wins; words come from the lexicons in `data/time/`.

use super::calendar::{self, Ymd};
use super::lex::{number_with, Entry, Lang, Lexicon, Phrase, Tense, Tok, TokKind};

/// Time units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Year,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
    Decade,
    Century,
    Quarter,
    Half,
    Weekend,
    Lustrum,
    Fortnight,
    Millennium,
}

impl Unit {
    fn from_code(c: &str) -> Option<Unit> {
        Some(match c {
            "Y" => Unit::Year,
            "M" => Unit::Month,
            "W" => Unit::Week,
            "D" => Unit::Day,
            "H" => Unit::Hour,
            "MIN" => Unit::Minute,
            "S" => Unit::Second,
            "DE" => Unit::Decade,
            "CE" => Unit::Century,
            "Q" => Unit::Quarter,
            "HALF" => Unit::Half,
            "WE" => Unit::Weekend,
            "L5" => Unit::Lustrum,
            "FN" => Unit::Fortnight,
            "MIL" => Unit::Millennium,
            _ => return None,
        })
    }
}

/// Holidays whose date the grammar knows (fixed or computed per year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holiday {
    Fixed(u32, u32),
    /// US Thanksgiving: the fourth Thursday of November.
    Thanksgiving,
    /// US Election Day: the Tuesday after the first Monday of November.
    ElectionDay,
    /// The first Monday of September.
    LaborDay,
    /// The last Monday of May.
    MemorialDay,
    /// Easter Sunday (Gregorian computus).
    Easter,
}

impl Holiday {
    /// The holiday's day in year `y`.
    pub fn in_year(self, y: i32) -> Option<Ymd> {
        // the n-th weekday `wd` (ISO 1-7) of a month
        let nth = |m: u32, wd: u32, n: i64| -> Option<Ymd> {
            let first = Ymd::new(y, m, 1)?;
            let shift = (wd as i64 - first.weekday() as i64).rem_euclid(7);
            Some(first.add_days(shift + 7 * (n - 1)))
        };
        match self {
            Holiday::Fixed(m, d) => Ymd::new(y, m, d),
            Holiday::Thanksgiving => nth(11, 4, 4),
            Holiday::ElectionDay => nth(11, 1, 1).map(|d| d.add_days(1)),
            Holiday::LaborDay => nth(9, 1, 1),
            Holiday::MemorialDay => {
                let last = Ymd::new(y, 5, 31)?;
                Some(last.add_days(-((last.weekday() as i64 - 1).rem_euclid(7))))
            }
            Holiday::Easter => {
                // anonymous Gregorian algorithm
                let a = y % 19;
                let b = y / 100;
                let c = y % 100;
                let d = b / 4;
                let e = b % 4;
                let f = (b + 8) / 25;
                let g = (b - f + 1) / 3;
                let h = (19 * a + b - d - g + 15) % 30;
                let i = c / 4;
                let k = c % 4;
                let l = (32 + 2 * e + 2 * i - h - k) % 7;
                let m = (a + 11 * h + 22 * l) / 451;
                let month = (h + l - 7 * m + 114) / 31;
                let day = (h + l - 7 * m + 114) % 31 + 1;
                Ymd::new(y, month as u32, day as u32)
            }
        }
    }
}

/// Holiday names: (language, lower-case tokens, holiday, is a week).
/// English names must be capitalised in the text ("Easter", not "easter").
const HOLIDAYS: &[(Lang, &[&str], Holiday, bool)] = &[
    (
        Lang::En,
        &["thanksgiving", "day"],
        Holiday::Thanksgiving,
        false,
    ),
    (Lang::En, &["thanksgiving"], Holiday::Thanksgiving, false),
    (Lang::En, &["election", "day"], Holiday::ElectionDay, false),
    (Lang::En, &["labor", "day"], Holiday::LaborDay, false),
    (Lang::En, &["memorial", "day"], Holiday::MemorialDay, false),
    (
        Lang::En,
        &["independence", "day"],
        Holiday::Fixed(7, 4),
        false,
    ),
    (
        Lang::En,
        &["christmas", "day"],
        Holiday::Fixed(12, 25),
        false,
    ),
    (
        Lang::En,
        &["christmas", "eve"],
        Holiday::Fixed(12, 24),
        false,
    ),
    (Lang::En, &["christmas"], Holiday::Fixed(12, 25), false),
    (Lang::En, &["halloween"], Holiday::Fixed(10, 31), false),
    (Lang::En, &["easter", "sunday"], Holiday::Easter, false),
    (Lang::En, &["easter", "week"], Holiday::Easter, true),
    (Lang::En, &["holy", "week"], Holiday::Easter, true),
    (Lang::En, &["easter"], Holiday::Easter, false),
    (Lang::Es, &["navidad"], Holiday::Fixed(12, 25), false),
    (Lang::Es, &["nochebuena"], Holiday::Fixed(12, 24), false),
    (Lang::Es, &["nochevieja"], Holiday::Fixed(12, 31), false),
    (Lang::Es, &["año", "nuevo"], Holiday::Fixed(1, 1), false),
    (
        Lang::Es,
        &["día", "de", "reyes"],
        Holiday::Fixed(1, 6),
        false,
    ),
    (Lang::Es, &["semana", "santa"], Holiday::Easter, true),
    (
        Lang::Es,
        &["domingo", "de", "resurrección"],
        Holiday::Easter,
        false,
    ),
    (
        Lang::Es,
        &["domingo", "de", "pascua"],
        Holiday::Easter,
        false,
    ),
];

/// What an expression means, before anchoring.
#[derive(Debug, Clone, PartialEq)]
pub enum Sem {
    Day(Ymd),
    Month {
        y: i32,
        m: u32,
    },
    Year(i32),
    /// Month and day, the year from the context.
    MonthDay {
        m: u32,
        d: u32,
        dir: i32,
    },
    /// A month name alone; dir: 0 by tense, 1 next, -1 last.
    MonthOnly {
        m: u32,
        dir: i32,
    },
    /// "el día 13"
    DayOfMonth(u32),
    /// Day `d` of the month `off` months from the document date.
    DayInMonth {
        d: u32,
        off: i64,
    },
    /// Days from the document date.
    RelDay(i64),
    /// This (0), next (1), last (-1) year/month/week ... of the document date.
    Rel {
        unit: Unit,
        off: i64,
    },
    /// The same, relative to the last date mentioned ("ese día", "el año siguiente").
    Anaph {
        unit: Unit,
        off: i64,
    },
    /// dir: 0 by tense, 1 next, -1 last, 2 this week, 3 / -3 the next /
    /// previous one after the last date mentioned.
    Weekday {
        wd: u32,
        dir: i32,
    },
    Decade(i32),
    Century(i32),
    Quarter {
        q: u32,
        y: Option<i32>,
    },
    /// "el mismo periodo del año anterior": the period last mentioned
    /// (a month, quarter or half) in the year before it (`anaphoric`) or
    /// before the document date.
    SameBack {
        unit: Option<Unit>,
        anaphoric: bool,
    },
    /// A public holiday ("Thanksgiving Day", "Navidad"); `week`: the week
    /// holding it ("Easter week", "Semana Santa"). dir as for weekdays.
    Holiday {
        h: Holiday,
        week: bool,
        dir: i32,
    },
    /// "the weekend", "el fin de semana": the coming one, or with a verb in
    /// the past the one before the document date.
    TheWeekend,
    /// "la última semana de marzo", "the first week of June": week `n`
    /// (-1 the last) of a month.
    WeekOfMonth {
        n: i32,
        month: Box<Sem>,
    },
    /// "the year-earlier quarter": quarter q (0: the one reported) a year back.
    QuarterBack {
        q: u32,
    },
    HalfYear {
        h: u32,
        y: Option<i32>,
    },
    Season {
        s: String,
        y: Option<i32>,
        dir: i32,
    },
    Literal {
        ttype: String,
        value: String,
    },
    /// n units before (sign -1) or after (+1) the document date; n None = vague.
    Ago {
        n: Option<f64>,
        unit: Unit,
        sign: i64,
        anaphoric: bool,
    },
    Dur(Vec<(Option<f64>, Unit)>),
    Set(String),
    Time {
        base: Option<Box<Sem>>,
        h: u32,
        mi: u32,
        zone: Option<String>,
    },
    Pod {
        base: Box<Sem>,
        pod: String,
    },
    /// A month, day, quarter, half or season in a year given relative to
    /// the document date (or, anaphoric, to the last date): "septiembre
    /// del año pasado", "el primer trimestre del año anterior", "June last year".
    InYear {
        base: Box<Sem>,
        off: i64,
        anaphoric: bool,
    },
}

/// A found expression: token range and meaning.
#[derive(Debug, Clone)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub sem: Sem,
    pub mod_: Option<String>,
}

/// A grammar rule: the end token and meaning of a match at a token.
type Rule<'a> = fn(&Grammar<'a>, usize) -> Option<(usize, Sem)>;

pub struct Grammar<'a> {
    pub lx: &'a Lexicon,
    pub lang: Lang,
    pub toks: &'a [Tok],
    /// The lexicon entry of each token ([`Lexicon::entries`]).
    pub ents: &'a [Option<&'a Entry>],
    /// The document reports quarterly results (it mentions a quarter):
    /// "year-earlier" then means the same quarter a year before.
    pub quarterly: bool,
}

fn is_day_level(s: &Sem) -> bool {
    matches!(
        s,
        Sem::Day(_)
            | Sem::DayInMonth { .. }
            | Sem::MonthDay { .. }
            | Sem::DayOfMonth(_)
            | Sem::RelDay(_)
            | Sem::Weekday { .. }
            | Sem::Anaph {
                unit: Unit::Day,
                ..
            }
    )
}

impl<'a> Grammar<'a> {
    #[inline]
    fn low(&self, k: usize) -> &str {
        self.toks.get(k).map(|t| t.low.as_str()).unwrap_or("")
    }
    #[inline]
    fn tok(&self, k: usize) -> Option<&Tok> {
        self.toks.get(k)
    }
    /// The lexicon entry of token `k` (of "" past the end, as `low`).
    #[inline]
    fn entry(&self, k: usize) -> Option<&'a Entry> {
        match self.ents.get(k) {
            Some(e) => *e,
            None => self.lx.entry(self.lang, ""),
        }
    }
    #[inline]
    fn get(&self, k: usize, class: &str) -> Option<&'a str> {
        self.entry(k)?.get(class)
    }
    #[inline]
    fn is(&self, k: usize, class: &str) -> bool {
        self.get(k, class).is_some()
    }
    #[inline]
    fn int(&self, k: usize, class: &str) -> Option<i64> {
        self.entry(k)?.int(class)
    }
    fn phrase(&self, k: usize) -> Option<(&'a Phrase, usize)> {
        self.toks.get(k)?;
        self.entry(k)?.phrase(self.toks, k)
    }
    fn modifier(&self, k: usize) -> Option<(&'a str, usize)> {
        self.toks.get(k)?;
        self.entry(k)?.modifier(self.toks, k)
    }
    fn number(&self, k: usize) -> Option<(f64, usize)> {
        number_with(self.lang, self.toks, k, |j| self.entry(j))
    }
    #[inline]
    fn word_in(&self, k: usize, set: &[&str]) -> bool {
        let w = self.low(k);
        set.contains(&w)
    }
    #[inline]
    fn es(&self) -> bool {
        self.lang == Lang::Es
    }

    /// Skips an article.
    fn art(&self, k: usize) -> usize {
        if self.is(k, "art") {
            k + 1
        } else {
            k
        }
    }

    fn digits(&self, k: usize) -> Option<u32> {
        let t = self.tok(k)?;
        if t.kind != TokKind::Digits || t.low.len() > 4 {
            return None;
        }
        t.low.parse().ok()
    }

    /// A four-digit year (1000-2199), not followed by a time or a unit.
    fn year_at(&self, k: usize) -> Option<i32> {
        let t = self.tok(k)?;
        if t.kind != TokKind::Digits || t.low.len() != 4 {
            return None;
        }
        let y: i32 = t.low.parse().ok()?;
        if !(1000..=2199).contains(&y) {
            return None;
        }
        Some(y)
    }

    /// A year written in words: "mil novecientos cuarenta y ocho", "dos
    /// mil", "nineteen ninety-four", "two thousand": (year, tokens).
    fn word_year(&self, k: usize) -> Option<(i32, usize)> {
        let t = self.tok(k)?;
        if t.kind != TokKind::Word {
            return None;
        }
        if self.lang == Lang::En {
            // "nineteen ninety-four", "nineteen hundred"
            let a = self.int(k, "num")?;
            if (10..=20).contains(&a) {
                if self.low(k + 1) == "hundred" {
                    return Some(((a * 100) as i32, 2));
                }
                let (b, n) = self.number(k + 1)?;
                let words = (k + 1..k + 1 + n)
                    .all(|j| self.tok(j).is_some_and(|t| t.kind != TokKind::Digits));
                if words && b.fract() == 0.0 && (10.0..100.0).contains(&b) {
                    return Some(((a as f64 * 100.0 + b) as i32, 1 + n));
                }
                return None;
            }
        }
        let (v, n) = self.number(k)?;
        let words = (k..k + n).all(|j| self.tok(j).is_some_and(|t| t.kind == TokKind::Word));
        if !words || v.fract() != 0.0 || !(1000.0..=2199.0).contains(&v) {
            return None;
        }
        Some((v as i32, n))
    }

    /// A unit word (or "fin de semana"): (unit, plural, tokens).
    fn unit_at(&self, k: usize) -> Option<(Unit, bool, usize)> {
        let w = self.low(k);
        if (w == "fin" || w == "fines") && self.low(k + 1) == "de" && self.low(k + 2) == "semana" {
            return Some((Unit::Weekend, w == "fines", 3));
        }
        let code = self.get(k, "unit")?;
        let unit = Unit::from_code(code)?;
        let plural = match self.lang {
            Lang::Es => w.ends_with('s') && w != "mes" && w != "lunes",
            Lang::En => w.ends_with('s'),
        };
        Some((unit, plural, 1))
    }

    /// A month name (abbreviations need a capital in English; "may" and
    /// "march" too).
    fn month_at(&self, k: usize) -> Option<(u32, usize)> {
        let t = self.tok(k)?;
        let m = self.int(k, "month")? as u32;
        let mut used = 1;
        if self.es() && t.cap && k > 0 {
            // Spanish writes months in lower case: a capitalised one inside a
            // sentence, after a word that does not introduce a date, is a name
            let prev = self.tok(k - 1);
            let mid = prev.is_some_and(|p| p.kind == TokKind::Word && !p.cap);
            if mid
                && !self.word_in(
                    k - 1,
                    &[
                        "de", "del", "en", "desde", "hasta", "entre", "y", "e", "o", "a", "para",
                        "hacia", "durante", "el", "pasado", "próximo", "último", "todo",
                    ],
                )
                && !self.word_in(k + 1, &["de", "del", ","])
                && self.year_at(k + 1).is_none()
            {
                return None;
            }
        }
        if self.lang == Lang::En {
            let short = t.low.len() <= 4 && !matches!(t.low.as_str(), "june" | "july" | "may");
            if (short || t.low == "may" || t.low == "march") && !t.cap {
                return None;
            }
            if short && self.low(k + 1) == "." {
                used = 2;
            }
            let numeric_after = self.digits(k + used).is_some() || self.year_at(k + used).is_some();
            if short && used == 1 && !numeric_after {
                // "Jan Kavan": an abbreviation needs its dot or a number
                return None;
            }
            if (t.low == "may" || t.low == "march") && !numeric_after {
                let prev = if k > 0 { self.low(k - 1) } else { "" };
                // "the March accession", "in May"
                if ![
                    "in", "of", "since", "until", "last", "next", "early", "late", "mid", "this",
                    "by", "the",
                ]
                .contains(&prev)
                {
                    return None;
                }
            }
        }
        Some((m, used))
    }

    /// Day of month: digits 1-31, an ordinal ("primero", "1st") or a number word.
    fn day_at(&self, k: usize) -> Option<(u32, usize)> {
        if let Some(d) = self.digits(k) {
            if (1..=31).contains(&d) && self.tok(k).is_some_and(|t| t.low.len() <= 2) {
                // 7th, 1st
                if self.word_in(k + 1, &["th", "st", "nd", "rd", "º", "°"])
                    && self.tok(k + 1).is_some_and(|t| !t.space_before)
                {
                    return Some((d, 2));
                }
                return Some((d, 1));
            }
            return None;
        }
        if let Some(o) = self.int(k, "ord") {
            if o == 1 {
                return Some((1, 1));
            }
        }
        if self.es() {
            if let Some((v, n)) = self.number(k) {
                if (1.0..=31.0).contains(&v) && v.fract() == 0.0 {
                    return Some((v as u32, n));
                }
            }
        }
        None
    }

    /// Year after a month or day: ("de"|"del"|","|"of")? ("año")? YYYY.
    fn year_tail(&self, k: usize) -> Option<(i32, usize)> {
        let mut j = k;
        if self.word_in(j, &["de", "del", ",", "of"]) {
            j += 1;
        }
        if self.word_in(j, &["año"]) {
            j += 1;
        }
        if let Some((y, n)) = self.word_year(j) {
            return Some((y, j + n - k));
        }
        let y = self.year_at(j)?;
        Some((y, j + 1 - k))
    }

    // ---------------------------------------------------------------- rules

    /// A bare day number 1-31 at `k` (not a time, an amount or a year).
    fn list_day(&self, k: usize) -> Option<u32> {
        let d = self.digits(k)?;
        if !(1..=31).contains(&d) || self.tok(k)?.low.len() > 2 {
            return None;
        }
        if self.unit_at(k + 1).is_some() || self.word_in(k + 1, &["%", ":", "horas", "h"]) {
            return None;
        }
        Some(d)
    }

    /// The next item of a list of days after token `k` ("y 2", "al 5", ",
    /// el 7") when no month follows it: (start, end, day).
    pub fn next_list_day(&self, k: usize) -> Option<(usize, usize, u32)> {
        let joins: &[&str] = if self.es() {
            &[",", "y", "e", "al", "a", "hasta"]
        } else {
            &["and"]
        };
        if !self.word_in(k, joins) {
            return None;
        }
        let a = k + 1;
        let mut f = a;
        if self.word_in(f, &["el", "día"]) {
            f += 1;
            if self.low(f) == "día" {
                f += 1;
            }
        }
        if self.low(k) == "," && f == a {
            return None;
        }
        let d = self.list_day(f)?;
        let next_ok = match self.tok(f + 1) {
            None => true,
            Some(t) => {
                t.kind == TokKind::Punct
                    || self.word_in(
                        f + 1,
                        &["y", "e", "o", "al", "a", "en", "hasta", "por", "para"],
                    )
            }
        };
        if !next_ok {
            return None;
        }
        Some((a, f + 1, d))
    }

    /// A day of a list or range whose month comes at its end: "el 1, el 2 y
    /// el 3 de enero", "los días 4, 5 y 6 de marzo", "del 2 al 15 de agosto":
    /// the item at `k` takes the month and year of the last one.
    fn r_list_day(&self, k: usize) -> Option<(usize, Sem)> {
        if !self.es() {
            return None;
        }
        let mut j = k;
        if self.word_in(j, &["el", "del", "al"]) {
            j += 1;
            if self.low(j) == "día" {
                j += 1;
            }
        } else if self.word_in(j, &["los", "días"]) {
            if self.low(j) == "los" {
                j += 1;
            }
            if self.low(j) != "días" {
                return None;
            }
            j += 1;
        } else if self.low(j) == "día" {
            j += 1;
        }
        let d = self.list_day(j)?;
        let end = j + 1;
        // walk the list to its month
        let mut e = end;
        let mut items = 0;
        while items < 12 {
            if !self.word_in(e, &[",", "y", "e", "o", "al", "a", "hasta"]) {
                break;
            }
            let mut f = e + 1;
            if self.word_in(f, &["el", "día"]) {
                f += 1;
                if self.low(f) == "día" {
                    f += 1;
                }
            }
            if self.list_day(f).is_none() {
                break;
            }
            e = f + 1;
            items += 1;
        }
        if items == 0 || !self.word_in(e, &["de", "del"]) {
            return None;
        }
        let (m, mn) = self.month_at(e + 1)?;
        if let Some((y, _)) = self.year_tail(e + 1 + mn) {
            return Some((end, Sem::Day(Ymd::new(y, m, d)?)));
        }
        Some((end, Sem::MonthDay { m, d, dir: 0 }))
    }

    /// dd/mm/yyyy, dd-mm-yyyy, yyyy-mm-dd (mm/dd/yyyy in English).
    fn r_numeric(&self, k: usize) -> Option<(usize, Sem)> {
        let t = self.tok(k)?;
        if t.kind != TokKind::Number {
            return None;
        }
        let parts: Vec<&str> = t.low.split(['/', '-', '.']).collect();
        let sep_ok = t.low.contains('/') || t.low.contains('-');
        if parts.len() != 3 || !sep_ok {
            return None;
        }
        let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
        if n.len() != 3 {
            return None;
        }
        let (y, m, d) = if parts[0].len() == 4 {
            (n[0] as i32, n[1], n[2])
        } else {
            let y = if parts[2].len() == 2 {
                if n[2] < 50 {
                    2000 + n[2] as i32
                } else {
                    1900 + n[2] as i32
                }
            } else {
                n[2] as i32
            };
            match self.lang {
                Lang::Es => (y, n[1], n[0]),
                Lang::En if n[0] <= 12 => (y, n[0], n[1]),
                Lang::En => (y, n[1], n[0]),
            }
        };
        Some((k + 1, Sem::Day(Ymd::new(y, m, d)?)))
    }

    /// "el 19 de mayo (de 2005)", "jueves 3 de octubre", "el día 2 de abril",
    /// "May 4, 1999", "4 May 1999".
    fn r_day_month(&self, k: usize) -> Option<(usize, Sem)> {
        let mut j = self.art(k);
        // "el pasado 2 de marzo", "el próximo 3 de abril"
        let mut dir = 0;
        if j > k && self.es() {
            if let Some(d) = self.int(j, "deictic") {
                if d == 1 || d == -1 {
                    dir = d as i32;
                    j += 1;
                }
            }
        }
        if self.is(j, "weekday") {
            j += 1;
            if self.low(j) == "," {
                j += 1;
            }
            j = self.art(j);
        }
        if self.word_in(j, &["día"]) {
            j += 1;
        }
        // day first
        if let Some((d, n)) = self.day_at(j) {
            let mut e = j + n;
            if self.word_in(e, &["de", "of"]) {
                e += 1;
            }
            if let Some((m, mn)) = self.month_at(e) {
                e += mn;
                if let Some((y, yn)) = self.year_tail(e) {
                    return Some((e + yn, Sem::Day(Ymd::new(y, m, d)?)));
                }
                return Some((e, Sem::MonthDay { m, d, dir }));
            }
        }
        // month first (English)
        if self.es() {
            return None;
        }
        if let Some((m, mn)) = self.month_at(j) {
            let e = j + mn;
            if self.year_at(e).is_some() {
                return None;
            }
            if let Some((d, n)) = self.day_at(e) {
                self.digits(e)?;
                let mut e2 = e + n;
                if self.low(e2) == "," && self.year_at(e2 + 1).is_some() {
                    e2 += 1;
                }
                if let Some(y) = self.year_at(e2) {
                    return Some((e2 + 1, Sem::Day(Ymd::new(y, m, d)?)));
                }
                return Some((e + n, Sem::MonthDay { m, d, dir: 0 }));
            }
        }
        None
    }

    /// "el día 13", "el pasado día 19"
    fn r_day_of_month(&self, k: usize) -> Option<(usize, Sem)> {
        if !self.es() {
            return None;
        }
        let mut j = self.art(k);
        let mut dir = 0;
        if let Some(d) = self.int(j, "deictic") {
            dir = d;
            j += 1;
        }
        if self.low(j) != "día" {
            return None;
        }
        let (d, n) = match self.digits(j + 1) {
            Some(d) => (d, 1),
            None => self.day_at(j + 1)?,
        };
        if !(1..=31).contains(&d) {
            return None;
        }
        let _ = dir;
        let e = j + 1 + n;
        // "el día uno del próximo mes", "el día 5 del mes pasado"
        if self.low(e) == "del" {
            if let Some((
                g,
                Sem::Rel {
                    unit: Unit::Month,
                    off,
                },
            )) = self.r_rel_unit(e)
            {
                return Some((g, Sem::DayInMonth { d, off }));
            }
        }
        Some((e, Sem::DayOfMonth(d)))
    }

    /// "abril de 1991", "July 1997", "mayo", "junio pasado", "last June".
    fn r_month(&self, k: usize) -> Option<(usize, Sem)> {
        let mut j = k;
        let mut dir = 0;
        if self.es() && self.is(j, "art") {
            if let Some(d) = self.int(j + 1, "deictic") {
                if (d == 1 || d == -1) && self.is(j + 2, "month") {
                    dir = d as i32;
                    j += 2;
                }
            }
        }
        if !self.es() {
            if let Some(d) = self.int(j, "deictic") {
                if self.low(j) != "past" {
                    dir = if d == 0 { 2 } else { d as i32 };
                    j += 1;
                }
            }
        }
        let (m, mn) = self.month_at(j)?;
        let e = j + mn;
        if let Some((y, yn)) = self.year_tail(e) {
            return Some((e + yn, Sem::Month { y, m }));
        }
        // "octubre, noviembre y diciembre de 2018": a list shares its year
        if dir == 0 {
            let mut f = e;
            for _ in 0..11 {
                if !self.word_in(f, &[",", "y", "e", "and", "or", "o"]) {
                    break;
                }
                let Some((_, n)) = self.month_at(f + 1) else {
                    break;
                };
                f += 1 + n;
                if let Some((y, _)) = self.year_tail(f) {
                    return Some((e, Sem::Month { y, m }));
                }
            }
        }
        if self.es() {
            if let Some(d) = self.int(e, "deictic") {
                if d == 1 || d == -1 {
                    return Some((e + 1, Sem::MonthOnly { m, dir: d as i32 }));
                }
            }
            if self.low(e) == "que" && self.low(e + 1) == "viene" {
                return Some((e + 2, Sem::MonthOnly { m, dir: 1 }));
            }
        }
        Some((e, Sem::MonthOnly { m, dir }))
    }

    /// "1999", "el 2000", "el año 2000", "fiscal 1989", "1990s", "los años 90".
    fn r_year(&self, k: usize) -> Option<(usize, Sem)> {
        let mut j = self.art(k);
        if self.word_in(j, &["año", "year"]) {
            j += 1;
        }
        if self.low(j) == "fiscal" {
            let y = self.year_at(j + 1)?;
            return Some((j + 2, Sem::Year(y)));
        }
        // "el año mil novecientos", "the year two thousand", "nineteen ninety-six"
        // "el 999 a.C.", "en el año 44 antes de Cristo"
        if let Some(n) = self.digits(j) {
            if let Some((bce, en)) = self.era_at(j + 1) {
                if n >= 1 {
                    let value = if bce {
                        format!("BCE{n:04}")
                    } else {
                        format!("{n:04}")
                    };
                    return Some((
                        j + 1 + en,
                        Sem::Literal {
                            ttype: "DATE".into(),
                            value,
                        },
                    ));
                }
            }
        }
        let year_word = j > k && self.word_in(j - 1, &["año", "year"]);
        if year_word || self.lang == Lang::En {
            if let Some((y, n)) = self.word_year(j) {
                let english_pair = self.lang == Lang::En
                    && self.int(j, "num").is_some_and(|a| (10..=20).contains(&a))
                    && self.low(j + 1) != "hundred";
                if year_word || english_pair {
                    return Some((j + n, Sem::Year(y)));
                }
            }
        }
        let y = self.year_at(j)?;
        // 1990s
        if self.low(j + 1) == "s" && self.tok(j + 1).is_some_and(|t| !t.space_before) {
            return Some((j + 2, Sem::Decade(y / 10)));
        }
        // followed by a unit: a duration, not a year
        // "1987:45" is a clock reading, "desde 1987: sufrió" a year
        let clock = self.low(j + 1) == ":"
            && self
                .tok(j + 2)
                .is_some_and(|t| t.kind == TokKind::Digits && !t.space_before);
        if clock
            || self.unit_at(j + 1).is_some()
            || self.word_in(j + 1, &["%", "millones", "million"])
        {
            return None;
        }
        if j == k {
            // a bare number after a preposition or a year-like context
            let prev = if k > 0 { self.low(k - 1) } else { "" };
            let t = self.tok(k)?;
            if t.low.starts_with('0') {
                return None;
            }
            if ["$", "€", "£", "us$"].contains(&prev) {
                return None;
            }
            // "2000 personas", "los 2029 capítulos": a count of things
            if self.es() {
                if let Some(nx) = self.tok(j + 1) {
                    let w = nx.low.as_str();
                    if nx.kind == TokKind::Word
                        && !nx.cap
                        && w.chars().count() > 3
                        && w.ends_with('s')
                        && self.lx.tense(self.lang, w).is_none()
                        && ![
                            "además", "después", "antes", "entonces", "pues", "menos", "más",
                            "tras", "mientras", "apenas", "jamás", "quizás", "ellos", "ellas",
                            "todos", "todas", "unos", "unas", "otros", "otras", "estos", "estas",
                        ]
                        .contains(&w)
                    {
                        return None;
                    }
                }
            }
        }
        Some((j + 1, Sem::Year(y)))
    }

    /// "los años 90", "the '90s", "la década de los ochenta", "the 1980s".
    fn r_decade(&self, k: usize) -> Option<(usize, Sem)> {
        let j = self.art(k);
        if self.es() {
            let mut e = j;
            if self.low(e) == "década" && self.word_in(e + 1, &["de", "del"]) {
                e += 2;
                e = self.art(e);
            } else if self.low(e) == "años" {
                e += 1;
            } else {
                return None;
            }
            if let Some(y) = self.year_at(e) {
                return Some((e + 1, Sem::Decade(y / 10)));
            }
            if let Some(d) = self.digits(e) {
                if d % 10 == 0 && d < 100 {
                    return Some((e + 1, Sem::Decade(190 + d as i32 / 10)));
                }
            }
            if let Some(v) = self.int(e, "num") {
                if (20..=90).contains(&v) && v % 10 == 0 {
                    return Some((e + 1, Sem::Decade(190 + v as i32 / 10)));
                }
            }
            return None;
        }
        // "the nineties", "the sixties"
        if j > k {
            let dec = match self.low(j) {
                "twenties" => Some(2),
                "thirties" => Some(3),
                "forties" => Some(4),
                "fifties" => Some(5),
                "sixties" => Some(6),
                "seventies" => Some(7),
                "eighties" => Some(8),
                "nineties" => Some(9),
                _ => None,
            };
            if let Some(d) = dec {
                return Some((j + 1, Sem::Decade(190 + d)));
            }
        }
        let mut e = j;
        if self.low(e) == "'" || self.low(e) == "’" {
            e += 1;
        }
        let d = self.digits(e)?;
        if self.low(e + 1) == "s"
            && self.tok(e + 1).is_some_and(|t| !t.space_before)
            && d < 100
            && d % 10 == 0
        {
            return Some((e + 2, Sem::Decade(190 + d as i32 / 10)));
        }
        None
    }

    /// An era after a year or century: "a.C.", "AC", "antes de Cristo"
    /// (before: true), "d.C.", "después de Cristo" (false): (bce, tokens).
    fn era_at(&self, k: usize) -> Option<(bool, usize)> {
        if !self.es() {
            return None;
        }
        let w = self.low(k);
        match w {
            "ac" | "a.c." | "a.c" | "aec" | "a.e.c." => return Some((true, 1)),
            "dc" | "d.c." | "d.c" => return Some((false, 1)),
            _ => {}
        }
        if self.word_in(k, &["antes", "después"]) && self.low(k + 1) == "de" {
            if self.word_in(k + 2, &["cristo", "jesucristo"]) {
                return Some((w == "antes", 3));
            }
            if self.low(k + 2) == "nuestra" && self.low(k + 3) == "era" {
                return Some((w == "antes", 4));
            }
        }
        None
    }

    /// "el siglo XX", "el siglo primero", "el siglo II a.C.", "el XI AC",
    /// "the 20th century".
    fn r_century(&self, k: usize) -> Option<(usize, Sem)> {
        let mut j = self.art(k);
        if j == k && self.is(k, "deictic") && self.low(k + 1) == "siglo" {
            // "este siglo XX"
            j += 1;
        }
        let siglo = self.low(j) == "siglo";
        if siglo || (j > k && self.es()) {
            let w = self.low(j + usize::from(siglo));
            let n = roman(w)
                .or_else(|| if siglo { w.parse().ok() } else { None })
                .or_else(|| if siglo { self.int(j + 1, "ord") } else { None })?;
            if !(1..=30).contains(&n) {
                return None;
            }
            let e = j + 1 + usize::from(siglo);
            if let Some((bce, en)) = self.era_at(e) {
                let value = if bce {
                    format!("BCE{:02}", n - 1)
                } else {
                    format!("{:02}", n - 1)
                };
                return Some((
                    e + en,
                    Sem::Literal {
                        ttype: "DATE".into(),
                        value,
                    },
                ));
            }
            // a bare roman numeral needs its era ("el XI AC")
            if !siglo {
                return None;
            }
            return Some((e, Sem::Century(n as i32 - 1)));
        }
        if self.lang == Lang::En {
            let (n, used) = if let Some(d) = self.digits(j) {
                if self.word_in(j + 1, &["th", "st", "nd", "rd"]) {
                    (d as i64, 2)
                } else {
                    return None;
                }
            } else {
                return None;
            };
            if self.low(j + used) == "century" {
                return Some((j + used + 1, Sem::Century(n as i32 - 1)));
            }
        }
        None
    }

    /// Weekday names: "el martes", "del martes", "este viernes", "el lunes
    /// pasado", "el próximo lunes", "last Friday", "Friday morning",
    /// "el viernes 3 de octubre".
    fn r_weekday(&self, k: usize) -> Option<(usize, Sem)> {
        if self.word_in(k, &["los", "las"]) {
            // "los jueves": a set
            return None;
        }
        let mut j = self.art(k);
        let mut dir = 0;
        if let Some(d) = self.get(j, "deictic") {
            dir = match d {
                "0" => 2,
                "1" => 1,
                "-1" => -1,
                // "the previous Friday", "el viernes siguiente": from the last date
                "-1a" => -3,
                "+1a" => 3,
                _ => return None,
            };
            j += 1;
        }
        if self.es() && self.low(j) == "día" {
            j += 1;
        }
        let wd = self.int(j, "weekday")? as u32;
        let mut e = j + 1;
        if dir == 0 {
            if let Some(d) = self.get(e, "deictic") {
                match d {
                    "1" | "-1" => {
                        dir = if d == "1" { 1 } else { -1 };
                        e += 1;
                    }
                    "+1a" | "-1a" => {
                        dir = if d == "+1a" { 3 } else { -3 };
                        e += 1;
                    }
                    _ => {}
                }
            } else if self.low(e) == "que" && self.low(e + 1) == "viene" {
                dir = 1;
                e += 2;
            }
        }
        // explicit date after it
        let mut f = e;
        if self.low(f) == "," {
            f += 1;
        }
        if let Some((fe, sem)) = self.r_day_month(f) {
            if fe > f {
                return Some((fe, sem));
            }
        }
        if self.es() {
            let g = self.art(f);
            if let Some(d) = self.digits(g) {
                if (1..=31).contains(&d) && !self.is(g + 1, "unit") {
                    return Some((g + 1, Sem::DayOfMonth(d)));
                }
            }
        }
        Some((e, Sem::Weekday { wd, dir }))
    }

    /// "este año", "el año pasado", "la semana que viene", "last year",
    /// "el próximo mes", "ese día", "el año siguiente", "este fin de semana".
    fn r_rel_unit(&self, k: usize) -> Option<(usize, Sem)> {
        // "en un mismo día", "en un mismo año": a length, not a date
        if self.word_in(k, &["un", "una"]) && self.word_in(k + 1, &["mismo", "misma"]) {
            let (unit, plural, un) = self.unit_at(k + 2)?;
            if plural || unit == Unit::Weekend {
                return None;
            }
            return Some((k + 2 + un, Sem::Dur(vec![(Some(1.0), unit)])));
        }
        let had_art = self.is(k, "art");
        let mut j = self.art(k);
        let mut pre: Option<String> = None;
        if let Some(d) = self.get(j, "deictic") {
            pre = Some(d.to_string());
            j += 1;
            // "ese mismo día"
            if self.word_in(j, &["mismo", "misma", "same"]) {
                j += 1;
                pre = Some("0a".into());
            }
        }
        let (unit, plural, un) = self.unit_at(j)?;
        if plural && unit != Unit::Weekend {
            return None;
        }
        let mut e = j + un;
        let mut post: Option<String> = None;
        if pre.is_none() {
            if let Some(d) = self.get(e, "deictic") {
                if d != "0" {
                    post = Some(d.to_string());
                    e += 1;
                }
            } else if self.low(e) == "que" && self.low(e + 1) == "viene" {
                post = Some("1".into());
                e += 2;
            } else if self.lang == Lang::En && self.low(e) == "ago" {
                return None;
            }
        }
        let d = match (pre, post) {
            (Some(p), None) => p,
            (None, Some(p)) => p,
            // "the weekend", "el fin de semana": the tense decides which
            (None, None) if unit == Unit::Weekend && had_art => return Some((e, Sem::TheWeekend)),
            (None, None) => return None,
            _ => return None,
        };
        let es_last_span = self.es()
            && had_art
            && matches!(unit, Unit::Year | Unit::Decade | Unit::Century)
            && self.word_in(j - 1, &["último", "última"]);
        if es_last_span {
            // "el último año", "la última década": a duration
            return Some((e, Sem::Dur(vec![(Some(1.0), unit)])));
        }
        if matches!(unit, Unit::Hour | Unit::Minute | Unit::Second) {
            return None;
        }
        let anaphoric = d.ends_with('a');
        let off: i64 = d
            .trim_end_matches('a')
            .trim_start_matches('+')
            .parse()
            .ok()?;
        if unit == Unit::Day && !anaphoric {
            // "este día", "el día siguiente" are handled as anaphora; "el último día" is not a date
            if off == 0 {
                return Some((e, Sem::Anaph { unit, off }));
            }
            return None;
        }
        if anaphoric {
            Some((e, Sem::Anaph { unit, off }))
        } else {
            Some((e, Sem::Rel { unit, off }))
        }
    }

    /// "el mismo periodo / mes / trimestre del año anterior (pasado)": the
    /// period mentioned last, a year back.
    fn r_same_back(&self, k: usize) -> Option<(usize, Sem)> {
        if !self.es() {
            return None;
        }
        let j = self.art(k);
        if !self.word_in(j, &["mismo", "misma"]) {
            return None;
        }
        let unit = match self.low(j + 1) {
            "periodo" | "período" | "lapso" => None,
            "mes" => Some(Unit::Month),
            "trimestre" => Some(Unit::Quarter),
            "semestre" => Some(Unit::Half),
            _ => return None,
        };
        if !self.word_in(j + 2, &["del", "de"]) {
            return None;
        }
        let mut e = j + 3;
        if self.low(j + 2) == "de" {
            e = self.art(e);
        }
        if self.low(e) != "año" {
            return None;
        }
        let anaphoric = match self.low(e + 1) {
            "anterior" => true,
            "pasado" => false,
            _ => return None,
        };
        Some((e + 2, Sem::SameBack { unit, anaphoric }))
    }

    /// "(cerró | terminó | abrió ...) la jornada / el día" in market news:
    /// the day being reported (the last day mentioned, else the document's).
    fn r_session_day(&self, k: usize) -> Option<(usize, Sem)> {
        if !self.es() || k == 0 {
            return None;
        }
        let day = (self.low(k) == "la" && self.low(k + 1) == "jornada")
            || (self.low(k) == "el" && self.low(k + 1) == "día");
        if !day {
            return None;
        }
        let v = self.low(k - 1);
        let stems = [
            "termin", "cerr", "cierr", "acab", "finaliz", "conclu", "abri", "abrió", "comenz",
            "comienz", "empez", "empiez", "inici",
        ];
        if !stems.iter().any(|s| v.starts_with(s)) {
            return None;
        }
        // "el día de ..." / "el día en que" name another day
        if self.word_in(k + 2, &["de", "del", "que", "siguiente", "anterior"])
            || (self.low(k + 2) == "en"
                && self.word_in(k + 3, &["que", "el", "la"])
                && self.low(k + 4) == "que")
            || (self.low(k + 2) == "en" && self.low(k + 3) == "que")
        {
            return None;
        }
        Some((
            k + 2,
            Sem::Anaph {
                unit: Unit::Day,
                off: 0,
            },
        ))
    }

    /// "por cuarta semana consecutiva", "for the third straight day": the
    /// latest of a streak is the current one.
    fn r_streak(&self, k: usize) -> Option<(usize, Sem)> {
        let n = self.int(k, "ord")?;
        if n < 2 {
            return None;
        }
        let (unit, plural, un) = self.unit_at(k + 1)?;
        if plural || !matches!(unit, Unit::Day | Unit::Week | Unit::Month | Unit::Year) {
            return None;
        }
        let e = k + 1 + un;
        let streak = match self.lang {
            Lang::Es => self.word_in(e, &["consecutivo", "consecutiva", "seguido", "seguida"]),
            Lang::En => false,
        };
        if !streak {
            return None;
        }
        Some((e + 1, Sem::Rel { unit, off: 0 }))
    }

    /// "la última semana de marzo", "la primera semana de junio de 2009",
    /// "the last week of March".
    fn r_week_of_month(&self, k: usize) -> Option<(usize, Sem)> {
        let j = self.art(k);
        if j == k {
            return None;
        }
        let n = if self.word_in(j, &["última", "last", "final"]) {
            -1
        } else {
            let n = self.int(j, "ord")?;
            if !(1..=4).contains(&n) {
                return None;
            }
            n as i32
        };
        if !self.word_in(j + 1, &["semana", "week"]) || !self.word_in(j + 2, &["de", "del", "of"]) {
            return None;
        }
        let (e, month) = self.r_month(j + 3)?;
        if !matches!(
            month,
            Sem::MonthOnly { .. } | Sem::Month { .. } | Sem::InYear { .. }
        ) {
            return None;
        }
        Some((
            e,
            Sem::WeekOfMonth {
                n,
                month: Box::new(month),
            },
        ))
    }

    /// Holidays: "Thanksgiving Day", "last Thanksgiving", "Election Day",
    /// "Easter week", "Navidad", "la próxima Nochevieja", "Semana Santa".
    fn r_holiday(&self, k: usize) -> Option<(usize, Sem)> {
        let mut j = self.art(k);
        let mut dir = 0;
        if let Some(d) = self.int(j, "deictic") {
            if d == 1 || d == -1 {
                dir = d as i32;
                j += 1;
            }
        }
        let first = self.tok(j)?;
        if !first.cap {
            return None;
        }
        for (lang, words, h, week) in HOLIDAYS {
            if *lang != self.lang {
                continue;
            }
            if words.iter().enumerate().all(|(i, w)| self.low(j + i) == *w) {
                // "Reyes" needs its "Día de"; "Año Nuevo" needs both capitals
                if self.es()
                    && words.len() > 1
                    && !self.tok(j + words.len() - 1).is_some_and(|t| t.cap)
                {
                    continue;
                }
                return Some((
                    j + words.len(),
                    Sem::Holiday {
                        h: *h,
                        week: *week,
                        dir,
                    },
                ));
            }
        }
        None
    }

    /// "los 70 y 80": two decades written as bare round numbers.
    fn r_decade_pair(&self, k: usize) -> Option<(usize, Sem)> {
        if !self.es() {
            return None;
        }
        let dec = |i: usize| {
            self.digits(i)
                .filter(|d| *d < 100 && *d % 10 == 0 && *d >= 20)
                .filter(|_| self.tok(i).is_some_and(|t| t.low.len() == 2))
        };
        let d = dec(k)?;
        let first = k >= 1
            && self.low(k - 1) == "los"
            && self.word_in(k + 1, &["y", "e", "o"])
            && dec(k + 2).is_some();
        let second = k >= 3
            && self.word_in(k - 1, &["y", "e", "o"])
            && dec(k - 2).is_some()
            && self.low(k - 3) == "los";
        if !(first || second) {
            return None;
        }
        Some((k + 1, Sem::Decade(190 + d as i32 / 10)))
    }

    /// "el primer trimestre (de 2009)", "the third quarter", "third-quarter",
    /// "el cuarto trimestre", "the first half", "the quarter".
    fn r_quarter(&self, k: usize) -> Option<(usize, Sem)> {
        let had_art = self.is(k, "art");
        let mut j = self.art(k);
        let mut q = None;
        let mut pre_year = None;
        let mut year_back = false;
        if had_art {
            if let Some(y) = self.year_at(j) {
                pre_year = Some(y);
                j += 1;
            } else if self.word_in(j, &["year-earlier", "year-ago"])
                || (self.low(j) == "year"
                    && self.low(j + 1) == "-"
                    && self.word_in(j + 2, &["earlier", "ago"]))
            {
                year_back = true;
                j += if self.low(j) == "year" { 3 } else { 1 };
            }
        }
        if let Some(o) = self.int(j, "ord") {
            q = Some(o as u32);
            j += 1;
            if self.low(j) == "-" {
                j += 1;
            }
        } else if self.word_in(j, &["latest", "last", "current", "previous", "past"]) && had_art {
            j += 1;
        } else if !had_art {
            return None;
        }
        let w = self.low(j);
        let kind = match w {
            "trimestre" | "quarter" => 'Q',
            "period" if pre_year.is_some() || year_back => 'Q',
            "semestre" | "half" => 'H',
            _ => return None,
        };
        let mut e = j + 1;
        if self.es() && q.is_none() {
            if let Some(o) = self.int(e, "ord") {
                q = Some(o as u32);
                e += 1;
            }
        }
        let mut y = pre_year;
        if year_back {
            return Some((e, Sem::QuarterBack { q: q.unwrap_or(0) }));
        }
        if self.word_in(e, &["de", "del", "of"]) {
            let f = self.art(e + 1);
            if let Some(yy) = self.year_at(f) {
                y = Some(yy);
                e = f + 1;
            }
        } else if let Some(yy) = self.year_at(e) {
            y = Some(yy);
            e += 1;
        }
        match (kind, q) {
            ('Q', Some(q)) if (1..=4).contains(&q) => Some((e, Sem::Quarter { q, y })),
            ('Q', None) if y.is_some() => Some((e, Sem::Quarter { q: 0, y })),
            ('Q', None) => Some((e, Sem::Quarter { q: 0, y })),
            ('H', Some(h)) if (1..=2).contains(&h) => Some((e, Sem::HalfYear { h, y })),
            _ => None,
        }
    }

    /// "el verano de 1991", "last fall", "la primavera pasada", "this summer".
    fn r_season(&self, k: usize) -> Option<(usize, Sem)> {
        let had_art = self.is(k, "art");
        let mut j = self.art(k);
        let mut dir = 0;
        let mut had_det = had_art;
        if let Some(d) = self.int(j, "deictic") {
            dir = d as i32;
            had_det = true;
            j += 1;
        }
        let s = self.get(j, "season")?.to_string();
        let mut e = j + 1;
        if dir == 0 {
            if let Some(d) = self.int(e, "deictic") {
                dir = d as i32;
                e += 1;
            }
        }
        let mut y = None;
        if let Some((yy, n)) = self.year_tail(e) {
            y = Some(yy);
            e += n;
        }
        if self.lang == Lang::En && !had_det && y.is_none() {
            return None;
        }
        Some((e, Sem::Season { s, y, dir }))
    }

    /// "esta mañana", "la tarde", "por la noche", "this morning".
    fn r_pod(&self, k: usize) -> Option<(usize, Sem)> {
        let mut j = k;
        if self.word_in(j, &["por", "en", "a"]) && self.low(j + 1) == "la" {
            j += 1;
        }
        let mut base = Sem::RelDay(0);
        let mut det = false;
        if self.is(j, "art") {
            j += 1;
            det = true;
        } else if let Some(d) = self
            .get(j, "deictic")
            .filter(|d| *d == "0" || d.ends_with('a'))
        {
            det = true;
            if d.ends_with('a') {
                base = Sem::Anaph {
                    unit: Unit::Day,
                    off: 0,
                };
            }
            j += 1;
        }
        if !det {
            return None;
        }
        let pod = self.get(j, "pod")?.to_string();
        let mut e = j + 1;
        // "on the night of Friday, Oct. 23": TimeML marks the date alone
        if self.lang == Lang::En && self.low(e) == "of" && self.day_expr(e + 1).is_some() {
            return None;
        }
        // "la mañana del día 10", "la noche del viernes"
        if self.word_in(e, &["del", "de"]) {
            if let Some((f, sem)) = self.day_expr(e) {
                base = sem;
                e = f;
            }
        }
        Some((
            e,
            Sem::Pod {
                base: Box::new(base),
                pod,
            },
        ))
    }

    /// A day-level expression (for attachments): "del viernes", "de hoy", "del 3 de mayo".
    fn day_expr(&self, k: usize) -> Option<(usize, Sem)> {
        let j = if self.word_in(k, &["de", "del", "on"]) {
            k + 1
        } else {
            k
        };
        let mut best: Option<(usize, Sem)> = None;
        for r in [
            Self::r_weekday as fn(&Self, usize) -> Option<(usize, Sem)>,
            Self::r_day_month,
            Self::r_day_of_month,
            Self::r_phrase_day,
        ] {
            if let Some((e, s)) = r(self, j) {
                if is_day_level(&s) && best.as_ref().is_none_or(|b| e > b.0) {
                    best = Some((e, s));
                }
            }
        }
        best
    }

    fn r_phrase_day(&self, k: usize) -> Option<(usize, Sem)> {
        let (p, n) = self.phrase(k)?;
        let v = p.value.strip_prefix('D')?;
        if v.contains('T') {
            return None;
        }
        let off: i64 = v.trim_start_matches('+').parse().ok()?;
        Some((k + n, Sem::RelDay(off)))
    }

    /// Fixed phrases from `phrases.tsv`.
    fn r_phrase(&self, k: usize) -> Option<(usize, Sem)> {
        let (p, n) = self.phrase(k)?;
        // "high noon comes today": the idiom for a decisive moment
        if self.lang == Lang::En && k > 0 && self.low(k - 1) == "high" && p.ttype == "TIME" {
            return None;
        }
        // "mañana" after "la/esta/por la" is a part of the day (r_pod), not tomorrow
        if let Some(v) = p.value.strip_prefix('D') {
            let (off, pod) = match v.split_once('T') {
                Some((o, p)) => (o, Some(p)),
                None => (v, None),
            };
            let off: i64 = off.trim_start_matches('+').parse().ok()?;
            let base = Sem::RelDay(off);
            return Some((
                k + n,
                match pod {
                    None => base,
                    Some(p) if p.contains(':') => {
                        let (h, m) = p.split_once(':')?;
                        Sem::Time {
                            base: Some(Box::new(base)),
                            h: h.parse().ok()?,
                            mi: m.parse().ok()?,
                            zone: None,
                        }
                    }
                    Some(p) => Sem::Pod {
                        base: Box::new(base),
                        pod: p.to_string(),
                    },
                },
            ));
        }
        let unit_rel = p
            .value
            .get(1..2)
            .filter(|c| *c == "+" || *c == "-")
            .and_then(|_| {
                let unit = match p.value.get(..1)? {
                    "Y" => Unit::Year,
                    "M" => Unit::Month,
                    "W" => Unit::Week,
                    "Q" => Unit::Quarter,
                    _ => return None,
                };
                let off: i64 = p.value.get(1..)?.trim_start_matches('+').parse().ok()?;
                Some(Sem::Rel { unit, off })
            });
        if let Some(sem) = unit_rel {
            // "for the year ended March 31": a year-long period, not this year
            if matches!(
                sem,
                Sem::Rel {
                    unit: Unit::Year,
                    off: 0
                }
            ) && self.lang == Lang::En
                && self.word_in(k + n, &["ended", "ending"])
            {
                return Some((k + n, Sem::Dur(vec![(Some(1.0), Unit::Year)])));
            }
            return Some((k + n, sem));
        }
        // "en el momento del cierre", "the moment of the crash": the time of
        // an event named after it, not the present
        if p.value == "PRESENT_REF"
            && self.low(k + n - 1) == "momento"
            && (self.low(k + n) == "del" || (self.low(k + n) == "de" && self.is(k + n + 1, "art")))
        {
            return None;
        }
        if p.ttype == "SET" {
            let prev = if k > 0 { self.low(k - 1) } else { "" };

            if n == 1
                && [
                    "el", "este", "un", "del", "al", "ese", "su", "nuestro", "the", "a", "this",
                    "that",
                ]
                .contains(&prev)
            {
                return None;
            }
            return Some((k + n, Sem::Set(p.value.clone())));
        }
        Some((
            k + n,
            Sem::Literal {
                ttype: p.ttype.clone(),
                value: p.value.clone(),
            },
        ))
    }

    /// Clock times: "a las 15:00", "las 10 de la mañana", "3 p.m. EDT",
    /// "12:15", "las dos menos cinco", "10 o'clock".
    fn r_time(&self, k: usize) -> Option<(usize, Sem)> {
        let mut j = k;
        let mut las = false;
        if self.es() && self.word_in(j, &["las", "la"]) {
            las = true;
            j += 1;
        }
        let t = self.tok(j)?;
        let (mut h, mut mi, mut e);
        let mut strong = false;
        let mut word_over_12 = false;
        if t.kind == TokKind::Number && (t.low.contains(':') || (las && t.low.contains('.'))) {
            let (a, b) = t.low.split_once([':', '.'])?;
            if b.len() != 2 || b.contains([':', '.']) {
                return None;
            }
            h = a.parse().ok()?;
            mi = b.parse().ok()?;
            e = j + 1;
            strong = true;
        } else if let Some(d) = self.digits(j) {
            if t.low.len() > 2 {
                return None;
            }
            h = d;
            mi = 0;
            e = j + 1;
        } else if las {
            let (v, n) = self.number(j)?;
            if v.fract() != 0.0 || !(1.0..=24.0).contains(&v) || n != 1 {
                return None;
            }
            h = v as u32;
            mi = 0;
            e = j + n;
            // "las dieciocho (que ...)": a 24-hour word needs a clock cue
            word_over_12 = v > 12.0;
        } else {
            return None;
        }
        if h > 24 || mi > 59 {
            return None;
        }
        // "y media", "y cuarto", "menos cuarto", "menos 5"
        if self.es() && las {
            if self.low(e) == "y" && self.word_in(e + 1, &["media", "cuarto"]) {
                mi = if self.low(e + 1) == "media" { 30 } else { 15 };
                e += 2;
            } else if self.low(e) == "menos" {
                if self.low(e + 1) == "cuarto" {
                    mi = 45;
                    h = if h == 0 { 23 } else { h - 1 };
                    e += 2;
                } else if let Some((v, n)) = self.number(e + 1) {
                    if (1.0..30.0).contains(&v) {
                        mi = 60 - v as u32;
                        h = if h == 0 { 23 } else { h - 1 };
                        e += 1 + n;
                    }
                }
            }
        }
        if self.word_in(e, &["horas", "h", "hs", "hrs", "hora"])
            && !self.word_in(e + 1, &["local", "locales"])
        {
            if !strong && !las {
                return None;
            }
            e += 1;
            strong = true;
        }
        // a.m. / p.m.
        let ampm = self.low(e).replace('.', "");
        if ampm == "am" || ampm == "pm" || ampm == "a" && self.low(e + 1) == "m" {
            if h > 12 {
                return None;
            }
            if ampm == "pm" && h < 12 {
                h += 12;
            }
            if ampm == "am" && h == 12 {
                h = 0;
            }
            e += 1;
            strong = true;
        } else if self.low(e) == "o'clock" {
            e += 1;
            strong = true;
        } else if self.es() && self.word_in(e, &["de", "por"]) && self.low(e + 1) == "la" {
            if let Some(p) = self.get(e + 2, "pod") {
                if (p == "AF" || p == "NI") && h < 12 {
                    h += 12;
                }
                e += 3;
                strong = true;
            }
        } else if (self.es() && self.low(e) == "del" && self.low(e + 1) == "mediodía")
            || (self.low(e) == "en" && self.low(e + 1) == "punto")
        {
            // "las 12 del mediodía", "las 5 en punto"
            e += 2;
            strong = true;
        }
        // the value keeps UTC ("Z") and writes local zones' clock time as
        // is ("9 a.m. EST" -> T09:00), as the TimeML gold sets do
        let utc = |z: &str| (z == "Z").then(|| z.to_string());
        let mut zone = None;
        if let Some(z) = self.get(e, "zone") {
            if self.tok(e).is_some_and(|t| t.cap || t.low.len() > 1) {
                zone = utc(z);
                e += 1;
                strong = true;
            }
        } else if self.low(e) == "(" {
            if let Some(z) = self.get(e + 1, "zone") {
                if self.low(e + 2) == ")" {
                    zone = utc(z);
                    e += 3;
                }
            }
        } else if self.word_in(e, &["hora", "horas"]) && self.word_in(e + 1, &["local", "locales"])
        {
            e += 2;
            strong = true;
        }
        if !strong && word_over_12 {
            return None;
        }
        if !strong {
            // "las 10" alone: only before punctuation or a preposition
            let next_ok = match self.tok(e) {
                None => true,
                Some(t) => {
                    t.kind == TokKind::Punct
                        || [
                            "de", "del", "en", "y", "a", "para", "con", "cuando", "que", "por",
                        ]
                        .contains(&t.low.as_str())
                }
            };
            if !(las && next_ok) {
                return None;
            }
        }
        // "cuarto para las 5", "diez para las 11": minutes before the hour
        if self.es() && las && k >= 2 && self.low(k - 1) == "para" && mi == 0 {
            let before = if self.low(k - 2) == "cuarto" {
                Some(15)
            } else {
                self.tok(k - 2)
                    .filter(|t| t.kind != TokKind::Punct)
                    .and_then(|_| {
                        self.int(k - 2, "num")
                            .or_else(|| self.digits(k - 2).map(i64::from))
                    })
                    .filter(|v| (1..30).contains(v))
                    .map(|v| v as u32)
            };
            if let Some(b) = before {
                mi = 60 - b;
                h = if h == 0 { 23 } else { h - 1 };
            }
        }
        // attached day: "las 15:00 del viernes"
        let mut base = None;
        // "5 p.m. EST Nov. 9", "5 p.m. EST, Nov. 6"
        let en_date = self.lang == Lang::En
            && (self.is(e, "month") || (self.low(e) == "," && self.is(e + 1, "month")));
        let d0 = if en_date && self.low(e) == "," {
            e + 1
        } else {
            e
        };
        if let Some((f, sem)) = self.day_expr(d0) {
            if self.word_in(e, &["de", "del", "on"]) || self.is(e, "weekday") || en_date {
                base = Some(Box::new(sem));
                e = f;
            }
        }
        Some((e, Sem::Time { base, h, mi, zone }))
    }

    /// Amount before a unit: number, "un", "medio", vague words.
    fn amount_at(&self, k: usize) -> Option<(Option<f64>, usize)> {
        let w = self.low(k);
        match w {
            "varios" | "varias" | "algunos" | "algunas" | "muchos" | "muchas" | "pocos"
            | "pocas" | "several" | "many" | "few" | "some" | "numerosos" | "numerosas" => {
                return Some((None, 1))
            }
            "unos" | "unas" if self.es() => return Some((None, 1)),
            "medio" | "media" | "half" => {
                if self.low(k + 1) == "a" || self.low(k + 1) == "an" {
                    return Some((Some(0.5), 2));
                }
                return Some((Some(0.5), 1));
            }
            "a" | "an" if self.lang == Lang::En => {
                if self.low(k + 1) == "few" || self.low(k + 1) == "couple" {
                    let of = if self.low(k + 2) == "of" { 1 } else { 0 };
                    let n = if self.low(k + 1) == "few" {
                        None
                    } else {
                        Some(2.0)
                    };
                    return Some((n, 2 + of));
                }
                return Some((Some(1.0), 1));
            }
            "un" if self.es() && self.low(k + 1) == "par" && self.low(k + 2) == "de" => {
                return Some((Some(2.0), 3));
            }
            _ => {}
        }
        let (v, n) = self.number(k)?;
        Some((Some(v), n))
    }

    /// Durations: "dos días", "10 años", "más de un año", "los últimos
    /// meses", "the past two months", "two-year", "dos años y tres meses",
    /// "hora y media", "years"; with "hace"/"ago"/"dentro de" a date.
    fn r_duration(&self, k: usize) -> Option<(usize, Sem)> {
        let mut j = k;
        let mut ago_pre = 0i64;
        if self.es() && self.low(j) == "hace" {
            ago_pre = -1;
            j += 1;
            if self.word_in(j, &["sólo", "solo", "ya", "apenas", "escasamente", "tan"]) {
                j += 1;
            }
            if let Some((_, n)) = self.modifier(j) {
                if self.amount_at(j + n).is_some() {
                    j += n;
                }
            }
        } else if self.es() && self.low(j) == "dentro" && self.low(j + 1) == "de" {
            ago_pre = 1;
            j += 2;
        }
        let had_art = self.is(j, "art");
        let mut j2 = self.art(j);
        let mut span_word = false;
        if self.word_in(
            j2,
            &[
                "últimos",
                "últimas",
                "próximos",
                "próximas",
                "primeros",
                "primeras",
                "past",
                "last",
                "next",
                "first",
                "previous",
                "coming",
            ],
        ) {
            j2 += 1;
            span_word = true;
        }
        if had_art && !span_word && self.lang == Lang::Es && ago_pre == 0 {
            // "los 65 años" (ages) stay durations, "las 35 horas" too
        }
        if had_art
            && self
                .tok(j2)
                .is_some_and(|t| t.kind == TokKind::Number && !t.low.contains(','))
        {
            return None;
        }
        if had_art && self.year_at(j2).is_some() {
            return None;
        }
        let mut parts: Vec<(Option<f64>, Unit)> = Vec::new();
        let mut e;
        match self.amount_at(j2) {
            Some((amt, n)) => {
                let mut u = j2 + n;
                // "los cinco últimos años", "los 100 primeros días"
                if had_art
                    && !span_word
                    && self.word_in(
                        u,
                        &[
                            "últimos",
                            "últimas",
                            "primeros",
                            "primeras",
                            "próximos",
                            "próximas",
                            "pasados",
                            "pasadas",
                        ],
                    )
                {
                    u += 1;
                }
                // "6-year-old" is an age
                if self.lang == Lang::En
                    && self.low(u) == "-"
                    && self.low(u + 2) == "-"
                    && self.low(u + 3) == "old"
                {
                    return None;
                }
                // "two-year"
                if self.low(u) == "-" {
                    u += 1;
                }
                // "tres cuartos de hora": quarters of the unit
                let mut amt = amt;
                if self.es()
                    && self.word_in(u, &["cuarto", "cuartos"])
                    && self.low(u + 1) == "de"
                    && self.unit_at(u + 2).is_some()
                {
                    amt = amt.map(|v| v * 0.25);
                    u += 2;
                }
                // "de tres a cinco horas", "tres o cuatro días": the first
                // number is a duration of the same unit (TimeBank-es)
                if self.es() && amt.is_some() && !had_art && self.word_in(u, &["a", "o", "u"]) {
                    if let Some((Some(_), n2)) = self.amount_at(u + 1) {
                        if let Some((unit, _, _)) = self.unit_at(u + 1 + n2) {
                            return Some((u, Sem::Dur(vec![(amt, unit)])));
                        }
                    }
                }
                let (unit, plural, un) = self.unit_at(u)?;
                if amt == Some(1.0) && plural && self.lang == Lang::Es {
                    return None;
                }
                parts.push((amt, unit));
                e = u + un;
            }
            None => {
                // bare unit: "años", "los últimos días", "years"
                let (unit, plural, un) = self.unit_at(j2)?;
                if !plural {
                    if self.es()
                        && self.low(j2) == "hora"
                        && self.low(j2 + 1) == "y"
                        && self.low(j2 + 2) == "media"
                    {
                        return Some((j2 + 3, Sem::Dur(vec![(Some(1.5), Unit::Hour)])));
                    }
                    return None;
                }
                if matches!(unit, Unit::Second | Unit::Quarter) && !span_word {
                    return None;
                }
                if had_art && !span_word {
                    return None;
                }
                parts.push((None, unit));
                e = j2 + un;
            }
        }
        // "y medio/media", "y tres meses", ", 6 meses y cuarenta y un días"
        loop {
            if self.low(e) == "y" && self.word_in(e + 1, &["medio", "media"]) {
                if let Some(last) = parts.last_mut() {
                    if let Some(v) = last.0 {
                        last.0 = Some(v + 0.5);
                    }
                }
                e += 2;
                continue;
            }
            // "tres horas y cuarto", "dos días y tres cuartos"
            if self.es() && self.low(e) == "y" {
                let frac = if self.low(e + 1) == "cuarto" {
                    Some((0.25, 2))
                } else if self.low(e + 1) == "tres" && self.low(e + 2) == "cuartos" {
                    Some((0.75, 3))
                } else {
                    None
                };
                if let (Some((f, n)), Some(last)) = (frac, parts.last_mut()) {
                    if let Some(v) = last.0 {
                        last.0 = Some(v + f);
                        e += n;
                        continue;
                    }
                }
            }
            if self.word_in(e, &["y", "and", ","]) {
                let f = if self.low(e) == "," && self.word_in(e + 1, &["y", "and"]) {
                    e + 2
                } else {
                    e + 1
                };
                if let Some((amt, n)) = self.amount_at(f) {
                    if let Some((unit, _, un)) = self.unit_at(f + n) {
                        // a unit already counted starts another duration
                        // ("un año y 2 meses, y dos años y 3 meses")
                        if amt.is_some() && parts.iter().all(|p| p.1 != unit) {
                            parts.push((amt, unit));
                            e = f + n + un;
                            continue;
                        }
                    }
                }
            }
            break;
        }
        if ago_pre != 0 {
            let (n, unit) = parts.first().copied()?;
            // "hace unas horas": earlier the same day
            if n.is_none() && ago_pre < 0 && matches!(unit, Unit::Hour | Unit::Minute) {
                return Some((e, Sem::RelDay(0)));
            }
            if n.is_none() {
                return Some((e, Sem::Dur(parts)));
            }
            return Some((
                e,
                Sem::Ago {
                    n,
                    unit,
                    sign: ago_pre,
                    anaphoric: false,
                },
            ));
        }
        match self.low(e) {
            "ago" | "earlier" if self.lang == Lang::En && !span_word => {
                let (n, unit) = parts.first().copied()?;
                return Some((
                    e + 1,
                    Sem::Ago {
                        n,
                        unit,
                        sign: -1,
                        anaphoric: false,
                    },
                ));
            }
            // "three days later", "a month after the vote": TimeML marks the
            // length ("three days", DURATION P3D) and leaves the signal out
            "later" | "after" if self.lang == Lang::En && !span_word => {
                return Some((e, Sem::Dur(parts)));
            }
            "después" | "más" | "antes" if self.es() && !span_word => {
                // Spanish TimeBank/MEANTIME: "un día después" is a duration with that extent
                if self.low(e) == "más" && self.low(e + 1) != "tarde" {
                    return Some((e, Sem::Dur(parts)));
                }
                let used = if self.low(e) == "más" { 2 } else { 1 };
                return Some((e + used, Sem::Dur(parts)));
            }
            _ => {}
        }
        Some((e, Sem::Dur(parts)))
    }

    /// Sets: "cada dos meses", "every Monday", "los jueves", "tres veces a la semana".
    fn r_set(&self, k: usize) -> Option<(usize, Sem)> {
        let w = self.low(k);
        if w == "cada" || w == "every" || w == "each" || (w == "todos" && self.low(k + 1) == "los")
        {
            let j = if w == "todos" { k + 2 } else { k + 1 };
            if let Some(wd) = self.int(j, "weekday").or_else(|| self.int(j, "weekdays")) {
                // "cada lunes a las 10", "every Monday at 9 a.m."
                let t = if self.word_in(j + 1, &["a", "at"]) {
                    j + 2
                } else {
                    j + 1
                };
                if let Some((
                    e,
                    Sem::Time {
                        base: None,
                        h,
                        mi,
                        zone: None,
                    },
                )) = self.r_time(t)
                {
                    if e > t {
                        return Some((e, Sem::Set(format!("XXXX-WXX-{wd}T{h:02}:{mi:02}"))));
                    }
                }
                return Some((j + 1, Sem::Set(format!("XXXX-WXX-{wd}"))));
            }
            let (amt, n) = self.amount_at(j).unwrap_or((Some(1.0), 0));
            let (unit, _, un) = self.unit_at(j + n)?;
            let v = dur_value(&[(amt, unit)]);
            return Some((j + n + un, Sem::Set(v)));
        }
        if (w == "los" && self.es()) || (self.lang == Lang::En && self.is(k, "weekdays")) {
            let j = if w == "los" { k + 1 } else { k };
            let wd = self.int(j, "weekday").or_else(|| self.int(j, "weekdays"))?;
            if self.es() && !(self.low(j).ends_with('s')) {
                return None;
            }
            return Some((j + 1, Sem::Set(format!("XXXX-WXX-{wd}"))));
        }
        // "N veces al día"
        if let Some((_, n)) = self.number(k) {
            if self.word_in(k + n, &["veces", "vez", "times"]) {
                if let Some((p, pn)) = self.phrase(k + n + 1) {
                    if p.ttype == "SET" {
                        return Some((k + n + 1 + pn, Sem::Set(p.value.clone())));
                    }
                }
            }
        }
        None
    }

    /// Prefix modifiers: "a finales de", "principios del", "mediados de",
    /// "early", "late", "mid-", "the end of": (mod, tokens).
    fn prefix_mod(&self, k: usize) -> Option<(&'static str, usize)> {
        let mut j = k;
        if self.es() {
            if self.word_in(j, &["a", "hacia"]) {
                j += 1;
            }
            let j0 = j;
            if self.is(j, "art") {
                j += 1;
            }
            let m = match self.low(j) {
                "principios" | "comienzos" | "inicios" | "comienzo" | "inicio" | "principio" => {
                    "START"
                }
                "mediados" | "mitad" => "MID",
                "finales" | "fines" | "final" | "fin" => "END",
                _ => return None,
            };
            if self.low(j) == "fin" && self.low(j + 1) == "de" && self.low(j + 2) == "semana" {
                return None;
            }
            let _ = j0;
            if self.word_in(j + 1, &["de", "del"]) {
                let used = if self.low(j + 1) == "del" { 1 } else { 2 };
                // "del" = "de" + article: leave the article implicit
                return Some((m, j + used + if used == 1 { 1 } else { 0 } - k));
            }
            return None;
        }
        if self.low(j) == "the" {
            j += 1;
        }
        match self.low(j) {
            "early" | "late" | "mid" => {
                let m = match self.low(j) {
                    "early" => "START",
                    "mid" => "MID",
                    _ => "END",
                };
                let mut e = j + 1;
                if self.low(e) == "-" {
                    e += 1;
                }
                if self.low(e) == "in" {
                    e += 1;
                }
                Some((m, e - k))
            }
            "end" | "beginning" | "start" | "middle" | "turn" => {
                if self.low(j + 1) != "of" {
                    return None;
                }
                let m = match self.low(j) {
                    "end" => "END",
                    "middle" => "MID",
                    _ => "START",
                };
                Some((m, j + 2 - k))
            }
            "earlier" | "later" => Some(("", j + 1 - k)),
            _ => None,
        }
    }

    /// The longest core expression at `k`.
    fn core(&self, k: usize) -> Option<(usize, Sem)> {
        let rules: [Rule<'a>; 24] = [
            Self::r_numeric,
            Self::r_same_back,
            Self::r_session_day,
            Self::r_decade_pair,
            Self::r_streak,
            Self::r_week_of_month,
            Self::r_holiday,
            Self::r_year_back,
            Self::r_list_day,
            Self::r_day_month,
            Self::r_day_of_month,
            Self::r_month,
            Self::r_year,
            Self::r_decade,
            Self::r_century,
            Self::r_weekday,
            Self::r_rel_unit,
            Self::r_quarter,
            Self::r_season,
            Self::r_pod,
            Self::r_phrase,
            Self::r_time,
            Self::r_duration,
            Self::r_set,
        ];
        let mut best: Option<(usize, Sem)> = None;
        for r in rules {
            if let Some((e, s)) = r(self, k) {
                if e > k && best.as_ref().is_none_or(|b| e > b.0) {
                    best = Some((e, s));
                }
            }
        }
        // "a year-earlier loss", "the year-ago results": not "a year" /
        // "the year" but the adjective after it (r_year_back)
        if let Some((e, _)) = &best {
            if *e > k + 1 && self.year_back_at(*e - 1) {
                return None;
            }
        }
        best
    }

    /// "year-earlier" / "year-ago" at `k` (three tokens).
    fn year_back_at(&self, k: usize) -> bool {
        self.lang == Lang::En
            && self.low(k) == "year"
            && self.low(k + 1) == "-"
            && self.word_in(k + 2, &["earlier", "ago"])
            && self.tok(k + 1).is_some_and(|t| !t.space_before)
    }

    /// "a year-earlier loss", "year-ago results": the same quarter a year
    /// back in a quarterly report, else the year before.
    fn r_year_back(&self, k: usize) -> Option<(usize, Sem)> {
        if !self.year_back_at(k) {
            return None;
        }
        // "the year-earlier quarter" is r_quarter's
        if self.word_in(k + 3, &["quarter", "period", "half"]) {
            return None;
        }
        let sem = if self.quarterly {
            Sem::QuarterBack { q: 0 }
        } else {
            Sem::Rel {
                unit: Unit::Year,
                off: -1,
            }
        };
        Some((k + 3, sem))
    }

    /// A year after a month, day, quarter, half or season at `e`: "del año
    /// pasado", "de este año", "del 2009", "last year" (English: adjacent).
    fn in_year(&self, base: &Sem, e: usize) -> Option<(usize, Sem)> {
        let yearless = match base {
            Sem::MonthOnly { dir: 0, .. } | Sem::MonthDay { dir: 0, .. } => true,
            Sem::Quarter { y: None, .. } | Sem::HalfYear { y: None, .. } => true,
            Sem::Season {
                y: None, dir: 0, ..
            } => true,
            Sem::Rel {
                unit: Unit::Quarter,
                off: -1,
            } => self.es(),
            _ => false,
        };
        if !yearless {
            return None;
        }
        let f = match self.lang {
            Lang::Es if self.word_in(e, &["del", "de"]) => {
                if self.low(e) == "del" {
                    e
                } else {
                    e + 1
                }
            }
            Lang::En if self.word_in(e, &["last", "this", "next"]) => e,
            _ => return None,
        };
        // "el último trimestre del 2009": the fourth quarter
        if let Sem::Rel { .. } = base {
            let g = if self.low(f) == "del" {
                f + 1
            } else {
                self.art(f)
            };
            let y = self.year_at(g)?;
            return Some((g + 1, Sem::Quarter { q: 4, y: Some(y) }));
        }
        let (g, rel) = self.r_rel_unit(f)?;
        let (off, anaphoric) = match rel {
            Sem::Rel {
                unit: Unit::Year,
                off,
            } => (off, false),
            Sem::Anaph {
                unit: Unit::Year,
                off,
            } => (off, true),
            _ => return None,
        };
        Some((
            g,
            Sem::InYear {
                base: Box::new(base.clone()),
                off,
                anaphoric,
            },
        ))
    }

    /// The expression starting at token `k`, with modifiers and attachments.
    pub fn parse_at(&self, k: usize) -> Option<Match> {
        let t = self.tok(k)?;
        if t.kind == TokKind::Punct && t.low != "'" && t.low != "’" {
            return None;
        }
        let mut best: Option<Match> = None;
        // prefix modifier (START/MID/END) + core
        if let Some((m, n)) = self.prefix_mod(k) {
            let j = k + n;
            let inner = self.core(j).or_else(|| {
                // "mid afternoon", "mid-morning Friday": a part of today or of
                // the day named after it
                if self.lang == Lang::En {
                    // "the early summer": the article before the modifier
                    // determines the season
                    if self.low(k) == "the" {
                        if let Some(season) = self.get(j, "season") {
                            return Some((
                                j + 1,
                                Sem::Season {
                                    s: season.to_string(),
                                    y: None,
                                    dir: 0,
                                },
                            ));
                        }
                    }
                    if let Some(pod) = self.get(j, "pod") {
                        let (e, base) = self
                            .day_expr(j + 1)
                            .filter(|(e, _)| *e > j + 1)
                            .unwrap_or((j + 1, Sem::RelDay(0)));
                        return Some((
                            e,
                            Sem::Pod {
                                base: Box::new(base),
                                pod: pod.to_string(),
                            },
                        ));
                    }
                }
                // "principios de año", "finales de mes"
                let (unit, plural, un) = self.unit_at(j)?;
                if plural {
                    return None;
                }
                Some((j + un, Sem::Rel { unit, off: 0 }))
            });
            if let Some((e, sem)) = inner {
                if !matches!(sem, Sem::Dur(_) | Sem::Set(_) | Sem::Time { .. }) {
                    best = Some(Match {
                        start: k,
                        end: e,
                        sem,
                        mod_: if m.is_empty() {
                            None
                        } else {
                            Some(m.to_string())
                        },
                    });
                }
            }
        }
        // quantity modifiers before durations: "más de un año"
        if let Some((m, n)) = self.modifier(k) {
            if let Some((e, sem)) = self.r_duration(k + n) {
                if matches!(sem, Sem::Dur(_)) && best.as_ref().is_none_or(|b| e > b.end) {
                    best = Some(Match {
                        start: k,
                        end: e,
                        sem,
                        mod_: Some(m.to_string()),
                    });
                }
            }
        }
        if let Some((e, sem)) = self.core(k) {
            if best.as_ref().is_none_or(|b| e > b.end) {
                best = Some(Match {
                    start: k,
                    end: e,
                    sem,
                    mod_: None,
                });
            }
        }
        let mut m = best?;
        // "el 3 de octubre de 1932 antes de Cristo"
        if let Sem::Day(d) = m.sem {
            if let Some((bce, en)) = self.era_at(m.end) {
                m.end += en;
                if bce {
                    m.sem = Sem::Literal {
                        ttype: "DATE".into(),
                        value: format!("BCE{}", d.fmt_day()),
                    };
                }
            }
        } else if let Sem::Year(y) = m.sem {
            if let Some((bce, en)) = self.era_at(m.end) {
                m.end += en;
                if bce {
                    m.sem = Sem::Literal {
                        ttype: "DATE".into(),
                        value: format!("BCE{y:04}"),
                    };
                }
            }
        }
        // "dos días cada semana", "tres días a la semana": a set
        if let Sem::Dur(parts) = &m.sem {
            if self.es() && parts.len() == 1 && parts[0].0.is_some() {
                let set = self.r_set(m.end).or_else(|| {
                    let (p, n) = self.phrase(m.end)?;
                    (p.ttype == "SET" && n > 1).then(|| (m.end + n, Sem::Set(p.value.clone())))
                });
                if let Some((e, sem @ Sem::Set(_))) = set {
                    m.sem = sem;
                    m.end = e;
                    m.mod_ = None;
                }
            }
        }
        // "septiembre del año pasado", "el primer trimestre del año que
        // viene", "June last year", "el último trimestre del 2009"
        if m.mod_.is_none() || matches!(m.sem, Sem::MonthOnly { .. } | Sem::Quarter { .. }) {
            if let Some((e, sem)) = self.in_year(&m.sem, m.end) {
                m.sem = sem;
                m.end = e;
            }
        }
        // "noon Thursday", "midnight Friday": a clock phrase takes the day after it
        if let Sem::Time {
            base: Some(b),
            h,
            mi,
            zone,
        } = &m.sem
        {
            if matches!(**b, Sem::RelDay(0)) && m.end == m.start + 1 {
                if let Some((e, day)) = self.day_expr(m.end).filter(|(e, _)| *e > m.end) {
                    m.sem = Sem::Time {
                        base: Some(Box::new(day)),
                        h: *h,
                        mi: *mi,
                        zone: zone.clone(),
                    };
                    m.end = e;
                }
            }
        }
        // attachments to a day: ", jueves", ", 19 de diciembre", "a las 15:00", "por la mañana"
        if is_day_level(&m.sem) && m.mod_.is_none() {
            let e = m.end;
            let f = if self.low(e) == "," { e + 1 } else { e };
            if let Some((g, sem)) = self.r_day_month(f).or_else(|| self.r_weekday(f)) {
                if g > f && is_day_level(&sem) && matches!(m.sem, Sem::RelDay(_)) {
                    m.end = g;
                    if matches!(sem, Sem::Day(_)) {
                        m.sem = sem;
                    }
                }
            }
            let e = m.end;
            let tstart = if self.word_in(e, &["a", "at", "sobre", "hacia"]) {
                e + 1
            } else {
                e
            };
            if let Some((
                g,
                Sem::Time {
                    h,
                    mi,
                    zone,
                    base: None,
                },
            )) = self.r_time(tstart)
            {
                if g > tstart && (tstart > e || self.es()) {
                    m.sem = Sem::Time {
                        base: Some(Box::new(m.sem.clone())),
                        h,
                        mi,
                        zone,
                    };
                    m.end = g;
                }
            }
            let e = m.end;
            if let Some(pod) = self.get(e, "pod") {
                // TempEval-3: "Friday night" / "Friday morning" are the date
                // of Friday (its annotators add those parts of the day about
                // half the time: adding them lost 5 and 3 values on TBAQ),
                // "Friday evening" is always TEV
                if self.lang == Lang::En && !matches!(m.sem, Sem::Time { .. }) {
                    m.end = e + 1;
                    if pod == "EV" {
                        m.sem = Sem::Pod {
                            base: Box::new(m.sem.clone()),
                            pod: pod.to_string(),
                        };
                    }
                }
            } else if self.es() && self.word_in(e, &["por", "en", "a"]) && self.low(e + 1) == "la" {
                if let Some(pod) = self.get(e + 2, "pod") {
                    if !matches!(m.sem, Sem::Time { .. }) {
                        m.sem = Sem::Pod {
                            base: Box::new(m.sem.clone()),
                            pod: pod.to_string(),
                        };
                        m.end = e + 3;
                    }
                }
            }
        }
        Some(m)
    }
}

fn roman(s: &str) -> Option<i64> {
    if s.is_empty() || !s.chars().all(|c| matches!(c, 'i' | 'v' | 'x' | 'l')) {
        return None;
    }
    let val = |c| match c {
        'i' => 1,
        'v' => 5,
        'x' => 10,
        _ => 50,
    };
    let cs: Vec<i64> = s.chars().map(val).collect();
    let mut total = 0;
    for (i, v) in cs.iter().enumerate() {
        if cs.get(i + 1).is_some_and(|n| n > v) {
            total -= v;
        } else {
            total += v;
        }
    }
    Some(total)
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// TIMEX3 duration value of parts: P2Y3MT2M, PXD, PT1.5H.
pub fn dur_value(parts: &[(Option<f64>, Unit)]) -> String {
    let mut date = String::new();
    let mut time = String::new();
    // largest unit first: "dos días y una semana" is P1W2D
    let rank = |u: &Unit| match u {
        Unit::Millennium => 0,
        Unit::Century => 1,
        Unit::Decade => 2,
        Unit::Lustrum => 3,
        Unit::Year => 4,
        Unit::Half => 5,
        Unit::Quarter => 6,
        Unit::Month => 7,
        Unit::Fortnight => 8,
        Unit::Week => 9,
        Unit::Weekend => 10,
        Unit::Day => 11,
        Unit::Hour => 12,
        Unit::Minute => 13,
        Unit::Second => 14,
    };
    let mut parts = parts.to_vec();
    parts.sort_by_key(|p| rank(&p.1));
    for (n, u) in &parts {
        let (mult, des, is_time) = match u {
            Unit::Year => (1.0, "Y", false),
            Unit::Month => (1.0, "M", false),
            Unit::Week => (1.0, "W", false),
            Unit::Day => (1.0, "D", false),
            Unit::Hour => (1.0, "H", true),
            Unit::Minute => (1.0, "M", true),
            Unit::Second => (1.0, "S", true),
            Unit::Decade => (1.0, "DE", false),
            Unit::Century => (1.0, "CE", false),
            Unit::Quarter => (1.0, "Q", false),
            Unit::Half => (6.0, "M", false),
            Unit::Weekend => (1.0, "WE", false),
            Unit::Lustrum => (5.0, "Y", false),
            Unit::Fortnight => (2.0, "W", false),
            Unit::Millennium => (1.0, "ML", false),
        };
        let (mult, des, is_time) = match (u, n) {
            (Unit::Decade, Some(_)) => (10.0, "Y", false),
            (Unit::Decade, None) => (1.0, "Y", false),
            (Unit::Century, Some(_)) => (100.0, "Y", false),
            (Unit::Quarter, Some(_)) => (3.0, "M", false),
            // "media hora" is PT30M; other fractions stay in hours (PT0.75H)
            (Unit::Hour, Some(v)) if *v == 0.5 => (60.0, "M", true),
            _ => (mult, des, is_time),
        };
        let num = match n {
            Some(v) => fmt_num(v * mult),
            None => "X".to_string(),
        };
        let target = if is_time { &mut time } else { &mut date };
        target.push_str(&num);
        target.push_str(des);
    }
    if time.is_empty() {
        format!("P{date}")
    } else {
        format!("P{date}T{time}")
    }
}

/// Anchoring context for one expression.
pub struct Anchor {
    pub dct: Option<Ymd>,
    /// The last day-level date mentioned before (for anaphora).
    pub last: Option<Ymd>,
    /// The last calendar value mentioned before ("2009", "2009-02",
    /// "2009-Q3", "2009-02-23"): what "el año anterior" and "el mismo
    /// periodo del año anterior" count from.
    pub prev: Option<String>,
    pub tense: Option<Tense>,
}

/// The year of a calendar value ("2009", "2009-Q3", "2009-02-23").
pub fn value_year(v: &str) -> Option<i32> {
    let y = v.get(..4)?;
    if !y.bytes().all(|b| b.is_ascii_digit()) || v.len() > 4 && v.as_bytes()[4] != b'-' {
        return None;
    }
    y.parse().ok()
}

impl Anchor {
    /// The year anaphora count from: the last calendar value mentioned,
    /// else the last day, else the document date.
    fn ref_year(&self) -> Option<i32> {
        self.prev
            .as_deref()
            .and_then(value_year)
            .or(self.last.map(|d| d.y))
            .or(self.dct.map(|d| d.y))
    }
}

fn season_month(s: &str) -> u32 {
    match s {
        "SP" => 3,
        "SU" => 6,
        "FA" => 9,
        _ => 12,
    }
}

/// Resolves a meaning to (type, value, the day it denotes when day-level).
pub fn resolve(sem: &Sem, a: &Anchor) -> Option<(String, String, Option<Ymd>)> {
    let date = |v: String| Some(("DATE".to_string(), v, None));
    let day = |d: Ymd| Some(("DATE".to_string(), d.fmt_day(), Some(d)));
    let dct = a.dct;
    match sem {
        Sem::Day(d) => day(*d),
        Sem::Month { y, m } => date(format!("{y:04}-{m:02}")),
        Sem::Year(y) => date(format!("{y:04}")),
        Sem::Decade(d) => date(format!("{d:03}")),
        Sem::Century(c) => date(format!("{c:02}")),
        Sem::Literal { ttype, value } => Some((ttype.clone(), value.clone(), None)),
        Sem::QuarterBack { q } => {
            let Some(d) = dct else {
                return date("XXXX-QX".into());
            };
            let cur_q = (d.m - 1) / 3 + 1;
            let (y, qq) = match q {
                0 if cur_q == 1 => (d.y - 2, 4),
                0 => (d.y - 1, cur_q - 1),
                q => (d.y - 1, *q),
            };
            date(format!("{y:04}-Q{qq}"))
        }
        Sem::Set(v) => Some(("SET".to_string(), v.clone(), None)),
        Sem::Dur(parts) => Some(("DURATION".to_string(), dur_value(parts), None)),
        Sem::MonthOnly { m, dir } => {
            let Some(d) = dct else {
                return date(format!("XXXX-{m:02}"));
            };
            let y = month_year(d, *m, *dir, a.tense);
            date(format!("{y:04}-{m:02}"))
        }
        Sem::MonthDay { m, d: dd, dir } => {
            let Some(d) = dct else {
                return date(format!("XXXX-{m:02}-{dd:02}"));
            };
            let mut y = month_year(d, *m, *dir, a.tense);
            // a dated day two months ahead is usually announced, not past
            if *dir == 0 && a.tense == Some(Tense::Past) && *m == d.m + 2 {
                y = d.y;
            }
            if *dir == 0 && *m == d.m {
                // same month: the tense decides only when it contradicts the day
                y = d.y;
            }
            if *dir == 1 || *dir == -1 {
                // "el próximo 21 de diciembre": the next (last) such day,
                // compared by day, not by month
                let this = (*m, *dd) > (d.m, d.d);
                let before = (*m, *dd) < (d.m, d.d);
                y = match (*dir, this, before) {
                    (1, true, _) => d.y,
                    (1, false, _) => d.y + 1,
                    (_, _, true) => d.y,
                    _ => d.y - 1,
                };
            }
            match Ymd::new(y, *m, *dd) {
                Some(x) => day(x),
                None => date(format!("{y:04}-{m:02}-{dd:02}")),
            }
        }
        Sem::DayOfMonth(dd) => {
            let Some(d) = dct else {
                return date(format!("XXXX-XX-{dd:02}"));
            };
            let base = Ymd {
                y: d.y,
                m: d.m,
                d: 1,
            };
            let mut target = base;
            if *dd > d.d + 1 && a.tense == Some(Tense::Past) {
                target = base.add_months(-1);
            } else if *dd + 1 < d.d && a.tense == Some(Tense::Future) {
                target = base.add_months(1);
            }
            match Ymd::new(target.y, target.m, *dd) {
                Some(x) => day(x),
                None => date(format!("{}-{dd:02}", target.fmt_month())),
            }
        }
        Sem::DayInMonth { d: dd, off } => {
            let Some(d) = dct else {
                return date(format!("XXXX-XX-{dd:02}"));
            };
            let m = Ymd {
                y: d.y,
                m: d.m,
                d: 1,
            }
            .add_months(*off);
            match Ymd::new(m.y, m.m, *dd) {
                Some(x) => day(x),
                None => date(format!("{}-{dd:02}", m.fmt_month())),
            }
        }
        Sem::RelDay(n) => match dct {
            Some(d) => day(d.add_days(*n)),
            None => date("XXXX-XX-XX".into()),
        },
        Sem::Rel { unit, off } => match dct {
            Some(d) => date(shift_fmt(d, *unit, *off)?),
            None => date("XXXX".into()),
        },
        Sem::Anaph {
            unit: Unit::Year,
            off,
        } => match a.ref_year() {
            Some(y) => date(format!("{:04}", y as i64 + off)),
            None => date("XXXX".into()),
        },
        Sem::Holiday { h, week, dir } => {
            let Some(d) = dct else {
                return date("XXXX-XX-XX".into());
            };
            let near: Vec<Ymd> = (d.y - 1..=d.y + 1).filter_map(|y| h.in_year(y)).collect();
            let past = near.iter().rev().find(|x| x.days() <= d.days()).copied();
            let next = near.iter().find(|x| x.days() >= d.days()).copied();
            let dir = if *dir != 0 {
                *dir
            } else {
                match a.tense {
                    Some(Tense::Past) => -1,
                    Some(Tense::Future) => 1,
                    _ => 0,
                }
            };
            // "as Easter week began": the week under way
            if let Some(w) = near.iter().find(|x| *week && x.iso_week() == d.iso_week()) {
                return date(w.fmt_week());
            }
            let pick = match (dir, past, next) {
                (-1, Some(p), _) => p,
                (1, _, Some(n)) => n,
                (_, Some(p), Some(n)) => {
                    if d.days() - p.days() <= n.days() - d.days() {
                        p
                    } else {
                        n
                    }
                }
                (_, Some(p), None) => p,
                (_, None, Some(n)) => n,
                _ => return date("XXXX-XX-XX".into()),
            };
            if *week {
                date(pick.fmt_week())
            } else {
                day(pick)
            }
        }
        Sem::TheWeekend => {
            let Some(d) = dct else {
                return date("XXXX-WXX-WE".into());
            };
            // written on a weekday about a past weekend: the one just gone
            let off = if a.tense == Some(Tense::Past) && d.weekday() <= 5 {
                -1
            } else {
                0
            };
            date(shift_fmt(d, Unit::Weekend, off)?)
        }
        Sem::WeekOfMonth { n, month } => {
            let (_, v, _) = resolve(month, a)?;
            let (y, m) = v.split_once('-')?;
            let (Ok(y), Ok(m)) = (y.parse::<i32>(), m.parse::<u32>()) else {
                return date(format!("{v}-WXX"));
            };
            // the week holding the month's 4th day (the ISO rule), or for
            // the last week the one holding its fourth-to-last day
            let d = if *n < 0 {
                Ymd::new(y, m, calendar::days_in_month(y, m) - 3)?
            } else {
                Ymd::new(y, m, 4)?.add_days(7 * (*n as i64 - 1))
            };
            date(d.fmt_week())
        }
        Sem::SameBack { unit, anaphoric } => {
            let y = if *anaphoric {
                a.ref_year()
            } else {
                dct.map(|d| d.y)
            };
            let Some(y) = y else {
                return date("XXXX".into());
            };
            let back = y - 1;
            // the sub-year part of the last value of the right kind
            let tail = a.prev.as_deref().and_then(|v| {
                let t = v.get(4..)?;
                let month = t.len() == 3 && t.bytes().skip(1).all(|b| b.is_ascii_digit());
                let ok = match unit {
                    Some(Unit::Month) => month,
                    Some(Unit::Quarter) => t.starts_with("-Q"),
                    Some(Unit::Half) => t.starts_with("-H"),
                    _ => t.starts_with("-Q") || t.starts_with("-H") || month,
                };
                ok.then(|| t.to_string())
            });
            date(format!("{back:04}{}", tail.unwrap_or_default()))
        }
        Sem::Anaph { unit, off } => {
            let base = a.last.or(dct);
            match base {
                Some(d) => {
                    let v = shift_fmt(d, *unit, *off)?;
                    let dd = if *unit == Unit::Day {
                        Some(d.add_days(*off))
                    } else {
                        None
                    };
                    Some(("DATE".into(), v, dd))
                }
                None => date("XXXX-XX-XX".into()),
            }
        }
        Sem::Weekday { wd, dir } => {
            let base = if dir.abs() == 3 { a.last.or(dct) } else { dct };
            let Some(d) = base else {
                return date(format!("XXXX-WXX-{wd}"));
            };
            let dir = &(if dir.abs() == 3 { dir.signum() } else { *dir });
            let cur = d.weekday() as i64;
            let w = *wd as i64;
            let delta = match dir {
                2 => w - cur,
                1 => {
                    let x = (w - cur).rem_euclid(7);
                    if x == 0 {
                        7
                    } else {
                        x
                    }
                }
                -1 => {
                    let x = (cur - w).rem_euclid(7);
                    -(if x == 0 { 7 } else { x })
                }
                _ => match a.tense {
                    Some(Tense::Future) => (w - cur).rem_euclid(7),
                    Some(Tense::Past) => -(cur - w).rem_euclid(7),
                    _ => {
                        let fwd = (w - cur).rem_euclid(7);
                        let back = (cur - w).rem_euclid(7);
                        if fwd < back {
                            fwd
                        } else {
                            -back
                        }
                    }
                },
            };
            day(d.add_days(delta))
        }
        Sem::Quarter { q, y } => {
            let Some(d) = dct else {
                return date(match y {
                    Some(y) => format!("{y:04}-Q{q}"),
                    None => format!("XXXX-Q{q}"),
                });
            };
            let cur_q = (d.m - 1) / 3 + 1;
            let (yy, qq) = match (q, y) {
                (0, Some(y)) => {
                    let q = if cur_q == 1 { 4 } else { cur_q - 1 };
                    (*y, q)
                }
                (0, None) => {
                    if cur_q == 1 {
                        (d.y - 1, 4)
                    } else {
                        (d.y, cur_q - 1)
                    }
                }
                (q, Some(y)) => (*y, *q),
                (q, None) => {
                    // a later quarter is last year's, unless the verb looks ahead
                    if *q <= cur_q || a.tense == Some(Tense::Future) {
                        (d.y, *q)
                    } else {
                        (d.y - 1, *q)
                    }
                }
            };
            date(format!("{yy:04}-Q{qq}"))
        }
        Sem::HalfYear { h, y } => {
            let yy = y.or(dct.map(|d| d.y));
            match yy {
                Some(y) => date(format!("{y:04}-H{h}")),
                None => date(format!("XXXX-H{h}")),
            }
        }
        Sem::Season { s, y, dir } => {
            let yy = match (y, dct) {
                (Some(y), _) => *y,
                (None, Some(d)) => {
                    let sm = season_month(s);
                    match dir {
                        -1 => {
                            if sm < d.m {
                                d.y
                            } else {
                                d.y - 1
                            }
                        }
                        1 => {
                            if sm > d.m {
                                d.y
                            } else {
                                d.y + 1
                            }
                        }
                        _ => d.y,
                    }
                }
                (None, None) => return date(format!("XXXX-{s}")),
            };
            date(format!("{yy:04}-{s}"))
        }
        Sem::Ago {
            n,
            unit,
            sign,
            anaphoric,
        } => {
            let base = if *anaphoric { a.last.or(dct) } else { dct };
            let Some(d) = base else {
                return date("XXXX-XX-XX".into());
            };
            let Some(n) = n else {
                return date(if *sign < 0 { "PAST_REF" } else { "FUTURE_REF" }.into());
            };
            let n = *n;
            let whole = n.round() as i64;
            let off = sign * whole;
            match unit {
                Unit::Hour | Unit::Minute | Unit::Second => day(d),
                Unit::Day => day(d.add_days(off)),
                Unit::Week => date(d.add_days(7 * off).fmt_week()),
                Unit::Fortnight => day(d.add_days(14 * off)),
                Unit::Month => date(d.add_months(off).fmt_month()),
                Unit::Quarter => date(d.add_months(3 * off).fmt_month()),
                Unit::Half => date(d.add_months(6 * off).fmt_month()),
                Unit::Year | Unit::Weekend => date(format!("{:04}", d.y as i64 + off)),
                Unit::Lustrum => date(format!("{:04}", d.y as i64 + 5 * off)),
                Unit::Decade => date(format!("{:04}", d.y as i64 + 10 * off)),
                Unit::Century => date(format!("{:04}", d.y as i64 + 100 * off)),
                Unit::Millennium => date(format!("{:04}", d.y as i64 + 1000 * off)),
            }
        }
        Sem::Time { base, h, mi, zone } => {
            let b = match base {
                Some(b) => resolve(b, a).map(|x| x.1),
                None => dct.map(|d| d.fmt_day()),
            };
            let z = zone.clone().unwrap_or_default();
            let v = match b {
                Some(b) => format!("{b}T{h:02}:{mi:02}{z}"),
                None => format!("T{h:02}:{mi:02}{z}"),
            };
            Some(("TIME".to_string(), v, None))
        }
        Sem::Pod { base, pod } => {
            let (_, b, dd) = resolve(base, a)?;
            Some(("TIME".to_string(), format!("{b}T{pod}"), dd))
        }
        Sem::InYear {
            base,
            off,
            anaphoric,
        } => {
            let y = if *anaphoric {
                a.ref_year()
            } else {
                dct.map(|d| d.y)
            };
            let Some(y) = y else {
                return resolve(base, a);
            };
            let y = y + *off as i32;
            let concrete = match base.as_ref() {
                Sem::MonthOnly { m, .. } => Sem::Month { y, m: *m },
                Sem::MonthDay { m, d, .. } => Sem::Day(Ymd::new(y, *m, *d)?),
                Sem::Quarter { q: 0, .. } => return date(format!("{y:04}")),
                Sem::Quarter { q, .. } => Sem::Quarter { q: *q, y: Some(y) },
                Sem::HalfYear { h, .. } => Sem::HalfYear { h: *h, y: Some(y) },
                Sem::Season { s, .. } => Sem::Season {
                    s: s.clone(),
                    y: Some(y),
                    dir: 0,
                },
                other => other.clone(),
            };
            resolve(&concrete, a)
        }
    }
}

fn month_year(d: Ymd, m: u32, dir: i32, tense: Option<Tense>) -> i32 {
    match dir {
        1 => {
            if m > d.m {
                d.y
            } else {
                d.y + 1
            }
        }
        -1 => {
            if m < d.m {
                d.y
            } else {
                d.y - 1
            }
        }
        // "this September": the month of the document's year
        2 => d.y,
        _ => match tense {
            // the latest occurrence (the next month still counts as this
            // year: "aplazó la cita a septiembre" written in late August)
            Some(Tense::Past) if m > d.m + 1 => d.y - 1,
            Some(Tense::Past) => d.y,
            // the next occurrence (last month still this year)
            Some(Tense::Future) if m + 1 < d.m => d.y + 1,
            Some(Tense::Future) => d.y,
            // no verb to go by: the nearest occurrence, leaning to the
            // past as news does (up to nine months back, two ahead)
            _ => {
                let diff = m as i32 - d.m as i32;
                if diff > 3 {
                    d.y - 1
                } else if diff < -9 {
                    d.y + 1
                } else {
                    d.y
                }
            }
        },
    }
}

fn shift_fmt(d: Ymd, unit: Unit, off: i64) -> Option<String> {
    Some(match unit {
        Unit::Year => format!("{:04}", d.y as i64 + off),
        Unit::Month => d.add_months(off).fmt_month(),
        Unit::Week => d.add_days(7 * off).fmt_week(),
        Unit::Weekend => format!("{}-WE", d.add_days(7 * off).fmt_week()),
        Unit::Day => d.add_days(off).fmt_day(),
        Unit::Fortnight => d.add_days(14 * off).fmt_week(),
        Unit::Quarter => {
            let x = d.add_months(3 * off);
            format!("{:04}-Q{}", x.y, (x.m - 1) / 3 + 1)
        }
        Unit::Half => {
            let x = d.add_months(6 * off);
            format!("{:04}-H{}", x.y, if x.m <= 6 { 1 } else { 2 })
        }
        Unit::Decade => format!("{:03}", d.y as i64 / 10 + off),
        Unit::Century => format!("{:02}", d.y as i64 / 100 + off),
        Unit::Lustrum => format!("{:04}", d.y as i64 + 5 * off),
        Unit::Millennium => format!("{}", d.y as i64 / 1000 + off),
        Unit::Hour | Unit::Minute | Unit::Second => return None,
    })
}
