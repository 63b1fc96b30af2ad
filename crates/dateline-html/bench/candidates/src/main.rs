use std::io::Read;
use std::time::Instant;

fn run(name: &str, html: &str) -> String {
    match name {
        "dom_smoothie" => {
            let cfg = dom_smoothie::Config {
                text_mode: dom_smoothie::TextMode::Formatted,
                ..Default::default()
            };
            match dom_smoothie::Readability::new(html, None, Some(cfg)).and_then(|mut r| r.parse())
            {
                Ok(a) => a.text_content.to_string(),
                Err(_) => String::new(),
            }
        }
        "rs-trafilatura" => rs_trafilatura::extract(html)
            .map(|r| r.content_text)
            .unwrap_or_default(),
        "trafilatura-rs" => trafilatura::extract(html, &trafilatura::Options::default())
            .map(|r| r.content_text)
            .unwrap_or_default(),
        _ => dateline_html::extract(html, &dateline_html::Options::default()).text,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: dateline-html-candidates HTML_DIR GOLD.json EXTRACTOR...");
        std::process::exit(2);
    }
    let gold: serde_json::Value = std::fs::read_to_string(&args[2])
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(serde_json::Value::Null);
    let mut names: Vec<_> = match std::fs::read_dir(&args[1]) {
        Ok(rd) => rd.filter_map(|e| e.ok()).map(|e| e.path()).collect(),
        Err(e) => {
            eprintln!("cannot read {}: {e}", args[1]);
            std::process::exit(1);
        }
    };
    names.sort();
    let mut docs = Vec::new();
    for p in names {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let id = name.split('.').next().unwrap_or("").to_string();
        let Ok(raw) = std::fs::read(&p) else { continue };
        let mut out = Vec::new();
        if flate2::read::GzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .is_err()
        {
            continue;
        }
        docs.push((id, String::from_utf8_lossy(&out).into_owned()));
    }
    for cand in &args[3..] {
        let t0 = Instant::now();
        let outs: Vec<String> = docs
            .iter()
            .map(|d| {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(cand, &d.1)))
                    .unwrap_or_default()
            })
            .collect();
        let dt = t0.elapsed().as_secs_f64();
        let scores: Vec<_> = docs
            .iter()
            .zip(&outs)
            .filter_map(|((id, _), o)| {
                let g = gold.get(id)?.get("articleBody")?.as_str()?;
                Some(dateline_html::eval::score(o, g))
            })
            .collect();
        let a = dateline_html::eval::average(&scores);
        println!("{{\"extractor\":\"{cand}\",\"f1\":{:.3},\"precision\":{:.3},\"recall\":{:.3},\"docs_per_s\":{:.1}}}", a.f1, a.precision, a.recall, docs.len() as f64 / dt);
    }
}
