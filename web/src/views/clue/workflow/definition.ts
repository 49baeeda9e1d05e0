// Workflow definitions (流程, F12) in the UI: Chinese labels of the model's enumerations, condition
// summaries, and the pure edits the designer makes to a definition (add/remove/rename activities
// and transitions, switch kinds) plus the canonical form used for the unsaved-change check and for
// publishing. The server validates again (`validate` in crates/domain/src/clue/workflow.rs).
import type {
  Activity,
  ActivityKind,
  Assignee,
  AssigneeKind,
  Clause,
  ClauseField,
  ClauseOp,
  Definition,
  Effect,
  TimeLimit,
  TimeLimitKind,
  Transition,
} from '@/api/clue/workflow-types'
import { isStage } from '@/api/clue/types'
import { formatMinutes } from '@/utils/clue/stageRules'
import {
  CATEGORY_KIND_LABELS,
  labelOf,
  RESPONSIBILITY_TIER_LABELS,
  SOURCE_KIND_LABELS,
  STAGE_LABELS,
  type Option,
} from '@/utils/labels'

// ---- labels ------------------------------------------------------------------------------------------

export const ACTIVITY_KIND_LABELS: Readonly<Record<ActivityKind, string>> = {
  task: '办理节点',
  end: '结束节点',
}

export const ASSIGNEE_KIND_LABELS: Readonly<Record<AssigneeKind, string>> = {
  permission: '按权限（岗位人员）',
  responsible: '案件责任单位',
  department: '指定部门',
  township_office: '属地乡镇（街道）执法队',
}

/** `none`: no deadline (the activity has no `time_limit`). */
export type TimeLimitChoice = TimeLimitKind | 'none'

export const TIME_LIMIT_KIND_LABELS: Readonly<Record<TimeLimitChoice, string>> = {
  none: '不限时',
  fixed: '固定时限',
  stage_rule: '按分类处置规则',
  responsibility: '按权责清单时限',
}

export const EFFECT_LABELS: Readonly<Record<Effect, string>> = {
  choose_unit: '选择责任单位',
  return: '退回（计入退回次数）',
  request_extension: '申请延期',
  approve_extension: '批准延期（顺延处置期限）',
  rework: '返工（计入返工次数）',
}

export const CLAUSE_FIELD_LABELS: Readonly<Record<ClauseField, string>> = {
  category: '小类编码',
  category_kind: '分类性质',
  severity: '紧急程度',
  region: '区域代码',
  tier: '处置层级',
  source: '来源编码',
  source_kind: '来源类型',
  case_type: '事件类型',
  dedup: '去重结果',
  graded: '已分级',
  province: '已推送省平台',
}

export const CLAUSE_OP_LABELS: Readonly<Record<ClauseOp, string>> = {
  in: '属于',
  not_in: '不属于',
  prefix: '以…开头',
}

/** Case statuses an activity may set. */
export const CASE_STATUS_LABELS = {
  active: '办理中',
  suspended: '挂账',
  closed: '已结案',
  voided: '已作废',
  merged: '已合并',
} as const

/** Permissions a task is usually assigned by (the field also takes any other code). */
export const KNOWN_PERMISSIONS: readonly Option<string>[] = [
  { value: 'clue:case:dispatch', label: '案件-调度分级（指挥中心调度员）' },
  { value: 'clue:case:handle', label: '案件-办理' },
]

/** Fields with a fixed set of values (value → label); the others take codes from the config. */
export const CLAUSE_FIELD_VALUES: Readonly<Partial<Record<ClauseField, Readonly<Record<string, string>>>>> = {
  category_kind: CATEGORY_KIND_LABELS,
  tier: RESPONSIBILITY_TIER_LABELS,
  source_kind: SOURCE_KIND_LABELS,
  dedup: { new: '新线索（不重复）', suspected: '疑似重复' },
  graded: { yes: '是（已自动分级）', no: '否（待人工分级）' },
  province: { yes: '是（已推送省执法平台，尚未办结）', no: '否' },
}

/** What the values of a field are, for the editor's placeholder. */
export const CLAUSE_FIELD_HINTS: Readonly<Record<ClauseField, string>> = {
  category: '小类编码，如 E0502；“以…开头”可填大类编码',
  category_kind: '部件 / 事件 / 执法',
  severity: '程度等级编码',
  region: '区划代码；“以…开头”可覆盖下级区域',
  tier: '市级 / 县级 / 乡镇级（分级后才有值）',
  source: '线索来源编码',
  source_kind: '来源类型',
  case_type: '事件类型编码',
  dedup: '新线索 / 疑似重复',
  graded: '是 / 否',
  province: '是 / 否',
}

