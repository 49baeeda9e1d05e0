// Table state shared by the list pages (users, audit log, enforcement items): the search form and
// its reset, pagination, server-side sort, loading flag, selection and Excel export.
import { onMounted, reactive, ref, shallowRef, toRaw } from 'vue'
import type { Paged, SortOrder } from '@/api/types'

/** Payload of el-table's `sort-change` event. */
export interface TableSortChange {
  prop: string | null
  order: 'ascending' | 'descending' | null
}

export interface TablePaging {
  page: number
  page_size: number
}

export interface TableSort {
  sort?: string
  order?: SortOrder
}

export interface UseTableOptions<F extends object, T> {
  /** Fresh filter values: the initial search form, and what 重置 restores. */
  filters: () => F
  /** Loads one page for the given filters. */
  fetch: (filters: F, paging: TablePaging, sort: TableSort) => Promise<Paged<T>>
  /** Downloads the export for the current filters and sort. */
  exporter?: (filters: F, sort: TableSort) => Promise<void>
  pageSize?: number
  defaultSort?: { prop: string; order: SortOrder }
  /** Load on mount (default true). */
  immediate?: boolean
}

export const PAGE_SIZES = [10, 20, 50, 100, 200]

export function useTable<F extends object, T>(options: UseTableOptions<F, T>) {
  const filters = reactive(options.filters()) as F
  const items = shallowRef<T[]>([])
  const total = ref(0)
  const page = ref(1)
  const pageSize = ref(options.pageSize ?? 20)
  const sort = ref<string | undefined>(options.defaultSort?.prop)
  const order = ref<SortOrder | undefined>(options.defaultSort?.order)
  const loading = ref(false)
  const exporting = ref(false)
  const selection = shallowRef<T[]>([])
  /** Set after a failed load so the empty state can say so. */
  const failed = ref(false)

  // Responses of superseded requests are dropped so fast typing/paging cannot show stale rows.
  let seq = 0

  function snapshot(): F {
    return { ...(toRaw(filters) as F) }
  }

  function currentSort(): TableSort {
    return sort.value ? { sort: sort.value, order: order.value ?? 'asc' } : {}
  }

  async function load(): Promise<void> {
    const mine = ++seq
    loading.value = true
    try {
      const res = await options.fetch(snapshot(), { page: page.value, page_size: pageSize.value }, currentSort())
      if (mine !== seq) return
      failed.value = false
      // The last page emptied (e.g. after deleting its rows): step back to the new last page.
      if (res.items.length === 0 && res.total > 0 && page.value > 1) {
        page.value = Math.max(1, Math.ceil(res.total / pageSize.value))
        await load()
        return
      }
      items.value = res.items
      total.value = res.total
      selection.value = []
    } catch (e) {
      if (mine === seq) {
        failed.value = true
        items.value = []
        total.value = 0
      }
      // The request client already showed the error.
      console.debug('list load failed', e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  /** 搜索: back to page 1 with the current filters. */
  function search(): Promise<void> {
    page.value = 1
    return load()
  }

  /** 重置: initial filters and sort, page 1. */
  function reset(): Promise<void> {
    const fresh = options.filters() as Record<string, unknown>
    const target = filters as Record<string, unknown>
    for (const key of Object.keys(target)) if (!(key in fresh)) delete target[key]
    Object.assign(target, fresh)
    sort.value = options.defaultSort?.prop
    order.value = options.defaultSort?.order
    return search()
  }

  function onSortChange(change: TableSortChange): void {
    if (change.prop && change.order) {
      sort.value = change.prop
      order.value = change.order === 'ascending' ? 'asc' : 'desc'
    } else {
      sort.value = options.defaultSort?.prop
      order.value = options.defaultSort?.order
    }
    void search()
  }

  function onPageChange(p: number): void {
    page.value = p
    void load()
  }

  function onSizeChange(size: number): void {
    pageSize.value = size
    page.value = 1
    void load()
  }

  function onSelectionChange(rows: T[]): void {
    selection.value = rows
  }

  async function exportExcel(): Promise<void> {
    if (!options.exporter) return
    exporting.value = true
    try {
      await options.exporter(snapshot(), currentSort())
    } catch (e) {
      console.debug('export failed', e)
    } finally {
      exporting.value = false
    }
  }

  if (options.immediate !== false) onMounted(() => void load())

  return {
    filters,
    items,
    total,
    page,
    pageSize,
    sort,
    order,
    loading,
    exporting,
    failed,
    selection,
    pageSizes: PAGE_SIZES,
    load,
    search,
    reset,
    onSortChange,
    onPageChange,
    onSizeChange,
    onSelectionChange,
    exportExcel,
  }
}
