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
      {
        path: '/integration/systems',
        name: 'integration-systems',
        component: () => import('@/views/integration/systems/index.vue'),
        meta: { title: '对接配置', icon: 'Tools', perm: 'integration:system:view' },
      },
      {
        path: '/integration/deliveries',
        name: 'integration-deliveries',
        component: () => import('@/views/integration/deliveries/index.vue'),
        meta: { title: '投递队列', icon: 'Promotion', perm: 'integration:delivery:view' },
      },
      {
        path: '/integration/exchanges',
        name: 'integration-exchanges',
        component: () => import('@/views/integration/exchanges/index.vue'),
        meta: { title: '交换记录', icon: 'Switch', perm: 'integration:exchange:view' },
      },
      // ---- ZZD (浙政钉) ----
      {
        path: '/integration/zzd',
        name: 'integration-zzd',
        component: () => import('@/views/integration/zzd/index.vue'),
        meta: { title: '浙政钉对接', icon: 'ChatDotRound', perm: 'integration:zzd:view' },
      },
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
