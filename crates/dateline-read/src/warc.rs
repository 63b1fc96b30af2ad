//! WARC 1.0/1.1 (plain or gzip, including one gzip member per record as
//! Common Crawl writes it), read record by record.
//!
//! A small own parser rather than the `warc` crate: it needs to resynchronise
//! after a malformed record, report byte offsets, and share the crate's
//! size limits and decoding. Each `response` record with HTTP status 200 and
//! an HTML content type becomes a document; other records are skipped
//! without being kept in memory. A malformed record yields one error naming
//! the file and the record's offset (in the uncompressed stream); when its
//! extent is unknown (bad header) the reader scans to the next `WARC/` line
//! and goes on; when the stream itself is broken (truncated data, corrupt
//! gzip, a limit hit) that error is the last item. Every step consumes input,
//! so the reader always ends.

use crate::dates::{date_part, normalize_date};
use crate::html::html_doc;
use crate::limit::{map_io, LimitKind, Limited};
use crate::{Error, ReadOptions, Result};
use dateline_core::{Diagnostic, RawDoc};
use serde_json::Value;
use std::io::{self, BufRead, Read};

const MAX_LINE: usize = 64 * 1024;
const MAX_HEADERS: usize = 1024;
const STAGE: &str = "read";

pub(crate) struct WarcReader<'a> {
    reader: Box<dyn BufRead + Send + 'a>,
    path: String,
    compressed: bool,
    opts: ReadOptions,
    /// Bytes consumed so far (uncompressed stream).
    pos: u64,
    /// A `WARC/` version line found while resynchronising, with its offset.
    pending: Option<(u64, Vec<u8>)>,
    done: bool,
}

/// Outcome of reading one line.
enum Line {
    Eof,
    /// The line without its terminator (cut at `MAX_LINE` bytes).
    Text(Vec<u8>),
}

impl<'a> WarcReader<'a> {
    pub fn new(
        reader: Box<dyn BufRead + Send + 'a>,
        path: String,
        compressed: bool,
        opts: &ReadOptions,
    ) -> Self {
        WarcReader {
            reader,
            path,
            compressed,
            opts: opts.clone(),
            pos: 0,
            pending: None,
            done: false,
        }
    }

