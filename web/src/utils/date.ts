// Timestamps on the wire are milliseconds since the Unix epoch (UTC). The platform displays them in
// Asia/Shanghai, which has had a fixed UTC+8 offset without daylight saving since 1991, so a fixed
// offset gives the same result as Intl with that zone and does not depend on the browser's zone.

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000
const DAY_MS = 24 * 60 * 60 * 1000

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

function shanghaiParts(ms: number) {
  const d = new Date(ms + SHANGHAI_OFFSET_MS)
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  }
}

function isValidMs(ms: number | null | undefined): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms)
}

/** `YYYY-MM-DD HH:mm:ss` in Asia/Shanghai; `fallback` for null/undefined/invalid input. */
export function formatDateTime(ms: number | null | undefined, fallback = '-'): string {
  if (!isValidMs(ms)) return fallback
  const p = shanghaiParts(ms)
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`
}

/** `YYYY-MM-DD` in Asia/Shanghai. */
export function formatDate(ms: number | null | undefined, fallback = '-'): string {
  if (!isValidMs(ms)) return fallback
  const p = shanghaiParts(ms)
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`
}

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六']

/** e.g. `2024年5月1日 星期三` in Asia/Shanghai. */
export function formatLongDate(ms: number): string {
  const p = shanghaiParts(ms)
  return `${p.year}年${p.month}月${p.day}日 ${WEEKDAYS[p.weekday]}`
}

/** Hour of day (0–23) in Asia/Shanghai. */
export function shanghaiHour(ms: number): number {
  return shanghaiParts(ms).hour
}

function parseYmd(ymd: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd)
  if (!m) throw new RangeError(`invalid date: ${ymd}`)
  return [Number(m[1]), Number(m[2]), Number(m[3])]
}

/** First millisecond of the Asia/Shanghai calendar day `YYYY-MM-DD`. */
export function shanghaiDayStart(ymd: string): number {
  const [y, m, d] = parseYmd(ymd)
  return Date.UTC(y, m - 1, d) - SHANGHAI_OFFSET_MS
}

/** Last millisecond of the Asia/Shanghai calendar day `YYYY-MM-DD` (inclusive range end). */
export function shanghaiDayEnd(ymd: string): number {
  return shanghaiDayStart(ymd) + DAY_MS - 1
}

/** A duration in ms as Chinese text: `1 小时 5 分`, `3 分 20 秒`, `45 秒`. Negative → `0 秒`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  if (h > 0) return m > 0 ? `${h} 小时 ${m} 分` : `${h} 小时`
  if (m > 0) return s > 0 ? `${m} 分 ${s} 秒` : `${m} 分`
  return `${s} 秒`
}

/** Greeting by the hour of day in Asia/Shanghai. */
export function greeting(ms: number): string {
  const h = shanghaiHour(ms)
  if (h < 6) return '夜深了'
  if (h < 9) return '早上好'
  if (h < 12) return '上午好'
  if (h < 14) return '中午好'
  if (h < 18) return '下午好'
  return '晚上好'
}
