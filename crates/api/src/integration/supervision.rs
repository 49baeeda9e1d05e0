//! Internet+Supervision (F89): joint-inspection records are pushed to the provincial
//! Internet+Supervision platform through the outbox (contract in docs/integrations/supervision.md).
//! The inspect-once module queues a record with [`queue`] in the transaction that finishes a
//! joint inspection; the relay delivers it, reconciling by query when an answer was lost.

use serde_json::json;
use xiezhi_domain::integration::supervision::{self as sv, InspectionRecord, RecordAccepted, RecordQueryAnswer};
use xiezhi_storage::Conn;
use xiezhi_storage::outbox::{self, MessageRow, NewMessage};

use super::gateway as client;
use super::relay::{Attempt, Found, Logged, Outcome};
use super::system;
use crate::{ApiError, ApiResult, AppState};

pub const CHANNEL: &str = "supervision";

/// Queue one record (checked first; the message names the field).
pub async fn queue(tx: &mut Conn, record: &InspectionRecord, case_id: Option<i64>, now: i64) -> ApiResult<i64> {
    sv::check(record).map_err(|m| ApiError::BadRequest(format!("联合检查记录不完整：{m}")))?;
    let payload = serde_json::to_string(record).map_err(ApiError::internal)?;
    Ok(outbox::enqueue(
        tx,
        &NewMessage {
            channel: CHANNEL,
            target_id: 0,
            ordering_key: &format!("supervision:{}", record.record_id),
            event_id: &record.record_id,
            payload: &payload,
            case_id,
            now,
        },
    )
    .await?)
}

pub async fn deliver(state: &AppState, http: &reqwest::Client, m: &MessageRow) -> Attempt {
    let body: serde_json::Value = match serde_json::from_str(&m.payload) {
        Ok(v) => v,
        Err(e) => return Attempt { outcome: Outcome::Rejected(format!("消息无法解析：{e}")), log: Vec::new() },
    };
    let s = match super::settings(state, system::SUPERVISION).await {
        Ok(s) if s.enabled => s,
        Ok(_) => return Attempt { outcome: Outcome::Retry("互联网+监管对接已停用".into()), log: Vec::new() },
        Err(e) => return Attempt { outcome: Outcome::Retry(e.to_string()), log: Vec::new() },
    };
    client::push_attempt(&state.tokens, http, &s, sv::RECORD_PUSH, &body, |a: RecordAccepted| a.supervision_id).await
}

pub async fn reconcile(state: &AppState, http: &reqwest::Client, m: &MessageRow) -> (Found, Vec<Logged>) {
    let s = match super::settings(state, system::SUPERVISION).await {
        Ok(s) => s,
        Err(e) => return (Found::Unknown(e.to_string()), Vec::new()),
    };
    let id = m.event_id.clone();
    let body = json!({ "recordIds": [id] });
    client::query_found(&state.tokens, http, &s, sv::RECORD_QUERY, &body, |a: RecordQueryAnswer| {
        a.items.into_iter().find(|i| i.record_id == id).map(|i| i.supervision_id)
    })
    .await
}
