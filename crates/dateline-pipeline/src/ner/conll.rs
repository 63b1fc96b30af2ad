//! The CoNLL-2002/2003 column format and the conlleval metrics.
//!
//! Design choice: the reader accepts what the shared tasks and their
//! redistributions ship (`WORD TAG` or `WORD POS ... TAG`, IOB1 or IOB2,
//! `-DOCSTART-` lines, blank lines between sentences) and keeps only the
//! words and the last column; chunks are read with conlleval's rules, so
//! the figures are comparable with every published CoNLL number.

use std::collections::BTreeMap;

/// One sentence: words and their tags (the last column).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sentence {
    pub words: Vec<String>,
    pub tags: Vec<String>,
}

/// Reads the column format. Lines that have a single column are taken as
/// words tagged `O` (never an error: gold files in the wild are ragged).
pub fn read(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        let mut cols = line.split([' ', '\t']).filter(|c| !c.is_empty());
        let Some(word) = cols.next() else {
            if !cur.words.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        };
        if word == "-DOCSTART-" {
            if !cur.words.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let tag = cols.next_back().unwrap_or("O");
        cur.words.push(word.to_string());
        cur.tags.push(tag.to_string());
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    out
}

/// A typed chunk over word indices `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Chunk {
    pub start: usize,
    pub end: usize,
    pub label: String,
}

fn split_tag(tag: &str) -> (&str, &str) {
    match tag.split_once('-') {
        Some((p, t)) => (p, t),
        None if tag == "O" => ("O", ""),
        None => ("I", tag),
    }
}

/// Chunks of an IOB1/IOB2/BILOU tag sequence, as conlleval reads them: a
/// chunk starts at B (or S/U), at I after O or after another type, and ends
/// before O, B, S/U or a change of type, and after E/L.
pub fn chunks<S: AsRef<str>>(tags: &[S]) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    let mut prev = ("O", "");
    for (i, t) in tags.iter().enumerate() {
        let (p, ty) = split_tag(t.as_ref());
        let (pp, pty) = prev;
        let ends_prev = matches!(pp, "E" | "L" | "S" | "U")
            || (matches!(pp, "B" | "I") && (matches!(p, "B" | "S" | "U" | "O") || ty != pty));
        if ends_prev {
            if let Some((s, l)) = open.take() {
                out.push(Chunk {
                    start: s,
                    end: i,
                    label: l,
                });
            }
        }
        let starts = matches!(p, "B" | "S" | "U")
            || (matches!(p, "I" | "E" | "L")
                && (matches!(pp, "O" | "E" | "L" | "S" | "U") || ty != pty));
        if p != "O" && (starts || open.is_none()) {
            if let Some((s, l)) = open.take() {
                out.push(Chunk {
                    start: s,
                    end: i,
                    label: l,
                });
            }
            open = Some((i, ty.to_string()));
        }
        prev = if p == "O" { ("O", "") } else { (p, ty) };
    }
    if let Some((s, l)) = open {
        out.push(Chunk {
            start: s,
            end: tags.len(),
            label: l,
        });
    }
    out
}

/// IOB2 tags for chunks over `n` words.
pub fn iob2(chunks: &[Chunk], n: usize) -> Vec<String> {
    let mut tags = vec!["O".to_string(); n];
    for c in chunks {
        for (k, t) in tags.iter_mut().enumerate().take(c.end.min(n)).skip(c.start) {
            *t = format!("{}-{}", if k == c.start { "B" } else { "I" }, c.label);
        }
    }
    tags
}

/// BILOU tags for chunks over `n` words.
pub fn bilou(chunks: &[Chunk], n: usize) -> Vec<String> {
    let mut tags = vec!["O".to_string(); n];
    for c in chunks {
        let end = c.end.min(n);
        for (k, t) in tags.iter_mut().enumerate().take(end).skip(c.start) {
            let p = if end - c.start == 1 {
                "U"
            } else if k == c.start {
                "B"
            } else if k + 1 == end {
                "L"
            } else {
                "I"
            };
            *t = format!("{p}-{}", c.label);
        }
    }
    tags
}

