//! The demo clue history of `seed-demo`: realistic clues of the last 18 months pushed through the
//! real intake (classification, region, dedup, numbering, grading, workflow) at their historical
//! times, then moved through the workflow the way a bureau works — most closed in time, some
//! late, returned, extended, reworked, suspended or voided, the recent ones still open.

use std::collections::HashMap;

use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use xiezhi_api::AppState;
use xiezhi_api::clue::engine::{self, ActionInput, Actor, Incoming, IntakeError};
use xiezhi_domain::clue::intake::{Payload, format_time};
use xiezhi_storage::clue::case as cases;
use xiezhi_storage::clue::config::{self, SourceRow};
use xiezhi_storage::platform::{department, region};
use xiezhi_storage::{Conn, StorageError};

use crate::app::AppError;
use crate::demo_clues::{self, DemoClue, Town};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
/// Clues per transaction.
const CHUNK: usize = 200;

#[derive(Debug, Default)]
pub struct Stats {
    pub clues: usize,
    pub cases: usize,
    pub merged: usize,
    pub suspected: usize,
    pub closed: usize,
    pub open: usize,
}

fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

const SUBMIT: &[&str] = &[
    "已到现场处置，问题已整改完毕并拍照留档",
    "已联系责任人现场整改，已恢复原状",
    "已组织人员清理完毕",
    "已责令当事人限期整改，现已整改到位",
    "已安排维修人员修复，运行正常",
    "已劝离并宣传教育，现场秩序恢复",
];
const RETURN: &[&str] = &["该问题不属于本单位职责范围，请重新派遣", "经现场核实，位置不在本单位辖区"];
const EXTEND: &[&str] =
    &["需协调相关部门联合处置，申请延期", "需当事人自行拆除，给予整改期限", "需采购配件后维修，申请延期"];
const REWORK: &[&str] = &["现场复核仍存在问题，请继续处置", "整改不彻底，请返工"];
const VOID: &[&str] = &["经核实信息不实，作废处理", "重复上报，作废处理"];
const SUSPEND: &[&str] = &["涉及历史遗留问题，已纳入专项整治计划，申请挂账"];

