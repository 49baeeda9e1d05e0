import { describe, expect, it } from 'vitest'
import type { DictType } from '@/api/types'
import { dictLabel, dictLabelMap } from './dict'

const types: DictType[] = [
  {
    code: 'audit_action',
    name: '审计操作',
    description: '',
    builtin: true,
    items: [
      { id: 1, value: 'auth.login', label: '登录', sort_order: 1, enabled: true, tag_type: null },
      { id: 2, value: 'user.create', label: '新增用户', sort_order: 2, enabled: false, tag_type: null },
      { id: 3, value: 'user.delete', label: ' ', sort_order: 3, enabled: true, tag_type: null },
    ],
  },
]

describe('dict labels', () => {
  it('maps values to labels, disabled items included, blank labels skipped', () => {
    const map = dictLabelMap(types, 'audit_action')
    expect(dictLabel(map, 'auth.login')).toBe('登录')
    expect(dictLabel(map, 'user.create')).toBe('新增用户')
    expect(dictLabel(map, 'user.delete')).toBe('user.delete')
  })

  it('falls back to the raw code, and works without the dictionary', () => {
    const none = dictLabelMap(types, 'audit_target')
    expect(none.size).toBe(0)
    expect(dictLabel(none, 'role')).toBe('role')
    expect(dictLabel(none, '')).toBe('-')
    expect(dictLabel(none, null, '')).toBe('')
  })
})
