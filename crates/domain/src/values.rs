//! Validated values: parse, don't validate. Wire DTOs convert into these with `TryFrom`/`parse`.

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// Login name: 3–32 characters of `[A-Za-z0-9_.]`, starting with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        let ok_len = (3..=32).contains(&s.chars().count());
        let ok_chars = s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        let ok_start = s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        if ok_len && ok_chars && ok_start {
            Ok(Self(s.to_owned()))
        } else {
            Err(FieldError::new("username", "用户名须为 3–32 位字母、数字、下划线或点，且以字母或数字开头"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's or unit's display name: 1–64 characters, no control characters.
pub fn display_text(field: &'static str, s: &str, max: usize) -> Result<String, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(FieldError::new(field, "不能为空"));
    }
    if t.chars().count() > max {
        return Err(FieldError::new(field, format!("不能超过 {max} 个字符")));
    }
    if t.chars().any(char::is_control) {
        return Err(FieldError::new(field, "不能包含控制字符"));
    }
    Ok(t.to_owned())
}

/// Optional free text (description etc.): may be empty, bounded length.
pub fn optional_text(field: &'static str, s: &str, max: usize) -> Result<String, FieldError> {
    let t = s.trim();
    if t.chars().count() > max {
        return Err(FieldError::new(field, format!("不能超过 {max} 个字符")));
    }
    Ok(t.to_owned())
}

/// Password policy (等保 2.0 level 3): at least 10 characters, at most 128, and at least three of
/// the four classes upper case, lower case, digit, symbol; must not contain the user name.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub fn parse(field: &'static str, s: &str, username: Option<&str>) -> Result<Self, FieldError> {
        let n = s.chars().count();
        if !(10..=128).contains(&n) {
            return Err(FieldError::new(field, "密码长度须为 10–128 位"));
        }
        let classes = [
            s.chars().any(|c| c.is_ascii_uppercase()),
            s.chars().any(|c| c.is_ascii_lowercase()),
            s.chars().any(|c| c.is_ascii_digit()),
            s.chars().any(|c| !c.is_ascii_alphanumeric()),
        ];
        if classes.iter().filter(|b| **b).count() < 3 {
            return Err(FieldError::new(field, "密码须包含大写字母、小写字母、数字、符号中的至少三类"));
        }
        if let Some(u) = username
            && !u.is_empty()
            && s.to_lowercase().contains(&u.to_lowercase())
        {
            return Err(FieldError::new(field, "密码不能包含用户名"));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Mainland mobile number, 11 digits starting 1[3-9].
#[derive(Clone, PartialEq, Eq)]
pub struct Phone(String);

impl std::fmt::Debug for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

impl Phone {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let t: String = s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        let t = t.strip_prefix("+86").unwrap_or(&t).to_owned();
        let b = t.as_bytes();
        if b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && b.iter().all(u8::is_ascii_digit) {
            Ok(Self(t))
        } else {
            Err(FieldError::new("phone", "手机号须为 11 位数字，以 13–19 开头"))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `138****5678`
    pub fn masked(&self) -> String {
        mask(&self.0, 3, 4)
    }
}

/// Resident identity card number (GB 11643): 18 characters with a valid ISO 7064 check digit.
#[derive(Clone, PartialEq, Eq)]
pub struct IdNumber(String);

impl std::fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

impl IdNumber {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let t = s.trim().to_ascii_uppercase();
        let b = t.as_bytes();
        let err = || FieldError::new("id_number", "身份证号须为 18 位且校验位正确");
        if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
            return Err(err());
        }
        const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        const C: &[u8; 11] = b"10X98765432";
        let sum: u32 = b[..17].iter().zip(W).map(|(d, w)| u32::from(d - b'0') * w).sum();
        if C[(sum % 11) as usize] != b[17] {
            return Err(err());
        }
        Ok(Self(t))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `331102********1234`
    pub fn masked(&self) -> String {
        mask(&self.0, 6, 4)
    }
}

/// Keep `head` leading and `tail` trailing characters, replace the rest with `*`.
pub fn mask(s: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(chars.len() - head - tail));
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// Mask a person's name: 张三 → 张*, 欧阳小明 → 欧***.
pub fn mask_name(s: &str) -> String {
    let mut it = s.chars();
    match it.next() {
        Some(first) => std::iter::once(first).chain(it.map(|_| '*')).collect(),
        None => String::new(),
    }
}

pub fn email(s: &str) -> Result<String, FieldError> {
    let t = s.trim();
    let ok = t.len() <= 128
        && t.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'))
        && !t.chars().any(|c| c.is_whitespace());
    if ok { Ok(t.to_owned()) } else { Err(FieldError::new("email", "邮箱格式不正确")) }
}

/// Administrative division code: 6 digits (city/county) or 9 digits (township), GB/T 2260 + NBS.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

impl RegionCode {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let t = s.trim();
        if (t.len() == 6 || t.len() == 9 || t.len() == 12) && t.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(t.to_owned()))
        } else {
            Err(FieldError::new("region_code", "区划代码须为 6、9 或 12 位数字"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for RegionCode {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<RegionCode> for String {
    fn from(r: RegionCode) -> Self {
        r.0
    }
}

/// Short machine code (role code, dictionary type code, item value): `[a-z][a-z0-9_]{1,63}`.
pub fn code(field: &'static str, s: &str) -> Result<String, FieldError> {
    let t = s.trim();
    let ok = (2..=64).contains(&t.len())
        && t.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && t.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(t.to_owned())
    } else {
        Err(FieldError::new(field, "编码须为 2–64 位小写字母、数字或下划线，以字母开头"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        for ok in ["abc", "zhang.san", "ls_admin01", "A1b"] {
            assert!(Username::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["ab", "_abc", "张三", "a b c", &"x".repeat(33), ""] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn password_policy() {
        assert!(Password::parse("password", "Lishui@2026x", None).is_ok());
        assert!(Password::parse("password", "lishui2026xx", None).is_err(), "two classes only");
        assert!(Password::parse("password", "Ab1!", None).is_err(), "too short");
        assert!(Password::parse("password", "Zhangsan@2026", Some("zhangsan")).is_err(), "contains user name");
        assert_eq!(format!("{:?}", Password::parse("p", "Lishui@2026x", None)), "Ok(Password(***))");
    }

    #[test]
    fn phones_and_masks() {
        let p = Phone::parse("138 1234 5678").map(|p| p.masked());
        assert_eq!(p, Ok("138****5678".to_owned()));
        assert!(Phone::parse("+8613812345678").is_ok());
        for bad in ["12812345678", "1381234567", "1381234567a", ""] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(mask_name("欧阳小明"), "欧***");
        assert_eq!(mask("ab", 3, 4), "**");
    }

    #[test]
    fn id_numbers_check_digit() {
        // Check digits computed with the GB 11643 weights.
        assert!(IdNumber::parse("11010519491231002X").is_ok());
        assert!(IdNumber::parse("110105194912310021").is_err());
        assert!(IdNumber::parse("11010519491231002").is_err());
        let masked = IdNumber::parse("11010519491231002x").map(|i| i.masked());
        assert_eq!(masked, Ok("110105********002X".to_owned()));
    }

    #[test]
    fn region_codes_and_codes() {
        assert!(RegionCode::parse("331102").is_ok());
        assert!(RegionCode::parse("331102001").is_ok());
        assert!(RegionCode::parse("33110").is_err());
        assert!(RegionCode::parse("33110a").is_err());
        assert!(code("code", "city_leader").is_ok());
        assert!(code("code", "City").is_err());
        assert!(email("a@b.cn").is_ok());
        assert!(email("a@b").is_err());
    }
}

/// A random password that satisfies [`Password::parse`]: 16 characters from an alphabet without
/// look-alikes, with at least one upper-case letter, lower-case letter, digit and symbol.
pub fn generate_password() -> String {
    use rand::Rng;
    use rand::seq::SliceRandom;
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const DIGIT: &[u8] = b"23456789";
    const SYMBOL: &[u8] = b"@#%+=!";
    let mut rng = rand::rng();
    let mut pick = |set: &[u8]| set[rng.random_range(0..set.len())];
    let mut chars: Vec<u8> = vec![pick(UPPER), pick(LOWER), pick(DIGIT), pick(SYMBOL)];
    let all: Vec<u8> = [UPPER, LOWER, DIGIT, SYMBOL].concat();
    while chars.len() < 16 {
        chars.push(pick(&all));
    }
    chars.shuffle(&mut rand::rng());
    String::from_utf8(chars).unwrap_or_default()
}

#[cfg(test)]
mod generate_tests {
    #[test]
    fn generated_passwords_pass_the_policy() {
        for _ in 0..200 {
            let p = super::generate_password();
            assert!(super::Password::parse("p", &p, Some("sysadmin")).is_ok(), "{p}");
        }
    }
}
