//! Decoding a camera frame: RGBA pixels in, the QR code's text out.
//!
//! The reader is ZXing's (through rxing): a hybrid binarizer that picks a threshold for each
//! 8×8 block from the blocks around it, then the finder-pattern search, trying harder (every row)
//! and inverted codes too. On top, looks of our own where ZXing alone misses: the frame at half
//! size (noise and blur averaged away), thresholded against the mean of a wide window around each
//! pixel (glare brighter than the code's own contrast), and its centre enlarged (modules too small
//! to find).
//! The work per frame is bounded: frames larger than [`MAX_PIXELS`] are refused unread.

use std::collections::HashSet;

use rxing::common::HybridBinarizer;
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8Source, MultiFormatReader, Reader};

/// The largest frame read: 1920×1080. The till sends at most its camera's frame.
pub const MAX_PIXELS: usize = 1920 * 1080;

/// Luma of RGBA pixels (ITU-R BT.601 weights, integers only).
pub fn greyscale(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .map(|p| ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000) as u8)
        .collect()
}

/// ZXing's look at a greyscale image.
fn read(grey: &[u8], width: usize, height: usize) -> Option<String> {
    let (w, h) = (u32::try_from(width).ok()?, u32::try_from(height).ok()?);
    if w < 21 || h < 21 {
        return None;
    }
    let source = Luma8Source::new_with_slice(grey, w, h).ok()?;
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let hints = DecodeHints {
        TryHarder: Some(true),
        AlsoInverted: Some(true),
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
        ..Default::default()
    };
    MultiFormatReader::default()
        .decode_with_hints(&mut bitmap, &hints)
        .ok()
        .map(|r| r.getText().to_owned())
        .filter(|t| !t.is_empty())
}

/// Half the size, each pixel the mean of four.
fn halve(grey: &[u8], width: usize, height: usize) -> (Vec<u8>, usize, usize) {
    let (w, h) = (width / 2, height / 2);
    let mut out = Vec::with_capacity(w * h);
    for y in 0..h {
        let (top, bottom) = (&grey[2 * y * width..], &grey[(2 * y + 1) * width..]);
        for x in 0..w {
            let sum = u32::from(top[2 * x])
                + u32::from(top[2 * x + 1])
                + u32::from(bottom[2 * x])
                + u32::from(bottom[2 * x + 1]);
            out.push((sum / 4) as u8);
        }
    }
    (out, w, h)
}

/// Black where a pixel is darker than the mean of the square around it (`radius` pixels each way)
/// by more than `bias`, white elsewhere: local thresholds survive glare, shadow and washed-out
/// screens that one threshold for the whole frame does not. Means come from an integral image, so
/// the cost does not grow with the radius.
fn local_threshold(grey: &[u8], width: usize, height: usize, radius: usize, bias: u32) -> Vec<u8> {
    let stride = width + 1;
    let mut integral = vec![0u32; stride * (height + 1)];
    for y in 0..height {
        let mut row = 0u32;
        for x in 0..width {
            row += u32::from(grey[y * width + x]);
            integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1] + row;
        }
    }
    let mut out = vec![0u8; width * height];
    for y in 0..height {
        let (y0, y1) = (y.saturating_sub(radius), (y + radius + 1).min(height));
        for x in 0..width {
            let (x0, x1) = (x.saturating_sub(radius), (x + radius + 1).min(width));
            let sum = integral[y1 * stride + x1] + integral[y0 * stride + x0]
                - integral[y0 * stride + x1]
                - integral[y1 * stride + x0];
            let mean = sum / ((y1 - y0) * (x1 - x0)) as u32;
            out[y * width + x] = if u32::from(grey[y * width + x]) + bias < mean {
                0
            } else {
                255
            };
        }
    }
    out
}

/// The centre `width / 2 × height / 2` of the frame at twice the size, bilinear: a code at arm's
/// length whose modules are under two pixels gets enough of them for the finder.
fn centre_doubled(grey: &[u8], width: usize, height: usize) -> (Vec<u8>, usize, usize) {
    let (cw, ch) = (width / 2, height / 2);
    let (x0, y0) = (width / 4, height / 4);
    let (w, h) = (cw * 2, ch * 2);
    let mut out = Vec::with_capacity(w * h);
    for y in 0..h {
        // Output row y samples the source at y0 + y / 2 - 1/4: between rows `sy` and `sy + 1`, a
        // quarter or three quarters of the way (`fy` / 4).
        let sy = (y0 * 2 + y).saturating_sub(1) / 2;
        let fy = if y % 2 == 0 { 3 } else { 1 };
        let sy1 = (sy + 1).min(height - 1);
        let (r0, r1) = (&grey[sy * width..], &grey[sy1 * width..]);
        for x in 0..w {
            let sx = (x0 * 2 + x).saturating_sub(1) / 2;
            let fx = if x % 2 == 0 { 3 } else { 1 };
            let sx1 = (sx + 1).min(width - 1);
            let top = u32::from(r0[sx]) * (4 - fx) + u32::from(r0[sx1]) * fx;
            let bottom = u32::from(r1[sx]) * (4 - fx) + u32::from(r1[sx1]) * fx;
            out.push(((top * (4 - fy) + bottom * fy) / 16) as u8);
        }
    }
    (out, w, h)
}

