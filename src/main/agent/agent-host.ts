// The headless host: the same app as the desktop window (createLarderApp), in Node, with no window, tray, keychain or
// clipboard. It holds the data folder's lock (which is its endpoint: the desktop app and a second agent see it held
// and stop), opens the passphrase vault, keeps the refresh timers running, and answers `larder` over the endpoint.
// No domain logic here: what it does is the app's; this file only wires ports.
import fs from 'node:fs'
import path from 'node:path'
import { createLarderApp, type LarderApp } from '../app/create-app.ts'
import type { AppPorts, LogPort } from '../app/ports.ts'
import { createClockJumpDetector } from '../core/desktop/clock-jump.ts'
import { takeDataFolder } from '../endpoint/lock.ts'
import { createFileLog } from '../node/log-file.ts'
import { noClipboard } from '../node/no-clipboard.ts'
import { nodeVaultStore } from '../node/vault-store.ts'

export interface AgentOptions {
  readonly dataDir: string
  /** Asked only when the vault is locked. */
  readonly passphrase: () => Promise<string>
  readonly version: string
  /** Who may take tokens: 'allow' (starting the agent with the passphrase is the approval) or 'ask'. */
  readonly sessions?: 'allow' | 'ask'
  /** Default: `<data folder>/logs/agent.log`, echoed to stderr. */
  readonly log?: LogPort
  /** LARDER_TEAM_DATABASE_URL as `larder agent` read it (AppPorts.teamDatabaseUrl); absent: the URL saved at joining. */
  readonly teamDatabaseUrl?: string
  /** For tests and the chaos run: a clock, an HTTP client, tuning, a cheap scrypt cost. */
  readonly ports?: Pick<AppPorts, 'clock' | 'http' | 'tuning' | 'scryptCost'>
}

export interface AgentHost {
  readonly app: LarderApp
  readonly dataDir: string
  /** Stops answering, lets a refresh in flight finish writing its new pair, closes the vault, frees the folder. */
  close(): Promise<void>
}

/** Why the agent cannot run on this folder (no vault, a keychain vault, a damaged one): exit 4 with the message. */
export class AgentVaultError extends Error {
  override readonly name = 'AgentVaultError'
}

/** How often the wall clock is compared with the monotonic one (a jump or an unreported sleep wakes the timers). */
const CLOCK_CHECK_MS = 30_000

export async function startAgentHost(options: AgentOptions): Promise<AgentHost> {
  const dataDir = path.resolve(options.dataDir)
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const log = options.log ?? createFileLog({ directory: path.join(dataDir, 'logs'), name: 'agent' }).log
  let app: LarderApp | null = null
  // Taken before the vault is read: two refreshers on one folder would spend each other's refresh tokens.
  const lock = await takeDataFolder({
    dataDir,
    holder: () => ({ host: 'agent', pid: process.pid, version: options.version, vault: app?.session.state().state ?? 'opening' }),
    log: (line) => log('warn', 'endpoint', { line })
  })
  try {
    const started = createLarderApp({
      info: { name: 'Larder', version: options.version, host: 'agent' },
      storage: { vaultPath: path.join(dataDir, 'vault.json'), auditPath: path.join(dataDir, 'audit.jsonl'), openStore: nodeVaultStore(dataDir) },
      keychain: null,
      clipboard: noClipboard,
      log,
      terminal: { policy: options.sessions ?? 'allow' },
      ...(options.teamDatabaseUrl === undefined ? {} : { teamDatabaseUrl: options.teamDatabaseUrl }),
      ...options.ports
    })
    app = started
    let state = await started.start()
    if (state.state === 'locked' && state.mode === 'create') {
      throw new AgentVaultError(`There is no vault in ${dataDir} yet. Create it in the desktop app (add a library there), then start the agent on the same folder.`)
    }
    if (state.state === 'locked') state = await started.session.unlock(await options.passphrase())
    if (state.state !== 'open') throw new AgentVaultError('message' in state ? state.message : `The vault in ${dataDir} did not open (${state.state}).`)
    lock.serve(started.terminal.handlers)
    const clockJump = createClockJumpDetector({ wall: () => Date.now(), monotonic: () => performance.now() }, 60_000)
    const watch = setInterval(() => {
      if (clockJump.check() !== null) started.wake()
    }, CLOCK_CHECK_MS)
    watch.unref()
    let closing: Promise<void> | null = null
    return {
      app: started,
      dataDir,
      close() {
        closing ??= (async () => {
          clearInterval(watch)
          try {
            await lock.close()
          } finally {
            await started.close()
          }
        })()
        return closing
      }
    }
  } catch (error) {
    await app?.close()
    await lock.close()
    throw error
  }
}
