//! Region tree and county boundaries (importable, replaceable by an admin).

use axum::extract::{DefaultBodyLimit, State};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_domain::FieldError;
use xiezhi_storage::Conn;
use xiezhi_storage::audit;
use xiezhi_storage::platform::region;

use super::{Affected, flag};
use crate::auth::{Authorized, Principal, perm};
use crate::error::{ApiError, ApiErrorBody, ApiResult};
use crate::extract::Json;
use crate::{AppState, now_ms};

/// Largest boundary file accepted.
pub const BOUNDARY_BODY_LIMIT: usize = 32 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_regions))
        .routes(routes!(get_boundaries, put_boundaries))
        .layer(DefaultBodyLimit::max(BOUNDARY_BODY_LIMIT))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Region {
    pub code: String,
    pub name: String,
    /// `city`, `county` or `township`.
    pub level: String,
    pub parent_code: Option<String>,
    /// False for codes that are not GB/T 2260 / NBS codes (丽水经济技术开发区).
    pub official: bool,
}

/// The region tree as a flat list (city → counties → townships).
#[utoipa::path(get, path = "/api/platform/regions", tag = "platform", responses((status = 200, body = Vec<Region>), (status = 401, body = ApiErrorBody)))]
async fn list_regions(State(s): State<AppState>, _p: Principal) -> ApiResult<Json<Vec<Region>>> {
    let mut conn = s.db.conn().await?;
    let rows = region::list(&mut conn).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| Region {
                code: r.code,
                name: r.name,
                level: r.level,
                parent_code: r.parent_code,
                official: flag(r.official),
            })
            .collect(),
    ))
}

/// County boundaries as a GeoJSON FeatureCollection with properties `{name, adcode}`.
#[utoipa::path(get, path = "/api/platform/regions/boundaries", tag = "platform",
    responses((status = 200, description = "GeoJSON FeatureCollection", body = Object), (status = 401, body = ApiErrorBody)))]
async fn get_boundaries(State(s): State<AppState>, _p: Principal) -> ApiResult<Json<serde_json::Value>> {
    let mut conn = s.db.conn().await?;
    let rows = region::boundaries(&mut conn).await?;
    let mut features = Vec::with_capacity(rows.len());
    for r in rows {
        let geometry: serde_json::Value =
            serde_json::from_str(&r.geometry).map_err(|e| ApiError::internal(format!("stored geometry: {e}")))?;
        features.push(serde_json::json!({
            "type": "Feature",
            "properties": { "name": r.name, "adcode": r.region_code, "source": r.source },
            "geometry": geometry,
        }));
    }
    Ok(Json(serde_json::json!({ "type": "FeatureCollection", "features": features })))
}

/// Replace boundaries from a GeoJSON FeatureCollection; each feature names its region by
/// `properties.adcode`. All features are checked before anything is written.
#[utoipa::path(put, path = "/api/platform/regions/boundaries", tag = "platform", request_body(content = Object, description = "GeoJSON FeatureCollection"),
    responses((status = 200, body = Affected), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn put_boundaries(
    State(s): State<AppState>,
    auth: Authorized<perm::RegionEdit>,
    Json(body): Json<serde_json::Value>,
) -> ApiResult<Json<Affected>> {
    let mut tx = s.db.begin().await?;
    let n = import_boundaries(&mut tx, &body, "管理员导入", now_ms()).await.map_err(ApiError::Validation)?;
    audit::append(
        &mut tx,
        &auth.audit("region.boundaries_import", "region", "boundaries", format!("导入 {n} 个区域边界"), None),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    s.clue.invalidate_regions();
    Ok(Json(Affected { affected: n as u64 }))
}

fn valid_position(p: &serde_json::Value) -> bool {
    p.as_array().is_some_and(|a| {
        a.len() >= 2
            && a[0].as_f64().is_some_and(|x| (-180.0..=180.0).contains(&x))
            && a[1].as_f64().is_some_and(|y| (-90.0..=90.0).contains(&y))
    })
}

fn valid_polygon(rings: &serde_json::Value) -> bool {
    rings.as_array().is_some_and(|rs| {
        !rs.is_empty()
            && rs.iter().all(|r| r.as_array().is_some_and(|pts| pts.len() >= 4 && pts.iter().all(valid_position)))
    })
}

/// Validate and upsert every feature; returns how many were written, or every problem found.
pub async fn import_boundaries(
    conn: &mut Conn,
    body: &serde_json::Value,
    source: &str,
    now: i64,
) -> Result<usize, Vec<FieldError>> {
    let internal = |e: xiezhi_storage::StorageError| vec![FieldError::new("body", format!("写入失败：{e}"))];
    if body.get("type").and_then(|t| t.as_str()) != Some("FeatureCollection") {
        return Err(vec![FieldError::new("type", "须为 GeoJSON FeatureCollection")]);
    }
    let Some(features) = body.get("features").and_then(|f| f.as_array()) else {
        return Err(vec![FieldError::new("features", "缺少 features 数组")]);
    };
    let mut errors = Vec::new();
    let mut ok = Vec::new();
    for (i, f) in features.iter().enumerate() {
        let code = f.pointer("/properties/adcode").map(|c| match c {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        let Some(code) = code else {
            errors.push(FieldError::new("features", format!("第 {} 个要素缺少 properties.adcode", i + 1)));
            continue;
        };
        match region::exists(conn, &code).await {
            Ok(true) => {}
            Ok(false) => {
                errors.push(FieldError::new("features", format!("第 {} 个要素的区划代码 {code} 不存在", i + 1)));
                continue;
            }
            Err(e) => return Err(internal(e)),
        }
        let geom = f.get("geometry").cloned().unwrap_or_default();
        let valid = match geom.get("type").and_then(|t| t.as_str()) {
            Some("Polygon") => geom.get("coordinates").is_some_and(valid_polygon),
            Some("MultiPolygon") => geom
                .get("coordinates")
                .and_then(|c| c.as_array())
                .is_some_and(|ps| !ps.is_empty() && ps.iter().all(valid_polygon)),
            _ => false,
        };
        if !valid {
            errors.push(FieldError::new(
                "features",
                format!("第 {} 个要素（{code}）的几何不是有效的 Polygon/MultiPolygon", i + 1),
            ));
            continue;
        }
        ok.push((code, geom.to_string()));
    }
    if ok.is_empty() && errors.is_empty() {
        errors.push(FieldError::new("features", "没有可导入的要素"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    for (code, geom) in &ok {
        region::upsert_boundary(conn, code, geom, source, now).await.map_err(internal)?;
    }
    Ok(ok.len())
}
