import { describe, expect, it } from 'vitest'
import type { Permission } from '@/api/types'
import {
  adminDutiesOf,
  checkState,
  groupPermissions,
  parsePermCode,
  setCodes,
  splitPermName,
} from './permMatrix'

const p = (code: string, name: string, duty: Permission['duty'] = 'system', moduleName = '平台管理'): Permission => ({
  code,
  name,
  module: code.split(':')[0],
  module_name: moduleName,
  duty,
})

const perms: Permission[] = [
  p('platform:user:view', '用户:查看'),
  p('platform:user:create', '用户:新增'),
  p('platform:user:reveal', '用户:查看完整信息', 'security'),
  p('platform:role:view', '查看角色', 'security'),
  p('platform:role:edit', '编辑角色', 'security'),
  p('platform:audit:view', '审计日志-查看', 'audit'),
  p('clue:case:view', '事件 查看', 'business', '线索中心'),
  p('clue:case:dispatch:city', '事件 市级派遣', 'business', '线索中心'),
]

describe('parsePermCode', () => {
  it('splits module, entity and action', () => {
    expect(parsePermCode('platform:user:view')).toEqual({ module: 'platform', entity: 'user', action: 'view' })
  })
  it('keeps extra segments in the action', () => {
    expect(parsePermCode('clue:case:dispatch:city')).toEqual({ module: 'clue', entity: 'case', action: 'dispatch:city' })
  })
  it('tolerates short codes', () => {
    expect(parsePermCode('platform:admin')).toEqual({ module: 'platform', entity: '', action: 'admin' })
  })
})

describe('splitPermName', () => {
  it.each([
    ['用户:查看', '用户', '查看'],
    ['用户：查看', '用户', '查看'],
    ['审计日志-导出', '审计日志', '导出'],
    ['事件 查看', '事件', '查看'],
  ])('%s', (name, entity, action) => {
    expect(splitPermName(name)).toEqual({ entity, action })
  })
  it('returns the whole name as action without a separator', () => {
    expect(splitPermName('查看角色')).toEqual({ entity: null, action: '查看角色' })
  })
})

describe('groupPermissions', () => {
  const modules = groupPermissions(perms)

  it('groups by module in first-seen order with module_name as title', () => {
    expect(modules.map((m) => [m.module, m.name])).toEqual([
      ['platform', '平台管理'],
      ['clue', '线索中心'],
    ])
    expect(modules[0].codes).toHaveLength(6)
  })

  it('makes one row per entity with one action per code', () => {
    const platform = modules[0]
    expect(platform.rows.map((r) => r.entity)).toEqual(['user', 'role', 'audit'])
    const user = platform.rows[0]
    expect(user.key).toBe('platform:user')
    expect(user.actions.map((a) => [a.action, a.label])).toEqual([
      ['view', '查看'],
      ['create', '新增'],
      ['reveal', '查看完整信息'],
    ])
  })

  it('takes row labels from the names, falling back to known entity labels', () => {
    const [platform, clue] = modules
    expect(platform.rows.map((r) => r.label)).toEqual(['用户', '角色', '审计日志'])
    expect(clue.rows[0].label).toBe('事件')
    // names without an entity part keep their full text as action label
    expect(platform.rows[1].actions.map((a) => a.label)).toEqual(['查看角色', '编辑角色'])
  })

  it('collects the distinct duties of a row', () => {
    expect(modules[0].rows[0].duties).toEqual(['system', 'security'])
    expect(modules[1].rows[0].duties).toEqual(['business'])
  })

  it('returns nothing for no permissions', () => {
    expect(groupPermissions([])).toEqual([])
  })
})

describe('selection helpers', () => {
  const row = ['a', 'b', 'c']

  it('checkState', () => {
    expect(checkState(row, new Set())).toBe('none')
    expect(checkState(row, new Set(['b']))).toBe('some')
    expect(checkState(row, new Set(['a', 'b', 'c', 'x']))).toBe('all')
    expect(checkState([], new Set(['a']))).toBe('none')
  })

  it('setCodes adds without duplicates and removes', () => {
    expect(setCodes(['x', 'b'], row, true)).toEqual(['x', 'b', 'a', 'c'])
    expect(setCodes(['x', 'b', 'a'], row, false)).toEqual(['x'])
  })

  it('adminDutiesOf reports mixed administrative duties', () => {
    expect(adminDutiesOf(['platform:user:view', 'clue:case:view'], perms)).toEqual(['system'])
    expect(adminDutiesOf(['platform:user:view', 'platform:audit:view', 'platform:role:edit'], perms)).toEqual([
      'system',
      'security',
      'audit',
    ])
    expect(adminDutiesOf([], perms)).toEqual([])
  })
})
