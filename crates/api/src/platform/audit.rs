//! Audit log viewer for the audit administrator: search, Excel export, chain verification.

use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_domain::page::PageRequest;
use xiezhi_storage::audit::{self, AuditFilter, AuditRow};

use super::non_empty;
use crate::auth::{Authorized, perm};
use crate::error::{ApiError, ApiErrorBody, ApiResult};
use crate::extract::{Json, Query};
use crate::{AppState, xlsx};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit)).routes(routes!(export_audit)).routes(routes!(verify_audit))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub occurred_at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub ip: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    /// `success` or `failure`.
    pub outcome: String,
    pub summary: String,
    #[schema(value_type = Option<Object>)]
    pub changes: Option<serde_json::Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditVerifyReport {
    pub ok: bool,
    pub checked: i64,
    pub first_bad_seq: Option<i64>,
    pub message: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target_type: Option<String>,
    /// `success` or `failure`.
    pub outcome: Option<String>,
    /// From (inclusive), ms since epoch.
    pub from: Option<i64>,
    /// To (exclusive), ms since epoch.
    pub to: Option<i64>,
    pub keyword: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

impl AuditQuery {
    fn filter(&self) -> ApiResult<AuditFilter> {
        let outcome = non_empty(&self.outcome);
        if let Some(o) = &outcome
            && o != "success"
            && o != "failure"
        {
            return Err(ApiError::field("outcome", "结果只能是 success 或 failure"));
        }
        if let (Some(f), Some(t)) = (self.from, self.to)
            && f > t
        {
            return Err(ApiError::field("from", "开始时间不能晚于结束时间"));
        }
        Ok(AuditFilter {
            actor: non_empty(&self.actor),
            action: non_empty(&self.action),
            target_type: non_empty(&self.target_type),
            outcome,
            from: self.from,
            to: self.to,
            keyword: non_empty(&self.keyword),
        })
    }
}

fn entry(r: AuditRow) -> AuditEntry {
    AuditEntry {
        seq: r.seq,
        occurred_at: r.occurred_at,
        actor_id: r.actor_id,
        actor_name: r.actor_name,
        ip: r.ip,
        action: r.action,
        target_type: r.target_type,
        target_id: r.target_id,
        outcome: r.outcome,
        summary: r.summary,
        changes: if r.changes.is_empty() { None } else { serde_json::from_str(&r.changes).ok() },
    }
}

/// Audit entries, newest first.
#[utoipa::path(get, path = "/api/platform/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn list_audit(
    State(s): State<AppState>,
    _a: Authorized<perm::AuditView>,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<AuditPage>> {
    let page = PageRequest::new(q.page, q.page_size)?;
    let f = q.filter()?;
    let mut conn = s.db.conn().await?;
    let total = audit::count(&mut conn, s.db.backend(), &f).await?;
    let rows = audit::list(&mut conn, s.db.backend(), &f, page.page_size, page.offset()).await?;
    Ok(Json(AuditPage {
        items: rows.into_iter().map(entry).collect(),
        total,
        page: page.page,
        page_size: page.page_size,
    }))
}

#[utoipa::path(get, path = "/api/platform/audit/export", tag = "audit", params(AuditQuery),
    responses((status = 200, description = "xlsx file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = ApiErrorBody)))]
async fn export_audit(
    State(s): State<AppState>,
    auth: Authorized<perm::AuditExport>,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Response> {
    let f = q.filter()?;
    let rows = {
        let mut conn = s.db.conn().await?;
        audit::list(&mut conn, s.db.backend(), &f, xlsx::MAX_EXPORT_ROWS, 0).await?
    };
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.seq.to_string(),
                xlsx::format_ms(r.occurred_at),
                r.actor_name.clone(),
                r.ip.clone(),
                r.action.clone(),
                format!("{} {}", r.target_type, r.target_id),
                if r.outcome == "success" { "成功" } else { "失败" }.to_owned(),
                r.summary.clone(),
                r.changes.clone(),
            ]
        })
        .collect();
    let mut tx = s.db.begin().await?;
    audit::append(
        &mut tx,
        &auth.audit("audit.export", "audit_log", "", format!("导出审计日志 {} 条", table.len()), None),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    xlsx::export(
        "审计日志",
        "审计日志",
        &["序号", "时间", "操作人", "IP", "操作", "对象", "结果", "摘要", "变更"],
        &table,
    )
}

/// Walk the hash chain and report the first row that was edited, deleted or inserted behind the
/// application's back.
#[utoipa::path(post, path = "/api/platform/audit/verify", tag = "audit", responses((status = 200, body = AuditVerifyReport), (status = 403, body = ApiErrorBody)))]
async fn verify_audit(
    State(s): State<AppState>,
    auth: Authorized<perm::AuditVerify>,
) -> ApiResult<Json<AuditVerifyReport>> {
    let check = {
        let mut conn = s.db.conn().await?;
        audit::verify(&mut conn).await?
    };
    let report = AuditVerifyReport {
        ok: check.first_bad_seq.is_none(),
        checked: check.checked,
        first_bad_seq: check.first_bad_seq,
        message: check.reason.unwrap_or_else(|| format!("审计日志完整，共校验 {} 条记录", check.checked)),
    };
    let mut tx = s.db.begin().await?;
    let mut e = auth.audit("audit.verify", "audit_log", "", format!("完整性校验：{}", report.message), None);
    if !report.ok {
        e.outcome = "failure";
    }
    audit::append(&mut tx, &e).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(report))
}
