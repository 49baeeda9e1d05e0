//! The clue-center engine: from a validated clue to a numbered, graded, deduplicated case with its
//! workflow started (one transaction, owned by the caller); user actions that move a case through
//! its pinned workflow version; suspected-duplicate decisions. Used by the intake API, manual
//! entry, the case API and the demo generator alike.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use xiezhi_domain::FieldError;
use xiezhi_domain::clue::calendar::{self, Calendar};
use xiezhi_domain::clue::dedup::{DedupParams, Fingerprint, Report, Segmenter, Site, Verdict, proximity};
use xiezhi_domain::clue::grading::{GradingConditions, GradingInput};
use xiezhi_domain::clue::intake::{self as spec, IntakeClue};
use xiezhi_domain::clue::numbering::{NumberContext, Pattern};
use xiezhi_domain::clue::workflow::{
    self, ActivityKind, Assignee, Clause, Definition, Effect, EngineError, Facts, TimeLimit, Transition,
};
use xiezhi_domain::crypto::FieldCipher;
use xiezhi_domain::geo::{Point, Polygon, polygons_of};
use xiezhi_storage::audit::{self, NewAudit};
use xiezhi_storage::clue::case::{self as store, Counter, NewCase, NewClue, NewEvent, NewTask, Position};
use xiezhi_storage::clue::config::{self, SourceRow};
use xiezhi_storage::clue::workflow as wf;
use xiezhi_storage::platform::{department, region};
use xiezhi_storage::{Conn, StorageError};

use crate::clue::attachments::{AttachmentStore, DirStore};
use crate::clue::rules::{Key, Rules, RulesCache};
use crate::error::{ApiError, ApiResult};

/// The city-level region code (Lishui).
pub const CITY: &str = "331100";

// ---- runtime caches ---------------------------------------------------------------------------------

/// Process-wide caches of the engine. Everything cached is either immutable (a workflow version,
/// the segmenter) or checked against the configuration stamp in the database (the rules, see
/// `clue::rules`) or short-lived (regions).
pub struct Runtime {
    data_dir: PathBuf,
    /// Where attachments are stored (the data directory unless configured otherwise).
    attachments: RwLock<Arc<AttachmentStore>>,
    segmenter: OnceLock<Segmenter>,
    regions: RwLock<Option<(Instant, Arc<RegionIndex>)>>,
    definitions: Mutex<HashMap<i64, Arc<Definition>>>,
    rules: RulesCache,
    /// Cases the intake writer created lately.
    pub recent: Recent,
    /// The intake writer's queue (group commit), started on first use.
    queue: OnceLock<tokio::sync::mpsc::Sender<IntakeJob>>,
}

/// A push on its way to the group-commit writer (see `clue::intake`).
pub type IntakeJob = crate::clue::intake::Job;

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("data_dir", &self.data_dir)
            .field("attachments", &self.attachments.read().ok().map(|a| a.clone()))
            .finish()
    }
}

const REGION_TTL: Duration = Duration::from_secs(60);

impl Runtime {
    pub fn new(data_dir: PathBuf) -> Runtime {
        Runtime {
            attachments: RwLock::new(Arc::new(AttachmentStore::Dir(DirStore::new(data_dir.clone())))),
            data_dir,
            segmenter: OnceLock::new(),
            regions: RwLock::new(None),
            definitions: Mutex::new(HashMap::new()),
            rules: RulesCache::default(),
            recent: Recent::default(),
            queue: OnceLock::new(),
        }
    }

    /// The intake queue; `start` spawns its writer the first time.
    pub fn intake_queue(
        &self,
        start: impl FnOnce(tokio::sync::mpsc::Receiver<IntakeJob>),
    ) -> tokio::sync::mpsc::Sender<IntakeJob> {
        self.queue
            .get_or_init(|| {
                let (tx, rx) = tokio::sync::mpsc::channel(4096);
                start(rx);
                tx
            })
            .clone()
    }

    pub fn segmenter(&self) -> &Segmenter {
        self.segmenter.get_or_init(Segmenter::default)
    }

    /// Forget the region index (after a boundary import).
    pub fn invalidate_regions(&self) {
        if let Ok(mut g) = self.regions.write() {
            *g = None;
        }
    }

    pub async fn regions(&self, conn: &mut Conn) -> ApiResult<Arc<RegionIndex>> {
        if let Ok(g) = self.regions.read()
            && let Some((at, idx)) = g.as_ref()
            && at.elapsed() < REGION_TTL
        {
            return Ok(idx.clone());
        }
        let idx = Arc::new(RegionIndex::load(conn).await?);
        if let Ok(mut g) = self.regions.write() {
            *g = Some((Instant::now(), idx.clone()));
        }
        Ok(idx)
    }

    pub async fn definition(&self, conn: &mut Conn, version_id: i64) -> ApiResult<Arc<Definition>> {
        if let Some(d) = self.definitions.lock().ok().and_then(|m| m.get(&version_id).cloned()) {
            return Ok(d);
        }
        let text = wf::definition(conn, version_id).await?;
        let def: Definition = serde_json::from_str(&text)
            .map_err(|e| ApiError::internal(format!("workflow version {version_id}: {e}")))?;
        let def = Arc::new(def);
        if let Ok(mut m) = self.definitions.lock() {
            m.insert(version_id, def.clone());
        }
        Ok(def)
    }

    /// The rules for the caller's transaction (see `clue::rules`).
    pub async fn rules(&self, conn: &mut Conn) -> ApiResult<Arc<Rules>> {
        self.rules.for_tx(conn).await
    }

    /// The rules some transaction read lately, without reading the stamp (see
    /// `RulesCache::seen_within`).
    pub fn rules_seen_within(&self, within: Duration) -> Option<Arc<Rules>> {
        self.rules.seen_within(within)
    }

    /// The attachment store in use.
    pub fn attachments(&self) -> Arc<AttachmentStore> {
        match self.attachments.read() {
            Ok(a) => a.clone(),
            Err(_) => Arc::new(AttachmentStore::Dir(DirStore::new(self.data_dir.clone()))),
        }
    }

    /// Store attachments elsewhere than the data directory (set once at start-up).
    pub fn set_attachment_store(&self, store: AttachmentStore) {
        if let Ok(mut a) = self.attachments.write() {
            *a = Arc::new(store);
        }
    }

    /// Store the attachments of a clue ahead of the intake transaction, so the transaction does not
    /// wait for the object store (the puts inside it then find the objects already stored).
    pub async fn store_attachments_ahead(&self, clue: &IntakeClue) -> ApiResult<()> {
        let files = self.attachments();
        for a in &clue.attachments {
            files.put(&a.data, &a.content_type).await?;
        }
        Ok(())
    }
}

// ---- regions ------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Town {
    code: String,
    county: String,
    name: String,
    point: Option<Point>,
}

/// County polygons, township points and names, for placing a clue in a region.
#[derive(Debug, Default)]
pub struct RegionIndex {
    counties: Vec<(String, Vec<Polygon>)>,
    towns: Vec<Town>,
    /// code → (level, parent code)
    levels: HashMap<String, (String, Option<String>)>,
    /// (name, code), longest names first, for address matching; counties also by short name.
    names: Vec<(String, String)>,
}

impl RegionIndex {
    async fn load(conn: &mut Conn) -> ApiResult<RegionIndex> {
        let rows = region::points(conn).await?;
        let mut idx = RegionIndex::default();
        for (code, name, level, parent, lon, lat) in rows {
            if level == "township" {
                idx.towns.push(Town {
                    code: code.clone(),
                    county: parent.clone().unwrap_or_default(),
                    name: name.clone(),
                    point: lon.zip(lat).map(|(lon, lat)| Point { lon, lat }),
                });
            }
            if level == "county" {
                let short = name
                    .trim_end_matches("畲族自治县")
                    .trim_end_matches(['区', '县', '市'])
                    .trim_end_matches("经济技术开发");
                if short.chars().count() >= 2 && short != name {
                    idx.names.push((short.to_owned(), code.clone()));
                }
            }
            if level != "city" {
                idx.names.push((name.clone(), code.clone()));
            }
            idx.levels.insert(code, (level, parent));
        }
        idx.names.sort_by_key(|(n, _)| std::cmp::Reverse(n.chars().count()));
        for b in region::boundaries(conn).await? {
            if let Ok(g) = serde_json::from_str::<Value>(&b.geometry) {
                idx.counties.push((b.region_code, polygons_of(&g)));
            }
        }
        Ok(idx)
    }

    pub fn level(&self, code: &str) -> Option<&str> {
        self.levels.get(code).map(|(l, _)| l.as_str())
    }

    /// The county (or the city itself) a region belongs to.
    pub fn county_of(&self, code: &str) -> String {
        match self.levels.get(code) {
            Some((l, Some(p))) if l == "township" => p.clone(),
            _ => code.to_owned(),
        }
    }

    /// Township (nearest township point within the county containing the point) or county.
    pub fn locate(&self, p: Point) -> Option<String> {
        let county = self.counties.iter().find(|(_, polys)| polys.iter().any(|poly| poly.contains(p))).map(|c| &c.0);
        let nearest = |county: Option<&String>| {
            self.towns
                .iter()
                .filter(|t| county.is_none_or(|c| &t.county == c))
                .filter_map(|t| t.point.map(|tp| (tp.distance_m(p), t)))
                .min_by(|a, b| a.0.total_cmp(&b.0))
        };
        match county {
            Some(c) => Some(nearest(Some(c)).map(|(_, t)| t.code.clone()).unwrap_or_else(|| c.clone())),
            // Just outside every polygon (coarse boundaries): the nearest township within 5 km.
            None => nearest(None).filter(|(d, _)| *d < 5_000.0).map(|(_, t)| t.code.clone()),
        }
    }

    /// A known region of the Lishui tree.
    pub fn known(&self, code: &str) -> bool {
        self.levels.contains_key(code)
    }

