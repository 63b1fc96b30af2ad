//! `dateline export`: the events of the store, filtered as `dateline events`,
//! as CSV, JSON Lines, Parquet (partitioned by event day) or the GDELT 2.0
//! event table.
//!
//! GDELT mapping (61 tab-separated columns, no header, in GDELT 2.0 order):
//! GLOBALEVENTID = our event id; SQLDATE/MonthYear/Year/FractionDate from
//! the event day (the event's own date, else the article's); Actor1/2Code =
//! the CAMEO actor code; Actor1/2Name = the entity name in upper case;
//! Actor1/2CountryCode = the first three letters of the code when they are a
//! country (not IGO/NGO/...); Actor1/2Type1-3Code = the following 3-letter
//! groups of the code (GOV, MIL ...); IsRootEvent = 1 when the event's
//! sentence starts in the first 500 characters of the article (its lead);
//! EventCode/EventBaseCode/EventRootCode = the CAMEO event code and its 3- and
//! 2-digit prefixes; QuadClass = quad; NumMentions/NumSources/NumArticles = 1
//! (one row per mention); ActionGeo_FullName = the event location; DATEADDED
//! = when the article was ingested (UTC, YYYYMMDDHHMMSS); SOURCEURL = the
//! article URL (else its path). Left empty: KnownGroup, Ethnic and Religion
//! codes, GoldsteinScale, AvgTone and all coordinates and feature ids.

use crate::ingest::DEFAULT_DATA;
use crate::query::EventFilterArgs;
use anyhow::{bail, Context, Result};
use dateline_store::{EventRow, Store};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Jsonl,
    Parquet,
    Gdelt,
}

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, value_enum)]
    format: ExportFormat,
    #[command(flatten)]
    filter: EventFilterArgs,
    #[arg(long, default_value = DEFAULT_DATA)]
    data: PathBuf,
    /// Output file (csv, jsonl, gdelt; default stdout) or folder (parquet, required).
    #[arg(long, short)]
    out: Option<PathBuf>,
}

/// Columns of the CSV and Parquet exports.
pub const COLUMNS: &[&str] = &[
    "event_id",
    "doc_id",
    "day",
    "date",
    "type",
    "cameo",
    "quad",
    "mode",
    "actor",
    "actor_code",
    "actor_qid",
    "recipient",
    "recipient_code",
    "recipient_qid",
    "modality",
    "location",
    "attributed_to",
    "trigger",
    "sentence",
    "confidence",
    "lang",
    "source",
    "doc_title",
    "doc_date",
];

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// One event as the text cells of [`COLUMNS`].
pub fn csv_record(e: &EventRow) -> Vec<String> {
    vec![
        e.event_id.to_string(),
        e.doc_id.clone(),
        opt(&e.day),
        opt(&e.date),
        e.etype.clone(),
        opt(&e.cameo),
        e.quad.map(|q| q.to_string()).unwrap_or_default(),
        opt(&e.mode),
        opt(&e.actor),
        opt(&e.actor_code),
        opt(&e.actor_qid),
        opt(&e.recipient),
        opt(&e.recipient_code),
        opt(&e.recipient_qid),
        e.modality.clone(),
        opt(&e.location),
        opt(&e.attributed_to),
        e.trigger.clone(),
        e.sentence.clone(),
        format!("{:.3}", e.confidence),
        opt(&e.lang),
        e.source.clone(),
        e.doc_title.clone(),
        opt(&e.doc_date),
    ]
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `YYYYMMDDHHMMSS` (UTC) of Unix seconds.
fn stamp(secs: i64) -> String {
    let (y, m, d) = civil(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}{m:02}{d:02}{:02}{:02}{:02}",
        s / 3600,
        (s / 60) % 60,
        s % 60
    )
}

