// The desktop app's demo (`--demo`): its own data folder beside the real one (emptied at each start), the Apicbase
// sandbox as a built-in stand-in for the API on 127.0.0.1 (a fresh random seed, admin endpoints off), a vault sealed
// with a public demo passphrase (the OS keychain is never asked), opened at once and seeded with one library in each
// state. No Electron here: the Electron host hands in what it has and asks this module what to do.
import type { LarderApp } from '../app/create-app.ts'
import type { ScryptCost } from '../core/vault/index.ts'
import type { Sandbox } from '../sandbox/index.ts'
import { classifyApiBaseUrl } from '../../shared/api-host.ts'
import { createDemoClock, type DemoClock } from './clock.ts'
import { demoDataDir, prepareDemoFolder } from './demo-folder.ts'
import { seedDemo, startDemoSandbox, type DemoWorld } from './seed.ts'
import { seedKeys } from './seed-keys.ts'
import { startProviderSandbox, type ProviderSandbox } from '../sandbox/providers/index.ts'

/** Public on purpose: the demo vault holds nothing but the stand-in's test tokens. */
export const DEMO_PASSPHRASE = 'larder-demo (public: stand-in tokens only)'
/** The cheapest cost the vault accepts: a public passphrase gains nothing from a slow one. */
export const DEMO_SCRYPT_COST: ScryptCost = { N: 2 ** 10, r: 8, p: 1 }

export interface DesktopDemo {
  /** The demo's data folder: vault, audit trail and log live here, never in the real data folder. */
  readonly dataDir: string
  readonly clock: DemoClock
  readonly scryptCost: ScryptCost
  /** The stand-in API (started by `start`). */
  sandbox(): Sandbox
  /**
   * Empties the demo folder (only if it is the demo's, and apart from the real one) and marks it. Synchronous, so the
   * host can call it before Electron is ready and moves the data folder there: nothing of Chromium's lands elsewhere.
   */
  prepareFolder(): void
  /** Starts the stand-in. Call once, before the app starts. */
  start(): Promise<void>
  /**
   * After the app started: opens the vault with the demo passphrase, makes the stand-in the default API and seeds
   * the libraries. Answers what was seeded (it holds the stand-in's test credentials: for a terminal only).
   */
  open(app: LarderApp): Promise<DemoWorld>
  /** Whether a URL is one of the stand-in's own pages (its authorization page), which the demo opens in the browser. */
  isStandInPage(url: string): boolean
  /** Stops the stand-in. */
  close(): Promise<void>
}

/** `realDataDir`: where the person's real data lives; the demo's folder is beside it and checked to be apart. */
export function desktopDemo(realDataDir: string): DesktopDemo {
  const dataDir = demoDataDir(realDataDir)
  const clock = createDemoClock()
  let sandbox: Sandbox | null = null
  /** The customer's other systems (SafetyCulture, Airtable, a service token's check address), on loopback too. */
  let fakes: ProviderSandbox | null = null
  const running = (): Sandbox => {
    if (sandbox === null) throw new Error('The demo has not started')
    return sandbox
  }
  return {
    dataDir,
    clock,
    scryptCost: DEMO_SCRYPT_COST,
    sandbox: running,
    prepareFolder() {
      prepareDemoFolder(dataDir, realDataDir)
    },
    async start() {
      sandbox ??= await startDemoSandbox({ admin: false })
      fakes ??= await startProviderSandbox()
    },
    async open(app) {
      const standIn = running()
      let state = app.session.state()
      if (state.state === 'locked') state = await app.session.unlock(DEMO_PASSPHRASE)
      const actions = app.actions()
      if (state.state !== 'open' || actions === null) throw new Error(`The demo vault did not open (${state.state})`)
      const host = classifyApiBaseUrl(standIn.url)?.host
      await actions.updateSettings({ defaultApiBaseUrl: standIn.url, ...(host === undefined ? {} : { confirmedDefaultApiHost: host }) })
      const world = await seedDemo({ actions, sandbox: standIn, clock })
      const core = app.core()
      if (fakes !== null && core !== null) await seedKeys({ keys: core.keys, fakes, clock })
      return world
    },
    isStandInPage(url) {
      if (sandbox === null) return false
      try {
        return new URL(url).origin === sandbox.url
      } catch {
        return false
      }
    },
    async close() {
      await sandbox?.close()
      await fakes?.close()
      sandbox = null
      fakes = null
    }
  }
}
