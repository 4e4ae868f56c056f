// A whole Larder core for tests of features that span its parts (personal tokens, OAuth): the sandbox on loopback,
// a passphrase vault in a temp folder (or a copy of a given one), the audit trail, an in-memory clipboard, the undici
// client, and one manual clock that moves together with the sandbox's.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Conf from 'conf'
import { openAuditLog } from '../../src/main/core/audit/index.ts'
import { createApicbaseClient } from '../../src/main/core/apicbase/index.ts'
import { LarderCore, type LarderCoreOptions } from '../../src/main/core/larder-core.ts'
import { createPassphraseCipher } from '../../src/main/core/vault/passphrase-cipher.ts'
import { openVault, readVaultHeader, type Vault } from '../../src/main/core/vault/index.ts'
import { createHandlers, type Handlers } from '../../src/main/ipc.ts'
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
  readonly core: LarderCore
  readonly handlers: Handlers
  readonly clipboard: MemoryClipboard
  /** Moves Larder's clock and the sandbox's together, firing Larder's timers on the way. */
  advance(ms: number): Promise<void>
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
  /** Default: the manual clock's own default start. */
  readonly start?: number
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
  const header = readVaultHeader(vaultPath)
  const { cipher } = await createPassphraseCipher(options.passphrase ?? TEST_PASSPHRASE, header?.cipher as Parameters<typeof createPassphraseCipher>[1], { cost: FAST_SCRYPT })
  const vault = await openVault({
    path: vaultPath,
    openStore: () => new Conf({ cwd: dir, configName: 'vault', configFileMode: 0o600 }),
    cipher,
    now: () => clock.now()
  })
  const audit = await openAuditLog({ path: path.join(dir, 'audit.jsonl'), now: () => clock.now() })
  const clipboard = createMemoryClipboard(clock)
  const client = createApicbaseClient({ now: () => clock.now() })
  const core = new LarderCore({
    vault,
    audit,
    sink: clipboard.sink,
    client,
    clock,
    engine: { random: () => 0.5, ...options.core?.engine },
    ...(options.core?.personal ? { personal: options.core.personal } : {})
  })
  clock.settleWith = () => core.engine.settled()
  core.start()
  const handlers = createHandlers(core, { name: 'Larder', version: '0.0.0-test', host: 'browser' })
  const advance = async (ms: number): Promise<void> => {
    sandbox.clock.advance(ms)
    await clock.advance(ms)
  }
  return {
    sandbox,
    clock,
    dir,
    vaultPath,
    vault,
    core,
    handlers,
    clipboard: clipboard.state,
    advance,
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
      await core.close().catch(() => undefined)
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
