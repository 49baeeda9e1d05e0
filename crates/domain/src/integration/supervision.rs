//! Internet+Supervision (省互联网+监管应用平台, F89): joint-inspection records (少查一次) pushed
//! behind the IRS-style gateway. The payload is not public; this is the contract of
//! docs/integrations/supervision.md, every name in one place.

use serde::{Deserialize, Serialize};

/// Push one inspection record.
pub const RECORD_PUSH: &str = "/gateway/api/hlwjg/inspection/push";
/// Which records arrived, and their check result at the platform.
pub const RECORD_QUERY: &str = "/gateway/api/hlwjg/inspection/query";

/// The inspected subject (检查对象).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InspectedSubject {
    pub name: String,
    /// Unified social credit code (18 characters).
    pub credit_code: String,
}

/// One joint inspection (联合检查) as recorded by the departments that took part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InspectionRecord {
    /// Our identifier, unique per record: the key of queries.
    pub record_id: String,
    /// 监管事项编码 and name of the supervision item.
    pub item_code: String,
    pub item_name: String,
    pub subject: InspectedSubject,
    /// Lead department first.
    pub departments: Vec<String>,
    pub inspectors: Vec<String>,
    /// `yyyy-MM-dd HH:mm:ss`, China time.
    pub inspected_at: String,
    /// `pass`, `rectify` (责令整改) or `case` (立案查处).
    pub result: String,
    pub findings: String,
    /// GB/T 2260 code of the township or county.
    pub region_code: String,
    pub source_system: String,
}

/// Answer to a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordAccepted {
    pub record_id: String,
    /// The platform's identifier.
    pub supervision_id: String,
}

/// Query by our identifiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordQuery {
    pub record_ids: Vec<String>,
}

/// Answer of a query: one entry per known record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordStatus {
    pub record_id: String,
    pub supervision_id: String,
    /// `accepted` (归集成功).
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordQueryAnswer {
    pub items: Vec<RecordStatus>,
}

/// The results a record may carry.
pub const RESULTS: &[&str] = &["pass", "rectify", "case"];

/// Check a record before it is sent (the simulator applies the same rules); the message names
/// the field.
pub fn check(r: &InspectionRecord) -> Result<(), String> {
    if r.record_id.trim().is_empty() || r.record_id.len() > 64 {
        return Err("recordId 必填且不超过 64 个字符".into());
    }
    if r.item_code.trim().is_empty() {
        return Err("itemCode 必填（监管事项编码）".into());
    }
    if r.subject.name.trim().is_empty() || r.subject.credit_code.chars().count() != 18 {
        return Err("subject 须有名称和 18 位统一社会信用代码".into());
    }
    if r.departments.len() < 2 {
        return Err("departments 联合检查须至少两个部门".into());
    }
    if !RESULTS.contains(&r.result.as_str()) {
        return Err("result 只能是 pass、rectify 或 case".into());
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn record() -> InspectionRecord {
        InspectionRecord {
            record_id: "JC-1".into(),
            item_code: "330217001000".into(),
            item_name: "对餐饮服务提供者的监督检查".into(),
            subject: InspectedSubject { name: "丽水某餐饮店".into(), credit_code: "91331102MA2HXXXX0X".into() },
            departments: vec!["丽水市市场监督管理局".into(), "丽水市综合行政执法局".into()],
            inspectors: vec!["张明".into(), "李华".into()],
            inspected_at: "2026-11-27 10:00:00".into(),
            result: "rectify".into(),
            findings: "后厨油烟净化设施未正常运行，责令三日内整改".into(),
            region_code: "331102001".into(),
            source_system: "xiezhi".into(),
        }
    }

    #[test]
    fn records_are_checked_field_by_field() {
        assert!(check(&record()).is_ok());
        let one = InspectionRecord { departments: vec!["丽水市市场监督管理局".into()], ..record() };
        assert!(check(&one).unwrap_err().contains("departments"));
        let bad = InspectionRecord { result: "ok".into(), ..record() };
        assert!(check(&bad).unwrap_err().contains("result"));
        let code =
            InspectionRecord { subject: InspectedSubject { name: "x".into(), credit_code: "1".into() }, ..record() };
        assert!(check(&code).unwrap_err().contains("subject"));
        let v = serde_json::to_value(record()).unwrap_or_default();
        assert_eq!(v["subject"]["creditCode"], "91331102MA2HXXXX0X");
    }
}
