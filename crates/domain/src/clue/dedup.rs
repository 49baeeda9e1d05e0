//! Near-duplicate detection of clues (去重, F10): Chinese word segmentation with a domain
//! dictionary, a text similarity over words and character bigrams, combined with distance, a time
//! window and the category family. Pure: the caller fetches candidates (nearby, recent) from the
//! database and asks for a verdict per candidate.

use std::collections::HashSet;

use jieba_rs::Jieba;

use crate::geo::Point;

/// Domain terms jieba would otherwise split (占道经营 → 占/道/经营).
pub const DOMAIN_WORDS: &[&str] = &[
    "占道经营",
    "店外经营",
    "出店经营",
    "流动摊贩",
    "流动摊点",
    "无照经营",
    "游商",
    "暴露垃圾",
    "积存垃圾",
    "垃圾渣土",
    "乱堆物堆料",
    "乱堆乱放",
    "非法小广告",
    "牛皮癣",
    "小广告",
    "施工扰民",
    "工地扬尘",
    "道路遗撒",
    "渣土车",
    "机动车乱停放",
    "乱停放",
    "乱停乱放",
    "非机动车",
    "共享单车",
    "电瓶车",
    "井盖",
    "窨井盖",
    "雨水井",
    "污水井",
    "路灯不亮",
    "路灯",
    "露天烧烤",
    "油烟扰民",
    "噪声扰民",
    "违法搭建",
    "违章搭建",
    "私搭乱建",
    "下水道",
    "道路积水",
    "路面塌陷",
    "路面破损",
    "树木倒伏",
    "流浪乞讨",
    "废品收购",
    "黑车拉客",
    "广场舞",
    "夜宵摊",
    "水果摊",
    "早餐摊",
];

/// Words that carry no information about which problem or place a report is about.
const STOP_WORDS: &[&str] = &[
    "的", "了", "在", "有", "是", "和", "与", "也", "都", "很", "就", "还", "又", "这", "那", "个", "一", "一个",
    "这里", "那里", "这边", "附近", "旁边", "周边", "一带", "市民", "群众", "来电", "反映", "投诉", "举报", "要求",
    "希望", "请", "处理", "解决", "尽快", "相关", "有关", "部门", "管理", "问题", "情况", "现场", "存在", "发现",
    "严重", "影响", "造成", "导致", "已", "已经", "目前", "现在", "今天", "每天", "经常", "一直", "多次", "没有",
    "无人", "人", "我们", "我", "他们", "对", "被", "把", "给", "让", "及", "等", "处", "上", "下", "里", "中", "路段",
    "路口", "位置", "地点", "，", "。", "、", "！", "？", "：", "；", "（", "）", "「", "」", "“", "”",
];

/// Segments text into normalised terms. Build once and share: loading the dictionary takes time.
pub struct Segmenter {
    jieba: Jieba,
    stop: HashSet<&'static str>,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Segmenter")
    }
}

impl Default for Segmenter {
    fn default() -> Self {
        Self::new(DOMAIN_WORDS)
    }
}

impl Segmenter {
    pub fn new(domain_words: &[&str]) -> Segmenter {
        let mut jieba = Jieba::new();
        for w in domain_words {
            jieba.add_word(w, Some(100_000), None);
        }
        Segmenter { jieba, stop: STOP_WORDS.iter().copied().collect() }
    }

    /// Normalised terms of a text: full-width folded, lower case, no punctuation or stop words.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let norm = normalise(text);
        self.jieba
            .cut(&norm, true)
            .into_iter()
            .map(|t| t.word.trim())
            .filter(|w| !w.is_empty() && !self.stop.contains(w) && w.chars().any(char::is_alphanumeric))
            .map(str::to_owned)
            .collect()
    }

    pub fn fingerprint(&self, text: &str) -> Fingerprint {
        Fingerprint::from_terms(self.terms(text))
    }
}

