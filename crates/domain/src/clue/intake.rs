//! Validation of a clue as pushed under the intake standard (docs/intake-standard.md). Pure: the
//! caller resolves categories, regions and the source's mappings against the database.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::FieldError;
use crate::geo::{CoordSystem, Point};
use crate::values::IdNumber;

pub const MAX_BATCH: usize = 500;
pub const MAX_ATTACHMENTS: usize = 9;
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_EXTRA_BYTES: usize = 16 * 1024;
/// Accepted clock skew for times in the future.
const FUTURE_MS: i64 = 10 * 60 * 1000;

/// Lishui's extent (WGS84), with a margin.
const LON: (f64, f64) = (118.6, 120.6);
const LAT: (f64, f64) = (27.3, 29.0);

const TOP_LEVEL: &[&str] = &[
    "source_clue_id",
    "reported_at",
    "occurred_at",
    "description",
    "address",
    "location",
    "region_code",
    "category_code",
    "case_type_code",
    "severity_code",
    "title",
    "reporter",
    "subject",
    "attachments",
    "extra",
];

pub const CONTENT_TYPES: &[&str] = &["image/jpeg", "image/png", "image/webp", "application/pdf", "video/mp4"];

#[derive(Debug, Clone, PartialEq)]
pub struct Subject {
    /// `enterprise` or `person`.
    pub kind: String,
    pub name: Option<String>,
    pub credit_code: Option<String>,
    pub id_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// A validated clue, still in the source's terms for category codes.
#[derive(Debug, Clone, PartialEq)]
pub struct IntakeClue {
    pub source_clue_id: String,
    pub reported_at: i64,
    pub occurred_at: Option<i64>,
    pub description: String,
    pub title: String,
    pub address: String,
    /// WGS84, converted from the given coordinate system.
    pub point: Option<Point>,
    /// The coordinate system the source used.
    pub coord_system: Option<String>,
    /// 6- or 9-digit code as given (a 12-digit code is cut to 9).
    pub region_code: Option<String>,
    pub category_code: String,
    pub case_type_code: Option<String>,
    pub severity_code: Option<String>,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub reporter_id_number: Option<String>,
    pub subject: Option<Subject>,
    pub attachments: Vec<Attachment>,
    pub extra: Option<Value>,
}

/// Move the source's own field names to ours (`ours → theirs` mapping, flattened names for
/// nested fields: `longitude` → `location.longitude`, `reporter_phone` → `reporter.phone` …).
pub fn apply_field_mapping(value: Value, mapping: &BTreeMap<String, String>) -> Value {
    let Value::Object(mut obj) = value else { return value };
    for (ours, theirs) in mapping {
        if ours == theirs {
            continue;
        }
        let Some(v) = obj.remove(theirs) else { continue };
        let (parent, key) = match ours.as_str() {
            "longitude" | "latitude" | "coord_system" => ("location", ours.as_str()),
            "reporter_name" | "reporter_phone" | "reporter_id_number" => ("reporter", &ours["reporter_".len()..]),
            "subject_credit_code" | "subject_name" => ("subject", &ours["subject_".len()..]),
            _ => {
                obj.insert(ours.clone(), v);
                continue;
            }
        };
        let entry = obj.entry(parent.to_owned()).or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(m) = entry {
            m.insert(key.to_owned(), v);
        }
    }
    Value::Object(obj)
}

/// A payload as stored: JSON with sorted keys, and its canonical hash for idempotency (SHA-256 of
/// that text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload {
    pub text: String,
    pub hash: String,
}

impl Payload {
    pub fn of(v: &Value) -> Payload {
        // serde_json's Map is a BTreeMap (no `preserve_order`), so keys serialise sorted.
        let text = v.to_string();
        let hash = crate::clue::signature::body_hash(text.as_bytes());
        Payload { text, hash }
    }
}

pub fn parse_time(field: &'static str, s: &str) -> Result<i64, FieldError> {
    OffsetDateTime::parse(s, &Rfc3339)
        .map(|t| i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX))
        .map_err(|_| FieldError::new(field, "时间须为带时区的 RFC 3339 格式，如 2026-11-26T09:30:00+08:00"))
}

/// RFC 3339 in China Standard Time with milliseconds.
pub fn format_time(ms: i64) -> String {
    let offset = time::UtcOffset::from_whole_seconds(8 * 3600).unwrap_or(time::UtcOffset::UTC);
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset)
        .replace_nanosecond(u32::try_from(ms.rem_euclid(1000) * 1_000_000).unwrap_or(0))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// Mainland mobile (11 digits) or landline (area code 0xx(x) + 7–8 digits).
