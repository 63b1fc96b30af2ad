//! Word-form features shared by the taggers (UPOS, NER): shape, prefixes
//! and suffixes, on characters, never splitting one.

/// Word shape of the first `max_chars` characters: X for upper-case, x for
/// lower-case, d for ASCII digits, other characters as they are; runs
/// collapsed ("McCain" → "XxXx", "15.000" → "d.d").
pub fn shape(w: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut last = '\0';
    for c in w.chars().take(max_chars) {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if s != last {
            out.push(s);
            last = s;
        }
    }
    out
}

/// The last `n` characters of `w` (all of it when shorter).
pub fn suffix(w: &str, n: usize) -> &str {
    let count = w.chars().count();
    if count <= n {
        return w;
    }
    w.char_indices()
        .nth(count - n)
        .map(|(i, _)| &w[i..])
        .unwrap_or(w)
}

/// The first `n` characters of `w` (all of it when shorter).
pub fn prefix(w: &str, n: usize) -> &str {
    w.char_indices().nth(n).map(|(i, _)| &w[..i]).unwrap_or(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_affixes() {
        assert_eq!(shape("McCain", 16), "XxXx");
        assert_eq!(shape("15.000", 16), "d.d");
        assert_eq!(shape("abcdef", 2), "x");
        assert_eq!(shape("", 12), "");
        assert_eq!(suffix("años", 2), "os");
        assert_eq!(suffix("a", 3), "a");
        assert_eq!(prefix("Ñu", 1), "Ñ");
        assert_eq!(prefix("Ñu", 5), "Ñu");
    }
}
