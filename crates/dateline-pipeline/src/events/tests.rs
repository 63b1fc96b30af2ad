use super::*;
use dateline_core::{Doc, RawDoc};

fn run(date: &str, body: &str) -> Doc {
    let raw = RawDoc {
        date: Some(date.to_string()),
        title: None,
        body: body.to_string(),
        ..RawDoc::default()
    };
    let mut doc = Doc::from_raw(raw);
    let p = crate::default_pipeline().expect("pipeline");
    p.run(&mut doc);
    doc
}

fn ent_name(doc: &Doc, id: &Option<String>) -> String {
    id.as_ref()
        .and_then(|i| doc.entities.iter().find(|e| &e.id == i))
        .map(|e| e.name.clone())
        .unwrap_or_default()
}

/// (CAMEO code, actor code, recipient code) of each event.
fn codes(d: &Doc) -> Vec<(&str, Option<&str>, Option<&str>)> {
    d.events
        .iter()
        .map(|e| {
            (
                e.cameo.as_deref().unwrap_or(""),
                e.actor.code.as_deref(),
                e.recipient.code.as_deref(),
            )
        })
        .collect()
}

/// The CAMEO code of each event.
fn cameos(d: &Doc) -> Vec<&str> {
    d.events.iter().filter_map(|e| e.cameo.as_deref()).collect()
}

#[test]
fn lexicons_and_cameo_table_parse() {
    let es = Triggers::builtin("es").expect("es");
    let en = Triggers::builtin("en").expect("en");
    assert!(es.by_first.len() > 100 && en.by_first.len() > 80);
    let c = Cameo::builtin().expect("cameo");
    assert_eq!(c.plover("041"), Some(("CONSULT", Some("phone"))));
    assert_eq!(c.plover("0721").map(|x| x.0), Some("AID"));
    assert_eq!(lexicon::quad("190"), Some(4));
    assert_eq!(lexicon::quad("051"), Some(1));
    assert!(Triggers::parse("x", "foo\tabc\n").is_err());
    assert!(Triggers::parse("x", "foo @NOPE\t010\n").is_err());
}

#[test]
fn later_definite_mention_dates_the_event() {
    let d = run(
        "2025-08-13",
        "Vladímir Putin y Donald Trump mantuvieron una conversación telefónica. Durante la llamada del lunes, Putin elogió a Trump.",
    );
    let talk = d
        .events
        .iter()
        .find(|e| e.etype == "CONSULT")
        .expect("consult");
    assert_eq!(talk.date.as_deref(), Some("2025-08-11"));
    assert_eq!(talk.date_source.as_deref(), Some("text"));
    assert_eq!(talk.mode.as_deref(), Some("phone"));
    assert_eq!(d.events.iter().filter(|e| e.etype == "CONSULT").count(), 1);
    let praise = d
        .events
        .iter()
        .find(|e| e.etype == "SUPPORT")
        .expect("support");
    assert_eq!(ent_name(&d, &praise.actor.entity), "Vladimir Putin");
    assert_eq!(ent_name(&d, &praise.recipient.entity), "Donald Trump");
}

#[test]
fn modality_future_hypothetical_negated_historical() {
    let d = run(
        "2025-08-13",
        "Donald Trump se reunirá con Vladímir Putin en Alaska. \
         Rusia habría enviado tropas a Corea del Norte. \
         Francia no condenó a Alemania. \
         Italia atacó a Grecia en 1940.",
    );
    let by_type = |t: &str| {
        d.events
            .iter()
            .find(|e| e.etype == t)
            .map(|e| e.modality.as_str())
    };
    assert_eq!(by_type("CONSULT"), Some("future"));
    assert_eq!(by_type("AID"), Some("hypothetical"));
    assert_eq!(by_type("ACCUSE"), Some("negated"));
    assert_eq!(by_type("ASSAULT"), Some("historical"));
    let meet = d
        .events
        .iter()
        .find(|e| e.etype == "CONSULT")
        .expect("consult");
    assert_eq!(meet.location.as_deref(), Some("Alaska"));
    assert_eq!(meet.date_source.as_deref(), Some("document"));
}

