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
        ],
    ),
    (
        "handler",
        "部门处置人员",
        "职能部门处置人员：处理本部门案件",
        "department",
        &["platform:region:view", "platform:item:view"],
    ),
    (
        "township_officer",
        "乡镇执法队员",
        "乡镇（街道）综合行政执法队队员",
        "department",
        &["platform:region:view"],
    ),
];

/// Demo accounts: (username, name, department, role, phone).
const ACCOUNTS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "cityleader",
        "陈建华",
        "丽水市综合行政执法局",
        "city_leader",
        "13905781001",
    ),
    (
        "countyleader",
        "叶志强",
        "莲都区综合行政执法局",
        "county_leader",
        "13905781002",
    ),
    (
        "dispatcher",
        "吴丽娟",
        "丽水市综合行政执法局智慧城管指挥中心",
        "dispatcher",
        "13905781003",
    ),
    (
        "handler",
        "周海涛",
        "丽水市市场监督管理局",
        "handler",
        "13905781004",
    ),
    (
        "township",
        "蓝晓峰",
        "紫金街道综合行政执法队",
        "township_officer",
        "13905781005",
    ),
    (
        "sysadmin",
        "刘伟",
        "丽水市综合行政执法局办公室",
        "sys_admin",
        "13905781006",
    ),
    (
        "secadmin",
        "王敏",
        "丽水市综合行政执法局政策法规科",
        "security_admin",
        "13905781007",
    ),
    (
        "auditadmin",
        "张丽",
        "丽水市综合行政执法局执法监督科",
        "audit_admin",
        "13905781008",
    ),
];

#[derive(Debug, Serialize)]
struct DemoAccount {
    username: String,
    password: String,
    display_name: String,
    role: String,
    department: String,
}

pub async fn run(cfg: &Config) -> Result<(), AppError> {
    let db = app::migrate(cfg).await?;
    let state = app::state(cfg, db.clone())?;
    let mut tx = db.begin().await?;
    let now = xiezhi_api::now_ms();
    for (code, name, description, scope, perms) in ROLES {
        if role::find_by_code(&mut tx, code).await?.is_none() {
            let id = role::insert(
                &mut tx,
                &role::RoleWrite {
                    code: (*code).into(),
                    name: (*name).into(),
                    description: (*description).into(),
                    data_scope: (*scope).into(),
                },
                now,
            )
            .await?;
            let perms: Vec<String> = perms.iter().map(|p| (*p).to_owned()).collect();
            role::set_permissions(&mut tx, id, &perms).await?;
        }
    }
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
        let role_name = ROLES
            .iter()
            .find(|r| r.0 == *role_code)
            .map(|r| r.1)
            .unwrap_or(match *role_code {
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
                "载入演示数据：{} 个角色，{} 个演示账号（密码已重新生成）",
                ROLES.len(),
                accounts.len()
            ),
            changes: None,
        },
    )
    .await?;
    tx.commit().await.map_err(StorageError::from)?;
    let path = cfg.storage.data_dir.join("demo-accounts.json");
    if let Err(e) = std::fs::create_dir_all(&cfg.storage.data_dir).and_then(|_| {
        std::fs::write(
            &path,
            serde_json::to_vec_pretty(&accounts).unwrap_or_default(),
        )
    }) {
        tracing::warn!(error = %e, "cannot write {}", path.display());
    }
    println!("演示账号 / demo accounts (also in {}):", path.display());
    for a in &accounts {
        println!(
            "  {:<13} {:<18} {}（{}，{}）",
            a.username, a.password, a.display_name, a.role, a.department
        );
    }
    Ok(())
}
