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

/// Half the size, each pixel the mean of four: a second look for codes the full frame's noise or
/// blur hides.
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

/// The text of a QR code in an RGBA frame, if one can be read.
pub fn decode_rgba(rgba: &[u8], width: usize, height: usize) -> Option<String> {
    if rgba.len() < width * height * 4 {
        return None;
    }
    let grey = greyscale(rgba);
    decode_grey(&grey, width, height).or_else(|| {
        let (half, w, h) = halve(&grey, width, height);
        decode_grey(&half, w, h)
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

    #[test]
    fn an_empty_or_short_frame_is_nothing() {
        assert_eq!(decode_rgba(&vec![255u8; 64 * 64 * 4], 64, 64), None);
        assert_eq!(decode_rgba(&[0u8; 10], 64, 64), None);
    }
}