#[test]
fn attribution_and_passive_voice() {
    let d = run(
        "2025-08-13",
        "Según la agencia TASS, Ucrania fue atacada por Rusia.",
    );
    let e = d
        .events
        .iter()
        .find(|e| e.etype == "ASSAULT")
        .expect("assault");
    assert_eq!(ent_name(&d, &e.actor.entity), "Russia");
    assert_eq!(ent_name(&d, &e.recipient.entity), "Ukraine");
    assert_eq!(e.attribution.len(), 1);
    assert_eq!(ent_name(&d, &e.attribution[0].entity), "TASS");
}

#[test]
fn english_events() {
    let d = run(
        "2025-08-14",
        "Russian President Vladimir Putin met North Korean leader Kim Jong Un in Pyongyang on Thursday, the Kremlin said. South Korea condemned the meeting.",
    );
    let meet = d
        .events
        .iter()
        .find(|e| e.etype == "CONSULT")
        .expect("consult");
    assert_eq!(meet.actor.code.as_deref(), Some("RUSGOV"));
    assert_eq!(meet.recipient.code.as_deref(), Some("PRKGOV"));
    assert_eq!(meet.date.as_deref(), Some("2025-08-14"));
    let acc = d
        .events
        .iter()
        .find(|e| e.etype == "ACCUSE")
        .expect("accuse");
    assert_eq!(acc.actor.code.as_deref(), Some("KOR"));
    for e in &d.events {
        assert!(e.actor.entity.is_none() || e.actor.entity != e.recipient.entity);
    }
}

#[test]
fn light_verb_subject_takes_part_in_the_nominal_event() {
    let d = run(
        "2025-08-13",
        "El presidente ruso Vladímir Putin y el líder norcoreano Kim Jong Un mantuvieron una conversación telefónica.",
    );
    let e = d
        .events
        .iter()
        .find(|e| e.etype == "CONSULT")
        .expect("consult");
    assert_eq!(e.actor.code.as_deref(), Some("RUSGOV"));
    assert_eq!(e.recipient.code.as_deref(), Some("PRKGOV"));
    assert_eq!(e.cameo.as_deref(), Some("041"));
}

#[test]
fn forms_the_lemmatiser_missed_are_read_off_the_form() {
    let es = Triggers::builtin("es").expect("es");
    let v = |f: &str| guess_verb(&es, f);
    assert_eq!(v("protestaran").as_deref(), Some("protestar"));
    assert_eq!(v("manifiestan").as_deref(), Some("manifestar"));
    assert_eq!(v("pidieron").as_deref(), Some("pedir"));
    assert_eq!(v("protestarle").as_deref(), Some("protestar"));
    assert_eq!(v("reunido").as_deref(), Some("reunir"));
    assert_eq!(v("mesa"), None);
    assert_eq!(
        guess_noun(&es, "movilizaciones").as_deref(),
        Some("movilizacion")
    );
}

#[test]
fn present_tense_in_sta_is_no_participle() {
    let w = |form: &'static str, lemma: &'static str| W {
        start: 0,
        end: form.len(),
        sent: 0,
        lemma: lemma.into(),
        form: form.into(),
        lower: form.into(),
        upos: "VERB",
        head: None,
        deprel: "",
        caps: false,
        subjunctive: false,
        timex: false,
    };
    assert!(!is_participle(&w("protesta", "protestar")));
    assert!(!is_participle(&w("protesto", "protestar")));
    assert!(is_participle(&w("propuesto", "proponer")));
    assert!(is_participle(&w("detenidos", "detener")));
}

#[test]
fn the_claims_of_a_march_are_its_issue() {
    let d = run(
        "2025-03-05",
        "Miles de maestros marcharon el martes por el centro de Quito exigiendo aumentos salariales.",
    );
    let types: Vec<&str> = d.events.iter().map(|e| e.etype.as_str()).collect();
    assert_eq!(types, vec!["PROTEST"], "{types:?}");
    // someone else's answer is an event of its own
    let d = run(
        "2025-03-05",
        "Miles de maestros protestaron frente al Congreso mientras el gobierno rechazó sus demandas.",
    );
    let types: Vec<&str> = d.events.iter().map(|e| e.etype.as_str()).collect();
    assert!(
        types.contains(&"PROTEST") && types.contains(&"REJECT"),
        "{types:?}"
    );
}

