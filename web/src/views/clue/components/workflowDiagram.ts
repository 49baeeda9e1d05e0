// The data of the workflow diagram (WorkflowDiagram.vue) as plain objects for an ECharts `graph`
// series with `layout: 'none'`: one node per activity at its x/y, one edge per transition. ECharts
// turns edge labels along their line (vertical text on vertical edges), so each transition's label
// is drawn instead by a symbol-less "label node" at the middle of its (possibly curved) edge, which
// also makes the label clickable. Pure, so the mapping from chart items back to activities and
// transitions is testable.
import type { Activity, Definition, Transition } from '@/api/clue/workflow-types'
import {
  assigneeText,
  conditionsText,
  EFFECT_LABELS,
  stageText,
  statusText,
  timeLimitText,
  type ValueLabeler,
} from '../workflow/definition'

export const DIAGRAM_COLORS = {
  primary: '#409EFF',
  primaryDark: '#1f5fbf',
  taskFill: '#f4f8ff',
  taskBorder: '#79bbff',
  endFill: '#f4f4f5',
  endBorder: '#909399',
  visitedFill: '#e1f3d8',
  visitedBorder: '#67C23A',
  selected: '#E6A23C',
  edge: '#a8abb2',
  edgeAuto: '#b1b3b8',
  text: '#303133',
  textMuted: '#606266',
} as const

/** Size of the (square) box a task's rounded rectangle is drawn in, keeping its 7:4 aspect. */
export const TASK_BOX = 78
export const END_SIZE = 48
/** Text width inside a task (wraps to a second line). */
export const TASK_LABEL_WIDTH = 68
/** A rounded rectangle, 7:4: with `symbolKeepAspect` in a square box the arrows of horizontal
 * edges end exactly at its left/right border (ECharts clips edges at a circle of the box size). */
export const TASK_SYMBOL = 'path://M8,0 L132,0 Q140,0 140,8 L140,72 Q140,80 132,80 L8,80 Q0,80 0,72 L0,8 Q0,0 8,0 Z'

export interface DiagramState {
  current?: string | null
  visited?: readonly string[] | null
  selected?: string | null
  selectedTransition?: number | null
}

export interface DiagramNode {
  id: string
  name: string
  x: number
  y: number
  symbol: string
  symbolSize: number
  symbolKeepAspect: boolean
  itemStyle: {
    color: string
    borderColor: string
    borderWidth: number
    shadowBlur?: number
    shadowColor?: string
  }
  label: {
    color: string
    fontWeight: 'normal' | 'bold'
    position?: 'inside' | 'bottom'
    width?: number
    overflow?: 'break' | 'truncate'
    lineHeight?: number
    fontSize?: number
    backgroundColor?: string
    borderColor?: string
    borderWidth?: number
    padding?: number[]
    borderRadius?: number
  }
}

/** What a chart node stands for. */
export type NodeRef = { kind: 'activity'; key: string } | { kind: 'transition'; index: number }

export interface DiagramEdge {
  source: string
  target: string
  lineStyle: { color: string; width: number; type: 'solid' | 'dashed'; curveness: number }
}

export interface DiagramModel {
  /** Activity nodes first, then one label node per drawn edge. */
  nodes: DiagramNode[]
  edges: DiagramEdge[]
  /** What each node is (chart dataIndex → activity key or transition index). */
  nodeRefs: NodeRef[]
  /** Activity keys of the activity nodes, in order. */
  nodeKeys: string[]
  /** Index in `definition.transitions` of each edge (chart dataIndex → transition). */
  edgeTransitions: number[]
  /** Label text of each node (activity name or transition label). */
  nodeLabels: string[]
}

/** `◆ 派遣（自动）`: ◆ marks a conditional transition, `（自动）` an automatic one. */
export function edgeLabel(t: Pick<Transition, 'label' | 'auto' | 'conditions'>): string {
  const cond = (t.conditions?.length ?? 0) > 0 ? '◆ ' : ''
  return `${cond}${t.label}${t.auto ? '（自动）' : ''}`
}

