//! A lenient HTML tokenizer and an arena (Vec-indexed) tree builder.
//!
//! No recursion anywhere: nodes live in one `Vec`, children are linked by
//! index, and the tree is dropped as a flat vector. Elements nested deeper
//! than `max_depth` are not created; their content is attached to the
//! deepest allowed ancestor ("flattened").

/// How far down the open-element stack an end tag looks for its match
/// (bounds the work per tag when `max_depth` is very large).
const SEARCH_LIMIT: usize = 512;

/// Index meaning "no node".
pub const NONE: u32 = u32::MAX;

/// Tags the extractor cares about; everything else is `Other`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tag {
    Html,
    Head,
    Body,
    Title,
    Meta,
    Link,
    Script,
    Style,
    Noscript,
    Template,
    Svg,
    Math,
    Iframe,
    Object,
    Embed,
    Canvas,
    Video,
    Audio,
    Form,
    Input,
    Button,
    Select,
    Option,
    Textarea,
    Label,
    Nav,
    Header,
    Footer,
    Aside,
    Main,
    Article,
    Section,
    Div,
    P,
    Span,
    A,
    Br,
    Hr,
    Img,
    Figure,
    Figcaption,
    Picture,
    Source,
    Ul,
    Ol,
    Li,
    Dl,
    Dt,
    Dd,
    Table,
    Thead,
    Tbody,
    Tfoot,
    Tr,
    Td,
    Th,
    Caption,
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    Blockquote,
    Pre,
    Code,
    Time,
    Address,
    Menu,
    Dialog,
    Details,
    Summary,
    Fieldset,
    Center,
    Font,
    Em,
    Strong,
    B,
    I,
    U,
    Small,
    Sup,
    Sub,
    Other,
}

impl Tag {
    fn from_name(name: &[u8]) -> Tag {
        let mut buf = [0u8; 12];
        if name.len() > buf.len() {
            return Tag::Other;
        }
        for (d, s) in buf.iter_mut().zip(name) {
            *d = s.to_ascii_lowercase();
        }
        match &buf[..name.len()] {
            b"html" => Tag::Html,
            b"head" => Tag::Head,
            b"body" => Tag::Body,
            b"title" => Tag::Title,
            b"meta" => Tag::Meta,
            b"link" => Tag::Link,
            b"script" => Tag::Script,
            b"style" => Tag::Style,
            b"noscript" => Tag::Noscript,
            b"template" => Tag::Template,
            b"svg" => Tag::Svg,
            b"math" => Tag::Math,
            b"iframe" => Tag::Iframe,
            b"object" => Tag::Object,
            b"embed" => Tag::Embed,
            b"canvas" => Tag::Canvas,
            b"video" => Tag::Video,
            b"audio" => Tag::Audio,
            b"form" => Tag::Form,
            b"input" => Tag::Input,
            b"button" => Tag::Button,
            b"select" => Tag::Select,
            b"option" => Tag::Option,
            b"textarea" => Tag::Textarea,
            b"label" => Tag::Label,
            b"nav" => Tag::Nav,
            b"header" => Tag::Header,
            b"footer" => Tag::Footer,
            b"aside" => Tag::Aside,
            b"main" => Tag::Main,
            b"article" => Tag::Article,
            b"section" => Tag::Section,
            b"div" => Tag::Div,
            b"p" => Tag::P,
            b"span" => Tag::Span,
            b"a" => Tag::A,
            b"br" => Tag::Br,
            b"hr" => Tag::Hr,
            b"img" => Tag::Img,
            b"figure" => Tag::Figure,
            b"figcaption" => Tag::Figcaption,
            b"picture" => Tag::Picture,
            b"source" => Tag::Source,
            b"ul" => Tag::Ul,
            b"ol" => Tag::Ol,
            b"li" => Tag::Li,
            b"dl" => Tag::Dl,
            b"dt" => Tag::Dt,
            b"dd" => Tag::Dd,
            b"table" => Tag::Table,
            b"thead" => Tag::Thead,
            b"tbody" => Tag::Tbody,
            b"tfoot" => Tag::Tfoot,
            b"tr" => Tag::Tr,
            b"td" => Tag::Td,
            b"th" => Tag::Th,
            b"caption" => Tag::Caption,
            b"h1" => Tag::H1,
            b"h2" => Tag::H2,
            b"h3" => Tag::H3,
            b"h4" => Tag::H4,
            b"h5" => Tag::H5,
            b"h6" => Tag::H6,
            b"blockquote" => Tag::Blockquote,
            b"pre" => Tag::Pre,
            b"code" => Tag::Code,
            b"time" => Tag::Time,
            b"address" => Tag::Address,
            b"menu" => Tag::Menu,
            b"dialog" => Tag::Dialog,
            b"details" => Tag::Details,
            b"summary" => Tag::Summary,
            b"fieldset" => Tag::Fieldset,
            b"center" => Tag::Center,
            b"font" => Tag::Font,
            b"em" => Tag::Em,
            b"strong" => Tag::Strong,
            b"b" => Tag::B,
            b"i" => Tag::I,
            b"u" => Tag::U,
            b"small" => Tag::Small,
            b"sup" => Tag::Sup,
            b"sub" => Tag::Sub,
            _ => Tag::Other,
        }
    }

