// A library moved to another machine (issue 17 part 3) has a status of its own, 'moved': it is not revoked (its token
// still works, on the other machine), and nothing about its record here (expiry, a failure, a refresh) changes that.
import { describe, expect, it } from 'vitest'
import { deriveStatus, type LibraryMeta } from '../../../src/main/core/model.ts'
import { DAY, record } from './refresh-turn-support.ts'

const NOW = Date.UTC(2026, 10, 25, 9, 0, 0)
const IDLE = { refreshing: false, plannedAt: null }

/** Brasserie Nord, added a day ago with a week's token. */
const meta = (changes: Partial<LibraryMeta> = {}): LibraryMeta => record('nord', NOW - DAY, { name: 'Brasserie Nord', ...changes })

const hold = { kind: 'moved' as const, at: NOW, to: '/media/usb/larder-move.age', was: 'active' as const, message: 'Brasserie Nord was moved to /media/usb/larder-move.age.' }

describe('the status of a moved library', () => {
  it("reads 'moved', not 'revoked'", () => {
    expect(deriveStatus(meta({ tokenState: 'moved', hold }), NOW, IDLE)).toBe('moved')
    expect(deriveStatus(meta({ tokenState: 'revoked' }), NOW, IDLE)).toBe('revoked')
  })

  it("stays 'moved' when expired, failed, in flight, or moved while it needed re-authorization", () => {
    const failure = { kind: 'network' as const, message: 'Apicbase could not be reached.', at: NOW }
    expect(deriveStatus(meta({ tokenState: 'moved', hold, expiresAt: NOW - DAY }), NOW, IDLE)).toBe('moved')
    expect(deriveStatus(meta({ tokenState: 'moved', hold, lastError: failure }), NOW, IDLE)).toBe('moved')
    expect(deriveStatus(meta({ tokenState: 'moved', hold, expiresAt: NOW + 3_600_000 }), NOW, { refreshing: true, plannedAt: null })).toBe('moved')
    expect(deriveStatus(meta({ tokenState: 'moved', hold: { ...hold, was: 'needs_reauth' } }), NOW, IDLE)).toBe('moved')
  })
})
