// The category list (大类 → 小类) as a tree, and lookups used by several clue pages.
import type { Category } from '@/api/clue/types'
import { buildTree, type TreeNode } from '@/utils/tree'

export type CategoryNode = TreeNode<Category>

export const categoryTreeOptions = {
  id: (c: Category) => c.id,
  parentId: (c: Category) => c.parent_id ?? null,
  compare: (a: Category, b: Category) => a.sort_order - b.sort_order || a.code.localeCompare(b.code) || a.id - b.id,
}

export function categoryTree(list: readonly Category[]): CategoryNode[] {
  return buildTree(list, categoryTreeOptions)
}

/** `大类 / 小类` for a minor, the name for a major, `#id` when unknown. */
export function categoryPathName(byId: ReadonlyMap<number, Category>, id: number | null | undefined): string {
  if (id === null || id === undefined) return '-'
  const c = byId.get(id)
  if (!c) return `#${id}`
  const parentId = c.parent_id ?? null
  const parent = parentId === null ? undefined : byId.get(parentId)
  return parent ? `${parent.name} / ${c.name}` : c.name
}

/** Whether a category matches a search keyword by name or code (case-insensitive on the code). */
export function categoryMatches(c: Pick<Category, 'name' | 'code'>, keyword: string): boolean {
  const k = keyword.trim()
  if (!k) return true
  return c.name.includes(k) || c.code.toLowerCase().includes(k.toLowerCase())
}

/** The next free sort order among siblings (max + 1; 1 for the first). */
export function nextSortOrder(list: readonly Category[], parentId: number | null): number {
  return list.filter((c) => (c.parent_id ?? null) === parentId).reduce((m, c) => Math.max(m, c.sort_order), 0) + 1
}
