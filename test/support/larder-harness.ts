// A whole Larder app for tests of features that span its parts (personal tokens, OAuth), built through the same
// factory as every host: the sandbox on loopback, a passphrase vault in a temp folder (or a copy of a given one), the
// audit trail, an in-memory clipboard, the undici client, and one manual clock that moves with the sandbox's. Every
// answer of its handlers and every event of its stream is checked against the contract's schemas.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Conf from 'conf'
import type { Dispatcher } from 'undici'
import type { Actions } from '../../src/main/app/actions.ts'
import { createLarderApp, type LarderApp } from '../../src/main/app/create-app.ts'
import type { Handlers } from '../../src/main/app/handlers.ts'
import type { AppPorts } from '../../src/main/app/ports.ts'
import { createApicbaseClient } from '../../src/main/core/apicbase/index.ts'
import type { LarderCore, LarderCoreOptions } from '../../src/main/core/larder-core.ts'
import type { Vault } from '../../src/main/core/vault/index.ts'
import { checkedHandlers, checkEvents, type EventLog } from './contract-check.ts'
import { createMemoryClipboard, type MemoryClipboard } from '../browser-host/assemble.ts'
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/index.ts'
import { FAST_SCRYPT, TEST_PASSPHRASE } from './core-harness.ts'
import { ManualClock } from './manual-clock.ts'

export interface LarderHarness {
  readonly sandbox: Sandbox
  readonly clock: ManualClock
  readonly dir: string
  readonly vaultPath: string
  readonly vault: Vault
  readonly app: LarderApp
  readonly core: LarderCore
  /** The use cases bound to the open core. */
  readonly actions: Actions
  /** The app's handlers, each answer checked against the contract. */
  readonly handlers: Handlers
  /** Every event the app emitted so far, each checked against the contract. */
  readonly events: EventLog
  readonly clipboard: MemoryClipboard
  /** Moves Larder's clock and the sandbox's together, firing Larder's timers on the way. */
  advance(ms: number): Promise<void>
  /** Resolves after the current event-loop turn, once the app has handed out the views it changed. */
  nextTurn(): Promise<void>
  /**
   * Until `done()`: lets real I/O run, then moves both clocks to the next timer Larder set (at most `maxStepMs`
   * ahead), so work waiting on a budget goes out at exactly the time Larder planned, on both clocks.
   */
  pump(done: () => boolean, maxStepMs?: number, maxSteps?: number): Promise<void>
  close(): Promise<void>
}

export interface LarderHarnessOptions {
  readonly sandbox?: SandboxOptions
  /** A folder holding a vault to copy and open (its passphrase in `passphrase`). */
  readonly copyFrom?: string
  readonly passphrase?: string
  readonly core?: Pick<LarderCoreOptions, 'engine' | 'personal'>
  /** A tray and notifications, where a test watches them. */
  readonly ports?: Pick<AppPorts, 'tray' | 'notifier'>
  /** Default: the manual clock's own default start. */
  readonly start?: number
  /** The HTTP client's dispatcher (e.g. one routing other hosts to the sandbox); the test closes it. */
  readonly dispatcher?: (sandbox: Sandbox) => Dispatcher
}

export async function startLarder(options: LarderHarnessOptions = {}): Promise<LarderHarness> {
  const clock = new ManualClock(options.start)
  const sandbox = await startSandbox({ startTime: clock.now(), ...options.sandbox })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-whole-'))
  if (options.copyFrom) {
    for (const name of fs.readdirSync(options.copyFrom)) {
      if (name.startsWith('vault.json')) fs.copyFileSync(path.join(options.copyFrom, name), path.join(dir, name))
    }
  }
  const vaultPath = path.join(dir, 'vault.json')
  const clipboard = createMemoryClipboard(clock)
  const client = createApicbaseClient({ now: () => clock.now(), ...(options.dispatcher ? { dispatcher: options.dispatcher(sandbox) } : {}) })
  const app = createLarderApp({
    info: { name: 'Larder', version: '0.0.0-test', host: 'browser' },
    storage: { vaultPath, auditPath: path.join(dir, 'audit.jsonl'), openStore: () => new Conf({ cwd: dir, configName: 'vault', configFileMode: 0o600 }) },
    keychain: null,
    clipboard: clipboard.sink,
    clock,
    http: client,
    scryptCost: FAST_SCRYPT,
    tuning: { engine: { random: () => 0.5, ...options.core?.engine }, ...(options.core?.personal ? { personal: options.core.personal } : {}) },
    ...options.ports
  })
  const events = checkEvents(app.events)
  const state = await app.start()
  if (state.state === 'locked') await app.session.unlock(options.passphrase ?? TEST_PASSPHRASE)
  const core = app.core()
  const actions = app.actions()
  if (core === null || actions === null) throw new Error(`the test vault did not open: ${JSON.stringify(app.session.state())}`)
  clock.settleWith = async () => {
    await core.engine.settled()
    await core.keyWatch.settled()
  }
  const handlers = checkedHandlers(app.handlers)
  const advance = async (ms: number): Promise<void> => {
    sandbox.clock.advance(ms)
    await clock.advance(ms)
  }
  return {
    sandbox,
    clock,
    dir,
    vaultPath,
    vault: core.vault,
    app,
    core,
    actions,
    handlers,
    events,
    clipboard: clipboard.state,
    advance,
    // A batch inside a burst waits for its frame (the projection's pace): hand it out now rather than sleep for it.
    nextTurn: async () => {
      await new Promise((resolve) => setImmediate(resolve))
      app.projection()?.flush()
    },
    async pump(done, maxStepMs = 60_000, maxSteps = 100_000) {
      // Time moves only once the requests have gone quiet: what is left is waiting for a timer.
      let seen = sandbox.counters.hits.length
      for (let step = 0; !done(); step++) {
        if (step >= maxSteps) throw new Error(`pump: still not done after ${maxSteps} steps`)
        await new Promise((resolve) => setTimeout(resolve, 15))
        if (done()) break
        const now = sandbox.counters.hits.length
        if (now !== seen) {
          seen = now
          continue
        }
        const next = clock.nextTimerAt
        if (next !== null) await advance(Math.min(Math.max(0, next - clock.now()), maxStepMs))
      }
    },
    async close() {
      clipboard.dispose()
      await app.close().catch(() => undefined)
      await client.close()
      await sandbox.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** Settles when `promise` does, recording that it did (for `pump`). */
export function tracked<T>(promise: Promise<T>): { readonly promise: Promise<T>; done(): boolean } {
  let settled = false
  const watched = promise.finally(() => {
    settled = true
  })
  watched.catch(() => undefined)
  return { promise: watched, done: () => settled }
}
