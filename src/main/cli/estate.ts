// larder backup FILE, larder restore FILE [--dry-run] [--take-over] [--confirm-host HOST]…, larder export-config FILE:
// one call to the running Larder each (after the terminal session's approval, as `token`). The passphrase comes from
// LARDER_BACKUP_PASSPHRASE (for scripts) or is asked on the terminal with echo off; never from the command line,
// where `ps` and the shell's history would show it. A restore that sends tokens to a host that is neither Apicbase's
// nor this computer needs it confirmed: --confirm-host HOST (as `larder import` takes it), or a question here.
import path from 'node:path'
import readline from 'node:readline'
import type { TerminalAnswers } from '../../shared/contract/terminal.ts'
import type { Caller, Io } from './commands.ts'
import { UsageError } from './exit-codes.ts'
import { hiddenPrompt } from './hidden-prompt.ts'
import { table, when } from './words.ts'

export const PASSPHRASE_VARIABLE = 'LARDER_BACKUP_PASSPHRASE'

export interface PassphraseSource {
  readonly env: NodeJS.ProcessEnv
  readonly input: NodeJS.ReadStream
  readonly output: NodeJS.WriteStream
}

/** Asks on the terminal with echo off; Ctrl-C or Ctrl-D ends the prompt with an error. */
async function askHidden(question: string, source: Pick<PassphraseSource, 'input' | 'output'>): Promise<string> {
  const answer = await hiddenPrompt(question, source.input, source.output)
  if (answer === null) throw new UsageError('No passphrase was given.')
  return answer
}

/** The backup's passphrase: the variable, else the terminal (twice when a new file is written, to catch a typo). */
export async function backupPassphrase(source: PassphraseSource, confirm: boolean): Promise<string> {
  const given = source.env[PASSPHRASE_VARIABLE]
  if (given !== undefined && given !== '') return given
  if (!source.input.isTTY) throw new UsageError(`No passphrase: set ${PASSPHRASE_VARIABLE} for a script, or run larder in a terminal to be asked.`)
  const first = await askHidden('Backup passphrase: ', source)
  if (!confirm) return first
  const again = await askHidden('The same passphrase again: ', source)
  if (again !== first) throw new UsageError('The two passphrases differ; nothing was written.')
  return first
}

function oneFile(positionals: readonly string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`larder ${command} takes one FILE; got ${positionals.length}.`)
  // The running app may have another working folder: it is handed an absolute path.
  return path.resolve(positionals[0] as string)
}

export async function writeBackup(call: Caller, io: Io, positionals: readonly string[], source: PassphraseSource, json: boolean): Promise<void> {
  const file = oneFile(positionals, 'backup')
  const passphrase = await backupPassphrase(source, true)
  const { value } = await call<TerminalAnswers['backup']>('backup', { path: file, passphrase })
  if (json) return io.out(`${JSON.stringify(value)}\n`)
  io.err(`Wrote an encrypted backup of ${value.libraries} ${value.libraries === 1 ? 'library' : 'libraries'} and ${value.keys} keys to ${value.path} (${Math.ceil(value.bytes / 1024)} kB).\n`)
  for (const left of value.leftOut) io.err(`Left out: ${left.name}: ${left.reason}.\n`)
  io.err('Keep the passphrase somewhere safe: without it nobody, Larder included, can open the file. `age --decrypt` opens it too.\n')
}

const OUTCOME_WORDS: Readonly<Record<string, string>> = {
  restored: 'restored',
  needs_reauth: 'needs re-authorization',
  paused: 'paused',
  kept: 'kept (newer here)',
  unchanged: 'unchanged',
  left_out: 'left out',
  replaced_since: 'replaced since',
  confirm_host: 'waits for its host to be confirmed'
}

export interface RestoreFlags {
  readonly dryRun: boolean
  readonly takeOver: boolean
  readonly json: boolean
  /** --confirm-host HOST, each given. */
  readonly confirmHosts: readonly string[]
}

