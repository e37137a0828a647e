//! Money: an integer number of fen (0.01 yuan). No floating point anywhere near money.

use std::fmt;
use std::ops::{Add, AddAssign, Sub, SubAssign};

use serde::{Deserialize, Deserializer, Serialize};

/// An amount of money in fen. Serialised as a plain integer (the API's contract).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fen(pub i64);

/// Why a written amount of yuan was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyError {
    Empty,
    /// Something other than digits and one decimal point.
    NotANumber,
    /// More than two decimal places (a fen is the smallest unit).
    TooPrecise,
    Negative,
    TooLarge,
    /// Over [`MAX_ORDER`], the most one order may be.
    OverOrderLimit,
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MoneyError::Empty => "no amount given",
            MoneyError::NotANumber => {
                "an amount is written with digits and at most one decimal point, like 200 or 39.90"
            }
            MoneyError::TooPrecise => "an amount has at most two decimal places (fen)",
            MoneyError::Negative => "an amount cannot be negative",
            MoneyError::TooLarge => "the amount is too large",
            MoneyError::OverOrderLimit => "an order is at most 10,000,000 yuan",
        })
    }
}

impl std::error::Error for MoneyError {}

/// The largest amount accepted from input: one hundred million yuan.
pub const MAX_INPUT: Fen = Fen(100_000_000 * 100);

/// The largest order anyone may enter — at the till, on a car invoice, as an offer's threshold:
/// ten million yuan. No county's single order comes near it, and a billion such orders still sum
/// inside `i64`, so no settlement or report sum of them can overflow.
pub const MAX_ORDER: Fen = Fen::from_yuan(10_000_000);

/// An order's amount as someone enters it (at the till, on an invoice, as an offer's threshold):
/// fen from 0 to [`MAX_ORDER`]. Reading one, from JSON or from typed yuan, refuses anything else
/// in words, so no larger number reaches a rule, a row or a sum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct OrderAmount(Fen);

impl OrderAmount {
    /// The amount, if it is within 0 and [`MAX_ORDER`].
    pub fn new(amount: Fen) -> Result<OrderAmount, MoneyError> {
        if amount < Fen::ZERO {
            Err(MoneyError::Negative)
        } else if amount > MAX_ORDER {
            Err(MoneyError::OverOrderLimit)
        } else {
            Ok(OrderAmount(amount))
        }
    }

    /// An amount typed in yuan (see [`Fen::parse_yuan`]), within the bound.
    pub fn parse_yuan(text: &str) -> Result<OrderAmount, MoneyError> {
        OrderAmount::new(Fen::parse_yuan(text)?)
    }

    pub const fn fen(self) -> Fen {
        self.0
    }
}

impl<'de> Deserialize<'de> for OrderAmount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fen = i64::deserialize(deserializer)?;
        OrderAmount::new(Fen(fen)).map_err(|_| {
            serde::de::Error::custom(format!(
                "an order amount is a whole number of fen from 0 to {} (10,000,000 yuan), not {fen}",
                MAX_ORDER.0
            ))
        })
    }
}

#[cfg(feature = "openapi")]
mod schema {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{RefOr, Schema};

    impl utoipa::PartialSchema for super::OrderAmount {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(utoipa::openapi::schema::SchemaFormat::KnownFormat(
                    utoipa::openapi::schema::KnownFormat::Int64,
                )))
                .minimum(Some(0))
                .maximum(Some(super::MAX_ORDER.0))
                .description(Some("An order's amount in fen, at most 10,000,000 yuan"))
                .into()
        }
    }
    impl utoipa::ToSchema for super::OrderAmount {}
}

impl Fen {
    pub const ZERO: Fen = Fen(0);

    pub const fn from_yuan(yuan: i64) -> Fen {
        Fen(yuan * 100)
    }

    pub const fn fen(self) -> i64 {
        self.0
    }

    /// Parses an amount written in yuan: `200`, `39.9`, `39.90`, `¥1,000` (grouping commas and a
    /// leading currency sign are allowed, as people type them).
    pub fn parse_yuan(text: &str) -> Result<Fen, MoneyError> {
        let t = text.trim();
        let t = t
            .strip_prefix('¥')
            .or_else(|| t.strip_prefix('￥'))
            .unwrap_or(t)
            .trim();
        if t.is_empty() {
            return Err(MoneyError::Empty);
        }
        if t.starts_with('-') {
            return Err(MoneyError::Negative);
        }
        let t: String = t.chars().filter(|c| *c != ',').collect();
        let (whole, frac) = match t.split_once('.') {
            Some((w, f)) => (w, f),
            None => (t.as_str(), ""),
        };
        if whole.is_empty() && frac.is_empty() {
            return Err(MoneyError::NotANumber);
        }
        if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(MoneyError::NotANumber);
        }
        if frac.len() > 2 {
            return Err(MoneyError::TooPrecise);
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() > 12 {
            return Err(MoneyError::TooLarge);
        }
        let yuan: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| MoneyError::TooLarge)?
        };
        let mut fen: i64 = 0;
        for (i, c) in frac.chars().enumerate() {
            let d = i64::from(c as u8 - b'0');
            fen += if i == 0 { d * 10 } else { d };
        }
        let total = yuan
            .checked_mul(100)
            .and_then(|y| y.checked_add(fen))
            .ok_or(MoneyError::TooLarge)?;
        if total > MAX_INPUT.0 {
            return Err(MoneyError::TooLarge);
        }
        Ok(Fen(total))
    }

    /// `rate` parts per ten thousand (basis points) of this amount, rounded down to the fen.
    /// Rounding down means a subsidy never pays out more than the rule says.
    pub fn basis_points(self, rate: u32) -> Fen {
        let v = i128::from(self.0) * i128::from(rate) / 10_000;
        Fen(i64::try_from(v).unwrap_or(i64::MAX))
    }

    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }

    pub fn checked_sub(self, other: Fen) -> Option<Fen> {
        self.0.checked_sub(other.0).map(Fen)
    }

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// The amount in whole yuan when it has no fen part, for compact rule text like 满200减40.
    pub fn whole_yuan(self) -> Option<i64> {
        (self.0 % 100 == 0).then_some(self.0 / 100)
    }

    /// Yuan without trailing zero fen: `40`, `39.9`, `0.05`.
    pub fn yuan_compact(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let (y, f) = (a / 100, a % 100);
        match f {
            0 => format!("{sign}{y}"),
            f if f % 10 == 0 => format!("{sign}{y}.{}", f / 10),
            f => format!("{sign}{y}.{f:02}"),
        }
    }
}

