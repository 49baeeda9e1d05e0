// Excel import flow shared by the import pages: file checks, upload, and the result dialog's state.
// The server rejects a whole file with any invalid row (422 `validation_failed`, every problem in
// `details.errors`), so the dialog shows either the counts or the full list of problems.
import { ElMessage, type UploadFile } from 'element-plus'
import { computed, ref, shallowRef } from 'vue'
import { isApiError } from '@/api/request'
import { importErrors, type ImportRowError } from '@/api/types'

export interface ImportCounts {
  imported: number
  updated: number
}

const MAX_BYTES = 10 * 1024 * 1024

export function useExcelImport(upload: (file: File) => Promise<ImportCounts>, afterImport: () => Promise<void>) {
  const importing = ref(false)
  const report = shallowRef<ImportCounts | null>(null)
  const reportErrors = shallowRef<ImportRowError[]>([])
  const reportFile = ref('')
  const reportVisible = ref(false)

  const reportType = computed(() => {
    const r = report.value
    if (!r) return 'info'
    if (reportErrors.value.length === 0) return 'success'
    return r.imported + r.updated > 0 ? 'warning' : 'error'
  })

  async function onFile(file: UploadFile): Promise<void> {
    const raw = file.raw
    if (!raw) return
    if (!/\.xlsx$/i.test(raw.name)) {
      ElMessage.error('请选择 .xlsx 格式的 Excel 文件（可先下载模板）')
      return
    }
    if (raw.size > MAX_BYTES) {
      ElMessage.error('文件不能超过 10 MB')
      return
    }
    importing.value = true
    reportFile.value = raw.name
    try {
      report.value = await upload(raw)
      reportErrors.value = []
      reportVisible.value = true
      await afterImport()
    } catch (e) {
      // The whole file was rejected: list every problem; nothing was imported.
      if (isApiError(e) && e.code === 'validation_failed') {
        report.value = { imported: 0, updated: 0 }
        reportErrors.value = importErrors(e.details)
        reportVisible.value = reportErrors.value.length > 0
      }
    } finally {
      importing.value = false
    }
  }

  return { importing, report, reportErrors, reportFile, reportVisible, reportType, onFile }
}
