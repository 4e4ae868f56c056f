// Issue 19, items 9, 15 and 16 in Chromium against the sandbox: a library Larder holds is named before Save and
// nothing is sent for it until the person chooses; the saved dialog removes a wrong library behind the usual
// confirmation; Save is in view at common window sizes; "↓" from the search box goes into the results and "?"
// lists the shortcuts. Screenshots (light and dark) of the add form with a duplicate warning and a shown field
// (a fake value), the saved dialog and the shortcuts overlay go to LARDER_SCREENSHOTS (default test-results/screenshots).
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { expectNoViolations } from './support/axe.ts'
import { startDashboardHost, type DashboardHost } from './support/dashboard-host.ts'
import { expectNoSecretInPage, fillAddForm, grid, openDashboard, row } from './support/dashboard-page.ts'

const SHOTS = path.resolve(process.env['LARDER_SCREENSHOTS'] ?? 'test-results/screenshots')
const FAKE_SECRET = 'fake-secret-shown-for-the-screenshot'

let dash: DashboardHost

test.beforeEach(async () => {
  dash = await startDashboardHost({ seedFixtures: 2 })
})
test.afterEach(async () => {
  await dash?.close()
})

const tokenHits = (): number => dash.sandbox.counters.hits.filter((hit) => hit.route === 'token').length

/** Another pair the owner of Café Zuid issued for its own application: the same library, pasted again. */
function cafeAgain(): { name: string; clientId: string; clientSecret: string; accessToken: string; refreshToken: string } {
  const cafe = dash.sandbox.fixtures.libraries[1]
  if (!cafe) throw new Error('no Café Zuid fixture')
  const pair = dash.sandbox.issueTokenPair({ clientId: cafe.clientId, kind: 'service_account', libraryId: cafe.id, scopes: cafe.scopes })
  dash.secrets.add(pair.accessToken)
  dash.secrets.add(pair.refreshToken)
  return { name: 'Café Zuid (new token)', clientId: cafe.clientId, clientSecret: cafe.clientSecret, accessToken: pair.accessToken, refreshToken: pair.refreshToken }
}

