//! The only place that knows which backend it talks to. Everything here is small and tested
//! against both backends by the storage test suite.

use sqlx::error::{DatabaseError, ErrorKind};

use crate::db::Backend;

/// Statement that opens a write transaction. SQLite takes the write lock up front (`IMMEDIATE`)
/// so that two writers never deadlock on a lock upgrade; PostgreSQL uses row locks.
pub fn begin_write(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "BEGIN IMMEDIATE",
        Backend::Postgres => "BEGIN",
    }
}

/// Case-insensitive substring match operator (`col <op> $n ESCAPE '\'`).
pub fn like_ci(backend: Backend) -> &'static str {
    match backend {
        // SQLite's LIKE is case-insensitive for ASCII already.
        Backend::Sqlite => "LIKE",
        Backend::Postgres => "ILIKE",
    }
}

/// Escape `%`, `_` and `\` in user text and wrap it for a substring LIKE.
pub fn like_pattern(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViolationKind {
    Unique,
    ForeignKey,
    Check,
    NotNull,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub kind: ViolationKind,
    /// PostgreSQL: the constraint name. SQLite: `table.column[, table.column]` for UNIQUE and NOT
    /// NULL, the constraint name for CHECK; empty for foreign keys (SQLite does not say which).
    pub name: String,
}

/// Classify a database error as a constraint violation, if it is one.
pub fn violation(err: &dyn DatabaseError) -> Option<Violation> {
    let kind = match err.kind() {
        ErrorKind::UniqueViolation => ViolationKind::Unique,
        ErrorKind::ForeignKeyViolation => ViolationKind::ForeignKey,
        ErrorKind::CheckViolation => ViolationKind::Check,
        ErrorKind::NotNullViolation => ViolationKind::NotNull,
        _ => return None,
    };
    let name = match err.constraint() {
        Some(c) => c.to_owned(),
        None => {
            // SQLite: "UNIQUE constraint failed: users.username", "CHECK constraint failed: x".
            let msg = err.message();
            msg.split_once("failed: ").map(|(_, rest)| rest.trim().to_owned()).unwrap_or_default()
        }
    };
    Some(Violation { kind, name })
}

/// SQLite versions before 3.51.3 (except the 3.44.6 and 3.50.7 backports) can corrupt a database
/// when a WAL reset races with a checkpoint.
pub const MIN_SQLITE: &str = "3.51.3";

pub fn sqlite_version_ok(version: &str) -> bool {
    let parse = |v: &str| -> Vec<u32> { v.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    let v = parse(version);
    let at_least = |min: &[u32]| v.as_slice() >= min;
    at_least(&[3, 51, 3])
        || (v.starts_with(&[3, 44]) && at_least(&[3, 44, 6]))
        || (v.starts_with(&[3, 50]) && at_least(&[3, 50, 7]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_version_gate() {
        for (v, ok) in [
            ("3.51.3", true),
            ("3.52.0", true),
            ("3.51.2", false),
            ("3.50.7", true),
            ("3.50.6", false),
            ("3.44.6", true),
            ("3.45.0", false),
            ("3.9.0", false),
        ] {
            assert_eq!(sqlite_version_ok(v), ok, "{v}");
        }
    }

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_pattern("a%b_c\\"), "%a\\%b\\_c\\\\%");
        assert_eq!(like_pattern("丽水"), "%丽水%");
    }
}

/// An optional `f64` bind that stays a DOUBLE PRECISION parameter when it is NULL.
///
/// sqlx 0.9's Any driver swaps the NULL kinds of `f32` and `f64` when it hands arguments to
/// PostgreSQL: `Option<f64>::None` goes out as a `real` (float4) NULL. The first execution of a
/// statement fixes its parameter types in the statement cache, so after a NULL every later
/// `Some(f64)` in that position fails with "incorrect binary data format". Binding the NULL as the
/// other kind gives PostgreSQL a float8 NULL. `migrations::nullable_reals_bind_in_any_order`
/// checks this on both backends (and fails if sqlx fixes the swap, so this can go).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OptF64(pub Option<f64>);

impl sqlx::Type<sqlx::Any> for OptF64 {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <f64 as sqlx::Type<sqlx::Any>>::type_info()
    }
}

impl<'q> sqlx::Encode<'q, sqlx::Any> for OptF64 {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        match self.0 {
            Some(v) => <f64 as sqlx::Encode<'q, sqlx::Any>>::encode_by_ref(&v, buf),
            None => <Option<f32> as sqlx::Encode<'q, sqlx::Any>>::encode_by_ref(&None, buf),
        }
    }
}
