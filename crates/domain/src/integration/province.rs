//! The provincial enforcement platform (省大综合一体化执法监管数字应用平台) contract: seven
//! interfaces behind the IRS-style gateway (F82–F88). The payloads are not public; this is the
//! contract of docs/integrations/province.md, with every name in one place so the real field
//! names can be slotted in.

use serde::{Deserialize, Serialize};

/// F82 一类方案厅局风险推送: risks with a legal-entity subject.
pub const SCHEME1_PUSH: &str = "/gateway/api/zfjg/risk/scheme1/push";
/// F83 执法反馈推送: the province pushes the outcome to us (our endpoint, same envelope).
pub const FEEDBACK_PUSH: &str = "/api/integration/province/feedback";
/// F84 执法反馈查询: outcomes of risks we pushed.
pub const FEEDBACK_QUERY: &str = "/gateway/api/zfjg/risk/feedback/query";
/// F85 线索非主体推送: clues without a determinable subject, to coordinated command.
pub const CLUE_PUSH: &str = "/gateway/api/zfjg/command/clue/push";
/// F86 协同指挥状态查询.
pub const COMMAND_STATUS: &str = "/gateway/api/zfjg/command/clue/status";
/// F87 协同指挥解除线索.
pub const COMMAND_RELEASE: &str = "/gateway/api/zfjg/command/clue/release";
/// F88 三类方案厅局风险推送: no subject, a natural person or an organisation.
pub const SCHEME3_PUSH: &str = "/gateway/api/zfjg/risk/scheme3/push";

/// Which push interface a clue goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interface {
    Scheme1,
    Scheme3,
    Clue,
}

impl Interface {
    pub fn path(self) -> &'static str {
        match self {
            Interface::Scheme1 => SCHEME1_PUSH,
            Interface::Scheme3 => SCHEME3_PUSH,
            Interface::Clue => CLUE_PUSH,
        }
    }
    /// The query that tells whether a push arrived and how far it is.
    pub fn query_path(self) -> &'static str {
        match self {
            Interface::Scheme1 | Interface::Scheme3 => FEEDBACK_QUERY,
            Interface::Clue => COMMAND_STATUS,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Interface::Scheme1 => "scheme1",
            Interface::Scheme3 => "scheme3",
            Interface::Clue => "clue",
        }
    }
    pub fn parse(s: &str) -> Option<Interface> {
        match s {
            "scheme1" => Some(Interface::Scheme1),
            "scheme3" => Some(Interface::Scheme3),
            "clue" => Some(Interface::Clue),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Interface::Scheme1 => "一类方案风险推送",
            Interface::Scheme3 => "三类方案风险推送",
            Interface::Clue => "线索非主体推送",
        }
    }
}

/// The subject of a risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subject {
    /// `enterprise`, `organisation` or `person`.
    pub subject_type: String,
    pub name: String,
    /// Unified social credit code (enterprises and organisations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_code: Option<String>,
}

/// What we push (all three push interfaces; `subject` is required by scheme 1, absent for clues).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Push {
    /// Our identifier, unique per push: the key of every later query, feedback and release.
    pub clue_id: String,
    /// Our case number.
    pub case_no: String,
    pub title: String,
    pub description: String,
    pub address: String,
    /// GB/T 2260 code of the township or county.
    pub region_code: String,
    /// WGS84.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    pub category_code: String,
    pub category_name: String,
    pub severity: String,
    /// `yyyy-MM-dd HH:mm:ss`, China time.
    pub report_time: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Subject>,
    /// Sending system.
    pub source_system: String,
}

/// Answer to a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Accepted {
    pub clue_id: String,
    /// The province's identifier.
    pub province_id: String,
}

/// Query by our identifiers (F84, F86).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Query {
    pub clue_ids: Vec<String>,
}

/// Release a clue that no longer needs handling (F87).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Release {
    pub clue_id: String,
    pub reason: String,
}

/// Stages of a pushed clue at the province.
pub mod status {
    /// Received, under review (研判).
    pub const RECEIVED: &str = "received";
    /// Transferred to the responsible department (F16).
    pub const TRANSFERRED: &str = "transferred";
    /// The department's disposal result is in (F17).
    pub const DISPOSED: &str = "disposed";
    /// Released at our request (F87).
    pub const RELEASED: &str = "released";
    pub const ALL: &[&str] = &[RECEIVED, TRANSFERRED, DISPOSED, RELEASED];
    pub fn label(s: &str) -> &'static str {
        match s {
            RECEIVED => "省平台已接收",
            TRANSFERRED => "省平台已转交",
            DISPOSED => "已反馈处置结果",
            RELEASED => "已解除",
            _ => "未知",
        }
    }
}

/// Where a pushed clue stands (answers of F84 and F86, body of F83).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub clue_id: String,
    pub province_id: String,
    pub status: String,
    /// Department the clue was transferred to.
    #[serde(default)]
    pub department: String,
    /// Disposal result text.
    #[serde(default)]
    pub result: String,
    /// `yyyy-MM-dd HH:mm:ss`, China time, of the last change.
    pub update_time: String,
}

/// F83: a feedback message pushed to us. `feedback_id` is unique per message; a repeat carries
/// the same one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Feedback {
    pub feedback_id: String,
    #[serde(flatten)]
    pub progress: Progress,
}

/// Answer of the queries: one entry per known clue; unknown identifiers are left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryAnswer {
    pub items: Vec<Progress>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_is_flat_camel_case() {
        let f = Feedback {
            feedback_id: "F1".into(),
            progress: Progress {
                clue_id: "C1".into(),
                province_id: "P1".into(),
                status: status::DISPOSED.into(),
                department: "丽水市市场监督管理局".into(),
                result: "已责令整改".into(),
                update_time: "2026-11-27 10:00:00".into(),
            },
        };
        let v = serde_json::to_value(&f).unwrap_or_default();
        assert_eq!(v["feedbackId"], "F1");
        assert_eq!(v["clueId"], "C1");
        assert_eq!(v["updateTime"], "2026-11-27 10:00:00");
        for i in [Interface::Scheme1, Interface::Scheme3, Interface::Clue] {
            assert_eq!(Interface::parse(i.as_str()), Some(i));
        }
    }
}
