// The endpoint's frames: JSON lines in UTF-8 (protocol v1, one call per connection). A line over its cap stops the
// reader (the server answers `too_large` and closes). Frame shapes are checked here by hand, with no schema library,
// so the command that imports this starts fast; the call's own input is checked later by the app's terminal table.
import type { Socket } from 'node:net'
import {
  PROTOCOL_VERSION,
  TERMINAL_CALLS,
  TERMINAL_ERROR_KINDS,
  type ClientFacts,
  type EndpointHolder,
  type TerminalCallName,
  type TerminalError,
  type TerminalResult
} from '../../shared/terminal-words.ts'

export const SUPPORTED_VERSIONS: readonly number[] = [PROTOCOL_VERSION]

/** Why the server refused a connection (an `error` frame, then close). `busy`: more connections than it queues. */
export const WIRE_ERROR_KINDS = ['version', 'too_large', 'bad_mac', 'bad_frame', 'busy'] as const
export type WireErrorKind = (typeof WIRE_ERROR_KINDS)[number]

export interface ClientHello {
  readonly v: number
  readonly type: 'hello'
  readonly nonce: string
  readonly mac: string
  readonly client: ClientFacts
}
export interface CallFrame {
  readonly v: number
  readonly type: 'call'
  readonly id: number
  readonly name: TerminalCallName
  readonly input: unknown
}
export interface ServerHello extends EndpointHolder {
  readonly v: number
  readonly type: 'hello'
  /** When the holder took the folder (ms since the epoch). */
  readonly since: number
  readonly mac: string
}
export interface PendingFrame {
  readonly v: number
  readonly type: 'pending'
  readonly id: number
  readonly reason: 'approval'
  readonly message: string
}
export type ResultFrame = { readonly v: number; readonly type: 'result'; readonly id: number } & TerminalResult
export interface ErrorFrame {
  readonly v: number
  readonly type: 'error'
  readonly kind: WireErrorKind
  readonly message: string
  readonly supported?: readonly number[]
}

/** Bounds on what a client may say about itself. */
const FACT_LIMITS = { session: 512, tty: 256, cwd: 4096, command: 200, parent: 64 } as const
const MAX_MESSAGE = 500

export function encodeFrame(frame: ClientHello | CallFrame | ServerHello | PendingFrame | ResultFrame | ErrorFrame): string {
  return `${JSON.stringify(frame)}\n`
}

export interface LineReader {
  stop(): void
}

/** Calls `line` per complete line; past `maxBytes` without a newline, stops and calls `tooLarge` once. */
export function readLines(socket: Socket, maxBytes: number, on: { line(text: string): void; tooLarge(): void }): LineReader {
  let chunks: Buffer[] = []
  let size = 0
  let stopped = false
  const onData = (data: Buffer): void => {
    let start = 0
    while (!stopped) {
      const newline = data.indexOf(10, start)
      const piece = data.subarray(start, newline === -1 ? data.length : newline)
      size += piece.length
      if (size > maxBytes) {
        reader.stop()
        on.tooLarge()
        return
      }
      if (newline === -1) {
        if (piece.length > 0) chunks.push(piece)
        return
      }
      const text = (chunks.length === 0 ? piece : Buffer.concat([...chunks, piece])).toString('utf8')
      chunks = []
      size = 0
      start = newline + 1
      on.line(text)
    }
  }
  const reader = {
    stop() {
      stopped = true
      chunks = []
      socket.off('data', onData)
    }
  }
  socket.on('data', onData)
  return reader
}

export type Parsed<T> = { readonly ok: true; readonly frame: T } | { readonly ok: false; readonly kind: WireErrorKind; readonly message: string }

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype

const hasOnly = (value: Record<string, unknown>, keys: readonly string[]): boolean => Object.keys(value).every((key) => keys.includes(key))

const boundedString = (value: unknown, max: number, min = 0): value is string => typeof value === 'string' && value.length >= min && value.length <= max

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0

const refused = (kind: WireErrorKind, message: string): Parsed<never> => ({ ok: false, kind, message })

/** JSON, an object, and a version this side speaks; the frame's own shape is checked by the callers below. */
function parseVersioned(line: string): Parsed<Record<string, unknown>> {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return refused('bad_frame', 'A frame that is not JSON.')
  }
  if (!isPlainObject(value)) return refused('bad_frame', 'A frame that is not a JSON object.')
  if (typeof value['v'] !== 'number') return refused('bad_frame', 'A frame without a protocol version.')
  if (!SUPPORTED_VERSIONS.includes(value['v'])) return refused('version', `Protocol version ${value['v']} is not spoken here.`)
  return { ok: true, frame: value }
}