    fn read_line(&mut self) -> io::Result<Line> {
        let mut line = Vec::new();
        let mut any = false;
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Ok(if any {
                    Line::Text(trim_eol(line))
                } else {
                    Line::Eof
                });
            }
            any = true;
            let (take, found) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            let room = MAX_LINE.saturating_sub(line.len());
            line.extend_from_slice(&buf[..take.min(room)]);
            self.reader.consume(take);
            self.pos += take as u64;
            if found {
                return Ok(Line::Text(trim_eol(line)));
            }
        }
    }

    fn fail(&mut self, offset: u64, message: impl std::fmt::Display) -> Error {
        Error::Format {
            path: self.path.clone(),
            message: format!("WARC record at offset {offset}: {message}"),
        }
    }

    fn io_fail(&mut self, e: io::Error) -> Error {
        self.done = true;
        map_io(&self.path, e, self.compressed)
    }

    /// Skips lines until one starting with `WARC/`, which is kept for the
    /// next call. Ends the stream at EOF.
    fn resync(&mut self) -> std::result::Result<(), Error> {
        loop {
            let at = self.pos;
            match self.read_line() {
                Ok(Line::Eof) => {
                    self.done = true;
                    return Ok(());
                }
                Ok(Line::Text(l)) if l.starts_with(b"WARC/") => {
                    self.pending = Some((at, l));
                    return Ok(());
                }
                Ok(Line::Text(_)) => {}
                Err(e) => return Err(self.io_fail(e)),
            }
        }
    }

    /// Reads records until one yields a document or an error; `None` at the end.
    fn next_record(&mut self) -> Option<Result<RawDoc>> {
        loop {
            if self.done {
                return None;
            }
            // Version line (skipping blank lines between records).
            let (start, version) = match self.pending.take() {
                Some(p) => p,
                None => {
                    let at = self.pos;
                    match self.read_line() {
                        Ok(Line::Eof) => {
                            self.done = true;
                            return None;
                        }
                        Ok(Line::Text(l)) if l.iter().all(u8::is_ascii_whitespace) => continue,
                        Ok(Line::Text(l)) => (at, l),
                        Err(e) => return Some(Err(self.io_fail(e))),
                    }
                }
            };
            if !version.starts_with(b"WARC/") {
                let shown = String::from_utf8_lossy(&version[..version.len().min(40)]).into_owned();
                let err = self.fail(
                    start,
                    format!("expected a WARC/ version line, found {shown:?}"),
                );
                return Some(match self.resync() {
                    Ok(()) => Err(err),
                    Err(e) => Err(e),
                });
            }

            // Header block.
            let mut headers: Vec<(String, String)> = Vec::new();
            let mut bad: Option<String> = None;
            loop {
                match self.read_line() {
                    Ok(Line::Eof) => {
                        self.done = true;
                        return Some(Err(self.fail(start, "truncated header (end of input)")));
                    }
                    Ok(Line::Text(l)) if l.is_empty() => break,
                    Ok(Line::Text(l)) => {
                        if headers.len() >= MAX_HEADERS {
                            bad.get_or_insert_with(|| "too many header lines".to_string());
                            continue;
                        }
                        if l.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
                            // Continuation line.
                            if let Some(last) = headers.last_mut() {
                                last.1.push(' ');
                                last.1.push_str(String::from_utf8_lossy(&l).trim());
                                continue;
                            }
                        }
                        let s = String::from_utf8_lossy(&l);
                        match s.split_once(':') {
                            Some((k, v)) if !k.trim().is_empty() => {
                                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()))
                            }
                            _ => {
                                bad.get_or_insert_with(|| {
                                    format!(
                                        "bad header line {:?}",
                                        s.chars().take(60).collect::<String>()
                                    )
                                });
                            }
                        }
                    }
                    Err(e) => return Some(Err(self.io_fail(e))),
                }
            }
            let get = |name: &str| {
                headers
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.as_str())
            };
            let length = get("content-length").and_then(|v| v.parse::<u64>().ok());
            let Some(length) = length else {
                let err = self.fail(
                    start,
                    bad.unwrap_or_else(|| "missing or invalid Content-Length".to_string()),
                );
                return Some(match self.resync() {
                    Ok(()) => Err(err),
                    Err(e) => Err(e),
                });
            };
            if let Some(b) = bad {
                // The length is known: skip the block and go on.
                let err = self.fail(start, b);
                if let Err(e) = self.skip(length, start) {
                    return Some(Err(e));
                }
                return Some(Err(err));
            }

            let wtype = get("warc-type").unwrap_or("").to_ascii_lowercase();
            let block_type = get("content-type")
                .unwrap_or("application/http")
                .to_ascii_lowercase();
            if wtype != "response" || !block_type.contains("application/http") {
                if let Err(e) = self.skip(length, start) {
                    return Some(Err(e));
                }
                continue;
            }
            let target = get("warc-target-uri").map(|u| u.trim_matches(['<', '>']).to_string());
            let record_id = get("warc-record-id").map(str::to_string);
            let warc_date = get("warc-date").map(str::to_string);
            let truncated = get("warc-truncated").map(str::to_string);

            // The block: HTTP response.
            let mut block = Vec::new();
            match (&mut self.reader).take(length).read_to_end(&mut block) {
                Ok(n) => {
                    self.pos += n as u64;
                    if (n as u64) < length {
                        self.done = true;
                        return Some(Err(self.fail(
                            start,
                            format!("Content-Length {length} runs past the end of the input ({n} bytes left)"),
                        )));
                    }
                }
                Err(e) => return Some(Err(self.io_fail(e))),
            }
            match self.record_doc(&block, start, target, record_id, warc_date, truncated) {
                Ok(Some(doc)) => return Some(Ok(doc)),
                Ok(None) => continue,
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// Skips `length` bytes of block; an early end ends the stream.
    fn skip(&mut self, length: u64, start: u64) -> std::result::Result<(), Error> {
        match io::copy(&mut (&mut self.reader).take(length), &mut io::sink()) {
            Ok(n) => {
                self.pos += n;
                if n < length {
                    self.done = true;
                    return Err(self.fail(
                        start,
                        format!("Content-Length {length} runs past the end of the input ({n} bytes left)"),
                    ));
                }
                Ok(())
            }
            Err(e) => Err(self.io_fail(e)),
        }
    }

    fn record_doc(
        &mut self,
        block: &[u8],
        start: u64,
        target: Option<String>,
        record_id: Option<String>,
        warc_date: Option<String>,
        truncated: Option<String>,
    ) -> std::result::Result<Option<RawDoc>, Error> {
        let resp = match parse_http(block) {
            Ok(r) => r,
            Err(m) => return Err(self.fail(start, m)),
        };
        if resp.status != 200 {
            return Ok(None);
        }
        let ctype = resp
            .header("content-type")
            .unwrap_or("")
            .to_ascii_lowercase();
        let mime = ctype.split(';').next().unwrap_or("").trim().to_string();
        if !(mime == "text/html" || mime == "application/xhtml+xml" || mime.ends_with("html")) {
            return Ok(None);
        }
        let charset = ctype.split(';').skip(1).find_map(|p| {
            let (k, v) = p.split_once('=')?;
            (k.trim() == "charset").then(|| v.trim().trim_matches(['"', '\'']).to_string())
        });

        let mut diagnostics = Vec::new();
        let mut body: Vec<u8> = resp.body.to_vec();
        if resp
            .header("transfer-encoding")
            .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"))
        {
            body = dechunk(&body, &mut diagnostics);
        }
        if let Some(enc) = resp.header("content-encoding") {
            let enc = enc.trim().to_ascii_lowercase();
            match enc.as_str() {
                "" | "identity" => {}
                "gzip" | "x-gzip" | "deflate" => {
                    body = self.inflate(&body, &enc, start, &mut diagnostics)?;
                }
                other => {
                    return Err(self.fail(start, format!("unsupported Content-Encoding {other:?}")))
                }
            }
        }
        let mut doc = html_doc(&body, &self.path, charset.as_deref(), "warc", &self.opts).map_err(
            |e| match e {
                Error::Format { message, .. } => self.fail(start, message),
                other => other,
            },
        )?;
        doc.diagnostics.splice(0..0, diagnostics);
        if let Some(t) = truncated {
            doc.diagnostics.push(Diagnostic::warning(
                STAGE,
                format!("the crawler truncated this record ({t})"),
            ));
        }
        if let Some(canonical) = doc.source.url.take() {
            if target.as_deref() != Some(canonical.as_str()) {
                doc.source
                    .meta
                    .insert("canonical_url".into(), Value::from(canonical));
            }
        }
        doc.source.url = target;
        if let Some(id) = record_id {
            doc.source
                .meta
                .insert("warc_record_id".into(), Value::from(id));
        }
        doc.source
            .meta
            .insert("warc_offset".into(), Value::from(start));
        if let Some(wd) = &warc_date {
            doc.source
                .meta
                .insert("warc_date".into(), Value::from(wd.as_str()));
        }
        if doc.date.is_none() {
            if let Some(d) = warc_date
                .as_deref()
                .and_then(normalize_date)
                .and_then(|n| date_part(&n).map(str::to_string))
            {
                doc.date = Some(d);
                doc.diagnostics.push(Diagnostic::info(
                    STAGE,
                    "no date in the page; date taken from WARC-Date (the crawl date)",
                ));
            }
        }
        crate::dateline::fill_date(&mut doc.date, &mut doc.diagnostics, &self.opts, "page");
        Ok(Some(doc))
    }

    /// Decompresses an HTTP body (gzip or deflate) under the decompression
    /// limit. Bodies that are not compressed after all (crawlers often store
    /// them decoded but keep the header) are passed through.
    fn inflate(
        &mut self,
        body: &[u8],
        enc: &str,
        start: u64,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> std::result::Result<Vec<u8>, Error> {
        let limit = self.opts.max_decompressed_bytes;
        let gz = body.starts_with(&[0x1f, 0x8b]);
        let zlib = body.len() >= 2
            && body[0] & 0x0f == 8
            && (u16::from(body[0]) << 8 | u16::from(body[1])) % 31 == 0;
        let mut out = Vec::new();
        let r = if enc != "deflate" && gz {
            Limited::new(
                flate2::read::MultiGzDecoder::new(body),
                limit,
                LimitKind::Decompressed,
            )
            .read_to_end(&mut out)
        } else if enc == "deflate" && zlib {
            Limited::new(
                flate2::read::ZlibDecoder::new(body),
                limit,
                LimitKind::Decompressed,
            )
            .read_to_end(&mut out)
        } else if enc == "deflate" {
            Limited::new(
                flate2::read::DeflateDecoder::new(body),
                limit,
                LimitKind::Decompressed,
            )
            .read_to_end(&mut out)
        } else {
            diagnostics.push(Diagnostic::info(
                STAGE,
                "Content-Encoding gzip declared but the body is not gzip; read as is",
            ));
            return Ok(body.to_vec());
        };
        match r {
            Ok(_) => Ok(out),
            Err(e) => match map_io(&self.path, e, true) {
                Error::DecompressedTooLarge { .. } => Err(Error::DecompressedTooLarge {
                    path: format!("{} (record at offset {start})", self.path),
                    limit,
                }),
                _ if !out.is_empty() => {
                    diagnostics.push(Diagnostic::warning(
                        STAGE,
                        "the compressed HTTP body is truncated or corrupt; kept what decoded",
                    ));
                    Ok(out)
                }
                _ => Err(self.fail(start, "corrupt compressed HTTP body")),
            },
        }
    }
}

impl Iterator for WarcReader<'_> {
    type Item = Result<RawDoc>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_record()
    }
}

