import { describe, expect, it } from 'vitest'
import { INTAKE_FIELDS, type Category, type Source } from '@/api/clue/types'
import {
  checkCallbackUrl,
  duplicateKeys,
  mappingProblem,
  mappingRow,
  mappingToRows,
  minorCategoryGroups,
  rowsToMapping,
  sourceMatches,
  type MappingRules,
} from './source'

const rows = (...pairs: [string, string][]) => pairs.map(([k, v]) => mappingRow(k, v))
const pairsOf = (r: { key: string; value: string }[]) => r.map((x) => [x.key, x.value])

describe('mapping rows ↔ object', () => {
  it('lists the keys in the given order first, then the others by code', () => {
    const r = mappingToRows({ reporter_phone: 'tel', description: 'content', zzz: 'z', aaa: 'a' }, INTAKE_FIELDS)
    expect(pairsOf(r)).toEqual([
      ['description', 'content'],
      ['reporter_phone', 'tel'],
      ['aaa', 'a'],
      ['zzz', 'z'],
    ])
    expect(pairsOf(mappingToRows({ '0302': 'E0102', '0301': 'E0502' }))).toEqual([
      ['0301', 'E0502'],
      ['0302', 'E0102'],
    ])
    expect(mappingToRows(null)).toEqual([])
  })

  it('gives every row its own uid', () => {
    const r = mappingToRows({ a: '1', b: '2' })
    expect(new Set([...r, mappingRow()].map((x) => x.uid)).size).toBe(3)
  })

  it('builds the object trimmed, skipping blank rows; the first of a repeated key wins', () => {
    expect(rowsToMapping(rows([' 0301 ', ' E0502'], ['', '  '], ['0302', 'E0102'], ['0301', 'X']))).toEqual({
      '0301': 'E0502',
      '0302': 'E0102',
    })
    expect(rowsToMapping([])).toEqual({})
  })

  it('round-trips', () => {
    const m = { description: 'sqnr', reporter_phone: 'lxdh' }
    expect(rowsToMapping(mappingToRows(m, INTAKE_FIELDS))).toEqual(m)
  })
})

describe('mapping checks', () => {
  const CATEGORY: MappingRules = { keyName: '来源分类编码', valueName: '我方小类', maxKeyLength: 64, maxRows: 3 }
  const FIELD: MappingRules = { keyName: '接入标准字段', valueName: '来源字段名', allowedKeys: INTAKE_FIELDS, maxValueLength: 64 }

  it('finds repeated keys (trimmed, blanks ignored)', () => {
    expect([...duplicateKeys(rows(['a', '1'], [' a', '2'], ['b', '3'], ['', '4'], ['', '5']))]).toEqual(['a'])
    expect(duplicateKeys(rows(['a', '1'], ['b', '2'])).size).toBe(0)
  })

  it('accepts a complete mapping and blank rows', () => {
    expect(mappingProblem(rows(['0301', 'E0502'], ['', '']), CATEGORY)).toBeNull()
    expect(mappingProblem([], FIELD)).toBeNull()
  })

  it('names the row with a missing side', () => {
    expect(mappingProblem(rows(['0301', 'E0502'], ['', 'E0102']), CATEGORY)).toBe('第 2 行：请填写来源分类编码')
    expect(mappingProblem(rows(['description', ' ']), FIELD)).toBe('第 1 行：请填写来源字段名')
  })

  it('refuses fields outside the intake standard and over-long names', () => {
    expect(mappingProblem(rows(['password', 'pw']), FIELD)).toBe('第 1 行：password 不是接入标准中的字段')
    expect(mappingProblem(rows(['address', 'x'.repeat(65)]), FIELD)).toBe('第 1 行：来源字段名不超过 64 个字符')
    expect(mappingProblem(rows(['码'.repeat(65), 'E0502']), CATEGORY)).toBe('第 1 行：来源分类编码不超过 64 个字符')
  })

  it('refuses repeated keys and too many rows', () => {
    expect(mappingProblem(rows(['0301', 'E0502'], ['0301', 'E0102']), CATEGORY)).toBe('来源分类编码重复：0301')
    expect(mappingProblem(rows(['1', 'a'], ['2', 'b'], ['3', 'c'], ['4', 'd']), CATEGORY)).toBe('最多 3 条')
  })
})

describe('callback URL', () => {
  it('accepts empty and complete http(s) URLs', () => {
    expect(checkCallbackUrl('')).toBeNull()
    expect(checkCallbackUrl('  ')).toBeNull()
    expect(checkCallbackUrl('https://zgt.lishui.gov.cn/api/xiezhi/callback')).toBeNull()
    expect(checkCallbackUrl('http://10.1.2.3:8080/cb')).toBeNull()
  })

  it('refuses other schemes, spaces and bare schemes', () => {
    expect(checkCallbackUrl('ftp://x')).not.toBeNull()
    expect(checkCallbackUrl('zgt.lishui.gov.cn/cb')).not.toBeNull()
    expect(checkCallbackUrl('https://a b/cb')).not.toBeNull()
    expect(checkCallbackUrl('https://')).not.toBeNull()
    expect(checkCallbackUrl(`https://a.cn/${'x'.repeat(520)}`)).toBe('回调地址不超过 512 个字符')
  })
})

describe('source list', () => {
  const source: Source = {
    id: 1,
    code: 'hotline_12345',
    name: '12345 政务服务热线',
    kind: 'hotline',
    app_key: 'lsxz_hotline12345',
    region_code: '331100',
    region_name: '丽水市',
    department_id: null,
    department_name: null,
    callback_url: null,
    category_mapping: {},
    field_mapping: {},
    enabled: true,
    last_seen_at: null,
  }

  it('matches by name, code, app key, kind and region', () => {
    expect(sourceMatches(source, '')).toBe(true)
    expect(sourceMatches(source, '热线')).toBe(true)
    expect(sourceMatches(source, 'HOTLINE')).toBe(true)
    expect(sourceMatches(source, 'lsxz_')).toBe(true)
    expect(sourceMatches(source, '丽水')).toBe(true)
    expect(sourceMatches(source, '智管通')).toBe(false)
  })
})

describe('minor category options', () => {
  const cat = (id: number, parent_id: number | null, code: string, name: string, sort_order: number, enabled = true): Category => ({
    id,
    parent_id,
    code,
    name,
    level: parent_id === null ? 'major' : 'minor',
    kind: 'event',
    sort_order,
    enabled,
    stage_rules: [],
  })

  it('groups the minors under their majors in sort order and marks disabled ones', () => {
    const groups = minorCategoryGroups([
      cat(3, 1, 'E0102', '乱堆物料', 2),
      cat(1, null, 'E01', '市容环境', 1),
      cat(2, 1, 'E0101', '暴露垃圾', 1, false),
      cat(4, null, 'E02', '街面秩序', 2),
    ])
    expect(groups).toEqual([
      {
        label: '市容环境（E01）',
        options: [
          { value: 'E0101', label: '暴露垃圾（E0101） · 已停用' },
          { value: 'E0102', label: '乱堆物料（E0102）' },
        ],
      },
    ])
  })
})
