// Browser test of the clue center (issue: clue center): a clue pushed by a source under the intake
// standard reaches the handler's inbox; the unit returns it, the dispatcher dispatches it again, the
// unit handles it, the township office verifies it and the dispatcher closes it. An overdue case of
// the demo history is flagged in the case list.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { accounts, apiSession, BASE, launch, login, logout, newPage, push, SHOTS } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

async function openFromInbox(page, caseNo) {
  await page.goto(new URL(`/clue/inbox?q=${caseNo}`, BASE).href)
  const row = page.locator('[data-testid=inbox-row]', { hasText: caseNo })
  await row.first().waitFor()
  await row.first().click()
  await page.locator('[data-testid=case-no]', { hasText: caseNo }).waitFor()
}

async function doAction(page, action, { comment, unit } = {}) {
  await page.locator(`[data-testid=action-${action}]`).click()
  if (comment) {
    await page.locator('[data-testid=action-comment] textarea, textarea[data-testid=action-comment]').first().fill(comment)
  }
  if (unit) {
    const picker = page.locator('[data-testid=action-unit]').first()
    await picker.click()
    await page.keyboard.type(unit)
    await page.locator('.el-tree-node__content:visible, .el-select-dropdown__item:visible', { hasText: unit }).first().click()
  }
  await page.locator('[data-testid=action-confirm]').click()
  await page.locator('.el-message--success').first().waitFor()
}

test('a pushed clue is routed, returned, dispatched, handled, verified and closed', async () => {
  const acc = accounts()
  const api = await apiSession('dispatcher', acc.dispatcher.password)
  const code = `e2e${Date.now().toString(36)}`
  const created = await fetch(new URL('/api/clue/sources', BASE), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: api.cookie, 'x-csrf-token': api.csrf },
    body: JSON.stringify({ code, name: `浏览器测试来源${code}`, kind: 'county', region_code: '331102' }),
  })
  assert.equal(created.status, 201)
  const cred = (await created.json()).credentials
  const result = await push(cred, {
    source_clue_id: `E2E-${Date.now()}`,
    reported_at: new Date(Date.now() - 60_000).toISOString(),
    description: '紫金街道中山街菜场门口有流动摊贩占道经营，三轮车堵住人行道（浏览器测试）',
    address: '丽水市莲都区紫金街道中山街',
    location: { longitude: 119.9276, latitude: 28.4515, coord_system: 'wgs84' },
    category_code: 'E0502',
  })
  const caseNo = result.case_no
  assert.match(caseNo, /^331102\d{13}$/)

  const page = await newPage(browser)
  // The unit's handler finds it in the inbox and returns it as not theirs.
  await login(page, 'handler', acc.handler.password)
  await openFromInbox(page, caseNo)
  await page.locator('[data-testid=case-activity]', { hasText: '处置' }).waitFor()
  await doAction(page, 'return', { comment: '经核实不属于本单位，请重新派遣' })
  await logout(page)
  // The dispatcher dispatches it to the district bureau by hand.
  await login(page, 'dispatcher', acc.dispatcher.password)
  await openFromInbox(page, caseNo)
  await page.locator('[data-testid=case-activity]', { hasText: '派遣' }).waitFor()
  await doAction(page, 'dispatch', { unit: '莲都区综合行政执法局' })
  await page.locator('[data-testid=case-activity]', { hasText: '处置' }).waitFor()
  await logout(page)
  // The unit handles it.
  await login(page, 'handler', acc.handler.password)
  await openFromInbox(page, caseNo)
  await doAction(page, 'submit', { comment: '已劝离摊贩，现场恢复通行' })
  await logout(page)
  // The dispatcher sends it for verification.
  await login(page, 'dispatcher', acc.dispatcher.password)
  await openFromInbox(page, caseNo)
  await doAction(page, 'forward')
  await logout(page)
  // The township office verifies on site.
  await login(page, 'township', acc.township.password)
  await openFromInbox(page, caseNo)
  await page.locator('[data-testid=case-activity]', { hasText: '核查' }).waitFor()
  await doAction(page, 'pass')
  await logout(page)
  // The dispatcher closes it.
  await login(page, 'dispatcher', acc.dispatcher.password)
  await openFromInbox(page, caseNo)
  await doAction(page, 'close')
  await page.locator('[data-testid=case-status]', { hasText: '已结案' }).waitFor()
  await page.screenshot({ path: join(SHOTS, 'clue-closed.png'), fullPage: true })
  // Overdue cases of the demo history are flagged in the list.
  await page.goto(new URL('/clue/cases?overdue=true', BASE).href)
  await page.locator('[data-testid=case-row]').first().waitFor()
  assert.ok((await page.locator('[data-testid=case-row] [data-testid=overdue-tag]').count()) > 0, 'overdue tags shown')
  await page.screenshot({ path: join(SHOTS, 'clue-overdue.png'), fullPage: true })
  await page.context().close()
})
