//! The code a resident shows at the till: twenty digits that rotate every 30 seconds.
//!
//! Layout, in the manner of the payment codes residents already know:
//!
//! ```text
//! CCCCCCCCCC SS MMMMMMM L
//! coupon     step  MAC  Luhn check digit
//! ```
//!
//! - `C`: the coupon number, ten digits;
//! - `S`: the 30-second step, modulo 100 (the verifier knows the time, so two digits suffice);
//! - `M`: seven digits of an HMAC-SHA256 over coupon and full step, keyed by the coupon's own key,
//!   which the wallet holds so it can show codes offline;
//! - `L`: a Luhn digit, so a mistyped code is caught before it reaches the server.
//!
//! A code is accepted during its own step and the one after it (at verification time: the
//! current and the previous step), never past the coupon's expiry. The same twenty digits are the
//! QR code's content (numeric mode fits a version-1 symbol) and what a person types.

use std::fmt;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::ErrorCode;
use crate::ids::CouponId;
use crate::time::Timestamp;

/// Length of a step, in seconds.
pub const STEP_SECS: i64 = 30;
/// Digits in a code.
pub const CODE_DIGITS: usize = 20;
/// The largest coupon number a code can carry.
pub const MAX_COUPON: i64 = 9_999_999_999;
/// A phone whose corrected clock runs slightly ahead may show the next step's code a moment
/// early; that much is forgiven, nothing more.
pub const EARLY_GRACE_MS: i64 = 3_000;
const STEP_MODULUS: i64 = 100;
const MAC_MODULUS: u64 = 10_000_000;

type HmacSha256 = Hmac<Sha256>;

/// The secret from which a wallet computes a coupon's codes. The server derives it from its
/// master secret, so it stores nothing per coupon; the wallet keeps it for offline use.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponKey(#[serde(with = "hex32")] pub [u8; 32]);

impl fmt::Debug for CouponKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CouponKey(…)")
    }
}

impl CouponKey {
    /// The key of `coupon` under the server's `master` secret.
    pub fn derive(master: &[u8], coupon: CouponId) -> CouponKey {
        let mut out = [0u8; 32];
        if let Ok(mut mac) = HmacSha256::new_from_slice(master) {
            mac.update(b"quan/coupon-key/v1");
            mac.update(&coupon.0.to_be_bytes());
            out.copy_from_slice(&mac.finalize().into_bytes());
        }
        CouponKey(out)
    }

    fn mac(&self, coupon: CouponId, step: i64) -> u32 {
        let Ok(mut mac) = HmacSha256::new_from_slice(&self.0) else {
            return 0;
        };
        mac.update(b"quan/code/v1");
        mac.update(&coupon.0.to_be_bytes());
        mac.update(&step.to_be_bytes());
        let bytes = mac.finalize().into_bytes();
        let mut head = [0u8; 8];
        head.copy_from_slice(&bytes[..8]);
        (u64::from_be_bytes(head) % MAC_MODULUS) as u32
    }
}

/// The 30-second step an instant falls in.
pub fn step_of(t: Timestamp) -> i64 {
    t.secs().div_euclid(STEP_SECS)
}

/// When the step `step` begins.
pub fn step_start(step: i64) -> Timestamp {
    Timestamp(step * STEP_SECS * 1000)
}

/// A code as shown: twenty ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ShownCode(String);

impl ShownCode {
    /// The twenty digits, as the QR code carries them.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// Grouped by four for reading aloud and typing: `0000 0123 4567 8901 2345`.
    pub fn grouped(&self) -> String {
        let mut out = String::with_capacity(CODE_DIGITS + 4);
        for (i, c) in self.0.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }
}

impl fmt::Display for ShownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The code of `coupon` for the step that `now` falls in, or `None` when the coupon has expired
/// by then (a code is never shown past expiry) or its number does not fit a code.
pub fn generate(key: &CouponKey, coupon: CouponId, now: Timestamp, expires: Timestamp) -> Option<ShownCode> {
    if now > expires || !(0..=MAX_COUPON).contains(&coupon.0) {
        return None;
    }
    let step = step_of(now);
    Some(assemble(coupon, step, key.mac(coupon, step)))
}

fn assemble(coupon: CouponId, step: i64, mac: u32) -> ShownCode {
    let body = format!("{:010}{:02}{:07}", coupon.0, step.rem_euclid(STEP_MODULUS), mac);
    let check = luhn_check_digit(&body);
    ShownCode(format!("{body}{check}"))
}

/// Why a typed or scanned text is not a code at all (before any key is consulted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeFormatError {
    Empty,
    /// A character other than digits, spaces and hyphens.
    NotDigits,
    /// Not twenty digits.
    WrongLength(usize),
    /// The check digit does not match: most likely a typing mistake.
    CheckDigit,
}