/// The text of a QR code in a greyscale frame, if one can be read: ZXing's look at the frame, then
/// at half size, then thresholded by the mean around each pixel, then at the centre enlarged.
pub fn decode_grey(grey: &[u8], width: usize, height: usize) -> Option<String> {
    let pixels = width.checked_mul(height)?;
    if pixels == 0 || pixels > MAX_PIXELS || grey.len() < pixels {
        return None;
    }
    let grey = &grey[..pixels];
    read(grey, width, height)
        .or_else(|| {
            let (half, w, h) = halve(grey, width, height);
            read(&half, w, h)
        })
        .or_else(|| {
            read(
                &local_threshold(grey, width, height, (width / 24).max(1), 6),
                width,
                height,
            )
        })
        .or_else(|| {
            let (centre, w, h) = centre_doubled(grey, width, height);
            read(&centre, w, h)
        })
}

/// The text of a QR code in an RGBA frame, if one can be read.
pub fn decode_rgba(rgba: &[u8], width: usize, height: usize) -> Option<String> {
    let pixels = width.checked_mul(height)?;
    if pixels == 0 || pixels > MAX_PIXELS || rgba.len() < pixels.checked_mul(4)? {
        return None;
    }
    decode_grey(&greyscale(&rgba[..pixels * 4]), width, height)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The wallet's QR code of `digits` drawn into an RGBA frame of `size`, `scale` pixels a
    /// module.
    fn frame(digits: &str, size: usize, scale: usize) -> Vec<u8> {
        let symbol = quan_core::qr::Symbol::numeric(digits).expect("digits that fit");
        let w = quan_core::qr::SIZE;
        let offset = (size - w * scale) / 2;
        let mut rgba = vec![255u8; size * size * 4];
        for y in 0..w * scale {
            for x in 0..w * scale {
                if symbol.is_dark(x / scale, y / scale) {
                    let i = ((y + offset) * size + x + offset) * 4;
                    rgba[i..i + 3].copy_from_slice(&[20, 20, 20]);
                }
            }
        }
        rgba
    }

    /// Every length and many values: what our encoder draws, an independent decoder reads back.
    #[test]
    fn the_wallets_encoder_and_this_decoder_agree() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for len in 1..=quan_core::qr::MAX_DIGITS {
            for _ in 0..6 {
                let digits: String = (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        char::from(b'0' + (seed % 10) as u8)
                    })
                    .collect();
                assert_eq!(
                    decode_rgba(&frame(&digits, 240, 8), 240, 240).as_deref(),
                    Some(digits.as_str())
                );
            }
        }
    }

    #[test]
    fn reads_the_code_a_wallet_shows() {
        let digits = "00000000314060084501";
        assert_eq!(
            decode_rgba(&frame(digits, 320, 8), 320, 320).as_deref(),
            Some(digits)
        );
    }

    /// Glare: the frame brightens from left to right by more than the code's own contrast, so no
    /// single threshold separates dark modules from light ones (the plain looks alone miss it).
    #[test]
    fn reads_a_washed_out_code_under_glare() {
        let digits = "31415926535897932384";
        let (size, scale) = (400, 9);
        let mut rgba = frame(digits, size, scale);
        for (i, px) in rgba.chunks_exact_mut(4).enumerate() {
            let x = (i % size) as u32;
            let glare = x * 200 / size as u32;
            let base = if px[0] < 128 { 70 } else { 100 };
            let v = (base + glare).min(255) as u8;
            px[..3].copy_from_slice(&[v, v, v]);
        }
        let grey = greyscale(&rgba);
        let (dark_right, light_left) = (grey[(size / 2) * size + size - 60], grey[10 * size + 10]);
        assert!(dark_right > light_left, "the glare outshines the code's contrast");
        assert_eq!(decode_rgba(&rgba, size, size).as_deref(), Some(digits));
    }

    #[test]
    fn local_thresholds_follow_the_light() {
        // A ramp from 40 to 240 with one darker pixel in the bright part.
        let (w, h) = (64, 8);
        let mut grey: Vec<u8> = (0..w * h).map(|i| (40 + (i % w) * 200 / w) as u8).collect();
        grey[4 * w + 50] -= 30;
        let out = local_threshold(&grey, w, h, 4, 8);
        assert_eq!(out[4 * w + 50], 0, "the darker spot is dark");
        assert_eq!(
            out.iter().filter(|v| **v == 0).count(),
            1,
            "the ramp itself is light"
        );
    }

    #[test]
    fn halving_averages_and_doubling_interpolates() {
        let grey: Vec<u8> = vec![0, 100, 200, 40, 0, 100, 200, 40];
        assert_eq!(halve(&grey, 4, 2), (vec![50, 120], 2, 1));
        // A 4×4 frame whose centre 2×2 is a step from 0 to 200: doubled, the step is a ramp.
        let mut grey = vec![0u8; 16];
        for y in 0..4 {
            grey[y * 4 + 2] = 200;
            grey[y * 4 + 3] = 200;
        }
        let (out, w, h) = centre_doubled(&grey, 4, 4);
        assert_eq!((w, h), (4, 4));
        assert_eq!(&out[4..8], &[0, 50, 150, 200]);
    }

    /// A small generator, so every run draws the same frames.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        /// Uniform in [lo, hi).
        fn range(&mut self, lo: f64, hi: f64) -> f64 {
            lo + (hi - lo) * ((self.next() >> 11) as f64 / (1u64 << 53) as f64)
        }
        fn digits(&mut self, len: usize) -> String {
            (0..len)
                .map(|_| char::from(b'0' + (self.next() % 10) as u8))
                .collect()
        }
    }

    /// A wallet's code drawn into a `w × h` greyscale frame through a random affine warp (any
    /// rotation, 1–7 px a module, shear), moved so that it may be cut off at the frame's edge,
    /// with blur-like softening and noise.
    fn warped(rng: &mut Rng, digits: &str, w: usize, h: usize) -> Vec<u8> {
        let symbol = quan_core::qr::Symbol::numeric(digits).expect("digits that fit");
        let n = quan_core::qr::SIZE as f64;
        let scale = rng.range(1.0, 7.0);
        let angle = rng.range(0.0, std::f64::consts::TAU);
        let shear = rng.range(-0.35, 0.35);
        let (sin, cos) = angle.sin_cos();
        // Frame → module coordinates: the inverse of rotate · shear · scale, about a centre that
        // may sit anywhere in the frame, or a little outside it.
        let (cx, cy) = (rng.range(-0.1, 1.1) * w as f64, rng.range(-0.1, 1.1) * h as f64);
        let (dark, light) = (rng.range(0.0, 120.0), rng.range(130.0, 255.0));
        let inverted = rng.next().is_multiple_of(8);
        let noise = rng.range(0.0, 40.0);
        let mut out = Vec::with_capacity(w * h);
        for y in 0..h {
            for x in 0..w {
                let (dx, dy) = (x as f64 - cx, y as f64 - cy);
                let (rx, ry) = (cos * dx + sin * dy, -sin * dx + cos * dy);
                let (mx, my) = ((rx - shear * ry) / scale + n / 2.0, ry / scale + n / 2.0);
                let is_dark =
                    mx >= 0.0 && my >= 0.0 && mx < n && my < n && symbol.is_dark(mx as usize, my as usize);
                let v = if is_dark != inverted { dark } else { light };
                let jitter = (rng.range(-1.0, 1.0)) * noise;
                out.push((v + jitter).clamp(0.0, 255.0) as u8);
            }
        }
        out
    }

    /// No panic on anything a camera can send: thousands of warped, cut-off, scaled, inverted and
    /// noisy codes, frames of pure noise, and degenerate sizes. And never a wrong text.
    #[test]
    fn never_panics_and_never_reads_a_wrong_text() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let (mut read, mut frames) = (0, 0);
        for i in 0..2400 {
            let (w, h) = (rng.range(60.0, 360.0) as usize, rng.range(60.0, 300.0) as usize);
            let digits = rng.digits(18 + (i % 3));
            let grey = warped(&mut rng, &digits, w, h);
            frames += 1;
            if let Some(text) = decode_grey(&grey, w, h) {
                assert_eq!(text, digits, "frame {i} ({w}×{h}) read a wrong text");
                read += 1;
            }
        }
        // The frames are hard (many cut off or under two pixels a module), but not unreadable.
        assert!(read > frames / 20, "read {read} of {frames}");
        for i in 0..600 {
            let (w, h) = (rng.range(1.0, 400.0) as usize, rng.range(1.0, 400.0) as usize);
            let grey: Vec<u8> = (0..w * h).map(|_| (rng.next() >> 56) as u8).collect();
            assert_eq!(decode_grey(&grey, w, h), None, "noise frame {i}");
        }
        for (w, h) in [(0, 0), (1, 1), (21, 21), (22, 3000), (3000, 22), (usize::MAX, 2)] {
            assert_eq!(decode_grey(&vec![0u8; 22 * 22], w, h), None);
        }
        assert_eq!(decode_rgba(&[], 1920, 1081), None, "over the largest frame");
    }

    #[test]
    fn an_empty_or_short_frame_is_nothing() {
        assert_eq!(decode_rgba(&vec![255u8; 64 * 64 * 4], 64, 64), None);
        assert_eq!(decode_rgba(&[0u8; 10], 64, 64), None);
    }
}
