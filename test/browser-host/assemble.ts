// A real Larder app in plain Node, built through the same factory as the Electron app (createLarderApp) with Node
// ports in place of the Electron adapters: conf for electron-store (same file format), the passphrase cipher where
// the app would use the keychain (as on Linux without a secret service, unlocked with a development passphrase),
// and an in-memory clipboard for Electron's clipboard. Used by the browser host, its CLI and tests.
import fs from 'node:fs'
import path from 'node:path'
import { appVaultStore } from '../support/app-store.ts'
import type { Actions } from '../../src/main/app/actions.ts'
import { createLarderApp, type LarderApp } from '../../src/main/app/create-app.ts'
import type { Handlers } from '../../src/main/app/handlers.ts'
import type { AppPorts } from '../../src/main/app/ports.ts'
import type { VaultSession } from '../../src/main/app/vault-session.ts'
import type { LarderCore, SecretSink } from '../../src/main/core/larder-core.ts'
import { MAX_TIMER_MS, systemClock, type Clock, type TimerHandle } from '../../src/main/core/time/clock.ts'
import { DEFAULT_SCRYPT_COST, type ScryptCost } from '../../src/main/core/vault/index.ts'
import { classifyApiBaseUrl } from '../../src/shared/api-host.ts'

/**
 * The passphrase of development vaults when LARDER_DEV_PASSPHRASE is not set. It is public: a vault made with it
 * protects nothing, so keep only sandbox credentials in one.
 */
export const DEV_PASSPHRASE = 'larder-dev-passphrase (not a secret)'
export const VAULT_FILE = 'vault.json'
export const AUDIT_FILE = 'audit.jsonl'

/** Stands in for the system clipboard. `text` is null when empty (never copied, or cleared). */
export interface MemoryClipboard {
  text: string | null
  copiedAt: number | null
}

export interface AssembleOptions {
  /** Where the vault, its backups and the audit trail live. Created if missing. */
  readonly dataDir: string
  /** Made the vault's default API base URL, so an add without one goes there (the sandbox). */
  readonly sandboxUrl?: string
  readonly clock?: Clock
  /** Default: LARDER_DEV_PASSPHRASE, else DEV_PASSPHRASE. */
  readonly passphrase?: string
  /** A demo vault on the sandbox (dev:web): the page shows the demo banner. Default false. */
  readonly demo?: boolean
  /** scrypt cost for a NEW vault (an existing one keeps its own). Default: the app's. Tests pass a cheap one. */
  readonly scryptCost?: ScryptCost
  /**
   * Where a host has them: a tray, notifications, a system browser, engine tuning, a log, terminal sessions' policy,
   * LARDER_TEAM_DATABASE_URL as the host read it.
   */
  readonly ports?: Pick<AppPorts, 'tray' | 'notifier' | 'openExternal' | 'tuning' | 'http' | 'log' | 'terminal' | 'teamDatabaseUrl'>
}

export interface AssembledCore {
  /** The app, as every host builds it. */
  readonly app: LarderApp
  /** The open core (the vault is open once assembleCore answers). */
  readonly core: LarderCore
  /** The use cases bound to that core. */
  readonly actions: Actions
  /** The app's handler table, so the vault.* calls answer too. */
  readonly handlers: Handlers
  /** The session the core was opened through; its 'state' events are the bridge's 'vault.state'. */
  readonly session: VaultSession
  readonly clipboard: MemoryClipboard
  readonly dataDir: string
  readonly vaultPath: string
  readonly auditPath: string
  /** Lets refreshes in flight finish, closes vault and audit trail, cancels clipboard clearing. */
  close(): Promise<void>
}