// ---- summaries ---------------------------------------------------------------------------------------

/** Chinese name of a value of a field (e.g. a category name for its code), or null when unknown. */
export type ValueLabeler = (field: ClauseField, value: string) => string | null | undefined

/** Labels from the fixed value sets, then from `maps` (code → name per field). */
export function valueLabeler(maps: Partial<Record<ClauseField, ReadonlyMap<string, string>>> = {}): ValueLabeler {
  return (field, value) => CLAUSE_FIELD_VALUES[field]?.[value] ?? maps[field]?.get(value) ?? null
}

function valueText(field: ClauseField, value: string, label?: ValueLabeler): string {
  const name = label?.(field, value) ?? CLAUSE_FIELD_VALUES[field]?.[value]
  return name && name !== value ? name : value
}

/** One condition in Chinese, e.g. `紧急程度为 紧急、较急 之一`, `区域代码以 331102 开头`. */
export function clauseText(c: Clause, label?: ValueLabeler): string {
  const field = labelOf(CLAUSE_FIELD_LABELS, c.field)
  const values = c.values.map((v) => v.trim()).filter((v) => v !== '')
  if (values.length === 0) return `${field}（未填写取值）`
  const texts = values.map((v) => valueText(c.field, v, label))
  switch (c.op) {
    case 'in':
      return texts.length === 1 ? `${field}为 ${texts[0]}` : `${field}为 ${texts.join('、')} 之一`
    case 'not_in':
      return `${field}不为 ${texts.join('、')}`
    case 'prefix':
      return `${field}以 ${texts.join(' 或 ')} 开头`
    default:
      return `${field} ${String(c.op)} ${texts.join('、')}`
  }
}

/** All conditions (all must hold), joined with `；`; `empty` when there are none. */
export function conditionsText(clauses: readonly Clause[] | null | undefined, label?: ValueLabeler, empty = '无条件'): string {
  if (!clauses || clauses.length === 0) return empty
  return clauses.map((c) => clauseText(c, label)).join('；')
}

/** `固定时限 4 小时`, `按分类处置规则（未配置时 1 小时）`, `按权责清单时限`, `不限时`. */
export function timeLimitText(t: TimeLimit | null | undefined): string {
  if (!t) return '不限时'
  switch (t.kind) {
    case 'fixed':
      return `固定时限 ${formatMinutes(t.minutes, '未填写')}`
    case 'stage_rule':
      return `按分类处置规则（未配置时 ${formatMinutes(t.default_minutes, '未填写')}）`
    case 'responsibility':
      return '按权责清单时限（按紧急程度折算）'
    default:
      return '不限时'
  }
}

/** Who works on a task, in Chinese; `departmentName` resolves a fixed department's id. */
export function assigneeText(a: Assignee | null | undefined, departmentName?: (id: number) => string | undefined): string {
  if (!a) return '未指定'
  switch (a.kind) {
    case 'permission': {
      const known = KNOWN_PERMISSIONS.find((p) => p.value === a.permission)
      return `具有权限「${known ? known.label : a.permission}」的人员`
    }
    case 'department':
      return departmentName?.(a.department_id) ?? `部门 #${a.department_id}`
    default:
      return ASSIGNEE_KIND_LABELS[a.kind] ?? '未指定'
  }
}

export function stageText(stage: string | null | undefined): string {
  return isStage(stage) ? STAGE_LABELS[stage] : '无'
}

export function statusText(a: Pick<Activity, 'kind' | 'status'>): string {
  const status = a.status || (a.kind === 'end' ? 'closed' : 'active')
  return labelOf(CASE_STATUS_LABELS, status)
}

// ---- keys --------------------------------------------------------------------------------------------

/** Activity keys and transition actions: `[a-z][a-z0-9_]*`, at most 40 characters. */
export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/

/** Why `key` cannot name an activity (other than `self`), or null. */
export function activityKeyProblem(def: Definition, key: string, self?: string | null): string | null {
  if (!KEY_PATTERN.test(key)) return '须为小写字母开头的字母、数字、下划线，不超过 40 个字符'
  if (key !== self && def.activities.some((a) => a.key === key)) return '节点标识已存在'
  return null
}

/** `base`, else `base_2`, `base_3` … not in `taken`. */
export function uniqueKey(taken: Iterable<string>, base: string): string {
  const set = new Set(taken)
  if (!set.has(base)) return base
  for (let i = 2; ; i++) {
    const k = `${base}_${i}`
    if (!set.has(k)) return k
  }
}

