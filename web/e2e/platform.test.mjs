// Browser tests of the platform foundation (issue: platform foundation):
// each demo account sees only its menus; a system administrator creates a department user with a
// role and that user sees the restricted menu; five wrong passwords lock an account.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { accounts, launch, login, logout, menuIds, newPage, SHOTS } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

const GROUP_SYSTEM = ['menu-system']
// 线索中心 → 处置规则 (clue:config:view, seeded for the city and county leaders and the dispatcher);
// 线索中心 → 线索来源 (clue:source:view) only for the dispatcher.
const CLUE_CONFIG = ['menu-clue', 'menu-clue-config', 'menu-clue-categories', 'menu-clue-case-types',
  'menu-clue-severities', 'menu-clue-numbering', 'menu-clue-responsibilities', 'menu-clue-dedup',
  'menu-clue-workflows', 'menu-clue-grading-rules', 'menu-clue-calendar']
// Cases (clue:case:view): the inbox and the case list; entry and the manual queues for the dispatcher.
const CASES = ['menu-clue-inbox', 'menu-clue-cases']
// 外部系统 (integration:*), seeded for the system administrator only.
const INTEGRATION = [
  'menu-integration',
  'menu-integration-systems',
  'menu-integration-deliveries',
  'menu-integration-exchanges',
  'menu-integration-zzd',
  'menu-integration-irs',
  'menu-integration-irs-facts',
]
const EXPECTED = {
  sysadmin: ['menu-home', ...GROUP_SYSTEM, 'menu-platform-org', 'menu-platform-user', 'menu-platform-region',
    'menu-platform-item', 'menu-platform-dict', 'menu-platform-portal', 'menu-security', 'menu-platform-role', ...INTEGRATION],
  secadmin: ['menu-home', ...GROUP_SYSTEM, 'menu-platform-org', 'menu-platform-user', 'menu-security', 'menu-platform-role'],
  auditadmin: ['menu-home', ...GROUP_SYSTEM, 'menu-platform-org', 'menu-platform-user', 'menu-audit', 'menu-audit-log'],
  cityleader: ['menu-home', ...GROUP_SYSTEM, 'menu-platform-org', 'menu-platform-user', 'menu-platform-region',
    'menu-platform-item', 'menu-platform-dict', ...CLUE_CONFIG, ...CASES],
  countyleader: ['menu-home', ...GROUP_SYSTEM, 'menu-platform-org', 'menu-platform-user', 'menu-platform-region', 'menu-platform-item',
    ...CLUE_CONFIG, ...CASES],
  dispatcher: ['menu-home', ...GROUP_SYSTEM, 'menu-platform-org', 'menu-platform-user', 'menu-platform-region', 'menu-platform-item',
    ...CLUE_CONFIG, 'menu-clue-sources', ...CASES, 'menu-clue-case-new', 'menu-clue-queues'],
  handler: ['menu-home', ...GROUP_SYSTEM, 'menu-platform-region', 'menu-platform-item', 'menu-clue', ...CASES],
  township: ['menu-home', ...GROUP_SYSTEM, 'menu-platform-region', 'menu-clue', ...CASES],
}

test('each demo account sees only the menus its role allows', async () => {
  const acc = accounts()
  for (const [username, expected] of Object.entries(EXPECTED)) {
    const page = await newPage(browser)
    await login(page, username, acc[username].password)
    assert.deepEqual(await menuIds(page), [...expected].sort(), `menus of ${username}`)
    await page.screenshot({ path: join(SHOTS, `menu-${username}.png`) })
    await page.context().close()
  }
})

test('a page outside the role answers 403, and the API refuses it too', async () => {
  const acc = accounts()
  const page = await newPage(browser)
  await login(page, 'township', acc.township.password)
  await page.goto(new URL('/platform/user', page.url()).href)
  await page.waitForURL(/\/403/)
  const res = await page.request.get(new URL('/api/platform/users', page.url()).href)
  assert.equal(res.status(), 403)
  assert.equal((await res.json()).code, 'forbidden')
  await page.context().close()
})

test('the system administrator creates a department user with a role, who then sees the restricted menu', async () => {
  const acc = accounts()
  const page = await newPage(browser)
  await login(page, 'sysadmin', acc.sysadmin.password)
  await page.locator('[data-testid=menu-system]').click()
  await page.locator('[data-testid=menu-platform-user]').click()
  await page.locator('[data-testid=user-table]').waitFor()
  await page.locator('[data-testid=user-create]').click()
  const dialog = page.locator('[data-testid=user-form-dialog]')
  await dialog.waitFor()
  const username = `e2e${Date.now() % 100000}`
  const password = 'E2e#Lishui2026'
  await page.locator('[data-testid=user-form-username] input, input[data-testid=user-form-username]').first().fill(username)
  await page.locator('[data-testid=user-form-display-name] input, input[data-testid=user-form-display-name]').first().fill('雷晓燕')
  // Department: filter the tree select and pick the township squad.
  const dept = page.locator('[data-testid=user-form-department]')
  await dept.locator('.el-select__wrapper').click()
  await dept.locator('input').first().fill('紫金街道综合行政执法队')
  await page.locator('.el-popper:visible .el-tree-node__content', { hasText: '紫金街道综合行政执法队' }).first().click()
  await page.locator('[data-testid=user-form-password] input, input[data-testid=user-form-password]').first().fill(password)
  await page.locator('[data-testid=user-form-phone] input, input[data-testid=user-form-phone]').first().fill('13967812345')
  // Role: 乡镇执法队员.
  await page.locator('[data-testid=user-form-roles]').click()
  await page.locator('.el-popper:visible .el-select-dropdown__item', { hasText: '乡镇执法队员' }).first().click()
  await page.keyboard.press('Escape').catch(() => {})
  await page.locator('[data-testid=user-form-submit]').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.locator('[data-testid=user-table]', { hasText: username }).waitFor()
  await page.screenshot({ path: join(SHOTS, 'user-created.png') })
  await logout(page)

  await login(page, username, password)
  assert.deepEqual(await menuIds(page), ['menu-clue', 'menu-clue-cases', 'menu-clue-inbox', 'menu-home', 'menu-platform-region', 'menu-system'])
  await page.screenshot({ path: join(SHOTS, 'restricted-menu.png') })
  await page.context().close()
})

test('five wrong passwords lock an account', async () => {
  const acc = accounts()
  const page = await newPage(browser)
  await page.goto(new URL('/login', process.env.XIEZHI_URL ?? 'http://127.0.0.1:8080/').href)
  const user = page.locator('[data-testid=login-username] input, input[data-testid=login-username]').first()
  const pass = page.locator('[data-testid=login-password] input, input[data-testid=login-password]').first()
  await user.fill('countyleader')
  for (let i = 1; i <= 5; i++) {
    await pass.fill(`Wrong#Pass${i}x`)
    await page.locator('[data-testid=login-submit]').click()
    await page.locator('[data-testid=login-error]').waitFor()
    if (i < 5) await page.waitForTimeout(200)
  }
  await page.locator('[data-testid=login-error]', { hasText: '锁定' }).waitFor()
  await page.screenshot({ path: join(SHOTS, 'locked.png') })
  // The right password is refused now.
  const res = await page.request.post(new URL('/api/auth/login', page.url()).href, {
    data: { username: 'countyleader', password: acc.countyleader.password },
  })
  assert.equal(res.status(), 423)
  await page.context().close()
})
