import { describe, expect, it } from 'vitest'
import type { RouteRecordRaw } from 'vue-router'
import { buildMenu, findGroup, firstAccessiblePath, joinPath, permitted } from './menu'
import { clueRoutes } from './modules/clue'

const View = { render: () => null }

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: View, meta: { title: '登录', public: true } },
  {
    path: '/',
    component: View,
    children: [
      { path: 'home', name: 'home', component: View, meta: { title: '首页', icon: 'HomeFilled' } },
      { path: 'profile', name: 'profile', component: View, meta: { title: '个人中心', hidden: true } },
    ],
  },
  {
    path: '/system',
    name: 'system',
    component: View,
    meta: { title: '系统管理' },
    children: [
      { path: 'org', name: 'platform-org', component: View, meta: { title: '组织机构', perm: 'platform:org:view' } },
      { path: '/platform/user', name: 'platform-user', component: View, meta: { title: '用户管理', perm: 'platform:user:view' } },
    ],
  },
  {
    path: '/audit',
    name: 'audit',
    component: View,
    meta: { title: '安全审计' },
    children: [{ path: 'log', name: 'audit-log', component: View, meta: { title: '审计日志', perm: 'platform:audit:view' } }],
  },
  {
    path: '/clue',
    name: 'clue',
    component: View,
    meta: { title: '线索中心' },
    children: [
      {
        path: 'config',
        name: 'clue-config',
        meta: { title: '处置规则' },
        children: [
          { path: '/clue/categories', name: 'clue-categories', component: View, meta: { title: '分类配置', perm: 'clue:config:view' } },
          { path: 'dedup', name: 'clue-dedup', component: View, meta: { title: '去重配置', perm: 'clue:config:dedup' } },
        ],
      },
    ],
  },
]

const holding = (...codes: string[]) => (c: string) => codes.includes(c)

describe('buildMenu', () => {
  it('lifts children of untitled routes and keeps permitted leaves', () => {
    const menu = buildMenu(routes, holding('platform:user:view'))
    expect(menu.map((m) => m.name)).toEqual(['home', 'system'])
    expect(menu[0]).toEqual({ name: 'home', path: '/home', title: '首页', icon: 'HomeFilled' })
    expect(menu[1].children?.map((c) => [c.name, c.path])).toEqual([['platform-user', '/platform/user']])
  })

  it('hides a group without visible children', () => {
    const menu = buildMenu(routes, holding())
    expect(menu.map((m) => m.name)).toEqual(['home'])
  })

  it('shows every group to a user holding all codes', () => {
    const menu = buildMenu(routes, () => true)
    expect(menu.map((m) => m.name)).toEqual(['home', 'system', 'audit', 'clue'])
  })

  it('nests sub-groups and drops them (and their parent) when empty', () => {
    const menu = buildMenu(routes, holding('clue:config:dedup'))
    expect(menu.map((m) => m.name)).toEqual(['home', 'clue'])
    const sub = menu[1].children ?? []
    expect(sub.map((c) => [c.name, c.path])).toEqual([['clue-config', '/clue/config']])
    expect(sub[0].children?.map((c) => [c.name, c.path])).toEqual([['clue-dedup', '/clue/config/dedup']])
  })
})

