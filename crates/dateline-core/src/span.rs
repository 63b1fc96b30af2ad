//! Byte spans into a document's cleaned text.
//!
//! A [`Span`] is a half-open byte range `[start, end)`. It can only be built
//! against the text it points into, which checks that `start <= end <= len`
//! and that both ends fall on UTF-8 character boundaries, so slicing with a
//! span never panics.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// A checked byte range `[start, end)` into a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    start: usize,
    end: usize,
}

impl Span {
    /// Builds a span over `text`, checking bounds and character boundaries.
    pub fn new(text: &str, start: usize, end: usize) -> Result<Span> {
        let err = |why| Error::InvalidSpan {
            start,
            end,
            len: text.len(),
            why,
        };
        if start > end {
            return Err(err("start after end"));
        }
        if end > text.len() {
            return Err(err("end past the text"));
        }
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return Err(err("not on a character boundary"));
        }
        Ok(Span { start, end })
    }

    /// The span covering all of `text`.
    pub fn whole(text: &str) -> Span {
        Span {
            start: 0,
            end: text.len(),
        }
    }

    /// Start byte offset.
    pub fn start(&self) -> usize {
        self.start
    }

    /// End byte offset (exclusive).
    pub fn end(&self) -> usize {
        self.end
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The text under the span, or `""` if the span does not belong to `text`.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// True when `other` lies inside this span.
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// Converts byte offsets of one text into Unicode code-point offsets.
///
/// JSON consumers (Python, spaCy, GDELT tooling) slice strings by code
/// points, so every span leaves the process in code points.
pub struct CharIndex {
    /// `cp[i]` = code points before byte `i`, for every char boundary `i`.
    cp: Vec<u32>,
}

impl CharIndex {
    /// Builds the index for `text`.
    pub fn new(text: &str) -> CharIndex {
        let mut cp = vec![0u32; text.len() + 1];
        let mut n = 0u32;
        for (i, c) in text.char_indices() {
            cp[i] = n;
            for k in 1..c.len_utf8() {
                cp[i + k] = n;
            }
            n += 1;
        }
        cp[text.len()] = n;
        CharIndex { cp }
    }

    /// Code-point offset of byte offset `byte` (clamped to the text).
    pub fn cp(&self, byte: usize) -> usize {
        let last = self.cp.len() - 1;
        self.cp[byte.min(last)] as usize
    }

    /// A span as `[start, end)` in code points.
    pub fn span(&self, span: Span) -> [usize; 2] {
        [self.cp(span.start), self.cp(span.end)]
    }
}

/// Converts code-point offsets back to byte offsets (for reading JSON).
pub fn cp_to_byte(text: &str, cp: usize) -> Option<usize> {
    if cp == 0 {
        return Some(0);
    }
    let mut count = 0;
    for (i, _) in text.char_indices() {
        if count == cp {
            return Some(i);
        }
        count += 1;
    }
    if count == cp {
        Some(text.len())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rejects_bad_spans() {
        let t = "año";
        assert!(Span::new(t, 0, 2).is_err(), "inside ñ");
        assert!(Span::new(t, 2, 1).is_err());
        assert!(Span::new(t, 0, 5).is_err());
        assert_eq!(Span::new(t, 0, 3).map(|s| s.slice(t)).ok(), Some("añ"));
    }

    #[test]
    fn code_points() {
        let t = "Moscú y Kiev";
        let idx = CharIndex::new(t);
        let s = Span::new(t, 8, 12).ok();
        assert_eq!(s.map(|s| idx.span(s)), Some([7, 11]));
    }

    proptest! {
        #[test]
        fn any_span_built_is_sliceable(text in "\\PC{0,40}", a in 0usize..200, b in 0usize..200) {
            if let Ok(s) = Span::new(&text, a, b) {
                prop_assert!(s.end() <= text.len());
                prop_assert!(text.get(s.start()..s.end()).is_some());
                let idx = CharIndex::new(&text);
                let [cs, ce] = idx.span(s);
                let sliced: String = text.chars().skip(cs).take(ce - cs).collect();
                prop_assert_eq!(sliced.as_str(), s.slice(&text));
                prop_assert_eq!(cp_to_byte(&text, cs), Some(s.start()));
                prop_assert_eq!(cp_to_byte(&text, ce), Some(s.end()));
            }
        }
    }
}
