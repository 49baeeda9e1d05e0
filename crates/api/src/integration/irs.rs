//! The big-data bureau's data platform (IRS, F81): incremental imports of the enforcement
//! datasets into the fact tables, and the facts for analysis.
//!
//! An import is a background task. Per dataset it pulls pages in keyset order from the dataset's
//! checkpoint and commits each page's rows together with the new checkpoint in one transaction,
//! so whatever was committed is never pulled twice and an interruption loses at most the page in
//! flight (which the upsert by natural key makes harmless to pull again). Transient errors
//! (unreachable, timeouts, 5xx, expired secrets) are retried with capped exponential backoff; after
//! the system's attempt cap the import fails and can be resumed from its checkpoints.

use std::collections::BTreeMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_domain::integration::gateway::code;
use xiezhi_domain::integration::irs::{self as contract, Dataset, DatasetList, Page, PullRequest, Record};
use xiezhi_domain::page::PageRequest;
use xiezhi_storage::facts::{self as store, FactFilter, NewImportDataset, PageCommit, Upserted};
use xiezhi_storage::integration::{self as exchange_log, NewExchange};
use xiezhi_storage::{StorageError, audit};

use super::gateway::{GatewayError, call};
use super::{Settings, settings, system};
use crate::auth::{Authorized, perm};
use crate::error::{ApiError, ApiErrorBody, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::platform::non_empty;
use crate::{AppState, now_ms, xlsx};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_datasets))
        .routes(routes!(list_imports, start_import))
        .routes(routes!(get_import))
        .routes(routes!(resume_import))
        .routes(routes!(list_facts))
        .routes(routes!(export_facts))
        .routes(routes!(get_fact))
}

// ---- runtime settings ----------------------------------------------------------------------------

/// Timing of imports (tests shorten it).
#[derive(Debug, Clone)]
pub struct ImportSettings {
    /// Records asked for per page.
    pub page_size: i64,
    /// Delay before the second attempt of a page; doubles per attempt up to `max_backoff_ms`.
    pub base_backoff_ms: u64,
    pub max_backoff_ms: u64,
    /// A running import whose heartbeat is older than this was interrupted (server stopped) and
    /// may be resumed.
    pub stale_ms: i64,
}

impl Default for ImportSettings {
    fn default() -> Self {
        ImportSettings { page_size: 1000, base_backoff_ms: 1000, max_backoff_ms: 60_000, stale_ms: 5 * 60_000 }
    }
}

#[derive(Debug, Default)]
pub struct ImportConfig(RwLock<ImportSettings>);

impl ImportConfig {
    pub fn get(&self) -> ImportSettings {
        self.0.read().map(|s| s.clone()).unwrap_or_default()
    }
    pub fn set(&self, s: ImportSettings) {
        if let Ok(mut g) = self.0.write() {
            *g = s;
        }
    }
}

fn backoff(s: &ImportSettings, attempt: i64) -> Duration {
    let base = s.base_backoff_ms.saturating_mul(1 << attempt.clamp(0, 16)).min(s.max_backoff_ms);
    let jitter = (rand::random::<f64>() * 0.4 - 0.2) * base as f64;
    Duration::from_millis((base as f64 + jitter).max(1.0) as u64)
}

