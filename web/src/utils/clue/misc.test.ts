import { describe, expect, it } from 'vitest'
import type { Category } from '@/api/clue/types'
import { categoryMatches, categoryPathName, categoryTree, nextSortOrder } from './category'
import { checkThresholds, formatRadius, formatThreshold } from './dedup'
import { formatHours, tierForRegionLevel } from './responsibility'
import { changedKeys } from './snapshot'

const cat = (id: number, parent_id: number | null, name: string, sort_order: number): Category => ({
  id,
  parent_id,
  code: `C${id}`,
  name,
  level: parent_id === null ? 'major' : 'minor',
  kind: 'event',
  sort_order,
  enabled: true,
  stage_rules: [],
})

const list = [cat(3, 1, '暴露垃圾', 2), cat(1, null, '市容环境', 1), cat(2, 1, '乱堆物料', 1), cat(4, null, '街面秩序', 2)]

describe('categories', () => {
  it('builds the major → minor tree sorted by sort order', () => {
    const tree = categoryTree(list)
    expect(tree.map((n) => n.name)).toEqual(['市容环境', '街面秩序'])
    expect(tree[0].children.map((n) => n.name)).toEqual(['乱堆物料', '暴露垃圾'])
  })

  it('names a category with its major', () => {
    const byId = new Map(list.map((c) => [c.id, c]))
    expect(categoryPathName(byId, 3)).toBe('市容环境 / 暴露垃圾')
    expect(categoryPathName(byId, 1)).toBe('市容环境')
    expect(categoryPathName(byId, 99)).toBe('#99')
    expect(categoryPathName(byId, null)).toBe('-')
  })

  it('matches by name or code', () => {
    expect(categoryMatches({ name: '暴露垃圾', code: 'SR01' }, '垃圾')).toBe(true)
    expect(categoryMatches({ name: '暴露垃圾', code: 'SR01' }, 'sr0')).toBe(true)
    expect(categoryMatches({ name: '暴露垃圾', code: 'SR01' }, '占道')).toBe(false)
    expect(categoryMatches({ name: '暴露垃圾', code: 'SR01' }, ' ')).toBe(true)
  })

  it('proposes the next sort order among siblings', () => {
    expect(nextSortOrder(list, 1)).toBe(3)
    expect(nextSortOrder(list, null)).toBe(3)
    expect(nextSortOrder(list, 4)).toBe(1)
  })
})

describe('dedup thresholds', () => {
  it('accepts low ≤ high within 0–1', () => {
    expect(checkThresholds(0.6, 0.85)).toBeNull()
    expect(checkThresholds(0.8, 0.8)).toBeNull()
    expect(checkThresholds(0, 1)).toBeNull()
  })

  it('rejects low > high, out-of-range and missing values', () => {
    expect(checkThresholds(0.9, 0.85)).toBe('疑似重复阈值不能高于自动合并阈值')
    expect(checkThresholds(-0.1, 0.5)).toBe('相似度阈值须在 0 到 1 之间')
    expect(checkThresholds(0.5, 1.2)).toBe('相似度阈值须在 0 到 1 之间')
    expect(checkThresholds(null, 0.5)).toBe('请设置相似度阈值')
  })

  it('compares at two decimals', () => {
    expect(checkThresholds(0.801, 0.8)).toBeNull()
  })

  it('formats', () => {
    expect(formatThreshold(0.8)).toBe('0.80')
    expect(formatThreshold(null)).toBe('-')
    expect(formatRadius(500)).toBe('500 米')
    expect(formatRadius(1500)).toBe('1.5 公里')
  })
})

describe('responsibility', () => {
  it('derives the tier from the region level', () => {
    expect(tierForRegionLevel('city')).toBe('city')
    expect(tierForRegionLevel('township')).toBe('township')
    expect(tierForRegionLevel('grid')).toBeNull()
  })

  it('formats hours', () => {
    expect(formatHours(4)).toBe('4 小时')
    expect(formatHours(48)).toBe('48 小时（2 天）')
    expect(formatHours(1.5)).toBe('1.5 小时')
    expect(formatHours(undefined)).toBe('-')
  })
})

describe('changedKeys', () => {
  it('lists the top-level keys that differ, ignoring key order', () => {
    expect(changedKeys({ a: 1, b: { x: 1, y: 2 }, c: 3 }, { a: 2, b: { y: 2, x: 1 }, d: 4 })).toEqual(['a', 'c', 'd'])
    expect(changedKeys({ rules: [1, 2] }, { rules: [2, 1] })).toEqual(['rules'])
  })

  it('everything is new without a previous version', () => {
    expect(changedKeys(null, { b: 1, a: 2 })).toEqual(['a', 'b'])
    expect(changedKeys({}, 'x')).toEqual([])
  })
})
