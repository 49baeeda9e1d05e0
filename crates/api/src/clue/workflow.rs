//! Workflow definitions (F12) with versions, the working-day calendar and grading rules (F13):
//! configuration edited in the UI, each change audited. A new version never changes cases that
//! started on an earlier one.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_domain::FieldError;
use xiezhi_domain::clue::calendar::{self, Calendar};
use xiezhi_domain::clue::grading::GradingConditions;
use xiezhi_domain::clue::workflow::{Clause, Definition};
use xiezhi_domain::values::{code, display_text, optional_text};
use xiezhi_storage::clue::workflow as store;
use xiezhi_storage::platform::department;
use xiezhi_storage::{Conn, StorageResult, audit};

use crate::auth::{Authorized, perm};
use crate::error::{ApiError, ApiErrorBody, ApiResult, Validator};
use crate::extract::{Json, Path, Query};
use crate::platform::flag;
use crate::{AppState, now_ms};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_workflows, create_workflow))
        .routes(routes!(get_workflow, update_workflow))
        .routes(routes!(validate_definition))
        .routes(routes!(get_calendar, update_calendar))
        .routes(routes!(set_calendar_day))
        .routes(routes!(list_grading_rules, create_grading_rule))
        .routes(routes!(update_grading_rule, delete_grading_rule))
}

/// The default process, created when no workflow exists.
pub const DEFAULT_DEFINITION: &str = include_str!("../../../domain/src/clue/default_workflow.json");

/// Create the default workflow on an empty installation.
pub async fn ensure_default(tx: &mut Conn, now: i64) -> StorageResult<()> {
    if store::count_workflows(tx).await? > 0 {
        return Ok(());
    }
    let w = store::WorkflowWrite {
        code: "standard".into(),
        name: "标准处置流程".into(),
        description: "受理 → 立案审理 → 派遣 → 处置 → 反馈 → 核查 → 结案，含退回、延期审批、挂账、返工、作废".into(),
        priority: 100,
        conditions: "[]".into(),
        enabled: true,
    };
    store::insert_workflow(tx, &w, DEFAULT_DEFINITION, "system", now).await?;
    Ok(())
}

