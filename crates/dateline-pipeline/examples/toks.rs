//! Dev harness: tokens and sentences of stdin, one token per line:
//! `sentence_index<TAB>start_byte<TAB>end_byte`. Argument: `es` or `en`.
use dateline_pipeline::text::tokenize::{
    sentences, tokenize, word_set, Abbrevs, Lang, SentenceRules, COMMON_ES,
};
use std::io::Read;

fn main() {
    let mut s = String::new();
    let _ = std::io::stdin().read_to_string(&mut s);
    let ab = Abbrevs::builtin();
    let lang = Lang::from_code(&std::env::args().nth(1).unwrap_or_default());
    let mut t = Vec::new();
    tokenize(&s, lang, &ab, &mut t);
    let common = word_set(COMMON_ES);
    let rules = SentenceRules {
        starters: &["El", "La", "Los", "Las", "Al", "Un", "Una", "The"],
        common: if lang == Lang::Es {
            Some(&common)
        } else {
            None
        },
        closers: &[
            "de", "del", "en", "el", "la", "los", "las", "y", "a", "al", "con", "por", "para",
            "que", "un", "una",
        ],
    };
    let st = sentences(&s, &t, &ab, &rules);
    let mut k = 0;
    for (i, tok) in t.iter().enumerate() {
        while k + 1 < st.len() && st[k + 1] <= i {
            k += 1;
        }
        println!("{k}\t{}\t{}", tok.start, tok.end);
    }
}
