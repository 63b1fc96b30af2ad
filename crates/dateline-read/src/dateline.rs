//! Dateline text (` date YYYY-MM-DD Title` then the body) and plain text.
//!
//! A file is a dateline file when its first non-blank line has the dateline
//! shape: optional white space, the word `date`, white space, a
//! `YYYY-M-D`-shaped token, then the title. The shape decides the format;
//! the calendar decides the date: `date 2025-02-30 ...` is still a dateline
//! file, with a warning and no date (or the `--date` one, with a note).
//!
//! An empty or all-white-space file gives no document (there is nothing to
//! analyse, and an empty document would only add noise downstream).

use crate::dates::{has_ymd_shape, normalize_date, parse_ymd_loose};
use crate::decode::{decode, looks_binary};
use crate::{Error, ReadOptions, Result};
use dateline_core::{Diagnostic, RawDoc, Source};

const STAGE: &str = "read";

/// How to treat a text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextMode {
    /// Dateline when the first non-blank line has the dateline shape, else text.
    Auto,
    /// Forced `dateline` (falls back to text, with a warning, when there is none).
    Dateline,
    /// Forced plain text: the first line is body even if it looks like a dateline.
    Plain,
}

/// A parsed dateline: the date token as written and the title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatelineHeader<'a> {
    pub date: &'a str,
    pub title: Option<&'a str>,
}

/// Parses a dateline line (` date 2025-08-13 Title`); `None` when the line
/// does not have the dateline shape.
pub fn parse_dateline(line: &str) -> Option<DatelineHeader<'_>> {
    let line = line.trim_start();
    let kw = line.get(..4)?;
    if !kw.eq_ignore_ascii_case("date") {
        return None;
    }
    let rest = &line[4..];
    if !rest.starts_with(|c: char| c.is_whitespace()) {
        return None;
    }
    let rest = rest.trim_start();
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let (date, title) = rest.split_at(end);
    if !has_ymd_shape(date) {
        return None;
    }
    let title = title.trim();
    Some(DatelineHeader {
        date,
        title: (!title.is_empty()).then_some(title),
    })
}

