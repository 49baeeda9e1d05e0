// Pure helpers of the settings page (对接配置): the province's `options` as a form and back, the
// JSON editor of the other systems' options, and client-side mirrors of the server's checks.
import type { JsonObject } from '@/api/integration'

export const SYSTEM_DESCRIPTIONS: Readonly<Record<string, string>> = {
  province: '按分类将新线索推送至省大综合一体化执法监管数字应用平台，并接收流转与处置结果反馈',
  zzd: '通过浙政钉工作通知向办理人员发送待办、临期与超期提醒',
  irs: '经大数据局一体化数据平台（IRS）网关调用共享数据接口',
  supervision: '与互联网+监管系统交换检查与处罚数据',
}

/** Limits of the settings (the server checks the same). */
export const LIMITS = {
  timeoutMs: { min: 100, max: 120_000 },
  maxAttempts: { min: 1, max: 100 },
  scheduleMinutes: { min: 0, max: 10_080 },
  endpoint: 512,
  appKey: 128,
  secret: 256,
} as const

/** Category code prefixes: letters and digits (`E05`, `E0502`). */
export const CATEGORY_PREFIX_PATTERN = /^[A-Za-z0-9_-]{1,16}$/

function isRecord(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** `options` of the province link. */
export interface ProvinceOptions {
  /** Category code prefixes whose new cases are pushed; empty = every category. */
  categories: string[]
  /** Clues about an enterprise (with a credit code) go to scheme 1. */
  scheme1_for_enterprise: boolean
  /** Clues about a person or an organisation go to scheme 3 (else as subject-less clues). */
  scheme3_for_person: boolean
}

/** The province options from the stored object; missing or malformed fields take their defaults. */
export function provinceOptions(raw: unknown): ProvinceOptions {
  const o = isRecord(raw) ? raw : {}
  const categories = Array.isArray(o.categories)
    ? [...new Set(o.categories.filter((c): c is string => typeof c === 'string').map((c) => c.trim()).filter(Boolean))]
    : []
  return {
    categories,
    scheme1_for_enterprise: o.scheme1_for_enterprise === true,
    scheme3_for_person: o.scheme3_for_person === true,
  }
}

/** The object to save: the stored options (keys this form does not know are kept) with the form's values. */
export function provinceOptionsObject(base: unknown, form: ProvinceOptions): JsonObject {
  const kept = isRecord(base) ? { ...base } : {}
  return {
    ...kept,
    categories: [...new Set(form.categories.map((c) => c.trim()).filter(Boolean))],
    scheme1_for_enterprise: form.scheme1_for_enterprise,
    scheme3_for_person: form.scheme3_for_person,
  }
}

/** The first category prefix that is not a code, or null. */
export function badCategoryPrefix(categories: readonly string[]): string | null {
  return categories.find((c) => !CATEGORY_PREFIX_PATTERN.test(c.trim())) ?? null
}

/** Options as the text of the JSON editor. */
export function optionsText(raw: unknown): string {
  return JSON.stringify(isRecord(raw) ? raw : {}, null, 2)
}

export type ParsedOptions = { ok: true; value: JsonObject } | { ok: false; error: string }

/** The JSON editor's text as an object; an empty text is `{}`. */
export function parseOptionsText(text: string): ParsedOptions {
  if (!text.trim()) return { ok: true, value: {} }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    const detail = e instanceof SyntaxError ? `：${e.message}` : ''
    return { ok: false, error: `不是有效的 JSON${detail}` }
  }
  if (!isRecord(value)) return { ok: false, error: '扩展设置须为 JSON 对象（以 { 开头）' }
  return { ok: true, value }
}

/** null when acceptable, otherwise the reason (mirrors the server's check). */
export function checkEndpoint(value: string): string | null {
  const v = value.trim()
  if (!v) return null
  if (!/^https?:\/\//.test(v) || /\s/.test(v) || v.length > LIMITS.endpoint) {
    return '接口地址须为 http(s):// 开头的完整网址，留空表示使用内置模拟器'
  }
  return null
}

/** null when acceptable, otherwise the reason. Enabling needs an app key. */
export function checkAppKey(value: string, enabled: boolean): string | null {
  const v = value.trim()
  if ([...v].length > LIMITS.appKey || /\s/.test(v)) return `AppKey 不超过 ${LIMITS.appKey} 个字符且不含空白`
  if (enabled && !v) return '启用对接前须填写 AppKey'
  return null
}

/** null when acceptable. An empty secret keeps the stored one, so enabling without any needs one. */
export function checkSecret(value: string, enabled: boolean, hasSecret: boolean): string | null {
  const v = value.trim()
  if ([...v].length > LIMITS.secret) return `密钥不超过 ${LIMITS.secret} 个字符`
  if (enabled && !v && !hasSecret) return '启用对接前须设置密钥'
  return null
}

/** `5 分钟`, `2 小时`, `1 天 2 小时`; 0 → `仅手动`. */
export function formatSchedule(minutes: number): string {
  if (minutes <= 0) return '仅手动'
  const d = Math.floor(minutes / 1440)
  const h = Math.floor((minutes % 1440) / 60)
  const m = minutes % 60
  const parts = [d ? `${d} 天` : '', h ? `${h} 小时` : '', m ? `${m} 分钟` : ''].filter(Boolean)
  return `每 ${parts.join(' ')}`
}

/** `800 毫秒`, `5 秒`, `2.5 秒`. */
export function formatTimeout(ms: number): string {
  if (ms < 1000) return `${ms} 毫秒`
  const s = ms / 1000
  return `${Number.isInteger(s) ? s : s.toFixed(1)} 秒`
}
