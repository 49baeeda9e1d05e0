//! Start-up: tracing, database, field key, server with graceful shutdown.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use tracing_subscriber::EnvFilter;
use xiezhi_api::clue::attachments::{AttachmentStore, S3Settings, S3Store};
use xiezhi_api::{AppState, AuthSettings};
use xiezhi_domain::crypto::FieldCipher;
use xiezhi_storage::platform::role;
use xiezhi_storage::{Db, DbOptions, StorageError};

use crate::config::Config;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("field-encryption key: {0}")]
    Key(String),
    #[error("{0}")]
    Other(String),
}

pub fn init_tracing(cfg: &Config) {
    let filter = EnvFilter::try_new(&cfg.log.level).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if cfg.log.format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

pub async fn connect(cfg: &Config) -> Result<Db, AppError> {
    if cfg.storage.database_url.is_empty() {
        std::fs::create_dir_all(&cfg.storage.data_dir)
            .map_err(|e| AppError::Other(format!("cannot create data dir {}: {e}", cfg.storage.data_dir.display())))?;
    }
    let writer_cpu = cfg.storage.sqlite_writer_cpu.parse().map_err(AppError::Other)?;
    let mut db = Db::connect(&DbOptions {
        url: cfg.database_url(),
        max_connections: cfg.storage.max_connections,
        sqlite_synchronous: cfg.storage.sqlite_synchronous.clone(),
    })
    .await?;
    db.set_writer_cpu(writer_cpu);
    Ok(db)
}

/// Apply migrations and load the default boundaries when none exist yet.
pub async fn migrate(cfg: &Config) -> Result<Db, AppError> {
    let db = connect(cfg).await?;
    db.migrate().await?;
    xiezhi_api::bootstrap(&db).await.map_err(AppError::Other)?;
    Ok(db)
}

/// The field-encryption key: configured value, configured file, or `<data_dir>/keys/field.key`
/// (created with mode 0600 when missing).
pub fn field_cipher(cfg: &Config) -> Result<FieldCipher, AppError> {
    let hex = if !cfg.security.field_key.is_empty() {
        cfg.security.field_key.clone()
    } else {
        let path = if cfg.security.field_key_file.is_empty() {
            cfg.storage.data_dir.join("keys").join("field.key")
        } else {
            PathBuf::from(&cfg.security.field_key_file)
        };
        if !path.exists() {
            if !cfg.security.field_key_file.is_empty() {
                return Err(AppError::Key(format!("key file {} does not exist", path.display())));
            }
            create_key_file(&path)?;
            tracing::warn!(path = %path.display(), "created a new field-encryption key; back it up together with the database");
        }
        std::fs::read_to_string(&path).map_err(|e| AppError::Key(format!("cannot read {}: {e}", path.display())))?
    };
    FieldCipher::from_hex(&hex).map_err(|e| AppError::Key(e.to_string()))
}

fn create_key_file(path: &std::path::Path) -> Result<(), AppError> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| AppError::Key(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| AppError::Key(format!("cannot create {}: {e}", path.display())))?;
    f.write_all(FieldCipher::generate_key_hex().as_bytes()).map_err(|e| AppError::Key(e.to_string()))?;
    Ok(())
}

pub fn auth_settings(cfg: &Config) -> AuthSettings {
    let s = &cfg.security;
    AuthSettings {
        lockout_threshold: s.lockout_threshold,
        lockout_minutes: s.lockout_minutes,
        idle_timeout_minutes: s.idle_timeout_minutes,
        argon2_memory_kib: s.argon2_memory_kib,
        argon2_iterations: s.argon2_iterations,
        argon2_parallelism: s.argon2_parallelism,
        cookie_secure: s.cookie_secure,
    }
}

pub fn state(cfg: &Config, db: Db) -> Result<AppState, AppError> {
    let cipher = field_cipher(cfg)?;
    let web_dir = (!cfg.server.web_dir.is_empty()).then(|| PathBuf::from(&cfg.server.web_dir));
    if let Some(d) = &web_dir
        && !d.join("index.html").exists()
    {
        tracing::warn!(dir = %d.display(), "web UI not built (run `npm run build` in web/); only the API is served");
    }
    let state = AppState::new(db, cipher, auth_settings(cfg), web_dir, cfg.storage.data_dir.clone());
    let r = &cfg.relay;
    if r.base_backoff_ms < 1
        || r.max_backoff_ms < r.base_backoff_ms
        || r.batch < 1
        || r.concurrency < 1
        || r.lease_ms < 1000
    {
        return Err(AppError::Other(
            "invalid [relay] settings: backoffs ≥ 1 ms (max ≥ base), batch and concurrency ≥ 1, lease ≥ 1000 ms".into(),
        ));
    }
    if let Some(store) = attachment_store(cfg)? {
        state.clue.set_attachment_store(store);
    }
    state.relay.set(xiezhi_api::integration::relay::RelaySettings {
        base_backoff_ms: r.base_backoff_ms,
        max_backoff_ms: r.max_backoff_ms,
        batch: r.batch,
        concurrency: r.concurrency,
        lease_ms: r.lease_ms,
        ..Default::default()
    });
    Ok(state)
}

