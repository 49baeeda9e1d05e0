import { defineStore } from 'pinia'
import { ref, watch } from 'vue'

const COLLAPSE_KEY = 'xiezhi.sidebar.collapsed'

/** Layout state: the collapsible side menu (remembered per browser). */
export const useAppStore = defineStore('app', () => {
  const sidebarCollapsed = ref(localStorage.getItem(COLLAPSE_KEY) === '1')
  watch(sidebarCollapsed, (v) => localStorage.setItem(COLLAPSE_KEY, v ? '1' : '0'))

  function toggleSidebar(): void {
    sidebarCollapsed.value = !sidebarCollapsed.value
  }

  return { sidebarCollapsed, toggleSidebar }
})
