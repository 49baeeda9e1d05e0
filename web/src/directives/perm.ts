// v-perm="'platform:user:create'" (or a list: any one suffices) hides an element the user may not
// use. It only hides: the server enforces every permission itself.
import type { Directive, DirectiveBinding } from 'vue'
import { useAuthStore } from '@/stores/auth'

export type PermValue = string | readonly string[]

const HIDDEN_ATTR = 'data-perm-hidden'

function apply(el: HTMLElement, binding: DirectiveBinding<PermValue>): void {
  const codes: readonly string[] = typeof binding.value === 'string' ? [binding.value] : (binding.value ?? [])
  const allowed = codes.length === 0 || useAuthStore().hasAnyPerm(codes)
  if (!allowed) {
    if (!el.hasAttribute(HIDDEN_ATTR)) {
      el.setAttribute(HIDDEN_ATTR, el.style.display)
      el.style.display = 'none'
    }
  } else if (el.hasAttribute(HIDDEN_ATTR)) {
    el.style.display = el.getAttribute(HIDDEN_ATTR) ?? ''
    el.removeAttribute(HIDDEN_ATTR)
  }
}

export const vPerm: Directive<HTMLElement, PermValue> = {
  mounted: apply,
  updated: apply,
}

declare module 'vue' {
  interface GlobalDirectives {
    vPerm: typeof vPerm
  }
}
