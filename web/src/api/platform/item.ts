import { download, http, upload } from '../request'
import type { EnforcementCategory, EnforcementItemPage, ImportReport, PageQuery } from '../types'

const BASE = '/api/platform/enforcement-items'

export interface ItemFilter {
  keyword?: string
  category?: EnforcementCategory
}

export type ItemQuery = ItemFilter & Pick<PageQuery, 'page' | 'page_size'>

export function listItems(query: ItemQuery): Promise<EnforcementItemPage> {
  return http.get<EnforcementItemPage>(BASE, { ...query })
}

/** GET …/template → .xlsx */
export function downloadItemTemplate(): Promise<void> {
  return download(`${BASE}/template`, undefined, '执法事项导入模板.xlsx')
}

/** POST …/import, multipart field `file` (.xlsx) [platform:item:import] */
export function importItems(file: File): Promise<ImportReport> {
  return upload<ImportReport>(`${BASE}/import`, file, { field: 'file' })
}