fn trim_eol(mut l: Vec<u8>) -> Vec<u8> {
    while matches!(l.last(), Some(b'\n' | b'\r')) {
        l.pop();
    }
    l
}

struct HttpResponse<'b> {
    status: u16,
    headers: Vec<(String, String)>,
    body: &'b [u8],
}

impl HttpResponse<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses an HTTP/1.x response: status line, headers, body.
fn parse_http(block: &[u8]) -> std::result::Result<HttpResponse<'_>, String> {
    let crlf = block
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| (p, p + 4));
    let lf = block
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|p| (p, p + 2));
    let (head_end, body_start) = match (crlf, lf) {
        (Some(a), Some(b)) => {
            if a.0 <= b.0 {
                a
            } else {
                b
            }
        }
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => (block.len(), block.len()),
    };
    let head = String::from_utf8_lossy(&block[..head_end]);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.split_whitespace();
    let proto = parts.next().unwrap_or("");
    if !proto.starts_with("HTTP/") {
        return Err(format!(
            "not an HTTP response (status line {:?})",
            status_line.chars().take(60).collect::<String>()
        ));
    }
    let status = parts
        .next()
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| "bad HTTP status line".to_string())?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Ok(HttpResponse {
        status,
        headers,
        body: block.get(body_start..).unwrap_or_default(),
    })
}

