// The department list as a tree, shared by the org and user pages. Loading needs
// platform:org:view; without it the caller gets `available = false` and no request is made.
import { ElMessage } from 'element-plus'
import { computed, ref, shallowRef } from 'vue'
import { listDepartments } from '@/api/platform/org'
import { isApiError } from '@/api/request'
import type { Department } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { buildTree, type TreeNode } from '@/utils/tree'

export type DepartmentNode = TreeNode<Department>

export const departmentTreeOptions = {
  id: (d: Department) => d.id,
  parentId: (d: Department) => d.parent_id,
  compare: (a: Department, b: Department) => a.sort_order - b.sort_order || a.id - b.id,
}

export function useDepartments() {
  const auth = useAuthStore()
  const list = shallowRef<Department[]>([])
  const loading = ref(false)
  const available = ref(auth.hasPerm('platform:org:view'))

  const tree = computed<DepartmentNode[]>(() => buildTree(list.value, departmentTreeOptions))
  const byId = computed(() => new Map(list.value.map((d) => [d.id, d])))

  async function load(): Promise<void> {
    if (!available.value) return
    loading.value = true
    try {
      list.value = await listDepartments({ silent: true })
    } catch (e) {
      if (isApiError(e) && e.status === 403) {
        available.value = false
      } else if (isApiError(e)) {
        ElMessage.error(e.message)
      }
    } finally {
      loading.value = false
    }
  }

  return { list, tree, byId, loading, available, load }
}
