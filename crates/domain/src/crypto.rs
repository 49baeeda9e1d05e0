//! National-standard crypto primitives: SM3 hashing (GB/T 32905), SM4-GCM field encryption
//! (GB/T 32907 block cipher in Galois/Counter mode) and HMAC-SM3 blind indexes for exact-match search
//! on encrypted fields.

use aes_gcm::AesGcm;
use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, Mac};
use sm3::{Digest, Sm3};

type Sm4Gcm = AesGcm<sm4::Sm4, U12>;

const PREFIX: &str = "sm4gcm1:";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("field key must be 32 bytes of hex (16 bytes encryption key + 16 bytes index key)")]
    BadKey,
    #[error("ciphertext is malformed or was not produced with this key")]
    Decrypt,
}

/// SM3 digest as lowercase hex.
pub fn sm3_hex(data: &[u8]) -> String {
    hex::encode(Sm3::digest(data))
}

/// Field-level encryption at rest. The key is never stored in the database: it comes from a key
/// file or the environment. Its `Debug` never prints key material.
#[derive(Clone)]
pub struct FieldCipher {
    cipher: Sm4Gcm,
    index_key: [u8; 16],
}

impl std::fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FieldCipher(<redacted>)")
    }
}

impl FieldCipher {
    /// `hex_key` is 64 hex digits: the SM4 key followed by the blind-index key.
    pub fn from_hex(hex_key: &str) -> Result<Self, CryptoError> {
        let bytes = hex::decode(hex_key.trim()).map_err(|_| CryptoError::BadKey)?;
        if bytes.len() != 32 {
            return Err(CryptoError::BadKey);
        }
        let cipher = Sm4Gcm::new_from_slice(&bytes[..16]).map_err(|_| CryptoError::BadKey)?;
        let mut index_key = [0u8; 16];
        index_key.copy_from_slice(&bytes[16..]);
        Ok(Self { cipher, index_key })
    }

    /// A fresh random key in the hex form `from_hex` takes.
    pub fn generate_key_hex() -> String {
        let key: [u8; 32] = rand::random();
        hex::encode(key)
    }

    pub fn encrypt(&self, plaintext: &str) -> String {
        let nonce: [u8; 12] = rand::random();
        // GCM encryption cannot fail for inputs below 64 GiB.
        let ct = self.cipher.encrypt(&nonce.into(), plaintext.as_bytes()).unwrap_or_default();
        let mut out = Vec::with_capacity(12 + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        format!("{PREFIX}{}", B64.encode(out))
    }

    pub fn decrypt(&self, stored: &str) -> Result<String, CryptoError> {
        let body = stored.strip_prefix(PREFIX).ok_or(CryptoError::Decrypt)?;
        let raw = B64.decode(body).map_err(|_| CryptoError::Decrypt)?;
        if raw.len() < 12 + 16 {
            return Err(CryptoError::Decrypt);
        }
        let (nonce, ct) = raw.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| CryptoError::Decrypt)?;
        let pt = self.cipher.decrypt(&nonce.into(), ct).map_err(|_| CryptoError::Decrypt)?;
        String::from_utf8(pt).map_err(|_| CryptoError::Decrypt)
    }

    /// Deterministic keyed hash for exact-match lookups (e.g. find all cases of one phone number)
    /// without decrypting: HMAC-SM3 under the index key, hex.
    pub fn blind_index(&self, normalized: &str) -> String {
        let mut mac = <Hmac<Sm3>>::new_from_slice(&self.index_key).unwrap_or_else(|_| unreachable_hmac());
        mac.update(normalized.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// HMAC accepts keys of any length, so construction cannot fail.
fn unreachable_hmac() -> Hmac<Sm3> {
    panic!("HMAC-SM3 rejected a 16-byte key")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sm3_standard_vector() {
        // GB/T 32905 appendix A example 1: "abc".
        assert_eq!(sm3_hex(b"abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    }

    #[test]
    fn sm4_block_standard_vector() {
        use aes_gcm::aead::array::Array;
        use sm4::cipher::BlockCipherEncrypt;
        // GB/T 32907 appendix A example 1.
        let key = hex::decode("0123456789abcdeffedcba9876543210").unwrap_or_default();
        let c = sm4::Sm4::new_from_slice(&key).ok();
        let mut block = Array::try_from(key.as_slice()).unwrap_or_default();
        if let Some(c) = c {
            c.encrypt_block(&mut block);
        }
        assert_eq!(hex::encode(block), "681edf34d206965e86b3e94f536e4246");
    }

    #[test]
    fn field_cipher_round_trip_and_tamper() {
        let c = FieldCipher::from_hex(&FieldCipher::generate_key_hex()).ok();
        let Some(c) = c else { panic!("key") };
        let a = c.encrypt("13812345678");
        let b = c.encrypt("13812345678");
        assert_ne!(a, b, "random nonce");
        assert_eq!(c.decrypt(&a), Ok("13812345678".to_owned()));
        let mut tampered = a.clone();
        tampered.pop();
        tampered.push('A');
        assert!(c.decrypt(&tampered).is_err() || tampered == a);
        assert_eq!(c.blind_index("x"), c.blind_index("x"));
        let other = FieldCipher::from_hex(&FieldCipher::generate_key_hex()).ok();
        assert!(other.is_some_and(|o| o.decrypt(&a).is_err()));
        assert!(FieldCipher::from_hex("abcd").is_err());
        assert_eq!(format!("{c:?}"), "FieldCipher(<redacted>)");
    }
}