/// Decodes a chunked body. A body that does not start with a chunk size is
/// taken as already decoded; a broken chunk keeps what was read, with a
/// warning.
fn dechunk(body: &[u8], diagnostics: &mut Vec<Diagnostic>) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0usize;
    let mut first = true;
    while let Some(nl) = body
        .get(i..)
        .and_then(|r| r.iter().position(|&b| b == b'\n'))
    {
        let line = String::from_utf8_lossy(&body[i..i + nl]);
        let size_str = line.split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_str, 16) else {
            if first {
                diagnostics.push(Diagnostic::info(
                    STAGE,
                    "Transfer-Encoding chunked declared but the body is not chunked; read as is",
                ));
                return body.to_vec();
            }
            diagnostics.push(Diagnostic::warning(
                STAGE,
                "bad chunk in the HTTP body; kept what was read",
            ));
            return out;
        };
        first = false;
        i += nl + 1;
        if size == 0 {
            return out;
        }
        let end = i.saturating_add(size);
        match body.get(i..end) {
            Some(chunk) => out.extend_from_slice(chunk),
            None => {
                out.extend_from_slice(body.get(i..).unwrap_or_default());
                diagnostics.push(Diagnostic::warning(
                    STAGE,
                    "truncated chunked HTTP body; kept what was read",
                ));
                return out;
            }
        }
        i = end;
        // CRLF after the chunk.
        if body.get(i) == Some(&b'\r') {
            i += 1;
        }
        if body.get(i) == Some(&b'\n') {
            i += 1;
        }
    }
    if first {
        return body.to_vec();
    }
    diagnostics.push(Diagnostic::warning(
        STAGE,
        "chunked HTTP body without its last chunk",
    ));
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use std::io::{Cursor, Write};

    /// A WARC record with the given type, headers and block.
    pub(crate) fn record(wtype: &str, extra: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {wtype}\r\nWARC-Record-ID: <urn:uuid:{wtype}-{}>\r\n{extra}Content-Length: {}\r\n\r\n",
            block.len(),
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    pub(crate) fn response(url: &str, http_headers: &str, body: &[u8]) -> Vec<u8> {
        let mut block = format!("HTTP/1.1 200 OK\r\n{http_headers}\r\n").into_bytes();
        block.extend_from_slice(body);
        record(
            "response",
            &format!(
                "WARC-Target-URI: {url}\r\nWARC-Date: 2025-08-14T03:04:05Z\r\nContent-Type: application/http; msgtype=response\r\n"
            ),
            &block,
        )
    }

    pub(crate) fn page(text: &str) -> String {
        format!("<html><head><title>t</title></head><body><p>{text}</p></body></html>")
    }

    fn read(bytes: Vec<u8>) -> Vec<Result<RawDoc>> {
        WarcReader::new(
            Box::new(Cursor::new(bytes)),
            "x.warc".into(),
            false,
            &ReadOptions::default(),
        )
        .collect()
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        let _ = e.write_all(data);
        e.finish().unwrap_or_default()
    }

    #[test]
    fn response_records_become_documents() {
        let mut w = record(
            "warcinfo",
            "Content-Type: application/warc-fields\r\n",
            b"software: test\r\n",
        );
        w.extend(record(
            "request",
            "WARC-Target-URI: https://example.org/a\r\n",
            b"GET /a HTTP/1.1\r\n\r\n",
        ));
        w.extend(response(
            "https://example.org/a",
            "Content-Type: text/html; charset=windows-1252\r\n",
            b"<html><body><p>Noticia de Espa\xF1a</p></body></html>",
        ));
        // Non-HTML and non-200 responses are skipped.
        w.extend(response(
            "https://example.org/i.png",
            "Content-Type: image/png\r\n",
            b"\x89PNG\0\0",
        ));
        let mut notfound = b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n".to_vec();
        notfound.extend_from_slice(page("nope").as_bytes());
        w.extend(record(
            "response",
            "WARC-Target-URI: https://example.org/404\r\n",
            &notfound,
        ));
        let docs = read(w);
        assert_eq!(docs.len(), 1, "{docs:?}");
        let Ok(d) = &docs[0] else { panic!("{docs:?}") };
        assert_eq!(d.source.format, "warc");
        assert_eq!(d.source.url.as_deref(), Some("https://example.org/a"));
        assert!(d.body.contains("Noticia de España"), "{}", d.body);
        assert_eq!(d.date.as_deref(), Some("2025-08-14"));
        assert!(d
            .source
            .meta
            .get("warc_record_id")
            .and_then(Value::as_str)
            .is_some_and(|id| id.starts_with("<urn:uuid:response-")));
        assert!(d
            .diagnostics
            .iter()
            .any(|x| x.message.contains("WARC-Date")));
    }

    #[test]
    fn chunked_and_gzip_bodies() {
        let html = page("Cuerpo comprimido y troceado");
        let gz = gzip(html.as_bytes());
        let mut chunked = Vec::new();
        for part in gz.chunks(7) {
            chunked.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
            chunked.extend_from_slice(part);
            chunked.extend_from_slice(b"\r\n");
        }
        chunked.extend_from_slice(b"0\r\n\r\n");
        let w = response(
            "https://example.org/c",
            "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
            &chunked,
        );
        let docs = read(w);
        assert!(
            matches!(&docs[..], [Ok(d)] if d.body.contains("Cuerpo comprimido y troceado")),
            "{docs:?}"
        );
    }

    #[test]
    fn headers_kept_but_body_already_decoded() {
        let w = response(
            "https://example.org/d",
            "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
            page("Ya decodificado").as_bytes(),
        );
        let docs = read(w);
        assert!(
            matches!(&docs[..], [Ok(d)] if d.body.contains("Ya decodificado")),
            "{docs:?}"
        );
    }

    #[test]
    fn malformed_record_then_good_one() {
        // Bad Content-Length: the reader resynchronises on the next WARC/ line.
        let mut w = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: lots\r\n\r\ngarbage\r\nmore garbage\r\n\r\n".to_vec();
        let bad_len = w.len();
        w.extend(response(
            "https://example.org/good",
            "Content-Type: text/html\r\n",
            page("Registro bueno").as_bytes(),
        ));
        // Garbage where a record should start.
        w.extend_from_slice(b"this is not a record\r\n");
        w.extend(response(
            "https://example.org/good2",
            "Content-Type: text/html\r\n",
            page("Otro bueno").as_bytes(),
        ));
        let docs = read(w);
        assert_eq!(docs.len(), 4, "{docs:?}");
        assert!(
            matches!(&docs[0], Err(Error::Format { path, message }) if path == "x.warc" && message.contains("offset 0"))
        );
        assert!(matches!(&docs[1], Ok(d) if d.body.contains("Registro bueno")));
        assert!(
            matches!(&docs[2], Err(Error::Format { message, .. }) if message.contains("not a record"))
        );
        assert!(matches!(&docs[3], Ok(d) if d.body.contains("Otro bueno")));
        // The good record's offset is reported in meta.
        assert!(
            matches!(&docs[1], Ok(d) if d.source.meta.get("warc_offset") == Some(&Value::from(bad_len as u64)))
        );
    }

    #[test]
    fn bad_header_line_with_known_length_is_skipped() {
        let mut w = record(
            "response",
            "this line has no colon\r\n",
            b"HTTP/1.1 200 OK\r\n\r\n<p>x</p>",
        );
        w.extend(response(
            "https://example.org/ok",
            "Content-Type: text/html\r\n",
            page("Sigue").as_bytes(),
        ));
        let docs = read(w);
        assert_eq!(docs.len(), 2, "{docs:?}");
        assert!(
            matches!(&docs[0], Err(Error::Format { message, .. }) if message.contains("bad header"))
        );
        assert!(matches!(&docs[1], Ok(d) if d.body.contains("Sigue")));
    }

    #[test]
    fn content_length_past_the_end() {
        let mut w = response(
            "https://example.org/a",
            "Content-Type: text/html\r\n",
            page("Primero").as_bytes(),
        );
        w.extend_from_slice(
            b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 9999\r\n\r\nHTTP/1.1 200 OK\r\n\r\nshort",
        );
        let docs = read(w);
        assert_eq!(docs.len(), 2, "{docs:?}");
        assert!(docs[0].is_ok());
        assert!(
            matches!(&docs[1], Err(Error::Format { message, .. }) if message.contains("past the end"))
        );
    }

    #[test]
    fn truncated_header_and_junk_end() {
        let docs = read(b"WARC/1.0\r\nWARC-Type: response\r\n".to_vec());
        assert!(
            matches!(&docs[..], [Err(Error::Format { message, .. })] if message.contains("truncated"))
        );
        let docs = read(b"\r\n\r\n".to_vec());
        assert!(docs.is_empty());
        let docs = read(vec![b'x'; 200_000]);
        assert_eq!(docs.len(), 1);
    }

    #[test]
    fn dechunk_edge_cases() {
        let mut d = Vec::new();
        assert_eq!(dechunk(b"5\r\nhello\r\n0\r\n\r\n", &mut d), b"hello");
        assert!(d.is_empty());
        assert_eq!(dechunk(b"ffffffffffffffff\r\nab", &mut d), b"ab");
        assert_eq!(dechunk(b"<html>", &mut d), b"<html>");
        assert_eq!(dechunk(b"", &mut d), b"");
    }

    #[test]
    fn http_parsing() {
        assert!(parse_http(b"garbage").is_err());
        assert!(parse_http(b"HTTP/1.1 abc\r\n\r\n").is_err());
        let r = parse_http(b"HTTP/1.0 200 OK\nContent-Type: text/html\n\nbody");
        assert!(
            matches!(r, Ok(ref r) if r.status == 200 && r.body == b"body" && r.header("content-type") == Some("text/html"))
        );
    }
}
