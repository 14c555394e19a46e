//! Tokens at rest: AES-256-GCM with a fresh random nonce per encryption, the row's identity as
//! associated data, and the key's fingerprint stored beside the ciphertext.
//!
//! Associated data binds a ciphertext to its person and token kind, so a ciphertext copied into
//! another row fails to decrypt instead of handing one person's token to another. The key
//! fingerprint (not a position in a list) names the key, so rotating keys never renumbers old
//! rows: the newest key encrypts, every configured key decrypts.

use aes_gcm::aead::{Aead, KeyInit, OsRng, Payload};
use aes_gcm::{AeadCore, Aes256Gcm, Nonce};
use base64::Engine;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use crate::settings::EncryptionKey;

const NONCE_LEN: usize = 12;
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("no encryption key is configured")]
    NoKey,
    #[error("the key that sealed this value ({0}) is not configured any more")]
    UnknownKey(String),
    #[error("sealed value is malformed")]
    Malformed,
    #[error("sealed value failed authentication (wrong row, wrong key or tampered)")]
    Tampered,
}

/// A sealed value as stored: the key's fingerprint and `base64(nonce || ciphertext+tag)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub key_id: String,
    pub data: String,
}

pub struct TokenCipher {
    /// Newest first; the first one encrypts.
    keys: Vec<(String, Aes256Gcm)>,
}

impl std::fmt::Debug for TokenCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|(id, _)| id.as_str()).collect();
        f.debug_struct("TokenCipher")
            .field("key_ids", &ids)
            .finish()
    }
}

/// A short public name for a key: the first 8 bytes of SHA-256 over it, hex.
fn fingerprint(key: &[u8; 32]) -> String {
    let digest = Sha256::digest(key);
    hex::encode(&digest[..8])
}

impl TokenCipher {
    pub fn new(keys: &[EncryptionKey]) -> Self {
        let keys = keys
            .iter()
            .map(|k| {
                let bytes = k.expose_secret();
                (fingerprint(bytes), Aes256Gcm::new(bytes.into()))
            })
            .collect();
        Self { keys }
    }

    /// The fingerprint of the key new values are sealed with.
    #[cfg(test)]
    fn current_key_id(&self) -> Option<&str> {
        self.keys.first().map(|(id, _)| id.as_str())
    }

    pub(crate) fn seal(
        &self,
        secret: &SecretString,
        associated: &str,
    ) -> Result<Sealed, CryptoError> {
        let (key_id, cipher) = self.keys.first().ok_or(CryptoError::NoKey)?;
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let ciphertext = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: secret.expose_secret().as_bytes(),
                    aad: associated.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Malformed)?;
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&ciphertext);
        Ok(Sealed {
            key_id: key_id.clone(),
            data: B64.encode(blob),
        })
    }

    pub fn open(&self, sealed: &Sealed, associated: &str) -> Result<SecretString, CryptoError> {
        let (_, cipher) = self
            .keys
            .iter()
            .find(|(id, _)| id == &sealed.key_id)
            .ok_or_else(|| CryptoError::UnknownKey(sealed.key_id.clone()))?;
        let blob = B64
            .decode(&sealed.data)
            .map_err(|_| CryptoError::Malformed)?;
        if blob.len() <= NONCE_LEN {
            return Err(CryptoError::Malformed);
        }
        let (nonce, ciphertext) = blob.split_at(NONCE_LEN);
        let plain = cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: associated.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Tampered)?;
        String::from_utf8(plain)
            .map(SecretString::from)
            .map_err(|_| CryptoError::Malformed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretBox;

    fn key(byte: u8) -> EncryptionKey {
        SecretBox::new(Box::new([byte; 32]))
    }

    fn token(s: &str) -> SecretString {
        SecretString::from(s.to_string())
    }

    #[test]
    fn round_trip_with_fresh_nonces() {
        let c = TokenCipher::new(&[key(1)]);
        let a = c.seal(&token("access-123"), "P1:access").unwrap();
        let b = c.seal(&token("access-123"), "P1:access").unwrap();
        assert_ne!(a.data, b.data, "same token twice, different ciphertexts");
        assert_eq!(
            c.open(&a, "P1:access").unwrap().expose_secret(),
            "access-123"
        );
        assert!(!a.data.contains("access-123"));
    }

    #[test]
    fn a_ciphertext_moved_to_another_row_or_kind_fails() {
        let c = TokenCipher::new(&[key(1)]);
        let sealed = c.seal(&token("access-123"), "P1:access").unwrap();
        assert_eq!(
            c.open(&sealed, "P2:access").unwrap_err(),
            CryptoError::Tampered
        );
        assert_eq!(
            c.open(&sealed, "P1:refresh").unwrap_err(),
            CryptoError::Tampered
        );
    }

    #[test]
    fn a_corrupted_tag_is_an_error_not_garbage() {
        let c = TokenCipher::new(&[key(1)]);
        let mut sealed = c.seal(&token("access-123"), "P1:access").unwrap();
        let mut blob = B64.decode(&sealed.data).unwrap();
        let last = blob.len() - 1;
        blob[last] ^= 0x01;
        sealed.data = B64.encode(blob);
        assert_eq!(
            c.open(&sealed, "P1:access").unwrap_err(),
            CryptoError::Tampered
        );
        sealed.data = "AAAA".into();
        assert_eq!(
            c.open(&sealed, "P1:access").unwrap_err(),
            CryptoError::Malformed
        );
    }

    #[test]
    fn after_rotation_old_values_still_open_and_new_ones_use_the_new_key() {
        let old = TokenCipher::new(&[key(1)]);
        let sealed_old = old.seal(&token("refresh-9"), "P1:refresh").unwrap();
        let rotated = TokenCipher::new(&[key(2), key(1)]);
        assert_eq!(
            rotated
                .open(&sealed_old, "P1:refresh")
                .unwrap()
                .expose_secret(),
            "refresh-9"
        );
        let sealed_new = rotated.seal(&token("refresh-9"), "P1:refresh").unwrap();
        assert_ne!(sealed_new.key_id, sealed_old.key_id);
        assert_eq!(rotated.current_key_id(), Some(sealed_new.key_id.as_str()));
        let retired = TokenCipher::new(&[key(2)]);
        assert!(matches!(
            retired.open(&sealed_old, "P1:refresh"),
            Err(CryptoError::UnknownKey(_))
        ));
    }

    #[test]
    fn debug_shows_key_ids_only() {
        let c = TokenCipher::new(&[key(7)]);
        let debug = format!("{c:?}");
        assert!(debug.contains(c.current_key_id().unwrap()));
        assert!(!debug.contains("7, 7"));
    }
}
