use std::io::Read;
fn main() {
    let p = std::env::args().nth(1).unwrap();
    let raw = std::fs::read(&p).unwrap();
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut out).unwrap();
    let s = String::from_utf8_lossy(&out);
    let e = dateline_html::extract(&s, &dateline_html::Options::default());
    println!("{:?} {:?} {:?} {:?} {:?}\n{}", e.title, e.date, e.lang, e.url, e.warnings, e.text);
}