// ---- workflows ------------------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct Workflow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: String,
    /// Lower first: the first enabled workflow whose conditions hold handles a new case.
    pub priority: i64,
    /// Which new cases this workflow takes (empty: all).
    pub conditions: Vec<Clause>,
    pub enabled: bool,
    pub current_version: i64,
    pub case_count: i64,
    pub updated_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkflowVersion {
    pub id: i64,
    pub version: i64,
    pub note: String,
    pub created_by: String,
    pub created_at: i64,
    /// Cases pinned to this version.
    pub case_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkflowDetail {
    pub workflow: Workflow,
    /// The definition of the current version.
    pub definition: Definition,
    pub versions: Vec<WorkflowVersion>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowInput {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub priority: i64,
    #[serde(default)]
    pub conditions: Vec<Clause>,
    pub enabled: bool,
    /// A new definition publishes a new version; omit to change only the header.
    #[serde(default)]
    pub definition: Option<Definition>,
    /// What changed (shown in the version list).
    #[serde(default)]
    pub note: String,
    /// The version the editor started from; a newer published version answers 409 instead of
    /// being overwritten.
    #[serde(default)]
    pub expected_version: Option<i64>,
}

fn workflow_of(r: store::WorkflowRow) -> Workflow {
    Workflow {
        id: r.id,
        code: r.code,
        name: r.name,
        description: r.description,
        priority: r.priority,
        conditions: serde_json::from_str(&r.conditions).unwrap_or_default(),
        enabled: flag(r.enabled),
        current_version: r.current_version,
        case_count: r.case_count,
        updated_at: r.updated_at,
    }
}

fn version_of(v: &store::VersionRow) -> WorkflowVersion {
    WorkflowVersion {
        id: v.id,
        version: v.version,
        note: v.note.clone(),
        created_by: v.created_by.clone(),
        created_at: v.created_at,
        case_count: v.case_count,
    }
}

async fn check_definition(tx: &mut Conn, d: &Definition) -> ApiResult<()> {
    d.validate().map_err(ApiError::Validation)?;
    for a in &d.activities {
        if let Some(xiezhi_domain::clue::workflow::Assignee::Department { department_id }) = &a.assignee
            && department::get(tx, *department_id).await.is_err()
        {
            return Err(ApiError::field("activities", format!("节点“{}”指定的部门不存在", a.name)));
        }
    }
    Ok(())
}

fn parse_header(input: &WorkflowInput) -> ApiResult<store::WorkflowWrite> {
    let mut v = Validator::new();
    let c = v.check(code("code", &input.code));
    let n = v.check(display_text("name", &input.name, 40));
    let d = v.check(optional_text("description", &input.description, 500));
    if !(0..=10_000).contains(&input.priority) {
        v.push(FieldError::new("priority", "优先级须在 0–10000 之间"));
    }
    if input.conditions.iter().any(|c| c.values.is_empty()) {
        v.push(FieldError::new("conditions", "条件须至少有一个取值"));
    }
    v.finish()?;
    Ok(store::WorkflowWrite {
        code: c.unwrap_or_default(),
        name: n.unwrap_or_default(),
        description: d.unwrap_or_default(),
        priority: input.priority,
        conditions: serde_json::to_string(&input.conditions).map_err(ApiError::internal)?,
        enabled: input.enabled,
    })
}

#[utoipa::path(get, path = "/api/clue/workflows", tag = "clue", responses((status = 200, body = Vec<Workflow>), (status = 403, body = ApiErrorBody)))]
async fn list_workflows(
    State(s): State<AppState>,
    _a: Authorized<perm::ClueConfigView>,
) -> ApiResult<Json<Vec<Workflow>>> {
    let mut conn = s.db.conn().await?;
    Ok(Json(store::workflows(&mut conn).await?.into_iter().map(workflow_of).collect()))
}

async fn detail(conn: &mut Conn, id: i64) -> ApiResult<WorkflowDetail> {
    let w = store::workflow(conn, id).await?;
    let versions = store::versions(conn, id).await?;
    let current = store::version(conn, w.version_id).await?;
    let definition = serde_json::from_str(&current.definition).map_err(ApiError::internal)?;
    Ok(WorkflowDetail { workflow: workflow_of(w), definition, versions: versions.iter().map(version_of).collect() })
}

#[utoipa::path(get, path = "/api/clue/workflows/{id}", tag = "clue", params(("id" = i64, Path, description = "workflow id"),
    ("version" = Option<i64>, Query, description = "a version number instead of the current one")),
    responses((status = 200, body = WorkflowDetail), (status = 404, body = ApiErrorBody)))]
async fn get_workflow(
    State(s): State<AppState>,
    _a: Authorized<perm::ClueConfigView>,
    Path(id): Path<i64>,
    Query(q): Query<VersionQuery>,
) -> ApiResult<Json<WorkflowDetail>> {
    let mut conn = s.db.conn().await?;
    let mut d = detail(&mut conn, id).await?;
    if let Some(v) = q.version {
        let row = d.versions.iter().find(|x| x.version == v).ok_or(ApiError::NotFound)?;
        let text = store::version(&mut conn, row.id).await?.definition;
        d.definition = serde_json::from_str(&text).map_err(ApiError::internal)?;
    }
    Ok(Json(d))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    pub version: Option<i64>,
}

