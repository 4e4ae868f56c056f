// The command's side of the endpoint: find the data folder's socket, check that it and its folder are private,
// connect, send hello and call in one write, check the server's proof before trusting anything it says, pass
// `pending` lines on, and return the result. Node built-ins and plain shared words only (the command starts fast).
import net from 'node:net'
import { MAX_RESPONSE_BYTES, PROTOCOL_VERSION, type ClientFacts, type EndpointHolder, type TerminalCallName, type TerminalResult } from '../../shared/terminal-words.ts'
import { checkPrivateDir, checkPrivateSocket } from './checks.ts'
import { endpointFor, type EndpointPaths } from './paths.ts'
import { macMatches, macFor, newNonce, readKey } from './proof.ts'
import { encodeFrame, parseServerFrame, readLines, type WireErrorKind } from './wire.ts'

export { UnsafeEndpointError } from './checks.ts'

/** No Larder is serving this data folder (no socket, or one left by a Larder that is gone). */
export class EndpointNotRunningError extends Error {
  override readonly name = 'EndpointNotRunningError'
  readonly dataDir: string
  constructor(dataDir: string) {
    super(`Larder is not running on ${dataDir}. Start the desktop app, or run larder agent on that folder.`)
    this.dataDir = dataDir
  }
}

/** The other end did not speak the protocol: a refused version, a failed proof, an oversize or garbled answer. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError'
  readonly kind: WireErrorKind | 'closed' | 'timeout'
  constructor(kind: ProtocolError['kind'], message: string) {
    super(message)
    this.kind = kind
  }
}

export interface CallOptions {
  readonly dataDir: string
  readonly client: ClientFacts
  readonly name: TerminalCallName
  readonly input: unknown
  /** Called with each line the app sends while the call waits (approval in the window). */
  readonly onPending?: (message: string) => void
  /**
   * Default 150 s: longer than the app waits for an approval (120 s). It counts silence: each line the app sends while
   * the call runs (a long restore's progress) starts it again, so only an app that says nothing for that long is given up on.
   */
  readonly timeoutMs?: number
}

export interface HeldBy extends EndpointHolder {
  readonly since: number
}

const DEFAULT_TIMEOUT_MS = 150_000
/** A server with all its slots and queue taken answers `busy`; the call is tried again a few times. */
const BUSY_RETRIES = 20

const codeOf = (error: unknown): unknown => (typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined)

/** The folders and socket are private (or refused), and the key is read. ENOENT means nothing is serving. */
function checkedKey(paths: EndpointPaths, dataDir: string): Buffer {
  try {
    checkPrivateDir(paths.runDir)
    if (paths.socketDir !== null) checkPrivateDir(paths.socketDir)
    if (paths.platform !== 'win32') checkPrivateSocket(paths.socket)
    return readKey(paths.key)
  } catch (error) {
    if (codeOf(error) === 'ENOENT') throw new EndpointNotRunningError(dataDir)
    throw error
  }
}

export async function callEndpoint(options: CallOptions): Promise<{ holder: EndpointHolder; result: TerminalResult }> {
  const paths = endpointFor(options.dataDir)
  const key = checkedKey(paths, options.dataDir)
  for (let attempt = 0; ; attempt++) {
    try {
      const answer = await talk(paths, key, options)
      if (answer.result === null) throw new ProtocolError('closed', 'Larder closed the connection before answering.')
      const { since: _since, ...holder } = answer.holder
      return { holder, result: answer.result }
    } catch (error) {
      if (!(error instanceof ProtocolError && error.kind === 'busy' && attempt < BUSY_RETRIES)) throw error
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80))
    }
  }
}

/**
 * Who holds the endpoint: a hello without a call (the lock's probe). Resolves null when nothing answers a proven
 * hello within `timeoutMs`; rejects with the connection's own error (ECONNREFUSED: a stale socket).
 */
