// Labels from data dictionaries (GET /api/platform/dicts): item value → label. Pages use them to
// show Chinese names for codes (e.g. `audit_action`: auth.login → 登录) and fall back to the code.
import type { DictType } from '@/api/types'

/**
 * value → label of the items of dictionary `code` (disabled ones too: they still name old records);
 * empty when the dictionary does not exist.
 */
export function dictLabelMap(types: readonly DictType[], code: string): Map<string, string> {
  const type = types.find((t) => t.code === code)
  const map = new Map<string, string>()
  for (const item of type?.items ?? []) {
    if (item.label.trim() && !map.has(item.value)) map.set(item.value, item.label)
  }
  return map
}

/** The label of `value`, or the value itself; `fallback` when empty. */
export function dictLabel(map: ReadonlyMap<string, string>, value: string | null | undefined, fallback = '-'): string {
  if (value === null || value === undefined || value === '') return fallback
  return map.get(value) ?? value
}
