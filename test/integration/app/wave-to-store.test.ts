// A refresh wave through the whole path to the window: the real app (real vault, the sandbox), its events feeding
// the renderer's store through the store's own connector (real timers, so coalescing as in the page), the store
// connected while the wave is under way. However the updates were coalesced, once the wave is over the store holds
// exactly the main side's view of every library: every change reached it, none came back out of order.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createBridgeClient } from '../../../src/renderer/src/bridge/client.ts'
import { connectStore, MAX_PAUSE_MS } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import type { CallInput, CallName, CallResult, EventName, EventPayloads, LarderBridge } from '../../../src/shared/contract.ts'
import { assembleCore, type AssembledCore } from '../../browser-host/assemble.ts'
import { startSandbox, type Sandbox } from '../../sandbox/index.ts'
import { FAST_SCRYPT } from '../../support/core-harness.ts'
import { sandboxLibraryRecord } from '../../support/sandbox-records.ts'

let tmp: string | undefined
let assembled: AssembledCore | undefined
let sandbox: Sandbox | undefined

afterEach(async () => {
  await assembled?.close()
  await sandbox?.close()
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
  assembled = undefined
  sandbox = undefined
  tmp = undefined
})

/** The app as a page's bridge, in process: calls go to its handlers, events come from its stream, in order. */
function bridgeOver(app: AssembledCore['app']): LarderBridge {
  return {
    host: 'browser',
    call: <N extends CallName>(name: N, input: CallInput<N>) => app.handlers[name](input) as Promise<CallResult<N>>,
    on: <E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) => app.events.on(event, listener)
  }
}

describe('a refresh wave reaching the store', () => {
  it('ends with the store holding exactly the main side view of every library', async () => {
    sandbox = await startSandbox({ rateLimitPerMinute: false })
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-wave-store-'))
    assembled = await assembleCore({ dataDir: tmp, sandboxUrl: sandbox.url, scryptCost: FAST_SCRYPT })
    const { core, app } = assembled
    const ids: string[] = []
    const records = Array.from({ length: 400 }, (_, i) =>
      sandboxLibraryRecord(sandbox!.addLibraryWithApplication({ name: `Wave ${i}` }), { id: `wave-${i}`, apiBaseUrl: sandbox!.url, issuedAt: Date.now() })
    )
    await Promise.all(records.map((record) => core.vault.add(record.meta, record.secrets)))
    ids.push(...records.map((record) => record.meta.id))
    await new Promise((resolve) => setImmediate(resolve))

    // The wave starts; the window connects while it is under way (its list is read mid-wave).
    const wave = Promise.all(ids.slice(0, 300).map((id) => core.engine.refresh(id)))
    const client = createBridgeClient(bridgeOver(app))
    const store = createAppStore(client)
    let updates = 0
    store.subscribe((state, previous) => {
      if (state.byId !== previous.byId) updates++
    })
    const connection = connectStore(store, client)
    await connection.ready
    await wave
    // A second wave with the store connected from the start.
    await Promise.all(ids.slice(300).map((id) => core.engine.refresh(id)))
    // The projection's last batch, then the store's longest pause and its update.
    await new Promise((resolve) => setTimeout(resolve, MAX_PAUSE_MS + 500))

    // The list's rows: what 'libraries.list' answers and 'library.changed' carries.
    const main = app.projection()!.allListed()
    expect(store.getState().ids.length).toBe(main.length)
    for (const view of main) expect(store.getState().byId[view.id]).toEqual(view)
    for (const view of main.filter((v) => ids.includes(v.id))) expect(view.status).toBe('healthy')
    // Coalesced: far fewer updates than the 800 libraries' changes.
    expect(updates).toBeLessThan(200)
    connection.dispose()
  }, 60_000)
})