interface Point {
  x: number
  y: number
}

function pos(a: Activity): Point {
  return { x: Number.isFinite(a.x) ? (a.x as number) : 0, y: Number.isFinite(a.y) ? (a.y as number) : 0 }
}

/** Whether `p` lies close to the straight segment a–b, between its ends (it would hide the line). */
export function blocks(p: Point, a: Point, b: Point, tolerance = 30): boolean {
  const dx = b.x - a.x
  const dy = b.y - a.y
  const len2 = dx * dx + dy * dy
  if (len2 === 0) return false
  const t = ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2
  if (t <= 0.05 || t >= 0.95) return false
  const cx = a.x + t * dx
  const cy = a.y + t * dy
  return Math.hypot(p.x - cx, p.y - cy) < tolerance
}

/**
 * Curveness of each edge: 0 for a lone straight edge; edges between the same two activities
 * (either direction) fan out on alternating sides; a lone edge that would run through another
 * activity bends around it. `edges` are [from, to] keys of drawable transitions.
 */
export function edgeCurveness(positions: ReadonlyMap<string, Point>, edges: readonly (readonly [string, string])[]): number[] {
  const groups = new Map<string, number[]>()
  edges.forEach(([from, to], i) => {
    const key = from < to ? `${from}\u0000${to}` : `${to}\u0000${from}`
    const list = groups.get(key)
    if (list) list.push(i)
    else groups.set(key, [i])
  })
  const out = edges.map(() => 0)
  for (const members of groups.values()) {
    const [from0, to0] = edges[members[0]]
    const a = positions.get(from0)
    const b = positions.get(to0)
    const obstructed =
      !!a &&
      !!b &&
      [...positions].some(([k, p]) => k !== from0 && k !== to0 && blocks(p, a, b))
    if (members.length === 1) {
      out[members[0]] = obstructed ? 0.3 : 0
      continue
    }
    // Sides in the direction of the group's first edge: +s, -s, +2s, -2s …
    members.forEach((edgeIndex, j) => {
      const step = Math.floor(j / 2) + 1
      let side = (j % 2 === 0 ? 1 : -1) * step * 0.25
      if (obstructed) side += Math.sign(side) * 0.1
      // A reversed edge bends to the other side for the same curveness: flip it.
      const [from] = edges[edgeIndex]
      out[edgeIndex] = from === from0 ? side : -side
    })
  }
  return out
}

/** The middle of an edge as ECharts draws it (a quadratic curve when `curveness` ≠ 0). */
export function edgeMidpoint(p1: Point, p2: Point, curveness: number): Point {
  const mx = (p1.x + p2.x) / 2
  const my = (p1.y + p2.y) / 2
  if (!curveness) return { x: mx, y: my }
  // Control point as in echarts/lib/chart/graph/simpleLayoutHelper; the curve's middle lies halfway to it.
  const cx = mx - (p1.y - p2.y) * curveness
  const cy = my - (p2.x - p1.x) * curveness
  return { x: (mx + cx) / 2, y: (my + cy) / 2 }
}

