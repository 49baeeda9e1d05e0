// Numbering-rule patterns (编码规则): the token legend, inserting a token at the cursor, and
// splitting a pattern for highlighted display. The server is authoritative on validity (the preview
// endpoint answers with the exact error).

export interface PatternToken {
  token: string
  label: string
  /** Example output for the legend. */
  example: string
}

/** Tokens offered as buttons, in the order shown. */
export const PATTERN_TOKENS: readonly PatternToken[] = [
  { token: '{region6}', label: '县级区划代码（6 位）', example: '331102' },
  { token: '{region9}', label: '乡镇（街道）区划代码（9 位）', example: '331102001' },
  { token: '{yyyyMMdd}', label: '年月日（8 位，简写）', example: '20240501' },
  { token: '{yyyy}', label: '四位年份', example: '2024' },
  { token: '{yy}', label: '两位年份', example: '24' },
  { token: '{MM}', label: '月（2 位）', example: '05' },
  { token: '{dd}', label: '日（2 位）', example: '01' },
  { token: '{HH}', label: '时（2 位，24 小时制）', example: '09' },
  { token: '{seq:5}', label: '顺序号，N 位补零（必填且仅一次）', example: '00001' },
  { token: '{type}', label: '类型编码（大写）', example: 'TSJB' },
  { token: '{source}', label: '来源编码（大写）', example: 'ZGT' },
]

const TOKEN_RE = /\{(region6|region9|yyyyMMdd|yyyy|yy|MM|dd|HH|type|source|seq:\d+)\}/g

export interface PatternSegment {
  text: string
  /** A recognised token (rendered highlighted); otherwise literal text. */
  token: boolean
}

/** Splits a pattern into literal text and recognised tokens. */
export function tokenizePattern(pattern: string): PatternSegment[] {
  const out: PatternSegment[] = []
  let last = 0
  for (const m of pattern.matchAll(TOKEN_RE)) {
    const at = m.index ?? 0
    if (at > last) out.push({ text: pattern.slice(last, at), token: false })
    out.push({ text: m[0], token: true })
    last = at + m[0].length
  }
  if (last < pattern.length) out.push({ text: pattern.slice(last), token: false })
  return out
}

/** Number of `{seq:N}` tokens (a valid pattern has exactly one). */
export function countSeqTokens(pattern: string): number {
  return [...pattern.matchAll(/\{seq:\d+\}/g)].length
}

/**
 * Inserts `text` into `value` replacing the selection `start`–`end` (both clamped; a missing
 * cursor appends). Returns the new value and the caret position after the insertion.
 */
export function insertAtCursor(
  value: string,
  text: string,
  start: number | null | undefined,
  end: number | null | undefined = start,
): { value: string; caret: number } {
  const len = value.length
  const clamp = (n: number | null | undefined, dflt: number) =>
    typeof n === 'number' && Number.isFinite(n) ? Math.min(Math.max(0, Math.trunc(n)), len) : dflt
  const s = clamp(start, len)
  const e = Math.max(s, clamp(end, s))
  return { value: value.slice(0, s) + text + value.slice(e), caret: s + text.length }
}
