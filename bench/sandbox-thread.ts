// The Apicbase sandbox on a thread of its own, so the server's work does not share the event loop with the
// code being measured. Started by remote-sandbox.ts (--sandbox=thread); speaks plain messages.
import { parentPort, workerData } from 'node:worker_threads'
import { startSandbox } from '../test/sandbox/index.ts'
import { answerSandboxRequest } from './sandbox-answers.ts'
import type { SandboxReply, SandboxRequest, SandboxThreadOptions } from './remote-sandbox.ts'

if (parentPort === null) throw new Error('sandbox-thread.ts runs as a worker thread')
const port = parentPort
const options = workerData as SandboxThreadOptions

const sandbox = await startSandbox({ rateLimitPerMinute: options.rateLimitPerMinute })

port.on('message', (message: SandboxRequest) => {
  void answerSandboxRequest(sandbox, message, () => port.close()).then((reply) => port.postMessage(reply))
})
port.postMessage({ id: 0, ok: true, url: sandbox.url } satisfies SandboxReply)