    /// Township or county named in an address (a township named with its county wins).
    pub fn from_address(&self, address: &str) -> Option<String> {
        let county = self
            .names
            .iter()
            .find(|(n, c)| self.level(c) == Some("county") && address.contains(n.as_str()))
            .map(|(_, c)| c.clone());
        let town = self
            .towns
            .iter()
            .filter(|t| county.as_ref().is_none_or(|c| &t.county == c))
            .filter(|t| address.contains(t.name.as_str()))
            .max_by_key(|t| t.name.chars().count());
        town.map(|t| t.code.clone()).or(county)
    }

    pub fn town_point(&self, code: &str) -> Option<Point> {
        self.towns.iter().find(|t| t.code == code).and_then(|t| t.point)
    }
}

// ---- intake ---------------------------------------------------------------------------------------

/// Who did something.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
    pub ip: String,
}

impl Actor {
    pub fn system() -> Actor {
        Actor { user_id: None, name: "系统".into(), ip: String::new() }
    }
}

/// The answer of the intake for one clue (docs/intake-standard.md).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct IntakeResult {
    pub clue_id: i64,
    pub source_clue_id: String,
    /// The case the clue belongs to (the existing case when merged).
    pub case_no: String,
    /// `new`, `merged` or `suspected`.
    pub dedup: String,
    /// Case number of the existing case when merged.
    pub merged_into: Option<String>,
    pub region_code: String,
    /// Case status: `active`, `suspended`, `closed`, `voided`, `merged`.
    pub status: String,
    /// RFC 3339.
    pub accepted_at: String,
    pub replayed: bool,
}

#[derive(Debug)]
pub enum IntakeError {
    Invalid(Vec<FieldError>),
    /// Same source clue id, different payload.
    Conflict,
    Api(ApiError),
}

impl From<ApiError> for IntakeError {
    fn from(e: ApiError) -> Self {
        IntakeError::Api(e)
    }
}

impl From<StorageError> for IntakeError {
    fn from(e: StorageError) -> Self {
        IntakeError::Api(e.into())
    }
}

/// A clue on its way in: its payload (as received, serialised) and the source.
pub struct Incoming<'a> {
    pub source: &'a SourceRow,
    pub payload: &'a spec::Payload,
    /// Work done ahead, outside the write transaction, if any.
    pub ahead: Option<&'a Ahead>,
    /// The rules already read in this transaction (a group commit reads them once), if any.
    pub rules: Option<&'a Rules>,
    /// The intake writer's group (see [`Recent`]) the transaction belongs to, if any.
    pub group: Option<u64>,
    /// The source had no clue with this id just before (looked up for many clues at once): the
    /// engine does not look again. A concurrent push of the same id then fails on the unique
    /// index, and the caller retries it without this.
    pub new_id: bool,
    pub actor: &'a Actor,
    pub now: i64,
    /// Time the case is registered at (= now, except for historical demo data).
    pub registered_at: i64,
}

/// Work done for a clue before its write transaction, in parallel with other requests.
#[derive(Debug, Clone)]
pub struct Ahead {
    /// The dedup fingerprint.
    pub fingerprint: Fingerprint,
    /// Dedup candidates read ahead, if any.
    pub looked: Option<Looked>,
}

impl Ahead {
    /// The case the clue was found ahead to be merged into, if any.
    pub fn merge_target(&self) -> Option<i64> {
        match self.looked.as_ref()?.best.as_ref()? {
            (Verdict::Merge(_), c) => Some(c.id),
            _ => None,
        }
    }
}

fn invalid(field: &'static str, m: impl Into<String>) -> IntakeError {
    IntakeError::Invalid(vec![FieldError::new(field, m)])
}

/// The dedup fingerprint of a clue (description and address).
pub fn fingerprint(rt: &Runtime, clue: &IntakeClue) -> Fingerprint {
    rt.segmenter().fingerprint(&format!("{} {}", clue.description, clue.address))
}

/// A source's field or category mapping (stored as a JSON object); an empty one is not parsed.
fn mapping_of(json: &str) -> std::collections::BTreeMap<String, String> {
    match json.trim() {
        "" | "{}" => std::collections::BTreeMap::new(),
        m => serde_json::from_str(m).unwrap_or_default(),
    }
}

/// Validate a payload against the intake standard and the source's field mapping.
pub fn validate(source: &SourceRow, raw: &Value, now: i64) -> Result<IntakeClue, Vec<FieldError>> {
    let mapping = mapping_of(&source.field_mapping);
    if mapping.is_empty() {
        return spec::parse(raw, now);
    }
    spec::parse(&spec::apply_field_mapping(raw.clone(), &mapping), now)
}

/// When a clue is refused for other reasons, also name an unknown category (so that the source
/// sees every problem at once; a valid clue's category is checked by the intake itself).
pub async fn add_category_error(conn: &mut Conn, source: &SourceRow, raw: &Value, errs: &mut Vec<FieldError>) {
    if errs.iter().any(|e| e.field == "category_code") {
        return;
    }
    let mapping = mapping_of(&source.field_mapping);
    let key = mapping.get("category_code").map(String::as_str).unwrap_or("category_code");
    let Some(code) = raw.get(key).and_then(Value::as_str) else { return };
    let cat_map = mapping_of(&source.category_mapping);
    let code = cat_map.get(code.trim()).map(String::as_str).unwrap_or(code.trim());
    if !matches!(config::category_by_code(conn, code).await, Ok(Some(c)) if c.parent_id.is_some() && c.enabled == 1) {
        errs.push(FieldError::new("category_code", format!("未知或已停用的小类编码：{code}")));
    }
}

/// Take one clue in, inside the caller's transaction: idempotency, classification, region, dedup,
/// numbering, grading, workflow start, audit. The caller commits (durably) before answering.
pub async fn intake(
    rt: &Runtime,
    cipher: &FieldCipher,
    tx: &mut Conn,
    inc: &Incoming<'_>,
    clue: &IntakeClue,
) -> Result<IntakeResult, IntakeError> {
    let mut deferred = Deferred::default();
    let result = intake_deferred(rt, cipher, tx, inc, clue, &mut deferred).await?;
    deferred.write(tx).await?;
    Ok(result)
}

/// What an intake leaves for its caller to write before the commit: the timeline events, the
/// audit entry and the case-number sequences. A group commit writes those of all its clues with a
/// few statements.
#[derive(Debug)]
pub struct Deferred {
    events: Vec<NewEvent>,
    audit: Vec<NewAudit>,
    /// Per numbering scope, the value its sequence had after the first number taken in this
    /// transaction (which locks the sequence's row until the commit), and the last number taken.
    sequences: Option<HashMap<String, (i64, i64)>>,
    /// Clue ids reserved for this transaction (see [`Deferred::reserve_clue_ids`]), last first.
    clue_ids: Vec<i64>,
    /// The clues given a reserved id, and the reviews of those, inserted by [`Deferred::write`].
    clues: Vec<(i64, NewClue)>,
    reviews: Vec<store::NewReview>,
    /// Cases that stay open until the commit: locked by [`Deferred::lock_merge_targets`], or
    /// created in this transaction.
    open: std::collections::HashSet<i64>,
    /// Clues merged into those cases, counted into them by [`Deferred::write`]: per case, the
    /// number and the time of the last. `None` in savepoints (a rolled back clue would stay
    /// counted).
    merges: Option<HashMap<i64, (i64, i64)>>,
}

impl Default for Deferred {
    fn default() -> Self {
        Deferred {
            events: Vec::new(),
            audit: Vec::new(),
            sequences: Some(HashMap::new()),
            clue_ids: Vec::new(),
            clues: Vec::new(),
            reviews: Vec::new(),
            open: std::collections::HashSet::new(),
            merges: Some(HashMap::new()),
        }
    }
}

impl Deferred {
    /// For clues in savepoints: every case number is taken from its sequence at once (a rolled
    /// back savepoint gives back its number and the sequence row's lock).
    pub fn in_savepoints() -> Deferred {
        Deferred { sequences: None, merges: None, ..Deferred::default() }
    }

    /// Lock the open ones among the cases that clues were found ahead to duplicate: merges into
    /// them are then counted at the end, not one statement each.
    pub async fn lock_merge_targets(&mut self, tx: &mut Conn, mut ids: Vec<i64>) -> ApiResult<()> {
        if self.merges.is_none() || ids.is_empty() {
            return Ok(());
        }
        ids.sort_unstable();
        ids.dedup();
        self.open.extend(store::lock_open_cases(tx, &ids).await?);
        Ok(())
    }

    /// Count a clue merged into a case known to stay open; `false` if it is not known so.
    fn count_merge(&mut self, case_id: i64, at: i64) -> bool {
        match &mut self.merges {
            Some(merges) if self.open.contains(&case_id) => {
                let (n, last) = merges.entry(case_id).or_insert((0, at));
                *n += 1;
                *last = (*last).max(at);
                true
            }
            _ => false,
        }
    }

    /// The next number of a numbering scope.
    async fn next_sequence(&mut self, tx: &mut Conn, scope: &str) -> ApiResult<i64> {
        let Some(sequences) = &mut self.sequences else { return Ok(store::next_sequence(tx, scope).await?) };
        if let Some((_, last)) = sequences.get_mut(scope) {
            *last += 1;
            return Ok(*last);
        }
        let v = store::next_sequence(tx, scope).await?;
        sequences.insert(scope.to_owned(), (v, v));
        Ok(v)
    }

    /// Reserve ids for up to `n` clues of this transaction: they are then inserted together by
    /// [`Deferred::write`] (a clue with attachments or from a source with status callbacks is
    /// inserted at once, with its reserved id; one beyond `n` at once, with a new id).
    /// Fewer than 3 clues gain nothing (on PostgreSQL the reservation is a statement of its own).
    pub async fn reserve_clue_ids(&mut self, tx: &mut Conn, n: usize) -> ApiResult<()> {
        if n < 3 {
            return Ok(());
        }
        self.clue_ids = store::reserve_clue_ids(tx, n).await?;
        self.clue_ids.reverse();
        Ok(())
    }

