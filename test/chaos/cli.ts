// `npm run chaos`: the full chaos run (200 libraries, 10,000 refreshes, 20 kills), seeded and bounded in time.
// Prints the figures and exits 1 when an assertion fails (2 on bad arguments).
// `npm run chaos -- --team`: the team run with real processes instead (team-agents/team-agents.ts): five members of one
// team on a real PostgreSQL over 200 credentials, --days simulated days (default 7), --kills kills (default 10), a time
// limit of 900 s unless given (each kill of a member holding a lease costs the lease's 30 s before another takes over).
import { pathToFileURL } from 'node:url'
import { formatFigures, runChaos, type ChaosHost, type ChaosOptions } from './chaos.ts'
import { runTeamAgents } from './team-agents/team-agents.ts'

const USAGE =
  'usage: node test/chaos/cli.ts [--seed N] [--libraries N] [--refreshes N] [--kills N] [--time-limit SECONDS] [--host engine|agent] [--keep] [--json]\n' +
  '       node test/chaos/cli.ts --team [--seed N] [--libraries N] [--members N] [--days N] [--kills N] [--time-limit SECONDS] [--keep] [--json]'

class UsageError extends Error {}

interface CliOptions {
  readonly chaos: ChaosOptions
  readonly json: boolean
  /** The team run with real processes (--team), its members and simulated days. */
  readonly team: { readonly members: number; readonly days: number } | null
}

export function parseArgs(argv: readonly string[]): CliOptions | 'help' {
  let seed = 20_261_125
  let libraries = 200
  let refreshes = 10_000
  let kills: number | null = null
  let timeLimitS: number | null = null
  let json = false
  let keep = false
  let host: ChaosHost = 'engine'
  let team = false
  let members = 5
  let days = 7
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    const eq = arg.indexOf('=')
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined
    const value = (min: number): number => {
      const raw = inline ?? argv[++i]
      if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < min) {
        throw new UsageError(`${flag} needs a whole number ≥ ${min}, got ${raw === undefined ? 'nothing' : `'${raw}'`}`)
      }
      return Number(raw)
    }
    switch (flag) {
      case '--seed':
        seed = value(0)
        break
      case '--libraries':
        libraries = value(1)
        break
      case '--refreshes':
        refreshes = value(0)
        break
      case '--kills':
        kills = value(0)
        break
      case '--time-limit':
        timeLimitS = value(1)
        break
      case '--host': {
        const raw = inline ?? argv[++i]
        if (raw !== 'engine' && raw !== 'agent') throw new UsageError(`--host is engine or agent, got ${raw === undefined ? 'nothing' : `'${raw}'`}`)
        host = raw
        break
      }
      case '--json':
        json = true
        break
      case '--team':
        team = true
        break
      case '--members':
        members = value(2)
        break
      case '--days':
        days = value(1)
        break
      case '--keep':
        keep = true
        break
      case '--help':
      case '-h':
        return 'help'
      default:
        throw new UsageError(`unknown argument '${arg}'`)
    }
  }
  const timeLimitMs = (timeLimitS ?? (team ? 900 : 300)) * 1000
  return { chaos: { seed, libraries, refreshes, kills: kills ?? (team ? 10 : 20), timeLimitMs, keepDataDir: keep, host }, json, team: team ? { members, days } : null }
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed: CliOptions | 'help'
  try {
    parsed = parseArgs(argv)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`${error.message}\n${USAGE}\n`)
    return 2
  }
  if (parsed === 'help') {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const { chaos, json } = parsed
  const log = json ? () => undefined : (line: string) => process.stderr.write(`${line}\n`)
  if (parsed.team !== null) return teamRun(chaos, parsed.team, json, log)
  log(
    `chaos: seed ${chaos.seed}, ${chaos.libraries} libraries, ${chaos.refreshes} refreshes, ${chaos.kills} kills, ` +
      `time limit ${chaos.timeLimitMs / 1000} s`
  )
  const result = await runChaos({ ...chaos, log })
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
  else process.stdout.write(`${formatFigures(result)}\n${result.ok ? 'chaos: all assertions hold' : 'chaos: FAILED'}\n`)
  return result.ok ? 0 : 1
}

async function teamRun(chaos: ChaosOptions, team: { readonly members: number; readonly days: number }, json: boolean, log: (line: string) => void): Promise<number> {
  log(`chaos --team: seed ${chaos.seed}, ${team.members} members, ${chaos.libraries} credentials, ${team.days} days, ${chaos.kills} kills, time limit ${chaos.timeLimitMs / 1000} s`)
  const result = await runTeamAgents({ seed: chaos.seed, members: team.members, credentials: chaos.libraries, days: team.days, kills: chaos.kills, timeLimitMs: chaos.timeLimitMs, log, keepDataDirs: chaos.keepDataDir === true })
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
  else {
    const lines = Object.entries(result.figures).map(([name, value]) => `  ${name}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    process.stdout.write(`${lines.join('\n')}\n${result.problems.map((p) => `problem: ${p}\n`).join('')}${result.failed.map((f) => `FAILED: ${f}\n`).join('')}`)
    process.stdout.write(result.ok ? 'chaos --team: all assertions hold\n' : 'chaos --team: FAILED\n')
  }
  return result.ok ? 0 : 1
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code
    },
    (error: unknown) => {
      process.stderr.write(`chaos: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
      process.exitCode = 1
    }
  )
}
