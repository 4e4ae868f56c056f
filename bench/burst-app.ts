// The app as a desktop host has it, for the refresh burst: createLarderApp with the app's own undici client, its
// projection (views built once per turn) feeding the event stream and the desktop feed, the tray and notifier
// stand-ins of the wave benchmark (the Electron adapters' pure models, minus the system calls), and a listener on the
// event stream standing in for the window (it counts; with `serializeEvents` it also serialises each event as
// webContents.send does, which is the host's cost, not the app's). The vault is a real one on disk, sealed with a
// passphrase.
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { serialize } from 'node:v8'
import { createLarderApp, type LarderApp } from '../src/main/app/create-app.ts'
import type { ApicbaseClient } from '../src/main/core/apicbase/index.ts'
import type { LarderCore } from '../src/main/core/larder-core.ts'
import type { LibraryMeta, LibrarySecrets } from '../src/main/core/model.ts'
import { GroupCommit } from '../src/main/core/vault/group-commit.ts'
import { openVault, type Cipher, type Vault } from '../src/main/core/vault/index.ts'
import { addAll, benchCipher, confStore, openBenchVault, PASSPHRASE, tempDir, type StoreTuning } from './fixtures.ts'
import type { CopyRecorder } from './refresh-burst.ts'
import { desktopPorts, type DesktopCounts } from './wave/desktop-ports.ts'

export interface BurstAppOptions {
  readonly records: readonly { meta: LibraryMeta; secrets: LibrarySecrets }[]
  readonly label: string
  readonly tuning: StoreTuning
  readonly concurrency: number
  readonly sink: CopyRecorder
  /** Told how long each whole-file write through the store took (it blocks the event loop). */
  readonly onStoreWrite?: (ms: number) => void
  /** For measuring what each part costs: host stand-ins left out. Default: all of them present. */
  readonly without?: ReadonlySet<'tray' | 'notifier' | 'window'>
  /** The window stand-in serialises each event (v8.serialize, as Electron's IPC does). Default false. */
  readonly serializeEvents?: boolean
  /** For measuring: a cipher standing in for the OS keychain (the vault is then sealed with it, not a passphrase). */
  readonly keychain?: Cipher
  /** For measuring Larder's own work apart from the network: a client standing in for the app's undici one. */
  readonly http?: ApicbaseClient
}

export interface HostWork {
  /** Events the window stand-in received. */
  events: number
  /** Bytes those events came to, serialised (0 unless `serializeEvents`). */
  eventBytes: number
  /** What the tray and notifier stand-ins did (bench/wave/desktop-ports.ts, shared with the wave benchmark). */
  readonly desktop: DesktopCounts
}

export interface BurstApp {
  readonly app: LarderApp
  readonly core: LarderCore
  readonly vault: Vault
  readonly host: HostWork
  close(): Promise<void>
}

export async function openBurstApp(options: BurstAppOptions): Promise<BurstApp> {
  const dir = tempDir(options.label)
  const name = 'vault'
  const setup = options.keychain
    ? await openVault({ path: path.join(dir, `${name}.json`), openStore: confStore(dir, name, options.tuning), cipher: options.keychain })
    : await openBenchVault(dir, await benchCipher(), options.tuning, name)
  await addAll(setup, options.records)
  await setup.close()

  const desktop = desktopPorts({ now: Date.now })
  const host: HostWork = { events: 0, eventBytes: 0, desktop: desktop.counts }
  const { tray, notifier } = desktop
  const app = createLarderApp({
    info: { name: 'Larder', version: 'bench', host: 'electron', clipboard: 'system', opensBrowser: false, demo: false },
    storage: {
      vaultPath: path.join(dir, `${name}.json`),
      auditPath: path.join(dir, 'audit.jsonl'),
      openStore: confStore(dir, name, options.tuning, options.onStoreWrite)
    },
    keychain: options.keychain ?? null,
    clipboard: options.sink,
    ...(options.without?.has('tray') ? {} : { tray }),
    ...(options.without?.has('notifier') ? {} : { notifier }),
    tuning: { engine: { concurrency: options.concurrency, perTokenPerMinute: 10_000 } },
    ...(options.http ? { http: options.http } : {})
  })
  if (!options.without?.has('window')) {
    app.events.onAny((_name, payload) => {
      host.events++
      if (options.serializeEvents === true) host.eventBytes += serialize(payload).length
    })
  }
  const state = await app.start()
  const opened = state.state === 'locked' ? await app.session.unlock(PASSPHRASE) : state
  const core = app.core()
  if (opened.state !== 'open' || core === null) {
    await app.close()
    throw new Error(`the bench vault did not open: ${opened.state}`)
  }
  return { app, core, vault: core.vault, host, close: () => app.close() }
}

/** Times each commitRotation from the call (the pair has just arrived) until it resolves (durable). */
export function timeRotations(vault: Vault, waits: number[]): void {
  const commit = vault.commitRotation.bind(vault)
  vault.commitRotation = async (id, rotation) => {
    const started = performance.now()
    try {
      await commit(id, rotation)
    } finally {
      waits.push(performance.now() - started)
    }
  }
}

/**
 * Every wait for a group commit in this process, from joining a batch to its answer (what the vault's stats call the
 * wait for a batch to be durable, kept there only as a maximum since open): the bench reads it round by round.
 * GroupCommit's join and joinNow are wrapped once, for the whole process; only the bench does this.
 */
export interface BatchWaits {
  /** Forget what was seen so far. */
  reset(): void
  /** The longest wait since the last reset, ms (0 when none). */
  max(): number
  /** How many waits since the last reset. */
  count(): number
}

let watching: { longest: number; seen: number } | null = null

export function watchBatchWaits(): BatchWaits {
  if (watching === null) {
    const state = { longest: 0, seen: 0 }
    watching = state
    const timed = (join: () => Promise<void>) =>
      function (this: GroupCommit): Promise<void> {
        const joinedAt = performance.now()
        const answered = join.call(this)
        void answered.then(
          () => {
            state.longest = Math.max(state.longest, performance.now() - joinedAt)
            state.seen++
          },
          () => undefined
        )
        return answered
      }
    GroupCommit.prototype.join = timed(GroupCommit.prototype.join)
    GroupCommit.prototype.joinNow = timed(GroupCommit.prototype.joinNow)
  }
  const state = watching
  return {
    reset() {
      state.longest = 0
      state.seen = 0
    },
    max: () => state.longest,
    count: () => state.seen
  }
}
