//! Cleaning and story segmentation.
//!
//! Design choice: the rules are data (`data/clean/*.tsv`, reviewed phrase and
//! pattern lists for es and en), the code only applies them. The stage reads
//! `Doc::raw` line by line, removes whole lines (paywall notices, share
//! buttons, bylines ...) and pieces of lines (a photo caption with its credit
//! glued into a paragraph), records each removal in `removed`, then finds
//! headlines of further stories inside the body and builds `text` with a
//! byte alignment back to `raw`:
//!
//! ```text
//! text = headline "\n\n" paragraph ("\n\n" paragraph)*
//! ```
//!
//! A glued second story ("... en breve. Donald Trump dialogará ... en Alaska
//! El presidente ...") gets its headline on a line of its own and its own
//! segment.

mod rules;
mod segment;

pub use rules::Rules;

use dateline_core::{AlignPiece, Diagnostic, Doc, Layer, Removed, Segment, Span, Stage};

/// The cleaning + segmentation stage.
pub struct Clean {
    rules: Rules,
}

impl Clean {
    /// Builds the stage with the shipped rules.
    pub fn new() -> crate::Result<Clean> {
        Ok(Clean {
            rules: Rules::builtin()?,
        })
    }
}

/// How a kept piece is joined to the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sep {
    /// Same line, after text was cut out between: one space.
    Space,
    /// Next line of the same paragraph.
    Line,
    /// New paragraph.
    Para,
}

/// A run of raw text that survives cleaning.
#[derive(Debug, Clone)]
struct Piece {
    start: usize,
    end: usize,
    sep: Sep,
    /// The piece is the headline of a story.
    headline: bool,
}

/// A trimmed non-blank line of the raw body.
struct Line {
    start: usize,
    end: usize,
    para_before: bool,
}

fn split_lines(raw: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut blank = true;
    let mut pos = 0;
    for seg in raw.split_inclusive('\n') {
        let body = seg.trim_end_matches(['\n', '\r']);
        let lead = body.len() - body.trim_start().len();
        let trimmed = body.trim();
        if trimmed.is_empty() {
            blank = true;
        } else {
            let start = pos + lead;
            out.push(Line {
                start,
                end: start + trimmed.len(),
                para_before: blank,
            });
            blank = false;
        }
        pos += seg.len();
    }
    out
}

/// True when `s` ends a sentence (final punctuation, maybe inside quotes).
pub(crate) fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', ' ']);
    t.ends_with(['.', '!', '?', '…', ':', ';'])
}

/// Byte offset where the last sentence of `s` starts (0 if `s` is one sentence).
pub(crate) fn last_sentence_start(s: &str) -> usize {
    let mut last = 0;
    let mut prev_end = false;
    let mut prev_space = false;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if prev_end
            && prev_space
            && !c.is_whitespace()
            && (c.is_uppercase() || "\"“«¿¡'".contains(c))
        {
            last = i;
        }
        if ".!?…".contains(c) {
            prev_end = true;
            prev_space = false;
        } else if "\"”’»)]".contains(c) && prev_end && !prev_space {
            // closing quote after the final mark: still the sentence end
        } else if c.is_whitespace() {
            prev_space = prev_end;
            if !prev_end {
                prev_space = false;
            }
        } else {
            prev_end = false;
            prev_space = false;
        }
        let _ = chars.peek();
    }
    last
}

/// The number of words of `s`, counted up to `cap` (enough to test a
/// range below `cap` without walking a whole paragraph).
fn words_up_to(s: &str, cap: usize) -> usize {
    s.split_whitespace().take(cap).count()
}

fn content_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(|w| w.to_lowercase())
        .collect()
}

/// A cut: bytes of `raw` removed, with why.
struct Cut {
    start: usize,
    end: usize,
    kind: &'static str,
    reason: String,
}

