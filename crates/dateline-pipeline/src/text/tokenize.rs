//! Rule-based tokenisation and sentence splitting for Spanish and English.
//!
//! Tokens follow the Universal Dependencies conventions of the surface layer
//! (UD_Spanish-GSD, UD_English-EWT): punctuation is split off words, while
//! abbreviations ("Sr.", "EE.UU.", "U.S."), numbers with separators
//! ("15.000", "1,5", "3.5", "15:00"), URLs, e-mails, hashtags, mentions and
//! words with inner hyphens or apostrophes ("e-mail", "don't", "O'Neill")
//! stay whole. Contractions ("del" = de + el, "don't" = do + n't) are
//! multiword tokens: split at the word level, not here.
//!
//! Sentences end after final punctuation (. ! ? … and ";" before a capital,
//! as GSD does) followed by a capital, a digit or an opening mark; at blank
//! lines; at a line break after a word that cannot continue a sentence; and
//! where a capitalised sentence-start word ("El", "The") follows an
//! unpunctuated word and precedes a lower-case one (unpunctuated sentence
//! ends in scraped text).

use std::collections::HashSet;

pub const ABBREV_TSV: &str = include_str!("../../data/text/abbrev.tsv");
pub const COMMON_ES: &str = include_str!("../../data/text/common-es.txt");

/// What the sentence splitter knows about a language.
pub struct SentenceRules<'a> {
    /// Capitalised sentence-start words (articles ...) that signal a new
    /// sentence after an unpunctuated word when a lower-case word follows.
    pub starters: &'a [&'a str],
    /// Words common in lower case: capitalised after an unpunctuated word,
    /// they start a new sentence.
    pub common: Option<&'a HashSet<String>>,
    /// Words that cannot end a sentence (prepositions, articles).
    pub closers: &'a [&'a str],
}

/// Parses a word list (one word a line, `#` comments).
pub fn word_set(text: &str) -> HashSet<String> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.trim().to_string())
        .collect()
}

/// A surface token: byte offsets into the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tok {
    pub start: usize,
    pub end: usize,
}

/// Abbreviation lists, per language.
#[derive(Debug, Default)]
pub struct Abbrevs {
    /// Lower-cased, without the final period.
    titles: HashSet<String>,
    others: HashSet<String>,
    /// English prefixes that keep a hyphenated word whole.
    prefixes: HashSet<String>,
}

/// Language conventions the tokenizer follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Es,
    En,
}

impl Lang {
    /// English for "en", Spanish conventions for everything else.
    pub fn from_code(code: &str) -> Lang {
        if code == "en" {
            Lang::En
        } else {
            Lang::Es
        }
    }
}

impl Abbrevs {
    pub fn builtin() -> Abbrevs {
        Abbrevs::parse(ABBREV_TSV)
    }

    pub fn parse(tsv: &str) -> Abbrevs {
        let mut a = Abbrevs::default();
        for line in tsv
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let cols: Vec<&str> = line.split('\t').collect();
            if let [_lang, class, w] = cols[..] {
                let w = w.to_lowercase();
                match class {
                    "title" => a.titles.insert(w),
                    "prefix" => a.prefixes.insert(w),
                    _ => a.others.insert(w),
                };
            }
        }
        a
    }

    /// True when `word` (ending in '.') keeps its period.
    fn keeps_period(&self, word: &str) -> bool {
        let Some(stem) = word.strip_suffix('.') else {
            return false;
        };
        if stem.is_empty() {
            return false;
        }
        let low = stem.to_lowercase();
        if self.titles.contains(&low) || self.others.contains(&low) {
            return true;
        }
        letter_dots(word)
    }

    /// True for titles, which never end a sentence.
    fn is_title(&self, word: &str) -> bool {
        let stem = word.strip_suffix('.').unwrap_or(word);
        self.titles.contains(&stem.to_lowercase())
            || (stem.chars().count() == 1 && stem.chars().all(|c| c.is_uppercase()))
    }
}

