// Screenshots of every view, light and dark, with libraries in every state, for a person to look at:
// test-results/screenshots/<view>-<scheme>.png. Each also asserts the view rendered what it should.
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { startDashboardHost, type DashboardHost } from './support/dashboard-host.ts'
import { installFakeBridge } from './support/fake-bridge.ts'

const DAY = 86_400_000
const SHOTS = path.resolve(process.env['LARDER_SCREENSHOTS'] ?? 'test-results/screenshots')
const SCHEMES = ['light', 'dark'] as const

test.describe.configure({ mode: 'serial' })

let dash: DashboardHost

async function shoot(page: Page, name: string): Promise<void> {
  // The detail pane reads its library's whole view after the row is clicked: photograph it once it is in.
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0)
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), animations: 'disabled' })
}

async function open(page: Page, scheme: 'light' | 'dark'): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 860 })
  await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
  // The page's clock matches Larder's (which the test moved forward).
  await page.clock.install({ time: dash.clock.now() })
  await page.goto(dash.host.urlWithSecret)
  await expect(page.getByRole('grid', { name: 'Libraries' })).toBeVisible()
}

test.beforeAll(async () => {
  dash = await startDashboardHost({ seedFixtures: 4 })
  const { core, actions } = dash.assembled
  const byName = (name: string): string => {
    const found = core.libraries.list().find((library) => library.name === name)
    if (!found) throw new Error(`no library ${name}`)
    return found.id
  }
  // Trattoria Oost: someone else used its refresh token, so Larder's next refresh is refused.
  await dash.useRefreshTokenElsewhere(byName('Trattoria Oost'))
  await actions.refresh(byName('Trattoria Oost')).catch(() => undefined)
  // Five and a half days later: inside the warning window, but their refreshes are on schedule, so still Healthy.
  await dash.advance(5.5 * DAY)
  for (const name of ['Kantine Centrum', 'Pizzeria Haven', 'Sushi Markt', 'Deli Station']) await dash.addThroughCore(dash.newLibrary(name))
  await actions.copy(byName('Kantine Centrum'), 'token')
  // Café Zuid: Apicbase answers 503 once.
  dash.sandbox.faults.inject({ route: 'token', kind: 'status', status: 503, times: 1 })
  await actions.refresh(byName('Café Zuid')).catch(() => undefined)
  await actions.revoke(byName('Pizzeria Haven'))
})

test.afterAll(async () => {
  await dash?.close()
})

for (const scheme of SCHEMES) {
  test(`views in ${scheme}`, async ({ page }) => {
    // No console error anywhere on the way (a CSP violation would be one).
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(error.message))
    await open(page, scheme)
    const grid = page.getByRole('grid', { name: 'Libraries' })
    await expect(grid.getByRole('row')).toHaveCount(9)
    await expect(page.getByRole('region', { name: 'Warnings' })).toContainText('1 needs re-authorization')
    await shoot(page, `libraries-${scheme}`)

    await grid.getByRole('row', { name: /Café Zuid/ }).click()
    await expect(page.getByRole('heading', { level: 2, name: 'Café Zuid' })).toBeVisible()
    await shoot(page, `detail-error-${scheme}`)

    await grid.getByRole('row', { name: /Trattoria Oost/ }).click()
    await expect(page.getByText('Next step: ask the owner for a new token')).toBeVisible()
    await shoot(page, `detail-needs-reauth-${scheme}`)

    await grid.getByRole('row', { name: /Kantine Centrum/ }).click()
    await page.getByRole('button', { name: 'Copy token' }).click()
    await expect(page.getByText(/copied · clears in/)).toBeVisible()
    await shoot(page, `detail-copied-${scheme}`)

    await page.getByRole('button', { name: 'Add library' }).click()
    await expect(page.getByRole('dialog', { name: 'Add library' })).toBeVisible()
    await page.getByText('Advanced').click()
    await shoot(page, `add-library-${scheme}`)
    await page.keyboard.press('Escape')

    await page.getByRole('button', { name: 'Settings' }).click()
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible()
    await shoot(page, `settings-${scheme}`)

    await page.getByRole('button', { name: 'Audit log' }).click()
    await expect(page.getByRole('table')).toBeVisible()
    await shoot(page, `audit-${scheme}`)

    await page.setViewportSize({ width: 900, height: 760 })
    await page.getByRole('button', { name: 'Libraries' }).click()
    await grid.getByRole('row', { name: /Café Zuid/ }).click()
    await shoot(page, `narrow-${scheme}`)
    expect(problems).toEqual([])
  })

  test(`locked vault in ${scheme}`, async ({ page }) => {
    await installFakeBridge(page, { libraries: [], vault: { state: 'locked', mode: 'unlock' }, passphrase: 'open sesame please' })
    await page.setViewportSize({ width: 1100, height: 700 })
    await page.emulateMedia({ colorScheme: scheme })
    await page.goto(dash.host.url)
    await expect(page.getByRole('heading', { name: 'Larder is locked' })).toBeVisible()
    await shoot(page, `vault-locked-${scheme}`)
  })

  test(`empty state in ${scheme}`, async ({ page }) => {
    await installFakeBridge(page, { libraries: [] })
    await page.setViewportSize({ width: 1100, height: 700 })
    await page.emulateMedia({ colorScheme: scheme })
    await page.goto(dash.host.url)
    await expect(page.getByRole('heading', { name: 'No libraries yet' })).toBeVisible()
    await shoot(page, `empty-${scheme}`)
  })
}
