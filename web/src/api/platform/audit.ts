import { download, http } from '../request'
import type { AuditOutcome, AuditPage, AuditVerifyReport, PageQuery } from '../types'

const BASE = '/api/platform/audit'

/** Filters of GET /api/platform/audit and its export; `from`/`to` are epoch ms (inclusive). */
export interface AuditFilter {
  actor?: string
  action?: string
  target_type?: string
  outcome?: AuditOutcome
  from?: number
  to?: number
  keyword?: string
}

export type AuditQuery = AuditFilter & Pick<PageQuery, 'page' | 'page_size'>

export function listAudit(query: AuditQuery): Promise<AuditPage> {
  return http.get<AuditPage>(BASE, { ...query })
}

export function exportAudit(filter: AuditFilter): Promise<void> {
  return download(`${BASE}/export`, { ...filter }, '审计日志.xlsx')
}

/** Re-checks the hash chain of the audit log. */
export function verifyAudit(): Promise<AuditVerifyReport> {
  return http.post<AuditVerifyReport>(`${BASE}/verify`)
}
