//! The QR symbol of the code a resident shows: numeric mode, version 1 (21 × 21 modules), error
//! correction level M.
//!
//! Only digits are ever encoded (twenty of them, see [`crate::code`]), so this is the whole of
//! ISO/IEC 18004 the product needs: one mode, one version, one level, all eight masks with the
//! standard's penalty rules choosing among them. Up to 34 digits fit. Version 1 has the largest
//! modules a screen can show, which is what a camera reads best through glare and a cracked phone.

/// Modules on a side of a version-1 symbol.
pub const SIZE: usize = 21;
/// Light modules the standard asks for around the symbol.
pub const QUIET_ZONE: usize = 4;
/// The most digits a version-1, level-M symbol holds.
pub const MAX_DIGITS: usize = 34;

const DATA_CODEWORDS: usize = 16;
const EC_CODEWORDS: usize = 10;
/// Level M in the format information.
const LEVEL_M_BITS: u16 = 0b00;

/// A QR symbol: which modules are dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    dark: [[bool; SIZE]; SIZE],
}

impl Symbol {
    /// The symbol for a string of ASCII digits, or `None` if it holds anything else or more than
    /// [`MAX_DIGITS`].
    pub fn numeric(digits: &str) -> Option<Symbol> {
        let codewords = codewords(digits)?;
        let mut grid = Grid::new();
        grid.draw_function_patterns();
        grid.draw_codewords(&codewords);
        let base = grid.clone();
        let mut best: Option<(u32, Grid)> = None;
        for mask in 0..8u8 {
            let mut candidate = base.clone();
            candidate.apply_mask(mask);
            candidate.draw_format(mask);
            let score = penalty(&candidate.dark);
            if best.as_ref().is_none_or(|(s, _)| score < *s) {
                best = Some((score, candidate));
            }
        }
        best.map(|(_, grid)| Symbol { dark: grid.dark })
    }

    /// Whether the module at column `x`, row `y` is dark (outside the symbol: light).
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        y < SIZE && x < SIZE && self.dark[y][x]
    }

    /// The dark modules as one SVG path in module units, the quiet zone included (so the view box
    /// is `0 0 29 29`): each horizontal run of dark modules is one rectangle.
    pub fn svg_path(&self) -> String {
        let mut path = String::with_capacity(1200);
        for (y, row) in self.dark.iter().enumerate() {
            let mut x = 0;
            while x < SIZE {
                if !row[x] {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < SIZE && row[x] {
                    x += 1;
                }
                push_run(&mut path, start + QUIET_ZONE, y + QUIET_ZONE, x - start);
            }
        }
        path
    }
}

/// `M{x} {y}h{len}v1h-{len}z`, written without the formatting machinery.
fn push_run(path: &mut String, x: usize, y: usize, len: usize) {
    path.push('M');
    push_number(path, x);
    path.push(' ');
    push_number(path, y);
    path.push('h');
    push_number(path, len);
    path.push_str("v1h-");
    push_number(path, len);
    path.push('z');
}

fn push_number(path: &mut String, n: usize) {
    if n >= 10 {
        push_number(path, n / 10);
    }
    path.push(char::from(b'0' + (n % 10) as u8));
}

/// Mode, count, digits, terminator and padding, then the error-correction codewords.
fn codewords(digits: &str) -> Option<[u8; DATA_CODEWORDS + EC_CODEWORDS]> {
    let bytes = digits.as_bytes();
    if bytes.len() > MAX_DIGITS || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut bits = Bits::default();
    bits.push(0b0001, 4);
    bits.push(bytes.len() as u32, 10);
    for group in bytes.chunks(3) {
        let value = group.iter().fold(0u32, |v, d| v * 10 + u32::from(d - b'0'));
        bits.push(value, [0, 4, 7, 10][group.len()]);
    }
    let capacity = DATA_CODEWORDS * 8;
    bits.push(0, (capacity - bits.len).min(4));
    bits.push(0, (8 - bits.len % 8) % 8);
    let mut data = [0u8; DATA_CODEWORDS];
    let used = bits.len / 8;
    data[..used].copy_from_slice(&bits.bytes[..used]);
    for (i, pad) in data[used..].iter_mut().enumerate() {
        *pad = if i % 2 == 0 { 0xEC } else { 0x11 };
    }
    let ec = reed_solomon(&data);
    let mut all = [0u8; DATA_CODEWORDS + EC_CODEWORDS];
    all[..DATA_CODEWORDS].copy_from_slice(&data);
    all[DATA_CODEWORDS..].copy_from_slice(&ec);
    Some(all)
}

#[derive(Default)]
struct Bits {
    bytes: [u8; DATA_CODEWORDS],
    len: usize,
}

