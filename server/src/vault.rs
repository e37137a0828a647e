//! Sensitive personal information at rest (个人信息保护法 第二十八、二十九条): the bank-card and
//! phone numbers of subsidy applications, and their documents (photos of ID cards), sealed with
//! AES-256-GCM under the data key.
//!
//! The data key is given to the server (`QUAN_DATA_KEY`, or `QUAN_DATA_KEY_FILE`) and never kept in
//! the database beside what it seals. Each sealed value names its key by a short id, so a key can
//! be rotated: the new key becomes `QUAN_DATA_KEY`, the old one `QUAN_DATA_KEY_PREVIOUS`, and
//! `quan-server data-key rotate` seals everything again under the new one. Values written before
//! encryption (plain text, plain files) are still read, and are sealed by the next rotation.
//!
//! A sealed value carries, as associated data, where it belongs (a column, or a document's name),
//! so one cannot be moved into another's place and still open.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// How a sealed text begins: `enc:v1:<key id>:<nonce and ciphertext, base64url>`.
const TEXT_PREFIX: &str = "enc:v1:";
/// How a sealed file begins, then the key id (4 bytes), the nonce (12) and the ciphertext.
const FILE_MAGIC: &[u8; 8] = b"QUANENC\x01";
const NONCE_BYTES: usize = 12;

/// A 256-bit data key. Its `Debug` shows only its id.
#[derive(Clone, PartialEq, Eq)]
pub struct DataKey([u8; 32]);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DataKey({})", hex(&self.id()))
    }
}

impl DataKey {
    /// A new random key.
    pub fn generate() -> DataKey {
        DataKey(Aes256Gcm::generate_key(&mut OsRng).into())
    }

    /// A key written as 64 hexadecimal digits (what [`DataKey::to_hex`] and
    /// `quan-server data-key new` write).
    pub fn parse(text: &str) -> Result<DataKey, String> {
        let t = text.trim();
        if t.len() != 64 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(
                "a data key is 64 hexadecimal digits (make one with `quan-server data-key new`)".into(),
            );
        }
        let mut key = [0u8; 32];
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&t[2 * i..2 * i + 2], 16).map_err(|e| e.to_string())?;
        }
        Ok(DataKey(key))
    }

    /// A key derived from `secret` for `purpose` (demo mode's key, from the database's secret).
    pub fn derived(secret: &[u8], purpose: &[u8]) -> DataKey {
        let mut h = Sha256::new();
        h.update(purpose);
        h.update(secret);
        DataKey(h.finalize().into())
    }

    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// The key's id: the first 4 bytes of a hash of it, written into everything it seals.
    pub fn id(&self) -> [u8; 4] {
        let mut h = Sha256::new();
        h.update(b"quan data key id");
        h.update(self.0);
        let d = h.finalize();
        [d[0], d[1], d[2], d[3]]
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A value that could not be opened: its key is not given, or it is damaged or out of place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultError(pub String);

impl std::fmt::Display for VaultError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a sealed text belongs; part of what it is sealed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    ApplicationBankCard,
    ApplicationPhone,
}

impl Field {
    fn label(self) -> &'static [u8] {
        match self {
            Field::ApplicationBankCard => b"applications.bank_card",
            Field::ApplicationPhone => b"applications.phone",
        }
    }
}

/// Seals with the current key; opens with it or a previous one.
pub struct Vault {
    current: (DataKey, Aes256Gcm),
    previous: Vec<(DataKey, Aes256Gcm)>,
}

impl Vault {
    pub fn new(current: DataKey, previous: &[DataKey]) -> Vault {
        let cipher = |k: &DataKey| Aes256Gcm::new(&k.0.into());
        Vault {
            current: (current.clone(), cipher(&current)),
            previous: previous
                .iter()
                .filter(|k| **k != current)
                .map(|k| (k.clone(), cipher(k)))
                .collect(),
        }
    }

    /// The current key's id, as hex (for logs and the rotation's report).
    pub fn key_id(&self) -> String {
        hex(&self.current.0.id())
    }

