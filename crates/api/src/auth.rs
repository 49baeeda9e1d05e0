//! Identity: password hashing, server-side sessions, the current-user extractor with CSRF
//! protection, and `Authorized<P>`, the capability a handler must obtain to act.

use std::collections::BTreeSet;
use std::marker::PhantomData;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use xiezhi_domain::crypto::sm3_hex;
use xiezhi_domain::permission::{DataScope, Duty};
use xiezhi_storage::audit::NewAudit;
use xiezhi_storage::platform::{role, session, user};
use xiezhi_storage::query::ScopeFilter;

use crate::error::{ApiError, ApiResult};
use crate::extract::ClientMeta;
use crate::{AppState, now_ms};

pub const SESSION_COOKIE: &str = "xiezhi_sid";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Security policy, from the `[security]` config section.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    pub lockout_threshold: i64,
    pub lockout_minutes: i64,
    pub idle_timeout_minutes: i64,
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub argon2_parallelism: u32,
    pub cookie_secure: bool,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            lockout_threshold: 5,
            lockout_minutes: 15,
            idle_timeout_minutes: 30,
            argon2_memory_kib: 19_456,
            argon2_iterations: 2,
            argon2_parallelism: 1,
            cookie_secure: false,
        }
    }
}

impl AuthSettings {
    pub fn idle_ms(&self) -> i64 {
        self.idle_timeout_minutes * 60_000
    }

    fn argon2(&self) -> ApiResult<Argon2<'static>> {
        let params = Params::new(self.argon2_memory_kib, self.argon2_iterations, self.argon2_parallelism, None)
            .map_err(ApiError::internal)?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// Hash a password with argon2id (PHC string with a random salt), off the async runtime.
    pub async fn hash_password(&self, password: String) -> ApiResult<String> {
        let a = self.argon2()?;
        tokio::task::spawn_blocking(move || a.hash_password(password.as_bytes()).map(|h| h.to_string()))
            .await
            .map_err(ApiError::internal)?
            .map_err(ApiError::internal)
    }

    /// Verify against a stored PHC string; parameters come from the hash itself.
    pub async fn verify_password(&self, password: String, phc: String) -> ApiResult<bool> {
        let a = self.argon2()?;
        tokio::task::spawn_blocking(move || match PasswordHash::new(&phc) {
            Ok(h) => a.verify_password(password.as_bytes(), &h).is_ok(),
            Err(_) => false,
        })
        .await
        .map_err(ApiError::internal)
    }
}

/// A random session token (cookie value) and its hash (what the database keeps).
pub fn new_token() -> (String, String) {
    let token = hex::encode(rand::random::<[u8; 32]>());
    let hash = sm3_hex(token.as_bytes());
    (token, hash)
}

pub fn session_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/{secure}")
}

pub fn clear_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{secure}")
}

pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == SESSION_COOKIE && !v.is_empty() && v.len() <= 128).then(|| v.to_owned())
    })
}

#[derive(Debug, Clone)]
pub struct RoleInfo {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// The authenticated caller of this request.
#[derive(Debug, Clone)]
pub struct Principal {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub department_id: i64,
    pub department_name: String,
    pub region_code: String,
    pub roles: Vec<RoleInfo>,
    pub permissions: BTreeSet<String>,
    pub duties: BTreeSet<Duty>,
    pub data_scope: DataScope,
    pub csrf_token: String,
    pub token_hash: String,
    pub meta: ClientMeta,
}

impl Principal {
    pub fn has(&self, code: &str) -> bool {
        self.permissions.contains(code)
    }

    pub fn scope(&self) -> ScopeFilter {
        match self.data_scope {
            DataScope::All => ScopeFilter::All,
            DataScope::Region => ScopeFilter::Region(self.region_code.clone()),
            DataScope::Department => ScopeFilter::Department(self.department_id),
            DataScope::Own => ScopeFilter::Own(self.id),
        }
    }

