// The Apicbase sandbox on a thread of its own, so the server's work does not share the event loop with the
// code being measured (the real API runs elsewhere too). Started by remote-sandbox.ts; speaks plain messages.
import { parentPort, workerData } from 'node:worker_threads'
import { startSandbox, type LibraryCredentials } from '../test/sandbox/index.ts'
import type { SandboxReply, SandboxRequest, SandboxThreadOptions } from './remote-sandbox.ts'

if (parentPort === null) throw new Error('sandbox-thread.ts runs as a worker thread')
const port = parentPort
const options = workerData as SandboxThreadOptions

const sandbox = await startSandbox({ rateLimitPerMinute: options.rateLimitPerMinute })

port.on('message', (message: SandboxRequest) => {
  void answer(message).then((reply) => port.postMessage(reply))
})
port.postMessage({ id: 0, ok: true, url: sandbox.url } satisfies SandboxReply)

async function answer(message: SandboxRequest): Promise<SandboxReply> {
  try {
    switch (message.op) {
      case 'add': {
        const libraries: LibraryCredentials[] = []
        for (let i = 0; i < message.count; i++) libraries.push(sandbox.addLibraryWithApplication({ name: `${message.prefix} ${i + 1}` }))
        return { id: message.id, ok: true, libraries }
      }
      case 'counts': {
        let tokenOk = 0
        let tokenFailed = 0
        for (const hit of sandbox.counters.hits) {
          if (hit.route !== 'token') continue
          if (hit.status === 200) tokenOk++
          else tokenFailed++
        }
        return { id: message.id, ok: true, counts: { tokenOk, tokenFailed, maxConcurrentPerFamily: sandbox.counters.maxConcurrentRefreshesByFamily() } }
      }
      case 'latency':
        sandbox.faults.clear()
        if (message.ms > 0) sandbox.faults.inject({ route: 'token', kind: 'latency', ms: message.ms })
        return { id: message.id, ok: true }
      case 'close':
        await sandbox.close()
        setImmediate(() => port.close())
        return { id: message.id, ok: true }
    }
  } catch (error) {
    return { id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}
