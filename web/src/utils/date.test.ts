import { describe, expect, it } from 'vitest'
import {
  formatDate,
  formatDateTime,
  formatDuration,
  greeting,
  shanghaiDayEnd,
  shanghaiDayStart,
} from './date'

describe('formatDateTime', () => {
  it.each([
    [0, '1970-01-01 08:00:00'],
    // 2024-02-29 23:59:59 UTC is already 1 March in Shanghai
    [Date.UTC(2024, 1, 29, 23, 59, 59), '2024-03-01 07:59:59'],
    [Date.UTC(2023, 11, 31, 16, 0, 0), '2024-01-01 00:00:00'],
    [Date.UTC(2025, 5, 9, 1, 2, 3, 999), '2025-06-09 09:02:03'],
  ])('formats %d in Asia/Shanghai as %s', (ms, expected) => {
    expect(formatDateTime(ms)).toBe(expected)
  })

  it.each([null, undefined, Number.NaN, Number.POSITIVE_INFINITY])('returns the fallback for %s', (v) => {
    expect(formatDateTime(v)).toBe('-')
    expect(formatDateTime(v, '从未')).toBe('从未')
  })
})

describe('formatDate', () => {
  it('uses the Shanghai calendar day', () => {
    expect(formatDate(Date.UTC(2024, 0, 1, 15, 59, 59))).toBe('2024-01-01')
    expect(formatDate(Date.UTC(2024, 0, 1, 16, 0, 0))).toBe('2024-01-02')
  })
})

describe('shanghai day bounds', () => {
  it('start is midnight in Shanghai', () => {
    expect(shanghaiDayStart('2024-01-02')).toBe(Date.UTC(2024, 0, 1, 16, 0, 0))
    expect(formatDateTime(shanghaiDayStart('2024-01-02'))).toBe('2024-01-02 00:00:00')
  })

  it('end is the last millisecond of the same day', () => {
    const end = shanghaiDayEnd('2024-01-02')
    expect(end).toBe(Date.UTC(2024, 0, 2, 15, 59, 59, 999))
    expect(formatDateTime(end)).toBe('2024-01-02 23:59:59')
  })

  it('rejects malformed input', () => {
    expect(() => shanghaiDayStart('2024/01/02')).toThrow(RangeError)
  })
})

describe('formatDuration', () => {
  it.each([
    [-5, '0 秒'],
    [0, '0 秒'],
    [1, '1 秒'],
    [45_000, '45 秒'],
    [200_000, '3 分 20 秒'],
    [300_000, '5 分'],
    [3_900_000, '1 小时 5 分'],
    [7_200_000, '2 小时'],
  ])('%d ms → %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected)
  })
})

describe('greeting', () => {
  it('follows the Shanghai hour', () => {
    expect(greeting(Date.UTC(2024, 0, 1, 1, 0))).toBe('上午好') // 09:00
    expect(greeting(Date.UTC(2024, 0, 1, 7, 0))).toBe('下午好') // 15:00
    expect(greeting(Date.UTC(2024, 0, 1, 12, 0))).toBe('晚上好') // 20:00
  })
})
