//! Permission codes (`module:entity:action`), duties for separation of the three administrators
//! (三员分立), and data scopes.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// A permission code `module:entity:action`, each part `[a-z][a-z0-9_]*`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PermissionCode(String);

impl PermissionCode {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let parts: Vec<&str> = s.split(':').collect();
        let part_ok = |p: &&str| {
            !p.is_empty()
                && p.len() <= 32
                && p.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
                && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        };
        if parts.len() == 3 && parts.iter().all(part_ok) {
            Ok(Self(s.to_owned()))
        } else {
            Err(FieldError::new("permissions", format!("权限编码格式错误：{s}")))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn module(&self) -> &str {
        self.0.split(':').next().unwrap_or_default()
    }
}

impl TryFrom<String> for PermissionCode {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<PermissionCode> for String {
    fn from(p: PermissionCode) -> Self {
        p.0
    }
}

/// Which administrator duty a permission belongs to. The three administrator duties are mutually
/// exclusive: no role and no user may hold permissions of two of them (三员分立).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    /// System administrator: users, organisation, configuration, role assignment of business roles.
    System,
    /// Security administrator: role definitions, permissions, data scopes, unlocking accounts.
    Security,
    /// Audit administrator: reading, exporting and verifying the audit log.
    Audit,
    /// Ordinary business permission, combinable with anything.
    Business,
}

impl Duty {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "system" => Some(Self::System),
            "security" => Some(Self::Security),
            "audit" => Some(Self::Audit),
            "business" => Some(Self::Business),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Security => "security",
            Self::Audit => "audit",
            Self::Business => "business",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::System => "系统管理员",
            Self::Security => "安全管理员",
            Self::Audit => "审计管理员",
            Self::Business => "业务",
        }
    }
}

/// Check that a set of duties (from a role's permissions, or from all roles of a user) contains at
/// most one administrator duty.
pub fn check_separation_of_duties(duties: impl IntoIterator<Item = Duty>) -> Result<(), FieldError> {
    let admin: BTreeSet<Duty> = duties.into_iter().filter(|d| *d != Duty::Business).collect();
    if admin.len() > 1 {
        let names: Vec<&str> = admin.iter().map(|d| d.label()).collect();
        return Err(FieldError::new("permissions", format!("三员分立：不能同时拥有{}的权限", names.join("、"))));
    }
    Ok(())
}

/// Which records a role may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataScope {
    /// Only records the user created or is assigned.
    Own,
    /// The user's department and its sub-departments.
    Department,
    /// The user's region and its sub-regions.
    Region,
    /// Everything.
    All,
}

impl DataScope {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        match s {
            "all" => Ok(Self::All),
            "region" => Ok(Self::Region),
            "department" => Ok(Self::Department),
            "own" => Ok(Self::Own),
            _ => Err(FieldError::new("data_scope", "数据范围只能是 all、region、department 或 own")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Region => "region",
            Self::Department => "department",
            Self::Own => "own",
        }
    }

    /// A user with several roles gets the broadest scope of them; no role means own records only.
    pub fn broadest(scopes: impl IntoIterator<Item = DataScope>) -> DataScope {
        scopes.into_iter().max().unwrap_or(DataScope::Own)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_codes() {
        assert!(PermissionCode::parse("platform:user:view").is_ok());
        for bad in ["platform:user", "platform:user:view:x", "Platform:user:view", "a::b", "a:b:c-d"] {
            assert!(PermissionCode::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(PermissionCode::parse("clue:case:view").map(|p| p.module().to_owned()), Ok("clue".into()));
    }

    #[test]
    fn separation_of_duties_table() {
        use Duty::*;
        let cases: &[(&[Duty], bool)] = &[
            (&[], true),
            (&[Business, Business], true),
            (&[System, Business], true),
            (&[Security, Security], true),
            (&[Audit, Business], true),
            (&[System, Security], false),
            (&[Security, Audit], false),
            (&[System, Audit, Business], false),
        ];
        for (duties, ok) in cases {
            assert_eq!(check_separation_of_duties(duties.iter().copied()).is_ok(), *ok, "{duties:?}");
        }
    }

    #[test]
    fn broadest_scope_wins() {
        use DataScope::*;
        assert_eq!(DataScope::broadest([Own, Region, Department]), Region);
        assert_eq!(DataScope::broadest([]), Own);
        assert_eq!(DataScope::broadest([All, Own]), All);
        assert!(DataScope::parse("everything").is_err());
    }
}
