//! Unit tests with sentences written for them.

use super::*;

fn sent(words: &str, upos: &str, chunks: &[(usize, usize, &str)]) -> TrainSentence {
    TrainSentence {
        words: words.split(' ').map(String::from).collect(),
        upos: upos.split(' ').map(String::from).collect(),
        chunks: chunks
            .iter()
            .map(|(s, e, l)| Chunk {
                start: *s,
                end: *e,
                label: l.to_string(),
            })
            .collect(),
    }
}

fn toy() -> Vec<TrainSentence> {
    vec![
        sent(
            "Marta Pérez visitó Quito ayer",
            "PROPN PROPN VERB PROPN ADV",
            &[(0, 2, "PER"), (3, 4, "LOC")],
        ),
        sent(
            "Luis Gómez llegó a Lima",
            "PROPN PROPN VERB ADP PROPN",
            &[(0, 2, "PER"), (4, 5, "LOC")],
        ),
        sent(
            "el Banco Andino abrió en Quito",
            "DET PROPN PROPN VERB ADP PROPN",
            &[(1, 3, "ORG"), (5, 6, "LOC")],
        ),
        sent("la casa es grande", "DET NOUN AUX ADJ", &[]),
        sent(
            "Ana Ruiz dirige el Banco Andino",
            "PROPN PROPN VERB DET PROPN PROPN",
            &[(0, 2, "PER"), (4, 6, "ORG")],
        ),
    ]
}

#[test]
fn learns_toy_entities_and_round_trips() {
    let opts = TrainOptions {
        epochs: 8,
        ..TrainOptions::default()
    };
    let ner = Ner::train(&toy(), &opts, None, None);
    let got = ner.tag(
        &["Luis", "Gómez", "visitó", "Lima"],
        &["PROPN", "PROPN", "VERB", "PROPN"],
    );
    let spans: Vec<(usize, usize, &str)> = got.iter().map(|s| (s.start, s.end, s.label)).collect();
    assert_eq!(spans, [(0, 2, "PER"), (3, 4, "LOC")]);
    assert!(got.iter().all(|s| (0.0..=1.0).contains(&s.score)));

    let bytes = ner.to_bytes().unwrap_or_default();
    let again = Ner::train(&toy(), &opts, None, None)
        .to_bytes()
        .unwrap_or_default();
    assert_eq!(bytes, again, "training is deterministic");
    let back = match Ner::from_bytes(&bytes, None, None) {
        Ok(b) => b,
        Err(e) => panic!("round trip: {e}"),
    };
    assert_eq!(
        back.tag(&["Luis", "Gómez", "visitó", "Lima"], &["PROPN"; 4]),
        ner.tag(&["Luis", "Gómez", "visitó", "Lima"], &["PROPN"; 4])
    );
    assert!(Ner::from_bytes(&bytes[..bytes.len() / 2], None, None).is_err());
    assert!(Ner::from_bytes(b"", None, None).is_err());
}

#[test]
fn odd_input_never_panics() {
    let ner = Ner::train(&toy(), &TrainOptions::default(), None, None);
    assert!(ner.tag(&[], &[]).is_empty());
    let odd = ["", "\u{0}", "🙂🙂", "ÑÑ-ñ", "\u{301}", " ", "A"];
    let spans = ner.tag(&odd, &[]);
    assert!(spans.iter().all(|s| s.start < s.end && s.end <= odd.len()));
    let long: Vec<&str> = std::iter::repeat_n("Quito", 500).collect();
    assert!(ner.tag(&long, &["PROPN"]).iter().all(|s| s.end <= 500));
}

#[test]
fn shipped_models_load_and_find_names() {
    for (lang, forms, want) in [
        (
            "es",
            vec![
                "La", "ministra", "Ana", "García", "viajó", "a", "México", ".",
            ],
            vec![(2usize, 4usize, "PER"), (6, 7, "LOC")],
        ),
        (
            "en",
            vec![
                "Maria", "Lopez", "flew", "to", "Canada", "on", "Monday", ".",
            ],
            vec![(0, 2, "PER"), (4, 5, "LOC")],
        ),
    ] {
        let ner = match Ner::load(lang) {
            Ok(n) => n,
            Err(e) => panic!("{lang}: {e}"),
        };
        let upos = [
            "DET", "NOUN", "PROPN", "PROPN", "VERB", "ADP", "PROPN", "PUNCT",
        ];
        let upos_en = [
            "PROPN", "PROPN", "VERB", "ADP", "PROPN", "ADP", "PROPN", "PUNCT",
        ];
        let got = ner.tag(&forms, if lang == "es" { &upos } else { &upos_en });
        let spans: Vec<(usize, usize, &str)> =
            got.iter().map(|s| (s.start, s.end, s.label)).collect();
        assert_eq!(spans, want, "{lang}");
    }
    assert!(Ner::load("xx").is_err());
}

