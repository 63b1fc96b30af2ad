//! HTML pages: decode (BOM, declared charset, `<meta charset>`, detection),
//! hand the text to `dateline_html::extract`, map the result to a
//! [`RawDoc`]. Main-text extraction lives in dateline-html; this module only
//! has a small tag stripper ([`html_to_text`]) used for feed item bodies and
//! as a fallback when the extractor finds no main text.

use crate::dates::normalize_date;
use crate::decode::{decode, looks_binary};
use crate::{Error, ReadOptions, Result};
use dateline_core::{Diagnostic, RawDoc, Source};

/// Finds the charset declared in the first 4 KiB of an HTML page, from
/// `<meta charset=...>` or `<meta http-equiv="Content-Type" content="...;
/// charset=...">`, or from an XML declaration's `encoding="..."`.
pub fn sniff_meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    if lower.starts_with(b"<?xml") {
        let end = find(&lower, b"?>", 0).unwrap_or(lower.len());
        if let Some(v) = attr_value(&lower[..end], b"encoding") {
            return Some(v);
        }
    }
    let mut from = 0;
    while let Some(i) = find(&lower, b"<meta", from) {
        let end = find(&lower, b">", i).unwrap_or(lower.len());
        let tag = &lower[i..end];
        if let Some(v) = attr_value(tag, b"charset") {
            return Some(v);
        }
        from = end;
    }
    None
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Value after `name` `=` (quotes optional), as a charset token.
fn attr_value(tag: &[u8], name: &[u8]) -> Option<String> {
    let i = find(tag, name, 0)?;
    let mut rest = tag.get(i + name.len()..)?;
    rest = trim_start(rest);
    rest = rest.strip_prefix(b"=")?;
    rest = trim_start(rest);
    while let Some(r) = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")) {
        rest = r;
    }
    let token: Vec<u8> = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
        .copied()
        .collect();
    if token.is_empty() {
        None
    } else {
        String::from_utf8(token).ok()
    }
}

fn trim_start(mut b: &[u8]) -> &[u8] {
    while let Some((first, rest)) = b.split_first() {
        if first.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    b
}

/// Whether the start of a text looks like an HTML document.
pub(crate) fn looks_like_html(head: &str) -> bool {
    let lower = head
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
        || (lower.starts_with('<')
            && (lower.contains("<html") || lower.contains("<head") || lower.contains("<body")))
}

/// Builds a document from an HTML page. `header_charset` is the charset of
/// an HTTP `Content-Type` header (WARC), which wins over `<meta>`.
pub(crate) fn html_doc(
    bytes: &[u8],
    path: &str,
    header_charset: Option<&str>,
    format: &str,
    opts: &ReadOptions,
) -> Result<RawDoc> {
    if looks_binary(bytes) {
        return Err(Error::Format {
            path: path.to_string(),
            message: "binary content, not text".to_string(),
        });
    }
    let charset = header_charset
        .map(str::to_string)
        .or_else(|| sniff_meta_charset(bytes));
    let (html, mut diagnostics) = decode(bytes, charset.as_deref());
    let ex = dateline_html::extract(&html, &opts.html);
    diagnostics.extend(
        ex.warnings
            .iter()
            .map(|w| Diagnostic::warning("html", w.as_str())),
    );
    let mut body = ex.text;
    if body.trim().is_empty() {
        body = html_to_text(&html);
        if !body.is_empty() {
            diagnostics.push(Diagnostic::warning(
                "read",
                "the HTML extractor found no main text; using the text of the whole page",
            ));
        }
    }
    if body.is_empty() {
        diagnostics.push(Diagnostic::warning("read", "the page has no text"));
    }
    let date = match ex.date {
        Some(d) => match normalize_date(&d) {
            Some(n) => Some(n),
            None => {
                diagnostics.push(Diagnostic::warning(
                    "read",
                    format!("page date {d:?} is not a valid date; ignored"),
                ));
                None
            }
        },
        None => None,
    };
    Ok(RawDoc {
        source: Source {
            path: Some(path.to_string()),
            url: ex.url,
            format: format.to_string(),
            meta: Default::default(),
        },
        title: ex.title.filter(|t| !t.trim().is_empty()),
        date,
        lang: ex.lang,
        body,
        diagnostics,
    })
}

const SKIP_CONTENT: &[&str] = &[
    "script", "style", "noscript", "template", "head", "svg", "iframe", "object", "select",
    "textarea",
];

const BLOCK: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "blockquote",
    "article",
    "section",
    "header",
    "footer",
    "pre",
    "hr",
    "dd",
    "dt",
    "dl",
    "figure",
    "figcaption",
    "main",
    "aside",
    "nav",
    "form",
    "body",
    "html",
    "title",
    "address",
];