    /// Void elements never have children.
    fn is_void(name: &[u8]) -> bool {
        const VOID: [&[u8]; 15] = [
            b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
            b"param", b"source", b"track", b"wbr", b"keygen",
        ];
        name.len() <= 6 && VOID.iter().any(|v| v.eq_ignore_ascii_case(name))
    }

    /// Block-level elements: they start a new paragraph in text output.
    pub fn is_block(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Html | Body
                | Nav
                | Header
                | Footer
                | Aside
                | Main
                | Article
                | Section
                | Div
                | P
                | Br
                | Hr
                | Figure
                | Figcaption
                | Ul
                | Ol
                | Li
                | Dl
                | Dt
                | Dd
                | Table
                | Thead
                | Tbody
                | Tfoot
                | Tr
                | Td
                | Th
                | Caption
                | H1
                | H2
                | H3
                | H4
                | H5
                | H6
                | Blockquote
                | Pre
                | Address
                | Menu
                | Dialog
                | Details
                | Summary
                | Fieldset
                | Center
                | Form
                | Title
        )
    }

    /// Opening one of these closes an open `<p>` at the top of the stack.
    fn closes_p(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Nav | Header
                | Footer
                | Aside
                | Main
                | Article
                | Section
                | Div
                | P
                | Hr
                | Figure
                | Ul
                | Ol
                | Dl
                | Table
                | H1
                | H2
                | H3
                | H4
                | H5
                | H6
                | Blockquote
                | Pre
                | Address
                | Menu
                | Details
                | Fieldset
                | Form
                | Center
        )
    }

    /// Elements whose content is raw text up to the matching end tag.
    fn is_raw(self) -> bool {
        matches!(
            self,
            Tag::Script
                | Tag::Style
                | Tag::Title
                | Tag::Textarea
                | Tag::Noscript
                | Tag::Iframe
                | Tag::Svg
                | Tag::Math
                | Tag::Template
        )
    }
}

/// One attribute, borrowed from the input (value not yet entity-decoded).
#[derive(Debug, Clone, Copy)]
pub struct Attr<'a> {
    pub name: &'a str,
    pub value: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Element,
    Text,
}

/// One node of the arena tree.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    pub tag: Tag,
    pub parent: u32,
    pub first_child: u32,
    pub last_child: u32,
    pub next_sibling: u32,
    /// Element: range into `Dom::attrs`. Text: byte range into the input.
    pub a: u32,
    pub b: u32,
    /// Element: byte range of the tag name in the input.
    pub name_start: u32,
    pub name_end: u32,
}

/// The parsed document.
pub struct Dom<'a> {
    pub src: &'a str,
    pub nodes: Vec<Node>,
    pub attrs: Vec<Attr<'a>>,
    /// Number of elements flattened because of the depth limit.
    pub flattened: usize,
    /// Whether the input was cut (too large for u32 offsets).
    pub truncated: bool,
}

impl<'a> Dom<'a> {
    pub fn attrs_of(&self, id: u32) -> &[Attr<'a>] {
        match self.nodes.get(id as usize) {
            Some(n) if n.kind == Kind::Element => {
                self.attrs.get(n.a as usize..n.b as usize).unwrap_or(&[])
            }
            _ => &[],
        }
    }

