//! Where clue attachments live: content-addressed by the SHA-256 of their bytes, either in the data
//! directory (`<data_dir>/attachments/ab/cdef…`) or in an S3-compatible object store (key
//! `attachments/ab/cdef…`). A `put` returns only once the bytes are durable (file synced and
//! renamed; object store answered 200), so the intake may commit the rows that refer to them.
//! Storing the same bytes again is harmless.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::StatusCode;
use xiezhi_domain::integration::sigv4::{self, Request, Scope};

use crate::error::ApiError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("attachment not found")]
    NotFound,
    /// The store did not take or give the bytes (I/O error, object store down or refusing us).
    #[error("attachment store unavailable: {0}")]
    Unavailable(String),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Unavailable(cause) => {
                tracing::error!(%cause, "attachment store unavailable");
                ApiError::Coded {
                    status: StatusCode::SERVICE_UNAVAILABLE,
                    code: "attachment_store_unavailable",
                    message: "附件存储暂不可用，本次请求未受理，请稍后重试".into(),
                }
            }
        }
    }
}

/// The object key (and relative file path) of a content hash: `attachments/ab/cdef…`.
pub fn key(sha256: &str) -> String {
    let (a, b) = sha256.split_at(2.min(sha256.len()));
    format!("attachments/{a}/{b}")
}

/// A lower-case hex SHA-256, the only shape of name a store accepts.
fn valid_hash(sha256: &str) -> bool {
    sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The configured store.
#[derive(Debug)]
pub enum AttachmentStore {
    Dir(DirStore),
    S3(Box<S3Store>),
}

impl AttachmentStore {
    /// Whether storing goes over the network (worth doing before a write transaction).
    pub fn is_remote(&self) -> bool {
        matches!(self, AttachmentStore::S3(_))
    }

    /// Store bytes durably; returns their SHA-256 (lower-case hex).
    pub async fn put(&self, data: &[u8], content_type: &str) -> Result<String, StoreError> {
        let sha = sigv4::sha256_hex(data);
        match self {
            AttachmentStore::Dir(d) => d.put(&sha, data).await?,
            AttachmentStore::S3(s) => s.put(&sha, data, content_type).await?,
        }
        Ok(sha)
    }

    /// The bytes stored under a hash.
    pub async fn get(&self, sha256: &str) -> Result<Bytes, StoreError> {
        if !valid_hash(sha256) {
            return Err(StoreError::NotFound);
        }
        match self {
            AttachmentStore::Dir(d) => d.get(sha256).await,
            AttachmentStore::S3(s) => s.get(sha256).await,
        }
    }
}

// ---- data directory ---------------------------------------------------------------------------------

/// Files under `<data_dir>/attachments/ab/cdef…`.
#[derive(Debug, Clone)]
pub struct DirStore {
    data_dir: PathBuf,
}

impl DirStore {
    pub fn new(data_dir: PathBuf) -> DirStore {
        DirStore { data_dir }
    }

    pub fn path(&self, sha256: &str) -> PathBuf {
        self.data_dir.join(key(sha256))
    }

    /// Write to a temporary file, sync it, rename it into place and sync the directory.
    async fn put(&self, sha256: &str, data: &[u8]) -> Result<(), StoreError> {
        let path = self.path(sha256);
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(());
        }
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_else(|| self.data_dir.clone());
        let tmp = dir.join(format!(".{sha256}.tmp{}", rand::random::<u32>()));
        let data = data.to_vec();
        let shown = path.display().to_string();
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            use std::io::Write;
            std::fs::create_dir_all(&dir)?;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&data)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)?;
            // The rename itself is durable once the directory is synced.
            std::fs::File::open(&dir)?.sync_all()
        })
        .await
        .map_err(|e| StoreError::Unavailable(e.to_string()))?
        .map_err(|e| StoreError::Unavailable(format!("{shown}: {e}")))
    }

    async fn get(&self, sha256: &str) -> Result<Bytes, StoreError> {
        let path = self.path(sha256);
        match tokio::fs::read(&path).await {
            Ok(b) => Ok(Bytes::from(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(StoreError::NotFound),
            Err(e) => Err(StoreError::Unavailable(format!("{}: {e}", path.display()))),
        }
    }
}

// ---- S3-compatible object store ---------------------------------------------------------------------

/// Settings of an S3-compatible store (AWS S3, MinIO, Aliyun OSS, …).
#[derive(Clone)]
pub struct S3Settings {
    /// `https://host[:port][/prefix]`; the bucket is added as a path segment (path style) or as a
    /// sub-domain (virtual-hosted style).
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key: String,
    pub secret_key: String,
    pub path_style: bool,
    /// Limit of one request (connecting takes at most 5 s of it).
    pub timeout: Duration,
    /// Tries per operation; connection errors, timeouts and 5xx answers are retried.
    pub attempts: u32,
}

impl std::fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Settings")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("access_key", &self.access_key)
            .field("secret_key", &if self.secret_key.is_empty() { "" } else { "<redacted>" })
            .field("path_style", &self.path_style)
            .field("timeout", &self.timeout)
            .field("attempts", &self.attempts)
            .finish()
    }
}

