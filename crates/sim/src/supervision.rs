//! Simulator of the Internet+Supervision platform (F89, contract in
//! docs/integrations/supervision.md): joint-inspection records pushed behind the IRS-style
//! gateway, checked with the same rules as the client, kept in memory and answered by query.
//! Every push that takes effect is appended to the effect log (repeats included).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use xiezhi_domain::integration::gateway::{Envelope, SignParams, code};
use xiezhi_domain::integration::supervision::{
    self as sv, InspectionRecord, RecordAccepted, RecordQuery, RecordQueryAnswer, RecordStatus,
};

use crate::faults::{FaultSettings, Faults};
use crate::gateway::{Gateway, guarded};
use crate::now_ms;
use crate::province::Effect;

#[derive(Debug, Default)]
struct Inner {
    records: HashMap<String, (String, InspectionRecord)>,
    effects: Vec<Effect>,
    seq: u64,
}

#[derive(Debug, Default)]
pub struct SupervisionSim {
    pub gateway: Arc<Gateway>,
    pub faults: Faults,
    inner: Mutex<Inner>,
}

impl SupervisionSim {
    pub fn new() -> Arc<SupervisionSim> {
        Arc::new(SupervisionSim::default())
    }

    pub fn effects(&self) -> Vec<Effect> {
        self.inner.lock().map(|i| i.effects.clone()).unwrap_or_default()
    }

    fn accept(&self, r: InspectionRecord, app_key: &str) -> Result<RecordAccepted, Envelope<()>> {
        sv::check(&r).map_err(|m| Envelope::error(code::BAD_REQUEST, m))?;
        let mut inner = self.inner.lock().map_err(|_| Envelope::error(code::UPSTREAM, "内部错误"))?;
        inner.seq += 1;
        let seq = inner.seq;
        inner.effects.push(Effect {
            seq,
            at: now_ms(),
            kind: "inspection".into(),
            clue_id: r.record_id.clone(),
            app_key: app_key.into(),
        });
        let id = match inner.records.get(&r.record_id) {
            Some((id, _)) => id.clone(),
            None => format!("HLWJG{seq:08}"),
        };
        let record_id = r.record_id.clone();
        inner.records.entry(record_id.clone()).or_insert((id.clone(), r));
        Ok(RecordAccepted { record_id, supervision_id: id })
    }

    fn query(&self, q: &RecordQuery) -> RecordQueryAnswer {
        let Ok(inner) = self.inner.lock() else { return RecordQueryAnswer { items: Vec::new() } };
        RecordQueryAnswer {
            items: q
                .record_ids
                .iter()
                .filter_map(|id| {
                    inner.records.get(id).map(|(sid, _)| RecordStatus {
                        record_id: id.clone(),
                        supervision_id: sid.clone(),
                        status: "accepted".into(),
                    })
                })
                .collect(),
        }
    }
}

/// The gateway's token routes, the two interfaces and the operator routes under `/_sim/`.
pub fn router(sim: Arc<SupervisionSim>) -> Router {
    Router::new()
        .route(
            sv::RECORD_PUSH,
            post(|State(sim): State<Arc<SupervisionSim>>, Query(p): Query<SignParams>, Json(r): Json<InspectionRecord>| async move {
                guarded(&sim.faults, &sim.gateway, &p, |key| sim.accept(r, key)).await
            }),
        )
        .route(
            sv::RECORD_QUERY,
            post(|State(sim): State<Arc<SupervisionSim>>, Query(p): Query<SignParams>, Json(q): Json<RecordQuery>| async move {
                guarded(&sim.faults, &sim.gateway, &p, |_| Ok(sim.query(&q))).await
            }),
        )
        .route("/_sim/effects", get(|State(sim): State<Arc<SupervisionSim>>| async move { Json(sim.effects()) }))
        .route(
            "/_sim/faults",
            get(|State(sim): State<Arc<SupervisionSim>>| async move { Json(sim.faults.get()) }).put(
                |State(sim): State<Arc<SupervisionSim>>, Json(f): Json<FaultSettings>| async move {
                    sim.faults.set(f);
                    Json(sim.faults.get())
                },
            ),
        )
        .with_state(sim.clone())
        .merge(crate::gateway::router(sim.gateway.clone()))
}
