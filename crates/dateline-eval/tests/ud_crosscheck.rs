//! Cross-check of the Rust scorer against `conll18_ud_eval.py` 1.2.
//!
//! `tests/data/gold.conllu` is a hand-written Spanish/English sample (multiword
//! tokens "del" = "de el", "al" = "a el", "dárselo" = "dar se lo",
//! "didn't" = "did n't", an empty node, non-universal features, deprel
//! subtypes, a gold lemma "_"). The `sys-*.conllu` files were derived from it
//! by a small perturbation script:
//!
//! * `sys-tokenization`: "Madrid" + "." merged, MWT "del" removed (one plain
//!   token), MWT "dárselo" replaced by plain tokens "dár" "selo", MWT
//!   "didn't" analysed as "did" + "not", "visited" split into "visit" "ed";
//! * `sys-sentences`: es-1 + es-2 merged, en-1 split after "didn't", en-2 +
//!   en-3 merged;
//! * `sys-tags`: UPOS, XPOS, lemma, feature, head and deprel changes, plus
//!   changes the scorer must ignore (deprel subtype only, non-universal
//!   feature only, lemma where the gold lemma is "_");
//! * `sys-mixed`: a bit of everything; `sys-random-*`: random perturbations.
//!
//! The expected figures are the ones the Python script printed for each pair
//! (counts, and percentages to 4 decimals).

use std::path::PathBuf;

use dateline_eval::{evaluate_files, UdScores};