impl S3Settings {
    /// Sensible timing for the given location and credentials.
    pub fn new(
        endpoint: impl Into<String>,
        bucket: impl Into<String>,
        region: impl Into<String>,
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
        path_style: bool,
    ) -> S3Settings {
        S3Settings {
            endpoint: endpoint.into(),
            bucket: bucket.into(),
            region: region.into(),
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            path_style,
            timeout: Duration::from_secs(30),
            attempts: 3,
        }
    }
}

/// Most content hashes remembered as stored (then the memory starts over).
const KNOWN_MAX: usize = 65_536;

/// Our S3 client: SigV4-signed `PUT` and `GET` of objects, with timeouts and retries.
pub struct S3Store {
    settings: S3Settings,
    /// `scheme://host[:port]` and the path prefix of every object (`/prefix/bucket` or `/prefix`).
    origin: reqwest::Url,
    prefix: String,
    host: String,
    http: reqwest::Client,
    /// Hashes this process has stored (objects are immutable), so a repeated put costs nothing.
    known: Mutex<HashSet<String>>,
}

impl std::fmt::Debug for S3Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Store").field("settings", &self.settings).finish_non_exhaustive()
    }
}

/// What an attempt came to.
enum Attempt {
    Done(reqwest::StatusCode, Bytes),
    /// Worth another try (connection error, timeout, 5xx).
    Retry(String),
}

