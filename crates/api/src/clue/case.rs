//! Cases (F12–F14): list with search and export, detail with timeline and the actions the user may
//! take, the task inbox, manual clue entry, the suspected-duplicate queue and the manual queues.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_domain::clue::intake as spec;
use xiezhi_domain::clue::workflow::{Definition, Effect};
use xiezhi_domain::page::PageRequest;
use xiezhi_domain::values::{mask, mask_name};
use xiezhi_storage::clue::case::{self as store, CaseFilter, InboxFilter};
use xiezhi_storage::clue::config;
use xiezhi_storage::query::ScopeFilter;
use xiezhi_storage::{Conn, audit};

use crate::auth::{Authorized, Principal, perm};
use crate::clue::engine::{self, ActionInput, Actor, CITY, Incoming, IntakeError, IntakeResult};
use crate::error::{ApiError, ApiErrorBody, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::{AppState, now_ms, xlsx};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_cases, create_case))
        .routes(routes!(export_cases))
        .routes(routes!(get_case))
        .routes(routes!(take_action))
        .routes(routes!(get_attachment))
        .routes(routes!(reveal_reporter))
        .routes(routes!(inbox))
        .routes(routes!(list_reviews))
        .routes(routes!(decide_review))
        .routes(routes!(queue_summary))
}

// ---- list ---------------------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseSummary {
    pub id: i64,
    pub case_no: String,
    pub title: String,
    pub address: String,
    pub region_code: String,
    pub region_name: String,
    pub county_name: String,
    pub category_name: String,
    pub major_name: Option<String>,
    pub case_type_name: String,
    pub severity_code: String,
    pub severity_name: String,
    pub severity_color: String,
    pub source_name: String,
    pub reported_at: i64,
    /// `active` 办理中, `suspended` 挂账, `closed` 已结案, `voided` 已作废, `merged` 已合并.
    pub status: String,
    pub activity: Option<String>,
    pub activity_name: Option<String>,
    pub tier: Option<String>,
    pub department_name: Option<String>,
    /// `auto`, `manual` or `pending` (待人工分级).
    pub grading: String,
    pub due_at: Option<i64>,
    /// Past due now (open) or a step finished late.
    pub overdue: bool,
    /// Open and past the warning point but not yet due (临期).
    pub warning: bool,
    pub clue_count: i64,
    pub returned_count: i64,
    pub extension_count: i64,
    pub rework_count: i64,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub updated_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CasePage {
    pub items: Vec<CaseSummary>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// Case number, title, description or address.
    pub q: Option<String>,
    /// Minor or major category.
    pub category_id: Option<i64>,
    pub case_type_id: Option<i64>,
    pub severity_id: Option<i64>,
    pub source_id: Option<i64>,
    /// County or township code (331100 = all).
    pub region_code: Option<String>,
    /// Responsible unit.
    pub department_id: Option<i64>,
    pub status: Option<String>,
    /// Current activity key (e.g. `handle`).
    pub activity: Option<String>,
    /// `auto`, `manual`, `pending`.
    pub grading: Option<String>,
    /// Reported from (ms).
    pub from: Option<i64>,
    /// Reported to (ms).
    pub to: Option<i64>,
    pub overdue: Option<bool>,
    pub returned: Option<bool>,
    pub extended: Option<bool>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// `reported_at`, `case_no`, `due_at`, `updated_at`, `status`.
    pub sort: Option<String>,
    /// `asc` or `desc` (default desc).
    pub order: Option<String>,
}

const STATUSES: &[&str] = &["active", "suspended", "closed", "voided", "merged"];