export function isClientFacts(value: unknown): value is ClientFacts {
  return (
    isPlainObject(value) &&
    hasOnly(value, ['pid', 'ppid', 'session', 'tty', 'cwd', 'command', 'parent']) &&
    isCount(value['pid']) &&
    isCount(value['ppid']) &&
    boundedString(value['session'], FACT_LIMITS.session, 1) &&
    (value['tty'] === null || boundedString(value['tty'], FACT_LIMITS.tty)) &&
    boundedString(value['cwd'], FACT_LIMITS.cwd) &&
    boundedString(value['command'], FACT_LIMITS.command, 1) &&
    (value['parent'] === undefined || boundedString(value['parent'], FACT_LIMITS.parent, 1))
  )
}

export function parseClientHello(line: string): Parsed<ClientHello> {
  const parsed = parseVersioned(line)
  if (!parsed.ok) return parsed
  const frame = parsed.frame
  if (frame['type'] !== 'hello') return refused('bad_frame', 'The first frame must be a hello.')
  if (!hasOnly(frame, ['v', 'type', 'nonce', 'mac', 'client'])) return refused('bad_frame', 'A hello with an unknown field.')
  if (typeof frame['nonce'] !== 'string' || typeof frame['mac'] !== 'string' || !isClientFacts(frame['client'])) {
    return refused('bad_frame', 'A hello without a nonce, a mac or valid client facts.')
  }
  return { ok: true, frame: frame as unknown as ClientHello }
}

export function parseCall(line: string): Parsed<CallFrame> {
  const parsed = parseVersioned(line)
  if (!parsed.ok) return parsed
  const frame = parsed.frame
  if (frame['type'] !== 'call') return refused('bad_frame', 'The second frame must be a call.')
  if (!hasOnly(frame, ['v', 'type', 'id', 'name', 'input'])) return refused('bad_frame', 'A call with an unknown field.')
  if (!isCount(frame['id'])) return refused('bad_frame', 'A call without an id.')
  if (!(TERMINAL_CALLS as readonly unknown[]).includes(frame['name'])) return refused('bad_frame', 'A call to a name the endpoint does not answer.')
  if (!('input' in frame)) return refused('bad_frame', 'A call without an input.')
  return { ok: true, frame: frame as unknown as CallFrame }
}

function isTerminalError(value: unknown): value is TerminalError {
  return isPlainObject(value) && (TERMINAL_ERROR_KINDS as readonly unknown[]).includes(value['kind']) && typeof value['message'] === 'string'
}

/** What a client accepts from the server: hello, pending, result or error, in a version it speaks. */
export function parseServerFrame(line: string): Parsed<ServerHello | PendingFrame | ResultFrame | ErrorFrame> {
  const parsed = parseVersioned(line)
  if (!parsed.ok) return parsed
  const frame = parsed.frame
  switch (frame['type']) {
    case 'hello':
      if (['desktop', 'agent', 'test'].includes(frame['host'] as string) && isCount(frame['pid']) && typeof frame['version'] === 'string' && typeof frame['vault'] === 'string' && typeof frame['mac'] === 'string') {
        return { ok: true, frame: { ...(frame as unknown as ServerHello), since: typeof frame['since'] === 'number' ? frame['since'] : 0 } }
      }
      break
    case 'pending':
      if (isCount(frame['id']) && typeof frame['message'] === 'string') {
        return { ok: true, frame: { v: frame['v'] as number, type: 'pending', id: frame['id'], reason: 'approval', message: frame['message'].slice(0, MAX_MESSAGE) } }
      }
      break
    case 'result':
      if (isCount(frame['id']) && frame['ok'] === true) return { ok: true, frame: { v: frame['v'] as number, type: 'result', id: frame['id'], ok: true, value: frame['value'] } }
      if (isCount(frame['id']) && frame['ok'] === false && isTerminalError(frame['error'])) {
        return { ok: true, frame: { v: frame['v'] as number, type: 'result', id: frame['id'], ok: false, error: frame['error'] } }
      }
      break
    case 'error':
      if ((WIRE_ERROR_KINDS as readonly unknown[]).includes(frame['kind'])) return { ok: true, frame: frame as unknown as ErrorFrame }
      break
  }
  return refused('bad_frame', 'The server sent a frame this larder does not understand.')
}

/** A line the server may show while the call waits, kept short. */
export const pendingMessage = (message: string): string => String(message).slice(0, MAX_MESSAGE)
