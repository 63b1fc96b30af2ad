//! dateline-read: turns files and streams into [`RawDoc`]s.
//!
//! Design choice: one pipeline for every input. A file is size-checked, its
//! bytes go through a limit guard, then through a gzip decoder when they
//! start with the gzip magic (whatever the name), then through a second
//! guard on the decompressed size; the format is taken from `--format`, the
//! extension, or the first 8 KiB of content. Streaming formats (JSONL, WARC)
//! are read item by item from that stream, so memory stays bounded by the
//! largest item; dateline/plain text, HTML and feeds are read whole (under
//! the limits). Problems inside one document become diagnostics; problems
//! that lose a record or the rest of an input become `Err` items, and the
//! iterator goes on when the format allows. Nothing here panics on input.
//!
//! Empty inputs (no bytes, or only white space) give no document.

mod dateline;
mod dates;
mod decode;
mod feed;
mod html;
mod inputs;
mod jsonl;
mod limit;
mod warc;

pub use dateline::{parse_dateline, DatelineHeader};
pub use dates::normalize_date;
pub use decode::{decode, looks_binary};
pub use html::html_to_text;
pub use inputs::expand_inputs;

use dateline::TextMode;
use dateline_core::RawDoc;
use limit::{map_io, LimitKind, Limited};
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Errors that stop a whole input (a file that cannot be opened, a limit hit).
/// Problems inside one document become diagnostics instead.
#[derive(Debug, Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: input is {size} bytes, over the limit of {limit} (raise it with --max-input-bytes)")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: decompressed data exceeds the limit of {limit} bytes (raise it with --max-decompressed-bytes)")]
    DecompressedTooLarge { path: String, limit: u64 },
    #[error("{path}: {message}")]
    Format { path: String, message: String },
    #[error("{pattern}: {message}")]
    Pattern { pattern: String, message: String },
}

pub type Result<T> = std::result::Result<T, Error>;

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// First line ` date YYYY-MM-DD Title`, body after.
    Dateline,
    /// Plain text without a dateline.
    Text,
    Jsonl,
    Html,
    /// RSS 2.0 or Atom.
    Feed,
    Warc,
}

/// Options shared by all readers.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Largest input file (compressed size) accepted.
    pub max_input_bytes: u64,
    /// Largest decompressed size of one input accepted.
    pub max_decompressed_bytes: u64,
    /// Date given by the user for inputs that carry none (`--date`).
    pub default_date: Option<String>,
    /// Force a format instead of detecting it.
    pub format: Option<Format>,
    pub html: dateline_html::Options,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_input_bytes: 256 << 20,
            max_decompressed_bytes: 1 << 30,
            default_date: None,
            format: None,
            html: dateline_html::Options::default(),
        }
    }
}

/// One input named on the command line, after expansion.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Format {
    /// The name used on the command line (`--format`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Dateline => "dateline",
            Format::Text => "text",
            Format::Jsonl => "jsonl",
            Format::Html => "html",
            Format::Feed => "feed",
            Format::Warc => "warc",
        }
    }

    /// Parses a `--format` name (`rss` and `atom` mean `feed`, `ndjson`
    /// means `jsonl`, `txt` means `text`).
    pub fn from_name(name: &str) -> Option<Format> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "dateline" => Format::Dateline,
            "text" | "txt" | "plain" => Format::Text,
            "jsonl" | "ndjson" => Format::Jsonl,
            "html" | "htm" => Format::Html,
            "feed" | "rss" | "atom" | "xml" => Format::Feed,
            "warc" => Format::Warc,
            _ => return None,
        })
    }
}

/// The format an extension stands for (after any `.gz`), if known.
fn format_from_name(name: &str) -> Option<Format> {
    let ext = name.rsplit_once('.')?.1;
    Some(match ext {
        "txt" | "text" => Format::Text,
        "jsonl" | "ndjson" => Format::Jsonl,
        "html" | "htm" | "xhtml" => Format::Html,
        "xml" | "rss" | "atom" => Format::Feed,
        "warc" => Format::Warc,
        _ => return None,
    })
}

