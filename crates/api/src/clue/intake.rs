//! The intake API for sources (F01–F03), exactly as `docs/intake-standard.md` describes it: signed
//! requests, single and batch push with idempotency, status query, categories. Every accepted
//! clue is committed durably before the answer.

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::oneshot;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiezhi_domain::FieldError;
use xiezhi_domain::clue::dedup::Fingerprint;
use xiezhi_domain::clue::intake::{self as spec, MAX_BATCH};
use xiezhi_domain::clue::intake::{IntakeClue, Payload};
use xiezhi_domain::clue::signature::{self, SignatureError};
use xiezhi_storage::clue::case as cases;
use xiezhi_storage::clue::config::{self, SourceRow};
use xiezhi_storage::{Conn, HeldConn, TxOn};

use crate::clue::engine::{self, Actor, Ahead, Incoming, IntakeError, IntakeResult};
use crate::clue::rules::{Key, Rules};
use crate::error::{ApiError, ApiErrorBody, ApiResult};
use crate::extract::{ClientMeta, Json, Path};
use crate::{AppState, now_ms};

/// Largest intake request body.
pub const INTAKE_BODY_LIMIT: usize = 32 * 1024 * 1024;
/// How long a nonce is remembered (twice the timestamp window).
const NONCE_TTL_MS: i64 = 10 * 60 * 1000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(push_clue))
        .routes(routes!(push_batch))
        .routes(routes!(clue_status))
        .routes(routes!(intake_categories))
        .layer(axum::extract::DefaultBodyLimit::max(INTAKE_BODY_LIMIT))
}

fn coded(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::Coded { status, code, message: message.into() }
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty())
}

/// A source authenticated by its signature; the nonce is claimed in the caller's transaction.
pub struct Signed {
    source: SourceRow,
    nonce: String,
    /// The rules the source was found under (the work done ahead uses them too).
    rules: Arc<Rules>,
    /// The rules were read for this request (not taken from the cache as some transaction saw
    /// them lately, see [`authenticate`]).
    read: bool,
}

/// How old the rules a single push is authenticated under may be: as some transaction saw them
/// lately (under load, the writer's last group), without reading the stamp. The writer checks the
/// push again under its own rules when they differ (see [`recheck`]); a refusal is only ever
/// decided under rules read for the request.
const RULES_SEEN_WITHIN: std::time::Duration = std::time::Duration::from_secs(1);

async fn authenticate(
    s: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    lately: bool,
) -> ApiResult<Signed> {
    let (Some(key), Some(ts), Some(nonce), Some(sig)) = (
        header(headers, "x-app-key"),
        header(headers, "x-timestamp"),
        header(headers, "x-nonce"),
        header(headers, "x-signature"),
    ) else {
        return Err(coded(
            StatusCode::UNAUTHORIZED,
            "signature_missing",
            "缺少签名请求头（X-App-Key、X-Timestamp、X-Nonce、X-Signature）",
        ));
    };
    let verify = |sources: &HashMap<String, SourceRow>| {
        let source = sources.get(key).ok_or_else(app_key_unknown)?;
        verify_signature(s, source, method, uri, (ts, nonce, sig), body)?;
        Ok::<_, ApiError>(source.clone())
    };
    if lately
        && let Some(rules) = s.clue.rules_seen_within(RULES_SEEN_WITHIN)
        && let Some(sources) = rules.cached::<Arc<HashMap<String, SourceRow>>>(&Key::Sources)
        && let Ok(source) = verify(&sources)
    {
        return Ok(Signed { source, nonce: nonce.to_owned(), rules, read: false });
    }
    let mut conn = s.db.conn().await?;
    // Sources from the rules cache (a change to a source moves the configuration stamp).
    let rules = s.clue.rules(&mut conn).await?;
    let sources = rules.get(Key::Sources, sources_by_app_key(&mut conn)).await?;
    drop(conn);
    let source = verify(&sources)?;
    Ok(Signed { source, nonce: nonce.to_owned(), rules, read: true })
}

/// A request's signature checked with its source's secret, and the source enabled.
fn verify_signature(
    s: &AppState,
    source: &SourceRow,
    method: &Method,
    uri: &Uri,
    (ts, nonce, sig): (&str, &str, &str),
    body: &[u8],
) -> ApiResult<()> {
    let secret = s.cipher.decrypt(&source.secret_enc).map_err(ApiError::internal)?;
    match signature::verify(&secret, method.as_str(), uri.path(), ts, nonce, body, sig, now_ms()) {
        Ok(()) => {}
        Err(SignatureError::StaleTimestamp) => {
            return Err(coded(
                StatusCode::UNAUTHORIZED,
                "timestamp_expired",
                "X-Timestamp 无效或与服务器时间相差超过 5 分钟",
            ));
        }
        Err(SignatureError::BadNonce | SignatureError::Mismatch) => return Err(signature_invalid()),
    }
    if source.enabled != 1 {
        return Err(source_disabled());
    }
    Ok(())
}

fn app_key_unknown() -> ApiError {
    coded(StatusCode::UNAUTHORIZED, "app_key_unknown", "App Key 不存在")
}

fn source_disabled() -> ApiError {
    coded(StatusCode::FORBIDDEN, "source_disabled", "该来源已被停用")
}

fn signature_invalid() -> ApiError {
    coded(StatusCode::UNAUTHORIZED, "signature_invalid", "签名校验失败")
}

