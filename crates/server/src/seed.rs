//! `xiezhi seed-demo`: Lishui demo data on top of the master data the migrations load. Running it
//! again is safe: roles are kept, demo accounts get fresh passwords.

use serde::Serialize;
use xiezhi_domain::values::generate_password;
use xiezhi_storage::StorageError;
use xiezhi_storage::audit::{self, NewAudit};
use xiezhi_storage::platform::role;

use crate::admin::{ConsoleUser, upsert_user};
use crate::app::{self, AppError};
use crate::config::Config;

/// Business roles of the demo: (code, name, description, data scope, permissions).
const ROLES: &[(&str, &str, &str, &str, &[&str])] = &[
    (
        "city_leader",
        "市领导",
        "市级领导：查看全市数据与驾驶舱",
        "all",
        &[
            "platform:org:view",
            "platform:user:view",
            "platform:region:view",
            "platform:item:view",
            "platform:dict:view",
            "clue:config:view",
            "clue:case:view",
            "clue:case:export",
        ],
    ),
    (
        "county_leader",
        "县领导",
        "县（市、区）领导：查看本县域数据",
        "region",
        &[
            "platform:org:view",
            "platform:user:view",
            "platform:region:view",
            "platform:item:view",
            "clue:config:view",
            "clue:case:view",
            "clue:case:export",
        ],
    ),
    (
        "dispatcher",
        "调度员",
        "综合执法局指挥中心调度员：受理、派遣、督办",
        "all",
        &[
            "platform:org:view",
            "platform:user:view",
            "platform:region:view",
            "platform:item:view",
            "clue:config:view",
            "clue:config:edit",
            "clue:source:view",
            "clue:source:edit",
            "clue:case:view",
            "clue:case:create",
            "clue:case:handle",
            "clue:case:dispatch",
            "clue:case:export",
            "clue:case:reveal",
        ],
    ),
    (
        "handler",
        "部门处置人员",
        "职能部门处置人员：处理本部门案件",
        "department",
        &["platform:region:view", "platform:item:view", "clue:case:view", "clue:case:handle"],
    ),
    (
        "township_officer",
        "乡镇执法队员",
        "乡镇（街道）综合行政执法队队员：核查本乡镇案件",
        "department",
        &["platform:region:view", "clue:case:view", "clue:case:handle"],
    ),
];

/// Demo accounts: (username, name, department, role, phone).
const ACCOUNTS: &[(&str, &str, &str, &str, &str)] = &[
    ("cityleader", "陈建华", "丽水市综合行政执法局", "city_leader", "13905781001"),
    ("countyleader", "叶志强", "莲都区综合行政执法局", "county_leader", "13905781002"),
    ("dispatcher", "吴丽娟", "丽水市综合行政执法局智慧城管指挥中心", "dispatcher", "13905781003"),
    ("handler", "周海涛", "莲都区综合行政执法局", "handler", "13905781004"),
    ("township", "蓝晓峰", "紫金街道综合行政执法队", "township_officer", "13905781005"),
    ("sysadmin", "刘伟", "丽水市综合行政执法局办公室", "sys_admin", "13905781006"),
    ("secadmin", "王敏", "丽水市综合行政执法局政策法规科", "security_admin", "13905781007"),
    ("auditadmin", "张丽", "丽水市综合行政执法局执法监督科", "audit_admin", "13905781008"),
];

#[derive(Debug, Serialize)]
struct DemoAccount {
    username: String,
    password: String,
    display_name: String,
    role: String,
    department: String,
}

