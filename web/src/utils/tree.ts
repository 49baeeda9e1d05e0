// Helpers to turn flat lists (departments by parent_id, regions by parent_code) into trees.

export type TreeNode<T> = T & { children: TreeNode<T>[] }

export interface BuildTreeOptions<T, K> {
  id: (item: T) => K
  parentId: (item: T) => K | null | undefined
  /** Sort siblings; the input order is kept when omitted. */
  compare?: (a: T, b: T) => number
}

/**
 * Builds a forest from a flat list. Items whose parent is missing from the list (for example
 * outside the user's data scope) become roots, so nothing the server returned is hidden.
 * Items caught in a parent cycle are also returned as roots instead of being dropped.
 */
export function buildTree<T extends object, K extends string | number>(
  items: readonly T[],
  options: BuildTreeOptions<T, K>,
): TreeNode<T>[] {
  const nodes = new Map<K, TreeNode<T>>()
  for (const item of items) {
    nodes.set(options.id(item), { ...item, children: [] })
  }
  const roots: TreeNode<T>[] = []
  const attached = new Set<K>()
  for (const item of items) {
    const key = options.id(item)
    const node = nodes.get(key)
    if (!node || attached.has(key)) continue
    const parentKey = options.parentId(item)
    const parent = parentKey === null || parentKey === undefined ? undefined : nodes.get(parentKey)
    if (parent && parent !== node && !isAncestor(node, parent, options.id)) {
      parent.children.push(node)
    } else {
      roots.push(node)
    }
    attached.add(key)
  }
  if (options.compare) sortForest(roots, options.compare)
  return roots
}

/** True when `candidate` is `node` itself or one of its descendants. */
function isAncestor<T extends object, K>(
  node: TreeNode<T>,
  candidate: TreeNode<T>,
  id: (item: T) => K,
): boolean {
  const target = id(candidate)
  const stack: TreeNode<T>[] = [node]
  while (stack.length > 0) {
    const current = stack.pop() as TreeNode<T>
    if (id(current) === target) return true
    stack.push(...current.children)
  }
  return false
}

function sortForest<T>(nodes: TreeNode<T>[], compare: (a: T, b: T) => number): void {
  nodes.sort(compare)
  for (const n of nodes) sortForest(n.children, compare)
}

/** Depth-first walk over a forest. */
export function walkTree<T>(nodes: readonly TreeNode<T>[], visit: (node: TreeNode<T>, depth: number) => void, depth = 0): void {
  for (const n of nodes) {
    visit(n, depth)
    walkTree(n.children, visit, depth + 1)
  }
}

/** The node with the given key, searching the whole forest. */
export function findNode<T, K>(nodes: readonly TreeNode<T>[], key: K, id: (item: T) => K): TreeNode<T> | undefined {
  for (const n of nodes) {
    if (id(n) === key) return n
    const found = findNode(n.children, key, id)
    if (found) return found
  }
  return undefined
}

/** Keys of a node and all of its descendants. */
export function collectKeys<T, K>(node: TreeNode<T>, id: (item: T) => K): K[] {
  const out: K[] = []
  walkTree([node], (n) => out.push(id(n)))
  return out
}

/** Path of nodes from a root to the node with `key` (inclusive), or [] when not found. */
export function pathTo<T, K>(nodes: readonly TreeNode<T>[], key: K, id: (item: T) => K): TreeNode<T>[] {
  for (const n of nodes) {
    if (id(n) === key) return [n]
    const sub = pathTo(n.children, key, id)
    if (sub.length > 0) return [n, ...sub]
  }
  return []
}