describe('clue module routes', () => {
  it('builds 线索中心 → 处置规则 → its pages for clue:config:view', () => {
    const menu = buildMenu(clueRoutes, holding('clue:config:view'))
    expect(menu.map((m) => [m.name, m.path, m.title])).toEqual([['clue', '/clue', '线索中心']])
    const group = menu[0].children ?? []
    expect(group.map((m) => m.name)).toEqual(['clue-config'])
    expect(group[0].children?.map((m) => [m.name, m.path])).toEqual([
      ['clue-categories', '/clue/categories'],
      ['clue-case-types', '/clue/case-types'],
      ['clue-severities', '/clue/severities'],
      ['clue-numbering', '/clue/numbering'],
      ['clue-responsibilities', '/clue/responsibilities'],
      ['clue-workflows', '/clue/workflows'],
      ['clue-grading-rules', '/clue/grading-rules'],
      ['clue-calendar', '/clue/calendar'],
      ['clue-dedup', '/clue/dedup'],
    ])
  })

  it('shows the inbox and the case list for clue:case:view, entry and the queues for more', () => {
    const view = buildMenu(clueRoutes, holding('clue:case:view'))
    expect(view[0].children?.map((m) => m.name)).toEqual(['clue-inbox', 'clue-cases'])
    const dispatcher = buildMenu(clueRoutes, holding('clue:case:view', 'clue:case:create', 'clue:case:dispatch'))
    expect(dispatcher[0].children?.map((m) => m.name)).toEqual(['clue-inbox', 'clue-cases', 'clue-case-new', 'clue-queues'])
  })

  it('is hidden without clue:config:view or clue:source:view', () => {
    expect(buildMenu(clueRoutes, holding('platform:user:view'))).toEqual([])
    expect(buildMenu(clueRoutes, holding('clue:config:edit', 'clue:source:edit'))).toEqual([])
  })

  it('shows 线索来源 next to 处置规则 for clue:source:view', () => {
    const only = buildMenu(clueRoutes, holding('clue:source:view'))
    expect(only[0].children?.map((m) => [m.name, m.path])).toEqual([['clue-sources', '/clue/sources']])
    const both = buildMenu(clueRoutes, holding('clue:source:view', 'clue:config:view'))
    expect(both[0].children?.map((m) => m.name)).toEqual(['clue-sources', 'clue-config'])
    expect(firstAccessiblePath(clueRoutes[0], holding('clue:source:view'))).toBe('/clue/sources')
  })

  it('the group and the sub-group open the first page', () => {
    expect(firstAccessiblePath(clueRoutes[0], holding('clue:config:view'))).toBe('/clue/categories')
    const sub = findGroup(clueRoutes, 'clue-config')
    expect(sub?.parentPath).toBe('/clue')
    expect(sub && firstAccessiblePath(sub.route, holding('clue:config:view'), sub.parentPath)).toBe('/clue/categories')
    expect(sub && firstAccessiblePath(sub.route, holding(), sub.parentPath)).toBeNull()
  })
})

describe('route helpers', () => {
  it('permitted accepts none, one or any of several codes', () => {
    expect(permitted(undefined, holding())).toBe(true)
    expect(permitted('a', holding('a'))).toBe(true)
    expect(permitted(['a', 'b'], holding('b'))).toBe(true)
    expect(permitted(['a', 'b'], holding())).toBe(false)
  })

  it('joinPath', () => {
    expect(joinPath('/system', 'user')).toBe('/system/user')
    expect(joinPath('/', 'home')).toBe('/home')
    expect(joinPath('/system', '/abs')).toBe('/abs')
  })

  it('findGroup finds top-level and nested groups by name, not pages', () => {
    expect(findGroup(routes, 'system')?.route.path).toBe('/system')
    expect(findGroup(routes, 'system')?.parentPath).toBe('')
    const nested = findGroup(routes, 'clue-config')
    expect(nested?.route.name).toBe('clue-config')
    expect(nested?.parentPath).toBe('/clue')
    expect(findGroup(routes, 'platform-user')).toBeNull()
    expect(findGroup(routes, 'missing')).toBeNull()
    expect(findGroup(routes, undefined)).toBeNull()
  })

  it('firstAccessiblePath walks into nested groups', () => {
    expect(firstAccessiblePath(routes[4], holding('clue:config:dedup'))).toBe('/clue/config/dedup')
    expect(firstAccessiblePath(routes[4], holding('clue:config:view', 'clue:config:dedup'))).toBe('/clue/categories')
    expect(firstAccessiblePath(routes[4], holding())).toBeNull()
  })

  it('firstAccessiblePath picks the first permitted child', () => {
    expect(firstAccessiblePath(routes[2], holding('platform:user:view'))).toBe('/platform/user')
    expect(firstAccessiblePath(routes[2], holding('platform:org:view'))).toBe('/system/org')
    expect(firstAccessiblePath(routes[2], holding())).toBeNull()
  })
})
