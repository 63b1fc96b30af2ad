//! The HTTP API: every operation of /openapi.json is exercised here, and the
//! write endpoint's refusals (no token, wrong token, body too large, writes
//! disabled). Servers listen on 127.0.0.1 with a port the OS picks; every
//! request has a timeout.

mod common;

use common::dateline;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const FIXTURE: &str = "tests/fixtures/store/events-v1.jsonl";
const TOKEN: &str = "test-token-123";
const MAX_BODY: usize = 64 * 1024;

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(data: &Path, token: Option<&str>) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dateline"));
    cmd.args(["serve", "--quiet", "--addr", "127.0.0.1:0", "--data"])
        .arg(data)
        .args(["--max-body-bytes", &MAX_BODY.to_string()])
        .env_remove("DATELINE_TOKEN")
        .current_dir(common::root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(t) = token {
        cmd.args(["--token", t]);
    }
    let mut child = cmd.spawn().expect("spawn dateline serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("server prints its URL");
    // "dateline: serving http://127.0.0.1:PORT/ (store: ...)"
    let port = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no URL in {line:?}"));
    Server { child, port }
}

struct Resp {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

impl Resp {
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(i) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(String::from_utf8_lossy(&b[..i]).trim(), 16).unwrap_or(0);
        if size == 0 || b.len() < i + 2 + size {
            return out;
        }
        out.extend_from_slice(&b[i + 2..i + 2 + size]);
        b = &b[(i + 4 + size).min(b.len())..];
    }
}

/// One HTTP/1.1 request on a fresh connection to 127.0.0.1.
fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    s.set_write_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).expect("write head");
    // the server may refuse (and close) before reading a large body
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("status code");
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Resp {
        status,
        headers: head,
        body,
    }
}

fn get(port: u16, path: &str) -> Resp {
    request(port, "GET", path, &[], b"")
}

