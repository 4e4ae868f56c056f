// Two members' refresh engines over one shared store, against the real sandbox (issue 16, plan §4): with the store
// answering whose turn it is (a lease with a fence, kept in memory here; the real one is SQL in core/team/leases.ts),
// each family is refreshed by one member at a time and once per need, and every member hands out the newest token.
import { afterEach, describe, expect, it } from 'vitest'
import { createApicbaseClient, type ApicbaseClient } from '../../../src/main/core/apicbase/index.ts'
import type { EngineClient, EngineVault, RefreshTurn } from '../../../src/main/core/engine/ports.ts'
import { RefreshEngine } from '../../../src/main/core/engine/refresh-engine.ts'
import type { LibraryMeta, LibrarySecrets } from '../../../src/main/core/model.ts'
import { startSandbox, type LibraryCredentials, type Sandbox } from '../../sandbox/index.ts'
import { ManualClock } from '../../support/manual-clock.ts'
import { sandboxLibraryRecord } from '../../support/sandbox-records.ts'

const HOUR = 3600_000
const DAY = 24 * HOUR
const LEASE_MS = 30_000

interface Row {
  meta: LibraryMeta
  secrets: LibrarySecrets
  version: number
  lease: { holder: string; fence: number; until: number } | null
}

/** The shared store: rows, leases, and who waits for a row's next version. */
class SharedRows {
  readonly rows = new Map<string, Row>()
  readonly #waiting = new Map<string, (() => void)[]>()
  readonly members: Member[] = []
  /** Whether a write is announced to the other members' engines (sync); false: they missed it. */
  announce = true
  readonly clock: ManualClock
  constructor(clock: ManualClock) {
    this.clock = clock
  }

  nextVersion(id: string): Promise<void> {
    return new Promise((resolve) => {
      const list = this.#waiting.get(id) ?? []
      list.push(resolve)
      this.#waiting.set(id, list)
      this.clock.setTimeout(resolve, LEASE_MS)
    })
  }

