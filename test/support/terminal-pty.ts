// `larder` run as a person runs it at a terminal: in a pseudo-terminal (util-linux `script`), so it asks its questions,
// with the test's answers typed only once each question shows (a passphrase prompt has turned echo off by then).
import { spawn } from 'node:child_process'
import type { TerminalWorld } from './terminal-harness.ts'

export interface Typing {
  /** What a question looks like on the screen; the n-th answer is typed once the screen holds it n times. */
  readonly prompt: string | RegExp
  readonly answers: readonly string[]
}

export interface OnTerminal {
  readonly code: number | null
  /** Everything the terminal showed (stdout and stderr together, as a terminal shows them). */
  readonly screen: string
}

const times = (screen: string, prompt: string | RegExp): number =>
  typeof prompt === 'string' ? screen.split(prompt).length - 1 : (screen.match(new RegExp(prompt.source, prompt.flags.includes('g') ? prompt.flags : `${prompt.flags}g`))?.length ?? 0)

/** `larder ARGS --data-dir` the world's folder, under `env` (default: this process's), killed after `timeoutMs`. */
export function larderOnTerminal(world: Pick<TerminalWorld, 'cli' | 'dataDir'>, args: readonly string[], typing: Typing, options: { readonly env?: NodeJS.ProcessEnv; readonly timeoutMs?: number } = {}): Promise<OnTerminal> {
  const quoted = [process.execPath, world.cli, ...args, '--data-dir', world.dataDir].map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ')
  const child = spawn('script', ['-qec', quoted, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env })
  let screen = ''
  let typed = 0
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8')
    const asked = times(screen, typing.prompt)
    while (typed < asked && typed < typing.answers.length) child.stdin.write(`${typing.answers[typed++]}\r`)
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.once('error', reject)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, screen })
    })
  })
}
