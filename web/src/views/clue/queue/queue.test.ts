import { describe, expect, it } from 'vitest'
import { caseText, QUEUE_CARDS, queueLink, scoreColor, scorePercent } from './queue'

describe('queue cards', () => {
  it('link to the case list with the agreed filters', () => {
    const links = Object.fromEntries(QUEUE_CARDS.map((c) => [c.key, queueLink(c)]))
    expect(links).toEqual({
      filing: '/clue/cases?activity=file&status=active',
      suspected: null,
      returned: '/clue/cases?activity=dispatch&returned=true&status=active',
      ungraded: '/clue/cases?activity=dispatch&grading=pending&returned=false&status=active',
      extension: '/clue/cases?activity=extension&status=active',
      overdue: '/clue/cases?overdue=true&status=active',
    })
  })
})

describe('similarity', () => {
  it('shows the score as a clamped percentage', () => {
    expect(scorePercent(0.876)).toBe(88)
    expect(scorePercent(1.2)).toBe(100)
    expect(scorePercent(-1)).toBe(0)
    expect(scorePercent(Number.NaN)).toBe(0)
    expect(scoreColor(90)).toBe('#F56C6C')
    expect(scoreColor(70)).toBe('#E6A23C')
    expect(scoreColor(30)).toBe('#409EFF')
  })
})

describe('case text', () => {
  it('shows a title cut from the description once', () => {
    expect(caseText('井盖破损', '井盖破损，车辆经过有异响')).toEqual({ title: '井盖破损，车辆经过有异响', description: '' })
    expect(caseText('井盖破损…', '井盖破损，车辆经过有异响')).toEqual({ title: '井盖破损，车辆经过有异响', description: '' })
    expect(caseText('同一问题', '同一问题')).toEqual({ title: '同一问题', description: '' })
    expect(caseText('占道经营', '中山街门口有人摆摊')).toEqual({ title: '占道经营', description: '中山街门口有人摆摊' })
    expect(caseText('', '')).toEqual({ title: '（无标题）', description: '' })
  })
})
