// The loopback redirect of RFC 8252 (OAuth for native apps): a one-shot HTTP listener on 127.0.0.1, on a port the
// system picks, that catches the browser's redirect after the person authorized Larder at Apicbase. It checks
// `state` in constant time, answers a tiny page ("you can close this tab"), and closes after one answer or a timeout.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Clock, TimerHandle } from '../time/clock.ts'
import { MAX_TIMER_MS } from '../time/clock.ts'
import { sameState } from './state.ts'

const CALLBACK_PATH = '/oauth/callback/'
const HOST = '127.0.0.1'

export type LoopbackOutcome =
  | { readonly kind: 'code'; readonly code: string }
  /** Apicbase redirected with an error (the person declined, or the request was refused). */
  | { readonly kind: 'error'; readonly error: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'closed' }

export interface LoopbackCatcher {
  /** http://127.0.0.1:<port>/oauth/callback/ */
  readonly redirectUri: string
  /** Settles once: a code (or an error) with the right state, the timeout, or close(). Never rejects. */
  readonly outcome: Promise<LoopbackOutcome>
  /** Redirects refused because their state was missing or wrong. */
  refused(): number
  close(): Promise<void>
}

export interface LoopbackOptions {
  readonly state: string
  readonly clock: Clock
  /** How long to wait for the browser. */
  readonly timeoutMs: number
}

export async function startLoopbackCatcher(options: LoopbackOptions): Promise<LoopbackCatcher> {
  let settle: (outcome: LoopbackOutcome) => void = () => undefined
  const outcome = new Promise<LoopbackOutcome>((resolve) => {
    settle = resolve
  })
  let done = false
  let refused = 0
  let timer: TimerHandle | null = null
  let closing: Promise<void> | null = null
  let hostHeader = ''

  const server = createServer((req, res) => {
    if (done) return answer(res, 410, PAGES.gone)
    const verdict = judge(req, hostHeader, options.state)
    if (verdict.kind === 'refuse') {
      if (verdict.counts) refused++
      return answer(res, verdict.status, verdict.page)
    }
    const page = verdict.outcome.kind === 'code' ? PAGES.received : PAGES.declined
    // Closed once the page is on its way: the listener serves exactly one answer.
    res.once('finish', () => void close())
    answer(res, 200, page)
    finish(verdict.outcome)
  })
  server.on('clientError', (_error, socket) => socket.destroy())

  function finish(result: LoopbackOutcome): void {
    if (done) return
    done = true
    if (timer) options.clock.clearTimeout(timer)
    timer = null
    settle(result)
  }

  function close(): Promise<void> {
    finish({ kind: 'closed' })
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
    return closing
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, HOST, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  hostHeader = `${HOST}:${port}`
  const armTimeout = (deadline: number): void => {
    // Re-armed in steps below Node's timer limit; checked against the clock when it fires.
    timer = options.clock.setTimeout(() => {
      if (options.clock.now() >= deadline) {
        finish({ kind: 'timeout' })
        void close()
      } else {
        armTimeout(deadline)
      }
    }, Math.min(Math.max(0, deadline - options.clock.now()), MAX_TIMER_MS))
    timer.unref?.()
  }
  armTimeout(options.clock.now() + options.timeoutMs)
  server.unref()

  return {
    redirectUri: `http://${hostHeader}${CALLBACK_PATH}`,
    outcome,
    refused: () => refused,
    close
  }
}

type Verdict =
  | { readonly kind: 'accept'; readonly outcome: Extract<LoopbackOutcome, { kind: 'code' | 'error' }> }
  | { readonly kind: 'refuse'; readonly status: number; readonly page: string; readonly counts: boolean }

function judge(req: IncomingMessage, hostHeader: string, state: string): Verdict {
  let url: URL
  try {
    url = new URL(req.url ?? '/', `http://${hostHeader}`)
  } catch {
    return { kind: 'refuse', status: 400, page: PAGES.notFound, counts: false }
  }
  if (url.pathname !== CALLBACK_PATH) return { kind: 'refuse', status: 404, page: PAGES.notFound, counts: false }
  if (req.method !== 'GET') return { kind: 'refuse', status: 405, page: PAGES.notFound, counts: false }
  // A page elsewhere that points the browser at this port through another host name (DNS rebinding) is not Apicbase's redirect.
  if (req.headers.host !== hostHeader) return { kind: 'refuse', status: 400, page: PAGES.wrongState, counts: true }
  if (!sameState(url.searchParams.get('state'), state)) return { kind: 'refuse', status: 400, page: PAGES.wrongState, counts: true }
  const error = url.searchParams.get('error')
  if (error !== null) return { kind: 'accept', outcome: { kind: 'error', error: /^[a-z_]{1,40}$/.test(error) ? error : 'error' } }
  const code = url.searchParams.get('code')
  if (code === null || code === '' || !/^[\x21-\x7e]{1,4096}$/.test(code)) {
    return { kind: 'refuse', status: 400, page: PAGES.noCode, counts: false }
  }
  return { kind: 'accept', outcome: { kind: 'code', code } }
}

function answer(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    // The address carries the code: never send it on as a referrer.
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'",
    Connection: 'close'
  })
  res.end(body)
}

function page(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`
}

const PAGES = {
  received: page('Larder is connected', 'Larder received the authorization. You can close this tab and go back to Larder.'),
  declined: page('Larder was not authorized', 'Apicbase did not authorize Larder. You can close this tab; go back to Larder to start again.'),
  wrongState: page(
    'Not Larder\u2019s request',
    'This answer does not belong to the authorization Larder is waiting for, so it was ignored. Go back to Larder and start again if needed.'
  ),
  noCode: page('No authorization code', 'This answer holds no authorization code. Go back to Larder and start again.'),
  gone: page('Already done', 'Larder already has its answer. You can close this tab.'),
  notFound: page('Not found', 'Nothing here.')
} as const
