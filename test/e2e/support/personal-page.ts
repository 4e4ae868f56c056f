// What the personal-token tests do: open the connect dialog, play Apicbase's side of the authorization (the
// sandbox auto-approves as Pat Partner), and read the code or follow the redirect as a browser would.
import { expect, type Locator, type Page } from '@playwright/test'
import type { DashboardHost } from './dashboard-host.ts'
import { expectNoSecretInPage } from './dashboard-page.ts'

export function connectDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Connect personal token' })
}

/** Opens the dialog, fills the partner application's credentials and presses "Open Apicbase"; answers the authorize link. */
export async function startConnect(page: Page, dash: DashboardHost, options: { readonly loopback?: boolean; readonly name?: string } = {}): Promise<string> {
  const { partner } = dash.sandbox.fixtures
  dash.secrets.add(partner.clientSecret)
  await page.getByRole('button', { name: 'Connect personal token' }).click()
  const dialog = connectDialog(page)
  if (options.name !== undefined) await dialog.getByLabel('Name', { exact: true }).fill(options.name)
  await dialog.getByLabel('Client ID', { exact: true }).fill(partner.clientId)
  await dialog.getByLabel('Client secret', { exact: true }).fill(partner.clientSecret)
  if (options.loopback === true) await dialog.getByRole('radio', { name: 'Let Larder catch it on this computer' }).check()
  await dialog.getByRole('button', { name: 'Open Apicbase' }).click()
  return authorizeLink(page)
}

/** The authorize URL the dialog shows (the fallback link; in the browser host nothing opens by itself). */
export async function authorizeLink(page: Page): Promise<string> {
  const link = connectDialog(page).getByRole('link', { name: /\/oauth\/authorize\// })
  await expect(link).toBeVisible()
  const href = await link.getAttribute('href')
  if (href === null) throw new Error('the authorize link has no href')
  return href
}

/** What a person sees at Apicbase without a redirect URL: a page with the code on it. */
export async function codeFromAuthorizePage(authorizeUrl: string): Promise<string> {
  const response = await fetch(authorizeUrl)
  const html = await response.text()
  const match = /id="authorization-code">([^<]+)</.exec(html)
  if (!response.ok || !match?.[1]) throw new Error(`no code on the authorize page: HTTP ${response.status} ${html.slice(0, 200)}`)
  return match[1]
}

/** What the browser does with a loopback redirect: Apicbase sends it to 127.0.0.1, where Larder listens. */
export async function followLoopbackRedirect(authorizeUrl: string): Promise<number> {
  const response = await fetch(authorizeUrl, { redirect: 'manual' })
  const location = response.headers.get('location')
  if (response.status !== 302 || location === null) throw new Error(`expected a redirect, got HTTP ${response.status}`)
  const back = await fetch(location)
  await back.text()
  return back.status
}

/** Connects by pasting the code; answers once the dialog says the token is connected. */
export async function connectByPaste(page: Page, dash: DashboardHost, name?: string): Promise<Locator> {
  const url = await startConnect(page, dash, name === undefined ? {} : { name })
  const code = await codeFromAuthorizePage(url)
  const dialog = connectDialog(page)
  await dialog.getByLabel('Authorization code').fill(code)
  await dialog.getByRole('button', { name: 'Finish' }).click()
  await expect(dialog.getByText(/is connected: a personal token/)).toBeVisible()
  return dialog
}

/**
 * The page holds no secret. Libraries reached through a personal token hold none of their own (they share their
 * connection's pair), so only the records holding a pair are asked for theirs.
 */
export async function expectNoSecretWithPersonal(page: Page, dash: DashboardHost): Promise<void> {
  const { core } = dash.assembled
  const collectSecrets = async (): Promise<void> => {
    for (const library of core.libraries.list()) {
      if (library.personal?.role === 'library') continue
      const held = await core.vault.secrets(library.id)
      dash.secrets.add(held.clientSecret)
      dash.secrets.add(held.accessToken)
      dash.secrets.add(held.refreshToken)
    }
  }
  await expectNoSecretInPage(page, { ...dash, collectSecrets })
}
