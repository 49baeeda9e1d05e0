// Browser test of the 浙政钉 (ZZD) link (issue 4), against the simulator built into the server that
// seed-demo enables: once an organisation sync has linked the demo staff (by mobile), a QR log-in
// through the simulator's page lands in the linked account with that account's menus, and a new
// task sends one work notification to the responsible unit's linked staff, which appears in the
// simulator's inbox exactly once.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { accounts, apiSession, BASE, launch, menuIds, newPage, push, SHOTS } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

async function call(session, method, path, body) {
  const res = await fetch(new URL(path, BASE), {
    method,
    headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, json: text ? JSON.parse(text) : null, text }
}

/** The ZZD account linked to a local username, after a sync if none is linked yet. */
async function linkedAccount(admin, username) {
  const find = async () => {
    const r = await call(admin, 'GET', '/api/integration/zzd/accounts?linked=true&page_size=200')
    assert.equal(r.status, 200, r.text)
    return r.json.items.find((a) => a.username === username)
  }
  let account = await find()
  if (!account) {
    const preview = await call(admin, 'POST', '/api/integration/zzd/sync/preview', {})
    assert.equal(preview.status, 200, preview.text)
    const applied = await call(admin, 'POST', `/api/integration/zzd/sync/runs/${preview.json.id}/apply`, {})
    assert.equal(applied.status, 200, applied.text)
    account = await find()
  }
  assert.ok(account, `a ZZD account is linked to ${username}`)
  return account
}

async function inbox() {
  const res = await fetch(new URL('/sim/zzd/_sim/inbox.json', BASE))
  assert.equal(res.status, 200)
  return res.json()
}

test('a QR log-in through the ZZD simulator lands in the linked account, and a new task notifies the unit once', async () => {
  const acc = accounts()
  const admin = await apiSession('sysadmin', acc.sysadmin.password)
  const account = await linkedAccount(admin, 'dispatcher')
  assert.equal(account.name, '吴丽娟')

  // The log-in page's 浙政钉扫码登录 goes to the simulator's QR page; "scanning" is choosing the
  // account and confirming, and the browser comes back logged in.
  const page = await newPage(browser)
  await page.goto(new URL('/login', BASE).href)
  await page.locator('[data-testid=login-zzd]').click()
  await page.waitForURL(/\/sim\/zzd\//)
  await page.screenshot({ path: join(SHOTS, 'zzd-qr-page.png'), fullPage: true })
  await page.locator('select[name=account_id]').selectOption(String(account.account_id))
  await page.locator('button[type=submit]').click()
  await page.waitForURL((url) => !url.pathname.startsWith('/login') && !url.pathname.startsWith('/sim/') && !url.pathname.startsWith('/api/'))
  await page.locator('[data-testid=user-menu]', { hasText: '吴丽娟' }).waitFor()
  // The dispatcher's menus, nothing of the system administrator's.
  const menus = await menuIds(page)
  for (const id of ['menu-clue-inbox', 'menu-clue-cases', 'menu-clue-queues', 'menu-clue-sources']) {
    assert.ok(menus.includes(id), `${id} in ${menus}`)
  }
  assert.ok(!menus.includes('menu-integration'), 'no 外部系统 menu for the dispatcher')
  await page.screenshot({ path: join(SHOTS, 'zzd-logged-in.png'), fullPage: true })
  await page.context().close()

  // A pushed 占道经营 clue in 莲都区 is graded to 莲都区综合行政执法局 and opens its 处置 task: one
  // work notification to the unit's linked staff (the handler 周海涛 among them).
  const handler = await linkedAccount(admin, 'handler')
  const dispatcher = await apiSession('dispatcher', acc.dispatcher.password)
  const code = `e2ezzd${Date.now().toString(36)}`
  const created = await call(dispatcher, 'POST', '/api/clue/sources', { code, name: `浙政钉测试来源${code}`, kind: 'county', region_code: '331102' })
  assert.equal(created.status, 201, created.text)
  const jitter = () => (Math.random() - 0.5) * 0.02
  const result = await push(created.json.credentials, {
    source_clue_id: `E2E-ZZD-${Date.now()}`,
    reported_at: new Date(Date.now() - 60_000).toISOString(),
    description: `岩泉街道有人在人行道上乱堆建筑材料，影响通行（浙政钉通知浏览器测试 ${code}）`,
    address: '丽水市莲都区岩泉街道',
    location: { longitude: 119.935 + jitter(), latitude: 28.46 + jitter(), coord_system: 'wgs84' },
    category_code: 'E0502',
  })
  const mine = (all) => all.filter((n) => JSON.stringify(n.msg).includes(result.case_no))
  const deadline = Date.now() + 60_000
  while (mine(await inbox()).length === 0) {
    assert.ok(Date.now() < deadline, `a work notification for ${result.case_no} within 60 s`)
    await new Promise((r) => setTimeout(r, 500))
  }
  // Give the relay time for any second delivery, then count again.
  await new Promise((r) => setTimeout(r, 3000))
  const notices = mine(await inbox())
  assert.equal(notices.length, 1, JSON.stringify(notices))
  assert.ok(notices[0].receiverIds.includes(String(handler.account_id)), JSON.stringify(notices[0]))
  assert.match(notices[0].msg.oa.body.title, /新任务/)

  // The simulator's inbox page shows it as a person would see it.
  const inboxPage = await newPage(browser)
  await inboxPage.goto(new URL('/sim/zzd/_sim/inbox', BASE).href)
  await inboxPage.getByText(result.case_no, { exact: false }).first().waitFor()
  await inboxPage.screenshot({ path: join(SHOTS, 'zzd-inbox.png'), fullPage: true })
  await inboxPage.context().close()
})
