import { describe, expect, it } from 'vitest'
import {
  dailyText,
  dayState,
  daysBetween,
  hhmmMinutes,
  isWeekend,
  longDate,
  monthWeeks,
  nextDay,
  periodMinutes,
  periodsProblem,
  sortPeriods,
  weekdayOf,
  workingDaysInYear,
} from './calendar'

describe('dates', () => {
  it('knows weekdays and weekends', () => {
    expect(weekdayOf('2025-10-01')).toBe(3)
    expect(isWeekend('2025-10-04')).toBe(true)
    expect(isWeekend('2025-10-06')).toBe(false)
    expect(longDate('2025-10-01')).toBe('2025年10月1日 星期三')
  })

  it('walks days across months and leap years', () => {
    expect(nextDay('2024-02-28')).toBe('2024-02-29')
    expect(nextDay('2025-02-28')).toBe('2025-03-01')
    expect(nextDay('2025-12-31')).toBe('2026-01-01')
    expect(daysBetween('2025-10-01', '2025-10-07')).toHaveLength(7)
    expect(daysBetween('2025-10-07', '2025-10-01')).toEqual([])
    expect(daysBetween('2025-01-01', '2025-12-31', 31)).toHaveLength(31)
  })

  it('builds Monday-first month grids', () => {
    const weeks = monthWeeks(2025, 10) // 1 October 2025 is a Wednesday
    expect(weeks[0]).toEqual([null, null, '2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05'])
    expect(weeks.flat().filter(Boolean)).toHaveLength(31)
    expect(weeks.every((w) => w.length === 7)).toBe(true)
    expect(monthWeeks(2024, 2).flat().filter(Boolean)).toHaveLength(29)
  })

  it('applies exceptions over the weekday rule', () => {
    const ex = new Map([
      ['2025-10-01', { kind: 'holiday' }],
      ['2025-09-28', { kind: 'workday' }],
    ])
    expect(dayState('2025-10-01', ex)).toBe('holiday')
    expect(dayState('2025-09-28', ex)).toBe('makeup') // a Sunday
    expect(dayState('2025-10-04', ex)).toBe('weekend')
    expect(dayState('2025-10-09', ex)).toBe('workday')
    expect(workingDaysInYear(2025, new Map())).toBe(261)
    expect(workingDaysInYear(2025, ex)).toBe(261)
  })
})

describe('working periods', () => {
  it('parses HH:MM', () => {
    expect(hhmmMinutes('08:30')).toBe(510)
    expect(hhmmMinutes('24:00')).toBe(1440)
    expect(hhmmMinutes('24:01')).toBeNull()
    expect(hhmmMinutes('8:30')).toBeNull()
    expect(hhmmMinutes(null)).toBeNull()
  })

  it('adds up minutes and formats them', () => {
    const p: [string, string][] = [
      ['08:30', '12:00'],
      ['13:30', '17:30'],
    ]
    expect(periodMinutes(p)).toBe(450)
    expect(dailyText(450)).toBe('7 小时 30 分（450 分钟）')
    expect(dailyText(480)).toBe('8 小时（480 分钟）')
    expect(dailyText(45)).toBe('45 分钟（45 分钟）')
  })

  it('checks periods as the server does', () => {
    expect(periodsProblem([])).toBe('须设置 1–6 个工作时段')
    expect(periodsProblem([['08:30', '12:00']])).toBeNull()
    expect(periodsProblem([['12:00', '08:30']])).toBe('时段 12:00–08:30 的开始须早于结束')
    expect(periodsProblem([['08:30', '12:00'], ['11:00', '17:00']])).toBe('工作时段须按时间先后排列且不能重叠')
    expect(periodsProblem([['08:30', '']])).toBe('请填写第 1 个时段的开始和结束时间')
    expect(sortPeriods([['13:30', '17:30'], ['08:30', '12:00']])).toEqual([['08:30', '12:00'], ['13:30', '17:30']])
  })
})
