// What a sandbox of its own (a thread or a process) answers the bench: the one message protocol both speak, so
// the two differ only in how the messages travel.
import type { Sandbox } from '../test/sandbox/index.ts'
import type { LibraryCredentials } from '../test/sandbox/index.ts'
import type { SandboxReply, SandboxRequest } from './remote-sandbox.ts'

/** Answers one request; 'close' closes the sandbox and then calls `closed` (the caller lets go of its channel). */
export async function answerSandboxRequest(sandbox: Sandbox, message: SandboxRequest, closed: () => void): Promise<SandboxReply> {
  try {
    switch (message.op) {
      case 'add': {
        const libraries: LibraryCredentials[] = []
        for (let i = 0; i < message.count; i++) libraries.push(sandbox.addLibraryWithApplication({ name: `${message.prefix} ${i + 1}` }))
        return { id: message.id, ok: true, libraries }
      }
      case 'counts':
        return { id: message.id, ok: true, counts: tokenCounts(sandbox) }
      case 'latency':
        sandbox.faults.clear()
        if (message.ms > 0) sandbox.faults.inject({ route: 'token', kind: 'latency', ms: message.ms })
        return { id: message.id, ok: true }
      case 'close':
        await sandbox.close()
        setImmediate(closed)
        return { id: message.id, ok: true }
    }
  } catch (error) {
    return { id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}

export function tokenCounts(sandbox: Sandbox): { tokenOk: number; tokenFailed: number; maxConcurrentPerFamily: number } {
  let tokenOk = 0
  let tokenFailed = 0
  for (const hit of sandbox.counters.hits) {
    if (hit.route !== 'token') continue
    if (hit.status === 200) tokenOk++
    else tokenFailed++
  }
  return { tokenOk, tokenFailed, maxConcurrentPerFamily: sandbox.counters.maxConcurrentRefreshesByFamily() }
}
