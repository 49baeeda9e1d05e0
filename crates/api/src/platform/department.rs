//! Organisation: departments placed in the region tree (F76, F78).

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_domain::values::{RegionCode, display_text};
use xiezhi_storage::audit;
use xiezhi_storage::platform::{department, region};

use super::flag;
use crate::auth::{Authorized, perm};
use crate::error::{ApiError, ApiErrorBody, ApiResult, Validator};
use crate::extract::{Json, Path};
use crate::{AppState, now_ms};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_departments, create_department))
        .routes(routes!(update_department, delete_department))
}

pub const KINDS: &[&str] =
    &["government", "bureau", "squad", "city_department", "county_department", "township_office", "other"];

#[derive(Debug, Serialize, ToSchema)]
pub struct Department {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    /// `government`, `bureau`, `squad`, `city_department`, `county_department`, `township_office` or `other`.
    pub kind: String,
    pub region_code: String,
    pub region_name: String,
    pub sort_order: i64,
    pub enabled: bool,
    pub user_count: i64,
}

impl From<department::DepartmentRow> for Department {
    fn from(d: department::DepartmentRow) -> Self {
        Department {
            id: d.id,
            parent_id: d.parent_id,
            name: d.name,
            kind: d.kind,
            region_code: d.region_code,
            region_name: d.region_name,
            sort_order: d.sort_order,
            enabled: flag(d.enabled),
            user_count: d.user_count,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentInput {
    pub parent_id: Option<i64>,
    pub name: String,
    pub kind: String,
    pub region_code: String,
    #[serde(default)]
    pub sort_order: i64,
    #[serde(default = "default_true")]
    pub enabled: bool,
}

fn default_true() -> bool {
    true
}

async fn parse_input(
    conn: &mut xiezhi_storage::Conn,
    input: &DepartmentInput,
) -> ApiResult<department::DepartmentWrite> {
    let mut v = Validator::new();
    let name = v.check(display_text("name", &input.name, 64));
    if !KINDS.contains(&input.kind.as_str()) {
        v.push(xiezhi_domain::FieldError::new("kind", "部门类型不正确"));
    }
    let region_code = v.check(RegionCode::parse(&input.region_code));
    if let Some(code) = &region_code
        && !region::exists(conn, code.as_str()).await?
    {
        v.push(xiezhi_domain::FieldError::new("region_code", "行政区划不存在"));
    }
    if let Some(p) = input.parent_id
        && department::get(conn, p).await.is_err()
    {
        v.push(xiezhi_domain::FieldError::new("parent_id", "上级部门不存在"));
    }
    if !(0..=1_000_000).contains(&input.sort_order) {
        v.push(xiezhi_domain::FieldError::new("sort_order", "排序须在 0–1000000 之间"));
    }
    v.finish()?;
    Ok(department::DepartmentWrite {
        parent_id: input.parent_id,
        name: name.unwrap_or_default(),
        kind: input.kind.clone(),
        region_code: region_code.map(String::from).unwrap_or_default(),
        sort_order: input.sort_order,
        enabled: input.enabled,
    })
}

fn snapshot(d: &department::DepartmentWrite) -> serde_json::Value {
    serde_json::json!({
        "parent_id": d.parent_id, "name": d.name, "kind": d.kind, "region_code": d.region_code,
        "sort_order": d.sort_order, "enabled": d.enabled,
    })
}

/// All departments as a flat list ordered for display; the client builds the tree by `parent_id`.
#[utoipa::path(get, path = "/api/platform/departments", tag = "platform",
    responses((status = 200, body = Vec<Department>), (status = 403, body = ApiErrorBody)))]
async fn list_departments(
    State(s): State<AppState>,
    _a: Authorized<perm::OrgView>,
) -> ApiResult<Json<Vec<Department>>> {
    let mut conn = s.db.conn().await?;
    Ok(Json(department::list(&mut conn).await?.into_iter().map(Department::from).collect()))
}

#[utoipa::path(post, path = "/api/platform/departments", tag = "platform", request_body = DepartmentInput,
    responses((status = 201, body = Department), (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_department(
    State(s): State<AppState>,
    auth: Authorized<perm::OrgEdit>,
    Json(input): Json<DepartmentInput>,
) -> ApiResult<(StatusCode, Json<Department>)> {
    let mut tx = s.db.begin().await?;
    let d = parse_input(&mut tx, &input).await?;
    let id = department::insert(&mut tx, &d, now_ms()).await?;
    audit::append(
        &mut tx,
        &auth.audit("department.create", "department", id, format!("新增部门 {}", d.name), Some(snapshot(&d))),
    )
    .await?;
    let out = department::get(&mut tx, id).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(out.into())))
}

#[utoipa::path(put, path = "/api/platform/departments/{id}", tag = "platform", request_body = DepartmentInput,
    params(("id" = i64, Path, description = "department id")),
    responses((status = 200, body = Department), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update_department(
    State(s): State<AppState>,
    auth: Authorized<perm::OrgEdit>,
    Path(id): Path<i64>,
    Json(input): Json<DepartmentInput>,
) -> ApiResult<Json<Department>> {
    let mut tx = s.db.begin().await?;
    let before = department::get(&mut tx, id).await?;
    let d = parse_input(&mut tx, &input).await?;
    if let Some(p) = d.parent_id
        && department::subtree(&mut tx, id).await?.contains(&p)
    {
        return Err(ApiError::field("parent_id", "上级部门不能是本部门或其下级部门"));
    }
    department::update(&mut tx, id, &d, now_ms()).await?;
    let changes = serde_json::json!({
        "before": { "parent_id": before.parent_id, "name": before.name, "kind": before.kind, "region_code": before.region_code,
                    "sort_order": before.sort_order, "enabled": flag(before.enabled) },
        "after": snapshot(&d),
    });
    audit::append(
        &mut tx,
        &auth.audit("department.update", "department", id, format!("修改部门 {}", d.name), Some(changes)),
    )
    .await?;
    let out = department::get(&mut tx, id).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(out.into()))
}

#[utoipa::path(delete, path = "/api/platform/departments/{id}", tag = "platform",
    params(("id" = i64, Path, description = "department id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn delete_department(
    State(s): State<AppState>,
    auth: Authorized<perm::OrgEdit>,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let mut tx = s.db.begin().await?;
    let before = department::get(&mut tx, id).await?;
    let (children, users) = department::usage(&mut tx, id).await?;
    if children > 0 || users > 0 {
        return Err(ApiError::Conflict {
            code: "department_not_empty",
            message: format!("该部门下还有 {children} 个下级部门和 {users} 个用户，不能删除"),
            field: None,
        });
    }
    department::delete(&mut tx, id).await.map_err(|e| match e {
        xiezhi_storage::StorageError::Reference { .. } => ApiError::Conflict {
            code: "department_in_use",
            message: "该部门仍被历史记录引用（如已注销的用户），不能删除，可改为停用".into(),
            field: None,
        },
        other => other.into(),
    })?;
    audit::append(
        &mut tx,
        &auth.audit("department.delete", "department", id, format!("删除部门 {}", before.name), None),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}