/// The configured attachment store, when it is not the data directory.
pub fn attachment_store(cfg: &Config) -> Result<Option<AttachmentStore>, AppError> {
    let a = &cfg.attachments;
    match a.store.as_str() {
        "dir" => Ok(None),
        "s3" => {
            let mut settings = S3Settings::new(
                &a.s3_endpoint,
                &a.s3_bucket,
                &a.s3_region,
                &a.s3_access_key,
                &a.s3_secret_key,
                a.s3_path_style,
            );
            settings.timeout = std::time::Duration::from_millis(a.s3_timeout_ms);
            let store = S3Store::new(settings)
                .map_err(|e| AppError::Other(format!("invalid [attachments] settings for store = \"s3\": {e}")))?;
            tracing::info!(endpoint = %a.s3_endpoint, bucket = %a.s3_bucket, "attachments are stored in an S3-compatible store");
            Ok(Some(AttachmentStore::S3(Box::new(store))))
        }
        other => Err(AppError::Other(format!("invalid [attachments] store {other:?}: must be \"dir\" or \"s3\""))),
    }
}

pub async fn serve(cfg: Config) -> Result<ExitCode, AppError> {
    // Settings errors first, before anything is touched.
    attachment_store(&cfg)?;
    let db = migrate(&cfg).await?;
    {
        let mut conn = db.conn().await?;
        let admins = match role::find_by_code(&mut conn, "sys_admin").await? {
            Some(id) => role::user_ids_with_role(&mut conn, id).await?.len(),
            None => 0,
        };
        if admins == 0 {
            eprintln!(
                "No system administrator exists yet. Create one on this console first:\n  \
                 xiezhi admin create-user --username <name> --display-name <姓名> --department 丽水市综合行政执法局办公室 --role sys_admin\n\
                 (or load the demo data with `xiezhi seed-demo`)."
            );
            return Ok(ExitCode::from(2));
        }
    }
    let state = state(&cfg, db.clone())?;
    let listener = tokio::net::TcpListener::bind(&cfg.server.listen)
        .await
        .map_err(|e| AppError::Other(format!("cannot listen on {}: {e}", cfg.server.listen)))?;
    let addr = listener.local_addr().map_err(|e| AppError::Other(e.to_string()))?;
    let url = if cfg.server.public_url.is_empty() { format!("http://{addr}/") } else { cfg.server.public_url.clone() };
    tracing::info!(%url, database = db.backend().as_str(), "xiezhi is serving");
    println!("獬豸 Xiezhi is serving at {url}  (API docs: {url}api/docs/)");
    let purge = tokio::spawn(purge_sessions(db.clone(), state.auth.idle_ms()));
    state.self_url.set(&format!("http://{addr}"));
    let background = xiezhi_api::integration::start(&state).await;
    let app = xiezhi_api::app(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| AppError::Other(e.to_string()))?;
    purge.abort();
    for t in background {
        t.abort();
    }
    db.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

async fn purge_sessions(db: Db, idle_ms: i64) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        tick.tick().await;
        if let Ok(mut c) = db.conn().await
            && let Err(e) = xiezhi_storage::platform::session::purge_idle(&mut c, xiezhi_api::now_ms(), idle_ms).await
        {
            tracing::warn!(error = %e, "session purge failed");
        }
    }
}

pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown signal received, finishing requests");
}

pub async fn audit_verify(cfg: &Config) -> Result<ExitCode, AppError> {
    let db = connect(cfg).await?;
    let mut conn = db.conn().await?;
    let check = xiezhi_storage::audit::verify(&mut conn).await?;
    match check.first_bad_seq {
        None => {
            println!("OK: audit chain intact, {} records verified", check.checked);
            Ok(ExitCode::SUCCESS)
        }
        Some(seq) => {
            println!("TAMPERED: first bad record seq {seq}: {}", check.reason.unwrap_or_default());
            Ok(ExitCode::from(1))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Config {
        Config::load(None, vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))).unwrap()
    }

    #[test]
    fn attachment_store_is_the_data_dir_by_default_and_s3_settings_are_checked() {
        assert!(attachment_store(&config(&[])).unwrap().is_none());
        let err = |vars: &[(&str, &str)]| match attachment_store(&config(vars)) {
            Err(e) => e.to_string(),
            Ok(_) => String::from("accepted"),
        };
        assert!(err(&[("XIEZHI__ATTACHMENTS__STORE", "nfs")]).contains("must be \"dir\" or \"s3\""));
        let missing = err(&[("XIEZHI__ATTACHMENTS__STORE", "s3")]);
        assert!(missing.contains("[attachments]") && missing.contains("endpoint"), "{missing}");
        let s3 = [
            ("XIEZHI__ATTACHMENTS__STORE", "s3"),
            ("XIEZHI__ATTACHMENTS__S3_ENDPOINT", "http://127.0.0.1:9000"),
            ("XIEZHI__ATTACHMENTS__S3_BUCKET", "xiezhi"),
            ("XIEZHI__ATTACHMENTS__S3_ACCESS_KEY", "minio"),
        ];
        assert!(err(&s3).contains("secret key"));
        let mut ok = s3.to_vec();
        ok.push(("XIEZHI__ATTACHMENTS__S3_SECRET_KEY", "minio-secret"));
        assert!(matches!(attachment_store(&config(&ok)), Ok(Some(AttachmentStore::S3(_)))));
    }
}
