// Builds the side menu from the route table, keeping only what the user may open.
import type { RouteMeta, RouteRecordRaw } from 'vue-router'

export interface MenuNode {
  /** Route name; also the `data-testid="menu-<name>"` suffix. */
  name: string
  /** Absolute path; the menu index. */
  path: string
  title: string
  icon?: string
  /** Present for groups (sub-menus). */
  children?: MenuNode[]
}

export type PermCheck = (code: string) => boolean

/** Whether a route's `meta.perm` (none, one code, or any of several) is satisfied. */
export function permitted(perm: RouteMeta['perm'], hasPerm: PermCheck): boolean {
  if (perm === undefined) return true
  if (typeof perm === 'string') return hasPerm(perm)
  return perm.length === 0 || perm.some(hasPerm)
}

export function joinPath(parent: string, child: string): string {
  if (child.startsWith('/')) return child
  const base = parent.endsWith('/') ? parent.slice(0, -1) : parent
  return child ? `${base}/${child}` : base || '/'
}

/**
 * Turns routes into menu nodes:
 * - `meta.hidden` routes and routes the user lacks `meta.perm` for are left out;
 * - a route with children but no `meta.title` is transparent: its children are lifted up
 *   (the layout root that holds 首页);
 * - a titled route with children is a group, hidden when none of its children is visible.
 */
export function buildMenu(routes: readonly RouteRecordRaw[], hasPerm: PermCheck, parentPath = ''): MenuNode[] {
  const out: MenuNode[] = []
  for (const route of routes) {
    const meta = route.meta ?? {}
    if (meta.hidden || meta.public || !permitted(meta.perm, hasPerm)) continue
    const path = joinPath(parentPath, route.path)
    const children = route.children ?? []
    if (children.length > 0) {
      const sub = buildMenu(children, hasPerm, path)
      if (!meta.title) {
        out.push(...sub)
      } else if (sub.length > 0) {
        out.push({ name: String(route.name ?? path), path, title: meta.title, icon: meta.icon, children: sub })
      }
      continue
    }
    if (!meta.title) continue
    out.push({ name: String(route.name ?? path), path, title: meta.title, icon: meta.icon })
  }
  return out
}

/** The first page the user may open below a group route, for the group's own redirect. */
export function firstAccessiblePath(route: RouteRecordRaw, hasPerm: PermCheck, parentPath = ''): string | null {
  const path = joinPath(parentPath, route.path)
  for (const child of route.children ?? []) {
    const meta = child.meta ?? {}
    if (meta.hidden || !permitted(meta.perm, hasPerm)) continue
    if (child.children && child.children.length > 0) {
      const nested = firstAccessiblePath(child, hasPerm, path)
      if (nested) return nested
    } else {
      return joinPath(path, child.path)
    }
  }
  return null
}

/** A group route (one with children) found by name at any depth, with the path of its parent. */
export interface GroupMatch {
  route: RouteRecordRaw
  parentPath: string
}

/**
 * The group route named `name` anywhere in the tree (top-level groups such as `system`, nested
 * ones such as `clue-config`), for the guard that opens a group's first permitted page.
 */
export function findGroup(routes: readonly RouteRecordRaw[], name: unknown, parentPath = ''): GroupMatch | null {
  if (name === undefined || name === null) return null
  for (const route of routes) {
    const children = route.children ?? []
    if (children.length === 0) continue
    if (route.name !== undefined && route.name === name) return { route, parentPath }
    const nested = findGroup(children, name, joinPath(parentPath, route.path))
    if (nested) return nested
  }
  return null
}
