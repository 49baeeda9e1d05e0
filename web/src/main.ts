import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
import './styles/index.css'

import App from './App.vue'
import { installRequestHooks, isApiError } from './api/request'
import { vPerm } from './directives/perm'
import { router } from './router'
import { useAuthStore } from './stores/auth'
import { useTabsStore } from './stores/tabs'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(ElementPlus, { locale: zhCn })
app.directive('perm', vPerm)

const auth = useAuthStore(pinia)
const tabs = useTabsStore(pinia)

installRequestHooks({
  csrfToken: () => auth.csrfToken,
  onUnauthenticated: () => {
    auth.clear()
    tabs.reset()
    const current = router.currentRoute.value
    if (current.meta.public) return
    void router.replace({ name: 'login', query: { redirect: current.fullPath } })
  },
})

// API errors are already shown as toasts (or in forms) by the request client: do not report them
// again as unhandled.
app.config.errorHandler = (err, _instance, info) => {
  if (isApiError(err)) return
  console.error(err, info)
}
window.addEventListener('unhandledrejection', (event) => {
  if (isApiError(event.reason)) event.preventDefault()
})

app.use(router)
void router.isReady().then(() => app.mount('#app'))
