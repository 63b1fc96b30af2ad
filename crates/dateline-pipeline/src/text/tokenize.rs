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
//! English web text follows EWT further: runs of marks are one token
//! (">>", "--", "''", "!!!", ".?"), emoticons stay whole (":-)", "=)"),
//! ellipses and double hyphens between words are split ("that...that"),
//! units are split off numbers ("5pm", "35mm"), "#" off numbers ("#1"),
//! hyphens are kept only after the OntoNotes prefixes ("anti-war") or
//! before its suffixes ("career-wise"), and an abbreviation that ends a
//! sentence gives its period to the sentence ("etc" + ".").
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
    /// As written (class `cased`): abbreviations that are also common
    /// lower-case words ("Sat." but "he sat.", "Sun." but "the sun.").
    cased: HashSet<String>,
    /// English prefixes that keep a hyphenated word whole.
    prefixes: HashSet<String>,
    /// English suffixes that keep a hyphenated word whole.
    suffixes: HashSet<String>,
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
                if class == "cased" {
                    a.cased.insert(w.to_string());
                    continue;
                }
                let w = w.to_lowercase();
                match class {
                    "title" => a.titles.insert(w),
                    "prefix" => a.prefixes.insert(w),
                    "suffix" => a.suffixes.insert(w),
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
        if self.titles.contains(&low) || self.others.contains(&low) || self.cased.contains(stem) {
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

/// Number units split off a number glued to them ("5pm" = 5 pm, "35mm",
/// "65k"), as EWT does; ordinals ("5th"), decades ("80s") and codes ("4G",
/// "3D") stay whole. Case matters: "35mm", but "10MM" (millions) stays.
const EN_UNITS: &[&str] = &[
    "am", "pm", "AM", "PM", "k", "K", "m", "M", "mm", "cm", "km", "kg", "mg", "lb", "lbs", "oz",
    "ft", "hr", "hrs", "min", "mins", "sec", "secs", "kb", "KB", "mb", "MB", "gb", "GB", "tb",
    "TB", "Hz", "kHz", "MHz", "GHz", "mph", "kph", "ml", "p",
];

/// What the tokenizer carries from one white-space-free chunk to the next.
#[derive(Debug, Default)]
struct State {
    /// An English opening single quote ("'terrorists") not closed yet: a
    /// trailing "s'" then closes the quote rather than marking a plural
    /// possessive ("parents'").
    open_single: bool,
}

/// Tokenises `text`, appending to `out`.
pub fn tokenize(text: &str, lang: Lang, abbrevs: &Abbrevs, out: &mut Vec<Tok>) {
    let mut start = None;
    let mut st = State::default();
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                chunk(text, s, i, lang, abbrevs, &mut st, out);
            }
            if c == '\n' {
                st.open_single = false;
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        chunk(text, s, text.len(), lang, abbrevs, &mut st, out);
    }
}

/// ":)", ":-(", ";)", "=)", ":D", ":P", ">:(", ":-)))": eyes, an optional
/// nose and a run of one mouth character; "(:" and "<3".
fn is_emoticon(w: &str) -> bool {
    if EMOTICONS.contains(&w) || matches!(w, "(:" | "(-:" | "(;") {
        return true;
    }
    let b = w.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'>'));
    if !matches!(b.get(i), Some(b':' | b';' | b'=')) {
        return false;
    }
    i += 1;
    if matches!(b.get(i), Some(b'-' | b'\'' | b'^')) {
        i += 1;
    }
    let mouth = &b[i..];
    mouth.first().is_some_and(|&m| {
        matches!(
            m,
            b')' | b'(' | b'D' | b'P' | b'p' | b'/' | b'|' | b']' | b'[' | b'O' | b'o'
        ) && mouth.iter().all(|&x| x == m)
    })
}

/// Byte length of an emoticon ending `w` after a word ("great:)").
fn emoticon_suffix(w: &str) -> Option<usize> {
    (2..=4).rev().find(|&k| {
        k < w.len()
            && w.is_char_boundary(w.len() - k)
            && is_emoticon(&w[w.len() - k..])
            && !w[..w.len() - k].ends_with([':', ';', '=', '>'])
    })
}

/// English: where an angle-bracketed address starts inside a chunk
/// ("Julie"<julie...@bellsouth.net>), so that the name before it is
/// tokenised apart.
fn glued_angle(w: &str) -> Option<usize> {
    let b = w.as_bytes();
    (1..b.len().saturating_sub(1))
        .find(|&p| b[p] == b'<' && b[p - 1] != b'<' && b[p + 1].is_ascii_alphanumeric())
}

