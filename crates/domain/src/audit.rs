//! Audit records and the hash chain that makes them tamper-evident. Each record's hash is
//! `SM3(prev_hash || '\n' || canonical(record))`; changing, deleting or reordering any row breaks the
//! chain from that row on.

use serde::{Deserialize, Serialize};

use crate::crypto::sm3_hex;

/// Hash of the (empty) chain before the first record.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Success,
    Failure,
}

impl Outcome {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Failure => "failure",
        }
    }
}

/// One audit record as it is chained. `changes` is canonical JSON text (serde_json output of a
/// `serde_json::Value`, whose maps are ordered), or empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub seq: i64,
    pub occurred_at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub ip: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub outcome: String,
    pub summary: String,
    pub changes: String,
}

impl AuditRecord {
    fn canonical(&self) -> String {
        // Length-prefixed fields so that no two different records share a canonical form.
        let fields = [
            self.seq.to_string(),
            self.occurred_at.to_string(),
            self.actor_id.map(|i| i.to_string()).unwrap_or_default(),
            self.actor_name.clone(),
            self.ip.clone(),
            self.action.clone(),
            self.target_type.clone(),
            self.target_id.clone(),
            self.outcome.clone(),
            self.summary.clone(),
            self.changes.clone(),
        ];
        let mut out = String::new();
        for f in fields {
            out.push_str(&f.len().to_string());
            out.push(':');
            out.push_str(&f);
            out.push('|');
        }
        out
    }

    pub fn chain_hash(&self, prev_hash: &str) -> String {
        sm3_hex(format!("{prev_hash}\n{}", self.canonical()).as_bytes())
    }
}

/// Result of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCheck {
    pub checked: i64,
    pub first_bad_seq: Option<i64>,
    pub reason: Option<String>,
}

/// Incremental verifier: feed rows in `seq` order with their stored hashes.
#[derive(Debug)]
pub struct ChainVerifier {
    prev_hash: String,
    expected_seq: i64,
    checked: i64,
    bad: Option<(i64, String)>,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self { prev_hash: GENESIS_HASH.to_owned(), expected_seq: 1, checked: 0, bad: None }
    }
}

impl ChainVerifier {
    /// Returns false once a break was found (the caller may stop feeding).
    pub fn feed(&mut self, record: &AuditRecord, stored_hash: &str) -> bool {
        if self.bad.is_some() {
            return false;
        }
        self.checked += 1;
        if record.seq != self.expected_seq {
            self.bad = Some((self.expected_seq, format!("缺少序号 {} 的记录（记录被删除）", self.expected_seq)));
            return false;
        }
        let h = record.chain_hash(&self.prev_hash);
        if h != stored_hash {
            self.bad = Some((record.seq, format!("序号 {} 的记录内容与哈希不符（记录被篡改）", record.seq)));
            return false;
        }
        self.prev_hash = h;
        self.expected_seq += 1;
        true
    }

    /// `head_seq`/`head_hash` are the chain head kept beside the log; a truncated tail shows up here.
    pub fn finish(self, head_seq: i64, head_hash: &str) -> ChainCheck {
        if let Some((seq, reason)) = self.bad {
            return ChainCheck { checked: self.checked, first_bad_seq: Some(seq), reason: Some(reason) };
        }
        if self.expected_seq - 1 != head_seq || self.prev_hash != head_hash {
            return ChainCheck {
                checked: self.checked,
                first_bad_seq: Some(self.expected_seq),
                reason: Some(format!("日志末尾缺少记录：链头为序号 {head_seq}，实际只到 {}", self.expected_seq - 1)),
            };
        }
        ChainCheck { checked: self.checked, first_bad_seq: None, reason: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(seq: i64, summary: &str) -> AuditRecord {
        AuditRecord {
            seq,
            occurred_at: 1_700_000_000_000 + seq,
            actor_id: Some(1),
            actor_name: "sysadmin".into(),
            ip: "127.0.0.1".into(),
            action: "user.create".into(),
            target_type: "user".into(),
            target_id: seq.to_string(),
            outcome: "success".into(),
            summary: summary.into(),
            changes: String::new(),
        }
    }

    fn chain(n: i64) -> Vec<(AuditRecord, String)> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|i| {
                let r = rec(i, &format!("创建用户 {i}"));
                prev = r.chain_hash(&prev);
                (r, prev.clone())
            })
            .collect()
    }

    fn verify(rows: &[(AuditRecord, String)], head: (i64, &str)) -> ChainCheck {
        let mut v = ChainVerifier::default();
        for (r, h) in rows {
            if !v.feed(r, h) {
                break;
            }
        }
        v.finish(head.0, head.1)
    }

    #[test]
    fn intact_chain_verifies() {
        let rows = chain(5);
        let head = rows[4].1.clone();
        assert_eq!(verify(&rows, (5, &head)).first_bad_seq, None);
    }

    #[test]
    fn edited_deleted_and_truncated_rows_are_detected() {
        let rows = chain(5);
        let head = rows[4].1.clone();
        let mut edited = rows.clone();
        edited[2].0.summary = "删除用户 3".into();
        assert_eq!(verify(&edited, (5, &head)).first_bad_seq, Some(3));
        let mut deleted = rows.clone();
        deleted.remove(1);
        assert_eq!(verify(&deleted, (5, &head)).first_bad_seq, Some(2));
        let truncated = &rows[..4];
        assert_eq!(verify(truncated, (5, &head)).first_bad_seq, Some(5));
    }
}
