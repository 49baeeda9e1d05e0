//! Data dictionaries: the enumerations the UI shows (labels, order, tag colours).

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_domain::values::{code, display_text, optional_text};
use xiezhi_storage::audit;
use xiezhi_storage::platform::dict;

use super::flag;
use crate::auth::{Authorized, Principal, perm};
use crate::error::{ApiError, ApiErrorBody, ApiResult, Validator};
use crate::extract::{Json, Path};
use crate::{AppState, now_ms};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_dicts, create_dict))
        .routes(routes!(update_dict, delete_dict))
        .routes(routes!(create_item))
        .routes(routes!(update_item, delete_item))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DictItem {
    pub id: i64,
    pub value: String,
    pub label: String,
    pub sort_order: i64,
    pub enabled: bool,
    /// Element Plus tag type: `primary`, `success`, `warning`, `danger`, `info`.
    pub tag_type: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DictType {
    pub code: String,
    pub name: String,
    pub description: String,
    pub builtin: bool,
    pub items: Vec<DictItem>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DictTypeInput {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DictItemInput {
    pub value: String,
    pub label: String,
    #[serde(default)]
    pub sort_order: i64,
    #[serde(default = "default_true")]
    pub enabled: bool,
    #[serde(default)]
    pub tag_type: Option<String>,
}

fn default_true() -> bool {
    true
}

fn item_of(r: dict::DictItemRow) -> DictItem {
    DictItem {
        id: r.id,
        value: r.value,
        label: r.label,
        sort_order: r.sort_order,
        enabled: flag(r.enabled),
        tag_type: r.tag_type,
    }
}

const TAG_TYPES: &[&str] = &["primary", "success", "warning", "danger", "info"];

fn parse_item(input: &DictItemInput) -> ApiResult<dict::ItemWrite> {
    let mut v = Validator::new();
    let value = v.check(display_text("value", &input.value, 64));
    let label = v.check(display_text("label", &input.label, 64));
    let tag_type = input.tag_type.as_deref().map(str::trim).filter(|t| !t.is_empty());
    if let Some(t) = tag_type
        && !TAG_TYPES.contains(&t)
    {
        v.push(xiezhi_domain::FieldError::new("tag_type", "标签样式只能是 primary、success、warning、danger 或 info"));
    }
    if !(0..=1_000_000).contains(&input.sort_order) {
        v.push(xiezhi_domain::FieldError::new("sort_order", "排序须在 0–1000000 之间"));
    }
    v.finish()?;
    Ok(dict::ItemWrite {
        value: value.unwrap_or_default(),
        label: label.unwrap_or_default(),
        sort_order: input.sort_order,
        enabled: input.enabled,
        tag_type: tag_type.map(str::to_owned),
    })
}

/// Every dictionary with its items.
#[utoipa::path(get, path = "/api/platform/dicts", tag = "platform", responses((status = 200, body = Vec<DictType>), (status = 401, body = ApiErrorBody)))]
async fn list_dicts(State(s): State<AppState>, _p: Principal) -> ApiResult<Json<Vec<DictType>>> {
    let mut conn = s.db.conn().await?;
    let types = dict::types(&mut conn).await?;
    let mut items = dict::items(&mut conn, None).await?;
    Ok(Json(
        types
            .into_iter()
            .map(|t| {
                let (mine, rest): (Vec<_>, Vec<_>) = items.drain(..).partition(|i| i.dict_code == t.code);
                items = rest;
                DictType {
                    code: t.code,
                    name: t.name,
                    description: t.description,
                    builtin: flag(t.builtin),
                    items: mine.into_iter().map(item_of).collect(),
                }
            })
            .collect(),
    ))
}

async fn load(conn: &mut xiezhi_storage::Conn, code: &str) -> ApiResult<DictType> {
    let t = dict::get_type(conn, code).await?;
    let items = dict::items(conn, Some(code)).await?;
    Ok(DictType {
        code: t.code,
        name: t.name,
        description: t.description,
        builtin: flag(t.builtin),
        items: items.into_iter().map(item_of).collect(),
    })
}

#[utoipa::path(post, path = "/api/platform/dicts", tag = "platform", request_body = DictTypeInput,
    responses((status = 201, body = DictType), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_dict(
    State(s): State<AppState>,
    auth: Authorized<perm::DictEdit>,
    Json(input): Json<DictTypeInput>,
) -> ApiResult<(StatusCode, Json<DictType>)> {
    let mut v = Validator::new();
    let code = v.check(code("code", &input.code));
    let name = v.check(display_text("name", &input.name, 32));
    let description = v.check(optional_text("description", &input.description, 200));
    v.finish()?;
    let (code, name, description) =
        (code.unwrap_or_default(), name.unwrap_or_default(), description.unwrap_or_default());
    let mut tx = s.db.begin().await?;
    dict::insert_type(&mut tx, &code, &name, &description, now_ms()).await?;
    audit::append(&mut tx, &auth.audit("dict.create", "dict", &code, format!("新增字典 {name}"), None)).await?;
    let out = load(&mut tx, &code).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(put, path = "/api/platform/dicts/{code}", tag = "platform", request_body = DictTypeInput, params(("code" = String, Path, description = "dictionary code")),
    responses((status = 200, body = DictType), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update_dict(
    State(s): State<AppState>,
    auth: Authorized<perm::DictEdit>,
    Path(code): Path<String>,
    Json(input): Json<DictTypeInput>,
) -> ApiResult<Json<DictType>> {
    let mut v = Validator::new();
    if input.code != code {
        v.push(xiezhi_domain::FieldError::new("code", "字典编码不能修改"));
    }
    let name = v.check(display_text("name", &input.name, 32));
    let description = v.check(optional_text("description", &input.description, 200));
    v.finish()?;
    let (name, description) = (name.unwrap_or_default(), description.unwrap_or_default());
    let mut tx = s.db.begin().await?;
    dict::update_type(&mut tx, &code, &name, &description, now_ms()).await?;
    audit::append(&mut tx, &auth.audit("dict.update", "dict", &code, format!("修改字典 {name}"), None)).await?;
    let out = load(&mut tx, &code).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(out))
}

#[utoipa::path(delete, path = "/api/platform/dicts/{code}", tag = "platform", params(("code" = String, Path, description = "dictionary code")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn delete_dict(
    State(s): State<AppState>,
    auth: Authorized<perm::DictEdit>,
    Path(code): Path<String>,
) -> ApiResult<StatusCode> {
    let mut tx = s.db.begin().await?;
    let t = dict::get_type(&mut tx, &code).await?;
    if flag(t.builtin) {
        return Err(ApiError::Conflict {
            code: "dict_builtin", message: "内置字典不能删除".into(), field: None
        });
    }
    dict::delete_type(&mut tx, &code).await?;
    audit::append(&mut tx, &auth.audit("dict.delete", "dict", &code, format!("删除字典 {}", t.name), None)).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/platform/dicts/{code}/items", tag = "platform", request_body = DictItemInput, params(("code" = String, Path, description = "dictionary code")),
    responses((status = 201, body = DictItem), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_item(
    State(s): State<AppState>,
    auth: Authorized<perm::DictEdit>,
    Path(code): Path<String>,
    Json(input): Json<DictItemInput>,
) -> ApiResult<(StatusCode, Json<DictItem>)> {
    let w = parse_item(&input)?;
    let mut tx = s.db.begin().await?;
    dict::get_type(&mut tx, &code).await?;
    let id = dict::insert_item(&mut tx, &code, &w).await?;
    audit::append(
        &mut tx,
        &auth.audit("dict.item_create", "dict", &code, format!("字典 {code} 新增项 {}={}", w.value, w.label), None),
    )
    .await?;
    let out = dict::get_item(&mut tx, &code, id).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(item_of(out))))
}

#[utoipa::path(put, path = "/api/platform/dicts/{code}/items/{id}", tag = "platform", request_body = DictItemInput,
    params(("code" = String, Path, description = "dictionary code"), ("id" = i64, Path, description = "item id")),
    responses((status = 200, body = DictItem), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update_item(
    State(s): State<AppState>,
    auth: Authorized<perm::DictEdit>,
    Path((code, id)): Path<(String, i64)>,
    Json(input): Json<DictItemInput>,
) -> ApiResult<Json<DictItem>> {
    let w = parse_item(&input)?;
    let mut tx = s.db.begin().await?;
    let before = dict::get_item(&mut tx, &code, id).await?;
    dict::update_item(&mut tx, &code, id, &w).await?;
    let changes = serde_json::json!({ "before": { "value": before.value, "label": before.label }, "after": { "value": w.value, "label": w.label } });
    audit::append(
        &mut tx,
        &auth.audit("dict.item_update", "dict", &code, format!("字典 {code} 修改项 {}", w.value), Some(changes)),
    )
    .await?;
    let out = dict::get_item(&mut tx, &code, id).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(item_of(out)))
}

#[utoipa::path(delete, path = "/api/platform/dicts/{code}/items/{id}", tag = "platform",
    params(("code" = String, Path, description = "dictionary code"), ("id" = i64, Path, description = "item id")),
    responses((status = 204), (status = 404, body = ApiErrorBody)))]
async fn delete_item(
    State(s): State<AppState>,
    auth: Authorized<perm::DictEdit>,
    Path((code, id)): Path<(String, i64)>,
) -> ApiResult<StatusCode> {
    let mut tx = s.db.begin().await?;
    let before = dict::get_item(&mut tx, &code, id).await?;
    dict::delete_item(&mut tx, &code, id).await?;
    audit::append(
        &mut tx,
        &auth.audit("dict.item_delete", "dict", &code, format!("字典 {code} 删除项 {}", before.value), None),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}
