//! TIMEX3 gold readers and the TempEval-3 timex metrics.
//!
//! Readers:
//! * xtn BIO+value TSV (`token<TAB>B-DATE|I-DATE|O<TAB>value`, one document
//!   per `*!-DCTVALUE="YYYY-MM-DD"-!*` line, blank line between sentences):
//!   tokens are joined with one space, sentences with a newline, so the text
//!   a system sees is the tokenised text.
//! * TimeML `.tml` (TempEval-3 TBAQ-cleaned, HourGlass): the `<TEXT>` element
//!   with every tag removed and the XML entities decoded; the DCT is the
//!   TIMEX3 inside `<DCT>` (or the one whose `functionInDocument` is
//!   `CREATION_TIME`/`PUBLICATION_TIME`); it is not scored.
//!
//! Metrics follow the TempEval-3 task (UzZaman et al. 2013): strict match =
//! same extent, relaxed match = overlapping extents (one-to-one, exact
//! matches first); type and value are attributes of relaxed matches:
//! attribute precision = correct attributes / system timexes, recall =
//! correct attributes / gold timexes, and their F1. `type_accuracy` is the
//! share of relaxed matches with the right type.

use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// A gold (or system) time expression: byte range into its document's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimexAnn {
    pub start: usize,
    pub end: usize,
    pub ttype: String,
    pub value: String,
}

/// One gold document: the text a system receives, its creation time and the
/// gold timexes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldDoc {
    pub id: String,
    /// Document creation time as written in the gold (usually YYYY-MM-DD).
    pub dct: Option<String>,
    pub text: String,
    pub timexes: Vec<TimexAnn>,
}