export async function assembleCore(options: AssembleOptions): Promise<AssembledCore> {
  const clock = options.clock ?? systemClock
  const dataDir = path.resolve(options.dataDir)
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const vaultPath = path.join(dataDir, VAULT_FILE)
  const auditPath = path.join(dataDir, AUDIT_FILE)
  const passphrase = options.passphrase ?? process.env['LARDER_DEV_PASSPHRASE'] ?? DEV_PASSPHRASE
  const clipboard = createMemoryClipboard(clock)
  const app = createLarderApp({
    // The page is told what this host really does: a copy goes to the stand-in clipboard below (tests read it), and
    // an authorization page is opened only where a host handed in a system browser.
    info: { name: 'Larder', version: appVersion(), host: 'browser', clipboard: 'stand-in', opensBrowser: options.ports?.openExternal !== undefined, demo: options.demo ?? false },
    storage: {
      vaultPath,
      auditPath,
      openStore: appVaultStore(dataDir, path.basename(VAULT_FILE, '.json'))
    },
    // No OS keychain here: a passphrase vault. An existing one is unlocked with its own header (salt and cost).
    keychain: null,
    clipboard: clipboard.sink,
    clock,
    scryptCost: options.scryptCost ?? DEFAULT_SCRYPT_COST,
    ...options.ports
  })
  const session = app.session
  const fail = async (message: string): Promise<never> => {
    clipboard.dispose()
    await app.close()
    throw new Error(`The vault in ${dataDir} did not open: ${message}`)
  }
  let state = await app.start()
  if (state.state === 'locked') {
    try {
      state = await session.unlock(passphrase)
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error))
    }
  }
  const core = app.core()
  const actions = app.actions()
  if (state.state !== 'open' || core === null || actions === null) return fail('message' in state ? state.message : state.state)
  try {
    if (options.sandboxUrl !== undefined && actions.readSettings().defaultApiBaseUrl !== options.sandboxUrl) {
      // Typed on the command line (--api-url) or the sandbox's own: the operator chose this host, so it counts as
      // confirmed; every library added with it in the page still asks for its own confirmation.
      const host = classifyApiBaseUrl(options.sandboxUrl)?.host
      await actions.updateSettings({ defaultApiBaseUrl: options.sandboxUrl, ...(host === undefined ? {} : { confirmedDefaultApiHost: host }) })
    }
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error))
  }
  return {
    app,
    core,
    actions,
    handlers: app.handlers,
    session,
    clipboard: clipboard.state,
    dataDir,
    vaultPath,
    auditPath,
    async close() {
      clipboard.dispose()
      await app.close()
    }
  }
}

/**
 * The clipboard adapter's behaviour without a system clipboard: `clearAfterMs` later the text is cleared, but only
 * if it is still what Larder put there (the person may have copied something else since).
 */
export function createMemoryClipboard(clock: Clock = systemClock): { state: MemoryClipboard; sink: SecretSink; dispose(): void } {
  const state: MemoryClipboard = { text: null, copiedAt: null }
  const timers = new Set<TimerHandle>()
  const at = (deadline: number, action: () => void): void => {
    // Re-armed in steps below Node's timer limit, and checked against the clock when it fires.
    const handle = clock.setTimeout(() => {
      timers.delete(handle)
      if (clock.now() >= deadline) action()
      else at(deadline, action)
    }, Math.min(Math.max(0, deadline - clock.now()), MAX_TIMER_MS))
    handle.unref?.()
    timers.add(handle)
  }
  const sink: SecretSink = {
    copySecret(text, { clearAfterMs }) {
      const copiedAt = clock.now()
      state.text = text
      state.copiedAt = copiedAt
      if (!(clearAfterMs > 0) || !Number.isFinite(clearAfterMs)) return { clearsAt: null }
      const clearsAt = copiedAt + clearAfterMs
      at(clearsAt, () => {
        if (state.text === text && state.copiedAt === copiedAt) {
          state.text = null
          state.copiedAt = null
        }
      })
      return { clearsAt }
    }
  }
  return {
    state,
    sink,
    dispose() {
      for (const handle of timers) clock.clearTimeout(handle)
      timers.clear()
    }
  }
}

function appVersion(): string {
  const pkg: unknown = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8'))
  const version = typeof pkg === 'object' && pkg !== null && 'version' in pkg ? pkg.version : undefined
  return typeof version === 'string' ? version : '0.0.0'
}
