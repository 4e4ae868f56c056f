// Bulk import in the window (issue 17 item 1), end to end through the real browser host against the Apicbase sandbox: a
// CSV written from the sandbox's own issued pairs, with good and bad rows, named by its path in the fallback field (the
// browser host has no file dialog); the dry run's table shows each problem and sends nothing; the import adds the good
// rows (each a refresh at the sandbox, once), they appear in the list, and the report is saved where the person says,
// with no secret in it. Axe clean in light and dark; screenshots of the dry run, the import under way and the report go
// to .scratch/estate-window/.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import type { LibraryCredentials } from '../sandbox/index.ts'
import { startDashboardHost, type DashboardHost } from './support/dashboard-host.ts'
import { expectNoSecretInPage, grid, openDashboard, row } from './support/dashboard-page.ts'
import { expectNoViolations } from './support/axe.ts'

const SHOTS = path.resolve('.scratch/estate-window')

let dash: DashboardHost
let dir: string

test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  dash = await startDashboardHost({ seedFixtures: 1 })
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-import-e2e-'))
  fs.mkdirSync(SHOTS, { recursive: true })
})

test.afterAll(async () => {
  await dash?.close()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

async function shoot(page: Page, name: string, scheme: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}-${scheme}.png`), animations: 'disabled', fullPage: true })
}

/** One CSV line, each field quoted (a token may hold characters a spreadsheet would split on). */
function csvLine(fields: readonly string[]): string {
  return fields.map((field) => `"${field.replace(/"/g, '""')}"`).join(',')
}

function csvOf(rows: readonly (readonly string[])[]): string {
  return [csvLine(['name', 'token type', 'client id', 'client secret', 'access token', 'refresh token']), ...rows.map(csvLine)].join('\n') + '\n'
}

const rowOf = (credentials: LibraryCredentials, name = credentials.name, refreshToken = credentials.refreshToken): string[] => [
  name,
  credentials.tokenType,
  credentials.clientId,
  credentials.clientSecret,
  credentials.accessToken,
  refreshToken
]

