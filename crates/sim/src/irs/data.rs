//! Deterministic synthetic Lishui enforcement data: every record is a pure function of the seed,
//! its dataset and its index, so a restarted simulator serves the same pages.
//!
//! Regions and enforcement bodies come from the platform's own master data (migration
//! 0003_lishui_master_data.sql, 9 counties + 丽水经济技术开发区, 173 townships, the departments),
//! so body names in the facts match the departments of this installation.

use serde_json::{Map, Value, json};
use xiezhi_domain::integration::irs::{Dataset, Record};

const MASTER_DATA: &str = include_str!("../../../storage/migrations/sqlite/0003_lishui_master_data.sql");

/// 2024-06-01 00:00 China time: the start of the synthetic history.
pub const BASE_MS: i64 = 1_717_171_200_000;
/// The history spans 540 days.
pub const SPAN_MS: i64 = 540 * 86_400_000;
const DAY: i64 = 86_400_000;

/// SplitMix64: a tiny, fast, well-mixed generator; one per record.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    /// True with probability `p` percent.
    pub fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below(u64::try_from(hi - lo).unwrap_or(1).max(1)) as i64
    }
}

fn mix(a: u64, b: u64) -> u64 {
    Rng::new(a ^ b.wrapping_mul(0xD1B5_4A32_D192_ED03)).next_u64()
}

#[derive(Debug, Clone)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub county: String,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub region_code: String,
}

/// The enforcement domain of an item and of the bodies that act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Domain {
    Comprehensive,
    Market,
    Ecology,
    Land,
    Housing,
    Transport,
    Agriculture,
    Culture,
    Safety,
}

impl Domain {
    /// A body of this domain has this in its name.
    fn keyword(self) -> &'static str {
        match self {
            Domain::Comprehensive => "综合行政执法",
            Domain::Market => "市场监督管理",
            Domain::Ecology => "生态环境",
            Domain::Land => "自然资源和规划",
            Domain::Housing => "住房和城乡建设",
            Domain::Transport => "交通运输",
            Domain::Agriculture => "农业农村",
            Domain::Culture => "文化和广电旅游体育",
            Domain::Safety => "应急管理",
        }
    }
    fn number(self) -> u8 {
        match self {
            Domain::Comprehensive => 17,
            Domain::Market => 21,
            Domain::Ecology => 27,
            Domain::Land => 13,
            Domain::Housing => 14,
            Domain::Transport => 15,
            Domain::Agriculture => 16,
            Domain::Culture => 18,
            Domain::Safety => 19,
        }
    }
}

/// What an item is for: licensing, penalties, inspections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    License,
    Penalty,
    Inspection,
}