    pub fn attr(&self, id: u32, name: &str) -> Option<&'a str> {
        self.attrs_of(id)
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
            .map(|a| a.value)
    }

    /// Raw (undecoded) text of a text node.
    pub fn raw_text(&self, id: u32) -> &'a str {
        match self.nodes.get(id as usize) {
            Some(n) if n.kind == Kind::Text => {
                self.src.get(n.a as usize..n.b as usize).unwrap_or("")
            }
            _ => "",
        }
    }

    pub fn tag_name(&self, id: u32) -> &'a str {
        match self.nodes.get(id as usize) {
            Some(n) => self
                .src
                .get(n.name_start as usize..n.name_end as usize)
                .unwrap_or(""),
            None => "",
        }
    }

    /// Concatenated raw text of all descendant text nodes (iterative).
    pub fn subtree_raw_text(&self, id: u32) -> String {
        let mut out = String::new();
        let end = self.subtree_end(id);
        for i in id as usize + 1..end {
            if let Some(n) = self.nodes.get(i) {
                if n.kind == Kind::Text {
                    out.push_str(self.raw_text(i as u32));
                }
            }
        }
        out
    }

    /// Nodes are stored in document order, so a subtree is a contiguous
    /// index range `[id, subtree_end(id))`.
    pub fn subtree_end(&self, id: u32) -> usize {
        let mut cur = id;
        loop {
            let Some(n) = self.nodes.get(cur as usize) else {
                return self.nodes.len();
            };
            if n.next_sibling != NONE {
                return n.next_sibling as usize;
            }
            if n.parent == NONE {
                return self.nodes.len();
            }
            cur = n.parent;
        }
    }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

/// Finds `</name` (ASCII case-insensitive) at or after `from`.
fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while i + 1 < bytes.len() {
        let rel = memchr(b'<', bytes.get(i..)?)?;
        let p = i + rel;
        if bytes.get(p + 1) == Some(&b'/') {
            let s = p + 2;
            if let Some(cand) = bytes.get(s..s + name.len()) {
                if cand.eq_ignore_ascii_case(name) {
                    let after = bytes.get(s + name.len()).copied().unwrap_or(b'>');
                    if is_ws(after) || after == b'>' || after == b'/' {
                        return Some(p);
                    }
                }
            }
        }
        i = p + 1;
    }
    None
}

#[inline]
fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

fn find_sub(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let h = hay.get(from..)?;
    if needle.is_empty() {
        return Some(from);
    }
    let first = needle[0];
    let mut i = 0;
    while i + needle.len() <= h.len() {
        let rel = memchr(first, h.get(i..)?)?;
        let p = i + rel;
        if h.get(p..p + needle.len()) == Some(needle) {
            return Some(from + p);
        }
        i = p + 1;
    }
    None
}

struct Builder<'a> {
    dom: Dom<'a>,
    stack: Vec<u32>,
    max_depth: usize,
}

impl<'a> Builder<'a> {
    fn current(&self) -> u32 {
        self.stack.last().copied().unwrap_or(NONE)
    }

    fn append(&mut self, mut node: Node) -> u32 {
        let id = self.dom.nodes.len() as u32;
        let parent = self.current();
        node.parent = parent;
        if parent != NONE {
            if let Some(p) = self.dom.nodes.get(parent as usize) {
                let last = p.last_child;
                if last == NONE {
                    self.dom.nodes[parent as usize].first_child = id;
                } else if let Some(l) = self.dom.nodes.get_mut(last as usize) {
                    l.next_sibling = id;
                }
                self.dom.nodes[parent as usize].last_child = id;
            }
        }
        self.dom.nodes.push(node);
        id
    }

    fn text(&mut self, start: usize, end: usize) {
        if end <= start {
            return;
        }
        // Merge with a directly preceding text node.
        let cur = self.current();
        if cur != NONE {
            let last = self.dom.nodes[cur as usize].last_child;
            if last != NONE {
                let l = &mut self.dom.nodes[last as usize];
                if l.kind == Kind::Text && l.b as usize == start {
                    l.b = end as u32;
                    return;
                }
            }
        }
        self.append(Node {
            kind: Kind::Text,
            tag: Tag::Other,
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            a: start as u32,
            b: end as u32,
            name_start: 0,
            name_end: 0,
        });
    }

    fn tag_of(&self, id: u32) -> Tag {
        self.dom
            .nodes
            .get(id as usize)
            .map(|n| n.tag)
            .unwrap_or(Tag::Other)
    }

    fn pop_until(&mut self, pos: usize) {
        self.stack.truncate(pos);
    }

