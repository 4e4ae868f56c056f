// Machines for the estate's tests: each a whole Larder app (createLarderApp, a passphrase vault in its own temp folder,
// the undici client) on ONE Apicbase sandbox and ONE manual clock, so a backup made on one can be restored on another
// and the sandbox sees every request either makes. Handlers' answers and events are checked against the contract.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Conf from 'conf'
import { createLarderApp, type LarderApp } from '../../../src/main/app/create-app.ts'
import type { Handlers } from '../../../src/main/app/handlers.ts'
import type { EstateActions } from '../../../src/main/app/use-cases/backup.ts'
import { createApicbaseClient, type ApicbaseClient } from '../../../src/main/core/apicbase/index.ts'
import type { LarderCore } from '../../../src/main/core/larder-core.ts'
import { startSandbox, type LibraryCredentials, type Sandbox } from '../../sandbox/index.ts'
import { checkedHandlers, checkEvents } from '../../support/contract-check.ts'
import { FAST_SCRYPT, TEST_PASSPHRASE } from '../../support/core-harness.ts'
import { ManualClock } from '../../support/manual-clock.ts'
import { createMemoryClipboard } from '../../browser-host/assemble.ts'

export const HOUR = 3_600_000
export const DAY = 24 * HOUR
export const BACKUP_PASSPHRASE = 'a backup passphrase of words'

export interface Machine {
  readonly name: string
  readonly dir: string
  readonly app: LarderApp
  readonly core: LarderCore
  readonly handlers: Handlers
  readonly estate: EstateActions
  readonly client: ApicbaseClient
  /** A library added through the app's own use case (checked with a refresh, as a person adds one). */
  add(name: string): Promise<{ readonly id: string; readonly credentials: LibraryCredentials }>
  close(): Promise<void>
}

export interface EstateWorld {
  readonly sandbox: Sandbox
  readonly clock: ManualClock
  readonly machines: Machine[]
  machine(name: string): Promise<Machine>
  /** Moves every machine's clock and the sandbox's together, firing timers on the way. */
  advance(ms: number): Promise<void>
  /** Token-endpoint requests the sandbox has seen so far, and how many were refused as a reuse (invalid_grant). */
  tokenHits(): { readonly total: number; readonly refused: number }
  close(): Promise<void>
}

export async function startEstateWorld(): Promise<EstateWorld> {
  const clock = new ManualClock()
  const sandbox = await startSandbox({ startTime: clock.now(), rateLimitPerMinute: false })
  const machines: Machine[] = []
  clock.settleWith = async () => {
    for (const m of machines) await m.core.engine.settled()
  }
  const world: EstateWorld = {
    sandbox,
    clock,
    machines,
    async machine(name) {
      const made = await startMachine(name, sandbox, clock)
      machines.push(made)
      return made
    },
    async advance(ms) {
      sandbox.clock.advance(ms)
      await clock.advance(ms)
    },
    tokenHits() {
      const hits = sandbox.counters.hits.filter((hit) => hit.route === 'token')
      return { total: hits.length, refused: hits.filter((hit) => hit.status === 400).length }
    },
    async close() {
      for (const m of machines) await m.close()
      await sandbox.close()
    }
  }
  return world
}

async function startMachine(name: string, sandbox: Sandbox, clock: ManualClock): Promise<Machine> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `larder-estate-${name}-`))
  const client = createApicbaseClient({ now: () => clock.now() })
  const clipboard = createMemoryClipboard(clock)
  const app = createLarderApp({
    info: { name: 'Larder', version: '0.0.0-test', host: 'browser' },
    storage: { vaultPath: path.join(dir, 'vault.json'), auditPath: path.join(dir, 'audit.jsonl'), openStore: () => new Conf({ cwd: dir, configName: 'vault', configFileMode: 0o600 }) },
    keychain: null,
    clipboard: clipboard.sink,
    clock,
    http: client,
    scryptCost: FAST_SCRYPT,
    tuning: { engine: { random: () => 0.5 } }
  })
  checkEvents(app.events)
  if ((await app.start()).state === 'locked') await app.session.unlock(TEST_PASSPHRASE)
  const core = app.core()
  const actions = app.actions()
  if (core === null || actions === null) throw new Error(`machine ${name} did not open`)
  return {
    name,
    dir,
    app,
    core,
    handlers: checkedHandlers(app.handlers),
    estate: actions.estate,
    client,
    async add(libraryName) {
      const credentials = sandbox.addLibraryWithApplication({ name: libraryName })
      const { tokenType, clientId, clientSecret, accessToken, refreshToken } = credentials
      const library = await actions.add({ tokenType, name: libraryName, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: sandbox.url })
      return { id: library.id, credentials }
    },
    async close() {
      clipboard.dispose()
      await app.close().catch(() => undefined)
      await client.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** A call's answer through the checked handlers: the value, or the refusal thrown as an Error with its kind and field. */
export async function call<T>(handlers: Handlers, name: keyof Handlers, input: unknown): Promise<T> {
  const result = (await handlers[name](input)) as unknown as { ok: boolean; value?: T; error?: { kind: string; field?: string; message: string } }
  if (result.ok) return result.value as T
  const error = new Error(result.error?.message) as Error & { kind?: string; field?: string }
  error.kind = result.error?.kind
  error.field = result.error?.field
  throw error
}
