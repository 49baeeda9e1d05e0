import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as authApi from '@/api/auth'
import { isApiError } from '@/api/request'
import type { CurrentUser, LoginRequest, SessionInfo } from '@/api/types'

/** The logged-in user, their permission codes and the CSRF token of the session. */
export const useAuthStore = defineStore('auth', () => {
  const user = ref<CurrentUser | null>(null)
  const csrfToken = ref<string | null>(null)
  const idleTimeoutSecs = ref<number | null>(null)
  /** True once `/api/auth/me` has been asked at least once. */
  const loaded = ref(false)

  const permissions = computed(() => new Set(user.value?.permissions ?? []))
  const isLoggedIn = computed(() => user.value !== null)

  /** Whether the user holds `code` (permission codes `module:entity:action`). */
  function hasPerm(code: string): boolean {
    return permissions.value.has(code)
  }

  /** Whether the user holds at least one of `codes`. */
  function hasAnyPerm(codes: readonly string[]): boolean {
    return codes.some((c) => permissions.value.has(c))
  }

  function setSession(session: SessionInfo): void {
    user.value = session.user
    csrfToken.value = session.csrf_token
    idleTimeoutSecs.value = session.idle_timeout_secs
    loaded.value = true
  }

  function clear(): void {
    user.value = null
    csrfToken.value = null
    idleTimeoutSecs.value = null
    loaded.value = true
  }

  let pending: Promise<boolean> | null = null

  /** Loads the session from `/api/auth/me`; resolves to whether a user is logged in. */
  function loadSession(): Promise<boolean> {
    if (!pending) {
      pending = authApi
        .fetchSession()
        .then((s) => {
          setSession(s)
          return true
        })
        .catch((e: unknown) => {
          clear()
          // 401 simply means "not logged in"; anything else (server down) is worth a console note.
          if (!(isApiError(e) && e.status === 401)) console.warn('无法获取登录状态', e)
          return false
        })
        .finally(() => {
          pending = null
        })
    }
    return pending
  }

  /** Loads the session once; later calls reuse the result. */
  async function ensureLoaded(): Promise<boolean> {
    if (loaded.value) return isLoggedIn.value
    return loadSession()
  }

  async function login(body: LoginRequest): Promise<void> {
    setSession(await authApi.login(body))
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout()
    } catch {
      // The session is gone on our side either way.
    } finally {
      clear()
    }
  }

  return {
    user,
    csrfToken,
    idleTimeoutSecs,
    loaded,
    permissions,
    isLoggedIn,
    hasPerm,
    hasAnyPerm,
    setSession,
    clear,
    loadSession,
    ensureLoaded,
    login,
    logout,
  }
})
