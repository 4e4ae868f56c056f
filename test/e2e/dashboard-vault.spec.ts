// The vault gate: until Larder's vault is open the window asks for the passphrase (or a new one), and asks
// for nothing else. Uses a stand-in bridge for the locked states the browser host does not start in.
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { installFakeBridge, manyLibraries } from './support/fake-bridge.ts'
import { serveFolder, type StaticServer } from '../support/static-server.ts'

let server: StaticServer

test.beforeAll(async () => {
  server = await serveFolder(path.resolve('out/renderer'))
})
test.afterAll(async () => {
  await server.close()
})

test('a locked vault asks for the passphrase; a wrong one is refused at the field, the right one opens the list', async ({ page }) => {
  await installFakeBridge(page, { libraries: manyLibraries(3, Date.now()), vault: { state: 'locked', mode: 'unlock' }, passphrase: 'correct horse battery' })
  await page.goto(server.url)
  await expect(page.getByRole('heading', { name: 'Larder is locked' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Add library' })).toHaveCount(0)
  const passphrase = page.getByLabel('Passphrase', { exact: true })
  await expect(passphrase).toBeFocused()
  await passphrase.fill('wrong')
  await page.keyboard.press('Enter')
  await expect(passphrase).toHaveAttribute('aria-invalid', 'true')
  await expect(passphrase).toHaveAccessibleDescription('That passphrase does not open this vault.')
  await passphrase.fill('correct horse battery')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('grid', { name: 'Libraries' })).toBeVisible()
  await expect(page.getByText('3 libraries', { exact: true })).toBeVisible()
  expect(await page.content()).not.toContain('correct horse battery')
})

test('a new vault asks for a passphrase twice and refuses a short or mismatched one', async ({ page }) => {
  await installFakeBridge(page, { libraries: [], vault: { state: 'locked', mode: 'create' }, passphrase: 'a long enough phrase' })
  await page.goto(server.url)
  await expect(page.getByRole('heading', { name: 'Choose a passphrase' })).toBeVisible()
  await page.getByLabel('New passphrase').fill('short')
  await page.getByRole('button', { name: 'Create vault' }).click()
  await expect(page.getByLabel('New passphrase')).toHaveAccessibleDescription(/at least 10 characters/)
  await page.getByLabel('New passphrase').fill('a long enough phrase')
  await page.getByLabel('Repeat the passphrase').fill('a long enough phrasE')
  await page.getByRole('button', { name: 'Create vault' }).click()
  await expect(page.getByLabel('Repeat the passphrase')).toHaveAccessibleDescription('The two passphrases are not the same.')
  await page.getByLabel('Repeat the passphrase').fill('a long enough phrase')
  await page.getByRole('button', { name: 'Create vault' }).click()
  await expect(page.getByRole('heading', { name: 'No libraries yet' })).toBeVisible()
})
