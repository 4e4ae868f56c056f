// A library moved to another machine (issue 17 part 3) has a status of its own in the window, end to end through the
// real browser host against the Apicbase sandbox: after a move, its row and pane say "Moved" (not "Revoked", which a
// library revoked here still says beside it), it sorts last, the status filter finds it, and the banner names it
// quietly without counting it as fine or as a warning. Axe clean; screenshots light and dark to .scratch/moved-status/.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { startDashboardHost, type DashboardHost } from './support/dashboard-host.ts'
import { banner, detail, grid, openDashboard, row } from './support/dashboard-page.ts'
import { expectNoViolations } from './support/axe.ts'

const SHOTS = path.resolve('.scratch/moved-status')

let dash: DashboardHost | null = null
let dir: string | null = null

test.afterEach(async () => {
  await dash?.close()
  dash = null
  if (dir !== null) fs.rmSync(dir, { recursive: true, force: true })
  dir = null
})

async function shoot(page: Page, name: string, scheme: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SHOTS, `${name}-${scheme}.png`), animations: 'disabled' })
}

for (const scheme of ['light', 'dark'] as const) {
  test(`a moved library reads Moved, not Revoked, in its row, pane, filter and banner (${scheme})`, async ({ page }) => {
    test.setTimeout(120_000)
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
    dash = await startDashboardHost({ seedFixtures: 2 })
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-moved-e2e-'))
    const { actions, core, handlers } = dash.assembled
    const moved = core.libraries.list().map((library) => library.name)
    const exported = await handlers['move.export']({ path: path.join(dir, 'larder-move.age'), passphrase: 'four words for the move' })
    expect(exported.ok).toBe(true)
    // After the move: one library revoked here and one added fresh, so Moved is seen beside Revoked and Healthy.
    const revoked = await dash.addThroughCore(dash.newLibrary('Pizzeria Oud'))
    await actions.revoke(revoked.id)
    await dash.addThroughCore(dash.newLibrary('Café Nieuw'))
    await openDashboard(page, dash)

    for (const name of moved) {
      await expect(row(page, name).getByText('Moved', { exact: true })).toBeVisible()
      await expect(row(page, name).getByText('Revoked', { exact: true })).toHaveCount(0)
      await expect(row(page, name).getByText('moved to larder-move.age', { exact: true })).toBeVisible()
    }
    await expect(row(page, 'Pizzeria Oud').getByText('Revoked', { exact: true })).toBeVisible()
    // By urgency: the healthy one, the revoked one, then the moved ones (ended here, and nothing to do about them).
    const names = await grid(page).locator('.library-row .col-name').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('title')))
    expect(names.slice(0, 2)).toEqual(['Café Nieuw', 'Pizzeria Oud'])
    expect([...names.slice(2)].sort()).toEqual([...moved].sort())
    const warnings = banner(page)
    await expect(warnings).toContainText('1 of 4 libraries is fine')
    await expect(warnings.getByRole('button', { name: '2 moved' })).toBeVisible()
    await expect(warnings.getByRole('button', { name: '1 revoked' })).toBeVisible()
    await expect(warnings.getByRole('button', { name: 'Refresh all expiring' })).toHaveCount(0)
    await expectNoViolations(page, 'the list with moved and revoked libraries')
    await shoot(page, 'list', scheme)

    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Moved' })
    await expect(grid(page).locator('.library-row')).toHaveCount(moved.length)
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Needs attention' })
    await expect(grid(page).locator('.library-row')).toHaveCount(0)
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'All statuses' })

    await row(page, moved[0] ?? '').click()
    const pane = detail(page)
    await expect(pane.getByText('Moved', { exact: true })).toBeVisible()
    await expect(pane.getByText('Moved to another machine.')).toBeVisible()
    await expect(pane.getByText('Revoked', { exact: true })).toHaveCount(0)
    await expect(pane.getByRole('button', { name: 'Revoke' })).toBeDisabled()
    await expectNoViolations(page, 'a moved library’s pane')
    await shoot(page, 'pane', scheme)
  })
}
