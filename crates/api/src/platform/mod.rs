//! Platform services (F75–F80): organisation, users, roles and permissions, dictionaries,
//! portal, regions, the enforcement-item catalogue and the audit log.

pub mod audit;
pub mod department;
pub mod dict;
pub mod item;
pub mod portal;
pub mod region;
pub mod role;
pub mod user;

use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(region::router())
        .merge(department::router())
        .merge(user::router())
        .merge(role::router())
        .merge(dict::router())
        .merge(portal::router())
        .merge(audit::router())
        .merge(item::router())
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Affected {
    pub affected: u64,
}

/// Database 0/1 to bool.
pub(crate) fn flag(v: i64) -> bool {
    v != 0
}

/// Treat empty or blank optional query strings as absent.
pub(crate) fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|v| v.trim()).filter(|v| !v.is_empty()).map(str::to_owned)
}
