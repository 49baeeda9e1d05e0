import { describe, expect, it } from 'vitest'
import { buildTree, collectKeys, findNode, pathTo, walkTree } from './tree'

interface Dept {
  id: number
  parent_id: number | null
  name: string
  sort_order: number
}

const byId = (d: Dept) => d.id
const opts = {
  id: byId,
  parentId: (d: Dept) => d.parent_id,
  compare: (a: Dept, b: Dept) => a.sort_order - b.sort_order || a.id - b.id,
}

const flat: Dept[] = [
  { id: 5, parent_id: 2, name: '莲都中队', sort_order: 1 },
  { id: 1, parent_id: null, name: '丽水市综合行政执法局', sort_order: 1 },
  { id: 2, parent_id: 1, name: '莲都区综合行政执法局', sort_order: 2 },
  { id: 3, parent_id: 1, name: '法规科', sort_order: 1 },
  { id: 4, parent_id: null, name: '市市场监管局', sort_order: 2 },
  { id: 6, parent_id: 2, name: '岩泉中队', sort_order: 0 },
]

describe('buildTree', () => {
  it('nests children under their parent and sorts siblings', () => {
    const tree = buildTree(flat, opts)
    expect(tree.map((n) => n.name)).toEqual(['丽水市综合行政执法局', '市市场监管局'])
    expect(tree[0].children.map((n) => n.id)).toEqual([3, 2])
    expect(tree[0].children[1].children.map((n) => n.name)).toEqual(['岩泉中队', '莲都中队'])
    expect(tree[1].children).toEqual([])
  })

  it('keeps input order when no comparator is given', () => {
    const tree = buildTree(flat, { id: byId, parentId: (d) => d.parent_id })
    expect(tree.map((n) => n.id)).toEqual([1, 4])
    expect(tree[0].children.map((n) => n.id)).toEqual([2, 3])
  })

  it('promotes items whose parent is not in the list to roots', () => {
    const scoped = flat.filter((d) => d.id !== 1)
    const tree = buildTree(scoped, opts)
    expect(tree.map((n) => n.id).sort()).toEqual([2, 3, 4])
    expect(findNode(tree, 5, byId)?.name).toBe('莲都中队')
  })

  it('does not lose items that form a parent cycle', () => {
    const cyclic: Dept[] = [
      { id: 1, parent_id: 2, name: 'a', sort_order: 0 },
      { id: 2, parent_id: 1, name: 'b', sort_order: 0 },
    ]
    const tree = buildTree(cyclic, opts)
    const seen: number[] = []
    walkTree(tree, (n) => seen.push(n.id))
    expect(seen.sort()).toEqual([1, 2])
  })

  it('works with string keys (regions by code)', () => {
    const regions = [
      { code: '331102', parent_code: '331100', name: '莲都区' },
      { code: '331100', parent_code: null, name: '丽水市' },
      { code: '331102001', parent_code: '331102', name: '紫金街道' },
    ]
    const tree = buildTree(regions, { id: (r) => r.code, parentId: (r) => r.parent_code })
    expect(tree).toHaveLength(1)
    expect(tree[0].children[0].children[0].name).toBe('紫金街道')
  })

  it('does not mutate the input items', () => {
    const copy = structuredClone(flat)
    buildTree(flat, opts)
    expect(flat).toEqual(copy)
  })
})

describe('tree helpers', () => {
  const tree = buildTree(flat, opts)

  it('collectKeys returns a node and all descendants', () => {
    const node = findNode(tree, 2, byId)
    expect(node).toBeDefined()
    expect(collectKeys(node!, byId).sort()).toEqual([2, 5, 6])
  })

  it('pathTo returns the chain from the root', () => {
    expect(pathTo(tree, 5, byId).map((n) => n.id)).toEqual([1, 2, 5])
    expect(pathTo(tree, 99, byId)).toEqual([])
  })

  it('walkTree reports depth', () => {
    const depths: Record<number, number> = {}
    walkTree(tree, (n, d) => (depths[n.id] = d))
    expect(depths).toEqual({ 1: 0, 2: 1, 3: 1, 4: 0, 5: 2, 6: 2 })
  })
})
