// Personal tokens through the dashboard, against the sandbox: connecting through Apicbase's authorization page
// (pasting the code, or Larder catching it on 127.0.0.1), adding the libraries the user reaches, and what happens
// when someone switches the active library behind Larder's back.
import path from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { LIBRARY_IDS, PERSONAL_USER_ID } from '../sandbox/index.ts'
import { startDashboardHost, type DashboardHost } from './support/dashboard-host.ts'
import { detail, grid, openDashboard, row } from './support/dashboard-page.ts'
import { codeFromAuthorizePage, connectByPaste, connectDialog, expectNoSecretWithPersonal, followLoopbackRedirect, startConnect } from './support/personal-page.ts'

let dash: DashboardHost

test.beforeEach(async () => {
  dash = await startDashboardHost({ seedFixtures: 1 })
})
test.afterEach(async () => {
  await dash?.close()
})

function driftBanner(page: Page) {
  return page.getByRole('region', { name: 'Active library changed outside Larder' })
}

async function connectAndAddTwo(page: Page): Promise<void> {
  const dialog = await connectByPaste(page, dash, 'Pat Partner')
  await expect(dialog.getByText('acts on: Brasserie Nord').first()).toBeVisible()
  const list = dialog.getByRole('list', { name: 'Reachable libraries' })
  await expect(list.getByRole('listitem')).toHaveCount(3)
  await expect(list.getByRole('listitem').filter({ hasText: 'Brasserie Nord' })).toContainText('active')
  await list.getByRole('checkbox', { name: 'Brasserie Nord' }).check()
  await list.getByRole('checkbox', { name: 'Café Zuid' }).check()
  await dialog.getByRole('button', { name: 'Add selected libraries' }).click()
  await expect(dialog.getByRole('status').filter({ hasText: 'Added 2 libraries' })).toBeVisible()
  // Added ones are greyed out now.
  await expect(list.getByRole('checkbox', { name: 'Brasserie Nord' })).toBeDisabled()
  await expect(list.getByRole('checkbox', { name: 'Café Zuid' })).toBeDisabled()
  await expect(list.getByRole('checkbox', { name: 'Trattoria Oost' })).toBeEnabled()
  await expect(list.getByRole('listitem').filter({ hasText: 'Café Zuid' })).toContainText('already in Larder')
  await dialog.getByRole('button', { name: 'Done' }).click()
  await expect(dialog).toBeHidden()
}

test('connects a personal token by pasting the code, adds two libraries, drift is shown and switching back lets copy work', async ({ page }) => {
  await openDashboard(page, dash)
  await connectAndAddTwo(page)

  // The list: the connection ("acts on") and its entries, with the active one marked.
  await expect(row(page, 'Pat Partner')).toContainText('acts on: Brasserie Nord')
  const entries = dash.assembled.core.libraries.list().filter((library) => library.personal?.role === 'library')
  expect(entries.length).toBe(2)
  const nord = entries.find((library) => library.apicbaseLibraryId === String(LIBRARY_IDS.brasserieNord))
  const zuid = entries.find((library) => library.apicbaseLibraryId === String(LIBRARY_IDS.cafeZuid))
  if (!nord || !zuid) throw new Error('entries missing')
  const nordRow = grid(page).locator(`[data-id="${nord.id}"]`)
  const zuidRow = grid(page).locator(`[data-id="${zuid.id}"]`)
  await expect(nordRow).toContainText('active')
  await expect(nordRow).toContainText('via Pat Partner')
  await expect(zuidRow).toContainText('via Pat Partner')
  await expect(zuidRow.getByText('active', { exact: true })).toHaveCount(0)

  // Someone switches Pat's active library in Apicbase, behind Larder's back.
  dash.sandbox.setActiveLibrary(PERSONAL_USER_ID, LIBRARY_IDS.cafeZuid)
  await nordRow.click()
  await expect(detail(page).getByRole('heading', { level: 2, name: nord.name })).toBeVisible()
  // Revoke is not offered on a library that shares a personal token.
  await expect(detail(page).getByRole('button', { name: 'Revoke' })).toHaveCount(0)
  await detail(page).getByRole('button', { name: 'Check active library' }).click()
  const banner = driftBanner(page)
  await expect(banner).toContainText('changed outside Larder: now Café Zuid (Larder left it on Brasserie Nord)')
  await expect(nordRow).toContainText('drifted')

  // Copying for the library Larder left it on is refused, and the banner says why.
  await detail(page).getByRole('button', { name: 'Copy token' }).click()
  await expect(banner.getByRole('alert')).toBeVisible()
  expect(dash.assembled.clipboard.text).toBeNull()

  // "Switch back" recovers; the copy then works and says where the token acts.
  await banner.getByRole('button', { name: 'Switch back' }).click()
  await expect(banner).toBeHidden()
  await expect(row(page, 'Pat Partner')).toContainText('acts on: Brasserie Nord')
  await detail(page).getByRole('button', { name: 'Copy token' }).click()
  const receipt = detail(page).getByRole('status').filter({ hasText: 'copied' })
  await expect(receipt).toContainText(/Brasserie Nord/)
  const connection = dash.assembled.core.libraries.list().find((library) => library.personal?.role === 'connection')
  if (!connection) throw new Error('no connection')
  const held = await dash.currentSecrets(connection.id)
  await expect.poll(() => dash.assembled.clipboard.text).toBe(held.accessToken)

  // Copying Café Zuid switches the token first, and the receipt says so.
  await zuidRow.click()
  await detail(page).getByRole('button', { name: 'Copy token' }).click()
  await expect(detail(page).getByRole('status').filter({ hasText: 'copied' })).toContainText(/Switched .* to Café Zuid before copying/)
  await expect(zuidRow).toContainText('active')
  await expectNoSecretWithPersonal(page, dash)
})

