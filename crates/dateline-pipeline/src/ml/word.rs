//! Word-form features shared by the taggers (UPOS, NER): shape, prefixes
//! and suffixes, on characters, never splitting one.

/// Word shape of the first `max_chars` characters: X for upper-case, x for
/// lower-case, d for ASCII digits, other characters as they are; runs
/// collapsed ("McCain" → "XxXx", "15.000" → "d.d").
pub fn shape(w: &str, max_chars: usize) -> String {
    let mut out = String::new();
    shape_into(w, max_chars, &mut out);
    out
}

/// Writes the word shape of `w` ([`shape`]) into `out` (cleared first).
pub fn shape_into(w: &str, max_chars: usize, out: &mut String) {
    out.clear();
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
}

/// The last `n` characters of `w` (all of it when shorter).
pub fn suffix(w: &str, n: usize) -> &str {
    if n == 0 {
        return w;
    }
    match w.char_indices().rev().nth(n - 1) {
        Some((i, _)) => &w[i..],
        None => w,
    }
}

/// The first `n` characters of `w` (all of it when shorter).
pub fn prefix(w: &str, n: usize) -> &str {
    w.char_indices().nth(n).map(|(i, _)| &w[..i]).unwrap_or(w)
}

/// Appends `w` lower-cased to `out`: the same text as `w.to_lowercase()`,
/// without allocating for the usual word.
pub fn push_lowercase(w: &str, out: &mut String) {
    if w.is_ascii() {
        out.extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else if w.contains('Σ') {
        // the final sigma depends on the context: as the standard library does
        out.push_str(&w.to_lowercase());
    } else {
        for c in w.chars() {
            out.extend(c.to_lowercase());
        }
    }
}

/// Whether `w.to_lowercase() == w` (no allocation).
pub fn is_lowercase(w: &str) -> bool {
    if w.is_ascii() {
        return !w.bytes().any(|b| b.is_ascii_uppercase());
    }
    w.chars().all(|c| {
        let mut l = c.to_lowercase();
        l.next() == Some(c) && l.next().is_none()
    })
}

/// `w` lower-cased (`w.to_lowercase()`), borrowed when it already is.
pub fn lowercase(w: &str) -> std::borrow::Cow<'_, str> {
    if is_lowercase(w) {
        std::borrow::Cow::Borrowed(w)
    } else {
        let mut s = String::with_capacity(w.len());
        push_lowercase(w, &mut s);
        std::borrow::Cow::Owned(s)
    }
}

/// The [`crate::ml::perceptron::hash_str`] of a word and of its suffixes of
/// 1 to 5 characters (`suffix[n - 1]` = hash of [`suffix`]`(w, n)`), which
/// the taggers' features read again and again.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Hashes {
    pub word: u64,
    pub suffix: [u64; 5],
}

impl Hashes {
    pub fn new(w: &str) -> Hashes {
        use crate::ml::perceptron::hash_str;
        let word = hash_str(w);
        let mut suffix = [word; 5];
        // start of the last 1..5 characters
        let mut n = 0;
        for (i, _) in w.char_indices().rev() {
            if n == 5 {
                break;
            }
            suffix[n] = hash_str(&w[i..]);
            n += 1;
        }
        // words shorter than 5 characters: longer suffixes are the word
        for s in suffix.iter_mut().skip(n) {
            *s = word;
        }
        Hashes { word, suffix }
    }
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
        assert_eq!(suffix("año", 3), "año");
        assert_eq!(suffix("año", 0), "año");
        assert_eq!(suffix("", 2), "");
        assert_eq!(prefix("Ñu", 1), "Ñ");
        assert_eq!(prefix("Ñu", 5), "Ñu");
    }

    #[test]
    fn lowercasing_and_hashes_match_the_plain_functions() {
        use crate::ml::perceptron::hash_str;
        let words = [
            "",
            "a",
            "Año",
            "ÉXITO",
            "canción",
            "McCain",
            "ΣΟΦΟΣ",
            "ǅemal",
            "İstanbul",
            "ẞ",
            "15.000",
            "EE.UU.",
            "niño",
            "x",
            "ab",
            "abc",
            "abcd",
            "abcde",
            "abcdef",
            "日本語です",
        ];
        let mut buf = String::new();
        for w in words {
            let mut s = String::new();
            push_lowercase(w, &mut s);
            assert_eq!(s, w.to_lowercase(), "{w}");
            assert_eq!(lowercase(w), w.to_lowercase(), "{w}");
            assert_eq!(is_lowercase(w), w.to_lowercase() == w, "{w}");
            let h = Hashes::new(w);
            assert_eq!(h.word, hash_str(w));
            for n in 1..=5 {
                assert_eq!(h.suffix[n - 1], hash_str(suffix(w, n)), "{w} {n}");
            }
            shape_into(w, 12, &mut buf);
            assert_eq!(buf, shape(w, 12));
        }
    }
}
