//! External systems (issue 4): per-system settings, the delivery relay over the outbox, the
//! provincial platform, ZZD, the IRS data platform and Internet+Supervision. Each system has a
//! real client here and a simulator in `xiezhi-sim`; a system whose endpoint is empty uses the
//! simulator built into this server (mounted under `/sim/<code>`).

pub mod gateway;
pub mod irs;
pub mod province;
pub mod relay;
pub mod routes;
pub mod supervision;
pub mod zzd;

use std::sync::OnceLock;
use std::time::Duration;

use serde_json::Value;
use xiezhi_storage::integration::{self as store, SystemRow};

use crate::{ApiError, ApiResult, AppState};

/// Codes of the external systems (rows of `external_systems`).
pub mod system {
    pub const PROVINCE: &str = "province";
    pub const ZZD: &str = "zzd";
    pub const IRS: &str = "irs";
    pub const SUPERVISION: &str = "supervision";
}

/// The settings of one system, secret decrypted, endpoint resolved.
#[derive(Debug, Clone)]
pub struct Settings {
    pub code: String,
    pub name: String,
    pub enabled: bool,
    /// Base URL without a trailing slash.
    pub base_url: String,
    /// The built-in simulator serves this system.
    pub builtin: bool,
    pub app_key: String,
    pub secret: String,
    pub timeout: Duration,
    pub max_attempts: i64,
    pub schedule_minutes: i64,
    pub options: Value,
}

/// Where this server can be reached by itself (set once the listener is bound); the built-in
/// simulators live under it.
#[derive(Debug, Default)]
pub struct SelfUrl(OnceLock<String>);

impl SelfUrl {
    pub fn set(&self, url: &str) {
        let _ = self.0.set(url.trim_end_matches('/').to_owned());
    }
    pub fn get(&self) -> Option<&str> {
        self.0.get().map(String::as_str)
    }
}

impl Settings {
    pub fn from_row(state: &AppState, row: SystemRow) -> ApiResult<Settings> {
        let builtin = row.endpoint.trim().is_empty();
        let base_url = if builtin {
            match state.self_url.get() {
                Some(u) => format!("{u}/sim/{}", row.code),
                None => String::new(),
            }
        } else {
            row.endpoint.trim().trim_end_matches('/').to_owned()
        };
        let secret = if row.secret_enc.is_empty() {
            String::new()
        } else {
            state.cipher.decrypt(&row.secret_enc).map_err(ApiError::internal)?
        };
        Ok(Settings {
            enabled: row.enabled != 0,
            builtin,
            base_url,
            app_key: row.app_key,
            secret,
            timeout: Duration::from_millis(u64::try_from(row.timeout_ms).unwrap_or(10_000)),
            max_attempts: row.max_attempts,
            schedule_minutes: row.schedule_minutes,
            options: serde_json::from_str(&row.options).unwrap_or_else(|_| Value::Object(Default::default())),
            code: row.code,
            name: row.name,
        })
    }

    /// `base_url + path`, or an error naming the missing endpoint.
    pub fn url(&self, path: &str) -> Result<String, String> {
        if self.base_url.is_empty() {
            return Err(format!("{} 未配置接口地址，内置模拟器也不可用", self.name));
        }
        Ok(format!("{}{path}", self.base_url))
    }
}

/// Load the settings of one system.
pub async fn settings(state: &AppState, code: &str) -> ApiResult<Settings> {
    let mut conn = state.db.conn().await?;
    let row = store::system(&mut conn, code).await?;
    Settings::from_row(state, row)
}

/// The simulators built into this server (served under `/sim/<code>` for systems whose endpoint is
/// empty).
pub struct Sims {
    pub province: std::sync::Arc<xiezhi_sim::province::ProvinceSim>,
    pub supervision: std::sync::Arc<xiezhi_sim::supervision::SupervisionSim>,
    pub zzd: std::sync::Arc<xiezhi_sim::zzd::ZzdSim>,
    /// The IRS data platform with 100,000 synthetic Lishui records (generated on demand).
    pub irs: std::sync::Arc<xiezhi_sim::irs::IrsSim>,
}

impl Default for Sims {
    fn default() -> Self {
        Sims {
            province: xiezhi_sim::province::ProvinceSim::new(Default::default()),
            supervision: xiezhi_sim::supervision::SupervisionSim::new(),
            zzd: std::sync::Arc::new(xiezhi_sim::zzd::ZzdSim::new()),
            irs: std::sync::Arc::new(xiezhi_sim::irs::IrsSim::new(Default::default())),
        }
    }
}

/// The simulators' routes, mounted under `/sim`.
pub fn sim_router(sims: &Sims) -> axum::Router {
    axum::Router::new()
        .nest("/sim/province", xiezhi_sim::province::router(sims.province.clone()))
        .nest("/sim/supervision", xiezhi_sim::supervision::router(sims.supervision.clone()))
        .nest("/sim/zzd", xiezhi_sim::zzd::router(sims.zzd.clone()))
        .nest("/sim/irs", xiezhi_sim::irs::router(sims.irs.clone()))
}

/// Let the built-in simulators accept the configured credentials of the systems they stand in
/// for. Call after start-up and after the settings change.
pub async fn sync_builtin(state: &AppState) -> ApiResult<()> {
    province::sync_builtin(state, &state.sims.province).await?;
    let s = settings(state, system::SUPERVISION).await?;
    if s.builtin && !s.app_key.is_empty() {
        state.sims.supervision.gateway.register(&s.app_key, &s.secret);
    }
    zzd::register_with(state, &state.sims.zzd).await?;
    let s = settings(state, system::IRS).await?;
    if s.builtin && !s.app_key.is_empty() {
        state.sims.irs.register(&s.app_key, &s.secret);
    }
    Ok(())
}

/// Background work of the external systems: the delivery relay, the province status poller and
/// the built-in simulators' loops. Returns the tasks to abort on shutdown.
pub async fn start(state: &AppState) -> Vec<tokio::task::JoinHandle<()>> {
    if let Err(e) = sync_builtin(state).await {
        tracing::warn!(error = %e, "built-in simulators");
    }
    vec![
        tokio::spawn(relay::run(state.clone())),
        tokio::spawn(zzd::run(state.clone())),
        tokio::spawn(province::run_poller(state.clone())),
        tokio::spawn(state.sims.province.clone().run()),
        tokio::spawn(irs::schedule(state.clone())),
    ]
}
