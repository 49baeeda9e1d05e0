import { describe, expect, it } from 'vitest'
import { countSeqTokens, insertAtCursor, PATTERN_TOKENS, tokenizePattern } from './numbering'

describe('insertAtCursor', () => {
  it('inserts at the caret and moves it behind the token', () => {
    expect(insertAtCursor('LS-', '{seq:5}', 3)).toEqual({ value: 'LS-{seq:5}', caret: 10 })
    expect(insertAtCursor('{region6}', '{yyyyMMdd}', 0)).toEqual({ value: '{yyyyMMdd}{region6}', caret: 10 })
    expect(insertAtCursor('AB', '-', 1)).toEqual({ value: 'A-B', caret: 2 })
  })

  it('replaces the selection', () => {
    expect(insertAtCursor('LS-XXXX-', '{yyyy}', 3, 7)).toEqual({ value: 'LS-{yyyy}-', caret: 9 })
    // reversed or out-of-range selections are clamped
    expect(insertAtCursor('abc', 'X', 2, 1)).toEqual({ value: 'abXc', caret: 3 })
    expect(insertAtCursor('abc', 'X', 10, 20)).toEqual({ value: 'abcX', caret: 4 })
    expect(insertAtCursor('abc', 'X', -5)).toEqual({ value: 'Xabc', caret: 1 })
  })

  it('appends without a cursor', () => {
    expect(insertAtCursor('abc', '{HH}', null)).toEqual({ value: 'abc{HH}', caret: 7 })
    expect(insertAtCursor('', '{yy}', undefined)).toEqual({ value: '{yy}', caret: 4 })
  })
})

describe('tokenizePattern', () => {
  it('splits tokens from literal text', () => {
    expect(tokenizePattern('LS{region6}-{yyyyMMdd}{seq:5}')).toEqual([
      { text: 'LS', token: false },
      { text: '{region6}', token: true },
      { text: '-', token: false },
      { text: '{yyyyMMdd}', token: true },
      { text: '{seq:5}', token: true },
    ])
  })

  it('leaves unknown braces as text', () => {
    expect(tokenizePattern('{foo}{yy}x')).toEqual([
      { text: '{foo}', token: false },
      { text: '{yy}', token: true },
      { text: 'x', token: false },
    ])
    expect(tokenizePattern('')).toEqual([])
  })

  it('recognises every token of the legend', () => {
    for (const t of PATTERN_TOKENS) expect(tokenizePattern(t.token)).toEqual([{ text: t.token, token: true }])
  })
})

describe('countSeqTokens', () => {
  it('counts sequence tokens of any width', () => {
    expect(countSeqTokens('{region6}{seq:5}')).toBe(1)
    expect(countSeqTokens('{seq:3}-{seq:12}')).toBe(2)
    expect(countSeqTokens('{seq}')).toBe(0)
  })
})
