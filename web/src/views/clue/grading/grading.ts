// 分级规则 helpers: the conditions of a rule in Chinese, the unit it assigns, and the form ↔ wire
// mapping (trimmed, de-duplicated lists as the server normalises them).
import type { GradingConditions, GradingRule, SubjectType } from '@/api/clue/workflow-types'

export const SUBJECT_TYPE_LABELS: Readonly<Record<SubjectType, string>> = {
  enterprise: '企业',
  person: '个人',
  none: '无对象',
}

export const GRADING_TIER_LABELS = {
  city: '市级',
  county: '县级',
  township: '乡镇级',
} as const

/** Names of codes for the summary; unknown codes are shown as they are. */
export interface GradingNames {
  category?: (code: string) => string | undefined
  severity?: (code: string) => string | undefined
  region?: (code: string) => string | undefined
  source?: (code: string) => string | undefined
}

export interface ConditionPart {
  label: string
  text: string
}

function names(list: readonly string[] | undefined, name?: (code: string) => string | undefined): string {
  return (list ?? []).map((c) => name?.(c) ?? c).join('、')
}

/** One part per non-empty list (all must match); empty: the rule matches every case. */
export function gradingConditionParts(c: GradingConditions | null | undefined, n: GradingNames = {}): ConditionPart[] {
  if (!c) return []
  const out: ConditionPart[] = []
  if (c.categories?.length) out.push({ label: '分类', text: names(c.categories, n.category) })
  if (c.severities?.length) out.push({ label: '紧急程度', text: names(c.severities, n.severity) })
  if (c.regions?.length) out.push({ label: '区域', text: names(c.regions, n.region) })
  if (c.keywords?.length) out.push({ label: '关键词', text: c.keywords.join('、') })
  if (c.subject_types?.length) {
    out.push({
      label: '对象',
      text: c.subject_types.map((s) => SUBJECT_TYPE_LABELS[s as SubjectType] ?? s).join('、'),
    })
  }
  if (c.sources?.length) out.push({ label: '来源', text: names(c.sources, n.source) })
  return out
}

/** `分类：违法建设；区域：莲都区`, or `任意案件` when the rule has no condition. */
export function gradingConditionsText(c: GradingConditions | null | undefined, n: GradingNames = {}): string {
  const parts = gradingConditionParts(c, n)
  return parts.length ? parts.map((p) => `${p.label}：${p.text}`).join('；') : '任意案件'
}

/**
 * The unit a rule assigns: its fixed department; else, for the township tier, the township's
 * office; else the responsibility list (the engine's order).
 */
export function gradingUnitText(r: Pick<GradingRule, 'department_id' | 'department_name' | 'tier'>): string {
  if (r.department_id !== null && r.department_id !== undefined) return r.department_name || `部门 #${r.department_id}`
  return r.tier === 'township' ? '属地乡镇执法队（无则按权责清单）' : '按权责清单'
}

function clean(list: readonly string[] | undefined): string[] {
  return [...new Set((list ?? []).map((s) => s.trim()).filter((s) => s !== ''))].sort()
}

/** Trimmed, de-duplicated and sorted lists, every list present. */
export function normaliseConditions(c: GradingConditions | null | undefined): Required<GradingConditions> {
  return {
    categories: clean(c?.categories),
    severities: clean(c?.severities),
    regions: clean(c?.regions),
    keywords: clean(c?.keywords),
    subject_types: clean(c?.subject_types),
    sources: clean(c?.sources),
  }
}

/** A priority after every existing rule (max + 10). */
export function nextPriority(rules: readonly Pick<GradingRule, 'priority'>[]): number {
  const max = rules.reduce((m, r) => Math.max(m, r.priority), 0)
  return Math.min(10_000, rules.length ? max + 10 : 10)
}

/** Rules in the order they are tried: priority, then id. */
export function sortRules<T extends Pick<GradingRule, 'priority' | 'id'>>(rules: readonly T[]): T[] {
  return [...rules].sort((a, b) => a.priority - b.priority || a.id - b.id)
}
