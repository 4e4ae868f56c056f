// `larder import FILE [--dry-run] [--json] [--confirm-host HOST]…`: the running Larder reads FILE itself (its absolute
// path goes over the socket, never its contents: requests are capped at 64 KiB and the file is full of secrets), checks
// every row and, without --dry-run, imports the ready ones. A table of the rows (row, name, status, problem) and a
// summary go to stdout; progress to stderr. Exit 0 when every row was imported (with --dry-run: is ready), 11 when
// some were not, 12 when the file cannot be imported at all. Ctrl-C asks Larder to cancel the import (as the window's
// Cancel does: rows not started are not sent, rows in flight finish), waits for its report and exits 13; a second
// Ctrl-C exits 130 at once.
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { EXIT_CODES } from '../../shared/terminal-words.ts'
import type { TerminalImportCancelView } from '../../shared/contract/import.ts'
import type { ImportAnswer } from './answers.ts'
import type { Caller, Io } from './commands.ts'
import { UsageError } from './exit-codes.ts'
import { table } from './words.ts'

export interface CallerOptions {
  /** Longer than the default: a large import takes minutes (the connection ends if Larder does). */
  readonly timeoutMs?: number
  /** Every line the app sends while the call runs (approval, then progress). */
  readonly pending?: (message: string) => void
}
export type MakeCaller = (dataDir: string | undefined, options: CallerOptions) => Caller

/** Ctrl-C (SIGINT) while an import runs; `stop` ends the process at once (a second Ctrl-C). */
export interface Interrupts {
  /** Calls `listener` on each Ctrl-C from now on (instead of Node's default exit); answers how to stop listening. */
  listen(listener: () => void): () => void
  stop(code: number): void
}

export const processInterrupts: Interrupts = {
  listen(listener) {
    process.on('SIGINT', listener)
    return () => void process.off('SIGINT', listener)
  },
  stop: (code) => process.exit(code)
}

const IMPORT_TIMEOUT_MS = 24 * 60 * 60_000
const FORMATS = ['csv', 'json']

export async function importFile(args: readonly string[], io: Io, help: string, makeCaller: MakeCaller, interrupts: Interrupts = processInterrupts): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      'dry-run': { type: 'boolean', short: 'n' },
      'confirm-host': { type: 'string', multiple: true },
      format: { type: 'string', short: 'f' }
    }
  })
  if (values.help === true) {
    io.out(`${help}\n`)
    return EXIT_CODES.ok
  }
  if (positionals.length !== 1) throw new UsageError(`larder import takes one FILE (a .csv or .json file); got ${positionals.length}.`)
  const format = values.format
  if (format !== undefined && !FORMATS.includes(format)) throw new UsageError(`Unknown --format "${format}": use csv or json.`)
  const file = path.resolve(positionals[0] as string)
  if (!fs.existsSync(file)) {
    io.err(`larder: There is no file at ${file}.\n`)
    return EXIT_CODES.importRefused
  }
  const dryRun = values['dry-run'] === true
  const call = makeCaller(values['data-dir'], { timeoutMs: IMPORT_TIMEOUT_MS, pending: progressPrinter(io) })
  // Named here, so that Ctrl-C can name it to Larder before Larder has answered anything.
  const importId = randomUUID()
  const input = { path: file, dryRun, confirmedHosts: values['confirm-host'] ?? [], importId, ...(format === undefined ? {} : { format }) }
  // A dry run sends and stores nothing: Ctrl-C keeps its default (the command ends, the check is dropped).
  const cancel = dryRun ? null : cancelOnInterrupt(io, interrupts, () => makeCaller(values['data-dir'], { pending: () => undefined })<TerminalImportCancelView>('import-cancel', { importId }))
  try {
    const { value } = await call<ImportAnswer>('import', input)
    await cancel?.answered()
    if (values.json === true) io.out(`${JSON.stringify(value)}\n`)
    else printReport(value, io)
    if (!dryRun && value.cancelled) {
      const { imported, cancelled } = value.counts
      io.err(`Cancelled: ${imported} ${imported === 1 ? 'row' : 'rows'} imported before the cancel stay in Larder; ${cancelled} not started ${cancelled === 1 ? 'was' : 'were'} not sent (importing the file again adds them).\n`)
      return EXIT_CODES.importCancelled
    }
    const complete = dryRun ? value.counts.ready === value.counts.total : value.counts.imported === value.counts.total
    return complete ? EXIT_CODES.ok : EXIT_CODES.importIncomplete
  } finally {
    cancel?.stopListening()
  }
}

