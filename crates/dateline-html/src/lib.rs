//! dateline-html: main text and metadata from a news page.
//!
//! A hand-written lenient tokenizer builds an arena tree (`dom`), a
//! readability-style scorer picks the content container and a pruned walk
//! turns it into paragraphs (`extract`); metadata comes from meta tags,
//! JSON-LD and the document head (`meta`). Nothing recurses over the DOM,
//! so hostile nesting cannot exhaust the stack.

mod dom;
mod entities_table;
pub mod eval;
mod extract;
mod meta;
mod text;

pub use meta::normalize_date;

/// Limits for extraction.
#[derive(Debug, Clone)]
pub struct Options {
    /// Elements nested deeper than this are flattened into their ancestor at
    /// this depth (protects against stack exhaustion on hostile input).
    pub max_depth: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { max_depth: 256 }
    }
}

/// What a page yields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// Headline (og:title, JSON-LD headline, <h1>, <title>, in that order of trust).
    pub title: Option<String>,
    /// Main text, paragraphs separated by a blank line ("\n\n").
    pub text: String,
    /// Publication date, ISO 8601 (date or date-time as found).
    pub date: Option<String>,
    /// Declared language (ISO 639-1, lowercased primary subtag).
    pub lang: Option<String>,
    /// Canonical URL (link rel=canonical, og:url).
    pub url: Option<String>,
    /// Problems met (depth limit hit, no main text found ...).
    pub warnings: Vec<String>,
}

/// Extracts the main text and metadata of an HTML page. Never panics.
pub fn extract(html: &str, opts: &Options) -> Extracted {
    let dom = dom::parse(html, opts.max_depth);
    let mut warnings = Vec::new();
    if dom.flattened > 0 {
        warnings.push(format!(
            "{} elements nested deeper than {} were flattened",
            dom.flattened, opts.max_depth
        ));
    }
    if dom.truncated {
        warnings.push("input larger than 2 GiB was truncated".to_string());
    }
    let meta = meta::collect(&dom);
    let title = meta.title();
    let text = main_text(&dom, &meta, title.as_deref());
    if text.is_empty() {
        warnings.push("no main text found".to_string());
    }
    Extracted {
        title,
        text,
        date: meta.date.as_ref().map(|d| d.1.clone()),
        lang: meta.lang(),
        url: meta.url(),
        warnings,
    }
}

