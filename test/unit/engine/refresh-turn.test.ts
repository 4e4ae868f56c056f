// The refresh engine and a team store's turn (issue 16, plan §4): one refresher per token family across machines.
// The vault may answer whose turn it is; the engine sends a refresh token only with its own turn, right after
// `sending()`, gives the turn back whatever happens, waits for another member's pair instead of sending, and while
// offline from the team sends nothing and writes nothing, handing out the access token saved here while it is valid.
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../src/main/core/errors.ts'
import { RefreshEngine } from '../../../src/main/core/engine/refresh-engine.ts'
import type { EngineClient, EngineVault, RefreshTurn } from '../../../src/main/core/engine/ports.ts'
import type { LibraryMeta } from '../../../src/main/core/model.ts'
import { ManualClock } from '../../support/manual-clock.ts'
import { DAY, later, mine, record, world, type World } from './refresh-turn-support.ts'

const MINUTE = 60_000

/** Acme, due for a refresh now (its token expires in an hour), in a team store whose n-th turn (from 1) is `turn`. */
function dueAcme(turn: (n: number, w: World) => RefreshTurn): { clock: ManualClock; w: World; turns: () => number } {
  const clock = new ManualClock()
  let turns = 0
  const w: World = world([record('acme', clock.now(), { issuedAt: clock.now() - 7 * DAY, expiresAt: clock.now() + 60 * MINUTE })], {
    refreshTurn: async () => turn(++turns, w)
  }, clock)
  return { clock, w, turns: () => turns }
}

describe('a team turn: mine', () => {
  it('takes the turn before reading the secrets, calls sending() once right before the request, and releases after the commit', async () => {
    const now = new ManualClock().now()
    let turns = 0
    const w = world([record('acme', now)], {
      refreshTurn: async () => {
        turns++
        w.log.push('refreshTurn')
        return mine(w.log)
      }
    })
    const token = await w.engine.refresh('acme', 'manual')
    expect(token).toBe('a-1')
    expect(turns).toBe(1)
    expect(w.log).toEqual(['refreshTurn', 'secrets', 'sending', 'client.refresh', 'commitRotation', 'release'])
    expect(w.sent).toEqual(['refresh-acme-0'])
  })

  it('a pair another member wrote just before this turn (adopted by the store) is handed out, not refreshed again', async () => {
    const clock = new ManualClock()
    const w = world([record('acme', clock.now(), { issuedAt: clock.now() - 7 * DAY, expiresAt: clock.now() + 2 * MINUTE })], {
      refreshTurn: async () => {
        w.log.push('refreshTurn')
        w.adoptNewerPair('acme', 'access-from-dana')
        return mine(w.log)
      }
    }, clock)
    expect(await w.engine.freshAccessToken('acme', 5 * MINUTE)).toBe('access-from-dana')
    expect(w.log).toEqual(['refreshTurn', 'secrets', 'release'])
    expect(w.sent).toEqual([])
  })

  it('releases the turn when the request fails, and records that failure on the library as always', async () => {
    const now = new ManualClock().now()
    const w = world([record('acme', now)], {
      refreshTurn: async () => {
        w.log.push('refreshTurn')
        return mine(w.log)
      }
    })
    w.fail = new ApiError('server_error', 'Apicbase answered 502', { status: 502 })
    await expect(w.engine.refresh('acme', 'manual')).rejects.toThrow('Apicbase answered 502')
    expect(w.log).toEqual(['refreshTurn', 'secrets', 'sending', 'client.refresh', 'patch', 'release'])
    expect(w.patches).toEqual([{ lastError: expect.objectContaining({ kind: 'server_error', retryAt: expect.any(Number) }) }])
  })

  it('a turn lost before sending: no request, no failure on the library, released, and the timer tries again in seconds', async () => {
    const { clock, w, turns } = dueAcme((n, w) => {
      w.log.push('refreshTurn')
      return mine(w.log, async () => {
        if (n === 1) throw new Error('lease lost: fence 7 is no longer the holder')
      })
    })
    await expect(w.engine.refresh('acme', 'manual')).rejects.toMatchObject({ kind: 'timeout', message: expect.stringContaining('nothing was sent') })
    expect(w.log).toEqual(['refreshTurn', 'secrets', 'sending', 'release'])
    expect(w.sent).toEqual([])
    expect(w.patches).toEqual([])
    expect(w.records.get('acme')?.lastError).toBeNull()
    // Re-planned soon, not at once and not left alone: the timer asks again within seconds and then sends.
    w.engine.start()
    await clock.advance(1_000)
    expect(turns()).toBe(1)
    await clock.advance(10_000)
    expect(turns()).toBe(2)
    expect(w.sent).toEqual(['refresh-acme-0'])
    w.engine.stop()
  })

  it('a store that cannot say whose turn it is: nothing is read or sent, nothing written, asked again in seconds', async () => {
    const { clock, w, turns } = dueAcme((n, w) => {
      if (n === 1) throw new Error('connection terminated unexpectedly')
      return mine(w.log)
    })
    w.engine.start()
    await clock.advance(1_000)
    expect(turns()).toBe(1)
    expect(w.log).toEqual([])
    await clock.advance(10_000)
    expect(turns()).toBe(2)
    expect(w.sent).toEqual(['refresh-acme-0'])
    w.engine.stop()
  })
})

