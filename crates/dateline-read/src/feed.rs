//! RSS 2.0 / RSS 1.0 (RDF) and Atom feeds, read whole with quick-xml.
//!
//! Each `<item>`/`<entry>` becomes a document. Body: the first non-empty of
//! `content:encoded`, `content`, `description`, `summary`; when it is HTML
//! (escaped, CDATA, `type="html"` or inline XHTML) it goes through
//! `dateline_html::extract`, and through the crate's tag stripper when the
//! extractor returns nothing (feed bodies are fragments, not pages). Date:
//! `published`, `pubDate`, `dc:date`, `updated` (RFC 2822 and RFC 3339 →
//! ISO 8601). `guid`/`id` and the feed title go to `source.meta`. An XML
//! error ends the feed with one error after the items read so far.

use crate::dateline::{fill_date, normalize_newlines};
use crate::dates::normalize_date;
use crate::html::{decode_entities, html_to_text};
use crate::{Error, ReadOptions, Result};
use dateline_core::{Diagnostic, RawDoc, Source};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use serde_json::Value;
use std::collections::HashMap;

const STAGE: &str = "read";
const BODY_KEYS: &[&str] = &["content:encoded", "content", "description", "summary"];
const DATE_KEYS: &[&str] = &["published", "pubdate", "dc:date", "updated"];

#[derive(Debug, Default)]
struct Field {
    /// Text content, XML-unescaped (may itself be HTML: escaped or CDATA).
    plain: String,
    /// Nested elements rendered back as markup (inline XHTML).
    markup: String,
    nested: bool,
    /// `type` attribute (Atom: text, html, xhtml, or a MIME type).
    kind: Option<String>,
}

impl Field {
    fn is_html(&self) -> bool {
        self.nested
            || matches!(self.kind.as_deref(), Some(k) if k == "html" || k == "xhtml" || k.contains("html"))
            || looks_like_markup(&self.plain)
    }

    /// The field's value as HTML or plain text.
    fn value(&self) -> &str {
        if self.nested {
            &self.markup
        } else {
            &self.plain
        }
    }
}

#[derive(Debug, Default)]
struct Item {
    depth: usize,
    fields: HashMap<String, Field>,
    href: Option<String>,
    lang: Option<String>,
}

/// Field being captured: its key and the depth of its element.
struct Capture {
    key: String,
    depth: usize,
}

fn looks_like_markup(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
        && s.contains('>')
}

/// Element key: lowercased qualified name, with `atom:`/`rss:` prefixes dropped.
fn key_of(e: &BytesStart) -> String {
    let q = String::from_utf8_lossy(e.name().as_ref()).to_ascii_lowercase();
    match q.split_once(':') {
        Some(("atom" | "rss" | "rdf1", local)) => local.to_string(),
        _ => q,
    }
}

fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref().eq_ignore_ascii_case(name))
        .map(|a| decode_entities(&String::from_utf8_lossy(&a.value)))
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads a decoded feed into documents.
pub(crate) fn read_feed(xml: &str, path: &str, opts: &ReadOptions) -> Vec<Result<RawDoc>> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(false);

    let mut out: Vec<Result<RawDoc>> = Vec::new();
    let mut format: Option<&'static str> = None;
    let mut stack: Vec<String> = Vec::new();
    let mut item: Option<Item> = None;
    let mut capture: Option<Capture> = None;
    let mut channel: HashMap<String, Field> = HashMap::new();
    let mut feed_lang: Option<String> = None;
    let mut items: Vec<Item> = Vec::new();

    loop {
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                let pos = reader.error_position();
                finish(
                    &mut out,
                    items,
                    &channel,
                    feed_lang.as_deref(),
                    format,
                    path,
                    opts,
                );
                out.push(Err(Error::Format {
                    path: path.to_string(),
                    message: format!("XML error at byte {pos}: {e}"),
                }));
                return out;
            }
        };
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                let key = key_of(e);
                if format.is_none() {
                    format = match key.as_str() {
                        "rss" | "rdf:rdf" => Some("rss"),
                        "feed" => Some("atom"),
                        _ => {
                            return vec![Err(Error::Format {
                                path: path.to_string(),
                                message: format!("not an RSS or Atom feed (root element <{key}>)"),
                            })]
                        }
                    };
                    if key == "feed" {
                        feed_lang = attr(e, b"xml:lang");
                    }
                }
                let depth = stack.len() + 1;
                // Inside a captured field: nested markup.
                if let (Some(c), Some(it)) = (&capture, item.as_mut()) {
                    if depth > c.depth {
                        if let Some(f) = it.fields.get_mut(&c.key) {
                            f.nested = true;
                            f.markup.push('<');
                            f.markup.push_str(&key);
                            f.markup.push_str(if empty { "/>" } else { ">" });
                        }
                    }
                } else if capture.is_none() {
                    if item.is_none() && (key == "item" || key == "entry") {
                        item = Some(Item {
                            depth,
                            lang: attr(e, b"xml:lang"),
                            ..Item::default()
                        });
                        if empty {
                            item = None;
                        }
                    } else if let Some(it) = item.as_mut() {
                        if depth == it.depth + 1 {
                            if key == "link" {
                                if let Some(href) = attr(e, b"href") {
                                    let rel = attr(e, b"rel");
                                    if it.href.is_none()
                                        && matches!(rel.as_deref(), None | Some("alternate"))
                                    {
                                        it.href = Some(href.trim().to_string());
                                    }
                                }
                            }
                            let f = it.fields.entry(key.clone()).or_default();
                            f.kind = attr(e, b"type").map(|t| t.to_ascii_lowercase());
                            if !empty {
                                capture = Some(Capture { key, depth });
                            }
                        }
                    } else if matches!(stack.last().map(String::as_str), Some("channel" | "feed"))
                        && !empty
                    {
                        capture = Some(Capture { key, depth });
                    }
                }
                if !empty {
                    stack.push(key_of(e));
                }
            }
            Event::End(_) => {
                let depth = stack.len();
                let key = stack.pop().unwrap_or_default();
                if let Some(c) = &capture {
                    if depth == c.depth {
                        capture = None;
                    } else if depth > c.depth {
                        if let Some(f) = item.as_mut().and_then(|it| it.fields.get_mut(&c.key)) {
                            f.markup.push_str("</");
                            f.markup.push_str(&key);
                            f.markup.push('>');
                        }
                    }
                } else if item.as_ref().is_some_and(|it| it.depth == depth) {
                    if let Some(it) = item.take() {
                        items.push(it);
                    }
                }
            }
            Event::Text(t) => {
                let raw = String::from_utf8_lossy(&t);
                add_text(
                    &mut item,
                    &mut channel,
                    &capture,
                    stack.len(),
                    &decode_entities(&raw),
                );
            }
            Event::CData(t) => {
                let raw = String::from_utf8_lossy(&t);
                add_text(&mut item, &mut channel, &capture, stack.len(), &raw);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if format.is_none() {
        // No element at all: an empty or comment-only file.
        return out;
    }
    finish(
        &mut out,
        items,
        &channel,
        feed_lang.as_deref(),
        format,
        path,
        opts,
    );
    out
}

fn add_text(
    item: &mut Option<Item>,
    channel: &mut HashMap<String, Field>,
    capture: &Option<Capture>,
    depth: usize,
    text: &str,
) {
    let Some(c) = capture else { return };
    let f = match item.as_mut() {
        Some(it) => it.fields.entry(c.key.clone()).or_default(),
        None => channel.entry(c.key.clone()).or_default(),
    };
    f.plain.push_str(text);
    if depth >= c.depth {
        escape_into(&mut f.markup, text);
    }
}

fn finish(
    out: &mut Vec<Result<RawDoc>>,
    items: Vec<Item>,
    channel: &HashMap<String, Field>,
    feed_lang: Option<&str>,
    format: Option<&'static str>,
    path: &str,
    opts: &ReadOptions,
) {
    let format = format.unwrap_or("rss");
    let feed_title = channel
        .get("title")
        .map(|f| collapse_ws(&f.plain))
        .filter(|t| !t.is_empty());
    let channel_lang = channel
        .get("language")
        .or_else(|| channel.get("dc:language"))
        .map(|f| f.plain.trim().to_string())
        .filter(|l| !l.is_empty())
        .or_else(|| feed_lang.map(str::to_string));
    for it in items {
        out.push(Ok(item_doc(
            it,
            format,
            feed_title.as_deref(),
            channel_lang.as_deref(),
            path,
            opts,
        )));
    }
}

fn non_empty<'a>(fields: &'a HashMap<String, Field>, key: &str) -> Option<&'a Field> {
    fields.get(key).filter(|f| !f.value().trim().is_empty())
}

