// External systems (外部系统对接, issue 4). Each system keeps its calls in its own section.
import { http } from './request'
import type { components } from './schema'

type Schemas = components['schemas']

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
