//! Clue intake benchmark (issue 3): `cargo bench -p xiezhi-server --bench intake` (release build).
//!
//! On a fresh data dir (SQLite, or PostgreSQL when `XIEZHI_BENCH_DATABASE_URL` is set) with the demo
//! data (no clue history), 1,000,000 existing cases are bulk-inserted with one SQL statement
//! (deterministic spread: 85 % in the Lishui city area lon 119.85–120.00, lat 28.40–28.50, 15 % in
//! the other counties; reported over the last 548 days; 2 % still open) plus the clue of each, then
//! `ANALYZE` (PostgreSQL: `VACUUM ANALYZE` and `CHECKPOINT`). Measured:
//! - the machine's bare single-row insert-transaction rate (SQLite: own file, WAL,
//!   `synchronous=FULL`; PostgreSQL: one connection, default `synchronous_commit`), sequential, 3 s;
//! - the floor under merged clues: the three rows each merged clue writes (clue, timeline event,
//!   the case's clue count), with the platform's storage functions, 500 per transaction, into
//!   random open cases of the preloaded database, 3 s;
//! - the dedup candidate query (`candidates_near`, 9 cells, ±72 h) against the 1M cases;
//! - dedup scoring per clue in-process (segmentation + scoring against 0–30 candidates);
//! - over HTTP against the real `xiezhi` release binary (pinned with `taskset`, see `common`),
//!   signed as a registered source: single-clue intake at maximum throughput (closed loop, 16 and
//!   64 connections, or those of `XIEZHI_BENCH_SINGLE_CONNS`), batch intake of 500 clues (closed
//!   loop, 2 and 4 connections, or those of `XIEZHI_BENCH_BATCH_CONNS`), and latency at a fixed
//!   500 clues/s (open loop, measured from each request's scheduled send time).
//!
//! Every clue is fresh (its own `source_clue_id`, category E0502, a random point in the city area).
//! Each HTTP phase reports its clues a week apart from the other phases, so the clues of one phase
//! are never dedup candidates of the next and the phases do not depend on each other's volume.
//!
//! Prints a Markdown table for docs/performance.md.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use sqlx::{AnyConnection, Connection};
use xiezhi_domain::clue::dedup::{DedupParams, Fingerprint, Report, Segmenter, Verdict, verdict};
use xiezhi_domain::clue::intake::format_time;
use xiezhi_domain::geo::Point;
use xiezhi_storage::clue::case::{
    CellProbe, NewClue, NewEvent, add_clues, candidates_near, dedup_params, insert_clues, insert_events,
    reserve_clue_ids,
};

use common::{Conn, Creds, ms, percentile, push, register_source};

/// Existing cases; `XIEZHI_BENCH_PRELOAD` lowers it for quick profiling runs (the documented
/// figures use the default).
fn preload_count() -> i64 {
    std::env::var("XIEZHI_BENCH_PRELOAD").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000)
}

/// Phases to run (`XIEZHI_BENCH_PHASES`, comma-separated from open, single, batch; default all).
fn phase(name: &str) -> bool {
    std::env::var("XIEZHI_BENCH_PHASES").map(|v| v.split(',').any(|p| p.trim() == name)).unwrap_or(true)
}
/// Connections of the closed-loop phases: single pushes (`XIEZHI_BENCH_SINGLE_CONNS`, default 16
/// and 64) or batches (`XIEZHI_BENCH_BATCH_CONNS`, default 2 and 4), comma-separated.
fn conn_counts(var: &str, default: &[u64]) -> Vec<u64> {
    std::env::var(var)
        .ok()
        .map(|v| v.split(',').filter_map(|c| c.trim().parse().ok()).collect())
        .unwrap_or_else(|| default.to_vec())
}

const HISTORY_DAYS: i64 = 548;
const DAY_MS: i64 = 86_400_000;
/// Lishui city area: lon 119.85–120.00, lat 28.40–28.50.
const LON: (f64, f64) = (119.85, 120.00);
const LAT: (f64, f64) = (28.40, 28.50);
const DURATION: Duration = Duration::from_secs(10);
const BARE_DURATION: Duration = Duration::from_secs(3);
const FIXED_RATE: u64 = 500;
const OPEN_LOOP_CONNS: u64 = 64;
const BATCH: usize = 500;
const SCORED_CLUES: usize = 10_000;
const CANDIDATE_QUERIES: usize = 2_000;

const SINGLE_PATH: &str = "/api/intake/v1/clues";
const BATCH_PATH: &str = "/api/intake/v1/clues/batch";

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

// ---- realistic clue text -------------------------------------------------------------------------

const STREETS: &[&str] = &[
    "中山街",
    "解放街",
    "大众街",
    "丽阳街",
    "紫金路",
    "人民街",
    "继光街",
    "灯塔街",
    "括苍路",
    "花园路",
    "万象路",
    "城东路",
    "白云山路",
    "丽青路",
    "中东路",
    "府前路",
    "三岩寺路",
    "囿山路",
    "宛山路",
    "应星路",
];
const PLACES: &[&str] =
    &["菜市场", "实验小学", "中心医院", "公交站", "农贸市场", "万地广场", "汽车站", "幼儿园", "小区南门", "百货大楼"];
const GOODS: &[&str] = &["水果", "西瓜", "杨梅", "甘蔗", "蔬菜", "小吃", "衣服", "杂货"];
const SHOPS: &[&str] = &["水果店", "五金店", "小吃店", "电动车维修店", "便利店"];

