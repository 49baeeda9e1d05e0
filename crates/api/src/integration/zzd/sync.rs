//! Organisation and account synchronisation from ZZD (mozi APIs): walk the organisation tree from
//! the root, page the employees of each organisation, resolve account ids, match mobiles of
//! unlinked local users, and compare with what is stored. The diff is stored as a preview run; an
//! administrator applies (or discards) it. Scheduled runs make previews too, applied only when
//! the option `sync_auto_apply` is true.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_domain::integration::zzd::{self as z, AccountId, Employee, MobileMatch, Organization, path};
use xiezhi_domain::values::Phone;
use xiezhi_storage::audit::{self, NewAudit};
use xiezhi_storage::integration as sys_store;
use xiezhi_storage::platform::{department, user::Protected};
use xiezhi_storage::{Conn, zzd as store};

use super::{account, call, http, option_str};
use crate::auth::{Authorized, perm};
use crate::error::{ApiError, ApiErrorBody, ApiResult};
use crate::extract::{Json, Path};
use crate::integration::gateway::GatewayError;
use crate::integration::{Settings, settings, system};
use crate::{AppState, now_ms};

/// A preview older than this is refused: ZZD may have changed since.
const PREVIEW_TTL_MS: i64 = 60 * 60 * 1000;
/// Safety bound of the organisation walk.
const MAX_ORGS: usize = 5000;
const PAGE_SIZE: i64 = 100;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(preview))
        .routes(routes!(list_runs))
        .routes(routes!(get_run))
        .routes(routes!(apply_run))
        .routes(routes!(discard_run))
}

/// An organisation in a diff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SyncOrg {
    pub org_code: String,
    pub name: String,
    pub parent_code: String,
    pub display_order: i64,
    /// The local department of the same name, if any.
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    /// No local department matches: one is created under the parent's department on apply.
    #[serde(default)]
    pub create_department: bool,
}

/// An account in a diff. The mobile is only present (encrypted) when it matched a local user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SyncAccount {
    pub account_id: i64,
    pub employee_code: String,
    pub name: String,
    pub org_code: String,
    pub job: String,
    pub mobile_masked: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(ignore)]
    pub mobile_enc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(ignore)]
    pub mobile_index: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Change<T> {
    pub before: T,
    pub after: T,
}

/// An account that will be linked when the run is applied.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProposedLink {
    pub account_id: i64,
    pub name: String,
    pub user_id: i64,
    pub username: String,
    /// `employee_code` or `mobile`.
    pub method: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct SyncDiff {
    pub orgs_added: Vec<SyncOrg>,
    pub orgs_changed: Vec<Change<SyncOrg>>,
    pub orgs_removed: Vec<SyncOrg>,
    pub accounts_added: Vec<SyncAccount>,
    pub accounts_changed: Vec<Change<SyncAccount>>,
    /// Accounts no longer in ZZD (they are marked as left; their links stop working).
    pub accounts_removed: Vec<SyncAccount>,
    pub links: Vec<ProposedLink>,
    pub unchanged_orgs: i64,
    pub unchanged_accounts: i64,
}

