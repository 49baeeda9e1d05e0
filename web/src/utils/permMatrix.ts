// Groups the flat permission list (codes `module:entity:action`) into the matrix shown on the role
// page: one block per module, one row per entity, one checkbox per action.
import type { Permission, PermissionDuty } from '@/api/types'

export interface PermAction {
  code: string
  action: string
  label: string
  duty: PermissionDuty
}

export interface PermRow {
  /** `module:entity` */
  key: string
  module: string
  entity: string
  label: string
  duties: PermissionDuty[]
  actions: PermAction[]
}

export interface PermModule {
  module: string
  name: string
  rows: PermRow[]
  /** All codes in the module, in display order. */
  codes: string[]
}

export interface ParsedPermCode {
  module: string
  entity: string
  action: string
}

/** `platform:user:view` → {platform, user, view}; extra segments stay in `action`. */
export function parsePermCode(code: string): ParsedPermCode {
  const parts = code.split(':')
  if (parts.length >= 3) {
    return { module: parts[0], entity: parts[1], action: parts.slice(2).join(':') }
  }
  if (parts.length === 2) return { module: parts[0], entity: '', action: parts[1] }
  return { module: parts[0], entity: '', action: '' }
}

const NAME_SEPARATORS = /\s*[:：\-—·/|]\s*|\s+/

/** `用户:查看` / `用户-查看` / `用户 查看` → {entity: 用户, action: 查看}; otherwise action only. */
export function splitPermName(name: string): { entity: string | null; action: string } {
  const trimmed = name.trim()
  const m = NAME_SEPARATORS.exec(trimmed)
  if (m && m.index > 0 && m.index + m[0].length < trimmed.length) {
    return {
      entity: trimmed.slice(0, m.index),
      action: trimmed.slice(m.index + m[0].length),
    }
  }
  return { entity: null, action: trimmed }
}

/** Fallback row labels for the platform's entities when permission names carry no entity part. */
const ENTITY_LABELS: Record<string, string> = {
  org: '组织机构',
  user: '用户',
  role: '角色',
  dict: '数据字典',
  portal: '门户配置',
  audit: '审计日志',
  region: '行政区划',
  item: '执法事项',
}

export function groupPermissions(perms: readonly Permission[]): PermModule[] {
  const modules = new Map<string, PermModule>()
  const rows = new Map<string, PermRow>()
  const rowNames = new Map<string, (string | null)[]>()

  for (const p of perms) {
    const parsed = parsePermCode(p.code)
    const moduleKey = p.module || parsed.module
    let mod = modules.get(moduleKey)
    if (!mod) {
      mod = { module: moduleKey, name: p.module_name || moduleKey, rows: [], codes: [] }
      modules.set(moduleKey, mod)
    }
    const rowKey = `${moduleKey}:${parsed.entity}`
    let row = rows.get(rowKey)
    if (!row) {
      row = { key: rowKey, module: moduleKey, entity: parsed.entity, label: '', duties: [], actions: [] }
      rows.set(rowKey, row)
      rowNames.set(rowKey, [])
      mod.rows.push(row)
    }
    const split = splitPermName(p.name)
    rowNames.get(rowKey)?.push(split.entity)
    row.actions.push({
      code: p.code,
      action: parsed.action,
      label: split.entity !== null ? split.action : p.name,
      duty: p.duty,
    })
    if (!row.duties.includes(p.duty)) row.duties.push(p.duty)
    mod.codes.push(p.code)
  }

  for (const row of rows.values()) {
    const names = rowNames.get(row.key) ?? []
    const first = names[0]
    const shared = first !== null && first !== undefined && names.every((n) => n === first) ? first : null
    row.label = shared ?? ENTITY_LABELS[row.entity] ?? (row.entity || '其他')
  }
  return [...modules.values()]
}

export type CheckState = 'all' | 'some' | 'none'

/** Whether all, some or none of `codes` are selected. An empty list counts as none. */
export function checkState(codes: readonly string[], selected: ReadonlySet<string>): CheckState {
  let n = 0
  for (const c of codes) if (selected.has(c)) n++
  if (n === 0) return 'none'
  return n === codes.length ? 'all' : 'some'
}

/** Adds (on) or removes (off) `codes` from `selected`, keeping order and never duplicating. */
export function setCodes(selected: readonly string[], codes: readonly string[], on: boolean): string[] {
  if (on) {
    const have = new Set(selected)
    return [...selected, ...codes.filter((c) => !have.has(c))]
  }
  const drop = new Set(codes)
  return selected.filter((c) => !drop.has(c))
}

const ADMIN_DUTIES: readonly PermissionDuty[] = ['system', 'security', 'audit']

/**
 * The administrative duties (系统管理 / 安全管理 / 审计) present in a selection. More than one means the
 * role breaks the separation of the three administrators (三员分立).
 */
export function adminDutiesOf(selected: readonly string[], perms: readonly Permission[]): PermissionDuty[] {
  const chosen = new Set(selected)
  const found = new Set<PermissionDuty>()
  for (const p of perms) if (chosen.has(p.code)) found.add(p.duty)
  return ADMIN_DUTIES.filter((d) => found.has(d))
}