/// "J.", "EE.UU.", "U.S.", "p.m.", "M.A.L.I.C.I.A.": groups of one or two
/// letters each followed by a period.
fn letter_dots(word: &str) -> bool {
    let mut n = 0;
    for group in word.split_terminator('.') {
        let len = group.chars().count();
        if !(1..=2).contains(&len) || !group.chars().all(char::is_alphabetic) {
            return false;
        }
        n += 1;
    }
    // a single lower-case letter with a period ("a.") is a word at a
    // sentence end far more often than an abbreviation
    n >= 2 || (word.chars().count() == 2 && word.chars().next().is_some_and(char::is_uppercase))
}

const LEADING: &[char] = &[
    '¿', '¡', '"', '“', '«', '‹', '(', '[', '{', '„', '‚', '•', '·',
];
const TRAILING: &[char] = &[
    ',', ';', ':', '"', '”', '»', '›', ')', ']', '}', '…', '>', '²', '³',
];

fn is_url_or_mail(w: &str) -> bool {
    let l = w.to_ascii_lowercase();
    l.starts_with("http://")
        || l.starts_with("https://")
        || l.starts_with("www.")
        || l.starts_with("ftp://")
        || (w.contains('@')
            && w.rfind('.')
                .is_some_and(|d| d > w.find('@').unwrap_or(usize::MAX))
            && !w.starts_with('@'))
}

const EMOTICONS: &[&str] = &[
    ":)", ":(", ":D", ";)", ":-)", ":-(", ":P", ":p", ";-)", ":/", ":o", "<3", "XD", ":'(",
];

/// English clitics written with a leading apostrophe.
const EN_APOS_WORDS: &[&str] = &[
    "'s", "'m", "'re", "'ve", "'ll", "'d", "'em", "'n", "'til", "'cause", "'t",
];

/// Tokenises `text`, appending to `out`.
pub fn tokenize(text: &str, lang: Lang, abbrevs: &Abbrevs, out: &mut Vec<Tok>) {
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                chunk(text, s, i, lang, abbrevs, out);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        chunk(text, s, text.len(), lang, abbrevs, out);
    }
}

fn push(out: &mut Vec<Tok>, start: usize, end: usize) {
    if start < end {
        out.push(Tok { start, end });
    }
}

