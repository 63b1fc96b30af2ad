//! Story segmentation: headlines of further stories inside the body.
//!
//! Two shapes are recognised, both seen in scraped news:
//! - a headline glued to the end of a paragraph and to the lead of its story
//!   ("... en breve. Donald Trump dialogará con ... en Alaska El presidente de
//!   Estados Unidos ..."): a sentence-start word from `headlines.tsv`
//!   (capitalised, followed by a lower-case word) right after a word with no
//!   punctuation, 5 to 25 words after the last sentence end, naming
//!   someone or something (a capitalised word after the first, or a number);
//! - a headline on a line of its own: no final punctuation, 8 to 25 words,
//!   not in capitals (those are cross-heads), followed by a longer paragraph
//!   of prose, after some body text. Shorter lines are taken as cross-heads
//!   of the same story.

use super::{ends_sentence, words_up_to, Piece, Sep};
use crate::clean::Rules;

/// A headline inside `p`: (start, end) relative to `p`; the lead begins at `end` (after white space).
fn glued_headline(p: &str, rules: &Rules, lang: &str, from: usize) -> Option<(usize, usize)> {
    // the starters of `lang`, and a table of their first bytes to turn most
    // words away without comparing them
    let starters: Vec<&str> = rules
        .starters
        .iter()
        .filter(|(_, l)| l == lang)
        .map(|(s, _)| s.as_str())
        .collect();
    let mut first_bytes = [false; 256];
    for s in &starters {
        if let Some(b) = s.bytes().next() {
            first_bytes[usize::from(b)] = true;
        }
    }
    let is_starter = |w: &str| {
        w.bytes()
            .next()
            .is_some_and(|b| first_bytes[usize::from(b)])
            && starters.contains(&w)
    };
    let mut prev_word_end: Option<usize> = None;
    let mut iter = p[from..].split(' ').peekable();
    let mut pos = from;
    let mut prev: &str = "";
    let mut prev2: &str = "";
    // start of the current sentence, tracked as we go (no rescans)
    let mut sent_start = from;
    while let Some(word) = iter.next() {
        let start = pos;
        pos += word.len() + 1;
        let next = iter.peek().copied().unwrap_or("");
        // cheap test first: most words are not sentence starters
        let prev_plain = is_starter(word)
            && !prev.is_empty()
            && prev.chars().last().is_some_and(|c| c.is_alphanumeric())
            && {
                let prev_low = prev.to_lowercase();
                !rules.closers.contains(&prev_low)
            };
        let next_lower = || next.chars().next().is_some_and(|c| c.is_lowercase());
        let upper = |w: &str| w.chars().next().is_some_and(|c| c.is_uppercase());
        // "Kim Jong Un mantuvieron": a short starter after two capitalised
        // words is more likely the end of a name than a new sentence.
        let name_tail = || word.chars().count() <= 2 && upper(prev) && upper(prev2);
        if prev_plain && next_lower() && !name_tail() {
            if let Some(pe) = prev_word_end {
                let head_start = sent_start;
                let head = &p[head_start..pe];
                let n = words_up_to(head, 26);
                let starts_upper = head
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_numeric());
                let lead = &p[start..];
                let lead_end = lead.find(['.', '!', '?']).unwrap_or(lead.len());
                let lead_ok = words_up_to(&lead[..lead_end], 6) >= 6;
                if (5..=25).contains(&n)
                    && starts_upper
                    && lead_ok
                    && names_something(head)
                    && !head.contains([':', ';'])
                {
                    return Some((head_start, start));
                }
            }
        }
        prev_word_end = Some(start + word.len());
        if ends_sentence_word(word) {
            sent_start = pos.min(p.len());
        }
        prev2 = prev;
        prev = word;
    }
    None
}

/// A story headline names someone or something: a capitalised word after
/// the first, or a number. Section cross-heads ("Aprender las lecciones de
/// la crisis") often do not.
fn names_something(head: &str) -> bool {
    head.split_whitespace().skip(1).any(|w| {
        let w = w.trim_start_matches(['"', '\'', '“', '‘', '«', '(', '¿', '¡']);
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    })
}

/// A word that closes a sentence ("breve.", "dijo:", "«fin».").
fn ends_sentence_word(w: &str) -> bool {
    let t = w.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']']);
    t.ends_with(['.', '!', '?', '…']) && t.chars().count() > 1
}

