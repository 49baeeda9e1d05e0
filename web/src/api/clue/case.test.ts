import { describe, expect, it } from 'vitest'
import { shanghaiDayEnd, shanghaiDayStart } from '@/utils/date'
import {
  attachmentUrl,
  caseFilterFromRoute,
  caseSortFromRoute,
  charCount,
  inLishui,
  isCreditCode,
  normalizePhone,
} from './case'

describe('caseFilterFromRoute', () => {
  it('reads the filters other pages link with', () => {
    expect(caseFilterFromRoute({ activity: 'dispatch', grading: 'pending' })).toEqual({
      activity: 'dispatch',
      grading: 'pending',
    })
    expect(caseFilterFromRoute({ overdue: 'true' })).toEqual({ overdue: true })
    expect(caseFilterFromRoute({ returned: 'true', extended: '0' })).toEqual({ returned: true, extended: false })
    expect(caseFilterFromRoute({ returned: 'false' })).toEqual({ returned: false })
  })

  it('reads ids, codes, status and keyword', () => {
    expect(
      caseFilterFromRoute({
        q: '  垃圾  ',
        category_id: '12',
        case_type_id: '3',
        severity_id: '2',
        source_id: '7',
        department_id: '40',
        region_code: '331102',
        status: 'active',
      }),
    ).toEqual({
      q: '垃圾',
      category_id: 12,
      case_type_id: 3,
      severity_id: 2,
      source_id: 7,
      department_id: 40,
      region_code: '331102',
      status: 'active',
    })
    expect(caseFilterFromRoute({ region_code: '331102001' }).region_code).toBe('331102001')
  })

  it('ignores malformed and unknown values', () => {
    expect(
      caseFilterFromRoute({
        category_id: 'abc',
        source_id: '0',
        department_id: '-3',
        region_code: '3311',
        status: 'open',
        grading: 'robot',
        activity: 'Dispatch; drop',
        overdue: 'yes',
        from: 'yesterday',
        unknown: 'x',
        q: '',
      }),
    ).toEqual({})
  })

  it('takes the first of repeated keys and skips nulls', () => {
    expect(caseFilterFromRoute({ status: ['closed', 'active'], q: null })).toEqual({ status: 'closed' })
  })

  it('reads times as milliseconds or Shanghai days', () => {
    expect(caseFilterFromRoute({ from: '1700000000000', to: '1700000999999' })).toEqual({
      from: 1700000000000,
      to: 1700000999999,
    })
    expect(caseFilterFromRoute({ from: '2026-11-01', to: '2026-11-30' })).toEqual({
      from: shanghaiDayStart('2026-11-01'),
      to: shanghaiDayEnd('2026-11-30'),
    })
  })

  it('caps the keyword at 100 characters', () => {
    expect(caseFilterFromRoute({ q: 'a'.repeat(150) }).q).toHaveLength(100)
  })
})

describe('caseSortFromRoute', () => {
  it('accepts the list sort keys only', () => {
    expect(caseSortFromRoute({ sort: 'due_at', order: 'asc' })).toEqual({ sort: 'due_at', order: 'asc' })
    expect(caseSortFromRoute({ sort: 'case_no' })).toEqual({ sort: 'case_no', order: 'desc' })
    expect(caseSortFromRoute({ sort: 'title' })).toBeNull()
    expect(caseSortFromRoute({})).toBeNull()
  })
})

describe('intake rule mirrors', () => {
  it('checks the Lishui extent', () => {
    expect(inLishui(119.92, 28.45)).toBe(true)
    expect(inLishui(120.15, 30.28)).toBe(false) // Hangzhou
    expect(inLishui(118.6, 27.3)).toBe(true)
  })

  it('normalizes mobile and landline numbers', () => {
    expect(normalizePhone('139 0578 1001')).toBe('13905781001')
    expect(normalizePhone('+86 13905781001')).toBe('13905781001')
    expect(normalizePhone('0578-2123456')).toBe('05782123456')
    expect(normalizePhone('12345678901')).toBeNull()
    expect(normalizePhone('1390578100')).toBeNull()
    expect(normalizePhone('12345')).toBeNull()
    expect(normalizePhone('abc')).toBeNull()
  })

  it('validates unified social credit codes', () => {
    expect(isCreditCode('91350100M000100Y43')).toBe(true)
    expect(isCreditCode('91331100563123456K')).toBe(true)
    expect(isCreditCode('91331100563123456k')).toBe(true)
    expect(isCreditCode('913311005631234567')).toBe(false)
    expect(isCreditCode('91331100MA28XXXX0E')).toBe(true)
    expect(isCreditCode('91331100MA28IIII0E')).toBe(false) // I and O are not used
    expect(isCreditCode('9135010')).toBe(false)
  })

  it('counts characters as the server does', () => {
    expect(charCount('  路灯不亮  ')).toBe(4)
    expect(charCount('𠀀ab')).toBe(3)
  })
})

describe('attachmentUrl', () => {
  it('is same-origin under the case', () => {
    expect(attachmentUrl(12, 'ab'.repeat(32))).toBe(`/api/clue/cases/12/attachments/${'ab'.repeat(32)}`)
  })
})
