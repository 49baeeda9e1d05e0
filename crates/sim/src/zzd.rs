//! 浙政钉 (ZZD) open platform: signed server APIs (access token, log-in codes, work
//! notifications, the mozi organisation and employee APIs), the PC QR-code log-in page and an
//! operator interface under `/_sim/` (inbox of received work notifications, organisation, faults,
//! in-app auth codes).
//!
//! The organisation is a deterministic slice of Lishui's comprehensive administrative enforcement
//! staff. The accounts of the demo users of `xiezhi seed-demo` carry the same employee codes and
//! mobiles, so they link automatically.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::{Arc, RwLock};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{Router, any, get, post};
use axum::{Form, Json};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use xiezhi_domain::integration::zzd::{
    self as z, AccountId, Answer, Employee, MobileMatch, Organization, Position, Received, Sent, Token, UserInfo, code,
    path,
};

use crate::china_time;
use crate::faults::{Fault, FaultSettings, Faults, reset};
use crate::now_ms;

/// The app every simulator accepts (`xiezhi sim zzd` without options, the demo settings).
pub const DEMO_API_KEY: &str = "xiezhi-zzd-demo";
pub const DEMO_SECRET: &str = "xiezhi-zzd-demo-secret";
/// The simulated tenant (丽水市).
pub const TENANT_ID: i64 = 196_729;
/// Code of the root organisation (丽水市综合行政执法局).
pub const ROOT_ORG: &str = "GO_ls331100zhzfj";
/// Lifetime of a log-in code.
const CODE_TTL_MS: i64 = 5 * 60 * 1000;

/// One simulated staff member.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Staff {
    pub account_id: i64,
    pub employee_code: String,
    pub account: String,
    pub name: String,
    pub mobile: String,
    pub organization_code: String,
    pub job: String,
    /// `A` active, `F` left.
    pub status: String,
}

/// A work notification as received.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    pub msg_id: String,
    pub biz_msg_id: String,
    pub receiver_ids: Vec<String>,
    pub organization_codes: Vec<String>,
    pub tenant_id: String,
    pub msg: Value,
    pub received_at: i64,
    /// Later requests with the same bizMsgId (answered with the first msgId, not shown again).
    pub repeats: u32,
}

#[derive(Debug, Default)]
struct Live {
    apps: HashMap<String, String>,
    tokens: HashMap<String, i64>,
    /// Log-in code → (account id, expiry).
    codes: HashMap<String, (i64, i64)>,
    nonces: HashMap<String, i64>,
    inbox: Vec<Notice>,
    orgs: Vec<Organization>,
    staff: Vec<Staff>,
}

/// The simulated ZZD platform.
#[derive(Debug)]
pub struct ZzdSim {
    live: RwLock<Live>,
    pub faults: Faults,
}

/// The organisation tree: (code, name, parent code).
const ORGS: &[(&str, &str, &str)] = &[
    (ROOT_ORG, "丽水市综合行政执法局", ""),
    ("GO_ls331100bgs", "丽水市综合行政执法局办公室", ROOT_ORG),
    ("GO_ls331100zcfgk", "丽水市综合行政执法局政策法规科", ROOT_ORG),
    ("GO_ls331100zfjdk", "丽水市综合行政执法局执法监督科", ROOT_ORG),
    ("GO_ls331100zhcgzx", "丽水市综合行政执法局智慧城管指挥中心", ROOT_ORG),
    ("GO_ls331100zsyd", "丽水市综合行政执法局执法支队直属一大队", ROOT_ORG),
    ("GO_ls331102zhzfj", "莲都区综合行政执法局", ROOT_ORG),
    ("GO_ls331102czzd", "莲都区综合行政执法局城区执法中队", "GO_ls331102zhzfj"),
    ("GO_ls331102001", "紫金街道综合行政执法队", "GO_ls331102zhzfj"),
    ("GO_ls331102002", "岩泉街道综合行政执法队", "GO_ls331102zhzfj"),
    ("GO_ls331102003", "万象街道综合行政执法队", "GO_ls331102zhzfj"),
    ("GO_ls331102004", "白云街道综合行政执法队", "GO_ls331102zhzfj"),
    ("GO_ls331121zhzfj", "青田县综合行政执法局", ROOT_ORG),
    ("GO_ls331122zhzfj", "缙云县综合行政执法局", ROOT_ORG),
    ("GO_ls331181zhzfj", "龙泉市综合行政执法局", ROOT_ORG),
];

