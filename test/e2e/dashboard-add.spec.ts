// Adding a library through the dashboard, against the sandbox: the check before saving, what a refusal
// looks like (next to the field it concerns, nothing saved), and the whole flow by keyboard alone.
import { expect, test } from '@playwright/test'
import { startDashboardHost, type DashboardHost } from './support/dashboard-host.ts'
import { expectNoSecretInPage, fillAddForm, openDashboard, row } from './support/dashboard-page.ts'

let dash: DashboardHost

test.beforeEach(async () => {
  dash = await startDashboardHost({ seedFixtures: 1 })
})
test.afterEach(async () => {
  await dash?.close()
})

test('adds a service-account library: Larder checks the token, shows the library it found, and lists it as Healthy', async ({ page }) => {
  await openDashboard(page, dash)
  const credentials = dash.newLibrary('Kantine Centrum')
  await page.getByRole('button', { name: 'Add library' }).click()
  const dialog = page.getByRole('dialog', { name: 'Add library' })
  await expect(dialog.getByRole('radio', { name: 'Service account' })).toBeChecked()
  await expect(dialog.getByText('Recommended')).toBeVisible()
  await expect(dialog.getByText(/shows the refresh token only once/)).toBeVisible()
  // Pasted values often bring spaces, line breaks and quotes along; Larder trims them.
  await fillAddForm(page, {
    ...credentials,
    name: '  Kantine Centrum ',
    clientSecret: ` "${credentials.clientSecret}"\n`,
    accessToken: `Bearer ${credentials.accessToken}`,
    refreshToken: `${credentials.refreshToken}  `
  })
  await dialog.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(dialog.getByText('Kantine Centrum is saved. The token works.')).toBeVisible()
  await expect(dialog.getByText(/Apicbase says this token acts on the library/)).toContainText('Kantine Centrum')
  await dialog.getByRole('button', { name: 'Done' }).click()
  await expect(dialog).toBeHidden()

  await expect(row(page, 'Kantine Centrum').getByText('Healthy', { exact: true })).toBeVisible()
  await expect(row(page, 'Kantine Centrum')).toContainText(/6 d 23 h|7 d/)
  await expect(page.getByRole('heading', { level: 2, name: 'Kantine Centrum' })).toBeVisible()
  expect(dash.assembled.core.libraries.list().map((library) => library.name)).toContain('Kantine Centrum')
  await expectNoSecretInPage(page, dash)
})

test('a wrong client secret is refused next to the field, with a clear message, and nothing is saved', async ({ page }) => {
  await openDashboard(page, dash)
  const credentials = dash.newLibrary('Sushi Markt')
  const before = dash.assembled.core.libraries.list().length
  await page.getByRole('button', { name: 'Add library' }).click()
  const dialog = await fillAddForm(page, { ...credentials, clientSecret: `${credentials.clientSecret}x` })
  await dialog.getByRole('button', { name: 'Save', exact: true }).click()

  const secret = dialog.getByLabel('Client secret', { exact: true })
  await expect(secret).toHaveAttribute('aria-invalid', 'true')
  await expect(secret).toBeFocused()
  await expect(secret).toHaveAccessibleDescription(/Apicbase rejected the client ID or client secret for Sushi Markt.*Nothing was saved/)
  expect(dash.assembled.core.libraries.list().length).toBe(before)
  await page.keyboard.press('Escape')
  await expect(row(page, 'Sushi Markt')).toHaveCount(0)

  // The refresh token was not spent by the refused check: the right secret still works.
  await page.getByRole('button', { name: 'Add library' }).click()
  const again = await fillAddForm(page, credentials)
  await again.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(again.getByText('Sushi Markt is saved. The token works.')).toBeVisible()
})

test('a refresh token that was already used is refused at that field, and no network is a message for the whole form', async ({ page }) => {
  await openDashboard(page, dash)
  // The first fixture was added before the page opened: its pasted refresh token is spent.
  const used = dash.sandbox.fixtures.libraries[0]
  if (!used) throw new Error('no fixture')
  await page.getByRole('button', { name: 'Add library' }).click()
  const dialog = await fillAddForm(page, { ...used, name: 'Brasserie Nord again' })
  // Its client ID is Brasserie Nord's, which Larder holds: nothing is sent until the person chooses (issue 19, item 9).
  await dialog.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(dialog.locator('.duplicate-warning')).toContainText('"Brasserie Nord"')
  await dialog.getByRole('button', { name: 'Add it anyway' }).click()
  const refresh = dialog.getByLabel('Refresh token', { exact: true })
  await expect(refresh).toHaveAttribute('aria-invalid', 'true')
  await expect(refresh).toHaveAccessibleDescription(/already used/)
  await page.keyboard.press('Escape')

  const fresh = dash.newLibrary('Grill Station')
  await page.getByRole('button', { name: 'Add library' }).click()
  const offline = await fillAddForm(page, fresh, 'http://127.0.0.1:9')
  await offline.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(offline.getByRole('alert')).toContainText('Nothing was saved.')
  await expect(offline.getByRole('alert')).toContainText(/reach|connect/i)
  expect(dash.assembled.core.libraries.list().some((library) => library.name === 'Grill Station')).toBe(false)
})

