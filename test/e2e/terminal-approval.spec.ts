// Terminal approval end to end (issue 14, item 3), through the real browser host in Chromium: the app assembled with
// policy 'ask', the data folder's endpoint served by this test, and real `larder token` processes. The first one
// asks in the window (the dialog names the command); Allow lets it print a token (compared by hash with the vault's,
// never written anywhere); a second process of the same session is not asked; Settings lists the session; Revoke
// makes the next one ask again; Deny ends it with exit 8. Screenshots of the dialog and the list, light and dark.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { takeDataFolder, type DataFolderLock } from '../../src/main/endpoint/lock.ts'
import { assembleCore, type AssembledCore } from '../browser-host/assemble.ts'
import { startBrowserHost, type BrowserHost } from '../browser-host/host.ts'
import { startSandbox, type Sandbox } from '../sandbox/index.ts'
import { FAST_SCRYPT } from '../support/core-harness.ts'

const SHOTS = path.resolve(process.env['LARDER_SCREENSHOTS'] ?? '.scratch/helper-approval')
const LIBRARY = 'Brasserie Nord'

test.describe.configure({ mode: 'serial' })

let sandbox: Sandbox
let dataDir: string
let assembled: AssembledCore
let lock: DataFolderLock
let host: BrowserHost
let libraryId: string
const secrets = new Set<string>()

interface Finished {
  readonly code: number | null
  /** sha256 of stdout without its newline: the token itself stays in this process's memory only. */
  readonly stdoutHash: string
  readonly stdoutLines: number
  readonly stderr: string
}

/** `node bin/larder.js token LIB --data-dir DIR`, a real process; resolves when it exits. */
function larderToken(): { readonly done: Promise<Finished> } {
  const child = spawn(process.execPath, ['bin/larder.js', 'token', LIBRARY, '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const done = new Promise<Finished>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      resolve({ code, stdoutHash: sha256(stdout.replace(/\n$/, '')), stdoutLines: stdout.split('\n').length - 1, stderr })
    })
  })
  return { done }
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

async function vaultTokenHash(): Promise<string> {
  const { accessToken, refreshToken, clientSecret } = await assembled.core.vault.secrets(libraryId)
  for (const secret of [accessToken, refreshToken, clientSecret]) secrets.add(secret)
  return sha256(accessToken)
}

const requestsSent = (): number => host.messagesSent().filter((message) => message.includes('terminal.requested')).length

/** A screenshot in light and in dark, each checked with axe (WCAG 2.1 A and AA, best practices) as dashboard-a11y does. */
async function shoot(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
    await page.screenshot({ path: path.join(SHOTS, `${name}-${scheme}.png`), animations: 'disabled' })
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze()
    const summary = results.violations.map((v) => `${v.id} (${v.impact ?? ''}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`)
    expect(summary, `axe violations in ${name} (${scheme})`).toEqual([])
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

/** No secret of this run is in the page or in anything the host sent it. */
async function expectNoSecretInPage(page: Page): Promise<void> {
  await vaultTokenHash()
  const html = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { outerHTML: string } } }).document.documentElement.outerHTML)
  const sent = host.messagesSent().join('\n')
  for (const secret of secrets) {
    expect(html.includes(secret), 'a secret is in the page').toBe(false)
    expect(sent.includes(secret), 'a secret was sent to the page').toBe(false)
  }
}

test.beforeAll(async () => {
  sandbox = await startSandbox({ admin: true })
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-approval-'))
  assembled = await assembleCore({ dataDir, sandboxUrl: sandbox.url, scryptCost: FAST_SCRYPT, ports: { terminal: { policy: 'ask' } } })
  lock = await takeDataFolder({ dataDir, holder: () => ({ host: 'test', pid: process.pid, version: 'e2e', vault: assembled.session.state().state }) })
  lock.serve(assembled.app.terminal.handlers)
  host = await startBrowserHost({ app: assembled.app, rendererDir: path.resolve('out/renderer') })
  const { tokenType, name, clientId, clientSecret, accessToken, refreshToken } = sandbox.addLibraryWithApplication({ name: LIBRARY })
  for (const secret of [clientSecret, accessToken, refreshToken]) secrets.add(secret)
  libraryId = (await assembled.actions.add({ tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: sandbox.url })).id
  fs.mkdirSync(SHOTS, { recursive: true })
})

test.afterAll(async () => {
  await host?.close()
  await lock?.close()
  await assembled?.close()
  await sandbox?.close()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

test('a terminal asks in the window; Allow, the same session again, Settings, Revoke, Deny', async ({ page }) => {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  await page.setViewportSize({ width: 1280, height: 820 })
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' })
  await page.goto(host.urlWithSecret)
  await expect(page.getByRole('grid', { name: 'Libraries' })).toBeVisible()

  // 1. The first command of this session asks; the dialog names what asked.
  const first = larderToken()
  const dialog = page.getByRole('dialog', { name: 'A terminal asks for tokens' })
  await expect(dialog).toBeVisible({ timeout: 15_000 })
  await expect(dialog).toContainText(`larder token asks for ${LIBRARY}.`)
  await expect(dialog.locator('.terminal-facts')).toContainText('larder token')
  await expect(dialog.locator('.terminal-facts')).toContainText(process.cwd())
  await expect(dialog.getByRole('button', { name: 'Deny' })).toBeFocused()
  await shoot(page, 'approval-dialog')
  await expectNoSecretInPage(page)
  await dialog.getByRole('button', { name: 'Allow for 10 minutes of inactivity' }).click()
  await expect(dialog).toHaveCount(0)
  const allowed = await first.done
  expect(allowed.code, allowed.stderr).toBe(0)
  expect(allowed.stdoutLines).toBe(1)
  expect(allowed.stdoutHash).toBe(await vaultTokenHash())
  expect(requestsSent()).toBe(1)

  // 2. The same session again: no question.
  const second = await larderToken().done
  expect(second.code, second.stderr).toBe(0)
  expect(second.stdoutHash).toBe(await vaultTokenHash())
  expect(requestsSent()).toBe(1)
  await expect(dialog).toHaveCount(0)

  // 3. Settings lists the session.
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click()
  const sessions = page.getByRole('region', { name: 'Terminal sessions' })
  await expect(sessions.getByRole('row')).toHaveCount(2)
  const row = sessions.getByRole('row').nth(1)
  // The command's parent is this test's Node process, not a terminal.
  await expect(row).toContainText(/node on no terminal \(pid \d+\)/)
  await expect(row).toContainText('just now')
  await expect(row).toContainText('(unless used again)')
  await sessions.scrollIntoViewIfNeeded()
  await shoot(page, 'settings-sessions')
  await expectNoSecretInPage(page)

  // 4. Revoke: the list empties, and the next command asks again.
  await row.getByRole('button', { name: /^Revoke / }).click()
  await expect(sessions).toContainText('No terminal session may take tokens now.')
  await shoot(page, 'settings-sessions-empty')
  const third = larderToken()
  await expect(dialog).toBeVisible({ timeout: 15_000 })
  expect(requestsSent()).toBe(2)

  // 5. Deny: exit 8, nothing on stdout.
  await dialog.getByRole('button', { name: 'Deny' }).click()
  await expect(dialog).toHaveCount(0)
  const denied = await third.done
  expect(denied.code).toBe(8)
  expect(denied.stdoutLines).toBe(0)
  expect(denied.stderr).toMatch(/^larder: /m)
  await expectNoSecretInPage(page)
  expect(problems).toEqual([])
})
