// The app's side of the endpoint: per connection, read hello and call (one call per connection), check the version,
// the frame's shape and the client's proof, answer hello with the server's proof, run the handler, write the result,
// close. Caps: a request line's size, connections served at once (more wait, paused; past the queue, `busy`), and
// the time a client has to send its hello and call. It never logs a frame: only a call's name and a refusal's kind.
import type { Server, Socket } from 'node:net'
import {
  MAX_REQUEST_BYTES,
  MAX_RESPONSE_BYTES,
  PROTOCOL_VERSION,
  type ClientFacts,
  type EndpointHolder,
  type TerminalHandlers,
  type TerminalResult
} from '../../shared/terminal-words.ts'
import { isNonce, macFor, macMatches } from './proof.ts'
import { encodeFrame, parseCall, parseClientHello, pendingMessage, readLines, SUPPORTED_VERSIONS, type CallFrame, type WireErrorKind } from './wire.ts'

export const MAX_CONNECTIONS = 64
/** Connections held, unread, while all slots are taken; past this a connection is refused `busy`. */
export const MAX_WAITING = 1024
export const HELLO_TIMEOUT_MS = 10_000
/** How long close() lets calls in flight finish before it cuts them. */
const CLOSE_GRACE_MS = 2_000

export interface ServeOptions {
  readonly key: Buffer
  readonly holder: () => EndpointHolder
  /** When the holder took the folder, for the hello. */
  readonly since: number
  readonly log?: (line: string) => void
  readonly helloTimeoutMs?: number
  readonly maxConnections?: number
  readonly maxWaiting?: number
}

export interface TerminalServer {
  /** From now on calls are answered by `handlers`; before, every call answers "Larder is starting…". */
  serve(handlers: TerminalHandlers): void
  /** Calls being answered now (for tests and the close). */
  readonly active: () => number
  /** Cuts every connection still open after the grace (the listener must be closed first). */
  drain(graceMs?: number): Promise<void>
}

const FAILED: TerminalResult = { ok: false, error: { kind: 'internal', message: 'Larder could not answer this call; its log says why.' } }
const TOO_LARGE: TerminalResult = { ok: false, error: { kind: 'internal', message: `The answer is over ${MAX_RESPONSE_BYTES} bytes.` } }