impl Clean {
    fn line_rule(&self, line: &str) -> Option<(&str, &str)> {
        // no line rule applies to long lines (paragraphs): skip the regexes
        if line.len() > 4 * self.rules.max_line_chars {
            return None;
        }
        let n = line.chars().count();
        if n > self.rules.max_line_chars {
            return None;
        }
        self.rules
            .line_res
            .iter()
            .zip(&self.rules.line)
            .find(|(re, r)| n <= r.max_chars && re.is_match(line))
            .map(|(_, r)| (r.kind.as_str(), r.reason.as_str()))
    }

    /// End (relative to `after`) of the credit name that follows a marker.
    fn credit_len(&self, after: &str) -> Option<usize> {
        for c in &self.rules.credits {
            if let Some(rest) = after.strip_prefix(c.as_str()) {
                if !rest.starts_with(|ch: char| ch.is_alphanumeric()) {
                    return Some(c.len());
                }
            }
        }
        // Unknown credit: a capitalised word, extended over a following
        // "Name/Agency" token when one comes within three words.
        let first = after.chars().next()?;
        if !first.is_uppercase() {
            return None;
        }
        let mut len = 0;
        for w in after.split(' ').take(3) {
            if w.contains('/') {
                return Some(len + w.trim_end_matches([',', ';', '.']).len());
            }
            len += w.len() + 1;
        }
        let w = after.split(' ').next().unwrap_or("");
        Some(w.trim_end_matches([',', ';']).len())
    }

    /// Captions with a photo credit inside a line.
    fn caption_cuts(&self, raw: &str, start: usize, end: usize, cuts: &mut Vec<Cut>) {
        let line = &raw[start..end];
        let mut from = 0;
        while let Some(m) = self.rules.credit_marker.find_at(line, from) {
            from = m.end();
            let after = &line[m.end()..];
            let Some(clen) = self.credit_len(after) else {
                continue;
            };
            let mut cend = m.end() + clen;
            // swallow a closing bracket and the white space after the credit
            let tail = &line[cend..];
            let tail_trim = tail.trim_start_matches([')', ']']);
            cend += tail.len() - tail_trim.len();
            let ws = tail_trim.len() - tail_trim.trim_start().len();
            let cut_end = cend + ws;
            // the caption is the sentence right before the marker
            let before = line[..m.start()].trim_end();
            let before = before.trim_end_matches(['(', '[', ' ', '-', '–', '|']);
            let body = before.strip_suffix('.').unwrap_or(before);
            let cap_start = last_sentence_start(body);
            let cap_chars = line[cap_start..m.start()].chars().count();
            let (cstart, kind, reason) = if cap_chars <= 400 {
                (cap_start, "caption", "photo caption with credit")
            } else {
                (m.start(), "caption", "photo credit")
            };
            cuts.push(Cut {
                start: start + cstart,
                end: start + cut_end,
                kind,
                reason: format!("{reason} (credits.tsv)"),
            });
            from = cut_end.max(from);
            if from >= line.len() {
                break;
            }
        }
    }

    fn inline_cuts(&self, raw: &str, start: usize, end: usize, cuts: &mut Vec<Cut>) {
        let line = &raw[start..end];
        for rule in &self.rules.inline {
            for m in rule.re.find_iter(line) {
                let ws = line[m.end()..].len() - line[m.end()..].trim_start().len();
                cuts.push(Cut {
                    start: start + m.start(),
                    end: start + m.end() + ws,
                    kind: leak_kind(&rule.kind),
                    reason: rule.reason.clone(),
                });
            }
        }
    }
}

/// Maps a rule's kind to a static name (kinds are a small closed set).
fn leak_kind(kind: &str) -> &'static str {
    match kind {
        "paywall" => "paywall",
        "caption" => "caption",
        "share" => "share",
        "newsletter" => "newsletter",
        "related" => "related",
        "ad" => "ad",
        "byline" => "byline",
        _ => "boilerplate",
    }
}

