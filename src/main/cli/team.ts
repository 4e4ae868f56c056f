// larder team status|create|join|approve|leave|take-home (issue 16): the team from a terminal, so a machine without
// a window (`larder agent`) can make, join and run one. The database URL may hold a password, so it comes from
// LARDER_TEAM_DATABASE_URL only: argv is visible to every user of the machine in `ps`, and a URL found there is
// refused without being repeated. Leaving and taking the team home ask for confirmation on a terminal (--yes in a script).
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import type { TerminalAnswers } from '../../shared/contract/terminal.ts'
import { EXIT_CODES } from '../../shared/terminal-words.ts'
import type { Caller, Io } from './commands.ts'
import { askYesNo } from './estate.ts'
import { UsageError } from './exit-codes.ts'
import { table, when } from './words.ts'

export const TEAM_DATABASE_VARIABLE = 'LARDER_TEAM_DATABASE_URL'

export type TeamView = TerminalAnswers['team-status']

/** Where the command reads the URL and asks for confirmation: the process's environment and terminal. */
export interface TeamTerminal {
  readonly env: NodeJS.ProcessEnv
  readonly input: NodeJS.ReadStream
  readonly output: NodeJS.WriteStream
}

const SUBCOMMANDS = ['status', 'create', 'join', 'approve', 'leave', 'take-home'] as const
type Subcommand = (typeof SUBCOMMANDS)[number]

/** A CA file larger than this is not a PEM certificate chain (the contract's own limit). */
const MAX_CA_BYTES = 65_536

/** Anything in argv that reads like a URL (scheme://…): refused, never echoed. */
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i

export async function teamCommand(rest: readonly string[], io: Io, help: string, callerOf: (dataDir: string | undefined) => Caller, terminal: TeamTerminal): Promise<number> {
  // Before anything else reads argv (parseArgs' own errors quote what they refuse): a URL there is refused unrepeated.
  if (rest.some((arg) => URL_LIKE.test(arg) || URL_LIKE.test(arg.replace(/^--?[^=]*=/, '')))) {
    throw new UsageError(`larder team takes no database URL on its command line, where every user of this machine can read it (ps). Set ${TEAM_DATABASE_VARIABLE} instead.`)
  }
  const { values, positionals } = parseArgs({
    args: [...rest],
    allowPositionals: true,
    strict: true,
    options: {
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      name: { type: 'string' },
      ca: { type: 'string' },
      schema: { type: 'string' },
      yes: { type: 'boolean', short: 'y' }
    }
  })
  const [sub, ...args] = positionals
  if (values.help === true || sub === 'help') {
    io.out(`${help}\n`)
    return EXIT_CODES.ok
  }
  if (sub === undefined) throw new UsageError(`larder team needs what to do: ${SUBCOMMANDS.join(', ')}.`)
  if (!(SUBCOMMANDS as readonly string[]).includes(sub)) throw new UsageError(`Unknown larder team command "${sub}": use one of ${SUBCOMMANDS.join(', ')}.`)
  const subcommand = sub as Subcommand
  refuseOptions(subcommand, values)
  if (subcommand !== 'approve' && args.length > 0) throw new UsageError(`larder team ${subcommand} takes no ${args.length === 1 ? 'argument' : 'arguments'}; got ${args.length}.`)
  const json = values.json === true
  switch (subcommand) {
    case 'status': {
      const { value } = await callerOf(values['data-dir'])<TeamView>('team-status', {})
      if (json) io.out(`${JSON.stringify(value)}\n`)
      else io.out(`${describeTeam(value)}\n`)
      return EXIT_CODES.ok
    }
    case 'create':
    case 'join': {
      const place = placeFrom(subcommand, values, terminal.env)
      const { value } = await callerOf(values['data-dir'])<TeamView>(subcommand === 'create' ? 'team-create' : 'team-join', place)
      if (json) io.out(`${JSON.stringify(value)}\n`)
      else if (subcommand === 'create') io.err(`Made a team on ${value.database ?? 'the team database'} with this machine as its first member, ${value.name ?? place.name}.\nOthers join with larder team join (or Settings → Team), then a member approves their code: larder team approve CODE.\n`)
      else {
        // The code alone on stdout, so `code=$(larder team join --name …)` holds it; what to do with it on stderr.
        io.err(`Asked to join the team on ${value.database ?? 'the team database'} as ${value.name ?? place.name}.\nRead this code out to a member of the team; they approve it with larder team approve CODE (or in Settings → Team):\n`)
        io.out(`${value.code ?? ''}\n`)
        io.err('This Larder looks for the approval by itself; larder team status says when it came (membership: member).\n')
      }
      return EXIT_CODES.ok
    }
    case 'approve': {
      if (args.length !== 1) throw new UsageError(`larder team approve takes one CODE (the one the new member's Larder shows); got ${args.length}.`)
      const { value } = await callerOf(values['data-dir'])<TerminalAnswers['team-approve']>('team-approve', { code: args[0] as string })
      if (json) io.out(`${JSON.stringify(value)}\n`)
      else io.err(`Let ${value.name} into the team. Their Larder finds out by itself within seconds.\n`)
      return EXIT_CODES.ok
    }
    case 'leave':
    case 'take-home': {
      const call = callerOf(values['data-dir'])
      await confirm(subcommand, values.yes === true, terminal, io)
      const { value } = await call<TeamView>(subcommand === 'leave' ? 'team-leave' : 'team-take-home', {})
      if (json) io.out(`${JSON.stringify(value)}\n`)
      else io.err(subcommand === 'leave' ? "This machine left the team; its vault is local again (the team's credentials stay with the team).\n" : "The team's credentials are in this machine's vault now, and the team has ended.\n")
      return EXIT_CODES.ok
    }
  }
}