export function serveTerminal(listener: Server, options: ServeOptions): TerminalServer {
  const max = options.maxConnections ?? MAX_CONNECTIONS
  const maxWaiting = options.maxWaiting ?? MAX_WAITING
  const helloTimeoutMs = options.helloTimeoutMs ?? HELLO_TIMEOUT_MS
  const log = options.log ?? (() => undefined)
  let handlers: TerminalHandlers | null = null
  let active = 0
  const waiting: Socket[] = []
  const open = new Set<Socket>()

  const refuse = (socket: Socket, kind: WireErrorKind, message: string): void => {
    log(`endpoint refused a connection: ${kind}`)
    const frame = kind === 'version' ? { supported: SUPPORTED_VERSIONS } : {}
    socket.end(encodeFrame({ v: PROTOCOL_VERSION, type: 'error', kind, message, ...frame }))
    // Read (and drop) whatever else comes, so the client's close is seen and the connection goes at once.
    socket.resume()
    setTimeout(() => socket.destroy(), 1_000).unref()
  }

  const next = (): void => {
    while (active < max && waiting.length > 0) {
      const socket = waiting.shift() as Socket
      if (!socket.destroyed) start(socket)
    }
  }

  const start = (socket: Socket): void => {
    active++
    let counted = true
    socket.once('close', () => {
      if (!counted) return
      counted = false
      active--
      next()
    })
    answer(socket)
    // Held paused while it waited for a slot; its hello and call are still in the kernel's buffer.
    socket.resume()
  }

  const answer = (socket: Socket): void => {
    let stage: 'hello' | 'call' | 'done' = 'hello'
    let client: ClientFacts | null = null
    const timer = setTimeout(() => refuse(socket, 'bad_frame', `No hello and call within ${helloTimeoutMs / 1000} s.`), helloTimeoutMs)
    timer.unref()
    socket.once('close', () => clearTimeout(timer))
    const fail = (kind: WireErrorKind, message: string): void => {
      clearTimeout(timer)
      reader.stop()
      refuse(socket, kind, message)
    }
    const reader = readLines(socket, MAX_REQUEST_BYTES, {
      tooLarge: () => fail('too_large', `A request line is over ${MAX_REQUEST_BYTES} bytes.`),
      line: (text) => {
        if (stage === 'hello') {
          const parsed = parseClientHello(text)
          if (!parsed.ok) return fail(parsed.kind, parsed.message)
          if (!isNonce(parsed.frame.nonce)) return fail('bad_frame', 'A hello whose nonce is not 16 bytes of base64.')
          if (!macMatches(options.key, 'client', parsed.frame.nonce, parsed.frame.mac)) return fail('bad_mac', "The hello's proof does not match this data folder's key.")
          client = parsed.frame.client
          const holder = options.holder()
          socket.write(encodeFrame({ v: PROTOCOL_VERSION, type: 'hello', ...holder, since: options.since, mac: macFor(options.key, 'server', parsed.frame.nonce) }))
          stage = 'call'
          return
        }
        if (stage === 'done') return fail('bad_frame', 'One call per connection.')
        const parsed = parseCall(text)
        if (!parsed.ok) return fail(parsed.kind, parsed.message)
        clearTimeout(timer)
        stage = 'done'
        void run(socket, parsed.frame, client as ClientFacts)
      }
    })
  }

  const run = async (socket: Socket, call: CallFrame, client: ClientFacts): Promise<void> => {
    const table = handlers
    let line: string
    try {
      const result: TerminalResult =
        table === null
          ? { ok: false, error: { kind: 'vault', message: 'Larder is starting…', vaultState: options.holder().vault } }
          : await table[call.name](call.input, client, (message) => {
              if (socket.writable) socket.write(encodeFrame({ v: PROTOCOL_VERSION, type: 'pending', id: call.id, reason: 'approval', message: pendingMessage(message) }))
            })
      // A refused or failed call is logged by the handler table, with its facts; not again here.
      if (typeof (result as Partial<TerminalResult> | null)?.ok !== 'boolean') throw new TypeError('the handler answered no result')
      line = encodeFrame({ v: PROTOCOL_VERSION, type: 'result', id: call.id, ...result })
    } catch (error) {
      // A handler that threw, or answered something that is not a result or not JSON: the client hears "internal".
      log(`terminal call ${call.name} failed: internal (${error instanceof Error ? error.name : typeof error})`)
      line = encodeFrame({ v: PROTOCOL_VERSION, type: 'result', id: call.id, ...FAILED })
    }
    if (Buffer.byteLength(line) > MAX_RESPONSE_BYTES) {
      log(`terminal call ${call.name}: answer too large`)
      line = encodeFrame({ v: PROTOCOL_VERSION, type: 'result', id: call.id, ...TOO_LARGE })
    }
    if (!socket.destroyed) socket.end(line)
  }

  listener.on('connection', (socket: Socket) => {
    open.add(socket)
    socket.once('close', () => open.delete(socket))
    // A client gone mid-answer is its own business; the server keeps serving the others.
    socket.on('error', () => undefined)
    if (active < max) start(socket)
    else if (waiting.length < maxWaiting) {
      socket.pause()
      waiting.push(socket)
    } else refuse(socket, 'busy', 'Larder is answering too many calls; try again.')
  })

  return {
    serve(table) {
      handlers = table
    },
    active: () => active,
    async drain(graceMs = CLOSE_GRACE_MS) {
      const deadline = Date.now() + graceMs
      while (open.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
      for (const socket of open) socket.destroy()
    }
  }
}
