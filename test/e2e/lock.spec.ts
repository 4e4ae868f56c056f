// The app lock end to end (issue 17 item 5), through the real browser host against the sandbox: Lock now leaves only
// the lock screen (no library's name in the page), a library whose token would expire while Larder is locked is
// refreshed at the sandbox all the same, a wrong passphrase is refused at the field, the right one brings the list
// back; axe clean in light and dark. A keychain vault (a stand-in bridge: the browser host's vault is a passphrase
// one) asks for a lock passphrase before it locks. Screenshots to .scratch/lock-window/.
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { DEV_PASSPHRASE } from '../browser-host/assemble.ts'
import { serveFolder, type StaticServer } from '../support/static-server.ts'
import { startDashboardHost, type DashboardHost } from './support/dashboard-host.ts'
import { DAY, expectNoSecretInPage, grid, moveTime, openDashboard, row } from './support/dashboard-page.ts'
import { expectNoViolations } from './support/axe.ts'

const SHOTS = path.resolve('.scratch/lock-window')
const SCHEMES = ['light', 'dark'] as const

async function shoot(page: Page, name: string, scheme: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}-${scheme}.png`), animations: 'disabled' })
}

test.describe('the lock on the browser host', () => {
  let dash: DashboardHost
  test.describe.configure({ mode: 'serial' })
  test.beforeAll(async () => {
    dash = await startDashboardHost()
  })
  test.afterAll(async () => {
    await dash?.close()
  })

  const tokenRequests = (sandboxLibraryId: number): number =>
    dash.sandbox.counters.hits.filter((hit) => hit.route === 'token' && hit.libraryId === sandboxLibraryId).length

  for (const scheme of SCHEMES) {
    test(`Lock now shows only the lock screen, refreshes go on while locked, and the passphrase brings the list back (${scheme})`, async ({ page }) => {
      test.setTimeout(120_000)
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
      const name = scheme === 'light' ? 'Grill Haven' : 'Tapas Plein'
      const credentials = dash.newLibrary(name)
      const library = await dash.addThroughCore(credentials)
      await openDashboard(page, dash)
      await expect(row(page, name)).toBeVisible()

      await page.getByRole('button', { name: 'Lock now' }).click()
      await expect(page.getByRole('heading', { name: 'Larder is locked' })).toBeVisible()
      await expect(page.getByText('You locked Larder')).toBeVisible()
      await expect(page.getByText(/Tokens go on being refreshed/)).toBeVisible()
      await expect(grid(page)).toHaveCount(0)
      await expect(page.getByRole('button', { name: 'Add library' })).toHaveCount(0)
      await expect(page.getByRole('navigation')).toHaveCount(0)
      const passphrase = page.getByLabel('Passphrase', { exact: true })
      await expect(passphrase).toBeFocused()
      await expect(passphrase).toHaveAttribute('type', 'password')
      await expect(passphrase).toHaveAttribute('autocomplete', 'off')
      expect(await page.content()).not.toContain(name)
      await expectNoViolations(page, `the lock screen (${scheme})`)
      await shoot(page, 'lock-screen', scheme)

      // Locked for over a day: the refresh planned a day before expiry happens at the sandbox, and the token that
      // would have expired meanwhile is a fresh one. Nothing of it reaches the page.
      const before = tokenRequests(credentials.id)
      await moveTime(page, dash, 6.5 * DAY)
      await expect.poll(() => tokenRequests(credentials.id)).toBe(before + 1)
      await moveTime(page, dash, DAY)
      const held = await dash.currentSecrets(library.id)
      const answer = await fetch(`${dash.sandbox.url}/api/v2/products/recipes/`, { headers: { authorization: `Bearer ${held.accessToken}` } })
      expect(answer.status).toBe(200)
      await expect(page.getByRole('heading', { name: 'Larder is locked' })).toBeVisible()
      expect(await page.content()).not.toContain(name)

      await passphrase.fill('not the passphrase at all')
      await page.keyboard.press('Enter')
      await expect(passphrase).toHaveAttribute('aria-invalid', 'true')
      await expect(passphrase).toHaveAccessibleDescription('That passphrase does not unlock Larder.')
      await shoot(page, 'lock-screen-wrong', scheme)

      await passphrase.fill(DEV_PASSPHRASE)
      await page.keyboard.press('Enter')
      await expect(grid(page)).toBeVisible()
      await expect(row(page, name).getByText('Healthy', { exact: true })).toBeVisible()
      await expect(row(page, name)).toContainText(/6 d|5 d 2\d h/)
      const html = await page.content()
      expect(html).not.toContain(DEV_PASSPHRASE)
      expect(html).not.toContain('not the passphrase at all')
      await expectNoSecretInPage(page, dash)
    })
  }

  for (const scheme of SCHEMES) {
    test(`More ways to lock offers Lock and forget the key with its warning; Settings has the lock's settings (${scheme})`, async ({ page }) => {
      test.setTimeout(120_000)
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
      await openDashboard(page, dash)
      await page.getByRole('button', { name: 'More ways to lock' }).click()
      const choices = page.getByRole('dialog', { name: 'Lock Larder' })
      await expect(choices.getByRole('button', { name: 'Lock and forget the key' })).toBeVisible()
      await expect(choices).toContainText('Refreshes stop until you unlock it with your passphrase')
      await expectNoViolations(page, `the lock choices (${scheme})`)
      await shoot(page, 'lock-choices', scheme)
      await page.keyboard.press('Escape')
      await expect(choices).toHaveCount(0)

      await page.getByRole('button', { name: 'Settings' }).click()
      await expect(page.getByLabel('Lock after this many idle minutes')).toHaveValue('15')
      await expect(page.getByLabel('Lock when the screen locks')).toBeChecked()
      await expect(page.getByText(/cannot tell how long this computer has been idle/)).toBeVisible()
      await page.getByRole('group', { name: 'Lock' }).scrollIntoViewIfNeeded()
      await expectNoViolations(page, `the settings (${scheme})`)
      await shoot(page, 'lock-settings', scheme)
      // The browser host's vault is a passphrase one: the lock takes the vault's passphrase, nothing to set.
      const section = page.getByRole('region', { name: 'Lock passphrase' })
      await section.scrollIntoViewIfNeeded()
      await expect(section).toContainText('unlocks with the vault’s passphrase')
      await shoot(page, 'lock-settings-passphrase', scheme)
    })
  }
})