/// Load times (not asserted: the machine is shared); run with
/// `cargo test --release -p dateline-pipeline ner::tests::load_time -- --ignored --nocapture`.
#[test]
#[ignore]
fn load_time() {
    let _ = Kb::shared();
    for lang in ["es", "en"] {
        let t = std::time::Instant::now();
        let first = Ner::load(lang).is_ok();
        let first_ms = t.elapsed().as_secs_f64() * 1000.0;
        let mut later = f64::MAX;
        for _ in 0..5 {
            let t = std::time::Instant::now();
            let _ = Ner::load(lang);
            later = later.min(t.elapsed().as_secs_f64() * 1000.0);
        }
        eprintln!("{lang}: first load {first_ms:.0} ms (ok: {first}), model only {later:.0} ms");
    }
}

#[test]
fn clusters_come_from_forms_with_bits_and_fall_back_to_lower_case() {
    let c = Lexicon::from_tsv(
        "# form\tbits\tlemma\ncasas\t\tcasa\nRusia\t111\t\nperro\t0110\tperro\nPerro\t\tperro\nroto\n"
            .to_string(),
    );
    assert_eq!(c.cluster("Rusia"), Some("111"));
    assert_eq!(c.cluster("PERRO"), Some("0110"));
    // a form written with no cluster falls back to its lower case's
    assert_eq!(c.cluster("Perro"), Some("0110"));
    assert_eq!(c.cluster("casas"), None);
    assert!(Lexicon::from_gz(b"not gzip").is_err());
}

#[test]
fn recogniser_is_shareable_across_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Ner>();
    shareable::<NerSpan>();
}

#[test]
fn non_local_features_names_and_mixing_are_deterministic_and_round_trip() {
    use super::features::{F_CAPSNORM, F_CTX, F_HIST, F_NAMES};
    let opts = TrainOptions {
        epochs: 6,
        flags: F_CAPSNORM | F_CTX | F_HIST | F_NAMES,
        window: 3,
        folds: 2,
        alone: 30,
        mix: 2,
        ..TrainOptions::default()
    };
    let data: Vec<TrainSentence> = toy().into_iter().cycle().take(20).collect();
    let ner = Ner::train(&data, &opts, None, None);
    let bytes = ner.to_bytes().unwrap_or_default();
    let again = Ner::train(&data, &opts, None, None)
        .to_bytes()
        .unwrap_or_default();
    assert_eq!(bytes, again, "training is deterministic");
    let back = match Ner::from_bytes(&bytes, None, None) {
        Ok(b) => b,
        Err(e) => panic!("round trip: {e}"),
    };
    assert_eq!(back.names, ner.names);
    assert!(ner.names.as_ref().is_some_and(|n| !n.is_empty()));
    let doc = vec![
        (
            vec!["Luis", "Gómez", "visitó", "LIMA"],
            vec!["PROPN", "PROPN", "VERB", "PROPN"],
        ),
        (vec![], vec![]),
        (vec!["Gómez", "llegó"], vec!["PROPN"]),
    ];
    let a = ner.tag_document(&doc);
    assert_eq!(a, back.tag_document(&doc));
    assert_eq!(a.len(), 3);
    assert!(a[1].is_empty());
    assert!(a[0]
        .iter()
        .any(|s| (s.start, s.end, s.label) == (0, 2, "PER")));
    assert_eq!(
        ner.tag(&doc[0].0, &doc[0].1),
        back.tag(&doc[0].0, &doc[0].1)
    );
    assert_eq!(back.document_features(&doc).len(), 3);
}