impl Stage for Clean {
    fn name(&self) -> &'static str {
        "clean"
    }
    fn requires(&self) -> &'static [Layer] {
        &[Layer::Raw]
    }
    fn provides(&self) -> &'static [Layer] {
        &[Layer::Text, Layer::Segments]
    }

    fn process(&self, doc: &mut Doc) {
        let raw = std::mem::take(&mut doc.raw);
        let mut pieces: Vec<Piece> = Vec::new();
        let mut removed: Vec<Removed> = Vec::new();
        let mut para_pending = false;

        for line in split_lines(&raw) {
            let text = &raw[line.start..line.end];
            let para = line.para_before || para_pending;
            if let Some((kind, reason)) = self.line_rule(text) {
                removed.push(Removed {
                    kind: leak_kind(kind).to_string(),
                    text: text.to_string(),
                    reason: format!("{reason} (rules.tsv)"),
                    raw_span: (line.start, line.end),
                });
                para_pending = para;
                continue;
            }
            let mut cuts = Vec::new();
            self.caption_cuts(&raw, line.start, line.end, &mut cuts);
            self.inline_cuts(&raw, line.start, line.end, &mut cuts);
            cuts.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
            let mut pos = line.start;
            let mut first = true;
            for c in cuts {
                if c.start < pos {
                    continue; // overlaps a cut already made
                }
                push_kept(&raw, pos, c.start, &mut pieces, &mut first, para);
                removed.push(Removed {
                    kind: c.kind.to_string(),
                    text: raw[c.start..c.end].trim_end().to_string(),
                    reason: c.reason,
                    raw_span: (c.start, c.end),
                });
                pos = c.end;
            }
            push_kept(&raw, pos, line.end, &mut pieces, &mut first, para);
            para_pending = first && para;
        }

        self.remove_title_echo(&raw, &doc.title, &mut pieces, &mut removed);
        let title_piece = if doc.title.trim().is_empty() {
            self.pick_title(&raw, &mut pieces, doc)
        } else {
            false
        };
        let pieces = segment::split_stories(&raw, pieces, &self.rules, title_piece);
        build_text(doc, &raw, &pieces, title_piece);
        removed.sort_by_key(|r| r.raw_span);
        doc.removed = removed;
        doc.raw = raw;
        if doc.text.trim().is_empty() {
            doc.diag(Diagnostic::warning("clean", "no text left after cleaning"));
        }
    }
}

fn push_kept(raw: &str, s: usize, e: usize, pieces: &mut Vec<Piece>, first: &mut bool, para: bool) {
    let seg = &raw[s..e];
    let t = seg.trim();
    if t.is_empty() {
        return;
    }
    let start = s + (seg.len() - seg.trim_start().len());
    let sep = if !*first {
        Sep::Space
    } else if para {
        Sep::Para
    } else {
        Sep::Line
    };
    *first = false;
    pieces.push(Piece {
        start,
        end: start + t.len(),
        sep,
        headline: false,
    });
}

impl Clean {
    /// A short line near the top that repeats the headline is an image
    /// caption left over by the scraper.
    fn remove_title_echo(
        &self,
        raw: &str,
        title: &str,
        pieces: &mut Vec<Piece>,
        removed: &mut Vec<Removed>,
    ) {
        let tw = content_words(title);
        if tw.is_empty() || pieces.len() < 2 {
            return;
        }
        let mut i = 0;
        let mut lines_seen = 0;
        while i < pieces.len() && lines_seen < 3 {
            let p = &pieces[i];
            let whole_line = p.sep != Sep::Space
                && pieces
                    .get(i + 1)
                    .map(|n| n.sep != Sep::Space)
                    .unwrap_or(true);
            lines_seen += usize::from(p.sep != Sep::Space);
            let s = &raw[p.start..p.end];
            // the cheap tests first: most pieces are paragraphs
            let echo = whole_line
                && i + 1 < pieces.len()
                && (3..=15).contains(&words_up_to(s, 16))
                && last_sentence_start(s) == 0
                && {
                    let cw = content_words(s);
                    let shared = cw.iter().filter(|w| tw.contains(w)).count();
                    !cw.is_empty() && shared * 10 >= cw.len() * 6
                };
            if echo {
                let norm = |x: &str| x.trim_end_matches(['.', ' ']).to_lowercase();
                let (kind, reason) = if norm(s) == norm(title) {
                    ("title", "headline repeated at the top of the body")
                } else {
                    (
                        "caption",
                        "short line near the top repeating the headline (image caption)",
                    )
                };
                removed.push(Removed {
                    kind: kind.to_string(),
                    text: s.to_string(),
                    reason: reason.to_string(),
                    raw_span: (p.start, p.end),
                });
                let next_sep = p.sep;
                pieces.remove(i);
                if let Some(n) = pieces.get_mut(i) {
                    if n.sep != Sep::Space {
                        n.sep = if next_sep == Sep::Para {
                            Sep::Para
                        } else {
                            n.sep
                        };
                    }
                }
                continue;
            }
            i += 1;
        }
    }