impl S3Store {
    /// Check the settings and build the client; the error says what is wrong.
    pub fn new(settings: S3Settings) -> Result<S3Store, String> {
        let url = reqwest::Url::parse(settings.endpoint.trim())
            .map_err(|e| format!("endpoint {:?} is not a URL: {e}", settings.endpoint))?;
        if !matches!(url.scheme(), "http" | "https") || url.query().is_some() || url.fragment().is_some() {
            return Err(format!("endpoint {:?} must be an http(s) URL without query", settings.endpoint));
        }
        let host_name = url.host_str().ok_or_else(|| format!("endpoint {:?} has no host", settings.endpoint))?;
        let b = settings.bucket.as_bytes();
        let bucket_ok = (3..=63).contains(&b.len())
            && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'-' | b'.'))
            && b.first().is_some_and(u8::is_ascii_alphanumeric)
            && b.last().is_some_and(u8::is_ascii_alphanumeric);
        if !bucket_ok {
            return Err(format!(
                "bucket {:?} must be 3–63 characters of a-z, 0-9, '-' and '.', starting and ending with a letter or digit",
                settings.bucket
            ));
        }
        if settings.region.trim().is_empty() || settings.region.contains(['/', ' ']) {
            return Err("region must be set (e.g. us-east-1, cn-east-1)".into());
        }
        if settings.access_key.is_empty() || settings.secret_key.is_empty() {
            return Err("access key and secret key must be set".into());
        }
        if settings.attempts == 0 || settings.timeout.is_zero() {
            return Err("attempts and timeout must be positive".into());
        }
        let base_path = url.path().trim_end_matches('/').to_owned();
        let (host_name, prefix) = if settings.path_style {
            (host_name.to_owned(), format!("{base_path}/{}", settings.bucket))
        } else {
            (format!("{}.{host_name}", settings.bucket), base_path)
        };
        let host = match url.port() {
            Some(p) => format!("{host_name}:{p}"),
            None => host_name.clone(),
        };
        let origin = reqwest::Url::parse(&format!("{}://{host}", url.scheme()))
            .map_err(|e| format!("endpoint {:?}: {e}", settings.endpoint))?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5).min(settings.timeout))
            .timeout(settings.timeout)
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        Ok(S3Store { settings, origin, prefix, host, http, known: Mutex::new(HashSet::new()) })
    }

    pub fn settings(&self) -> &S3Settings {
        &self.settings
    }

    fn known(&self, sha256: &str) -> bool {
        self.known.lock().map(|k| k.contains(sha256)).unwrap_or(false)
    }

    fn remember(&self, sha256: &str) {
        if let Ok(mut k) = self.known.lock() {
            if k.len() >= KNOWN_MAX {
                k.clear();
            }
            k.insert(sha256.to_owned());
        }
    }

    async fn put(&self, sha256: &str, data: &[u8], content_type: &str) -> Result<(), StoreError> {
        if self.known(sha256) {
            return Ok(());
        }
        let body = Bytes::copy_from_slice(data);
        match self.call(reqwest::Method::PUT, sha256, body, Some(content_type)).await? {
            (s, _) if s.is_success() => {
                self.remember(sha256);
                Ok(())
            }
            (s, body) => Err(StoreError::Unavailable(refusal("PUT", s, &body))),
        }
    }

    async fn get(&self, sha256: &str) -> Result<Bytes, StoreError> {
        match self.call(reqwest::Method::GET, sha256, Bytes::new(), None).await? {
            (s, body) if s.is_success() => Ok(body),
            (reqwest::StatusCode::NOT_FOUND, _) => Err(StoreError::NotFound),
            (s, body) => Err(StoreError::Unavailable(refusal("GET", s, &body))),
        }
    }

    /// One operation on the object of a hash, retried with backoff (200 ms, 400 ms, …).
    async fn call(
        &self,
        method: reqwest::Method,
        sha256: &str,
        body: Bytes,
        content_type: Option<&str>,
    ) -> Result<(reqwest::StatusCode, Bytes), StoreError> {
        let path = format!("{}/{}", self.prefix, key(sha256));
        // The body of a PUT is the content itself, so its hash is the content address.
        let payload = if body.is_empty() { sigv4::sha256_hex(b"") } else { sha256.to_owned() };
        let mut last = String::new();
        for attempt in 0..self.settings.attempts {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(200 << (attempt - 1).min(5))).await;
            }
            match self.attempt(&method, &path, &payload, body.clone(), content_type).await {
                Attempt::Done(s, b) => return Ok((s, b)),
                Attempt::Retry(why) => {
                    tracing::warn!(%method, key = %path, attempt = attempt + 1, error = %why, "object store call failed");
                    last = why;
                }
            }
        }
        Err(StoreError::Unavailable(format!("{method} {path}: {last} (after {} attempts)", self.settings.attempts)))
    }

    async fn attempt(
        &self,
        method: &reqwest::Method,
        path: &str,
        payload: &str,
        body: Bytes,
        content_type: Option<&str>,
    ) -> Attempt {
        let amz_date = sigv4::amz_date(crate::now_ms());
        let mut headers = vec![
            ("host".to_owned(), self.host.clone()),
            ("x-amz-content-sha256".to_owned(), payload.to_owned()),
            ("x-amz-date".to_owned(), amz_date.clone()),
        ];
        if let Some(ct) = content_type {
            headers.push(("content-type".to_owned(), ct.to_owned()));
        }
        let req = Request { method: method.as_str(), path, query: &[], headers: &headers, payload_sha256: payload };
        let scope = Scope { amz_date: &amz_date, region: &self.settings.region, service: "s3" };
        let sig = sigv4::sign(&req, &scope, &self.settings.access_key, &self.settings.secret_key);
        let mut url = self.origin.clone();
        url.set_path(&sigv4::uri_encode(path, true));
        let mut rb = self.http.request(method.clone(), url).header("authorization", sig.authorization);
        for (k, v) in &headers {
            rb = rb.header(k.as_str(), v.as_str());
        }
        if *method == reqwest::Method::PUT {
            rb = rb.body(body);
        }
        let res = match rb.send().await {
            Ok(r) => r,
            Err(e) => return Attempt::Retry(describe(&e)),
        };
        let status = res.status();
        match res.bytes().await {
            Ok(_) if status.is_server_error() => Attempt::Retry(format!("HTTP {status}")),
            Ok(b) => Attempt::Done(status, b),
            Err(e) => Attempt::Retry(describe(&e)),
        }
    }
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        format!("cannot connect: {e}")
    } else {
        e.to_string()
    }
}