/// Build the history: `count` clues over the last 18 months.
pub async fn run(state: &AppState, count: usize, now: i64) -> Result<Stats, AppError> {
    let mut stats = Stats::default();
    let (towns, sources, bureaus) = {
        let mut conn = state.db.conn().await?;
        if cases::count_cases(&mut conn).await? > 0 {
            println!("已有案件数据，跳过历史案件生成。");
            return Ok(stats);
        }
        let points = region::points(&mut conn).await?;
        let names: HashMap<String, String> = points.iter().map(|p| (p.0.clone(), p.1.clone())).collect();
        let towns: Vec<Town> = points
            .iter()
            .filter(|p| p.2 == "township")
            .filter_map(|p| {
                let county = p.3.clone()?;
                Some(Town {
                    code: p.0.clone(),
                    name: p.1.clone(),
                    county_name: names.get(&county).cloned().unwrap_or_default(),
                    county_code: county,
                    lon: p.4?,
                    lat: p.5?,
                })
            })
            .collect();
        let sources: HashMap<String, SourceRow> =
            config::sources(&mut conn).await?.into_iter().map(|s| (s.code.clone(), s)).collect();
        let bureaus: HashMap<String, i64> = department::list(&mut conn)
            .await?
            .into_iter()
            .filter(|d| d.name.ends_with("综合行政执法局"))
            .map(|d| (d.region_code, d.id))
            .collect();
        (towns, sources, bureaus)
    };
    let end = now - 10 * 60_000;
    let start = end - 548 * DAY;
    let demo = demo_clues::generate(&towns, count, start, end, 20_261_126);
    let bar = ProgressBar::new(demo.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("历史案件 {bar:40.cyan/blue} {pos}/{len} {per_sec} 预计剩余 {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut rng = StdRng::seed_from_u64(7);
    let dispatcher = Actor { user_id: None, name: "指挥中心调度员".into(), ip: "seed".into() };
    // Re-reports are pushed right after their original (while it is still open), then the
    // original's case is worked on.
    let mut repeats: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, c) in demo.iter().enumerate() {
        if let Some(o) = c.duplicate_of {
            repeats.entry(o).or_default().push(i);
        }
    }
    let originals: Vec<usize> = (0..demo.len()).filter(|i| demo[*i].duplicate_of.is_none()).collect();
    for chunk in originals.chunks(CHUNK) {
        let mut tx = state.db.begin().await?;
        let mut done = 0u64;
        for &i in chunk {
            let c = &demo[i];
            let registered = (c.reported_at_ms + rng.random_range(60_000..600_000)).min(now - 60_000);
            let Some(case_id) = take_in(state, &mut tx, &sources, c, c.reported_at_ms, registered, &mut stats).await?
            else {
                done += 1;
                continue;
            };
            for &j in repeats.get(&i).map(Vec::as_slice).unwrap_or_default() {
                let reported = (c.reported_at_ms + rng.random_range(10 * 60_000..150 * 60_000)).min(now - 120_000);
                let at = (reported + rng.random_range(60_000..300_000)).min(now - 60_000);
                // Some re-reports give a spot further down the street: those need a dispatcher's look.
                let mut repeat = demo[j].clone();
                if rng.random_bool(0.25) {
                    let d = rng.random_range(120.0..190.0) / 111_000.0;
                    repeat.lon += d;
                    repeat.lat += d / 3.0;
                }
                if let Some(dup_case) = take_in(state, &mut tx, &sources, &repeat, reported, at, &mut stats).await?
                    && dup_case > 0
                {
                    let closed = live(state, &mut tx, &mut rng, dup_case, at, now, &dispatcher, &bureaus).await?;
                    count_end(&mut stats, closed);
                }
                done += 1;
            }
            if case_id > 0 {
                let closed = live(state, &mut tx, &mut rng, case_id, registered, now, &dispatcher, &bureaus).await?;
                count_end(&mut stats, closed);
            }
            done += 1;
        }
        tx.commit().await.map_err(StorageError::from)?;
        bar.inc(done);
    }
    bar.finish();
    Ok(stats)
}

fn count_end(stats: &mut Stats, closed: bool) {
    if closed {
        stats.closed += 1;
    } else {
        stats.open += 1;
    }
}

/// Push one demo clue at `registered`; the id of its new case (0 when merged), or None when refused.
async fn take_in(
    state: &AppState,
    tx: &mut Conn,
    sources: &HashMap<String, SourceRow>,
    c: &DemoClue,
    reported: i64,
    registered: i64,
    stats: &mut Stats,
) -> Result<Option<i64>, AppError> {
    let Some(source) = sources.get(&c.source_code).or_else(|| sources.get("zhiguantong")) else {
        return Ok(None);
    };
    let raw = payload(c, reported, source);
    let clue = match engine::validate(source, &raw, registered) {
        Ok(clue) => clue,
        Err(e) => {
            tracing::debug!(?e, "demo clue skipped");
            return Ok(None);
        }
    };
    let actor = Actor { user_id: None, name: format!("source:{}", source.code), ip: "seed".into() };
    let inc = Incoming {
        source,
        payload: &Payload::of(&raw),
        ahead: None,
        rules: None,
        group: None,
        new_id: false,
        actor: &actor,
        now: registered,
        registered_at: registered,
    };
    let result = match engine::intake(&state.clue, &state.cipher, tx, &inc, &clue).await {
        Ok(r) => r,
        Err(IntakeError::Api(e)) => return Err(AppError::Other(format!("intake: {e}"))),
        Err(e) => {
            tracing::debug!(?e, "demo clue refused");
            return Ok(None);
        }
    };
    stats.clues += 1;
    match result.dedup.as_str() {
        "merged" => {
            stats.merged += 1;
            return Ok(Some(0));
        }
        "suspected" => stats.suspected += 1,
        _ => {}
    }
    stats.cases += 1;
    Ok(Some(cases::case_id_by_no(tx, &result.case_no).await?.unwrap_or_default()))
}

/// The clue as its source would have sent it (in the source's own field names).
fn payload(c: &DemoClue, reported: i64, source: &SourceRow) -> Value {
    let mut v = json!({
        "source_clue_id": format!("{}-{}-{}", source.code.to_uppercase(), reported, c.town_code),
        "reported_at": format_time(reported),
        "occurred_at": format_time(reported - 20 * 60_000),
        "title": c.title,
        "description": c.description,
        "address": c.address,
        "location": {"longitude": (c.lon * 1e6).round() / 1e6, "latitude": (c.lat * 1e6).round() / 1e6, "coord_system": "wgs84"},
        "category_code": c.category_code,
        "case_type_code": c.case_type_code,
        "severity_code": c.severity_code,
    });
    if c.reporter_name.is_some() || c.reporter_phone.is_some() {
        v["reporter"] = json!({ "name": c.reporter_name, "phone": c.reporter_phone });
    }
    if let Some((kind, name, code)) = &c.subject {
        v["subject"] = json!({ "type": kind, "name": name, "credit_code": code });
    }
    // Sources with a field mapping send their own names.
    let mapping: HashMap<String, String> = serde_json::from_str(&source.field_mapping).unwrap_or_default();
    if let Value::Object(o) = &mut v {
        for (ours, theirs) in mapping {
            let value = match ours.as_str() {
                "reporter_phone" => {
                    o.get_mut("reporter").and_then(|r| r.as_object_mut()).and_then(|r| r.remove("phone"))
                }
                _ => o.remove(&ours),
            };
            if let Some(x) = value {
                o.insert(theirs, x);
            }
        }
    }
    v
}

/// Move a new case through its workflow until it ends or the next step lies in the future.
/// Returns whether it ended.
#[allow(clippy::too_many_arguments)]
async fn live(
    state: &AppState,
    tx: &mut Conn,
    rng: &mut StdRng,
    case_id: i64,
    registered: i64,
    now: i64,
    dispatcher: &Actor,
    bureaus: &HashMap<String, i64>,
) -> Result<bool, AppError> {
    let mut t = registered;
    let err = |e: xiezhi_api::ApiError| AppError::Other(format!("demo workflow: {e}"));
    // A suspected duplicate is decided by a dispatcher within hours.
    let reviews = cases::reviews_of(tx, case_id).await?;
    if let Some(r) = reviews.iter().find(|r| r.case_id == case_id && r.status == "pending") {
        t += rng.random_range(HOUR..6 * HOUR);
        if t > now {
            return Ok(false);
        }
        let merge = rng.random_bool(0.6);
        if engine::decide_review(&state.clue, tx, r.id, merge, dispatcher, t).await.is_err() {
            return Ok(false);
        }
        if merge {
            return Ok(true);
        }
    }
    let unit_actor = Actor { user_id: None, name: "责任单位处置人员".into(), ip: "seed".into() };
    let township_actor = Actor { user_id: None, name: "乡镇执法队核查员".into(), ip: "seed".into() };
    let mut returned = false;
    for _ in 0..16 {
        let c = cases::case_state(tx, case_id).await?;
        if !matches!(c.status.as_str(), "active" | "suspended") {
            return Ok(true);
        }
        let Some(activity) = c.activity.clone() else { return Ok(true) };
        let due = c.due_at;
        // Most steps finish within their time limit (working time is already in `due_at`); a few late.
        let span = due.map(|d| (d - t).max(10 * 60_000)).unwrap_or(DAY);
        let pace = |rng: &mut StdRng, late: f64| -> i64 {
            if rng.random_bool(late) {
                span + rng.random_range(HOUR..2 * DAY)
            } else {
                (span as f64 * rng.random_range(0.1..0.9)) as i64
            }
        };
        let plain = |a: &str| ActionInput { action: a.into(), ..Default::default() };
        let (delay, input, actor) = match activity.as_str() {
            "receive" => (pace(rng, 0.01), plain("accept"), dispatcher),
            "file" => {
                let d = pace(rng, 0.02);
                if rng.random_bool(0.05) {
                    (d, act("void", pick(rng, VOID)), dispatcher)
                } else {
                    (d, plain("file"), dispatcher)
                }
            }
            "dispatch" => {
                let unit = c
                    .department_id
                    .or_else(|| bureaus.get(&c.county_code).copied())
                    .or_else(|| bureaus.get("331102").copied());
                let mut a = plain("dispatch");
                a.department_id = unit;
                (pace(rng, 0.02), a, dispatcher)
            }
            "handle" => {
                let roll: f64 = rng.random();
                if roll < 0.06 && !returned {
                    returned = true;
                    (span / 4, act("return", pick(rng, RETURN)), &unit_actor)
                } else if roll < 0.11 && c.pending_extension_minutes.is_none() && c.resume_due_at.is_none() {
                    let mut a = act("request_extension", pick(rng, EXTEND));
                    a.hours = Some(*[8, 16, 24, 40].get(rng.random_range(0..4)).unwrap_or(&16));
                    (span / 2, a, &unit_actor)
                } else if roll < 0.13 {
                    (span / 3, act("suspend", pick(rng, SUSPEND)), &unit_actor)
                } else {
                    (pace(rng, 0.10), act("submit", pick(rng, SUBMIT)), &unit_actor)
                }
            }
            "extension" => {
                let d = pace(rng, 0.02);
                if rng.random_bool(0.85) {
                    (d, plain("approve"), dispatcher)
                } else {
                    (d, act("reject", "理由不充分，请按原时限办理"), dispatcher)
                }
            }
            "suspended" => (rng.random_range(5 * DAY..40 * DAY), plain("resume"), dispatcher),
            "report" => {
                let d = pace(rng, 0.02);
                if rng.random_bool(0.04) {
                    (d, act("rework", pick(rng, REWORK)), dispatcher)
                } else {
                    (d, plain("forward"), dispatcher)
                }
            }
            "verify" => {
                let d = pace(rng, 0.04);
                if rng.random_bool(0.06) {
                    (d, act("fail", pick(rng, REWORK)), &township_actor)
                } else {
                    (d, plain("pass"), &township_actor)
                }
            }
            "close" => (pace(rng, 0.02), plain("close"), dispatcher),
            _ => return Ok(false),
        };
        t += delay.max(60_000);
        if t > now {
            return Ok(false);
        }
        engine::act(&state.clue, tx, case_id, &input, actor, t).await.map_err(err)?;
    }
    Ok(false)
}

fn act(action: &str, comment: &str) -> ActionInput {
    ActionInput { action: action.into(), comment: Some(comment.into()), ..Default::default() }
}
