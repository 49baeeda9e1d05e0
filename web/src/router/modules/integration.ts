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
      // ---- ZZD (浙政钉) ----
      {
        path: '/integration/zzd',
        name: 'integration-zzd',
        component: () => import('@/views/integration/zzd/index.vue'),
        meta: { title: '浙政钉对接', icon: 'ChatDotRound', perm: 'integration:zzd:view' },
      },
    ],
  },
]
