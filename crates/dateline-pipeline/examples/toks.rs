//! Dev harness: tokens and sentences of stdin, one token per line:
//! `sentence_index<TAB>start_byte<TAB>end_byte`.
use dateline_pipeline::text::tokenize::{sentences, tokenize, Abbrevs, Lang};
use std::io::Read;
fn main() {
    let mut s = String::new();
    let _ = std::io::stdin().read_to_string(&mut s);
    let ab = Abbrevs::builtin();
    let mut t = Vec::new();
    let lang = Lang::from_code(&std::env::args().nth(1).unwrap_or_default());
    tokenize(&s, lang, &ab, &mut t);
    let st = sentences(
        &s,
        &t,
        &ab,
        &["El", "La", "Los", "Las", "Al", "Un", "Una", "The"],
    );
    let mut k = 0;
    for (i, tok) in t.iter().enumerate() {
        while k + 1 < st.len() && st[k + 1] <= i {
            k += 1;
        }
        println!("{k}\t{}\t{}", tok.start, tok.end);
    }
}