/// A single push authenticated and validated under other rules than the writer's (see
/// [`RULES_SEEN_WITHIN`]), checked again under the writer's: refused if its source is gone,
/// disabled or has another secret now; validated again under the source as it is now if that
/// changed otherwise (`Some`: the source, the clue and the work ahead to use instead).
async fn recheck(
    s: &AppState,
    tx: &mut Conn,
    rules: &Rules,
    w: &Work,
) -> ApiResult<Option<(SourceRow, IntakeClue, Ahead)>> {
    let sources = rules.get(Key::Sources, sources_by_app_key(tx)).await?;
    let then = &w.signed.source;
    let now = sources.get(&then.app_key).ok_or_else(app_key_unknown)?;
    let unchanged = |r: &SourceRow| SourceRow { last_seen_at: None, ..r.clone() };
    if unchanged(now) == unchanged(then) {
        return Ok(None);
    }
    if now.secret_enc != then.secret_enc {
        let secret = |r: &SourceRow| s.cipher.decrypt(&r.secret_enc).map_err(ApiError::internal);
        if secret(now)? != secret(then)? {
            return Err(signature_invalid());
        }
    }
    if now.enabled != 1 {
        return Err(source_disabled());
    }
    let clue = match engine::validate(now, &w.raw, w.now) {
        Ok(c) => c,
        Err(mut errs) => {
            engine::add_category_error(tx, now, &w.raw, &mut errs).await;
            return Err(ApiError::Validation(errs));
        }
    };
    let ahead = Ahead { fingerprint: engine::fingerprint(&s.clue, &clue), looked: None };
    Ok(Some((now.clone(), clue, ahead)))
}

async fn sources_by_app_key(conn: &mut Conn) -> ApiResult<Arc<HashMap<String, SourceRow>>> {
    let all = config::sources(conn).await?;
    Ok(Arc::new(all.into_iter().map(|s| (s.app_key.clone(), s)).collect()))
}

/// Claim the request's nonce and record the source's last use.
async fn claim(tx: &mut Conn, signed: &Signed, now: i64) -> ApiResult<()> {
    if !config::claim_nonce(tx, signed.source.id, &signed.nonce, now + NONCE_TTL_MS, now).await? {
        return Err(nonce_replayed());
    }
    config::touch_source(tx, signed.source.id, now).await?;
    Ok(())
}

fn json_content(headers: &HeaderMap) -> ApiResult<()> {
    let ct = header(headers, "content-type").unwrap_or_default().to_ascii_lowercase();
    if ct == "application/json" || ct.starts_with("application/json;") {
        Ok(())
    } else {
        Err(ApiError::UnsupportedMediaType("需要 application/json".into()))
    }
}

/// A raw body, or the platform's error for a refused one (too large, unreadable).
pub(crate) fn body_of(b: Result<Bytes, BytesRejection>) -> ApiResult<Bytes> {
    b.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge
        } else {
            ApiError::BadRequest(e.body_text())
        }
    })
}

fn parse_json(body: &[u8]) -> ApiResult<Value> {
    serde_json::from_slice(body).map_err(|e| ApiError::BadRequest(format!("JSON 语法错误：{e}")))
}

fn actor(source: &SourceRow, meta: &ClientMeta) -> Actor {
    Actor { user_id: None, name: format!("source:{}", source.code), ip: meta.ip.clone() }
}

fn intake_error(e: IntakeError) -> ApiError {
    match e {
        IntakeError::Invalid(errs) => ApiError::Validation(errs),
        IntakeError::Conflict => {
            coded(StatusCode::CONFLICT, "idempotency_conflict", "该 source_clue_id 已用不同内容推送过")
        }
        IntakeError::Api(e) => e,
    }
}

/// Most jobs (single pushes or batches) committed in one transaction.
const GROUP_MAX: usize = 64;
/// A group stops taking jobs once it holds this many clues.
const GROUP_MAX_CLUES: usize = 1024;

/// One validated single push waiting for the writer.
pub struct Work {
    signed: Signed,
    /// As received (validated again if the rules changed before the writer got to it), and as stored.
    raw: Value,
    payload: Payload,
    clue: IntakeClue,
    ahead: Ahead,
    actor: Actor,
    now: i64,
}

/// One item of a batch: refused before the writer, or validated and fingerprinted.
enum BatchItem {
    Refused {
        id: Option<String>,
        error: ItemError,
    },
    /// `new_id`: the source had no clue with this id when the batch was validated.
    Valid {
        id: Option<String>,
        payload: Payload,
        clue: Box<IntakeClue>,
        ahead: Box<Ahead>,
        new_id: bool,
    },
}

/// A validated batch waiting for the writer.
pub struct BatchWork {
    signed: Signed,
    actor: Actor,
    now: i64,
    items: Vec<BatchItem>,
}

/// Where a job's answer goes, together with the job's work: the requester drops that, so that
/// freeing a batch's clues is not on the writer's serial path.
type Reply<W, T> = oneshot::Sender<(ApiResult<T>, Box<W>)>;

/// A job of the group-commit writer, with the channel its answer goes to.
pub enum Job {
    Single(Box<Work>, Reply<Work, IntakeResult>),
    Batch(Box<BatchWork>, Reply<BatchWork, BatchResult>),
}

/// What the writer did with a job.
enum Outcome {
    Single(ApiResult<IntakeResult>),
    Batch(ApiResult<BatchResult>),
}

impl Job {
    fn clues(&self) -> usize {
        match self {
            Job::Single(..) => 1,
            Job::Batch(b, _) => b.items.len(),
        }
    }

    /// The cases its clues were found ahead to be merged into.
    fn merge_targets(&self) -> Vec<i64> {
        match self {
            Job::Single(w, _) => w.ahead.merge_target().into_iter().collect(),
            Job::Batch(b, _) => b
                .items
                .iter()
                .filter_map(|i| match i {
                    BatchItem::Valid { ahead, .. } => ahead.merge_target(),
                    BatchItem::Refused { .. } => None,
                })
                .collect(),
        }
    }

