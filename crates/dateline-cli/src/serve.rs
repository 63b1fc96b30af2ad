//! `dateline serve`: the JSON API (described at `/openapi.json`) and the web
//! UI, from one binary.
//!
//! Design choice: axum on a small tokio runtime in front of the SQLite
//! store. Each query runs on a blocking thread with a read-only connection
//! from a pool (WAL lets readers run beside the one writer) and a time
//! limit enforced inside SQLite. The server binds to loopback unless told
//! otherwise; the one write endpoint needs a bearer token; request bodies
//! are capped. The UI is static files embedded in the binary (rust-embed):
//! plain JavaScript and SVG, no build step.

use crate::ingest::{self, DEFAULT_DATA};
use anyhow::{Context, Result};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use dateline_core::{DocV1, Pipeline, SCHEMA};
use dateline_read::ReadOptions;
use dateline_store::{
    DocFilter, DocTable, EventFilter, SearchQuery, Store, TimelineGroup, MARK_END, MARK_START,
};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The environment variable holding the write token when `--token` is not given.
pub const TOKEN_ENV: &str = "DATELINE_TOKEN";

const OPENAPI: &str = include_str!("openapi.json");

#[derive(rust_embed::RustEmbed)]
#[folder = "ui/"]
struct Assets;

#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on (loopback by default; port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The data folder of the store.
    #[arg(long, default_value = DEFAULT_DATA)]
    data: PathBuf,
    /// Bearer token for POST /api/documents (else from DATELINE_TOKEN; without
    /// either, writes are refused).
    #[arg(long)]
    token: Option<String>,
    /// Ingest these paths (files, folders, globs) before serving.
    #[arg(long, num_args = 1..)]
    ingest: Vec<String>,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = 16 << 20)]
    max_body_bytes: usize,
    /// Longest a query may run, in milliseconds.
    #[arg(long, default_value_t = 5000)]
    query_timeout_ms: u64,
    /// No progress bar for --ingest.
    #[arg(long, short)]
    quiet: bool,
}

pub struct AppState {
    data: PathBuf,
    readers: Mutex<Vec<Store>>,
    /// Document days and languages for filtered searches, loaded once and
    /// shared by the readers.
    table: DocTable,
    writer: Mutex<Store>,
    pipeline: Pipeline,
    token: Option<String>,
    timeout: Duration,
}

/// An error answered as JSON: `{"error": {"status": 404, "message": "..."}}`.
pub struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": {"status": self.0.as_u16(), "message": self.1}});
        let mut r = (self.0, Json(body)).into_response();
        if self.0 == StatusCode::UNAUTHORIZED {
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}

