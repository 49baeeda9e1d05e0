import { describe, expect, it } from 'vitest'
import {
  badCategoryPrefix,
  checkAppKey,
  checkEndpoint,
  checkSecret,
  formatSchedule,
  formatTimeout,
  optionsText,
  parseOptionsText,
  provinceOptions,
  provinceOptionsObject,
} from './options'

describe('province options', () => {
  it('reads the stored object and defaults what is missing or malformed', () => {
    expect(provinceOptions({ categories: ['E05', ' E0502 ', 'E05', 7, ''], scheme1_for_enterprise: true })).toEqual({
      categories: ['E05', 'E0502'],
      scheme1_for_enterprise: true,
      scheme3_for_person: false,
    })
    expect(provinceOptions(null)).toEqual({ categories: [], scheme1_for_enterprise: false, scheme3_for_person: false })
    expect(provinceOptions({ categories: 'E05', scheme3_for_person: 'yes' })).toEqual({
      categories: [],
      scheme1_for_enterprise: false,
      scheme3_for_person: false,
    })
  })

  it('saves the form over the stored object and keeps keys the form does not know', () => {
    const saved = provinceOptionsObject(
      { categories: ['E01'], region: '3311', scheme3_for_person: true },
      { categories: ['E05', 'E05', ' '], scheme1_for_enterprise: true, scheme3_for_person: false },
    )
    expect(saved).toEqual({ region: '3311', categories: ['E05'], scheme1_for_enterprise: true, scheme3_for_person: false })
    expect(provinceOptionsObject([], { categories: [], scheme1_for_enterprise: false, scheme3_for_person: false })).toEqual({
      categories: [],
      scheme1_for_enterprise: false,
      scheme3_for_person: false,
    })
  })

  it('flags category prefixes that are not codes', () => {
    expect(badCategoryPrefix(['E05', 'E0502'])).toBeNull()
    expect(badCategoryPrefix(['E05', '市容'])).toBe('市容')
    expect(badCategoryPrefix(['E05 01'])).toBe('E05 01')
  })
})

describe('options JSON editor', () => {
  it('accepts objects and an empty text, rejects other JSON and bad syntax', () => {
    expect(parseOptionsText('')).toEqual({ ok: true, value: {} })
    expect(parseOptionsText(' {"agent_id": 123} ')).toEqual({ ok: true, value: { agent_id: 123 } })
    const arr = parseOptionsText('[1, 2]')
    expect(arr.ok).toBe(false)
    if (!arr.ok) expect(arr.error).toContain('JSON 对象')
    const bad = parseOptionsText('{agent_id: 1}')
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error).toContain('不是有效的 JSON')
    expect(parseOptionsText('null').ok).toBe(false)
  })

  it('shows the stored options pretty-printed, {} when not an object', () => {
    expect(optionsText({ a: 1 })).toBe('{\n  "a": 1\n}')
    expect(optionsText(null)).toBe('{}')
  })
})

describe('settings checks mirror the server', () => {
  it('endpoint: empty (simulator) or a full http(s) address', () => {
    expect(checkEndpoint('')).toBeNull()
    expect(checkEndpoint('https://gateway.example.gov.cn/api')).toBeNull()
    expect(checkEndpoint('gateway.example.gov.cn')).not.toBeNull()
    expect(checkEndpoint('https://a b')).not.toBeNull()
    expect(checkEndpoint(`https://${'a'.repeat(510)}`)).not.toBeNull()
  })

  it('app key: no blanks, at most 128, required to enable', () => {
    expect(checkAppKey('', false)).toBeNull()
    expect(checkAppKey('', true)).toBe('启用对接前须填写 AppKey')
    expect(checkAppKey('lsxz demo', false)).not.toBeNull()
    expect(checkAppKey('k'.repeat(129), false)).not.toBeNull()
    expect(checkAppKey('lsxz-demo', true)).toBeNull()
  })

  it('secret: empty keeps the stored one, so enabling needs one stored or typed', () => {
    expect(checkSecret('', true, true)).toBeNull()
    expect(checkSecret('', true, false)).toBe('启用对接前须设置密钥')
    expect(checkSecret('s3cret', true, false)).toBeNull()
    expect(checkSecret('', false, false)).toBeNull()
    expect(checkSecret('x'.repeat(257), false, true)).not.toBeNull()
  })

  it('formats the schedule and the timeout', () => {
    expect(formatSchedule(0)).toBe('仅手动')
    expect(formatSchedule(5)).toBe('每 5 分钟')
    expect(formatSchedule(1500)).toBe('每 1 天 1 小时')
    expect(formatTimeout(800)).toBe('800 毫秒')
    expect(formatTimeout(5000)).toBe('5 秒')
    expect(formatTimeout(2500)).toBe('2.5 秒')
  })
})