/// Tokenises one white-space-free chunk `text[s..e]`.
fn chunk(text: &str, s: usize, e: usize, lang: Lang, abbrevs: &Abbrevs, out: &mut Vec<Tok>) {
    let mut a = s;
    let mut b = e;
    if EMOTICONS.contains(&&text[s..e]) {
        push(out, s, e);
        return;
    }
    // leading marks
    loop {
        let w = &text[a..b];
        let Some(c) = w.chars().next() else { break };
        if w.len() == c.len_utf8() {
            break;
        }
        if LEADING.contains(&c) {
            push(out, a, a + c.len_utf8());
            a += c.len_utf8();
            continue;
        }
        // dashes: "—dijo", "--", "-Hola"
        if c == '—' || c == '–' {
            let run = w.chars().take_while(|&x| x == c).count() * c.len_utf8();
            push(out, a, a + run);
            a += run;
            continue;
        }
        if w.starts_with("--") {
            let run = w.bytes().take_while(|&x| x == b'-').count();
            push(out, a, a + run);
            a += run;
            continue;
        }
        if c == '\'' || c == '‘' {
            let rest = &w[c.len_utf8()..];
            let clitic = lang == Lang::En
                && (EN_APOS_WORDS.iter().any(|x| {
                    w.eq_ignore_ascii_case(x) || w.to_lowercase().starts_with(x) && rest.len() < 4
                }) || rest.starts_with(|d: char| d.is_ascii_digit()));
            let clitic =
                clitic || (lang == Lang::Es && rest.starts_with(|d: char| d.is_ascii_digit()));
            if !clitic {
                push(out, a, a + c.len_utf8());
                a += c.len_utf8();
                continue;
            }
        }
        let rest = &w[c.len_utf8()..];
        let opens_number =
            matches!(c, '$' | '€' | '£' | '¥') && rest.starts_with(|d: char| d.is_ascii_digit());
        let opens_angle = c == '<' && rest.starts_with(char::is_alphanumeric);
        let dash_money = c == '-' && rest.starts_with(['$', '€', '£']);
        if opens_number || opens_angle || dash_money {
            push(out, a, a + c.len_utf8());
            a += c.len_utf8();
            continue;
        }
        if c == '.' && w.starts_with("...") {
            let run = w.bytes().take_while(|&x| x == b'.').count();
            push(out, a, a + run);
            a += run;
            continue;
        }
        break;
    }
    if a >= b {
        return;
    }
    // trailing marks, collected right to left
    let mut tail: Vec<Tok> = Vec::new();
    let url = is_url_or_mail(&text[a..b]);
    loop {
        let w = &text[a..b];
        let Some(c) = w.chars().next_back() else {
            break;
        };
        if w.len() == c.len_utf8() {
            break;
        }
        if c == '!'
            || c == '?'
            || c == '*'
            || (c == '.' && w.len() >= 2 && matches!(w.as_bytes()[w.len() - 2], b'!' | b'?'))
        {
            let set: &[u8] = if c == '*' { b"*" } else { b"!?." };
            let run = w.bytes().rev().take_while(|x| set.contains(x)).count();
            if run < w.len() {
                tail.push(Tok {
                    start: b - run,
                    end: b,
                });
                b -= run;
                continue;
            }
            break;
        }
        if w.ends_with("...") || w.ends_with("..") {
            let run = w.bytes().rev().take_while(|&x| x == b'.').count();
            if run < w.len() {
                tail.push(Tok {
                    start: b - run,
                    end: b,
                });
                b -= run;
                continue;
            }
            break;
        }
        if c == '.' {
            if url || abbrevs.keeps_period(w) {
                break;
            }
            tail.push(Tok {
                start: b - 1,
                end: b,
            });
            b -= 1;
            continue;
        }
        if c == ')' && w.contains('(') && !w.starts_with('(') {
            // "Hogenes(2002)" or "(s)": split both brackets off the word
            break;
        }
        if TRAILING.contains(&c) {
            if url && !matches!(c, ',' | ';' | '!' | '?' | '"' | '”' | '»' | ')' | '>') {
                break;
            }
            // "15:00": a colon between digits is part of the number
            tail.push(Tok {
                start: b - c.len_utf8(),
                end: b,
            });
            b -= c.len_utf8();
            continue;
        }
        if c == '%' || c == '‰' {
            tail.push(Tok {
                start: b - c.len_utf8(),
                end: b,
            });
            b -= c.len_utf8();
            continue;
        }
        if (c == '\'' || c == '’')
            && !(lang == Lang::En && (w.ends_with("s'") || w.ends_with("s’")))
        {
            tail.push(Tok {
                start: b - c.len_utf8(),
                end: b,
            });
            b -= c.len_utf8();
            continue;
        }
        if c == '—' || c == '–' || (c == '-' && w.ends_with("--")) {
            let run = w.chars().rev().take_while(|&x| x == c).count() * c.len_utf8();
            if run < w.len() {
                tail.push(Tok {
                    start: b - run,
                    end: b,
                });
                b -= run;
                continue;
            }
        }
        break;
    }
    if !url {
        inner(text, a, b, lang, abbrevs, out);
    } else {
        push(out, a, b);
    }
    out.extend(tail.into_iter().rev());
}