const ITEM_TEMPLATES: &[(&str, Domain, Class)] = &[
    ("对擅自占用城市道路的行政处罚", Domain::Comprehensive, Class::Penalty),
    ("对在城市道路两侧和公共场地擅自堆放物料、摆摊设点的行政处罚", Domain::Comprehensive, Class::Penalty),
    ("对随意倾倒、抛撒、堆放建筑垃圾的行政处罚", Domain::Comprehensive, Class::Penalty),
    ("对擅自设置大型户外广告的行政处罚", Domain::Comprehensive, Class::Penalty),
    ("对未取得建设工程规划许可证进行建设的行政处罚", Domain::Comprehensive, Class::Penalty),
    ("对餐饮服务业经营者未安装油烟净化设施的行政处罚", Domain::Comprehensive, Class::Penalty),
    ("对擅自砍伐、移植城市树木的行政处罚", Domain::Comprehensive, Class::Penalty),
    ("对运输渣土车辆未密闭造成泄漏遗撒的行政处罚", Domain::Comprehensive, Class::Penalty),
    ("对未按规定分类投放生活垃圾的行政处罚", Domain::Comprehensive, Class::Penalty),
    ("对违规停放机动车占用人行道的行政处罚", Domain::Comprehensive, Class::Penalty),
    ("对市容环境卫生责任区的行政检查", Domain::Comprehensive, Class::Inspection),
    ("对建筑工地文明施工的行政检查", Domain::Comprehensive, Class::Inspection),
    ("城市建筑垃圾处置核准", Domain::Comprehensive, Class::License),
    ("设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批", Domain::Comprehensive, Class::License),
    ("对生产经营不符合食品安全标准的食品的行政处罚", Domain::Market, Class::Penalty),
    ("对未取得食品经营许可从事食品经营活动的行政处罚", Domain::Market, Class::Penalty),
    ("对销售侵犯注册商标专用权商品的行政处罚", Domain::Market, Class::Penalty),
    ("对经营者不明码标价的行政处罚", Domain::Market, Class::Penalty),
    ("对发布虚假广告的行政处罚", Domain::Market, Class::Penalty),
    ("对食品经营者的行政检查", Domain::Market, Class::Inspection),
    ("对特种设备使用单位的行政检查", Domain::Market, Class::Inspection),
    ("食品经营许可", Domain::Market, Class::License),
    ("对超过大气污染物排放标准排放大气污染物的行政处罚", Domain::Ecology, Class::Penalty),
    ("对建设项目环境影响评价文件未经批准擅自开工建设的行政处罚", Domain::Ecology, Class::Penalty),
    ("对通过暗管、渗井等逃避监管的方式排放水污染物的行政处罚", Domain::Ecology, Class::Penalty),
    ("对排污单位的行政检查", Domain::Ecology, Class::Inspection),
    ("排污许可证核发", Domain::Ecology, Class::License),
    ("对非法占用土地的行政处罚", Domain::Land, Class::Penalty),
    ("对未取得采矿许可证擅自采矿的行政处罚", Domain::Land, Class::Penalty),
    ("对土地利用情况的行政检查", Domain::Land, Class::Inspection),
    ("建设工程规划许可证核发", Domain::Land, Class::License),
    ("对施工单位未采取扬尘污染防治措施的行政处罚", Domain::Housing, Class::Penalty),
    ("对未取得施工许可证擅自施工的行政处罚", Domain::Housing, Class::Penalty),
    ("对房地产开发企业的行政检查", Domain::Housing, Class::Inspection),
    ("建筑工程施工许可证核发", Domain::Housing, Class::License),
    ("对未取得道路运输经营许可擅自从事道路运输经营的行政处罚", Domain::Transport, Class::Penalty),
    ("对车辆违法超限运输的行政处罚", Domain::Transport, Class::Penalty),
    ("对道路运输企业的行政检查", Domain::Transport, Class::Inspection),
    ("道路货物运输经营许可", Domain::Transport, Class::License),
    ("对使用禁用农药的行政处罚", Domain::Agriculture, Class::Penalty),
    ("对在禁渔区、禁渔期进行捕捞的行政处罚", Domain::Agriculture, Class::Penalty),
    ("对农资经营单位的行政检查", Domain::Agriculture, Class::Inspection),
    ("农药经营许可", Domain::Agriculture, Class::License),
    ("对擅自从事娱乐场所经营活动的行政处罚", Domain::Culture, Class::Penalty),
    ("对旅行社未与旅游者签订旅游合同的行政处罚", Domain::Culture, Class::Penalty),
    ("对文化市场经营单位的行政检查", Domain::Culture, Class::Inspection),
    ("娱乐场所经营许可", Domain::Culture, Class::License),
    ("对生产经营单位未对从业人员进行安全生产教育和培训的行政处罚", Domain::Safety, Class::Penalty),
    ("对未按规定设置安全警示标志的行政处罚", Domain::Safety, Class::Penalty),
    ("对危险化学品经营单位的行政检查", Domain::Safety, Class::Inspection),
    ("危险化学品经营许可", Domain::Safety, Class::License),
];

#[derive(Debug, Clone)]
pub struct Item {
    pub code: String,
    pub name: String,
    domain: Domain,
    class: Class,
}

/// The master data the generator draws on.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub townships: Vec<Region>,
    /// County code → name.
    pub counties: Vec<(String, String)>,
    pub bodies: Vec<Body>,
    pub items: Vec<Item>,
}

