// Benchmark 5: copying a valid token, from the bridge handler being called to the text reaching the sink
// (the clipboard adapter in the app). The token is fresh, so no refresh is involved: the cost is the handler's
// validation, the core's checks and decrypting the token.
import { performance } from 'node:perf_hooks'
import type { CopyFormat } from '../src/shared/contract.ts'
import { createActions } from '../src/main/app/actions.ts'
import { createHandlers } from '../src/main/app/handlers.ts'
import type { LarderCore } from '../src/main/core/larder-core.ts'
import { median, percentile } from './measure.ts'
import type { CopyRecorder } from './refresh-burst.ts'

export interface CopyResult {
  readonly libraries: number
  readonly copies: number
  readonly medianMs: number
  readonly p95Ms: number
  readonly maxMs: number
}

const FORMATS: readonly CopyFormat[] = ['token', 'header', 'env', 'curl']

export async function runCopy(core: LarderCore, sink: CopyRecorder, copies: number): Promise<CopyResult> {
  const actions = createActions(core, { sink })
  const open = { state: 'open', cipher: 'keychain' } as const
  const handlers = createHandlers(
    { actions: () => actions, state: () => open, unlock: () => Promise.resolve(open), restoreBackup: () => Promise.resolve(open) },
    { name: 'Larder', version: 'bench', host: 'electron' }
  )
  const ids = core.vault.list().map((meta) => meta.id)
  if (ids.length === 0) throw new Error('nothing to copy')
  const times: number[] = []
  for (let i = 0; i < copies + 10; i++) {
    const id = ids[(i * 7) % ids.length]!
    const format = FORMATS[i % FORMATS.length]!
    const before = sink.count
    const started = performance.now()
    const result = await handlers['libraries.copy']({ id, format })
    if (!result.ok) throw new Error(`copy failed: ${result.error.message}`)
    if (sink.count !== before + 1 || sink.lastText === null) throw new Error('the copy did not reach the sink')
    if (format === 'token' && sink.lastText !== (await core.vault.secrets(id)).accessToken) throw new Error('the copied token is not the stored one')
    // The first ten warm the path up.
    if (i >= 10) times.push(sink.lastAt - started)
  }
  return {
    libraries: ids.length,
    copies,
    medianMs: median(times),
    p95Ms: percentile(times, 95),
    maxMs: Math.max(...times)
  }
}
