//! Handling rules (F04–F11): categories with per-stage rules, case types, severity levels,
//! numbering rules with live preview, the responsibility list with Excel import/export, and dedup
//! settings. Every change is audited and recorded as a new version of the entity.

use std::collections::BTreeSet;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_domain::FieldError;
use xiezhi_domain::clue::numbering::{NumberContext, Pattern};
use xiezhi_domain::clue::{Stage, category_kind, color, thresholds, tier};
use xiezhi_domain::page::{PageRequest, SortOrder, sort_column};
use xiezhi_domain::values::{code, display_text, optional_text};
use xiezhi_storage::clue::config as store;
use xiezhi_storage::platform::{department, region};
use xiezhi_storage::{Conn, audit};

use crate::auth::{Authorized, perm};
use crate::error::{ApiError, ApiErrorBody, ApiResult, Validator};
use crate::extract::{Json, Multipart, Path, Query};
use crate::platform::{flag, non_empty};
use crate::{AppState, now_ms, xlsx};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_categories, create_category))
        .routes(routes!(update_category, delete_category))
        .routes(routes!(list_case_types, create_case_type))
        .routes(routes!(update_case_type, delete_case_type))
        .routes(routes!(list_severities, create_severity))
        .routes(routes!(update_severity, delete_severity))
        .routes(routes!(list_numbering, create_numbering))
        .routes(routes!(update_numbering, delete_numbering))
        .routes(routes!(activate_numbering))
        .routes(routes!(preview_numbering))
        .routes(routes!(list_responsibilities, create_responsibility))
        .routes(routes!(update_responsibility, delete_responsibility))
        .routes(routes!(export_responsibilities))
        .routes(routes!(responsibility_template))
        .routes(routes!(import_responsibilities))
        .routes(routes!(list_dedup, create_dedup))
        .routes(routes!(update_dedup, delete_dedup))
        .routes(routes!(list_versions))
        .layer(DefaultBodyLimit::max(crate::platform::item::IMPORT_LIMIT))
}

/// Record the version and the audit entry of a configuration change, in the caller's transaction.
async fn changed<P: crate::auth::Permission, T: Serialize>(
    tx: &mut Conn,
    auth: &Authorized<P>,
    entity: &str,
    id: i64,
    action: &str,
    snapshot: &T,
    summary: String,
) -> ApiResult<()> {
    let snap = serde_json::to_value(snapshot).map_err(ApiError::internal)?;
    let version = store::record_version(tx, entity, id, action, &snap, &auth.username, now_ms()).await?;
    let entry =
        auth.audit(&format!("clue_config.{action}"), entity, id, format!("{summary}（版本 {version}）"), Some(snap));
    audit::append(tx, &entry).await?;
    Ok(())
}

fn sort_value(field: &'static str, v: i64) -> Result<i64, FieldError> {
    if (0..=1_000_000).contains(&v) { Ok(v) } else { Err(FieldError::new(field, "须在 0–1000000 之间")) }
}

/// Category and similar short codes: 1–16 letters, digits, `_` or `-`.
fn short_code(s: &str) -> Result<String, FieldError> {
    let t = s.trim();
    if !t.is_empty() && t.len() <= 16 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        Ok(t.to_owned())
    } else {
        Err(FieldError::new("code", "编码须为 1–16 位字母、数字、_ 或 -"))
    }
}

