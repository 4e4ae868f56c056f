// The browser host says what really happened there (issue 19 item 5): a copy went to the host's stand-in clipboard
// (the test reads it; this computer's clipboard is untouched), and starting an authorization opened nothing, so the
// page asks the person to open the address itself. No "Larder opened…" where nothing opened.
import { expect, test } from '@playwright/test'
import { startDashboardHost, type DashboardHost } from './support/dashboard-host.ts'
import { detail, expectNoSecretInPage, grid, openDashboard, row } from './support/dashboard-page.ts'
import { connectDialog, startConnect } from './support/personal-page.ts'

let dash: DashboardHost

test.beforeEach(async () => {
  dash = await startDashboardHost({ seedFixtures: 1 })
})
test.afterEach(async () => {
  await dash?.close()
})

test('a copy in the browser host says the token went to its stand-in clipboard, not this computer’s', async ({ page }) => {
  await openDashboard(page, dash)
  await row(page, 'Brasserie Nord').click()
  await detail(page).getByRole('button', { name: 'Copy token' }).click()
  await expect(detail(page).getByRole('status').filter({ hasText: 'copied' })).toBeVisible()
  await expect(detail(page).getByText('It went to the browser host’s stand-in clipboard, not this computer’s: only the host’s own tests read it.')).toBeVisible()
  // It really is there, on the host's side, where the note says.
  expect(dash.assembled.clipboard.text !== null && dash.assembled.clipboard.text.length > 0).toBe(true)
  // A copy from the list (the C key) says the same in its message.
  await grid(page).focus()
  await page.keyboard.press('c')
  await expect(page.getByRole('status', { name: 'Messages' })).toContainText('stand-in clipboard')
  await expectNoSecretInPage(page, dash)
  // Nothing demo here: this host runs tests, not the demo.
  await expect(page.getByRole('note', { name: 'Demo' })).toHaveCount(0)
})

test('starting an authorization in the browser host says to open the address, with the link, and never that Larder opened it', async ({ page }) => {
  await openDashboard(page, dash)
  const url = await startConnect(page, dash)
  const dialog = connectDialog(page)
  await expect(dialog.getByText('Open this address in your browser (the one where you are signed in to Apicbase) to approve Larder:')).toBeVisible()
  await expect(dialog.getByText(/Larder opened/)).toHaveCount(0)
  await expect(dialog.getByRole('link', { name: url })).toBeVisible()
})
