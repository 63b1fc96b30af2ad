//! The seed article: every "must" under "Document" in seed-expected.md, and
//! the golden file of the cleaning stage (re-bless with DATELINE_BLESS=1).

mod common;
use common::*;
use serde_json::json;

#[test]
fn seed_document_musts() {
    let d = seed();
    assert_eq!(d["schema"], "dateline.doc/v1");
    assert_eq!(d["date"], "2025-08-13");
    assert_eq!(d["lang"], "es");
    assert_eq!(
        d["title"],
        "Vladimir Putin y Kim Jong Un refuerzan su alianza militar antes de la reunión del ruso con Donald Trump"
    );
    assert_eq!(d["source"]["path"], "examples/seed-article.txt");
    let text = d["text"].as_str().unwrap_or("");

    // paywall
    let paywall = "El contenido al que quiere acceder es exclusivo para suscriptores.";
    assert!(!text.contains(paywall));
    let removed = d["removed"].as_array().cloned().unwrap_or_default();
    assert!(
        removed
            .iter()
            .any(|r| r["kind"] == "paywall" && r["text"] == paywall),
        "{removed:?}"
    );

    // caption, with the next sentence kept whole
    let caption = "Trump y Putin Donald Trump y Vladímir Putin, haciendo gala de su buena sintonía durante una cumbre del G20. Foto: Reuters";
    assert!(!text.contains("Foto: Reuters"));
    assert!(!text.contains("haciendo gala de su buena sintonía"));
    assert!(
        removed
            .iter()
            .any(|r| r["kind"] == "caption" && r["text"] == caption),
        "{removed:?}"
    );
    let kept = "Kim expresó que Pyongyang apoyará plenamente “todas las medidas que adopte la dirección de Rusia” y ambos líderes discutieron avances en “todos los sectores” dentro del marco del acuerdo de asociación estratégica que firmaron en una cumbre el año pasado, indicó la ACNC.";
    assert!(
        text.contains(&format!("\n\n{kept}\n\n")),
        "the sentence after the caption must open its paragraph, whole"
    );

    // two stories
    let segs = d["segments"].as_array().cloned().unwrap_or_default();
    assert_eq!(segs.len(), 2, "{segs:?}");
    let second_title = "Donald Trump dialogará con líderes europeos y Volodimir Zelenski antes de reunirse con Vladimir Putin en Alaska";
    assert_eq!(segs[1]["title"], second_title);
    assert!(cp_slice(text, &segs[1]["span"]).starts_with(second_title));
    assert_eq!(cp_slice(text, &segs[1]["title_span"]), second_title);
    assert!(cp_slice(text, &segs[0]["span"]).contains("podría concretarse en breve."));
    assert!(!cp_slice(text, &segs[0]["span"]).contains("Donald Trump dialogará"));
}

#[test]
fn seed_should_title_echo_is_caption() {
    let d = seed();
    let text = d["text"].as_str().unwrap_or("");
    assert!(!text.contains("srefuerzan"));
    let removed = d["removed"].as_array().cloned().unwrap_or_default();
    assert!(removed.iter().any(|r| r["kind"] == "caption"
        && r["text"] == "Kim Jong Un y Vladimir Putin srefuerzan su alianza militar."));
}

/// Golden file of the cleaning stage: text, removed and segments.
#[test]
fn seed_golden_clean() {
    let d = seed();
    let got = json!({
        "title": d["title"],
        "text": d["text"],
        "removed": d["removed"],
        "segments": d["segments"],
    });
    assert_golden("tests/golden/clean/seed-article.json", &got);
}
