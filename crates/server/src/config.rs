//! Configuration: `config/default.toml` (compiled in) < file named by `--config` < `XIEZHI__SECTION__KEY`
//! environment variables < command-line flags. Loaded once into a typed struct and passed
//! explicitly; secrets are redacted in `Debug`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

const DEFAULTS: &str = include_str!("../../../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub server: Server,
    pub storage: Storage,
    pub security: Security,
    pub log: Log,
    pub relay: Relay,
    pub attachments: Attachments,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    pub listen: String,
    pub web_dir: String,
    pub public_url: String,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Storage {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub max_connections: u32,
    pub sqlite_synchronous: String,
    pub sqlite_writer_cpu: String,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Storage")
            .field("data_dir", &self.data_dir)
            .field("database_url", &xiezhi_storage::db::redact(&self.database_url))
            .field("max_connections", &self.max_connections)
            .field("sqlite_synchronous", &self.sqlite_synchronous)
            .field("sqlite_writer_cpu", &self.sqlite_writer_cpu)
            .finish()
    }
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Security {
    pub lockout_threshold: i64,
    pub lockout_minutes: i64,
    pub idle_timeout_minutes: i64,
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub argon2_parallelism: u32,
    pub cookie_secure: bool,
    pub field_key: String,
    pub field_key_file: String,
}

impl std::fmt::Debug for Security {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Security")
            .field("lockout_threshold", &self.lockout_threshold)
            .field("lockout_minutes", &self.lockout_minutes)
            .field("idle_timeout_minutes", &self.idle_timeout_minutes)
            .field("argon2_memory_kib", &self.argon2_memory_kib)
            .field("argon2_iterations", &self.argon2_iterations)
            .field("argon2_parallelism", &self.argon2_parallelism)
            .field("cookie_secure", &self.cookie_secure)
            .field("field_key", &if self.field_key.is_empty() { "" } else { "<redacted>" })
            .field("field_key_file", &self.field_key_file)
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Log {
    pub level: String,
    pub format: String,
}

/// Delivery relay timing (external systems).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relay {
    pub base_backoff_ms: i64,
    pub max_backoff_ms: i64,
    pub batch: i64,
    pub concurrency: usize,
    pub lease_ms: i64,
}

/// Where clue attachments are stored.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachments {
    /// `dir` or `s3`.
    pub store: String,
    pub s3_endpoint: String,
    pub s3_bucket: String,
    pub s3_region: String,
    pub s3_access_key: String,
    pub s3_secret_key: String,
    pub s3_path_style: bool,
    pub s3_timeout_ms: u64,
}

impl std::fmt::Debug for Attachments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachments")
            .field("store", &self.store)
            .field("s3_endpoint", &self.s3_endpoint)
            .field("s3_bucket", &self.s3_bucket)
            .field("s3_region", &self.s3_region)
            .field("s3_access_key", &self.s3_access_key)
            .field("s3_secret_key", &if self.s3_secret_key.is_empty() { "" } else { "<redacted>" })
            .field("s3_path_style", &self.s3_path_style)
            .field("s3_timeout_ms", &self.s3_timeout_ms)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("invalid config: {0}")]
    Parse(String),
}

fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// Parse an environment value as TOML when it is a number or boolean, else keep it as a string.
fn env_value(raw: &str) -> toml::Value {
    if let Ok(i) = raw.parse::<i64>() {
        return toml::Value::Integer(i);
    }
    match raw {
        "true" => toml::Value::Boolean(true),
        "false" => toml::Value::Boolean(false),
        _ => toml::Value::String(raw.to_owned()),
    }
}

impl Config {
    /// Defaults, then `file`, then the `XIEZHI__` variables in `env`.
    pub fn load(file: Option<&Path>, env: impl IntoIterator<Item = (String, String)>) -> Result<Config, ConfigError> {
        let mut table: toml::Table =
            DEFAULTS.parse().map_err(|e: toml::de::Error| ConfigError::Parse(e.to_string()))?;
        if let Some(f) = file {
            let text = std::fs::read_to_string(f).map_err(|e| ConfigError::Read(f.to_owned(), e))?;
            let over: toml::Table =
                text.parse().map_err(|e: toml::de::Error| ConfigError::Parse(format!("{}: {e}", f.display())))?;
            merge(&mut table, over);
        }
        for (k, v) in env {
            let Some(rest) = k.strip_prefix("XIEZHI__") else {
                continue;
            };
            let parts: Vec<String> = rest.split("__").map(str::to_lowercase).collect();
            let [section, key] = parts.as_slice() else {
                return Err(ConfigError::Parse(format!(
                    "environment variable {k} must look like XIEZHI__SECTION__KEY"
                )));
            };
            let mut over = toml::Table::new();
            let mut inner = toml::Table::new();
            // A setting that is a string by default stays a string (a secret may be all digits).
            let is_text =
                matches!(table.get(section.as_str()).and_then(|t| t.get(key.as_str())), Some(toml::Value::String(_)));
            inner.insert(key.clone(), if is_text { toml::Value::String(v.clone()) } else { env_value(&v) });
            over.insert(section.clone(), toml::Value::Table(inner));
            merge(&mut table, over);
        }
        table.try_into().map_err(|e: toml::de::Error| ConfigError::Parse(e.to_string()))
    }

    /// The database URL: configured, or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        if self.storage.database_url.is_empty() {
            let path = self.storage.data_dir.join("xiezhi.db");
            let abs = std::path::absolute(&path).unwrap_or(path);
            format!("sqlite://{}?mode=rwc", abs.display())
        } else {
            self.storage.database_url.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_load_and_env_overrides() {
        let c = Config::load(None, vec![("XIEZHI__SERVER__LISTEN".into(), "0.0.0.0:9000".into())]).ok();
        let c = c.as_ref();
        assert_eq!(c.map(|c| c.server.listen.as_str()), Some("0.0.0.0:9000"));
        assert_eq!(c.map(|c| c.security.lockout_threshold), Some(5));
    }

    #[test]
    fn unknown_keys_are_errors() {
        assert!(Config::load(None, vec![("XIEZHI__SERVER__LISTN".into(), "x".into())]).is_err());
        assert!(Config::load(None, vec![("XIEZHI__NOPE__X".into(), "x".into())]).is_err());
        assert!(Config::load(None, vec![("XIEZHI__SERVER".into(), "x".into())]).is_err());
    }

    #[test]
    fn secrets_are_redacted_in_debug() {
        let c = Config::load(
            None,
            vec![
                ("XIEZHI__SECURITY__FIELD_KEY".into(), "00".repeat(32)),
                ("XIEZHI__STORAGE__DATABASE_URL".into(), "postgres://u:pw@h/db".into()),
                ("XIEZHI__ATTACHMENTS__S3_SECRET_KEY".into(), "s3-secret-value".into()),
            ],
        )
        .ok();
        assert_eq!(c.as_ref().map(|c| c.attachments.s3_secret_key.as_str()), Some("s3-secret-value"));
        assert_eq!(c.as_ref().map(|c| c.security.field_key.as_str()), Some("00".repeat(32).as_str()));
        let text = format!("{c:?}");
        assert!(
            !text.contains(&"00".repeat(32)) && !text.contains("pw@") && !text.contains("s3-secret-value"),
            "{text}"
        );
    }
}