describe('a team turn: elsewhere', () => {
  it('sends nothing; every copy waiting shares one wait and gets the pair the other member wrote', async () => {
    const clock = new ManualClock()
    const settled = later()
    let turns = 0
    const w = world([record('acme', clock.now(), { expiresAt: clock.now() + 60_000 })], {
      refreshTurn: async () => {
        turns++
        return { kind: 'elsewhere', by: 'Dana', settled: settled.promise }
      }
    }, clock)
    const copies = [w.engine.freshAccessToken('acme', 5 * MINUTE), w.engine.freshAccessToken('acme', 5 * MINUTE), w.engine.refresh('acme', 'manual')]
    await clock.advance(0)
    expect(w.engine.status('acme')).toBe('refreshing')
    w.adoptNewerPair('acme', 'access-from-dana')
    settled.resolve()
    expect(await Promise.all(copies)).toEqual(['access-from-dana', 'access-from-dana', 'access-from-dana'])
    expect(turns).toBe(1)
    expect(w.log).not.toContain('client.refresh')
    expect(w.sent).toEqual([])
    expect(w.patches).toEqual([])
  })

  it("a timer's attempt just ends: nothing sent, and no new timer until the other member's pair is old in its turn", async () => {
    const { clock, w, turns } = dueAcme((n, w) => {
      w.adoptNewerPair('acme', `access-from-dana-${n}`)
      return { kind: 'elsewhere', by: 'Dana', settled: Promise.resolve() }
    })
    w.engine.start()
    await clock.advance(2 * DAY)
    expect(turns()).toBe(1)
    expect(w.sent).toEqual([])
    expect(w.engine.status('acme')).toBe('healthy')
    w.engine.stop()
  })

  it('the other member did not finish in time: a copy gets the still-valid token saved here, an expired one is refused, and the timer does not spin', async () => {
    const clock = new ManualClock()
    let turns = 0
    const w = world([record('acme', clock.now(), { issuedAt: clock.now() - 7 * DAY, expiresAt: clock.now() + 2 * MINUTE })], {
      refreshTurn: async () => {
        turns++
        return { kind: 'elsewhere', by: 'Dana', settled: Promise.resolve() }
      }
    }, clock)
    expect(await w.engine.freshAccessToken('acme', 5 * MINUTE)).toBe('access-acme-0')
    await expect(w.engine.refresh('acme', 'manual')).rejects.toMatchObject({ kind: 'timeout', message: expect.stringContaining('Dana is refreshing Library acme') })
    w.engine.start()
    turns = 0
    await clock.advance(MINUTE)
    // One look every few seconds at most, never a loop.
    expect(turns).toBeGreaterThan(0)
    expect(turns).toBeLessThanOrEqual(13)
    await clock.advance(2 * MINUTE)
    await expect(w.engine.freshAccessToken('acme', 5 * MINUTE)).rejects.toMatchObject({ kind: 'timeout' })
    expect(w.sent).toEqual([])
    expect(w.patches).toEqual([])
    w.engine.stop()
  })
})

