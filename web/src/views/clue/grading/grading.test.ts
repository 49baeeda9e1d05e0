import { describe, expect, it } from 'vitest'
import { gradingConditionParts, gradingConditionsText, gradingUnitText, nextPriority, normaliseConditions, sortRules } from './grading'

describe('grading rule summaries', () => {
  it('names every condition with known names', () => {
    const text = gradingConditionsText(
      {
        categories: ['E05', 'X'],
        severities: ['urgent'],
        regions: ['331102'],
        keywords: ['违建', '违法搭建'],
        subject_types: ['enterprise', 'none'],
        sources: ['hotline'],
      },
      {
        category: (c) => (c === 'E05' ? '违法建设' : undefined),
        severity: (c) => (c === 'urgent' ? '紧急' : undefined),
        region: (c) => (c === '331102' ? '莲都区' : undefined),
        source: () => '12345热线',
      },
    )
    expect(text).toBe('分类：违法建设、X；紧急程度：紧急；区域：莲都区；关键词：违建、违法搭建；对象：企业、无对象；来源：12345热线')
  })

  it('says when a rule matches everything', () => {
    expect(gradingConditionsText({})).toBe('任意案件')
    expect(gradingConditionParts(null)).toEqual([])
  })

  it('names the unit', () => {
    expect(gradingUnitText({ department_id: 3, department_name: '市综合执法支队', tier: 'city' })).toBe('市综合执法支队')
    expect(gradingUnitText({ department_id: null, tier: 'county' })).toBe('按权责清单')
    expect(gradingUnitText({ department_id: null, tier: 'township' })).toContain('乡镇执法队')
  })
})

describe('grading rule forms', () => {
  it('normalises lists like the server', () => {
    expect(normaliseConditions({ keywords: [' 火灾 ', '', '火灾', '爆炸'] })).toEqual({
      categories: [],
      severities: [],
      regions: [],
      keywords: ['火灾', '爆炸'].sort(),
      subject_types: [],
      sources: [],
    })
  })

  it('orders rules and suggests the next priority', () => {
    expect(nextPriority([])).toBe(10)
    expect(nextPriority([{ priority: 5 }, { priority: 30 }])).toBe(40)
    expect(nextPriority([{ priority: 9_995 }])).toBe(10_000)
    expect(sortRules([{ id: 2, priority: 10 }, { id: 1, priority: 10 }, { id: 3, priority: 1 }]).map((r) => r.id)).toEqual([3, 1, 2])
  })
})