/// Guesses the format from the first bytes of (decompressed) content.
fn sniff_format(head: &[u8]) -> Format {
    let text = String::from_utf8_lossy(&head[..head.len().min(4096)]);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with("WARC/") {
        return Format::Warc;
    }
    if t.starts_with('{') {
        return Format::Jsonl;
    }
    if t.starts_with('<') {
        match first_element(t).as_deref() {
            Some("rss" | "feed" | "rdf:rdf") => return Format::Feed,
            Some("html") => return Format::Html,
            _ if html::looks_like_html(t) => return Format::Html,
            _ => {}
        }
    }
    Format::Text
}

/// The lowercased name of the first element of an XML/HTML text, skipping
/// the XML declaration, processing instructions, comments and doctype
/// (`<!DOCTYPE html>` counts as `html`).
fn first_element(t: &str) -> Option<String> {
    let mut rest = t;
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<!--") {
            rest = &r[r.find("-->")? + 3..];
        } else if let Some(r) = rest.strip_prefix("<?") {
            rest = &r[r.find("?>")? + 2..];
        } else if let Some(r) = rest.strip_prefix("<!") {
            if r.get(..12)
                .is_some_and(|d| d.eq_ignore_ascii_case("doctype html"))
            {
                return Some("html".to_string());
            }
            rest = &r[r.find('>')? + 1..];
        } else if let Some(r) = rest.strip_prefix('<') {
            let name: String = r
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, ':' | '-' | '_'))
                .collect();
            return (!name.is_empty()).then(|| name.to_lowercase());
        } else {
            return None;
        }
    }
}

/// A reader that returns a stored error once, then end of stream.
struct FailAfter(Option<std::io::Error>);

impl Read for FailAfter {
    fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

type DocIter<'a> = Box<dyn Iterator<Item = Result<RawDoc>> + Send + 'a>;

fn one_err<'a>(e: Error) -> DocIter<'a> {
    Box::new(std::iter::once(Err(e)))
}

/// The common pipeline: optional gzip, limits, format detection, dispatch.
/// `reader` must already be guarded by the input-size limit.
fn read_stream<'a>(
    reader: Box<dyn Read + Send + 'a>,
    path: String,
    name: &Path,
    opts: &ReadOptions,
) -> DocIter<'a> {
    let mut buffered = BufReader::with_capacity(64 * 1024, reader);
    let magic = match buffered.fill_buf() {
        Ok(b) => b.starts_with(&[0x1f, 0x8b]),
        Err(e) => return one_err(map_io(&path, e, false)),
    };
    let mut lower_name = name
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if let Some(stripped) = lower_name.strip_suffix(".gz") {
        lower_name = stripped.to_string();
    }
    let mut stream: Box<dyn Read + Send + 'a> = if magic {
        Box::new(Limited::new(
            flate2::bufread::MultiGzDecoder::new(buffered),
            opts.max_decompressed_bytes,
            LimitKind::Decompressed,
        ))
    } else {
        Box::new(buffered)
    };

    // The first 8 KiB, for sniffing. A read error (e.g. a short gzip
    // stream) is replayed after the bytes read, so that streaming readers
    // still yield what came before it.
    let mut head = Vec::with_capacity(8192);
    let head_err = (&mut stream).take(8192).read_to_end(&mut head).err();
    if head.is_empty() {
        if let Some(e) = head_err {
            return one_err(map_io(&path, e, magic));
        }
    }
    let (format, mode) = match opts.format {
        Some(Format::Text) => (Format::Text, TextMode::Plain),
        Some(Format::Dateline) => (Format::Text, TextMode::Dateline),
        Some(f) => (f, TextMode::Auto),
        None => (
            format_from_name(&lower_name).unwrap_or_else(|| sniff_format(&head)),
            TextMode::Auto,
        ),
    };
    if head.is_empty() {
        return Box::new(std::iter::empty());
    }
    // Streaming readers refuse binary content up front; whole-input readers
    // check it after reading (so that a compressed bomb of zeros reports
    // the size limit rather than "binary").
    if format == Format::Jsonl && looks_binary(&head) {
        return one_err(Error::Format {
            path,
            message: "binary content, not text".to_string(),
        });
    }
    let rest: Box<dyn Read + Send + 'a> = match head_err {
        Some(e) => Box::new(FailAfter(Some(e))),
        None => stream,
    };
    let full: Box<dyn BufRead + Send + 'a> = Box::new(BufReader::with_capacity(
        64 * 1024,
        Cursor::new(head).chain(rest),
    ));

    match format {
        Format::Jsonl => Box::new(jsonl::JsonlReader::new(full, path, magic, opts)),
        Format::Warc => Box::new(warc::WarcReader::new(full, path, magic, opts)),
        Format::Text | Format::Dateline | Format::Html | Format::Feed => {
            let mut full = full;
            let bytes = match limit::read_all(&mut full, &path, magic) {
                Ok(b) => b,
                Err(e) => return one_err(e),
            };
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Box::new(std::iter::empty());
            }
            if looks_binary(&bytes) {
                return one_err(Error::Format {
                    path,
                    message: "binary content, not text".to_string(),
                });
            }
            let docs = match format {
                Format::Html => match html::html_doc(&bytes, &path, None, "html", opts) {
                    Ok(mut d) => {
                        dateline::fill_date(&mut d.date, &mut d.diagnostics, opts, "page");
                        vec![Ok(d)]
                    }
                    Err(e) => vec![Err(e)],
                },
                Format::Feed => {
                    let charset = html::sniff_meta_charset(&bytes);
                    let (xml, diags) = decode(&bytes, charset.as_deref());
                    let mut docs = feed::read_feed(&xml, &path, opts);
                    for d in docs.iter_mut().flatten() {
                        d.diagnostics.splice(0..0, diags.iter().cloned());
                    }
                    docs
                }
                _ => dateline::read_text(&bytes, &path, mode, opts),
            };
            Box::new(docs.into_iter())
        }
    }
}