    /// The request's signature, and the time it was received.
    fn signed(&self) -> (&Signed, i64) {
        match self {
            Job::Single(w, _) => (&w.signed, w.now),
            Job::Batch(b, _) => (&b.signed, b.now),
        }
    }

    /// The job refused as a whole.
    fn refused(&self, e: ApiError) -> Outcome {
        match self {
            Job::Single(..) => Outcome::Single(Err(e)),
            Job::Batch(..) => Outcome::Batch(Err(e)),
        }
    }

    fn answer(self, outcome: Outcome) {
        match (self, outcome) {
            (Job::Single(w, reply), Outcome::Single(r)) => {
                let _ = reply.send((r, w));
            }
            (Job::Batch(b, reply), Outcome::Batch(r)) => {
                let _ = reply.send((r, b));
            }
            (job, Outcome::Single(Err(e)) | Outcome::Batch(Err(e))) => job.fail(e),
            (job, _) => job.fail(ApiError::internal("intake writer mixed up its answers")),
        }
    }

    fn fail(self, e: ApiError) {
        match self {
            Job::Single(w, reply) => {
                let _ = reply.send((Err(e), w));
            }
            Job::Batch(b, reply) => {
                let _ = reply.send((Err(e), b));
            }
        }
    }
}

impl Outcome {
    fn is_ok(&self) -> bool {
        matches!(self, Outcome::Single(Ok(_)) | Outcome::Batch(Ok(_)))
    }
}

/// Group commit: pushes that arrive together share one durable transaction, and the writes that
/// every clue makes (timeline events, audit entries, nonces, the sources' last use) are made once
/// for the group at the end of it. Every caller gets its answer only after the commit. Batches go
/// through the same writer, so SQLite never sees two writers.
///
/// The writer runs on a thread of its own (a single-threaded runtime): it waits for the database
/// once per statement, and on the shared runtime every wake-up would queue behind the requests'
/// tasks (parsing, word segmentation, scoring) that keep its workers busy under load.
async fn submit(s: &AppState, job: Job) -> ApiResult<()> {
    let queue = s.clue.intake_queue(|rx| {
        let state = s.clone();
        let run = move || {
            // The syncer and its thread are made here, outside the writer's runtime (the syncer
            // may hold a runtime of its own, which cannot be dropped inside another).
            let (answers, to_sync) = std::sync::mpsc::channel::<Answers>();
            let syncing = state.db.durability().syncer().and_then(|s| {
                std::thread::Builder::new().name("intake-syncer".into()).spawn(move || syncer(s, to_sync))
            });
            if let Err(e) = syncing {
                tracing::error!(error = %e, "intake writer: no syncer");
                return;
            }
            // After the syncer's thread is started, so that only the writer and the connection it
            // opens share the CPU.
            match state.db.pin_writer_thread() {
                Ok(Some(cpu)) => tracing::info!(cpu, "intake writer: pinned with its SQLite connection"),
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "intake writer: not pinned"),
            }
            match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(rt) => rt.block_on(writer(state, rx, answers)),
                Err(e) => tracing::error!(error = %e, "intake writer: no runtime"),
            }
        };
        if let Err(e) = std::thread::Builder::new().name("intake-writer".into()).spawn(run) {
            tracing::error!(error = %e, "intake writer: no thread");
        }
    });
    queue.send(job).await.map_err(|_| ApiError::internal("intake writer stopped"))
}

/// The writer's answer to a job (the job's work, handed back with it, is dropped here).
async fn answered<W, T>(answer: oneshot::Receiver<(ApiResult<T>, Box<W>)>) -> ApiResult<T> {
    let (result, _work) = answer.await.map_err(|_| ApiError::internal("intake writer dropped the request"))?;
    result
}

/// How often the writer removes expired nonces (in the transaction of the group at hand).
const NONCE_PURGE_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// How often the writer has the WAL checkpointed in the background (its own commits do not).
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// How many frames (pages) the WAL may grow to before the writer checkpoints it itself (see
/// [`Checkpoints`]): 1 GiB at SQLite's default 4 KiB page, about twenty seconds of intake at full
/// speed. Each time costs the writer a pause of 10–70 ms (that checkpoint copies what the
/// background has not yet, and SQLite syncs the WAL and then the growing database file, which
/// takes 20–40 ms even when the background has just copied everything), so this is a bound, not a
/// routine: at a quarter of it, with 1,000,000 cases, the pauses came often enough to push the
/// latency's 99th percentile at 500 clues/s from 12–14 ms to 20 ms (like-for-like runs).
const RESTART_WAL_AT_FRAMES: i64 = 262_144;

/// The WAL checkpoints of the writer (SQLite; nothing happens on PostgreSQL).
///
/// Most of the WAL is copied into the database file in the background, every
/// [`CHECKPOINT_EVERY`], on another connection, while the writer goes on: its own commits do not
/// checkpoint (see `Db::writer_conn`). But SQLite only starts the WAL from its beginning again at
/// a transaction that begins with all of it copied, which a checkpoint running beside a busy
/// writer never achieves: under a steady load the WAL would grow without bound, and every commit
/// would extend the file (the file system allocating and zeroing new blocks) instead of
/// overwriting pages it has cached. So when the background finds the WAL longer than
/// [`RESTART_WAL_AT_FRAMES`], the writer checkpoints once itself, between two groups: what the
/// background has not copied yet, after which its next group starts the WAL again.
#[derive(Debug, Default)]
struct Checkpoints {
    /// When the background was last due to checkpoint.
    last: Option<std::time::Instant>,
    /// A checkpoint runs (in the background or the writer's).
    running: Arc<std::sync::atomic::AtomicBool>,
    /// The background found the WAL long.
    long: Arc<std::sync::atomic::AtomicBool>,
}

