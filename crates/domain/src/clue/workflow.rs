//! Workflow definitions (流程, F12) as data: activities, transitions with conditions on case
//! fields, assignee rules and time limits. Pure: the engine in the API crate stores the case and
//! its tasks; this module validates definitions and decides which transition an action takes.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::FieldError;
use crate::clue::Stage;

/// A process definition, stored as JSON in a workflow version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// Key of the activity a new case starts in.
    pub start: String,
    pub activities: Vec<Activity>,
    pub transitions: Vec<Transition>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// `[a-z][a-z0-9_]*`, unique in the definition.
    pub key: String,
    pub name: String,
    /// `task` (someone must act) or `end` (the case is finished).
    pub kind: ActivityKind,
    /// Handling stage this activity belongs to (time limits of the category's stage rule, statistics).
    #[serde(default)]
    pub stage: Option<Stage>,
    /// Who works on it (tasks only).
    #[serde(default)]
    pub assignee: Option<Assignee>,
    /// How long it may take (tasks only); none means no deadline.
    #[serde(default)]
    pub time_limit: Option<TimeLimit>,
    /// Case status while the case is here: `active` (default) or `suspended` (挂账); for an end
    /// activity: `closed`, `voided` or `merged`.
    #[serde(default)]
    pub status: Option<String>,
    /// Position in the diagram editor.
    #[serde(default)]
    pub x: f64,
    #[serde(default)]
    pub y: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    Task,
    End,
}

/// Who a task goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Assignee {
    /// Every user holding the permission whose data scope covers the case's region (e.g. the
    /// command centre's dispatchers with `clue:case:dispatch`).
    Permission { permission: String },
    /// The case's responsible unit (from grading or the dispatcher's choice).
    Responsible,
    /// A fixed department.
    Department { department_id: i64 },
    /// The township office (乡镇综合执法队) of the case's township; the responsible unit when the
    /// township has none.
    TownshipOffice,
}

/// How the deadline of a task is computed (working time on the calendar).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TimeLimit {
    /// A fixed number of working minutes.
    Fixed { minutes: i64 },
    /// The category's rule for the activity's stage (处置规则), else `default_minutes`.
    StageRule { default_minutes: i64 },
    /// The responsibility list's limit for the case (category × region), scaled by severity.
    Responsibility,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    pub from: String,
    pub to: String,
    /// `[a-z][a-z0-9_]*`; what the user (or the system, for automatic ones) does.
    pub action: String,
    /// Button text, e.g. 派遣.
    pub label: String,
    /// Taken by the system as soon as the case enters `from` and the conditions hold.
    #[serde(default)]
    pub auto: bool,
    /// Taken only by the system when an external event arrives (`province_feedback`: the
    /// provincial platform's disposal result); never offered to users.
    #[serde(default)]
    pub system: bool,
    /// All must hold (empty: always).
    #[serde(default)]
    pub conditions: Vec<Clause>,
    /// What else happens: counters, extension, unit choice.
    #[serde(default)]
    pub effect: Option<Effect>,
    /// Require a comment from the user.
    #[serde(default)]
    pub comment_required: bool,
}

/// Side effects of a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// The user picks the responsible unit (派遣, 人工分级).
    ChooseUnit,
    /// 退回: counted as returned.
    Return,
    /// The user asks for extra working hours (申请延期).
    RequestExtension,
    /// The pending extension is granted: the handling deadline moves (批准延期).
    ApproveExtension,
    /// 返工: counted as rework.
    Rework,
}

/// A condition on a case field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    pub field: Field,
    pub op: Op,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Minor category code, e.g. `E0502`.
    Category,
    /// `component`, `event` or `enforcement`.
    CategoryKind,
    /// Severity code.
    Severity,
    /// Region code of the case (township or county); use `prefix` for a subtree.
    Region,
    /// `city`, `county`, `township` (empty before grading).
    Tier,
    /// Source code.
    Source,
    /// Source kind: `county`, `hotline`, `zhiguantong` …
    SourceKind,
    /// Case type code.
    CaseType,
    /// `new` or `suspected`.
    Dedup,
    /// `yes` when grading found a unit, else `no`.
    Graded,
    /// `yes` while the case is pushed to the provincial platform and not finished there, else `no`.
    Province,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    In,
    NotIn,
    /// The value starts with one of the values (category families, region subtrees).
    Prefix,
}

/// Case fields conditions are evaluated on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub category: String,
    pub category_kind: String,
    pub severity: String,
    pub region: String,
    pub tier: String,
    pub source: String,
    pub source_kind: String,
    pub case_type: String,
    pub dedup: String,
    pub graded: bool,
    pub province: bool,
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

