// `larder import FILE [--dry-run] [--json] [--confirm-host HOST]…`: the running Larder reads FILE itself (its absolute
// path goes over the socket, never its contents: requests are capped at 64 KiB and the file is full of secrets), checks
// every row and, without --dry-run, imports the ready ones. A table of the rows (row, name, status, problem) and a
// summary go to stdout; progress to stderr. Exit 0 when every row was imported (with --dry-run: is ready), 11 when
// some were not, 12 when the file cannot be imported at all.
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { EXIT_CODES } from '../../shared/terminal-words.ts'
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

const IMPORT_TIMEOUT_MS = 24 * 60 * 60_000
const FORMATS = ['csv', 'json']

export async function importFile(args: readonly string[], io: Io, help: string, makeCaller: MakeCaller): Promise<number> {
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
  const input = { path: file, dryRun, confirmedHosts: values['confirm-host'] ?? [], ...(format === undefined ? {} : { format }) }
  const { value } = await call<ImportAnswer>('import', input)
  if (values.json === true) io.out(`${JSON.stringify(value)}\n`)
  else printReport(value, io)
  const complete = dryRun ? value.counts.ready === value.counts.total : value.counts.imported === value.counts.total
  return complete ? EXIT_CODES.ok : EXIT_CODES.importIncomplete
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
