// The clue categories (大类 → 小类) as a flat list, a tree and a map, shared by the clue pages
// (category editor, responsibility list filters and form, dedup overrides).
import { computed, ref, shallowRef } from 'vue'
import { listCategories } from '@/api/clue/config'
import type { Category } from '@/api/clue/types'
import { categoryPathName, categoryTree, type CategoryNode } from '@/utils/clue/category'

export function useClueCategories() {
  const list = shallowRef<Category[]>([])
  const loading = ref(false)
  const failed = ref(false)

  const tree = computed<CategoryNode[]>(() => categoryTree(list.value))
  const byId = computed(() => new Map(list.value.map((c) => [c.id, c])))

  /** `大类 / 小类` */
  function pathName(id: number | null | undefined): string {
    return categoryPathName(byId.value, id)
  }

  async function load(options: { silent?: boolean } = {}): Promise<void> {
    loading.value = true
    try {
      list.value = await listCategories(options)
      failed.value = false
    } catch (e) {
      failed.value = true
      console.debug('categories load failed', e)
    } finally {
      loading.value = false
    }
  }

  return { list, tree, byId, loading, failed, load, pathName }
}
