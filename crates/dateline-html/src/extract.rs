//! Main-text extraction: readability-style content scoring over the arena
//! tree, then a pruned text walk of the chosen container.
//!
//! Every pass is a linear loop over the node vector (nodes are stored in
//! document order, so each subtree is a contiguous index range and every
//! parent precedes its children); nothing recurses.

use crate::dom::{Dom, Kind, Tag, NONE};
use crate::text::{decode_into, is_space};
use std::sync::OnceLock;

const SKIP: u8 = 1; // never text (scripts, forms controls, hidden ...)
const UNLIKELY: u8 = 2; // boilerplate by tag or by class/id
const POSITIVE: u8 = 4; // class/id looks like article content
const STRONG: u8 = 8; // itemprop=articleBody and the like
const NEGATIVE: u8 = 16; // class/id looks like boilerplate (weight only)
const SMALL_BOILER: u8 = 32; // boilerplate if it holds little text
const SMALL_UNLIKELY: u8 = 64; // unlikely class, but content-ish words too

pub struct Info {
    pub flags: Vec<u8>,
    /// Visible characters (non-white-space) in the subtree, unlikely parts
    /// excluded.
    pub text: Vec<u32>,
    /// Visible characters inside links.
    pub link: Vec<u32>,
    pub commas: Vec<u32>,
    pub paras: Vec<u32>,
    pub imgs: Vec<u32>,
    pub lis: Vec<u32>,
    pub inputs: Vec<u32>,
    pub end: Vec<u32>,
    pub block_child: Vec<bool>,
    /// Visible characters of direct inline content (text children and
    /// inline elements), and their commas.
    pub inline_text: Vec<u32>,
    pub inline_commas: Vec<u32>,
    pub weight: Vec<i32>,
}

/// Lower-cased class and id of an element, space-joined, in `buf`.
fn class_id(dom: &Dom, id: u32, buf: &mut String) {
    buf.clear();
    for a in dom.attrs_of(id) {
        if a.name.eq_ignore_ascii_case("class") || a.name.eq_ignore_ascii_case("id") {
            buf.push(' ');
            if a.value.is_ascii() {
                buf.extend(a.value.bytes().map(|b| b.to_ascii_lowercase() as char));
            } else {
                for c in a.value.chars() {
                    buf.extend(c.to_lowercase());
                }
            }
        }
    }
    buf.push(' ');
}

/// Splits class/id into word tokens (on space, '-', '_', and camelCase is
/// already lower-cased away).
fn has_token(s: &str, tokens: &[&str]) -> bool {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| tokens.contains(&w))
}

const UNLIKELY_SUB: &[&str] = &[
    "comment",
    "disqus",
    "related",
    "recommend",
    "newsletter",
    "subscri",
    "promo",
    "advert",
    "sponsor",
    "sidebar",
    "widget",
    "footer",
    "breadcrumb",
    "cookie",
    "popup",
    "modal",
    "signup",
    "sign-up",
    "more-stories",
    "read-more",
    "readmore",
    "outbrain",
    "taboola",
    "toolbar",
    "pagination",
    "pager",
    "masthead",
    "social",
    "sharing",
    "share-",
    "-share",
    "shareb",
    "trending",
    "most-popular",
    "mostpopular",
    "most-read",
    "mostread",
    "skyscraper",
    "shoutbox",
    "gdpr",
    "consent",
    "author-bio",
    "authorbio",
    "author-info",
    "about-author",
    "about-the-author",
    "byline",
    "tag-list",
    "taglist",
    "post-tags",
    "article-tags",
    "tags-",
    "keywords",
    "breaking-news",
    "navbar",
    "navigation",
    "menu",
    "banner",
    "rss",
    "supplemental",
    "agegate",
    "nocontent",
    "jump-link",
    "gallery",
    "slideshow",
    "carousel",
    "lightbox",
    "caption",
];
/// Tokens that mark boilerplate only on small elements (bylines, dates).
const SMALL_TOK: &[&str] = &[
    "date",
    "time",
    "timestamp",
    "dateline",
    "author",
    "authors",
    "published",
    "updated",
    "credit",
    "source",
    "label",
    "kicker",
    "eyebrow",
    "dek",
    "subtitle",
    "subhead",
    "standfirst",
];
const UNLIKELY_TOK: &[&str] = &[
    "ad",
    "ads",
    "nav",
    "tags",
    "tag",
    "share",
    "hidden",
    "hide",
    "print",
    "meta",
    "header",
    "masthead",
    "extra",
    "remark",
    "replies",
    "community",
    "caption",
    "credit",
    "credits",
    "topics",
    "sr",
    "screen",
    "visually",
    "invisible",
    "login",
];
const OK_MAYBE: &[&str] = &[
    "article", "body", "column", "content", "main", "shadow", "entry", "story", "post-",
];

