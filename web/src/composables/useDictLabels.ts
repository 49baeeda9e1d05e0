// Chinese labels for codes from data dictionaries (e.g. `audit_action`: auth.login → 登录). Loads
// the dictionaries once per page, silently: without them (not seeded yet, or a failed request)
// every code is shown as is.
import { shallowRef } from 'vue'
import { listDicts } from '@/api/platform/dict'
import type { Option } from '@/utils/labels'
import { dictLabel, dictLabelMap } from '@/utils/dict'

export function useDictLabels<C extends string>(codes: readonly C[]) {
  const maps = shallowRef<Partial<Record<C, Map<string, string>>>>({})

  async function load(): Promise<void> {
    try {
      const types = await listDicts({ silent: true })
      const next: Partial<Record<C, Map<string, string>>> = {}
      for (const code of codes) next[code] = dictLabelMap(types, code)
      maps.value = next
    } catch (e) {
      console.debug('dictionaries load failed', e)
    }
  }

  const empty = new Map<string, string>()

  /** The label of `value` in dictionary `code`, else the value itself. */
  function label(code: C, value: string | null | undefined, fallback = '-'): string {
    return dictLabel(maps.value[code] ?? empty, value, fallback)
  }

  /** Whether dictionary `code` has a label for `value`. */
  function has(code: C, value: string | null | undefined): boolean {
    return value !== null && value !== undefined && (maps.value[code]?.has(value) ?? false)
  }

  /** The items of dictionary `code` as options (value = code, label = Chinese). */
  function options(code: C): Option<string>[] {
    return [...(maps.value[code] ?? empty)].map(([value, l]) => ({ value, label: l }))
  }

  return { load, label, has, options }
}
