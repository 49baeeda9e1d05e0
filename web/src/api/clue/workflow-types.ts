// Types of the workflow (流程, F12), working calendar and grading (F13) and dispatcher queue APIs:
// short aliases of the generated schema (openapi.json → schema.d.ts via `npm run gen:api`), as in
// ./types.ts, plus the UI's own enumerations of values the schema types as plain `string`.
import type { components } from '../schema'

type Schemas = components['schemas']

// ---- workflow definitions ------------------------------------------------------------------------

/** A workflow (header + current version number); `conditions` empty = takes every new case. */
export type Workflow = Schemas['Workflow']
/** The workflow, the definition of the current (or the requested `?version=N`) version, all versions. */
export type WorkflowDetail = Schemas['WorkflowDetail']
export type WorkflowVersion = Schemas['WorkflowVersion']
/** `definition` set and changed: publishes a new version (with `note`); omitted: header only. */
export type WorkflowInput = Schemas['WorkflowInput']
export type Definition = Schemas['Definition']
export type Activity = Schemas['Activity']
export type ActivityKind = Schemas['ActivityKind']
export type Assignee = Schemas['Assignee']
export type AssigneeKind = Assignee['kind']
export type TimeLimit = Schemas['TimeLimit']
export type TimeLimitKind = TimeLimit['kind']
export type Transition = Schemas['Transition']
export type Effect = Schemas['Effect']
/** A condition on a case field: `field op values`. */
export type Clause = Schemas['Clause']
export type ClauseField = Schemas['Field']
export type ClauseOp = Schemas['Op']
export type ValidationReport = Schemas['ValidationReport']

export const ACTIVITY_KINDS: readonly ActivityKind[] = ['task', 'end']
export const ASSIGNEE_KINDS: readonly AssigneeKind[] = ['permission', 'responsible', 'department', 'township_office']
export const TIME_LIMIT_KINDS: readonly TimeLimitKind[] = ['fixed', 'stage_rule', 'responsibility']
export const EFFECTS: readonly Effect[] = ['choose_unit', 'return', 'request_extension', 'approve_extension', 'rework']
/** In the order the editor offers them. */
export const CLAUSE_FIELDS: readonly ClauseField[] = [
  'category',
  'category_kind',
  'severity',
  'region',
  'tier',
  'source',
  'source_kind',
  'case_type',
  'dedup',
  'graded',
]
export const CLAUSE_OPS: readonly ClauseOp[] = ['in', 'not_in', 'prefix']

/** Case status while at a task activity (default `active`). */
export const TASK_STATUSES = ['active', 'suspended'] as const
/** Case status once at an end activity (default `closed`). */
export const END_STATUSES = ['closed', 'voided', 'merged'] as const

// ---- working calendar ------------------------------------------------------------------------------

export type CalendarView = Schemas['CalendarView']
export type CalendarInput = Schemas['CalendarInput']
export type CalendarDay = Schemas['CalendarDay']
export type CalendarDayInput = Schemas['CalendarDayInput']
/** `[start, end]` as `HH:MM`. */
export type WorkingPeriod = CalendarInput['periods'][number]

/** `normal` removes the exception (weekday rule: Monday–Friday work). */
export const CALENDAR_DAY_KINDS = ['holiday', 'workday', 'normal'] as const
export type CalendarDayKind = (typeof CALENDAR_DAY_KINDS)[number]

// ---- grading rules -----------------------------------------------------------------------------------

export type GradingRule = Schemas['GradingRule']
export type GradingRuleInput = Schemas['GradingRuleInput']
/** Every non-empty list must match; an empty rule matches every case. */
export type GradingConditions = Schemas['GradingConditions']

export const SUBJECT_TYPES = ['enterprise', 'person', 'none'] as const
export type SubjectType = (typeof SUBJECT_TYPES)[number]

// ---- dispatcher queues and suspected duplicates -----------------------------------------------

export type QueueSummary = Schemas['QueueSummary']
export type ReviewPage = Schemas['ReviewPage']
export type ReviewView = Schemas['ReviewView']
export type ReviewDecision = Schemas['ReviewDecision']

export const REVIEW_STATUSES = ['pending', 'merged', 'separate'] as const
export type ReviewStatus = (typeof REVIEW_STATUSES)[number]
/** The list filter: one status or `all`. */
export type ReviewFilter = ReviewStatus | 'all'
