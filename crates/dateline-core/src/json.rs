//! The JSON contract `dateline.doc/v1`.
//!
//! These structs are the wire form of a [`Doc`]: spans become `[start, end)`
//! in Unicode code points into `text`. Fields may be added; none may be
//! renamed or removed without a new schema version. `docs/schema/doc-v1.json`
//! describes the same shape and a test checks real output against it.

use crate::doc::{Diagnostic, Doc, KbRef, Participant, Removed, Role, Source};
use crate::span::CharIndex;
use serde::{Deserialize, Serialize};

/// The schema tag written into every document.
pub const SCHEMA: &str = "dateline.doc/v1";

/// A span in code points.
pub type CpSpan = [usize; 2];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocV1 {
    pub schema: String,
    pub id: String,
    pub source: Source,
    pub date: Option<String>,
    pub lang: Option<String>,
    pub title: String,
    pub text: String,
    pub removed: Vec<Removed>,
    pub segments: Vec<SegmentV1>,
    pub sentences: Vec<CpSpan>,
    pub entities: Vec<EntityV1>,
    pub timexes: Vec<TimexV1>,
    pub quantities: Vec<QuantityV1>,
    pub events: Vec<EventV1>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentV1 {
    pub kind: String,
    pub title: String,
    pub span: CpSpan,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub title_span: Option<CpSpan>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub lang: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentionV1 {
    pub span: CpSpan,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityV1 {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub etype: String,
    pub kb: Option<KbRef>,
    pub mentions: Vec<MentionV1>,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimexV1 {
    pub span: CpSpan,
    pub text: String,
    #[serde(rename = "type")]
    pub ttype: String,
    pub value: String,
    #[serde(rename = "mod", skip_serializing_if = "Option::is_none", default)]
    pub mod_: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuantityV1 {
    pub span: CpSpan,
    pub text: String,
    pub value: Option<f64>,
    pub approx: bool,
    pub unit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributionV1 {
    pub entity: Option<String>,
    pub text: String,
    pub span: CpSpan,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventV1 {
    #[serde(rename = "type")]
    pub etype: String,
    pub mode: Option<String>,
    pub cameo: Option<String>,
    pub quad: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goldstein: Option<f32>,
    pub actor: Participant,
    pub recipient: Participant,
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_source: Option<String>,
    pub location: Option<String>,
    pub modality: String,
    pub attribution: Vec<AttributionV1>,
    pub sentence: CpSpan,
    pub span: CpSpan,
    pub trigger: CpSpan,
    pub confidence: f32,
}

impl Doc {
    /// The wire form of this document.
    pub fn to_v1(&self) -> DocV1 {
        let ix = CharIndex::new(&self.text);
        let t = &self.text;
        DocV1 {
            schema: SCHEMA.to_string(),
            id: self.id.clone(),
            source: self.source.clone(),
            date: self.date.clone(),
            lang: self.lang.clone(),
            title: self.title.clone(),
            text: self.text.clone(),
            removed: self.removed.clone(),
            segments: self
                .segments
                .iter()
                .map(|s| SegmentV1 {
                    kind: s.kind.clone(),
                    title: s.title.clone(),
                    span: ix.span(s.span),
                    title_span: s.title_span.map(|x| ix.span(x)),
                    lang: s.lang.clone(),
                })
                .collect(),
            sentences: self.sentences.iter().map(|s| ix.span(*s)).collect(),
            entities: self
                .entities
                .iter()
                .map(|e| EntityV1 {
                    id: e.id.clone(),
                    name: e.name.clone(),
                    etype: e.etype.clone(),
                    kb: e.kb.clone(),
                    mentions: e
                        .mentions
                        .iter()
                        .map(|m| MentionV1 {
                            span: ix.span(m.span),
                            text: m.span.slice(t).to_string(),
                        })
                        .collect(),
                    roles: e.roles.clone(),
                })
                .collect(),
            timexes: self
                .timexes
                .iter()
                .map(|x| TimexV1 {
                    span: ix.span(x.span),
                    text: x.span.slice(t).to_string(),
                    ttype: x.ttype.clone(),
                    value: x.value.clone(),
                    mod_: x.mod_.clone(),
                })
                .collect(),
            quantities: self
                .quantities
                .iter()
                .map(|q| QuantityV1 {
                    span: ix.span(q.span),
                    text: q.span.slice(t).to_string(),
                    value: q.value,
                    approx: q.approx,
                    unit: q.unit.clone(),
                })
                .collect(),
            events: self
                .events
                .iter()
                .map(|e| EventV1 {
                    etype: e.etype.clone(),
                    mode: e.mode.clone(),
                    cameo: e.cameo.clone(),
                    quad: e.quad,
                    goldstein: e.goldstein,
                    actor: e.actor.clone(),
                    recipient: e.recipient.clone(),
                    date: e.date.clone(),
                    date_source: e.date_source.clone(),
                    location: e.location.clone(),
                    modality: e.modality.clone(),
                    attribution: e
                        .attribution
                        .iter()
                        .map(|a| AttributionV1 {
                            entity: a.entity.clone(),
                            text: a.span.slice(t).to_string(),
                            span: ix.span(a.span),
                        })
                        .collect(),
                    sentence: ix.span(e.sentence),
                    span: ix.span(e.span),
                    trigger: ix.span(e.trigger),
                    confidence: e.confidence,
                })
                .collect(),
            diagnostics: self.diagnostics.clone(),
        }
    }

    /// One line of JSON (no trailing newline).
    pub fn to_json_line(&self) -> crate::Result<String> {
        Ok(serde_json::to_string(&self.to_v1())?)
    }
}

impl DocV1 {
    /// Slices `text` by a code-point span (what a Python user does).
    pub fn slice(&self, span: CpSpan) -> String {
        self.text
            .chars()
            .skip(span[0])
            .take(span[1].saturating_sub(span[0]))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Doc, RawDoc, Segment};
    use crate::span::{cp_to_byte, Span};
    use proptest::prelude::*;

    proptest! {
        /// Spans survive the JSON round trip: code-point offsets slice the
        /// same text as the byte spans did.
        #[test]
        fn json_round_trip(text in "\\PC{0,60}", cuts in proptest::collection::vec(0usize..80, 0..8)) {
            let mut doc = Doc::from_raw(RawDoc { body: text.clone(), ..RawDoc::default() });
            doc.text = text.clone();
            let mut expected = Vec::new();
            for pair in cuts.chunks(2) {
                if let [a, b] = pair {
                    let (a, b) = ((*a).min(*b), (*a).max(*b));
                    if let Ok(s) = Span::new(&text, a, b) {
                        doc.sentences.push(s);
                        expected.push(s.slice(&text).to_string());
                    }
                }
            }
            doc.segments.push(Segment { kind: "story".into(), title: String::new(), span: Span::whole(&text), title_span: None, lang: None });
            let line = doc.to_json_line().map_err(|e| TestCaseError::fail(e.to_string()))?;
            let back: DocV1 = serde_json::from_str(&line).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&back.text, &text);
            for (cp, want) in back.sentences.iter().zip(&expected) {
                prop_assert_eq!(&back.slice(*cp), want);
                let bs = cp_to_byte(&back.text, cp[0]);
                let be = cp_to_byte(&back.text, cp[1]);
                prop_assert!(bs.is_some() && be.is_some());
            }
            prop_assert_eq!(back.segments[0].span, [0, text.chars().count()]);
        }
    }
}