/// GDELT's FractionDate: year + (day of year) / 365.
fn fraction_date(y: i32, m: u32, d: u32) -> String {
    const CUM: [u32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let idx = (m.clamp(1, 12) - 1) as usize;
    let doy = CUM[idx] + d + u32::from(leap && m > 2);
    format!("{:.4}", f64::from(y) + f64::from(doy) / 365.0)
}

/// Country, then type codes of a CAMEO actor code (`RUSGOV` → RUS, [GOV]).
fn split_actor(code: &Option<String>) -> (String, [String; 3]) {
    let Some(c) = code.as_deref().filter(|c| c.is_ascii() && c.len() >= 3) else {
        return (String::new(), Default::default());
    };
    let head = &c[..3];
    let nonstate = [
        "IGO", "NGO", "MNC", "IMG", "UIS", "REB", "INS", "OPP", "CVL",
    ];
    let (country, rest) = if nonstate.contains(&head) {
        (String::new(), c)
    } else {
        (head.to_string(), &c[3..])
    };
    let mut types: [String; 3] = Default::default();
    for (i, t) in types.iter_mut().enumerate() {
        if let Some(g) = rest.get(i * 3..i * 3 + 3) {
            *t = g.to_string();
        }
    }
    (country, types)
}

/// One event as the 61 cells of a GDELT 2.0 event row.
pub fn gdelt_record(e: &EventRow) -> Vec<String> {
    let mut r: Vec<String> = Vec::with_capacity(61);
    let day = e.day.as_deref().unwrap_or("");
    let num = |a: usize, b: usize| day.get(a..b).and_then(|s| s.parse::<u32>().ok());
    let (y, m, d) = (num(0, 4), num(5, 7), num(8, 10));
    r.push(e.event_id.to_string());
    match (y, m, d) {
        (Some(y), Some(m), Some(d)) => {
            r.push(format!("{y:04}{m:02}{d:02}"));
            r.push(format!("{y:04}{m:02}"));
            r.push(format!("{y:04}"));
            r.push(fraction_date(y as i32, m, d));
        }
        _ => r.extend(std::iter::repeat_n(String::new(), 4)),
    }
    for (code, name) in [(&e.actor_code, &e.actor), (&e.recipient_code, &e.recipient)] {
        let (country, types) = split_actor(code);
        r.push(opt(code));
        r.push(opt(name).to_uppercase());
        r.push(country);
        r.extend(std::iter::repeat_n(String::new(), 4)); // known group, ethnic, religion 1, 2
        r.extend(types);
    }
    r.push(if e.sentence_span[0] < 500 { "1" } else { "0" }.to_string());
    let cameo = opt(&e.cameo);
    r.push(cameo.clone());
    r.push(cameo.get(..3).unwrap_or(&cameo).to_string());
    r.push(cameo.get(..2).unwrap_or(&cameo).to_string());
    r.push(e.quad.map(|q| q.to_string()).unwrap_or_default());
    r.push(String::new()); // GoldsteinScale
    r.extend(std::iter::repeat_n("1".to_string(), 3)); // mentions, sources, articles
    r.push(String::new()); // AvgTone
    r.extend(std::iter::repeat_n(String::new(), 16)); // Actor1Geo_*, Actor2Geo_*
    r.push(String::new()); // ActionGeo_Type
    r.push(opt(&e.location));
    r.extend(std::iter::repeat_n(String::new(), 6)); // ActionGeo country .. feature id
    r.push(stamp(e.ingested_at));
    r.push(e.source.clone());
    r
}

/// Tabs and newlines would break GDELT's TSV: they become spaces.
fn tsv_cell(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

pub fn run(a: Args) -> Result<ExitCode> {
    let store = Store::open_read_only(&a.data)
        .with_context(|| format!("opening the store in {}", a.data.display()))?;
    let filter = a.filter.filter();
    if a.format == ExportFormat::Parquet {
        let Some(dir) = &a.out else {
            bail!("--format parquet writes a folder: give it with --out DIR");
        };
        let n = parquet_export(&store, &filter, dir)?;
        eprintln!("dateline: {n} events written under {}", dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    let sink: Box<dyn Write> = match &a.out {
        Some(p) => {
            Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = std::io::BufWriter::new(sink);
    let n = match a.format {
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(COLUMNS)?;
            let n = store.for_each_event(&filter, |e| {
                w.write_record(csv_record(&e))?;
                Ok(())
            })?;
            w.flush()?;
            n
        }
        ExportFormat::Jsonl => store.for_each_event(&filter, |e| {
            serde_json::to_writer(&mut out, &e)?;
            out.write_all(b"\n")?;
            Ok(())
        })?,
        ExportFormat::Gdelt => store.for_each_event(&filter, |e| {
            let cells: Vec<String> = gdelt_record(&e).iter().map(|c| tsv_cell(c)).collect();
            out.write_all(cells.join("\t").as_bytes())?;
            out.write_all(b"\n")?;
            Ok(())
        })?,
        ExportFormat::Parquet => 0,
    };
    out.flush()?;
    if a.out.is_some() {
        eprintln!("dateline: {n} events exported");
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(not(feature = "parquet"))]
fn parquet_export(
    _store: &Store,
    _filter: &dateline_store::EventFilter,
    _dir: &std::path::Path,
) -> Result<usize> {
    bail!("this dateline was built without Parquet support: rebuild with `--features parquet`")
}

#[cfg(feature = "parquet")]
fn parquet_export(
    store: &Store,
    filter: &dateline_store::EventFilter,
    dir: &std::path::Path,
) -> Result<usize> {
    parquet_out::export(store, filter, dir)
}

/// Parquet files in Hive layout, `DIR/day=YYYY-MM-DD/part-0.parquet`, which
/// DuckDB (`read_parquet('DIR/*/*.parquet', hive_partitioning = true)`),
/// Spark, Trino and DataFusion read as one table partitioned by day.
#[cfg(feature = "parquet")]
mod parquet_out {
    use super::*;
    use arrow::array::{ArrayRef, Float64Builder, Int64Builder, StringBuilder};
    use arrow::datatypes::{DataType, Field, Schema};
    use arrow::record_batch::RecordBatch;
    use parquet::arrow::ArrowWriter;
    use parquet::basic::Compression;
    use parquet::file::properties::WriterProperties;
    use std::sync::Arc;

    /// Columns typed as numbers; all others are strings. `day` is the
    /// partition key, so it is not repeated inside the files.
    fn dtype(c: &str) -> DataType {
        match c {
            "event_id" | "quad" => DataType::Int64,
            "confidence" => DataType::Float64,
            _ => DataType::Utf8,
        }
    }

    fn schema() -> Arc<Schema> {
        Arc::new(Schema::new(
            COLUMNS
                .iter()
                .filter(|c| **c != "day")
                .map(|c| Field::new(*c, dtype(c), !matches!(*c, "event_id" | "doc_id" | "type")))
                .collect::<Vec<_>>(),
        ))
    }

    fn batch(rows: &[EventRow]) -> Result<RecordBatch> {
        let schema = schema();
        let mut cols: Vec<ArrayRef> = Vec::new();
        for (i, c) in COLUMNS.iter().enumerate() {
            if *c == "day" {
                continue;
            }
            match dtype(c) {
                DataType::Int64 => {
                    let mut b = Int64Builder::new();
                    for r in rows {
                        b.append_option(match *c {
                            "event_id" => Some(r.event_id),
                            _ => r.quad,
                        });
                    }
                    cols.push(Arc::new(b.finish()));
                }
                DataType::Float64 => {
                    let mut b = Float64Builder::new();
                    for r in rows {
                        b.append_value(r.confidence);
                    }
                    cols.push(Arc::new(b.finish()));
                }
                _ => {
                    let mut b = StringBuilder::new();
                    for r in rows {
                        let cells = csv_record(r);
                        match cells.get(i) {
                            Some(s) if !s.is_empty() => b.append_value(s),
                            _ => b.append_null(),
                        }
                    }
                    cols.push(Arc::new(b.finish()));
                }
            }
        }
        Ok(RecordBatch::try_new(schema, cols)?)
    }

    fn write_day(dir: &std::path::Path, day: &str, rows: &[EventRow]) -> Result<()> {
        let part = dir.join(format!("day={day}"));
        std::fs::create_dir_all(&part).with_context(|| format!("creating {}", part.display()))?;
        let path = part.join("part-0.parquet");
        let file =
            std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let mut w = ArrowWriter::try_new(file, schema(), Some(props))?;
        for chunk in rows.chunks(65_536) {
            w.write(&batch(chunk)?)?;
        }
        w.close()?;
        Ok(())
    }

    pub fn export(
        store: &Store,
        filter: &dateline_store::EventFilter,
        dir: &std::path::Path,
    ) -> Result<usize> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut current: Option<String> = None;
        let mut rows: Vec<EventRow> = Vec::new();
        let mut failure: Option<anyhow::Error> = None;
        let n = store.for_each_event(filter, |e| {
            let day = e
                .day
                .clone()
                .unwrap_or_else(|| "__HIVE_DEFAULT_PARTITION__".to_string());
            if current.as_deref() != Some(day.as_str()) {
                if let Some(prev) = current.take() {
                    if let Err(err) = write_day(dir, &prev, &rows) {
                        failure = Some(err);
                        return Err("parquet write failed".into());
                    }
                    rows.clear();
                }
                current = Some(day);
            }
            rows.push(e);
            Ok(())
        });
        if let Some(err) = failure {
            return Err(err);
        }
        let n = n?;
        if let Some(prev) = current {
            write_day(dir, &prev, &rows)?;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(20_313), (2025, 8, 13));
        assert_eq!(stamp(1_755_043_200 + 3661), "20250813010101");
        assert_eq!(fraction_date(2025, 1, 1), "2025.0027");
    }

    #[test]
    fn actor_codes() {
        let (c, t) = split_actor(&Some("RUSGOVMIL".into()));
        assert_eq!(c, "RUS");
        assert_eq!(t, ["GOV".to_string(), "MIL".to_string(), String::new()]);
        let (c, t) = split_actor(&Some("IGOEUREEC".into()));
        assert_eq!(c, "");
        assert_eq!(t[0], "IGO");
        assert_eq!(split_actor(&None).0, "");
        assert_eq!(split_actor(&Some("ñu".into())).0, "");
    }
}
