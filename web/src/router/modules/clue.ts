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
        path: '/clue/inbox',
        name: 'clue-inbox',
        component: () => import('@/views/clue/inbox/index.vue'),
        meta: { title: '我的待办', icon: 'Bell', perm: 'clue:case:view' },
      },
      {
        path: '/clue/cases',
        name: 'clue-cases',
        component: () => import('@/views/clue/case/index.vue'),
        meta: { title: '案件管理', icon: 'Tickets', perm: 'clue:case:view' },
      },
      {
        path: '/clue/cases/new',
        name: 'clue-case-new',
        component: () => import('@/views/clue/case/create.vue'),
        meta: { title: '线索录入', icon: 'EditPen', perm: 'clue:case:create' },
      },
      {
        path: '/clue/cases/:id(\\d+)',
        name: 'clue-case-detail',
        component: () => import('@/views/clue/case/detail.vue'),
        meta: { title: '案件详情', icon: 'Document', perm: 'clue:case:view', hidden: true },
      },
      {
        path: '/clue/queues',
        name: 'clue-queues',
        component: () => import('@/views/clue/queue/index.vue'),
        meta: { title: '人工分级', icon: 'Operation', perm: 'clue:case:dispatch' },
      },
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
            path: '/clue/workflows',
            name: 'clue-workflows',
            component: () => import('@/views/clue/workflow/index.vue'),
            meta: { title: '流程配置', icon: 'Share', perm: VIEW },
          },
          {
            path: '/clue/workflows/:id(\\d+)',
            name: 'clue-workflow-editor',
            component: () => import('@/views/clue/workflow/editor.vue'),
            meta: { title: '流程设计', icon: 'Share', perm: VIEW, hidden: true },
          },
          {
            path: '/clue/grading-rules',
            name: 'clue-grading-rules',
            component: () => import('@/views/clue/grading/index.vue'),
            meta: { title: '分级规则', icon: 'Sort', perm: VIEW },
          },
          {
            path: '/clue/calendar',
            name: 'clue-calendar',
            component: () => import('@/views/clue/calendar/index.vue'),
            meta: { title: '工作日历', icon: 'Calendar', perm: VIEW },
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
