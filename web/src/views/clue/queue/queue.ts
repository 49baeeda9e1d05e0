// 人工分级 (dispatcher) page helpers: the six queues with the case-list filters they open, and
// the similarity score of a suspected duplicate.
import type { QueueSummary, ReviewFilter } from '@/api/clue/workflow-types'

export type QueueKey = keyof QueueSummary

export interface QueueCard {
  key: QueueKey
  title: string
  description: string
  /** Element Plus icon name. */
  icon: string
  color: string
  /** Query of /clue/cases; null: the review table on this page. */
  query: Record<string, string> | null
}

export const QUEUE_CARDS: readonly QueueCard[] = [
  {
    key: 'filing',
    title: '待立案审理',
    description: '执法事项类线索，待审核是否立案',
    icon: 'Stamp',
    color: '#409EFF',
    query: { activity: 'file', status: 'active' },
  },
  {
    key: 'suspected',
    title: '疑似重复',
    description: '与已有案件相似，待判定是否合并',
    icon: 'CopyDocument',
    color: '#E6A23C',
    query: null,
  },
  {
    key: 'returned',
    title: '退回待派遣',
    description: '责任单位退回，待重新派遣',
    icon: 'RefreshLeft',
    color: '#F56C6C',
    query: { activity: 'dispatch', returned: 'true', status: 'active' },
  },
  {
    key: 'ungraded',
    title: '待人工分级',
    description: '规则和权责清单均未确定单位，待指派',
    icon: 'Operation',
    color: '#9254de',
    query: { activity: 'dispatch', grading: 'pending', returned: 'false', status: 'active' },
  },
  {
    key: 'extension',
    title: '延期待审批',
    description: '处置单位申请延期，待审批',
    icon: 'Timer',
    color: '#13c2c2',
    query: { activity: 'extension', status: 'active' },
  },
  {
    key: 'overdue',
    title: '超期',
    description: '已超过办理时限的在办案件',
    icon: 'AlarmClock',
    color: '#cf1322',
    query: { overdue: 'true', status: 'active' },
  },
]

/** `/clue/cases?…` of a queue, or null for the on-page review table. */
export function queueLink(card: Pick<QueueCard, 'query'>): string | null {
  if (!card.query) return null
  return `/clue/cases?${new URLSearchParams(card.query).toString()}`
}

export const REVIEW_STATUS_LABELS = {
  pending: '待处理',
  merged: '已合并',
  separate: '判定不重复',
} as const

export const REVIEW_TABS: readonly { value: ReviewFilter; label: string }[] = [
  { value: 'pending', label: '待处理' },
  { value: 'merged', label: '已合并' },
  { value: 'separate', label: '判定不重复' },
  { value: 'all', label: '全部' },
]

/** Similarity 0–1 as a whole percentage, clamped. */
export function scorePercent(score: number | null | undefined): number {
  if (typeof score !== 'number' || !Number.isFinite(score)) return 0
  return Math.round(Math.min(1, Math.max(0, score)) * 100)
}

/** Red from 85 %, orange from 60 %, else blue. */
export function scoreColor(percent: number): string {
  if (percent >= 85) return '#F56C6C'
  if (percent >= 60) return '#E6A23C'
  return '#409EFF'
}

/**
 * Title and description of a case for the comparison: a title that merely starts the description
 * (cut from it at intake) is replaced by the full description, shown once.
 */
export function caseText(title: string | null | undefined, description: string | null | undefined): { title: string; description: string } {
  const t = (title ?? '').trim()
  const d = (description ?? '').trim()
  if (!t) return { title: d || '（无标题）', description: '' }
  if (!d || d === t) return { title: t, description: '' }
  if (d.startsWith(t.replace(/[…。.]+$/, ''))) return { title: d, description: '' }
  return { title: t, description: d }
}
