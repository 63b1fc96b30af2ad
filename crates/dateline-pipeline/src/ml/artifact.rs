//! The container shared by the model files of the tagger and the
//! lemmatiser: gzip of a 4-byte magic tag, a format version, a list of text
//! lines (tables that go with the model) and a perceptron model.

use crate::error::{Error, Result};
use crate::ml::perceptron::Model;
use std::io::{Read, Write};

/// Writes the container (deterministic: best compression, no timestamps).
pub fn write(magic: &[u8; 4], version: u32, lines: &[String], model: &Model) -> Result<Vec<u8>> {
    let mut raw = Vec::new();
    raw.extend_from_slice(magic);
    raw.extend_from_slice(&version.to_le_bytes());
    raw.extend_from_slice(&(lines.len() as u32).to_le_bytes());
    for line in lines {
        raw.extend_from_slice(&(line.len() as u32).to_le_bytes());
        raw.extend_from_slice(line.as_bytes());
    }
    raw.extend_from_slice(&model.to_bytes());
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&raw)
        .map_err(|e| Error::Model(e.to_string()))?;
    enc.finish().map_err(|e| Error::Model(e.to_string()))
}

/// Reads a container written by [`write`]; `what` names the model in errors.
pub fn read(gz: &[u8], magic: &[u8; 4], version: u32, what: &str) -> Result<(Vec<String>, Model)> {
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(gz)
        .take(512 << 20)
        .read_to_end(&mut raw)
        .map_err(|e| Error::Model(format!("{what} model: {e}")))?;
    let bad = || Error::Model(format!("{what} model is truncated or corrupt"));
    if raw.get(..4) != Some(magic.as_slice()) {
        return Err(Error::Model(format!("not a dateline {what} model")));
    }
    let u32_at = |p: usize| -> Result<u32> {
        let s = raw.get(p..p + 4).ok_or_else(bad)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    };
    if u32_at(4)? != version {
        return Err(Error::Model(format!("unsupported {what} model version")));
    }
    let n = u32_at(8)? as usize;
    let mut pos = 12;
    let mut lines = Vec::with_capacity(n.min(1 << 20));
    for _ in 0..n {
        let len = u32_at(pos)? as usize;
        let line = raw.get(pos + 4..pos + 4 + len).ok_or_else(bad)?;
        lines.push(std::str::from_utf8(line).map_err(|_| bad())?.to_string());
        pos += 4 + len;
    }
    let model = Model::from_bytes(raw.get(pos..).ok_or_else(bad)?)?;
    Ok((lines, model))
}