for (const scheme of ['light', 'dark'] as const) {
  test(`a CSV with good and bad rows: the dry run shows the problems, the import adds the good ones, the report is saved (${scheme})`, async ({ page }) => {
    test.setTimeout(120_000)
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
    const nord = dash.newLibrary(`Import Nord ${scheme}`)
    const west = dash.newLibrary(`Import West ${scheme}`)
    const zuid = dash.newLibrary(`Import Zuid ${scheme}`)
    const file = path.join(dir, `customers-${scheme}.csv`)
    fs.writeFileSync(
      file,
      csvOf([
        rowOf(nord),
        rowOf(west),
        // A row without its refresh token: a problem, named.
        rowOf(zuid, zuid.name, ''),
        // The first row's pair again under another name: a duplicate, never sent twice.
        rowOf(nord, `Import Nord copy ${scheme}`)
      ]),
      { mode: 0o600 }
    )
    const tokenRequests = (): number => dash.sandbox.counters.hits.filter((hit) => hit.route === 'token').length

    await openDashboard(page, dash)
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Import & backup' }).click()
    await expect(page.getByRole('heading', { level: 2, name: 'Import & backup' })).toBeVisible()
    const form = page.getByRole('form', { name: 'File to import' })
    // The browser host has no file dialog: the path is typed, and the field says so.
    await expect(form.getByText('Type the full path on the computer Larder runs on')).toBeVisible()
    await form.getByLabel('File to import (CSV or JSON)').fill(file)
    const before = tokenRequests()
    await form.getByRole('button', { name: 'Check the file' }).click()

    const report = page.getByRole('region', { name: `Dry run: customers-${scheme}.csv` })
    await expect(report.getByRole('status')).toHaveText('4 rows: 2 ready, 1 problem, 1 duplicate. Nothing was sent or stored.')
    const table = report.getByRole('table', { name: `Rows of customers-${scheme}.csv` })
    await expect(table.getByRole('row')).toHaveCount(5)
    await expect(table.getByRole('row', { name: new RegExp(`^1 Import Nord ${scheme} Apicbase ready`) })).toBeVisible()
    await expect(table.getByRole('row', { name: new RegExp(`^3 Import Zuid ${scheme} Apicbase problem refresh token`) })).toBeVisible()
    await expect(table.getByRole('row', { name: new RegExp(`^4 Import Nord copy ${scheme} Apicbase duplicate`) })).toBeVisible()
    // Only the rows that need fixing.
    await report.getByLabel('Only rows with problems').check()
    await expect(table.getByRole('row')).toHaveCount(3)
    await report.getByLabel('Only rows with problems').uncheck()
    expect(tokenRequests(), 'the dry run sends nothing').toBe(before)
    await expectNoViolations(page, 'the dry run')
    await shoot(page, 'import-dry-run', scheme)

    // The import: each ready row is refreshed at the sandbox (slowed here so its progress shows), the others are not sent.
    const slow = dash.sandbox.faults.inject({ route: 'token', kind: 'latency', ms: 4_000 })
    await report.getByRole('button', { name: 'Import 2 ready rows' }).click()
    const bar = page.getByRole('progressbar', { name: 'Import progress' })
    await expect(bar).toBeVisible()
    await expect(bar).toHaveAttribute('aria-valuemax', '2')
    await expect(page.getByRole('button', { name: 'Cancel import' })).toBeVisible()
    await shoot(page, 'import-progress', scheme)
    await expectNoViolations(page, 'the import under way')
    const done = page.getByRole('region', { name: `Import done: customers-${scheme}.csv` })
    await expect(done.getByRole('status').first()).toHaveText('4 rows: 2 imported, 1 problem, 1 duplicate. Each row went in on its own: one that failed changed nothing else.', { timeout: 30_000 })
    dash.sandbox.faults.clear(slow)
    expect(tokenRequests() - before, 'one refresh per good row, none for the bad ones').toBe(2)
    expect(dash.sandbox.counters.tokenRequestsByFamily(zuid.familyId)).toBe(0)
    const doneTable = done.getByRole('table', { name: `Rows of customers-${scheme}.csv` })
    await expect(doneTable.getByRole('row', { name: new RegExp(`^1 Import Nord ${scheme} Apicbase imported`) })).toBeVisible()
    await expect(doneTable.getByRole('row', { name: new RegExp(`^2 Import West ${scheme} Apicbase imported`) })).toBeVisible()

    // The report, saved where the person says: row numbers, names and statuses, no secret.
    const saveTo = path.join(dir, `report-${scheme}.csv`)
    const save = done.getByRole('group', { name: 'Save the report' })
    await save.getByLabel('Save the report to').fill(saveTo)
    await save.getByRole('button', { name: 'Save report as CSV' }).click()
    await expect(save.getByRole('status')).toHaveText(`Report saved to ${saveTo}. It holds no secret.`)
    const saved = fs.readFileSync(saveTo, 'utf8')
    expect(saved).toContain(`Import West ${scheme}`)
    expect(saved).toContain('imported')
    for (const secret of [nord, west, zuid].flatMap((c) => [c.clientSecret, c.accessToken, c.refreshToken])) expect(saved.includes(secret), 'a secret in the report').toBe(false)
    await expectNoViolations(page, 'the import report')
    await shoot(page, 'import-report', scheme)

    // The good rows are in the list; the bad ones are not.
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Libraries' }).click()
    await expect(row(page, `Import Nord ${scheme}`)).toBeVisible()
    await expect(row(page, `Import West ${scheme}`)).toBeVisible()
    await expect(grid(page).getByRole('row', { name: new RegExp(`^Import Zuid ${scheme}`) })).toHaveCount(0)
    await expect(grid(page).getByRole('row', { name: new RegExp(`^Import Nord copy ${scheme}`) })).toHaveCount(0)
    for (const credentials of [nord, west, zuid]) for (const secret of [credentials.clientSecret, credentials.accessToken, credentials.refreshToken]) dash.secrets.add(secret)
    await expectNoSecretInPage(page, dash)
  })
}
