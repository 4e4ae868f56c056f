// The app lock (issue 17 item 5) through the whole app and the Apicbase sandbox: it guards people, not refreshes.
// Locked, the vault stays open and a token due during the lock is refreshed on time (the sandbox counts it), while no
// call but the lock's own, 'vault.state' and 'app.info' is answered and no library event reaches a window. It unlocks
// with the passphrase (wrong ones counted, audited, then slowed down), or Touch ID where there is one.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallName } from '../../../src/shared/contract.ts'
import { MIN_PASSPHRASE_LENGTH, PASSPHRASE_TOO_SHORT } from '../../../src/shared/passphrase-rule.ts'
import { DAY, HOUR, MINUTE, TEST_PASSPHRASE, lockEntries, startLockWorld, type LockWorld } from './lock-world.ts'

let world: LockWorld | null = null
afterEach(async () => {
  await world?.close()
  world = null
})

async function open(options: Parameters<typeof startLockWorld>[0] = {}): Promise<LockWorld> {
  world = await startLockWorld(options)
  return world
}

function expiresAt(w: LockWorld): number {
  const library = w.app.core()?.libraries.list().find((one) => one.id === w.library.id)
  if (library?.expiresAt == null) throw new Error('the library has no expiry')
  return library.expiresAt
}

/** Calls that carry library, key, settings or terminal data: each refused while locked. */
const REFUSED: readonly [CallName, unknown][] = [
  ['libraries.list', {}],
  ['libraries.listFirst', { count: 200, locale: 'en-GB' }],
  ['libraries.get', { id: 'x' }],
  ['libraries.copy', { id: 'x', format: 'token' }],
  ['libraries.refresh', { id: 'x' }],
  ['settings.get', {}],
  ['keys.list', {}],
  ['audit.page', { limit: 10 }],
  ['terminal.sessions', {}],
  ['vault.unlock', { passphrase: TEST_PASSPHRASE }],
  ['lock.setPassphrase', { passphrase: 'another long passphrase' }]
]

