//! Clue sources (F02): the registry of systems that push clues, their credentials and mappings.
//! A secret is shown once, when created or rotated; the database holds it encrypted.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_domain::FieldError;
use xiezhi_domain::values::{code, display_text};
use xiezhi_storage::clue::config as store;
use xiezhi_storage::platform::{department, region};
use xiezhi_storage::{Conn, audit};

use crate::auth::{Authorized, perm};
use crate::error::{ApiError, ApiErrorBody, ApiResult, Validator};
use crate::extract::{Json, Path};
use crate::platform::flag;
use crate::{AppState, now_ms};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sources, create_source))
        .routes(routes!(update_source, delete_source))
        .routes(routes!(rotate_secret))
}

/// Fields of the intake standard a source may map from its own field names.
pub const MAPPABLE_FIELDS: &[&str] = &[
    "source_clue_id",
    "occurred_at",
    "reported_at",
    "description",
    "address",
    "region_code",
    "category_code",
    "longitude",
    "latitude",
    "coord_system",
    "reporter_name",
    "reporter_phone",
    "reporter_id_number",
    "subject_credit_code",
    "subject_name",
];

const KINDS: &[&str] = &["county", "department", "zhiguantong", "hotline", "province", "manual", "other"];

#[derive(Debug, Serialize, ToSchema)]
pub struct Source {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// `county`, `department`, `zhiguantong`, `hotline` (12345), `province`, `manual` or `other`.
    pub kind: String,
    pub region_code: Option<String>,
    pub region_name: Option<String>,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub app_key: String,
    /// Where status changes are posted back to the source (optional).
    pub callback_url: Option<String>,
    /// The source's category code → our minor category code.
    pub category_mapping: BTreeMap<String, String>,
    /// Our intake field → the source's field name.
    pub field_mapping: BTreeMap<String, String>,
    pub enabled: bool,
    pub last_seen_at: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceInput {
    pub code: String,
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    pub department_id: Option<i64>,
    #[serde(default)]
    pub callback_url: Option<String>,
    #[serde(default)]
    pub category_mapping: BTreeMap<String, String>,
    #[serde(default)]
    pub field_mapping: BTreeMap<String, String>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// Credentials, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceSecret {
    pub app_key: String,
    pub secret: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SourceCreated {
    pub source: Source,
    pub credentials: SourceSecret,
}

fn source_of(r: store::SourceRow) -> Source {
    Source {
        id: r.id,
        code: r.code,
        name: r.name,
        kind: r.kind,
        region_code: r.region_code,
        region_name: r.region_name,
        department_id: r.department_id,
        department_name: r.department_name,
        app_key: r.app_key,
        callback_url: r.callback_url,
        category_mapping: serde_json::from_str(&r.category_mapping).unwrap_or_default(),
        field_mapping: serde_json::from_str(&r.field_mapping).unwrap_or_default(),
        enabled: flag(r.enabled),
        last_seen_at: r.last_seen_at,
    }
}

async fn parse(tx: &mut Conn, input: &SourceInput) -> ApiResult<store::SourceWrite> {
    let mut v = Validator::new();
    let c = v.check(code("code", &input.code));
    let n = v.check(display_text("name", &input.name, 32));
    if !KINDS.contains(&input.kind.as_str()) {
        v.push(FieldError::new("kind", "来源类型不正确"));
    }
    let region_code = input.region_code.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
    if let Some(r) = &region_code
        && !region::exists(tx, r).await?
    {
        v.push(FieldError::new("region_code", "行政区划不存在"));
    }
    if let Some(d) = input.department_id
        && department::get(tx, d).await.is_err()
    {
        v.push(FieldError::new("department_id", "部门不存在"));
    }
    let callback = input.callback_url.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(str::to_owned);
    if let Some(u) = &callback
        && (!(u.starts_with("https://") || u.starts_with("http://"))
            || u.len() > 512
            || u.contains(char::is_whitespace))
    {
        v.push(FieldError::new("callback_url", "回调地址须为 http(s):// 开头的完整网址"));
    }
    let (cats, _) = store::categories(tx).await?;
    for (theirs, ours) in &input.category_mapping {
        if theirs.is_empty() || theirs.chars().count() > 64 {
            v.push(FieldError::new("category_mapping", "来源分类编码须为 1–64 个字符"));
        }
        if !cats.iter().any(|c| &c.code == ours && c.parent_id.is_some()) {
            v.push(FieldError::new("category_mapping", format!("{theirs} 映射到的 {ours} 不是已有的小类编码")));
        }
    }
    for (ours, theirs) in &input.field_mapping {
        if !MAPPABLE_FIELDS.contains(&ours.as_str()) {
            v.push(FieldError::new("field_mapping", format!("{ours} 不是接入标准中的字段")));
        }
        if theirs.is_empty() || theirs.chars().count() > 64 {
            v.push(FieldError::new("field_mapping", format!("{ours} 对应的来源字段名须为 1–64 个字符")));
        }
    }
    if input.category_mapping.len() > 2000 {
        v.push(FieldError::new("category_mapping", "分类映射最多 2000 条"));
    }
    v.finish()?;
    Ok(store::SourceWrite {
        code: c.unwrap_or_default(),
        name: n.unwrap_or_default(),
        kind: input.kind.clone(),
        region_code,
        department_id: input.department_id,
        callback_url: callback,
        category_mapping: serde_json::to_string(&input.category_mapping).map_err(ApiError::internal)?,
        field_mapping: serde_json::to_string(&input.field_mapping).map_err(ApiError::internal)?,
        enabled: input.enabled,
    })
}

fn new_secret() -> String {
    hex::encode(rand::random::<[u8; 24]>())
}

async fn record<P: crate::auth::Permission>(
    tx: &mut Conn,
    auth: &Authorized<P>,
    action: &str,
    s: &Source,
    summary: String,
) -> ApiResult<()> {
    let snap = serde_json::to_value(s).map_err(ApiError::internal)?;
    store::record_version(
        tx,
        "source",
        s.id,
        if action == "rotate_secret" { "update" } else { action },
        &snap,
        &auth.username,
        now_ms(),
    )
    .await?;
    audit::append(tx, &auth.audit(&format!("clue_source.{action}"), "source", s.id, summary, Some(snap))).await?;
    Ok(())
}

#[utoipa::path(get, path = "/api/clue/sources", tag = "clue", responses((status = 200, body = Vec<Source>), (status = 403, body = ApiErrorBody)))]
async fn list_sources(State(s): State<AppState>, _a: Authorized<perm::ClueSourceView>) -> ApiResult<Json<Vec<Source>>> {
    let mut conn = s.db.conn().await?;
    Ok(Json(store::sources(&mut conn).await?.into_iter().map(source_of).collect()))
}

/// Register a source; the answer carries its app key and secret, which are not shown again.
#[utoipa::path(post, path = "/api/clue/sources", tag = "clue", request_body = SourceInput,
    responses((status = 201, body = SourceCreated), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_source(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueSourceEdit>,
    Json(input): Json<SourceInput>,
) -> ApiResult<(StatusCode, Json<SourceCreated>)> {
    let mut tx = s.db.begin().await?;
    let w = parse(&mut tx, &input).await?;
    let app_key = format!("lsxz_{}", hex::encode(rand::random::<[u8; 8]>()));
    let secret = new_secret();
    let id = store::insert_source(&mut tx, &w, &app_key, &s.cipher.encrypt(&secret), now_ms()).await?;
    let out = source_of(store::source(&mut tx, id).await?);
    record(&mut tx, &auth, "create", &out, format!("新增线索来源 {}", out.name)).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(SourceCreated { source: out, credentials: SourceSecret { app_key, secret } })))
}

#[utoipa::path(put, path = "/api/clue/sources/{id}", tag = "clue", request_body = SourceInput, params(("id" = i64, Path, description = "source id")),
    responses((status = 200, body = Source), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update_source(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueSourceEdit>,
    Path(id): Path<i64>,
    Json(input): Json<SourceInput>,
) -> ApiResult<Json<Source>> {
    let mut tx = s.db.begin().await?;
    store::source(&mut tx, id).await?;
    let w = parse(&mut tx, &input).await?;
    store::update_source(&mut tx, id, &w, now_ms()).await?;
    let out = source_of(store::source(&mut tx, id).await?);
    record(&mut tx, &auth, "update", &out, format!("修改线索来源 {}", out.name)).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(out))
}

#[utoipa::path(delete, path = "/api/clue/sources/{id}", tag = "clue", params(("id" = i64, Path, description = "source id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn delete_source(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueSourceEdit>,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let mut tx = s.db.begin().await?;
    let before = source_of(store::source(&mut tx, id).await?);
    store::delete_source(&mut tx, id).await.map_err(|e| match e {
        xiezhi_storage::StorageError::Reference { .. } => ApiError::Conflict {
            code: "source_in_use",
            message: "该来源已有推送记录，不能删除，可改为停用".into(),
            field: None,
        },
        other => other.into(),
    })?;
    record(&mut tx, &auth, "delete", &before, format!("删除线索来源 {}", before.name)).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Issue a new secret (the old one stops working at once); shown once.
#[utoipa::path(post, path = "/api/clue/sources/{id}/rotate-secret", tag = "clue", params(("id" = i64, Path, description = "source id")),
    responses((status = 200, body = SourceSecret), (status = 404, body = ApiErrorBody)))]
async fn rotate_secret(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueSourceEdit>,
    Path(id): Path<i64>,
) -> ApiResult<Json<SourceSecret>> {
    let mut tx = s.db.begin().await?;
    let src = source_of(store::source(&mut tx, id).await?);
    let secret = new_secret();
    store::set_source_secret(&mut tx, id, &s.cipher.encrypt(&secret), now_ms()).await?;
    record(&mut tx, &auth, "rotate_secret", &src, format!("重置线索来源 {} 的密钥", src.name)).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(SourceSecret { app_key: src.app_key, secret }))
}
