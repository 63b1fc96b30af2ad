//! Date parsing and normalisation to ISO 8601.
//!
//! Inputs carry dates as `YYYY-MM-DD`, RFC 3339 date-times (Atom, JSON-LD,
//! most JSONL dumps) or RFC 2822 (RSS `pubDate`). Every date a reader hands
//! on is validated against the calendar and written in ISO 8601: a date
//! (`2025-08-13`) or a date-time (`2025-08-13T10:00:00+02:00`, `...Z`, or
//! without offset when the input had none). Nothing here allocates more than
//! the output or can panic on any input.

/// Whether `y-m-d` is a real calendar date (proleptic Gregorian, years 1..=9999).
pub fn is_valid_ymd(y: i32, m: u32, d: u32) -> bool {
    (1..=9999).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Parses an all-digit string of 1..=`max` digits.
fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Whether `s` has the shape of a dateline date: `D{4}-D{1,2}-D{1,2}`
/// (the shape only; see [`parse_ymd_loose`] for validity).
pub fn has_ymd_shape(s: &str) -> bool {
    let mut parts = s.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    digits(y, 4, 4).is_some() && digits(m, 1, 2).is_some() && digits(d, 1, 2).is_some()
}

/// Parses `YYYY-M-D` (one or two digit month and day) into a valid ISO date.
pub fn parse_ymd_loose(s: &str) -> Option<String> {
    let mut parts = s.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let y = digits(y, 4, 4)? as i32;
    let m = digits(m, 1, 2)?;
    let d = digits(d, 1, 2)?;
    is_valid_ymd(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// Normalises a date found in an input to ISO 8601. Accepts `YYYY-MM-DD`,
/// RFC 3339 / ISO 8601 date-times (`T` or a space between date and time,
/// optional seconds, fraction and offset) and RFC 2822 (`Tue, 12 Aug 2025
/// 10:00:00 +0000`, zone names, optional weekday and seconds). Returns
/// `None` for anything else or for impossible dates.
pub fn normalize_date(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    parse_iso(s).or_else(|| parse_rfc2822(s))
}

/// The date part (`YYYY-MM-DD`) of a normalised date or date-time.
pub fn date_part(iso: &str) -> Option<&str> {
    let d = iso.get(..10)?;
    parse_ymd_loose(d).map(|_| d)
}

fn parse_iso(s: &str) -> Option<String> {
    let date = s.get(..10)?;
    let b = date.as_bytes();
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let y = digits(&date[..4], 4, 4)? as i32;
    let m = digits(&date[5..7], 2, 2)?;
    let d = digits(&date[8..10], 2, 2)?;
    if !is_valid_ymd(y, m, d) {
        return None;
    }
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(date.to_string());
    }
    let rest = rest
        .strip_prefix('T')
        .or_else(|| rest.strip_prefix('t'))
        .or_else(|| rest.strip_prefix(' '))?;
    // Time: HH:MM[:SS[.frac]]
    let time_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.' || c == ','))
        .unwrap_or(rest.len());
    let (time, zone) = rest.split_at(time_end);
    let time = parse_time(time)?;
    let zone = zone.trim_start();
    let zone = if zone.is_empty() {
        String::new()
    } else {
        parse_offset(zone)?
    };
    Some(format!("{date}T{time}{zone}"))
}

/// `HH:MM`, `HH:MM:SS`, `HH:MM:SS.fff` → `HH:MM:SS[.fff]`.
fn parse_time(t: &str) -> Option<String> {
    let (hms, frac) = match t.find(['.', ',']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let mut parts = hms.split(':');
    let h = digits(parts.next()?, 1, 2)?;
    let mi = digits(parts.next()?, 2, 2)?;
    let sec = match parts.next() {
        Some(x) => digits(x, 2, 2)?,
        None => 0,
    };
    if parts.next().is_some() || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut out = format!("{h:02}:{mi:02}:{sec:02}");
    if let Some(f) = frac {
        if f.is_empty() || f.len() > 9 || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

/// `Z`, `+HH:MM`, `+HHMM`, `+HH` → `Z` or `+HH:MM`.
fn parse_offset(z: &str) -> Option<String> {
    if z.eq_ignore_ascii_case("z") {
        return Some("Z".to_string());
    }
    let sign = match z.as_bytes().first()? {
        b'+' => '+',
        b'-' => '-',
        _ => return None,
    };
    let body = &z[1..];
    let (h, m) = match body.len() {
        2 => (digits(body, 2, 2)?, 0),
        4 => (digits(body.get(..2)?, 2, 2)?, digits(body.get(2..)?, 2, 2)?),
        5 if body.as_bytes().get(2) == Some(&b':') => {
            (digits(body.get(..2)?, 2, 2)?, digits(body.get(3..)?, 2, 2)?)
        }
        _ => return None,
    };
    if h > 23 || m > 59 {
        return None;
    }
    Some(format!("{sign}{h:02}:{m:02}"))
}

fn month_from_name(s: &str) -> Option<u32> {
    let lower = s.to_ascii_lowercase();
    let key = lower.get(..3)?;
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    MONTHS.iter().position(|m| *m == key).map(|i| i as u32 + 1)
}

fn zone_name_offset(z: &str) -> Option<&'static str> {
    Some(match z.to_ascii_uppercase().as_str() {
        "GMT" | "UT" | "UTC" | "Z" => "+00:00",
        "EST" => "-05:00",
        "EDT" => "-04:00",
        "CST" => "-06:00",
        "CDT" => "-05:00",
        "MST" => "-07:00",
        "MDT" => "-06:00",
        "PST" => "-08:00",
        "PDT" => "-07:00",
        "CET" => "+01:00",
        "CEST" => "+02:00",
        _ => return None,
    })
}

fn parse_rfc2822(s: &str) -> Option<String> {
    // Drop an optional weekday ("Tue," or "Tuesday,").
    let s = match s.find(',') {
        Some(i) if s[..i].chars().all(|c| c.is_ascii_alphabetic()) => &s[i + 1..],
        _ => s,
    };
    let mut it = s.split_whitespace();
    let day = digits(it.next()?, 1, 2)?;
    let month = month_from_name(it.next()?)?;
    let ytok = it.next()?;
    let year = match ytok.len() {
        4 => digits(ytok, 4, 4)? as i32,
        2 => {
            let y = digits(ytok, 2, 2)? as i32;
            if y < 50 {
                2000 + y
            } else {
                1900 + y
            }
        }
        _ => return None,
    };
    if !is_valid_ymd(year, month, day) {
        return None;
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    let Some(time) = it.next() else {
        return Some(date);
    };
    let time = parse_time(time)?;
    let zone = match it.next() {
        None => String::new(),
        Some(z) => match parse_offset(z) {
            Some(o) if o == "Z" => "+00:00".to_string(),
            Some(o) => o,
            None => zone_name_offset(z).unwrap_or("").to_string(),
        },
    };
    // Anything after the zone (comments like "(UTC)") is ignored.
    Some(format!("{date}T{time}{zone}"))
}

/// Unix time (seconds) → `YYYY-MM-DDTHH:MM:SSZ`, for years 1..=9999.
pub fn from_unix(secs: i64) -> Option<String> {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days)?;
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    ))
}

/// Howard Hinnant's days-from-civil inverse.
fn civil_from_days(z: i64) -> Option<(i32, u32, u32)> {
    if !(-719_162..=2_932_896).contains(&z) {
        return None; // outside years 1..=9999
    }
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = if m <= 2 { y + 1 } else { y };
    Some((y as i32, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_calendar_dates() {
        assert!(is_valid_ymd(2024, 2, 29));
        assert!(!is_valid_ymd(2025, 2, 29));
        assert!(!is_valid_ymd(1900, 2, 29));
        assert!(is_valid_ymd(2000, 2, 29));
        assert!(!is_valid_ymd(2025, 13, 1));
        assert!(!is_valid_ymd(2025, 4, 31));
        assert!(!is_valid_ymd(0, 1, 1));
    }

    #[test]
    fn loose_ymd() {
        assert_eq!(parse_ymd_loose("2025-8-3").as_deref(), Some("2025-08-03"));
        assert_eq!(parse_ymd_loose("2025-02-30"), None);
        assert!(has_ymd_shape("2025-02-30"));
        assert!(!has_ymd_shape("2025/02/03"));
        assert!(!has_ymd_shape("25-02-03"));
    }

    #[test]
    fn iso_forms() {
        assert_eq!(normalize_date("2025-08-13").as_deref(), Some("2025-08-13"));
        assert_eq!(
            normalize_date("2025-08-13T10:20:30Z").as_deref(),
            Some("2025-08-13T10:20:30Z")
        );
        assert_eq!(
            normalize_date("2025-08-13 10:20").as_deref(),
            Some("2025-08-13T10:20:00")
        );
        assert_eq!(
            normalize_date("2025-08-13T10:20:30.125+0200").as_deref(),
            Some("2025-08-13T10:20:30.125+02:00")
        );
        assert_eq!(
            normalize_date("2025-08-13T10:20:30-03:00").as_deref(),
            Some("2025-08-13T10:20:30-03:00")
        );
        assert_eq!(normalize_date("2025-02-30"), None);
        assert_eq!(normalize_date("2025-08-13T25:00:00Z"), None);
        assert_eq!(normalize_date("2025-08-13Tjunk"), None);
        assert_eq!(normalize_date("yesterday"), None);
        assert_eq!(normalize_date(""), None);
    }

    #[test]
    fn rfc2822_forms() {
        assert_eq!(
            normalize_date("Tue, 12 Aug 2025 10:00:00 +0000").as_deref(),
            Some("2025-08-12T10:00:00+00:00")
        );
        assert_eq!(
            normalize_date("12 Aug 2025 10:00 GMT").as_deref(),
            Some("2025-08-12T10:00:00+00:00")
        );
        assert_eq!(
            normalize_date("Wed, 1 Jan 97 23:59:59 EST").as_deref(),
            Some("1997-01-01T23:59:59-05:00")
        );
        assert_eq!(
            normalize_date("3 August 2025").as_deref(),
            Some("2025-08-03")
        );
        assert_eq!(normalize_date("Mon, 31 Feb 2025 10:00:00 GMT"), None);
        assert_eq!(normalize_date("Tue, 12 Foo 2025"), None);
    }

    #[test]
    fn unix_times() {
        assert_eq!(from_unix(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(
            from_unix(1_755_043_200).as_deref(),
            Some("2025-08-13T00:00:00Z")
        );
        assert_eq!(from_unix(i64::MAX), None);
        assert_eq!(from_unix(i64::MIN), None);
    }

    #[test]
    fn date_part_of_datetime() {
        assert_eq!(date_part("2025-08-13T10:00:00Z"), Some("2025-08-13"));
        assert_eq!(date_part("2025-8"), None);
        assert_eq!(date_part("ñññññññññ"), None);
    }
}
