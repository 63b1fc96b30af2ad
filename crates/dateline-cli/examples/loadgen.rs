//! A small closed-loop HTTP load generator for scripts/bench_store.sh.
//!
//! `loadgen ADDR CLIENTS SECONDS MAX_REQUESTS PATHS_FILE` sends GET requests
//! (paths read from PATHS_FILE, one per line) from CLIENTS threads, each on
//! its own keep-alive connection, for at most SECONDS and MAX_REQUESTS in
//! all, and prints latency percentiles as JSON. Only loopback addresses are
//! accepted.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 6 {
        eprintln!("usage: loadgen ADDR CLIENTS SECONDS MAX_REQUESTS PATHS_FILE");
        std::process::exit(2);
    }
    let addr: SocketAddr = match args[1].parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("bad address: {e}");
            std::process::exit(2);
        }
    };
    if !addr.ip().is_loopback() {
        eprintln!("loadgen only targets loopback addresses");
        std::process::exit(2);
    }
    let clients: usize = args[2].parse().unwrap_or(16);
    let secs: u64 = args[3].parse().unwrap_or(20);
    let max: usize = args[4].parse().unwrap_or(100_000);
    let paths: Vec<String> = std::fs::read_to_string(&args[5])
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    if paths.is_empty() {
        eprintln!("no paths in {}", args[5]);
        std::process::exit(2);
    }
    let paths = Arc::new(paths);
    let sent = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            let paths = paths.clone();
            let sent = sent.clone();
            std::thread::spawn(move || client(addr, c, &paths, &sent, max, deadline))
        })
        .collect();
    let mut lat: Vec<f64> = Vec::new();
    let mut errors = 0usize;
    for h in handles {
        if let Ok((l, e)) = h.join() {
            lat.extend(l);
            errors += e;
        }
    }
    let wall = started.elapsed().as_secs_f64();
    lat.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| -> f64 {
        if lat.is_empty() {
            return f64::NAN;
        }
        let i = ((lat.len() as f64 - 1.0) * p).round() as usize;
        lat[i.min(lat.len() - 1)]
    };
    println!(
        "{{\"requests\": {}, \"errors\": {}, \"seconds\": {:.1}, \"rps\": {:.0}, \"p50_ms\": {:.2}, \"p90_ms\": {:.2}, \"p99_ms\": {:.2}, \"max_ms\": {:.2}}}",
        lat.len(),
        errors,
        wall,
        lat.len() as f64 / wall,
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0)
    );
}

fn connect(addr: SocketAddr) -> Option<(TcpStream, BufReader<TcpStream>)> {
    let s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    s.set_nodelay(true).ok()?;
    let r = BufReader::new(s.try_clone().ok()?);
    Some((s, r))
}

/// One request on a keep-alive connection; returns the status.
fn once(s: &mut TcpStream, r: &mut BufReader<TcpStream>, host: &str, path: &str) -> Option<u16> {
    write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n").ok()?;
    let mut line = String::new();
    r.read_line(&mut line).ok()?;
    let status: u16 = line.split_whitespace().nth(1)?.parse().ok()?;
    let mut len = 0usize;
    loop {
        line.clear();
        r.read_line(&mut line).ok()?;
        let t = line.trim_end();
        if t.is_empty() {
            break;
        }
        if let Some((k, v)) = t.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body).ok()?;
    Some(status)
}

fn client(
    addr: SocketAddr,
    id: usize,
    paths: &[String],
    sent: &AtomicUsize,
    max: usize,
    deadline: Instant,
) -> (Vec<f64>, usize) {
    let host = addr.to_string();
    let mut lat = Vec::new();
    let mut errors = 0;
    let mut conn = connect(addr);
    let mut i = id * 7919;
    while Instant::now() < deadline && sent.fetch_add(1, Ordering::Relaxed) < max {
        let path = &paths[i % paths.len()];
        i += 1;
        let Some((s, r)) = conn.as_mut() else {
            errors += 1;
            conn = connect(addr);
            continue;
        };
        let t = Instant::now();
        match once(s, r, &host, path) {
            Some(200) => lat.push(t.elapsed().as_secs_f64() * 1000.0),
            Some(_) => errors += 1,
            None => {
                errors += 1;
                conn = connect(addr);
            }
        }
    }
    (lat, errors)
}
