// The chaos run's fixed settings and its options: the simulated calendar, the vault's passphrase and key cost,
// how long a Larder process may take to start.
import type { FaultRates } from './fault-schedule.ts'

export const PASSPHRASE = 'chaos: correct horse battery staple'
/** Cheap key derivation: the run opens the vault 20-odd times. */
export const FAST_SCRYPT = { N: 1024, r: 8, p: 1 } as const
export const DAY = 86_400_000
const HOUR = 3_600_000
/** The documented access-token lifetime; the engine refreshes a day before expiry, so about every 6 days. */
export const TOKEN_LIFETIME_MS = 7 * DAY
/**
 * The partner's working day: the machine is awake from 09:00 to 18:00 (timers fire one by one, the clock moving in
 * steps of up to 3 h) and asleep overnight (the clock jumps 15 h; on waking the engine re-evaluates and refreshes
 * everything that fell due at once). Between steps the run re-authorizes libraries and starts 429 bursts.
 */
export const START_TIME = Date.UTC(2026, 10, 25, 9, 0, 0)
export const AWAKE_MS = 9 * HOUR
export const AWAKE_STEP_MS = 3 * HOUR
export const READY_TIMEOUT_MS = 30_000

export interface ChaosOptions {
  readonly seed: number
  readonly libraries: number
  /** Token requests answered 200 before the final round. */
  readonly refreshes: number
  readonly kills: number
  /** Wall-clock bound: past it the run stops driving, does the final round and reports (and fails "completed"). */
  readonly timeLimitMs: number
  readonly log?: (line: string) => void
  readonly faults?: Partial<FaultRates>
  /** Leave the data folder in place (its path is in the result). */
  readonly keepDataDir?: boolean
  /**
   * The process killed: the refresh engine on its own ('engine', the default) or the whole headless app as
   * `larder agent` runs it ('agent': lock, endpoint and all; after every start `larder ls --json` must answer).
   */
  readonly host?: ChaosHost
}

export type ChaosHost = 'engine' | 'agent'
