//! AWS Signature Version 4 (`AWS4-HMAC-SHA256`) as S3-compatible object stores use it in the
//! `Authorization` header: canonical request → string to sign → signing key derived from the
//! secret, date, region and service → hex HMAC-SHA256 signature. Pure functions, shared by our S3
//! client (which signs) and the S3 simulator (which verifies).
//!
//! S3 rules followed here: the path is URI-encoded once (`/` kept), every signed request carries
//! `x-amz-content-sha256` (the hex SHA-256 of the body) and `x-amz-date` (`yyyyMMddTHHmmssZ`).

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// The algorithm name in the `Authorization` header and the string to sign.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// How far `x-amz-date` may be from the receiver's clock (S3 allows 15 minutes).
pub const MAX_SKEW_MS: i64 = 15 * 60 * 1000;

/// The parts of a request that are signed.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub method: &'a str,
    /// The decoded absolute path, e.g. `/bucket/attachments/ab/cdef…`; encoded here.
    pub path: &'a str,
    /// Decoded query parameters (any order).
    pub query: &'a [(String, String)],
    /// Headers to sign (any case, any order; must include `host`).
    pub headers: &'a [(String, String)],
    /// Hex SHA-256 of the body (or `UNSIGNED-PAYLOAD`).
    pub payload_sha256: &'a str,
}

/// Where and when a request is signed.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    /// `yyyyMMddTHHmmssZ`.
    pub amz_date: &'a str,
    pub region: &'a str,
    pub service: &'a str,
}

impl Scope<'_> {
    /// `yyyyMMdd`, the first eight characters of the timestamp.
    pub fn date(&self) -> &str {
        self.amz_date.get(..8).unwrap_or(self.amz_date)
    }

    /// `date/region/service/aws4_request`.
    pub fn credential_scope(&self) -> String {
        format!("{}/{}/{}/aws4_request", self.date(), self.region, self.service)
    }
}

/// The result of signing: what goes into the `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub signed_headers: String,
    pub signature: String,
    pub authorization: String,
}

/// Hex SHA-256 of bytes (the `x-amz-content-sha256` of a body).
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// `x-amz-date` of a time in milliseconds since the epoch (UTC).
pub fn amz_date(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let fmt = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    t.format(&fmt).unwrap_or_default()
}

/// Milliseconds since the epoch of an `x-amz-date`, if it is well-formed.
pub fn parse_amz_date(s: &str) -> Option<i64> {
    let fmt = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let t = time::PrimitiveDateTime::parse(s, &fmt).ok()?.assume_utc();
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

/// URI-encode per SigV4: unreserved characters (`A-Z a-z 0-9 - . _ ~`) stay, every other byte
/// becomes `%XX` (upper-case hex); `/` stays when `keep_slash`.
pub fn uri_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || (keep_slash && b == b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decode `%XX` escapes (the receiving side's path); `None` when an escape or the result is invalid.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn trim_value(v: &str) -> String {
    // Trim, and fold inner runs of spaces into one.
    v.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The canonical request and the signed-header list.
pub fn canonical_request(req: &Request<'_>) -> (String, String) {
    let mut query: Vec<(String, String)> =
        req.query.iter().map(|(k, v)| (uri_encode(k, false), uri_encode(v, false))).collect();
    query.sort();
    let query = query.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let mut headers: Vec<(String, String)> =
        req.headers.iter().map(|(k, v)| (k.trim().to_ascii_lowercase(), trim_value(v))).collect();
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    // Repeated headers are joined with commas, in the order given.
    let mut merged: Vec<(String, String)> = Vec::with_capacity(headers.len());
    for (k, v) in headers {
        match merged.last_mut() {
            Some((lk, lv)) if *lk == k => {
                lv.push(',');
                lv.push_str(&v);
            }
            _ => merged.push((k, v)),
        }
    }
    let canonical_headers: String = merged.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_headers = merged.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(";");
    let path = if req.path.is_empty() { "/".to_owned() } else { uri_encode(req.path, true) };
    let text = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method.to_ascii_uppercase(),
        path,
        query,
        canonical_headers,
        signed_headers,
        req.payload_sha256
    );
    (text, signed_headers)
}

/// The string to sign for a canonical request.
pub fn string_to_sign(scope: &Scope<'_>, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{}\n{}\n{}",
        scope.amz_date,
        scope.credential_scope(),
        sha256_hex(canonical_request.as_bytes())
    )
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so construction cannot fail.
    match <Hmac<Sha256>>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// The signing key: `HMAC("AWS4" + secret, date)` → region → service → `aws4_request`.
pub fn signing_key(secret_key: &str, scope: &Scope<'_>) -> Vec<u8> {
    let k_date = hmac(format!("AWS4{secret_key}").as_bytes(), scope.date().as_bytes());
    let k_region = hmac(&k_date, scope.region.as_bytes());
    let k_service = hmac(&k_region, scope.service.as_bytes());
    hmac(&k_service, b"aws4_request")
}

/// Sign a request.
pub fn sign(req: &Request<'_>, scope: &Scope<'_>, access_key: &str, secret_key: &str) -> Signature {
    let (creq, signed_headers) = canonical_request(req);
    let sts = string_to_sign(scope, &creq);
    let signature = hex::encode(hmac(&signing_key(secret_key, scope), sts.as_bytes()));
    let authorization = format!(
        "{ALGORITHM} Credential={access_key}/{},SignedHeaders={signed_headers},Signature={signature}",
        scope.credential_scope()
    );
    Signature { signed_headers, signature, authorization }
}

/// The fields of a received `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    pub access_key: String,
    /// `yyyyMMdd` of the credential scope.
    pub date: String,
    pub region: String,
    pub service: String,
    /// Lower-case header names, in the order given.
    pub signed_headers: Vec<String>,
    pub signature: String,
}

/// Parse `AWS4-HMAC-SHA256 Credential=AK/date/region/service/aws4_request, SignedHeaders=a;b,
/// Signature=hex` (commas with or without spaces).
pub fn parse_authorization(header: &str) -> Option<Authorization> {
    let rest = header.trim().strip_prefix(ALGORITHM)?.trim_start();
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed = Some(v),
            "Signature" => signature = Some(v),
            _ => return None,
        }
    }
    let parts: Vec<&str> = credential?.split('/').collect();
    let [access_key, date, region, service, terminator] = parts.as_slice() else {
        return None;
    };
    if *terminator != "aws4_request" {
        return None;
    }
    Some(Authorization {
        access_key: (*access_key).to_owned(),
        date: (*date).to_owned(),
        region: (*region).to_owned(),
        service: (*service).to_owned(),
        signed_headers: signed?.split(';').map(str::to_owned).collect(),
        signature: signature?.to_owned(),
    })
}

