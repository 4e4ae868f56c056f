// The whole app for the app lock's tests, built through the same factory as every host: the Apicbase sandbox on
// loopback, a vault in a temp folder (a passphrase vault, or one sealed by a stand-in for the OS keychain), a manual
// clock moving with the sandbox's, and the lock's ports as fakes a test drives: the system's idle time (input "now"
// moves it back to 0) and a user-presence prompt that answers as told. Every answer and event is checked against the
// contract.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Conf from 'conf'
import { createLarderApp, type LarderApp } from '../../../src/main/app/create-app.ts'
import type { Handlers } from '../../../src/main/app/handlers.ts'
import type { AppPorts, IdlePort, PresencePort, TerminalPolicy } from '../../../src/main/app/ports.ts'
import type { VaultState } from '../../../src/shared/contract.ts'
import { createApicbaseClient } from '../../../src/main/core/apicbase/index.ts'
import { createPassphraseCipher } from '../../../src/main/core/vault/passphrase-cipher.ts'
import type { Cipher } from '../../../src/main/core/vault/cipher.ts'
import { createMemoryClipboard, type MemoryClipboard } from '../../browser-host/assemble.ts'
import { startSandbox, type LibraryCredentials, type Sandbox } from '../../sandbox/index.ts'
import { checkedHandlers, checkEvents, type EventLog } from '../../support/contract-check.ts'
import { FAST_SCRYPT, TEST_PASSPHRASE } from '../../support/core-harness.ts'
import { ManualClock } from '../../support/manual-clock.ts'

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR
export { TEST_PASSPHRASE }

/** The system's idle time, as a test sets it: seconds since the last `input()`. */
export class FakeIdle implements IdlePort {
  #lastInput: number
  readonly #clock: ManualClock
  constructor(clock: ManualClock) {
    this.#clock = clock
    this.#lastInput = clock.now()
  }
  input(): void {
    this.#lastInput = this.#clock.now()
  }
  seconds(): number {
    return (this.#clock.now() - this.#lastInput) / 1000
  }
}

/** Touch ID as a test scripts it: each prompt takes the next answer (true: confirmed). */
export class FakePresence implements PresencePort {
  readonly kind = 'touch_id' as const
  readonly asked: string[] = []
  answers: boolean[] = []
  offered = true
  available(): boolean {
    return this.offered
  }
  async confirm(reason: string): Promise<boolean> {
    this.asked.push(reason)
    return this.answers.shift() ?? false
  }
}

export interface LockWorld {
  readonly sandbox: Sandbox
  readonly clock: ManualClock
  readonly dir: string
  readonly app: LarderApp
  /** The ports the app was built with (another app on the same folder: a restart, an agent). */
  readonly ports: AppPorts
  readonly handlers: Handlers
  readonly events: EventLog
  readonly clipboard: MemoryClipboard
  readonly idle: FakeIdle
  readonly presence: FakePresence
  /** The library added before the test starts, and its sandbox credentials. */
  readonly library: { readonly id: string; readonly credentials: LibraryCredentials }
  /** Token requests the sandbox has had for the library's family. */
  tokenRequests(): number
  advance(ms: number): Promise<void>
  /** Quits this app and starts another on the same folder (and the same keychain): what it says at its start. */
  restart(whileClosed?: () => void): Promise<{ readonly app: LarderApp; readonly handlers: Handlers; readonly state: VaultState }>
  close(): Promise<void>
}

export interface LockWorldOptions {
  /** Seal the vault with a stand-in for the OS keychain instead of a passphrase. */
  readonly keychain?: boolean
  /** Offer the presence prompt (Touch ID). */
  readonly presence?: boolean
  readonly terminalPolicy?: TerminalPolicy
}

/** A cipher of another kind, as Electron's safeStorage would be. */
async function fakeKeychain(): Promise<Cipher> {
  const { cipher } = await createPassphraseCipher('the keychain stand-in secret', undefined, { cost: FAST_SCRYPT })
  return { kind: 'safe-storage', encrypt: (plain) => cipher.encrypt(plain), decrypt: (sealed) => cipher.decrypt(sealed) }
}

export async function startLockWorld(options: LockWorldOptions = {}): Promise<LockWorld> {
  const clock = new ManualClock()
  const sandbox = await startSandbox({ startTime: clock.now(), rateLimitPerMinute: false })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-lock-'))
  const clipboard = createMemoryClipboard(clock)
  const client = createApicbaseClient({ now: () => clock.now() })
  const idle = new FakeIdle(clock)
  const presence = new FakePresence()
  const ports: AppPorts = {
    info: { name: 'Larder', version: '0.0.0-test', host: 'browser' },
    storage: { vaultPath: path.join(dir, 'vault.json'), auditPath: path.join(dir, 'audit.jsonl'), openStore: () => new Conf({ cwd: dir, configName: 'vault', configFileMode: 0o600 }) },
    keychain: options.keychain === true ? await fakeKeychain() : null,
    clipboard: clipboard.sink,
    clock,
    http: client,
    scryptCost: FAST_SCRYPT,
    tuning: { engine: { random: () => 0.5 } },
    idle,
    ...(options.presence === true ? { presence } : {}),
    terminal: { policy: options.terminalPolicy ?? 'allow' }
  }
  const app = createLarderApp(ports)
  let later: LarderApp | null = null
  const events = checkEvents(app.events)
  const state = await app.start()
  if (state.state === 'locked') await app.session.unlock(TEST_PASSPHRASE)
  const core = app.core()
  if (core === null) throw new Error(`the test vault did not open: ${JSON.stringify(app.session.state())}`)
  clock.settleWith = async () => {
    await app.core()?.engine.settled()
  }
  const handlers = checkedHandlers(app.handlers)
  const credentials = sandbox.addLibraryWithApplication({ name: 'Brasserie Nord' })
  const { tokenType, clientId, clientSecret, accessToken, refreshToken } = credentials
  const added = await handlers['libraries.add']({ tokenType, name: 'Brasserie Nord', clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: sandbox.url })
  if (!added.ok) throw new Error(`the library was not added: ${added.error.message}`)
  return {
    sandbox,
    clock,
    dir,
    app,
    ports,
    handlers,
    events,
    clipboard: clipboard.state,
    idle,
    presence,
    library: { id: added.value.id, credentials },
    tokenRequests: () => sandbox.counters.hits.filter((hit) => hit.route === 'token' && hit.familyId === credentials.familyId).length,
    async advance(ms) {
      sandbox.clock.advance(ms)
      await clock.advance(ms)
    },
    async restart(whileClosed) {
      await app.close()
      await later?.close()
      whileClosed?.()
      later = createLarderApp(ports)
      const state = await later.start()
      return { app: later, handlers: checkedHandlers(later.handlers), state }
    },
    async close() {
      clipboard.dispose()
      await app.close().catch(() => undefined)
      await later?.close().catch(() => undefined)
      await client.close()
      await sandbox.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** The audit trail's entries about the lock, oldest first. */
export async function lockEntries(world: LockWorld): Promise<{ action: string; outcome: string; detail?: string }[]> {
  const core = world.app.core()
  if (core === null) throw new Error('the vault is not open')
  const { entries } = await core.audit.page({ limit: 500 })
  return entries
    .filter((entry) => entry.action === 'locked' || (entry.action === 'unlocked' && /app lock|Touch ID|one call/.test(entry.detail ?? '')) || (entry.action === 'settings_changed' && entry.detail?.includes('lock passphrase') === true))
    .map(({ action, outcome, detail }) => ({ action, outcome, ...(detail === undefined ? {} : { detail }) }))
    .reverse()
}