/// Always two decimals: `40.00`, `-3.05`.
impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

impl Add for Fen {
    type Output = Fen;
    fn add(self, o: Fen) -> Fen {
        Fen(self.0.saturating_add(o.0))
    }
}

impl Sub for Fen {
    type Output = Fen;
    fn sub(self, o: Fen) -> Fen {
        Fen(self.0.saturating_sub(o.0))
    }
}

impl AddAssign for Fen {
    fn add_assign(&mut self, o: Fen) {
        *self = *self + o;
    }
}

impl SubAssign for Fen {
    fn sub_assign(&mut self, o: Fen) {
        *self = *self - o;
    }
}

impl std::iter::Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        iter.fold(Fen::ZERO, |a, b| a + b)
    }
}

/// Writes money in yuan as campaign files do, so that [`deserialize_yuan`] reads it back: whole
/// yuan as a number (`4000000`), anything with fen as text (`"39.90"`).
pub fn serialize_yuan<S: serde::Serializer>(v: &Fen, s: S) -> Result<S::Ok, S::Error> {
    if v.0 % 100 == 0 {
        s.serialize_i64(v.0 / 100)
    } else {
        s.collect_str(v)
    }
}

/// Campaign files write money in yuan, as the published documents do: `4000000`, `"39.90"`.
pub fn deserialize_yuan<'de, D: Deserializer<'de>>(d: D) -> Result<Fen, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Whole(i64),
        Text(String),
    }
    match Written::deserialize(d)? {
        Written::Whole(y) if y < 0 => Err(serde::de::Error::custom(MoneyError::Negative)),
        Written::Whole(y) => y
            .checked_mul(100)
            .map(Fen)
            .ok_or_else(|| serde::de::Error::custom(MoneyError::TooLarge)),
        Written::Text(t) => Fen::parse_yuan(&t).map_err(serde::de::Error::custom),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_yuan_as_people_write_it() {
        assert_eq!(Fen::parse_yuan("200"), Ok(Fen(20_000)));
        assert_eq!(Fen::parse_yuan("39.9"), Ok(Fen(3_990)));
        assert_eq!(Fen::parse_yuan("39.90"), Ok(Fen(3_990)));
        assert_eq!(Fen::parse_yuan("0.05"), Ok(Fen(5)));
        assert_eq!(Fen::parse_yuan(".5"), Ok(Fen(50)));
        assert_eq!(Fen::parse_yuan("¥1,000"), Ok(Fen(100_000)));
        assert_eq!(Fen::parse_yuan(" 7. "), Ok(Fen(700)));
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        assert_eq!(Fen::parse_yuan(""), Err(MoneyError::Empty));
        assert_eq!(Fen::parse_yuan("."), Err(MoneyError::NotANumber));
        assert_eq!(Fen::parse_yuan("1.2.3"), Err(MoneyError::NotANumber));
        assert_eq!(Fen::parse_yuan("12a"), Err(MoneyError::NotANumber));
        assert_eq!(Fen::parse_yuan("1.234"), Err(MoneyError::TooPrecise));
        assert_eq!(Fen::parse_yuan("-5"), Err(MoneyError::Negative));
        assert_eq!(Fen::parse_yuan("99999999999999999999"), Err(MoneyError::TooLarge));
        assert_eq!(Fen::parse_yuan("100000001"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn formats_two_decimals_and_compact() {
        assert_eq!(Fen(4_000).to_string(), "40.00");
        assert_eq!(Fen(-305).to_string(), "-3.05");
        assert_eq!(Fen(4_000).yuan_compact(), "40");
        assert_eq!(Fen(3_990).yuan_compact(), "39.9");
        assert_eq!(Fen(5).yuan_compact(), "0.05");
    }

    #[test]
    fn basis_points_round_down() {
        assert_eq!(Fen(999).basis_points(1_000), Fen(99));
        assert_eq!(Fen::from_yuan(8_000).basis_points(1_000), Fen::from_yuan(800));
    }
}