    /// Write what is held, in order.
    pub async fn write(&self, tx: &mut Conn) -> ApiResult<()> {
        for (scope, (first, last)) in self.sequences.iter().flatten() {
            if last > first {
                store::set_sequence(tx, scope, *last).await?;
            }
        }
        store::insert_clues(tx, &self.clues).await?;
        store::insert_reviews(tx, &self.reviews).await?;
        if let Some(merges) = &self.merges {
            let mut counts: Vec<(i64, i64, i64)> = merges.iter().map(|(id, (n, at))| (*id, *n, *at)).collect();
            counts.sort_unstable();
            store::add_clues(tx, &counts).await?;
        }
        store::insert_events(tx, &self.events).await?;
        if !self.audit.is_empty() {
            audit::append_many(tx, &self.audit).await?;
        }
        Ok(())
    }
}

/// [`intake`] without the final writes: the timeline events and the audit entry (none for an
/// identical retry) are added to `deferred` for the caller to write in the same transaction, and
/// only once nothing can refuse the clue any more.
/// `IntakeError::Invalid` and `IntakeError::Conflict` are only returned before the first write (the
/// group commit relies on it to do without savepoints); an identical retry writes nothing.
pub async fn intake_deferred(
    rt: &Runtime,
    cipher: &FieldCipher,
    tx: &mut Conn,
    inc: &Incoming<'_>,
    clue: &IntakeClue,
    deferred: &mut Deferred,
) -> Result<IntakeResult, IntakeError> {
    let source = inc.source;
    let owned;
    let rules = match inc.rules {
        Some(r) => r,
        None => {
            owned = rt.rules(tx).await?;
            owned.as_ref()
        }
    };
    let hash = &inc.payload.hash;
    let prior = match inc.new_id {
        true => None,
        false => store::find_clue(tx, source.id, &clue.source_clue_id).await?,
    };
    if let Some((id, prior_hash, result, _)) = prior {
        if prior_hash != *hash {
            return Err(IntakeError::Conflict);
        }
        let mut r = stored_result(id, &result)?;
        r.replayed = true;
        return Ok(r);
    }
    // Classification.
    let Some(category) = category_of(rules, tx, source, clue).await? else {
        return Err(invalid("category_code", format!("未知或已停用的小类编码：{}", clue.category_code)));
    };
    // Candidates read ahead, when read under the same rules and not long ago.
    let looked = inc
        .ahead
        .and_then(|a| a.looked.as_ref())
        .filter(|l| l.stamp == rules.stamp() && l.category_id == category.id && l.at.elapsed() < LOOKED_TTL);
    let type_code = clue
        .case_type_code
        .clone()
        .unwrap_or_else(|| if source.kind == "hotline" { "complaint".into() } else { "patrol".into() });
    let Some((case_type_id, _)) =
        rules.get(Key::CaseType(type_code.clone()), store::case_type_by_code(tx, &type_code)).await?
    else {
        return Err(invalid("case_type_code", format!("未知的事件类型：{type_code}")));
    };
    let sev_code = clue.severity_code.clone().unwrap_or_else(|| "normal".into());
    let Some((severity_id, _, severity_percent)) =
        rules.get(Key::Severity(sev_code.clone()), store::severity_by_code(tx, &sev_code)).await?
    else {
        return Err(invalid("severity_code", format!("未知的紧急程度：{sev_code}")));
    };
    // Region.
    let regions = rt.regions(tx).await?;
    let region_code = match looked {
        Some(l) => l.region_code.clone(),
        None => region_of(&regions, clue)?,
    };
    let county_code = regions.county_of(&region_code);

    // Dedup.
    let fp = match inc.ahead {
        Some(a) => a.fingerprint.clone(),
        None => fingerprint(rt, clue),
    };
    let params = dedup_params_of(rules, tx, category.id).await?;
    let at = inc.registered_at;
    // The best match among the open cases; a merge counts the clue into its case at once. A case
    // read ahead may have been closed since: then decide again on the cases as they are now.
    let mut looked = looked;
    let verdict = loop {
        let Some(params) = &params else { break None };
        let read_ahead = looked.is_some();
        let v = match looked.take() {
            // The best of the candidates read ahead (scored there), or of the cases written since.
            Some(l) => {
                let later = Scored::list(rt.recent.since(l.seen, params, clue, &region_code, &category.code));
                let later = best_verdict(params, clue, &category.code, &fp, &later);
                stronger(l.best.clone(), later)
            }
            None => {
                let candidates = Scored::list(find_candidates(tx, params, clue, &region_code, &category.code).await?);
                best_verdict(params, clue, &category.code, &fp, &candidates)
            }
        };
        match &v {
            Some((Verdict::Merge(_), target))
                if !(deferred.count_merge(target.id, at) || store::add_clue(tx, target.id, at).await?) =>
            {
                if !read_ahead {
                    return Err(ApiError::internal(format!("case {} is no longer open", target.id)).into());
                }
            }
            _ => break v,
        }
    };

    // Sensitive data.
    let enc = |s: &Option<String>| s.as_ref().map(|v| cipher.encrypt(v));
    let idx = |s: &Option<String>| s.as_ref().map(|v| cipher.blind_index(v));
    let (subject_type, subject_name, subject_code) = match &clue.subject {
        Some(s) => (
            Some(s.kind.clone()),
            s.name.clone(),
            s.credit_code.clone().or(s.id_number.as_ref().map(|i| cipher.blind_index(i))),
        ),
        None => (None, None, None),
    };
    let mut new_clue = NewClue {
        source_id: source.id,
        source_clue_id: clue.source_clue_id.clone(),
        payload_hash: hash.clone(),
        raw_payload: inc.payload.text.clone(),
        case_id: 0,
        dedup: "new".into(),
        dedup_score: None,
        received_at: inc.registered_at,
        reported_at: clue.reported_at,
        description: clue.description.clone(),
        address: clue.address.clone(),
        lon: clue.point.map(|p| p.lon),
        lat: clue.point.map(|p| p.lat),
        coord_system: clue.coord_system.clone(),
        region_code: region_code.clone(),
        category_id: category.id,
        reporter_name_enc: enc(&clue.reporter_name),
        reporter_phone_enc: enc(&clue.reporter_phone),
        reporter_phone_idx: idx(&clue.reporter_phone),
        reporter_id_enc: enc(&clue.reporter_id_number),
        reporter_id_idx: idx(&clue.reporter_id_number),
        subject_type: subject_type.clone(),
        subject_name: subject_name.clone(),
        subject_code: subject_code.clone(),
        result: "{}".into(),
        created_by: inc.actor.user_id,
    };

    let mut events = Vec::new();
    // For a new case: the suspected duplicate to review (score, candidate case) and the grading
    // summary that a source's status callback carries.
    let mut review = None;
    let mut registered = None;
    let mut result = if let Some((Verdict::Merge(score), target)) = &verdict {
        // Auto-merge into the open case.
        new_clue.case_id = target.id;
        new_clue.dedup = "merged".into();
        new_clue.dedup_score = Some(*score);
        events.push(NewEvent {
            case_id: target.id,
            at,
            actor_name: inc.actor.name.clone(),
            actor_id: inc.actor.user_id,
            action: "merge".into(),
            action_name: "合并重复线索".into(),
            comment: format!("{}的线索 {} 自动合并（相似度 {:.2}）", source.name, clue.source_clue_id, score),
            // The clue's id is filled in below.
            data: String::new(),
            ..Default::default()
        });
        IntakeResult {
            clue_id: 0,
            source_clue_id: clue.source_clue_id.clone(),
            case_no: target.case_no.clone(),
            dedup: "merged".into(),
            merged_into: Some(target.case_no.clone()),
            region_code: region_code.clone(),
            status: target.status.clone(),
            accepted_at: spec::format_time(inc.now),
            replayed: false,
        }
    } else {
        // A new case: numbered, graded, its workflow entered (planned before the case is written, so
        // that the case is inserted at its starting position).
        let suspected = match &verdict {
            Some((Verdict::Suspected(s), c)) => Some((*s, c.id)),
            _ => None,
        };
        let case_no =
            next_case_no(rules, tx, deferred, &region_code, &county_code, &type_code, &source.code, at).await?;
        let subject_kind = clue.subject.as_ref().map(|s| s.kind.as_str());
        let text = format!("{} {}", clue.description, clue.address);
        let grade = grade(
            rules,
            tx,
            &GradeInput {
                category_id: category.id,
                category_code: &category.code,
                severity: &sev_code,
                region: &region_code,
                county: &county_code,
                text: &text,
                subject_type: subject_kind,
                source: &source.code,
            },
        )
        .await?;
        let dedup = if suspected.is_some() { "suspected" } else { "new" };
        let facts = Facts {
            category: category.code.clone(),
            category_kind: category.kind.clone(),
            severity: sev_code.clone(),
            region: region_code.clone(),
            tier: grade.tier.clone().unwrap_or_default(),
            source: source.code.clone(),
            source_kind: source.kind.clone(),
            case_type: type_code.clone(),
            dedup: dedup.into(),
            graded: grade.department_id.is_some(),
            province: false,
        };
        let version_id = choose_workflow(rules, tx, &facts).await?;
        let pushed = crate::integration::province::pushes(rules, tx, &source.kind, &category.code).await?;
        // The case as the engine sees it once written (its id follows the insert).
        let mut case = store::CaseState {
            id: 0,
            case_no: case_no.clone(),
            title: clue.title.clone(),
            status: "active".into(),
            activity: None,
            region_code: region_code.clone(),
            county_code: county_code.clone(),
            category_id: category.id,
            category_code: category.code.clone(),
            category_kind: category.kind.clone(),
            severity_code: sev_code.clone(),
            severity_percent,
            case_type_code: type_code.clone(),
            source_id: source.id,
            source_code: source.code.clone(),
            source_kind: source.kind.clone(),
            tier: grade.tier.clone(),
            department_id: grade.department_id,
            grading: grade.grading.into(),
            time_limit_hours: grade.hours,
            workflow_version_id: version_id,
            due_at: None,
            resume_due_at: None,
            pending_extension_minutes: None,
            first_dedup: dedup.into(),
            province_status: if pushed.is_some() { "queued".into() } else { String::new() },
        };
        let def = rt.definition(tx, version_id).await?;
        let entry = plan_entry(rules, tx, &case, &def, &def.start, None, at).await?;
        case.id = store::insert_case(
            tx,
            &NewCase {
                case_no: case_no.clone(),
                title: clue.title.clone(),
                description: clue.description.clone(),
                address: clue.address.clone(),
                region_code: region_code.clone(),
                county_code: county_code.clone(),
                lon: clue.point.map(|p| p.lon),
                lat: clue.point.map(|p| p.lat),
                grid_cell: clue.point.map(grid_cell),
                category_id: category.id,
                case_type_id,
                severity_id,
                source_id: source.id,
                reported_at: clue.reported_at,
                occurred_at: clue.occurred_at,
                tier: grade.tier.clone(),
                department_id: grade.department_id,
                grading: grade.grading.into(),
                grading_rule_id: grade.rule_id,
                time_limit_hours: grade.hours,
                workflow_version_id: version_id,
                dedup_terms: fp.terms.join(" "),
                subject_type,
                subject_name,
                subject_code,
                created_at: at,
                status: entry.status.clone(),
                activity: Some(entry.activity.clone()),
                activity_name: Some(entry.activity_name.clone()),
                due_at: entry.due_at,
                warn_at: entry.warn_at,
                closed_at: entry.closed_at,
            },
        )
        .await?;
        new_clue.case_id = case.id;
        if deferred.merges.is_some() && matches!(entry.status.as_str(), "active" | "suspended") {
            deferred.open.insert(case.id);
        }
        if let Some(group) = inc.group {
            let candidate = store::Candidate {
                id: case.id,
                case_no: case_no.clone(),
                status: entry.status.clone(),
                category_code: category.code.clone(),
                lon: clue.point.map(|p| p.lon),
                lat: clue.point.map(|p| p.lat),
                reported_at: clue.reported_at,
                dedup_terms: fp.terms.join(" "),
            };
            rt.recent.add(group, &region_code, candidate);
        }
        if let Some((score, _)) = suspected {
            new_clue.dedup = "suspected".into();
            new_clue.dedup_score = Some(score);
        }
        events.push(NewEvent {
            case_id: case.id,
            at,
            actor_id: inc.actor.user_id,
            actor_name: inc.actor.name.clone(),
            action: "create".into(),
            action_name: "登记".into(),
            comment: format!("{}推送线索 {}，编号 {}", source.name, clue.source_clue_id, case_no),
            // The clue's id is filled in below.
            data: String::new(),
            ..Default::default()
        });
        events.push(NewEvent {
            case_id: case.id,
            at,
            actor_name: "系统".into(),
            action: "grade".into(),
            action_name: "分级".into(),
            comment: grade.summary.clone(),
            ..Default::default()
        });
        if let Some((score, _)) = suspected {
            events.push(NewEvent {
                case_id: case.id,
                at,
                actor_name: "系统".into(),
                action: "suspected".into(),
                action_name: "疑似重复".into(),
                comment: format!(
                    "与案件 {} 疑似重复（相似度 {:.2}），待调度员判定",
                    verdict.as_ref().map(|v| v.1.case_no.as_str()).unwrap_or_default(),
                    score
                ),
                ..Default::default()
            });
        }
        if let Some(opts) = &pushed {
            events.push(crate::integration::province::queue_new_case(tx, case.id, opts, at).await?);
        }
        review = suspected;
        registered = Some(grade.summary);
        open_task(rules, tx, &case, &entry, at).await?;
        events.extend(entry.events.into_iter().map(|e| NewEvent { case_id: case.id, ..e }));
        IntakeResult {
            clue_id: 0,
            source_clue_id: clue.source_clue_id.clone(),
            case_no,
            dedup: new_clue.dedup.clone(),
            merged_into: None,
            region_code: region_code.clone(),
            status: entry.status,
            accepted_at: spec::format_time(inc.now),
            replayed: false,
        }
    };
    // The stored result leaves the clue's own id out (it is the row's id, see `stored_result`).
    new_clue.result = serde_json::to_string(&result).map_err(ApiError::internal)?;
    // In a group commit the clue has a reserved id, and is inserted at the group's end unless its
    // attachments or the source's status callbacks refer to the row at once. (Inserting it at once
    // with a new id instead could take an id reserved for another clue of the group.)
    let reserved = deferred.clue_ids.pop();
    let later = reserved.filter(|_| clue.attachments.is_empty() && source.callback_url.is_none());
    result.clue_id = match later {
        Some(id) => id,
        None => store::insert_clue(tx, reserved, &new_clue).await?,
    };
    let first = &mut events[0];
    first.data = match first.action.as_str() {
        "merge" => json!({ "clue_id": result.clue_id, "score": new_clue.dedup_score }).to_string(),
        _ => json!({ "clue_id": result.clue_id }).to_string(),
    };
    store_attachments(rt, tx, result.clue_id, clue, inc.now).await?;
    if let Some((score, candidate)) = review {
        let r =
            store::NewReview { clue_id: result.clue_id, case_id: new_clue.case_id, candidate, score, created_at: at };
        match later {
            Some(_) => deferred.reviews.push(r),
            None => store::insert_review(tx, &r).await?,
        }
    }
    if let Some(summary) = registered
        && source.callback_url.is_some()
    {
        enqueue_callbacks(tx, new_clue.case_id, "create", "登记", &summary, at).await?;
    }
    if let Some(id) = later {
        deferred.clues.push((id, new_clue));
    }
    deferred.events.extend(events);
    deferred.audit.push(NewAudit {
        occurred_at: inc.now,
        actor_id: inc.actor.user_id,
        actor_name: inc.actor.name.clone(),
        ip: inc.actor.ip.clone(),
        action: if inc.actor.user_id.is_some() { "case.create".into() } else { "clue.intake".into() },
        target_type: "clue".into(),
        target_id: result.clue_id.to_string(),
        outcome: "success",
        summary: format!(
            "{} 线索 {} → 案件 {}（{}）",
            source.name,
            result.source_clue_id,
            result.case_no,
            match result.dedup.as_str() {
                "merged" => "自动合并",
                "suspected" => "疑似重复",
                _ => "新建",
            }
        ),
        changes: None,
    });
    Ok(result)
}