/// (category code, templates): `{s}`/`{t}` streets, `{p}` a place, `{g}` goods, `{h}` a shop.
const TEMPLATES: &[(&str, &[&str])] = &[
    (
        "E0502",
        &[
            "{s}与{t}交叉口{p}门口有流动摊贩占道经营，卖{g}的三轮车停在人行道上，行人只能走到机动车道上",
            "{s}{p}旁早上卖菜的把菜摊摆到马路上，车辆通行受阻，请尽快处理",
            "{s}{p}附近夜宵摊把桌椅摆到人行道上，一直营业到凌晨，路都走不了",
            "{s}{p}有人铺布摆地摊卖{g}，就挡在人行道中间",
            "{s}{p}东侧人行道有{g}摊占道经营，摊位延伸至非机动车道",
            "{s}{p}门口卖鱼的把盆摆在路边，水流了一地，又脏又臭还占道",
            "市民反映{s}靠近{t}路口每天傍晚都有流动摊贩卖{g}，占用人行道，希望管一管",
            "{s}{p}早市菜农占道摆摊多处，车辆通行受阻",
        ],
    ),
    (
        "E0503",
        &[
            "{s}{p}旁边那家{h}把货全摆在门口人行道上，走路都要绕",
            "{s}{h}店外摆放桌椅货架经营，占用人行道，多次劝导未改",
        ],
    ),
    ("E0501", &["{s}{p}有流动游商兜售{g}，未见证照", "{s}与{t}路口有无证游商推车叫卖{g}"]),
    ("E0108", &["{s}{p}门口乱堆物堆料，纸箱堆满人行道", "{s}{p}后面空地上乱堆乱放建筑材料，影响通行"]),
    ("C0101", &["{s}{p}门口窨井盖缺失，晚上很危险", "{s}与{t}交叉口雨水井盖破损松动，车辆经过哐哐响"]),
];

fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

/// (description, address) of a clue of `category`.
fn clue_text(rng: &mut StdRng, category: &str) -> (String, String) {
    let templates = TEMPLATES.iter().find(|t| t.0 == category).map(|t| t.1).unwrap_or(TEMPLATES[0].1);
    let (s, t) = (pick(rng, STREETS), pick(rng, STREETS));
    let text = pick(rng, templates)
        .replace("{s}", s)
        .replace("{t}", t)
        .replace("{p}", pick(rng, PLACES))
        .replace("{g}", pick(rng, GOODS))
        .replace("{h}", pick(rng, SHOPS));
    (text, format!("丽水市莲都区{s}"))
}

/// Category of the `k`-th preloaded text: 60 % E0502, the rest its neighbours and other families.
fn category_of(k: usize) -> &'static str {
    match k % 10 {
        0..=5 => "E0502",
        6 => "E0503",
        7 => "E0501",
        8 => "E0108",
        _ => "C0101",
    }
}

fn random_point(rng: &mut StdRng) -> Point {
    Point { lon: rng.random_range(LON.0..LON.1), lat: rng.random_range(LAT.0..LAT.1) }
}

// ---- preload --------------------------------------------------------------------------------------