/// Counts of one type (or of all).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl Counts {
    /// Precision, recall and F1 in percent (0 when undefined, as conlleval).
    pub fn prf(&self) -> (f64, f64, f64) {
        let p = if self.predicted == 0 {
            0.0
        } else {
            100.0 * self.correct as f64 / self.predicted as f64
        };
        let r = if self.gold == 0 {
            0.0
        } else {
            100.0 * self.correct as f64 / self.gold as f64
        };
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        (p, r, f)
    }
}

/// Chunk-level scores over a corpus (conlleval: a chunk is correct when
/// start, end and type all match), plus token accuracy.
#[derive(Debug, Clone, Default)]
pub struct Score {
    pub overall: Counts,
    pub by_type: BTreeMap<String, Counts>,
    pub tokens: usize,
    pub tokens_correct: usize,
    pub sentences: usize,
}

impl Score {
    /// Adds one sentence: gold and predicted chunks, and the per-token
    /// labels (type or "O") for accuracy.
    pub fn add(&mut self, gold: &[Chunk], pred: &[Chunk], n: usize) {
        self.sentences += 1;
        self.tokens += n;
        let label_at = |cs: &[Chunk], i: usize| -> String {
            cs.iter()
                .find(|c| c.start <= i && i < c.end)
                .map(|c| format!("{}{}", if c.start == i { "B" } else { "I" }, c.label))
                .unwrap_or_default()
        };
        self.tokens_correct += (0..n)
            .filter(|&i| label_at(gold, i) == label_at(pred, i))
            .count();
        for c in gold {
            self.overall.gold += 1;
            self.by_type.entry(c.label.clone()).or_default().gold += 1;
        }
        for c in pred {
            self.overall.predicted += 1;
            let e = self.by_type.entry(c.label.clone()).or_default();
            e.predicted += 1;
            if gold.contains(c) {
                e.correct += 1;
                self.overall.correct += 1;
            }
        }
    }

    /// Token accuracy in percent.
    pub fn accuracy(&self) -> f64 {
        100.0 * self.tokens_correct as f64 / self.tokens.max(1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_columns_and_docstart() {
        let text =
            "-DOCSTART- -X- O\n\nAna NC B-PER\nvive VMI O\nen SP O\nLima NC B-LOC\n\n\nHola\n";
        let s = read(text);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].words, ["Ana", "vive", "en", "Lima"]);
        assert_eq!(s[0].tags, ["B-PER", "O", "O", "B-LOC"]);
        assert_eq!(s[1].tags, ["O"]);
    }

    #[test]
    fn chunks_follow_conlleval() {
        let c = |s: usize, e: usize, l: &str| Chunk {
            start: s,
            end: e,
            label: l.into(),
        };
        // IOB1: I after O starts a chunk; B separates adjacent chunks
        assert_eq!(
            chunks(&["I-ORG", "I-ORG", "B-ORG", "O", "I-PER", "I-LOC"]),
            vec![
                c(0, 2, "ORG"),
                c(2, 3, "ORG"),
                c(4, 5, "PER"),
                c(5, 6, "LOC")
            ]
        );
        let b = bilou(&[c(0, 1, "PER"), c(2, 5, "ORG")], 6);
        assert_eq!(b, ["U-PER", "O", "B-ORG", "I-ORG", "L-ORG", "O"]);
        assert_eq!(chunks(&b), vec![c(0, 1, "PER"), c(2, 5, "ORG")]);
        assert_eq!(iob2(&[c(1, 3, "LOC")], 3), ["O", "B-LOC", "I-LOC"]);
        assert!(chunks::<&str>(&[]).is_empty());
        assert_eq!(chunks(&["L-PER", "U-X", "odd"]).len(), 3);
    }

    #[test]
    fn scores_like_conlleval() {
        let g = chunks(&["B-PER", "I-PER", "O", "B-LOC"]);
        let p = chunks(&["B-PER", "I-PER", "O", "B-ORG"]);
        let mut s = Score::default();
        s.add(&g, &p, 4);
        let (pr, r, f) = s.overall.prf();
        assert_eq!((pr, r, f), (50.0, 50.0, 50.0));
        assert_eq!(s.by_type["LOC"].prf().0, 0.0);
        assert_eq!(s.accuracy(), 75.0);
    }
}