test('"Keep" accepts the library switched to outside Larder', async ({ page }) => {
  await openDashboard(page, dash)
  await connectAndAddTwo(page)
  dash.sandbox.setActiveLibrary(PERSONAL_USER_ID, LIBRARY_IDS.cafeZuid)
  await row(page, 'Pat Partner').click()
  await detail(page).getByRole('button', { name: 'Check active library' }).click()
  const banner = driftBanner(page)
  await banner.getByRole('button', { name: 'Keep Café Zuid' }).click()
  await expect(banner).toBeHidden()
  await expect(row(page, 'Pat Partner')).toContainText('acts on: Café Zuid')
})

test('the timer notices a switch made outside Larder', async ({ page }) => {
  await openDashboard(page, dash)
  await connectAndAddTwo(page)
  dash.sandbox.setActiveLibrary(PERSONAL_USER_ID, LIBRARY_IDS.cafeZuid)
  // Larder looks again on its own, some minutes later.
  for (let i = 0; i < 12 && (await driftBanner(page).count()) === 0; i++) {
    await dash.advance(5 * 60_000)
    await page.clock.fastForward(5 * 60_000)
    await page.waitForTimeout(200)
  }
  await expect(driftBanner(page)).toContainText('changed outside Larder: now Café Zuid')
})

