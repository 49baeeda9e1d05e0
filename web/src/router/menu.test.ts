import { describe, expect, it } from 'vitest'
import type { RouteRecordRaw } from 'vue-router'
import { buildMenu, firstAccessiblePath, joinPath, permitted } from './menu'

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
    expect(menu.map((m) => m.name)).toEqual(['home', 'system', 'audit'])
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

  it('firstAccessiblePath picks the first permitted child', () => {
    expect(firstAccessiblePath(routes[2], holding('platform:user:view'))).toBe('/platform/user')
    expect(firstAccessiblePath(routes[2], holding('platform:org:view'))).toBe('/system/org')
    expect(firstAccessiblePath(routes[2], holding())).toBeNull()
  })
})