impl Checkpoints {
    /// Checkpoint in the background, on another connection, when it is time and none runs.
    fn background(&mut self, state: &AppState) {
        if self.last.is_some_and(|t| t.elapsed() < CHECKPOINT_EVERY) {
            return;
        }
        self.last = Some(std::time::Instant::now());
        if self.running.swap(true, std::sync::atomic::Ordering::AcqRel) {
            return;
        }
        let (db, running, long) = (state.db.clone(), self.running.clone(), self.long.clone());
        tokio::spawn(async move {
            match db.checkpoint().await {
                Ok(Some(c)) if c.wal_frames >= RESTART_WAL_AT_FRAMES => {
                    long.store(true, std::sync::atomic::Ordering::Release)
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "WAL checkpoint failed"),
            }
            running.store(false, std::sync::atomic::Ordering::Release);
        });
    }

    /// Between two groups: checkpoint on the writer's connection if the background found the WAL
    /// long (and is not checkpointing at the moment).
    async fn restart(&mut self, state: &AppState, held: &mut Option<HeldConn>) {
        let Some(conn) = held.as_mut() else { return };
        if !self.long.load(std::sync::atomic::Ordering::Acquire)
            || self.running.swap(true, std::sync::atomic::Ordering::AcqRel)
        {
            return;
        }
        self.long.store(false, std::sync::atomic::Ordering::Release);
        if let Err(e) = state.db.checkpoint_on(conn).await {
            tracing::warn!(error = %e, "WAL checkpoint failed");
        }
        self.running.store(false, std::sync::atomic::Ordering::Release);
    }
}

/// The writer's answers, each with the job it answers.
type Answers = Vec<(Job, Outcome)>;

/// Send the writer's answers once the commits behind them are durable. The writer commits without
/// waiting for the disk and goes on with its next group while this thread syncs (one sync for all
/// the answers waiting, `Db::durability`) and then answers. Every answer goes through here in the
/// writer's order, refusals too: a refusal can rest on a commit of an earlier group (a clue id
/// already used), and a sync covers every commit made before it. If the sync fails, nobody is told
/// their clue was accepted; a source retrying the same clue gets the first result (idempotency).
fn syncer(mut syncer: xiezhi_storage::db::Syncer, rx: std::sync::mpsc::Receiver<Answers>) {
    while let Ok(mut answers) = rx.recv() {
        while let Ok(more) = rx.try_recv() {
            answers.extend(more);
        }
        match syncer.sync() {
            Ok(()) => answers.into_iter().for_each(|(job, o)| job.answer(o)),
            Err(e) => {
                tracing::error!(error = %e, n = answers.len(), "intake: making the commits durable failed; answers withheld");
                for (job, _) in answers {
                    job.fail(ApiError::internal("the clue could not be stored durably; push it again"));
                }
            }
        }
    }
}

/// The group-commit writer; `answers` goes to the syncer.
async fn writer(state: AppState, mut rx: tokio::sync::mpsc::Receiver<Job>, answers: std::sync::mpsc::Sender<Answers>) {
    let answer = |a: Answers| {
        // The syncer only stops when this writer has stopped.
        let _ = answers.send(a);
    };
    let mut purged: Option<std::time::Instant> = None;
    let mut checkpoints = Checkpoints::default();
    // The writer's own connection, kept between groups (see `Db::begin_on`); closed after a
    // failure, in case the failure was the connection's.
    let mut held: Option<HeldConn> = None;
    while let Some(first) = rx.recv().await {
        let mut clues = first.clues();
        let mut jobs = vec![first];
        while jobs.len() < GROUP_MAX && clues < GROUP_MAX_CLUES {
            match rx.try_recv() {
                Ok(j) => {
                    clues += j.clues();
                    jobs.push(j);
                }
                Err(_) => break,
            }
        }
        let purge = purged.is_none_or(|t| t.elapsed() >= NONCE_PURGE_EVERY);
        if purge {
            purged = Some(std::time::Instant::now());
        }
        checkpoints.background(&state);
        match commit_group(&state, &mut held, &jobs, purge, Mode::Group).await {
            Ok(outcomes) => answer(jobs.into_iter().zip(outcomes).collect()),
            // A refusal after writing or a storage failure undoes the whole group: retry each job
            // on its own.
            Err(e) => {
                tracing::warn!(error = %e, n = jobs.len(), "intake group undone, retrying its jobs one by one");
                close(&state, &mut held).await;
                for job in jobs {
                    let o = match commit_group(&state, &mut held, std::slice::from_ref(&job), false, Mode::Alone).await
                    {
                        Ok(mut v) => v.pop().unwrap_or_else(|| job.refused(ApiError::internal("empty group"))),
                        Err(e) => {
                            close(&state, &mut held).await;
                            job.refused(e)
                        }
                    };
                    answer(vec![(job, o)]);
                }
            }
        }
        checkpoints.restart(&state, &mut held).await;
    }
    close(&state, &mut held).await;
}

/// Close the writer's connection (a new one is opened for the next group).
async fn close(state: &AppState, held: &mut Option<HeldConn>) {
    if let Some(conn) = held.take()
        && let Err(e) = state.db.close_writer_conn(conn).await
    {
        tracing::debug!(error = %e, "intake writer: closing its connection");
    }
}

/// How the writer commits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Several jobs at once, without savepoints: a clue refused after the engine wrote fails the
    /// group, whose jobs are then retried one by one.
    Group,
    /// One job: a single push refused after writing is rolled back, and each batch item is in a
    /// savepoint so that a refused item leaves the others intact.
    Alone,
}

