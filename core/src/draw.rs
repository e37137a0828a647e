//! 预约抽签, the release by draw: on a day its round gives out by draw, residents sign up in a
//! window before the release time, and at the release time the day's coupons go to those the
//! draw puts first, under the same rules as a claim.
//!
//! The draw can be re-run by anyone. When the window opens the server publishes the SHA-256 of
//! the day's seed (its **commitment**); at the draw it reveals the seed. Each sign-up carries a
//! **ticket**, a pseudonym shown to the resident and published with the list. The draw's order
//! is the tickets sorted by HMAC-SHA256 under the seed (the seed's 32 bytes as the key, the
//! ticket's text as the message), smallest first, whatever order the list is in:
//!
//! ```text
//! echo -n SEED_HEX | xxd -r -p | sha256sum                       # the commitment
//! printf %s TICKET | openssl dgst -sha256 -mac HMAC -macopt hexkey:SEED_HEX   # a ticket's rank
//! ```

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// A day's seed: 32 bytes.
pub type Seed = [u8; 32];

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// The seed written as 64 hex digits, if `text` is one.
pub fn parse_seed(text: &str) -> Option<Seed> {
    let text = text.as_bytes();
    if text.len() != 64 {
        return None;
    }
    let digit = |c: u8| char::from(c).to_digit(16).and_then(|d| u8::try_from(d).ok());
    let mut seed = [0u8; 32];
    for (i, pair) in text.chunks_exact(2).enumerate() {
        seed[i] = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(seed)
}

/// What is published before the draw: the SHA-256 of the seed's bytes, in hex.
pub fn commitment(seed: &Seed) -> String {
    hex(&Sha256::digest(seed))
}

/// Whether `seed` (in hex) is the one `commitment` promised.
pub fn keeps_commitment(seed: &str, commitment_hex: &str) -> bool {
    parse_seed(seed).is_some_and(|s| commitment(&s) == commitment_hex.to_ascii_lowercase())
}

/// A ticket's place-deciding number under `seed`: HMAC-SHA256(seed, ticket).
pub fn rank(seed: &Seed, ticket: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    if let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(seed) {
        mac.update(ticket.as_bytes());
        out.copy_from_slice(&mac.finalize().into_bytes());
    }
    out
}

/// The draw's order of `tickets`: their indices, the smallest rank first (equal ranks, which
/// HMAC makes as good as impossible, by ticket). The same seed and tickets give the same order
/// whatever order the tickets come in.
pub fn order<T: AsRef<str>>(seed: &Seed, tickets: &[T]) -> Vec<usize> {
    let mut ranked: Vec<([u8; 32], &str, usize)> = tickets
        .iter()
        .enumerate()
        .map(|(i, t)| (rank(seed, t.as_ref()), t.as_ref(), i))
        .collect();
    ranked.sort_unstable();
    ranked.into_iter().map(|(_, _, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed(n: u8) -> Seed {
        let mut s = [0u8; 32];
        s[0] = n;
        s[31] = n.wrapping_mul(7);
        s
    }

    #[test]
    fn a_seed_round_trips_through_hex_and_keeps_its_commitment() {
        let s = seed(9);
        let text = hex(&s);
        assert_eq!(text.len(), 64);
        assert_eq!(parse_seed(&text), Some(s));
        assert_eq!(parse_seed(&text.to_uppercase()), Some(s));
        assert!(keeps_commitment(&text, &commitment(&s)));
        assert!(!keeps_commitment(&hex(&seed(10)), &commitment(&s)));
        assert_eq!(parse_seed("zz"), None);
        assert_eq!(parse_seed(&"g".repeat(64)), None);
    }

    #[test]
    fn the_commitment_is_the_sha256_of_the_seed_bytes() {
        // SHA-256 of 32 zero bytes.
        assert_eq!(
            commitment(&[0u8; 32]),
            "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925"
        );
    }

    #[test]
    fn a_rank_is_what_any_hmac_tool_computes() {
        // From Python's hmac module: hmac.new(seed, b"t-1", sha256).
        assert_eq!(
            hex(&rank(&seed(3), "t-1")),
            "599b3b21946b0eb52cb99fa67267348e40e2aecd1302a7c601232a160b30b3eb"
        );
    }
}