describe('the app lock on a passphrase vault', () => {
  it('locks now: tokens go on being refreshed (one that would expire during the lock is refreshed on time), nothing reaches the window until unlocked', async () => {
    const w = await open()
    const firstExpiry = expiresAt(w)
    const requestsBefore = w.tokenRequests()
    w.events.clear()

    let heard = 0
    w.app.lock?.onLocked(() => heard++)
    const locked = await w.handlers['lock.now']({})
    expect(heard).toBe(1)
    expect(locked).toMatchObject({ ok: true, value: { state: { state: 'guarded', cipher: 'passphrase', reason: 'now', unlockWith: ['passphrase'], failures: 0, retryAt: null, waiting: null } } })
    if (!locked.ok) throw new Error('not locked')
    expect(locked.value.note).toMatch(/refreshed/)
    expect(await w.handlers['vault.state']({})).toMatchObject({ ok: true, value: { state: 'guarded', since: w.clock.now() } })
    expect(await w.handlers['app.info']({})).toMatchObject({ ok: true })
    expect(await w.handlers['lock.info']({})).toMatchObject({ ok: true, value: { available: true, locked: true, passphrase: 'vault', canForget: true, idle: 'system', presence: null } })
    for (const [name, input] of REFUSED) {
      expect(await w.handlers[name](input as never), name).toEqual({ ok: false, error: { kind: 'locked', message: 'Larder is locked: unlock it to go on.' } })
    }

    // Eight days on, a day at a time: the access token's 7-day life ends during the lock.
    for (let day = 0; day < 8; day++) await w.advance(DAY)
    expect(w.clock.now()).toBeGreaterThan(firstExpiry)
    expect(w.app.lock?.guarded()).toBe(true)
    expect(w.tokenRequests()).toBeGreaterThan(requestsBefore)
    expect(expiresAt(w)).toBeGreaterThan(w.clock.now())
    expect(w.app.core()?.libraries.list()[0]?.status).toBe('healthy')
    // Only where Larder stands went out; no library's row, no copy.
    expect(new Set(w.events.all.map((event) => event.name))).toEqual(new Set(['vault.state']))
    expect(w.clipboard.text).toBeNull()

    const unlocked = await w.handlers['lock.unlock']({ passphrase: TEST_PASSPHRASE })
    expect(unlocked).toEqual({ ok: true, value: { state: 'open', cipher: 'passphrase' } })
    expect(w.events.of('vault.state').at(-1)).toEqual({ state: 'open', cipher: 'passphrase' })
    const row = await w.handlers['libraries.get']({ id: w.library.id })
    expect(row).toMatchObject({ ok: true, value: { expiresAt: expiresAt(w), status: 'healthy' } })
    // Events flow again once unlocked.
    w.events.clear()
    await w.handlers['libraries.refresh']({ id: w.library.id })
    await new Promise((resolve) => setImmediate(resolve))
    w.app.projection()?.flush()
    expect(w.events.of('library.changed').length).toBeGreaterThan(0)
    expect(await lockEntries(w)).toEqual([
      { action: 'locked', outcome: 'ok', detail: 'locked now, from the window' },
      { action: 'unlocked', outcome: 'ok', detail: 'the app lock, with the passphrase, in the window' }
    ])
  }, 60_000)

  it('holds back the answer of a call that was running when Larder locked', async () => {
    const w = await open()
    const refreshing = w.handlers['libraries.refresh']({ id: w.library.id })
    await w.handlers['lock.now']({})
    expect(await refreshing).toEqual({ ok: false, error: { kind: 'locked', message: 'Larder is locked: unlock it to go on.' } })
  })

  it('wrong passphrases change nothing, are counted and audited, and after five each try waits longer', async () => {
    const w = await open()
    await w.handlers['lock.now']({})
    for (let n = 1; n <= 5; n++) {
      expect(await w.handlers['lock.unlock']({ passphrase: `wrong passphrase ${n}` })).toEqual({
        ok: false,
        error: { kind: 'invalid_input', field: 'passphrase', message: 'That passphrase does not unlock Larder.' }
      })
    }
    const start = w.clock.now()
    expect(await w.handlers['vault.state']({})).toMatchObject({ ok: true, value: { state: 'guarded', failures: 5, retryAt: start + 5_000 } })
    // Too soon: refused without being checked or counted, even the right one.
    expect(await w.handlers['lock.unlock']({ passphrase: TEST_PASSPHRASE })).toMatchObject({ ok: false, error: { field: 'passphrase', message: 'Too many wrong passphrases: try again in 5 s.' } })
    await w.advance(5_000)
    expect(await w.handlers['lock.unlock']({ passphrase: 'wrong passphrase 6' })).toMatchObject({ ok: false, error: { field: 'passphrase' } })
    expect(await w.handlers['vault.state']({})).toMatchObject({ ok: true, value: { state: 'guarded', failures: 6, retryAt: w.clock.now() + 10_000 } })
    await w.advance(10_000)
    expect(await w.handlers['lock.unlock']({ passphrase: TEST_PASSPHRASE })).toMatchObject({ ok: true, value: { state: 'open' } })
    const entries = await lockEntries(w)
    expect(entries.filter((entry) => entry.action === 'unlocked' && entry.outcome === 'error').map((entry) => entry.detail)).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => `wrong passphrase for the app lock, in the window (${n} in a row)`)
    )
    // No passphrase, right or wrong, in the audit trail.
    const trail = fs.readFileSync(path.join(w.dir, 'audit.jsonl'), 'utf8')
    expect(trail).not.toContain('wrong passphrase 1')
    expect(trail).not.toContain(TEST_PASSPHRASE)
    // A new lock starts counting again.
    await w.handlers['lock.now']({})
    expect(await w.handlers['vault.state']({})).toMatchObject({ ok: true, value: { failures: 0, retryAt: null } })
  })

  it('idle: locks once this computer has had no input for the chosen minutes (0: never)', async () => {
    const w = await open()
    expect(await w.handlers['settings.update']({ lock: { idleMinutes: 5 } })).toMatchObject({ ok: true, value: { lock: { idleMinutes: 5, onScreenLock: true, onSuspend: true } } })
    w.idle.input()
    await w.advance(4 * MINUTE)
    w.idle.input() // the person types in another app: not idle
    await w.advance(4 * MINUTE)
    expect(w.app.lock?.guarded()).toBe(false)
    await w.advance(1 * MINUTE + 1_000)
    expect(await w.handlers['vault.state']({})).toMatchObject({ ok: true, value: { state: 'guarded', reason: 'idle' } })
    expect((await lockEntries(w)).at(-1)).toEqual({ action: 'locked', outcome: 'ok', detail: 'locked after 5 min without input' })

    await w.handlers['lock.unlock']({ passphrase: TEST_PASSPHRASE })
    await w.handlers['settings.update']({ lock: { idleMinutes: 0 } })
    await w.advance(3 * HOUR)
    expect(w.app.lock?.guarded()).toBe(false)
  })

  it('after sleep (its setting off) the idle time is read again at once: a timer stands still while asleep', async () => {
    const w = await open()
    await w.handlers['settings.update']({ lock: { onSuspend: false } })
    w.idle.input()
    // Asleep for two hours: the app's timers did not run, the system's idle time went on.
    w.clock.jump(2 * HOUR)
    expect(w.app.lock?.guarded()).toBe(false)
    w.app.wake()
    expect(await w.handlers['vault.state']({})).toMatchObject({ ok: true, value: { state: 'guarded', reason: 'idle' } })
  })

  it('the default: locks after 15 minutes idle', async () => {
    const w = await open()
    await w.advance(14 * MINUTE)
    expect(w.app.lock?.guarded()).toBe(false)
    await w.advance(MINUTE + 1_000)
    expect(w.app.lock?.guarded()).toBe(true)
  })

  it('locks when the screen locks and when the computer sleeps, each unless turned off', async () => {
    const w = await open()
    w.app.lock?.system('screen')
    expect(await w.handlers['vault.state']({})).toMatchObject({ ok: true, value: { state: 'guarded', reason: 'screen' } })
    await w.handlers['lock.unlock']({ passphrase: TEST_PASSPHRASE })
    w.app.lock?.system('suspend')
    expect(await w.handlers['vault.state']({})).toMatchObject({ ok: true, value: { state: 'guarded', reason: 'suspend' } })
    await w.handlers['lock.unlock']({ passphrase: TEST_PASSPHRASE })

    await w.handlers['settings.update']({ lock: { onScreenLock: false, onSuspend: false } })
    w.app.lock?.system('screen')
    w.app.lock?.system('suspend')
    expect(w.app.lock?.guarded()).toBe(false)
    expect((await lockEntries(w)).filter((entry) => entry.action === 'locked').map((entry) => entry.detail)).toEqual([
      'locked: the screen locked',
      'locked: the computer went to sleep'
    ])
  })

  it('lock and forget the key: the vault closes and refreshes stop until it is unlocked', async () => {
    const w = await open()
    await w.handlers['lock.now']({})
    const forgot = await w.handlers['lock.forget']({})
    expect(forgot).toMatchObject({ ok: true, value: { state: { state: 'locked', mode: 'unlock' } } })
    if (!forgot.ok) throw new Error('not forgotten')
    expect(forgot.value.note).toMatch(/no token is refreshed until you unlock/)
    expect(w.app.core()).toBeNull()
    expect(w.app.lock?.guarded()).toBe(false)
    expect(await w.handlers['libraries.list']({})).toMatchObject({ ok: false, error: { kind: 'vault' } })

    const requests = w.tokenRequests()
    for (let day = 0; day < 8; day++) await w.advance(DAY)
    expect(w.tokenRequests()).toBe(requests)

    expect(await w.handlers['vault.unlock']({ passphrase: TEST_PASSPHRASE })).toMatchObject({ ok: true, value: { state: 'open' } })
    // Open again: the expired token is refreshed at once.
    await w.advance(MINUTE)
    expect(w.tokenRequests()).toBeGreaterThan(requests)
    expect(expiresAt(w)).toBeGreaterThan(w.clock.now())
    const trail = fs.readFileSync(path.join(w.dir, 'audit.jsonl'), 'utf8')
    expect(trail).toContain('locked and the key forgotten, from the window: refreshes stop until the vault is unlocked')
  }, 60_000)

  it('a copy asked from the tray while locked waits for the unlock (a later one takes its place)', async () => {
    const w = await open()
    await w.handlers['lock.now']({})
    const lock = w.app.lock
    if (lock === null) throw new Error('no lock')
    let revealed = 0
    const copy = () => w.handlers['libraries.copy']({ id: w.library.id, format: 'token' })
    const first = lock.whenUnlocked(copy, () => revealed++)
    const second = lock.whenUnlocked(copy, () => revealed++)
    expect(await first).toEqual({ ok: false, error: { kind: 'locked', message: 'A later copy took its place.' } })
    expect(revealed).toBe(2)
    expect(await w.handlers['vault.state']({})).toMatchObject({ ok: true, value: { state: 'guarded', waiting: 'copy' } })
    expect(w.clipboard.text).toBeNull()
    await w.handlers['lock.unlock']({ passphrase: TEST_PASSPHRASE })
    expect(await second).toMatchObject({ ok: true, value: { libraryId: w.library.id, format: 'token' } })
    expect(w.clipboard.text).toBe((await w.app.core()?.vault.secrets(w.library.id, ['accessToken']))?.accessToken)
  })
})

