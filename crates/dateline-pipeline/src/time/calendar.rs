//! Proleptic Gregorian date arithmetic (days since 1970-01-01, ISO weeks).
//! Small and dependency-free: the normaliser only needs whole days.

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ymd {
    pub y: i32,
    pub m: u32,
    pub d: u32,
}

/// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y as i64 - 1 } else { y as i64 };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The date of a day number.
pub fn civil_from_days(z: i64) -> Ymd {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    Ymd {
        y: (if m <= 2 { y + 1 } else { y }) as i32,
        m,
        d,
    }
}

pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

impl Ymd {
    /// A valid date, or `None`.
    pub fn new(y: i32, m: u32, d: u32) -> Option<Ymd> {
        if !(1..=12).contains(&m)
            || d == 0
            || d > days_in_month(y, m)
            || !(-9999..=9999).contains(&y)
        {
            return None;
        }
        Some(Ymd { y, m, d })
    }

    /// Parses `YYYY-MM-DD` (anything after the first 10 characters is ignored).
    pub fn parse(s: &str) -> Option<Ymd> {
        let s = s.trim();
        let b = s.get(..10)?;
        let y = b.get(..4)?.parse().ok()?;
        let m = b.get(5..7)?.parse().ok()?;
        let d = b.get(8..10)?.parse().ok()?;
        Ymd::new(y, m, d)
    }

    pub fn days(&self) -> i64 {
        days_from_civil(self.y, self.m, self.d)
    }

    pub fn add_days(&self, n: i64) -> Ymd {
        civil_from_days(self.days() + n)
    }

    /// ISO weekday, Monday = 1 .. Sunday = 7.
    pub fn weekday(&self) -> u32 {
        // 1970-01-01 was a Thursday
        ((self.days() + 3).rem_euclid(7) + 1) as u32
    }

    /// ISO week-numbering year and week.
    pub fn iso_week(&self) -> (i32, u32) {
        let thursday = self.add_days(4 - self.weekday() as i64);
        let jan1 = days_from_civil(thursday.y, 1, 1);
        let week = ((thursday.days() - jan1) / 7 + 1) as u32;
        (thursday.y, week)
    }

    /// Shifts by whole months, clamping the day.
    pub fn add_months(&self, n: i64) -> Ymd {
        let total = self.y as i64 * 12 + (self.m as i64 - 1) + n;
        let y = total.div_euclid(12) as i32;
        let m = (total.rem_euclid(12) + 1) as u32;
        Ymd {
            y,
            m,
            d: self.d.min(days_in_month(y, m)),
        }
    }

    pub fn fmt_day(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
    pub fn fmt_month(&self) -> String {
        format!("{:04}-{:02}", self.y, self.m)
    }
    pub fn fmt_week(&self) -> String {
        let (y, w) = self.iso_week();
        format!("{y:04}-W{w:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_and_weeks() {
        let d = Ymd::new(2025, 8, 13).unwrap_or(Ymd { y: 0, m: 1, d: 1 });
        assert_eq!(d.weekday(), 3);
        assert_eq!(d.fmt_week(), "2025-W33");
        assert_eq!(d.add_days(-1).fmt_day(), "2025-08-12");
        assert_eq!(d.add_days(20).fmt_day(), "2025-09-02");
        assert_eq!(d.add_months(-8).fmt_month(), "2024-12");
        assert_eq!(civil_from_days(days_from_civil(2000, 2, 29)).d, 29);
        let j = Ymd::new(2021, 1, 1).unwrap_or(d);
        assert_eq!(j.iso_week(), (2020, 53));
        assert!(Ymd::new(2023, 2, 29).is_none());
        assert_eq!(Ymd::parse("2019-12-20T10:00"), Ymd::new(2019, 12, 20));
    }
}
