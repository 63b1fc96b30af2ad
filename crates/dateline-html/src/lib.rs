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
    if let Some(ld) = &meta.ld_body {
        let ld = text::clean(ld);
        if best.len() < 250 && ld.len() > best.len() {
            best = ld;
        }
    }
    best
}
