//! Language identification, per document and per story segment.
//!
//! Design choice: two detectors that fail differently. whichlang (a linear
//! model over character n-grams and words, 16 languages, no confidence) gives
//! the label: on our data it is the most accurate of whatlang, whichlang and
//! lingua restricted to 7 languages short of lingua's high-accuracy mode,
//! which is 50-100 times slower (figures in ARCHITECTURE.md, from
//! `scripts/bench_langid.sh`). whatlang (trigram profiles, ~70 languages, a
//! confidence score) checks it: when both agree the label is confident;
//! when whatlang is sure of a language whichlang does not know (Catalan,
//! Galician...) its label wins; otherwise the label is flagged as low
//! confidence. A plainly Spanish or English text (many of that language's
//! own function words, few of its neighbours') skips the check: whatlang
//! costs most of the stage's time and does not move such a label. A text
//! whose two halves get different labels is flagged as mixed. A declared
//! language (HTML `lang`, JSONL `lang`) is kept when the detection is not
//! confident. Texts too short to judge get `und` with a
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

/// ISO 639-1 code of a whichlang language.
fn which_iso1(lang: whichlang::Lang) -> &'static str {
    use whichlang::Lang::*;
    match lang {
        Ara => "ar",
        Cmn => "zh",
        Deu => "de",
        Eng => "en",
        Fra => "fr",
        Hin => "hi",
        Ita => "it",
        Jpn => "ja",
        Kor => "ko",
        Nld => "nl",
        Por => "pt",
        Rus => "ru",
        Spa => "es",
        Swe => "sv",
        Tur => "tr",
        Vie => "vi",
    }
}

/// Languages whichlang can answer.
const WHICHLANG: [&str; 16] = [
    "ar", "zh", "de", "en", "fr", "hi", "it", "ja", "ko", "nl", "pt", "ru", "es", "sv", "tr", "vi",
];

/// What the detectors say about a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// ISO 639-1 code (639-3 where 639-1 has none).
    pub code: &'static str,
    /// 0-1; below 0.5 the label is a guess (detectors disagree, or mixed).
    pub confidence: f64,
    /// The labels of the two halves, when they differ.
    pub mixed: Option<(&'static str, &'static str)>,
}

fn enough_letters(text: &str) -> bool {
    text.chars()
        .filter(|c| c.is_alphabetic())
        .take(MIN_LETTERS)
        .count()
        >= MIN_LETTERS
}

/// How whichlang's label was checked.
enum Checked {
    /// A plain Spanish or English text (see [`plainly`]): not checked.
    Plain,
    /// whatlang's opinion.
    By(Option<whatlang::Info>),
}

/// The confidence of a plain Spanish or English text (whatlang's check,
/// when it agrees, gives 0.5-1).
const PLAIN_CONFIDENCE: f64 = 0.9;

/// Function words found in Spanish and in none of the languages whatlang
/// could put in its place (Catalan, Latin, Esperanto, Tagalog...).
const ES_WORDS: [&str; 16] = [
    "y", "los", "las", "por", "con", "para", "pero", "como", "más", "sus", "fue", "está",
    "también", "según", "muy", "desde",
];
/// Function words of Spanish's neighbours (Catalan above all, which
/// whichlang does not know, and Galician, Portuguese, Latin).
const NOT_ES_WORDS: [&str; 16] = [
    "els", "amb", "i", "dels", "és", "més", "també", "perquè", "però", "aquest", "aquesta", "unha",
    "não", "et", "est", "os",
];
/// English function words not shared with the languages whatlang could
/// put in its place (Afrikaans, Danish, Norwegian, Welsh...).
const EN_WORDS: [&str; 16] = [
    "the", "and", "of", "to", "was", "that", "with", "for", "are", "were", "this", "from", "have",
    "has", "which", "would",
];
/// Function words of English's look-alikes in whatlang (Afrikaans, Dutch,
/// the Scandinavian languages, Welsh, Indonesian, Tagalog).
const NOT_EN_WORDS: [&str; 16] = [
    "die", "het", "nie", "van", "og", "det", "av", "på", "och", "att", "yn", "ac", "yang", "dan",
    "ang", "mga",
];

