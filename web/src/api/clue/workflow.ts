// Workflows (流程配置, F12), the working-day calendar (工作日历) and grading rules (分级规则, F13):
// reads need clue:config:view, writes clue:config:edit; every write is audited. Publishing a new
// workflow version never changes cases that started on an earlier one.
// The dispatcher's queues and suspected-duplicate reviews need clue:case:dispatch.
import { http } from '../request'
import type { PageQuery } from '../types'
import type {
  CalendarDayInput,
  CalendarInput,
  CalendarView,
  Definition,
  GradingRule,
  GradingRuleInput,
  QueueSummary,
  ReviewFilter,
  ReviewPage,
  ValidationReport,
  Workflow,
  WorkflowDetail,
  WorkflowInput,
} from './workflow-types'

const BASE = '/api/clue'

// ---- workflows -------------------------------------------------------------------------------------

/** All workflows (enabled or not). */
export function listWorkflows(): Promise<Workflow[]> {
  return http.get<Workflow[]>(`${BASE}/workflows`)
}

/** The workflow with the definition of its current version, or of `version` (404 when unknown). */
export function getWorkflow(id: number, version?: number | null): Promise<WorkflowDetail> {
  return http.get<WorkflowDetail>(`${BASE}/workflows/${id}`, { version: version ?? undefined })
}

/** Creates version 1; `definition` is required (422 otherwise), 409 for a taken code. */
export function createWorkflow(body: WorkflowInput): Promise<WorkflowDetail> {
  return http.post<WorkflowDetail>(`${BASE}/workflows`, body)
}

/**
 * Saves the header; a changed `definition` publishes a new version with `note`. The code cannot
 * change, and the last enabled workflow cannot be disabled (422).
 */
export function updateWorkflow(id: number, body: WorkflowInput): Promise<WorkflowDetail> {
  return http.put<WorkflowDetail>(`${BASE}/workflows/${id}`, body)
}

/** Checks a definition without saving it: `valid` and every problem in Chinese. */
export function validateWorkflow(definition: Definition): Promise<ValidationReport> {
  return http.post<ValidationReport>(`${BASE}/workflows/validate`, definition)
}

// ---- working calendar --------------------------------------------------------------------------------

export interface CalendarRange {
  /** `YYYY-MM-DD`; default 1 January of this year. */
  from?: string
  /** `YYYY-MM-DD`; default 31 December of next year. */
  to?: string
}

/** Working periods, the 临期 share and the exceptions (holidays, make-up workdays) in the range. */
export function getCalendar(range: CalendarRange = {}): Promise<CalendarView> {
  return http.get<CalendarView>(`${BASE}/calendar`, { from: range.from, to: range.to })
}

/** Saves the working periods and the 临期 share (the answer lists the default range's exceptions). */
export function updateCalendar(body: CalendarInput): Promise<CalendarView> {
  return http.put<CalendarView>(`${BASE}/calendar`, body)
}

/** Marks `day` (`YYYY-MM-DD`) as `holiday` / `workday`, or `normal` to remove the exception. */
export function setCalendarDay(day: string, body: CalendarDayInput): Promise<void> {
  return http.put<void>(`${BASE}/calendar/days/${encodeURIComponent(day)}`, body)
}

// ---- grading rules ----------------------------------------------------------------------------------

export function listGradingRules(): Promise<GradingRule[]> {
  return http.get<GradingRule[]>(`${BASE}/grading-rules`)
}

export function createGradingRule(body: GradingRuleInput): Promise<GradingRule> {
  return http.post<GradingRule>(`${BASE}/grading-rules`, body)
}

export function updateGradingRule(id: number, body: GradingRuleInput): Promise<GradingRule> {
  return http.put<GradingRule>(`${BASE}/grading-rules/${id}`, body)
}

export function deleteGradingRule(id: number): Promise<void> {
  return http.delete<void>(`${BASE}/grading-rules/${id}`)
}

// ---- dispatcher queues and suspected duplicates ----------------------------------------------

/** Counts of the dispatcher's queues within the user's data scope. */
export function getQueueSummary(): Promise<QueueSummary> {
  return http.get<QueueSummary>(`${BASE}/queues`)
}

export interface ReviewQuery extends Pick<PageQuery, 'page' | 'page_size'> {
  /** Default `pending`. */
  status?: ReviewFilter
}

export function listReviews(query: ReviewQuery = {}): Promise<ReviewPage> {
  return http.get<ReviewPage>(`${BASE}/reviews`, { ...query })
}

/** `merge`: the same problem, merged into the earlier case; else kept separate. 409 once decided. */
export function decideReview(id: number, merge: boolean): Promise<void> {
  return http.post<void>(`${BASE}/reviews/${id}/decision`, { merge })
}