/// Reads xtn BIO+value TSV. Documents are named `<name>#<n>`.
pub fn read_xtn(src: &str, name: &str) -> Vec<GoldDoc> {
    let mut docs: Vec<GoldDoc> = Vec::new();
    let mut cur: Option<GoldDoc> = None;
    // the open timex: (start, type, value)
    let mut open: Option<(usize, String, String)> = None;
    let mut line_start = true;
    let mut last_end = 0usize;

    fn close(doc: &mut GoldDoc, open: &mut Option<(usize, String, String)>, end: usize) {
        if let Some((s, t, v)) = open.take() {
            if end > s {
                doc.timexes.push(TimexAnn {
                    start: s,
                    end,
                    ttype: t,
                    value: v,
                });
            }
        }
    }

    for line in src.lines() {
        let line = line.trim_end_matches('\r');
        if let Some(rest) = line.strip_prefix("*!-DCTVALUE=\"") {
            if let Some(mut d) = cur.take() {
                close(&mut d, &mut open, last_end);
                docs.push(d);
            }
            let dct = rest.split('"').next().unwrap_or("").to_string();
            cur = Some(GoldDoc {
                id: format!("{name}#{}", docs.len() + 1),
                dct: if dct.is_empty() { None } else { Some(dct) },
                text: String::new(),
                timexes: Vec::new(),
            });
            line_start = true;
            last_end = 0;
            continue;
        }
        let doc = cur.get_or_insert_with(|| GoldDoc {
            id: format!("{name}#1"),
            dct: None,
            text: String::new(),
            timexes: Vec::new(),
        });
        if line.trim().is_empty() {
            close(doc, &mut open, last_end);
            if !doc.text.is_empty() && !line_start {
                doc.text.push('\n');
            }
            line_start = true;
            continue;
        }
        let mut cols = line.split('\t');
        let token = cols.next().unwrap_or("");
        let tag = cols.next().unwrap_or("O");
        let value = cols.next().unwrap_or("-");
        if token.is_empty() {
            continue;
        }
        if !line_start {
            doc.text.push(' ');
        }
        let start = doc.text.len();
        doc.text.push_str(token);
        let end = doc.text.len();
        line_start = false;
        if let Some(t) = tag.strip_prefix("B-") {
            close(doc, &mut open, last_end);
            open = Some((start, t.to_string(), value.to_string()));
        } else if let Some(t) = tag.strip_prefix("I-") {
            if open.is_none() {
                open = Some((start, t.to_string(), value.to_string()));
            }
        } else {
            close(doc, &mut open, last_end);
        }
        last_end = end;
    }
    if let Some(mut d) = cur.take() {
        close(&mut d, &mut open, last_end);
        docs.push(d);
    }
    for d in &mut docs {
        while d.text.ends_with('\n') {
            d.text.pop();
        }
    }
    docs.retain(|d| !d.text.is_empty());
    docs
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let mut from = 0;
    // match the attribute name at a word boundary
    while let Some(i) = tag[from..].find(&key) {
        let at = from + i;
        let ok = at == 0
            || tag[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_whitespace());
        let vstart = at + key.len();
        if ok {
            let vend = tag[vstart..].find('"')? + vstart;
            return Some(decode_entities(&tag[vstart..vend]));
        }
        from = vstart;
    }
    None
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let ent = tail.find(';').filter(|&j| j <= 10).map(|j| &tail[..=j]);
        let rep = match ent {
            Some("&amp;") => Some("&".to_string()),
            Some("&lt;") => Some("<".to_string()),
            Some("&gt;") => Some(">".to_string()),
            Some("&quot;") => Some("\"".to_string()),
            Some("&apos;") => Some("'".to_string()),
            Some(e) if e.starts_with("&#") => {
                let num = &e[2..e.len() - 1];
                let code = if let Some(h) = num.strip_prefix(['x', 'X']) {
                    u32::from_str_radix(h, 16).ok()
                } else {
                    num.parse().ok()
                };
                code.and_then(char::from_u32).map(|c| c.to_string())
            }
            _ => None,
        };
        match (rep, ent) {
            (Some(r), Some(e)) => {
                out.push_str(&r);
                rest = &tail[e.len()..];
            }
            _ => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Reads one TimeML document.
pub fn read_tml(src: &str, id: &str) -> Result<GoldDoc> {
    let text_open = src.find("<TEXT>").ok_or_else(|| Error::Syntax {
        line: 0,
        message: format!("{id}: no <TEXT> element"),
    })?;
    let body_start = text_open + "<TEXT>".len();
    let body_end = src[body_start..]
        .find("</TEXT>")
        .map(|i| i + body_start)
        .unwrap_or(src.len());
    // DCT: inside <DCT>, else a TIMEX3 marked as creation/publication time
    let mut dct = None;
    if let Some(d) = src.find("<DCT>") {
        let seg = &src[d..];
        if let Some(t) = seg.find("<TIMEX3") {
            let tag_end = seg[t..].find('>').map(|e| t + e).unwrap_or(seg.len());
            dct = attr(&seg[t..tag_end], "value");
        }
    }
    if dct.is_none() {
        let mut from = 0;
        while let Some(i) = src[from..].find("<TIMEX3") {
            let t = from + i;
            let tag_end = src[t..].find('>').map(|e| t + e).unwrap_or(src.len());
            let tag = &src[t..tag_end];
            if matches!(
                attr(tag, "functionInDocument").as_deref(),
                Some("CREATION_TIME") | Some("PUBLICATION_TIME")
            ) {
                dct = attr(tag, "value");
                break;
            }
            from = tag_end;
        }
    }
    let body = &src[body_start..body_end];
    let mut text = String::with_capacity(body.len());
    let mut timexes = Vec::new();
    let mut stack: Vec<Option<(usize, String, String)>> = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let rest = &body[i..];
        let Some(lt) = rest.find('<') else {
            text.push_str(&decode_entities(rest));
            break;
        };
        text.push_str(&decode_entities(&rest[..lt]));
        let tag_start = i + lt;
        let Some(gt) = body[tag_start..].find('>') else {
            break;
        };
        let tag = &body[tag_start + 1..tag_start + gt];
        i = tag_start + gt + 1;
        if tag.starts_with('/') {
            if let Some(Some((s, t, v))) = stack.pop() {
                if text.len() > s {
                    timexes.push(TimexAnn {
                        start: s,
                        end: text.len(),
                        ttype: t,
                        value: v,
                    });
                }
            }
        } else if tag.ends_with('/') || tag.starts_with('!') || tag.starts_with('?') {
            // empty element or comment: nothing spans text
        } else if tag.starts_with("TIMEX3") {
            stack.push(Some((
                text.len(),
                attr(tag, "type").unwrap_or_default(),
                attr(tag, "value").unwrap_or_default(),
            )));
        } else {
            stack.push(None);
        }
    }
    // trim leading/trailing white space, keeping offsets consistent
    let lead = text.len() - text.trim_start().len();
    let trimmed = text.trim().to_string();
    for t in &mut timexes {
        t.start = t.start.saturating_sub(lead).min(trimmed.len());
        t.end = t.end.saturating_sub(lead).min(trimmed.len());
        // extents never include surrounding white space
        let s = &trimmed[t.start..t.end];
        let l = s.len() - s.trim_start().len();
        let r = s.len() - s.trim_end().len();
        t.start += l;
        t.end -= r;
    }
    timexes.retain(|t| t.end > t.start);
    timexes.sort_by_key(|t| (t.start, t.end));
    Ok(GoldDoc {
        id: id.to_string(),
        dct,
        text: trimmed,
        timexes,
    })
}

fn collect_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|e| Error::Io {
        path: Some(path.to_path_buf()),
        source: e,
    })?;
    if meta.is_dir() {
        let rd = std::fs::read_dir(path).map_err(|e| Error::Io {
            path: Some(path.to_path_buf()),
            source: e,
        })?;
        for e in rd.flatten() {
            collect_files(&e.path(), out)?;
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(())
}

/// Reads a gold file or every `.tml`/`.tsv` file under a directory (sorted).
pub fn read_gold(path: &Path) -> Result<Vec<GoldDoc>> {
    let mut files = Vec::new();
    collect_files(path, &mut files)?;
    files.sort();
    let mut docs = Vec::new();
    for f in files {
        let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext != "tml" && ext != "tsv" {
            continue;
        }
        let src = std::fs::read_to_string(&f).map_err(|e| Error::Io {
            path: Some(f.clone()),
            source: e,
        })?;
        let name = f
            .strip_prefix(path)
            .ok()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(&f)
            .display()
            .to_string();
        if ext == "tml" {
            docs.push(read_tml(&src, &name)?);
        } else {
            docs.extend(read_xtn(&src, &name));
        }
    }
    Ok(docs)
}

/// Counts accumulated over documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimexCounts {
    pub gold: usize,
    pub system: usize,
    pub strict: usize,
    pub relaxed: usize,
    pub type_ok: usize,
    pub value_ok: usize,
}