export async function askHolder(paths: EndpointPaths, key: Buffer | null, timeoutMs: number): Promise<HeldBy | null> {
  const client: ClientFacts = { pid: process.pid, ppid: process.ppid, session: 'larder-lock-probe', tty: null, cwd: process.cwd(), command: 'probe' }
  try {
    const answer = await talk(paths, key ?? Buffer.alloc(32), { client, timeoutMs })
    return answer.holder
  } catch (error) {
    if (error instanceof ProtocolError || error instanceof EndpointNotRunningError) return null
    throw error
  }
}

interface Talk {
  readonly client: ClientFacts
  readonly name?: TerminalCallName
  readonly input?: unknown
  readonly onPending?: (message: string) => void
  readonly timeoutMs?: number
}

/** One connection: hello (and the call, if any) in one write; resolves after the server's hello (and the result). */
function talk(paths: EndpointPaths, key: Buffer, request: Talk): Promise<{ holder: HeldBy; result: TerminalResult | null }> {
  return new Promise((resolve, reject) => {
    const nonce = newNonce()
    const socket = net.createConnection(paths.socket)
    let holder: HeldBy | null = null
    let settled = false
    const finish = (error: Error | null, result: TerminalResult | null = null): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      if (error !== null) reject(error)
      else if (holder !== null) resolve({ holder, result })
    }
    const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS
    const silence = (): NodeJS.Timeout => setTimeout(() => finish(new ProtocolError('timeout', `Larder did not answer within ${Math.round(timeoutMs / 1000)} s.`)), timeoutMs)
    let timer = silence()
    socket.on('error', (error) => {
      const code = codeOf(error)
      if (code === 'ENOENT' || code === 'ECONNREFUSED') {
        // The lock tells a stale socket from a missing one by this code; the command only says "not running".
        if (request.name === undefined) finish(error)
        else finish(new EndpointNotRunningError(paths.runDir.replace(/[\\/]run$/, '')))
      } else finish(new ProtocolError('closed', `The connection to Larder failed (${String(code ?? error.message)}).`))
    })
    socket.on('close', () => finish(new ProtocolError('closed', 'Larder closed the connection before answering.')))
    socket.on('connect', () => {
      let lines = encodeFrame({ v: PROTOCOL_VERSION, type: 'hello', nonce, mac: macFor(key, 'client', nonce), client: request.client })
      if (request.name !== undefined) lines += encodeFrame({ v: PROTOCOL_VERSION, type: 'call', id: 1, name: request.name, input: request.input ?? {} })
      socket.write(lines)
    })
    readLines(socket, MAX_RESPONSE_BYTES, {
      tooLarge: () => finish(new ProtocolError('too_large', `Larder's answer is over ${MAX_RESPONSE_BYTES} bytes.`)),
      line: (text) => {
        const parsed = parseServerFrame(text)
        if (!parsed.ok) {
          const message = parsed.kind === 'version' ? 'The running Larder speaks another protocol version than this larder; use the larder that came with it.' : parsed.message
          finish(new ProtocolError(parsed.kind, message))
          return
        }
        const frame = parsed.frame
        if (frame.type === 'error') {
          const message =
            frame.kind === 'version'
              ? `The running Larder speaks protocol ${(frame.supported ?? []).join(', ')}; this larder speaks ${PROTOCOL_VERSION}. Use the larder that came with the app.`
              : `Larder refused the call (${frame.kind}): ${frame.message}`
          finish(new ProtocolError(frame.kind, message))
          return
        }
        if (holder === null) {
          if (frame.type !== 'hello' || !macMatches(key, 'server', nonce, frame.mac)) {
            finish(new ProtocolError('bad_mac', `The endpoint at ${paths.socket} did not prove it is Larder (its proof does not match ${paths.key}).`))
            return
          }
          holder = { host: frame.host, pid: frame.pid, version: frame.version, vault: frame.vault, since: frame.since }
          if (request.name === undefined) finish(null)
          return
        }
        if (frame.type === 'pending') {
          clearTimeout(timer)
          timer = silence()
          request.onPending?.(frame.message)
        }
        else if (frame.type === 'result') {
          const { v: _v, type: _type, id: _id, ...result } = frame
          finish(null, result)
        } else finish(new ProtocolError('bad_frame', 'Larder sent a second hello.'))
      }
    })
  })
}
