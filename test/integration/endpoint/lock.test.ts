// The lock is the listener, with real processes: a second taker is told who holds the folder; a socket left by a
// process killed with SIGKILL is taken over; five takers started at once leave exactly one holder.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import readline from 'node:readline'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { callEndpoint, EndpointNotRunningError } from '../../../src/main/endpoint/client.ts'
import { UnsafeEndpointError } from '../../../src/main/endpoint/checks.ts'
import { DataFolderHeldError, takeDataFolder, type DataFolderLock } from '../../../src/main/endpoint/lock.ts'
import { CLIENT, echoHandlers, tempDataDir, testHolder } from '../../unit/endpoint/endpoint-fixture.ts'

const CHILD = path.join(import.meta.dirname, 'taker-child.ts')

interface TakerLine {
  readonly won: boolean
  readonly pid: number
  readonly error?: string
  readonly holderPid?: number
  readonly message?: string
}

let dataDir: string
const children: ChildProcess[] = []
const locks: DataFolderLock[] = []

beforeEach(() => {
  dataDir = tempDataDir()
})
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await Promise.all(locks.splice(0).map((lock) => lock.close()))
  fs.rmSync(dataDir, { recursive: true, force: true })
})

/** Starts a taker and resolves with its one line. */
function taker(startAt = 0): Promise<{ child: ChildProcess; line: TakerLine }> {
  const child = spawn(process.execPath, [CHILD, dataDir, String(startAt)], { stdio: ['pipe', 'pipe', 'inherit'] })
  children.push(child)
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (text) => resolve({ child, line: JSON.parse(text) as TakerLine }))
    child.once('error', reject)
  })
}

async function take(): Promise<DataFolderLock> {
  const lock = await takeDataFolder({ dataDir, holder: testHolder() })
  locks.push(lock)
  return lock
}

async function heldError(): Promise<DataFolderHeldError> {
  try {
    await take()
  } catch (error) {
    if (error instanceof DataFolderHeldError) return error
    throw error
  }
  throw new Error('expected the folder to be held')
}

const killed = (child: ChildProcess): Promise<void> => new Promise((resolve) => child.once('exit', () => resolve()))

