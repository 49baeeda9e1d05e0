//! Request signing of the intake standard (F01): every push from a source carries its app key, a
//! millisecond timestamp, a one-time nonce and an HMAC-SHA256 signature over
//! `METHOD \n PATH \n TIMESTAMP \n NONCE \n hex(SHA-256(body))`, base64-encoded. Requests older or
//! newer than five minutes are refused; the caller also refuses a nonce it has seen (stored per
//! source until the window has passed).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// Accepted clock difference between source and platform.
pub const WINDOW_MS: i64 = 5 * 60 * 1000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("timestamp outside the allowed window")]
    StaleTimestamp,
    #[error("nonce must be 16–64 characters of [A-Za-z0-9_-]")]
    BadNonce,
    #[error("signature does not match")]
    Mismatch,
}

pub fn body_hash(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

/// The string that is signed.
/// The timestamp is signed exactly as sent in `X-Timestamp`.
pub fn canonical(method: &str, path: &str, timestamp: &str, nonce: &str, body: &[u8]) -> String {
    format!("{}\n{}\n{}\n{}\n{}", method.to_ascii_uppercase(), path, timestamp, nonce, body_hash(body))
}

pub fn sign(secret: &str, canonical: &str) -> String {
    // HMAC takes keys of any length.
    let mut mac = match <Hmac<Sha256>>::new_from_slice(secret.as_bytes()) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(canonical.as_bytes());
    B64.encode(mac.finalize().into_bytes())
}

/// Check window, nonce shape and signature (constant-time comparison).
#[allow(clippy::too_many_arguments)]
pub fn verify(
    secret: &str,
    method: &str,
    path: &str,
    timestamp: &str,
    nonce: &str,
    body: &[u8],
    signature: &str,
    now_ms: i64,
) -> Result<(), SignatureError> {
    let ts: i64 = timestamp.parse().map_err(|_| SignatureError::StaleTimestamp)?;
    if (now_ms - ts).abs() > WINDOW_MS {
        return Err(SignatureError::StaleTimestamp);
    }
    if !(16..=64).contains(&nonce.len()) || !nonce.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(SignatureError::BadNonce);
    }
    let expected = sign(secret, &canonical(method, path, timestamp, nonce, body));
    let (a, b) = (expected.as_bytes(), signature.as_bytes());
    if a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0 {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000_000;
    const NONCE: &str = "n0nce-1234567890ab";

    #[test]
    fn hmac_sha256_matches_rfc4231_case_2() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let sig = sign("Jefe", "what do ya want for nothing?");
        let raw = B64.decode(sig).unwrap_or_default();
        assert_eq!(hex::encode(raw), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn a_correct_signature_verifies_and_any_change_breaks_it() {
        let body = br#"{"source_clue_id":"A1"}"#;
        let ts = NOW.to_string();
        let sig = sign("s3cret", &canonical("post", "/api/intake/v1/clues", &ts, NONCE, body));
        assert_eq!(verify("s3cret", "POST", "/api/intake/v1/clues", &ts, NONCE, body, &sig, NOW + 1000), Ok(()));
        let bad = |secret: &str, path: &str, _ts: i64, nonce: &str, body: &[u8], now: i64| {
            verify(secret, "POST", path, &ts, nonce, body, &sig, now)
        };
        assert_eq!(bad("other", "/api/intake/v1/clues", NOW, NONCE, body, NOW), Err(SignatureError::Mismatch));
        assert_eq!(bad("s3cret", "/api/intake/v1/clue", NOW, NONCE, body, NOW), Err(SignatureError::Mismatch));
        assert_eq!(bad("s3cret", "/api/intake/v1/clues", NOW, NONCE, b"{}", NOW), Err(SignatureError::Mismatch));
        assert_eq!(
            bad("s3cret", "/api/intake/v1/clues", NOW, NONCE, body, NOW + WINDOW_MS + 1),
            Err(SignatureError::StaleTimestamp)
        );
        assert_eq!(bad("s3cret", "/api/intake/v1/clues", NOW, "short", body, NOW), Err(SignatureError::BadNonce));
        assert_eq!(verify("s3cret", "POST", "/p", "soon", NONCE, body, &sig, NOW), Err(SignatureError::StaleTimestamp));
    }

    #[test]
    fn matches_the_worked_example_of_the_intake_standard() {
        let body = r#"{"source_clue_id":"LD-20261126-0001","reported_at":"2026-11-26T09:28:00+08:00","description":"中山街与大众街交叉口东侧人行道有流动摊贩占道经营，影响行人通行。","address":"丽水市莲都区中山街","location":{"longitude":119.9215,"latitude":28.4519,"coord_system":"wgs84"},"category_code":"E0502"}"#;
        assert_eq!(body_hash(body.as_bytes()), "d319d77cb40ef378b05e49607eab5d06b6dafb3709828045316ecaff47cef833");
        let c = canonical(
            "POST",
            "/api/intake/v1/clues",
            "1795656600000",
            "7c9e6679f4b04f4a9c1a2b3d4e5f6a7b",
            body.as_bytes(),
        );
        assert_eq!(
            sign("9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddccbbaa9988", &c),
            "MJDyOb8+KR7j/cqsSzx0m4tkh+h1u0S4QXUZExZh2LA="
        );
    }
}