// ---- wire types ----------------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct IrsDataset {
    /// `body`, `item`, `license`, `inspection`, `penalty`, `complaint`, `reconsideration`,
    /// `litigation`, `rectification` or `transfer`.
    pub code: String,
    pub name: String,
    /// Bodies and items describe the facts; the others are facts.
    pub dimension: bool,
    /// Rows held here.
    pub local_count: i64,
    /// Where the next incremental import starts (opaque), and when it was written.
    pub checkpoint: Option<String>,
    pub checkpoint_at: Option<i64>,
    /// Records at the platform, when it answered.
    pub remote_total: Option<i64>,
    pub remote_updated_to: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IrsDatasets {
    pub datasets: Vec<IrsDataset>,
    pub enabled: bool,
    /// The built-in simulator serves the platform (no endpoint configured).
    pub builtin: bool,
    /// Why the platform's dataset list is missing, if it is.
    pub remote_error: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IrsImport {
    pub id: i64,
    /// `running`, `succeeded` or `failed`.
    pub status: String,
    /// Running, but the heartbeat stopped (server stopped): may be resumed.
    pub interrupted: bool,
    /// `incremental` or `full`.
    pub mode: String,
    /// Records to pull (known once each dataset was probed).
    pub expected: i64,
    pub fetched: i64,
    pub inserted: i64,
    pub updated: i64,
    pub pages: i64,
    /// Failed attempts that were retried.
    pub retries: i64,
    pub resumes: i64,
    /// Whole percent of `expected` fetched.
    pub percent: i64,
    pub last_error: String,
    pub created_by: String,
    pub started_at: i64,
    pub heartbeat_at: i64,
    pub finished_at: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IrsImportDataset {
    pub dataset: String,
    pub name: String,
    /// `pending`, `running`, `done` or `failed`.
    pub status: String,
    /// The checkpoint this import started from and the one it reached.
    pub start_cursor: Option<String>,
    pub cursor: Option<String>,
    pub expected: i64,
    pub fetched: i64,
    pub inserted: i64,
    pub updated: i64,
    pub pages: i64,
    pub last_error: String,
    pub updated_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IrsImportError {
    pub id: i64,
    pub dataset: String,
    pub attempt: i64,
    pub message: String,
    pub occurred_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IrsImportDetail {
    pub import: IrsImport,
    pub datasets: Vec<IrsImportDataset>,
    /// The newest 50 errors.
    pub errors: Vec<IrsImportError>,
    pub error_total: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IrsImportPage {
    pub items: Vec<IrsImport>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartImport {
    /// Dataset codes; empty = all.
    #[serde(default)]
    pub datasets: Vec<String>,
    /// Pull from the beginning instead of each dataset's checkpoint.
    #[serde(default)]
    pub full: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IrsFact {
    pub id: i64,
    pub dataset: String,
    pub dataset_name: String,
    pub record_id: String,
    pub region_code: String,
    pub county_code: String,
    pub region_name: String,
    pub dept_code: String,
    pub dept_name: String,
    pub item_code: String,
    pub item_name: String,
    /// `enterprise`, `individual_business`, `organisation` or `person`.
    pub subject_type: String,
    pub subject_name: String,
    pub subject_code: String,
    pub occurred_at: Option<i64>,
    pub concluded_at: Option<i64>,
    pub kind: String,
    pub status: String,
    /// Fen.
    pub amount: Option<i64>,
    pub title: String,
    #[schema(value_type = Object)]
    pub attrs: Value,
    pub source_updated_at: i64,
    pub imported_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IrsFactPage {
    pub items: Vec<IrsFact>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FactQuery {
    /// A fact dataset code.
    pub dataset: Option<String>,
    /// City, county or township code.
    pub region_code: Option<String>,
    /// Department code or part of its name.
    pub dept: Option<String>,
    /// Enforcement item code or part of its name.
    pub item: Option<String>,
    /// `enterprise`, `individual_business`, `organisation` or `person`.
    pub subject_type: Option<String>,
    /// Subject name or code, document number, record id.
    pub keyword: Option<String>,
    /// `occurred_at` from (inclusive), ms.
    pub from: Option<i64>,
    /// `occurred_at` to (exclusive), ms.
    pub to: Option<i64>,
    /// `occurred_at` (default), `amount` or `source_updated_at`.
    pub sort: Option<String>,
    /// `asc` or `desc` (default).
    pub order: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

const SUBJECT_TYPES: &[&str] = &["enterprise", "individual_business", "organisation", "person"];

impl FactQuery {
    fn filter(&self) -> ApiResult<FactFilter> {
        let dataset = non_empty(&self.dataset);
        if let Some(d) = &dataset
            && Dataset::parse(d).is_none_or(|d| d.is_dimension())
        {
            return Err(ApiError::field("dataset", "数据集不存在"));
        }
        let region_code = non_empty(&self.region_code);
        if let Some(r) = &region_code
            && !(matches!(r.len(), 6 | 9) && r.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(ApiError::field("region_code", "行政区划编码须为 6 或 9 位数字"));
        }
        let subject_type = non_empty(&self.subject_type);
        if let Some(t) = &subject_type
            && !SUBJECT_TYPES.contains(&t.as_str())
        {
            return Err(ApiError::field("subject_type", "对象类型不正确"));
        }
        if let (Some(f), Some(t)) = (self.from, self.to)
            && f > t
        {
            return Err(ApiError::field("from", "开始时间不能晚于结束时间"));
        }
        let short = |v: &Option<String>, field: &'static str| -> ApiResult<Option<String>> {
            match non_empty(v) {
                Some(s) if s.chars().count() > 64 => Err(ApiError::field(field, "不能超过 64 个字符")),
                other => Ok(other),
            }
        };
        Ok(FactFilter {
            dataset,
            region_code,
            dept: short(&self.dept, "dept")?,
            item: short(&self.item, "item")?,
            keyword: short(&self.keyword, "keyword")?,
            subject_type,
            from: self.from,
            to: self.to,
        })
    }

    fn sort(&self) -> ApiResult<(&'static str, bool)> {
        let col = xiezhi_domain::page::sort_column(self.sort.as_deref(), store::FACT_SORTS, "f.occurred_at")?;
        let desc = match self.order.as_deref() {
            None | Some("") | Some("desc") | Some("descending") => true,
            Some("asc") | Some("ascending") => false,
            Some(_) => return Err(ApiError::field("order", "排序方向只能是 asc 或 desc")),
        };
        Ok((col, desc))
    }
}

fn import_of(r: store::ImportRow, stale_ms: i64) -> IrsImport {
    let interrupted = r.status == "running" && r.heartbeat_at < now_ms() - stale_ms;
    let percent = if r.expected > 0 {
        (r.fetched.min(r.expected) * 100 / r.expected).clamp(0, 100)
    } else if r.status == "succeeded" {
        100
    } else {
        0
    };
    IrsImport {
        id: r.id,
        status: r.status,
        interrupted,
        mode: r.mode,
        expected: r.expected,
        fetched: r.fetched,
        inserted: r.inserted,
        updated: r.updated,
        pages: r.pages,
        retries: r.retries,
        resumes: r.resumes,
        percent,
        last_error: r.last_error,
        created_by: r.created_by,
        started_at: r.started_at,
        heartbeat_at: r.heartbeat_at,
        finished_at: r.finished_at,
    }
}

fn label(code: &str) -> String {
    Dataset::parse(code).map_or_else(|| code.to_owned(), |d| d.label().to_owned())
}

fn order(code: &str) -> usize {
    Dataset::parse(code).and_then(|d| Dataset::ALL.iter().position(|x| *x == d)).unwrap_or(usize::MAX)
}

fn fact_of(r: store::FactRow) -> IrsFact {
    IrsFact {
        id: r.id,
        dataset_name: label(&r.dataset),
        dataset: r.dataset,
        record_id: r.record_id,
        region_code: r.region_code,
        county_code: r.county_code,
        region_name: r.region_name,
        dept_code: r.dept_code,
        dept_name: r.dept_name,
        item_code: r.item_code,
        item_name: r.item_name,
        subject_type: r.subject_type,
        subject_name: r.subject_name,
        subject_code: r.subject_code,
        occurred_at: r.occurred_at,
        concluded_at: r.concluded_at,
        kind: r.kind,
        status: r.status,
        amount: r.amount,
        title: r.title,
        attrs: serde_json::from_str(&r.attrs).unwrap_or_else(|_| Value::Object(Default::default())),
        source_updated_at: r.source_updated_at,
        imported_at: r.imported_at,
    }
}

fn http_client() -> ApiResult<reqwest::Client> {
    reqwest::Client::builder().connect_timeout(Duration::from_secs(5)).build().map_err(ApiError::internal)
}

// ---- handlers ------------------------------------------------------------------------------------

/// The datasets: rows held here, checkpoints, and the platform's sizes when it answers.
#[utoipa::path(get, path = "/api/integration/irs/datasets", tag = "integration",
    responses((status = 200, body = IrsDatasets), (status = 403, body = ApiErrorBody)))]
async fn list_datasets(State(s): State<AppState>, _a: Authorized<perm::IrsView>) -> ApiResult<Json<IrsDatasets>> {
    let (counts, checkpoints) = {
        let mut conn = s.db.conn().await?;
        (store::counts(&mut conn).await?, store::checkpoints(&mut conn).await?)
    };
    let cfg = settings(&s, system::IRS).await?;
    let remote = if !cfg.enabled {
        Err("未启用该外部系统".to_owned())
    } else {
        let mut short = cfg.clone();
        short.timeout = short.timeout.min(Duration::from_secs(5));
        call::<DatasetList>(&s.tokens, &http_client()?, &short, contract::DATASETS, &serde_json::json!({}))
            .await
            .map(|(l, _)| l)
            .map_err(|(e, _)| e.to_string())
    };
    let datasets = Dataset::ALL
        .into_iter()
        .map(|d| {
            let cp = checkpoints.iter().find(|c| c.dataset == d.as_str());
            let info = remote.as_ref().ok().and_then(|l| l.datasets.iter().find(|x| x.code == d.as_str()));
            IrsDataset {
                code: d.as_str().into(),
                name: d.label().into(),
                dimension: d.is_dimension(),
                local_count: counts.iter().find(|(c, _)| c == d.as_str()).map_or(0, |(_, n)| *n),
                checkpoint: cp.map(|c| c.cursor.clone()),
                checkpoint_at: cp.map(|c| c.updated_at),
                remote_total: info.map(|i| i.total),
                remote_updated_to: info.and_then(|i| i.updated_to),
            }
        })
        .collect();
    Ok(Json(IrsDatasets { datasets, enabled: cfg.enabled, builtin: cfg.builtin, remote_error: remote.err() }))
}

/// Imports, newest first.
#[utoipa::path(get, path = "/api/integration/irs/imports", tag = "integration", params(PageQuery),
    responses((status = 200, body = IrsImportPage), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn list_imports(
    State(s): State<AppState>,
    _a: Authorized<perm::IrsView>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<IrsImportPage>> {
    let page = PageRequest::new(q.page, q.page_size)?;
    let stale = s.irs.get().stale_ms;
    let mut conn = s.db.conn().await?;
    let (rows, total) = store::imports(&mut conn, page.page_size, page.offset()).await?;
    Ok(Json(IrsImportPage {
        items: rows.into_iter().map(|r| import_of(r, stale)).collect(),
        total,
        page: page.page,
        page_size: page.page_size,
    }))
}

async fn detail(s: &AppState, id: i64) -> ApiResult<IrsImportDetail> {
    let stale = s.irs.get().stale_ms;
    let mut conn = s.db.conn().await?;
    let import = import_of(store::import(&mut conn, id).await?, stale);
    let mut datasets: Vec<IrsImportDataset> = store::import_datasets(&mut conn, id)
        .await?
        .into_iter()
        .map(|d| IrsImportDataset {
            name: label(&d.dataset),
            dataset: d.dataset,
            status: d.status,
            start_cursor: d.start_cursor,
            cursor: d.cursor,
            expected: d.expected,
            fetched: d.fetched,
            inserted: d.inserted,
            updated: d.updated,
            pages: d.pages,
            last_error: d.last_error,
            updated_at: d.updated_at,
        })
        .collect();
    datasets.sort_by_key(|d| order(&d.dataset));
    let (errors, error_total) = store::import_errors(&mut conn, id, 50).await?;
    Ok(IrsImportDetail {
        import,
        datasets,
        errors: errors
            .into_iter()
            .map(|e| IrsImportError {
                id: e.id,
                dataset: e.dataset,
                attempt: e.attempt,
                message: e.message,
                occurred_at: e.occurred_at,
            })
            .collect(),
        error_total,
    })
}

fn running_conflict(e: StorageError) -> ApiError {
    match e {
        StorageError::Duplicate { field: "running" } => ApiError::Conflict {
            code: "import_running",
            message: "已有一个 IRS 导入任务正在进行，请等待其结束（如已中断，请在任务列表中续传）".into(),
            field: None,
        },
        other => other.into(),
    }
}

/// Start an import of some or all datasets; it runs in the background (poll the import).
#[utoipa::path(post, path = "/api/integration/irs/imports", tag = "integration", request_body = StartImport,
    responses((status = 202, body = IrsImportDetail), (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn start_import(
    State(s): State<AppState>,
    auth: Authorized<perm::IrsImport>,
    Json(input): Json<StartImport>,
) -> ApiResult<(StatusCode, Json<IrsImportDetail>)> {
    let mut chosen = Vec::new();
    for code in &input.datasets {
        match Dataset::parse(code) {
            Some(d) if !chosen.contains(&d) => chosen.push(d),
            Some(_) => {}
            None => return Err(ApiError::field("datasets", format!("数据集 {code} 不存在"))),
        }
    }
    if chosen.is_empty() {
        chosen = Dataset::ALL.to_vec();
    }
    chosen.sort();
    let cfg = settings(&s, system::IRS).await?;
    if !cfg.enabled {
        return Err(ApiError::Conflict {
            code: "system_disabled",
            message: "大数据局一体化数据平台未启用，请先在外部系统配置中启用".into(),
            field: None,
        });
    }
    let mut tx = s.db.begin().await?;
    let mode = if input.full { "full" } else { "incremental" };
    let id = create(&mut tx, &chosen, input.full, &auth.username, now_ms()).await.map_err(running_conflict)?;
    let names: Vec<&str> = chosen.iter().map(|d| d.label()).collect();
    audit::append(
        &mut tx,
        &auth.audit(
            "irs.import",
            "irs_import",
            id,
            format!("发起IRS数据导入（{}）：{}", if input.full { "全量" } else { "增量" }, names.join("、")),
            Some(serde_json::json!({ "datasets": chosen, "mode": mode })),
        ),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    spawn(s.clone(), id);
    Ok((StatusCode::ACCEPTED, Json(detail(&s, id).await?)))
}

/// An import with the progress of each dataset and its newest errors.
#[utoipa::path(get, path = "/api/integration/irs/imports/{id}", tag = "integration", params(("id" = i64, Path, description = "import id")),
    responses((status = 200, body = IrsImportDetail), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
async fn get_import(
    State(s): State<AppState>,
    _a: Authorized<perm::IrsView>,
    Path(id): Path<i64>,
) -> ApiResult<Json<IrsImportDetail>> {
    Ok(Json(detail(&s, id).await?))
}

/// Resume a failed (or interrupted) import from its checkpoints.
#[utoipa::path(post, path = "/api/integration/irs/imports/{id}/resume", tag = "integration", params(("id" = i64, Path, description = "import id")),
    responses((status = 202, body = IrsImportDetail), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn resume_import(
    State(s): State<AppState>,
    auth: Authorized<perm::IrsImport>,
    Path(id): Path<i64>,
) -> ApiResult<(StatusCode, Json<IrsImportDetail>)> {
    let cfg = settings(&s, system::IRS).await?;
    let mut tx = s.db.begin().await?;
    let before = store::import(&mut tx, id).await?;
    if !cfg.enabled {
        return Err(ApiError::Conflict {
            code: "system_disabled",
            message: "大数据局一体化数据平台未启用，请先在外部系统配置中启用".into(),
            field: None,
        });
    }
    let now = now_ms();
    let stale_before = now - s.irs.get().stale_ms;
    if !store::claim_resume(&mut tx, id, stale_before, now).await.map_err(running_conflict)? {
        return Err(ApiError::Conflict {
            code: "import_not_resumable",
            message: "只有失败或已中断的导入任务可以续传".into(),
            field: None,
        });
    }
    audit::append(
        &mut tx,
        &auth.audit(
            "irs.resume",
            "irs_import",
            id,
            format!("续传IRS数据导入 #{id}（已拉取 {} 条）", before.fetched),
            None,
        ),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    spawn(s.clone(), id);
    Ok((StatusCode::ACCEPTED, Json(detail(&s, id).await?)))
}

/// Enforcement facts: search, filters, paging. Limited to the caller's data scope.
#[utoipa::path(get, path = "/api/integration/irs/facts", tag = "integration", params(FactQuery),
    responses((status = 200, body = IrsFactPage), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn list_facts(
    State(s): State<AppState>,
    auth: Authorized<perm::IrsView>,
    Query(q): Query<FactQuery>,
) -> ApiResult<Json<IrsFactPage>> {
    let page = PageRequest::new(q.page, q.page_size)?;
    let f = q.filter()?;
    let (sort, desc) = q.sort()?;
    let mut conn = s.db.conn().await?;
    let (rows, total) = store::facts(&mut conn, &f, &auth.scope(), sort, desc, page.page_size, page.offset()).await?;
    Ok(Json(IrsFactPage {
        items: rows.into_iter().map(fact_of).collect(),
        total,
        page: page.page,
        page_size: page.page_size,
    }))
}

/// One fact with its dataset-specific attributes.
#[utoipa::path(get, path = "/api/integration/irs/facts/{id}", tag = "integration", params(("id" = i64, Path, description = "fact id")),
    responses((status = 200, body = IrsFact), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
async fn get_fact(
    State(s): State<AppState>,
    auth: Authorized<perm::IrsView>,
    Path(id): Path<i64>,
) -> ApiResult<Json<IrsFact>> {
    let mut conn = s.db.conn().await?;
    Ok(Json(fact_of(store::fact(&mut conn, id, &auth.scope()).await?)))
}

fn subject_type_label(t: &str) -> &str {
    match t {
        "enterprise" => "企业",
        "individual_business" => "个体工商户",
        "organisation" => "社会组织",
        "person" => "自然人",
        other => other,
    }
}

/// The facts matching the filters as an Excel file (at most 100,000 rows).
#[utoipa::path(get, path = "/api/integration/irs/facts/export", tag = "integration", params(FactQuery),
    responses((status = 200, description = "xlsx file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn export_facts(
    State(s): State<AppState>,
    auth: Authorized<perm::IrsExport>,
    Query(q): Query<FactQuery>,
) -> ApiResult<Response> {
    let f = q.filter()?;
    let (sort, desc) = q.sort()?;
    let rows = {
        let mut conn = s.db.conn().await?;
        store::facts(&mut conn, &f, &auth.scope(), sort, desc, xlsx::MAX_EXPORT_ROWS, 0).await?.0
    };
    let opt_time = |v: Option<i64>| v.map(xlsx::format_ms).unwrap_or_default();
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                label(&r.dataset),
                r.record_id.clone(),
                r.title.clone(),
                r.region_name.clone(),
                r.dept_name.clone(),
                r.item_name.clone(),
                subject_type_label(&r.subject_type).to_owned(),
                r.subject_name.clone(),
                r.subject_code.clone(),
                r.kind.clone(),
                r.status.clone(),
                r.amount.map(|a| format!("{}.{:02}", a / 100, a % 100)).unwrap_or_default(),
                opt_time(r.occurred_at),
                opt_time(r.concluded_at),
                xlsx::format_ms(r.source_updated_at),
            ]
        })
        .collect();
    let mut tx = s.db.begin().await?;
    audit::append(
        &mut tx,
        &auth.audit("irs.export", "irs_facts", "", format!("导出IRS执法事实 {} 条", table.len()), None),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    xlsx::export(
        "IRS执法事实",
        "执法事实",
        &[
            "数据集",
            "记录编号",
            "文书号/名称",
            "区域",
            "执法部门",
            "执法事项",
            "对象类型",
            "执法对象",
            "对象代码",
            "类别",
            "状态",
            "金额（元）",
            "发生时间",
            "办结时间",
            "平台更新时间",
        ],
        &table,
    )
}

// ---- scheduled imports ---------------------------------------------------------------------------

/// Start a new import of every dataset; `full` pulls from the beginning instead of each dataset's
/// checkpoint. Fails with `Duplicate { field: "running" }` while another import runs.
pub async fn create(
    tx: &mut xiezhi_storage::Conn,
    datasets: &[Dataset],
    full: bool,
    by: &str,
    now: i64,
) -> Result<i64, StorageError> {
    let checkpoints = store::checkpoints(tx).await?;
    let rows: Vec<NewImportDataset> = datasets
        .iter()
        .map(|d| NewImportDataset {
            dataset: d.as_str().into(),
            start_cursor: if full {
                None
            } else {
                checkpoints.iter().find(|c| c.dataset == d.as_str()).map(|c| c.cursor.clone())
            },
            expected: 0,
        })
        .collect();
    store::create_import(tx, if full { "full" } else { "incremental" }, &rows, by, now).await
}

/// One pass of the schedule: when the IRS system is enabled with `schedule_minutes` > 0 and that
/// long has passed since the last scheduled run, claim the run (one instance wins) and start an
/// incremental import of every dataset. Since every committed page moved its dataset's
/// checkpoint, the scheduled import also picks up where a failed one stopped. Returns the import
/// started, if any.
pub async fn scheduled_tick(state: &AppState, now: i64) -> ApiResult<Option<i64>> {
    let cfg = settings(state, system::IRS).await?;
    if !cfg.enabled || cfg.schedule_minutes <= 0 {
        return Ok(None);
    }
    let mut tx = state.db.begin().await?;
    let row = exchange_log::system(&mut tx, system::IRS).await?;
    if row.last_run_at.is_some_and(|t| now - t < cfg.schedule_minutes * 60_000) {
        return Ok(None);
    }
    if !exchange_log::claim_run(&mut tx, system::IRS, row.last_run_at, now).await? {
        return Ok(None);
    }
    let id = match create(&mut tx, &Dataset::ALL, false, "定时任务", now).await {
        Ok(id) => id,
        // An import holds the running slot. If its server stopped (no heartbeat), resume it from
        // its checkpoints; else this run is skipped (the claim is kept so the next comes later).
        Err(StorageError::Duplicate { field: "running" }) => {
            // The failed insert spoiled the transaction (PostgreSQL); start over in a new one.
            drop(tx);
            let mut tx = state.db.begin().await?;
            exchange_log::claim_run(&mut tx, system::IRS, row.last_run_at, now).await?;
            let stale_before = now - state.irs.get().stale_ms;
            let resumed = match store::running_import(&mut tx).await? {
                Some(r) if store::claim_resume(&mut tx, r.id, stale_before, now).await? => Some(r.id),
                _ => None,
            };
            tx.commit().await.map_err(ApiError::internal)?;
            if let Some(id) = resumed {
                tracing::info!(import = id, "resuming an interrupted IRS import");
                spawn(state.clone(), id);
            }
            return Ok(resumed);
        }
        Err(e) => return Err(e.into()),
    };
    tx.commit().await.map_err(ApiError::internal)?;
    spawn(state.clone(), id);
    Ok(Some(id))
}

/// Run the schedule every minute until the process ends (spawned by `xiezhi serve`).
pub async fn schedule(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = scheduled_tick(&state, now_ms()).await {
            tracing::warn!(error = %e, "IRS schedule pass failed");
        }
    }
}

// ---- the import task -----------------------------------------------------------------------------

/// Run an import in the background.
pub fn spawn(state: AppState, id: i64) {
    tokio::spawn(async move {
        if let Err(e) = run(&state, id).await {
            tracing::error!(import = id, error = %e, "IRS import stopped on an internal error");
            if let Ok(mut conn) = state.db.conn().await {
                let _ = store::finish_import(&mut conn, id, "failed", &format!("内部错误：{e}"), now_ms()).await;
            }
        }
    });
}

/// Why a page could not be had.
enum PullError {
    /// Attempts exhausted on transient errors, or refused for good.
    Failed(String),
    Internal(ApiError),
}

impl From<ApiError> for PullError {
    fn from(e: ApiError) -> Self {
        PullError::Internal(e)
    }
}

impl From<StorageError> for PullError {
    fn from(e: StorageError) -> Self {
        PullError::Internal(e.into())
    }
}

/// Refusals that another attempt will not change.
fn permanent(e: &GatewayError) -> bool {
    matches!(e, GatewayError::Answer { code: c, .. } if c == code::BAD_REQUEST || c == code::NO_ACCESS)
}

struct Job<'a> {
    state: &'a AppState,
    http: reqwest::Client,
    cfg: Settings,
    timing: ImportSettings,
    id: i64,
}

impl Job<'_> {
    /// Pull one page, retrying transient errors with backoff up to the system's attempt cap.
    async fn pull(&self, d: Dataset, req: &PullRequest) -> Result<(Page, Vec<NewExchangeOwned>), PullError> {
        let body = serde_json::to_value(req).map_err(ApiError::internal)?;
        let interface = format!("pull:{}", d.as_str());
        let mut logs = Vec::new();
        let max = self.cfg.max_attempts.max(1);
        let mut attempt = 1;
        loop {
            let started = Instant::now();
            let result = call::<Page>(&self.state.tokens, &self.http, &self.cfg, &d.path(), &body).await;
            let ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
            match result {
                Ok((page, text)) => {
                    logs.push(NewExchangeOwned::new(&interface, "ok", "", &body, &text, ms, page.records.len()));
                    return Ok((page, logs));
                }
                Err((e, text)) => {
                    let message = format!("{}：第 {attempt} 次拉取失败，{e}", d.label());
                    let fatal = permanent(&e) || attempt >= max;
                    let outcome = if permanent(&e) { "rejected" } else { "retry" };
                    let log = NewExchangeOwned::new(&interface, outcome, &e.to_string(), &body, &text, ms, 0);
                    let mut tx = self.state.db.begin().await?;
                    log.write(&mut tx, self.id).await?;
                    store::log_error(&mut tx, self.id, d.as_str(), attempt, &message, now_ms()).await?;
                    tx.commit().await.map_err(ApiError::internal)?;
                    if fatal {
                        return Err(PullError::Failed(if permanent(&e) {
                            format!("{}：平台拒绝请求，{e}", d.label())
                        } else {
                            format!("{}：连续 {attempt} 次拉取失败，最后一次：{e}", d.label())
                        }));
                    }
                    tokio::time::sleep(backoff(&self.timing, attempt - 1)).await;
                    attempt += 1;
                }
            }
        }
    }

    /// Pull a dataset from its checkpoint to the end.
    async fn dataset(&self, row: &store::ImportDatasetRow) -> Result<(), PullError> {
        let Some(d) = Dataset::parse(&row.dataset) else {
            return Err(PullError::Failed(format!("未知的数据集 {}", row.dataset)));
        };
        let mut cursor = row.cursor.clone();
        let mut first = true;
        loop {
            let req = PullRequest { cursor: cursor.clone(), updated_since: None, page_size: self.timing.page_size };
            let (page, logs) = self.pull(d, &req).await?;
            let now = now_ms();
            let mut tx = self.state.db.begin().await?;
            if first {
                // What this run will pull: what it already has plus what the platform has left.
                store::set_expected(&mut tx, self.id, d.as_str(), row.fetched + page.remaining, now).await?;
                first = false;
            }
            let (written, skipped) = write(&mut tx, d, &page.records, self.id, now).await?;
            for log in &logs {
                log.write(&mut tx, self.id).await?;
            }
            for (rid, why) in &skipped {
                store::log_error(
                    &mut tx,
                    self.id,
                    d.as_str(),
                    0,
                    &format!("{}：记录 {rid} 已跳过，{why}", d.label()),
                    now,
                )
                .await?;
            }
            let next = page.next_cursor.clone().or(cursor.clone());
            store::commit_page(
                &mut tx,
                &PageCommit {
                    import_id: self.id,
                    dataset: d.as_str(),
                    cursor: next.as_deref(),
                    fetched: page.records.len() as i64,
                    written,
                    now,
                },
            )
            .await?;
            tx.commit().await.map_err(ApiError::internal)?;
            cursor = next;
            if !page.has_more || page.records.is_empty() {
                return Ok(());
            }
        }
    }
}

/// An exchange-log row kept until the transaction that records it.
struct NewExchangeOwned {
    interface: String,
    outcome: &'static str,
    error: String,
    request: String,
    response: String,
    duration_ms: i64,
    reference: String,
}

impl NewExchangeOwned {
    fn new(
        interface: &str,
        outcome: &'static str,
        error: &str,
        req: &Value,
        response: &str,
        ms: i64,
        n: usize,
    ) -> Self {
        NewExchangeOwned {
            interface: interface.to_owned(),
            outcome,
            error: error.to_owned(),
            request: req.to_string(),
            // Pages are large: keep the start of the answer and its size.
            response: if response.len() > 600 {
                format!("{}…（{} 条记录，{} 字节）", response.chars().take(300).collect::<String>(), n, response.len())
            } else {
                response.to_owned()
            },
            duration_ms: ms,
            reference: String::new(),
        }
    }

    async fn write(&self, conn: &mut xiezhi_storage::Conn, import_id: i64) -> Result<(), StorageError> {
        let reference =
            if self.reference.is_empty() { format!("irs_import:{import_id}") } else { self.reference.clone() };
        exchange_log::log_exchange(
            conn,
            &NewExchange {
                system: system::IRS,
                direction: "out",
                interface: &self.interface,
                reference: &reference,
                outcome: self.outcome,
                error: &self.error,
                request: &self.request,
                response: &self.response,
                duration_ms: self.duration_ms,
                now: now_ms(),
                ..Default::default()
            },
        )
        .await
    }
}

/// County of a region code: its first six digits.
fn county_of(region: &str) -> String {
    region.chars().take(6).collect()
}

fn attrs_text(r: &Record) -> String {
    serde_json::to_string(&r.attrs).unwrap_or_else(|_| "{}".into())
}

/// A township (9 digits) or county (6 digits) code.
fn region_code_ok(code: &str) -> bool {
    matches!(code.len(), 6 | 9) && code.bytes().all(|b| b.is_ascii_digit())
}

/// Why a record cannot be stored, if it cannot.
fn invalid(d: Dataset, r: &Record) -> Option<&'static str> {
    if r.record_id.trim().is_empty() || r.record_id.chars().count() > 64 {
        return Some("记录编号为空或过长");
    }
    if !d.is_dimension() && !region_code_ok(&r.region_code) {
        return Some("行政区划编码无效");
    }
    None
}

/// Write one page's records; returns the counts and the records skipped with the reason.
async fn write(
    tx: &mut xiezhi_storage::Conn,
    d: Dataset,
    records: &[Record],
    import_id: i64,
    now: i64,
) -> Result<(Upserted, Vec<(String, &'static str)>), StorageError> {
    let mut skipped = Vec::new();
    // The last version of a record within the page wins.
    let mut valid: BTreeMap<&str, &Record> = BTreeMap::new();
    for r in records {
        match invalid(d, r) {
            Some(why) => skipped.push((r.record_id.chars().take(64).collect(), why)),
            None => {
                valid.insert(r.record_id.as_str(), r);
            }
        }
    }
    let rows: Vec<&Record> = valid.into_values().collect();
    let written = match d {
        Dataset::Body => {
            let w: Vec<store::BodyWrite> = rows
                .iter()
                .map(|r| store::BodyWrite {
                    code: r.record_id.clone(),
                    name: r.title.clone(),
                    kind: r.kind.clone(),
                    region_code: r.region_code.clone(),
                    region_name: r.region_name.clone(),
                    status: r.status.clone(),
                    established_at: r.occurred_at,
                    attrs: attrs_text(r),
                    source_updated_at: r.updated_at,
                })
                .collect();
            store::upsert_bodies(tx, &w, import_id, now).await?
        }
        Dataset::Item => {
            let w: Vec<store::ItemWrite> = rows
                .iter()
                .map(|r| store::ItemWrite {
                    code: r.record_id.clone(),
                    name: if r.item_name.is_empty() { r.title.clone() } else { r.item_name.clone() },
                    kind: r.kind.clone(),
                    dept_code: r.dept_code.clone(),
                    dept_name: r.dept_name.clone(),
                    status: r.status.clone(),
                    attrs: attrs_text(r),
                    source_updated_at: r.updated_at,
                })
                .collect();
            store::upsert_items(tx, &w, import_id, now).await?
        }
        _ => {
            let w: Vec<store::FactWrite> = rows
                .iter()
                .map(|r| store::FactWrite {
                    dataset: d.as_str().into(),
                    record_id: r.record_id.clone(),
                    region_code: r.region_code.clone(),
                    county_code: county_of(&r.region_code),
                    region_name: r.region_name.clone(),
                    dept_code: r.dept_code.clone(),
                    dept_name: r.dept_name.clone(),
                    item_code: r.item_code.clone(),
                    item_name: r.item_name.clone(),
                    subject_type: r.subject_type.clone(),
                    subject_name: r.subject_name.clone(),
                    subject_code: r.subject_code.clone(),
                    occurred_at: r.occurred_at,
                    concluded_at: r.concluded_at,
                    kind: r.kind.clone(),
                    status: r.status.clone(),
                    amount: r.amount,
                    title: r.title.clone(),
                    attrs: attrs_text(r),
                    source_updated_at: r.updated_at,
                })
                .collect();
            store::upsert_facts(tx, &w, import_id, now).await?
        }
    };
    Ok((written, skipped))
}

/// The import task: every dataset not done yet, in order, from its checkpoint.
pub async fn run(state: &AppState, id: i64) -> ApiResult<()> {
    let cfg = settings(state, system::IRS).await?;
    let job = Job { state, http: http_client()?, cfg, timing: state.irs.get(), id };
    let rows = {
        let mut conn = state.db.conn().await?;
        let mut rows = store::import_datasets(&mut conn, id).await?;
        rows.sort_by_key(|r| order(&r.dataset));
        rows
    };
    let started = Instant::now();
    // Probe each dataset left for what remains after its checkpoint, so progress has a total.
    for row in rows.iter().filter(|r| r.status != "done") {
        let Some(d) = Dataset::parse(&row.dataset) else { continue };
        let probe = PullRequest { cursor: row.cursor.clone(), updated_since: None, page_size: 1 };
        match job.pull(d, &probe).await {
            Ok((page, _)) => {
                let mut conn = state.db.conn().await?;
                store::set_expected(&mut conn, id, d.as_str(), row.fetched + page.remaining, now_ms()).await?;
            }
            Err(PullError::Failed(message)) => {
                let mut tx = state.db.begin().await?;
                store::finish_import(&mut tx, id, "failed", &message, now_ms()).await?;
                tx.commit().await.map_err(ApiError::internal)?;
                return Ok(());
            }
            Err(PullError::Internal(e)) => return Err(e),
        }
    }
    for row in rows.iter().filter(|r| r.status != "done") {
        {
            let mut conn = state.db.conn().await?;
            store::set_dataset_status(&mut conn, id, &row.dataset, "running", "", now_ms()).await?;
        }
        match job.dataset(row).await {
            Ok(()) => {
                let mut conn = state.db.conn().await?;
                store::set_dataset_status(&mut conn, id, &row.dataset, "done", "", now_ms()).await?;
            }
            Err(PullError::Failed(message)) => {
                let mut tx = state.db.begin().await?;
                store::set_dataset_status(&mut tx, id, &row.dataset, "failed", &message, now_ms()).await?;
                store::finish_import(&mut tx, id, "failed", &message, now_ms()).await?;
                tx.commit().await.map_err(ApiError::internal)?;
                tracing::warn!(import = id, dataset = %row.dataset, %message, "IRS import failed; resumable from its checkpoint");
                return Ok(());
            }
            Err(PullError::Internal(e)) => return Err(e),
        }
    }
    let mut conn = state.db.conn().await?;
    store::finish_import(&mut conn, id, "succeeded", "", now_ms()).await?;
    let done = store::import(&mut conn, id).await?;
    let secs = started.elapsed().as_secs_f64().max(0.001);
    tracing::info!(
        import = id,
        fetched = done.fetched,
        seconds = secs,
        rate = (done.fetched as f64 / secs) as i64,
        "IRS import succeeded"
    );
    Ok(())
}