impl SyncDiff {
    fn summary(&self) -> String {
        format!(
            "组织 新增 {}（新建本地部门 {}） / 变更 {} / 撤销 {}；账号 新增 {} / 变更 {} / 离开 {}；自动关联 {}",
            self.orgs_added.len(),
            self.orgs_added.iter().filter(|o| o.create_department).count(),
            self.orgs_changed.len(),
            self.orgs_removed.len(),
            self.accounts_added.len(),
            self.accounts_changed.len(),
            self.accounts_removed.len(),
            self.links.len()
        )
    }
    /// The diff as shown: no ciphertext or blind index.
    fn public(mut self) -> Self {
        let strip = |a: &mut SyncAccount| {
            a.mobile_enc = None;
            a.mobile_index = None;
        };
        self.accounts_added.iter_mut().for_each(strip);
        self.accounts_removed.iter_mut().for_each(strip);
        for c in &mut self.accounts_changed {
            strip(&mut c.before);
            strip(&mut c.after);
        }
        self
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SyncRun {
    pub id: i64,
    /// `manual` or `schedule`.
    pub origin: String,
    /// `preview`, `applied`, `discarded` or `failed`.
    pub status: String,
    pub summary: String,
    pub error: String,
    pub created_by: String,
    pub created_at: i64,
    pub applied_by: String,
    pub applied_at: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SyncRunDetail {
    #[serde(flatten)]
    pub run: SyncRun,
    pub diff: Option<SyncDiff>,
}

fn run_of(r: &store::RunRow) -> SyncRun {
    SyncRun {
        id: r.id,
        origin: r.origin.clone(),
        status: r.status.clone(),
        summary: r.summary.clone(),
        error: r.error.clone(),
        created_by: r.created_by.clone(),
        created_at: r.created_at,
        applied_by: r.applied_by.clone(),
        applied_at: r.applied_at,
    }
}

fn detail_of(r: store::RunRow) -> SyncRunDetail {
    let diff = serde_json::from_str::<SyncDiff>(&r.diff).ok().map(SyncDiff::public);
    SyncRunDetail { run: run_of(&r), diff }
}

// ---- reading ZZD ---------------------------------------------------------------------------------

fn text(e: (GatewayError, String)) -> String {
    e.0.to_string()
}

fn tenant(s: &Settings) -> Vec<(String, String)> {
    vec![("tenantId".to_owned(), option_str(s, "tenant_id"))]
}

/// All pages of a paged mozi API.
async fn pages<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    s: &Settings,
    api: &str,
    base: Vec<(String, String)>,
) -> Result<Vec<T>, String> {
    let mut out = Vec::new();
    for page in 1..=1000 {
        let mut params = base.clone();
        params.extend([
            ("pageNo".to_owned(), page.to_string()),
            ("pageSize".to_owned(), PAGE_SIZE.to_string()),
            ("returnTotalSize".to_owned(), "true".to_owned()),
        ]);
        let (items, _): (Vec<T>, String) = call(http, s, reqwest::Method::POST, api, params).await.map_err(text)?;
        let n = items.len();
        out.extend(items);
        if i64::try_from(n).unwrap_or_default() < PAGE_SIZE {
            break;
        }
    }
    Ok(out)
}

struct Remote {
    orgs: Vec<Organization>,
    /// employee code → (employee, main organisation, job)
    employees: BTreeMap<String, (Employee, String, String)>,
    accounts: HashMap<String, i64>,
    mobiles: HashMap<String, String>,
}

fn root_org(s: &Settings) -> String {
    match option_str(s, "root_org") {
        r if r.is_empty() && s.builtin => xiezhi_sim::zzd::ROOT_ORG.to_owned(),
        r => r,
    }
}

async fn read_remote(state: &AppState, s: &Settings, unlinked: Vec<(i64, String)>) -> Result<Remote, String> {
    let http = http().map_err(|e| e.to_string())?;
    let root = root_org(s);
    if root.is_empty() {
        return Err("未配置根组织编码（选项 root_org）".into());
    }
    let mut orgs = Vec::new();
    let mut queue = vec![root];
    let mut seen = BTreeSet::new();
    while let Some(code) = queue.pop() {
        if !seen.insert(code.clone()) || seen.len() > MAX_ORGS {
            continue;
        }
        let mut params = tenant(s);
        params.push(("organizationCode".to_owned(), code.clone()));
        let (org, _): (Organization, String) =
            call(&http, s, reqwest::Method::POST, path::ORG_BY_CODE, params.clone()).await.map_err(text)?;
        let subs: Vec<String> = pages(&http, s, path::SUB_ORG_CODES, params).await?;
        queue.extend(subs.into_iter().rev());
        orgs.push(org);
    }
    let mut employees = BTreeMap::new();
    for o in &orgs {
        let mut params = tenant(s);
        params.push(("organizationCode".to_owned(), o.organization_code.clone()));
        let list: Vec<Employee> = pages(&http, s, path::ORG_EMPLOYEES, params).await?;
        for e in list {
            let main = e.gov_employee_positions.iter().find(|p| p.main_job).or(e.gov_employee_positions.first());
            let (org, job) = main
                .map(|p| (p.organization_code.clone(), p.gov_emp_pos_job.clone()))
                .unwrap_or_else(|| (o.organization_code.clone(), String::new()));
            let entry = employees.entry(e.employee_code.clone());
            // The position in its main organisation wins over the one seen first.
            if org == o.organization_code || matches!(entry, std::collections::btree_map::Entry::Vacant(_)) {
                employees.insert(e.employee_code.clone(), (e, org, job));
            }
        }
    }
    let codes: Vec<String> = employees.keys().cloned().collect();
    let mut accounts = HashMap::new();
    for chunk in codes.chunks(z::MAX_EMPLOYEE_CODES) {
        let mut params = tenant(s);
        params.extend(chunk.iter().map(|c| ("employeeCodes".to_owned(), c.clone())));
        let (ids, _): (Vec<AccountId>, String) =
            call(&http, s, reqwest::Method::POST, path::ACCOUNT_IDS, params).await.map_err(text)?;
        accounts.extend(ids.into_iter().map(|a| (a.employee_code, a.account_id)));
    }
    // Mobiles of unlinked local users → employee codes (for linking by mobile).
    let mut phones = Vec::new();
    for (_, enc) in unlinked {
        if let Ok(p) = state.cipher.decrypt(&enc) {
            phones.push(p);
        }
    }
    let mut mobiles = HashMap::new();
    for chunk in phones.chunks(50) {
        let mut params = tenant(s);
        params.push(("mobiles".to_owned(), chunk.join(",")));
        params.push(("areaCode".to_owned(), "86".to_owned()));
        params.push(("namespace".to_owned(), "local".to_owned()));
        let (found, _): (Vec<MobileMatch>, String) =
            call(&http, s, reqwest::Method::POST, path::BY_MOBILES, params).await.map_err(text)?;
        mobiles.extend(found.into_iter().map(|m| (m.employee_code, m.mobile)));
    }
    Ok(Remote { orgs, employees, accounts, mobiles })
}

// ---- the diff ------------------------------------------------------------------------------------

async fn compute(state: &AppState, s: &Settings) -> ApiResult<Result<SyncDiff, String>> {
    let phones = {
        let mut conn = state.db.conn().await?;
        store::unlinked_users_with_phone(&mut conn).await?
    };
    let remote = match read_remote(state, s, phones).await {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let mut conn = state.db.conn().await?;
    let departments: HashMap<String, (i64, String)> =
        department::list(&mut conn).await?.into_iter().map(|d| (d.name.clone(), (d.id, d.name))).collect();
    let stored_orgs: HashMap<String, store::OrgRow> =
        store::orgs(&mut conn).await?.into_iter().map(|o| (o.org_code.clone(), o)).collect();
    let stored_accounts: HashMap<i64, store::AccountState> =
        store::account_states(&mut conn).await?.into_iter().map(|a| (a.account_id, a)).collect();
    let mut d = SyncDiff::default();
    let mut remote_orgs = BTreeSet::new();
    for o in &remote.orgs {
        remote_orgs.insert(o.organization_code.clone());
        let stored = stored_orgs.get(&o.organization_code);
        let dept = stored
            .and_then(|s| s.department_id.map(|id| (id, s.department_name.clone().unwrap_or_default())))
            .or_else(|| departments.get(&o.organization_name).cloned());
        let after = SyncOrg {
            org_code: o.organization_code.clone(),
            name: o.organization_name.clone(),
            parent_code: o.parent_code.clone(),
            display_order: o.display_order,
            department_id: dept.as_ref().map(|x| x.0),
            department_name: dept.map(|x| x.1),
            create_department: false,
        };
        match stored {
            None => d.orgs_added.push(after),
            Some(st) => {
                let before = SyncOrg {
                    org_code: st.org_code.clone(),
                    name: st.name.clone(),
                    parent_code: st.parent_code.clone(),
                    display_order: st.display_order,
                    department_id: st.department_id,
                    department_name: st.department_name.clone(),
                    create_department: false,
                };
                if before == after && st.status == "A" {
                    d.unchanged_orgs += 1;
                } else {
                    d.orgs_changed.push(Change { before, after });
                }
            }
        }
    }
    for st in stored_orgs.values().filter(|o| o.status == "A" && !remote_orgs.contains(&o.org_code)) {
        d.orgs_removed.push(SyncOrg {
            org_code: st.org_code.clone(),
            name: st.name.clone(),
            parent_code: st.parent_code.clone(),
            display_order: st.display_order,
            department_id: st.department_id,
            department_name: st.department_name.clone(),
            create_department: false,
        });
    }
    // New organisations without a same-named department get one under their parent's department
    // (the tree walk lists parents first).
    let mut mapped: BTreeSet<String> = stored_orgs
        .values()
        .filter(|o| o.department_id.is_some())
        .map(|o| o.org_code.clone())
        .chain(d.orgs_changed.iter().filter(|c| c.after.department_id.is_some()).map(|c| c.after.org_code.clone()))
        .collect();
    for o in &mut d.orgs_added {
        if o.department_id.is_none() && mapped.contains(&o.parent_code) {
            o.create_department = true;
        }
        if o.department_id.is_some() || o.create_department {
            mapped.insert(o.org_code.clone());
        }
    }
    let mut remote_accounts = BTreeSet::new();
    for (code, (e, org, job)) in &remote.employees {
        let Some(&account_id) = remote.accounts.get(code) else { continue };
        if e.status == "F" {
            continue;
        }
        remote_accounts.insert(account_id);
        let mobile = remote.mobiles.get(code).and_then(|m| Phone::parse(m).ok());
        let after = SyncAccount {
            account_id,
            employee_code: code.clone(),
            name: e.employee_name.clone(),
            org_code: org.clone(),
            job: job.clone(),
            mobile_masked: mobile.as_ref().map(Phone::masked),
            mobile_enc: mobile.as_ref().map(|p| state.cipher.encrypt(p.expose())),
            mobile_index: mobile.as_ref().map(|p| state.cipher.blind_index(p.expose())),
        };
        match stored_accounts.get(&account_id) {
            None => d.accounts_added.push(after.clone()),
            Some(st) => {
                let before = SyncAccount {
                    account_id,
                    employee_code: st.employee_code.clone(),
                    name: st.name.clone(),
                    org_code: st.org_code.clone(),
                    job: st.job.clone(),
                    mobile_masked: None,
                    mobile_enc: None,
                    mobile_index: None,
                };
                let same = before.employee_code == after.employee_code
                    && before.name == after.name
                    && before.org_code == after.org_code
                    && before.job == after.job
                    && after.mobile_index.is_none()
                    && st.status == "A";
                if same {
                    d.unchanged_accounts += 1;
                } else {
                    d.accounts_changed.push(Change { before, after: after.clone() });
                }
            }
        }
        if stored_accounts.get(&account_id).is_none_or(|st| st.user_id.is_none()) {
            let by_code = store::user_by_employee_code(&mut conn, code).await?.map(|u| (u, "employee_code"));
            let found = match by_code {
                Some(x) => Some(x),
                None => match &after.mobile_index {
                    Some(i) => store::user_by_phone_index(&mut conn, i).await?.map(|u| (u, "mobile")),
                    None => None,
                },
            };
            if let Some((user_id, method)) = found
                && !d.links.iter().any(|l| l.user_id == user_id)
            {
                let u =
                    xiezhi_storage::platform::user::get(&mut conn, user_id, &xiezhi_storage::query::ScopeFilter::All)
                        .await?;
                d.links.push(ProposedLink {
                    account_id,
                    name: after.name.clone(),
                    user_id,
                    username: u.username,
                    method: method.into(),
                });
            }
        }
    }
    for st in stored_accounts.values().filter(|a| a.status == "A" && !remote_accounts.contains(&a.account_id)) {
        d.accounts_removed.push(SyncAccount {
            account_id: st.account_id,
            employee_code: st.employee_code.clone(),
            name: st.name.clone(),
            org_code: st.org_code.clone(),
            job: st.job.clone(),
            mobile_masked: None,
            mobile_enc: None,
            mobile_index: None,
        });
    }
    Ok(Ok(d))
}

/// Read ZZD and store the diff as a run (`preview`, or `failed` with the reason).
pub async fn make_preview(state: &AppState, origin: &str, by: &str) -> ApiResult<store::RunRow> {
    let s = settings(state, system::ZZD).await?;
    if !s.enabled {
        return Err(ApiError::Coded {
            status: axum::http::StatusCode::CONFLICT,
            code: "zzd_disabled",
            message: "浙政钉对接未启用".into(),
        });
    }
    let outcome = compute(state, &s).await?;
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    let id = match &outcome {
        Ok(d) => {
            let diff = serde_json::to_string(d).map_err(ApiError::internal)?;
            store::insert_run(&mut tx, origin, "preview", &diff, &d.summary(), "", by, now).await?
        }
        Err(e) => store::insert_run(&mut tx, origin, "failed", "{}", "读取浙政钉组织失败", e, by, now).await?,
    };
    let summary = match &outcome {
        Ok(d) => format!("浙政钉组织同步预览：{}", d.summary()),
        Err(e) => format!("浙政钉组织同步预览失败：{e}"),
    };
    let mut entry = system_entry(by, "zzd.sync_preview", id, summary);
    if outcome.is_err() {
        entry.outcome = "failure";
    }
    audit::append(&mut tx, &entry).await?;
    let run = store::run(&mut tx, id).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(run)
}

fn system_entry(by: &str, action: &str, run_id: i64, summary: String) -> NewAudit {
    NewAudit {
        occurred_at: now_ms(),
        actor_id: None,
        actor_name: by.chars().take(64).collect(),
        ip: "system".into(),
        action: action.into(),
        target_type: "zzd_sync".into(),
        target_id: run_id.to_string(),
        outcome: "success",
        summary,
        changes: None,
    }
}

/// Apply a previewed run in one transaction.
async fn apply(tx: &mut Conn, run: &store::RunRow, by: &str, now: i64) -> ApiResult<SyncDiff> {
    let mut d: SyncDiff = serde_json::from_str(&run.diff).map_err(ApiError::internal)?;
    let mut departments: HashMap<String, i64> =
        store::orgs(tx).await?.into_iter().filter_map(|o| o.department_id.map(|id| (o.org_code, id))).collect();
    departments
        .extend(d.orgs_changed.iter().filter_map(|c| c.after.department_id.map(|id| (c.after.org_code.clone(), id))));
    for o in &mut d.orgs_added {
        if o.create_department
            && o.department_id.is_none()
            && let Some(&parent) = departments.get(&o.parent_code)
        {
            let p = department::get(tx, parent).await?;
            let id = department::insert(
                tx,
                &department::DepartmentWrite {
                    parent_id: Some(parent),
                    name: o.name.clone(),
                    kind: "other".into(),
                    region_code: p.region_code,
                    sort_order: o.display_order,
                    enabled: true,
                },
                now,
            )
            .await?;
            o.department_id = Some(id);
            o.department_name = Some(o.name.clone());
        }
        if let Some(id) = o.department_id {
            departments.insert(o.org_code.clone(), id);
        }
    }
    for o in d.orgs_added.iter().chain(d.orgs_changed.iter().map(|c| &c.after)) {
        store::upsert_org(
            tx,
            &store::OrgWrite {
                org_code: o.org_code.clone(),
                name: o.name.clone(),
                parent_code: o.parent_code.clone(),
                department_id: o.department_id,
                status: "A".into(),
                display_order: o.display_order,
            },
            now,
        )
        .await?;
    }
    for o in &d.orgs_removed {
        store::set_org_status(tx, &o.org_code, "F", now).await?;
    }
    for a in d.accounts_added.iter().chain(d.accounts_changed.iter().map(|c| &c.after)) {
        let mobile = match (&a.mobile_enc, &a.mobile_masked, &a.mobile_index) {
            (Some(enc), Some(masked), Some(index)) => {
                Some(Protected { enc: enc.clone(), masked: masked.clone(), index: index.clone() })
            }
            _ => None,
        };
        store::upsert_account(
            tx,
            &store::AccountWrite {
                account_id: a.account_id,
                employee_code: a.employee_code.clone(),
                name: a.name.clone(),
                mobile,
                org: Some((a.org_code.clone(), a.job.clone())),
                status: "A".into(),
            },
            now,
        )
        .await?;
    }
    for a in &d.accounts_removed {
        store::set_account_status(tx, a.account_id, "F", now).await?;
    }
    for l in &d.links {
        account::auto_link(tx, l.account_id, by, now).await?;
    }
    Ok(d)
}

async fn finish(
    state: &AppState,
    id: i64,
    by: &str,
    actor: Option<&crate::auth::Principal>,
) -> ApiResult<store::RunRow> {
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    let run = store::run(&mut tx, id).await?;
    if run.status != "preview" {
        return Err(ApiError::Conflict {
            code: "zzd_sync_not_preview",
            message: "该同步已处理，不能再次应用".into(),
            field: None,
        });
    }
    if now - run.created_at > PREVIEW_TTL_MS {
        return Err(ApiError::Conflict {
            code: "zzd_sync_stale",
            message: "预览已超过 1 小时，请重新生成预览".into(),
            field: None,
        });
    }
    let d = apply(&mut tx, &run, by, now).await?;
    if !store::finish_run(&mut tx, id, "applied", by, now).await? {
        return Err(ApiError::Conflict {
            code: "zzd_sync_not_preview",
            message: "该同步已处理，不能再次应用".into(),
            field: None,
        });
    }
    let summary = format!("应用浙政钉组织同步 #{id}：{}", d.summary());
    let entry = match actor {
        Some(p) => p.audit("zzd.sync_apply", "zzd_sync", id, summary, None),
        None => system_entry(by, "zzd.sync_apply", id, summary),
    };
    audit::append(&mut tx, &entry).await?;
    let out = store::run(&mut tx, id).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(out)
}

// ---- handlers ------------------------------------------------------------------------------------

/// Read the organisation from ZZD now and store the diff as a preview (nothing is changed yet).
#[utoipa::path(post, path = "/api/integration/zzd/sync/preview", tag = "integration",
    responses((status = 200, body = SyncRunDetail), (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn preview(State(s): State<AppState>, auth: Authorized<perm::ZzdManage>) -> ApiResult<Json<SyncRunDetail>> {
    Ok(Json(detail_of(make_preview(&s, "manual", &auth.username).await?)))
}

/// Recent synchronisation runs (newest first).
#[utoipa::path(get, path = "/api/integration/zzd/sync/runs", tag = "integration",
    responses((status = 200, body = Vec<SyncRun>), (status = 403, body = ApiErrorBody)))]
async fn list_runs(State(s): State<AppState>, _a: Authorized<perm::ZzdView>) -> ApiResult<Json<Vec<SyncRun>>> {
    let mut conn = s.db.conn().await?;
    Ok(Json(store::runs(&mut conn, 50).await?.iter().map(run_of).collect()))
}

/// One run with its diff.
#[utoipa::path(get, path = "/api/integration/zzd/sync/runs/{id}", tag = "integration",
    params(("id" = i64, Path, description = "run id")),
    responses((status = 200, body = SyncRunDetail), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
async fn get_run(
    State(s): State<AppState>,
    _a: Authorized<perm::ZzdView>,
    Path(id): Path<i64>,
) -> ApiResult<Json<SyncRunDetail>> {
    let mut conn = s.db.conn().await?;
    Ok(Json(detail_of(store::run(&mut conn, id).await?)))
}

/// Apply a previewed diff: organisations and accounts are written, left accounts marked, proposed
/// links made (each re-checked).
#[utoipa::path(post, path = "/api/integration/zzd/sync/runs/{id}/apply", tag = "integration",
    params(("id" = i64, Path, description = "run id")),
    responses((status = 200, body = SyncRunDetail), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn apply_run(
    State(s): State<AppState>,
    auth: Authorized<perm::ZzdManage>,
    Path(id): Path<i64>,
) -> ApiResult<Json<SyncRunDetail>> {
    Ok(Json(detail_of(finish(&s, id, &auth.username, Some(&auth.user)).await?)))
}

/// Discard a previewed diff.
#[utoipa::path(post, path = "/api/integration/zzd/sync/runs/{id}/discard", tag = "integration",
    params(("id" = i64, Path, description = "run id")),
    responses((status = 200, body = SyncRunDetail), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn discard_run(
    State(s): State<AppState>,
    auth: Authorized<perm::ZzdManage>,
    Path(id): Path<i64>,
) -> ApiResult<Json<SyncRunDetail>> {
    let mut tx = s.db.begin().await?;
    store::run(&mut tx, id).await?;
    if !store::finish_run(&mut tx, id, "discarded", &auth.username, now_ms()).await? {
        return Err(ApiError::Conflict {
            code: "zzd_sync_not_preview", message: "该同步已处理".into(), field: None
        });
    }
    audit::append(&mut tx, &auth.audit("zzd.sync_discard", "zzd_sync", id, format!("放弃浙政钉组织同步 #{id}"), None))
        .await?;
    let run = store::run(&mut tx, id).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Json(detail_of(run)))
}

// ---- schedule ------------------------------------------------------------------------------------

/// One scheduler pass: when the system is enabled and its `schedule_minutes` have passed since
/// the last run (claimed atomically, so one instance runs it), make a preview, and apply it when
/// `sync_auto_apply` is set. Returns the run made, if any.
pub async fn tick(state: &AppState) -> ApiResult<Option<i64>> {
    let row = {
        let mut conn = state.db.conn().await?;
        sys_store::system(&mut conn, system::ZZD).await?
    };
    let now = now_ms();
    if row.enabled == 0 || row.schedule_minutes <= 0 {
        return Ok(None);
    }
    if row.last_run_at.is_some_and(|t| now - t < row.schedule_minutes * 60_000) {
        return Ok(None);
    }
    {
        let mut conn = state.db.conn().await?;
        if !sys_store::claim_run(&mut conn, system::ZZD, row.last_run_at, now).await? {
            return Ok(None);
        }
    }
    let run = make_preview(state, "schedule", "schedule").await?;
    let options: Value = serde_json::from_str(&row.options).unwrap_or(Value::Null);
    if run.status == "preview" && options.get("sync_auto_apply").and_then(Value::as_bool).unwrap_or(false) {
        finish(state, run.id, "schedule", None).await?;
    }
    Ok(Some(run.id))
}
