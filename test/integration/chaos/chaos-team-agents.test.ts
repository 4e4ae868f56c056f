// The team chaos run with real processes (issue 16), shortened in days: five members of one team, each a real Larder
// process running the headless app as `larder agent` does, each on its own data folder, on a real PostgreSQL over 200
// credentials at one sandbox (as the issue asks); time travel through three working days, the sandbox's faults, four
// SIGKILLs of members (mid-refresh included) and their restarts, one PostgreSQL restart and one drop of every member's
// connections during refreshes (test/chaos/team-agents/). The full run is `npm run chaos -- --team` (7 days, 10 kills).
// Every pair reaches every other member within 2 s (less the taker's own stalls: pair-times.ts). LARDER_CHAOS_SEED picks
// another seed.
import { describe, expect, it } from 'vitest'
import { runTeamAgents } from '../../chaos/team-agents/team-agents.ts'
import { findPgBinaries, pgServerForSuite } from '../../support/postgres-server.ts'

const SEED = Number(process.env['LARDER_CHAOS_SEED'] ?? 20_261_207)
const binaries = findPgBinaries()

describe.skipIf(binaries.bin === null && !binaries.required)('team chaos with real member processes (short)', () => {
  const server = pgServerForSuite(binaries)

  it(
    'five agent processes over 200 credentials: no refresh token lost apart from committed-unanswered rotations (each marked within one attempt), one refresh per family in flight, every pair at every member within 2 s, the members’ stores agreeing with the server, no secret in clear',
    async () => {
      const result = await runTeamAgents({ seed: SEED, members: 5, credentials: 200, days: 3, kills: 4, timeLimitMs: 240_000 }, server())
      const f = result.figures
      console.log(`team chaos with real members (short), seed ${SEED}:\n${JSON.stringify(f, null, 1)}${result.problems.map((p) => `\nproblem: ${p}`).join('')}`)

      expect(result.failed).toEqual([])
      expect(result.problems).toEqual([])
      expect(f.lost).toBe(0)
      expect(f.missing).toBe(0)
      expect(f.disagreeing).toBe(0)
      expect(f.mostVerdictsBeforeMark).toBeLessThanOrEqual(1)
      expect(f.maxInFlightPerFamily).toBeLessThanOrEqual(1)
      expect(f.healthy + f.committedUnanswered).toBe(f.credentials)
      expect(f.secretsInDatabase + f.secretsInFiles + f.secretsInOutput).toBe(0)
      expect(f.pairsOver2s).toBe(0)
      expect(f.slowestPairMs).toBeLessThanOrEqual(2_000)

      // The run tested something: members were killed and started again, the database restarted and the connections
      // dropped, refreshes went through, the scans looked at real data.
      expect(f.kills).toBeGreaterThanOrEqual(4)
      expect(f.memberStarts).toBeGreaterThanOrEqual(5 + f.kills)
      expect(f.databaseRestarts).toBe(1)
      expect(f.connectionsDropped).toBeGreaterThan(0)
      expect(f.refreshes).toBeGreaterThanOrEqual(400)
      // Pairs were timed at the other members: about four per refresh.
      expect(f.pairsTimed).toBeGreaterThanOrEqual(f.refreshes * 2)
      expect(f.tables).toBeGreaterThanOrEqual(5)
      expect(f.rowsScanned).toBeGreaterThanOrEqual(f.credentials)
      expect(f.secretsSearched).toBeGreaterThan(f.credentials * 3)
    },
    300_000
  )
})
