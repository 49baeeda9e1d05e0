//! Auto grading (自动分级, F13): rules on category, severity, region, keywords, subject type and
//! source choose the handling tier (市/县/乡镇) and optionally the unit. Rules are tried by
//! priority (lower first); an empty condition list matches anything.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::FieldError;

/// Conditions of a grading rule; every non-empty list must match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradingConditions {
    /// Category codes; a major code (`E05`) covers its minor categories.
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub severities: Vec<String>,
    /// Region codes; a county code covers its townships.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Any of these words in the description or address.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// `enterprise`, `person` or `none`.
    #[serde(default)]
    pub subject_types: Vec<String>,
    /// Source codes.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// What a clue offers for grading.
#[derive(Debug, Clone, Copy)]
pub struct GradingInput<'a> {
    pub category: &'a str,
    pub severity: &'a str,
    pub region: &'a str,
    pub text: &'a str,
    pub subject_type: Option<&'a str>,
    pub source: &'a str,
}

impl GradingConditions {
    pub fn matches(&self, i: &GradingInput<'_>) -> bool {
        let prefix = |list: &[String], v: &str| list.is_empty() || list.iter().any(|x| v.starts_with(x.as_str()));
        let exact = |list: &[String], v: &str| list.is_empty() || list.iter().any(|x| x == v);
        prefix(&self.categories, i.category)
            && exact(&self.severities, i.severity)
            && prefix(&self.regions, i.region)
            && (self.keywords.is_empty() || self.keywords.iter().any(|k| i.text.contains(k.as_str())))
            && exact(&self.subject_types, i.subject_type.unwrap_or("none"))
            && exact(&self.sources, i.source)
    }

    /// Trim, drop empties and check sizes.
    pub fn normalise(mut self) -> Result<GradingConditions, FieldError> {
        for (name, list) in [
            ("categories", &mut self.categories),
            ("severities", &mut self.severities),
            ("regions", &mut self.regions),
            ("keywords", &mut self.keywords),
            ("subject_types", &mut self.subject_types),
            ("sources", &mut self.sources),
        ] {
            list.iter_mut().for_each(|s| *s = s.trim().to_owned());
            list.retain(|s| !s.is_empty());
            list.sort();
            list.dedup();
            if list.len() > 200 || list.iter().any(|s| s.chars().count() > 40) {
                return Err(FieldError::new(name, "条件取值过多或过长（最多 200 个，每个不超过 40 个字符）"));
            }
        }
        if let Some(bad) = self.subject_types.iter().find(|s| !["enterprise", "person", "none"].contains(&s.as_str())) {
            return Err(FieldError::new("subject_types", format!("对象类型“{bad}”不正确")));
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_lists_match_anything_and_prefixes_cover_subtrees() {
        let any = GradingConditions::default();
        let i = GradingInput {
            category: "Z0101",
            severity: "urgent",
            region: "331102001",
            text: "紫金街道某小区楼顶违法搭建彩钢棚",
            subject_type: None,
            source: "hotline_12345",
        };
        assert!(any.matches(&i));
        let c = GradingConditions {
            categories: vec!["Z01".into()],
            regions: vec!["331102".into()],
            keywords: vec!["违法搭建".into(), "违建".into()],
            subject_types: vec!["none".into()],
            ..Default::default()
        };
        assert!(c.matches(&i));
        assert!(!c.matches(&GradingInput { region: "331121100", ..i }));
        assert!(!c.matches(&GradingInput { text: "楼顶有彩钢棚", ..i }));
        assert!(!c.matches(&GradingInput { subject_type: Some("enterprise"), ..i }));
        let s = GradingConditions { severities: vec!["urgent".into()], ..Default::default() };
        assert!(s.matches(&i) && !s.matches(&GradingInput { severity: "normal", ..i }));
    }

    #[test]
    fn normalise_trims_and_checks() {
        let c =
            GradingConditions { keywords: vec![" 火灾 ".into(), "".into(), "火灾".into()], ..Default::default() }
                .normalise()
                .unwrap_or_default();
        assert_eq!(c.keywords, vec!["火灾".to_owned()]);
        let bad = GradingConditions { subject_types: vec!["alien".into()], ..Default::default() };
        assert!(bad.normalise().is_err());
    }
}
