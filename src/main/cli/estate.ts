// larder backup FILE, larder restore FILE [--dry-run] [--take-over], larder export-config FILE: one call to the
// running Larder each (after the terminal session's approval, as `token`). The passphrase comes from
// LARDER_BACKUP_PASSPHRASE (for scripts) or is asked on the terminal with echo off; never from the command line,
// where `ps` and the shell's history would show it.
import path from 'node:path'
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
  replaced_since: 'replaced since'
}

export async function restore(call: Caller, io: Io, positionals: readonly string[], source: PassphraseSource, flags: { readonly dryRun: boolean; readonly takeOver: boolean; readonly json: boolean }): Promise<void> {
  const file = oneFile(positionals, 'restore')
  const passphrase = await backupPassphrase(source, false)
  const { value } = await call<TerminalAnswers['restore']>('restore', { path: file, passphrase, dryRun: flags.dryRun, takeOver: flags.takeOver })
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
}

export async function exportConfig(call: Caller, io: Io, positionals: readonly string[], json: boolean): Promise<void> {
  const file = oneFile(positionals, 'export-config')
  const { value } = await call<TerminalAnswers['export-config']>('export-config', { path: file })
  if (json) return io.out(`${JSON.stringify(value)}\n`)
  io.err(`Wrote the configuration of ${value.libraries} libraries and ${value.keys} keys to ${value.path}: names, library ids, API addresses, token types and customer labels; no token or secret.\n`)
}
