//! 浙政钉 (ZZD, Zhejiang government DingTalk) open platform: request signing, the answer envelope
//! and the paths we call. Shared by our client and the simulator.
//!
//! Every server call carries the headers `X-Hmac-Auth-Timestamp` (`yyyy-MM-dd'T'HH:mm:ss.000+08:00`),
//! `X-Hmac-Auth-Version: 1.0`, `X-Hmac-Auth-Nonce`, `apiKey`, `X-Hmac-Auth-IP`, `X-Hmac-Auth-MAC` and
//! `X-Hmac-Auth-Signature = base64(HMAC-SHA256(appSecret, METHOD\nTIMESTAMP\nNONCE\nURI[\nPARAMS]))`,
//! where `URI` is the path without the query and `PARAMS` are all query and form parameters as
//! `k=v` joined by `&`, sorted by key (then value), left out with their newline when empty.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

pub const H_TIMESTAMP: &str = "X-Hmac-Auth-Timestamp";
pub const H_VERSION: &str = "X-Hmac-Auth-Version";
pub const H_NONCE: &str = "X-Hmac-Auth-Nonce";
pub const H_API_KEY: &str = "apiKey";
pub const H_SIGNATURE: &str = "X-Hmac-Auth-Signature";
pub const H_IP: &str = "X-Hmac-Auth-IP";
pub const H_MAC: &str = "X-Hmac-Auth-MAC";
pub const VERSION: &str = "1.0";

/// How far a request's timestamp may be from the platform's clock.
pub const TIME_WINDOW_MS: i64 = 5 * 60 * 1000;
/// Lifetime of an access token.
pub const TOKEN_TTL_SECS: i64 = 7200;
/// Largest `msg` of a work notification, in bytes.
pub const MAX_MSG_BYTES: usize = 2048;
/// Most organisation codes or receivers per work notification.
pub const MAX_RECEIVER_ORGS: usize = 20;
/// Most employee codes per `listEmployeeAccountIds` call.
pub const MAX_EMPLOYEE_CODES: usize = 100;

/// Paths of the open platform.
pub mod path {
    pub const GET_TOKEN: &str = "/gettoken.json";
    /// The PC QR-code log-in page (on the log-in host).
    pub const QR_AUTH: &str = "/oauth2/auth.htm";
    pub const USER_BY_CODE: &str = "/rpc/oauth2/getuserinfo_bycode.json";
    pub const APP_USER: &str = "/rpc/oauth2/dingtalk_app_user.json";
    pub const WORK_NOTIFICATION: &str = "/message/workNotification";
    pub const ORG_BY_CODE: &str = "/mozi/organization/getOrganizationByCode";
    pub const SUB_ORG_CODES: &str = "/mozi/organization/pageSubOrganizationCodes";
    pub const ORG_EMPLOYEES: &str = "/mozi/organization/pageOrganizationEmployeePositions";
    pub const ACCOUNT_IDS: &str = "/mozi/employee/listEmployeeAccountIds";
    pub const BY_MOBILES: &str = "/mozi/employee/get_by_mobiles";
}

/// `X-Hmac-Auth-Timestamp` of a moment (China time, milliseconds always `.000`).
pub fn timestamp(ms: i64) -> String {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let t = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset);
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].000+08:00");
    t.format(&fmt).unwrap_or_default()
}

/// Milliseconds of an `X-Hmac-Auth-Timestamp`, if well-formed.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond][offset_hour sign:mandatory]:[offset_minute]"
    );
    let t = time::OffsetDateTime::parse(s, &fmt).ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

/// The string that is signed. `params` are the decoded query and form parameters in any order.
pub fn canonical(method: &str, timestamp: &str, nonce: &str, uri: &str, params: &[(String, String)]) -> String {
    let mut s = format!("{}\n{timestamp}\n{nonce}\n{uri}", method.to_ascii_uppercase());
    if !params.is_empty() {
        let mut sorted: Vec<&(String, String)> = params.iter().collect();
        sorted.sort();
        let joined: Vec<String> = sorted.iter().map(|(k, v)| format!("{k}={v}")).collect();
        s.push('\n');
        s.push_str(&joined.join("&"));
    }
    s
}

/// base64(HMAC-SHA256(secret, canonical)).
pub fn sign(secret: &str, canonical: &str) -> String {
    let mut mac = match <Hmac<Sha256>>::new_from_slice(secret.as_bytes()) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(canonical.as_bytes());
    B64.encode(mac.finalize().into_bytes())
}

