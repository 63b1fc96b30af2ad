//! JSON Lines: one object per line, read line by line.
//!
//! Known fields map to the document (first alias present wins); every other
//! field, including the aliases not used, is kept in `source.meta`. A line
//! that is not a JSON object, or has no text, yields one
//! `Error::Format { path: "file:LINE" }` and reading goes on with the next
//! line. Blank lines are skipped. An I/O error (or a hit size limit) ends
//! the input with one error.

use crate::dateline::{fill_date, normalize_newlines};
use crate::dates::{from_unix, normalize_date};
use crate::decode::decode;
use crate::limit::map_io;
use crate::{Error, ReadOptions, Result};
use dateline_core::{Diagnostic, RawDoc, Source};
use serde_json::{Map, Value};
use std::io::BufRead;

const STAGE: &str = "read";
const BODY_KEYS: &[&str] = &["text", "body", "content", "TEXT"];
const TITLE_KEYS: &[&str] = &["title", "headline", "HEADLINE"];
const DATE_KEYS: &[&str] = &["date", "published", "published_at", "datePublished"];
const URL_KEYS: &[&str] = &["url", "link"];
const LANG_KEYS: &[&str] = &["lang", "language"];

pub(crate) struct JsonlReader<'a> {
    reader: Box<dyn BufRead + Send + 'a>,
    path: String,
    compressed: bool,
    opts: ReadOptions,
    line_no: u64,
    buf: Vec<u8>,
    done: bool,
}

impl<'a> JsonlReader<'a> {
    pub fn new(
        reader: Box<dyn BufRead + Send + 'a>,
        path: String,
        compressed: bool,
        opts: &ReadOptions,
    ) -> Self {
        JsonlReader {
            reader,
            path,
            compressed,
            opts: opts.clone(),
            line_no: 0,
            buf: Vec::new(),
            done: false,
        }
    }
}

impl Iterator for JsonlReader<'_> {
    type Item = Result<RawDoc>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(_) => {}
                Err(e) => {
                    self.done = true;
                    return Some(Err(map_io(&self.path, e, self.compressed)));
                }
            }
            self.line_no += 1;
            let mut line: &[u8] = &self.buf;
            if self.line_no == 1 {
                line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
            }
            let line = line.trim_ascii();
            if line.is_empty() {
                continue;
            }
            let r = parse_line(line, &self.path, &self.opts).map_err(|message| Error::Format {
                path: format!("{}:{}", self.path, self.line_no),
                message,
            });
            // Each line is judged alone: one bad line never hides the others.
            return Some(r);
        }
        None
    }
}

/// Parses one non-blank line into a document; `Err(message)` when it is
/// not a usable JSON object.
pub(crate) fn parse_line(
    line: &[u8],
    path: &str,
    opts: &ReadOptions,
) -> std::result::Result<RawDoc, String> {
    let (text, mut diagnostics) = match std::str::from_utf8(line) {
        Ok(s) => (s.to_string(), Vec::new()),
        Err(_) => decode(line, None),
    };
    let value: Value = serde_json::from_str(&text).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(mut obj) = value else {
        return Err("not a JSON object".to_string());
    };

    let body = take_text(&mut obj, BODY_KEYS)
        .ok_or_else(|| format!("no text field (expected one of {})", BODY_KEYS.join(", ")))?;
    let title = take_string(&mut obj, TITLE_KEYS);
    let url = take_string(&mut obj, URL_KEYS);
    let lang = take_string(&mut obj, LANG_KEYS);

    let mut date = None;
    let date_key = candidates(&obj, DATE_KEYS)
        .into_iter()
        .find(|k| obj.get(k).is_some_and(|v| !v.is_null()));
    if let Some((key, v)) = date_key.and_then(|k| obj.get(&k).map(|v| (k.clone(), v))) {
        let parsed = match v {
            Value::String(s) => normalize_date(s),
            Value::Number(n) => n.as_i64().and_then(|secs| {
                // Unix time in seconds, or in milliseconds when that large.
                if secs.unsigned_abs() > 100_000_000_000 {
                    from_unix(secs / 1000)
                } else {
                    from_unix(secs)
                }
            }),
            _ => None,
        };
        match parsed {
            Some(d) => {
                date = Some(d);
                obj.remove(&key);
            }
            None => diagnostics.push(Diagnostic::warning(
                STAGE,
                format!("field {key:?} = {v} is not a date I can read; kept in meta"),
            )),
        }
    }
    fill_date(&mut date, &mut diagnostics, opts, "record");
    if body.trim().is_empty() {
        diagnostics.push(Diagnostic::warning(STAGE, "the record's text is empty"));
    }

    Ok(RawDoc {
        source: Source {
            path: Some(path.to_string()),
            url,
            format: "jsonl".to_string(),
            meta: obj,
        },
        title,
        date,
        lang,
        body,
        diagnostics,
    })
}

