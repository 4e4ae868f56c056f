// "Copy token" in the dashboard hands out a token that lives past the copy margin: the stored one while it has more
// than the margin left, a freshly refreshed one (durable first) when it has less. The page only ever sees a receipt.
import { expect, test } from '@playwright/test'
import { startDashboardHost, type DashboardHost } from './support/dashboard-host.ts'
import { detail, expectNoSecretInPage, moveTime, openDashboard, row } from './support/dashboard-page.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const WEEK = 7 * 24 * HOUR

let dash: DashboardHost

test.beforeEach(async () => {
  dash = await startDashboardHost()
})
test.afterEach(async () => {
  await dash?.close()
})

function tokenRequests(sandboxLibraryId: number): number {
  return dash.sandbox.counters.hits.filter((hit) => hit.route === 'token' && hit.libraryId === sandboxLibraryId).length
}

test('Copy token refreshes first when the token expires within the margin, and not before', async ({ page }) => {
  // Timers refresh 10 min ahead, copies 1 h ahead: between the two, only a copy can refresh.
  await dash.assembled.actions.updateSettings({ refreshAheadMs: 10 * MINUTE, copyFreshnessMarginMs: HOUR })
  const credentials = dash.newLibrary('Café Marge')
  const library = await dash.addThroughCore(credentials)
  await openDashboard(page, dash)
  await row(page, 'Café Marge').click()

  // 65 min left: the stored token is copied, nothing goes to the token endpoint.
  await moveTime(page, dash, WEEK - 65 * MINUTE)
  const stored = await dash.currentSecrets(library.id)
  const before = tokenRequests(credentials.id)
  await detail(page).getByRole('button', { name: 'Copy token' }).click()
  await expect(detail(page).getByRole('status').filter({ hasText: 'copied' })).toContainText(`…${stored.accessToken.slice(-4)} copied`)
  expect(dash.assembled.clipboard.text).toBe(stored.accessToken)
  expect(tokenRequests(credentials.id)).toBe(before)

  // 30 min left: the copy refreshes once and hands out the new token, which the server accepts.
  await moveTime(page, dash, 35 * MINUTE)
  await detail(page).getByRole('button', { name: 'Copy token' }).click()
  await expect.poll(() => tokenRequests(credentials.id)).toBe(before + 1)
  const fresh = await dash.currentSecrets(library.id)
  expect(fresh.accessToken).not.toBe(stored.accessToken)
  await expect(detail(page).getByRole('status').filter({ hasText: 'copied' })).toContainText(`…${fresh.accessToken.slice(-4)} copied`)
  expect(dash.assembled.clipboard.text).toBe(fresh.accessToken)
  expect(dash.assembled.core.vault.isSpent(stored.refreshToken)).toBe(true)
  const answer = await fetch(`${dash.sandbox.url}/api/v2/products/recipes/`, { headers: { authorization: `Bearer ${fresh.accessToken}` } })
  expect(answer.status).toBe(200)
  await expectNoSecretInPage(page, dash)
})