export async function restore(call: Caller, io: Io, positionals: readonly string[], source: PassphraseSource, flags: RestoreFlags, progress?: ProgressPrinter): Promise<void> {
  const file = oneFile(positionals, 'restore')
  const passphrase = await backupPassphrase(source, false)
  const confirmedHosts = [...new Set(flags.confirmHosts)]
  const ask = async (): Promise<{ readonly value: TerminalAnswers['restore'] }> => {
    try {
      return await call<TerminalAnswers['restore']>('restore', { path: file, passphrase, dryRun: flags.dryRun, takeOver: flags.takeOver, ...(confirmedHosts.length === 0 ? {} : { confirmedHosts }) })
    } finally {
      progress?.end()
    }
  }
  let answer: { readonly value: TerminalAnswers['restore'] }
  try {
    answer = await ask()
  } catch (error) {
    // Refused for hosts no --confirm-host named: on a terminal each is asked about once; elsewhere the refusal stands.
    const hosts = hostsToConfirmOf(error)
    if (hosts === null || source.input.isTTY !== true) throw error
    for (const host of hosts) {
      io.err(`${host} is neither Apicbase's nor this computer. The restore sends the backed-up tokens of this backup's libraries and keys that name it there: whoever runs it can use them.\n`)
      if (!(await askYesNo(`Send tokens to ${host}? [y/N] `, source))) throw error
      confirmedHosts.push(host)
    }
    answer = await ask()
  }
  const { value } = answer
  if (flags.json) return io.out(`${JSON.stringify(value)}\n`)
  const made = `${value.move === null ? 'Backup' : 'Move'} made ${when(value.createdAt)} on ${value.machine}`
  io.err(`${made}.${value.dryRun ? ' Dry run: nothing was changed.' : ''}\n`)
  const rows = [
    ...value.libraries.map((l) => [l.name, OUTCOME_WORDS[l.outcome] ?? l.outcome, l.checkedAtApi ? 'one read at the API' : '–']),
    ...value.keys.map((k) => [k.name, OUTCOME_WORDS[k.outcome] ?? k.outcome, 'key'])
  ]
  if (rows.length > 0) io.out(`${table([['NAME', value.dryRun ? 'WOULD BE' : 'RESULT', 'CHECKED'], ...rows])}\n`)
  for (const l of value.libraries) if (l.outcome === 'needs_reauth' || l.outcome === 'paused' || l.outcome === 'left_out') io.err(`\n${l.reason}\n`)
  const counts = Object.entries(value.counts).filter(([, n]) => n > 0).map(([outcome, n]) => `${n} ${OUTCOME_WORDS[outcome] ?? outcome}`)
  io.err(`\n${counts.join(', ') || 'No libraries'}${value.settings === 'restored' ? '; settings restored' : ''}.\n`)
  if (value.hostsToConfirm.length > 0) {
    io.err(`Some libraries or keys send tokens to hosts that are neither Apicbase's nor this computer: ${value.hostsToConfirm.join(', ')}. If you trust them, add ${value.hostsToConfirm.map((host) => `--confirm-host ${host}`).join(' ')}.\n`)
  }
}

/** The hosts a refused restore needs confirmed (the app's error names them), or null for any other failure. */
function hostsToConfirmOf(error: unknown): readonly string[] | null {
  const failure = typeof error === 'object' && error !== null ? (error as { failure?: { hosts?: unknown } }).failure : undefined
  const hosts = failure?.hosts
  return Array.isArray(hosts) && hosts.length > 0 && hosts.every((host) => typeof host === 'string') ? (hosts as string[]) : null
}

/** A yes-or-no question on the terminal (echo on); only y or yes is a yes. Ctrl-C or Ctrl-D answers no. */
export function askYesNo(question: string, source: Pick<PassphraseSource, 'input' | 'output'>): Promise<boolean> {
  return new Promise((resolve) => {
    const prompt = readline.createInterface({ input: source.input, output: source.output, terminal: true })
    let answered = false
    const finish = (yes: boolean): void => {
      if (answered) return
      answered = true
      prompt.close()
      source.input.pause()
      resolve(yes)
    }
    prompt.once('SIGINT', () => {
      source.output.write('\n')
      finish(false)
    })
    prompt.once('close', () => finish(false))
    prompt.question(question, (typed) => finish(/^y(es)?$/i.test(typed.trim())))
  })
}

export interface ProgressPrinter {
  /** Each line the app sends while the call runs (the approval notice, then the restore's progress). */
  readonly line: (message: string) => void
  /** Ends a progress line left open on a terminal, before anything else is printed. */
  readonly end: () => void
}

/** A restore's progress on stderr: the approval notice once; progress on one line that rewrites itself on a terminal. */
export function restoreProgressPrinter(io: Io, live: boolean): ProgressPrinter {
  let approval = false
  let last = ''
  let open = false
  const end = (): void => {
    if (open) io.err('\n')
    open = false
  }
  const line = (message: string): void => {
    const progress = message.startsWith('Restoring:') || message.startsWith('Reading the backup:')
    if (!progress) {
      if (approval) return
      approval = true
      end()
      io.err(`${message}\n`)
      return
    }
    if (message === last) return // the heartbeat repeats what was said
    last = message
    io.err(live ? `\r${message}\u001b[K` : `${message}\n`)
    open = live
  }
  return { line, end }
}

export async function exportConfig(call: Caller, io: Io, positionals: readonly string[], json: boolean): Promise<void> {
  const file = oneFile(positionals, 'export-config')
  const { value } = await call<TerminalAnswers['export-config']>('export-config', { path: file })
  if (json) return io.out(`${JSON.stringify(value)}\n`)
  io.err(`Wrote the configuration of ${value.libraries} libraries and ${value.keys} keys to ${value.path}: names, library ids, API addresses, token types and customer labels; no token or secret.\n`)
}