pub async fn run(cfg: &Config, history: usize) -> Result<(), AppError> {
    let db = app::migrate(cfg).await?;
    let state = app::state(cfg, db.clone())?;
    let mut tx = db.begin().await?;
    let now = xiezhi_api::now_ms();
    for (code, name, description, scope, perms) in ROLES {
        let w = role::RoleWrite {
            code: (*code).into(),
            name: (*name).into(),
            description: (*description).into(),
            data_scope: (*scope).into(),
        };
        let id = match role::find_by_code(&mut tx, code).await? {
            Some(id) => {
                role::update(&mut tx, id, &w, now).await?;
                id
            }
            None => role::insert(&mut tx, &w, now).await?,
        };
        let perms: Vec<String> = perms.iter().map(|p| (*p).to_owned()).collect();
        role::set_permissions(&mut tx, id, &perms).await?;
    }
    let responsibilities = seed_responsibilities(&mut tx, now).await?;
    seed_sources(&state, &mut tx, now).await?;
    let mut accounts = Vec::new();
    for (i, (username, name, dept, role_code, phone)) in ACCOUNTS.iter().enumerate() {
        let password = generate_password();
        upsert_user(
            &state,
            &mut tx,
            &ConsoleUser {
                username,
                display_name: name,
                department: dept,
                roles: &[(*role_code).to_owned()],
                phone: Some(phone),
                password: &password,
                employee_code: Some(format!("LS{:06}", 100 + i)),
            },
        )
        .await?;
        let role_name = ROLES.iter().find(|r| r.0 == *role_code).map(|r| r.1).unwrap_or(match *role_code {
            "sys_admin" => "系统管理员",
            "security_admin" => "安全管理员",
            _ => "审计管理员",
        });
        accounts.push(DemoAccount {
            username: (*username).into(),
            password,
            display_name: (*name).into(),
            role: role_name.into(),
            department: (*dept).into(),
        });
    }
    audit::append(
        &mut tx,
        &NewAudit {
            occurred_at: now,
            actor_id: None,
            actor_name: "console".into(),
            ip: "console".into(),
            action: "demo.seed".into(),
            target_type: "system".into(),
            target_id: String::new(),
            outcome: "success",
            summary: format!(
                "载入演示数据：{} 个角色，{} 个演示账号（密码已重新生成），{} 条权责清单",
                ROLES.len(),
                accounts.len(),
                responsibilities
            ),
            changes: None,
        },
    )
    .await?;
    tx.commit().await.map_err(StorageError::from)?;
    let path = cfg.storage.data_dir.join("demo-accounts.json");
    if let Err(e) = std::fs::create_dir_all(&cfg.storage.data_dir)
        .and_then(|_| std::fs::write(&path, serde_json::to_vec_pretty(&accounts).unwrap_or_default()))
    {
        tracing::warn!(error = %e, "cannot write {}", path.display());
    }
    if history > 0 {
        let started = std::time::Instant::now();
        let st = crate::seed_history::run(&state, history, xiezhi_api::now_ms()).await?;
        if st.clues > 0 {
            let mut tx = db.begin().await?;
            audit::append(
                &mut tx,
                &NewAudit {
                    occurred_at: xiezhi_api::now_ms(),
                    actor_id: None,
                    actor_name: "console".into(),
                    ip: "console".into(),
                    action: "demo.seed".into(),
                    target_type: "system".into(),
                    target_id: String::new(),
                    outcome: "success",
                    summary: format!(
                        "载入历史线索 {} 条：案件 {} 个（已办结 {}，在办 {}），自动合并 {}，疑似重复 {}",
                        st.clues, st.cases, st.closed, st.open, st.merged, st.suspected
                    ),
                    changes: None,
                },
            )
            .await?;
            tx.commit().await.map_err(StorageError::from)?;
            println!(
                "历史线索 {} 条 → 案件 {} 个（已办结 {}，在办 {}），自动合并 {}，疑似重复 {}，用时 {:.0} 秒",
                st.clues,
                st.cases,
                st.closed,
                st.open,
                st.merged,
                st.suspected,
                started.elapsed().as_secs_f64()
            );
        }
    }
    if seed_province(&state, &db).await? {
        println!("省执法平台对接已启用（内置模拟器）：生态环境、市场监管类（Z02、Z03）新线索将自动推送");
    }
    if seed_zzd(&state, &db).await? {
        println!("浙政钉对接已启用（内置模拟器）：可扫码登录，新待办发送工作通知（模拟器收件箱 /sim/zzd/_sim/inbox）");
    }
    println!("演示账号 / demo accounts (also in {}):", path.display());
    for a in &accounts {
        println!("  {:<13} {:<18} {}（{}，{}）", a.username, a.password, a.display_name, a.role, a.department);
    }
    Ok(())
}

/// County department responsible for each major category, and the time limit in hours.
/// `{county}` is the county's name, `{short}` its short name (for the ecology bureau's branches).
const RESPONSIBLE: &[(&str, &str, i64)] = &[
    ("C01", "{county}住房和城乡建设局", 72),
    ("C02", "{county}交通运输局", 72),
    ("C03", "{county}综合行政执法局", 48),
    ("C04", "{county}住房和城乡建设局", 120),
    ("C05", "{county}住房和城乡建设局", 120),
    ("C06", "{county}综合行政执法局", 72),
    ("E01", "{county}综合行政执法局", 24),
    ("E02", "{county}综合行政执法局", 24),
    ("E03", "{county}住房和城乡建设局", 48),
    ("E04", "{county}应急管理局", 4),
    ("E05", "{county}综合行政执法局", 4),
    ("E06", "{county}综合行政执法局", 24),
    ("Z01", "{county}综合行政执法局", 168),
    ("Z02", "丽水市生态环境局{short}分局", 72),
    ("Z03", "{county}市场监督管理局", 72),
    ("Z04", "{county}交通运输局", 48),
];

/// Demo responsibility list: every minor category in every county goes to the county department of
/// its major category. Existing rules are updated, so running it again is safe.
async fn seed_responsibilities(tx: &mut xiezhi_storage::Conn, now: i64) -> Result<usize, AppError> {
    use xiezhi_storage::clue::config as clue;
    use xiezhi_storage::platform::{department, region};
    let departments = department::list(tx).await?;
    let regions = region::list(tx).await?;
    let (categories, _) = clue::categories(tx).await?;
    let mut n = 0;
    for county in regions.iter().filter(|r| r.level == "county" && r.official == 1) {
        let short: String = county.name.trim_end_matches("畲族自治县").chars().take(2).collect();
        for (major, pattern, hours) in RESPONSIBLE {
            let name = pattern.replace("{county}", &county.name).replace("{short}", &short);
            let Some(dept) = departments.iter().find(|d| d.name == name) else { continue };
            let Some(major_id) = categories.iter().find(|c| c.code == *major).map(|c| c.id) else { continue };
            for minor in categories.iter().filter(|c| c.parent_id == Some(major_id)) {
                let w = clue::ResponsibilityWrite {
                    category_id: minor.id,
                    region_code: county.code.clone(),
                    department_id: dept.id,
                    tier: "county".into(),
                    time_limit_hours: *hours,
                    note: String::new(),
                    enabled: true,
                };
                clue::upsert_responsibility(tx, &w, now).await?;
                n += 1;
            }
        }
    }
    Ok(n)
}

