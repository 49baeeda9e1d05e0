// Routes of the clue center (智慧执法线索中心). The source registry (F02) is a page of the group;
// the handling rules (F04–F11) form the sub-group 处置规则 so that the clue and case pages can join
// the 线索中心 group next to it. Page paths are absolute (`/clue/<page>`) and do not change with the
// menu grouping.
import type { RouteRecordRaw } from 'vue-router'

const Layout = () => import('@/layout/index.vue')

const VIEW = 'clue:config:view'

export const clueRoutes: RouteRecordRaw[] = [
  {
    path: '/clue',
    name: 'clue',
    component: Layout,
    meta: { title: '线索中心', icon: 'Aim' },
    children: [
      {
        path: '/clue/sources',
        name: 'clue-sources',
        component: () => import('@/views/clue/source/index.vue'),
        meta: { title: '线索来源', icon: 'Connection', perm: 'clue:source:view' },
      },
      {
        // No component: the pages render in the layout; the guard opens the first permitted page.
        path: '/clue/config',
        name: 'clue-config',
        meta: { title: '处置规则', icon: 'SetUp' },
        children: [
          {
            path: '/clue/categories',
            name: 'clue-categories',
            component: () => import('@/views/clue/category/index.vue'),
            meta: { title: '分类配置', icon: 'Files', perm: VIEW },
          },
          {
            path: '/clue/case-types',
            name: 'clue-case-types',
            component: () => import('@/views/clue/case-type/index.vue'),
            meta: { title: '类型配置', icon: 'CollectionTag', perm: VIEW },
          },
          {
            path: '/clue/severities',
            name: 'clue-severities',
            component: () => import('@/views/clue/severity/index.vue'),
            meta: { title: '程度等级', icon: 'Odometer', perm: VIEW },
          },
          {
            path: '/clue/numbering',
            name: 'clue-numbering',
            component: () => import('@/views/clue/numbering/index.vue'),
            meta: { title: '编码规则', icon: 'Postcard', perm: VIEW },
          },
          {
            path: '/clue/responsibilities',
            name: 'clue-responsibilities',
            component: () => import('@/views/clue/responsibility/index.vue'),
            meta: { title: '权责清单', icon: 'Stamp', perm: VIEW },
          },
          {
            path: '/clue/dedup',
            name: 'clue-dedup',
            component: () => import('@/views/clue/dedup/index.vue'),
            meta: { title: '去重配置', icon: 'CopyDocument', perm: VIEW },
          },
        ],
      },
    ],
  },
]