/// What went wrong on one timex (for error listings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimexError {
    /// A gold timex no system timex overlaps.
    Missed(TimexAnn),
    /// A system timex that overlaps no gold timex.
    Spurious(TimexAnn),
    /// A relaxed match with a different extent, type or value.
    Mismatch { gold: TimexAnn, system: TimexAnn },
}

/// Writes a TIMEX3 value in one spelling: upper case, week numbers and
/// hours zero-padded to two digits ("2000-W7" = "2000-W07", "T9:30" =
/// "T09:30", "present_ref" = "PRESENT_REF"). Nothing else is changed: two
/// values are equal only when they denote the same TIMEX3 value.
pub fn canonical_value(v: &str) -> String {
    let v = v.trim().to_ascii_uppercase();
    let b = v.as_bytes();
    let mut out = String::with_capacity(v.len() + 2);
    let mut i = 0;
    while i < b.len() {
        let c = b[i] as char;
        out.push(c);
        i += 1;
        // a one-digit week ("-W7") or hour ("T9:" / "T9" at the end)
        let pad = match c {
            'W' => i >= 2 && b[i - 2] == b'-',
            'T' => true,
            _ => false,
        };
        if pad && i < b.len() && b[i].is_ascii_digit() {
            let one_digit = b.get(i + 1).is_none_or(|n| !n.is_ascii_digit());
            let hour_ok = c == 'W' || b.get(i + 1).is_none_or(|n| *n == b':');
            if one_digit && hour_ok {
                out.push('0');
            }
        }
    }
    out
}

/// Whether two TIMEX3 values are the same (see [`canonical_value`]).
pub fn same_value(a: &str, b: &str) -> bool {
    a.trim() == b.trim() || canonical_value(a) == canonical_value(b)
}

