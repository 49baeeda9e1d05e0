// Element Plus icons by name, for menu entries, portal tiles and the icon picker.
import type { Component } from 'vue'
import * as ElementPlusIcons from '@element-plus/icons-vue'

const registry: Readonly<Record<string, Component>> = ElementPlusIcons

/** All icon names (PascalCase, as exported by @element-plus/icons-vue), sorted. */
export const ICON_NAMES: readonly string[] = Object.keys(registry).sort()

/** `house-filled`, `el-icon-house-filled`, `HouseFilled` → `HouseFilled`. */
export function normalizeIconName(name: string): string {
  const bare = name.trim().replace(/^el-icon-/i, '')
  if (bare in registry) return bare
  return bare
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('')
}

export function resolveIcon(name: string | null | undefined): Component | undefined {
  if (!name) return undefined
  return registry[normalizeIconName(name)]
}