#[test]
fn a_threat_is_not_the_act_it_threatens() {
    let d = run(
        "2025-03-05",
        "Los transportistas amenazaron el lunes con bloquear las carreteras del sur del país.",
    );
    let types: Vec<&str> = d.events.iter().map(|e| e.etype.as_str()).collect();
    assert_eq!(types, vec!["THREATEN"], "{types:?}");
}

#[test]
fn a_crowd_gathering_is_a_rally_and_officials_meet() {
    let d = run(
        "2025-03-05",
        "Unas 5.000 personas se reunieron el sábado en la plaza central de Lima.",
    );
    assert_eq!(
        d.events.first().map(|e| e.etype.as_str()),
        Some("PROTEST"),
        "{:?}",
        d.events
    );
    let d = run(
        "2025-03-05",
        "El canciller de Chile se reunió el lunes con su homólogo de Perú en Santiago.",
    );
    assert_eq!(
        d.events.first().map(|e| e.etype.as_str()),
        Some("CONSULT"),
        "{:?}",
        d.events
    );
}

#[test]
fn stopping_a_process_is_no_arrest() {
    let d = run(
        "2025-03-05",
        "El ministro dijo que el gobierno quiere detener el deterioro de la economía.",
    );
    assert!(
        d.events.iter().all(|e| e.etype != "COERCE"),
        "{:?}",
        d.events
    );
}

#[test]
fn a_meeting_that_dates_another_keeps_its_own_place_and_people() {
    // the talk is dated by "antes de la reunión", which is another
    // happening: its people and place stay with it (the place hangs on
    // the participle "prevista", farther than the clause window)
    let d = run(
        "2025-03-04",
        "Olaf Scholz y Pedro Sánchez mantuvieron una conversación telefónica. \
         La conversación tuvo lugar una semana antes de la reunión entre Emmanuel Macron y \
         Olaf Scholz prevista en Berlín.",
    );
    let meet = d
        .events
        .iter()
        .find(|e| e.etype == "CONSULT" && e.location.is_some())
        .unwrap_or_else(|| panic!("no located meeting: {:?}", d.events));
    assert!(
        meet.location
            .as_deref()
            .is_some_and(|l| l.starts_with("Berl")),
        "{meet:?}"
    );
    let names = [
        ent_name(&d, &meet.actor.entity),
        ent_name(&d, &meet.recipient.entity),
    ];
    assert!(names.iter().any(|n| n.contains("Macron")), "{names:?}");
    // the phone call keeps its own participants
    let call = d
        .events
        .iter()
        .find(|e| e.mode.as_deref() == Some("phone"))
        .expect("call");
    assert!(ent_name(&d, &call.actor.entity).contains("Scholz"));
    assert!(call.location.is_none(), "{call:?}");
}

#[test]
fn temporal_links_are_read_off_words_and_parse() {
    let w = |form: &'static str, upos: &'static str, head: Option<usize>, deprel: &'static str| W {
        start: 0,
        end: form.len(),
        sent: 0,
        lemma: form.into(),
        form: form.into(),
        lower: form.into(),
        upos,
        head,
        deprel,
        caps: false,
        subjunctive: false,
        timex: false,
    };
    // "antes de la cita": by the words, whatever the parse says
    let ws = vec![
        w("antes", "ADV", Some(3), "advmod"),
        w("de", "ADP", Some(0), "fixed"),
        w("la", "DET", Some(3), "det"),
        w("cita", "NOUN", None, "root"),
    ];
    assert!(temporal_link(&ws, 3));
    // "la cita de protesta": no temporal link
    let ws = vec![
        w("la", "DET", Some(1), "det"),
        w("cita", "NOUN", None, "root"),
        w("de", "ADP", Some(3), "case"),
        w("protesta", "NOUN", Some(1), "nmod"),
    ];
    assert!(!temporal_link(&ws, 1));
    assert!(!temporal_link(&ws, 3));
}

#[test]
fn a_protest_noun_after_de_makes_the_call_a_protest() {
    let d = run(
        "2025-03-04",
        "La embajada de Francia en Madrid recibió cientos de llamadas de protesta por la decisión.",
    );
    assert!(
        d.events.iter().any(|e| e.etype == "PROTEST"),
        "{:?}",
        d.events
    );
    assert!(
        !d.events.iter().any(|e| e.etype == "CONSULT"),
        "{:?}",
        d.events
    );
}

