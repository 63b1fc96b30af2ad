//! Alias normalisation: words are maximal runs of letters and digits;
//! each word is lower-cased and stripped of accents ("Vladímir" ->
//! "vladimir"), punctuation and spaces between words fold to one space
//! ("EE.UU." -> "ee uu", "Kim Jong-un" -> "kim jong un"). The same function
//! reads aliases and running text, so both sides always agree.

use compact_str::CompactString;

/// One word of a text, with its byte range and three views of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tok {
    pub start: usize,
    pub end: usize,
    /// Lower-cased, accents removed: the index key.
    ///
    /// Design choice: both strings are `CompactString`s, kept inline up to
    /// 24 bytes (nearly every word), because the entities stage makes a
    /// `Tok` of every word of every document: two heap strings per word
    /// were 8-9% of that stage.
    pub folded: CompactString,
    /// Accents removed, case kept: compared for exact-case aliases.
    pub cased: CompactString,
    /// First character is upper-case (a proper-noun shape).
    pub cap: bool,
    /// Every letter is upper-case (an acronym or a shouted headline).
    pub upper: bool,
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{02B9}'..='\u{02BF}')
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

/// The unaccented form of a lower-case Latin letter, if it has one.
fn base(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' | 'ạ' | 'ả' | 'ấ' | 'ầ' | 'ẩ'
        | 'ẫ' | 'ậ' | 'ắ' | 'ằ' | 'ẳ' | 'ẵ' | 'ặ' => "a",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ẹ' | 'ẻ' | 'ẽ' | 'ế' | 'ề' | 'ể'
        | 'ễ' | 'ệ' | 'ə' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' | 'ỉ' | 'ị' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ǒ' | 'ọ' | 'ỏ' | 'ố' | 'ồ' | 'ổ'
        | 'ỗ' | 'ộ' | 'ơ' | 'ớ' | 'ờ' | 'ở' | 'ỡ' | 'ợ' => "o",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ǔ' | 'ư' | 'ứ' | 'ừ' | 'ử'
        | 'ữ' | 'ự' | 'ụ' | 'ủ' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' | 'ỳ' | 'ỹ' | 'ỵ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'æ' => "ae",
        'œ' => "oe",
        'ß' => "ss",
        'þ' => "th",
        _ => return None,
    })
}

/// Appends the folded (lower-case, unaccented) and cased (unaccented) forms
/// of `c`.
fn push_char(c: char, folded: &mut CompactString, cased: &mut CompactString) {
    if c.is_ascii() {
        folded.push(c.to_ascii_lowercase());
        cased.push(c);
        return;
    }
    if is_mark(c) {
        return;
    }
    let upper = c.is_uppercase();
    for l in c.to_lowercase() {
        match base(l) {
            Some(b) => {
                folded.push_str(b);
                if upper {
                    cased.push_str(&b.to_uppercase());
                } else {
                    cased.push_str(b);
                }
            }
            None => {
                folded.push(l);
                if upper {
                    cased.extend(l.to_uppercase());
                } else {
                    cased.push(l);
                }
            }
        }
    }
}

/// Splits `text` into words (see the module comment).
pub fn tokens(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((start, c)) = it.next() {
        if !is_word(c) {
            continue;
        }
        // the word's end and whether it is all ASCII
        let mut end = text.len();
        let mut ascii = c.is_ascii();
        while let Some(&(j, d)) = it.peek() {
            if !is_word(d) {
                end = j;
                break;
            }
            ascii &= d.is_ascii();
            it.next();
        }
        let Some(word) = text.get(start..end) else {
            continue;
        };
        let cap = c.is_uppercase();
        if ascii {
            // folding an ASCII word lower-cases it, letter by letter
            let b = word.as_bytes();
            let any_letter = b.iter().any(|x| x.is_ascii_alphabetic());
            let upper = !b.iter().any(|x| x.is_ascii_lowercase());
            out.push(Tok {
                start,
                end,
                folded: {
                    let mut f = CompactString::from(word);
                    f.make_ascii_lowercase();
                    f
                },
                cased: CompactString::from(word),
                cap,
                upper: upper && any_letter,
            });
            continue;
        }
        // room for the word's bytes (folding keeps the length of most
        // words): one allocation each
        let mut folded = CompactString::with_capacity(word.len());
        let mut cased = CompactString::with_capacity(word.len());
        let (mut upper, mut any_letter) = (true, false);
        for c in word.chars() {
            if c.is_alphabetic() && !is_mark(c) {
                any_letter = true;
                if !c.is_uppercase() {
                    upper = false;
                }
            }
            push_char(c, &mut folded, &mut cased);
        }
        out.push(Tok {
            start,
            end,
            folded,
            cased,
            cap,
            upper: upper && any_letter,
        });
    }
    out
}

/// The normalised key of a name: folded words joined by one space.
///
/// The same string as joining the `folded` of [`tokens`] (tested), written
/// straight into one string: the events stage folds every word's lemma and
/// form, and a `Tok` list per word was most of that stage's word list.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_word = false;
    for c in s.chars() {
        if !is_word(c) {
            in_word = false;
            continue;
        }
        // a new word after one that folded to something: one space
        if !in_word && !out.is_empty() {
            out.push(' ');
        }
        in_word = true;
        push_folded(c, &mut out);
    }
    out
}

/// Appends the folded form of `c` (as [`push_char`] folds it).
fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if is_mark(c) {
        return;
    }
    for l in c.to_lowercase() {
        match base(l) {
            Some(b) => out.push_str(b),
            None => out.push(l),
        }
    }
}

pub(crate) fn join<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for w in words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_and_punctuation() {
        assert_eq!(normalize("Vladímir  Putin"), "vladimir putin");
        assert_eq!(normalize("EE.UU."), "ee uu");
        assert_eq!(normalize("Kim Jong-un"), "kim jong un");
        assert_eq!(normalize("Côte d’Ivoire"), "cote d ivoire");
        assert_eq!(normalize("Tuimalealiʻifano"), "tuimalealiifano");
        assert_eq!(normalize("Straße"), "strasse");
        assert_eq!(normalize("Erdoğan"), "erdogan");
    }

    #[test]
    fn normalize_joins_the_folded_tokens() {
        for s in [
            "",
            " ",
            "Vladímir  Putin",
            "EE.UU.",
            "\u{301} b",
            "a \u{301} b",
            "a\u{301}b",
            "ʻOkina",
            "ÆSIR Œuvre İstanbul ǅ",
            "  -- 3,5 millones (AP) ",
            "Straße-Erdoğan’s",
            "日本 東京",
        ] {
            let want = join(tokens(s).iter().map(|t| t.folded.as_str()));
            assert_eq!(normalize(s), want, "{s:?}");
        }
        // random strings over letters, marks, digits, spaces, punctuation
        let palette: Vec<char> = "aZé É\u{301}\u{2bb}İß-.,’7日 ñÑ".chars().collect();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2000 {
            let mut s = String::new();
            for _ in 0..(seed % 9) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(palette[(seed % palette.len() as u64) as usize]);
            }
            let want = join(tokens(&s).iter().map(|t| t.folded.as_str()));
            assert_eq!(normalize(&s), want, "{s:?}");
        }
    }

    #[test]
    fn token_shapes() {
        let t = tokens("AP y ap, Putin.");
        assert_eq!(t.len(), 4);
        assert!(t[0].upper && t[0].cap);
        assert!(!t[2].cap);
        assert!(t[3].cap && !t[3].upper);
        assert_eq!(&"AP y ap, Putin."[t[3].start..t[3].end], "Putin");
        assert_eq!(t[0].cased, "AP");
    }
}
