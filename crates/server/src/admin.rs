//! Administrator accounts on the server console. Roles carrying administrator duties (system,
//! security, audit) are granted and revoked only here, never through the web API.

use std::io::BufRead;

use clap::Subcommand;
use xiezhi_api::AppState;
use xiezhi_domain::values::{Password, Phone, Username, display_text, generate_password};
use xiezhi_storage::audit::{self, NewAudit};
use xiezhi_storage::platform::user::Protected;
use xiezhi_storage::platform::{department, role, session, user};
use xiezhi_storage::query::ScopeFilter;
use xiezhi_storage::{Conn, StorageError};

use crate::app::{self, AppError};
use crate::config::Config;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a user (any role, including the three administrator roles).
    CreateUser {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// Department name, e.g. 丽水市综合行政执法局办公室.
        #[arg(long)]
        department: String,
        /// Role code (repeatable): sys_admin, security_admin, audit_admin, or a business role.
        #[arg(long = "role")]
        roles: Vec<String>,
        #[arg(long)]
        phone: Option<String>,
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (generated, or read from stdin) and end the user's sessions.
    ResetPassword {
        #[arg(long)]
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Give a role to a user.
    Grant {
        #[arg(long)]
        username: String,
        #[arg(long)]
        role: String,
    },
    /// Take a role from a user.
    Revoke {
        #[arg(long)]
        username: String,
        #[arg(long)]
        role: String,
    },
    /// Clear a lock-out.
    Unlock {
        #[arg(long)]
        username: String,
    },
    /// List users holding each administrator role.
    List,
}

fn console_audit(action: &str, target_id: impl ToString, summary: String) -> NewAudit {
    NewAudit {
        occurred_at: xiezhi_api::now_ms(),
        actor_id: None,
        actor_name: "console".into(),
        ip: "console".into(),
        action: action.into(),
        target_type: "user".into(),
        target_id: target_id.to_string(),
        outcome: "success",
        summary,
        changes: None,
    }
}

fn read_password(from_stdin: bool, username: &str) -> Result<(String, bool), AppError> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| AppError::Other(e.to_string()))?;
        let p = line.trim_end_matches(['\r', '\n']).to_owned();
        Password::parse("password", &p, Some(username)).map_err(|e| AppError::Other(e.message))?;
        Ok((p, false))
    } else {
        Ok((generate_password(), true))
    }
}

async fn user_id(conn: &mut Conn, username: &str) -> Result<i64, AppError> {
    user::credentials_by_username(conn, username)
        .await?
        .map(|c| c.id)
        .ok_or_else(|| AppError::Other(format!("no user named {username}")))
}

async fn role_id(conn: &mut Conn, code: &str) -> Result<i64, AppError> {
    role::find_by_code(conn, code).await?.ok_or_else(|| AppError::Other(format!("no role with code {code}")))
}

/// Check that a user's roles keep the three administrator duties apart.
async fn check_duties(conn: &mut Conn, role_ids: &[i64]) -> Result<(), AppError> {
    let duties = role::permissions_of_roles(conn, role_ids)
        .await?
        .into_iter()
        .filter_map(|(_, d)| xiezhi_domain::permission::Duty::parse(&d));
    xiezhi_domain::permission::check_separation_of_duties(duties).map_err(|e| AppError::Other(e.message))
}

/// What a console- or seed-created user looks like.
pub struct ConsoleUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub department: &'a str,
    pub roles: &'a [String],
    pub phone: Option<&'a str>,
    pub password: &'a str,
    pub employee_code: Option<String>,
}

/// Create a user, or update the existing one of that name (department, roles, password), in the
/// caller's transaction. Returns the user id.
pub async fn upsert_user(state: &AppState, conn: &mut Conn, u: &ConsoleUser<'_>) -> Result<i64, AppError> {
    let username = Username::parse(u.username).map_err(|e| AppError::Other(e.to_string()))?;
    let display_name = display_text("display_name", u.display_name, 64).map_err(|e| AppError::Other(e.to_string()))?;
    let departments = department::list(conn).await?;
    let dept = departments
        .iter()
        .find(|d| d.name == u.department)
        .ok_or_else(|| AppError::Other(format!("no department named {}", u.department)))?;
    let mut role_ids = Vec::new();
    for r in u.roles {
        role_ids.push(role_id(conn, r).await?);
    }
    check_duties(conn, &role_ids).await?;
    let hash = state.auth.hash_password(u.password.to_owned()).await.map_err(|e| AppError::Other(e.to_string()))?;
    let phone = match u.phone {
        Some(p) => {
            let p = Phone::parse(p).map_err(|e| AppError::Other(e.to_string()))?;
            Some(Protected {
                enc: state.cipher.encrypt(p.expose()),
                masked: p.masked(),
                index: state.cipher.blind_index(p.expose()),
            })
        }
        None => None,
    };
    let now = xiezhi_api::now_ms();
    let existing = user::credentials_by_username(conn, username.as_str()).await?;
    let id = match existing {
        Some(c) => {
            let cur = user::get(conn, c.id, &ScopeFilter::All).await?;
            let upd = user::UserUpdate {
                display_name,
                department_id: dept.id,
                phone: phone.map(user::FieldChange::Set).unwrap_or_default(),
                id_number: user::FieldChange::Keep,
                email: cur.email,
                enabled: true,
            };
            user::update(conn, c.id, &upd, now).await?;
            user::set_password(conn, c.id, &hash, now).await?;
            session::delete_for_users(conn, &[c.id]).await?;
            c.id
        }
        None => {
            let new = user::NewUser {
                username: username.as_str().to_owned(),
                display_name,
                department_id: dept.id,
                password_hash: hash,
                phone,
                id_number: None,
                email: None,
                enabled: true,
                employee_code: u.employee_code.clone(),
            };
            user::insert(conn, &new, now).await?
        }
    };
    user::set_roles(conn, id, &role_ids).await?;
    Ok(id)
}