test('a library Larder holds is named before Save; nothing is sent until the person chooses; "Add it anyway" adds it', async ({ page }) => {
  await openDashboard(page, dash)
  const again = cafeAgain()
  const tokens = tokenHits()
  await page.getByRole('button', { name: 'Add library' }).click()
  const dialog = await fillAddForm(page, again)
  const warning = dialog.locator('.duplicate-warning')
  await expect(warning).toContainText('This library is already in Larder: "Café Zuid" (Apicbase library "Café Zuid", id 1002; added')

  await dialog.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(warning.getByRole('alert')).toHaveText('Not saved yet. Open the existing one, or add it anyway.')
  await expect(warning.getByRole('button', { name: 'Open the existing one' })).toBeFocused()
  expect(tokenHits()).toBe(tokens)
  expect(dash.assembled.core.libraries.list()).toHaveLength(2)
  await dialog.getByRole('button', { name: 'Show access token' }).click()
  await dialog.getByRole('button', { name: 'Hide access token' }).click()
  await expectNoViolations(page, 'the add form with a duplicate warning')

  await warning.getByRole('button', { name: 'Open the existing one' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('heading', { level: 2, name: 'Café Zuid' })).toBeVisible()
  expect(tokenHits()).toBe(tokens)

  await page.getByRole('button', { name: 'Add library' }).click()
  await fillAddForm(page, again)
  await warning.getByRole('button', { name: 'Add it anyway' }).click()
  await expect(dialog.getByText('Café Zuid (new token) is saved. The token works.')).toBeVisible()
  await expect(dialog.locator('.same-library')).toContainText('Larder already reaches this Apicbase library with a service account token: "Café Zuid"')
  await dialog.getByRole('button', { name: 'Done' }).click()
  await expect(grid(page).getByRole('row')).toHaveCount(4)
  await expectNoSecretInPage(page, dash)
})

test('the saved dialog removes the library just added, after its name is typed', async ({ page }) => {
  await openDashboard(page, dash)
  const credentials = dash.newLibrary('Kantine Centrum')
  await page.getByRole('button', { name: 'Add library' }).click()
  const dialog = await fillAddForm(page, credentials)
  await dialog.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(dialog.getByText(/If that is not the customer you meant, remove it now/)).toBeVisible()
  await dialog.getByRole('button', { name: 'Remove Kantine Centrum…' }).click()

  const confirm = page.getByRole('dialog', { name: 'Remove Kantine Centrum?' })
  await expect(confirm).toBeVisible()
  // Escape closes the confirmation only; the saved dialog stays, and so does the library.
  await page.keyboard.press('Escape')
  await expect(confirm).toBeHidden()
  await expect(dialog.getByText('Kantine Centrum is saved. The token works.')).toBeVisible()
  await expect(dialog.getByRole('button', { name: 'Remove Kantine Centrum…' })).toBeFocused()
  await dialog.getByRole('button', { name: 'Remove Kantine Centrum…' }).click()
  const remove = confirm.getByRole('button', { name: 'Remove Kantine Centrum', exact: true })
  await expect(remove).toBeDisabled()
  await confirm.getByLabel(/to confirm/).fill('Kantine')
  await expect(remove).toBeDisabled()
  await confirm.getByLabel(/to confirm/).fill('Kantine Centrum')
  await remove.click()
  await expect(confirm).toBeHidden()
  await expect(dialog).toBeHidden()
  await expect(row(page, 'Kantine Centrum')).toHaveCount(0)
  expect(dash.assembled.core.libraries.list().map((library) => library.name)).not.toContain('Kantine Centrum')
})

for (const [width, height] of [
  [1280, 720],
  [1366, 768]
] as const) {
  test(`Save is in view without scrolling at ${width}×${height}, whichever token type and with Advanced open`, async ({ page }) => {
    await openDashboard(page, dash)
    await page.setViewportSize({ width, height })
    await page.getByRole('button', { name: 'Add library' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add library' })
    const save = dialog.getByRole('button', { name: 'Save', exact: true })
    await expect(save).toBeInViewport({ ratio: 1 })
    await dialog.getByRole('radio', { name: 'Personal' }).check()
    await dialog.getByText('Advanced').click()
    await expect(save).toBeInViewport({ ratio: 1 })
    // Still in view with the last field focused (the dialog scrolled to it), and the field is not hidden behind it.
    const base = dialog.getByLabel('API base URL', { exact: true })
    await base.focus()
    await expect(save).toBeInViewport({ ratio: 1 })
    await expect(base).toBeInViewport({ ratio: 1 })
  })
}

test('"↓" in the search box goes into the results; "?" lists the shortcuts, Escape closes it and the focus goes back', async ({ page }) => {
  await openDashboard(page, dash)
  const search = page.getByRole('searchbox', { name: 'Search libraries' })
  await search.fill('zuid')
  await page.keyboard.press('ArrowDown')
  await expect(grid(page)).toBeFocused()
  await expect(row(page, 'Café Zuid')).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByRole('heading', { level: 2, name: 'Café Zuid' })).toBeVisible()

  await page.keyboard.press('?')
  const overlay = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(overlay).toBeVisible()
  await expect(overlay.getByRole('row', { name: /Move into the results/ })).toBeVisible()
  await expect(overlay.getByRole('row', { name: /Copy the selected library’s access token/ })).toContainText('C')
  await expectNoViolations(page, 'the shortcuts overlay')
  await page.keyboard.press('Escape')
  await expect(overlay).toBeHidden()
  await expect(grid(page)).toBeFocused()

  // In a field, "?" is a character.
  await search.focus()
  await page.keyboard.press('?')
  await expect(search).toHaveValue('zuid?')
  await expect(overlay).toBeHidden()

  await page.getByRole('button', { name: '? all shortcuts' }).click()
  await expect(overlay).toBeVisible()
  await overlay.getByRole('button', { name: 'Close', exact: true }).click()
  await expect(page.getByRole('button', { name: '? all shortcuts' })).toBeFocused()
})

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), animations: 'disabled' })
}

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots in ${scheme}: the add form warning of a duplicate with a shown field, the saved dialog, the shortcuts`, async ({ page }) => {
    await openDashboard(page, dash)
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
    await page.setViewportSize({ width: 1280, height: 720 })
    await page.getByRole('button', { name: 'Add library' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add library' })
    const cafe = dash.sandbox.fixtures.libraries[1]
    if (!cafe) throw new Error('no Café Zuid fixture')
    // Only an identifier and a fake value are ever shown; the tokens stay masked.
    await dialog.getByLabel('Name', { exact: true }).fill('Café Zuid (new token)')
    await dialog.getByLabel('Client ID', { exact: true }).fill(cafe.clientId)
    await dialog.getByLabel('Client secret', { exact: true }).fill(FAKE_SECRET)
    await dialog.getByRole('button', { name: 'Show client secret' }).click()
    await expect(dialog.getByLabel('Client secret', { exact: true })).toHaveAttribute('type', 'text')
    await expect(dialog.locator('.duplicate-warning')).toBeVisible()
    await shoot(page, `add-duplicate-${scheme}`)
    await dialog.locator('.modal-body, form').first().evaluate((form) => form.closest('dialog')?.scrollTo({ top: 10_000 }))
    await shoot(page, `add-duplicate-scrolled-${scheme}`)
    // Masked again before the real pair goes in; added all the same, the saved dialog names the other entry.
    await dialog.getByRole('button', { name: 'Hide client secret' }).click()
    await fillAddForm(page, cafeAgain())
    await dialog.locator('.duplicate-warning').getByRole('button', { name: 'Add it anyway' }).click()
    await expect(dialog.locator('.same-library')).toBeVisible()
    await shoot(page, `add-saved-same-library-${scheme}`)
    await dialog.getByRole('button', { name: 'Done' }).click()

    const credentials = dash.newLibrary('Kantine Centrum')
    await page.getByRole('button', { name: 'Add library' }).click()
    await fillAddForm(page, credentials)
    await dialog.getByRole('button', { name: 'Save', exact: true }).click()
    await expect(dialog.getByText('Kantine Centrum is saved. The token works.')).toBeVisible()
    await shoot(page, `add-saved-${scheme}`)
    await dialog.getByRole('button', { name: 'Remove Kantine Centrum…' }).click()
    await expect(page.getByRole('dialog', { name: 'Remove Kantine Centrum?' })).toBeVisible()
    await shoot(page, `add-saved-remove-${scheme}`)
    await page.keyboard.press('Escape')
    await dialog.getByRole('button', { name: 'Done' }).click()

    await grid(page).focus()
    await page.keyboard.press('?')
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible()
    await shoot(page, `shortcuts-${scheme}`)
    await page.keyboard.press('Escape')
    await expect(page.getByRole('button', { name: '? all shortcuts' })).toBeVisible()
    await shoot(page, `list-hint-${scheme}`)

    // The re-authorize form's masked fields have the same toggle (a fake value shown).
    const nord = dash.assembled.core.libraries.list().find((library) => library.name === 'Brasserie Nord')
    if (!nord) throw new Error('no Brasserie Nord')
    await dash.useRefreshTokenElsewhere(nord.id)
    await dash.assembled.actions.refresh(nord.id).catch(() => undefined)
    await row(page, 'Brasserie Nord').click()
    const form = page.getByRole('form', { name: 'New token for Brasserie Nord' })
    await form.getByLabel('New access token', { exact: true }).fill(FAKE_SECRET)
    await form.getByRole('button', { name: 'Show new access token' }).click()
    await expect(form.getByLabel('New access token', { exact: true })).toHaveAttribute('type', 'text')
    await form.scrollIntoViewIfNeeded()
    await shoot(page, `detail-reauthorize-shown-${scheme}`)
    await expectNoSecretInPage(page, dash)
  })
}
