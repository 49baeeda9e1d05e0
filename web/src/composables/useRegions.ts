// Administrative regions (city → county → township) as a flat list and a tree.
import { computed, ref, shallowRef } from 'vue'
import { listRegions } from '@/api/platform/region'
import type { Region } from '@/api/types'
import { buildTree, type TreeNode } from '@/utils/tree'

export type RegionNode = TreeNode<Region>

export function useRegions() {
  const list = shallowRef<Region[]>([])
  const loading = ref(false)
  const tree = computed<RegionNode[]>(() =>
    buildTree(list.value, {
      id: (r) => r.code,
      parentId: (r) => r.parent_code,
      compare: (a, b) => a.code.localeCompare(b.code),
    }),
  )
  const byCode = computed(() => new Map(list.value.map((r) => [r.code, r])))

  async function load(): Promise<void> {
    loading.value = true
    try {
      list.value = await listRegions()
    } catch (e) {
      console.debug('regions load failed', e)
    } finally {
      loading.value = false
    }
  }

  return { list, tree, byCode, loading, load }
}
