//! Page metadata: title, publication date, language, canonical URL, and the
//! JSON-LD article body when a page declares one.

use crate::dom::{Dom, Kind, Tag};
use crate::text::{clean, decode};

#[derive(Debug, Default)]
pub struct Meta {
    pub og_title: Option<String>,
    pub ld_headline: Option<String>,
    pub h1: Option<String>,
    pub title_tag: Option<String>,
    /// (priority, normalised date); lower priority wins.
    pub date: Option<(u8, String)>,
    pub html_lang: Option<String>,
    pub og_locale: Option<String>,
    pub content_lang: Option<String>,
    pub canonical: Option<String>,
    pub og_url: Option<String>,
    pub ld_body: Option<String>,
}

impl Meta {
    pub fn title(&self) -> Option<String> {
        self.og_title
            .clone()
            .or_else(|| self.ld_headline.clone())
            .or_else(|| self.h1.clone())
            .or_else(|| self.title_tag.clone())
    }

    pub fn lang(&self) -> Option<String> {
        [&self.html_lang, &self.og_locale, &self.content_lang]
            .into_iter()
            .flatten()
            .find_map(|l| primary_subtag(l))
    }

    pub fn url(&self) -> Option<String> {
        self.canonical.clone().or_else(|| self.og_url.clone())
    }

    fn set_date(&mut self, prio: u8, raw: &str) {
        if let Some((p, _)) = &self.date {
            if *p <= prio {
                return;
            }
        }
        if let Some(d) = normalize_date(&decode(raw)) {
            self.date = Some((prio, d));
        }
    }
}

fn set_if_none(slot: &mut Option<String>, v: &str) {
    if slot.is_none() {
        let c = clean(v);
        if !c.is_empty() {
            *slot = Some(c);
        }
    }
}

/// "es-ES" / "en_US" / "EN" -> "es" / "en" / "en".
pub fn primary_subtag(s: &str) -> Option<String> {
    let p = s.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    if (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()) {
        Some(p)
    } else {
        None
    }
}

fn month_from_name(s: &str) -> Option<u32> {
    let l = s.to_lowercase();
    const M: [(&str, u32); 24] = [
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
        ("ene", 1),
        ("abr", 4),
        ("ago", 8),
        ("dic", 12),
        ("set", 9),
        ("mär", 3),
        ("mai", 5),
        ("okt", 10),
        ("dez", 12),
        ("fév", 2),
        ("avr", 4),
        ("déc", 12),
    ];
    let pre: String = l.chars().take(3).collect();
    M.iter().find(|(k, _)| *k == pre).map(|(_, v)| *v)
}

fn valid_ymd(y: u32, m: u32, d: u32) -> bool {
    (1900..=2200).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
}