const CANCEL_WORDS: Readonly<Record<TerminalImportCancelView['outcome'], string>> = {
  cancelling: 'Larder is cancelling: rows not started will not be sent; rows in flight finish.',
  finished: 'The import had already finished.',
  not_started: 'The import had not begun: it will not start.'
}

/**
 * The first Ctrl-C asks Larder to cancel (with this command's own terminal session, as the import itself); the import's
 * answer then comes with the rows cancelled. A second Ctrl-C stops at once, without that answer.
 */
function cancelOnInterrupt(io: Io, interrupts: Interrupts, askCancel: () => Promise<{ value: TerminalImportCancelView }>): { answered(): Promise<void>; stopListening(): void } {
  let asked: Promise<void> | null = null
  const stopListening = interrupts.listen(() => {
    if (asked !== null) {
      io.err('\nlarder: stopped without waiting for Larder. Rows it had started finish; `larder ls` and its audit trail show what was imported.\n')
      interrupts.stop(EXIT_CODES.interrupted)
      return
    }
    io.err('\nCancelling the import… (Ctrl-C again stops at once, without Larder\'s report)\n')
    asked = askCancel().then(
      ({ value }) => io.err(`${CANCEL_WORDS[value.outcome]}\n`),
      (error: unknown) => io.err(`larder: Larder did not take the cancel: ${error instanceof Error ? error.message : String(error)}\n`)
    )
  })
  return { answered: async () => (asked === null ? undefined : await asked), stopListening }
}

function printReport(report: ImportAnswer, io: Io): void {
  const rows = report.rows.map((row) => [String(row.row), row.name === '' ? '–' : row.name, row.status, row.status === 'ready' || row.status === 'imported' ? '' : (row.message ?? '')])
  io.out(`${table([['ROW', 'NAME', 'STATUS', 'PROBLEM'], ...rows])}\n`)
  const { counts } = report
  const parts = (['ready', 'imported', 'failed', 'duplicate', 'spent', 'problem', 'cancelled'] as const).filter((status) => counts[status] > 0).map((status) => `${counts[status]} ${status}`)
  if (report.rowsLeftOut !== undefined) io.out(`(${report.rowsLeftOut} rows not listed, to keep the answer small: those that went well first; the counts below are every row's.)\n`)
  const what = report.dryRun ? 'Checked (nothing sent, nothing stored)' : 'Imported'
  io.out(`${what}: ${report.fileName}, ${counts.total} ${counts.total === 1 ? 'row' : 'rows'}: ${parts.join(', ')}.\n`)
  if (report.hostsToConfirm.length > 0) {
    io.err(`Some rows send secrets to hosts that are not their system's own: ${report.hostsToConfirm.join(', ')}. If you trust them, add ${report.hostsToConfirm.map((host) => `--confirm-host ${host}`).join(' ')}.\n`)
  }
}

/** The approval notice once; progress on one line that rewrites itself on a terminal, a line each elsewhere. */
function progressPrinter(io: Io): (message: string) => void {
  const live = process.stderr.isTTY === true
  let approval = false
  let rewriting = false
  return (message) => {
    const progress = message.startsWith('Importing:')
    if (!progress) {
      if (approval) return
      approval = true
    }
    if (progress && live) {
      io.err(`\r${message}\u001b[K`)
      rewriting = true
      if (/: (\d+) of \1 rows done/.test(message)) {
        io.err('\n')
        rewriting = false
      }
      return
    }
    io.err(`${rewriting ? '\n' : ''}${message}\n`)
    rewriting = false
  }
}