#[test]
fn promise_and_past_signing_are_two_events() {
    let d = run(
        "2025-03-10",
        "El presidente Emmanuel Macron apoyará plenamente a Alemania y ambos gobiernos discutieron avances dentro del tratado de amistad que firmaron en 2019.",
    );
    let support: Vec<_> = d.events.iter().filter(|e| e.etype == "SUPPORT").collect();
    assert_eq!(support.len(), 2, "{:?}", d.events);
    let promise = support
        .iter()
        .find(|e| e.modality == "future")
        .expect("planned support");
    // the past signing does not date the promise
    assert_eq!(promise.date.as_deref(), Some("2025-03-10"));
    let past = support
        .iter()
        .find(|e| e.modality == "historical")
        .expect("historical signing");
    assert_eq!(past.date.as_deref(), Some("2019"));
}

#[test]
fn support_for_what_someone_does_targets_the_doer() {
    let d = run(
        "2025-03-10",
        "El Gobierno de España respaldó las medidas que adoptó Marruecos.",
    );
    let e = d
        .events
        .iter()
        .find(|e| e.etype == "SUPPORT")
        .expect("support");
    assert_eq!(e.recipient.code.as_deref(), Some("MAR"));
}

#[test]
fn aid_goes_where_it_is_sent() {
    let d = run(
        "2025-03-10",
        "Turquía anunció el envío de miles de soldados y cientos de vehículos blindados a la ciudad siria de Alepo.",
    );
    let e = d.events.iter().find(|e| e.etype == "AID").expect("aid");
    assert_eq!(e.actor.code.as_deref().map(|c| &c[..3]), Some("TUR"));
    assert_eq!(e.recipient.code.as_deref().map(|c| &c[..3]), Some("SYR"));
}

#[test]
fn possessive_noun_trigger_takes_the_subject() {
    let d = run(
        "2025-03-10",
        "Japón y Australia reforzaron su cooperación militar en el Pacífico.",
    );
    let e = d
        .events
        .iter()
        .find(|e| e.etype == "COOPERATE")
        .expect("cooperate");
    let mut codes = vec![
        e.actor.code.clone().unwrap_or_default(),
        e.recipient.code.clone().unwrap_or_default(),
    ];
    codes.sort();
    assert_eq!(codes, vec!["AUS".to_string(), "JPN".to_string()]);
}

#[test]
fn parties_accepting_a_ceasefire_are_its_actors_also_in_a_reported_clause() {
    // "aceptar" frames the noun trigger like a light verb, and the "que"
    // after the time expression opens the complement of "anunció", not a
    // relative clause on "martes"
    for body in [
        "Irán e Israel aceptan un alto el fuego tras doce días de guerra.",
        "El presidente de Estados Unidos, Donald Trump, anunció este martes que Irán e Israel aceptaron un alto el fuego total.",
    ] {
        let d = run("2025-06-24", body);
        let e = d
            .events
            .iter()
            .find(|e| e.cameo.as_deref() == Some("0871"))
            .unwrap_or_else(|| panic!("ceasefire in {body}"));
        assert_eq!(e.actor.code.as_deref(), Some("IRN"), "{body}");
        let with: Vec<_> = e.actor.with.iter().filter_map(|p| p.code.as_deref()).collect();
        assert_eq!(with, ["ISR"], "{body}");
    }
}

#[test]
fn a_month_name_is_no_march() {
    let d = run(
        "2005-02-10",
        "The first flight is scheduled in early March. Thousands of workers will march to the parliament on Friday.",
    );
    let protests: Vec<_> = d.events.iter().filter(|e| e.etype == "PROTEST").collect();
    assert_eq!(protests.len(), 1, "{:?}", d.events);
    assert!(d.text[protests[0].trigger.start()..protests[0].trigger.end()].eq("march"));
}

