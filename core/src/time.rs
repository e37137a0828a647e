//! China Standard Time: fixed UTC+8, no daylight saving, whatever the machine's own zone.
//!
//! A fixed offset needs no time-zone database, so the calendar arithmetic here is a few lines of
//! integer maths that compile to the same thing on the server and in the browser.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// China Standard Time's offset from UTC, in seconds.
pub const CST_OFFSET_SECS: i64 = 8 * 3600;
const DAY_SECS: i64 = 86_400;

/// An instant: milliseconds since the Unix epoch (UTC). Serialised as an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub const fn from_millis(ms: i64) -> Timestamp {
        Timestamp(ms)
    }

    pub const fn millis(self) -> i64 {
        self.0
    }

    pub const fn secs(self) -> i64 {
        self.0.div_euclid(1000)
    }

    pub const fn plus_secs(self, s: i64) -> Timestamp {
        Timestamp(self.0 + s * 1000)
    }

    pub const fn plus_millis(self, ms: i64) -> Timestamp {
        Timestamp(self.0 + ms)
    }

    /// The date in China on which this instant falls.
    pub fn china_date(self) -> ChinaDate {
        ChinaDate::from_days((self.secs() + CST_OFFSET_SECS).div_euclid(DAY_SECS))
    }

    /// The time of day in China at this instant.
    pub fn china_time_of_day(self) -> TimeOfDay {
        TimeOfDay((self.secs() + CST_OFFSET_SECS).rem_euclid(DAY_SECS) as u32)
    }

    /// `2026-11-23 10:00:00`, in China time.
    pub fn china_display(self) -> String {
        format!("{} {}", self.china_date(), self.china_time_of_day())
    }
}

/// A calendar date in China.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChinaDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// Why a written date or time of day was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeFormatError(pub String);

impl fmt::Display for TimeFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TimeFormatError {}

impl ChinaDate {
    pub fn new(year: i32, month: u8, day: u8) -> Option<ChinaDate> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(ChinaDate { year, month, day })
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The inverse of [`ChinaDate::days`] (`civil_from_days`).
    pub fn from_days(z: i64) -> ChinaDate {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        ChinaDate { year, month, day }
    }

    pub fn plus_days(self, n: i64) -> ChinaDate {
        ChinaDate::from_days(self.days() + n)
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: ChinaDate) -> i64 {
        other.days() - self.days()
    }

    /// The instant this date reaches the given time of day in China.
    pub fn at(self, t: TimeOfDay) -> Timestamp {
        Timestamp((self.days() * DAY_SECS + i64::from(t.0) - CST_OFFSET_SECS) * 1000)
    }

    /// The first instant of this date in China (00:00:00).
    pub fn start(self) -> Timestamp {
        self.at(TimeOfDay(0))
    }

    /// The last instant of this date in China: 23:59:59.999. A same-day coupon is valid up to
    /// and including this instant.
    pub fn last_instant(self) -> Timestamp {
        self.plus_days(1).start().plus_millis(-1)
    }

    /// 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> u8 {
        (self.days() + 3).rem_euclid(7) as u8
    }

    pub fn parse(text: &str) -> Result<ChinaDate, TimeFormatError> {
        let bad = || TimeFormatError(format!("'{text}' is not a date written as YYYY-MM-DD"));
        let mut parts = text.trim().splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let y: i32 = y.parse().map_err(|_| bad())?;
        let m: u8 = m.parse().map_err(|_| bad())?;
        let d: u8 = d.parse().map_err(|_| bad())?;
        ChinaDate::new(y, m, d).ok_or_else(|| TimeFormatError(format!("{text} is not a day of the calendar")))
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for ChinaDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for ChinaDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ChinaDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // TOML has its own date type; accept it as well as a string.
        let v = DateInput::deserialize(d)?;
        ChinaDate::parse(&v.0).map_err(serde::de::Error::custom)
    }
}

struct DateInput(String);