impl Fingerprint {
    /// Rebuild from stored terms (the bigrams are derived from them).
    pub fn from_terms(terms: Vec<String>) -> Fingerprint {
        let mut bigrams: Vec<u64> = Vec::new();
        for t in &terms {
            let mut cs = t.chars();
            let Some(mut prev) = cs.next() else { continue };
            let mut single = true;
            for c in cs {
                bigrams.push(bigram(prev, Some(c)));
                prev = c;
                single = false;
            }
            if single {
                bigrams.push(bigram(prev, None));
            }
        }
        let mut terms = terms;
        terms.sort_unstable();
        terms.dedup();
        bigrams.sort_unstable();
        bigrams.dedup();
        Fingerprint { terms, bigrams }
    }
}

/// A character bigram packed into an integer (a term of one character stands for itself).
fn bigram(a: char, b: Option<char>) -> u64 {
    // `u32::MAX` is no character.
    (u64::from(u32::from(a)) << 32) | u64::from(b.map_or(u32::MAX, u32::from))
}

/// Fold full-width ASCII to half-width and lower-case it.
fn normalise(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// What the similarity of two texts is computed from (sorted, de-duplicated).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fingerprint {
    pub terms: Vec<String>,
    /// Character bigrams of the terms, packed (see [`bigram`]).
    pub bigrams: Vec<u64>,
}

fn dice<T: Ord>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// Text similarity in 0..=1: the mean of the Dice coefficients over words and over character
/// bigrams (the bigrams catch paraphrases that segment differently).
pub fn text_similarity(a: &Fingerprint, b: &Fingerprint) -> f64 {
    0.5 * dice(&a.terms, &b.terms) + 0.5 * dice(&a.bigrams, &b.bigrams)
}

/// Settings of one comparison (from the global or the category's dedup setting).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DedupParams {
    pub high_threshold: f64,
    pub low_threshold: f64,
    pub radius_m: f64,
    pub window_ms: i64,
    /// Require the same major category (大类).
    pub same_category: bool,
    /// Weights of same minor category, proximity and text similarity (sum 1).
    pub weights: [f64; 3],
}

/// One side of a comparison.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    pub point: Point,
    pub at_ms: i64,
    /// Minor category code, e.g. `E0502`; its first three characters are the major category.
    pub category: &'a str,
    pub fingerprint: &'a Fingerprint,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// Same problem: merge into the existing case.
    Merge(f64),
    /// Possibly the same: queue for a dispatcher to decide.
    Suspected(f64),
    Distinct,
}

fn major(code: &str) -> &str {
    code.get(..3).unwrap_or(code)
}

/// Default weights of the combined score: same minor category, proximity, text similarity
/// (configuration in `dedup_settings`; these are the values measured in docs/dedup.md).
pub const DEFAULT_WEIGHTS: [f64; 3] = [0.5, 0.25, 0.25];

/// Where and when a report is, and its category: what the gates of [`score`] look at.
#[derive(Debug, Clone, Copy)]
pub struct Site<'a> {
    pub point: Point,
    pub at_ms: i64,
    pub category: &'a str,
}

impl<'a> Report<'a> {
    pub fn site(&self) -> Site<'a> {
        Site { point: self.point, at_ms: self.at_ms, category: self.category }
    }
}

/// The proximity part of [`score`], or `None` when a gate (distance beyond twice the radius,
/// outside the time window, different category family when required) rules a duplicate out. Cheap:
/// a caller can skip the text of candidates that fail it.
pub fn proximity(p: &DedupParams, new: Site<'_>, old: Site<'_>) -> Option<f64> {
    if (new.at_ms - old.at_ms).abs() > p.window_ms {
        return None;
    }
    if p.same_category && major(new.category) != major(old.category) {
        return None;
    }
    let d = new.point.distance_m(old.point);
    if d > 2.0 * p.radius_m {
        return None;
    }
    // Full proximity within half the radius, falling to 0 at twice the radius.
    Some(if d <= p.radius_m / 2.0 { 1.0 } else { (2.0 * p.radius_m - d) / (1.5 * p.radius_m) })
}