impl Facts {
    fn get(&self, f: Field) -> &str {
        match f {
            Field::Category => &self.category,
            Field::CategoryKind => &self.category_kind,
            Field::Severity => &self.severity,
            Field::Region => &self.region,
            Field::Tier => &self.tier,
            Field::Source => &self.source,
            Field::SourceKind => &self.source_kind,
            Field::CaseType => &self.case_type,
            Field::Dedup => &self.dedup,
            Field::Graded => yes_no(self.graded),
            Field::Province => yes_no(self.province),
        }
    }
}

impl Clause {
    pub fn holds(&self, facts: &Facts) -> bool {
        let v = facts.get(self.field);
        match self.op {
            Op::In => self.values.iter().any(|x| x == v),
            Op::NotIn => !self.values.iter().any(|x| x == v),
            Op::Prefix => self.values.iter().any(|x| v.starts_with(x.as_str())),
        }
    }
}

/// Do all clauses hold?
pub fn holds(clauses: &[Clause], facts: &Facts) -> bool {
    clauses.iter().all(|c| c.holds(facts))
}

/// Why an action cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("the case is not at an activity of this workflow")]
    UnknownActivity,
    #[error("action not available here")]
    NotAvailable,
    #[error("automatic transitions loop")]
    Loop,
}

const STATUSES_TASK: &[&str] = &["active", "suspended"];
const STATUSES_END: &[&str] = &["closed", "voided", "merged"];