/// The keys of `obj` matching the aliases: every exact match in alias
/// order, then the case-insensitive ones (`Text`, `Headline` ...).
fn candidates(obj: &Map<String, Value>, aliases: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = aliases
        .iter()
        .filter(|a| obj.contains_key(**a))
        .map(|a| a.to_string())
        .collect();
    for a in aliases {
        for k in obj.keys() {
            if k.eq_ignore_ascii_case(a) && !out.contains(k) {
                out.push(k.clone());
            }
        }
    }
    out
}

/// Removes and returns the first non-empty string among `keys`.
fn take_string(obj: &mut Map<String, Value>, keys: &[&str]) -> Option<String> {
    let key = candidates(obj, keys)
        .into_iter()
        .find(|k| matches!(obj.get(k), Some(Value::String(s)) if !s.trim().is_empty()))?;
    match obj.remove(&key) {
        Some(Value::String(s)) => Some(s.trim().to_string()),
        _ => None,
    }
}

/// Like [`take_string`] for the body: also accepts an array of strings
/// (paragraphs), and keeps an empty string when that is all there is.
fn take_text(obj: &mut Map<String, Value>, keys: &[&str]) -> Option<String> {
    let usable = |v: &Value| match v {
        Value::String(_) => true,
        Value::Array(a) => !a.is_empty() && a.iter().all(Value::is_string),
        _ => false,
    };
    let cands = candidates(obj, keys);
    let key = cands
        .iter()
        .find(|k| matches!(obj.get(*k), Some(Value::String(s)) if !s.trim().is_empty()))
        .or_else(|| cands.iter().find(|k| obj.get(*k).is_some_and(usable)))?;
    let text = match obj.remove(key)? {
        Value::String(s) => s,
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n"),
        _ => return None,
    };
    Some(normalize_newlines(&text).trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use dateline_core::Level;
    use std::io::Cursor;

    fn read(input: &[u8]) -> Vec<Result<RawDoc>> {
        JsonlReader::new(
            Box::new(Cursor::new(input.to_vec())),
            "d.jsonl".into(),
            false,
            &ReadOptions::default(),
        )
        .collect()
    }

    #[test]
    fn maps_fields_and_keeps_extras() {
        let input = br#"{"title":" T1 ","text":"Body one.\r\nMore.","date":"Tue, 12 Aug 2025 10:00:00 +0000","url":"https://example.org/a","lang":"es","source":"X","id":7}
{"HEADLINE":"T2","TEXT":"Body two","published_at":"2025-08-12T08:00:00Z","link":"https://example.org/b","headline":"alt"}
"#;
        let docs = read(input);
        assert_eq!(docs.len(), 2);
        let Ok(a) = &docs[0] else { panic!("{docs:?}") };
        assert_eq!(a.title.as_deref(), Some("T1"));
        assert_eq!(a.body, "Body one.\nMore.");
        assert_eq!(a.date.as_deref(), Some("2025-08-12T10:00:00+00:00"));
        assert_eq!(a.source.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(a.lang.as_deref(), Some("es"));
        assert_eq!(a.source.format, "jsonl");
        assert_eq!(a.source.meta.get("source"), Some(&Value::from("X")));
        assert_eq!(a.source.meta.get("id"), Some(&Value::from(7)));
        assert_eq!(a.source.meta.len(), 2);
        let Ok(b) = &docs[1] else { panic!("{docs:?}") };
        assert_eq!(b.title.as_deref(), Some("alt"));
        assert_eq!(b.source.meta.get("HEADLINE"), Some(&Value::from("T2")));
        assert_eq!(b.body, "Body two");
        assert_eq!(b.date.as_deref(), Some("2025-08-12T08:00:00Z"));
    }

    #[test]
    fn bad_line_in_the_middle_does_not_stop_the_file() {
        let input = b"{\"text\":\"uno\"}\n{\"text\": broken\n\n[1,2]\n{\"title\":\"no body\"}\n{\"body\":\"dos\"}\n";
        let docs = read(input);
        assert_eq!(docs.len(), 5, "{docs:?}");
        assert!(matches!(&docs[0], Ok(d) if d.body == "uno"));
        assert!(
            matches!(&docs[1], Err(Error::Format { path, message }) if path == "d.jsonl:2" && message.contains("invalid JSON"))
        );
        assert!(matches!(&docs[2], Err(Error::Format { path, .. }) if path == "d.jsonl:4"));
        assert!(
            matches!(&docs[3], Err(Error::Format { path, message }) if path == "d.jsonl:5" && message.contains("no text"))
        );
        assert!(matches!(&docs[4], Ok(d) if d.body == "dos"));
    }

    #[test]
    fn keys_match_case_insensitively() {
        let docs =
            read(b"{\"Headline\":\"H\",\"Text\":\"T\",\"Date\":\"2025-08-13\",\"Topic\":\"x\"}");
        let Ok(d) = &docs[0] else { panic!("{docs:?}") };
        assert_eq!(d.title.as_deref(), Some("H"));
        assert_eq!(d.body, "T");
        assert_eq!(d.date.as_deref(), Some("2025-08-13"));
        assert_eq!(d.source.meta.keys().collect::<Vec<_>>(), ["Topic"]);
    }

    #[test]
    fn unreadable_date_is_kept_in_meta() {
        let docs = read(b"{\"text\":\"x\",\"date\":\"last week\"}");
        let Ok(d) = &docs[0] else { panic!("{docs:?}") };
        assert_eq!(d.date, None);
        assert_eq!(d.source.meta.get("date"), Some(&Value::from("last week")));
        // A warning for the unreadable date, an info for the missing one.
        let levels: Vec<_> = d.diagnostics.iter().map(|x| x.level).collect();
        assert_eq!(levels, [Level::Warning, Level::Info]);
    }

    #[test]
    fn epoch_dates_and_paragraph_arrays() {
        let docs = read(b"\xEF\xBB\xBF{\"content\":[\"a\",\" b \"],\"date\":1755043200000}");
        let Ok(d) = &docs[0] else { panic!("{docs:?}") };
        assert_eq!(d.body, "a\n\nb");
        assert_eq!(d.date.as_deref(), Some("2025-08-13T00:00:00Z"));
    }

    #[test]
    fn latin1_line_is_decoded() {
        let docs = read(b"{\"text\":\"Espa\xF1a\"}\n");
        let Ok(d) = &docs[0] else { panic!("{docs:?}") };
        assert_eq!(d.body, "España");
        assert!(!d.diagnostics.is_empty());
    }

    #[test]
    fn empty_input_gives_nothing() {
        assert!(read(b"").is_empty());
        assert!(read(b"\n\n  \n").is_empty());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let mut line = String::from("{\"text\":\"x\",\"a\":");
        line.push_str(&"[".repeat(100_000));
        let docs = read(line.as_bytes());
        assert!(matches!(&docs[..], [Err(Error::Format { .. })]));
    }
}
