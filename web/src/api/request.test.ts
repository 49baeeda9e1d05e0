import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const toast = vi.fn()
vi.mock('element-plus', () => ({ ElMessage: (opts: unknown) => toast(opts) }))

const { ApiError, buildUrl, filenameFromDisposition, http, installRequestHooks } = await import('./request')

interface Call {
  url: string
  init: RequestInit
}

let calls: Call[] = []
let nextResponse: () => Response

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

const onUnauthenticated = vi.fn()

beforeEach(() => {
  calls = []
  toast.mockReset()
  onUnauthenticated.mockReset()
  nextResponse = () => jsonResponse(200, { ok: true })
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init })
    return nextResponse()
  })
  installRequestHooks({ csrfToken: () => 'tok-1', onUnauthenticated })
})

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('buildUrl', () => {
  it('skips empty values, keeps false and 0, repeats arrays', () => {
    expect(buildUrl('/api/x', { a: 'k', b: '', c: null, d: undefined, e: false, f: 0, g: [1, 2] })).toBe(
      '/api/x?a=k&e=false&f=0&g=1&g=2',
    )
    expect(buildUrl('/api/x', {})).toBe('/api/x')
  })
})

describe('filenameFromDisposition', () => {
  it('prefers the RFC 5987 form', () => {
    expect(filenameFromDisposition(`attachment; filename="users.xlsx"; filename*=UTF-8''%E7%94%A8%E6%88%B7.xlsx`)).toBe(
      '用户.xlsx',
    )
    expect(filenameFromDisposition('attachment; filename="audit.xlsx"')).toBe('audit.xlsx')
    expect(filenameFromDisposition(null)).toBeNull()
  })
})

describe('request pipeline', () => {
  it('sends cookies on every call and the CSRF token only on non-GET calls', async () => {
    await http.get('/api/a')
    await http.post('/api/b', { x: 1 })
    const [get, post] = calls
    expect(get.init.credentials).toBe('include')
    expect(new Headers(get.init.headers).has('X-CSRF-Token')).toBe(false)
    expect(post.init.credentials).toBe('include')
    expect(new Headers(post.init.headers).get('X-CSRF-Token')).toBe('tok-1')
    expect(new Headers(post.init.headers).get('Content-Type')).toBe('application/json')
    expect(post.init.body).toBe('{"x":1}')
  })

  it('resolves 204 to undefined', async () => {
    nextResponse = () => new Response(null, { status: 204 })
    await expect(http.delete('/api/c')).resolves.toBeUndefined()
  })

  it('turns an error body into ApiError with field errors and a toast', async () => {
    nextResponse = () =>
      jsonResponse(422, {
        code: 'validation_failed',
        message: '输入有误',
        details: { fields: { username: '用户名已被使用' } },
        request_id: 'r1',
      })
    const err = await http.post('/api/users', {}).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    const e = err as InstanceType<typeof ApiError>
    expect(e.status).toBe(422)
    expect(e.code).toBe('validation_failed')
    expect(e.fieldErrors).toEqual({ username: '用户名已被使用' })
    expect(e.requestId).toBe('r1')
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ type: 'error', message: '输入有误' }))
    expect(onUnauthenticated).not.toHaveBeenCalled()
  })

  it('maps a conflict field to a field error', async () => {
    nextResponse = () => jsonResponse(409, { code: 'conflict', message: '名称已存在', details: { field: 'name' }, request_id: 'r' })
    const e = (await http.post('/api/d', {}).catch((x: unknown) => x)) as InstanceType<typeof ApiError>
    expect(e.fieldErrors).toEqual({ name: '名称已存在' })
  })

  it('ends the session on 401 unauthenticated but not on invalid_credentials', async () => {
    nextResponse = () => jsonResponse(401, { code: 'invalid_credentials', message: '用户名或密码错误', request_id: 'r' })
    await http.post('/api/auth/login', {}, { silent: true }).catch(() => undefined)
    expect(onUnauthenticated).not.toHaveBeenCalled()
    expect(toast).not.toHaveBeenCalled()

    nextResponse = () => jsonResponse(401, { code: 'unauthenticated', message: '登录已过期', request_id: 'r' })
    await http.get('/api/x').catch(() => undefined)
    expect(onUnauthenticated).toHaveBeenCalledTimes(1)
  })

  it('gives non-JSON failures a generic Chinese message', async () => {
    nextResponse = () => new Response('<html>bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } })
    const e = (await http.get('/api/x').catch((x: unknown) => x)) as InstanceType<typeof ApiError>
    expect(e.code).toBe('internal')
    expect(e.message).toContain('502')
  })

  it('reads numeric details such as locked_until', async () => {
    nextResponse = () =>
      jsonResponse(423, { code: 'account_locked', message: '账号已锁定', details: { locked_until: 1700000000000 }, request_id: 'r' })
    const e = (await http.post('/api/auth/login', {}, { silent: true }).catch((x: unknown) => x)) as InstanceType<
      typeof ApiError
    >
    expect(e.detailNumber('locked_until')).toBe(1700000000000)
    expect(e.detailNumber('missing')).toBeNull()
  })
})