/// True when `text`, labelled `label` by whichlang, is plainly Spanish or
/// English: at least 10 of that language's own function words, making at
/// least a twentieth of its words, and at most one for ten of its neighbours'.
/// whatlang's check costs most of the stage and, on such texts, does not
/// change the label; it is kept for short texts, for other labels and for
/// anything less clear.
fn plainly(label: &str, text: &str) -> bool {
    let (own, others): (&[&str], &[&str]) = match label {
        "es" => (&ES_WORDS, &NOT_ES_WORDS),
        "en" => (&EN_WORDS, &NOT_EN_WORDS),
        _ => return false,
    };
    let (mut words, mut hits, mut foreign) = (0usize, 0usize, 0usize);
    let mut low = String::new();
    for w in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        words += 1;
        // every listed word has at most 7 letters
        if w.chars().nth(7).is_some() {
            continue;
        }
        low.clear();
        if w.is_ascii() {
            low.push_str(w);
            low.make_ascii_lowercase();
        } else {
            low.extend(w.chars().flat_map(char::to_lowercase));
        }
        if own.contains(&low.as_str()) {
            hits += 1;
        } else if others.contains(&low.as_str()) {
            foreign += 1;
        }
    }
    hits >= 10 && hits * 20 >= words && foreign * 10 <= hits
}

/// Identifies the language of `text`, or `None` when the text is too short
/// to judge (fewer than 12 letters).
pub fn identify(text: &str) -> Option<Detection> {
    if !enough_letters(text) {
        return None;
    }
    // the first 2 KB carry the signal; longer texts only cost time
    let mut end = text.len().min(2048);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &text[..end];
    let label = which_iso1(whichlang::detect_language(text));
    let checked = if plainly(label, text) {
        // the check's answer is not in doubt: spare its cost
        Checked::Plain
    } else {
        Checked::By(whatlang::detect(text))
    };
    let (code, mut confidence) = match checked {
        Checked::Plain => (label, PLAIN_CONFIDENCE),
        Checked::By(Some(info)) => {
            let other = iso1(info.lang());
            let conf = info.confidence();
            if other == label {
                (label, 0.5 + conf / 2.0)
            } else if conf >= 0.5 && !WHICHLANG.contains(&other) {
                (other, conf)
            } else {
                (label, 0.5 * (1.0 - conf))
            }
        }
        Checked::By(None) => (label, 0.25),
    };
    // mixed texts: the halves (split at a space) must agree
    let mut mid = text.len() / 2;
    while !text.is_char_boundary(mid) {
        mid -= 1;
    }
    let mid = text[..mid].rfind(char::is_whitespace).unwrap_or(mid);
    let (a, b) = text.split_at(mid);
    let mut mixed = None;
    if enough_letters(a) && enough_letters(b) {
        let (la, lb) = (
            which_iso1(whichlang::detect_language(a)),
            which_iso1(whichlang::detect_language(b)),
        );
        if la != lb {
            mixed = Some((la, lb));
            confidence = confidence.min(0.25);
        }
    }
    Some(Detection {
        code,
        confidence,
        mixed,
    })
}

