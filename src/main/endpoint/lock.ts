// One data folder, one refresher: the endpoint's listener IS the lock. Listening on the socket takes the folder; a
// second taker gets EADDRINUSE, connects, and either reaches the holder (held: it stops, naming host, pid and since)
// or is refused by the kernel (ECONNREFUSED: a socket left by a Larder that died, e.g. kill -9), which it removes.
// Binding, probing and removing all happen under one mkdir mutex (see underMutex). No pid or heartbeat guessing. Windows pipes vanish with their process, so there in-use = held.
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { isMainThread } from 'node:worker_threads'
import type { EndpointHolder, TerminalHandlers } from '../../shared/terminal-words.ts'
import { checkPrivateDir, UnsafeEndpointError } from './checks.ts'
import { askHolder, type HeldBy } from './client.ts'
import { endpointFor, type EndpointPaths } from './paths.ts'
import { newKey, readKey, writeKey } from './proof.ts'
import { serveTerminal, type ServeOptions, type TerminalServer } from './server.ts'

/** Another Larder (the desktop app or an agent) serves this data folder: the second one says who and stops. */
export class DataFolderHeldError extends Error {
  override readonly name = 'DataFolderHeldError'
  readonly dataDir: string
  readonly host: string | null
  readonly pid: number | null
  readonly since: number | null
  constructor(dataDir: string, holder: { host?: string; pid?: number; since?: number } | null) {
    const who = holder?.host === 'desktop' ? "Larder's desktop app" : holder?.host === 'agent' ? 'A Larder agent' : holder?.host === 'test' ? 'A Larder test host' : 'Another Larder'
    const facts = [holder?.pid !== undefined ? `pid ${holder.pid}` : null, holder?.since ? `since ${clock(holder.since)}` : null].filter((fact) => fact !== null)
    super(`${who} is already running on ${dataDir}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}. One data folder has one refresher: quit it first.`)
    this.dataDir = dataDir
    this.host = holder?.host ?? null
    this.pid = holder?.pid ?? null
    this.since = holder?.since ?? null
  }
}

export interface DataFolderLock {
  /** From now on terminal calls are answered by `handlers` (before: "Larder is starting…"). */
  serve(handlers: TerminalHandlers): void
  /** Stops listening (frees the folder), lets calls in flight finish briefly, removes the holder's note. */
  close(): Promise<void>
  /** The socket's path (or the pipe's name). */
  readonly path: string
}

export interface TakeOptions {
  readonly dataDir: string
  /** Asked at each hello: who holds the folder and where its vault stands. */
  readonly holder: () => EndpointHolder
  readonly log?: (line: string) => void
  /** For tests: the server's caps. */
  readonly serve?: Pick<ServeOptions, 'helloTimeoutMs' | 'maxConnections' | 'maxWaiting'>
}

/** A takeover mutex older than this was left by a taker that died mid-takeover. */
export const STALE_MUTEX_MS = 10_000
const PROBE_TIMEOUT_MS = 1_000
const TAKE_DEADLINE_MS = 20_000
const MUTEX_POLL_MS = 25

const clock = (ms: number): string => new Date(ms).toTimeString().slice(0, 5)
const codeOf = (error: unknown): unknown => (typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined)
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Made 0700 when missing; one that exists is checked and refused if unsafe, never repaired. */
function privateDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { mode: 0o700 })
  } catch (error) {
    if (codeOf(error) !== 'EEXIST') throw error
  }
  checkPrivateDir(dir)
}

/** Listens with a umask that leaves the socket 0600 from its first instant (where the process may set one). */
function listen(server: net.Server, paths: EndpointPaths): Promise<'listening' | 'in_use'> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => (codeOf(error) === 'EADDRINUSE' ? resolve('in_use') : reject(error))
    server.once('error', onError)
    const tighten = paths.platform !== 'win32' && isMainThread
    const previous = tighten ? process.umask(0o177) : 0
    try {
      server.listen(paths.socket, () => {
        server.off('error', onError)
        resolve('listening')
      })
    } finally {
      if (tighten) process.umask(previous)
    }
  })
}

function heldNote(paths: EndpointPaths): HeldBy | null {
  try {
    const note: unknown = JSON.parse(fs.readFileSync(paths.holderFile, 'utf8'))
    if (typeof note !== 'object' || note === null) return null
    const { host, pid, version, startedAt } = note as Record<string, unknown>
    if (typeof host !== 'string' || typeof pid !== 'number') return null
    return { host: host as HeldBy['host'], pid, version: typeof version === 'string' ? version : '', vault: '', since: typeof startedAt === 'number' ? startedAt : 0 }
  } catch {
    return null
  }
}

type Probe = { readonly state: 'held'; readonly holder: HeldBy | null } | { readonly state: 'stale' | 'gone' }

/** Held (someone answers, or at least accepts), stale (the kernel refuses: nobody listens) or gone (no file). */
async function probe(paths: EndpointPaths): Promise<Probe> {
  let key: Buffer | null = null
  try {
    key = readKey(paths.key)
  } catch {
    key = null
  }
  try {
    const holder = await askHolder(paths, key, PROBE_TIMEOUT_MS)
    return { state: 'held', holder: holder ?? heldNote(paths) }
  } catch (error) {
    if (codeOf(error) === 'ECONNREFUSED') return { state: 'stale' }
    if (codeOf(error) === 'ENOENT') return { state: 'gone' }
    throw error
  }
}

