// Accessibility of every view, light and dark (contrast differs), with axe: WCAG 2.1 A and AA and axe's best practices.
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { expectNoViolations } from './support/axe.ts'
import { startDashboardHost, type DashboardHost } from './support/dashboard-host.ts'
import { DAY, detail, moveTime, openDashboard, row } from './support/dashboard-page.ts'
import { installFakeBridge } from './support/fake-bridge.ts'
import { serveFolder, type StaticServer } from '../support/static-server.ts'

let dash: DashboardHost
let plain: StaticServer

test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  dash = await startDashboardHost({ seedFixtures: 4 })
  const { core, actions } = dash.assembled
  const id = (name: string): string => core.libraries.list().find((library) => library.name === name)?.id ?? ''
  await dash.useRefreshTokenElsewhere(id('Trattoria Oost'))
  await actions.refresh(id('Trattoria Oost')).catch(() => undefined)
  await dash.advance(5.5 * DAY)
  await dash.addThroughCore(dash.newLibrary('Kantine Centrum'))
  dash.sandbox.faults.inject({ route: 'token', kind: 'status', status: 503, times: 1 })
  await actions.refresh(id('Café Zuid')).catch(() => undefined)
  await actions.revoke(id('Bistro West'))
  plain = await serveFolder(path.resolve('out/renderer'))
})
test.afterAll(async () => {
  await dash?.close()
  await plain?.close()
})

for (const scheme of ['light', 'dark'] as const) {
  test(`every view passes axe in ${scheme}`, async ({ page }) => {
    // Nine views, each scanned by axe: about 28 s on an idle two-core machine, so more than the default 30 s.
    test.setTimeout(120_000)
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
    await openDashboard(page, dash)
    await moveTime(page, dash, 0)
    await expectNoViolations(page, 'the library list')

    await row(page, 'Trattoria Oost').click()
    await expect(detail(page).getByRole('heading', { name: 'Next step: ask the owner for a new token' })).toBeVisible()
    await expectNoViolations(page, 'the detail of a library needing re-authorization')
    await row(page, 'Café Zuid').click()
    await expectNoViolations(page, 'the detail of a library in error')
    await row(page, 'Kantine Centrum').click()
    await detail(page).getByRole('button', { name: 'Copy token' }).click()
    await expect(detail(page).getByText(/copied · clears in/)).toBeVisible()
    await expectNoViolations(page, 'the detail with a copy receipt and a message')

    await detail(page).getByRole('button', { name: 'Remove' }).click()
    await expectNoViolations(page, 'the remove confirmation')
    await page.keyboard.press('Escape')

    await page.getByRole('button', { name: 'Add library' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add library' })
    await dialog.getByText('Advanced').click()
    await expectNoViolations(page, 'the add-library form')
    await dialog.getByRole('button', { name: 'Save', exact: true }).click()
    await expect(dialog.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true')
    await expectNoViolations(page, 'the add-library form with errors')
    await page.keyboard.press('Escape')

    await page.getByRole('button', { name: 'Settings' }).click()
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible()
    await expectNoViolations(page, 'settings')
    await page.getByRole('button', { name: 'Audit log' }).click()
    await expect(page.getByRole('table')).toBeVisible()
    await expectNoViolations(page, 'the audit log')
  })

  test(`the locked vault, the empty state and the page outside Larder pass axe in ${scheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme })
    await installFakeBridge(page, { libraries: [], vault: { state: 'locked', mode: 'create' } })
    await page.goto(plain.url)
    await expect(page.getByRole('heading', { name: 'Choose a passphrase' })).toBeVisible()
    await expectNoViolations(page, 'the new-vault passphrase form')

    const empty = await page.context().newPage()
    await empty.emulateMedia({ colorScheme: scheme })
    await installFakeBridge(empty, { libraries: [] })
    await empty.goto(plain.url)
    await expect(empty.getByRole('heading', { name: 'No libraries yet' })).toBeVisible()
    await expectNoViolations(empty, 'the empty state')

    const outside = await page.context().newPage()
    await outside.emulateMedia({ colorScheme: scheme })
    await outside.goto(plain.url)
    await expect(outside.getByText('Not connected to Larder.')).toBeVisible()
    await expectNoViolations(outside, 'the page outside Larder')
  })
}
