//! Bad input, each a case: it gives a diagnostic on its document or a clear
//! error naming the file, never a panic, and the rest of the batch is still
//! processed.

mod common;
use common::*;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use std::path::Path;

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

fn write(dir: &Path, name: &str, data: &[u8]) {
    if let Err(e) = std::fs::write(dir.join(name), data) {
        panic!("writing {name}: {e}");
    }
}

#[test]
fn bad_inputs_do_not_stop_the_batch() {
    let tmp = match tempfile::tempdir() {
        Ok(t) => t,
        Err(e) => panic!("tempdir: {e}"),
    };
    let dir = tmp.path();
    write(dir, "00-good.txt", " date 2025-08-13 Una noticia de prueba\n\nEl ministro anunció ayer un plan nuevo para la región.\n".as_bytes());
    write(dir, "01-empty.txt", b"");
    let binary: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    write(dir, "02-binary.txt", &binary);
    let mut long = b" date 2025-08-13 Linea larga\n".to_vec();
    long.extend(std::iter::repeat_n(b"palabra ".as_slice(), 50 * 1024 * 1024 / 8).flatten());
    write(dir, "03-long-line.txt", &long);
    write(dir, "04-invalid-utf8.txt", b" date 2025-08-13 Titulo\n\nTexto con bytes rotos \xff\xfe aqu\xc3 y m\xc3\xa1s texto v\xc3\xa1lido despu\xc3\xa9s.\n");
    let gz = gzip(b"<html><body><article><p>Texto de un articulo que se corta a la mitad por un fichero truncado.</p></article></body></html>");
    write(dir, "05-truncated.html.gz", &gz[..gz.len() / 2]);
    write(dir, "06-malformed.warc", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999999\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<html>short</html>");
    let mut deep = "<html><body>".to_string();
    deep.push_str(&"<div>".repeat(100_000));
    deep.push_str(
        "<p>Un parrafo escondido muy adentro de la pagina con bastante texto para contar.</p>",
    );
    write(dir, "07-deep.html", deep.as_bytes());
    let bomb = gzip(&vec![0u8; 64 * 1024 * 1024]);
    write(dir, "08-bomb.html.gz", &bomb);
    write(
        dir,
        "09-good.txt",
        " date 2025-08-14 Otra noticia\n\nLa reunión terminó sin acuerdo entre las partes.\n"
            .as_bytes(),
    );

    let dir_s = dir.to_string_lossy().to_string();
    let out = dateline(&["extract", "--max-decompressed-bytes", "8000000", &dir_s]);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        out.status.code(),
        Some(1),
        "some inputs failed, so exit 1; stderr: {stderr}"
    );
    let docs = json_lines(&out);
    let path_of = |d: &serde_json::Value| d["source"]["path"].as_str().unwrap_or("").to_string();
    let has_doc = |name: &str| docs.iter().any(|d| path_of(d).ends_with(name));
    let named_on_stderr = |name: &str| stderr.lines().any(|l| l.contains(name));
    assert!(
        has_doc("00-good.txt") && has_doc("09-good.txt"),
        "good documents lost: {:?}",
        docs.iter().map(path_of).collect::<Vec<_>>()
    );
    for name in [
        "01-empty.txt",
        "02-binary.txt",
        "05-truncated.html.gz",
        "06-malformed.warc",
        "08-bomb.html.gz",
    ] {
        let diag = docs.iter().any(|d| {
            path_of(d).ends_with(name) && d["diagnostics"].as_array().is_some_and(|a| !a.is_empty())
        });
        assert!(
            diag || named_on_stderr(name),
            "{name}: neither a diagnostic nor an error naming it; stderr: {stderr}"
        );
    }
    assert!(
        named_on_stderr("08-bomb.html.gz") && stderr.contains("limit"),
        "the bomb must hit the decompression limit: {stderr}"
    );
    // the long line and the deep page are real documents
    assert!(has_doc("03-long-line.txt"));
    let deep_doc = docs.iter().find(|d| path_of(d).ends_with("07-deep.html"));
    assert!(
        deep_doc.is_some_and(|d| d["text"]
            .as_str()
            .unwrap_or("")
            .contains("Un parrafo escondido")),
        "deep page text lost"
    );
    // invalid bytes are replaced, with a diagnostic
    let bad = docs
        .iter()
        .find(|d| path_of(d).ends_with("04-invalid-utf8.txt"));
    assert!(bad.is_some_and(|d| d["text"]
        .as_str()
        .unwrap_or("")
        .contains("más texto válido")));
    assert!(bad.is_some_and(|d| d["diagnostics"].as_array().is_some_and(|a| !a.is_empty())));
}

#[test]
fn missing_file_is_a_usage_error() {
    let out = dateline(&["extract", "no/such/file.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/file.txt"));
}

#[test]
fn stdin_and_date_flag() {
    use std::process::{Command, Stdio};
    let child = Command::new(env!("CARGO_BIN_EXE_dateline"))
        .args(["extract", "--date", "2024-02-29", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        panic!("spawn")
    };
    if let Some(mut sin) = child.stdin.take() {
        let _ = sin.write_all("Sin fecha en la primera línea\n\nEl texto llega por la entrada estándar y no trae fecha.\n".as_bytes());
    }
    let out = match child.wait_with_output() {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = json_lines(&out);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["date"], "2024-02-29");
    assert_eq!(docs[0]["source"]["path"], "-");
    let bad = dateline(&[
        "extract",
        "--date",
        "2025-02-30",
        "examples/seed-article.txt",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}
