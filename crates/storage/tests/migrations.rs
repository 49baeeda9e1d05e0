//! The SQLite and PostgreSQL migrations stay in lockstep: same files, and after migrating, the same
//! tables with the same columns. The PostgreSQL half runs when `XIEZHI_TEST_DATABASE_URL` names a
//! PostgreSQL server (CI runs the suite once per backend).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use xiezhi_storage::{Backend, Db, DbOptions, StorageError};

fn names(backend: Backend) -> Vec<String> {
    backend.migrator().iter().map(|m| format!("{}_{}", m.version, m.description)).collect()
}

#[test]
fn both_backends_have_the_same_migration_files() {
    assert_eq!(names(Backend::Sqlite), names(Backend::Postgres));
    assert!(names(Backend::Sqlite).len() >= 3);
}

async fn sqlite() -> Db {
    let (_, url) = temp_sqlite_file("xz_mig");
    let db = Db::connect(&DbOptions { url, max_connections: 2, sqlite_synchronous: "normal".into() }).await.unwrap();
    db.migrate().await.unwrap();
    db
}

async fn sqlite_columns(db: &Db) -> BTreeSet<(String, String)> {
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    let mut out = BTreeSet::new();
    for (t,) in tables {
        let cols: Vec<(String,)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT name FROM pragma_table_info('{t}')")))
                .fetch_all(db.pool())
                .await
                .unwrap();
        for (c,) in cols {
            out.insert((t.clone(), c));
        }
    }
    out
}

#[tokio::test]
async fn migrating_twice_is_a_no_op_and_sqlite_is_new_enough() {
    let db = sqlite().await;
    db.migrate().await.unwrap();
    let v = db.sqlite_version().await.unwrap();
    assert!(xiezhi_storage::dialect::sqlite_version_ok(&v), "bundled SQLite {v}");
    // Built as `.cargo/config.toml` says: without STAT4, without memory statistics.
    let options: Vec<String> = sqlx::query_scalar("PRAGMA compile_options").fetch_all(db.pool()).await.unwrap();
    assert!(options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"), "{options:?}");
    assert!(!options.iter().any(|o| o == "ENABLE_STAT4"), "{options:?}");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM regions").fetch_one(db.pool()).await.unwrap();
    assert_eq!(n, 1 + 10 + 173);
}

#[tokio::test]
async fn postgres_schema_matches_sqlite_schema() {
    let Ok(admin) = std::env::var("XIEZHI_TEST_DATABASE_URL") else {
        return;
    };
    if !admin.starts_with("postgres") {
        return;
    }
    let lite = sqlite_columns(&sqlite().await).await;
    let name = format!("xz_mig_{}", hex::encode(rand::random::<[u8; 6]>()));
    let a = Db::connect(&DbOptions { url: admin.clone(), max_connections: 1, sqlite_synchronous: "normal".into() })
        .await
        .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(a.pool()).await.unwrap();
    let base = admin.rsplit_once('/').unwrap().0;
    let pg = Db::connect(&DbOptions {
        url: format!("{base}/{name}"),
        max_connections: 2,
        sqlite_synchronous: "normal".into(),
    })
    .await
    .unwrap();
    pg.migrate().await.unwrap();
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'",
    )
    .fetch_all(pg.pool())
    .await
    .unwrap();
    let pgcols: BTreeSet<(String, String)> = rows.into_iter().collect();
    assert_eq!(lite, pgcols);
    // Room on the pages of `cases` for updates that stay on their page (migration 0018).
    let (options,): (Option<String>,) =
        sqlx::query_as("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = 'cases'::regclass")
            .fetch_one(pg.pool())
            .await
            .unwrap();
    assert_eq!(options.as_deref(), Some("fillfactor=85"));
}

/// A fresh database of the backend under test.
async fn backend_db() -> Db {
    match std::env::var("XIEZHI_TEST_DATABASE_URL") {
        Ok(admin) if admin.starts_with("postgres") => {
            let name = format!("xz_mig_{}", hex::encode(rand::random::<[u8; 6]>()));
            let a =
                Db::connect(&DbOptions { url: admin.clone(), max_connections: 1, sqlite_synchronous: "normal".into() })
                    .await
                    .unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(a.pool()).await.unwrap();
            let base = admin.rsplit_once('/').unwrap().0;
            let db = Db::connect(&DbOptions {
                url: format!("{base}/{name}"),
                max_connections: 2,
                sqlite_synchronous: "normal".into(),
            })
            .await
            .unwrap();
            db.migrate().await.unwrap();
            db
        }
        _ => sqlite().await,
    }
}