/// es or en, by counting frequent function words (the language stage runs
/// later; segmentation only needs to pick its word list).
fn guess_lang(text: &str) -> &'static str {
    let (mut es, mut en) = (0usize, 0usize);
    for w in text.split_whitespace().take(400) {
        // every word counted has at most 4 letters, and lower-casing never
        // makes a word shorter in characters: skip longer words unlowered
        if w.chars().nth(4).is_some() {
            continue;
        }
        match w.to_lowercase().as_str() {
            "el" | "la" | "los" | "las" | "de" | "del" | "que" | "y" | "en" | "por" | "con"
            | "una" => es += 1,
            "the" | "of" | "and" | "to" | "in" | "is" | "that" | "for" | "with" | "on" | "was" => {
                en += 1
            }
            _ => {}
        }
    }
    if en > es {
        "en"
    } else {
        "es"
    }
}

fn content_set(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 5)
        .map(|w| w.to_lowercase())
        .collect()
}

/// A stand-alone line starts a new story rather than a section of the same
/// one when its lead takes up its words and the paragraph before does not.
fn new_topic(head: &str, lead: &str, before: &str) -> bool {
    let h = content_set(head);
    let l = content_set(lead);
    let b = content_set(before);
    let in_lead = h.iter().filter(|w| l.contains(w)).count();
    let in_before = h.iter().filter(|w| b.contains(w)).count();
    in_lead >= 1 && in_before == 0
}

/// Splits pieces so that every story headline is a piece of its own,
/// marked `headline`. `title_piece`: the first piece is the document title.
pub(super) fn split_stories(
    raw: &str,
    pieces: Vec<Piece>,
    rules: &Rules,
    title_piece: bool,
) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len() + 2);
    let lang = guess_lang(raw);
    let n = pieces.len();
    for (i, p) in pieces.iter().enumerate() {
        let body_before = out.iter().any(|q| !q.headline);
        if p.headline {
            out.push(p.clone());
            continue;
        }
        // a headline on a line of its own
        let whole_line = p.sep != Sep::Space
            && pieces
                .get(i + 1)
                .map(|q| q.sep != Sep::Space)
                .unwrap_or(true);
        let s = &raw[p.start..p.end];
        if body_before && whole_line && i + 1 < n {
            let next = &pieces[i + 1];
            let next_s = &raw[next.start..next.end];
            // (the cheap tests first: most pieces are long paragraphs)
            let words = words_up_to(s, 26);
            let last = || s.split_whitespace().last().unwrap_or("").to_lowercase();
            if (8..=25).contains(&words)
                && s.chars().any(|c| c.is_lowercase())
                && names_something(s)
                && !s.contains(['@', '—', '|', '*'])
                && !ends_sentence(s)
                && ends_sentence(next_s)
                && words_up_to(next_s, words + 1) > words
                && !rules.closers.contains(&last())
                && new_topic(
                    s,
                    next_s,
                    out.last().map(|q| &raw[q.start..q.end]).unwrap_or(""),
                )
            {
                out.push(Piece {
                    headline: true,
                    ..p.clone()
                });
                continue;
            }
        }
        // headlines glued inside the piece
        let mut cur = p.clone();
        let mut from = 0;
        loop {
            let s = &raw[cur.start..cur.end];
            let found = glued_headline(s, rules, lang, from);
            let Some((hs, he)) = found else {
                out.push(cur);
                break;
            };
            let body_before = body_before || hs > 0 || out.iter().any(|q| !q.headline);
            if !body_before || (i == 0 && title_piece) {
                from = he;
                if from >= s.len() {
                    out.push(cur);
                    break;
                }
                continue;
            }
            let head = &s[hs..he];
            let head_trim = head.trim_end();
            if hs > 0 {
                let before = s[..hs].trim_end();
                out.push(Piece {
                    start: cur.start,
                    end: cur.start + before.len(),
                    sep: cur.sep,
                    headline: false,
                });
            }
            out.push(Piece {
                start: cur.start + hs,
                end: cur.start + hs + head_trim.len(),
                sep: Sep::Para,
                headline: true,
            });
            cur = Piece {
                start: cur.start + he,
                end: cur.end,
                sep: Sep::Para,
                headline: false,
            };
            from = 0;
            if cur.start >= cur.end {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_glued_headline() {
        let rules = Rules::builtin().ok();
        let Some(rules) = rules else { panic!("rules") };
        let p = "Todo sigue igual en la zona. El ministro de Salud anuncia nuevas medidas contra la gripe en Madrid El ministro anunció ayer un plan.";
        let got = glued_headline(p, &rules, "es", 0).map(|(a, b)| &p[a..b]);
        assert_eq!(
            got,
            Some("El ministro de Salud anuncia nuevas medidas contra la gripe en Madrid ")
        );
        let plain = "El ministro habló con la prensa en El Salvador durante la visita oficial.";
        assert_eq!(glued_headline(plain, &rules, "es", 0), None);
        let name = "Antes hubo otra cosa. El presidente y el líder norcoreano Kim Jong Un mantuvieron una conversación telefónica.";
        assert_eq!(glued_headline(name, &rules, "es", 0), None);
    }
}
