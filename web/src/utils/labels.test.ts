import { describe, expect, it } from 'vitest'
import { avatarText, DEPARTMENT_KIND_LABELS, labelOf, tagOf, DUTY_TAGS, toOptions } from './labels'

describe('labels', () => {
  it('labelOf falls back to the raw value and to a placeholder', () => {
    expect(labelOf(DEPARTMENT_KIND_LABELS, 'squad')).toBe('执法中队')
    expect(labelOf(DEPARTMENT_KIND_LABELS, 'new_kind')).toBe('new_kind')
    expect(labelOf(DEPARTMENT_KIND_LABELS, null)).toBe('-')
    expect(labelOf(DEPARTMENT_KIND_LABELS, 'toString')).toBe('toString')
  })

  it('tagOf defaults to info', () => {
    expect(tagOf(DUTY_TAGS, 'audit')).toBe('danger')
    expect(tagOf(DUTY_TAGS, 'other')).toBe('info')
  })

  it('toOptions keeps declaration order', () => {
    expect(toOptions({ a: 'A', b: 'B' })).toEqual([
      { value: 'a', label: 'A' },
      { value: 'b', label: 'B' },
    ])
  })

  it('avatarText', () => {
    expect(avatarText('张伟')).toBe('张伟')
    expect(avatarText('欧阳娜娜')).toBe('娜娜')
    expect(avatarText('系统管理员')).toBe('系')
    expect(avatarText('')).toBe('?')
  })
})
