// A health check of a team credential (issue 16) that this machine could not refresh because of the team store is no
// verdict on the token: offline from the team, or another member's refresh not finished, records no 'rejected' or
// 'unreachable', writes no failure to the audit trail, and the check is simply tried again later.
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../src/main/core/errors.ts'
import { HealthMonitor } from '../../../src/main/core/health/health-monitor.ts'
import type { HealthClient, HealthVault } from '../../../src/main/core/health/health-types.ts'
import type { LibraryMeta, LibrarySecrets } from '../../../src/main/core/model.ts'
import { DAY, record, world, type TeamPort, type World } from '../engine/refresh-turn-support.ts'

interface Checked {
  readonly monitor: HealthMonitor
  readonly world: World
  readonly audited: string[]
  readonly reads: string[]
}

/** The real engine over a team port, and a health monitor whose reads answer `read` (a report, or an error thrown). */
function checked(meta: (now: number) => LibraryMeta, port: TeamPort, read: () => Promise<{ endpoint: string }>): Checked {
  const team = world([], port)
  const start = team.clock.now()
  const library = meta(start)
  team.records.set(library.id, library)
  team.secrets.set(library.id, { clientSecret: 'secret', accessToken: 'access-0', refreshToken: 'refresh-0' })
  const vault: HealthVault = {
    list: () => [...team.records.values()],
    get: (id) => team.records.get(id),
    secrets: async (id) => team.secrets.get(id) as LibrarySecrets,
    patch: async (id, patch) => void team.records.set(id, { ...(team.records.get(id) as LibraryMeta), ...patch } as LibraryMeta)
  }
  const reads: string[] = []
  const client: HealthClient = {
    readCheck: async (_target, token) => {
      reads.push(token)
      return { ...(await read()), rateLimit: null } as unknown as Awaited<ReturnType<HealthClient['readCheck']>>
    },
    rateLimit: () => null,
    waitingUntil: () => null
  }
  const audited: string[] = []
  const monitor = new HealthMonitor({
    vault,
    client,
    engine: team.engine,
    clock: team.clock,
    audit: { append: async (entry) => void audited.push(`${entry.action}: ${entry.detail ?? ''}`) },
    scheduled: false
  })
  return { monitor, world: team, audited, reads }
}

describe('a health check that met the team store', () => {
  it('offline from the team with the saved token expired: no verdict, nothing audited', async () => {
    const since = Date.UTC(2026, 11, 7, 10, 42)
    const { monitor, world: team, audited, reads } = checked(
      (now) => record('lib-1', now - 8 * DAY, { name: 'Bistro Noord', expiresAt: now - 60_000 }),
      { refreshTurn: async () => ({ kind: 'offline', since }) },
      async () => ({ endpoint: '/api/v2/library/recipes/' })
    )
    expect(await monitor.check('lib-1')).toBeNull()
    expect(monitor.state('lib-1')).toMatchObject({ checkedAt: null, outcome: null, verdict: null })
    expect(audited).toEqual([])
    expect(reads).toEqual([])
    expect(team.records.get('lib-1')).toMatchObject({ tokenState: 'active', lastError: null })
  })

  it("another member's refresh not finished: no 'unreachable', tried again after the turn's retry time", async () => {
    let refused = true
    const { monitor, world: team, audited, reads } = checked(
      (now) => record('lib-1', now, { name: 'Bistro Noord' }),
      // Another member holds the turn and its pair never arrives while this machine waits.
      { refreshTurn: async () => ({ kind: 'elsewhere', by: 'Ann', settled: Promise.resolve() }) },
      async () => {
        // The access token was rotated away (401): the check asks for a refresh, which the team says is Ann's.
        if (refused) throw new ApiError('unauthorized', 'Apicbase refused the access token (HTTP 401).', { status: 401 })
        return { endpoint: '/api/v2/library/recipes/' }
      }
    )
    expect(await monitor.check('lib-1')).toBeNull()
    expect(monitor.state('lib-1')).toMatchObject({ checkedAt: null, outcome: null, verdict: null })
    const nextAt = monitor.state('lib-1')?.nextAt ?? null
    expect(nextAt).not.toBeNull()
    expect(nextAt as number).toBeLessThanOrEqual(team.clock.now() + 5_000 + 60_000)
    expect(audited).toEqual([])
    expect(reads).toEqual(['access-0'])
    expect(team.records.get('lib-1')).toMatchObject({ tokenState: 'active', lastError: null })
    refused = false
  })
})
