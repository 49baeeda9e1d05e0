// Cases of the clue center (线索中心 · 案件): list and export, detail, workflow actions, reporter
// reveal, attachments, manual entry, the personal inbox (我的待办/已办), suspected duplicates and the
// dispatcher's queue counters. Reads need clue:case:view; export clue:case:export, entry
// clue:case:create, reveal clue:case:reveal, reviews and queues clue:case:dispatch. The server
// scopes every list by the user's data scope.
//
// Also the pure helpers the case pages share: filters from a route query (links such as
// `/clue/cases?activity=dispatch&grading=pending`) and the client-side mirrors of the intake rules.
import { download, http } from '../request'
import { shanghaiDayEnd, shanghaiDayStart } from '@/utils/date'
import {
  CASE_SORTS,
  CASE_STATUSES,
  GRADINGS,
  isOneOf,
  type ActionInput,
  type CaseDetail,
  type CaseFilter,
  type CasePage,
  type CaseQuery,
  type CaseSort,
  type InboxPage,
  type InboxQuery,
  type IntakeResult,
  type ManualClueInput,
  type QueueSummary,
  type Reporter,
  type ReviewPage,
  type ReviewQuery,
} from './case-types'
import type { SortOrder } from '../types'

const BASE = '/api/clue'

// ---- cases -------------------------------------------------------------------------------------

export function listCases(query: CaseQuery): Promise<CasePage> {
  return http.get<CasePage>(`${BASE}/cases`, { ...query })
}

/** GET …/cases/export → .xlsx of the filtered list (at most 100,000 rows). */
export function exportCases(query: CaseFilter & { sort?: CaseSort; order?: SortOrder }): Promise<void> {
  return download(`${BASE}/cases/export`, { ...query }, '案件列表.xlsx')
}

export function getCase(id: number, options: { silent?: boolean } = {}): Promise<CaseDetail> {
  return http.get<CaseDetail>(`${BASE}/cases/${id}`, undefined, options)
}

/**
 * Takes an action on the case's open task; answers the updated detail. 422 with field errors
 * (`comment`, `department_id`, `hours`, `action`), 409 `no_open_task` when someone was faster.
 */
export function takeAction(id: number, body: ActionInput): Promise<CaseDetail> {
  return http.post<CaseDetail>(`${BASE}/cases/${id}/actions`, body, { silent: true })
}

/** The reporter identity of one clue in full; the server records the view in the audit log. */
export function revealReporter(caseId: number, clueId: number): Promise<Reporter> {
  return http.post<Reporter>(`${BASE}/cases/${caseId}/clues/${clueId}/reveal`)
}

/** Same-origin URL of an attachment (the session cookie authorizes it), for <img> and links. */
export function attachmentUrl(caseId: number, sha256: string): string {
  return `${BASE}/cases/${caseId}/attachments/${encodeURIComponent(sha256)}`
}

/** 线索录入. 201 with the intake result; 422 field errors; 409 `no_manual_source`. */
export function createCase(body: ManualClueInput): Promise<IntakeResult> {
  return http.post<IntakeResult>(`${BASE}/cases`, body, { silent: true })
}

// ---- inbox -------------------------------------------------------------------------------------

export function inbox(query: InboxQuery): Promise<InboxPage> {
  return http.get<InboxPage>(`${BASE}/inbox`, { ...query })
}

// ---- suspected duplicates and queues -----------------------------------------------------------

export function listReviews(query: ReviewQuery = {}): Promise<ReviewPage> {
  return http.get<ReviewPage>(`${BASE}/reviews`, { ...query })
}

/** `merge: true` merges the case into the earlier one; `false` keeps both. 409 when decided. */
export function decideReview(id: number, merge: boolean): Promise<void> {
  return http.post<void>(`${BASE}/reviews/${id}/decision`, { merge })
}

export function queueSummary(options: { silent?: boolean } = {}): Promise<QueueSummary> {
  return http.get<QueueSummary>(`${BASE}/queues`, undefined, options)
}

// ---- filters from a route query ----------------------------------------------------------------

/** vue-router's LocationQuery, without importing the router here. */
export type RouteQuery = Record<string, string | null | undefined | (string | null)[]>

function first(q: RouteQuery, key: string): string | undefined {
  const v = q[key]
  const s = Array.isArray(v) ? v[0] : v
  return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined
}

function positiveInt(s: string | undefined): number | undefined {
  if (s === undefined || !/^\d{1,15}$/.test(s)) return undefined
  const n = Number(s)
  return n > 0 ? n : undefined
}