    /// Pops up to and including the nearest open element in `targets`,
    /// unless a `boundary` element is met first.
    fn close_nearest(&mut self, targets: &[Tag], boundary: &[Tag]) {
        let lo = self.stack.len().saturating_sub(SEARCH_LIMIT);
        for i in (lo..self.stack.len()).rev() {
            let t = self.tag_of(self.stack[i]);
            if targets.contains(&t) {
                self.pop_until(i);
                return;
            }
            if boundary.contains(&t) {
                return;
            }
        }
    }

    fn start_tag(
        &mut self,
        tag: Tag,
        name: (usize, usize),
        attrs: (usize, usize),
        push: bool,
    ) -> bool {
        use Tag::*;
        match tag {
            Li => self.close_nearest(&[Li], &[Ul, Ol, Menu, Table, Div, Article, Section, Body]),
            Dt | Dd => self.close_nearest(&[Dt, Dd], &[Dl, Table, Div, Body]),
            Tr => self.close_nearest(&[Tr], &[Table, Thead, Tbody, Tfoot]),
            Td | Th => self.close_nearest(&[Td, Th], &[Tr, Table]),
            Thead | Tbody | Tfoot => self.close_nearest(&[Thead, Tbody, Tfoot], &[Table]),
            Option if self.tag_of(self.current()) == Option => {
                self.stack.pop();
            }
            Body if self.tag_of(self.current()) == Head => {
                self.stack.pop();
            }
            _ => {}
        }
        if tag.closes_p() && self.tag_of(self.current()) == P {
            self.stack.pop();
        }
        if push && self.stack.len() >= self.max_depth {
            self.dom.flattened += 1;
            return false;
        }
        let id = self.append(Node {
            kind: Kind::Element,
            tag,
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            a: attrs.0 as u32,
            b: attrs.1 as u32,
            name_start: name.0 as u32,
            name_end: name.1 as u32,
        });
        if push {
            self.stack.push(id);
        }
        true
    }

    fn end_tag(&mut self, tag: Tag, name: &[u8]) {
        use Tag::*;
        if matches!(tag, Html | Body | Br) {
            return;
        }
        let table_tag = matches!(tag, Table | Td | Th | Tr | Tbody | Thead | Tfoot | Caption);
        let lo = self.stack.len().saturating_sub(SEARCH_LIMIT);
        for i in (lo..self.stack.len()).rev() {
            let id = self.stack[i];
            let t = self.tag_of(id);
            let same = if tag == Other {
                t == Other && self.dom.tag_name(id).as_bytes().eq_ignore_ascii_case(name)
            } else {
                t == tag
            };
            if same {
                self.pop_until(i);
                return;
            }
            if !table_tag && matches!(t, Td | Th | Table | Caption | Template) {
                return;
            }
            if table_tag && t == Table && tag != Table {
                return;
            }
        }
    }
}

