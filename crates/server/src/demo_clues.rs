//! Deterministic generator of realistic demo clue content (线索演示数据) for `xiezhi seed-demo`.
//!
//! Pure: no I/O, no clock, no global state. The same towns, count, time range and seed give the
//! same clues on every run (rand 0.9's `StdRng` stream; a rand upgrade or another platform's libm
//! may change the output, not its shape). The map of streets and landmarks depends on the seed
//! only, so it stays put when the count or range changes. Everything is fiction
//! written for this project: street and landmark names follow the county seats of 丽水, reporters,
//! phone numbers, shop and company names are invented and credit codes only have a valid format.
//!
//! What the history looks like:
//! - volume by township follows the approximate resident population of each county (2020 census,
//!   rounded), 莲都区 weighted up as the city centre, 街道 ≫ 镇 > 乡;
//! - time: weekday and daytime peaks, fewer reports in the Spring Festival and National Day weeks,
//!   mild seasonal variation per category (露天烧烤/夜宵 in summer, 积水 in the 梅雨 season,
//!   fallen trees in the typhoon season, 结冰 in winter, burning at harvest and 清明) and a slow
//!   upward trend over the range;
//! - locations cluster on streets and landmarks within about 1.5 km of the township point;
//! - about 6 % are repeat reports of an earlier clue for the dedup machinery: the same problem told
//!   by another reporter in other words (sometimes filed under a neighbouring minor category of the
//!   same major one), within 75 m and 1–48 h later.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// A township-level unit (乡镇/街道) with its reference point (WGS84).
#[derive(Debug, Clone, PartialEq)]
pub struct Town {
    pub code: String,
    pub name: String,
    pub county_code: String,
    pub county_name: String,
    pub lon: f64,
    pub lat: f64,
}

/// One generated clue, in the platform's terms.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoClue {
    /// 9-digit township code (from the [`Town`] given).
    pub town_code: String,
    /// Full address: county + township + street/landmark.
    pub address: String,
    /// WGS84, within about 1.5 km of the township point.
    pub lon: f64,
    pub lat: f64,
    /// Minor category code of `0006_clue_catalogue.sql`.
    pub category_code: String,
    /// 15–120 characters.
    pub description: String,
    /// At most 30 characters.
    pub title: String,
    /// `zhiguantong`, `hotline_12345`, `province`, `manual` or `county_<county code>`.
    pub source_code: String,
    /// `complaint`, `patrol`, `assigned`, `transferred` or `media`.
    pub case_type_code: String,
    /// `urgent`, `important` or `normal`.
    pub severity_code: String,
    pub reported_at_ms: i64,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    /// (`enterprise` | `person`, name, credit code for enterprises).
    pub subject: Option<(String, String, Option<String>)>,
    /// Index of the earlier clue in the same output that this one reports again.
    pub duplicate_of: Option<usize>,
}

// ---------------------------------------------------------------------------------------------
// Category catalogue: weights, seasonality and wording.
// ---------------------------------------------------------------------------------------------

/// Kind of named place near which a problem is typically reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lk {
    Market,
    School,
    Hospital,
    Park,
    Station,
    BusStop,
    Bank,
    Mall,
    Community,
    Site,
    Square,
    River,
}

/// Monthly profile of a category (multiplier per month, January first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Season {
    Flat,
    /// 露天烧烤, 夜宵: strongly summer.
    Summer,
    /// Street life in general: a little more in the warm months.
    Warm,
    /// 梅雨 (mid-June to mid-July) and summer storms.
    PlumRain,
    /// Typhoon season, August–September.
    Typhoon,
    /// Snow and ice: December–February only.
    Winter,
    /// Burning: 清明 (April) and the autumn harvest.
    Burning,
    /// Dust: the dry months.
    Dry,
    /// Construction noise: more complaints in the exam weeks of June.
    Building,
    /// Street lights: long nights.
    Dark,
    /// Street vendors: 杨梅 in June, chestnuts and sugar cane in autumn.
    Fruit,
    /// Green areas: the growing season.
    Growth,
}

impl Season {
    fn factor(self, month0: usize) -> f64 {
        const SUMMER: [f64; 12] = [0.3, 0.3, 0.55, 0.9, 1.4, 2.2, 2.7, 2.7, 1.9, 1.1, 0.55, 0.35];
        const WARM: [f64; 12] = [0.8, 0.8, 0.9, 1.0, 1.1, 1.25, 1.35, 1.35, 1.2, 1.05, 0.9, 0.8];
        const PLUM: [f64; 12] = [0.25, 0.35, 0.8, 1.0, 1.6, 4.2, 3.2, 1.5, 1.4, 0.6, 0.35, 0.25];
        const TYPHOON: [f64; 12] = [0.5, 0.5, 0.7, 0.8, 1.0, 1.6, 2.2, 2.8, 2.3, 1.0, 0.6, 0.6];
        const WINTER: [f64; 12] = [3.2, 2.2, 0.3, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.3, 2.0];
        const BURNING: [f64; 12] = [0.9, 1.0, 1.2, 1.9, 0.9, 0.7, 0.6, 0.6, 0.9, 1.7, 1.6, 1.1];
        const DRY: [f64; 12] = [1.3, 1.2, 1.2, 1.1, 1.0, 0.65, 0.7, 0.8, 1.0, 1.2, 1.3, 1.3];
        const BUILDING: [f64; 12] = [0.8, 0.55, 1.0, 1.05, 1.1, 1.5, 1.2, 1.1, 1.0, 1.0, 1.0, 1.0];
        const DARK: [f64; 12] = [1.3, 1.2, 1.0, 0.9, 0.85, 0.8, 0.8, 0.85, 0.95, 1.1, 1.2, 1.3];
        const FRUIT: [f64; 12] = [0.9, 0.8, 0.9, 1.0, 1.1, 1.45, 1.2, 1.1, 1.0, 1.15, 1.05, 0.9];
        const GROWTH: [f64; 12] = [0.7, 0.7, 1.0, 1.2, 1.3, 1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7];
        let m = month0.min(11);
        match self {
            Season::Flat => 1.0,
            Season::Summer => SUMMER[m],
            Season::Warm => WARM[m],
            Season::PlumRain => PLUM[m],
            Season::Typhoon => TYPHOON[m],
            Season::Winter => WINTER[m],
            Season::Burning => BURNING[m],
            Season::Dry => DRY[m],
            Season::Building => BUILDING[m],
            Season::Dark => DARK[m],
            Season::Fruit => FRUIT[m],
            Season::Growth => GROWTH[m],
        }
    }
}

/// When in the day a category is reported (day 06–18, evening 18–22, night 22–06).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hours {
    Any,
    Day,
    Evening,
    Night,
}

impl Hours {
    fn factor(self, class: usize) -> f64 {
        let f = match self {
            Hours::Any => [1.0, 1.0, 1.0],
            Hours::Day => [1.0, 0.45, 0.12],
            Hours::Evening => [0.45, 2.4, 1.6],
            Hours::Night => [0.45, 1.7, 3.2],
        };
        f[class.min(2)]
    }
}

/// Who typically reports a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bias {
    Neutral,
    /// Found by inspectors (部件).
    Patrol,
    /// Reported by residents (noise, smoke …).
    Complaint,
    /// Enforcement leads: transfers, assignments, visits.
    Enforcement,
}

/// Kind of subject (当事人) a category names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subj {
    None,
    /// 个体工商户 named after the shop type.
    Shop,
    /// Construction company.
    Builder,
    /// Haulage company.
    Hauler,
    /// A private person.
    Person,
    /// Person or shop.
    PersonOrShop,
}

#[derive(Debug, Clone, Copy)]
struct Spec {
    code: &'static str,
    /// Short name used in titles.
    title: &'static str,
    weight: f64,
    season: Season,
    hours: Hours,
    /// 0 normal, 1 elevated, 2 hazardous (drives severity).
    risk: u8,
    bias: Bias,
    /// Multiplier in 乡 (镇 get half of it); 1 = same as the city.
    rural: f64,
    /// Preferred kinds of landmark for the location.
    lms: &'static [Lk],
    /// Often reported at a residential building.
    resid: bool,
    subj: Subj,
    subj_p: f64,
    shops: &'static [&'static str],
    /// Residents' wording (colloquial).
    citizen: &'static [&'static str],
    /// Inspectors' / operators' wording (factual).
    official: &'static [&'static str],
}

impl Spec {
    const fn new(code: &'static str, title: &'static str, weight: f64) -> Spec {
        Spec {
            code,
            title,
            weight,
            season: Season::Flat,
            hours: Hours::Any,
            risk: 0,
            bias: Bias::Neutral,
            rural: 1.0,
            lms: &[],
            resid: false,
            subj: Subj::None,
            subj_p: 0.0,
            shops: &[],
            citizen: &[],
            official: &[],
        }
    }
    const fn season(mut self, s: Season) -> Spec {
        self.season = s;
        self
    }
    const fn hours(mut self, h: Hours) -> Spec {
        self.hours = h;
        self
    }
    const fn risk(mut self, r: u8) -> Spec {
        self.risk = r;
        self
    }
    const fn bias(mut self, b: Bias) -> Spec {
        self.bias = b;
        self
    }
    const fn rural(mut self, r: f64) -> Spec {
        self.rural = r;
        self
    }
    const fn lms(mut self, l: &'static [Lk]) -> Spec {
        self.lms = l;
        self
    }
    const fn resid(mut self) -> Spec {
        self.resid = true;
        self
    }
    const fn subj(mut self, s: Subj, p: f64) -> Spec {
        self.subj = s;
        self.subj_p = p;
        self
    }
    const fn shops(mut self, s: &'static [&'static str]) -> Spec {
        self.shops = s;
        self
    }
    const fn citizen(mut self, t: &'static [&'static str]) -> Spec {
        self.citizen = t;
        self
    }
    const fn official(mut self, t: &'static [&'static str]) -> Spec {
        self.official = t;
        self
    }
}

// Template syntax: `{loc}` location as a resident would say it, `{st}` street, `{st2}` another
// street, `{lm}` nearby landmark, `{comm}` residential compound, `{vil}` village (compound in
// town), `{shop}` the clue's shop type, `{n}` 2–6, `{nn}` 10–60, `{area}` 3–45, `{len}` 20–300,
// `{a|b|c}` one of the alternatives. A leading `!` marks a hazardous variant (raises severity);
// then `#a`, `#b` … names the variant of the problem, so that a repeat report describes the same
// thing (untagged templates fit any variant). No final punctuation: the reporter style adds it.

const SHOPS_FRONT: &[&str] = &[
    "水果店",
    "五金店",
    "奶茶店",
    "烟酒店",
    "饭店",
    "电动车修理铺",
    "小卖部",
    "服装店",
    "海鲜店",
    "鞋店",
    "建材店",
    "夜宵店",
];
const SHOPS_FOOD: &[&str] = &["烧烤店", "面馆", "小吃店", "饭店", "炸鸡店", "早餐店", "夜宵店"];
const SHOPS_PILE: &[&str] = &["打印店", "五金店", "建材店", "快递点", "水果店", "杂货店", "家具店", "超市"];

