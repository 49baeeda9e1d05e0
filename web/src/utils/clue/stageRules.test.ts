import { describe, expect, it } from 'vitest'
import {
  checkStageRules,
  compactStageRules,
  effectiveStageRules,
  formatMinutes,
  joinMinutes,
  splitMinutes,
  stageRows,
} from './stageRules'

describe('stageRows', () => {
  it('always gives seven rows in stage order', () => {
    const rows = stageRows([
      { stage: 'close', time_limit_minutes: 60, requirement: '归档' },
      { stage: 'receive', time_limit_minutes: 30, requirement: '' },
    ])
    expect(rows.map((r) => r.stage)).toEqual(['receive', 'file', 'dispatch', 'handle', 'report', 'verify', 'close'])
    expect(rows[0]).toEqual({ stage: 'receive', time_limit_minutes: 30, requirement: '' })
    expect(rows[1]).toEqual({ stage: 'file', time_limit_minutes: null, requirement: '' })
    expect(rows[6]).toEqual({ stage: 'close', time_limit_minutes: 60, requirement: '归档' })
  })

  it('drops unknown stages, keeps the first duplicate and ignores bad numbers', () => {
    const rows = stageRows([
      { stage: 'archive', time_limit_minutes: 5, requirement: 'x' },
      { stage: 'handle', time_limit_minutes: 120, requirement: 'a' },
      { stage: 'handle', time_limit_minutes: 5, requirement: 'b' },
      { stage: 'verify', time_limit_minutes: -3, requirement: null },
    ])
    expect(rows[3]).toEqual({ stage: 'handle', time_limit_minutes: 120, requirement: 'a' })
    expect(rows[5]).toEqual({ stage: 'verify', time_limit_minutes: null, requirement: '' })
    expect(stageRows(undefined)).toHaveLength(7)
  })
})

describe('effectiveStageRules', () => {
  const major = [
    { stage: 'receive', time_limit_minutes: 30, requirement: '核实位置' },
    { stage: 'handle', time_limit_minutes: 240, requirement: '拍照留证' },
  ]

  it('a minor inherits what it does not set, stage by stage', () => {
    const rows = effectiveStageRules([{ stage: 'handle', time_limit_minutes: 120, requirement: '' }], major)
    const receive = rows[0]
    expect(receive.time_limit_minutes).toBeNull()
    expect(receive.effective_minutes).toBe(30)
    expect(receive.time_inherited).toBe(true)
    expect(receive.effective_requirement).toBe('核实位置')
    expect(receive.requirement_inherited).toBe(true)

    const handle = rows[3]
    expect(handle.effective_minutes).toBe(120)
    expect(handle.time_inherited).toBe(false)
    expect(handle.effective_requirement).toBe('拍照留证')
    expect(handle.requirement_inherited).toBe(true)

    const file = rows[1]
    expect(file.effective_minutes).toBeNull()
    expect(file.time_inherited).toBe(false)
    expect(file.requirement_inherited).toBe(false)
  })

  it('own values win, and a major inherits nothing', () => {
    const rows = effectiveStageRules([{ stage: 'receive', time_limit_minutes: 10, requirement: '当场受理' }], major)
    expect(rows[0]).toMatchObject({ effective_minutes: 10, effective_requirement: '当场受理', time_inherited: false, requirement_inherited: false })
    const own = effectiveStageRules(major, null)
    expect(own.every((r) => !r.time_inherited && !r.requirement_inherited)).toBe(true)
    expect(own[2].effective_minutes).toBeNull()
  })

  it('a blank requirement counts as not set', () => {
    const rows = effectiveStageRules([{ stage: 'receive', time_limit_minutes: null, requirement: '  ' }], major)
    expect(rows[0].requirement_inherited).toBe(true)
  })
})

describe('compactStageRules', () => {
  it('sends only stages with own values, trimmed, in order', () => {
    const rows = stageRows([
      { stage: 'verify', time_limit_minutes: null, requirement: ' 复核 ' },
      { stage: 'receive', time_limit_minutes: 0, requirement: '' },
    ])
    expect(compactStageRules(rows)).toEqual([
      { stage: 'receive', time_limit_minutes: 0, requirement: '' },
      { stage: 'verify', time_limit_minutes: null, requirement: '复核' },
    ])
    expect(compactStageRules(stageRows([]))).toEqual([])
  })
})

describe('minutes', () => {
  it('split and join round-trip', () => {
    expect(splitMinutes(150)).toEqual({ hours: 2, minutes: 30 })
    expect(splitMinutes(null)).toEqual({ hours: null, minutes: null })
    expect(joinMinutes(2, 30)).toBe(150)
    expect(joinMinutes(null, 45)).toBe(45)
    expect(joinMinutes(3, null)).toBe(180)
    expect(joinMinutes(null, undefined)).toBeNull()
    expect(joinMinutes(-1, 5)).toBe(5)
  })

  it('formats in Chinese', () => {
    expect(formatMinutes(150)).toBe('2 小时 30 分')
    expect(formatMinutes(45)).toBe('45 分')
    expect(formatMinutes(1440)).toBe('24 小时')
    expect(formatMinutes(0)).toBe('0 分')
    expect(formatMinutes(null)).toBe('不限')
    expect(formatMinutes(undefined, '-')).toBe('-')
  })
})

describe('checkStageRules', () => {
  const label = (s: string) => `[${s}]`
  it('accepts empty and in-range values', () => {
    expect(checkStageRules(stageRows([]), label)).toBeNull()
    expect(checkStageRules(stageRows([{ stage: 'handle', time_limit_minutes: 525600, requirement: 'x' }]), label)).toBeNull()
  })

  it('rejects zero, over a year and long requirements, naming the stage', () => {
    expect(checkStageRules(stageRows([{ stage: 'file', time_limit_minutes: 0 }]), label)).toBe('[file]时限须在 1 分钟到 365 天之间')
    expect(checkStageRules(stageRows([{ stage: 'close', time_limit_minutes: 525601 }]), label)).toBe('[close]时限须在 1 分钟到 365 天之间')
    expect(checkStageRules(stageRows([{ stage: 'verify', requirement: '字'.repeat(201) }]), label)).toBe('[verify]要求不超过 200 个字')
  })
})
