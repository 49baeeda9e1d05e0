// Clue center handling rules (F04–F11): categories, case types, severities, numbering rules,
// responsibility list, dedup settings and their config versions. Reads need clue:config:view,
// writes clue:config:edit; every write is audited and creates a config version.
import { download, http, upload } from '../request'
import type { PageQuery } from '../types'
import type {
  CaseType,
  CaseTypeInput,
  Category,
  CategoryInput,
  ConfigEntity,
  ConfigVersionPage,
  DedupSetting,
  DedupSettingInput,
  NumberingPreview,
  NumberingPreviewRequest,
  NumberingRule,
  NumberingRuleInput,
  Responsibility,
  ResponsibilityImportReport,
  ResponsibilityInput,
  ResponsibilityPage,
  Severity,
  SeverityInput,
} from './types'

const BASE = '/api/clue'

// ---- categories --------------------------------------------------------------------------------

/** All categories, flat (build the tree by parent_id). */
export function listCategories(options: { silent?: boolean } = {}): Promise<Category[]> {
  return http.get<Category[]>(`${BASE}/categories`, undefined, options)
}

export function createCategory(body: CategoryInput): Promise<Category> {
  return http.post<Category>(`${BASE}/categories`, body)
}

export function updateCategory(id: number, body: CategoryInput): Promise<Category> {
  return http.put<Category>(`${BASE}/categories/${id}`, body)
}

/** 409 `category_in_use` while it has children or responsibility rules. */
export function deleteCategory(id: number): Promise<void> {
  return http.delete<void>(`${BASE}/categories/${id}`)
}

// ---- case types --------------------------------------------------------------------------------

export function listCaseTypes(options: { silent?: boolean } = {}): Promise<CaseType[]> {
  return http.get<CaseType[]>(`${BASE}/case-types`, undefined, options)
}

export function createCaseType(body: CaseTypeInput): Promise<CaseType> {
  return http.post<CaseType>(`${BASE}/case-types`, body)
}

export function updateCaseType(id: number, body: CaseTypeInput): Promise<CaseType> {
  return http.put<CaseType>(`${BASE}/case-types/${id}`, body)
}

export function deleteCaseType(id: number): Promise<void> {
  return http.delete<void>(`${BASE}/case-types/${id}`)
}

// ---- severities --------------------------------------------------------------------------------

export function listSeverities(): Promise<Severity[]> {
  return http.get<Severity[]>(`${BASE}/severities`)
}

export function createSeverity(body: SeverityInput): Promise<Severity> {
  return http.post<Severity>(`${BASE}/severities`, body)
}

export function updateSeverity(id: number, body: SeverityInput): Promise<Severity> {
  return http.put<Severity>(`${BASE}/severities/${id}`, body)
}

export function deleteSeverity(id: number): Promise<void> {
  return http.delete<void>(`${BASE}/severities/${id}`)
}

// ---- numbering rules ---------------------------------------------------------------------------

export function listNumberingRules(): Promise<NumberingRule[]> {
  return http.get<NumberingRule[]>(`${BASE}/numbering-rules`)
}

export function createNumberingRule(body: NumberingRuleInput): Promise<NumberingRule> {
  return http.post<NumberingRule>(`${BASE}/numbering-rules`, body)
}

/**
 * Saving with `active: true` makes this the one active rule; the active rule cannot be saved with
 * `active: false` (422: activate another rule instead).
 */
export function updateNumberingRule(id: number, body: NumberingRuleInput): Promise<NumberingRule> {
  return http.put<NumberingRule>(`${BASE}/numbering-rules/${id}`, body)
}

/** Makes this the rule new cases are numbered with (the previously active one is deactivated). */
export function activateNumberingRule(id: number): Promise<NumberingRule> {
  return http.post<NumberingRule>(`${BASE}/numbering-rules/${id}/activate`)
}