/// A refusal with S3's error code, e.g. `PUT refused: HTTP 403 SignatureDoesNotMatch`.
fn refusal(op: &str, status: reqwest::StatusCode, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let code = text
        .split_once("<Code>")
        .and_then(|(_, rest)| rest.split_once("</Code>"))
        .map(|(c, _)| c.to_owned())
        .unwrap_or_default();
    format!("{op} refused: HTTP {status} {code}").trim_end().to_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn settings(endpoint: &str, bucket: &str, path_style: bool) -> S3Settings {
        S3Settings::new(endpoint, bucket, "cn-east-1", "ak", "sk", path_style)
    }

    #[test]
    fn keys_and_urls() {
        let sha = "ab".repeat(32);
        assert_eq!(key(&sha), format!("attachments/ab/{}", &sha[2..]));
        let s = S3Store::new(settings("http://127.0.0.1:9000", "xiezhi", true)).unwrap();
        assert_eq!((s.host.as_str(), s.prefix.as_str()), ("127.0.0.1:9000", "/xiezhi"));
        let s = S3Store::new(settings("https://oss-cn-hangzhou.aliyuncs.com/", "ls-xz", false)).unwrap();
        assert_eq!((s.host.as_str(), s.prefix.as_str()), ("ls-xz.oss-cn-hangzhou.aliyuncs.com", ""));
        assert_eq!(s.origin.as_str(), "https://ls-xz.oss-cn-hangzhou.aliyuncs.com/");
        let s = S3Store::new(settings("https://proxy.example/s3", "ls-xz", true)).unwrap();
        assert_eq!((s.host.as_str(), s.prefix.as_str()), ("proxy.example", "/s3/ls-xz"));
    }

    #[test]
    fn bad_settings_are_refused_with_a_reason() {
        for (endpoint, bucket) in [
            ("localhost:9000", "xiezhi"),
            ("ftp://h", "xiezhi"),
            ("http://h", "X"),
            ("http://h", "-ab"),
            ("http://h?x", "abc"),
        ] {
            assert!(S3Store::new(settings(endpoint, bucket, true)).is_err(), "{endpoint} {bucket}");
        }
        let mut s = settings("http://h", "abc", true);
        s.secret_key.clear();
        assert!(S3Store::new(s.clone()).unwrap_err().contains("secret key"));
        assert!(!format!("{:?}", settings("http://h", "abc", true)).contains("\"sk\""));
    }

    #[test]
    fn refusals_name_the_s3_code() {
        let body = b"<?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code></Error>";
        assert_eq!(
            refusal("PUT", reqwest::StatusCode::FORBIDDEN, body),
            "PUT refused: HTTP 403 Forbidden SignatureDoesNotMatch"
        );
    }

    #[tokio::test]
    async fn dir_store_round_trip() {
        let dir = std::env::temp_dir().join(format!("xz_att_{}", rand::random::<u64>()));
        let store = AttachmentStore::Dir(DirStore::new(dir.clone()));
        let sha = store.put(b"%PDF-1.4", "application/pdf").await.unwrap();
        assert_eq!(sha, sigv4::sha256_hex(b"%PDF-1.4"));
        assert_eq!(store.put(b"%PDF-1.4", "application/pdf").await.unwrap(), sha);
        assert_eq!(store.get(&sha).await.unwrap().as_ref(), b"%PDF-1.4");
        assert!(dir.join(key(&sha)).exists());
        assert!(matches!(store.get(&"0".repeat(64)).await, Err(StoreError::NotFound)));
        assert!(matches!(store.get("../etc/passwd").await, Err(StoreError::NotFound)));
        let _ = std::fs::remove_dir_all(dir);
    }
}