fn overlap(a: &TimexAnn, b: &TimexAnn) -> bool {
    a.start < b.end && b.start < a.end
}

/// Aligns the system timexes of one document with the gold ones and adds
/// the counts; returns the errors.
pub fn score_doc(
    gold: &[TimexAnn],
    system: &[TimexAnn],
    counts: &mut TimexCounts,
) -> Vec<TimexError> {
    counts.gold += gold.len();
    counts.system += system.len();
    let mut gmatch: Vec<Option<usize>> = vec![None; gold.len()];
    let mut sused = vec![false; system.len()];
    // exact extents first, then the largest overlaps
    for (gi, g) in gold.iter().enumerate() {
        if let Some(si) = system
            .iter()
            .enumerate()
            .position(|(si, s)| !sused[si] && s.start == g.start && s.end == g.end)
        {
            gmatch[gi] = Some(si);
            sused[si] = true;
        }
    }
    for (gi, g) in gold.iter().enumerate() {
        if gmatch[gi].is_some() {
            continue;
        }
        let best = system
            .iter()
            .enumerate()
            .filter(|(si, s)| !sused[*si] && overlap(g, s))
            .max_by_key(|(_, s)| s.end.min(g.end) - s.start.max(g.start));
        if let Some((si, _)) = best {
            gmatch[gi] = Some(si);
            sused[si] = true;
        }
    }
    let mut errors = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        match gmatch[gi].and_then(|si| system.get(si)) {
            Some(s) => {
                counts.relaxed += 1;
                let exact = s.start == g.start && s.end == g.end;
                if exact {
                    counts.strict += 1;
                }
                let tok = s.ttype.eq_ignore_ascii_case(&g.ttype);
                let vok = same_value(&s.value, &g.value);
                if tok {
                    counts.type_ok += 1;
                }
                if vok {
                    counts.value_ok += 1;
                }
                if !(exact && tok && vok) {
                    errors.push(TimexError::Mismatch {
                        gold: g.clone(),
                        system: s.clone(),
                    });
                }
            }
            None => errors.push(TimexError::Missed(g.clone())),
        }
    }
    for (si, s) in system.iter().enumerate() {
        if !sused[si] {
            errors.push(TimexError::Spurious(s.clone()));
        }
    }
    errors
}

/// Precision, recall and F1 as fractions (0-1).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

fn prf(correct: usize, system: usize, gold: usize) -> Prf {
    let p = if system == 0 {
        0.0
    } else {
        correct as f64 / system as f64
    };
    let r = if gold == 0 {
        0.0
    } else {
        correct as f64 / gold as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    Prf {
        precision: p,
        recall: r,
        f1: f,
    }
}

/// The TempEval-3 figures.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TimexScores {
    pub strict: Prf,
    pub relaxed: Prf,
    pub type_: Prf,
    pub value: Prf,
    /// Share of relaxed matches with the right type (0-1).
    pub type_accuracy: f64,
    /// Share of relaxed matches with the right value (0-1).
    pub value_accuracy: f64,
}

impl TimexCounts {
    /// Adds another set of counts.
    pub fn add(&mut self, o: &TimexCounts) {
        self.gold += o.gold;
        self.system += o.system;
        self.strict += o.strict;
        self.relaxed += o.relaxed;
        self.type_ok += o.type_ok;
        self.value_ok += o.value_ok;
    }