describe("a team turn: elsewhere, and the other member's refresh failed", () => {
  it('the caller here hears that failure (as the store adopted it), and this machine sends nothing and writes nothing', async () => {
    const clock = new ManualClock()
    const w = world([record('acme', clock.now(), { expiresAt: clock.now() + MINUTE })], {
      refreshTurn: async () => {
        const meta = w.records.get('acme') as LibraryMeta
        const failure = { kind: 'server_error' as const, message: 'Apicbase answered 503 to Dana', at: clock.now(), retryAt: clock.now() + MINUTE }
        w.records.set('acme', { ...meta, lastError: failure })
        return { kind: 'elsewhere', by: 'Dana', settled: Promise.resolve() }
      }
    }, clock)
    await expect(w.engine.refresh('acme', 'manual')).rejects.toMatchObject({ kind: 'server_error', message: 'Apicbase answered 503 to Dana' })
    w.records.set('acme', { ...(w.records.get('acme') as LibraryMeta), lastError: null, tokenState: 'needs_reauth' })
    await expect(w.engine.freshAccessToken('acme', 5 * MINUTE)).rejects.toMatchObject({ kind: 'invalid_grant' })
    expect(w.sent).toEqual([])
    expect(w.patches).toEqual([])
  })
})

describe('a team turn: elsewhere, a store that never says it settled', () => {
  it('waits at most a minute, then hands out the still-valid token saved here, having sent nothing', async () => {
    const clock = new ManualClock()
    const w = world([record('acme', clock.now(), { expiresAt: clock.now() + 3 * MINUTE })], {
      refreshTurn: async () => ({ kind: 'elsewhere', by: 'Dana', settled: new Promise<void>(() => undefined) })
    }, clock)
    let copied: string | null = null
    void w.engine.freshAccessToken('acme', 5 * MINUTE).then((token) => (copied = token))
    await clock.advance(59_000)
    expect(copied).toBeNull()
    await clock.advance(1_000)
    expect(copied).toBe('access-acme-0')
    expect(w.sent).toEqual([])
    await w.engine.settled()
  })
})

/** dueAcme in a team store that is offline until the test sets `store.online`. */
function offlineStore(): { clock: ManualClock; w: World; turns: () => number; store: { online: boolean } } {
  const store = { online: false }
  return { ...dueAcme((_n, w) => (store.online ? mine(w.log) : { kind: 'offline', since: w.clock.now() })), store }
}

describe('a team turn: offline', () => {
  it('sends nothing and writes nothing; a copy of a still-valid token works, an expired one is refused as team_offline', async () => {
    const clock = new ManualClock()
    const since = clock.now() - 10 * MINUTE
    const w = world(
      [record('valid', clock.now(), { expiresAt: clock.now() + 2 * MINUTE }), record('expired', clock.now() - 7 * DAY, { expiresAt: clock.now() - MINUTE })],
      { refreshTurn: async () => ({ kind: 'offline', since }) },
      clock
    )
    // Inside the copy margin, so a refresh is wanted; offline, the token saved here is handed out while it is valid.
    expect(await w.engine.freshAccessToken('valid', 5 * MINUTE)).toBe('access-valid-0')
    const refused = w.engine.freshAccessToken('expired', 5 * MINUTE)
    await expect(refused).rejects.toBeInstanceOf(ApiError)
    await expect(refused).rejects.toMatchObject({ kind: 'team_offline', message: expect.stringContaining('offline from the team') })
    await expect(w.engine.refresh('valid', 'manual')).rejects.toMatchObject({ kind: 'team_offline' })
    expect(w.log).not.toContain('client.refresh')
    expect(w.log).not.toContain('patch')
    expect(w.sent).toEqual([])
    expect(w.records.get('expired')?.lastError).toBeNull()
  })

  it('the timer waits while offline and plans again when the engine is told the store is back', async () => {
    const { clock, w, turns, store } = offlineStore()
    w.engine.start()
    await clock.advance(30 * MINUTE)
    expect(turns()).toBe(1)
    expect(w.sent).toEqual([])
    // Nothing planned while offline: the window says the token expires with no refresh on track.
    expect(w.engine.status('acme')).toBe('expiring_soon')
    store.online = true
    w.engine.reevaluate()
    await clock.advance(1_000)
    expect(turns()).toBe(2)
    expect(w.sent).toEqual(['refresh-acme-0'])
    expect(w.engine.status('acme')).toBe('healthy')
    w.engine.stop()
  })
})

