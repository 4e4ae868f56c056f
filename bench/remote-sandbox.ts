// The main thread's handle on the sandbox thread: its URL, libraries added in bulk, its request counts.
import { Worker } from 'node:worker_threads'
import { startSandbox, type LibraryCredentials } from '../test/sandbox/index.ts'

export interface SandboxThreadOptions {
  readonly rateLimitPerMinute: number | false
}

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
  addLibraries(count: number, prefix: string): Promise<LibraryCredentials[]>
  counts(): Promise<TokenCounts>
  /** Every token request from now on waits this long before it is answered (0: none). */
  setTokenLatency(ms: number): Promise<void>
  close(): Promise<void>
}

export async function startSandboxThread(options: SandboxThreadOptions = { rateLimitPerMinute: false }): Promise<RemoteSandbox> {
  const worker = new Worker(new URL('./sandbox-thread.ts', import.meta.url), { workerData: options })
  const waiting = new Map<number, { resolve(reply: Success): void; reject(error: Error): void }>()
  let next = 1
  let failed: Error | null = null
  const ready = new Promise<string>((resolve, reject) => {
    waiting.set(0, { resolve: (reply) => (reply.url === undefined ? reject(new Error('sandbox thread sent no URL')) : resolve(reply.url)), reject })
  })
  const failAll = (error: Error): void => {
    failed = error
    for (const entry of waiting.values()) entry.reject(error)
    waiting.clear()
  }
  worker.on('message', (reply: SandboxReply) => {
    const entry = waiting.get(reply.id)
    if (entry === undefined) return
    waiting.delete(reply.id)
    if (reply.ok) entry.resolve(reply)
    else entry.reject(new Error(`sandbox thread: ${reply.error}`))
  })
  worker.on('error', failAll)
  worker.on('exit', (code) => failAll(new Error(`sandbox thread exited (${code})`)))

  const ask = (request: SandboxRequest): Promise<Success> => {
    if (failed !== null) return Promise.reject(failed)
    return new Promise((resolve, reject) => {
      waiting.set(request.id, { resolve, reject })
      worker.postMessage(request)
    })
  }
  const url = await ready
  let closing: Promise<void> | null = null
  return {
    url,
    async addLibraries(count, prefix) {
      const reply = await ask({ id: next++, op: 'add', count, prefix })
      if (reply.libraries === undefined || reply.libraries.length !== count) throw new Error('sandbox thread added the wrong number of libraries')
      return reply.libraries
    },
    async counts() {
      const reply = await ask({ id: next++, op: 'counts' })
      if (reply.counts === undefined) throw new Error('sandbox thread sent no counts')
      return reply.counts
    },
    async setTokenLatency(ms) {
      await ask({ id: next++, op: 'latency', ms })
    },
    close() {
      closing ??= (async () => {
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
        await ask({ id: next++, op: 'close' }).catch(() => undefined)
        await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 2000).unref())])
        await worker.terminate()
      })()
      return closing
    }
  }
}

/** The same sandbox on this thread: its work then competes with the code being measured for the event loop. */
export async function startSandboxInline(options: SandboxThreadOptions = { rateLimitPerMinute: false }): Promise<RemoteSandbox> {
  const sandbox = await startSandbox({ rateLimitPerMinute: options.rateLimitPerMinute })
  return {
    url: sandbox.url,
    async addLibraries(count, prefix) {
      return Array.from({ length: count }, (_, i) => sandbox.addLibraryWithApplication({ name: `${prefix} ${i + 1}` }))
    },
    async counts() {
      let tokenOk = 0
      let tokenFailed = 0
      for (const hit of sandbox.counters.hits) {
        if (hit.route !== 'token') continue
        if (hit.status === 200) tokenOk++
        else tokenFailed++
      }
      return { tokenOk, tokenFailed, maxConcurrentPerFamily: sandbox.counters.maxConcurrentRefreshesByFamily() }
    },
    async setTokenLatency(ms) {
      sandbox.faults.clear()
      if (ms > 0) sandbox.faults.inject({ route: 'token', kind: 'latency', ms })
    },
    close: () => sandbox.close()
  }
}
