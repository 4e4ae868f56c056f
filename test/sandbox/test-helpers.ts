// Small HTTP helpers for the sandbox's own tests: real requests over loopback, parsed tolerantly.

import type { LibraryCredentials } from './model.ts'

export interface Answer {
  status: number
  headers: Headers
  text: string
  /** The body parsed as a JSON object, or {} when it is not one. */
  body: Record<string, unknown>
}

export async function answer(response: Response): Promise<Answer> {
  const text = await response.text()
  let body: Record<string, unknown> = {}
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = Object.fromEntries(Object.entries(parsed))
  } catch {
    // not JSON: leave body empty, text still has it
  }
  return { status: response.status, headers: response.headers, text, body }
}

export async function postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
  return answer(
    await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString()
    })
  )
}

export async function postJson(url: string, value: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return answer(
    await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(value) })
  )
}

export async function apiGet(base: string, path: string, accessToken?: string): Promise<Answer> {
  const headers: Record<string, string> = accessToken === undefined ? {} : { Authorization: `Bearer ${accessToken}` }
  return answer(await fetch(`${base}${path}`, { headers }))
}

export interface RefreshInput {
  clientId: string
  clientSecret: string
  refreshToken: string
}

export function refresh(base: string, input: RefreshInput): Promise<Answer> {
  return postForm(`${base}/oauth/token/`, {
    grant_type: 'refresh_token',
    client_id: input.clientId,
    client_secret: input.clientSecret,
    refresh_token: input.refreshToken
  })
}

export interface TokenBody {
  access_token: string
  refresh_token: string
  token_type: string
  expires_in: number
  scope: string
}

/** Asserts the shape of a successful token response and returns it typed. */
export function tokenBody(a: Answer): TokenBody {
  const b = a.body
  if (
    a.status !== 200 ||
    typeof b['access_token'] !== 'string' ||
    typeof b['refresh_token'] !== 'string' ||
    typeof b['token_type'] !== 'string' ||
    typeof b['expires_in'] !== 'number' ||
    typeof b['scope'] !== 'string'
  ) {
    throw new Error(`not a token response: ${a.status} ${a.text}`)
  }
  return {
    access_token: b['access_token'],
    refresh_token: b['refresh_token'],
    token_type: b['token_type'],
    expires_in: b['expires_in'],
    scope: b['scope']
  }
}

/** Names in a paginated `results` list. */
export function resultNames(a: Answer): string[] {
  const results = a.body['results']
  if (!Array.isArray(results)) throw new Error(`no results in ${a.text}`)
  return results.map((r: unknown) => (typeof r === 'object' && r !== null && 'name' in r ? String(r.name) : ''))
}

export function library(list: readonly LibraryCredentials[], id: number): LibraryCredentials {
  const found = list.find((l) => l.id === id)
  if (found === undefined) throw new Error(`no seeded library ${id}`)
  return found
}

/** Resolves to the error a fetch failed with (for the connection-reset faults). */
export async function fetchError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the request to fail')
}
