// `npm run sandbox`: a local Apicbase stand-in for trying the app by hand. Admin is on, because a
// person trying the app wants to move the clock and break things. The printed credentials are fake.
// Each run draws a seed of its own (printed; --seed N repeats it), so a second sandbox (or `npm run dev:web`'s)
// never holds the same credentials: a pair added from one is unknown to the other.

import { randomSeed, startSandbox } from './index.ts'
import type { Sandbox, SandboxOptions } from './index.ts'

const USAGE = 'usage: node test/sandbox/cli.ts [--port N] [--seed N] [--ttl SECONDS] [--no-rate-limit] [--json]'

interface CliOptions {
  sandbox: SandboxOptions
  json: boolean
}

class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): CliOptions | 'help' {
  const sandbox: SandboxOptions = { admin: true }
  let json = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    const [flag = '', inline] = arg.startsWith('--') && arg.includes('=') ? splitOnce(arg) : [arg, undefined]
    const value = (min: number): number => {
      const raw = inline ?? argv[++i]
      if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < min) {
        throw new UsageError(`${flag} needs an integer >= ${min}, got ${raw === undefined ? 'nothing' : `'${raw}'`}`)
      }
      return Number(raw)
    }
    const noValue = (): void => {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`)
    }
    switch (flag) {
      case '--port':
        sandbox.port = value(0)
        if (sandbox.port > 65535) throw new UsageError('--port must be at most 65535')
        break
      case '--seed':
        sandbox.seed = value(0)
        break
      case '--ttl':
        sandbox.accessTokenTtlSeconds = value(1)
        break
      case '--no-rate-limit':
        noValue()
        sandbox.rateLimitPerMinute = false
        break
      case '--json':
        noValue()
        json = true
        break
      case '--help':
      case '-h':
        return 'help'
      default:
        throw new UsageError(`unknown flag '${flag}'`)
    }
  }
  sandbox.seed ??= randomSeed()
  return { sandbox, json }
}

function splitOnce(arg: string): [string, string] {
  const at = arg.indexOf('=')
  return [arg.slice(0, at), arg.slice(at + 1)]
}

function describe(sb: Sandbox): string {
  const rows = sb.fixtures.libraries.map((l) => [String(l.id), l.name, l.tokenType, l.familyId, l.clientId, l.clientSecret, l.accessToken, l.refreshToken])
  const u = sb.fixtures.user
  rows.push([`user ${u.id}`, u.name, u.token.tokenType, u.token.familyId, u.token.clientId, u.token.clientSecret, u.token.accessToken, u.token.refreshToken])
  const header = ['library', 'name', 'token type', 'family', 'client id', 'client secret', 'access token', 'refresh token']
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)))
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()
  const access = u.permissions.map((p) => `${p.libraryName} (${p.libraryId}): ${p.scopes.join(' ')}`).join('; ')
  return [
    `Apicbase sandbox listening on ${sb.url}`,
    `Data: seed ${sb.fixtures.seed} (--seed ${sb.fixtures.seed} repeats these credentials)`,
    `Admin endpoints: ${sb.adminUrl === null ? '(off)' : `${sb.adminUrl}/`}  (fixtures/, clock/, faults/, counters/, active-library/, libraries/, codes/, tokens/)`,
    `Token endpoint:  ${sb.url}/oauth/token/`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `${u.name} (user ${u.id}) may use: ${access}; active library ${u.activeLibraryId}.`,
    `Partner application (the OAuth client for a personal token): client id ${sb.fixtures.partner.clientId}, client secret ${sb.fixtures.partner.clientSecret}.`,
    'These credentials are fake and only work against this sandbox. Ctrl+C stops it.'
  ].join('\n')
}

async function main(): Promise<void> {
  let parsed: CliOptions | 'help'
  try {
    parsed = parseArgs(process.argv.slice(2))
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`sandbox: ${error.message}\n${USAGE}\n`)
    process.exit(2)
  }
  if (parsed === 'help') {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const sb = await startSandbox(parsed.sandbox)
  if (parsed.json) {
    const { libraries, user } = sb.fixtures
    process.stdout.write(`${JSON.stringify({ url: sb.url, adminUrl: sb.adminUrl, seed: sb.fixtures.seed, libraries, user })}\n`)
  } else {
    process.stdout.write(`${describe(sb)}\n`)
  }
  const stop = (): void => {
    sb.close().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

if (import.meta.main === true) {
  main().catch((error: unknown) => {
    process.stderr.write(`sandbox: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  })
}
