// One HTTP exchange over undici: send, then read the body with a hard size cap. Redirects are never
// followed (undici's request() does not unless told to), so credentials never travel to another URL.
import type { Dispatcher } from 'undici'
import { ApiError } from '../errors.ts'
import type { CallContext } from './http-errors.ts'
import { oversizedError, transportError } from './http-errors.ts'
import type { Body } from './parse.ts'
import { classifyBody } from './parse.ts'
import type { ResponseHeaders } from './rate-limit.ts'
import { headerValue } from './rate-limit.ts'

export interface HttpRequest {
  readonly method: 'GET' | 'POST'
  /** Path and query, starting with '/'. */
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
}

export interface HttpAnswer {
  readonly status: number
  readonly headers: ResponseHeaders
  readonly body: Body
}

const USER_AGENT = 'Larder (Apicbase token keeper)'

export async function exchange(dispatcher: Dispatcher, ctx: CallContext, req: HttpRequest): Promise<HttpAnswer> {
  let response: Dispatcher.ResponseData
  try {
    response = await dispatcher.request({
      origin: ctx.origin,
      path: req.path,
      method: req.method,
      headers: { 'user-agent': USER_AGENT, accept: 'application/json', ...req.headers },
      body: req.body ?? null,
      headersTimeout: ctx.timeouts.headersMs,
      bodyTimeout: ctx.timeouts.bodyMs
    })
  } catch (error) {
    throw transportError(error, ctx, 'request')
  }
  const bytes = await readCapped(response, ctx)
  return {
    status: response.statusCode,
    headers: response.headers,
    body: classifyBody(bytes, headerValue(response.headers, 'content-type') ?? '')
  }
}

/** Reads at most maxBodyBytes; past that the body is destroyed (closing the socket), not drained. */
async function readCapped(response: Dispatcher.ResponseData, ctx: CallContext): Promise<Buffer> {
  const { body, statusCode } = response
  const declared = Number(headerValue(response.headers, 'content-length') ?? Number.NaN)
  if (Number.isFinite(declared) && declared > ctx.maxBodyBytes) {
    body.destroy()
    throw oversizedError(ctx, statusCode)
  }
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of body) {
      const piece = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
      size += piece.length
      if (size > ctx.maxBodyBytes) {
        body.destroy()
        throw oversizedError(ctx, statusCode)
      }
      chunks.push(piece)
    }
  } catch (error) {
    if (error instanceof ApiError) throw error
    body.destroy()
    throw transportError(error, ctx, 'body')
  }
  return Buffer.concat(chunks)
}
