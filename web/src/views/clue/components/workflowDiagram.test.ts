import { describe, expect, it } from 'vitest'
import type { Definition } from '@/api/clue/workflow-types'
import {
  activityTooltip,
  blocks,
  buildDiagram,
  canvasSize,
  MIN_SCALE,
  DIAGRAM_COLORS,
  edgeCurveness,
  edgeLabel,
  edgeMidpoint,
  escapeHtml,
  transitionTooltip,
} from './workflowDiagram'

const def: Definition = {
  start: 'a',
  activities: [
    { key: 'a', name: '受理', kind: 'task', assignee: { kind: 'responsible' }, x: 0, y: 0 },
    { key: 'b', name: '处置', kind: 'task', assignee: { kind: 'responsible' }, x: 180, y: 0 },
    { key: 'c', name: '结案', kind: 'task', assignee: { kind: 'responsible' }, x: 360, y: 0 },
    { key: 'end', name: '已结案', kind: 'end', x: 540, y: 0 },
  ],
  transitions: [
    { from: 'a', to: 'b', action: 'go', label: '受理', auto: true, conditions: [{ field: 'dedup', op: 'in', values: ['new'] }] },
    { from: 'a', to: 'b', action: 'go', label: '受理' },
    { from: 'b', to: 'ghost', action: 'x', label: '坏线' },
    { from: 'c', to: 'a', action: 'back', label: '退回' },
    { from: 'b', to: 'a', action: 'ret', label: '退回' },
    { from: 'c', to: 'end', action: 'close', label: '结案' },
  ],
}

describe('edge labels', () => {
  it('marks conditional and automatic transitions', () => {
    expect(edgeLabel({ label: '派遣', auto: true, conditions: [{ field: 'graded', op: 'in', values: ['yes'] }] })).toBe('◆ 派遣（自动）')
    expect(edgeLabel({ label: '派遣' })).toBe('派遣')
  })
})