impl Bits {
    fn push(&mut self, value: u32, count: usize) {
        for i in (0..count).rev() {
            if (value >> i) & 1 == 1 {
                self.bytes[self.len / 8] |= 0x80 >> (self.len % 8);
            }
            self.len += 1;
        }
    }
}

/// Product in GF(2⁸) modulo the standard's polynomial x⁸ + x⁴ + x³ + x² + 1.
fn gf_mul(x: u8, y: u8) -> u8 {
    let mut z: u16 = 0;
    for i in (0..8).rev() {
        z = (z << 1) ^ ((z >> 7) * 0x11D);
        z ^= u16::from((y >> i) & 1) * u16::from(x);
    }
    z as u8
}

/// The error-correction codewords: the remainder of the data divided by the generator
/// polynomial of degree 10.
fn reed_solomon(data: &[u8]) -> [u8; EC_CODEWORDS] {
    let mut divisor = [0u8; EC_CODEWORDS];
    divisor[EC_CODEWORDS - 1] = 1;
    let mut root = 1u8;
    for _ in 0..EC_CODEWORDS {
        for j in 0..EC_CODEWORDS {
            divisor[j] = gf_mul(divisor[j], root);
            if j + 1 < EC_CODEWORDS {
                divisor[j] ^= divisor[j + 1];
            }
        }
        root = gf_mul(root, 2);
    }
    let mut remainder = [0u8; EC_CODEWORDS];
    for &b in data {
        let factor = b ^ remainder[0];
        remainder.copy_within(1.., 0);
        remainder[EC_CODEWORDS - 1] = 0;
        for (r, d) in remainder.iter_mut().zip(divisor) {
            *r ^= gf_mul(d, factor);
        }
    }
    remainder
}

#[derive(Clone)]
struct Grid {
    dark: [[bool; SIZE]; SIZE],
    function: [[bool; SIZE]; SIZE],
}

impl Grid {
    fn new() -> Grid {
        Grid {
            dark: [[false; SIZE]; SIZE],
            function: [[false; SIZE]; SIZE],
        }
    }

    fn set_function(&mut self, x: usize, y: usize, dark: bool) {
        self.dark[y][x] = dark;
        self.function[y][x] = true;
    }

    /// Timing patterns, the three finders with their separators, the dark module, and room kept
    /// for the format information.
    fn draw_function_patterns(&mut self) {
        for i in 0..SIZE {
            self.set_function(6, i, i % 2 == 0);
            self.set_function(i, 6, i % 2 == 0);
        }
        for (cx, cy) in [(3, 3), (SIZE - 4, 3), (3, SIZE - 4)] {
            for dy in -4i32..=4 {
                for dx in -4i32..=4 {
                    let (x, y) = (cx as i32 + dx, cy as i32 + dy);
                    if (0..SIZE as i32).contains(&x) && (0..SIZE as i32).contains(&y) {
                        let ring = dx.abs().max(dy.abs());
                        self.set_function(x as usize, y as usize, ring != 2 && ring != 4);
                    }
                }
            }
        }
        // Reserved now, written per mask by `draw_format`.
        self.draw_format(0);
    }

    /// Fifteen bits of level and mask, BCH-protected, in both of their places.
    fn draw_format(&mut self, mask: u8) {
        let data = (LEVEL_M_BITS << 3) | u16::from(mask);
        let mut rem = data;
        for _ in 0..10 {
            rem = (rem << 1) ^ ((rem >> 9) * 0x537);
        }
        let bits = ((data << 10) | rem) ^ 0x5412;
        let bit = |i: usize| (bits >> i) & 1 == 1;
        for i in 0..=5 {
            self.set_function(8, i, bit(i));
        }
        self.set_function(8, 7, bit(6));
        self.set_function(8, 8, bit(7));
        self.set_function(7, 8, bit(8));
        for i in 9..15 {
            self.set_function(14 - i, 8, bit(i));
        }
        for i in 0..8 {
            self.set_function(SIZE - 1 - i, 8, bit(i));
        }
        for i in 8..15 {
            self.set_function(8, SIZE - 15 + i, bit(i));
        }
        self.set_function(8, SIZE - 8, true);
    }

    /// The codewords' bits in the standard's zigzag: two columns at a time from the right,
    /// alternately upwards and downwards, skipping function modules.
    fn draw_codewords(&mut self, codewords: &[u8]) {
        let total = codewords.len() * 8;
        let mut i = 0;
        let mut right = SIZE - 1;
        loop {
            if right == 6 {
                right = 5;
            }
            let upward = (right + 1) & 2 == 0;
            for vert in 0..SIZE {
                for j in 0..2 {
                    let x = right - j;
                    let y = if upward { SIZE - 1 - vert } else { vert };
                    if !self.function[y][x] && i < total {
                        self.dark[y][x] = (codewords[i / 8] >> (7 - i % 8)) & 1 == 1;
                        i += 1;
                    }
                }
            }
            if right < 2 {
                break;
            }
            right -= 2;
        }
    }

