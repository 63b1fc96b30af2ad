//! Language identification, per document and per story segment.
//!
//! Design choice: whatlang (trigram profiles, no model files, ~70 languages,
//! a confidence score) restricted to nothing: a Spanish archive holds Catalan,
//! Portuguese and English pieces too, and we want them labelled, not forced
//! into es/en. A declared language (HTML `lang`, JSONL `lang`) is kept when
//! the detector is unsure. Texts too short to judge get `und` with a
//! diagnostic instead of a silent guess.

use dateline_core::{Diagnostic, Doc, Layer, Stage};

/// The language stage.
pub struct Language;

/// Below this many letters a text is too short to identify.
const MIN_LETTERS: usize = 12;

/// ISO 639-1 code of a whatlang language (639-3 code where 639-1 has none).
fn iso1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Spa => "es",
        Eng => "en",
        Por => "pt",
        Fra => "fr",
        Deu => "de",
        Ita => "it",
        Cat => "ca",
        Nld => "nl",
        Rus => "ru",
        Ukr => "uk",
        Pol => "pl",
        Ces => "cs",
        Slk => "sk",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Bul => "bg",
        Mkd => "mk",
        Ron => "ro",
        Hun => "hu",
        Fin => "fi",
        Est => "et",
        Lav => "lv",
        Lit => "lt",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Tur => "tr",
        Ell => "el",
        Heb => "he",
        Ara => "ar",
        Pes => "fa",
        Urd => "ur",
        Hin => "hi",
        Ben => "bn",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Vie => "vi",
        Tha => "th",
        Ind => "id",
        Epo => "eo",
        Lat => "la",
        Afr => "af",
        Aze => "az",
        Bel => "be",
        Kat => "ka",
        Hye => "hy",
        Tgl => "tl",
        Uzb => "uz",
        Yid => "yi",
        Cym => "cy",
        Zul => "zu",
        Sna => "sn",
        Aka => "ak",
        Amh => "am",
        Guj => "gu",
        Jav => "jv",
        Kan => "kn",
        Khm => "km",
        Mal => "ml",
        Mar => "mr",
        Mya => "my",
        Nep => "ne",
        Ori => "or",
        Pan => "pa",
        Sin => "si",
        Tam => "ta",
        Tel => "te",
        Tuk => "tk",
    }
}

/// Detects the language of `text`: (ISO code, confidence 0-1), or `None`
/// when the text is too short or the detector finds nothing.
pub fn detect(text: &str) -> Option<(&'static str, f64)> {
    let letters = text
        .chars()
        .filter(|c| c.is_alphabetic())
        .take(MIN_LETTERS)
        .count();
    if letters < MIN_LETTERS {
        return None;
    }
    // the first 2 KB carry the signal; longer texts only cost time
    let mut end = text.len().min(2048);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let info = whatlang::detect(&text[..end])?;
    Some((iso1(info.lang()), info.confidence()))
}

impl Stage for Language {
    fn name(&self) -> &'static str {
        "language"
    }
    fn requires(&self) -> &'static [Layer] {
        &[Layer::Text, Layer::Segments]
    }
    fn provides(&self) -> &'static [Layer] {
        &[Layer::Language]
    }

    fn process(&self, doc: &mut Doc) {
        let declared = doc.lang.take().filter(|l| !l.is_empty() && l != "und");
        let detected = detect(&doc.text);
        doc.lang = Some(match (detected, declared) {
            (Some((code, conf)), _) if conf >= 0.5 => code.to_string(),
            (_, Some(d)) => d,
            (Some((code, _)), None) => {
                doc.diag(Diagnostic::info(
                    "language",
                    format!("language {code} detected with low confidence"),
                ));
                code.to_string()
            }
            (None, None) => {
                doc.diag(Diagnostic::warning(
                    "language",
                    "text too short to identify its language",
                ));
                "und".to_string()
            }
        });
        let doc_lang = doc.lang.clone();
        if doc.segments.len() == 1 {
            if let Some(seg) = doc.segments.first_mut() {
                seg.lang = doc_lang;
            }
            return;
        }
        for seg in &mut doc.segments {
            let text = seg.span.slice(&doc.text);
            seg.lang = match detect(text) {
                Some((code, conf)) if conf >= 0.5 => Some(code.to_string()),
                _ => doc_lang.clone(),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_and_english() {
        let es = detect(
            "El presidente ruso mantuvo una conversación telefónica con el líder norcoreano.",
        );
        assert_eq!(es.map(|x| x.0), Some("es"));
        let en = detect("The president held a phone call with the North Korean leader on Tuesday.");
        assert_eq!(en.map(|x| x.0), Some("en"));
    }

    #[test]
    fn short_text_is_undetermined() {
        assert_eq!(detect("Hola"), None);
        assert_eq!(detect(""), None);
        assert_eq!(detect("12345 !!! 678"), None);
    }
}