// ---- edits -------------------------------------------------------------------------------------------

/** Horizontal distance between neighbouring activities in new layouts. */
export const GRID_X = 180
export const GRID_Y = 140

export function cloneDefinition(d: Definition): Definition {
  return JSON.parse(JSON.stringify(d)) as Definition
}

export function findActivity(def: Definition, key: string | null | undefined): Activity | undefined {
  return key ? def.activities.find((a) => a.key === key) : undefined
}

/** A free position: right of `near` (or of the right-most activity), moved down while taken. */
export function freePosition(def: Definition, near?: string | null): { x: number; y: number } {
  const anchor = findActivity(def, near)
  let x: number
  let y: number
  if (anchor) {
    x = (anchor.x ?? 0) + GRID_X
    y = anchor.y ?? 0
  } else if (def.activities.length > 0) {
    const right = def.activities.reduce((m, a) => ((a.x ?? 0) > (m.x ?? 0) ? a : m))
    x = (right.x ?? 0) + GRID_X
    y = right.y ?? 0
  } else {
    x = 80
    y = 200
  }
  const taken = (px: number, py: number) =>
    def.activities.some((a) => Math.abs((a.x ?? 0) - px) < GRID_X / 2 && Math.abs((a.y ?? 0) - py) < GRID_Y / 2)
  for (let i = 0; i < 50 && taken(x, y); i++) y += GRID_Y
  return { x, y }
}

/** Adds a task (assigned to the dispatchers) next to `near`; returns its key. */
export function addActivity(def: Definition, near?: string | null): string {
  const key = uniqueKey(
    def.activities.map((a) => a.key),
    `node_${def.activities.length + 1}`,
  )
  const pos = freePosition(def, near)
  def.activities.push({
    key,
    name: '新节点',
    kind: 'task',
    stage: null,
    assignee: { kind: 'permission', permission: 'clue:case:dispatch' },
    time_limit: null,
    status: null,
    x: pos.x,
    y: pos.y,
  })
  if (!def.start) def.start = key
  return key
}

/**
 * Removes an activity and every transition from or to it; returns how many transitions went.
 * When it was the start, the first remaining task becomes the start.
 */
export function removeActivity(def: Definition, key: string): number {
  const before = def.transitions.length
  def.activities = def.activities.filter((a) => a.key !== key)
  def.transitions = def.transitions.filter((t) => t.from !== key && t.to !== key)
  if (def.start === key) def.start = def.activities.find((a) => a.kind === 'task')?.key ?? ''
  return before - def.transitions.length
}

/** Renames an activity and every reference to it (transitions, start). */
export function renameActivity(def: Definition, from: string, to: string): void {
  if (from === to) return
  for (const a of def.activities) if (a.key === from) a.key = to
  for (const t of def.transitions) {
    if (t.from === from) t.from = to
    if (t.to === from) t.to = to
  }
  if (def.start === from) def.start = to
}

/** Indexes of the transitions leaving or entering `key`. */
export function transitionsOf(def: Definition, key: string): { out: number[]; in: number[] } {
  const out: number[] = []
  const inc: number[] = []
  def.transitions.forEach((t, i) => {
    if (t.from === key) out.push(i)
    if (t.to === key && t.from !== key) inc.push(i)
  })
  return { out, in: inc }
}

/**
 * Adds a manual transition from `from` (default: the start) to `to` (default: another activity);
 * returns its index, or -1 when there is no activity.
 */
export function addTransition(def: Definition, from?: string | null, to?: string | null): number {
  const source = findActivity(def, from) ?? findActivity(def, def.start) ?? def.activities[0]
  if (!source) return -1
  const target =
    findActivity(def, to) ??
    def.activities.find((a) => a.key !== source.key && a.kind === 'task') ??
    def.activities.find((a) => a.key !== source.key) ??
    source
  const taken = def.transitions.filter((t) => t.from === source.key).map((t) => t.action)
  def.transitions.push({
    from: source.key,
    to: target.key,
    action: uniqueKey(taken, 'action'),
    label: '新动作',
    auto: false,
    conditions: [],
    effect: null,
    comment_required: false,
  })
  return def.transitions.length - 1
}

export function removeTransition(def: Definition, index: number): void {
  if (index >= 0 && index < def.transitions.length) def.transitions.splice(index, 1)
}