#[utoipa::path(post, path = "/api/clue/workflows", tag = "clue", request_body = WorkflowInput,
    responses((status = 201, body = WorkflowDetail), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_workflow(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Json(input): Json<WorkflowInput>,
) -> ApiResult<(StatusCode, Json<WorkflowDetail>)> {
    let w = parse_header(&input)?;
    let def = input.definition.as_ref().ok_or_else(|| ApiError::field("definition", "请提供流程定义"))?;
    let mut tx = s.db.begin().await?;
    check_definition(&mut tx, def).await?;
    let text = serde_json::to_string(def).map_err(ApiError::internal)?;
    let id = store::insert_workflow(&mut tx, &w, &text, &auth.username, now_ms()).await?;
    audit::append(
        &mut tx,
        &auth.audit("workflow.create", "workflow", id, format!("新增流程 {}（版本 1）", w.name), None),
    )
    .await?;
    let out = detail(&mut tx, id).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(put, path = "/api/clue/workflows/{id}", tag = "clue", request_body = WorkflowInput, params(("id" = i64, Path, description = "workflow id")),
    responses((status = 200, body = WorkflowDetail), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update_workflow(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Path(id): Path<i64>,
    Json(input): Json<WorkflowInput>,
) -> ApiResult<Json<WorkflowDetail>> {
    let w = parse_header(&input)?;
    let mut tx = s.db.begin().await?;
    let before = detail(&mut tx, id).await?;
    if before.workflow.code != w.code {
        return Err(ApiError::field("code", "流程编码创建后不能修改"));
    }
    if input.expected_version.is_some_and(|v| v != before.workflow.current_version) {
        return Err(ApiError::Conflict {
            code: "version_changed",
            message: format!("流程已被他人发布为版本 {}，请刷新后再修改", before.workflow.current_version),
            field: None,
        });
    }
    let mut publish = None;
    if let Some(def) = &input.definition
        && *def != before.definition
    {
        check_definition(&mut tx, def).await?;
        let note = input.note.trim();
        if note.chars().count() > 200 {
            return Err(ApiError::field("note", "变更说明不超过 200 个字符"));
        }
        publish = Some((serde_json::to_string(def).map_err(ApiError::internal)?, note.to_owned()));
    }
    if !w.enabled && store::workflows(&mut tx).await?.iter().filter(|x| x.enabled == 1 && x.id != id).count() == 0 {
        return Err(ApiError::field("enabled", "至少要保留一个启用的流程"));
    }
    let version = store::update_workflow(
        &mut tx,
        id,
        &w,
        publish.as_ref().map(|(d, n)| (d.as_str(), if n.is_empty() { "修改流程定义" } else { n.as_str() })),
        &auth.username,
        now_ms(),
    )
    .await?;
    let summary = match &publish {
        Some(_) => format!("发布流程 {} 版本 {version}（已有案件仍按原版本办理）", w.name),
        None => format!("修改流程 {} 的基本信息", w.name),
    };
    audit::append(&mut tx, &auth.audit("workflow.update", "workflow", id, summary, None)).await?;
    let out = detail(&mut tx, id).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(out))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ValidationReport {
    pub valid: bool,
    pub errors: Vec<String>,
}

/// Check a definition without saving it (the editor's 校验 button).
#[utoipa::path(post, path = "/api/clue/workflows/validate", tag = "clue", request_body = Definition,
    responses((status = 200, body = ValidationReport), (status = 422, body = ApiErrorBody)))]
async fn validate_definition(
    State(s): State<AppState>,
    _a: Authorized<perm::ClueConfigView>,
    Json(def): Json<Definition>,
) -> ApiResult<Json<ValidationReport>> {
    let mut conn = s.db.conn().await?;
    Ok(Json(match check_definition(&mut conn, &def).await {
        Ok(()) => ValidationReport { valid: true, errors: vec![] },
        Err(ApiError::Validation(errs)) => {
            ValidationReport { valid: false, errors: errs.into_iter().map(|e| e.message).collect() }
        }
        Err(e) => return Err(e),
    }))
}

// ---- calendar ---------------------------------------------------------------------------------------

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CalendarDay {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// `holiday` (休) or `workday` (调休上班).
    pub kind: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarView {
    /// Working periods of a day, `[["08:30","12:00"], ["13:30","17:30"]]`.
    pub periods: Vec<(String, String)>,
    /// A task is flagged 临期 when this share of its time limit has passed.
    pub warn_percent: i64,
    pub minutes_per_day: u32,
    /// Exceptions in the requested range.
    pub days: Vec<CalendarDay>,
    pub updated_at: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// First day (`YYYY-MM-DD`), default 1 January of this year.
    pub from: Option<String>,
    /// Last day, default 31 December of next year.
    pub to: Option<String>,
}

#[utoipa::path(get, path = "/api/clue/calendar", tag = "clue", params(CalendarQuery),
    responses((status = 200, body = CalendarView), (status = 422, body = ApiErrorBody)))]
async fn get_calendar(
    State(s): State<AppState>,
    _a: Authorized<perm::ClueConfigView>,
    Query(q): Query<CalendarQuery>,
) -> ApiResult<Json<CalendarView>> {
    let mut conn = s.db.conn().await?;
    Ok(Json(calendar_view(&mut conn, &q).await?))
}

async fn calendar_view(conn: &mut Conn, q: &CalendarQuery) -> ApiResult<CalendarView> {
    let (today, _) = calendar::local(now_ms());
    let from = match &q.from {
        Some(f) => calendar::parse_day(f)?,
        None => calendar::parse_day(&format!("{:04}-01-01", today.year()))?,
    };
    let to = match &q.to {
        Some(t) => calendar::parse_day(t)?,
        None => calendar::parse_day(&format!("{:04}-12-31", today.year() + 1))?,
    };
    let settings = store::calendar_settings(conn).await?;
    let periods: Vec<(String, String)> = serde_json::from_str(&settings.periods).unwrap_or_default();
    let minutes = Calendar::new(&periods, Default::default()).map(|c| c.minutes_per_day()).unwrap_or_default();
    let days = store::calendar_days(conn, &calendar::format_day(from), &calendar::format_day(to))
        .await?
        .into_iter()
        .map(|d| CalendarDay { day: d.day, kind: d.kind, name: d.name })
        .collect();
    Ok(CalendarView {
        periods,
        warn_percent: settings.warn_percent,
        minutes_per_day: minutes,
        days,
        updated_at: settings.updated_at,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarInput {
    pub periods: Vec<(String, String)>,
    pub warn_percent: i64,
}

#[utoipa::path(put, path = "/api/clue/calendar", tag = "clue", request_body = CalendarInput,
    responses((status = 200, body = CalendarView), (status = 422, body = ApiErrorBody)))]
async fn update_calendar(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Json(input): Json<CalendarInput>,
) -> ApiResult<Json<CalendarView>> {
    let cal = Calendar::new(&input.periods, Default::default())?;
    if !(1..=99).contains(&input.warn_percent) {
        return Err(ApiError::field("warn_percent", "临期提醒比例须在 1–99 之间"));
    }
    let mut tx = s.db.begin().await?;
    let periods = serde_json::to_string(&input.periods).map_err(ApiError::internal)?;
    store::set_calendar_settings(&mut tx, &periods, input.warn_percent, now_ms()).await?;
    let summary = format!(
        "工作时段 {}，每日 {} 分钟，临期提醒 {}%",
        input.periods.iter().map(|(a, b)| format!("{a}–{b}")).collect::<Vec<_>>().join("、"),
        cal.minutes_per_day(),
        input.warn_percent
    );
    audit::append(&mut tx, &auth.audit("calendar.update", "calendar", "settings", summary, None)).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    let mut conn = s.db.conn().await?;
    Ok(Json(calendar_view(&mut conn, &CalendarQuery { from: None, to: None }).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarDayInput {
    /// `holiday`, `workday`, or `normal` to remove the exception.
    pub kind: String,
    #[serde(default)]
    pub name: String,
}

#[utoipa::path(put, path = "/api/clue/calendar/days/{day}", tag = "clue", request_body = CalendarDayInput,
    params(("day" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 204), (status = 422, body = ApiErrorBody)))]
async fn set_calendar_day(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Path(day): Path<String>,
    Json(input): Json<CalendarDayInput>,
) -> ApiResult<StatusCode> {
    let d = calendar::parse_day(&day)?;
    let day = calendar::format_day(d);
    let name = optional_text("name", &input.name, 20)?;
    let kind = match input.kind.as_str() {
        "holiday" | "workday" => Some(input.kind.as_str()),
        "normal" => None,
        _ => {
            return Err(ApiError::field(
                "kind",
                "类型只能是 holiday（放假）、workday（调休上班）或 normal（恢复默认）",
            ));
        }
    };
    let mut tx = s.db.begin().await?;
    store::set_calendar_day(&mut tx, &day, kind.map(|k| (k, name.as_str())), now_ms()).await?;
    let label = match kind {
        Some("holiday") => format!("设为放假（{name}）"),
        Some(_) => format!("设为调休上班（{name}）"),
        None => "恢复为默认（周一至周五上班）".into(),
    };
    audit::append(&mut tx, &auth.audit("calendar.update", "calendar", &day, format!("工作日历 {day} {label}"), None))
        .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- grading rules ------------------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct GradingRule {
    pub id: i64,
    pub name: String,
    /// Lower first.
    pub priority: i64,
    pub conditions: GradingConditions,
    /// `city`, `county` or `township`.
    pub tier: String,
    /// Fixed unit; none means the responsibility list (or the township office for township tier).
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub note: String,
    pub enabled: bool,
    pub updated_at: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradingRuleInput {
    pub name: String,
    pub priority: i64,
    #[serde(default)]
    pub conditions: GradingConditions,
    pub tier: String,
    #[serde(default)]
    pub department_id: Option<i64>,
    #[serde(default)]
    pub note: String,
    pub enabled: bool,
}

fn rule_of(r: store::GradingRuleRow) -> GradingRule {
    GradingRule {
        id: r.id,
        name: r.name,
        priority: r.priority,
        conditions: serde_json::from_str(&r.conditions).unwrap_or_default(),
        tier: r.tier,
        department_id: r.department_id,
        department_name: r.department_name,
        note: r.note,
        enabled: flag(r.enabled),
        updated_at: r.updated_at,
    }
}

async fn parse_rule(tx: &mut Conn, input: GradingRuleInput) -> ApiResult<store::GradingRuleWrite> {
    let mut v = Validator::new();
    let name = v.check(display_text("name", &input.name, 40));
    let note = v.check(optional_text("note", &input.note, 200));
    let tier = v.check(xiezhi_domain::clue::tier(&input.tier));
    let cond = v.check(input.conditions.normalise());
    if !(0..=10_000).contains(&input.priority) {
        v.push(FieldError::new("priority", "优先级须在 0–10000 之间"));
    }
    if let Some(d) = input.department_id
        && department::get(tx, d).await.is_err()
    {
        v.push(FieldError::new("department_id", "部门不存在"));
    }
    v.finish()?;
    Ok(store::GradingRuleWrite {
        name: name.unwrap_or_default(),
        priority: input.priority,
        conditions: serde_json::to_string(&cond.unwrap_or_default()).map_err(ApiError::internal)?,
        tier: tier.unwrap_or_default().to_owned(),
        department_id: input.department_id,
        note: note.unwrap_or_default(),
        enabled: input.enabled,
    })
}

#[utoipa::path(get, path = "/api/clue/grading-rules", tag = "clue", responses((status = 200, body = Vec<GradingRule>), (status = 403, body = ApiErrorBody)))]
async fn list_grading_rules(
    State(s): State<AppState>,
    _a: Authorized<perm::ClueConfigView>,
) -> ApiResult<Json<Vec<GradingRule>>> {
    let mut conn = s.db.conn().await?;
    Ok(Json(store::grading_rules(&mut conn, false).await?.into_iter().map(rule_of).collect()))
}

#[utoipa::path(post, path = "/api/clue/grading-rules", tag = "clue", request_body = GradingRuleInput,
    responses((status = 201, body = GradingRule), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_grading_rule(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Json(input): Json<GradingRuleInput>,
) -> ApiResult<(StatusCode, Json<GradingRule>)> {
    let mut tx = s.db.begin().await?;
    let w = parse_rule(&mut tx, input).await?;
    let id = store::insert_grading_rule(&mut tx, &w, now_ms()).await?;
    let out = rule_of(store::grading_rule(&mut tx, id).await?);
    let snap = serde_json::to_value(&out).ok();
    audit::append(
        &mut tx,
        &auth.audit("grading_rule.create", "grading_rule", id, format!("新增分级规则 {}", out.name), snap),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(put, path = "/api/clue/grading-rules/{id}", tag = "clue", request_body = GradingRuleInput, params(("id" = i64, Path, description = "rule id")),
    responses((status = 200, body = GradingRule), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn update_grading_rule(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Path(id): Path<i64>,
    Json(input): Json<GradingRuleInput>,
) -> ApiResult<Json<GradingRule>> {
    let mut tx = s.db.begin().await?;
    let w = parse_rule(&mut tx, input).await?;
    store::update_grading_rule(&mut tx, id, &w, now_ms()).await?;
    let out = rule_of(store::grading_rule(&mut tx, id).await?);
    let snap = serde_json::to_value(&out).ok();
    audit::append(
        &mut tx,
        &auth.audit("grading_rule.update", "grading_rule", id, format!("修改分级规则 {}", out.name), snap),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(out))
}

#[utoipa::path(delete, path = "/api/clue/grading-rules/{id}", tag = "clue", params(("id" = i64, Path, description = "rule id")),
    responses((status = 204), (status = 404, body = ApiErrorBody)))]
async fn delete_grading_rule(
    State(s): State<AppState>,
    auth: Authorized<perm::ClueConfigEdit>,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let mut tx = s.db.begin().await?;
    let before = rule_of(store::grading_rule(&mut tx, id).await?);
    store::delete_grading_rule(&mut tx, id).await?;
    audit::append(
        &mut tx,
        &auth.audit("grading_rule.delete", "grading_rule", id, format!("删除分级规则 {}", before.name), None),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}