/// Parses `src` into an arena tree. Never panics, never recurses.
pub fn parse(src: &str, max_depth: usize) -> Dom<'_> {
    let mut truncated = false;
    let mut src = src;
    if src.len() >= u32::MAX as usize - 1 {
        let mut cut = (u32::MAX as usize) / 2;
        while cut > 0 && !src.is_char_boundary(cut) {
            cut -= 1;
        }
        src = src.get(..cut).unwrap_or("");
        truncated = true;
    }
    let mut b = Builder {
        dom: Dom {
            src,
            nodes: Vec::with_capacity(src.len() / 40 + 16),
            attrs: Vec::with_capacity(src.len() / 60 + 16),
            flattened: 0,
            truncated,
        },
        stack: Vec::with_capacity(64),
        max_depth: max_depth.max(1),
    };
    let bytes = src.as_bytes();
    let n = bytes.len();
    let mut pos = 0usize;
    let mut text_start = 0usize;
    while pos < n {
        let Some(rel) = memchr(b'<', &bytes[pos..]) else {
            break;
        };
        let lt = pos + rel;
        let next = bytes.get(lt + 1).copied().unwrap_or(0);
        if next == b'!' {
            b.text(text_start, lt);
            if bytes.get(lt + 2..lt + 4) == Some(b"--") {
                pos = match find_sub(bytes, lt + 4, b"-->") {
                    Some(e) => e + 3,
                    None => n,
                };
            } else {
                pos = match memchr(b'>', &bytes[lt..]) {
                    Some(e) => lt + e + 1,
                    None => n,
                };
            }
            text_start = pos;
            continue;
        }
        if next == b'?' {
            b.text(text_start, lt);
            pos = match memchr(b'>', &bytes[lt..]) {
                Some(e) => lt + e + 1,
                None => n,
            };
            text_start = pos;
            continue;
        }
        if next == b'/' {
            let ns = lt + 2;
            if !bytes.get(ns).is_some_and(|c| c.is_ascii_alphabetic()) {
                // Bogus comment `</ ...>` or literal.
                b.text(text_start, lt);
                pos = match memchr(b'>', &bytes[lt..]) {
                    Some(e) => lt + e + 1,
                    None => n,
                };
                text_start = pos;
                continue;
            }
            let mut ne = ns;
            while ne < n && !is_ws(bytes[ne]) && bytes[ne] != b'>' && bytes[ne] != b'/' {
                ne += 1;
            }
            b.text(text_start, lt);
            let name = &bytes[ns..ne];
            b.end_tag(Tag::from_name(name), name);
            pos = match memchr(b'>', &bytes[ne..]) {
                Some(e) => ne + e + 1,
                None => n,
            };
            text_start = pos;
            continue;
        }
        if !next.is_ascii_alphabetic() {
            // A literal '<' in text.
            pos = lt + 1;
            continue;
        }
        // Start tag.
        b.text(text_start, lt);
        let ns = lt + 1;
        let mut ne = ns;
        while ne < n && !is_ws(bytes[ne]) && bytes[ne] != b'>' && bytes[ne] != b'/' {
            ne += 1;
        }
        let name = &bytes[ns..ne];
        let tag = Tag::from_name(name);
        let attr_start = b.dom.attrs.len();
        let mut i = ne;
        let mut self_closing = false;
        loop {
            while i < n && (is_ws(bytes[i]) || bytes[i] == b'/') {
                if bytes[i] == b'/' {
                    self_closing = true;
                }
                i += 1;
            }
            if i >= n {
                break;
            }
            if bytes[i] == b'>' {
                i += 1;
                break;
            }
            self_closing = false;
            let an_s = i;
            i += 1; // the first char may be '='
            while i < n && !is_ws(bytes[i]) && !matches!(bytes[i], b'=' | b'>' | b'/') {
                i += 1;
            }
            let an_e = i;
            while i < n && is_ws(bytes[i]) {
                i += 1;
            }
            let (mut vs, mut ve) = (i, i);
            if i < n && bytes[i] == b'=' {
                i += 1;
                while i < n && is_ws(bytes[i]) {
                    i += 1;
                }
                if i < n && (bytes[i] == b'"' || bytes[i] == b'\'') {
                    let q = bytes[i];
                    vs = i + 1;
                    match memchr(q, &bytes[vs..]) {
                        Some(e) => {
                            ve = vs + e;
                            i = ve + 1;
                        }
                        None => {
                            ve = n;
                            i = n;
                        }
                    }
                } else {
                    vs = i;
                    while i < n && !is_ws(bytes[i]) && bytes[i] != b'>' {
                        i += 1;
                    }
                    ve = i;
                }
            }
            if b.dom.attrs.len() - attr_start < 64 {
                b.dom.attrs.push(Attr {
                    name: src.get(an_s..an_e).unwrap_or(""),
                    value: src.get(vs..ve).unwrap_or(""),
                });
            }
        }
        pos = i;
        text_start = pos;
        let attr_end = b.dom.attrs.len();
        let void = Tag::is_void(name);
        let push = !void && (!self_closing || tag.is_raw());
        let created = b.start_tag(tag, (ns, ne), (attr_start, attr_end), push);
        if tag.is_raw() && !self_closing {
            let end = find_end_tag(bytes, pos, name).unwrap_or(n);
            // Keep raw content only where it is useful.
            let keep = match tag {
                Tag::Title => true,
                Tag::Script => {
                    let id = b.current();
                    created
                        && b.dom
                            .attr(id, "type")
                            .is_some_and(|t| t.to_ascii_lowercase().contains("ld+json"))
                }
                _ => false,
            };
            if keep && created {
                b.text(pos, end);
            }
            if created {
                b.stack.pop();
            }
            pos = match memchr(b'>', &bytes[end..]) {
                Some(e) => end + e + 1,
                None => n,
            };
            text_start = pos;
        }
    }
    b.text(text_start, n);
    b.dom
}