fn is_key(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some('a'..='z'))
        && s.len() <= 40
        && cs.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Definition {
    pub fn activity(&self, key: &str) -> Option<&Activity> {
        self.activities.iter().find(|a| a.key == key)
    }

    /// Status of a case at the activity.
    pub fn status_at(&self, key: &str) -> &str {
        self.activity(key).and_then(|a| a.status.as_deref()).unwrap_or(match self.activity(key).map(|a| a.kind) {
            Some(ActivityKind::End) => "closed",
            _ => "active",
        })
    }

    /// Manual transitions a user may take from `at` given the case's facts.
    pub fn actions<'a>(&'a self, at: &str, facts: &Facts) -> Vec<&'a Transition> {
        self.transitions
            .iter()
            .filter(|t| t.from == at && !t.auto && !t.system && holds(&t.conditions, facts))
            .collect()
    }

    /// The system transition `action` takes from `at` on an external event, if the definition has one.
    pub fn system_transition(&self, at: &str, action: &str, facts: &Facts) -> Option<&Transition> {
        self.transitions.iter().find(|t| t.from == at && t.system && t.action == action && holds(&t.conditions, facts))
    }

    /// The transition `action` takes from `at`: the first whose conditions hold.
    pub fn take(&self, at: &str, action: &str, facts: &Facts) -> Result<&Transition, EngineError> {
        if self.activity(at).is_none() {
            return Err(EngineError::UnknownActivity);
        }
        self.actions(at, facts).into_iter().find(|t| t.action == action).ok_or(EngineError::NotAvailable)
    }

    /// The automatic transition that applies on entering `at`, if any.
    pub fn auto_from(&self, at: &str, facts: &Facts) -> Option<&Transition> {
        self.transitions.iter().find(|t| t.from == at && t.auto && !t.system && holds(&t.conditions, facts))
    }

    /// Check a definition; every problem is reported with a field path.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errs = Vec::new();
        let mut keys = BTreeSet::new();
        for (i, a) in self.activities.iter().enumerate() {
            let f = |m: &str| {
                FieldError::named(format!("activities[{i}]"), format!("第 {} 个节点（{}）：{m}", i + 1, a.key))
            };
            if !is_key(&a.key) {
                errs.push(f("节点标识须为小写字母开头的字母、数字、下划线，不超过 40 个字符"));
            }
            if !keys.insert(a.key.as_str()) {
                errs.push(f("节点标识重复"));
            }
            if a.name.trim().is_empty() || a.name.chars().count() > 20 {
                errs.push(f("节点名称不能为空且不超过 20 个字符"));
            }
            match a.kind {
                ActivityKind::Task => {
                    if a.assignee.is_none() {
                        errs.push(f("办理节点须指定处理人规则"));
                    }
                    if let Some(s) = &a.status
                        && !STATUSES_TASK.contains(&s.as_str())
                    {
                        errs.push(f("办理节点的案件状态只能是 active 或 suspended"));
                    }
                }
                ActivityKind::End => {
                    if a.assignee.is_some() || a.time_limit.is_some() {
                        errs.push(f("结束节点不能有处理人或时限"));
                    }
                    if let Some(s) = &a.status
                        && !STATUSES_END.contains(&s.as_str())
                    {
                        errs.push(f("结束节点的案件状态只能是 closed、voided 或 merged"));
                    }
                }
            }
            match &a.assignee {
                Some(Assignee::Permission { permission }) if permission.split(':').count() != 3 => {
                    errs.push(f("权限编码格式应为 模块:对象:操作"));
                }
                _ => {}
            }
            match a.time_limit {
                Some(TimeLimit::Fixed { minutes }) | Some(TimeLimit::StageRule { default_minutes: minutes })
                    if !(1..=525_600).contains(&minutes) =>
                {
                    errs.push(f("时限须在 1 分钟到 1 年之间"));
                }
                Some(TimeLimit::StageRule { .. }) if a.stage.is_none() => {
                    errs.push(f("按分类处置规则计时的节点须指定处置阶段"));
                }
                _ => {}
            }
        }
        match self.activity(&self.start) {
            Some(a) if a.kind == ActivityKind::Task => {}
            _ => errs.push(FieldError::new("start", "开始节点须是一个办理节点")),
        }
        let mut seen = BTreeSet::new();
        for (i, t) in self.transitions.iter().enumerate() {
            let f = |m: &str| {
                FieldError::named(format!("transitions[{i}]"), format!("第 {} 条连线（{}）：{m}", i + 1, t.label))
            };
            let from = self.activity(&t.from);
            if from.is_none() || self.activity(&t.to).is_none() {
                errs.push(f("起止节点不存在"));
            }
            if from.is_some_and(|a| a.kind == ActivityKind::End) {
                errs.push(f("结束节点不能有出线"));
            }
            if !is_key(&t.action) {
                errs.push(f("动作标识须为小写字母开头的字母、数字、下划线"));
            }
            if t.label.trim().is_empty() || t.label.chars().count() > 20 {
                errs.push(f("动作名称不能为空且不超过 20 个字符"));
            }
            if !t.auto && t.conditions.is_empty() && !seen.insert((t.from.as_str(), t.action.as_str())) {
                errs.push(f("同一节点的同一动作出现多次且没有条件区分"));
            }
            if (t.auto || t.system) && (t.effect.is_some() || t.comment_required) {
                errs.push(f("自动流转和系统流转不能要求用户输入"));
            }
            if t.auto && t.system {
                errs.push(f("系统流转由外部事件触发，不能同时设为自动流转"));
            }
            for c in &t.conditions {
                if c.values.is_empty() {
                    errs.push(f("条件须至少有一个取值"));
                }
            }
        }
        for a in self.activities.iter().filter(|a| a.kind == ActivityKind::Task) {
            if !self.transitions.iter().any(|t| t.from == a.key) {
                errs.push(FieldError::new("transitions", format!("节点“{}”没有出线，案件会停在这里", a.name)));
            }
        }
        // Reachability from the start.
        let mut reach = BTreeSet::from([self.start.as_str()]);
        let mut todo = vec![self.start.as_str()];
        while let Some(k) = todo.pop() {
            for t in self.transitions.iter().filter(|t| t.from == k) {
                if reach.insert(t.to.as_str()) {
                    todo.push(t.to.as_str());
                }
            }
        }
        for a in &self.activities {
            if !reach.contains(a.key.as_str()) {
                errs.push(FieldError::new("activities", format!("节点“{}”从开始节点无法到达", a.name)));
            }
        }
        if !self.activities.iter().any(|a| a.kind == ActivityKind::End) {
            errs.push(FieldError::new("activities", "至少需要一个结束节点"));
        }
        // Automatic transitions must not form a cycle (the case would never stop moving).
        let mut auto: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for t in self.transitions.iter().filter(|t| t.auto) {
            auto.entry(t.from.as_str()).or_default().push(t.to.as_str());
        }
        fn cyclic<'a>(
            n: &'a str,
            g: &BTreeMap<&'a str, Vec<&'a str>>,
            path: &mut Vec<&'a str>,
            done: &mut BTreeSet<&'a str>,
        ) -> bool {
            if path.contains(&n) {
                return true;
            }
            if !done.insert(n) {
                return false;
            }
            path.push(n);
            let hit = g.get(n).is_some_and(|next| next.iter().any(|m| cyclic(m, g, path, done)));
            path.pop();
            hit
        }
        let mut done = BTreeSet::new();
        if auto.keys().any(|k| cyclic(k, &auto, &mut Vec::new(), &mut done)) {
            errs.push(FieldError::new("transitions", "自动流转构成了循环"));
        }
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }
}

