// A library's customer label end to end (issue 15 item 5), through the real browser host against the sandbox and the
// provider fakes: a library added with a customer (the Add library form's optional field) shows it in its row; the Customer filter shows it with that
// customer's keys and nothing else; its pane changes the label and the name. Axe clean in light and dark; screenshots of
// the add form, the filtered list and the pane's edit form go to .scratch/customer-label/.
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { startProviderSandbox, type ProviderSandbox } from '../../src/main/sandbox/providers/index.ts'
import { expectNoViolations } from './support/axe.ts'
import { addInspectionsKey, addReportsKey } from './support/provider-keys.ts'
import { startDashboardHost, type DashboardHost } from './support/dashboard-host.ts'
import { detail, expectNoSecretInPage, fillAddForm, grid, openDashboard, row } from './support/dashboard-page.ts'

const SHOTS = path.resolve('.scratch/customer-label')

let dash: DashboardHost
let fakes: ProviderSandbox

test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  dash = await startDashboardHost({ seedFixtures: 2 })
  fakes = await startProviderSandbox({ startTime: dash.clock.now() })
  await addInspectionsKey(dash, fakes)
  await addReportsKey(dash, fakes, { email: 'ops@bistronord.example', base: 'Reports' })
})

test.afterAll(async () => {
  await dash?.close()
  await fakes?.close()
})

async function shoot(page: Page, name: string, scheme: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}-${scheme}.png`), animations: 'disabled' })
}

for (const scheme of ['light', 'dark'] as const) {
  test(`a library added with a customer is grouped with that customer's keys, and its pane changes the label (${scheme})`, async ({ page }) => {
    test.setTimeout(120_000)
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
    await openDashboard(page, dash)
    const name = `Grill Haven ${scheme === 'light' ? 'Centrum' : 'West'}`

    // Added through the form with its customer label (the labels Larder knows are offered as it is typed).
    const credentials = dash.newLibrary(name)
    await page.getByRole('button', { name: 'Add library' }).click()
    const dialog = await fillAddForm(page, credentials)
    await dialog.getByLabel('Customer (optional)', { exact: true }).fill('Grill Haven')
    // The secret fields are masked: nothing secret in the picture.
    await expect(dialog.getByLabel('Client secret', { exact: true })).toHaveAttribute('type', 'password')
    await shoot(page, 'add-dialog-with-customer', scheme)
    await dialog.getByRole('button', { name: 'Save', exact: true }).click()
    await expect(dialog.getByText(`${name} is saved. The token works.`)).toBeVisible()
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect(dialog).toBeHidden()
    await expect(row(page, name)).toContainText('Grill Haven ·')

    // The Customer filter: this library with the customer's key, none of the other libraries or keys.
    await page.getByLabel('Customer', { exact: true }).selectOption({ label: 'Grill Haven' })
    await expect(grid(page).getByRole('row')).toHaveCount(3)
    await expect(row(page, name)).toBeVisible()
    await expect(row(page, 'Grill Haven inspections')).toBeVisible()
    await expect(row(page, 'Brasserie Nord')).toHaveCount(0)
    await expect(row(page, 'Reports base')).toHaveCount(0)
    await expectNoViolations(page, 'the list filtered by customer')
    await shoot(page, 'list-filtered-by-customer', scheme)

    // Its pane: the label, and Edit name and customer changes both (Larder answers the whole view; the row follows).
    await row(page, name).click()
    const pane = detail(page)
    await expect(pane.locator('.detail-labels')).toContainText('Customer Grill Haven')
    await pane.getByRole('button', { name: 'Edit name and customer' }).click()
    const form = pane.getByRole('form', { name: 'Name and customer' })
    await expect(form.getByLabel('Name', { exact: true })).toBeFocused()
    await form.getByLabel('Name', { exact: true }).fill(`${name} Kitchen`)
    await form.getByLabel('Customer (optional)', { exact: true }).fill('Grill Haven Group')
    await expectNoViolations(page, 'the pane’s name and customer form')
    await shoot(page, 'pane-edit-name-and-customer', scheme)
    await form.getByRole('button', { name: 'Save', exact: true }).click()
    await expect(form).toBeHidden()
    await expect(pane.getByRole('heading', { name: `${name} Kitchen` })).toBeVisible()
    await expect(pane.locator('.detail-labels')).toContainText('Customer Grill Haven Group')
    await expect(pane.getByRole('button', { name: 'Edit name and customer' })).toBeFocused()
    const held = dash.assembled.core.libraries.list().find((library) => library.name === `${name} Kitchen`)
    expect(held?.customer).toBe('Grill Haven Group')
    await shoot(page, 'pane-after-edit', scheme)

    // Moved to its new customer: the old one's list holds only the key now.
    await page.getByLabel('Customer', { exact: true }).selectOption({ label: 'Grill Haven' })
    await expect(grid(page).getByRole('row')).toHaveCount(2)
    await page.getByLabel('Customer', { exact: true }).selectOption({ label: 'Grill Haven Group' })
    await expect(row(page, `${name} Kitchen`)).toBeVisible()
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await expectNoSecretInPage(page, dash)
  })
}