/// A clue's stored intake result; the stored text leaves out the clue's own id, `id`.
pub fn stored_result(id: i64, text: &str) -> ApiResult<IntakeResult> {
    let mut r: IntakeResult = serde_json::from_str(text).map_err(ApiError::internal)?;
    r.clue_id = id;
    Ok(r)
}

/// A clue's minor category (through the source's category mapping), if known and enabled.
async fn category_of(
    rules: &Rules,
    conn: &mut Conn,
    source: &SourceRow,
    clue: &IntakeClue,
) -> ApiResult<Option<config::CategoryRow>> {
    let code =
        mapping_of(&source.category_mapping).remove(&clue.category_code).unwrap_or_else(|| clue.category_code.clone());
    let found = rules.get(Key::Category(code.clone()), config::category_by_code(conn, &code)).await?;
    Ok(found.filter(|c| c.parent_id.is_some() && c.enabled == 1))
}

/// The region a clue belongs to: from its point, else its region code, else its address.
fn region_of(regions: &RegionIndex, clue: &IntakeClue) -> Result<String, IntakeError> {
    let region_code = match (&clue.point, &clue.region_code) {
        (Some(p), _) => regions.locate(*p),
        (None, Some(c)) if regions.known(c) && c != CITY => Some(c.clone()),
        (None, Some(_)) => return Err(invalid("region_code", "行政区划代码不在丽水市范围内")),
        (None, None) => None,
    }
    .or_else(|| clue.region_code.clone().filter(|c| regions.known(c) && c != CITY))
    .or_else(|| regions.from_address(&clue.address));
    region_code.ok_or_else(|| {
        let field = if clue.point.is_some() { "location" } else { "address" };
        invalid(field, "无法确定所属区域：请提供丽水市范围内的坐标、区划代码或包含县（市、区）、乡镇（街道）名称的地址")
    })
}

/// A category's dedup settings as the score takes them; none when dedup is off for it.
async fn dedup_params_of(rules: &Rules, conn: &mut Conn, category_id: i64) -> ApiResult<Option<DedupParams>> {
    let settings = rules.get(Key::Dedup(category_id), store::dedup_params(conn, category_id)).await?;
    Ok((settings.enabled == 1).then(|| settings.params()))
}

/// What a dedup candidate must match to be able to pass the gates of the score: reported within
/// the window, within twice the radius (or, without a point, in the same region), and of the same
/// major category when that is required.
struct Reach<'a> {
    from: i64,
    to: i64,
    /// The point's distance box, or the region of a clue without a point.
    place: Result<(Point, [f64; 4]), &'a str>,
    major: Option<&'a str>,
}

