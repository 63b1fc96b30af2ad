//! Entity decoding and whitespace normalisation.

use crate::entities_table::ENTITIES;

/// Legacy names recognised without the trailing ';'.
const LEGACY: [&str; 8] = ["amp", "lt", "gt", "quot", "nbsp", "copy", "reg", "apos"];

fn lookup(name: &str) -> Option<&'static str> {
    ENTITIES
        .binary_search_by(|(k, _)| (*k).cmp(name))
        .ok()
        .and_then(|i| ENTITIES.get(i))
        .map(|(_, v)| *v)
}

fn numeric(digits: &str, hex: bool) -> Option<char> {
    let v = if hex {
        u32::from_str_radix(digits, 16).ok()?
    } else {
        digits.parse::<u32>().ok()?
    };
    let v = match v {
        0 => 0xFFFD,
        // Windows-1252 remapping of C1 controls, as browsers do.
        0x80 => 0x20AC,
        0x82 => 0x201A,
        0x83 => 0x0192,
        0x84 => 0x201E,
        0x85 => 0x2026,
        0x86 => 0x2020,
        0x87 => 0x2021,
        0x88 => 0x02C6,
        0x89 => 0x2030,
        0x8A => 0x0160,
        0x8B => 0x2039,
        0x8C => 0x0152,
        0x8E => 0x017D,
        0x91 => 0x2018,
        0x92 => 0x2019,
        0x93 => 0x201C,
        0x94 => 0x201D,
        0x95 => 0x2022,
        0x96 => 0x2013,
        0x97 => 0x2014,
        0x98 => 0x02DC,
        0x99 => 0x2122,
        0x9A => 0x0161,
        0x9B => 0x203A,
        0x9C => 0x0153,
        0x9E => 0x017E,
        0x9F => 0x0178,
        v => v,
    };
    Some(char::from_u32(v).unwrap_or('\u{FFFD}'))
}

/// Tries to decode one character reference at the start of `s` (which
/// begins with '&'). Returns the replacement and the bytes consumed.
fn decode_one(s: &str) -> Option<(DecodedRef, usize)> {
    let bytes = s.as_bytes();
    if bytes.get(1) == Some(&b'#') {
        let (hex, start) = match bytes.get(2) {
            Some(b'x') | Some(b'X') => (true, 3),
            _ => (false, 2),
        };
        let mut end = start;
        while end < bytes.len()
            && end - start < 8
            && (if hex {
                bytes[end].is_ascii_hexdigit()
            } else {
                bytes[end].is_ascii_digit()
            })
        {
            end += 1;
        }
        if end == start {
            return None;
        }
        let c = numeric(s.get(start..end)?, hex)?;
        let consumed = if bytes.get(end) == Some(&b';') {
            end + 1
        } else {
            end
        };
        return Some((DecodedRef::Char(c), consumed));
    }
    let mut end = 1;
    while end < bytes.len() && end < 34 && bytes[end].is_ascii_alphanumeric() {
        end += 1;
    }
    if end == 1 {
        return None;
    }
    let name = s.get(1..end)?;
    if bytes.get(end) == Some(&b';') {
        return lookup(name).map(|v| (DecodedRef::Str(v), end + 1));
    }
    if LEGACY.contains(&name) {
        return lookup(name).map(|v| (DecodedRef::Str(v), end));
    }
    None
}

enum DecodedRef {
    Char(char),
    Str(&'static str),
}

/// Decodes character references in `s`, appending to `out`.
pub fn decode_into(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(rest.get(..p).unwrap_or(""));
        let tail = rest.get(p..).unwrap_or("");
        match decode_one(tail) {
            Some((DecodedRef::Char(c), n)) => {
                out.push(c);
                rest = tail.get(n..).unwrap_or("");
            }
            Some((DecodedRef::Str(v), n)) => {
                out.push_str(v);
                rest = tail.get(n..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = tail.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
}

/// Decodes character references, returning a new string.
pub fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    decode_into(s, &mut out);
    out
}

#[inline]
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}'
}

/// Appends `s` to `out` with runs of white space collapsed to one space.
/// `pending_space` carries a space across calls; leading space of a
/// paragraph is never written.
pub fn push_collapsed(s: &str, out: &mut String, pending_space: &mut bool) {
    for c in s.chars() {
        if is_space(c) {
            *pending_space = true;
        } else {
            if *pending_space && !out.is_empty() {
                out.push(' ');
            }
            *pending_space = false;
            out.push(c);
        }
    }
}

/// Decodes entities and collapses white space, trimming both ends.
pub fn clean(s: &str) -> String {
    let dec;
    let src = if s.contains('&') {
        dec = decode(s);
        dec.as_str()
    } else {
        s
    };
    let mut out = String::with_capacity(src.len());
    let mut sp = false;
    push_collapsed(src, &mut out, &mut sp);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities() {
        assert_eq!(
            decode("a &amp; b &lt;&gt; &#233;&#xE9; &nbsp;x &bogus; &"),
            "a & b <> éé \u{a0}x &bogus; &"
        );
        assert_eq!(decode("&hellip;&rsquo;&#8217;&#x2019"), "…’’’");
        assert_eq!(decode("&#0;&#99999999;"), "\u{FFFD}\u{FFFD}");
        assert_eq!(clean("  a \n\t b&nbsp;c  "), "a b c");
    }
}
