// Routes of the platform module (F76–F79): system administration, security administration and
// audit are separate menu groups so that the three administrators (三员) each see their own.
// Page paths are absolute and follow the module (`/platform/<page>`, `/audit/log`): portal tiles
// seeded by the back end link to them, so they must not change with the menu grouping.
import type { RouteRecordRaw } from 'vue-router'

const Layout = () => import('@/layout/index.vue')

export const platformRoutes: RouteRecordRaw[] = [
  {
    path: '/system',
    name: 'system',
    component: Layout,
    meta: { title: '系统管理', icon: 'Setting' },
    children: [
      {
        path: '/platform/org',
        name: 'platform-org',
        component: () => import('@/views/platform/org/index.vue'),
        meta: { title: '组织机构', icon: 'OfficeBuilding', perm: 'platform:org:view' },
      },
      {
        path: '/platform/user',
        name: 'platform-user',
        component: () => import('@/views/platform/user/index.vue'),
        meta: { title: '用户管理', icon: 'User', perm: 'platform:user:view' },
      },
      {
        path: '/platform/region',
        name: 'platform-region',
        component: () => import('@/views/platform/region/index.vue'),
        meta: { title: '行政区划', icon: 'MapLocation', perm: 'platform:region:view' },
      },
      {
        path: '/platform/item',
        name: 'platform-item',
        component: () => import('@/views/platform/item/index.vue'),
        meta: { title: '执法事项目录', icon: 'Tickets', perm: 'platform:item:view' },
      },
      {
        path: '/platform/dict',
        name: 'platform-dict',
        component: () => import('@/views/platform/dict/index.vue'),
        meta: { title: '数据字典', icon: 'Collection', perm: 'platform:dict:view' },
      },
      {
        path: '/platform/portal',
        name: 'platform-portal',
        component: () => import('@/views/platform/portal/index.vue'),
        meta: { title: '门户配置', icon: 'Grid', perm: 'platform:portal:edit' },
      },
    ],
  },
  {
    path: '/security',
    name: 'security',
    component: Layout,
    meta: { title: '安全管理', icon: 'Lock' },
    children: [
      {
        path: '/platform/role',
        name: 'platform-role',
        component: () => import('@/views/platform/role/index.vue'),
        meta: { title: '角色权限', icon: 'Key', perm: 'platform:role:view' },
      },
    ],
  },
  {
    path: '/audit',
    name: 'audit',
    component: Layout,
    meta: { title: '安全审计', icon: 'DocumentChecked' },
    children: [
      {
        path: 'log',
        name: 'audit-log',
        component: () => import('@/views/audit/log/index.vue'),
        meta: { title: '审计日志', icon: 'Document', perm: 'platform:audit:view' },
      },
    ],
  },
]
