// The bench's handle on the Apicbase sandbox: its URL, libraries added in bulk, its request counts. The sandbox runs
// in a process of its own (default), on a thread of its own, or on the measured thread itself.
import { fork, type ChildProcess } from 'node:child_process'
import { Worker } from 'node:worker_threads'
import { startSandbox, type LibraryCredentials } from '../test/sandbox/index.ts'
import { tokenCounts } from './sandbox-answers.ts'

export interface SandboxThreadOptions {
  readonly rateLimitPerMinute: number | false
}

export type SandboxPlacement = 'process' | 'thread' | 'inline'
export const SANDBOX_PLACEMENTS: readonly SandboxPlacement[] = ['process', 'thread', 'inline']

export interface TokenCounts {
  /** Token-endpoint requests answered 200. */
  readonly tokenOk: number
  readonly tokenFailed: number
  /** Peak of one token family's refreshes in flight at once (Larder's invariant: 1). */
  readonly maxConcurrentPerFamily: number
}

export type SandboxRequest =
  | { readonly id: number; readonly op: 'add'; readonly count: number; readonly prefix: string }
  | { readonly id: number; readonly op: 'counts' }
  | { readonly id: number; readonly op: 'latency'; readonly ms: number }
  | { readonly id: number; readonly op: 'close' }

export type SandboxReply =
  | { readonly id: number; readonly ok: true; readonly url?: string; readonly libraries?: LibraryCredentials[]; readonly counts?: TokenCounts }
  | { readonly id: number; readonly ok: false; readonly error: string }

type Success = Extract<SandboxReply, { ok: true }>

export interface RemoteSandbox {
  readonly url: string
  /** Where it runs: its own process, its own thread, or the measured thread. */
  readonly placement: SandboxPlacement
  addLibraries(count: number, prefix: string): Promise<LibraryCredentials[]>
  counts(): Promise<TokenCounts>
  /** Every token request from now on waits this long before it is answered (0: none). */
  setTokenLatency(ms: number): Promise<void>
  close(): Promise<void>
}

const DEFAULT_OPTIONS: SandboxThreadOptions = { rateLimitPerMinute: false }

export function startRemoteSandbox(placement: SandboxPlacement, options: SandboxThreadOptions = DEFAULT_OPTIONS): Promise<RemoteSandbox> {
  switch (placement) {
    case 'process':
      return startSandboxProcess(options)
    case 'thread':
      return startSandboxThread(options)
    case 'inline':
      return startSandboxInline(options)
  }
}

/** How messages reach the sandbox and come back, and how it is made to go. */
interface Channel {
  send(request: SandboxRequest): void
  onReply(listener: (reply: SandboxReply) => void): void
  onGone(listener: (error: Error) => void): void
  /** Resolves once it has exited. */
  exited(): Promise<void>
  kill(): Promise<void>
}

async function overChannel(placement: SandboxPlacement, channel: Channel): Promise<RemoteSandbox> {
  const waiting = new Map<number, { resolve(reply: Success): void; reject(error: Error): void }>()
  let next = 1
  let failed: Error | null = null
  const ready = new Promise<string>((resolve, reject) => {
    waiting.set(0, { resolve: (reply) => (reply.url === undefined ? reject(new Error(`sandbox ${placement} sent no URL`)) : resolve(reply.url)), reject })
  })
  channel.onReply((reply) => {
    const entry = waiting.get(reply.id)
    if (entry === undefined) return
    waiting.delete(reply.id)
    if (reply.ok) entry.resolve(reply)
    else entry.reject(new Error(`sandbox ${placement}: ${reply.error}`))
  })
  channel.onGone((error) => {
    failed = error
    for (const entry of waiting.values()) entry.reject(error)
    waiting.clear()
  })
  const ask = (request: SandboxRequest): Promise<Success> => {
    if (failed !== null) return Promise.reject(failed)
    return new Promise((resolve, reject) => {
      waiting.set(request.id, { resolve, reject })
      channel.send(request)
    })
  }
  const url = await ready
  let closing: Promise<void> | null = null
  return {
    url,
    placement,
    async addLibraries(count, prefix) {
      const reply = await ask({ id: next++, op: 'add', count, prefix })
      if (reply.libraries === undefined || reply.libraries.length !== count) throw new Error(`sandbox ${placement} added the wrong number of libraries`)
      return reply.libraries
    },
    async counts() {
      const reply = await ask({ id: next++, op: 'counts' })
      if (reply.counts === undefined) throw new Error(`sandbox ${placement} sent no counts`)
      return reply.counts
    },
    async setTokenLatency(ms) {
      await ask({ id: next++, op: 'latency', ms })
    },
    close() {
      closing ??= (async () => {
        const exited = channel.exited()
        await ask({ id: next++, op: 'close' }).catch(() => undefined)
        await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 2000).unref())])
        await channel.kill()
      })()
      return closing
    }
  }
}

/** The sandbox in a child process of its own (child_process.fork of sandbox-process.ts), talking over IPC. */
export async function startSandboxProcess(options: SandboxThreadOptions = DEFAULT_OPTIONS): Promise<RemoteSandbox> {
  // No inherited flags: a --cpu-prof or --inspect of the bench is about the bench, not the sandbox.
  const child: ChildProcess = fork(new URL('./sandbox-process.ts', import.meta.url), [JSON.stringify(options)], {
    execArgv: ['--disable-warning=ExperimentalWarning'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc']
  })
  let gone = false
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    gone = true
    resolve()
  }))
  return overChannel('process', {
    send: (request) => void child.send(request),
    onReply: (listener) => void child.on('message', (message) => listener(message as SandboxReply)),
    onGone: (listener) => {
      child.on('error', listener)
      child.on('exit', (code, signal) => listener(new Error(`sandbox process exited (${signal ?? code})`)))
    },
    exited: () => exited,
    kill: async () => {
      if (!gone) child.kill()
      await exited
    }
  })
}

/** The sandbox on a worker thread of the bench process: its own event loop, but the bench's process and cores. */
export async function startSandboxThread(options: SandboxThreadOptions = DEFAULT_OPTIONS): Promise<RemoteSandbox> {
  const worker = new Worker(new URL('./sandbox-thread.ts', import.meta.url), { workerData: options })
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  return overChannel('thread', {
    send: (request) => worker.postMessage(request),
    onReply: (listener) => void worker.on('message', listener),
    onGone: (listener) => {
      worker.on('error', listener)
      worker.on('exit', (code) => listener(new Error(`sandbox thread exited (${code})`)))
    },
    exited: () => exited,
    kill: async () => {
      await worker.terminate()
    }
  })
}

/** The same sandbox on this thread: its work then competes with the code being measured for the event loop. */
export async function startSandboxInline(options: SandboxThreadOptions = DEFAULT_OPTIONS): Promise<RemoteSandbox> {
  const sandbox = await startSandbox({ rateLimitPerMinute: options.rateLimitPerMinute })
  return {
    url: sandbox.url,
    placement: 'inline',
    async addLibraries(count, prefix) {
      return Array.from({ length: count }, (_, i) => sandbox.addLibraryWithApplication({ name: `${prefix} ${i + 1}` }))
    },
    async counts() {
      return tokenCounts(sandbox)
    },
    async setTokenLatency(ms) {
      sandbox.faults.clear()
      if (ms > 0) sandbox.faults.inject({ route: 'token', kind: 'latency', ms })
    },
    close: () => sandbox.close()
  }
}
