// What the tampering tests are built from: the sandbox, a recording server standing in for the attacker's, and a
// vault with its refresh engine that a test can close and open again on the same files (as a restart would).
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import Conf from 'conf'
import { createApicbaseClient, type ApicbaseClient } from '../../../src/main/core/apicbase/index.ts'
import { RefreshEngine } from '../../../src/main/core/engine/refresh-engine.ts'
import type { LibraryMeta } from '../../../src/main/core/model.ts'
import { createPassphraseCipher } from '../../../src/main/core/vault/passphrase-cipher.ts'
import { openVault, restoreBackup, type OpenVaultOptions, type Vault } from '../../../src/main/core/vault/index.ts'
import type { Cipher } from '../../../src/main/core/vault/cipher.ts'
import { startSandbox, type Sandbox } from '../../sandbox/index.ts'
import { ManualClock } from '../../support/manual-clock.ts'
import { NO_AUDIT } from '../../support/no-audit.ts'
import { sandboxLibraryRecord } from '../../support/sandbox-records.ts'

/** A server that answers every request as a token endpoint would, and counts what reached it. */
export interface Recorder {
  readonly url: string
  /** Requests received (method and path only: the body would hold the secrets it was sent). */
  readonly requests: string[]
  close(): Promise<void>
}

export async function startRecorder(): Promise<Recorder> {
  const requests: string[] = []
  const server = http.createServer((request, response) => {
    requests.push(`${request.method ?? '?'} ${request.url ?? '?'}`)
    request.resume()
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' })
      // The stolen pair "comes back healthy": a well-formed answer with tokens of the attacker's choosing.
      response.end(JSON.stringify({ access_token: 'attacker-access-token', refresh_token: 'attacker-refresh-token', expires_in: 604800, token_type: 'Bearer', scope: 'library accounts' }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

export interface World {
  readonly sandbox: Sandbox
  readonly recorder: Recorder
  readonly clock: ManualClock
  readonly dir: string
  readonly vaultPath: string
  readonly cipher: Cipher
  readonly client: ApicbaseClient
  /** The vault and engine opened last (null once closed). */
  vault: Vault | null
  engine: RefreshEngine | null
  /** Opens the vault on the files as they are (a restart), with an engine over it. */
  open(): Promise<{ vault: Vault; engine: RefreshEngine }>
  /** restoreBackup on the files as they are, with an engine over the result. */
  restore(): Promise<{ vault: Vault; engine: RefreshEngine }>
  /** Closes the vault and engine opened last. */
  shut(): Promise<void>
  /** Stores sandbox library `index` under `id` as Larder would right after adding it. */
  store(id: string, index?: number, overrides?: Partial<LibraryMeta>): Promise<void>
  /** Every token request the sandbox answered for library `index`'s token family. */
  sandboxTokenRequests(index?: number): number
  close(): Promise<void>
}

export async function startWorld(): Promise<World> {
  const clock = new ManualClock()
  const sandbox = await startSandbox({ startTime: clock.now() })
  const recorder = await startRecorder()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-tamper-'))
  const vaultPath = path.join(dir, 'vault.json')
  const { cipher } = await createPassphraseCipher('correct horse battery staple', undefined, { cost: { N: 1024, r: 8, p: 1 } })
  const client = createApicbaseClient({ now: () => clock.now() })
  const options: OpenVaultOptions = {
    path: vaultPath,
    openStore: () => new Conf({ cwd: dir, configName: 'vault', configFileMode: 0o600 }),
    cipher,
    now: () => clock.now()
  }
  const fixture = (index: number) => {
    const library = sandbox.fixtures.libraries[index]
    if (!library) throw new Error(`no sandbox library ${index}`)
    return library
  }
  const world: World = {
    sandbox,
    recorder,
    clock,
    dir,
    vaultPath,
    cipher,
    client,
    vault: null,
    engine: null,
    open: () => withEngine(openVault(options)),
    restore: () => withEngine(restoreBackup(options)),
    async shut() {
      world.engine?.stop()
      await world.engine?.settled()
      await world.vault?.close()
      world.engine = null
      world.vault = null
    },
    async store(id, index = 0, overrides = {}) {
      if (!world.vault) throw new Error('open the vault first')
      const record = sandboxLibraryRecord(fixture(index), { id, apiBaseUrl: sandbox.url, issuedAt: clock.now() })
      await world.vault.add({ ...record.meta, ...overrides }, record.secrets)
      world.engine?.track(id)
    },
    sandboxTokenRequests: (index = 0) => sandbox.counters.tokenRequestsByFamily(fixture(index).familyId),
    async close() {
      await world.shut().catch(() => undefined)
      await client.close()
      await recorder.close()
      await sandbox.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
  async function withEngine(opening: Promise<Vault>): Promise<{ vault: Vault; engine: RefreshEngine }> {
    const vault = await opening
    const engine = new RefreshEngine({ vault, client, clock, audit: NO_AUDIT, random: () => 0.5 })
    clock.settleWith = () => engine.settled()
    engine.start()
    world.vault = vault
    world.engine = engine
    return { vault, engine }
  }
  return world
}

type Json = Record<string, unknown>

/** Rewrites a JSON file as a program running as the user would: parse, change, write in place. */
export function editJson(file: string, change: (data: Json) => void): void {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Json
  change(data)
  fs.writeFileSync(file, JSON.stringify(data, null, '\t'))
}

/** The meta of library `id` in a parsed vault file. */
export function metaIn(data: Json, id: string): Json {
  const libraries = data['libraries'] as Record<string, { meta: Json }>
  const library = libraries[id]
  if (!library) throw new Error(`the file has no library ${id}`)
  return library.meta
}

/** Rewrites each line of the journal that holds library `id`, changing its meta. Returns how many it changed. */
export function editJournal(file: string, id: string, change: (meta: Json) => void): number {
  let changed = 0
  const lines = fs.readFileSync(file, 'utf8').split('\n').map((line) => {
    if (line === '') return line
    const op = JSON.parse(line) as { library?: { meta: Json } }
    if (op.library?.meta['id'] !== id) return line
    change(op.library.meta)
    changed++
    return JSON.stringify(op)
  })
  fs.writeFileSync(file, lines.join('\n'))
  return changed
}
