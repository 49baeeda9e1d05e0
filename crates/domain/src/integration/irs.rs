//! The big-data bureau's data platform (大数据局一体化数据平台, IRS) contract: the enforcement
//! datasets we pull behind the IRS-style gateway (F81). The real interface names are not public;
//! this is the contract of docs/integrations/irs.md, with every name in one place so the real
//! paths and field names can be slotted in.
//!
//! Records are pulled in keyset order `(updatedAt, recordId)`. A page answers the records strictly
//! after the request's cursor (or changed after `updatedSince` when no cursor is given) and the
//! cursor of its last record, which is the checkpoint a client stores with the page.

use serde::{Deserialize, Serialize};

/// List the datasets this app may pull, with their sizes.
pub const DATASETS: &str = "/gateway/api/irs/zfsj/datasets";
/// Pull one page of a dataset: `{DATA_PREFIX}{dataset}`.
pub const DATA_PREFIX: &str = "/gateway/api/irs/zfsj/data/";

/// Largest page the platform serves.
pub const MAX_PAGE_SIZE: i64 = 2000;

/// The datasets, in pull order (dimensions first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dataset {
    /// 执法主体: the enforcement bodies (dimension).
    Body,
    /// 执法事项: the enforcement item catalogue (dimension).
    Item,
    /// 行政许可.
    License,
    /// 行政检查.
    Inspection,
    /// 行政处罚.
    Penalty,
    /// 举报投诉.
    Complaint,
    /// 行政复议.
    Reconsideration,
    /// 行政诉讼.
    Litigation,
    /// 整改.
    Rectification,
    /// 移送.
    Transfer,
}

impl Dataset {
    pub const ALL: [Dataset; 10] = [
        Dataset::Body,
        Dataset::Item,
        Dataset::License,
        Dataset::Inspection,
        Dataset::Penalty,
        Dataset::Complaint,
        Dataset::Reconsideration,
        Dataset::Litigation,
        Dataset::Rectification,
        Dataset::Transfer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dataset::Body => "body",
            Dataset::Item => "item",
            Dataset::License => "license",
            Dataset::Inspection => "inspection",
            Dataset::Penalty => "penalty",
            Dataset::Complaint => "complaint",
            Dataset::Reconsideration => "reconsideration",
            Dataset::Litigation => "litigation",
            Dataset::Rectification => "rectification",
            Dataset::Transfer => "transfer",
        }
    }

    pub fn parse(s: &str) -> Option<Dataset> {
        Dataset::ALL.into_iter().find(|d| d.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Dataset::Body => "执法主体",
            Dataset::Item => "执法事项",
            Dataset::License => "行政许可",
            Dataset::Inspection => "行政检查",
            Dataset::Penalty => "行政处罚",
            Dataset::Complaint => "举报投诉",
            Dataset::Reconsideration => "行政复议",
            Dataset::Litigation => "行政诉讼",
            Dataset::Rectification => "整改",
            Dataset::Transfer => "移送",
        }
    }

    /// Dimension datasets (bodies, items) describe the facts; the others are facts.
    pub fn is_dimension(self) -> bool {
        matches!(self, Dataset::Body | Dataset::Item)
    }

    /// The data path of this dataset.
    pub fn path(self) -> String {
        format!("{DATA_PREFIX}{}", self.as_str())
    }
}

/// One dataset as the platform describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatasetInfo {
    pub code: String,
    pub name: String,
    /// Records the platform holds.
    pub total: i64,
    /// Newest `updatedAt` (ms), if any record exists.
    #[serde(default)]
    pub updated_to: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatasetList {
    pub datasets: Vec<DatasetInfo>,
}

/// Body of a data pull.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PullRequest {
    /// The checkpoint of the last page received (opaque); takes precedence over `updated_since`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Only records changed after this instant (ms), for a pull without a cursor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_since: Option<i64>,
    /// 1–[`MAX_PAGE_SIZE`].
    pub page_size: i64,
}

/// One record of any dataset. Facts carry every column; dimensions leave the ones they lack
/// empty (a body: region and itself as the department; an item: its department and itself as the
/// item).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    /// The platform's key of the record, unique within its dataset.
    pub record_id: String,
    /// Last change at the platform (ms); the keyset order is `(updatedAt, recordId)`.
    pub updated_at: i64,
    /// GB/T 2260 code of the township or county where it happened.
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub region_name: String,
    /// Unified social credit code of the acting department or body.
    #[serde(default)]
    pub dept_code: String,
    #[serde(default)]
    pub dept_name: String,
    /// Code in the provincial enforcement item catalogue.
    #[serde(default)]
    pub item_code: String,
    #[serde(default)]
    pub item_name: String,
    /// `enterprise`, `individual_business`, `organisation` or `person`; empty when none.
    #[serde(default)]
    pub subject_type: String,
    #[serde(default)]
    pub subject_name: String,
    /// Unified social credit code (enterprises, organisations) or masked ID number (persons).
    #[serde(default)]
    pub subject_code: String,
    /// When it happened or started (ms).
    #[serde(default)]
    pub occurred_at: Option<i64>,
    /// When it was concluded (ms), if it is.
    #[serde(default)]
    pub concluded_at: Option<i64>,
    /// Sub-kind: inspection kind, penalty procedure, licence kind, item category, body kind …
    #[serde(default)]
    pub kind: String,
    /// Status as the platform names it (办理中, 已办结 …).
    #[serde(default)]
    pub status: String,
    /// Amount in fen (fines, confiscations), when the record has one.
    #[serde(default)]
    pub amount: Option<i64>,
    /// Document number or name.
    #[serde(default)]
    pub title: String,
    /// Dataset-specific attributes.
    #[serde(default)]
    pub attrs: serde_json::Map<String, serde_json::Value>,
}

/// Answer of a data pull.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    pub records: Vec<Record>,
    /// The checkpoint after this page: the cursor of its last record, or the request's cursor
    /// when the page is empty.
    #[serde(default)]
    pub next_cursor: Option<String>,
    /// More records follow this page.
    pub has_more: bool,
    /// Records of the dataset after the request's position (this page included).
    pub remaining: i64,
}

/// The cursor of a record: `updatedAt` and `recordId`, opaque to clients.
pub fn cursor_of(updated_at: i64, record_id: &str) -> String {
    format!("{updated_at}_{record_id}")
}

/// Split a cursor back into its parts.
pub fn parse_cursor(c: &str) -> Option<(i64, &str)> {
    let (t, id) = c.split_once('_')?;
    Some((t.parse().ok()?, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datasets_round_trip_and_cursors_parse() {
        for d in Dataset::ALL {
            assert_eq!(Dataset::parse(d.as_str()), Some(d));
            assert!(d.path().starts_with(DATA_PREFIX));
        }
        assert_eq!(Dataset::parse("nope"), None);
        let c = cursor_of(1_700_000_000_000, "CF_3311");
        assert_eq!(parse_cursor(&c), Some((1_700_000_000_000, "CF_3311")));
        assert_eq!(parse_cursor("x_1"), None);
        assert_eq!(parse_cursor("12"), None);
    }
}
