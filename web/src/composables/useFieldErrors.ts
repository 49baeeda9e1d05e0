// Server-side field errors (422 `validation_failed` details.fields, 409 `conflict` details.field)
// for <el-form-item :error="fieldErrors.name">.
import { reactive } from 'vue'
import { isApiError } from '@/api/request'

export function useFieldErrors() {
  const errors = reactive<Record<string, string>>({})

  function clear(): void {
    for (const key of Object.keys(errors)) delete errors[key]
  }

  /** Takes the field errors of `e` (clearing older ones); true when there were any. */
  function capture(e: unknown): boolean {
    clear()
    if (!isApiError(e)) return false
    const fields = e.fieldErrors
    Object.assign(errors, fields)
    return Object.keys(fields).length > 0
  }

  return { errors, clear, capture }
}
