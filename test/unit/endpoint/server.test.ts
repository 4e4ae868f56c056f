// The server's frame checks on a real socket: caps, versions, proof, shape, the hello timeout, the answer before
// serve, the connection cap, and that no frame (input or answer) ever reaches its log.
import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES } from '../../../src/shared/terminal-words.ts'
import { takeDataFolder, type DataFolderLock } from '../../../src/main/endpoint/lock.ts'
import { callEndpoint } from '../../../src/main/endpoint/client.ts'
import { CLIENT, callLine, echoHandlers, helloLine, keyOf, rawExchange, tempDataDir, testHolder } from './endpoint-fixture.ts'

let dataDir: string
let lock: DataFolderLock
let logged: string[]

beforeEach(async () => {
  dataDir = tempDataDir()
  logged = []
  lock = await takeDataFolder({ dataDir, holder: testHolder(), log: (line) => logged.push(line), serve: { helloTimeoutMs: 300 } })
})
afterEach(async () => {
  await lock.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('the endpoint server', () => {
  it('answers a proven hello and call with hello then result, and closes', async () => {
    const { handlers, calls } = echoHandlers()
    lock.serve(handlers)
    const { frames, closedByServer } = await rawExchange(lock.path, helloLine(keyOf(dataDir)) + callLine())
    expect(frames.map((frame) => frame['type'])).toEqual(['hello', 'result'])
    expect(frames[1]).toMatchObject({ v: 1, type: 'result', id: 1, ok: true, value: { echo: { library: 'Acme' } } })
    expect(calls).toHaveLength(1)
    expect(closedByServer).toBe(true)
  })

  it('closes a request line over the cap with a too_large error frame', async () => {
    const { handlers, calls } = echoHandlers()
    lock.serve(handlers)
    const { frames, closedByServer } = await rawExchange(lock.path, Buffer.alloc(MAX_REQUEST_BYTES + 1, 0x61))
    expect(frames).toEqual([expect.objectContaining({ type: 'error', kind: 'too_large' })])
    expect(closedByServer).toBe(true)
    expect(calls).toHaveLength(0)
  })

  it('reads a line of exactly the cap (and refuses it only for not being JSON)', async () => {
    const { frames } = await rawExchange(lock.path, Buffer.concat([Buffer.alloc(MAX_REQUEST_BYTES, 0x61), Buffer.from('\n')]))
    expect(frames).toEqual([expect.objectContaining({ type: 'error', kind: 'bad_frame' })])
  })

  it('refuses protocol version 2 with the versions it speaks', async () => {
    const { handlers, calls } = echoHandlers()
    lock.serve(handlers)
    const { frames, closedByServer } = await rawExchange(lock.path, helloLine(keyOf(dataDir), { v: 2 }) + callLine({ v: 2 }))
    expect(frames).toEqual([expect.objectContaining({ type: 'error', kind: 'version', supported: [1] })])
    expect(closedByServer).toBe(true)
    expect(calls).toHaveLength(0)
  })

  it('refuses a hello whose mac does not match the key, and the handler never runs', async () => {
    const { handlers, calls } = echoHandlers()
    lock.serve(handlers)
    const wrongKey = Buffer.alloc(32, 7)
    const { frames, closedByServer } = await rawExchange(lock.path, helloLine(wrongKey) + callLine())
    expect(frames).toEqual([expect.objectContaining({ type: 'error', kind: 'bad_mac' })])
    expect(closedByServer).toBe(true)
    expect(calls).toHaveLength(0)
  })

  it('refuses a line that is not JSON at once, saying so', async () => {
    const { frames, closedByServer } = await rawExchange(lock.path, 'not json\n')
    expect(frames).toEqual([expect.objectContaining({ type: 'error', kind: 'bad_frame', message: 'A frame that is not JSON.' })])
    expect(closedByServer).toBe(true)
  })

  it('refuses a line that is not JSON, a frame with an unknown field, bad client facts and an unknown call', async () => {
    const { handlers, calls } = echoHandlers()
    lock.serve(handlers)
    const key = keyOf(dataDir)
    const cases = [
      'not json\n',
      helloLine(key, { extra: true }) + callLine(),
      helloLine(key, { client: { ...CLIENT, pid: -1 } }) + callLine(),
      helloLine(key, { client: { ...CLIENT, parent: '' } }) + callLine(),
      helloLine(key, { client: { ...CLIENT, parent: 'x'.repeat(65) } }) + callLine(),
      helloLine(key) + callLine({ name: 'libraries.remove' }),
      helloLine(key) + callLine({ sneaky: 1 }),
      callLine() + helloLine(key)
    ]
    for (const payload of cases) {
      const { frames } = await rawExchange(lock.path, payload)
      expect(frames.at(-1)).toMatchObject({ type: 'error', kind: 'bad_frame' })
    }
    expect(calls).toHaveLength(0)
  })

  it("passes the client's parent process name on to the handler", async () => {
    const { handlers, calls } = echoHandlers()
    const seen: unknown[] = []
    lock.serve({ ...handlers, token: async (input, client, pending) => (seen.push(client.parent), handlers.token(input, client, pending)) })
    const { frames } = await rawExchange(lock.path, helloLine(keyOf(dataDir), { client: { ...CLIENT, parent: 'bash' } }) + callLine())
    expect(frames.at(-1)).toMatchObject({ type: 'result', ok: true })
    expect(seen).toEqual(['bash'])
    expect(calls).toHaveLength(1)
  })

  it('answers one call per connection: a second call line is refused', async () => {
    const { handlers, calls } = echoHandlers()
    lock.serve(handlers)
    const { frames } = await rawExchange(lock.path, helloLine(keyOf(dataDir)) + callLine() + callLine({ id: 2, name: 'ls' }))
    expect(frames).toEqual([expect.objectContaining({ type: 'hello' }), expect.objectContaining({ type: 'error', kind: 'bad_frame', message: 'One call per connection.' })])
    expect(calls.map((call) => call.name)).not.toContain('ls')
  })

  it('closes a connection that sends no hello and call in time', async () => {
    const started = Date.now()
    const { frames, closedByServer } = await rawExchange(lock.path, helloLine(keyOf(dataDir)))
    expect(frames.map((frame) => [frame['type'], frame['kind']])).toEqual([
      ['hello', undefined],
      ['error', 'bad_frame']
    ])
    expect(closedByServer).toBe(true)
    expect(Date.now() - started).toBeLessThan(4_000)
  })

  it('answers hello at once before serve, and a call with "Larder is starting…" and the vault state', async () => {
    const { holder, result } = await callEndpoint({ dataDir, client: CLIENT, name: 'ls', input: {} })
    expect(holder).toEqual({ host: 'test', pid: process.pid, version: '0.0.0-test', vault: 'open' })
    expect(result).toEqual({ ok: false, error: { kind: 'vault', message: 'Larder is starting…', vaultState: 'open' } })
  })

  it('never logs a frame: only call names and kinds, whatever the input or the answer holds', async () => {
    const secret = 'SECRET-token-abc123'
    const { handlers } = echoHandlers(async (input) => {
      if ((input as { library?: string }).library === 'boom') throw new Error(`failed with ${secret}`)
      return { ok: false, error: { kind: 'not_found', message: `no ${secret}` } }
    })
    lock.serve(handlers)
    await callEndpoint({ dataDir, client: CLIENT, name: 'token', input: { library: secret } })
    await callEndpoint({ dataDir, client: CLIENT, name: 'token', input: { library: 'boom' } })
    await rawExchange(lock.path, helloLine(keyOf(dataDir)) + callLine({ input: { library: secret }, extra: secret }))
    // A failed answer is the handler table's to log (call-table.ts); a handler that threw and a bad frame are the endpoint's.
    expect(logged).toEqual(['terminal call token failed: internal (Error)', 'endpoint refused a connection: bad_frame'])
    expect(logged.join('\n')).not.toContain(secret)
  })

  it('answers "internal" for a handler that answers no result or something JSON cannot carry, and keeps serving', async () => {
    let answer: unknown
    lock.serve(echoHandlers(async () => answer as never).handlers)
    for (const bad of [undefined, null, { ok: true, value: 1n }]) {
      answer = bad
      const { result } = await callEndpoint({ dataDir, client: CLIENT, name: 'ls', input: {} })
      expect(result).toMatchObject({ ok: false, error: { kind: 'internal' } })
    }
    answer = { ok: true, value: 'fine' }
    expect((await callEndpoint({ dataDir, client: CLIENT, name: 'ls', input: {} })).result).toEqual({ ok: true, value: 'fine' })
  })

  it('answers an answer over the response cap with an internal error instead', async () => {
    lock.serve(echoHandlers(async () => ({ ok: true, value: 'x'.repeat(MAX_RESPONSE_BYTES) })).handlers)
    const { result } = await callEndpoint({ dataDir, client: CLIENT, name: 'ls', input: {} })
    expect(result).toMatchObject({ ok: false, error: { kind: 'internal' } })
  })
})