    /// The figures.
    pub fn scores(&self) -> TimexScores {
        let share = |n: usize| {
            if self.relaxed == 0 {
                0.0
            } else {
                n as f64 / self.relaxed as f64
            }
        };
        TimexScores {
            strict: prf(self.strict, self.system, self.gold),
            relaxed: prf(self.relaxed, self.system, self.gold),
            type_: prf(self.type_ok, self.system, self.gold),
            value: prf(self.value_ok, self.system, self.gold),
            type_accuracy: share(self.type_ok),
            value_accuracy: share(self.value_ok),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xtn_reader_builds_text_and_spans() {
        let src = "*!-DCTVALUE=\"2020-03-02\"-!*\tO\t-\n\nLlegó\tO\t-\nel\tB-DATE\t2020-02-28\nviernes\tI-DATE\t2020-02-28\n.\tO\t-\n\nDurante\tO\t-\ndos\tB-DURATION\tP2D\ndías\tI-DURATION\tP2D\n\n*!-DCTVALUE=\"2021-01-01\"-!*\tO\t-\n\nHoy\tB-DATE\t2021-01-01\n";
        let docs = read_xtn(src, "x.tsv");
        assert_eq!(docs.len(), 2);
        let d = &docs[0];
        assert_eq!(d.dct.as_deref(), Some("2020-03-02"));
        assert_eq!(d.text, "Llegó el viernes .\nDurante dos días");
        assert_eq!(d.timexes.len(), 2);
        assert_eq!(&d.text[d.timexes[0].start..d.timexes[0].end], "el viernes");
        assert_eq!(d.timexes[0].value, "2020-02-28");
        assert_eq!(&d.text[d.timexes[1].start..d.timexes[1].end], "dos días");
        assert_eq!(d.timexes[1].ttype, "DURATION");
        assert_eq!(docs[1].text, "Hoy");
        assert_eq!(docs[1].timexes[0].value, "2021-01-01");
    }

    #[test]
    fn tml_reader_strips_tags() {
        let src = r#"<?xml version="1.0" ?><TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1999-05-04" functionInDocument="CREATION_TIME">May 4</TIMEX3></DCT>
<TEXT>
The firm <EVENT eid="e1">said</EVENT> on <TIMEX3 tid="t1" type="DATE" value="1999-05-03">Monday</TIMEX3> that A&amp;B grew <TIMEX3 tid="t2" type="DURATION" value="P3Y">for three years</TIMEX3>.<TIMEX3 tid="t3" type="DATE" value="X"/>
</TEXT></TimeML>"#;
        let d = read_tml(src, "a.tml").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.dct.as_deref(), Some("1999-05-04"));
        assert_eq!(
            d.text,
            "The firm said on Monday that A&B grew for three years."
        );
        assert_eq!(d.timexes.len(), 2);
        assert_eq!(&d.text[d.timexes[0].start..d.timexes[0].end], "Monday");
        assert_eq!(
            &d.text[d.timexes[1].start..d.timexes[1].end],
            "for three years"
        );
    }

    fn t(s: usize, e: usize, ty: &str, v: &str) -> TimexAnn {
        TimexAnn {
            start: s,
            end: e,
            ttype: ty.into(),
            value: v.into(),
        }
    }

    #[test]
    fn values_compare_modulo_padding_and_case() {
        assert!(same_value("2019-12-20T3:00", "2019-12-20T03:00"));
        assert!(same_value("T9:05", "T09:05"));
        assert!(same_value("2000-W7", "2000-W07"));
        assert!(same_value("present_ref", "PRESENT_REF"));
        assert!(!same_value("2019-12-20T3:00", "2019-12-20T13:00"));
        assert!(!same_value("P1W", "P01W"));
        assert!(!same_value("2000-W7", "2000-W17"));
        assert!(!same_value("1989-11-06T17", "1989-11-06T17:00"));
        assert!(!same_value("PT3H", "PT03H"));
    }

    #[test]
    fn tempeval3_counts() {
        let gold = vec![
            t(0, 10, "DATE", "2020"),
            t(20, 30, "DURATION", "P1D"),
            t(40, 45, "DATE", "2021"),
        ];
        let sys = vec![
            t(0, 10, "DATE", "2020"),
            t(22, 30, "DURATION", "P2D"),
            t(50, 55, "DATE", "2022"),
        ];
        let mut c = TimexCounts::default();
        let errs = score_doc(&gold, &sys, &mut c);
        assert_eq!(c.strict, 1);
        assert_eq!(c.relaxed, 2);
        assert_eq!(c.type_ok, 2);
        assert_eq!(c.value_ok, 1);
        assert_eq!(errs.len(), 3);
        let s = c.scores();
        assert!((s.relaxed.f1 - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.value.f1 - 1.0 / 3.0).abs() < 1e-9);
        assert!((s.type_accuracy - 1.0).abs() < 1e-9);
    }
}
