import { ElMessageBox } from 'element-plus'

/** A confirmation box; resolves to whether the user confirmed. */
export async function confirmAction(
  message: string,
  title = '操作确认',
  type: 'warning' | 'info' | 'error' = 'warning',
): Promise<boolean> {
  try {
    await ElMessageBox.confirm(message, title, {
      type,
      confirmButtonText: '确定',
      cancelButtonText: '取消',
      draggable: true,
    })
    return true
  } catch {
    return false
  }
}
