//! Connection pool, backend selection, migrations and the SQLite version gate.

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, install_default_drivers};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, ConnectOptions, Connection, Executor};

use crate::dialect;
use crate::error::{StorageError, StorageResult};

pub type Conn = sqlx::AnyConnection;
pub type Tx = sqlx::Transaction<'static, Any>;
/// A connection of its own that a long-lived writer holds on to (see [`Db::writer_conn`]).
pub type HeldConn = sqlx::AnyConnection;
/// A write transaction on a held connection.
pub type TxOn<'c> = sqlx::Transaction<'c, Any>;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    pub fn migrator(self) -> &'static sqlx::migrate::Migrator {
        match self {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }
}

#[derive(Debug, Clone)]
pub struct DbOptions {
    /// `sqlite:///abs/path/xiezhi.db` or `postgres://user:pass@host/db`.
    pub url: String,
    pub max_connections: u32,
    /// SQLite `synchronous` pragma: `full` (every commit reaches the disk) or `normal`.
    pub sqlite_synchronous: String,
}

#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// What makes the commits of [`Db::writer_conn`] durable.
    durability: Durability,
    /// Where [`Db::pin_writer_thread`] pins a writer's thread.
    writer_cpu: WriterCpu,
}

/// The CPU that a writer's thread and its SQLite connection's thread share (see
/// [`Db::pin_writer_thread`]; `[storage] sqlite_writer_cpu`): `last` (the default), the last CPU the
/// process may run on; `off`, none (the threads go where the kernel puts them); or a CPU number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WriterCpu {
    Off,
    #[default]
    Last,
    Cpu(usize),
}

impl FromStr for WriterCpu {
    type Err = String;

    fn from_str(s: &str) -> Result<WriterCpu, String> {
        match s.trim() {
            "off" => Ok(WriterCpu::Off),
            "last" => Ok(WriterCpu::Last),
            n => n
                .parse()
                .map(WriterCpu::Cpu)
                .map_err(|_| format!("sqlite_writer_cpu must be \"last\", \"off\" or a CPU number, not {s:?}")),
        }
    }
}

/// Pins the calling thread to the CPU `choice` names among those it may run on, and returns it;
/// `None` for `off`, or when that CPU is not among them.
#[cfg(target_os = "linux")]
fn pin_current_thread(choice: WriterCpu) -> std::io::Result<Option<usize>> {
    use nix::sched::{CpuSet, sched_getaffinity, sched_setaffinity};
    use nix::unistd::Pid;
    let this = Pid::from_raw(0);
    let allowed = sched_getaffinity(this)?;
    let may = |c: usize| allowed.is_set(c).unwrap_or(false);
    let cpu = match choice {
        WriterCpu::Off => None,
        WriterCpu::Last => (0..CpuSet::count()).rev().find(|&c| may(c)),
        WriterCpu::Cpu(c) => (c < CpuSet::count() && may(c)).then_some(c),
    };
    let Some(cpu) = cpu else { return Ok(None) };
    let mut one = CpuSet::new();
    one.set(cpu)?;
    sched_setaffinity(this, &one)?;
    Ok(Some(cpu))
}

#[cfg(not(target_os = "linux"))]
fn pin_current_thread(_choice: WriterCpu) -> std::io::Result<Option<usize>> {
    Ok(None)
}

/// What makes the commits of a writer's own connection (see [`Db::writer_conn`]) durable, which
/// those commits do not wait for: on SQLite with `synchronous = FULL`, an `fdatasync` of the WAL
/// file, which the writer's commits only write to; on PostgreSQL, a commit of its own that waits for
/// its WAL flush (see [`Syncer::sync`]). Nothing on SQLite with `synchronous = NORMAL`, where no
/// commit reaches the disk before a checkpoint.
#[derive(Debug, Clone, Default)]
pub struct Durability {
    wal: Option<std::path::PathBuf>,
    /// PostgreSQL: where the syncer connects.
    postgres: Option<AnyConnectOptions>,
}

/// How long a PostgreSQL sync may take before it counts as failed (and its connection is dropped).
const POSTGRES_SYNC_TIMEOUT: Duration = Duration::from_secs(10);

