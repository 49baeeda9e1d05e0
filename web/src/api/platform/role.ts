import { http } from '../request'
import type { Permission, Role, RoleInput, RoleUpdate } from '../types'

const BASE = '/api/platform/roles'

export function listRoles(options: { silent?: boolean } = {}): Promise<Role[]> {
  return http.get<Role[]>(BASE, undefined, options)
}

export function createRole(body: RoleInput): Promise<Role> {
  return http.post<Role>(BASE, body)
}

export function updateRole(id: number, body: RoleUpdate): Promise<Role> {
  return http.put<Role>(`${BASE}/${id}`, body)
}

export function deleteRole(id: number): Promise<void> {
  return http.delete<void>(`${BASE}/${id}`)
}

/** GET /api/platform/permissions [platform:role:view] */
export function listPermissions(options: { silent?: boolean } = {}): Promise<Permission[]> {
  return http.get<Permission[]>('/api/platform/permissions', undefined, options)
}