fn store_with_fixture() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("store");
    let out = dateline(&[
        "ingest",
        "--quiet",
        "--data",
        &data.to_string_lossy(),
        "examples/seed-article.txt",
        FIXTURE,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (tmp, data)
}

fn assert_error(r: &Resp, status: u16) {
    assert_eq!(r.status, status, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    assert_eq!(v["error"]["status"], status);
    assert!(v["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
}

/// Checks one operation of the OpenAPI document against the live server.
fn exercise(port: u16, op: &str) {
    match op {
        "openapi" => {
            let r = get(port, "/openapi.json");
            assert_eq!(r.status, 200);
            assert!(r.json()["paths"].is_object());
        }
        "health" => {
            let v = get(port, "/api/health").json();
            assert_eq!(v["status"], "ok");
            assert_eq!(v["counts"]["documents"], 4);
            // ten fixture events, plus those the pipeline finds in the seed article
            assert!(
                v["counts"]["events"].as_i64().is_some_and(|n| n >= 10),
                "{v}"
            );
        }
        "listDocuments" => {
            let v = get(port, "/api/documents?lang=es&limit=10").json();
            let docs = v["documents"].as_array().expect("documents");
            assert_eq!(docs.len(), 3);
            assert!(docs.iter().all(|d| d["lang"] == "es"));
            let v = get(port, "/api/documents?from=2025-08-14&to=2025-08-15").json();
            assert_eq!(v["documents"].as_array().map(Vec::len), Some(2));
            assert_error(&get(port, "/api/documents?limit=many"), 400);
        }
        "getDocument" => {
            let list = get(port, "/api/search?q=Pyongyang&lang=en").json();
            let id = list["hits"][0]["id"].as_str().expect("an id").to_string();
            let doc = get(port, &format!("/api/documents/{id}")).json();
            assert_eq!(doc["schema"], "dateline.doc/v1");
            assert_eq!(doc["entities"].as_array().map(Vec::len), Some(6));
            assert_eq!(doc["events"].as_array().map(Vec::len), Some(4));
            assert_eq!(doc["timexes"].as_array().map(Vec::len), Some(3));
            assert_error(&get(port, "/api/documents/does-not-exist"), 404);
        }
        "ingestDocuments" => {
            let doc = serde_json::json!({
                "title": "Test article about Ouagadougou",
                "text": "A meeting was held in Ouagadougou on Monday. Officials talked for hours.",
                "date": "2025-09-01",
                "url": "https://example.org/test/ouaga",
                "lang": "en"
            })
            .to_string();
            let auth = format!("Bearer {TOKEN}");
            let r = request(
                port,
                "POST",
                "/api/documents",
                &[
                    ("Authorization", &auth),
                    ("Content-Type", "application/json"),
                ],
                doc.as_bytes(),
            );
            assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
            assert_eq!(r.json()["inserted"], 1);
            // the document is searchable at once; posting it again changes nothing
            let s = get(port, "/api/search?q=ouagadougou").json();
            assert_eq!(s["total"], 1);
            let again = request(
                port,
                "POST",
                "/api/documents",
                &[("Authorization", &auth)],
                doc.as_bytes(),
            );
            assert_eq!(again.status, 200);
            assert_eq!(again.json()["skipped"], 1);
            // refusals
            let no_token = request(port, "POST", "/api/documents", &[], doc.as_bytes());
            assert_error(&no_token, 401);
            assert!(no_token
                .headers
                .to_ascii_lowercase()
                .contains("www-authenticate: bearer"));
            let wrong = request(
                port,
                "POST",
                "/api/documents",
                &[("Authorization", "Bearer nope")],
                doc.as_bytes(),
            );
            assert_error(&wrong, 401);
            let big = vec![b' '; MAX_BODY + 1];
            let r = request(
                port,
                "POST",
                "/api/documents",
                &[("Authorization", &auth)],
                &big,
            );
            assert_error(&r, 413);
            let r = request(
                port,
                "POST",
                "/api/documents",
                &[("Authorization", &auth)],
                b"{not json",
            );
            assert_error(&r, 400);
            assert_eq!(get(port, "/api/health").json()["counts"]["documents"], 5);
        }
        "search" => {
            let v = get(port, "/api/search?q=PUT%C3%8DN&limit=10").json();
            assert_eq!(v["total"], 4);
            let hit = &v["hits"][0];
            assert!(hit["snippet_html"]
                .as_str()
                .is_some_and(|s| s.contains("<mark>")));
            assert!(hit["snippet"]
                .as_str()
                .is_some_and(|s| !s.contains('\u{E000}')));
            let v = get(port, "/api/search?q=Putin&lang=en").json();
            assert_eq!(v["total"], 1);
            assert_error(&get(port, "/api/search"), 400);
            assert_error(&get(port, "/api/search?q=%22%22"), 400);
        }
        "listEvents" => {
            // six in the fixture, more from the seed article's own events
            let v = get(port, "/api/events?either=putin").json();
            let evs = v["events"].as_array().cloned().unwrap_or_default();
            assert!(evs.len() >= 6, "{v}");
            for e in &evs {
                let names = format!("{} {}", e["actor"], e["recipient"]);
                assert!(names.contains("Putin"), "{e}");
            }
            let v = get(port, "/api/events?actor=kim&type=THREATEN").json();
            let e = &v["events"][0];
            assert_eq!(e["recipient"], "South Korea"); // one entity (Q884), its first name
            assert_eq!(
                e["sentence"],
                "El líder norcoreano Kim Jong Un advirtió el miércoles a Corea del Sur de que responderá a las maniobras militares."
            );
            let v = get(port, "/api/events?quad=4&modality=future&from=2025-08&to=2025-08&lang=es&source=zelenski&recipient=kremlin").json();
            assert_eq!(v["events"].as_array().map(Vec::len), Some(1));
            assert_error(&get(port, "/api/events?quad=x"), 400);
        }
        "listEntities" => {
            let v = get(port, "/api/entities?name=putin").json();
            assert_eq!(v["entities"][0]["qid"], "Q7747");
            assert_eq!(v["entities"][0]["documents"], 4);
        }
        "timeline" => {
            let v = get(port, "/api/timeline").json();
            let total: i64 = v["rows"]
                .as_array()
                .map(|r| r.iter().filter_map(|x| x["count"].as_i64()).sum())
                .unwrap_or(0);
            // ten fixture events, plus those the pipeline finds in the seed article
            assert!(total >= 10, "{v}");
            let v = get(port, "/api/timeline?group=dyad&actor=putin").json();
            assert!(v["rows"]
                .as_array()
                .is_some_and(|r| r.iter().any(|x| x["key"] == "Vladimir Putin → Kim Jong Un")));
            assert_error(&get(port, "/api/timeline?group=weekly"), 400);
        }
        "actorGraph" => {
            let v = get(port, "/api/graph?limit=50").json();
            assert_eq!(v["edges"][0]["source"], "Vladimir Putin");
            assert_eq!(v["edges"][0]["target"], "Kim Jong Un");
            assert!(
                v["edges"][0]["count"].as_i64().is_some_and(|c| c >= 2),
                "{v}"
            );
            assert!(v["nodes"].as_array().is_some_and(|n| n.len() >= 7), "{v}");
        }
        other => panic!("operation {other} of /openapi.json has no test: add one"),
    }
}

#[test]
fn every_openapi_operation_works() {
    let (_tmp, data) = store_with_fixture();
    let server = serve(&data, Some(TOKEN));
    let port = server.port;
    let spec = get(port, "/openapi.json").json();
    let mut ops = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let id = op["operationId"].as_str().expect("operationId").to_string();
            ops.push((path.clone(), method.clone(), id));
        }
    }
    assert!(ops.len() >= 10, "{ops:?}");
    // reads first, the write last (it changes the counts)
    ops.sort_by_key(|o| o.1 == "post");
    for (path, method, id) in &ops {
        eprintln!("exercising {method} {path} ({id})");
        exercise(port, id);
    }
}

#[test]
fn errors_ui_and_disabled_writes() {
    let (_tmp, data) = store_with_fixture();
    let server = serve(&data, None);
    let port = server.port;
    // without a token configured, writes are refused outright
    let r = request(
        port,
        "POST",
        "/api/documents",
        &[("Authorization", "Bearer x")],
        b"{}",
    );
    assert_error(&r, 403);
    assert_error(&get(port, "/api/nothing-here"), 404);
    assert_error(&request(port, "DELETE", "/api/events", &[], b""), 405);
    // the UI is served by the same binary
    let r = get(port, "/");
    assert_eq!(r.status, 200);
    assert!(r.headers.to_ascii_lowercase().contains("text/html"));
    assert!(String::from_utf8_lossy(&r.body).contains("app.js"));
    let js = get(port, "/app.js");
    assert_eq!(js.status, 200);
    assert!(String::from_utf8_lossy(&js.body).contains("selectEvent"));
    assert_error(&get(port, "/no-such-page.html"), 404);
}