/**
 * A keychain vault's Larder on a Mac, as far as the lock goes: Lock now is refused until a lock passphrase is set;
 * locked, Touch ID is offered (and does not confirm here), and after 5 wrong passphrases each try waits 5 s.
 */
async function installKeychainBridge(page: Page): Promise<void> {
  await page.addInitScript(() => {
    type Listener = (payload: unknown) => void
    const listeners = new Map<string, Set<Listener>>()
    let state: Record<string, unknown> = { state: 'open', cipher: 'keychain' }
    let lockPassphrase: string | null = null
    let failures = 0
    let retryAt: number | null = null
    const emit = (name: string, payload: unknown): void => {
      for (const listener of listeners.get(name) ?? []) listener(payload)
    }
    const guarded = (): Record<string, unknown> => ({
      state: 'guarded',
      cipher: 'keychain',
      since: Date.now() - 3 * 60_000,
      reason: 'idle',
      unlockWith: ['presence', 'passphrase'],
      failures,
      retryAt,
      waiting: null
    })
    const info = (): Record<string, unknown> => ({
      available: true,
      locked: state['state'] === 'guarded',
      passphrase: lockPassphrase === null ? 'none' : 'lock',
      presence: 'touch_id',
      idle: 'system',
      canForget: false,
      forgetNote: 'This vault is sealed by the system keychain, which hands its key back to Larder without asking you, so Larder cannot forget it.'
    })
    const refuse = (field: string, message: string) => ({ ok: false, error: { kind: 'invalid_input', field, message } })
    const answers: Record<string, (input: Record<string, unknown>) => unknown> = {
      'app.info': () => ({ ok: true, value: { name: 'Larder', version: 'test', host: 'browser' } }),
      'vault.state': () => ({ ok: true, value: state }),
      'libraries.list': () => ({ ok: true, value: [] }),
      'keys.list': () => ({ ok: true, value: { keys: [] } }),
      'settings.get': () => ({
        ok: true,
        value: {
          expiringSoonMs: 172_800_000,
          refreshAheadMs: 86_400_000,
          copyFreshnessMarginMs: 600_000,
          clipboardClearMs: 30_000,
          notifications: { expiring: true, failed: true, needsReauth: true },
          defaultApiBaseUrl: 'https://api.apicbase.com',
          lock: { idleMinutes: 15, onScreenLock: true, onSuspend: true }
        }
      }),
      'lock.info': () => ({ ok: true, value: info() }),
      'lock.now': () => {
        if (lockPassphrase === null)
          return refuse('passphrase', 'Choose a lock passphrase first: this vault is sealed by the system keychain, so the lock needs a passphrase of its own to unlock with.')
        state = guarded()
        return { ok: true, value: { state, note: 'Larder is locked.' } }
      },
      'lock.unlock': (input) => {
        if (input['presence'] === true) return refuse('presence', 'Touch ID did not confirm it was you: use the passphrase.')
        if (retryAt !== null && Date.now() < retryAt) return refuse('passphrase', 'Too many wrong passphrases: try again in a few seconds.')
        if (input['passphrase'] === lockPassphrase) {
          failures = 0
          retryAt = null
          state = { state: 'open', cipher: 'keychain' }
          setTimeout(() => emit('vault.state', state), 0)
          return { ok: true, value: state }
        }
        failures += 1
        retryAt = failures >= 5 ? Date.now() + 5_000 : null
        state = guarded()
        setTimeout(() => emit('vault.state', state), 0)
        return refuse('passphrase', 'That passphrase does not unlock Larder.')
      },
      'lock.setPassphrase': (input) => {
        lockPassphrase = String(input['passphrase'])
        return { ok: true, value: info() }
      }
    }
    const bridge = {
      host: 'browser',
      call(name: string, input: Record<string, unknown>) {
        const answer = answers[name]
        return Promise.resolve(answer ? answer(input) : { ok: false, error: { kind: 'internal', message: `The stand-in does not do ${name}` } })
      },
      on(name: string, listener: Listener) {
        const set = listeners.get(name) ?? new Set<Listener>()
        listeners.set(name, set)
        set.add(listener)
        return () => set.delete(listener)
      }
    }
    Object.defineProperty(globalThis, 'larder', { value: Object.freeze(bridge), enumerable: true })
  })
}

