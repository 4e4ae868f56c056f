// A long list through the real browser host: the first page is on screen at once, as part of the whole (its size and
// counts), the rest follows, and a change made while the rest was on its way is there once it is in.
import { expect, test } from '@playwright/test'
import { sandboxLibraryRecord } from '../support/sandbox-records.ts'
import { startDashboardHost, type DashboardHost } from './support/dashboard-host.ts'
import { expectNoSecretInPage, grid, openDashboard, row } from './support/dashboard-page.ts'

let dash: DashboardHost | undefined

test.afterEach(async () => {
  await dash?.close()
  dash = undefined
})

const COUNT = 2_500

test('a long list shows its first page at once, then all of it, with what changed meanwhile', async ({ page }) => {
  const host = await startDashboardHost()
  dash = host
  const records = Array.from({ length: COUNT }, (_, i) =>
    sandboxLibraryRecord(host.sandbox.addLibraryWithApplication({ name: `Kitchen ${i + 1}` }), { id: `kitchen-${i + 1}`, apiBaseUrl: host.sandbox.url, issuedAt: host.clock.now() })
  )
  for (const record of records) host.secrets.add(record.secrets.refreshToken).add(record.secrets.accessToken)
  await Promise.all(records.map((record) => host.assembled.core.vault.add(record.meta, record.secrets)))

  // The page's reads of the rest wait until the test lets them go, so the first page can be seen on its own.
  await page.addInitScript(() => {
    const held: (() => void)[] = []
    const send = WebSocket.prototype.send
    WebSocket.prototype.send = function (this: WebSocket, data) {
      if (typeof data === 'string' && data.includes('"libraries.listMore"')) held.push(() => send.call(this, data))
      else send.call(this, data)
    }
    ;(globalThis as { releaseRest?: () => void }).releaseRest = () => {
      WebSocket.prototype.send = send
      for (const go of held.splice(0)) go()
    }
  })
  await openDashboard(page, host)
  await expect(page.getByText(`200 of ${COUNT.toLocaleString('en-US')} libraries (loading the rest…)`)).toBeVisible()
  await expect(grid(page)).toHaveAttribute('aria-busy', 'true')
  await expect(page.getByText(`All ${COUNT.toLocaleString('en-US')} libraries are fine`)).toBeVisible()

  // Meanwhile a library the page has not read yet is removed.
  const removed = await host.assembled.app.handlers['libraries.remove']({ id: 'kitchen-2400', confirmName: 'Kitchen 2400' })
  expect(removed.ok).toBe(true)

  await page.evaluate(() => (globalThis as { releaseRest?: () => void }).releaseRest?.())
  await expect(page.getByText(`${(COUNT - 1).toLocaleString('en-US')} libraries`, { exact: true })).toBeVisible()
  await expect(grid(page)).toHaveAttribute('aria-busy', 'false')
  await page.getByRole('searchbox', { name: /search/i }).fill('Kitchen 2499')
  await expect(row(page, 'Kitchen 2499')).toBeVisible()
  await page.getByRole('searchbox', { name: /search/i }).fill('Kitchen 2400')
  // Kitchen 400 (its Apicbase id is 2400) and any library whose random client ID holds "2400" (about 1 run in 160):
  // the removed one is not back.
  const alsoMatching = records.filter((record) => record.meta.id !== 'kitchen-2400' && record.meta.clientId.toLowerCase().includes('2400') && record.meta.id !== 'kitchen-400').length
  await expect(page.getByText(`${1 + alsoMatching} of ${(COUNT - 1).toLocaleString('en-US')} libraries`, { exact: true })).toBeVisible()
  await expect(row(page, 'Kitchen 400')).toBeVisible()
  await expect(row(page, 'Kitchen 2400')).toHaveCount(0)
  await expectNoSecretInPage(page, host)
})