/// Reads a whole unsized stream (stdin) under `max_input_bytes`, then reads
/// it as an input named `-` with its format sniffed.
fn read_whole_stream(r: impl Read, opts: &ReadOptions) -> DocIter<'static> {
    let mut limited = Limited::new(r, opts.max_input_bytes, LimitKind::Input);
    let mut bytes = Vec::new();
    if let Err(e) = limited.read_to_end(&mut bytes) {
        return one_err(map_io("-", e, false));
    }
    read_stream(
        Box::new(Cursor::new(bytes)),
        "-".to_string(),
        Path::new("-"),
        opts,
    )
}

/// Reads one input into documents. An `Err` item means that the input (or
/// the rest of it, or one record of it) could not be read; `Ok` documents
/// may carry diagnostics. Stdin is read whole (up to `max_input_bytes`) and
/// its format sniffed.
pub fn read_input(
    input: &Input,
    opts: &ReadOptions,
) -> Box<dyn Iterator<Item = Result<RawDoc>> + Send> {
    match input {
        Input::Stdin => read_whole_stream(std::io::stdin().lock(), opts),
        Input::File(p) => {
            let path = p.display().to_string();
            let io_err = |e| Error::Io {
                path: path.clone(),
                source: e,
            };
            let file = match std::fs::File::open(p) {
                Ok(f) => f,
                Err(e) => return one_err(io_err(e)),
            };
            match file.metadata() {
                Ok(m) if m.is_dir() => {
                    return one_err(Error::Format {
                        path,
                        message: "is a directory (use expand_inputs)".to_string(),
                    })
                }
                Ok(m) if m.len() > opts.max_input_bytes => {
                    return one_err(Error::TooLarge {
                        path,
                        size: m.len(),
                        limit: opts.max_input_bytes,
                    })
                }
                Ok(_) => {}
                Err(e) => return one_err(io_err(e)),
            }
            let reader = Limited::new(file, opts.max_input_bytes, LimitKind::Input);
            read_stream(Box::new(reader), path, &PathBuf::from(p), opts)
        }
    }
}