describe('buildDiagram', () => {
  it('maps chart items back to activities and transitions, skipping broken edges', () => {
    const m = buildDiagram(def)
    expect(m.nodeKeys).toEqual(['a', 'b', 'c', 'end'])
    expect(m.edgeTransitions).toEqual([0, 1, 3, 4, 5])
    expect(m.edges.map((e) => `${e.source}>${e.target}`)).toEqual(['a>b', 'a>b', 'c>a', 'b>a', 'c>end'])
    // One label node per drawn edge after the activities.
    expect(m.nodes).toHaveLength(4 + 5)
    expect(m.nodeRefs[4]).toEqual({ kind: 'transition', index: 0 })
    expect(m.nodeRefs[6]).toEqual({ kind: 'transition', index: 3 })
    expect(m.nodeLabels[4]).toBe('◆ 受理（自动）')
    expect(m.nodeRefs[0]).toEqual({ kind: 'activity', key: 'a' })
    expect(m.edges[0].lineStyle.type).toBe('dashed')
    expect(m.edges[1].lineStyle.type).toBe('solid')
    expect(m.nodes[3].symbol).toBe('circle')
    expect(m.nodes[0].symbol).toMatch(/^path:\/\//)
  })

  it('highlights current, visited and selected items', () => {
    const m = buildDiagram(def, { current: 'b', visited: ['a', 'b'], selected: 'c', selectedTransition: 5 })
    expect(m.nodes[1].itemStyle.color).toBe(DIAGRAM_COLORS.primary)
    expect(m.nodes[1].label.color).toBe('#fff')
    expect(m.nodes[0].itemStyle.color).toBe(DIAGRAM_COLORS.visitedFill)
    expect(m.nodes[2].itemStyle.borderColor).toBe(DIAGRAM_COLORS.selected)
    expect(m.edges[4].lineStyle.color).toBe(DIAGRAM_COLORS.selected)
    expect(m.edges[4].lineStyle.width).toBe(3)
    expect(m.nodes[8].label.borderColor).toBe(DIAGRAM_COLORS.selected)
  })

  it('draws a duplicated key once', () => {
    const d: Definition = { ...def, activities: [...def.activities, { key: 'a', name: '重复', kind: 'task', x: 0, y: 100 }] }
    expect(buildDiagram(d).nodeKeys).toEqual(['a', 'b', 'c', 'end'])
  })
})

describe('edge curveness', () => {
  const pos = new Map([
    ['a', { x: 0, y: 0 }],
    ['b', { x: 180, y: 0 }],
    ['c', { x: 360, y: 0 }],
  ])

  it('keeps a lone edge straight and bends one that runs through a node', () => {
    expect(edgeCurveness(pos, [['a', 'b']])).toEqual([0])
    expect(edgeCurveness(pos, [['c', 'a']])).toEqual([0.3])
    expect(blocks({ x: 180, y: 10 }, { x: 0, y: 0 }, { x: 360, y: 0 })).toBe(true)
    expect(blocks({ x: 180, y: 100 }, { x: 0, y: 0 }, { x: 360, y: 0 })).toBe(false)
  })

  it('fans out parallel edges and puts opposite edges on opposite sides', () => {
    expect(edgeCurveness(pos, [['a', 'b'], ['a', 'b']])).toEqual([0.25, -0.25])
    // The same curveness bends a reversed edge to the other side: a→b and b→a both 0.25 do not overlap.
    expect(edgeCurveness(pos, [['a', 'b'], ['b', 'a']])).toEqual([0.25, 0.25])
    expect(edgeCurveness(pos, [['a', 'b'], ['a', 'b'], ['b', 'a']])).toEqual([0.25, -0.25, -0.5])
  })

  it('finds the middle of straight and curved edges', () => {
    expect(edgeMidpoint({ x: 0, y: 0 }, { x: 200, y: 0 }, 0)).toEqual({ x: 100, y: 0 })
    // Control point (100, -50): the curve's middle is halfway between it and the chord's middle.
    expect(edgeMidpoint({ x: 0, y: 0 }, { x: 200, y: 0 }, 0.25)).toEqual({ x: 100, y: -25 })
  })
})

describe('tooltips', () => {
  it('escapes html and describes items in Chinese', () => {
    expect(escapeHtml('<b>&"\'')).toBe('&lt;b&gt;&amp;&quot;&#39;')
    const a = activityTooltip(def, { ...def.activities[0], name: '<受理>' })
    expect(a).toContain('&lt;受理&gt;')
    expect(a).toContain('案件从此节点开始')
    expect(a).toContain('案件责任单位')
    const t = transitionTooltip(def, def.transitions[0])
    expect(t).toContain('受理 → 处置')
    expect(t).toContain('自动流转')
    expect(t).toContain('去重结果为 新线索（不重复）')
  })
})

describe('canvas size', () => {
  const row = (n: number) => Array.from({ length: n }, (_, i) => ({ x: i * 180, y: 200 }))

  it('fits the viewport when the nodes stay far enough apart', () => {
    const c = canvasSize(row(4), { width: 900, height: 400 }) // 540 units wide → scale 1 (capped)
    expect(c.scale).toBe(1)
    expect(c.width).toBe(540 + 120)
  })

  it('grows (and scrolls) rather than squeezing a wide diagram', () => {
    const c = canvasSize(row(8), { width: 700, height: 400 }) // 1260 units
    expect(c.scale).toBe(MIN_SCALE)
    expect(c.width).toBe(Math.round(1260 * MIN_SCALE + 120))
    expect(c.width).toBeGreaterThan(700)
  })

  it('handles empty and single-node diagrams', () => {
    expect(canvasSize([], { width: 500, height: 300 })).toEqual({ width: 500, height: 300, scale: 1 })
    const one = canvasSize([{ x: 10, y: 10 }], { width: 500, height: 300 })
    expect(one.width).toBeGreaterThanOrEqual(240)
    expect(one.height).toBeGreaterThanOrEqual(160)
  })
})
