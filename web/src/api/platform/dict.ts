import { http } from '../request'
import type { DictItem, DictItemInput, DictType, DictTypeInput } from '../types'

const BASE = '/api/platform/dicts'

/** All dictionary types with their items (any logged-in user may read them). */
export function listDicts(options: { silent?: boolean } = {}): Promise<DictType[]> {
  return http.get<DictType[]>(BASE, undefined, options)
}

export function createDictType(body: DictTypeInput): Promise<DictType> {
  return http.post<DictType>(BASE, body)
}

export function updateDictType(code: string, body: DictTypeInput): Promise<DictType> {
  return http.put<DictType>(`${BASE}/${encodeURIComponent(code)}`, body)
}

export function deleteDictType(code: string): Promise<void> {
  return http.delete<void>(`${BASE}/${encodeURIComponent(code)}`)
}

export function createDictItem(code: string, body: DictItemInput): Promise<DictItem> {
  return http.post<DictItem>(`${BASE}/${encodeURIComponent(code)}/items`, body)
}

export function updateDictItem(code: string, id: number, body: DictItemInput): Promise<DictItem> {
  return http.put<DictItem>(`${BASE}/${encodeURIComponent(code)}/items/${id}`, body)
}

export function deleteDictItem(code: string, id: number): Promise<void> {
  return http.delete<void>(`${BASE}/${encodeURIComponent(code)}/items/${id}`)
}