/// Turns HTML (a page or a fragment) into plain text: drops comments,
/// scripts, styles and the `<head>`; block elements end paragraphs;
/// entities are decoded; white space inside a paragraph is collapsed.
/// Paragraphs are separated by a blank line. Linear time, never panics.
pub fn html_to_text(html: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut para = String::new();
    let mut i = 0;
    let bytes = html.as_bytes();
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'<' {
            let rest = &html[i..];
            if rest.starts_with("<!--") {
                i = match rest.get(4..).and_then(|r| r.find("-->")) {
                    Some(p) => i + 4 + p + 3,
                    None => bytes.len(),
                };
                continue;
            }
            let next = bytes.get(i + 1).copied().unwrap_or(b' ');
            if next.is_ascii_alphabetic() || next == b'/' || next == b'!' || next == b'?' {
                let end = tag_end(bytes, i + 1);
                let inner = &html[i + 1..end.min(bytes.len()).max(i + 1)];
                let closing = inner.starts_with('/');
                let name: String = inner
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                i = (end + 1).min(bytes.len());
                if !closing && !inner.ends_with('/') && SKIP_CONTENT.contains(&name.as_str()) {
                    match skip_element(html, i, &name) {
                        Some(after) => i = after,
                        // An unclosed <head> is ignored; other unclosed
                        // raw-text elements run to the end (as in browsers).
                        None if name == "head" => {}
                        None => i = bytes.len(),
                    }
                    flush(&mut para, &mut paragraphs);
                    continue;
                }
                if BLOCK.contains(&name.as_str()) {
                    flush(&mut para, &mut paragraphs);
                } else if matches!(name.as_str(), "td" | "th") {
                    push_space(&mut para);
                }
                continue;
            }
            para.push('<');
            i += 1;
            continue;
        }
        if b == b'&' {
            let (text, used) = decode_entity(&html[i..]);
            for c in text.chars() {
                push_char(&mut para, c);
            }
            i += used;
            continue;
        }
        // Copy one char.
        let ch_len = utf8_len(b);
        let end = (i + ch_len).min(bytes.len());
        match html.get(i..end) {
            Some(s) => {
                for c in s.chars() {
                    push_char(&mut para, c);
                }
                i = end;
            }
            None => i += 1,
        }
    }
    flush(&mut para, &mut paragraphs);
    paragraphs.join("\n\n")
}

fn utf8_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Index of the `>` closing a tag that starts at `from`, honouring quotes;
/// `bytes.len()` when there is none.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return i,
            None => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Index just after `</name ...>` (ASCII case-insensitive), if any.
fn skip_element(html: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let close = format!("</{name}");
    let mut i = from;
    while i + close.len() <= bytes.len() {
        if bytes[i] == b'<' && bytes[i..i + close.len()].eq_ignore_ascii_case(close.as_bytes()) {
            let after = bytes.get(i + close.len()).copied().unwrap_or(b'>');
            if !after.is_ascii_alphanumeric() {
                return Some((tag_end(bytes, i + 1) + 1).min(bytes.len()));
            }
        }
        i += 1;
    }
    None
}

fn push_space(para: &mut String) {
    if !para.is_empty() && !para.ends_with(' ') {
        para.push(' ');
    }
}

fn push_char(para: &mut String, c: char) {
    if c.is_whitespace() {
        push_space(para);
    } else {
        para.push(c);
    }
}

fn flush(para: &mut String, paragraphs: &mut Vec<String>) {
    let t = para.trim();
    if !t.is_empty() {
        paragraphs.push(t.to_string());
    }
    para.clear();
}

/// Decodes the entity at the start of `s` (which starts with `&`). Returns
/// the text and the number of bytes used; an unknown or malformed entity is
/// kept literally (`&`, 1 byte).
pub(crate) fn decode_entity(s: &str) -> (String, usize) {
    let literal = ("&".to_string(), 1);
    let Some(semi) = s
        .get(1..)
        .and_then(|r| r.get(..r.len().min(40)))
        .and_then(|r| r.find(';'))
    else {
        return literal;
    };
    let name = &s[1..1 + semi];
    let used = semi + 2;
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse::<u32>().ok(),
        };
        let Some(code) = code else { return literal };
        let c = match code {
            // HTML maps C1 references to windows-1252.
            0x80..=0x9F => {
                let byte = [code as u8];
                let (t, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
                t.chars().next().unwrap_or(char::REPLACEMENT_CHARACTER)
            }
            0 => char::REPLACEMENT_CHARACTER,
            _ => char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER),
        };
        return (c.to_string(), used);
    }
    match named_entity(name) {
        Some(t) => (t.to_string(), used),
        None => literal,
    }
}

