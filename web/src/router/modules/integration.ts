// Routes of the external systems (外部系统对接, issue 4): settings per system, the delivery queue,
// the exchange log, the provincial platform, ZZD and the IRS data platform.
import type { RouteRecordRaw } from 'vue-router'

const Layout = () => import('@/layout/index.vue')

export const integrationRoutes: RouteRecordRaw[] = [
  {
    path: '/integration',
    name: 'integration',
    component: Layout,
    meta: { title: '外部系统', icon: 'Connection' },
    children: [
      // Pages are added here by the province, ZZD and IRS work.
      // ---- IRS data platform (F81) ----
      {
        path: '/integration/irs',
        name: 'integration-irs',
        component: () => import('@/views/integration/irs/index.vue'),
        meta: { title: 'IRS数据导入', icon: 'Download', perm: 'integration:irs:view' },
      },
      {
        path: '/integration/irs/facts',
        name: 'integration-irs-facts',
        component: () => import('@/views/integration/irs/facts.vue'),
        meta: { title: '执法事实数据', icon: 'DataAnalysis', perm: 'integration:irs:view' },
      },
    ],
  },
]
