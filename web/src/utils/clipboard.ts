// Copy to the clipboard with a toast. The async Clipboard API needs a secure context (https or
// localhost); on a plain-http intranet address the hidden-textarea fallback is used instead.
import { ElMessage } from 'element-plus'

function fallbackCopy(text: string): boolean {
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.top = '-1000px'
  area.style.opacity = '0'
  document.body.appendChild(area)
  area.select()
  let ok = false
  try {
    ok = document.execCommand('copy')
  } catch {
    ok = false
  }
  area.remove()
  return ok
}

/** Copies `text`; `what` names it in the toast (e.g. `AppKey`). Resolves to whether it worked. */
export async function copyText(text: string, what = '内容'): Promise<boolean> {
  let ok = false
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text)
      ok = true
    } catch {
      ok = fallbackCopy(text)
    }
  } else {
    ok = fallbackCopy(text)
  }
  if (ok) ElMessage.success(`${what}已复制到剪贴板`)
  else ElMessage.warning('复制失败，请手动选中后复制')
  return ok
}
