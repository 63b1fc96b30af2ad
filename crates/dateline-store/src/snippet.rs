//! Search snippets, made in Rust from the document text rather than with
//! FTS5's `snippet()`: that function needed one full-text query per hit
//! (parsing the expression and seeking every term's posting list again) and
//! about a sixth of the CPU time of a search; this reads the text once and
//! tokenizes it as the index does (runs of letters and digits, case and
//! accents ignored: `unicode61 remove_diacritics 2`).
//!
//! The passage is the window of [`SNIPPET_TOKENS`] tokens holding the most
//! distinct query phrases (then the most matches), with a match near its
//! middle; the words of every phrase of the query (not of excluded terms)
//! are marked.

use crate::query::{MARK_END, MARK_START};
use crate::text::{normalize, terms};

/// Tokens in a snippet.
pub const SNIPPET_TOKENS: usize = 24;

/// What a snippet marks: the phrases of a query, folded.
pub(crate) struct Phrases(Vec<Phrase>);

struct Phrase {
    tokens: Vec<String>,
    /// The last token is a prefix.
    prefix: bool,
}

/// Folds a token as the index does: lower case, accents removed.
fn fold(t: &str) -> String {
    if t.is_ascii() {
        t.to_ascii_lowercase()
    } else {
        normalize(t)
    }
}

/// A token of the text, folded only when it is not ASCII (most are, and
/// compare without a copy).
enum Token<'a> {
    Ascii(&'a str),
    Folded(String),
}

impl Token<'_> {
    fn new(t: &str) -> Token<'_> {
        if t.is_ascii() {
            Token::Ascii(t)
        } else {
            Token::Folded(normalize(t))
        }
    }

    /// Whether it is `t` (folded), or starts with it when `prefix`.
    fn is(&self, t: &str, prefix: bool) -> bool {
        let (a, b) = (self.bytes(), t.as_bytes());
        if prefix {
            a.len() >= b.len() && eq(&a[..b.len()], b)
        } else {
            eq(a, b)
        }
    }

    fn bytes(&self) -> &[u8] {
        match self {
            Token::Ascii(s) => s.as_bytes(),
            Token::Folded(s) => s.as_bytes(),
        }
    }
}

/// Folded `b` equals text bytes `a` (ASCII letters of `a` in either case).
fn eq(a: &[u8], b: &[u8]) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Tokens of `text`: byte ranges of the runs of letters and digits.
fn token_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            out.push((s, i));
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

impl Phrases {
    /// The phrases of a query as a person types it ([`crate::fts_query`]'s
    /// syntax).
    pub(crate) fn of(query: &str) -> Phrases {
        let mut out = Vec::new();
        for t in terms(query).into_iter().filter(|t| !t.neg) {
            let tokens: Vec<String> = token_spans(&t.body)
                .into_iter()
                .map(|(a, b)| fold(&t.body[a..b]))
                .collect();
            if !tokens.is_empty() {
                out.push(Phrase {
                    tokens,
                    prefix: t.prefix,
                });
            }
        }
        Phrases(out)
    }

    /// The best passage of `text`, matched phrases between [`MARK_START`]
    /// and [`MARK_END`], `…` where the text goes on.
    pub(crate) fn snippet(&self, text: &str) -> String {
        let spans = token_spans(text);
        let n = spans.len();
        if n == 0 {
            return String::new();
        }
        let folded: Vec<Token> = spans
            .iter()
            .map(|&(a, b)| Token::new(&text[a..b]))
            .collect();
        // matches: (first token, end token, phrase)
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        for i in 0..n {
            for (p, ph) in self.0.iter().enumerate() {
                let k = ph.tokens.len();
                if i + k > n {
                    continue;
                }
                let ok = ph
                    .tokens
                    .iter()
                    .enumerate()
                    .all(|(j, t)| folded[i + j].is(t, ph.prefix && j + 1 == k));
                if ok {
                    hits.push((i, i + k, p));
                }
            }
        }
        let width = SNIPPET_TOKENS.min(n);
        let mut start = 0;
        let mut best = (0usize, 0usize);
        for &(a, b, _) in &hits {
            let len = (b - a).min(width);
            let s = a.saturating_sub((width - len) / 2).min(n - width);
            let mut seen: Vec<usize> = Vec::new();
            let mut count = 0;
            for &(x, y, p) in &hits {
                if x >= s && y <= s + width {
                    count += 1;
                    if !seen.contains(&p) {
                        seen.push(p);
                    }
                }
            }
            if (seen.len(), count) > best {
                best = (seen.len(), count);
                start = s;
            }
        }
        let end = start + width;
        let from = if start == 0 { 0 } else { spans[start].0 };
        let to = if end == n {
            text.len()
        } else {
            spans[end - 1].1
        };
        // marked byte ranges inside the passage, merged
        let mut marks: Vec<(usize, usize)> = Vec::new();
        for &(a, b, _) in &hits {
            if a < start || b > end {
                continue;
            }
            let (x, y) = (spans[a].0, spans[b - 1].1);
            match marks.last_mut() {
                Some(last) if x <= last.1 => last.1 = last.1.max(y),
                _ => marks.push((x, y)),
            }
        }
        let mut out = String::with_capacity(to - from + 16);
        if start > 0 {
            out.push('…');
        }
        let mut at = from;
        for (x, y) in marks {
            out.push_str(&text[at..x]);
            out.push(MARK_START);
            out.push_str(&text[x..y]);
            out.push(MARK_END);
            at = y;
        }
        out.push_str(&text[at..to]);
        if end < n {
            out.push('…');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(query: &str, text: &str) -> String {
        Phrases::of(query)
            .snippet(text)
            .replace(MARK_START, "[")
            .replace(MARK_END, "]")
    }

    #[test]
    fn marks_words_phrases_and_prefixes() {
        assert_eq!(
            show("PUTÍN", "Vladimir Putin met Kim. Putin left."),
            "Vladimir [Putin] met Kim. [Putin] left."
        );
        assert_eq!(
            show(
                "\"corea del norte\" sanc*",
                "Sanciones a Corea del Norte, dijo."
            ),
            "[Sanciones] a [Corea del Norte], dijo."
        );
        assert_eq!(show("Kim -Putin", "Putin y Kim"), "Putin y [Kim]");
        assert_eq!(
            show("Zelenski OR Kim", "Kim, Zelenski"),
            "[Kim], [Zelenski]"
        );
        assert_eq!(show("x", ""), "");
        assert_eq!(show("nada", "«Sin coincidencias.»"), "«Sin coincidencias.»");
    }

    #[test]
    fn picks_the_passage_with_most_phrases() {
        let filler = |n: usize| vec!["palabra"; n].join(" ");
        let text = format!(
            "Kim habló. {} Kim y Putin firmaron. {}",
            filler(40),
            filler(40)
        );
        let s = show("Kim Putin", &text);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("[Kim] y [Putin] firmaron"), "{s}");
        assert_eq!(s.matches(' ').count(), SNIPPET_TOKENS - 1, "{s}");
        // no match in the text (the title matched): its start
        let s = show("Ouagadougou", &text);
        assert!(s.starts_with("Kim habló.") && s.ends_with('…'), "{s}");
    }
}
