// One read-only GET for a key's check: its headers carry the key, redirects are not followed (the key never travels
// to another address), the body is capped, and the answer is sorted into what it says about the key. Nothing the
// server sent is quoted back: a message names the status and, at most, an error type that is a plain word.
import type { Dispatcher } from 'undici'
import type { CheckOutcome } from './system.ts'

const MAX_BODY_BYTES = 256 * 1024
const TIMEOUT_MS = 15_000

export interface CheckRequest {
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  readonly dispatcher: Dispatcher
}

export type CheckAnswer =
  | { readonly kind: 'answer'; readonly status: number; readonly headers: Readonly<Record<string, string | string[] | undefined>>; readonly json: unknown }
  | { readonly kind: 'unreachable'; readonly message: string }

/** GET `url`; a JSON body is parsed (anything else is `undefined`), a transport failure is 'unreachable'. */
export async function getForCheck(request: CheckRequest): Promise<CheckAnswer> {
  const { url } = request
  try {
    const answer = await request.dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers: { 'user-agent': 'Larder (key check)', accept: 'application/json', ...request.headers },
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS
    })
    const text = await cappedText(answer.body)
    if (text === null) return { kind: 'unreachable', message: `${url.host} answered more than ${MAX_BODY_BYTES / 1024} KiB` }
    return { kind: 'answer', status: answer.statusCode, headers: answer.headers, json: parseJson(text, answer.headers['content-type']) }
  } catch (error) {
    const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : error instanceof Error ? error.name : 'error'
    return { kind: 'unreachable', message: `${url.host} could not be reached (${code})` }
  }
}

async function cappedText(body: Dispatcher.ResponseData['body']): Promise<string | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array)
    size += bytes.length
    if (size > MAX_BODY_BYTES) {
      body.destroy()
      return null
    }
    chunks.push(bytes)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function parseJson(text: string, contentType: string | string[] | undefined): unknown {
  const type = Array.isArray(contentType) ? contentType[0] : contentType
  if (type === undefined || !/\bjson\b/i.test(type)) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** Seconds or an HTTP date in Retry-After, as an epoch time; null when absent or unreadable. */
export function retryAfter(headers: Readonly<Record<string, string | string[] | undefined>>, now: number): number | null {
  const raw = headers['retry-after']
  const value = Array.isArray(raw) ? raw[0] : raw
  if (value === undefined) return null
  if (/^\d+$/.test(value.trim())) return now + Number(value.trim()) * 1000
  const date = Date.parse(value)
  return Number.isFinite(date) ? Math.max(now, date) : null
}

/** The usual reading of a status that is not 2xx; `refusedCauses` says why a 401 may have come. */
export function outcomeOfStatus(status: number, host: string, now: number, rateLimitWaitMs: number, retryAt: number | null, refusedCauses: string): CheckOutcome {
  if (status === 401) return { outcome: 'refused', status, causes: refusedCauses }
  if (status === 403) return { outcome: 'forbidden', status, message: `${host} answered 403: the key works but may not make this call.` }
  if (status === 429) return { outcome: 'rate_limited', retryAt: retryAt ?? now + rateLimitWaitMs }
  return { outcome: 'unreachable', message: `${host} answered ${status}.` }
}

/** A plain field of a JSON object: a string, or a number written as one. */
export function field(value: unknown, key: string): string | null {
  if (typeof value !== 'object' || value === null) return null
  const raw = (value as Record<string, unknown>)[key]
  if (typeof raw === 'string' && raw.length <= 500) return raw
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw)
  return null
}