describe('the data folder lock', () => {
  it('refuses a second taker, naming the holder (host, pid, since) from its hello', async () => {
    const { child, line } = await taker()
    expect(line.won).toBe(true)
    const error = await heldError()
    expect(error.pid).toBe(child.pid)
    expect(error.host).toBe('agent')
    expect(error.since).toBeGreaterThan(Date.now() - 60_000)
    expect(error.message).toContain(`A Larder agent is already running on ${fs.realpathSync(dataDir)} (pid ${child.pid}, since`)
    // The holder still serves: the refused taker took nothing from it.
    const { holder, result } = await callEndpoint({ dataDir, client: CLIENT, name: 'ls', input: {} })
    expect(holder.pid).toBe(child.pid)
    expect(result).toEqual({ ok: true, value: { pid: child.pid, input: {} } })
  })

  it('names the holder from run/holder.json when it accepts but does not answer hello', async () => {
    const run = path.join(dataDir, 'run')
    fs.mkdirSync(run, { mode: 0o700 })
    const mute = net.createServer(() => undefined)
    await new Promise<void>((resolve) => mute.listen(path.join(run, 'larder.sock'), resolve))
    fs.writeFileSync(path.join(run, 'holder.json'), JSON.stringify({ host: 'desktop', pid: 4242, version: '0.1.0', startedAt: Date.now() }), { mode: 0o600 })
    try {
      const error = await heldError()
      expect(error.pid).toBe(4242)
      expect(error.message).toContain("Larder's desktop app is already running")
    } finally {
      mute.close()
    }
  })

  it('takes over a socket left by a holder killed with SIGKILL', async () => {
    const { child, line } = await taker()
    expect(line.won).toBe(true)
    child.kill('SIGKILL')
    await killed(child)
    const socket = path.join(dataDir, 'run', 'larder.sock')
    expect(fs.lstatSync(socket).isSocket()).toBe(true)
    await expect(callEndpoint({ dataDir, client: CLIENT, name: 'ls', input: {} })).rejects.toBeInstanceOf(EndpointNotRunningError)
    const lock = await take()
    lock.serve(echoHandlers().handlers)
    const { holder, result } = await callEndpoint({ dataDir, client: CLIENT, name: 'ls', input: { after: 'takeover' } })
    expect(holder.pid).toBe(process.pid)
    expect(result).toEqual({ ok: true, value: { echo: { after: 'takeover' } } })
    expect(fs.existsSync(path.join(dataDir, 'run', 'takeover'))).toBe(false)
  })

  it('removes a takeover mutex older than 10 s left by a taker that died mid-takeover', async () => {
    const { child } = await taker()
    child.kill('SIGKILL')
    await killed(child)
    const mutex = path.join(dataDir, 'run', 'takeover')
    fs.mkdirSync(mutex)
    const old = new Date(Date.now() - 20_000)
    fs.utimesSync(mutex, old, old)
    await take()
    expect(fs.existsSync(mutex)).toBe(false)
  })

  it('takes over a stale socket only under the takeover mutex: a fresh one held by another taker makes it wait', async () => {
    const { child } = await taker()
    child.kill('SIGKILL')
    await killed(child)
    const socket = path.join(dataDir, 'run', 'larder.sock')
    const mutex = path.join(dataDir, 'run', 'takeover')
    fs.mkdirSync(mutex)
    let taken = false
    const taking = take().then((lock) => {
      taken = true
      return lock
    })
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(taken).toBe(false)
    expect(fs.lstatSync(socket).isSocket()).toBe(true)
    await expect(callEndpoint({ dataDir, client: CLIENT, name: 'ls', input: {} })).rejects.toBeInstanceOf(EndpointNotRunningError)
    fs.rmdirSync(mutex)
    await taking
    const { holder } = await callEndpoint({ dataDir, client: CLIENT, name: 'ls', input: {} })
    expect(holder.pid).toBe(process.pid)
  })

  it('binds only under the mutex: on a fresh folder a taker waits while another holds it, so none is ever seen between bind and listen', async () => {
    const run = path.join(dataDir, 'run')
    fs.mkdirSync(run, { mode: 0o700 })
    const mutex = path.join(run, 'takeover')
    fs.mkdirSync(mutex)
    let taken = false
    const taking = take().then((lock) => {
      taken = true
      return lock
    })
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(taken).toBe(false)
    expect(fs.existsSync(path.join(run, 'larder.sock'))).toBe(false)
    fs.rmdirSync(mutex)
    const lock = await taking
    expect(fs.lstatSync(lock.path).isSocket()).toBe(true)
    expect(fs.existsSync(mutex)).toBe(false)
  })

  it('never unlinks what is not a socket at the socket path', async () => {
    const run = path.join(dataDir, 'run')
    fs.mkdirSync(run, { mode: 0o700 })
    fs.writeFileSync(path.join(run, 'larder.sock'), 'not a socket', { mode: 0o600 })
    await expect(take()).rejects.toBeInstanceOf(UnsafeEndpointError)
    expect(fs.readFileSync(path.join(run, 'larder.sock'), 'utf8')).toBe('not a socket')
  })

  it('frees the folder on close: the socket goes and the next taker wins', async () => {
    const first = await take()
    await first.close()
    expect(fs.existsSync(first.path)).toBe(false)
    expect(fs.existsSync(path.join(dataDir, 'run', 'holder.json'))).toBe(false)
    await take()
  })

  for (const start of ['a fresh folder', 'a stale socket'] as const) {
    it(`leaves exactly one holder of five takers started at once on ${start}`, async () => {
      if (start === 'a stale socket') {
        const { child } = await taker()
        child.kill('SIGKILL')
        await killed(child)
      }
      const startAt = Date.now() + 1_500
      const lines = (await Promise.all([0, 1, 2, 3, 4].map(() => taker(startAt)))).map((taken) => taken.line)
      const winners = lines.filter((line) => line.won)
      expect(winners).toHaveLength(1)
      const winner = winners[0] as TakerLine
      for (const line of lines.filter((other) => !other.won)) {
        expect(line.error).toBe('DataFolderHeldError')
        expect(line.holderPid).toBe(winner.pid)
      }
      const { holder } = await callEndpoint({ dataDir, client: CLIENT, name: 'ls', input: {} })
      expect(holder.pid).toBe(winner.pid)
    })
  }
})
