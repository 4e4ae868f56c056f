// What the dashboard tests do to the page: open it on the host with the page's clock matching Larder's, find
// rows, move time, and prove no secret reached the page.
import { expect, type Locator, type Page } from '@playwright/test'
import type { LibraryCredentials } from '../../sandbox/index.ts'
import type { DashboardHost } from './dashboard-host.ts'

export const DAY = 86_400_000

export async function openDashboard(page: Page, dash: DashboardHost, options: { readonly expectList?: boolean } = {}): Promise<void> {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  await page.setViewportSize({ width: 1440, height: 900 })
  // The page's clock starts at Larder's time and then runs on; moveTime moves both.
  await page.clock.install({ time: dash.clock.now() })
  await page.goto(dash.host.urlWithSecret)
  await expect(page.getByRole('heading', { level: 1, name: 'Larder' })).toBeVisible()
  if (options.expectList ?? true) await expect(page.getByRole('grid', { name: 'Libraries' })).toBeVisible()
  expect(problems).toEqual([])
}

export function grid(page: Page): Locator {
  return page.getByRole('grid', { name: 'Libraries' })
}

export function row(page: Page, name: string): Locator {
  return grid(page).getByRole('row', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`) })
}

export function detail(page: Page): Locator {
  return page.getByRole('region').filter({ has: page.locator('#detail-title') })
}

export function banner(page: Page): Locator {
  return page.getByRole('region', { name: 'Warnings' })
}

/** Moves Larder, the sandbox and the page forward together, as a machine waking after `ms` asleep would. */
export async function moveTime(page: Page, dash: DashboardHost, ms: number): Promise<void> {
  await dash.advance(ms)
  await page.clock.fastForward(ms)
}

/** Fills the add form with a library's credentials (what a person pastes). */
export async function fillAddForm(page: Page, credentials: Pick<LibraryCredentials, 'name' | 'clientId' | 'clientSecret' | 'accessToken' | 'refreshToken'>, apiBaseUrl?: string): Promise<Locator> {
  const dialog = page.getByRole('dialog', { name: 'Add library' })
  await dialog.getByLabel('Name', { exact: true }).fill(credentials.name)
  await dialog.getByLabel('Client ID', { exact: true }).fill(credentials.clientId)
  await dialog.getByLabel('Client secret', { exact: true }).fill(credentials.clientSecret)
  await dialog.getByLabel('Access token', { exact: true }).fill(credentials.accessToken)
  await dialog.getByLabel('Refresh token', { exact: true }).fill(credentials.refreshToken)
  if (apiBaseUrl !== undefined) {
    await dialog.getByText('Advanced').click()
    await dialog.getByLabel('API base URL', { exact: true }).fill(apiBaseUrl)
  }
  return dialog
}

/**
 * No secret that existed in this run is in the page (its DOM, and its storage) or in anything the host sent it.
 * The add form is the one place a person types secrets into the page; call this when no form is open.
 */
export async function expectNoSecretInPage(page: Page, dash: DashboardHost): Promise<void> {
  await dash.collectSecrets()
  const html = await page.evaluate(() => {
    const g = globalThis as unknown as { document: { documentElement: { outerHTML: string } }; sessionStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null } }
    let storage = ''
    for (let i = 0; i < g.sessionStorage.length; i++) {
      const key = g.sessionStorage.key(i)
      if (key !== null && key !== 'larder.bridge') storage += `${key}=${g.sessionStorage.getItem(key) ?? ''}\n`
    }
    return g.document.documentElement.outerHTML + storage
  })
  const sent = dash.host.messagesSent().join('\n')
  for (const secret of dash.secrets) {
    expect(html.includes(secret), 'a secret is in the page').toBe(false)
    expect(sent.includes(secret), 'a secret was sent to the page').toBe(false)
  }
}