/// The staff of the demo accounts (`xiezhi seed-demo`): name, org, job, employee code, mobile.
const DEMO_STAFF: &[(&str, &str, &str, &str, &str)] = &[
    ("陈建华", ROOT_ORG, "局长", "LS000100", "13905781001"),
    ("叶志强", "GO_ls331102zhzfj", "局长", "LS000101", "13905781002"),
    ("吴丽娟", "GO_ls331100zhcgzx", "指挥中心调度员", "LS000102", "13905781003"),
    ("周海涛", "GO_ls331102zhzfj", "执法队员", "LS000103", "13905781004"),
    ("蓝晓峰", "GO_ls331102001", "执法队员", "LS000104", "13905781005"),
    ("刘伟", "GO_ls331100bgs", "信息化专员", "LS000105", "13905781006"),
];

const SURNAMES: &[&str] =
    &["王", "李", "张", "刘", "陈", "杨", "吴", "周", "徐", "叶", "潘", "蓝", "雷", "季", "毛", "朱"];
const GIVEN: &[&str] = &[
    "建国", "丽华", "志明", "海燕", "晓东", "伟强", "秀英", "俊杰", "春梅", "国平", "雪芳", "文斌", "小龙", "美玲",
    "立新", "瑞", "静", "斌", "敏", "涛",
];
const JOBS: &[&str] = &["执法队员", "中队长", "副中队长", "法制员", "协管员", "内勤"];

/// A deterministic 32-hex-digit code part (FNV-1a, twice) so generated codes look like ZZD's.
fn hex_of(seed: &str) -> String {
    let fnv = |salt: u64| {
        seed.bytes().fold(0xcbf2_9ce4_8422_2325_u64 ^ salt, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
    };
    format!("{:016x}{:016x}", fnv(0), fnv(0x9e37_79b9_7f4a_7c15))
}

fn default_staff() -> Vec<Staff> {
    let mut out = Vec::new();
    let mut next_account = 78_600_001_i64;
    for (name, org, job, code, mobile) in DEMO_STAFF {
        out.push(Staff {
            account_id: next_account,
            employee_code: (*code).to_owned(),
            account: format!("ls-{}", code.to_ascii_lowercase()),
            name: (*name).to_owned(),
            mobile: (*mobile).to_owned(),
            organization_code: (*org).to_owned(),
            job: (*job).to_owned(),
            status: "A".into(),
        });
        next_account += 1;
    }
    // Three more per organisation, named and numbered deterministically.
    let mut n = 0usize;
    for (org, _, _) in ORGS {
        for _ in 0..3 {
            let name = format!("{}{}", SURNAMES[(n * 7 + 3) % SURNAMES.len()], GIVEN[(n * 11 + 5) % GIVEN.len()]);
            out.push(Staff {
                account_id: next_account,
                employee_code: format!("GE_{}", hex_of(&format!("{org}/{n}"))),
                account: format!("ls-staff-{n:03}"),
                name,
                mobile: format!("1390578{:04}", 2000 + n),
                organization_code: (*org).to_owned(),
                job: JOBS[n % JOBS.len()].to_owned(),
                status: "A".into(),
            });
            next_account += 1;
            n += 1;
        }
    }
    out
}

fn default_orgs() -> Vec<Organization> {
    ORGS.iter()
        .enumerate()
        .map(|(i, (code, name, parent))| Organization {
            organization_code: (*code).to_owned(),
            organization_name: (*name).to_owned(),
            parent_code: (*parent).to_owned(),
            display_order: i64::try_from(i).unwrap_or_default() + 1,
            status: "A".into(),
        })
        .collect()
}

fn token() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// Parameters of a request: query and form body, decoded, in order.
#[derive(Debug, Default)]
struct Params(Vec<(String, String)>);

impl Params {
    fn get(&self, k: &str) -> Option<&str> {
        self.0.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
    }
    fn all(&self, k: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(a, _)| a == k)
            .flat_map(|(_, v)| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned))
            .collect()
    }
    fn num(&self, k: &str, default: i64) -> i64 {
        self.get(k).and_then(|v| v.parse().ok()).unwrap_or(default)
    }
}