/// "5pm", "7:30PM", "35mm": where the unit starts.
fn number_unit(w: &str) -> Option<usize> {
    if !w.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let k = w.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | ':')))?;
    let unit = &w[k..];
    (w[..k].ends_with(|c: char| c.is_ascii_digit())
        && unit.chars().all(|c| c.is_ascii_alphabetic())
        && EN_UNITS.contains(&unit))
    .then_some(k)
}

/// Splits a run of final punctuation (".?", ",", "!!..") into tokens: runs
/// of two or more periods (ellipses) are tokens of their own, the other
/// marks stay together (EWT: ".?", ",?", "?!", "!!!").
fn punct_pieces(cluster: &str, base: usize, tail: &mut Vec<Tok>) {
    let b = cluster.as_bytes();
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    let mut open: Option<usize> = None;
    while i < b.len() {
        let dots = b[i..].iter().take_while(|&&x| x == b'.').count();
        if dots >= 2 {
            if let Some(o) = open.take() {
                pieces.push((o, i));
            }
            pieces.push((i, i + dots));
            i += dots;
        } else {
            open.get_or_insert(i);
            i += 1;
        }
    }
    if let Some(o) = open {
        pieces.push((o, b.len()));
    }
    for (x, y) in pieces.into_iter().rev() {
        tail.push(Tok {
            start: base + x,
            end: base + y,
        });
    }
}

fn push(out: &mut Vec<Tok>, start: usize, end: usize) {
    if start < end {
        out.push(Tok { start, end });
    }
}

