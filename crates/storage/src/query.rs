//! A tiny builder for dynamic WHERE clauses with positional binds, so optional filters never
//! concatenate user input into SQL text.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use sqlx::any::AnyArguments;
use sqlx::query::{Query, QueryAs};
use sqlx::{Any, AssertSqlSafe, FromRow};

use crate::Conn;

#[derive(Debug, Clone)]
pub enum Bind {
    I64(i64),
    F64(f64),
    Text(String),
}

#[derive(Debug, Default, Clone)]
pub struct Where {
    clauses: Vec<String>,
    binds: Vec<Bind>,
}

impl Where {
    pub fn new() -> Self {
        Self::default()
    }

    /// Next placeholder (`$n`).
    pub fn push_bind(&mut self, b: Bind) -> String {
        self.binds.push(b);
        format!("${}", self.binds.len())
    }

    /// Add a clause; `{}` in `template` is replaced by the placeholder of `b`.
    pub fn and(&mut self, template: &str, b: Bind) -> &mut Self {
        let p = self.push_bind(b);
        self.clauses.push(template.replace("{}", &p));
        self
    }

    /// Add a clause without binds.
    pub fn and_raw(&mut self, clause: impl Into<String>) -> &mut Self {
        self.clauses.push(clause.into());
        self
    }

    pub fn sql(&self) -> String {
        if self.clauses.is_empty() { String::new() } else { format!(" WHERE {}", self.clauses.join(" AND ")) }
    }

    pub fn binds(&self) -> &[Bind] {
        &self.binds
    }

    pub fn bind_count(&self) -> usize {
        self.binds.len()
    }

    pub fn apply<'q>(&self, mut q: Query<'q, Any, AnyArguments>) -> Query<'q, Any, AnyArguments> {
        for b in &self.binds {
            q = match b {
                Bind::I64(v) => q.bind(*v),
                Bind::F64(v) => q.bind(*v),
                Bind::Text(v) => q.bind(v.clone()),
            };
        }
        q
    }

    pub fn apply_as<'q, O>(&self, mut q: QueryAs<'q, Any, O, AnyArguments>) -> QueryAs<'q, Any, O, AnyArguments>
    where
        O: for<'r> FromRow<'r, sqlx::any::AnyRow>,
    {
        for b in &self.binds {
            q = match b {
                Bind::I64(v) => q.bind(*v),
                Bind::F64(v) => q.bind(*v),
                Bind::Text(v) => q.bind(v.clone()),
            };
        }
        q
    }
}

/// A data-scope restriction resolved for one user, applied as a WHERE clause on a query's region,
/// department and owner columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeFilter {
    All,
    /// The region and every region below it.
    Region(String),
    /// The department and every department below it.
    Department(i64),
    /// Only the user's own records.
    Own(i64),
}

/// Column names a query exposes for scope filtering.
#[derive(Debug, Clone, Copy)]
pub struct ScopeColumns {
    pub region: &'static str,
    pub department: &'static str,
    pub owner: &'static str,
}

impl Where {
    pub fn scope(&mut self, s: &ScopeFilter, cols: ScopeColumns) -> &mut Self {
        match s {
            ScopeFilter::All => self,
            ScopeFilter::Region(code) => self.and(
                &format!(
                    "{} IN (WITH RECURSIVE sr(code) AS (SELECT code FROM regions WHERE code = {{}} \
                     UNION ALL SELECT r.code FROM regions r JOIN sr ON r.parent_code = sr.code) SELECT code FROM sr)",
                    cols.region
                ),
                Bind::Text(code.clone()),
            ),
            ScopeFilter::Department(id) => self.and(
                &format!(
                    "{} IN (WITH RECURSIVE sd(id) AS (SELECT id FROM departments WHERE id = {{}} \
                     UNION ALL SELECT d.id FROM departments d JOIN sd ON d.parent_id = sd.id) SELECT id FROM sd)",
                    cols.department
                ),
                Bind::I64(*id),
            ),
            ScopeFilter::Own(uid) => self.and(&format!("{} = {{}}", cols.owner), Bind::I64(*uid)),
        }
    }
}