/** Options that mean nothing for this subcommand are refused, so a typo never passes silently. */
function refuseOptions(sub: Subcommand, values: { readonly name?: string | undefined; readonly ca?: string | undefined; readonly schema?: string | undefined; readonly yes?: boolean | undefined }): void {
  const placing = sub === 'create' || sub === 'join'
  const given = [...(values.name === undefined || placing ? [] : ['--name']), ...(values.ca === undefined || placing ? [] : ['--ca']), ...(values.schema === undefined || placing ? [] : ['--schema']), ...(values.yes === undefined || sub === 'leave' || sub === 'take-home' ? [] : ['--yes'])]
  if (given.length > 0) throw new UsageError(`larder team ${sub} takes no ${given.join(', ')}.`)
}

/** The team database from the environment, the CA from its file, this member's name: what create and join send. */
function placeFrom(sub: 'create' | 'join', values: { readonly name?: string | undefined; readonly ca?: string | undefined; readonly schema?: string | undefined }, env: NodeJS.ProcessEnv): Readonly<Record<string, string>> {
  const name = values.name?.trim() ?? ''
  if (name === '') throw new UsageError(`larder team ${sub} needs --name NAME: how this machine is named to the team's other members.`)
  const databaseUrl = env[TEAM_DATABASE_VARIABLE]?.trim() ?? ''
  if (databaseUrl === '') throw new UsageError(`larder team ${sub} reads the team database's URL from ${TEAM_DATABASE_VARIABLE} (postgresql://USER:PASSWORD@HOST:PORT/DATABASE), which is not set.`)
  return { databaseUrl, name, ...(values.ca === undefined ? {} : { caPem: readCa(values.ca) }), ...(values.schema === undefined ? {} : { schema: values.schema }) }
}

function readCa(file: string): string {
  let pem: string
  try {
    if (fs.statSync(file).size > MAX_CA_BYTES) throw new UsageError(`--ca ${file} is larger than ${MAX_CA_BYTES / 1024} kB: it is not a CA certificate in PEM.`)
    pem = fs.readFileSync(file, 'utf8')
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw new UsageError(`--ca ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`)
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`)
  return pem
}

const CONSEQUENCES: Readonly<Record<'leave' | 'take-home', { readonly what: string; readonly question: string }>> = {
  leave: {
    what: "This machine leaves the team: its copies of the team's credentials are deleted here, the team keeps them, and the other members' tokens stay valid.",
    question: 'Leave the team? [y/N] '
  },
  'take-home': {
    what: "The team ends: every team credential comes into this machine's vault with its newest pair, and every other member's Larder drops its copies and sends nothing more.",
    question: "End the team and take its credentials home? [y/N] "
  }
}

/** On a terminal, asked; with --yes, taken as given; otherwise (a script without --yes) refused before Larder is asked. */
async function confirm(sub: 'leave' | 'take-home', yes: boolean, terminal: TeamTerminal, io: Io): Promise<void> {
  if (yes) return
  if (terminal.input.isTTY !== true) throw new UsageError(`larder team ${sub} asks for confirmation on a terminal; without one, add --yes to confirm.`)
  const words = CONSEQUENCES[sub]
  io.err(`${words.what}\n`)
  if (!(await askYesNo(words.question, terminal))) throw new UsageError('Not confirmed; nothing was changed.')
}

const MEMBERSHIP_WORDS: Readonly<Record<TeamView['membership'], string>> = {
  none: 'none (a local vault)',
  joining: 'joining (waiting for a member to approve this machine)',
  member: 'member',
  out: 'out of the team'
}

/** The team view for a person: membership, name, database (no password), link, members; while joining, the code. */
export function describeTeam(view: TeamView): string {
  const lines: [string, string][] = [['Membership:', MEMBERSHIP_WORDS[view.membership]]]
  if (view.out !== undefined) lines.push(['Out since:', `${when(view.out.since)}: ${view.out.why}`])
  if (view.name !== null) lines.push(['This member:', view.name])
  if (view.database !== null) lines.push(['Database:', view.database])
  if (view.code !== null) lines.push(['Code:', `${view.code} (read it out to a member: larder team approve ${view.code}, or Settings → Team)`])
  if (view.membership === 'member' || view.membership === 'out') lines.push(['Link:', linkWords(view.link)])
  if (view.removal !== undefined) lines.push(['Removal:', view.removal.message])
  const head = table(lines)
  if (view.members.length === 0) return head
  const members = view.members.map((member) => ['', member.name, member.you ? '(this machine)' : ''])
  return `${head}\nMembers (${view.members.length}):\n${table(members).replace(/ +$/gm, '')}`
}

function linkWords(link: TeamView['link']): string {
  const since = link.since === null ? '' : ` since ${when(link.since)}`
  switch (link.state) {
    case 'online':
      return `online${since}`
    case 'offline':
      return `offline${since}${link.reason === null ? '' : `: ${link.reason}`}`
    case 'connecting':
      return 'connecting to the team database'
    case 'none':
      return 'none'
  }
}

/** `larder status`'s one line when this machine is offline from its team (null otherwise). */
export function offlineLine(view: TeamView): string | null {
  if (view.link.state !== 'offline') return null
  return `Offline from the team${view.link.since === null ? '' : ` since ${when(view.link.since)}`}${view.link.reason === null ? '' : `: ${view.link.reason}`}. Team credentials are listed and copied from this machine's cache; none is refreshed or changed until it is back.`
}
