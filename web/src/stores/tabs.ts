import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { RouteLocationNormalized } from 'vue-router'

export interface VisitedTab {
  /** Route name (one tab per page). */
  name: string
  /** Full path including the query of the last visit. */
  fullPath: string
  title: string
  /** Affixed tabs (首页) cannot be closed. */
  affix: boolean
}

/** The bar of visited pages above the content area. */
export const useTabsStore = defineStore('tabs', () => {
  const tabs = ref<VisitedTab[]>([])

  function visit(route: RouteLocationNormalized): void {
    if (typeof route.name !== 'string' || !route.meta.title || route.meta.public || route.meta.noTab) return
    const existing = tabs.value.find((t) => t.name === route.name)
    if (existing) {
      existing.fullPath = route.fullPath
      return
    }
    const tab: VisitedTab = {
      name: route.name,
      fullPath: route.fullPath,
      title: route.meta.title,
      affix: route.meta.affix === true,
    }
    if (tab.affix) tabs.value.unshift(tab)
    else tabs.value.push(tab)
  }

  /** Closes a tab; returns the tab to show next when the closed one was active. */
  function close(name: string): VisitedTab | undefined {
    const i = tabs.value.findIndex((t) => t.name === name)
    if (i < 0 || tabs.value[i].affix) return undefined
    tabs.value.splice(i, 1)
    return tabs.value[i] ?? tabs.value[i - 1]
  }

  function closeOthers(name: string): void {
    tabs.value = tabs.value.filter((t) => t.affix || t.name === name)
  }

  function closeRight(name: string): void {
    const i = tabs.value.findIndex((t) => t.name === name)
    if (i < 0) return
    tabs.value = tabs.value.filter((t, j) => j <= i || t.affix)
  }

  function closeAll(): void {
    tabs.value = tabs.value.filter((t) => t.affix)
  }

  function reset(): void {
    tabs.value = []
  }

  return { tabs, visit, close, closeOthers, closeRight, closeAll, reset }
})