pub fn phone(field: &'static str, s: &str) -> Result<String, FieldError> {
    let t: String = s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    let t = t.strip_prefix("+86").unwrap_or(&t).to_owned();
    let b = t.as_bytes();
    let digits = b.iter().all(u8::is_ascii_digit);
    let mobile = b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
    let landline = (10..=12).contains(&b.len()) && b[0] == b'0';
    if digits && (mobile || landline) {
        Ok(t)
    } else {
        Err(FieldError::new(field, "电话须为 11 位手机号或带区号的固定电话"))
    }
}

/// Unified social credit code (GB 32100): 18 characters with a valid check character.
pub fn credit_code(field: &'static str, s: &str) -> Result<String, FieldError> {
    const CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [usize; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let t = s.trim().to_ascii_uppercase();
    let err = || FieldError::new(field, "统一社会信用代码须为 18 位且校验位正确");
    let vals: Vec<usize> = t.chars().map(|c| CHARS.find(c)).collect::<Option<Vec<_>>>().ok_or_else(err)?;
    if vals.len() != 18 {
        return Err(err());
    }
    let sum: usize = vals[..17].iter().zip(W).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    if vals[17] == check { Ok(t) } else { Err(err()) }
}

/// The check character for the first 17 characters of a credit code (demo data).
pub fn credit_code_check(first17: &str) -> Option<char> {
    const CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [usize; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let vals: Vec<usize> = first17.chars().map(|c| CHARS.find(c)).collect::<Option<Vec<_>>>()?;
    if vals.len() != 17 {
        return None;
    }
    let sum: usize = vals.iter().zip(W).map(|(v, w)| v * w).sum();
    CHARS.chars().nth((31 - sum % 31) % 31)
}

fn magic_ok(content_type: &str, d: &[u8]) -> bool {
    match content_type {
        "image/jpeg" => d.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => d.starts_with(&[0x89, b'P', b'N', b'G']),
        "image/webp" => d.len() > 12 && d.starts_with(b"RIFF") && &d[8..12] == b"WEBP",
        "application/pdf" => d.starts_with(b"%PDF"),
        "video/mp4" => d.len() > 8 && &d[4..8] == b"ftyp",
        _ => false,
    }
}

struct Errs(Vec<FieldError>);

impl Errs {
    fn push(&mut self, field: &'static str, m: impl Into<String>) {
        self.0.push(FieldError::new(field, m));
    }
}

fn text(
    e: &mut Errs,
    o: &Map<String, Value>,
    key: &str,
    field: &'static str,
    min: usize,
    max: usize,
) -> Option<String> {
    match o.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => {
            let t = s.trim();
            let n = t.chars().count();
            if n < min || n > max || t.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                e.push(field, format!("长度须为 {min}–{max} 个字符且不含控制字符"));
                None
            } else {
                Some(t.to_owned())
            }
        }
        Some(_) => {
            e.push(field, "须为字符串");
            None
        }
    }
}

fn object<'a>(
    e: &mut Errs,
    o: &'a Map<String, Value>,
    key: &str,
    field: &'static str,
    allowed: &[&str],
) -> Option<&'a Map<String, Value>> {
    match o.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => {
            for k in m.keys().filter(|k| !allowed.contains(&k.as_str())) {
                e.0.push(FieldError::named(format!("{field}.{k}"), format!("不支持的字段 {k}")));
            }
            Some(m)
        }
        Some(_) => {
            e.push(field, "须为对象");
            None
        }
    }
}

