// Shared helpers for the browser tests: a headless Debian Chromium driven by playwright-core against
// the real `xiezhi serve` started by scripts/test.sh (XIEZHI_URL, XIEZHI_DATA_DIR).
import assert from 'node:assert/strict'
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { readFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

export const BASE = process.env.XIEZHI_URL ?? 'http://127.0.0.1:8080/'
const DATA_DIR = process.env.XIEZHI_DATA_DIR ?? '../data'
export const SHOTS = process.env.XIEZHI_SHOTS ?? join(process.cwd(), 'test-results')
mkdirSync(SHOTS, { recursive: true })

/** Demo accounts written by `xiezhi seed-demo`. */
export function accounts() {
  const list = JSON.parse(readFileSync(join(DATA_DIR, 'demo-accounts.json'), 'utf8'))
  return Object.fromEntries(list.map((a) => [a.username, a]))
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}

export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  return page
}

/** Log in through the login form and wait for the home page. */
export async function login(page, username, password) {
  await page.goto(new URL('/login', BASE).href)
  await page.locator('[data-testid=login-username] input, input[data-testid=login-username]').first().fill(username)
  await page.locator('[data-testid=login-password] input, input[data-testid=login-password]').first().fill(password)
  await page.locator('[data-testid=login-submit]').click()
  await page.locator('[data-testid=side-menu]').waitFor()
}

export async function logout(page) {
  await page.locator('[data-testid=user-menu]').click()
  await page.locator('[data-testid=logout]').click()
  // Confirm in the message box.
  await page.locator('.el-message-box .el-button--primary').click()
  await page.locator('[data-testid=login-submit]').waitFor()
}

/** Test ids of the menu entries the user has (groups and pages). */
export async function menuIds(page) {
  await page.locator('[data-testid=side-menu]').waitFor()
  const ids = await page.locator('[data-testid^="menu-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))
  return [...new Set(ids)].sort()
}

/** Log in through the API and return cookie + CSRF token. */
export async function apiSession(username, password) {
  const res = await fetch(new URL('/api/auth/login', BASE), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  const text = await res.text()
  assert.equal(res.status, 200, text)
  const cookie = res.headers.get('set-cookie').split(';')[0]
  const body = JSON.parse(text)
  return { cookie, csrf: body.csrf_token }
}

/** Push one clue as a source would, signed per docs/intake-standard.md. */
export async function push(cred, clue) {
  const path = '/api/intake/v1/clues'
  const body = JSON.stringify(clue)
  const ts = String(Date.now())
  const nonce = randomBytes(16).toString('hex')
  const hash = createHash('sha256').update(body).digest('hex')
  const sig = createHmac('sha256', cred.secret).update(`POST\n${path}\n${ts}\n${nonce}\n${hash}`).digest('base64')
  const res = await fetch(new URL(path, BASE), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-app-key': cred.app_key, 'x-timestamp': ts, 'x-nonce': nonce, 'x-signature': sig },
    body,
  })
  const json = await res.json()
  assert.equal(res.status, 201, JSON.stringify(json))
  return json
}
