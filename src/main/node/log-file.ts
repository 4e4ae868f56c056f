// A host's log file (the desktop app's and the agent's): a plain text file a person can find and attach to a bug report,
// `<data folder>/logs/larder.log`, one line per event, each also written to stderr. Callers log names and kinds
// only (see LogPort); this file adds the time and keeps the file small (one older file, larder.old.log).
import fs from 'node:fs'
import path from 'node:path'
import type { LogPort } from '../app/ports.ts'

export const LOG_FILE_NAME = 'larder.log'
const DEFAULT_MAX_BYTES = 1024 * 1024

export interface FileLogOptions {
  readonly directory: string
  /** The file's base name: `larder` (the desktop app's, the default) or `agent`; `.log` and `.old.log` follow. */
  readonly name?: string
  /** Past this size the file becomes larder.old.log and a new one starts. Default 1 MiB. */
  readonly maxBytes?: number
  readonly now?: () => Date
  /** Default: stderr. */
  readonly echo?: (line: string) => void
}

export interface FileLog {
  readonly path: string
  readonly log: LogPort
}

export function createFileLog(options: FileLogOptions): FileLog {
  const name = options.name ?? 'larder'
  const file = path.join(options.directory, `${name}.log`)
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const now = options.now ?? (() => new Date())
  const echo = options.echo ?? ((line: string) => void process.stderr.write(line))
  let size: number | null = null

  const append = (line: string): void => {
    fs.mkdirSync(options.directory, { recursive: true, mode: 0o700 })
    size ??= sizeOf(file)
    const bytes = Buffer.byteLength(line)
    if (size > 0 && size + bytes > maxBytes) {
      fs.renameSync(file, path.join(options.directory, `${name}.old.log`))
      size = 0
    }
    fs.appendFileSync(file, line, { mode: 0o600 })
    size += bytes
  }

  const log: LogPort = (level, event, fields) => {
    const line = `${now().toISOString()} ${level.toUpperCase()} ${event} ${JSON.stringify(fields)}\n`
    echo(line)
    try {
      append(line)
    } catch {
      // A log that cannot be written must not break what was being logged; the line went to stderr.
      size = null
    }
  }
  return { path: file, log }
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size
  } catch {
    return 0
  }
}
