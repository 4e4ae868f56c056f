// What a faulted request gets instead of (or made of) the real answer. Only 'truncated' is built
// from a real, committed answer; the others stand for an edge or proxy answering in the app's place.

import type { ActiveFault } from './faults.ts'
import type { Reply } from './http.ts'
import { detail, html } from './http.ts'

export const DEFAULT_OVERSIZED_BYTES = 5 * 1024 * 1024

export function faultReply(fault: ActiveFault): Reply {
  switch (fault.kind) {
    case 'status':
      return detail(fault.status ?? 503, 'The service is temporarily unavailable (sandbox fault).')
    case 'html':
      return html(
        502,
        '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>' +
          '<hr><center>nginx</center></body></html>'
      )
    case 'non_json':
      return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'OK <not json> ~~sandbox~~\n' }
    case 'oversized':
      return oversized(fault.bytes ?? DEFAULT_OVERSIZED_BYTES)
    case 'rate_limit': {
      const wait = String(fault.retryAfter ?? 30)
      return detail(429, `Request was throttled. Expected available in ${wait} seconds.`, {
        'Retry-After': wait,
        'RateLimit-Remaining': '0',
        'RateLimit-Reset': wait
      })
    }
    default:
      throw new Error(`fault kind ${fault.kind} does not replace the answer`)
  }
}

/** Valid JSON of exactly `bytes` bytes. */
function oversized(bytes: number): Reply {
  const shell = '{"padding":""}'
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json' },
    body: `{"padding":"${'x'.repeat(Math.max(0, bytes - shell.length))}"}`,
    streamed: true
  }
}

/** The real answer cut mid-way: status and headers intact, body half there. */
export function truncate(reply: Reply): Reply {
  const bytes = Buffer.from(reply.body)
  return { ...reply, body: bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2))), streamed: false }
}
