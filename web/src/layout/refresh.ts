// "重新加载" of the tabs bar: remounts the current page by changing its key.
import { ref } from 'vue'

const refreshKey = ref(0)

export function useViewRefresh() {
  function refresh(): void {
    refreshKey.value += 1
  }
  return { refreshKey, refresh }
}
