// Browser test of the external systems (issue 4): the system administrator sees the four linked
// systems with their settings, tests the provincial link, and opens the delivery queue and the
// exchange log. seed-demo enables the provincial link against the built-in simulator for 生态环境 and
// 市场监管 (Z02, Z03) clues, so a clue of category Z0301 pushed by a source reaches the province,
// and the dispatcher sees where it stands there on the case page (省执法平台 card).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { accounts, apiSession, BASE, launch, login, newPage, push, SHOTS } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

/** Fails the test on uncaught page errors and on error toasts (the request client's failures). */
function watchErrors(page) {
  const errors = []
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`))
  page.on('response', (res) => {
    if (res.url().includes('/api/') && res.status() >= 500) errors.push(`HTTP ${res.status()} ${res.url()}`)
  })
  return {
    async check(what) {
      const toasts = await page.locator('.el-message--error').allInnerTexts()
      assert.deepEqual([...errors, ...toasts], [], `no errors on ${what}`)
    },
  }
}

/** The four systems by code, with a part of the name the server gives each. */
const SYSTEMS = { province: /执法监管/, zzd: /浙政钉/, irs: /IRS/, supervision: /互联网\+监管/ }

test('the system administrator sees the four systems, tests the province link and opens the queue and the log', async () => {
  const acc = accounts()
  const page = await newPage(browser)
  const errors = watchErrors(page)
  await login(page, 'sysadmin', acc.sysadmin.password)

  // 外部系统 → 对接配置
  await page.locator('[data-testid=menu-integration]').click()
  await page.locator('[data-testid=menu-integration-systems]').click()
  for (const [code, name] of Object.entries(SYSTEMS)) {
    const card = page.locator(`[data-testid=integration-system-${code}]`)
    await card.waitFor()
    assert.match(await card.innerText(), name, `card of ${code}`)
    assert.match(await card.locator('[data-testid=integration-system-status]').innerText(), /^(已启用|未启用)$/)
  }
  // seed-demo links the province to the built-in simulator.
  const province = page.locator('[data-testid=integration-system-province]')
  assert.equal((await province.locator('[data-testid=integration-system-status]').innerText()).trim(), '已启用')
  assert.equal((await province.locator('[data-testid=integration-system-endpoint]').innerText()).trim(), '内置模拟器')
  assert.equal((await province.locator('[data-testid=integration-system-secret]').innerText()).trim(), '密钥已设置')

  // The edit form shows the push rules and never the secret.
  await page.locator('[data-testid=integration-system-edit-province]').click()
  const dialog = page.locator('[data-testid=integration-system-dialog]')
  await dialog.waitFor()
  const secret = dialog.locator('[data-testid=integration-system-form-secret] input, input[data-testid=integration-system-form-secret]').first()
  assert.equal(await secret.inputValue(), '')
  assert.equal(await secret.getAttribute('placeholder'), '留空则不修改')
  assert.match(await dialog.locator('[data-testid=integration-system-form-categories]').innerText(), /Z03/)
  await dialog.getByRole('button', { name: '取消' }).click()
  await dialog.waitFor({ state: 'hidden' })

  // 连接测试 against the simulator succeeds and is recorded on the card.
  await page.locator('[data-testid=integration-system-test-province]').click()
  await page.locator('.el-message--success', { hasText: '连接测试成功' }).first().waitFor()
  await province.locator('[data-testid=integration-system-last-test]', { hasText: '成功' }).waitFor()
  await page.screenshot({ path: join(SHOTS, 'integration-systems.png'), fullPage: true })
  await errors.check('对接配置')

  // 投递队列
  await page.locator('[data-testid=menu-integration-deliveries]').click()
  await page.locator('[data-testid=integration-delivery-table]').waitFor()
  await page.locator('[data-testid=integration-delivery-tile-province]').waitFor()
  await page.locator('[data-testid=integration-delivery-search]').click()
  await page.waitForLoadState('networkidle')
  await page.screenshot({ path: join(SHOTS, 'integration-deliveries.png'), fullPage: true })
  await errors.check('投递队列')

  // 交换记录, and its 省平台交换记录 preset.
  await page.locator('[data-testid=menu-integration-exchanges]').click()
  await page.locator('[data-testid=integration-exchange-table]').waitFor()
  await page.locator('[data-testid=integration-exchange-province]').click()
  await page.waitForURL(/system=province/)
  await page.waitForLoadState('networkidle')
  await page.screenshot({ path: join(SHOTS, 'integration-exchanges.png'), fullPage: true })
  await errors.check('交换记录')
  await page.context().close()
})

/** The built-in province simulator's timing (review → transfer → disposal), read and replaced. */
async function simConfig(change) {
  const url = new URL('/sim/province/_sim/config', BASE)
  const before = await (await fetch(url)).json()
  if (change) {
    const res = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...before, ...change }) })
    assert.equal(res.status, 200, await res.text())
  }
  return before
}

test('a 无证无照经营 (Z0301) clue is pushed to the provincial platform, transferred, and its feedback shows on the case page', async () => {
  const acc = accounts()
  const api = await apiSession('dispatcher', acc.dispatcher.password)
  // The simulator reviews and disposes within seconds for this test (a minute and five by default).
  const timing = await simConfig({ review_ms: 1500, dispose_ms: 1500 })
  try {
    await pushedClueShowsProvinceFeedback(acc, api)
  } finally {
    await simConfig({ review_ms: timing.review_ms, dispose_ms: timing.dispose_ms })
  }
})

async function pushedClueShowsProvinceFeedback(acc, api) {
  const code = `e2eprov${Date.now().toString(36)}`
  const created = await fetch(new URL('/api/clue/sources', BASE), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: api.cookie, 'x-csrf-token': api.csrf },
    body: JSON.stringify({ code, name: `省平台测试来源${code}`, kind: 'county', region_code: '331102' }),
  })
  assert.equal(created.status, 201)
  const cred = (await created.json()).credentials
  // A spot a few hundred metres around 丽阳街, so that a rerun on the same data is not merged into
  // the case of the previous run (duplicates are searched within 200 m).
  const jitter = () => (Math.random() - 0.5) * 0.02
  const result = await push(cred, {
    source_clue_id: `E2E-PROV-${Date.now()}`,
    reported_at: new Date(Date.now() - 60_000).toISOString(),
    description: `白云街道丽阳街一家小餐馆未办理营业执照和食品经营许可证即开门营业（省平台推送浏览器测试 ${code}）`,
    address: '丽水市莲都区白云街道丽阳街',
    location: { longitude: 119.9102 + jitter(), latitude: 28.4632 + jitter(), coord_system: 'wgs84' },
    category_code: 'Z0301',
  })
  const caseNo = result.case_no
  assert.equal(result.dedup, 'new', JSON.stringify(result))

  // The dispatcher (clue:case:view) opens the case from the list.
  const page = await newPage(browser)
  const errors = watchErrors(page)
  await login(page, 'dispatcher', acc.dispatcher.password)
  await page.goto(new URL(`/clue/cases?q=${caseNo}`, BASE).href)
  await page.locator('[data-testid=case-no-link]', { hasText: caseNo }).first().click()
  await page.locator('[data-testid=case-no]', { hasText: caseNo }).waitFor()

  // The relay pushes it to the simulator, which reviews, transfers to 市场监管 and disposes, feeding
  // each step back: refresh until the card shows the disposal result.
  const card = page.locator('[data-testid=case-province]')
  const status = () => card.locator('[data-testid=case-province-status]').innerText().then((t) => t.trim())
  const deadline = Date.now() + 90_000
  while (!(await card.isVisible()) || (await status()) !== '已反馈处置结果') {
    assert.ok(Date.now() < deadline, `case ${caseNo} shows the province's disposal result within 90 s`)
    await page.waitForTimeout(1500)
    await page.locator('[data-testid=case-refresh]').click()
    await page.waitForLoadState('networkidle')
  }
  const text = await card.innerText()
  assert.match(text, /线索非主体推送|一类方案风险推送|三类方案风险推送/)
  assert.match(text, /丽水市市场监督管理局/, 'transferred to the market regulator')
  // The case no longer waits for the province, and the timeline records the province's steps.
  const activity = (await page.locator('[data-testid=case-activity]').innerText()).trim()
  assert.notEqual(activity, '省平台处置', `case ${caseNo} still waits for the province`)
  await page.locator('[data-testid=case-tabs] .el-tabs__item', { hasText: '办理记录' }).click()
  const events = page.locator('[data-testid=case-events]')
  for (const name of ['推送省平台', '省平台转交', '省平台反馈']) {
    await events.getByText(name, { exact: false }).first().waitFor()
  }
  await page.screenshot({ path: join(SHOTS, 'integration-case-province.png'), fullPage: true })
  await errors.check('案件详情')
  await page.context().close()

  // The system administrator finds the message in the delivery queue by the case number.
  const admin = await newPage(browser)
  await login(admin, 'sysadmin', acc.sysadmin.password)
  await admin.goto(new URL(`/integration/deliveries?channel=province&keyword=${caseNo}`, BASE).href)
  const row = admin.locator('[data-testid=integration-delivery-table] .el-table__row', { hasText: caseNo })
  await row.first().waitFor()
  await row.first().locator('[data-testid=integration-delivery-detail]').click()
  await admin.locator('[data-testid=integration-delivery-payload]').waitFor()
  await admin.screenshot({ path: join(SHOTS, 'integration-delivery-detail.png'), fullPage: true })
  await admin.context().close()
}
