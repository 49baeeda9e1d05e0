import { describe, expect, it } from 'vitest'
import type { Definition } from '@/api/clue/workflow-types'
import {
  activityKeyProblem,
  addActivity,
  addTransition,
  assigneeOf,
  assigneeText,
  canonicalDefinition,
  clauseText,
  cloneDefinition,
  conditionsText,
  freePosition,
  localProblems,
  removeActivity,
  removeTransition,
  renameActivity,
  sameDefinition,
  setActivityKind,
  setAuto,
  timeLimitOf,
  timeLimitText,
  transitionsOf,
  uniqueKey,
  valueLabeler,
} from './definition'

function sample(): Definition {
  return {
    start: 'receive',
    activities: [
      {
        key: 'receive',
        name: '受理',
        kind: 'task',
        stage: 'receive',
        assignee: { kind: 'permission', permission: 'clue:case:dispatch' },
        time_limit: { kind: 'stage_rule', default_minutes: 60 },
        x: 80,
        y: 200,
      },
      {
        key: 'handle',
        name: '处置',
        kind: 'task',
        stage: 'handle',
        assignee: { kind: 'responsible' },
        time_limit: { kind: 'responsibility' },
        x: 260,
        y: 200,
      },
      { key: 'closed', name: '已结案', kind: 'end', status: 'closed', x: 440, y: 200 },
    ],
    transitions: [
      { from: 'receive', to: 'handle', action: 'accept', label: '受理', auto: true, conditions: [{ field: 'dedup', op: 'in', values: ['new'] }] },
      { from: 'receive', to: 'handle', action: 'accept', label: '受理' },
      { from: 'handle', to: 'closed', action: 'close', label: '结案', comment_required: true },
      { from: 'handle', to: 'receive', action: 'return', label: '退回', effect: 'return' },
    ],
  }
}

describe('condition summaries', () => {
  it('describes each operator in Chinese', () => {
    expect(clauseText({ field: 'dedup', op: 'in', values: ['new'] })).toBe('去重结果为 新线索（不重复）')
    expect(clauseText({ field: 'severity', op: 'in', values: ['urgent', 'high'] })).toBe('紧急程度为 urgent、high 之一')
    expect(clauseText({ field: 'category_kind', op: 'not_in', values: ['enforcement'] })).toBe('分类性质不为 执法')
    expect(clauseText({ field: 'region', op: 'prefix', values: ['331102', '331121'] })).toBe('区域代码以 331102 或 331121 开头')
    expect(clauseText({ field: 'graded', op: 'in', values: [' ', ''] })).toBe('已分级（未填写取值）')
  })

  it('uses names from the configuration when known', () => {
    const label = valueLabeler({ region: new Map([['331102', '莲都区']]), severity: new Map([['urgent', '紧急']]) })
    expect(clauseText({ field: 'region', op: 'prefix', values: ['331102'] }, label)).toBe('区域代码以 莲都区 开头')
    expect(clauseText({ field: 'severity', op: 'in', values: ['urgent', 'x'] }, label)).toBe('紧急程度为 紧急、x 之一')
    expect(clauseText({ field: 'tier', op: 'in', values: ['city'] }, label)).toBe('处置层级为 市级')
  })

  it('joins all conditions and names the empty case', () => {
    expect(conditionsText([], undefined, '全部新案件')).toBe('全部新案件')
    expect(conditionsText(undefined)).toBe('无条件')
    expect(
      conditionsText([
        { field: 'dedup', op: 'in', values: ['suspected'] },
        { field: 'graded', op: 'in', values: ['no'] },
      ]),
    ).toBe('去重结果为 疑似重复；已分级为 否（待人工分级）')
  })
})

describe('time limits and assignees', () => {
  it('shows minutes as hours and minutes', () => {
    expect(timeLimitText(null)).toBe('不限时')
    expect(timeLimitText({ kind: 'fixed', minutes: 240 })).toBe('固定时限 4 小时')
    expect(timeLimitText({ kind: 'fixed', minutes: 90 })).toBe('固定时限 1 小时 30 分')
    expect(timeLimitText({ kind: 'fixed', minutes: 45 })).toBe('固定时限 45 分')
    expect(timeLimitText({ kind: 'stage_rule', default_minutes: 60 })).toBe('按分类处置规则（未配置时 1 小时）')
    expect(timeLimitText({ kind: 'responsibility' })).toContain('权责清单')
  })

  it('keeps the minutes when switching the kind of limit', () => {
    expect(timeLimitOf('stage_rule', { kind: 'fixed', minutes: 240 })).toEqual({ kind: 'stage_rule', default_minutes: 240 })
    expect(timeLimitOf('fixed', { kind: 'stage_rule', default_minutes: 30 })).toEqual({ kind: 'fixed', minutes: 30 })
    expect(timeLimitOf('fixed', null)).toEqual({ kind: 'fixed', minutes: 60 })
    expect(timeLimitOf('none', { kind: 'fixed', minutes: 30 })).toBeNull()
    expect(timeLimitOf('responsibility')).toEqual({ kind: 'responsibility' })
  })

  it('describes and switches assignees', () => {
    expect(assigneeText({ kind: 'permission', permission: 'clue:case:dispatch' })).toContain('调度分级')
    expect(assigneeText({ kind: 'department', department_id: 7 }, (id) => (id === 7 ? '莲都区综合执法局' : undefined))).toBe(
      '莲都区综合执法局',
    )
    expect(assigneeText({ kind: 'department', department_id: 8 })).toBe('部门 #8')
    expect(assigneeText(null)).toBe('未指定')
    expect(assigneeOf('department', { kind: 'permission', permission: 'a:b:c' })).toEqual({ kind: 'department', department_id: 0 })
    expect(assigneeOf('permission', { kind: 'permission', permission: 'a:b:c' })).toEqual({ kind: 'permission', permission: 'a:b:c' })
  })
})

