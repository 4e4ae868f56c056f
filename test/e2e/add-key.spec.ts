// Adding keys of other systems in the window, through the real browser host against the provider fakes (issue 15,
// items 2–5): a SafetyCulture token refused at the token field with nothing added, then a good one that lands in the
// list, healthy, acting as its person; an Airtable token with its bases offered; a service token with its check URL.
// No token in the page; axe clean in light and dark. Screenshots of each form go to .scratch/add-key/.
import path from 'node:path'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { startProviderSandbox, type ProviderSandbox } from '../../src/main/sandbox/providers/index.ts'
import { expectNoViolations } from './support/axe.ts'
import { startDashboardHost, type DashboardHost } from './support/dashboard-host.ts'
import { expectNoSecretInPage, grid, openDashboard, row } from './support/dashboard-page.ts'

const SHOTS = path.resolve('.scratch/add-key')

let dash: DashboardHost
let fakes: ProviderSandbox

test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  dash = await startDashboardHost({ seedFixtures: 1 })
  fakes = await startProviderSandbox({ startTime: dash.clock.now() })
})

test.afterAll(async () => {
  await dash?.close()
  await fakes?.close()
})

/** The whole dialog: the window made tall enough for all of it (the dialog scrolls inside a short one), then back. */
async function shoot(page: Page, name: string, scheme: string): Promise<void> {
  const size = page.viewportSize() ?? { width: 1440, height: 900 }
  await page.setViewportSize({ width: size.width, height: 1700 })
  await page.getByRole('dialog').screenshot({ path: path.join(SHOTS, `${name}-${scheme}.png`), animations: 'disabled' })
  await page.setViewportSize(size)
}

async function openAddKey(page: Page, system: 'SafetyCulture' | 'Airtable' | 'Service token'): Promise<Locator> {
  await page.getByRole('button', { name: 'Add key' }).click()
  const dialog = page.getByRole('dialog', { name: 'Add a key' })
  await expect(dialog).toBeVisible()
  await dialog.getByRole('radio', { name: system, exact: true }).check()
  return dialog
}

async function apiAddress(dialog: Locator, url: string): Promise<void> {
  await dialog.getByText('Advanced', { exact: true }).click()
  await dialog.getByLabel('API address', { exact: true }).fill(url)
}

for (const scheme of ['light', 'dark'] as const) {
  test(`adds a SafetyCulture key, an Airtable key and a service token; a refused token stays at its field (${scheme})`, async ({ page }) => {
    test.setTimeout(120_000)
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
    await openDashboard(page, dash)

    // SafetyCulture: the form with its guidance.
    const sc = fakes.safetyCulture
    const org = sc.addOrganisation({ name: `Grill Haven Group ${scheme}` })
    const pat = sc.addUser({ organisationId: org.id, firstname: 'Pat', lastname: 'Jansen' })
    const good = sc.issueUserToken(pat.id).value
    const refusedToken = `sc-${scheme}-not-a-token-4f1d9a`
    dash.secrets.add(good)
    dash.secrets.add(refusedToken)
    let dialog = await openAddKey(page, 'SafetyCulture')
    await dialog.getByRole('radio', { name: 'User token', exact: true }).check()
    const name = `Grill Haven inspections ${scheme}`
    await dialog.getByLabel('Name', { exact: true }).fill(name)
    await dialog.getByLabel('Customer (optional)', { exact: true }).fill('Grill Haven')
    await dialog.getByLabel('Organisation', { exact: true }).fill(`Grill Haven Group ${scheme}`)
    await dialog.getByLabel('Owner', { exact: true }).fill('Pat Jansen')
    await apiAddress(dialog, sc.url)
    await expect(dialog.getByRole('checkbox', { name: 'Keep it alive' })).not.toBeChecked()
    await expectNoViolations(page, 'the SafetyCulture form')
    await shoot(page, 'form-safetyculture', scheme)

    // A token SafetyCulture refuses: said at the token field, with its likely causes; nothing added.
    const before = await grid(page).getByRole('row').count()
    await dialog.getByLabel('Token', { exact: true }).fill(refusedToken)
    await dialog.getByRole('button', { name: 'Save' }).click()
    const token = dialog.getByLabel('Token', { exact: true })
    await expect(token).toHaveAttribute('aria-invalid', 'true')
    await expect(token).toHaveAccessibleDescription(/SafetyCulture refused the token\. The likely causes/)
    await expect(grid(page).getByRole('row')).toHaveCount(before)
    await expect(row(page, name)).toHaveCount(0)
    await expectNoViolations(page, 'a refused SafetyCulture token')
    await shoot(page, 'form-safetyculture-refused', scheme)

    // The good token: saved, and the saved step says who it acts as.
    await token.fill(good)
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expect(dialog.getByText(`${name} is saved`)).toBeVisible()
    await expect(dialog).toContainText('acts as Pat Jansen')
    await expectNoViolations(page, 'the saved step')
    await shoot(page, 'saved-safetyculture', scheme)
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect(row(page, name)).toContainText('SafetyCulture')
    await expect(row(page, name)).toContainText('Healthy')

    // Airtable: any token, scopes noted; the bases offered from Airtable once it is saved.
    const at = fakes.airtable
    const ops = at.addUser({ email: `ops-${scheme}@grillhaven.example`, bases: [{ name: 'Inspections tracker' }, { name: 'Menu costs' }] })
    const pat2 = at.createToken({ userId: ops.id, name: 'tracker', scopes: ['data.records:read', 'schema.bases:read'] })
    dash.secrets.add(pat2.value)
    dialog = await openAddKey(page, 'Airtable')
    const tracker = `Tracker ${scheme}`
    await dialog.getByLabel('Name', { exact: true }).fill(tracker)
    await dialog.getByLabel('Scopes (as noted)', { exact: true }).fill('data.records:read, schema.bases:read')
    await dialog.getByLabel('Token', { exact: true }).fill(pat2.value)
    await apiAddress(dialog, at.url)
    await expectNoViolations(page, 'the Airtable form')
    await shoot(page, 'form-airtable', scheme)
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expect(dialog.getByText(`${tracker} is saved`)).toBeVisible()
    await dialog.getByRole('button', { name: 'List its bases' }).click()
    await expect(dialog.getByRole('checkbox', { name: 'Menu costs' })).toBeChecked()
    await dialog.getByRole('checkbox', { name: 'Menu costs' }).uncheck()
    await dialog.getByRole('button', { name: 'Note the ticked bases' }).click()
    await expect(dialog.getByText('Noted on the key.')).toBeVisible()
    await expectNoViolations(page, 'an Airtable key’s bases')
    await shoot(page, 'saved-airtable-bases', scheme)
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect(row(page, tracker)).toContainText('Airtable')

    // A service token: the admin's details, its check URL, the variable for scripts.
    const cu = fakes.checkUrl
    const svc = cu.createServiceUser({ name: `svc-sync-${scheme}` })
    const prod = cu.createToken({ serviceUserId: svc.id, name: 'production', environment: 'production' })
    dash.secrets.add(prod.value)
    dialog = await openAddKey(page, 'Service token')
    const sync = `Platform sync ${scheme}`
    await dialog.getByLabel('Name', { exact: true }).fill(sync)
    await dialog.getByLabel('Customer (optional)', { exact: true }).fill('Bistro Nord')
    await dialog.getByLabel('Service user', { exact: true }).fill(`svc-sync-${scheme}`)
    await dialog.getByLabel('Environment', { exact: true }).fill('production')
    await dialog.getByLabel('Variable for scripts', { exact: true }).fill('PLATFORM_TOKEN')
    await dialog.getByLabel('Check URL', { exact: true }).fill(prod.checkUrl)
    await dialog.getByLabel('Token', { exact: true }).fill(prod.value)
    await expectNoViolations(page, 'the service token form')
    await shoot(page, 'form-service-token', scheme)
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expect(dialog.getByText(`${sync} is saved`)).toBeVisible()
    await expect(dialog).toContainText(`The check URL accepted it: it acts as svc-sync-${scheme}`)
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect(row(page, sync)).toContainText('Service token')
    await expect(row(page, sync)).toContainText('Healthy')

    await expectNoViolations(page, 'the list with the added keys')
    await page.screenshot({ path: path.join(SHOTS, `list-with-added-keys-${scheme}.png`), animations: 'disabled' })
    await expectNoSecretInPage(page, dash)
  })
}