/** Nodes and edges of `def`; transitions to or from unknown activities are not drawn. */
export function buildDiagram(def: Definition, state: DiagramState = {}): DiagramModel {
  const visited = new Set(state.visited ?? [])
  const nodes: DiagramNode[] = []
  const nodeKeys: string[] = []
  const nodeLabels: string[] = []
  const positions = new Map<string, Point>()

  for (const a of def.activities) {
    if (positions.has(a.key)) continue // a duplicate key (mid-edit): draw the first only
    const p = pos(a)
    positions.set(a.key, p)
    const end = a.kind === 'end'
    const current = state.current === a.key
    const isVisited = !current && visited.has(a.key)
    const selected = state.selected === a.key
    const start = def.start === a.key
    let color: string = end ? DIAGRAM_COLORS.endFill : DIAGRAM_COLORS.taskFill
    let borderColor: string = end ? DIAGRAM_COLORS.endBorder : DIAGRAM_COLORS.taskBorder
    let borderWidth = start ? 2.5 : 1.5
    if (start) borderColor = DIAGRAM_COLORS.primaryDark
    if (isVisited) {
      color = DIAGRAM_COLORS.visitedFill
      borderColor = DIAGRAM_COLORS.visitedBorder
    }
    if (current) {
      color = DIAGRAM_COLORS.primary
      borderColor = DIAGRAM_COLORS.primaryDark
    }
    if (selected) {
      borderColor = DIAGRAM_COLORS.selected
      borderWidth = 3
    }
    const longEndName = end && [...a.name].length > 3
    nodes.push({
      id: a.key,
      name: a.name,
      x: p.x,
      y: p.y,
      symbol: end ? 'circle' : TASK_SYMBOL,
      symbolSize: end ? END_SIZE : TASK_BOX,
      symbolKeepAspect: !end,
      itemStyle: {
        color,
        borderColor,
        borderWidth,
        ...(current ? { shadowBlur: 12, shadowColor: 'rgba(64, 158, 255, 0.55)' } : {}),
      },
      label: {
        color: current ? '#fff' : end && !longEndName ? DIAGRAM_COLORS.textMuted : DIAGRAM_COLORS.text,
        fontWeight: current || start ? 'bold' : 'normal',
        position: longEndName ? 'bottom' : 'inside',
        ...(end ? {} : { width: TASK_LABEL_WIDTH, overflow: 'break' as const, lineHeight: 14 }),
      },
    })
    nodeKeys.push(a.key)
    nodeLabels.push(a.name || a.key)
  }

  const drawable: (readonly [string, string])[] = []
  const edgeTransitions: number[] = []
  def.transitions.forEach((t, i) => {
    if (positions.has(t.from) && positions.has(t.to)) {
      drawable.push([t.from, t.to])
      edgeTransitions.push(i)
    }
  })
  const curveness = edgeCurveness(positions, drawable)
  const edges: DiagramEdge[] = []
  const nodeRefs: NodeRef[] = nodeKeys.map((key) => ({ kind: 'activity', key }))
  edgeTransitions.forEach((ti, j) => {
    const t = def.transitions[ti]
    const selected = state.selectedTransition === ti
    edges.push({
      source: t.from,
      target: t.to,
      lineStyle: {
        color: selected ? DIAGRAM_COLORS.selected : t.auto ? DIAGRAM_COLORS.edgeAuto : DIAGRAM_COLORS.edge,
        width: selected ? 3 : 1.5,
        type: t.auto ? 'dashed' : 'solid',
        curveness: curveness[j],
      },
    })
    const from = positions.get(t.from) as Point
    const to = positions.get(t.to) as Point
    const mid = t.from === t.to ? { x: from.x, y: from.y - 50 } : edgeMidpoint(from, to, curveness[j])
    nodes.push({
      id: `#t${ti}`,
      name: t.label,
      x: mid.x,
      y: mid.y,
      symbol: 'rect',
      symbolSize: 1,
      symbolKeepAspect: false,
      itemStyle: { color: 'rgba(0, 0, 0, 0)', borderColor: 'rgba(0, 0, 0, 0)', borderWidth: 0 },
      label: {
        color: selected ? '#b88230' : t.auto ? DIAGRAM_COLORS.textMuted : DIAGRAM_COLORS.text,
        fontWeight: selected ? 'bold' : 'normal',
        position: 'inside',
        fontSize: 11,
        backgroundColor: selected ? '#fdf6ec' : 'rgba(255, 255, 255, 0.92)',
        borderColor: selected ? DIAGRAM_COLORS.selected : 'rgba(0, 0, 0, 0)',
        borderWidth: selected ? 1 : 0,
        padding: [2, 4],
        borderRadius: 3,
      },
    })
    nodeRefs.push({ kind: 'transition', index: ti })
    nodeLabels.push(edgeLabel(t))
  })

  return { nodes, edges, nodeRefs, nodeKeys, edgeTransitions, nodeLabels }
}

