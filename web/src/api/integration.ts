// External systems (外部系统对接, issue 4). Each system has its own section below; types come from
// the generated schema.
import { download, http } from './request'
import type { components } from './schema'

type Schemas = components['schemas']

// ---- IRS data platform (大数据局一体化数据平台, F81) ------------------------------------------
// Imports pull the enforcement datasets incrementally into the fact tables; they run in the
// background (poll getIrsImport). Reads need integration:irs:view, starting and resuming
// integration:irs:import, the Excel export integration:irs:export.

export type IrsDataset = Schemas['IrsDataset']
export type IrsDatasets = Schemas['IrsDatasets']
export type IrsImport = Schemas['IrsImport']
export type IrsImportDataset = Schemas['IrsImportDataset']
export type IrsImportError = Schemas['IrsImportError']
export type IrsImportDetail = Schemas['IrsImportDetail']
export type IrsImportPage = Schemas['IrsImportPage']
export type StartIrsImport = Schemas['StartImport']
export type IrsFact = Schemas['IrsFact']
export type IrsFactPage = Schemas['IrsFactPage']

const IRS = '/api/integration/irs'

/** Datasets with local counts, checkpoints and (when the platform answers) its sizes. */
export function listIrsDatasets(): Promise<IrsDatasets> {
  return http.get<IrsDatasets>(`${IRS}/datasets`)
}

export function listIrsImports(query: { page?: number; page_size?: number }): Promise<IrsImportPage> {
  return http.get<IrsImportPage>(`${IRS}/imports`, { ...query })
}

export function getIrsImport(id: number): Promise<IrsImportDetail> {
  return http.get<IrsImportDetail>(`${IRS}/imports/${id}`)
}

/** 202 with the new import. 409 `import_running` while another runs, `system_disabled` when off. */
export function startIrsImport(body: StartIrsImport): Promise<IrsImportDetail> {
  return http.post<IrsImportDetail>(`${IRS}/imports`, body)
}

/** Resume a failed or interrupted import from its checkpoints. 409 `import_not_resumable` otherwise. */
export function resumeIrsImport(id: number): Promise<IrsImportDetail> {
  return http.post<IrsImportDetail>(`${IRS}/imports/${id}/resume`)
}

/** Filters of the fact list and its export; `from`/`to` are epoch ms of `occurred_at` ([from, to)). */
export interface IrsFactFilter {
  dataset?: string
  region_code?: string
  dept?: string
  item?: string
  subject_type?: string
  keyword?: string
  from?: number
  to?: number
  sort?: string
  order?: 'asc' | 'desc'
}

export function listIrsFacts(query: IrsFactFilter & { page?: number; page_size?: number }): Promise<IrsFactPage> {
  return http.get<IrsFactPage>(`${IRS}/facts`, { ...query })
}

export function getIrsFact(id: number): Promise<IrsFact> {
  return http.get<IrsFact>(`${IRS}/facts/${id}`)
}

export function exportIrsFacts(filter: IrsFactFilter): Promise<void> {
  return download(`${IRS}/facts/export`, { ...filter }, 'IRS执法事实.xlsx')
}

/** Chinese names of the codes the IRS pages show. */
export const IRS_IMPORT_STATUS: Record<string, { label: string; tag: 'primary' | 'success' | 'danger' | 'info' | 'warning' }> = {
  running: { label: '导入中', tag: 'primary' },
  succeeded: { label: '已完成', tag: 'success' },
  failed: { label: '失败（可续传）', tag: 'danger' },
  interrupted: { label: '已中断（可续传）', tag: 'warning' },
  pending: { label: '待导入', tag: 'info' },
  done: { label: '已完成', tag: 'success' },
}

export const IRS_SUBJECT_TYPES: Record<string, string> = {
  enterprise: '企业',
  individual_business: '个体工商户',
  organisation: '社会组织',
  person: '自然人',
}

export const IRS_INSPECTION_KINDS: Record<string, string> = {
  routine_patrol: '日常巡查',
  double_random: '双随机',
  special: '专项检查',
  cross_department: '跨部门检查',
  triggered: '触发式检查',
  summary: '简易程序',
  ordinary: '普通程序',
}
