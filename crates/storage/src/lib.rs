//! Database access for SQLite (embedded default) and PostgreSQL (production option).
//!
//! One code path: every query is written once in the SQL both backends accept (`$1` placeholders,
//! `RETURNING`, `ON CONFLICT`, `WITH RECURSIVE`), executed through sqlx's `Any` driver. The few
//! differences live in [`dialect`]. Callers own transaction boundaries: repository functions take a
//! `&mut Conn` that is either a pooled connection or an open transaction.

pub mod audit;
pub mod clue;
pub mod db;
pub mod dialect;
pub mod error;
pub mod facts;
pub mod integration;
pub mod outbox;
pub mod platform;
pub mod query;
pub mod zzd;

pub use db::{Backend, Conn, Db, DbOptions, HeldConn, Tx, TxOn, WriterCpu};
pub use error::{StorageError, StorageResult};