#[test]
fn cached_form_scores_equal_the_model_scores_bit_for_bit() {
    let ner = match Ner::load("es") {
        Ok(n) => n,
        Err(e) => panic!("es: {e}"),
    };
    let sents = [
        (
            "La ministra Ana García viajó a México con la ONU .",
            "DET NOUN PROPN PROPN VERB ADP PROPN ADP DET PROPN PUNCT",
        ),
        (
            "EL PRESIDENTE de Corea de el Norte , Kim Jong-un , visitó Rusia",
            "DET NOUN ADP PROPN ADP DET PROPN PUNCT PROPN PROPN PUNCT VERB PROPN",
        ),
        ("« Ana » dijo que no", "PUNCT PROPN PUNCT VERB SCONJ ADV"),
    ];
    // twice: the second time every form's scores come from the cache
    for round in 0..2 {
        for (words, tags) in sents {
            let forms: Vec<&str> = words.split(' ').collect();
            let upos: Vec<&str> = tags.split(' ').collect();
            // the features and scores as computed without any cache
            let mut feats = features::sentence_features(ner.resources(), &forms, &upos);
            if let Some(names) = &ner.names {
                features::name_features(names, &forms, &mut feats);
            }
            let t = ner.tags.len();
            let mut want = vec![0.0f32; feats.len() * t];
            ner.emissions(&feats, &mut want);
            let got = ner.with_cache(|cache| {
                let (f, ids) = ner.features_of(&forms, &upos, None, cache);
                assert_eq!(f, feats, "round {round}: {words}");
                let mut em = vec![0.0f32; f.len() * t];
                for ((f, &k), row) in f.iter().zip(&ids).zip(em.chunks_exact_mut(t)) {
                    cache.scores(k, f, &ner.model, row);
                }
                em
            });
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&got), bits(&want), "round {round}: {words}");
            let spans = ner.tag(&forms, &upos);
            let plain = ner.decode(forms.len(), &feats);
            assert_eq!(spans.len(), plain.len());
            for (a, b) in spans.iter().zip(&plain) {
                assert_eq!((a.start, a.end, a.label), (b.start, b.end, b.label));
                assert_eq!(a.score.to_bits(), b.score.to_bits());
            }
            // keeping some spans scores them as when all are kept
            for skip in 0..spans.len() + 1 {
                let kept = ner.tag_where(&forms, &upos, &|s, _| {
                    spans.get(skip).is_none_or(|x| x.start != s)
                });
                let want: Vec<&NerSpan> = spans
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| *k != skip)
                    .map(|(_, x)| x)
                    .collect();
                assert_eq!(kept.len(), want.len());
                for (a, b) in kept.iter().zip(want) {
                    assert_eq!((a.start, a.end, a.label), (b.start, b.end, b.label));
                    assert_eq!(a.score.to_bits(), b.score.to_bits());
                }
            }
            // a threshold keeps exactly the spans whose own score reaches
            // it, whether or not the backward pass was skipped
            for min in [0.3f32, 0.5, 0.9] {
                let got: Vec<_> = ner
                    .tag_where_min(&forms, &upos, &|_, _| true, Some(min))
                    .iter()
                    .map(|x| (x.start, x.end, x.label))
                    .collect();
                let want: Vec<_> = spans
                    .iter()
                    .filter(|x| x.score >= min)
                    .map(|x| (x.start, x.end, x.label))
                    .collect();
                assert_eq!(got, want, "round {round}: {words} at {min}");
            }
        }
    }
}

#[test]
fn spans_of_reads_paths_as_conlleval_does() {
    let names = [
        "B-LOC", "B-MISC", "B-ORG", "B-PER", "I-LOC", "I-MISC", "I-ORG", "I-PER", "L-LOC",
        "L-MISC", "L-ORG", "L-PER", "O", "U-LOC", "U-MISC", "U-ORG", "U-PER",
    ];
    let tags: Vec<Tag> = names.iter().map(|s| Tag::parse(s)).collect();
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for round in 0..2000 {
        let n = round % 12;
        // any path, legal or not, and an index past the tags (read as O)
        let path: Vec<usize> = (0..n)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                (seed % 18) as usize
            })
            .collect();
        let strs: Vec<String> = path
            .iter()
            .map(|&k| names.get(k).map(|s| s.to_string()).unwrap_or("O".into()))
            .collect();
        let want: Vec<(usize, usize, usize)> = conll::chunks(&strs)
            .into_iter()
            .map(|c| {
                let ty = TYPES.iter().position(|x| *x == c.label).unwrap_or(3);
                (c.start, c.end, ty)
            })
            .collect();
        assert_eq!(spans_of(&tags, &path), want, "{strs:?}");
    }
}
