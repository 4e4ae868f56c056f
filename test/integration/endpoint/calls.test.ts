// Calls through the real client and server: pending lines reach the caller before the result; 200 calls at once are
// all answered while at most 64 are served at a time; a full server's `busy` is retried; and the client trusts
// nothing from an endpoint that cannot prove the key, speaks another version, or answers too much.
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_RESPONSE_BYTES } from '../../../src/shared/terminal-words.ts'
import { callEndpoint, EndpointNotRunningError, ProtocolError } from '../../../src/main/endpoint/client.ts'
import { takeDataFolder, type DataFolderLock } from '../../../src/main/endpoint/lock.ts'
import { MAX_CONNECTIONS } from '../../../src/main/endpoint/server.ts'
import { CLIENT, echoHandlers, tempDataDir, testHolder } from '../../unit/endpoint/endpoint-fixture.ts'

let dataDir: string
const closers: (() => Promise<unknown> | unknown)[] = []
beforeEach(() => {
  dataDir = tempDataDir()
})
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

async function take(serve?: Parameters<typeof takeDataFolder>[0]['serve']): Promise<DataFolderLock> {
  const lock = await takeDataFolder({ dataDir, holder: testHolder(), serve })
  closers.push(() => lock.close())
  return lock
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** A private run/ with a key and a socket answered by `answer` (a server that is not Larder's). */
async function impostor(answer: (socket: net.Socket) => void): Promise<void> {
  const run = path.join(dataDir, 'run')
  fs.mkdirSync(run, { mode: 0o700 })
  fs.writeFileSync(path.join(run, 'endpoint.key'), Buffer.alloc(32, 1), { mode: 0o600 })
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined)
    socket.once('data', () => answer(socket))
  })
  await new Promise<void>((resolve) => server.listen(path.join(run, 'larder.sock'), resolve))
  fs.chmodSync(path.join(run, 'larder.sock'), 0o600)
  closers.push(() => new Promise((resolve) => server.close(resolve)))
}