const SPECS: &[Spec] = &[
    // ---- C01 公用设施 ----
    Spec::new("C0101", "上水井盖破损", 6.0).risk(1).bias(Bias::Patrol).citizen(&[
        "#a{loc}有个自来水井盖{翘起来了|松了|裂开了}，{一踩就晃|踩上去哐当响|骑电瓶车过去颠一下}",
        "!#b{loc}人行道上的自来水井盖不见了，下面黑洞洞的，{晚上看不见很危险|小孩子跑来跑去太危险了}",
        "#c{loc}那个上水井盖破了个口子，{差点卡住我电瓶车轮子|老人走路容易绊倒}",
    ]).official(&[
        "#a{loc}人行道一处上水井盖松动翘起，存在绊倒隐患",
        "!#b{loc}上水井盖缺失，现场仅以{锥桶|板凳|砖块}示警，需供水单位补装",
        "#c{loc}机动车道上水井盖破损，车辆碾压有异响，需更换",
    ]),
    Spec::new("C0102", "污水井盖破损", 12.0).risk(1).bias(Bias::Patrol).citizen(&[
        "!#b{loc}有个污水井盖没了，就剩个黑洞，{晚上很危险|现在用纸箱盖着|有人放了个凳子在上面提醒}",
        "#c{loc}的窨井盖{裂了，中间一道缝|碎了一半}，{汽车压过去咔咔响|迟早要出事}",
        "#a{loc}那个井盖往外冒臭水，盖子也翘起来了",
    ]).official(&[
        "!#b{loc}污水井盖缺失，现仅以{纸箱|砖块|锥桶}遮挡，请尽快补装",
        "#c{loc}污水井盖{破损|碎裂约一半|下沉}，车辆碾压有异响，需更换",
        "#a{loc}污水检查井盖板松动，井圈破损",
    ]),
    Spec::new("C0103", "雨水井盖破损", 12.0).risk(1).bias(Bias::Patrol).season(Season::PlumRain).citizen(&[
        "#c{loc}路边那个雨水篦子{缺了一块|被压断了|不见了}，电瓶车轮子容易卡进去",
        "!#b{loc}的雨水井盖掉下去了，{差点把我脚崴了|已经有人摔过了}",
        "#a{loc}雨水井盖{一直在响|松掉了}，车子一过就哐当一声，晚上吵得睡不着",
    ]).official(&[
        "#b{loc}雨水篦子缺失{1|2}处，需市政补装",
        "#c{loc}雨水井盖破损，边框松动，存在安全隐患",
        "#c{loc}雨水口盖板断裂下陷，车辆通行颠簸",
    ]),
    Spec::new("C0104", "电力井盖破损", 5.0).risk(1).bias(Bias::Patrol).citizen(&[
        "#c{loc}有个写着“电力”的井盖{裂了|翘起来了|缺了个角}，走路要小心",
        "!#c{loc}人行道上的电力井盖{被车压碎了|陷下去了}，边上都是碎水泥",
        "#a{loc}那个电力井盖跟路面不平，高出一截，骑车颠得很",
    ]).official(&[
        "#c{loc}电力井盖破损，井框松动，需供电部门维修",
        "#a{loc}人行道电力井盖高于路面约{n}厘米，存在绊倒隐患",
        "!#b{loc}电力井盖缺失一块，已设置锥桶警示",
    ]),
    Spec::new("C0105", "通信井盖破损", 6.0).risk(1).bias(Bias::Patrol).citizen(&[
        "#c{loc}有个通信井盖{翘起来了|碎了|不见了}，{一踩就晃|晚上看不见}",
        "#a{loc}人行道上那个写着“通信”的井盖陷下去一截，下雨全是积水",
        "{loc}有个移动还是电信的井盖坏了好几天了，也不知道归谁管",
    ]).official(&[
        "#c{loc}通信井盖破损，需权属单位维修",
        "#a{loc}人行道通信井盖下沉约{n}厘米，周边地砖松动",
        "!#b{loc}通信井盖缺失，井口敞开，已临时围挡",
    ]),
    Spec::new("C0106", "燃气井盖破损", 2.0).risk(2).bias(Bias::Patrol).citizen(&[
        "!#a{loc}有个燃气井盖{裂了|被车压坏了}，旁边好像有点煤气味",
        "!#b{loc}那个燃气阀门井的盖子不见了，里面能看到管子",
        "#c{loc}燃气井盖{松了|翘起来了}，车子开过去一直响",
    ]).official(&[
        "!#a{loc}燃气阀门井盖板破损，需燃气公司处置",
        "#c{loc}燃气井盖松动移位，车辆碾压有异响",
        "!#b{loc}燃气井盖缺失，井口未设警示，需立即处置",
    ]),
    Spec::new("C0107", "消防栓损坏", 4.0).risk(1).bias(Bias::Patrol).citizen(&[
        "{loc}的消防栓{被车撞歪了|一直在漏水|盖子没了}",
        "{loc}那个消防栓{被人拿来接水洗车|锈得不成样子|被杂物围起来了}",
        "!#a{loc}消防栓被撞断了，水喷得老高，路上全是水",
    ]).official(&[
        "{loc}室外消防栓{漏水|锈蚀严重|栓帽缺失}，需供水单位维修",
        "#a{loc}消防栓被车辆撞击倾斜，需检修",
        "{loc}消防栓周边被{杂物|车辆}遮挡，影响正常使用",
    ]),
    Spec::new("C0108", "路灯故障", 22.0).bias(Bias::Patrol).season(Season::Dark).rural(0.6).citizen(&[
        "#a{loc}那一段路灯{好几天没亮了|一直不亮|晚上全黑}，{走路心里发毛|晚上出来买东西黑乎乎的|孩子下晚自习回来很害怕}",
        "#b{loc}的路灯{一闪一闪的|白天还亮着|有两盏不亮}，好几天了也没人修",
        "#c{loc}有根路灯杆被车撞歪了，灯也不亮了",
    ]).official(&[
        "#a{loc}路灯不亮约{n}盏，夜间照明不足",
        "#b{loc}路灯故障，部分闪烁、部分不亮，请维修",
        "#c{loc}路灯杆{倾斜|灯罩脱落|检修门缺失}，需照明所处置",
        "#b{loc}路灯白天常亮，需检修控制箱",
    ]),
    Spec::new("C0109", "检查井破损", 3.0).risk(1).bias(Bias::Patrol).citizen(&[
        "#a{loc}有个检查井的盖子{裂了|陷下去了}，也不知道是哪家的",
        "#a{loc}路中间那个井盖四周的水泥都碎了，车子一过就颠",
        "!#b{loc}有个井口只盖了块木板，踩上去软软的",
    ]).official(&[
        "#a{loc}管线检查井井框破损，周边路面开裂",
        "#a{loc}检查井盖板下沉约{n}厘米，车辆通行颠簸",
        "!#b{loc}检查井盖板缺失，临时以木板覆盖，需权属单位处置",
    ]),
    // ---- C02 道路交通 ----
    Spec::new("C0201", "公交站亭破损", 4.0).bias(Bias::Patrol).lms(&[Lk::BusStop]).citizen(&[
        "#a{st}公交站的候车亭玻璃碎了一块，碎片还在地上",
        "#b{st}公交站站牌{歪了|上的线路图都看不清了|被撞倒了}，等车都不知道该看哪",
        "#c{st}公交站顶棚漏雨，下雨天等车都得打伞",
    ]).official(&[
        "{st}公交站候车亭{玻璃破损|座椅损坏|顶棚破损}，需维修",
        "#b{st}公交站站牌{倾斜|信息模糊|灯箱不亮}，需公交公司处置",
        "!#a{st}公交站候车亭钢化玻璃碎裂，碎片散落，存在安全隐患",
    ]),
    Spec::new("C0202", "交通标志牌损坏", 4.0).bias(Bias::Patrol).citizen(&[
        "#a{loc}有块路牌{被撞歪了|歪在那里|掉下来一半}，{随时会砸下来|开车根本看不清}",
        "#b{loc}那个限速牌被树枝挡住了，根本看不到",
    ]).official(&[
        "{loc}交通标志牌{倾斜|被树枝遮挡|反光膜脱落}，需维护",
        "!#a{loc}交通标志牌立柱松动，存在倒伏风险",
        "#c{loc}指路标志信息错误，需更换",
    ]),
    Spec::new("C0203", "信号灯故障", 3.0).risk(1).bias(Bias::Patrol).rural(0.1).citizen(&[
        "#a{st}和{st2}路口的红绿灯{坏了|一直闪黄灯|不亮了}，车子乱成一锅粥",
        "#b{st}{st2}路口的行人灯{时间太短了|一直是红的}，老人根本过不去",
    ]).official(&[
        "!#a{st}与{st2}交叉口信号灯故障，{黄闪|全灭|一个方向不亮}，需交警部门处置",
        "#b{st}与{st2}交叉口行人信号灯{灯组损坏|倒计时不显示}",
        "#c{st}与{st2}交叉口信号灯灯杆倾斜，需维修",
    ]),
    Spec::new("C0204", "道路护栏损坏", 8.0).bias(Bias::Patrol).citizen(&[
        "#a{loc}的护栏被车撞倒了{好几米|一大段}，{还没人来修|横在路边}",
        "#b{loc}中间隔离栏{歪了一片|断了一截}，有人从缺口横穿马路",
    ]).official(&[
        "#a{loc}道路护栏倾倒约{len}米，需维修",
        "!#b{loc}中央隔离护栏被车辆撞损，部分倒伏至车道",
        "#a{loc}人行道护栏{锈蚀松动|被撞变形}，需更换",
    ]),
    Spec::new("C0205", "隔离墩损坏", 3.0).bias(Bias::Patrol).citizen(&[
        "{loc}的隔离墩{被撞碎了|被人挪到马路中间了|倒了好几个}",
        "#a{loc}路口的石墩子被车撞翻了，碎块还在路上",
    ]).official(&[
        "{loc}隔离墩{破损|移位|缺失}{n}个，需补设",
        "!#a{loc}隔离墩被撞碎，碎块散落车道，存在安全隐患",
    ]),
    Spec::new("C0206", "停车设施损坏", 3.0).bias(Bias::Patrol).rural(0.3).lms(&[Lk::Mall, Lk::Hospital, Lk::Market]).citizen(&[
        "#a{loc}的{收费道闸|地锁|停车桩}坏了好几天了，车都进不去",
        "#b{loc}的停车位划线都看不清了，大家乱停",
    ]).official(&[
        "#a{loc}公共停车场道闸故障，出入口车辆排队",
        "#b{loc}{非机动车停放架|停车位标线}破损，需维护",
    ]),
    Spec::new("C0207", "人行天桥损坏", 1.0).bias(Bias::Patrol).rural(0.0).citizen(&[
        "{st}人行天桥上的{台阶砖掉了几块|扶手松了|灯不亮}，晚上走很危险",
        "{st}天桥上{积水排不掉|到处是垃圾}，没人打扫",
    ]).official(&[
        "{st}人行天桥{踏步板松动|扶手锈蚀断裂|照明故障}，需维修",
        "{st}人行天桥桥面{破损|排水不畅积水}，影响通行",
    ]),
    // ---- C03 市容环境 ----
    Spec::new("C0301", "公厕问题", 5.0).lms(&[Lk::Park, Lk::Market, Lk::Station, Lk::Square]).citizen(&[
        "{loc}的公厕{臭得不行|好几天没人打扫|门锁坏了}，根本没法用",
        "{loc}附近的公共厕所{没水冲了|灯不亮|白天也关着门}，{游客|老人}上厕所很不方便",
    ]).official(&[
        "{loc}公厕{保洁不到位，异味较大|洗手池损坏|冲水设施故障}",
        "{loc}公共厕所{未按公示时间开放|照明故障|蹲位堵塞}，需维护",
    ]),
    Spec::new("C0302", "垃圾箱破损", 12.0).bias(Bias::Patrol).citizen(&[
        "#a{loc}的垃圾桶{被人烧坏了|盖子没了|破了个大洞}，垃圾漏了一地",
        "#b{loc}那个果壳箱{倒了好几天|被撞翻了}，也没人扶起来",
        "#c{loc}原来的垃圾桶被收走了，现在大家把垃圾扔在地上",
    ]).official(&[
        "{loc}垃圾箱{破损|缺失|倾倒}，需环卫补设",
        "#a{loc}分类垃圾桶{桶盖缺失|桶身破损|标识脱落}{n}个，需更换",
    ]),
    Spec::new("C0303", "垃圾房破损", 3.0).resid().citizen(&[
        "{comm}的垃圾房{门关不上|好几天没清|臭得要命}，苍蝇满天飞",
        "{comm}楼下那个垃圾屋漏水，脏水流到路上",
    ]).official(&[
        "{loc}垃圾收集房{卷帘门损坏|地面破损渗水|除臭设施故障}，需维修",
        "{loc}垃圾中转房周边污水外渗，异味明显",
    ]),
    Spec::new("C0304", "户外广告设施破损", 4.0).rural(0.3).citizen(&[
        "#a{loc}那块大广告牌{歪了|铁皮翻起来了|框架都锈穿了}，风一吹哗哗响",
        "#a{loc}楼顶的广告架子{摇摇晃晃|掉了一块铁皮}，下面就是人行道",
    ]).official(&[
        "!#a{loc}户外广告设施框架锈蚀松动，存在坠落隐患",
        "#b{loc}灯箱广告{破损|灯光故障|画面脱落}，影响市容",
    ]),
    Spec::new("C0305", "环卫车停放点脏乱", 1.0).citizen(&[
        "#a{loc}环卫车停在那里{漏脏水|臭烘烘的}，天天这样",
        "#b{loc}的垃圾车{早上五点就在那轰|停了一排}，吵得睡不着",
    ]).official(&[
        "#a{loc}环卫车辆停放点地面污水未及时冲洗，异味较大",
        "{loc}环卫车辆停放点{围挡破损|车辆停放超出划线区域}",
    ]),
    // ---- C04 园林绿化 ----
    Spec::new("C0401", "古树名木受损", 1.0).rural(1.5).citizen(&[
        "{loc}那棵老樟树{有根大枝断了|树皮被人剥了|底下被倒了水泥}，挺可惜的",
        "{loc}的古树{叶子黄了一大片|树洞越来越大|被人钉了广告牌}",
    ]).official(&[
        "{loc}古树名木{树干空洞|树冠枯枝较多|保护围栏破损}，需园林部门养护",
        "{loc}古树保护范围内堆放杂物，影响古树生长",
    ]),
    Spec::new("C0402", "行道树问题", 8.0).season(Season::Growth).citizen(&[
        "{loc}的行道树{枝条太低了，公交车都刮到|长得太密，路灯都挡住了|枯死了好久没人管}",
        "#a{loc}人行道上那棵树{歪得厉害|根把地砖都拱起来了}",
        "!#b{loc}有根大树枝{断了挂在上面|快断了}，随时会掉下来",
    ]).official(&[
        "{loc}行道树{枯死|倾斜|缺株}{n}株，需补植或修剪",
        "!#b{loc}行道树断枝悬挂，存在坠落隐患，需修剪",
        "#a{loc}行道树树穴{裸露|地砖拱起}，影响通行",
    ]),
    Spec::new("C0403", "绿地损毁", 7.0).season(Season::Growth).citizen(&[
        "{loc}的绿化带{被人踩出一条路|种上了菜|草都枯死了}",
        "{loc}绿地里{杂草长得比人还高|有人停车|被挖了个大坑}",
    ]).official(&[
        "{loc}绿地黄土裸露约{area}平方米，需补植",
        "{loc}公共绿地被{毁绿种菜|车辆碾压|堆放杂物}，需恢复",
    ]),
    Spec::new("C0404", "花坛花箱破损", 4.0).rural(0.4).citizen(&[
        "{loc}的花箱{被撞翻了|倒在路中间|里面的花全死了}",
        "{loc}路边花坛{破了|砖都掉了}，泥土撒了一地",
    ]).official(&[
        "{loc}花箱{破损|移位|植物枯萎}{n}个，需维护",
        "{loc}花坛{砌体破损|边石缺失}，需修复",
    ]),
    Spec::new("C0405", "城市雕塑受损", 1.0).rural(0.0).lms(&[Lk::Park, Lk::Square]).citizen(&[
        "{loc}的雕塑{被人涂了|掉了一块|锈得厉害}，挺难看的",
        "{loc}那个雕塑底座裂开了，小孩子爬上爬下很危险",
    ]).official(&[
        "{loc}城市雕塑{表面污损|底座破损|部件缺失}，需维护",
        "{loc}景观小品{被乱涂乱画|灯光故障}",
    ]),
    // ---- C05 房屋土地 ----
    Spec::new("C0501", "宣传栏破损", 2.0).citizen(&[
        "{loc}的宣传栏{玻璃碎了|门都掉了|歪在那里}",
        "{loc}那个宣传栏里的东西都是去年的，{褪色了|被雨泡烂了}",
    ]).official(&[
        "{loc}宣传栏{面板破损|立柱锈蚀|内容过期}，需维护更新",
        "!{loc}宣传栏倾斜，存在倒伏隐患",
    ]),
    Spec::new("C0502", "人防设施问题", 0.5).resid().rural(0.2).citizen(&[
        "{comm}地下那个防空洞{口子敞着|有人在里面住|积水发臭}",
        "{loc}的人防出入口{门锁坏了|被杂物堵死了}",
    ]).official(&[
        "{loc}人防工程出入口{防护门锈蚀|被杂物占用|积水}，需人防部门核查",
        "{loc}人防设施标识缺失，出入口围挡破损",
    ]),
    Spec::new("C0503", "房屋外立面破损", 3.0).citizen(&[
        "!#a{loc}楼上外墙的瓷砖{掉下来了|一块块往下掉}，差点砸到人",
        "{loc}那栋楼外墙{脱皮了|空调架锈烂了|雨棚快掉了}，路过都心惊胆战",
        "#b{loc}沿街房子外墙{脏得发黑|涂鸦很多}，太影响市容了",
    ]).official(&[
        "!#a{loc}建筑外立面{墙砖脱落|外墙装饰层空鼓}，存在高空坠物隐患",
        "{loc}沿街建筑外立面{破损|污损|附着物锈蚀}，需业主整改",
    ]),
    // ---- C06 其他设施 ----
    Spec::new("C0601", "健身设施损坏", 4.0).lms(&[Lk::Park, Lk::Square, Lk::Community]).citizen(&[
        "{loc}的健身器材{坏了|转轴卡住了|螺丝都松了}，老人锻炼很危险",
        "{loc}那边的{单杠|漫步机|扭腰器}断了一截，小孩子还在上面玩",
    ]).official(&[
        "{loc}健身路径器材{损坏|部件缺失}{n}件，需维修",
        "!{loc}健身器材底座松动，存在安全隐患",
    ]),
    Spec::new("C0602", "报刊亭问题", 1.0).rural(0.0).citizen(&[
        "{loc}的报刊亭{早就不开了|门都锈了}，{堆满了杂物|贴满小广告}",
        "{loc}报刊亭占了大半个人行道，还在外面摆饮料卖",
    ]).official(&[
        "{loc}报刊亭{长期闲置|破损|外摆经营}，需整治",
        "{loc}报刊亭{顶棚破损|外立面污损}，影响市容",
    ]),
    Spec::new("C0603", "售货亭问题", 1.0).rural(0.2).citizen(&[
        "{loc}的售货亭{关了好久|玻璃碎了}，现在成了垃圾堆",
        "{loc}那个售货亭把冰柜摆到外面，人都过不去",
    ]).official(&[
        "{loc}售货亭{超范围外摆|闲置破损|私接电线}，需处置",
        "{loc}售货亭{门窗损坏|外立面破旧}，影响市容",
    ]),
    Spec::new("C0604", "监控设施损坏", 1.0).citizen(&[
        "{loc}的监控摄像头{歪了|被树挡住了|杆子倒了}",
        "{loc}那个电子眼的杆子被车撞歪了，线都露出来了",
    ]).official(&[
        "{loc}监控杆{倾斜|线缆裸露|摄像头脱落}，需权属单位维护",
        "{loc}电子眼被行道树枝叶遮挡，需修剪",
    ]),
    // ---- E01 市容环境 ----
    Spec::new("E0101", "私搭乱建", 12.0).rural(1.6).resid().citizen(&[
        "{loc}有人用{铁皮|彩钢瓦|木头油布}搭了个棚子，{堆杂物|养鸡|停电瓶车}",
        "{loc}一楼那户在门口{搭了个雨棚|围了个小院子}，公共通道都被占了",
        "{vil}路边有人搭了个简易棚，{放杂物|当仓库用}，看着很乱",
    ]).official(&[
        "{loc}有人私搭简易棚约{area}平方米，用于堆放杂物",
        "{loc}沿街商户私自搭建{遮阳棚|雨棚|彩钢棚}，侵占人行道",
    ]),
    Spec::new("E0102", "暴露垃圾", 75.0).season(Season::Warm).rural(1.2).citizen(&[
        "#a{loc}的垃圾桶{满了|满得盖子都盖不上}，垃圾{散了一地|堆到路上了}，{也没人来收|臭烘烘的}",
        "#a{loc}垃圾点{堆了两天没收|又满了}，{天热已经有味道了|苍蝇满天飞|野猫翻得到处都是}",
        "#b{loc}有人把{几袋生活垃圾|装修垃圾袋|一堆塑料泡沫}扔在路边，好几天没人管",
        "#b{loc}地上全是{菜叶子烂鱼|塑料袋饮料瓶|外卖盒子}，{早上出门差点滑倒|看着太恶心了}",
    ]).official(&[
        "#a{loc}垃圾桶满溢，地面散落垃圾约{n}平方米，需清运",
        "{loc}暴露垃圾{较多|成堆}，{蚊蝇滋生|有异味}，请安排清运",
        "#b{loc}散落生活垃圾{n}处，未及时清理",
        "#a{loc}垃圾收集点周边垃圾堆积，清运不及时",
    ]),
    Spec::new("E0103", "积存垃圾渣土", 22.0).rural(1.3).citizen(&[
        "{loc}那块空地被人倒了一堆建筑垃圾，{有半人高|好几个月了也没人管}",
        "{loc}晚上有{卡车|三轮车}来偷倒{渣土|碎砖头水泥块}，已经{好几堆|一大片}了",
        "{loc}路边堆的装修垃圾越来越多，{都快挡住路了|下雨一冲全是泥}",
    ]).official(&[
        "{loc}积存建筑渣土约{nn}立方米，长期未清运",
        "{loc}路侧空地有人偷倒装修垃圾，堆积较多，需清运并追查",
        "{loc}积存垃圾渣土{n}处，占用部分车道",
    ]),
    Spec::new("E0104", "道路不洁", 20.0).citizen(&[
        "{loc}路上{全是油污，走上去打滑|糊了一层泥巴，下雨滑得很|到处是烟头和奶茶杯，看着太脏了}",
        "#a{loc}有饭店把泔水往路边倒，地上油乎乎的一片",
        "#b{loc}今天好像没人扫，{树叶|垃圾}堆了一路",
    ]).official(&[
        "{loc}路面不洁，{油渍|烟蒂|果皮纸屑}较多，保洁不到位",
        "{loc}路面有{泥浆|油污}污染约{len}米，需冲洗",
        "#b{loc}人行道保洁不到位，垃圾散落",
    ]),
    Spec::new("E0105", "水域不洁", 8.0).rural(1.8).season(Season::Warm).lms(&[Lk::River]).citizen(&[
        "{loc}的{小河|溪里|水沟}漂着好多{塑料瓶|垃圾袋|死鱼}，{臭得很|水都发黑了}",
        "{loc}有人往河里扔垃圾，{岸边堆了一层|水面上全是}",
    ]).official(&[
        "{loc}水面漂浮物较多，{有异味|岸边垃圾堆积}，需保洁",
        "{loc}河道内有{生活垃圾|水葫芦|枯枝}聚集，影响水体环境",
    ]),
    Spec::new("E0106", "绿地脏乱", 10.0).lms(&[Lk::Park, Lk::Community]).citizen(&[
        "{loc}的绿化带里{全是垃圾|塞满了塑料袋饮料瓶|有人扔了装修垃圾}",
        "{loc}草坪上{狗屎很多|野餐的垃圾没人收拾}，看着恶心",
    ]).official(&[
        "{loc}绿地内{生活垃圾|白色垃圾}散落，保洁不到位",
        "{loc}绿化带内积存杂物{n}处，需清理",
    ]),
    Spec::new("E0107", "废弃家具", 12.0).resid().citizen(&[
        "{loc}有人扔了{旧沙发|床垫|破衣柜}，{放了一个多星期了|挡着路}",
        "{loc}楼下堆了{几台旧空调外机|一张烂席梦思|一台旧冰箱}，也没人来拉走",
    ]).official(&[
        "{loc}废弃{沙发|床垫|家具}等大件垃圾{n}件，需清运",
        "{loc}路边堆放废旧家电家具，影响市容",
    ]),
    Spec::new("E0108", "乱堆物堆料", 55.0).rural(1.3).shops(SHOPS_PILE).subj(Subj::PersonOrShop, 0.15).citizen(&[
        "#a{loc}那家{shop}把{纸箱|货物|杂物}堆在人行道上，{堆了半个多月|走路都得绕}",
        "#b{loc}一楼在装修，{砖头水泥沙子|钢管木料}堆在门口{好几天了|占了半条路}",
        "#c{loc}有人在{门口|路边}堆了一堆{木头|砖头|泡沫箱}，{挡着路|下雨泡得稀烂}",
    ]).official(&[
        "#a{loc}{shop}门前{纸箱|货物|杂物}堆放约{area}平方米，占用人行道",
        "#b{loc}装修材料（{砂石|砖块|水泥}）堆放于人行道，影响通行",
        "{loc}沿街乱堆物料{n}处，影响市容",
    ]),
    Spec::new("E0109", "违规饲养家禽", 5.0).rural(4.0).resid().citizen(&[
        "#a{loc}有人{在绿化带里围了个鸡笼|在楼下养鸡鸭}，{天不亮就叫|臭得很}",
        "#b{comm}有户人家在{屋顶|院子}里养鸽子，{鸽子屎到处都是|窗台上全是毛}",
        "#c{vil}有户人家在路边养了几头猪，味道飘得老远",
    ]).official(&[
        "#a{loc}居民违规饲养家禽约{nn}只，粪便污染周边环境",
        "#a{loc}公共区域搭建禽舍饲养家禽，需劝导清理",
    ]),
    // ---- E02 宣传广告 ----
    Spec::new("E0201", "非法小广告", 70.0).rural(0.6).resid().citizen(&[
        "#a{loc}的墙上{贴满了|被喷了好多}{开锁|办证|贷款|疏通管道}的小广告，{刚刷的墙又花了|密密麻麻一大片}",
        "#b{loc}电线杆上全是小广告，{一根杆子上贴了十几张|刚清理干净又贴满了}",
        "#c{loc}单元门上{天天有人塞小卡片|贴满了小广告}，{撕都撕不完|看着闹心}",
        "#d{loc}地上被人喷了{电话号码|办证广告}，刷都刷不掉",
    ]).official(&[
        "{loc}周边{墙面|电杆|公交站牌}小广告约{nn}处，需清除",
        "#d{loc}有喷涂类非法小广告{n}处，内容为{办证|开锁|贷款}",
        "{loc}电杆及墙面张贴“牛皮癣”较多，影响市容",
    ]),
    Spec::new("E0202", "违规悬挂宣传品", 14.0).shops(&["培训机构", "健身房", "房产中介", "手机店", "服装店", "美容院", "装修公司"]).citizen(&[
        "{loc}有家{shop}在{树上|路灯杆上|护栏上}挂满了横幅，{风一吹哗哗响|挂了好多天了}",
        "{loc}沿街挂了好几条{开业|促销|招生}横幅，{挡着视线|又旧又破}",
    ]).official(&[
        "{loc}{shop}擅自在{行道树|路灯杆|护栏}悬挂横幅{n}条",
        "{loc}沿街违规张贴{促销海报|招生广告|宣传画}，面积约{area}平方米",
    ]),
    Spec::new("E0203", "占道广告牌", 14.0).rural(0.5).shops(&["奶茶店", "餐馆", "理发店", "药店", "服装店", "足浴店", "房产中介"]).subj(Subj::Shop, 0.2).citizen(&[
        "{loc}那家{shop}把广告牌摆到人行道中间，{晚上差点撞上|盲道都挡住了}",
        "{loc}有家店{立了好几块易拉宝|摆了个大灯箱}，{人都过不去|风一吹就倒}",
    ]).official(&[
        "{loc}{shop}门前设置落地广告牌{n}块，占用人行道",
        "{loc}人行道上摆放{立式灯箱|易拉宝|A字牌}广告，影响通行",
    ]),
    Spec::new("E0204", "街头散发广告", 4.0).rural(0.3).lms(&[Lk::Mall, Lk::Square, Lk::School]).citizen(&[
        "{loc}有几个人{拦着路人发传单|往电动车篮里塞传单}，{扔得地上到处都是|甩都甩不掉}",
        "{loc}天天有人发{健身卡|楼盘|培训班}的传单，{一地纸片|拉着人不放}",
    ]).official(&[
        "{loc}有人员散发{健身|楼盘|培训}类广告传单，地面散落较多",
        "{loc}有{n}名人员沿街散发小广告卡片",
    ]),
    Spec::new("E0205", "广告招牌破损", 6.0).shops(&["饭店", "超市", "服装店", "药店", "宾馆", "五金店"]).citizen(&[
        "{loc}有家店的招牌{掉了一半|字掉了几个|铁皮翘起来了}，{挂在那晃来晃去|怕砸到人}",
        "!{loc}那块大招牌{歪下来了|螺丝都松了}，下面就是人行道",
    ]).official(&[
        "!{loc}{shop}店招{破损|松动|字体脱落}，存在坠落隐患，需责令整改",
        "{loc}{shop}店招灯光{部分不亮|残缺}，影响市容",
    ]),
    // ---- E03 施工管理 ----
    Spec::new("E0301", "施工扰民", 22.0).season(Season::Building).hours(Hours::Night).bias(Bias::Complaint).rural(0.5).resid().lms(&[Lk::Site, Lk::Community]).subj(Subj::Builder, 0.2).citizen(&[
        "#a{loc}那个工地晚上{十点多|十一点多|十二点}还在{打桩|施工|浇混凝土}，{吵得根本睡不着|孩子明天还要考试}",
        "#b{loc}有户人家装修{早上六点就开始切瓷砖|晚上九点还在敲墙|周末也不停}，能不能管一下",
        "#a{loc}的工地{凌晨渣土车进进出出|半夜还在卸钢筋}，{轰得睡不着|一晚上被吵醒好几次}",
    ]).official(&[
        "#a{loc}在建工地夜间{22时后|23时许}仍在{打桩|浇筑混凝土|切割钢筋}作业，噪声扰民",
        "#b{loc}某住宅装修{午休时段|清晨}施工，噪声扰民",
        "#a{loc}的工地夜间施工，现场未见夜间施工许可公示",
    ]),
    Spec::new("E0302", "工地扬尘", 18.0).season(Season::Dry).hours(Hours::Day).rural(0.6).lms(&[Lk::Site]).subj(Subj::Builder, 0.25).citizen(&[
        "#a{loc}的工地{土方没盖|一点水都不洒}，风一吹{灰尘满天飞|粉尘大得跟起雾一样}",
        "#b{loc}拆房子{没有洒水|也不围起来}，{灰都吹到学校里去了|家里窗台一层灰}",
        "#c{loc}的工地门口车子带泥上路，路过的车身上全是一层灰",
    ]).official(&[
        "#a{loc}在建项目裸土未覆盖防尘网，现场扬尘明显",
        "#b{loc}拆除作业未采取{洒水降尘|喷淋|围挡}措施，扬尘较大",
        "#c{loc}的工地出入口未设置洗车设施，车辆带泥上路",
    ]),
    Spec::new("E0303", "道路遗撒", 12.0).rural(0.8).citizen(&[
        "{loc}路上{一路都是黄泥巴|撒了长长一段泥|全是水泥浆}，{下雨滑得很|干了坑坑洼洼}",
        "{loc}有渣土车掉下来好多{泥块|碎石}，{电动车骑过去差点摔|也没人扫}",
    ]).official(&[
        "{loc}路面有{渣土车遗撒泥土|水泥浆遗撒|砂石遗撒}，长约{len}米，需清扫并追查车辆",
        "{loc}路面遗撒{n}处，疑似工程车辆所致",
    ]),
    Spec::new("E0304", "施工占道", 8.0).hours(Hours::Day).citizen(&[
        "#a{loc}{修管道|挖路}的把{材料|挖出来的土}堆到车道上，{只剩一条道|堵了一长串}",
        "#b{loc}施工围挡{圈了大半条路|一直没撤}，{走路只能走机动车道|好几个月了}",
    ]).official(&[
        "#b{loc}施工围挡超出审批范围，占用{人行道|机动车道}约{len}米",
        "#a{loc}施工单位占道作业未设置警示标志",
        "#b{loc}施工完成后围挡未拆除，持续占用道路",
    ]),
    Spec::new("E0305", "无证掘路", 3.0).hours(Hours::Day).citizen(&[
        "{loc}有人在路上挖了个大坑，{也没围起来|也不知道是干嘛的}",
        "{loc}人行道被挖开了{好几天|一大段}，{没人施工|坑都没填}",
    ]).official(&[
        "{loc}有施工队开挖路面，未见掘路许可",
        "{loc}人行道被擅自开挖约{len}米，未设置围挡",
    ]),
    Spec::new("E0306", "渣土车未密闭", 8.0).hours(Hours::Night).subj(Subj::Hauler, 0.3).citizen(&[
        "{loc}渣土车{没盖篷布|车厢都没关严}，一路{掉泥|撒石子}",
        "{loc}晚上渣土车开得飞快，{土直接往下掉|灰尘扬得老高}",
    ]).official(&[
        "{loc}有渣土车未密闭运输，沿途抛洒",
        "{loc}{n}辆渣土运输车辆未覆盖篷布，车身带泥上路",
    ]),
    // ---- E04 突发事件 ----
    Spec::new("E0401", "路面塌陷", 4.0).risk(2).citizen(&[
        "!#a{loc}路面塌了个坑，{差不多一平方米|大概半米深}，{车都绕着开|晚上骑电动车很容易摔}",
        "#b{loc}之前挖管道的地方{回填后又塌下去了|沉下去一块}，{下雨全是水|车开过去咯噔一下}",
        "#c{loc}人行道地砖塌下去一块，{有个坑|老人容易摔}",
    ]).official(&[
        "!#a{loc}机动车道路面塌陷一处，约{n}平方米，已放置锥桶，需市政抢修",
        "#b{loc}路面沉降，面积约{n}平方米，疑似地下空洞，建议尽快探查",
        "#b{loc}管线施工后路面回填不实，形成坑槽",
    ]),
    Spec::new("E0402", "自来水管破裂", 4.0).risk(1).citizen(&[
        "!#a{loc}{自来水管爆了|地下在冒水}，水{哗哗往外流|漫了一大片}",
        "#b{loc}路边一直在渗水，{好几天了|地砖都泡起来了}，应该是水管漏了",
    ]).official(&[
        "!#a{loc}供水管道破裂，路面大量冒水，需供水公司抢修",
        "#b{loc}地面持续渗水，疑似供水管漏损",
        "#b{loc}水表井漏水，周边路面积水",
    ]),
    Spec::new("E0403", "燃气管道破裂", 1.0).risk(2).citizen(&[
        "!{loc}闻到很重的煤气味，{好像是地下管子漏了|越靠近味道越大}",
        "!{loc}施工把燃气管挖破了，{在嘶嘶响|气味很大}",
    ]).official(&[
        "!{loc}疑似燃气管道泄漏，现场有明显异味，周边居民较多",
        "!{loc}施工挖破燃气管道，需燃气公司紧急抢修",
    ]),
    Spec::new("E0404", "下水道堵塞", 14.0).risk(1).season(Season::PlumRain).citizen(&[
        "#a{loc}下水道堵了，污水{都冒到路面上了|流了一地}，{臭得要命|踩一脚全是脏水}",
        "#b{loc}那个雨水篦子被{树叶和泥|垃圾}堵死了，一下雨就往外冒水",
        "#c{loc}的下水道{往外返臭水|盖板破了}，{夏天味道大得很|车一压就响}",
    ]).official(&[
        "#a{loc}{下水道|雨污水井}堵塞外溢，路面积有污水，异味明显，请疏通",
        "#b{loc}雨水口被{落叶淤泥|杂物}堵塞，排水不畅",
        "#c{loc}排水沟盖板{塌陷破损|缺失}，需维修",
    ]),
    Spec::new("E0405", "道路积水", 8.0).risk(1).season(Season::PlumRain).citizen(&[
        "{loc}积水{很深|快到膝盖了|到小腿肚}，{车开过去水花溅老高|好几辆车都熄火了|学生只能踩水过去}",
        "{loc}一下雨就积水，{今天水都漫到店门口了|等车的人只能站到台阶上}",
        "{loc}下雨后积水{两天没退|排不掉}，{一股臭味|水里漂着菜叶}",
    ]).official(&[
        "{loc}因降雨积水，水深约{nn}厘米，{车辆通行困难|行人无法通过}",
        "{loc}路面积水约{len}米，雨水口被杂物覆盖，需排水疏通",
        "!{loc}低洼路段积水约{nn}厘米，车辆无法通行，建议临时封闭",
    ]),
    Spec::new("E0406", "道路结冰", 1.5).risk(1).season(Season::Winter).citizen(&[
        "{loc}的路面结冰了，{好几个人滑倒了|电动车根本不敢骑}",
        "{st}那个坡上全是冰，{车子都打滑|早上送孩子差点摔}",
    ]).official(&[
        "{loc}路面积雪结冰，需撒布融雪剂",
        "{st}坡道路段结冰，存在车辆打滑隐患",
    ]),
    Spec::new("E0407", "树木倒伏", 4.0).risk(2).season(Season::Typhoon).citizen(&[
        "!#a{loc}一棵{行道树|大樟树|梧桐树}被风{吹倒了|刮断了}，{横在路上|压在一辆车上|车都过不去}",
        "#b{loc}有棵树{歪了，快倒到车道上了|歪倒搭在电线上，看着随时会倒下来}",
    ]).official(&[
        "!#a{loc}行道树倒伏{1|2}株，阻断{非机动车道|人行道|部分车道}，请园林部门尽快处理",
        "!#b{loc}树木倾斜倒伏，树冠搭在架空线路上，存在安全隐患",
        "{loc}断枝掉落，压住部分通道",
    ]),
    // ---- E05 街面秩序 ----
    Spec::new("E0501", "流动摊贩", 40.0).season(Season::Fruit).lms(&[Lk::School, Lk::Station, Lk::Park, Lk::Square, Lk::Market]).subj(Subj::Person, 0.05).citizen(&[
        "#a{loc}{放学的时候|每天傍晚|一到周末}全是{卖小吃的三轮车|推车卖炸串的|卖气球玩具的}，{围了一堆学生|路都堵了}",
        "#b{loc}有个{卖甘蔗|卖烤红薯|卖杨梅|卖水果}的{推车|三轮车}，{天天都在|城管走了又回来}",
        "#c{loc}一群卖{充电宝|地图|小玩具}的小贩，见人就围上来",
    ]).official(&[
        "{loc}有流动摊贩{n}处，{无照经营|推车售卖}，影响通行",
        "#a{loc}放学时段有流动商贩推车经营（{玩具|油炸食品|烤肠}）",
        "{loc}有流动游商{兜售水果|售卖小吃|摆卖杂货}，未见证照",
    ]),
    Spec::new("E0502", "占道经营", 110.0).season(Season::Warm).rural(1.1).lms(&[Lk::Market, Lk::School, Lk::Mall, Lk::BusStop]).subj(Subj::Person, 0.05).citizen(&[
        "#a{loc}有个卖{水果|西瓜|杨梅|甘蔗}的{三轮车|小货车}停在人行道上，{行人只能走到机动车道上去|占了大半条道}",
        "#b{loc}早上卖菜的把{筐|菜摊}摆到马路上，{车都过不去|堵得要死}",
        "#c{loc}卖{鱼|鸡鸭}的把{盆|笼子}摆在路边，{水流了一地|又脏又臭还占道}",
        "#d{loc}有人{铺布摆地摊卖衣服|摆摊卖杂货}，就挡在路中间",
        "#e{loc}夜宵摊把桌子摆到{非机动车道|人行道}上，{一直营业到凌晨|路都走不了}",
    ]).official(&[
        "#a{loc}有{水果摊|瓜果摊}占道经营，摊位延伸至{非机动车道|机动车道}",
        "#d{loc}有人铺摊售卖{服装|日用杂货}，占用人行道",
        "#b{loc}早市菜农占道摆摊约{n}处，车辆通行受阻",
        "#c{loc}活禽摊贩占道经营，笼具摆放于路边，环境脏乱",
        "#e{loc}{烧烤摊|夜宵摊}{n}处夜间占道经营",
    ]),
    Spec::new("E0503", "店外经营", 90.0).season(Season::Warm).rural(0.9).shops(SHOPS_FRONT).subj(Subj::Shop, 0.35).citizen(&[
        "#a{loc}那家{shop}把货全摆在门口人行道上，{走路都要绕|路都走不了}",
        "#b{loc}有家{shop}{天天|一到晚上就}把桌椅摆到店外，{人行道被占了一半|整改了没几天又恢复原样}",
        "#c{loc}的{shop}在人行道上{修电动车|杀鱼|洗菜切菜}，{满地油污|脏水横流}",
    ]).official(&[
        "#a{loc}{shop}出店经营，商品占用人行道约{area}平方米",
        "{loc}{shop}店外摆放{桌椅|货架|冰柜}经营，影响通行",
        "{loc}{shop}超门窗经营，多次劝导未改",
    ]),
    Spec::new("E0504", "流浪乞讨", 4.0).rural(0.2).lms(&[Lk::Station, Lk::Park, Lk::Hospital, Lk::Mall]).citizen(&[
        "#a{loc}有个人{跪在地上乞讨|放着二维码要钱|带着小孩乞讨}，{拉着路人不放|见人就伸手}",
        "#b{loc}有个{流浪的老人|流浪汉}睡在地上，{天冷了，能不能帮帮他|铺了几个纸箱}",
    ]).official(&[
        "#a{loc}有流浪乞讨人员{1|2}名，{强行向路人讨要钱物|长期滞留}，请劝离救助",
        "#b{loc}有露宿人员1名，{衣着单薄|精神状态异常}，需救助",
    ]),
    Spec::new("E0505", "占道废品收购", 10.0).subj(Subj::PersonOrShop, 0.25).shops(&["废品收购站", "回收站"]).citizen(&[
        "{loc}有个收废品的把{纸板旧冰箱|废铁|塑料瓶}堆在路边，{占了一半人行道|又脏又乱}",
        "{loc}收破烂的三轮车天天停在那里{收货|分拣}，{地上全是碎纸|喇叭喊个不停}",
    ]).official(&[
        "{loc}{shop}在人行道堆放{废纸板|旧家电|废金属}，占道严重",
        "{loc}流动废品收购车辆占道收购分拣",
    ]),
    Spec::new("E0506", "机动车乱停放", 60.0).rural(0.6).resid().citizen(&[
        "#a{loc}有辆{白色轿车|银色面包车|黑色越野车|红色小轿车}停在{人行道|盲道|斑马线}上，{从早上停到现在了|挡住了店门}",
        "#b{loc}消防通道被{几辆私家车|一辆车}堵了，{叫也叫不走|打电话也不接}",
        "#c{loc}{接孩子的家长把车|送货的货车}并排停在车道上，{路口全堵死|公交都开不过去}",
        "#d{loc}两边天天停满车，{双黄线旁边都停|消防车根本进不来}",
    ]).official(&[
        "{loc}机动车违停{n}辆，占用{人行道|消防通道|非机动车道}",
        "#c{loc}货车长时间占用非机动车道装卸货物，影响通行安全",
        "#a{loc}车辆违停占用{斑马线|公交停靠区}，造成拥堵",
    ]),
    Spec::new("E0507", "非机动车乱停放", 70.0).rural(0.4).lms(&[Lk::Hospital, Lk::Mall, Lk::Bank, Lk::Park, Lk::School]).citizen(&[
        "{loc}的{共享单车|电瓶车}{堆了几十辆|停得横七竖八}，{把路都挡住了|走路要侧身}",
        "#a{loc}{外卖电动车|取快递的电瓶车}停了一大排，{把盲道都压住了|轮椅都推不过去}",
        "#b{loc}共享单车倒了一地，{也没人扶|挡着进门的路}",
    ]).official(&[
        "{loc}非机动车无序停放约{nn}辆，占用{人行道|盲道|无障碍通道}",
        "#b{loc}共享单车堆积约{nn}辆，需通知运维调度",
        "#a{loc}电动自行车乱停，{出入口被堵|人行道被占满}",
    ]),
    Spec::new("E0508", "露天烧烤", 15.0).season(Season::Summer).hours(Hours::Evening).bias(Bias::Complaint).rural(0.6).subj(Subj::Person, 0.1).citizen(&[
        "{loc}{每天晚上|一到晚上|天天半夜}都有人在路边{摆炉子烤串|支烧烤架}，{烟熏得眼睛都睁不开|烟大得对面楼都看不清|搞到凌晨两点}",
        "{loc}夜宵摊在人行道上烧炭烤肉，{油烟往楼上冲|窗户都不敢开}",
        "{loc}露天烧烤{又出来了|又摆回人行道了}，{前段时间刚整治过|城管一走就出来}",
    ]).official(&[
        "{loc}夜间露天烧烤摊{n}处，设炉经营，油烟较大",
        "{loc}有露天炭火烧烤，经营至凌晨，烟尘扰民",
        "{loc}夜宵摊露天烧烤，地面油污严重",
    ]),
    Spec::new("E0509", "黑车拉客", 6.0).rural(0.3).lms(&[Lk::Station, Lk::Hospital]).citizen(&[
        "{loc}{一堆|好几辆}黑车{停在那揽客|见人就问去哪}，{把公交车道都堵了|挺吓人的}",
        "{loc}有人{开私家车拉客|开摩的拉客}，{天天都在|喊价还特别高}",
    ]).official(&[
        "{loc}非法营运车辆{n}辆违停揽客",
        "{loc}有疑似“黑车”招揽乘客，占用公交停靠区",
    ]),
    // ---- E06 其他事件 ----
    Spec::new("E0601", "噪声扰民", 22.0).season(Season::Warm).hours(Hours::Night).bias(Bias::Complaint).resid().lms(&[Lk::Square, Lk::Park, Lk::Community, Lk::Mall]).shops(&["服装店", "手机店", "药店", "鞋店", "土特产店", "超市"]).subj(Subj::Shop, 0.15).citizen(&[
        "#a{loc}的广场舞音响{太大声了|开得特别大}，{每天晚上吵到九点半|小孩子写作业都静不下心}",
        "#b{loc}有家{shop}门口大喇叭{喊促销|循环叫卖}，{从早喊到晚|脑子都要炸了}",
        "#c{loc}那家{KTV|酒吧}{半夜还唱得很大声|每天放到两三点}，{窗户关了都听得见|低音炮震得床都在抖}",
    ]).official(&[
        "#b{loc}{shop}使用高音喇叭招揽顾客，噪声扰民",
        "#a{loc}广场舞音响音量过大，持续至{21时|21时30分}左右，影响周边居民休息",
        "#c{loc}{KTV|酒吧}夜间音乐声过大，隔音差，周边居民无法入睡",
    ]),
    Spec::new("E0602", "油烟扰民", 18.0).season(Season::Warm).hours(Hours::Evening).bias(Bias::Complaint).resid().shops(SHOPS_FOOD).subj(Subj::Shop, 0.4).citizen(&[
        "{loc}那家{shop}油烟{直排|太大}，{楼道里全是油味|窗户一开满屋子都是烟|衣服都不敢晒}",
        "{loc}一家{shop}的排烟管直接对着居民楼，{油烟全往我家窗户里灌|窗户都熏黄了}",
        "{comm}楼下{shop}没装油烟净化器，{整栋楼都是味|熏得没法住}",
    ]).official(&[
        "{loc}{shop}油烟直排，排烟口朝向住宅楼，居民反映窗户无法打开",
        "{loc}{shop}未安装油烟净化设施，油烟从后窗直排",
        "{loc}{shop}油烟净化器未开启，油烟扰民",
    ]),
    Spec::new("E0603", "违规焚烧", 8.0).season(Season::Burning).rural(3.0).citizen(&[
        "#a{loc}有人在{烧垃圾|烧树叶|烧旧衣服}，{浓烟滚滚|烟都飘到家里来了|味道呛得很}",
        "#b{vil}田边有人{烧秸秆|烧稻草}，{一大片烟|路都看不清了}",
        "#c{loc}晚上有人在路边烧纸，{一地灰|火星到处飞}",
    ]).official(&[
        "#a{loc}有人露天焚烧{生活垃圾|枯枝落叶|废旧物品}，周边烟味明显",
        "#b{loc}有人焚烧{秸秆|杂草}，烟雾较大",
    ]),
    Spec::new("E0604", "养犬扰民", 6.0).hours(Hours::Night).bias(Bias::Complaint).resid().citizen(&[
        "#a{loc}有户人家的狗{天天半夜叫|一叫就是半小时}，{吵得睡不着|孩子都被吓醒}",
        "#b{loc}有人遛狗不牵绳，{差点扑到小孩|狗屎也不捡}",
        "#c{comm}有人在楼道里养了{好几条狗|一条大狗}，{臭得很|进出都害怕}",
    ]).official(&[
        "#a{loc}居民饲养犬只夜间吠叫扰民",
        "#b{loc}有人遛犬未牵引，{犬只粪便未清理|惊吓路人}",
    ]),
    // ---- Z01 违法建设 ----
    Spec::new("Z0101", "违法搭建", 20.0).bias(Bias::Enforcement).rural(2.0).resid().subj(Subj::Person, 0.85).citizen(&[
        "#a{comm}有人在楼顶{搭彩钢棚|搭房子|盖玻璃房}，{这两天一直在电焊|每天叮叮当当的}，应该没审批吧",
        "#b{loc}有户人家{把阳台往外扩了一米多|在院子外面砌了一圈墙}，{还在继续砌|公共通道都圈进去了}",
        "#c{vil}有人在{自家宅基地旁|承包地上}新盖了{一间砖房|两层楼}，{手续都没有|村里都在说}",
    ]).official(&[
        "#a{comm}{n}幢屋顶新增彩钢结构约{nn}平方米，正在施工",
        "#b{loc}某住宅{阳台外扩|天井加盖|露台搭建阳光房}，新增面积约{area}平方米",
        "{loc}空地新建砖混结构房屋一间，疑似违法建设",
        "#c{vil}村民未经审批擅自建房，已建至{一|二}层",
    ]),
    Spec::new("Z0102", "擅自改变房屋结构", 4.0).bias(Bias::Enforcement).resid().subj(Subj::Person, 0.8).citizen(&[
        "#a{comm}{n}楼有户人家装修{把承重墙敲了|在砸梁|在打通楼板}，{整栋楼都在震|楼下墙都裂了}",
        "#b{loc}那家店装修{把外墙拆了个大门|砸了好几根柱子}，看着好危险",
    ]).official(&[
        "!#a{comm}某住户装修拆改承重墙体，涉嫌擅自变动建筑主体",
        "#b{loc}商铺擅自{拆除外墙|开设门洞|加设夹层}，改变房屋结构",
    ]),
    Spec::new("Z0103", "违规占用公共空间", 12.0).bias(Bias::Enforcement).resid().shops(&["饭店", "汽修店", "建材店", "五金店"]).subj(Subj::PersonOrShop, 0.75).citizen(&[
        "#a{comm}有户人家把{楼道|地下室过道|楼顶平台}{堆满了东西|锁起来当自家用}，{消防通道都堵了|大家都进不去}",
        "#b{loc}有人在公共绿地上{圈地种菜|围了个院子}，{还上了锁|好几年了}",
    ]).official(&[
        "#b{loc}{shop}擅自圈占公共区域约{area}平方米",
        "#a{comm}住户违规占用楼道公共空间，堵塞消防通道",
        "#b{loc}公共空地被私人{围挡占用|搭棚占用}",
    ]),
    // ---- Z02 生态环境 ----
    Spec::new("Z0201", "违规排放污水", 8.0).bias(Bias::Enforcement).rural(1.8).shops(&["洗车店", "餐馆", "汽修厂", "豆腐坊", "养殖场", "小作坊"]).subj(Subj::Shop, 0.8).citizen(&[
        "#a{loc}有家{shop}把{污水|废油|洗车水}直接往{雨水口|溪里|水沟}里倒，{臭得很|水都变色了}",
        "#b{loc}的河里{冒白沫|有一股怪味}，{上游好像有厂在偷排|晚上排得最凶}",
    ]).official(&[
        "#a{loc}{shop}污水未经处理直排雨水管网",
        "#b{loc}排污口有{浑浊|油性}污水排出，疑似{shop}违规排放",
    ]),
    Spec::new("Z0202", "油烟超标排放", 6.0).bias(Bias::Enforcement).hours(Hours::Evening).resid().shops(SHOPS_FOOD).subj(Subj::Shop, 0.9).citizen(&[
        "{loc}{shop}的油烟{比之前更大了|熏得整栋楼发黄}，投诉好几次了都没改",
        "{comm}楼下那家{shop}{天天排油烟|油烟把墙都熏黑了}，要求查一查是不是超标",
    ]).official(&[
        "{loc}{shop}油烟净化设施未正常运行，油烟超标排放",
        "{loc}{shop}油烟排放口距居民窗户过近，经检测超标",
    ]),
    Spec::new("Z0203", "露天焚烧垃圾", 6.0).bias(Bias::Enforcement).season(Season::Burning).rural(3.0).shops(&["废品站", "木材加工厂", "小作坊", "工地"]).subj(Subj::PersonOrShop, 0.6).citizen(&[
        "{loc}有人在空地上{烧垃圾|烧废塑料|烧轮胎}，{黑烟滚滚|臭得喘不过气}",
        "{vil}路边有人{天天傍晚|隔三差五}烧垃圾，{烟都飘到村里|味道特别呛}",
    ]).official(&[
        "{loc}有人露天焚烧{生活垃圾|废旧塑料|建筑废料}，产生大量烟尘",
        "{loc}{shop}在厂区外露天焚烧{废料|包装物}",
    ]),
    Spec::new("Z0204", "施工噪声超标", 5.0).bias(Bias::Enforcement).season(Season::Building).hours(Hours::Night).lms(&[Lk::Site]).subj(Subj::Builder, 0.9).citizen(&[
        "{loc}的工地{天天半夜施工|晚上打桩}，投诉好几次还是照样干，要求处罚",
        "{loc}的工地的{破碎锤|电锯}声音太大了，{隔着双层玻璃都听得见|孩子根本没法睡}",
    ]).official(&[
        "{loc}的工地夜间{打桩|破碎|浇筑}作业，经检测噪声超标",
        "{loc}的工地未办理夜间施工许可，{22时后|午间}仍在施工",
    ]),
    // ---- Z03 市场监管 ----
    Spec::new("Z0301", "无证无照经营", 9.0).bias(Bias::Enforcement).shops(&["小吃店", "美甲店", "麻将馆", "小作坊", "回收站", "棋牌室"]).subj(Subj::PersonOrShop, 0.9).citizen(&[
        "#a{loc}有家{shop}{好像没有营业执照|门口也没挂证照}，{开了好几个月了|卖的东西也不知道安不安全}",
        "#b{comm}有人在{家里开了个小作坊|车库里开麻将馆|车库里开小饭馆}，{天天人来人往|油烟噪音都很大}",
    ]).official(&[
        "#a{loc}{shop}未取得营业执照从事经营活动",
        "#a{loc}{shop}证照过期仍在经营",
    ]),
    Spec::new("Z0302", "食品经营不规范", 6.0).bias(Bias::Enforcement).shops(&["小吃店", "早餐店", "面馆", "超市", "熟食店", "饭店"]).subj(Subj::Shop, 0.95).citizen(&[
        "{loc}那家{shop}{后厨脏得不行|用的油看着像地沟油|卖过期的东西}，{吃了拉肚子|希望查一查}",
        "{loc}{shop}{没有健康证就上岗|生熟不分}，{苍蝇乱飞|看着很不卫生}",
    ]).official(&[
        "{loc}{shop}后厨卫生条件差，{生熟不分|防蝇设施缺失}",
        "{loc}{shop}从业人员未持健康证上岗",
        "{loc}{shop}销售超过保质期食品",
    ]),
    Spec::new("Z0303", "价格违法", 3.0).bias(Bias::Enforcement).shops(&["超市", "水果店", "停车场", "饭店", "宾馆", "药店"]).subj(Subj::Shop, 0.95).citizen(&[
        "{loc}{shop}{标价和结账不一样|不明码标价|宰客}，{多收了我好几十块|问了价格又不认}",
        "{loc}那家{shop}{临时涨价|乱收费}，{跟公示的不一样|太离谱了}",
    ]).official(&[
        "{loc}{shop}未明码标价",
        "{loc}{shop}实际收费高于标示价格，涉嫌价格欺诈",
    ]),
    // ---- Z04 交通运输 ----
    Spec::new("Z0401", "非法营运", 8.0).bias(Bias::Enforcement).lms(&[Lk::Station, Lk::Hospital, Lk::Market]).subj(Subj::Person, 0.7).citizen(&[
        "{loc}有{私家车|面包车}长期在这里拉客，{坐满才走|喊价还特别高}",
        "{loc}{摩的|三轮车}拉客很多，{抢道闯红灯|安全没保障}",
    ]).official(&[
        "{loc}有{n}辆私家车从事非法营运，招揽乘客",
        "{loc}疑似非法营运车辆长期聚集揽客",
    ]),
    Spec::new("Z0402", "违规占用道路", 7.0).bias(Bias::Enforcement).rural(1.5).shops(&["饭店", "汽修店", "建材店", "宾馆"]).subj(Subj::PersonOrShop, 0.7).citizen(&[
        "#a{loc}有人{在马路上晒稻谷|把路拦起来办酒席|在路边搭棚做生意}，{车都过不去|占了一整条道}",
        "#b{loc}有家{shop}用{地锁|石墩|铁链}把门口的路圈起来当自家车位",
    ]).official(&[
        "#b{loc}{shop}擅自在道路上设置{地锁|路障|石墩}，占用道路",
        "#a{loc}道路被{晾晒农作物|堆放货物|搭设临时棚}占用约{len}米",
    ]),
];

