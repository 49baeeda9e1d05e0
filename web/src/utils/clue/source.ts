// Clue sources (线索来源, F02): the two mappings of a source (category codes, field names) edited as
// rows of a two-column table, and client-side checks mirroring the server's (which stays
// authoritative and answers with `category_mapping` / `field_mapping` / `callback_url` field errors).
import type { Category, Source } from '@/api/clue/types'
import { labelOf, SOURCE_KIND_LABELS } from '@/utils/labels'

/** One row of a mapping editor; `uid` keys the table row while its key is being edited. */
export interface MappingRow {
  uid: number
  key: string
  value: string
}

let nextUid = 1

export function mappingRow(key = '', value = ''): MappingRow {
  return { uid: nextUid++, key, value }
}

/**
 * The rows of a mapping object: keys listed in `order` first, in that order (e.g. the intake
 * standard's field order), then the other keys sorted by code.
 */
export function mappingToRows(
  mapping: Readonly<Record<string, string>> | null | undefined,
  order: readonly string[] = [],
): MappingRow[] {
  const entries = Object.entries(mapping ?? {}).filter(([, v]) => typeof v === 'string')
  const rank = (k: string): number => {
    const i = order.indexOf(k)
    return i < 0 ? order.length : i
  }
  entries.sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
  return entries.map(([k, v]) => mappingRow(k, v))
}

/**
 * The mapping object of the rows: keys and values trimmed, rows left blank on both sides ignored.
 * When a key repeats the first row wins (the form refuses duplicates before saving anyway).
 */
export function rowsToMapping(rows: readonly Pick<MappingRow, 'key' | 'value'>[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const r of rows) {
    const k = r.key.trim()
    const v = r.value.trim()
    if (!k && !v) continue
    if (!Object.prototype.hasOwnProperty.call(out, k)) out[k] = v
  }
  return out
}

/** Keys (trimmed, non-empty) used by more than one row. */
export function duplicateKeys(rows: readonly Pick<MappingRow, 'key'>[]): Set<string> {
  const seen = new Set<string>()
  const dup = new Set<string>()
  for (const r of rows) {
    const k = r.key.trim()
    if (!k) continue
    if (seen.has(k)) dup.add(k)
    else seen.add(k)
  }
  return dup
}

export interface MappingRules {
  /** What the left / right column hold, for the messages (e.g. `来源分类编码`, `我方小类`). */
  keyName: string
  valueName: string
  /** Keys outside this list are refused (the intake fields); any key when omitted. */
  allowedKeys?: readonly string[]
  maxKeyLength?: number
  maxValueLength?: number
  maxRows?: number
}

/** The first problem of a mapping being edited (Chinese, with the row number), or null. */
export function mappingProblem(rows: readonly Pick<MappingRow, 'key' | 'value'>[], rules: MappingRules): string | null {
  const filled = rows.filter((r) => r.key.trim() || r.value.trim())
  if (rules.maxRows !== undefined && filled.length > rules.maxRows) return `最多 ${rules.maxRows} 条`
  for (let i = 0; i < rows.length; i++) {
    const k = rows[i].key.trim()
    const v = rows[i].value.trim()
    if (!k && !v) continue
    const at = `第 ${i + 1} 行：`
    if (!k) return `${at}请填写${rules.keyName}`
    if (!v) return `${at}请填写${rules.valueName}`
    if (rules.allowedKeys && !rules.allowedKeys.includes(k)) return `${at}${k} 不是接入标准中的字段`
    if (rules.maxKeyLength !== undefined && [...k].length > rules.maxKeyLength) {
      return `${at}${rules.keyName}不超过 ${rules.maxKeyLength} 个字符`
    }
    if (rules.maxValueLength !== undefined && [...v].length > rules.maxValueLength) {
      return `${at}${rules.valueName}不超过 ${rules.maxValueLength} 个字符`
    }
  }
  const dup = [...duplicateKeys(rows)]
  if (dup.length > 0) return `${rules.keyName}重复：${dup.join('、')}`
  return null
}

/** The status callback URL: empty, or a complete http(s) URL without spaces (≤ 512 characters). */
export function checkCallbackUrl(value: string): string | null {
  const u = value.trim()
  if (!u) return null
  const bad = '回调地址须为 http(s):// 开头的完整网址'
  if (!/^https?:\/\//.test(u) || /\s/.test(u)) return bad
  if (u.length > 512) return '回调地址不超过 512 个字符'
  try {
    const parsed = new URL(u)
    return parsed.hostname ? null : bad
  } catch {
    return bad
  }
}

/** Whether a source matches the list's keyword: name, code, app key, kind, region or department. */
export function sourceMatches(s: Source, keyword: string): boolean {
  const k = keyword.trim().toLowerCase()
  if (!k) return true
  return [s.name, s.code, s.app_key, labelOf(SOURCE_KIND_LABELS, s.kind, ''), s.region_name, s.department_name].some(
    (v) => typeof v === 'string' && v.toLowerCase().includes(k),
  )
}

export interface MinorOption {
  /** The minor category's code, the value stored in the mapping. */
  value: string
  label: string
}

export interface MinorGroup {
  label: string
  options: MinorOption[]
}

/**
 * The minor categories grouped under their majors (both in sort order), for the right column of
 * the category mapping. Disabled categories stay choosable (the server accepts any minor) and are
 * marked as such.
 */
export function minorCategoryGroups(list: readonly Category[]): MinorGroup[] {
  const order = (a: Category, b: Category) => a.sort_order - b.sort_order || a.code.localeCompare(b.code) || a.id - b.id
  const majors = list.filter((c) => (c.parent_id ?? null) === null).sort(order)
  const groups: MinorGroup[] = []
  for (const m of majors) {
    const minors = list.filter((c) => c.parent_id === m.id).sort(order)
    if (minors.length === 0) continue
    groups.push({
      label: `${m.name}（${m.code}）`,
      options: minors.map((c) => ({
        value: c.code,
        label: `${c.name}（${c.code}）${c.enabled ? '' : ' · 已停用'}`,
      })),
    })
  }
  return groups
}