test('missing fields are named before anything is sent', async ({ page }) => {
  await openDashboard(page, dash)
  await page.getByRole('button', { name: 'Add library' }).click()
  const dialog = page.getByRole('dialog', { name: 'Add library' })
  await dialog.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(dialog.getByLabel('Name', { exact: true })).toBeFocused()
  for (const label of ['Name', 'Client ID', 'Client secret', 'Access token', 'Refresh token']) {
    await expect(dialog.getByLabel(label, { exact: true })).toHaveAttribute('aria-invalid', 'true')
  }
  await expect(dialog.getByLabel('API base URL', { exact: true })).toHaveCount(1)
})

test('a library can be added with the keyboard alone, with a visible focus at every step', async ({ page }) => {
  await openDashboard(page, dash)
  const credentials = dash.newLibrary('Deli Park')
  const focusRing = async (): Promise<string> =>
    page.evaluate(() => {
      const g = globalThis as unknown as { document: { activeElement: object | null }; getComputedStyle(e: object): { outlineStyle: string; outlineWidth: string } }
      const active = g.document.activeElement
      if (!active) return 'none'
      const style = g.getComputedStyle(active)
      return `${style.outlineStyle} ${style.outlineWidth}`
    })

  // From the top of the page to "Add library".
  const add = page.getByRole('button', { name: 'Add library' })
  for (let i = 0; i < 10 && !(await add.evaluate((e) => e === (e.ownerDocument as { activeElement: unknown }).activeElement)); i++) await page.keyboard.press('Tab')
  await expect(add).toBeFocused()
  expect(await focusRing()).toMatch(/^solid [1-9]/)
  await page.keyboard.press('Enter')

  const dialog = page.getByRole('dialog', { name: 'Add library' })
  await expect(dialog.getByRole('radio', { name: 'Service account' })).toBeFocused()
  await page.keyboard.press('ArrowRight')
  await expect(dialog.getByRole('radio', { name: 'Connected application' })).toBeChecked()
  await page.keyboard.press('ArrowLeft')
  await expect(dialog.getByRole('radio', { name: 'Service account' })).toBeChecked()
  expect(await focusRing()).toMatch(/^solid [1-9]/)

  const typeInto = async (label: string, text: string): Promise<void> => {
    await page.keyboard.press('Tab')
    await expect(dialog.getByLabel(label, { exact: true })).toBeFocused()
    expect(await focusRing()).toMatch(/^solid [1-9]/)
    await page.keyboard.type(text)
  }
  // A masked field's Show toggle is the next stop after it (issue 19, item 16), with a visible focus too.
  const pastToggle = async (label: string): Promise<void> => {
    await page.keyboard.press('Tab')
    await expect(dialog.getByRole('button', { name: `Show ${label.toLowerCase()}` })).toBeFocused()
    expect(await focusRing()).toMatch(/^solid [1-9]/)
  }
  await typeInto('Name', credentials.name)
  // The optional customer label sits beside the name (issue 15): a stop with a visible focus, left empty.
  await page.keyboard.press('Tab')
  await expect(dialog.getByLabel('Customer (optional)', { exact: true })).toBeFocused()
  expect(await focusRing()).toMatch(/^solid [1-9]/)
  await typeInto('Client ID', credentials.clientId)
  await typeInto('Client secret', credentials.clientSecret)
  await pastToggle('Client secret')
  await typeInto('Access token', credentials.accessToken)
  await pastToggle('Access token')
  await typeInto('Refresh token', credentials.refreshToken)
  await page.keyboard.press('Enter')

  await expect(dialog.getByText('Deli Park is saved. The token works.')).toBeVisible()
  await expect(dialog.getByRole('button', { name: 'Done' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(dialog).toBeHidden()
  await expect(row(page, 'Deli Park').getByText('Healthy', { exact: true })).toBeVisible()
})