describe('a team turn: offline, then a record announced changed', () => {
  it('plans the family again: a store that announces a change is reachable', async () => {
    const { clock, w, turns, store } = offlineStore()
    w.engine.start()
    await clock.advance(10 * MINUTE)
    expect(turns()).toBe(1)
    store.online = true
    w.engine.track('acme')
    await clock.advance(1_000)
    expect(turns()).toBe(2)
    expect(w.sent).toEqual(['refresh-acme-0'])
    w.engine.stop()
  })
})

describe('a team offset', () => {
  it("moves the timer by the store's offset, so members do not ask at once", async () => {
    const start = Date.UTC(2026, 10, 25, 9, 0, 0)
    const meta = record('acme', start)
    const first = world([meta], { refreshOffset: () => 0 }, new ManualClock(start))
    const second = world([meta], { refreshOffset: () => 90_000 }, new ManualClock(start))
    first.engine.start()
    second.engine.start()
    await first.clock.advance(7 * DAY)
    const sentAt = (first.records.get('acme') as LibraryMeta).lastRefreshedAt as number
    await second.clock.advance(sentAt - start + 89_000)
    expect(second.sent).toEqual([])
    await second.clock.advance(1_000)
    expect(second.sent).toEqual(['refresh-acme-0'])
    expect(first.sent).toEqual(['refresh-acme-0'])
    first.engine.stop()
    second.engine.stop()
  })
})

describe('a vault without the port (the local vault)', () => {
  it('is used exactly as before: only its six methods, in the same order, on success, on failure and for a copy', async () => {
    const clock = new ManualClock()
    const meta = record('acme', clock.now())
    const called: string[] = []
    const plain: EngineVault = {
      list: () => [meta],
      get: () => meta,
      secrets: async () => ({ clientSecret: 's', accessToken: 'a-0', refreshToken: 'r-0' }) as never,
      isSpent: () => false,
      commitRotation: async () => undefined,
      patch: async () => undefined
    }
    // Records every method the engine calls on the vault.
    const vault = new Proxy(plain, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver)
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          called.push(String(key))
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      }
    })
    let fail = false
    const client: EngineClient = {
      refresh: async () => {
        if (fail) throw new ApiError('network', 'unreachable')
        return { accessToken: 'a-1', refreshToken: 'r-1', expiresInSeconds: 3600, scopes: [] }
      }
    }
    const engine = new RefreshEngine({ vault, client, clock, audit: { append: async () => undefined }, random: () => 0.5 })
    expect(await engine.refresh('acme', 'manual')).toBe('a-1')
    fail = true
    await expect(engine.refresh('acme', 'manual')).rejects.toThrow('unreachable')
    await expect(engine.freshAccessToken('acme', 30 * DAY)).rejects.toThrow('unreachable')
    expect(await engine.freshAccessToken('acme', 0)).toBe('a-0')
    expect(called.filter((name) => name !== 'get' && name !== 'list')).toEqual(['secrets', 'isSpent', 'commitRotation', 'secrets', 'isSpent', 'patch', 'secrets', 'isSpent', 'patch', 'secrets'])
  })
})