/// Reads documents from bytes already in memory; `name` is used as the
/// source path and for format detection.
pub fn read_bytes(bytes: &[u8], name: &Path, opts: &ReadOptions) -> Vec<Result<RawDoc>> {
    let path = name.display().to_string();
    if bytes.len() as u64 > opts.max_input_bytes {
        return vec![Err(Error::TooLarge {
            path,
            size: bytes.len() as u64,
            limit: opts.max_input_bytes,
        })];
    }
    read_stream(Box::new(bytes), path, name, opts).collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A temporary directory removed on drop (no extra dependency).
    pub(crate) struct TempDir(PathBuf);

    impl TempDir {
        pub fn new(tag: &str) -> TempDir {
            static N: AtomicUsize = AtomicUsize::new(0);
            let p = std::env::temp_dir().join(format!(
                "dateline-read-{tag}-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = std::fs::remove_dir_all(&p);
            let _ = std::fs::create_dir_all(&p);
            TempDir(p)
        }
        pub fn path(&self) -> &Path {
            &self.0
        }
        pub fn write(&self, rel: &str, data: &[u8]) -> PathBuf {
            let p = self.0.join(rel);
            if let Some(parent) = p.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let _ = std::fs::write(&p, data);
            p
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    use dateline_core::Level;
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        let _ = e.write_all(data);
        e.finish().unwrap_or_default()
    }

    fn docs_of(bytes: &[u8], name: &str, opts: &ReadOptions) -> Vec<Result<RawDoc>> {
        read_bytes(bytes, Path::new(name), opts)
    }

    fn only_doc(v: Vec<Result<RawDoc>>) -> RawDoc {
        match <[_; 1]>::try_from(v) {
            Ok([Ok(d)]) => d,
            other => panic!("expected one document, got {other:?}"),
        }
    }

    fn file_docs(path: &Path, opts: &ReadOptions) -> Vec<Result<RawDoc>> {
        read_input(&Input::File(path.to_path_buf()), opts).collect()
    }

    #[test]
    fn seed_article_reads_as_dateline() {
        let seed =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed/seed-article.txt");
        let Ok(bytes) = std::fs::read(&seed) else {
            eprintln!("seed article not present; skipped");
            return;
        };
        let d = only_doc(file_docs(&seed, &ReadOptions::default()));
        assert_eq!(d.source.format, "dateline");
        assert_eq!(d.date.as_deref(), Some("2025-08-13"));
        assert!(d
            .title
            .as_deref()
            .is_some_and(|t| t.starts_with("Vladimir Putin")));
        assert!(!d.body.starts_with('\n'));
        assert!(d.body.len() < bytes.len());
        assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
    }

    #[test]
    fn txt_extension_dateline_or_text() {
        let d = only_doc(docs_of(
            b"date 2025-08-13 Titular\n\nCuerpo.",
            "a.txt",
            &ReadOptions::default(),
        ));
        assert_eq!(d.source.format, "dateline");
        assert_eq!(d.source.path.as_deref(), Some("a.txt"));
        let d = only_doc(docs_of(
            b"Cuerpo sin fecha.",
            "a.txt",
            &ReadOptions::default(),
        ));
        assert_eq!(d.source.format, "text");
        assert_eq!(d.date, None);
    }

    #[test]
    fn sniffing_unknown_extensions() {
        let o = ReadOptions::default();
        assert_eq!(
            only_doc(docs_of(b"{\"text\":\"x\"}\n", "dump", &o))
                .source
                .format,
            "jsonl"
        );
        assert_eq!(
            only_doc(docs_of(
                b"<!DOCTYPE html><html><body><p>Hola.</p></body></html>",
                "page",
                &o
            ))
            .source
            .format,
            "html"
        );
        assert_eq!(
            only_doc(docs_of(b"<?xml version=\"1.0\"?><rss><channel><item><description>d</description></item></channel></rss>", "f.dat", &o))
                .source
                .format,
            "rss"
        );
        assert_eq!(
            only_doc(docs_of(b" date 2025-01-02 T\nB", "noext", &o))
                .source
                .format,
            "dateline"
        );
        assert_eq!(
            only_doc(docs_of(b"hello", "noext", &o)).source.format,
            "text"
        );
        assert!(docs_of(
            b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n",
            "x.bin",
            &o
        )
        .is_empty());
    }

    #[test]
    fn first_element_names() {
        assert_eq!(
            first_element("<?xml version='1.0'?>\n<!-- c --><rss version='2.0'>").as_deref(),
            Some("rss")
        );
        assert_eq!(first_element("<!DOCTYPE html><p>").as_deref(), Some("html"));
        assert_eq!(
            first_element("<!DOCTYPE feed><feed>").as_deref(),
            Some("feed")
        );
        assert_eq!(
            first_element("<rdf:RDF xmlns:rdf='x'>").as_deref(),
            Some("rdf:rdf")
        );
        assert_eq!(first_element("<!-- never closed"), None);
        assert_eq!(first_element("text"), None);
        // A feed whose items carry HTML is still a feed.
        let xml = b"<?xml version=\"1.0\"?><rss><channel><item><description><![CDATA[<html><body><p>x</p></body></html>]]></description></item></channel></rss>";
        assert_eq!(sniff_format(xml), Format::Feed);
    }

    #[test]
    fn forced_format_wins() {
        let o = ReadOptions {
            format: Some(Format::Text),
            ..ReadOptions::default()
        };
        let d = only_doc(docs_of(b"{\"text\":\"x\"}", "a.jsonl", &o));
        assert_eq!(d.source.format, "text");
        assert_eq!(d.body, "{\"text\":\"x\"}");
        let o = ReadOptions {
            format: Some(Format::Jsonl),
            ..ReadOptions::default()
        };
        assert_eq!(
            only_doc(docs_of(b"{\"text\":\"x\"}", "a.txt", &o))
                .source
                .format,
            "jsonl"
        );
        assert_eq!(Format::from_name("RSS"), Some(Format::Feed));
        assert_eq!(Format::from_name(Format::Warc.name()), Some(Format::Warc));
        assert_eq!(Format::from_name("pdf"), None);
    }

    #[test]
    fn html_and_html_gz_files() {
        let t = TempDir::new("html");
        let page = b"<!doctype html><html lang=\"es\"><head><meta charset=\"iso-8859-1\"><title>P</title></head>\
            <body><article><h1>Titular</h1><p>Corea del Norte envi\xF3 tropas a Rusia, seg\xFAn la agencia.</p></article></body></html>";
        let p1 = t.write("a.html", page);
        let p2 = t.write("b.htm.gz", &gzip(page));
        for p in [p1, p2] {
            let d = only_doc(file_docs(&p, &ReadOptions::default()));
            assert_eq!(d.source.format, "html");
            assert!(
                d.body
                    .contains("Corea del Norte envió tropas a Rusia, según la agencia."),
                "{}",
                d.body
            );
        }
    }

    #[test]
    fn feed_file_with_latin1_declaration() {
        let xml = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>F</title>\
            <item><title>Espa\xF1a</title><link>https://example.org/x</link><description>Ma\xF1ana llueve.</description></item></channel></rss>";
        let d = only_doc(docs_of(xml, "f.rss", &ReadOptions::default()));
        assert_eq!(d.title.as_deref(), Some("España"));
        assert_eq!(d.body, "Mañana llueve.");
    }

    #[test]
    fn jsonl_gz_streams() {
        let mut data = Vec::new();
        for i in 0..1000 {
            data.extend_from_slice(
                format!("{{\"text\":\"doc {i}\",\"date\":\"2025-08-13\"}}\n").as_bytes(),
            );
        }
        let t = TempDir::new("jsonl");
        let p = t.write("d.jsonl.gz", &gzip(&data));
        let docs = file_docs(&p, &ReadOptions::default());
        assert_eq!(docs.len(), 1000);
        assert!(docs
            .iter()
            .all(|d| matches!(d, Ok(d) if d.date.as_deref() == Some("2025-08-13"))));
    }

    #[test]
    fn windows_1252_spanish_file() {
        let mut b = b"Corea del Norte envi".to_vec();
        b.push(0xF3);
        b.extend_from_slice(b" tropas a Rusia, seg");
        b.push(0xFA);
        b.extend_from_slice(b"n la agencia. El a");
        b.push(0xF1);
        b.extend_from_slice(b"o pasado tambi");
        b.push(0xE9);
        b.extend_from_slice(b"n.\r\n");
        let d = only_doc(docs_of(&b, "cp.txt", &ReadOptions::default()));
        assert_eq!(
            d.body,
            "Corea del Norte envió tropas a Rusia, según la agencia. El año pasado también."
        );
        assert!(d
            .diagnostics
            .iter()
            .any(|x| x.message.contains("windows-1252")));
    }

    #[test]
    fn invalid_utf8_is_replaced_and_counted() {
        let mut b = "date 2025-08-13 Título\n\nLa reunión terminó "
            .as_bytes()
            .to_vec();
        b.extend_from_slice(b"\xFF\xFE");
        b.extend_from_slice("sin acuerdo según fuentes.".as_bytes());
        let d = only_doc(docs_of(&b, "u.txt", &ReadOptions::default()));
        assert_eq!(
            d.body,
            "La reunión terminó \u{FFFD}\u{FFFD}sin acuerdo según fuentes."
        );
        assert!(d
            .diagnostics
            .iter()
            .any(|x| x.level == Level::Warning && x.message.starts_with("2 invalid UTF-8")));
    }

    #[test]
    fn utf16_file() {
        let mut b = vec![0xFF, 0xFE];
        for u in "date 2025-08-13 Título\n\nCuerpo en UTF-16.".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let d = only_doc(docs_of(&b, "w.txt", &ReadOptions::default()));
        assert_eq!(d.title.as_deref(), Some("Título"));
        assert_eq!(d.body, "Cuerpo en UTF-16.");
    }

    #[test]
    fn empty_inputs_give_no_documents() {
        let t = TempDir::new("empty");
        for name in ["e.txt", "e.jsonl", "e.html", "e.xml", "e.warc", "e"] {
            let p = t.write(name, b"");
            assert!(file_docs(&p, &ReadOptions::default()).is_empty(), "{name}");
        }
        let p = t.write("e.txt.gz", &gzip(b""));
        assert!(file_docs(&p, &ReadOptions::default()).is_empty());
        for name in ["w.txt", "w.html", "w.rss", "w.jsonl", "w.warc"] {
            let p = t.write(name, b" \r\n\n\t ");
            assert!(file_docs(&p, &ReadOptions::default()).is_empty(), "{name}");
        }
    }

    #[test]
    fn binary_file_is_an_error() {
        let t = TempDir::new("bin");
        let bin: Vec<u8> = (0..10_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
            .collect();
        for name in ["image.png", "x.txt", "x.jsonl", "x.html"] {
            let p = t.write(name, &bin);
            let docs = file_docs(&p, &ReadOptions::default());
            assert!(
                matches!(&docs[..], [Err(Error::Format { message, .. })] if message == "binary content, not text"),
                "{name}: {docs:?}"
            );
        }
    }

    #[test]
    fn fifty_megabyte_single_line() {
        let t = TempDir::new("big");
        let mut line = Vec::with_capacity(50 << 20);
        while line.len() < 50 << 20 {
            line.extend_from_slice(b"palabra ");
        }
        let p = t.write("big.txt", &line);
        let d = only_doc(file_docs(&p, &ReadOptions::default()));
        assert_eq!(d.source.format, "text");
        assert_eq!(d.body.len(), line.len() - 1); // trailing space trimmed
    }

    #[test]
    fn input_size_limit() {
        let t = TempDir::new("limit");
        let p = t.write("a.txt", &[b'a'; 2000]);
        let o = ReadOptions {
            max_input_bytes: 1000,
            ..ReadOptions::default()
        };
        let docs = file_docs(&p, &o);
        assert!(matches!(
            &docs[..],
            [Err(Error::TooLarge {
                size: 2000,
                limit: 1000,
                ..
            })]
        ));
        let docs = docs_of(&[b'a'; 2000], "a.txt", &o);
        assert!(matches!(&docs[..], [Err(Error::TooLarge { .. })]));
    }

    #[test]
    fn gzip_bomb_stops_at_the_limit() {
        // 256 MiB of zeros (or spaces) compress to about 250 KiB; the limit
        // is 1 MiB.
        let bomb = |byte: u8| {
            let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
            let block = vec![byte; 1 << 20];
            for _ in 0..256 {
                let _ = enc.write_all(&block);
            }
            enc.finish().unwrap_or_default()
        };
        let zeros = bomb(0);
        let spaces = bomb(b' ');
        assert!(zeros.len() < 2 << 20);
        let o = ReadOptions {
            max_decompressed_bytes: 1 << 20,
            ..ReadOptions::default()
        };
        for (name, data) in [
            ("zeros.txt.gz", &zeros),
            ("zeros.html.gz", &zeros),
            ("zeros.warc.gz", &zeros),
            ("bomb.txt.gz", &spaces),
            ("bomb.html.gz", &spaces),
            ("bomb.xml.gz", &spaces),
            ("bomb.warc.gz", &spaces),
            ("bomb.jsonl.gz", &spaces),
            ("bomb.gz", &spaces),
        ] {
            let started = std::time::Instant::now();
            let docs = docs_of(data, name, &o);
            assert!(
                matches!(docs.last(), Some(Err(Error::DecompressedTooLarge { limit, .. })) if *limit == 1 << 20),
                "{name}: {docs:?}"
            );
            assert!(started.elapsed().as_secs() < 10);
        }
    }

    #[test]
    fn truncated_gzip_is_an_error() {
        let data = "date 2025-08-13 T\n\n".to_string() + &"texto ".repeat(20_000);
        let gz = gzip(data.as_bytes());
        let cut = &gz[..gz.len() / 2];
        let docs = docs_of(cut, "t.txt.gz", &ReadOptions::default());
        assert!(
            matches!(&docs[..], [Err(Error::Format { message, .. })] if message.contains("gzip")),
            "{docs:?}"
        );
        // JSONL: the lines before the cut are still read.
        let mut lines = String::new();
        for i in 0..5000 {
            lines.push_str(&format!(
                "{{\"text\":\"documento número {i} {}\"}}\n",
                i * 7919
            ));
        }
        let gz = gzip(lines.as_bytes());
        let docs = docs_of(
            &gz[..gz.len() * 3 / 4],
            "t.jsonl.gz",
            &ReadOptions::default(),
        );
        assert!(docs.len() > 1);
        assert!(docs[..docs.len() - 1].iter().all(|d| d.is_ok()));
        assert!(matches!(docs.last(), Some(Err(Error::Format { .. }))));
    }

    #[test]
    fn warc_gz_multi_member_and_truncation() {
        use crate::warc::tests::{page, record, response};
        // One gzip member per record, as Common Crawl writes it.
        let mut gz = Vec::new();
        gz.extend(gzip(&record("warcinfo", "", b"software: test\r\n")));
        gz.extend(gzip(&response(
            "https://example.org/1",
            "Content-Type: text/html\r\n",
            page("Primera página").as_bytes(),
        )));
        gz.extend(gzip(&response(
            "https://example.org/2",
            "Content-Type: text/html\r\n",
            page("Segunda página").as_bytes(),
        )));
        let t = TempDir::new("warc");
        let p = t.write("cc.warc.gz", &gz);
        let docs = file_docs(&p, &ReadOptions::default());
        assert_eq!(docs.len(), 2, "{docs:?}");
        assert!(
            matches!(&docs[1], Ok(d) if d.source.url.as_deref() == Some("https://example.org/2") && d.body.contains("Segunda página"))
        );
        // Cut in the last member: the first document survives, then one error.
        let docs = docs_of(&gz[..gz.len() - 20], "cc.warc.gz", &ReadOptions::default());
        assert_eq!(docs.len(), 2, "{docs:?}");
        assert!(docs[0].is_ok());
        assert!(matches!(&docs[1], Err(Error::Format { .. })));
    }

    #[test]
    fn missing_file_is_an_error_naming_it() {
        let docs = file_docs(Path::new("/nonexistent/dir/x.txt"), &ReadOptions::default());
        assert!(
            matches!(&docs[..], [Err(Error::Io { path, .. })] if path == "/nonexistent/dir/x.txt")
        );
    }

    #[test]
    fn default_date_applies_to_html_without_date() {
        let o = ReadOptions {
            default_date: Some("2025-01-31".into()),
            ..ReadOptions::default()
        };
        let d = only_doc(docs_of(
            b"<html><body><p>Sin fecha.</p></body></html>",
            "x.html",
            &o,
        ));
        assert_eq!(d.date.as_deref(), Some("2025-01-31"));
    }

    #[test]
    fn read_input_is_send() {
        fn is_send<T: Send>(_: &T) {}
        let it = read_input(
            &Input::File(PathBuf::from("/nonexistent")),
            &ReadOptions::default(),
        );
        is_send(&it);
    }

    #[test]
    fn stdin_is_read_whole_and_sniffed() {
        let input = b"{\"text\":\"uno\"}\n{\"text\":\"dos\"}\n".to_vec();
        let docs: Vec<_> = read_whole_stream(Cursor::new(input), &ReadOptions::default()).collect();
        assert_eq!(docs.len(), 2);
        assert!(
            matches!(&docs[0], Ok(d) if d.source.path.as_deref() == Some("-") && d.source.format == "jsonl")
        );
        let o = ReadOptions {
            max_input_bytes: 10,
            ..ReadOptions::default()
        };
        let docs: Vec<_> = read_whole_stream(Cursor::new(vec![b'a'; 100]), &o).collect();
        assert!(matches!(&docs[..], [Err(Error::TooLarge { path, .. })] if path == "-"));
    }

    /// Mutated and random inputs in every format: no panic, no endless loop.
    #[test]
    fn hostile_inputs_never_panic() {
        use crate::warc::tests::{page, response};
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut rand = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let samples: Vec<Vec<u8>> = vec![
            b" date 2025-08-13 T\n\nB\xC3\xB1".to_vec(),
            b"{\"text\":\"x\",\"date\":\"2025-08-13\",\"n\":[1,{\"a\":null}]}\n{\"body\":\"y\"}".to_vec(),
            page("Texto de prueba").into_bytes(),
            b"<rss><channel><item><title>a</title><description><![CDATA[<p>b</p>]]></description></item></channel></rss>".to_vec(),
            b"<feed><entry><title>t</title><content type=\"xhtml\"><div><p>x</p></div></content></entry></feed>".to_vec(),
            response("https://example.org/", "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n", b"5\r\n<p>ab\r\n0\r\n\r\n"),
        ];
        let formats = [
            None,
            Some(Format::Dateline),
            Some(Format::Text),
            Some(Format::Jsonl),
            Some(Format::Html),
            Some(Format::Feed),
            Some(Format::Warc),
        ];
        for sample in &samples {
            for _ in 0..150 {
                let mut m = sample.clone();
                for _ in 0..(rand() % 8 + 1) {
                    if m.is_empty() {
                        break;
                    }
                    let at = (rand() as usize) % m.len();
                    match rand() % 4 {
                        0 => m[at] = rand() as u8,
                        1 => {
                            m.remove(at);
                        }
                        2 => m.insert(at, b"<>&;\r\n:0{}[]\"\\"[(rand() % 14) as usize]),
                        _ => m.truncate(at),
                    }
                }
                for f in formats {
                    let o = ReadOptions {
                        format: f,
                        ..ReadOptions::default()
                    };
                    let _ = docs_of(&m, "fuzz", &o);
                    let _ = docs_of(&gzip(&m), "fuzz.gz", &o);
                }
            }
        }
        let random: Vec<u8> = (0..20_000).map(|_| rand() as u8).collect();
        for f in formats {
            let o = ReadOptions {
                format: f,
                ..ReadOptions::default()
            };
            assert!(
                !docs_of(&random, "r", &o).iter().any(|d| d.is_ok()) || f == Some(Format::Warc)
            );
        }
    }
}
