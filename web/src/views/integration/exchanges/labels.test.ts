import { describe, expect, it } from 'vitest'
import { EXCHANGE_DIRECTIONS, EXCHANGE_OUTCOMES, SYSTEM_CODES } from '@/api/integration'
import { labelOf, tagOf } from '@/utils/labels'
import {
  DIRECTION_LABELS,
  exchangeFilterFromRoute,
  interfaceName,
  OUTCOME_LABELS,
  OUTCOME_TAGS,
  prettyBody,
  SYSTEM_LABELS,
} from './labels'

describe('exchange labels', () => {
  it('label every system, direction and outcome in Chinese', () => {
    expect(SYSTEM_CODES.map((s) => labelOf(SYSTEM_LABELS, s))).toEqual(['省执法平台', '浙政钉', '大数据局IRS', '互联网+监管'])
    expect(EXCHANGE_DIRECTIONS.map((d) => labelOf(DIRECTION_LABELS, d))).toEqual(['发出', '接收'])
    expect(EXCHANGE_OUTCOMES.every((o) => labelOf(OUTCOME_LABELS, o) !== o)).toBe(true)
    expect(tagOf(OUTCOME_TAGS, 'ok')).toBe('success')
    expect(tagOf(OUTCOME_TAGS, 'rejected')).toBe('danger')
    expect(tagOf(OUTCOME_TAGS, 'new_outcome')).toBe('info')
  })

  it('names the provincial interfaces by path, with or without a query string', () => {
    expect(interfaceName('/gateway/api/zfjg/command/clue/push')).toBe('线索非主体推送')
    expect(interfaceName('/gateway/api/zfjg/risk/scheme1/push?appKey=x&sign=y')).toBe('一类方案风险推送')
    expect(interfaceName('/api/integration/province/feedback')).toBe('执法反馈推送')
    expect(interfaceName('/unknown')).toBe('')
  })
})

describe('prettyBody', () => {
  it('pretty-prints JSON and leaves other text alone', () => {
    expect(prettyBody('{"code":"00","data":{"id":1}}')).toBe('{\n  "code": "00",\n  "data": {\n    "id": 1\n  }\n}')
    expect(prettyBody('[1,2]')).toBe('[\n  1,\n  2\n]')
    expect(prettyBody('{not json')).toBe('{not json')
    expect(prettyBody('<html>502</html>')).toBe('<html>502</html>')
    expect(prettyBody('   ')).toBe('')
  })
})

describe('exchangeFilterFromRoute', () => {
  it('takes known values from a link and ignores the rest', () => {
    expect(
      exchangeFilterFromRoute({
        system: 'province',
        direction: 'in',
        outcome: 'retry',
        interface: '/gateway/api/zfjg/command/clue/push',
        keyword: '331102',
        case_id: '5',
        from: '1700000000000',
        to: '1700086400000',
      }),
    ).toEqual({
      system: 'province',
      direction: 'in',
      outcome: 'retry',
      interface: '/gateway/api/zfjg/command/clue/push',
      keyword: '331102',
      case_id: 5,
      from: 1700000000000,
      to: 1700086400000,
    })
    expect(exchangeFilterFromRoute({ direction: 'sideways', outcome: 'meh', case_id: '-3', from: '1e3' })).toEqual({})
  })
})