/// Minor categories a reporter easily confuses (same major category); a repeat report sometimes
/// picks a neighbour.
const NEIGHBOURS: &[&[&str]] = &[
    &["C0101", "C0102", "C0103", "C0104", "C0105", "C0106", "C0109"],
    &["C0302", "C0303"],
    &["E0102", "E0103", "E0108"],
    &["E0104", "E0106"],
    &["E0201", "E0202"],
    &["E0203", "E0205"],
    &["E0301", "E0304"],
    &["E0302", "E0303", "E0306"],
    &["E0404", "E0405"],
    &["E0501", "E0502", "E0503"],
    &["E0506", "E0509"],
    &["Z0101", "Z0103"],
];

// ---------------------------------------------------------------------------------------------
// Geography: county seats, townships, place names.
// ---------------------------------------------------------------------------------------------

struct CountyInfo {
    code: &'static str,
    /// Resident population in thousands (2020 census, rounded).
    pop_k: f64,
    /// Extra weight of the city centre (数字城管 coverage is densest there).
    mult: f64,
    river: &'static str,
}

const COUNTIES: &[CountyInfo] = &[
    CountyInfo { code: "331102", pop_k: 607.0, mult: 1.5, river: "瓯江" },
    CountyInfo { code: "331121", pop_k: 503.0, mult: 1.0, river: "瓯江" },
    CountyInfo { code: "331122", pop_k: 401.0, mult: 1.0, river: "好溪" },
    CountyInfo { code: "331123", pop_k: 191.0, mult: 1.0, river: "襄溪" },
    CountyInfo { code: "331124", pop_k: 205.0, mult: 1.0, river: "松阴溪" },
    CountyInfo { code: "331125", pop_k: 127.0, mult: 1.0, river: "浮云溪" },
    CountyInfo { code: "331126", pop_k: 137.0, mult: 1.0, river: "松源溪" },
    CountyInfo { code: "331127", pop_k: 111.0, mult: 1.0, river: "鹤溪" },
    CountyInfo { code: "331181", pop_k: 248.0, mult: 1.0, river: "龙泉溪" },
];

