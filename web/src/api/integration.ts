// External systems (外部系统对接): the settings of each linked system with a connection test, the
// delivery queue (outbox) of messages to them, the log of every exchange, and the provincial
// platform's view of a case. Further sections (IRS data platform, ZZD) follow below.
//
// Types are short aliases of the generated schema (openapi.json → schema.d.ts). The generator types
// enumerated fields as plain `string`, so views read them through labels that fall back for values
// the UI does not know yet.
import { download, http } from './request'
import type { components } from './schema'
import type { PageQuery } from './types'

type Schemas = components['schemas']

/** A free-form JSON object (`options`, `payload`). */
export type JsonObject = Record<string, unknown>

// ---- settings, deliveries, exchanges, province ---------------------------------------------------

const BASE = '/api/integration'

/** `province` 省执法平台, `zzd` 浙政钉, `irs` 大数据局IRS, `supervision` 互联网+监管. */
export const SYSTEM_CODES = ['province', 'zzd', 'irs', 'supervision'] as const
export type SystemCode = (typeof SYSTEM_CODES)[number]

/** Channels of the delivery queue: 来源状态回调, 省执法平台, 浙政钉工作通知. */
export const DELIVERY_CHANNELS = ['source_callback', 'province', 'zzd_notice'] as const
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number]

/** `pending` 待投递 (waiting or retrying), `delivered`, `parked` (retries used up), `cancelled`. */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'parked', 'cancelled'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

export const EXCHANGE_DIRECTIONS = ['out', 'in'] as const
export type ExchangeDirection = (typeof EXCHANGE_DIRECTIONS)[number]

export const EXCHANGE_OUTCOMES = ['ok', 'retry', 'unknown', 'rejected', 'duplicate'] as const
export type ExchangeOutcome = (typeof EXCHANGE_OUTCOMES)[number]

export const PROVINCE_STATUSES = ['queued', 'pushed', 'transferred', 'disposed', 'released', 'failed'] as const
export type ProvinceStatus = (typeof PROVINCE_STATUSES)[number]

/** Settings of an external system; the secret is never returned (`has_secret` tells if one is set). */
export type ExternalSystem = Schemas['ExternalSystem']
/**
 * The settings to save. `secret`: empty or absent keeps the stored one. The generator types the
 * free-form `options` object as `Record<string, never>`; the server accepts any JSON object.
 */
export type ExternalSystemInput = Omit<Schemas['ExternalSystemInput'], 'options'> & { options?: JsonObject }
export type ConnectionTest = Schemas['ConnectionTest']

export type Delivery = Schemas['Delivery']
export type DeliveryCount = Schemas['DeliveryCount']
export type DeliveryPage = Schemas['DeliveryPage']

export type Exchange = Schemas['Exchange']
export type ExchangePage = Schemas['ExchangePage']

/** Where a case stands at the provincial platform. */
export type ProvinceCase = Schemas['ProvinceCase']

/** Filters of GET /api/integration/deliveries (wire names). */
export interface DeliveryFilter {
  channel?: string
  status?: DeliveryStatus
  /** Only messages that failed at least once. */
  failed?: boolean
  /** Event id, ordering key, remote reference or case number (exact). */
  keyword?: string
  case_id?: number
}

/** Filters of GET /api/integration/exchanges (wire names). */
export interface ExchangeFilter {
  system?: string
  direction?: ExchangeDirection
  interface?: string
  outcome?: ExchangeOutcome
  case_id?: number
  /** Message reference (exact) or part of the case number. */
  keyword?: string
  /** ms, inclusive. */
  from?: number
  /** ms, exclusive. */
  to?: number
}

/** Perm integration:system:view. */
export function listSystems(): Promise<ExternalSystem[]> {
  return http.get<ExternalSystem[]>(`${BASE}/systems`)
}

/**
 * Saves the settings (audited; perm integration:system:edit). 422 with field errors (`endpoint`,
 * `app_key`, `secret`, `timeout_ms`, `max_attempts`, `schedule_minutes`, `options`); the caller
 * shows them on the form.
 */
export function updateSystem(code: string, body: ExternalSystemInput): Promise<ExternalSystem> {
  return http.put<ExternalSystem>(`${BASE}/systems/${encodeURIComponent(code)}`, body, { silent: true })
}

/** Tries the connection and records the result on the system (perm integration:system:edit). */
export function testSystem(code: string): Promise<ConnectionTest> {
  return http.post<ConnectionTest>(`${BASE}/systems/${encodeURIComponent(code)}/test`)
}

