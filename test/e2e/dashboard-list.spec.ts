// The library list: search as you type, filters, sorting, and moving through it with the keyboard.
import { expect, test } from '@playwright/test'
import { startDashboardHost, type DashboardHost } from './support/dashboard-host.ts'
import { detail, grid, openDashboard, row } from './support/dashboard-page.ts'

let dash: DashboardHost

test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  // Brasserie Nord, Café Zuid, Trattoria Oost (service accounts) and Bistro West (connected application).
  dash = await startDashboardHost({ seedFixtures: 4 })
  const oost = dash.assembled.core.libraries.list().find((library) => library.name === 'Trattoria Oost')
  if (!oost) throw new Error('no Trattoria Oost')
  await dash.useRefreshTokenElsewhere(oost.id)
  await dash.assembled.actions.refresh(oost.id).catch(() => undefined)
})
test.afterAll(async () => {
  await dash?.close()
})

const rowNames = async (page: import('@playwright/test').Page): Promise<string[]> =>
  grid(page)
    .getByRole('row')
    .evaluateAll((rows) =>
      rows
        .filter((r) => r.getAttribute('aria-rowindex') !== '1')
        .sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))
        .map((r) => r.querySelector('.col-name')?.textContent ?? '')
    )

test('sorted by urgency by default: the library that needs re-authorization is first', async ({ page }) => {
  await openDashboard(page, dash)
  await expect.poll(async () => (await rowNames(page))[0]).toBe('Trattoria Oost')
  await expect(row(page, 'Trattoria Oost').getByText('Needs re-authorization', { exact: true })).toBeVisible()
  await expect(grid(page).getByRole('columnheader', { name: 'Status' })).toHaveAttribute('aria-sort', 'ascending')
})

test('the search box filters as you type, by name, Apicbase library id or client ID', async ({ page }) => {
  await openDashboard(page, dash)
  const search = page.getByRole('searchbox', { name: 'Search libraries' })
  await search.pressSequentially('zuid')
  await expect(grid(page).getByRole('row')).toHaveCount(2) // header + Café Zuid
  await expect(row(page, 'Café Zuid')).toBeVisible()
  await expect(page.getByText('1 of 4 libraries')).toBeVisible()

  await search.fill('1003')
  await expect.poll(() => rowNames(page)).toEqual(['Trattoria Oost'])
  await search.fill('cafe zuid') // without the accent
  await expect.poll(() => rowNames(page)).toEqual(['Café Zuid'])
  await search.fill('nothing like this')
  await expect(page.getByText('No library matches.')).toBeVisible()

  // Escape clears it; "/" comes back to it from anywhere.
  await search.press('Escape')
  await expect(search).toHaveValue('')
  await expect(grid(page).getByRole('row')).toHaveCount(5)
  await page.getByRole('heading', { level: 1 }).click()
  await page.keyboard.press('/')
  await expect(search).toBeFocused()
})

test('filters by status and token type, and sorts by name and expiry', async ({ page }) => {
  await openDashboard(page, dash)
  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Needs re-authorization' })
  await expect.poll(() => rowNames(page)).toEqual(['Trattoria Oost'])
  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Needs attention' })
  await expect.poll(() => rowNames(page)).toEqual(['Trattoria Oost'])
  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Healthy' })
  await expect(grid(page).getByRole('row')).toHaveCount(4)
  await page.getByLabel('Token type', { exact: true }).selectOption({ label: 'Connected application' })
  await expect.poll(() => rowNames(page)).toEqual(['Bistro West'])
  await page.getByRole('button', { name: 'Clear filters' }).click()
  await expect(grid(page).getByRole('row')).toHaveCount(5)

  await grid(page).getByRole('button', { name: 'Library', exact: true }).click()
  await expect(grid(page).getByRole('columnheader', { name: 'Library', exact: true })).toHaveAttribute('aria-sort', 'ascending')
  await expect.poll(() => rowNames(page)).toEqual(['Bistro West', 'Brasserie Nord', 'Café Zuid', 'Trattoria Oost'])
  await grid(page).getByRole('button', { name: 'Library', exact: true }).click()
  await expect.poll(() => rowNames(page)).toEqual(['Trattoria Oost', 'Café Zuid', 'Brasserie Nord', 'Bistro West'])
  await page.getByLabel('Sort by').selectOption({ label: 'Expiry' })
  await expect(grid(page).getByRole('columnheader', { name: 'Time left' })).toHaveAttribute('aria-sort', 'ascending')
  const byExpiry = [...dash.assembled.core.libraries.list()].sort((a, b) => (a.expiresAt ?? 0) - (b.expiresAt ?? 0)).map((library) => library.name)
  await expect.poll(() => rowNames(page)).toEqual(byExpiry)
})

test('the list is one tab stop; arrows, Home and End move the selection, Enter goes to the details, Escape closes them', async ({ page }) => {
  await openDashboard(page, dash)
  await page.getByRole('searchbox', { name: 'Search libraries' }).focus()
  // ↓ from the search box goes into the results: the grid has the focus and the first row is selected (issue 19, item 15).
  await page.keyboard.press('ArrowDown')
  await expect(grid(page)).toBeFocused()
  const first = (await rowNames(page))[0] ?? ''
  await expect(row(page, first)).toHaveAttribute('aria-selected', 'true')
  await expect(grid(page)).toHaveAttribute('aria-activedescendant', (await row(page, first).getAttribute('id')) ?? '')
  await expect(page.getByRole('heading', { level: 2, name: first })).toBeVisible()
  await page.keyboard.press('ArrowDown')
  const second = (await rowNames(page))[1] ?? ''
  await expect(page.getByRole('heading', { level: 2, name: second })).toBeVisible()
  await page.keyboard.press('End')
  const last = (await rowNames(page)).at(-1) ?? ''
  await expect(page.getByRole('heading', { level: 2, name: last })).toBeVisible()
  await page.keyboard.press('Home')
  await expect(page.getByRole('heading', { level: 2, name: first })).toBeVisible()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 2, name: first })).toBeFocused()
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  await expect(detail(page).getByRole('button', { name: /Refresh now|Copy token/ }).first()).toBeVisible()
  await grid(page).focus()
  await page.keyboard.press('Escape')
  await expect(page.getByText('Select a library to see its token')).toBeVisible()
})
