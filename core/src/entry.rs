//! Input at the till, as pure state: telling a barcode-scanner gun from a person typing, and the
//! amount keypad.

use crate::money::{Fen, OrderAmount, MAX_ORDER};

/// Keystrokes a scanner gun sends arrive much faster than anyone types: at most this far apart.
pub const GUN_GAP_MS: i64 = 35;
/// A scan is at least this many characters before its Enter.
pub const GUN_MIN_CHARS: usize = 12;

/// Watches keystrokes anywhere on the scan screen; a burst of characters ending in Enter, each
/// within [`GUN_GAP_MS`] of the last, is a scan. Slower typing is a person, and is left alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GunDetector {
    burst: String,
    last_ms: Option<i64>,
}

impl GunDetector {
    /// A printable character arrived at `at_ms`.
    pub fn char(&mut self, c: char, at_ms: i64) {
        let continues = self.last_ms.is_some_and(|t| at_ms - t <= GUN_GAP_MS);
        if !continues {
            self.burst.clear();
        }
        self.burst.push(c);
        self.last_ms = Some(at_ms);
    }

    /// Enter arrived at `at_ms`: the scanned text, if what came before was a scan.
    pub fn enter(&mut self, at_ms: i64) -> Option<String> {
        let fast = self.last_ms.is_some_and(|t| at_ms - t <= GUN_GAP_MS);
        let burst = std::mem::take(&mut self.burst);
        self.last_ms = None;
        (fast && burst.chars().count() >= GUN_MIN_CHARS).then_some(burst)
    }
}

/// A key of the amount keypad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountKey {
    Digit(u8),
    Point,
    Back,
    Clear,
}

/// The order amount as it is typed on the keypad: digits, one point, at most two decimals,
/// never more than the largest amount accepted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AmountEntry {
    text: String,
}

impl AmountEntry {
    pub fn press(&mut self, key: AmountKey) {
        match key {
            AmountKey::Clear => self.text.clear(),
            AmountKey::Back => {
                self.text.pop();
            }
            AmountKey::Point => {
                if !self.text.contains('.') {
                    if self.text.is_empty() {
                        self.text.push('0');
                    }
                    self.text.push('.');
                }
            }
            AmountKey::Digit(d) if d <= 9 => {
                let decimals = self.text.split_once('.').map(|(_, f)| f.len());
                if decimals.is_some_and(|n| n >= 2) {
                    return;
                }
                if self.text == "0" {
                    self.text.clear();
                }
                self.text.push(char::from(b'0' + d));
                if Fen::parse_yuan(&self.text).map_or(true, |f| f > MAX_ORDER) {
                    self.text.pop();
                }
            }
            AmountKey::Digit(_) => {}
        }
    }

    /// What is shown: `0` when nothing is typed.
    pub fn text(&self) -> &str {
        if self.text.is_empty() {
            "0"
        } else {
            &self.text
        }
    }

    /// The amount, once it is more than zero.
    /// The order entered, if it is more than nothing (the keypad never takes more than
    /// [`MAX_ORDER`]).
    pub fn amount(&self) -> Option<OrderAmount> {
        OrderAmount::parse_yuan(self.text())
            .ok()
            .filter(|f| f.fen().is_positive())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(d: &mut GunDetector, text: &str, start: i64, gap: i64) -> i64 {
        let mut t = start;
        for c in text.chars() {
            d.char(c, t);
            t += gap;
        }
        t
    }

    #[test]
    fn a_gun_burst_ending_in_enter_is_a_scan() {
        let mut d = GunDetector::default();
        let end = typed(&mut d, "00000000314060084501", 1_000, 8);
        assert_eq!(d.enter(end).as_deref(), Some("00000000314060084501"));
    }

    #[test]
    fn a_person_typing_is_not_a_scan() {
        let mut d = GunDetector::default();
        let end = typed(&mut d, "00000000314060084501", 1_000, 180);
        assert_eq!(d.enter(end), None);
    }

    #[test]
    fn a_short_burst_or_a_pause_before_enter_is_not_a_scan() {
        let mut d = GunDetector::default();
        let end = typed(&mut d, "12345", 0, 5);
        assert_eq!(d.enter(end), None);
        let end = typed(&mut d, "00000000314060084501", 5_000, 5);
        assert_eq!(d.enter(end + 400), None, "Enter long after the burst is a person");
    }

    #[test]
    fn slow_keys_before_a_burst_are_dropped() {
        let mut d = GunDetector::default();
        typed(&mut d, "99", 0, 500);
        let end = typed(&mut d, "00000000314060084501", 2_000, 10);
        assert_eq!(d.enter(end).as_deref(), Some("00000000314060084501"));
    }

    #[test]
    fn the_keypad_types_amounts_people_mean() {
        let mut a = AmountEntry::default();
        assert_eq!((a.text(), a.amount()), ("0", None));
        for k in [
            AmountKey::Digit(2),
            AmountKey::Digit(3),
            AmountKey::Digit(8),
            AmountKey::Point,
            AmountKey::Digit(5),
        ] {
            a.press(k);
        }
        assert_eq!(a.amount().map(OrderAmount::fen), Some(Fen(23_850)));
        a.press(AmountKey::Digit(9));
        a.press(AmountKey::Digit(9));
        assert_eq!(a.text(), "238.59", "two decimals at most");
        a.press(AmountKey::Point);
        assert_eq!(a.text(), "238.59", "one point");
        a.press(AmountKey::Back);
        a.press(AmountKey::Back);
        a.press(AmountKey::Back);
        assert_eq!(a.text(), "238");
        a.press(AmountKey::Clear);
        a.press(AmountKey::Point);
        a.press(AmountKey::Digit(5));
        assert_eq!(a.amount().map(OrderAmount::fen), Some(Fen(50)));
        let mut big = AmountEntry::default();
        for _ in 0..15 {
            big.press(AmountKey::Digit(9));
        }
        assert!(big.amount().is_some_and(|f| f.fen() <= MAX_ORDER));
        let mut zeros = AmountEntry::default();
        zeros.press(AmountKey::Digit(0));
        zeros.press(AmountKey::Digit(0));
        assert_eq!(zeros.text(), "0");
    }
}
