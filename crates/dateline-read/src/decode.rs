//! Bytes → text.
//!
//! Order of evidence: a byte-order mark; then the bytes themselves when they
//! are valid UTF-8 (a declared Latin charset on valid UTF-8 is a common
//! mislabel); then the declared charset; then a guess: text that is mostly
//! valid multi-byte UTF-8 with a few bad bytes is UTF-8 with damage (bad
//! bytes become U+FFFD and a warning counts them), anything else is
//! Windows-1252 (which also covers ISO-8859-1 and ASCII). Binary content is
//! recognised separately by [`looks_binary`] so that readers can refuse it.

use dateline_core::Diagnostic;
use encoding_rs::{Encoding, REPLACEMENT, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

const STAGE: &str = "read";

/// Decodes `bytes` to text; see the module documentation for the rules.
/// Never fails: problems become diagnostics.
pub fn decode(bytes: &[u8], declared_charset: Option<&str>) -> (String, Vec<Diagnostic>) {
    let mut diags = Vec::new();

    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        if enc == UTF_8 {
            let text = utf8_lossy(body, &mut diags);
            return (text, diags);
        }
        let (text, had_errors) = enc.decode_without_bom_handling(body);
        if had_errors {
            diags.push(Diagnostic::warning(
                STAGE,
                format!("invalid {} sequences replaced with U+FFFD", enc.name()),
            ));
        }
        return (text.into_owned(), diags);
    }

    let declared = declared_charset
        .map(|l| l.trim().trim_matches(['"', '\'']))
        .filter(|l| !l.is_empty())
        .and_then(|l| match Encoding::for_label(l.as_bytes()) {
            Some(enc) if enc != REPLACEMENT => Some(enc),
            _ => {
                diags.push(Diagnostic::warning(
                    STAGE,
                    format!("unknown charset {l:?} declared; detecting the encoding instead"),
                ));
                None
            }
        });

    // UTF-16 declared without a BOM: trust it when the bytes have NULs
    // (ASCII in UTF-16); valid UTF-8 without NULs is not UTF-16.
    if let Some(enc) = declared {
        if (enc == UTF_16LE || enc == UTF_16BE) && bytes.contains(&0) {
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            if had_errors {
                diags.push(Diagnostic::warning(
                    STAGE,
                    format!("invalid {} sequences replaced with U+FFFD", enc.name()),
                ));
            }
            return (text.into_owned(), diags);
        }
    }

    if let Ok(s) = std::str::from_utf8(bytes) {
        if let Some(enc) = declared {
            if enc != UTF_8 && !s.is_ascii() {
                diags.push(Diagnostic::info(
                    STAGE,
                    format!(
                        "charset {} declared but the bytes are valid UTF-8; decoded as UTF-8",
                        enc.name()
                    ),
                ));
            }
        }
        return (s.to_string(), diags);
    }

    let (multibyte, invalid) = utf8_stats(bytes);
    let mostly_utf8 = multibyte > 0 && multibyte >= invalid;
    match declared {
        Some(enc) if enc != UTF_8 || mostly_utf8 => {
            if enc == UTF_8 {
                return (utf8_lossy(bytes, &mut diags), diags);
            }
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            if had_errors {
                diags.push(Diagnostic::warning(
                    STAGE,
                    format!("invalid {} sequences replaced with U+FFFD", enc.name()),
                ));
            }
            (text.into_owned(), diags)
        }
        Some(_) => {
            diags.push(Diagnostic::warning(
                STAGE,
                "charset UTF-8 declared but the bytes are not UTF-8; decoded as windows-1252",
            ));
            (windows_1252(bytes), diags)
        }
        None if mostly_utf8 => (utf8_lossy(bytes, &mut diags), diags),
        None => {
            diags.push(Diagnostic::info(
                STAGE,
                "input is not valid UTF-8; decoded as windows-1252",
            ));
            (windows_1252(bytes), diags)
        }
    }
}

fn windows_1252(bytes: &[u8]) -> String {
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
    text.into_owned()
}

/// Number of valid multi-byte UTF-8 characters and of invalid sequences.
fn utf8_stats(bytes: &[u8]) -> (usize, usize) {
    let mut multibyte = 0;
    let mut invalid = 0;
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().bytes().filter(|b| *b >= 0xC0).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    (multibyte, invalid)
}