impl<'de> Deserialize<'de> for DateInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = DateInput;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date (YYYY-MM-DD) or a time of day (HH:MM)")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateInput, E> {
                Ok(DateInput(v.to_owned()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<DateInput, A::Error> {
                // toml's datetime arrives as a one-entry map holding its text.
                let mut text = None;
                while let Some((_k, v)) = map.next_entry::<String, String>()? {
                    text = Some(v);
                }
                text.map(DateInput)
                    .ok_or_else(|| serde::de::Error::custom("empty date"))
            }
        }
        d.deserialize_any(V)
    }
}

/// A time of day in China, in seconds after midnight (0 ..= 86_399).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay(pub u32);

impl TimeOfDay {
    pub fn hm(h: u32, m: u32) -> Option<TimeOfDay> {
        (h < 24 && m < 60).then_some(TimeOfDay(h * 3600 + m * 60))
    }

    pub fn hours(self) -> u32 {
        self.0 / 3600
    }

    pub fn minutes(self) -> u32 {
        self.0 / 60 % 60
    }

    pub fn seconds(self) -> u32 {
        self.0 % 60
    }

    /// `10:00` or `10:00:30`.
    pub fn parse(text: &str) -> Result<TimeOfDay, TimeFormatError> {
        let bad = || TimeFormatError(format!("'{text}' is not a time of day written as HH:MM"));
        let parts: Vec<&str> = text.trim().split(':').collect();
        if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.len() != 2) {
            return Err(bad());
        }
        let mut n = [0u32; 3];
        for (i, p) in parts.iter().enumerate() {
            n[i] = p.parse().map_err(|_| bad())?;
        }
        if n[0] > 23 || n[1] > 59 || n[2] > 59 {
            return Err(bad());
        }
        Ok(TimeOfDay(n[0] * 3600 + n[1] * 60 + n[2]))
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}:{:02}:{:02}",
            self.hours(),
            self.minutes(),
            self.seconds()
        )
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.seconds() == 0 {
            s.collect_str(&format_args!("{:02}:{:02}", self.hours(), self.minutes()))
        } else {
            s.collect_str(self)
        }
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = DateInput::deserialize(d)?;
        TimeOfDay::parse(&v.0).map_err(serde::de::Error::custom)
    }
}

/// `hh:mm:ss` for a countdown of `ms` milliseconds (negative counts as zero); hours may exceed 24.
pub fn countdown_text(ms: i64) -> String {
    let s = ms.max(0).div_euclid(1000);
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// One exchange with the server's clock: when the request left and the answer arrived, by the
/// device's clock, and what the server's clock read in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockSample {
    pub sent: i64,
    pub received: i64,
    pub server: Timestamp,
}

impl ClockSample {
    pub fn round_trip(&self) -> i64 {
        self.received - self.sent
    }

    /// Server time minus device time, assuming the server read its clock half-way through.
    pub fn offset(&self) -> i64 {
        self.server.millis() - (self.sent + self.received).div_euclid(2)
    }
}