describe('Touch ID (the presence prompt)', () => {
  it('is offered first, unlocks when confirmed, and a refusal changes nothing', async () => {
    const w = await open({ presence: true })
    expect(await w.handlers['lock.now']({})).toMatchObject({ ok: true, value: { state: { unlockWith: ['presence', 'passphrase'] } } })
    w.presence.answers = [false]
    expect(await w.handlers['lock.unlock']({ presence: true })).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'presence' } })
    expect(w.app.lock?.guarded()).toBe(true)
    w.presence.answers = [true]
    expect(await w.handlers['lock.unlock']({ presence: true })).toMatchObject({ ok: true, value: { state: 'open' } })
    expect(w.presence.asked).toEqual(['unlock Larder', 'unlock Larder'])
    expect((await lockEntries(w)).slice(-2)).toEqual([
      { action: 'unlocked', outcome: 'error', detail: 'Touch ID did not confirm, in the window; Larder stays locked' },
      { action: 'unlocked', outcome: 'ok', detail: 'the app lock, with Touch ID, in the window' }
    ])
  })

  it('asks first for a tray copy while locked, and copies once confirmed', async () => {
    const w = await open({ presence: true })
    await w.handlers['lock.now']({})
    w.presence.answers = [true]
    const copied = await w.app.lock?.whenUnlocked(() => w.handlers['libraries.copy']({ id: w.library.id, format: 'header' }), () => undefined)
    expect(copied).toMatchObject({ ok: true, value: { format: 'header' } })
    expect(w.clipboard.text).toMatch(/^Authorization: Bearer /)
    expect(w.app.lock?.guarded()).toBe(false)
  })

  it('without Touch ID enrolled the lock asks for the passphrase only', async () => {
    const w = await open({ presence: true })
    w.presence.offered = false
    expect(await w.handlers['lock.now']({})).toMatchObject({ ok: true, value: { state: { unlockWith: ['passphrase'] } } })
    expect(await w.handlers['lock.unlock']({ presence: true })).toMatchObject({ ok: false, error: { field: 'presence' } })
  })
})