/** 409 for the active rule. */
export function deleteNumberingRule(id: number): Promise<void> {
  return http.delete<void>(`${BASE}/numbering-rules/${id}`)
}

/**
 * Live preview of a pattern. A bad pattern is answered with `ok = false` and `error`, so this is
 * silent: the caller shows transport errors itself.
 */
export function previewNumbering(body: NumberingPreviewRequest, signal?: AbortSignal): Promise<NumberingPreview> {
  return http.post<NumberingPreview>(`${BASE}/numbering-rules/preview`, body, { silent: true, signal })
}

// ---- responsibility list -----------------------------------------------------------------------

/** Filters of GET /api/clue/responsibilities and its export. */
export interface ResponsibilityFilter {
  /** A major category includes its minor categories. */
  category_id?: number
  region_code?: string
  department_id?: number
  keyword?: string
}

export type ResponsibilityQuery = ResponsibilityFilter & PageQuery

/** Sort keys (`sort`) of the responsibility list; the default is the category code. */
export type ResponsibilitySort = 'category' | 'region' | 'department' | 'time_limit_hours'

export function listResponsibilities(query: ResponsibilityQuery): Promise<ResponsibilityPage> {
  return http.get<ResponsibilityPage>(`${BASE}/responsibilities`, { ...query })
}

export function createResponsibility(body: ResponsibilityInput): Promise<Responsibility> {
  return http.post<Responsibility>(`${BASE}/responsibilities`, body)
}

export function updateResponsibility(id: number, body: ResponsibilityInput): Promise<Responsibility> {
  return http.put<Responsibility>(`${BASE}/responsibilities/${id}`, body)
}

export function deleteResponsibility(id: number): Promise<void> {
  return http.delete<void>(`${BASE}/responsibilities/${id}`)
}

/** GET …/export → .xlsx for the current filters. */
export function exportResponsibilities(query: ResponsibilityFilter & Pick<PageQuery, 'sort' | 'order'>): Promise<void> {
  return download(`${BASE}/responsibilities/export`, { ...query }, '权责清单.xlsx')
}

/** GET …/template → .xlsx */
export function downloadResponsibilityTemplate(): Promise<void> {
  return download(`${BASE}/responsibilities/template`, undefined, '权责清单导入模板.xlsx')
}

/**
 * POST …/import, multipart field `file` (.xlsx). A file with any bad row is rejected whole:
 * 422 `validation_failed` with `details.errors` (see `importErrors`).
 */
export function importResponsibilities(file: File): Promise<ResponsibilityImportReport> {
  return upload<ResponsibilityImportReport>(`${BASE}/responsibilities/import`, file, { field: 'file' })
}

// ---- dedup settings ----------------------------------------------------------------------------

/** The global default first, then the per-category overrides. */
export function listDedupSettings(): Promise<DedupSetting[]> {
  return http.get<DedupSetting[]>(`${BASE}/dedup-settings`)
}

export function createDedupSetting(body: DedupSettingInput): Promise<DedupSetting> {
  return http.post<DedupSetting>(`${BASE}/dedup-settings`, body)
}

export function updateDedupSetting(id: number, body: DedupSettingInput): Promise<DedupSetting> {
  return http.put<DedupSetting>(`${BASE}/dedup-settings/${id}`, body)
}

/** The global row cannot be deleted. */
export function deleteDedupSetting(id: number): Promise<void> {
  return http.delete<void>(`${BASE}/dedup-settings/${id}`)
}

// ---- config versions ---------------------------------------------------------------------------

export interface ConfigVersionQuery extends Pick<PageQuery, 'page' | 'page_size'> {
  /** Omitted: every kind of setting. */
  entity?: ConfigEntity
  /** Omitted: the versions of every record of `entity`. */
  entity_id?: number
}

export function listConfigVersions(query: ConfigVersionQuery): Promise<ConfigVersionPage> {
  return http.get<ConfigVersionPage>(`${BASE}/config-versions`, { ...query })
}