#[test]
fn missiles_launched_at_a_target_are_an_aerial_attack() {
    let d = run(
        "2025-06-24",
        "La Guardia Revolucionaria lanzó dos misiles contra una base en Catar. La policía arrojó granadas de gases lacrimógenos.",
    );
    let e = d
        .events
        .iter()
        .find(|e| e.cameo.as_deref() == Some("195"))
        .expect("aerial attack");
    assert_eq!(e.recipient.code.as_deref(), Some("QAT"));
    // tear-gas grenades are no missiles
    assert_eq!(
        d.events
            .iter()
            .filter(|e| e.cameo.as_deref() == Some("195"))
            .count(),
        1
    );
    let d = run("2025-06-24", "Hamas launched rockets into Israel.");
    let e = d
        .events
        .iter()
        .find(|e| e.cameo.as_deref() == Some("195"))
        .expect("aerial attack, en");
    assert_eq!(e.recipient.code.as_deref(), Some("ISR"));
}

#[test]
fn dropped_subjects_of_reported_clauses_and_compound_conjunctions() {
    let d = run(
        "2025-10-16",
        "El presidente José Jerí asumió el cargo. Jerí lamentó la muerte y anunció que se reunirá el viernes con los estudiantes. La ONU pidió al Gobierno que investigue los hechos, mientras que Amnistía Internacional acusó a la policía de uso excesivo de la fuerza.",
    );
    let meet = d
        .events
        .iter()
        .find(|e| e.etype == "CONSULT")
        .expect("meeting");
    assert_eq!(ent_name(&d, &meet.actor.entity), "José Jerí");
    assert_eq!(meet.modality, "future");
    let acc = d
        .events
        .iter()
        .find(|e| e.etype == "ACCUSE")
        .expect("accusation");
    assert_eq!(acc.actor.code.as_deref(), Some("NGOHRIAMN"));
}

#[test]
fn a_place_after_a_noun_of_place_is_where_not_whom() {
    let d = run(
        "2025-10-16",
        "Miles de estudiantes protestaron en el centro de Lima contra el Gobierno peruano.",
    );
    let e = d
        .events
        .iter()
        .find(|e| e.etype == "PROTEST")
        .expect("protest");
    assert_eq!(e.recipient.code.as_deref(), Some("PERGOV"));
    assert_eq!(e.location.as_deref(), Some("Lima"));
}

#[test]
fn the_content_of_a_denial_is_negated_and_attributed() {
    let d = run(
        "2025-06-24",
        "El Kremlin desmintió que Putin se haya reunido con Zelenski. Visitó la isla, negándose a responder.",
    );
    let e = d
        .events
        .iter()
        .find(|e| e.etype == "CONSULT")
        .expect("meeting");
    assert_eq!(e.modality, "negated");
    assert!(e
        .attribution
        .iter()
        .any(|a| a.span.slice(&d.text).contains("desmintió")));
    // "negarse a" is a refusal, not a source's denial
    assert!(
        d.events.iter().any(|e| e.etype == "REJECT"),
        "{:?}",
        d.events
    );
}

#[test]
fn strikes_by_arms_are_attacks_and_prisoner_swaps_are_releases() {
    let d = run(
        "2025-09-18",
        "Russian drones struck a hospital in Kharkiv. The company struck a deal with its creditors. Ukraine and Russia exchanged 146 prisoners of war.",
    );
    let codes = cameos(&d);
    // drones striking are aerial weapons (195, the "drone strike" pattern)
    assert_eq!(codes, ["195", "0841"], "{:?}", d.events);
    let swap = &d.events[1];
    assert_eq!(swap.actor.code.as_deref(), Some("UKR"));
    let with: Vec<_> = swap
        .actor
        .with
        .iter()
        .filter_map(|p| p.code.as_deref())
        .collect();
    assert_eq!(with, ["RUS"]);
}

#[test]
fn the_two_leaders_are_the_two_people_the_story_is_about() {
    // the two named most often before the phrase, not the two named last
    let d = run(
        "2025-08-13",
        "Vladimir Putin y Kim Jong Un hablaron por teléfono. Putin elogió a Kim. Putin hablará con Donald Trump el viernes. Los dos líderes se reunieron en Pyongyang el año pasado.",
    );
    let e = d
        .events
        .iter()
        .find(|e| e.date.as_deref() == Some("2024"))
        .expect("last year's meeting");
    let mut who = vec![
        ent_name(&d, &e.actor.entity),
        ent_name(&d, &e.recipient.entity),
    ];
    who.sort();
    assert_eq!(who, ["Kim Jong Un", "Vladimir Putin"], "{:?}", d.events);
}