    /// An audit entry for an action by this user.
    pub fn audit(
        &self,
        action: &str,
        target_type: &str,
        target_id: impl ToString,
        summary: impl Into<String>,
        changes: Option<serde_json::Value>,
    ) -> NewAudit {
        NewAudit {
            occurred_at: now_ms(),
            actor_id: Some(self.id),
            actor_name: self.username.clone(),
            ip: self.meta.ip.clone(),
            action: action.to_owned(),
            target_type: target_type.to_owned(),
            target_id: target_id.to_string(),
            outcome: "success",
            summary: summary.into(),
            changes,
        }
    }
}

/// Load a user's roles, permissions, duties and broadest data scope.
pub async fn load_principal(
    state: &AppState,
    user_id: i64,
    csrf_token: String,
    token_hash: String,
    meta: ClientMeta,
) -> ApiResult<Principal> {
    let mut conn = state.db.conn().await?;
    let u = user::get(&mut conn, user_id, &ScopeFilter::All).await.map_err(|_| ApiError::Unauthenticated)?;
    let roles = role::roles_of_users(&mut conn, &[user_id]).await?;
    let role_ids: Vec<i64> = roles.iter().map(|r| r.id).collect();
    let perms = role::permissions_of_roles(&mut conn, &role_ids).await?;
    let data_scope = DataScope::broadest(roles.iter().filter_map(|r| DataScope::parse(&r.data_scope).ok()));
    Ok(Principal {
        id: u.id,
        username: u.username,
        display_name: u.display_name,
        department_id: u.department_id,
        department_name: u.department_name,
        region_code: u.region_code,
        roles: roles.into_iter().map(|r| RoleInfo { id: r.id, code: r.code, name: r.name }).collect(),
        duties: perms.iter().filter_map(|(_, d)| Duty::parse(d)).collect(),
        permissions: perms.into_iter().map(|(c, _)| c).collect(),
        data_scope,
        csrf_token,
        token_hash,
        meta,
    })
}

/// Append an audit entry in its own transaction (used for failures, which have no business
/// transaction to ride on).
pub async fn audit_standalone(state: &AppState, entry: NewAudit) -> ApiResult<()> {
    let mut tx = state.db.begin().await?;
    xiezhi_storage::audit::append(&mut tx, &entry).await?;
    tx.commit().await.map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(())
}

fn is_safe_method(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(p) = parts.extensions.get::<Principal>() {
            return Ok(p.clone());
        }
        let token = cookie_token(&parts.headers).ok_or(ApiError::Unauthenticated)?;
        let token_hash = sm3_hex(token.as_bytes());
        let now = now_ms();
        let idle = state.auth.idle_ms();
        let s = {
            let mut conn = state.db.conn().await?;
            session::get_live(&mut conn, &token_hash, now, idle).await?.ok_or(ApiError::Unauthenticated)?
        };
        let meta = ClientMeta::from_parts(parts);
        if !is_safe_method(&parts.method) {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
            if !constant_time_eq(sent.as_bytes(), s.csrf_token.as_bytes()) {
                let entry = NewAudit {
                    occurred_at: now,
                    actor_id: Some(s.user_id),
                    actor_name: String::new(),
                    ip: meta.ip.clone(),
                    action: "auth.csrf_rejected".into(),
                    target_type: "request".into(),
                    target_id: format!("{} {}", parts.method, parts.uri.path()),
                    outcome: "failure",
                    summary: "CSRF 令牌缺失或不匹配，请求被拒绝".into(),
                    changes: None,
                };
                audit_standalone(state, entry).await?;
                return Err(ApiError::CsrfFailed);
            }
        }
        // Refresh the idle timer at most once a minute.
        if now - s.last_seen_at > 60_000 {
            let mut conn = state.db.conn().await?;
            session::touch(&mut conn, &token_hash, now).await?;
        }
        let p = load_principal(state, s.user_id, s.csrf_token, token_hash, meta).await?;
        parts.extensions.insert(p.clone());
        Ok(p)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A permission, as a type: handlers ask for `Authorized<perm::UserCreate>`.
pub trait Permission: Send + Sync + 'static {
    const CODE: &'static str;
}

/// Proof that the caller holds permission `P`. Obtaining it is the only way into a protected
/// handler; a refusal is audited.
#[derive(Debug, Clone)]
pub struct Authorized<P: Permission> {
    pub user: Principal,
    _p: PhantomData<P>,
}

impl<P: Permission> std::ops::Deref for Authorized<P> {
    type Target = Principal;
    fn deref(&self) -> &Principal {
        &self.user
    }
}

impl<P: Permission> FromRequestParts<AppState> for Authorized<P> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = Principal::from_request_parts(parts, state).await?;
        if !user.has(P::CODE) {
            let mut entry = user.audit(
                "auth.forbidden",
                "request",
                format!("{} {}", parts.method, parts.uri.path()),
                format!("缺少权限 {}，请求被拒绝", P::CODE),
                None,
            );
            entry.outcome = "failure";
            audit_standalone(state, entry).await?;
            return Err(ApiError::Forbidden(P::CODE.to_owned()));
        }
        Ok(Authorized { user, _p: PhantomData })
    }
}

/// Permission marker types, one per code in the `permissions` table.
pub mod perm {
    macro_rules! perms {
        ($($name:ident = $code:literal),* $(,)?) => {$(
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl super::Permission for $name {
                const CODE: &'static str = $code;
            }
        )*
            /// Every code the API checks; a test asserts each one exists in the catalogue.
            pub const ALL: &[&str] = &[$($code),*];
        };
    }

    perms! {
        OrgView = "platform:org:view",
        OrgEdit = "platform:org:edit",
        UserView = "platform:user:view",
        UserCreate = "platform:user:create",
        UserEdit = "platform:user:edit",
        UserDelete = "platform:user:delete",
        UserExport = "platform:user:export",
        UserReveal = "platform:user:reveal",
        UserUnlock = "platform:user:unlock",
        RoleView = "platform:role:view",
        RoleEdit = "platform:role:edit",
        RegionView = "platform:region:view",
        RegionEdit = "platform:region:edit",
        ItemView = "platform:item:view",
        ItemImport = "platform:item:import",
        DictView = "platform:dict:view",
        DictEdit = "platform:dict:edit",
        PortalEdit = "platform:portal:edit",
        AuditView = "platform:audit:view",
        AuditExport = "platform:audit:export",
        AuditVerify = "platform:audit:verify",
        ClueConfigView = "clue:config:view",
        ClueConfigEdit = "clue:config:edit",
        ClueSourceView = "clue:source:view",
        ClueSourceEdit = "clue:source:edit",
        CaseView = "clue:case:view",
        CaseCreate = "clue:case:create",
        CaseHandle = "clue:case:handle",
        CaseDispatch = "clue:case:dispatch",
        CaseExport = "clue:case:export",
        CaseReveal = "clue:case:reveal",
        SystemView = "integration:system:view",
        SystemEdit = "integration:system:edit",
        DeliveryView = "integration:delivery:view",
        DeliveryManage = "integration:delivery:manage",
        ExchangeView = "integration:exchange:view",
        ZzdView = "integration:zzd:view",
        ZzdManage = "integration:zzd:manage",
        IrsView = "integration:irs:view",
        IrsImport = "integration:irs:import",
        IrsExport = "integration:irs:export",
    }
}
