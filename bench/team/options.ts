// The team scale benchmark's options (`node bench/team.ts [--members=N] [--credentials=N] [--days=N] [--contended=N]
// [--concurrency=N] [--json]`), checked before anything starts.
import { parseArgs } from 'node:util'

export interface TeamBenchOptions {
  /** Members of the team, each with its own team vault, link and refresh engine. */
  readonly members: number
  /** Credentials shared in the team for the steady run. */
  readonly credentials: number
  /** Simulated days: how many refreshes the steady run triggers (credentials × days / REFRESH_EVERY_DAYS). */
  readonly days: number
  /** Expiring credentials every member asks for at once in the contention run. */
  readonly contended: number
  /** Refreshes in flight at once in the steady run (across the team). */
  readonly concurrency: number
  readonly json: boolean
}

export const TEAM_BENCH_DEFAULTS: TeamBenchOptions = { members: 10, credentials: 500, days: 7, contended: 100, concurrency: 8, json: false }

function wholeAtLeast(name: string, raw: string | undefined, fallback: number, least: number): number {
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < least) throw new RangeError(`--${name} must be a whole number ≥ ${least}, got ${JSON.stringify(raw)}`)
  return value
}

export function parseTeamBenchOptions(argv: readonly string[]): TeamBenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      members: { type: 'string' },
      credentials: { type: 'string' },
      days: { type: 'string' },
      contended: { type: 'string' },
      concurrency: { type: 'string' },
      json: { type: 'boolean' }
    }
  })
  const d = TEAM_BENCH_DEFAULTS
  return {
    members: wholeAtLeast('members', values.members, d.members, 2),
    credentials: wholeAtLeast('credentials', values.credentials, d.credentials, 1),
    days: wholeAtLeast('days', values.days, d.days, 1),
    contended: wholeAtLeast('contended', values.contended, d.contended, 1),
    concurrency: wholeAtLeast('concurrency', values.concurrency, d.concurrency, 1),
    json: values.json ?? false
  }
}