impl<'a> Reach<'a> {
    fn of(params: &DedupParams, clue: &IntakeClue, region_code: &'a str, category_code: &'a str) -> Reach<'a> {
        Reach {
            from: clue.reported_at - params.window_ms,
            to: clue.reported_at + params.window_ms,
            place: clue.point.map(|p| (p, bbox_around(p, 2.0 * params.radius_m))).ok_or(region_code),
            major: params.same_category.then(|| category_code.get(..3).unwrap_or(category_code)),
        }
    }

    /// Where to look for the candidates of a clue with a point, as `probe` (none without a point).
    fn probes(&self, probe: i64, params: &DedupParams) -> Vec<store::CellProbe> {
        let Ok((p, bbox)) = self.place else { return Vec::new() };
        cell_columns(p, 2.0 * params.radius_m)
            .into_iter()
            .map(|cells| store::CellProbe { probe, cells, bbox, from: self.from, to: self.to })
            .collect()
    }

    /// Whether a case the writer created lately is within reach.
    fn covers(&self, c: &RecentCase) -> bool {
        let placed = match (&self.place, c.candidate.lon.zip(c.candidate.lat)) {
            (Ok((_, [x0, y0, x1, y1])), Some((lon, lat))) => (*x0..=*x1).contains(&lon) && (*y0..=*y1).contains(&lat),
            (Err(region), None) => c.region_code == *region,
            _ => false,
        };
        placed
            && (self.from..=self.to).contains(&c.candidate.reported_at)
            && matches!(c.candidate.status.as_str(), "active" | "suspended")
            && self.major.is_none_or(|m| c.candidate.category_code.starts_with(m))
    }
}

/// The open cases a clue may duplicate (only those that can pass the gates of the score).
async fn find_candidates(
    conn: &mut Conn,
    params: &DedupParams,
    clue: &IntakeClue,
    region_code: &str,
    category_code: &str,
) -> ApiResult<Vec<store::Candidate>> {
    let reach = Reach::of(params, clue, region_code, category_code);
    Ok(match reach.place {
        Ok(_) => {
            let probes = reach.probes(0, params);
            store::candidates_near(conn, &probes, reach.major).await?.into_iter().map(|(_, c)| c).collect()
        }
        Err(region) => store::candidates_by_region(conn, region, reach.from, reach.to, reach.major).await?,
    })
}

/// A dedup candidate with its fingerprint, rebuilt from its stored terms when first needed (once,
/// however many clues it is scored against).
struct Scored {
    candidate: store::Candidate,
    fingerprint: std::sync::OnceLock<Fingerprint>,
}

impl Scored {
    fn new(candidate: store::Candidate) -> Scored {
        Scored { candidate, fingerprint: std::sync::OnceLock::new() }
    }

    fn list(candidates: Vec<store::Candidate>) -> Vec<Scored> {
        candidates.into_iter().map(Scored::new).collect()
    }

    fn fingerprint(&self) -> &Fingerprint {
        self.fingerprint.get_or_init(|| {
            let terms = self.candidate.dedup_terms.split(' ').filter(|t| !t.is_empty()).map(str::to_owned);
            Fingerprint::from_terms(terms.collect())
        })
    }
}

/// The strongest verdict among the candidates, with its case.
fn best_verdict<'c>(
    params: &DedupParams,
    clue: &IntakeClue,
    category_code: &str,
    fp: &Fingerprint,
    candidates: impl IntoIterator<Item = &'c Scored>,
) -> Option<(Verdict, store::Candidate)> {
    let here = clue.point.unwrap_or(Point { lon: 0.0, lat: 0.0 });
    let new = Report { point: here, at_ms: clue.reported_at, category: category_code, fingerprint: fp };
    let mut best: Option<(Verdict, &store::Candidate)> = None;
    for s in candidates {
        let c = &s.candidate;
        let site = Site {
            point: c.lon.zip(c.lat).map(|(lon, lat)| Point { lon, lat }).unwrap_or(here),
            at_ms: c.reported_at,
            category: &c.category_code,
        };
        // The text only of candidates that pass the gates.
        if proximity(params, new.site(), site).is_none() {
            continue;
        }
        let old =
            Report { point: site.point, at_ms: site.at_ms, category: site.category, fingerprint: s.fingerprint() };
        let v = xiezhi_domain::clue::dedup::verdict(params, &new, &old);
        if !matches!(v, Verdict::Distinct) && best.as_ref().is_none_or(|(b, _)| strength(v) > strength(*b)) {
            best = Some((v, c));
        }
    }
    best.map(|(v, c)| (v, c.clone()))
}

/// The stronger of two verdicts (the first when equal).
fn stronger(
    a: Option<(Verdict, store::Candidate)>,
    b: Option<(Verdict, store::Candidate)>,
) -> Option<(Verdict, store::Candidate)> {
    match (&a, &b) {
        (Some((va, _)), Some((vb, _))) if strength(*vb) > strength(*va) => b,
        (None, _) => b,
        _ => a,
    }
}

// ---- candidates read ahead ---------------------------------------------------------------------------

/// How long candidates read ahead are used (a push waits far less for the writer).
const LOOKED_TTL: Duration = Duration::from_secs(60);
/// How long the writer remembers the cases it created (longer than `LOOKED_TTL`).
const RECENT_TTL: Duration = Duration::from_secs(120);

/// A clue's dedup candidates, read and scored before the write transaction on another connection.
#[derive(Debug, Clone)]
pub struct Looked {
    /// The configuration stamp of the rules they were read under.
    stamp: i64,
    category_id: i64,
    region_code: String,
    /// The writer's last committed group when they were read: cases of later groups are taken
    /// from [`Recent`].
    seen: u64,
    at: Instant,
    /// The strongest verdict among them, with its case.
    best: Option<(Verdict, store::Candidate)>,
}

/// Read and score the dedup candidates of one source's clues (a single push, or a batch's items)
/// ahead of the write transaction. The clues with a point are read together (one statement per 32
/// probes, see [`store::candidates_near`]), each candidate's fingerprint rebuilt once. `None` for a
/// clue that cannot be classified or placed (the intake then refuses it with the reason).
pub async fn look_ahead(
    rt: &Runtime,
    conn: &mut Conn,
    rules: &Rules,
    source: &SourceRow,
    clues: &[(&IntakeClue, &Fingerprint)],
) -> ApiResult<Vec<Option<Looked>>> {
    // Read before the candidates, so that every later group is in `Recent`.
    let seen = rt.recent.committed();
    let regions = rt.regions(conn).await?;
    let mut placed = Vec::with_capacity(clues.len());
    for (clue, _) in clues {
        let Some(category) = category_of(rules, conn, source, clue).await? else {
            placed.push(None);
            continue;
        };
        let Ok(region_code) = region_of(&regions, clue) else {
            placed.push(None);
            continue;
        };
        let params = dedup_params_of(rules, conn, category.id).await?;
        placed.push(Some((category, region_code, params)));
    }
    let mut best = vec![None; clues.len()];
    // The clues with a point are read together, those of one major category at a time.
    let mut probes: std::collections::BTreeMap<Option<&str>, Vec<store::CellProbe>> = Default::default();
    for (i, (clue, fp)) in clues.iter().enumerate() {
        let Some((category, region_code, Some(params))) = &placed[i] else { continue };
        let reach = Reach::of(params, clue, region_code, &category.code);
        match reach.place {
            Ok(_) => probes.entry(reach.major).or_default().extend(reach.probes(i as i64, params)),
            Err(_) => {
                let list = find_candidates(conn, params, clue, region_code, &category.code).await?;
                best[i] = best_verdict(params, clue, &category.code, fp, &Scored::list(list));
            }
        }
    }
    // Each case found once, however many clues it is within reach of.
    let mut found: Vec<Scored> = Vec::new();
    let mut by_id: HashMap<i64, usize> = HashMap::new();
    let mut near: Vec<Vec<usize>> = vec![Vec::new(); clues.len()];
    for (major, probes) in probes {
        for (probe, c) in store::candidates_near(conn, &probes, major).await? {
            let k = *by_id.entry(c.id).or_insert_with(|| {
                found.push(Scored::new(c));
                found.len() - 1
            });
            if let Some(n) = usize::try_from(probe).ok().and_then(|i| near.get_mut(i)) {
                n.push(k);
            }
        }
    }
    for (i, (clue, fp)) in clues.iter().enumerate() {
        let Some((category, _, Some(params))) = &placed[i] else { continue };
        if !near[i].is_empty() {
            best[i] = best_verdict(params, clue, &category.code, fp, near[i].iter().map(|k| &found[*k]));
        }
    }
    Ok(placed
        .into_iter()
        .zip(best)
        .map(|(p, best)| {
            p.map(|(category, region_code, _)| Looked {
                stamp: rules.stamp(),
                category_id: category.id,
                region_code,
                seen,
                at: Instant::now(),
                best,
            })
        })
        .collect())
}

/// A case the intake writer created, as a dedup candidate.
#[derive(Debug, Clone)]
struct RecentCase {
    group: u64,
    at: Instant,
    region_code: String,
    candidate: store::Candidate,
}

/// The cases the intake writer created lately, by group commit, so that a clue whose candidates
/// were read ahead also sees the cases committed (or written in its own group) since.
#[derive(Debug, Default)]
pub struct Recent {
    committed: std::sync::atomic::AtomicU64,
    next: std::sync::atomic::AtomicU64,
    cases: Mutex<std::collections::VecDeque<RecentCase>>,
}