async fn id_of(c: &mut AnyConnection, table: &str, code: &str) -> i64 {
    let sql = format!("SELECT id FROM {table} WHERE code = $1");
    let (id,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(code).fetch_one(&mut *c).await.unwrap();
    id
}

struct PreloadText {
    category: String,
    terms: String,
}

/// Bulk-insert the existing cases with one statement; returns the stored texts (for the scoring).
async fn preload(url: &str, pg: bool, seg: &Segmenter, now: i64) -> Vec<PreloadText> {
    let mut c = AnyConnection::connect(url).await.unwrap();
    if !pg {
        // The bulk insert touches every page of the indexes; give it a real cache.
        sqlx::query("PRAGMA cache_size = -262144").execute(&mut c).await.unwrap();
    }
    let case_type = id_of(&mut c, "case_types", "patrol").await;
    let severity = id_of(&mut c, "severities", "normal").await;
    let source = id_of(&mut c, "sources", "zhiguantong").await;
    let (workflow_version,): (i64,) =
        sqlx::query_as("SELECT MIN(id) FROM workflow_versions").fetch_one(&mut c).await.unwrap();

    // 64 texts, segmented as the engine stores them.
    sqlx::query(
        "CREATE TEMP TABLE bench_texts (k BIGINT PRIMARY KEY, category_id BIGINT NOT NULL, title TEXT NOT NULL, \
         description TEXT NOT NULL, address TEXT NOT NULL, terms TEXT NOT NULL)",
    )
    .execute(&mut c)
    .await
    .unwrap();
    let mut rng = StdRng::seed_from_u64(1);
    let mut texts = Vec::new();
    for k in 0..64 {
        let category = category_of(k);
        let category_id = id_of(&mut c, "categories", category).await;
        let (description, address) = clue_text(&mut rng, category);
        let terms = seg.fingerprint(&format!("{description} {address}")).terms.join(" ");
        let title: String = description.chars().take(30).collect();
        sqlx::query("INSERT INTO bench_texts VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(k as i64)
            .bind(category_id)
            .bind(title)
            .bind(description)
            .bind(address)
            .bind(terms.clone())
            .execute(&mut c)
            .await
            .unwrap();
        texts.push(PreloadText { category: category.to_owned(), terms });
    }

    // 100 placement slots: 85 in the city area (its six streets), 15 around township points of the
    // other counties (±0.02°).
    sqlx::query(
        "CREATE TEMP TABLE bench_places (k BIGINT PRIMARY KEY, region_code TEXT NOT NULL, county_code TEXT NOT NULL, \
         lon0 DOUBLE PRECISION NOT NULL, lat0 DOUBLE PRECISION NOT NULL, dlon DOUBLE PRECISION NOT NULL, \
         dlat DOUBLE PRECISION NOT NULL)",
    )
    .execute(&mut c)
    .await
    .unwrap();
    let city: Vec<(String,)> = sqlx::query_as(
        "SELECT code FROM regions WHERE parent_code = '331102' AND level = 'township' AND code < '331102100' ORDER BY code",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    let others: Vec<(String, String, f64, f64)> = sqlx::query_as(
        "SELECT r.code, r.parent_code, r.center_lon, r.center_lat FROM regions r WHERE r.level = 'township' \
         AND r.parent_code <> '331102' AND r.center_lon IS NOT NULL \
         AND r.code = (SELECT MIN(x.code) FROM regions x WHERE x.parent_code = r.parent_code AND x.level = 'township') \
         ORDER BY r.code",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    assert!(!city.is_empty() && !others.is_empty());
    for k in 0..100usize {
        let (region, county, lon0, lat0, dlon, dlat) = if k < 85 {
            (city[k % city.len()].0.clone(), "331102".to_owned(), LON.0, LAT.0, LON.1 - LON.0, LAT.1 - LAT.0)
        } else {
            let o = &others[k % others.len()];
            (o.0.clone(), o.1.clone(), o.2 - 0.02, o.3 - 0.02, 0.04, 0.04)
        };
        sqlx::query("INSERT INTO bench_places VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(k as i64)
            .bind(region)
            .bind(county)
            .bind(lon0)
            .bind(lat0)
            .bind(dlon)
            .bind(dlat)
            .execute(&mut c)
            .await
            .unwrap();
    }

    // Deterministic spread: multiplicative hashes of the row number modulo primes.
    let (numbers, grid) = if pg {
        (
            format!("n(i) AS (SELECT generate_series(1::bigint, {}))", preload_count()),
            "CAST(floor(g.lon * 200) AS BIGINT) * 100000 + CAST(floor(g.lat * 200) AS BIGINT)",
        )
    } else {
        (
            format!("RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {})", preload_count()),
            "CAST(g.lon * 200 AS INTEGER) * 100000 + CAST(g.lat * 200 AS INTEGER)",
        )
    };
    let span = HISTORY_DAYS * DAY_MS;
    let sql = format!(
        "WITH {numbers} \
         INSERT INTO cases (case_no, title, description, address, region_code, county_code, lon, lat, grid_cell, \
           category_id, case_type_id, severity_id, source_id, reported_at, status, activity, activity_name, tier, \
           grading, workflow_version_id, dedup_terms, created_at, updated_at, closed_at) \
         SELECT 'BENCH' || g.i, t.title, t.description, t.address, g.region_code, g.county_code, g.lon, g.lat, {grid}, \
           t.category_id, {case_type}, {severity}, {source}, g.reported_at, \
           CASE WHEN g.i % 50 = 0 THEN 'active' ELSE 'closed' END, \
           CASE WHEN g.i % 50 = 0 THEN 'handle' ELSE 'closed' END, \
           CASE WHEN g.i % 50 = 0 THEN '处置' ELSE '已结案' END, \
           'county', 'auto', {workflow_version}, t.terms, g.reported_at, g.reported_at, \
           CASE WHEN g.i % 50 = 0 THEN NULL ELSE g.reported_at + {DAY_MS} * 2 END \
         FROM (SELECT n.i AS i, p.region_code AS region_code, p.county_code AS county_code, \
                 p.lon0 + p.dlon * CAST((n.i * 2654435761) % 1000003 AS DOUBLE PRECISION) / 1000003 AS lon, \
                 p.lat0 + p.dlat * CAST((n.i * 2246822519) % 999983 AS DOUBLE PRECISION) / 999983 AS lat, \
                 {now} - CAST(CAST((n.i * 3266489917) % 1000033 AS DOUBLE PRECISION) / 1000033 * {span} AS BIGINT) AS reported_at \
               FROM n JOIN bench_places p ON p.k = n.i % 100) g \
         JOIN bench_texts t ON t.k = g.i % 64"
    );
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut c).await.unwrap();
    assert_eq!(r.rows_affected(), preload_count() as u64);
    // Every case came from a clue: the clue table (idempotency look-ups, the first clue of a case)
    // has the same size, and its statistics are not those of an empty table.
    let r = sqlx::query(
        "INSERT INTO clues (source_id, source_clue_id, payload_hash, raw_payload, case_id, dedup, received_at, \
         reported_at, description, address, lon, lat, coord_system, region_code, category_id, result) \
         SELECT source_id, case_no, 'preloaded', '{\"description\":\"' || description || '\"}', id, 'new', reported_at, \
         reported_at, description, address, lon, lat, 'wgs84', region_code, category_id, \
         '{\"case_no\":\"' || case_no || '\",\"dedup\":\"new\"}' FROM cases WHERE case_no LIKE 'BENCH%'",
    )
    .execute(&mut c)
    .await
    .unwrap();
    assert_eq!(r.rows_affected(), preload_count() as u64);
    sqlx::query("DROP TABLE bench_texts").execute(&mut c).await.unwrap();
    sqlx::query("DROP TABLE bench_places").execute(&mut c).await.unwrap();
    // Production databases have statistics and a vacuumed heap (autovacuum / `PRAGMA optimize`).
    if pg {
        sqlx::query("VACUUM ANALYZE").execute(&mut c).await.unwrap();
        // Write the bulk load out now rather than during the measurements (needs the
        // `pg_checkpoint` role, which scripts/bench.sh grants; skipped without it).
        if let Err(e) = sqlx::query("CHECKPOINT").execute(&mut c).await {
            println!("note: no CHECKPOINT after the preload ({e}); the background checkpoint may overlap the load");
        }
    } else {
        sqlx::query("ANALYZE").execute(&mut c).await.unwrap();
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut c).await.unwrap();
    }
    c.close().await.unwrap();
    texts
}

// ---- in-process measures ----------------------------------------------------------------------------

/// Probes of the 3×3 grid cells around a point (cells of 0.005°, as the engine's `grid_cell`): one
/// range of 3 cells per column, without the engine's narrowing to the distance box.
fn nine_cells(p: Point, from: i64, to: i64) -> Vec<CellProbe> {
    let (x, y) = ((p.lon * 200.0).floor() as i64, (p.lat * 200.0).floor() as i64);
    (x - 1..=x + 1)
        .map(|x| CellProbe {
            probe: 0,
            cells: (x * 100_000 + y - 1, x * 100_000 + y + 1),
            bbox: [-180.0, -90.0, 180.0, 90.0],
            from,
            to,
        })
        .collect()
}

/// The candidate query of a fresh clue at 2,000 random points: latencies and candidates found.
async fn candidate_queries(url: &str, now: i64) -> (Vec<Duration>, Vec<usize>) {
    // A plain connection (default page cache).
    let mut c = AnyConnection::connect(url).await.unwrap();
    let mut rng = StdRng::seed_from_u64(2);
    let window = 72 * 3_600_000;
    let (mut lat, mut found) = (Vec::new(), Vec::new());
    for _ in 0..CANDIDATE_QUERIES {
        let probes = nine_cells(random_point(&mut rng), now - window, now + window);
        let t = Instant::now();
        let rows = candidates_near(&mut c, &probes, None).await.unwrap();
        lat.push(t.elapsed());
        found.push(rows.len());
    }
    c.close().await.unwrap();
    lat.sort();
    (lat, found)
}

async fn dedup_settings(url: &str) -> DedupParams {
    let mut c = AnyConnection::connect(url).await.unwrap();
    let category = id_of(&mut c, "categories", "E0502").await;
    let s = dedup_params(&mut c, category).await.unwrap();
    c.close().await.unwrap();
    s.params()
}

/// Dedup scoring as the engine does it per clue: fingerprint the text, rebuild each candidate's
/// fingerprint from its stored terms and score it. Clue `i` sees `i % 31` candidates (0–30), with
/// stored texts of the preload, within 300 m and ±72 h.
fn dedup_scoring(seg: &Segmenter, params: &DedupParams, stored: &[PreloadText], now: i64) -> (Vec<Duration>, usize) {
    let mut rng = StdRng::seed_from_u64(3);
    let mut clues = Vec::with_capacity(SCORED_CLUES);
    for i in 0..SCORED_CLUES {
        let (d, a) = clue_text(&mut rng, if i % 4 == 0 { category_of(i / 4) } else { "E0502" });
        let p = random_point(&mut rng);
        let cands: Vec<(Point, i64, usize)> = (0..i % 31)
            .map(|_| {
                let q = Point {
                    lon: p.lon + rng.random_range(-0.003..0.003),
                    lat: p.lat + rng.random_range(-0.0027..0.0027),
                };
                (q, now - rng.random_range(0..params.window_ms), rng.random_range(0..stored.len()))
            })
            .collect();
        clues.push((format!("{d} {a}"), p, cands));
    }
    let (mut lat, mut hits) = (Vec::with_capacity(SCORED_CLUES), 0usize);
    for (text, p, cands) in &clues {
        let t = Instant::now();
        let fp = seg.fingerprint(text);
        let new = Report { point: *p, at_ms: now, category: "E0502", fingerprint: &fp };
        let mut best: Option<Verdict> = None;
        for (q, at, k) in cands {
            let cfp = Fingerprint::from_terms(
                stored[*k].terms.split(' ').filter(|t| !t.is_empty()).map(str::to_owned).collect(),
            );
            let old = Report { point: *q, at_ms: *at, category: &stored[*k].category, fingerprint: &cfp };
            let v = verdict(params, &new, &old);
            if !matches!(v, Verdict::Distinct) {
                best = Some(v);
            }
        }
        lat.push(t.elapsed());
        hits += usize::from(std::hint::black_box(best).is_some());
    }
    lat.sort();
    (lat, hits)
}

/// Sequential single-row insert transactions for `BARE_DURATION`: transactions per second.
async fn bare_insert_rate(dir: &Path, pg_url: Option<&str>) -> f64 {
    let url = match pg_url {
        Some(u) => u.to_owned(),
        None => format!("sqlite://{}?mode=rwc", dir.join("bare.db").display()),
    };
    let mut c = AnyConnection::connect(&url).await.unwrap();
    if pg_url.is_none() {
        sqlx::query("PRAGMA journal_mode = WAL").execute(&mut c).await.unwrap();
        sqlx::query("PRAGMA synchronous = FULL").execute(&mut c).await.unwrap();
    }
    sqlx::query("DROP TABLE IF EXISTS bench_bare").execute(&mut c).await.unwrap();
    sqlx::query("CREATE TABLE bench_bare (id BIGINT PRIMARY KEY, payload TEXT NOT NULL, at BIGINT NOT NULL)")
        .execute(&mut c)
        .await
        .unwrap();
    let payload = "线索".repeat(100);
    let start = Instant::now();
    let mut n = 0i64;
    while start.elapsed() < BARE_DURATION {
        let mut tx = c.begin().await.unwrap();
        sqlx::query("INSERT INTO bench_bare (id, payload, at) VALUES ($1, $2, $3)")
            .bind(n)
            .bind(&payload)
            .bind(now_ms())
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        n += 1;
    }
    let rate = n as f64 / start.elapsed().as_secs_f64();
    sqlx::query("DROP TABLE bench_bare").execute(&mut c).await.unwrap();
    c.close().await.unwrap();
    rate
}

/// The floor under merged clues: only the rows that every merged clue writes (its clue, its
/// timeline event, its case's clue count), with the platform's own storage functions as its intake
/// writer calls them, into random open cases of the preloaded database, `BATCH` clues per
/// transaction, for `BARE_DURATION`. Clues per second. (The clues stay: like merges, they only add
/// to the clue counts of cases.)
async fn merge_floor_rate(url: &str, pg: bool) -> f64 {
    let mut c = AnyConnection::connect(url).await.unwrap();
    if !pg {
        // As the intake writer's connection (`Db::writer_conn`).
        for pragma in ["PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON", "PRAGMA cache_size = -32768"] {
            sqlx::query(pragma).execute(&mut c).await.unwrap();
        }
    }
    let open: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT id, category_id, region_code FROM cases WHERE case_no LIKE 'BENCH%' AND status = 'active'",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    let (source,): (i64,) = sqlx::query_as("SELECT source_id FROM cases WHERE case_no LIKE 'BENCH%' LIMIT 1")
        .fetch_one(&mut c)
        .await
        .unwrap();
    let mut rng = StdRng::seed_from_u64(11);
    let description = "丽阳街一家餐馆门前长期占道经营，桌椅摆到人行道上，行人只能绕行到机动车道，请尽快处理。";
    let address = "丽水市莲都区白云街道丽阳街";
    let payload = json!({ "description": description, "address": address, "category_code": "E0502" }).to_string();
    let start = Instant::now();
    let mut n = 0usize;
    while start.elapsed() < BARE_DURATION {
        let mut tx = c.begin().await.unwrap();
        let ids = reserve_clue_ids(&mut tx, BATCH).await.unwrap();
        let at = now_ms();
        let mut clues = Vec::with_capacity(BATCH);
        let mut events = Vec::with_capacity(BATCH);
        let mut counts = std::collections::BTreeMap::new();
        for id in ids {
            let (case_id, category_id, region_code) = open[rng.random_range(0..open.len())].clone();
            clues.push((
                id,
                NewClue {
                    source_id: source,
                    source_clue_id: format!("FLOOR-{id}"),
                    payload_hash: format!("{id:064x}"),
                    raw_payload: payload.clone(),
                    case_id,
                    dedup: "merged".into(),
                    dedup_score: Some(0.9),
                    received_at: at,
                    reported_at: at,
                    description: description.into(),
                    address: address.into(),
                    lon: Some(119.91),
                    lat: Some(28.46),
                    coord_system: Some("wgs84".into()),
                    region_code,
                    category_id,
                    result: "{}".into(),
                    ..NewClue::default()
                },
            ));
            events.push(NewEvent {
                case_id,
                at,
                actor_name: "source:bench".into(),
                action: "merge".into(),
                action_name: "合并重复线索".into(),
                comment: format!("线索 FLOOR-{id} 自动合并（相似度 0.90）"),
                data: json!({ "clue_id": id, "score": 0.9 }).to_string(),
                ..NewEvent::default()
            });
            *counts.entry(case_id).or_insert(0i64) += 1;
        }
        let counts: Vec<(i64, i64, i64)> = counts.into_iter().map(|(id, k)| (id, k, at)).collect();
        insert_clues(&mut tx, &clues).await.unwrap();
        add_clues(&mut tx, &counts).await.unwrap();
        insert_events(&mut tx, &events).await.unwrap();
        tx.commit().await.unwrap();
        n += BATCH;
    }
    let rate = n as f64 / start.elapsed().as_secs_f64();
    c.close().await.unwrap();
    rate
}

// ---- HTTP ---------------------------------------------------------------------------------------------

/// One fresh E0502 clue at a random point of the city area, reported at `at`.
fn clue(rng: &mut StdRng, id: &str, at: i64) -> Value {
    let p = random_point(rng);
    let (description, address) = clue_text(rng, "E0502");
    json!({
        "source_clue_id": id,
        "reported_at": format_time(at),
        "description": description,
        "address": address,
        "location": { "longitude": (p.lon * 1e6).round() / 1e6, "latitude": (p.lat * 1e6).round() / 1e6, "coord_system": "wgs84" },
        "category_code": "E0502",
    })
}

/// Clues accepted and their dedup verdicts; failed requests or items.
#[derive(Debug, Default, Clone)]
struct Tally {
    new: u64,
    merged: u64,
    suspected: u64,
    failed: u64,
    first_error: Option<String>,
}

impl Tally {
    fn accepted(&self) -> u64 {
        self.new + self.merged + self.suspected
    }

    fn result(&mut self, r: &Value) {
        match r["dedup"].as_str() {
            Some("merged") => self.merged += 1,
            Some("suspected") => self.suspected += 1,
            _ => self.new += 1,
        }
    }

    fn fail(&mut self, what: String) {
        self.failed += 1;
        self.first_error.get_or_insert(what);
    }

    /// Count the answer of a single or batch push.
    fn answer(&mut self, status: u16, body: &str, batch: bool) {
        let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        match (status, batch) {
            (200 | 201, false) => self.result(&v),
            (200, true) => {
                for item in v["results"].as_array().map(Vec::as_slice).unwrap_or_default() {
                    if item["ok"] == true {
                        self.result(&item["result"]);
                    } else {
                        self.fail(item["error"].to_string());
                    }
                }
            }
            _ => self.fail(format!("{status} {}", body.chars().take(300).collect::<String>())),
        }
    }

    fn add(&mut self, o: Tally) {
        self.new += o.new;
        self.merged += o.merged;
        self.suspected += o.suspected;
        self.failed += o.failed;
        if self.first_error.is_none() {
            self.first_error = o.first_error;
        }
    }

    fn verdicts(&self) -> String {
        format!("new {} / merged {} / suspected {}", self.new, self.merged, self.suspected)
    }
}

/// CPU time (user + system) of a process and of the whole machine, in clock ticks (1/100 s).
fn cpu_ticks(pid: u32) -> (u64, u64) {
    let proc = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = proc.rsplit_once(')').map(|r| r.1).unwrap_or_default().split_whitespace().collect();
    let own = fields.get(11).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
        + fields.get(12).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let all: Vec<u64> =
        stat.lines().next().unwrap_or_default().split_whitespace().skip(1).filter_map(|v| v.parse().ok()).collect();
    // user nice system idle iowait irq softirq steal: busy = all but idle and iowait.
    let busy = all.iter().sum::<u64>() - all.get(3).copied().unwrap_or(0) - all.get(4).copied().unwrap_or(0);
    (own, busy)
}

#[derive(Default)]
struct Phase {
    clues_per_s: f64,
    requests: u64,
    latency: Vec<Duration>,
    tally: Tally,
    /// CPU per accepted clue of the server, of this bench (the client) and of everything else
    /// (the database server, kernel threads, other processes); machine-wide busy cores.
    server_cpu_per_clue: Duration,
    client_cpu_per_clue: Duration,
    other_cpu_per_clue: Duration,
    machine_busy_cores: f64,
}

impl Phase {
    fn verdicts(&self) -> String {
        let mut s = self.tally.verdicts();
        if self.tally.failed > 0 {
            s.push_str(&format!(
                ", FAILED {} (first: {})",
                self.tally.failed,
                self.tally.first_error.as_deref().unwrap_or("")
            ));
        }
        s
    }

    fn cpu(&self) -> String {
        format!(
            "CPU per clue: server {:.2} ms, bench client {:.2} ms, rest (database, kernel) {:.2} ms; machine busy {:.1} of {} cores",
            self.server_cpu_per_clue.as_secs_f64() * 1000.0,
            self.client_cpu_per_clue.as_secs_f64() * 1000.0,
            self.other_cpu_per_clue.as_secs_f64() * 1000.0,
            self.machine_busy_cores,
            std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0)
        )
    }
}

/// Reporting time of a clue of phase `slot`: phases lie a week apart (beyond the dedup window).
fn reported_at(rng: &mut StdRng, slot: i64) -> i64 {
    now_ms() - slot * 7 * DAY_MS - rng.random_range(0..300_000)
}

async fn measured<F: std::future::Future<Output = (Vec<Duration>, Tally, u64)>>(pid: u32, run: F) -> Phase {
    let ((own0, busy0), (client0, _)) = (cpu_ticks(pid), cpu_ticks(std::process::id()));
    let t = Instant::now();
    let (mut latency, tally, requests) = run.await;
    let elapsed = t.elapsed();
    let ((own1, busy1), (client1, _)) = (cpu_ticks(pid), cpu_ticks(std::process::id()));
    latency.sort();
    let accepted = tally.accepted().max(1);
    let per_clue = |ticks: u64| Duration::from_secs_f64(ticks as f64 / 100.0 / accepted as f64);
    let (server, client) = (own1 - own0, client1 - client0);
    Phase {
        clues_per_s: tally.accepted() as f64 / elapsed.as_secs_f64(),
        requests,
        latency,
        server_cpu_per_clue: per_clue(server),
        client_cpu_per_clue: per_clue(client),
        other_cpu_per_clue: per_clue((busy1 - busy0).saturating_sub(server + client)),
        machine_busy_cores: (busy1 - busy0) as f64 / 100.0 / elapsed.as_secs_f64(),
        tally,
    }
}

/// Closed loop: `conns` connections each pushing back to back for `DURATION` (`batch` clues per
/// request, 1 = the single-clue endpoint). Throughput counts until the last answer.
async fn closed_loop(addr: &str, creds: &Arc<Creds>, pid: u32, conns: u64, batch: usize, slot: i64) -> Phase {
    measured(pid, async {
        let deadline = Instant::now() + DURATION;
        let mut tasks = Vec::new();
        for k in 0..conns {
            let (addr, creds) = (addr.to_owned(), creds.clone());
            tasks.push(tokio::spawn(async move {
                let mut c = Conn::open(&addr).await;
                let mut rng = StdRng::seed_from_u64(((slot as u64) << 32) + k);
                let (mut lat, mut tally, mut n) = (Vec::new(), Tally::default(), 0u64);
                while Instant::now() < deadline {
                    let (path, body) = if batch == 1 {
                        let at = reported_at(&mut rng, slot);
                        (SINGLE_PATH, clue(&mut rng, &format!("S{slot}-{k}-{n}"), at).to_string())
                    } else {
                        let items: Vec<Value> = (0..batch)
                            .map(|j| {
                                let at = reported_at(&mut rng, slot);
                                clue(&mut rng, &format!("B{slot}-{k}-{n}-{j}"), at)
                            })
                            .collect();
                        (BATCH_PATH, json!({ "clues": items }).to_string())
                    };
                    let t = Instant::now();
                    let (status, resp) = push(&mut c, &creds, path, &body).await;
                    lat.push(t.elapsed());
                    tally.answer(status, &resp, batch > 1);
                    n += 1;
                }
                (lat, tally, n)
            }));
        }
        let (mut lat, mut tally, mut requests) = (Vec::new(), Tally::default(), 0);
        for t in tasks {
            let (l, y, n) = t.await.unwrap();
            lat.extend(l);
            tally.add(y);
            requests += n;
        }
        (lat, tally, requests)
    })
    .await
}

/// Open loop at `FIXED_RATE` single-clue requests per second for `DURATION`, scheduled round-robin
/// over `OPEN_LOOP_CONNS` connections; latency from each request's scheduled send time.
async fn open_loop(addr: &str, creds: &Arc<Creds>, pid: u32, slot: i64) -> Phase {
    measured(pid, async {
        let n = FIXED_RATE * DURATION.as_secs();
        let interval = Duration::from_secs_f64(1.0 / FIXED_RATE as f64);
        let start = Instant::now() + Duration::from_millis(200);
        let mut tasks = Vec::new();
        for k in 0..OPEN_LOOP_CONNS {
            let (addr, creds) = (addr.to_owned(), creds.clone());
            tasks.push(tokio::spawn(async move {
                let mut c = Conn::open(&addr).await;
                let mut rng = StdRng::seed_from_u64(((slot as u64) << 32) + k);
                let (mut lat, mut tally, mut i) = (Vec::new(), Tally::default(), k);
                while i < n {
                    let due = start + interval * i as u32;
                    let at = reported_at(&mut rng, slot);
                    let body = clue(&mut rng, &format!("O{slot}-{i}"), at).to_string();
                    tokio::time::sleep_until(due.into()).await;
                    let (status, resp) = push(&mut c, &creds, SINGLE_PATH, &body).await;
                    lat.push(due.elapsed());
                    tally.answer(status, &resp, false);
                    i += OPEN_LOOP_CONNS;
                }
                (lat, tally, 0)
            }));
        }
        let (mut lat, mut tally) = (Vec::new(), Tally::default());
        for t in tasks {
            let (l, y, _) = t.await.unwrap();
            lat.extend(l);
            tally.add(y);
        }
        let requests = lat.len() as u64;
        (lat, tally, requests)
    })
    .await
}

fn thousands(v: f64) -> String {
    let s = format!("{:.0}", v);
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Whether a target is met, by a phase that ran (`XIEZHI_BENCH_PHASES`).
fn met(ran: bool, ok: bool) -> &'static str {
    match (ran, ok) {
        (false, _) => "not measured",
        (true, true) => "met",
        (true, false) => "**not met**",
    }
}

#[tokio::main]
async fn main() {
    let pg_url = std::env::var("XIEZHI_BENCH_DATABASE_URL").ok();
    let pg = pg_url.is_some();
    let (dir, guard) = common::fresh_dir("intake");
    common::seed_demo(&dir).await;
    let url = common::database_url(&dir);
    sqlx::any::install_default_drivers();

    let t = Instant::now();
    let seg = Segmenter::default();
    let segmenter_load = t.elapsed();
    let now = now_ms();
    eprintln!("preloading {} cases …", preload_count());
    let t = Instant::now();
    let stored = preload(&url, pg, &seg, now).await;
    let preload_time = t.elapsed();
    eprintln!("preloaded in {:.1} s", preload_time.as_secs_f64());

    let (cand_lat, found) = candidate_queries(&url, now).await;
    let params = dedup_settings(&url).await;
    let (score_lat, score_hits) = dedup_scoring(&seg, &params, &stored, now);
    let bare = bare_insert_rate(&dir, pg_url.as_deref()).await;
    eprintln!("bare insert transactions: {bare:.0}/s");
    let floor = merge_floor_rate(&url, pg).await;
    eprintln!("merge floor: {floor:.0} clues/s");

    let server = common::serve(&dir);
    let pid = server.child.id();
    eprintln!("server pid {pid}");
    let creds = Arc::new(register_source(&server.addr, &dir).await);
    // Warm-up (the segmenter's dictionary and the region index load on the first clue).
    let mut c = Conn::open(&server.addr).await;
    let mut rng = StdRng::seed_from_u64(9);
    let mut warm = Tally::default();
    for i in 0..50 {
        let at = reported_at(&mut rng, 9);
        let (status, resp) =
            push(&mut c, &creds, SINGLE_PATH, &clue(&mut rng, &format!("W-{i}"), at).to_string()).await;
        warm.answer(status, &resp, false);
    }
    // Whatever else runs on the machine shows here (should be close to 0).
    let (_, busy0) = cpu_ticks(pid);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (_, busy1) = cpu_ticks(pid);
    let idle_busy = (busy1 - busy0) as f64 / 100.0;

    eprintln!("open loop at {FIXED_RATE}/s …");
    let open = if phase("open") { open_loop(&server.addr, &creds, pid, 0).await } else { Default::default() };
    let mut singles = Vec::new();
    // Each phase its own week (slot): the open loop 0, then the single pushes, then the batches.
    let single_conns = conn_counts("XIEZHI_BENCH_SINGLE_CONNS", &[16, 64]);
    for (slot, conns) in (1..).zip(single_conns.iter().copied()).filter(|_| phase("single")) {
        eprintln!("single, {conns} connections …");
        singles.push((conns, closed_loop(&server.addr, &creds, pid, conns, 1, slot).await));
    }
    let mut batches = Vec::new();
    for (slot, conns) in (1 + single_conns.len() as i64..)
        .zip(conn_counts("XIEZHI_BENCH_BATCH_CONNS", &[2, 4]))
        .filter(|_| phase("batch"))
    {
        eprintln!("batch, {conns} connections …");
        batches.push((conns, closed_loop(&server.addr, &creds, pid, conns, BATCH, slot).await));
    }
    let rss = common::rss_kib(pid);
    // The WAL file is never shrunk while the server runs: its size is the most the WAL has held.
    let wal = std::fs::metadata(dir.join("xiezhi.db-wal")).map(|m| m.len()).ok().filter(|_| !pg);
    drop(server);
    drop(guard);

    let best_single = singles.iter().map(|s| s.1.clues_per_s).fold(0.0, f64::max);
    let best_batch = batches.iter().map(|s| s.1.clues_per_s).fold(0.0, f64::max);
    let p99_open = percentile(&open.latency, 0.99);
    let p99_score = percentile(&score_lat, 0.99);
    let mean_found = found.iter().sum::<usize>() as f64 / found.len().max(1) as f64;
    let bare_cmp = |v: f64| format!("{:.2} × bare", v / bare);

    let backend = common::backend();
    println!(
        "\n| measure ({backend}, {} existing cases, release build; {}; server pinned to CPUs {}) | value | beside the bare insert rate |",
        thousands(preload_count() as f64),
        common::machine(),
        common::server_cpus()
    );
    println!("|---|---|---|");
    println!(
        "| preload of the existing cases and their clues (INSERT … SELECT, then ANALYZE) | {:.1} s | |",
        preload_time.as_secs_f64()
    );
    println!(
        "| **bare single-row insert transactions**, one connection, sequential, {} s ({}) | **{} tx/s** | 1.00 × bare |",
        BARE_DURATION.as_secs(),
        if pg { "default synchronous_commit" } else { "WAL, synchronous=FULL" },
        thousands(bare)
    );
    println!(
        "| **floor under merged clues**: only the three rows each merged clue writes (its clue, its timeline event, its case's count; the platform's storage functions, multi-row statements) into random open cases, {BATCH} clues per transaction, {} s | {} clues/s | {} |",
        BARE_DURATION.as_secs(),
        thousands(floor),
        bare_cmp(floor)
    );
    for (conns, s) in &singles {
        println!(
            "| single-clue intake, closed loop, {conns} connections, {} s: clues/s (request p50 / p99); {}; {} | {} clues/s ({} / {}) | {} |",
            DURATION.as_secs(),
            s.verdicts(),
            s.cpu(),
            thousands(s.clues_per_s),
            ms(percentile(&s.latency, 0.5)),
            ms(percentile(&s.latency, 0.99)),
            bare_cmp(s.clues_per_s)
        );
    }
    for (conns, s) in &batches {
        println!(
            "| batch intake ({BATCH} clues per request), closed loop, {conns} connections, {} s: clues/s ({} requests, request p50 / p99 {} / {}); {}; {} | {} clues/s | {} |",
            DURATION.as_secs(),
            s.requests,
            ms(percentile(&s.latency, 0.5)),
            ms(percentile(&s.latency, 0.99)),
            s.verdicts(),
            s.cpu(),
            thousands(s.clues_per_s),
            bare_cmp(s.clues_per_s)
        );
    }
    let ran_open = phase("open");
    if ran_open {
        println!(
            "| single-clue intake at a fixed {FIXED_RATE} clues/s for {} s over {OPEN_LOOP_CONNS} connections (achieved {:.0}/s): p50 / p99 / max; {}; {} | {} / {} / {} | offered {:.2} × bare |",
            DURATION.as_secs(),
            open.clues_per_s,
            open.verdicts(),
            open.cpu(),
            ms(percentile(&open.latency, 0.5)),
            ms(p99_open),
            ms(*open.latency.last().unwrap_or(&Duration::ZERO)),
            FIXED_RATE as f64 / bare
        );
    }
    println!(
        "| dedup scoring per clue, in-process ({} clues, 0–30 candidates each, {} scored as duplicates; segmenter load {}): p50 / p99 / max | {} / {} / {} | |",
        thousands(SCORED_CLUES as f64),
        score_hits,
        ms(segmenter_load),
        ms(percentile(&score_lat, 0.5)),
        ms(p99_score),
        ms(*score_lat.last().unwrap_or(&Duration::ZERO))
    );
    println!(
        "| dedup candidate query (`candidates_near`, 9 cells, ±72 h, {} random points; candidates found mean {:.1}, max {}): p50 / p99 / max | {} / {} / {} | |",
        thousands(CANDIDATE_QUERIES as f64),
        mean_found,
        found.iter().max().copied().unwrap_or(0),
        ms(percentile(&cand_lat, 0.5)),
        ms(percentile(&cand_lat, 0.99)),
        ms(*cand_lat.last().unwrap_or(&Duration::ZERO))
    );
    println!("| server resident memory after the load | {:.1} MiB | |", rss as f64 / 1024.0);
    if let Some(wal) = wal {
        println!(
            "| WAL file after the load (the most it held: it is started again, not shrunk) | {:.1} MiB | |",
            wal as f64 / 1048576.0
        );
    }
    println!(
        "| machine busy in the second before the HTTP load (other processes; should be ~0) | {idle_busy:.2} cores | |"
    );
    if warm.failed > 0 {
        println!(
            "| **warm-up (50 single clues) failures** | {} (first: {}) | |",
            warm.failed,
            warm.first_error.as_deref().unwrap_or("")
        );
    }
    println!(
        "\nTargets: single ≥ 2,000 clues/s: {} ({}); batch ≥ 20,000 clues/s: {} ({}); p99 ≤ 20 ms at {FIXED_RATE}/s: {} ({}); dedup scoring p99 ≤ 1 ms: {} ({}).",
        met(!singles.is_empty(), best_single >= 2000.0),
        thousands(best_single),
        met(!batches.is_empty(), best_batch >= 20_000.0),
        thousands(best_batch),
        met(ran_open, p99_open <= Duration::from_millis(20) && open.tally.failed == 0),
        ms(p99_open),
        met(true, p99_score <= Duration::from_millis(1)),
        ms(p99_score)
    );
}