// ---- tooltips ----------------------------------------------------------------------------------------

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)
}

function rows(title: string, lines: [string, string][]): string {
  const body = lines.map(([k, v]) => `<div><span style="color:#909399">${escapeHtml(k)}：</span>${escapeHtml(v)}</div>`).join('')
  return `<div style="font-weight:600;margin-bottom:4px">${escapeHtml(title)}</div>${body}`
}

export interface TooltipContext {
  departmentName?: (id: number) => string | undefined
  valueLabel?: ValueLabeler
}

export function activityTooltip(def: Definition, a: Activity, ctx: TooltipContext = {}): string {
  const lines: [string, string][] = [['标识', a.key]]
  if (def.start === a.key) lines.push(['起点', '案件从此节点开始'])
  if (a.kind === 'end') {
    lines.push(['类型', '结束节点'], ['案件状态', statusText(a)])
  } else {
    lines.push(
      ['阶段', stageText(a.stage)],
      ['处理人', assigneeText(a.assignee, ctx.departmentName)],
      ['时限', timeLimitText(a.time_limit)],
    )
    if (a.status === 'suspended') lines.push(['案件状态', statusText(a)])
  }
  return rows(a.name, lines)
}

export function transitionTooltip(def: Definition, t: Transition, ctx: TooltipContext = {}): string {
  const name = (k: string) => def.activities.find((a) => a.key === k)?.name ?? k
  const lines: [string, string][] = [
    ['流向', `${name(t.from)} → ${name(t.to)}`],
    ['动作', t.action],
    ['方式', t.auto ? '自动流转（条件满足时由系统执行）' : '人工操作'],
  ]
  if ((t.conditions?.length ?? 0) > 0) lines.push(['条件', conditionsText(t.conditions, ctx.valueLabel)])
  if (t.effect) lines.push(['附加效果', EFFECT_LABELS[t.effect] ?? t.effect])
  if (t.comment_required) lines.push(['意见', '须填写办理意见'])
  return rows(t.label, lines)
}

// ---- canvas size -------------------------------------------------------------------------------------

/** Margins (px) around the drawing, for nodes and labels at the border. */
export const CANVAS_PAD = { left: 60, right: 60, top: 40, bottom: 40 } as const
/** Below this scale (px per unit) the canvas grows and scrolls instead of shrinking further. */
export const MIN_SCALE = 0.8
/** Above this scale sparse diagrams stop spreading out. */
export const MAX_SCALE = 1

/**
 * The canvas size (px) for nodes at their x/y in a viewport: fit when the scale stays within
 * [MIN_SCALE, MAX_SCALE]; larger than the viewport (it scrolls) when fitting would shrink the
 * nodes' spacing too much; smaller (centred) for a sparse diagram.
 */
export function canvasSize(
  points: readonly { x: number; y: number }[],
  viewport: { width: number; height: number },
): { width: number; height: number; scale: number } {
  const padX = CANVAS_PAD.left + CANVAS_PAD.right
  const padY = CANVAS_PAD.top + CANVAS_PAD.bottom
  if (points.length === 0) return { width: viewport.width, height: viewport.height, scale: 1 }
  const xs = points.map((p) => p.x)
  const ys = points.map((p) => p.y)
  const w = Math.max(Math.max(...xs) - Math.min(...xs), 1)
  const h = Math.max(Math.max(...ys) - Math.min(...ys), 1)
  const fit = Math.min((viewport.width - padX) / w, (viewport.height - padY) / h)
  const scale = Math.min(Math.max(fit, MIN_SCALE), MAX_SCALE)
  return {
    width: Math.max(Math.round(w * scale + padX), 240),
    height: Math.max(Math.round(h * scale + padY), 160),
    scale,
  }
}
