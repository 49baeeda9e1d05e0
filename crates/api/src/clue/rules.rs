//! The rules cache of the intake and workflow engines: categories, case types, severities, dedup
//! settings, numbering, responsibility list, grading rules, workflows, calendar, departments and
//! external-system switches, read from the database once and kept in memory.
//!
//! Every change to those tables moves `config_stamp.n` by trigger in the same transaction
//! (migration 0014), whoever makes it (this instance, another instance sharing PostgreSQL, an
//! import). Each engine transaction reads the stamp first (`Runtime::rules`); while it is
//! unchanged the cached values are exactly what the tables hold, so a changed time limit or
//! responsibility rule applies to the very next clue, and the hot path does one small read instead
//! of a dozen.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use xiezhi_storage::Conn;

use crate::error::{ApiError, ApiResult};

/// What a cached value answers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    Category(String),
    CaseType(String),
    Severity(String),
    Dedup(i64),
    Numbering,
    Responsibility(i64, Vec<String>),
    Grading,
    TownshipOffice(String),
    DepartmentName(i64),
    Workflows,
    StageLimit(i64, String),
    Calendar,
    System(&'static str),
    /// Every source, by app key (the intake's authentication).
    Sources,
}

/// The rules as of one stamp.
pub struct Rules {
    stamp: i64,
    entries: Mutex<HashMap<Key, Arc<dyn Any + Send + Sync>>>,
}

impl std::fmt::Debug for Rules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rules").field("stamp", &self.stamp).finish_non_exhaustive()
    }
}

impl Rules {
    /// The configuration stamp these rules are of.
    pub fn stamp(&self) -> i64 {
        self.stamp
    }

    fn new(stamp: i64) -> Rules {
        Rules { stamp, entries: Mutex::new(HashMap::new()) }
    }

    /// The cached value of `key`, or the result of `load` (a lazy query, run only on a miss).
    pub async fn get<T, E, F>(&self, key: Key, load: F) -> ApiResult<T>
    where
        T: Clone + Send + Sync + 'static,
        E: Into<ApiError>,
        F: Future<Output = Result<T, E>>,
    {
        if let Some(v) = self.cached(&key) {
            return Ok(v);
        }
        let v = load.await.map_err(Into::into)?;
        if let Ok(mut m) = self.entries.lock() {
            m.insert(key, Arc::new(v.clone()));
        }
        Ok(v)
    }

    /// The cached value of `key`, if it was loaded already.
    pub fn cached<T: Clone + 'static>(&self, key: &Key) -> Option<T> {
        let v = self.entries.lock().ok().and_then(|m| m.get(key).cloned())?;
        v.downcast_ref::<T>().cloned()
    }
}

/// The current rules, shared by all transactions that saw the same stamp, and when a transaction
/// last read that stamp.
#[derive(Default)]
pub struct RulesCache {
    current: Mutex<Option<(Arc<Rules>, Instant)>>,
}

impl RulesCache {
    /// The rules for the caller's transaction (one read of the stamp).
    pub async fn for_tx(&self, conn: &mut Conn) -> ApiResult<Arc<Rules>> {
        let stamp = xiezhi_storage::clue::config::config_stamp(conn).await?;
        let mut g = self.current.lock().map_err(|_| ApiError::internal("rules cache poisoned"))?;
        match g.as_mut() {
            Some((r, seen)) if r.stamp == stamp => {
                *seen = Instant::now();
                Ok(r.clone())
            }
            // A transaction that began before a change another one already saw: rules of its own.
            Some((r, _)) if r.stamp > stamp => Ok(Arc::new(Rules::new(stamp))),
            _ => {
                let r = Arc::new(Rules::new(stamp));
                *g = Some((r.clone(), Instant::now()));
                Ok(r)
            }
        }
    }

    /// The current rules without reading the stamp, if a transaction read it within `within`.
    /// They may be out of date by then: only for work that is checked again under the rules of
    /// the transaction that uses it (see `clue::intake`).
    pub fn seen_within(&self, within: Duration) -> Option<Arc<Rules>> {
        let g = self.current.lock().ok()?;
        let (r, seen) = g.as_ref()?;
        (seen.elapsed() < within).then(|| r.clone())
    }
}
