// Wrong owners and modes are refused on both sides, on real files: the server will not serve from an unsafe run/
// (and makes no socket there), the client will not connect to an unsafe socket, folder or key (and the server sees
// no call). Nothing is ever repaired: the modes found are still there afterwards.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { callEndpoint } from '../../../src/main/endpoint/client.ts'
import { UnsafeEndpointError } from '../../../src/main/endpoint/checks.ts'
import { takeDataFolder, type DataFolderLock } from '../../../src/main/endpoint/lock.ts'
import { CLIENT, echoHandlers, tempDataDir, testHolder } from '../../unit/endpoint/endpoint-fixture.ts'

const unix = process.platform !== 'win32'
let dataDir: string
let lock: DataFolderLock | null
let logged: string[]
const others: string[] = []

beforeEach(() => {
  dataDir = tempDataDir()
  lock = null
  logged = []
})
afterEach(async () => {
  await lock?.close()
  for (const dir of [dataDir, ...others.splice(0)]) fs.rmSync(dir, { recursive: true, force: true })
})

const run = (): string => path.join(dataDir, 'run')
const socket = (): string => path.join(run(), 'larder.sock')

async function serving(): Promise<{ calls: unknown[] }> {
  lock = await takeDataFolder({ dataDir, holder: testHolder(), log: (line) => logged.push(line) })
  const { handlers, calls } = echoHandlers()
  lock.serve(handlers)
  return { calls }
}

const call = () => callEndpoint({ dataDir, client: CLIENT, name: 'token', input: { library: 'Acme' } })

describe.runIf(unix)('endpoint modes', () => {
  it('makes run/ 0700, the socket 0600 and the key 0600', async () => {
    await serving()
    expect(fs.statSync(run()).mode & 0o777).toBe(0o700)
    expect(fs.lstatSync(socket()).mode & 0o777).toBe(0o600)
    expect(fs.statSync(path.join(run(), 'endpoint.key')).mode & 0o777).toBe(0o600)
    expect(fs.statSync(path.join(run(), 'holder.json')).mode & 0o777).toBe(0o600)
  })

  it('refuses to serve from a run/ made 0755 beforehand, makes no socket and leaves the mode', async () => {
    fs.mkdirSync(run())
    fs.chmodSync(run(), 0o755)
    const refused = takeDataFolder({ dataDir, holder: testHolder() })
    await expect(refused).rejects.toBeInstanceOf(UnsafeEndpointError)
    await expect(refused).rejects.toThrow(`chmod 700 '${run()}'`)
    expect(fs.readdirSync(run())).toEqual([])
    expect(fs.statSync(run()).mode & 0o777).toBe(0o755)
  })

  it('refuses to connect to a socket chmod 0666, and the server sees no call', async () => {
    const { calls } = await serving()
    fs.chmodSync(socket(), 0o666)
    await expect(call()).rejects.toBeInstanceOf(UnsafeEndpointError)
    await expect(call()).rejects.toThrow('0666')
    expect(calls).toEqual([])
    expect(logged).toEqual([])
    fs.chmodSync(socket(), 0o600)
    await call()
    expect(calls).toHaveLength(1)
  })

  it('refuses a socket 0644 in a 0700 folder, a run/ made 0750 and a key made 0644 on the client side', async () => {
    const { calls } = await serving()
    fs.chmodSync(socket(), 0o644)
    await expect(call()).rejects.toBeInstanceOf(UnsafeEndpointError)
    fs.chmodSync(socket(), 0o600)
    fs.chmodSync(run(), 0o750)
    await expect(call()).rejects.toThrow(`${run()}`)
    fs.chmodSync(run(), 0o700)
    fs.chmodSync(path.join(run(), 'endpoint.key'), 0o644)
    await expect(call()).rejects.toBeInstanceOf(UnsafeEndpointError)
    expect(calls).toEqual([])
  })

  it('refuses a run/ that is a symbolic link to a private folder, on both sides', async () => {
    const elsewhere = tempDataDir()
    others.push(elsewhere)
    fs.chmodSync(elsewhere, 0o700)
    fs.symlinkSync(elsewhere, run())
    await expect(takeDataFolder({ dataDir, holder: testHolder() })).rejects.toThrow('symbolic link')
    expect(fs.readdirSync(elsewhere)).toEqual([])
    // A client whose run/ links to a live holder's private run/ is refused too.
    const holderDir = tempDataDir()
    others.push(holderDir)
    const held = await takeDataFolder({ dataDir: holderDir, holder: testHolder() })
    try {
      const { handlers, calls } = echoHandlers()
      held.serve(handlers)
      fs.unlinkSync(run())
      fs.symlinkSync(path.join(holderDir, 'run'), run())
      await expect(call()).rejects.toThrow('symbolic link')
      expect(calls).toEqual([])
    } finally {
      await held.close()
    }
  })

  it.runIf(process.getuid?.() === 0)('refuses a run/ owned by another user (root only: chown nobody)', async () => {
    fs.mkdirSync(run(), { mode: 0o700 })
    fs.chownSync(run(), 65534, 65534)
    await expect(takeDataFolder({ dataDir, holder: testHolder() })).rejects.toThrow('belongs to uid 65534')
    expect(fs.readdirSync(run())).toEqual([])
    fs.chownSync(run(), 0, 0)
    const { calls } = await serving()
    fs.chownSync(run(), 65534, 65534)
    await expect(call()).rejects.toBeInstanceOf(UnsafeEndpointError)
    expect(calls).toEqual([])
    fs.chownSync(run(), 0, 0)
  })
})