pub async fn run(cfg: &Config, cmd: AdminCommand) -> Result<(), AppError> {
    let db = app::migrate(cfg).await?;
    let state = app::state(cfg, db.clone())?;
    let mut tx = db.begin().await?;
    match cmd {
        AdminCommand::CreateUser { username, display_name, department, roles, phone, password_stdin } => {
            if user::credentials_by_username(&mut tx, &username).await?.is_some() {
                return Err(AppError::Other(format!("user {username} already exists; use grant or reset-password")));
            }
            let (password, generated) = read_password(password_stdin, &username)?;
            let id = upsert_user(
                &state,
                &mut tx,
                &ConsoleUser {
                    username: &username,
                    display_name: &display_name,
                    department: &department,
                    roles: &roles,
                    phone: phone.as_deref(),
                    password: &password,
                    employee_code: None,
                },
            )
            .await?;
            audit::append(
                &mut tx,
                &console_audit("user.create", id, format!("控制台创建用户 {username}，角色 {}", roles.join(","))),
            )
            .await?;
            println!("created user {username} (id {id})");
            if generated {
                println!("password: {password}");
            }
        }
        AdminCommand::ResetPassword { username, password_stdin } => {
            let id = user_id(&mut tx, &username).await?;
            let (password, generated) = read_password(password_stdin, &username)?;
            let hash = state.auth.hash_password(password.clone()).await.map_err(|e| AppError::Other(e.to_string()))?;
            user::set_password(&mut tx, id, &hash, xiezhi_api::now_ms()).await?;
            session::delete_for_users(&mut tx, &[id]).await?;
            audit::append(
                &mut tx,
                &console_audit("user.reset_password", id, format!("控制台重置用户 {username} 的密码")),
            )
            .await?;
            println!("password of {username} reset");
            if generated {
                println!("password: {password}");
            }
        }
        AdminCommand::Grant { username, role: code } => {
            let id = user_id(&mut tx, &username).await?;
            let rid = role_id(&mut tx, &code).await?;
            let mut ids: Vec<i64> = role::roles_of_users(&mut tx, &[id]).await?.into_iter().map(|r| r.id).collect();
            if !ids.contains(&rid) {
                ids.push(rid);
            }
            check_duties(&mut tx, &ids).await?;
            user::set_roles(&mut tx, id, &ids).await?;
            session::delete_for_users(&mut tx, &[id]).await?;
            audit::append(&mut tx, &console_audit("user.grant", id, format!("控制台授予用户 {username} 角色 {code}")))
                .await?;
            println!("granted {code} to {username}");
        }
        AdminCommand::Revoke { username, role: code } => {
            let id = user_id(&mut tx, &username).await?;
            let rid = role_id(&mut tx, &code).await?;
            let ids: Vec<i64> =
                role::roles_of_users(&mut tx, &[id]).await?.into_iter().map(|r| r.id).filter(|r| *r != rid).collect();
            user::set_roles(&mut tx, id, &ids).await?;
            session::delete_for_users(&mut tx, &[id]).await?;
            audit::append(
                &mut tx,
                &console_audit("user.revoke", id, format!("控制台收回用户 {username} 的角色 {code}")),
            )
            .await?;
            println!("revoked {code} from {username}");
        }
        AdminCommand::Unlock { username } => {
            let id = user_id(&mut tx, &username).await?;
            user::unlock(&mut tx, id).await?;
            audit::append(&mut tx, &console_audit("user.unlock", id, format!("控制台解锁用户 {username}"))).await?;
            println!("unlocked {username}");
        }
        AdminCommand::List => {
            for code in ["sys_admin", "security_admin", "audit_admin"] {
                let rid = role_id(&mut tx, code).await?;
                let ids = role::user_ids_with_role(&mut tx, rid).await?;
                let mut names = Vec::new();
                for id in ids {
                    names.push(user::get(&mut tx, id, &ScopeFilter::All).await.map(|u| u.username)?);
                }
                println!("{code}: {}", if names.is_empty() { "(none)".to_owned() } else { names.join(", ") });
            }
        }
    }
    tx.commit().await.map_err(StorageError::from)?;
    Ok(())
}
