//! Case-number patterns (编码规则, F07): a small pattern language with live preview.
//!
//! Tokens: `{region6}` county code, `{region9}` township code, `{yyyy}` `{yy}` `{MM}` `{dd}` `{HH}`
//! (China Standard Time), `{yyyyMMdd}` shorthand, `{type}` case-type code, `{source}` source code
//! (both upper-cased), `{seq:N}` the sequence zero-padded to N digits (required, exactly once).
//! Anything else is literal text (letters, digits, `-`, `_`, `/`). The sequence runs per distinct
//! value of everything else in the number, e.g. per county per day for `{region6}{yyyyMMdd}{seq:5}`.

use crate::FieldError;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Literal(String),
    Region6,
    Region9,
    Year4,
    Year2,
    Month,
    Day,
    Hour,
    CaseType,
    Source,
    Seq(usize),
}

/// A parsed, valid pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    tokens: Vec<Token>,
}

/// What a number is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberContext {
    /// 9-digit township code if known, else the 6-digit county code.
    pub region_code: String,
    /// Local date-time parts (China Standard Time).
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub case_type: String,
    pub source: String,
}

fn err(m: impl Into<String>) -> FieldError {
    FieldError::new("pattern", m)
}

impl Pattern {
    pub fn parse(s: &str) -> Result<Pattern, FieldError> {
        if s.trim().is_empty() || s.chars().count() > 100 {
            return Err(err("编码规则不能为空且不超过 100 个字符"));
        }
        let mut tokens = Vec::new();
        let mut rest = s;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('{') {
                let end = after.find('}').ok_or_else(|| err("“{” 没有对应的 “}”"))?;
                let name = &after[..end];
                rest = &after[end + 1..];
                match name {
                    "region6" => tokens.push(Token::Region6),
                    "region9" => tokens.push(Token::Region9),
                    "yyyy" => tokens.push(Token::Year4),
                    "yy" => tokens.push(Token::Year2),
                    "MM" => tokens.push(Token::Month),
                    "dd" => tokens.push(Token::Day),
                    "HH" => tokens.push(Token::Hour),
                    "yyyyMMdd" => tokens.extend([Token::Year4, Token::Month, Token::Day]),
                    "type" => tokens.push(Token::CaseType),
                    "source" => tokens.push(Token::Source),
                    other => match other.strip_prefix("seq:") {
                        Some(n) => {
                            let n: usize = n.parse().map_err(|_| err(format!("{{{other}}} 中的位数不是数字")))?;
                            if !(1..=9).contains(&n) {
                                return Err(err("序号位数须在 1–9 之间"));
                            }
                            tokens.push(Token::Seq(n));
                        }
                        None => return Err(err(format!("未知的占位符 {{{other}}}"))),
                    },
                }
            } else {
                let end = rest.find('{').unwrap_or(rest.len());
                let lit = &rest[..end];
                if lit.contains('}') {
                    return Err(err("多余的 “}”"));
                }
                if !lit.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/')) {
                    return Err(err("固定文字只能包含字母、数字、-、_ 或 /"));
                }
                tokens.push(Token::Literal(lit.to_owned()));
                rest = &rest[end..];
            }
        }
        let seqs = tokens.iter().filter(|t| matches!(t, Token::Seq(_))).count();
        if seqs != 1 {
            return Err(err("编码规则须包含且只包含一个 {seq:N} 序号"));
        }
        Ok(Pattern { tokens })
    }

    fn part(&self, t: &Token, c: &NumberContext) -> String {
        match t {
            Token::Literal(s) => s.clone(),
            Token::Region6 => c.region_code.chars().take(6).collect(),
            Token::Region9 => {
                if c.region_code.len() >= 9 {
                    c.region_code.chars().take(9).collect()
                } else {
                    format!("{:0<9}", c.region_code)
                }
            }
            Token::Year4 => format!("{:04}", c.year),
            Token::Year2 => format!("{:02}", c.year.rem_euclid(100)),
            Token::Month => format!("{:02}", c.month),
            Token::Day => format!("{:02}", c.day),
            Token::Hour => format!("{:02}", c.hour),
            Token::CaseType => c.case_type.to_ascii_uppercase(),
            Token::Source => c.source.to_ascii_uppercase(),
            Token::Seq(_) => String::new(),
        }
    }

    /// The key a sequence counts under: the number with the sequence left out (marked `#`).
    pub fn scope_key(&self, c: &NumberContext) -> String {
        self.tokens.iter().map(|t| if matches!(t, Token::Seq(_)) { "#".to_owned() } else { self.part(t, c) }).collect()
    }

    /// The number for sequence value `seq`; `None` when `seq` has more digits than the pattern allows.
    pub fn render(&self, c: &NumberContext, seq: u64) -> Option<String> {
        let mut out = String::new();
        for t in &self.tokens {
            match t {
                Token::Seq(n) => {
                    let s = format!("{seq:0n$}", n = *n);
                    if s.len() > *n {
                        return None;
                    }
                    out.push_str(&s);
                }
                other => out.push_str(&self.part(other, c)),
            }
        }
        Some(out)
    }

    /// Largest sequence value the pattern can hold in one scope.
    pub fn capacity(&self) -> u64 {
        self.tokens
            .iter()
            .find_map(|t| if let Token::Seq(n) = t { Some(10u64.pow(*n as u32) - 1) } else { None })
            .unwrap_or(0)
    }

    /// A human description of the sequence scope, for the preview.
    pub fn scope_description(&self) -> String {
        let mut parts = Vec::new();
        for t in &self.tokens {
            let p = match t {
                Token::Region6 => "县（市、区）",
                Token::Region9 => "乡镇（街道）",
                Token::Year4 | Token::Year2 => "年",
                Token::Month => "月",
                Token::Day => "日",
                Token::Hour => "小时",
                Token::CaseType => "类型",
                Token::Source => "来源",
                _ => continue,
            };
            if !parts.contains(&p) {
                parts.push(p);
            }
        }
        if parts.is_empty() {
            "全局连续编号".to_owned()
        } else {
            format!("按{}分别从 1 开始编号", parts.join("、"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> NumberContext {
        NumberContext {
            region_code: "331102001".into(),
            year: 2026,
            month: 11,
            day: 26,
            hour: 9,
            case_type: "complaint".into(),
            source: "zgt".into(),
        }
    }

    #[test]
    fn default_pattern_renders_region_date_and_sequence() {
        let p = Pattern::parse("{region6}{yyyyMMdd}{seq:5}").ok();
        let p = p.as_ref();
        assert_eq!(p.and_then(|p| p.render(&ctx(), 42)), Some("3311022026112600042".to_owned()));
        assert_eq!(p.map(|p| p.scope_key(&ctx())), Some("33110220261126#".to_owned()));
        assert_eq!(p.map(|p| p.capacity()), Some(99_999));
        assert_eq!(p.and_then(|p| p.render(&ctx(), 100_000)), None);
    }

    #[test]
    fn literals_and_other_tokens() {
        let p = Pattern::parse("LS-{type}-{source}{yy}{MM}-{region9}/{seq:3}").ok();
        assert_eq!(p.and_then(|p| p.render(&ctx(), 7)), Some("LS-COMPLAINT-ZGT2611-331102001/007".to_owned()));
        let county_only = NumberContext { region_code: "331121".into(), ..ctx() };
        let p = Pattern::parse("{region9}{seq:2}").ok();
        assert_eq!(p.and_then(|p| p.render(&county_only, 1)), Some("33112100001".to_owned()));
    }

    #[test]
    fn invalid_patterns_are_rejected_with_a_reason() {
        for bad in [
            "",
            "{region6}{yyyyMMdd}",
            "{seq:5}{seq:2}",
            "{seq:0}",
            "{seq:x}",
            "{nope}{seq:3}",
            "{seq:3",
            "A}{seq:3}",
            "编号{seq:3}",
            "{seq:10}",
        ] {
            assert!(Pattern::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn scope_descriptions() {
        let d = Pattern::parse("{region6}{yyyyMMdd}{seq:5}").map(|p| p.scope_description());
        assert_eq!(d, Ok("按县（市、区）、年、月、日分别从 1 开始编号".to_owned()));
        assert_eq!(Pattern::parse("X{seq:8}").map(|p| p.scope_description()), Ok("全局连续编号".to_owned()));
    }
}