/// Known streets and landmarks of the county-seat 街道 and the weight of large market towns.
struct TownInfo {
    code: &'static str,
    mult: f64,
    streets: &'static [&'static str],
    /// (name, kind, street it is on).
    lms: &'static [(&'static str, Lk, &'static str)],
}

const TOWNS: &[TownInfo] = &[
    TownInfo {
        code: "331102001",
        mult: 1.3,
        streets: &["丽阳街", "大众街", "紫金路", "继光街", "大猷街", "灯塔街", "花园路"],
        lms: &[
            ("丽水市中心医院", Lk::Hospital, "大众街"),
            ("丽阳门", Lk::Square, "丽阳街"),
            ("紫金路夜市", Lk::Square, "紫金路"),
            ("紫金大桥", Lk::River, "紫金路"),
            ("和园小区", Lk::Community, "花园路"),
            ("花园路菜场", Lk::Market, "花园路"),
            ("继光街老年活动中心", Lk::Square, "继光街"),
        ],
    },
    TownInfo {
        code: "331102002",
        mult: 1.1,
        streets: &["城北街", "北环路", "括苍路", "学院路", "天宁路", "岩泉路"],
        lms: &[
            ("丽水学院", Lk::School, "学院路"),
            ("丽水中学", Lk::School, "北环路"),
            ("城北菜场", Lk::Market, "城北街"),
            ("括苍路小学", Lk::School, "括苍路"),
        ],
    },
    TownInfo {
        code: "331102003",
        mult: 1.3,
        streets: &["人民街", "解放街", "中山街", "万象路", "府前路"],
        lms: &[
            ("万象山公园", Lk::Park, "万象路"),
            ("应星楼", Lk::Square, "解放街"),
            ("人民街菜市场", Lk::Market, "人民街"),
            ("华联超市", Lk::Mall, "中山街"),
            ("中山街步行街", Lk::Square, "中山街"),
        ],
    },
    TownInfo {
        code: "331102004",
        mult: 1.0,
        streets: &["三岩寺路", "寿尔福路", "中东路", "丽沙路", "白云山路"],
        lms: &[
            ("白云小区", Lk::Community, "三岩寺路"),
            ("丽沙路农贸市场", Lk::Market, "丽沙路"),
            ("华宇商厦", Lk::Mall, "中东路"),
            ("白云森林公园", Lk::Park, "白云山路"),
        ],
    },
    TownInfo {
        code: "331102007",
        mult: 0.8,
        streets: &["好溪堰路", "丽青路", "联城路", "城东路"],
        lms: &[("好溪堰公园", Lk::Park, "好溪堰路"), ("好溪堰历史文化街区", Lk::Square, "好溪堰路")],
    },
    TownInfo {
        code: "331102008",
        mult: 0.9,
        streets: &["南明路", "绿谷大道", "站前路", "水阁路", "石牛路"],
        lms: &[
            ("丽水火车站", Lk::Station, "站前路"),
            ("站前广场", Lk::Square, "站前路"),
            ("汽车南站", Lk::Station, "南明路"),
            ("南明山景区", Lk::Park, "南明路"),
        ],
    },
    TownInfo {
        code: "331121001",
        mult: 1.2,
        streets: &["鹤城中路", "鹤城东路", "鹤城西路", "龙津路", "瓯江路"],
        lms: &[
            ("太鹤大桥", Lk::River, "瓯江路"),
            ("滨江公园", Lk::Park, "瓯江路"),
            ("青田县人民医院", Lk::Hospital, "鹤城中路"),
            ("实验小学", Lk::School, "龙津路"),
            ("鹤城东路农贸市场", Lk::Market, "鹤城东路"),
            ("青田汽车站", Lk::Station, "鹤城西路"),
        ],
    },
    TownInfo {
        code: "331121003",
        mult: 1.0,
        streets: &["油竹大道", "江南大道", "侨乡大道"],
        lms: &[("侨乡进口商品城", Lk::Mall, "油竹大道")],
    },
    TownInfo {
        code: "331122001",
        mult: 1.2,
        streets: &["五云中路", "仙都路", "好溪路", "新建路", "五云东路"],
        lms: &[
            ("缙云县人民医院", Lk::Hospital, "五云中路"),
            ("缙云客运中心", Lk::Station, "仙都路"),
            ("阳光小区", Lk::Community, "好溪路"),
            ("溪滨公园", Lk::Park, "好溪路"),
        ],
    },
    TownInfo {
        code: "331123001",
        mult: 1.2,
        streets: &["北街", "环城北路", "凯恩路", "妙高路", "南街"],
        lms: &[
            ("遂昌中学", Lk::School, "环城北路"),
            ("北街菜场", Lk::Market, "北街"),
            ("凯恩路夜市", Lk::Square, "凯恩路"),
            ("遂昌汽车站", Lk::Station, "妙高路"),
        ],
    },
    TownInfo {
        code: "331124001",
        mult: 1.2,
        streets: &["长松路", "紫荆路", "老街", "西屏路"],
        lms: &[
            ("明清古街", Lk::Square, "老街"),
            ("实验学校", Lk::School, "紫荆路"),
            ("松阳汽车站", Lk::Station, "长松路"),
        ],
    },
    TownInfo {
        code: "331125001",
        mult: 1.2,
        streets: &["解放街", "中山路", "环城东路", "浮云路"],
        lms: &[("木玩城", Lk::Mall, "环城东路"), ("邮政局", Lk::Bank, "解放街"), ("云和汽车站", Lk::Station, "中山路")],
    },
    TownInfo {
        code: "331126001",
        mult: 1.2,
        streets: &["濛洲街", "石龙街", "松源路", "新建路"],
        lms: &[
            ("菇城市场", Lk::Market, "石龙街"),
            ("农商银行", Lk::Bank, "石龙街"),
            ("庆元汽车站", Lk::Station, "松源路"),
        ],
    },
    TownInfo {
        code: "331127001",
        mult: 1.0,
        streets: &["人民中路", "复兴路", "畲乡路"],
        lms: &[("人民中路步行街", Lk::Square, "人民中路")],
    },
    TownInfo {
        code: "331127002",
        mult: 1.1,
        streets: &["环城西路", "人民路", "鹤溪路"],
        lms: &[("畲乡商城", Lk::Mall, "环城西路"), ("景宁汽车站", Lk::Station, "人民路")],
    },
    TownInfo {
        code: "331181001",
        mult: 1.2,
        streets: &["中山路", "贤良路", "剑池路", "华楼街", "剑川大道"],
        lms: &[
            ("剑池湖公园", Lk::Park, "剑池路"),
            ("新华书店", Lk::Mall, "中山路"),
            ("剑池路农贸市场", Lk::Market, "剑池路"),
            ("锦绣花园", Lk::Community, "剑池路"),
            ("金沙苑", Lk::Community, "剑池路"),
            ("龙泉汽车站", Lk::Station, "剑川大道"),
        ],
    },
    TownInfo { code: "331102100", mult: 1.6, streets: &[], lms: &[] },
    TownInfo { code: "331121101", mult: 2.0, streets: &[], lms: &[] },
    TownInfo { code: "331122101", mult: 2.0, streets: &[], lms: &[] },
    TownInfo { code: "331122102", mult: 1.2, streets: &[], lms: &[] },
    TownInfo { code: "331124101", mult: 1.5, streets: &[], lms: &[] },
    TownInfo { code: "331181100", mult: 1.3, streets: &[], lms: &[] },
];

const GENERIC_STREETS: &[&str] = &[
    "新华路",
    "建设路",
    "文化路",
    "体育路",
    "环城路",
    "滨江路",
    "公园路",
    "育才路",
    "工业路",
    "迎宾大道",
    "朝阳路",
    "东升路",
    "兴业路",
    "学府路",
    "康宁路",
    "商贸路",
    "健康路",
    "青年路",
];
const COMM_A: &[&str] = &[
    "锦绣", "阳光", "丽景", "金色", "书香", "绿谷", "滨江", "翠竹", "春江", "碧水", "云溪", "南城", "北苑", "东方",
    "和园", "城西", "广福", "桂花", "新城", "嘉和", "水岸", "梧桐", "枫林", "怡景", "康乐", "幸福", "江南", "润园",
    "紫荆", "凤凰", "青枫", "安居",
];
const COMM_B: &[&str] =
    &["花园", "小区", "新村", "家园", "公寓", "名苑", "华庭", "雅苑", "嘉园", "佳苑", "山庄", "锦苑"];
const VIL_A: &[&str] = &[
    "上", "下", "大", "小", "石", "梅", "竹", "枫", "岭", "黄", "周", "叶", "吴", "陈", "潘", "毛", "李", "新", "后",
    "前", "东", "西", "高", "杨", "桃", "茶", "松", "沙", "金", "樟",
];
const VIL_B: &[&str] = &[
    "垟", "岙", "坑", "源", "坪", "畈", "溪口", "头", "山", "塘", "桥", "庄", "坞", "岭", "湾", "田", "店", "潭", "寮",
    "洋",
];
const BANKS: &[&str] = &["农商银行", "邮储银行", "工商银行", "建设银行", "农业银行"];
const SURNAMES: &[&str] = &[
    "叶", "吴", "陈", "周", "李", "王", "张", "刘", "徐", "朱", "林", "何", "潘", "雷", "蓝", "钟", "季", "毛", "杨",
    "郑", "金", "胡", "应", "柳", "项", "梅", "夏", "赵", "黄", "蔡", "程", "邱", "杜", "鲍", "管", "吕", "沈", "汤",
    "卢", "舒", "蒋", "邵", "丁", "留",
];
const GIVEN_M: &[&str] = &[
    "伟", "强", "军", "建华", "志强", "国庆", "海峰", "建平", "晓东", "俊", "磊", "斌", "勇", "杰", "浩", "宇航",
    "子豪", "文斌", "立新", "春生", "金福", "根土", "新民", "振华", "一鸣", "旭东", "鹏飞", "锦程", "伟忠", "建军",
    "志明", "永康",
];
const GIVEN_F: &[&str] = &[
    "丽", "芳", "敏", "静", "丽华", "秀英", "美玲", "晓燕", "雪梅", "婷", "倩", "海燕", "玉兰", "慧", "佳怡", "梦婷",
    "小红", "素芬", "彩霞", "雅琴", "晓丽", "月娥", "婉婷", "思琪", "雨涵", "秀珍", "爱琴", "翠英",
];
/// Characters of invented trade names (字号): unusual pairs, unlikely to be a registered name.
const BRAND_A: &[&str] = &[
    "禾", "澜", "栎", "屿", "沐", "岚", "泓", "翊", "璟", "珂", "芮", "昶", "桉", "朴", "柘", "砚", "蔚", "峦", "瀚",
    "晟", "睿", "筠", "霁", "湉",
];
const BRAND_B: &[&str] =
    &["汀", "桐", "舟", "川", "岑", "垣", "麓", "湛", "榕", "棠", "陌", "岫", "澄", "榆", "途", "堇", "枫", "邑"];
const PHONE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156", "157",
    "158", "159", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "193", "195", "198",
    "199",
];

// ---------------------------------------------------------------------------------------------
// Templates.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Loc,
    St,
    St2,
    Lm,
    Comm,
    Vil,
    Shop,
    N,
    Nn,
    Area,
    Len,
}