/// UTF-8 with each invalid sequence replaced by U+FFFD; a warning counts them.
fn utf8_lossy(bytes: &[u8], diags: &mut Vec<Diagnostic>) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut bad = 0usize;
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            out.push(char::REPLACEMENT_CHARACTER);
            bad += 1;
        }
    }
    if bad > 0 {
        diags.push(Diagnostic::warning(
            STAGE,
            format!(
                "{bad} invalid UTF-8 byte sequence{} replaced with U+FFFD",
                if bad == 1 { "" } else { "s" }
            ),
        ));
    }
    out
}

/// Whether `bytes` look like binary data rather than text: more than 5% of
/// the first 64 KiB are NULs or control characters other than tab, line
/// feed, carriage return, form feed and escape... UTF-16 with a BOM is text.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if matches!(Encoding::for_bom(bytes), Some((enc, _)) if enc != UTF_8) {
        return false;
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    if sample.is_empty() {
        return false;
    }
    let suspicious = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B)) || b == 0x7F)
        .count();
    suspicious * 20 > sample.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use dateline_core::doc::Level;

    #[test]
    fn plain_utf8() {
        let (s, d) = decode("Corea del Norte envió tropas".as_bytes(), None);
        assert_eq!(s, "Corea del Norte envió tropas");
        assert!(d.is_empty());
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("año".as_bytes());
        let (s, d) = decode(&b, None);
        assert_eq!(s, "año");
        assert!(d.is_empty());
    }

    #[test]
    fn utf16_with_bom() {
        let text = "según la agencia";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&le, None).0, text);
        assert_eq!(decode(&be, None).0, text);
        assert!(!looks_binary(&le));
    }

    #[test]
    fn windows_1252_spanish() {
        // "Corea del Norte envió tropas a Rusia, según la agencia" in cp1252.
        let mut b = b"Corea del Norte envi".to_vec();
        b.push(0xF3); // ó
        b.extend_from_slice(b" tropas a Rusia, seg");
        b.push(0xFA); // ú
        b.extend_from_slice(b"n la agencia. A");
        b.push(0xF1); // ñ
        b.extend_from_slice(b"o \x93nuevo\x94 y m");
        b.push(0xE1); // á
        b.push(b's');
        let (s, d) = decode(&b, None);
        assert_eq!(
            s,
            "Corea del Norte envió tropas a Rusia, según la agencia. Año \u{201C}nuevo\u{201D} y más"
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].level, Level::Info);
        // Declared ISO-8859-1 is read as windows-1252 (WHATWG).
        let (s2, _) = decode(&b, Some("ISO-8859-1"));
        assert_eq!(s2, s);
    }

    #[test]
    fn mostly_utf8_with_bad_bytes() {
        let mut b = "Acción, reunión y canción: ".as_bytes().to_vec();
        b.push(0xFF);
        b.extend_from_slice("está bien".as_bytes());
        b.push(0xC3); // truncated sequence
        b.push(b'!');
        let (s, d) = decode(&b, None);
        assert_eq!(s, "Acción, reunión y canción: \u{FFFD}está bien\u{FFFD}!");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].level, Level::Warning);
        assert!(
            d[0].message.starts_with("2 invalid UTF-8"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn declared_latin1_on_utf8_bytes_is_utf8() {
        let (s, d) = decode("niño".as_bytes(), Some("iso-8859-1"));
        assert_eq!(s, "niño");
        assert_eq!(d[0].level, Level::Info);
    }

    #[test]
    fn declared_utf8_on_cp1252_bytes() {
        let (s, d) = decode(b"ni\xF1o", Some("utf-8"));
        assert_eq!(s, "niño");
        assert_eq!(d[0].level, Level::Warning);
    }

    #[test]
    fn unknown_or_replacement_charset_is_ignored() {
        let (s, d) = decode(b"hello", Some("no-such-charset"));
        assert_eq!(s, "hello");
        assert_eq!(d.len(), 1);
        // "iso-2022-kr" maps to the replacement encoding; never use it.
        let (s, _) = decode(b"hello", Some("iso-2022-kr"));
        assert_eq!(s, "hello");
    }

    #[test]
    fn declared_utf16_without_bom() {
        let b: Vec<u8> = "hi there"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(decode(&b, Some("utf-16")).0, "hi there");
        assert_eq!(decode(b"plain", Some("utf-16")).0, "plain");
    }

    #[test]
    fn binary_detection() {
        assert!(looks_binary(&[0u8; 100]));
        let png_like: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert!(looks_binary(&png_like));
        assert!(!looks_binary(b"just text\r\n\twith tabs\x0c"));
        assert!(!looks_binary(b""));
        let mut mostly_text = vec![b'a'; 1000];
        mostly_text[10] = 0;
        assert!(!looks_binary(&mostly_text));
    }
}
