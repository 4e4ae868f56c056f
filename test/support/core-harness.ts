// A real Larder core for tests: the sandbox on loopback, a vault in a temp folder (conf + passphrase cipher),
// the undici client and the refresh engine on a manual clock that moves together with the sandbox's clock.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Conf from 'conf'
import { createApicbaseClient, type ApicbaseClient } from '../../src/main/core/apicbase/index.ts'
import { RefreshEngine, type RefreshEngineOptions } from '../../src/main/core/engine/refresh-engine.ts'
import { openAuditLog, type AuditLog } from '../../src/main/core/audit/index.ts'
import { LibraryService } from '../../src/main/core/libraries/library-service.ts'
import { unseenState } from '../../src/main/core/personal/personal-types.ts'
import type { LibraryMeta } from '../../src/main/core/model.ts'
import { createPassphraseCipher } from '../../src/main/core/vault/passphrase-cipher.ts'
import { openVault, type Vault } from '../../src/main/core/vault/index.ts'
import type { Cipher } from '../../src/main/core/vault/cipher.ts'
import { startSandbox, type LibraryCredentials, type Sandbox, type SandboxOptions } from '../sandbox/index.ts'
import { ManualClock } from './manual-clock.ts'
import { sandboxLibraryRecord } from './sandbox-records.ts'

export const TEST_PASSPHRASE = 'correct horse battery staple'
export const FAST_SCRYPT = { N: 1024, r: 8, p: 1 } as const

export interface Harness {
  readonly sandbox: Sandbox
  readonly clock: ManualClock
  readonly dir: string
  readonly vaultPath: string
  readonly cipher: Cipher
  readonly vault: Vault
  readonly client: ApicbaseClient
  readonly engine: RefreshEngine
  readonly audit: AuditLog
  readonly libraries: LibraryService
  /** Moves Larder's clock and the sandbox's together, firing Larder's timers on the way. */
  advance(ms: number): Promise<void>
  /** Stores a sandbox library in the vault as if it had just been added (token issued at the sandbox's start). */
  store(credentials: LibraryCredentials, overrides?: Partial<LibraryMeta>): Promise<string>
  close(): Promise<void>
}

export interface HarnessOptions {
  readonly sandbox?: SandboxOptions
  readonly engine?: Partial<Omit<RefreshEngineOptions, 'vault' | 'client' | 'clock' | 'audit'>>
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const clock = new ManualClock()
  const sandbox = await startSandbox({ startTime: clock.now(), ...options.sandbox })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-core-'))
  const vaultPath = path.join(dir, 'vault.json')
  const { cipher } = await createPassphraseCipher(TEST_PASSPHRASE, undefined, { cost: FAST_SCRYPT })
  const vault = await openVault({
    path: vaultPath,
    openStore: () => new Conf({ cwd: dir, configName: 'vault', configFileMode: 0o600 }),
    cipher,
    now: () => clock.now()
  })
  const client = createApicbaseClient({ now: () => clock.now() })
  const audit = await openAuditLog({ path: path.join(dir, 'audit.jsonl'), now: () => clock.now() })
  const engine = new RefreshEngine({ vault, client, clock, audit, random: () => 0.5, ...options.engine })
  // These tests hold no personal token: every record's personal state is the unseen one.
  const libraries = new LibraryService({ vault, client, engine, clock, audit, personal: { state: unseenState } })
  clock.settleWith = () => engine.settled()
  engine.start()
  let next = 0
  return {
    sandbox,
    clock,
    dir,
    vaultPath,
    cipher,
    vault,
    client,
    engine,
    audit,
    libraries,
    async advance(ms) {
      sandbox.clock.advance(ms)
      await clock.advance(ms)
      await engine.settled()
    },
    async store(credentials, overrides = {}) {
      const id = `lib-${++next}`
      const issuedAt = clock.now()
      const record = sandboxLibraryRecord(credentials, { id, apiBaseUrl: sandbox.url, issuedAt })
      await vault.add({ ...record.meta, ...overrides }, record.secrets)
      engine.track(id)
      return id
    },
    async close() {
      engine.stop()
      await vault.close().catch(() => undefined)
      await audit.close()
      await client.close()
      await sandbox.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** Every secret the sandbox knows for a library, for "never in clear" checks. */
export function secretsOf(credentials: LibraryCredentials): string[] {
  return [credentials.clientSecret, credentials.accessToken, credentials.refreshToken]
}

/** Every file under `dir`, read as text. */
export function readTree(dir: string): string {
  let text = ''
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) text += fs.readFileSync(path.join(entry.parentPath, entry.name), 'latin1')
  }
  return text
}
