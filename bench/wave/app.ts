// The real app for the wave and start-up benchmarks: the browser host's app (createLarderApp through assembleCore,
// a real vault on disk, a real audit trail), holding N libraries the Apicbase sandbox (on a thread of its own, rate
// limit off) really knows, so each can be refreshed for real. Seeded in bulk straight into the open vault (its
// writes are grouped), as bench/fixtures.ts does for the other benchmarks; the projection builds every view.
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import type { AppPorts } from '../../src/main/app/ports.ts'
import { sandboxLibraryRecord } from '../../test/support/sandbox-records.ts'
import { assembleCore, type AssembledCore } from '../../test/browser-host/assemble.ts'
import { startBrowserHost, type BrowserHost } from '../../test/browser-host/host.ts'
import type { RemoteSandbox } from '../remote-sandbox.ts'

/** The key is derived once per unlock; a small cost keeps set-up quick (the vault's format is the same). */
const FAST_SCRYPT = { N: 1024, r: 8, p: 1 } as const
/** Vault additions in flight at once while seeding: the vault groups them into few durable writes. */
const SEED_CHUNK = 2_000

export interface WaveApp {
  readonly assembled: AssembledCore
  readonly host: BrowserHost
  /** Every library's id, in the order they were added. */
  readonly ids: readonly string[]
  readonly dataDir: string
  /** Seeding the vault (sandbox credentials to durable records), ms. */
  readonly seedMs: number
  close(): Promise<void>
}

export interface WaveAppOptions {
  readonly libraries: number
  readonly sandbox: RemoteSandbox
  readonly rendererDir: string
  /** Library names are `${prefix} ${n}`. */
  readonly prefix?: string
  readonly ports?: Pick<AppPorts, 'tray' | 'notifier' | 'tuning'>
}

export async function startWaveApp(options: WaveAppOptions): Promise<WaveApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-bench-wave-'))
  let assembled: AssembledCore | null = null
  try {
    assembled = await assembleCore({ dataDir, sandboxUrl: options.sandbox.url, scryptCost: FAST_SCRYPT, ...(options.ports ? { ports: options.ports } : {}) })
    const started = performance.now()
    const credentials = await options.sandbox.addLibraries(options.libraries, options.prefix ?? 'Customer')
    const now = Date.now()
    const records = credentials.map((c) => sandboxLibraryRecord(c, { id: randomUUID(), apiBaseUrl: options.sandbox.url, issuedAt: now }))
    const { vault } = assembled.core
    for (let i = 0; i < records.length; i += SEED_CHUNK) {
      await Promise.all(records.slice(i, i + SEED_CHUNK).map((record) => vault.add(record.meta, record.secrets)))
    }
    // The projection hands out what the seeding changed on the next turn; nobody is connected yet.
    await new Promise<void>((resolve) => setImmediate(resolve))
    const seedMs = performance.now() - started
    const host = await startBrowserHost({ app: assembled.app, rendererDir: options.rendererDir, recordMessages: false })
    const own = assembled
    return {
      assembled: own,
      host,
      ids: records.map((record) => record.meta.id),
      dataDir,
      seedMs,
      async close() {
        await host.close()
        await own.close()
        fs.rmSync(dataDir, { recursive: true, force: true })
      }
    }
  } catch (error) {
    await assembled?.close().catch(() => undefined)
    fs.rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
}
