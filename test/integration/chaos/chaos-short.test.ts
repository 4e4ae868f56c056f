// The short chaos run, part of `npm test`: 20 libraries, about 400 refreshes driven by time travel, the sandbox
// injecting resets before and after commit, 5xx, HTML error pages, latency spikes and 429 bursts, and the Larder
// process SIGKILLed 4 times and restarted. `npm run chaos` is the full run (200 libraries, 10,000 refreshes, 20 kills).
import { describe, expect, it } from 'vitest'
import { formatFigures, runChaos } from '../../chaos/chaos.ts'
import { expectChaosHeld } from '../../support/chaos-expect.ts'

const SEED = Number(process.env['LARDER_CHAOS_SEED'] ?? 20_261_125)

describe('chaos (short)', () => {
  it(
    'no refresh token is lost, committed-unanswered rotations are marked within one attempt, limits and secrets hold',
    async () => {
      const result = await runChaos({ seed: SEED, libraries: 20, refreshes: 400, kills: 4, timeLimitMs: 45_000 })
      console.log(`chaos (short), seed ${SEED}:\n${formatFigures(result)}`)
      const f = result.figures

      expectChaosHeld(result)

      // The run tested something: every kill happened, the faults fired, some rotations were lost and caught.
      expect(f.kills).toBe(4)
      expect(f.refreshesDone).toBeGreaterThanOrEqual(400)
      expect(f.committedUnanswered).toBeGreaterThan(0)
      expect(f.faultsApplied['reset after commit'] ?? 0).toBeGreaterThan(0)
      expect(f.faultsApplied['reset before commit'] ?? 0).toBeGreaterThan(0)
      expect(f.secretsSearched).toBeGreaterThan(f.libraries * 3)
    },
    90_000
  )
})