const STRONG_SUB: &[&str] = &[
    "article-body",
    "articlebody",
    "article_body",
    "article-content",
    "article__body",
    "article__content",
    "articlecontent",
    "article-text",
    "article_text",
    "articletext",
    "story-body",
    "storybody",
    "story-content",
    "story-text",
    "storytext",
    "post-content",
    "post-body",
    "postbody",
    "post-text",
    "entry-content",
    "entry-body",
    "content-body",
    "body-text",
    "bodytext",
    "rich-text",
    "richtext",
    "text-content",
    "news-body",
    "news-text",
    "main-text",
    "article-main",
];
const POSITIVE_SUB: &[&str] = &[
    "article", "body", "content", "entry", "hentry", "main", "page", "post", "text", "blog",
    "story",
];
const NEGATIVE_SUB: &[&str] = &[
    "hidden",
    "banner",
    "combx",
    "comment",
    "com-",
    "contact",
    "foot",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "tool",
    "widget",
];

const G_UNLIKELY: u8 = 1;
const G_OK_MAYBE: u8 = 2;
const G_STRONG: u8 = 4;
const G_POS: u8 = 8;
const G_NEG: u8 = 16;

struct Patterns {
    ac: aho_corasick::AhoCorasick,
    group: Vec<u8>,
}

fn patterns() -> Option<&'static Patterns> {
    static P: OnceLock<Option<Patterns>> = OnceLock::new();
    P.get_or_init(|| {
        let mut pats: Vec<&str> = Vec::new();
        let mut group = Vec::new();
        for (list, g) in [
            (UNLIKELY_SUB, G_UNLIKELY),
            (OK_MAYBE, G_OK_MAYBE),
            (STRONG_SUB, G_STRONG),
            (POSITIVE_SUB, G_POS),
            (NEGATIVE_SUB, G_NEG),
        ] {
            for p in list {
                pats.push(p);
                group.push(g);
            }
        }
        aho_corasick::AhoCorasick::new(&pats)
            .ok()
            .map(|ac| Patterns { ac, group })
    })
    .as_ref()
}

/// Which pattern groups occur (as substrings) in a class/id string: one
/// Aho-Corasick pass instead of ~150 substring searches.
fn class_groups(s: &str) -> u8 {
    let Some(p) = patterns() else {
        return 0;
    };
    let mut g = 0u8;
    for m in p.ac.find_overlapping_iter(s) {
        g |= p.group.get(m.pattern().as_usize()).copied().unwrap_or(0);
    }
    g
}

fn hidden_style(style: &str) -> bool {
    let s: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(|c| c.to_lowercase())
        .collect();
    s.contains("display:none") || s.contains("visibility:hidden")
}

/// Visible characters of a raw text slice and its commas.
fn count_text(raw: &str) -> (u32, u32) {
    let mut n = 0u32;
    let mut commas = 0u32;
    for &b in raw.as_bytes() {
        if b == b',' {
            commas += 1;
        }
        if !(b.is_ascii_whitespace() || (b & 0xC0) == 0x80) {
            n += 1;
        }
    }
    (n, commas)
}