#[derive(Debug, Clone)]
enum Seg {
    Lit(&'static str),
    Alt(Vec<&'static str>),
    Slot(Slot),
}

#[derive(Debug, Clone)]
struct Tpl {
    segs: Vec<Seg>,
    hazard: bool,
    /// Which variant of the problem (`#a`, `#b` …); 0 for a template that fits any.
    topic: u8,
    uses_shop: bool,
    /// What kind of place the text starts with.
    want: Want,
}

/// The kind of place a template needs (`{comm}…`, `{vil}…`, `{st}…` at the start).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    Any,
    Street,
    Building,
    Village,
}

fn parse_tpl(src: &'static str) -> Result<Tpl, String> {
    let (hazard, rest) = match src.strip_prefix('!') {
        Some(r) => (true, r),
        None => (false, src),
    };
    let (topic, mut rest) = match rest.strip_prefix('#') {
        Some(r) => match r.bytes().next() {
            Some(b) if b.is_ascii_lowercase() => (b, &r[1..]),
            _ => return Err(format!("bad topic in {src}")),
        },
        None => (0, rest),
    };
    let mut segs = Vec::new();
    while !rest.is_empty() {
        let Some(open) = rest.find('{') else {
            segs.push(Seg::Lit(rest));
            break;
        };
        if open > 0 {
            segs.push(Seg::Lit(&rest[..open]));
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(format!("unclosed brace in {src}"));
        };
        let inner = &after[..close];
        if inner.contains('{') {
            return Err(format!("nested brace in {src}"));
        }
        let seg = if inner.contains('|') {
            Seg::Alt(inner.split('|').collect())
        } else {
            Seg::Slot(match inner {
                "loc" => Slot::Loc,
                "st" => Slot::St,
                "st2" => Slot::St2,
                "lm" => Slot::Lm,
                "comm" => Slot::Comm,
                "vil" => Slot::Vil,
                "shop" => Slot::Shop,
                "n" => Slot::N,
                "nn" => Slot::Nn,
                "area" => Slot::Area,
                "len" => Slot::Len,
                other => return Err(format!("unknown slot {{{other}}} in {src}")),
            })
        };
        segs.push(seg);
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("stray brace in {src}"));
    }
    let uses_shop = segs.iter().any(|g| matches!(g, Seg::Slot(Slot::Shop)));
    let want = match segs.first() {
        Some(Seg::Slot(Slot::Comm)) => Want::Building,
        Some(Seg::Slot(Slot::Vil)) => Want::Village,
        Some(Seg::Slot(Slot::St)) => Want::Street,
        _ => Want::Any,
    };
    Ok(Tpl { segs, hazard, topic, uses_shop, want })
}

/// Values of the slots for one clue.
struct Fill<'a> {
    loc: &'a str,
    st: &'a str,
    st2: &'a str,
    lm: &'a str,
    comm: &'a str,
    vil: &'a str,
    shop: &'a str,
}

fn render(t: &Tpl, f: &Fill, rng: &mut StdRng, out: &mut String) {
    use std::fmt::Write;
    for s in &t.segs {
        match s {
            Seg::Lit(l) => out.push_str(l),
            Seg::Alt(a) => out.push_str(pick(rng, a).copied().unwrap_or("")),
            Seg::Slot(slot) => {
                let _ = match slot {
                    Slot::Loc => write!(out, "{}", f.loc),
                    Slot::St => write!(out, "{}", f.st),
                    Slot::St2 => write!(out, "{}", f.st2),
                    Slot::Lm => write!(out, "{}", f.lm),
                    Slot::Comm => write!(out, "{}", f.comm),
                    Slot::Vil => write!(out, "{}", f.vil),
                    Slot::Shop => write!(out, "{}", f.shop),
                    Slot::N => write!(out, "{}", rng.random_range(2..=6)),
                    Slot::Nn => write!(out, "{}", rng.random_range(2..=12) * 5),
                    Slot::Area => write!(out, "{}", rng.random_range(3..=45)),
                    Slot::Len => write!(out, "{}", rng.random_range(2..=30) * 10),
                };
            }
        }
    }
}

struct CatTpls {
    citizen: Vec<Tpl>,
    official: Vec<Tpl>,
}

