// Keys of other systems in the window, through the real browser host against the provider fakes (issue 15, item 5):
// one list with the libraries, filtered by system and customer; a key's pane with who it acts as; Check now reaching
// the fake; a copy with its receipt and no token in the page; axe clean in light and dark. Screenshots of each screen
// go to .scratch/keys-ui/.
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { startProviderSandbox, type ProviderSandbox } from '../../src/main/sandbox/providers/index.ts'
import { expectNoViolations } from './support/axe.ts'
import { addInspectionsKey, addReportsKey } from './support/provider-keys.ts'
import { startDashboardHost, type DashboardHost } from './support/dashboard-host.ts'
import { DAY, detail, expectNoSecretInPage, grid, openDashboard, row } from './support/dashboard-page.ts'

const SHOTS = path.resolve('.scratch/keys-ui')

let dash: DashboardHost
let fakes: ProviderSandbox

test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  dash = await startDashboardHost({ seedFixtures: 3 })
  fakes = await startProviderSandbox({ startTime: dash.clock.now() })
  const keys = dash.assembled.core.keys
  await addInspectionsKey(dash, fakes)
  const reports = await addReportsKey(dash, fakes, { email: 'ops@grillhaven.example', base: 'Inspections tracker' })
  // Regenerated in Airtable since: its check is refused, and the pane asks for the new value.
  fakes.airtable.regenerateToken(reports.tokenId)
  await keys.check(reports.key.id)

  const cu = fakes.checkUrl
  const svc = cu.createServiceUser({ name: 'svc-sync' })
  const prod = cu.createToken({ serviceUserId: svc.id, name: 'production', environment: 'production', expiresAt: dash.clock.now() + 5 * DAY })
  dash.secrets.add(prod.value)
  await keys.add({
    system: 'service_token',
    name: 'Platform sync',
    customer: 'Bistro Nord',
    token: prod.value,
    details: { serviceUser: 'svc-sync', environment: 'production', expiresAt: dash.clock.now() + 5 * DAY, checkUrl: prod.checkUrl, envName: 'PLATFORM_TOKEN' }
  })
})

test.afterAll(async () => {
  await dash?.close()
  await fakes?.close()
})

async function shoot(page: Page, name: string, scheme: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}-${scheme}.png`), animations: 'disabled' })
}

for (const scheme of ['light', 'dark'] as const) {
  test(`keys in the one list, their pane, Check now and a copy, axe clean (${scheme})`, async ({ page }) => {
    test.setTimeout(120_000)
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
    await openDashboard(page, dash)

    // One list: the three libraries and the three keys, each key with its system and customer.
    await expect(page.getByText('6 libraries and keys', { exact: true })).toBeVisible()
    await expect(row(page, 'Grill Haven inspections')).toContainText('SafetyCulture')
    await expect(row(page, 'Grill Haven inspections')).toContainText('Grill Haven')
    await expect(row(page, 'Reports base')).toContainText('Airtable')
    await expect(row(page, 'Reports base')).toContainText('Needs re-authorization')
    await expect(row(page, 'Platform sync')).toContainText('Service token')
    await expect(row(page, 'Platform sync')).toContainText('Expiring soon')
    await expectNoViolations(page, 'the mixed list')
    await shoot(page, 'list', scheme)

    // Filter by system, then by customer.
    await page.getByLabel('System', { exact: true }).selectOption({ label: 'SafetyCulture' })
    await expect(grid(page).getByRole('row')).toHaveCount(2)
    await expect(row(page, 'Grill Haven inspections')).toBeVisible()
    await shoot(page, 'filtered-safetyculture', scheme)
    await page.getByLabel('System', { exact: true }).selectOption({ label: 'All systems' })
    await page.getByLabel('Customer', { exact: true }).selectOption({ label: 'Bistro Nord' })
    await expect(page.getByText('2 of 6 libraries and keys', { exact: true })).toBeVisible()
    await page.getByRole('button', { name: 'Clear filters' }).click()

    // A SafetyCulture key's pane: who it acts as; Check now asks the fake's WhoAmI once.
    await row(page, 'Grill Haven inspections').click()
    const pane = detail(page)
    await expect(pane.getByRole('heading', { name: 'Grill Haven inspections' })).toBeVisible()
    await expect(pane).toContainText('Pat Jansen')
    const whoAmIs = fakes.safetyCulture.counters.count()
    await pane.getByRole('button', { name: 'Check now' }).click()
    await expect.poll(() => fakes.safetyCulture.counters.count()).toBe(whoAmIs + 1)
    await expect(pane.getByText('(accepted)')).toBeVisible()
    await expect(pane.getByRole('checkbox', { name: 'Keep it alive' })).not.toBeChecked()
    await pane.getByRole('checkbox', { name: 'Keep it alive' }).scrollIntoViewIfNeeded()
    await shoot(page, 'pane-safetyculture-keep-alive', scheme)
    await pane.getByRole('heading', { name: 'Grill Haven inspections' }).scrollIntoViewIfNeeded()

    // A copy: the receipt with the last characters only, and no token anywhere in the page or sent to it.
    await pane.getByRole('button', { name: 'Copy header' }).click()
    await expect(pane.getByText(/header …\S+ copied · clears in/)).toBeVisible()
    await expectNoViolations(page, 'a SafetyCulture key’s pane with a copy receipt')
    await shoot(page, 'pane-safetyculture', scheme)
    await expectNoSecretInPage(page, dash)

    // Airtable's refused key: what to do next and the masked field for the regenerated value.
    await row(page, 'Reports base').click()
    await expect(pane.getByRole('heading', { name: 'Airtable refused this token' })).toBeVisible()
    await expect(pane.getByLabel('New token value', { exact: true })).toHaveAttribute('type', 'password')
    await expect(pane.getByRole('button', { name: /^Copy/ })).toHaveCount(0)
    await expectNoViolations(page, 'a refused Airtable key’s pane')
    await shoot(page, 'pane-airtable-refused', scheme)

    // A service token: its expiry and its admin's actions behind a confirm.
    await row(page, 'Platform sync').click()
    await expect(pane.getByRole('heading', { name: /^Expires on/ })).toBeVisible()
    await pane.getByRole('button', { name: 'Revoked by the admin' }).click()
    await expect(page.getByRole('dialog', { name: 'Record Platform sync as revoked by its admin?' })).toBeVisible()
    await expectNoViolations(page, 'the admin action’s confirmation')
    await shoot(page, 'confirm-revoked', scheme)
    await page.keyboard.press('Escape')
    await expectNoViolations(page, 'a service token’s pane')
    await shoot(page, 'pane-service-token', scheme)
  })
}