// A check URL on a host that is not this computer: the admin chose it, so Larder asks "send this token to <host>?" by
// name and sends nothing until the person confirms. Confirmed, the key is saved; its check cannot reach the host (the
// name resolves nowhere), which is said and is fine.
const ELSEWHERE = 'checks.larder-test.invalid'

for (const scheme of ['light', 'dark'] as const) {
  test(`a service token whose check URL is elsewhere is saved only once its host is confirmed by name (${scheme})`, async ({ page }) => {
    test.setTimeout(90_000)
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
    await openDashboard(page, dash)
    const value = `svc-${scheme}-elsewhere-7c2e91`
    dash.secrets.add(value)
    const dialog = await openAddKey(page, 'Service token')
    const name = `Platform elsewhere ${scheme}`
    await dialog.getByLabel('Name', { exact: true }).fill(name)
    await dialog.getByLabel('Service user', { exact: true }).fill('svc-sync')
    await dialog.getByLabel('Environment', { exact: true }).fill('production')
    await dialog.getByLabel('Check URL', { exact: true }).fill(`https://${ELSEWHERE}/v1/whoami`)
    await dialog.getByLabel('Token', { exact: true }).fill(value)
    await dialog.getByRole('button', { name: 'Save' }).click()

    // Asked by name; nothing saved.
    const trust = dialog.getByRole('checkbox', { name: `I trust ${ELSEWHERE} with this token` })
    await expect(trust).toBeFocused()
    await expect(dialog.getByRole('group', { name: `Send this token to ${ELSEWHERE}?` })).toBeVisible()
    await expect(trust).toHaveAccessibleDescription(/Nothing was saved or sent/)
    await expect(row(page, name)).toHaveCount(0)
    await expectNoViolations(page, 'the confirm step')
    await shoot(page, 'confirm-host', scheme)

    // Saving again unticked is refused by the form itself.
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expect(trust).toHaveAccessibleDescription(/Tick the box to confirm that you trust checks\.larder-test\.invalid/)
    await expect(row(page, name)).toHaveCount(0)

    await trust.check()
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expect(dialog.getByText(`${name} is saved`)).toBeVisible()
    await expectNoViolations(page, 'the saved step after a confirmed host')
    await shoot(page, 'saved-confirmed-host', scheme)
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect(row(page, name)).toContainText('Service token')
    await expectNoSecretInPage(page, dash)
  })
}