/// Splits inner punctuation that separates two words ("sí,no", "palabra(s)",
/// "Hogenes(2002)"), keeping numbers, hyphenated and apostrophised words.
fn inner(text: &str, a: usize, b: usize, lang: Lang, abbrevs: &Abbrevs, out: &mut Vec<Tok>) {
    let w = &text[a..b];
    if !w.chars().any(char::is_alphanumeric) {
        // "!!!", "?!", "-----", "**": one token
        push(out, a, b);
        return;
    }
    let hyphen_split = lang == Lang::En && en_hyphen_splits(w, abbrevs);
    let mut last = a;
    let chars: Vec<(usize, char)> = w.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let prev = if k > 0 { Some(chars[k - 1].1) } else { None };
        let next = chars.get(k + 1).map(|x| x.1);
        let split = match c {
            ',' | ';' => {
                // keep 1,5 and 1.000,50
                !(prev.is_some_and(|p| p.is_ascii_digit())
                    && next.is_some_and(|n| n.is_ascii_digit()))
                    && next.is_some()
                    && prev.is_some()
            }
            '(' | ')' | '[' | ']' | '"' | '“' | '”' | '«' | '»' | '?' | '!' | '¿' | '¡' | '—'
            | '–' => prev.is_some(),
            '-' => hyphen_split && prev.is_some() && next.is_some(),
            '/' => {
                lang == Lang::En
                    && prev.is_some_and(char::is_alphabetic)
                    && next.is_some_and(char::is_alphabetic)
            }
            _ => false,
        };
        if split {
            push(out, last, a + i);
            push(out, a + i, a + i + c.len_utf8());
            last = a + i + c.len_utf8();
        }
    }
    push(out, last, b);
}

/// English (EWT) splits hyphens between words ("al - Qaeda", "so - called")
/// but keeps prefixed words ("e-mail", "co-workers") and phone-like numbers.
fn en_hyphen_splits(w: &str, abbrevs: &Abbrevs) -> bool {
    if !w.contains('-') || w.starts_with('-') || w.ends_with('-') {
        return false;
    }
    let parts: Vec<&str> = w.split('-').collect();
    if parts
        .iter()
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        // ranges ("1969-1970", "3-4") split; phone numbers stay
        let phone =
            parts.len() >= 3 || (parts.len() == 2 && parts[0].len() == 3 && parts[1].len() == 4);
        return !phone;
    }
    if !w.chars().any(char::is_alphabetic) || w.contains(['@', '#', '.']) {
        return false;
    }
    // dates like 01-Feb-02 stay whole
    if parts.len() == 3
        && parts[0].chars().all(|c| c.is_ascii_digit())
        && parts[2].chars().all(|c| c.is_ascii_digit())
    {
        return false;
    }
    let first = parts.first().map(|p| p.to_lowercase()).unwrap_or_default();
    !abbrevs.prefixes.contains(&first)
}

/// Sentence-start words of a language, used to find unpunctuated ends.
pub struct Starters<'a>(pub &'a [&'a str]);

fn is_final(t: &str) -> bool {
    matches!(t, "." | "!" | "?" | "…" | "!?" | "?!")
        || (t.len() >= 2 && t.bytes().all(|b| b == b'.'))
}

fn is_closer(t: &str) -> bool {
    matches!(t, "\"" | "”" | "’" | "»" | ")" | "]" | "'")
}

fn starts_sentence(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "¿¡\"“«'‘(—–-[".contains(c))
}

/// True when the token after `i` is a short capitalised word that follows
/// two capitalised words (the end of a name such as "Kim Jong Un").
fn name_tail(toks: &[Tok], i: usize, text: &str) -> bool {
    let word = |k: usize| toks.get(k).map(|t| &text[t.start..t.end]).unwrap_or("");
    let cap = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let next = word(i + 1);
    // definite articles are never the tail of a name ("Don Balón El equipo")
    let article = matches!(next, "El" | "La" | "Lo" | "Al");
    i >= 1 && !article && next.chars().count() <= 2 && cap(next) && cap(word(i)) && cap(word(i - 1))
}