/**
 * Holds run/takeover (a mkdir mutex) while it binds, probes or unlinks. A socket is bound a moment before it listens,
 * and in that moment a connection is refused exactly as by a dead socket's; a taker that judged it stale then would
 * unlink a live holder's socket. Under the mutex no holder is ever between bind and listen, so a refusal means dead.
 */
async function underMutex<T>(paths: EndpointPaths, dataDir: string, deadline: number, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      fs.mkdirSync(paths.takeoverDir, { mode: 0o700 })
      break
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw error
    }
    try {
      if (Date.now() - fs.statSync(paths.takeoverDir).mtimeMs > STALE_MUTEX_MS) fs.rmSync(paths.takeoverDir, { recursive: true, force: true })
    } catch {
      // Another taker removed it first.
    }
    if (Date.now() > deadline) throw new Error(`Could not take the data folder ${dataDir} within ${TAKE_DEADLINE_MS / 1000} s (${paths.takeoverDir} stayed taken).`)
    await sleep(MUTEX_POLL_MS)
  }
  try {
    return await work()
  } finally {
    fs.rmSync(paths.takeoverDir, { recursive: true, force: true })
  }
}

/** Unlinks a socket that refused a connection under the mutex, after checking it is a socket of this user's. */
function removeStale(paths: EndpointPaths): void {
  const stats = fs.lstatSync(paths.socket)
  if (!stats.isSocket() || stats.uid !== process.getuid?.()) {
    throw new UnsafeEndpointError({ path: paths.socket, problem: 'it is not a socket of yours', owner: stats.uid, mode: stats.mode & 0o7777, fix: 'Quit Larder, remove it and start Larder again.' })
  }
  fs.unlinkSync(paths.socket)
}

/** One attempt: listening takes the folder; a live socket throws held; a dead one is removed and null says try again. */
async function attempt(paths: EndpointPaths, dataDir: string, options: TakeOptions): Promise<DataFolderLock | null> {
  // The key lives in memory from before the first connection can arrive; the file follows right after listen.
  const key = newKey()
  const since = Date.now()
  const server = net.createServer()
  const terminal = serveTerminal(server, { key, since, holder: options.holder, log: options.log, ...options.serve })
  if ((await listen(server, paths)) === 'listening') {
    if (paths.platform !== 'win32') fs.chmodSync(paths.socket, 0o600)
    writeKey(paths.key, key)
    writeNote(paths, { ...options.holder(), startedAt: since })
    return lockOf(server, terminal, paths)
  }
  // A pipe in use is always held: pipes vanish with their process.
  if (paths.platform === 'win32') throw new DataFolderHeldError(dataDir, heldNote(paths))
  const found = await probe(paths)
  if (found.state === 'held') throw new DataFolderHeldError(dataDir, found.holder)
  if (found.state === 'stale') removeStale(paths)
  return null
}

export async function takeDataFolder(options: TakeOptions): Promise<DataFolderLock> {
  const dataDir = path.resolve(options.dataDir)
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const paths = endpointFor(dataDir)
  if (paths.platform === 'win32') {
    fs.mkdirSync(paths.runDir, { recursive: true })
    // attempt() on win32 either listens or throws held: there is no stale pipe to remove.
    const lock = await attempt(paths, dataDir, options)
    if (lock !== null) return lock
    throw new DataFolderHeldError(dataDir, heldNote(paths))
  }
  privateDir(paths.runDir)
  if (paths.socketDir !== null) privateDir(paths.socketDir)
  const deadline = Date.now() + TAKE_DEADLINE_MS
  for (;;) {
    const lock = await underMutex(paths, dataDir, deadline, () => attempt(paths, dataDir, options))
    if (lock !== null) return lock
    if (Date.now() > deadline) throw new Error(`Could not take the data folder ${dataDir} within ${TAKE_DEADLINE_MS / 1000} s (its socket kept changing hands).`)
  }
}

/** For messages only (who holds the folder when its hello cannot be had); never trusted for the lock itself. */
function writeNote(paths: EndpointPaths, note: EndpointHolder & { startedAt: number }): void {
  const temporary = `${paths.holderFile}.${process.pid}.tmp`
  fs.writeFileSync(temporary, `${JSON.stringify({ host: note.host, pid: note.pid, version: note.version, startedAt: note.startedAt })}\n`, { mode: 0o600 })
  fs.renameSync(temporary, paths.holderFile)
}

function lockOf(server: net.Server, terminal: TerminalServer, paths: EndpointPaths): DataFolderLock {
  let closing: Promise<void> | null = null
  return {
    path: paths.socket,
    serve: (handlers) => terminal.serve(handlers),
    close() {
      closing ??= (async () => {
        // Closing the listener unlinks the socket (libuv does), which frees the folder for the next taker.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        await terminal.drain()
        await closed
        const note = heldNote(paths)
        if (note?.pid === process.pid) fs.rmSync(paths.holderFile, { force: true })
      })()
      return closing
    }
  }
}
