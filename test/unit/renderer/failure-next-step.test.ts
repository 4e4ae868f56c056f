// @vitest-environment happy-dom
// The detail's next step after a failed refresh (issue 19 item 8): when Apicbase answered with an error (an HTML 502
// page from its proxy) the page says Apicbase answered, with the status, and when Larder tries again; it never sends
// the person to check this computer's network. Only a failure to reach Apicbase says "Could not reach".
import { afterEach, describe, expect, it } from 'vitest'
import type { CallName, CallResult, LibraryView } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { formatExact } from '../../../src/renderer/src/lib/time.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { component, render, settle, type Rendered } from './render.ts'

const ok = <N extends CallName>(value: unknown): CallResult<N> => ({ ok: true, value }) as CallResult<N>

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

async function nextStepOf(failed: LibraryView): Promise<{ title: string; text: string }> {
  const bridge = new FakeBridge()
  bridge.libraries = [failed]
  bridge.answers['audit.page'] = () => ok({ entries: [], nextBefore: null })
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  shown = await render(store, await component('LibrariesView'))
  store.getState().select(failed.id)
  await settle()
  const step = shown.all('.next-step')[0]
  if (!step) throw new Error('no next step shown')
  return { title: step.querySelector('h3')?.textContent ?? '', text: step.textContent }
}

const at = Date.UTC(2026, 10, 25, 9, 0, 0)
const retryAt = at + 45_000

describe('the next step after a failed refresh', () => {
  it('an HTML 502 page: Apicbase answered with an error (status 502), Larder retries at a stated time, no network advice', async () => {
    const message = 'Apicbase answered with an error page (HTTP 502) instead of JSON while refreshing the token for Nord.'
    const { title, text } = await nextStepOf(library({ id: 'nord', name: 'Nord', status: 'error', lastError: { kind: 'server_error', message, at, retryAt, status: 502 } }))
    expect(title).toBe('Apicbase answered with an error (HTTP 502): retrying')
    expect(text).toContain(`Larder tries again on its own at ${formatExact(retryAt)}.`)
    expect(text).toContain(message)
    expect(text).not.toMatch(/could not reach/i)
    expect(text).not.toContain('network connection')
  })

  it('a network failure: Apicbase could not be reached, check the network', async () => {
    const message = 'Larder could not reach Apicbase (https://api.apicbase.com): the connection was refused while refreshing the token for Nord (ECONNREFUSED).'
    const { title, text } = await nextStepOf(library({ id: 'nord', name: 'Nord', status: 'error', lastError: { kind: 'network', message, at, retryAt } }))
    expect(title).toBe('Could not reach Apicbase: retrying')
    expect(text).toContain("check this computer's network connection")
  })

  it('a timeout reads as not reached too', async () => {
    const { title } = await nextStepOf(library({ status: 'error', lastError: { kind: 'timeout', message: 'm', at, retryAt } }))
    expect(title).toBe('Could not reach Apicbase: retrying')
  })

  it('an answer that is not what the API sends says so, without network advice', async () => {
    const { title, text } = await nextStepOf(library({ status: 'error', lastError: { kind: 'malformed_response', message: 'm', at, retryAt, status: 200 } }))
    expect(title).toBe('Apicbase answered with something its API does not send: retrying')
    expect(text).not.toContain('network connection')
    expect(text).toContain('API base URL')
  })
})