describe('keys', () => {
  it('checks format and uniqueness', () => {
    const d = sample()
    expect(activityKeyProblem(d, 'verify')).toBeNull()
    expect(activityKeyProblem(d, 'Verify')).toContain('小写字母')
    expect(activityKeyProblem(d, '1abc')).toContain('小写字母')
    expect(activityKeyProblem(d, 'handle')).toBe('节点标识已存在')
    expect(activityKeyProblem(d, 'handle', 'handle')).toBeNull()
    expect(activityKeyProblem(d, 'a'.repeat(41))).not.toBeNull()
  })

  it('finds a free key', () => {
    expect(uniqueKey(['a', 'b'], 'c')).toBe('c')
    expect(uniqueKey(['node', 'node_2'], 'node')).toBe('node_3')
  })
})

describe('definition edits', () => {
  it('adds an activity next to another one without overlapping', () => {
    const d = sample()
    const key = addActivity(d, 'receive')
    const a = d.activities.find((x) => x.key === key)
    expect(key).toBe('node_4')
    expect(a?.kind).toBe('task')
    expect(a?.assignee).toEqual({ kind: 'permission', permission: 'clue:case:dispatch' })
    // Right of 受理 is 处置 (260, 200): moved down a row.
    expect([a?.x, a?.y]).toEqual([260, 340])
    expect(freePosition({ start: '', activities: [], transitions: [] })).toEqual({ x: 80, y: 200 })
  })

  it('makes the first activity of an empty definition the start', () => {
    const d: Definition = { start: '', activities: [], transitions: [] }
    const key = addActivity(d)
    expect(d.start).toBe(key)
  })

  it('removes an activity with its transitions and moves the start', () => {
    const d = sample()
    expect(removeActivity(d, 'handle')).toBe(4)
    expect(d.activities.map((a) => a.key)).toEqual(['receive', 'closed'])
    expect(d.transitions).toEqual([])
    const e = sample()
    expect(removeActivity(e, 'receive')).toBe(3)
    expect(e.start).toBe('handle')
    expect(e.transitions.map((t) => t.action)).toEqual(['close'])
  })

  it('renames an activity everywhere', () => {
    const d = sample()
    renameActivity(d, 'receive', 'intake')
    expect(d.start).toBe('intake')
    expect(d.transitions.filter((t) => t.from === 'intake' || t.to === 'intake')).toHaveLength(3)
    expect(d.activities[0].key).toBe('intake')
  })

  it('adds and removes transitions', () => {
    const d = sample()
    const i = addTransition(d, 'handle', null)
    expect(d.transitions[i]).toMatchObject({ from: 'handle', to: 'receive', action: 'action', label: '新动作', auto: false })
    const j = addTransition(d, 'handle', 'closed')
    expect(d.transitions[j]).toMatchObject({ from: 'handle', to: 'closed', action: 'action_2' })
    expect(transitionsOf(d, 'handle')).toEqual({ out: [2, 3, 4, 5], in: [0, 1] })
    removeTransition(d, i)
    expect(d.transitions).toHaveLength(5)
    removeTransition(d, 99)
    expect(d.transitions).toHaveLength(5)
    expect(addTransition({ start: '', activities: [], transitions: [] })).toBe(-1)
  })

  it('switches kinds and auto, dropping what is not allowed', () => {
    const d = sample()
    const a = d.activities[1]
    setActivityKind(a, 'end')
    expect(a.assignee).toBeNull()
    expect(a.time_limit).toBeNull()
    setActivityKind(a, 'task')
    expect(a.assignee?.kind).toBe('permission')
    const t = d.transitions[3]
    t.comment_required = true
    setAuto(t, true)
    expect(t).toMatchObject({ auto: true, effect: null, comment_required: false })
  })
})

describe('canonical form', () => {
  it('fills defaults so equal definitions compare equal', () => {
    const a = sample()
    const b = canonicalDefinition(cloneDefinition(a))
    expect(b.transitions[1]).toEqual({
      from: 'receive',
      to: 'handle',
      action: 'accept',
      label: '受理',
      auto: false,
      conditions: [],
      effect: null,
      comment_required: false,
    })
    expect(b.activities[2]).toMatchObject({ assignee: null, time_limit: null, stage: null, status: 'closed' })
    expect(sameDefinition(a, b)).toBe(true)
  })

  it('notices real changes and ignores surrounding spaces', () => {
    const a = sample()
    const b = cloneDefinition(a)
    b.activities[0].name = ' 受理 '
    expect(sameDefinition(a, b)).toBe(true)
    b.activities[0].x = 100
    expect(sameDefinition(a, b)).toBe(false)
  })

  it('lists local problems', () => {
    const d = sample()
    d.activities.push({ key: 'Bad', name: '坏', kind: 'task', assignee: { kind: 'department', department_id: 0 } })
    d.transitions[0].conditions = [{ field: 'severity', op: 'in', values: [] }]
    const msgs = localProblems(d).map((p) => p.message)
    expect(msgs).toEqual(['节点“坏”的标识格式不正确', '节点“坏”未选择指定部门', '连线“受理”有未填写取值的条件'])
  })
})
