//! The IRS-style API gateway of the Zhejiang public data platform, used by the big-data bureau's
//! data platform and by the provincial enforcement platform.
//!
//! Every call carries `appKey`, `requestTime` (milliseconds) and `sign = md5(appKey + secret +
//! requestTime)` as query parameters. The secret of a data call is the short-lived request
//! secret; `refreshTokenByKey` (signed with the app secret) issues a refresh secret and a request
//! secret, `refreshTokenBySec` (signed with the refresh secret) renews the request secret.

use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};

/// Path of the key-based token refresh (signed with the app secret).
pub const REFRESH_BY_KEY: &str = "/gateway/app/refreshTokenByKey.htm";
/// Path of the secret-based token refresh (signed with the refresh secret).
pub const REFRESH_BY_SEC: &str = "/gateway/app/refreshTokenBySec.htm";

/// Gateway answer codes.
pub mod code {
    pub const OK: &str = "00";
    /// The signature does not match.
    pub const BAD_SIGN: &str = "14";
    /// The request secret is unknown or expired: refresh it and retry.
    pub const SECRET_EXPIRED: &str = "15";
    /// `requestTime` is too far from the gateway's clock.
    pub const STALE_TIME: &str = "16";
    /// Unknown app key or the app may not call this API.
    pub const NO_ACCESS: &str = "17";
    /// Malformed request (missing or invalid parameters).
    pub const BAD_REQUEST: &str = "20";
    /// The business system behind the gateway failed.
    pub const UPSTREAM: &str = "99";
}

/// How far `requestTime` may be from the gateway's clock.
pub const TIME_WINDOW_MS: i64 = 5 * 60 * 1000;

/// `md5(appKey + secret + requestTime)` in lower-case hex.
pub fn sign(app_key: &str, secret: &str, request_time: i64) -> String {
    let mut h = Md5::new();
    h.update(app_key.as_bytes());
    h.update(secret.as_bytes());
    h.update(request_time.to_string().as_bytes());
    hex::encode(h.finalize())
}

/// Constant-time comparison of two signatures.
pub fn sign_matches(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.to_ascii_lowercase().into_bytes());
    a.len() == b.len() && a.iter().zip(b.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The signing query parameters of a call (`appKey`, `requestTime`, `sign`); missing ones are
/// empty and fail the check.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct SignParams {
    #[serde(default)]
    pub app_key: String,
    /// Milliseconds since the epoch.
    #[serde(default)]
    pub request_time: String,
    /// `md5(appKey + secret + requestTime)`, hex.
    #[serde(default)]
    pub sign: String,
}

/// The gateway's answer envelope.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub code: String,
    pub msg: String,
    /// Missing on errors.
    pub datas: Option<T>,
}

impl<T> Envelope<T> {
    pub fn ok(datas: T) -> Self {
        Envelope { code: code::OK.into(), msg: "成功".into(), datas: Some(datas) }
    }
    pub fn error(code: &str, msg: impl Into<String>) -> Self {
        Envelope { code: code.into(), msg: msg.into(), datas: None }
    }
    pub fn is_ok(&self) -> bool {
        self.code == code::OK
    }
}

/// Secrets issued by `refreshTokenByKey` (both) and `refreshTokenBySec` (request secret only).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Secrets {
    pub request_secret: String,
    /// Milliseconds since the epoch.
    pub request_secret_end_time: i64,
    #[serde(default)]
    pub refresh_secret: Option<String>,
    #[serde(default)]
    pub refresh_secret_end_time: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_of_key_secret_and_time() {
        let mut h = Md5::new();
        h.update(b"abc");
        assert_eq!(hex::encode(h.finalize()), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(sign("key", "secret", 1_700_000_000_000), "5faf6bd2120bec723f03e04c482332f2");
        // The parts are concatenated without separators.
        assert_eq!(sign("ke", "ysecret", 1), sign("key", "secret", 1));
        assert!(sign_matches(&sign("k", "s", 1), &sign("k", "s", 1).to_uppercase()));
        assert!(!sign_matches(&sign("k", "s", 1), &sign("k", "s", 2)));
    }
}
