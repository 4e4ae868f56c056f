// Shared by the endpoint's tests: temp data folders, a test holder, handlers that count their calls, and a raw client
// that speaks the wire by hand (so a test can send what the real client never would).
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { PROTOCOL_VERSION, TERMINAL_CALLS, type ClientFacts, type EndpointHolder, type TerminalHandler, type TerminalHandlers } from '../../../src/shared/terminal-words.ts'
import { macFor, newNonce } from '../../../src/main/endpoint/proof.ts'

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'larder-ep-'))
}

export const testHolder =
  (vault = 'open', pid = process.pid): (() => EndpointHolder) =>
  () => ({ host: 'test', pid, version: '0.0.0-test', vault })

export const CLIENT: ClientFacts = { pid: process.pid, ppid: process.ppid, session: 'test:session', tty: null, cwd: '/tmp', command: 'token' }

/** Every call answers its own input back; `calls` counts what reached a handler. */
export function echoHandlers(handler?: TerminalHandler): { handlers: TerminalHandlers; calls: { name: string; input: unknown }[] } {
  const calls: { name: string; input: unknown }[] = []
  const of =
    (name: string): TerminalHandler =>
    async (input, client, pending) => {
      calls.push({ name, input })
      return handler !== undefined ? handler(input, client, pending) : { ok: true, value: { echo: input } }
    }
  return { handlers: Object.fromEntries(TERMINAL_CALLS.map((name) => [name, of(name)])) as unknown as TerminalHandlers, calls }
}

export function helloLine(key: Buffer, overrides: Record<string, unknown> = {}): string {
  const nonce = newNonce()
  return `${JSON.stringify({ v: PROTOCOL_VERSION, type: 'hello', nonce, mac: macFor(key, 'client', nonce), client: CLIENT, ...overrides })}\n`
}

export function callLine(overrides: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ v: PROTOCOL_VERSION, type: 'call', id: 1, name: 'token', input: { library: 'Acme' }, ...overrides })}\n`
}

export const keyOf = (dataDir: string): Buffer => fs.readFileSync(path.join(dataDir, 'run', 'endpoint.key'))

/** Connects, writes `payload`, and collects every frame until the server closes (or `timeoutMs`). */
export function rawExchange(socketPath: string, payload: string | Buffer, timeoutMs = 5_000): Promise<{ frames: Record<string, unknown>[]; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const socket = net.createConnection(socketPath)
    let text = ''
    const done = (closedByServer: boolean): void => {
      clearTimeout(timer)
      socket.destroy()
      const frames = text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
      resolve({ frames, closedByServer })
    }
    const timer = setTimeout(() => done(false), timeoutMs)
    socket.on('connect', () => socket.write(payload))
    socket.on('data', (data) => (text += data.toString('utf8')))
    // The server may close while a large payload is still being written (EPIPE/ECONNRESET): that is the close.
    socket.on('error', () => done(true))
    socket.on('close', () => done(true))
  })
}
