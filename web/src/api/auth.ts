import { http } from './request'
import type { ChangePassword, LoginRequest, SessionInfo } from './types'

/** POST /api/auth/login — errors are shown by the login page itself. */
export function login(body: LoginRequest): Promise<SessionInfo> {
  return http.post<SessionInfo>('/api/auth/login', body, { silent: true })
}

/** POST /api/auth/logout → 204 */
export function logout(): Promise<void> {
  return http.post<void>('/api/auth/logout', undefined, { silent: true })
}

/** GET /api/auth/me — silent: a 401 on start just means "not logged in". */
export function fetchSession(): Promise<SessionInfo> {
  return http.get<SessionInfo>('/api/auth/me', undefined, { silent: true })
}

/** POST /api/auth/password → 204 */
export function changePassword(body: ChangePassword): Promise<void> {
  return http.post<void>('/api/auth/password', body)
}
