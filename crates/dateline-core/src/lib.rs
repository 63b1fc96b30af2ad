//! dateline-core: the document model every stage shares.
//!
//! Design choice: one [`Doc`] holds the cleaned text once and every layer
//! points into it with checked byte [`Span`]s; stages add layers and never
//! copy text. The JSON contract ([`json::DocV1`]) converts spans to Unicode
//! code points at the edge, because that is how Python and GDELT users slice.
//! This crate has almost no dependencies so that every other crate can use it.

pub mod doc;
pub mod error;
pub mod json;
pub mod span;
pub mod stage;

pub use doc::{
    content_id, AlignPiece, Attribution, Diagnostic, Doc, Entity, Event, KbRef, Level, Mention,
    Participant, Quantity, RawDoc, Removed, Role, Segment, Source, Timex, Token, Word,
};
pub use error::{Error, Result};
pub use json::{DocV1, SCHEMA};
pub use span::{CharIndex, Span};
pub use stage::{Layer, Pipeline, Stage};
