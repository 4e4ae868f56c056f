// A browser host for the dashboard's end-to-end tests: the Apicbase sandbox, the real core on a clock that can
// be moved forward (system time plus an offset, so real timers still run), and the built renderer served with
// `window.larder` over the host's WebSocket. Moving time moves the sandbox and Larder together, then wakes the
// core as a resume from sleep would; the page's clock is moved by the test (page.clock) to match.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { LibraryView } from '../../../src/shared/contract.ts'
import { ShiftedClock } from '../../support/shifted-clock.ts'
import { toLibraryView } from '../../../src/main/app/views.ts'
import { assembleCore, type AssembledCore } from '../../browser-host/assemble.ts'
import { startBrowserHost, type BrowserHost } from '../../browser-host/host.ts'
import { startSandbox, type LibraryCredentials, type Sandbox } from '../../sandbox/index.ts'
import { FAST_SCRYPT } from '../../support/core-harness.ts'

export { ShiftedClock }

export interface DashboardHost {
  readonly sandbox: Sandbox
  readonly assembled: AssembledCore
  readonly host: BrowserHost
  readonly clock: ShiftedClock
  /** Every secret that existed during the run (fixtures, pasted and rotated pairs), for "never in the page" checks. */
  readonly secrets: Set<string>
  /** A fresh customer library in the sandbox, with credentials nobody has used yet. */
  newLibrary(name: string): LibraryCredentials
  /** Adds a library through the core (as the add form does), for tests that are not about adding. */
  addThroughCore(credentials: LibraryCredentials): Promise<LibraryView>
  /** The refresh token Larder holds now for a library (test side only; the page never sees it). */
  currentSecrets(id: string): Promise<{ clientSecret: string; accessToken: string; refreshToken: string }>
  /**
   * Uses the library's current refresh token at the sandbox, as another tool holding the same pair would:
   * Larder's copy is spent from then on, and its next refresh ends in invalid_grant.
   */
  useRefreshTokenElsewhere(id: string): Promise<void>
  /** Moves the sandbox's and Larder's time forward together and wakes the core (as after sleep). */
  advance(ms: number): Promise<void>
  /** Remembers every secret the vault holds now. */
  collectSecrets(): Promise<void>
  close(): Promise<void>
}

export interface DashboardHostOptions {
  /** Libraries from the sandbox's seeded fixtures to add before the page opens. */
  readonly seedFixtures?: number
}

export async function startDashboardHost(options: DashboardHostOptions = {}): Promise<DashboardHost> {
  const clock = new ShiftedClock()
  const sandbox = await startSandbox({ admin: true, startTime: clock.now() })
  const secrets = new Set<string>()
  const remember = (credentials: { clientSecret: string; accessToken: string; refreshToken: string }): void => {
    secrets.add(credentials.clientSecret)
    secrets.add(credentials.accessToken)
    secrets.add(credentials.refreshToken)
  }
  for (const library of sandbox.fixtures.libraries) remember(library)
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-dashboard-'))
  const assembled = await assembleCore({ dataDir, sandboxUrl: sandbox.url, scryptCost: FAST_SCRYPT, clock })
  const host = await startBrowserHost({ app: assembled.app, rendererDir: path.resolve('out/renderer') })
  const { core, actions } = assembled
  const addThroughCore = async (credentials: LibraryCredentials): Promise<LibraryView> => {
    remember(credentials)
    const { tokenType, name, clientId, clientSecret, accessToken, refreshToken } = credentials
    return toLibraryView(await actions.add({ tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: sandbox.url }))
  }
  for (const library of sandbox.fixtures.libraries.slice(0, options.seedFixtures ?? 0)) await addThroughCore(library)
  return {
    sandbox,
    assembled,
    host,
    clock,
    secrets,
    newLibrary(name) {
      const credentials = sandbox.addLibraryWithApplication({ name })
      remember(credentials)
      return credentials
    },
    addThroughCore,
    async currentSecrets(id) {
      const held = await core.vault.secrets(id)
      remember(held)
      return { clientSecret: held.clientSecret, accessToken: held.accessToken, refreshToken: held.refreshToken }
    },
    async useRefreshTokenElsewhere(id) {
      const held = await core.vault.secrets(id)
      remember(held)
      const meta = core.libraries.get(id)
      const response = await fetch(`${sandbox.url}/oauth/token/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: held.refreshToken, client_id: meta.clientId, client_secret: held.clientSecret })
      })
      const pair = (await response.json()) as { access_token?: string; refresh_token?: string }
      if (!response.ok || !pair.access_token || !pair.refresh_token) throw new Error(`the sandbox did not rotate: HTTP ${response.status}`)
      secrets.add(pair.access_token)
      secrets.add(pair.refresh_token)
    },
    async advance(ms) {
      sandbox.clock.advance(ms)
      clock.offset += ms
      core.wake()
      await core.engine.settled()
    },
    async collectSecrets() {
      // Records that hold a pair (libraries and personal connections); personal entries hold none of their own.
      for (const record of core.vault.list()) remember(await core.vault.secrets(record.id))
    },
    async close() {
      await host.close()
      await assembled.close()
      await sandbox.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