#[test]
fn a_participle_describing_a_noun_is_no_event_and_state_bodies_are_actors() {
    let d = run(
        "1990-03-10",
        "Israeli soldiers arrested 100 Palestinians in the occupied West Bank.",
    );
    let codes = cameos(&d);
    assert_eq!(codes, ["173"], "{:?}", d.events);
    assert_eq!(d.events[0].actor.code.as_deref(), Some("ISRMIL"));
    let d = run(
        "2025-10-16",
        "La policía peruana detuvo a diez manifestantes. El Senado chileno aprobó la ley.",
    );
    let arrest = d
        .events
        .iter()
        .find(|e| e.cameo.as_deref() == Some("173"))
        .expect("arrest");
    assert_eq!(arrest.actor.code.as_deref(), Some("PERCOP"));
}

#[test]
fn english_noun_triggers_take_a_demonym_actor_and_noun_modifiers_are_no_events() {
    let d = run(
        "2014-09-16",
        "The United States launched an air strike against the group. Russian attacks on the port continued. Two aid groups left the city. A court issued arrest warrants for the men.",
    );
    let got: Vec<(&str, Option<&str>)> = d
        .events
        .iter()
        .map(|e| (e.cameo.as_deref().unwrap_or(""), e.actor.code.as_deref()))
        .collect();
    assert_eq!(
        got,
        [("195", Some("USA")), ("190", Some("RUS"))],
        "{:?}",
        d.events
    );
}

#[test]
fn spanish_air_attacks_and_a_place_after_the_verb_is_the_target() {
    let d = run(
        "2025-08-13",
        "Un ataque aéreo estadounidense destruyó un puente. Un ataque alcanzó Moscú.",
    );
    let got = codes(&d);
    assert_eq!(
        got,
        [("195", Some("USA"), None), ("190", None, Some("RUSGOV"))],
        "{:?}",
        d.events
    );
}

#[test]
fn english_march_inside_a_sentence_is_the_month() {
    let d = run(
        "1987-02-26",
        "Sales were booked for March shipment. Thousands of workers began a march to the capital.",
    );
    let codes = cameos(&d);
    assert_eq!(codes, ["141"], "{:?}", d.events);
}

#[test]
fn armed_groups_and_their_members_are_actors() {
    let d = run(
        "2002-05-10",
        "Guerrilleros de las FARC secuestraron a un concejal. \
         Miembros del ELN dinamitaron un oleoducto. \
         La guerrilla colombiana hostigó una estación de policía.",
    );
    assert_eq!(
        codes(&d),
        [
            ("181", Some("COLREB"), None),
            ("1712", Some("COLREB"), None),
            ("190", Some("COLREB"), None)
        ],
        "{:?}",
        d.events
    );
}

#[test]
fn violence_done_to_a_person_not_to_a_plan() {
    let d = run(
        "2002-05-10",
        "Los soldados ejecutaron a tres campesinos. El Gobierno decidió ejecutar el plan. \
         Dos líderes fueron desaparecidos. Los síntomas desaparecen a las pocas horas. \
         Hombres armados dieron muerte a un docente. Se dio un registro de muertes por gripe.",
    );
    let got = cameos(&d);
    assert_eq!(got, ["1823", "181", "180"], "{:?}", d.events);
}

#[test]
fn a_noun_inside_a_name_is_no_trigger() {
    let d = run(
        "2001-05-22",
        "El Instituto de Investigación Scripps publicó un estudio. \
         Miles de desocupados bloquean una ruta en La Matanza.",
    );
    let got = cameos(&d);
    assert_eq!(got, ["144"], "{:?}", d.events);
}

#[test]
fn a_plural_noun_trigger_starting_a_sentence() {
    let d = run(
        "2002-05-10",
        "Combates entre el Ejército y las FARC dejaron cinco muertos.",
    );
    let got = cameos(&d);
    assert_eq!(got, ["190"], "{:?}", d.events);
}

#[test]
fn ratifying_is_signing_and_a_firefight_is_engaged_in() {
    let d = run(
        "2014-09-16",
        "Ukraine ratified a sweeping agreement with the European Union on Tuesday. \
         Syrian rebels engaged peacekeepers in a firefight on Saturday.",
    );
    assert_eq!(
        codes(&d),
        [
            ("057", Some("UKR"), Some("IGOEUREEC")),
            ("193", Some("SYRREB"), None)
        ],
        "{:?}",
        d.events
    );
}

