//! Size limits enforced while reading, and mapping of I/O errors.
//!
//! [`Limited`] behaves like `take(limit + 1)` but turns the extra byte into
//! an error, so a reader never buffers more than `limit + 1` bytes of a
//! stream and a gzip bomb stops as soon as it passes the limit.

use crate::Error;
use std::fmt;
use std::io::{self, Read};

/// Which limit was hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LimitKind {
    /// `max_input_bytes` (raw input: a file that grew, a pipe, stdin).
    Input,
    /// `max_decompressed_bytes`.
    Decompressed,
}

/// The error a [`Limited`] reader returns, carried inside an `io::Error`.
#[derive(Debug)]
pub(crate) struct LimitExceeded {
    pub kind: LimitKind,
    pub limit: u64,
}

impl fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "limit of {} bytes exceeded", self.limit)
    }
}

impl std::error::Error for LimitExceeded {}

/// A reader that fails once more than `limit` bytes have been read.
pub(crate) struct Limited<R> {
    inner: R,
    limit: u64,
    count: u64,
    kind: LimitKind,
}

impl<R: Read> Limited<R> {
    pub fn new(inner: R, limit: u64, kind: LimitKind) -> Self {
        Limited {
            inner,
            limit,
            count: 0,
            kind,
        }
    }

    fn exceeded(&self) -> io::Error {
        io::Error::other(LimitExceeded {
            kind: self.kind,
            limit: self.limit,
        })
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let allowed = self.limit.saturating_add(1).saturating_sub(self.count);
        if allowed == 0 {
            return Err(self.exceeded());
        }
        let max = usize::try_from(allowed)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let n = self.inner.read(&mut buf[..max])?;
        self.count = self.count.saturating_add(n as u64);
        if self.count > self.limit {
            return Err(self.exceeded());
        }
        Ok(n)
    }
}

/// Converts an I/O error met while reading `path` into the crate's error:
/// a hit limit becomes `TooLarge`/`DecompressedTooLarge`, a failure inside
/// a decompressor becomes a `Format` error ("corrupt or truncated").
pub(crate) fn map_io(path: &str, e: io::Error, compressed: bool) -> Error {
    if let Some(l) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<LimitExceeded>())
    {
        return match l.kind {
            LimitKind::Input => Error::TooLarge {
                path: path.to_string(),
                size: l.limit.saturating_add(1),
                limit: l.limit,
            },
            LimitKind::Decompressed => Error::DecompressedTooLarge {
                path: path.to_string(),
                limit: l.limit,
            },
        };
    }
    if compressed
        && matches!(
            e.kind(),
            io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData
        )
    {
        return Error::Format {
            path: path.to_string(),
            message: format!("corrupt or truncated gzip data: {e}"),
        };
    }
    Error::Io {
        path: path.to_string(),
        source: e,
    }
}

/// Reads everything left in `r` (bounded by the `Limited` wrappers below it).
pub(crate) fn read_all(r: &mut dyn Read, path: &str, compressed: bool) -> Result<Vec<u8>, Error> {
    let mut buf = Vec::new();
    r.read_to_end(&mut buf)
        .map_err(|e| map_io(path, e, compressed))?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_allows_exactly_limit_bytes() {
        let data = [7u8; 100];
        let mut r = Limited::new(&data[..], 100, LimitKind::Decompressed);
        let mut out = Vec::new();
        assert_eq!(r.read_to_end(&mut out).ok(), Some(100));
    }

    #[test]
    fn limit_fails_past_limit() {
        let data = [7u8; 101];
        let mut r = Limited::new(&data[..], 100, LimitKind::Decompressed);
        let mut out = Vec::new();
        let err = r.read_to_end(&mut out).err();
        assert!(out.len() <= 101);
        let Some(err) = err else {
            panic!("expected an error")
        };
        assert!(matches!(
            map_io("x", err, true),
            Error::DecompressedTooLarge { limit: 100, .. }
        ));
    }

    #[test]
    fn input_limit_maps_to_too_large() {
        let data = [0u8; 10];
        let mut r = Limited::new(&data[..], 5, LimitKind::Input);
        let err = read_all(&mut r, "f", false).err();
        assert!(matches!(err, Some(Error::TooLarge { limit: 5, .. })));
    }
}