/// Demo sources (F02): the nine counties, 智管通, 12345, the provincial platform and manual entry.
/// Secrets are random and never printed: an administrator issues a usable one with 重置密钥.
async fn seed_sources(state: &xiezhi_api::AppState, tx: &mut xiezhi_storage::Conn, now: i64) -> Result<(), AppError> {
    use xiezhi_storage::clue::config as clue;
    use xiezhi_storage::platform::region;
    let existing: Vec<String> = clue::sources(tx).await?.into_iter().map(|s| s.code).collect();
    let mut list: Vec<(String, String, &str, Option<String>, &str)> = vec![
        (
            "zhiguantong".into(),
            "智管通".into(),
            "zhiguantong",
            Some("331100".into()),
            r#"{"description":"content","address":"addr"}"#,
        ),
        (
            "hotline_12345".into(),
            "12345 政务服务热线".into(),
            "hotline",
            Some("331100".into()),
            r#"{"description":"sqnr","reporter_phone":"lxdh"}"#,
        ),
        ("province".into(), "省大综合一体化执法监管平台".into(), "province", None, "{}"),
        ("manual".into(), "人工录入".into(), "manual", None, "{}"),
    ];
    for county in region::list(tx).await?.into_iter().filter(|r| r.level == "county" && r.official == 1) {
        list.push((
            format!("county_{}", county.code),
            format!("{}执法平台", county.name),
            "county",
            Some(county.code),
            "{}",
        ));
    }
    for (code, name, kind, region_code, fields) in list {
        if existing.contains(&code) {
            continue;
        }
        let w = clue::SourceWrite {
            code: code.clone(),
            name,
            kind: kind.into(),
            region_code,
            department_id: None,
            callback_url: None,
            category_mapping: "{}".into(),
            field_mapping: fields.into(),
            enabled: true,
        };
        let app_key = format!("lsxz_{}", code.replace('_', ""));
        let secret = hex_secret();
        clue::insert_source(tx, &w, &app_key, &state.cipher.encrypt(&secret), now).await?;
    }
    Ok(())
}

/// Enable an external system against the built-in simulator (empty endpoint) with the given key,
/// secret, schedule and options, unless an administrator has configured it already. Returns
/// whether it was enabled.
async fn enable_builtin(
    state: &xiezhi_api::AppState,
    db: &xiezhi_storage::Db,
    code: &str,
    (app_key, secret): (&str, &str),
    schedule_minutes: i64,
    options: String,
) -> Result<bool, AppError> {
    use xiezhi_storage::integration as ext;
    let mut tx = db.begin().await?;
    let row = ext::system(&mut tx, code).await?;
    if row.enabled != 0 || !row.app_key.is_empty() {
        return Ok(false);
    }
    let w = ext::SystemWrite {
        enabled: true,
        endpoint: String::new(),
        app_key: app_key.into(),
        secret_enc: Some(state.cipher.encrypt(secret)),
        timeout_ms: 5_000,
        max_attempts: 12,
        schedule_minutes,
        options,
    };
    ext::update_system(&mut tx, code, &w, "seed-demo", xiezhi_api::now_ms()).await?;
    tx.commit().await.map_err(StorageError::from)?;
    Ok(true)
}

/// The provincial link for new 生态环境 and 市场监管 (Z02, Z03) enforcement clues. Runs after the
/// history so old cases stay local.
async fn seed_province(state: &xiezhi_api::AppState, db: &xiezhi_storage::Db) -> Result<bool, AppError> {
    let options = r#"{"categories":["Z02","Z03"],"scheme1_for_enterprise":true,"scheme3_for_person":true}"#;
    enable_builtin(state, db, "province", ("lsxz-xiezhi-demo", &hex_secret()), 5, options.into()).await
}

/// ZZD with the simulator's demo app (QR log-in, work notifications).
async fn seed_zzd(state: &xiezhi_api::AppState, db: &xiezhi_storage::Db) -> Result<bool, AppError> {
    use xiezhi_sim::zzd::{DEMO_API_KEY, DEMO_SECRET, TENANT_ID};
    let options = serde_json::json!({ "tenant_id": TENANT_ID.to_string(), "notify": true }).to_string();
    enable_builtin(state, db, "zzd", (DEMO_API_KEY, DEMO_SECRET), 1440, options).await
}

fn hex_secret() -> String {
    use std::fmt::Write;
    rand::random::<[u8; 24]>().iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