  written(id: string, by: Member): void {
    const row = this.rows.get(id) as Row
    row.version++
    for (const wake of this.#waiting.get(id) ?? []) wake()
    this.#waiting.delete(id)
    // What sync does on the other members: the changed record is announced to their engines.
    if (this.announce) for (const member of this.members) if (member !== by) member.engine.track(id)
  }
}

interface Member {
  readonly name: string
  readonly engine: RefreshEngine
  /** Token requests this member's engine made. */
  sent: number
}

function member(name: string, rank: number, store: SharedRows, api: ApicbaseClient): Member {
  const { clock } = store
  const spent = new Set<string>()
  const row = (id: string): Row => store.rows.get(id) as Row
  const vault: EngineVault = {
    list: () => [...store.rows.values()].map((r) => r.meta),
    get: (id) => store.rows.get(id)?.meta,
    secrets: async (id) => row(id).secrets,
    isSpent: (token) => spent.has(token),
    commitRotation: async (id, { sentRefreshToken, pair }) => {
      spent.add(sentRefreshToken)
      const r = row(id)
      r.meta = { ...r.meta, issuedAt: pair.issuedAt, expiresAt: pair.expiresAt, lastRefreshedAt: clock.now(), lastError: null }
      r.secrets = { ...r.secrets, accessToken: pair.accessToken, refreshToken: pair.refreshToken }
      if (r.lease?.holder === name) r.lease = null
      store.written(id, self)
    },
    patch: async (id, patch) => {
      const r = row(id)
      r.meta = { ...r.meta, ...patch } as LibraryMeta
      store.written(id, self)
    },
    refreshTurn: async (id): Promise<RefreshTurn> => {
      const r = row(id)
      const now = clock.now()
      if (r.lease && r.lease.holder !== name && r.lease.until > now) return { kind: 'elsewhere', by: r.lease.holder, settled: store.nextVersion(id) }
      const fence = (r.lease?.fence ?? 0) + 1
      r.lease = { holder: name, fence, until: now + LEASE_MS }
      const holds = (): boolean => r.lease?.holder === name && r.lease.fence === fence
      return {
        kind: 'mine',
        sending: async () => {
          if (!holds() || (r.lease?.until ?? 0) <= clock.now()) throw new Error(`${name} no longer holds the lease of ${id}`)
        },
        release: async () => {
          if (holds()) r.lease = null
        }
      }
    },
    refreshOffset: () => rank * 90_000
  }
  const client: EngineClient = {
    refresh: (...args) => {
      self.sent++
      return api.refresh(...args)
    }
  }
  const engine = new RefreshEngine({ vault, client, clock, audit: { append: async () => undefined }, random: () => 0.5 })
  const self: Member = { name, engine, sent: 0 }
  store.members.push(self)
  return self
}

let sandbox: Sandbox | undefined
let api: ApicbaseClient | undefined
afterEach(async () => {
  await api?.close()
  await sandbox?.close()
})

async function team(families: number): Promise<{ store: SharedRows; members: Member[]; credentials: LibraryCredentials[] }> {
  const clock = new ManualClock()
  sandbox = await startSandbox({ startTime: clock.now(), rateLimitPerMinute: false })
  api = createApicbaseClient({ now: () => clock.now() })
  const store = new SharedRows(clock)
  const credentials: LibraryCredentials[] = []
  for (let i = 0; i < families; i++) {
    const library = sandbox.addLibraryWithApplication({ name: `Team Kitchen ${i}` })
    credentials.push(library)
    const { meta, secrets } = sandboxLibraryRecord(library, { id: `row-${i}`, apiBaseUrl: sandbox.url, issuedAt: clock.now() })
    store.rows.set(meta.id, { meta, secrets, version: 1, lease: null })
  }
  const members = [member('Ana', 0, store, api), member('Ben', 1, store, api)]
  clock.settleWith = async () => {
    for (const m of members) await m.engine.settled()
  }
  return { store, members, credentials }
}

describe('two members, one shared store, the real sandbox', () => {
  it('every member copying every family at once: one token request per family, never two in flight, the same new token everywhere', async () => {
    const { store, members, credentials } = await team(20)
    const ids = [...store.rows.keys()]
    // A margin of 30 days makes every copy want a refresh.
    const copies = members.flatMap((m) => ids.flatMap((id) => [m.engine.freshAccessToken(id, 30 * DAY), m.engine.freshAccessToken(id, 30 * DAY)]))
    const tokens = await Promise.all(copies)
    for (const [i, id] of ids.entries()) {
      const family = (credentials[i] as LibraryCredentials).familyId
      expect(sandbox?.counters.tokenRequestsByFamily(family)).toBe(1)
      expect(sandbox?.counters.maxConcurrentRefreshesByFamily(family)).toBe(1)
      const handed = new Set(tokens.filter((_, n) => ids[Math.floor(n / 2) % ids.length] === id))
      expect(handed).toEqual(new Set([store.rows.get(id)?.secrets.accessToken]))
    }
    expect(members.reduce((sum, m) => sum + m.sent, 0)).toBe(20)
    // The row holds the newest pair: its refresh token is still good at Apicbase.
    const first = ids[0] as string
    await members[1]?.engine.refresh(first, 'manual')
    expect(sandbox?.counters.tokenRequestsByFamily((credentials[0] as LibraryCredentials).familyId)).toBe(2)
    for (const id of ids) expect(store.rows.get(id)?.meta.lastError).toBeNull()
  })

  it("over 15 days of timers, with every write missed by the other member's sync, each family is refreshed once per need, by the first-ranked member", async () => {
    const { store, members, credentials } = await team(5)
    // The other member's timer stays where it was set; when it fires (90 s later) the row already holds a new pair.
    store.announce = false
    for (const m of members) m.engine.start()
    for (let hour = 0; hour < 15 * 24; hour++) {
      sandbox?.clock.advance(HOUR)
      await store.clock.advance(HOUR)
    }
    const [ana, ben] = members as [Member, Member]
    expect(ben.sent).toBe(0)
    // 7-day tokens refreshed about a day ahead: two refreshes in 15 days, each one request.
    for (const library of credentials) expect(sandbox?.counters.tokenRequestsByFamily(library.familyId)).toBe(2)
    expect(ana.sent).toBe(10)
    for (const row of store.rows.values()) {
      expect(row.meta.lastError).toBeNull()
      expect(row.meta.expiresAt).toBeGreaterThan(store.clock.now())
    }
    for (const m of members) m.engine.stop()
  })
})
