// The refresh engine and a held library (issue 17): one moved to another machine or paused after a restore is never
// refreshed, by its timer or anyone's call, and one that becomes held while its refresh waits for a slot is not sent.
import { describe, expect, it } from 'vitest'
import { RefreshEngine } from '../../../src/main/core/engine/refresh-engine.ts'
import type { EngineClient, EngineVault, MetaPatch } from '../../../src/main/core/engine/ports.ts'
import type { LibraryMeta } from '../../../src/main/core/model.ts'
import { ManualClock } from '../../support/manual-clock.ts'
import { DAY, record } from './refresh-turn-support.ts'

function world(metas: LibraryMeta[], respond?: () => Promise<void>) {
  const clock = new ManualClock()
  const records = new Map(metas.map((meta) => [meta.id, meta]))
  const sent: string[] = []
  const vault: EngineVault = {
    list: () => [...records.values()],
    get: (id) => records.get(id),
    secrets: async () => ({ clientSecret: 'secret', accessToken: 'access', refreshToken: 'refresh' }) as never,
    isSpent: () => false,
    commitRotation: async (id, rotation) => {
      const meta = records.get(id) as LibraryMeta
      records.set(id, { ...meta, issuedAt: rotation.pair.issuedAt, expiresAt: rotation.pair.expiresAt, lastRefreshedAt: clock.now() })
    },
    patch: async (id: string, patch: MetaPatch) => {
      records.set(id, { ...(records.get(id) as LibraryMeta), ...patch } as LibraryMeta)
    }
  }
  const client: EngineClient = {
    refresh: async (target) => {
      sent.push(target.rateKey)
      await respond?.()
      return { accessToken: `a-${sent.length}`, refreshToken: `r-${sent.length}`, expiresInSeconds: 7 * 86_400, scopes: ['library'] }
    }
  }
  const engine = new RefreshEngine({ vault, client, clock, audit: { append: async () => undefined }, concurrency: 1, random: () => 0.5 })
  return { clock, records, sent, engine }
}

describe('the refresh engine and held libraries', () => {
  it('never refreshes a moved or a paused library: no timer fires for it and a call is refused, naming why', async () => {
    const now = new ManualClock().now()
    const hold = { at: now, to: '/media/usb/move.age', was: 'active' as const }
    const { clock, sent, engine } = world([
      record('moved', now, { tokenState: 'moved', hold: { ...hold, kind: 'moved', message: 'Library moved was moved to /media/usb/move.age on 2026-11-25.' } }),
      record('paused', now, { tokenState: 'paused', hold: { ...hold, to: null, kind: 'paused', message: 'Library paused is restored paused.' } }),
      record('live', now)
    ])
    engine.start()
    await clock.advance(20 * DAY)
    expect(sent.filter((id) => id !== 'live')).toEqual([])
    expect(sent.filter((id) => id === 'live').length).toBeGreaterThanOrEqual(2)
    await expect(engine.refresh('moved', 'manual')).rejects.toThrow('Take it back here only if the other machine no longer holds it')
    await expect(engine.freshAccessToken('paused', 60_000)).rejects.toThrow('restored paused')
    expect(engine.status('moved')).toBe('moved')
    expect(engine.status('paused')).toBe('expired')
    expect(sent.filter((id) => id !== 'live')).toEqual([])
    engine.stop()
  })

  it('a library marked moved while its refresh waits for a slot is not sent', async () => {
    const now = new ManualClock().now()
    let release: () => void = () => undefined
    const first = new Promise<void>((resolve) => (release = resolve))
    const { records, sent, engine } = world([record('busy', now), record('moving', now)], () => (sent.length === 1 ? first : Promise.resolve()))
    const busy = engine.refresh('busy', 'manual')
    await new Promise((resolve) => setImmediate(resolve))
    const waiting = engine.refresh('moving', 'manual')
    const meta = records.get('moving') as LibraryMeta
    records.set('moving', { ...meta, tokenState: 'moved', hold: { kind: 'moved', at: now, to: '/x.age', was: 'active', message: 'Library moving was moved.' } })
    release()
    await busy
    await expect(waiting).rejects.toThrow('was moved')
    expect(sent).toEqual(['busy'])
  })
})