/** Newest first, with counts per channel and status over the whole queue (perm integration:delivery:view). */
export function listDeliveries(query: DeliveryFilter & PageQuery, options: { silent?: boolean } = {}): Promise<DeliveryPage> {
  return http.get<DeliveryPage>(`${BASE}/deliveries`, { ...query }, options)
}

/**
 * Sends a parked, cancelled or waiting message again now with a fresh retry budget (audited; perm
 * integration:delivery:manage). 409 `delivery_finished` once it was delivered.
 */
export function replayDelivery(id: number): Promise<void> {
  return http.post<void>(`${BASE}/deliveries/${id}/replay`)
}

/** Gives up on a waiting or parked message (audited). 409 `delivery_finished` when it is no longer either. */
export function cancelDelivery(id: number): Promise<void> {
  return http.post<void>(`${BASE}/deliveries/${id}/cancel`)
}

/** Every request to and from the external systems, newest first (perm integration:exchange:view). */
export function listExchanges(query: ExchangeFilter & PageQuery): Promise<ExchangePage> {
  return http.get<ExchangePage>(`${BASE}/exchanges`, { ...query })
}

/** The provincial state of a case; null when the case was not pushed (perm clue:case:view). */
export function getProvinceCase(caseId: number, options: { silent?: boolean } = {}): Promise<ProvinceCase | null> {
  return http.get<ProvinceCase | null>(`${BASE}/province/cases/${caseId}`, undefined, options)
}

// ---- ZZD (浙政钉, F71 / F75 / F76) ----------------------------------------------------------------
// Accounts seen by log-in or synchronisation and their links to local users (integration:zzd:view
// to read, integration:zzd:manage to link, unlink and synchronise); organisation synchronisation
// as a previewed diff that an administrator applies or discards. Every write is audited.

export type ZzdAccount = Schemas['ZzdAccount']
export type ZzdAccountPage = Schemas['ZzdAccountPage']
export type ZzdSyncRun = Schemas['SyncRun']
export type ZzdSyncRunDetail = Schemas['SyncRunDetail']
export type ZzdSyncDiff = Schemas['SyncDiff']
export type ZzdSyncOrg = Schemas['SyncOrg']
export type ZzdSyncAccount = Schemas['SyncAccount']

export interface ZzdAccountQuery {
  keyword?: string
  linked?: boolean
  status?: 'A' | 'F'
  page?: number
  page_size?: number
}

const ZZD = '/api/integration/zzd'

/** Where the browser goes for the PC QR-code log-in: a navigation (303 to the ZZD page), not a fetch. */
export const ZZD_LOGIN_URL = '/api/auth/zzd/authorize'

export function listZzdAccounts(query: ZzdAccountQuery): Promise<ZzdAccountPage> {
  return http.get<ZzdAccountPage>(`${ZZD}/accounts`, { ...query })
}

/** Replaces a previous link. 409 `zzd_user_linked` when the user has another ZZD account. */
export function linkZzdAccount(accountId: number, userId: number): Promise<ZzdAccount> {
  return http.put<ZzdAccount>(`${ZZD}/accounts/${accountId}/link`, { user_id: userId })
}

export function unlinkZzdAccount(accountId: number): Promise<void> {
  return http.delete<void>(`${ZZD}/accounts/${accountId}/link`)
}

/** Reads ZZD now; nothing changes until the run is applied. 409 `zzd_disabled`. */
export function previewZzdSync(): Promise<ZzdSyncRunDetail> {
  return http.post<ZzdSyncRunDetail>(`${ZZD}/sync/preview`)
}

export function listZzdSyncRuns(): Promise<ZzdSyncRun[]> {
  return http.get<ZzdSyncRun[]>(`${ZZD}/sync/runs`)
}

export function getZzdSyncRun(id: number): Promise<ZzdSyncRunDetail> {
  return http.get<ZzdSyncRunDetail>(`${ZZD}/sync/runs/${id}`)
}

/** 409 `zzd_sync_stale` (older than an hour) or `zzd_sync_not_preview`. */
export function applyZzdSyncRun(id: number): Promise<ZzdSyncRunDetail> {
  return http.post<ZzdSyncRunDetail>(`${ZZD}/sync/runs/${id}/apply`)
}

export function discardZzdSyncRun(id: number): Promise<ZzdSyncRunDetail> {
  return http.post<ZzdSyncRunDetail>(`${ZZD}/sync/runs/${id}/discard`)
}

/** In-app log-in (H5 免登) with the auth code of the ZZD JSAPI; sets the session cookie. */
export function zzdAppLogin(authCode: string): Promise<Schemas['SessionInfo']> {
  return http.post<Schemas['SessionInfo']>('/api/auth/zzd/app-login', { auth_code: authCode })
}

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