/// "... hotel en obras El Ayuntamiento", "... Donibane Gracias a Paco":
/// a capitalised common word after a word that can end a sentence.
fn unpunctuated_end(cur: &str, next: &str, after: Option<&str>, rules: &SentenceRules) -> bool {
    let Some(common) = rules.common else {
        return false;
    };
    let cur_ok = cur
        .chars()
        .next_back()
        .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit() || c == ')')
        && !rules.closers.contains(&cur.to_lowercase().as_str());
    let mut nc = next.chars();
    let next_cap = nc.next().is_some_and(char::is_uppercase)
        && nc.all(char::is_lowercase)
        && next.chars().count() >= 2;
    if !(cur_ok && next_cap) {
        return false;
    }
    let low = next.to_lowercase();
    if !common.contains(&low) {
        return false;
    }
    // "el diario El País": an article starting a name
    let article = matches!(
        low.as_str(),
        "el" | "la" | "los" | "las" | "un" | "una" | "the" | "a" | "an"
    );
    !article || after.is_some_and(|a| a.chars().next().is_some_and(char::is_lowercase))
}

/// Splits tokens into sentences: returns the index of the first token of
/// each sentence (the first is always 0 when there are tokens).
pub fn sentences(text: &str, toks: &[Tok], abbrevs: &Abbrevs, rules: &SentenceRules) -> Vec<usize> {
    let starters = rules.starters;
    let mut starts = Vec::new();
    if toks.is_empty() {
        return starts;
    }
    starts.push(0);
    let slice = |t: &Tok| &text[t.start..t.end];
    let mut i = 0;
    while i + 1 < toks.len() {
        let cur = slice(&toks[i]);
        let next = slice(&toks[i + 1]);
        let gap = &text[toks[i].end..toks[i + 1].start];
        let newlines = gap.matches('\n').count();
        let mut boundary = false;
        if newlines >= 2 {
            boundary = true;
        } else if is_final(cur)
            || (cur == ";" && next.chars().next().is_some_and(char::is_uppercase))
        {
            // take closing quotes and brackets into this sentence
            let mut j = i;
            while j + 1 < toks.len()
                && is_closer(slice(&toks[j + 1]))
                && toks[j].end == toks[j + 1].start
            {
                j += 1;
            }
            if j + 1 < toks.len() {
                let after = slice(&toks[j + 1]);
                let gap2 = &text[toks[j].end..toks[j + 1].start];
                if !gap2.is_empty() && (starts_sentence(after) || gap2.contains('\n')) {
                    if j + 1 < toks.len() {
                        starts.push(j + 1);
                    }
                    i = j + 1;
                    continue;
                }
            }
            i = j;
        } else if cur.ends_with('.') && cur.len() > 1 && !abbrevs.is_title(cur) {
            // an abbreviation at a sentence end: "... etc. Luego"
            let low = cur.to_lowercase();
            if (low == "etc." || newlines == 1) && starts_sentence(next) {
                boundary = true;
            }
        } else if newlines == 1 {
            let prev_continues = cur
                .chars()
                .next_back()
                .is_some_and(|c| c.is_lowercase() || c == ',')
                || matches!(cur, "," | ":" | "(" | "-");
            if !prev_continues && starts_sentence(next) {
                boundary = true;
            }
        } else if name_tail(toks, i, text) {
            // "Kim Jong Un mantuvieron": a short capitalised word after two
            // capitalised words ends a name, it does not open a sentence
        } else if !gap.is_empty()
            && cur
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == ')')
            && starters.contains(&next)
            && i + 2 < toks.len()
            && slice(&toks[i + 2])
                .chars()
                .next()
                .is_some_and(char::is_lowercase)
            && i > 0
            || (!gap.is_empty()
                && unpunctuated_end(cur, next, toks.get(i + 2).map(slice), rules)
                && i > 0)
        {
            boundary = true;
        }
        if boundary {
            starts.push(i + 1);
        }
        i += 1;
    }
    starts.dedup();
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang_of(s: &str) -> Lang {
        if s.contains(" the ") || s.starts_with("See") || s.starts_with('#') {
            Lang::En
        } else {
            Lang::Es
        }
    }

    fn toks(s: &str) -> Vec<&str> {
        let mut out = Vec::new();
        tokenize(s, lang_of(s), &Abbrevs::builtin(), &mut out);
        out.iter().map(|t| &s[t.start..t.end]).collect()
    }

    #[test]
    fn spanish_tokens() {
        assert_eq!(
            toks("El Sr. Pérez llegó a EE.UU. con 15.000 soldados (el 1,5%)."),
            [
                "El", "Sr.", "Pérez", "llegó", "a", "EE.UU.", "con", "15.000", "soldados", "(",
                "el", "1,5", "%", ")", "."
            ]
        );
        assert_eq!(
            toks("¿Qué dijo?—preguntó."),
            ["¿", "Qué", "dijo", "?", "—", "preguntó", "."]
        );
        assert_eq!(toks("«Hola», dijo."), ["«", "Hola", "»", ",", "dijo", "."]);
        assert_eq!(
            toks("a las 15:00 en Berlín..."),
            ["a", "las", "15:00", "en", "Berlín", "..."]
        );
    }

    #[test]
    fn english_tokens() {
        assert_eq!(
            toks("Mr. Smith's e-mail (smith@example.com) said \"don't\" at 3 p.m. in the U.S."),
            [
                "Mr.",
                "Smith's",
                "e-mail",
                "(",
                "smith@example.com",
                ")",
                "said",
                "\"",
                "don't",
                "\"",
                "at",
                "3",
                "p.m.",
                "in",
                "the",
                "U.S."
            ]
        );
        assert_eq!(
            toks("See https://example.com/a?b=1, ok"),
            ["See", "https://example.com/a?b=1", ",", "ok"]
        );
        assert_eq!(toks("#news @user"), ["#news", "@user"]);
        assert_eq!(
            toks("See the al-Qaeda e-mail and/or call 713-853-3989 for $5 :) !!!"),
            [
                "See",
                "the",
                "al",
                "-",
                "Qaeda",
                "e-mail",
                "and",
                "/",
                "or",
                "call",
                "713-853-3989",
                "for",
                "$",
                "5",
                ":)",
                "!!!"
            ]
        );
    }

    fn sents(s: &str) -> Vec<String> {
        let ab = Abbrevs::builtin();
        let mut t = Vec::new();
        tokenize(s, Lang::Es, &ab, &mut t);
        let common = word_set(COMMON_ES);
        let rules = SentenceRules {
            starters: &["El", "La", "The"],
            common: Some(&common),
            closers: &["de", "en", "el", "la"],
        };
        let st = sentences(s, &t, &ab, &rules);
        let mut out = Vec::new();
        for (k, &i) in st.iter().enumerate() {
            let j = st.get(k + 1).copied().unwrap_or(t.len());
            out.push(s[t[i].start..t[j - 1].end].to_string());
        }
        out
    }

    #[test]
    fn sentence_splits() {
        assert_eq!(
            sents("El Sr. Pérez llegó. Luego habló con el Dr. Gómez en EE.UU. y se fue. «¿Vienes?» Sí."),
            ["El Sr. Pérez llegó.", "Luego habló con el Dr. Gómez en EE.UU. y se fue.", "«¿Vienes?»", "Sí."]
        );
        assert_eq!(
            sents("Titular sin punto\n\nEl cuerpo empieza aquí."),
            ["Titular sin punto", "El cuerpo empieza aquí."]
        );
        assert_eq!(
            sents("Ficha del jugador en Don Balón El equipo ganó ayer."),
            ["Ficha del jugador en Don Balón", "El equipo ganó ayer."]
        );
        assert_eq!(
            sents("Cuesta 3.5 euros. 2 personas vinieron."),
            ["Cuesta 3.5 euros.", "2 personas vinieron."]
        );
    }
}