    /// Without a title from the input, a first line that looks like a
    /// headline becomes the title.
    fn pick_title(&self, raw: &str, pieces: &mut [Piece], doc: &mut Doc) -> bool {
        let Some(first) = pieces.first() else {
            return false;
        };
        let whole_line = pieces.get(1).map(|n| n.sep != Sep::Space).unwrap_or(false);
        let s = &raw[first.start..first.end];
        let n = words_up_to(s, 26);
        if whole_line && (2..=25).contains(&n) && !ends_sentence(s) && s.chars().count() <= 200 {
            doc.title = s.to_string();
            if let Some(p) = pieces.first_mut() {
                p.headline = true;
            }
            doc.diag(Diagnostic::info("clean", "title taken from the first line"));
            return true;
        }
        false
    }
}

/// Where a story starts in `text`, where its headline stands, the headline.
type SegStart = (usize, Option<(usize, usize)>, String);

fn build_text(doc: &mut Doc, raw: &str, pieces: &[Piece], title_in_pieces: bool) {
    let mut text = String::with_capacity(raw.len() + doc.title.len() + 8);
    let mut align = Vec::new();
    let mut segments: Vec<SegStart> = Vec::new();
    if !title_in_pieces {
        let title = doc.title.trim().to_string();
        if !title.is_empty() {
            text.push_str(&title);
            segments.push((0, Some((0, text.len())), title));
        } else {
            segments.push((0, None, String::new()));
        }
    }
    for (i, p) in pieces.iter().enumerate() {
        if !text.is_empty() {
            text.push_str(
                match (p.headline || (i > 0 && pieces[i - 1].headline), p.sep) {
                    (true, _) | (_, Sep::Para) => "\n\n",
                    (_, Sep::Line) => "\n",
                    (_, Sep::Space) => " ",
                },
            );
        }
        let at = text.len();
        text.push_str(&raw[p.start..p.end]);
        align.push(AlignPiece {
            clean: at,
            raw: p.start,
            len: p.end - p.start,
        });
        if p.headline {
            let title = raw[p.start..p.end].to_string();
            if segments.len() == 1 && segments[0].1.is_none() && segments[0].0 == 0 && at == 0 {
                segments[0] = (0, Some((at, text.len())), title);
            } else {
                segments.push((at, Some((at, text.len())), title));
            }
        }
    }
    if segments.is_empty() {
        segments.push((0, None, String::new()));
    }
    let mut out = Vec::with_capacity(segments.len());
    for (k, (start, tspan, title)) in segments.iter().enumerate() {
        let end = segments.get(k + 1).map(|s| s.0).unwrap_or(text.len());
        let end = text[..end].trim_end().len().max(*start);
        let (Ok(span), title_span) = (
            Span::new(&text, *start, end),
            tspan.and_then(|(a, b)| Span::new(&text, a, b).ok()),
        ) else {
            continue;
        };
        out.push(Segment {
            kind: "story".to_string(),
            title: title.clone(),
            span,
            title_span,
            lang: None,
        });
    }
    doc.text = text;
    doc.alignment = align;
    doc.segments = out;
}

#[cfg(test)]
mod tests;