function bool(s: string | undefined): boolean | undefined {
  if (s === 'true' || s === '1') return true
  if (s === 'false' || s === '0') return false
  return undefined
}

/** Milliseconds, or a `YYYY-MM-DD` day in Asia/Shanghai (its start, or its end when `end`). */
function time(s: string | undefined, end: boolean): number | undefined {
  if (s === undefined) return undefined
  if (/^\d{1,15}$/.test(s)) return Number(s)
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    try {
      return end ? shanghaiDayEnd(s) : shanghaiDayStart(s)
    } catch {
      return undefined
    }
  }
  return undefined
}

export const ACTIVITY_KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/
export const REGION_CODE_PATTERN = /^\d{6}(\d{3})?$/

/**
 * The case-list filters a link carries in its query (`?activity=dispatch&grading=pending`,
 * `?overdue=true`, `?returned=true`, `?region_code=331102&from=2026-11-01`). Unknown keys and
 * malformed values are ignored, so a bad link opens the unfiltered list rather than an error.
 */
export function caseFilterFromRoute(query: RouteQuery): CaseFilter {
  const f: CaseFilter = {}
  const q = first(query, 'q')
  if (q) f.q = q.slice(0, 100)
  for (const key of ['category_id', 'case_type_id', 'severity_id', 'source_id', 'department_id'] as const) {
    const n = positiveInt(first(query, key))
    if (n !== undefined) f[key] = n
  }
  const region = first(query, 'region_code')
  if (region && REGION_CODE_PATTERN.test(region)) f.region_code = region
  const status = first(query, 'status')
  if (isOneOf(CASE_STATUSES, status)) f.status = status
  const activity = first(query, 'activity')
  if (activity && ACTIVITY_KEY_PATTERN.test(activity)) f.activity = activity
  const grading = first(query, 'grading')
  if (isOneOf(GRADINGS, grading)) f.grading = grading
  const from = time(first(query, 'from'), false)
  const to = time(first(query, 'to'), true)
  if (from !== undefined) f.from = from
  if (to !== undefined) f.to = to
  for (const key of ['overdue', 'returned', 'extended'] as const) {
    const b = bool(first(query, key))
    if (b !== undefined) f[key] = b
  }
  return f
}

/** A sort from the route (`?sort=due_at&order=asc`), or null. */
export function caseSortFromRoute(query: RouteQuery): { sort: CaseSort; order: SortOrder } | null {
  const sort = first(query, 'sort')
  if (!isOneOf(CASE_SORTS, sort)) return null
  return { sort, order: first(query, 'order') === 'asc' ? 'asc' : 'desc' }
}

// ---- client-side mirrors of the intake rules (the server stays authoritative) ----------------

/** Lishui's extent (WGS84) with the server's margin: coordinates outside are rejected. */
export const LISHUI_BOUNDS = { lon: [118.6, 120.6], lat: [27.3, 29.0] } as const

export function inLishui(lon: number, lat: number): boolean {
  return (
    lon >= LISHUI_BOUNDS.lon[0] && lon <= LISHUI_BOUNDS.lon[1] && lat >= LISHUI_BOUNDS.lat[0] && lat <= LISHUI_BOUNDS.lat[1]
  )
}

/** Mainland mobile (11 digits) or landline with area code; spaces, `-` and `+86` are allowed. */
export function normalizePhone(s: string): string | null {
  let t = s.replace(/[\s-]/g, '')
  if (t.startsWith('+86')) t = t.slice(3)
  if (!/^\d+$/.test(t)) return null
  const mobile = t.length === 11 && /^1[3-9]/.test(t)
  const landline = t.length >= 10 && t.length <= 12 && t.startsWith('0')
  return mobile || landline ? t : null
}

const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** Unified social credit code (GB 32100): 18 characters with a valid check character. */
export function isCreditCode(s: string): boolean {
  const t = s.trim().toUpperCase()
  if (t.length !== 18) return false
  const vals = [...t].map((c) => CREDIT_CHARS.indexOf(c))
  if (vals.some((v) => v < 0)) return false
  const sum = vals.slice(0, 17).reduce((acc, v, i) => acc + v * CREDIT_WEIGHTS[i], 0)
  return vals[17] === (31 - (sum % 31)) % 31
}

/** Trimmed length in characters (code points, as the server counts). */
export function charCount(s: string): number {
  return [...s.trim()].length
}