describe('calls over the endpoint', () => {
  it('passes pending lines to onPending, in order, before the result', async () => {
    const lock = await take()
    const seen: string[] = []
    lock.serve(
      echoHandlers(async (input, _client, pending) => {
        pending('Waiting for approval in Larder (window and notification)')
        await sleep(30)
        pending('still waiting')
        await sleep(30)
        seen.push('handler done')
        return { ok: true, value: input }
      }).handlers
    )
    const { result } = await callEndpoint({ dataDir, client: CLIENT, name: 'token', input: { library: 'Acme' }, onPending: (message) => seen.push(message) })
    seen.push('result')
    expect(result).toEqual({ ok: true, value: { library: 'Acme' } })
    expect(seen).toEqual(['Waiting for approval in Larder (window and notification)', 'still waiting', 'handler done', 'result'])
  })

  it('answers 200 concurrent calls, each its own, serving at most 64 at once', async () => {
    const lock = await take()
    let active = 0
    let most = 0
    lock.serve(
      echoHandlers(async (input) => {
        active++
        most = Math.max(most, active)
        await sleep(50)
        active--
        return { ok: true, value: input }
      }).handlers
    )
    const answers = await Promise.all(Array.from({ length: 200 }, (_, n) => callEndpoint({ dataDir, client: CLIENT, name: 'token', input: { n } })))
    expect(answers.map((answer) => answer.result)).toEqual(Array.from({ length: 200 }, (_, n) => ({ ok: true, value: { n } })))
    expect(most).toBe(MAX_CONNECTIONS)
  })

  it('retries a server that answers busy (all slots and its queue taken)', async () => {
    const lock = await take({ maxConnections: 1, maxWaiting: 0 })
    lock.serve(echoHandlers().handlers)
    const answers = await Promise.all(Array.from({ length: 5 }, (_, n) => callEndpoint({ dataDir, client: CLIENT, name: 'ls', input: { n } })))
    expect(answers.map((answer) => answer.result.ok)).toEqual([true, true, true, true, true])
  })

  it('serves a folder whose socket path is too long from a private runtime folder, refusing that folder when it is not private', async () => {
    const runtime = tempDataDir()
    const saved = process.env['XDG_RUNTIME_DIR']
    process.env['XDG_RUNTIME_DIR'] = runtime
    closers.push(() => {
      if (saved === undefined) delete process.env['XDG_RUNTIME_DIR']
      else process.env['XDG_RUNTIME_DIR'] = saved
      fs.rmSync(runtime, { recursive: true, force: true })
    })
    const root = dataDir
    closers.push(() => fs.rmSync(root, { recursive: true, force: true }))
    dataDir = path.join(root, 'a-data-folder-with-a-long-name'.repeat(4))
    const lock = await take()
    lock.serve(echoHandlers().handlers)
    expect(path.dirname(lock.path)).toBe(path.join(runtime, `larder-${process.getuid?.() ?? 0}`))
    expect(fs.statSync(path.dirname(lock.path)).mode & 0o777).toBe(0o700)
    const { result } = await callEndpoint({ dataDir, client: CLIENT, name: 'ls', input: { long: true } })
    expect(result).toEqual({ ok: true, value: { echo: { long: true } } })
    if (process.platform !== 'win32') {
      fs.chmodSync(path.dirname(lock.path), 0o755)
      await expect(callEndpoint({ dataDir, client: CLIENT, name: 'ls', input: {} })).rejects.toThrow(path.dirname(lock.path))
      fs.chmodSync(path.dirname(lock.path), 0o700)
    }
  })

  it('says "not running" when there is no endpoint at all', async () => {
    await expect(callEndpoint({ dataDir, client: CLIENT, name: 'ls', input: {} })).rejects.toBeInstanceOf(EndpointNotRunningError)
  })

  it('refuses an endpoint whose hello does not prove the key, trusting neither its pending lines nor its result', async () => {
    await impostor((socket) => {
      socket.write('{"v":1,"type":"hello","host":"desktop","pid":1,"version":"0.1.0","vault":"open","since":0,"mac":"AAAA"}\n')
      socket.write('{"v":1,"type":"pending","id":1,"reason":"approval","message":"fake"}\n')
      socket.end('{"v":1,"type":"result","id":1,"ok":true,"value":"fake"}\n')
    })
    const pending: string[] = []
    const refused = callEndpoint({ dataDir, client: CLIENT, name: 'token', input: {}, onPending: (message) => pending.push(message) })
    await expect(refused).rejects.toBeInstanceOf(ProtocolError)
    await expect(refused).rejects.toMatchObject({ kind: 'bad_mac' })
    expect(pending).toEqual([])
  })

  it("reports a server's version refusal with the versions it speaks", async () => {
    await impostor((socket) => socket.end('{"v":1,"type":"error","kind":"version","supported":[2],"message":"no"}\n'))
    await expect(callEndpoint({ dataDir, client: CLIENT, name: 'ls', input: {} })).rejects.toMatchObject({ name: 'ProtocolError', kind: 'version', message: expect.stringContaining('protocol 2') })
  })

  it('stops reading an answer line over the response cap', async () => {
    await impostor((socket) => socket.end(Buffer.alloc(MAX_RESPONSE_BYTES + 1, 0x61)))
    await expect(callEndpoint({ dataDir, client: CLIENT, name: 'ls', input: {} })).rejects.toMatchObject({ name: 'ProtocolError', kind: 'too_large' })
  })

  it('gives up after its timeout on an endpoint that never answers', async () => {
    await impostor(() => undefined)
    await expect(callEndpoint({ dataDir, client: CLIENT, name: 'ls', input: {}, timeoutMs: 200 })).rejects.toMatchObject({ name: 'ProtocolError', kind: 'timeout' })
  })
})