#[tokio::test]
async fn constraint_violations_name_the_field_on_every_backend() {
    let db = backend_db().await;
    let mut tx = db.begin().await.unwrap();
    let r = xiezhi_storage::platform::role::RoleWrite {
        code: "sys_admin".into(),
        name: "另一个".into(),
        description: String::new(),
        data_scope: "all".into(),
    };
    let e = xiezhi_storage::platform::role::insert(&mut tx, &r, 1).await.unwrap_err();
    assert!(matches!(e, StorageError::Duplicate { field: "code" }), "{e:?}");
    drop(tx);
    let mut tx = db.begin().await.unwrap();
    let d = xiezhi_storage::platform::department::DepartmentWrite {
        parent_id: None,
        name: "测试".into(),
        kind: "other".into(),
        region_code: "999999".into(),
        sort_order: 0,
        enabled: true,
    };
    let e = xiezhi_storage::platform::department::insert(&mut tx, &d, 1).await.unwrap_err();
    assert!(matches!(e, StorageError::Reference { .. }), "{e:?}");
}

#[tokio::test]
async fn a_nonce_is_accepted_once_per_source_until_it_expires() {
    use xiezhi_storage::clue::config as clue;
    let db = sqlite().await;
    let mut tx = db.begin().await.unwrap();
    let w = clue::SourceWrite {
        code: "zgt".into(),
        name: "智管通".into(),
        kind: "zhiguantong".into(),
        region_code: Some("331100".into()),
        department_id: None,
        callback_url: None,
        category_mapping: "{}".into(),
        field_mapping: "{}".into(),
        enabled: true,
    };
    let id = clue::insert_source(&mut tx, &w, "lsxz_test", "sm4gcm1:x", 1).await.unwrap();
    assert_eq!(clue::source_by_app_key(&mut tx, "lsxz_test").await.unwrap().map(|s| s.id), Some(id));
    assert!(clue::source_by_app_key(&mut tx, "nope").await.unwrap().is_none());
    assert!(clue::claim_nonce(&mut tx, id, "nonce-aaaaaaaaaaaaaaaa", 1_000, 500).await.unwrap());
    assert!(!clue::claim_nonce(&mut tx, id, "nonce-aaaaaaaaaaaaaaaa", 1_000, 600).await.unwrap(), "replay");
    // After expiry the nonce may be claimed again (the signature window makes such an old request
    // stale anyway), once.
    assert!(clue::claim_nonce(&mut tx, id, "nonce-aaaaaaaaaaaaaaaa", 3_000, 2_000).await.unwrap());
    assert!(!clue::claim_nonce(&mut tx, id, "nonce-aaaaaaaaaaaaaaaa", 3_000, 2_100).await.unwrap(), "replay");
    assert!(clue::claim_nonce(&mut tx, id, "nonce-bbbbbbbbbbbbbbbb", 1_500, 1_000).await.unwrap());
    // Purging removes exactly the expired ones.
    assert_eq!(clue::purge_nonces(&mut tx, 2_500).await.unwrap(), 1);
    assert!(!clue::claim_nonce(&mut tx, id, "nonce-aaaaaaaaaaaaaaaa", 4_000, 2_600).await.unwrap(), "still live");
    // Many at once (more than one statement's rows): a live nonce and a repeat within the list
    // are refused, the others claimed.
    let names: Vec<String> = (0..40).map(|i| format!("nonce-many-{i:02}")).collect();
    let mut list: Vec<(i64, &str, i64)> = names.iter().map(|n| (id, n.as_str(), 9_000)).collect();
    list.insert(5, (id, "nonce-aaaaaaaaaaaaaaaa", 9_000));
    list.push((id, "nonce-many-07", 9_000));
    let claimed = clue::claim_nonces(&mut tx, &list, 2_700).await.unwrap();
    let refused: Vec<usize> = (0..list.len()).filter(|i| !claimed[*i]).collect();
    assert_eq!(refused, [5, list.len() - 1]);
    assert!(!clue::claim_nonce(&mut tx, id, "nonce-many-39", 9_000, 2_800).await.unwrap(), "claimed in the list");
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn nullable_reals_bind_in_any_order() {
    use xiezhi_storage::dialect::OptF64;
    let db = backend_db().await;
    let mut conn = db.conn().await.unwrap();
    sqlx::query("CREATE TABLE t_reals (id BIGINT NOT NULL, v DOUBLE PRECISION)").execute(&mut *conn).await.unwrap();
    // The same statement, first with NULL, then with values: the cached statement must accept both.
    for (i, v) in [None, Some(0.875), None, Some(-119.5)].into_iter().enumerate() {
        sqlx::query("INSERT INTO t_reals (id, v) VALUES ($1, $2)")
            .bind(i as i64)
            .bind(OptF64(v))
            .execute(&mut *conn)
            .await
            .unwrap_or_else(|e| panic!("bind {v:?}: {e}"));
    }
    let got: Vec<(i64, Option<f64>)> =
        sqlx::query_as("SELECT id, v FROM t_reals ORDER BY id").fetch_all(&mut *conn).await.unwrap();
    assert_eq!(got, vec![(0, None), (1, Some(0.875)), (2, None), (3, Some(-119.5))]);
}

#[tokio::test]
async fn multi_row_statements_are_made_once_per_shape() {
    use xiezhi_storage::query::{insert_rows, shaped, values_placeholders};
    let db = backend_db().await;
    let mut conn = db.conn().await.unwrap();
    // Made on the first call of a key and shape only, and rewritten for the backend.
    let made = std::cell::Cell::new(0);
    let make = |rows: usize| {
        made.set(made.get() + 1);
        format!("SELECT column1 FROM (VALUES {}) AS v", values_placeholders(rows, 1))
    };
    let first = shaped(&conn, "test/shape", (3, 1), || make(3));
    let again = shaped(&conn, "test/shape", (3, 1), || make(3));
    assert!(std::sync::Arc::ptr_eq(&first.0, &again.0));
    assert_eq!(made.get(), 1);
    let other = shaped(&conn, "test/shape", (2, 1), || make(2));
    assert_eq!(made.get(), 2);
    let sqlite = conn.backend_name() == "SQLite";
    assert_eq!(other.0.contains('?'), sqlite, "{}", other.0);
    let got: Vec<(i64,)> = sqlx::query_as(first).bind(7i64).bind(8i64).bind(9i64).fetch_all(&mut *conn).await.unwrap();
    assert_eq!(got, vec![(7,), (8,), (9,)]);
    // A list longer than one statement goes in several, in order.
    sqlx::query("CREATE TABLE t_rows (id BIGINT NOT NULL, label TEXT NOT NULL)").execute(&mut *conn).await.unwrap();
    let rows: Vec<(i64, String)> = (0..45).map(|i| (i, format!("行{i}"))).collect();
    insert_rows(&mut conn, "INSERT INTO t_rows (id, label)", 2, &rows, |q, (id, label)| q.bind(*id).bind(label))
        .await
        .unwrap();
    let back: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, label FROM t_rows ORDER BY id").fetch_all(&mut *conn).await.unwrap();
    assert_eq!(back, rows);
}

/// A new SQLite database file's path under the temp dir, and its URL.
fn temp_sqlite_file(prefix: &str) -> (std::path::PathBuf, String) {
    let path = std::env::temp_dir().join(format!("{prefix}_{}.db", hex::encode(rand::random::<[u8; 6]>())));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    (path, url)
}

#[tokio::test]
async fn the_writers_commits_wait_for_nothing_and_its_durability_syncs_the_wal() {
    let (path, url) = temp_sqlite_file("xz_sync");
    let db = Db::connect(&DbOptions { url: url.clone(), max_connections: 2, sqlite_synchronous: "full".into() })
        .await
        .unwrap();
    db.migrate().await.unwrap();
    let durability = db.durability();
    let wal = std::path::PathBuf::from(format!("{}-wal", path.display()));
    assert_eq!(durability.wal(), Some(wal.as_path()));
    // Pooled connections wait for the disk at every commit (FULL = 2); the writer's do not
    // (NORMAL = 1), its caller syncs.
    let (pooled,): (i64,) = sqlx::query_as("PRAGMA synchronous").fetch_one(db.pool()).await.unwrap();
    let mut writer = db.writer_conn().await.unwrap();
    let (own,): (i64,) = sqlx::query_as("PRAGMA synchronous").fetch_one(&mut writer).await.unwrap();
    assert_eq!((pooled, own), (2, 1));
    // Pooled SQLite connections are not pinged before each use (PostgreSQL's are, see below).
    assert!(!db.pool().options().get_test_before_acquire());
    let mut tx = db.begin_on(&mut writer).await.unwrap();
    sqlx::query("CREATE TABLE probe (x INTEGER)").execute(&mut *tx).await.unwrap();
    sqlx::query("INSERT INTO probe (x) VALUES (1)").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    assert!(std::fs::metadata(&wal).unwrap().len() > 0, "the commit is in the WAL");
    let mut syncer = durability.syncer().unwrap();
    syncer.sync().unwrap();
    // Once the last connection has closed, the WAL is checkpointed and removed: nothing to sync.
    db.close_writer_conn(writer).await.unwrap();
    db.close().await;
    assert!(!wal.exists());
    syncer.sync().unwrap();
    // With synchronous = NORMAL no commit waits for the disk, so neither does the writer.
    let normal =
        Db::connect(&DbOptions { url, max_connections: 1, sqlite_synchronous: "normal".into() }).await.unwrap();
    assert_eq!(normal.durability().wal(), None);
    normal.close().await;
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn on_postgres_the_writers_commits_wait_for_nothing_and_its_syncer_flushes_the_wal() {
    let db = backend_db().await;
    if db.backend() != Backend::Postgres {
        return;
    }
    assert!(db.pool().options().get_test_before_acquire(), "the server may have closed a pooled connection");
    let show = "SELECT current_setting('synchronous_commit')";
    let (pooled,): (String,) = sqlx::query_as(show).fetch_one(db.pool()).await.unwrap();
    let mut writer = db.writer_conn().await.unwrap();
    let (own,): (String,) = sqlx::query_as(show).fetch_one(&mut writer).await.unwrap();
    assert_eq!((pooled.as_str(), own.as_str()), ("on", "off"));
    let mut tx = db.begin_on(&mut writer).await.unwrap();
    sqlx::query("CREATE TABLE probe (x BIGINT)").execute(&mut *tx).await.unwrap();
    sqlx::query("INSERT INTO probe (x) VALUES (1)").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    // Where the WAL ends after the commit.
    let (end,): (String,) =
        sqlx::query_as("SELECT pg_current_wal_insert_lsn()::text").fetch_one(&mut writer).await.unwrap();
    // The syncer blocks on a runtime of its own: run it on a thread that may block.
    let durability = db.durability();
    tokio::task::spawn_blocking(move || {
        let mut syncer = durability.syncer().unwrap();
        syncer.sync().unwrap();
        syncer.sync().unwrap();
    })
    .await
    .unwrap();
    let (flushed,): (bool,) = sqlx::query_as("SELECT pg_current_wal_flush_lsn() >= $1::text::pg_lsn")
        .bind(&end)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert!(flushed, "the sync flushed the WAL past the writer's commit");
    db.close_writer_conn(writer).await.unwrap();
}

#[tokio::test]
async fn a_checkpoint_that_copies_the_whole_wal_lets_the_writers_next_commit_start_it_again() {
    let (path, url) = temp_sqlite_file("xz_ckpt");
    let db = Db::connect(&DbOptions { url, max_connections: 2, sqlite_synchronous: "full".into() }).await.unwrap();
    let wal = db.durability().wal().unwrap().to_owned();
    let mut writer = db.writer_conn().await.unwrap();
    sqlx::query("CREATE TABLE probe (x INTEGER, pad TEXT)").execute(&mut writer).await.unwrap();
    let commit_rows = async |writer: &mut xiezhi_storage::db::HeldConn, n: usize| {
        for i in 0..n {
            let mut tx = db.begin_on(writer).await.unwrap();
            sqlx::query("INSERT INTO probe (x, pad) VALUES ($1, $2)")
                .bind(i as i64)
                .bind("填".repeat(1500))
                .execute(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
    };
    // The writer's commits do not checkpoint: the WAL only grows.
    commit_rows(&mut writer, 40).await;
    let first = db.checkpoint().await.unwrap().unwrap();
    assert!(first.wal_frames >= 40, "{first:?}");
    assert_eq!(first.copied, first.wal_frames, "nothing else reads or writes: all of it is copied");
    let size = std::fs::metadata(&wal).unwrap().len();
    // All of it copied, the next commits write the WAL from its beginning again, over the same
    // file; on the writer's own connection too.
    for _ in 0..5 {
        commit_rows(&mut writer, 40).await;
        let c = db.checkpoint_on(&mut writer).await.unwrap().unwrap();
        assert!(c.wal_frames <= first.wal_frames + 2, "{c:?} after {first:?}");
        assert_eq!(c.copied, c.wal_frames);
    }
    assert!(std::fs::metadata(&wal).unwrap().len() <= size + 2 * 4096, "the WAL file did not keep growing");
    db.close_writer_conn(writer).await.unwrap();
    db.close().await;
    let _ = std::fs::remove_file(&path);
}

/// `Cpus_allowed_list` of a thread of this process (`thread-self` for the calling one).
fn allowed_cpus(task: &str) -> String {
    let path = if task == "thread-self" {
        "/proc/thread-self/status".to_owned()
    } else {
        format!("/proc/self/task/{task}/status")
    };
    let status = std::fs::read_to_string(path).unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("Cpus_allowed_list:")).unwrap_or_default().trim().to_owned()
}

/// The threads sqlx runs SQLite connections on (by id).
fn sqlite_threads() -> BTreeSet<String> {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|e| {
            let tid = e.ok()?.file_name().into_string().ok()?;
            let comm = std::fs::read_to_string(format!("/proc/self/task/{tid}/comm")).ok()?;
            comm.starts_with("sqlx-sqlite").then_some(tid)
        })
        .collect()
}

#[test]
fn a_pinned_writer_shares_its_cpu_with_the_thread_of_its_sqlite_connection() {
    use xiezhi_storage::WriterCpu;
    assert_eq!("last".parse(), Ok(WriterCpu::Last));
    assert_eq!("off".parse(), Ok(WriterCpu::Off));
    assert_eq!(" 3 ".parse(), Ok(WriterCpu::Cpu(3)));
    assert!("first".parse::<WriterCpu>().unwrap_err().contains("sqlite_writer_cpu"));
    if !cfg!(target_os = "linux") {
        return;
    }
    let (path, url) = temp_sqlite_file("xz_pin");
    // A thread of its own, as the intake writer has: the pin stays with the thread.
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let mut db =
                Db::connect(&DbOptions { url, max_connections: 1, sqlite_synchronous: "normal".into() }).await.unwrap();
            let all = allowed_cpus("thread-self");
            let last: usize = all.rsplit([',', '-']).next().unwrap().parse().unwrap();
            db.set_writer_cpu(WriterCpu::Off);
            assert_eq!(db.pin_writer_thread().unwrap(), None);
            db.set_writer_cpu(WriterCpu::Cpu(100_000));
            assert_eq!(db.pin_writer_thread().unwrap(), None);
            assert_eq!(allowed_cpus("thread-self"), all, "nothing pinned");
            db.set_writer_cpu(WriterCpu::Last);
            assert_eq!(db.pin_writer_thread().unwrap(), Some(last));
            assert_eq!(allowed_cpus("thread-self"), last.to_string());
            let before = sqlite_threads();
            let mut writer = db.writer_conn().await.unwrap();
            sqlx::query("SELECT 1").execute(&mut writer).await.unwrap();
            // Other tests may open connections meanwhile, from threads of their own; the
            // writer's connection is the one on a thread pinned like this one.
            let pinned: Vec<String> =
                sqlite_threads().difference(&before).filter(|t| allowed_cpus(t) == last.to_string()).cloned().collect();
            assert!(!pinned.is_empty(), "the writer's connection runs on a thread pinned to CPU {last} (of {all})");
            db.close_writer_conn(writer).await.unwrap();
            db.close().await;
        });
    })
    .join()
    .unwrap();
    let _ = std::fs::remove_file(&path);
}