/// Mark SQL text as safe to run: it is assembled only from constant fragments, allow-listed column
/// names and `$n` placeholders, never from user input (which always goes through binds).
pub fn dynamic(sql: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(sql)
}

/// SQL for the connection's backend. On SQLite, `$1, $2, …` placeholders that appear once each and
/// in order become anonymous `?`: sqlx-sqlite asks SQLite for the name of every parameter it binds,
/// a linear search for named ones, so binding n `$` parameters costs O(n²) on every execution while
/// anonymous ones cost nothing. Any other SQL is left as it is.
pub fn positional(conn: &Conn, sql: impl Into<Cow<'static, str>>) -> AssertSqlSafe<Cow<'static, str>> {
    let sql = sql.into();
    if conn.backend_name() != "SQLite" {
        return AssertSqlSafe(sql);
    }
    match anonymous(&sql) {
        Some(s) => AssertSqlSafe(Cow::Owned(s)),
        None => AssertSqlSafe(sql),
    }
}

/// `sql` with its `$n` placeholders replaced by `?`, when they appear (outside quotes) once each
/// and in order; `None` otherwise, or when it has none.
fn anonymous(sql: &str) -> Option<String> {
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    let (mut next, mut last, mut i, mut quoted) = (1u64, 0, 0, false);
    while i < b.len() {
        match b[i] {
            b'\'' => quoted = !quoted,
            b'$' if !quoted && b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                let end = (i + 1..b.len()).find(|&j| !b[j].is_ascii_digit()).unwrap_or(b.len());
                if sql[i + 1..end].parse::<u64>().ok()? != next {
                    return None;
                }
                next += 1;
                out.push_str(&sql[last..i]);
                out.push('?');
                (last, i) = (end, end);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if next == 1 {
        return None;
    }
    out.push_str(&sql[last..]);
    Some(out)
}

/// Statements made by [`shaped`]: per backend (SQLite or not) and shape, per key.
type Shaped = HashMap<(bool, usize, usize), HashMap<String, Arc<str>>>;
static SHAPED: LazyLock<Mutex<Shaped>> = LazyLock::new(Mutex::default);

/// SQL that depends only on `key` and a shape (rows, columns) of a `VALUES` list, made by `make` (with
/// `$n` placeholders) the first time, passed through [`positional`] and kept. For statements run
/// often with long `VALUES` lists: building those and rewriting their placeholders cost more than
/// running them. Keys and shapes must be finitely many (a statement's name or text without its
/// list; row counts from [`insert_chunks`] or padded to a few sizes).
pub fn shaped(conn: &Conn, key: &str, shape: (usize, usize), make: impl FnOnce() -> String) -> AssertSqlSafe<Arc<str>> {
    let sqlite = conn.backend_name() == "SQLite";
    let mut all = SHAPED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let made = all.entry((sqlite, shape.0, shape.1)).or_default();
    if let Some(sql) = made.get(key) {
        return AssertSqlSafe(sql.clone());
    }
    let sql: Arc<str> = match positional(conn, make()).0 {
        Cow::Borrowed(s) => s.into(),
        Cow::Owned(s) => s.into(),
    };
    made.insert(key.to_owned(), sql.clone());
    AssertSqlSafe(sql)
}

/// The `VALUES` list of a multi-row insert: `rows` tuples of `cols` numbered placeholders,
/// `($1, $2), ($3, $4)` for 2 × 2.
pub fn values_placeholders(rows: usize, cols: usize) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(rows * cols * 6);
    for r in 0..rows {
        out.push_str(if r == 0 { "(" } else { ", (" });
        for c in 1..=cols {
            let sep = if c == 1 { "" } else { ", " };
            let _ = write!(out, "{sep}${}", r * cols + c);
        }
        out.push(')');
    }
    out
}

/// Insert `rows` with a few multi-row statements: `head` is `INSERT INTO table (columns)`, `cols`
/// the number of columns, and `bind` binds one row's values in column order.
pub async fn insert_rows<T>(
    conn: &mut Conn,
    head: &str,
    cols: usize,
    rows: &[T],
    bind: impl for<'q> Fn(Query<'q, Any, AnyArguments>, &'q T) -> Query<'q, Any, AnyArguments>,
) -> crate::StorageResult<()> {
    for_rows(conn, |values| format!("{head} VALUES {values}"), cols, rows, bind).await
}

/// Run a statement over `rows` a few dozen at a time: `sql` makes it around a `VALUES` list of
/// the rows (`(…), (…)`, `cols` values each, whose columns are named `column1`, `column2`, … on
/// both backends), and `bind` binds one row's values in column order.
pub async fn for_rows<T>(
    conn: &mut Conn,
    sql: impl Fn(&str) -> String,
    cols: usize,
    rows: &[T],
    bind: impl for<'q> Fn(Query<'q, Any, AnyArguments>, &'q T) -> Query<'q, Any, AnyArguments>,
) -> crate::StorageResult<()> {
    // The statement without its list names its shape (`sql` is a pure function of the list).
    let key = sql("\u{0}");
    for chunk in insert_chunks(rows) {
        let mut q =
            sqlx::query(shaped(conn, &key, (chunk.len(), cols), || sql(&values_placeholders(chunk.len(), cols))));
        for row in chunk {
            q = bind(q, row);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Row counts of the multi-row INSERTs that write a list of rows, largest first: a few fixed sizes,
/// so that each statement is prepared once and stays in the connection's cache. Kept moderate
/// because sqlx-sqlite's binding cost grows with the square of a statement's parameter count
/// unless the statement goes through [`positional`].
const INSERT_CHUNKS: [usize; 4] = [32, 8, 2, 1];

/// `rows` in consecutive slices of the sizes of [`INSERT_CHUNKS`], in order.
pub fn insert_chunks<T>(rows: &[T]) -> impl Iterator<Item = &[T]> {
    let mut rest = rows;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let size = INSERT_CHUNKS.into_iter().find(|c| *c <= rest.len()).unwrap_or(1);
        let (chunk, tail) = rest.split_at(size);
        rest = tail;
        Some(chunk)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn insert_chunks_cover_the_rows_in_order() {
        let rows: Vec<usize> = (0..45).collect();
        let sizes: Vec<usize> = super::insert_chunks(&rows).map(<[usize]>::len).collect();
        assert_eq!(sizes, [32, 8, 2, 2, 1]);
        assert_eq!(super::insert_chunks(&rows).flatten().copied().collect::<Vec<_>>(), rows);
        assert_eq!(super::insert_chunks::<u8>(&[]).count(), 0);
    }

    #[test]
    fn placeholders_in_order_become_anonymous() {
        use super::anonymous;
        assert_eq!(
            anonymous("SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)").as_deref(),
            Some("SELECT a FROM t WHERE b = ? AND c IN (?, ?)")
        );
        assert_eq!(anonymous("VALUES ($1, $2), ($3, $4) LIMIT $5").as_deref(), Some("VALUES (?, ?), (?, ?) LIMIT ?"));
        assert_eq!(
            anonymous("SELECT '$1', json_extract(x, '$.a') FROM t WHERE a = $1").as_deref(),
            Some("SELECT '$1', json_extract(x, '$.a') FROM t WHERE a = ?")
        );
        // Repeated, skipped or out of order: left alone.
        assert_eq!(anonymous("SELECT $1, $1"), None);
        assert_eq!(anonymous("SELECT $2, $1"), None);
        assert_eq!(anonymous("SELECT $1, $3"), None);
        assert_eq!(anonymous("SELECT 1"), None);
    }

    #[test]
    fn values_placeholders_number_rows_in_order() {
        assert_eq!(super::values_placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(super::values_placeholders(1, 1), "($1)");
    }
}