impl fmt::Display for CodeFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeFormatError::Empty => f.write_str("no code given"),
            CodeFormatError::NotDigits => f.write_str("a coupon code has digits only"),
            CodeFormatError::WrongLength(n) => {
                write!(f, "a coupon code has {CODE_DIGITS} digits, this has {n}")
            }
            CodeFormatError::CheckDigit => {
                f.write_str("the code has a typing mistake (check digit does not match)")
            }
        }
    }
}

impl std::error::Error for CodeFormatError {}

/// A code that has the right form; whether it is genuine and current is [`ParsedCode::verify`]'s job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedCode {
    pub coupon: CouponId,
    step_low: i64,
    mac: u32,
}

/// Reads a code as scanned or typed: digits, with any spaces or hyphens between them.
pub fn parse(text: &str) -> Result<ParsedCode, CodeFormatError> {
    let mut digits = String::with_capacity(CODE_DIGITS);
    for c in text.trim().chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '\u{3000}' => {}
            _ => return Err(CodeFormatError::NotDigits),
        }
    }
    if digits.is_empty() {
        return Err(CodeFormatError::Empty);
    }
    if digits.len() != CODE_DIGITS {
        return Err(CodeFormatError::WrongLength(digits.len()));
    }
    let (body, check) = digits.split_at(CODE_DIGITS - 1);
    if check.as_bytes().first().map(|b| b - b'0') != Some(luhn_check_digit(body)) {
        return Err(CodeFormatError::CheckDigit);
    }
    let num = |r: std::ops::Range<usize>| body[r].parse::<i64>().unwrap_or_default();
    Ok(ParsedCode {
        coupon: CouponId(num(0..10)),
        step_low: num(10..12),
        mac: num(12..19) as u32,
    })
}

impl ParsedCode {
    /// Checks the code against the coupon's key at server time `now`.
    ///
    /// `CodeInvalid` for a code no key-holder made (forged or altered), `CodeStale` for a genuine
    /// code older than the previous step, `CodeExpired` once the coupon has expired.
    pub fn verify(&self, key: &CouponKey, now: Timestamp, expires: Timestamp) -> Result<(), ErrorCode> {
        let current = step_of(now);
        // The one full step in (current - 99 ..= current + 1) with these low digits.
        let newest = current + 1;
        let step = newest - (newest - self.step_low).rem_euclid(STEP_MODULUS);
        if key.mac(self.coupon, step) != self.mac {
            return Err(ErrorCode::CodeInvalid);
        }
        if now > expires || step_start(step) > expires {
            return Err(ErrorCode::CodeExpired);
        }
        let early_ok = step == newest && step_start(step).millis() - now.millis() <= EARLY_GRACE_MS;
        if step == current || step == current - 1 || early_ok {
            Ok(())
        } else {
            Err(ErrorCode::CodeStale)
        }
    }
}

/// The Luhn check digit of a string of ASCII digits.
pub fn luhn_check_digit(digits: &str) -> u8 {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b.wrapping_sub(b'0'));
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

