//! Roles with a permission matrix and a data scope (F79), managed by the security administrator.

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_domain::FieldError;
use xiezhi_domain::permission::{DataScope, Duty, PermissionCode, check_separation_of_duties};
use xiezhi_domain::values::{code, display_text, optional_text};
use xiezhi_storage::platform::role;
use xiezhi_storage::{Conn, audit};

use super::flag;
use crate::auth::{Authorized, perm};
use crate::error::{ApiError, ApiErrorBody, ApiResult, Validator};
use crate::extract::{Json, Path};
use crate::{AppState, now_ms};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_roles, create_role))
        .routes(routes!(update_role, delete_role))
        .routes(routes!(list_permissions))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Role {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: String,
    /// `all`, `region`, `department` or `own`.
    pub data_scope: String,
    pub builtin: bool,
    pub permissions: Vec<String>,
    pub user_count: i64,
}

impl From<role::RoleWithPermissions> for Role {
    fn from(r: role::RoleWithPermissions) -> Self {
        Role {
            id: r.role.id,
            code: r.role.code,
            name: r.role.name,
            description: r.role.description,
            data_scope: r.role.data_scope,
            builtin: flag(r.role.builtin),
            permissions: r.permissions,
            user_count: r.role.user_count,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleInput {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub data_scope: String,
    #[serde(default)]
    pub permissions: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleUpdate {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub data_scope: String,
    #[serde(default)]
    pub permissions: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Permission {
    pub code: String,
    pub name: String,
    pub module: String,
    pub module_name: String,
    /// `system`, `security`, `audit` or `business` (三员分立).
    pub duty: String,
}

struct Parsed {
    name: String,
    description: String,
    data_scope: DataScope,
    permissions: Vec<String>,
}

/// Validate fields and permissions, and check that the role alone, and every user holding it
/// together with their other roles, respects the separation of the three administrators.
async fn parse(
    conn: &mut Conn,
    role_id: Option<i64>,
    name: &str,
    description: &str,
    scope: &str,
    perms: &[String],
) -> ApiResult<Parsed> {
    let mut v = Validator::new();
    let name = v.check(display_text("name", name, 32));
    let description = v.check(optional_text("description", description, 200));
    let data_scope = v.check(DataScope::parse(scope));
    let codes: BTreeSet<String> = perms.iter().cloned().collect();
    for c in &codes {
        v.check(PermissionCode::parse(c));
    }
    let list: Vec<String> = codes.into_iter().collect();
    let known: BTreeMap<String, Duty> = role::duties_of(conn, &list)
        .await?
        .into_iter()
        .map(|(c, d)| (c, Duty::parse(&d).unwrap_or(Duty::Business)))
        .collect();
    if let Some(unknown) = list.iter().find(|c| !known.contains_key(*c)) {
        v.push(FieldError::new("permissions", format!("权限 {unknown} 不存在")));
    }
    let role_duties: BTreeSet<Duty> = known.values().copied().collect();
    if let Err(e) = check_separation_of_duties(role_duties.iter().copied()) {
        v.push(e);
    } else if let Some(id) = role_id {
        for uid in role::user_ids_with_role(conn, id).await? {
            let others: Vec<i64> =
                role::roles_of_users(conn, &[uid]).await?.into_iter().map(|r| r.id).filter(|r| *r != id).collect();
            let mut duties: BTreeSet<Duty> = role::permissions_of_roles(conn, &others)
                .await?
                .into_iter()
                .filter_map(|(_, d)| Duty::parse(&d))
                .collect();
            duties.extend(role_duties.iter().copied());
            if let Err(e) = check_separation_of_duties(duties) {
                v.push(FieldError::new("permissions", format!("持有该角色的用户 {uid} 将违反{}", e.message)));
                break;
            }
        }
    }
    v.finish()?;
    Ok(Parsed {
        name: name.unwrap_or_default(),
        description: description.unwrap_or_default(),
        data_scope: data_scope.unwrap_or(DataScope::Own),
        permissions: list,
    })
}

#[utoipa::path(get, path = "/api/platform/roles", tag = "platform", responses((status = 200, body = Vec<Role>), (status = 403, body = ApiErrorBody)))]
async fn list_roles(State(s): State<AppState>, _a: Authorized<perm::RoleView>) -> ApiResult<Json<Vec<Role>>> {
    let mut conn = s.db.conn().await?;
    Ok(Json(role::list(&mut conn).await?.into_iter().map(Role::from).collect()))
}

/// The permission catalogue.
#[utoipa::path(get, path = "/api/platform/permissions", tag = "platform", responses((status = 200, body = Vec<Permission>), (status = 403, body = ApiErrorBody)))]
async fn list_permissions(
    State(s): State<AppState>,
    _a: Authorized<perm::RoleView>,
) -> ApiResult<Json<Vec<Permission>>> {
    let mut conn = s.db.conn().await?;
    Ok(Json(
        role::permissions(&mut conn)
            .await?
            .into_iter()
            .map(|p| Permission {
                code: p.code,
                name: p.name,
                module: p.module,
                module_name: p.module_name,
                duty: p.duty,
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/platform/roles", tag = "platform", request_body = RoleInput,
    responses((status = 201, body = Role), (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_role(
    State(s): State<AppState>,
    auth: Authorized<perm::RoleEdit>,
    Json(input): Json<RoleInput>,
) -> ApiResult<(StatusCode, Json<Role>)> {
    let code = code("code", &input.code);
    let mut tx = s.db.begin().await?;
    let parsed = parse(&mut tx, None, &input.name, &input.description, &input.data_scope, &input.permissions).await;
    let (code, p) = match (code, parsed) {
        (Ok(c), Ok(p)) => (c, p),
        (Err(e), Ok(_)) => return Err(e.into()),
        (Ok(_), Err(e)) => return Err(e),
        (Err(e), Err(ApiError::Validation(mut es))) => {
            es.insert(0, e);
            return Err(ApiError::Validation(es));
        }
        (Err(_), Err(e)) => return Err(e),
    };
    let w = role::RoleWrite {
        code: code.clone(),
        name: p.name,
        description: p.description,
        data_scope: p.data_scope.as_str().into(),
    };
    let id = role::insert(&mut tx, &w, now_ms()).await?;
    role::set_permissions(&mut tx, id, &p.permissions).await?;
    let changes =
        serde_json::json!({ "code": w.code, "name": w.name, "data_scope": w.data_scope, "permissions": p.permissions });
    audit::append(&mut tx, &auth.audit("role.create", "role", id, format!("新增角色 {}", w.name), Some(changes)))
        .await?;
    let out = role::get(&mut tx, id).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(out.into())))
}

#[utoipa::path(put, path = "/api/platform/roles/{id}", tag = "platform", request_body = RoleUpdate, params(("id" = i64, Path, description = "role id")),
    responses((status = 200, body = Role), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update_role(
    State(s): State<AppState>,
    auth: Authorized<perm::RoleEdit>,
    Path(id): Path<i64>,
    Json(input): Json<RoleUpdate>,
) -> ApiResult<Json<Role>> {
    let mut tx = s.db.begin().await?;
    let before = role::get(&mut tx, id).await?;
    let p = parse(&mut tx, Some(id), &input.name, &input.description, &input.data_scope, &input.permissions).await?;
    let w = role::RoleWrite {
        code: before.role.code.clone(),
        name: p.name,
        description: p.description,
        data_scope: p.data_scope.as_str().into(),
    };
    role::update(&mut tx, id, &w, now_ms()).await?;
    role::set_permissions(&mut tx, id, &p.permissions).await?;
    let changes = serde_json::json!({
        "before": { "name": before.role.name, "data_scope": before.role.data_scope, "permissions": before.permissions },
        "after": { "name": w.name, "data_scope": w.data_scope, "permissions": p.permissions },
    });
    audit::append(&mut tx, &auth.audit("role.update", "role", id, format!("修改角色 {}", w.name), Some(changes)))
        .await?;
    let out = role::get(&mut tx, id).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(out.into()))
}

#[utoipa::path(delete, path = "/api/platform/roles/{id}", tag = "platform", params(("id" = i64, Path, description = "role id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn delete_role(
    State(s): State<AppState>,
    auth: Authorized<perm::RoleEdit>,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let mut tx = s.db.begin().await?;
    let before = role::get(&mut tx, id).await?;
    if flag(before.role.builtin) {
        return Err(ApiError::Conflict {
            code: "role_builtin", message: "内置角色不能删除".into(), field: None
        });
    }
    let users = role::active_user_count(&mut tx, id).await?;
    if users > 0 {
        return Err(ApiError::Conflict {
            code: "role_in_use",
            message: format!("还有 {users} 个用户持有该角色，不能删除"),
            field: None,
        });
    }
    role::delete(&mut tx, id).await?;
    audit::append(&mut tx, &auth.audit("role.delete", "role", id, format!("删除角色 {}", before.role.name), None))
        .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}
