//! Evaluate the dedup engine on the labelled clue pairs in `tests/data/dedup_pairs.jsonl` (written
//! for this project; see docs/dedup.md) with the default settings of the global dedup setting (migration 0008).
//! Targets: auto-merge precision ≥ 0.95; recall of auto-merge + suspected ≥ 0.85.
//! `cargo test -p xiezhi-domain --test dedup_eval -- --nocapture` prints the figures.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use serde_json::Value;
use xiezhi_domain::clue::dedup::{DedupParams, Report, Segmenter, Verdict, verdict};
use xiezhi_domain::geo::Point;

/// The defaults of the global dedup setting.
pub const DEFAULTS: DedupParams = DedupParams {
    high_threshold: 0.85,
    low_threshold: 0.6,
    radius_m: 100.0,
    window_ms: 72 * 3_600_000,
    same_category: true,
    weights: xiezhi_domain::clue::dedup::DEFAULT_WEIGHTS,
};

fn load() -> Vec<Value> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/dedup_pairs.jsonl")).unwrap();
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[derive(Default, Debug)]
struct Counts {
    merged_true: usize,
    merged_false: usize,
    suspected_true: usize,
    suspected_false: usize,
    missed: usize,
    correct_distinct: usize,
}

fn evaluate(params: &DedupParams, seg: &Segmenter, pairs: &[Value]) -> (Counts, BTreeMap<String, (usize, usize)>) {
    let mut c = Counts::default();
    let mut by_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for p in pairs {
        let side = |s: &Value| {
            (
                Point { lon: s["lon"].as_f64().unwrap(), lat: s["lat"].as_f64().unwrap() },
                s["minutes"].as_i64().unwrap() * 60_000,
                s["category"].as_str().unwrap().to_owned(),
                seg.fingerprint(&format!("{} {}", s["text"].as_str().unwrap(), s["address"].as_str().unwrap())),
            )
        };
        let (pa, ta, ca, fa) = side(&p["a"]);
        let (pb, tb, cb, fb) = side(&p["b"]);
        let old = Report { point: pa, at_ms: ta, category: &ca, fingerprint: &fa };
        let new = Report { point: pb, at_ms: tb, category: &cb, fingerprint: &fb };
        let dup = p["label"] == "duplicate";
        let v = verdict(params, &new, &old);
        let right = match (v, dup) {
            (Verdict::Merge(_), true) => {
                c.merged_true += 1;
                true
            }
            (Verdict::Merge(_), false) => {
                c.merged_false += 1;
                false
            }
            (Verdict::Suspected(_), true) => {
                c.suspected_true += 1;
                true
            }
            (Verdict::Suspected(_), false) => {
                c.suspected_false += 1;
                true // a dispatcher looks at it; not an error of the automatic merge
            }
            (Verdict::Distinct, true) => {
                c.missed += 1;
                false
            }
            (Verdict::Distinct, false) => {
                c.correct_distinct += 1;
                true
            }
        };
        let e = by_kind.entry(p["kind"].as_str().unwrap().to_owned()).or_default();
        e.0 += 1;
        if right {
            e.1 += 1;
        }
    }
    (c, by_kind)
}

#[test]
fn dedup_meets_precision_and_recall_targets_on_the_labelled_pairs() {
    let pairs = load();
    assert!(pairs.len() >= 300, "{} pairs", pairs.len());
    let seg = Segmenter::default();
    let (c, by_kind) = evaluate(&DEFAULTS, &seg, &pairs);
    let merged = c.merged_true + c.merged_false;
    let duplicates = c.merged_true + c.suspected_true + c.missed;
    let precision = if merged == 0 { 0.0 } else { c.merged_true as f64 / merged as f64 };
    let recall = (c.merged_true + c.suspected_true) as f64 / duplicates as f64;
    let auto_recall = c.merged_true as f64 / duplicates as f64;
    println!("pairs {} (duplicates {duplicates}, distinct {})", pairs.len(), pairs.len() - duplicates);
    println!("{c:?}");
    println!("auto-merge precision {precision:.3}; recall auto {auto_recall:.3}; recall auto+suspected {recall:.3}");
    println!("suspected share of distinct pairs {:.3}", c.suspected_false as f64 / (pairs.len() - duplicates) as f64);
    for (k, (n, ok)) in &by_kind {
        println!("  {k:<30} {ok:>3}/{n:<3}");
    }
    assert!(precision >= 0.95, "auto-merge precision {precision:.3}");
    assert!(recall >= 0.85, "recall {recall:.3}");
}