/// The device clock's correction, NTP-style: the sample with the shortest round trip wins, since
/// its midpoint is the least uncertain. `None` without a usable sample.
pub fn best_offset(samples: &[ClockSample]) -> Option<i64> {
    samples
        .iter()
        .filter(|s| s.round_trip() >= 0)
        .min_by_key(|s| s.round_trip())
        .map(ClockSample::offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china_is_eight_hours_ahead_of_utc() {
        // 2022-09-25T02:00:00Z is 10:00 in China.
        let t = Timestamp(1_664_071_200_000);
        assert_eq!(
            t.china_date(),
            ChinaDate {
                year: 2022,
                month: 9,
                day: 25
            }
        );
        assert_eq!(t.china_time_of_day(), TimeOfDay(10 * 3600));
        assert_eq!(
            ChinaDate::new(2022, 9, 25).map(|d| d.at(TimeOfDay(36_000))),
            Some(t)
        );
    }

    #[test]
    fn the_china_day_turns_at_16_utc() {
        let d = ChinaDate {
            year: 2023,
            month: 6,
            day: 30,
        };
        let last = d.last_instant();
        assert_eq!(last.china_date(), d);
        assert_eq!(
            last.plus_millis(1).china_date(),
            ChinaDate {
                year: 2023,
                month: 7,
                day: 1
            }
        );
        // 2023-06-30T15:59:59.999Z
        assert_eq!(last, Timestamp(1_688_140_799_999));
    }

    #[test]
    fn calendar_round_trips_and_knows_leap_years() {
        for z in [-800_000i64, -1, 0, 1, 11_016, 19_000, 20_000, 2_000_000] {
            assert_eq!(ChinaDate::from_days(z).days(), z);
        }
        assert!(ChinaDate::new(2024, 2, 29).is_some());
        assert!(ChinaDate::new(2023, 2, 29).is_none());
        assert!(ChinaDate::new(2100, 2, 29).is_none());
        assert_eq!(
            ChinaDate::from_days(0),
            ChinaDate {
                year: 1970,
                month: 1,
                day: 1
            }
        );
        assert_eq!(ChinaDate::from_days(0).weekday(), 3); // a Thursday
    }

    #[test]
    fn parses_dates_and_times() {
        assert_eq!(
            ChinaDate::parse("2022-10-15"),
            Ok(ChinaDate {
                year: 2022,
                month: 10,
                day: 15
            })
        );
        assert!(ChinaDate::parse("2022-13-01").is_err());
        assert!(ChinaDate::parse("22-10-15").is_err());
        assert!(ChinaDate::parse("2022-1-5").is_err());
        assert_eq!(TimeOfDay::parse("10:00"), Ok(TimeOfDay(36_000)));
        assert_eq!(TimeOfDay::parse("23:59:59"), Ok(TimeOfDay(86_399)));
        assert!(TimeOfDay::parse("24:00").is_err());
        assert!(TimeOfDay::parse("10").is_err());
    }

    #[test]
    fn the_shortest_round_trip_sets_the_offset() {
        // Device two hours slow. Two slow answers with skewed midpoints, one quick one.
        let true_offset = 2 * 3_600_000;
        let samples = [
            ClockSample {
                sent: 0,
                received: 900,
                server: Timestamp(true_offset + 100),
            },
            ClockSample {
                sent: 1_000,
                received: 1_040,
                server: Timestamp(true_offset + 1_020),
            },
            ClockSample {
                sent: 2_000,
                received: 2_700,
                server: Timestamp(true_offset + 2_650),
            },
            ClockSample {
                sent: 3_000,
                received: 2_000,
                server: Timestamp(0),
            },
        ];
        assert_eq!(best_offset(&samples), Some(true_offset));
        assert_eq!(best_offset(&[]), None);
    }

    #[test]
    fn countdown_is_hours_minutes_seconds() {
        assert_eq!(countdown_text(0), "00:00:00");
        assert_eq!(countdown_text(-5), "00:00:00");
        assert_eq!(countdown_text(13 * 3_600_000 + 59 * 60_000 + 59_999), "13:59:59");
    }
}

#[cfg(feature = "openapi")]
mod schema {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    use utoipa::openapi::{RefOr, Schema};

    impl utoipa::PartialSchema for super::ChinaDate {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
                .description(Some("A calendar date in China (UTC+8), YYYY-MM-DD"))
                .into()
        }
    }
    impl utoipa::ToSchema for super::ChinaDate {}

    impl utoipa::PartialSchema for super::TimeOfDay {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^[0-2][0-9]:[0-5][0-9](:[0-5][0-9])?$"))
                .description(Some("A time of day in China (UTC+8), HH:MM or HH:MM:SS"))
                .into()
        }
    }
    impl utoipa::ToSchema for super::TimeOfDay {}
}
