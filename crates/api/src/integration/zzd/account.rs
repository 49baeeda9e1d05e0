//! ZZD accounts and their links to local users: automatic (by employee code, then by mobile) and
//! by an administrator.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_storage::audit::{self, NewAudit};
use xiezhi_storage::platform::user;
use xiezhi_storage::query::ScopeFilter;
use xiezhi_storage::{Conn, StorageError, zzd as store};

use crate::auth::{Authorized, perm};
use crate::error::{ApiError, ApiErrorBody, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::{AppState, now_ms};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_accounts)).routes(routes!(link_account, unlink_account))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ZzdAccount {
    pub account_id: i64,
    pub employee_code: String,
    pub name: String,
    /// Masked mobile (`139****1001`), when known from synchronisation.
    pub mobile_masked: Option<String>,
    pub org_code: String,
    pub org_name: Option<String>,
    pub job: String,
    /// `A` active, `F` left ZZD.
    pub status: String,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub user_display_name: Option<String>,
    /// `employee_code`, `mobile` or `admin`.
    pub link_method: Option<String>,
    pub linked_by: String,
    pub linked_at: Option<i64>,
    pub last_login_at: Option<i64>,
    pub updated_at: i64,
}

fn account_of(a: store::AccountRow) -> ZzdAccount {
    ZzdAccount {
        account_id: a.account_id,
        employee_code: a.employee_code,
        name: a.name,
        mobile_masked: a.mobile_masked,
        org_code: a.org_code,
        org_name: a.org_name,
        job: a.job,
        status: a.status,
        user_id: a.user_id,
        username: a.username,
        user_display_name: a.user_display_name,
        link_method: a.link_method,
        linked_by: a.linked_by,
        linked_at: a.linked_at,
        last_login_at: a.last_login_at,
        updated_at: a.updated_at,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ZzdAccountPage {
    pub items: Vec<ZzdAccount>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AccountQuery {
    /// Matches name, employee code or linked user name.
    pub keyword: Option<String>,
    pub linked: Option<bool>,
    /// `A` or `F`.
    pub status: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// ZZD accounts seen by log-in or synchronisation, with their links.
#[utoipa::path(get, path = "/api/integration/zzd/accounts", tag = "integration", params(AccountQuery),
    responses((status = 200, body = ZzdAccountPage), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn list_accounts(
    State(s): State<AppState>,
    _a: Authorized<perm::ZzdView>,
    Query(q): Query<AccountQuery>,
) -> ApiResult<Json<ZzdAccountPage>> {
    let page = q.page.unwrap_or(1).max(1);
    let page_size = q.page_size.unwrap_or(20).clamp(1, 200);
    if let Some(st) = q.status.as_deref().filter(|s| !matches!(*s, "A" | "F")) {
        return Err(ApiError::field("status", format!("未知状态 {st}")));
    }
    let f = store::AccountFilter {
        keyword: q.keyword.map(|k| k.trim().to_owned()).filter(|k| !k.is_empty()),
        linked: q.linked,
        status: q.status,
    };
    let mut conn = s.db.conn().await?;
    let (rows, total) = store::accounts(&mut conn, s.db.backend(), &f, page_size, (page - 1) * page_size).await?;
    Ok(Json(ZzdAccountPage { items: rows.into_iter().map(account_of).collect(), total, page, page_size }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkInput {
    pub user_id: i64,
}

fn system_audit(by: &str, action: &str, account_id: i64, summary: String) -> NewAudit {
    NewAudit {
        occurred_at: now_ms(),
        actor_id: None,
        actor_name: by.chars().take(64).collect(),
        ip: "system".into(),
        action: action.to_owned(),
        target_type: "zzd_account".into(),
        target_id: account_id.to_string(),
        outcome: "success",
        summary,
        changes: None,
    }
}

/// Link an unlinked account automatically: by employee code, else by mobile (blind index); a
/// user already linked to another account is never taken. Audited. Returns the user.
pub async fn auto_link(tx: &mut Conn, account_id: i64, by: &str, now: i64) -> ApiResult<Option<i64>> {
    let Some(a) = store::account(tx, account_id).await? else { return Ok(None) };
    if a.user_id.is_some() || a.status != "A" {
        return Ok(a.user_id);
    }
    let mut found = None;
    if !a.employee_code.is_empty()
        && let Some(u) = store::user_by_employee_code(tx, &a.employee_code).await?
    {
        found = Some((u, "employee_code", "工号"));
    }
    if found.is_none()
        && let Some(index) = store::mobile_index(tx, account_id).await?
        && let Some(u) = store::user_by_phone_index(tx, &index).await?
    {
        found = Some((u, "mobile", "手机号"));
    }
    let Some((user_id, method, label)) = found else { return Ok(None) };
    store::link(tx, account_id, user_id, method, by, now).await?;
    let u = user::get(tx, user_id, &ScopeFilter::All).await?;
    audit::append(
        tx,
        &system_audit(
            by,
            "zzd.link",
            account_id,
            format!("按{label}自动关联浙政钉账号 {}（{}）与用户 {}", a.name, account_id, u.username),
        ),
    )
    .await?;
    Ok(Some(user_id))
}

/// Link an account to a user (replacing its previous link).
#[utoipa::path(put, path = "/api/integration/zzd/accounts/{id}/link", tag = "integration", request_body = LinkInput,
    params(("id" = i64, Path, description = "ZZD accountId")),
    responses((status = 200, body = ZzdAccount), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
async fn link_account(
    State(s): State<AppState>,
    auth: Authorized<perm::ZzdManage>,
    Path(account_id): Path<i64>,
    Json(input): Json<LinkInput>,
) -> ApiResult<Json<ZzdAccount>> {
    let now = now_ms();
    let mut tx = s.db.begin().await?;
    let before = store::account(&mut tx, account_id).await?.ok_or(ApiError::NotFound)?;
    let target = user::get(&mut tx, input.user_id, &auth.scope()).await.map_err(|e| match e {
        StorageError::NotFound => ApiError::field("user_id", "用户不存在或不在您的数据范围内"),
        other => other.into(),
    })?;
    if before.user_id == Some(target.id) {
        return Ok(Json(account_of(before)));
    }
    if before.user_id.is_some() {
        store::unlink(&mut tx, account_id, now).await?;
    }
    store::link(&mut tx, account_id, target.id, "admin", &auth.username, now).await.map_err(|e| match e {
        StorageError::Duplicate { .. } => ApiError::Conflict {
            code: "zzd_user_linked",
            message: "该用户已关联其他浙政钉账号，请先解除".into(),
            field: Some("user_id"),
        },
        other => other.into(),
    })?;
    let after = store::account(&mut tx, account_id).await?.ok_or(ApiError::NotFound)?;
    let changes = serde_json::json!({ "before": before.username, "after": target.username });
    audit::append(
        &mut tx,
        &auth.audit(
            "zzd.link",
            "zzd_account",
            account_id,
            format!("关联浙政钉账号 {}（{}）与用户 {}", before.name, account_id, target.username),
            Some(changes),
        ),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(account_of(after)))
}

/// Remove the link of an account; the user's ZZD log-in stops working at once.
#[utoipa::path(delete, path = "/api/integration/zzd/accounts/{id}/link", tag = "integration",
    params(("id" = i64, Path, description = "ZZD accountId")),
    responses((status = 204), (status = 404, body = ApiErrorBody)))]
async fn unlink_account(
    State(s): State<AppState>,
    auth: Authorized<perm::ZzdManage>,
    Path(account_id): Path<i64>,
) -> ApiResult<StatusCode> {
    let mut tx = s.db.begin().await?;
    let before = store::account(&mut tx, account_id).await?.ok_or(ApiError::NotFound)?;
    if store::unlink(&mut tx, account_id, now_ms()).await?.is_none() {
        return Ok(StatusCode::NO_CONTENT);
    }
    audit::append(
        &mut tx,
        &auth.audit(
            "zzd.unlink",
            "zzd_account",
            account_id,
            format!(
                "解除浙政钉账号 {}（{}）与用户 {} 的关联",
                before.name,
                account_id,
                before.username.unwrap_or_default()
            ),
            None,
        ),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}