fn main_text(dom: &dom::Dom, meta: &meta::Meta, title: Option<&str>) -> String {
    let mut best = String::new();
    for strip in [true, false] {
        let info = extract::analyse(dom, strip);
        let roots = extract::choose(dom, &info);
        let paras = extract::filter(extract::emit(dom, &info, &roots), title);
        let text = extract::join(&paras);
        if text.len() > best.len() {
            best = text;
        }
        if best.chars().count() >= 250 {
            break;
        }
    }
    if best.is_empty() {
        // Nothing scored (plain text, or a page of short fragments): fall
        // back to all visible text outside boilerplate.
        let info = extract::analyse(dom, true);
        let roots: Vec<u32> = (0..dom.nodes.len() as u32)
            .filter(|&i| dom.nodes[i as usize].parent == dom::NONE)
            .collect();
        best = extract::join(&extract::filter(extract::emit(dom, &info, &roots), title));
    }
    if let Some(ld) = &meta.ld_body {
        let ld = text::clean(ld);
        if ld.len() > best.len() && (best.len() < 250 || eval::score(&best, &ld).recall < 0.6) {
            best = ld;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(html: &str) -> Extracted {
        extract(html, &Options::default())
    }

    #[test]
    fn empty_input() {
        let e = ex("");
        assert_eq!(e.text, "");
        assert!(e.title.is_none());
        assert!(e.warnings.iter().any(|w| w.contains("no main text")));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let mut html = "<div>".repeat(100_000);
        html.push_str("<p>deep text, with a comma, and more words to make a paragraph here</p>");
        html.push_str(&"</div>".repeat(100_000));
        let e = ex(&html);
        assert!(e.text.contains("deep text"));
        assert!(e.warnings.iter().any(|w| w.contains("flattened")));
        // Without the depth limit the tree is 100,000 deep: still no recursion.
        let e = extract(
            &html,
            &Options {
                max_depth: 1_000_000,
            },
        );
        assert!(e.text.contains("deep text"));
        // Unclosed deep nesting of mixed tags.
        let html = "<span><b><i><div>".repeat(30_000);
        let _ = ex(&html);
    }

    #[test]
    fn binary_garbage() {
        let mut bytes = Vec::with_capacity(200_000);
        let mut x: u32 = 12345;
        for _ in 0..200_000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            bytes.push((x >> 16) as u8);
        }
        let s = String::from_utf8_lossy(&bytes);
        let _ = ex(&s);
        let _ = ex("<\0<<<>>>&#;&#x;&;</</ <a <b c=\"d <!-- <![CDATA[ <? <!");
        let _ = ex("<script>never closed");
        let _ = ex("<a href='x");
        let _ = ex("&#xFFFFFFFFFF; &#99999999999; &#x110000;");
    }

    #[test]
    fn unclosed_tags() {
        let html = "<html><head><title>T &amp; U</title><body><div class=article-body><p>First paragraph of the story, with commas, and enough words to count as text.<p>Second paragraph, also long enough, to be kept by the extractor as text.<div>Third block, trailing, never closed, but with words in it, like an article.";
        let e = ex(html);
        assert!(e.text.contains("First paragraph"), "{e:?}");
        assert!(e.text.contains("Second paragraph"));
        assert!(e.text.contains("\n\n"));
        assert_eq!(e.title.as_deref(), Some("T & U"));
    }

    #[test]
    fn huge_single_line() {
        let line = "word ".repeat(10 * 1024 * 1024); // 50 MB
        let e = ex(&line);
        assert!(e.text.len() > 1_000_000);
        let html = format!("<p>{line}</p>");
        let e = ex(&html);
        assert!(e.text.starts_with("word word"));
    }

    #[test]
    fn boilerplate_and_metadata() {
        let html = r#"<!doctype html><html lang="es-ES"><head>
<title>Title tag</title>
<meta property="og:title" content="El titular &quot;real&quot;">
<meta property="article:published_time" content="2025-08-13T10:20:30+02:00">
<link rel="canonical" href="https://example.com/a?x=1&amp;y=2">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"H","datePublished":"2025-08-12"}</script>
</head><body>
<nav><a href="/">Inicio</a> <a href="/x">Mundo</a></nav>
<div class="sidebar"><p>Lo más leído: una lista de enlaces, con comas, que no es parte del artículo.</p></div>
<article><h1>El titular "real"</h1>
<div class="article-body">
<p>El Gobierno anunció hoy, tras una larga reunión, un paquete de medidas económicas para la región.</p>
<figure><img src="a.jpg"><figcaption>Foto: Reuters</figcaption></figure>
<p>Las medidas, según fuentes oficiales, entrarán en vigor el próximo mes &mdash; y costarán millones.</p>
<div class="share-buttons"><a href="/f">Facebook</a><a href="/t">Twitter</a></div>
</div></article>
<footer><p>Copyright 2025, todos los derechos reservados, una empresa de medios.</p></footer>
</body></html>"#;
        let e = ex(html);
        assert_eq!(e.title.as_deref(), Some("El titular \"real\""));
        assert_eq!(e.date.as_deref(), Some("2025-08-13T10:20:30+02:00"));
        assert_eq!(e.lang.as_deref(), Some("es"));
        assert_eq!(e.url.as_deref(), Some("https://example.com/a?x=1&y=2"));
        assert!(e.text.starts_with("El Gobierno anunció hoy"), "{}", e.text);
        assert!(e.text.contains("mes — y costarán"));
        assert!(!e.text.contains("Facebook"));
        assert!(!e.text.contains("Foto"));
        assert!(!e.text.contains("Copyright"));
        assert!(!e.text.contains("Lo más leído"));
        assert!(!e.text.contains("Inicio"));
        assert_eq!(e.text.matches("\n\n").count(), 1);
    }

    #[test]
    fn jsonld_fallback_and_lang_sources() {
        let html = r#"<html><head><meta property="og:locale" content="en_GB">
<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","headline":"Head","datePublished":"2024-01-02T03:04:05Z","articleBody":"Body from JSON-LD. It is long enough to be the article text when the page itself shows nothing but a script shell and a few short labels here and there, which happens on client-rendered pages. More words follow to pass the threshold of the extractor comfortably."}]}</script>
</head><body><div id="app">Loading</div></body></html>"#;
        let e = ex(html);
        assert_eq!(e.title.as_deref(), Some("Head"));
        assert_eq!(e.date.as_deref(), Some("2024-01-02T03:04:05Z"));
        assert_eq!(e.lang.as_deref(), Some("en"));
        assert!(e.text.starts_with("Body from JSON-LD."));
    }
}