impl Recent {
    /// The last group committed.
    pub fn committed(&self) -> u64 {
        self.committed.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Start a group: its number. Its cases are forgotten unless [`Recent::commit`] follows.
    pub fn begin(&self) -> u64 {
        self.next.fetch_add(1, std::sync::atomic::Ordering::AcqRel) + 1
    }

    fn add(&self, group: u64, region_code: &str, candidate: store::Candidate) {
        if let Ok(mut cases) = self.cases.lock() {
            cases.push_back(RecentCase { group, at: Instant::now(), region_code: region_code.to_owned(), candidate });
        }
    }

    /// The group is committed.
    pub fn commit(&self, group: u64) {
        self.committed.fetch_max(group, std::sync::atomic::Ordering::AcqRel);
        if let Ok(mut cases) = self.cases.lock() {
            while cases.front().is_some_and(|c| c.at.elapsed() > RECENT_TTL) {
                cases.pop_front();
            }
        }
    }

    /// The group was rolled back.
    pub fn undo(&self, group: u64) {
        if let Ok(mut cases) = self.cases.lock() {
            cases.retain(|c| c.group != group);
        }
    }

    /// The cases of groups after `seen` within reach of a clue.
    fn since(
        &self,
        seen: u64,
        params: &DedupParams,
        clue: &IntakeClue,
        region_code: &str,
        category_code: &str,
    ) -> Vec<store::Candidate> {
        let reach = Reach::of(params, clue, region_code, category_code);
        let Ok(cases) = self.cases.lock() else { return Vec::new() };
        // In the order of their groups: the later ones are at the back.
        cases
            .iter()
            .rev()
            .take_while(|c| c.group > seen)
            .filter(|c| reach.covers(c))
            .map(|c| c.candidate.clone())
            .collect()
    }
}

fn strength(v: Verdict) -> f64 {
    match v {
        Verdict::Merge(s) => 2.0 + s,
        Verdict::Suspected(s) => 1.0 + s,
        Verdict::Distinct => 0.0,
    }
}

/// Grid cell of a point (cells of 0.005°, about 500 m).
pub fn grid_cell(p: Point) -> i64 {
    ((p.lon * 200.0).floor() as i64) * 100_000 + (p.lat * 200.0).floor() as i64
}

/// `[lon_min, lat_min, lon_max, lat_max]` of a square of `reach_m` around a point (a little wider,
/// so that the distance gate alone decides at its edge).
fn bbox_around(p: Point, reach_m: f64) -> [f64; 4] {
    let reach = reach_m * 1.01 + 1.0;
    let dlat = reach / 111_000.0;
    let dlon = reach / (111_000.0 * p.lat.to_radians().cos().max(0.1));
    [p.lon - dlon, p.lat - dlat, p.lon + dlon, p.lat + dlat]
}

/// The cells covering a square of `reach_m` around a point, as ranges of consecutive cells: one
/// per column of the grid.
fn cell_columns(p: Point, reach_m: f64) -> Vec<(i64, i64)> {
    let dlat = reach_m / 111_000.0;
    let dlon = reach_m / (111_000.0 * p.lat.to_radians().cos().max(0.1));
    let (x0, x1) = (((p.lon - dlon) * 200.0).floor() as i64, ((p.lon + dlon) * 200.0).floor() as i64);
    let (y0, y1) = (((p.lat - dlat) * 200.0).floor() as i64, ((p.lat + dlat) * 200.0).floor() as i64);
    let y1 = y1.min(y0 + 40);
    (x0..=x1.min(x0 + 40)).map(|x| (x * 100_000 + y0, x * 100_000 + y1)).collect()
}

async fn store_attachments(rt: &Runtime, tx: &mut Conn, clue_id: i64, clue: &IntakeClue, now: i64) -> ApiResult<()> {
    let files = rt.attachments();
    for a in &clue.attachments {
        // Durable before the caller commits the rows that refer to it.
        let sha = files.put(&a.data, &a.content_type).await?;
        store::link_attachment(tx, clue_id, &sha, &a.name, &a.content_type, a.data.len() as i64, now).await?;
    }
    Ok(())
}

/// The working calendar and the warning percentage.
async fn calendar(rules: &Rules, conn: &mut Conn) -> ApiResult<(Arc<Calendar>, i64)> {
    rules.get(Key::Calendar, load_calendar(conn)).await
}

async fn load_calendar(conn: &mut Conn) -> ApiResult<(Arc<Calendar>, i64)> {
    let settings = wf::calendar_settings(conn).await?;
    let periods: Vec<(String, String)> = serde_json::from_str(&settings.periods).unwrap_or_default();
    let mut overrides = HashMap::new();
    for d in wf::all_calendar_days(conn).await? {
        if let Ok(day) = calendar::parse_day(&d.day) {
            overrides.insert(day, d.kind == "workday");
        }
    }
    let cal = Arc::new(Calendar::new(&periods, overrides).unwrap_or_else(|_| Calendar::standard()));
    Ok((cal, settings.warn_percent))
}

/// A township's own office (派出机构), if it has one.
async fn township_office(rules: &Rules, tx: &mut Conn, township: &str) -> ApiResult<Option<i64>> {
    rules.get(Key::TownshipOffice(township.to_owned()), store::township_office(tx, township)).await
}

/// Number a new case with the active numbering rule.
#[allow(clippy::too_many_arguments)]
async fn next_case_no(
    rules: &Rules,
    tx: &mut Conn,
    deferred: &mut Deferred,
    region: &str,
    county: &str,
    case_type: &str,
    source: &str,
    at: i64,
) -> ApiResult<String> {
    let pattern = rules
        .get(Key::Numbering, store::active_numbering_pattern(tx))
        .await?
        .unwrap_or_else(|| "{region6}{yyyyMMdd}{seq:5}".into());
    let pattern = Pattern::parse(&pattern).map_err(|e| ApiError::internal(format!("numbering rule: {}", e.message)))?;
    let (day, minute) = calendar::local(at);
    let ctx = NumberContext {
        region_code: if region.len() == 9 { region.to_owned() } else { county.to_owned() },
        year: day.year(),
        month: u8::from(day.month()),
        day: day.day(),
        hour: (minute / 60) as u8,
        case_type: case_type.to_owned(),
        source: source.to_owned(),
    };
    let seq = deferred.next_sequence(tx, &pattern.scope_key(&ctx)).await?;
    pattern
        .render(&ctx, u64::try_from(seq).unwrap_or(0))
        .ok_or_else(|| ApiError::internal("case-number sequence exhausted for this scope"))
}

struct GradeInput<'a> {
    category_id: i64,
    category_code: &'a str,
    severity: &'a str,
    region: &'a str,
    county: &'a str,
    text: &'a str,
    subject_type: Option<&'a str>,
    source: &'a str,
}

struct Grade {
    tier: Option<String>,
    department_id: Option<i64>,
    rule_id: Option<i64>,
    hours: Option<i64>,
    grading: &'static str,
    summary: String,
}

/// Auto grading: grading rules by priority, then the responsibility list.
/// Enabled grading rules in order, with their conditions parsed.
async fn grading_rules(tx: &mut Conn) -> ApiResult<Arc<Vec<(wf::GradingRuleRow, GradingConditions)>>> {
    let rules = wf::grading_rules(tx, true).await?;
    Ok(Arc::new(
        rules
            .into_iter()
            .map(|r| {
                let cond: GradingConditions = serde_json::from_str(&r.conditions).unwrap_or_default();
                (r, cond)
            })
            .collect(),
    ))
}

/// A department's name ("" when it is gone).
async fn department_name(rules: &Rules, tx: &mut Conn, id: i64) -> ApiResult<String> {
    rules
        .get(Key::DepartmentName(id), async {
            Ok::<_, ApiError>(department::get(tx, id).await.map(|d| d.name).unwrap_or_default())
        })
        .await
}

async fn grade(rules: &Rules, tx: &mut Conn, g: &GradeInput<'_>) -> ApiResult<Grade> {
    let input = GradingInput {
        category: g.category_code,
        severity: g.severity,
        region: g.region,
        text: g.text,
        subject_type: g.subject_type,
        source: g.source,
    };
    let chain: Vec<&str> = if g.region != g.county { vec![g.region, g.county, CITY] } else { vec![g.county, CITY] };
    let resp = rules
        .get(
            Key::Responsibility(g.category_id, chain.iter().map(|c| (*c).to_owned()).collect()),
            store::responsibility_for(tx, g.category_id, &chain),
        )
        .await?;
    let grading: Arc<Vec<(wf::GradingRuleRow, GradingConditions)>> = rules.get(Key::Grading, grading_rules(tx)).await?;
    for (rule, cond) in grading.iter() {
        if !cond.matches(&input) {
            continue;
        }
        let mut unit = rule.department_id;
        if unit.is_none() && rule.tier == "township" && g.region.len() == 9 {
            unit = township_office(rules, tx, g.region).await?;
        }
        if unit.is_none() {
            unit = resp.as_ref().map(|r| r.0);
        }
        let name = match unit {
            Some(d) => department_name(rules, tx, d).await?,
            None => "（待人工指定）".into(),
        };
        return Ok(Grade {
            tier: Some(rule.tier.clone()),
            department_id: unit,
            rule_id: Some(rule.id),
            hours: resp.as_ref().map(|r| r.2),
            grading: if unit.is_some() { "auto" } else { "pending" },
            summary: format!("分级规则“{}”：{}级处置，责任单位 {}", rule.name, tier_label(&rule.tier), name),
        });
    }
    match resp {
        Some((d, tier, hours)) => {
            let name = department_name(rules, tx, d).await?;
            Ok(Grade {
                summary: format!("权责清单：{}级处置，责任单位 {name}，处置时限 {hours} 小时", tier_label(&tier)),
                tier: Some(tier),
                department_id: Some(d),
                rule_id: None,
                hours: Some(hours),
                grading: "auto",
            })
        }
        None => Ok(Grade {
            tier: None,
            department_id: None,
            rule_id: None,
            hours: None,
            grading: "pending",
            summary: "没有匹配的分级规则或权责清单，转人工分级".into(),
        }),
    }
}

pub fn tier_label(t: &str) -> &'static str {
    match t {
        "city" => "市",
        "county" => "县",
        "township" => "乡镇",
        _ => "",
    }
}

/// The first enabled workflow whose conditions hold: its current version.
async fn choose_workflow(rules: &Rules, tx: &mut Conn, facts: &Facts) -> ApiResult<i64> {
    let active: Arc<Vec<(Vec<Clause>, i64)>> = rules.get(Key::Workflows, active_workflows(tx)).await?;
    for (clauses, version_id) in active.iter() {
        if workflow::holds(clauses, facts) {
            return Ok(*version_id);
        }
    }
    Err(ApiError::Conflict {
        code: "no_workflow", message: "没有可用的处置流程，请先启用一个流程".into(), field: None
    })
}