/// Constant-time comparison of two signatures.
pub fn signature_matches(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The signing headers of one request (name, value), in the order they are sent.
pub fn headers(
    api_key: &str,
    secret: &str,
    method: &str,
    uri: &str,
    params: &[(String, String)],
    now_ms: i64,
    nonce: &str,
) -> Vec<(&'static str, String)> {
    let ts = timestamp(now_ms);
    let sig = sign(secret, &canonical(method, &ts, nonce, uri, params));
    vec![
        (H_API_KEY, api_key.to_owned()),
        (H_TIMESTAMP, ts),
        (H_NONCE, nonce.to_owned()),
        (H_VERSION, VERSION.to_owned()),
        (H_IP, "127.0.0.1".to_owned()),
        (H_MAC, "00:00:00:00:00:00".to_owned()),
        (H_SIGNATURE, sig),
    ]
}

/// Why a signed request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    #[error("missing signing header {0}")]
    Missing(&'static str),
    #[error("timestamp malformed or outside the allowed window")]
    StaleTimestamp,
    #[error("unsupported signature version")]
    Version,
    #[error("signature does not match")]
    Mismatch,
}

/// What a server needs to check a request: the received signing headers.
#[derive(Debug, Clone, Default)]
pub struct Received {
    pub api_key: String,
    pub timestamp: String,
    pub nonce: String,
    pub version: String,
    pub signature: String,
}

/// Check the window, version and signature of a request (nonce replay is the caller's job).
pub fn verify(
    secret: &str,
    r: &Received,
    method: &str,
    uri: &str,
    params: &[(String, String)],
    now_ms: i64,
) -> Result<(), SignError> {
    for (v, name) in [(&r.timestamp, H_TIMESTAMP), (&r.nonce, H_NONCE), (&r.signature, H_SIGNATURE)] {
        if v.is_empty() {
            return Err(SignError::Missing(name));
        }
    }
    if r.version != VERSION {
        return Err(SignError::Version);
    }
    let t = parse_timestamp(&r.timestamp).ok_or(SignError::StaleTimestamp)?;
    if (now_ms - t).abs() > TIME_WINDOW_MS {
        return Err(SignError::StaleTimestamp);
    }
    let expected = sign(secret, &canonical(method, &r.timestamp, &r.nonce, uri, params));
    if signature_matches(&expected, &r.signature) { Ok(()) } else { Err(SignError::Mismatch) }
}

/// The answer envelope: `{success, content: {success, data, responseCode, responseMessage,
/// totalSize?}}`; a refused call answers `success: false` with `errorCode` and `errorMsg`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: Deserialize<'de>"))]
pub struct Answer<T> {
    pub success: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Content<T>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_msg: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: Deserialize<'de>"))]
pub struct Content<T> {
    pub success: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
    #[serde(default)]
    pub response_code: String,
    #[serde(default)]
    pub response_message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_size: Option<i64>,
}

/// Error codes of the platform (as far as we use them).
pub mod code {
    /// The signature does not match or a signing header is missing.
    pub const BAD_SIGN: &str = "InvalidSignature";
    /// The timestamp is outside the window.
    pub const STALE: &str = "InvalidTimestamp";
    /// The nonce was used before.
    pub const REPLAY: &str = "NonceUsed";
    /// Unknown apiKey.
    pub const NO_APP: &str = "InvalidApiKey";
    /// The access token is unknown or expired.
    pub const BAD_TOKEN: &str = "InvalidAccessToken";
    /// Bad parameters.
    pub const BAD_PARAM: &str = "InvalidParameter";
    /// The log-in code is unknown, used or expired.
    pub const BAD_CODE: &str = "InvalidAuthCode";
}

impl<T> Answer<T> {
    pub fn ok(data: T) -> Self {
        Answer {
            success: true,
            content: Some(Content {
                success: true,
                data: Some(data),
                response_code: "0".into(),
                response_message: "OK".into(),
                total_size: None,
            }),
            error_code: None,
            error_msg: None,
        }
    }
    pub fn page(data: T, total: i64) -> Self {
        let mut a = Self::ok(data);
        if let Some(c) = a.content.as_mut() {
            c.total_size = Some(total);
        }
        a
    }
    pub fn error(code: &str, msg: impl Into<String>) -> Self {
        Answer { success: false, content: None, error_code: Some(code.to_owned()), error_msg: Some(msg.into()) }
    }
    /// The data, or the error code and message.
    pub fn into_data(self) -> Result<T, (String, String)> {
        if !self.success {
            return Err((self.error_code.unwrap_or_default(), self.error_msg.unwrap_or_default()));
        }
        match self.content {
            Some(Content { success: true, data: Some(d), .. }) => Ok(d),
            Some(c) => Err((c.response_code, c.response_message)),
            None => Err(("EmptyAnswer".into(), "应答缺少 content".into())),
        }
    }
}

/// `gettoken.json` data.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Token {
    pub access_token: String,
    pub expires_in: i64,
}

/// The user of a log-in code (`getuserinfo_bycode` / `dingtalk_app_user`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    pub account_id: i64,
    #[serde(default)]
    pub employee_code: String,
    #[serde(default)]
    pub tenant_id: i64,
    #[serde(default)]
    pub nick_name_cn: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub account: String,
    #[serde(default)]
    pub namespace: String,
}