/// Combined score in 0..=1, or `None` when a gate rules a duplicate out (see [`proximity`]).
pub fn score(p: &DedupParams, new: &Report<'_>, old: &Report<'_>) -> Option<f64> {
    let prox = proximity(p, new.site(), old.site())?;
    // Reporters word the same problem very differently (median word/bigram similarity of true
    // duplicates is about 0.35), so text similarity counts fully from 0.5 on.
    let text = (text_similarity(new.fingerprint, old.fingerprint) / 0.5).min(1.0);
    let same_minor = if new.category == old.category { 1.0 } else { 0.0 };
    let [wc, wp, wt] = p.weights;
    Some((wc * same_minor + wp * prox + wt * text).clamp(0.0, 1.0))
}

pub fn verdict(p: &DedupParams, new: &Report<'_>, old: &Report<'_>) -> Verdict {
    match score(p, new, old) {
        Some(s) if s >= p.high_threshold => Verdict::Merge(s),
        Some(s) if s >= p.low_threshold => Verdict::Suspected(s),
        _ => Verdict::Distinct,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;

    fn seg() -> &'static Segmenter {
        static S: OnceLock<Segmenter> = OnceLock::new();
        S.get_or_init(Segmenter::default)
    }

    #[test]
    fn domain_words_stay_whole_and_stop_words_go() {
        let t = seg().terms("市民来电反映：丽阳街有人占道经营，要求处理！");
        assert!(t.contains(&"占道经营".to_owned()), "{t:?}");
        assert!(!t.iter().any(|w| w == "市民" || w == "要求" || w == "，"), "{t:?}");
        assert_eq!(normalise("ＡＢＣ１２３"), "abc123");
    }

    #[test]
    fn paraphrases_score_higher_than_different_problems() {
        let a = seg().fingerprint("丽阳街与中山街交叉口有流动摊贩占道经营，卖水果的三轮车堵住人行道");
        let b = seg().fingerprint("中山街丽阳街路口水果三轮车占道经营，人行道走不了");
        let c = seg().fingerprint("丽阳街与中山街交叉口井盖缺失，很危险");
        assert!(
            text_similarity(&a, &b) > text_similarity(&a, &c),
            "{} vs {}",
            text_similarity(&a, &b),
            text_similarity(&a, &c)
        );
    }

    #[test]
    fn gates_and_verdicts() {
        let p = DedupParams {
            high_threshold: 0.8,
            low_threshold: 0.55,
            radius_m: 100.0,
            window_ms: 72 * 3_600_000,
            same_category: true,
            weights: DEFAULT_WEIGHTS,
        };
        let fa = seg().fingerprint("紫金路菜场门口乱堆物堆料，纸箱堆满人行道");
        let fb = seg().fingerprint("紫金路菜市场门口纸箱乱堆物堆料堵住人行道");
        let here = Point { lon: 119.9200, lat: 28.4600 };
        let near = Point { lon: 119.9202, lat: 28.4601 };
        let far = Point { lon: 119.9300, lat: 28.4600 };
        let a = Report { point: here, at_ms: 0, category: "E0108", fingerprint: &fa };
        let b = Report { point: near, at_ms: 3_600_000, category: "E0108", fingerprint: &fb };
        assert!(matches!(verdict(&p, &b, &a), Verdict::Merge(_) | Verdict::Suspected(_)), "{:?}", score(&p, &b, &a));
        let b_far = Report { point: far, ..b.clone() };
        assert_eq!(verdict(&p, &b_far, &a), Verdict::Distinct);
        let b_late = Report { at_ms: 10 * 24 * 3_600_000, ..b.clone() };
        assert_eq!(score(&p, &b_late, &a), None);
        let b_other = Report { category: "C0101", ..b.clone() };
        assert_eq!(score(&p, &b_other, &a), None);
    }
}
