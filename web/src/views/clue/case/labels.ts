// Chinese labels and tag types of the case pages (案件管理, 案件详情, 我的待办, 线索录入), and the
// small display helpers they share. Lookups go through `labelOf`/`tagOf` (utils/labels), which fall
// back for values the UI does not know yet (e.g. the activities of a custom workflow).
import type { CSSProperties } from 'vue'
import type { EventView, IntakeResult, WorkflowDefinition } from '@/api/clue/case-types'
import { RESPONSIBILITY_TIER_LABELS, RESPONSIBILITY_TIER_TAGS, toOptions, type TagType } from '@/utils/labels'

export { RESPONSIBILITY_TIER_LABELS as TIER_LABELS, RESPONSIBILITY_TIER_TAGS as TIER_TAGS }

export const CASE_STATUS_LABELS = {
  active: '办理中',
  suspended: '挂账',
  closed: '已结案',
  voided: '已作废',
  merged: '已合并',
} as const

export const CASE_STATUS_TAGS: Readonly<Record<string, TagType>> = {
  active: 'primary',
  suspended: 'warning',
  closed: 'success',
  voided: 'info',
  merged: 'info',
}

export const GRADING_LABELS = {
  auto: '自动',
  manual: '人工',
  pending: '待人工分级',
} as const

export const GRADING_TAGS: Readonly<Record<string, TagType>> = {
  auto: 'success',
  manual: 'primary',
  pending: 'warning',
}

export const DEDUP_LABELS = {
  new: '新建',
  merged: '自动合并',
  suspected: '疑似重复',
} as const

export const DEDUP_TAGS: Readonly<Record<string, TagType>> = {
  new: 'success',
  merged: 'info',
  suspected: 'warning',
}

export const REVIEW_STATUS_LABELS = {
  pending: '待判定',
  merged: '已合并',
  separate: '非重复',
} as const

export const REVIEW_STATUS_TAGS: Readonly<Record<string, TagType>> = {
  pending: 'warning',
  merged: 'info',
  separate: 'success',
}

export const TASK_STATUS_LABELS = {
  open: '办理中',
  done: '已完成',
  cancelled: '已取消',
} as const

export const TASK_STATUS_TAGS: Readonly<Record<string, TagType>> = {
  open: 'primary',
  done: 'success',
  cancelled: 'info',
}

/** Activities (环节) of the default workflow, in handling order. Custom workflows may add more. */
export const ACTIVITY_LABELS = {
  receive: '受理',
  file: '立案审理',
  dispatch: '派遣',
  handle: '处置',
  extension: '延期审批',
  suspended: '挂账',
  report: '反馈',
  verify: '核查',
  close: '结案',
} as const

export const ACTIVITY_OPTIONS = toOptions(ACTIVITY_LABELS)

/** Actions of the default workflow, plus the ones the system records (merge, keep_separate). */
export const ACTION_LABELS = {
  accept: '受理',
  file: '立案',
  void: '作废',
  dispatch: '派遣',
  submit: '提交处置结果',
  return: '退回',
  request_extension: '申请延期',
  suspend: '申请挂账',
  approve: '批准延期',
  reject: '不予延期',
  resume: '恢复办理',
  forward: '转核查',
  rework: '返工',
  pass: '核查通过',
  fail: '核查不通过',
  close: '结案',
  merge: '合并重复线索',
  keep_separate: '判定为非重复',
} as const

export const SUBJECT_TYPE_LABELS = {
  enterprise: '企业',
  person: '个人',
} as const

/** 超期 (red) before 临期 (orange); null when neither. */
export type DueState = 'overdue' | 'warning' | null

export function dueState(row: { overdue: boolean; warning?: boolean }): DueState {
  if (row.overdue) return 'overdue'
  if (row.warning) return 'warning'
  return null
}

/** A span of natural time as `2 天 3 小时`, `5 小时 10 分`, `12 分`, `不足 1 分`. */
export function formatSpan(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000)
  if (minutes < 1) return '不足 1 分'
  const d = Math.floor(minutes / 1440)
  const h = Math.floor((minutes % 1440) / 60)
  const m = minutes % 60
  if (d > 0) return h > 0 ? `${d} 天 ${h} 小时` : `${d} 天`
  if (h > 0) return m > 0 ? `${h} 小时 ${m} 分` : `${h} 小时`
  return `${m} 分`
}

/** `剩余 …` before the deadline, `已超 …` after it; '' without one. */
export function dueHint(dueAt: number | null | undefined, now: number): string {
  if (typeof dueAt !== 'number') return ''
  return dueAt >= now ? `剩余 ${formatSpan(dueAt - now)}` : `已超 ${formatSpan(now - dueAt)}`
}

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/

/** el-tag style in a severity's own colour (`#RRGGBB`); {} for anything else (default tag). */
export function severityTagStyle(color: string | null | undefined): CSSProperties {
  if (!color || !HEX_COLOR.test(color)) return {}
  return { color, borderColor: `${color}66`, backgroundColor: `${color}14` }
}

/** A similarity score (0–1) as `0.87`. */
export function formatScore(score: number | null | undefined): string {
  return typeof score === 'number' && Number.isFinite(score) ? score.toFixed(2) : '-'
}

export function formatFileSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '-'
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

export function isImage(contentType: string): boolean {
  return /^image\/(jpeg|png|webp|gif)$/i.test(contentType)
}

/** The activities a case has passed through (from its events), in first-visit order. */
export function visitedActivities(events: readonly Pick<EventView, 'from_activity' | 'to_activity'>[]): string[] {
  const seen = new Set<string>()
  for (const e of events) {
    for (const key of [e.from_activity, e.to_activity]) if (key) seen.add(key)
  }
  return [...seen]
}

/** An activity's name in the case's workflow version, else the default workflow's, else the key. */
export function activityName(def: WorkflowDefinition | null | undefined, key: string | null | undefined): string {
  if (!key) return '-'
  const a = def?.activities.find((x) => x.key === key)
  if (a) return a.name
  return Object.prototype.hasOwnProperty.call(ACTIVITY_LABELS, key) ? ACTIVITY_LABELS[key as keyof typeof ACTIVITY_LABELS] : key
}

/** The button text of an action taken in `from` (the case's workflow first), else a known label. */
export function actionName(
  def: WorkflowDefinition | null | undefined,
  from: string | null | undefined,
  action: string | null | undefined,
): string {
  if (!action) return '-'
  const t = def?.transitions.find((x) => x.action === action && (!from || x.from === from))
  if (t) return t.label
  return Object.prototype.hasOwnProperty.call(ACTION_LABELS, action) ? ACTION_LABELS[action as keyof typeof ACTION_LABELS] : action
}

/** What the intake did with a manually entered clue, for the success message. */
export function intakeMessage(r: Pick<IntakeResult, 'case_no' | 'dedup' | 'merged_into'>): string {
  switch (r.dedup) {
    case 'merged':
      return `线索已录入，已自动合并到案件 ${r.merged_into ?? r.case_no}`
    case 'suspected':
      return `线索已录入，案件编号 ${r.case_no}，疑似与已有案件重复，待调度员判定`
    default:
      return `线索已录入，新建案件 ${r.case_no}`
  }
}