/// A PostgreSQL sync barrier: a transaction that writes one WAL record (a logical decoding message,
/// which needs no table and no privilege beyond connecting, and which only logical decoding reads)
/// and so has its commit wait for the WAL flush under the server's `synchronous_commit` (the one
/// every other commit of the platform follows). The flush covers all WAL written before it.
const POSTGRES_SYNC: &str = "SELECT pg_logical_emit_message(true, 'xiezhi.durable', '') IS NOT NULL";

impl Durability {
    /// The WAL file a syncer syncs (SQLite), if there is one to sync.
    pub fn wal(&self) -> Option<&std::path::Path> {
        self.wal.as_deref()
    }

    /// A syncer for a thread of its own: [`Syncer::sync`] blocks, so it must not run on an async
    /// runtime's thread.
    pub fn syncer(&self) -> std::io::Result<Syncer> {
        let postgres = match &self.postgres {
            Some(options) => Some(PostgresSync {
                options: options.clone(),
                runtime: tokio::runtime::Builder::new_current_thread().enable_all().build()?,
                conn: None,
            }),
            None => None,
        };
        Ok(Syncer { wal: self.wal.clone(), postgres })
    }
}

/// Makes the commits of a writer's own connection durable (see [`Durability`]).
#[derive(Debug)]
pub struct Syncer {
    wal: Option<std::path::PathBuf>,
    postgres: Option<PostgresSync>,
}

/// A connection of the syncer's own, opened on its own single-threaded runtime, kept between syncs
/// and opened again after a failure.
#[derive(Debug)]
struct PostgresSync {
    options: AnyConnectOptions,
    runtime: tokio::runtime::Runtime,
    conn: Option<sqlx::AnyConnection>,
}

impl PostgresSync {
    fn sync(&mut self) -> Result<(), sqlx::Error> {
        let PostgresSync { options, runtime, conn } = self;
        let r = runtime.block_on(async {
            tokio::time::timeout(POSTGRES_SYNC_TIMEOUT, async {
                let c = match conn {
                    Some(c) => c,
                    None => conn.insert(options.connect().await?),
                };
                sqlx::query(POSTGRES_SYNC).execute(c).await.map(|_| ())
            })
            .await
            .unwrap_or_else(|_| {
                Err(sqlx::Error::Io(std::io::Error::new(std::io::ErrorKind::TimedOut, "the sync took too long")))
            })
        });
        if r.is_err() {
            *conn = None;
        }
        r
    }
}

