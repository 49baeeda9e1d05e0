//! Enforcement-item catalogue (执法事项目录): starts empty, filled by Excel import.

use axum::extract::{DefaultBodyLimit, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_domain::FieldError;
use xiezhi_domain::page::PageRequest;
use xiezhi_storage::audit;
use xiezhi_storage::platform::item;

use super::{flag, non_empty};
use crate::auth::{Authorized, perm};
use crate::error::{ApiError, ApiErrorBody, ApiResult};
use crate::extract::{Json, Multipart, Query};
use crate::{AppState, now_ms, xlsx};

/// Largest import file.
pub const IMPORT_LIMIT: usize = 10 * 1024 * 1024;
/// Most rows one import may carry.
pub const MAX_IMPORT_ROWS: usize = 20_000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_items))
        .routes(routes!(template))
        .routes(routes!(import_items))
        .layer(DefaultBodyLimit::max(IMPORT_LIMIT))
}

const HEADERS: [&str; 6] = ["事项编码", "事项名称", "事项类别", "实施部门", "法律依据", "状态"];
const CATEGORIES: [(&str, &str); 5] = [
    ("comprehensive", "综合执法事项"),
    ("special", "专项执法事项"),
    ("township", "乡镇执法事项"),
    ("transferred", "划转事项"),
    ("other", "其他"),
];

#[derive(Debug, Serialize, ToSchema)]
pub struct EnforcementItem {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// `comprehensive`, `special`, `township`, `transferred` or `other`.
    pub category: String,
    pub department_name: String,
    pub legal_basis: String,
    pub enabled: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EnforcementItemPage {
    pub items: Vec<EnforcementItem>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub imported: u64,
    pub updated: u64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ItemQuery {
    pub keyword: Option<String>,
    pub category: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[utoipa::path(get, path = "/api/platform/enforcement-items", tag = "platform", params(ItemQuery),
    responses((status = 200, body = EnforcementItemPage), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn list_items(
    State(s): State<AppState>,
    _a: Authorized<perm::ItemView>,
    Query(q): Query<ItemQuery>,
) -> ApiResult<Json<EnforcementItemPage>> {
    let page = PageRequest::new(q.page, q.page_size)?;
    let category = non_empty(&q.category);
    if let Some(c) = &category
        && !CATEGORIES.iter().any(|(k, _)| k == c)
    {
        return Err(ApiError::field("category", "事项类别不正确"));
    }
    let f = item::ItemFilter { keyword: non_empty(&q.keyword), category };
    let mut conn = s.db.conn().await?;
    let total = item::count(&mut conn, s.db.backend(), &f).await?;
    let rows = item::list(&mut conn, s.db.backend(), &f, page.page_size, page.offset()).await?;
    let items = rows
        .into_iter()
        .map(|r| EnforcementItem {
            id: r.id,
            code: r.code,
            name: r.name,
            category: r.category,
            department_name: r.department_name,
            legal_basis: r.legal_basis,
            enabled: flag(r.enabled),
        })
        .collect();
    Ok(Json(EnforcementItemPage { items, total, page: page.page, page_size: page.page_size }))
}

/// An empty import template with one example row.
#[utoipa::path(get, path = "/api/platform/enforcement-items/template", tag = "platform",
    responses((status = 200, description = "xlsx file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
async fn template(_a: Authorized<perm::ItemView>) -> ApiResult<Response> {
    let example = vec![
        "330217001000".to_owned(),
        "对擅自设置大型户外广告的行政处罚".to_owned(),
        "综合执法事项".to_owned(),
        "丽水市综合行政执法局".to_owned(),
        "《城市市容和环境卫生管理条例》第三十六条".to_owned(),
        "启用".to_owned(),
    ];
    xlsx::export("执法事项导入模板", "执法事项", &HEADERS, &[example])
}

/// Parse every row; all rows must be valid before anything is written.
fn parse_rows(bytes: Vec<u8>) -> Result<Vec<item::ItemWrite>, Vec<FieldError>> {
    let rows = xlsx::read_rows(bytes, &HEADERS, MAX_IMPORT_ROWS)?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (line, values) in rows {
        let mut row_errors = Vec::new();
        let code = values[0].clone();
        if code.is_empty()
            || code.chars().count() > 64
            || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            row_errors.push("事项编码须为 1–64 位字母、数字、- 或 _");
        } else if !seen.insert(code.clone()) {
            row_errors.push("事项编码在文件中重复");
        }
        if values[1].is_empty() || values[1].chars().count() > 200 {
            row_errors.push("事项名称不能为空且不超过 200 字");
        }
        let category =
            CATEGORIES.iter().find(|(k, l)| *l == values[2] || *k == values[2]).map(|(k, _)| (*k).to_owned());
        if category.is_none() {
            row_errors.push("事项类别须为 综合执法事项、专项执法事项、乡镇执法事项、划转事项 或 其他");
        }
        if values[3].chars().count() > 100 || values[4].chars().count() > 2000 {
            row_errors.push("实施部门不超过 100 字，法律依据不超过 2000 字");
        }
        let enabled = match values[5].as_str() {
            "" | "启用" => true,
            "停用" => false,
            _ => {
                row_errors.push("状态须为 启用 或 停用");
                true
            }
        };
        if row_errors.is_empty() {
            out.push(item::ItemWrite {
                code,
                name: values[1].clone(),
                category: category.unwrap_or_default(),
                department_name: values[3].clone(),
                legal_basis: values[4].clone(),
                enabled,
            });
        } else {
            errors.push(FieldError::new("file", format!("第 {line} 行：{}", row_errors.join("；"))));
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Import (insert or update by code) from the template's Excel layout. Any invalid row rejects the
/// whole file with every row error listed, and nothing is written.
#[utoipa::path(post, path = "/api/platform/enforcement-items/import", tag = "platform",
    request_body(content_type = "multipart/form-data", description = "field `file`: .xlsx in the template layout"),
    responses((status = 200, body = ImportReport), (status = 413, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn import_items(
    State(s): State<AppState>,
    auth: Authorized<perm::ItemImport>,
    form: Multipart,
) -> ApiResult<Json<ImportReport>> {
    let bytes = form.file().await?;
    let rows = tokio::task::spawn_blocking(move || parse_rows(bytes))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::Validation)?;
    let now = now_ms();
    let mut tx = s.db.begin().await?;
    let (mut imported, mut updated) = (0, 0);
    for r in &rows {
        if item::upsert(&mut tx, r, now).await? {
            imported += 1;
        } else {
            updated += 1;
        }
    }
    audit::append(
        &mut tx,
        &auth.audit(
            "item.import",
            "enforcement_item",
            "",
            format!("导入执法事项：新增 {imported} 条，更新 {updated} 条"),
            None,
        ),
    )
    .await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(ImportReport { imported, updated }))
}