/// Parsed templates of every category, in `SPECS` order (a template that does not parse is left
/// out; the tests require all to parse).
fn catalogue() -> Vec<CatTpls> {
    SPECS
        .iter()
        .map(|s| CatTpls {
            citizen: s.citizen.iter().filter_map(|t| parse_tpl(t).ok()).collect(),
            official: s.official.iter().filter_map(|t| parse_tpl(t).ok()).collect(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Small helpers.
// ---------------------------------------------------------------------------------------------

fn pick<'a, T>(rng: &mut StdRng, xs: &'a [T]) -> Option<&'a T> {
    match xs.len() {
        0 => None,
        1 => xs.first(),
        n => xs.get(rng.random_range(0..n)),
    }
}

fn pick_str(rng: &mut StdRng, xs: &[&'static str]) -> &'static str {
    pick(rng, xs).copied().unwrap_or("")
}

/// Index drawn from cumulative weights.
fn pick_cum(rng: &mut StdRng, cum: &[f64]) -> usize {
    let total = cum.last().copied().unwrap_or(0.0);
    if total <= 0.0 {
        return 0;
    }
    let r = rng.random::<f64>() * total;
    cum.partition_point(|&c| c <= r).min(cum.len().saturating_sub(1))
}

fn cumulative(ws: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    ws.map(|w| {
        acc += w.max(0.0);
        acc
    })
    .collect()
}

fn chance(rng: &mut StdRng, p: f64) -> bool {
    rng.random::<f64>() < p
}

fn truncate_chars(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn person_name(rng: &mut StdRng) -> String {
    let given = if chance(rng, 0.5) { GIVEN_M } else { GIVEN_F };
    format!("{}{}", pick_str(rng, SURNAMES), pick_str(rng, given))
}

fn phone(rng: &mut StdRng) -> String {
    format!("{}{:08}", pick_str(rng, PHONE_PREFIXES), rng.random_range(0..100_000_000u32))
}

fn brand(rng: &mut StdRng) -> String {
    let a = pick_str(rng, BRAND_A);
    let mut b = pick_str(rng, BRAND_B);
    if a == b {
        b = "汀";
    }
    format!("{a}{b}")
}

/// A unified social credit code with valid organisation-code and GB 32100 check characters.
/// `kind` is `91` (company) or `92` (个体工商户).
fn credit_code(rng: &mut StdRng, kind: &str, county: &str) -> String {
    const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W_ORG: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    const W: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let region = if county.len() == 6 && county.bytes().all(|b| b.is_ascii_digit()) { county } else { "331100" };
    let mut code: Vec<u8> = Vec::with_capacity(18);
    code.extend_from_slice(kind.as_bytes());
    code.extend_from_slice(region.as_bytes());
    let mut org: Vec<u8> = b"MA2".to_vec();
    for _ in 0..5 {
        org.push(CHARS.get(rng.random_range(0..CHARS.len())).copied().unwrap_or(b'0'));
    }
    let org_value = |c: u8| if c.is_ascii_digit() { u32::from(c - b'0') } else { u32::from(c - b'A') + 10 };
    let s: u32 = org.iter().zip(W_ORG).map(|(&c, w)| org_value(c) * w).sum();
    let org_check = match 11 - s % 11 {
        10 => b'X',
        11 => b'0',
        d => b'0' + d as u8,
    };
    code.extend_from_slice(&org);
    code.push(org_check);
    let sum: usize =
        code.iter().zip(W).map(|(&c, w)| CHARS.iter().position(|&x| x == c).unwrap_or(0) * w as usize).sum();
    code.push(CHARS.get((31 - sum % 31) % 31).copied().unwrap_or(b'0'));
    String::from_utf8(code).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Time: local (UTC+8) calendar, activity profile.
// ---------------------------------------------------------------------------------------------

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 86_400_000;
const TZ_MS: i64 = 8 * HOUR_MS;

/// Relative report volume by local hour.
const HOUR_W: [f64; 24] = [
    0.16, 0.09, 0.06, 0.05, 0.06, 0.14, 0.38, 0.85, 1.35, 1.6, 1.6, 1.35, 0.85, 0.95, 1.4, 1.5, 1.4, 1.15, 0.95, 0.95,
    0.85, 0.65, 0.42, 0.26,
];
/// Monday first.
const WEEKDAY_W: [f64; 7] = [1.06, 1.04, 1.0, 1.0, 0.96, 0.74, 0.68];
const MONTH_W: [f64; 12] = [0.92, 0.85, 1.0, 1.04, 1.05, 1.1, 1.1, 1.06, 1.0, 0.95, 1.0, 0.96];
/// 春节 (正月初一), Gregorian.
const SPRING_FESTIVALS: &[(i64, u32, u32)] = &[
    (2020, 1, 25),
    (2021, 2, 12),
    (2022, 2, 1),
    (2023, 1, 22),
    (2024, 2, 10),
    (2025, 1, 29),
    (2026, 2, 17),
    (2027, 2, 6),
    (2028, 1, 26),
    (2029, 2, 13),
    (2030, 2, 3),
    (2031, 1, 23),
    (2032, 2, 11),
];

#[derive(Debug, Clone, Copy)]
struct Local {
    day: i64,
    month0: usize,
    dom: u32,
    hour: usize,
    weekday: usize,
}

fn local(ms: i64) -> Local {
    let l = ms + TZ_MS;
    let day = l.div_euclid(DAY_MS);
    let hour = (l.rem_euclid(DAY_MS) / HOUR_MS) as usize;
    let weekday = (day + 3).rem_euclid(7) as usize;
    let (_, m, d) = civil_from_days(day);
    Local { day, month0: (m as usize).saturating_sub(1), dom: d, hour, weekday }
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn hour_class(hour: usize) -> usize {
    match hour {
        6..=17 => 0,
        18..=21 => 1,
        _ => 2,
    }
}

struct Clock {
    start: i64,
    span: i64,
    wmax: f64,
    festivals: Vec<i64>,
}

impl Clock {
    fn new(start: i64, end: i64) -> Clock {
        let max = |xs: &[f64]| xs.iter().copied().fold(0.0, f64::max);
        Clock {
            start,
            span: (end - start).max(1),
            wmax: max(&HOUR_W) * max(&WEEKDAY_W) * max(&MONTH_W) * 1.18,
            festivals: SPRING_FESTIVALS.iter().map(|&(y, m, d)| days_from_civil(y, m, d)).collect(),
        }
    }

    fn holiday(&self, l: &Local) -> f64 {
        for &f in &self.festivals {
            match l.day - f {
                -1..=6 => return 0.42,
                -6..=-2 => return 0.92,
                7..=13 => return 0.85,
                _ => {}
            }
        }
        match (l.month0, l.dom) {
            (9, 1..=7) => 0.8,
            (4, 1..=5) => 0.9,
            _ => 1.0,
        }
    }

    fn hour_weight(hour: usize) -> f64 {
        HOUR_W.get(hour).copied().unwrap_or(1.0)
    }

    fn weight(&self, t: i64) -> f64 {
        let l = local(t);
        let frac = ((t - self.start) as f64 / self.span as f64).clamp(0.0, 1.0);
        Self::hour_weight(l.hour)
            * WEEKDAY_W.get(l.weekday).copied().unwrap_or(1.0)
            * MONTH_W.get(l.month0).copied().unwrap_or(1.0)
            * self.holiday(&l)
            * (0.82 + 0.36 * frac)
    }

    /// A report time drawn from the activity profile (rejection sampling).
    fn sample(&self, rng: &mut StdRng) -> i64 {
        for _ in 0..500 {
            let t = self.start + rng.random_range(0..self.span);
            if rng.random::<f64>() * self.wmax <= self.weight(t) {
                return t;
            }
        }
        self.start + rng.random_range(0..self.span)
    }
}

// ---------------------------------------------------------------------------------------------
// The world: streets, landmarks and villages of each township, in metres around its point.
// ---------------------------------------------------------------------------------------------

/// Clues stay within this distance (m) of the township point.
const R_MAX: f64 = 1450.0;
const M_PER_DEG: f64 = 111_320.0;
const LK_COUNT: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Area {
    Urban,
    Town,
    Rural,
}

impl Area {
    fn of(name: &str) -> Area {
        if name.ends_with("街道") {
            Area::Urban
        } else if name.ends_with('镇') {
            Area::Town
        } else {
            Area::Rural
        }
    }
    fn index(self) -> usize {
        match self {
            Area::Urban => 0,
            Area::Town => 1,
            Area::Rural => 2,
        }
    }
}

fn stem_of(name: &str) -> String {
    for suffix in ["畲族乡", "畲族镇", "街道", "镇", "乡"] {
        if let Some(s) = name.strip_suffix(suffix)
            && !s.is_empty()
        {
            return s.to_owned();
        }
    }
    name.to_owned()
}

#[derive(Debug)]
struct Street {
    name: String,
    x: f64,
    y: f64,
    dx: f64,
    dy: f64,
}

#[derive(Debug)]
struct Landmark {
    name: String,
    kind: Lk,
    street: usize,
    x: f64,
    y: f64,
}

#[derive(Debug)]
struct Village {
    name: String,
    x: f64,
    y: f64,
}

#[derive(Debug)]
struct Geo {
    area: Area,
    stem: String,
    streets: Vec<Street>,
    lms: Vec<Landmark>,
    /// Landmark indices per kind (`Lk as usize`).
    by_kind: Vec<Vec<usize>>,
    /// Landmark indices per street.
    by_street: Vec<Vec<usize>>,
    vils: Vec<Village>,
    weight: f64,
}

fn clamp_r(x: f64, y: f64) -> (f64, f64) {
    let d = x.hypot(y);
    if d > R_MAX { (x * R_MAX / d, y * R_MAX / d) } else { (x, y) }
}

fn jitter(rng: &mut StdRng, r: f64) -> (f64, f64) {
    let a = rng.random::<f64>() * std::f64::consts::TAU;
    let d = r * rng.random::<f64>().sqrt();
    (d * a.cos(), d * a.sin())
}

/// A point on a street: `along` metres from its anchor, a little off the centre line.
fn on_street(rng: &mut StdRng, s: &Street, along: f64, off: f64) -> (f64, f64) {
    let o = (rng.random::<f64>() * 2.0 - 1.0) * off;
    clamp_r(s.x + s.dx * along - s.dy * o, s.y + s.dy * along + s.dx * o)
}

impl Geo {
    fn build(town: &Town, rng: &mut StdRng) -> Geo {
        let area = Area::of(&town.name);
        let stem = stem_of(&town.name);
        let info = TOWNS.iter().find(|t| t.code == town.code);
        let river = COUNTIES.iter().find(|c| c.code == town.county_code).map_or("溪", |c| c.river);

        // Streets.
        let mut names: Vec<String> =
            info.map(|i| i.streets.iter().map(|s| (*s).to_owned()).collect()).unwrap_or_default();
        let (target, spread) = match area {
            Area::Urban => (if names.is_empty() { 7 } else { names.len().max(5) }, 750.0),
            Area::Town => (5, 550.0),
            Area::Rural => (3, 400.0),
        };
        let mut cands: Vec<String> = match area {
            Area::Urban => {
                let mut v = vec![format!("{stem}路"), format!("{stem}大道")];
                v.extend(GENERIC_STREETS.iter().map(|s| (*s).to_owned()));
                v
            }
            Area::Town => vec![
                format!("{stem}大道"),
                format!("{stem}老街"),
                format!("{stem}中路"),
                format!("{stem}北路"),
                format!("{stem}南路"),
                "新街".to_owned(),
                "工业路".to_owned(),
                "文化路".to_owned(),
            ],
            Area::Rural => vec![format!("{stem}街"), format!("{stem}老街"), "集镇路".to_owned(), "新街".to_owned()],
        };
        while names.len() < target && !cands.is_empty() {
            let c = cands.swap_remove(rng.random_range(0..cands.len()));
            if !names.contains(&c) {
                names.push(c);
            }
        }
        let streets: Vec<Street> = names
            .into_iter()
            .map(|name| {
                let r = spread * rng.random::<f64>().sqrt();
                let a = rng.random::<f64>() * std::f64::consts::TAU;
                let b = rng.random::<f64>() * std::f64::consts::PI;
                Street { name, x: r * a.cos(), y: r * a.sin(), dx: b.cos(), dy: b.sin() }
            })
            .collect();
        let n_st = streets.len();

        // Landmarks.
        let mut lms: Vec<Landmark> = Vec::new();
        let add = |lms: &mut Vec<Landmark>, rng: &mut StdRng, name: String, kind: Lk, street: usize| {
            if lms.iter().any(|l| l.name == name) {
                return;
            }
            let Some(s) = streets.get(street) else { return };
            let along = (rng.random::<f64>() * 2.0 - 1.0) * 300.0;
            let (x, y) = on_street(rng, s, along, 40.0);
            lms.push(Landmark { name, kind, street, x, y });
        };
        for &(name, kind, st) in info.map_or(&[][..], |i| i.lms) {
            let street = streets.iter().position(|s| s.name == st).unwrap_or_else(|| rng.random_range(0..n_st));
            add(&mut lms, rng, name.to_owned(), kind, street);
        }
        let has = |lms: &[Landmark], k: Lk| lms.iter().any(|l| l.kind == k);
        let st_name = |i: usize| streets.get(i).map_or("", |s| s.name.as_str()).to_owned();
        let comm_name = |rng: &mut StdRng| format!("{}{}", pick_str(rng, COMM_A), pick_str(rng, COMM_B));
        match area {
            Area::Urban => {
                let s = rng.random_range(0..n_st);
                if !has(&lms, Lk::Market) {
                    add(&mut lms, rng, format!("{}菜市场", st_name(s)), Lk::Market, s);
                }
                let s = rng.random_range(0..n_st);
                add(&mut lms, rng, format!("{}小学", st_name(s)), Lk::School, s);
                let s = rng.random_range(0..n_st);
                add(&mut lms, rng, format!("{}幼儿园", st_name(s)), Lk::School, s);
                let s = rng.random_range(0..n_st);
                add(&mut lms, rng, format!("{stem}社区卫生服务中心"), Lk::Hospital, s);
                if !has(&lms, Lk::Park) {
                    let s = rng.random_range(0..n_st);
                    add(&mut lms, rng, format!("{stem}公园"), Lk::Park, s);
                }
                for _ in 0..2 {
                    let s = rng.random_range(0..n_st);
                    let bank = format!("{}{}", st_name(s), pick_str(rng, BANKS));
                    add(&mut lms, rng, bank, Lk::Bank, s);
                }
                let s = rng.random_range(0..n_st);
                let mall = format!("{}{}", pick_str(rng, COMM_A), pick_str(rng, &["超市", "商厦", "购物中心"]));
                add(&mut lms, rng, mall, Lk::Mall, s);
                for _ in 0..rng.random_range(6..=9) {
                    let s = rng.random_range(0..n_st);
                    let c = comm_name(rng);
                    add(&mut lms, rng, c, Lk::Community, s);
                }
                let s = rng.random_range(0..n_st);
                let site = format!("{}{}", pick_str(rng, COMM_A), pick_str(rng, &["府项目", "二期项目", "安置房项目"]));
                add(&mut lms, rng, site, Lk::Site, s);
                let s = rng.random_range(0..n_st);
                add(&mut lms, rng, format!("{}地块项目", st_name(s)), Lk::Site, s);
                if !has(&lms, Lk::Square) {
                    let s = rng.random_range(0..n_st);
                    add(&mut lms, rng, format!("{stem}文化广场"), Lk::Square, s);
                }
                let s = rng.random_range(0..n_st);
                let green =
                    if river.ends_with('江') { format!("{river}滨江绿道") } else { format!("{river}绿道") };
                add(&mut lms, rng, green, Lk::River, s);
            }
            Area::Town | Area::Rural => {
                let town_like = area == Area::Town;
                let picks: Vec<usize> = (0..12).map(|_| rng.random_range(0..n_st)).collect();
                let p = |i: usize| picks.get(i).copied().unwrap_or(0);
                add(
                    &mut lms,
                    rng,
                    format!("{stem}{}", if town_like { "农贸市场" } else { "集镇菜场" }),
                    Lk::Market,
                    p(0),
                );
                add(&mut lms, rng, format!("{stem}中心小学"), Lk::School, p(1));
                if town_like {
                    add(&mut lms, rng, format!("{stem}中学"), Lk::School, p(2));
                    add(&mut lms, rng, format!("{stem}客运站"), Lk::Station, p(3));
                    add(&mut lms, rng, format!("{stem}文化广场"), Lk::Square, p(4));
                    add(&mut lms, rng, format!("{stem}供销超市"), Lk::Mall, p(5));
                    add(&mut lms, rng, format!("{stem}集镇改造项目"), Lk::Site, p(6));
                    add(&mut lms, rng, format!("{stem}安置小区"), Lk::Community, p(7));
                    let c = comm_name(rng);
                    add(&mut lms, rng, c, Lk::Community, p(8));
                } else {
                    add(&mut lms, rng, format!("{stem}文化礼堂"), Lk::Square, p(4));
                    add(&mut lms, rng, format!("{stem}供销社"), Lk::Mall, p(5));
                    add(&mut lms, rng, format!("{stem}安置房项目"), Lk::Site, p(6));
                }
                add(&mut lms, rng, format!("{stem}卫生院"), Lk::Hospital, p(9));
                add(&mut lms, rng, format!("{stem}农商银行"), Lk::Bank, p(10));
                add(&mut lms, rng, format!("{stem}新村"), Lk::Community, p(11));
                add(&mut lms, rng, format!("{stem}溪滩"), Lk::River, p(0));
            }
        }
        for i in 0..n_st {
            add(&mut lms, rng, format!("{}公交站", st_name(i)), Lk::BusStop, i);
        }

        // Villages (乡镇 only), further out than the market-town streets.
        let mut vils: Vec<Village> = Vec::new();
        let n_vil = match area {
            Area::Urban => 0,
            Area::Town => rng.random_range(5..=7),
            Area::Rural => rng.random_range(6..=9),
        };
        let mut tries = 0;
        while vils.len() < n_vil && tries < 200 {
            tries += 1;
            let a = pick_str(rng, VIL_A);
            let b = pick_str(rng, VIL_B);
            if b.starts_with(a) {
                continue;
            }
            let name = format!("{a}{b}村");
            if vils.iter().any(|v| v.name == name) {
                continue;
            }
            let r = 350.0 + 900.0 * rng.random::<f64>();
            let ang = rng.random::<f64>() * std::f64::consts::TAU;
            vils.push(Village { name, x: r * ang.cos(), y: r * ang.sin() });
        }

        let mut by_kind = vec![Vec::new(); LK_COUNT];
        let mut by_street = vec![Vec::new(); n_st];
        for (i, l) in lms.iter().enumerate() {
            if let Some(v) = by_kind.get_mut(l.kind as usize) {
                v.push(i);
            }
            if let Some(v) = by_street.get_mut(l.street) {
                v.push(i);
            }
        }
        let kind_w = match area {
            Area::Urban => 8.0,
            Area::Town => 2.5,
            Area::Rural => 1.0,
        };
        Geo { area, stem, streets, lms, by_kind, by_street, vils, weight: kind_w * info.map_or(1.0, |i| i.mult) }
    }

    fn street(&self, i: usize) -> &str {
        self.streets.get(i).map_or("", |s| s.name.as_str())
    }

    fn lm(&self, i: usize) -> Option<&Landmark> {
        self.lms.get(i)
    }

    fn kind(&self, k: Lk) -> &[usize] {
        self.by_kind.get(k as usize).map_or(&[][..], |v| v.as_slice())
    }
}

// ---------------------------------------------------------------------------------------------
// Places: where exactly a clue is, and how people name it.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum Form {
    /// House number on the street.
    Number(u32),
    /// At a landmark.
    Landmark(usize),
    /// Junction with another street, at a corner (index into `CORNERS`).
    Cross(usize, usize),
    /// 0 one end, 1 the other, 2 the middle.
    Segment(u8),
    /// Building of a residential compound.
    Building(usize, u32),
    Village(usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Place {
    form: Form,
    street: usize,
    x: f64,
    y: f64,
}

const CORNERS: &[&str] = &["", "", "东南角", "西北角", "东北角", "西南角", "附近"];

fn lm_suffixes(kind: Lk) -> &'static [&'static str] {
    match kind {
        Lk::Market => &["门口", "东门", "西门", "后门", "旁边", "外面"],
        Lk::School => &["门口", "校门口", "旁边", "附近"],
        Lk::Hospital => &["门口", "北门", "南门", "对面", "急诊门口"],
        Lk::Park => &["门口", "东侧", "北门", "里面", "附近"],
        Lk::Station => &["出站口", "门口", "广场", "旁边"],
        Lk::BusStop => &["旁", "附近", "对面", "边上"],
        Lk::Bank => &["门口", "旁边"],
        Lk::Mall => &["门口", "旁边", "出口", "后面"],
        Lk::Community => &["门口", "北门", "南门", "旁边", "楼下"],
        Lk::Site => &["门口", "旁边", "出入口", "围挡外"],
        Lk::Square => &["旁边", "东侧", "附近", "一带"],
        Lk::River => &["边上", "一带", "附近"],
    }
}

/// Whether a text starting with a place of kind `want` can describe a clue at `form`.
fn fits_place(geo: &Geo, want: Want, form: &Form) -> bool {
    match want {
        Want::Any => true,
        Want::Street => !matches!(form, Form::Building(..) | Form::Village(_)),
        Want::Building => match form {
            Form::Building(..) => true,
            Form::Landmark(i) => geo.lm(*i).is_some_and(|l| l.kind == Lk::Community),
            _ => false,
        },
        Want::Village => matches!(form, Form::Village(_)),
    }
}

fn sample_place(geo: &Geo, spec: &Spec, want: Want, rng: &mut StdRng) -> Place {
    let n_st = geo.streets.len().max(1);
    let street = rng.random_range(0..n_st);
    let at_lm = |geo: &Geo, i: usize, rng: &mut StdRng| {
        let (lx, ly, st) = geo.lm(i).map_or((0.0, 0.0, street), |l| (l.x, l.y, l.street));
        let (jx, jy) = jitter(rng, 35.0);
        let (x, y) = clamp_r(lx + jx, ly + jy);
        Place { form: Form::Landmark(i), street: st, x, y }
    };
    let force_village = want == Want::Village && !geo.vils.is_empty();
    let force_building = want == Want::Building || (want == Want::Village && geo.vils.is_empty());
    if !force_village && !force_building && !spec.lms.is_empty() && chance(rng, 0.55) {
        let cands: Vec<usize> = spec.lms.iter().flat_map(|k| geo.kind(*k).iter().copied()).collect();
        if let Some(&i) = pick(rng, &cands) {
            return at_lm(geo, i, rng);
        }
    }
    let p_vil = match geo.area {
        Area::Urban => 0.0,
        Area::Town => 0.35,
        Area::Rural => 0.6,
    };
    if force_village || (want == Want::Any && !geo.vils.is_empty() && chance(rng, p_vil)) {
        let v = rng.random_range(0..geo.vils.len());
        let (vx, vy) = geo.vils.get(v).map_or((0.0, 0.0), |v| (v.x, v.y));
        let (jx, jy) = jitter(rng, 90.0);
        let (x, y) = clamp_r(vx + jx, vy + jy);
        return Place { form: Form::Village(v), street, x, y };
    }
    if (force_building || (want == Want::Any && spec.resid && chance(rng, 0.35)))
        && let Some(&c) = pick(rng, geo.kind(Lk::Community))
    {
        let max_b = if geo.area == Area::Urban { 18 } else { 6 };
        let b = rng.random_range(1..=max_b);
        let (cx, cy, st) = geo.lm(c).map_or((0.0, 0.0, street), |l| (l.x, l.y, l.street));
        let (jx, jy) = jitter(rng, 40.0);
        let (x, y) = clamp_r(cx + jx, cy + jy);
        return Place { form: Form::Building(c, b), street: st, x, y };
    }
    let Some(s) = geo.streets.get(street) else {
        return Place { form: Form::Number(1), street, x: 0.0, y: 0.0 };
    };
    let r = rng.random::<f64>();
    if r < 0.42 {
        let (max, mid, scale) = match geo.area {
            Area::Urban => (600, 300.0, 1.4),
            Area::Town => (200, 100.0, 3.5),
            Area::Rural => (80, 40.0, 7.0),
        };
        let num = rng.random_range(1..=max);
        let (x, y) = on_street(rng, s, (f64::from(num) - mid) * scale, 12.0);
        Place { form: Form::Number(num), street, x, y }
    } else if r < 0.67 && !geo.lms.is_empty() {
        let i = rng.random_range(0..geo.lms.len());
        at_lm(geo, i, rng)
    } else if r < 0.85 && n_st >= 2 {
        let mut j = rng.random_range(0..n_st - 1);
        if j >= street {
            j += 1;
        }
        let o = geo.streets.get(j).map_or((s.x, s.y), |o| (o.x, o.y));
        let t = ((o.0 - s.x) * s.dx + (o.1 - s.y) * s.dy).clamp(-450.0, 450.0);
        let (x, y) = on_street(rng, s, t, 15.0);
        Place { form: Form::Cross(j, rng.random_range(0..CORNERS.len())), street, x, y }
    } else {
        let k = rng.random_range(0..3u8);
        let u = rng.random::<f64>();
        let along = match k {
            0 => 150.0 + 250.0 * u,
            1 => -(150.0 + 250.0 * u),
            _ => (u - 0.5) * 100.0,
        };
        let (x, y) = on_street(rng, s, along, 20.0);
        Place { form: Form::Segment(k), street, x, y }
    }
}

/// The names of a place as used in one clue.
struct PlaceText {
    /// As a reporter says it: 丽阳街128号门口.
    short: String,
    /// For the address field (without county and township).
    formal: String,
    /// Short name for the title.
    title: String,
    st: String,
    st2: String,
    lm: String,
    comm: String,
    vil: String,
}

fn segment_word(s: Option<&Street>, k: u8) -> &'static str {
    let Some(s) = s else { return "中段" };
    let sign = match k {
        0 => 1.0,
        1 => -1.0,
        _ => return "中段",
    };
    if s.dx.abs() >= s.dy.abs() {
        if s.dx * sign >= 0.0 { "东段" } else { "西段" }
    } else if s.dy * sign >= 0.0 {
        "北段"
    } else {
        "南段"
    }
}

fn place_text(geo: &Geo, p: &Place, rng: &mut StdRng) -> PlaceText {
    let street = geo.street(p.street).to_owned();
    let comm_any = |rng: &mut StdRng| {
        pick(rng, geo.kind(Lk::Community))
            .and_then(|&c| geo.lm(c))
            .map_or_else(|| format!("{}小区", geo.stem), |l| l.name.clone())
    };
    let vil_any = |rng: &mut StdRng| pick(rng, &geo.vils).map(|v| v.name.clone());
    let lm_near = |rng: &mut StdRng| {
        let on_street: Vec<usize> = geo
            .by_street
            .get(p.street)
            .map(|v| v.iter().copied().filter(|&i| geo.lm(i).is_some_and(|l| l.kind != Lk::BusStop)).collect())
            .unwrap_or_default();
        let i = pick(rng, &on_street)
            .copied()
            .or_else(|| if geo.lms.is_empty() { None } else { Some(rng.random_range(0..geo.lms.len())) });
        i.and_then(|i| geo.lm(i)).map_or_else(|| format!("{}集镇", geo.stem), |l| l.name.clone())
    };
    let other_street = |rng: &mut StdRng| {
        let n = geo.streets.len();
        if n < 2 {
            return "主干道".to_owned();
        }
        let mut j = rng.random_range(0..n - 1);
        if j >= p.street {
            j += 1;
        }
        geo.street(j).to_owned()
    };
    match p.form {
        Form::Number(n) => {
            let short = format!("{street}{n}号{}", pick_str(rng, &["门口", "旁", "附近", "前面", "对面", ""]));
            let formal = format!("{street}{n}号{}", pick_str(rng, &["", "", "旁", "附近", "门前"]));
            let st2 = other_street(rng);
            let lm = lm_near(rng);
            let comm = comm_any(rng);
            let vil = vil_any(rng).unwrap_or_else(|| comm.clone());
            PlaceText { short, formal, title: street.clone(), st: street, st2, lm, comm, vil }
        }
        Form::Landmark(i) => {
            let (name, kind, on) = geo.lm(i).map_or((String::new(), Lk::BusStop, street.clone()), |l| {
                (l.name.clone(), l.kind, geo.street(l.street).to_owned())
            });
            let sfx = lm_suffixes(kind);
            let short = format!("{name}{}", pick_str(rng, sfx));
            let bare = name.starts_with(on.as_str()) || matches!(kind, Lk::Station | Lk::River);
            let formal = if bare {
                format!("{name}{}", pick_str(rng, sfx))
            } else {
                format!("{on}{name}{}", pick_str(rng, sfx))
            };
            let st2 = other_street(rng);
            let comm = if kind == Lk::Community { name.clone() } else { comm_any(rng) };
            let vil = vil_any(rng).unwrap_or_else(|| comm.clone());
            PlaceText { short, formal, title: name.clone(), st: on, st2, lm: name, comm, vil }
        }
        Form::Cross(j, c) => {
            let b = geo.street(j).to_owned();
            let short = match rng.random_range(0..3) {
                0 => format!("{street}{b}路口"),
                1 => format!("{street}与{b}交叉口"),
                _ => format!("{street}{b}口"),
            };
            let corner = CORNERS.get(c).copied().unwrap_or("");
            let short = if chance(rng, 0.6) { format!("{short}{corner}") } else { short };
            let formal = format!("{street}与{b}交叉口{corner}");
            let lm = lm_near(rng);
            let comm = comm_any(rng);
            let vil = vil_any(rng).unwrap_or_else(|| comm.clone());
            PlaceText { short, formal, title: street.clone(), st: street, st2: b, lm, comm, vil }
        }
        Form::Segment(k) => {
            let w = segment_word(geo.streets.get(p.street), k);
            let short = format!("{street}{w}");
            let formal = short.clone();
            let st2 = other_street(rng);
            let lm = lm_near(rng);
            let comm = comm_any(rng);
            let vil = vil_any(rng).unwrap_or_else(|| comm.clone());
            PlaceText { short, formal, title: street.clone(), st: street, st2, lm, comm, vil }
        }
        Form::Building(c, b) => {
            let comm = geo.lm(c).map_or_else(|| comm_any(rng), |l| l.name.clone());
            let short = match rng.random_range(0..4) {
                0 => format!("{comm}{b}幢楼下"),
                1 => format!("{comm}{b}幢旁边"),
                2 => format!("{comm}门口"),
                _ => format!("{comm}里面"),
            };
            let formal = if chance(rng, 0.5) { format!("{street}{comm}{b}幢") } else { format!("{comm}{b}幢") };
            let st2 = other_street(rng);
            let lm = lm_near(rng);
            let vil = vil_any(rng).unwrap_or_else(|| comm.clone());
            PlaceText { short, formal, title: comm.clone(), st: street, st2, lm, comm, vil }
        }
        Form::Village(v) => {
            let vil = geo.vils.get(v).map_or_else(|| format!("{}村", geo.stem), |v| v.name.clone());
            let short =
                format!("{vil}{}", pick_str(rng, &["村口", "路边", "文化礼堂旁", "桥头", "溪边", "老街上", ""]));
            let formal = if chance(rng, 0.4) {
                format!("{vil}{}号", rng.random_range(1..=120))
            } else {
                format!("{vil}{}", pick_str(rng, &["", "村口", "路边", "文化礼堂旁"]))
            };
            let st2 = street.clone();
            let lm = lm_near(rng);
            let comm = comm_any(rng);
            PlaceText { short, formal, title: vil.clone(), st: vil.clone(), st2, lm, comm, vil }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Channels, reporters, severity.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Zhiguantong,
    Hotline,
    County,
    Province,
    Manual,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaseType {
    Complaint,
    Patrol,
    Assigned,
    Transferred,
    Media,
}

impl CaseType {
    fn code(self) -> &'static str {
        match self {
            CaseType::Complaint => "complaint",
            CaseType::Patrol => "patrol",
            CaseType::Assigned => "assigned",
            CaseType::Transferred => "transferred",
            CaseType::Media => "media",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Voice {
    Citizen,
    Official,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sev {
    Urgent,
    Important,
    Normal,
}

impl Sev {
    fn code(self) -> &'static str {
        match self {
            Sev::Urgent => "urgent",
            Sev::Important => "important",
            Sev::Normal => "normal",
        }
    }
}

fn sample_source(spec: &Spec, hc: usize, area: Area, rng: &mut StdRng) -> Source {
    const ALL: [Source; 5] = [Source::Zhiguantong, Source::Hotline, Source::County, Source::Province, Source::Manual];
    let mut w = [0.44, 0.31, 0.12, 0.07, 0.06];
    match spec.bias {
        Bias::Patrol => {
            w[0] *= 1.6;
            w[1] *= 0.7;
        }
        Bias::Complaint => {
            w[0] *= 0.45;
            w[1] *= 2.2;
        }
        Bias::Enforcement => {
            w[0] *= 0.5;
            w[2] *= 1.8;
            w[3] *= 2.2;
            w[4] *= 2.2;
        }
        Bias::Neutral => {}
    }
    match hc {
        1 => {
            w[0] *= 0.5;
            w[2] *= 0.6;
            w[3] *= 0.6;
            w[4] *= 0.2;
        }
        2 => {
            w[0] *= 0.1;
            w[2] *= 0.2;
            w[3] *= 0.3;
            w[4] *= 0.05;
        }
        _ => {}
    }
    match area {
        Area::Town => {
            w[0] *= 0.6;
            w[2] *= 1.8;
        }
        Area::Rural => {
            w[0] *= 0.3;
            w[2] *= 2.8;
        }
        Area::Urban => {}
    }
    let cum = cumulative(w.into_iter());
    ALL.get(pick_cum(rng, &cum)).copied().unwrap_or(Source::Zhiguantong)
}

fn sample_case_type(source: Source, rng: &mut StdRng) -> CaseType {
    use CaseType::*;
    let (types, w): (&[CaseType], &[f64]) = match source {
        Source::Hotline => return Complaint,
        Source::Zhiguantong => (&[Patrol, Complaint, Assigned], &[0.93, 0.05, 0.02]),
        Source::County => (&[Patrol, Transferred, Complaint, Assigned], &[0.45, 0.30, 0.17, 0.08]),
        Source::Province => (&[Assigned, Complaint, Transferred, Media], &[0.40, 0.35, 0.15, 0.10]),
        Source::Manual => (&[Complaint, Media, Transferred, Assigned], &[0.45, 0.25, 0.18, 0.12]),
    };
    let cum = cumulative(w.iter().copied());
    types.get(pick_cum(rng, &cum)).copied().unwrap_or(Complaint)
}

fn sample_voice(source: Source, ct: CaseType, rng: &mut StdRng) -> Voice {
    let p_citizen = match (source, ct) {
        (Source::Hotline, _) => 0.35,
        (Source::Zhiguantong, CaseType::Complaint) => 0.5,
        (_, CaseType::Complaint) => 0.8,
        (_, CaseType::Media) => 0.7,
        _ => 0.0,
    };
    if chance(rng, p_citizen) { Voice::Citizen } else { Voice::Official }
}

fn sample_severity(risk: u8, hazard: bool, ct: CaseType, rng: &mut StdRng) -> Sev {
    let (mut pu, mut pi) = match (risk + u8::from(hazard)).min(2) {
        0 => (0.022, 0.16),
        1 => (0.12, 0.33),
        _ => (0.38, 0.42),
    };
    // Leadership and press attention make a case more pressing.
    if matches!(ct, CaseType::Media | CaseType::Assigned) {
        pu = pu * 2.5 + 0.03;
        pi += 0.15;
    }
    let r = rng.random::<f64>();
    if r < pu {
        Sev::Urgent
    } else if r < pu + pi {
        Sev::Important
    } else {
        Sev::Normal
    }
}

fn major(spec: &Spec) -> &'static str {
    spec.code.get(..3).unwrap_or("")
}

fn impacts(major: &str) -> &'static [&'static str] {
    match major {
        "C01" | "C02" | "C06" => &["存在安全隐患", "影响行人通行安全", "影响正常使用"],
        "C03" | "C04" | "C05" | "E01" => &["影响市容环境", "影响周边居民生活"],
        "E02" => &["影响市容", "影响城市形象"],
        "E03" => &["影响周边居民生活", "影响道路通行"],
        "E04" => &["存在安全隐患", "影响出行"],
        "E05" => &["影响行人通行", "影响交通秩序", "影响市容"],
        "E06" => &["影响居民休息", "影响周边居民生活"],
        _ => &["影响周边群众生活", "群众意见较大"],
    }
}

fn unit(major: &str) -> &'static str {
    match major {
        "C01" => "权属单位",
        "C02" => "交通设施管养单位",
        "C03" | "E01" => "环卫部门",
        "C04" => "园林部门",
        "C05" | "C06" => "产权单位",
        "E04" => "市政部门",
        _ => "执法中队",
    }
}

fn departments(major: &str) -> &'static [&'static str] {
    match major {
        "C01" | "C02" | "C03" | "C04" | "C05" | "C06" | "E04" => &["住建部门", "属地乡镇（街道）"],
        "E01" | "E02" => &["属地乡镇（街道）", "环卫部门"],
        "E03" | "Z01" => &["住建部门", "自然资源和规划部门"],
        "E05" => &["属地乡镇（街道）", "公安交警部门", "市场监管部门"],
        "Z04" => &["公安交警部门", "交通运输部门"],
        "E06" | "Z02" => &["生态环境部门", "公安部门"],
        _ => &["市场监管部门"],
    }
}

const DEMANDS: &[&str] =
    &["要求处理", "要求相关部门尽快处理", "希望尽快处理", "请求核实处理", "希望有关部门管一管", "要求尽快派人处理"];
const DEMANDS_Z: &[&str] = &["要求依法查处", "要求查处", "请依法处理", "要求相关部门调查处理"];
const PERSIST: &[&str] = &["已持续多日", "此前已反映过", "已有一周左右", "多次反映未解决", "近期反复出现"];
const CITIZEN_END: &[&str] = &[
    "。",
    "。",
    "！",
    "，有没有人管啊。",
    "，麻烦尽快处理一下。",
    "，希望有关部门管管。",
    "，请尽快派人来看看。",
    "，太影响生活了。",
];

// ---------------------------------------------------------------------------------------------
// Generation.
// ---------------------------------------------------------------------------------------------

/// A clue before its text is written.
#[derive(Debug, Clone)]
struct Draft {
    t: i64,
    town: usize,
    /// Category filed under.
    cat: usize,
    /// Category whose wording describes the problem (a repeat report may be filed under a
    /// neighbouring category but is about the same thing).
    text_cat: usize,
    place: Place,
    shop: &'static str,
    source: Source,
    case_type: CaseType,
    voice: Voice,
    tpl: usize,
    sev: Sev,
    subject: Option<(String, String, Option<String>)>,
    /// Index (in the sorted base clues) of the clue this one reports again.
    orig: Option<usize>,
}

struct Gen<'a> {
    towns: &'a [Town],
    geos: Vec<Geo>,
    town_cum: Vec<f64>,
    /// Category weights per area × month × time of day.
    cat_cum: Vec<Vec<f64>>,
    tpls: Vec<CatTpls>,
    clock: Clock,
}

impl<'a> Gen<'a> {
    fn new(towns: &'a [Town], start: i64, end: i64, seed: u64) -> Gen<'a> {
        // The map depends on the seed only, not on the count or range.
        let mut geo_rng = StdRng::seed_from_u64(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03);
        let geos: Vec<Geo> = towns.iter().map(|t| Geo::build(t, &mut geo_rng)).collect();
        // County population shared among its townships by kind (街道 ≫ 镇 > 乡).
        let county_sum = |code: &str| -> f64 {
            towns.iter().zip(&geos).filter(|(t, _)| t.county_code == code).map(|(_, g)| g.weight).sum()
        };
        let town_cum = cumulative(towns.iter().zip(&geos).map(|(t, g)| {
            let (pop, mult) =
                COUNTIES.iter().find(|c| c.code == t.county_code).map_or((150.0, 1.0), |c| (c.pop_k, c.mult));
            let sum = county_sum(&t.county_code);
            if sum > 0.0 { pop * mult * g.weight / sum } else { 0.0 }
        }));
        let mut cat_cum = Vec::with_capacity(3 * 12 * 3);
        for area in [Area::Urban, Area::Town, Area::Rural] {
            for m in 0..12 {
                for h in 0..3 {
                    cat_cum.push(cumulative(SPECS.iter().map(|s| {
                        let rural = match area {
                            Area::Urban => 1.0,
                            Area::Town => (1.0 + s.rural) / 2.0,
                            Area::Rural => s.rural,
                        };
                        s.weight * s.season.factor(m) * s.hours.factor(h) * rural
                    })));
                }
            }
        }
        Gen { towns, geos, town_cum, cat_cum, tpls: catalogue(), clock: Clock::new(start, end) }
    }

    fn templates(&self, cat: usize, voice: Voice) -> &[Tpl] {
        self.tpls.get(cat).map_or(&[][..], |t| match voice {
            Voice::Citizen => &t.citizen,
            Voice::Official => &t.official,
        })
    }

    /// A template of the wanted voice (the other one if there is none) that `ok` accepts. For a
    /// repeat report (`like`: voice and template of the first one), another template about the
    /// same variant of the problem; the same template, re-worded by its alternatives, as a last
    /// resort.
    fn pick_tpl(
        &self,
        cat: usize,
        voice: Voice,
        like: Option<(Voice, usize)>,
        ok: impl Fn(&Tpl) -> bool,
        rng: &mut StdRng,
    ) -> (Voice, usize) {
        let other = if voice == Voice::Citizen { Voice::Official } else { Voice::Citizen };
        let voice = if self.templates(cat, voice).is_empty() { other } else { voice };
        let list = self.templates(cat, voice);
        let n = list.len();
        if n == 0 {
            return (voice, 0);
        }
        let Some((ov, oi)) = like else {
            let good: Vec<usize> = (0..n).filter(|&i| list.get(i).is_some_and(&ok)).collect();
            return (voice, pick(rng, &good).copied().unwrap_or_else(|| rng.random_range(0..n)));
        };
        let topic = self.templates(cat, ov).get(oi).map_or(0, |t| t.topic);
        let cand = |i: usize, exact: bool| {
            !(ov == voice && i == oi)
                && list.get(i).is_some_and(|t| {
                    ok(t)
                        && if exact {
                            topic != 0 && t.topic == topic
                        } else {
                            topic == 0 || t.topic == 0 || t.topic == topic
                        }
                })
        };
        let exact: Vec<usize> = (0..n).filter(|&i| cand(i, true)).collect();
        let fits: Vec<usize> = (0..n).filter(|&i| cand(i, false)).collect();
        if let Some(&i) = pick(rng, &exact).or_else(|| pick(rng, &fits)) {
            return (voice, i);
        }
        if ov == voice { (voice, oi) } else { (voice, rng.random_range(0..n)) }
    }

    fn hazard(&self, cat: usize, voice: Voice, tpl: usize) -> bool {
        self.templates(cat, voice).get(tpl).is_some_and(|t| t.hazard)
    }

    /// The party concerned; `named_shop`: the text names the shop (`{shop}`).
    fn subject(
        &self,
        spec: &Spec,
        shop: &str,
        named_shop: bool,
        town: usize,
        rng: &mut StdRng,
    ) -> Option<(String, String, Option<String>)> {
        if spec.subj == Subj::None || !chance(rng, spec.subj_p) || (spec.subj == Subj::Shop && !named_shop) {
            return None;
        }
        let t = self.towns.get(town)?;
        let county = t.county_name.as_str();
        let kind = match spec.subj {
            Subj::PersonOrShop if named_shop && !shop.is_empty() => Subj::Shop,
            Subj::PersonOrShop if shop.is_empty() || chance(rng, 0.6) => Subj::Person,
            Subj::PersonOrShop => Subj::Shop,
            k => k,
        };
        let company = |rng: &mut StdRng, trades: &[&'static str]| {
            let prefix: String = if chance(rng, 0.5) { "丽水".to_owned() } else { county.chars().take(2).collect() };
            let name = format!("{prefix}{}{}有限公司", brand(rng), pick_str(rng, trades));
            Some(("enterprise".to_owned(), name, Some(credit_code(rng, "91", &t.county_code))))
        };
        match kind {
            Subj::None => None,
            Subj::Person | Subj::PersonOrShop => Some(("person".to_owned(), person_name(rng), None)),
            Subj::Shop => {
                let prefix = if county.ends_with('区') { format!("丽水市{county}") } else { county.to_owned() };
                let trade_name = match rng.random_range(0..5) {
                    0 => format!("老{}", pick_str(rng, SURNAMES)),
                    1 => format!("小{}", pick_str(rng, SURNAMES)),
                    2 => format!("阿{}", pick_str(rng, &["强", "明", "芳", "华", "军", "福", "英"])),
                    _ => brand(rng),
                };
                let shop = if shop.is_empty() { "商行" } else { shop };
                Some((
                    "enterprise".to_owned(),
                    format!("{prefix}{trade_name}{shop}"),
                    Some(credit_code(rng, "92", &t.county_code)),
                ))
            }
            Subj::Builder => company(rng, &["建筑工程", "建设工程", "市政工程", "装饰工程"]),
            Subj::Hauler => company(rng, &["土石方工程", "渣土运输", "物流"]),
        }
    }

    fn base(&self, rng: &mut StdRng) -> Draft {
        let t = self.clock.sample(rng);
        let l = local(t);
        let town = pick_cum(rng, &self.town_cum);
        let area = self.geos.get(town).map_or(Area::Urban, |g| g.area);
        let hc = hour_class(l.hour);
        let table = self.cat_cum.get(area.index() * 36 + l.month0 * 3 + hc).map_or(&[][..], |v| v.as_slice());
        let cat = pick_cum(rng, table);
        let spec = &SPECS[cat];
        let geo = &self.geos[town];
        let shop = pick_str(rng, spec.shops);
        let source = sample_source(spec, hc, area, rng);
        let case_type = sample_case_type(source, rng);
        // Village wording only where there are villages.
        let ok = |t: &Tpl| t.want != Want::Village || !geo.vils.is_empty();
        let (voice, tpl) = self.pick_tpl(cat, sample_voice(source, case_type, rng), None, ok, rng);
        let want = self.templates(cat, voice).get(tpl).map_or(Want::Any, |t| t.want);
        let place = sample_place(geo, spec, want, rng);
        let sev = sample_severity(spec.risk, self.hazard(cat, voice, tpl), case_type, rng);
        let named = self.templates(cat, voice).get(tpl).is_some_and(|t| t.uses_shop);
        let subject = self.subject(spec, shop, named, town, rng);
        Draft { t, town, cat, text_cat: cat, place, shop, source, case_type, voice, tpl, sev, subject, orig: None }
    }

    /// Someone else reports `o` again: 1–48 h later, within 75 m, in their own words.
    fn duplicate(&self, o: &Draft, oi: usize, end: i64, rng: &mut StdRng) -> Draft {
        let max_d = (end - 1 - o.t).clamp(HOUR_MS, 48 * HOUR_MS);
        let mut t = o.t + HOUR_MS;
        for _ in 0..4 {
            let u: f64 = rng.random();
            t = o.t + HOUR_MS + ((max_d - HOUR_MS) as f64 * u.powf(1.6)) as i64;
            if rng.random::<f64>() * 1.6 <= Clock::hour_weight(local(t).hour) {
                break;
            }
        }
        // Same problem; sometimes filed under a neighbouring minor category.
        let text_cat = o.text_cat;
        let mut cat = o.cat;
        let code = SPECS[o.cat].code;
        if chance(rng, 0.18)
            && let Some(group) = NEIGHBOURS.iter().find(|g| g.contains(&code))
        {
            let c = pick_str(rng, group);
            cat = SPECS.iter().position(|s| s.code == c).unwrap_or(cat);
        }
        let spec = &SPECS[text_cat];
        let mut place = o.place;
        let (jx, jy) = jitter(rng, 72.0);
        (place.x, place.y) = clamp_r(o.place.x + jx + 2.0, o.place.y + jy);
        if let Form::Number(n) = place.form
            && chance(rng, 0.3)
        {
            let d = 2 * rng.random_range(1..=3u32);
            place.form = Form::Number(if chance(rng, 0.5) || n <= d { n + d } else { n - d });
        }
        let l = local(t);
        let geo = &self.geos[o.town];
        let mut source = sample_source(&SPECS[cat], hour_class(l.hour), geo.area, rng);
        if source == o.source && chance(rng, 0.6) {
            source = sample_source(&SPECS[cat], hour_class(l.hour), geo.area, rng);
        }
        let case_type = sample_case_type(source, rng);
        let ok = |t: &Tpl| fits_place(geo, t.want, &place.form);
        let like = Some((o.voice, o.tpl));
        let (voice, tpl) = self.pick_tpl(text_cat, sample_voice(source, case_type, rng), like, ok, rng);
        let sev = match o.sev {
            Sev::Normal if chance(rng, 0.12) => Sev::Important,
            s => s,
        };
        let subject = if o.subject.is_some() {
            o.subject.clone()
        } else {
            let named = self.templates(text_cat, voice).get(tpl).is_some_and(|t| t.uses_shop);
            self.subject(spec, o.shop, named, o.town, rng)
        };
        Draft {
            t,
            town: o.town,
            cat,
            text_cat,
            place,
            shop: o.shop,
            source,
            case_type,
            voice,
            tpl,
            sev,
            subject,
            orig: Some(oi),
        }
    }

    /// The reporter's text around the rendered problem statement `fact`.
    fn describe(&self, d: &Draft, town: &Town, fact: &str, rng: &mut StdRng) -> String {
        let spec = SPECS.get(d.cat).unwrap_or(&SPECS[0]);
        let mj = major(spec);
        let county = town.county_name.as_str();
        let tn = town.name.as_str();
        let cz = match rng.random_range(0..10) {
            0..=4 => format!("{county}{tn}"),
            5..=7 => county.to_owned(),
            _ => String::new(),
        };
        let demand = pick_str(rng, if mj.starts_with('Z') { DEMANDS_Z } else { DEMANDS });
        let impact = pick_str(rng, impacts(mj));
        let end = pick_str(rng, CITIZEN_END);
        // The statement already asks for something (需更换, 请疏通 …): no second request.
        let asks = fact.contains('需') || fact.contains('请') || fact.contains("要求");
        let dem = if asks { String::new() } else { format!("，{demand}") };
        // …nor a second consequence.
        let says_impact = fact.contains("影响") || fact.contains("隐患");
        let imp = if says_impact || asks { String::new() } else { format!("，{impact}") };
        let level = match county.chars().last() {
            Some('区') => "区",
            Some('市') => "市",
            _ => "县",
        };
        let citizen = d.voice == Voice::Citizen;
        let hour = local(d.t).hour;
        let r = rng.random_range(0..6);
        let s = match (d.source, d.case_type) {
            (Source::Hotline, _) if citizen => match r % 3 {
                0 => format!("市民来电称{fact}{dem}。"),
                1 if asks => format!("来电人称：{fact}。"),
                1 => format!("来电人称：{fact}。{demand}。"),
                _ => format!("来电人反映{cz}{fact}{dem}。"),
            },
            (Source::Hotline, _) => match r % 5 {
                0 => format!("市民来电反映：{cz}{fact}{imp}{dem}。"),
                1 => format!("来电人反映{cz}{fact}{dem}。"),
                2 => format!("市民来电：{cz}{fact}{dem}。"),
                3 => format!("来电反映{cz}{fact}，{}{dem}。", pick_str(rng, PERSIST)),
                _ if asks => format!("来电人称{cz}{fact}{imp}。"),
                _ => format!("来电人称{cz}{fact}{imp}，希望尽快处理。"),
            },
            (Source::Zhiguantong, CaseType::Complaint) if citizen => format!("现场群众反映：{fact}{end}"),
            (Source::Zhiguantong, CaseType::Complaint) => format!("巡查中有群众反映{fact}{dem}。"),
            (Source::County, CaseType::Patrol) => match r % 4 {
                0 => format!("网格员上报：{fact}。"),
                1 => format!("{tn}网格员巡查发现{fact}。"),
                2 if asks => format!("基层治理平台流转：{fact}。"),
                2 => format!("基层治理平台流转：{fact}，请处置。"),
                _ => format!("{fact}，网格员已拍照上传。"),
            },
            (_, CaseType::Patrol) => {
                let persuadable = mj == "E05" || ["E0101", "E0108", "E0202", "E0203", "E0204"].contains(&spec.code);
                if !(6..20).contains(&hour) && r < 3 {
                    format!("夜查：{fact}。")
                } else {
                    match r {
                        0 => format!("{fact}。"),
                        1 => format!("巡查发现{fact}。"),
                        2 => format!("{fact}，已拍照上报。"),
                        3 | 4 if asks => format!("{fact}，已拍照上报。"),
                        3 if persuadable => format!("{fact}，已现场劝导，需{}跟进。", unit(mj)),
                        3 => format!("{fact}，需{}处置。", unit(mj)),
                        4 => format!("{fact}，请派遣{}处置。", unit(mj)),
                        _ => format!("采集员上报：{fact}。"),
                    }
                }
            }
            (_, CaseType::Transferred) => {
                let dept = pick_str(rng, departments(mj));
                match (d.source, r % 2) {
                    (Source::Province, _) => format!("省级部门移送线索：{cz}{fact}，请核查处理。"),
                    (_, 0) => format!("{dept}移送：{cz}{fact}，请依职责处理。"),
                    _ => format!("{dept}转来线索：{fact}，请核查。"),
                }
            }
            (_, CaseType::Assigned) => match (d.source, r % 2) {
                (Source::Province, 0) => format!("省平台交办：{cz}{fact}，请按时限办结。"),
                (Source::Province, _) => format!("省大综合一体化执法监管平台下发：{cz}{fact}。"),
                (Source::Manual, 0) => format!("领导批示件：{cz}{fact}，请尽快核处。"),
                (Source::Manual, _) => format!("上级交办：{cz}{fact}。"),
                (_, 0) => format!("{}指挥中心交办：{fact}，请尽快核查处置。", truncate_chars(county, 2)),
                _ => format!("{level}领导批示：{cz}{fact}，请限期整改。"),
            },
            (_, CaseType::Media) if citizen => format!(
                "网络舆情：有网友在{}发帖称{fact}，{}，请核实处置。",
                pick_str(rng, &["本地论坛", "微博", "抖音", "本地微信公众号"]),
                pick_str(rng, &["引发关注", "评论较多", "转发较多"])
            ),
            (_, CaseType::Media) => format!(
                "{}反映：{cz}{fact}，请核查。",
                pick_str(rng, &["本地媒体", "电视问政栏目", "本地新闻客户端", "市民热线节目"])
            ),
            (source, CaseType::Complaint) => match (source, citizen, r % 2) {
                (Source::County, true, 0) => format!("{fact}{end}"),
                (Source::County, true, _) => format!("群众通过{level}平台反映：{fact}{end}"),
                (Source::County, false, _) => format!("群众通过“随手拍”反映{fact}{dem}。"),
                (Source::Province, true, 0) => format!("群众通过浙里办反映：{fact}{end}"),
                (Source::Province, true, _) => format!("浙里办投诉：{fact}{end}"),
                (Source::Province, false, _) => format!("浙里办投诉：{cz}{fact}{dem}。"),
                (_, true, 0) => format!("群众来访反映：{fact}{end}"),
                (_, true, _) => format!("群众到{tn}综合行政执法队反映{fact}{dem}。"),
                (_, false, _) => format!("来信反映{cz}{fact}{dem}。"),
            },
        };
        let n = s.chars().count();
        if (15..=120).contains(&n) {
            return s;
        }
        let plain = format!("{fact}{imp}。");
        let n = plain.chars().count();
        if n < 15 {
            format!("{cz}{fact}，{impact}{dem}。")
        } else if n > 120 {
            format!("{}。", truncate_chars(fact, 119))
        } else {
            plain
        }
    }

    /// The clue in words. Draft indices are valid by construction.
    fn finish(&self, d: &Draft, duplicate_of: Option<usize>, rng: &mut StdRng) -> DemoClue {
        let town = &self.towns[d.town];
        let geo = &self.geos[d.town];
        let spec = &SPECS[d.cat];
        let pt = place_text(geo, &d.place, rng);
        let fill =
            Fill { loc: &pt.short, st: &pt.st, st2: &pt.st2, lm: &pt.lm, comm: &pt.comm, vil: &pt.vil, shop: d.shop };
        let mut fact = String::with_capacity(128);
        match self.templates(d.text_cat, d.voice).get(d.tpl) {
            Some(t) => render(t, &fill, rng, &mut fact),
            None => fact = format!("{}{}", pt.short, spec.title),
        }
        let description = self.describe(d, town, &fact, rng);
        let r = rng.random::<f64>();
        let title = match &d.subject {
            Some((kind, name, _)) if kind == "enterprise" && r < 0.3 => {
                let short = name.trim_start_matches("丽水市").trim_start_matches(town.county_name.as_str());
                format!("{short}{}", spec.title)
            }
            _ if r < 0.6 => format!("{}{}", pt.title, spec.title),
            _ if r < 0.9 => format!("{}{}", pt.st, spec.title),
            _ => format!("{}{}", town.name, spec.title),
        };
        let title = truncate_chars(&title, 30);
        let (reporter_name, reporter_phone) = if d.case_type == CaseType::Complaint {
            let r = rng.random::<f64>();
            let name = if r < 0.55 {
                Some(person_name(rng))
            } else if r < 0.9 {
                Some(format!("{}{}", pick_str(rng, SURNAMES), if chance(rng, 0.5) { "先生" } else { "女士" }))
            } else {
                None
            };
            (name, if chance(rng, 0.93) { Some(phone(rng)) } else { None })
        } else {
            (None, None)
        };
        let source_code = match d.source {
            Source::Zhiguantong => "zhiguantong".to_owned(),
            Source::Hotline => "hotline_12345".to_owned(),
            Source::Province => "province".to_owned(),
            Source::Manual => "manual".to_owned(),
            Source::County => format!("county_{}", town.county_code),
        };
        let lat = town.lat + d.place.y / M_PER_DEG;
        let lon = town.lon + d.place.x / (M_PER_DEG * town.lat.to_radians().cos().max(0.2));
        let round6 = |v: f64| (v * 1e6).round() / 1e6;
        DemoClue {
            town_code: town.code.clone(),
            address: format!("{}{}{}", town.county_name, town.name, pt.formal),
            lon: round6(lon),
            lat: round6(lat),
            category_code: spec.code.to_owned(),
            description,
            title,
            source_code,
            case_type_code: d.case_type.code().to_owned(),
            severity_code: d.sev.code().to_owned(),
            reported_at_ms: d.t,
            reporter_name,
            reporter_phone,
            subject: d.subject.clone(),
            duplicate_of,
        }
    }
}

/// `count` clues reported in `[start_ms, end_ms)` in the given townships, sorted by report time.
/// Deterministic in all arguments; about 6 % re-report an earlier clue (`duplicate_of`).
pub fn generate(towns: &[Town], count: usize, start_ms: i64, end_ms: i64, seed: u64) -> Vec<DemoClue> {
    if towns.is_empty() || count == 0 {
        return Vec::new();
    }
    let end_ms = end_ms.max(start_ms.saturating_add(1));
    let g = Gen::new(towns, start_ms, end_ms, seed);
    let mut rng = StdRng::seed_from_u64(seed);
    let share = rng.random_range(0.055..0.065);
    let room = end_ms.saturating_sub(start_ms) > 2 * HOUR_MS;
    let want_dups = if room { ((count as f64) * share).round() as usize } else { 0 }.min(count - 1);
    let mut drafts: Vec<Draft> = (0..count - want_dups).map(|_| g.base(&mut rng)).collect();
    drafts.sort_by_key(|d| d.t);
    let latest = end_ms.saturating_sub(1 + HOUR_MS);
    let eligible = drafts.partition_point(|d| d.t < latest);
    let n_dups = if eligible == 0 { 0 } else { want_dups };
    if n_dups < want_dups {
        // No room for repeat reports: ordinary clues instead.
        drafts.extend((n_dups..want_dups).map(|_| g.base(&mut rng)));
        drafts.sort_by_key(|d| d.t);
    }
    let mut dups = Vec::with_capacity(n_dups);
    for _ in 0..n_dups {
        let o = rng.random_range(0..eligible);
        if let Some(orig) = drafts.get(o) {
            dups.push(g.duplicate(orig, o, end_ms, &mut rng));
        }
    }
    drafts.extend(dups);
    let mut order: Vec<usize> = (0..drafts.len()).collect();
    order.sort_by_key(|&i| (drafts.get(i).map_or(0, |d| d.t), i));
    let mut pos = vec![0usize; drafts.len()];
    for (p, &i) in order.iter().enumerate() {
        if let Some(slot) = pos.get_mut(i) {
            *slot = p;
        }
    }
    let mut out: Vec<DemoClue> = Vec::with_capacity(order.len());
    for &i in &order {
        let d = &drafts[i];
        let dup_of = d.orig.map(|o| pos[o]);
        let mut clue = g.finish(d, dup_of, &mut rng);
        // A repeat report is never word for word the first one.
        if let Some(first) = dup_of.and_then(|o| out.get(o)) {
            for _ in 0..4 {
                if clue.description != first.description {
                    break;
                }
                clue = g.finish(d, dup_of, &mut rng);
            }
            if clue.description == first.description {
                clue.description = format!("再次反映：{}", truncate_chars(&clue.description, 115));
            }
        }
        out.push(clue);
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::collections::{BTreeMap, BTreeSet};
    use std::sync::OnceLock;

    use super::*;

    const MASTER: &str = include_str!("../../storage/migrations/sqlite/0003_lishui_master_data.sql");
    const CATALOGUE: &str = include_str!("../../storage/migrations/sqlite/0006_clue_catalogue.sql");

    /// County seats, approximate (WGS84); townships are put on a spiral around them.
    const SEATS: &[(&str, f64, f64)] = &[
        ("331102", 119.9226, 28.4517),
        ("331121", 120.2897, 28.1393),
        ("331122", 120.0914, 28.6593),
        ("331123", 119.2760, 28.5925),
        ("331124", 119.4817, 28.4494),
        ("331125", 119.5731, 28.1156),
        ("331126", 119.0625, 27.6183),
        ("331127", 119.6353, 27.9735),
        ("331181", 119.1417, 28.0744),
    ];

    fn towns() -> Vec<Town> {
        let mut counties = BTreeMap::new();
        let mut rows = Vec::new();
        for line in MASTER.lines() {
            let p: Vec<&str> = line.split('\'').collect();
            if p.len() < 8 {
                continue;
            }
            match p[5] {
                "county" => {
                    counties.insert(p[1].to_owned(), p[3].to_owned());
                }
                "township" => rows.push((p[1].to_owned(), p[3].to_owned(), p[7].to_owned())),
                _ => {}
            }
        }
        let mut k_in_county: BTreeMap<String, usize> = BTreeMap::new();
        rows.into_iter()
            .map(|(code, name, county)| {
                let k = k_in_county.entry(county.clone()).or_default();
                *k += 1;
                let (_, lon0, lat0) = SEATS.iter().find(|s| s.0 == county).copied().unwrap();
                let (a, r) = (*k as f64 * 2.4, 0.012 * *k as f64);
                Town {
                    code,
                    name,
                    county_name: counties[&county].clone(),
                    county_code: county,
                    lon: lon0 + r * a.cos(),
                    lat: lat0 + r * a.sin(),
                }
            })
            .collect()
    }

    fn minor_codes() -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for tok in CATALOGUE.split('\'') {
            let b = tok.as_bytes();
            if b.len() == 5 && matches!(b[0], b'C' | b'E' | b'Z') && b[1..].iter().all(u8::is_ascii_digit) {
                out.insert(tok.to_owned());
            }
        }
        out
    }

    fn ms(y: i64, m: u32, d: u32) -> i64 {
        days_from_civil(y, m, d) * DAY_MS - TZ_MS
    }

    fn start() -> i64 {
        ms(2024, 7, 1)
    }

    fn end() -> i64 {
        ms(2026, 1, 1)
    }

    fn dist_m(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
        let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
        let (dp, dl) = (p2 - p1, (lon2 - lon1).to_radians());
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * 6_371_000.0 * a.sqrt().asin()
    }

    fn credit_code_ok(s: &str) -> bool {
        const CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        const W: [usize; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        let v: Option<Vec<usize>> = s.chars().map(|c| CHARS.find(c)).collect();
        let Some(v) = v else { return false };
        v.len() == 18 && v[17] == (31 - v[..17].iter().zip(W).map(|(a, w)| a * w).sum::<usize>() % 31) % 31
    }

    /// 20 000 clues over 18 months, shared by the statistical tests.
    fn sample() -> &'static (Vec<Town>, Vec<DemoClue>) {
        static S: OnceLock<(Vec<Town>, Vec<DemoClue>)> = OnceLock::new();
        S.get_or_init(|| {
            let t = towns();
            let c = generate(&t, 20_000, start(), end(), 2024);
            (t, c)
        })
    }

    #[test]
    fn calendar_round_trips() {
        for day in [-800_000, -1, 0, 1, 11_016, 19_905, 20_454, 2_000_000] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        let l = local(ms(2025, 1, 29) + 10 * HOUR_MS);
        assert_eq!((l.month0, l.dom, l.hour, l.weekday), (0, 29, 10, 2));
    }

    #[test]
    fn templates_parse_and_cover_the_catalogue() {
        let codes = minor_codes();
        assert_eq!(codes.len(), 85, "minor categories in the migration");
        let mut seen = BTreeSet::new();
        for s in SPECS {
            assert!(codes.contains(s.code), "{} not in the catalogue", s.code);
            assert!(seen.insert(s.code), "{} twice", s.code);
            assert!(s.citizen.len() >= 2 && s.official.len() >= 2, "{}: two templates per voice", s.code);
            assert!(s.citizen.len() + s.official.len() >= 4, "{}: at least four templates", s.code);
            assert!(s.title.chars().count() <= 10, "{}", s.code);
            for t in s.citizen.iter().chain(s.official) {
                let tpl = parse_tpl(t).unwrap_or_else(|e| panic!("{}: {e}", s.code));
                let uses_shop = tpl.segs.iter().any(|g| matches!(g, Seg::Slot(Slot::Shop)));
                assert!(!uses_shop || !s.shops.is_empty(), "{}: {{shop}} without shops", s.code);
                assert!(!t.ends_with('。') && !t.ends_with('，'), "{}: no final punctuation: {t}", s.code);
            }
        }
        let majors: BTreeSet<&str> = codes.iter().map(|c| &c[..3]).collect();
        let covered: BTreeSet<&str> = SPECS.iter().map(|s| &s.code[..3]).collect();
        assert_eq!(majors, covered, "every major category is generated");
        for g in NEIGHBOURS {
            for c in *g {
                assert!(SPECS.iter().any(|s| s.code == *c), "{c}");
                assert_eq!(&c[..3], &g[0][..3], "neighbours share the major category");
            }
        }
        assert_eq!(
            catalogue().iter().map(|c| c.citizen.len() + c.official.len()).sum::<usize>(),
            SPECS.iter().map(|s| s.citizen.len() + s.official.len()).sum::<usize>()
        );
        assert!(parse_tpl("{loc}有{nope}").is_err());
        assert!(parse_tpl("{loc").is_err());
    }

    #[test]
    fn same_seed_same_output() {
        let t = towns();
        let a = generate(&t, 3000, start(), end(), 7);
        let b = generate(&t, 3000, start(), end(), 7);
        assert_eq!(a, b);
        let c = generate(&t, 3000, start(), end(), 8);
        assert_ne!(a, c);
    }

    #[test]
    fn exact_count_and_edge_cases() {
        let t = towns();
        for n in [1, 2, 5, 17, 100, 1234] {
            let c = generate(&t, n, start(), end(), 1);
            assert_eq!(c.len(), n);
            assert!(c.windows(2).all(|w| w[0].reported_at_ms <= w[1].reported_at_ms));
        }
        assert!(generate(&t, 0, start(), end(), 1).is_empty());
        assert!(generate(&[], 10, start(), end(), 1).is_empty());
        // A range too short for repeats still gives the count, all in range.
        let c = generate(&t, 50, start(), start() + 60_000, 1);
        assert_eq!(c.len(), 50);
        assert!(c.iter().all(|x| x.duplicate_of.is_none() && (start()..start() + 60_000).contains(&x.reported_at_ms)));
        let c = generate(&t, 10, start(), start(), 1);
        assert_eq!(c.len(), 10);
        // One township only.
        let one = vec![t[0].clone()];
        let c = generate(&one, 300, start(), end(), 3);
        assert_eq!(c.len(), 300);
        assert!(c.iter().all(|x| x.town_code == one[0].code));
    }

    #[test]
    fn fields_are_well_formed() {
        let (t, clues) = sample();
        assert_eq!(clues.len(), 20_000);
        let codes = minor_codes();
        let by_code: BTreeMap<&str, &Town> = t.iter().map(|x| (x.code.as_str(), x)).collect();
        for (i, c) in clues.iter().enumerate() {
            let town = by_code[c.town_code.as_str()];
            assert_eq!(c.town_code.len(), 9);
            assert!(codes.contains(&c.category_code), "{}", c.category_code);
            assert!((start()..end()).contains(&c.reported_at_ms));
            if i > 0 {
                assert!(clues[i - 1].reported_at_ms <= c.reported_at_ms, "sorted");
            }
            let n = c.description.chars().count();
            assert!((15..=120).contains(&n), "{n}: {}", c.description);
            assert!(!c.description.contains('{') && !c.description.contains('}'), "{}", c.description);
            let n = c.title.chars().count();
            assert!((2..=30).contains(&n), "{}", c.title);
            assert!(c.address.starts_with(&format!("{}{}", town.county_name, town.name)), "{}", c.address);
            assert!(c.address.chars().count() > town.county_name.chars().count() + town.name.chars().count());
            let county_src = format!("county_{}", town.county_code);
            assert!(
                ["zhiguantong", "hotline_12345", "province", "manual"].contains(&c.source_code.as_str())
                    || c.source_code == county_src,
                "{}",
                c.source_code
            );
            assert!(["complaint", "patrol", "assigned", "transferred", "media"].contains(&c.case_type_code.as_str()));
            assert!(["urgent", "important", "normal"].contains(&c.severity_code.as_str()));
            if c.source_code == "hotline_12345" {
                assert_eq!(c.case_type_code, "complaint");
            }
            if c.case_type_code != "complaint" {
                assert!(c.reporter_name.is_none() && c.reporter_phone.is_none());
            }
            if let Some(p) = &c.reporter_phone {
                let b = p.as_bytes();
                assert!(
                    b.len() == 11
                        && b[0] == b'1'
                        && (b'3'..=b'9').contains(&b[1])
                        && p.bytes().all(|x| x.is_ascii_digit()),
                    "{p}"
                );
            }
            if let Some((kind, name, code)) = &c.subject {
                assert!(kind == "enterprise" || kind == "person");
                assert!(!name.is_empty());
                assert_eq!(kind == "enterprise", code.is_some());
                if let Some(code) = code {
                    assert!(credit_code_ok(code), "{code}");
                    assert_eq!(&code[2..8], town.county_code, "{code}");
                }
            }
        }
    }

    #[test]
    fn clues_stay_near_their_township() {
        let (t, clues) = sample();
        let by_code: BTreeMap<&str, &Town> = t.iter().map(|x| (x.code.as_str(), x)).collect();
        let mut max = 0.0f64;
        for c in clues {
            let town = by_code[c.town_code.as_str()];
            let d = dist_m(c.lon, c.lat, town.lon, town.lat);
            max = max.max(d);
            assert!(d <= 2000.0, "{d} m: {}", c.address);
        }
        assert!(max > 800.0, "spread out, max {max}");
    }

    #[test]
    fn duplicates_point_back_nearby_and_recently() {
        let (_, clues) = sample();
        let mut n = 0;
        let mut neighbour = 0;
        for (i, c) in clues.iter().enumerate() {
            let Some(o) = c.duplicate_of else { continue };
            n += 1;
            assert!(o < i, "points earlier");
            let orig = &clues[o];
            assert!(orig.duplicate_of.is_none());
            assert_eq!(orig.town_code, c.town_code);
            assert_eq!(orig.category_code[..3], c.category_code[..3], "same major category");
            if orig.category_code != c.category_code {
                neighbour += 1;
            }
            let d = dist_m(c.lon, c.lat, orig.lon, orig.lat);
            assert!(d <= 100.0, "{d} m");
            let dt = c.reported_at_ms - orig.reported_at_ms;
            assert!((HOUR_MS..=48 * HOUR_MS).contains(&dt), "{dt}");
            assert_ne!(orig.description, c.description);
        }
        let share = n as f64 / clues.len() as f64;
        assert!((0.05..=0.07).contains(&share), "duplicate share {share}");
        assert!(neighbour > 0 && neighbour < n / 4, "{neighbour} of {n} in a neighbouring category");
    }

    #[test]
    fn distribution_looks_like_lishui() {
        let (_, clues) = sample();
        let n = clues.len() as f64;
        let share = |f: &dyn Fn(&DemoClue) -> bool| clues.iter().filter(|c| f(c)).count() as f64 / n;
        // Places: 莲都区 leads, the city 街道 dominate.
        let liandu = share(&|c| c.town_code.starts_with("331102"));
        assert!((0.25..=0.42).contains(&liandu), "莲都 {liandu}");
        for county in ["331121", "331122", "331123", "331124", "331125", "331126", "331127", "331181"] {
            let s = share(&|c| c.town_code.starts_with(county));
            assert!(s < liandu && s > 0.02, "{county} {s}");
        }
        let subdistricts = share(&|c| c.town_code[6..].starts_with('0'));
        assert!(subdistricts > 0.5, "街道 {subdistricts}");
        // Categories: street order and environment lead; every major category appears.
        let majors: BTreeSet<&str> = clues.iter().map(|c| &c.category_code[..3]).collect();
        assert_eq!(majors.len(), 16);
        let e05 = share(&|c| c.category_code.starts_with("E05"));
        let e01 = share(&|c| c.category_code.starts_with("E01"));
        let z = share(&|c| c.category_code.starts_with('Z'));
        assert!(e05 > 0.25 && e05 < 0.5 && e01 > 0.12 && z > 0.03 && z < 0.15, "{e05} {e01} {z}");
        // Severity.
        let urgent = share(&|c| c.severity_code == "urgent");
        let important = share(&|c| c.severity_code == "important");
        println!("urgent {urgent} important {important}");
        assert!((0.035..=0.065).contains(&urgent), "urgent {urgent}");
        assert!((0.16..=0.24).contains(&important), "important {important}");
        // Channels.
        let hotline = share(&|c| c.source_code == "hotline_12345");
        let zgt = share(&|c| c.source_code == "zhiguantong");
        assert!((0.22..=0.42).contains(&hotline) && (0.25..=0.5).contains(&zgt), "{hotline} {zgt}");
        let patrol_of_zgt =
            clues.iter().filter(|c| c.source_code == "zhiguantong" && c.case_type_code == "patrol").count() as f64
                / (zgt * n);
        assert!(patrol_of_zgt > 0.85, "{patrol_of_zgt}");
        for s in ["province", "manual"] {
            assert!(share(&|c| c.source_code == s) > 0.02, "{s}");
        }
        assert!(share(&|c| c.source_code.starts_with("county_")) > 0.08);
        for ct in ["assigned", "transferred", "media"] {
            assert!(share(&|c| c.case_type_code == ct) > 0.005, "{ct}");
        }
        let complaints_named =
            clues.iter().filter(|c| c.case_type_code == "complaint" && c.reporter_phone.is_some()).count();
        assert!(
            complaints_named as f64 > 0.8 * clues.iter().filter(|c| c.case_type_code == "complaint").count() as f64
        );
    }

    #[test]
    fn time_profile_has_peaks_seasons_and_a_trend() {
        let (_, clues) = sample();
        let mut by_hour = [0usize; 24];
        let mut by_weekday = [0usize; 7];
        let mut by_month: BTreeMap<usize, (usize, usize, usize)> = BTreeMap::new();
        for c in clues {
            let l = local(c.reported_at_ms);
            by_hour[l.hour] += 1;
            by_weekday[l.weekday] += 1;
            let e = by_month.entry(l.month0).or_default();
            e.0 += 1;
            e.1 += usize::from(c.category_code == "E0508");
            e.2 += usize::from(c.category_code == "E0405");
        }
        let day: usize = by_hour[8..=17].iter().sum();
        let night: usize = by_hour[0..=5].iter().sum();
        assert!(day > 8 * night, "day {day} night {night}");
        assert!(by_weekday[1] as f64 > 1.3 * by_weekday[6] as f64, "{by_weekday:?}");
        let rate = |m: usize, f: fn(&(usize, usize, usize)) -> usize| {
            let e = by_month[&m];
            f(&e) as f64 / e.0 as f64
        };
        assert!(rate(6, |e| e.1) > 3.0 * rate(0, |e| e.1), "烧烤 July vs January");
        assert!(rate(5, |e| e.2) > 3.0 * rate(10, |e| e.2), "积水 June vs November");
        // Spring Festival 2025 (29 January): the week after 除夕 is quiet.
        let week = |from: i64| clues.iter().filter(|c| (from..from + 7 * DAY_MS).contains(&c.reported_at_ms)).count();
        let festival = week(ms(2025, 1, 28));
        let normal = week(ms(2025, 3, 10));
        assert!((festival as f64) < 0.6 * normal as f64, "{festival} vs {normal}");
        // Upward trend: the last quarter is busier than the first.
        let first = clues.iter().filter(|c| c.reported_at_ms < ms(2024, 10, 1)).count();
        let last = clues.iter().filter(|c| c.reported_at_ms >= ms(2025, 10, 1)).count();
        assert!(last as f64 > 1.15 * first as f64, "{first} → {last}");
    }

    #[test]
    fn descriptions_are_varied() {
        let (_, clues) = sample();
        let distinct: BTreeSet<&str> = clues.iter().map(|c| c.description.as_str()).collect();
        assert!(distinct.len() as f64 > 0.97 * clues.len() as f64, "{}", distinct.len());
        let openings: BTreeSet<String> = clues.iter().map(|c| c.description.chars().take(4).collect()).collect();
        assert!(openings.len() > 500, "{}", openings.len());
    }

    /// `cargo test --release -p xiezhi-server demo_clues -- --ignored --nocapture`
    #[test]
    #[ignore = "timing and a look at the output; run in release"]
    fn sixty_thousand_quickly_and_a_look() {
        let t = towns();
        let t0 = std::time::Instant::now();
        let c = generate(&t, 60_000, start(), end(), 2024);
        let took = t0.elapsed();
        println!("60 000 clues in {took:?}");
        for x in c.iter().skip(700).step_by(2000) {
            println!(
                "{} | {} | {} | {} | {} | {} | {}\n    {}\n    {:?} {:?} {:?} dup={:?}",
                x.category_code,
                x.source_code,
                x.case_type_code,
                x.severity_code,
                x.title,
                x.address,
                local(x.reported_at_ms).hour,
                x.description,
                x.reporter_name,
                x.reporter_phone,
                x.subject,
                x.duplicate_of
            );
        }
        for (i, x) in c.iter().enumerate().filter(|(_, x)| x.duplicate_of.is_some()).take(30) {
            let o = &c[x.duplicate_of.unwrap()];
            println!(
                "DUP {i}: {} [{}] {}\n   ← {} [{}] {}",
                x.category_code, x.source_code, x.description, o.category_code, o.source_code, o.description
            );
        }
        assert!(took.as_secs_f64() < 2.0, "{took:?}");
    }
}