pub fn analyse(dom: &Dom, strip_unlikely: bool) -> Info {
    let n = dom.nodes.len();
    let mut info = Info {
        flags: vec![0; n],
        text: vec![0; n],
        link: vec![0; n],
        commas: vec![0; n],
        paras: vec![0; n],
        imgs: vec![0; n],
        lis: vec![0; n],
        inputs: vec![0; n],
        end: vec![0; n],
        block_child: vec![false; n],
        inline_text: vec![0; n],
        inline_commas: vec![0; n],
        weight: vec![0; n],
    };
    let mut buf = String::new();
    // Top-down: flags.
    for (i, node) in dom.nodes.iter().enumerate() {
        if node.kind != Kind::Element {
            continue;
        }
        let id = i as u32;
        let mut f = 0u8;
        use Tag::*;
        match node.tag {
            Script | Style | Noscript | Template | Svg | Math | Iframe | Object | Embed
            | Canvas | Video | Audio | Select | Option | Textarea | Input | Button | Head
            | Title | Dialog | Meta | Link => f |= SKIP,
            Nav | Aside | Footer | Figure | Figcaption => f |= UNLIKELY,
            _ => {}
        }
        if f & SKIP == 0 {
            for a in dom.attrs_of(id) {
                let nm = a.name;
                if nm.eq_ignore_ascii_case("hidden")
                    || (nm.eq_ignore_ascii_case("style") && hidden_style(a.value))
                    || (nm.eq_ignore_ascii_case("aria-hidden")
                        && a.value.eq_ignore_ascii_case("true"))
                {
                    f |= SKIP;
                } else if nm.eq_ignore_ascii_case("itemprop")
                    && a.value.to_ascii_lowercase().contains("articlebody")
                {
                    f |= STRONG;
                } else if nm.eq_ignore_ascii_case("role") {
                    let v = a.value.to_ascii_lowercase();
                    if matches!(
                        v.as_str(),
                        "navigation"
                            | "complementary"
                            | "contentinfo"
                            | "banner"
                            | "menu"
                            | "dialog"
                    ) {
                        f |= UNLIKELY;
                    }
                }
            }
            class_id(dom, id, &mut buf);
            if buf.len() > 2 {
                let mut w = 0;
                let g = class_groups(&buf);
                if g & G_STRONG != 0 {
                    f |= STRONG | POSITIVE;
                }
                if g & G_POS != 0 {
                    f |= POSITIVE;
                    w += 25;
                }
                if g & G_NEG != 0 {
                    f |= NEGATIVE;
                    w -= 25;
                }
                if f & STRONG == 0
                    && !matches!(node.tag, Body | Html | A)
                    && (g & G_UNLIKELY != 0 || has_token(&buf, UNLIKELY_TOK))
                {
                    if g & G_OK_MAYBE != 0 {
                        f |= SMALL_UNLIKELY;
                    } else {
                        f |= UNLIKELY;
                    }
                }
                if f & STRONG == 0 && !matches!(node.tag, Body | Html) && has_token(&buf, SMALL_TOK)
                {
                    f |= SMALL_BOILER;
                }
                if f & STRONG != 0 {
                    w += 25;
                }
                info.weight[i] = w;
            }
        }
        if !strip_unlikely {
            f &= !UNLIKELY;
        }
        info.flags[i] = f;
    }
    // Bottom-up: aggregates (children have larger indices than parents).
    for i in (0..n).rev() {
        let node = &dom.nodes[i];
        let size_end = info.end[i].max(i as u32 + 1);
        info.end[i] = size_end;
        let mut f = info.flags[i];
        if strip_unlikely
            && ((f & SMALL_BOILER != 0 && info.text[i] < 200 && info.paras[i] <= 1)
                || (f & SMALL_UNLIKELY != 0 && info.text[i] < 500 && info.paras[i] < 3))
        {
            f |= UNLIKELY;
            info.flags[i] = f;
        }
        if node.kind == Kind::Text {
            let (t, c) = count_text(dom.raw_text(i as u32));
            info.text[i] = t;
            info.commas[i] = c;
        } else {
            match node.tag {
                Tag::A => info.link[i] = info.text[i],
                Tag::P => info.paras[i] += 1,
                Tag::Img => info.imgs[i] += 1,
                Tag::Li => info.lis[i] += 1,
                Tag::Input => info.inputs[i] += 1,
                _ => {}
            }
        }
        let p = node.parent;
        if p == NONE {
            continue;
        }
        let pu = p as usize;
        // Subtree end of the parent is the max end of its children.
        if info.end[pu] < size_end {
            info.end[pu] = size_end;
        }
        if node.kind == Kind::Element && node.tag.is_block() {
            info.block_child[pu] = true;
        }
        if f & (SKIP | UNLIKELY) != 0 {
            continue;
        }
        if node.kind == Kind::Text || !node.tag.is_block() {
            info.inline_text[pu] += info.text[i];
            info.inline_commas[pu] += info.commas[i];
        }
        info.text[pu] += info.text[i];
        info.link[pu] += info.link[i];
        info.commas[pu] += info.commas[i];
        info.paras[pu] += info.paras[i];
        info.imgs[pu] += info.imgs[i];
        info.lis[pu] += info.lis[i];
        info.inputs[pu] += info.inputs[i];
    }
    info
}