type Expected = (
    &'static str,
    usize,
    usize,
    usize,
    Option<usize>,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn check(system: &str, expected: &[Expected; 13]) {
    let scores: UdScores = evaluate_files(&data("gold.conllu"), &data(system))
        .unwrap_or_else(|e| panic!("{system}: {e}"));
    let pct = |x: f64| format!("{:.4}", 100.0 * x);
    for ((name, s), e) in scores.metrics().iter().zip(expected) {
        let got = (
            name.to_string(),
            s.correct,
            s.gold_total,
            s.system_total,
            s.aligned_total,
            pct(s.precision),
            pct(s.recall),
            pct(s.f1),
            s.aligned_accuracy.map(pct),
        );
        let want = (
            e.0.to_string(),
            e.1,
            e.2,
            e.3,
            e.4,
            e.5.to_string(),
            e.6.to_string(),
            e.7.to_string(),
            e.8.map(str::to_string),
        );
        assert_eq!(got, want, "{system}: metric {name}");
    }
}

#[test]
fn gold_vs_gold() {
    check("gold.conllu", &GOLD_VS_GOLD);
}

#[test]
fn changed_tokenization_and_removed_multiword_tokens() {
    check("sys-tokenization.conllu", &TOKENIZATION);
}

#[test]
fn merged_and_split_sentences() {
    check("sys-sentences.conllu", &SENTENCES);
}

#[test]
fn changed_tags_lemmas_heads_and_deprels() {
    check("sys-tags.conllu", &TAGS);
}

#[test]
fn mixed_perturbations() {
    check("sys-mixed.conllu", &MIXED);
}

#[test]
fn random_perturbations() {
    check("sys-random-2.conllu", &RANDOM_2);
    check("sys-random-5.conllu", &RANDOM_5);
}

#[test]
fn json_output_in_percent() {
    let scores = evaluate_files(&data("gold.conllu"), &data("sys-tags.conllu")).unwrap();
    let j = scores.to_json();
    let keys = [
        "tokens",
        "sentences",
        "words",
        "upos",
        "xpos",
        "ufeats",
        "alltags",
        "lemmas",
        "uas",
        "las",
        "clas",
        "mlas",
        "blex",
    ];
    for k in keys {
        assert!(j[k]["f1"].is_f64(), "{k}");
    }
    for k in ["tokens", "sentences", "words"] {
        assert!(j[k].get("aligned_accuracy").is_none(), "{k}");
    }
    for k in &keys[3..] {
        assert!(j[k]["aligned_accuracy"].is_f64(), "{k}");
    }
    assert_eq!(
        format!("{:.4}", j["las"]["f1"].as_f64().unwrap()),
        "88.8889"
    );
    assert_eq!(
        format!("{:.4}", j["upos"]["aligned_accuracy"].as_f64().unwrap()),
        "95.5556"
    );
    assert_eq!(j["words"]["f1"].as_f64(), Some(100.0));
    let table = scores.to_table();
    assert!(
        table.contains("LAS        |     88.89 |     88.89 |     88.89 |     88.89"),
        "{table}"
    );
}

/// Figures printed by conll18_ud_eval.py 1.2 for this pair: (metric, correct, gold, system,
/// aligned, precision %, recall %, F1 %, aligned accuracy %).
const GOLD_VS_GOLD: [Expected; 13] = [
    (
        "Tokens", 40, 40, 40, None, "100.0000", "100.0000", "100.0000", None,
    ),
    (
        "Sentences",
        6,
        6,
        6,
        None,
        "100.0000",
        "100.0000",
        "100.0000",
        None,
    ),
    (
        "Words", 45, 45, 45, None, "100.0000", "100.0000", "100.0000", None,
    ),
    (
        "UPOS",
        45,
        45,
        45,
        Some(45),
        "100.0000",
        "100.0000",
        "100.0000",
        Some("100.0000"),
    ),
    (
        "XPOS",
        45,
        45,
        45,
        Some(45),
        "100.0000",
        "100.0000",
        "100.0000",
        Some("100.0000"),
    ),
    (
        "UFeats",
        45,
        45,
        45,
        Some(45),
        "100.0000",
        "100.0000",
        "100.0000",
        Some("100.0000"),
    ),
    (
        "AllTags",
        45,
        45,
        45,
        Some(45),
        "100.0000",
        "100.0000",
        "100.0000",
        Some("100.0000"),
    ),
    (
        "Lemmas",
        45,
        45,
        45,
        Some(45),
        "100.0000",
        "100.0000",
        "100.0000",
        Some("100.0000"),
    ),
    (
        "UAS",
        45,
        45,
        45,
        Some(45),
        "100.0000",
        "100.0000",
        "100.0000",
        Some("100.0000"),
    ),
    (
        "LAS",
        45,
        45,
        45,
        Some(45),
        "100.0000",
        "100.0000",
        "100.0000",
        Some("100.0000"),
    ),
    (
        "CLAS",
        27,
        27,
        27,
        Some(27),
        "100.0000",
        "100.0000",
        "100.0000",
        Some("100.0000"),
    ),
    (
        "MLAS",
        27,
        27,
        27,
        Some(27),
        "100.0000",
        "100.0000",
        "100.0000",
        Some("100.0000"),
    ),
    (
        "BLEX",
        27,
        27,
        27,
        Some(27),
        "100.0000",
        "100.0000",
        "100.0000",
        Some("100.0000"),
    ),
];

/// Figures printed by conll18_ud_eval.py 1.2 for this pair: (metric, correct, gold, system,
/// aligned, precision %, recall %, F1 %, aligned accuracy %).
const TOKENIZATION: [Expected; 13] = [
    (
        "Tokens", 36, 40, 41, None, "87.8049", "90.0000", "88.8889", None,
    ),
    (
        "Sentences",
        6,
        6,
        6,
        None,
        "100.0000",
        "100.0000",
        "100.0000",
        None,
    ),
    (
        "Words", 36, 45, 43, None, "83.7209", "80.0000", "81.8182", None,
    ),
    (
        "UPOS",
        36,
        45,
        43,
        Some(36),
        "83.7209",
        "80.0000",
        "81.8182",
        Some("100.0000"),
    ),
    (
        "XPOS",
        36,
        45,
        43,
        Some(36),
        "83.7209",
        "80.0000",
        "81.8182",
        Some("100.0000"),
    ),
    (
        "UFeats",
        36,
        45,
        43,
        Some(36),
        "83.7209",
        "80.0000",
        "81.8182",
        Some("100.0000"),
    ),
    (
        "AllTags",
        36,
        45,
        43,
        Some(36),
        "83.7209",
        "80.0000",
        "81.8182",
        Some("100.0000"),
    ),
    (
        "Lemmas",
        36,
        45,
        43,
        Some(36),
        "83.7209",
        "80.0000",
        "81.8182",
        Some("100.0000"),
    ),
    (
        "UAS",
        29,
        45,
        43,
        Some(36),
        "67.4419",
        "64.4444",
        "65.9091",
        Some("80.5556"),
    ),
    (
        "LAS",
        29,
        45,
        43,
        Some(36),
        "67.4419",
        "64.4444",
        "65.9091",
        Some("80.5556"),
    ),
    (
        "CLAS",
        16,
        27,
        27,
        Some(21),
        "59.2593",
        "59.2593",
        "59.2593",
        Some("76.1905"),
    ),
    (
        "MLAS",
        15,
        27,
        27,
        Some(21),
        "55.5556",
        "55.5556",
        "55.5556",
        Some("71.4286"),
    ),
    (
        "BLEX",
        16,
        27,
        27,
        Some(21),
        "59.2593",
        "59.2593",
        "59.2593",
        Some("76.1905"),
    ),
];

/// Figures printed by conll18_ud_eval.py 1.2 for this pair: (metric, correct, gold, system,
/// aligned, precision %, recall %, F1 %, aligned accuracy %).
const SENTENCES: [Expected; 13] = [
    (
        "Tokens", 40, 40, 40, None, "100.0000", "100.0000", "100.0000", None,
    ),
    (
        "Sentences",
        1,
        6,
        5,
        None,
        "20.0000",
        "16.6667",
        "18.1818",
        None,
    ),
    (
        "Words", 45, 45, 45, None, "100.0000", "100.0000", "100.0000", None,
    ),
    (
        "UPOS",
        45,
        45,
        45,
        Some(45),
        "100.0000",
        "100.0000",
        "100.0000",
        Some("100.0000"),
    ),
    (
        "XPOS",
        45,
        45,
        45,
        Some(45),
        "100.0000",
        "100.0000",
        "100.0000",
        Some("100.0000"),
    ),
    (
        "UFeats",
        45,
        45,
        45,
        Some(45),
        "100.0000",
        "100.0000",
        "100.0000",
        Some("100.0000"),
    ),
    (
        "AllTags",
        45,
        45,
        45,
        Some(45),
        "100.0000",
        "100.0000",
        "100.0000",
        Some("100.0000"),
    ),
    (
        "Lemmas",
        45,
        45,
        45,
        Some(45),
        "100.0000",
        "100.0000",
        "100.0000",
        Some("100.0000"),
    ),
    (
        "UAS",
        40,
        45,
        45,
        Some(45),
        "88.8889",
        "88.8889",
        "88.8889",
        Some("88.8889"),
    ),
    (
        "LAS",
        40,
        45,
        45,
        Some(45),
        "88.8889",
        "88.8889",
        "88.8889",
        Some("88.8889"),
    ),
    (
        "CLAS",
        23,
        27,
        27,
        Some(27),
        "85.1852",
        "85.1852",
        "85.1852",
        Some("85.1852"),
    ),
    (
        "MLAS",
        22,
        27,
        27,
        Some(27),
        "81.4815",
        "81.4815",
        "81.4815",
        Some("81.4815"),
    ),
    (
        "BLEX",
        23,
        27,
        27,
        Some(27),
        "85.1852",
        "85.1852",
        "85.1852",
        Some("85.1852"),
    ),
];

/// Figures printed by conll18_ud_eval.py 1.2 for this pair: (metric, correct, gold, system,
/// aligned, precision %, recall %, F1 %, aligned accuracy %).
const TAGS: [Expected; 13] = [
    (
        "Tokens", 40, 40, 40, None, "100.0000", "100.0000", "100.0000", None,
    ),
    (
        "Sentences",
        6,
        6,
        6,
        None,
        "100.0000",
        "100.0000",
        "100.0000",
        None,
    ),
    (
        "Words", 45, 45, 45, None, "100.0000", "100.0000", "100.0000", None,
    ),
    (
        "UPOS",
        43,
        45,
        45,
        Some(45),
        "95.5556",
        "95.5556",
        "95.5556",
        Some("95.5556"),
    ),
    (
        "XPOS",
        44,
        45,
        45,
        Some(45),
        "97.7778",
        "97.7778",
        "97.7778",
        Some("97.7778"),
    ),
    (
        "UFeats",
        44,
        45,
        45,
        Some(45),
        "97.7778",
        "97.7778",
        "97.7778",
        Some("97.7778"),
    ),
    (
        "AllTags",
        41,
        45,
        45,
        Some(45),
        "91.1111",
        "91.1111",
        "91.1111",
        Some("91.1111"),
    ),
    (
        "Lemmas",
        43,
        45,
        45,
        Some(45),
        "95.5556",
        "95.5556",
        "95.5556",
        Some("95.5556"),
    ),
    (
        "UAS",
        43,
        45,
        45,
        Some(45),
        "95.5556",
        "95.5556",
        "95.5556",
        Some("95.5556"),
    ),
    (
        "LAS",
        40,
        45,
        45,
        Some(45),
        "88.8889",
        "88.8889",
        "88.8889",
        Some("88.8889"),
    ),
    (
        "CLAS",
        23,
        27,
        27,
        Some(27),
        "85.1852",
        "85.1852",
        "85.1852",
        Some("85.1852"),
    ),
    (
        "MLAS",
        20,
        27,
        27,
        Some(27),
        "74.0741",
        "74.0741",
        "74.0741",
        Some("74.0741"),
    ),
    (
        "BLEX",
        21,
        27,
        27,
        Some(27),
        "77.7778",
        "77.7778",
        "77.7778",
        Some("77.7778"),
    ),
];

/// Figures printed by conll18_ud_eval.py 1.2 for this pair: (metric, correct, gold, system,
/// aligned, precision %, recall %, F1 %, aligned accuracy %).
const MIXED: [Expected; 13] = [
    (
        "Tokens", 37, 40, 40, None, "92.5000", "92.5000", "92.5000", None,
    ),
    (
        "Sentences",
        3,
        6,
        6,
        None,
        "50.0000",
        "50.0000",
        "50.0000",
        None,
    ),
    (
        "Words", 37, 45, 42, None, "88.0952", "82.2222", "85.0575", None,
    ),
    (
        "UPOS",
        35,
        45,
        42,
        Some(37),
        "83.3333",
        "77.7778",
        "80.4598",
        Some("94.5946"),
    ),
    (
        "XPOS",
        37,
        45,
        42,
        Some(37),
        "88.0952",
        "82.2222",
        "85.0575",
        Some("100.0000"),
    ),
    (
        "UFeats",
        37,
        45,
        42,
        Some(37),
        "88.0952",
        "82.2222",
        "85.0575",
        Some("100.0000"),
    ),
    (
        "AllTags",
        35,
        45,
        42,
        Some(37),
        "83.3333",
        "77.7778",
        "80.4598",
        Some("94.5946"),
    ),
    (
        "Lemmas",
        37,
        45,
        42,
        Some(37),
        "88.0952",
        "82.2222",
        "85.0575",
        Some("100.0000"),
    ),
    (
        "UAS",
        30,
        45,
        42,
        Some(37),
        "71.4286",
        "66.6667",
        "68.9655",
        Some("81.0811"),
    ),
    (
        "LAS",
        30,
        45,
        42,
        Some(37),
        "71.4286",
        "66.6667",
        "68.9655",
        Some("81.0811"),
    ),
    (
        "CLAS",
        18,
        27,
        26,
        Some(22),
        "69.2308",
        "66.6667",
        "67.9245",
        Some("81.8182"),
    ),
    (
        "MLAS",
        15,
        27,
        26,
        Some(22),
        "57.6923",
        "55.5556",
        "56.6038",
        Some("68.1818"),
    ),
    (
        "BLEX",
        18,
        27,
        26,
        Some(22),
        "69.2308",
        "66.6667",
        "67.9245",
        Some("81.8182"),
    ),
];

/// Figures printed by conll18_ud_eval.py 1.2 for this pair: (metric, correct, gold, system,
/// aligned, precision %, recall %, F1 %, aligned accuracy %).
const RANDOM_2: [Expected; 13] = [
    (
        "Tokens", 36, 40, 38, None, "94.7368", "90.0000", "92.3077", None,
    ),
    (
        "Sentences",
        5,
        6,
        7,
        None,
        "71.4286",
        "83.3333",
        "76.9231",
        None,
    ),
    (
        "Words", 41, 45, 43, None, "95.3488", "91.1111", "93.1818", None,
    ),
    (
        "UPOS",
        38,
        45,
        43,
        Some(41),
        "88.3721",
        "84.4444",
        "86.3636",
        Some("92.6829"),
    ),
    (
        "XPOS",
        41,
        45,
        43,
        Some(41),
        "95.3488",
        "91.1111",
        "93.1818",
        Some("100.0000"),
    ),
    (
        "UFeats",
        40,
        45,
        43,
        Some(41),
        "93.0233",
        "88.8889",
        "90.9091",
        Some("97.5610"),
    ),
    (
        "AllTags",
        37,
        45,
        43,
        Some(41),
        "86.0465",
        "82.2222",
        "84.0909",
        Some("90.2439"),
    ),
    (
        "Lemmas",
        40,
        45,
        43,
        Some(41),
        "93.0233",
        "88.8889",
        "90.9091",
        Some("97.5610"),
    ),
    (
        "UAS",
        37,
        45,
        43,
        Some(41),
        "86.0465",
        "82.2222",
        "84.0909",
        Some("90.2439"),
    ),
    (
        "LAS",
        34,
        45,
        43,
        Some(41),
        "79.0698",
        "75.5556",
        "77.2727",
        Some("82.9268"),
    ),
    (
        "CLAS",
        21,
        27,
        25,
        Some(23),
        "84.0000",
        "77.7778",
        "80.7692",
        Some("91.3043"),
    ),
    (
        "MLAS",
        16,
        27,
        25,
        Some(23),
        "64.0000",
        "59.2593",
        "61.5385",
        Some("69.5652"),
    ),
    (
        "BLEX",
        20,
        27,
        25,
        Some(23),
        "80.0000",
        "74.0741",
        "76.9231",
        Some("86.9565"),
    ),
];

/// Figures printed by conll18_ud_eval.py 1.2 for this pair: (metric, correct, gold, system,
/// aligned, precision %, recall %, F1 %, aligned accuracy %).
const RANDOM_5: [Expected; 13] = [
    (
        "Tokens", 36, 40, 41, None, "87.8049", "90.0000", "88.8889", None,
    ),
    (
        "Sentences",
        6,
        6,
        6,
        None,
        "100.0000",
        "100.0000",
        "100.0000",
        None,
    ),
    (
        "Words", 39, 45, 45, None, "86.6667", "86.6667", "86.6667", None,
    ),
    (
        "UPOS",
        39,
        45,
        45,
        Some(39),
        "86.6667",
        "86.6667",
        "86.6667",
        Some("100.0000"),
    ),
    (
        "XPOS",
        39,
        45,
        45,
        Some(39),
        "86.6667",
        "86.6667",
        "86.6667",
        Some("100.0000"),
    ),
    (
        "UFeats",
        39,
        45,
        45,
        Some(39),
        "86.6667",
        "86.6667",
        "86.6667",
        Some("100.0000"),
    ),
    (
        "AllTags",
        39,
        45,
        45,
        Some(39),
        "86.6667",
        "86.6667",
        "86.6667",
        Some("100.0000"),
    ),
    (
        "Lemmas",
        35,
        45,
        45,
        Some(39),
        "77.7778",
        "77.7778",
        "77.7778",
        Some("89.7436"),
    ),
    (
        "UAS",
        33,
        45,
        45,
        Some(39),
        "73.3333",
        "73.3333",
        "73.3333",
        Some("84.6154"),
    ),
    (
        "LAS",
        32,
        45,
        45,
        Some(39),
        "71.1111",
        "71.1111",
        "71.1111",
        Some("82.0513"),
    ),
    (
        "CLAS",
        19,
        27,
        28,
        Some(24),
        "67.8571",
        "70.3704",
        "69.0909",
        Some("79.1667"),
    ),
    (
        "MLAS",
        17,
        27,
        28,
        Some(24),
        "60.7143",
        "62.9630",
        "61.8182",
        Some("70.8333"),
    ),
    (
        "BLEX",
        18,
        27,
        28,
        Some(24),
        "64.2857",
        "66.6667",
        "65.4545",
        Some("75.0000"),
    ),
];