// ---- categories ----------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageRule {
    /// `receive`, `file`, `dispatch`, `handle`, `report`, `verify` or `close`.
    pub stage: String,
    /// Time limit of the stage; null = inherit from the major category (or none).
    pub time_limit_minutes: Option<i64>,
    #[serde(default)]
    pub requirement: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Category {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub code: String,
    pub name: String,
    /// `major` (大类) or `minor` (小类).
    pub level: String,
    /// `component` (部件), `event` (事件) or `enforcement` (执法).
    pub kind: String,
    pub sort_order: i64,
    pub enabled: bool,
    pub stage_rules: Vec<StageRule>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryInput {
    pub parent_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub sort_order: i64,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub stage_rules: Vec<StageRule>,
}

fn yes() -> bool {
    true
}

fn category_of(c: store::CategoryRow, rules: Vec<store::StageRuleRow>) -> Category {
    let mut stage_rules: Vec<StageRule> = rules
        .into_iter()
        .map(|r| StageRule { stage: r.stage, time_limit_minutes: r.time_limit_minutes, requirement: r.requirement })
        .collect();
    stage_rules.sort_by_key(|r| Stage::parse(&r.stage).map(|s| s as u8).unwrap_or(u8::MAX));
    Category {
        id: c.id,
        level: if c.parent_id.is_some() { "minor".into() } else { "major".into() },
        parent_id: c.parent_id,
        code: c.code,
        name: c.name,
        kind: c.kind,
        sort_order: c.sort_order,
        enabled: flag(c.enabled),
        stage_rules,
    }
}

async fn parse_category(tx: &mut Conn, id: Option<i64>, input: &CategoryInput) -> ApiResult<store::CategoryWrite> {
    let mut v = Validator::new();
    let code = v.check(short_code(&input.code));
    let name = v.check(display_text("name", &input.name, 32));
    let kind = v.check(category_kind(&input.kind));
    v.check(sort_value("sort_order", input.sort_order));
    if let Some(p) = input.parent_id {
        if Some(p) == id {
            v.push(FieldError::new("parent_id", "上级分类不能是自己"));
        } else {
            match store::category(tx, p).await {
                Ok((parent, _)) if parent.parent_id.is_some() => {
                    v.push(FieldError::new("parent_id", "小类只能挂在大类下"))
                }
                Ok((parent, _)) if Some(parent.kind.as_str()) != kind => {
                    v.push(FieldError::new("kind", "小类的性质须与所属大类一致"))
                }
                Ok(_) => {}
                Err(_) => v.push(FieldError::new("parent_id", "上级分类不存在")),
            }
        }
        if let Some(id) = id
            && store::category_usage(tx, id).await?.0 > 0
        {
            v.push(FieldError::new("parent_id", "该分类下还有小类，不能改为小类"));
        }
    }
    let mut seen = BTreeSet::new();
    let mut rules = Vec::new();
    for r in &input.stage_rules {
        match Stage::parse(&r.stage) {
            Ok(s) if !seen.insert(s) => v.push(FieldError::new("stage_rules", format!("阶段 {} 重复", s.label()))),
            Ok(s) => {
                if let Some(m) = r.time_limit_minutes
                    && !(1..=525_600).contains(&m)
                {
                    v.push(FieldError::new("stage_rules", format!("{}时限须在 1 分钟到 365 天之间", s.label())));
                }
                match optional_text("stage_rules", &r.requirement, 200) {
                    Ok(req) => rules.push((s.as_str().to_owned(), r.time_limit_minutes, req)),
                    Err(e) => v.push(e),
                }
            }
            Err(e) => v.push(FieldError::new("stage_rules", e.message)),
        }
    }
    v.finish()?;
    Ok(store::CategoryWrite {
        parent_id: input.parent_id,
        code: code.unwrap_or_default(),
        name: name.unwrap_or_default(),
        kind: kind.unwrap_or_default().to_owned(),
        sort_order: input.sort_order,
        enabled: input.enabled,
        stage_rules: rules,
    })
}

/// The category tree as a flat list (majors first), with each category's own stage rules.
#[utoipa::path(get, path = "/api/clue/categories", tag = "clue", responses((status = 200, body = Vec<Category>), (status = 403, body = ApiErrorBody)))]
async fn list_categories(
    State(s): State<AppState>,
    _a: Authorized<perm::ClueConfigView>,
) -> ApiResult<Json<Vec<Category>>> {
    let mut conn = s.db.conn().await?;
    let (cats, mut rules) = store::categories(&mut conn).await?;
    Ok(Json(
        cats.into_iter()
            .map(|c| {
                let r = rules.remove(&c.id).unwrap_or_default();
                category_of(c, r)
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/clue/categories", tag = "clue", request_body = CategoryInput,
    responses((status = 201, body = Category), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_category(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Json(input): Json<CategoryInput>,
) -> ApiResult<(StatusCode, Json<Category>)> {
    let mut tx = s.db.begin().await?;
    let w = parse_category(&mut tx, None, &input).await?;
    let id = store::insert_category(&mut tx, &w, now_ms()).await?;
    let (c, r) = store::category(&mut tx, id).await?;
    let out = category_of(c, r);
    changed(&mut tx, &auth, "category", id, "create", &out, format!("新增分类 {} {}", out.code, out.name)).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(put, path = "/api/clue/categories/{id}", tag = "clue", request_body = CategoryInput, params(("id" = i64, Path, description = "category id")),
    responses((status = 200, body = Category), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update_category(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Path(id): Path<i64>,
    Json(input): Json<CategoryInput>,
) -> ApiResult<Json<Category>> {
    let mut tx = s.db.begin().await?;
    store::category(&mut tx, id).await?;
    let w = parse_category(&mut tx, Some(id), &input).await?;
    store::update_category(&mut tx, id, &w, now_ms()).await?;
    let (c, r) = store::category(&mut tx, id).await?;
    let out = category_of(c, r);
    changed(&mut tx, &auth, "category", id, "update", &out, format!("修改分类 {} {}", out.code, out.name)).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(out))
}

#[utoipa::path(delete, path = "/api/clue/categories/{id}", tag = "clue", params(("id" = i64, Path, description = "category id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn delete_category(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let mut tx = s.db.begin().await?;
    let (c, r) = store::category(&mut tx, id).await?;
    let (children, rules) = store::category_usage(&mut tx, id).await?;
    if children > 0 || rules > 0 {
        return Err(ApiError::Conflict {
            code: "category_in_use",
            message: format!("该分类下还有 {children} 个小类、{rules} 条权责清单，不能删除，可改为停用"),
            field: None,
        });
    }
    let snapshot = category_of(c, r);
    store::delete_category(&mut tx, id).await?;
    changed(
        &mut tx,
        &auth,
        "category",
        id,
        "delete",
        &snapshot,
        format!("删除分类 {} {}", snapshot.code, snapshot.name),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- case types -----------------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseType {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: String,
    pub sort_order: i64,
    pub enabled: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseTypeInput {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub sort_order: i64,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn case_type_of(t: store::CaseTypeRow) -> CaseType {
    CaseType {
        id: t.id,
        code: t.code,
        name: t.name,
        description: t.description,
        sort_order: t.sort_order,
        enabled: flag(t.enabled),
    }
}

fn parse_case_type(input: &CaseTypeInput) -> ApiResult<store::CaseTypeWrite> {
    let mut v = Validator::new();
    let c = v.check(code("code", &input.code));
    let n = v.check(display_text("name", &input.name, 32));
    let d = v.check(optional_text("description", &input.description, 200));
    v.check(sort_value("sort_order", input.sort_order));
    v.finish()?;
    Ok(store::CaseTypeWrite {
        code: c.unwrap_or_default(),
        name: n.unwrap_or_default(),
        description: d.unwrap_or_default(),
        sort_order: input.sort_order,
        enabled: input.enabled,
    })
}

#[utoipa::path(get, path = "/api/clue/case-types", tag = "clue", responses((status = 200, body = Vec<CaseType>), (status = 403, body = ApiErrorBody)))]
async fn list_case_types(
    State(s): State<AppState>,
    _a: Authorized<perm::ClueConfigView>,
) -> ApiResult<Json<Vec<CaseType>>> {
    let mut conn = s.db.conn().await?;
    Ok(Json(store::case_types(&mut conn).await?.into_iter().map(case_type_of).collect()))
}

#[utoipa::path(post, path = "/api/clue/case-types", tag = "clue", request_body = CaseTypeInput,
    responses((status = 201, body = CaseType), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_case_type(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Json(input): Json<CaseTypeInput>,
) -> ApiResult<(StatusCode, Json<CaseType>)> {
    let w = parse_case_type(&input)?;
    let mut tx = s.db.begin().await?;
    let id = store::insert_case_type(&mut tx, &w, now_ms()).await?;
    let out = case_type_of(store::case_type(&mut tx, id).await?);
    changed(&mut tx, &auth, "case_type", id, "create", &out, format!("新增事件类型 {}", out.name)).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(put, path = "/api/clue/case-types/{id}", tag = "clue", request_body = CaseTypeInput, params(("id" = i64, Path, description = "case type id")),
    responses((status = 200, body = CaseType), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update_case_type(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Path(id): Path<i64>,
    Json(input): Json<CaseTypeInput>,
) -> ApiResult<Json<CaseType>> {
    let w = parse_case_type(&input)?;
    let mut tx = s.db.begin().await?;
    store::update_case_type(&mut tx, id, &w, now_ms()).await?;
    let out = case_type_of(store::case_type(&mut tx, id).await?);
    changed(&mut tx, &auth, "case_type", id, "update", &out, format!("修改事件类型 {}", out.name)).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(out))
}

#[utoipa::path(delete, path = "/api/clue/case-types/{id}", tag = "clue", params(("id" = i64, Path, description = "case type id")),
    responses((status = 204), (status = 404, body = ApiErrorBody)))]
async fn delete_case_type(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let mut tx = s.db.begin().await?;
    let before = case_type_of(store::case_type(&mut tx, id).await?);
    store::delete_case_type(&mut tx, id).await?;
    changed(&mut tx, &auth, "case_type", id, "delete", &before, format!("删除事件类型 {}", before.name)).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- severities -------------------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct Severity {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// 1 = most urgent.
    pub rank: i64,
    /// `#RRGGBB`.
    pub color: String,
    /// Share of the normal time limit this level allows (100 = normal, 50 = half).
    pub time_limit_percent: i64,
    pub description: String,
    pub enabled: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeverityInput {
    pub code: String,
    pub name: String,
    pub rank: i64,
    pub color: String,
    pub time_limit_percent: i64,
    #[serde(default)]
    pub description: String,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn severity_of(r: store::SeverityRow) -> Severity {
    Severity {
        id: r.id,
        code: r.code,
        name: r.name,
        rank: r.rank,
        color: r.color,
        time_limit_percent: r.time_limit_percent,
        description: r.description,
        enabled: flag(r.enabled),
    }
}

fn parse_severity(input: &SeverityInput) -> ApiResult<store::SeverityWrite> {
    let mut v = Validator::new();
    let c = v.check(code("code", &input.code));
    let n = v.check(display_text("name", &input.name, 16));
    let col = v.check(color(&input.color));
    let d = v.check(optional_text("description", &input.description, 200));
    if !(1..=99).contains(&input.rank) {
        v.push(FieldError::new("rank", "等级序号须在 1–99 之间"));
    }
    if !(1..=1000).contains(&input.time_limit_percent) {
        v.push(FieldError::new("time_limit_percent", "时限比例须在 1%–1000% 之间"));
    }
    v.finish()?;
    Ok(store::SeverityWrite {
        code: c.unwrap_or_default(),
        name: n.unwrap_or_default(),
        rank: input.rank,
        color: col.unwrap_or_default(),
        time_limit_percent: input.time_limit_percent,
        description: d.unwrap_or_default(),
        enabled: input.enabled,
    })
}

#[utoipa::path(get, path = "/api/clue/severities", tag = "clue", responses((status = 200, body = Vec<Severity>), (status = 403, body = ApiErrorBody)))]
async fn list_severities(
    State(s): State<AppState>,
    _a: Authorized<perm::ClueConfigView>,
) -> ApiResult<Json<Vec<Severity>>> {
    let mut conn = s.db.conn().await?;
    Ok(Json(store::severities(&mut conn).await?.into_iter().map(severity_of).collect()))
}

#[utoipa::path(post, path = "/api/clue/severities", tag = "clue", request_body = SeverityInput,
    responses((status = 201, body = Severity), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_severity(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Json(input): Json<SeverityInput>,
) -> ApiResult<(StatusCode, Json<Severity>)> {
    let w = parse_severity(&input)?;
    let mut tx = s.db.begin().await?;
    let id = store::insert_severity(&mut tx, &w, now_ms()).await?;
    let out = severity_of(store::severity(&mut tx, id).await?);
    changed(&mut tx, &auth, "severity", id, "create", &out, format!("新增程度等级 {}", out.name)).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(put, path = "/api/clue/severities/{id}", tag = "clue", request_body = SeverityInput, params(("id" = i64, Path, description = "severity id")),
    responses((status = 200, body = Severity), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update_severity(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Path(id): Path<i64>,
    Json(input): Json<SeverityInput>,
) -> ApiResult<Json<Severity>> {
    let w = parse_severity(&input)?;
    let mut tx = s.db.begin().await?;
    store::update_severity(&mut tx, id, &w, now_ms()).await?;
    let out = severity_of(store::severity(&mut tx, id).await?);
    changed(&mut tx, &auth, "severity", id, "update", &out, format!("修改程度等级 {}", out.name)).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(out))
}

#[utoipa::path(delete, path = "/api/clue/severities/{id}", tag = "clue", params(("id" = i64, Path, description = "severity id")),
    responses((status = 204), (status = 404, body = ApiErrorBody)))]
async fn delete_severity(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let mut tx = s.db.begin().await?;
    let before = severity_of(store::severity(&mut tx, id).await?);
    store::delete_severity(&mut tx, id).await?;
    changed(&mut tx, &auth, "severity", id, "delete", &before, format!("删除程度等级 {}", before.name)).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- numbering rules ----------------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct NumberingRule {
    pub id: i64,
    pub name: String,
    pub pattern: String,
    pub description: String,
    pub active: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NumberingRuleInput {
    pub name: String,
    pub pattern: String,
    #[serde(default)]
    pub description: String,
    /// Make this the rule new cases are numbered with.
    #[serde(default)]
    pub active: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NumberingPreviewRequest {
    pub pattern: String,
    /// Region the example numbers are made for (default 莲都区 紫金街道).
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    pub case_type: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NumberingPreview {
    pub ok: bool,
    pub examples: Vec<String>,
    pub sequence_scope: String,
    pub error: Option<String>,
}

fn rule_of(r: store::NumberingRow) -> NumberingRule {
    NumberingRule { id: r.id, name: r.name, pattern: r.pattern, description: r.description, active: flag(r.active) }
}

fn parse_rule(input: &NumberingRuleInput) -> ApiResult<(String, String, String)> {
    let mut v = Validator::new();
    let n = v.check(display_text("name", &input.name, 32));
    v.check(Pattern::parse(&input.pattern));
    let d = v.check(optional_text("description", &input.description, 200));
    v.finish()?;
    Ok((n.unwrap_or_default(), input.pattern.trim().to_owned(), d.unwrap_or_default()))
}

/// Date-time parts of `ms` in China Standard Time.
pub fn china_time(ms: i64) -> (i32, u8, u8, u8) {
    let t = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let t = t.to_offset(time::macros::offset!(+8));
    (t.year(), u8::from(t.month()), t.day(), t.hour())
}

#[utoipa::path(get, path = "/api/clue/numbering-rules", tag = "clue", responses((status = 200, body = Vec<NumberingRule>), (status = 403, body = ApiErrorBody)))]
async fn list_numbering(
    State(s): State<AppState>,
    _a: Authorized<perm::ClueConfigView>,
) -> ApiResult<Json<Vec<NumberingRule>>> {
    let mut conn = s.db.conn().await?;
    Ok(Json(store::numbering_rules(&mut conn).await?.into_iter().map(rule_of).collect()))
}

#[utoipa::path(post, path = "/api/clue/numbering-rules", tag = "clue", request_body = NumberingRuleInput,
    responses((status = 201, body = NumberingRule), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_numbering(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Json(input): Json<NumberingRuleInput>,
) -> ApiResult<(StatusCode, Json<NumberingRule>)> {
    let (name, pattern, description) = parse_rule(&input)?;
    let mut tx = s.db.begin().await?;
    let now = now_ms();
    let id = store::insert_numbering_rule(&mut tx, &name, &pattern, &description, now).await?;
    if input.active {
        store::activate_numbering_rule(&mut tx, id, now).await?;
    }
    let out = rule_of(store::numbering_rule(&mut tx, id).await?);
    changed(&mut tx, &auth, "numbering_rule", id, "create", &out, format!("新增编码规则 {} {}", out.name, out.pattern))
        .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(put, path = "/api/clue/numbering-rules/{id}", tag = "clue", request_body = NumberingRuleInput, params(("id" = i64, Path, description = "rule id")),
    responses((status = 200, body = NumberingRule), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update_numbering(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Path(id): Path<i64>,
    Json(input): Json<NumberingRuleInput>,
) -> ApiResult<Json<NumberingRule>> {
    let (name, pattern, description) = parse_rule(&input)?;
    let mut tx = s.db.begin().await?;
    let before = store::numbering_rule(&mut tx, id).await?;
    if flag(before.active) && !input.active {
        return Err(ApiError::field("active", "请启用另一条规则来替换当前规则"));
    }
    let now = now_ms();
    store::update_numbering_rule(&mut tx, id, &name, &pattern, &description, now).await?;
    if input.active {
        store::activate_numbering_rule(&mut tx, id, now).await?;
    }
    let out = rule_of(store::numbering_rule(&mut tx, id).await?);
    changed(&mut tx, &auth, "numbering_rule", id, "update", &out, format!("修改编码规则 {} {}", out.name, out.pattern))
        .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(out))
}

/// Make this the rule new cases are numbered with.
#[utoipa::path(post, path = "/api/clue/numbering-rules/{id}/activate", tag = "clue", params(("id" = i64, Path, description = "rule id")),
    responses((status = 200, body = NumberingRule), (status = 404, body = ApiErrorBody)))]
async fn activate_numbering(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Path(id): Path<i64>,
) -> ApiResult<Json<NumberingRule>> {
    let mut tx = s.db.begin().await?;
    store::activate_numbering_rule(&mut tx, id, now_ms()).await?;
    let out = rule_of(store::numbering_rule(&mut tx, id).await?);
    changed(&mut tx, &auth, "numbering_rule", id, "update", &out, format!("启用编码规则 {} {}", out.name, out.pattern))
        .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(out))
}

#[utoipa::path(delete, path = "/api/clue/numbering-rules/{id}", tag = "clue", params(("id" = i64, Path, description = "rule id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn delete_numbering(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let mut tx = s.db.begin().await?;
    let before = rule_of(store::numbering_rule(&mut tx, id).await?);
    if before.active {
        return Err(ApiError::Conflict {
            code: "numbering_rule_active",
            message: "正在使用的编码规则不能删除".into(),
            field: None,
        });
    }
    store::delete_numbering_rule(&mut tx, id).await?;
    changed(&mut tx, &auth, "numbering_rule", id, "delete", &before, format!("删除编码规则 {}", before.name)).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Live preview of a pattern: three example numbers for now and the sequence scope. A bad pattern
/// answers `ok = false` with the reason (not a 422), so the editor can show it while typing.
#[utoipa::path(post, path = "/api/clue/numbering-rules/preview", tag = "clue", request_body = NumberingPreviewRequest,
    responses((status = 200, body = NumberingPreview), (status = 403, body = ApiErrorBody)))]
async fn preview_numbering(
    _a: Authorized<perm::ClueConfigView>,
    Json(req): Json<NumberingPreviewRequest>,
) -> Json<NumberingPreview> {
    let (year, month, day, hour) = china_time(now_ms());
    let region_code = non_empty(&req.region_code)
        .filter(|r| r.len() <= 12 && r.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or_else(|| "331102001".into());
    let ctx = NumberContext {
        region_code,
        year,
        month,
        day,
        hour,
        case_type: non_empty(&req.case_type).unwrap_or_else(|| "complaint".into()).chars().take(32).collect(),
        source: non_empty(&req.source).unwrap_or_else(|| "zgt".into()).chars().take(32).collect(),
    };
    match Pattern::parse(&req.pattern) {
        Ok(p) => Json(NumberingPreview {
            ok: true,
            examples: [1, 2, 3].iter().filter_map(|n| p.render(&ctx, *n)).collect(),
            sequence_scope: format!("{}，每个范围最多 {} 件", p.scope_description(), p.capacity()),
            error: None,
        }),
        Err(e) => Json(NumberingPreview {
            ok: false,
            examples: Vec::new(),
            sequence_scope: String::new(),
            error: Some(e.message),
        }),
    }
}

// ---- responsibility list --------------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct Responsibility {
    pub id: i64,
    pub category_id: i64,
    pub category_code: String,
    pub category_name: String,
    pub region_code: String,
    pub region_name: String,
    pub department_id: i64,
    pub department_name: String,
    /// `city`, `county` or `township`.
    pub tier: String,
    pub time_limit_hours: i64,
    pub note: String,
    pub enabled: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResponsibilityPage {
    pub items: Vec<Responsibility>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponsibilityInput {
    pub category_id: i64,
    pub region_code: String,
    pub department_id: i64,
    pub tier: String,
    pub time_limit_hours: i64,
    #[serde(default)]
    pub note: String,
    #[serde(default = "yes")]
    pub enabled: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ResponsibilityQuery {
    /// A major category includes its minor categories.
    pub category_id: Option<i64>,
    pub region_code: Option<String>,
    pub department_id: Option<i64>,
    pub keyword: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// `category`, `region`, `department`, `time_limit_hours`.
    pub sort: Option<String>,
    pub order: Option<String>,
}

fn resp_of(r: store::ResponsibilityRow) -> Responsibility {
    Responsibility {
        id: r.id,
        category_id: r.category_id,
        category_code: r.category_code,
        category_name: r.category_name,
        region_code: r.region_code,
        region_name: r.region_name,
        department_id: r.department_id,
        department_name: r.department_name,
        tier: r.tier,
        time_limit_hours: r.time_limit_hours,
        note: r.note,
        enabled: flag(r.enabled),
    }
}

async fn parse_resp(tx: &mut Conn, input: &ResponsibilityInput) -> ApiResult<store::ResponsibilityWrite> {
    let mut v = Validator::new();
    let t = v.check(tier(&input.tier));
    let note = v.check(optional_text("note", &input.note, 200));
    if !(1..=8760).contains(&input.time_limit_hours) {
        v.push(FieldError::new("time_limit_hours", "处置时限须在 1–8760 小时之间"));
    }
    if store::category(tx, input.category_id).await.is_err() {
        v.push(FieldError::new("category_id", "事件分类不存在"));
    }
    if !region::exists(tx, &input.region_code).await? {
        v.push(FieldError::new("region_code", "行政区划不存在"));
    }
    if department::get(tx, input.department_id).await.is_err() {
        v.push(FieldError::new("department_id", "责任单位不存在"));
    }
    v.finish()?;
    Ok(store::ResponsibilityWrite {
        category_id: input.category_id,
        region_code: input.region_code.clone(),
        department_id: input.department_id,
        tier: t.unwrap_or_default().to_owned(),
        time_limit_hours: input.time_limit_hours,
        note: note.unwrap_or_default(),
        enabled: input.enabled,
    })
}

async fn query_resp(
    s: &AppState,
    q: &ResponsibilityQuery,
    export: bool,
) -> ApiResult<(i64, Vec<store::ResponsibilityRow>, PageRequest)> {
    let page = if export {
        PageRequest { page: 1, page_size: xlsx::MAX_EXPORT_ROWS }
    } else {
        PageRequest::new(q.page, q.page_size)?
    };
    let order = SortOrder::parse(q.order.as_deref())?;
    let col = sort_column(
        q.sort.as_deref(),
        &[
            ("category", "c.code"),
            ("region", "r.region_code"),
            ("department", "d.name"),
            ("time_limit_hours", "r.time_limit_hours"),
        ],
        "c.code",
    )?;
    let mut conn = s.db.conn().await?;
    let categories = match q.category_id {
        Some(id) => {
            let (cats, _) = store::categories(&mut conn).await?;
            Some(cats.iter().filter(|c| c.id == id || c.parent_id == Some(id)).map(|c| c.id).collect())
        }
        None => None,
    };
    let f = store::ResponsibilityFilter {
        categories,
        region_code: non_empty(&q.region_code),
        department_id: q.department_id,
        keyword: non_empty(&q.keyword),
    };
    let order_by = format!("{col} {dir}, r.id {dir}", dir = order.sql());
    let (total, rows) =
        store::responsibilities(&mut conn, s.db.backend(), &f, &order_by, page.page_size, page.offset()).await?;
    Ok((total, rows, page))
}

#[utoipa::path(get, path = "/api/clue/responsibilities", tag = "clue", params(ResponsibilityQuery),
    responses((status = 200, body = ResponsibilityPage), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn list_responsibilities(
    State(s): State<AppState>,
    _a: Authorized<perm::ClueConfigView>,
    Query(q): Query<ResponsibilityQuery>,
) -> ApiResult<Json<ResponsibilityPage>> {
    let (total, rows, page) = query_resp(&s, &q, false).await?;
    Ok(Json(ResponsibilityPage {
        items: rows.into_iter().map(resp_of).collect(),
        total,
        page: page.page,
        page_size: page.page_size,
    }))
}

#[utoipa::path(post, path = "/api/clue/responsibilities", tag = "clue", request_body = ResponsibilityInput,
    responses((status = 201, body = Responsibility), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_responsibility(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Json(input): Json<ResponsibilityInput>,
) -> ApiResult<(StatusCode, Json<Responsibility>)> {
    let mut tx = s.db.begin().await?;
    let w = parse_resp(&mut tx, &input).await?;
    let id = store::insert_responsibility(&mut tx, &w, now_ms()).await?;
    let out = resp_of(store::responsibility(&mut tx, id).await?);
    changed(
        &mut tx,
        &auth,
        "responsibility",
        id,
        "create",
        &out,
        format!("新增权责：{} · {} → {}", out.category_name, out.region_name, out.department_name),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(put, path = "/api/clue/responsibilities/{id}", tag = "clue", request_body = ResponsibilityInput, params(("id" = i64, Path, description = "rule id")),
    responses((status = 200, body = Responsibility), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update_responsibility(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Path(id): Path<i64>,
    Json(input): Json<ResponsibilityInput>,
) -> ApiResult<Json<Responsibility>> {
    let mut tx = s.db.begin().await?;
    store::responsibility(&mut tx, id).await?;
    let w = parse_resp(&mut tx, &input).await?;
    store::update_responsibility(&mut tx, id, &w, now_ms()).await?;
    let out = resp_of(store::responsibility(&mut tx, id).await?);
    changed(
        &mut tx,
        &auth,
        "responsibility",
        id,
        "update",
        &out,
        format!("修改权责：{} · {} → {}", out.category_name, out.region_name, out.department_name),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(out))
}

#[utoipa::path(delete, path = "/api/clue/responsibilities/{id}", tag = "clue", params(("id" = i64, Path, description = "rule id")),
    responses((status = 204), (status = 404, body = ApiErrorBody)))]
async fn delete_responsibility(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let mut tx = s.db.begin().await?;
    let before = resp_of(store::responsibility(&mut tx, id).await?);
    store::delete_responsibility(&mut tx, id).await?;
    changed(
        &mut tx,
        &auth,
        "responsibility",
        id,
        "delete",
        &before,
        format!("删除权责：{} · {}", before.category_name, before.region_name),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

const RESP_HEADERS: [&str; 9] =
    ["分类编码", "分类名称", "区划代码", "区划名称", "责任单位", "处置层级", "处置时限（小时）", "备注", "状态"];
const TIERS: [(&str, &str); 3] = [("city", "市级"), ("county", "县级"), ("township", "乡镇级")];

fn tier_label(t: &str) -> &str {
    TIERS.iter().find(|(k, _)| *k == t).map(|(_, l)| *l).unwrap_or(t)
}

fn resp_row(r: &store::ResponsibilityRow) -> Vec<String> {
    vec![
        r.category_code.clone(),
        r.category_name.clone(),
        r.region_code.clone(),
        r.region_name.clone(),
        r.department_name.clone(),
        tier_label(&r.tier).to_owned(),
        r.time_limit_hours.to_string(),
        r.note.clone(),
        if flag(r.enabled) { "启用" } else { "停用" }.to_owned(),
    ]
}

#[utoipa::path(get, path = "/api/clue/responsibilities/export", tag = "clue", params(ResponsibilityQuery),
    responses((status = 200, description = "xlsx file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = ApiErrorBody)))]
async fn export_responsibilities(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigView>,
    Query(q): Query<ResponsibilityQuery>,
) -> ApiResult<Response> {
    let (_, rows, _) = query_resp(&s, &q, true).await?;
    let table: Vec<Vec<String>> = rows.iter().map(resp_row).collect();
    let mut tx = s.db.begin().await?;
    audit::append(
        &mut tx,
        &auth.audit("clue_config.export", "responsibility", "", format!("导出权责清单 {} 条", table.len()), None),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    xlsx::export("权责清单", "权责清单", &RESP_HEADERS, &table)
}

#[utoipa::path(get, path = "/api/clue/responsibilities/template", tag = "clue",
    responses((status = 200, description = "xlsx file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
async fn responsibility_template(_a: Authorized<perm::ClueConfigView>) -> ApiResult<Response> {
    let example = ["E0502", "占道经营", "331102", "莲都区", "莲都区综合行政执法局", "县级", "4", "城区范围内", "启用"]
        .map(str::to_owned)
        .to_vec();
    xlsx::export("权责清单导入模板", "权责清单", &RESP_HEADERS, &[example])
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResponsibilityImportReport {
    pub imported: u64,
    pub updated: u64,
}

/// Import (insert or update by category and region) from the template's layout. Any invalid row
/// rejects the whole file, with every row error listed in `details.errors`.
#[utoipa::path(post, path = "/api/clue/responsibilities/import", tag = "clue",
    request_body(content_type = "multipart/form-data", description = "field `file`: .xlsx in the template layout"),
    responses((status = 200, body = ResponsibilityImportReport), (status = 413, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn import_responsibilities(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    form: Multipart,
) -> ApiResult<Json<ResponsibilityImportReport>> {
    let bytes = form.file().await?;
    let rows = tokio::task::spawn_blocking(move || xlsx::read_rows(bytes, &RESP_HEADERS, 20_000))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::Validation)?;
    let mut tx = s.db.begin().await?;
    let departments = department::list(&mut tx).await?;
    let mut errors = Vec::new();
    let mut writes = Vec::new();
    let mut seen = BTreeSet::new();
    for (line, v) in rows {
        let mut e: Vec<String> = Vec::new();
        let category = store::category_by_code(&mut tx, &v[0]).await?;
        if category.is_none() {
            e.push(format!("分类编码 {} 不存在", v[0]));
        }
        if !region::exists(&mut tx, &v[2]).await? {
            e.push(format!("区划代码 {} 不存在", v[2]));
        }
        let dept = departments.iter().find(|d| d.name == v[4]);
        if dept.is_none() {
            e.push(format!("责任单位「{}」不存在", v[4]));
        }
        let tier = TIERS.iter().find(|(k, l)| *l == v[5] || *k == v[5]).map(|(k, _)| (*k).to_owned());
        if tier.is_none() {
            e.push("处置层级须为 市级、县级 或 乡镇级".into());
        }
        let hours: Option<i64> = v[6].parse().ok().filter(|h| (1..=8760).contains(h));
        if hours.is_none() {
            e.push("处置时限须为 1–8760 之间的整数小时".into());
        }
        if v[7].chars().count() > 200 {
            e.push("备注不超过 200 字".into());
        }
        let enabled = match v[8].as_str() {
            "" | "启用" => true,
            "停用" => false,
            _ => {
                e.push("状态须为 启用 或 停用".into());
                true
            }
        };
        if !seen.insert((v[0].clone(), v[2].clone())) {
            e.push("同一分类和区划在文件中重复".into());
        }
        match (e.is_empty(), category, dept, tier, hours) {
            (true, Some(c), Some(d), Some(t), Some(h)) => writes.push(store::ResponsibilityWrite {
                category_id: c.id,
                region_code: v[2].clone(),
                department_id: d.id,
                tier: t,
                time_limit_hours: h,
                note: v[7].clone(),
                enabled,
            }),
            _ => errors.push(FieldError::new("file", format!("第 {line} 行：{}", e.join("；")))),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let now = now_ms();
    let (mut imported, mut updated) = (0, 0);
    for w in &writes {
        let (id, created) = store::upsert_responsibility(&mut tx, w, now).await?;
        let snap = resp_of(store::responsibility(&mut tx, id).await?);
        store::record_version(
            &mut tx,
            "responsibility",
            id,
            if created { "create" } else { "update" },
            &serde_json::to_value(&snap).map_err(ApiError::internal)?,
            &auth.username,
            now,
        )
        .await?;
        if created {
            imported += 1;
        } else {
            updated += 1;
        }
    }
    audit::append(
        &mut tx,
        &auth.audit(
            "clue_config.import",
            "responsibility",
            "",
            format!("导入权责清单：新增 {imported} 条，更新 {updated} 条"),
            None,
        ),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(ResponsibilityImportReport { imported, updated }))
}

// ---- dedup settings ---------------------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct DedupSetting {
    pub id: i64,
    /// Null for the global default.
    pub category_id: Option<i64>,
    pub category_name: Option<String>,
    /// Similarity at or above which a clue is merged automatically (0–1).
    pub high_threshold: f64,
    /// Similarity at or above which a clue is queued as a suspected duplicate (0–1).
    pub low_threshold: f64,
    pub radius_m: i64,
    pub window_hours: i64,
    pub same_category: bool,
    pub enabled: bool,
    /// Weight of "same minor category" in the score.
    pub weight_category: f64,
    /// Weight of proximity (full within half the radius, 0 at twice the radius).
    pub weight_proximity: f64,
    /// Weight of text similarity. The three weights add up to 1.
    pub weight_text: f64,
}

fn w_category() -> f64 {
    xiezhi_domain::clue::dedup::DEFAULT_WEIGHTS[0]
}
fn w_proximity() -> f64 {
    xiezhi_domain::clue::dedup::DEFAULT_WEIGHTS[1]
}
fn w_text() -> f64 {
    xiezhi_domain::clue::dedup::DEFAULT_WEIGHTS[2]
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DedupSettingInput {
    pub category_id: Option<i64>,
    pub high_threshold: f64,
    pub low_threshold: f64,
    pub radius_m: i64,
    pub window_hours: i64,
    #[serde(default = "yes")]
    pub same_category: bool,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default = "w_category")]
    pub weight_category: f64,
    #[serde(default = "w_proximity")]
    pub weight_proximity: f64,
    #[serde(default = "w_text")]
    pub weight_text: f64,
}

fn dedup_of(d: store::DedupRow) -> DedupSetting {
    DedupSetting {
        id: d.id,
        category_id: d.category_id,
        category_name: d.category_name,
        high_threshold: d.high_threshold,
        low_threshold: d.low_threshold,
        radius_m: d.radius_m,
        window_hours: d.window_hours,
        same_category: flag(d.same_category),
        enabled: flag(d.enabled),
        weight_category: d.weight_category,
        weight_proximity: d.weight_proximity,
        weight_text: d.weight_text,
    }
}

async fn parse_dedup(tx: &mut Conn, input: &DedupSettingInput) -> ApiResult<store::DedupWrite> {
    let mut v = Validator::new();
    v.check(thresholds(input.low_threshold, input.high_threshold));
    if !(1..=100_000).contains(&input.radius_m) {
        v.push(FieldError::new("radius_m", "距离半径须在 1–100000 米之间"));
    }
    if !(1..=8760).contains(&input.window_hours) {
        v.push(FieldError::new("window_hours", "时间窗口须在 1–8760 小时之间"));
    }
    if let Some(c) = input.category_id
        && store::category(tx, c).await.is_err()
    {
        v.push(FieldError::new("category_id", "事件分类不存在"));
    }
    let weights = [input.weight_category, input.weight_proximity, input.weight_text];
    if weights.iter().any(|w| !(0.0..=1.0).contains(w)) {
        v.push(FieldError::new("weight_category", "权重须在 0–1 之间"));
    } else if (weights.iter().sum::<f64>() - 1.0).abs() > 0.005 {
        v.push(FieldError::new("weight_text", "三项权重之和须为 1"));
    }
    v.finish()?;
    let round = |x: f64| (x * 100.0).round() / 100.0;
    Ok(store::DedupWrite {
        weight_category: round(input.weight_category),
        weight_proximity: round(input.weight_proximity),
        weight_text: round(input.weight_text),
        category_id: input.category_id,
        high_threshold: (input.high_threshold * 100.0).round() / 100.0,
        low_threshold: (input.low_threshold * 100.0).round() / 100.0,
        radius_m: input.radius_m,
        window_hours: input.window_hours,
        same_category: input.same_category,
        enabled: input.enabled,
    })
}

#[utoipa::path(get, path = "/api/clue/dedup-settings", tag = "clue", responses((status = 200, body = Vec<DedupSetting>), (status = 403, body = ApiErrorBody)))]
async fn list_dedup(
    State(s): State<AppState>,
    _a: Authorized<perm::ClueConfigView>,
) -> ApiResult<Json<Vec<DedupSetting>>> {
    let mut conn = s.db.conn().await?;
    Ok(Json(store::dedup_settings(&mut conn).await?.into_iter().map(dedup_of).collect()))
}

/// Add a per-category override (the global row exists already).
#[utoipa::path(post, path = "/api/clue/dedup-settings", tag = "clue", request_body = DedupSettingInput,
    responses((status = 201, body = DedupSetting), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_dedup(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Json(input): Json<DedupSettingInput>,
) -> ApiResult<(StatusCode, Json<DedupSetting>)> {
    if input.category_id.is_none() {
        return Err(ApiError::field("category_id", "全局默认配置已存在，请选择要单独配置的分类"));
    }
    let mut tx = s.db.begin().await?;
    let w = parse_dedup(&mut tx, &input).await?;
    let id = store::insert_dedup_setting(&mut tx, &w, now_ms()).await?;
    let out = dedup_of(store::dedup_setting(&mut tx, id).await?);
    changed(
        &mut tx,
        &auth,
        "dedup_setting",
        id,
        "create",
        &out,
        format!("新增去重配置：{}", out.category_name.clone().unwrap_or_default()),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(put, path = "/api/clue/dedup-settings/{id}", tag = "clue", request_body = DedupSettingInput, params(("id" = i64, Path, description = "setting id")),
    responses((status = 200, body = DedupSetting), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update_dedup(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Path(id): Path<i64>,
    Json(input): Json<DedupSettingInput>,
) -> ApiResult<Json<DedupSetting>> {
    let mut tx = s.db.begin().await?;
    let before = store::dedup_setting(&mut tx, id).await?;
    if before.category_id != input.category_id {
        return Err(ApiError::field("category_id", "不能修改配置所属的分类"));
    }
    let w = parse_dedup(&mut tx, &input).await?;
    store::update_dedup_setting(&mut tx, id, &w, now_ms()).await?;
    let out = dedup_of(store::dedup_setting(&mut tx, id).await?);
    let label = out.category_name.clone().unwrap_or_else(|| "全局默认".into());
    changed(&mut tx, &auth, "dedup_setting", id, "update", &out, format!("修改去重配置：{label}")).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(out))
}

#[utoipa::path(delete, path = "/api/clue/dedup-settings/{id}", tag = "clue", params(("id" = i64, Path, description = "setting id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn delete_dedup(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let mut tx = s.db.begin().await?;
    let before = dedup_of(store::dedup_setting(&mut tx, id).await?);
    if before.category_id.is_none() {
        return Err(ApiError::Conflict {
            code: "dedup_global",
            message: "全局默认去重配置不能删除".into(),
            field: None,
        });
    }
    store::delete_dedup_setting(&mut tx, id).await?;
    changed(
        &mut tx,
        &auth,
        "dedup_setting",
        id,
        "delete",
        &before,
        format!("删除去重配置：{}", before.category_name.clone().unwrap_or_default()),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- versions ----------------------------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct ConfigVersion {
    pub id: i64,
    pub entity: String,
    pub entity_id: i64,
    pub version: i64,
    /// `create`, `update` or `delete`.
    pub action: String,
    #[schema(value_type = Object)]
    pub snapshot: serde_json::Value,
    pub changed_by: String,
    pub changed_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConfigVersionPage {
    pub items: Vec<ConfigVersion>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// `category`, `case_type`, `severity`, `numbering_rule`, `responsibility` or `dedup_setting`.
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

const ENTITIES: [&str; 7] =
    ["category", "case_type", "severity", "numbering_rule", "responsibility", "dedup_setting", "source"];

/// The change history of handling-rule configuration, newest first.
#[utoipa::path(get, path = "/api/clue/config-versions", tag = "clue", params(VersionQuery),
    responses((status = 200, body = ConfigVersionPage), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn list_versions(
    State(s): State<AppState>,
    _a: Authorized<perm::ClueConfigView>,
    Query(q): Query<VersionQuery>,
) -> ApiResult<Json<ConfigVersionPage>> {
    let page = PageRequest::new(q.page, q.page_size)?;
    let entity = non_empty(&q.entity);
    if let Some(e) = &entity
        && !ENTITIES.contains(&e.as_str())
    {
        return Err(ApiError::field("entity", "未知的配置类型"));
    }
    let mut conn = s.db.conn().await?;
    let (total, rows) =
        store::versions(&mut conn, entity.as_deref(), q.entity_id, page.page_size, page.offset()).await?;
    let items = rows
        .into_iter()
        .map(|r| ConfigVersion {
            id: r.id,
            entity: r.entity,
            entity_id: r.entity_id,
            version: r.version,
            action: r.action,
            snapshot: serde_json::from_str(&r.snapshot).unwrap_or(serde_json::Value::Null),
            changed_by: r.changed_by,
            changed_at: r.changed_at,
        })
        .collect();
    Ok(Json(ConfigVersionPage { items, total, page: page.page, page_size: page.page_size }))
}