/// Validate one clue (after field mapping).
pub fn parse(v: &Value, now_ms: i64) -> Result<IntakeClue, Vec<FieldError>> {
    let mut e = Errs(Vec::new());
    let Value::Object(o) = v else {
        return Err(vec![FieldError::new("body", "线索须为 JSON 对象")]);
    };
    for k in o.keys().filter(|k| !TOP_LEVEL.contains(&k.as_str())) {
        e.0.push(FieldError::named(k.clone(), format!("不支持的字段 {k}")));
    }
    let id = text(&mut e, o, "source_clue_id", "source_clue_id", 1, 64);
    if id.is_none() && !e.0.iter().any(|x| x.field == "source_clue_id") {
        e.push("source_clue_id", "不能为空");
    }
    if let Some(i) = &id
        && !i.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.:-".contains(&b))
    {
        e.push("source_clue_id", "只能包含字母、数字和 _ . : -");
    }
    let time_field = |e: &mut Errs, key: &str, field: &'static str| match o.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => parse_time(field, s).map_err(|x| e.0.push(x)).ok(),
        Some(_) => {
            e.push(field, "须为 RFC 3339 时间字符串");
            None
        }
    };
    let reported_at = time_field(&mut e, "reported_at", "reported_at");
    if o.get("reported_at").is_none_or(Value::is_null) {
        e.push("reported_at", "不能为空");
    }
    if reported_at.is_some_and(|t| t > now_ms + FUTURE_MS) {
        e.push("reported_at", "上报时间不能晚于当前时间");
    }
    let occurred_at = time_field(&mut e, "occurred_at", "occurred_at");
    if let (Some(oc), Some(r)) = (occurred_at, reported_at)
        && oc > r + FUTURE_MS
    {
        e.push("occurred_at", "发生时间不能晚于上报时间");
    }
    let description = text(&mut e, o, "description", "description", 5, 2000);
    if o.get("description").is_none_or(Value::is_null) {
        e.push("description", "不能为空");
    }
    let address = text(&mut e, o, "address", "address", 1, 200);
    let title = text(&mut e, o, "title", "title", 1, 100);
    let category = text(&mut e, o, "category_code", "category_code", 1, 40);
    if o.get("category_code").is_none_or(Value::is_null) {
        e.push("category_code", "不能为空");
    }
    let case_type = text(&mut e, o, "case_type_code", "case_type_code", 1, 40);
    let severity = text(&mut e, o, "severity_code", "severity_code", 1, 40);

    let mut point = None;
    let mut coord_system = None;
    if let Some(loc) = object(&mut e, o, "location", "location", &["longitude", "latitude", "coord_system"]) {
        let num = |k: &str| loc.get(k).and_then(Value::as_f64);
        let sys = match loc.get("coord_system") {
            None | Some(Value::Null) => Some(CoordSystem::Wgs84),
            Some(Value::String(s)) => match CoordSystem::parse(s) {
                Ok(c) => {
                    coord_system = Some(s.to_ascii_lowercase());
                    Some(c)
                }
                Err(_) => {
                    e.push("location.coord_system", "坐标系只能是 wgs84、cgcs2000、gcj02 或 bd09");
                    None
                }
            },
            Some(_) => {
                e.push("location.coord_system", "须为字符串");
                None
            }
        };
        match (num("longitude"), num("latitude"), sys) {
            (Some(lon), Some(lat), Some(sys)) => match Point::new(lon, lat) {
                Ok(p) => {
                    let w = p.to_wgs84(sys);
                    if (LON.0..=LON.1).contains(&w.lon) && (LAT.0..=LAT.1).contains(&w.lat) {
                        point = Some(w);
                        coord_system.get_or_insert_with(|| "wgs84".to_owned());
                    } else {
                        e.push("location", "坐标不在丽水市范围内");
                    }
                }
                Err(_) => e.push("location", "经纬度超出范围"),
            },
            (lon, lat, _) => {
                if lon.is_none() {
                    e.push("location.longitude", "须为数字");
                }
                if lat.is_none() {
                    e.push("location.latitude", "须为数字");
                }
            }
        }
    }
    let region_code = match o.get("region_code") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if [6, 9, 12].contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) => {
            Some(s[..s.len().min(9)].to_owned())
        }
        Some(_) => {
            e.push("region_code", "行政区划代码须为 6、9 或 12 位数字");
            None
        }
    };
    if address.is_none() && point.is_none() && region_code.is_none() && e.0.is_empty() {
        e.push("address", "地址、坐标、行政区划代码至少填写一项");
    }

    let (mut reporter_name, mut reporter_phone, mut reporter_id_number) = (None, None, None);
    if let Some(r) = object(&mut e, o, "reporter", "reporter", &["name", "phone", "id_number"]) {
        reporter_name = text(&mut e, r, "name", "reporter.name", 1, 50);
        if let Some(p) = text(&mut e, r, "phone", "reporter.phone", 1, 20) {
            reporter_phone = phone("reporter.phone", &p).map_err(|x| e.0.push(x)).ok();
        }
        if let Some(i) = text(&mut e, r, "id_number", "reporter.id_number", 1, 18) {
            reporter_id_number = IdNumber::parse(&i)
                .map(|n| n.expose().to_owned())
                .map_err(|_| e.push("reporter.id_number", "身份证号须为 18 位且校验位正确"))
                .ok();
        }
    }
    let mut subject = None;
    if let Some(s) = object(&mut e, o, "subject", "subject", &["type", "name", "credit_code", "id_number"]) {
        let kind = text(&mut e, s, "type", "subject.type", 1, 20);
        if !matches!(kind.as_deref(), Some("enterprise" | "person")) {
            e.push("subject.type", "对象类型只能是 enterprise 或 person");
        }
        let name = text(&mut e, s, "name", "subject.name", 1, 100);
        let credit = text(&mut e, s, "credit_code", "subject.credit_code", 1, 18)
            .and_then(|c| credit_code("subject.credit_code", &c).map_err(|x| e.0.push(x)).ok());
        let idn = text(&mut e, s, "id_number", "subject.id_number", 1, 18).and_then(|i| {
            IdNumber::parse(&i)
                .map(|n| n.expose().to_owned())
                .map_err(|_| e.push("subject.id_number", "身份证号须为 18 位且校验位正确"))
                .ok()
        });
        if let Some(kind) = kind {
            subject = Some(Subject { kind, name, credit_code: credit, id_number: idn });
        }
    }
    let mut attachments = Vec::new();
    match o.get("attachments") {
        None | Some(Value::Null) => {}
        Some(Value::Array(list)) if list.len() <= MAX_ATTACHMENTS => {
            for a in list {
                let Value::Object(m) = a else {
                    e.push("attachments", "附件须为对象");
                    continue;
                };
                if let Some(k) = m.keys().find(|k| !["name", "content_type", "data"].contains(&k.as_str())) {
                    e.push("attachments", format!("附件不支持的字段 {k}"));
                }
                let name = text(&mut e, m, "name", "attachments.name", 1, 100);
                if name.is_none() && !e.0.iter().any(|x| x.field == "attachments.name") {
                    e.push("attachments.name", "附件须有文件名");
                }
                let ct = m.get("content_type").and_then(Value::as_str).unwrap_or_default();
                if !CONTENT_TYPES.contains(&ct) {
                    e.push("attachments.content_type", "附件类型只能是 JPEG、PNG、WebP 图片、PDF 或 MP4 视频");
                    continue;
                }
                let data = match m.get("data").and_then(Value::as_str).map(|d| B64.decode(d)) {
                    Some(Ok(d)) => d,
                    _ => {
                        e.push("attachments.data", "附件内容须为 Base64 编码");
                        continue;
                    }
                };
                if data.is_empty() || data.len() > MAX_ATTACHMENT_BYTES {
                    e.push("attachments.data", "单个附件须为 1 字节到 10 MiB");
                } else if !magic_ok(ct, &data) {
                    e.push("attachments.data", "附件内容与声明的类型不符");
                } else if let Some(name) = name {
                    attachments.push(Attachment { name, content_type: ct.to_owned(), data });
                }
            }
        }
        Some(Value::Array(_)) => e.push("attachments", "附件最多 9 个"),
        Some(_) => e.push("attachments", "须为数组"),
    }
    let extra = match o.get("extra") {
        None | Some(Value::Null) => None,
        Some(x @ Value::Object(_)) if x.to_string().len() <= MAX_EXTRA_BYTES => Some(x.clone()),
        Some(Value::Object(_)) => {
            e.push("extra", "扩展字段不能超过 16 KiB");
            None
        }
        Some(_) => {
            e.push("extra", "须为对象");
            None
        }
    };
    if !e.0.is_empty() {
        return Err(e.0);
    }
    let (Some(source_clue_id), Some(reported_at), Some(description), Some(category_code)) =
        (id, reported_at, description, category)
    else {
        return Err(vec![FieldError::new("source_clue_id", "缺少必填字段")]);
    };
    let title = title.unwrap_or_else(|| {
        // The first sentence, at most 30 characters, without a dangling bracket or comma.
        let first: String = description.chars().take_while(|c| !"。！？；\n".contains(*c)).take(30).collect();
        first.trim_end_matches(['（', '(', '，', ',', '、', '：', ':', ' ']).to_owned()
    });
    Ok(IntakeClue {
        source_clue_id,
        reported_at,
        occurred_at,
        description,
        title,
        address: address.unwrap_or_default(),
        point,
        coord_system,
        region_code,
        category_code,
        case_type_code: case_type,
        severity_code: severity,
        reporter_name,
        reporter_phone,
        reporter_id_number,
        subject,
        attachments,
        extra,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// 2026-11-30.
    const NOW: i64 = 1_796_000_000_000;

    fn good() -> Value {
        json!({
            "source_clue_id": "LD-20261126-0001",
            "reported_at": "2026-11-26T09:30:00+08:00",
            "description": "丽阳街与中山街交叉口有流动摊贩占道经营",
            "address": "莲都区丽阳街与中山街交叉口",
            "location": {"longitude": 119.9226, "latitude": 28.4535, "coord_system": "gcj02"},
            "category_code": "E0502",
            "reporter": {"name": "李先生", "phone": "138 0578 1234"},
            "subject": {"type": "enterprise", "name": "丽水某餐饮店", "credit_code": "91331102MA2HXXXX0X"},
            "attachments": [{"name": "现场.jpg", "content_type": "image/jpeg", "data": B64.encode([0xFF, 0xD8, 0xFF, 0xE0, 1, 2])}],
            "extra": {"grid": "A-12"}
        })
    }

    #[test]
    fn a_good_clue_parses_and_normalises() {
        let mut v = good();
        v["subject"]["credit_code"] =
            json!(format!("91331102MA2HXXXX0{}", credit_code_check("91331102MA2HXXXX0").unwrap_or('0')));
        let c = parse(&v, NOW).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(c.reporter_phone.as_deref(), Some("13805781234"));
        assert_eq!(c.title, "丽阳街与中山街交叉口有流动摊贩占道经营");
        let p = c.point.unwrap_or(Point { lon: 0.0, lat: 0.0 });
        // GCJ-02 → WGS84 moves the point by a few hundred metres.
        let d = p.distance_m(Point { lon: 119.9226, lat: 28.4535 });
        assert!((200.0..800.0).contains(&d), "{p:?} moved {d} m");
        assert_eq!(c.coord_system.as_deref(), Some("gcj02"));
        assert_eq!(c.attachments.len(), 1);
        assert_eq!(
            format_time(parse_time("t", "2026-11-26T09:30:00.123+08:00").unwrap_or(0)),
            "2026-11-26T09:30:00.123+08:00"
        );
    }

    #[test]
    fn every_rule_is_reported_with_its_field() {
        let bad = json!({
            "source_clue_id": "bad id!",
            "reported_at": "yesterday",
            "description": "短",
            "location": {"longitude": 116.4, "latitude": 39.9},
            "category_code": 5,
            "reporter": {"phone": "12345", "id_number": "110101199003070000"},
            "subject": {"type": "alien"},
            "attachments": [{"name": "a.jpg", "content_type": "image/jpeg", "data": B64.encode(b"%PDF-1.4")}],
            "unknown": 1
        });
        let errs = parse(&bad, NOW).err().unwrap_or_default();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_ref()).collect();
        for f in [
            "unknown",
            "source_clue_id",
            "reported_at",
            "description",
            "location",
            "category_code",
            "reporter.phone",
            "reporter.id_number",
            "subject.type",
            "attachments.data",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
        let mut v = good();
        v.as_object_mut().map(|o| {
            o.remove("address");
            o.remove("location")
        });
        let errs = parse(&v, NOW).err().unwrap_or_default();
        assert!(errs.iter().any(|e| e.field == "address" || e.field == "subject.credit_code"), "{errs:?}");
        let future = json!({"source_clue_id": "x", "reported_at": "2030-01-01T00:00:00Z", "description": "一二三四五", "region_code": "331102", "category_code": "E0502"});
        assert!(parse(&future, NOW).is_err());
    }

    #[test]
    fn field_mapping_moves_their_names_to_ours() {
        let theirs = json!({"sqnr": "市民反映有人占道经营", "lxdh": "13805781234", "jd": 119.9, "addr": "中山街"});
        let mut m = BTreeMap::new();
        m.insert("description".to_owned(), "sqnr".to_owned());
        m.insert("reporter_phone".to_owned(), "lxdh".to_owned());
        m.insert("longitude".to_owned(), "jd".to_owned());
        m.insert("address".to_owned(), "addr".to_owned());
        let ours = apply_field_mapping(theirs, &m);
        assert_eq!(ours["description"], "市民反映有人占道经营");
        assert_eq!(ours["reporter"]["phone"], "13805781234");
        assert_eq!(ours["location"]["longitude"], 119.9);
        assert_eq!(ours["address"], "中山街");
        assert!(ours.get("sqnr").is_none());
    }

    #[test]
    fn phones_credit_codes_and_hashes() {
        assert!(phone("p", "0578-2123456").is_ok());
        assert!(phone("p", "13805781234").is_ok());
        assert!(phone("p", "2123456").is_err());
        // A published example code (GB 32100 check digit).
        assert!(credit_code("c", "91350100M000100Y43").is_ok());
        assert!(credit_code("c", "91350100M000100Y44").is_err());
        assert_eq!(Payload::of(&json!({"b": 1, "a": 2})), Payload::of(&json!({"a": 2, "b": 1})));
    }
}
