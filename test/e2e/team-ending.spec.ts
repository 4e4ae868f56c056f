// Leaving a team, ending it, being out of it and offline from it, in Chromium (issue 16): Settings → Team offers a
// member "Leave the team…" and "Take the credentials home and end the team…", each behind a confirmation; a refusal is
// said in the dialog by its button; an 'out' machine gets its panel and "Make this vault local"; over the libraries
// list a banner says when this machine is offline from the team or out of it. A stand-in bridge plays Larder (the real
// calls need a team database: test/integration covers them). axe-clean in each state; screenshots, light and dark,
// for a person to look at (LARDER_SCREENSHOTS, default test-results/team-ending).
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import type { TeamView } from '../../src/shared/contract.ts'
import { serveFolder, type StaticServer } from '../support/static-server.ts'
import { expectNoViolations } from './support/axe.ts'
import { installFakeBridge, manyLibraries } from './support/fake-bridge.ts'

const SHOTS = path.resolve(process.env['LARDER_SCREENSHOTS'] ?? 'test-results/team-ending')
const SCHEMES = ['light', 'dark'] as const
const DATABASE = 'postgresql://larder:***@db.example.com:5432/team'
const MINUTE = 60_000
// As Larder says why when another member ended the team.
const ENDED = 'Sam, home desktop took the team’s credentials home to their own vault and the team ended: this machine’s copies were dropped and it refreshes nothing more. Make this vault local in Settings → Team.'

const member = (now: number): TeamView => ({
  membership: 'member',
  name: 'Dana, office laptop',
  code: null,
  database: DATABASE,
  members: [
    { id: 'm-1', name: 'Dana, office laptop', you: true },
    { id: 'm-2', name: 'Sam, home desktop', you: false },
    { id: 'm-3', name: 'Noor', you: false }
  ],
  link: { state: 'online', since: now - 3 * 60 * MINUTE, reason: null }
})
const offline = (now: number): TeamView => ({ ...member(now), link: { state: 'offline', since: now - 40 * MINUTE, reason: 'The team database did not answer (connection timed out).' } })
// As the link says it when the database it reaches holds another team (a URL now pointing elsewhere).
const ELSEWHERE = 'LARDER_TEAM_DATABASE_URL (postgresql://larder:***@db2.example.com:5432/team) reaches a database that holds another team than this vault’s: point it at the team’s database, or unset it.'
const elsewhere = (now: number): TeamView => ({ ...member(now), link: { state: 'offline', since: now - 5 * MINUTE, reason: ELSEWHERE } })
const out = (now: number): TeamView => ({
  ...member(now),
  membership: 'out',
  members: [],
  out: { why: ENDED, since: now - 25 * MINUTE },
  link: { state: 'offline', since: now - 25 * MINUTE, reason: ENDED }
})

let server: StaticServer

test.beforeAll(async () => {
  server = await serveFolder(path.resolve('out/renderer'))
})
test.afterAll(async () => {
  await server.close()
})

async function open(page: Page, scheme: 'light' | 'dark', team: TeamView): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
  await installFakeBridge(page, { libraries: manyLibraries(12, Date.now()), team })
  await page.goto(server.url)
  await expect(page.getByRole('grid', { name: 'Libraries' })).toBeVisible()
}

async function openTeamSection(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click()
  await expect(page.getByRole('heading', { name: 'Team', level: 3 })).toBeVisible()
}

const teamSection = (page: Page) => page.locator('section.team-section')

async function shoot(page: Page, name: string, scheme: string, what: 'page' | 'section' = 'page'): Promise<void> {
  const file = path.join(SHOTS, `${name}-${scheme}.png`)
  if (what === 'section') {
    await teamSection(page).scrollIntoViewIfNeeded()
    await teamSection(page).screenshot({ path: file, animations: 'disabled' })
  } else await page.screenshot({ path: file, animations: 'disabled' })
}

/** What the page holds as text and markup: no database URL with a password in it (Larder's views hold ***; the form's help shows USER:PASSWORD). */
async function noSecret(page: Page): Promise<void> {
  const content = await page.content()
  expect(content).not.toMatch(/postgres(ql)?:\/\/[^:\s]+:(?!\*\*\*@|PASSWORD@)[^@\s]+@/)
}