fn filter_of(q: &CaseQuery, now: i64) -> ApiResult<CaseFilter> {
    if let Some(s) = &q.status
        && !STATUSES.contains(&s.as_str())
    {
        return Err(ApiError::field("status", "状态不正确"));
    }
    if let Some(g) = &q.grading
        && !["auto", "manual", "pending"].contains(&g.as_str())
    {
        return Err(ApiError::field("grading", "分级方式不正确"));
    }
    if let Some(r) = &q.region_code
        && (![6, 9].contains(&r.len()) || !r.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(ApiError::field("region_code", "区划代码须为 6 或 9 位数字"));
    }
    if let Some(a) = &q.activity
        && (a.len() > 40 || !a.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'))
    {
        return Err(ApiError::field("activity", "环节标识不正确"));
    }
    if q.q.as_ref().is_some_and(|s| s.chars().count() > 100) {
        return Err(ApiError::field("q", "关键词不超过 100 个字符"));
    }
    Ok(CaseFilter {
        q: q.q.clone(),
        category_id: q.category_id,
        case_type_id: q.case_type_id,
        severity_id: q.severity_id,
        source_id: q.source_id,
        region_code: q.region_code.clone(),
        department_id: q.department_id,
        status: q.status.clone(),
        activity: q.activity.clone(),
        grading: q.grading.clone(),
        from: q.from,
        to: q.to,
        overdue: q.overdue,
        returned: q.returned,
        extended: q.extended,
        now,
    })
}

fn sort_of(q: &CaseQuery) -> ApiResult<(&'static str, bool)> {
    let col = match q.sort.as_deref() {
        None | Some("") => "c.reported_at",
        Some(s) => store::sort_column(s).ok_or_else(|| ApiError::field("sort", format!("不支持按 {s} 排序")))?,
    };
    let desc = match q.order.as_deref() {
        None | Some("desc") | Some("descending") => true,
        Some("asc") | Some("ascending") => false,
        Some(_) => return Err(ApiError::field("order", "排序方向只能是 asc 或 desc")),
    };
    Ok((col, desc))
}

fn summary_of(c: store::CaseRow, now: i64) -> CaseSummary {
    let open = matches!(c.status.as_str(), "active" | "suspended");
    let overdue_now = open && c.due_at.is_some_and(|d| d < now);
    CaseSummary {
        id: c.id,
        case_no: c.case_no,
        title: c.title,
        address: c.address,
        region_code: c.region_code,
        region_name: c.region_name,
        county_name: c.county_name,
        category_name: c.category_name,
        major_name: c.major_name,
        case_type_name: c.case_type_name,
        severity_code: c.severity_code,
        severity_name: c.severity_name,
        severity_color: c.severity_color,
        source_name: c.source_name,
        reported_at: c.reported_at,
        status: c.status,
        activity: c.activity,
        activity_name: c.activity_name,
        tier: c.tier,
        department_name: c.department_name,
        grading: c.grading,
        due_at: if open { c.due_at } else { None },
        overdue: overdue_now || c.overdue == 1,
        warning: open && !overdue_now && c.warn_at.is_some_and(|w| w < now),
        clue_count: c.clue_count,
        returned_count: c.returned_count,
        extension_count: c.extension_count,
        rework_count: c.rework_count,
        lon: c.lon,
        lat: c.lat,
        updated_at: c.updated_at,
    }
}

#[utoipa::path(get, path = "/api/clue/cases", tag = "clue", params(CaseQuery),
    responses((status = 200, body = CasePage), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn list_cases(
    State(s): State<AppState>,
    auth: Authorized<perm::CaseView>,
    Query(q): Query<CaseQuery>,
) -> ApiResult<Json<CasePage>> {
    let now = now_ms();
    let f = filter_of(&q, now)?;
    let sort = sort_of(&q)?;
    let page = PageRequest::new(q.page, q.page_size)?;
    let mut conn = s.db.conn().await?;
    let (total, rows) =
        store::list_cases(&mut conn, s.db.backend(), &f, &auth.scope(), sort, page.page_size, page.offset()).await?;
    Ok(Json(CasePage {
        items: rows.into_iter().map(|c| summary_of(c, now)).collect(),
        total,
        page: page.page,
        page_size: page.page_size,
    }))
}

fn status_label(s: &str) -> &'static str {
    match s {
        "active" => "办理中",
        "suspended" => "挂账",
        "closed" => "已结案",
        "voided" => "已作废",
        "merged" => "已合并",
        _ => "",
    }
}

/// Excel export of the filtered list (at most 100,000 rows).
#[utoipa::path(get, path = "/api/clue/cases/export", tag = "clue", params(CaseQuery),
    responses((status = 200, description = "xlsx file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn export_cases(
    State(s): State<AppState>,
    auth: Authorized<perm::CaseExport>,
    Query(q): Query<CaseQuery>,
) -> ApiResult<Response> {
    let now = now_ms();
    let f = filter_of(&q, now)?;
    let sort = sort_of(&q)?;
    let mut conn = s.db.conn().await?;
    let (total, rows) =
        store::list_cases(&mut conn, s.db.backend(), &f, &auth.scope(), sort, xlsx::MAX_EXPORT_ROWS, 0).await?;
    if total > xlsx::MAX_EXPORT_ROWS {
        return Err(ApiError::field(
            "q",
            format!("符合条件的案件有 {total} 条，超过单次导出上限 {}，请缩小范围", xlsx::MAX_EXPORT_ROWS),
        ));
    }
    let data: Vec<Vec<String>> = rows
        .into_iter()
        .map(|c| {
            let c = summary_of(c, now);
            vec![
                c.case_no,
                c.title,
                c.county_name,
                c.region_name,
                c.address,
                format!("{}/{}", c.major_name.unwrap_or_default(), c.category_name),
                c.case_type_name,
                c.severity_name,
                c.source_name,
                xlsx::format_ms(c.reported_at),
                status_label(&c.status).to_owned(),
                c.activity_name.unwrap_or_default(),
                c.department_name.unwrap_or_default(),
                c.due_at.map(xlsx::format_ms).unwrap_or_default(),
                if c.overdue { "是" } else { "否" }.to_owned(),
                c.clue_count.to_string(),
            ]
        })
        .collect();
    let mut tx = s.db.begin().await?;
    audit::append(&mut tx, &auth.audit("case.export", "case", "", format!("导出案件列表 {} 条", data.len()), None))
        .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    xlsx::export(
        "案件列表",
        "案件",
        &[
            "事件号",
            "标题",
            "县（市、区）",
            "乡镇（街道）",
            "地址",
            "分类",
            "类型",
            "紧急程度",
            "来源",
            "上报时间",
            "状态",
            "当前环节",
            "责任单位",
            "办理时限",
            "超期",
            "线索数",
        ],
        &data,
    )
}

// ---- detail -------------------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct ClueView {
    pub id: i64,
    pub source_name: String,
    pub source_clue_id: String,
    /// `new`, `merged`, `suspected`.
    pub dedup: String,
    pub dedup_score: Option<f64>,
    pub received_at: i64,
    pub reported_at: i64,
    pub description: String,
    pub address: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub coord_system: Option<String>,
    pub category_name: String,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub reporter_id_number: Option<String>,
    pub subject_type: Option<String>,
    pub subject_name: Option<String>,
    pub subject_code: Option<String>,
    /// The payload exactly as the source sent it, with reporter fields masked.
    #[schema(value_type = Object)]
    pub raw_payload: Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    pub id: i64,
    pub at: i64,
    pub actor_name: String,
    pub action: String,
    pub action_name: String,
    pub from_activity: Option<String>,
    pub to_activity: Option<String>,
    pub to_name: Option<String>,
    pub comment: String,
    #[schema(value_type = Object)]
    pub data: Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskView {
    pub id: i64,
    pub activity: String,
    pub activity_name: String,
    pub department_name: Option<String>,
    pub permission: Option<String>,
    pub status: String,
    pub created_at: i64,
    pub due_at: Option<i64>,
    pub warn_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub completed_by_name: Option<String>,
    pub action: Option<String>,
    pub overdue: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentView {
    pub clue_id: i64,
    pub sha256: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewView {
    pub id: i64,
    pub clue_id: i64,
    pub case_id: i64,
    pub case_no: String,
    pub case_title: String,
    pub case_description: String,
    pub case_address: String,
    pub case_reported_at: i64,
    pub candidate_case_id: i64,
    pub candidate_no: String,
    pub candidate_title: String,
    pub candidate_description: String,
    pub candidate_address: String,
    pub candidate_reported_at: i64,
    pub candidate_status: String,
    pub score: f64,
    /// `pending`, `merged`, `separate`.
    pub status: String,
    pub created_at: i64,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<i64>,
}

/// An action the current user may take now.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionView {
    pub action: String,
    pub label: String,
    pub comment_required: bool,
    /// `choose_unit` (pick the unit), `request_extension` (give hours), `return`, `approve_extension`, `rework`.
    pub effect: Option<Effect>,
    pub to_name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDetail {
    pub case: CaseSummary,
    pub description: String,
    pub occurred_at: Option<i64>,
    pub department_id: Option<i64>,
    pub time_limit_hours: Option<i64>,
    pub workflow_name: String,
    pub workflow_version: i64,
    pub merged_into: Option<i64>,
    pub merged_into_no: Option<String>,
    pub subject_type: Option<String>,
    pub subject_name: Option<String>,
    pub subject_code: Option<String>,
    pub closed_at: Option<i64>,
    pub clues: Vec<ClueView>,
    pub events: Vec<EventView>,
    pub tasks: Vec<TaskView>,
    pub reviews: Vec<ReviewView>,
    pub attachments: Vec<AttachmentView>,
    /// Actions the current user may take on the open task.
    pub actions: Vec<ActionView>,
    /// The workflow version the case is pinned to (for the diagram).
    pub definition: Definition,
    /// Whether the user may see reporter identity in full.
    pub can_reveal: bool,
}

fn review_of(r: store::ReviewRow) -> ReviewView {
    ReviewView {
        id: r.id,
        clue_id: r.clue_id,
        case_id: r.case_id,
        case_no: r.case_no,
        case_title: r.case_title,
        case_description: r.case_description,
        case_address: r.case_address,
        case_reported_at: r.case_reported_at,
        candidate_case_id: r.candidate_case_id,
        candidate_no: r.candidate_no,
        candidate_title: r.candidate_title,
        candidate_description: r.candidate_description,
        candidate_address: r.candidate_address,
        candidate_reported_at: r.candidate_reported_at,
        candidate_status: r.candidate_status,
        score: r.score,
        status: r.status,
        created_at: r.created_at,
        decided_by_name: r.decided_by_name,
        decided_at: r.decided_at,
    }
}

/// Decrypt and mask (or not) the reporter fields of a clue.
fn reporter(s: &AppState, c: &store::ClueRow, full: bool) -> (Option<String>, Option<String>, Option<String>) {
    let dec = |v: &Option<String>| v.as_ref().and_then(|e| s.cipher.decrypt(e).ok());
    let (n, p, i) = (dec(&c.reporter_name_enc), dec(&c.reporter_phone_enc), dec(&c.reporter_id_enc));
    if full { (n, p, i) } else { (n.map(|v| mask_name(&v)), p.map(|v| mask(&v, 3, 4)), i.map(|v| mask(&v, 6, 4))) }
}

/// The raw payload with reporter identity masked (the stored payload itself is never shown in full
/// here; the reveal action shows the decrypted fields).
fn masked_payload(raw: &str) -> Value {
    let mut v: Value = serde_json::from_str(raw).unwrap_or(Value::Null);
    let mask_value = |x: &mut Value, head: usize, tail: usize| {
        if let Value::String(s) = x {
            *s = mask(s, head, tail);
        }
    };
    if let Some(r) = v.get_mut("reporter").and_then(Value::as_object_mut) {
        if let Some(Value::String(s)) = r.get_mut("name") {
            *s = mask_name(s);
        }
        if let Some(x) = r.get_mut("phone") {
            mask_value(x, 3, 4);
        }
        if let Some(x) = r.get_mut("id_number") {
            mask_value(x, 6, 4);
        }
    }
    if let Some(x) = v.pointer_mut("/subject/id_number") {
        mask_value(x, 6, 4);
    }
    // Mapped sources may carry reporter data under their own names: mask every 11-digit or
    // 18-character value that looks like a phone or ID number at the top level.
    if let Some(o) = v.as_object_mut() {
        for (_, x) in o.iter_mut() {
            if let Value::String(s) = x {
                let digits = s.chars().filter(char::is_ascii_digit).count();
                if (digits == 11 && s.len() <= 13) || (s.len() == 18 && digits >= 17) {
                    *s = mask(s, 3, 4);
                }
            }
        }
    }
    if let Some(list) = v.get_mut("attachments").and_then(Value::as_array_mut) {
        for a in list {
            if let Some(d) = a.get_mut("data") {
                *d = Value::String("（附件内容见附件列表）".into());
            }
        }
    }
    v
}

/// May the user act on this task?
pub fn may_act(user: &Principal, task: &store::TaskRow) -> bool {
    let handle = user.has("clue:case:handle") || user.has("clue:case:dispatch");
    match (task.department_id, &task.permission) {
        (Some(d), _) => handle && user.department_id == d,
        (None, Some(p)) => {
            user.has(p)
                && match user.scope() {
                    ScopeFilter::All => true,
                    ScopeFilter::Region(code) => code == CITY || task.region_code.starts_with(&code),
                    ScopeFilter::Department(_) | ScopeFilter::Own(_) => false,
                }
        }
        (None, None) => false,
    }
}

pub(crate) async fn ensure_visible(conn: &mut Conn, user: &Principal, id: i64) -> ApiResult<()> {
    if store::visible(conn, id, &user.scope(), user.id, user.department_id).await? {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

async fn detail(s: &AppState, conn: &mut Conn, user: &Principal, id: i64) -> ApiResult<CaseDetail> {
    let now = now_ms();
    let row = store::case_row(conn, id).await?;
    let clues = store::clues_of(conn, id).await?;
    let events = store::events_of(conn, id).await?;
    let tasks = store::tasks_of(conn, id).await?;
    let reviews = store::reviews_of(conn, id).await?;
    let attachments = store::attachments_of(conn, id).await?;
    let def = s.clue.definition(conn, row.workflow_version_id).await?;
    let mut actions = Vec::new();
    if let Some(t) = tasks.iter().rev().find(|t| t.status == "open")
        && may_act(user, t)
    {
        let state = store::case_state(conn, id).await?;
        let pending_review = reviews.iter().any(|r| r.case_id == id && r.status == "pending");
        for tr in def.actions(&t.activity, &engine::facts_of(&state)) {
            // A suspected duplicate is accepted through the review, not by a bare 受理.
            if pending_review && tr.action == "accept" {
                continue;
            }
            actions.push(ActionView {
                action: tr.action.clone(),
                label: tr.label.clone(),
                comment_required: tr.comment_required,
                effect: tr.effect,
                to_name: def.activity(&tr.to).map(|a| a.name.clone()),
            });
        }
    }
    let full = false;
    Ok(CaseDetail {
        description: row.description.clone(),
        occurred_at: row.occurred_at,
        department_id: row.department_id,
        time_limit_hours: row.time_limit_hours,
        workflow_name: row.workflow_name.clone(),
        workflow_version: row.workflow_version,
        merged_into: row.merged_into,
        merged_into_no: row.merged_into_no.clone(),
        subject_type: row.subject_type.clone(),
        subject_name: row.subject_name.clone(),
        subject_code: row.subject_code.clone(),
        closed_at: row.closed_at,
        case: summary_of(row, now),
        clues: clues
            .into_iter()
            .map(|c| {
                let (n, p, i) = reporter(s, &c, full);
                ClueView {
                    id: c.id,
                    source_name: c.source_name,
                    source_clue_id: c.source_clue_id,
                    dedup: c.dedup,
                    dedup_score: c.dedup_score,
                    received_at: c.received_at,
                    reported_at: c.reported_at,
                    description: c.description,
                    address: c.address,
                    lon: c.lon,
                    lat: c.lat,
                    coord_system: c.coord_system,
                    category_name: c.category_name,
                    reporter_name: n,
                    reporter_phone: p,
                    reporter_id_number: i,
                    subject_type: c.subject_type,
                    subject_name: c.subject_name,
                    subject_code: c.subject_code,
                    raw_payload: masked_payload(&c.raw_payload),
                }
            })
            .collect(),
        events: events
            .into_iter()
            .map(|e| EventView {
                id: e.id,
                at: e.at,
                actor_name: e.actor_name,
                action: e.action,
                action_name: e.action_name,
                from_activity: e.from_activity,
                to_activity: e.to_activity,
                to_name: e.to_name,
                comment: e.comment,
                data: serde_json::from_str(&e.data).unwrap_or(Value::Null),
            })
            .collect(),
        tasks: tasks
            .into_iter()
            .map(|t| TaskView {
                overdue: t.overdue == 1 || (t.status == "open" && t.due_at.is_some_and(|d| d < now)),
                id: t.id,
                activity: t.activity,
                activity_name: t.activity_name,
                department_name: t.department_name,
                permission: t.permission,
                status: t.status,
                created_at: t.created_at,
                due_at: t.due_at,
                warn_at: t.warn_at,
                completed_at: t.completed_at,
                completed_by_name: t.completed_by_name,
                action: t.action,
            })
            .collect(),
        reviews: reviews.into_iter().map(review_of).collect(),
        attachments: attachments
            .into_iter()
            .map(|a| AttachmentView {
                clue_id: a.clue_id,
                sha256: a.sha256,
                name: a.name,
                content_type: a.content_type,
                size: a.size,
            })
            .collect(),
        actions,
        definition: (*def).clone(),
        can_reveal: user.has("clue:case:reveal"),
    })
}

#[utoipa::path(get, path = "/api/clue/cases/{id}", tag = "clue", params(("id" = i64, Path, description = "case id")),
    responses((status = 200, body = CaseDetail), (status = 404, body = ApiErrorBody)))]
async fn get_case(
    State(s): State<AppState>,
    auth: Authorized<perm::CaseView>,
    Path(id): Path<i64>,
) -> ApiResult<Json<CaseDetail>> {
    let mut conn = s.db.conn().await?;
    ensure_visible(&mut conn, &auth, id).await?;
    Ok(Json(detail(&s, &mut conn, &auth, id).await?))
}

#[utoipa::path(post, path = "/api/clue/cases/{id}/actions", tag = "clue", request_body = ActionInput,
    params(("id" = i64, Path, description = "case id")),
    responses((status = 200, body = CaseDetail), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn take_action(
    State(s): State<AppState>,
    auth: Authorized<perm::CaseView>,
    Path(id): Path<i64>,
    Json(input): Json<ActionInput>,
) -> ApiResult<Json<CaseDetail>> {
    let now = now_ms();
    let mut tx = s.db.begin().await?;
    ensure_visible(&mut tx, &auth, id).await?;
    let task = store::open_task(&mut tx, id).await?.ok_or_else(|| ApiError::Conflict {
        code: "no_open_task",
        message: "该案件当前没有待办环节".into(),
        field: None,
    })?;
    if !may_act(&auth, &task) {
        return Err(ApiError::Forbidden("clue:case:handle".into()));
    }
    if input.action == "accept"
        && store::reviews_of(&mut tx, id).await?.iter().any(|r| r.case_id == id && r.status == "pending")
    {
        return Err(ApiError::field("action", "该案件疑似重复，请在疑似重复审核中判定"));
    }
    let actor = Actor { user_id: Some(auth.id), name: auth.display_name.clone(), ip: auth.meta.ip.clone() };
    let case_no = store::case_row(&mut tx, id).await?.case_no;
    let label = engine::act(&s.clue, &mut tx, id, &input, &actor, now).await?;
    audit::append(
        &mut tx,
        &auth.audit("case.action", "case", id, format!("案件 {case_no}：{label}（{}）", task.activity_name), None),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    let mut conn = s.db.conn().await?;
    Ok(Json(detail(&s, &mut conn, &auth, id).await?))
}

#[utoipa::path(get, path = "/api/clue/cases/{id}/attachments/{sha256}", tag = "clue",
    params(("id" = i64, Path, description = "case id"), ("sha256" = String, Path, description = "content hash")),
    responses((status = 200, description = "the file"), (status = 404, body = ApiErrorBody)))]
async fn get_attachment(
    State(s): State<AppState>,
    auth: Authorized<perm::CaseView>,
    Path((id, sha)): Path<(i64, String)>,
) -> ApiResult<Response> {
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::NotFound);
    }
    let mut conn = s.db.conn().await?;
    ensure_visible(&mut conn, &auth, id).await?;
    let a = store::attachment_in_case(&mut conn, id, &sha).await?.ok_or(ApiError::NotFound)?;
    let bytes = s.clue.attachments().get(&sha).await?;
    Ok(([(header::CONTENT_TYPE, a.content_type), (header::CACHE_CONTROL, "private, max-age=86400".into())], bytes)
        .into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Reporter {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
}

/// Show a clue's reporter identity in full (audited).
#[utoipa::path(post, path = "/api/clue/cases/{id}/clues/{clue_id}/reveal", tag = "clue",
    params(("id" = i64, Path, description = "case id"), ("clue_id" = i64, Path, description = "clue id")),
    responses((status = 200, body = Reporter), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
async fn reveal_reporter(
    State(s): State<AppState>,
    auth: Authorized<perm::CaseReveal>,
    Path((id, clue_id)): Path<(i64, i64)>,
) -> ApiResult<Json<Reporter>> {
    let mut tx = s.db.begin().await?;
    ensure_visible(&mut tx, &auth, id).await?;
    let c = store::clue(&mut tx, clue_id).await?;
    if c.case_id != id {
        return Err(ApiError::NotFound);
    }
    let (name, phone, id_number) = reporter(&s, &c, true);
    audit::append(
        &mut tx,
        &auth.audit("case.reveal", "clue", clue_id, format!("查看线索 {} 的举报人完整信息", c.source_clue_id), None),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(Reporter { name, phone, id_number }))
}

// ---- manual entry ----------------------------------------------------------------------------------

/// Staff enter a clue by hand (phone call, walk-in, inspection); it goes through the same intake as
/// pushed clues, under the `manual` source.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ManualClueInput {
    pub description: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    /// WGS84 (picked on the map).
    #[serde(default)]
    pub longitude: Option<f64>,
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub region_code: Option<String>,
    pub category_code: String,
    #[serde(default)]
    pub case_type_code: Option<String>,
    #[serde(default)]
    pub severity_code: Option<String>,
    /// Unix ms; default now.
    #[serde(default)]
    pub occurred_at: Option<i64>,
    #[serde(default)]
    pub reporter_name: Option<String>,
    #[serde(default)]
    pub reporter_phone: Option<String>,
    #[serde(default)]
    pub subject_type: Option<String>,
    #[serde(default)]
    pub subject_name: Option<String>,
    #[serde(default)]
    pub subject_credit_code: Option<String>,
}

#[utoipa::path(post, path = "/api/clue/cases", tag = "clue", request_body = ManualClueInput,
    responses((status = 201, body = IntakeResult), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_case(
    State(s): State<AppState>,
    auth: Authorized<perm::CaseCreate>,
    Json(input): Json<ManualClueInput>,
) -> ApiResult<(StatusCode, Json<IntakeResult>)> {
    let now = now_ms();
    let mut raw = serde_json::Map::new();
    let id = format!("M{}-{}", now, hex::encode(rand::random::<[u8; 3]>()));
    raw.insert("source_clue_id".into(), id.into());
    raw.insert("reported_at".into(), spec::format_time(now).into());
    if let Some(t) = input.occurred_at {
        raw.insert("occurred_at".into(), spec::format_time(t).into());
    }
    raw.insert("description".into(), input.description.clone().into());
    raw.insert("category_code".into(), input.category_code.clone().into());
    for (k, v) in [
        ("title", &input.title),
        ("address", &input.address),
        ("region_code", &input.region_code),
        ("case_type_code", &input.case_type_code),
        ("severity_code", &input.severity_code),
    ] {
        if let Some(v) = v.as_ref().filter(|v| !v.trim().is_empty()) {
            raw.insert(k.into(), v.clone().into());
        }
    }
    if let (Some(lon), Some(lat)) = (input.longitude, input.latitude) {
        raw.insert(
            "location".into(),
            serde_json::json!({ "longitude": lon, "latitude": lat, "coord_system": "wgs84" }),
        );
    }
    let mut reporter = serde_json::Map::new();
    for (k, v) in [("name", &input.reporter_name), ("phone", &input.reporter_phone)] {
        if let Some(v) = v.as_ref().filter(|v| !v.trim().is_empty()) {
            reporter.insert(k.into(), v.clone().into());
        }
    }
    if !reporter.is_empty() {
        raw.insert("reporter".into(), Value::Object(reporter));
    }
    if let Some(t) = input.subject_type.as_ref().filter(|t| !t.is_empty()) {
        let mut subject = serde_json::Map::new();
        subject.insert("type".into(), t.clone().into());
        if let Some(n) = input.subject_name.as_ref().filter(|v| !v.trim().is_empty()) {
            subject.insert("name".into(), n.clone().into());
        }
        if let Some(c) = input.subject_credit_code.as_ref().filter(|v| !v.trim().is_empty()) {
            subject.insert("credit_code".into(), c.clone().into());
        }
        raw.insert("subject".into(), Value::Object(subject));
    }
    let raw = Value::Object(raw);
    let mut tx = s.db.begin().await?;
    let source = match config::sources(&mut tx).await?.into_iter().find(|s| s.kind == "manual" && s.enabled == 1) {
        Some(src) => src,
        None => {
            return Err(ApiError::Conflict {
                code: "no_manual_source",
                message: "请先在“线索来源”中登记一个类型为“人工录入”的来源".into(),
                field: None,
            });
        }
    };
    // Manual entry has no mapping; validate the platform fields directly.
    let clue = spec::parse(&raw, now).map_err(|errs| {
        ApiError::Validation(
            errs.into_iter()
                .map(|mut e| {
                    let renamed = match e.field.as_ref() {
                        "location" | "location.longitude" => Some("longitude"),
                        "location.latitude" => Some("latitude"),
                        "reporter.phone" => Some("reporter_phone"),
                        "reporter.name" => Some("reporter_name"),
                        "subject.credit_code" => Some("subject_credit_code"),
                        "subject.type" => Some("subject_type"),
                        "subject.name" => Some("subject_name"),
                        _ => None,
                    };
                    if let Some(f) = renamed {
                        e.field = f.into();
                    }
                    e
                })
                .collect(),
        )
    })?;
    let actor = Actor { user_id: Some(auth.id), name: auth.display_name.clone(), ip: auth.meta.ip.clone() };
    let inc = Incoming {
        source: &source,
        payload: &spec::Payload::of(&raw),
        ahead: None,
        rules: None,
        group: None,
        new_id: false,
        actor: &actor,
        now,
        registered_at: now,
    };
    let result = engine::intake(&s.clue, &s.cipher, &mut tx, &inc, &clue).await.map_err(|e| match e {
        IntakeError::Invalid(errs) => ApiError::Validation(errs),
        IntakeError::Conflict => ApiError::internal("manual clue id collision"),
        IntakeError::Api(e) => e,
    })?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(result)))
}

// ---- inbox -----------------------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct InboxItem {
    pub task_id: i64,
    pub activity: String,
    pub activity_name: String,
    pub unit_name: Option<String>,
    pub created_at: i64,
    pub due_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub action: Option<String>,
    pub overdue: bool,
    pub warning: bool,
    pub case_id: i64,
    pub case_no: String,
    pub title: String,
    pub address: String,
    pub region_name: String,
    pub category_name: String,
    pub severity_name: String,
    pub severity_color: String,
    pub status: String,
    pub reported_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InboxPage {
    pub items: Vec<InboxItem>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// `todo` (待办, default) or `done` (已办).
    #[serde(rename = "box")]
    pub box_: Option<String>,
    pub q: Option<String>,
    pub activity: Option<String>,
    pub overdue: Option<bool>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[utoipa::path(get, path = "/api/clue/inbox", tag = "clue", params(InboxQuery),
    responses((status = 200, body = InboxPage), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn inbox(
    State(s): State<AppState>,
    auth: Authorized<perm::CaseView>,
    Query(q): Query<InboxQuery>,
) -> ApiResult<Json<InboxPage>> {
    let done = match q.box_.as_deref() {
        None | Some("todo") => false,
        Some("done") => true,
        Some(_) => return Err(ApiError::field("box", "只能是 todo 或 done")),
    };
    if q.q.as_ref().is_some_and(|s| s.chars().count() > 100) {
        return Err(ApiError::field("q", "关键词不超过 100 个字符"));
    }
    let page = PageRequest::new(q.page, q.page_size)?;
    let now = now_ms();
    let perms: Vec<String> = auth.permissions.iter().filter(|p| p.starts_with("clue:case:")).cloned().collect();
    let f = InboxFilter { done, q: q.q.clone(), activity: q.activity.clone(), overdue: q.overdue, now };
    let mut conn = s.db.conn().await?;
    let (total, rows) = store::inbox(
        &mut conn,
        s.db.backend(),
        auth.id,
        auth.department_id,
        &perms,
        &auth.scope(),
        &f,
        page.page_size,
        page.offset(),
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let open = r.completed_at.is_none();
            let overdue = if open { r.due_at.is_some_and(|d| d < now) } else { r.task_overdue == 1 };
            InboxItem {
                warning: open && !overdue && r.warn_at.is_some_and(|w| w < now),
                overdue,
                task_id: r.task_id,
                activity: r.activity,
                activity_name: r.activity_name,
                unit_name: r.task_department_name,
                created_at: r.created_at,
                due_at: r.due_at,
                completed_at: r.completed_at,
                action: r.action,
                case_id: r.case_id,
                case_no: r.case_no,
                title: r.title,
                address: r.address,
                region_name: r.region_name,
                category_name: r.category_name,
                severity_name: r.severity_name,
                severity_color: r.severity_color,
                status: r.status,
                reported_at: r.reported_at,
            }
        })
        .collect();
    Ok(Json(InboxPage { items, total, page: page.page, page_size: page.page_size }))
}

// ---- suspected duplicates and manual queues ------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewPage {
    pub items: Vec<ReviewView>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    /// `pending` (default), `merged`, `separate` or `all`.
    pub status: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[utoipa::path(get, path = "/api/clue/reviews", tag = "clue", params(ReviewQuery),
    responses((status = 200, body = ReviewPage), (status = 403, body = ApiErrorBody)))]
async fn list_reviews(
    State(s): State<AppState>,
    auth: Authorized<perm::CaseDispatch>,
    Query(q): Query<ReviewQuery>,
) -> ApiResult<Json<ReviewPage>> {
    let status = match q.status.as_deref() {
        None | Some("pending") => Some("pending"),
        Some("merged") => Some("merged"),
        Some("separate") => Some("separate"),
        Some("all") => None,
        Some(_) => return Err(ApiError::field("status", "状态只能是 pending、merged、separate 或 all")),
    };
    let page = PageRequest::new(q.page, q.page_size)?;
    let mut conn = s.db.conn().await?;
    let (total, rows) = store::reviews(&mut conn, status, &auth.scope(), page.page_size, page.offset()).await?;
    Ok(Json(ReviewPage {
        items: rows.into_iter().map(review_of).collect(),
        total,
        page: page.page,
        page_size: page.page_size,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewDecision {
    /// true: the same problem, merge into the earlier case; false: keep separate.
    pub merge: bool,
}

#[utoipa::path(post, path = "/api/clue/reviews/{id}/decision", tag = "clue", request_body = ReviewDecision,
    params(("id" = i64, Path, description = "review id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn decide_review(
    State(s): State<AppState>,
    auth: Authorized<perm::CaseDispatch>,
    Path(id): Path<i64>,
    Json(d): Json<ReviewDecision>,
) -> ApiResult<StatusCode> {
    let mut tx = s.db.begin().await?;
    let r = store::review(&mut tx, id).await?;
    ensure_visible(&mut tx, &auth, r.case_id).await?;
    let actor = Actor { user_id: Some(auth.id), name: auth.display_name.clone(), ip: auth.meta.ip.clone() };
    engine::decide_review(&s.clue, &mut tx, id, d.merge, &actor, now_ms()).await?;
    let (action, text) = if d.merge {
        ("case.merge", format!("判定案件 {} 与 {} 重复并合并", r.case_no, r.candidate_no))
    } else {
        ("case.keep_separate", format!("判定案件 {} 与 {} 不重复", r.case_no, r.candidate_no))
    };
    audit::append(&mut tx, &auth.audit(action, "case", r.case_id, text, None)).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueueSummary {
    /// Waiting for filing review (立案审理).
    pub filing: i64,
    /// Suspected duplicates to decide.
    pub suspected: i64,
    /// Returned by a unit, waiting for re-dispatch.
    pub returned: i64,
    /// No rule could grade them: a dispatcher picks the unit.
    pub ungraded: i64,
    /// Extension requests to approve.
    pub extension: i64,
    /// Open cases past due.
    pub overdue: i64,
}

#[utoipa::path(get, path = "/api/clue/queues", tag = "clue",
    responses((status = 200, body = QueueSummary), (status = 403, body = ApiErrorBody)))]
async fn queue_summary(
    State(s): State<AppState>,
    auth: Authorized<perm::CaseDispatch>,
) -> ApiResult<Json<QueueSummary>> {
    let now = now_ms();
    let scope = auth.scope();
    let mut conn = s.db.conn().await?;
    let mut out = Vec::new();
    for f in [
        CaseFilter { status: Some("active".into()), activity: Some("file".into()), now, ..Default::default() },
        CaseFilter {
            status: Some("active".into()),
            activity: Some("dispatch".into()),
            returned: Some(true),
            now,
            ..Default::default()
        },
        CaseFilter {
            status: Some("active".into()),
            activity: Some("dispatch".into()),
            grading: Some("pending".into()),
            returned: Some(false),
            now,
            ..Default::default()
        },
        CaseFilter { status: Some("active".into()), activity: Some("extension".into()), now, ..Default::default() },
    ] {
        out.push(store::list_cases(&mut conn, s.db.backend(), &f, &scope, ("c.id", true), 0, 0).await?.0);
    }
    let overdue = store::list_cases(
        &mut conn,
        s.db.backend(),
        &CaseFilter { status: Some("active".into()), overdue: Some(true), now, ..Default::default() },
        &scope,
        ("c.id", true),
        0,
        0,
    )
    .await?
    .0;
    let (suspected, _) = store::reviews(&mut conn, Some("pending"), &scope, 0, 0).await?;
    Ok(Json(QueueSummary { filing: out[0], suspected, returned: out[1], ungraded: out[2], extension: out[3], overdue }))
}