/// Detects the language of `text`: (ISO code, confidence 0-1), or `None`
/// when the text is too short (see [`identify`]).
pub fn detect(text: &str) -> Option<(&'static str, f64)> {
    identify(text).map(|d| (d.code, d.confidence))
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
        let detected = identify(&doc.text);
        doc.lang = Some(match (detected, declared) {
            (Some(d), _) if d.confidence >= 0.5 => d.code.to_string(),
            (_, Some(d)) => d,
            (Some(d), None) => {
                let why = match d.mixed {
                    Some((a, b)) => format!("mixed languages ({a} then {b})"),
                    None => "low confidence".to_string(),
                };
                doc.diag(Diagnostic::info(
                    "language",
                    format!("language {} detected with {why}", d.code),
                ));
                d.code.to_string()
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
    fn catalan_is_not_forced_into_a_neighbour() {
        let ca = detect(
            "El Govern de la Generalitat ha aprovat aquest dimarts el pressupost per a l'any vinent amb el suport dels grups parlamentaris.",
        );
        assert_eq!(ca.map(|x| x.0), Some("ca"));
    }

    #[test]
    fn mixed_text_is_flagged() {
        let d = identify(
            "El presidente ruso mantuvo una larga conversación telefónica con el líder norcoreano sobre la guerra. The president held a long phone call with the North Korean leader about the war in Ukraine.",
        );
        assert!(
            d.as_ref()
                .is_some_and(|d| d.mixed.is_some() && d.confidence < 0.5),
            "{d:?}"
        );
        let mut doc = Doc::from_raw(dateline_core::RawDoc::default());
        doc.text = "Hoy llueve mucho en la ciudad de Madrid y hace frío. Today it is raining a lot in London and it is cold.".into();
        Language.process(&mut doc);
        assert!(doc.lang.is_some());
    }

    #[test]
    fn any_input_gets_an_answer_without_panicking() {
        let pieces = [
            "é", "ñ", "日本", " ", "a", "Z", "!", "\u{200b}", "😀", "ab cd", "\n",
        ];
        let mut x = 7u64;
        for n in 0..400 {
            let mut s = String::new();
            for _ in 0..(n % 60) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s.push_str(pieces[(x % pieces.len() as u64) as usize]);
            }
            if let Some(d) = identify(&s) {
                assert!((0.0..=1.0).contains(&d.confidence));
            }
        }
    }

    #[test]
    fn plain_spanish_and_english_skip_the_check_and_neighbours_do_not() {
        let es = "El Gobierno aprobó ayer el plan de vivienda para los jóvenes, que \
                  según el ministro llegará a más de cien mil familias y que también \
                  incluye ayudas para el alquiler. Las comunidades autónomas, por su \
                  parte, pidieron más fondos y más plazo para aplicar las medidas, pero \
                  el ministerio respondió que los presupuestos están cerrados desde \
                  marzo y que no habrá cambios con respecto a lo anunciado.";
        assert!(plainly("es", es));
        assert!(!plainly("en", es));
        assert_eq!(detect(es).map(|d| (d.0, d.1 >= 0.5)), Some(("es", true)));
        let en = "The government approved the housing plan for young people on Monday, \
                  and the minister said that it would reach more than a hundred thousand \
                  families. The regions, for their part, asked for more money and more \
                  time to apply the measures, but the ministry replied that the budget \
                  was closed and that there were no changes to what has been announced, \
                  with the first payments due from the spring of this year.";
        assert!(plainly("en", en));
        assert_eq!(detect(en).map(|d| (d.0, d.1 >= 0.5)), Some(("en", true)));
        // Catalan, which whichlang may call Spanish, goes to whatlang
        let ca = "El Govern de la Generalitat ha aprovat aquest dimarts el pressupost per \
                  a l'any vinent amb el suport dels grups parlamentaris, i el conseller \
                  ha explicat que els diners arribaran a més de cent mil famílies. També \
                  ha dit que les ajudes per al lloguer seran més altes que les de l'any \
                  passat, però que els ajuntaments hauran de fer-se'n càrrec.";
        assert!(!plainly("es", ca));
        assert_eq!(detect(ca).map(|d| d.0), Some("ca"));
        assert!(!plainly("es", "Hoy llueve y hace frío en la ciudad."));
    }

    #[test]
    fn short_text_is_undetermined() {
        assert_eq!(detect("Hola"), None);
        assert_eq!(detect(""), None);
        assert_eq!(detect("12345 !!! 678"), None);
    }
}