describe('the app lock on a keychain vault', () => {
  it("takes a new lock passphrase of the window's least length and refuses one a character shorter, in the window's words", async () => {
    const w = await open({ keychain: true })
    const short = await w.handlers['lock.setPassphrase']({ passphrase: 'x'.repeat(MIN_PASSPHRASE_LENGTH - 1) })
    expect(short).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'passphrase', message: PASSPHRASE_TOO_SHORT } })
    expect(await w.handlers['lock.setPassphrase']({ passphrase: 'x'.repeat(MIN_PASSPHRASE_LENGTH) })).toMatchObject({ ok: true, value: { passphrase: 'lock' } })
  })

  it('needs a lock passphrase first, kept only as a verifier; cannot forget the key', async () => {
    const w = await open({ keychain: true })
    expect(await w.handlers['lock.info']({})).toMatchObject({ ok: true, value: { passphrase: 'none', canForget: false } })
    expect(await w.handlers['lock.now']({})).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'passphrase', message: expect.stringMatching(/^Choose a lock passphrase first/) } })
    // Without a lock passphrase nothing can lock it (it could not be unlocked).
    w.app.lock?.system('screen')
    await w.advance(20 * MINUTE)
    expect(w.app.lock?.guarded()).toBe(false)
    const forget = await w.handlers['lock.forget']({})
    expect(forget).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'forget', message: expect.stringMatching(/keychain/) } })

    expect(await w.handlers['lock.setPassphrase']({ passphrase: 'short' })).toMatchObject({ ok: false, error: { field: 'passphrase' } })
    const lockPassphrase = 'a lock passphrase of my own'
    expect(await w.handlers['lock.setPassphrase']({ passphrase: lockPassphrase })).toMatchObject({ ok: true, value: { passphrase: 'lock' } })
    // The window never sees the verifier; the file holds it, never the passphrase.
    const settings = await w.handlers['settings.get']({})
    expect(JSON.stringify(settings)).not.toMatch(/verifier|salt/)
    await w.app.core()?.vault.flush()
    const files = fs.readdirSync(w.dir).map((name) => fs.readFileSync(path.join(w.dir, name), 'utf8')).join('\n')
    expect(files).toContain('lockVerifier')
    expect(files).not.toContain(lockPassphrase)

    expect(await w.handlers['lock.now']({})).toMatchObject({ ok: true, value: { state: { state: 'guarded', cipher: 'keychain' } } })
    expect(await w.handlers['lock.unlock']({ passphrase: 'not the lock passphrase' })).toMatchObject({ ok: false, error: { field: 'passphrase' } })
    expect(await w.handlers['lock.unlock']({ passphrase: lockPassphrase })).toMatchObject({ ok: true, value: { state: 'open', cipher: 'keychain' } })

    // Changing it needs the one set now.
    expect(await w.handlers['lock.setPassphrase']({ passphrase: 'a newer lock passphrase' })).toMatchObject({ ok: false, error: { field: 'current' } })
    expect(await w.handlers['lock.setPassphrase']({ passphrase: 'a newer lock passphrase', current: 'a wrong one, surely' })).toMatchObject({ ok: false, error: { field: 'current' } })
    expect(await w.handlers['lock.setPassphrase']({ passphrase: 'a newer lock passphrase', current: lockPassphrase })).toMatchObject({ ok: true })
    w.app.lock?.system('screen')
    expect(await w.handlers['lock.unlock']({ passphrase: lockPassphrase })).toMatchObject({ ok: false })
    expect(await w.handlers['lock.unlock']({ passphrase: 'a newer lock passphrase' })).toMatchObject({ ok: true, value: { state: 'open' } })
    expect((await lockEntries(w)).filter((entry) => entry.action === 'settings_changed').map((entry) => entry.detail)).toEqual(['lock passphrase set', 'lock passphrase changed'])
  })

  it('with a lock passphrase set, Larder starts locked: quitting and starting again does not get round the lock', async () => {
    const w = await open({ keychain: true })
    await w.handlers['lock.setPassphrase']({ passphrase: 'a lock passphrase of my own' })
    await w.handlers['lock.now']({})
    const again = await w.restart()
    expect(again.state).toMatchObject({ state: 'open', cipher: 'keychain' })
    expect(await again.handlers['vault.state']({})).toMatchObject({ ok: true, value: { state: 'guarded', reason: 'start', cipher: 'keychain' } })
    expect(await again.handlers['libraries.list']({})).toMatchObject({ ok: false, error: { kind: 'locked' } })
    expect(await again.handlers['lock.unlock']({ passphrase: 'a lock passphrase of my own' })).toMatchObject({ ok: true, value: { state: 'open' } })
    expect(await again.handlers['libraries.list']({})).toMatchObject({ ok: true, value: [{ name: 'Brasserie Nord' }] })
  })

  it('a forgotten lock passphrase: with Larder closed, taking lockVerifier out of the vault file lets it start open (README)', async () => {
    const w = await open({ keychain: true })
    await w.handlers['lock.setPassphrase']({ passphrase: 'a lock passphrase nobody remembers' })
    const again = await w.restart(() => {
      const file = path.join(w.dir, 'vault.json')
      const content = JSON.parse(fs.readFileSync(file, 'utf8')) as { settings: Record<string, unknown> }
      expect(content.settings['lockVerifier']).toMatchObject({ kdf: 'scrypt' })
      delete content.settings['lockVerifier']
      fs.writeFileSync(file, JSON.stringify(content))
    })
    expect(await again.handlers['vault.state']({})).toEqual({ ok: true, value: { state: 'open', cipher: 'keychain' } })
    expect(await again.handlers['lock.info']({})).toMatchObject({ ok: true, value: { passphrase: 'none' } })
    expect(await again.handlers['libraries.list']({})).toMatchObject({ ok: true, value: [{ name: 'Brasserie Nord' }] })
  })

  it('without a lock passphrase it starts open, as before', async () => {
    const w = await open({ keychain: true })
    const again = await w.restart()
    expect(await again.handlers['vault.state']({})).toEqual({ ok: true, value: { state: 'open', cipher: 'keychain' } })
  })
})
