// 工作日历 helpers: month grids (Monday first), the state of a day (weekday rule + exceptions), and
// the working periods of a day as the server checks them (crates/domain/src/clue/calendar.rs).
// Dates are `YYYY-MM-DD` strings computed in UTC, so the browser's time zone never shifts a day.
import type { CalendarDay, WorkingPeriod } from '@/api/clue/workflow-types'

export const WEEKDAY_NAMES = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六']
/** Column headers of a month grid, Monday first. */
export const WEEK_HEADER = ['一', '二', '三', '四', '五', '六', '日']

export const DAY_KIND_LABELS = {
  holiday: '放假',
  workday: '调休上班',
  normal: '恢复默认',
} as const

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

export function ymd(year: number, month: number, day: number): string {
  return `${year}-${pad(month)}-${pad(day)}`
}

function parse(date: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) throw new RangeError(`invalid date: ${date}`)
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: string): number {
  return parse(date).getUTCDay()
}

export function isWeekend(date: string): boolean {
  const w = weekdayOf(date)
  return w === 0 || w === 6
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** `2025年10月1日 星期三` */
export function longDate(date: string): string {
  const d = parse(date)
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${WEEKDAY_NAMES[d.getUTCDay()]}`
}

/** `10月1日` */
export function shortDate(date: string): string {
  const d = parse(date)
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日`
}

/** The day after `date`. */
export function nextDay(date: string): string {
  const d = parse(date)
  d.setUTCDate(d.getUTCDate() + 1)
  return ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())
}

/** Every day from `from` to `to` inclusive (empty when `to` is before `from`), at most `max`. */
export function daysBetween(from: string, to: string, max = 366): string[] {
  const out: string[] = []
  for (let d = from; d <= to && out.length < max; d = nextDay(d)) out.push(d)
  return out
}

/** Weeks of a month, Monday first; days outside the month are null. */
export function monthWeeks(year: number, month: number): (string | null)[][] {
  const first = ymd(year, month, 1)
  const lead = (weekdayOf(first) + 6) % 7 // Monday = 0
  const cells: (string | null)[] = Array.from({ length: lead }, () => null)
  for (let d = 1; d <= daysInMonth(year, month); d++) cells.push(ymd(year, month, d))
  while (cells.length % 7 !== 0) cells.push(null)
  const weeks: (string | null)[][] = []
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7))
  return weeks
}

/**
 * `holiday` 休 (exception), `makeup` 班 (a weekend made a working day), `weekend` (default rest),
 * `workday` (default work).
 */
export type DayState = 'holiday' | 'makeup' | 'weekend' | 'workday'

export function dayState(date: string, exceptions: ReadonlyMap<string, Pick<CalendarDay, 'kind'>>): DayState {
  const e = exceptions.get(date)
  if (e?.kind === 'holiday') return 'holiday'
  if (e?.kind === 'workday') return 'makeup'
  return isWeekend(date) ? 'weekend' : 'workday'
}

export function isWorkingDay(date: string, exceptions: ReadonlyMap<string, Pick<CalendarDay, 'kind'>>): boolean {
  const s = dayState(date, exceptions)
  return s === 'workday' || s === 'makeup'
}

/** Working days of a year with its exceptions. */
export function workingDaysInYear(year: number, exceptions: ReadonlyMap<string, Pick<CalendarDay, 'kind'>>): number {
  return daysBetween(ymd(year, 1, 1), ymd(year, 12, 31)).filter((d) => isWorkingDay(d, exceptions)).length
}

// ---- working periods ---------------------------------------------------------------------------------

/** `HH:MM` → minutes since midnight (00:00–24:00), else null. */
export function hhmmMinutes(s: string | null | undefined): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(s ?? '')
  if (!m) return null
  const h = Number(m[1])
  const min = Number(m[2])
  if (h > 24 || min > 59 || (h === 24 && min > 0)) return null
  return h * 60 + min
}

/** Working minutes of a day (valid periods only). */
export function periodMinutes(periods: readonly (readonly [string, string])[]): number {
  return periods.reduce((sum, [a, b]) => {
    const s = hhmmMinutes(a)
    const e = hhmmMinutes(b)
    return s !== null && e !== null && e > s ? sum + (e - s) : sum
  }, 0)
}

/** The first problem of the periods in Chinese, or null: 1–6 periods, each start < end, ascending. */
export function periodsProblem(periods: readonly (readonly [string | null | undefined, string | null | undefined])[]): string | null {
  if (periods.length === 0 || periods.length > 6) return '须设置 1–6 个工作时段'
  let lastEnd = -1
  for (const [i, [a, b]] of periods.entries()) {
    const s = hhmmMinutes(a)
    const e = hhmmMinutes(b)
    if (s === null || e === null) return `请填写第 ${i + 1} 个时段的开始和结束时间`
    if (s >= e) return `时段 ${a}–${b} 的开始须早于结束`
    if (s < lastEnd) return '工作时段须按时间先后排列且不能重叠'
    lastEnd = e
  }
  return null
}

/** The periods sorted by start (what the server wants). */
export function sortPeriods(periods: readonly WorkingPeriod[]): WorkingPeriod[] {
  return [...periods].sort((x, y) => (hhmmMinutes(x[0]) ?? 0) - (hhmmMinutes(y[0]) ?? 0))
}

/** `7 小时 30 分（450 分钟）` */
export function dailyText(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  const main = h === 0 ? `${m} 分钟` : m === 0 ? `${h} 小时` : `${h} 小时 ${m} 分`
  return `${main}（${minutes} 分钟）`
}