fn item_doc(
    it: Item,
    format: &str,
    feed_title: Option<&str>,
    channel_lang: Option<&str>,
    path: &str,
    opts: &ReadOptions,
) -> RawDoc {
    let mut diagnostics = Vec::new();
    let mut meta = serde_json::Map::new();
    let f = &it.fields;

    let title = non_empty(f, "title").map(|t| {
        if t.is_html() {
            collapse_ws(&html_to_text(t.value()))
        } else {
            collapse_ws(&t.plain)
        }
    });

    let guid = non_empty(f, "guid")
        .or_else(|| non_empty(f, "id"))
        .map(|g| g.plain.trim().to_string());
    let url = it
        .href
        .clone()
        .or_else(|| non_empty(f, "link").map(|l| l.plain.trim().to_string()))
        .or_else(|| {
            guid.clone()
                .filter(|g| g.starts_with("http://") || g.starts_with("https://"))
        });
    if let Some(g) = guid {
        meta.insert(
            if f.contains_key("guid") { "guid" } else { "id" }.to_string(),
            Value::from(g),
        );
    }
    if let Some(t) = feed_title {
        meta.insert("feed_title".to_string(), Value::from(t));
    }

    let mut date = None;
    if let Some((key, raw)) = DATE_KEYS
        .iter()
        .find_map(|k| non_empty(f, k).map(|v| (*k, v.plain.trim())))
    {
        match normalize_date(raw) {
            Some(d) => date = Some(d),
            None => {
                diagnostics.push(Diagnostic::warning(
                    STAGE,
                    format!("{key} {raw:?} is not a date I can read; kept in meta as date_raw"),
                ));
                meta.insert("date_raw".to_string(), Value::from(raw));
            }
        }
    }
    fill_date(&mut date, &mut diagnostics, opts, "feed item");

    let body = match BODY_KEYS.iter().find_map(|k| non_empty(f, k)) {
        Some(b) if b.is_html() => {
            let ex = dateline_html::extract(b.value(), &opts.html);
            if ex.text.trim().is_empty() {
                html_to_text(b.value())
            } else {
                ex.text
            }
        }
        Some(b) => normalize_newlines(b.plain.trim()),
        None => String::new(),
    };
    if body.is_empty() {
        diagnostics.push(Diagnostic::warning(STAGE, "the feed item has no body"));
    }

    RawDoc {
        source: Source {
            path: Some(path.to_string()),
            url,
            format: format.to_string(),
            meta,
        },
        title,
        date,
        lang: it.lang.or_else(|| channel_lang.map(str::to_string)),
        body,
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(xml: &str) -> Vec<Result<RawDoc>> {
        read_feed(xml, "f.xml", &ReadOptions::default())
    }

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Feed de prueba</title>
  <language>es-ES</language>
  <item>
    <title>Primera noticia &amp; más</title>
    <link>https://example.org/1</link>
    <guid isPermaLink="false">id-1</guid>
    <pubDate>Tue, 12 Aug 2025 10:00:00 +0000</pubDate>
    <description>&lt;p&gt;Resumen &lt;b&gt;corto&lt;/b&gt;.&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>Cuerpo completo, primer párrafo.</p><p>Segundo párrafo &amp; fin.</p>]]></content:encoded>
  </item>
  <item>
    <title>Segunda</title>
    <guid>https://example.org/2</guid>
    <dc:date>2025-08-11T09:30:00Z</dc:date>
    <description>Texto plano sin etiquetas.</description>
  </item>
  <item><title>Sin cuerpo</title><pubDate>someday</pubDate></item>
