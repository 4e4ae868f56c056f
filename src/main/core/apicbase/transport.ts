// One HTTP exchange over undici: send, then collect the body with a hard size cap. Redirects are never followed
// (undici's dispatch does not unless told to), so credentials never travel to another URL. The answer is gathered
// by a handler of undici's dispatch API rather than through request(): no response stream, async iterator or async
// resource per exchange, which is most of what a token refresh costs the main thread besides the socket itself.
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

/** `onAnswer` sees each complete answer (before the promise settles), whatever its status. */
export function exchange(dispatcher: Dispatcher, ctx: CallContext, req: HttpRequest, onAnswer?: (answer: HttpAnswer) => void): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const answer = new AnswerCollector(ctx, onAnswer === undefined ? resolve : (got) => {
      onAnswer(got)
      resolve(got)
    }, reject)
    try {
      dispatcher.dispatch(
        {
          origin: ctx.origin,
          path: req.path,
          method: req.method,
          headers: { 'user-agent': USER_AGENT, accept: 'application/json', ...req.headers },
          body: req.body ?? null,
          headersTimeout: ctx.timeouts.headersMs,
          bodyTimeout: ctx.timeouts.bodyMs
        },
        answer
      )
    } catch (error) {
      answer.fail(transportError(error, ctx, 'request'))
    }
  })
}

/**
 * Gathers one answer: its status and headers, then at most maxBodyBytes of body. Past that (declared or seen) the
 * exchange is aborted, which closes the socket rather than draining it. Settles once, whatever undici reports after.
 */
class AnswerCollector implements Dispatcher.DispatchHandler {
  readonly #ctx: CallContext
  readonly #resolve: (answer: HttpAnswer) => void
  readonly #reject: (error: ApiError) => void
  #status = 0
  #headers: ResponseHeaders = {}
  /** The status line and headers are in: a failure from now on broke the answer, not the request. */
  #started = false
  #settled = false
  #size = 0
  readonly #chunks: Buffer[] = []

  constructor(ctx: CallContext, resolve: (answer: HttpAnswer) => void, reject: (error: ApiError) => void) {
    this.#ctx = ctx
    this.#resolve = resolve
    this.#reject = reject
  }

  onRequestStart(): void {}

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: ResponseHeaders): void {
    // 1xx answers (100 Continue) are informational: the real one follows.
    if (statusCode < 200 || this.#settled) return
    this.#started = true
    this.#status = statusCode
    this.#headers = headers
    const declared = Number(headerValue(headers, 'content-length') ?? Number.NaN)
    if (Number.isFinite(declared) && declared > this.#ctx.maxBodyBytes) this.#tooLarge(controller)
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#settled) return
    this.#size += chunk.length
    if (this.#size > this.#ctx.maxBodyBytes) {
      this.#tooLarge(controller)
      return
    }
    this.#chunks.push(chunk)
  }

  onResponseEnd(): void {
    if (this.#settled) return
    this.#settled = true
    const bytes = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks)
    this.#chunks.length = 0
    const status = this.#status
    const headers = this.#headers
    this.#resolve({ status, headers, body: classifyBody(bytes, headerValue(headers, 'content-type') ?? '') })
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(transportError(error, this.#ctx, this.#started ? 'body' : 'request'))
  }

  fail(error: ApiError): void {
    if (this.#settled) return
    this.#settled = true
    this.#chunks.length = 0
    this.#reject(error)
  }

  #tooLarge(controller: Dispatcher.DispatchController): void {
    const error = oversizedError(this.#ctx, this.#status)
    this.fail(error)
    controller.abort(error)
  }
}
