import { createRouter, createWebHistory, type RouteLocationRaw, type RouteRecordRaw } from 'vue-router'
import { useAuthStore } from '@/stores/auth'
import { useTabsStore } from '@/stores/tabs'
import { findGroup, firstAccessiblePath, permitted } from './menu'
import { clueRoutes } from './modules/clue'
import { integrationRoutes } from './modules/integration'
import { platformRoutes } from './modules/platform'

const Layout = () => import('@/layout/index.vue')

/** Pages inside the layout; the side menu is built from these (see ./menu.ts). */
export const layoutRoutes: RouteRecordRaw[] = [
  {
    path: '/',
    component: Layout,
    redirect: '/home',
    children: [
      {
        path: 'home',
        name: 'home',
        component: () => import('@/views/home/index.vue'),
        meta: { title: '首页', icon: 'HomeFilled', affix: true },
      },
      {
        path: 'profile',
        name: 'profile',
        component: () => import('@/views/profile/index.vue'),
        meta: { title: '个人中心', icon: 'UserFilled', hidden: true },
      },
    ],
  },
  ...clueRoutes,
  ...integrationRoutes,
  ...platformRoutes,
]

const standaloneRoutes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/login/index.vue'),
    meta: { title: '登录', public: true },
  },
  {
    // The H5 entry opened inside the 浙政钉 app: logs in without a password (免登).
    path: '/zzd/h5',
    name: 'zzd-h5',
    component: () => import('@/views/login/zzd-h5.vue'),
    meta: { title: '浙政钉免登', public: true },
  },
  {
    path: '/403',
    name: 'forbidden',
    component: () => import('@/views/error/403.vue'),
    meta: { title: '无权访问', public: true },
  },
  {
    path: '/404',
    name: 'not-found',
    component: () => import('@/views/error/404.vue'),
    meta: { title: '页面不存在', public: true },
  },
  {
    path: '/:pathMatch(.*)*',
    redirect: (to) => ({ path: '/404', query: { from: to.fullPath } }),
  },
]

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [...layoutRoutes, ...standaloneRoutes],
  scrollBehavior: () => ({ top: 0 }),
})

/** Only same-app absolute paths are accepted as post-login targets. */
export function safeRedirect(value: unknown): string | null {
  if (typeof value !== 'string') return null
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/login')) return null
  return value
}

router.beforeEach(async (to): Promise<boolean | RouteLocationRaw> => {
  const auth = useAuthStore()
  await auth.ensureLoaded()

  if (to.meta.public) {
    if (to.name === 'login' && auth.isLoggedIn) return safeRedirect(to.query.redirect) ?? { name: 'home' }
    return true
  }
  if (!auth.isLoggedIn) {
    const redirect = to.fullPath === '/' || to.fullPath === '/home' ? undefined : to.fullPath
    return { name: 'login', query: redirect ? { redirect } : {} }
  }
  if (!to.matched.every((record) => permitted(record.meta.perm, auth.hasPerm))) {
    return { name: 'forbidden', query: { from: to.fullPath } }
  }
  // A menu group itself (e.g. /system, or the nested /clue/config) opens the first page in it the
  // user may see. Done here rather than with `redirect` because redirects are resolved before the
  // session is loaded.
  const group = findGroup(layoutRoutes, to.name)
  if (group) {
    const target = firstAccessiblePath(group.route, auth.hasPerm, group.parentPath)
    return target ?? { name: 'forbidden', query: { from: to.fullPath } }
  }
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · 獬豸` : '丽水市智慧执法平台 · 獬豸'
  useTabsStore().visit(to)
})

export default router