/// The work done ahead that a writer in `mode` relies on.
fn trusted(mode: Mode, a: &Ahead) -> std::borrow::Cow<'_, Ahead> {
    match mode {
        Mode::Group => std::borrow::Cow::Borrowed(a),
        Mode::Alone => std::borrow::Cow::Owned(Ahead { fingerprint: a.fingerprint.clone(), looked: None }),
    }
}

/// Run `f` in a savepoint: kept when it succeeds, undone when it refuses. A storage failure ends
/// the whole group.
async fn in_savepoint<T>(
    tx: &mut Conn,
    f: impl AsyncFnOnce(&mut Conn) -> Result<T, IntakeError>,
) -> ApiResult<Result<T, IntakeError>> {
    xiezhi_storage::db::savepoint(tx).await?;
    match f(tx).await {
        Ok(v) => {
            xiezhi_storage::db::release_savepoint(tx).await?;
            Ok(Ok(v))
        }
        Err(IntakeError::Api(ApiError::Internal(e))) => Err(ApiError::Internal(e)),
        Err(e) => {
            xiezhi_storage::db::rollback_to_savepoint(tx).await?;
            Ok(Err(e))
        }
    }
}

fn nonce_replayed() -> ApiError {
    coded(StatusCode::UNAUTHORIZED, "nonce_replayed", "X-Nonce 已使用过（重放请求）")
}

/// A refusal after writing: alone, roll back and answer it; in a group, undo the group (`Err`) so
/// that its jobs are retried one by one.
async fn refused_after_writing(
    s: &AppState,
    (mode, group): (Mode, u64),
    tx: TxOn<'_>,
    job: &Job,
    e: ApiError,
) -> ApiResult<Vec<Outcome>> {
    if mode == Mode::Group {
        return Err(ApiError::internal(format!("a push was refused after writing ({e}); group undone")));
    }
    tx.rollback().await.map_err(ApiError::internal)?;
    s.clue.recent.undo(group);
    Ok(vec![job.refused(e)])
}

/// Commit one group (see [`write_group`]), keeping the engine's list of recent cases in step.
async fn commit_group(
    s: &AppState,
    held: &mut Option<HeldConn>,
    jobs: &[Job],
    purge_nonces: bool,
    mode: Mode,
) -> ApiResult<Vec<Outcome>> {
    let group = s.clue.recent.begin();
    let r = write_group(s, held, jobs, purge_nonces, mode, group).await;
    match &r {
        Ok(_) => s.clue.recent.commit(group),
        Err(_) => s.clue.recent.undo(group),
    }
    r
}