/// `\r\n` and lone `\r` → `\n`.
pub(crate) fn normalize_newlines(s: &str) -> String {
    if !s.contains('\r') {
        return s.to_string();
    }
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// Drops leading blank lines and trailing white space.
fn trim_body(s: &str) -> String {
    let mut start = 0;
    for line in s.split_inclusive('\n') {
        if line.trim().is_empty() {
            start += line.len();
        } else {
            break;
        }
    }
    s.get(start..).unwrap_or_default().trim_end().to_string()
}

/// The `--date` value, normalised; a warning when it is not a date.
pub(crate) fn default_date(opts: &ReadOptions, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let d = opts.default_date.as_deref()?;
    match normalize_date(d) {
        Some(n) => Some(n),
        None => {
            diags.push(Diagnostic::warning(
                STAGE,
                format!("--date {d:?} is not a valid date; ignored"),
            ));
            None
        }
    }
}

/// For a document whose input carries no date: takes `--date` when given,
/// and says so (info) either way. `what` names the unit ("record", "page").
pub(crate) fn fill_date(
    date: &mut Option<String>,
    diags: &mut Vec<Diagnostic>,
    opts: &ReadOptions,
    what: &str,
) {
    if date.is_some() {
        return;
    }
    *date = default_date(opts, diags);
    let message = if date.is_some() {
        format!("no date in the {what}; date taken from --date")
    } else {
        format!("no date in the {what}")
    };
    diags.push(Diagnostic::info(STAGE, message));
}

/// Reads a whole text file (already size-checked) into zero or one document.
pub(crate) fn read_text(
    bytes: &[u8],
    path: &str,
    mode: TextMode,
    opts: &ReadOptions,
) -> Vec<Result<RawDoc>> {
    if looks_binary(bytes) {
        return vec![Err(Error::Format {
            path: path.to_string(),
            message: "binary content, not text".to_string(),
        })];
    }
    let (text, mut diagnostics) = decode(bytes, None);
    let text = normalize_newlines(&text);
    if text.trim().is_empty() {
        return Vec::new();
    }
    let source = |format: &str| Source {
        path: Some(path.to_string()),
        url: None,
        format: format.to_string(),
        meta: Default::default(),
    };

    if mode != TextMode::Plain {
        // First non-blank line.
        let mut offset = 0;
        let mut first = "";
        for line in text.split_inclusive('\n') {
            if !line.trim().is_empty() {
                first = line;
                break;
            }
            offset += line.len();
        }
        if let Some(h) = parse_dateline(first) {
            let date = match parse_ymd_loose(h.date) {
                Some(d) => Some(d),
                None => {
                    diagnostics.push(Diagnostic::warning(
                        STAGE,
                        format!("dateline date {:?} is not a valid calendar date", h.date),
                    ));
                    let d = default_date(opts, &mut diagnostics);
                    if d.is_some() {
                        diagnostics.push(Diagnostic::info(STAGE, "date taken from --date"));
                    }
                    d
                }
            };
            let rest = text.get(offset + first.len()..).unwrap_or_default();
            let body = trim_body(rest);
            if body.is_empty() {
                diagnostics.push(Diagnostic::warning(STAGE, "the dateline has no body"));
            }
            return vec![Ok(RawDoc {
                source: source("dateline"),
                title: h.title.map(str::to_string),
                date,
                lang: None,
                body,
                diagnostics,
            })];
        }
        if mode == TextMode::Dateline {
            diagnostics.push(Diagnostic::warning(
                STAGE,
                "format dateline requested but the first line is not ` date YYYY-MM-DD Title`; read as plain text",
            ));
        }
    }

    let date = default_date(opts, &mut diagnostics);
    if date.is_some() {
        diagnostics.push(Diagnostic::info(
            STAGE,
            "no dateline in the input; date taken from --date",
        ));
    } else {
        diagnostics.push(Diagnostic::warning(
            STAGE,
            "no dateline in the input and no --date given: the document has no date",
        ));
    }
    vec![Ok(RawDoc {
        source: source("text"),
        title: None,
        date,
        lang: None,
        body: trim_body(&text),
        diagnostics,
    })]
}

#[cfg(test)]
mod tests {
    use super::*;
    use dateline_core::Level;

    fn one(bytes: &[u8], mode: TextMode, opts: &ReadOptions) -> RawDoc {
        let mut v = read_text(bytes, "t.txt", mode, opts);
        assert_eq!(v.len(), 1, "{v:?}");
        match v.pop() {
            Some(Ok(d)) => d,
            other => panic!("expected a document, got {other:?}"),
        }
    }

    #[test]
    fn parses_dateline_line() {
        let h = parse_dateline(" date 2025-08-13 Un titular de prueba");
        assert_eq!(
            h,
            Some(DatelineHeader {
                date: "2025-08-13",
                title: Some("Un titular de prueba")
            })
        );
        assert_eq!(
            parse_dateline("date 2025-08-13").and_then(|h| h.title),
            None
        );
        assert!(parse_dateline("\tDATE 2025-8-3 x").is_some());
        assert!(parse_dateline("dated 2025-08-13 x").is_none());
        assert!(parse_dateline("date: 2025-08-13 x").is_none());
        assert!(parse_dateline("date 13/08/2025 x").is_none());
        assert!(parse_dateline("").is_none());
        assert!(parse_dateline("dañ").is_none());
    }

    #[test]
    fn dateline_document() {
        let input = b"\n\n date 2025-08-13 Titular de prueba\r\n\r\n\r\nPrimer p\xC3\xA1rrafo.\r\n\r\nSegundo.\r\n";
        let d = one(input, TextMode::Auto, &ReadOptions::default());
        assert_eq!(d.source.format, "dateline");
        assert_eq!(d.date.as_deref(), Some("2025-08-13"));
        assert_eq!(d.title.as_deref(), Some("Titular de prueba"));
        assert_eq!(d.body, "Primer párrafo.\n\nSegundo.");
        assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
    }

    #[test]
    fn bad_dateline_date_warns_and_has_no_date() {
        let d = one(
            b"date 2025-02-30 Fecha imposible\n\nCuerpo.",
            TextMode::Auto,
            &ReadOptions::default(),
        );
        assert_eq!(d.source.format, "dateline");
        assert_eq!(d.date, None);
        assert_eq!(d.title.as_deref(), Some("Fecha imposible"));
        assert_eq!(d.body, "Cuerpo.");
        assert!(d
            .diagnostics
            .iter()
            .any(|x| x.level == Level::Warning && x.message.contains("2025-02-30")));
    }

    #[test]
    fn plain_text_without_date() {
        let d = one(
            b"Just a body.\nSecond line.\n",
            TextMode::Auto,
            &ReadOptions::default(),
        );
        assert_eq!(d.source.format, "text");
        assert_eq!(d.date, None);
        assert_eq!(d.title, None);
        assert_eq!(d.body, "Just a body.\nSecond line.");
        assert_eq!(d.diagnostics.len(), 1);
        assert_eq!(d.diagnostics[0].level, Level::Warning);
        assert_eq!(d.diagnostics[0].stage, "read");
    }

    #[test]
    fn plain_text_with_default_date() {
        let opts = ReadOptions {
            default_date: Some("2024-02-29".into()),
            ..ReadOptions::default()
        };
        let d = one(b"Body text.", TextMode::Auto, &opts);
        assert_eq!(d.date.as_deref(), Some("2024-02-29"));
        assert_eq!(d.diagnostics.len(), 1);
        assert_eq!(d.diagnostics[0].level, Level::Info);
        assert!(d.diagnostics[0].message.contains("--date"));
    }

    #[test]
    fn forced_modes() {
        let input = b"date 2025-08-13 T\n\nB";
        let d = one(input, TextMode::Plain, &ReadOptions::default());
        assert_eq!(d.source.format, "text");
        assert!(d.body.starts_with("date 2025-08-13"));
        let d = one(b"no dateline", TextMode::Dateline, &ReadOptions::default());
        assert_eq!(d.source.format, "text");
        assert_eq!(d.diagnostics.len(), 2);
    }

    #[test]
    fn empty_and_blank_give_no_document() {
        assert!(read_text(b"", "e.txt", TextMode::Auto, &ReadOptions::default()).is_empty());
        assert!(read_text(
            b" \n\r\n\t\n",
            "e.txt",
            TextMode::Auto,
            &ReadOptions::default()
        )
        .is_empty());
    }

    #[test]
    fn dateline_without_body_warns() {
        let d = one(
            b"date 2025-08-13 Only a title",
            TextMode::Auto,
            &ReadOptions::default(),
        );
        assert_eq!(d.body, "");
        assert_eq!(d.diagnostics.len(), 1);
    }

    #[test]
    fn binary_is_refused() {
        let v = read_text(
            &[0, 1, 2, 3, 0, 0, 5],
            "b.txt",
            TextMode::Auto,
            &ReadOptions::default(),
        );
        assert!(
            matches!(&v[..], [Err(Error::Format { message, .. })] if message.contains("binary"))
        );
    }
}