fn header(h: &HeaderMap, name: &str) -> String {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

type Refusal = Box<Answer<()>>;

fn refuse(c: &str, msg: &str) -> Refusal {
    Box::new(Answer::error(c, msg))
}

impl Default for ZzdSim {
    fn default() -> Self {
        Self::new()
    }
}

impl ZzdSim {
    /// The Lishui organisation, the demo app registered.
    pub fn new() -> Self {
        let live = Live {
            apps: HashMap::from([(DEMO_API_KEY.to_owned(), DEMO_SECRET.to_owned())]),
            orgs: default_orgs(),
            staff: default_staff(),
            ..Live::default()
        };
        ZzdSim { live: RwLock::new(live), faults: Faults::default() }
    }

    /// Register (or re-key) an app.
    pub fn register(&self, api_key: &str, secret: &str) {
        if let Ok(mut l) = self.live.write() {
            l.apps.insert(api_key.to_owned(), secret.to_owned());
        }
    }

    /// Work notifications received (one per bizMsgId).
    pub fn inbox(&self) -> Vec<Notice> {
        self.live.read().map(|l| l.inbox.clone()).unwrap_or_default()
    }

    pub fn staff(&self) -> Vec<Staff> {
        self.live.read().map(|l| l.staff.clone()).unwrap_or_default()
    }

    pub fn orgs(&self) -> Vec<Organization> {
        self.live.read().map(|l| l.orgs.clone()).unwrap_or_default()
    }

    /// Change the staff (operator interface, tests): an employee leaves or moves, a new employee
    /// joins.
    pub fn set_staff(&self, s: Staff) {
        if let Ok(mut l) = self.live.write() {
            match l.staff.iter_mut().find(|x| x.employee_code == s.employee_code) {
                Some(x) => *x = s,
                None => l.staff.push(s),
            }
        }
    }

    /// Add or change an organisation (operator interface, tests).
    pub fn set_org(&self, o: Organization) {
        if let Ok(mut l) = self.live.write() {
            match l.orgs.iter_mut().find(|x| x.organization_code == o.organization_code) {
                Some(x) => *x = o,
                None => l.orgs.push(o),
            }
        }
    }

    /// A one-time log-in code for an account, as the QR page or the in-app JSAPI would issue.
    pub fn issue_code(&self, account_id: i64) -> Option<String> {
        let mut l = self.live.write().ok()?;
        if !l.staff.iter().any(|s| s.account_id == account_id && s.status == "A") {
            return None;
        }
        let c = token();
        let now = now_ms();
        l.codes.retain(|_, (_, exp)| *exp > now);
        l.codes.insert(c.clone(), (account_id, now + CODE_TTL_MS));
        Some(c)
    }

    /// Check the signing headers and the nonce of a server call; returns the apiKey.
    fn check(&self, method: &Method, uri: &Uri, h: &HeaderMap, p: &Params) -> Result<String, Refusal> {
        let r = Received {
            api_key: header(h, z::H_API_KEY),
            timestamp: header(h, z::H_TIMESTAMP),
            nonce: header(h, z::H_NONCE),
            version: header(h, z::H_VERSION),
            signature: header(h, z::H_SIGNATURE),
        };
        let now = now_ms();
        let mut l = self.live.write().map_err(|_| refuse(code::BAD_PARAM, "internal"))?;
        let secret = l.apps.get(&r.api_key).cloned().ok_or_else(|| refuse(code::NO_APP, "apiKey 不存在"))?;
        z::verify(&secret, &r, method.as_str(), uri.path(), &p.0, now).map_err(|e| match e {
            z::SignError::StaleTimestamp => refuse(code::STALE, "时间戳无效或超出允许范围"),
            other => refuse(code::BAD_SIGN, &format!("签名校验失败：{other}")),
        })?;
        l.nonces.retain(|_, seen| now - *seen <= 2 * z::TIME_WINDOW_MS);
        if l.nonces.insert(r.nonce.clone(), now).is_some() {
            return Err(refuse(code::REPLAY, "nonce 已使用"));
        }
        Ok(r.api_key)
    }

    fn check_token(&self, p: &Params) -> Result<(), Refusal> {
        let t = p.get("access_token").ok_or_else(|| refuse(code::BAD_TOKEN, "缺少 access_token"))?;
        let l = self.live.read().map_err(|_| refuse(code::BAD_PARAM, "internal"))?;
        match l.tokens.get(t) {
            Some(exp) if *exp > now_ms() => Ok(()),
            _ => Err(refuse(code::BAD_TOKEN, "access_token 无效或已过期")),
        }
    }

    fn get_token(&self, p: &Params) -> Result<Value, Refusal> {
        let (key, secret) = (p.get("appkey").unwrap_or_default(), p.get("appsecret").unwrap_or_default());
        let mut l = self.live.write().map_err(|_| refuse(code::BAD_PARAM, "internal"))?;
        if l.apps.get(key).is_none_or(|s| s != secret) {
            return Err(refuse(code::NO_APP, "appkey 或 appsecret 错误"));
        }
        let t = token();
        let now = now_ms();
        l.tokens.retain(|_, exp| *exp > now);
        l.tokens.insert(t.clone(), now + z::TOKEN_TTL_SECS * 1000);
        json(Token { access_token: t, expires_in: z::TOKEN_TTL_SECS })
    }

    fn user_by_code(&self, p: &Params, field: &str) -> Result<Value, Refusal> {
        self.check_token(p)?;
        let c = p.get(field).ok_or_else(|| refuse(code::BAD_PARAM, "缺少临时授权码"))?;
        let mut l = self.live.write().map_err(|_| refuse(code::BAD_PARAM, "internal"))?;
        let (account_id, exp) = l.codes.remove(c).ok_or_else(|| refuse(code::BAD_CODE, "临时授权码无效或已使用"))?;
        if exp <= now_ms() {
            return Err(refuse(code::BAD_CODE, "临时授权码已过期"));
        }
        let s =
            l.staff.iter().find(|s| s.account_id == account_id).ok_or_else(|| refuse(code::BAD_CODE, "账号不存在"))?;
        json(UserInfo {
            account_id: s.account_id,
            employee_code: s.employee_code.clone(),
            tenant_id: TENANT_ID,
            nick_name_cn: s.name.clone(),
            last_name: s.name.clone(),
            account: s.account.clone(),
            namespace: "local".into(),
        })
    }

    fn work_notification(&self, p: &Params) -> Result<Value, Refusal> {
        let biz = p.get("bizMsgId").ok_or_else(|| refuse(code::BAD_PARAM, "缺少 bizMsgId"))?.to_owned();
        let receivers = p.all("receiverIds");
        let orgs = p.all("organizationCodes");
        if receivers.is_empty() && orgs.is_empty() {
            return Err(refuse(code::BAD_PARAM, "receiverIds 与 organizationCodes 不能同时为空"));
        }
        if orgs.len() > z::MAX_RECEIVER_ORGS {
            return Err(refuse(code::BAD_PARAM, "organizationCodes 最多 20 个"));
        }
        let raw = p.get("msg").ok_or_else(|| refuse(code::BAD_PARAM, "缺少 msg"))?;
        if raw.len() > z::MAX_MSG_BYTES {
            return Err(refuse(code::BAD_PARAM, "msg 超过 2048 字节"));
        }
        let msg: Value = serde_json::from_str(raw).map_err(|_| refuse(code::BAD_PARAM, "msg 不是 JSON"))?;
        let mut l = self.live.write().map_err(|_| refuse(code::BAD_PARAM, "internal"))?;
        if let Some(n) = l.inbox.iter_mut().find(|n| n.biz_msg_id == biz) {
            n.repeats += 1;
            return json(Sent { msg_id: n.msg_id.clone() });
        }
        let known = |id: &String| l.staff.iter().any(|s| s.account_id.to_string() == *id);
        if let Some(bad) = receivers.iter().find(|r| !known(r)) {
            return Err(refuse(code::BAD_PARAM, &format!("接收人 {bad} 不存在")));
        }
        let msg_id = format!("msg_{}", token());
        l.inbox.push(Notice {
            msg_id: msg_id.clone(),
            biz_msg_id: biz,
            receiver_ids: receivers,
            organization_codes: orgs,
            tenant_id: p.get("tenantId").unwrap_or_default().to_owned(),
            msg,
            received_at: now_ms(),
            repeats: 0,
        });
        json(Sent { msg_id })
    }

    fn org_by_code(&self, p: &Params) -> Result<Value, Refusal> {
        let c = p.get("organizationCode").ok_or_else(|| refuse(code::BAD_PARAM, "缺少 organizationCode"))?;
        let l = self.live.read().map_err(|_| refuse(code::BAD_PARAM, "internal"))?;
        let o =
            l.orgs.iter().find(|o| o.organization_code == c).ok_or_else(|| refuse(code::BAD_PARAM, "组织不存在"))?;
        json(o.clone())
    }

    fn page<T: Clone + Serialize>(items: &[T], p: &Params) -> Result<Value, Refusal> {
        let size = p.num("pageSize", 20).clamp(1, 100);
        let no = p.num("pageNo", 1).max(1);
        let start = usize::try_from((no - 1) * size).unwrap_or(usize::MAX);
        let page: Vec<T> = items.iter().skip(start).take(usize::try_from(size).unwrap_or(20)).cloned().collect();
        serde_json::to_value(Answer::page(page, i64::try_from(items.len()).unwrap_or_default()))
            .map_err(|_| refuse(code::BAD_PARAM, "internal"))
    }

    fn sub_orgs(&self, p: &Params) -> Result<Value, Refusal> {
        let c = p.get("organizationCode").ok_or_else(|| refuse(code::BAD_PARAM, "缺少 organizationCode"))?;
        let l = self.live.read().map_err(|_| refuse(code::BAD_PARAM, "internal"))?;
        let codes: Vec<String> =
            l.orgs.iter().filter(|o| o.parent_code == c).map(|o| o.organization_code.clone()).collect();
        Self::page(&codes, p)
    }

    fn org_employees(&self, p: &Params) -> Result<Value, Refusal> {
        let c = p.get("organizationCode").ok_or_else(|| refuse(code::BAD_PARAM, "缺少 organizationCode"))?;
        let status = p.get("employeeStatus");
        let l = self.live.read().map_err(|_| refuse(code::BAD_PARAM, "internal"))?;
        let list: Vec<Employee> = l
            .staff
            .iter()
            .filter(|s| s.organization_code == c && status.is_none_or(|st| st == s.status))
            .map(|s| Employee {
                employee_code: s.employee_code.clone(),
                employee_name: s.name.clone(),
                status: s.status.clone(),
                gov_employee_positions: vec![Position {
                    organization_code: s.organization_code.clone(),
                    main_job: true,
                    gov_emp_pos_job: s.job.clone(),
                    status: s.status.clone(),
                }],
            })
            .collect();
        Self::page(&list, p)
    }

    fn account_ids(&self, p: &Params) -> Result<Value, Refusal> {
        let codes = p.all("employeeCodes");
        if codes.len() > z::MAX_EMPLOYEE_CODES {
            return Err(refuse(code::BAD_PARAM, "employeeCodes 最多 100 个"));
        }
        let l = self.live.read().map_err(|_| refuse(code::BAD_PARAM, "internal"))?;
        let list: Vec<AccountId> = l
            .staff
            .iter()
            .filter(|s| codes.contains(&s.employee_code))
            .map(|s| AccountId {
                account_id: s.account_id,
                employee_code: s.employee_code.clone(),
                account_code: s.account.clone(),
            })
            .collect();
        json(list)
    }

    fn by_mobiles(&self, p: &Params) -> Result<Value, Refusal> {
        let mobiles = p.all("mobiles");
        if mobiles.len() > 50 {
            return Err(refuse(code::BAD_PARAM, "mobiles 最多 50 个"));
        }
        let l = self.live.read().map_err(|_| refuse(code::BAD_PARAM, "internal"))?;
        let list: Vec<MobileMatch> = l
            .staff
            .iter()
            .filter(|s| s.status == "A" && mobiles.contains(&s.mobile))
            .map(|s| MobileMatch {
                account_id: s.account_id,
                mobile: s.mobile.clone(),
                employee_code: s.employee_code.clone(),
            })
            .collect();
        json(list)
    }
}

fn json<T: Serialize>(data: T) -> Result<Value, Refusal> {
    serde_json::to_value(Answer::ok(data)).map_err(|_| refuse(code::BAD_PARAM, "internal"))
}

/// Every signed server API: check the fault, the signature, then answer by path.
async fn api(State(sim): State<Arc<ZzdSim>>, method: Method, uri: Uri, h: HeaderMap, body: Bytes) -> Response {
    let mut pairs: Vec<(String, String)> = match uri.query() {
        Some(q) => serde_urlencoded::from_str(q).unwrap_or_default(),
        None => Vec::new(),
    };
    if !body.is_empty() {
        match serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body) {
            Ok(mut b) => pairs.append(&mut b),
            Err(_) => return Json(Answer::<()>::error(code::BAD_PARAM, "请求体应为表单")).into_response(),
        }
    }
    let p = Params(pairs);
    let fault = match sim.faults.before().await {
        Ok(f) => f,
        Err(r) => return r,
    };
    if let Err(e) = sim.check(&method, &uri, &h, &p) {
        return Json(*e).into_response();
    }
    let answer = match uri.path() {
        path::GET_TOKEN => sim.get_token(&p),
        path::USER_BY_CODE => sim.user_by_code(&p, "code"),
        path::APP_USER => sim.user_by_code(&p, "auth_code"),
        path::WORK_NOTIFICATION => sim.work_notification(&p),
        path::ORG_BY_CODE => sim.org_by_code(&p),
        path::SUB_ORG_CODES => sim.sub_orgs(&p),
        path::ORG_EMPLOYEES => sim.org_employees(&p),
        path::ACCOUNT_IDS => sim.account_ids(&p),
        path::BY_MOBILES => sim.by_mobiles(&p),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    if fault == Fault::DropAfterCommit {
        return reset();
    }
    match answer {
        Ok(v) => Json(v).into_response(),
        Err(e) => Json(*e).into_response(),
    }
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "<style>body{font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif;margin:2rem;color:#1f2329}\
 .card{max-width:34rem;margin:auto;border:1px solid #dee0e3;border-radius:8px;padding:1.5rem}\
 h1{font-size:1.25rem;color:#1677ff}select,button{font-size:1rem;padding:.4rem;width:100%;margin-top:.6rem}\
 button{background:#1677ff;color:#fff;border:0;border-radius:4px;cursor:pointer}table{border-collapse:collapse;width:100%}\
 td,th{border:1px solid #dee0e3;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}.muted{color:#8f959e}</style>";

#[derive(Debug, Deserialize)]
struct AuthQuery {
    #[serde(default)]
    response_type: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    redirect_uri: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    scope: String,
}

fn error_page(msg: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Html(format!(
            "<!doctype html><meta charset=utf-8>{STYLE}<div class=card><h1>浙政钉登录</h1><p>{}</p></div>",
            esc(msg)
        )),
    )
        .into_response()
}

/// The PC QR-code log-in page: "scanning" is choosing an account and confirming.
async fn auth_page(State(sim): State<Arc<ZzdSim>>, Query(q): Query<AuthQuery>) -> Response {
    if q.response_type != "code" || q.redirect_uri.is_empty() {
        return error_page("参数错误：response_type 须为 code，redirect_uri 不能为空");
    }
    let (known, orgs, staff) = match sim.live.read() {
        Ok(l) => (l.apps.contains_key(&q.client_id), l.orgs.clone(), l.staff.clone()),
        Err(_) => return error_page("内部错误"),
    };
    if !known {
        return error_page("应用不存在（client_id 未注册）");
    }
    let mut options = String::new();
    for o in &orgs {
        let members: Vec<&Staff> =
            staff.iter().filter(|s| s.organization_code == o.organization_code && s.status == "A").collect();
        if members.is_empty() {
            continue;
        }
        let _ = write!(options, "<optgroup label=\"{}\">", esc(&o.organization_name));
        for s in members {
            let _ = write!(options, "<option value=\"{}\">{}（{}）</option>", s.account_id, esc(&s.name), esc(&s.job));
        }
        options.push_str("</optgroup>");
    }
    Html(format!(
        "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>浙政钉扫码登录（模拟）</title>{STYLE}\
         <div class=card><h1>浙政钉 · 扫码登录（模拟器）</h1>\
         <p class=muted>真实环境中用浙政钉 App 扫描二维码；模拟器中选择账号并确认即视为扫码授权。</p>\
         <form method=post action=\"confirm.htm\">\
         <input type=hidden name=client_id value=\"{}\"><input type=hidden name=redirect_uri value=\"{}\">\
         <input type=hidden name=state value=\"{}\"><input type=hidden name=scope value=\"{}\">\
         <label>选择登录账号<select name=account_id required>{options}</select></label>\
         <button type=submit>确认登录</button></form></div></html>",
        esc(&q.client_id),
        esc(&q.redirect_uri),
        esc(&q.state),
        esc(&q.scope),
    ))
    .into_response()
}

#[derive(Debug, Deserialize)]
struct Confirm {
    client_id: String,
    redirect_uri: String,
    #[serde(default)]
    state: String,
    account_id: i64,
    #[serde(default)]
    #[allow(dead_code)]
    scope: String,
}

/// The user confirmed: back to the app with a one-time code.
async fn auth_confirm(State(sim): State<Arc<ZzdSim>>, Form(c): Form<Confirm>) -> Response {
    let known = sim.live.read().map(|l| l.apps.contains_key(&c.client_id)).unwrap_or(false);
    if !known {
        return error_page("应用不存在（client_id 未注册）");
    }
    let Some(code) = sim.issue_code(c.account_id) else { return error_page("账号不存在或已停用") };
    let sep = if c.redirect_uri.contains('?') { '&' } else { '?' };
    let query = serde_urlencoded::to_string([("code", code.as_str()), ("state", c.state.as_str())]).unwrap_or_default();
    Redirect::to(&format!("{}{sep}{query}", c.redirect_uri)).into_response()
}

fn staff_names(staff: &[Staff]) -> BTreeMap<String, String> {
    staff.iter().map(|s| (s.account_id.to_string(), s.name.clone())).collect()
}

/// The operator's inbox page.
async fn inbox_page(State(sim): State<Arc<ZzdSim>>) -> Html<String> {
    let names = staff_names(&sim.staff());
    let mut rows = String::new();
    for n in sim.inbox().iter().rev() {
        let who: Vec<String> =
            n.receiver_ids.iter().map(|r| names.get(r).cloned().unwrap_or_else(|| r.clone())).collect();
        let title = n.msg.pointer("/oa/body/title").and_then(Value::as_str).unwrap_or_default();
        let content = n
            .msg
            .pointer("/oa/body/content")
            .or_else(|| n.msg.pointer("/text/content"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let _ = write!(
            rows,
            "<tr><td>{}</td><td>{}</td><td><b>{}</b><br>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&china_time(n.received_at)),
            esc(&who.join("、")),
            esc(title),
            esc(content),
            esc(&n.biz_msg_id),
            n.repeats
        );
    }
    if rows.is_empty() {
        rows.push_str("<tr><td colspan=5 class=muted>暂无工作通知</td></tr>");
    }
    Html(format!(
        "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>浙政钉模拟器 · 工作通知</title>{STYLE}\
         <h1>浙政钉模拟器 · 收到的工作通知</h1><p class=muted>同一 bizMsgId 只显示一次，“重复”为之后被去重的请求数。\
         <a href=\"inbox.json\">JSON</a> · <a href=\"org.json\">组织与人员</a></p>\
         <table><tr><th>时间</th><th>接收人</th><th>内容</th><th>bizMsgId</th><th>重复</th></tr>{rows}</table></html>"
    ))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CodeRequest {
    account_id: i64,
}

/// Operator routes under `/_sim/`.
fn operator(sim: Arc<ZzdSim>) -> Router {
    Router::new()
        .route("/_sim/inbox", get(inbox_page))
        .route("/_sim/inbox.json", get(|State(s): State<Arc<ZzdSim>>| async move { Json(s.inbox()) }))
        .route(
            "/_sim/org.json",
            get(|State(s): State<Arc<ZzdSim>>| async move {
                Json(serde_json::json!({ "tenantId": TENANT_ID, "organizations": s.orgs(), "staff": s.staff() }))
            }),
        )
        .route(
            "/_sim/staff",
            post(|State(s): State<Arc<ZzdSim>>, Json(st): Json<StaffInput>| async move {
                s.set_staff(st.into_staff());
                StatusCode::NO_CONTENT
            }),
        )
        .route(
            "/_sim/org",
            post(|State(s): State<Arc<ZzdSim>>, Json(o): Json<Organization>| async move {
                s.set_org(o);
                StatusCode::NO_CONTENT
            }),
        )
        .route(
            "/_sim/faults",
            get(|State(s): State<Arc<ZzdSim>>| async move { Json(s.faults.get()) }).put(
                |State(s): State<Arc<ZzdSim>>, Json(f): Json<FaultSettings>| async move {
                    s.faults.set(f);
                    StatusCode::NO_CONTENT
                },
            ),
        )
        .route(
            "/_sim/authcode",
            post(|State(s): State<Arc<ZzdSim>>, Json(r): Json<CodeRequest>| async move {
                match s.issue_code(r.account_id) {
                    Some(c) => Json(serde_json::json!({ "authCode": c })).into_response(),
                    None => (StatusCode::NOT_FOUND, "账号不存在或已停用").into_response(),
                }
            }),
        )
        .with_state(sim)
}

/// A staff member as the operator enters it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StaffInput {
    pub account_id: i64,
    pub employee_code: String,
    pub name: String,
    #[serde(default)]
    pub mobile: String,
    pub organization_code: String,
    #[serde(default)]
    pub job: String,
    #[serde(default = "active")]
    pub status: String,
}

fn active() -> String {
    "A".into()
}

impl StaffInput {
    fn into_staff(self) -> Staff {
        Staff {
            account: format!("acc-{}", self.account_id),
            account_id: self.account_id,
            employee_code: self.employee_code,
            name: self.name,
            mobile: self.mobile,
            organization_code: self.organization_code,
            job: self.job,
            status: self.status,
        }
    }
}

/// The whole simulator: server APIs, the log-in page and the operator interface.
pub fn router(sim: Arc<ZzdSim>) -> Router {
    let mut r = Router::new()
        .route(path::QR_AUTH, get(auth_page))
        .route("/oauth2/confirm.htm", post(auth_confirm))
        .route("/_sim/", get(|| async { Redirect::to("inbox") }));
    for p in [
        path::GET_TOKEN,
        path::USER_BY_CODE,
        path::APP_USER,
        path::WORK_NOTIFICATION,
        path::ORG_BY_CODE,
        path::SUB_ORG_CODES,
        path::ORG_EMPLOYEES,
        path::ACCOUNT_IDS,
        path::BY_MOBILES,
    ] {
        r = r.route(p, any(api));
    }
    r.with_state(sim.clone()).merge(operator(sim)).layer(axum::middleware::map_response(no_store))
}

async fn no_store(mut res: Response) -> Response {
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    async fn call(r: &Router, method: Method, uri: &str, params: &[(&str, &str)], secret: &str) -> Value {
        call_at(r, "", method, uri, params, secret).await
    }

    /// A signed call to `prefix + uri` (the signature covers the API path only).
    async fn call_at(
        r: &Router,
        prefix: &str,
        method: Method,
        uri: &str,
        params: &[(&str, &str)],
        secret: &str,
    ) -> Value {
        let pairs: Vec<(String, String)> = params.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        let nonce = token();
        let hs = z::headers(DEMO_API_KEY, secret, method.as_str(), uri, &pairs, now_ms(), &nonce);
        let body = serde_urlencoded::to_string(&pairs).unwrap();
        let mut b = Request::builder().method(method.clone()).uri(if method == Method::GET {
            format!("{prefix}{uri}?{body}")
        } else {
            format!("{prefix}{uri}")
        });
        for (k, v) in hs {
            b = b.header(k, v);
        }
        let req = if method == Method::GET {
            b.body(Body::empty()).unwrap()
        } else {
            b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(Body::from(body)).unwrap()
        };
        let res = r.clone().oneshot(req).await.unwrap();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn token_code_login_and_deduplicated_notification() {
        let sim = Arc::new(ZzdSim::new());
        let r = router(sim.clone());
        let bad =
            call(&r, Method::GET, path::GET_TOKEN, &[("appkey", DEMO_API_KEY), ("appsecret", DEMO_SECRET)], "x").await;
        assert_eq!(bad["errorCode"], code::BAD_SIGN);
        let t = call(
            &r,
            Method::GET,
            path::GET_TOKEN,
            &[("appkey", DEMO_API_KEY), ("appsecret", DEMO_SECRET)],
            DEMO_SECRET,
        )
        .await;
        let token = t["content"]["data"]["accessToken"].as_str().unwrap().to_owned();
        let staff = sim.staff();
        let code = sim.issue_code(staff[0].account_id).unwrap();
        let u =
            call(&r, Method::POST, path::USER_BY_CODE, &[("access_token", &token), ("code", &code)], DEMO_SECRET).await;
        assert_eq!(u["content"]["data"]["employeeCode"], "LS000100");
        // A code works once.
        let again =
            call(&r, Method::POST, path::USER_BY_CODE, &[("access_token", &token), ("code", &code)], DEMO_SECRET).await;
        assert_eq!(again["errorCode"], code::BAD_CODE);
        let receiver = staff[1].account_id.to_string();
        let msg = r#"{"msgtype":"text","text":{"content":"新任务"}}"#;
        let params = [("receiverIds", receiver.as_str()), ("tenantId", "196729"), ("bizMsgId", "evt-1"), ("msg", msg)];
        let a = call(&r, Method::POST, path::WORK_NOTIFICATION, &params, DEMO_SECRET).await;
        let b = call(&r, Method::POST, path::WORK_NOTIFICATION, &params, DEMO_SECRET).await;
        assert_eq!(a["content"]["data"]["msgId"], b["content"]["data"]["msgId"]);
        let inbox = sim.inbox();
        assert_eq!(inbox.len(), 1);
        assert_eq!(inbox[0].repeats, 1);
    }

    #[tokio::test]
    async fn works_mounted_under_a_prefix_like_the_built_in_simulator() {
        let sim = Arc::new(ZzdSim::new());
        sim.register("other-app", "other-secret");
        let r = Router::new().nest("/sim/zzd", router(sim));
        let params = [("appkey", DEMO_API_KEY), ("appsecret", DEMO_SECRET)];
        let t = call_at(&r, "/sim/zzd", Method::GET, path::GET_TOKEN, &params, DEMO_SECRET).await;
        assert!(t["content"]["data"]["accessToken"].is_string(), "{t}");
    }

    #[tokio::test]
    async fn org_tree_pages_and_account_ids() {
        let sim = Arc::new(ZzdSim::new());
        let r = router(sim.clone());
        let subs = call(
            &r,
            Method::POST,
            path::SUB_ORG_CODES,
            &[("organizationCode", ROOT_ORG), ("pageSize", "3"), ("pageNo", "2"), ("tenantId", "196729")],
            DEMO_SECRET,
        )
        .await;
        assert_eq!(subs["content"]["data"].as_array().unwrap().len(), 3);
        assert_eq!(subs["content"]["totalSize"], 9);
        let emps = call(&r, Method::POST, path::ORG_EMPLOYEES, &[("organizationCode", ROOT_ORG)], DEMO_SECRET).await;
        let list = emps["content"]["data"].as_array().unwrap();
        assert!(list.iter().any(|e| e["employeeName"] == "陈建华"));
        let ids = call(
            &r,
            Method::POST,
            path::ACCOUNT_IDS,
            &[("employeeCodes", "LS000100"), ("employeeCodes", "LS000101")],
            DEMO_SECRET,
        )
        .await;
        assert_eq!(ids["content"]["data"].as_array().unwrap().len(), 2);
        // Deterministic: a second simulator has the same staff.
        assert_eq!(
            serde_json::to_string(&ZzdSim::new().staff()).unwrap(),
            serde_json::to_string(&sim.staff()).unwrap()
        );
    }

    #[tokio::test]
    async fn qr_page_lists_accounts_and_confirm_redirects_with_code_and_state() {
        let sim = Arc::new(ZzdSim::new());
        let r = router(sim.clone());
        let uri = format!(
            "{}?response_type=code&client_id={DEMO_API_KEY}&redirect_uri=http%3A%2F%2Fapp%2Fcb&scope=get_user_info&authType=QRCODE&state=s%3C1",
            path::QR_AUTH
        );
        let res = r.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let html = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        assert!(html.contains("陈建华") && html.contains("s&lt;1"), "{html}");
        let id = sim.staff()[0].account_id;
        let form = format!("client_id={DEMO_API_KEY}&redirect_uri=http%3A%2F%2Fapp%2Fcb&state=s1&account_id={id}");
        let res = r
            .oneshot(
                Request::post("/oauth2/confirm.htm")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(form))
                    .unwrap(),
            )
            .await
            .unwrap();
        let loc = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
        assert!(loc.starts_with("http://app/cb?code=") && loc.ends_with("&state=s1"), "{loc}");
    }
}