    fn key(&self, id: &[u8]) -> Result<&Aes256Gcm, VaultError> {
        std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|(k, _)| k.id() == id)
            .map(|(_, c)| c)
            .ok_or_else(|| {
                VaultError(format!(
                    "sealed under data key {}, which is not given: set it as QUAN_DATA_KEY_PREVIOUS",
                    hex(id)
                ))
            })
    }

    /// `id ‖ nonce ‖ ciphertext` of `plain`, bound to `aad`.
    fn seal_bytes(&self, plain: &[u8], aad: &[u8]) -> Result<Vec<u8>, VaultError> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = self
            .current
            .1
            .encrypt(&nonce, Payload { msg: plain, aad })
            .map_err(|_| VaultError("the value is too long to seal".into()))?;
        let mut out = Vec::with_capacity(4 + NONCE_BYTES + sealed.len());
        out.extend_from_slice(&self.current.0.id());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    fn open_bytes(&self, sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, VaultError> {
        if sealed.len() < 4 + NONCE_BYTES + 16 {
            return Err(VaultError("a sealed value is cut short".into()));
        }
        let (id, rest) = sealed.split_at(4);
        let (nonce, body) = rest.split_at(NONCE_BYTES);
        self.key(id)?
            .decrypt(Nonce::from_slice(nonce), Payload { msg: body, aad })
            .map_err(|_| VaultError("a sealed value does not open: damaged, or not in its place".into()))
    }

    /// `plain`, sealed for `field`.
    pub fn seal(&self, field: Field, plain: &str) -> Result<String, VaultError> {
        let bytes = self.seal_bytes(plain.as_bytes(), field.label())?;
        Ok(format!("{TEXT_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// What `stored` holds: opened if sealed, as it is if written before encryption.
    pub fn open(&self, field: Field, stored: &str) -> Result<String, VaultError> {
        let Some(body) = stored.strip_prefix(TEXT_PREFIX) else {
            return Ok(stored.to_owned());
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| VaultError("a sealed value is not base64".into()))?;
        String::from_utf8(self.open_bytes(&bytes, field.label())?)
            .map_err(|_| VaultError("a sealed value is not text".into()))
    }

    /// Whether `stored` is sealed under the current key (else the next rotation seals it again).
    pub fn is_current(&self, stored: &str) -> bool {
        stored
            .strip_prefix(TEXT_PREFIX)
            .and_then(|b| URL_SAFE_NO_PAD.decode(b).ok())
            .is_some_and(|b| b.get(..4) == Some(&self.current.0.id()[..]))
    }

    /// A document's bytes, sealed for the file `name`.
    pub fn seal_file(&self, name: &str, plain: &[u8]) -> Result<Vec<u8>, VaultError> {
        let mut out = FILE_MAGIC.to_vec();
        out.extend(self.seal_bytes(plain, name.as_bytes())?);
        Ok(out)
    }

    /// A document's bytes from the file `name`: opened if sealed, as they are if not.
    pub fn open_file(&self, name: &str, stored: Vec<u8>) -> Result<Vec<u8>, VaultError> {
        match stored.strip_prefix(FILE_MAGIC) {
            Some(sealed) => self.open_bytes(sealed, name.as_bytes()),
            None => Ok(stored),
        }
    }

    /// Whether the file's bytes are sealed under the current key.
    pub fn file_is_current(&self, stored: &[u8]) -> bool {
        stored
            .strip_prefix(FILE_MAGIC)
            .is_some_and(|s| s.get(..4) == Some(&self.current.0.id()[..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_in_its_place_and_under_its_key() {
        let key = DataKey::generate();
        let vault = Vault::new(key.clone(), &[]);
        let sealed = vault
            .seal(Field::ApplicationBankCard, "6222021234567890123")
            .unwrap();
        assert!(sealed.starts_with("enc:v1:"));
        assert!(!sealed.contains("1234567890"));
        assert_eq!(
            vault.open(Field::ApplicationBankCard, &sealed).unwrap(),
            "6222021234567890123"
        );
        // Moved to another column, it does not open.
        assert!(vault.open(Field::ApplicationPhone, &sealed).is_err());
        // Two seals of one value differ (a fresh nonce each).
        assert_ne!(
            sealed,
            vault
                .seal(Field::ApplicationBankCard, "6222021234567890123")
                .unwrap()
        );
        // One changed character, and it does not open.
        let mut damaged = sealed.clone().into_bytes();
        let last = damaged.len() - 1;
        damaged[last] = if damaged[last] == b'A' { b'B' } else { b'A' };
        assert!(vault
            .open(Field::ApplicationBankCard, std::str::from_utf8(&damaged).unwrap())
            .is_err());
        // Under another key alone, it does not open, and the error names the missing key.
        let other = Vault::new(DataKey::generate(), &[]);
        let e = other.open(Field::ApplicationBankCard, &sealed).unwrap_err();
        assert!(e.0.contains(&hex(&key.id())), "{e}");
        // Plain values from before encryption read as they are.
        assert_eq!(
            vault.open(Field::ApplicationPhone, "13800000001").unwrap(),
            "13800000001"
        );
    }

    #[test]
    fn rotation_opens_the_old_key_and_seals_with_the_new() {
        let old = DataKey::generate();
        let new = DataKey::generate();
        let before = Vault::new(old.clone(), &[]);
        let text = before.seal(Field::ApplicationPhone, "13800000001").unwrap();
        let file = before.seal_file("abc", b"%PDF-1.4 photo").unwrap();
        let after = Vault::new(new, &[old]);
        assert!(!after.is_current(&text) && before.is_current(&text));
        assert_eq!(after.open(Field::ApplicationPhone, &text).unwrap(), "13800000001");
        assert_eq!(after.open_file("abc", file.clone()).unwrap(), b"%PDF-1.4 photo");
        assert!(
            after.open_file("abd", file.clone()).is_err(),
            "a file under another name"
        );
        assert!(!after.file_is_current(&file));
        let again = after.seal_file("abc", b"%PDF-1.4 photo").unwrap();
        assert!(after.file_is_current(&again));
    }

    #[test]
    fn keys_are_written_and_read_as_hex_and_never_shown() {
        let key = DataKey::generate();
        assert_eq!(DataKey::parse(&key.to_hex()).unwrap(), key);
        assert!(DataKey::parse("abc").is_err());
        assert!(DataKey::parse(&"g".repeat(64)).is_err());
        assert!(!format!("{key:?}").contains(&key.to_hex()));
    }
}
