// A small world for the refresh engine and a team store's turn (issue 16): one record in a fake vault that may
// implement the optional port, a fake Apicbase client, the manual clock, and a log of every call in order. The engine's
// other tests take their library records from here too.
import { RefreshEngine } from '../../../src/main/core/engine/refresh-engine.ts'
import type { EngineClient, EngineVault, MetaPatch, RefreshTurn } from '../../../src/main/core/engine/ports.ts'
import type { LibraryMeta, LibrarySecrets } from '../../../src/main/core/model.ts'
import { ManualClock } from '../../support/manual-clock.ts'

export const DAY = 86_400_000

export function record(id: string, now: number, changes: Partial<LibraryMeta> = {}): LibraryMeta {
  return {
    id,
    name: `Library ${id}`,
    apicbaseLibraryId: '1',
    apicbaseLibraryName: null,
    tokenType: 'service_account',
    scopes: ['library'],
    apiBaseUrl: 'https://api.apicbase.com',
    clientId: `client-${id}`,
    addedAt: now,
    issuedAt: now,
    expiresAt: now + 7 * DAY,
    lastRefreshedAt: null,
    lastUsedAt: null,
    lastError: null,
    tokenState: 'active',
    tokenPreview: '…abcd',
    ...changes
  }
}

export interface TeamPort {
  refreshTurn?: (id: string) => Promise<RefreshTurn>
  refreshOffset?: (id: string) => number
}

export interface World {
  readonly clock: ManualClock
  readonly engine: RefreshEngine
  readonly records: Map<string, LibraryMeta>
  readonly secrets: Map<string, LibrarySecrets>
  /** Every call the engine made to the vault and the client, in order (`client.refresh` for a request). */
  readonly log: string[]
  readonly patches: MetaPatch[]
  /** Refresh tokens the client was sent. */
  readonly sent: string[]
  /** The next answer of the client: a new pair (default) or an error to throw. */
  fail: Error | null
  /** Another member's refresh landing here: a newer pair adopted into the vault, as a team store's sync does. */
  adoptNewerPair(id: string, accessToken: string): void
}

export function world(metas: LibraryMeta[], port: TeamPort = {}, clock = new ManualClock()): World {
  const records = new Map(metas.map((meta) => [meta.id, meta]))
  const secrets = new Map(metas.map((meta) => [meta.id, { clientSecret: `secret-${meta.id}`, accessToken: `access-${meta.id}-0`, refreshToken: `refresh-${meta.id}-0` }]))
  const log: string[] = []
  const patches: MetaPatch[] = []
  const sent: string[] = []
  const base: EngineVault = {
    list: () => [...records.values()],
    get: (id) => records.get(id),
    secrets: async (id) => {
      log.push('secrets')
      return secrets.get(id) as LibrarySecrets
    },
    isSpent: () => false,
    commitRotation: async (id, rotation) => {
      log.push('commitRotation')
      const meta = records.get(id) as LibraryMeta
      records.set(id, { ...meta, issuedAt: rotation.pair.issuedAt, expiresAt: rotation.pair.expiresAt, lastRefreshedAt: clock.now(), lastError: null })
      secrets.set(id, { ...(secrets.get(id) as LibrarySecrets), accessToken: rotation.pair.accessToken, refreshToken: rotation.pair.refreshToken })
    },
    patch: async (id, patch) => {
      log.push('patch')
      patches.push(patch)
      records.set(id, { ...(records.get(id) as LibraryMeta), ...patch } as LibraryMeta)
    }
  }
  const vault: EngineVault = { ...base, ...port }
  const state: World = {
    clock,
    records,
    secrets,
    log,
    patches,
    sent,
    fail: null,
    engine: null as unknown as RefreshEngine,
    adoptNewerPair(id, accessToken) {
      const meta = records.get(id) as LibraryMeta
      const now = clock.now()
      records.set(id, { ...meta, issuedAt: now, expiresAt: now + 7 * DAY, lastRefreshedAt: now, lastError: null })
      secrets.set(id, { ...(secrets.get(id) as LibrarySecrets), accessToken, refreshToken: `${accessToken}-refresh` })
    }
  }
  const client: EngineClient = {
    refresh: async (_target, _credentials, refreshToken) => {
      log.push('client.refresh')
      sent.push(refreshToken)
      if (state.fail) throw state.fail
      return { accessToken: `a-${sent.length}`, refreshToken: `r-${sent.length}`, expiresInSeconds: 7 * 86_400, scopes: ['library'] }
    }
  }
  const engine = new RefreshEngine({ vault, client, clock, audit: { append: async () => undefined }, random: () => 0.5 })
  return Object.assign(state, { engine })
}

/** A turn of this machine's that logs its calls into the world's log. */
export function mine(log: string[], sending: () => Promise<void> = async () => undefined): RefreshTurn {
  return {
    kind: 'mine',
    sending: async () => {
      log.push('sending')
      await sending()
    },
    release: async () => {
      log.push('release')
    }
  }
}

/** A promise and the function that resolves it. */
export function later(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined
  const promise = new Promise<void>((done) => (resolve = done))
  return { promise, resolve }
}