/// Tokenises one white-space-free chunk `text[s..e]`.
fn chunk(
    text: &str,
    s: usize,
    e: usize,
    lang: Lang,
    abbrevs: &Abbrevs,
    st: &mut State,
    out: &mut Vec<Tok>,
) {
    let mut a = s;
    let mut b = e;
    let en = lang == Lang::En;
    if EMOTICONS.contains(&&text[s..e]) || (en && is_emoticon(&text[s..e])) {
        push(out, s, e);
        return;
    }
    // English: ">>", "''", "----==", "->": a chunk of symbols is one token
    // (but "<>", an empty pair, is two)
    if en
        && &text[s..e] != "<>"
        && text[s..e]
            .chars()
            .all(|c| "-=_*~+#<>|^".contains(c) || text[s..e].chars().all(|x| x == c))
    {
        push(out, s, e);
        return;
    }
    if en {
        if let Some(p) = glued_angle(&text[s..e]) {
            chunk(text, s, s + p, lang, abbrevs, st, out);
            chunk(text, s + p, e, lang, abbrevs, st, out);
            return;
        }
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
            // English: "'s", "'em", "'til," but not "'The" or "'Me"
            let low = w.to_lowercase();
            let clitic = en
                && (EN_APOS_WORDS.iter().any(|x| {
                    low == *x
                        || low.starts_with(x)
                            && low[x.len()..].starts_with(|n: char| !n.is_alphanumeric())
                }) || rest.starts_with(|d: char| d.is_ascii_digit()));
            let clitic =
                clitic || (lang == Lang::Es && rest.starts_with(|d: char| d.is_ascii_digit()));
            if !clitic {
                push(out, a, a + c.len_utf8());
                a += c.len_utf8();
                st.open_single |= en && c == '\'';
                continue;
            }
        }
        if en {
            let rest = &w[c.len_utf8()..];
            let next = rest.chars().next();
            let alnum_next = next.is_some_and(char::is_alphanumeric);
            // "`word", ",word", "#1" (number sign; "#news" stays), "@2.975",
            // "%10", "-for", "-2:30" (not "-FINAL.doc")
            let split = match c {
                '`' => true,
                '>' => next.is_some_and(|d| d.is_ascii_digit()),
                ',' => alnum_next,
                '#' => rest
                    .split(|x: char| !x.is_alphanumeric())
                    .next()
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|d| d.is_ascii_digit())),
                '@' | '%' => next.is_some_and(|d| d.is_ascii_digit()),
                '-' => {
                    alnum_next
                        && !rest.contains('-')
                        && !rest
                            .as_bytes()
                            .windows(2)
                            .any(|p| p[0] == b'.' && p[1].is_ascii_alphabetic())
                }
                _ => false,
            };
            if split {
                push(out, a, a + c.len_utf8());
                a += c.len_utf8();
                continue;
            }
            // "<<ld2d-1.DOC>>", "***NOTICE", "==Why", "*1", "++++NOTE" (not
            // "+44"): a run of angle brackets or of marks before a word
            if matches!(c, '<' | '*' | '=' | '+' | '~')
                && (c != '<' || rest.starts_with('<'))
                && (c != '+' || !rest.starts_with(|d: char| d.is_ascii_digit()))
            {
                let run = w.bytes().take_while(|&x| x == c as u8).count();
                if w[run..].starts_with(char::is_alphanumeric) {
                    push(out, a, a + run);
                    a += run;
                    continue;
                }
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
        if en && !url {
            if is_emoticon(w) {
                break;
            }
            if let Some(k) = emoticon_suffix(w) {
                tail.push(Tok {
                    start: b - k,
                    end: b,
                });
                b -= k;
                continue;
            }
        }
        if en && matches!(c, '.' | ',' | ':' | ';' | '?' | '!') {
            // a run of final punctuation: "room.?", "Dial:?", "etc.,",
            // "so..." ("U.S.," keeps the abbreviation's period; addresses
            // give theirs up: "www.adobe.com | .")
            let run = w
                .bytes()
                .rev()
                .take_while(|x| b".,:;?!".contains(x))
                .count();
            if run == w.len() {
                break;
            }
            let stem = w.len() - run;
            let dots = w[stem..].bytes().take_while(|&x| x == b'.').count();
            // a period before a comma closes an abbreviation ("lb.,")
            let keep = usize::from(
                !url && (dots == 1 || dots == 2)
                    && (abbrevs.keeps_period(&w[..stem + 1])
                        || (dots == 1 && w[stem + 1..].starts_with(','))),
            );
            if keep == run {
                break;
            }
            punct_pieces(&w[stem + keep..], a + stem + keep, &mut tail);
            b = a + stem + keep;
            if keep == 1 {
                break;
            }
            continue;
        }
        if en && matches!(c, '\'' | '’' | '"' | '>' | '-' | '+') {
            // "''", ">>", "--" as one token; "book-", "A+", "6,000+"
            let run = w.chars().rev().take_while(|&x| x == c).count() * c.len_utf8();
            let before = w[..w.len() - run].chars().next_back();
            let glued = matches!(c, '-' | '+') && before.is_some_and(char::is_alphanumeric);
            if run < w.len() && (run > c.len_utf8() || glued) {
                tail.push(Tok {
                    start: b - run,
                    end: b,
                });
                b -= run;
                continue;
            }
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
            let bracket = en && c == ']' && !w.contains('[');
            if url && !matches!(c, ',' | ';' | '!' | '?' | '"' | '”' | '»' | ')' | '>') && !bracket
            {
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
            && !(en && (w.ends_with("s'") || w.ends_with("s’")) && !(c == '\'' && st.open_single))
        {
            st.open_single &= !(en && c == '\'');
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
    let en = lang == Lang::En;
    if en {
        if let Some(k) = number_unit(w) {
            push(out, a, a + k);
            push(out, a + k, b);
            return;
        }
    }
    let hyphen_split = en && en_hyphen_splits(w, abbrevs);
    let mut last = a;
    let chars: Vec<(usize, char)> = w.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        let prev = if k > 0 { Some(chars[k - 1].1) } else { None };
        let next = chars.get(k + 1).map(|x| x.1);
        // English: "that...that", "enlarging--they": a run of periods or
        // hyphens between two words is one token
        if en && (c == '.' || c == '-') && next == Some(c) && prev.is_some() {
            let run = chars[k..].iter().take_while(|x| x.1 == c).count();
            if k + run < chars.len() {
                push(out, last, a + i);
                push(out, a + i, a + i + run);
                last = a + i + run;
                k += run;
                continue;
            }
        }
        // English: an abbreviation glued to the capitalised word after it
        // ("Inc.One", "J.Aron", "P.O.Box": two tokens in EWT)
        if en && c == '.' && prev.is_some_and(char::is_alphabetic) {
            let rest = w.get(i + 1..).unwrap_or("");
            let word_after = rest.chars().next().is_some_and(char::is_uppercase)
                && rest.chars().any(char::is_lowercase)
                && rest.chars().all(char::is_alphabetic);
            if word_after && abbrevs.keeps_period(text.get(last..a + i + 1).unwrap_or("")) {
                push(out, last, a + i + 1);
                last = a + i + 1;
                k += 1;
                continue;
            }
        }
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
                // "and/or" splits; "b/c", "w/o" (one letter each side) stay
                en && prev.is_some_and(char::is_alphabetic)
                    && next.is_some_and(char::is_alphabetic)
                    && !(k == 1 && chars.len() == 3)
            }
            _ => false,
        };
        if split {
            push(out, last, a + i);
            push(out, a + i, a + i + c.len_utf8());
            last = a + i + c.len_utf8();
        }
        k += 1;
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
    let number = |p: &&str| {
        p.starts_with(|c: char| c.is_ascii_digit() || c == '$')
            && p.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | ',' | '$'))
    };
    if parts.iter().all(number) {
        // ranges ("1969-1970", "3-4", "5:00-8:30") split; phone numbers,
        // extensions and ZIP+4 codes ("345-8702", "3-5213", "77415-0027")
        // stay
        let digits = parts.iter().all(|p| p.bytes().all(|c| c.is_ascii_digit()));
        let phone = digits
            && (parts.len() >= 3
                || (parts.len() == 2
                    && parts[1].len() == 4
                    && matches!(parts[0].len(), 1 | 3 | 5)));
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
    // the words next to the hyphens, not what a slash joins to them
    // ("amendment/anti-gay": "anti")
    let first = parts.first().and_then(|p| p.rsplit('/').next());
    let last = parts.last().and_then(|p| p.split('/').next());
    let first = first.map(str::to_lowercase).unwrap_or_default();
    let last = last.map(str::to_lowercase).unwrap_or_default();
    !abbrevs.prefixes.contains(&first) && !abbrevs.suffixes.contains(&last)
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

    fn en(s: &str) -> Vec<&str> {
        let mut out = Vec::new();
        tokenize(s, Lang::En, &Abbrevs::builtin(), &mut out);
        out.iter().map(|t| &s[t.start..t.end]).collect()
    }

    #[test]
    fn english_web_tokens() {
        // runs of marks, emoticons, ellipses between words (EWT)
        assert_eq!(
            en(">> ok -- '' ----== :-). great:)"),
            [">>", "ok", "--", "''", "----==", ":-)", ".", "great", ":)"]
        );
        assert_eq!(
            en("that...that enlarging--they room.? Dial:?"),
            [
                "that",
                "...",
                "that",
                "enlarging",
                "--",
                "they",
                "room",
                ".?",
                "Dial",
                ":?"
            ]
        );
        // numbers: units, number sign, ranges, phone extensions
        assert_eq!(
            en("5pm 7:30PM 35mm 10MM 5th 80s #1 #news"),
            ["5", "pm", "7:30", "PM", "35", "mm", "10MM", "5th", "80s", "#", "1", "#news"]
        );
        assert_eq!(
            en("5:00-8:30 1969-1970 3-5213 345-8702"),
            ["5:00", "-", "8:30", "1969", "-", "1970", "3-5213", "345-8702"]
        );
        // prefixes and suffixes keep hyphenated words whole; others split
        assert_eq!(
            en("anti-war career-wise x-rays so-called"),
            [
                "anti-war",
                "career-wise",
                "x",
                "-",
                "rays",
                "so",
                "-",
                "called"
            ]
        );
        // the word next to the hyphen decides, not what a slash joins to it;
        // weekday abbreviations keep their period
        assert_eq!(
            en("amendment/anti-gay on Sat. you said"),
            ["amendment", "/", "anti-gay", "on", "Sat.", "you", "said"]
        );
        // ... written as such: "sat." is a verb with its period
        assert_eq!(en("he sat. and"), ["he", "sat", ".", "and"]);
        // an abbreviation glued to the next word; acronyms and domains stay
        assert_eq!(
            en("Inc.One J.Aron P.O.Box U.S.A e.g. Co.right"),
            ["Inc.", "One", "J.", "Aron", "P.O.", "Box", "U.S.A", "e.g.", "Co.right"]
        );
        // slashes, leading and trailing marks
        assert_eq!(
            en("b/c and/or -for book- A+ ,thank `word"),
            [
                "b/c", "and", "/", "or", "-", "for", "book", "-", "A", "+", ",", "thank", "`",
                "word"
            ]
        );
        // quotes: an opening single quote closes on "s'"; possessive "parents'"
        assert_eq!(
            en("'The terrorists' and parents' 's"),
            ["'", "The", "terrorists", "'", "and", "parents'", "'s"]
        );
        // addresses: a glued name, a final period, a bracket
        assert_eq!(
            en("Julie\"<julie@x.net> www.adobe.com. [http://x.org/a?b=1]"),
            [
                "Julie",
                "\"",
                "<",
                "julie@x.net",
                ">",
                "www.adobe.com",
                ".",
                "[",
                "http://x.org/a?b=1",
                "]"
            ]
        );
        // abbreviations keep their period before a comma
        assert_eq!(
            en("U.S., 2 lb., etc."),
            ["U.S.", ",", "2", "lb.", ",", "etc."]
        );
    }

    #[test]
    fn english_sentence_final_abbreviation() {
        let s = "We sell books, etc.\n\nThey came at 5 p.m. and left.";
        let (toks, starts) = super::super::Sentences::new().split(s, Lang::En);
        let words: Vec<&str> = toks.iter().map(|t| &s[t.start..t.end]).collect();
        assert_eq!(
            words,
            [
                "We", "sell", "books", ",", "etc", ".", "They", "came", "at", "5", "p.m.", "and",
                "left", "."
            ]
        );
        assert_eq!(starts, [0, 6]);
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
