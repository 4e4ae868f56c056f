// ls, status, token and refresh: one call to the running Larder each, the answer printed for a person (a table on
// stdout, messages on stderr) or for a script (--json on stdout). `token` writes exactly the token's text and a
// newline on stdout, so `$(larder token Acme)` holds the token and nothing else.
import type { EndpointHolder, TerminalCallName, TokenFormat } from '../../shared/terminal-words.ts'
import type { ListAnswer, TerminalRow, TerminalStatus, TokenAnswer } from './answers.ts'
import { SYSTEM_LABEL } from '../../shared/status-words.ts'
import { statusWord, table, timeLeft, when } from './words.ts'
import { offlineLine, type TeamView } from './team.ts'

export interface Io {
  out(text: string): void
  err(text: string): void
}

/** Asks the running Larder; a refusal is thrown as a Failure the command exits with. */
export type Caller = <T>(name: TerminalCallName, input: Readonly<Record<string, unknown>>) => Promise<{ readonly holder: EndpointHolder; readonly value: T }>

const TYPE_WORDS: Readonly<Record<string, string>> = { service_account: 'service account', personal: 'personal', integration: 'integration' }

/** A library whose refreshes Larder holds back (issue 17): moved to another machine, or paused after a restore. */
function holdWord(kind: 'moved' | 'paused'): string {
  return kind === 'moved' ? 'Moved' : 'Paused'
}

/** An Apicbase token's type in words; '–' for a key of another system (which has none). */
function typeWord(type: string | null): string {
  return type === null ? '–' : (TYPE_WORDS[type] ?? type)
}

export async function listLibraries(call: Caller, io: Io, json: boolean): Promise<void> {
  const { value } = await call<ListAnswer>('ls', {})
  if (json) {
    io.out(`${JSON.stringify(value.libraries)}\n`)
    return
  }
  if (value.libraries.length === 0) {
    io.err('Larder holds no library yet. Add one in the app.\n')
    return
  }
  // An older Larder's rows have no customer: '–' as for none.
  const rows = value.libraries.map((row) => [row.name, row.hold === undefined ? statusWord(row.status) : holdWord(row.hold.kind), timeLeft(row.timeLeftMs), typeWord(row.tokenType), SYSTEM_LABEL[row.provider] ?? row.provider, row.customer ?? '–', row.apicbaseLibraryId ?? '–', row.id])
  io.out(`${table([['NAME', 'STATUS', 'TIME LEFT', 'TYPE', 'PROVIDER', 'CUSTOMER', 'LIBRARY ID', 'LARDER ID'], ...rows])}\n`)
}

export async function showStatus(call: Caller, io: Io, library: string | undefined, json: boolean): Promise<void> {
  if (library === undefined) {
    const { holder, value } = await call<ListAnswer>('ls', {})
    const counts = new Map<string, number>()
    for (const row of value.libraries) counts.set(row.status, (counts.get(row.status) ?? 0) + 1)
    const team = await teamOf(call)
    if (json) {
      io.out(`${JSON.stringify({ holder, libraries: value.libraries.length, statuses: Object.fromEntries(counts), ...(team === null ? {} : { team: { membership: team.membership, link: team.link } }) })}\n`)
      return
    }
    const by = [...counts].map(([status, n]) => `${n} ${statusWord(status).toLowerCase()}`).join(', ')
    io.out(`Larder ${holder.version} (${holder.host === 'agent' ? 'agent' : 'desktop app'}, pid ${holder.pid}), vault ${holder.vault}\n`)
    io.out(`${value.libraries.length} ${value.libraries.length === 1 ? 'library' : 'libraries'}${by === '' ? '' : `: ${by}`}\n`)
    const offline = team === null ? null : offlineLine(team)
    if (offline !== null) io.out(`${offline}\n`)
    return
  }
  const { value } = await call<TerminalStatus>('status', { library })
  if (json) {
    io.out(`${JSON.stringify(value)}\n`)
    return
  }
  const lines: [string, string][] = [
    value.key === undefined
      ? ['Library', `${value.name} (${value.customer == null ? '' : `${value.customer}, `}Apicbase library ${value.apicbaseLibraryId ?? '–'}, Larder id ${value.id})`]
      : ['Key', `${value.name} (${SYSTEM_LABEL[value.provider] ?? value.provider}${value.key.customer === null ? '' : `, ${value.key.customer}`}, Larder id ${value.id})`],
    ['Status', value.hold === undefined ? statusWord(value.status) : `${holdWord(value.hold.kind)}: ${value.hold.message}`],
    ['Token', value.tokenType === null ? (SYSTEM_LABEL[value.provider] ?? value.provider) : `${typeWord(value.tokenType)}, ${SYSTEM_LABEL[value.provider] ?? value.provider}`],
    ['Expires', value.expiresAt === null ? '–' : `${when(value.expiresAt)} (${timeLeft(value.timeLeftMs)} left)`],
    ...(value.key === undefined ? [['Last refresh', when(value.lastRefreshedAt)] as [string, string]] : [])
  ]
  if (value.key !== undefined) {
    if (value.key.actsAs !== null) lines.push(['Acts as', value.key.actsAs])
    lines.push(['Last used', when(value.key.lastUsedAt)])
    const check = value.key.lastCheck
    if (check !== null) lines.push(['Last check', `${when(check.at)}: ${check.outcome}${check.message === null ? '' : ` (${check.message})`}`])
  }
  if (value.health?.checkedAt != null) {
    const outcome = value.health.outcome === null ? '' : `: ${value.health.outcome}`
    lines.push(['Last check', `${when(value.health.checkedAt)}${outcome}${value.health.message === null ? '' : ` (${value.health.message})`}`])
  }
  if (value.health?.nextAt != null) lines.push(['Next check', when(value.health.nextAt)])
  if (value.lastError) lines.push(['Last error', `${value.lastError.message} (${when(value.lastError.at)})`])
  const limit = value.rateLimit
  if (limit) {
    const figures = [
      limit.remaining !== null && limit.limit !== null ? `${limit.remaining} of ${limit.limit} left` : null,
      limit.resetAt !== null ? `resets ${when(limit.resetAt)}` : null,
      limit.waitingUntil !== null ? `waiting after a 429 until ${when(limit.waitingUntil)}` : null
    ].filter((part) => part !== null)
    if (figures.length > 0) lines.push(['Rate limit', figures.join(', ')])
  }
  io.out(`${table(lines.map(([k, v]) => [`${k}:`, v]))}\n`)
}

/** The team's view for `larder status`; null from a Larder that has no team call (an older one) or cannot say now. */
async function teamOf(call: Caller): Promise<TeamView | null> {
  try {
    const { value } = await call<TeamView>('team-status', {})
    // Anything but a team view (a Larder that answers this call otherwise) says nothing of a team.
    return typeof (value as Partial<TeamView> | undefined)?.link?.state === 'string' ? value : null
  } catch {
    return null
  }
}

export async function printToken(call: Caller, io: Io, library: string, format: TokenFormat): Promise<void> {
  const { value } = await call<TokenAnswer>('token', { library, format })
  io.out(`${value.text}\n`)
}

export async function refreshNow(call: Caller, io: Io, library: string, json: boolean): Promise<void> {
  const { value } = await call<TerminalRow>('refresh', { library })
  if (json) io.out(`${JSON.stringify(value)}\n`)
  else io.err(`Refreshed ${value.name}. The new token is good until ${when(value.expiresAt)}.\n`)
}