for (const scheme of SCHEMES) {
  test(`${scheme}: a member leaves the team after confirming; the section shows the form`, async ({ page }) => {
    await open(page, scheme, member(Date.now()))
    await expect(page.getByRole('region', { name: 'Team' })).toHaveCount(0)
    await openTeamSection(page)
    const leave = page.getByRole('button', { name: 'Leave the team…' })
    await expect(leave).toBeVisible()
    await expect(page.getByRole('button', { name: 'Take the credentials home and end the team…' })).toBeVisible()
    await shoot(page, 'member-actions', scheme, 'section')
    await expectNoViolations(page, 'the member view with its two actions')

    await leave.click()
    const dialog = page.getByRole('dialog', { name: 'Leave the team?' })
    await expect(dialog).toBeVisible()
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused()
    await expect(dialog).toContainText('ask a member to remove it instead')
    await shoot(page, 'leave-dialog', scheme)
    await expectNoViolations(page, 'the leave confirmation')
    await dialog.getByRole('button', { name: 'Leave the team', exact: true }).click()
    await expect(dialog).toHaveCount(0)
    await expect(page.getByRole('heading', { name: 'Share with your team' })).toBeFocused()
    await noSecret(page)
  })

  test(`${scheme}: taking the credentials home says what the others lose; a refusal offline is said in the dialog`, async ({ page }) => {
    await open(page, scheme, offline(Date.now()))
    const banner = page.getByRole('region', { name: 'Team' })
    await expect(banner).toHaveText(/^Offline from the team since \d{1,2}:\d{2}( [AP]M)? — copying still works from this machine’s copies; nothing is refreshed or changed until it is back\. The team database did not answer \(connection timed out\)\. Open Settings → Team$/)
    await shoot(page, 'offline-banner', scheme)
    await expectNoViolations(page, 'the libraries view offline from the team')

    await openTeamSection(page)
    await page.getByRole('button', { name: 'Take the credentials home and end the team…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Take the credentials home and end the team?' })
    await expect(dialog).toContainText('Every other member’s Larder drops its copies')
    await expect(dialog).toContainText('The team database keeps no credential, only empty rows and its audit trail.')
    await shoot(page, 'takehome-dialog', scheme)
    await expectNoViolations(page, 'the take-home confirmation')
    const confirm = dialog.getByRole('button', { name: 'Take them home and end the team' })
    await confirm.click()
    await expect(confirm).toHaveAccessibleDescription(/^Could not take the credentials home\. This machine is offline from the team/)
    await expect(dialog).toBeVisible()
    await shoot(page, 'takehome-refused', scheme)
    await expectNoViolations(page, 'the take-home confirmation with its refusal')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(page.getByRole('heading', { name: 'Your team' })).toBeVisible()
    await noSecret(page)
  })

  test(`${scheme}: offline because the database holds another team: the banner says so and links to Settings → Team`, async ({ page }) => {
    await open(page, scheme, elsewhere(Date.now()))
    const banner = page.getByRole('region', { name: 'Team' })
    await expect(banner).toContainText('Offline from the team since')
    await expect(banner).toContainText('reaches a database that holds another team than this vault’s')
    await shoot(page, 'elsewhere-banner', scheme)
    await expectNoViolations(page, 'the libraries view offline: another team’s database')
    await banner.getByRole('button', { name: 'Open Settings → Team' }).click()
    await expect(page.getByRole('heading', { name: 'Team', level: 3 })).toBeFocused()
    await expect(teamSection(page)).toContainText('holds another team than this vault’s')
    await shoot(page, 'elsewhere-section', scheme, 'section')
    await noSecret(page)
  })

  test(`${scheme}: out of the team: the banner links to Settings → Team, whose panel makes the vault local`, async ({ page }) => {
    await open(page, scheme, out(Date.now()))
    const banner = page.getByRole('region', { name: 'Team' })
    await expect(banner).toContainText(/This machine has been out of the team since \d{1,2}:\d{2}/)
    await expect(banner).toContainText(ENDED)
    await shoot(page, 'out-banner', scheme)
    await expectNoViolations(page, 'the libraries view out of the team')

    await banner.getByRole('button', { name: 'Open Settings → Team' }).click()
    await expect(page.getByRole('heading', { name: 'Team', level: 3 })).toBeFocused()
    await expect(teamSection(page)).toContainText('This machine is no longer in the team')
    await expect(teamSection(page)).toContainText('(25 min ago)')
    await shoot(page, 'out-panel', scheme, 'section')
    await expectNoViolations(page, 'the out panel')
    await page.getByRole('button', { name: 'Make this vault local' }).click()
    await expect(page.getByRole('heading', { name: 'Share with your team' })).toBeFocused()
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Libraries' }).click()
    await expect(page.getByRole('grid', { name: 'Libraries' })).toBeVisible()
    await expect(page.getByRole('region', { name: 'Team' })).toHaveCount(0)
    await noSecret(page)
  })
}