/// An organisation (`getOrganizationByCode`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    pub organization_code: String,
    pub organization_name: String,
    #[serde(default)]
    pub parent_code: String,
    #[serde(default)]
    pub display_order: i64,
    /// `A` active, `F` inactive.
    #[serde(default)]
    pub status: String,
}

/// One position of an employee (`pageOrganizationEmployeePositions`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Position {
    pub organization_code: String,
    #[serde(default)]
    pub main_job: bool,
    #[serde(default)]
    pub gov_emp_pos_job: String,
    #[serde(default)]
    pub status: String,
}

/// An employee with positions.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Employee {
    pub employee_code: String,
    pub employee_name: String,
    /// `A` active, `F` left.
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub gov_employee_positions: Vec<Position>,
}

/// `listEmployeeAccountIds` item.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountId {
    pub account_id: i64,
    pub employee_code: String,
    #[serde(default)]
    pub account_code: String,
}

/// `get_by_mobiles` item.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MobileMatch {
    pub account_id: i64,
    pub mobile: String,
    pub employee_code: String,
}

/// `workNotification` data.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sent {
    pub msg_id: String,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn p(kv: &[(&str, &str)]) -> Vec<(String, String)> {
        kv.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn timestamp_is_china_time_with_zero_millis() {
        // 2026-11-27T03:04:05.678Z
        let ms = 1_795_748_645_678;
        assert_eq!(timestamp(ms), "2026-11-27T11:04:05.000+08:00");
        assert_eq!(parse_timestamp(&timestamp(ms)), Some(1_795_748_645_000));
        assert_eq!(parse_timestamp("2026-11-27 11:04:05"), None);
    }

    #[test]
    fn canonical_sorts_parameters_and_omits_an_empty_list() {
        let ts = "2026-11-27T11:04:05.000+08:00";
        assert_eq!(canonical("get", ts, "n1", "/gettoken.json", &[]), format!("GET\n{ts}\nn1\n/gettoken.json"));
        let params = p(&[("tenantId", "1"), ("employeeCodes", "B"), ("employeeCodes", "A"), ("access_token", "t")]);
        assert_eq!(
            canonical("POST", ts, "n1", "/x", &params),
            format!("POST\n{ts}\nn1\n/x\naccess_token=t&employeeCodes=A&employeeCodes=B&tenantId=1")
        );
    }

    #[test]
    fn signature_is_base64_hmac_sha256() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        assert_eq!(sign("Jefe", "what do ya want for nothing?"), "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
    }

    #[test]
    fn verify_accepts_own_headers_and_refuses_tampering() {
        let now = 1_795_748_645_678;
        let params = p(&[("code", "abc"), ("access_token", "t")]);
        let hs = headers("key", "secret", "POST", path::USER_BY_CODE, &params, now, "nonce-1");
        let get = |n: &str| hs.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone()).unwrap_or_default();
        let r = Received {
            api_key: get(H_API_KEY),
            timestamp: get(H_TIMESTAMP),
            nonce: get(H_NONCE),
            version: get(H_VERSION),
            signature: get(H_SIGNATURE),
        };
        assert_eq!(r.api_key, "key");
        assert!(verify("secret", &r, "POST", path::USER_BY_CODE, &params, now).is_ok());
        assert_eq!(verify("other", &r, "POST", path::USER_BY_CODE, &params, now), Err(SignError::Mismatch));
        let tampered = p(&[("code", "abd"), ("access_token", "t")]);
        assert_eq!(verify("secret", &r, "POST", path::USER_BY_CODE, &tampered, now), Err(SignError::Mismatch));
        assert_eq!(verify("secret", &r, "GET", path::USER_BY_CODE, &params, now), Err(SignError::Mismatch));
        assert_eq!(
            verify("secret", &r, "POST", path::USER_BY_CODE, &params, now + TIME_WINDOW_MS + 1000),
            Err(SignError::StaleTimestamp)
        );
        let no_sig = Received { signature: String::new(), ..r.clone() };
        assert_eq!(verify("secret", &no_sig, "POST", "/", &[], now), Err(SignError::Missing(H_SIGNATURE)));
        let v2 = Received { version: "2.0".into(), ..r };
        assert_eq!(verify("secret", &v2, "POST", path::USER_BY_CODE, &params, now), Err(SignError::Version));
    }

    #[test]
    fn answers_open_into_data_or_error() {
        assert_eq!(Answer::ok(5).into_data(), Ok(5));
        let e: Answer<i32> = Answer::error(code::BAD_SIGN, "签名错误");
        assert_eq!(e.into_data(), Err((code::BAD_SIGN.to_owned(), "签名错误".to_owned())));
        let raw = r#"{"success":true,"content":{"data":[{"accountId":78698966,"accountCode":"x","employeeCode":"GE_1"}],"success":true,"responseMessage":"OK","responseCode":"0"}}"#;
        let a: Answer<Vec<AccountId>> = serde_json::from_str(raw).unwrap();
        assert_eq!(a.into_data().unwrap()[0].account_id, 78_698_966);
    }
}