test('an expired code and a reused code are refused clearly, and Start again works', async ({ page }) => {
  await openDashboard(page, dash)
  const url = await startConnect(page, dash)
  const dialog = connectDialog(page)
  await expect(dialog.getByText(/valid for one minute/).first()).toBeVisible()
  const code = await codeFromAuthorizePage(url)
  // More than a minute passes before the code is pasted.
  await dash.advance(61_000)
  await dialog.getByLabel('Authorization code').fill(code)
  await dialog.getByRole('button', { name: 'Finish' }).click()
  await expect(dialog.getByRole('alert')).toContainText(/expired|already used/)
  await expect(dialog.getByRole('button', { name: 'Start again' })).toBeFocused()
  expect(dash.assembled.core.libraries.list().some((library) => library.tokenType === 'personal')).toBe(false)

  // Start again: a new link, a fresh code, and it works.
  await dialog.getByRole('button', { name: 'Start again' }).click()
  const again = await codeFromAuthorizePage(await (async () => {
    const link = dialog.getByRole('link', { name: /\/oauth\/authorize\// })
    await expect(link).toBeVisible()
    return (await link.getAttribute('href')) ?? ''
  })())
  await dialog.getByLabel('Authorization code').fill(again)
  await dialog.getByRole('button', { name: 'Finish' }).click()
  await expect(dialog.getByText(/is connected: a personal token/)).toBeVisible()
  await dialog.getByRole('button', { name: 'Done' }).click()

  // The same code once more, in a new authorization: already used.
  await startConnect(page, dash)
  await dialog.getByLabel('Authorization code').fill(again)
  await dialog.getByRole('button', { name: 'Finish' }).click()
  await expect(dialog.getByRole('alert')).toContainText(/expired|already used/)
  await expect(dialog.getByRole('button', { name: 'Start again' })).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expectNoSecretWithPersonal(page, dash)
})

test('connects through the loopback redirect', async ({ page }) => {
  await openDashboard(page, dash)
  const url = await startConnect(page, dash, { loopback: true, name: 'Pat via loopback' })
  expect(new URL(url).searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback\/$/)
  const dialog = connectDialog(page)
  await expect(dialog.getByText(/Waiting for Apicbase/)).toBeVisible()
  expect(await followLoopbackRedirect(url)).toBeLessThan(400)
  await expect(dialog.getByText('Pat via loopback is connected: a personal token')).toBeVisible()
  await expect(dialog.getByRole('list', { name: 'Reachable libraries' }).getByRole('listitem')).toHaveCount(3)
  await dialog.getByRole('button', { name: 'Done' }).click()
  await expect(row(page, 'Pat via loopback')).toContainText('acts on: Brasserie Nord')
})

test('the add dialog\'s Personal card leads to the OAuth connection; removing a token says its libraries go too', async ({ page }) => {
  await openDashboard(page, dash)
  await page.getByRole('button', { name: 'Add library' }).click()
  const add = page.getByRole('dialog', { name: 'Add library' })
  await add.getByRole('radio', { name: 'Personal' }).check()
  await add.getByRole('button', { name: 'Connect through Apicbase (OAuth)' }).click()
  await expect(add).toBeHidden()
  await expect(connectDialog(page)).toBeVisible()
  await page.keyboard.press('Escape')

  await connectAndAddTwo(page)
  await row(page, 'Pat Partner').click()
  await detail(page).getByRole('button', { name: 'Remove' }).click()
  const confirm = page.getByRole('dialog', { name: 'Remove Pat Partner?' })
  await expect(confirm).toContainText('also removes its 2 libraries')
  await confirm.getByRole('textbox').fill('Pat Partner')
  await confirm.getByRole('button', { name: 'Remove Pat Partner' }).click()
  await expect(row(page, 'Pat Partner')).toHaveCount(0)
  await expect(grid(page).getByText('via Pat Partner')).toHaveCount(0)
})

const SHOTS = path.resolve(process.env['LARDER_SCREENSHOTS'] ?? 'test-results/screenshots')

async function axe(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze()
  const summary = results.violations.map((v) => `${v.id} (${v.impact ?? ''}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`)
  expect(summary, `axe violations in ${what}`).toEqual([])
}

for (const scheme of ['light', 'dark'] as const) {
  test(`the personal-token dialog and drift banner pass axe and are photographed in ${scheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
    await openDashboard(page, dash)
    const shoot = (name: string): Promise<Buffer> => page.screenshot({ path: path.join(SHOTS, `personal-${name}-${scheme}.png`), animations: 'disabled' })

    await page.getByRole('button', { name: 'Connect personal token' }).click()
    await expect(connectDialog(page)).toBeVisible()
    await axe(page, 'connect form')
    await shoot('connect-form')

    await page.keyboard.press('Escape')
    await startConnect(page, dash)
    await axe(page, 'paste code')
    await shoot('paste-code')
    await page.keyboard.press('Escape')

    await connectByPaste(page, dash, 'Pat Partner')
    await axe(page, 'connected + discover')
    await shoot('discover')
    const dialog = connectDialog(page)
    await dialog.getByRole('checkbox', { name: 'Brasserie Nord' }).check()
    await dialog.getByRole('checkbox', { name: 'Café Zuid' }).check()
    await dialog.getByRole('button', { name: 'Add selected libraries' }).click()
    await expect(dialog.getByRole('status').filter({ hasText: 'Added 2 libraries' })).toBeVisible()
    await dialog.getByRole('button', { name: 'Done' }).click()

    dash.sandbox.setActiveLibrary(PERSONAL_USER_ID, LIBRARY_IDS.cafeZuid)
    const nord = dash.assembled.core.libraries.list().find((library) => library.personal?.role === 'library' && library.apicbaseLibraryId === String(LIBRARY_IDS.brasserieNord))
    if (!nord) throw new Error('no entry')
    await grid(page).locator(`[data-id="${nord.id}"]`).click()
    await detail(page).getByRole('button', { name: 'Check active library' }).click()
    await detail(page).getByRole('button', { name: 'Copy token' }).click()
    await expect(driftBanner(page).getByRole('alert')).toBeVisible()
    await axe(page, 'drift banner')
    await shoot('drift')
  })
}