async fn write_group(
    s: &AppState,
    held: &mut Option<HeldConn>,
    jobs: &[Job],
    purge_nonces: bool,
    mode: Mode,
    group: u64,
) -> ApiResult<Vec<Outcome>> {
    let conn = match held {
        Some(c) => c,
        None => held.insert(s.db.writer_conn().await?),
    };
    let mut tx = s.db.begin_on(conn).await?;
    if purge_nonces {
        config::purge_nonces(&mut tx, now_ms()).await?;
    }
    let rules = s.clue.rules(&mut tx).await?;
    let mut out = Vec::with_capacity(jobs.len());
    let mut deferred = match mode {
        Mode::Group => {
            // The group's clues are inserted together at its end.
            let mut d = engine::Deferred::default();
            d.reserve_clue_ids(&mut tx, jobs.iter().map(Job::clues).sum()).await?;
            d.lock_merge_targets(&mut tx, jobs.iter().flat_map(Job::merge_targets).collect()).await?;
            d
        }
        Mode::Alone => engine::Deferred::in_savepoints(),
    };
    // Which single pushes bring a clue id new to their source, looked up for the group at once
    // (alone, the engine looks itself).
    let known = match mode {
        Mode::Group => known_single_ids(&mut tx, jobs).await?,
        Mode::Alone => HashMap::new(),
    };
    // The jobs whose nonce is claimed at the end, and whether each wrote anything.
    let mut claims: Vec<(usize, bool)> = Vec::new();
    let mut nonces = std::collections::HashSet::new();
    for (i, job) in jobs.iter().enumerate() {
        let (signed, now) = job.signed();
        if !nonces.insert((signed.source.id, signed.nonce.as_str())) {
            out.push(job.refused(nonce_replayed()));
            continue;
        }
        // Alone, only the fingerprint done ahead is used: the engine looks at the clue id (that is
        // how a group undone by a concurrent push of the same id gets its answer) and reads the
        // dedup candidates itself.
        match job {
            Job::Single(w, _) => {
                let rechecked = match signed.rules.stamp() == rules.stamp() {
                    true => None,
                    false => match recheck(s, &mut tx, &rules, w).await {
                        Ok(r) => r,
                        Err(e @ ApiError::Internal(_)) => return Err(e),
                        Err(e) => {
                            out.push(job.refused(e));
                            continue;
                        }
                    },
                };
                let (source, clue, ahead) = match &rechecked {
                    Some((source, clue, ahead)) => (source, clue, std::borrow::Cow::Borrowed(ahead)),
                    None => (&signed.source, &w.clue, trusted(mode, &w.ahead)),
                };
                // (A clue validated again may carry another id, not looked up.)
                let new_id =
                    rechecked.is_none() && known.get(&source.id).is_some_and(|k| !k.contains(&clue.source_clue_id));
                let inc = Incoming {
                    source,
                    new_id,
                    ..incoming(Some(group), signed, &w.payload, &ahead, &rules, &w.actor, now)
                };
                // No savepoint: the engine refuses as `Invalid` or `Conflict` only before it writes.
                match engine::intake_deferred(&s.clue, &s.cipher, &mut tx, &inc, clue, &mut deferred).await {
                    Ok(result) => {
                        claims.push((i, !result.replayed));
                        out.push(Outcome::Single(Ok(result)));
                    }
                    Err(e @ (IntakeError::Invalid(_) | IntakeError::Conflict)) => {
                        out.push(Outcome::Single(Err(intake_error(e))));
                    }
                    Err(IntakeError::Api(ApiError::Internal(e))) => return Err(ApiError::Internal(e)),
                    Err(IntakeError::Api(e)) => return refused_after_writing(s, (mode, group), tx, job, e).await,
                }
            }
            Job::Batch(b, _) => {
                let mut results = Vec::with_capacity(b.items.len());
                let mut wrote = false;
                for item in &b.items {
                    let r = match item {
                        BatchItem::Refused { error, .. } => Err(error.clone()),
                        BatchItem::Valid { payload, clue, ahead, new_id, .. } => {
                            let ahead = trusted(mode, ahead);
                            // Alone, a batch's new cases stay out of the recent-cases list: an item
                            // undone by its savepoint would leave a case there that never was.
                            let listed = (mode == Mode::Group).then_some(group);
                            let new_id = *new_id && mode == Mode::Group;
                            let inc =
                                Incoming { new_id, ..incoming(listed, signed, payload, &ahead, &rules, &b.actor, now) };
                            let d = &mut deferred;
                            let r = match mode {
                                Mode::Alone => {
                                    in_savepoint(&mut tx, async |tx| {
                                        engine::intake_deferred(&s.clue, &s.cipher, tx, &inc, clue, d).await
                                    })
                                    .await?
                                }
                                Mode::Group => {
                                    match engine::intake_deferred(&s.clue, &s.cipher, &mut tx, &inc, clue, d).await {
                                        Err(IntakeError::Api(e)) => return Err(e),
                                        r => r,
                                    }
                                }
                            };
                            wrote |= matches!(&r, Ok(r) if !r.replayed);
                            r.map_err(batch_item_error)
                        }
                    };
                    results.push(r);
                }
                claims.push((i, wrote));
                out.push(Outcome::Batch(Ok(batch_result(&b.items, results))));
            }
        }
    }
    // The nonces of the jobs that went through, claimed together. A replayed one refuses its job;
    // if the job wrote, that is undone (alone: the transaction; in a group: the group).
    let keys: Vec<(i64, &str, i64)> = claims
        .iter()
        .map(|(i, _)| {
            let (signed, now) = jobs[*i].signed();
            (signed.source.id, signed.nonce.as_str(), now + NONCE_TTL_MS)
        })
        .collect();
    let claimed = config::claim_nonces(&mut tx, &keys, now_ms()).await?;
    for ((i, wrote), ok) in claims.into_iter().zip(claimed) {
        if ok {
            continue;
        }
        if wrote {
            return refused_after_writing(s, (mode, group), tx, &jobs[i], nonce_replayed()).await;
        }
        out[i] = jobs[i].refused(nonce_replayed());
    }
    // Sources seen in this group and the latest time each was used.
    let mut used = std::collections::BTreeMap::new();
    for (job, o) in jobs.iter().zip(&out) {
        if o.is_ok() {
            let (signed, now) = job.signed();
            let at = used.entry(signed.source.id).or_insert(now);
            *at = (*at).max(now);
        }
    }
    for (source, at) in used {
        config::touch_source(&mut tx, source, at).await?;
    }
    deferred.write(&mut tx).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(out)
}

/// The clue ids of the group's single pushes that their sources have used already, by source (a
/// source with none of its single pushes in the group is not listed).
async fn known_single_ids(tx: &mut Conn, jobs: &[Job]) -> ApiResult<HashMap<i64, std::collections::HashSet<String>>> {
    let mut ids: std::collections::BTreeMap<i64, Vec<&str>> = std::collections::BTreeMap::new();
    for job in jobs {
        if let Job::Single(w, _) = job {
            ids.entry(w.signed.source.id).or_default().push(&w.clue.source_clue_id);
        }
    }
    let mut known = HashMap::new();
    for (source, ids) in ids {
        known.insert(source, cases::known_clue_ids(tx, source, &ids).await?);
    }
    Ok(known)
}

fn incoming<'a>(
    group: Option<u64>,
    signed: &'a Signed,
    payload: &'a Payload,
    ahead: &'a Ahead,
    rules: &'a Rules,
    actor: &'a Actor,
    now: i64,
) -> Incoming<'a> {
    Incoming {
        source: &signed.source,
        payload,
        ahead: Some(ahead),
        rules: Some(rules),
        group,
        new_id: false,
        actor,
        now,
        registered_at: now,
    }
}

/// An item's refusal as the batch answer states it.
fn batch_item_error(e: IntakeError) -> ItemError {
    match intake_error(e) {
        ApiError::Validation(errs) => item_error(errs),
        ApiError::Coded { code, message, .. } | ApiError::Conflict { code, message, .. } => {
            ItemError { code: code.into(), message, fields: vec![] }
        }
        other => ItemError { code: "refused".into(), message: other.to_string(), fields: vec![] },
    }
}

/// The answer to a batch: a result per item, in order.
fn batch_result(items: &[BatchItem], results: Vec<Result<IntakeResult, ItemError>>) -> BatchResult {
    let (mut accepted, mut rejected) = (0, 0);
    let results = items
        .iter()
        .zip(results)
        .enumerate()
        .map(|(index, (item, r))| {
            let source_clue_id = match item {
                BatchItem::Refused { id, .. } | BatchItem::Valid { id, .. } => id.clone(),
            };
            match r {
                Ok(r) => {
                    accepted += 1;
                    ItemResult { index, source_clue_id, ok: true, result: Some(r), error: None }
                }
                Err(e) => {
                    rejected += 1;
                    ItemResult { index, source_clue_id, ok: false, result: None, error: Some(e) }
                }
            }
        })
        .collect();
    BatchResult { accepted, rejected, results }
}

