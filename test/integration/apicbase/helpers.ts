// Shared pieces for the Apicbase client tests: a sandbox whose secrets are all remembered, error
// capture that checks no secret leaked, and a tiny loopback server for answers the sandbox never gives.
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inspect } from 'node:util'
import { expect } from 'vitest'
import type { ApiTarget, ClientCredentials } from '../../../src/main/core/apicbase/index.ts'
import { ApiError, InputError } from '../../../src/main/core/errors.ts'
import type { LibraryCredentials, Sandbox, SandboxOptions } from '../../sandbox/index.ts'
import { startSandbox } from '../../sandbox/index.ts'

/** Every secret any test handled; every error is checked against all of them. */
const secrets = new Set<string>()
const errors: Error[] = []

export function remember(...values: string[]): void {
  for (const value of values) if (value.length >= 6) secrets.add(value)
}

export async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sb = await startSandbox(options)
  for (const app of sb.fixtures.applications) remember(app.clientSecret)
  for (const lib of sb.fixtures.libraries) remember(lib.clientSecret, lib.accessToken, lib.refreshToken)
  remember(sb.fixtures.user.token.clientSecret, sb.fixtures.user.token.accessToken, sb.fixtures.user.token.refreshToken)
  return sb
}

export function seeded(sb: Sandbox, id: number): LibraryCredentials {
  const found = sb.fixtures.libraries.find((l) => l.id === id)
  if (found === undefined) throw new Error(`no seeded library ${id}`)
  return found
}

export function targetOf(url: string, libraryName = 'Brasserie Nord', rateKey = 'family-nord'): ApiTarget {
  return { baseUrl: url, libraryName, rateKey }
}

export function credsOf(lib: { clientId: string; clientSecret: string }): ClientCredentials {
  return { clientId: lib.clientId, clientSecret: lib.clientSecret }
}

/** The texts a leaked secret could hide in. */
function renderings(error: Error): string[] {
  return [error.message, String(error), inspect(error, { depth: 6, showHidden: true }), JSON.stringify(error), error.stack ?? '']
}

export function assertNoSecret(error: Error): void {
  for (const text of renderings(error)) {
    for (const secret of secrets) expect(text.includes(secret), `a secret leaked into: ${error.message}`).toBe(false)
  }
}

/** Re-checks every error captured so far against every secret known now (secrets learned later included). */
export function assertNoSecretInAnyError(): number {
  for (const error of errors) assertNoSecret(error)
  return errors.length
}

export async function apiError(promise: Promise<unknown>, kind?: ApiError['kind']): Promise<ApiError> {
  let caught: unknown
  try {
    await promise
  } catch (error) {
    caught = error
  }
  if (!(caught instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(caught)}`)
  errors.push(caught)
  if (process.env['LARDER_DUMP_ERRORS'] === '1') console.log(`[${caught.kind}${caught.maybeCommitted ? ', maybeCommitted' : ''}] ${caught.message}`)
  assertNoSecret(caught)
  if (kind !== undefined) expect(caught.kind, caught.message).toBe(kind)
  return caught
}

export async function inputError(promise: Promise<unknown>, field: string): Promise<InputError> {
  let caught: unknown
  try {
    await promise
  } catch (error) {
    caught = error
  }
  if (!(caught instanceof InputError)) throw new Error(`expected an InputError, got ${String(caught)}`)
  errors.push(caught)
  assertNoSecret(caught)
  expect(caught.field).toBe(field)
  return caught
}

export interface TinyServer {
  readonly url: string
  readonly requests: { method: string; url: string; body: string }[]
  close(): Promise<void>
}

/** A throwaway node:http server on 127.0.0.1 for shapes and failures the sandbox does not produce. */
export async function tinyServer(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<TinyServer> {
  const requests: { method: string; url: string; body: string }[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', body })
      handler(req, res, body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value)
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), ...headers })
  res.end(body)
}