/// Decodes every entity in `s` leniently (unknown ones stay as they are).
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        let (t, used) = decode_entity(&rest[p..]);
        out.push_str(&t);
        rest = rest.get(p + used..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

pub(crate) fn named_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" | "AMP" => "&",
        "lt" | "LT" => "<",
        "gt" | "GT" => ">",
        "quot" | "QUOT" => "\"",
        "apos" => "'",
        "nbsp" => "\u{a0}",
        "shy" => "\u{ad}",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        "deg" => "°",
        "euro" => "€",
        "pound" => "£",
        "middot" => "·",
        "bull" => "•",
        "hellip" => "…",
        "mdash" => "—",
        "ndash" => "–",
        "lsquo" => "‘",
        "rsquo" => "’",
        "sbquo" => "‚",
        "ldquo" => "“",
        "rdquo" => "”",
        "bdquo" => "„",
        "laquo" => "«",
        "raquo" => "»",
        "iexcl" => "¡",
        "iquest" => "¿",
        "ordf" => "ª",
        "ordm" => "º",
        "aacute" => "á",
        "eacute" => "é",
        "iacute" => "í",
        "oacute" => "ó",
        "uacute" => "ú",
        "Aacute" => "Á",
        "Eacute" => "É",
        "Iacute" => "Í",
        "Oacute" => "Ó",
        "Uacute" => "Ú",
        "ntilde" => "ñ",
        "Ntilde" => "Ñ",
        "uuml" => "ü",
        "Uuml" => "Ü",
        "ccedil" => "ç",
        "Ccedil" => "Ç",
        "agrave" => "à",
        "egrave" => "è",
        "igrave" => "ì",
        "ograve" => "ò",
        "ugrave" => "ù",
        "acirc" => "â",
        "ecirc" => "ê",
        "icirc" => "î",
        "ocirc" => "ô",
        "ucirc" => "û",
        "atilde" => "ã",
        "otilde" => "õ",
        "auml" => "ä",
        "euml" => "ë",
        "iuml" => "ï",
        "ouml" => "ö",
        "Auml" => "Ä",
        "Ouml" => "Ö",
        "szlig" => "ß",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset_forms() {
        assert_eq!(
            sniff_meta_charset(b"<html><head><meta charset=\"ISO-8859-1\">").as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(
            sniff_meta_charset(
                b"<meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>"
            )
            .as_deref(),
            Some("windows-1252")
        );
        assert_eq!(
            sniff_meta_charset(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss>").as_deref(),
            Some("utf-8")
        );
        assert_eq!(sniff_meta_charset(b"<html><p>charset=x</p>"), None);
    }

    #[test]
    fn strips_tags_and_keeps_paragraphs() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body>\
            <script>var x = '<p>no</p>';</script>\
            <h1>Titular  de prueba</h1><!-- comment <p>hidden</p> -->\
            <p>Primer p&aacute;rrafo con <b>negrita</b> &amp; un&nbsp;enlace.</p>\
            <div>Segundo &#8220;párrafo&#x201D; &bogus; 3 &lt; 4</div></body></html>";
        assert_eq!(
            html_to_text(html),
            "Titular de prueba\n\nPrimer párrafo con negrita & un enlace.\n\n\
             Segundo “párrafo” &bogus; 3 < 4"
        );
    }

    #[test]
    fn tag_stripper_survives_malformed_input() {
        for s in [
            "<",
            "<p",
            "<!--",
            "&",
            "&#",
            "&#xZZ;",
            "&#99999999;",
            "<script>never closed",
            "a < b > c",
            "<p title='>'>x</p>",
            "ñ<ñ>&ñ;",
            "&#0;",
            "&#x80;",
        ] {
            let _ = html_to_text(s);
        }
        assert_eq!(html_to_text("a < b"), "a < b");
        assert_eq!(html_to_text("<p title='a>b'>x</p>"), "x");
        assert_eq!(html_to_text("&#x80;"), "€");
    }

    #[test]
    fn sniffs_html() {
        assert!(looks_like_html("  <!DOCTYPE html><html>"));
        assert!(looks_like_html("<HTML lang=es>"));
        assert!(looks_like_html("<!-- c -->\n<html>"));
        assert!(!looks_like_html("date 2025-01-01 <b>"));
    }

    #[test]
    fn page_becomes_doc() {
        let bytes: &[u8] =
            b"<!doctype html><html lang=\"es\"><head><meta charset=\"windows-1252\">\
            <title>T\xEDtulo</title></head><body><p>Texto de la p\xE1gina.</p></body></html>";
        let doc = html_doc(bytes, "p.html", None, "html", &ReadOptions::default());
        let Ok(doc) = doc else { panic!("{doc:?}") };
        assert_eq!(doc.source.format, "html");
        assert!(doc.body.contains("Texto de la página."), "{}", doc.body);
    }

    #[test]
    fn binary_page_is_refused() {
        let r = html_doc(&[0u8; 64], "x.html", None, "html", &ReadOptions::default());
        assert!(matches!(r, Err(Error::Format { .. })));
    }
}
