// The command's answer timeout counts silence, not the whole call (issue 17, session 9): a restore that checks 10,000
// pairs at the API outlasts 150 s, but says how far it is every few seconds, and each line it sends starts the timeout
// again. An app that says nothing for the whole timeout is still given up on. Real client, real server, real socket.
import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { callEndpoint } from '../../../src/main/endpoint/client.ts'
import { takeDataFolder } from '../../../src/main/endpoint/lock.ts'
import { CLIENT, echoHandlers, tempDataDir, testHolder } from '../../unit/endpoint/endpoint-fixture.ts'

const TIMEOUT_MS = 300
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

let dataDir: string
let close: (() => Promise<void>) | null = null
beforeEach(() => {
  dataDir = tempDataDir()
})
afterEach(async () => {
  await close?.()
  close = null
  fs.rmSync(dataDir, { recursive: true, force: true })
})

/** A server whose restore takes `totalMs`, saying how far it is every `everyMs` (never, when null). */
async function serveSlowRestore(totalMs: number, everyMs: number | null): Promise<void> {
  const lock = await takeDataFolder({ dataDir, holder: testHolder() })
  close = () => lock.close()
  lock.serve(
    echoHandlers(async (input, _client, pending) => {
      const started = Date.now()
      while (Date.now() - started < totalMs) {
        await sleep(everyMs ?? totalMs)
        if (everyMs !== null) pending(`Restoring: ${Date.now() - started} ms in`)
      }
      return { ok: true, value: input }
    }).handlers
  )
}

describe('the answer timeout of a terminal call', () => {
  it('a call that runs four timeouts long but says how far it is every quarter of one is answered', async () => {
    await serveSlowRestore(4 * TIMEOUT_MS, TIMEOUT_MS / 4)
    const lines: string[] = []
    const started = Date.now()
    const { result } = await callEndpoint({ dataDir, client: CLIENT, name: 'restore', input: { n: 1 }, timeoutMs: TIMEOUT_MS, onPending: (line) => lines.push(line) })
    expect(result).toEqual({ ok: true, value: { n: 1 } })
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * TIMEOUT_MS)
    expect(lines.length).toBeGreaterThanOrEqual(12)
  })

  it('a call silent for longer than the timeout is still given up on', async () => {
    await serveSlowRestore(3 * TIMEOUT_MS, null)
    await expect(callEndpoint({ dataDir, client: CLIENT, name: 'restore', input: {}, timeoutMs: TIMEOUT_MS })).rejects.toMatchObject({ name: 'ProtocolError', kind: 'timeout' })
  })
})
