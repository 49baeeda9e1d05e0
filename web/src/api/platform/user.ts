import { download, http } from '../request'
import type {
  Affected,
  PageQuery,
  ResetPassword,
  RevealField,
  RevealResponse,
  UserCreate,
  UserDetail,
  UserPage,
  UserUpdate,
} from '../types'

const BASE = '/api/platform/users'

/** Filters of GET /api/platform/users and its export. */
export interface UserFilter {
  keyword?: string
  department_id?: number
  include_sub?: boolean
  enabled?: boolean
  role_id?: number
}

export type UserQuery = UserFilter & PageQuery

// Sortable columns (`sort`): username, display_name, department_name, created_at, last_login_at.

export function listUsers(query: UserQuery): Promise<UserPage> {
  return http.get<UserPage>(BASE, { ...query })
}

/** GET /api/platform/users/export → .xlsx */
export function exportUsers(query: UserFilter & Pick<PageQuery, 'sort' | 'order'>): Promise<void> {
  return download(`${BASE}/export`, { ...query }, '用户列表.xlsx')
}

export function getUser(id: number): Promise<UserDetail> {
  return http.get<UserDetail>(`${BASE}/${id}`)
}

export function createUser(body: UserCreate): Promise<UserDetail> {
  return http.post<UserDetail>(BASE, body)
}

export function updateUser(id: number, body: UserUpdate): Promise<UserDetail> {
  return http.put<UserDetail>(`${BASE}/${id}`, body)
}

export function batchDeleteUsers(ids: number[]): Promise<Affected> {
  return http.post<Affected>(`${BASE}/batch-delete`, { ids })
}

export function batchSetUserStatus(ids: number[], enabled: boolean): Promise<Affected> {
  return http.post<Affected>(`${BASE}/batch-status`, { ids, enabled })
}

export function resetUserPassword(id: number, body: ResetPassword): Promise<void> {
  return http.post<void>(`${BASE}/${id}/reset-password`, body)
}

export function unlockUser(id: number): Promise<void> {
  return http.post<void>(`${BASE}/${id}/unlock`)
}

/** Full phone / ID number; the server records the reveal in the audit log. */
export function revealUserField(id: number, field: RevealField): Promise<RevealResponse> {
  return http.post<RevealResponse>(`${BASE}/${id}/reveal`, { field })
}
