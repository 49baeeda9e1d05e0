//! Unified work portal (F77): tiles for the platform's own modules and for external systems.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_domain::permission::PermissionCode;
use xiezhi_domain::values::{display_text, optional_text};
use xiezhi_storage::audit;
use xiezhi_storage::platform::portal;

use super::flag;
use crate::auth::{Authorized, Principal, perm};
use crate::error::{ApiError, ApiErrorBody, ApiResult, Validator};
use crate::extract::{Json, Path};
use crate::{AppState, now_ms};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_tiles, create_tile))
        .routes(routes!(all_tiles))
        .routes(routes!(update_tile, delete_tile))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalTile {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// Element Plus icon name.
    pub icon: String,
    /// A path inside the app for `internal`, an absolute http(s) URL for `external`.
    pub url: String,
    /// `internal` or `external`.
    pub kind: String,
    pub required_permission: Option<String>,
    pub sort_order: i64,
    pub enabled: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PortalTileInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub icon: String,
    pub url: String,
    pub kind: String,
    #[serde(default)]
    pub required_permission: Option<String>,
    #[serde(default)]
    pub sort_order: i64,
    #[serde(default = "default_true")]
    pub enabled: bool,
}

fn default_true() -> bool {
    true
}

fn tile_of(t: portal::TileRow) -> PortalTile {
    PortalTile {
        id: t.id,
        name: t.name,
        description: t.description,
        icon: t.icon,
        url: t.url,
        kind: t.kind,
        required_permission: t.required_permission,
        sort_order: t.sort_order,
        enabled: flag(t.enabled),
    }
}

fn parse(input: &PortalTileInput) -> ApiResult<portal::TileWrite> {
    use xiezhi_domain::FieldError;
    let mut v = Validator::new();
    let name = v.check(display_text("name", &input.name, 32));
    let description = v.check(optional_text("description", &input.description, 200));
    let icon = v.check(display_text("icon", &input.icon, 64));
    let url = input.url.trim().to_owned();
    match input.kind.as_str() {
        "internal" if url.starts_with('/') && !url.starts_with("//") && url.len() <= 512 => {}
        "internal" => v.push(FieldError::new("url", "内部模块地址须以 / 开头")),
        "external"
            if (url.starts_with("https://") || url.starts_with("http://"))
                && url.len() <= 1024
                && !url.contains(char::is_whitespace) => {}
        "external" => v.push(FieldError::new("url", "外部系统地址须为 http(s):// 开头的完整网址")),
        _ => v.push(FieldError::new("kind", "类型只能是 internal 或 external")),
    }
    let required = input.required_permission.as_deref().map(str::trim).filter(|p| !p.is_empty());
    if let Some(p) = required {
        v.check(PermissionCode::parse(p).map_err(|e| FieldError::new("required_permission", e.message)));
    }
    if !(0..=1_000_000).contains(&input.sort_order) {
        v.push(FieldError::new("sort_order", "排序须在 0–1000000 之间"));
    }
    v.finish()?;
    Ok(portal::TileWrite {
        name: name.unwrap_or_default(),
        description: description.unwrap_or_default(),
        icon: icon.unwrap_or_default(),
        url,
        kind: input.kind.clone(),
        required_permission: required.map(str::to_owned),
        sort_order: input.sort_order,
        enabled: input.enabled,
    })
}

/// Tiles the current user may see: enabled, and either open to all or matching a held permission.
#[utoipa::path(get, path = "/api/platform/portal/tiles", tag = "platform", responses((status = 200, body = Vec<PortalTile>), (status = 401, body = ApiErrorBody)))]
async fn my_tiles(State(s): State<AppState>, p: Principal) -> ApiResult<Json<Vec<PortalTile>>> {
    let mut conn = s.db.conn().await?;
    let tiles = portal::list(&mut conn).await?;
    Ok(Json(
        tiles
            .into_iter()
            .filter(|t| flag(t.enabled) && t.required_permission.as_deref().is_none_or(|c| p.has(c)))
            .map(tile_of)
            .collect(),
    ))
}

/// Every tile, for the portal configuration page.
#[utoipa::path(get, path = "/api/platform/portal/tiles/all", tag = "platform", responses((status = 200, body = Vec<PortalTile>), (status = 403, body = ApiErrorBody)))]
async fn all_tiles(State(s): State<AppState>, _a: Authorized<perm::PortalEdit>) -> ApiResult<Json<Vec<PortalTile>>> {
    let mut conn = s.db.conn().await?;
    Ok(Json(portal::list(&mut conn).await?.into_iter().map(tile_of).collect()))
}

#[utoipa::path(post, path = "/api/platform/portal/tiles", tag = "platform", request_body = PortalTileInput,
    responses((status = 201, body = PortalTile), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_tile(
    State(s): State<AppState>,
    auth: Authorized<perm::PortalEdit>,
    Json(input): Json<PortalTileInput>,
) -> ApiResult<(StatusCode, Json<PortalTile>)> {
    let w = parse(&input)?;
    let mut tx = s.db.begin().await?;
    let id = portal::insert(&mut tx, &w, now_ms()).await?;
    audit::append(
        &mut tx,
        &auth.audit(
            "portal.create",
            "portal_tile",
            id,
            format!("新增门户入口 {}", w.name),
            Some(serde_json::json!({ "url": w.url, "kind": w.kind })),
        ),
    )
    .await?;
    let out = portal::get(&mut tx, id).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(tile_of(out))))
}

#[utoipa::path(put, path = "/api/platform/portal/tiles/{id}", tag = "platform", request_body = PortalTileInput, params(("id" = i64, Path, description = "tile id")),
    responses((status = 200, body = PortalTile), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update_tile(
    State(s): State<AppState>,
    auth: Authorized<perm::PortalEdit>,
    Path(id): Path<i64>,
    Json(input): Json<PortalTileInput>,
) -> ApiResult<Json<PortalTile>> {
    let w = parse(&input)?;
    let mut tx = s.db.begin().await?;
    let before = portal::get(&mut tx, id).await?;
    portal::update(&mut tx, id, &w, now_ms()).await?;
    let changes = serde_json::json!({
        "before": { "name": before.name, "url": before.url, "required_permission": before.required_permission, "enabled": flag(before.enabled) },
        "after": { "name": w.name, "url": w.url, "required_permission": w.required_permission, "enabled": w.enabled },
    });
    audit::append(
        &mut tx,
        &auth.audit("portal.update", "portal_tile", id, format!("修改门户入口 {}", w.name), Some(changes)),
    )
    .await?;
    let out = portal::get(&mut tx, id).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(tile_of(out)))
}

#[utoipa::path(delete, path = "/api/platform/portal/tiles/{id}", tag = "platform", params(("id" = i64, Path, description = "tile id")),
    responses((status = 204), (status = 404, body = ApiErrorBody)))]
async fn delete_tile(
    State(s): State<AppState>,
    auth: Authorized<perm::PortalEdit>,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let mut tx = s.db.begin().await?;
    let before = portal::get(&mut tx, id).await?;
    portal::delete(&mut tx, id).await?;
    audit::append(
        &mut tx,
        &auth.audit("portal.delete", "portal_tile", id, format!("删除门户入口 {}", before.name), None),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}
