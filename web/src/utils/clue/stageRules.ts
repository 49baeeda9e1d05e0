// Stage rules of a category (受理 → 结案): a time limit in minutes and a requirement per stage.
// A minor category inherits, stage by stage, what it does not set itself from its major: a null
// time limit takes the major's, an empty requirement shows the major's. The server stores only what
// is set; the UI always shows seven rows and greys the inherited values.
import { isStage, STAGES, type Stage, type StageRule } from '@/api/clue/types'

/** A stage rule as it may arrive from the wire (the generated schema types `stage` as string). */
export interface StageRuleLike {
  stage: string
  time_limit_minutes?: number | null
  requirement?: string | null
}

/** One of the seven rows of the editor: the category's own values. */
export interface StageRow {
  stage: Stage
  /** null: not set here (inherit for a minor, no limit for a major). */
  time_limit_minutes: number | null
  requirement: string
}

/** A row as displayed: the own values plus the effective ones and where they come from. */
export interface EffectiveStage extends StageRow {
  /** The value in force: own, else the parent's. */
  effective_minutes: number | null
  effective_requirement: string
  time_inherited: boolean
  requirement_inherited: boolean
}

function validMinutes(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : null
}

/**
 * Seven rows in stage order from a partial, unordered list. Unknown stages are dropped; when a
 * stage appears twice the first entry wins.
 */
export function stageRows(rules: readonly StageRuleLike[] | null | undefined): StageRow[] {
  const byStage = new Map<Stage, StageRuleLike>()
  for (const r of rules ?? []) {
    if (isStage(r.stage) && !byStage.has(r.stage)) byStage.set(r.stage, r)
  }
  return STAGES.map((stage) => {
    const r = byStage.get(stage)
    return {
      stage,
      time_limit_minutes: validMinutes(r?.time_limit_minutes),
      requirement: r?.requirement ?? '',
    }
  })
}

/**
 * The rows of a category with what it inherits from `parent` (its major's rules; null for a major,
 * which inherits nothing).
 */
export function effectiveStageRules(
  own: readonly StageRuleLike[] | null | undefined,
  parent: readonly StageRuleLike[] | null | undefined,
): EffectiveStage[] {
  const mine = stageRows(own)
  const theirs = parent ? stageRows(parent) : null
  return mine.map((row, i) => {
    const p = theirs?.[i]
    const timeInherited = row.time_limit_minutes === null && p !== undefined && p.time_limit_minutes !== null
    const reqInherited = row.requirement.trim() === '' && p !== undefined && p.requirement.trim() !== ''
    return {
      ...row,
      effective_minutes: timeInherited && p ? p.time_limit_minutes : row.time_limit_minutes,
      effective_requirement: reqInherited && p ? p.requirement : row.requirement,
      time_inherited: timeInherited,
      requirement_inherited: reqInherited,
    }
  })
}

/** What to send: only the stages with an own time limit or requirement, in stage order. */
export function compactStageRules(rows: readonly StageRow[]): StageRule[] {
  return stageRows(rows)
    .map((r) => ({ stage: r.stage, time_limit_minutes: r.time_limit_minutes, requirement: r.requirement.trim() }))
    .filter((r) => r.time_limit_minutes !== null || r.requirement !== '')
}

/** Minutes as hours + minutes for the two inputs; both null for no value. */
export function splitMinutes(total: number | null | undefined): { hours: number | null; minutes: number | null } {
  const m = validMinutes(total)
  if (m === null) return { hours: null, minutes: null }
  return { hours: Math.floor(m / 60), minutes: m % 60 }
}

/** The inputs back to minutes; null when both are empty. Negative parts count as 0. */
export function joinMinutes(hours: number | null | undefined, minutes: number | null | undefined): number | null {
  const h = typeof hours === 'number' && Number.isFinite(hours) ? Math.max(0, Math.trunc(hours)) : null
  const m = typeof minutes === 'number' && Number.isFinite(minutes) ? Math.max(0, Math.trunc(minutes)) : null
  if (h === null && m === null) return null
  return (h ?? 0) * 60 + (m ?? 0)
}

/** `2 小时 30 分`, `45 分`, `24 小时`; `empty` for null. */
export function formatMinutes(total: number | null | undefined, empty = '不限'): string {
  const m = validMinutes(total)
  if (m === null) return empty
  const h = Math.floor(m / 60)
  const rest = m % 60
  if (h === 0) return `${rest} 分`
  return rest === 0 ? `${h} 小时` : `${h} 小时 ${rest} 分`
}

/** Bounds the server accepts for a stage's own time limit: 1 minute to 365 days. */
export const STAGE_MINUTES_MAX = 365 * 24 * 60
export const STAGE_REQUIREMENT_MAX = 200

/** The first problem of the rows as Chinese text (stage named by `label`), or null. */
export function checkStageRules(rows: readonly StageRow[], label: (stage: Stage) => string): string | null {
  for (const r of rows) {
    const m = r.time_limit_minutes
    if (m !== null && (m < 1 || m > STAGE_MINUTES_MAX)) return `${label(r.stage)}时限须在 1 分钟到 365 天之间`
    if (r.requirement.trim().length > STAGE_REQUIREMENT_MAX) {
      return `${label(r.stage)}要求不超过 ${STAGE_REQUIREMENT_MAX} 个字`
    }
  }
  return null
}
