// A LarderCore (refresh engine, health checks, library service) against the sandbox on loopback, on a manual clock that
// moves with the sandbox's, with a deterministic random source for the spread of health checks. Libraries are added
// the way a person adds them (pasted, checked with a refresh). For the health-check and rate-limit tests.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Conf from 'conf'
import { toLibraryView } from '../../src/main/app/views.ts'
import { createApicbaseClient, type ApicbaseClient } from '../../src/main/core/apicbase/index.ts'
import { openAuditLog } from '../../src/main/core/audit/index.ts'
import { LarderCore, type LarderCoreOptions } from '../../src/main/core/larder-core.ts'
import { createPassphraseCipher } from '../../src/main/core/vault/passphrase-cipher.ts'
import { openVault } from '../../src/main/core/vault/index.ts'
import type { LibraryView } from '../../src/shared/contract.ts'
import { startSandbox, type LibraryCredentials, type Sandbox, type SandboxOptions } from '../sandbox/index.ts'
import { createRng } from '../sandbox/rng.ts'
import { FAST_SCRYPT, TEST_PASSPHRASE } from './core-harness.ts'
import { ManualClock } from './manual-clock.ts'

const HOUR = 3_600_000

export interface HealthHarness {
  readonly sandbox: Sandbox
  readonly clock: ManualClock
  readonly core: LarderCore
  readonly client: ApicbaseClient
  readonly dir: string
  /** Adds a sandbox library as a person would (pasted pair, checked with a refresh); answers its id. */
  add(credentials: LibraryCredentials): Promise<string>
  view(id: string): LibraryView
  /** Moves both clocks, firing Larder's timers on the way and letting checks and refreshes finish between them. */
  advance(ms: number): Promise<void>
  /** The reads of recipes or outlets the sandbox saw for a sandbox library (Larder's checks, or anyone's). */
  checks(libraryId: number): number[]
  /** When each health check of a library that came to a result was made, on Larder's clock. */
  checkTimes(id: string): number[]
  close(): Promise<void>
}

export interface HealthHarnessOptions {
  readonly sandbox?: SandboxOptions
  readonly core?: Pick<LarderCoreOptions, 'engine' | 'health'>
}

/** A small deterministic random source (the sandbox's mulberry32), so "spread out" is the same on every run. */
export const seededRandom = createRng

export async function startHealthHarness(options: HealthHarnessOptions = {}): Promise<HealthHarness> {
  const clock = new ManualClock()
  const sandbox = await startSandbox({ startTime: clock.now(), ...options.sandbox })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-health-'))
  const { cipher } = await createPassphraseCipher(TEST_PASSPHRASE, undefined, { cost: FAST_SCRYPT })
  const vault = await openVault({
    path: path.join(dir, 'vault.json'),
    openStore: () => new Conf({ cwd: dir, configName: 'vault', configFileMode: 0o600 }),
    cipher,
    now: () => clock.now()
  })
  const audit = await openAuditLog({ path: path.join(dir, 'audit.jsonl'), now: () => clock.now() })
  const client = createApicbaseClient({ now: () => clock.now() })
  const core = new LarderCore({
    vault,
    audit,
    client,
    clock,
    engine: { random: () => 0.5, ...options.core?.engine },
    health: { random: seededRandom(13), ...options.core?.health }
  })
  const checked = new Map<string, number[]>()
  core.health.on('checked', ({ id, result }) => checked.set(id, [...(checked.get(id) ?? []), result.at]))
  clock.settleWith = async () => {
    await core.engine.settled()
    await core.health.settled()
  }
  core.start()
  return {
    sandbox,
    clock,
    core,
    client,
    dir,
    async add(credentials) {
      const { tokenType, name, clientId, clientSecret, accessToken, refreshToken } = credentials
      const added = await core.libraries.add({ tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: sandbox.url })
      core.connected(added)
      return added.library.id
    },
    view: (id) => toLibraryView(core.libraries.get(id)),
    async advance(ms) {
      // In steps of at most an hour, so the sandbox's clock is never far ahead of Larder's while timers fire.
      for (let left = ms; left > 0; left -= HOUR) {
        const step = Math.min(left, HOUR)
        sandbox.clock.advance(step)
        await clock.advance(step)
      }
    },
    checkTimes: (id) => checked.get(id) ?? [],
    checks(libraryId) {
      return sandbox.counters.hits.filter((hit) => (hit.route === 'recipes' || hit.route === 'outlets') && hit.libraryId === libraryId).map((hit) => hit.at)
    },
    async close() {
      await core.close().catch(() => undefined)
      await client.close()
      await sandbox.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}
