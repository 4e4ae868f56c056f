// The detail's copy formats and receipt in Chromium through the browser host (issue 19 item 10): each format shows
// beside its button what it puts on the clipboard, token masked, and that is exactly what Larder puts there, the
// token aside; the receipt counts down to when Larder clears the clipboard and then says the token is no longer on
// it (and Larder did clear it); a receipt whose token a refresh replaced says so and copies the new one. Also the
// banner with a revoked library (item 7) and the next step after an HTML 502 (item 8). Screenshots in light and dark
// go to LARDER_SCREENSHOTS.
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { startDashboardHost, type DashboardHost } from './support/dashboard-host.ts'
import { banner, detail, expectNoSecretInPage, openDashboard, row } from './support/dashboard-page.ts'

const SHOTS = path.resolve(process.env['LARDER_SCREENSHOTS'] ?? 'test-results/screenshots')

let dash: DashboardHost

test.beforeEach(async () => {
  dash = await startDashboardHost()
})
test.afterEach(async () => {
  await dash?.close()
})

function receipt(page: Page): ReturnType<Page['getByRole']> {
  return detail(page).getByRole('status').filter({ hasText: 'copied' })
}

test('each copy format shows what it puts on the clipboard, token masked, and that is what Larder copies', async ({ page }) => {
  const library = await dash.addThroughCore(dash.newLibrary('Brasserie Kade'))
  await openDashboard(page, dash)
  await row(page, 'Brasserie Kade').click()
  const { accessToken } = await dash.currentSecrets(library.id)
  const masked = `…${accessToken.slice(-4)}`
  const base = dash.sandbox.url
  const shown = {
    header: `Authorization: Bearer ${masked}`,
    env: `export APICBASE_ACCESS_TOKEN=${masked}\nexport APICBASE_API_URL=${base}${library.apicbaseLibraryId ? `\nexport APICBASE_LIBRARY_ID=${library.apicbaseLibraryId}` : ''}`,
    curl: `curl -sS -H 'Authorization: Bearer ${masked}' ${base}/api/v2/library/recipes/`
  }
  for (const [format, text] of Object.entries(shown)) {
    const button = detail(page).getByRole('button', { name: `Copy ${format}` })
    // Visible on the page, not only in a tooltip, and tied to its button.
    await expect(button).toHaveAccessibleDescription(text.replaceAll('\n', ' '))
    await expect(detail(page).locator('code', { hasText: text.split('\n')[0]! }).first()).toBeVisible()
    await button.click()
    await expect(receipt(page)).toContainText(`${format} ${masked} copied`)
    expect(dash.assembled.clipboard.text).toBe(text.replaceAll(masked, accessToken))
  }
  await expectNoSecretInPage(page, dash)
})

test('the receipt counts down and then says the token is no longer on the clipboard, which Larder cleared', async ({ page }) => {
  const library = await dash.addThroughCore(dash.newLibrary('Eetcafé Sluis'))
  await dash.assembled.actions.updateSettings({ clipboardClearMs: 6_000 })
  await openDashboard(page, dash)
  await row(page, 'Eetcafé Sluis').click()
  await detail(page).getByRole('button', { name: 'Copy token' }).click()
  const { accessToken } = await dash.currentSecrets(library.id)
  const masked = `…${accessToken.slice(-4)}`
  await expect(receipt(page)).toHaveText(new RegExp(`^✓ token ${masked} copied · clears in [56] s$`))
  await expect(receipt(page)).toHaveText(new RegExp(`^✓ token ${masked} copied · clears in [23] s$`))
  await expect(receipt(page)).toHaveText(`✓ token ${masked} copied · no longer on the clipboard`, { timeout: 10_000 })
  await expect.poll(() => dash.assembled.clipboard.text).toBeNull()
})

test('a receipt whose token a refresh replaced says so and copies the new one', async ({ page }) => {
  const library = await dash.addThroughCore(dash.newLibrary('Grand Café Plein'))
  await openDashboard(page, dash)
  await row(page, 'Grand Café Plein').click()
  await detail(page).getByRole('button', { name: 'Copy header' }).click()
  const before = await dash.currentSecrets(library.id)
  await expect(receipt(page)).toContainText(`header …${before.accessToken.slice(-4)} copied`)

  await dash.assembled.actions.refresh(library.id)
  const after = await dash.currentSecrets(library.id)
  const replaced = detail(page).getByRole('status').filter({ hasText: 'was replaced' })
  await expect(replaced).toContainText(`The header you copied (…${before.accessToken.slice(-4)}) was replaced: Grand Café Plein's token now ends …${after.accessToken.slice(-4)}.`)
  // The old last characters are no longer shown as the copied token's.
  await expect(detail(page).getByRole('status').filter({ hasText: `…${before.accessToken.slice(-4)} copied` })).toHaveCount(0)
  await replaced.getByRole('button', { name: 'Copy the new header' }).click()
  await expect(receipt(page)).toContainText(`header …${after.accessToken.slice(-4)} copied`)
  await expect.poll(() => dash.assembled.clipboard.text).toBe(`Authorization: Bearer ${after.accessToken}`)
  await expectNoSecretInPage(page, dash)
})

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots in ${scheme}: the detail with a receipt and the formats; the banner with a revoked library`, async ({ page }) => {
    for (const name of ['Bistro Noord', 'Café Haven', 'Deli Markt', 'Eethuis Dam']) await dash.addThroughCore(dash.newLibrary(name))
    const revoked = await dash.addThroughCore(dash.newLibrary('Pizzeria Oud'))
    await dash.assembled.actions.revoke(revoked.id)
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
    await openDashboard(page, dash)
    await expect(banner(page)).toContainText('4 of 5 libraries are fine')
    await expect(banner(page).getByRole('button', { name: '1 revoked' })).toBeVisible()
    await page.screenshot({ path: path.join(SHOTS, `banner-revoked-${scheme}.png`), animations: 'disabled' })

    await row(page, 'Café Haven').click()
    await detail(page).getByRole('button', { name: 'Copy curl' }).click()
    await expect(receipt(page)).toContainText('clears in')
    await page.screenshot({ path: path.join(SHOTS, `detail-copy-formats-${scheme}.png`), animations: 'disabled' })

    // A refresh replaced the copied token.
    const haven = dash.assembled.core.libraries.list().find((library) => library.name === 'Café Haven')
    await dash.assembled.actions.refresh(haven!.id)
    await expect(detail(page).getByRole('button', { name: 'Copy the new curl' })).toBeVisible()
    await page.screenshot({ path: path.join(SHOTS, `detail-receipt-replaced-${scheme}.png`), animations: 'disabled' })

    // Item 8: Apicbase's proxy answers a refresh with an HTML 502 page.
    const deli = dash.assembled.core.libraries.list().find((library) => library.name === 'Deli Markt')
    dash.sandbox.faults.inject({ route: 'token', kind: 'html', times: 1 })
    await dash.assembled.actions.refresh(deli!.id).catch(() => undefined)
    // Its row moves up (by urgency) once the failure arrives: click it there.
    await expect(row(page, 'Deli Markt')).toContainText('Error')
    await row(page, 'Deli Markt').click()
    await expect(detail(page).getByRole('heading', { name: 'Apicbase answered with an error (HTTP 502): retrying' })).toBeVisible()
    await expect(detail(page)).not.toContainText('network connection')
    await page.screenshot({ path: path.join(SHOTS, `detail-server-error-502-${scheme}.png`), animations: 'disabled' })
    await expectNoSecretInPage(page, dash)
  })
}