impl From<dateline_store::Error> for ApiError {
    fn from(e: dateline_store::Error) -> ApiError {
        use dateline_store::Error as E;
        match e {
            E::BadQuery(m) => ApiError(StatusCode::BAD_REQUEST, m),
            E::Timeout => ApiError(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
            other => ApiError(StatusCode::INTERNAL_SERVER_ERROR, other.to_string()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> ApiError {
        ApiError(StatusCode::BAD_REQUEST, e.body_text())
    }
}

type ApiResult<T> = std::result::Result<Json<T>, ApiError>;

/// Runs `f` on a pooled read-only connection, on a blocking thread, within
/// the query time limit.
async fn read<T: Send + 'static>(
    st: &Arc<AppState>,
    f: impl FnOnce(&mut Store) -> dateline_store::Result<T> + Send + 'static,
) -> std::result::Result<T, ApiError> {
    let st = st.clone();
    let timeout = st.timeout;
    let job = tokio::task::spawn_blocking(move || {
        let pooled = st.readers.lock().ok().and_then(|mut p| p.pop());
        let mut store = match pooled {
            Some(s) => s,
            None => Store::open_read_only_with(&st.data, &st.table)?,
        };
        store.set_time_limit(Some(timeout));
        let out = f(&mut store);
        store.set_time_limit(None);
        if let Ok(mut p) = st.readers.lock() {
            if p.len() < 64 {
                p.push(store);
            }
        }
        out
    });
    match tokio::time::timeout(timeout + Duration::from_secs(1), job).await {
        Ok(Ok(r)) => r.map_err(ApiError::from),
        Ok(Err(e)) => Err(ApiError(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("query failed: {e}"),
        )),
        Err(_) => Err(ApiError(
            StatusCode::SERVICE_UNAVAILABLE,
            "the query took longer than its time limit".to_string(),
        )),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DocsParams {
    lang: Option<String>,
    source: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SearchParams {
    q: Option<String>,
    lang: Option<String>,
    source: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EventParams {
    actor: Option<String>,
    recipient: Option<String>,
    either: Option<String>,
    #[serde(rename = "type")]
    etype: Option<String>,
    quad: Option<u8>,
    modality: Option<String>,
    from: Option<String>,
    to: Option<String>,
    source: Option<String>,
    lang: Option<String>,
    doc: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
    group: Option<String>,
}

impl EventParams {
    fn filter(&self) -> EventFilter {
        EventFilter {
            actor: self.actor.clone(),
            recipient: self.recipient.clone(),
            either: self.either.clone(),
            etype: self.etype.clone(),
            quad: self.quad,
            modality: self.modality.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            source: self.source.clone(),
            lang: self.lang.clone(),
            doc: self.doc.clone(),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EntityParams {
    name: Option<String>,
    limit: Option<usize>,
}

/// Text with the snippet marks turned into `<mark>` and the rest escaped.
fn snippet_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            MARK_START => out.push_str("<mark>"),
            MARK_END => out.push_str("</mark>"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

#[derive(Serialize)]
struct Hit {
    id: String,
    title: String,
    date: Option<String>,
    lang: Option<String>,
    source: String,
    snippet: String,
    snippet_html: String,
    score: f64,
}

async fn health(State(st): State<Arc<AppState>>) -> ApiResult<serde_json::Value> {
    let counts = read(&st, |s| s.counts()).await?;
    Ok(Json(serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "schema": SCHEMA,
        "counts": counts,
    })))
}

async fn documents(
    State(st): State<Arc<AppState>>,
    q: std::result::Result<Query<DocsParams>, QueryRejection>,
) -> ApiResult<serde_json::Value> {
    let Query(p) = q?;
    let f = DocFilter {
        lang: p.lang,
        source: p.source,
        from: p.from,
        to: p.to,
    };
    let (limit, offset) = (p.limit.unwrap_or(50), p.offset.unwrap_or(0));
    let docs = read(&st, move |s| s.documents(&f, limit, offset)).await?;
    Ok(Json(serde_json::json!({ "documents": docs })))
}

async fn document(
    State(st): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<DocV1> {
    let key = id.clone();
    match read(&st, move |s| s.document(&key)).await? {
        Some(d) => Ok(Json(d)),
        None => Err(ApiError(
            StatusCode::NOT_FOUND,
            format!("no document with id {id:?}"),
        )),
    }
}

async fn search(
    State(st): State<Arc<AppState>>,
    q: std::result::Result<Query<SearchParams>, QueryRejection>,
) -> ApiResult<serde_json::Value> {
    let Query(p) = q?;
    let Some(text) = p.q.filter(|t| !t.trim().is_empty()) else {
        return Err(ApiError(
            StatusCode::BAD_REQUEST,
            "the parameter q (what to search for) is required".to_string(),
        ));
    };
    let query = SearchQuery {
        q: text,
        filter: DocFilter {
            lang: p.lang,
            source: p.source,
            from: p.from,
            to: p.to,
        },
        limit: p.limit.unwrap_or(20),
        offset: p.offset.unwrap_or(0),
    };
    let page = read(&st, move |s| s.search(&query)).await?;
    let hits: Vec<Hit> = page
        .hits
        .into_iter()
        .map(|h| Hit {
            snippet: h
                .snippet
                .chars()
                .filter(|c| *c != MARK_START && *c != MARK_END)
                .collect(),
            snippet_html: snippet_html(&h.snippet),
            id: h.id,
            title: h.title,
            date: h.date,
            lang: h.lang,
            source: h.source,
            score: h.score,
        })
        .collect();
    Ok(Json(
        serde_json::json!({ "total": page.total, "total_exact": page.total_exact, "hits": hits }),
    ))
}

async fn events(
    State(st): State<Arc<AppState>>,
    q: std::result::Result<Query<EventParams>, QueryRejection>,
) -> ApiResult<serde_json::Value> {
    let Query(p) = q?;
    let f = p.filter();
    let (limit, offset) = (p.limit.unwrap_or(50), p.offset.unwrap_or(0));
    let rows = read(&st, move |s| s.events(&f, limit, offset)).await?;
    Ok(Json(serde_json::json!({ "events": rows })))
}

async fn entities(
    State(st): State<Arc<AppState>>,
    q: std::result::Result<Query<EntityParams>, QueryRejection>,
) -> ApiResult<serde_json::Value> {
    let Query(p) = q?;
    let name = p.name.unwrap_or_default();
    let limit = p.limit.unwrap_or(20);
    let rows = read(&st, move |s| s.entities(&name, limit)).await?;
    Ok(Json(serde_json::json!({ "entities": rows })))
}

async fn timeline(
    State(st): State<Arc<AppState>>,
    q: std::result::Result<Query<EventParams>, QueryRejection>,
) -> ApiResult<serde_json::Value> {
    let Query(p) = q?;
    let group = match p.group.as_deref().unwrap_or("type") {
        "type" => TimelineGroup::Type,
        "dyad" => TimelineGroup::Dyad,
        other => {
            return Err(ApiError(
                StatusCode::BAD_REQUEST,
                format!("group must be type or dyad, not {other:?}"),
            ))
        }
    };
    let f = p.filter();
    let rows = read(&st, move |s| s.timeline(&f, group)).await?;
    Ok(Json(serde_json::json!({ "group": group, "rows": rows })))
}

async fn graph(
    State(st): State<Arc<AppState>>,
    q: std::result::Result<Query<EventParams>, QueryRejection>,
) -> ApiResult<dateline_store::Graph> {
    let Query(p) = q?;
    let f = p.filter();
    let limit = p.limit.unwrap_or(100);
    Ok(Json(read(&st, move |s| s.graph(&f, limit)).await?))
}

/// Constant-time comparison of the presented token with ours.
fn token_ok(headers: &HeaderMap, expected: &str) -> bool {
    let Some(given) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    let (a, b) = (given.trim().as_bytes(), expected.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Splits a request body (a JSON object, an array of them, or JSON Lines)
/// into documents: `dateline.doc/v1` objects are taken as they are, other
/// objects are articles (`text`/`body`, `title`, `date`, `url`, `lang`)
/// that go through the pipeline.
fn body_docs(
    body: &[u8],
    pipeline: &Pipeline,
) -> std::result::Result<(Vec<DocV1>, Vec<String>), ApiError> {
    let bad = |m: String| ApiError(StatusCode::BAD_REQUEST, m);
    let text = std::str::from_utf8(body).map_err(|_| bad("the body is not UTF-8".into()))?;
    let mut values: Vec<serde_json::Value> = Vec::new();
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Array(a)) => values = a,
        Ok(v) => values.push(v),
        Err(_) => {
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                values.push(
                    serde_json::from_str(line)
                        .map_err(|e| bad(format!("line {}: not JSON: {e}", i + 1)))?,
                );
            }
        }
    }
    if values.is_empty() {
        return Err(bad("the body holds no document".into()));
    }
    let mut docs = Vec::new();
    let mut raw_lines = String::new();
    for (i, v) in values.into_iter().enumerate() {
        if !v.is_object() {
            return Err(bad(format!("item {}: not a JSON object", i + 1)));
        }
        if v.get("schema").and_then(|s| s.as_str()) == Some(SCHEMA) {
            docs.push(
                serde_json::from_value(v)
                    .map_err(|e| bad(format!("item {}: not a {SCHEMA} document: {e}", i + 1)))?,
            );
        } else {
            raw_lines.push_str(&v.to_string());
            raw_lines.push('\n');
        }
    }
    let mut errors = Vec::new();
    if !raw_lines.is_empty() {
        let opts = ReadOptions::default();
        for item in
            dateline_read::read_bytes(raw_lines.as_bytes(), Path::new("request.jsonl"), &opts)
        {
            match item {
                Ok(raw) => docs.push(crate::extract::analyse(pipeline, raw).to_v1()),
                Err(e) => errors.push(e.to_string()),
            }
        }
    }
    Ok((docs, errors))
}

async fn post_documents(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> std::result::Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let Some(expected) = st.token.as_deref() else {
        return Err(ApiError(
            StatusCode::FORBIDDEN,
            format!("writes are disabled: start the server with --token or {TOKEN_ENV}"),
        ));
    };
    if !token_ok(&headers, expected) {
        return Err(ApiError(
            StatusCode::UNAUTHORIZED,
            "a valid bearer token is required (Authorization: Bearer TOKEN)".to_string(),
        ));
    }
    let body = body.map_err(|e| ApiError(e.status(), e.body_text()))?;
    let st2 = st.clone();
    let job = tokio::task::spawn_blocking(move || {
        let (docs, errors) = body_docs(&body, &st2.pipeline)?;
        let ids: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
        let mut w = st2
            .writer
            .lock()
            .map_err(|_| ApiError(StatusCode::INTERNAL_SERVER_ERROR, "writer lock".into()))?;
        let stats = w.insert_batch(&docs)?;
        Ok::<_, ApiError>(serde_json::json!({
            "inserted": stats.inserted,
            "skipped": stats.skipped,
            "events": stats.events,
            "ids": ids,
            "errors": errors,
        }))
    });
    match job.await {
        Ok(Ok(v)) => {
            let code = if v["inserted"].as_u64().unwrap_or(0) > 0 {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok((code, Json(v)))
        }
        Ok(Err(e)) => Err(e),
        Err(e) => Err(ApiError(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("ingest failed: {e}"),
        )),
    }
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn static_file(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("api/") || path == "api" {
        return ApiError(StatusCode::NOT_FOUND, format!("no endpoint {}", uri.path()))
            .into_response();
    }
    let path = if path.is_empty() { "index.html" } else { path };
    match Assets::get(path) {
        Some(f) => {
            let mime = f.metadata.mimetype().to_string();
            (
                [
                    (header::CONTENT_TYPE, mime),
                    (header::CACHE_CONTROL, "no-cache".to_string()),
                ],
                f.data,
            )
                .into_response()
        }
        None => ApiError(StatusCode::NOT_FOUND, format!("no page {}", uri.path())).into_response(),
    }
}

async fn method_not_allowed() -> ApiError {
    ApiError(
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed on this endpoint".to_string(),
    )
}

pub fn router(state: Arc<AppState>, max_body: usize) -> Router {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/api/health", get(health))
        .route(
            "/api/documents",
            get(documents)
                .post(post_documents)
                .fallback(method_not_allowed),
        )
        .route(
            "/api/documents/{id}",
            get(document).fallback(method_not_allowed),
        )
        .route("/api/search", get(search).fallback(method_not_allowed))
        .route("/api/events", get(events).fallback(method_not_allowed))
        .route("/api/entities", get(entities).fallback(method_not_allowed))
        .route("/api/timeline", get(timeline).fallback(method_not_allowed))
        .route("/api/graph", get(graph).fallback(method_not_allowed))
        .fallback(static_file)
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}

fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

pub fn run(args: Args) -> Result<ExitCode> {
    let token = args
        .token
        .clone()
        .or_else(|| std::env::var(TOKEN_ENV).ok())
        .filter(|t| !t.trim().is_empty());
    let pipeline = dateline_pipeline::default_pipeline().context("building the pipeline")?;
    let mut writer = Store::open(&args.data)
        .with_context(|| format!("opening the store in {}", args.data.display()))?;
    if !args.ingest.is_empty() {
        let opts = ingest::Options {
            batch: 500,
            read: ReadOptions::default(),
            progress: !args.quiet,
        };
        let summary = ingest::ingest_paths(&mut writer, &pipeline, &args.ingest, &opts)?;
        ingest::print_summary(&summary, &args.data);
    }
    if !is_loopback(&args.addr) {
        eprintln!(
            "dateline: warning: listening on {}, which is not a loopback address: \
             anyone who can reach it can read the store",
            args.addr
        );
    }
    // one reader ready, with the table filtered searches use loaded
    let table = DocTable::default();
    let first = Store::open_read_only_with(&args.data, &table)
        .with_context(|| format!("opening the store in {}", args.data.display()))?;
    first.warm_up().context("loading the document table")?;
    let state = Arc::new(AppState {
        data: args.data.clone(),
        readers: Mutex::new(vec![first]),
        table,
        writer: Mutex::new(writer),
        pipeline,
        token,
        timeout: Duration::from_millis(args.query_timeout_ms.max(1)),
    });
    let app = router(state, args.max_body_bytes);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("listening on {}", args.addr))?;
        let local = listener.local_addr()?;
        println!(
            "dateline: serving http://{local}/ (store: {})",
            args.data.display()
        );
        use std::io::Write;
        let _ = std::io::stdout().flush();
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("serving")?;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_escaped() {
        let s = format!("a <b> & {MARK_START}Putin{MARK_END}");
        assert_eq!(snippet_html(&s), "a &lt;b&gt; &amp; <mark>Putin</mark>");
    }

    #[test]
    fn tokens() {
        let mut h = HeaderMap::new();
        assert!(!token_ok(&h, "s3cret"));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer s3cret"),
        );
        assert!(token_ok(&h, "s3cret"));
        assert!(!token_ok(&h, "s3cre"));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic s3cret"),
        );
        assert!(!token_ok(&h, "s3cret"));
    }

    #[test]
    fn openapi_is_json() {
        let v: serde_json::Value = serde_json::from_str(OPENAPI).expect("valid JSON");
        assert_eq!(v["openapi"].as_str().map(|s| &s[..2]), Some("3."));
    }
}