#[test]
fn a_threat_or_refusal_is_aimed_at_the_recipient_of_its_action() {
    // the recipient is inside the infinitive, past a date between them
    let cases = [
        (
            "Iran threatened on Tuesday to cut off gas supplies to Armenia. Berlin rejected calls by Belarus for economic aid.",
            [("130", Some("IRN"), Some("ARM")), ("120", Some("DEUGOV"), Some("BLR"))],
        ),
        (
            "Irán amenazó este martes con cortar el suministro de gas a Armenia. Rusia se negó a reunirse con Ucrania en Ginebra.",
            [("130", Some("IRN"), Some("ARM")), ("120", Some("RUS"), Some("UKR"))],
        ),
    ];
    for (text, want) in cases {
        let d = run("1997-11-04", text);
        let c = codes(&d);
        assert!(want.iter().all(|w| c.contains(w)), "{c:?}");
    }
    // a threat that acts on no one named keeps no recipient
    let d = run("1997-11-04", "Iran threatened to leave the talks.");
    assert_eq!(codes(&d), vec![("130", Some("IRN"), None)]);
}

#[test]
fn crowds_pronouns_and_bodies_within_a_country_name_the_actor() {
    let d = run(
        "1997-11-04",
        "Thousands of Kenyans marched in Nairobi on Sunday. Switzerland said on Monday it had expelled two Russian diplomats. Rebels in the Ivory Coast rejected the offer.",
    );
    let c = codes(&d);
    assert!(c.contains(&("141", Some("KEN"), None)), "{c:?}");
    assert!(c.contains(&("1662", Some("CHE"), Some("RUSGOV"))), "{c:?}");
    assert!(c.contains(&("120", Some("CIVREB"), None)), "{c:?}");
    // "he" is a person: not the country named before it
    let d = run(
        "1997-11-04",
        "Iran said on Monday he had expelled two Russian diplomats.",
    );
    let c = codes(&d);
    assert!(c.iter().all(|x| x.1.is_none()), "{c:?}");
}

#[test]
fn releasing_a_report_or_a_free_market_is_no_release_of_people() {
    let d = run(
        "2008-08-06",
        "Israel released two Palestinian prisoners on Wednesday. A report released on Tuesday alleged fraud. The ministry released its annual report. Free market prices fell.",
    );
    assert_eq!(
        cameos(&d).iter().filter(|c| **c == "0841").count(),
        1,
        "{:?}",
        codes(&d)
    );
}

#[test]
fn welcome_mediation_and_troop_withdrawal_are_coded() {
    let d = run(
        "2008-08-06",
        "Germany welcomed the decision. Egypt offered mediation between the two sides. The withdrawal of Serbian troops began. Cash withdrawal limits were raised.",
    );
    let c = cameos(&d);
    assert!(c.contains(&"051") && c.contains(&"045"), "{c:?}");
    assert_eq!(c.iter().filter(|x| **x == "087").count(), 1, "{c:?}");
}

#[test]
fn extradition_lifted_curbs_and_expulsions_are_coded() {
    let d = run(
        "2001-05-06",
        "Zambia extradited the suspect to Britain. Sudan lifted the curfew in Khartoum. \
         North Korea expelled the inspectors. Output lifted sharply in May.",
    );
    let c = cameos(&d);
    assert!(
        c.contains(&"063") && c.contains(&"081") && c.contains(&"166"),
        "{c:?}"
    );
    // "lifted" with no curb as its object is no concession
    assert_eq!(c.iter().filter(|x| **x == "081").count(), 1, "{c:?}");
}

#[test]
fn a_place_after_outside_or_near_is_no_participant() {
    let d = run(
        "2001-05-06",
        "Algerian landowners began a strike outside Parliament. Iran launched attacks near Basra.",
    );
    let c = codes(&d);
    assert!(c.contains(&("143", Some("DZA"), None)), "{c:?}");
    // (Basra is where the attacks were, and so whom: never who made them)
    assert!(
        c.iter()
            .any(|(cameo, a, _)| *cameo == "190" && *a == Some("IRN")),
        "{c:?}"
    );
}