test.describe('a keychain vault', () => {
  let server: StaticServer
  test.beforeAll(async () => {
    server = await serveFolder(path.resolve('out/renderer'))
  })
  test.afterAll(async () => {
    await server.close()
  })

  for (const scheme of SCHEMES) {
    test(`Lock now (Ctrl+L) first asks for a lock passphrase, twice, then locks (${scheme})`, async ({ page }) => {
      test.setTimeout(120_000)
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
      await page.setViewportSize({ width: 1280, height: 800 })
      await installKeychainBridge(page)
      await page.goto(server.url)
      await expect(page.getByRole('button', { name: 'Lock now' })).toBeVisible()
      await page.keyboard.press('Control+l')
      const dialog = page.getByRole('dialog', { name: 'Choose a lock passphrase' })
      await expect(dialog).toBeVisible()
      await expect(dialog).toContainText('sealed by the system keychain')
      await expect(dialog.getByLabel('New lock passphrase')).toBeFocused()
      await expectNoViolations(page, `the lock passphrase dialog (${scheme})`)
      await shoot(page, 'set-lock-passphrase', scheme)

      await dialog.getByLabel('New lock passphrase').fill('too short')
      await dialog.getByLabel('Repeat the lock passphrase').fill('too short')
      await dialog.getByRole('button', { name: 'Set and lock' }).click()
      await expect(dialog.getByLabel('New lock passphrase')).toHaveAccessibleDescription(/at least 10 characters/)
      await expectNoViolations(page, `the lock passphrase dialog with an error (${scheme})`)
      await shoot(page, 'set-lock-passphrase-error', scheme)

      await dialog.getByLabel('New lock passphrase').fill('a long lock phrase')
      await dialog.getByLabel('Repeat the lock passphrase').fill('a long lock phrase')
      await dialog.getByRole('button', { name: 'Set and lock' }).click()
      await expect(page.getByRole('heading', { name: 'Larder is locked' })).toBeVisible()
      await expect(page.getByLabel('Lock passphrase', { exact: true })).toBeFocused()
      await expect(page.getByRole('dialog')).toHaveCount(0)
      expect(await page.content()).not.toContain('a long lock phrase')
      await expectNoViolations(page, `the keychain vault's lock screen (${scheme})`)
      await shoot(page, 'lock-screen-keychain', scheme)

      // Touch ID is offered first; when it does not confirm, the passphrase is asked for.
      await page.getByRole('button', { name: 'Unlock with Touch ID' }).click()
      await expect(page.getByRole('alert')).toHaveText('Touch ID did not confirm it was you: use the passphrase.')
      // Five wrong passphrases: Unlock waits as Larder says, then takes the right one.
      const passphrase = page.getByLabel('Lock passphrase', { exact: true })
      for (let i = 1; i <= 5; i++) {
        await passphrase.fill(`wrong guess number ${i}`)
        await page.getByRole('button', { name: 'Unlock', exact: true }).click()
        await expect(passphrase).toHaveAccessibleDescription('That passphrase does not unlock Larder.')
      }
      const unlock = page.getByRole('button', { name: 'Unlock', exact: true })
      await expect(page.getByText(/5 wrong passphrases: try again in [1-5] s/)).toBeVisible()
      await expect(unlock).toBeDisabled()
      await expectNoViolations(page, `the lock screen waiting after wrong passphrases (${scheme})`)
      await shoot(page, 'lock-screen-waiting', scheme)
      await expect(unlock).toBeEnabled({ timeout: 10_000 })
      await passphrase.fill('a long lock phrase')
      await unlock.click()
      await expect(page.getByRole('heading', { name: 'No libraries yet' })).toBeVisible()
    })
  }
})
