// The Apicbase sandbox in a process of its own (the default): the server's work shares neither the event loop nor
// the V8 heap and garbage collector of the process being measured, as the real API runs elsewhere. Started by
// remote-sandbox.ts with child_process.fork; its options come as one JSON argument, messages over the IPC channel.
import { startSandbox } from '../test/sandbox/index.ts'
import { answerSandboxRequest } from './sandbox-answers.ts'
import type { SandboxReply, SandboxRequest, SandboxThreadOptions } from './remote-sandbox.ts'

const send = process.send?.bind(process)
if (send === undefined) throw new Error('sandbox-process.ts runs as a forked child (remote-sandbox.ts starts it)')
const options = JSON.parse(process.argv[2] ?? '{}') as SandboxThreadOptions

const sandbox = await startSandbox({ rateLimitPerMinute: options.rateLimitPerMinute })

process.on('message', (message: SandboxRequest) => {
  void answerSandboxRequest(sandbox, message, () => process.disconnect()).then((reply) => {
    if (process.connected) send(reply)
  })
})
// The bench going away (or dying) takes the sandbox with it.
process.on('disconnect', () => void sandbox.close().finally(() => process.exit(0)))
send({ id: 0, ok: true, url: sandbox.url } satisfies SandboxReply)