/// Label of an action for the timeline when no transition names it (system actions).
pub fn system_action_label(action: &str) -> &'static str {
    match action {
        "create" => "登记",
        "merge" => "合并重复线索",
        "keep_separate" => "判定为非重复",
        "grade" => "分级",
        "overdue" => "超期",
        "province_push" => "推送省平台",
        "province_progress" => "省平台进展",
        _ => "处理",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def() -> Definition {
        serde_json::from_str(include_str!("default_workflow.json")).unwrap_or_else(|e| panic!("{e}"))
    }

    fn facts() -> Facts {
        Facts {
            category: "E0502".into(),
            category_kind: "event".into(),
            severity: "normal".into(),
            region: "331102001".into(),
            tier: "county".into(),
            source: "zhiguantong".into(),
            source_kind: "zhiguantong".into(),
            case_type: "patrol".into(),
            dedup: "new".into(),
            graded: true,
            province: false,
        }
    }

    #[test]
    fn a_case_pushed_to_the_province_waits_for_its_feedback() {
        let d = def();
        let pushed = Facts { province: true, ..facts() };
        assert_eq!(d.auto_from("dispatch", &pushed).map(|t| t.to.as_str()), Some("province"));
        assert_eq!(d.auto_from("dispatch", &facts()).map(|t| t.to.as_str()), Some("handle"));
        let offered: Vec<&str> = d.actions("province", &pushed).iter().map(|t| t.action.as_str()).collect();
        assert_eq!(offered, ["recall"], "the feedback transition is never offered to users");
        assert!(d.take("province", "province_feedback", &pushed).is_err());
        assert_eq!(
            d.system_transition("province", "province_feedback", &pushed).map(|t| t.to.as_str()),
            Some("verify")
        );
        assert!(d.system_transition("handle", "province_feedback", &pushed).is_none());
    }

    #[test]
    fn the_default_workflow_is_valid() {
        assert_eq!(def().validate(), Ok(()));
    }

    #[test]
    fn an_event_clue_with_a_unit_moves_straight_to_handling() {
        let d = def();
        let f = facts();
        let mut at = d.start.clone();
        let mut path = vec![at.clone()];
        while let Some(t) = d.auto_from(&at, &f) {
            at = t.to.clone();
            path.push(at.clone());
        }
        assert_eq!(path, ["receive", "file", "dispatch", "handle"]);
        // An enforcement clue waits for filing review; an ungraded one waits for the dispatcher.
        let enforcement = Facts { category_kind: "enforcement".into(), ..f.clone() };
        assert!(d.auto_from("file", &enforcement).is_none());
        let ungraded = Facts { graded: false, ..f.clone() };
        assert!(d.auto_from("dispatch", &ungraded).is_none());
        let suspected = Facts { dedup: "suspected".into(), ..f };
        assert!(d.auto_from("receive", &suspected).is_none());
    }

    #[test]
    fn actions_and_their_conditions() {
        let d = def();
        let f = facts();
        let acts: Vec<&str> = d.actions("handle", &f).iter().map(|t| t.action.as_str()).collect();
        for a in ["submit", "return", "request_extension", "suspend"] {
            assert!(acts.contains(&a), "{acts:?}");
        }
        assert_eq!(d.take("verify", "fail", &f).map(|t| t.to.as_str()), Ok("handle"));
        assert_eq!(d.take("verify", "fly", &f), Err(EngineError::NotAvailable));
        assert_eq!(d.take("nowhere", "fail", &f), Err(EngineError::UnknownActivity));
        assert_eq!(d.status_at("suspended"), "suspended");
        assert_eq!(d.status_at("closed"), "closed");
        let c = Clause { field: Field::Region, op: Op::Prefix, values: vec!["331102".into()] };
        assert!(c.holds(&f));
        let c = Clause { field: Field::Severity, op: Op::NotIn, values: vec!["normal".into()] };
        assert!(!c.holds(&f));
    }

    #[test]
    fn validation_names_each_problem() {
        let mut d = def();
        d.activities.push(Activity {
            key: "Bad Key".into(),
            name: "孤立".into(),
            kind: ActivityKind::Task,
            stage: None,
            assignee: None,
            time_limit: Some(TimeLimit::Fixed { minutes: 0 }),
            status: None,
            x: 0.0,
            y: 0.0,
        });
        d.transitions.push(Transition {
            from: "closed".into(),
            to: "receive".into(),
            action: "reopen".into(),
            label: "重开".into(),
            auto: false,
            system: false,
            conditions: vec![],
            effect: None,
            comment_required: false,
        });
        d.transitions.push(Transition {
            from: "receive".into(),
            to: "receive".into(),
            action: "spin".into(),
            label: "空转".into(),
            auto: true,
            system: false,
            conditions: vec![],
            effect: None,
            comment_required: false,
        });
        let errs = d.validate().err().unwrap_or_default();
        let text = errs.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("\n");
        for needle in ["节点标识须", "须指定处理人", "时限须在", "结束节点不能有出线", "无法到达", "没有出线", "循环"]
        {
            assert!(text.contains(needle), "missing {needle} in\n{text}");
        }
    }
}
