//! Decoding a camera frame: RGBA pixels in, the QR code's text out.

/// Luma of RGBA pixels (ITU-R BT.601 weights, integers only).
pub fn greyscale(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .map(|p| ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000) as u8)
        .collect()
}

fn decode_grey(grey: &[u8], width: usize, height: usize) -> Option<String> {
    if width == 0 || height == 0 || grey.len() < width * height {
        return None;
    }
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| grey[y * width + x]);
    img.detect_grids()
        .into_iter()
        .find_map(|g| g.decode().ok().map(|(_, text)| text))
}

/// Half the size, each pixel the mean of four: the cheap first look, and a second chance for codes
/// the full frame's noise hides.
fn halve(grey: &[u8], width: usize, height: usize) -> (Vec<u8>, usize, usize) {
    let (w, h) = (width / 2, height / 2);
    let mut out = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            let at = |dx: usize, dy: usize| u32::from(grey[(2 * y + dy) * width + 2 * x + dx]);
            out.push(((at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) / 4) as u8);
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

/// One way of looking at a frame: at full or half size, as it is or thresholded locally with a
/// window of `width / divisor` and a `bias`.
#[derive(Clone, Copy)]
struct Look {
    half: bool,
    threshold: Option<(usize, u32)>,
}

/// Cheapest and likeliest first. Measured by `cargo xtask bench scan` on generated frames: the
/// half-size look reads most clean codes, the local thresholds read glare, low contrast and
/// noise, the larger bias reads blur.
const LOOKS: [Look; 6] = [
    Look {
        half: true,
        threshold: None,
    },
    Look {
        half: true,
        threshold: Some((32, 4)),
    },
    Look {
        half: true,
        threshold: Some((16, 10)),
    },
    Look {
        half: false,
        threshold: Some((32, 4)),
    },
    Look {
        half: false,
        threshold: Some((16, 10)),
    },
    Look {
        half: false,
        threshold: None,
    },
];

/// The text of a QR code in an RGBA frame, if one can be read.
pub fn decode_rgba(rgba: &[u8], width: usize, height: usize) -> Option<String> {
    if rgba.len() < width * height * 4 {
        return None;
    }
    let grey = greyscale(rgba);
    let half = halve(&grey, width, height);
    LOOKS.iter().find_map(|look| {
        let (pixels, w, h) = if look.half {
            (&half.0, half.1, half.2)
        } else {
            (&grey, width, height)
        };
        match look.threshold {
            None => decode_grey(pixels, w, h),
            Some((divisor, bias)) => {
                decode_grey(&local_threshold(pixels, w, h, (w / divisor).max(1), bias), w, h)
            }
        }
    })
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
    fn an_empty_or_short_frame_is_nothing() {
        assert_eq!(decode_rgba(&vec![255u8; 64 * 64 * 4], 64, 64), None);
        assert_eq!(decode_rgba(&[0u8; 10], 64, 64), None);
    }
}
