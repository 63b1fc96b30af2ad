use super::*;
use dateline_core::RawDoc;

fn run(title: &str, body: &str) -> Doc {
    let stage = match Clean::new() {
        Ok(s) => s,
        Err(e) => panic!("rules: {e}"),
    };
    let mut doc = Doc::from_raw(RawDoc {
        title: Some(title.to_string()),
        body: body.to_string(),
        ..RawDoc::default()
    });
    stage.process(&mut doc);
    doc
}

#[test]
fn removes_paywall_line_and_keeps_neighbours() {
    let doc = run(
        "Título",
        "Primer párrafo con datos.\n\nEl contenido al que quiere acceder es exclusivo para suscriptores.\n\nSegundo párrafo.",
    );
    assert!(!doc.text.contains("suscriptores"));
    assert!(doc
        .text
        .contains("Primer párrafo con datos.\n\nSegundo párrafo."));
    assert_eq!(doc.removed.len(), 1);
    assert_eq!(doc.removed[0].kind, "paywall");
}

#[test]
fn removes_glued_caption_and_keeps_next_sentence() {
    let doc = run(
        "Título",
        "Antes.\n\nEl ministro en la rueda de prensa de ayer. Foto: EFE La reunión terminó tarde.",
    );
    assert!(
        doc.text.ends_with("Antes.\n\nLa reunión terminó tarde."),
        "{:?}",
        doc.text
    );
    assert_eq!(doc.removed[0].kind, "caption");
    assert_eq!(
        doc.removed[0].text,
        "El ministro en la rueda de prensa de ayer. Foto: EFE"
    );
}

#[test]
fn caption_after_prose_in_same_paragraph_keeps_prose() {
    let doc = run(
        "T",
        "La cumbre terminó sin acuerdo. Los líderes posan para la foto oficial. Foto: AFP/Getty Images Las conversaciones seguirán.",
    );
    assert!(
        doc.text
            .contains("La cumbre terminó sin acuerdo. Las conversaciones seguirán."),
        "{:?}",
        doc.text
    );
}

#[test]
fn alignment_maps_back_to_raw() {
    let doc = run("Título", "Uno.\n\nPublicidad\n\nDos tres.");
    let at = doc.text.find("Dos").unwrap_or(0);
    let raw_at = doc.raw_offset(at);
    assert_eq!(raw_at.map(|r| &doc.raw[r..r + 3]), Some("Dos"));
    // the inserted title has no raw offset
    assert_eq!(doc.raw_offset(0), None);
}

#[test]
fn glued_second_story_gets_a_segment() {
    let doc = run(
        "Primera historia sobre el clima",
        "El invierno llegó temprano este año a la región. Los agricultores temen pérdidas. La ministra de Economía presentará el presupuesto ante el Congreso la próxima semana El documento prevé un aumento del gasto social.",
    );
    assert_eq!(doc.segments.len(), 2, "{:?}", doc.segments);
    let s2 = &doc.segments[1];
    assert_eq!(
        s2.title,
        "La ministra de Economía presentará el presupuesto ante el Congreso la próxima semana"
    );
    assert!(s2.span.slice(&doc.text).starts_with(&s2.title));
    assert!(doc.text.contains("semana\n\nEl documento"));
    assert_eq!(doc.segments[0].title, "Primera historia sobre el clima");
}

#[test]
fn ordinary_prose_is_one_segment() {
    let doc = run(
        "Una historia",
        "El Gobierno anunció ayer medidas. Según El País, la oposición las rechazó.\n\nLa votación será el martes en la Cámara.",
    );
    assert_eq!(doc.segments.len(), 1, "{:?}", doc.segments);
}

#[test]
fn title_from_first_line_when_missing() {
    let doc = run(
        "",
        "Lluvias torrenciales inundan la capital\n\nLas lluvias de anoche dejaron calles anegadas.",
    );
    assert_eq!(doc.title, "Lluvias torrenciales inundan la capital");
    assert!(doc
        .text
        .starts_with("Lluvias torrenciales inundan la capital\n\nLas lluvias"));
    assert_eq!(doc.raw_offset(0), Some(0));
}

#[test]
fn english_boilerplate() {
    let doc = run(
        "Headline",
        "By Jane Smith\n\nThe talks ended late on Tuesday.\n\nRead more: Other story here\n\nADVERTISEMENT\n\nShare on Facebook Twitter\n\nOfficials said they would meet again.",
    );
    assert_eq!(
        doc.text,
        "Headline\n\nThe talks ended late on Tuesday.\n\nOfficials said they would meet again."
    );
    let kinds: Vec<&str> = doc.removed.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(kinds, ["byline", "related", "ad", "share"]);
}

#[test]
fn sentences_starting_with_por_are_not_bylines() {
    let doc = run(
        "T",
        "Uno.\n\nPor eso murieron tantas personas.\n\nPor María López Ruiz\n\nPor favor comparte",
    );
    let kinds: Vec<(&str, &str)> = doc
        .removed
        .iter()
        .map(|r| (r.kind.as_str(), r.text.as_str()))
        .collect();
    assert_eq!(kinds, [("byline", "Por María López Ruiz")]);
}

#[test]
fn never_panics_on_odd_input() {
    for body in [
        "",
        "\n\n\n",
        "Foto:",
        "Foto: ",
        ". . .",
        "ñ Foto: Ñ",
        "a\r\nb\r\n",
        "Foto: Reuters",
        "x Foto: Reuters",
    ] {
        let doc = run("", body);
        assert!(doc.segments.iter().all(|s| s.span.end() <= doc.text.len()));
    }
}
