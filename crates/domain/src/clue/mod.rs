//! Clue center domain: handling stages, numbering patterns, category and configuration values.

pub mod calendar;
pub mod dedup;
pub mod grading;
pub mod intake;
pub mod numbering;
pub mod signature;
pub mod workflow;

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// Workflow stages of a case (数字城管 practice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Receive,
    File,
    Dispatch,
    Handle,
    Report,
    Verify,
    Close,
}

impl Stage {
    pub const ALL: [Stage; 7] =
        [Stage::Receive, Stage::File, Stage::Dispatch, Stage::Handle, Stage::Report, Stage::Verify, Stage::Close];

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| FieldError::new("stage", format!("未知的处置阶段：{s}")))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Receive => "receive",
            Stage::File => "file",
            Stage::Dispatch => "dispatch",
            Stage::Handle => "handle",
            Stage::Report => "report",
            Stage::Verify => "verify",
            Stage::Close => "close",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Receive => "受理",
            Stage::File => "立案",
            Stage::Dispatch => "派遣",
            Stage::Handle => "处置",
            Stage::Report => "反馈",
            Stage::Verify => "核查",
            Stage::Close => "结案",
        }
    }
}

/// 部件 / 事件 / 执法事项类.
pub fn category_kind(s: &str) -> Result<&'static str, FieldError> {
    match s {
        "component" => Ok("component"),
        "event" => Ok("event"),
        "enforcement" => Ok("enforcement"),
        _ => Err(FieldError::new("kind", "分类性质只能是 component（部件）、event（事件）或 enforcement（执法）")),
    }
}

/// Handling tier chosen by grading: 市 / 县 / 乡镇.
pub fn tier(s: &str) -> Result<&'static str, FieldError> {
    match s {
        "city" => Ok("city"),
        "county" => Ok("county"),
        "township" => Ok("township"),
        _ => Err(FieldError::new("tier", "处置层级只能是 city、county 或 township")),
    }
}

/// `#RRGGBB`.
pub fn color(s: &str) -> Result<String, FieldError> {
    let ok = s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit());
    if ok { Ok(s.to_ascii_uppercase()) } else { Err(FieldError::new("color", "颜色须为 #RRGGBB")) }
}

/// Dedup thresholds: both in 0..=1 with low ≤ high.
pub fn thresholds(low: f64, high: f64) -> Result<(), FieldError> {
    if !(0.0..=1.0).contains(&low) || !(0.0..=1.0).contains(&high) {
        return Err(FieldError::new("high_threshold", "阈值须在 0 到 1 之间"));
    }
    if low > high {
        return Err(FieldError::new("low_threshold", "疑似阈值不能高于自动合并阈值"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_round_trip() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Ok(s));
        }
        assert!(Stage::parse("teleport").is_err());
        assert_eq!(Stage::Verify.label(), "核查");
    }

    #[test]
    fn small_values() {
        assert_eq!(color("#1a2b3c"), Ok("#1A2B3C".to_owned()));
        assert!(color("red").is_err());
        assert!(thresholds(0.5, 0.8).is_ok());
        assert!(thresholds(0.9, 0.8).is_err());
        assert!(thresholds(-0.1, 0.8).is_err());
        assert!(category_kind("event").is_ok() && category_kind("x").is_err());
        assert!(tier("township").is_ok() && tier("province").is_err());
    }
}