/** Switches an activity between task and end, dropping what the new kind may not have. */
export function setActivityKind(a: Activity, kind: ActivityKind): void {
  a.kind = kind
  if (kind === 'end') {
    a.assignee = null
    a.time_limit = null
    if (a.status && !['closed', 'voided', 'merged'].includes(a.status)) a.status = null
  } else {
    if (!a.assignee) a.assignee = { kind: 'permission', permission: 'clue:case:dispatch' }
    if (a.status && !['active', 'suspended'].includes(a.status)) a.status = null
  }
}

/** A fresh assignee of `kind`, keeping the permission or department when switching back. */
export function assigneeOf(kind: AssigneeKind, previous?: Assignee | null): Assignee {
  switch (kind) {
    case 'permission':
      return { kind, permission: previous?.kind === 'permission' ? previous.permission : 'clue:case:dispatch' }
    case 'department':
      return { kind, department_id: previous?.kind === 'department' ? previous.department_id : 0 }
    case 'responsible':
      return { kind: 'responsible' }
    default:
      return { kind: 'township_office' }
  }
}

/** A time limit of `kind` (null for `none`), keeping the minutes when switching. */
export function timeLimitOf(kind: TimeLimitChoice, previous?: TimeLimit | null): TimeLimit | null {
  const minutes = previous?.kind === 'fixed' ? previous.minutes : previous?.kind === 'stage_rule' ? previous.default_minutes : 60
  switch (kind) {
    case 'fixed':
      return { kind, minutes }
    case 'stage_rule':
      return { kind, default_minutes: minutes }
    case 'responsibility':
      return { kind }
    default:
      return null
  }
}

/** Automatic transitions cannot ask the user for anything: turning `auto` on clears effect and comment. */
export function setAuto(t: Transition, auto: boolean): void {
  t.auto = auto
  if (auto) {
    t.effect = null
    t.comment_required = false
  }
}

// ---- canonical form ----------------------------------------------------------------------------------

/** Conditions with trimmed values, empty values dropped. */
export function canonicalClauses(list: readonly Clause[] | null | undefined): Clause[] {
  return (list ?? []).map((c) => ({
    field: c.field,
    op: c.op,
    values: c.values.map((v) => v.trim()).filter((v) => v !== ''),
  }))
}

function num(v: number | null | undefined): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0
}

/**
 * Every field explicit and in a fixed order, strings trimmed, end activities without assignee or
 * time limit: what the designer publishes, and what the unsaved-change check compares.
 */
export function canonicalDefinition(d: Definition): Definition {
  return {
    start: d.start,
    activities: d.activities.map((a) => {
      const end = a.kind === 'end'
      return {
        key: a.key.trim(),
        name: a.name.trim(),
        kind: a.kind,
        stage: a.stage || null,
        assignee: end ? null : (a.assignee ?? null),
        time_limit: end ? null : (a.time_limit ?? null),
        status: a.status || null,
        x: num(a.x),
        y: num(a.y),
      }
    }),
    transitions: d.transitions.map((t) => ({
      from: t.from,
      to: t.to,
      action: t.action.trim(),
      label: t.label.trim(),
      auto: t.auto ?? false,
      conditions: canonicalClauses(t.conditions),
      effect: t.effect ?? null,
      comment_required: t.comment_required ?? false,
    })),
  }
}

export function sameDefinition(a: Definition, b: Definition): boolean {
  return JSON.stringify(canonicalDefinition(a)) === JSON.stringify(canonicalDefinition(b))
}

/**
 * Problems the designer can point at before asking the server (which checks everything): the
 * activity or transition they belong to, and the message.
 */
export interface LocalProblem {
  activity?: string
  transition?: number
  message: string
}

export function localProblems(d: Definition): LocalProblem[] {
  const out: LocalProblem[] = []
  const seen = new Set<string>()
  for (const a of d.activities) {
    if (!KEY_PATTERN.test(a.key)) out.push({ activity: a.key, message: `节点“${a.name}”的标识格式不正确` })
    else if (seen.has(a.key)) out.push({ activity: a.key, message: `节点标识“${a.key}”重复` })
    seen.add(a.key)
    if (a.kind === 'task' && a.assignee?.kind === 'department' && !(a.assignee.department_id > 0)) {
      out.push({ activity: a.key, message: `节点“${a.name}”未选择指定部门` })
    }
  }
  d.transitions.forEach((t, i) => {
    if ((t.conditions ?? []).some((c) => c.values.every((v) => v.trim() === ''))) {
      out.push({ transition: i, message: `连线“${t.label}”有未填写取值的条件` })
    }
  })
  return out
}
