import { describe, expect, it } from 'vitest'
import {
  CATEGORY_CODE_PATTERN,
  checkPassword,
  CONFIG_CODE_PATTERN,
  ID_NUMBER_PATTERN,
  passwordClasses,
  PHONE_PATTERN,
  USERNAME_PATTERN,
} from './validators'

describe('password policy', () => {
  it.each([
    ['Abcdefghi1', null],
    ['abcdefgh1!', null],
    ['ABCDEFGH1!', null],
    ['Abc1!', '密码长度至少 10 位'],
    ['abcdefghij1', '密码需包含大写字母、小写字母、数字、符号中的至少 3 类'],
    ['abcdefghijk', '密码需包含大写字母、小写字母、数字、符号中的至少 3 类'],
  ])('%s', (pwd, expected) => {
    expect(checkPassword(pwd)).toBe(expected)
  })

  it('counts classes', () => {
    expect(passwordClasses('aA1!')).toBe(4)
    expect(passwordClasses('丽水')).toBe(1)
  })
})

describe('patterns', () => {
  it('username: 3–32 of [a-zA-Z0-9_.]', () => {
    expect(USERNAME_PATTERN.test('zhang.san_01')).toBe(true)
    expect(USERNAME_PATTERN.test('ab')).toBe(false)
    expect(USERNAME_PATTERN.test('a'.repeat(33))).toBe(false)
    expect(USERNAME_PATTERN.test('张三')).toBe(false)
  })
  it('phone: 11 digits starting 1[3-9]', () => {
    expect(PHONE_PATTERN.test('13812345678')).toBe(true)
    expect(PHONE_PATTERN.test('12812345678')).toBe(false)
    expect(PHONE_PATTERN.test('1381234567')).toBe(false)
  })
  it('id number: 18 characters, last may be X', () => {
    expect(ID_NUMBER_PATTERN.test('33110219900101123X')).toBe(true)
    expect(ID_NUMBER_PATTERN.test('331102199001011234')).toBe(true)
    expect(ID_NUMBER_PATTERN.test('33110219900101123')).toBe(false)
  })
})

describe('clue config codes', () => {
  it('category codes: 1–16 letters, digits, _ or -', () => {
    for (const ok of ['01', '0101', 'A-1_b', 'x'.repeat(16)]) expect(CATEGORY_CODE_PATTERN.test(ok)).toBe(true)
    for (const bad of ['', 'x'.repeat(17), '01 02', '分类']) expect(CATEGORY_CODE_PATTERN.test(bad)).toBe(false)
  })

  it('case-type / severity codes: lower-case, starting with a letter', () => {
    for (const ok of ['complaint', 'level_1', 'ab']) expect(CONFIG_CODE_PATTERN.test(ok)).toBe(true)
    for (const bad of ['Complaint', '1st', 'a', 'a-b']) expect(CONFIG_CODE_PATTERN.test(bad)).toBe(false)
  })
})