fn num(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Normalises a date string to ISO 8601: "YYYY-MM-DD", or
/// "YYYY-MM-DDTHH:MM:SS[Z|+HH:MM]" when a time is given.
pub fn normalize_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    let b = s.as_bytes();
    // ISO-like: YYYY-MM-DD or YYYY/MM/DD or YYYYMMDD.
    if b.len() >= 8 && b[..4].iter().all(|c| c.is_ascii_digit()) {
        let (y, m, d, rest) =
            if b.len() >= 10 && (b[4] == b'-' || b[4] == b'/' || b[4] == b'.') && b[7] == b[4] {
                (
                    num(s.get(0..4)?)?,
                    num(s.get(5..7)?)?,
                    num(s.get(8..10)?)?,
                    s.get(10..)?,
                )
            } else if b[..8].iter().all(|c| c.is_ascii_digit()) {
                (
                    num(s.get(0..4)?)?,
                    num(s.get(4..6)?)?,
                    num(s.get(6..8)?)?,
                    s.get(8..)?,
                )
            } else {
                return None;
            };
        if !valid_ymd(y, m, d) {
            return None;
        }
        let date = format!("{y:04}-{m:02}-{d:02}");
        let rb = rest.as_bytes();
        if rb.len() >= 6 && (rb[0] == b'T' || rb[0] == b' ') {
            let t = rest.get(1..)?;
            let hh = t.get(0..2).and_then(num);
            let mm = t.get(3..5).and_then(num);
            if let (Some(hh), Some(mm), Some(b':')) = (hh, mm, t.as_bytes().get(2)) {
                if hh < 24 && mm < 60 {
                    let mut ss = 0;
                    let mut idx = 5;
                    if t.as_bytes().get(5) == Some(&b':') {
                        if let Some(v) = t.get(6..8).and_then(num) {
                            ss = v.min(59);
                            idx = 8;
                        }
                    }
                    // Fractional seconds.
                    if t.as_bytes().get(idx) == Some(&b'.') {
                        idx += 1;
                        while t.as_bytes().get(idx).is_some_and(|c| c.is_ascii_digit()) {
                            idx += 1;
                        }
                    }
                    let tz_src = t.get(idx..).unwrap_or("").trim();
                    let tz = if tz_src.starts_with('Z') || tz_src.starts_with('z') {
                        "Z".to_string()
                    } else if tz_src.starts_with('+') || tz_src.starts_with('-') {
                        let sign = tz_src.get(0..1).unwrap_or("+");
                        let digits: String = tz_src
                            .get(1..)
                            .unwrap_or("")
                            .chars()
                            .filter(|c| c.is_ascii_digit())
                            .take(4)
                            .collect();
                        if digits.len() == 4 {
                            format!(
                                "{sign}{}:{}",
                                digits.get(0..2).unwrap_or("00"),
                                digits.get(2..4).unwrap_or("00")
                            )
                        } else if digits.len() == 2 {
                            format!("{sign}{digits}:00")
                        } else {
                            String::new()
                        }
                    } else {
                        String::new()
                    };
                    return Some(format!("{date}T{hh:02}:{mm:02}:{ss:02}{tz}"));
                }
            }
        }
        return Some(date);
    }
    // "November 19, 2019", "Nov. 19 2019", "19 November 2019", "Tue, 19 Nov 2019 ...".
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .filter(|w| !w.is_empty())
        .collect();
    for w in words.windows(3) {
        let (a, b2, c) = (w[0], w[1], w[2]);
        if let (Some(m), Some(d), Some(y)) = (month_from_name(a), num(b2), num(c)) {
            if valid_ymd(y, m, d) && a.chars().all(|c| c.is_alphabetic()) {
                return Some(format!("{y:04}-{m:02}-{d:02}"));
            }
        }
        if let (Some(d), Some(m), Some(y)) = (num(a), month_from_name(b2), num(c)) {
            if valid_ymd(y, m, d) && b2.chars().all(|c| c.is_alphabetic()) {
                return Some(format!("{y:04}-{m:02}-{d:02}"));
            }
        }
    }
    None
}

/// Date meta names, with priority (lower is better).
fn date_meta_priority(key: &str) -> Option<u8> {
    Some(match key {
        "article:published_time" | "og:article:published_time" => 0,
        "datepublished" => 1,
        "parsely-pub-date" => 3,
        "sailthru.date" | "publish-date" | "publish_date" | "pubdate" | "publication_date" => 4,
        "dc.date.issued" | "dcterms.issued" | "dc.date" | "dcterms.date" | "dc.date.created" => 4,
        "date" | "article.published" | "article_date_original" | "cxenseparse:recs:publishtime" => {
            5
        }
        _ => return None,
    })
}

