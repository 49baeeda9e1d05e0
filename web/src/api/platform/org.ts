import { http } from '../request'
import type { Department, DepartmentInput } from '../types'

const BASE = '/api/platform/departments'

/** All departments visible to the user (flat; build the tree by parent_id). */
export function listDepartments(options: { silent?: boolean } = {}): Promise<Department[]> {
  return http.get<Department[]>(BASE, undefined, options)
}

export function createDepartment(body: DepartmentInput): Promise<Department> {
  return http.post<Department>(BASE, body)
}

export function updateDepartment(id: number, body: DepartmentInput): Promise<Department> {
  return http.put<Department>(`${BASE}/${id}`, body)
}

/** 409 `conflict` while the department still has users or children. */
export function deleteDepartment(id: number): Promise<void> {
  return http.delete<void>(`${BASE}/${id}`)
}
