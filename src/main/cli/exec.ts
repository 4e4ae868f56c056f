// larder exec: the token(s) go into COMMAND's environment only (never its command line, never larder's own
// environment), stdio is COMMAND's, signals sent to larder go on to it, and larder exits with its status.
import { spawn, type ChildProcess } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import type { EnvAnswer } from './answers.ts'
import type { Caller } from './commands.ts'
import { UsageError } from './exit-codes.ts'

export interface ExecTarget {
  readonly library: string
  /** The prefix's KEY when several libraries are asked for (`KEY=LIB`). */
  readonly key?: string
}

const KEYED = /^([A-Za-z][A-Za-z0-9_]{0,39})=(.+)$/

/** `--library` values: `LIB` or `KEY=LIB`. */
export function execTargets(values: readonly string[]): ExecTarget[] {
  if (values.length === 0) throw new UsageError('larder exec needs --library LIB (one per library).')
  return values.map((value) => {
    const keyed = KEYED.exec(value)
    return keyed ? { key: (keyed[1] as string).toUpperCase(), library: keyed[2] as string } : { library: value }
  })
}

/** The signals a person or a supervisor sends that COMMAND must get too. */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const

/** Resolves with the exit status larder must end with: COMMAND's, or 128 + the signal that ended it. */
export async function runWithTokens(call: Caller, targets: readonly ExecTarget[], command: readonly string[]): Promise<number> {
  const [file, ...args] = command
  if (file === undefined || file === '') throw new UsageError('larder exec needs a command after --.')
  const { value } = await call<EnvAnswer>('env', {
    libraries: targets.map((target) => (target.key === undefined ? { library: target.library } : { library: target.library, prefix: target.key })),
    command: path.basename(file)
  })
  return new Promise((resolve) => {
    // Listening before COMMAND starts: a signal that came between the spawn and the listeners would end larder alone
    // (Node's default) and leave COMMAND running. One that comes first is passed on as soon as COMMAND exists.
    let child: ChildProcess | null = null
    const early: NodeJS.Signals[] = []
    const forward = FORWARDED.map((signal) => {
      const handler = (): void => {
        if (child === null) early.push(signal)
        else child.kill(signal)
      }
      process.on(signal, handler)
      return () => process.off(signal, handler)
    })
    child = spawn(file, args, { stdio: 'inherit', env: { ...process.env, ...value.env } })
    for (const signal of early.splice(0)) child.kill(signal)
    const done = (status: number): void => {
      for (const stop of forward) stop()
      resolve(status)
    }
    child.once('error', (error: NodeJS.ErrnoException) => {
      process.stderr.write(`larder: could not run ${file}: ${error.code === 'ENOENT' ? 'command not found' : error.message}\n`)
      done(error.code === 'ENOENT' ? 127 : 126)
    })
    child.once('exit', (code, signal) => done(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0)))
  })
}
