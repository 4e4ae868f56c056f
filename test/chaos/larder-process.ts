// The Larder process as the chaos run sees it: a child speaking one line per event on stdout and taking one
// command per line on stdin (see larder-child.ts for the protocol).
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const CHILD = fileURLToPath(new URL('./larder-child.ts', import.meta.url))
const REPLY_TIMEOUT_MS = 60_000
const RECENT_LINES = 40

export class ChildGone extends Error {
  override readonly name = 'ChildGone'
}

interface Waiter {
  readonly matches: (words: readonly string[]) => boolean
  resolve(words: readonly string[]): void
  reject(error: Error): void
}

export interface Exit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

export class LarderProcess {
  readonly child: ChildProcess
  readonly generation: number
  readonly closed: Promise<Exit>
  readonly #waiters: Waiter[] = []
  #gone = false
  #stderr = ''
  /** The last lines it printed (secrets never are: tokens go out as fingerprints), for a timeout's message. */
  readonly #recent: string[] = []
  killedByUs = false

  constructor(generation: number, env: NodeJS.ProcessEnv, onLine: (words: readonly string[], from: LarderProcess) => void, onOutput: (text: string) => void) {
    this.generation = generation
    this.child = spawn(process.execPath, ['--no-warnings', CHILD], { stdio: ['pipe', 'pipe', 'pipe'], env })
    let buffered = ''
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      onOutput(chunk)
      buffered += chunk
      for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
        const line = buffered.slice(0, newline)
        this.#recent.push(line)
        if (this.#recent.length > RECENT_LINES) this.#recent.shift()
        const words = line.split(' ')
        buffered = buffered.slice(newline + 1)
        const waiter = this.#waiters.findIndex((w) => w.matches(words))
        if (waiter >= 0) this.#waiters.splice(waiter, 1)[0]?.resolve(words)
        onLine(words, this)
      }
    })
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      onOutput(chunk)
      this.#stderr += chunk
    })
    // An early exit must not write into a closed pipe and crash this process.
    this.child.stdin?.on('error', () => undefined)
    this.closed = new Promise<Exit>((resolve) => {
      this.child.once('close', (code, signal) => {
        this.#gone = true
        for (const waiter of this.#waiters.splice(0)) waiter.reject(new ChildGone(`the Larder process ${generation} is gone`))
        resolve({ code, signal })
      })
    })
  }

  get gone(): boolean {
    return this.#gone
  }

  get stderr(): string {
    return this.#stderr
  }

  write(line: string): void {
    if (!this.#gone) this.child.stdin?.write(`${line}\n`)
  }

  /** Resolves with the first line that `matches`, or rejects with ChildGone. */
  expect(matches: (words: readonly string[]) => boolean, timeoutMs: number, what: string): Promise<readonly string[]> {
    if (this.#gone) return Promise.reject(new ChildGone(`the Larder process ${this.generation} is gone`))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the Larder process did not answer ${what} within ${timeoutMs} ms (${new Date().toISOString()}); its last lines:\n${this.#recent.join('\n')}\n${this.#stderr}`)), timeoutMs)
      this.#waiters.push({
        matches,
        resolve: (words) => {
          clearTimeout(timer)
          resolve(words)
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        }
      })
    })
  }

  request(line: string, matches: (words: readonly string[]) => boolean, what: string): Promise<readonly string[]> {
    const answer = this.expect(matches, REPLY_TIMEOUT_MS, what)
    this.write(line)
    return answer
  }

  kill(): void {
    if (this.#gone) return
    this.killedByUs = true
    this.child.kill('SIGKILL')
  }
}
