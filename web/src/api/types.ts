// Short aliases for the generated OpenAPI schema. Code refers to these (or to
// `components['schemas'][...]`) only, so regenerating schema.d.ts keeps it compiling.
import type { components } from './schema'

type Schemas = components['schemas']

export type ApiErrorBody = Schemas['ApiErrorBody']
export type Health = Schemas['Health']

export type LoginRequest = Schemas['LoginRequest']
export type ChangePassword = Schemas['ChangePassword']
export type RoleRef = Schemas['RoleRef']
export type CurrentUser = Schemas['CurrentUser']
export type SessionInfo = Schemas['SessionInfo']
export type DataScope = CurrentUser['data_scope']

export type Region = Schemas['Region']
export type RegionLevel = Region['level']

export type Department = Schemas['Department']
export type DepartmentInput = Schemas['DepartmentInput']
export type DepartmentKind = Department['kind']

export type UserSummary = Schemas['UserSummary']
export type UserDetail = Schemas['UserDetail']
export type UserCreate = Schemas['UserCreate']
export type UserUpdate = Schemas['UserUpdate']
export type UserPage = Schemas['UserPage']
export type IdList = Schemas['IdList']
export type BatchStatus = Schemas['BatchStatus']
export type Affected = Schemas['Affected']
export type ResetPassword = Schemas['ResetPassword']
export type RevealRequest = Schemas['RevealRequest']
export type RevealField = RevealRequest['field']
export type RevealResponse = Schemas['RevealResponse']

export type Role = Schemas['Role']
export type RoleInput = Schemas['RoleInput']
export type RoleUpdate = Schemas['RoleUpdate']
export type Permission = Schemas['Permission']
export type PermissionDuty = Permission['duty']

export type DictType = Schemas['DictType']
export type DictTypeInput = Schemas['DictTypeInput']
export type DictItem = Schemas['DictItem']
export type DictItemInput = Schemas['DictItemInput']

export type PortalTile = Schemas['PortalTile']
export type PortalTileInput = Schemas['PortalTileInput']
export type PortalTileKind = PortalTile['kind']

export type AuditEntry = Schemas['AuditEntry']
export type AuditPage = Schemas['AuditPage']
export type AuditOutcome = AuditEntry['outcome']
export type AuditVerifyReport = Schemas['AuditVerifyReport']

export type EnforcementItem = Schemas['EnforcementItem']
export type EnforcementItemPage = Schemas['EnforcementItemPage']
export type EnforcementCategory = EnforcementItem['category']
export type ImportReport = Schemas['ImportReport']

/** One rejected row of an import. */
export interface ImportRowError {
  row: number
  message: string
}

/**
 * The problems of a rejected import. The server rejects the whole file (422 `validation_failed`)
 * when any row is invalid and lists every problem in `details.errors` as `{field, message}`;
 * row messages start with `第 N 行：`.
 */
export function importErrors(details: Record<string, unknown>): ImportRowError[] {
  const errors = details.errors
  if (!Array.isArray(errors)) return []
  return errors.flatMap((e: unknown) => {
    if (typeof e !== 'object' || e === null) return []
    const message = (e as { message?: unknown }).message
    if (typeof message !== 'string') return []
    const m = /^第\s*(\d+)\s*行[：:]\s*(.*)$/s.exec(message)
    return m ? [{ row: Number(m[1]), message: m[2] }] : [{ row: 0, message }]
  })
}

/** Common list query parameters (contract "Lists"). */
export type SortOrder = 'asc' | 'desc'
export interface PageQuery {
  page?: number
  page_size?: number
  sort?: string
  order?: SortOrder
}

/** Any paged response `{items, total, page, page_size}`. */
export interface Paged<T> {
  items: T[]
  total: number
  page: number
  page_size: number
}