    fn apply_mask(&mut self, mask: u8) {
        for y in 0..SIZE {
            for x in 0..SIZE {
                let flip = match mask {
                    0 => (x + y) % 2 == 0,
                    1 => y % 2 == 0,
                    2 => x % 3 == 0,
                    3 => (x + y) % 3 == 0,
                    4 => (x / 3 + y / 2) % 2 == 0,
                    5 => x * y % 2 + x * y % 3 == 0,
                    6 => (x * y % 2 + x * y % 3) % 2 == 0,
                    _ => ((x + y) % 2 + x * y % 3) % 2 == 0,
                };
                if flip && !self.function[y][x] {
                    self.dark[y][x] = !self.dark[y][x];
                }
            }
        }
    }
}

/// The standard's four penalty rules: long runs, 2 × 2 blocks, finder-like patterns, and dark
/// modules far from half.
fn penalty(dark: &[[bool; SIZE]; SIZE]) -> u32 {
    let at = |x: usize, y: usize, by_column: bool| if by_column { dark[x][y] } else { dark[y][x] };
    let mut score = 0;
    for by_column in [false, true] {
        for y in 0..SIZE {
            let mut run = 1;
            for x in 1..=SIZE {
                if x < SIZE && at(x, y, by_column) == at(x - 1, y, by_column) {
                    run += 1;
                    continue;
                }
                if run >= 5 {
                    score += 3 + (run - 5);
                }
                run = 1;
            }
            const FINDER: [bool; 11] = [
                true, false, true, true, true, false, true, false, false, false, false,
            ];
            for x in 0..=SIZE - FINDER.len() {
                let forward = (0..11).all(|k| at(x + k, y, by_column) == FINDER[k]);
                let backward = (0..11).all(|k| at(x + k, y, by_column) == FINDER[10 - k]);
                score += 40 * (u32::from(forward) + u32::from(backward));
            }
        }
    }
    for y in 0..SIZE - 1 {
        for x in 0..SIZE - 1 {
            let c = dark[y][x];
            if c == dark[y][x + 1] && c == dark[y + 1][x] && c == dark[y + 1][x + 1] {
                score += 3;
            }
        }
    }
    let total = (SIZE * SIZE) as u32;
    let dark_count = dark.iter().flatten().filter(|d| **d).count() as u32;
    // k = the number of whole 5 % steps the dark share is from 50 %.
    let k = (dark_count * 20).abs_diff(total * 10) / total;
    score + 10 * k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reed_solomon_matches_the_standards_worked_example() {
        // ISO/IEC 18004 Annex I: "01234567" at version 1-M.
        let data = [
            0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
        ];
        assert_eq!(
            reed_solomon(&data),
            [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55]
        );
        assert_eq!(
            codewords("01234567").map(|c| c[..16].to_vec()),
            Some(data.to_vec())
        );
    }

    #[test]
    fn only_digits_that_fit() {
        assert!(Symbol::numeric("12a4").is_none());
        assert!(Symbol::numeric(&"1".repeat(MAX_DIGITS + 1)).is_none());
        assert!(Symbol::numeric(&"9".repeat(MAX_DIGITS)).is_some());
        assert!(Symbol::numeric("").is_some());
    }

    #[test]
    fn finders_timing_and_dark_module_are_where_a_reader_looks() {
        let s = Symbol::numeric("00000000314060084501").expect("twenty digits fit");
        for (x0, y0) in [(0, 0), (14, 0), (0, 14)] {
            for d in 0..7 {
                assert!(
                    s.is_dark(x0 + d, y0) && s.is_dark(x0, y0 + d),
                    "finder edge at {x0},{y0}"
                );
            }
            assert!(!s.is_dark(x0 + 1, y0 + 1) && s.is_dark(x0 + 3, y0 + 3));
        }
        for i in 8..13 {
            assert_eq!(s.is_dark(i, 6), i % 2 == 0);
            assert_eq!(s.is_dark(6, i), i % 2 == 0);
        }
        assert!(s.is_dark(8, SIZE - 8));
    }

    #[test]
    fn the_path_draws_exactly_the_dark_modules() {
        let s = Symbol::numeric("12345678901234567890").expect("fits");
        let mut drawn = [[false; SIZE]; SIZE];
        for run in s.svg_path().split('z').filter(|r| !r.is_empty()) {
            let (start, rest) = run[1..].split_once('h').expect("h");
            let (x, y) = start.split_once(' ').expect("x y");
            let len: usize = rest.split_once('v').expect("v").0.parse().expect("len");
            let (x, y): (usize, usize) = (x.parse().expect("x"), y.parse().expect("y"));
            for dx in 0..len {
                drawn[y - QUIET_ZONE][x - QUIET_ZONE + dx] = true;
            }
        }
        assert_eq!(drawn, s.dark);
    }
}
