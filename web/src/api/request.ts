// The one HTTP client of the SPA. Every call goes through the same ordered pipeline:
//   request interceptors:  credentials → JSON body → CSRF header
//   error interceptors:    401 → session end → toast
// Errors are thrown as `ApiError` so forms can read the server's field errors.
import { ElMessage } from 'element-plus'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH'
export type QueryScalar = string | number | boolean | null | undefined
export type Query = Record<string, QueryScalar | readonly QueryScalar[]>

export interface RequestOptions {
  method?: HttpMethod
  query?: Query
  /** Serialized as JSON. */
  json?: unknown
  /** Sent as multipart/form-data (the browser sets the boundary). */
  form?: FormData
  headers?: Record<string, string>
  /** Do not show a toast for errors; the caller shows them. */
  silent?: boolean
  signal?: AbortSignal
}

/**
 * The fields of the contract's `ApiErrorBody` this client reads. Typed here because the generated
 * schema types `details` loosely, and bodies from proxies must be checked at run time anyway.
 */
export interface ErrorBody {
  code: string
  message: string
  details?: unknown
  request_id?: string | null
}

/** An error response (or a network failure, status 0) in the contract's `{code, message, details}` shape. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly details: Record<string, unknown>
  readonly requestId: string | null

  constructor(status: number, body: ErrorBody) {
    super(body.message)
    this.name = 'ApiError'
    this.status = status
    this.code = body.code
    this.details = isRecord(body.details) ? body.details : {}
    this.requestId = typeof body.request_id === 'string' ? body.request_id : null
  }

  /**
   * Field errors for forms: `details.fields` of `validation_failed`, and the field named by
   * `details.field` of a `conflict` (with the error message).
   */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {}
    const fields = this.details.fields
    if (isRecord(fields)) {
      for (const [k, v] of Object.entries(fields)) {
        if (typeof v === 'string') out[k] = v
        else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v[0]
      }
    }
    const field = this.details.field
    if (typeof field === 'string' && !(field in out)) out[field] = this.message
    return out
  }

  /** A number in `details` (e.g. `locked_until`), or null. */
  detailNumber(key: string): number | null {
    const v = this.details[key]
    return typeof v === 'number' && Number.isFinite(v) ? v : null
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

// ---------------------------------------------------------------------------------------------
// Hooks wired by main.ts (keeps this module free of store/router imports and import cycles).

export interface RequestHooks {
  /** The CSRF token from the current session, if any. */
  csrfToken: () => string | null
  /** Called once per 401 `unauthenticated`: clear the session and go to the login page. */
  onUnauthenticated: () => void
}

let hooks: RequestHooks = {
  csrfToken: () => null,
  onUnauthenticated: () => undefined,
}

export function installRequestHooks(h: RequestHooks): void {
  hooks = h
}

// ---------------------------------------------------------------------------------------------
// Interceptors

interface RequestContext {
  url: string
  method: HttpMethod
  headers: Headers
  body: BodyInit | null
  credentials: RequestCredentials
  options: RequestOptions
}

type RequestInterceptor = (ctx: RequestContext) => void
type ErrorInterceptor = (error: ApiError, ctx: RequestContext) => void

/** Cookie session (`xiezhi_sid`): always send it. */
const withCredentials: RequestInterceptor = (ctx) => {
  ctx.credentials = 'include'
}

const withJsonBody: RequestInterceptor = (ctx) => {
  ctx.headers.set('Accept', 'application/json')
  if (ctx.options.form) {
    ctx.body = ctx.options.form
  } else if (ctx.options.json !== undefined) {
    ctx.headers.set('Content-Type', 'application/json')
    ctx.body = JSON.stringify(ctx.options.json)
  }
}

const withCsrf: RequestInterceptor = (ctx) => {
  if (ctx.method === 'GET') return
  const token = hooks.csrfToken()
  if (token) ctx.headers.set('X-CSRF-Token', token)
}

const requestInterceptors: readonly RequestInterceptor[] = [withCredentials, withJsonBody, withCsrf]

let redirectingToLogin = false

/** Session expired or missing: end it once, however many requests fail in parallel. */
const onUnauthenticated: ErrorInterceptor = (error) => {
  if (error.status !== 401 || error.code === 'invalid_credentials') return
  if (redirectingToLogin) return
  redirectingToLogin = true
  try {
    hooks.onUnauthenticated()
  } finally {
    setTimeout(() => {
      redirectingToLogin = false
    }, 1000)
  }
}

const toastError: ErrorInterceptor = (error, ctx) => {
  if (ctx.options.silent) return
  ElMessage({ type: 'error', message: error.message, grouping: true, showClose: true })
}

const errorInterceptors: readonly ErrorInterceptor[] = [onUnauthenticated, toastError]

// ---------------------------------------------------------------------------------------------

export function buildUrl(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    const values: readonly QueryScalar[] = Array.isArray(value) ? value : [value as QueryScalar]
    for (const v of values) {
      if (v === undefined || v === null || v === '') continue
      params.append(key, String(v))
    }
  }
  const qs = params.toString()
  if (!qs) return path
  return path.includes('?') ? `${path}&${qs}` : `${path}?${qs}`
}