/// Push one clue.
#[utoipa::path(post, path = "/api/intake/v1/clues", tag = "intake",
    request_body(content = Object, description = "A clue (docs/intake-standard.md)"),
    responses((status = 201, body = IntakeResult), (status = 200, description = "identical retry", body = IntakeResult),
        (status = 401, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 413, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
async fn push_clue(
    State(s): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    meta: ClientMeta,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let body = body_of(body)?;
    let mut signed = authenticate(&s, &method, &uri, &headers, &body, true).await?;
    json_content(&headers)?;
    let now = now_ms();
    let raw = parse_json(&body)?;
    let mut valid = engine::validate(&signed.source, &raw, now);
    if valid.is_err() && !signed.read {
        // Refused only under the rules as they are now.
        signed = authenticate(&s, &method, &uri, &headers, &body, false).await?;
        valid = engine::validate(&signed.source, &raw, now);
    }
    let clue = match valid {
        Ok(c) => c,
        Err(mut errs) => {
            let mut conn = s.db.conn().await?;
            engine::add_category_error(&mut conn, &signed.source, &raw, &mut errs).await;
            return Err(ApiError::Validation(errs));
        }
    };
    // Work outside the write transaction first; the writer commits concurrent pushes together.
    s.clue.store_attachments_ahead(&clue).await?;
    let fingerprint = engine::fingerprint(&s.clue, &clue);
    // Whether the clue id is new to the source is looked up by the writer, for its whole group.
    let ahead = {
        let mut conn = s.db.conn().await?;
        let looked =
            engine::look_ahead(&s.clue, &mut conn, &signed.rules, &signed.source, &[(&clue, &fingerprint)]).await?;
        Ahead { fingerprint, looked: looked.into_iter().next().flatten() }
    };
    let payload = Payload::of(&raw);
    let work = Work { actor: actor(&signed.source, &meta), signed, raw, payload, clue, ahead, now };
    let (reply, answer) = oneshot::channel();
    submit(&s, Job::Single(Box::new(work), reply)).await?;
    let result = answered(answer).await?;
    let status = if result.replayed { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(result)).into_response())
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemError {
    pub code: String,
    pub message: String,
    pub fields: Vec<FieldMessage>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldMessage {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemResult {
    pub index: usize,
    pub source_clue_id: Option<String>,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<IntakeResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ItemError>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchResult {
    pub accepted: usize,
    pub rejected: usize,
    pub results: Vec<ItemResult>,
}

fn item_error(errs: Vec<FieldError>) -> ItemError {
    let first = errs.first().map(|e| e.message.clone()).unwrap_or_default();
    ItemError {
        code: "validation_failed".into(),
        message: format!("输入有误：{first}"),
        fields: errs.into_iter().map(|e| FieldMessage { field: e.field.into_owned(), message: e.message }).collect(),
    }
}

/// Push up to 500 clues; a result per item.
#[utoipa::path(post, path = "/api/intake/v1/clues/batch", tag = "intake",
    request_body(content = Object, description = "`{\"clues\": [Clue, ...]}`, 1–500 items"),
    responses((status = 200, body = BatchResult), (status = 401, body = ApiErrorBody), (status = 413, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
async fn push_batch(
    State(s): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    meta: ClientMeta,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<BatchResult>> {
    let body = body_of(body)?;
    let signed = authenticate(&s, &method, &uri, &headers, &body, false).await?;
    json_content(&headers)?;
    let now = now_ms();
    let parsed = parse_json(&body);
    // Attachments of the valid items go to the store before the write transaction begins, so the
    // transaction does not wait for the object store. Errors are answered in the usual order below.
    if let Ok(Value::Object(o)) = &parsed
        && let Some(Value::Array(list)) = o.get("clues")
        && list.len() <= MAX_BATCH
        && s.clue.attachments().is_remote()
    {
        for item in list.iter().filter(|i| i.get("attachments").is_some()) {
            if let Ok(clue) = engine::validate(&signed.source, item, now) {
                s.clue.store_attachments_ahead(&clue).await?;
            }
        }
    }
    let raw = parsed?;
    let items = match raw {
        Value::Object(mut o) if o.len() == 1 && o.get("clues").is_some_and(Value::is_array) => {
            match o.remove("clues") {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            }
        }
        _ => return Err(ApiError::field("clues", "请求体须为 {\"clues\": [...]}")),
    };
    if items.is_empty() {
        return Err(ApiError::field("clues", "clues 不能为空"));
    }
    if items.len() > MAX_BATCH {
        return Err(coded(StatusCode::PAYLOAD_TOO_LARGE, "batch_too_large", format!("每批最多 {MAX_BATCH} 条线索")));
    }
    // Validation, category checks and fingerprints here, in parallel with other requests; the
    // writer only does what needs the write transaction.
    let mut conn = s.db.conn().await?;
    let mut seen = std::collections::HashSet::new();
    let mut work = Vec::with_capacity(items.len());
    for item in items {
        let id = item.get("source_clue_id").and_then(Value::as_str).map(str::to_owned);
        work.push(match engine::validate(&signed.source, &item, now) {
            Err(mut errs) => {
                engine::add_category_error(&mut conn, &signed.source, &item, &mut errs).await;
                BatchItem::Refused { id, error: item_error(errs) }
            }
            Ok(clue) if !seen.insert(clue.source_clue_id.clone()) => BatchItem::Refused {
                id,
                error: item_error(vec![FieldError::new("source_clue_id", "同一批次中 source_clue_id 重复")]),
            },
            Ok(clue) => {
                let ahead = Ahead { fingerprint: engine::fingerprint(&s.clue, &clue), looked: None };
                // Serialised here: the writer stores the text, and the tree is dropped here too.
                let payload = Payload::of(&item);
                BatchItem::Valid { id, payload, clue: Box::new(clue), ahead: Box::new(ahead), new_id: false }
            }
        });
    }
    // The dedup candidates of all valid items, read together.
    let valid: Vec<(&IntakeClue, &Fingerprint)> = work
        .iter()
        .filter_map(|w| match w {
            BatchItem::Valid { clue, ahead, .. } => Some((&**clue, &ahead.fingerprint)),
            BatchItem::Refused { .. } => None,
        })
        .collect();
    let looked = engine::look_ahead(&s.clue, &mut conn, &signed.rules, &signed.source, &valid).await?;
    let mut looked = looked.into_iter();
    for w in &mut work {
        if let BatchItem::Valid { ahead, .. } = w {
            ahead.looked = looked.next().flatten();
        }
    }
    // Which ids the source has used already (their items are retries or conflicts, looked at again
    // in the transaction).
    let ids: Vec<&str> = work
        .iter()
        .filter_map(|w| match w {
            BatchItem::Valid { clue, .. } => Some(clue.source_clue_id.as_str()),
            BatchItem::Refused { .. } => None,
        })
        .collect();
    let known = cases::known_clue_ids(&mut conn, signed.source.id, &ids).await?;
    drop(conn);
    for w in &mut work {
        if let BatchItem::Valid { clue, new_id, .. } = w {
            *new_id = !known.contains(&clue.source_clue_id);
        }
    }
    let batch = BatchWork { actor: actor(&signed.source, &meta), signed, now, items: work };
    let (reply, answer) = oneshot::channel();
    submit(&s, Job::Batch(Box::new(batch), reply)).await?;
    let result = answered(answer).await?;
    Ok(Json(result))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusEvent {
    pub at: String,
    pub action: String,
    pub action_name: String,
    pub stage_name: Option<String>,
    pub comment: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClueStatus {
    pub clue_id: i64,
    pub source_clue_id: String,
    pub case_no: String,
    pub dedup: String,
    pub status: String,
    pub stage: Option<String>,
    pub stage_name: Option<String>,
    pub responsible_unit: Option<String>,
    pub due_at: Option<String>,
    pub closed_at: Option<String>,
    pub history: Vec<StatusEvent>,
}

/// Status of a clue this source pushed.
#[utoipa::path(get, path = "/api/intake/v1/clues/{source_clue_id}", tag = "intake",
    params(("source_clue_id" = String, Path, description = "the source's own clue id")),
    responses((status = 200, body = ClueStatus), (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
async fn clue_status(
    State(s): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(source_clue_id): Path<String>,
) -> ApiResult<Json<ClueStatus>> {
    let signed = authenticate(&s, &method, &uri, &headers, b"", false).await?;
    let now = now_ms();
    let mut tx = s.db.begin().await?;
    claim(&mut tx, &signed, now).await?;
    let clue = cases::clue_by_source(&mut tx, signed.source.id, &source_clue_id).await?.ok_or(ApiError::NotFound)?;
    let c = cases::case_row(&mut tx, clue.case_id).await?;
    let events = cases::events_of(&mut tx, c.id).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    let open = matches!(c.status.as_str(), "active" | "suspended");
    Ok(Json(ClueStatus {
        clue_id: clue.id,
        source_clue_id: clue.source_clue_id,
        case_no: c.case_no,
        dedup: clue.dedup,
        status: c.status,
        stage: if open { c.activity } else { None },
        stage_name: c.activity_name,
        responsible_unit: c.department_name,
        due_at: c.due_at.map(spec::format_time),
        closed_at: c.closed_at.map(spec::format_time),
        history: events
            .into_iter()
            .map(|e| StatusEvent {
                at: spec::format_time(e.at),
                action: e.action,
                action_name: e.action_name,
                stage_name: e.to_name,
                comment: e.comment,
            })
            .collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IntakeCategory {
    pub code: String,
    pub name: String,
    pub major_code: String,
    pub major_name: String,
    pub kind: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IntakeCategories {
    pub categories: Vec<IntakeCategory>,
}

/// Enabled minor categories a source may use.
#[utoipa::path(get, path = "/api/intake/v1/categories", tag = "intake",
    responses((status = 200, body = IntakeCategories), (status = 401, body = ApiErrorBody)))]
async fn intake_categories(
    State(s): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Json<IntakeCategories>> {
    let signed = authenticate(&s, &method, &uri, &headers, b"", false).await?;
    let mut tx = s.db.begin().await?;
    claim(&mut tx, &signed, now_ms()).await?;
    let (cats, _) = config::categories(&mut tx).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    let majors: std::collections::HashMap<i64, (String, String)> =
        cats.iter().filter(|c| c.parent_id.is_none()).map(|c| (c.id, (c.code.clone(), c.name.clone()))).collect();
    let categories = cats
        .into_iter()
        .filter(|c| c.enabled == 1)
        .filter_map(|c| {
            let (mc, mn) = majors.get(&c.parent_id?)?.clone();
            Some(IntakeCategory { code: c.code, name: c.name, major_code: mc, major_name: mn, kind: c.kind })
        })
        .collect();
    Ok(Json(IntakeCategories { categories }))
}
