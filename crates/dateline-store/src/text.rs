//! Small text helpers: name normalisation, dates, safe FTS5 queries.

use unicode_normalization::UnicodeNormalization;

/// Lower case, accents removed, runs of white space made one space: the
/// form names are compared in ("Vladímir  Putin" → "vladimir putin").
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// `YYYY-MM-DD` from the start of an ISO 8601 date or date-time, when it
/// has a full date.
pub fn day_of(s: &str) -> Option<String> {
    let d = s.trim().get(0..10)?;
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b[4] == b'-' && b[7] == b'-' && digits(0..4) && digits(5..7) && digits(8..10) {
        let m = d.get(5..7)?.parse::<u32>().ok()?;
        let day = d.get(8..10)?.parse::<u32>().ok()?;
        if (1..=12).contains(&m) && (1..=31).contains(&day) {
            return Some(d.to_string());
        }
    }
    None
}

/// One term of a query as a person types it.
pub(crate) struct Term {
    /// `-word`: documents with it are excluded.
    pub neg: bool,
    /// The word or the words of a quoted phrase.
    pub body: String,
    /// `word*`: a prefix.
    pub prefix: bool,
    /// Joined to the previous term by `OR`.
    pub or: bool,
}

/// Splits what a person types into terms: words and `"quoted phrases"`,
/// `OR` between terms, `word*` for a prefix, `-word` to exclude; terms
/// without a letter or digit are dropped.
pub(crate) fn terms(input: &str) -> Vec<Term> {
    let mut terms: Vec<Term> = Vec::new();
    let mut pending_or = false;
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let neg = c == '-' && chars.get(i + 1).is_some_and(|n| !n.is_whitespace());
        if neg {
            i += 1;
        }
        let (raw, quoted) = if chars.get(i) == Some(&'"') {
            let start = i + 1;
            let mut j = start;
            while j < chars.len() && chars[j] != '"' {
                j += 1;
            }
            let s: String = chars[start..j.min(chars.len())].iter().collect();
            i = j + 1;
            (s, true)
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '"' {
                i += 1;
            }
            (chars[start..i].iter().collect::<String>(), false)
        };
        if !quoted && !neg && raw == "OR" {
            pending_or = !terms.is_empty();
            continue;
        }
        let prefix = !quoted && raw.ends_with('*');
        let body = raw.trim_end_matches('*');
        if !body.chars().any(char::is_alphanumeric) {
            continue;
        }
        let or = pending_or && !neg && terms.last().is_some_and(|t| !t.neg);
        pending_or = false;
        terms.push(Term {
            neg,
            body: body.to_string(),
            prefix,
            or,
        });
    }
    terms
}

/// Turns what a person types into a valid FTS5 query: words and
/// `"quoted phrases"` (all required), `OR` between terms, `word*` for a
/// prefix, `-word` to exclude. Every term is quoted, so no input is a syntax
/// error; `None` when nothing searchable is left.
pub fn fts_query(input: &str) -> Option<String> {
    let mut groups: Vec<(bool, String)> = Vec::new(); // (negated, fts term)
    for t in terms(input) {
        let mut term = format!("\"{}\"", t.body.replace('"', "\"\""));
        if t.prefix {
            term.push('*');
        }
        if t.or {
            if let Some(last) = groups.last_mut() {
                last.1 = format!("({} OR {})", last.1, term);
                continue;
            }
        }
        groups.push((t.neg, term));
    }
    let positive: Vec<&str> = groups
        .iter()
        .filter(|t| !t.0)
        .map(|t| t.1.as_str())
        .collect();
    if positive.is_empty() {
        return None;
    }
    let mut q = positive.join(" AND ");
    for (_, t) in groups.iter().filter(|t| t.0) {
        q = format!("({q}) NOT {t}");
    }
    Some(q)
}

/// A code-point slice of `text`, clamped to its length.
pub(crate) struct CpIndex<'a> {
    text: &'a str,
    offsets: Vec<usize>,
}

impl<'a> CpIndex<'a> {
    pub fn new(text: &'a str) -> CpIndex<'a> {
        let mut offsets: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        offsets.push(text.len());
        CpIndex { text, offsets }
    }
    pub fn slice(&self, span: [usize; 2]) -> &'a str {
        let n = self.offsets.len() - 1;
        let a = span[0].min(n);
        let b = span[1].min(n).max(a);
        &self.text[self.offsets[a]..self.offsets[b]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_names() {
        assert_eq!(normalize("  Vladímir   PUTIN "), "vladimir putin");
        assert_eq!(normalize("Corea del Norte"), "corea del norte");
        assert_eq!(normalize("Ñandú"), "nandu");
    }

    #[test]
    fn days() {
        assert_eq!(day_of("2025-08-13").as_deref(), Some("2025-08-13"));
        assert_eq!(
            day_of("2025-08-13T10:00:00Z").as_deref(),
            Some("2025-08-13")
        );
        assert_eq!(day_of("2025-08"), None);
        assert_eq!(day_of("2025-13-01"), None);
        assert_eq!(day_of("dé-ja-vu!!"), None);
        assert_eq!(day_of(""), None);
    }

    #[test]
    fn fts_queries_are_always_valid() {
        assert_eq!(fts_query("Putin").as_deref(), Some("\"Putin\""));
        assert_eq!(
            fts_query("Putin Kim").as_deref(),
            Some("\"Putin\" AND \"Kim\"")
        );
        assert_eq!(
            fts_query("\"Corea del Norte\" sanc*").as_deref(),
            Some("\"Corea del Norte\" AND \"sanc\"*")
        );
        assert_eq!(
            fts_query("Putin OR Trump").as_deref(),
            Some("(\"Putin\" OR \"Trump\")")
        );
        assert_eq!(
            fts_query("Putin -Trump").as_deref(),
            Some("(\"Putin\") NOT \"Trump\"")
        );
        assert_eq!(fts_query("\"\" * - OR ()"), None);
        assert_eq!(fts_query("a\"b").as_deref(), Some("\"a\" AND \"b\""));
        assert_eq!(
            fts_query("NEAR(x y)").as_deref(),
            Some("\"NEAR(x\" AND \"y)\"")
        );
    }

    #[test]
    fn cp_slices_clamp() {
        let ix = CpIndex::new("añb");
        assert_eq!(ix.slice([1, 2]), "ñ");
        assert_eq!(ix.slice([2, 99]), "b");
        assert_eq!(ix.slice([5, 1]), "");
    }
}