fn walk_json(v: &serde_json::Value, meta: &mut Meta, depth: usize) {
    if depth > 16 {
        return;
    }
    match v {
        serde_json::Value::Array(a) => {
            for x in a {
                walk_json(x, meta, depth + 1);
            }
        }
        serde_json::Value::Object(o) => {
            let ty = match o.get("@type") {
                Some(serde_json::Value::String(s)) => s.to_ascii_lowercase(),
                Some(serde_json::Value::Array(a)) => a
                    .iter()
                    .filter_map(|x| x.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_ascii_lowercase(),
                _ => String::new(),
            };
            let articleish = ty.contains("article")
                || ty.contains("posting")
                || ty.contains("report")
                || ty.contains("webpage")
                || ty.is_empty();
            if articleish {
                if let Some(h) = o.get("headline").and_then(|h| h.as_str()) {
                    set_if_none(&mut meta.ld_headline, h);
                }
                if let Some(d) = o.get("datePublished").and_then(|h| h.as_str()) {
                    meta.set_date(2, d);
                }
                if let Some(b) = o.get("articleBody").and_then(|h| h.as_str()) {
                    if !matches!(&meta.ld_body, Some(x) if x.len() >= b.len()) {
                        meta.ld_body = Some(b.to_string());
                    }
                }
            }
            if let Some(g) = o.get("@graph") {
                walk_json(g, meta, depth + 1);
            }
            if let Some(g) = o.get("mainEntity") {
                walk_json(g, meta, depth + 1);
            }
        }
        _ => {}
    }
}

/// Collects metadata from the whole tree (one linear pass, no recursion
/// over the DOM).
pub fn collect(dom: &Dom) -> Meta {
    let mut m = Meta::default();
    let mut first_time: Option<String> = None;
    for (i, n) in dom.nodes.iter().enumerate() {
        if n.kind != Kind::Element {
            continue;
        }
        let id = i as u32;
        match n.tag {
            Tag::Html => {
                if let Some(l) = dom.attr(id, "lang").or_else(|| dom.attr(id, "xml:lang")) {
                    set_if_none(&mut m.html_lang, l);
                }
            }
            Tag::Meta => {
                let key = dom
                    .attr(id, "property")
                    .or_else(|| dom.attr(id, "name"))
                    .or_else(|| dom.attr(id, "itemprop"))
                    .or_else(|| dom.attr(id, "http-equiv"));
                let (Some(key), Some(content)) = (key, dom.attr(id, "content")) else {
                    continue;
                };
                let key = key.trim().to_ascii_lowercase();
                match key.as_str() {
                    "og:title" => set_if_none(&mut m.og_title, content),
                    "og:locale" => set_if_none(&mut m.og_locale, content),
                    "og:url" => set_if_none(&mut m.og_url, content),
                    "content-language" | "language" | "dc.language" => {
                        set_if_none(&mut m.content_lang, content)
                    }
                    k => {
                        if let Some(p) = date_meta_priority(k) {
                            m.set_date(p, content);
                        }
                    }
                }
            }
            Tag::Link => {
                if dom.attr(id, "rel").is_some_and(|r| {
                    r.split_ascii_whitespace()
                        .any(|x| x.eq_ignore_ascii_case("canonical"))
                }) {
                    if let Some(h) = dom.attr(id, "href") {
                        set_if_none(&mut m.canonical, h);
                    }
                }
            }
            Tag::Title => {
                if m.title_tag.is_none() {
                    set_if_none(&mut m.title_tag, &dom.subtree_raw_text(id));
                }
            }
            Tag::H1 => {
                if m.h1.is_none() {
                    set_if_none(&mut m.h1, &dom.subtree_raw_text(id));
                }
            }
            Tag::Time => {
                if let Some(d) = dom.attr(id, "datetime") {
                    if dom
                        .attr(id, "itemprop")
                        .is_some_and(|p| p.eq_ignore_ascii_case("datePublished"))
                    {
                        m.set_date(1, d);
                    } else if first_time.is_none() {
                        first_time = Some(d.to_string());
                    }
                }
            }
            Tag::Script => {
                let raw = dom.subtree_raw_text(id);
                let raw = raw.trim();
                if !raw.is_empty() {
                    if let Ok(v) = serde_json::from_str::<serde_json::Value>(raw) {
                        walk_json(&v, &mut m, 0);
                    }
                }
            }
            _ => {
                if let Some(p) = dom.attr(id, "itemprop") {
                    if p.eq_ignore_ascii_case("datePublished") {
                        if let Some(d) =
                            dom.attr(id, "content").or_else(|| dom.attr(id, "datetime"))
                        {
                            m.set_date(1, d);
                        }
                    }
                }
            }
        }
    }
    if let Some(t) = first_time {
        m.set_date(6, &t);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(normalize_date("2019-11-19").as_deref(), Some("2019-11-19"));
        assert_eq!(
            normalize_date("2019-11-19T09:05:07.123-0500").as_deref(),
            Some("2019-11-19T09:05:07-05:00")
        );
        assert_eq!(
            normalize_date("2019-11-19T09:05Z").as_deref(),
            Some("2019-11-19T09:05:00Z")
        );
        assert_eq!(
            normalize_date("November 19, 2019").as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(
            normalize_date("Tue, 19 Nov 2019 10:00:00 GMT").as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(normalize_date("20191119").as_deref(), Some("2019-11-19"));
        assert_eq!(normalize_date("garbage"), None);
        assert_eq!(normalize_date("2019-13-45"), None);
    }

    #[test]
    fn lang() {
        assert_eq!(primary_subtag("es-ES").as_deref(), Some("es"));
        assert_eq!(primary_subtag("en_US").as_deref(), Some("en"));
        assert_eq!(primary_subtag("x1").as_deref(), None);
    }
}