</channel>
</rss>"#;

    #[test]
    fn rss_items() {
        let d = docs(RSS);
        assert_eq!(d.len(), 3, "{d:?}");
        let Ok(a) = &d[0] else { panic!("{d:?}") };
        assert_eq!(a.source.format, "rss");
        assert_eq!(a.title.as_deref(), Some("Primera noticia & más"));
        assert_eq!(a.source.url.as_deref(), Some("https://example.org/1"));
        assert_eq!(a.date.as_deref(), Some("2025-08-12T10:00:00+00:00"));
        assert_eq!(
            a.body,
            "Cuerpo completo, primer párrafo.\n\nSegundo párrafo & fin."
        );
        assert_eq!(a.lang.as_deref(), Some("es-ES"));
        assert_eq!(a.source.meta.get("guid"), Some(&Value::from("id-1")));
        assert_eq!(
            a.source.meta.get("feed_title"),
            Some(&Value::from("Feed de prueba"))
        );
        let Ok(b) = &d[1] else { panic!("{d:?}") };
        assert_eq!(b.body, "Texto plano sin etiquetas.");
        assert_eq!(b.date.as_deref(), Some("2025-08-11T09:30:00Z"));
        assert_eq!(b.source.url.as_deref(), Some("https://example.org/2"));
        let Ok(c) = &d[2] else { panic!("{d:?}") };
        assert_eq!(c.body, "");
        assert_eq!(c.date, None);
        assert_eq!(c.source.meta.get("date_raw"), Some(&Value::from("someday")));
        // Unreadable date, no date, no body.
        assert_eq!(c.diagnostics.len(), 3, "{:?}", c.diagnostics);
    }

    #[test]
    fn escaped_html_description() {
        let xml = "<rss><channel><item><title>x</title>\
            <description>&lt;p&gt;Uno&lt;/p&gt;&lt;p&gt;Dos &amp;amp; tres&lt;/p&gt;</description>\
            </item></channel></rss>";
        let d = docs(xml);
        let Ok(a) = &d[0] else { panic!("{d:?}") };
        assert_eq!(a.body, "Uno\n\nDos & tres");
    }

    #[test]
    fn atom_entries() {
        let xml = r#"<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Test feed</title>
  <entry>
    <title type="html">A &lt;em&gt;headline&lt;/em&gt;</title>
    <link rel="self" href="https://example.org/self"/>
    <link rel="alternate" href="https://example.org/a"/>
    <id>urn:uuid:1</id>
    <updated>2025-08-13T12:00:00Z</updated>
    <published>2025-08-13T08:00:00+02:00</published>
    <summary>Short summary.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>First &amp; best.</p><p>Second.</p></div></content>
  </entry>
  <entry xml:lang="es">
    <title>Otra</title>
    <link href="https://example.org/b"/>
    <updated>2025-08-14T00:00:00Z</updated>
    <summary type="text">Solo resumen.</summary>
  </entry>
</feed>"#;
        let d = docs(xml);
        assert_eq!(d.len(), 2, "{d:?}");
        let Ok(a) = &d[0] else { panic!("{d:?}") };
        assert_eq!(a.source.format, "atom");
        assert_eq!(a.title.as_deref(), Some("A headline"));
        assert_eq!(a.source.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(a.date.as_deref(), Some("2025-08-13T08:00:00+02:00"));
        assert_eq!(a.body, "First & best.\n\nSecond.");
        assert_eq!(a.lang.as_deref(), Some("en"));
        assert_eq!(a.source.meta.get("id"), Some(&Value::from("urn:uuid:1")));
        let Ok(b) = &d[1] else { panic!("{d:?}") };
        assert_eq!(b.body, "Solo resumen.");
        assert_eq!(b.lang.as_deref(), Some("es"));
        assert_eq!(b.date.as_deref(), Some("2025-08-14T00:00:00Z"));
    }

    #[test]
    fn rdf_items() {
        let xml = r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel><title>c</title></channel>
<item><title>R1</title><link>https://example.org/r1</link><description>Body r1</description></item>
</rdf:RDF>"#;
        let d = docs(xml);
        assert!(matches!(&d[..], [Ok(x)] if x.body == "Body r1" && x.source.format == "rss"));
    }

    #[test]
    fn broken_xml_keeps_earlier_items() {
        let xml = "<rss><channel><item><title>ok</title><description>fine</description></item>\
            <item><title>bad</wrong></item></channel></rss>";
        let d = docs(xml);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(matches!(&d[0], Ok(x) if x.body == "fine"));
        assert!(
            matches!(&d[1], Err(Error::Format { message, .. }) if message.contains("XML error"))
        );
    }

    #[test]
    fn not_a_feed() {
        let d = docs("<html><body>x</body></html>");
        assert!(
            matches!(&d[..], [Err(Error::Format { message, .. })] if message.contains("not an RSS"))
        );
        assert!(docs("").is_empty());
        assert!(docs("<!-- nothing -->").is_empty());
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        for x in [
            "<rss><channel><item>",
            "<rss><channel><item><description>&#xFFFFFFFF;&bogus;</description></item></channel></rss>",
            "<feed><entry><content type=\"xhtml\"><div><div><div>x",
            "<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY a 'aaaa'>]><rss><channel><item><description>&a;</description></item></channel></rss>",
            "<rss><item/><item></item></rss>",
        ] {
            let _ = docs(x);
        }
        let deep = format!(
            "<rss><channel><item><description>{}</description></item></channel></rss>",
            "<b>".repeat(10_000)
        );
        let _ = docs(&deep);
    }
}