/// Constant-time comparison of two hex signatures.
pub fn signature_matches(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    /// The "GET object" example of the AWS S3 SigV4 documentation (Authorization header).
    #[test]
    fn aws_get_object_example() {
        let empty = sha256_hex(b"");
        assert_eq!(empty, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        let headers = owned(&[
            ("Host", "examplebucket.s3.amazonaws.com"),
            ("Range", "bytes=0-9"),
            ("x-amz-content-sha256", &empty),
            ("x-amz-date", "20130524T000000Z"),
        ]);
        let req = Request { method: "GET", path: "/test.txt", query: &[], headers: &headers, payload_sha256: &empty };
        let scope = Scope { amz_date: "20130524T000000Z", region: "us-east-1", service: "s3" };
        let (creq, _) = canonical_request(&req);
        assert_eq!(sha256_hex(creq.as_bytes()), "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
        let s = sign(&req, &scope, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        assert_eq!(s.signed_headers, "host;range;x-amz-content-sha256;x-amz-date");
        assert_eq!(s.signature, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
        let parsed = parse_authorization(&s.authorization);
        assert_eq!(
            parsed,
            Some(Authorization {
                access_key: "AKIAIOSFODNN7EXAMPLE".into(),
                date: "20130524".into(),
                region: "us-east-1".into(),
                service: "s3".into(),
                signed_headers: vec!["host".into(), "range".into(), "x-amz-content-sha256".into(), "x-amz-date".into()],
                signature: s.signature.clone(),
            })
        );
    }

    #[test]
    fn encoding_and_dates() {
        for (raw, keep, encoded) in [
            ("/a b/c~d", true, "/a%20b/c~d"),
            ("a/b", false, "a%2Fb"),
            ("照片.jpg", true, "%E7%85%A7%E7%89%87.jpg"),
            ("x=1&y", false, "x%3D1%26y"),
        ] {
            assert_eq!(uri_encode(raw, keep), encoded);
            assert_eq!(percent_decode(encoded).as_deref(), Some(raw));
        }
        assert_eq!(percent_decode("%G1"), None);
        assert_eq!(amz_date(1_369_353_600_000), "20130524T000000Z");
        assert_eq!(parse_amz_date("20130524T000000Z"), Some(1_369_353_600_000));
        assert_eq!(parse_amz_date("2013-05-24"), None);
    }

    #[test]
    fn query_is_sorted_and_headers_trimmed() {
        let headers = owned(&[("X-Amz-Date", " 20130524T000000Z "), ("host", "h"), ("x-a", "a   b")]);
        let query = owned(&[("prefix", "a/b"), ("list-type", "2")]);
        let req = Request {
            method: "get",
            path: "/bucket",
            query: &query,
            headers: &headers,
            payload_sha256: "UNSIGNED-PAYLOAD",
        };
        let (creq, signed) = canonical_request(&req);
        assert_eq!(signed, "host;x-a;x-amz-date");
        assert_eq!(
            creq,
            "GET\n/bucket\nlist-type=2&prefix=a%2Fb\nhost:h\nx-a:a b\nx-amz-date:20130524T000000Z\n\nhost;x-a;x-amz-date\nUNSIGNED-PAYLOAD"
        );
    }

    #[test]
    fn malformed_authorization_is_refused() {
        for h in [
            "",
            "AWS4-HMAC-SHA1 Credential=a/b/c/d/aws4_request,SignedHeaders=host,Signature=00",
            "AWS4-HMAC-SHA256 Credential=a/b/c/d/other,SignedHeaders=host,Signature=00",
            "AWS4-HMAC-SHA256 Credential=a/b/c/aws4_request,SignedHeaders=host,Signature=00",
            "AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request,SignedHeaders=host",
        ] {
            assert_eq!(parse_authorization(h), None, "{h}");
        }
        assert!(signature_matches("abcd", "abcd"));
        assert!(!signature_matches("abcd", "abce"));
        assert!(!signature_matches("abcd", "abc"));
    }
}