/// Enabled workflows in order of priority, with their conditions parsed and their published version.
async fn active_workflows(tx: &mut Conn) -> ApiResult<Arc<Vec<(Vec<Clause>, i64)>>> {
    let rows = wf::active_workflows(tx).await?;
    Ok(Arc::new(
        rows.into_iter()
            .map(|(_, conditions, version_id)| (serde_json::from_str(&conditions).unwrap_or_default(), version_id))
            .collect(),
    ))
}

pub fn facts_of(c: &store::CaseState) -> Facts {
    Facts {
        category: c.category_code.clone(),
        category_kind: c.category_kind.clone(),
        severity: c.severity_code.clone(),
        region: c.region_code.clone(),
        tier: c.tier.clone().unwrap_or_default(),
        source: c.source_code.clone(),
        source_kind: c.source_kind.clone(),
        case_type: c.case_type_code.clone(),
        dedup: c.first_dedup.clone(),
        graded: c.department_id.is_some(),
        province: matches!(c.province_status.as_str(), "queued" | "pushed" | "transferred"),
    }
}

// ---- moving a case ---------------------------------------------------------------------------------------

/// Enter an activity: follow automatic transitions, then open the task (or finish the case).
/// Returns the case's status after it.
/// `resume_due` overrides the computed deadline (returning from an extension request).
async fn enter(
    rules: &Rules,
    tx: &mut Conn,
    case: &store::CaseState,
    def: &Definition,
    key: &str,
    resume_due: Option<i64>,
    now: i64,
) -> ApiResult<String> {
    let entry = plan_entry(rules, tx, case, def, key, resume_due, now).await?;
    store::insert_events(tx, &entry.events).await?;
    open_task(rules, tx, case, &entry, now).await?;
    let position = Position {
        status: &entry.status,
        activity: Some(&entry.activity),
        activity_name: Some(&entry.activity_name),
        due_at: entry.due_at,
        warn_at: entry.warn_at,
        closed_at: entry.closed_at,
    };
    store::set_position(tx, case.id, &position, now).await?;
    Ok(entry.status)
}

/// Where entering an activity leads, after its automatic transitions: the position the case takes
/// and the task it opens there.
struct Entry {
    status: String,
    activity: String,
    activity_name: String,
    due_at: Option<i64>,
    warn_at: Option<i64>,
    closed_at: Option<i64>,
    /// The task to open, as (unit, permission); none at an end.
    task: Option<(Option<i64>, Option<String>)>,
    /// Timeline events of the automatic transitions on the way.
    events: Vec<NewEvent>,
}

/// Plan entering `key` (see [`enter`]); writes nothing.
async fn plan_entry(
    rules: &Rules,
    tx: &mut Conn,
    case: &store::CaseState,
    def: &Definition,
    key: &str,
    mut resume_due: Option<i64>,
    now: i64,
) -> ApiResult<Entry> {
    let facts = facts_of(case);
    let mut key = key.to_owned();
    let mut events = Vec::new();
    for _ in 0..32 {
        let act = def.activity(&key).ok_or_else(|| ApiError::internal(format!("activity {key} missing")))?;
        let status = def.status_at(&key).to_owned();
        if act.kind == ActivityKind::End {
            let closed_at = matches!(status.as_str(), "closed" | "voided").then_some(now);
            let activity_name = act.name.clone();
            return Ok(Entry {
                status,
                activity: key,
                activity_name,
                due_at: None,
                warn_at: None,
                closed_at,
                task: None,
                events,
            });
        }
        if let Some(t) = def.auto_from(&key, &facts) {
            events.push(NewEvent {
                case_id: case.id,
                at: now,
                actor_name: "系统".into(),
                action: t.action.clone(),
                action_name: format!("{}（自动）", t.label),
                from_activity: Some(key.clone()),
                to_activity: Some(t.to.clone()),
                to_name: def.activity(&t.to).map(|a| a.name.clone()),
                ..Default::default()
            });
            key = t.to.clone();
            continue;
        }
        // A task.
        let (department_id, permission) = match &act.assignee {
            Some(Assignee::Permission { permission }) => (None, Some(permission.clone())),
            Some(Assignee::Department { department_id }) => (Some(*department_id), None),
            Some(Assignee::TownshipOffice) => {
                let office = if case.region_code.len() == 9 {
                    township_office(rules, tx, &case.region_code).await?
                } else {
                    None
                };
                (office.or(case.department_id), None)
            }
            Some(Assignee::Responsible) | None => (case.department_id, None),
        };
        // A unit task without a unit falls to the dispatchers.
        let permission = if department_id.is_none() && permission.is_none() {
            Some("clue:case:dispatch".to_owned())
        } else {
            permission
        };
        let (cal, warn_pct) = calendar(rules, tx).await?;
        let (due_at, warn_at) = match resume_due.take() {
            Some(due) => {
                let left = cal.working_minutes_between(now, due);
                (Some(due), Some(cal.add_working_minutes(now, left * warn_pct / 100)))
            }
            None => match limit_minutes(rules, tx, case, act.time_limit.as_ref(), act.stage.map(|s| s.as_str())).await?
            {
                Some(m) => {
                    (Some(cal.add_working_minutes(now, m)), Some(cal.add_working_minutes(now, m * warn_pct / 100)))
                }
                None => (None, None),
            },
        };
        let activity_name = act.name.clone();
        return Ok(Entry {
            status,
            activity: key,
            activity_name,
            due_at,
            warn_at,
            closed_at: None,
            task: Some((department_id, permission)),
            events,
        });
    }
    Err(ApiError::internal("automatic transitions did not settle"))
}

/// Open the task of an entry, if it has one, and notify its unit.
async fn open_task(rules: &Rules, tx: &mut Conn, case: &store::CaseState, entry: &Entry, now: i64) -> ApiResult<()> {
    let Some((department_id, permission)) = &entry.task else { return Ok(()) };
    let task_id = store::insert_task(
        tx,
        &NewTask {
            case_id: case.id,
            activity: &entry.activity,
            activity_name: &entry.activity_name,
            department_id: *department_id,
            permission: permission.as_deref(),
            region_code: &case.region_code,
            created_at: now,
            due_at: entry.due_at,
            warn_at: entry.warn_at,
        },
    )
    .await?;
    crate::integration::zzd::notify_task(rules, tx, task_id, case, &entry.activity_name, entry.due_at, now).await
}

async fn stage_limit(rules: &Rules, tx: &mut Conn, category_id: i64, stage: &str) -> ApiResult<Option<i64>> {
    rules.get(Key::StageLimit(category_id, stage.to_owned()), store::stage_limit(tx, category_id, stage)).await
}

/// Working minutes allowed for an activity, scaled by the case's severity.
async fn limit_minutes(
    rules: &Rules,
    tx: &mut Conn,
    case: &store::CaseState,
    limit: Option<&TimeLimit>,
    stage: Option<&str>,
) -> ApiResult<Option<i64>> {
    let base = match limit {
        None => return Ok(None),
        Some(TimeLimit::Fixed { minutes }) => *minutes,
        Some(TimeLimit::StageRule { default_minutes }) => match stage {
            Some(s) => stage_limit(rules, tx, case.category_id, s).await?.unwrap_or(*default_minutes),
            None => *default_minutes,
        },
        Some(TimeLimit::Responsibility) => match case.time_limit_hours {
            Some(h) => h * 60,
            None => stage_limit(rules, tx, case.category_id, "handle").await?.unwrap_or(24 * 60),
        },
    };
    Ok(Some((base * case.severity_percent / 100).max(1)))
}

/// What a user submits with an action.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    pub action: String,
    #[serde(default)]
    pub comment: Option<String>,
    /// The unit chosen when dispatching (派遣).
    #[serde(default)]
    pub department_id: Option<i64>,
    /// Working hours asked for (申请延期), 1–720.
    #[serde(default)]
    pub hours: Option<i64>,
}

/// Take an action on a case's open task. The caller checked that the user may act on that task.
pub async fn act(
    rt: &Runtime,
    tx: &mut Conn,
    case_id: i64,
    input: &ActionInput,
    actor: &Actor,
    now: i64,
) -> ApiResult<String> {
    let case = store::case_state(tx, case_id).await?;
    let task = store::open_task(tx, case_id).await?.ok_or_else(|| ApiError::Conflict {
        code: "no_open_task",
        message: "该案件当前没有待办环节".into(),
        field: None,
    })?;
    let def = rt.definition(tx, case.workflow_version_id).await?;
    let facts = facts_of(&case);
    let t: Transition = def.take(&task.activity, &input.action, &facts).cloned().map_err(|e| match e {
        EngineError::NotAvailable | EngineError::UnknownActivity | EngineError::Loop => {
            ApiError::field("action", "当前环节不能执行该操作")
        }
    })?;
    let comment = input.comment.as_deref().map(str::trim).unwrap_or_default().to_owned();
    if comment.chars().count() > 1000 {
        return Err(ApiError::field("comment", "意见不能超过 1000 个字符"));
    }
    if t.comment_required && comment.is_empty() {
        return Err(ApiError::field("comment", format!("“{}”须填写意见", t.label)));
    }
    let mut data = json!({});
    let mut resume = None;
    match t.effect {
        Some(Effect::ChooseUnit) => {
            let d = input.department_id.ok_or_else(|| ApiError::field("department_id", "请选择责任单位"))?;
            let dept = department::get(tx, d).await.map_err(|_| ApiError::field("department_id", "责任单位不存在"))?;
            if dept.enabled != 1 {
                return Err(ApiError::field("department_id", "责任单位已停用"));
            }
            let tier = match dept.region_code.len() {
                9 => "township",
                _ if dept.region_code == CITY => "city",
                _ => "county",
            };
            let hours = store::responsibility_for(tx, case.category_id, &[&case.region_code, &case.county_code, CITY])
                .await?
                .filter(|r| r.0 == d)
                .map(|r| r.2)
                .or(case.time_limit_hours);
            store::set_unit(tx, case_id, Some(tier), Some(d), "manual", None, hours).await?;
            data = json!({ "department_id": d, "department_name": dept.name });
        }
        Some(Effect::Return) => {
            store::count(tx, case_id, Counter::Returned).await?;
            store::set_unit(tx, case_id, case.tier.as_deref(), None, "pending", None, case.time_limit_hours).await?;
        }
        Some(Effect::RequestExtension) => {
            let h = input.hours.ok_or_else(|| ApiError::field("hours", "请填写申请延期的工作小时数"))?;
            if !(1..=720).contains(&h) {
                return Err(ApiError::field("hours", "延期须在 1–720 个工作小时之间"));
            }
            store::set_extension(tx, case_id, task.due_at, Some(h * 60)).await?;
            data = json!({ "hours": h });
        }
        Some(Effect::ApproveExtension) => {
            store::count(tx, case_id, Counter::Extension).await?;
            let (cal, _) = calendar(&*rt.rules(tx).await?, tx).await?;
            let base = case.resume_due_at.unwrap_or(now);
            resume =
                Some(cal.add_working_minutes(base.max(now.min(base)), case.pending_extension_minutes.unwrap_or(0)));
            store::set_extension(tx, case_id, None, None).await?;
            data = json!({ "hours": case.pending_extension_minutes.unwrap_or(0) / 60 });
        }
        Some(Effect::Rework) => store::count(tx, case_id, Counter::Rework).await?,
        None => {
            // Leaving the extension request without approval: back to the original deadline.
            if let Some(due) = case.resume_due_at {
                resume = Some(due);
                store::set_extension(tx, case_id, None, None).await?;
            }
        }
    }
    let step = Step { task: &task, def: &def, t: &t, comment: &comment, data, resume };
    finish(rt, tx, case_id, step, actor, now).await?;
    Ok(t.label)
}

