//! Sentences and tokens.

pub mod tokenize;
