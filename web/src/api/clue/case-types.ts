// Types of the clue center's case API (案件: list, detail, actions, inbox, manual entry, suspected
// duplicates): short aliases of the generated schema (openapi.json → schema.d.ts), as in ./types.ts,
// plus the UI's own enumerations. The generator types enumerated fields as plain `string`, so views
// read them through the labels of views/clue/case/labels.ts, which fall back for unknown values.
import type { components } from '../schema'
import type { PageQuery } from '../types'

type Schemas = components['schemas']

// ---- enumerations (the UI's own; the wire may carry values the UI does not know yet) ----------

/** `active` 办理中, `suspended` 挂账, `closed` 已结案, `voided` 已作废, `merged` 已合并. */
export const CASE_STATUSES = ['active', 'suspended', 'closed', 'voided', 'merged'] as const
export type CaseStatus = (typeof CASE_STATUSES)[number]

/** How the responsible unit was found: by a rule, by a dispatcher, or not yet (待人工分级). */
export const GRADINGS = ['auto', 'manual', 'pending'] as const
export type Grading = (typeof GRADINGS)[number]

/** What the intake did with a clue: a new case, merged into an open case, or a suspected duplicate. */
export const DEDUP_RESULTS = ['new', 'merged', 'suspected'] as const
export type DedupResult = (typeof DEDUP_RESULTS)[number]

export const REVIEW_STATUSES = ['pending', 'merged', 'separate'] as const
export type ReviewStatus = (typeof REVIEW_STATUSES)[number]

/** Statuses of a task (one step of the workflow). */
export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]

/** 待办 / 已办 */
export const INBOX_BOXES = ['todo', 'done'] as const
export type InboxBox = (typeof INBOX_BOXES)[number]

/** Sort keys of the case list (`sort`); the default is `reported_at` descending. */
export const CASE_SORTS = ['reported_at', 'case_no', 'due_at', 'updated_at', 'status'] as const
export type CaseSort = (typeof CASE_SORTS)[number]

/** Kinds of the subject (涉及对象) of a clue. */
export const SUBJECT_TYPES = ['enterprise', 'person'] as const
export type SubjectType = (typeof SUBJECT_TYPES)[number]

export function isOneOf<T extends string>(values: readonly T[], v: unknown): v is T {
  return typeof v === 'string' && (values as readonly string[]).includes(v)
}

// ---- cases -------------------------------------------------------------------------------------

/**
 * A row of the case list (also the head of a detail). `overdue`: past due now, or a step finished
 * late; `warning`: open and past the warning point (临期). `due_at` is null for finished cases.
 */
export type CaseSummary = Schemas['CaseSummary']
export type CasePage = Schemas['CasePage']
/** The case with its clues, events, tasks, reviews, attachments and the actions the user may take. */
export type CaseDetail = Schemas['CaseDetail']
/** One clue of a case; reporter fields are masked unless revealed. */
export type ClueView = Schemas['ClueView']
/** One entry of the handling record (办理记录). */
export type EventView = Schemas['EventView']
/** One step of the workflow (环节) with its unit and time limit. */
export type TaskView = Schemas['TaskView']
export type AttachmentView = Schemas['AttachmentView']
/** An action the current user may take now; `effect` tells which extra input it needs. */
export type ActionView = Schemas['ActionView']
export type ActionEffect = Schemas['Effect']
/** `{action, comment?, department_id? (choose_unit), hours? (request_extension, 1–720)}` */
export type ActionInput = Schemas['ActionInput']
/** The reporter identity in full (POST …/reveal, audited). */
export type Reporter = Schemas['Reporter']

/** Filters of GET /api/clue/cases and its export (the wire names). */
export interface CaseFilter {
  /** Case number, title, description or address (≤ 100 characters). */
  q?: string
  /** A major category includes its minors. */
  category_id?: number
  case_type_id?: number
  severity_id?: number
  source_id?: number
  /** County (6 digits) or township (9 digits) code. */
  region_code?: string
  /** Responsible unit. */
  department_id?: number
  status?: CaseStatus
  /** Current activity key, e.g. `dispatch`. */
  activity?: string
  grading?: Grading
  /** Reported from / to (ms, inclusive). */
  from?: number
  to?: number
  overdue?: boolean
  returned?: boolean
  extended?: boolean
}

export type CaseQuery = CaseFilter & Omit<PageQuery, 'sort'> & { sort?: CaseSort }

// ---- manual entry ------------------------------------------------------------------------------

/** 线索录入: goes through the same intake as pushed clues (source of kind `manual`). */
export type ManualClueInput = Schemas['ManualClueInput']
/** `case_no`: the case the clue belongs to (the existing one when merged); no case id (yet). */
export type IntakeResult = Schemas['IntakeResult']

// ---- inbox -------------------------------------------------------------------------------------

export type InboxItem = Schemas['InboxItem']
export type InboxPage = Schemas['InboxPage']

export interface InboxQuery {
  /** `todo` (default) or `done`. */
  box?: InboxBox
  q?: string
  activity?: string
  overdue?: boolean
  page?: number
  page_size?: number
}

// ---- suspected duplicates and queues -----------------------------------------------------------

/** A suspected duplicate: the new case (`case_*`) against an earlier one (`candidate_*`). */
export type ReviewView = Schemas['ReviewView']
export type ReviewPage = Schemas['ReviewPage']
/** `merge: true` merges into the earlier case; `false` keeps both. */
export type ReviewDecision = Schemas['ReviewDecision']

export interface ReviewQuery {
  /** `pending` (default), `merged`, `separate` or `all`. */
  status?: ReviewStatus | 'all'
  page?: number
  page_size?: number
}

/** Counters of the dispatcher's queues (人工分级). */
export type QueueSummary = Schemas['QueueSummary']

// ---- workflow definition (the version a case is pinned to) ------------------------------------

export type WorkflowDefinition = Schemas['Definition']
export type WorkflowActivity = Schemas['Activity']
export type WorkflowTransition = Schemas['Transition']
