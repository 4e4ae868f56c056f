// The short chaos run with `larder agent` as the process that is SIGKILLed mid-refresh: the whole headless app (the
// data folder's lock, the endpoint, the app's refresh engine and health checks) on the chaos run's clock, killed 4
// times and started again on the same folder, taking over the socket the killed one left. After every start the real
// `larder ls --json` must list every library through it. `npm run chaos -- --host agent` is the full run.
import { describe, expect, it } from 'vitest'
import { formatFigures, runChaos } from '../../chaos/chaos.ts'
import { expectChaosHeld } from '../../support/chaos-expect.ts'

const SEED = Number(process.env['LARDER_CHAOS_SEED'] ?? 20_261_206)

describe('chaos (short) with larder agent', () => {
  it(
    'the agent survives kill -9 mid-refresh: no refresh token lost, lost answers marked within one attempt, larder ls answers after every restart',
    async () => {
      const result = await runChaos({ seed: SEED, libraries: 20, refreshes: 400, kills: 4, timeLimitMs: 60_000, host: 'agent' })
      console.log(`chaos (short, agent), seed ${SEED}:\n${formatFigures(result)}`)
      const f = result.figures

      expectChaosHeld(result)
      expect(f.host).toBe('agent')

      // It tested something: every kill happened (each on a token request's send or answer), the agent came back
      // each time and answered `larder ls`, and some rotations were committed and never answered.
      expect(f.kills).toBe(4)
      expect(f.starts).toBe(5)
      expect(f.listedByTerminal).toBe(f.starts)
      expect(f.refreshesDone).toBeGreaterThanOrEqual(400)
      expect(f.committedUnanswered).toBeGreaterThan(0)
    },
    120_000
  )
})