/// The quoted or bare values of one `(a, 'b', …),` line of the master data.
fn tuple(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('(').trim_end_matches(';').trim_end_matches(',').trim_end_matches(')');
    inner.split(", ").map(|v| v.trim().trim_matches('\'').to_owned()).collect()
}

const CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// An organisation code (GB 11714: 8 characters and a check character).
fn org_code(n: u64) -> String {
    let base: Vec<u32> = format!("{:08}", n % 100_000_000).bytes().map(|b| u32::from(b - b'0')).collect();
    let w = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = base.iter().zip(w).map(|(a, b)| a * b).sum();
    let c = 11 - sum % 11;
    let check = match c {
        10 => 'X',
        11 => '0',
        d => char::from(b'0' + d as u8),
    };
    format!("{}{check}", base.iter().map(|d| char::from(b'0' + *d as u8)).collect::<String>())
}

/// A unified social credit code (GB 32100) with a valid check character.
pub fn credit_code(kind: &str, region6: &str, n: u64) -> String {
    let body = format!("{kind}{region6}{}", org_code(n));
    let w = [1u32, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let sum: u32 =
        body.bytes().zip(w).map(|(b, w)| CHARSET.iter().position(|c| *c == b).map_or(0, |p| p as u32) * w).sum();
    let c = (31 - sum % 31) % 31;
    format!("{body}{}", char::from(CHARSET[c as usize]))
}

/// Is this a valid unified social credit code?
pub fn credit_code_valid(code: &str) -> bool {
    let b = code.as_bytes();
    if b.len() != 18 {
        return false;
    }
    let w = [1u32, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let pos = |x: u8| CHARSET.iter().position(|c| *c == x);
    let mut sum = 0;
    for (x, w) in b[..17].iter().zip(w) {
        match pos(*x) {
            Some(p) => sum += p as u32 * w,
            None => return false,
        }
    }
    pos(b[17]) == Some(((31 - sum % 31) % 31) as usize)
}

impl Catalog {
    pub fn lishui() -> Catalog {
        let mut townships = Vec::new();
        let mut counties = Vec::new();
        let mut bodies = Vec::new();
        for line in MASTER_DATA.lines().filter(|l| l.starts_with('(')) {
            let v = tuple(line);
            if v.len() == 6 && v[2] == "township" {
                townships.push(Region { code: v[0].clone(), name: v[1].clone(), county: v[3].clone() });
            } else if v.len() == 6 && v[2] == "county" {
                counties.push((v[0].clone(), v[1].clone()));
            } else if v.len() == 9 && !matches!(v[3].as_str(), "government" | "other") {
                let id: u64 = v[0].parse().unwrap_or_default();
                let region6: String = v[4].chars().take(6).collect();
                bodies.push(Body {
                    code: credit_code("11", &region6, 1_000_000 + id * 7919),
                    name: v[2].clone(),
                    kind: v[3].clone(),
                    region_code: v[4].clone(),
                });
            }
        }
        let mut seq = [0u32; 40];
        let items = ITEM_TEMPLATES
            .iter()
            .map(|(name, domain, class)| {
                let n = &mut seq[usize::from(domain.number())];
                *n += 1;
                let class_code = match class {
                    Class::License => 100,
                    Class::Penalty => 200,
                    Class::Inspection => 500,
                };
                Item {
                    code: format!("33{:02}{}{:02}000", domain.number(), class_code, *n),
                    name: (*name).to_owned(),
                    domain: *domain,
                    class: *class,
                }
            })
            .collect();
        Catalog { townships, counties, bodies, items }
    }

    fn county_name(&self, code: &str) -> &str {
        self.counties.iter().find(|(c, _)| c == code).map_or("丽水市", |(_, n)| n.as_str())
    }

    /// The body acting on `item` in `township`: the township's team for half of the comprehensive
    /// items, else the county's body of the item's domain, else the city's, else the county's
    /// comprehensive enforcement bureau.
    fn body_for(&self, rng: &mut Rng, item: &Item, township: &Region) -> &Body {
        if item.domain == Domain::Comprehensive
            && rng.percent(50)
            && let Some(b) = self.bodies.iter().find(|b| b.region_code == township.code)
        {
            return b;
        }
        let kw = item.domain.keyword();
        let in_county = |b: &&Body| b.region_code == township.county && b.kind != "squad";
        self.bodies
            .iter()
            .filter(in_county)
            .find(|b| b.name.contains(kw))
            .or_else(|| self.bodies.iter().find(|b| b.region_code == "331100" && b.name.contains(kw)))
            .or_else(|| self.bodies.iter().filter(in_county).find(|b| b.name.contains("综合行政执法")))
            .unwrap_or(&self.bodies[0])
    }

    fn items_of(&self, class: Class) -> Vec<&Item> {
        self.items.iter().filter(|i| i.class == class).collect()
    }
}

const SURNAMES: &[&str] = &[
    "叶", "吴", "陈", "林", "周", "徐", "潘", "毛", "季", "雷", "蓝", "钟", "王", "李", "张", "刘", "杨", "金", "朱",
    "胡", "郑", "何", "沈", "应", "梅", "柳", "项", "鲍", "练", "程",
];
const GIVEN: &[&str] = &[
    "建", "伟", "芳", "丽", "军", "华", "明", "敏", "静", "强", "磊", "洋", "艳", "勇", "杰", "娟", "涛", "超", "秀",
    "霞", "平", "刚", "桂", "英", "志", "国", "海", "红", "春", "文", "晓", "俊", "鹏", "慧", "琴", "飞", "燕", "林",
];
const BRANDS: &[&str] = &[
    "瓯江", "绿谷", "青瓷", "宝剑", "鑫源", "华辰", "宏达", "恒昌", "百川", "云和", "丽新", "万象", "南明", "紫金",
    "白云", "好川", "仙都", "畲乡", "凤阳", "括苍", "汇丰", "嘉禾", "盛华", "永泰", "天宁", "东方", "金穗", "丰源",
];
const TRADES: &[&str] = &[
    "餐饮管理有限公司",
    "建筑工程有限公司",
    "食品有限公司",
    "物流有限公司",
    "商贸有限公司",
    "农业开发有限公司",
    "五金制品有限公司",
    "服饰有限公司",
    "房地产开发有限公司",
    "木制玩具有限公司",
    "环保科技有限公司",
    "文化传媒有限公司",
    "汽车运输有限公司",
    "石材有限公司",
    "茶业有限公司",
];
const SHOPS: &[&str] =
    &["小吃店", "便利店", "五金店", "水果店", "早餐店", "烧烤店", "农资店", "理发店", "百货商店", "面馆"];

fn person_name(rng: &mut Rng) -> String {
    let mut s = (*rng.pick(SURNAMES)).to_owned();
    for _ in 0..if rng.percent(70) { 2 } else { 1 } {
        let given: &&str = rng.pick(GIVEN);
        s.push_str(given);
    }
    s
}

/// A regulated subject of a county, drawn from a pool of 3,000 per county so subjects recur.
pub fn subject(seed: u64, county: &str, county_name: &str) -> impl Fn(u64) -> (String, String, String) {
    let county = county.to_owned();
    let county_name = county_name.to_owned();
    move |n: u64| {
        let mut rng = Rng::new(mix(seed ^ county.parse::<u64>().unwrap_or_default(), n));
        let short = county_name.trim_end_matches("畲族自治县").trim_end_matches(['县', '区', '市']);
        let roll = rng.below(100);
        if roll < 55 {
            let name = format!("丽水市{short}{}{}", rng.pick(BRANDS), rng.pick(TRADES));
            ("enterprise".into(), name, credit_code("91", &county, rng.below(100_000_000)))
        } else if roll < 85 {
            let owner = person_name(&mut rng);
            let surname = owner.chars().next().unwrap_or('叶');
            let name = format!(
                "{county_name}{}{surname}记{}",
                rng.pick(&["", "城东", "城西", "城南", "城北", "新"]),
                rng.pick(SHOPS)
            );
            ("individual_business".into(), name, credit_code("92", &county, rng.below(100_000_000)))
        } else {
            let birth = 1960 + rng.below(45);
            let masked = format!("{county}{birth}********{:02}", rng.below(100)).chars().take(18).collect::<String>();
            ("person".into(), person_name(&mut rng), masked)
        }
    }
}

/// The synthetic platform: a catalogue, a seed and the size of each dataset.
#[derive(Debug, Clone)]
pub struct Generator {
    pub catalog: Catalog,
    pub seed: u64,
}

/// How 100 parts of the fact records are shared among the fact datasets.
const WEIGHTS: &[(Dataset, u64)] = &[
    (Dataset::License, 16),
    (Dataset::Inspection, 32),
    (Dataset::Penalty, 22),
    (Dataset::Complaint, 14),
    (Dataset::Reconsideration, 2),
    (Dataset::Litigation, 1),
    (Dataset::Rectification, 8),
    (Dataset::Transfer, 5),
];

impl Generator {
    pub fn new(seed: u64) -> Generator {
        Generator { catalog: Catalog::lishui(), seed }
    }

    /// Records per dataset for `total` records in all (dimensions first, at most their catalogue
    /// size; the rest shared by weight, the remainder to inspections).
    pub fn sizes(&self, total: u64) -> Vec<(Dataset, u64)> {
        let bodies = (self.catalog.bodies.len() as u64).min(total);
        let items = (self.catalog.items.len() as u64).min(total - bodies);
        let rest = total - bodies - items;
        let mut out = vec![(Dataset::Body, bodies), (Dataset::Item, items)];
        let mut given = 0;
        for (d, w) in WEIGHTS {
            let n = rest * w / 100;
            given += n;
            out.push((*d, n));
        }
        if let Some(x) = out.iter_mut().find(|(d, _)| *d == Dataset::Inspection) {
            x.1 += rest - given;
        }
        out
    }

    fn rng(&self, d: Dataset, i: u64) -> Rng {
        Rng::new(mix(self.seed ^ (d as u64 + 1).wrapping_mul(0xA24B_AED4_963E_E407), i))
    }

    /// `updatedAt` of record `i`: strictly increasing in `i` (step `step` ms, jitter below it).
    pub fn updated_at(&self, d: Dataset, i: u64, step: i64) -> i64 {
        let mut r = self.rng(d, i ^ 0x5555);
        BASE_MS + i as i64 * step + r.below(u64::try_from(step).unwrap_or(1).max(1)) as i64
    }

    pub fn record_id(&self, d: Dataset, i: u64) -> String {
        match d {
            Dataset::Body => self.catalog.bodies[(i as usize) % self.catalog.bodies.len()].code.clone(),
            Dataset::Item => self.catalog.items[(i as usize) % self.catalog.items.len()].code.clone(),
            _ => format!("{}{:010}", prefix(d), i),
        }
    }

    /// Record `i` of dataset `d`.
    pub fn record(&self, d: Dataset, i: u64, step: i64) -> Record {
        let updated_at = self.updated_at(d, i, step);
        let record_id = self.record_id(d, i);
        let mut rng = self.rng(d, i);
        let mut r = Record {
            record_id,
            updated_at,
            region_code: String::new(),
            region_name: String::new(),
            dept_code: String::new(),
            dept_name: String::new(),
            item_code: String::new(),
            item_name: String::new(),
            subject_type: String::new(),
            subject_name: String::new(),
            subject_code: String::new(),
            occurred_at: None,
            concluded_at: None,
            kind: String::new(),
            status: String::new(),
            amount: None,
            title: String::new(),
            attrs: Map::new(),
        };
        let cat = &self.catalog;
        match d {
            Dataset::Body => {
                let b = &cat.bodies[(i as usize) % cat.bodies.len()];
                r.region_code = b.region_code.clone();
                r.region_name = region_name(cat, &b.region_code);
                r.dept_code = b.code.clone();
                r.dept_name = b.name.clone();
                r.kind = b.kind.clone();
                r.status = "有效".into();
                r.title = b.name.clone();
                r.occurred_at = Some(BASE_MS - rng.range(365, 3650) * DAY);
                r.attrs = attrs(json!({ "staff": rng.range(6, 80), "lawEnforcementCertificates": rng.range(4, 60) }));
                return r;
            }
            Dataset::Item => {
                let it = &cat.items[(i as usize) % cat.items.len()];
                r.region_code = "331100".into();
                r.region_name = "丽水市".into();
                r.item_code = it.code.clone();
                r.item_name = it.name.clone();
                r.kind = match it.class {
                    Class::License => "行政许可",
                    Class::Penalty => "行政处罚",
                    Class::Inspection => "行政检查",
                }
                .into();
                if let Some(b) =
                    cat.bodies.iter().find(|b| b.region_code == "331100" && b.name.contains(it.domain.keyword()))
                {
                    r.dept_code = b.code.clone();
                    r.dept_name = b.name.clone();
                }
                r.status = "在用".into();
                r.title = it.name.clone();
                r.attrs = attrs(json!({ "domain": it.domain.keyword(), "catalogueVersion": "2024" }));
                return r;
            }
            _ => {}
        }
        // Facts: where, which item, who acted, on whom, when.
        let township = rng.pick(&cat.townships).clone();
        let class = match d {
            Dataset::License => Class::License,
            Dataset::Inspection => Class::Inspection,
            _ => Class::Penalty,
        };
        let items = cat.items_of(class);
        let item = (*rng.pick(&items)).clone();
        let body = cat.body_for(&mut rng, &item, &township).clone();
        let county_name = cat.county_name(&township.county).to_owned();
        let (st, sn, sc) = subject(self.seed, &township.county, &county_name)(rng.below(3000));
        r.region_code = township.code.clone();
        r.region_name = format!("{county_name}{}", township.name);
        r.dept_code = body.code.clone();
        r.dept_name = body.name.clone();
        r.item_code = item.code.clone();
        r.item_name = item.name.clone();
        r.subject_type = st;
        r.subject_name = sn;
        r.subject_code = sc;
        let occurred = updated_at - rng.range(0, 40) * DAY - rng.range(0, DAY);
        r.occurred_at = Some(occurred);
        let year = 2024 + (occurred - BASE_MS) / (365 * DAY) + i64::from(occurred >= 1_735_660_800_000);
        let year = year.min(2026);
        let short: String = county_name.chars().take(2).collect();
        let concluded = |rng: &mut Rng, lo: i64, hi: i64| Some((occurred + rng.range(lo, hi) * DAY).min(updated_at));
        match d {
            Dataset::License => {
                r.kind = item.name.trim_end_matches("核发").trim_end_matches("审批").to_owned();
                let roll = rng.below(100);
                r.status = if roll < 90 {
                    "准予许可"
                } else if roll < 96 {
                    "不予许可"
                } else {
                    "已注销"
                }
                .into();
                r.concluded_at = concluded(&mut rng, 1, 15);
                r.title = format!("浙丽{short}许〔{year}〕{}号", rng.range(1, 9999));
                r.attrs = attrs(
                    json!({ "validYears": rng.range(3, 6), "applyChannel": if rng.percent(80) { "浙里办" } else { "窗口" } }),
                );
            }
            Dataset::Inspection => {
                let kinds = ["routine_patrol", "double_random", "special", "cross_department", "triggered"];
                let w = rng.below(100);
                r.kind = kinds[if w < 45 {
                    0
                } else if w < 70 {
                    1
                } else if w < 85 {
                    2
                } else if w < 95 {
                    3
                } else {
                    4
                }]
                .into();
                let roll = rng.below(100);
                r.status = if roll < 68 {
                    "未发现问题"
                } else if roll < 93 {
                    "责令整改"
                } else {
                    "移交立案"
                }
                .into();
                r.concluded_at = Some(occurred + rng.range(1, 8) * 3_600_000);
                r.title = format!("{}检查记录", body.name);
                r.attrs = attrs(json!({ "inspectors": rng.range(2, 5), "usedZheliMobile": rng.percent(85) }));
            }
            Dataset::Penalty => {
                let summary = rng.percent(35);
                r.kind = if summary { "summary" } else { "ordinary" }.into();
                r.amount = Some(if summary { rng.range(50, 201) * 100 } else { rng.range(5, 2000) * 10_000 });
                r.status = if rng.percent(82) { "已结案" } else { "执行中" }.into();
                if r.status == "已结案" {
                    r.concluded_at = concluded(&mut rng, 1, if summary { 2 } else { 90 });
                }
                r.title = format!("{short}综执罚决字〔{year}〕第{:05}号", rng.range(1, 30000));
                r.attrs = attrs(json!({
                    "penaltyTypes": if summary { vec!["警告", "罚款"] } else if rng.percent(30) { vec!["罚款", "没收违法所得"] } else { vec!["罚款"] },
                    "illegalIncome": if rng.percent(25) { rng.range(1, 500) * 10_000 } else { 0 },
                    "tier": if body.kind == "township_office" { "township" } else if item_is_comprehensive(&item) { "comprehensive" } else { "professional" }
                }));
            }
            Dataset::Complaint => {
                r.kind = if rng.percent(70) { "投诉" } else { "举报" }.into();
                let roll = rng.below(100);
                r.status = if roll < 80 {
                    "已办结"
                } else if roll < 94 {
                    "办理中"
                } else {
                    "不予受理"
                }
                .into();
                if r.status != "办理中" {
                    r.concluded_at = concluded(&mut rng, 1, 30);
                }
                r.title = format!("关于{}的{}", r.subject_name, r.kind);
                let channels = ["12345热线", "浙里办", "信访", "来电", "现场"];
                r.attrs = attrs(json!({ "channel": rng.pick(&channels), "satisfied": rng.percent(88) }));
            }
            Dataset::Reconsideration => {
                let results = ["维持", "维持", "维持", "撤销", "变更", "确认违法", "驳回", "终止"];
                r.kind = "行政复议".into();
                r.status = (*rng.pick(&results)).into();
                r.concluded_at = concluded(&mut rng, 20, 60);
                r.title = format!("丽政复〔{year}〕{}号", rng.range(1, 600));
                r.attrs = attrs(json!({ "organ": "丽水市人民政府行政复议局" }));
            }
            Dataset::Litigation => {
                r.kind = if rng.percent(75) { "一审" } else { "二审" }.into();
                let results =
                    ["判决驳回诉讼请求", "判决驳回诉讼请求", "判决撤销", "原告撤诉", "判决确认违法", "审理中"];
                r.status = (*rng.pick(&results)).into();
                if r.status != "审理中" {
                    r.concluded_at = concluded(&mut rng, 30, 180);
                }
                let court = if r.kind == "二审" {
                    "丽水市中级人民法院".to_owned()
                } else {
                    format!("{county_name}人民法院")
                };
                r.title =
                    format!("（{year}）浙11{}行初{}号", if r.kind == "二审" { "" } else { "02" }, rng.range(1, 400));
                r.attrs = attrs(json!({ "court": court, "headAppeared": rng.percent(90) }));
            }
            Dataset::Rectification => {
                r.kind = "责令限期整改".into();
                let roll = rng.below(100);
                r.status = if roll < 78 {
                    "已整改"
                } else if roll < 93 {
                    "整改中"
                } else {
                    "逾期未整改"
                }
                .into();
                let deadline = occurred + rng.range(3, 30) * DAY;
                if r.status == "已整改" {
                    r.concluded_at = Some((deadline - rng.range(0, 3) * DAY).min(updated_at));
                }
                r.title = format!("{short}责改字〔{year}〕{}号", rng.range(1, 20000));
                r.attrs = attrs(json!({ "deadline": deadline, "reviewed": r.status == "已整改" }));
            }
            Dataset::Transfer => {
                let to = [
                    ("移送司法机关", "丽水市公安局"),
                    ("移送其他行政机关", "丽水市市场监督管理局"),
                    ("移送其他行政机关", "丽水市生态环境局"),
                    ("移送纪检监察机关", "丽水市纪委市监委"),
                ];
                let (k, org) = *rng.pick(&to);
                r.kind = k.into();
                r.status = if rng.percent(85) { "已接收" } else { "待接收" }.into();
                if r.status == "已接收" {
                    r.concluded_at = concluded(&mut rng, 1, 10);
                }
                r.title = format!("{short}移字〔{year}〕{}号", rng.range(1, 3000));
                r.attrs = attrs(json!({ "receiver": org }));
            }
            Dataset::Body | Dataset::Item => {}
        }
        r
    }
}

fn item_is_comprehensive(item: &Item) -> bool {
    item.domain == Domain::Comprehensive
}

fn prefix(d: Dataset) -> &'static str {
    match d {
        Dataset::Body => "ZT",
        Dataset::Item => "SX",
        Dataset::License => "XK",
        Dataset::Inspection => "JC",
        Dataset::Penalty => "CF",
        Dataset::Complaint => "TS",
        Dataset::Reconsideration => "FY",
        Dataset::Litigation => "SS",
        Dataset::Rectification => "ZG",
        Dataset::Transfer => "YS",
    }
}

fn region_name(cat: &Catalog, code: &str) -> String {
    if let Some(t) = cat.townships.iter().find(|t| t.code == code) {
        return format!("{}{}", cat.county_name(&t.county), t.name);
    }
    cat.county_name(code).to_owned()
}

fn attrs(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn master_data_is_parsed() {
        let c = Catalog::lishui();
        assert_eq!(c.counties.len(), 10, "9 counties + the development zone");
        assert_eq!(c.townships.len(), 173);
        assert!(c.bodies.len() > 250, "{}", c.bodies.len());
        assert!(c.bodies.iter().all(|b| credit_code_valid(&b.code)));
        assert!(c.items.iter().all(|i| i.code.len() == 12));
        let codes: std::collections::HashSet<_> = c.items.iter().map(|i| &i.code).collect();
        assert_eq!(codes.len(), c.items.len());
    }

    #[test]
    fn credit_codes_carry_a_valid_check_character() {
        // A published example: 91350100M000100Y43.
        assert!(credit_code_valid("91350100M000100Y43"));
        assert!(!credit_code_valid("91350100M000100Y44"));
        for n in [0, 1, 12_345_678, 99_999_999] {
            assert!(credit_code_valid(&credit_code("91", "331102", n)));
        }
    }

    #[test]
    fn sizes_add_up() {
        let g = Generator::new(7);
        for total in [0, 10, 300, 1_000, 100_000] {
            let s = g.sizes(total);
            assert_eq!(s.iter().map(|(_, n)| n).sum::<u64>(), total);
            assert_eq!(s.len(), 10);
        }
    }

    #[test]
    fn records_are_deterministic_and_complete() {
        let g = Generator::new(42);
        let g2 = Generator::new(42);
        for d in Dataset::ALL {
            for i in [0u64, 1, 17, 99] {
                let a = g.record(d, i, 60_000);
                assert_eq!(a, g2.record(d, i, 60_000));
                assert!(!a.record_id.is_empty());
                assert!(!a.region_code.is_empty() && !a.region_name.is_empty(), "{d:?} {a:?}");
                if !d.is_dimension() {
                    assert!(!a.dept_name.is_empty() && !a.item_code.is_empty() && !a.subject_name.is_empty(), "{a:?}");
                    assert!(a.occurred_at.is_some_and(|o| o <= a.updated_at));
                    assert!(a.concluded_at.is_none_or(|c| c <= a.updated_at));
                    assert!(a.region_code.len() == 9);
                }
            }
        }
        assert_ne!(Generator::new(1).record(Dataset::Penalty, 5, 1000), g.record(Dataset::Penalty, 5, 1000));
        let p = g.record(Dataset::Penalty, 3, 60_000);
        assert!(p.amount.is_some_and(|a| a > 0));
        let e: Vec<_> = (0..200)
            .map(|i| g.record(Dataset::Penalty, i, 60_000))
            .filter(|r| r.subject_type == "enterprise")
            .collect();
        assert!(!e.is_empty() && e.iter().all(|r| credit_code_valid(&r.subject_code)));
    }

    #[test]
    fn updated_at_strictly_increases() {
        let g = Generator::new(3);
        let v: Vec<i64> = (0..1000).map(|i| g.updated_at(Dataset::Inspection, i, 5)).collect();
        assert!(v.windows(2).all(|w| w[0] < w[1]));
    }
}