async function errorFromResponse(res: Response): Promise<ApiError> {
  let parsed: unknown = null
  const type = res.headers.get('Content-Type') ?? ''
  if (type.includes('json')) {
    try {
      parsed = await res.json()
    } catch {
      parsed = null
    }
  }
  if (isRecord(parsed) && typeof parsed.code === 'string' && typeof parsed.message === 'string') {
    return new ApiError(res.status, {
      code: parsed.code,
      message: parsed.message,
      details: isRecord(parsed.details) ? parsed.details : null,
      request_id: typeof parsed.request_id === 'string' ? parsed.request_id : '',
    })
  }
  // A proxy or gateway answered (HTML, empty body): keep a generic, honest message.
  const message =
    res.status === 413
      ? '上传内容过大'
      : res.status === 401
        ? '登录已过期，请重新登录'
        : res.status >= 500
          ? `服务暂时不可用（HTTP ${res.status}），请稍后重试`
          : `请求失败（HTTP ${res.status}）`
  const code = res.status === 401 ? 'unauthenticated' : res.status >= 500 ? 'internal' : 'bad_request'
  return new ApiError(res.status, { code, message })
}

/** Runs the pipeline and returns the raw successful response; throws ApiError otherwise. */
async function send(path: string, options: RequestOptions): Promise<Response> {
  const ctx: RequestContext = {
    url: buildUrl(path, options.query),
    method: options.method ?? 'GET',
    headers: new Headers(options.headers),
    body: null,
    credentials: 'same-origin',
    options,
  }
  for (const intercept of requestInterceptors) intercept(ctx)

  let res: Response
  try {
    res = await fetch(ctx.url, {
      method: ctx.method,
      headers: ctx.headers,
      body: ctx.body,
      credentials: ctx.credentials,
      signal: options.signal,
    })
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    const error = new ApiError(0, { code: 'network', message: '网络连接失败，请检查网络后重试' })
    for (const intercept of errorInterceptors) intercept(error, ctx)
    throw error
  }
  if (!res.ok) {
    const error = await errorFromResponse(res)
    for (const intercept of errorInterceptors) intercept(error, ctx)
    throw error
  }
  return res
}

/** JSON request. 204 and empty bodies resolve to `undefined` (use `T = void`). */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await send(path, options)
  if (res.status === 204) return undefined as T
  const text = await res.text()
  if (!text) return undefined as T
  return JSON.parse(text) as T
}

export const http = {
  get<T>(path: string, query?: Query, options: Omit<RequestOptions, 'method' | 'query'> = {}): Promise<T> {
    return request<T>(path, { ...options, method: 'GET', query })
  },
  post<T>(path: string, json?: unknown, options: Omit<RequestOptions, 'method' | 'json'> = {}): Promise<T> {
    return request<T>(path, { ...options, method: 'POST', json })
  },
  put<T>(path: string, json?: unknown, options: Omit<RequestOptions, 'method' | 'json'> = {}): Promise<T> {
    return request<T>(path, { ...options, method: 'PUT', json })
  },
  delete<T = void>(path: string, options: Omit<RequestOptions, 'method'> = {}): Promise<T> {
    return request<T>(path, { ...options, method: 'DELETE' })
  },
}

/** Multipart upload of one file (field `file` by default) plus optional text fields. */
export function upload<T>(
  path: string,
  file: File | Blob,
  options: { field?: string; fields?: Record<string, string>; method?: 'POST' | 'PUT'; silent?: boolean } = {},
): Promise<T> {
  const form = new FormData()
  for (const [k, v] of Object.entries(options.fields ?? {})) form.append(k, v)
  if (file instanceof File) form.append(options.field ?? 'file', file, file.name)
  else form.append(options.field ?? 'file', file)
  return request<T>(path, { method: options.method ?? 'POST', form, silent: options.silent })
}

/** `filename*=UTF-8''…` (RFC 5987) first, then `filename="…"`. */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''))
    } catch {
      // fall through to the plain parameter
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(header)
  if (plain) return (plain[2] ?? plain[1]).trim()
  return null
}

/**
 * Downloads a file (e.g. an .xlsx export) with the session cookie and saves it under the
 * server's file name, or `fallbackName`.
 */
export async function download(path: string, query: Query | undefined, fallbackName: string): Promise<void> {
  const res = await send(path, { method: 'GET', query, headers: { Accept: '*/*' } })
  const blob = await res.blob()
  const name = filenameFromDisposition(res.headers.get('Content-Disposition')) ?? fallbackName
  saveBlob(blob, name)
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