/// A transition being taken from an open task.
struct Step<'a> {
    task: &'a store::TaskRow,
    def: &'a Definition,
    t: &'a Transition,
    comment: &'a str,
    data: serde_json::Value,
    resume: Option<i64>,
}

/// Complete the task, record the event, enter the next activity, queue the callbacks.
async fn finish(rt: &Runtime, tx: &mut Conn, case_id: i64, s: Step<'_>, actor: &Actor, now: i64) -> ApiResult<()> {
    let Step { task, def, t, comment, data, resume } = s;
    if !store::complete_task(tx, task.id, "done", actor.user_id, &t.action, now).await? {
        return Err(ApiError::Conflict {
            code: "task_taken",
            message: "该环节已被他人处理，请刷新".into(),
            field: None,
        });
    }
    if task.due_at.is_some_and(|d| d < now) {
        store::mark_overdue(tx, case_id).await?;
    }
    store::insert_event(
        tx,
        &NewEvent {
            case_id,
            at: now,
            actor_id: actor.user_id,
            actor_name: actor.name.clone(),
            action: t.action.clone(),
            action_name: t.label.clone(),
            from_activity: Some(task.activity.clone()),
            to_activity: Some(t.to.clone()),
            to_name: def.activity(&t.to).map(|a| a.name.clone()),
            comment: comment.to_owned(),
            data: data.to_string(),
        },
    )
    .await?;
    let case = store::case_state(tx, case_id).await?;
    let rules = rt.rules(tx).await?;
    enter(&rules, tx, &case, def, &t.to, resume, now).await?;
    let after = store::case_state(tx, case_id).await?;
    crate::integration::province::after_transition(tx, &after, &t.action, comment, now).await?;
    enqueue_callbacks(tx, case_id, &t.action, &t.label, comment, now).await?;
    Ok(())
}

/// Take the system transition `action` (an external event such as the provincial platform's
/// feedback) from the case's open task, if its workflow has one there. Returns the label taken.
pub async fn act_system(
    rt: &Runtime,
    tx: &mut Conn,
    case_id: i64,
    action: &str,
    comment: &str,
    now: i64,
) -> ApiResult<Option<String>> {
    let case = store::case_state(tx, case_id).await?;
    let Some(task) = store::open_task(tx, case_id).await? else { return Ok(None) };
    let def = rt.definition(tx, case.workflow_version_id).await?;
    let Some(t) = def.system_transition(&task.activity, action, &facts_of(&case)).cloned() else {
        return Ok(None);
    };
    let step = Step { task: &task, def: &def, t: &t, comment, data: json!({}), resume: None };
    finish(rt, tx, case_id, step, &Actor::system(), now).await?;
    Ok(Some(t.label))
}

/// Decide a suspected duplicate: merge the new case's clues into the candidate, or keep it.
pub async fn decide_review(
    rt: &Runtime,
    tx: &mut Conn,
    review_id: i64,
    merge: bool,
    actor: &Actor,
    now: i64,
) -> ApiResult<()> {
    let r = store::review(tx, review_id).await?;
    if r.status != "pending" {
        return Err(ApiError::Conflict {
            code: "already_decided", message: "该疑似重复已被处理".into(), field: None
        });
    }
    let by = actor.user_id.unwrap_or_default();
    if merge {
        if !matches!(r.candidate_status.as_str(), "active" | "suspended") {
            return Err(ApiError::Conflict {
                code: "target_finished",
                message: "目标案件已办结，不能合并，请判定为非重复".into(),
                field: None,
            });
        }
        let case = store::case_state(tx, r.case_id).await?;
        if !matches!(case.status.as_str(), "active" | "suspended") {
            return Err(ApiError::Conflict {
                code: "case_finished",
                message: "该案件已办结，不能合并".into(),
                field: None,
            });
        }
        for c in store::clues_of(tx, r.case_id).await? {
            let mut result = stored_result(c.id, &c.result)?;
            result.case_no = r.candidate_no.clone();
            result.dedup = "merged".into();
            result.merged_into = Some(r.candidate_no.clone());
            store::move_clue(
                tx,
                c.id,
                r.candidate_case_id,
                "merged",
                &serde_json::to_string(&result).map_err(ApiError::internal)?,
            )
            .await?;
            store::count(tx, r.candidate_case_id, Counter::Clue).await?;
        }
        if let Some(t) = store::open_task(tx, r.case_id).await? {
            store::complete_task(tx, t.id, "cancelled", actor.user_id, "merge", now).await?;
        }
        store::set_merged(tx, r.case_id, r.candidate_case_id, now).await?;
        for (case, text) in [
            (r.case_id, format!("经人工判定与案件 {} 重复，已合并", r.candidate_no)),
            (r.candidate_case_id, format!("案件 {} 经人工判定为重复，线索已并入本案", r.case_no)),
        ] {
            store::insert_event(
                tx,
                &NewEvent {
                    case_id: case,
                    at: now,
                    actor_id: actor.user_id,
                    actor_name: actor.name.clone(),
                    action: "merge".into(),
                    action_name: "合并重复线索".into(),
                    comment: text,
                    ..Default::default()
                },
            )
            .await?;
        }
        store::decide_review(tx, review_id, "merged", by, now).await?;
        enqueue_callbacks(
            tx,
            r.case_id,
            "merge",
            "合并重复线索",
            &format!("与案件 {} 重复，已合并", r.candidate_no),
            now,
        )
        .await?;
    } else {
        store::decide_review(tx, review_id, "separate", by, now).await?;
        let mut result = stored_result(r.clue_id, &store::clue(tx, r.clue_id).await?.result)?;
        result.dedup = "new".into();
        store::set_clue_dedup(tx, r.clue_id, "new", &serde_json::to_string(&result).map_err(ApiError::internal)?)
            .await?;
        store::insert_event(
            tx,
            &NewEvent {
                case_id: r.case_id,
                at: now,
                actor_id: actor.user_id,
                actor_name: actor.name.clone(),
                action: "keep_separate".into(),
                action_name: "判定为非重复".into(),
                comment: format!("与案件 {} 不是同一问题，单独办理", r.candidate_no),
                ..Default::default()
            },
        )
        .await?;
        // Continue the workflow where the case waits (受理), if it is still there.
        let case = store::case_state(tx, r.case_id).await?;
        if let Some(task) = store::open_task(tx, r.case_id).await? {
            let def = rt.definition(tx, case.workflow_version_id).await?;
            if def.auto_from(&task.activity, &facts_of(&case)).is_some() {
                store::complete_task(tx, task.id, "done", actor.user_id, "keep_separate", now).await?;
                let rules = rt.rules(tx).await?;
                enter(&rules, tx, &case, &def, &task.activity, None, now).await?;
            }
        }
    }
    Ok(())
}

/// Outbox messages for the status callbacks of every source with a callback URL that pushed a
/// clue into the case (delivered by the callback relay, in order per case and source).
pub async fn enqueue_callbacks(
    tx: &mut Conn,
    case_id: i64,
    action: &str,
    action_name: &str,
    comment: &str,
    now: i64,
) -> ApiResult<()> {
    let targets = store::callback_targets(tx, case_id).await?;
    if targets.is_empty() {
        return Ok(());
    }
    let c = store::case_row(tx, case_id).await?;
    for (source_id, source_clue_id) in targets {
        let event_id = format!("{}-{}-{}", case_id, source_id, hex::encode(rand::random::<[u8; 8]>()));
        let payload = json!({
            "event_id": event_id,
            "event": "case.updated",
            "source_clue_id": source_clue_id,
            "case_no": c.case_no,
            "status": c.status,
            "stage": if matches!(c.status.as_str(), "active" | "suspended") { c.activity.clone() } else { None },
            "stage_name": c.activity_name,
            "action": action,
            "action_name": action_name,
            "comment": comment,
            "at": spec::format_time(now),
        });
        let key = format!("case:{case_id}:source:{source_id}");
        let text = payload.to_string();
        xiezhi_storage::outbox::enqueue(
            tx,
            &xiezhi_storage::outbox::NewMessage {
                channel: "source_callback",
                target_id: source_id,
                ordering_key: &key,
                event_id: &event_id,
                payload: &text,
                case_id: Some(case_id),
                now,
            },
        )
        .await?;
    }
    Ok(())
}