mod hex32 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        let mut out = String::with_capacity(64);
        for b in bytes {
            out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
        }
        s.serialize_str(&out)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        let bad = || serde::de::Error::custom("a coupon key is 64 hexadecimal digits");
        if text.len() != 64 {
            return Err(bad());
        }
        let mut out = [0u8; 32];
        for (i, pair) in text.as_bytes().chunks(2).enumerate() {
            let hex = std::str::from_utf8(pair).map_err(|_| bad())?;
            out[i] = u8::from_str_radix(hex, 16).map_err(|_| bad())?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MASTER: &[u8] = b"test master secret";
    // 2022-09-25 10:00:00 China time, the start of a step.
    const T0: Timestamp = Timestamp(1_664_071_200_000);

    fn setup() -> (CouponKey, CouponId, Timestamp) {
        let coupon = CouponId(1_234_567);
        (CouponKey::derive(MASTER, coupon), coupon, T0.plus_secs(14 * 3600))
    }

    #[test]
    fn a_code_is_twenty_digits_with_a_valid_check_digit() {
        let (key, coupon, expires) = setup();
        let code = generate(&key, coupon, T0, expires).ok_or("no code");
        let code = code.unwrap_or_else(|_| ShownCode(String::new()));
        assert_eq!(code.digits().len(), CODE_DIGITS);
        assert!(code.digits().starts_with("0001234567"));
        assert_eq!(parse(&code.grouped()).map(|p| p.coupon), Ok(coupon));
        assert_eq!(code.grouped().len(), 24);
    }

    #[test]
    fn valid_in_its_step_and_the_next_then_stale() {
        let (key, coupon, expires) = setup();
        let code = generate(&key, coupon, T0.plus_secs(5), expires).map(|c| parse(c.digits()));
        let Some(Ok(parsed)) = code else {
            panic!("code did not parse")
        };
        assert_eq!(parsed.verify(&key, T0.plus_secs(29), expires), Ok(()));
        assert_eq!(parsed.verify(&key, T0.plus_secs(59), expires), Ok(()));
        assert_eq!(
            parsed.verify(&key, T0.plus_secs(60), expires),
            Err(ErrorCode::CodeStale)
        );
        assert_eq!(
            parsed.verify(&key, T0.plus_secs(45 * 60), expires),
            Err(ErrorCode::CodeStale)
        );
        // A phone slightly ahead: the code of the coming step, 2 s early, is forgiven; 10 s is not.
        assert_eq!(parsed.verify(&key, T0.plus_millis(-2_000), expires), Ok(()));
        assert_eq!(
            parsed.verify(&key, T0.plus_millis(-10_000), expires),
            Err(ErrorCode::CodeStale)
        );
    }

    #[test]
    fn never_past_expiry() {
        let (key, coupon, _) = setup();
        let expires = T0.plus_secs(40);
        assert!(generate(&key, coupon, T0.plus_secs(41), expires).is_none());
        let Some(Ok(parsed)) = generate(&key, coupon, T0.plus_secs(35), expires).map(|c| parse(c.digits()))
        else {
            panic!("code did not parse")
        };
        assert_eq!(parsed.verify(&key, T0.plus_secs(39), expires), Ok(()));
        assert_eq!(
            parsed.verify(&key, T0.plus_secs(41), expires),
            Err(ErrorCode::CodeExpired)
        );
    }

    #[test]
    fn forged_or_altered_codes_are_invalid() {
        let (key, coupon, expires) = setup();
        let other = CouponKey::derive(b"another master", coupon);
        let Some(Ok(forged)) = generate(&other, coupon, T0, expires).map(|c| parse(c.digits())) else {
            panic!("code did not parse")
        };
        assert_eq!(forged.verify(&key, T0, expires), Err(ErrorCode::CodeInvalid));
        // Altering the coupon number (and fixing up the check digit) breaks the MAC.
        let Some(code) = generate(&key, coupon, T0, expires) else {
            panic!("no code")
        };
        let mut body: String = code.digits()[..19].to_owned();
        body.replace_range(9..10, if &body[9..10] == "7" { "8" } else { "7" });
        let altered = format!("{body}{}", luhn_check_digit(&body));
        let Ok(altered) = parse(&altered) else {
            panic!("altered code did not parse")
        };
        assert_eq!(altered.verify(&key, T0, expires), Err(ErrorCode::CodeInvalid));
    }

    #[test]
    fn parser_names_each_malformation() {
        assert_eq!(parse(""), Err(CodeFormatError::Empty));
        assert_eq!(parse("  "), Err(CodeFormatError::Empty));
        assert_eq!(parse("1234x"), Err(CodeFormatError::NotDigits));
        assert_eq!(parse("１２３"), Err(CodeFormatError::NotDigits));
        assert_eq!(parse("12345"), Err(CodeFormatError::WrongLength(5)));
        let (key, coupon, expires) = setup();
        let Some(code) = generate(&key, coupon, T0, expires) else {
            panic!("no code")
        };
        let mut typo = code.digits().to_owned();
        let last = typo
            .pop()
            .map(|c| if c == '0' { '1' } else { '0' })
            .unwrap_or('0');
        typo.push(last);
        assert_eq!(parse(&typo), Err(CodeFormatError::CheckDigit));
    }

    #[test]
    fn luhn_matches_the_known_example() {
        assert_eq!(luhn_check_digit("7992739871"), 3);
    }

    #[test]
    fn keys_round_trip_as_hex() {
        let (key, _, _) = setup();
        let json = serde_json::to_string(&key).unwrap_or_default();
        assert_eq!(json.len(), 66);
        assert_eq!(serde_json::from_str::<CouponKey>(&json).ok(), Some(key));
    }
}

#[cfg(feature = "openapi")]
mod schema {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{RefOr, Schema};

    impl utoipa::PartialSchema for super::CouponKey {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^[0-9a-f]{64}$"))
                .description(Some(
                    "The coupon's code key, 32 bytes in hex: the wallet computes rotating codes with it",
                ))
                .into()
        }
    }
    impl utoipa::ToSchema for super::CouponKey {}
}