impl Syncer {
    /// Block until every commit made so far on a writer's connection is on disk.
    ///
    /// SQLite: the WAL is appended to, and only restarted from its beginning once a checkpoint has
    /// copied all of it into the database file and synced that, so syncing it makes every commit
    /// written before the call durable, whichever connection wrote it. PostgreSQL: the WAL is one
    /// sequence, and a commit that waits for its flush waits for everything written before it.
    pub fn sync(&mut self) -> std::io::Result<()> {
        if let Some(pg) = &mut self.postgres {
            return pg.sync().map_err(std::io::Error::other);
        }
        let Some(wal) = &self.wal else { return Ok(()) };
        // Opened for each sync rather than kept: SQLite removes the WAL file when its last
        // connection closes and makes a new one with the next, which a kept handle would miss.
        match std::fs::OpenOptions::new().write(true).open(wal) {
            Ok(f) => f.sync_data(),
            // No WAL file: the last connection closed, which checkpointed the WAL into the
            // database file, synced it and removed the WAL; nothing is left to sync.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// What a passive SQLite checkpoint found and did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    /// Frames (pages) in the WAL since it was last started from its beginning.
    pub wal_frames: i64,
    /// Of those, the frames now copied into the database file.
    pub copied: i64,
}

/// Pragmas of every SQLite connection.
async fn sqlite_pragmas(conn: &mut sqlx::AnyConnection, synchronous: &str) -> Result<(), sqlx::Error> {
    conn.execute("PRAGMA journal_mode = WAL").await?;
    conn.execute("PRAGMA busy_timeout = 10000").await?;
    conn.execute("PRAGMA foreign_keys = ON").await?;
    // Savepoint journals in memory: one savepoint per batch item in a group commit.
    conn.execute("PRAGMA temp_store = MEMORY").await?;
    conn.execute(if synchronous == "NORMAL" { "PRAGMA synchronous = NORMAL" } else { "PRAGMA synchronous = FULL" })
        .await?;
    Ok(())
}

impl Db {
    pub async fn connect(opts: &DbOptions) -> StorageResult<Db> {
        install_default_drivers();
        let backend = if opts.url.starts_with("postgres://") || opts.url.starts_with("postgresql://") {
            Backend::Postgres
        } else if opts.url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(StorageError::Corrupt(format!("unsupported database URL scheme: {}", redact(&opts.url))));
        };
        let connect = AnyConnectOptions::from_str(&opts.url)?
            .log_statements(tracing::log::LevelFilter::Trace)
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500));
        let synchronous = match opts.sqlite_synchronous.as_str() {
            "normal" => "NORMAL",
            _ => "FULL",
        };
        let pool = AnyPoolOptions::new()
            .max_connections(opts.max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            // A pooled SQLite connection is a file opened in this process, which does not go away
            // while the pool holds it; pinging it before each use is a round trip to its thread
            // (0.05–0.1 ms of the server's CPU per single push, docs/performance.md, tenth round). A
            // PostgreSQL connection may have been closed by the server.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        sqlite_pragmas(conn, synchronous).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(connect)
            .await?;
        let mut db = Db { pool, backend, durability: Durability::default(), writer_cpu: WriterCpu::default() };
        if backend == Backend::Sqlite {
            let version = db.sqlite_version().await?;
            if !dialect::sqlite_version_ok(&version) {
                return Err(StorageError::SqliteVersion { found: version, required: dialect::MIN_SQLITE });
            }
            if synchronous == "FULL" {
                let (_, _, file): (i64, String, String) =
                    sqlx::query_as("PRAGMA database_list").fetch_one(&db.pool).await?;
                db.durability.wal = (!file.is_empty()).then(|| format!("{file}-wal").into());
            }
        } else {
            db.durability.postgres = Some(db.pool.connect_options().as_ref().clone());
        }
        Ok(db)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn sqlite_version(&self) -> StorageResult<String> {
        let v: (String,) = sqlx::query_as("SELECT sqlite_version()").fetch_one(&self.pool).await?;
        Ok(v.0)
    }

    /// Apply pending migrations of this backend.
    pub async fn migrate(&self) -> StorageResult<()> {
        self.backend.migrator().run(&self.pool).await?;
        Ok(())
    }

    /// A pooled connection for reads (each statement is its own transaction).
    pub async fn conn(&self) -> StorageResult<PoolConnection<Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// Open a write transaction. Commit with `tx.commit().await`; dropping it rolls back.
    pub async fn begin(&self) -> StorageResult<Tx> {
        Ok(self.pool.begin_with(dialect::begin_write(self.backend)).await?)
    }

    /// A connection for a long-lived writer to hold on to (see [`Db::begin_on`]): opened apart
    /// from the pool (and beyond its size), on the caller's runtime, so that on PostgreSQL its
    /// socket is served by the runtime of the thread that uses it. On SQLite it gets a page cache
    /// of up to 32 MiB (default 2 MiB), enough for the inner index pages of a million cases (the
    /// pool's connections keep the default, as WAL drops their caches whenever the writer
    /// commits), and its commits do not checkpoint the WAL: the writer calls [`Db::checkpoint`]
    /// in the background instead, and now and then [`Db::checkpoint_on`] this connection.
    ///
    /// Its commits do not wait for the disk either (SQLite `synchronous = NORMAL`, PostgreSQL
    /// `synchronous_commit = off`): the writer makes them durable with [`Db::durability`] before it
    /// tells anyone, while it goes on with its next transaction. Other connections may read a
    /// commit up to one sync before it is durable.
    pub async fn writer_conn(&self) -> StorageResult<HeldConn> {
        let mut conn = self.pool.connect_options().connect().await?;
        if self.backend == Backend::Sqlite {
            sqlite_pragmas(&mut conn, "NORMAL").await?;
            conn.execute("PRAGMA cache_size = -32768").await?;
            conn.execute("PRAGMA wal_autocheckpoint = 0").await?;
        } else {
            conn.execute("SET synchronous_commit = off").await?;
        }
        Ok(conn)
    }

    /// Where [`Db::pin_writer_thread`] pins (default [`WriterCpu::Last`]).
    pub fn set_writer_cpu(&mut self, cpu: WriterCpu) {
        self.writer_cpu = cpu;
    }

    /// SQLite: pins the calling thread to one CPU (see [`WriterCpu`]) before it opens its
    /// [`Db::writer_conn`]. sqlx runs each SQLite connection's statements on a thread of its own,
    /// which it starts from the thread that opens the connection and which so inherits the pin:
    /// the writer and that thread then share the CPU. Every statement hands over from one to the
    /// other and back, and waking a thread that waits on another CPU costs far more than switching
    /// on the same one, most of all on a virtual machine (docs/performance.md, tenth round).
    /// Threads the caller starts afterwards inherit the pin too. Returns the CPU; `None` on
    /// PostgreSQL (whose writer talks to a server process over a socket), when pinning is off,
    /// or when the CPU is not one the process may use.
    pub fn pin_writer_thread(&self) -> std::io::Result<Option<usize>> {
        match self.backend {
            Backend::Sqlite => pin_current_thread(self.writer_cpu),
            Backend::Postgres => Ok(None),
        }
    }

    /// What makes the commits of [`Db::writer_conn`] durable.
    pub fn durability(&self) -> Durability {
        self.durability.clone()
    }

    /// Close a writer's connection (see [`Db::writer_conn`]) cleanly.
    pub async fn close_writer_conn(&self, conn: HeldConn) -> StorageResult<()> {
        Ok(conn.close().await?)
    }

    /// SQLite: copy what the WAL holds into the database file, on a pooled connection and without
    /// waiting for readers or writers (a passive checkpoint). Nothing to do on PostgreSQL.
    pub async fn checkpoint(&self) -> StorageResult<Option<Checkpoint>> {
        if self.backend != Backend::Sqlite {
            return Ok(None);
        }
        let mut conn = self.pool.acquire().await?;
        self.checkpoint_on(&mut conn).await
    }

    /// [`Db::checkpoint`] on a writer's own connection (see [`Db::writer_conn`]), between its
    /// transactions. Run there, with no commit in between, it copies the whole WAL (readers
    /// permitting), and the writer's next commit then writes the WAL from its beginning again.
    pub async fn checkpoint_on(&self, conn: &mut HeldConn) -> StorageResult<Option<Checkpoint>> {
        if self.backend != Backend::Sqlite {
            return Ok(None);
        }
        let (_busy, wal_frames, copied): (i64, i64, i64) =
            sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(&mut *conn).await?;
        Ok(Some(Checkpoint { wal_frames, copied }))
    }

    /// Open a write transaction on a connection the caller holds on to. A long-lived writer keeps
    /// its own connection so that its page cache stays warm: in SQLite's WAL mode a connection
    /// drops its whole cache when another connection has written since its last transaction.
    pub async fn begin_on<'c>(&self, conn: &'c mut HeldConn) -> StorageResult<TxOn<'c>> {
        Ok(sqlx::Connection::begin_with(conn, dialect::begin_write(self.backend)).await?)
    }

    /// Cheap liveness probe.
    pub async fn ping(&self) -> StorageResult<()> {
        let mut c = self.pool.acquire().await?;
        c.ping().await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Hide the password in a database URL for logs and errors.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or_default();
            format!("{}://{}:***@{}", &url[..s], user, &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// Savepoints inside an open transaction (same SQL on both backends): one item of a group commit
/// can be undone without losing the others.
pub async fn savepoint(conn: &mut Conn) -> StorageResult<()> {
    sqlx::query("SAVEPOINT item").execute(&mut *conn).await?;
    Ok(())
}

pub async fn rollback_to_savepoint(conn: &mut Conn) -> StorageResult<()> {
    sqlx::query("ROLLBACK TO SAVEPOINT item").execute(&mut *conn).await?;
    sqlx::query("RELEASE SAVEPOINT item").execute(&mut *conn).await?;
    Ok(())
}

pub async fn release_savepoint(conn: &mut Conn) -> StorageResult<()> {
    sqlx::query("RELEASE SAVEPOINT item").execute(&mut *conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_password() {
        assert_eq!(super::redact("postgres://x:secret@h:5432/db"), "postgres://x:***@h:5432/db");
        assert_eq!(super::redact("sqlite:///a/b.db"), "sqlite:///a/b.db");
    }
}