fn link_density(info: &Info, i: usize) -> f32 {
    let t = info.text[i];
    if t == 0 {
        0.0
    } else {
        info.link[i] as f32 / t as f32
    }
}

fn base_score(tag: Tag) -> f32 {
    use Tag::*;
    match tag {
        Div | Article | Main => 5.0,
        Pre | Td | Blockquote => 3.0,
        Address | Ol | Ul | Dl | Dd | Dt | Li | Form => -3.0,
        H1 | H2 | H3 | H4 | H5 | H6 | Th => -5.0,
        _ => 0.0,
    }
}

/// Chooses the content roots (top candidate plus qualifying siblings).
pub fn choose(dom: &Dom, info: &Info) -> Vec<u32> {
    let n = dom.nodes.len();
    let mut score = vec![f32::NAN; n];
    for i in 0..n {
        let node = &dom.nodes[i];
        if node.kind != Kind::Element || info.flags[i] & (SKIP | UNLIKELY) != 0 {
            continue;
        }
        let is_para = match node.tag {
            Tag::P | Tag::Pre | Tag::Td => true,
            Tag::Div | Tag::Section | Tag::Article | Tag::Blockquote => !info.block_child[i],
            _ => false,
        };
        let (len, commas, mut anc) = if is_para {
            (info.text[i], info.commas[i], node.parent)
        } else if info.block_child[i]
            && matches!(
                node.tag,
                Tag::Div
                    | Tag::Section
                    | Tag::Article
                    | Tag::Main
                    | Tag::Td
                    | Tag::Blockquote
                    | Tag::Body
            )
        {
            // Loose inline text next to block children: a virtual <p>
            // whose parent is this element.
            (info.inline_text[i], info.inline_commas[i], i as u32)
        } else {
            continue;
        };
        if len < 25 {
            continue;
        }
        let s = 1.0 + commas as f32 + (len as f32 / 100.0).min(3.0);
        let mut level = 0;
        while anc != NONE && level < 5 {
            let a = anc as usize;
            if dom.nodes[a].tag == Tag::Html {
                break;
            }
            if score[a].is_nan() {
                score[a] = base_score(dom.nodes[a].tag) + info.weight[a] as f32;
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[a] += s / div;
            anc = dom.nodes[a].parent;
            level += 1;
        }
    }
    // Removed subtrees: any candidate with a SKIP/UNLIKELY ancestor is void.
    let mut dead = vec![false; n];
    for i in 0..n {
        let p = dom.nodes[i].parent;
        let pd = p != NONE && dead[p as usize];
        dead[i] = pd || info.flags[i] & (SKIP | UNLIKELY) != 0;
    }
    let mut best = NONE;
    let mut best_score = 0.0f32;
    for i in 0..n {
        if score[i].is_nan() || dead[i] {
            continue;
        }
        let mut s = score[i] * (1.0 - link_density(info, i));
        if info.flags[i] & STRONG != 0 {
            s *= 1.5;
        }
        score[i] = s;
        if s > best_score {
            best_score = s;
            best = i as u32;
        }
    }
    if best == NONE {
        return Vec::new();
    }
    // Climb while the parent carries (almost) all of the text.
    let mut top = best;
    loop {
        let p = dom.nodes[top as usize].parent;
        if p == NONE
            || matches!(dom.nodes[p as usize].tag, Tag::Body | Tag::Html)
            || dead[p as usize]
        {
            break;
        }
        let pt = info.text[p as usize] as f32;
        let t = info.text[top as usize] as f32;
        if pt > 0.0 && t / pt >= 0.85 && !score[p as usize].is_nan() {
            top = p;
        } else {
            break;
        }
    }
    let top_score = if score[top as usize].is_nan() {
        best_score
    } else {
        score[top as usize].max(best_score)
    };
    let mut roots = Vec::new();
    let parent = dom.nodes[top as usize].parent;
    if parent == NONE {
        return vec![top];
    }
    let threshold = (top_score * 0.2).max(10.0);
    let mut c = dom.nodes[parent as usize].first_child;
    let mut cls_top = String::new();
    class_id(dom, top, &mut cls_top);
    let mut cls = String::new();
    while c != NONE {
        let ci = c as usize;
        let node = &dom.nodes[ci];
        if c == top {
            roots.push(c);
        } else if node.kind == Kind::Element && !dead[ci] {
            let mut bonus = 0.0;
            class_id(dom, c, &mut cls);
            if !cls.trim().is_empty() && cls == cls_top {
                bonus = top_score * 0.2;
            }
            let s = if score[ci].is_nan() { 0.0 } else { score[ci] };
            let append = if s + bonus >= threshold {
                true
            } else if node.tag == Tag::P
                || (matches!(node.tag, Tag::Div | Tag::Section) && !info.block_child[ci])
            {
                let ld = link_density(info, ci);
                let t = info.text[ci];
                (t > 80 && ld < 0.25)
                    || (t > 0 && t <= 80 && ld == 0.0 && dom.subtree_raw_text(c).contains(". "))
            } else {
                false
            };
            if append {
                roots.push(c);
            }
        }
        c = node.next_sibling;
    }
    roots
}

/// One output paragraph.
#[derive(Debug, Default)]
pub struct Para {
    pub text: String,
    pub chars: usize,
    pub link_chars: usize,
    pub tag: Option<Tag>,
}

fn conditional_remove(dom: &Dom, info: &Info, i: usize) -> bool {
    use Tag::*;
    let tag = dom.nodes[i].tag;
    if !matches!(
        tag,
        Div | Section | Ul | Ol | Table | Form | Header | Figure | Dl
    ) {
        return false;
    }
    if info.flags[i] & (STRONG) != 0 {
        return false;
    }
    let w = info.weight[i];
    if info.commas[i] >= 10 {
        return false;
    }
    let p = info.paras[i] as f32;
    let img = info.imgs[i] as f32;
    let li = info.lis[i] as f32 - 100.0;
    let input = info.inputs[i] as f32;
    let ld = link_density(info, i);
    let t = info.text[i];
    let list = matches!(tag, Ul | Ol);
    (img > 1.0 && p / img < 0.5 && t < 200)
        || (!list && li > p)
        || (input > (p / 3.0).floor())
        || (t < 25 && p == 0.0 && (img == 0.0 || img > 2.0) && tag != Figure)
        || (w < 25 && ld > 0.3)
        || (w >= 25 && ld > 0.5)
}

/// Walks the roots and produces paragraphs.
pub fn emit(dom: &Dom, info: &Info, roots: &[u32]) -> Vec<Para> {
    let mut paras = Vec::new();
    let mut cur = Para::default();
    let mut pending = false;
    let mut tmp = String::new();
    fn flush(cur: &mut Para, paras: &mut Vec<Para>, pending: &mut bool) {
        if !cur.text.is_empty() {
            paras.push(std::mem::take(cur));
        } else {
            cur.chars = 0;
            cur.link_chars = 0;
        }
        *pending = false;
    }
    for &root in roots {
        let r = root as usize;
        let end = info.end.get(r).copied().unwrap_or(0) as usize;
        let mut blocks: Vec<(usize, Tag)> = Vec::new();
        let mut links: Vec<usize> = Vec::new();
        let mut i = r;
        flush(&mut cur, &mut paras, &mut pending);
        while i < end {
            while let Some(&(e, _)) = blocks.last() {
                if e <= i {
                    blocks.pop();
                    flush(&mut cur, &mut paras, &mut pending);
                } else {
                    break;
                }
            }
            while links.last().is_some_and(|&e| e <= i) {
                links.pop();
            }
            let node = &dom.nodes[i];
            let e = info.end[i] as usize;
            if node.kind == Kind::Element {
                let f = info.flags[i];
                let pruned =
                    f & (SKIP | UNLIKELY) != 0 || (i != r && conditional_remove(dom, info, i));
                if pruned {
                    if node.tag.is_block() {
                        flush(&mut cur, &mut paras, &mut pending);
                    }
                    i = e.max(i + 1);
                    continue;
                }
                if node.tag.is_block() {
                    flush(&mut cur, &mut paras, &mut pending);
                    if cur.tag.is_none() || node.tag != Tag::Br {
                        cur.tag = Some(node.tag);
                    }
                    blocks.push((e, node.tag));
                } else if node.tag == Tag::A {
                    links.push(e);
                }
            } else {
                let raw = dom.raw_text(i as u32);
                let src = if raw.contains('&') {
                    tmp.clear();
                    decode_into(raw, &mut tmp);
                    tmp.as_str()
                } else {
                    raw
                };
                let in_link = !links.is_empty();
                for c in src.chars() {
                    if is_space(c) {
                        pending = true;
                    } else {
                        if pending && !cur.text.is_empty() {
                            cur.text.push(' ');
                        }
                        pending = false;
                        cur.text.push(c);
                        cur.chars += 1;
                        if in_link {
                            cur.link_chars += 1;
                        }
                    }
                }
                if cur.tag.is_none() {
                    cur.tag = blocks.last().map(|b| b.1);
                }
            }
            i += 1;
        }
        flush(&mut cur, &mut paras, &mut pending);
    }
    paras
}

fn norm_cmp(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Drops link lists, the headline and boilerplate lines.
pub fn filter(paras: Vec<Para>, title: Option<&str>) -> Vec<Para> {
    let t = title.map(norm_cmp).unwrap_or_default();
    paras
        .into_iter()
        .filter(|p| {
            if p.chars == 0 {
                return false;
            }
            let ld = p.link_chars as f32 / p.chars as f32;
            if ld > 0.5 {
                return false;
            }
            if p.tag == Some(Tag::H1) || (!t.is_empty() && p.chars < 400 && norm_cmp(&p.text) == t)
            {
                return false;
            }
            !is_boilerplate_line(&p.text, p.chars)
        })
        .collect()
}

pub fn join(paras: &[Para]) -> String {
    let mut out = String::new();
    for p in paras {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&p.text);
    }
    out
}

/// Short lines that are page furniture rather than article text: bare
/// URLs and e-mail addresses, dates, "Published ..." stamps, photo
/// credits, and widget labels.
pub fn is_boilerplate_line(text: &str, chars: usize) -> bool {
    if chars > 80 {
        return false;
    }
    let t = text.trim();
    if !t.contains(' ')
        && (t.starts_with("http") || t.starts_with("www.") || (t.contains('@') && t.contains('.')))
    {
        return true;
    }
    let lower = t.to_lowercase();
    const PREFIX: &[&str] = &[
        "published",
        "updated",
        "last updated",
        "posted",
        "photo:",
        "photo by",
        "photograph:",
        "image:",
        "image source",
        "credit:",
        "foto:",
        "imagen:",
        "advertisement",
        "publicidad",
        "copyright",
        "©",
        "(c)",
        "all rights reserved",
        "share this",
        "share on",
        "read more",
        "leer más",
        "explore further",
        "related:",
        "tags",
        "etiquetas",
        "sponsored",
        "click here",
        "sign up",
        "subscribe",
        "follow us",
        "síguenos",
    ];
    if PREFIX.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    const EXACT: &[&str] = &[
        "caption", "close", "share", "comments", "menu", "search", "print", "email", "next",
        "previous", "more",
    ];
    if EXACT.contains(&lower.trim_end_matches([':', '.'])) {
        return true;
    }
    chars < 40 && crate::meta::normalize_date(t).is_some()
}
