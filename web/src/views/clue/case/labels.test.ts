import { describe, expect, it } from 'vitest'
import type { WorkflowDefinition } from '@/api/clue/case-types'
import { CASE_STATUSES, DEDUP_RESULTS, GRADINGS, REVIEW_STATUSES, TASK_STATUSES } from '@/api/clue/case-types'
import { labelOf, tagOf } from '@/utils/labels'
import {
  actionName,
  activityName,
  CASE_STATUS_LABELS,
  CASE_STATUS_TAGS,
  DEDUP_LABELS,
  DEDUP_TAGS,
  dueHint,
  dueState,
  formatFileSize,
  formatScore,
  formatSpan,
  GRADING_LABELS,
  intakeMessage,
  isImage,
  REVIEW_STATUS_LABELS,
  severityTagStyle,
  TASK_STATUS_LABELS,
  TIER_LABELS,
  visitedActivities,
} from './labels'

describe('case labels', () => {
  it('label every known status, grading, dedup result and tier in Chinese', () => {
    expect(CASE_STATUSES.map((s) => labelOf(CASE_STATUS_LABELS, s))).toEqual(['办理中', '挂账', '已结案', '已作废', '已合并'])
    expect(GRADINGS.map((g) => labelOf(GRADING_LABELS, g))).toEqual(['自动', '人工', '待人工分级'])
    expect(DEDUP_RESULTS.map((d) => labelOf(DEDUP_LABELS, d))).toEqual(['新建', '自动合并', '疑似重复'])
    expect(REVIEW_STATUSES.every((s) => labelOf(REVIEW_STATUS_LABELS, s) !== s)).toBe(true)
    expect(TASK_STATUSES.every((s) => labelOf(TASK_STATUS_LABELS, s) !== s)).toBe(true)
    expect(labelOf(TIER_LABELS, 'township')).toBe('乡镇级')
  })

  it('fall back for unknown values', () => {
    expect(labelOf(CASE_STATUS_LABELS, 'archived')).toBe('archived')
    expect(tagOf(CASE_STATUS_TAGS, 'archived')).toBe('info')
    expect(tagOf(CASE_STATUS_TAGS, 'closed')).toBe('success')
    expect(tagOf(DEDUP_TAGS, 'suspected')).toBe('warning')
  })
})

describe('deadlines', () => {
  it('overdue wins over warning', () => {
    expect(dueState({ overdue: true, warning: true })).toBe('overdue')
    expect(dueState({ overdue: false, warning: true })).toBe('warning')
    expect(dueState({ overdue: false, warning: false })).toBeNull()
    expect(dueState({ overdue: false })).toBeNull()
  })

  it('formats spans', () => {
    expect(formatSpan(30_000)).toBe('不足 1 分')
    expect(formatSpan(12 * 60_000)).toBe('12 分')
    expect(formatSpan(5 * 3_600_000 + 10 * 60_000)).toBe('5 小时 10 分')
    expect(formatSpan(3 * 3_600_000)).toBe('3 小时')
    expect(formatSpan(2 * 86_400_000 + 3 * 3_600_000 + 59 * 60_000)).toBe('2 天 3 小时')
    expect(formatSpan(-86_400_000)).toBe('1 天')
  })

  it('hints the time left or over', () => {
    const now = 1_700_000_000_000
    expect(dueHint(now + 2 * 3_600_000, now)).toBe('剩余 2 小时')
    expect(dueHint(now - 90 * 60_000, now)).toBe('已超 1 小时 30 分')
    expect(dueHint(null, now)).toBe('')
  })
})

describe('display helpers', () => {
  it('colours severity tags only with #RRGGBB', () => {
    expect(severityTagStyle('#F56C6C')).toEqual({ color: '#F56C6C', borderColor: '#F56C6C66', backgroundColor: '#F56C6C14' })
    expect(severityTagStyle('red')).toEqual({})
    expect(severityTagStyle('')).toEqual({})
    expect(severityTagStyle(null)).toEqual({})
  })

  it('formats scores and sizes', () => {
    expect(formatScore(0.8666)).toBe('0.87')
    expect(formatScore(null)).toBe('-')
    expect(formatFileSize(512)).toBe('512 B')
    expect(formatFileSize(2048)).toBe('2.0 KB')
    expect(formatFileSize(3 * 1024 * 1024)).toBe('3.0 MB')
  })

  it('recognizes images', () => {
    expect(isImage('image/jpeg')).toBe(true)
    expect(isImage('image/webp')).toBe(true)
    expect(isImage('application/pdf')).toBe(false)
    expect(isImage('video/mp4')).toBe(false)
  })
})

const def = {
  start: 'receive',
  activities: [
    { key: 'receive', name: '受理', kind: 'task' },
    { key: 'dispatch', name: '派遣（指挥中心）', kind: 'task' },
    { key: 'handle', name: '处置', kind: 'task' },
  ],
  transitions: [
    { from: 'receive', to: 'dispatch', action: 'accept', label: '受理' },
    { from: 'dispatch', to: 'handle', action: 'dispatch', label: '派遣到单位' },
    { from: 'handle', to: 'dispatch', action: 'return', label: '退回' },
  ],
} as unknown as WorkflowDefinition

describe('workflow names', () => {
  it('lists the visited activities in first-visit order', () => {
    expect(
      visitedActivities([
        { from_activity: null, to_activity: 'receive' },
        { from_activity: 'receive', to_activity: 'dispatch' },
        { from_activity: 'dispatch', to_activity: 'handle' },
        { from_activity: 'handle', to_activity: 'dispatch' },
        { from_activity: null, to_activity: null },
      ]),
    ).toEqual(['receive', 'dispatch', 'handle'])
  })

  it('names activities from the case workflow, then the defaults', () => {
    expect(activityName(def, 'dispatch')).toBe('派遣（指挥中心）')
    expect(activityName(def, 'verify')).toBe('核查')
    expect(activityName(null, 'custom_step')).toBe('custom_step')
    expect(activityName(def, null)).toBe('-')
  })

  it('names actions from the case workflow, then the defaults', () => {
    expect(actionName(def, 'dispatch', 'dispatch')).toBe('派遣到单位')
    expect(actionName(null, 'handle', 'request_extension')).toBe('申请延期')
    expect(actionName(def, 'x', 'merge')).toBe('合并重复线索')
    expect(actionName(def, 'x', 'custom')).toBe('custom')
    expect(actionName(def, 'x', null)).toBe('-')
  })
})

describe('intakeMessage', () => {
  it('says what the intake did', () => {
    expect(intakeMessage({ case_no: 'LS2026000001', dedup: 'new', merged_into: null })).toBe('线索已录入，新建案件 LS2026000001')
    expect(intakeMessage({ case_no: 'LS2026000001', dedup: 'merged', merged_into: 'LS2026000001' })).toBe(
      '线索已录入，已自动合并到案件 LS2026000001',
    )
    expect(intakeMessage({ case_no: 'LS2026000009', dedup: 'suspected' })).toContain('疑似与已有案件重复')
  })
})
